"""How gardens look on Discord: the garden card, the garden shop, what planting, tending and
harvesting did, and the card's buttons (Harvest / Water / Shop).

The buttons are restart-proof (`ui.DynamicItem`: the owner is sealed in the custom id) and
owner-only; the service decides (a press harvests what is ready then, once). Times are
Discord relative timestamps; lists are cut to stay within Discord's limits (a garden holds at
most a few dozen plants, grouped by seed and ready time).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from chibot.core.items import Item, ItemRegistry
from chibot.discord import ui
from chibot.discord.ui import Palette, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.gardens.content import GardensFile
from chibot.features.gardens.service import (
    About,
    Boost,
    BundleBought,
    Fertilized,
    Garden,
    Harvest,
    Planted,
    Upgraded,
    Watered,
)

if TYPE_CHECKING:
    from chibot.features.gardens.service import GardensService

GREEN = Palette.GREEN
MAX_LINES = 12


def _minutes(minutes: float) -> str:
    if minutes < 60:
        return f"{minutes:g} min"
    hours = minutes / 60
    return f"{hours:.1f} h".replace(".0 h", " h")


def _boost_line(boost: Boost | None) -> str:
    if boost is None:
        return ""
    return (
        f"\n🌟 **Garden boost**: what you plant now grows {boost.growth_pct}% faster and "
        f"yields {boost.yield_pct}% more (it ends {ts(boost.ends_at)})."
    )


def garden_embed(garden: Garden, items: ItemRegistry, owner: str) -> discord.Embed:
    tier = garden.tier
    embed = discord.Embed(title=f"{tier.emoji} {owner}'s {tier.name}", color=GREEN)
    used = len(garden.plants)
    speed = f" · growth {tier.speed_pct}% faster" if tier.speed_pct else ""
    embed.description = f"Plots: **{used}/{tier.plots}**{speed}" + _boost_line(garden.boost)
    ready = Counter(p.seed for p in garden.ready)
    chi_ready = sum(p.chi for p in garden.ready)
    if ready:
        lines = [f"{items.get(s).label} ×{n}" for s, n in ready.most_common(MAX_LINES)]
        embed.add_field(
            name=f"✅ Ready now · {chi_ready:,} chi",
            value="\n".join(lines) + "\n`harvest` collects them.",
            inline=False,
        )
    growing: Counter[tuple[str, Any]] = Counter((p.seed, p.ready_at) for p in garden.growing)
    if growing:
        lines = []
        for (seed, at), n in sorted(growing.items(), key=lambda kv: kv[0][1])[:MAX_LINES]:
            lines.append(f"{items.get(seed).label} ×{n} · ready {ts(at)}")
        if len(growing) > MAX_LINES:
            lines.append(f"… and {len(growing) - MAX_LINES} more groups")
        embed.add_field(name="🌱 Growing", value="\n".join(lines), inline=False)
    if not garden.plants:
        embed.add_field(
            name="🌱 Nothing planted",
            value="`garden shop` sells seeds; `plant <seed> [qty]` plants them.",
            inline=False,
        )
    if garden.seeds:
        seeds = " · ".join(f"{items.get(s).label} ×{n:,}" for s, n in garden.seeds.items())
        embed.add_field(name="Seeds", value=seeds[:1024], inline=False)
    tools = garden.tools
    kit = [
        f"harvest tools +{tools.pct:g}%" + (f" +{tools.per_plant}/plant" if tools.per_plant else "")
    ]
    kit.append(
        f"watering −{garden.watering_pct:g}% time" if garden.watering_pct else "no watering can"
    )
    kit.append(f"fertilizer ×{garden.fertilizer:,}")
    embed.add_field(name="Tools", value=" · ".join(kit), inline=False)
    embed.set_footer(text="plant · water · fertilize · harvest · garden shop · upgrade garden")
    return embed


def no_garden_embed(cost: int) -> discord.Embed:
    embed = discord.Embed(title="🪷 You have no garden yet", color=GREEN)
    embed.description = (
        f"`garden create` (or `creategarden`) founds a Pond Garden for **{cost:,}** chi.\n"
        "Then buy seeds in the `garden shop`, `plant` them, come back and `harvest`."
    )
    return embed


def about_embed(about: About, owner: str) -> discord.Embed:
    embed = discord.Embed(title=f"{about.tier.emoji} {owner}'s {about.tier.name}", color=GREEN)
    embed.description = (
        f"Plots: **{about.plants}/{about.tier.plots}** · ready now: **{about.ready}**\n"
        f"Harvested in all: {plural(about.row.plants_harvested, 'plant')} · "
        f"{about.row.chi_harvested:,} chi\nFounded {ts(about.row.created_at, 'D')}"
    )
    return embed


def shop_embed(service: GardensService, tier_key: str | None) -> discord.Embed:
    embed = discord.Embed(title="🪴 Garden shop", color=GREEN)
    tools, seeds = [], []
    for item in service.shop_items():
        assert item.buy is not None
        price = f"{item.buy.price:,} chi"
        if item.id in service.seeds:
            seed = service.seeds[item.id]
            locked = service.locked_for(item, tier_key) if tier_key else None
            lock = f" · 🔒 {locked.name}" if locked else ""
            seeds.append(
                f"`{item.buy.code}` {item.label} — {price} · {_minutes(seed.minutes)} · "
                f"{seed.yield_:,} chi{lock}"
            )
        else:
            tools.append(f"`{item.buy.code}` {item.label} — {price}: {item.description}")
    embed.add_field(name="Tools", value="\n".join(tools)[:1024] or "—", inline=False)
    embed.add_field(
        name="Seeds (cost · growing time · chi at harvest)",
        value="\n".join(seeds)[:1024] or "—",
        inline=False,
    )
    embed.set_footer(text="garden buy <item|G#> [qty] · garden seed <seed> · bundle")
    return embed


def seed_embed(service: GardensService, item: Item) -> discord.Embed:
    seed = service.seeds[item.id]
    content: GardensFile = service.content
    assert item.buy is not None
    embed = discord.Embed(title=f"{item.label} (`{item.buy.code}`)", color=GREEN)
    embed.description = (
        f"Seed: **{item.buy.price:,}** chi · chi at harvest: **{seed.yield_:,}** (before tools) · "
        f"sells back for {item.sell:,}\n"
        f"Grows in a **{service.tier(seed.tier).name}** or better."
    )
    times = [
        f"{t.emoji} {t.name}: {_minutes(round(seed.minutes * (100 - t.speed_pct) / 100, 1))}"
        for t in content.tier
    ]
    embed.add_field(name="Growing time", value="\n".join(times), inline=False)
    return embed


def bundles_embed(service: GardensService) -> discord.Embed:
    embed = discord.Embed(title="🎁 Garden bundles", color=GREEN)
    items = service.items
    for bundle in service.content.bundle:
        parts = ", ".join(f"{items.get(p.item).label} ×{p.qty}" for p in bundle.contents)
        embed.add_field(
            name=f"{bundle.emoji} {bundle.name} — {bundle.price:,} chi", value=parts, inline=False
        )
    embed.set_footer(text="bundle buy <name> · seeds obey your garden's tier")
    return embed


def planted_text(done: Planted) -> str:
    extras = []
    if done.tools.pct or done.tools.per_plant:
        extras.append(
            f"tools +{done.tools.pct:g}%"
            + (f" +{done.tools.per_plant}" if done.tools.per_plant else "")
        )
    if done.boost:
        extras.append(f"boost −{done.boost.growth_pct}% time +{done.boost.yield_pct}% chi")
    if done.tier.speed_pct:
        extras.append(f"{done.tier.name} −{done.tier.speed_pct}% time")
    if done.pet is not None:
        rare = f" +{done.pet.rare_pct}% rare finds" if done.pet.rare_pct else ""
        extras.append(f"your pet +{done.pet.yield_pct}% chi −{done.pet.growth_pct}% time{rare}")
    note = f" ({', '.join(extras)})" if extras else ""
    return (
        f"🌱 Planted {plural(done.qty, done.item.name + ' seed')}: ready {ts(done.ready_at)}, "
        f"**{done.chi_each:,}** chi each{note}.\n"
        f"Seeds left: {done.seeds_left:,} · free plots: {done.free:,}"
    )


def watered_text(done: Watered) -> str:
    saved = done.saved
    minutes = saved.total_seconds() / 60 / max(1, done.plants)
    return (
        f"💧 Watered {plural(done.plants, 'plant')}: each grows {done.pct:g}% faster "
        f"(about {_minutes(round(minutes, 1))} sooner). The soonest is ready {ts(done.soonest)}."
    )


def fertilized_text(done: Fertilized) -> str:
    return (
        f"🌿 Fertilised {plural(done.plants, 'plant')}: **+{done.extra_chi:,}** chi at harvest in all. "
        f"Fertilizer left: {done.fertilizer_left:,}."
    )


def harvest_embed(done: Harvest, items: ItemRegistry) -> discord.Embed:
    embed = discord.Embed(title=f"🌾 Harvested {sum(done.plants.values()):,} plants", color=GREEN)
    lines = [f"{items.get(s).label} ×{n}" for s, n in sorted(done.plants.items())]
    embed.description = (
        "\n".join(lines[:MAX_LINES])
        + f"\n\n**+{done.chi:,}** chi · you now have **{done.balance:,}**"
    )
    if done.drops:
        found = " · ".join(f"{items.get(i).label} ×{n}" for i, n in sorted(done.drops.items()))
        embed.add_field(name="Found", value=found, inline=False)
    if done.next_ready is not None:
        embed.set_footer(text=f"{plural(done.still_growing, 'plant')} still growing")
        embed.add_field(name="Next ready", value=ts(done.next_ready), inline=False)
    return embed


def upgraded_text(done: Upgraded) -> str:
    gained = done.tier.plots - done.before.plots
    return (
        f"{done.tier.emoji} Your garden is now a **{done.tier.name}**: {done.tier.plots} plots "
        f"(+{gained}), growth {done.tier.speed_pct}% faster. You have {done.balance:,} chi."
    )


def bundle_text(done: BundleBought, items: ItemRegistry) -> str:
    parts = ", ".join(f"{items.get(p.item).label} ×{p.qty}" for p in done.bundle.contents)
    return f"{done.bundle.emoji} Bought the **{done.bundle.name}**: {parts}. You have {done.balance:,} chi."


# --- the card's buttons ---------------------------------------------------------------------


class GardenButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"garden:(?P<what>harvest|water|shop):(?P<user>\d{1,20})",
):
    """The garden card's next steps, for its owner: harvest what is ready, water everything
    growing, open the shop (privately)."""

    LABELS: ClassVar[dict[str, str]] = {
        "harvest": "🌾 Harvest",
        "water": "💧 Water",
        "shop": "🪴 Shop",
    }
    not_owner = "This is someone else's garden: `garden` shows yours."

    def __init__(self, what: str, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[what],
                style=discord.ButtonStyle.success
                if what == "harvest"
                else discord.ButtonStyle.secondary,
                custom_id=f"garden:{what}:{user_id}",
            )
        )
        self.what, self.owner_id = what, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> GardenButton:
        return cls(match["what"], int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        gardens: GardensService = interaction.client.app.gardens  # type: ignore[attr-defined]
        guild, user = interaction.guild.id, interaction.user.id
        if self.what == "harvest":
            done = await gardens.harvest(guild, user)
            await interaction.response.send_message(embed=harvest_embed(done, gardens.items))
            await ui.announce(
                interaction.client, interaction.followup, interaction.user, done.unlocked
            )
        elif self.what == "water":
            watered = await gardens.water(guild, user)
            await interaction.response.send_message(watered_text(watered))
        else:
            garden = await gardens.garden(guild, user)
            embed = shop_embed(gardens, garden.row.tier if garden else None)
            await interaction.response.send_message(embed=embed, ephemeral=True)


def card_view(user_id: int) -> ui.View:
    view = ui.View()
    for what in ("harvest", "water", "shop"):
        view.add_item(GardenButton(what, user_id))
    return view


DYNAMIC_ITEMS = (GardenButton,)
