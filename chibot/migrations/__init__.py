"""Alembic migrations, applied by `chibot db upgrade` and at every start-up.

Runs without an `alembic.ini`: the configuration is built here, and the engine's connection is
handed to `env.py`, so the same code works for SQLite and PostgreSQL and inside tests. New
revisions: `chibot db revision -m "what changed"` (autogenerates against the tables' metadata).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

HERE = Path(__file__).resolve().parent


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(HERE / "versions"))
    return config


async def _run(engine: AsyncEngine, fn: Callable[..., object], *args: object) -> None:
    config = alembic_config()

    def work(sync_connection: Connection) -> None:
        config.attributes["connection"] = sync_connection
        fn(config, *args)

    async with engine.begin() as conn:
        await conn.run_sync(work)


async def upgrade_to_head(engine: AsyncEngine) -> None:
    await _run(engine, command.upgrade, "head")


async def make_revision(engine: AsyncEngine, message: str) -> None:
    await _run(
        engine, lambda cfg, msg: command.revision(cfg, message=msg, autogenerate=True), message
    )
