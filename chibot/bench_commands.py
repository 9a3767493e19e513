"""`chibot bench leaderboard | commands | startup`: what commands cost, beside their floors.

- `leaderboard`: one server of `--sizes` members (1,000 / 10,000 / 100,000 by default) with
  spread-out chi (many ties at 0). Measured through the service (`EconomyService`): the top
  ten with the viewer's rank, the viewer's rank alone (`profile`), ▶ from the middle (keyset),
  ⏭ (the last page), a page typed by number deep in the board (one OFFSET over the index);
  the floors are the bare indexed queries (the top ten by `ix_members_chi_rank`, the
  viewer's rank as two range counts). In a server of `SNAPSHOT_MIN` members or more the
  viewer's rank comes from the rank snapshot (`features/economy/ranks.py`), taken once before
  the calls as a running bot would have it; the time that took is its own row.
- `commands`: `--guilds` x `--members` (100 x 1,000 by default; the issue's case is
  `--guilds 10000 --members 100`, 1M members), then profile, daily, give, buy, sell and use
  by random members at concurrency 1 and 32 (`--concurrency`): p50 / p99 and statements per
  call (a `before_cursor_execute` listener), beside the floors (a bare primary-key SELECT and
  a bare single-row UPDATE, each in its own transaction). The members used have played
  before (a daily, a purchase, a sale and a use each: a member's first one checks every
  achievement), which is the steady state of a running bot.
- `startup`: a fresh process builds the app, migrates (nothing to do) and answers one
  profile, over a database of `--sizes` stored members (10,000 and 1,000,000); time and peak
  memory, beside a process that only opens the database and runs `SELECT 1`.

Every database given with `--database-url` (repeatable) is measured; without one, a
temporary SQLite file and, if reachable, a throwaway PostgreSQL database on 127.0.0.1:5432.
Run by hand; figures go in the README. Tests never assert on them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from rich.table import Table
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import DBAPIError

from chibot.app import App
from chibot.bench import _default_urls, _drive, _ms, console
from chibot.config import Settings
from chibot.core.catalog import load_catalog
from chibot.core.clock import SystemClock
from chibot.core.db import CHECKPOINT_SECONDS, Database
from chibot.core.heap import settle
from chibot.core.tables import counters, inventory, members
from chibot.features.economy.ranks import SNAPSHOT_MIN
from chibot.features.economy.service import EconomyService
from chibot.features.shop.service import ShopService

BASE_USER = 10_000
Target = tuple[str, Callable[[], Awaitable[None]] | None]


def _label(url: str) -> str:
    return "PostgreSQL " + url.split("@")[-1].split("/")[0] if "@" in url else "SQLite (WAL)"


async def _targets(args: argparse.Namespace) -> list[Target]:
    if args.database_url:
        return [(u, None) for u in args.database_url]
    return await _default_urls()


async def _wipe(db: Database) -> None:
    async with db.transaction() as conn:
        for name in ("ledger", "counters", "inventory", "cooldowns", "achievements", "members"):
            await conn.execute(text(f"DELETE FROM {name}"))


async def _seed(db: Database, guilds: int, per_guild: int, chi: Callable[[int], int]) -> None:
    """`guilds` servers (ids 1..) x `per_guild` members (ids BASE_USER + 1..), in bulk."""
    now = SystemClock().now()
    batch: list[dict[str, Any]] = []
    with console.status(f"creating {guilds * per_guild:,} members"):
        for g in range(1, guilds + 1):
            for u in range(1, per_guild + 1):
                c = chi(u)
                batch.append(
                    {
                        "guild_id": g,
                        "user_id": BASE_USER + u,
                        "chi": c,
                        "lifetime_chi": max(c, 0),
                        "created_at": now,
                    }
                )
                if len(batch) >= 20_000:
                    async with db.transaction() as conn:
                        await conn.execute(members.insert(), batch)
                    batch = []
        if batch:
            async with db.transaction() as conn:
                await conn.execute(members.insert(), batch)
    if db.dialect == "postgresql":
        async with db.engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(
                text("VACUUM ANALYZE members")
            )
    else:
        async with db.transaction() as conn:
            await conn.execute(text("ANALYZE"))


async def _timed(calls: int, fn: Callable[[int], Awaitable[object]]) -> list[float]:
    _seconds, latencies = await _drive(calls, 1, fn)
    return latencies


def _print(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


# --- leaderboard ------------------------------------------------------------------------------


def _board_workloads(
    app: App,
    viewers: list[int],
    chis: dict[int, int],
    cursor: tuple[int, int],
    deep: int,
    top: Any,
    higher: Any,
    tied: Any,
) -> list[tuple[str, Callable[[int], Awaitable[object]]]]:
    """The leaderboard bench's workloads over one seeded server (id 1), floors first."""
    db = app.db

    async def bare_top(i: int) -> None:
        async with db.transaction() as conn:
            (await conn.execute(top, {"g": 1})).all()

    async def bare_rank(i: int) -> None:
        u = viewers[i]
        async with db.transaction() as conn:
            params = {"g": 1, "c": chis[u], "u": u}
            (await conn.execute(higher, params)).scalar_one()
            (await conn.execute(tied, params)).scalar_one()

    workloads: list[tuple[str, Callable[[int], Awaitable[object]]]] = [
        ("floor: top ten (bare)", bare_top),
        ("floor: rank (bare counts)", bare_rank),
        ("top ten + own rank", lambda i: app.economy.leaderboard(1, "chi", 1, viewers[i])),
        ("profile (own rank)", lambda i: app.economy.profile(1, viewers[i])),
        (
            "▶ keyset (middle)",
            lambda i: app.economy.leaderboard(1, "chi", 2, viewers[i], seek="after", cursor=cursor),
        ),
        ("⏭ last page", lambda i: app.economy.leaderboard(1, "chi", 1, viewers[i], seek="last")),
        (f"page {deep:,} typed", lambda i: app.economy.leaderboard(1, "chi", deep, viewers[i])),
    ]
    return workloads


async def _leaderboard_one(url: str, sizes: list[int], calls: int) -> list[list[str]]:
    db = Database(url)
    await db.upgrade()
    app = App(
        Settings(_env_file=None, database_url=url),
        db,
        load_catalog(),
        SystemClock(),
        random.Random(1),
    )
    rows = []
    m = members.c
    top = (
        select(m.user_id, m.chi)
        .where(m.guild_id == bindparam("g"))
        .order_by(m.chi.desc(), m.user_id)
        .limit(10)
    )
    higher = select(func.count()).where(m.guild_id == bindparam("g"), m.chi > bindparam("c"))
    tied = select(func.count()).where(
        m.guild_id == bindparam("g"), m.chi == bindparam("c"), m.user_id < bindparam("u")
    )
    for size in sizes:
        await _wipe(db)
        spread = random.Random(size)

        def chi(_user: int, r: random.Random = spread) -> int:
            return 0 if r.random() < 0.3 else r.randint(1, 10**6)

        await _seed(db, 1, size, chi)
        pick = random.Random(1)
        viewers = [BASE_USER + pick.randint(1, size) for _ in range(calls)]
        async with db.transaction() as conn:
            chis = {
                r.user_id: r.chi
                for r in await conn.execute(
                    select(m.user_id, m.chi).where(m.guild_id == 1, m.user_id.in_(set(viewers)))
                )
            }
        app.economy.ranks.forget(1)
        started = time.perf_counter()
        middle = await app.economy.leaderboard(1, "chi", max(1, size // 20), viewers[0])
        await app.economy.ranks.settle()  # a big server's rank snapshot, as a running bot has
        if size >= SNAPSHOT_MIN:
            took = f"{(time.perf_counter() - started) * 1000:.1f}"
            rows.append([_label(url), f"{size:,}", "rank snapshot (background, once)", took, took])
        cursor = (middle.rows[-1].chi, middle.rows[-1].user_id)
        deep = max(1, size // 10 - 1)

        workloads = _board_workloads(app, viewers, chis, cursor, deep, top, higher, tied)
        for name, fn in workloads:
            lat = await _timed(calls, fn)
            rows.append([_label(url), f"{size:,}", name, _ms(lat, 0.5), _ms(lat, 0.99)])
    await db.dispose()
    return rows


async def bench_leaderboard_main(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")]
    console.print(f"[bold]leaderboard bench[/]: one server of {sizes} members, {args.calls} calls")
    rows: list[list[str]] = []
    for url, cleanup in await _targets(args):
        try:
            rows += await _leaderboard_one(url, sizes, args.calls)
        finally:
            if cleanup:
                await cleanup()
    _print("leaderboard (concurrency 1)", ["database", "members", "what", "p50 ms", "p99 ms"], rows)
    return 0


# --- commands ---------------------------------------------------------------------------------

COMMANDS = ("profile", "daily", "give", "buy", "sell", "use")


async def _prepare(db: Database, pairs: list[tuple[int, int]]) -> None:
    """The members used have played before: money, items to sell and use, and one of each
    action already counted (their first one would check every achievement)."""
    yesterday = (SystemClock().now().date() - date(1970, 1, 1)).days - 1
    played = {"dailies": 1, "items_bought": 1, "items_sold": 1, "items_used": 1}
    rows, items = [], []
    for g, u in set(pairs):
        rows += [
            {"guild_id": g, "user_id": u, "name": n, "value": v}
            for n, v in {**played, "daily_last_day": yesterday, "daily_streak": 1}.items()
        ]
        items += [
            {"guild_id": g, "user_id": u, "item_id": i, "qty": 1_000, "level": 0}
            for i in ("minor_healing_salve", "exclusive_title")
        ]
    async with db.transaction() as conn:
        await conn.execute(update(members).values(chi=10**9).where(members.c.chi >= 0))
        for start in range(0, len(rows), 10_000):
            await conn.execute(counters.insert(), rows[start : start + 10_000])
        for start in range(0, len(items), 10_000):
            await conn.execute(inventory.insert(), items[start : start + 10_000])


WARMUP = 10
"""Calls of each command made before the timed ones, on members of their own: the first call
of a command compiles its statements (SQLAlchemy's compiled cache) and warms the driver's,
which a bot that has been up for a while has long done; without them the p99 of 300 calls
measures start-up, not the command."""


async def _commands_one(url: str, args: argparse.Namespace) -> list[list[str]]:
    db = Database(url)
    await db.upgrade()
    app = App(
        Settings(_env_file=None, database_url=url),
        db,
        load_catalog(),
        SystemClock(),
        random.Random(7),
    )
    await _wipe(db)
    await _seed(db, args.guilds, args.members, lambda u: 0)
    pick = random.Random(42)
    levels = [int(c) for c in args.concurrency.split(",")]
    per = args.calls
    # each (command, concurrency) gets its own members: a daily is once a day
    needed = len(COMMANDS) * len(levels) * (per + WARMUP)
    pairs = [
        (pick.randint(1, args.guilds), BASE_USER + pick.randint(1, args.members))
        for _ in range(needed)
    ]
    pairs = list(dict.fromkeys(pairs))
    while len(pairs) < needed:
        pairs.append(pairs[len(pairs) % max(1, len(pairs))])
    await _prepare(db, pairs)
    for g in {g for g, _ in pairs}:
        await app.guild_settings.get(g)
    settle()  # as the bot does once started (core/heap.py)

    key = (members.c.guild_id == bindparam("g")) & (members.c.user_id == bindparam("u"))
    bare_select = select(members.c.chi).where(key)
    bare_update = update(members).where(key).values(chi=members.c.chi + 1)

    def command(name: str, chosen: list[tuple[int, int]]) -> Callable[[int], Awaitable[object]]:
        def run(i: int) -> Awaitable[object]:
            g, u = chosen[i]
            economy: EconomyService = app.economy
            shop: ShopService = app.shop
            if name == "profile":
                return economy.profile(g, u)
            if name == "daily":
                return economy.daily(g, u)
            if name == "give":
                return economy.give(g, u, u + 1 if u < BASE_USER + args.members else u - 1, 1)
            if name == "buy":
                return shop.buy(g, u, "minor_healing_salve")
            if name == "sell":
                return shop.sell(g, u, "minor_healing_salve")
            return shop.use(g, u, "exclusive_title", "Bench")

        return run

    async def bare_read(i: int) -> None:
        g, u = pairs[i % len(pairs)]
        async with db.transaction() as conn:
            (await conn.execute(bare_select, {"g": g, "u": u})).first()

    async def bare_write(i: int) -> None:
        g, u = pairs[i % len(pairs)]
        async with db.transaction() as conn:
            await conn.execute(bare_update, {"g": g, "u": u})

    async def checkpoints() -> None:  # what the bot's background loop does (core/db.py)
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            await db.checkpoint()

    checkpointer = asyncio.create_task(checkpoints())
    rows = []
    offset = 0
    for level in levels:
        await _drive(level * 4, level, bare_read)  # the pool's connections opened first
        for name, fn in (("floor: PK SELECT", bare_read), ("floor: UPDATE", bare_write)):
            _s, lat = await _drive(per, level, fn)
            rows.append([_label(url), name, str(level), _ms(lat, 0.5), _ms(lat, 0.99), "1"])
        for name in COMMANDS:
            warm = pairs[offset : offset + WARMUP]  # not timed: its statements compiled, cached
            offset += WARMUP
            await _drive(len(warm), level, command(name, warm))
            chosen = pairs[offset : offset + per]
            offset += per
            with db.count_statements() as count:
                _s, lat = await _drive(per, level, command(name, chosen))
            rows.append(
                [
                    _label(url),
                    name,
                    str(level),
                    _ms(lat, 0.5),
                    _ms(lat, 0.99),
                    f"{count.n / per:.1f}",
                ]
            )
    checkpointer.cancel()
    await db.dispose()
    return rows


async def bench_commands_main(args: argparse.Namespace) -> int:
    console.print(
        f"[bold]commands bench[/]: {args.guilds:,} servers x {args.members:,} members, "
        f"{args.calls:,} calls per command, concurrency {args.concurrency}"
    )
    rows: list[list[str]] = []
    failed = 0
    for url, cleanup in await _targets(args):
        try:
            rows += await _commands_one(url, args)
        except (DBAPIError, OSError) as error:  # no such database, no server: say so, go on
            failed += 1
            reason = str(getattr(error, "orig", error)).splitlines()[0]
            console.print(
                f"[red]cannot bench {url}[/]: {reason}. Create the database first "
                "(e.g. `createdb -h 127.0.0.1 -U postgres bench_cmd`) or name another."
            )
        finally:
            if cleanup:
                await cleanup()
    if not rows:
        return 2 if failed else 0
    _print(
        "commands",
        ["database", "command", "concurrency", "p50 ms", "p99 ms", "statements/call"],
        rows,
    )
    return 0


# --- startup ----------------------------------------------------------------------------------

_APP = """
import asyncio, sys, time
start = time.perf_counter()
from chibot.app import build_app
from chibot.config import Settings
async def main():
    app = build_app(Settings(_env_file=None, database_url=sys.argv[1]))
    await app.db.upgrade()
    await app.economy.profile(1, 10001)
    await app.close()
asyncio.run(main())
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(time.perf_counter() - start, int(peak) / 1024)
"""
_FLOOR = """
import asyncio, sys, time
start = time.perf_counter()
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
async def main():
    engine = create_async_engine(sys.argv[1])
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    await engine.dispose()
asyncio.run(main())
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(time.perf_counter() - start, int(peak) / 1024)
"""


def _process(code: str, url: str) -> tuple[float, float]:
    """(seconds, peak MiB: VmHWM, this process's own high-water mark) of a fresh Python
    process running `code`."""
    done = subprocess.run(
        [sys.executable, "-c", code, url], capture_output=True, text=True, check=True
    )
    seconds, peak = done.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


async def bench_startup_main(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for url, cleanup in await _targets(args):
        try:
            db = Database(url)
            await db.upgrade()
            for size in sizes:
                await _wipe(db)
                guilds = max(1, size // 100)
                await _seed(db, guilds, size // guilds, lambda u: u % 1000)
                await db.dispose()
                floor = _process(_FLOOR, url)
                started = _process(_APP, url)
                rows.append(
                    [
                        _label(url),
                        f"{size:,}",
                        f"{started[0]:.2f}",
                        f"{started[1]:.0f}",
                        f"{floor[0]:.2f}",
                        f"{floor[1]:.0f}",
                    ]
                )
            await db.dispose()
        finally:
            if cleanup:
                await cleanup()
    _print(
        "startup (a fresh process)",
        ["database", "members", "app s", "app peak MiB", "floor s", "floor peak MiB"],
        rows,
    )
    return 0


def add_parsers(bench_sub: Any) -> None:
    """The `bench leaderboard | commands | startup` subcommands (`chibot.cli`)."""
    board = bench_sub.add_parser("leaderboard", help="leaderboard and rank vs the bare queries")
    board.add_argument("--database-url", action="append", help="database(s) (repeatable)")
    board.add_argument("--sizes", default="1000,10000,100000", help="members in the server")
    board.add_argument("--calls", type=int, default=200)
    commands = bench_sub.add_parser(
        "commands", help="p50/p99 and statements of profile, daily, give, buy, sell, use"
    )
    commands.add_argument("--database-url", action="append", help="database(s) (repeatable)")
    commands.add_argument("--guilds", type=int, default=100)
    commands.add_argument("--members", type=int, default=1000, help="members per server")
    commands.add_argument("--calls", type=int, default=300, help="calls per command and level")
    commands.add_argument("--concurrency", default="1,32", help="comma-separated levels")
    startup = bench_sub.add_parser("startup", help="time and memory to start the app")
    startup.add_argument("--database-url", action="append", help="database(s) (repeatable)")
    startup.add_argument("--sizes", default="10000,1000000", help="stored members")


async def bench_commands_dispatch(args: argparse.Namespace) -> int:
    if args.bench_command == "leaderboard":
        return await bench_leaderboard_main(args)
    if args.bench_command == "commands":
        return await bench_commands_main(args)
    return await bench_startup_main(args)
