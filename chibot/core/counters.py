"""Per-member counters: tallies (`bump`) and high-water gauges (`raise_to`).

Systems record what members do (`purchases`, `dailies`, `duel_wins`...) in the same transaction
as the action; `stats`, achievements and milestones read them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from chibot.core.scope import Repo
from chibot.core.tables import counters


class Counters(Repo):
    async def bump(self, user_id: int, name: str, by: int = 1) -> int:
        """Add `by` (may be negative for gauges that go down); returns the new value."""
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=by
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name],
            set_={"value": c.value + stmt.excluded.value},
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def set(self, user_id: int, name: str, value: int) -> int:
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=value
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name], set_={"value": stmt.excluded.value}
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def raise_to(self, user_id: int, name: str, value: int) -> int:
        """Keep the highest value seen (a record: longest streak, highest HP)."""
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=value
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name],
            set_={
                "value": func.max(c.value, stmt.excluded.value)
                if self.dialect == "sqlite"
                else func.greatest(c.value, stmt.excluded.value)
            },
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def get(self, user_id: int, name: str) -> int:
        c = counters.c
        value = (
            await self.conn.execute(
                select(c.value).where(
                    (c.guild_id == self.guild_id) & (c.user_id == user_id) & (c.name == name)
                )
            )
        ).scalar_one_or_none()
        return value or 0

    async def all(self, user_id: int) -> dict[str, int]:
        c = counters.c
        rows = await self.conn.execute(
            select(c.name, c.value).where((c.guild_id == self.guild_id) & (c.user_id == user_id))
        )
        return {r.name: r.value for r in rows}
