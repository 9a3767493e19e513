"""Combat through the offline Discord: the fighting card, `weapons`, `equip` (prefix and
slash, refusals) and the tutorial, in two servers."""

from __future__ import annotations

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def test_weapons_equip_and_the_card(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!fight")
    assert "Max HP **250**" in ex.text and "No weapon yet" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!weapons")
    assert "`VW1` Emerald Laceration · 5–10" in ex.text and "`buy C1`" in ex.text
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!buy crimson fang dagger")
    ex = await sandbox.say("Alice", GROVE, "P!fight")
    assert "Crimson Fang Dagger" in ex.text and "`CF1` Blood Ripper" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip verdant windblade")
    assert "You now fight with 🗡️ Verdant Windblade, level 0" in ex.text
    assert "instead of Crimson Fang Dagger" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "fight weapons")
    assert "⚔️ fighting with it" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip stormcallers pike")
    assert "You don't have a **Stormcaller's Pike**" in ex.text and "`buy C3`" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip")
    assert "Missing" in ex.text
    # the other server: nothing held there
    ex = await sandbox.say("Alice", POND, "P!fight")
    assert "No weapon yet" in ex.text


async def test_the_tutorial_is_private_on_slash(sandbox) -> None:
    ex = await sandbox.say("Carol", GROVE, "P!dtut")
    assert "How fights work" in ex.text
    ex = await sandbox.slash("Carol", GROVE, "fight tutorial")
    assert "How fights work" in ex.text and ex.ephemeral == [True]


async def test_sparring_through_discord(sandbox) -> None:
    """`spar @member` challenges, `spar @challenger` accepts; `attack`, `defend`, `forfeit`
    act in the fight; out of turn and out of a fight get one line."""
    for user in ("Alice", "Bob"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 1000")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "not in a fight" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Bob")
    assert "challenges **Bob** to a sparring match" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Bob")
    assert "already challenged **Bob**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Alice")
    assert "can't fight yourself" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!spar @Alice")
    assert "Your turn, **Alice**" in ex.text and "250/250 HP" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!attack VW1")
    assert "It is **Alice**'s turn, not yours" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "Alice** hits **Bob** with Emerald Laceration" in ex.text or "dodges" in ex.text
    ex = await sandbox.slash("Bob", GROVE, "fight defend")
    assert "**Bob** defends" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack frobnicate")
    assert "no attack called **frobnicate**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "**Alice** forfeits." in ex.text and "🏆 **Bob** wins the fight." in ex.text
    ex = await sandbox.say("Bob", POND, "P!attack VW1")  # another server: no fight there
    assert "not in a fight" in ex.text


async def test_train_spars_with_a_member_and_names_the_npcs(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!train @Bob")
    assert "challenges **Bob** to a sparring match" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train easy")
    assert "need a weapon to train against **Peaceful Panda**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train nobody")
    assert "can't find that member" in ex.text and "dummy, easy, medium, hard" in ex.text


async def test_training_against_npcs_through_discord(sandbox) -> None:
    """`train` lists the NPCs, `train easy` starts, the NPC answers each `attack` by itself,
    `forfeit` costs 50 chi; the dummy only stands there; `/fight train` and `fight npcs`."""
    ex = await sandbox.say("Alice", GROVE, "P!train")
    assert "Training · Alice" in ex.text and "🐼 Peaceful Panda · `train easy`" in ex.text
    assert "+40 chi every 30 min" in ex.text and "✅ reward ready" in ex.text
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")  # 800 chi left
    ex = await sandbox.say("Alice", GROVE, "P!train easy")
    assert "**Alice** trains against 🐼 **Peaceful Panda** (200 HP, hits 1–10" in ex.text
    assert "Your turn, **Alice**" in ex.text and "Peaceful Panda 200/200 HP" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "**Peaceful Panda** hits **Alice** with Lazy Paw" in ex.text or (
        "dodges Lazy Paw" in ex.text
    )
    assert "Your turn, **Alice**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train hard")
    assert "**Alice** is already in a fight here" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "**Alice** forfeits." in ex.text and "You fled: **−50 chi**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!bal")
    assert "750" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "fight train", opponent="dummy")
    assert (
        "trains against 🪵 **Training Dummy** (1,000 HP, never attacks; practice, no reward)"
        in ex.text
    )
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "**Training Dummy** just stands there." in ex.text and "Alice 250/250 HP" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "nothing lost" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train dragon")
    assert "can't find that member" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!fight npcs")
    assert "Master Shifu" in ex.text
    ex = await sandbox.say("Alice", POND, "P!attack VW1")  # another server: no fight there
    assert "not in a fight" in ex.text
