"""Shop queries. Items themselves live in the core `inventory` and `chest` tables (moved by
`chibot.core.holdings`); money in the core `members` table (moved by `chibot.core.wallet`).
This module holds the two queries the shop needs beyond those: the member-row lock that
orders every shop transaction of a member, and the member's title.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from chibot.core.scope import Repo
from chibot.core.tables import members


class ShopStore(Repo):
    def _key(self, user_id: int) -> ColumnElement[bool]:
        return (members.c.guild_id == self.guild_id) & (members.c.user_id == user_id)

    async def lock_member(self, user_id: int) -> None:
        """Take the member's row lock first (PostgreSQL), so that a member's shop transactions
        run one after another: two of them can neither interleave their checks nor deadlock
        (every one takes the member row before any item row). SQLite needs nothing: its
        transactions start with `BEGIN IMMEDIATE` and run one at a time."""
        if self.dialect == "postgresql":
            await self.conn.execute(
                select(members.c.user_id).where(self._key(user_id)).with_for_update()
            )

    async def set_title(self, user_id: int, title: str | None) -> None:
        """Set (or clear) the member's title in this server, creating their row if needed."""
        stmt = self.insert(members).values(
            guild_id=self.guild_id, user_id=user_id, created_at=self.scope.now(), title=title
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[members.c.guild_id, members.c.user_id],
                set_={"title": stmt.excluded.title},
            )
        )

    async def title(self, user_id: int) -> str | None:
        return (
            await self.conn.execute(select(members.c.title).where(self._key(user_id)))
        ).scalar_one_or_none()
