"""How pets' refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import typed
from chibot.discord.wording import Phrase

NAME_WHY = {
    "lines": "one line only",
    "short": "at least 2 characters",
    "long": "at most 24 characters",
    "invisible": "no invisible characters",
    "markup": "no @, #, <, >, *, _, ~, `, |, brackets or colons",
    "link": "no links",
    "letters": "at least one letter or digit",
}

PHRASES: dict[str, Phrase] = {
    "pets.off": lambda e: "Pets are switched off in this server.",
    "pets.no_pets": lambda e: "You have no pet yet: `pet store` shows who is waiting for you.",
    "pets.unknown_species": lambda e: (
        f"There is no pet called **{typed(e.text)}**. `pet store` lists them."
    ),
    "pets.already_own": lambda e: f"You already have a **{e.species}**: one of each kind.",
    "pets.they_own": lambda e: f"They already have a **{e.species}**: one of each kind.",
    "pets.no_adoption_food": lambda e: (
        f"Adopting a **{e.species}** takes {e.need} **{e.food}**; you have {e.have}: "
        f"`pet shop buy {e.food} {e.short}`."
    ),
    "pets.unknown_pet": lambda e: (
        f"You have no pet called **{typed(e.text)}**. `pet list` shows yours."
    ),
    "pets.unknown_food": lambda e: (
        f"There is no pet food called **{typed(e.text)}**. `pet shop` lists them."
    ),
    "pets.no_food": lambda e: f"You have no **{e.food}**: `pet shop buy {e.food}`.",
    "pets.not_hungry": lambda e: f"**{e.pet}** is full and healthy: the food would be wasted.",
    "pets.starving": lambda e: f"**{e.pet}** is too hungry to {e.what}: `pet feed <food>` first.",
    "pets.top_level": lambda e: f"**{e.pet}**'s {e.training} is at its highest level, {e.most}.",
    "pets.bad_name": lambda e: f"A pet's name needs {NAME_WHY.get(e.why, e.why)}.",
    "pets.bad_qty": lambda e: f"From 1 to {e.most:,} at a time.",
    "pets.offer_changed": lambda e: "That changed since it was shown to you: look again.",
    "pets.unknown_training": lambda e: "Train `heal`, `health`, `attack` or `special`.",
}
