"""Teams' tables and queries. Every table is per server (`guild_id` first in every key).

- `teams`: one row per team; its id comes from `core.ids.new_id` and is never reused; the
  name is unique per server case-insensitively (`name_key`); `members` is the member count,
  kept in the same transaction as the membership rows, so that a join is one conditional
  update (`members < cap`): twenty simultaneous joins to three free places admit three.
- `team_members`: one row per member in a team; the primary key (server, member) is what
  makes "one team per member per server" true.
- `team_relations`: alliances (stored once per pair, lower id first) and rivalries (one-sided:
  who named whom).
- `team_items`: decorations and gym equipment moved into a base (one of each).
- `team_ledger`: every move of a team's bank, with the member on the other side.
- `team_training`: each member's training bonuses (percent), built in their team's gym.
- `team_events`, `team_event_entries`: registration windows opened by admins.
- `team_legacy_ids`: which team the legacy import made of each old team id (`legacy.py`): the
  stable key that makes a second import update the same teams, never create them again. Kept
  when a team is disbanded, so that a later import does not bring it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    String,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, metadata

teams = Table(
    "teams",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(32), nullable=False),
    Column("name_key", String(32), nullable=False),
    Column("leader_id", BigInteger, nullable=False),
    Column("colour", String(16), nullable=False),
    Column("tier", Integer, nullable=False),
    Column("gym", Integer, nullable=False),
    Column("arena", Integer, nullable=False),
    Column("members", Integer, nullable=False),
    Column("bank", BigInteger, nullable=False),
    Column("lifetime_chi", BigInteger, nullable=False),
    Column("trophies", Integer, nullable=False),
    Column("wins", Integer, nullable=False),
    Column("losses", Integer, nullable=False),
    Column("ties", Integer, nullable=False),
    Column("score", BigInteger, nullable=False),
    Column("officer_limit", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ux_teams_name", "guild_id", "name_key", unique=True),
    Index("ix_teams_score", "guild_id", "score"),
)

team_members = Table(
    "team_members",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", BigInteger, nullable=False),
    Column("role", String(8), nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("donated", BigInteger, nullable=False),
    Column("withdrawn_day", Integer, nullable=False),
    Column("withdrawn", BigInteger, nullable=False),
    Index("ix_team_members_team", "guild_id", "team_id"),
)

team_relations = Table(
    "team_relations",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(8), primary_key=True),  # ally (a < b) | enemy (a named b)
    Column("team_a", BigInteger, primary_key=True, autoincrement=False),
    Column("team_b", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
)

team_items = Table(
    "team_items",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", BigInteger, primary_key=True, autoincrement=False),
    Column("item_id", String(64), primary_key=True),
    Column("placed_by", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

team_ledger = Table(
    "team_ledger",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=True),
    Column("delta", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_team_ledger_team", "guild_id", "team_id", "id"),
)

team_training = Table(
    "team_training",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("stat", String(16), primary_key=True),
    Column("pct", Float, nullable=False),
)

team_events = Table(
    "team_events",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),
    Column("opened_by", BigInteger, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("closed", Integer, nullable=False),  # 0 open, 1 closed
)

team_event_entries = Table(
    "team_event_entries",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", BigInteger, primary_key=True, autoincrement=False),
    Column("by_id", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

team_legacy_ids = Table(
    "team_legacy_ids",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("legacy_id", String(32), primary_key=True),
    Column("team_id", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

TABLES = (
    teams,
    team_members,
    team_relations,
    team_items,
    team_ledger,
    team_training,
    team_events,
    team_event_entries,
    team_legacy_ids,
)


@dataclass(frozen=True, slots=True)
class TeamRow:
    team_id: int
    name: str
    leader_id: int
    colour: str
    tier: int
    gym: int
    arena: int
    members: int
    bank: int
    lifetime_chi: int
    trophies: int
    wins: int
    losses: int
    ties: int
    score: int
    officer_limit: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    team_id: int
    role: str
    joined_at: datetime
    donated: int
    withdrawn_day: int
    withdrawn: int


def _team(r: Any) -> TeamRow:
    return TeamRow(
        r.team_id, r.name, r.leader_id, r.colour, r.tier, r.gym, r.arena, r.members, r.bank,
        r.lifetime_chi, r.trophies, r.wins, r.losses, r.ties, r.score, r.officer_limit,
        r.created_at,
    )  # fmt: skip


def _member(r: Any) -> MemberRow:
    return MemberRow(
        r.user_id, r.team_id, r.role, r.joined_at, r.donated, r.withdrawn_day, r.withdrawn
    )


class TeamStore(Repo):
    # --- teams ------------------------------------------------------------------------------

    def _team_key(self, team_id: int) -> Any:
        return (teams.c.guild_id == self.guild_id) & (teams.c.team_id == team_id)

    async def create(
        self, name: str, key: str, leader_id: int, *, colour: str, officer_limit: int
    ) -> TeamRow | None:
        """A new team with its leader as first member, or None if the name is taken."""
        team_id, now = new_id(), self.scope.now()
        stmt = self.insert(teams).values(
            guild_id=self.guild_id, team_id=team_id, name=name, name_key=key,
            leader_id=leader_id, colour=colour, tier=1, gym=0, arena=0, members=1, bank=0,
            lifetime_chi=0, trophies=0, wins=0, losses=0, ties=0, score=0,
            officer_limit=officer_limit, created_at=now,
        )  # fmt: skip
        made = await self.conn.execute(stmt.on_conflict_do_nothing().returning(teams.c.team_id))
        if made.first() is None:
            return None
        await self.conn.execute(
            team_members.insert().values(
                guild_id=self.guild_id,
                user_id=leader_id,
                team_id=team_id,
                role="leader",
                joined_at=now,
                donated=0,
                withdrawn_day=0,
                withdrawn=0,
            )  # fmt: skip
        )
        return await self.team(team_id)

    async def team(self, team_id: int, *, lock: bool = False) -> TeamRow | None:
        query = select(teams).where(self._team_key(team_id))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        return _team(row) if row else None

    async def by_name(self, key: str) -> TeamRow | None:
        row = (
            await self.conn.execute(
                select(teams).where((teams.c.guild_id == self.guild_id) & (teams.c.name_key == key))
            )
        ).first()
        return _team(row) if row else None

    async def search(self, prefix: str, limit: int = 25) -> list[TeamRow]:
        rows = await self.conn.execute(
            select(teams)
            .where(
                (teams.c.guild_id == self.guild_id)
                & teams.c.name_key.startswith(prefix, autoescape=True)
            )
            .order_by(teams.c.name_key)
            .limit(limit)
        )
        return [_team(r) for r in rows]

    async def count(self) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count()).select_from(teams).where(teams.c.guild_id == self.guild_id)
                )
            ).scalar_one()
        )

    async def board(self, order: str, offset: int, limit: int) -> list[TeamRow]:
        column = {"score": teams.c.score, "bank": teams.c.bank, "members": teams.c.members}[order]
        rows = await self.conn.execute(
            select(teams)
            .where(teams.c.guild_id == self.guild_id)
            .order_by(column.desc(), teams.c.team_id)
            .offset(offset)
            .limit(limit)
        )
        return [_team(r) for r in rows]

    async def rank(self, order: str, team: TeamRow) -> int:
        column = {"score": teams.c.score, "bank": teams.c.bank, "members": teams.c.members}[order]
        value = getattr(team, order)
        ahead = await self.conn.execute(
            select(func.count())
            .select_from(teams)
            .where(
                (teams.c.guild_id == self.guild_id)
                & or_(column > value, and_(column == value, teams.c.team_id < team.team_id))
            )
        )
        return int(ahead.scalar_one()) + 1

    async def set(self, team_id: int, **values: Any) -> None:
        await self.conn.execute(update(teams).where(self._team_key(team_id)).values(**values))

    async def set_if(self, team_id: int, expect: dict[str, Any], **values: Any) -> bool:
        """Compare and set: change the team only if its columns still hold `expect`."""
        where = self._team_key(team_id)
        for name, value in expect.items():
            where = where & (teams.c[name] == value)
        done = await self.conn.execute(update(teams).where(where).values(**values))
        return done.rowcount == 1

    async def spend(self, team_id: int, chi: int, trophies: int) -> bool:
        """Take chi from the bank and trophies, only if both are there."""
        done = await self.conn.execute(
            update(teams)
            .where(self._team_key(team_id) & (teams.c.bank >= chi) & (teams.c.trophies >= trophies))
            .values(bank=teams.c.bank - chi, trophies=teams.c.trophies - trophies)
        )
        return done.rowcount == 1

    async def bank_move(self, team_id: int, delta: int) -> int | None:
        """Add `delta` to the bank (never below zero); the new balance, or None if short."""
        where = self._team_key(team_id)
        values: dict[str, Any] = {"bank": teams.c.bank + delta}
        if delta < 0:
            where = where & (teams.c.bank >= -delta)
        else:
            values["lifetime_chi"] = teams.c.lifetime_chi + delta
        found = await self.conn.execute(
            update(teams).where(where).values(**values).returning(teams.c.bank)
        )
        value = found.scalar_one_or_none()
        return None if value is None else int(value)

    async def record(
        self, team_id: int, *, wins: int, losses: int, ties: int, score: int, trophies: int
    ) -> TeamRow | None:
        c = teams.c
        score_after = (
            func.max(c.score + score, 0)
            if self.dialect == "sqlite"
            else func.greatest(c.score + score, 0)
        )
        await self.conn.execute(
            update(teams)
            .where(self._team_key(team_id))
            .values(
                wins=c.wins + wins,
                losses=c.losses + losses,
                ties=c.ties + ties,
                trophies=c.trophies + trophies,
                score=score_after,
            )  # fmt: skip
        )
        return await self.team(team_id)

    async def delete(self, team_id: int) -> None:
        """Remove a team and everything that hangs on it (relations both ways, items,
        memberships, entries; its ledger is history and stays)."""
        g = self.guild_id
        r = team_relations.c
        await self.conn.execute(
            delete(team_relations).where(
                (r.guild_id == g) & or_(r.team_a == team_id, r.team_b == team_id)
            )
        )
        for table in (team_items, team_event_entries, team_members):
            await self.conn.execute(
                delete(table).where((table.c.guild_id == g) & (table.c.team_id == team_id))
            )
        await self.conn.execute(delete(teams).where(self._team_key(team_id)))

    # --- members ----------------------------------------------------------------------------

    async def member(self, user_id: int) -> MemberRow | None:
        row = (
            await self.conn.execute(
                select(team_members).where(
                    (team_members.c.guild_id == self.guild_id) & (team_members.c.user_id == user_id)
                )
            )
        ).first()
        return _member(row) if row else None

    async def member_ids(self) -> list[int]:
        """Everyone in a team in this server."""
        c = team_members.c
        rows = await self.conn.execute(select(c.user_id).where(c.guild_id == self.guild_id))
        return [r.user_id for r in rows]

    async def roster(self, team_id: int) -> list[MemberRow]:
        c = team_members.c
        rows = await self.conn.execute(
            select(team_members)
            .where((c.guild_id == self.guild_id) & (c.team_id == team_id))
            .order_by(c.joined_at, c.user_id)
        )
        return [_member(r) for r in rows]

    async def admit(self, team_id: int, user_id: int, cap: int) -> bool:
        """Add a member if the team has a free place (one conditional update: no race can
        pass the cap) and they are in no team (the membership key)."""
        grown = await self.conn.execute(
            update(teams)
            .where(self._team_key(team_id) & (teams.c.members < cap))
            .values(members=teams.c.members + 1)
        )
        if grown.rowcount != 1:
            return False
        stmt = self.insert(team_members).values(
            guild_id=self.guild_id, user_id=user_id, team_id=team_id, role="member",
            joined_at=self.scope.now(), donated=0, withdrawn_day=0, withdrawn=0,
        )  # fmt: skip
        added = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(team_members.c.user_id)
        )
        if added.first() is None:  # already in a team: give the place back
            await self.conn.execute(
                update(teams).where(self._team_key(team_id)).values(members=teams.c.members - 1)
            )
            return False
        return True

    async def remove(self, team_id: int, user_id: int) -> bool:
        c = team_members.c
        done = await self.conn.execute(
            delete(team_members).where(
                (c.guild_id == self.guild_id) & (c.user_id == user_id) & (c.team_id == team_id)
            )
        )
        if done.rowcount != 1:
            return False
        await self.conn.execute(
            update(teams).where(self._team_key(team_id)).values(members=teams.c.members - 1)
        )
        await self.conn.execute(
            delete(team_training).where(
                (team_training.c.guild_id == self.guild_id) & (team_training.c.user_id == user_id)
            )
        )
        return True

    async def set_role(self, team_id: int, user_id: int, role: str) -> bool:
        c = team_members.c
        done = await self.conn.execute(
            update(team_members)
            .where((c.guild_id == self.guild_id) & (c.user_id == user_id) & (c.team_id == team_id))
            .values(role=role)
        )
        return done.rowcount == 1

    async def donated(self, user_id: int, amount: int) -> None:
        c = team_members.c
        await self.conn.execute(
            update(team_members)
            .where((c.guild_id == self.guild_id) & (c.user_id == user_id))
            .values(donated=c.donated + amount)
        )

    async def take_allowance(self, member: MemberRow, day: int, amount: int) -> bool:
        """Count `amount` against today's withdraw allowance, compared and set against the row
        as read (a concurrent withdrawal by the same officer makes this one fail)."""
        c = team_members.c
        taken = (member.withdrawn if member.withdrawn_day == day else 0) + amount
        done = await self.conn.execute(
            update(team_members)
            .where(
                (c.guild_id == self.guild_id)
                & (c.user_id == member.user_id)
                & (c.withdrawn_day == member.withdrawn_day)
                & (c.withdrawn == member.withdrawn)
            )
            .values(withdrawn_day=day, withdrawn=taken)
        )
        return done.rowcount == 1

    # --- the bank's ledger ------------------------------------------------------------------

    async def log(
        self, team_id: int, user_id: int | None, delta: int, reason: str, balance: int
    ) -> None:
        await self.conn.execute(
            team_ledger.insert().values(
                guild_id=self.guild_id,
                id=new_id(),
                team_id=team_id,
                user_id=user_id,
                delta=delta,
                reason=reason,
                balance_after=balance,
                at=self.scope.now(),
            )  # fmt: skip
        )

    async def ledger(self, team_id: int, offset: int, limit: int) -> list[Any]:
        c = team_ledger.c
        rows = await self.conn.execute(
            select(team_ledger)
            .where((c.guild_id == self.guild_id) & (c.team_id == team_id))
            .order_by(c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows)

    async def ledger_count(self, team_id: int) -> int:
        c = team_ledger.c
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(team_ledger)
                    .where((c.guild_id == self.guild_id) & (c.team_id == team_id))
                )
            ).scalar_one()
        )

    # --- relations --------------------------------------------------------------------------

    async def relations(self, team_id: int) -> list[tuple[str, int, int]]:
        r = team_relations.c
        rows = await self.conn.execute(
            select(r.kind, r.team_a, r.team_b).where(
                (r.guild_id == self.guild_id) & or_(r.team_a == team_id, r.team_b == team_id)
            )
        )
        return [(row.kind, row.team_a, row.team_b) for row in rows]

    async def relate(self, kind: str, a: int, b: int) -> bool:
        stmt = self.insert(team_relations).values(
            guild_id=self.guild_id, kind=kind, team_a=a, team_b=b, at=self.scope.now()
        )
        done = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(team_relations.c.kind)
        )
        return done.first() is not None

    async def unrelate(self, kind: str, a: int, b: int) -> bool:
        r = team_relations.c
        done = await self.conn.execute(
            delete(team_relations).where(
                (r.guild_id == self.guild_id) & (r.kind == kind) & (r.team_a == a) & (r.team_b == b)
            )
        )
        return done.rowcount == 1

    # --- the base's items -------------------------------------------------------------------

    async def items(self, team_id: int) -> list[str]:
        c = team_items.c
        rows = await self.conn.execute(
            select(c.item_id)
            .where((c.guild_id == self.guild_id) & (c.team_id == team_id))
            .order_by(c.at, c.item_id)
        )
        return [r.item_id for r in rows]

    async def place(self, team_id: int, item_id: str, by: int) -> bool:
        stmt = self.insert(team_items).values(
            guild_id=self.guild_id,
            team_id=team_id,
            item_id=item_id,
            placed_by=by,
            at=self.scope.now(),
        )
        done = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(team_items.c.item_id)
        )
        return done.first() is not None

    # --- training ---------------------------------------------------------------------------

    async def training(self, user_id: int) -> dict[str, float]:
        c = team_training.c
        rows = await self.conn.execute(
            select(c.stat, c.pct).where((c.guild_id == self.guild_id) & (c.user_id == user_id))
        )
        return {r.stat: float(r.pct) for r in rows}

    async def set_training(self, user_id: int, stat: str, pct: float) -> None:
        stmt = self.insert(team_training).values(
            guild_id=self.guild_id, user_id=user_id, stat=stat, pct=pct
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[
                    team_training.c.guild_id,
                    team_training.c.user_id,
                    team_training.c.stat,
                ],
                set_={"pct": stmt.excluded.pct},
            )
        )

    # --- events -----------------------------------------------------------------------------

    async def open_event(self, name: str, by: int, closes_at: datetime) -> int:
        event_id = new_id()
        await self.conn.execute(
            team_events.insert().values(
                guild_id=self.guild_id,
                event_id=event_id,
                name=name,
                opened_by=by,
                opened_at=self.scope.now(),
                closes_at=closes_at,
                closed=0,
            )  # fmt: skip
        )
        return event_id

    async def open_events(self) -> list[Any]:
        c = team_events.c
        rows = await self.conn.execute(
            select(team_events)
            .where((c.guild_id == self.guild_id) & (c.closed == 0))
            .order_by(c.opened_at)
        )
        return list(rows)

    async def event(self, event_id: int) -> Any | None:
        c = team_events.c
        return (
            await self.conn.execute(
                select(team_events).where((c.guild_id == self.guild_id) & (c.event_id == event_id))
            )
        ).first()

    async def close_event(self, event_id: int) -> bool:
        c = team_events.c
        done = await self.conn.execute(
            update(team_events)
            .where((c.guild_id == self.guild_id) & (c.event_id == event_id) & (c.closed == 0))
            .values(closed=1)
        )
        return done.rowcount == 1

    async def enter(self, event_id: int, team_id: int, by: int) -> bool:
        stmt = self.insert(team_event_entries).values(
            guild_id=self.guild_id,
            event_id=event_id,
            team_id=team_id,
            by_id=by,
            at=self.scope.now(),
        )
        done = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(team_event_entries.c.team_id)
        )
        return done.first() is not None

    async def entries(self, event_id: int) -> list[int]:
        c = team_event_entries.c
        rows = await self.conn.execute(
            select(c.team_id)
            .where((c.guild_id == self.guild_id) & (c.event_id == event_id))
            .order_by(c.at, c.team_id)
        )
        return [r.team_id for r in rows]

    async def names(self, team_ids: Sequence[int]) -> dict[int, str]:
        if not team_ids:
            return {}
        rows = await self.conn.execute(
            select(teams.c.team_id, teams.c.name).where(
                (teams.c.guild_id == self.guild_id) & teams.c.team_id.in_(list(team_ids))
            )
        )
        return {r.team_id: r.name for r in rows}
