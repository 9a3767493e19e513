"""The shipped recipes (content/crafting.toml) against the whole catalog: every item exists,
the schema refuses what makes no sense, and crafting never makes money. Checked at every
`shop_price_multiplier` a server may set, with the shop's rounding (sell values round down):
for every recipe, the output's sell value x qty x chance is at most what its inputs sell for
plus its fee, so nothing can be bought, crafted and sold back for a profit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chibot.core.catalog import load_catalog
from chibot.core.errors import ContentError
from chibot.core.registry import default_registry
from chibot.features.crafting.content import CraftingFile, check_content

CATALOG = load_catalog()
ITEMS = CATALOG.items
CONTENT: CraftingFile = CATALOG.files["crafting"]
MULTIPLIERS = range(10, 1001)
GARDEN_TOOLS = {
    "steel_rake",
    "bamboo_spade",
    "silverdew_scythe",
    "chi_infused_watering_can",
    "eternal_planters",
    "moonstone_trowel",
    "rift_gardeners_glove",
}


def sell_value(sell: int, multiplier: int) -> int:
    return sell * multiplier // 100


def test_the_multipliers_are_the_settings_bounds() -> None:
    field = default_registry().settings_model.model_fields["shop_price_multiplier"]
    bounds = {type(m).__name__: m for m in field.metadata}
    assert (bounds["Ge"].ge, bounds["Le"].le) == (MULTIPLIERS.start, MULTIPLIERS.stop - 1)


def test_the_shipped_recipes_name_real_items() -> None:
    check_content(CONTENT, ITEMS)


def test_every_crafted_garden_tool_has_a_recipe() -> None:
    assert {r.output for r in CONTENT.recipe} >= GARDEN_TOOLS
    for r in CONTENT.recipe:
        if r.output in GARDEN_TOOLS:
            assert r.system == "gardens" and ITEMS.get(r.output).buy is None


@pytest.mark.parametrize("recipe", CONTENT.recipe, ids=lambda r: r.id)
def test_crafting_never_makes_money(recipe) -> None:
    output = ITEMS.get(recipe.output)
    for m in MULTIPLIERS:
        made = sell_value(output.sell, m) * recipe.qty * recipe.chance
        spent = sum(sell_value(ITEMS.get(i.item).sell, m) * i.qty for i in recipe.inputs)
        assert made <= spent + recipe.chi, (recipe.id, m)


@pytest.mark.parametrize("recipe", CONTENT.recipe, ids=lambda r: r.id)
def test_a_chancy_recipe_is_not_a_basic_one(recipe) -> None:
    """Basic tools are certain; the elite ones may fail (and always cost a fee)."""
    assert 0 < recipe.chance <= 1
    if recipe.chance < 1:
        assert recipe.chi > 0


def _file(**recipe) -> dict:
    base = {"id": "x_recipe", "output": "steel_rake", "inputs": [{"item": "moonpetal", "qty": 1}]}
    return {"version": 1, "recipe": [{**base, **recipe}]}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"chance": 0}, "greater than 0"),
        ({"chance": 1.5}, "less than or equal to 1"),
        ({"chi": -1}, "greater than or equal to 0"),
        ({"inputs": []}, "at least 1"),
        ({"inputs": [{"item": "steel_rake"}]}, "output is among its inputs"),
        ({"inputs": [{"item": "moonpetal"}, {"item": "moonpetal"}]}, "twice"),
        ({"minutes": -5}, "greater than or equal to 0"),
        ({"id": "Bad Id"}, "pattern"),
    ],
)
def test_the_schema_refuses_nonsense(change, problem) -> None:
    with pytest.raises(ValidationError, match=problem):
        CraftingFile.model_validate(_file(**change))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"output": "no_such_tool"}, "unknown output item 'no_such_tool'"),
        ({"inputs": [{"item": "pebble"}]}, "inputs[0]: unknown item 'pebble'"),
        ({"qty": 2}, "does not stack"),
        ({"inputs": [{"item": "basic_hoe", "qty": 2}]}, "does not stack"),
    ],
)
def test_unknown_items_stop_start_up_with_the_recipe_named(change, problem) -> None:
    with pytest.raises(ContentError, match="x_recipe") as caught:
        check_content(CraftingFile.model_validate(_file(**change)), ITEMS)
    assert problem in str(caught.value)
