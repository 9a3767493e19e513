"""Progress commands (to be completed)."""

from __future__ import annotations

from typing import Any

from discord.ext import commands


class Progress(commands.Cog):
    """Levels, upgrades, milestones, achievements, stats and cooldowns."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.progress = bot.app.progress


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Progress(bot))
