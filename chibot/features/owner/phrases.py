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
    "owner.not_in_server": lambda e: (
        f"I'm not in server `{e.guild_id}`" + (" any more (I left it)." if e.left else ".")
    ),
    "owner.no_record": lambda e: (
        f"`{e.user_id}` has no record in server `{e.guild_id}` and isn't a member there that "
        "I can see: nothing changed."
    ),
    "owner.not_a_server_id": lambda e: (
        f"`{typed(e.text)}` is not a server id (1 to 19 digits) or the name of a server I'm in."
    ),
    "owner.no_server_called": lambda e: (
        f"No single server is called `{typed(e.text)}`; use its id."
    ),
    "owner.not_a_user_id": lambda e: f"`{typed(e.text)}` is not a user id or mention.",
    "owner.cannot_blacklist_owner": lambda e: "Owners can't be blacklisted.",
    "owner.cannot_blacklist_bot": lambda e: (
        "Bots can't be blacklisted: they use no commands and earn nothing."
    ),
    "owner.reason_too_long": lambda e: (
        f"A reason is at most {e.most} characters (this one has {e.length:,}). Shorten it."
    ),
}
