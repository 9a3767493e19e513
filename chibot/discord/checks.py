"""Who may run what: members, server admins, bot owners ("PSY").

- Bot owner: `OWNER_IDS` plus the application's owner (or its team). Owners pass every admin
  check in every server.
- Server admin: Manage Server permission, or the role configured as `admin_role_id`.
- Everyone else: a member. Blacklisted users (this server's list or the bot-wide one) can run
  nothing; that check is global, in `ChiBot.bot_check`.
Checks raise `CheckFailure` subclasses whose message the error handler shows as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot
    from chibot.discord.context import ChiContext

T = TypeVar("T")


class NotAdmin(commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only server admins (Manage Server or the bot's admin role) can do that.")


class NotOwner(commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only the bot's owners can do that.")


class Blocked(commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("You are blacklisted from using this bot here.")


def is_owner_id(bot: ChiBot, user_id: int) -> bool:
    return user_id in bot.owner_id_set()


async def is_admin(bot: ChiBot, member: discord.abc.User, guild: discord.Guild | None) -> bool:
    if is_owner_id(bot, member.id):
        return True
    if guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild or member.guild_permissions.administrator:
        return True
    settings = await bot.app.guild_settings.get(guild.id)
    return settings.admin_role_id is not None and any(
        r.id == settings.admin_role_id for r in member.roles
    )


def admin_only() -> Callable[[T], T]:
    """Server admins of the server where the command runs (and bot owners)."""

    async def predicate(ctx: ChiContext) -> bool:
        if ctx.guild is None:
            raise commands.NoPrivateMessage()
        if not await is_admin(ctx.bot, ctx.author, ctx.guild):
            raise NotAdmin()
        return True

    predicate.chibot_gate = "admin"  # type: ignore[attr-defined]  # read by `gate` (help)
    return commands.check(predicate)


def owner_only() -> Callable[[T], T]:
    async def predicate(ctx: ChiContext) -> bool:
        if not is_owner_id(ctx.bot, ctx.author.id):
            raise NotOwner()
        return True

    predicate.chibot_gate = "owner"  # type: ignore[attr-defined]  # read by `gate` (help)
    return commands.check(predicate)


def gate(command: commands.Command[Any, ..., Any]) -> str | None:
    """ "owner" or "admin" when `command` (or a group above it) is for bot owners or server
    admins only, else None: `help` lists a command only to those who may run it."""
    found: set[str] = set()
    node: Any = command
    while node is not None:
        found |= {str(g) for c in node.checks if (g := getattr(c, "chibot_gate", None))}
        node = node.parent
    return "owner" if "owner" in found else ("admin" if "admin" in found else None)
