"""Combat commands: `/fight …` and its prefix tree (`P!fight`, `P!weapons`, `P!equip`,
`P!dueltutorial` / `P!dtut`). Cogs parse, call the service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord import ui
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount
from chibot.discord.tree import hybrid_group, shortcut
from chibot.features.combat import engine, views
from chibot.features.combat.service import Challenge, CombatService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


NPC_LEVELS = ("dummy", "easy", "medium", "hard")


class Combat(commands.Cog):
    """Combat: weapons and the weapon you fight with."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.combat: CombatService = bot.app.combat

    async def _weapon_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = self.combat.items.search(current, self.combat.weapons)
        return [app_commands.Choice(name=i.name, value=i.name) for i in found]

    @hybrid_group(name="fight", fallback="card", invoke_without_command=True)
    @commands.guild_only()
    async def fight(self, ctx: ChiContext) -> None:
        """Your fighting card: HP, level, the weapon you fight with and its attacks."""
        arsenal = await self.combat.arsenal(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.card_embed(arsenal, ctx.author.display_name))

    @fight.command(name="weapons")
    @shortcut("weapons")
    @commands.guild_only()
    async def weapons(self, ctx: ChiContext) -> None:
        """Every weapon, its attacks with their codes and your damage, what you hold."""
        arsenal = await self.combat.arsenal(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.weapons_embed(arsenal, ctx.author.display_name))

    @fight.command(name="equip")
    @shortcut("equip")
    @commands.guild_only()
    @app_commands.describe(weapon="A weapon you hold")
    @app_commands.autocomplete(weapon=_weapon_autocomplete)
    async def equip(self, ctx: ChiContext, *, weapon: str) -> None:
        """Choose the weapon you fight with (one in your inventory)."""
        done = await self.combat.equip(ctx.guild_id, ctx.author.id, weapon)
        await ctx.send(views.equipped_text(done))

    @fight.command(name="spar")
    @shortcut("spar")
    @commands.guild_only()
    @app_commands.describe(member="Whom to spar with (or whose challenge to accept)")
    async def spar(self, ctx: ChiContext, member: discord.Member) -> None:
        """Spar with a member (no stakes): challenge them, or accept their challenge."""
        if member.bot:
            await ctx.send("Bots don't spar: name a member.")
            return
        done = await self.combat.challenge_spar(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, member.id, member.display_name
        )
        if isinstance(done, Challenge):
            await ctx.send(views.challenge_text(done, ctx.author.display_name))
        else:
            await ctx.send(views.step_text(done))

    @fight.command(name="train")
    @shortcut("train")
    @commands.guild_only()
    @app_commands.describe(opponent="A member to spar with, or an NPC: dummy, easy, medium, hard")
    async def train(self, ctx: ChiContext, *, opponent: str) -> None:
        """Train: spar with a member (as `spar`), or against an NPC."""
        if opponent.strip().lower() in NPC_LEVELS:
            await ctx.send(
                "🥋 Training against NPCs arrives with the next part of combat: meanwhile "
                "`train @member` spars with a member (no stakes)."
            )
            return
        try:
            member = await commands.MemberConverter().convert(ctx, opponent.strip())
        except commands.BadArgument:
            await ctx.send(
                "I can't find that member here. `train @member` spars with a member; "
                f"NPCs: {', '.join(NPC_LEVELS)}."
            )
            return
        await ctx.invoke(self.spar, member=member)

    async def _act(self, ctx: ChiContext, command: object) -> None:
        step = await self.combat.act(ctx.guild_id, ctx.author.id, command)
        await ctx.send(views.step_text(step))

    @fight.command(name="attack")
    @shortcut("attack")
    @commands.guild_only()
    @app_commands.describe(attack="An attack code (VW1) or name")
    async def attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Attack in your fight."""
        await self._act(ctx, engine.Attack(str(ctx.author.id), attack.strip()))

    @fight.command(name="defend")
    @shortcut("defend")
    @commands.guild_only()
    async def defend(self, ctx: ChiContext) -> None:
        """Defend: the next hit you take is halved (twice in a row at most)."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @fight.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item you hold")
    async def heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal with a healing item you hold (a few charges per fight)."""
        found = self.combat.items.find(item)
        await self._act(ctx, engine.Heal(str(ctx.author.id), found.id if found else item))

    @fight.command(name="forfeit", aliases=["run"])
    @shortcut("forfeit")
    @commands.guild_only()
    async def forfeit(self, ctx: ChiContext) -> None:
        """Give up your fight."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))

    @fight.command(name="tutorial")
    @shortcut("dueltutorial", "dtut")
    async def tutorial(self, ctx: ChiContext) -> None:
        """How fights work (only you see it)."""
        await ctx.send(views.TUTORIAL, ephemeral=True)

    # --- stats and the duel board (`stats.py`) ----------------------------------------------

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(views.DuelBoardButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(views.DuelBoardButton)

    @fight.command(name="stats", ignore_extra=False)
    @shortcut("combatstats")
    @commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Your combat record here: duels, sparring, training, tournaments, your weapon."""
        target = member or ctx.author
        result = await self.combat.stats(ctx.guild_id, target.id)
        await ctx.send(embed=views.stats_embed(result, ui.safe(target.display_name)))

    @fight.command(name="leaderboard", aliases=["lb"], ignore_extra=False)
    @shortcut("duellb")
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def leaderboard(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """This server's duelists by wins (fewer losses first on a tie), with your rank."""
        await ctx.paginate(views.DuelBoardButton, page=page)


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Combat(bot))
