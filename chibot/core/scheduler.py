"""Scheduled jobs: rows in `jobs`, due at a time, claimed with a lease, run once.

`schedule` (inside a use case's transaction) upserts a job; `due` claims up to N due jobs by
setting a lease, so a second process skips them; the runner calls the handler registered for
the job's kind and deletes the job when it succeeds (a failure leaves it to be retried when the
lease runs out). Handlers are declared in the systems' manifests (`System.jobs`) and reach the
runner through the registry (`Registry.job_handlers`).
A process only runs jobs of servers on its own shards (`owns`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from chibot.core.db import Database
from chibot.core.scope import Repo
from chibot.core.tables import jobs

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Job:
    guild_id: int
    kind: str
    key: str
    due_at: datetime
    payload: Any


Handler = Callable[[Any, Job], Awaitable[None]]
"""`handler(app, job)`."""


def owns(guild_id: int, shard_ids: list[int] | None, shard_count: int | None) -> bool:
    """Whether this process runs that server's jobs (Discord's shard formula; guild 0: shard 0)."""
    if not shard_ids or not shard_count:
        return True
    return ((guild_id >> 22) % shard_count) in shard_ids


class Jobs(Repo):
    async def schedule(
        self, kind: str, due_at: datetime, key: str = "", payload: Any = None
    ) -> None:
        stmt = self.insert(jobs).values(
            guild_id=self.guild_id,
            kind=kind,
            key=key,
            due_at=due_at,
            payload=payload,
            leased_until=None,
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[jobs.c.guild_id, jobs.c.kind, jobs.c.key],
                set_={"due_at": due_at, "payload": stmt.excluded.payload, "leased_until": None},
            )
        )

    async def cancel(self, kind: str, key: str = "") -> bool:
        result = await self.conn.execute(
            delete(jobs).where(
                (jobs.c.guild_id == self.guild_id) & (jobs.c.kind == kind) & (jobs.c.key == key)
            )
        )
        return result.rowcount > 0

    async def pending(self) -> list[Job]:
        rows = await self.conn.execute(
            select(jobs).where(jobs.c.guild_id == self.guild_id).order_by(jobs.c.due_at)
        )
        return [Job(r.guild_id, r.kind, r.key, r.due_at, r.payload) for r in rows]


async def claim_due(
    db: Database, mine: Callable[[int], bool] = lambda _g: True, limit: int = 50
) -> list[Job]:
    """Lease up to `limit` due jobs of the servers `mine` accepts to this process."""
    now = db.clock.now()
    free = or_(jobs.c.leased_until.is_(None), jobs.c.leased_until < now)
    async with db.transaction() as conn:
        rows = (
            await conn.execute(
                select(jobs.c.guild_id, jobs.c.kind, jobs.c.key)
                .where(and_(jobs.c.due_at <= now, free))
                .order_by(jobs.c.due_at)
                .limit(limit)
            )
        ).all()
        claimed = []
        for r in rows:
            if not mine(r.guild_id):
                continue
            got = (
                await conn.execute(
                    update(jobs)
                    .where(
                        (jobs.c.guild_id == r.guild_id)
                        & (jobs.c.kind == r.kind)
                        & (jobs.c.key == r.key)
                        & free
                    )
                    .values(leased_until=now + LEASE)
                    .returning(
                        jobs.c.guild_id, jobs.c.kind, jobs.c.key, jobs.c.due_at, jobs.c.payload
                    )
                )
            ).first()
            if got:
                claimed.append(Job(got.guild_id, got.kind, got.key, got.due_at, got.payload))
        return claimed


async def run_due(
    db: Database,
    app: Any,
    *,
    handlers: Mapping[str, Handler] | None = None,
    shard_ids: list[int] | None = None,
    shard_count: int | None = None,
) -> int:
    """Run every due job this process owns; returns how many succeeded. `handlers` defaults
    to the job handlers of the app's systems."""
    known = handlers if handlers is not None else app.registry.job_handlers
    done = 0
    for job in await claim_due(db, lambda g: owns(g, shard_ids, shard_count)):
        run = known.get(job.kind)
        if run is None:
            log.warning("no handler for job kind %s", job.kind)
            continue
        try:
            await run(app, job)
        except Exception:
            log.exception(
                "job %s/%s of guild %s failed; it will be retried", job.kind, job.key, job.guild_id
            )
            continue
        async with db.transaction() as conn:
            await conn.execute(
                delete(jobs).where(
                    (jobs.c.guild_id == job.guild_id)
                    & (jobs.c.kind == job.kind)
                    & (jobs.c.key == job.key)
                    & (jobs.c.due_at == job.due_at)
                )
            )
        done += 1
    return done
