"""`help` shows each member what they may use, under short titles; unknown commands get the
closest names, at most once a minute, and chat that merely starts with the prefix gets nothing."""

from __future__ import annotations

GROVE = "Bamboo Grove"


def field(text: str, title: str) -> str:
    return next((line for line in text.splitlines() if line.startswith(f"{title}: ")), "")


async def test_help_titles_are_short(sandbox) -> None:
    text = (await sandbox.say("Carol", GROVE, "P!help")).text
    for title in ("Economy", "Shop", "Progress", "Utility"):
        assert field(text, title), (title, text)
    assert "Help and small tools" not in text and "Items:" not in text


async def test_help_hides_admin_commands_from_members(sandbox) -> None:
    carol = (await sandbox.say("Carol", GROVE, "P!help")).text
    for name in ("chiadd", "chiremove", "arebirth", "rrebirth", "config", "reset", "totalreset"):
        assert f"`{name}`" not in carol, name
    assert not field(carol, "Admin") and "`psy`" not in carol
    assert "`give`" in field(carol, "Economy")
    alice = (await sandbox.say("Alice", GROVE, "P!help")).text  # the server's owner: an admin
    assert "`chiadd`" in field(alice, "Economy") and "`config`" in field(alice, "Admin")
    assert "`psy`" not in alice
    psy = (await sandbox.say("Psy", GROVE, "P!help")).text
    assert "`psy`" in psy and "`chiadd`" in psy
    page = (await sandbox.say("Carol", GROVE, "P!help chiadd")).text
    assert "Only server admins can use this." in page
    page = (await sandbox.say("Carol", GROVE, "P!help psy")).text
    assert "There is no command called `psy`" in page


async def test_unknown_commands_get_the_closest_names_once_a_minute(sandbox) -> None:
    ex = await sandbox.say("Carol", GROVE, "P!dialy")
    assert (
        "There is no command `dialy`. Did you mean `P!daily`" in ex.text
        and "`P!help` lists them all." in ex.text
    )
    ex = await sandbox.say("Carol", GROVE, "P!lederboard")
    assert not ex.messages  # once per member per minute
    ex = await sandbox.say("Bob", GROVE, "P!lederboard")
    assert "`P!leaderboard`" in ex.text  # another member
    sandbox.app.clock.advance(61)
    ex = await sandbox.say("Carol", GROVE, "P!zzzzqqq")
    assert "There is no command `zzzzqqq`. `P!help` lists them all." in ex.text
    sandbox.app.clock.advance(61)
    ex = await sandbox.say("Carol", GROVE, "P!chiad @Bob 5")
    assert "`P!chiadd`" not in ex.text  # an admin command isn't offered to a member


async def test_chat_that_merely_starts_with_the_prefix_gets_nothing(sandbox) -> None:
    bot = sandbox.bot.user.id
    for text in ("P! hello", "P!!!", "P!?", "P!100 times", f"<@{bot}> you rock"):
        ex = await sandbox.say("Carol", GROVE, text)
        assert not ex.messages, (text, ex.text)
    ex = await sandbox.say("Carol", GROVE, f"<@{bot}> dialy")
    assert "There is no command `dialy`. Did you mean `daily`" in ex.text
