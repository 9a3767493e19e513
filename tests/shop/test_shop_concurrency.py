"""Simultaneous shop actions of one member, on SQLite and PostgreSQL (`asyncio.gather`: real
concurrency on PostgreSQL's connection pool, queued on SQLite's write lock). Never more is
bought than paid for, sold than held, or given than the rules allow; the ledger always adds up
to the balance."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from shop_support import ALICE, G, fund, ledger_rows, put, state

from chibot.app import App
from chibot.features.shop.service import Purchase, Quote

pytestmark = pytest.mark.usefixtures("veterans")


def outcomes(results: list) -> Counter:
    return Counter("ok" if not isinstance(r, BaseException) else type(r).__name__ for r in results)


async def assert_ledger_matches(app: App, user: int) -> None:
    s = await state(app, G, user)
    rows = await ledger_rows(app, G, user)
    assert sum(r.delta for r in rows if r.currency == "chi") == s.chi
    assert sum(r.delta for r in rows if r.currency == "rebirths") == s.rebirths


async def test_hundred_buys_of_what_ten_can_pay_for(app: App) -> None:
    await fund(app, G, ALICE, chi=20_000)  # exactly 10 salves of 2,000
    results = await asyncio.gather(
        *(app.shop.buy(G, ALICE, "minor_healing_salve") for _ in range(100)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 10, "NotEnoughChi": 90}
    assert all(isinstance(r, Purchase) for r in results if not isinstance(r, BaseException))
    s = await state(app, G, ALICE)
    assert s.chi == 0
    assert [(h.item_id, h.qty) for h in s.inventory] == [("minor_healing_salve", 10)]
    assert s.counters["items_bought"] == 10 and s.counters["chi_spent_shop"] == 20_000
    buys = [r for r in await ledger_rows(app, G, ALICE) if r.reason == "shop.buy"]
    assert len(buys) == 10 and sum(r.delta for r in buys) == -20_000
    assert sorted(r.balance_after for r in buys) == list(range(0, 20_000, 2_000))
    await assert_ledger_matches(app, ALICE)


async def test_fifty_sells_of_twenty_held(app: App) -> None:
    await put(app, G, ALICE, "minor_healing_salve", 20)
    results = await asyncio.gather(
        *(app.shop.sell(G, ALICE, "minor_healing_salve") for _ in range(50)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 20, "NotEnoughItems": 30}
    s = await state(app, G, ALICE)
    assert s.inventory == () and s.chi == 20 * 600 and s.counters["items_sold"] == 20
    assert len([r for r in await ledger_rows(app, G, ALICE) if r.reason == "shop.sell"]) == 20
    await assert_ledger_matches(app, ALICE)


async def test_simultaneous_buys_of_a_weapon_buy_one(app: App) -> None:
    await fund(app, G, ALICE, chi=10_000)
    results = await asyncio.gather(
        *(app.shop.buy(G, ALICE, "verdant_windblade") for _ in range(30)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 1, "AlreadyOwned": 29}
    s = await state(app, G, ALICE)
    assert s.chi == 9_800 and [(h.item_id, h.qty) for h in s.inventory] == [
        ("verdant_windblade", 1)
    ]
    assert s.counters["weapon_kinds_owned"] == 1
    await assert_ledger_matches(app, ALICE)


async def test_one_confirmation_clicked_many_times_buys_once(app: App) -> None:
    await fund(app, G, ALICE, chi=100_000)
    quote = await app.shop.buy(G, ALICE, "minor_healing_salve", 5)
    assert isinstance(quote, Quote)
    terms = dict(
        confirmed=True,
        max_total=quote.total.amount,
        expect_held=quote.held,
        expires_at=quote.expires_at,
    )
    results = await asyncio.gather(
        *(app.shop.buy(G, ALICE, "minor_healing_salve", 5, **terms) for _ in range(20)),
        return_exceptions=True,
    )
    assert outcomes(results) == {"ok": 1, "OfferChanged": 19}
    s = await state(app, G, ALICE)
    assert s.chi == 90_000 and [(h.item_id, h.qty) for h in s.inventory] == [
        ("minor_healing_salve", 5)
    ]


async def test_simultaneous_hp_uses_never_pass_the_cap(app: App) -> None:
    await put(app, G, ALICE, "permanent_hp_1000", 5)
    results = await asyncio.gather(
        *(app.shop.use(G, ALICE, "permanent_hp_1000") for _ in range(5)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 2, "HpCapReached": 3}
    s = await state(app, G, ALICE)
    assert s.counters["permanent_hp"] == 2_000
    assert [(h.item_id, h.qty) for h in s.inventory] == [("permanent_hp_1000", 3)]


async def test_simultaneous_boxes_open_each_once(app: App) -> None:
    await put(app, G, ALICE, "mystery_box", 10)
    results = await asyncio.gather(
        *(app.shop.use(G, ALICE, "mystery_box") for _ in range(25)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 10, "NotEnoughItems": 15}
    s = await state(app, G, ALICE)
    assert s.counters["items_used"] == 10 and all(h.item_id != "mystery_box" for h in s.inventory)
    opened = [r for r in results if not isinstance(r, BaseException)]
    stacked = sum(r.qty for r in opened if r.got.stacks)
    assert sum(h.qty for h in s.inventory if app.catalog.items.get(h.item_id).stacks) == stacked
    await assert_ledger_matches(app, ALICE)


async def test_chest_moves_and_sales_never_lose_or_make_items(app: App) -> None:
    await put(app, G, ALICE, "minor_healing_salve", 30)
    actions = []
    for i in range(60):
        if i % 3 == 0:
            actions.append(app.shop.chest_move(G, ALICE, "minor_healing_salve", 2, into_chest=True))
        elif i % 3 == 1:
            actions.append(
                app.shop.chest_move(G, ALICE, "minor_healing_salve", 1, into_chest=False)
            )
        else:
            actions.append(app.shop.sell(G, ALICE, "minor_healing_salve"))
    results = await asyncio.gather(*actions, return_exceptions=True)
    assert set(outcomes(results)) <= {"ok", "NotEnoughItems", "NotInChest", "NotInInventory"}
    s = await state(app, G, ALICE)
    held = sum(h.qty for h in s.inventory) + sum(h.qty for h in s.chest)
    sold = s.counters.get("items_sold", 0)
    assert held + sold == 30 and s.chi == sold * 600
    await assert_ledger_matches(app, ALICE)
