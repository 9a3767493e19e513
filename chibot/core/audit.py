"""The audit trail: who did what to whom, where, with the values before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import audit


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    actor_id: int
    action: str
    target_id: int | None
    before: Any
    after: Any
    note: str | None
    at: datetime


class AuditLog(Repo):
    async def write(
        self,
        actor_id: int,
        action: str,
        *,
        target_id: int | None = None,
        before: Any = None,
        after: Any = None,
        note: str | None = None,
    ) -> int:
        entry_id = new_id()
        await self.conn.execute(
            audit.insert().values(
                guild_id=self.guild_id,
                id=entry_id,
                actor_id=actor_id,
                action=action,
                target_id=target_id,
                before=before,
                after=after,
                note=note,
                at=self.scope.now(),
            )
        )
        return entry_id

    async def recent(self, limit: int = 20) -> list[AuditEntry]:
        rows = await self.conn.execute(
            select(audit)
            .where(audit.c.guild_id == self.guild_id)
            .order_by(audit.c.id.desc())
            .limit(limit)
        )
        return [
            AuditEntry(r.id, r.actor_id, r.action, r.target_id, r.before, r.after, r.note, r.at)
            for r in rows
        ]
