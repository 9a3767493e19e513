"""Gardens through the offline Discord: a garden's life over simulated days in two servers at
once, by prefix (old names included) and slash, with the card's buttons and confirmations;
`upgrade garden` handed over by the item upgrade command; the admin boost."""

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


async def balance(world, guild: str, user: str) -> int:
    return (await world.app.economy.profile(world.guild_id(guild), world.user_id(user))).chi


async def test_a_garden_life_over_days_in_two_servers(world) -> None:
    for guild in (GROVE, POND):
        await fund(world, guild, "Alice", 60_000)
    alice, bob = world.user_id("Alice"), world.user_id("Bob")

    # the bare group before and after founding (old name)
    ex = await world.say("Alice", GROVE, "P!garden")
    assert "no garden yet" in ex.text and "creategarden" in ex.text
    ex = await world.say("Alice", GROVE, "P!creategarden")
    assert "garden is founded" in ex.text and "Plots: **0/10**" in ex.text
    ex = await world.slash("Alice", POND, "garden create")
    assert "garden is founded" in ex.text

    # the shop, a tier lock, purchases (a big one is confirmed first)
    ex = await world.say("Alice", GROVE, "P!garden shop")
    assert "G7" in ex.text and "Peace Lily" in ex.text and "🔒 Chi Grove" in ex.text
    ex = await world.say("Alice", GROVE, "P!garden buy moonshade")
    assert "grows only in a **Chi Grove**" in ex.text
    ex = await world.say("Alice", GROVE, "P!garden buy G12 50")  # 6,000 chi: confirmed
    assert "Buy 50 Silverdew seeds for **6,000** chi?" in ex.text
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "Bought 50 Silverdew seeds" in ex.text
    ex = await world.say("Alice", GROVE, "P!garden buy watering bucket")
    assert "Bought 1 Watering Bucket" in ex.text
    ex = await world.say("Alice", GROVE, "P!garden buy fertilizer 10")
    assert "Bought 10 Fertilizer" in ex.text
    ex = await world.say("Alice", GROVE, "P!buy G7")  # the chi shop points to the garden shop
    assert "garden buy G7" in ex.text

    # plant (old name, quantity first or last), water, fertilise
    ex = await world.say("Alice", GROVE, "P!plant silverdew 8")
    assert "Planted 8 Silverdew seeds" in ex.text and "**300** chi each" in ex.text
    ex = await world.say("Alice", GROVE, "P!plant 3 silverdew")
    assert "**2** free plots of 10" in ex.text
    ex = await world.say("Alice", GROVE, "P!water")
    assert "Watered 8 plants" in ex.text and "10% faster" in ex.text
    ex = await world.say("Alice", GROVE, "P!fertilise silverdew")
    assert "Fertilised 8 plants" in ex.text and "+480" in ex.text
    ex = await world.say("Alice", GROVE, "P!harvest")
    assert "Nothing is ready yet" in ex.text

    # the card and its buttons: only the owner may press
    ex = await world.say("Alice", GROVE, "P!garden")
    card = ex.reply
    assert "Growing" in card.text and "Silverdew ×8" in card.text
    other = await world.discord.click(card, bob, label="🌾 Harvest")
    assert "someone else's garden" in other.text
    ex = await world.discord.click(card, alice, label="🪴 Shop")
    assert "Garden shop" in ex.text

    # the next day: harvest with the button, paid once
    world.app.clock.advance(24 * 3600)
    before = await balance(world, GROVE, "Alice")
    ex = await world.discord.click(card, alice, label="🌾 Harvest")
    assert "Harvested 8 plants" in ex.text and "+2,880" in ex.text
    assert await balance(world, GROVE, "Alice") == before + 2_880
    ex = await world.say("Alice", GROVE, "P!harvestall")
    assert "Nothing is growing" in ex.text
    ex = await world.say("Alice", GROVE, "P!harvest all")  # legacy A-6: it did nothing useful
    assert "Nothing is growing" in ex.text

    # the other server saw none of it
    ex = await world.say("Alice", POND, "P!garden")
    assert "Plots: **0/10**" in ex.text and "Silverdew" not in ex.text
    ex = await world.say("Alice", POND, "P!harvest")
    assert "Nothing is growing" in ex.text

    # upgrade through `upgrade garden`, confirmed; moonshade now grows
    ex = await world.say("Alice", GROVE, "P!upgrade")
    assert "upgrade garden" in ex.text
    menu = ex.reply
    other = await world.discord.click(menu, bob, label="⬆️ Garden")
    assert "isn't yours" in other.text
    ex = await world.discord.click(menu, alice, label="⬆️ Garden")  # = typing `upgrade garden`
    assert "to a 🎋 **Chi Grove** for **25,000** chi?" in ex.text
    ex = await world.say("Alice", GROVE, "P!upgrade garden")
    assert "to a 🎋 **Chi Grove** for **25,000** chi?" in ex.text
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "now a **Chi Grove**" in ex.text and "14 plots (+4)" in ex.text
    ex = await world.say("Alice", GROVE, "P!garden buy moonshade 2")
    assert "Bought 2 Moonshade seeds" in ex.text
    ex = await world.slash("Alice", GROVE, "garden plant", seed="Moonshade", qty=2)
    assert "Planted 2 Moonshade seeds" in ex.text and "Chi Grove −10% time" in ex.text

    # seed info, bundles, tools, about
    ex = await world.say("Bob", GROVE, "P!garden seed heartvine")
    assert "Hépíng sēnlín" in ex.text and "Growing time" in ex.text
    ex = await world.say("Alice", GROVE, "P!bundle")
    assert "Scythe Bundle" in ex.text and "12,000" in ex.text
    ex = await world.say("Alice", GROVE, "P!bundle buy scythe")
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "Bought the **Scythe Bundle**" in ex.text
    ex = await world.say("Alice", GROVE, "P!tools")
    assert "+10%" in ex.text and "Silverdew Scythe" in ex.text and "−10%" in ex.text
    ex = await world.say("Bob", GROVE, "P!garden about @Alice")
    assert "Chi Grove" in ex.text and "Harvested in all: 8 plants" in ex.text


async def test_the_garden_boost_is_for_admins_and_per_server(world) -> None:
    ex = await world.say("Bob", GROVE, "P!garden boost 2h")
    assert "admin" in ex.text.lower()
    ex = await world.say("Psy", GROVE, "P!garden boost 90m")
    assert "Garden boost!" in ex.text and "25% faster" in ex.text
    ex = await world.say("Psy", GROVE, "P!garden boost 2h")
    assert "already running" in ex.text
    ex = await world.say("Psy", GROVE, "P!garden boost forever")
    assert "10 minutes to 6 hours" in ex.text
    ex = await world.say("Psy", POND, "P!garden boost")
    assert "No garden boost is running" in ex.text
