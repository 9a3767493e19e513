"""Shop use cases against a real database (SQLite and PostgreSQL): every success writes all its
parts, every refusal writes nothing (balance, inventory, chest, counters, ledger unchanged)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shop_support import ALICE, BOB, G2, FixedRng, G, fund, ledger_rows, put, state
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi, UserError
from chibot.core.holdings import NotEnoughItems
from chibot.discord.wording import word
from chibot.features.shop import errors, rules
from chibot.features.shop.errors import NotInChest, NotInInventory
from chibot.features.shop.service import (
    HpUse,
    LootUse,
    Purchase,
    Quote,
    TitleUse,
)

pytestmark = pytest.mark.usefixtures("veterans")


async def set_multiplier(app: App, guild: int, value: int) -> None:
    await app.guild_settings.set(guild, "shop_price_multiplier", value, by=1)


async def buy_now(app: App, guild: int, user: int, text: str, qty: int = 1) -> Purchase:
    """Buy, confirming at once if the purchase asks for it."""
    result = await app.shop.buy(guild, user, text, qty)
    if isinstance(result, Quote):
        result = await app.shop.buy(
            guild,
            user,
            text,
            qty,
            confirmed=True,
            max_total=result.total.amount,
            expect_held=result.held,
            expires_at=result.expires_at,
        )
    assert isinstance(result, Purchase)
    return result


# --- buying --------------------------------------------------------------------------------


async def test_buy_writes_money_items_counters_and_ledger(app: App) -> None:
    await fund(app, G, ALICE, chi=6_000)
    result = await app.shop.buy(G, ALICE, "minor healing salve", 2)
    assert isinstance(result, Purchase)
    assert (result.qty, result.total.amount, result.balance, result.held) == (2, 4_000, 2_000, 2)
    assert result.unlocked == []
    s = await state(app, G, ALICE)
    assert s.chi == 2_000 and s.lifetime == 0
    assert [(h.item_id, h.qty) for h in s.inventory] == [("minor_healing_salve", 2)]
    assert s.counters["items_bought"] == 2 and s.counters["chi_spent_shop"] == 4_000
    last = (await ledger_rows(app, G, ALICE))[-1]
    assert (last.delta, last.reason, last.ref, last.currency, last.balance_after) == (
        -4_000,
        "shop.buy",
        "minor_healing_salve",
        "chi",
        2_000,
    )
    await app.shop.buy(G, ALICE, "C11")  # by code: stacks onto the same row
    s = await state(app, G, ALICE)
    assert [(h.item_id, h.qty) for h in s.inventory] == [("minor_healing_salve", 3)]
    assert s.counters["items_bought"] == 3 and s.chi == 0


async def test_buy_uses_the_server_multiplier_at_once(app: App) -> None:
    await fund(app, G, ALICE, chi=1_000)
    await fund(app, G2, ALICE, chi=1_000)
    stale = await app.guild_settings.get(G)  # 100%, cached
    await set_multiplier(app, G, 150)
    app.guild_settings.cache.put(G, stale)  # as if another process had changed it: still cached
    result = await app.shop.buy(G, ALICE, "verdant_windblade")
    assert result.total.amount == 300 and result.balance == 700
    other = await app.shop.buy(G2, ALICE, "verdant_windblade")  # the other server: base price
    assert other.total.amount == 200 and other.balance == 800


async def test_rounding_up_applies_per_unit(app: App) -> None:
    await set_multiplier(app, G, 33)
    await fund(app, G, ALICE, chi=10_000)
    result = await app.shop.buy(G, ALICE, "mystery_box", 3)
    assert result.total.amount == 3 * 825


async def test_rebirth_purchase_always_confirms_and_spends_rebirths(app: App) -> None:
    await fund(app, G, ALICE, chi=100, rebirths=7)
    quote = await app.shop.buy(G, ALICE, "R1", 2)
    assert isinstance(quote, Quote)
    assert (quote.total.amount, quote.total.currency, quote.balance, quote.held) == (
        6,
        "rebirths",
        7,
        0,
    )
    assert quote.expires_at == app.clock.now() + timedelta(seconds=rules.CONFIRM_SECONDS)
    assert (await state(app, G, ALICE)).rebirths == 7  # a quote writes nothing
    done = await app.shop.buy(
        G, ALICE, "R1", 2, confirmed=True, max_total=6, expect_held=0, expires_at=quote.expires_at
    )
    assert isinstance(done, Purchase) and done.balance == 1 and done.chi == 100
    s = await state(app, G, ALICE)
    assert s.rebirths == 1 and s.chi == 100
    assert s.counters["rebirths_spent_shop"] == 6 and "chi_spent_shop" not in s.counters
    last = (await ledger_rows(app, G, ALICE))[-1]
    assert (last.delta, last.currency, last.reason) == (-6, "rebirths", "shop.buy")


async def test_big_chi_purchase_needs_confirmation(app: App) -> None:
    await fund(app, G, ALICE, chi=20_000)
    small = await app.shop.buy(G, ALICE, "minor_healing_salve", 4)  # 8,000: at once
    assert isinstance(small, Purchase)
    quote = await app.shop.buy(G, ALICE, "minor_healing_salve", 5)  # 10,000: confirm
    assert isinstance(quote, Quote) and quote.total.amount == 10_000 and quote.held == 4
    before = await state(app, G, ALICE)
    assert before.chi == 12_000
    done = await app.shop.buy(
        G,
        ALICE,
        "minor_healing_salve",
        5,
        confirmed=True,
        max_total=10_000,
        expect_held=4,
        expires_at=quote.expires_at,
    )
    assert isinstance(done, Purchase) and done.held == 9 and done.balance == 2_000


async def test_a_confirmation_is_used_once(app: App) -> None:
    await fund(app, G, ALICE, chi=50_000)
    quote = await app.shop.buy(G, ALICE, "minor_healing_salve", 5)
    terms = dict(
        confirmed=True,
        max_total=quote.total.amount,
        expect_held=quote.held,
        expires_at=quote.expires_at,
    )
    await app.shop.buy(G, ALICE, "minor_healing_salve", 5, **terms)
    before = await state(app, G, ALICE)
    with pytest.raises(errors.OfferChanged):
        await app.shop.buy(G, ALICE, "minor_healing_salve", 5, **terms)
    assert await state(app, G, ALICE) == before


async def test_an_expired_or_dearer_offer_is_refused(app: App) -> None:
    await fund(app, G, ALICE, chi=50_000)
    quote = await app.shop.buy(G, ALICE, "celestial_warhammer")
    assert isinstance(quote, Quote)
    terms = dict(
        confirmed=True, max_total=quote.total.amount, expect_held=0, expires_at=quote.expires_at
    )
    app.clock.advance(rules.CONFIRM_SECONDS + 1)
    with pytest.raises(errors.OfferExpired):
        await app.shop.buy(G, ALICE, "celestial_warhammer", **terms)
    quote = await app.shop.buy(G, ALICE, "celestial_warhammer")
    terms = dict(
        confirmed=True, max_total=quote.total.amount, expect_held=0, expires_at=quote.expires_at
    )
    await set_multiplier(app, G, 200)
    before = await state(app, G, ALICE)
    with refused(errors.OfferChanged, "price went up to **20,000 chi"):
        await app.shop.buy(G, ALICE, "celestial_warhammer", **terms)
    assert await state(app, G, ALICE) == before
    await set_multiplier(app, G, 50)  # cheaper: the member pays the lower price
    done = await app.shop.buy(G, ALICE, "celestial_warhammer", **terms)
    assert done.total.amount == 5_000 and done.balance == 45_000


@pytest.mark.parametrize(
    ("text", "qty", "error", "message"),
    [
        ("Phoenx Flameblade", 1, errors.UnknownItem, "Did you mean **Phoenix Flameblade**"),
        ("G7", 1, errors.InGardenShop, "`garden buy G7`"),
        ("minor_healing_salve", 0, errors.BadQuantity, "1 to 1,000"),
        ("minor_healing_salve", 1001, errors.BadQuantity, "1 to 1,000"),
        ("verdant_windblade", 2, errors.BadQuantity, "one at a time"),
        ("crimson_fang_dagger", 1, NotEnoughChi, "need **500** chi but have **300**"),
        ("minor_healing_salve", 1, NotEnoughChi, "need **2,000** chi but have **300**"),
        ("verdant_windblade", 1, errors.AlreadyOwned, "already own **Verdant Windblade**"),
        ("stormcallers_pike", 1, errors.AlreadyOwned, "in your chest"),
        ("R2", 1, NotEnoughChi, "need **6** rebirths but have **1**"),
        (
            "celestial_warhammer",
            1,
            NotEnoughChi,
            "need **10,000** chi",
        ),  # refused before confirming
    ],
)
async def test_buy_refusals_write_nothing(
    app: App, text: str, qty: int, error: type, message: str
) -> None:
    await fund(app, G, ALICE, chi=300, rebirths=1)
    await put(app, G, ALICE, "verdant_windblade", level=2)
    await put(app, G, ALICE, "stormcallers_pike", chest=True)
    before = await state(app, G, ALICE)
    with pytest.raises(error) as caught:
        await app.shop.buy(G, ALICE, text, qty)
    assert message in word(caught.value)  # as the Discord layer words it
    assert await state(app, G, ALICE) == before


async def test_buy_without_a_member_record(app: App) -> None:
    with pytest.raises(NotEnoughChi):
        await app.shop.buy(G, 77, "verdant_windblade")
    assert (await state(app, G, 77)).ledger == 0


# --- weapons and achievements ---------------------------------------------------------------


async def test_legendary_weapon_achievement_fires_once(app: App) -> None:
    await fund(app, G, ALICE, chi=60_000)
    first = await buy_now(app, G, ALICE, "C6")
    assert [a.id for a in first.unlocked] == ["legendary_weapon"]
    assert first.balance == 60_000 - 25_000 + 1_500
    s = await state(app, G, ALICE)
    assert s.counters["legendary_weapons_owned"] == 1 and s.counters["weapon_kinds_owned"] == 1
    assert "legendary_weapon" in s.unlocked
    reward = [r for r in await ledger_rows(app, G, ALICE) if r.reason == "achievement"]
    assert [(r.delta, r.ref) for r in reward] == [(1_500, "legendary_weapon")]
    sale = await app.shop.sell(G, ALICE, "Phoenix Flameblade")
    assert sale.total == 7_500 and sale.unlocked == []
    assert (await state(app, G, ALICE)).counters["legendary_weapons_owned"] == 0
    again = await buy_now(app, G, ALICE, "C6")
    assert again.unlocked == []
    assert len([r for r in await ledger_rows(app, G, ALICE) if r.reason == "achievement"]) == 1


async def test_weapon_gauges_count_inventory_and_chest(app: App) -> None:
    await fund(app, G, ALICE, chi=10_000)
    await buy_now(app, G, ALICE, "C1")
    await buy_now(app, G, ALICE, "C2")
    await app.shop.chest_move(G, ALICE, "C1", into_chest=True)
    await buy_now(app, G, ALICE, "C3")
    assert (await state(app, G, ALICE)).counters["weapon_kinds_owned"] == 3
    await app.shop.sell(G, ALICE, "C2")
    s = await state(app, G, ALICE)
    assert s.counters["weapon_kinds_owned"] == 2 and s.counters["legendary_weapons_owned"] == 0


async def test_complete_arsenal(app: App) -> None:
    for weapon in [i for i in app.catalog.items if i.category == "weapon"][:9]:
        await put(app, G, ALICE, weapon.id)
    await fund(app, G, ALICE, chi=250_000)
    done = await buy_now(app, G, ALICE, "C10")
    assert {a.id for a in done.unlocked} == {"arsenal_complete", "legendary_weapon"}
    assert done.balance == 1_500 + 20_000


# --- selling -------------------------------------------------------------------------------


async def test_sell_pays_scaled_value_and_is_not_earning(app: App) -> None:
    await set_multiplier(app, G, 150)
    await put(app, G, ALICE, "minor_healing_salve", 5)
    sale = await app.shop.sell(G, ALICE, "Minor Healing Salve", 3)
    assert (sale.unit, sale.total, sale.balance, sale.remaining) == (900, 2_700, 2_700, 2)
    s = await state(app, G, ALICE)
    assert s.chi == 2_700 and s.lifetime == 0
    assert s.counters["items_sold"] == 3 and s.counters["chi_from_sales"] == 2_700
    last = (await ledger_rows(app, G, ALICE))[-1]
    assert (last.delta, last.reason, last.ref) == (2_700, "shop.sell", "minor_healing_salve")
    await app.shop.sell(G, ALICE, "c11", 2)
    assert (await state(app, G, ALICE)).inventory == ()


@pytest.mark.parametrize(
    ("text", "qty", "error", "message"),
    [
        ("mystery box", 1, errors.CannotSell, "can't be sold"),
        ("exclusive_title", 1, errors.CannotSell, "can't be sold"),
        ("basic_health_elixir", 1, NotEnoughItems, "don't have any"),
        ("minor_healing_salve", 6, NotEnoughItems, "have **5** Minor Healing Salve, not 6"),
        ("minor_healing_salve", 0, errors.BadQuantity, "1 to 1,000"),
        ("stormcallers_pike", 1, NotInInventory, "chest holds 1"),
        ("nonsense", 1, errors.UnknownItem, "no item called"),
    ],
)
async def test_sell_refusals_write_nothing(
    app: App, text: str, qty: int, error: type, message: str
) -> None:
    await fund(app, G, ALICE, chi=10)
    await put(app, G, ALICE, "minor_healing_salve", 5)
    await put(app, G, ALICE, "mystery_box", 1)
    await put(app, G, ALICE, "exclusive_title", 1)
    await put(app, G, ALICE, "stormcallers_pike", chest=True)
    before = await state(app, G, ALICE)
    with refused(error, message):
        await app.shop.sell(G, ALICE, text, qty)
    assert await state(app, G, ALICE) == before


async def test_worthless_at_a_low_multiplier(app: App) -> None:
    await set_multiplier(app, G, 10)
    await put(app, G, ALICE, "pirate_hat", 1)  # sells for 7: 0.7 here
    with refused(errors.CannotSell, "at this server's prices"):
        await app.shop.sell(G, ALICE, "pirate hat")


# --- holdings and the chest ----------------------------------------------------------------


async def test_chest_round_trip_keeps_levels_and_quantities(app: App) -> None:
    await put(app, G, ALICE, "phoenix_flameblade", level=3)
    await put(app, G, ALICE, "minor_healing_salve", 7)
    move = await app.shop.chest_move(G, ALICE, "Phoenix Flameblade", into_chest=True)
    assert (move.level, move.inventory, move.chest) == (3, 0, 1)
    await app.shop.chest_move(G, ALICE, "minor_healing_salve", 5, into_chest=True)
    s = await state(app, G, ALICE)
    assert [(h.item_id, h.qty, h.level) for h in s.chest] == [
        ("minor_healing_salve", 5, 0),
        ("phoenix_flameblade", 1, 3),
    ]
    assert [(h.item_id, h.qty) for h in s.inventory] == [("minor_healing_salve", 2)]
    back = await app.shop.chest_move(G, ALICE, "C6", into_chest=False)
    assert (back.level, back.inventory, back.chest) == (3, 1, 0)
    await app.shop.chest_move(G, ALICE, "minor_healing_salve", 5, into_chest=False)
    s = await state(app, G, ALICE)
    assert s.chest == ()
    assert [(h.item_id, h.qty, h.level) for h in s.inventory] == [
        ("minor_healing_salve", 7, 0),
        ("phoenix_flameblade", 1, 3),
    ]


async def test_the_chest_holds_any_item(app: App) -> None:
    """The old bot refused names containing chi, rebirth, pet or locked: not any more."""
    for item_id in ("infinity_chi_scepter", "exclusive_title", "permanent_hp_100", "mystery_box"):
        await put(app, G, ALICE, item_id)
        await app.shop.chest_move(G, ALICE, item_id, into_chest=True)
    assert len((await state(app, G, ALICE)).chest) == 4


@pytest.mark.parametrize(
    ("text", "qty", "into", "error", "message"),
    [
        ("basic_health_elixir", 1, True, NotEnoughItems, "don't have any"),
        ("minor_healing_salve", 4, True, NotEnoughItems, "have **3**"),
        ("basic_health_elixir", 1, False, NotInChest, "chest has no"),
        ("stormcallers_pike", 2, False, errors.BadQuantity, "one at a time"),
        ("mystery_box", 2, False, NotInChest, "chest holds **1** Mystery Box, not 2"),
        ("unknown thing", 1, True, errors.UnknownItem, "no item called"),
        ("minor_healing_salve", 1001, True, errors.BadQuantity, "1 to 1,000"),
    ],
)
async def test_chest_refusals_write_nothing(
    app: App, text: str, qty: int, into: bool, error: type, message: str
) -> None:
    await put(app, G, ALICE, "minor_healing_salve", 3)
    await put(app, G, ALICE, "stormcallers_pike", chest=True)
    await put(app, G, ALICE, "mystery_box", chest=True)
    before = await state(app, G, ALICE)
    with refused(error, message):
        await app.shop.chest_move(G, ALICE, text, qty, into_chest=into)
    assert await state(app, G, ALICE) == before


async def test_holdings_by_category(app: App) -> None:
    await fund(app, G, ALICE, chi=42, rebirths=2)
    await put(app, G, ALICE, "minor_healing_salve", 2)
    await put(app, G, ALICE, "infinity_chi_scepter", level=4)
    await put(app, G, ALICE, "verdant_windblade")
    await put(app, G, ALICE, "mystery_box", 3, chest=True)
    view = await app.shop.holdings(G, ALICE)
    assert [(e.item.id, e.qty, e.level) for e in view.entries] == [
        ("verdant_windblade", 1, 0),
        ("infinity_chi_scepter", 1, 4),
        ("minor_healing_salve", 2, 0),
    ]
    assert (view.chi, view.rebirths, view.other) == (42, 2, 3)
    weapons = await app.shop.holdings(G, ALICE, category="Weapons")
    assert weapons.category == "weapon" and len(weapons.entries) == 2
    chest = await app.shop.holdings(G, ALICE, where="chest")
    assert [(e.item.id, e.qty) for e in chest.entries] == [("mystery_box", 3)] and chest.other == 4
    with pytest.raises(errors.UnknownCategory):
        await app.shop.holdings(G, ALICE, category="nobody")
    assert (await app.shop.holdings(G2, ALICE)).entries == []


async def test_shop_page_shows_prices_ownership_and_means(app: App) -> None:
    await set_multiplier(app, G, 200)
    await fund(app, G, ALICE, chi=1_000)
    await put(app, G, ALICE, "verdant_windblade", chest=True)
    await put(app, G, ALICE, "minor_healing_salve", 2)
    page = await app.shop.page(G, ALICE, "chi", 1)
    assert (page.page, page.pages, page.balance, page.multiplier) == (1, 3, 1_000, 200)
    entries = {e.item.id: e for e in page.entries}
    assert len(page.entries) == rules.SHOP_PAGE_SIZE
    assert (
        entries["verdant_windblade"].price.amount == 400 and entries["verdant_windblade"].owned == 1
    )
    assert entries["crimson_fang_dagger"].affordable is True  # 1,000 at 200%: exactly
    assert entries["stormcallers_pike"].affordable is False  # 3,000
    assert (await app.shop.page(G, ALICE, "chi", 99)).page == 3  # past the end: the last page
    second = await app.shop.page(G, ALICE, "chi", 2)
    assert second.page == 2 and {e.item.id for e in second.entries} >= {
        "minor_healing_salve",
        "mystery_box",
    }
    assert next(e for e in second.entries if e.item.id == "minor_healing_salve").owned == 2
    assert all(
        app.catalog.items.available(e.item) for e in page.entries + second.entries
    )  # no team or garden items
    rebirth = await app.shop.page(G, ALICE, "rebirth")
    assert [e.item.buy.code for e in rebirth.entries] == ["R1", "R2", "R3", "R4", "R5"]
    assert rebirth.entries[0].price.amount == 3  # never scaled
    with pytest.raises(UserError):
        await app.shop.page(G, ALICE, "town")


# --- items ---------------------------------------------------------------------------------


async def test_item_info(app: App) -> None:
    await set_multiplier(app, G, 150)
    await put(app, G, ALICE, "phoenix_flameblade", level=3)
    info = await app.shop.item_info(G, ALICE, "c6")
    assert info.item.id == "phoenix_flameblade"
    assert (info.unit.amount, info.sell, info.bonus_pct) == (37_500, 11_250, 15)
    assert info.inventory.level == 3 and info.chest is None
    box = await app.shop.item_info(G, ALICE, "Mystery Box")
    assert [(line.item.id, round(line.chance, 2)) for line in box.loot][:2] == [
        ("minor_healing_salve", 0.5),
        ("basic_health_elixir", 0.34),
    ]
    hoe = await app.shop.item_info(G, ALICE, "basic hoe")
    assert hoe.unit.amount == 7_500  # a chi-shop tool, priced like the rest
    shard = await app.shop.item_info(G, ALICE, "rift shard")
    assert shard.unit is None  # a boss drop: never sold
    with pytest.raises(errors.UnknownItem):
        await app.shop.item_info(G, ALICE, "nothing like it")


# --- using ---------------------------------------------------------------------------------


async def test_permanent_hp_up_to_the_cap_and_unbreakable_once(app: App) -> None:
    for item_id in (
        "permanent_hp_1000",
        "permanent_hp_1000",
        "permanent_hp_500",
        "permanent_hp_250",
        "permanent_hp_100",
    ):
        await put(app, G, ALICE, item_id)
    first = await app.shop.use(G, ALICE, "+1000 Permanent HP")
    assert isinstance(first, HpUse)
    assert (first.hp, first.permanent_hp, first.max_hp, first.remaining) == (1_000, 1_000, 1_250, 1)
    await app.shop.use(G, ALICE, "R4")
    await app.shop.use(G, ALICE, "R3")
    last = await app.shop.use(G, ALICE, "R2")
    assert (last.permanent_hp, last.max_hp) == (2_750, 3_000)
    assert [a.id for a in last.unlocked] == ["hp_maxed"]
    s = await state(app, G, ALICE)
    assert s.chi == 3_500 and s.counters["permanent_hp"] == 2_750 and "hp_maxed" in s.unlocked
    with refused(errors.HpCapReached, "past the cap of 2,750"):
        await app.shop.use(G, ALICE, "R1")
    after = await state(app, G, ALICE)
    assert after == s  # the +100 is still there, nothing else moved
    assert [(h.item_id, h.qty) for h in after.inventory] == [("permanent_hp_100", 1)]


async def test_title(app: App) -> None:
    await put(app, G, ALICE, "exclusive_title", 2)
    result = await app.shop.use(G, ALICE, "Exclusive Title", "  The   Wise ")
    assert isinstance(result, TitleUse) and result.title == "The Wise" and result.remaining == 1
    s = await state(app, G, ALICE)
    assert s.title == "The Wise" and s.counters["items_used"] == 1
    assert (await state(app, G2, ALICE)).title is None


@pytest.mark.parametrize(
    "text", [None, "", "@everyone", "x" * 33, "**bold**", "a\nb", "https://x.y"]
)
async def test_bad_titles_consume_nothing(app: App, text: str | None) -> None:
    await put(app, G, ALICE, "exclusive_title")
    before = await state(app, G, ALICE)
    with pytest.raises(errors.BadTitle):
        await app.shop.use(G, ALICE, "exclusive_title", text)
    assert await state(app, G, ALICE) == before


async def test_title_needs_the_item(app: App) -> None:
    with pytest.raises(NotEnoughItems):
        await app.shop.use(G, ALICE, "exclusive_title", "The Wise")
    assert (await state(app, G, ALICE)).title is None


async def test_box_gives_a_stacking_item(app: App) -> None:
    app.shop.rng = FixedRng(1)  # ticket 1: the first entry, a Minor Healing Salve
    await put(app, G, ALICE, "mystery_box", 2)
    result = await app.shop.use(G, ALICE, "mystery box")
    assert isinstance(result, LootUse)
    assert (result.got.id, result.duplicate, result.paid, result.remaining) == (
        "minor_healing_salve",
        False,
        0,
        1,
    )
    s = await state(app, G, ALICE)
    assert {h.item_id: h.qty for h in s.inventory} == {"minor_healing_salve": 1, "mystery_box": 1}


async def test_box_gives_a_new_weapon_then_pays_for_a_duplicate(app: App) -> None:
    await set_multiplier(app, G, 150)
    app.shop.rng = FixedRng(85, 85, 85)  # tickets 85..94: the Verdant Windblade
    await put(app, G, ALICE, "mystery_box", 2)
    first = await app.shop.use(G, ALICE, "mystery_box")
    assert (first.got.id, first.duplicate, first.paid) == ("verdant_windblade", False, 0)
    assert (await state(app, G, ALICE)).counters["weapon_kinds_owned"] == 1
    await app.shop.chest_move(G, ALICE, "verdant_windblade", into_chest=True)  # held in the chest
    second = await app.shop.use(G, ALICE, "mystery_box")
    assert (second.got.id, second.duplicate, second.paid, second.balance) == (
        "verdant_windblade",
        True,
        90,
        90,
    )
    s = await state(app, G, ALICE)
    assert s.chi == 90 and s.lifetime == 0
    assert [(h.item_id, h.qty) for h in s.chest] == [("verdant_windblade", 1)]
    assert all(h.item_id != "mystery_box" for h in s.inventory)
    last = (await ledger_rows(app, G, ALICE))[-1]
    assert (last.delta, last.reason, last.ref) == (90, "shop.loot", "verdant_windblade")
    with pytest.raises(NotEnoughItems):
        await app.shop.use(G, ALICE, "mystery_box")


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("verdant_windblade", errors.CannotUse, "`equip Verdant Windblade`"),
        ("minor healing salve", errors.CannotUse, "`fight heal Minor Healing Salve`"),
        ("couch", errors.CannotUse, "`team decorate Couch`"),
        ("permanent_hp_500", NotEnoughItems, "don't have any"),
        ("mystery_box", NotInInventory, "chest holds 1"),
        ("what is this", errors.UnknownItem, "no item called"),
    ],
)
async def test_use_refusals_write_nothing(app: App, text: str, error: type, message: str) -> None:
    await put(app, G, ALICE, "verdant_windblade")
    await put(app, G, ALICE, "minor_healing_salve", 2)
    await put(app, G, ALICE, "mystery_box", chest=True)
    app.shop.rng = FixedRng(1)
    before = await state(app, G, ALICE)
    with refused(error, message):
        await app.shop.use(G, ALICE, text)
    assert await state(app, G, ALICE) == before


# --- servers are separate -------------------------------------------------------------------


async def test_servers_are_separate(app: App) -> None:
    await fund(app, G, ALICE, chi=5_000)
    await fund(app, G2, BOB, chi=5_000)
    await app.shop.buy(G, ALICE, "verdant_windblade")
    assert (await state(app, G2, ALICE)).inventory == ()
    with pytest.raises(NotEnoughItems):
        await app.shop.sell(G2, ALICE, "verdant_windblade")
    with pytest.raises(NotEnoughChi):
        await app.shop.buy(G2, ALICE, "verdant_windblade")  # no chi over there
    assert (await state(app, G, BOB)).chi == 0
