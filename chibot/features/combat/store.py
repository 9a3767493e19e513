"""Combat's tables. Every table is per server (`guild_id` first in every key).

- `combat_loadouts`: the weapon a member chose to fight with (`equip`). A member who never
  chose fights with the strongest weapon they hold, so the row only records a choice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, String, Table, select

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

TABLES = (combat_loadouts,)


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
