"""The command tree: one hybrid group per system, and top-level prefix shortcuts.

Every system's commands live in its hybrid group, so `P!shop buy …` and `/shop buy …` are one
definition (see `docs/commands.md`). The names members typed before the groups existed (and the
seed's names, `P!createteam` for `P!team create`) keep working as prefix commands: a
**shortcut** makes a subcommand answer to top-level prefix names too.

    @shop.command(name="buy")
    @shortcut("buy", "rbuy", "purchase")   # P!buy, P!rbuy, P!purchase = P!shop buy
    async def buy(self, ctx, item: str, qty: int = 1): ...

A shortcut is an alias and nothing more: its names are entries of the bot's top-level command
mapping that point at the very same command object, the way discord.py registers an alias. So
the prefix shortcut and the group path run the same checks, cooldowns, converters, hooks and
error handlers by construction, and `bot.get_command("config set")` walks through a shortcut to
a group (`P!config set` = `P!admin config set`). Shortcuts are prefix only; the slash command
stays where its group puts it. The bot registers them when a command is added
(`ChiBot.add_command`) and drops them with it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import discord
from discord.ext import commands

T = TypeVar("T")

if TYPE_CHECKING:
    from typing import Concatenate, Unpack

    from discord.ext.commands.core import _CommandKwargs, _GroupKwargs
    from discord.ext.commands.hybrid import (
        _HybridCommandDecoratorKwargs,
        _HybridGroupDecoratorKwargs,
    )

    CogT = TypeVar("CogT", bound=commands.Cog)
    ContextT = TypeVar("ContextT", bound=commands.Context[Any])
    P = ParamSpec("P")
    P2 = ParamSpec("P2")
    U = TypeVar("U")

    # A cog method callback: `async def cmd(self, ctx, ...)`.
    Callback = Callable[Concatenate[CogT, ContextT, P], Coroutine[Any, Any, U]]

    class _HybridGroupKwargs(_HybridGroupDecoratorKwargs, total=False):
        invoke_without_command: bool  # accepted by HybridGroup, missing from discord.py's dict

    class Group(commands.Group[CogT, P, T]):
        """`commands.Group` with `command`/`group` typed for cog methods (see below)."""

        def command(  # type: ignore[override]  # narrower: cog methods only
            self, *args: Any, **kwargs: Unpack[_CommandKwargs]
        ) -> Callable[[Callback[CogT, ContextT, P2, U]], commands.Command[CogT, P2, U]]: ...

        def group(  # type: ignore[override]  # narrower: cog methods only
            self, *args: Any, **kwargs: Unpack[_GroupKwargs]
        ) -> Callable[[Callback[CogT, ContextT, P2, U]], Group[CogT, P2, U]]: ...

    class HybridGroup(commands.HybridGroup[CogT, P, T]):
        """`commands.HybridGroup` with `command`/`group` typed for cog methods (see below)."""

        def command(  # type: ignore[override]  # narrower: cog methods only
            self, *args: Any, **kwargs: Unpack[_HybridCommandDecoratorKwargs]
        ) -> Callable[[Callback[CogT, ContextT, P2, U]], commands.HybridCommand[CogT, P2, U]]: ...

        def group(  # type: ignore[override]  # narrower: cog methods only
            self, *args: Any, **kwargs: Unpack[_HybridGroupKwargs]
        ) -> Callable[[Callback[CogT, ContextT, P2, U]], HybridGroup[CogT, P2, U]]: ...

    def group(
        *args: Any, **attrs: Unpack[_GroupKwargs]
    ) -> Callable[[Callback[CogT, ContextT, P, U]], Group[CogT, P, U]]: ...

    def hybrid_command(
        *args: Any, **attrs: Unpack[_HybridCommandDecoratorKwargs]
    ) -> Callable[[Callback[CogT, ContextT, P, U]], commands.HybridCommand[CogT, P, U]]: ...

    def hybrid_group(
        *args: Any, **attrs: Unpack[_HybridGroupKwargs]
    ) -> Callable[[Callback[CogT, ContextT, P, U]], HybridGroup[CogT, P, U]]: ...

else:
    # discord.py's own decorators, unchanged. Their annotations take the callback as a union of
    # "cog method" and "plain function", which mypy cannot solve for groups and hybrid
    # commands (each command was an `arg-type` error, its type `Never`); the declarations
    # above say the same for cog methods, which every command here is.
    group = commands.group
    hybrid_command = commands.hybrid_command
    hybrid_group = commands.hybrid_group

_ATTR = "__chibot_shortcuts__"


def shortcut(name: str, *aliases: str) -> Callable[[T], T]:
    """Also answer, as a prefix command, to the top-level `name` (shown in help and usage
    lines) and `aliases`. Put it below or above the `@group.command(...)` decorator."""

    def decorator(func: T) -> T:
        target = func.callback if isinstance(func, commands.Command) else func
        setattr(target, _ATTR, (name, *aliases))
        return func

    return decorator


def shortcuts(command: commands.Command[Any, ..., Any]) -> tuple[str, ...]:
    """The top-level prefix names of `command` (its shortcut name first), or ()."""
    return getattr(command.callback, _ATTR, ())


def _family(command: commands.Command[Any, ..., Any]) -> Iterator[commands.Command[Any, ..., Any]]:
    yield command
    if isinstance(command, commands.Group):
        yield from command.walk_commands()


def add_shortcuts(bot: commands.bot.BotBase, command: commands.Command[Any, ..., Any]) -> None:
    """Register the shortcuts of `command` and of its subcommands (all or none)."""
    added: list[str] = []
    try:
        for cmd in _family(command):
            for name in shortcuts(cmd):
                if cmd.parent is None:
                    raise TypeError(
                        f"{cmd.qualified_name!r} is top-level: give it aliases, not a shortcut"
                    )
                existing = bot.all_commands.get(name)
                if existing is not None and existing is not cmd:
                    raise commands.CommandRegistrationError(name, alias_conflict=True)
                bot.all_commands[name] = cmd
                added.append(name)
    except Exception:
        for name in added:
            bot.all_commands.pop(name, None)
        raise


def remove_shortcuts(bot: commands.bot.BotBase, command: commands.Command[Any, ..., Any]) -> None:
    for cmd in _family(command):
        for name in shortcuts(cmd):
            if bot.all_commands.get(name) is cmd:
                del bot.all_commands[name]


def prefix_path(command: commands.Command[Any, ..., Any]) -> str:
    """The shortest prefix form of a command, as help and usage lines show it:
    `give` for `chi give`, `config set` for `admin config set`, `shop chi` stays as is
    unless it has a shortcut (`cshop`)."""
    parts: list[str] = []
    node: commands.Command[Any, ..., Any] | None = command
    while node is not None:
        names = shortcuts(node)
        if names:
            parts.append(names[0])
            break
        parts.append(node.name)
        parent = node.parent  # a Group (a Command too) or None
        node = parent if isinstance(parent, commands.Command) else None
    return " ".join(reversed(parts))


def prefix_aliases(command: commands.Command[Any, ..., Any]) -> list[str]:
    """Other names that run `command` from its shortest form: shortcut aliases, then its own."""
    return [*shortcuts(command)[1:], *command.aliases]


def prefix_names(command: commands.Command[Any, ..., Any]) -> list[str]:
    """The top-level prefix names a top-level command brings: its own and its subcommands'
    shortcuts (aliases not included)."""
    names = [command.name]
    for cmd in _family(command):
        if cmd is not command and shortcuts(cmd):
            names.append(shortcuts(cmd)[0])
    return names


def slash_path(command: commands.Command[Any, ..., Any]) -> str | None:
    """`/chi give` for a hybrid command, or None for a prefix-only one."""
    app = getattr(command, "app_command", None)
    if not app:
        return None
    if isinstance(command, commands.HybridGroup) and command.fallback:
        return f"/{app.qualified_name} {command.fallback}"
    return f"/{app.qualified_name}"


async def overview(ctx: commands.Context[Any]) -> None:
    """What a bare group answers until its system gives it a state view: its subcommands."""
    group = ctx.command
    assert isinstance(group, commands.Group)
    prefix = "/" if ctx.interaction else ctx.clean_prefix
    lines = []
    for cmd in sorted(group.commands, key=lambda c: c.name):
        if cmd.hidden:
            continue
        short = prefix_path(cmd)
        also = (
            f" (also `{prefix}{short}`)"
            if short != f"{group.qualified_name} {cmd.name}" and prefix != "/"
            else ""
        )
        lines.append(f"`{prefix}{group.qualified_name} {cmd.name}`{also}: {cmd.short_doc}")
    embed = discord.Embed(title=f"{prefix}{group.qualified_name}", color=0x3498DB)
    embed.description = "\n".join(lines) or "Nothing here yet."
    await ctx.send(embed=embed, ephemeral=True)


def refuse_extra(ctx: commands.Context[Any]) -> None:
    """For the callback of a group with a slash `fallback` (`milestone` / `/milestone list`):
    the prefix form accepts the fallback's name (`P!milestone list`) and refuses anything else
    left over (`P!milestone lsit`: `TooManyArguments`, answered with the subcommands). Such
    groups keep discord.py's `ignore_extra=True`, which would take the fallback's name for an
    extra argument."""
    view = getattr(ctx, "view", None)
    if ctx.interaction is not None or view is None:
        return
    rest = str(view.buffer[view.index :]).strip()
    fallback = str(getattr(ctx.command, "fallback", None) or "")
    if rest and rest.lower() != fallback.lower():
        raise commands.TooManyArguments()
