"""Reading a member's row (the core `members` table), for every system that needs it.

Money moves go through the `Wallet`; this is the plain read of everything else the row holds
(chat tallies, title, chat cooldown, when the record was made), in one place so that no
feature reads the table through another feature's store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from chibot.core.scope import Repo
from chibot.core.tables import members


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


_COLUMNS = [members.c[name] for name in MemberRow.__dataclass_fields__]


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
