"""Hundreds of simultaneous money moves and claims, on SQLite and PostgreSQL.

Correctness comes from transactions, not from being one process (ARCHITECTURE.md 1.6): these
tests fire many use cases at once with `asyncio.gather` (real concurrency: PostgreSQL runs them
on up to 30 connections, SQLite queues them on its write lock) and prove:
- 200 random transfers among 5 members: the total is unchanged, nobody ends below zero, every
  refusal is `NotEnoughChi`, and each member's ledger sums to their balance;
- 50 simultaneous `daily` claims pay exactly once (49 `OnCooldown`), one ledger row;
- 100 simultaneous debits of 10 from 100 succeed exactly 10 times;
- 100 simultaneous chat messages of one (new) member pay exactly once (the chat cooldown);
- the same holds with four engines on one database (four processes sharing a SQLite file).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from sqlalchemy import select

from chibot.app import App
from chibot.core.db import Database, make_engine
from chibot.core.errors import NotEnoughChi, OnCooldown
from chibot.core.tables import ledger

G = 801
ADMIN = 99


async def ledger_rows(app: App) -> list:
    async with app.db.engine.connect() as conn:
        return list(await conn.execute(select(ledger).where(ledger.c.guild_id == G)))


async def chi(app: App, user: int) -> int:
    return (await app.db.scoped(G, lambda s: s.wallet.get(user))).chi


def outcomes(results: list) -> Counter:
    return Counter("ok" if not isinstance(r, BaseException) else type(r).__name__ for r in results)


async def test_simultaneous_gives_are_zero_sum(app: App) -> None:
    users = [1, 2, 3, 4, 5]
    for user in users[:4]:  # member 5 has no record yet: rows are created under contention
        await app.economy.admin_adjust(G, ADMIN, user, 100)
    rng = random.Random(7)
    moves = []
    for _ in range(200):
        sender, receiver = rng.sample(users, 2)
        moves.append((sender, receiver, rng.randint(1, 60)))

    results = await asyncio.gather(
        *(app.economy.give(G, s, r, amount) for s, r, amount in moves), return_exceptions=True
    )

    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, NotEnoughChi) for f in failures), failures
    assert 0 < len(failures) < 200
    balances = {user: await chi(app, user) for user in users}
    assert sum(balances.values()) == 400
    assert min(balances.values()) >= 0

    rows = await ledger_rows(app)
    gives = [r for r in rows if r.reason == "give"]
    assert len(gives) == 2 * (200 - len(failures))
    assert sum(r.delta for r in gives) == 0
    for user in users:
        assert sum(r.delta for r in rows if r.user_id == user) == balances[user]


async def test_simultaneous_daily_pays_once(app: App) -> None:
    results = await asyncio.gather(
        *(app.economy.daily(G, 1) for _ in range(50)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 1, "OnCooldown": 49}
    assert all(isinstance(r, OnCooldown) for r in results if isinstance(r, BaseException))
    # the first member of the server also earns Early Bird (5,000), and only once
    assert await chi(app, 1) == 250 + 5_000
    assert [r.reason for r in await ledger_rows(app)] == ["daily", "achievement"]


async def test_simultaneous_debits_never_overdraw(app: App) -> None:
    await app.economy.admin_adjust(G, ADMIN, 1, 100)
    results = await asyncio.gather(
        *(app.db.scoped(G, lambda s: s.wallet.debit(1, 10, reason="buy")) for _ in range(100)),
        return_exceptions=True,
    )
    assert outcomes(results) == {"ok": 10, "NotEnoughChi": 90}
    assert sorted(r for r in results if isinstance(r, int)) == list(range(0, 100, 10))
    assert await chi(app, 1) == 0
    assert len([r for r in await ledger_rows(app) if r.reason == "buy"]) == 10


async def test_simultaneous_chat_pays_once(app: App) -> None:
    results = await asyncio.gather(
        *(app.economy.chat(G, 1, "that was magnificent", ref=str(i)) for i in range(100)),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException)]
    paid = [r for r in results if r is not None]
    assert len(paid) == 1
    assert await chi(app, 1) == paid[0].balance == paid[0].delta + 5_000  # and Early Bird, once
    assert [r.reason for r in await ledger_rows(app)] == ["chat.positive", "achievement"]


async def test_several_processes_on_one_database(app: App) -> None:
    """Four engines on the same database (as four bot processes would have): on SQLite they
    contend for the file's write lock (BEGIN IMMEDIATE, busy timeout, retries)."""
    await app.economy.admin_adjust(G, ADMIN, 1, 100)
    small = (
        {} if app.db.dialect == "sqlite" else {"pool_size": 5, "max_overflow": 0}
    )  # stay under max_connections
    others = [
        Database(app.db.url, clock=app.clock, engine=make_engine(app.db.url, **small))
        for _ in range(3)
    ]
    try:
        engines = [app.db, *others]
        results = await asyncio.gather(
            *(
                engines[i % 4].scoped(G, lambda s: s.wallet.debit(1, 10, reason="buy"))
                for i in range(100)
            ),
            return_exceptions=True,
        )
    finally:
        for other in others:
            await other.dispose()
    assert outcomes(results) == {"ok": 10, "NotEnoughChi": 90}
    assert await chi(app, 1) == 0
