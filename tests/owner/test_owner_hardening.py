"""`psy` only acts where the bot is and on users it knows, reads ids strictly, pages any page
number, and answers in sentences (never a Python dict or a bug id)."""

from __future__ import annotations

import pytest

GROVE, POND = "Bamboo Grove", "Lotus Pond"
STRANGER = 123_456_789_012_345_678  # never a member anywhere
NOWHERE = 200_000_000_000_000_999  # a server the bot was never in


def no_bug(text: str) -> None:
    assert "Error id" not in text and "went wrong" not in text, text


async def chi(sandbox, guild_id: int, user_id: int) -> int:
    return (await sandbox.app.economy.profile(guild_id, user_id)).chi


@pytest.mark.parametrize(
    "command",
    [
        "give {g} @Dave chi 5",
        "remove {g} @Dave chi 5",
        "give {g} @Dave item 1 minor healing salve",
        "reset {g} @Dave",
    ],
)
async def test_a_server_the_bot_is_not_in_is_refused(sandbox, command: str) -> None:
    ex = await sandbox.say("Psy", GROVE, "P!psy " + command.format(g=NOWHERE))
    assert f"I'm not in server `{NOWHERE}`." in ex.text
    assert await chi(sandbox, NOWHERE, sandbox.user_id("Dave")) == 0


async def test_a_server_the_bot_left_is_refused(sandbox) -> None:
    pond, dave = sandbox.guild_id(POND), sandbox.user_id("Dave")
    await sandbox.app.economy.admin_adjust(pond, 1, dave, 40)
    await sandbox.discord.remove_guild(pond)
    await sandbox.app.lifecycle.left(pond)
    for command in (f"give {pond} @Dave chi 5", f"reset {pond} @Dave"):
        ex = await sandbox.say("Psy", GROVE, "P!psy " + command)
        assert f"I'm not in server `{pond}` any more" in ex.text
    assert await chi(sandbox, pond, dave) == 40
    ex = await sandbox.say("Psy", GROVE, f"P!psy inspect {pond} @Dave")
    assert "Chi: 40" in ex.text and "I left this server" in ex.text  # its data is still there


async def test_a_user_who_never_was_a_member_is_refused(sandbox) -> None:
    grove = sandbox.guild_id(GROVE)
    for command in (f"give {grove} {STRANGER} chi 5", f"reset {grove} {STRANGER}"):
        ex = await sandbox.say("Psy", GROVE, "P!psy " + command)
        assert f"`{STRANGER}` has no record in server `{grove}`" in ex.text
    assert await chi(sandbox, grove, STRANGER) == 0
    ex = await sandbox.say("Psy", GROVE, f"P!psy inspect {grove} {STRANGER}")
    assert f"`{STRANGER}` has no record in this server." in ex.text
    ex = await sandbox.say("Psy", GROVE, f"P!psy inspect {NOWHERE} @Dave")
    assert f"I'm not in server `{NOWHERE}`." in ex.text


async def test_a_member_without_a_record_yet_can_be_given_chi(sandbox) -> None:
    """Erin is in the Grove (Discord shows her) but has never earned anything there."""
    grove, erin = sandbox.guild_id(GROVE), sandbox.user_id("Erin")
    ex = await sandbox.say("Psy", POND, f"P!psy give {grove} @Erin chi 7")
    assert "Gave 7 chi to" in ex.text and "they had 0 and now have 7 chi" in ex.text
    assert await chi(sandbox, grove, erin) == 7
    ex = await sandbox.say("Psy", POND, f"P!psy remove {grove} @Erin chi 2")
    assert "Removed 2 chi from" in ex.text and "they had 7 and now have 5 chi" in ex.text


@pytest.mark.parametrize("server", [str(2**63), "²", "١٢٣", "9" * 20, "-5", "+5", "9" * 40])
async def test_bad_server_ids_get_one_line(sandbox, server: str) -> None:
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {server} @Dave chi 5")
    no_bug(ex.text)
    assert "is not a server id (1 to 19 digits)" in ex.text


@pytest.mark.parametrize("user", [str(2**63), "1" * 21, "<@99999999999999999999>", "²"])
async def test_bad_user_ids_get_one_line(sandbox, user: str) -> None:
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {sandbox.guild_id(GROVE)} {user} chi 5")
    no_bug(ex.text)
    assert "is not a user id or mention" in ex.text


@pytest.mark.parametrize("page", [str(10**30), "-3", "0"])
async def test_any_guilds_page_shows_the_nearest(sandbox, page: str) -> None:
    ex = await sandbox.say("Psy", GROVE, f"P!psy guilds {page}")
    no_bug(ex.text)
    assert "page 1/1" in ex.text and "Servers (2)" in ex.text


async def test_replies_are_sentences_not_dicts(sandbox) -> None:
    pond, dave = sandbox.guild_id(POND), sandbox.user_id("Dave")
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {pond} @Dave rebirths 2")
    assert "Gave 2 rebirths to" in ex.text and "they had 0 and now have 2 rebirths" in ex.text
    await sandbox.app.economy.admin_adjust(pond, 1, dave, 300)
    ex = await sandbox.say("Psy", GROVE, f"P!psy reset {pond} @Dave")
    assert "they had 300 chi and 2 rebirths" in ex.text
    await sandbox.say("Alice", GROVE, 'P!config set prefix "?"')
    ex = await sandbox.say("Psy", GROVE, "?psy audit")
    for text in ("rebirths 0 → 2", "chi 300 → wiped", "prefix — → ?"):
        assert text in ex.text
    assert "{" not in ex.text and "None" not in ex.text


async def test_psy_blacklist_refuses_bots_and_long_reasons(sandbox) -> None:
    ex = await sandbox.say("Psy", GROVE, f"P!psy blacklist add <@{sandbox.bot.user.id}>")
    assert "Bots can't be blacklisted" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist add @Bob " + "x" * 250)
    no_bug(ex.text)
    assert "A reason is at most 200 characters (this one has 250)" in ex.text
    assert await sandbox.app.owner.blacklisted() == []
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist add @Bob spam")
    assert "blacklisted everywhere" in ex.text
