"""Crafting's pure rules, table-driven and property-based: what a recipe needs against what a
member holds, whether it is offered or arrives with a later system, the outcome roll with
injected dice, what a failure gives back, and the recipe lookup."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.core.catalog import load_catalog
from chibot.core.items import ItemRegistry
from chibot.features.crafting import rules
from chibot.features.crafting.content import Input, Recipe, recipe_name

CATALOG = load_catalog()
ITEMS = CATALOG.items
RECIPES = {r.id: r for r in CATALOG.files["crafting"].recipe}
NAMES = {r.id: (recipe_name(r, ITEMS), ITEMS.get(r.output).name) for r in RECIPES.values()}


def recipe(*inputs: tuple[str, int], output: str = "steel_rake", chance: float = 1.0) -> Recipe:
    return Recipe(
        id="test",
        output=output,
        inputs=tuple(Input(item=i, qty=q) for i, q in inputs),
        chance=chance,
    )


@pytest.mark.parametrize(
    ("held", "short"),
    [
        ({}, {"moonpetal": 8, "winterleaf": 8}),
        ({"moonpetal": 8}, {"winterleaf": 8}),
        ({"moonpetal": 7, "winterleaf": 8}, {"moonpetal": 1}),
        ({"moonpetal": 8, "winterleaf": 8}, {}),
        ({"moonpetal": 100, "winterleaf": 100, "sunbloom": 3}, {}),
    ],
)
def test_the_shortfall_names_each_missing_input(held, short) -> None:
    found = rules.shortfall(RECIPES["steel_rake"], held)
    assert {n.item: n.short for n in found} == short
    assert all(n.have == held.get(n.item, 0) for n in found)


def test_needs_lists_every_input_in_order_with_have_and_need() -> None:
    needs = rules.needs(RECIPES["bamboo_spade"], {"jasmine": 4})
    assert [(n.item, n.have, n.need) for n in needs] == [
        ("sunbloom", 0, 8),
        ("winterleaf", 0, 4),
        ("jasmine", 4, 10),
    ]


@pytest.mark.parametrize(
    ("recipe_id", "arrives"),
    [
        ("steel_rake", None),
        ("silverdew_scythe", None),
        ("moonstone_trowel", None),
        ("rift_gardeners_glove", None),  # rift_shard requires combat (the rift drops it)
    ],
)
def test_a_recipe_is_offered_only_when_every_item_has_its_system(recipe_id, arrives) -> None:
    assert rules.arrives_with(RECIPES[recipe_id], ITEMS) == arrives


def test_without_gardens_the_garden_recipes_arrive_with_gardens() -> None:
    no_gardens = ItemRegistry(ITEMS.source, frozenset({"economy", "crafting"}))
    assert rules.arrives_with(RECIPES["steel_rake"], no_gardens) == "gardens"
    no_combat = ItemRegistry(ITEMS.source, ITEMS.installed - {"combat"})
    assert rules.arrives_with(RECIPES["rift_gardeners_glove"], no_combat) == "combat"


@pytest.mark.parametrize(
    ("qty", "back"), [(1, 1), (2, 1), (3, 2), (8, 4), (9, 5), (20, 10), (1000, 500)]
)
def test_a_failure_gives_back_all_but_half_rounded_down(qty, back) -> None:
    r = recipe(("moonpetal", qty))
    assert rules.failure_returns(r) == {"moonpetal": back}
    assert rules.failure_losses(r) == ({"moonpetal": qty // 2} if qty // 2 else {})


def test_a_failed_tier_up_keeps_the_tool() -> None:
    back = rules.failure_returns(RECIPES["moonstone_trowel"])
    assert back["eternal_planters"] == 1
    assert "eternal_planters" not in rules.failure_losses(RECIPES["moonstone_trowel"])


@given(
    st.dictionaries(
        st.sampled_from(["a_item", "b_item", "c_item"]), st.integers(1, 1000), min_size=1
    )
)
def test_returns_and_losses_add_up_to_the_inputs(parts: dict[str, int]) -> None:
    r = recipe(*parts.items())
    back, lost = rules.failure_returns(r), rules.failure_losses(r)
    for item, qty in parts.items():
        assert back[item] + lost.get(item, 0) == qty
        assert back[item] >= lost.get(item, 0) and back[item] >= 1


@given(st.integers(0, 2**32 - 1))
def test_a_certain_recipe_always_succeeds(seed: int) -> None:
    assert rules.roll(1.0, random.Random(seed))


@given(st.floats(0.01, 0.99), st.integers(0, 2**32 - 1))
def test_the_roll_is_the_dice(chance: float, seed: int) -> None:
    assert rules.roll(chance, random.Random(seed)) == (random.Random(seed).random() < chance)


def test_the_roll_succeeds_about_as_often_as_the_chance() -> None:
    rng = random.Random(7)
    wins = sum(rules.roll(0.6, rng) for _ in range(10_000))
    assert 5_800 < wins < 6_200


@given(
    st.dictionaries(
        st.sampled_from(sorted({i.item for r in RECIPES.values() for i in r.inputs})),
        st.integers(0, 200),
    )
)
def test_no_shortfall_means_every_input_is_held(held: dict[str, int]) -> None:
    for r in RECIPES.values():
        ok = not rules.shortfall(r, held)
        assert ok == all(held.get(i.item, 0) >= i.qty for i in r.inputs)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("steel_rake", ["steel_rake"]),
        ("Steel Rake", ["steel_rake"]),
        ("  STEEL   rake ", ["steel_rake"]),
        ("rift gardeners glove", ["rift_gardeners_glove"]),
        ("Rift Gardener's Glove", ["rift_gardeners_glove"]),
        ("trowel", ["moonstone_trowel"]),
        ("rift glove", ["rift_gardeners_glove"]),
        ("chi can", ["chi_infused_watering_can"]),
        ("scythe", ["silverdew_scythe"]),
        ("watering", ["chi_infused_watering_can"]),
        ("s", sorted(r for r in RECIPES if "s" in r or "s" in NAMES[r][0].lower())),
        ("nothing like it", []),
        ("", []),
    ],
)
def test_recipes_are_found_by_id_name_or_a_part(text, found) -> None:
    assert sorted(r.id for r in rules.find(RECIPES.values(), text, NAMES)) == sorted(found)


def test_an_exact_name_wins_over_parts() -> None:
    pool = [recipe(("moonpetal", 1)), Recipe(id="test_two", output="bamboo_spade",
            inputs=(Input(item="moonpetal"),))]  # fmt: skip
    names = {"test": ("Rake",), "test_two": ("Rake Deluxe",)}
    assert [r.id for r in rules.find(pool, "rake", names)] == ["test"]
    assert [r.id for r in rules.find(pool, "ra", names)] == ["test", "test_two"]
