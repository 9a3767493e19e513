"""Progress commands through the offline Discord: what members type, what the bot answers.

Every command is driven as a prefix command and as a slash command (aliases too), the Claim
button is clicked, and every refusal is one short line. Ten former members are created in
both servers first, so the sandbox's members are not early birds (except where that is the
point of the test).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from chibot.core.tables import ledger

GROVE, POND = "Bamboo Grove", "Lotus Pond"
SWORD = "verdant_windblade"


@pytest.fixture(autouse=True)
async def _former_members(sandbox) -> None:
    for guild in (GROVE, POND):
        await sandbox.app.db.scoped(
            sandbox.guild_id(guild), lambda s: s.wallet.ensure(*range(700, 710))
        )
    sandbox.app.clock.advance(1)


async def run(sandbox, guild: str, fn):
    return await sandbox.app.db.scoped(sandbox.guild_id(guild), fn)


async def earn(sandbox, user: str, amount: int, guild: str = GROVE) -> None:
    uid = sandbox.user_id(user)
    await run(sandbox, guild, lambda s: s.wallet.credit(uid, amount, reason="daily"))


async def give_item(
    sandbox,
    user: str,
    item: str = SWORD,
    guild: str = GROVE,
    *,
    level: int = 0,
    chest: bool = False,
) -> None:
    uid = sandbox.user_id(user)

    async def tx(scope):
        await (scope.chest if chest else scope.inventory).add(uid, item, level=level, unique=True)

    await run(sandbox, guild, tx)


async def chi(sandbox, user: str, guild: str = GROVE) -> int:
    uid = sandbox.user_id(user)
    return (await run(sandbox, guild, lambda s: s.wallet.get(uid))).chi


async def level_of(sandbox, user: str, item: str = SWORD, guild: str = GROVE) -> int | None:
    uid = sandbox.user_id(user)
    found = await run(sandbox, guild, lambda s: s.inventory.get(uid, item))
    return found.level if found else None


# --- level ----------------------------------------------------------------------------------------


async def test_level_prefix_slash_and_other_member(sandbox) -> None:
    await earn(sandbox, "Alice", 1600)
    await run(
        sandbox, GROVE, lambda s: s.counters.set(sandbox.user_id("Alice"), "permanent_hp", 250)
    )
    ex = await sandbox.say("Alice", GROVE, "P!level")
    assert "Alice · level 2" in ex.text
    assert "1,400** chi to level 3" in ex.text
    assert "+10% damage and healing" in ex.text and "each level adds 5%" in ex.text
    assert "Max HP: 500 (250 base + 250 permanent)" in ex.text
    assert re.search("[▰▱]{12}", ex.text)
    ex = await sandbox.slash("Bob", GROVE, "progress level", member=sandbox.users["Alice"])
    assert "Alice · level 2" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!lvl")
    assert (
        "Bob · level 0" in ex.text and "500** chi to level 1" in ex.text and "+0% damage" in ex.text
    )
    ex = await sandbox.say("Alice", POND, "P!level")  # another server, another life
    assert "Alice · level 0" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!level nobody")
    assert "can't find a member" in ex.text


async def test_level_at_the_maximum(sandbox) -> None:
    await earn(sandbox, "Carol", 10**9)
    ex = await sandbox.slash("Carol", GROVE, "progress level")
    assert (
        "level 100" in ex.text and "Maximum level reached" in ex.text and "+500% damage" in ex.text
    )


# --- upgrade ---------------------------------------------------------------------------------------


async def test_upgrade_prefix_and_slash(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await give_item(sandbox, "Alice")
    ex = await sandbox.say("Alice", GROVE, "P!upgrade verdant windblade")
    assert "Verdant Windblade: level 1/10" in ex.text
    assert "paid **50** chi" in ex.text and "balance **950** chi" in ex.text
    assert "Bonus: +5% damage" in ex.text and "Next upgrade: 100 chi (level 2)" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "progress upgrade", item=SWORD)
    assert "level 2/10" in ex.text and "Bonus: +10% damage" in ex.text and ex.ephemeral == [False]
    assert await level_of(sandbox, "Alice") == 2 and await chi(sandbox, "Alice") == 850


async def test_the_bare_upgrade_lists_with_buttons(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await give_item(sandbox, "Alice")
    ex = await sandbox.say("Alice", GROVE, "P!upgrade")
    assert "What you can upgrade" in ex.text and "`upgrade Verdant Windblade`" in ex.text
    alice = sandbox.user_id("Alice")
    done = await sandbox.discord.click(ex.reply, alice, label="⬆️ Verdant Windblade")
    assert "Verdant Windblade: level 1/10" in done.text
    assert await level_of(sandbox, "Alice") == 1 and await chi(sandbox, "Alice") == 950


async def test_upgrade_to_the_cap(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Bob 2000")
    await give_item(sandbox, "Bob", level=9)
    ex = await sandbox.say("Bob", GROVE, "P!upgrade C1")
    assert "level 10/10" in ex.text and "Next upgrade: Fully upgraded" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!upgrade C1")
    assert ex.text == "Your **Verdant Windblade** is fully upgraded (level 10/10)."
    assert await chi(sandbox, "Bob") == 1500


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("P!upgrade excalibur", "I don't know an item called `excalibur`."),
        ("P!upgrade minor healing salve", "**Minor Healing Salve** can't be upgraded."),
        (
            "P!upgrade crimson fang dagger",
            "You don't have a **Crimson Fang Dagger** in your inventory.",
        ),
        (
            "P!upgrade obsidian reaver",
            "Your **Obsidian Reaver** is in your chest: take it out to upgrade it.",
        ),
        (
            "P!upgrade verdant windblade",
            "Upgrading **Verdant Windblade** to level 1 costs **50** chi; you have **49**.",
        ),
        ("P!upgrade", "What you can upgrade"),
        ("P!upgrade @everyone", "I don't know an item called `@everyone`."),
    ],
)
async def test_upgrade_refusals(sandbox, text: str, answer: str) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Dave 49")
    await give_item(sandbox, "Dave")
    await give_item(sandbox, "Dave", "minor_healing_salve")
    await give_item(sandbox, "Dave", "obsidian_reaver", chest=True)
    ex = await sandbox.say("Dave", GROVE, text)
    assert answer in ex.text
    assert len(ex.messages) == 1
    assert await chi(sandbox, "Dave") == 49 and await level_of(sandbox, "Dave") == 0


async def test_upgrade_refusal_on_slash_is_ephemeral(sandbox) -> None:
    ex = await sandbox.slash("Erin", GROVE, "progress upgrade", item="verdant windblade")
    assert "don't have a **Verdant Windblade**" in ex.text and ex.ephemeral == [True]


async def test_upgrade_autocomplete_lists_own_upgradable_items(sandbox) -> None:
    await give_item(sandbox, "Alice")
    await give_item(sandbox, "Alice", "crimson_fang_dagger", level=4)
    await give_item(sandbox, "Alice", "minor_healing_salve")
    await give_item(sandbox, "Alice", "obsidian_reaver", chest=True)
    cog = sandbox.bot.get_cog("Progress")
    interaction = SimpleNamespace(
        guild=sandbox.bot.get_guild(sandbox.guild_id(GROVE)),
        user=SimpleNamespace(id=sandbox.user_id("Alice")),
    )
    choices = await cog._upgrade_autocomplete(interaction, "")
    assert sorted((c.name, c.value) for c in choices) == [
        ("Crimson Fang Dagger (level 4/10)", "crimson_fang_dagger"),
        ("Verdant Windblade (level 0/10)", SWORD),
    ]
    assert [c.value for c in await cog._upgrade_autocomplete(interaction, "verd")] == [SWORD]
    interaction.user.id = sandbox.user_id("Bob")
    assert await cog._upgrade_autocomplete(interaction, "") == []


# --- milestones ------------------------------------------------------------------------------------


async def test_milestone_list_and_claim_button(sandbox) -> None:
    await earn(sandbox, "Alice", 6000)
    ex = await sandbox.say("Alice", GROVE, "P!milestone")
    listing = ex.reply
    assert "🎁 **First Steps** · 1,000 lifetime chi · +100 chi · **ready to claim**" in listing.text
    assert "🔒 **Rising Chi** · 10,000 lifetime chi · +500 chi · 4,000 to go" in listing.text
    assert [(cid.rpartition("~")[0], label, off) for cid, label, off in listing.buttons] == [
        (f"milestone:claim:{sandbox.user_id('Alice')}", "Claim 2 (+350 chi)", False)
    ]
    other = await sandbox.discord.click(listing, sandbox.user_id("Bob"))
    assert "aren't yours" in other.text and other.ephemeral == [True]
    clicked = await sandbox.discord.click(listing, sandbox.user_id("Alice"))
    assert "✅ **First Steps**" in clicked.text and "Claimed: 2/10" in clicked.text
    assert "+350 chi from 2 milestones" in clicked.text
    assert (
        sandbox.discord.message(listing.id).buttons == []
    )  # the list was edited: nothing left to claim
    assert await chi(sandbox, "Alice") == 6350


async def test_claim_button_after_everything_was_claimed_says_nothing_to_claim(sandbox) -> None:
    await earn(sandbox, "Carol", 1000)
    listing = (await sandbox.say("Carol", GROVE, "P!milestones")).reply
    await sandbox.say("Carol", GROVE, "P!milestone claim")
    ex = await sandbox.discord.click(listing, sandbox.user_id("Carol"))
    assert "Nothing to claim yet" in ex.text and ex.ephemeral == [True]
    rows = await _ledger(sandbox, GROVE, "milestone")
    assert [r.ref for r in rows] == ["lifetime_1000"]


async def test_milestone_slash_forms_and_nothing_to_claim(sandbox) -> None:
    ex = await sandbox.slash("Bob", GROVE, "progress milestone claim")
    assert (
        ex.text == "Nothing to claim yet: **First Steps** needs 1,000 more lifetime chi."
        and ex.ephemeral == [True]
    )
    ex = await sandbox.slash("Bob", GROVE, "progress milestone list")
    assert "🔒 **First Steps**" in ex.text and ex.reply.buttons == []
    ex = await sandbox.say("Bob", GROVE, "P!milestone list")
    assert "Milestones · Bob" in ex.text and "Claimed: 0/10" in ex.text
    await earn(sandbox, "Bob", 1200)
    ex = await sandbox.slash("Bob", GROVE, "progress milestone claim")
    assert "+100 chi from 1 milestone" in ex.text and "**1,300** chi" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!milestone claim")
    assert "Nothing to claim yet: **Getting Started** needs 3,800 more" in ex.text
    ex = await sandbox.say("Bob", POND, "P!milestone claim")  # per server
    assert "needs 1,000 more" in ex.text


# --- stats -----------------------------------------------------------------------------------------


async def _ledger(sandbox, guild: str, reason: str) -> list:
    async with sandbox.app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger).where(
                (ledger.c.guild_id == sandbox.guild_id(guild)) & (ledger.c.reason == reason)
            )
        )
        return list(rows)


async def test_stats_prefix_and_slash(sandbox) -> None:
    await sandbox.say("Alice", GROVE, "what a magnificent day")
    await sandbox.say("Alice", GROVE, "P!daily")
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!give @Bob 40")
    await sandbox.say("Bob", GROVE, "P!give @Alice 15")
    await give_item(sandbox, "Alice")
    await sandbox.say("Alice", GROVE, "P!upgrade C1")
    await run(sandbox, GROVE, lambda s: s.counters.bump(sandbox.user_id("Alice"), "rift_runs", 2))
    ex = await sandbox.say("Alice", GROVE, "P!stats")
    text = ex.text
    assert "📊 Alice in Bamboo Grove" in text
    assert (
        re.search(r"Chi earned: \*\*2[5-9]\d\*\*", text)
        and "Daily rewards 250" in text
        and "Chat " in text
    )
    assert "Chi spent: **50**\nItem upgrades 50" in text
    assert "Given: 40 chi (1×)" in text and "Received: 15 chi (1×)" in text
    assert "Admin adjustments: +1,000 / −0" in text
    assert "1 positive · 0 negative · 0 secret words" in text
    assert "Item upgrades: 1" in text and "Rift Runs" not in text  # unlisted counters: internal
    ex = await sandbox.slash("Carol", GROVE, "progress stats", member=sandbox.users["Alice"])
    assert "📊 Alice in Bamboo Grove" in ex.text and "Item upgrades: 1" in ex.text
    ex = await sandbox.say("Alice", POND, "P!stats")
    assert "Nothing yet in this server." in ex.text


async def test_stats_refuses_unknown_member(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!stats nobody")
    assert "can't find a member" in ex.text


# --- achievements ----------------------------------------------------------------------------------


async def test_achievements_board(sandbox) -> None:
    await run(
        sandbox, GROVE, lambda s: s.wallet.ensure(sandbox.user_id("Alice"))
    )  # the 11th member
    ex = await sandbox.say("Alice", GROVE, "P!achievements")
    text = ex.text
    assert "Unlocked **0/30** (0.0%) · **0** chi earned from achievements" in text
    assert "🔒 🟡 ??? (hidden)" in text and "Secrets Unveiled" not in text
    assert "Dragon Tamer: Own the Dragon pet." in text and "arrives with artifacts" in text
    assert "Chi Millionaire: Earn 1,000,000 chi" in text and "0/1,000,000" in text
    assert "first 10 members only (you joined after the first 10)" in text
    # legendary -> epic -> rare -> common within a category
    combat = text.split("⚔️ Combat")[1].split("🗺️")[0]
    assert (
        combat.index("Duel Master")
        < combat.index("Duel Champion")
        < combat.index("Boss Slayer")
        < combat.index("First Blood")
    )


async def test_achievements_category_and_aliases(sandbox) -> None:
    await run(sandbox, GROVE, lambda s: s.counters.set(sandbox.user_id("Bob"), "rebirths_done", 3))
    ex = await sandbox.say("Bob", GROVE, "P!ach Economy")
    assert "Bob's achievements · 💰 Economy" in ex.text
    assert "✅ 🔵 ♻️ **Reborn**" in ex.text and re.search(r"<t:\d+:d>", ex.text)
    assert "Cycle of Eternity: Rebirth 10 times. · +15,000 chi · 3/10" in ex.text
    assert "Combat" not in ex.text.split("Unlocked")[1].split("P!achievements")[0]
    # reached by a path that did not check: granted and announced on look
    assert "Achievement unlocked!" in ex.text and "+1,500** chi" in ex.text
    assert "Unlocked **1/30** (3.3%) · **1,500** chi" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!achieve economy")
    assert "Achievement unlocked!" not in ex.text  # once
    ex = await sandbox.slash("Bob", GROVE, "progress achievements", category="economy")
    assert "💰 Economy (1/3)" in ex.text and "/progress achievements <category>" in ex.text


@pytest.mark.parametrize("how", ["prefix", "slash"])
async def test_achievements_unknown_category(sandbox, how: str) -> None:
    if how == "prefix":
        ex = await sandbox.say("Carol", GROVE, "P!achievements cooking")
    else:
        ex = await sandbox.slash("Carol", GROVE, "progress achievements", category="cooking")
    assert (
        ex.text
        == "No category `cooking`. Categories: `combat`, `exploration`, `collection`, `social`, `economy`, `mastery`."
    )


async def test_achievement_category_autocomplete(sandbox) -> None:
    cog = sandbox.bot.get_cog("Progress")
    choices = await cog._category_autocomplete(SimpleNamespace(), "co")
    assert [c.value for c in choices] == ["combat", "collection", "economy"]
    assert len(await cog._category_autocomplete(SimpleNamespace(), "")) == 6


async def test_early_bird_in_a_new_server(sandbox) -> None:
    """In a brand-new server the first ten members to play are early birds; the board says so."""
    h = sandbox.discord
    koi = h.make_guild(200_000_000_000_000_003, "Koi Lake", owner_id=sandbox.user_id("Alice"))
    await h.join_guild(koi, list(sandbox.users.values()))
    await sandbox.app.db.scoped(koi.id, lambda s: s.wallet.ensure(sandbox.user_id("Carol")))
    ex = await h.send(koi.id, None, sandbox.user_id("Carol"), "P!achievements social")
    assert "Achievement unlocked!" in ex.text and "Early Bird" in ex.text
    assert "✅ 🟡 🐦 **Early Bird**" in ex.text
    ex = await h.send(
        koi.id, None, sandbox.user_id("Dave"), "P!achievements social"
    )  # no record yet
    assert "first 10 members only" in ex.text and "Achievement unlocked!" not in ex.text


# --- cooldowns -------------------------------------------------------------------------------------


async def test_cooldowns(sandbox) -> None:
    ex = await sandbox.say("Erin", GROVE, "P!cooldowns")
    assert "Nothing is cooling down" in ex.text
    await sandbox.say("Erin", GROVE, "P!daily")
    await sandbox.say("Erin", GROVE, "what a magnificent day")
    ex = await sandbox.say("Erin", GROVE, "P!cd")
    lines = ex.text.splitlines()
    assert re.fullmatch(r"💬 Chat chi · ready <t:\d+:R>", lines[1])
    assert re.fullmatch(r"📅 Daily reward · ready <t:\d+:R>", lines[2])
    ex = await sandbox.slash("Erin", GROVE, "progress cooldowns")
    assert "Daily reward" in ex.text and ex.ephemeral == [True]
    sandbox.app.clock.advance(days=1)
    ex = await sandbox.slash("Erin", GROVE, "progress cooldowns")
    assert "Nothing is cooling down" in ex.text


async def test_cooldowns_are_per_server(sandbox) -> None:
    await sandbox.say("Alice", GROVE, "P!daily")
    ex = await sandbox.say("Alice", POND, "P!cd")
    assert "Nothing is cooling down" in ex.text


async def test_progress_commands_refuse_dms(sandbox) -> None:
    for text in ("P!level", "P!upgrade C1", "P!milestone", "P!stats", "P!achievements", "P!cd"):
        ex = await sandbox.discord.send(None, None, sandbox.user_id("Alice"), text)
        assert "only works in a server" in ex.text, text
