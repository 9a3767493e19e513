"""Garden commands: `/garden …` and its prefix tree (`P!garden plant`), with the old names as
shortcuts (`P!creategarden`, `P!plant`, `P!water`, `P!fertilize`, `P!harvest`,
`P!harvestall`, `P!bundle`, `P!tools`). `P!upgrade garden` reaches `garden upgrade` through
the item upgrade command (progress), which hands it over by name; `garden craft` hands over
to crafting's `craft` the same way.

Cogs parse, call the service, render; refusals are `UserError`s answered in one line.
Purchases of 5,000 chi or more, bundles and tier upgrades ask for confirmation first; the
confirmed call re-checks everything (the price shown is the most it may cost).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.checks import admin_only
from chibot.discord.context import ChiContext
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui import announce, member_name, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.gardens import views
from chibot.features.gardens.errors import BadBoostLength
from chibot.features.gardens.service import GardensService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

CONFIRM_AT = 5_000  # chi: a garden purchase this big asks first
_DURATION = re.compile(
    r"^(?:(?P<h>\d{1,3})\s*h(?:ours?)?)?\s*(?:(?P<m>\d{1,4})\s*m(?:in(?:utes?)?)?)?$"
)


def parse_minutes(text: str) -> int | None:
    """`90`, `90m`, `2h`, `1h30m` -> minutes (None if it is not a duration)."""
    text = text.strip().lower()
    if text.isdigit() and len(text) <= 5:
        return int(text)
    found = _DURATION.match(text)
    if not text or found is None or not (found["h"] or found["m"]):
        return None
    return int(found["h"] or 0) * 60 + int(found["m"] or 0)


def split_qty(text: str, default: int = 1) -> tuple[str, int]:
    """`peace lily 5` -> ("peace lily", 5); a name alone -> (name, default)."""
    words = text.split()
    if len(words) > 1 and words[-1].isdigit() and len(words[-1]) <= 6:
        return " ".join(words[:-1]), int(words[-1])
    if len(words) > 1 and words[0].isdigit() and len(words[0]) <= 6:  # `plant 5 peace lily`
        return " ".join(words[1:]), int(words[0])
    return text, default


class Gardens(commands.Cog):
    """Gardens: plant seeds, tend them, harvest chi; tiers, tools, bundles."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.gardens: GardensService = bot.app.gardens

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*views.DYNAMIC_ITEMS)

    async def _seed_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        items = self.gardens.items
        seeds = [items.get(s) for s in self.gardens.seeds]
        return [
            app_commands.Choice(name=i.name, value=i.name) for i in items.search(current, seeds)
        ]

    async def _shop_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = self.gardens.items.search(current, self.gardens.shop_items())
        return [
            app_commands.Choice(name=f"{i.name} ({i.buy.code})" if i.buy else i.name, value=i.name)
            for i in found
        ]

    # --- the garden -------------------------------------------------------------------------

    @hybrid_group(name="garden", fallback="show", invoke_without_command=True)
    @commands.guild_only()
    async def garden(self, ctx: ChiContext) -> None:
        """Your garden: what grows, what is ready, your seeds and tools (or how to start one)."""
        garden = await self.gardens.garden(ctx.guild_id, ctx.author.id)
        if garden is None:
            cost = await self.gardens.create_cost(ctx.guild_id)
            await ctx.send(embed=views.no_garden_embed(cost))
            return
        embed = views.garden_embed(
            garden, self.gardens.items, member_name(ctx.server, ctx.author.id)
        )
        await ctx.send(embed=embed, view=views.card_view(ctx.author.id))

    @garden.command(name="create", aliases=["start"])
    @shortcut("creategarden")
    @commands.guild_only()
    async def create(self, ctx: ChiContext) -> None:
        """Found your garden (costs chi: see `config`): a Pond Garden of 10 plots."""
        done = await self.gardens.create(ctx.guild_id, ctx.author.id)
        embed = views.garden_embed(
            done.garden, self.gardens.items, member_name(ctx.server, ctx.author.id)
        )
        embed.title = f"🪷 {member_name(ctx.server, ctx.author.id)}'s garden is founded!"
        await ctx.send(
            f"You paid {done.cost:,} chi; you have {done.balance:,}. "
            "Buy seeds in the `garden shop`, then `plant <seed> [qty]`.",
            embed=embed,
            view=views.card_view(ctx.author.id),
        )
        await announce(self.bot, ctx, ctx.author, done.unlocked)

    @garden.command(name="about")
    @commands.guild_only()
    @app_commands.describe(member="Whose garden (default: yours)")
    async def about(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """A member's garden at a glance: tier, plots, what is ready."""
        target = member or ctx.author
        about = await self.gardens.about(ctx.guild_id, target.id)
        await ctx.send(embed=views.about_embed(about, member_name(ctx.server, target.id)))

    # --- the garden shop --------------------------------------------------------------------

    @garden.command(name="shop")
    @commands.guild_only()
    async def shop(self, ctx: ChiContext) -> None:
        """The garden shop: tools and seeds, with growing times and chi at harvest."""
        garden = await self.gardens.garden(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.shop_embed(self.gardens, garden.row.tier if garden else None))

    @garden.command(name="buy")
    @commands.guild_only()
    @app_commands.describe(item="A seed or tool (name or G code)", qty="How many (1 to 100)")
    @app_commands.autocomplete(item=_shop_autocomplete)
    async def buy(self, ctx: ChiContext, *, item: str, qty: int | None = None) -> None:
        """Buy seeds or tools in the garden shop (you need a garden)."""
        text, count = (item, qty) if qty is not None else split_qty(item)
        found = self.gardens.check_buy(text, count)
        assert found.buy is not None
        total = found.buy.price * count

        async def go(interaction: discord.Interaction | None = None) -> None:
            done = await self.gardens.buy(ctx.guild_id, ctx.author.id, text, count, max_total=total)
            noun = (
                f"{done.item.name} seed" if done.item.id in self.gardens.seeds else done.item.name
            )
            line = (
                f"🪴 Bought {plural(done.qty, noun)} for {done.total:,} chi: you hold "
                f"{done.held:,} and have {done.balance:,} chi."
            )
            if interaction is None:
                await ctx.send(line)
            else:
                await interaction.followup.send(line)

        if total < CONFIRM_AT:
            await go()
            return
        noun = f"{found.name} seed" if found.id in self.gardens.seeds else found.name
        await ctx.confirm(f"Buy {plural(count, noun)} for **{total:,}** chi?", action=go)

    @garden.command(name="seed")
    @commands.guild_only()
    @app_commands.describe(seed="A seed")
    @app_commands.autocomplete(seed=_seed_autocomplete)
    async def seed(self, ctx: ChiContext, *, seed: str) -> None:
        """What a seed costs, yields and needs, and how long it grows in each tier."""
        _seed, item = self.gardens.seed_of(seed)
        await ctx.send(embed=views.seed_embed(self.gardens, item))

    @garden.command(name="bundle", aliases=["bundles"])
    @shortcut("bundle", "bundles")
    @commands.guild_only()
    @app_commands.describe(bundle="A bundle to buy (leave empty to list them)")
    async def bundle(self, ctx: ChiContext, *, bundle: str | None = None) -> None:
        """The garden bundles (a tool found nowhere else, with seeds and fertilizer); buy one."""
        text = (bundle or "").strip()
        if text.lower().startswith("buy "):
            text = text[4:].strip()
        if not text or text.lower() in ("list", "buy"):
            await ctx.send(embed=views.bundles_embed(self.gardens))
            return
        found = self.gardens.bundle_of(text)

        async def go(interaction: discord.Interaction) -> None:
            done = await self.gardens.buy_bundle(ctx.guild_id, ctx.author.id, found.name)
            await interaction.followup.send(views.bundle_text(done, self.gardens.items))

        await ctx.confirm(
            f"Buy the {found.emoji} **{found.name}** for **{found.price:,}** chi?", action=go
        )

    # --- planting and tending ---------------------------------------------------------------

    @garden.command(name="plant")
    @shortcut("plant")
    @commands.guild_only()
    @app_commands.describe(seed="A seed you hold", qty="How many (default 1)")
    @app_commands.autocomplete(seed=_seed_autocomplete)
    async def plant(self, ctx: ChiContext, *, seed: str, qty: int | None = None) -> None:
        """Plant seeds: their growing time and chi are fixed now, from your tier, tools, boost."""
        text, count = (seed, qty) if qty is not None else split_qty(seed)
        done = await self.gardens.plant(ctx.guild_id, ctx.author.id, text, count)
        await ctx.send(views.planted_text(done))

    @garden.command(name="water")
    @shortcut("water")
    @commands.guild_only()
    @app_commands.describe(seed="Only this seed's plants (default: all)")
    @app_commands.autocomplete(seed=_seed_autocomplete)
    async def water(self, ctx: ChiContext, *, seed: str | None = None) -> None:
        """Water growing plants (once each; needs a watering can): they grow faster."""
        done = await self.gardens.water(ctx.guild_id, ctx.author.id, seed)
        await ctx.send(views.watered_text(done))

    @garden.command(name="fertilize", aliases=["fertilise"])
    @shortcut("fertilize", "fertilise")
    @commands.guild_only()
    @app_commands.describe(seed="Only this seed's plants (default: all)")
    @app_commands.autocomplete(seed=_seed_autocomplete)
    async def fertilize(self, ctx: ChiContext, *, seed: str | None = None) -> None:
        """Fertilise growing plants (one fertilizer each, once each): they yield a fifth more."""
        done = await self.gardens.fertilize(ctx.guild_id, ctx.author.id, seed)
        await ctx.send(views.fertilized_text(done))

    @garden.command(name="harvest", aliases=["harvestall"])
    @shortcut("harvest", "harvestall")
    @commands.guild_only()
    @app_commands.describe(seed="Only this seed's plants (default: everything ready)")
    @app_commands.autocomplete(seed=_seed_autocomplete)
    async def harvest(self, ctx: ChiContext, *, seed: str | None = None) -> None:
        """Harvest every ready plant (or one seed's): chi, and sometimes ingredients."""
        done = await self.gardens.harvest(ctx.guild_id, ctx.author.id, seed)
        await ctx.send(embed=views.harvest_embed(done, self.gardens.items))
        await announce(self.bot, ctx, ctx.author, done.unlocked)

    @garden.command(name="tools")
    @shortcut("tools")
    @commands.guild_only()
    async def tools(self, ctx: ChiContext) -> None:
        """Your garden tools and what they add to what you plant."""
        garden = await self.gardens.garden(ctx.guild_id, ctx.author.id)
        if garden is None:
            cost = await self.gardens.create_cost(ctx.guild_id)
            await ctx.send(embed=views.no_garden_embed(cost))
            return
        tools = garden.tools
        lines = [
            f"Harvest tools: **+{tools.pct:g}%** chi per plant (up to +{self.gardens.content.tool_cap_pct}%)"
        ]
        if tools.uncapped_pct > tools.pct:
            lines[0] += f" · yours add up to +{tools.uncapped_pct:g}%"
        if tools.per_plant:
            lines.append(f"Flat: **+{tools.per_plant}** chi per plant")
        lines.append(
            ", ".join(tools.tools)
            or "No harvest tool yet (the chi shop's Basic Hoe, crafting, bundles)."
        )
        lines.append(
            f"Watering: −{garden.watering_pct:g}% growing time"
            if garden.watering_pct
            else "Watering: no can (`garden buy G1`)"
        )
        lines.append(f"Fertilizer: {garden.fertilizer:,}")
        await ctx.send("🧰 " + "\n".join(lines))

    @garden.command(name="craft")
    @commands.guild_only()
    @app_commands.describe(recipe="A recipe to craft (leave empty to list them)")
    async def craft(self, ctx: ChiContext, *, recipe: str | None = None) -> None:
        """Craft garden tools from harvest drops: the crafting book (`craft`)."""
        # crafting's, found by name: no import between the two systems
        command: commands.Command[Any, ..., Any] | None = self.bot.get_command("craft")
        if command is None:
            await ctx.send("Crafting isn't installed on this bot.")
            return
        await ctx.invoke(command, recipe=recipe)

    # --- the tier -----------------------------------------------------------------------------

    @garden.command(name="upgrade")
    @commands.guild_only()
    async def upgrade(self, ctx: ChiContext) -> None:
        """Move your garden up a tier: more plots, faster growth, new seeds."""
        offer = await self.gardens.upgrade_offer(ctx.guild_id, ctx.author.id)
        nxt = offer.next
        price = f"**{nxt.price:,}** chi" + (
            f" and **{plural(nxt.rebirths, 'rebirth')}**" if nxt.rebirths else ""
        )
        unlocks = [
            self.gardens.items.get(s.item).label
            for s in self.gardens.content.seed
            if s.tier == nxt.key
        ]

        async def go(interaction: discord.Interaction) -> None:
            done = await self.gardens.upgrade(ctx.guild_id, ctx.author.id, to=nxt.key)
            await interaction.followup.send(views.upgraded_text(done))
            await announce(self.bot, interaction.followup, ctx.author, done.unlocked)

        await ctx.confirm(
            f"Upgrade your {offer.current.emoji} {offer.current.name} to a {nxt.emoji} **{nxt.name}** "
            f"for {price}? {nxt.plots} plots (now {offer.current.plots}), growth {nxt.speed_pct}% faster"
            + (f", and {', '.join(unlocks)} seeds grow there." if unlocks else "."),
            action=go,
        )

    # --- the server's boost -------------------------------------------------------------------

    @garden.command(name="boost")
    @admin_only()
    @commands.guild_only()
    @app_commands.describe(duration="How long: 30m, 2h, 1h30m (10 minutes to 6 hours)")
    async def boost(self, ctx: ChiContext, duration: str | None = None) -> None:
        """Start this server's garden boost (admins): what is planted while it runs grows
        faster and yields more."""
        spec = self.gardens.content.boost
        if duration is None:
            running = await self.gardens.boost(ctx.guild_id)
            if running is None:
                await ctx.send(
                    f"No garden boost is running. `garden boost 2h` starts one "
                    f"({spec.min_minutes} minutes to {spec.max_hours} hours)."
                )
            else:
                await ctx.send(f"🌟 A garden boost is running; it ends {ts(running.ends_at)}.")
            return
        minutes = parse_minutes(duration)
        if minutes is None:
            raise BadBoostLength(least=spec.min_minutes, most=spec.max_hours)
        started = await self.gardens.start_boost(ctx.guild_id, ctx.author.id, minutes)
        await ctx.send(
            f"🌟 **Garden boost!** What is planted from now grows {started.growth_pct}% faster "
            f"and yields {started.yield_pct}% more; the boost ends {ts(started.ends_at)}."
        )


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Gardens(bot))
