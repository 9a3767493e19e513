"""Combat's tables. Every table is per server (`guild_id` first in every key).

- `combat_loadouts`: the weapon a member chose to fight with (`equip`). A member who never
  chose fights with the strongest weapon they hold, so the row only records a choice.
- `combat_pools`: a duel's escrow: the stake each side put in (`stake`, both sides the same),
  the bets' total, and its status: `open` (bets accepted), `closed` (the first action was
  taken), `settled` (paid or refunded, with the house's cut and what was paid). Every bet and
  the settlement change this one row, conditionally on its status, so on PostgreSQL they are
  serialised by its row lock: a bet that commits before the settlement is in it, a bet after
  it is refused, nothing is in between (`tests/combat/test_combat_bets.py`).
- `combat_bets`: one row per bettor per duel: the side backed and the amount, escrowed
  (debited) when placed; `paid` is what the settlement gave back.
- `combat_tournaments`: a tournament (`tournament create`): its status (`open` for joining,
  `running`, `finished`, `cancelled`), entry fee, pool (the fees paid in), size limit, the
  round being played, the match deadline and the champion. `live` is true while it is open or
  running and NULL after: a unique index on (`guild_id`, `live`) keeps one live tournament per
  server (NULLs are distinct on SQLite and PostgreSQL alike). Joins and the ending of a match
  change this row first (a conditional UPDATE), which orders them on PostgreSQL's row lock.
- `combat_entrants`: who joined (their name as they joined, the fee they paid), their seed
  (join order) and whether they are `out`.
- `combat_matches`: the bracket, one row per (round, slot): the two sides (user ids; side1 is
  NULL for a bye), the live fight playing it, the winner, `status` pending | live | done, how
  it was decided (`how`: ko, forfeit, walkover, match_limit, tie, bye, cancelled) and the
  deadline by which it must have started.
- `combat_rifts`: a server's rifts (`event rift`, docs/bosses.md "The rift"): `status` open |
  defeated | escaped | ended, the Rifter's `hp` / `max_hp` (raised as raiders join), the fixed
  `prize`, how many `raiders` joined, who opened it, when it opened, closes (the scheduler's
  `combat.rift_close`) and ended, the card's channel and message, and `last_hit` (what the
  latest attack took off: the final blow counts what was left, not its roll). `live` is true
  while open and NULL after: a unique index on (`guild_id`, `live`) keeps one live rift per
  server. Every change to a rift (a join, an attack, a run, the kill, its end) moves this row
  first, conditionally on `status = open`, which orders them on PostgreSQL's row lock: the kill
  settles in the attack's own transaction, and whatever comes after is told the rift is over.
- `combat_rift_raiders`: one row per raider per rift: their name, `damage` dealt, `attacks`
  made, their HP in the rift (`hp` of `max_hp`, their fighting max HP when they joined),
  `downed_until` (0 HP: back at full HP after it, read lazily), `last_attack_at` (the
  cooldown), `left` (ran: no share, no rejoining) and `paid` (their share, once settled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    case,
    delete,
    func,
    select,
    update,
)

from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, metadata

combat_loadouts = Table(
    "combat_loadouts",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("weapon", String(48), nullable=False),
    Column("equipped_at", UtcDateTime, nullable=False),
)

combat_pools = Table(
    "combat_pools",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("fight_id", String(24), primary_key=True),
    Column("status", String(8), nullable=False),  # open | closed | settled
    Column("side0", BigInteger, nullable=False),  # the challenger
    Column("side1", BigInteger, nullable=False),
    Column("stake", BigInteger, nullable=False),  # per side
    Column("bets", BigInteger, nullable=False),  # the bets' total
    Column("bettors", Integer, nullable=False),
    Column("winner", BigInteger, nullable=True),  # None: a tie or a cancelled duel
    Column("house", BigInteger, nullable=False),  # the bets' cut kept by the house
    Column("created_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime, nullable=True),
)

combat_bets = Table(
    "combat_bets",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("fight_id", String(24), primary_key=True),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("side", String(8), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("paid", BigInteger, nullable=True),
    Column("placed_at", UtcDateTime, nullable=False),
)

combat_tournaments = Table(
    "combat_tournaments",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # open | running | finished | cancelled
    Column("live", Boolean, nullable=True),  # True while open or running, else NULL
    Column("entry_fee", BigInteger, nullable=False),
    Column("pool", BigInteger, nullable=False),
    Column("size_limit", Integer, nullable=True),
    Column("entrants", Integer, nullable=False),
    Column("joins", Integer, nullable=False),  # every join so far: the next seed
    Column("created_by", BigInteger, nullable=False),
    Column("round", Integer, nullable=False),  # 0 until it starts
    Column("deadline_minutes", Integer, nullable=False),
    Column("channel_id", BigInteger, nullable=True),  # where it was announced
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("champion", BigInteger, nullable=True),
    Column("runner_up", BigInteger, nullable=True),
    Column("prize", BigInteger, nullable=False),  # paid to the champion
    Column("runner_up_prize", BigInteger, nullable=False),
    Index("ix_combat_tournaments_live", "guild_id", "live", unique=True),
)

combat_entrants = Table(
    "combat_entrants",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("tournament_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("seed", Integer, nullable=False),  # join order; 1..n from the start
    Column("fee", BigInteger, nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("out", Boolean, nullable=False),
)

combat_matches = Table(
    "combat_matches",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("tournament_id", BigInteger, primary_key=True, autoincrement=False),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("slot", Integer, primary_key=True, autoincrement=False),
    Column("side0", BigInteger, nullable=True),
    Column("side1", BigInteger, nullable=True),  # NULL: a bye
    Column("fight_id", String(24), nullable=True),
    Column("winner", BigInteger, nullable=True),
    Column("status", String(8), nullable=False),  # pending | live | done
    Column("how", String(12), nullable=True),
    Column("deadline", UtcDateTime, nullable=True),
)

TABLES: tuple[Table, ...] = (
    combat_loadouts,
    combat_pools,
    combat_bets,
    combat_tournaments,
    combat_entrants,
    combat_matches,
)


class LoadoutStore(Repo):
    async def weapon(self, user_id: int) -> str | None:
        c = combat_loadouts.c
        row = (
            await self.conn.execute(
                select(c.weapon).where((c.guild_id == self.guild_id) & (c.user_id == user_id))
            )
        ).first()
        return row.weapon if row is not None else None

    async def equip(self, user_id: int, weapon: str, now: datetime) -> None:
        stmt = self.insert(combat_loadouts).values(
            guild_id=self.guild_id, user_id=user_id, weapon=weapon, equipped_at=now
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["guild_id", "user_id"],
                set_={"weapon": weapon, "equipped_at": now},
            )
        )


class PoolStore(Repo):
    """A duel's escrow (`combat_pools`, `combat_bets`)."""

    def _pool(self, fight_id: str) -> Any:
        c = combat_pools.c
        return (c.guild_id == self.guild_id) & (c.fight_id == fight_id)

    async def open(self, fight_id: str, side0: int, side1: int, stake: int, now: datetime) -> None:
        await self.conn.execute(
            combat_pools.insert().values(
                guild_id=self.guild_id, fight_id=fight_id, status="open", side0=side0,
                side1=side1, stake=stake, bets=0, bettors=0, house=0, created_at=now,
            )
        )  # fmt: skip

    async def pool(self, fight_id: str) -> Any:
        return (await self.conn.execute(select(combat_pools).where(self._pool(fight_id)))).first()

    async def add_bet(
        self, fight_id: str, user_id: int, side: str, amount: int, now: datetime
    ) -> bool:
        """The bet's row (False if this member already bet on this duel)."""
        stmt = self.insert(combat_bets).values(
            guild_id=self.guild_id, fight_id=fight_id, user_id=user_id, side=side,
            amount=amount, placed_at=now,
        )  # fmt: skip
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    async def count_bet(self, fight_id: str, amount: int) -> bool:
        """Add a bet to the pool while it is open (False: closed or settled): the row lock
        that orders bets and the settlement."""
        c = combat_pools.c
        done = await self.conn.execute(
            update(combat_pools)
            .where(self._pool(fight_id) & (c.status == "open"))
            .values(bets=c.bets + amount, bettors=c.bettors + 1)
        )
        return done.rowcount == 1

    async def close(self, fight_id: str) -> None:
        """No more bets (the first action)."""
        c = combat_pools.c
        await self.conn.execute(
            update(combat_pools)
            .where(self._pool(fight_id) & (c.status == "open"))
            .values(status="closed")
        )

    async def settle(self, fight_id: str, now: datetime) -> Any:
        """Mark the pool settled, once: its row as it was, or None if already settled."""
        c = combat_pools.c
        return (
            await self.conn.execute(
                update(combat_pools)
                .where(self._pool(fight_id) & (c.status != "settled"))
                .values(status="settled", settled_at=now)
                .returning(*combat_pools.c)
            )
        ).first()

    async def record(self, fight_id: str, winner: int | None, house: int) -> None:
        await self.conn.execute(
            update(combat_pools).where(self._pool(fight_id)).values(winner=winner, house=house)
        )

    async def bets(self, fight_id: str) -> list[Any]:
        c = combat_bets.c
        return list(
            await self.conn.execute(
                select(combat_bets)
                .where((c.guild_id == self.guild_id) & (c.fight_id == fight_id))
                .order_by(c.user_id)
            )
        )

    async def paid(self, fight_id: str, paid: dict[int, int]) -> None:
        """What each bet got back (0 for the losing ones), in one executemany."""
        c = combat_bets.c
        rows = await self.bets(fight_id)
        if not rows:
            return
        stmt = (
            update(combat_bets)
            .where(
                (c.guild_id == self.guild_id)
                & (c.fight_id == fight_id)
                & (c.user_id == bindparam("u"))
            )
            .values(paid=bindparam("p"))
        )
        await self.conn.execute(stmt, [{"u": r.user_id, "p": paid.get(r.user_id, 0)} for r in rows])


class TournamentStore(Repo):
    """A server's tournaments (`combat_tournaments`, `combat_entrants`, `combat_matches`)."""

    def _t(self, tournament_id: int) -> Any:
        c = combat_tournaments.c
        return (c.guild_id == self.guild_id) & (c.id == tournament_id)

    async def create(self, values: dict[str, Any]) -> bool:
        """A new live tournament (False: one is open or running here already)."""
        stmt = self.insert(combat_tournaments).values(guild_id=self.guild_id, live=True, **values)
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    async def live(self) -> Any:
        """The open or running tournament here, or None."""
        c = combat_tournaments.c
        return (
            await self.conn.execute(
                select(combat_tournaments).where((c.guild_id == self.guild_id) & (c.live.is_(True)))
            )
        ).first()

    async def latest(self) -> Any:
        """The live tournament, else the latest one (for the bracket)."""
        found = await self.live()
        if found is not None:
            return found
        c = combat_tournaments.c
        return (
            await self.conn.execute(
                select(combat_tournaments)
                .where(c.guild_id == self.guild_id)
                .order_by(c.created_at.desc(), c.id.desc())
                .limit(1)
            )
        ).first()

    async def get(self, tournament_id: int) -> Any:
        return (
            await self.conn.execute(select(combat_tournaments).where(self._t(tournament_id)))
        ).first()

    async def change(self, tournament_id: int, *, where: Any = None, **values: Any) -> Any:
        """Update the tournament's row (conditionally on `where`): the row as it is after, or
        None when the condition failed. The first write of a use case: the row lock."""
        cond = self._t(tournament_id)
        if where is not None:
            cond = cond & where
        return (
            await self.conn.execute(
                update(combat_tournaments)
                .where(cond)
                .values(**values)
                .returning(*combat_tournaments.c)
            )
        ).first()

    # --- entrants ------------------------------------------------------------------------

    async def add_entrant(
        self, tournament_id: int, user_id: int, name: str, seed: int, fee: int, now: Any
    ) -> bool:
        stmt = self.insert(combat_entrants).values(
            guild_id=self.guild_id, tournament_id=tournament_id, user_id=user_id,
            name=name[:100], seed=seed, fee=fee, joined_at=now, out=False,
        )  # fmt: skip
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    def _e(self, tournament_id: int) -> Any:
        c = combat_entrants.c
        return (c.guild_id == self.guild_id) & (c.tournament_id == tournament_id)

    async def entrant(self, tournament_id: int, user_id: int) -> Any:
        c = combat_entrants.c
        return (
            await self.conn.execute(
                select(combat_entrants).where(self._e(tournament_id) & (c.user_id == user_id))
            )
        ).first()

    async def remove_entrant(self, tournament_id: int, user_id: int) -> Any:
        c = combat_entrants.c
        return (
            await self.conn.execute(
                delete(combat_entrants)
                .where(self._e(tournament_id) & (c.user_id == user_id))
                .returning(*combat_entrants.c)
            )
        ).first()

    async def entrants(self, tournament_id: int) -> list[Any]:
        c = combat_entrants.c
        return list(
            await self.conn.execute(
                select(combat_entrants).where(self._e(tournament_id)).order_by(c.seed, c.user_id)
            )
        )

    async def reseed(self, tournament_id: int, seeds: dict[int, int]) -> None:
        c = combat_entrants.c
        stmt = (
            update(combat_entrants)
            .where(self._e(tournament_id) & (c.user_id == bindparam("u")))
            .values(seed=bindparam("s"))
        )
        await self.conn.execute(stmt, [{"u": u, "s": s} for u, s in seeds.items()])

    async def knock_out(self, tournament_id: int, user_id: int) -> None:
        c = combat_entrants.c
        await self.conn.execute(
            update(combat_entrants)
            .where(self._e(tournament_id) & (c.user_id == user_id))
            .values(out=True)
        )

    async def count_entrants(self, tournament_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count()).select_from(combat_entrants).where(self._e(tournament_id))
                )
            ).scalar_one()
        )

    # --- matches -------------------------------------------------------------------------

    def _m(self, tournament_id: int) -> Any:
        c = combat_matches.c
        return (c.guild_id == self.guild_id) & (c.tournament_id == tournament_id)

    async def add_matches(self, tournament_id: int, rows: list[dict[str, Any]]) -> None:
        """New matches (every row with every column: one executemany)."""
        blank = {"side0": None, "side1": None, "fight_id": None, "winner": None, "how": None,
                 "deadline": None}  # fmt: skip
        if rows:
            await self.conn.execute(
                combat_matches.insert(),
                [{"guild_id": self.guild_id, "tournament_id": tournament_id, **blank, **r}
                 for r in rows],
            )  # fmt: skip

    async def matches(self, tournament_id: int, round_: int | None = None) -> list[Any]:
        c = combat_matches.c
        cond = self._m(tournament_id)
        if round_ is not None:
            cond = cond & (c.round == round_)
        return list(
            await self.conn.execute(select(combat_matches).where(cond).order_by(c.round, c.slot))
        )

    async def match(self, tournament_id: int, round_: int, slot: int) -> Any:
        c = combat_matches.c
        return (
            await self.conn.execute(
                select(combat_matches).where(
                    self._m(tournament_id) & (c.round == round_) & (c.slot == slot)
                )
            )
        ).first()

    async def set_match(
        self, tournament_id: int, round_: int, slot: int, *, only_if: str | None = None,
        **values: Any,
    ) -> bool:  # fmt: skip
        """Change a match (conditionally on its current status, `only_if`)."""
        c = combat_matches.c
        cond = self._m(tournament_id) & (c.round == round_) & (c.slot == slot)
        if only_if is not None:
            cond = cond & (c.status == only_if)
        done = await self.conn.execute(update(combat_matches).where(cond).values(**values))
        return done.rowcount == 1


# --- the rift (`rift.py`): appended here so that the tables of other modes merge apart ---

combat_rifts = Table(
    "combat_rifts",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("status", String(10), nullable=False),  # open | defeated | escaped | ended
    Column("live", Boolean, nullable=True),  # True while open, else NULL
    Column("hp", BigInteger, nullable=False),
    Column("max_hp", BigInteger, nullable=False),
    Column("prize", BigInteger, nullable=False),
    Column("raiders", Integer, nullable=False),  # joins so far (a run does not lower it)
    Column("last_hit", BigInteger, nullable=False),
    Column("opened_by", BigInteger, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("channel_id", BigInteger, nullable=True),
    Column("message_id", BigInteger, nullable=True),
    Index("ix_combat_rifts_live", "guild_id", "live", unique=True),
)

combat_rift_raiders = Table(
    "combat_rift_raiders",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("rift_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("damage", BigInteger, nullable=False),
    Column("attacks", Integer, nullable=False),
    Column("hp", BigInteger, nullable=False),
    Column("max_hp", BigInteger, nullable=False),
    Column("downed_until", UtcDateTime, nullable=True),
    Column("last_attack_at", UtcDateTime, nullable=True),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("left", Boolean, nullable=False),
    Column("paid", BigInteger, nullable=True),  # NULL until the rift is settled
)

TABLES = (*TABLES, combat_rifts, combat_rift_raiders)


class RiftStore(Repo):
    """A server's rifts (`combat_rifts`, `combat_rift_raiders`)."""

    def _r(self, rift_id: int) -> Any:
        c = combat_rifts.c
        return (c.guild_id == self.guild_id) & (c.id == rift_id)

    async def create(self, values: dict[str, Any]) -> bool:
        """A new live rift (False: one is live here already)."""
        stmt = self.insert(combat_rifts).values(guild_id=self.guild_id, live=True, **values)
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    async def live(self) -> Any:
        c = combat_rifts.c
        return (
            await self.conn.execute(
                select(combat_rifts).where((c.guild_id == self.guild_id) & (c.live.is_(True)))
            )
        ).first()

    async def latest(self) -> Any:
        """The live rift, else the one that closed last (None: never a rift here)."""
        found = await self.live()
        if found is not None:
            return found
        c = combat_rifts.c
        return (
            await self.conn.execute(
                select(combat_rifts)
                .where(c.guild_id == self.guild_id)
                .order_by(c.opened_at.desc(), c.id.desc())
                .limit(1)
            )
        ).first()

    async def get(self, rift_id: int) -> Any:
        return (await self.conn.execute(select(combat_rifts).where(self._r(rift_id)))).first()

    async def change(self, rift_id: int, *, where: Any = None, **values: Any) -> Any:
        """Update the rift's row, conditionally on `where`: the row after, or None when the
        condition failed. The first write of every rift use case: its row lock."""
        cond = self._r(rift_id)
        if where is not None:
            cond = cond & where
        return (
            await self.conn.execute(
                update(combat_rifts).where(cond).values(**values).returning(*combat_rifts.c)
            )
        ).first()

    # The rift's changes, each one conditional UPDATE of its row (None: the condition failed).

    async def lock(self, rift_id: int) -> Any:
        """Take the row of a live rift (the first write of a use case): None once it is over."""
        c = combat_rifts.c
        return await self.change(rift_id, where=c.status == "open", status=c.status)

    async def close(self, rift_id: int, status: str, at: datetime | None) -> Any:
        """Close a live rift without a kill: `ended_at` is `at`, or its `closes_at` (None)."""
        c = combat_rifts.c
        when: Any = c.closes_at if at is None else at
        return await self.change(
            rift_id, where=c.status == "open", status=status, live=None, ended_at=when
        )

    async def defeat(self, rift_id: int, at: datetime) -> Any:
        c = combat_rifts.c
        return await self.change(
            rift_id, where=c.status == "open", status="defeated", live=None, ended_at=at
        )

    async def count_raider(self, rift_id: int, now: datetime) -> Any:
        """One more raider, while the rift is open and its time not up."""
        c = combat_rifts.c
        return await self.change(
            rift_id, where=(c.status == "open") & (c.closes_at > now), raiders=c.raiders + 1
        )

    async def grow(self, rift_id: int, max_hp: int, prize: int, added: int) -> Any:
        """The Rifter's new max HP and prize; its HP grows by the same `added`."""
        c = combat_rifts.c
        return await self.change(rift_id, max_hp=max_hp, hp=c.hp + added, prize=prize)

    async def hit(self, rift_id: int, damage: int, now: datetime) -> Any:
        """Take `damage` off a standing Rifter (never below 0; `last_hit` is what it really
        took): None when it is over, down already or its time is up."""
        c = combat_rifts.c
        return await self.change(
            rift_id,
            where=(c.status == "open") & (c.hp > 0) & (c.closes_at > now),
            hp=case((c.hp > damage, c.hp - damage), else_=0),
            last_hit=case((c.hp > damage, damage), else_=c.hp),
        )

    def _raiders(self, rift_id: int) -> Any:
        c = combat_rift_raiders.c
        return (c.guild_id == self.guild_id) & (c.rift_id == rift_id)

    async def record_attack(
        self, rift_id: int, user_id: int, seen: int, dealt: int, hp: int,
        downed_until: datetime | None, now: datetime,
    ) -> Any:  # fmt: skip
        """A raider's attack, counted if their attacks are still the `seen` count (of two of
        theirs at once, one counts) and they are in: the row after, or None."""
        r = combat_rift_raiders.c
        return await self.change_raider(
            rift_id, user_id,
            where=(r.attacks == seen) & r.left.is_(False),
            damage=r.damage + dealt, attacks=r.attacks + 1, hp=hp,
            downed_until=downed_until, last_attack_at=now,
        )  # fmt: skip

    async def leave(self, rift_id: int, user_id: int) -> Any:
        r = combat_rift_raiders.c
        return await self.change_raider(rift_id, user_id, where=r.left.is_(False), left=True)

    async def add_raider(self, rift_id: int, values: dict[str, Any]) -> bool:
        stmt = self.insert(combat_rift_raiders).values(
            guild_id=self.guild_id, rift_id=rift_id, **values
        )
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    async def raider(self, rift_id: int, user_id: int) -> Any:
        c = combat_rift_raiders.c
        return (
            await self.conn.execute(
                select(combat_rift_raiders).where(self._raiders(rift_id) & (c.user_id == user_id))
            )
        ).first()

    async def change_raider(
        self, rift_id: int, user_id: int, *, where: Any = None, **values: Any
    ) -> Any:
        """Update a raider's row (conditionally on `where`): the row after, or None."""
        c = combat_rift_raiders.c
        cond = self._raiders(rift_id) & (c.user_id == user_id)
        if where is not None:
            cond = cond & where
        return (
            await self.conn.execute(
                update(combat_rift_raiders)
                .where(cond)
                .values(**values)
                .returning(*combat_rift_raiders.c)
            )
        ).first()

    async def raiders(self, rift_id: int) -> list[Any]:
        """Every raider of the rift, most damage first (then the lower user id)."""
        c = combat_rift_raiders.c
        return list(
            await self.conn.execute(
                select(combat_rift_raiders)
                .where(self._raiders(rift_id))
                .order_by(c.damage.desc(), c.user_id)
            )
        )

    async def top(self, rift_id: int, limit: int) -> tuple[int, list[Any]]:
        """How many raiders are still in, and the `limit` first by damage (of those in)."""
        c = combat_rift_raiders.c
        inside = self._raiders(rift_id) & c.left.is_(False)
        count = (
            await self.conn.execute(
                select(func.count()).select_from(combat_rift_raiders).where(inside)
            )
        ).scalar_one()
        rows = await self.conn.execute(
            select(combat_rift_raiders)
            .where(inside)
            .order_by(c.damage.desc(), c.user_id)
            .limit(limit)
        )
        return int(count), list(rows)

    async def paid(self, rift_id: int, paid: dict[int, int]) -> None:
        """Every raider's share once settled (0 for those without one), in one executemany."""
        c = combat_rift_raiders.c
        rows = await self.raiders(rift_id)
        if not rows:
            return
        stmt = (
            update(combat_rift_raiders)
            .where(self._raiders(rift_id) & (c.user_id == bindparam("u")))
            .values(paid=bindparam("p"))
        )
        await self.conn.execute(
            stmt, [{"u": r.user_id, "p": paid.get(int(r.user_id), 0)} for r in rows]
        )
