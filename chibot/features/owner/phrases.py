"""How the owners' refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import typed
from chibot.discord.wording import Phrase

PHRASES: dict[str, Phrase] = {
    "owner.bot_wide_server": lambda e: "Server 0 holds bot-wide records only.",
    "owner.unknown_item": lambda e: f"There is no item called `{typed(e.text)}`.",
    "owner.does_not_stack": lambda e: f"**{e.item}** doesn't stack: one at most.",
    "owner.remove_too_much": lambda e: f"They only have **{e.have:,}** {e.what}.",
    "owner.already_blacklisted": lambda e: "Already on the bot-wide blacklist.",
    "owner.not_blacklisted": lambda e: "Not on the bot-wide blacklist.",
}
