"""Bad input gets a clear answer: every prefix command, fed wrong arguments, answers with a
short line and never with a bug report ("Error id"), and nothing the bot sends can ping.

The sweep walks the live command tree, so a new command is covered the day it is added.
"""

from __future__ import annotations

import pytest

from chibot.discord.tree import prefix_path

ARGUMENTS = [
    "",
    "abc",
    "-1",
    "0",
    "99999999999999999999999999",
    "@everyone",
    "<@&123456789012345678>",
    "nobody 12",
    "🎉🎉",
    "x" * 300,
    '"unterminated',
]
GROVE = "Bamboo Grove"


def assert_cannot_ping(call) -> None:
    """Whatever a message says, Discord is told to ping nobody (AllowedMentions.none())."""
    body = call.json or {}
    data = body.get("data") if isinstance(body.get("data"), dict) else body
    if call.method not in ("POST", "PATCH") or not ({"content", "embeds"} & set(data)):
        return
    allowed = data.get("allowed_mentions")
    assert allowed is not None, f"{call.method} {call.path} sent without allowed_mentions"
    assert allowed.get("parse") == [] and not allowed.get("users") and not allowed.get("roles"), (
        allowed
    )


def _commands(bot) -> list[str]:
    names = []
    for command in bot.walk_commands():
        if command.hidden or (command.root_parent is not None and command.root_parent.hidden):
            continue
        names.append(command.qualified_name)  # the group path, `chi give`
        names.append(prefix_path(command))  # and the shortcut a member types, `give`
    return sorted(set(names))


async def test_every_command_answers_bad_arguments_without_a_bug(sandbox) -> None:
    bugs, silent = [], []
    for name in _commands(sandbox.bot):
        for args in ARGUMENTS:
            for user in ("Carol", "Alice"):  # a member, and the server's owner (an admin)
                ex = await sandbox.say(user, GROVE, f"P!{name} {args}".strip())
                text = ex.text
                if "Error id" in text:
                    bugs.append(f"P!{name} {args[:30]!r} as {user}: {text[:200]}")
                if not ex.messages and not ex.reactions:
                    silent.append(f"P!{name} {args[:30]!r} as {user}")
                for call in ex.calls:
                    assert_cannot_ping(call)
    assert not bugs, "\n".join(bugs)
    assert not silent, "\n".join(silent[:20])


@pytest.mark.parametrize("user", ["Carol", "Psy"])
async def test_owner_commands_answer_bad_arguments_too(sandbox, user: str) -> None:
    for args in ARGUMENTS + ["give 1 2 3 4", "inspect x y", "blacklist add", "audit nowhere"]:
        ex = await sandbox.say(user, GROVE, f"P!psy {args}".strip())
        assert ex.messages, f"P!psy {args!r} gave no answer"
        for call in ex.calls:
            assert_cannot_ping(call)
        assert "Error id" not in ex.text, ex.text


def test_the_sweep_sees_the_commands(sandbox) -> None:
    names = _commands(sandbox.bot)
    assert {"daily", "give", "buy", "rebirth", "config set", "upgrade"} <= set(names)
    assert {"chi daily", "chi give", "shop buy", "admin config set", "progress upgrade"} <= set(
        names
    )
    assert {"garden", "plant", "harvest", "garden buy", "garden upgrade"} <= set(names)


async def test_garden_commands_answer_bad_arguments_with_a_garden_too(sandbox) -> None:
    """The sweep above meets members without a garden (every garden command answers "found one
    first"); here the members have one, seeds and chi, so the arguments themselves are read."""
    for user in ("Carol", "Alice"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 5000")
        await sandbox.say(user, GROVE, "P!creategarden")
        await sandbox.say(user, GROVE, "P!garden buy G12 3")
    garden = [
        n
        for n in _commands(sandbox.bot)
        if n.split()[0]
        in ("garden", "plant", "water", "fertilize", "harvest", "tools", "bundle", "creategarden")
    ]
    assert len(garden) >= 10
    for name in garden:
        for args in ARGUMENTS + ["silverdew 9999", "heartvine", "G12 0", "all all", "99h"]:
            for user in ("Carol", "Alice"):
                ex = await sandbox.say(user, GROVE, f"P!{name} {args}".strip())
                assert "Error id" not in ex.text, f"P!{name} {args!r}: {ex.text[:200]}"
                assert ex.messages or ex.reactions, f"P!{name} {args!r} as {user}: silent"
                for call in ex.calls:
                    assert_cannot_ping(call)


async def test_combat_commands_answer_bad_arguments_in_a_live_duel(sandbox) -> None:
    """The sweep above meets members in no fight; here Carol and Alice are in a duel with a
    stake (and Bob watches), so the fight commands read their arguments in a live fight."""
    for user in ("Carol", "Alice", "Bob"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 5000")
    for user in ("Carol", "Alice"):
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!duel @Carol 100")
    ex = await sandbox.say("Carol", GROVE, "P!duel accept")
    assert "⚔️ Duel" in ex.text
    fight = [
        n
        for n in _commands(sandbox.bot)
        if n.split()[0] in ("fight", "duel", "attack", "defend", "bet", "spar", "train", "equip")
        and not n.endswith(("forfeit", "run"))
    ]
    assert len(fight) >= 12
    for name in fight:
        for args in ARGUMENTS + ["@Carol 10", "10 @Alice", "VW9", "vw1 @Carol", "2k @Bob"]:
            for user in ("Carol", "Alice", "Bob"):
                ex = await sandbox.say(user, GROVE, f"P!{name} {args}".strip())
                assert "Error id" not in ex.text, f"P!{name} {args!r}: {ex.text[:200]}"
                assert ex.messages or ex.reactions, f"P!{name} {args!r} as {user}: silent"
                for call in ex.calls:
                    assert_cannot_ping(call)


async def test_team_fight_commands_answer_bad_arguments_in_a_lobby_and_a_fight(sandbox) -> None:
    """Issue 13: Alice leads the Cranes (Carol), Bob the Tigers; the team fight commands read
    their arguments in a raid's lobby, then in a live team duel, as a leader, a teammate and
    an outsider (Dave)."""
    for user in ("Alice", "Bob", "Carol", "Dave"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 5000")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!createteam Cranes")
    await sandbox.say("Bob", GROVE, "P!createteam Tigers")
    await sandbox.say("Carol", GROVE, "P!jointeam Cranes")
    await sandbox.say("Alice", GROVE, "P!team accept @Carol")
    names = [
        n
        for n in _commands(sandbox.bot)
        if n.split()[-2:-1] in (["teamduel"], ["teamboss"])
        or n.split()[0] in ("teamduel", "teamboss", "fight teamduel", "fight teamboss")
    ]
    names = sorted({n for n in names if not n.endswith(("forfeit", "run", "cancel", "deny"))})
    assert len(names) >= 10, names
    args_list = ["", "@Carol", "@Bob OR1", "guardian", "VW1", "x" * 300, "-5", "@Dave VW9"]

    async def sweep() -> None:
        for name in names:
            for args in args_list:
                for user in ("Alice", "Carol", "Dave"):
                    ex = await sandbox.say(user, GROVE, f"P!{name} {args}".strip())
                    assert "Error id" not in ex.text, f"P!{name} {args!r}: {ex.text[:200]}"
                    assert ex.messages or ex.reactions, f"P!{name} {args!r} as {user}: silent"
                    for call in ex.calls:
                        assert_cannot_ping(call)

    await sandbox.say("Alice", GROVE, "P!teamboss guardian")
    await sweep()
    await sandbox.say("Alice", GROVE, "P!tboss cancel")
    await sandbox.say("Alice", GROVE, "P!teamduel @Bob")
    ex = await sandbox.say("Bob", GROVE, "P!tduel accept")
    assert "Team duel" in ex.text, ex.text
    await sweep()
