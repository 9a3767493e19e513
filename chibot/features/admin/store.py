"""Administration queries: wiping one member, or a whole server, for a reset.

What a reset keeps: the chest (it is the storage that survives resets), the ledger and the
audit trail (history is append-only: the reset writes zeroing ledger rows instead), the
blacklist, and the server's settings and records.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, select

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import ledger, members, metadata

KEEP = frozenset({"chest", "ledger", "audit", "blacklist", "guilds", "guild_settings", "jobs"})


def _wiped_tables() -> list[Table]:
    return [
        t
        for t in reversed(metadata.sorted_tables)
        if t.name not in KEEP and "user_id" in t.c and "guild_id" in t.c
    ]


class Wipe(Repo):
    async def _zero_ledger(self, *, user_id: int | None, reason: str, ref: str) -> tuple[int, int]:
        """Ledger rows taking every balance to zero; returns (chi, rebirths) removed in total."""
        m = members.c
        query = select(m.user_id, m.chi, m.rebirths).where(m.guild_id == self.guild_id)
        if user_id is not None:
            query = query.where(m.user_id == user_id)
        now, rows, chi, rebirths = self.scope.now(), [], 0, 0
        for r in await self.conn.execute(query):
            for currency, value in (("chi", r.chi), ("rebirths", r.rebirths)):
                if value:
                    rows.append(
                        {
                            "guild_id": self.guild_id,
                            "id": new_id(),
                            "user_id": r.user_id,
                            "delta": -value,
                            "currency": currency,
                            "reason": reason,
                            "ref": ref,
                            "balance_after": 0,
                            "at": now,
                        }
                    )
            chi, rebirths = chi + r.chi, rebirths + r.rebirths
        if rows:
            await self.conn.execute(ledger.insert(), rows)
        return chi, rebirths

    async def member(self, user_id: int, *, reason: str, ref: str) -> None:
        await self._zero_ledger(user_id=user_id, reason=reason, ref=ref)
        for table in _wiped_tables():
            await self.conn.execute(
                delete(table).where(
                    (table.c.guild_id == self.guild_id) & (table.c.user_id == user_id)
                )
            )

    async def server(self, *, reason: str, ref: str) -> tuple[int, int, int]:
        """Wipe every member of this server; returns (members, chi, rebirths) removed."""
        count = len(
            (
                await self.conn.execute(
                    select(members.c.user_id).where(members.c.guild_id == self.guild_id)
                )
            ).all()
        )
        chi, rebirths = await self._zero_ledger(user_id=None, reason=reason, ref=ref)
        for table in _wiped_tables():
            await self.conn.execute(delete(table).where(table.c.guild_id == self.guild_id))
        return count, chi, rebirths
