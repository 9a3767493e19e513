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


class NotInServer(UserError):
    """A server the bot is not in: never joined (no record) or left (`left` is True)."""

    code = "owner.not_in_server"
    guild_id: int
    left: bool
    plain = "I'm not in server {guild_id}."


class NoRecord(UserError):
    """A user who has no record in that server and isn't a member the bot can see there."""

    code = "owner.no_record"
    user_id: int
    guild_id: int
    plain = "{user_id} has no record in server {guild_id} and isn't a member there."


class NotAServerId(UserError):
    code = "owner.not_a_server_id"
    text: str
    plain = "{text} is not a server id (1 to 19 digits) or the name of a server I'm in."


class NotAUserId(UserError):
    code = "owner.not_a_user_id"
    text: str
    plain = "{text} is not a user id or mention."


class CannotBlacklistOwner(UserError):
    code = "owner.cannot_blacklist_owner"
    plain = "Owners can't be blacklisted."


class CannotBlacklistBot(UserError):
    code = "owner.cannot_blacklist_bot"
    plain = "Bots can't be blacklisted: they use no commands and earn nothing."


class ReasonTooLong(UserError):
    code = "owner.reason_too_long"
    most: int
    length: int
    plain = "A reason is at most {most} characters (this one has {length})."


class NoServerCalled(NotFound):
    code = "owner.no_server_called"
    text: str
    plain = "No single server is called {text}; use its id."
