"""Reading a member's row (the core `members` table), for every system that needs it, and the
server's member count (`member_counts`, kept exact by triggers on `members`: no count of a
large server's rows).

Money moves go through the `Wallet`; this is the plain read of everything else the row holds
(chat tallies, title, chat cooldown, when the record was made), in one place so that no
feature reads the table through another feature's store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from chibot.core.scope import Repo
from chibot.core.tables import member_counts, members


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int
    positive_messages: int
    negative_messages: int
    secret_words: int
    title: str | None
    chat_ready_at: datetime
    created_at: datetime


COLUMNS = [members.c[name] for name in MemberRow.__dataclass_fields__]
"""The columns of a `MemberRow`, in order (for queries that read the row with more)."""
_COLUMNS = COLUMNS


class Members(Repo):
    async def row(self, user_id: int) -> MemberRow | None:
        """The member's row in this server, or None if they have no record here."""
        m = members.c
        found = (
            await self.conn.execute(
                select(*_COLUMNS).where((m.guild_id == self.guild_id) & (m.user_id == user_id))
            )
        ).first()
        return MemberRow(*found) if found else None

    async def count(self) -> int:
        """How many members have a record in this server (one primary-key read)."""
        found = (
            await self.conn.execute(
                select(member_counts.c.members).where(member_counts.c.guild_id == self.guild_id)
            )
        ).scalar_one_or_none()
        return int(found or 0)
