"""Progress tables and queries: unlocked achievements and claimed milestones, plus the reads
of the member row and the ledger that `level`, `stats` and `cooldowns` need (read here rather
than through another feature's store: a feature calls another's service, never its store).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, String, Table, and_, bindparam, case, func, select

from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, counters, ledger, members, metadata
from chibot.features.progress.rules import LedgerTotal

achievements = Table(
    "achievements",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("achievement_id", String(48), primary_key=True),
    Column("unlocked_at", UtcDateTime, nullable=False),
)

milestones = Table(
    "milestones",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("milestone_id", String(48), primary_key=True),
    Column("claimed_at", UtcDateTime, nullable=False),
)


def _profile_numbers() -> Any:
    a, c = achievements.c, counters.c
    g, u = bindparam("g", type_=BigInteger), bindparam("u", type_=BigInteger)
    hp = (
        select(c.value)
        .where((c.guild_id == g) & (c.user_id == u) & (c.name == "permanent_hp"))
        .scalar_subquery()
    )
    count = (
        select(func.count(a.achievement_id))
        .where((a.guild_id == g) & (a.user_id == u))
        .scalar_subquery()
    )
    return select(hp.label("hp"), count.label("n"))


_PROFILE_NUMBERS = _profile_numbers()


class ProgressStore(Repo):
    async def ledger_totals(self, user_id: int) -> list[LedgerTotal]:
        """The member's ledger in this server, summed per (currency, reason, sign) in SQL
        (the rows are found through `ix_ledger_user`)."""
        lg = ledger.c
        sign = case((lg.delta > 0, 1), else_=-1).label("sign")
        rows = await self.conn.execute(
            select(
                lg.currency,
                lg.reason,
                sign,
                func.sum(lg.delta).label("total"),
                func.count().label("n"),
            )
            .where((lg.guild_id == self.guild_id) & (lg.user_id == user_id))
            .group_by(lg.currency, lg.reason, sign)
            .order_by(lg.currency, lg.reason, sign)
        )
        return [
            LedgerTotal(r.currency, r.reason, int(r.sign), int(r.total), int(r.n)) for r in rows
        ]

    async def ledger_sum(self, user_id: int, reason: str, currency: str = "chi") -> int:
        """Sum of the member's chi moves with one reason (e.g. all achievement rewards)."""
        lg = ledger.c
        total = (
            await self.conn.execute(
                select(func.coalesce(func.sum(lg.delta), 0)).where(
                    (lg.guild_id == self.guild_id)
                    & (lg.user_id == user_id)
                    & (lg.reason == reason)
                    & (lg.currency == currency)
                )
            )
        ).scalar_one()
        return int(total)

    async def unlocked(self, user_id: int) -> dict[str, datetime]:
        a = achievements.c
        rows = await self.conn.execute(
            select(a.achievement_id, a.unlocked_at).where(
                (a.guild_id == self.guild_id) & (a.user_id == user_id)
            )
        )
        return {r.achievement_id: r.unlocked_at for r in rows}

    async def profile_numbers(self, user_id: int) -> tuple[int, int]:
        """(permanent HP, achievements unlocked) for the profile card, in ONE statement (two
        scalar subqueries, built once: `_PROFILE_NUMBERS`): the card is the most used read of
        the game."""
        params = {"g": self.guild_id, "u": user_id}
        row = (await self.conn.execute(_PROFILE_NUMBERS, params)).one()
        return int(row.hp or 0), int(row.n or 0)

    async def unlock(self, user_id: int, achievement_id: str) -> bool:
        """Record an unlock; False if it was already there (so the reward is paid once)."""
        stmt = self.insert(achievements).values(
            guild_id=self.guild_id,
            user_id=user_id,
            achievement_id=achievement_id,
            unlocked_at=self.scope.now(),
        )
        result = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(achievements.c.achievement_id)
        )
        return result.first() is not None

    async def claimed(self, user_id: int) -> set[str]:
        m = milestones.c
        rows = await self.conn.execute(
            select(m.milestone_id).where((m.guild_id == self.guild_id) & (m.user_id == user_id))
        )
        return {r.milestone_id for r in rows}

    async def claim(self, user_id: int, milestone_id: str) -> bool:
        stmt = self.insert(milestones).values(
            guild_id=self.guild_id,
            user_id=user_id,
            milestone_id=milestone_id,
            claimed_at=self.scope.now(),
        )
        result = await self.conn.execute(
            stmt.on_conflict_do_nothing().returning(milestones.c.milestone_id)
        )
        return result.first() is not None

    async def member_number(self, user_id: int, *, up_to: int | None = None) -> int | None:
        """The member's place among this server's members, by when their record was created
        (ties by user id); None without a record. With `up_to`, counting stops there: the
        answer is exact up to `up_to` and `up_to + 1` beyond (the query then stops after a few
        rows instead of counting a large server's members on every check)."""
        m = members.c
        mine = (
            await self.conn.execute(
                select(m.created_at).where((m.guild_id == self.guild_id) & (m.user_id == user_id))
            )
        ).scalar_one_or_none()
        if mine is None:
            return None
        before = and_(
            m.guild_id == self.guild_id,
            (m.created_at < mine) | ((m.created_at == mine) & (m.user_id < user_id)),
        )
        if up_to is None:
            count = select(func.count()).select_from(members).where(before)
        else:
            earlier = select(m.user_id).where(before).limit(up_to).subquery()
            count = select(func.count()).select_from(earlier)
        return (await self.conn.execute(count)).scalar_one() + 1

    async def chat_window(self, user_id: int) -> tuple[datetime, int] | None:
        """When the member's current hour of chat chi started and what it has earned so far
        (the hourly cap's state, kept on the member row by the chat award), or None."""
        m = members.c
        found = (
            await self.conn.execute(
                select(m.chat_window_start, m.chat_window_earned).where(
                    (m.guild_id == self.guild_id) & (m.user_id == user_id)
                )
            )
        ).first()
        return (found[0], int(found[1])) if found is not None else None
