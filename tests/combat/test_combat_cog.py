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
