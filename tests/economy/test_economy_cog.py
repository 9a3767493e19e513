"""Economy commands through the offline Discord: what members type, what the bot answers.

Every command is driven as a prefix command and as a slash command; buttons are clicked.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from chibot.core.tables import audit, members

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def balance(sandbox, guild: str, user: str) -> int:
    return (await sandbox.app.economy.profile(sandbox.guild_id(guild), sandbox.user_id(user))).chi


async def rows_in(sandbox, guild: str) -> int:
    async with sandbox.app.db.transaction() as conn:
        return (
            await conn.execute(
                select(func.count())
                .select_from(members)
                .where(members.c.guild_id == sandbox.guild_id(guild))
            )
        ).scalar_one()


# --- chat chi ------------------------------------------------------------------------------


async def test_positive_message_earns_and_reacts(late_sandbox) -> None:
    sandbox = late_sandbox
    ex = await sandbox.say("Alice", GROVE, "what a magnificent day")
    assert ex.reactions == ["😇"]
    assert 1 <= await balance(sandbox, GROVE, "Alice") <= 8
    assert await balance(sandbox, POND, "Alice") == 0


async def test_first_message_of_an_early_member_is_announced(sandbox) -> None:
    """Among the server's first ten members: the first award also unlocks Early Bird."""
    ex = await sandbox.say("Alice", GROVE, "what a magnificent day")
    assert ex.reactions == ["😇"]
    assert "Achievement unlocked" in ex.text and "Early Bird" in ex.text
    assert 5_001 <= await balance(sandbox, GROVE, "Alice") <= 5_008


async def test_negative_message_costs_and_reacts(late_sandbox) -> None:
    sandbox = late_sandbox
    ex = await sandbox.say("Bob", GROVE, "you are stupid")
    assert ex.reactions == ["😈"]
    assert -15 <= await balance(sandbox, GROVE, "Bob") <= -5


async def test_secret_word_is_announced(late_sandbox) -> None:
    sandbox = late_sandbox
    ex = await sandbox.say("Carol", GROVE, "cake")
    assert ex.reactions == ["🎁"]
    assert "found a secret word" in ex.text
    assert "Secrets Unveiled" in ex.text  # the first secret word: 10,000 chi more
    assert 10_010 <= await balance(sandbox, GROVE, "Carol") <= 10_015


@pytest.mark.parametrize(
    "text",
    [
        "magnificent",  # needs another ordinary word
        "hello everyone",  # nothing listed
        "P!chi magnificent day",  # a command earns nothing
    ],
)
async def test_messages_that_earn_nothing(sandbox, text: str) -> None:
    ex = await sandbox.say("Dave", GROVE, text)
    assert ex.reactions == []
    assert await balance(sandbox, GROVE, "Dave") == 0


async def test_no_chi_in_dms_or_from_bots(sandbox) -> None:
    h = sandbox.discord
    ex = await h.send(None, None, sandbox.user_id("Alice"), "what a magnificent day")
    assert ex.reactions == [] and ex.messages == []
    robot = h.make_user(100_000_000_000_000_077, "Robot", bot=True)
    await h.member_join(sandbox.guild_id(GROVE), robot)
    ex = await h.send(sandbox.guild_id(GROVE), None, robot.id, "what a magnificent day")
    assert ex.reactions == []
    assert await rows_in(sandbox, GROVE) == 0


async def test_chat_cooldown(sandbox) -> None:
    await sandbox.say("Alice", GROVE, "what a magnificent day")
    ex = await sandbox.say("Alice", GROVE, "what a splendid day")
    assert ex.reactions == []
    sandbox.app.clock.advance(31)
    ex = await sandbox.say("Alice", GROVE, "what a splendid day")
    assert ex.reactions == ["😇"]


async def test_server_words_and_reactions_are_configurable(sandbox) -> None:
    await sandbox.say("Alice", GROVE, "P!config words add positive rad")
    await sandbox.say("Alice", GROVE, "P!config set react_positive 🌟")
    ex = await sandbox.say("Bob", GROVE, "that is rad")
    assert ex.reactions == ["🌟"]
    ex = await sandbox.say("Bob", POND, "that is rad")  # only in the server that added it
    assert ex.reactions == []


# --- profile, chi, leaderboard ---------------------------------------------------------------


async def test_profile_prefix_and_slash(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1200")
    ex = await sandbox.say("Bob", GROVE, "P!profile @Alice")
    assert "Alice's chi" in ex.text and "Chi: 1,200" in ex.text and "Rank: #1 of 1" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "chi profile")
    assert "Chi: 1,200" in ex.text
    ex = await sandbox.slash("Bob", GROVE, "chi profile", member=sandbox.users["Alice"])
    assert "Alice's chi" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!profile nobody")
    assert "can't find a member" in ex.text


async def test_chi_shows_balance_level_and_rank(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Bob 42")
    ex = await sandbox.say("Bob", GROVE, "P!chi")
    assert "Bob: 42 chi" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "chi balance", member=sandbox.users["Bob"])
    assert "Bob: 42 chi" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!bal")
    assert "Carol: 0 chi" in ex.text and "unranked" in ex.text


async def test_leaderboard_pages_with_buttons_and_own_rank(sandbox) -> None:
    app, g = sandbox.app, sandbox.guild_id(GROVE)
    for i in range(24):  # 24 former members, richer than Dave
        await app.economy.admin_adjust(g, 1, 100_000_000_000_001_000 + i, 1000 + i)
    await app.economy.admin_adjust(g, 1, sandbox.user_id("Dave"), 5)
    ex = await sandbox.say("Dave", GROVE, "P!leaderboard")
    board = ex.reply
    assert "Page 1/3" in board.text and "Your rank: #25" in board.text
    assert "1,023 chi" in board.text.splitlines()[1]  # the richest first
    assert "Dave" not in board.text.split("Page")[0]
    ex = await sandbox.discord.click(board, sandbox.user_id("Dave"), label="▶")
    assert "Page 2/3" in ex.text
    ex = await sandbox.discord.click(ex.reply, sandbox.user_id("Dave"), label="My rank")
    assert "Page 3/3" in ex.text and "Dave" in ex.text and "← you" in ex.text
    ex = await sandbox.slash("Dave", GROVE, "chi leaderboard", page=99)
    assert "Page 3/3" in ex.text
    ex = await sandbox.say("Dave", POND, "P!lb")
    assert "Nobody has any chi here yet" in ex.text


async def test_rebirth_leaderboard(sandbox) -> None:
    g = sandbox.guild_id(GROVE)
    await sandbox.app.economy.admin_adjust(g, 1, sandbox.user_id("Bob"), 2, currency="rebirths")
    ex = await sandbox.slash("Alice", GROVE, "chi leaderboard", board="rebirths")
    assert "Rebirth leaderboard" in ex.text and "Bob" in ex.text and "2 rebirths" in ex.text
    assert "You are not ranked yet" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!top nonsense")
    assert "is neither a board (`chi` or `rebirths`) nor a page number" in ex.text


# --- daily, give ----------------------------------------------------------------------------


async def test_daily_prefix_then_slash_cooldown(late_sandbox) -> None:
    sandbox = late_sandbox
    ex = await sandbox.say("Erin", GROVE, "P!daily")
    assert "+250 chi" in ex.text and re.search(r"<t:\d+:R>", ex.text)
    assert "Streak: **1 day** in a row" in ex.text
    ex = await sandbox.slash("Erin", GROVE, "chi daily")
    assert "on cooldown" in ex.text and ex.ephemeral == [True]
    assert await balance(sandbox, GROVE, "Erin") == 250
    sandbox.app.clock.advance(days=1)
    ex = await sandbox.slash("Erin", GROVE, "chi daily")
    assert "+250 chi" in ex.text and ex.ephemeral == [False]
    assert "Streak: **2 days** in a row" in ex.text


async def test_give_and_pay(sandbox) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 100")
    ex = await sandbox.say("Alice", GROVE, "P!give @Bob 30")
    assert "Alice gave 30 chi to Bob" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!pay @Bob 1,0")
    assert "`1,0` isn't a number for `amount`" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "chi give", member=sandbox.users["Bob"], amount="20")
    assert "Alice gave 20 chi to Bob" in ex.text
    assert (await balance(sandbox, GROVE, "Alice"), await balance(sandbox, GROVE, "Bob")) == (
        50,
        50,
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("P!give @Alice 5", "yourself"),
        ("P!give @Bob 0", "above zero"),
        ("P!give @Bob -5", "above zero"),
        ("P!give @Bob 1k", "need **1,000** chi but have **10**"),
        ("P!give", "Missing `member`"),
        ("P!give @Bob", "Missing `amount`"),
        ("P!give @Nobody 5", "can't find a member"),
        ("P!give @Bob 5 gold", "must be one of"),
    ],
)
async def test_give_refusals(sandbox, text: str, answer: str) -> None:
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 10")
    ex = await sandbox.say("Alice", GROVE, text)
    assert answer in ex.text
    assert "@everyone" not in ex.text
    assert await balance(sandbox, GROVE, "Alice") == 10
    assert await balance(sandbox, GROVE, "Bob") == 0


async def test_give_to_a_bot_is_refused(sandbox) -> None:
    h = sandbox.discord
    robot = h.make_user(100_000_000_000_000_078, "Robot", bot=True)
    await h.member_join(sandbox.guild_id(GROVE), robot)
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 10")
    ex = await h.send(
        sandbox.guild_id(GROVE), None, sandbox.user_id("Alice"), f"P!give <@{robot.id}> 5"
    )
    assert "Bots don't need chi" in ex.text


# --- admin currency tools ---------------------------------------------------------------------


async def test_chiadd_chiremove_admins_only_and_audited(sandbox) -> None:
    ex = await sandbox.say("Bob", GROVE, "P!chiadd @Bob 500")  # Bob owns Lotus Pond, not the Grove
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!chiadd @Bob 500")  # Alice owns the Grove
    assert "0 → **500**" in ex.text
    ex = await sandbox.slash(
        "Alice", GROVE, "chi remove", member=sandbox.users["Bob"], amount="200"
    )
    assert "500 → **300**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!chiremove @Bob 301")
    assert "only have **300**" in ex.text
    ex = await sandbox.say("Alice", POND, "P!chiadd @Bob 5")  # not an admin over there
    assert "Only server admins" in ex.text
    sandbox.discord.set_permissions(
        sandbox.guild_id(GROVE), sandbox.user_id("Carol"), manage_guild=True
    )
    ex = await sandbox.slash("Carol", GROVE, "chi add", member=sandbox.users["Dave"], amount="1")
    assert "0 → **1**" in ex.text
    async with sandbox.app.db.transaction() as conn:
        rows = (
            await conn.execute(
                select(audit.c.action, audit.c.before, audit.c.after).order_by(audit.c.id)
            )
        ).all()
    assert [r.action for r in rows] == ["admin.add.chi", "admin.remove.chi", "admin.add.chi"]
    assert rows[1].before == {"chi": 500} and rows[1].after == {"chi": 300}


async def test_bot_owner_is_admin_in_every_server(sandbox) -> None:
    for guild in (GROVE, POND):
        ex = await sandbox.say("Psy", guild, "P!chiadd @Carol 7")
        assert "0 → **7**" in ex.text


async def test_admin_role_from_settings(sandbox) -> None:
    h, g = sandbox.discord, sandbox.guilds[GROVE]
    h.set_permissions(g.id, sandbox.user_id("Dave"), add_reactions=True)  # a role without powers
    role = next(
        r.id for r in g.roles.values() if r.name == f"harness-perms-{sandbox.user_id('Dave')}"
    )
    ex = await sandbox.say("Dave", GROVE, "P!chiadd @Dave 5")
    assert "Only server admins" in ex.text
    await sandbox.say("Alice", GROVE, f"P!config set admin_role_id <@&{role}>")
    ex = await sandbox.say("Dave", GROVE, "P!chiadd @Dave 5")
    assert "0 → **5**" in ex.text


# --- settings, blacklist, errors --------------------------------------------------------------


async def test_config_set_reset_and_refusals(sandbox) -> None:
    ex = await sandbox.slash("Alice", GROVE, "admin config set", key="daily_reward", value="1,000")
    assert "daily_reward` is now 1,000" in ex.text
    ex = await sandbox.say("Erin", GROVE, "P!daily")
    assert "+1,000 chi" in ex.text
    ex = await sandbox.say("Dave", POND, "P!config set daily_reward 5")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set daily_reward lots")
    assert "whole number" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set nonsense 1")
    assert "no setting called" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set chat_positive_min 50")
    assert "Invalid value" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config reset daily_reward")
    assert "back to its default (250)" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "admin config show")
    assert "daily_reward` = 250" in ex.text and ex.ephemeral == [True]


async def test_server_prefix(sandbox) -> None:
    await sandbox.say("Alice", GROVE, "P!config set prefix !")
    ex = await sandbox.say("Bob", GROVE, "!daily")
    assert "+250 chi" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!chi")
    assert ex.messages == []
    ex = await sandbox.say("Bob", POND, "p!daily")  # the other server keeps P! (any case)
    assert "+250 chi" in ex.text


async def test_blacklist_blocks_commands_and_chat(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!blacklist add @Bob spamming")
    assert "blacklisted" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!daily")
    assert "blacklisted" in ex.text
    ex = await sandbox.slash("Bob", GROVE, "chi daily")
    assert "blacklisted" in ex.text
    ex = await sandbox.say("Bob", GROVE, "what a magnificent day")
    assert ex.reactions == []
    ex = await sandbox.say("Bob", POND, "P!daily")  # only in the Grove
    assert "+250 chi" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "admin blacklist list")
    assert str(sandbox.user_id("Bob")) in ex.text and ex.ephemeral == [True]
    ex = await sandbox.slash("Carol", GROVE, "admin blacklist add", member=sandbox.users["Alice"])
    assert "Only server admins" in ex.text
    await sandbox.slash("Alice", GROVE, "admin blacklist remove", member=sandbox.users["Bob"])
    ex = await sandbox.say("Bob", GROVE, "P!daily")
    assert "+250 chi" in ex.text


async def test_unexpected_error_gets_an_id(sandbox, monkeypatch, caplog) -> None:
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sandbox.app.economy, "daily", broken)
    ex = await sandbox.say("Alice", GROVE, "P!daily")
    error_id = re.search(r"Error id `([0-9a-f]{8})`", ex.text)
    assert error_id
    assert any(error_id.group(1) in r.getMessage() for r in caplog.records)
    ex = await sandbox.slash("Alice", GROVE, "chi daily")
    assert "Error id" in ex.text and ex.ephemeral == [True]


async def test_commands_refuse_dms(sandbox) -> None:
    ex = await sandbox.discord.send(None, None, sandbox.user_id("Alice"), "P!daily")
    assert "only works in a server" in ex.text


async def test_owner_ids_from_settings_are_admins_everywhere(sandbox) -> None:
    """OWNER_IDS (here: Carol, by the process settings) pass admin checks in every server."""
    sandbox.app.settings.owner_ids.append(sandbox.user_id("Carol"))
    for guild in (GROVE, POND):
        ex = await sandbox.say("Carol", guild, "P!chiadd @Dave 3")
        assert "0 → **3**" in ex.text


async def test_a_failing_button_answers_with_an_error_id(sandbox, monkeypatch) -> None:
    g = sandbox.guild_id(GROVE)
    for i in range(15):
        await sandbox.app.economy.admin_adjust(g, 1, 100_000_000_000_002_000 + i, 10 + i)
    board = (await sandbox.say("Alice", GROVE, "P!leaderboard")).reply

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sandbox.app.economy, "leaderboard", broken)
    ex = await sandbox.discord.click(board, sandbox.user_id("Alice"), label="▶")
    assert "Error id" in ex.text and ex.ephemeral == [True]
