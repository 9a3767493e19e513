"""The test database infrastructure itself: both backends, and the temporary-cluster path."""

from __future__ import annotations

import os
import socket

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from .postgres import (
    PostgresProvision,
    provision_postgres,
    run_async,
    temp_cluster_unavailable_reason,
)

_NO_CLUSTER = temp_cluster_unavailable_reason()


async def _scalar(url: str, sql: str):
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar_one()
    finally:
        await engine.dispose()


async def _database_names(server_url: str) -> set[str]:
    conn = await asyncpg.connect(server_url, timeout=10)
    try:
        return {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()


async def test_database_url_accepts_queries(database_url: str, request, tmp_path) -> None:
    backend = request.node.callspec.params["database_url"]
    engine = create_async_engine(database_url)
    try:
        assert engine.dialect.name == backend
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
    if backend == "sqlite":
        assert (tmp_path / "chibot.db").exists()  # a fresh file per test
    else:
        assert engine.url.database.startswith(f"chibot_test_{os.getpid()}_")


def test_disabled_by_env() -> None:
    with provision_postgres(environ={"CHIBOT_TEST_PG": "0"}) as pg:
        assert pg == PostgresProvision(url=None, reason="disabled by CHIBOT_TEST_PG=0")


def test_explicit_server_url_is_not_silently_replaced() -> None:
    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"CHIBOT_TEST_PG_URL": f"postgresql://postgres:secret@127.0.0.1:{port}/postgres"}
    with provision_postgres(environ=env) as pg:
        assert pg.url is None
        assert pg.reason.startswith("CHIBOT_TEST_PG_URL=postgresql://postgres:***@127.0.0.1")
        assert "secret" not in pg.reason


@pytest.mark.skipif(_NO_CLUSTER is not None, reason=f"no temporary cluster: {_NO_CLUSTER}")
def test_temporary_cluster_lifecycle() -> None:
    with provision_postgres(strategy="cluster") as pg:
        assert pg.available, pg.reason
        cluster = pg.cluster
        assert cluster is not None and os.path.isdir(cluster.data_dir)
        assert pg.url.startswith(
            f"postgresql+asyncpg://postgres@127.0.0.1:{cluster.port}/chibot_test_"
        )
        db_name = pg.url.rsplit("/", 1)[1]
        assert run_async(_scalar, pg.url, "SELECT current_database()") == db_name

        # An explicit server (here: the cluster) gets its own database, dropped on exit.
        with provision_postgres(server_url=cluster.server_url) as inner:
            assert inner.available, inner.reason
            inner_name = inner.url.rsplit("/", 1)[1]
            assert inner_name != db_name
            assert run_async(_scalar, inner.url, "SELECT 1") == 1
            assert inner_name in run_async(_database_names, cluster.server_url)
        assert inner_name not in run_async(_database_names, cluster.server_url)

    assert not os.path.exists(cluster.base_dir)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("127.0.0.1", cluster.port))
