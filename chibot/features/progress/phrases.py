"""How progress's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from typing import Any

from chibot.discord.wording import Phrase


def _quoted(text: str) -> str:
    """What a member typed, inside inline code: backticks can't close it early."""
    return " ".join(text.replace("`", "'").split())[:40]


def _not_held(e: Any) -> str:
    if e.in_chest:
        return f"Your **{e.item}** is in your chest: take it out to upgrade it."
    return f"You don't have a **{e.item}** in your inventory."


def _nothing_to_claim(e: Any) -> str:
    if e.next_name is None:
        return "Nothing to claim: you have claimed every milestone."
    return f"Nothing to claim yet: **{e.next_name}** needs {e.to_go:,} more lifetime chi."


PHRASES: dict[str, Phrase] = {
    "progress.unknown_item": lambda e: f"I don't know an item called `{_quoted(e.text)}`.",
    "progress.not_upgradable": lambda e: f"**{e.item}** can't be upgraded.",
    "progress.not_held": _not_held,
    "progress.fully_upgraded": lambda e: (
        f"Your **{e.item}** is fully upgraded (level {e.max_level}/{e.max_level})."
    ),
    "progress.upgrade_conflict": lambda e: (
        f"Your **{e.item}** was just upgraded by another command; nothing was charged. Try again."
    ),
    "progress.upgrade_too_expensive": lambda e: (
        f"Upgrading **{e.item}** to level {e.level} costs **{e.needed:,}** chi; you have **{e.have:,}**."
    ),
    "progress.nothing_to_claim": _nothing_to_claim,
    "progress.unknown_category": lambda e: (
        f"No category `{_quoted(e.text)}`. Categories: {', '.join(f'`{c}`' for c in e.categories)}."
    ),
}
