"""Economy commands: profile, chi, leaderboard, daily, give/pay, rebirth, chiadd/chiremove,
arebirth/rrebirth; chat chi. Achievements unlocked by these actions are announced where the
action happened (`discord.ui.announce`: progress renders them).

Cogs parse, call the service, render. No rules and no SQL here.

Optional members are annotated `discord.Member = None`, not `Optional[...]`: with Optional,
discord.py silently skips an argument it cannot convert, so `P!profile nobody` would show the
caller's own profile instead of saying that nobody is not a member.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.checks import admin_only
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount, parse_amount
from chibot.discord.errors import BadInput
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui import announce, code
from chibot.features.economy import views
from chibot.features.economy.rules import Kind
from chibot.features.economy.service import EconomyService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

log = logging.getLogger(__name__)


class BoardPage(Amount):
    """The page of `leaderboard [board] [page]`: the board is optional (`leaderboard 2`), so a
    word that is neither reaches this converter."""

    async def convert(self, ctx: commands.Context[Any], argument: str) -> int:
        if parse_amount(argument) is None:
            raise BadInput(
                f"{code(argument)} is neither a board (`chi` or `rebirths`) nor a page number."
            )
        return await super().convert(ctx, argument)


class Economy(commands.Cog):
    """Chi: earn it by being positive, check it, climb the board, share it."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.economy: EconomyService = bot.app.economy

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(views.LeaderboardButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(views.LeaderboardButton)

    # --- chat chi -----------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or not message.content:
            return
        prefix = await self.bot.command_prefix_for(message.guild.id)
        if message.content[: len(prefix)].lower() == prefix.lower():
            return  # commands earn nothing
        if self.bot.user is not None and message.content.startswith(
            (f"<@{self.bot.user.id}>", f"<@!{self.bot.user.id}>")
        ):
            return  # nor does a message addressed to the bot (`@chibot help …`: a command)
        result = await self.economy.chat(
            message.guild.id, message.author.id, message.content, ref=str(message.id)
        )
        if result is None:
            return
        settings = await self.economy.settings(message.guild.id)
        emoji = {
            Kind.SECRET: settings.react_secret,
            Kind.POSITIVE: settings.react_positive,
            Kind.NEGATIVE: settings.react_negative,
        }[result.kind]
        try:
            await message.add_reaction(emoji)
            if result.kind is Kind.SECRET:
                await message.channel.send(
                    f"✨ {message.author.mention} found a secret word! **+{result.delta:,}** chi",
                )
        except discord.HTTPException:
            log.debug("could not react in channel %s", message.channel.id)
        await announce(self.bot, message.channel, message.author, result.achievements)

    # --- reading ------------------------------------------------------------------------
    # `/chi …` holds every economy command; the old top-level prefix names are shortcuts.

    @hybrid_group(name="chi", aliases=["balance", "bal"], fallback="balance", ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(member="Whose balance (default: yours)")
    async def chi(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Your chi balance (or another member's)."""
        target = member or ctx.author
        profile = await self.economy.profile(ctx.guild_id, target.id)
        await ctx.send(embed=views.balance_embed(target, profile))

    @chi.command(name="profile", ignore_extra=False)
    @shortcut("profile", "p")
    @commands.guild_only()
    @app_commands.describe(member="Whose profile (default: yours)")
    async def profile(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Chi, rebirths, level and rank in this server."""
        target = member or ctx.author
        profile = await self.economy.profile(ctx.guild_id, target.id)
        await ctx.send(embed=views.profile_embed(target, profile))

    @chi.command(name="leaderboard", ignore_extra=False)
    @shortcut("leaderboard", "lb", "top")
    @commands.guild_only()
    @app_commands.describe(board="What to rank by", page="Page number")
    async def leaderboard(
        self,
        ctx: ChiContext,
        board: Literal["chi", "rebirths"] | None = None,
        page: Annotated[int, BoardPage] = 1,
    ) -> None:
        """This server's richest members, ten per page, with your own rank
        (`leaderboard 2`, `leaderboard rebirths 2`)."""
        await ctx.paginate(views.LeaderboardButton, board or "chi", page=page)

    # --- earning and moving -------------------------------------------------------------

    @chi.command(name="daily", ignore_extra=False)
    @shortcut("daily")
    @commands.guild_only()
    async def daily(self, ctx: ChiContext) -> None:
        """Claim your daily chi (once per UTC day)."""
        result = await self.economy.daily(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.daily_embed(result))
        await announce(self.bot, ctx, ctx.author, result.achievements)

    @chi.command(name="give", ignore_extra=False)
    @shortcut("give", "pay")
    @commands.guild_only()
    @app_commands.describe(
        member="Who receives it", amount="How much (250, 1,000, 2k)", currency="chi or rebirths"
    )
    async def give(
        self,
        ctx: ChiContext,
        member: discord.Member,
        amount: Annotated[int, Amount],
        currency: Literal["chi", "rebirths"] = "chi",
    ) -> None:
        """Give some of your chi (or rebirths) to another member."""
        result = await self.economy.give(
            ctx.guild_id,
            ctx.author.id,
            member.id,
            amount,
            receiver_is_bot=member.bot,
            currency=currency,
        )
        await ctx.send(embed=views.give_embed(ctx.author, member, result))

    @chi.command(name="rebirth", ignore_extra=False)
    @shortcut("rebirth")
    @commands.guild_only()
    async def rebirth(self, ctx: ChiContext) -> None:
        """Turn this server's rebirth threshold of chi (500,000 by default) into one rebirth."""
        offer = await self.economy.rebirth_offer(ctx.guild_id, ctx.author.id)
        view = views.RebirthConfirm(self.economy, ctx.author, offer)
        await ctx.confirm(embed=views.rebirth_offer_embed(ctx.author, offer), view=view)

    # --- admin --------------------------------------------------------------------------

    @chi.command(name="add", ignore_extra=False)
    @shortcut("chiadd")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(member="Who gets it", amount="How much chi")
    async def chiadd(
        self, ctx: ChiContext, member: discord.Member, amount: Annotated[int, Amount]
    ) -> None:
        """Admin: add chi to a member (audited)."""
        result = await self.economy.admin_adjust(ctx.guild_id, ctx.author.id, member.id, amount)
        await ctx.send(embed=views.admin_embed(member, result, removed=False))

    @chi.command(name="remove", ignore_extra=False)
    @shortcut("chiremove")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(member="Who loses it", amount="How much chi")
    async def chiremove(
        self, ctx: ChiContext, member: discord.Member, amount: Annotated[int, Amount]
    ) -> None:
        """Admin: remove chi from a member (audited; never below zero)."""
        result = await self.economy.admin_adjust(
            ctx.guild_id, ctx.author.id, member.id, amount, remove=True
        )
        await ctx.send(embed=views.admin_embed(member, result, removed=True))

    @chi.command(name="add-rebirths", ignore_extra=False)
    @shortcut("arebirth")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(member="Who gets them", amount="How many rebirths")
    async def arebirth(
        self, ctx: ChiContext, member: discord.Member, amount: Annotated[int, Amount]
    ) -> None:
        """Admin: add rebirths to a member (audited; unlocks no achievement)."""
        result = await self.economy.admin_adjust(
            ctx.guild_id, ctx.author.id, member.id, amount, currency="rebirths"
        )
        await ctx.send(embed=views.admin_embed(member, result, removed=False))

    @chi.command(name="remove-rebirths", ignore_extra=False)
    @shortcut("rrebirth")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(member="Who loses them", amount="How many rebirths")
    async def rrebirth(
        self, ctx: ChiContext, member: discord.Member, amount: Annotated[int, Amount]
    ) -> None:
        """Admin: remove rebirths from a member (audited; never more than they have)."""
        result = await self.economy.admin_adjust(
            ctx.guild_id, ctx.author.id, member.id, amount, currency="rebirths", remove=True
        )
        await ctx.send(embed=views.admin_embed(member, result, removed=True))


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Economy(bot))
