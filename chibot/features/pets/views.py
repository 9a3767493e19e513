"""How pets look on Discord: the pet card, the store, the pet list, the attacks, the food
shop, and the card's buttons (Feed / Train / Switch).

The buttons are restart-proof (`ui.DynamicItem`: the owner and the pet are sealed in the
custom id) and owner-only; the service decides. Feed feeds the cheapest food the member holds
(or says what to buy); Train shows the four trainings with their next cost; Switch makes the
card's pet the active one (on the active pet's card: the next pet, in adoption order).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from chibot.core.items import Item
from chibot.discord import ui
from chibot.discord.ui import Palette
from chibot.discord.ui import timestamp as ts
from chibot.features.pets import rules
from chibot.features.pets.content import TRAIN_KINDS, PetsFile, Species
from chibot.features.pets.service import Fed, PetView, Trained

if TYPE_CHECKING:
    from chibot.features.pets.service import PetsService

COLOR = Palette.GREEN


def _bar(value: int, top: int) -> str:
    filled = round(10 * value / top) if top else 0
    return "▰" * filled + "▱" * (10 - filled)


def effect_text(chance: int, text: str) -> str:
    return text if chance in (0, 100) else f"{text} (now {chance}%)"


def pet_embed(pet: PetView, content: PetsFile, owner: str) -> discord.Embed:
    s, cond = pet.species, pet.condition
    title = f"{s.emoji} {pet.name}" + (f" the {s.name}" if pet.row.nickname else "")
    embed = discord.Embed(title=f"{title} · {owner}", color=COLOR)
    state = "fed" if cond.fed else "**starving**: it cannot fight and gives no garden bonus"
    hungry = f" · hungry {ts(cond.hungry_at)}" if cond.fed else " · `pet feed <food>`"
    embed.description = (
        f"Level **{pet.level}**{' · active' if pet.active else ''}\n"
        f"Hunger {_bar(cond.hunger, 100)} **{cond.hunger}/100** ({state}){hungry}\n"
        f"Health {_bar(cond.hp, cond.max_hp)} **{cond.hp:,}/{cond.max_hp:,}**"
    )
    lv = pet.levels
    trained = " · ".join(
        f"{content.training(k).name} {lv.of(k)}/{content.training(k).max_level}"
        for k in TRAIN_KINDS
    )
    embed.add_field(name="Training", value=trained, inline=False)
    embed.add_field(name="Attacks", value=attacks_text(pet), inline=False)
    g = s.garden
    embed.add_field(
        name="Garden bonus (at planting, while fed)",
        value=f"+{g.yield_pct}% yield · {g.growth_pct}% faster · +{g.rare_pct}% rare drops",
        inline=False,
    )
    embed.set_footer(text="pet feed · pet train · pet switch · pet list · pet shop")
    return embed


IN_A_FIGHT = (
    "In a fight, `pet attack P#` (or its button) sends your pet instead of your own attack; "
    "then it rests a turn. A wounded pet hits with its health share (at least half); a "
    "starving one won't fight."
)


def attacks_text(pet: PetView) -> str:
    lines = []
    for a in pet.attacks:
        dmg = f"{a.min}–{a.max}" if a.max else "no damage"
        lines.append(
            f"`{a.code}` **{a.attack.name}** {dmg}: {effect_text(a.chance, a.attack.text)}"
        )
    return "\n".join(lines)


def species_line(s: Species, food: Item) -> str:
    g = s.garden
    return (
        f"HP {s.hp:,} · **{s.price:,}** chi + {s.food_qty} {food.label}\n"
        f"Garden: +{g.yield_pct}% yield, {g.growth_pct}% faster, +{g.rare_pct}% rare drops\n"
        + " · ".join(f"`{a.code}` {a.name}" for a in s.attacks)
    )


def store_embed(pets: PetsService) -> discord.Embed:
    embed = discord.Embed(title="🐾 Pet store", color=COLOR)
    embed.description = (
        "Adopt with `pet buy <species>`: chi and the species' food (from `pet shop`). "
        "One of each kind; only your active, fed pet helps your garden."
    )
    for s in pets.content.species:
        embed.add_field(
            name=f"{s.label} (tier {s.tier})",
            value=species_line(s, pets.items.get(s.food)),
            inline=False,
        )
    return embed


def all_attacks_embed(pets: PetsService) -> discord.Embed:
    embed = discord.Embed(title="🐾 Pet attacks", color=Palette.RED)
    for s in pets.content.species:
        embed.add_field(
            name=s.label,
            value="\n".join(
                f"`{a.code}` **{a.name}** {a.min}–{a.max}: {a.text}" for a in s.attacks
            ),
            inline=False,
        )
    embed.description = IN_A_FIGHT
    embed.set_footer(
        text="Trained attack adds damage; trained special adds to the effects' chance."
    )
    return embed


def list_embed(pets: list[PetView], owner: str) -> discord.Embed:
    embed = discord.Embed(title=f"🐾 {owner}'s pets", color=COLOR)
    lines = []
    for p in pets:
        c = p.condition
        lines.append(
            f"{p.label} · level {p.level} · hunger {c.hunger}/100 · HP {c.hp:,}/{c.max_hp:,}"
            + (" · **active**" if p.active else "")
            + ("" if c.fed else " · starving")
        )
    embed.description = "\n".join(lines) or "No pets yet: `pet store`."
    return embed


def shop_embed(pets: PetsService, held: dict[str, int]) -> discord.Embed:
    embed = discord.Embed(title="🍖 Pet-food shop", color=Palette.GOLD)
    lines = []
    for item in pets.foods():
        e = item.effect("pet_food")
        assert item.buy is not None and e is not None
        owned = f" · you have {held[item.id]:,}" if held.get(item.id) else ""
        lines.append(
            f"`{item.buy.code}` {item.label} **{item.buy.price:,}** chi · "
            f"+{e.hunger} hunger, +{e.heal} HP{owned}"
        )
    embed.description = "\n".join(lines) + "\n\n`pet shop buy <food> [qty]` · `pet feed <food>`"
    return embed


def fed_text(done: Fed) -> str:
    c = done.pet.condition
    return (
        f"{done.food.label} for **{done.pet.name}**: hunger {done.hunger_before} → {c.hunger}, "
        f"HP {done.hp_before:,} → {c.hp:,}/{c.max_hp:,}. You have {done.left:,} left."
    )


def trained_text(done: Trained) -> str:
    return (
        f"💪 **{done.pet.name}**'s {done.training.name} is now level {done.level}/"
        f"{done.training.max_level} (pet level {done.pet.level}) for {done.cost:,} chi; "
        f"you have {done.balance:,}. Next {done.training.name.lower()} training {ts(done.ready_at)}."
    )


def train_menu(pet: PetView, content: PetsFile) -> str:
    lines = [f"💪 Train **{pet.name}** (`pet train <kind>`):"]
    for kind in TRAIN_KINDS:
        t = content.training(kind)
        level = pet.levels.of(kind)
        cost = (
            f"{rules.train_cost(t, level):,} chi" if rules.may_train(t, level) else "highest level"
        )
        lines.append(
            f"`{kind}` {t.name} {level}/{t.max_level} · +{t.per_level_pct}% a level · {cost}"
        )
    return "\n".join(lines)


# --- the card's buttons ---------------------------------------------------------------------


class PetButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pet:(?P<what>feed|train|switch):(?P<user>\d{1,20}):(?P<pet>\d{1,20})",
):
    LABELS: ClassVar[dict[str, str]] = {
        "feed": "🍖 Feed",
        "train": "💪 Train",
        "switch": "🔁 Switch",
    }
    not_owner = "This is someone else's pet: `pet` shows yours."

    def __init__(self, what: str, user_id: int, pet_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[what],
                style=discord.ButtonStyle.success
                if what == "feed"
                else discord.ButtonStyle.secondary,
                custom_id=f"pet:{what}:{user_id}:{pet_id}",
            )
        )
        self.what, self.owner_id, self.pet_id = what, user_id, pet_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PetButton:
        return cls(match["what"], int(match["user"]), int(match["pet"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        pets: PetsService = interaction.client.app.pets  # type: ignore[attr-defined]
        guild, user = interaction.guild.id, interaction.user.id
        mine = {p.pet_id: p for p in await pets.pets(guild, user)}
        pet = mine.get(self.pet_id)
        if pet is None:
            await interaction.response.send_message(
                "That pet isn't yours any more: `pet list`.", ephemeral=True
            )
            return
        key = pet.species.key
        if self.what == "feed":
            held = await pets.food_held(guild, user)
            if not held:
                await interaction.response.send_message(
                    embed=shop_embed(pets, held), ephemeral=True
                )
                return
            cheapest = min(held, key=lambda f: pets.items.get(f).buy.price)  # type: ignore[union-attr]
            done = await pets.feed(guild, user, cheapest, key)
            await interaction.response.send_message(fed_text(done))
        elif self.what == "train":
            await interaction.response.send_message(train_menu(pet, pets.content), ephemeral=True)
        else:
            order = list(mine.values())
            if pet.active:  # on the active pet's card: the next pet in adoption order
                if len(order) == 1:
                    await interaction.response.send_message(
                        f"{pet.label} is your only pet: `pet store` adopts another.",
                        ephemeral=True,
                    )
                    return
                key = order[(order.index(pet) + 1) % len(order)].species.key
            switched = await pets.switch(guild, user, key)
            await interaction.response.send_message(f"{switched.label} is your active pet now.")


def card_view(pet: PetView, user_id: int) -> ui.View:
    view = ui.View()
    for what in ("feed", "train", "switch"):
        view.add_item(PetButton(what, user_id, pet.pet_id))
    return view


DYNAMIC_ITEMS = (PetButton,)
