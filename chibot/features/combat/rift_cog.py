"""Rift commands: `/rift …` (`P!rift`, `P!rift join` = `P!enter`, `P!rift attack <attack>`,
`P!rift run`) and the admins' `/event rift`, `/event end`. A cog of its own, added by the combat
cog's `setup`; it parses, calls the combat service, renders (`rift_views.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.checks import admin_only
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui.seal import sealer_for, set_sealer
from chibot.features.combat import rift_rules, rift_views, views
from chibot.features.combat.rift import Rift, RiftEnded, RiftHit
from chibot.features.combat.service import CombatService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class RiftCog(commands.Cog, name="Rift"):
    """The rift: a server-wide raid on the Rifter (docs/bosses.md, "The rift")."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.combat: CombatService = bot.app.combat

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(rift_views.RiftButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(rift_views.RiftButton)

    async def deliver_notice(self, notice: object) -> bool:
        """The scheduler's end of a rift (the Rifter escaped): its card says so and loses its
        buttons, and its channel is told."""
        if not isinstance(notice, RiftEnded):
            return False
        await rift_views.edit_card(
            self.bot, notice.channel_id, notice.message_id, rift_views.ended_embed(notice)
        )
        channel = self.bot.get_channel(notice.channel_id) if notice.channel_id else None
        if isinstance(channel, discord.abc.Messageable):
            guild = getattr(channel, "guild", None)
            set_sealer(sealer_for(self.bot, guild.id) if guild is not None else None)
            try:
                await channel.send(rift_views.ended_text(notice))
            except discord.HTTPException:
                return False
            finally:
                set_sealer(None)
        return True

    async def _status(self, ctx: ChiContext) -> None:
        found = await self.combat.rift(ctx.guild_id)
        if isinstance(found, Rift):
            view = rift_views.rift_view(found)
            embed = rift_views.card_embed(found, self.bot.app.clock.now())
            await (ctx.send(embed=embed, view=view) if view else ctx.send(embed=embed))
            return
        now = self.bot.app.clock.now()
        await ctx.send(f"{rift_views.none_text(found, now)}\n{rift_views.HELP}")

    # --- the rift ------------------------------------------------------------------------------

    @hybrid_group(name="rift", fallback="status", invoke_without_command=True)
    @commands.guild_only()
    async def rift(self, ctx: ChiContext) -> None:
        """The live rift's card (HP, raiders, top damage, time left, prize), or when it opens."""
        await self._status(ctx)

    @rift.command(name="join", aliases=["enter"])
    @shortcut("enter")
    @commands.guild_only()
    async def rift_join(self, ctx: ChiContext) -> None:
        """Join the live rift: the Rifter grows with every raider (nothing is given for it)."""
        joined = await self.combat.rift_join(ctx.guild_id, ctx.author.id, ctx.author.display_name)
        await ctx.send(
            rift_views.joined_text(joined),
            embed=rift_views.card_embed(joined.rift, self.bot.app.clock.now()),
        )

    async def _attack_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        said = current.casefold().strip()
        return [
            app_commands.Choice(name=f"{a.code} · {a.name} ({a.min}–{a.max})", value=a.code)
            for a in rift_rules.ATTACKS
            if not said or said in a.code.casefold() or said in a.name.casefold()
        ][:25]

    @rift.command(name="attack")
    @commands.guild_only()
    @app_commands.describe(attack="A legendary attack: L1..L9 or its name (empty: one at random)")
    @app_commands.autocomplete(attack=_attack_autocomplete)
    async def rift_attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Strike the Rifter with a legendary attack; it hits back (15 s between attacks)."""
        hit = await self.combat.rift_attack(ctx.guild_id, ctx.author.id, attack)
        await ctx.send(rift_views.hit_text(hit))
        if hit.settled is not None:
            await self._settled(ctx, hit)

    async def _settled(self, ctx: ChiContext, hit: RiftHit) -> None:
        assert hit.settled is not None
        embed = rift_views.card_embed(hit.rift, self.bot.app.clock.now())
        await ctx.send(rift_views.settled_text(hit.settled), embed=embed)
        await rift_views.edit_card(self.bot, hit.rift.channel_id, hit.rift.message_id, embed)
        await rift_views.announce_unlocked(self.bot, ctx, ctx.guild, hit.unlocked)

    @rift.command(name="run", aliases=["leave"])
    @commands.guild_only()
    async def rift_run(self, ctx: ChiContext) -> None:
        """Leave the rift for good: your share is forfeited, you can't rejoin this rift."""
        ran = await self.combat.rift_run(ctx.guild_id, ctx.author.id)
        await ctx.send(rift_views.ran_text(ran))

    # --- events (admins) -----------------------------------------------------------------------

    @rift.command(name="board", aliases=["leaderboard", "lb"])
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def rift_board(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """This server's raiders by rift damage, with your rank (`boss board rift`)."""
        await ctx.paginate(views.BossBoardButton, "rift", page=page)

    @hybrid_group(name="event", fallback="status", invoke_without_command=True)
    @commands.guild_only()
    async def event(self, ctx: ChiContext) -> None:
        """What is live here: the rift. (The events system will own this group later.)"""
        await self._status(ctx)

    @event.command(name="rift")
    @commands.guild_only()
    @admin_only()
    async def event_rift(self, ctx: ChiContext) -> None:
        """Open a rift here for 30 minutes (admins; one every 4 hours at most)."""
        opened = await self.combat.rift_open(ctx.guild_id, ctx.author.id, ctx.channel.id)
        view = rift_views.rift_view(opened)
        embed = rift_views.card_embed(opened, self.bot.app.clock.now())
        text = rift_views.opened_text(opened)
        sent = await (
            ctx.send(text, embed=embed, view=view) if view else ctx.send(text, embed=embed)
        )
        await self.combat.attach_rift(ctx.guild_id, opened.id, sent.channel.id, sent.id)

    @event.command(name="end")
    @commands.guild_only()
    @admin_only()
    async def event_end(self, ctx: ChiContext) -> None:
        """Close the live rift early (admins): no prize, nothing is paid."""
        ended = await self.combat.rift_end(ctx.guild_id, ctx.author.id)
        await ctx.send(rift_views.ended_text(ended))
        await rift_views.edit_card(
            self.bot, ended.channel_id, ended.message_id, rift_views.ended_embed(ended)
        )
