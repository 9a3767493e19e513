"""`help [command]`: every command a member may use here, grouped by system, or one in detail.

Built from the live command tree, so a new system's commands appear without editing this.
Commands hidden from a member (owner-only ones) are listed only for bot owners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from chibot.discord.context import ChiContext
from chibot.discord.tree import (
    hybrid_command,
    prefix_aliases,
    prefix_names,
    prefix_path,
    slash_path,
)

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class Utility(commands.Cog):
    """Help and small tools."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot

    @hybrid_command(name="help", aliases=["commands"])
    async def help(self, ctx: ChiContext, *, command: str | None = None) -> None:
        """Every command, or how to use one (`help give`)."""
        prefix = await self.bot.command_prefix_for(ctx.guild_id if ctx.guild else None)
        owner = ctx.author.id in self.bot.owner_id_set()
        if command:
            found = self.bot.get_command(command.strip().removeprefix(prefix).lower())
            if found is None or (found.hidden and not owner):
                await ctx.send(
                    f"There is no command called `{discord.utils.escape_mentions(command)}`.",
                    ephemeral=True,
                )
                return
            embed = discord.Embed(
                title=f"{prefix}{prefix_path(found)} {found.signature}".strip(), color=0x3498DB
            )
            embed.description = found.help or found.short_doc or "No description."
            if aliases := prefix_aliases(found):
                embed.add_field(name="Aliases", value=", ".join(f"`{a}`" for a in aliases))
            if slash := slash_path(found):
                embed.add_field(name="Slash", value=f"`{slash}`")
            if isinstance(found, commands.Group):
                subs = [c for c in found.commands if owner or not c.hidden]
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
            listed = [c for cog in cogs for c in cog.get_commands() if owner or not c.hidden]
            if listed:
                names = " ".join(
                    f"`{n}`" for n in sorted({n for c in listed for n in prefix_names(c)})
                )
                embed.add_field(name=title[:250], value=names[:1024], inline=False)
        await ctx.send(embed=embed, ephemeral=True)


def _cogs_by_system(bot: Any) -> list[tuple[str, list[commands.Cog]]]:
    """The loaded cogs grouped under their system's summary, in the registry's order (a cog
    no manifest names, such as a test's, is listed under its own description)."""
    by_module = {system.cog: system for system in bot.app.registry.systems if system.cog}
    groups: dict[str, list[commands.Cog]] = {}
    for cog_name, cog in sorted(bot.cogs.items()):
        system = by_module.get(type(cog).__module__)
        title = (
            system.summary.split(":")[0] if system else (cog.description.split(":")[0] or cog_name)
        )
        groups.setdefault(title, []).append(cog)
    return sorted(groups.items())


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Utility(bot))
