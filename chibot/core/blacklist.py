"""Blacklists: a server's own (its guild id) and the bot-wide one (guild id 0).

A blacklisted user earns nothing and can use no command; `is_blocked` checks both lists at once.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select

from chibot.core.scope import Repo
from chibot.core.tables import GLOBAL_GUILD, blacklist

#: Is `u` on the list of server `g` or the bot-wide one (a prebuilt statement: every
#: command's check reads it).
_BLOCKED = (
    select(blacklist.c.user_id)
    .where(
        ((blacklist.c.guild_id == bindparam("g")) | (blacklist.c.guild_id == GLOBAL_GUILD))
        & (blacklist.c.user_id == bindparam("u"))
    )
    .limit(1)
)


class Blacklist(Repo):
    async def is_blocked(self, user_id: int) -> bool:
        """True if the user is on this server's list or on the bot-wide one."""
        row = await self.conn.execute(_BLOCKED, {"g": self.guild_id, "u": user_id})
        return row.first() is not None

    async def add(self, user_id: int, by_id: int, reason: str | None = None) -> bool:
        stmt = self.insert(blacklist).values(
            guild_id=self.guild_id, user_id=user_id, by_id=by_id, reason=reason, at=self.scope.now()
        )
        result = await self.conn.execute(stmt.on_conflict_do_nothing())
        return result.rowcount == 1

    async def remove(self, user_id: int) -> bool:
        result = await self.conn.execute(
            delete(blacklist).where(
                (blacklist.c.guild_id == self.guild_id) & (blacklist.c.user_id == user_id)
            )
        )
        return result.rowcount == 1

    async def list(self) -> list[int]:
        rows = await self.conn.execute(
            select(blacklist.c.user_id)
            .where(blacklist.c.guild_id == self.guild_id)
            .order_by(blacklist.c.user_id)
        )
        return [r.user_id for r in rows]
