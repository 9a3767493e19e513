"""Pets through the offline Discord: adopt (confirmed), the card and its buttons, the food
shop (`petfood`, `2k`-style quantities), feed, train (confirmed), rename that cannot ping,
the fight one-liner, release (confirmed); prefix and slash."""

from __future__ import annotations

import pytest
from support.veterans import seat_veterans

GROVE = "Bamboo Grove"


@pytest.fixture
async def world(sandbox):
    await seat_veterans(sandbox.app, (guild.id for guild in sandbox.guilds.values()))
    return sandbox


async def test_a_pet_adopted_fed_trained_and_released(world) -> None:
    alice = world.user_id("Alice")
    await world.app.economy.admin_adjust(world.guild_id(GROVE), 1, alice, 60_000)
    ex = await world.say("Alice", GROVE, "P!pet")
    assert "no pet yet" in ex.text and "Pet store" in ex.text
    ex = await world.say("Alice", GROVE, "P!petfood")
    assert "F1" in ex.text and "Grass" in ex.text
    ex = await world.say("Alice", GROVE, "P!pet shop buy grass 12")
    assert "Bought 12 × Grass" in ex.text
    ex = await world.say("Alice", GROVE, "P!pet buy ox")
    assert "Adopt a 🐂 Ox for **43,400** chi" in ex.text
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "Welcome home, **Ox**" in ex.text
    assert "Dragon Tamer" not in ex.text
    ex = await world.say("Alice", GROVE, "P!pet")
    assert "Level **1**" in ex.text and "100/100" in ex.text
    card = ex.reply
    world.app.clock.advance(hours=30)
    ex = await world.discord.click(card, alice, label="🍖 Feed")
    assert "Grass for **Ox**" in ex.text
    ex = await world.discord.click(card, alice, label="💪 Train")  # the menu, privately
    assert ex.ephemeral == [True] and "attack" in ex.text.lower()
    ex = await world.discord.click(card, alice, label="🔁 Switch")  # one pet: nothing to switch
    assert "your only pet" in ex.text
    ex = await world.discord.click(card, world.user_id("Bob"), label="🍖 Feed")
    assert "someone else's pet" in ex.text
    ex = await world.say("Alice", GROVE, "P!pet name @everyone")
    assert "needs no @" in ex.text
    ex = await world.say("Alice", GROVE, "P!pet name Sir Moo")
    assert "now called **Sir Moo**" in ex.text
    ex = await world.slash("Alice", GROVE, "pet train", kind="attack")
    assert "for **750** chi?" in ex.text
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "Attack is now level 1/10" in ex.text
    ex = await world.say("Alice", GROVE, "P!pet attack P13")
    assert "not in a fight" in ex.text.lower() or "no fight" in ex.text.lower()
    ex = await world.say("Alice", GROVE, "P!pet release")
    assert "nothing is refunded" in ex.text
    ex = await world.discord.click(ex.reply, alice, label="Confirm")
    assert "gone back to the wild" in ex.text
