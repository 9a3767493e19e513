"""Gardens' content against the money-loop rules (GAME.md: "seeds are consumed by planting;
bundle contents resell for less than the bundle; nothing can be bought, grown and sold back for
profit without waiting"), over the shipped `content/gardens.toml` and `items.toml`:

- a seed sells back for at most half its price (legacy C-1: seeds sold at 30% and came back on
  every harvest), and is consumed by planting (tests/gardens: planting);
- everything in a bundle resells for less than the bundle (legacy: bundles were worth 7.7-9.9x
  their price);
- every crop earns its chi only by waiting: it grows at least five minutes at the fastest tier
  with the strongest boost, and the longest crops earn the most per plant, so tending twice a
  day is the best plan, not grinding;
- drops sell for nothing (they feed crafting, not the wallet);
- a tool or a can sells back for at most half of its cheapest price (shop or bundle);
- tiers only get bigger, faster and dearer.
"""

from __future__ import annotations

import pytest

import chibot.features  # noqa: F401  (registers every content file's schema)
from chibot.core.catalog import load_catalog
from chibot.features.gardens import rules
from chibot.features.gardens.content import GardensFile

CATALOG = load_catalog()
CONTENT = CATALOG.file("gardens", GardensFile)
ITEMS = CATALOG.items
FASTEST = CONTENT.tier[-1]
STRONGEST = rules.BoostTerms(CONTENT.boost.growth_pct, CONTENT.boost.yield_pct)


def price(item_id: str) -> int:
    item = ITEMS.get(item_id)
    assert item.buy is not None, f"{item_id} is not sold"
    return item.buy.price


@pytest.mark.parametrize("seed", CONTENT.seed, ids=lambda s: s.item)
def test_a_seed_sells_back_for_at_most_half_its_price(seed) -> None:
    assert ITEMS.get(seed.item).sell * 2 <= price(seed.item)


@pytest.mark.parametrize("seed", CONTENT.seed, ids=lambda s: s.item)
def test_a_crop_pays_only_after_waiting(seed) -> None:
    assert seed.yield_ > price(seed.item)  # worth planting at all
    seconds = rules.grow_seconds(seed, FASTEST, STRONGEST)
    assert seconds >= 5 * 60, seconds  # the best tier and the strongest boost still wait


def test_long_crops_pay_the_most_per_plant() -> None:
    """Per plant (one planting per visit), the 12-hour crops earn most: a member who tends
    twice a day does best, a member who refreshes every ten minutes gains little."""
    profits = {s.item: s.yield_ - price(s.item) for s in CONTENT.seed}
    longest = max(s.minutes for s in CONTENT.seed)
    best = max(profits.values())
    assert all(s.minutes == longest for s in CONTENT.seed if profits[s.item] == best)
    for short in (s for s in CONTENT.seed if s.minutes < 60):
        assert profits[short.item] * 10 < best


@pytest.mark.parametrize("bundle", CONTENT.bundle, ids=lambda b: b.id)
def test_a_bundle_resells_for_less_than_it_costs(bundle) -> None:
    resale = sum(ITEMS.get(e.item).sell * e.qty for e in bundle.contents)
    assert resale < bundle.price, (resale, bundle.price)


@pytest.mark.parametrize("drop", CONTENT.drop, ids=lambda d: d.item)
def test_drops_sell_for_nothing(drop) -> None:
    assert ITEMS.get(drop.item).sell == 0


def _cheapest(item_id: str) -> int | None:
    item = ITEMS.get(item_id)
    prices = [item.buy.price] if item.buy is not None else []
    prices += [b.price for b in CONTENT.bundle if any(e.item == item_id for e in b.contents)]
    return min(prices, default=None)


@pytest.mark.parametrize(
    "item",
    [i for i in ITEMS if i.effect("garden_tool") or i.effect("watering") or i.effect("fertilizer")],
    ids=lambda i: i.id,
)
def test_a_tool_sells_back_for_at_most_half_its_cheapest_price(item) -> None:
    cheapest = _cheapest(item.id)
    if cheapest is None:  # crafted or found: what it is made of sells for nothing or less
        assert item.sell == 0 or not item.buy
        return
    assert item.sell * 2 <= cheapest, (item.sell, cheapest)


def test_tiers_grow_in_every_way() -> None:
    tiers = CONTENT.tier
    assert tiers[0].price == 0
    for lower, higher in zip(tiers, tiers[1:], strict=False):
        assert higher.plots > lower.plots
        assert higher.speed_pct > lower.speed_pct
        assert higher.price > lower.price


def test_fertiliser_pays_only_on_crops_worth_waiting_for() -> None:
    """A Fertilizer adds a fifth of the seed's chi: on a 10-minute crop it is worth less than
    it costs, so it rewards tending long crops, not spamming short ones."""
    fertilizer = ITEMS.get("fertilizer")
    pct = fertilizer.effect("fertilizer").bonus_pct
    shortest = min(CONTENT.seed, key=lambda s: s.minutes)
    assert rules.fertilized(0, shortest, pct) < price("fertilizer")
