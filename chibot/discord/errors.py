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


class BadInput(commands.BadArgument):
    """A refusal of an argument worded by us (not discord.py): shown as is, with the usage."""


def _usage(ctx: commands.Context[Any] | None) -> str:
    if ctx is None or ctx.command is None:
        return ""
    if ctx.interaction is None:  # the shortest prefix form (`P!give`, not `P!chi give`)
        path = f"{ctx.clean_prefix}{prefix_path(ctx.command)}"
    else:
        path = f"/{ctx.command.qualified_name}"
    return f" Usage: `{f'{path} {ctx.command.signature}'.rstrip()}`."


def _param(ctx: commands.Context[Any] | None, error: BaseException) -> str:
    """The name of the argument that failed (the error's own, else the one being converted)."""
    param = getattr(error, "param", None) or (
        getattr(ctx, "current_parameter", None) if ctx is not None else None
    )
    if param is None:
        return "argument"
    return str(getattr(param, "displayed_name", None) or param.name)


def _extra(ctx: commands.Context[Any] | None) -> str:
    """What is left of a prefix command's message after its last argument."""
    view = getattr(ctx, "view", None) if ctx is not None and ctx.interaction is None else None
    if view is None:
        return ""
    return str(view.buffer[view.index :]).strip()


def _too_many(ctx: commands.Context[Any] | None) -> str:
    from chibot.discord.ui.text import code  # the kit imports this module

    rest = _extra(ctx)
    command = ctx.command if ctx is not None else None
    if isinstance(command, commands.Group) and command.commands and rest:
        prefix = "/" if ctx is not None and ctx.interaction else getattr(ctx, "clean_prefix", "")
        subs = ", ".join(f"`{c.name}`" for c in sorted(command.commands, key=lambda c: c.name))
        return (
            f"{code(rest.split()[0])} isn't part of `{prefix}{command.qualified_name}`: try {subs}."
        )
    what = f": {code(rest)} wasn't expected" if rest else ""
    return f"Too many arguments{what}.{_usage(ctx)}"


def _library_message(error: BaseException) -> bool:
    """discord.py's own wording (`Converting to "int" failed for parameter "qty".`), as
    opposed to a plain `BadArgument` a command raised with its own sentence."""
    return type(error) is not commands.BadArgument or str(error).startswith("Converting to")


def explain(error: BaseException, ctx: commands.Context[Any] | None = None) -> str | None:
    """The one line for `error`, or None (silence, or a bug: the caller reports it).

    discord.py's own messages never reach a member: every conversion failure is our sentence
    naming the argument, followed by the command's usage."""
    from chibot.discord.ui.text import code  # the kit imports this module

    error = unwrap(error)
    if isinstance(error, UserError):
        return word(error)
    if isinstance(error, commands.CommandNotFound):
        return None
    if isinstance(error, commands.MissingRequiredArgument | commands.MissingRequiredAttachment):
        return f"Missing `{error.param.name}`.{_usage(ctx)}"
    if isinstance(error, commands.MemberNotFound):
        return f"I can't find a member called {code(error.argument)} here.{_usage(ctx)}"
    if isinstance(error, commands.UserNotFound):
        return f"I can't find a user called {code(error.argument)}.{_usage(ctx)}"
    if isinstance(error, commands.TooManyArguments):
        return _too_many(ctx)
    if isinstance(error, commands.BadLiteralArgument):
        options = ", ".join(f"`{x}`" for x in error.literals)
        return f"`{error.param.name}` must be one of {options}.{_usage(ctx)}"
    if isinstance(error, commands.RangeError):
        low, high = error.minimum, error.maximum
        if low is not None and high is not None:
            bounds = f"from {low:,} to {high:,}"
        elif low is not None:
            bounds = f"at least {low:,}"
        else:
            bounds = f"at most {high:,}"
        return f"`{_param(ctx, error)}` must be {bounds}.{_usage(ctx)}"
    if isinstance(error, BadInput):
        return discord.utils.escape_mentions(str(error)) + _usage(ctx)
    if isinstance(error, commands.ArgumentParsingError):
        return f"A quote in that message isn't closed or is in the wrong place.{_usage(ctx)}"
    if isinstance(error, commands.BadArgument | commands.BadUnionArgument):
        if not _library_message(error) and str(error):
            return discord.utils.escape_mentions(str(error)) + _usage(ctx)
        typed = getattr(error, "argument", None)
        shown = f" ({code(str(typed))})" if typed else ""
        return f"That `{_param(ctx, error)}`{shown} doesn't look right.{_usage(ctx)}"
    if isinstance(error, app_commands.TransformerError):
        if error.type in (
            discord.AppCommandOptionType.user,
            discord.AppCommandOptionType.mentionable,
        ):
            return "That member isn't in this server (any more)."
        return f"{code(str(error.value))} doesn't look right here."
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


def bug_id() -> str:
    """A fresh id for an unexpected error: the member quotes it, `log <id>` finds it."""
    return secrets.token_hex(4)


async def record_bug(
    client: Any, guild_id: int, user_id: int, error: BaseException, where: str
) -> str:
    """`report_bug`, and the bug kept in the server's error log (`log`) when `client` is the
    bot of an app; returns the line shown to the user."""
    error_id = bug_id()
    app = getattr(client, "app", None)
    if app is not None:
        await app.error_log.record(guild_id, user_id, error_id, where, unwrap(error))
    return report_bug(error, where, error_id)


def report_bug(error: BaseException, where: str, error_id: str | None = None) -> str:
    """Log an unexpected error with its id (a fresh one if none); returns the line shown to
    the user."""
    error_id = error_id or bug_id()
    log.error("error %s in %s", error_id, where, exc_info=(type(error), error, error.__traceback__))
    return f"Something went wrong on my side. Error id `{error_id}`: please tell the bot's owners."


def is_silent(error: BaseException) -> bool:
    return isinstance(unwrap(error), commands.CommandNotFound)
