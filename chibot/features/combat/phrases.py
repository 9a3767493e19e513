"""How combat's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import typed
from chibot.discord.wording import Phrase

PHRASES: dict[str, Phrase] = {
    "combat.unknown_weapon": lambda e: (
        f"There is no weapon called **{typed(e.text)}**. `weapons` lists them."
    ),
    "combat.not_a_weapon": lambda e: f"**{e.item}** is not a weapon: `weapons` lists them.",
    "combat.weapon_not_held": lambda e: (
        f"You don't have a **{e.item}**: it is sold in the chi shop (`buy {e.code}`)."
    ),
    "combat.weapon_in_chest": lambda e: (
        f"Your **{e.item}** is in your chest: `chest take {e.item}` first."
    ),
}
