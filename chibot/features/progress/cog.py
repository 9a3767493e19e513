"""Progress commands: level, upgrade, milestone (list / claim), stats, achievements, cooldowns.

Cogs parse, call the service, render. No rules and no SQL here. Every command is hybrid
and sits in the `progress` group (`P!progress level`, `/progress level` and the shortcut
`P!level` are one definition); refusals are `UserError`s raised by the service
and answered in one line by the bot's error handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.context import ChiContext
from chibot.discord.tree import hybrid_group, overview, refuse_extra, shortcut
from chibot.discord.ui import announce
from chibot.features.progress import views
from chibot.features.progress.service import ProgressService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class Progress(commands.Cog):
    """Levels, upgrades, milestones, achievements, stats and cooldowns."""

    def render_notices(
        self, member: discord.abc.User, notices: Sequence[Any]
    ) -> discord.Embed | None:
        """Achievements unlocked by any system's action (`discord.ui.announce`)."""
        return views.render_notices(member, notices)

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.progress: ProgressService = bot.app.progress

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(views.ClaimButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(views.ClaimButton)

    # --- the group: `/progress …`; the old top-level prefix names are shortcuts -----------

    @hybrid_group(name="progress", invoke_without_command=True, ignore_extra=False)
    @commands.guild_only()
    async def progress_group(self, ctx: ChiContext) -> None:
        """Levels, upgrades, milestones, achievements, stats and cooldowns."""
        await overview(ctx)

    # --- level and upgrades -------------------------------------------------------------

    @progress_group.command(name="level", ignore_extra=False)
    @shortcut("level", "lvl")
    @commands.guild_only()
    @app_commands.describe(member="Whose level (default: yours)")
    async def level(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Your level (from lifetime chi earned), what it gives in fights, and your max HP."""
        target = member or ctx.author
        info = await self.progress.level(ctx.guild_id, target.id)
        await ctx.send(embed=views.level_embed(target, info))

    async def _upgrade_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        found = await self.progress.upgrade_choices(
            interaction.guild.id, interaction.user.id, current
        )
        return [
            app_commands.Choice(
                name=f"{item.name} (level {level}/{item.max_level})"[:100], value=item.id
            )
            for item, level in found
        ]

    @progress_group.command(name="upgrade", ignore_extra=False)
    @shortcut("upgrade")
    @commands.guild_only()
    @app_commands.describe(item="An item in your inventory (name, id or shop code)")
    @app_commands.autocomplete(item=_upgrade_autocomplete)
    async def upgrade(self, ctx: ChiContext, *, item: str | None = None) -> None:
        """Raise one of your items' level (each level adds 5% to its damage or healing), or
        `upgrade garden`; bare, what you can upgrade."""
        elsewhere = self._upgraded_elsewhere(item)
        if elsewhere is not None:  # `upgrade garden`: the system that owns it answers
            await ctx.invoke(elsewhere)
            return
        if item is None or not item.strip():
            await self._upgrade_menu(ctx)
            return
        result = await self.progress.upgrade(ctx.guild_id, ctx.author.id, item)
        await ctx.send(embed=views.upgrade_embed(ctx.author, result))
        await announce(self.bot, ctx, ctx.author, result.achievements)

    #: `upgrade <word>` handed to another system's command, found by name (so progress
    #: imports no other system; absent systems simply are not offered).
    ELSEWHERE: ClassVar[dict[str, str]] = {"garden": "garden upgrade"}

    def _upgraded_elsewhere(self, item: str | None) -> commands.Command[Any, ..., Any] | None:
        name = self.ELSEWHERE.get((item or "").strip().lower())
        return self.bot.get_command(name) if name else None

    async def _upgrade_menu(self, ctx: ChiContext) -> None:
        found = await self.progress.upgrade_choices(ctx.guild_id, ctx.author.id, "")
        lines = [
            f"{item.label} · level {level}/{item.max_level} · `upgrade {item.name}`"
            for item, level in found[:15]
        ]
        elsewhere = [
            (word, command)
            for word, name in self.ELSEWHERE.items()
            if (command := self.bot.get_command(name)) is not None
        ]
        others = [f"`upgrade {word}` · {command.short_doc}" for word, command in elsewhere]
        text = "\n".join(others + (lines or ["No upgradable item yet: weapons from `cshop` are."]))
        choices = [(f"⬆️ {word.title()}", self._invoke(ctx, c)) for word, c in elsewhere]
        choices += [(f"⬆️ {item.name}", self._upgrade_item(ctx, item.id)) for item, _ in found]
        content = f"⬆️ **What you can upgrade**\n{text}"
        if not choices:
            await ctx.send(content)
            return
        view = views.UpgradeMenu(ctx.author.id, choices)
        view.message = await ctx.send(content, view=view)

    @staticmethod
    def _invoke(ctx: ChiContext, command: commands.Command[Any, ..., Any]) -> Any:
        """A menu button that runs another system's command as if typed (it answers in the
        channel, and asks to confirm where it would)."""

        async def run(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await ctx.invoke(command)

        return run

    def _upgrade_item(self, ctx: ChiContext, item_id: str) -> Any:
        async def run(interaction: discord.Interaction) -> None:
            result = await self.progress.upgrade(ctx.guild_id, interaction.user.id, item_id)
            await interaction.response.send_message(
                embed=views.upgrade_embed(interaction.user, result)
            )
            await announce(self.bot, interaction.followup, interaction.user, result.achievements)

        return run

    # --- milestones -----------------------------------------------------------------------

    @progress_group.group(
        name="milestone",
        aliases=["milestones"],
        fallback="list",
        invoke_without_command=True,
    )
    @shortcut("milestone", "milestones")
    @commands.guild_only()
    async def milestone(self, ctx: ChiContext) -> None:
        """Lifetime-chi milestones: claimed, ready to claim, and how far the next ones are."""
        refuse_extra(ctx)
        board = await self.progress.milestone_board(ctx.guild_id, ctx.author.id)
        view = views.milestones_view(board)
        if view is None:
            await ctx.send(embed=views.milestones_embed(ctx.author, board))
        else:
            await ctx.send(embed=views.milestones_embed(ctx.author, board), view=view)

    @milestone.command(name="claim", ignore_extra=False)
    @commands.guild_only()
    async def milestone_claim(self, ctx: ChiContext) -> None:
        """Claim every milestone you have reached, at once."""
        result = await self.progress.claim_milestones(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.claimed_embed(ctx.author, result))
        await announce(self.bot, ctx, ctx.author, result.achievements)

    # --- stats, achievements, cooldowns -----------------------------------------------------

    @progress_group.command(name="stats", ignore_extra=False)
    @shortcut("stats")
    @commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Everything a member has done in this server: chi earned, spent, given, and more."""
        target = member or ctx.author
        info = await self.progress.stats(ctx.guild_id, target.id)
        await ctx.send(embed=views.stats_embed(target, ctx.server.name, info))

    async def _category_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        text = current.strip().lower()
        return [
            app_commands.Choice(name=f"{c.emoji} {c.name}", value=c.id)
            for c in self.progress.achievements.category
            if text in c.id or text in c.name.lower()
        ][:25]

    @progress_group.command(name="achievements", ignore_extra=False)
    @shortcut("achievements", "ach", "achieve")
    @commands.guild_only()
    @app_commands.describe(category="Only one category (combat, economy, ...)")
    @app_commands.autocomplete(category=_category_autocomplete)
    async def achievements(self, ctx: ChiContext, category: str | None = None) -> None:
        """Your achievements by category: unlocked, in progress, and what they pay."""
        board = await self.progress.achievement_board(ctx.guild_id, ctx.author.id, category)
        prefix = (
            await self.bot.command_prefix_for(ctx.guild_id)
            if ctx.interaction is None
            else "/progress "
        )
        await ctx.send(embed=views.achievements_embed(ctx.author, board, prefix))
        await announce(self.bot, ctx, ctx.author, board.new)

    @progress_group.command(name="cooldowns", ignore_extra=False)
    @shortcut("cooldowns", "cd")
    @commands.guild_only()
    @app_commands.describe(member="Whose cooldowns (default: yours)")
    async def cooldowns(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Everything you (or another member) are waiting for here, the hourly chat cap
        included, with the time it will be ready."""
        target = member or ctx.author
        found = await self.progress.cooldowns(ctx.guild_id, target.id)
        await ctx.send(embed=views.cooldowns_embed(target, found), ephemeral=True)


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Progress(bot))
