"""The owners' refusals: a code and the fields that describe the situation (the item, the
amounts), worded for Discord by `phrases.py`. Raising one rolls the transaction back."""

from __future__ import annotations

from chibot.core.errors import InvalidAmount, NotFound, UserError


class BotWideServer(UserError):
    """Server 0 was named where a real server is needed."""

    code = "owner.bot_wide_server"
    plain = "Server 0 holds bot-wide records only."


class UnknownItem(NotFound):
    """`text` is what the owner typed."""

    code = "owner.unknown_item"
    text: str | None
    plain = "There is no item called {text}."


class DoesNotStack(InvalidAmount):
    code = "owner.does_not_stack"
    item: str
    plain = "{item} doesn't stack: one at most."


class RemoveTooMuch(InvalidAmount):
    """A removal above what the member holds (`what`: chi or rebirths)."""

    code = "owner.remove_too_much"
    have: int
    what: str
    plain = "They only have {have:,} {what}."


class AlreadyBlacklisted(UserError):
    code = "owner.already_blacklisted"
    plain = "Already on the bot-wide blacklist."


class NotBlacklisted(UserError):
    code = "owner.not_blacklisted"
    plain = "Not on the bot-wide blacklist."
