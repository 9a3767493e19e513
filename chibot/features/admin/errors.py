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
