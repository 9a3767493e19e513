"""Shop commands (to be completed)."""

from __future__ import annotations

from typing import Any

from discord.ext import commands


class Shop(commands.Cog):
    """Shops, items, inventory and the chest."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.shop = bot.app.shop


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Shop(bot))
