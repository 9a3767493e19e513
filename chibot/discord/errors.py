"""One short answer for every user error; an id for every bug.

`explain` turns any exception raised while running a command (prefix, slash or hybrid) into the
one line the user sees, or `None` for errors that deserve silence (an unknown command is
usually just chat that starts with the prefix). Anything not recognised is a bug: it is logged
with a short id, and the user sees the same id so that a report can be matched to the log.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from chibot.core.errors import UserError
from chibot.discord.tree import prefix_path
from chibot.discord.wording import word

log = logging.getLogger("chibot.errors")


def unwrap(error: BaseException) -> BaseException:
    """The underlying error of discord.py's wrappers (hybrid, invoke, transformer...)."""
    seen = 0
    while seen < 10:
        seen += 1
        if isinstance(
            error,
            commands.HybridCommandError
            | commands.CommandInvokeError
            | commands.ConversionError
            | app_commands.CommandInvokeError,
        ):
            error = error.original
        elif isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
            error = error.__cause__
        else:
            break
    return error


def _usage(ctx: commands.Context[Any] | None) -> str:
    if ctx is None or ctx.command is None:
        return ""
    if ctx.interaction is None:  # the shortest prefix form (`P!give`, not `P!chi give`)
        path = f"{ctx.clean_prefix}{prefix_path(ctx.command)}"
    else:
        path = f"/{ctx.command.qualified_name}"
    return f" Usage: `{path} {ctx.command.signature}`".rstrip() + "."


def explain(error: BaseException, ctx: commands.Context[Any] | None = None) -> str | None:
    error = unwrap(error)
    if isinstance(error, UserError):
        return word(error)
    if isinstance(error, commands.CommandNotFound):
        return None
    if isinstance(error, commands.MissingRequiredArgument | commands.MissingRequiredAttachment):
        return f"Missing `{error.param.name}`.{_usage(ctx)}"
    if isinstance(error, commands.MemberNotFound):
        return (
            f"I can't find a member called `{discord.utils.escape_mentions(error.argument)}` here."
        )
    if isinstance(error, commands.UserNotFound):
        return f"I can't find a user called `{discord.utils.escape_mentions(error.argument)}`."
    if isinstance(error, commands.TooManyArguments):
        return f"Too many arguments.{_usage(ctx)}"
    if isinstance(error, commands.BadLiteralArgument):
        options = ", ".join(f"`{x}`" for x in error.literals)
        return f"`{error.param.name}` must be one of {options}."
    if isinstance(
        error, commands.BadArgument | commands.BadUnionArgument | commands.ArgumentParsingError
    ):
        text = str(error) if str(error) else "That argument doesn't look right."
        return discord.utils.escape_mentions(text) + _usage(ctx)
    if isinstance(error, commands.NoPrivateMessage | app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, commands.CommandOnCooldown | app_commands.CommandOnCooldown):
        ready = discord.utils.utcnow() + timedelta(seconds=error.retry_after)
        return f"Slow down: try again {discord.utils.format_dt(ready, 'R')}."
    if isinstance(error, commands.MissingPermissions | app_commands.MissingPermissions):
        perms = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"You need the {perms} permission for that."
    if isinstance(error, commands.BotMissingPermissions | app_commands.BotMissingPermissions):
        perms = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"I need the {perms} permission for that."
    if isinstance(error, commands.DisabledCommand):
        return "That command is switched off."
    if isinstance(error, commands.CheckFailure | app_commands.CheckFailure):
        return str(error) or "You can't use that command here."
    if isinstance(error, discord.Forbidden):
        return "Discord didn't let me do that here (missing permissions)."
    return None


def report_bug(error: BaseException, where: str) -> str:
    """Log an unexpected error with a fresh id; returns the line shown to the user."""
    error_id = secrets.token_hex(4)
    log.error("error %s in %s", error_id, where, exc_info=(type(error), error, error.__traceback__))
    return f"Something went wrong on my side. Error id `{error_id}`: please tell the bot's owners."


def is_silent(error: BaseException) -> bool:
    return isinstance(unwrap(error), commands.CommandNotFound)
