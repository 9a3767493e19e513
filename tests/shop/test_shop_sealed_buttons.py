"""The state a button carries is bound to its server and can't be forged (`discord/ui/seal.py`).

Through the offline Discord: a purchase offer's Confirm carried to another server, an offer
whose expiry or price was edited, an expiry of year 10,000: each is answered "This button has
expired." and nothing is bought. (Pages in DMs and forged seals: tests/discord/test_ui_kit.py.)
"""

from __future__ import annotations

import copy

from shop_support import fund, state

from chibot.discord import ui

GROVE, POND = "Bamboo Grove", "Lotus Pond"


def confirm_id(message) -> str:
    return next(cid for cid, label, _ in message.buttons if label == "Confirm")


def carrying(message, custom_id: str):
    """`message` as if its only button were one with `custom_id` (what a forger sends)."""
    forged = copy.copy(message)
    forged.components = [
        {
            "type": 1,
            "components": [{"type": 2, "style": 3, "label": "Confirm", "custom_id": custom_id}],
        }
    ]
    return forged


async def offer(world, guild: str) -> object:
    g, alice = world.guild_id(guild), world.user_id("Alice")
    await fund(world.app, g, alice, rebirths=5)
    ex = await world.say("Alice", guild, "P!rbuy R1")  # every rebirth purchase is confirmed
    assert confirm_id(ex.reply).startswith("shop:ok:")
    return ex.reply


async def test_a_confirm_carried_to_another_server_buys_nothing_there(world) -> None:
    grove_offer = await offer(world, GROVE)
    pond = world.guild_id(POND)
    await fund(world.app, pond, world.user_id("Alice"), rebirths=5)
    there = (await world.say("Alice", POND, "P!balance")).reply
    before = await state(world.app, pond, world.user_id("Alice"))
    ex = await world.discord.click(carrying(there, confirm_id(grove_offer)), world.user_id("Alice"))
    assert ex.text == ui.EXPIRED and ex.ephemeral == [True]
    assert await state(world.app, pond, world.user_id("Alice")) == before
    # at home the same button still works
    ex = await world.discord.click(grove_offer, world.user_id("Alice"), label="Confirm")
    assert (await state(world.app, world.guild_id(GROVE), world.user_id("Alice"))).rebirths == 2


async def test_an_edited_expiry_or_price_is_refused(world) -> None:
    grove_offer = await offer(world, GROVE)
    state_part, _, seal = confirm_id(grove_offer).rpartition("~")
    *head, exp = state_part.split(":")
    edits = [
        ":".join([*head, str(int(exp) + 3600)]) + "~" + seal,  # a later expiry
        ":".join([*head, "253402300800"]) + "~" + seal,  # year 10,000
        ":".join([*head[:5], "1", *head[6:], exp]) + "~" + seal,  # a lower total
    ]
    before = await state(world.app, world.guild_id(GROVE), world.user_id("Alice"))
    for forged in edits:
        ex = await world.discord.click(carrying(grove_offer, forged), world.user_id("Alice"))
        assert ex.text == ui.EXPIRED, forged
    assert await state(world.app, world.guild_id(GROVE), world.user_id("Alice")) == before
