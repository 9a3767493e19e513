"""`sqlite+chibot` (core/sqlite_driver.py): the aiosqlite dialect with one thread hop per
statement.

Proven here:
- `Database` opens a `sqlite+aiosqlite` URL with it, on the writer and on the readers;
- every kind of statement the bot sends gives the same rows, rowcount, lastrowid and
  errors as the stock `sqlite+aiosqlite` dialect, on the same file;
- a statement is ONE call on the connection's thread (the stock adapter makes three or four),
  which is what the change is for (`chibot bench commands`);
- streamed results (server-side cursors) still work, and a closed connection is an
  OperationalError as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from chibot.core.db import Database, driver_url

meta = MetaData()
things = Table(
    "things",
    meta,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True, nullable=False),
    Column("qty", Integer, nullable=False),
)


async def _workload(engine: AsyncEngine) -> list[Any]:
    """The statements of every kind the bot sends, and what the driver reports for each."""
    seen: list[Any] = []
    async with engine.begin() as conn:
        await conn.run_sync(meta.create_all)
        r = await conn.execute(insert(things).values(name="a", qty=1))
        seen.append(("insert", r.rowcount, r.inserted_primary_key))
        r = await conn.execute(insert(things), [{"name": f"n{i}", "qty": i} for i in range(5)])
        seen.append(("executemany", r.rowcount))
        r = await conn.execute(update(things).where(things.c.qty > 2).values(qty=things.c.qty + 1))
        seen.append(("update", r.rowcount))
        r = await conn.execute(
            update(things).where(things.c.name == "a").values(qty=9).returning(things.c.qty)
        )
        seen.append(("returning", r.all()))
        r = await conn.execute(select(things).order_by(things.c.id))
        seen.append(("select", [tuple(row) for row in r]))
        r = await conn.execute(select(things).where(things.c.qty > 100))
        seen.append(("empty", r.all(), list(r.keys())))
        r = await conn.execute(select(things.c.id).order_by(things.c.id))
        seen.append(("fetchmany", r.fetchmany(2), r.fetchmany(), r.fetchall()))
        seen.append(("scalar", (await conn.execute(text("SELECT count(*) FROM things"))).scalar()))
        r = await conn.exec_driver_sql("DELETE FROM things WHERE qty < 3")
        seen.append(("delete", r.rowcount))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(insert(things).values(name="a", qty=1))
    async with engine.connect() as conn:
        streamed = await conn.stream(select(things.c.name).order_by(things.c.id))
        seen.append(("stream", [row async for row in streamed]))
    return seen


async def test_the_same_answers_as_the_stock_dialect(tmp_path: Path) -> None:
    results = []
    for name, url in [
        ("stock", f"sqlite+aiosqlite:///{tmp_path}/stock.db"),
        ("ours", driver_url(f"sqlite+aiosqlite:///{tmp_path}/ours.db")),
    ]:
        engine = create_async_engine(url)
        try:
            results.append(await _workload(engine))
        finally:
            await engine.dispose()
        assert (name == "ours") == (engine.dialect.driver == "chibot")
    stock, ours = results
    assert ours == stock
    assert ("select", [(1, "a", 9), (2, "n0", 0), (3, "n1", 1), (4, "n2", 2), (5, "n3", 4),
                       (6, "n4", 5)]) in ours  # fmt: skip


def _count_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


@pytest.mark.parametrize(("driver", "per_statement"), [("aiosqlite", 3), ("chibot", 1)])
async def test_a_statement_is_one_call_on_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, driver: str, per_statement: int
) -> None:
    engine = create_async_engine(f"sqlite+{driver}:///{tmp_path}/hops.db")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(meta.create_all)
            await conn.execute(insert(things).values(name="a", qty=1))
        calls = _count_hops(monkeypatch)
        async with engine.connect() as conn:
            before = len(calls)
            for _ in range(10):
                (await conn.execute(select(things.c.qty).where(things.c.id == 1))).scalar_one()
            hops = (len(calls) - before) / 10
    finally:
        await engine.dispose()
    if driver == "chibot":
        assert hops == per_statement
    else:
        assert hops >= per_statement  # cursor, execute, fetchall (and close)


async def test_the_database_uses_it_for_the_writer_and_the_readers(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    try:
        await db.upgrade()
        assert db.engine.dialect.driver == "chibot"
        assert db.reader is not None and db.reader.dialect.driver == "chibot"
        assert db.engine.dialect.name == "sqlite"
        async with db.transaction() as conn:
            assert (await conn.execute(text("SELECT 41 + 1"))).scalar() == 42
    finally:
        await db.dispose()
    assert driver_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert driver_url("sqlite+aiosqlite:///:memory:") == "sqlite+chibot:///:memory:"


async def test_a_closed_connection_is_an_operational_error(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    engine = create_async_engine(driver_url(f"sqlite+aiosqlite:///{tmp_path}/closed.db"))
    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.close()  # type: ignore[union-attr]
            with pytest.raises(OperationalError):
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
