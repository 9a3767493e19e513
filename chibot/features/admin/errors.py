"""Administration's refusals: a code and the fields that describe the situation (the setting,
the word), worded for Discord by `phrases.py`. Raising one rolls the transaction back."""

from __future__ import annotations

from chibot.core.errors import NotFound, UserError


class NotYesNo(UserError):
    """A yes/no setting given something else (`key` is a known setting)."""

    code = "admin.not_yes_no"
    key: str
    plain = "{key} is yes or no."


class NotChannelOrRole(UserError):
    code = "admin.not_channel_or_role"
    key: str
    plain = "{key} takes a channel or role (mention or id), or none."


class NotWholeNumber(UserError):
    code = "admin.not_whole_number"
    key: str
    plain = "{key} is a whole number."


class UnknownWordList(NotFound):
    """`text` is what was typed instead of positive, negative or removed."""

    code = "admin.unknown_word_list"
    text: str
    plain = "Word lists: positive, negative or removed."


class WordAlreadyListed(UserError):
    code = "admin.word_already_listed"
    word: str
    plain = "{word} is already on that list."


class WordNotListed(UserError):
    code = "admin.word_not_listed"
    word: str
    plain = "{word} is not on that list."


class AlreadyBlacklisted(UserError):
    code = "admin.already_blacklisted"
    plain = "They are already blacklisted here."


class NotBlacklisted(UserError):
    code = "admin.not_blacklisted"
    plain = "They are not blacklisted here."


class CannotBlacklistSelf(UserError):
    code = "admin.cannot_blacklist_self"
    plain = "You can't blacklist yourself."


class CannotBlacklistOwner(UserError):
    code = "admin.cannot_blacklist_owner"
    plain = "The bot's owners can't be blacklisted."


class CannotBlacklistBot(UserError):
    """The bot itself or another bot: bots run no commands and earn nothing anyway."""

    code = "admin.cannot_blacklist_bot"
    plain = "Bots can't be blacklisted: they use no commands and earn nothing."


class ReasonTooLong(UserError):
    code = "admin.reason_too_long"
    most: int
    length: int
    plain = "A reason is at most {most} characters (this one has {length})."


class WordOnOtherList(UserError):
    """A word added to one list that the rules keep on another: `other` is positive, negative
    or secret; `builtin` when the content lists it (not the server's extras)."""

    code = "admin.word_on_other_list"
    word: str
    other: str
    wanted: str
    builtin: bool
    plain = "{word} is a {other} word: it can't be a {wanted} word too."
