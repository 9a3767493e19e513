"""Pure rules of administration: turning what an admin types into a setting's value."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from chibot.core.errors import UnknownSetting
from chibot.features.admin.errors import (
    NotChannelOrRole,
    NotWholeNumber,
    NotYesNo,
    UnknownWordList,
    WordAlreadyListed,
    WordNotListed,
)

_ID = re.compile(r"^(?:<[#@]&?!?)?(\d{15,21})>?$")
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
    text = text.strip()
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
            if not match:
                raise NotChannelOrRole(key=key)
            return int(match.group(1))
        cleaned = text.replace(",", "").replace("_", "")
        if not cleaned.lstrip("-").isdigit():
            raise NotWholeNumber(key=key)
        return int(cleaned)
    if typing.get_origin(kind) is list:
        return [w for w in re.split(r"[,\s]+", text) if w]
    return text


def word_list_key(which: str) -> str:
    try:
        return _WORD_LISTS[which.lower()]
    except KeyError:
        raise UnknownWordList(text=which) from None


def with_word(current: list[str], word: str, *, add: bool) -> list[str]:
    word = word.strip().lower()
    if add:
        if word in current:
            raise WordAlreadyListed(word=word)
        return [*current, word]
    if word not in current:
        raise WordNotListed(word=word)
    return [w for w in current if w != word]
