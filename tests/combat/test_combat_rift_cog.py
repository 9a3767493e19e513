"""The rift through the offline Discord (issue 13): an admin's `event rift` posts the card with
its buttons (Join, Status, the nine attacks); members join with the button and with `enter`,
attack with the buttons and `rift attack`, are refused while cooling down; a member can't open
or end a rift; the kill's message pays the split; `event end` and the scheduler's escape edit
the card; two servers, each its own rift. Every reply stays within Discord's limits (the
offline Discord checks them)."""

from __future__ import annotations

from sqlalchemy import update

from chibot.core.scheduler import run_due
from chibot.features.combat.store import combat_rifts

GROVE, POND = "Bamboo Grove", "Lotus Pond"


class Dice:
    def __init__(self, *values: int) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0) if self.values else a
        return min(max(value, a), b)

    def random(self) -> float:
        return 0.0


async def weaken(sandbox, guild: str, hp: int) -> None:
    """Bring the live rift of `guild` down to `hp` (as many attacks would)."""
    gid = sandbox.guild_id(guild)

    async def tx(scope):
        await scope.conn.execute(
            update(combat_rifts)
            .where((combat_rifts.c.guild_id == gid) & combat_rifts.c.live.is_(True))
            .values(hp=hp)
        )

    await sandbox.app.db.scoped(gid, tx)


async def test_a_rift_through_discord_in_two_servers(sandbox) -> None:
    alice, bob = sandbox.user_id("Alice"), sandbox.user_id("Bob")
    ex = await sandbox.say("Carol", GROVE, "P!rift")
    assert "No rift has opened here yet" in ex.text and "`event rift`" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!event rift")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!event rift")
    card = ex.reply
    assert "A rift tears open!" in card.text and "2,500** / 2,500 HP" in card.text
    assert "`" + "░" * 20 + "`" not in card.text and "█" * 20 in card.text
    labels = [b[1] for b in card.buttons]
    assert "⚔️ Join" in labels and "📜 Status" in labels and "L9 · Shadow Strike" in labels
    assert len(labels) == 11
    ex = await sandbox.say("Psy", GROVE, "P!event rift")
    assert "already open here" in ex.text
    # joining: the button, the `enter` shortcut, the slash command
    ex = await sandbox.discord.click(card, alice, label="⚔️ Join")
    assert "**Alice** joins the rift (250 HP)" in ex.text
    ex = await sandbox.discord.click(card, alice, label="⚔️ Join")
    assert "already in the rift" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!enter")
    assert "**Bob** joins the rift" in ex.text
    ex = await sandbox.slash("Carol", GROVE, "rift join")
    assert "**Carol** joins the rift" in ex.text
    ex = await sandbox.say("Dave", GROVE, "P!rift enter")
    assert "The Rifter grows: **+500** HP" in ex.text
    # attacking: a button, then the command while cooling down, then a bad name
    sandbox.app.combat.rifts.rng = Dice(999, 0)
    ex = await sandbox.discord.click(card, alice, label="L3 · Celestial Fury")
    assert "**Alice** strikes with **Celestial Fury** (`L3`) for **300**" in ex.text
    assert "hits back for **20**" in ex.text and ex.ephemeral[-1] is True
    assert "2,700** / 3,000 HP" in card.text  # the card itself moved
    ex = await sandbox.say("Alice", GROVE, "P!rift attack L1")
    assert "Catch your breath" in ex.text and "<t:" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!rift attack frobnicate")
    assert "no legendary attack called **frobnicate**" in ex.text and "`L1`" in ex.text
    ex = await sandbox.say("Erin", GROVE, "P!rift attack L1")
    assert "not in the rift" in ex.text
    ex = await sandbox.discord.click(card, bob, label="📜 Status")
    assert ex.ephemeral == [True] and "4 raiders in the rift" in ex.text
    # Dave runs; the other server has its own rift
    ex = await sandbox.say("Dave", GROVE, "P!rift run")
    assert "runs from the rift" in ex.text and "forfeited" in ex.text
    ex = await sandbox.say("Dave", GROVE, "P!enter")
    assert "can't join it again" in ex.text
    ex = await sandbox.say("Alice", POND, "P!rift attack L1")
    assert "No rift is open here" in ex.text
    ex = await sandbox.slash("Psy", POND, "event rift")
    pond_card = ex.reply
    assert "A rift tears open!" in ex.text
    ex = await sandbox.discord.click(pond_card, alice, label="⚔️ Join")
    assert "**Alice** joins the rift" in ex.text
    # the kill: Alice and Bob each attack twice; Carol once (no share)
    sandbox.app.combat.rifts.rng = Dice()
    await sandbox.say("Bob", GROVE, "P!rift attack soul drain")
    await sandbox.say("Carol", GROVE, "P!rift attack L2")
    sandbox.app.clock.advance(15)
    await sandbox.say("Bob", GROVE, "P!rift attack L8")
    await weaken(sandbox, GROVE, 50)
    ex = await sandbox.discord.click(card, alice, label="L1 · Heaven's Smite")
    assert "**Alice** strikes the final blow: **THE RIFTER IS DEFEATED!**" in ex.text
    assert "prize of **1,800** chi goes to 2 raiders by damage" in ex.text
    assert "1 raider with fewer than 2 attacks got no share" in ex.text
    assert "**Alice** · 350 damage · **+1,212** chi" in ex.text  # 1,800 × 350 / 520
    assert "**Bob** · 170 damage · **+588** chi" in ex.text and "Rift Survivor" in ex.text
    assert card.buttons == [] and "was defeated" in card.text
    ex = await sandbox.say("Bob", GROVE, "P!rift attack L1")
    assert "No rift is open here" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!rift")
    assert "The last Rifter was defeated" in ex.text and "may open the next <t:" in ex.text
    # the other server's rift is still live; an admin ends it, the card says so
    ex = await sandbox.say("Carol", POND, "P!event end")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", POND, "P!event")
    assert "1 raider in the rift" in ex.text
    ex = await sandbox.say("Psy", POND, "P!event end")
    assert "closed** by an admin: no prize, nothing is paid" in ex.text
    assert pond_card.buttons == [] and "closed** by an admin" in pond_card.text


async def test_the_rifter_escapes_and_its_card_says_so(sandbox) -> None:
    ex = await sandbox.slash("Psy", GROVE, "event rift")
    card = ex.reply
    await sandbox.say("Alice", GROVE, "P!enter")
    sandbox.app.clock.advance(30 * 60)
    ex = await sandbox.say("Alice", GROVE, "P!rift attack L1")
    assert "time is up" in ex.text
    await run_due(sandbox.app.db, sandbox.app)
    assert await sandbox.bot.get_cog("Lifecycle").deliver() == 1
    assert "The Rifter escaped" in card.text and card.buttons == []
    ex = await sandbox.say("Psy", GROVE, "P!event rift")
    assert "next may open <t:" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "rift status")
    assert "The last Rifter escaped" in ex.text and "may open the next <t:" in ex.text
    sandbox.app.clock.advance(4 * 3600)
    ex = await sandbox.say("Alice", GROVE, "P!rift")
    assert "may open the next now" in ex.text
