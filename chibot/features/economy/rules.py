"""Pure rules of the chi economy: no Discord, no database, the clock and the dice passed in.

Chat chi: the word book (`word_book`: the catalog's lists, plus the server's extras, minus
its removals) and the old word-only judge (`judge_words`), which the bot no longer uses to pay:
`judge.py` judges the whole message (VADER reading the lists in context). `judge_words` stays
as the baseline `chibot bench judge` compares against. The old judge, from the old bot:
- one award per message, checked in the order secret -> positive -> negative;
- a secret word pays on its own; a positive or negative word counts only if the message also
  holds an ordinary word (one on no list): "magnificent" alone earns nothing, "that was
  magnificent" does;
- a message with a positive and a negative word is positive;
- mentions, custom emoji, channel links and URLs are not words (so "<@123> magnificent" is
  not a sentence);
- the server's extra words are added to the lists and its removed words count for nothing
  (not even as ordinary words).
The fault it had (finding 12): one listed word decided, so "I need to take out the trash"
cost chi.

Rebirth: exactly the server's threshold of chi becomes ONE rebirth, and only a balance at or
above the threshold can do it (the old bot also turned a debt of -500,000 into a rebirth).

Daily streak: the number of consecutive UTC days on which `daily` was claimed; a missed day
starts it again at 1. Days are counted from the Unix epoch (`utc_day`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from chibot.core.clock import next_utc_midnight
from chibot.core.rng import Rng
from chibot.features.economy.content import WordsFile


class WordSettings(Protocol):
    """The settings `word_book` reads (plain values: any object with these attributes)."""

    @property
    def removed_words(self) -> Sequence[str]: ...
    @property
    def extra_positive_words(self) -> Sequence[str]: ...
    @property
    def extra_negative_words(self) -> Sequence[str]: ...


class AmountSettings(Protocol):
    """The settings `roll` reads."""

    @property
    def chat_positive_min(self) -> int: ...
    @property
    def chat_positive_max(self) -> int: ...
    @property
    def chat_negative_min(self) -> int: ...
    @property
    def chat_negative_max(self) -> int: ...


_MARKUP = re.compile(r"<[@#:a]?[!&]?[^<>\s]*>|https?://\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class Kind(StrEnum):
    SECRET = "secret"
    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class WordBook:
    """A server's effective word lists: the catalog's, plus its extras, minus its removals."""

    positive: frozenset[str]
    negative: frozenset[str]
    secret: dict[str, tuple[int, int]]
    ignored: frozenset[str]

    def is_listed(self, word: str) -> bool:
        return word in self.positive or word in self.negative or word in self.ignored


def word_book(words: WordsFile, settings: WordSettings) -> WordBook:
    removed = frozenset(settings.removed_words)
    negative = (set(words.negative) | set(settings.extra_negative_words)) - removed
    positive = (set(words.positive) | set(settings.extra_positive_words)) - removed - negative
    secret = {s.word: (s.min, s.max) for s in words.secret if s.word not in removed}
    return WordBook(frozenset(positive), frozenset(negative), secret, removed)


def without_markup(text: str) -> str:
    """The message without mentions, custom emoji and links (each becomes a space)."""
    return _MARKUP.sub(" ", text)


def tokenize(text: str) -> list[str]:
    """Lower-case words of a message, without mentions, custom emoji and links."""
    return _WORD.findall(_MARKUP.sub(" ", text).lower())


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: Kind
    word: str


def judge_words(text: str, book: WordBook) -> Verdict | None:
    """The old word-only judge (the module docstring): a kind and the word that made it."""
    tokens = tokenize(text)
    if not tokens:
        return None
    for token in tokens:
        if token in book.secret:
            return Verdict(Kind.SECRET, token)
    has_ordinary = any(not book.is_listed(t) and t not in book.secret for t in tokens)
    if not has_ordinary:
        return None
    for token in tokens:
        if token in book.positive:
            return Verdict(Kind.POSITIVE, token)
    for token in tokens:
        if token in book.negative:
            return Verdict(Kind.NEGATIVE, token)
    return None


def roll(verdict: Verdict, book: WordBook, settings: AmountSettings, rng: Rng) -> int:
    """The signed chi change for a verdict: positive for secret/positive, negative otherwise.
    Zero means "nothing happens" (a server may set an amount range to 0)."""
    if verdict.kind is Kind.SECRET:
        low, high = book.secret[verdict.word]
        return rng.randint(low, high)
    if verdict.kind is Kind.POSITIVE:
        return rng.randint(settings.chat_positive_min, settings.chat_positive_max)
    return -rng.randint(settings.chat_negative_min, settings.chat_negative_max)


# --- daily, paging, amounts ---------------------------------------------------------------


def daily_ready_at(now: datetime) -> datetime:
    """`daily` is once per UTC day: the next claim opens at the next UTC midnight."""
    return next_utc_midnight(now)


_EPOCH_DAY = date(1970, 1, 1)


def utc_day(now: datetime) -> int:
    """The UTC day of `now`, counted from 1970-01-01 (what `daily_last_day` stores)."""
    return (now.astimezone(UTC).date() - _EPOCH_DAY).days


def next_streak(last_day: int | None, streak: int, today: int) -> int:
    """The daily streak after a claim on `today`: one more if the last claim was yesterday,
    unchanged on the same day (cannot happen: `daily` is once per UTC day), 1 otherwise (a day
    was missed, this is the first claim, or the clock went back)."""
    if last_day is None or streak <= 0:
        return 1
    if today == last_day:
        return streak
    if today == last_day + 1:
        return streak + 1
    return 1


def current_streak(last_day: int | None, streak: int, today: int) -> int:
    """The streak as it stands today: still alive if the last claim was today or yesterday,
    otherwise broken (0) even though the stored number only resets at the next claim."""
    if last_day is None or streak <= 0:
        return 0
    return streak if 0 <= today - last_day <= 1 else 0


# --- rebirth ------------------------------------------------------------------------------


def rebirth_shortfall(chi: int, threshold: int) -> int:
    """Chi still missing for one rebirth (0 when it can be done). A negative balance misses
    the threshold plus its debt: debt never turns into rebirths."""
    return max(0, threshold - chi)


# --- achievements crossed by an award -----------------------------------------------------


PAGE_SIZE = 10


def page_count(total: int, per_page: int = PAGE_SIZE) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int = PAGE_SIZE) -> int:
    return min(max(1, page), page_count(total, per_page))
