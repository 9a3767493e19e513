"""Lifecycle use cases.

- Joining creates the server's record (settings are defaults until set: nothing to write).
- Leaving (or the server being deleted) keeps every row and schedules a purge 30 days later; a
  re-invite within that time cancels it, so everything is restored as it was.
- `reconcile` compares the servers Discord says the bot is in with the database, at start-up
  and on every reconnect, so joins and leaves that happened while offline are applied.
- The purge deletes every row of that server from every per-server table; it re-checks that
  the server is still gone and that 30 days have passed, so a late or duplicate job is harmless.
Members leaving and rejoining a server keep their data: nothing is deleted for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chibot.core.db import Database
from chibot.core.scheduler import Job, Jobs
from chibot.core.scope import GuildScope
from chibot.core.tables import GLOBAL_GUILD
from chibot.features.lifecycle.store import _MISSING, GuildRecord, present_guild_ids

RETENTION = timedelta(days=30)
PURGE = "purge_guild"


@dataclass(frozen=True, slots=True)
class JoinResult:
    guild_id: int
    returning: bool  # the bot had been here before and the data was kept


class LifecycleService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def joined(self, guild_id: int, name: str) -> JoinResult:
        async def tx(scope: GuildScope) -> JoinResult:
            record = scope.get(GuildRecord)
            seen_before = await record.left_at() is not _MISSING
            await record.mark_joined(name)
            await scope.get(Jobs).cancel(PURGE)
            return JoinResult(guild_id, returning=seen_before)

        return await self.db.scoped(guild_id, tx)

    async def left(self, guild_id: int) -> None:
        async def tx(scope: GuildScope) -> None:
            if await scope.get(GuildRecord).mark_left():
                await scope.get(Jobs).schedule(PURGE, scope.now() + RETENTION)

        await self.db.scoped(guild_id, tx)

    async def reconcile(
        self, present: dict[int, str], mine: Callable[[int], bool] = lambda _g: True
    ) -> tuple[list[int], list[int]]:
        """Apply joins and leaves missed while offline; returns (joined, left) server ids.
        `mine` limits it to the servers of this process's shards: another process's servers
        are not "gone" just because this one does not see them."""
        async with self.db.transaction() as conn:
            known = {g for g in await present_guild_ids(conn) if mine(g)}
        joined = [g for g in present if g not in known]
        gone = [g for g in known if g not in present]
        for guild_id in joined:
            await self.joined(guild_id, present[guild_id])
        for guild_id in gone:
            await self.left(guild_id)
        return joined, gone

    async def purge(self, guild_id: int) -> bool:
        """Delete everything of a server that left more than 30 days ago; False if it came
        back or is not due."""
        if guild_id == GLOBAL_GUILD:
            raise ValueError("the bot-wide records are never purged")

        async def tx(scope: GuildScope) -> bool:
            record = scope.get(GuildRecord)
            left_at = await record.left_at()
            if left_at is _MISSING or left_at is None or left_at + RETENTION > scope.now():
                return False
            await record.delete_everything()
            return True

        return await self.db.scoped(guild_id, tx)


async def run_purge(app: Any, job: Job) -> None:
    """The `purge_guild` job (declared in the manifest)."""
    await app.lifecycle.purge(job.guild_id)
