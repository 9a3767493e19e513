"""The error log: each bug a member ran into, kept for the server it happened in (`log`).

When a command or a button fails in a way nobody planned for, the member sees "Something went
wrong on my side. Error id `ab12cd34`" and the traceback goes to the process log. The same id
is written here with where it happened, the error's type and the first line of its message,
so that a server's admins can look it up (`log`, `log <id>`) and pass it on, without reading
the host's logs. Unlike the old bot's portal (one list for every server, user names and
message links included), each server sees only its own entries: the table is keyed by server.

Kept small on purpose: entries older than `KEEP` are dropped, and at most `CAP` per server are
kept, both on every write (one indexed DELETE each). It is operational data, not the game:
no export carries it and no reset needs to; a departed server's purge removes it with the rest.
Writes go through `Database.scoped` (retried on a transient conflict), reads through
`Database.read` (SQLite's read-only pool). Recording never fails the reply: a database error
here is logged and swallowed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.tables import error_log

log = logging.getLogger(__name__)

KEEP = timedelta(days=7)
CAP = 1_000
PAGE = 10


@dataclass(frozen=True)
class Entry:
    guild_id: int
    error_id: str
    user_id: int
    place: str
    kind: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    total: int
    page: int
    pages: int


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else "")[:300]


class ErrorLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, guild_id: int, user_id: int, error_id: str, place: str, error: BaseException
    ) -> None:
        """Keep one bug under `error_id`, and drop what is past `KEEP` or `CAP`."""
        try:
            await self.db.scoped(guild_id, _record, user_id, error_id, place, error)
        except Exception:  # the member's answer matters more than the log
            log.warning("could not record error %s", error_id, exc_info=True)

    async def page(self, guild_id: int | None, page: int) -> Page:
        """One page of this server's entries (None: every server's, for the bot's owners),
        newest first (`page` clamped to the pages)."""
        return await self.db.read(guild_id or 0, _page, guild_id, page)

    async def find(self, guild_id: int, error_id: str) -> Entry | None:
        return await self.db.read(guild_id, _find, error_id.strip().lower()[:16])


async def _record(
    scope: GuildScope, user_id: int, error_id: str, place: str, error: BaseException
) -> None:
    now, g, c = scope.now(), scope.guild_id, error_log.c
    await scope.conn.execute(
        error_log.insert().values(
            guild_id=g,
            error_id=error_id[:16],
            user_id=user_id,
            place=place[:100],
            kind=type(error).__name__[:100],
            detail=_first_line(error),
            at=now,
        )
    )
    await scope.conn.execute(delete(error_log).where(c.guild_id == g, c.at < now - KEEP))
    oldest_kept = (
        select(c.at)
        .where(c.guild_id == g)
        .order_by(c.at.desc())
        .offset(CAP - 1)
        .limit(1)
        .scalar_subquery()
    )
    await scope.conn.execute(delete(error_log).where(c.guild_id == g, c.at < oldest_kept))


async def _page(scope: GuildScope, guild_id: int | None, page: int) -> Page:
    c = error_log.c
    where = [c.guild_id == guild_id] if guild_id is not None else []
    total = (
        await scope.conn.execute(select(func.count()).select_from(error_log).where(*where))
    ).scalar_one()
    pages = max(1, -(-total // PAGE))
    page = min(max(1, page), pages)
    rows = await scope.conn.execute(
        select(error_log)
        .where(*where)
        .order_by(c.at.desc(), c.error_id)
        .offset((page - 1) * PAGE)
        .limit(PAGE)
    )
    return Page([_entry(r) for r in rows], total, page, pages)


async def _find(scope: GuildScope, error_id: str) -> Entry | None:
    c = error_log.c
    row = (
        await scope.conn.execute(
            select(error_log).where(c.guild_id == scope.guild_id, c.error_id == error_id)
        )
    ).first()
    return _entry(row) if row is not None else None


def _entry(row: object) -> Entry:
    r = row._mapping  # type: ignore[attr-defined]
    return Entry(
        r["guild_id"], r["error_id"], r["user_id"], r["place"], r["kind"], r["detail"], r["at"]
    )
