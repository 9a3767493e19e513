"""The pets' content: five species and fifteen attacks P1..P15 with their effects as data;
adoption foods are pet foods of the item registry, sold in the pet-food shop, F1..F10, and
never resell above cost (the catalog test covers them too)."""

from __future__ import annotations

import chibot.features  # noqa: F401
from chibot.core.catalog import load_catalog
from chibot.features.pets.content import PetsFile, check_content

CATALOG = load_catalog()
PETS: PetsFile = CATALOG.file("pets", PetsFile)


def test_five_species_fifteen_attacks_in_order() -> None:
    assert [s.key for s in PETS.species] == ["dragon", "panda", "tiger", "snake", "ox"]
    codes = [a.code for s in PETS.species for a in s.attacks]
    assert codes == [f"P{n}" for n in range(1, 16)]
    kinds = {a.effect.kind for s in PETS.species for a in s.attacks}
    assert kinds >= {"burn", "crit", "weaken", "never_miss", "heal_cleanse", "lifesteal",
                     "recoil", "empower", "poison", "heal_block", "fear", "stun"}  # fmt: skip


def test_adoption_foods_are_pet_foods() -> None:
    check_content(PETS, CATALOG.items)


def test_the_food_shop_sells_ten_foods_that_resell_for_at_most_half() -> None:
    foods = [i for i in CATALOG.items if i.buy and i.buy.shop == "pet"]
    assert sorted(int(i.buy.code[1:]) for i in foods) == list(range(1, 11))
    for item in foods:
        assert item.category == "pet_food" and item.requires == "pets"
        assert 0 < item.sell * 2 <= item.buy.price
        assert item.effect("pet_food").hunger and item.effect("pet_food").heal


def test_a_pet_costs_more_than_a_week_of_its_best_garden_bonus() -> None:
    """docs/pets.md: an eternal garden grows about 25,000 chi of crops a day at most; the
    bonus minus the cheapest upkeep never repays the pet within 60 days."""
    foods = [i for i in CATALOG.items if i.buy and i.buy.shop == "pet"]
    cheapest_point = min(i.buy.price / i.effect("pet_food").hunger for i in foods)
    for s in PETS.species:
        upkeep = 100 * 24 / s.hours_full * cheapest_point  # chi a day to stay fed
        bonus = 25_000 * s.garden.yield_pct / 100
        adoption = s.price + s.food_qty * CATALOG.items.get(s.food).buy.price
        assert bonus - upkeep <= 0 or adoption / (bonus - upkeep) >= 60, s.key
