"""What a command costs the database, at the core: reads beside writes, the pool, counts.

Proven here:
- SQLite: a read-only use case (`Database.read`) runs on its own read-only connection with a
  WAL snapshot: a write completes while a read transaction is open (before, the single
  connection made every read wait for writers and the reverse), the open read still sees its
  snapshot, and a write attempted through `read` is refused;
- PostgreSQL: the pool is sized from the settings and pings no connection on checkout; when
  the server drops every connection (`pg_terminate_backend`) between two calls, the second
  call (a write through `scoped`, a read through `read`) still succeeds;
- `member_counts` is kept by triggers: exact after concurrent first records (credits,
  transfers to new members, ensure), upserts of existing members and deletes;
- the boards' indexes are (guild_id, key DESC, user_id): the top ten is read in index order
  (SQLite's plan has no sort step);
- `Counters.apply` bumps, sets and raises several counters in ONE statement;
- `count_statements` counts what is sent, transaction control left out.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from chibot.app import build_app
from chibot.config import Settings
from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.tables import member_counts, members

G = 311
GUARD = 20  # seconds: only a guard against hanging, never a measured time


async def chi(db: Database, user: int, guild: int = G) -> int:
    return (await db.scoped(guild, lambda s: s.wallet.get(user))).chi


# --- reads do not wait for writers -----------------------------------------------------------


async def test_sqlite_a_long_read_does_not_block_a_write(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    await db.scoped(G, lambda s: s.wallet.credit(1, 5, reason="t"))
    reading, written = asyncio.Event(), asyncio.Event()

    async def long_read(scope: GuildScope) -> tuple[int, int]:
        before = (await scope.wallet.get(1)).chi
        reading.set()
        await written.wait()  # the transaction stays open while the write happens
        return before, (await scope.wallet.get(1)).chi

    reader = asyncio.create_task(db.read(G, long_read))
    await asyncio.wait_for(reading.wait(), GUARD)
    await asyncio.wait_for(db.scoped(G, lambda s: s.wallet.credit(1, 7, reason="t")), GUARD)
    written.set()
    assert await asyncio.wait_for(reader, GUARD) == (5, 5)  # its snapshot, not the write
    assert await chi(db, 1) == 12


async def test_sqlite_read_refuses_a_write(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite's read-only pool")
    with pytest.raises((OperationalError, DBAPIError), match="readonly"):
        await db.read(G, lambda s: s.wallet.credit(1, 5, reason="t"))
    assert await chi(db, 1) == 0


# --- PostgreSQL pool ---------------------------------------------------------------------------


def test_the_pool_is_sized_from_the_settings_without_a_ping(postgres_url: str) -> None:
    settings = Settings(_env_file=None, database_pool_size=7, database_max_overflow=3)
    app = build_app(settings, database_url=postgres_url)
    pool = app.db.engine.pool
    assert (pool.size(), pool._max_overflow, pool._pre_ping) == (7, 3, False)  # type: ignore[attr-defined]


async def test_dropped_connections_are_reopened_once(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("pg_terminate_backend")
    # several pooled connections, all dropped by the server afterwards
    await asyncio.gather(
        *(db.scoped(G, lambda s: s.wallet.credit(1, 1, reason="t")) for _ in range(4))
    )
    other = Database(db.url)
    try:
        async with other.transaction() as conn:
            dropped = (
                await conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            ).scalar_one()
    finally:
        await other.dispose()
    assert dropped >= 1
    await db.scoped(G, lambda s: s.wallet.credit(1, 1, reason="t"))  # a write, on a dead pool
    assert await db.read(G, lambda s: s.wallet.get(1)) is not None
    assert await chi(db, 1) == 5


# --- member counts -----------------------------------------------------------------------------


async def counted(db: Database, guild: int) -> tuple[int, int]:
    """(the kept count, the real count) of a server's members."""
    async with db.transaction() as conn:
        kept = (
            await conn.execute(
                select(member_counts.c.members).where(member_counts.c.guild_id == guild)
            )
        ).scalar_one_or_none()
        real = (
            await conn.execute(
                select(func.count()).select_from(members).where(members.c.guild_id == guild)
            )
        ).scalar_one()
    return kept or 0, real


async def test_the_member_count_is_exact_under_concurrency(db: Database) -> None:
    await db.scoped(G, lambda s: s.wallet.credit(1, 1_000, reason="t"))

    async def credit(user: int) -> None:
        await db.scoped(G, lambda s: s.wallet.credit(user, 1, reason="t"))

    async def give(user: int) -> None:
        await db.scoped(G, lambda s: s.wallet.transfer(1, user, 1, reason="t"))

    async def ensure(user: int) -> None:
        await db.scoped(G, lambda s: s.wallet.ensure(user, user + 1))

    work = [credit(u) for u in range(100, 130)] + [credit(u) for u in range(100, 110)]
    work += [give(u) for u in range(120, 150)] + [ensure(u) for u in range(140, 160, 2)]
    work += [credit(u) for u in range(5, 15)]
    await asyncio.gather(*work)
    assert await counted(db, G) == (1 + 60 + 10, 1 + 60 + 10)
    assert await db.scoped(G, lambda s: s.members.count()) == 71
    async with db.transaction() as conn:
        await conn.execute(
            delete(members).where((members.c.guild_id == G) & (members.c.user_id < 120))
        )
    assert await counted(db, G) == (40, 40)
    assert await counted(db, G + 1) == (0, 0)
    assert await db.scoped(G + 1, lambda s: s.members.count()) == 0


# --- indexes, counters, counting -----------------------------------------------------------


async def test_the_boards_are_read_in_index_order(db: Database) -> None:
    async with db.transaction() as conn:
        if db.dialect == "sqlite":
            for name, key in (
                ("ix_members_chi_rank", "chi"),
                ("ix_members_rebirth_rank", "rebirths"),
            ):
                cols = (await conn.execute(text(f"PRAGMA index_xinfo('{name}')"))).all()
                keyed = [(r.name, r.desc) for r in cols if r.key]
                assert keyed == [("guild_id", 0), (key, 1), ("user_id", 0)]
            plan = (
                await conn.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT user_id, chi FROM members WHERE guild_id = 1 "
                        "ORDER BY chi DESC, user_id ASC LIMIT 10"
                    )
                )
            ).all()
            steps = " ".join(str(r[-1]) for r in plan)
            assert "ix_members_chi_rank" in steps and "TEMP B-TREE" not in steps
        else:
            found = dict(
                (
                    await conn.execute(
                        text(
                            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'members'"
                        )
                    )
                ).all()
            )
            assert "(guild_id, chi DESC, user_id)" in found["ix_members_chi_rank"]
            assert "(guild_id, rebirths DESC, user_id)" in found["ix_members_rebirth_rank"]


async def test_counters_apply_in_one_statement(db: Database) -> None:
    await db.scoped(G, lambda s: s.counters.apply(1, put={"a": 5, "best": 3}, add={"n": 2}))
    with db.count_statements() as count:
        after = await db.scoped(
            G, lambda s: s.counters.apply(1, add={"n": 3, "m": 1}, put={"a": 1}, high={"best": 2})
        )
    assert after == {"n": 5, "m": 1, "a": 1, "best": 3}
    assert count.n == 1
    assert await db.scoped(G, lambda s: s.counters.read(1, ["n", "best", "zero"])) == {
        "n": 5,
        "best": 3,
        "zero": 0,
    }
    with pytest.raises(ValueError):
        await db.scoped(G, lambda s: s.counters.apply(1, add={"n": 1}, put={"n": 2}))
