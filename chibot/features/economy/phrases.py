"""How the economy's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from typing import Any

from chibot.discord.wording import Phrase


def _rebirth_refused(e: Any) -> str:
    text = (
        f"A rebirth costs **{e.threshold:,}** chi and you have **{e.chi:,}**: "
        f"**{e.missing:,}** chi missing."
    )
    if e.chi < 0:
        text += " A negative balance can never be reborn."
    return text


PHRASES: dict[str, Phrase] = {
    "economy.rebirth_refused": _rebirth_refused,
    "economy.threshold_changed": lambda e: (
        f"This server's rebirth threshold has just changed to **{e.threshold:,}** chi. "
        "Nothing was spent: run `rebirth` again to see the new offer."
    ),
    "economy.unknown_board": lambda e: "Leaderboards: `chi` or `rebirths`.",
    "economy.daily_off": lambda e: "Daily rewards are switched off in this server.",
    "economy.give_to_self": lambda e: "You can't give to yourself.",
    "economy.give_to_bot": lambda e: "Bots don't need chi.",
    "economy.cannot_receive": lambda e: "That member can't receive chi.",
    "economy.remove_too_much": lambda e: f"They only have **{e.have:,}** {e.noun}.",
}
