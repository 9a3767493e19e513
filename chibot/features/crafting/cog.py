"""Crafting commands: `/craft …` and its prefix tree (`P!craft`, `P!craft <recipe>`,
`P!craft collect`, `P!craft info <recipe>`); gardens' `garden craft [recipe]` hands over to
these by name.

The bare group is the recipe book (and the crafts in progress); with a recipe it crafts. A
craft that costs 1,000 chi or more, or may fail, asks first, showing the chance and what a
failure costs; the confirmed call re-checks everything. Cogs parse, call the service, render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.context import ChiContext
from chibot.discord.tree import hybrid_group
from chibot.discord.ui import announce
from chibot.features.crafting import views
from chibot.features.crafting.service import CraftingService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

#: Words that, typed after `craft`, are the list rather than a recipe's name.
LIST_WORDS = frozenset({"", "list", "recipes", "book"})


class Crafting(commands.Cog):
    """Crafting: recipes that turn drops, seeds and tools into better tools."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.crafting: CraftingService = bot.app.crafting

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*views.DYNAMIC_ITEMS)

    async def _recipe_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in self.crafting.search(current)]

    @hybrid_group(name="craft", fallback="recipes", invoke_without_command=True)
    @commands.guild_only()
    @app_commands.describe(recipe="A recipe to craft (leave empty to list them)")
    @app_commands.autocomplete(recipe=_recipe_autocomplete)
    async def craft(self, ctx: ChiContext, *, recipe: str | None = None) -> None:
        """The recipe book and your crafts in progress; with a recipe, craft it."""
        text = (recipe or "").strip()
        if text.lower() in LIST_WORDS:
            await ctx.paginate(views.BookPages, ctx.author.id)
            return
        await self._start(ctx, text)

    async def _start(self, ctx: ChiContext, text: str) -> None:
        listing = await self.crafting.check(ctx.guild_id, ctx.author.id, text)
        items = self.crafting.items

        async def go(interaction: discord.Interaction | None = None) -> None:
            done = await self.crafting.start(ctx.guild_id, ctx.author.id, listing.recipe.id)
            line = views.started_text(done, items)
            if interaction is None:
                await ctx.send(line)
                await announce(self.bot, ctx, ctx.author, done.unlocked)
            else:
                await interaction.followup.send(line)
                await announce(self.bot, interaction.followup, ctx.author, done.unlocked)

        if not listing.confirm:
            await go()
            return
        await ctx.confirm(views.confirm_text(listing, items), action=go, label="Craft")

    @craft.command(name="make", aliases=["start"])
    @commands.guild_only()
    @app_commands.describe(recipe="The recipe to craft")
    @app_commands.autocomplete(recipe=_recipe_autocomplete)
    async def make(self, ctx: ChiContext, *, recipe: str) -> None:
        """Craft a recipe (`craft <recipe>` does the same)."""
        await self._start(ctx, recipe)

    @craft.command(name="collect", aliases=["claim"])
    @commands.guild_only()
    async def collect(self, ctx: ChiContext) -> None:
        """Collect every finished craft: the tool, or what a failure gave back."""
        done = await self.crafting.collect(ctx.guild_id, ctx.author.id)
        await ctx.send(views.collected_text(done, self.crafting.items))
        await announce(self.bot, ctx, ctx.author, done.unlocked)

    @craft.command(name="info")
    @commands.guild_only()
    @app_commands.describe(recipe="A recipe")
    @app_commands.autocomplete(recipe=_recipe_autocomplete)
    async def info(self, ctx: ChiContext, *, recipe: str) -> None:
        """A recipe: what it makes, needs (yours against it), costs, takes, and its chance."""
        listing = await self.crafting.info(ctx.guild_id, ctx.author.id, recipe)
        await ctx.send(embed=views.info_embed(listing, self.crafting.items))


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Crafting(bot))
