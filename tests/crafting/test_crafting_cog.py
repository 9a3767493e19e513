"""Crafting through the offline Discord: the recipe book (grouped, have/need, arrives with),
a cheap craft straight away and a dear or chancy one confirmed with a button, crafts in
progress with relative timestamps, collecting, `craft info`, the `garden craft` alias, by
prefix and slash, in two servers at once."""

from __future__ import annotations

import pytest
from support.veterans import seat_veterans

GROVE, POND = "Bamboo Grove", "Lotus Pond"


@pytest.fixture
async def world(sandbox):
    """The sandbox, with ten veterans in each server (nobody here is an Early Bird)."""
    await seat_veterans(sandbox.app, (guild.id for guild in sandbox.guilds.values()))
    return sandbox


async def fund(world, guild: str, user: str, chi: int) -> None:
    await world.app.economy.admin_adjust(world.guild_id(guild), 1, world.user_id(user), chi)


async def give(world, guild: str, user: str, parts: dict[str, int]) -> None:
    items = world.app.catalog.items

    async def tx(scope) -> None:
        for item, qty in parts.items():
            await scope.inventory.add(
                world.user_id(user), item, qty, unique=not items.get(item).stacks
            )

    await world.app.db.scoped(world.guild_id(guild), tx)


async def held(world, guild: str, user: str) -> dict[str, int]:
    found = await world.app.db.scoped(
        world.guild_id(guild), lambda s: s.inventory.all(world.user_id(user))
    )
    return {h.item_id: h.qty for h in found}


async def test_crafting_tools_over_a_day_in_two_servers(world) -> None:
    alice, bob = world.user_id("Alice"), world.user_id("Bob")
    await fund(world, GROVE, "Alice", 20_000)
    await give(
        world, GROVE, "Alice", {"moonpetal": 20, "winterleaf": 20, "moonflower": 6, "silverdew": 20}
    )

    # the book: grouped by system, have/need (the glove's Rift Shard comes from the rift)
    ex = await world.say("Alice", GROVE, "P!craft")
    assert "Crafting" in ex.text and "Gardens" in ex.text
    assert (
        "Steel Rake" in ex.text and "Moonpetal 20/8" in ex.text and "✨ ready to craft" in ex.text
    )
    assert "Rift Gardener's Glove" in ex.text and "Rift Shard 0/3" in ex.text
    assert "80% chance" in ex.text and "4 h" in ex.text

    # a refusal is one friendly line
    ex = await world.say("Alice", GROVE, "P!craft moonstone trowel")
    assert (
        "don't have what **Moonstone Trowel** needs" in ex.text and "Emberroot **0**/10" in ex.text
    )
    ex = await world.say("Alice", GROVE, "P!craft rift glove")
    assert "don't have what **Rift Gardener's Glove** needs" in ex.text
    ex = await world.say("Alice", GROVE, "P!craft golden spoon")
    assert "no recipe called **golden spoon**" in ex.text

    # the rake costs 1,000 chi: confirmed first; only Alice may press
    ex = await world.say("Alice", GROVE, "P!craft steel rake")
    prompt = ex.reply
    assert "Craft **Steel Rake** for **1,000** chi" in prompt.text and "30 min" in prompt.text
    other = await world.discord.click(prompt, bob, label="Craft")
    assert "isn't yours" in other.text
    ex = await world.discord.click(prompt, alice, label="Craft")
    assert "Crafting **Steel Rake**" in ex.text and "<t:" in ex.text

    # the scythe may fail: the prompt says the chance and what a failure costs
    ex = await world.slash("Alice", GROVE, "craft make", recipe="Silverdew Scythe")
    assert "**80%**" in ex.text and "on a failure you lose the 4,000 chi fee" in ex.text
    assert "Moonpetal ×6" in ex.text  # half of 12 lost on a failure
    ex = await world.discord.click(ex.reply, alice, label="Craft")
    assert "Crafting **Silverdew Scythe**" in ex.text

    # in progress, with relative timestamps
    ex = await world.say("Alice", GROVE, "P!craft")
    assert "In progress (2/3)" in ex.text and "ready <t:" in ex.text
    ex = await world.say("Alice", GROVE, "P!craft collect")
    assert "No craft is finished yet" in ex.text and "<t:" in ex.text
    world.app.clock.advance(31 * 60)
    ex = await world.say("Alice", GROVE, "P!craft")
    assert "ready: use `craft collect`" in ex.text
    ex = await world.say("Alice", GROVE, "P!craft collect")
    assert "**Steel Rake** crafted" in ex.text and "Still crafting: 1" in ex.text
    ex = await world.say("Alice", GROVE, "P!craft steel rake")
    assert "already own **Steel Rake**" in ex.text

    # the next day: the scythe, one way or the other; never silently
    world.app.clock.advance(24 * 3600)
    ex = await world.slash("Alice", GROVE, "craft collect")
    assert "**Silverdew Scythe** crafted" in ex.text or "**Silverdew Scythe** failed" in ex.text
    have = await held(world, GROVE, "Alice")
    assert have["steel_rake"] == 1
    assert have.get("silverdew_scythe") == 1 or have["silverdew"] == 10

    # the rake now counts in the garden's tools
    await world.say("Alice", GROVE, "P!garden create")
    ex = await world.say("Alice", GROVE, "P!tools")
    assert "Steel Rake" in ex.text

    # the other server saw none of it
    ex = await world.say("Alice", POND, "P!craft")
    assert "Moonpetal 0/8" in ex.text and "In progress" not in ex.text
    ex = await world.say("Alice", POND, "P!craft collect")
    assert "no craft in progress" in ex.text
    assert await held(world, POND, "Alice") == {}


async def test_garden_craft_is_the_crafting_book(world) -> None:
    ex = await world.say("Bob", GROVE, "P!garden craft")
    assert "Crafting" in ex.text and "Steel Rake" in ex.text
    ex = await world.say("Bob", GROVE, "P!garden craft steel rake")
    assert "don't have what **Steel Rake** needs" in ex.text
    ex = await world.slash("Bob", GROVE, "garden craft")
    assert "Bamboo Spade" in ex.text


async def test_craft_info_shows_needs_chance_and_failure(world) -> None:
    await give(world, GROVE, "Carol", {"eternal_planters": 1, "emberroot": 3})
    ex = await world.say("Carol", GROVE, "P!craft info trowel")
    text = ex.text
    assert "Moonstone Trowel" in text and "60%" in text and "12 h" in text
    assert "Eternal Planters: 1/1" in text and "Emberroot: 3/10" in text
    assert "the rest comes back" in text
    ex = await world.slash("Carol", GROVE, "craft info", recipe="steel")
    assert "every input comes back" not in ex.text and "Steel Rake" in ex.text
    ex = await world.say("Carol", GROVE, "P!craft info s")
    assert "could be" in ex.text
