"""The command tree fits Discord's limits and our budget, every command is described, every
prefix name that ever existed still resolves, and `docs/commands.md` tells the truth.

Discord refuses a sync with more than 100 top-level commands, more than 25 subcommands or
options on one level, or more than 8,000 characters in one command (names, descriptions,
option names and descriptions, choices, counted recursively). Our budget (docs/commands.md)
is 25 top-level slash names for the whole game.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands as ext

TOP_LEVEL, PER_LEVEL, CHARS = 100, 25, 8000
BUDGET = 25  # top-level slash names for the whole game, planned systems included
NAME = re.compile(r"^[-_\w]{1,32}$")  # Discord: ^[-_\p{L}\p{N}]{1,32}$, lowercase
DOC = Path(__file__).resolve().parents[2] / "docs" / "commands.md"

# Every prefix name and alias (with its parents) that resolved before the slash commands moved
# into groups, frozen from the code of that day. A name may never stop working.
PREFIX_NAMES_BEFORE_GROUPS = [
    "ach",
    "achieve",
    "achievements",
    "arebirth",
    "bal",
    "balance",
    "blacklist",
    "blacklist add",
    "blacklist remove",
    "buy",
    "cd",
    "chest",
    "chest add",
    "chest deposit",
    "chest put",
    "chest remove",
    "chest store",
    "chest take",
    "chest withdraw",
    "chi",
    "chiadd",
    "chiremove",
    "chishop",
    "commands",
    "config",
    "config reset",
    "config set",
    "config words",
    "cooldowns",
    "cshop",
    "daily",
    "give",
    "help",
    "inv",
    "inventory",
    "item",
    "iteminfo",
    "lb",
    "leaderboard",
    "level",
    "lvl",
    "milestone",
    "milestone claim",
    "milestones",
    "milestones claim",
    "p",
    "pay",
    "profile",
    "psy",
    "psy audit",
    "psy blacklist",
    "psy blacklist add",
    "psy blacklist list",
    "psy blacklist remove",
    "psy give",
    "psy guilds",
    "psy inspect",
    "psy remove",
    "psy reset",
    "purchase",
    "rbuy",
    "rebirth",
    "rebirthshop",
    "reset",
    "rrebirth",
    "rshop",
    "sell",
    "setup",
    "shop",
    "shop chi",
    "shop rebirth",
    "stats",
    "top",
    "totalreset",
    "upgrade",
    "use",
]


def _chars(payload: dict[str, Any]) -> int:
    total = len(payload.get("name", "")) + len(payload.get("description", ""))
    for choice in payload.get("choices", []) or []:
        total += len(choice["name"]) + len(str(choice["value"]))
    for option in payload.get("options", []) or []:
        total += _chars(option)
    return total


def _levels(payload: dict[str, Any], path: str = "") -> list[tuple[str, int]]:
    here = f"{path} {payload['name']}".strip()
    options = payload.get("options", []) or []
    found = [(here, len(options))]
    for option in options:
        if option.get("type") in (1, 2):  # subcommand, subcommand group
            found += _levels(option, here)
    return found


async def test_tree_fits_discord_limits(sandbox) -> None:
    tree = sandbox.bot.tree
    commands = tree.get_commands()
    assert 0 < len(commands) <= TOP_LEVEL
    for command in commands:
        payload = command.to_dict(tree)
        assert _chars(payload) <= CHARS, command.name
        for path, count in _levels(payload):
            assert count <= PER_LEVEL, path
        for path in [p for p, _ in _levels(payload)]:
            assert 1 <= len(path.split()[-1]) <= 32


def _depth(payload: dict[str, Any]) -> int:
    subs = [o for o in payload.get("options", []) or [] if o.get("type") in (1, 2)]
    return 1 + max((_depth(o) for o in subs), default=0)


async def test_tree_fits_the_budget(sandbox) -> None:
    """At most 25 top-level slash names (room for every planned system), every group within 25
    children, one level of subgroups at most, 8,000 characters per top-level command, and
    Discord's name rule everywhere."""
    tree = sandbox.bot.tree
    top = tree.get_commands()
    assert len(top) <= BUDGET, sorted(c.name for c in top)
    for command in top:
        payload = command.to_dict(tree)
        assert _chars(payload) <= CHARS, command.name
        assert _depth(payload) <= 3, command.name  # group > subgroup > command
        for path, count in _levels(payload):
            assert count <= PER_LEVEL, path
    for command in tree.walk_commands():
        assert NAME.match(command.name) and command.name == command.name.lower(), (
            command.qualified_name
        )
        for param in getattr(command, "parameters", []):
            assert (
                NAME.match(param.display_name) and param.display_name == param.display_name.lower()
            )


async def test_every_prefix_name_of_before_the_groups_still_resolves(sandbox) -> None:
    for name in PREFIX_NAMES_BEFORE_GROUPS:
        assert sandbox.bot.get_command(name) is not None, name


def _doc_rows() -> list[dict[str, str]]:
    """The rows of the command tables of docs/commands.md (columns by header name)."""
    rows, header = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(line) <= set("|-: "):
            continue
        rows.append(dict(zip(header, cells, strict=False)))
    return [r for r in rows if "slash" in r and "prefix" in r and "today" in r]


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_the_doc_lists_the_commands() -> None:
    rows = _doc_rows()
    assert len(rows) >= 100  # every seed command has a row
    assert sum(r["today"] == "✅" for r in rows) >= 30


async def test_every_command_of_today_in_the_doc_resolves_at_its_paths(sandbox) -> None:
    """Each row marked ✅ in docs/commands.md: its slash path exists in the tree (a fallback
    counts), and its prefix names and aliases all resolve to the same command."""
    bot, tree = sandbox.bot, sandbox.bot.tree
    slash = {c.qualified_name: c for c in tree.walk_commands()}
    checked = 0
    for row in _doc_rows():
        if row["today"] != "✅":
            continue
        paths = _codes(row["slash"])
        prefix = _codes(row["prefix"]) + _codes(row.get("aliases", ""))
        for path in paths:
            name = path.removeprefix("/").split(" [")[0].split(" <")[0].strip()
            assert name in slash, f"{path}: not in the slash tree"
            assert not isinstance(slash[name], discord.app_commands.Group), f"{path} is a group"
        targets = set()
        for name in prefix:
            name = name.removeprefix("P!").split(" [")[0].split(" <")[0].strip()
            command = bot.get_command(name)
            assert command is not None, f"P!{name} does not resolve"
            targets.add(command)
        assert len(targets) <= 1, f"{row['slash']}: prefix names run different commands"
        if paths and targets:
            command = targets.pop()
            if (
                command.hidden
                or isinstance(command, ext.Group)
                and not isinstance(command, ext.HybridGroup)
            ):
                continue
            app = command.app_command
            wanted = paths[0].removeprefix("/").split(" [")[0].split(" <")[0].strip()
            if isinstance(command, ext.HybridGroup):
                assert wanted == f"{app.qualified_name} {command.fallback}", wanted
            else:
                assert app.qualified_name == wanted, wanted
        checked += 1
    assert checked >= 30


async def test_every_command_has_a_description(sandbox) -> None:
    for command in sandbox.bot.tree.walk_commands():
        assert command.description and command.description != "…", command.qualified_name
    for command in sandbox.bot.walk_commands():
        assert command.help or command.short_doc, command.qualified_name


async def test_every_prefix_command_is_also_a_slash_command(sandbox) -> None:
    """The prefix tree mirrors the slash tree (`P!chi give` = `/chi give`), shortcuts aside."""
    slash = {c.qualified_name for c in sandbox.bot.tree.walk_commands()}
    for command in sandbox.bot.walk_commands():
        if isinstance(command, discord.ext.commands.HybridGroup):
            continue
        if command.root_parent is not None and command.root_parent.hidden or command.hidden:
            continue  # the owners' `psy` group is prefix only, on purpose (see features/owner/cog.py)
        assert command.qualified_name in slash, command.qualified_name


async def test_item_names_autocomplete_in_slash_commands(sandbox) -> None:
    """Items are found by autocomplete: buy (shop items), item (every item), upgrade (your own)."""
    choices = await sandbox.autocomplete(
        "Alice", "Bamboo Grove", "shop buy", focused="item", value="phoe"
    )
    assert [c["value"] for c in choices] == ["phoenix_flameblade"]
    choices = await sandbox.autocomplete(
        "Alice", "Bamboo Grove", "shop item", focused="name", value="myst"
    )
    assert "mystery_box" in [c["value"] for c in choices]
    assert (
        await sandbox.autocomplete(
            "Alice", "Bamboo Grove", "progress upgrade", focused="item", value=""
        )
        == []
    )
    await sandbox.app.db.scoped(
        sandbox.guild_id("Bamboo Grove"),
        lambda s: s.inventory.add(sandbox.user_id("Alice"), "verdant_windblade", 1, unique=True),
    )
    choices = await sandbox.autocomplete(
        "Alice", "Bamboo Grove", "progress upgrade", focused="item", value="verd"
    )
    assert [c["value"] for c in choices] == ["verdant_windblade"]
    keys = await sandbox.autocomplete(
        "Alice", "Bamboo Grove", "admin config set", focused="key", value="daily"
    )
    assert [c["value"] for c in keys] == ["daily_reward"]


async def test_a_shortcut_is_the_grouped_command_itself(sandbox) -> None:
    """`P!give` and `P!chi give` are one object: same checks, cooldowns, converters, errors."""
    bot = sandbox.bot
    for short, path in [
        ("profile", "chi profile"),
        ("pay", "chi give"),
        ("chiadd", "chi add"),
        ("cshop", "shop chi"),
        ("chest store", "shop chest store"),
        ("chest put", "shop chest store"),
        ("config set", "admin config set"),
        ("milestones claim", "progress milestone claim"),
        ("lvl", "progress level"),
        ("totalreset", "admin totalreset"),
    ]:
        assert bot.get_command(short) is bot.get_command(path) is not None, short
    assert bot.tree.get_command("profile") is None and bot.tree.get_command("chiadd") is None


async def test_the_group_path_and_the_shortcut_answer_alike(sandbox) -> None:
    ex = await sandbox.say("Erin", "Bamboo Grove", "P!chi daily")
    assert "250" in ex.text
    ex = await sandbox.say("Erin", "Bamboo Grove", "P!daily")
    assert "already" in ex.text.lower() or "<t:" in ex.text
    short = await sandbox.say("Carol", "Bamboo Grove", "P!give")
    full = await sandbox.say("Carol", "Bamboo Grove", "P!chi give")
    assert "Missing `member`" in short.text and "Missing `member`" in full.text
    assert (
        "Usage: `P!give <member> <amount>" in short.text and "Usage: `P!give <member>" in full.text
    )
    denied = await sandbox.say("Carol", "Bamboo Grove", "P!admin config set daily_reward 5")
    assert "Only server admins" in denied.text
    bare = await sandbox.say("Carol", "Bamboo Grove", "P!progress")
    assert "P!progress level" in bare.text and "P!level" in bare.text


async def test_slash_groups_stay_out_of_dms(sandbox) -> None:
    """Discord applies contexts to top-level commands only, so the groups carry guild_only:
    what was guild-only as a top-level command stays hidden in DMs under its group. `help`
    and `info` (the bot's own latency, uptime, donations) are about no server and work there."""
    for command in sandbox.bot.tree.get_commands():
        payload = command.to_dict(sandbox.bot.tree)
        assert payload.get("dm_permission") is (command.name in ("help", "info")), command.name
