"""The database: one async engine, one transaction per use case, SQLite or PostgreSQL.

Every service call runs as ONE transaction through `Database.scoped` (or `Database.transaction`):
read, decide, write, commit, and only then does the cog reply. A `UserError` raised inside rolls
everything back, cooldowns included, so a refused command costs nothing.

SQLite (the default, for a fresh install) is opened in WAL mode with `synchronous=NORMAL`:
a committed transaction survives the process being killed (not a power cut, which would need
`synchronous=FULL` at a large cost per commit). Write transactions start with
`BEGIN IMMEDIATE` so that two processes on one file queue on the write lock instead of failing
half-way; in-process, the writers' pool holds a single connection, because SQLite has one
writer anyway. Read-only use cases (`Database.read`: leaderboard, profile, shop pages, stats)
run on a second pool of read-only connections (`query_only`) with a deferred `BEGIN`: in WAL
mode a reader sees the last committed snapshot and neither waits for the writer nor makes it
wait, so a big leaderboard never delays a chat award. The WAL is folded back into the
database by `checkpoint()` (a PASSIVE checkpoint on a connection of its own, which never
blocks the writer), run every `CHECKPOINT_SECONDS` by the bot's background loop: not more
often, because a checkpoint's copy and fsync still compete with the commands for the disk and
the process (every second, it put the commands' p99 at 10–15 ms on SQLite; every 30 seconds,
5–8.5 ms: `chibot bench commands`), and a WAL of 30 seconds of writes is small; the writer's own
automatic checkpoint, which runs inside a committing command and was most of its slowest 1 %
(p99 19 ms against 11 ms without it, `chibot bench commands`), only triggers as a safety net
once the WAL passes `WAL_SAFETY_PAGES` (about 40 MB).

A `sqlite+aiosqlite` URL is opened with the `sqlite+chibot` driver (`core/sqlite_driver.py`):
the same aiosqlite connection and thread, but one call on that thread per statement instead of
four, which halved SQLite's command latency (`chibot bench commands`).

PostgreSQL runs at READ COMMITTED: money moves are single conditional statements, and
multi-row moves lock their rows in id order. Deadlocks and serialization failures (and SQLite
"database is locked") are retried by `scoped`, which is why the function it runs must only touch
the database. The pool is sized for the bot's concurrency (`DATABASE_POOL_SIZE`,
`DATABASE_MAX_OVERFLOW`: 32 and 16 by default, so a burst of 32 commands reuses open
connections instead of opening new ones) and does not ping a connection on every checkout: a
connection the server dropped (a restart, a failover, `pg_terminate_backend`) fails its first
statement, SQLAlchemy then invalidates the whole pool, and `scoped` / `read` run the use case
once more on a fresh connection. That retry happens only when the failure came before the
commit was sent (a failure during the commit is ambiguous and is raised).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import event, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from chibot.core import sqlite_driver
from chibot.core.clock import Clock, SystemClock
from chibot.core.events import EventBus
from chibot.core.scope import GuildScope

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def _is_transient(error: BaseException) -> bool:
    orig = getattr(error, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _RETRYABLE_SQLSTATES:
        return True
    text = str(orig or error).lower()
    return "database is locked" in text or "deadlock detected" in text


WAL_SAFETY_PAGES = 10_000  # the writer checkpoints itself only past ~40 MB of WAL
DEFAULT_POOL_SIZE = 32
DEFAULT_MAX_OVERFLOW = 16
READERS = 4
"""SQLite read-only connections (reads run side by side; each is a thread of aiosqlite)."""


def _is_invalidated(error: BaseException) -> bool:
    """A connection the server dropped (the pool is invalidated by SQLAlchemy already)."""
    return bool(getattr(error, "connection_invalidated", False))


def _sqlite_path(url: str) -> str | None:
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    return path if path and path != ":memory:" and "mode=memory" not in url else None


def driver_url(url: str) -> str:
    """The URL the engine is made with: `sqlite+aiosqlite` becomes `sqlite+chibot`, the same
    driver with one thread hop per statement (`core/sqlite_driver.py`); others as given."""
    stock = "sqlite+aiosqlite:"
    if not url.startswith(stock):
        return url
    return f"sqlite+{sqlite_driver.DRIVER}:" + url[len(stock) :]


def make_reader_engine(url: str) -> AsyncEngine | None:
    """SQLite: a pool of read-only connections beside the writer (None for an in-memory
    database, which a second connection would not see, and for other databases)."""
    if not url.startswith("sqlite") or _sqlite_path(url) is None:
        return None
    engine = create_async_engine(
        driver_url(url),
        poolclass=AsyncAdaptedQueuePool,
        pool_size=READERS,
        max_overflow=0,
        pool_timeout=120,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("busy_timeout=30000", "journal_mode=WAL", "query_only=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: a WAL snapshot, no lock on the writer

    return engine


def make_engine(
    url: str,
    *,
    pool_size: int | None = None,
    max_overflow: int | None = None,
    **kwargs: Any,
) -> AsyncEngine:
    """An engine configured for the URL's database (see the module docstring)."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            driver_url(url),
            poolclass=AsyncAdaptedQueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=120,
            **kwargs,
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "busy_timeout=30000",
                "foreign_keys=ON",
                f"wal_autocheckpoint={WAL_SAFETY_PAGES}",
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_async_engine(
        url,
        pool_size=DEFAULT_POOL_SIZE if pool_size is None else pool_size,
        max_overflow=DEFAULT_MAX_OVERFLOW if max_overflow is None else max_overflow,
        **kwargs,
    )


_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")


@dataclass
class StatementCount:
    """Statements sent to the database while counting (transaction control left out)."""

    statements: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.statements)


CHECKPOINT_SECONDS = 30
"""How often the bot folds the SQLite WAL back into the database (module docstring)."""


class Database:
    """The engine plus the injected clock that every scope hands to the code it runs."""

    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        engine: AsyncEngine | None = None,
        pool_size: int | None = None,
        max_overflow: int | None = None,
    ):
        self.url = url
        self.engine = engine or make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self.reader = make_reader_engine(url) if engine is None else None
        """SQLite: the read-only pool of `read` (None: reads use `engine`)."""
        self.clock: Clock = clock or SystemClock()
        self.events = EventBus()
        """The domain-event bus every scope publishes to (`core/events.py`); the app
        subscribes the systems' listeners to it."""
        self._settings_model: type[BaseModel] | None = None

    @contextmanager
    def count_statements(self) -> Iterator[StatementCount]:
        """Count the statements every connection of this database sends meanwhile (a
        `before_cursor_execute` listener; BEGIN / COMMIT / PRAGMA are not counted)."""
        count = StatementCount()

        def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(_CONTROL):
                count.statements.append(statement)

        engines = [e.sync_engine for e in (self.engine, self.reader) if e is not None]
        for engine in engines:
            event.listen(engine, "before_cursor_execute", listener)
        try:
            yield count
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", listener)

    @property
    def settings_model(self) -> type[BaseModel]:
        """The per-server settings model the scopes load (composed by the registry)."""
        if self._settings_model is None:
            from chibot.core.registry import default_registry

            self._settings_model = default_registry().settings_model
        return self._settings_model

    @settings_model.setter
    def settings_model(self, model: type[BaseModel]) -> None:
        self._settings_model = model

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed on normal exit, rolled back on any exception."""
        async with self.engine.begin() as conn:
            yield conn

    async def scoped(
        self,
        guild_id: int,
        fn: Callable[Concatenate[GuildScope, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `fn(scope, ...)` in one transaction on one server's data, retrying transient
        conflicts (deadlock, serialization failure, a locked SQLite file) a few times, and
        once a connection the server dropped before the commit was sent."""
        return await self._run(self.engine, guild_id, fn, *args, **kwargs)

    async def read(
        self,
        guild_id: int,
        fn: Callable[Concatenate[GuildScope, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`scoped` for a use case that only reads: on SQLite it runs on the read-only pool
        (a WAL snapshot: it neither waits for writers nor holds them up); a write inside
        fails there. Elsewhere it is `scoped`."""
        return await self._run(self.reader or self.engine, guild_id, fn, *args, **kwargs)

    async def _run(
        self,
        engine: AsyncEngine,
        guild_id: int,
        fn: Callable[Concatenate[GuildScope, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        attempts, reconnected = 6, False
        for attempt in range(1, attempts + 1):
            committing = False
            try:
                async with engine.begin() as conn:
                    result = await fn(
                        GuildScope(conn, guild_id, self.clock, db=self), *args, **kwargs
                    )
                    committing = True
                return result
            except (DBAPIError, OperationalError) as error:
                if _is_invalidated(error) and not committing and not reconnected:
                    log.info("database connection lost, running again (%s)", error)
                    reconnected = True
                    continue
                if attempt == attempts or not _is_transient(error):
                    raise
                log.debug("transient database conflict, retrying (%s)", error)
                await asyncio.sleep(0.005 * 2**attempt)
        raise AssertionError("unreachable")

    async def ping(self) -> float:
        """Seconds for one `SELECT 1` round trip on the pool reads use (`ping`)."""
        started = time.perf_counter()
        async with (self.reader or self.engine).connect() as conn:
            await conn.execute(text("SELECT 1"))
        return time.perf_counter() - started

    async def upgrade(self) -> None:
        """Apply every Alembic migration (idempotent)."""
        from chibot.migrations import upgrade_to_head

        await upgrade_to_head(self.engine)

    async def checkpoint(self) -> None:
        """Fold the SQLite WAL back into the database file without waiting for or blocking
        the writer (PASSIVE); a no-op on PostgreSQL and for in-memory databases."""
        if self.dialect != "sqlite":
            return
        path = make_url(self.url).database
        if not path or path == ":memory:":
            return

        def run() -> None:
            with contextlib.closing(sqlite3.connect(path, timeout=1)) as conn:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

        await asyncio.to_thread(run)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.reader is not None:
            await self.reader.dispose()
