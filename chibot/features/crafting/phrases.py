"""How crafting's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import or_list, timestamp, typed
from chibot.discord.wording import Phrase

PHRASES: dict[str, Phrase] = {
    "crafting.off": lambda e: "Crafting is switched off in this server.",
    "crafting.unknown": lambda e: (
        f"There is no recipe called **{typed(e.text)}**. `craft` lists them."
    ),
    "crafting.ambiguous": lambda e: (
        f"**{typed(e.text)}** could be {or_list(e.choices)}: which one?"
    ),
    "crafting.arrives_with": lambda e: (
        f"**{e.recipe}** can't be crafted yet: it arrives with {e.system}."
    ),
    "crafting.missing": lambda e: (
        f"You don't have what **{e.recipe}** needs: "
        + ", ".join(f"{name} **{have:,}**/{need:,}" for name, have, need in e.missing[:10])
        + "."
    ),
    "crafting.slots_full": lambda e: (
        f"You have **{e.slots}** crafts in progress, the most at once: "
        "`craft collect` when one is ready."
    ),
    "crafting.already_own": lambda e: f"You already own **{e.item}**: one is enough.",
    "crafting.already_crafting": lambda e: f"You are already crafting **{e.item}**: one is enough.",
    "crafting.nothing_to_collect": lambda e: (
        "You have no craft in progress: `craft` lists what you can make."
    ),
    "crafting.nothing_ready": lambda e: (
        f"No craft is finished yet: the next is ready {timestamp(e.next_at)}."
    ),
}
