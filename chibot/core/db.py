"""The database: one async engine, one transaction per use case, SQLite or PostgreSQL.

Every service call runs as ONE transaction through `Database.scoped` (or `Database.transaction`):
read, decide, write, commit, and only then does the cog reply. A `UserError` raised inside rolls
everything back, cooldowns included, so a refused command costs nothing.

SQLite (the default, for a fresh install) is opened in WAL mode with `synchronous=NORMAL`:
a committed transaction survives the process being killed (not a power cut, which would need
`synchronous=FULL` at a large cost per commit). Write transactions start with
`BEGIN IMMEDIATE` so that two processes on one file queue on the write lock instead of failing
half-way; in-process, the pool holds a single connection, because SQLite has one writer anyway.

PostgreSQL runs at READ COMMITTED: money moves are single conditional statements, and
multi-row moves lock their rows in id order. Deadlocks and serialization failures (and SQLite
"database is locked") are retried by `scoped`, which is why the function it runs must only touch
the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

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


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An engine configured for the URL's database (see the module docstring)."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1].split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
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
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """The engine plus the injected clock that every scope hands to the code it runs."""

    def __init__(self, url: str, *, clock: Clock | None = None, engine: AsyncEngine | None = None):
        self.url = url
        self.engine = engine or make_engine(url)
        self.clock: Clock = clock or SystemClock()
        self.events = EventBus()
        """The domain-event bus every scope publishes to (`core/events.py`); the app
        subscribes the systems' listeners to it."""
        self._settings_model: type[BaseModel] | None = None

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
        conflicts (deadlock, serialization failure, a locked SQLite file) a few times."""
        attempts = 6
        for attempt in range(1, attempts + 1):
            try:
                async with self.transaction() as conn:
                    return await fn(
                        GuildScope(conn, guild_id, self.clock, db=self), *args, **kwargs
                    )
            except (DBAPIError, OperationalError) as error:
                if attempt == attempts or not _is_transient(error):
                    raise
                log.debug("transient database conflict, retrying (%s)", error)
                await asyncio.sleep(0.005 * 2**attempt)
        raise AssertionError("unreachable")

    async def upgrade(self) -> None:
        """Apply every Alembic migration (idempotent)."""
        from chibot.migrations import upgrade_to_head

        await upgrade_to_head(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()
