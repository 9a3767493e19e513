"""Pure rules of administration: turning what an admin types into a setting's value, and who
and what may go on the server's lists (the blacklist, the extra chat words)."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from chibot.core.errors import UnknownSetting
from chibot.features.admin.errors import (
    CannotBlacklistBot,
    CannotBlacklistOwner,
    CannotBlacklistSelf,
    NotChannelOrRole,
    NotWholeNumber,
    NotYesNo,
    ReasonTooLong,
    UnknownWordList,
    WordAlreadyListed,
    WordNotListed,
    WordOnOtherList,
)

MAX_ID = 2**63 - 1  # a Discord id, and the largest the database's BIGINT holds
REASON_MAX = 200  # the blacklist's reason column
_ID = re.compile(r"^(?:<[#@]&?!?)?([0-9]{15,20})>?$")
_WHOLE = re.compile(r"^[+-]?[0-9]+$")
# One pair of matching quotes around a value is the quoting, not the value: straight, curly
# (English and German opening), and guillemets.
_QUOTES = (
    ('"', '"'),
    ("'", "'"),
    ("“", "”"),
    ("‘", "’"),
    ("”", "”"),
    ("’", "’"),
    ("„", "“"),
    ("«", "»"),
)
_WORD_LISTS = {
    "positive": "extra_positive_words",
    "negative": "extra_negative_words",
    "removed": "removed_words",
}


def _base_type(model: type[BaseModel], key: str) -> Any:
    annotation = model.model_fields[key].annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def parse_value(model: type[BaseModel], key: str, text: str) -> Any:
    """The value of setting `key` of the settings `model` written as `text`: numbers, yes/no,
    a channel or role mention or id, comma-separated word lists; `none` clears an optional
    setting. (The model is a plain description of the keys here: nothing is read or stored.)"""
    if key not in model.model_fields:
        raise UnknownSetting(key)
    text = unquote(text)
    kind = _base_type(model, key)
    clears = text.lower() in ("none", "null", "off", "unset")
    if clears and kind is not bool and model.model_fields[key].default is None:
        return None
    if kind is bool:
        lowered = text.lower()
        if lowered in ("yes", "on", "true", "1", "enable", "enabled"):
            return True
        if lowered in ("no", "off", "false", "0", "disable", "disabled"):
            return False
        raise NotYesNo(key=key)
    if kind is int:
        if key.endswith("_id"):
            match = _ID.match(text)
            if not match or not 0 < int(match.group(1)) <= MAX_ID:
                raise NotChannelOrRole(key=key)
            return int(match.group(1))
        cleaned = text.replace(",", "").replace("_", "")
        if not _WHOLE.match(cleaned) or len(cleaned) > 30:
            raise NotWholeNumber(key=key)
        return int(cleaned)
    if typing.get_origin(kind) is list:
        return [w for w in re.split(r"[,\s]+", text) if w]
    return text


def unquote(text: str) -> str:
    """`text` without surrounding blanks and one pair of matching quotes around it (`"?"` is
    `?`); the blanks inside the quotes are kept (`" "` is a blank, which a setting may refuse)."""
    text = text.strip()
    for opening, closing in _QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[1:-1]
    return text


def word_list_key(which: str) -> str:
    try:
        return _WORD_LISTS[which.lower()]
    except KeyError:
        raise UnknownWordList(text=which) from None


def with_word(current: list[str], word: str, *, add: bool) -> list[str]:
    word = unquote(word).strip().lower()
    if add:
        if word in current:
            raise WordAlreadyListed(word=word)
        return [*current, word]
    if word not in current:
        raise WordNotListed(word=word)
    return [w for w in current if w != word]


@dataclass(frozen=True, slots=True)
class WordLists:
    """The words a server's chat knows: the content's (built in) and the server's extras."""

    builtin_positive: frozenset[str] = frozenset()
    builtin_negative: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset()
    extra_positive: frozenset[str] = frozenset()
    extra_negative: frozenset[str] = frozenset()


_WANTED = {"extra_positive_words": "positive", "extra_negative_words": "negative"}


def check_word_fits(key: str, word: str, lists: WordLists) -> None:
    """A word added to the extra positive or negative words must be on no other list: the
    positive, negative and secret words are disjoint (secret -> positive -> negative would
    otherwise decide silently which one counts). The removed words may name any word."""
    wanted = _WANTED.get(key)
    if wanted is None:
        return
    word = word.strip().lower()
    other_builtin, other_extra = (
        (lists.builtin_negative, lists.extra_negative)
        if wanted == "positive"
        else (lists.builtin_positive, lists.extra_positive)
    )
    other = "negative" if wanted == "positive" else "positive"
    if word in lists.secret:
        raise WordOnOtherList(word=word, other="secret", wanted=wanted, builtin=True)
    if word in other_builtin:
        raise WordOnOtherList(word=word, other=other, wanted=wanted, builtin=True)
    if word in other_extra:
        raise WordOnOtherList(word=word, other=other, wanted=wanted, builtin=False)


def check_blacklist_target(
    user_id: int, *, by: int, owners: Collection[int] = (), is_bot: bool = False
) -> None:
    """Who an admin may blacklist: not themselves (they would lock themselves out), not a bot
    owner, not a bot (the bot itself included: bots use no commands)."""
    if user_id == by:
        raise CannotBlacklistSelf()
    if user_id in owners:
        raise CannotBlacklistOwner()
    if is_bot:
        raise CannotBlacklistBot()


def blacklist_reason(reason: str | None, most: int = REASON_MAX) -> str | None:
    """The reason as stored (one line of text, blanks trimmed; None when empty); longer than
    the column holds is refused rather than cut."""
    if reason is None:
        return None
    cleaned = " ".join(reason.split())
    if len(cleaned) > most:
        raise ReasonTooLong(most=most, length=len(cleaned))
    return cleaned or None
