"""Pets in fights, through the offline Discord: a duel in which both members' pets act (the
card's pet buttons and `pet attack P#`), the pet resting a turn after it acts, a starving pet
refused, and a member with no pet in the other server."""

from __future__ import annotations

import pytest
from support.veterans import seat_veterans

GROVE, POND = "Bamboo Grove", "Lotus Pond"


@pytest.fixture
async def world(sandbox):
    await seat_veterans(sandbox.app, (guild.id for guild in sandbox.guilds.values()))
    return sandbox


async def adopt(world, user: str, where: str, species: str, food: str) -> None:
    uid = world.user_id(user)
    await world.app.economy.admin_adjust(world.guild_id(where), 1, uid, 100_000)
    await world.say(user, where, f"P!pet shop buy {food} 10")
    ex = await world.say(user, where, f"P!pet buy {species}")
    ex = await world.discord.click(ex.reply, uid, label="Confirm")
    assert "Welcome home" in ex.text
    await world.say(user, where, "P!buy verdant windblade")


async def test_a_duel_in_which_both_pets_act(world) -> None:
    alice, bob = world.user_id("Alice"), world.user_id("Bob")
    await adopt(world, "Alice", GROVE, "ox", "grass")
    await adopt(world, "Bob", GROVE, "snake", "mice")
    ex = await world.say("Alice", GROVE, "P!duel @Bob")
    ex = await world.discord.click(ex.reply, bob, label="Accept")
    card = ex.reply
    assert "🐾 🐂 Ox (ready)" in ex.text and "🐾 🐍 Snake (ready)" in ex.text
    labels = [b[1] for b in card.buttons]
    assert "🐾 P13 · Headbutt" in labels and "🐾 P10 · Venomous Bite" not in labels  # Alice's turn
    ex = await world.discord.click(card, bob, label="🐾 P13 · Headbutt")
    assert "It is **Alice**'s turn" in ex.text
    ex = await world.discord.click(card, alice, label="🐾 P13 · Headbutt")
    assert "**Alice**'s 🐂 Ox hits **Bob** with Headbutt" in ex.text or "dodges" in ex.text
    assert "👉 **Bob**'s turn" in ex.text
    ex = await world.say("Bob", GROVE, "P!pet attack P10")
    assert "**Bob**'s 🐍 Snake hits **Alice** with Venomous Bite" in ex.text or "dodges" in ex.text
    card = ex.reply
    assert "🐾 🐂 Ox (resting)" in ex.text  # Alice's turn: her ox sits this one out
    assert not [b for b in card.buttons if b[1].startswith("🐾")]  # resting: no pet buttons
    ex = await world.say("Alice", GROVE, "P!pet duel 2")
    assert "catching its breath" in ex.text and "on your next turn" in ex.text
    ex = await world.slash("Alice", GROVE, "fight pet", move="P99")
    assert "catching its breath" in ex.text
    ex = await world.say("Alice", GROVE, "P!attack VW1")
    ex = await world.say("Bob", GROVE, "P!attack VW1")
    labels = [b[1] for b in ex.reply.buttons]
    assert "🐾 P14 · Bull Charge" in labels  # rested: back on the card
    ex = await world.say("Alice", GROVE, "P!pet attack frobnicate")
    assert "has no attack **frobnicate**" in ex.text and "P13 Headbutt" in ex.text
    ex = await world.say("Alice", GROVE, "P!forfeit")
    assert "🏆 **Bob** wins the fight." in ex.text


async def test_a_starving_pet_will_not_fight_and_another_server_has_none(world) -> None:
    bob = world.user_id("Bob")
    await adopt(world, "Alice", POND, "ox", "grass")
    await world.app.economy.admin_adjust(world.guild_id(POND), 1, bob, 1_000)
    await world.say("Bob", POND, "P!buy verdant windblade")
    world.app.clock.advance(hours=48)  # the ox's belly is empty
    ex = await world.say("Alice", POND, "P!spar @Bob")
    ex = await world.say("Bob", POND, "P!spar @Alice")
    assert "🐾 🐂 Ox (starving: won't fight)" in ex.text
    assert not [b for b in ex.reply.buttons if b[1].startswith("🐾")]
    ex = await world.say("Alice", POND, "P!pet attack P13")
    assert "starving and won't fight" in ex.text
    ex = await world.say("Bob", POND, "P!pet attack P13")
    assert "It is **Alice**'s turn" in ex.text
    await world.say("Alice", POND, "P!attack VW1")
    ex = await world.say("Bob", POND, "P!pet attack P13")
    assert "You brought no pet to this fight" in ex.text
    # Grove: Alice has no pet there
    ex = await world.say("Alice", GROVE, "P!pet attack P13")
    assert "not in a fight" in ex.text
