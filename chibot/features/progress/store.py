"""Progress tables and queries: unlocked achievements and claimed milestones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, String, Table, and_, func, select

from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, members, metadata

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


class ProgressStore(Repo):
    async def unlocked(self, user_id: int) -> dict[str, datetime]:
        a = achievements.c
        rows = await self.conn.execute(
            select(a.achievement_id, a.unlocked_at).where((a.guild_id == self.guild_id) & (a.user_id == user_id))
        )
        return {r.achievement_id: r.unlocked_at for r in rows}

    async def unlock(self, user_id: int, achievement_id: str) -> bool:
        """Record an unlock; False if it was already there (so the reward is paid once)."""
        stmt = self.insert(achievements).values(
            guild_id=self.guild_id, user_id=user_id, achievement_id=achievement_id, unlocked_at=self.scope.now()
        )
        result = await self.conn.execute(stmt.on_conflict_do_nothing().returning(achievements.c.achievement_id))
        return result.first() is not None

    async def claimed(self, user_id: int) -> set[str]:
        m = milestones.c
        rows = await self.conn.execute(
            select(m.milestone_id).where((m.guild_id == self.guild_id) & (m.user_id == user_id))
        )
        return {r.milestone_id for r in rows}

    async def claim(self, user_id: int, milestone_id: str) -> bool:
        stmt = self.insert(milestones).values(
            guild_id=self.guild_id, user_id=user_id, milestone_id=milestone_id, claimed_at=self.scope.now()
        )
        result = await self.conn.execute(stmt.on_conflict_do_nothing().returning(milestones.c.milestone_id))
        return result.first() is not None

    async def member_number(self, user_id: int) -> int | None:
        """The member's place among this server's members, by when their record was created."""
        m = members.c
        mine = (
            await self.conn.execute(select(m.created_at).where((m.guild_id == self.guild_id) & (m.user_id == user_id)))
        ).scalar_one_or_none()
        if mine is None:
            return None
        before = and_(
            m.guild_id == self.guild_id,
            (m.created_at < mine) | ((m.created_at == mine) & (m.user_id < user_id)),
        )
        return (await self.conn.execute(select(func.count()).select_from(members).where(before))).scalar_one() + 1
