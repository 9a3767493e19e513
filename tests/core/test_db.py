"""The transaction helper: one transaction per use case, rolled back on error, retried on
transient conflicts.

Proven here (SQLite and PostgreSQL):
- `scoped` commits what the function wrote, and a `UserError` rolls all of it back;
- which database errors count as transient (deadlock, serialization failure, locked SQLite);
- a real PostgreSQL deadlock between two use cases is retried: both end up applied;
- a scope refuses an invalid guild id.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import DBAPIError

from chibot.core.db import Database, _is_transient
from chibot.core.errors import UserError
from chibot.core.scope import GuildScope

G = 301


async def chi(db: Database, user: int) -> int:
    return (await db.scoped(G, lambda s: s.wallet.get(user))).chi


async def test_scoped_commits(db: Database) -> None:
    await db.scoped(G, lambda s: s.wallet.credit(1, 5, reason="t"))
    assert await chi(db, 1) == 5


async def test_a_user_error_rolls_everything_back(db: Database) -> None:
    async def fn(scope: GuildScope) -> None:
        await scope.wallet.credit(1, 5, reason="t")
        await scope.cooldowns.claim(1, "work", scope.now())
        await scope.audit.write(1, "x")
        raise UserError("changed my mind")

    with pytest.raises(UserError):
        await db.scoped(G, fn)
    assert await chi(db, 1) == 0
    assert await db.scoped(G, lambda s: s.cooldowns.ready_at(1, "work")) is None
    assert await db.scoped(G, lambda s: s.audit.recent()) == []


class _Orig(Exception):
    def __init__(self, text: str, sqlstate: str | None = None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("orig", "transient"),
    [
        (_Orig("deadlock detected", "40P01"), True),
        (_Orig("could not serialize access", "40001"), True),
        (_Orig("database is locked"), True),
        (_Orig("duplicate key value", "23505"), False),
        (_Orig("no such table: members"), False),
    ],
)
def test_transient_errors(orig: _Orig, transient: bool) -> None:
    assert _is_transient(DBAPIError("stmt", {}, orig)) is transient


async def test_a_deadlock_is_retried(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("SQLite write transactions start with BEGIN IMMEDIATE: they cannot deadlock")
    for user in (1, 2):
        await db.scoped(G, lambda s, u=user: s.wallet.credit(u, 100, reason="t"))
    first_locked, second_locked = asyncio.Event(), asyncio.Event()
    calls = 0

    async def move(
        scope: GuildScope, a: int, b: int, mine: asyncio.Event, theirs: asyncio.Event
    ) -> None:
        nonlocal calls
        calls += 1
        await scope.wallet.debit(a, 1, reason="t")
        mine.set()
        await theirs.wait()
        await scope.wallet.credit(b, 1, reason="t", earned=False)

    await asyncio.wait_for(
        asyncio.gather(
            db.scoped(G, move, 1, 2, first_locked, second_locked),
            db.scoped(G, move, 2, 1, second_locked, first_locked),
        ),
        timeout=30,
    )
    assert calls == 3  # one of the two was chosen as the deadlock victim and run again
    assert (await chi(db, 1), await chi(db, 2)) == (100, 100)


@pytest.mark.parametrize("guild", [-1, "5", 1.0])
def test_scope_refuses_invalid_guild_ids(guild) -> None:
    with pytest.raises(ValueError):
        GuildScope(None, guild, None)  # type: ignore[arg-type]
