"""Combat commands: `/fight …` and its prefix tree (`P!fight`, `P!weapons`, `P!equip`,
`P!spar`, `P!train`, `P!attack`, `P!defend`, `P!forfeit`, `P!dueltutorial` / `P!dtut`). Cogs
parse, call the service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.context import ChiContext
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui.notices import announce
from chibot.features.combat import engine, views
from chibot.features.combat.service import Challenge, CombatService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class Combat(commands.Cog):
    """Combat: weapons, the weapon you fight with, sparring and NPC training."""

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

    async def _opponent_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        said = current.strip().casefold()
        return [
            app_commands.Choice(name=f"{n.name} ({n.key})", value=n.key)
            for n in self.combat.training.npcs.npc
            if not said or said in n.key or said in n.name.casefold()
        ]

    @fight.command(name="train")
    @shortcut("train")
    @commands.guild_only()
    @app_commands.describe(
        opponent="An NPC (dummy, easy, medium, hard), a member to spar with, or empty: the list"
    )
    @app_commands.autocomplete(opponent=_opponent_autocomplete)
    async def train(self, ctx: ChiContext, *, opponent: str = "") -> None:
        """Train against an NPC (chi for a win, once per cooldown), or spar with a member."""
        said = opponent.strip()
        if said.lower() in ("", "list", "npcs"):
            await ctx.invoke(self.npcs)
            return
        npc = self.combat.training.npcs.find(said)
        if npc is not None:
            step = await self.combat.train_npc(
                ctx.guild_id, ctx.author.id, ctx.author.display_name, npc.key
            )
            await ctx.send(views.training_opening(npc, step, ctx.author.display_name))
            await announce(self.bot, ctx, ctx.author, step.notices)
            return
        try:
            member = await commands.MemberConverter().convert(ctx, said)
        except commands.BadArgument:
            await ctx.send(
                "I can't find that member here. `train @member` spars with a member; "
                f"NPCs: {', '.join(n.key for n in self.combat.training.npcs.npc)} "
                "(`train` lists them)."
            )
            return
        await ctx.invoke(self.spar, member=member)

    @fight.command(name="npcs")
    @commands.guild_only()
    async def npcs(self, ctx: ChiContext) -> None:
        """The training NPCs: HP, hits, rewards, cooldowns, and when yours are ready."""
        lines = await self.combat.npc_lines(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.npcs_embed(lines, ctx.author.display_name))

    async def _act(self, ctx: ChiContext, command: object) -> None:
        step = await self.combat.act(ctx.guild_id, ctx.author.id, command)
        await ctx.send(views.step_text(step))
        await announce(self.bot, ctx, ctx.author, step.notices)

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


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Combat(bot))
