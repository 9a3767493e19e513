"""Gateway events of the server lifecycle, the welcome message, and the job runner loop."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from chibot.core.db import CHECKPOINT_SECONDS
from chibot.core.scheduler import owns, run_due
from chibot.core.sessions import MessageNotice
from chibot.features.lifecycle.service import LifecycleService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

log = logging.getLogger(__name__)


def welcome_channel(guild: discord.Guild) -> discord.abc.Messageable | None:
    """The system channel if the bot may write there, else the first text channel it may."""
    me = guild.me
    candidates = [guild.system_channel, *sorted(guild.text_channels, key=lambda c: c.position)]
    for channel in candidates:
        if channel is not None and me is not None and channel.permissions_for(me).send_messages:
            return channel
    return None


class Lifecycle(commands.Cog):
    """Joining and leaving servers."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.lifecycle: LifecycleService = bot.app.lifecycle

    async def cog_load(self) -> None:
        if not self.bot.offline:
            self.jobs.start()
            self.checkpoints.start()

    async def cog_unload(self) -> None:
        self.jobs.cancel()
        self.checkpoints.cancel()

    @tasks.loop(seconds=CHECKPOINT_SECONDS)
    async def checkpoints(self) -> None:
        """SQLite: fold the WAL back into the file off the commands' path (core/db.py)."""
        await self.bot.app.db.checkpoint()

    @tasks.loop(seconds=60)
    async def jobs(self) -> None:
        settings = self.bot.app.settings
        await run_due(
            self.bot.app.db,
            self.bot.app,
            shard_ids=settings.shard_ids,
            shard_count=settings.shard_count,
        )
        await self.deliver()

    async def deliver(self) -> int:
        """Say on Discord what the jobs that just ran want said (`app.outbox`): edit the
        message of an expired invite, offer or challenge. A message that is gone is skipped."""
        outbox, delivered = self.bot.app.outbox, 0
        while outbox:
            notice = outbox.pop(0)
            if not isinstance(notice, MessageNotice):
                # another system's notice: the cog that knows it says it (`deliver_notice`)
                for cog in list(self.bot.cogs.values()):
                    deliver = getattr(cog, "deliver_notice", None)
                    if deliver is not None and await deliver(notice):
                        delivered += 1
                        break
                continue
            channel = self.bot.get_channel(notice.channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                continue
            try:
                await channel.get_partial_message(notice.message_id).edit(
                    content=notice.text, embed=None, view=None
                )
                delivered += 1
            except discord.HTTPException:
                log.info("could not edit message %s for an ended session", notice.message_id)
        return delivered

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        settings = self.bot.app.settings
        joined, left = await self.lifecycle.reconcile(
            {g.id: g.name for g in self.bot.guilds},
            lambda g: owns(g, settings.shard_ids, settings.shard_count),
        )
        if joined or left:
            log.info("reconciled servers: %d joined, %d left while offline", len(joined), len(left))

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        result = await self.lifecycle.joined(guild.id, guild.name)
        channel = welcome_channel(guild)
        if channel is None:
            return
        prefix = await self.bot.command_prefix_for(guild.id)
        embed = discord.Embed(
            title="Welcome back to chibot! 🐼"
            if result.returning
            else "Thanks for adding chibot! 🐼",
            description=(
                "Everything this server had is restored.\n\n"
                if result.returning
                else "Members earn **chi** by being positive in chat, then spend it, climb the "
                "leaderboard and rebirth.\n\n"
            )
            + f"• `{prefix}setup`: create the bot's roles and channels (admins)\n"
            f"• `{prefix}help`: every command\n"
            f"• `{prefix}config`: settings for this server (admins)\n"
            f"• `{prefix}daily`, `{prefix}profile`, `{prefix}leaderboard` to start playing\n"
            "Slash commands work too: type `/`.",
            color=0x2ECC71,
        )
        try:
            await channel.send(embed=embed)
        except discord.HTTPException:
            log.info("could not post the welcome in %s", guild.id)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.lifecycle.left(guild.id)


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Lifecycle(bot))
