"""The wallet: every chi/rebirth move is one conditional statement plus its ledger row.

Proven here (SQLite and PostgreSQL):
- `credit` creates the member and appends a ledger row with the balance after the move;
  earned chi raises the lifetime total, unearned (transfers, grants) does not;
- `debit` never overdraws: `NotEnoughChi` carries the real balance and nothing is written,
  even when the caller catches the error and commits;
- `penalize` is the one move that can go below zero;
- `transfer` is zero-sum with two ledger rows; a transfer to oneself is refused;
- amounts that are 0, negative, bool, not an int or above `MAX_AMOUNT` are refused everywhere;
- the rebirths currency moves independently of chi;
- no wallet exists in the bot-wide scope (guild 0);
- after any random sequence of moves, each member's ledger sums to their balance and matches
  a plain Python model (hypothesis).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from chibot.core.currency import REBIRTHS
from chibot.core.db import Database
from chibot.core.errors import InvalidAmount, NotEnoughChi
from chibot.core.tables import ledger, members
from chibot.core.wallet import MAX_AMOUNT

G = 111
A, B, C = 11, 22, 33


async def ledger_rows(db: Database, guild_id: int = G) -> list:
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger).where(ledger.c.guild_id == guild_id).order_by(ledger.c.id)
        )
        return list(rows)


async def member(db: Database, user_id: int, guild_id: int = G):
    async with db.engine.connect() as conn:
        return (
            await conn.execute(
                select(members).where(
                    (members.c.guild_id == guild_id) & (members.c.user_id == user_id)
                )
            )
        ).first()


async def credit(db: Database, user_id: int, amount: int, **kw) -> int:
    kw.setdefault("reason", "test")
    return await db.scoped(G, lambda s: s.wallet.credit(user_id, amount, **kw))


async def test_credit_creates_the_member_and_a_ledger_row(db: Database) -> None:
    assert await member(db, A) is None
    assert await credit(db, A, 40, reason="daily", ref="r1") == 40
    assert await credit(db, A, 2, reason="daily") == 42

    row = await member(db, A)
    assert (row.chi, row.lifetime_chi, row.rebirths) == (42, 42, 0)
    assert [
        (r.user_id, r.delta, r.currency, r.reason, r.ref, r.balance_after)
        for r in await ledger_rows(db)
    ] == [
        (A, 40, "chi", "daily", "r1", 40),
        (A, 2, "chi", "daily", None, 42),
    ]
    assert all(r.at == db.clock.now() for r in await ledger_rows(db))


async def test_unearned_credit_does_not_raise_the_lifetime_total(db: Database) -> None:
    await credit(db, A, 10)
    await credit(db, A, 90, earned=False)
    row = await member(db, A)
    assert (row.chi, row.lifetime_chi) == (100, 10)


async def test_debit_spends_and_records(db: Database) -> None:
    await credit(db, A, 50)
    assert await db.scoped(G, lambda s: s.wallet.debit(A, 20, reason="buy", ref="sword")) == 30
    last = (await ledger_rows(db))[-1]
    assert (last.delta, last.reason, last.ref, last.balance_after) == (-20, "buy", "sword", 30)
    # the lifetime total is what was earned, spending never lowers it
    assert (await member(db, A)).lifetime_chi == 50


@pytest.mark.parametrize(("balance", "cost"), [(0, 1), (29, 30), (5, 10**12)])
async def test_debit_refuses_overdraft_and_writes_nothing(
    db: Database, balance: int, cost: int
) -> None:
    if balance:
        await credit(db, A, balance)
    before = await ledger_rows(db)

    async def fn(scope):  # the caller swallows the refusal and commits: still nothing written
        with pytest.raises(NotEnoughChi) as caught:
            await scope.wallet.debit(A, cost, reason="buy")
        return caught.value

    error = await db.scoped(G, fn)
    assert (error.needed, error.have, error.currency) == (cost, balance, "chi")
    assert await ledger_rows(db) == before
    row = await member(db, A)
    assert (row.chi if row else 0) == balance


async def test_debit_of_an_unknown_member_creates_no_row(db: Database) -> None:
    with pytest.raises(NotEnoughChi):
        await db.scoped(G, lambda s: s.wallet.debit(A, 1, reason="buy"))
    assert await member(db, A) is None


async def test_penalize_can_go_negative(db: Database) -> None:
    await credit(db, A, 5)
    assert await db.scoped(G, lambda s: s.wallet.penalize(A, 12, reason="chat.negative")) == -7
    # a member with no row yet starts from zero
    assert await db.scoped(G, lambda s: s.wallet.penalize(B, 3, reason="chat.negative")) == -3
    assert [(r.user_id, r.delta, r.balance_after) for r in (await ledger_rows(db))[1:]] == [
        (A, -12, -7),
        (B, -3, -3),
    ]
    assert (await member(db, A)).lifetime_chi == 5


async def test_transfer_is_zero_sum_with_two_ledger_rows(db: Database) -> None:
    await credit(db, A, 100)
    await credit(db, B, 1)
    assert await db.scoped(G, lambda s: s.wallet.transfer(A, B, 60, reason="give")) == (40, 61)
    rows = (await ledger_rows(db))[2:]
    assert sorted((r.user_id, r.delta, r.reason, r.ref, r.balance_after) for r in rows) == [
        (A, -60, "give", str(B), 40),
        (B, 60, "give", str(A), 61),
    ]
    assert sum(r.delta for r in rows) == 0
    assert (await member(db, B)).lifetime_chi == 1  # received chi is not earned chi


async def test_transfer_refuses_overdraft_and_moves_nothing(db: Database) -> None:
    await credit(db, A, 10)

    async def fn(scope):
        with pytest.raises(NotEnoughChi):
            await scope.wallet.transfer(A, B, 11, reason="give")

    await db.scoped(G, fn)
    assert (await member(db, A)).chi == 10
    assert getattr(await member(db, B), "chi", 0) == 0
    assert len(await ledger_rows(db)) == 1


async def test_transfer_to_self_is_refused(db: Database) -> None:
    await credit(db, A, 10)
    with pytest.raises(InvalidAmount):
        await db.scoped(G, lambda s: s.wallet.transfer(A, A, 5, reason="give"))
    assert (await member(db, A)).chi == 10
    assert len(await ledger_rows(db)) == 1


MOVES = {
    "credit": lambda w, n: w.credit(A, n, reason="t"),
    "debit": lambda w, n: w.debit(A, n, reason="t"),
    "penalize": lambda w, n: w.penalize(A, n, reason="t"),
    "transfer": lambda w, n: w.transfer(A, B, n, reason="t"),
}


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("amount", [0, -1, True, 2.0, "5", MAX_AMOUNT + 1])
async def test_bad_amounts_are_refused(db: Database, move: str, amount) -> None:
    await credit(db, A, 1000)
    with pytest.raises(InvalidAmount):
        await db.scoped(G, lambda s: MOVES[move](s.wallet, amount))
    assert len(await ledger_rows(db)) == 1
    assert (await member(db, A)).chi == 1000


async def test_max_amount_is_allowed(db: Database) -> None:
    assert await credit(db, A, MAX_AMOUNT) == MAX_AMOUNT


async def test_rebirths_are_their_own_currency(db: Database) -> None:
    await credit(db, A, 7)
    assert await credit(db, A, 3, currency=REBIRTHS) == 3
    assert await db.scoped(G, lambda s: s.wallet.debit(A, 2, reason="shop", currency=REBIRTHS)) == 1
    with pytest.raises(NotEnoughChi) as caught:
        await db.scoped(G, lambda s: s.wallet.debit(A, 2, reason="shop", currency=REBIRTHS))
    assert (caught.value.have, caught.value.currency) == (1, "rebirths")
    assert "rebirths" in str(caught.value)
    assert await db.scoped(
        G, lambda s: s.wallet.transfer(A, B, 1, reason="give", currency=REBIRTHS)
    ) == (0, 1)

    row = await member(db, A)
    assert (row.chi, row.rebirths, row.lifetime_chi) == (7, 0, 7)
    assert [(r.delta, r.currency) for r in await ledger_rows(db)][1:] == [
        (3, "rebirths"),
        (-2, "rebirths"),
        (-1, "rebirths"),
        (1, "rebirths"),
    ]
    money = await db.scoped(G, lambda s: s.wallet.get(B))
    assert (money.chi, money.rebirths) == (0, 1)


async def test_no_wallet_in_the_bot_wide_scope(db: Database) -> None:
    with pytest.raises(ValueError, match="guild_id 0"):
        await db.scoped(0, lambda s: s.wallet.credit(A, 1, reason="t"))
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(members))).scalar_one() == 0


# --- property: the ledger explains every balance --------------------------------------------

USERS = (A, B, C)
_guilds = itertools.count(10_000)

move = st.one_of(
    st.tuples(st.just("credit"), st.sampled_from(USERS), st.integers(1, 100)),
    st.tuples(st.just("debit"), st.sampled_from(USERS), st.integers(1, 100)),
    st.tuples(st.just("penalize"), st.sampled_from(USERS), st.integers(1, 100)),
    st.tuples(
        st.just("transfer"),
        st.tuples(st.sampled_from(USERS), st.sampled_from(USERS)).filter(lambda p: p[0] != p[1]),
        st.integers(1, 100),
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(move, max_size=25))
async def test_ledger_sums_to_the_balance(db: Database, moves: list) -> None:
    guild = next(_guilds)  # a fresh server per example: the database is shared between examples
    model = dict.fromkeys(USERS, 0)

    for kind, who, amount in moves:

        async def fn(scope, kind=kind, who=who, amount=amount):
            wallet = scope.wallet
            if kind == "credit":
                await wallet.credit(who, amount, reason=kind)
            elif kind == "debit":
                await wallet.debit(who, amount, reason=kind)
            elif kind == "penalize":
                await wallet.penalize(who, amount, reason=kind)
            else:
                await wallet.transfer(*who, amount, reason=kind)

        try:
            await db.scoped(guild, fn)
        except NotEnoughChi:
            payer = who[0] if kind == "transfer" else who
            assert kind in ("debit", "transfer") and model[payer] < amount
            continue
        if kind == "credit":
            model[who] += amount
        elif kind == "transfer":
            assert model[who[0]] >= amount
            model[who[0]] -= amount
            model[who[1]] += amount
        else:
            assert kind == "penalize" or model[who] >= amount
            model[who] -= amount

    rows = await ledger_rows(db, guild)
    for user in USERS:
        mine = [r for r in rows if r.user_id == user]
        balance = (await db.scoped(guild, lambda s, u=user: s.wallet.get(u))).chi
        assert balance == model[user] == sum(r.delta for r in mine)
        if mine:
            assert mine[-1].balance_after == balance
