"""Bad input gets our own short answer: never a bug id, never discord.py's wording, never
silence. Numbers of any length, members who left, extra arguments, backticks in what members
type, and presses of buttons that nothing would answer (forged, unsealed, carried to DMs)."""

from __future__ import annotations

import copy

import pytest

from chibot.discord import ui
from chibot.discord.converters import parse_amount
from chibot.discord.tree import prefix_path

GROVE, POND = "Bamboo Grove", "Lotus Pond"
HUGE = "9" * 5000  # past Python's 4,300-digit limit for int()
LIBRARY = ("Converting to", "failed for parameter", "value must be", "Failed to convert")


def no_bug(ex) -> str:
    text = ex.text
    assert ex.messages, f"no answer to {ex.event}"
    assert "Error id" not in text, text
    for phrase in LIBRARY:
        assert phrase not in text, text
    return text


# --- numbers ---------------------------------------------------------------------------------


def test_parse_amount_of_any_length() -> None:
    assert parse_amount(HUGE) == 10**30
    assert parse_amount("-" + HUGE) == -(10**30)
    assert parse_amount("1." + HUGE + "k") == 1_999  # fraction digits are cut, never int()'d
    assert parse_amount("0" * 5000 + "7") == 7


@pytest.mark.parametrize(
    ("user", "command"),
    [
        ("Carol", "P!give @Bob {n}"),
        ("Carol", "P!give @Bob {n} rebirths"),
        ("Alice", "P!chiadd @Bob {n}"),
        ("Alice", "P!chiremove @Bob {n}"),
        ("Alice", "P!arebirth @Bob {n}"),
        ("Alice", "P!rrebirth @Bob {n}"),
        ("Carol", "P!buy Minor Healing Salve {n}"),
        ("Carol", "P!sell Minor Healing Salve {n}"),
        ("Carol", "P!chest store Minor Healing Salve {n}"),
        ("Carol", "P!chest take Minor Healing Salve {n}"),
        ("Carol", "P!use Mystery Box {n}"),
        ("Carol", "P!leaderboard {n}"),
        ("Carol", "P!leaderboard rebirths {n}"),
        ("Carol", "P!cshop {n}"),
        ("Carol", "P!rshop {n}"),
    ],
)
async def test_numbers_of_5000_digits_are_refused_as_too_large(sandbox, user, command) -> None:
    ex = await sandbox.say(user, GROVE, command.format(n=HUGE))
    text = no_bug(ex)
    assert "too large" in text or "from 1 to" in text, text


async def test_quantities_accept_what_amounts_accept(sandbox) -> None:
    app, g, carol = sandbox.app, sandbox.guild_id(GROVE), sandbox.user_id("Carol")
    await app.economy.admin_adjust(g, 1, carol, 100_000)
    ex = await sandbox.say("Carol", GROVE, "P!buy Minor Healing Salve 1k")
    assert "You need **2,000,000** chi" in no_bug(ex)  # 1k is 1,000 of them
    ex = await sandbox.say("Carol", GROVE, "P!buy Minor Healing Salve 2k")
    assert "The quantity must be from 1 to 1,000." in no_bug(ex)
    ex = await sandbox.say("Carol", GROVE, "P!buy Minor Healing Salve lots")
    text = no_bug(ex)
    assert "`lots` isn't a number for `qty`" in text and "Usage: `P!buy <item> [qty=1]`" in text
    ex = await sandbox.slash("Carol", GROVE, "shop buy", item="C11", qty="3")
    assert "Carol bought 3 × 🩹 Minor Healing Salve" in no_bug(ex)
    ex = await sandbox.slash("Carol", GROVE, "shop buy", item="C11", qty="abc")
    assert "`abc` isn't a number for `qty`" in no_bug(ex) and ex.ephemeral == [True]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("P!cshop abc", "`abc` isn't a number for `page`"),
        ("P!cshop 0", "`page` must be above zero"),
        ("P!chest store Minor Healing Salve two", "`two` isn't a number for `qty`"),
        ("P!give @Bob 1.5", "`1.5` isn't a number for `amount`"),
        ('P!give @Bob "5', "A quote in that message isn't closed"),
    ],
)
async def test_conversion_failures_are_our_sentences_with_the_usage(sandbox, command, says) -> None:
    text = no_bug(await sandbox.say("Carol", GROVE, command))
    assert says in text and "Usage: `P!" in text, text


async def test_no_command_answers_in_discord_py_words(sandbox) -> None:
    names = sorted(
        {
            prefix_path(c)
            for c in sandbox.bot.walk_commands()
            if not c.hidden and not c.root_parent or (c.root_parent and not c.root_parent.hidden)
        }
    )
    for name in names:
        for args in ("abc", "0", "1.5", "-3", "abc abc abc", f"{HUGE[:50]}"):
            ex = await sandbox.say("Alice", GROVE, f"P!{name} {args}")
            for phrase in LIBRARY:
                assert phrase not in ex.text, f"P!{name} {args}: {ex.text}"
            assert "Error id" not in ex.text, f"P!{name} {args}: {ex.text}"


# --- members who left, extra arguments, backticks ---------------------------------------------


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("chi balance", {}),
        ("chi profile", {}),
        ("chi give", {"amount": "5"}),
        ("progress level", {}),
        ("progress stats", {}),
        ("progress cooldowns", {}),
        ("shop inventory", {}),
    ],
)
async def test_a_slash_member_option_naming_someone_not_here(sandbox, command, options) -> None:
    erin = sandbox.user_id("Erin")  # in Bamboo Grove only
    ex = await sandbox.slash("Carol", POND, command, member=erin, **options)
    assert "isn't in this server" in no_bug(ex) and ex.ephemeral == [True]


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("P!profile @Bob", "extra"),
        ("P!daily", "now"),
        ("P!give @Bob 5 chi", "please"),
        ("P!rebirth", "now"),
        ("P!leaderboard rebirths 2", "3"),
        ("P!buy C11 2", "more"),
        ("P!sell C11 1", "x"),
        ("P!level @Bob", "x"),
        ("P!stats @Bob", "x"),
        ("P!milestone claim", "all"),
    ],
)
async def test_extra_arguments_are_refused_with_the_usage(sandbox, command, extra) -> None:
    text = no_bug(await sandbox.say("Carol", GROVE, f"{command} {extra}"))
    assert f"Too many arguments: `{extra}` wasn't expected." in text and "Usage: `P!" in text


async def test_a_group_refuses_a_word_that_is_not_one_of_its_subcommands(sandbox) -> None:
    text = no_bug(await sandbox.say("Carol", GROVE, "P!shop lol"))
    assert "`lol` isn't part of `P!shop`" in text and "`buy`" in text
    text = no_bug(await sandbox.say("Carol", GROVE, "P!milestone lsit"))
    assert "`lsit` isn't part of `P!progress milestone`: try `claim`" in text
    text = no_bug(await sandbox.say("Carol", GROVE, "P!milestone list"))  # the slash fallback
    assert "Milestones · Carol" in text
    assert "🧰 Carol's chest" in no_bug(await sandbox.say("Carol", GROVE, "P!chest view"))


def test_code_spans_survive_backticks() -> None:
    assert ui.code("abc") == "`abc`"
    assert ui.code("a`b") == "`` a`b ``"
    assert "``" not in ui.code("a``b").strip("` ")  # no run of two backticks inside
    assert ui.code("x" * 100).endswith("…`") and ui.code("a\nb") == "`a b`"


async def test_a_backtick_in_a_typed_name_stays_inside_its_code_span(sandbox) -> None:
    text = no_bug(await sandbox.say("Carol", GROVE, "P!give nob`ody 5"))
    assert "I can't find a member called `` nob`ody `` here." in text


def test_plurals() -> None:
    assert ui.plural(1, "rebirth") == "1 rebirth"
    assert ui.plural(0, "rebirth") == "0 rebirths"
    assert ui.plural(1_000, "member") == "1,000 members"
    assert ui.plural(2, "box", "boxes") == "2 boxes"


async def test_one_rebirth_is_singular_in_give_and_admin_replies(sandbox) -> None:
    g = sandbox.guild_id(GROVE)
    await sandbox.app.economy.admin_adjust(g, 1, sandbox.user_id("Carol"), 2, currency="rebirths")
    text = no_bug(await sandbox.say("Carol", GROVE, "P!give @Bob 1 rebirths"))
    assert "Carol gave 1 rebirth to Bob" in text and "**1** rebirth\n" in text + "\n"
    text = no_bug(await sandbox.say("Alice", GROVE, "P!arebirth @Dave 1"))
    assert "Added 1 rebirth" in text and "1 rebirths" not in text


# --- presses nothing would answer ---------------------------------------------------------------


def carrying(message, custom_id: str):
    """`message` as if its only button had `custom_id` (what a forger, or an old message, sends)."""
    forged = copy.copy(message)
    forged.components = [
        {"type": 1, "components": [{"type": 2, "style": 2, "label": "X", "custom_id": custom_id}]}
    ]
    return forged


async def sealed_ids(sandbox) -> dict[str, str]:
    """A real, sealed custom id of each restart-proof component, made in Bamboo Grove."""
    app, g, carol = sandbox.app, sandbox.guild_id(GROVE), sandbox.user_id("Carol")
    await app.db.scoped(g, lambda s: s.wallet.credit(carol, 20_000, reason="daily"))
    lb = (await sandbox.say("Carol", GROVE, "P!lb")).reply
    milestone = (await sandbox.say("Carol", GROVE, "P!milestone")).reply
    shop = (await sandbox.say("Carol", GROVE, "P!cshop")).reply
    menu = (await sandbox.say("Carol", GROVE, "P!shop")).reply
    return {
        "lb": lb.buttons[0][0],
        "milestone": milestone.buttons[0][0],
        "shop page": next(cid for cid, label, _ in shop.buttons if label == "▶"),
        "shop menu": menu.buttons[0][0],
        "shop pick": shop.selects[0][0],
    }


async def test_every_press_that_nothing_would_answer_is_answered(sandbox) -> None:
    ids = await sealed_ids(sandbox)
    assert ids["milestone"].startswith("milestone:claim:")
    carol = sandbox.user_id("Carol")
    home = (await sandbox.say("Carol", GROVE, "P!balance")).reply
    dm = (await sandbox.discord.send(None, None, carol, "P!help")).reply
    assert dm.is_dm
    for name, cid in ids.items():
        state, _, seal = cid.rpartition("~")
        presses = {
            "in a DM": (dm, cid),
            "forged seal": (home, f"{state}~{'A' * len(seal)}"),
            "no seal": (home, state),
            "edited state": (home, state[:-1] + ("x" if state[-1] != "x" else "y") + "~" + seal),
            "unknown": (home, f"{name.split()[0]}:whatever"),
        }
        for how, (where, custom_id) in presses.items():
            ex = await sandbox.discord.click(carrying(where, custom_id), carol)
            assert ex.text == ui.EXPIRED, f"{name} {how}: {ex.text!r}"
            assert ex.ephemeral == [True], f"{name} {how}"


async def test_a_closed_confirmation_still_answers(sandbox) -> None:
    g, carol = sandbox.guild_id(GROVE), sandbox.user_id("Carol")
    await sandbox.app.economy.admin_adjust(g, 1, carol, 600_000)
    prompt = (await sandbox.say("Carol", GROVE, "P!rebirth")).reply
    buttons = list(prompt.buttons)
    await sandbox.discord.click(prompt, carol, label="Cancel")
    for cid, _, _ in buttons:  # the message as it was before it closed (an old client)
        ex = await sandbox.discord.click(carrying(prompt, cid), carol)
        assert ex.text == ui.EXPIRED and ex.ephemeral == [True]
