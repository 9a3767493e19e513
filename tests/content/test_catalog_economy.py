"""Content rules of the economy, checked over the WHOLE shipped catalog (no database).

GAME.md: "No money loops. Nothing can be bought and sold (or bought, transformed and sold)
for profit without waiting", and every item a shop sells must do something. Checked here:
- buy-and-sell-back: `2 x sell <= chi price` for every item, and still so at EVERY server
  `shop_price_multiplier` the settings allow (10..1000 %), with the shop's rounding: a chi
  price rounds up, a sell value rounds down; rebirth-shop items sell for nothing;
- loot boxes (buy, open, resell what came out, a duplicate of a non-stacking item being paid
  its sell value): the expected resale of one opening, and its best single outcome, are both
  below the box's price, at every multiplier;
- every item a shop sells (`item.available`) has at least one effect, and every effect kind is
  one the game handles (`HANDLED_EFFECTS` says where);
- every achievement's `system` is a known game system;
- milestone rewards total less than 10% of the largest milestone threshold;
- shop prices are > 0, and shop codes are unique and contiguous per shop among the items on
  sale (C1..Cn, R1..Rn, no gaps), so `buy C7` means the seventh line of `cshop`.
"""

from __future__ import annotations

import importlib
from collections import Counter
from fractions import Fraction

import pytest

import chibot.features  # noqa: F401  (registers every content file's schema)
from chibot.core.catalog import load_catalog
from chibot.core.items import Item
from chibot.core.registry import default_registry

CATALOG = load_catalog()
ITEMS = list(CATALOG.items)
SETTINGS_MULTIPLIER = default_registry().settings_model.model_fields["shop_price_multiplier"]
MULTIPLIERS = range(10, 1001)  # every value `shop_price_multiplier` accepts (see the test below)

# Effect kinds the game handles for items on sale, and where:
HANDLED_EFFECTS = {
    # shown by `item` (chibot/features/shop/service.py, views.py), raised by `upgrade`
    # (chibot/features/progress/service.py); fights read them when combat arrives
    "weapon": "item info, upgrade (fights later)",
    "healing": "item info, upgrade (fights later)",
    # `use` (chibot/features/shop/service.py: ShopService.use)
    "permanent_hp": "use: adds to the permanent_hp counter (max HP)",
    "title": "use: sets members.title, shown on the profile",
    "loot": "use: opens the box (chibot/features/shop/rules.py: roll_loot)",
    # teams (chibot/features/teams/service.py): placed in a base; relax and train read them
    "decoration": "team decorate: a base's decoration; TV, Couch and Bed pay on `team base relax`",
    "gym": "team gym: gym equipment; `team base train` builds the combat bonus, capped by the gym",
    # gardens (chibot/features/gardens/rules.py: plant_terms): fixed into a plant when planted
    "garden_tool": "plant: the harvest bonus of the tools owned, capped (rules.tool_bonus)",
    "watering": "water: shortens a plant's growing time once (rules.watering_pct)",
    "fertilizer": "fertilize: adds to a plant's yield once (rules.fertilized)",
    # pets (chibot/features/pets/rules.py: feed): used up by `pet feed`, and to adopt
    "pet_food": "pet feed: restores hunger and HP, consumed (rules.feed); pet buy: adoption",
}
# A seed's effect is its line in content/gardens.toml (growing time, yield, tier): `plant`.
SEEDS = {seed.item for seed in CATALOG.files["gardens"].seed}
# Game systems (GAME.md, "Systems"): an achievement's `system` is the one whose action bumps
# its counter.
KNOWN_SYSTEMS = {
    "economy",
    "teams",
    "gardens",
    "combat",
    "bosses",
    "pets",
    "quests",
    "artifacts",
    "alchemy",
    "towns",
    "dongtian",
    "events",
    "admin",
    "utility",
}


def buy_price(base: int, multiplier: int) -> int:
    """A chi price at a server's multiplier: rounded UP (the shop's rule)."""
    return -(-base * multiplier // 100)


def sell_value(sell: int, multiplier: int) -> int:
    """A sell value at a server's multiplier: rounded DOWN (the shop's rule)."""
    return sell * multiplier // 100


def chi_priced(item: Item) -> bool:
    return item.buy is not None and item.buy.shop == "chi"


def item_id(item: Item) -> str:
    return item.id


# --- the multipliers tested are every multiplier a server can set ------------------------------


def test_every_allowed_multiplier_is_tested() -> None:
    bounds = {type(m).__name__: m for m in SETTINGS_MULTIPLIER.metadata}
    low = getattr(bounds.get("Ge"), "ge", None)
    high = getattr(bounds.get("Le"), "le", None)
    assert (low, high) == (MULTIPLIERS.start, MULTIPLIERS.stop - 1)


def test_the_shop_rounds_like_this_test() -> None:
    """The shop's own pricing functions (when present) agree with the rounding used here."""
    try:
        shop_rules = importlib.import_module("chibot.features.shop.rules")
    except ModuleNotFoundError:
        pytest.skip("the shop has no rules module yet")
    if not hasattr(shop_rules, "scaled_price") or not hasattr(shop_rules, "sell_value"):
        pytest.skip("the shop's pricing functions are not there yet")
    for item in ITEMS:
        for multiplier in MULTIPLIERS:
            if chi_priced(item):
                assert shop_rules.scaled_price(item.buy.price, multiplier) == buy_price(
                    item.buy.price, multiplier
                )
            expected = sell_value(item.sell, multiplier) if chi_priced(item) else item.sell
            assert shop_rules.sell_value(item, multiplier) == expected


# --- no buy-and-sell-back profit ---------------------------------------------------------------


@pytest.mark.parametrize("item", [i for i in ITEMS if chi_priced(i)], ids=item_id)
def test_selling_back_never_pays(item: Item) -> None:
    assert item.sell * 2 <= item.buy.price
    for multiplier in MULTIPLIERS:
        assert sell_value(item.sell, multiplier) * 2 <= buy_price(item.buy.price, multiplier), (
            multiplier
        )


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if i.buy and i.buy.shop in ("garden", "pet")], ids=item_id
)
def test_garden_shop_items_sell_back_for_at_most_half(item: Item) -> None:
    """The garden shop's prices are not scaled by the server's multiplier, and neither is
    what its items sell back for (chibot/features/shop/rules.py: sell_value)."""
    assert item.sell * 2 <= item.buy.price


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if i.buy and i.buy.shop == "rebirth"], ids=item_id
)
def test_rebirth_shop_items_sell_for_nothing(item: Item) -> None:
    assert item.sell == 0


# --- loot boxes --------------------------------------------------------------------------------

BOXES = [i for i in ITEMS if i.effect("loot") is not None]


def outcomes(box: Item, multiplier: int) -> list[tuple[Fraction, int]]:
    """(chance, resale value) of each outcome of opening `box`. A stacking item resells at its
    sell value; a non-stacking one already owned is paid its sell value at once: the same."""
    table = CATALOG.items.loot[box.effect("loot").loot]
    total = sum(e.weight for e in table.entries)
    return [
        (Fraction(e.weight, total), e.qty * sell_value(CATALOG.items.get(e.item).sell, multiplier))
        for e in table.entries
    ]


def test_there_are_loot_boxes_to_check() -> None:
    assert BOXES, "no loot box in the catalog: this test checks nothing"


def _boxes(rule: str) -> list:
    return [pytest.param(box, id=box.id) for box in BOXES]


@pytest.mark.parametrize("box", _boxes("expected"))
def test_a_loot_box_resells_on_average_for_less_than_it_costs(box: Item) -> None:
    if not chi_priced(box):
        pytest.skip(f"{box.id} is not sold for chi")
    for multiplier in MULTIPLIERS:
        price = buy_price(box.buy.price, multiplier)
        expected = sum(chance * value for chance, value in outcomes(box, multiplier))
        assert expected < price, (multiplier, expected, price)


@pytest.mark.parametrize("box", _boxes("best"))
def test_the_best_outcome_of_a_loot_box_resells_for_less_than_it_costs(box: Item) -> None:
    if not chi_priced(box):
        pytest.skip(f"{box.id} is not sold for chi")
    for multiplier in MULTIPLIERS:
        price = buy_price(box.buy.price, multiplier)
        best = max(value for _, value in outcomes(box, multiplier))
        assert best < price, (multiplier, best, price)


@pytest.mark.parametrize("box", BOXES, ids=item_id)
def test_a_loot_box_gives_only_known_items(box: Item) -> None:
    table = CATALOG.items.loot[box.effect("loot").loot]
    for entry in table.entries:
        assert entry.item in CATALOG.items.by_id
        assert entry.item != box.id  # a box that gives itself would be an endless faucet


# --- everything on sale does something the game handles -----------------------------------------

ON_SALE = [i for i in ITEMS if CATALOG.items.available(i)]


@pytest.mark.parametrize("item", ON_SALE, ids=item_id)
def test_items_on_sale_have_a_handled_effect(item: Item) -> None:
    if item.category == "seed":
        assert item.id in SEEDS, f"{item.id} is sold as a seed but no seed line grows it"
        return
    assert item.effects, f"{item.id} is sold but does nothing"
    for effect in item.effects:
        assert effect.kind in HANDLED_EFFECTS, f"{item.id}: nothing handles {effect.kind!r} yet"


# --- achievements and milestones ----------------------------------------------------------------


def test_every_achievement_belongs_to_a_known_system() -> None:
    unknown = {
        a.id: a.system
        for a in CATALOG.files["achievements"].achievement
        if a.system not in KNOWN_SYSTEMS
    }
    assert unknown == {}


def test_milestone_rewards_total_less_than_a_tenth_of_the_largest_threshold() -> None:
    milestones = CATALOG.files["milestones"].milestone
    total = sum(m.reward for m in milestones)
    largest = max(m.lifetime_chi for m in milestones)
    assert total * 10 < largest, (total, largest)


# --- shop prices and codes ----------------------------------------------------------------------


@pytest.mark.parametrize("item", [i for i in ITEMS if i.buy], ids=item_id)
def test_shop_prices_are_positive(item: Item) -> None:
    assert item.buy.price > 0


def test_weapon_codes_are_unique_and_every_weapon_has_one() -> None:
    """`attack VW1` names the Verdant Windblade's first attack: a code must mean one weapon."""
    codes = [i.effect("weapon").code for i in ITEMS if i.effect("weapon") is not None]
    assert None not in codes and len(set(codes)) == len(codes)


def test_shop_codes_are_unique() -> None:
    codes = Counter(i.buy.code for i in ITEMS if i.buy)
    assert [code for code, n in codes.items() if n > 1] == []


@pytest.mark.parametrize(("shop", "letter"), [("chi", "C"), ("rebirth", "R")])
def test_shop_codes_are_contiguous_among_items_on_sale(shop: str, letter: str) -> None:
    on_sale = [i for i in ON_SALE if i.buy.shop == shop]
    assert on_sale, f"the {shop} shop sells nothing"
    assert all(i.buy.code.startswith(letter) for i in on_sale)
    numbers = sorted(int(i.buy.code[1:]) for i in on_sale)
    assert numbers == list(range(1, len(numbers) + 1)), [f"{letter}{n}" for n in numbers]
