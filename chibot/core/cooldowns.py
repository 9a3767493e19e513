"""Cooldowns stored in the database and charged only when the action commits.

`claim` is one conditional upsert: it sets the new ready time only where the old one has
passed. It runs inside the action's transaction, so an action that is refused afterwards (not
enough chi, nothing to claim...) rolls the cooldown back with everything else: a failed
command costs no cooldown. Concurrent claims are serialised by the row: exactly one wins.
Keys are full command paths (`daily`, `pet feed`), per member and per server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.errors import OnCooldown
from chibot.core.scope import Repo
from chibot.core.tables import cooldowns


@dataclass(frozen=True, slots=True)
class Cooldown:
    action: str
    ready_at: datetime


@cache
def _claim(dialect: str) -> Any:
    """INSERT the cooldown (`g`, `u`, action `a`, ready at `ready`), or move an existing one
    that has run out by `now`; RETURNING the new time only if it was claimed."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    c = cooldowns.c
    stmt = dialect_insert(cooldowns).values(
        guild_id=bindparam("g"),
        user_id=bindparam("u"),
        action=bindparam("a"),
        ready_at=bindparam("ready"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[c.guild_id, c.user_id, c.action],
        set_={"ready_at": stmt.excluded.ready_at},
        where=c.ready_at <= bindparam("now", type_=c.ready_at.type),
    ).returning(c.ready_at)


class Cooldowns(Repo):
    async def claim(self, user_id: int, action: str, until: datetime | timedelta) -> datetime:
        """Start `action`'s cooldown until `until` (a time, or a duration from now) or raise
        `OnCooldown` with the time it will be ready."""
        now = self.scope.now()
        ready_at = now + until if isinstance(until, timedelta) else until
        params = {"g": self.guild_id, "u": user_id, "a": action, "ready": ready_at, "now": now}
        if (await self.conn.execute(_claim(self.dialect), params)).first() is None:
            current = await self.ready_at(user_id, action)
            raise OnCooldown(action, current or now)
        return ready_at

    async def ready_at(self, user_id: int, action: str) -> datetime | None:
        return (
            await self.conn.execute(
                select(cooldowns.c.ready_at).where(
                    (cooldowns.c.guild_id == self.guild_id)
                    & (cooldowns.c.user_id == user_id)
                    & (cooldowns.c.action == action)
                )
            )
        ).scalar_one_or_none()

    async def active(self, user_id: int) -> list[Cooldown]:
        """Every cooldown of the member that has not run out yet, soonest first."""
        rows = await self.conn.execute(
            select(cooldowns.c.action, cooldowns.c.ready_at)
            .where(
                (cooldowns.c.guild_id == self.guild_id)
                & (cooldowns.c.user_id == user_id)
                & (cooldowns.c.ready_at > self.scope.now())
            )
            .order_by(cooldowns.c.ready_at)
        )
        return [Cooldown(r.action, r.ready_at) for r in rows]
