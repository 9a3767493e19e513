"""What shop commands cost: at most six statements for buy, sell and use (SQLite and
PostgreSQL), with every guarantee kept.

Proven here: statements per call (a `before_cursor_execute` listener, transaction control
left out) for a stacking buy, a weapon buy, a partial and a full sale, and each use (HP, a
title, a box); each result is still exact (balances, holdings, counters, the weapon gauges);
a purchase that crosses an achievement threshold (the first legendary weapon) still unlocks
and pays it in the same transaction, and a member's first purchase checks everything.
"""

from __future__ import annotations

from shop_support import ALICE, G, fund, put, state

from chibot.app import App

BUDGET = 6


async def costs(app: App, call):
    with app.db.count_statements() as count:
        result = await call()
    assert count.n <= BUDGET, count.statements
    return result


async def test_buy_within_budget(app: App, veterans) -> None:
    await fund(app, G, ALICE, chi=60_000)
    await app.shop.buy(G, ALICE, "minor_healing_salve")  # the first purchase checks everything
    bought = await costs(app, lambda: app.shop.buy(G, ALICE, "minor_healing_salve", 2))
    assert (bought.balance, bought.chi, bought.held) == (54_000, 54_000, 3)
    sword = await costs(app, lambda: app.shop.buy(G, ALICE, "verdant_windblade"))
    assert (sword.balance, sword.held, sword.unlocked) == (53_800, 1, [])
    legend = await app.shop.buy(G, ALICE, "phoenix_flameblade", confirmed=True)
    assert [a.id for a in legend.unlocked] == ["legendary_weapon"]  # crossed: checked, paid
    after = await state(app, G, ALICE)
    assert after.counters["items_bought"] == 5
    assert after.counters["chi_spent_shop"] == 6_000 + 200 + 25_000
    assert (after.counters["weapon_kinds_owned"], after.counters["legendary_weapons_owned"]) == (
        2,
        1,
    )
    assert legend.balance == after.chi == 53_800 - 25_000 + legend.unlocked[0].reward


async def test_sell_within_budget(app: App, veterans) -> None:
    await fund(app, G, ALICE, chi=1_000)
    await put(app, G, ALICE, "minor_healing_salve", 3)
    await put(app, G, ALICE, "verdant_windblade")
    await put(app, G, ALICE, "crimson_fang_dagger", chest=True)
    await app.db.scoped(G, lambda s: s.counters.apply(ALICE, put={"weapon_kinds_owned": 2}))
    await app.shop.sell(G, ALICE, "minor_healing_salve")  # the first sale checks everything
    part = await costs(app, lambda: app.shop.sell(G, ALICE, "minor_healing_salve"))
    rest = await costs(app, lambda: app.shop.sell(G, ALICE, "minor_healing_salve"))
    sword = await costs(app, lambda: app.shop.sell(G, ALICE, "verdant_windblade"))
    assert (part.remaining, rest.remaining, sword.remaining) == (1, 0, 0)
    after = await state(app, G, ALICE)
    assert after.chi == sword.balance == 1_000 + 3 * part.unit + sword.total
    assert not any(
        row[0] in ("minor_healing_salve", "verdant_windblade") for row in after.inventory
    )
    assert after.counters["items_sold"] == 4
    assert (after.counters["weapon_kinds_owned"], after.counters["legendary_weapons_owned"]) == (
        1,
        0,
    )


async def test_use_within_budget(app: App, veterans) -> None:
    await put(app, G, ALICE, "permanent_hp_100", 3)
    await put(app, G, ALICE, "exclusive_title", 2)
    await put(app, G, ALICE, "mystery_box", 3)
    await app.shop.use(G, ALICE, "permanent_hp_100")  # the first use checks everything
    hp = await costs(app, lambda: app.shop.use(G, ALICE, "permanent_hp_100"))
    assert (hp.permanent_hp, hp.remaining) == (200, 1)
    title = await costs(app, lambda: app.shop.use(G, ALICE, "exclusive_title", "The Wise"))
    assert (title.title, title.remaining) == ("The Wise", 1)
    for left in (2, 1, 0):
        box = await costs(app, lambda: app.shop.use(G, ALICE, "mystery_box"))
        assert box.remaining == left
    after = await state(app, G, ALICE)
    assert after.title == "The Wise" and after.counters["items_used"] == 6
    assert after.chi == box.balance
