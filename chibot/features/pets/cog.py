"""Pet commands: `/pet …` and its prefix tree (`P!pet feed fish`), with the old names
(`P!pet name`, `P!pet duel`) and the food emporium as a shortcut (`P!petfood`).

Cogs parse, call the service, render; refusals are `UserError`s answered in one line.
Adopting, releasing, training and food purchases of 5,000 chi or more ask for confirmation
first; the confirmed call re-checks everything (the price shown is the most it may cost).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.context import ChiContext
from chibot.discord.converters import parse_amount
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui import announce, member_name
from chibot.features.pets import views
from chibot.features.pets.errors import BadQty, UnknownFood, UnknownPet
from chibot.features.pets.service import MAX_BUY, PetsService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

CONFIRM_AT = 5_000  # chi: a food purchase this big asks first


def split_qty(text: str) -> tuple[str, int]:
    """`fish 5` / `fish 2k` -> ("fish", 5 / 2000); a name alone -> (name, 1)."""
    words = text.split()
    if len(words) > 1:
        last = parse_amount(words[-1])
        if last is not None:
            return " ".join(words[:-1]), last
        first = parse_amount(words[0])
        if first is not None:
            return " ".join(words[1:]), first
    return text, 1


class Pets(commands.Cog):
    """Pets: adopt, feed and train a companion; the pet-food shop."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.pets: PetsService = bot.app.pets

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*views.DYNAMIC_ITEMS)

    async def _species_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        text = current.strip().lower()
        return [
            app_commands.Choice(name=f"{s.name} ({s.price:,} chi)", value=s.name)
            for s in self.pets.content.species
            if text in s.name.lower()
        ]

    async def _food_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = self.pets.items.search(current, self.pets.foods())
        return [app_commands.Choice(name=i.name, value=i.name) for i in found]

    async def _pet_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        mine = await self.pets.pets(interaction.guild.id, interaction.user.id)
        text = current.strip().lower()
        return [
            app_commands.Choice(name=p.name, value=p.name)
            for p in mine
            if text in p.name.lower() or text in p.species.name.lower()
        ][:25]

    # --- the pet ----------------------------------------------------------------------------

    @hybrid_group(name="pet", fallback="show", invoke_without_command=True)
    @commands.guild_only()
    async def pet(self, ctx: ChiContext) -> None:
        """Your active pet: hunger, health, level, attacks (or the pet store)."""
        mine = await self.pets.pets(ctx.guild_id, ctx.author.id)
        if not mine:
            await ctx.send(
                "You have no pet yet: adopt one with `pet buy <species>`.",
                embed=views.store_embed(self.pets),
            )
            return
        pet = next((p for p in mine if p.active), mine[0])
        embed = views.pet_embed(pet, self.pets.content, member_name(ctx.server, ctx.author.id))
        await ctx.send(embed=embed, view=views.card_view(pet, ctx.author.id))

    @pet.command(name="store")
    @commands.guild_only()
    async def store(self, ctx: ChiContext) -> None:
        """The pet store: the five species, their price, HP, attacks and garden bonus."""
        await ctx.send(embed=views.store_embed(self.pets))

    @pet.command(name="buy", aliases=["adopt"])
    @commands.guild_only()
    @app_commands.describe(species="Dragon, Panda, Tiger, Snake or Ox")
    @app_commands.autocomplete(species=_species_autocomplete)
    async def buy(self, ctx: ChiContext, *, species: str) -> None:
        """Adopt a pet: its price in chi and 10 of its food (asks first)."""
        found = self.pets.species_of(species)
        food = self.pets.items.get(found.food)

        async def go(interaction: discord.Interaction) -> None:
            done = await self.pets.adopt(
                ctx.guild_id, ctx.author.id, found.key, max_price=found.price
            )
            active = " It is your active pet." if done.active else " `pet switch` makes it active."
            await interaction.followup.send(
                f"{found.emoji} Welcome home, **{found.name}**! You paid {done.price:,} chi and "
                f"{found.food_qty:,} × {food.name}; you have {done.balance:,} chi.{active}"
            )
            await announce(self.bot, interaction.followup, ctx.author, done.unlocked)

        await ctx.confirm(
            f"Adopt a {found.label} for **{found.price:,}** chi and "
            f"**{found.food_qty} {food.label}**?",
            action=go,
        )

    @pet.command(name="info")
    @commands.guild_only()
    @app_commands.describe(pet="One of your pets (default: the active one)")
    @app_commands.autocomplete(pet=_pet_autocomplete)
    async def info(self, ctx: ChiContext, *, pet: str | None = None) -> None:
        """A pet's card: hunger, health, level, training, attacks, garden bonus."""
        found = await self.pets.info(ctx.guild_id, ctx.author.id, pet)
        embed = views.pet_embed(found, self.pets.content, member_name(ctx.server, ctx.author.id))
        await ctx.send(embed=embed, view=views.card_view(found, ctx.author.id))

    @pet.command(name="list")
    @commands.guild_only()
    async def list_(self, ctx: ChiContext) -> None:
        """All your pets."""
        mine = await self.pets.pets(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.list_embed(mine, member_name(ctx.server, ctx.author.id)))

    @pet.command(name="switch")
    @commands.guild_only()
    @app_commands.describe(pet="The pet to make active")
    @app_commands.autocomplete(pet=_pet_autocomplete)
    async def switch(self, ctx: ChiContext, *, pet: str) -> None:
        """Make another of your pets the active one (it fights and helps new plantings)."""
        done = await self.pets.switch(ctx.guild_id, ctx.author.id, pet)
        await ctx.send(f"{done.label} is your active pet now.")

    @pet.command(name="rename", aliases=["name"])
    @commands.guild_only()
    @app_commands.describe(pet="Which pet", name="Its new name (2 to 24 characters)")
    @app_commands.autocomplete(pet=_pet_autocomplete)
    async def rename(self, ctx: ChiContext, pet: str, *, name: str | None = None) -> None:
        """Name a pet (`pet rename ox Sir Moo`; `pet name Sir Moo` names the active one)."""
        which: str | None = pet
        if name is None:  # the old `pet name <nickname>`: the active pet
            which, name = None, pet
        elif ctx.interaction is None:
            mine = await self.pets.pets(ctx.guild_id, ctx.author.id)
            known = {p.name.casefold() for p in mine} | {
                k for p in mine for k in (p.species.key, p.species.name.casefold())
            }
            if pet.casefold() not in known:  # `pet name Sir Moo`: all of it is the name
                which, name = None, f"{pet} {name}"
        done = await self.pets.rename(ctx.guild_id, ctx.author.id, which, name)
        await ctx.send(
            f"{done.species.emoji} Your {done.species.name} is now called **{done.name}**."
        )

    @pet.command(name="release")
    @commands.guild_only()
    @app_commands.describe(pet="The pet to let go (default: the active one)")
    @app_commands.autocomplete(pet=_pet_autocomplete)
    async def release(self, ctx: ChiContext, *, pet: str | None = None) -> None:
        """Let a pet go for good: nothing is refunded (asks first)."""
        found = await self.pets.info(ctx.guild_id, ctx.author.id, pet)

        async def go(interaction: discord.Interaction) -> None:
            done = await self.pets.release(
                ctx.guild_id, ctx.author.id, found.species.key, pet_id=found.pet_id
            )
            line = f"👋 {done.pet.label} has gone back to the wild."
            if done.now_active is not None:
                line += f" {done.now_active.label} is your active pet now."
            await interaction.followup.send(line)

        await ctx.confirm(
            f"Release {found.label} (level {found.level})? It goes for good, and **nothing is "
            "refunded**: not its price, its food or its training.",
            action=go,
        )

    # --- food -------------------------------------------------------------------------------

    @pet.command(name="shop")
    @shortcut("petfood")
    @commands.guild_only()
    @app_commands.describe(food="A food to buy (leave empty to see the shop)", qty="How many")
    @app_commands.autocomplete(food=_food_autocomplete)
    async def shop(
        self, ctx: ChiContext, *, food: str | None = None, qty: int | None = None
    ) -> None:
        """The pet-food shop; `pet shop buy <food> [qty]` buys."""
        text = (food or "").strip()
        if text.lower().startswith("buy"):
            text = text[3:].strip()
        if not text:
            held = await self.pets.food_held(ctx.guild_id, ctx.author.id)
            await ctx.send(embed=views.shop_embed(self.pets, held))
            return
        name, count = (text, qty) if qty is not None else split_qty(text)
        if count < 1 or count > MAX_BUY:
            raise BadQty(most=MAX_BUY)
        item = self.pets.check_buy(name, count)
        assert item.buy is not None
        total = item.buy.price * count

        async def go(interaction: discord.Interaction | None = None) -> None:
            done = await self.pets.buy_food(
                ctx.guild_id, ctx.author.id, name, count, max_total=total
            )
            line = (
                f"🍖 Bought {done.qty:,} × {done.item.name} for {done.total:,} chi: you hold "
                f"{done.held:,} and have {done.balance:,} chi."
            )
            if interaction is None:
                await ctx.send(line)
            else:
                await interaction.followup.send(line)

        if total < CONFIRM_AT:
            await go()
            return
        await ctx.confirm(f"Buy {count:,} × {item.name} for **{total:,}** chi?", action=go)

    @pet.command(name="feed")
    @commands.guild_only()
    @app_commands.describe(food="A pet food you hold", pet="Which pet (default: the active one)")
    @app_commands.autocomplete(food=_food_autocomplete, pet=_pet_autocomplete)
    async def feed(self, ctx: ChiContext, food: str, *, pet: str | None = None) -> None:
        """Feed a pet one food: it restores hunger and health, and is used up."""
        try:
            done = await self.pets.feed(ctx.guild_id, ctx.author.id, food, pet)
        except (UnknownFood, UnknownPet):
            if pet is None or ctx.interaction is not None:
                raise
            # `pet feed raw meat`: the whole text is the food
            done = await self.pets.feed(ctx.guild_id, ctx.author.id, f"{food} {pet}")
        await ctx.send(views.fed_text(done))

    # --- training and fights ----------------------------------------------------------------

    @pet.command(name="attacks")
    @commands.guild_only()
    async def attacks(self, ctx: ChiContext) -> None:
        """Your active pet's three attacks and what each does (or every pet's)."""
        mine = await self.pets.pets(ctx.guild_id, ctx.author.id)
        pet = next((p for p in mine if p.active), None)
        if pet is None:
            await ctx.send(embed=views.all_attacks_embed(self.pets))
            return
        await ctx.send(f"{pet.label}'s attacks:\n{views.attacks_text(pet)}\n-# {views.IN_A_FIGHT}")

    @pet.command(name="train")
    @commands.guild_only()
    @app_commands.describe(
        kind="heal, health, attack or special", pet="Which pet (default: active)"
    )
    @app_commands.choices(
        kind=[app_commands.Choice(name=k, value=k) for k in ("heal", "health", "attack", "special")]
    )
    async def train(
        self, ctx: ChiContext, kind: str | None = None, *, pet: str | None = None
    ) -> None:
        """Train a pet: a chi cost and a cooldown, each level capped (asks first)."""
        if kind is None:
            found = await self.pets.info(ctx.guild_id, ctx.author.id, pet)
            await ctx.send(views.train_menu(found, self.pets.content))
            return
        offer = await self.pets.train_offer(ctx.guild_id, ctx.author.id, kind, pet)

        async def go(interaction: discord.Interaction) -> None:
            done = await self.pets.train(
                ctx.guild_id, ctx.author.id, kind, offer.pet.species.key, max_cost=offer.cost
            )
            await interaction.followup.send(views.trained_text(done))
            await announce(self.bot, interaction.followup, ctx.author, done.unlocked)

        t = offer.training
        await ctx.confirm(
            f"Train **{offer.pet.name}**'s {t.name} to level {offer.current + 1}/{t.max_level} "
            f"(+{t.per_level_pct}%) for **{offer.cost:,}** chi?",
            action=go,
        )

    @pet.command(name="health")
    @commands.guild_only()
    @app_commands.describe(pet="Which pet (default: the active one)")
    @app_commands.autocomplete(pet=_pet_autocomplete)
    async def health(self, ctx: ChiContext, *, pet: str | None = None) -> None:
        """A pet's health and hunger."""
        found = await self.pets.info(ctx.guild_id, ctx.author.id, pet)
        c = found.condition
        t = self.pets.content.training("health")
        state = "fed" if c.fed else "starving: health falls until it is fed"
        await ctx.send(
            f"{found.label}: HP **{c.hp:,}/{c.max_hp:,}** · hunger {c.hunger}/100 ({state}) · "
            f"Health training {found.levels.health}/{t.max_level}"
        )

    @pet.command(name="attack", aliases=["duel"])
    @commands.guild_only()
    @app_commands.describe(code="A pet attack code, P1 to P15")
    async def attack(self, ctx: ChiContext, *, code: str = "") -> None:
        """Your pet attacks in your fight instead of you (then it rests a turn)."""
        combat = self.bot.get_cog("Combat")
        if combat is None:  # combat is off on this bot
            await ctx.send("There are no fights on this bot.")
            return
        await combat.pet_attack(ctx, code)  # type: ignore[attr-defined]


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Pets(bot))
