"""No button or select of any system lets a blacklisted member act.

Behaviour: open each kind of view as a member, blacklist the member (in the server, or
bot-wide), press: the answer is the one-line ephemeral refusal and nothing changes.
Structure: every view and restart-proof component defined in chibot derives from the kit's
bases (which hold the check), so a new one cannot skip it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import discord

import chibot
from chibot.discord import ui
from chibot.discord.ui.base import Unopened

GROVE = "Bamboo Grove"
BLOCKED = "You are blacklisted from using this bot here."


async def ban(sandbox, user: str, *, everywhere: bool = False) -> None:
    if everywhere:
        await sandbox.app.owner.blacklist(sandbox.user_id("Psy"), sandbox.user_id(user), add=True)
    else:
        await sandbox.app.admin.blacklist(
            sandbox.guild_id(GROVE), sandbox.user_id(user), add=True, by=sandbox.user_id("Psy")
        )  # an admin can't blacklist themselves: Psy (an admin everywhere) bars Alice too


async def chi(sandbox, user: str) -> tuple[int, int]:
    found = await sandbox.app.db.scoped(
        sandbox.guild_id(GROVE), lambda s: s.wallet.get(sandbox.user_id(user))
    )
    return (found.chi, found.rebirths) if found else (0, 0)


def refused(ex) -> bool:
    return ex.text == BLOCKED and ex.ephemeral == [True]


async def test_blacklisted_members_press_nothing(sandbox) -> None:
    app, grove = sandbox.app, sandbox.guild_id(GROVE)
    for n in range(12):  # two leaderboard pages
        await app.economy.admin_adjust(
            grove, sandbox.user_id("Psy"), 700_000_000_000_000_000 + n, 10 + n
        )
    await app.economy.admin_adjust(grove, sandbox.user_id("Psy"), sandbox.user_id("Carol"), 600_000)
    await app.db.scoped(
        grove, lambda s: s.wallet.credit(sandbox.user_id("Dave"), 1_500, reason="daily")
    )
    await app.economy.admin_adjust(grove, sandbox.user_id("Psy"), sandbox.user_id("Bob"), 50_000)

    board = (await sandbox.say("Carol", GROVE, "P!leaderboard")).reply
    rebirth = (await sandbox.say("Carol", GROVE, "P!rebirth")).reply
    shop = (await sandbox.say("Carol", GROVE, "P!cshop")).reply
    milestones = (await sandbox.say("Dave", GROVE, "P!milestone")).reply
    offer = (await sandbox.say("Bob", GROVE, "P!buy C5")).reply
    reset = (await sandbox.say("Alice", GROVE, "P!reset @Dave")).reply
    before = {m.id: (m.text, m.edits) for m in (board, rebirth, shop, milestones, offer, reset)}

    await ban(sandbox, "Carol")
    await ban(sandbox, "Dave")
    await ban(sandbox, "Bob", everywhere=True)
    await ban(sandbox, "Alice")

    assert refused(await sandbox.discord.click(board, sandbox.user_id("Carol"), label="▶"))
    assert refused(await sandbox.discord.click(rebirth, sandbox.user_id("Carol"), label="Confirm"))
    assert refused(await sandbox.discord.click(shop, sandbox.user_id("Carol"), label="▶"))
    assert refused(await sandbox.discord.select(shop, sandbox.user_id("Carol"), ["C1"]))
    assert refused(await sandbox.discord.click(milestones, sandbox.user_id("Dave")))
    assert refused(await sandbox.discord.click(offer, sandbox.user_id("Bob"), label="Confirm"))
    assert refused(await sandbox.discord.click(offer, sandbox.user_id("Bob"), label="Cancel"))
    assert refused(await sandbox.discord.click(reset, sandbox.user_id("Alice"), label="Confirm"))

    for message in (board, rebirth, shop, milestones, offer, reset):  # no prompt was answered
        assert (message.text, message.edits) == before[message.id]
    assert await chi(sandbox, "Carol") == (600_000, 0)
    assert await chi(sandbox, "Dave") == (1_500, 0)  # not reset, milestone not claimed
    assert await chi(sandbox, "Bob") == (50_000, 0)
    shop_state = await app.db.scoped(
        grove, lambda s: s.inventory.qty(sandbox.user_id("Carol"), "verdant_windblade")
    )
    assert shop_state == 0

    # the others still can: the refusal is the member's, not the view's
    ex = await sandbox.discord.click(board, sandbox.user_id("Erin"), label="▶")
    assert "Page 2/2" in ex.text
    await sandbox.app.admin.blacklist(
        grove, sandbox.user_id("Carol"), add=False, by=sandbox.user_id("Psy")
    )
    ex = await sandbox.discord.click(rebirth, sandbox.user_id("Carol"), label="Confirm")
    assert "Carol is reborn" in ex.text


async def test_bot_owners_are_never_blocked(sandbox) -> None:
    for i in range(12):
        await sandbox.app.lifecycle.joined(200_000_000_000_000_500 + i, f"Extra {i}")
    listing = (await sandbox.say("Psy", GROVE, "P!psy guilds")).reply
    await sandbox.app.admin.blacklist(
        sandbox.guild_id(GROVE), sandbox.user_id("Psy"), add=True, by=sandbox.user_id("Alice")
    )
    assert not await sandbox.bot.is_blocked(sandbox.guild_id(GROVE), sandbox.user_id("Psy"))
    ex = await sandbox.discord.click(listing, sandbox.user_id("Psy"), label="▶")
    assert "page 2/2" in ex.text


# --- structure ---------------------------------------------------------------------------


def _import_everything() -> None:
    for module in pkgutil.walk_packages(chibot.__path__, "chibot."):
        if module.name.startswith("chibot.migrations"):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    stack = [cls]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return found


def test_every_view_and_component_of_the_bot_is_built_on_the_kit() -> None:
    _import_everything()
    ours = {
        cls
        for cls in _subclasses(discord.ui.View) | _subclasses(discord.ui.DynamicItem)
        if cls.__module__.startswith("chibot.")
    }
    assert len(ours) >= 10  # the walk saw the features' views and buttons
    strays = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in ours
        if not issubclass(cls, ui.View | ui.DynamicItem)
        and cls is not Unopened  # the kit's stand-in for an unopened press: refuses every press
    )
    assert strays == [], f"not built on chibot.discord.ui (no blacklist check): {strays}"


def test_no_bare_discord_views_outside_the_kit() -> None:
    """Instances count too: `discord.ui.View(...)` would be a view without the check."""
    root = Path(chibot.__file__).parent
    kit = root / "discord" / "ui"
    bare = re.compile(r"discord\.ui\.(View|DynamicItem)\s*[(\[]")
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in root.rglob("*.py")
        if kit not in path.parents
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []


async def test_commands_get_the_bots_context(sandbox) -> None:
    from chibot.discord.context import ChiContext

    seen = []

    async def on_command(ctx) -> None:
        seen.append(ctx)

    sandbox.bot.add_listener(on_command)
    await sandbox.say("Carol", GROVE, "P!chi")
    await sandbox.slash("Carol", GROVE, "chi balance")
    assert [type(c) for c in seen] == [ChiContext, ChiContext]
    assert all(c.guild_id == sandbox.guild_id(GROVE) and c.app is sandbox.app for c in seen)
