"""The command tree fits Discord's limits, and every command is described.

Discord refuses a sync with more than 100 top-level commands, more than 25 subcommands or
options on one level, or more than 8,000 characters in one command (names, descriptions,
option names and descriptions, choices, counted recursively).
"""

from __future__ import annotations

from typing import Any

import discord

TOP_LEVEL, PER_LEVEL, CHARS = 100, 25, 8000


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


async def test_every_command_has_a_description(sandbox) -> None:
    for command in sandbox.bot.tree.walk_commands():
        assert command.description and command.description != "…", command.qualified_name
    for command in sandbox.bot.walk_commands():
        assert command.help or command.short_doc, command.qualified_name


async def test_every_prefix_command_is_also_a_slash_command(sandbox) -> None:
    slash = {c.qualified_name for c in sandbox.bot.tree.walk_commands()}
    for command in sandbox.bot.walk_commands():
        if isinstance(command, discord.ext.commands.HybridGroup):
            continue
        if command.root_parent is not None and command.root_parent.hidden or command.hidden:
            continue  # the owners' `psy` group is prefix only, on purpose (see features/owner/cog.py)
        assert command.qualified_name in slash, command.qualified_name


async def test_item_names_autocomplete_in_slash_commands(sandbox) -> None:
    """Items are found by autocomplete: buy (shop items), item (every item), upgrade (your own)."""
    choices = await sandbox.autocomplete("Alice", "Bamboo Grove", "shop buy", focused="item", value="phoe")
    assert [c["value"] for c in choices] == ["phoenix_flameblade"]
    choices = await sandbox.autocomplete("Alice", "Bamboo Grove", "shop item", focused="name", value="myst")
    assert "mystery_box" in [c["value"] for c in choices]
    assert await sandbox.autocomplete("Alice", "Bamboo Grove", "progress upgrade", focused="item", value="") == []
    await sandbox.app.db.scoped(
        sandbox.guild_id("Bamboo Grove"),
        lambda s: s.inventory.add(sandbox.user_id("Alice"), "verdant_windblade", 1, unique=True),
    )
    choices = await sandbox.autocomplete("Alice", "Bamboo Grove", "progress upgrade", focused="item", value="verd")
    assert [c["value"] for c in choices] == ["verdant_windblade"]
    keys = await sandbox.autocomplete("Alice", "Bamboo Grove", "admin config set", focused="key", value="daily")
    assert [c["value"] for c in keys] == ["daily_reward"]
