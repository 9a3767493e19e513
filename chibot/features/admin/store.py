"""Administration queries: wiping one member, or a whole server, for a reset.

What a reset keeps: the chest (it is the storage that survives resets), the ledger and the
audit trail (history is append-only: the reset writes zeroing ledger rows instead), the
blacklist, and the server's settings and records.

A reset races money moves (a chat award, `chiadd`, a purchase). It therefore takes the values
it zeroes from the rows it deletes (`DELETE ... RETURNING`), never from an earlier read: on
PostgreSQL the member rows are first locked (`SELECT ... FOR UPDATE`, in user-id order like a
transfer), so a move either commits before the reset reads the row (and is wiped with it) or
waits for the reset and lands on a fresh row afterwards; SQLite serialises writers already.
Either way every member's ledger still sums to their balance.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, delete, select

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import ledger, members, metadata

KEEP = frozenset({"chest", "ledger", "audit", "blacklist", "guilds", "guild_settings", "jobs"})


def _wiped_tables() -> list[Table]:
    return [
        t
        for t in reversed(metadata.sorted_tables)
        if t.name not in KEEP and "user_id" in t.c and "guild_id" in t.c and t is not members
    ]


@dataclass(frozen=True, slots=True)
class Wiped:
    """What one member had when their row was deleted (what the zeroing ledger rows remove)."""

    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int


class Wipe(Repo):
    def _members_where(self, user_id: int | None) -> ColumnElement[bool]:
        where = members.c.guild_id == self.guild_id
        if user_id is not None:
            where = where & (members.c.user_id == user_id)
        return where

    async def _wipe(self, *, user_id: int | None, reason: str, ref: str) -> list[Wiped]:
        m = members.c
        if self.dialect == "postgresql":
            await self.conn.execute(
                select(m.user_id)
                .where(self._members_where(user_id))
                .order_by(m.user_id)
                .with_for_update()
            )
        for table in _wiped_tables():
            where = table.c.guild_id == self.guild_id
            if user_id is not None:
                where = where & (table.c.user_id == user_id)
            await self.conn.execute(delete(table).where(where))
        deleted = await self.conn.execute(
            delete(members)
            .where(self._members_where(user_id))
            .returning(m.user_id, m.chi, m.rebirths, m.lifetime_chi)
        )
        wiped = sorted(
            (Wiped(r.user_id, r.chi, r.rebirths, r.lifetime_chi) for r in deleted),
            key=lambda w: w.user_id,
        )
        now, rows = self.scope.now(), []
        for w in wiped:
            for currency, value in (("chi", w.chi), ("rebirths", w.rebirths)):
                if value:
                    rows.append(
                        {
                            "guild_id": self.guild_id,
                            "id": new_id(),
                            "user_id": w.user_id,
                            "delta": -value,
                            "currency": currency,
                            "reason": reason,
                            "ref": ref,
                            "balance_after": 0,
                            "at": now,
                        }
                    )
        if rows:
            await self.conn.execute(ledger.insert(), rows)
        return wiped

    async def member(self, user_id: int, *, reason: str, ref: str) -> Wiped:
        """Wipe one member; returns what their row held (zeros if they had none)."""
        wiped = await self._wipe(user_id=user_id, reason=reason, ref=ref)
        return wiped[0] if wiped else Wiped(user_id, 0, 0, 0)

    async def server(self, *, reason: str, ref: str) -> list[Wiped]:
        """Wipe every member of this server; returns what each member row held."""
        return await self._wipe(user_id=None, reason=reason, ref=ref)
