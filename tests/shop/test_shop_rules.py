"""Pure rules of the shop: prices with the server multiplier, sell values, quantities,
confirmation, loot rolls, titles, finding items. Table-driven and property-based."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.worded import refused

from chibot.core.catalog import load_catalog
from chibot.core.errors import UserError
from chibot.core.items import CATEGORY_NAMES, ItemRegistry
from chibot.discord.wording import word
from chibot.features.shop import errors, rules

CATALOG = load_catalog()
ITEMS = CATALOG.items
BOX = ITEMS.loot["mystery_box"]


def item(item_id: str):
    return ITEMS.get(item_id)


# --- prices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "multiplier", "expected"),
    [
        (200, 100, 200),
        (200, 150, 300),
        (25, 150, 38),  # 37.5 rounds up
        (25, 10, 3),  # 2.5 rounds up
        (1, 10, 1),
        (250_000, 1000, 2_500_000),
        (2500, 33, 825),
        (7, 33, 3),  # 2.31 rounds up
    ],
)
def test_scaled_price_rounds_up(base: int, multiplier: int, expected: int) -> None:
    assert rules.scaled_price(base, multiplier) == expected


@pytest.mark.parametrize(
    ("item_id", "qty", "multiplier", "amount", "currency"),
    [
        ("verdant_windblade", 1, 100, 200, "chi"),
        ("minor_healing_salve", 3, 100, 6_000, "chi"),
        ("minor_healing_salve", 3, 150, 9_000, "chi"),
        ("mystery_box", 2, 33, 1_650, "chi"),  # unit 825, times 2
        ("permanent_hp_100", 2, 100, 6, "rebirths"),
        ("permanent_hp_100", 2, 500, 6, "rebirths"),  # rebirth prices never scale
        ("exclusive_title", 1, 10, 2, "rebirths"),
    ],
)
def test_total_price(item_id: str, qty: int, multiplier: int, amount: int, currency: str) -> None:
    price = rules.total_price(item(item_id), qty, multiplier)
    assert (price.amount, price.currency) == (amount, currency)
    unit = rules.unit_price(item(item_id), multiplier)
    assert price.amount == unit.amount * qty


def test_price_text() -> None:
    assert str(rules.Price(1500, "chi")) == "1,500 chi"
    assert str(rules.Price(1, "rebirths")) == "1 rebirth"
    assert str(rules.Price(25, "rebirths")) == "25 rebirths"


@pytest.mark.parametrize(
    ("item_id", "multiplier", "expected"),
    [
        ("verdant_windblade", 100, 60),
        ("verdant_windblade", 150, 90),
        ("verdant_windblade", 33, 19),  # 19.8 rounds down
        ("pirate_hat", 10, 0),  # 0.7: worth nothing here
        ("mystery_box", 100, 0),
        ("permanent_hp_100", 1000, 0),
    ],
)
def test_sell_value_rounds_down(item_id: str, multiplier: int, expected: int) -> None:
    assert rules.sell_value(item(item_id), multiplier) == expected


@settings(max_examples=300, deadline=None)
@given(
    multiplier=st.integers(min_value=10, max_value=1000),
    qty=st.integers(min_value=1, max_value=1000),
)
def test_no_item_sells_back_for_profit_at_any_multiplier(multiplier: int, qty: int) -> None:
    """Rounding the buy price up and the sell value down keeps sell <= half the price."""
    for it in ITEMS:
        if it.buy is None or it.buy.shop != "chi":
            continue
        paid = rules.total_price(it, qty, multiplier).amount
        back = rules.sell_value(it, multiplier) * qty
        assert 2 * back <= paid, (it.id, multiplier, qty)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [(9_999, "chi", False), (10_000, "chi", True), (250_000, "chi", True), (1, "rebirths", True)],
)
def test_needs_confirmation(amount: int, currency: str, expected: bool) -> None:
    assert rules.needs_confirmation(rules.Price(amount, currency)) is expected


@pytest.mark.parametrize("qty", [0, -1, 1001, 10**9, True])
def test_bad_quantities(qty: int) -> None:
    with pytest.raises(errors.BadQuantity):
        rules.check_qty(qty)


def test_quantities() -> None:
    assert rules.check_qty(1) == 1
    assert rules.check_qty(1000, item("minor_healing_salve")) == 1000
    with refused(errors.BadQuantity, "doesn't stack"):
        rules.check_qty(2, item("verdant_windblade"))


def test_buyable() -> None:
    rules.check_buyable(item("verdant_windblade"), CATALOG.items)
    rules.check_buyable(item("exclusive_title"), CATALOG.items)
    rules.check_buyable(item("couch"), CATALOG.items)  # teams are here: sold
    rules.check_buyable(item("basic_hoe"), CATALOG.items)  # gardens are here: sold
    with refused(errors.InGardenShop, "`garden buy G7`"):
        rules.check_buyable(item("peace_lily"), CATALOG.items)
    without_gardens = ItemRegistry(CATALOG.items.source, frozenset({"economy", "teams"}))
    with refused(errors.NotSold, "arrives with gardens"):
        rules.check_buyable(item("basic_hoe"), without_gardens)


# --- weapons -------------------------------------------------------------------------------


def test_weapon_counts() -> None:
    held = [
        item(i)
        for i in (
            "verdant_windblade",
            "phoenix_flameblade",
            "infinity_chi_scepter",
            "minor_healing_salve",
        )
    ]
    assert rules.weapon_counts(held) == (3, 2)
    assert rules.weapon_counts([]) == (0, 0)
    assert not rules.is_legendary_weapon(item("celestial_warhammer"))  # 10,000
    assert rules.is_legendary_weapon(item("phoenix_flameblade"))  # 25,000
    assert not rules.is_legendary_weapon(item("greater_healing_orb"))  # 25,000, not a weapon


def test_boosted() -> None:
    assert rules.boosted(90, 0) == 90
    assert rules.boosted(90, 15) == 103
    assert rules.boosted(75, 50) == 112


# --- loot ----------------------------------------------------------------------------------

BOX_ITEMS = {e.item for e in BOX.entries}


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_loot_always_comes_from_the_table(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20):
        entry = rules.roll_loot(BOX, rng)
        assert entry in BOX.entries and entry.item in BOX_ITEMS


def test_loot_every_ticket_maps_to_its_entry() -> None:
    """randint(1, total) walks the table: tickets 1..50 are the first entry, and so on."""

    class Ticket:
        def __init__(self, value: int) -> None:
            self.value = value

        def randint(self, a: int, b: int) -> int:
            return self.value

        def random(self) -> float:
            return 0.0

    total = sum(e.weight for e in BOX.entries)
    seen = Counter(rules.roll_loot(BOX, Ticket(t)).item for t in range(1, total + 1))
    assert seen == {e.item: e.weight for e in BOX.entries}


def test_loot_distribution_is_sane() -> None:
    rng = random.Random(2024)
    n = 20_000
    seen = Counter(rules.roll_loot(BOX, rng).item for _ in range(n))
    for entry, chance in rules.loot_odds(BOX):
        expected = chance * n
        assert abs(seen[entry.item] - expected) < 5 * (expected * (1 - chance)) ** 0.5 + 1, (
            entry.item
        )
    assert sum(p for _, p in rules.loot_odds(BOX)) == pytest.approx(1.0)


def test_a_box_is_not_a_money_loop() -> None:
    """What a box gives back, sold, is worth less than half its price on average."""
    price = item("mystery_box").buy.price
    expected = sum(p * item(e.item).sell * e.qty for e, p in rules.loot_odds(BOX))
    assert expected * 2 < price


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Wise", "The Wise"),
        ("  The   Wise  ", "The Wise"),
        ("Chi's Keeper", "Chi's Keeper"),
        ("Dragon-Slayer!", "Dragon-Slayer!"),
        ("🌸 Blossom", "🌸 Blossom"),
        ("x", "x"),
        ("a" * 32, "a" * 32),
        ("Ünïcödé Ståř", "Ünïcödé Ståř"),
    ],
)
def test_good_titles(text: str, expected: str) -> None:
    assert rules.clean_title(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (None, "Tell me the title"),
        ("", "Tell me the title"),
        ("   ", "Tell me the title"),
        ("a" * 33, "at most 32"),
        ("two\nlines", "one line"),
        ("@everyone", "mentions"),
        ("<@123456789012345678>", "mentions"),
        ("**bold**", "markdown"),
        ("__under__", "markdown"),
        ("`code`", "markdown"),
        ("||spoiler||", "markdown"),
        ("[click](x)", "markdown"),
        ("# Header", "markdown"),
        ("https://evil.example", "mentions, markdown or links"),
        ("www.evil.example", "link"),
        ("discord.gg invite", "link"),
        ("free nitro.com", "link"),
        ("zero\u200bwidth", "invisible"),
        ("right\u202eleft", "invisible"),
    ],
)
def test_bad_titles(text: str | None, why: str) -> None:
    with refused(errors.BadTitle, why):
        rules.clean_title(text)


# --- finding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("phoenix_flameblade", "phoenix_flameblade"),
        ("Phoenix Flameblade", "phoenix_flameblade"),
        ("  PHOENIX   flameblade ", "phoenix_flameblade"),
        ("C6", "phoenix_flameblade"),
        ("c6", "phoenix_flameblade"),
        ("R1", "permanent_hp_100"),
        ("+100 Permanent HP", "permanent_hp_100"),
        ("exclusive title", "exclusive_title"),
    ],
)
def test_find_item(text: str, item_id: str) -> None:
    assert rules.find_item(ITEMS, text).id == item_id


def test_unknown_item_suggests_close_names() -> None:
    with pytest.raises(errors.UnknownItem) as caught:
        rules.find_item(ITEMS, "Phoenx Flameblade")
    assert "Phoenix Flameblade" in caught.value.suggestions
    assert "Did you mean **Phoenix Flameblade**" in word(caught.value)
    with pytest.raises(errors.UnknownItem) as caught:
        rules.find_item(ITEMS, "healing")
    assert caught.value.suggestions  # names containing the text
    with pytest.raises(errors.UnknownItem) as caught:
        rules.find_item(ITEMS, "zzzzzz")
    assert caught.value.suggestions == [] and "Did you mean" not in caught.value.message
    with pytest.raises(errors.UnknownItem):
        rules.find_item(ITEMS, "")


def test_unknown_item_text_is_escaped() -> None:
    with pytest.raises(UserError) as caught:
        rules.find_item(ITEMS, "**@everyone**")
    assert "@everyone" not in word(caught.value)
    assert "\\*\\*" in word(caught.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("weapons", "weapon"),
        ("Weapon", "weapon"),
        ("healing", "healing"),
        ("keys", "key"),
        ("Keys & boxes", "key"),
        ("hp upgrades", "hp_upgrade"),
        ("hp_upgrade", "hp_upgrade"),
        ("titles", "title"),
        ("pet food", "pet_food"),
    ],
)
def test_parse_category(text: str, key: str) -> None:
    assert rules.parse_category(text) == key


def test_every_category_parses_by_its_own_names() -> None:
    for key, name in CATEGORY_NAMES.items():
        assert rules.parse_category(key) == key
        assert rules.parse_category(name) == key


def test_unknown_category() -> None:
    with refused(errors.UnknownCategory, "neither a member here nor an item category"):
        rules.parse_category("nobody")


def test_paging() -> None:
    assert rules.page_count(0, 10) == 1
    assert rules.page_count(18, 10) == 2
    assert rules.clamp_page(99, 18, 10) == 2
    assert rules.clamp_page(-3, 18, 10) == 1


def test_sort_key_follows_shop_codes() -> None:
    shop = ITEMS.shop("chi")
    assert sorted(shop, key=rules.item_sort_key)[:10] == [i for i in shop if i.category == "weapon"]
    codes = [
        i.buy.code
        for i in sorted((i for i in ITEMS if i.category == "weapon"), key=rules.item_sort_key)
    ]
    assert codes[-1] == "C10" and codes[0] == "C1"
