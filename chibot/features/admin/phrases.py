"""How administration's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import typed
from chibot.discord.wording import Phrase

PHRASES: dict[str, Phrase] = {
    "admin.not_yes_no": lambda e: f"`{e.key}` is yes or no.",
    "admin.not_channel_or_role": lambda e: (
        f"`{e.key}` takes a channel or role (mention or id), or `none`."
    ),
    "admin.not_whole_number": lambda e: f"`{e.key}` is a whole number.",
    "admin.unknown_word_list": lambda e: "Word lists: `positive`, `negative` or `removed`.",
    "admin.word_already_listed": lambda e: f"`{typed(e.word)}` is already on that list.",
    "admin.word_not_listed": lambda e: f"`{typed(e.word)}` is not on that list.",
    "admin.already_blacklisted": lambda e: "They are already blacklisted here.",
    "admin.not_blacklisted": lambda e: "They are not blacklisted here.",
    "admin.cannot_blacklist_self": lambda e: "You can't blacklist yourself.",
    "admin.cannot_blacklist_owner": lambda e: "The bot's owners can't be blacklisted.",
    "admin.cannot_blacklist_bot": lambda e: (
        "Bots can't be blacklisted: they use no commands and earn nothing."
    ),
    "admin.reason_too_long": lambda e: (
        f"A reason is at most {e.most} characters (this one has {e.length:,}). Shorten it."
    ),
    "admin.word_on_other_list": lambda e: (
        f"`{typed(e.word)}` is a {e.other} word: it can't be a {e.wanted} word too. "
        + (
            f"It comes with the game; `config words add removed {typed(e.word)}` makes it "
            "count for nothing."
            if e.builtin
            else f"Take it off first: `config words remove {e.other} {typed(e.word)}`."
        )
    ),
}
