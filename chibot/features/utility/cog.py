"""`help [command]`: the commands a member may use here, grouped by system, or one in detail;
the answer to an unknown command; and `ping`, `uptime` and `donate`, the bot's own status.

`ping` gives the gateway's heartbeat latency (discord.py's `latency`; "not measured" before the
first heartbeat and in the offline sandbox) and one `SELECT 1` round trip to the database,
the two waits that every command pays. `uptime` counts from the moment this cog was loaded
(the bot's start-up), on the app's clock. `donate` shows `DONATE_URL` when the host set one,
and always says that a donation buys nothing in the game: chi is earned, never sold.

Built from the live command tree, so a new system's commands appear without editing this.

Who sees what: a command for server admins (`admin_only`) is listed only to admins, one for bot
owners (`owner_only`, or hidden) only to owners; `help <admin command>` still shows its page to
anyone, saying who may use it (owners' commands stay unknown to others). Categories are the
systems' names as short titles ("Economy", "Shop").

Unknown commands (`P!dialy`) get the closest command names (difflib over every top-level name
and alias the member may use) and a pointer to `help`, at most once per member per minute
(`SUGGEST_EVERY`, timed by the app's clock), so typos in chat can't make the bot spam. Messages
that are obviously not commands stay unanswered:
- the prefix followed by anything but a letter (`P! hi`, `P!!!`, `P!?`, `P!100`);
- a message addressed to the bot by mention (`@chibot you rock`) when no command name is
  close to its first word (chatting with the bot is not a typo).
"""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from chibot.discord.checks import gate, is_admin
from chibot.discord.context import ChiContext
from chibot.discord.tree import (
    hybrid_command,
    hybrid_group,
    overview,
    prefix_aliases,
    prefix_path,
    shortcut,
    shortcuts,
    slash_path,
)
from chibot.discord.ui import code, timestamp
from chibot.features.utility.rules import latency, span

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

SUGGEST_EVERY = timedelta(minutes=1)
GATE_NOTES = {"admin": "Only server admins can use this.", "owner": "Only the bot's owners."}


class Utility(commands.Cog):
    """Help and small tools."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self._suggested: dict[tuple[int, int], datetime] = {}
        self.started = bot.app.clock.now()

    async def _may_see(self, ctx: commands.Context[Any]) -> set[str]:
        """The gates this member passes here: "admin" for admins, "owner" for owners."""
        passes: set[str] = set()
        if ctx.author.id in self.bot.owner_id_set():
            passes |= {"admin", "owner"}
        elif await is_admin(self.bot, ctx.author, ctx.guild):
            passes.add("admin")
        return passes

    @staticmethod
    def _visible(command: commands.Command[Any, ..., Any], passes: set[str]) -> bool:
        if command.hidden and "owner" not in passes:
            return False
        needed = gate(command)
        return needed is None or needed in passes

    def _names(self, command: commands.Command[Any, ..., Any], passes: set[str]) -> list[str]:
        """The top-level prefix names `command` brings that this member may use: its own
        (a group only with a subcommand they may use) and its subcommands' shortcuts."""
        if not self._visible(command, passes):
            return []
        family = list(command.walk_commands()) if isinstance(command, commands.Group) else []
        mine = [c for c in family if self._visible(c, passes)]
        names = [command.name] if not family or mine else []
        names += [shortcuts(c)[0] for c in mine if shortcuts(c)]
        return names

    @hybrid_command(name="help", aliases=["commands"], ignore_extra=False)
    async def help(self, ctx: ChiContext, *, command: str | None = None) -> None:
        """Every command, or how to use one (`help give`)."""
        prefix = await self.bot.command_prefix_for(ctx.guild_id if ctx.guild else None)
        passes = await self._may_see(ctx)
        if command:
            found = self.bot.get_command(command.strip().removeprefix(prefix).lower())
            needed = gate(found) if found is not None else None
            if found is None or ((found.hidden or needed == "owner") and "owner" not in passes):
                await ctx.send(
                    f"There is no command called {code(command)}. `{prefix}help` lists them all.",
                    ephemeral=True,
                )
                return
            embed = discord.Embed(
                title=f"{prefix}{prefix_path(found)} {found.signature}".strip(), color=0x3498DB
            )
            embed.description = found.help or found.short_doc or "No description."
            if needed is not None and needed not in passes:
                embed.description += f"\n\n🔒 {GATE_NOTES[needed]}"
            if aliases := prefix_aliases(found):
                embed.add_field(name="Aliases", value=", ".join(f"`{a}`" for a in aliases))
            if slash := slash_path(found):
                embed.add_field(name="Slash", value=f"`{slash}`")
            if isinstance(found, commands.Group):
                subs = [c for c in found.commands if self._visible(c, passes)]
                embed.add_field(
                    name="Subcommands",
                    value="\n".join(
                        f"`{c.name}` {c.short_doc}" for c in sorted(subs, key=lambda c: c.name)
                    )
                    or "—",
                    inline=False,
                )
            await ctx.send(embed=embed, ephemeral=True)
            return
        embed = discord.Embed(title="chibot commands", color=0x3498DB)
        embed.description = f"Prefix `{prefix}` or slash `/`. `{prefix}help <command>` for details."
        for title, cogs in _cogs_by_system(self.bot):
            names = sorted(
                {n for cog in cogs for c in cog.get_commands() for n in self._names(c, passes)}
            )
            if names:
                value = " ".join(f"`{n}`" for n in names)
                embed.add_field(name=title[:250], value=value[:1024], inline=False)
        await ctx.send(embed=embed, ephemeral=True)

    # --- the bot's status -------------------------------------------------------------------

    @hybrid_group(name="info", invoke_without_command=True, ignore_extra=False)
    async def info(self, ctx: ChiContext) -> None:
        """The bot itself: latency, uptime, donations."""
        await overview(ctx)

    @info.command(name="ping", aliases=["latency"], ignore_extra=False)
    @shortcut("ping", "latency")
    async def ping(self, ctx: ChiContext) -> None:
        """How fast the bot answers: Discord's gateway and the database."""
        gateway = "offline (the sandbox)" if self.bot.offline else latency(self.bot.latency)
        database = await self.bot.app.db.ping()
        await ctx.send(
            f"🏓 Pong! Gateway: {gateway} · Database: {latency(database)}.",
            ephemeral=True,
        )

    @info.command(name="uptime", ignore_extra=False)
    @shortcut("uptime")
    async def uptime(self, ctx: ChiContext) -> None:
        """How long the bot has been running."""
        now = self.bot.app.clock.now()
        up = span((now - self.started).total_seconds())
        servers = len(self.bot.guilds)
        where = f"in {servers:,} server{'' if servers == 1 else 's'}"
        await ctx.send(
            f"⏱️ Up for {up}, since {timestamp(self.started, 'f')}, {where}.", ephemeral=True
        )

    @info.command(name="donate", aliases=["support"], ignore_extra=False)
    @shortcut("donate", "support")
    async def donate(self, ctx: ChiContext) -> None:
        """How to support the bot's hosting (it buys nothing in the game)."""
        url = self.bot.app.settings.donate_url
        fair = "Donations buy nothing in the game: chi is earned by playing, never sold."
        if url is None:
            text = f"💚 This bot takes no donations: playing is free. {fair}"
        else:
            text = f"💚 Support the bot's hosting: <{url}>\n{fair}"
        await ctx.send(text, ephemeral=True)

    # --- unknown commands ------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context[Any], error: Exception) -> None:
        if not isinstance(error, commands.CommandNotFound) or not ctx.invoked_with:
            return
        prefix = ctx.prefix or ""
        by_mention = self.bot.user is not None and prefix.strip() in (
            f"<@{self.bot.user.id}>",
            f"<@!{self.bot.user.id}>",
        )
        typed = ctx.message.content[len(prefix) :]
        if not by_mention and not typed[:1].isalpha():
            return  # `P! hi`, `P!!!`: not meant as a command
        word = ctx.invoked_with.lower()
        passes = await self._may_see(ctx)
        names = sorted(
            {
                name
                for name, command in self.bot.all_commands.items()
                if self._visible(command, passes)
                and (name != command.name or self._names(command, passes))
            }
        )
        close = difflib.get_close_matches(word, names, n=3, cutoff=0.6)
        if by_mention and not close:
            return  # talking to the bot, not a typo
        if not self._may_suggest(ctx):
            return
        shown = "" if by_mention else ctx.clean_prefix
        hint = f" Did you mean {' or '.join(f'`{shown}{n}`' for n in close)}?" if close else ""
        help_prefix = shown or await self.bot.command_prefix_for(
            ctx.guild.id if ctx.guild else None
        )
        text = f"There is no command {code(word)}.{hint} `{help_prefix}help` lists them all."
        try:
            await ctx.reply(text, mention_author=False)
        except discord.HTTPException:
            return

    def _may_suggest(self, ctx: commands.Context[Any]) -> bool:
        """At most one answer to unknown commands per member (and server) per minute."""
        now = self.bot.app.clock.now()
        key = (ctx.guild.id if ctx.guild else 0, ctx.author.id)
        last = self._suggested.get(key)
        if last is not None and now - last < SUGGEST_EVERY:
            return False
        if len(self._suggested) > 10_000:  # forget members who stopped typing commands
            self._suggested = {k: t for k, t in self._suggested.items() if now - t < SUGGEST_EVERY}
        self._suggested[key] = now
        return True


def _cogs_by_system(bot: Any) -> list[tuple[str, list[commands.Cog]]]:
    """The loaded cogs grouped under their system's name as a title ("Economy"), in
    alphabetical order (a cog no manifest names, such as a test's, is listed under its own
    name)."""
    by_module = {system.cog: system for system in bot.app.registry.systems if system.cog}
    groups: dict[str, list[commands.Cog]] = {}
    for cog_name, cog in sorted(bot.cogs.items()):
        system = by_module.get(type(cog).__module__)
        title = system.name.replace("_", " ").capitalize() if system else cog_name
        groups.setdefault(title, []).append(cog)
    return sorted(groups.items())


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Utility(bot))
