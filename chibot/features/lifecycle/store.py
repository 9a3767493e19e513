"""Queries of the server lifecycle: the `guilds` records, and the purge of a server's rows."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Final, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chibot.core.scope import Repo
from chibot.core.tables import guilds, metadata


class _Missing(enum.Enum):
    """The type of `_MISSING`: a sentinel the type checker can tell apart by identity."""

    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING


class GuildRecord(Repo):
    async def left_at(self) -> datetime | None | Literal[_Missing.MISSING]:
        """When the bot left this server; None if present; `_MISSING` if never seen."""
        row = (
            await self.conn.execute(
                select(guilds.c.left_at).where(guilds.c.guild_id == self.guild_id)
            )
        ).first()
        return _MISSING if row is None else row.left_at

    async def mark_joined(self, name: str) -> None:
        stmt = self.insert(guilds).values(
            guild_id=self.guild_id, name=name[:100], joined_at=self.scope.now(), left_at=None
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[guilds.c.guild_id], set_={"name": name[:100], "left_at": None}
            )
        )

    async def mark_left(self) -> bool:
        result = await self.conn.execute(
            update(guilds)
            .where((guilds.c.guild_id == self.guild_id) & guilds.c.left_at.is_(None))
            .values(left_at=self.scope.now())
        )
        return result.rowcount > 0

    async def delete_everything(self) -> None:
        """Every row of this server in every per-server table (children first)."""
        for table in reversed(metadata.sorted_tables):
            if "guild_id" in table.c:
                await self.conn.execute(delete(table).where(table.c.guild_id == self.guild_id))


async def present_guild_ids(conn: AsyncConnection) -> set[int]:
    """Bot-wide read: the servers the database believes the bot is in."""
    rows = await conn.execute(select(guilds.c.guild_id).where(guilds.c.left_at.is_(None)))
    return {r.guild_id for r in rows}
