"""`chibot bench chat`: chat-chi throughput beside the floor of a bare single-row UPDATE.

The world: `--guilds` servers x `--members` members (1,000 x 100 by default), created in
bulk. The workload: `--messages` chat messages that each contain a positive word (so every
one reaches the database: the expensive case), from members drawn at random, sent by
`--concurrency` workers through the real path (`EconomyService.chat`: settings, judging,
dice, one transaction with the conditional award and its ledger row). The floor: the same
number of `UPDATE members SET chi = chi + 1 WHERE guild_id = ? AND user_id = ?`, each in its
own transaction on the same engine with the same concurrency. Messages without a listed
word never touch the database; their rate is printed too.

Run by hand; figures go in the README. Tests never assert on them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypedDict

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import bindparam, text, update

from chibot.app import App
from chibot.config import Settings
from chibot.core.catalog import load_catalog
from chibot.core.clock import SystemClock
from chibot.core.db import Database
from chibot.core.tables import members

SENTENCES = [
    "that was a magnificent move",
    "what a splendid day it is",
    "you are so gracious today",
    "this garden looks radiant now",
    "truly remarkable work team",
]
PLAIN = ["hello there", "see you tomorrow", "ok sounds good", "lol same", "brb dinner"]
console = Console(width=130)


async def _seed(db: Database, guilds: int, per_guild: int) -> None:
    now = SystemClock().now()
    async with db.transaction() as conn:
        await conn.execute(members.delete())
    batch: list[dict[str, Any]] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("creating members", total=guilds * per_guild)
        for g in range(1, guilds + 1):
            for u in range(1, per_guild + 1):
                batch.append({"guild_id": g, "user_id": 10_000 + u, "created_at": now})
            if len(batch) >= 20_000 or g == guilds:
                async with db.transaction() as conn:
                    await conn.execute(members.insert(), batch)
                progress.advance(task, len(batch))
                batch = []


async def _drive(
    count: int, concurrency: int, make: Callable[[int], Awaitable[object]]
) -> tuple[float, list[float]]:
    """Run `make(i)` for i in range(count) with `concurrency` workers; (seconds, latencies)."""
    latencies: list[float] = []
    next_index = iter(range(count))

    async def worker() -> None:
        for i in next_index:
            start = time.perf_counter()
            await make(i)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies


def _shifted(
    make: Callable[[int], Awaitable[None]], offset: int
) -> Callable[[int], Awaitable[None]]:
    """`make`, called with `offset + i` for `i`."""
    return lambda i: make(offset + i)


def _ms(values: list[float], q: float) -> str:
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(q * len(values)))] * 1000:.1f}"


class BenchResult(TypedDict):
    """One database's figures: rates in messages per second, latencies as formatted ms."""

    url: str
    bare: float
    chat: float
    plain: float
    bare_p50: str
    bare_p99: str
    chat_p50: str
    chat_p99: str
    awarded: int
    mean_ms: str


async def bench_one(url: str, args: argparse.Namespace) -> BenchResult:
    settings = Settings(_env_file=None, database_url=url)
    db = Database(url)
    await db.upgrade()
    app = App(settings, db, load_catalog(), SystemClock(), random.Random(7))
    await _seed(db, args.guilds, args.members)
    pick = random.Random(42)
    pairs = [
        (pick.randint(1, args.guilds), 10_000 + pick.randint(1, args.members))
        for _ in range(args.messages)
    ]
    for g in {g for g, _ in pairs}:  # warm the settings cache, as a running bot would be
        await app.guild_settings.get(g)

    bare_update = (
        update(members)
        .where((members.c.guild_id == bindparam("g")) & (members.c.user_id == bindparam("u")))
        .values(chi=members.c.chi + 1)
    )

    async def bare(i: int) -> None:
        g, u = pairs[i]
        async with db.transaction() as conn:
            await conn.execute(bare_update, {"g": g, "u": u})

    async def chat(i: int) -> None:
        g, u = pairs[i]
        await app.economy.chat(g, u, SENTENCES[i % len(SENTENCES)], ref=str(i))

    async def plain(i: int) -> None:
        g, u = pairs[i]
        await app.economy.chat(g, u, PLAIN[i % len(PLAIN)])

    label = "PostgreSQL " + url.split("@")[-1].split("/")[0] if "@" in url else "SQLite (file, WAL)"
    # Alternate rounds of the two workloads, so that both see the same state of the database
    # (its size, the WAL, checkpoints) instead of one running on a fresher file than the other.
    rounds, bare_s, chat_s = 4, 0.0, 0.0
    bare_lat: list[float] = []
    chat_lat: list[float] = []
    per_round = args.messages // rounds
    with console.status(f"measuring on {label}"):
        for r in range(rounds):
            offset = r * per_round
            seconds, lat = await _drive(per_round, args.concurrency, _shifted(bare, offset))
            bare_s, bare_lat = bare_s + seconds, bare_lat + lat
            seconds, lat = await _drive(per_round, args.concurrency, _shifted(chat, offset))
            chat_s, chat_lat = chat_s + seconds, chat_lat + lat
    args_messages = per_round * rounds
    plain_s, _ = await _drive(args.messages, args.concurrency, plain)
    async with db.transaction() as conn:
        awarded: int = (await conn.execute(text("SELECT count(*) FROM ledger"))).scalar_one()
    await db.dispose()
    return BenchResult(
        url=label,
        bare=args_messages / bare_s,
        chat=args_messages / chat_s,
        plain=args.messages / plain_s,
        bare_p50=_ms(bare_lat, 0.5),
        bare_p99=_ms(bare_lat, 0.99),
        chat_p50=_ms(chat_lat, 0.5),
        chat_p99=_ms(chat_lat, 0.99),
        awarded=awarded,
        mean_ms=f"{statistics.fmean(chat_lat) * 1000:.2f}",
    )


async def _default_urls() -> list[tuple[str, Callable[[], Awaitable[None]] | None]]:
    tmp = Path(tempfile.mkdtemp(prefix="chibot-bench-"))
    urls: list[tuple[str, Callable[[], Awaitable[None]] | None]] = [
        (f"sqlite+aiosqlite:///{tmp}/bench.db", None)
    ]
    try:
        import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

        admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=2)
        name = f"chibot_bench_{int(time.time())}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()

        async def drop() -> None:
            conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=2)
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()

        urls.append((f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", drop))
    except Exception as error:  # no local server: say so, measure SQLite only
        console.print(
            f"[yellow]PostgreSQL at 127.0.0.1:5432 not reachable ({error}); SQLite only.[/]"
        )
    return urls


async def bench_chat_main(settings: Settings, args: argparse.Namespace) -> int:
    targets = [(u, None) for u in args.database_url] if args.database_url else await _default_urls()
    console.print(
        f"[bold]chat bench[/]: {args.guilds:,} servers x {args.members:,} members, "
        f"{args.messages:,} messages, concurrency {args.concurrency}"
    )
    rows = []
    for url, cleanup in targets:
        try:
            rows.append(await bench_one(url, args))
        finally:
            if cleanup:
                await cleanup()
    table = Table(title="messages per second")
    for column in (
        "database",
        "bare UPDATE/s",
        "chat path/s",
        "ratio",
        "chat p50 ms",
        "chat p99 ms",
        "awards",
        "no-word msgs/s",
    ):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            str(r["url"]),
            f"{r['bare']:,.0f}",
            f"{r['chat']:,.0f}",
            f"{r['chat'] / r['bare']:.0%}",
            str(r["chat_p50"]),
            str(r["chat_p99"]),
            f"{r['awarded']:,}",
            f"{r['plain']:,.0f}",
        )
    console.print(table)
    return 0
