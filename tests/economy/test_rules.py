"""Pure rules of the economy: chat judging, dice, levels, amounts, paging."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.core.catalog import load_catalog
from chibot.features.economy import rules
from chibot.features.economy.rules import Kind
from chibot.features.economy.settings import EconomySettings as GuildSettings
from chibot.features.progress import rules as level_rules  # levels and thresholds live in progress

WORDS = load_catalog().words
BOOK = rules.word_book(WORDS, GuildSettings())


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("that was magnificent", Kind.POSITIVE, "magnificent"),
        ("MAGNIFICENT work", Kind.POSITIVE, "magnificent"),
        ("magnificent", None, None),  # needs another ordinary word
        ("magnificent splendid", None, None),  # both listed: no ordinary word
        ("you are stupid", Kind.NEGATIVE, "stupid"),
        ("stupid", None, None),
        ("cake", Kind.SECRET, "cake"),  # secret words pay alone
        ("I love cake and you are stupid", Kind.SECRET, "cake"),  # secret first
        ("splendid but stupid day", Kind.POSITIVE, "splendid"),  # positive beats negative
        ("<@123> magnificent", None, None),  # a mention is not a word
        ("magnificent https://example.com", None, None),  # nor a link
        ("<:magnificent:123> hello", None, None),  # custom emoji names don't count
        ("cakes are nice", None, None),  # whole words only
        ("magnificent!!! truly", Kind.POSITIVE, "magnificent"),
        ("", None, None),
        ("🎉🎉 magnificent 🎉", None, None),  # emoji are not ordinary words
    ],
)
def test_judge_words(text: str, kind: Kind | None, word: str | None) -> None:
    verdict = rules.judge_words(text, BOOK)
    if kind is None:
        assert verdict is None
    else:
        assert verdict == rules.Verdict(kind, word)


def test_server_words_extend_and_remove() -> None:
    settings = GuildSettings(
        extra_positive_words=["rad"],
        extra_negative_words=["meanie"],
        removed_words=["stupid", "cake"],
    )
    book = rules.word_book(WORDS, settings)
    assert rules.judge_words("totally rad", book) == rules.Verdict(Kind.POSITIVE, "rad")
    assert rules.judge_words("what a meanie", book) == rules.Verdict(Kind.NEGATIVE, "meanie")
    assert rules.judge_words("you are stupid", book) is None
    assert rules.judge_words("cake", book) is None
    # a removed word is not an "ordinary" word either
    assert rules.judge_words("stupid magnificent", book) is None


def test_default_negative_list_is_mild_only() -> None:
    assert {"idiot", "jerk", "clown"} <= set(WORDS.negative)
    assert len(WORDS.negative) == 40
    assert len(WORDS.positive) == 54


@given(st.integers(min_value=0, max_value=2**32))
def test_roll_within_configured_ranges(seed: int) -> None:
    rng = random.Random(seed)
    settings = GuildSettings()
    pos = rules.roll(rules.Verdict(Kind.POSITIVE, "x"), BOOK, settings, rng)
    neg = rules.roll(rules.Verdict(Kind.NEGATIVE, "x"), BOOK, settings, rng)
    sec = rules.roll(rules.Verdict(Kind.SECRET, "cake"), BOOK, settings, rng)
    assert 1 <= pos <= 8
    assert -15 <= neg <= -5
    assert 10 <= sec <= 15


@given(st.text(max_size=200))
def test_judge_words_never_crashes(text: str) -> None:
    verdict = rules.judge_words(text, BOOK)
    assert verdict is None or verdict.word in text.lower()


@pytest.mark.parametrize(
    ("lifetime", "level"),
    [(0, 0), (499, 0), (500, 1), (1499, 1), (1500, 2), (3000, 3), (10**15, level_rules.MAX_LEVEL)],
)
def test_level_for(lifetime: int, level: int) -> None:
    assert level_rules.level_for(lifetime) == level


@given(st.integers(min_value=0, max_value=10**12))
def test_level_is_monotonic_and_consistent(lifetime: int) -> None:
    level = level_rules.level_for(lifetime)
    assert level_rules.level_for(lifetime + 1) >= level
    if level < level_rules.MAX_LEVEL:
        assert level_rules.chi_for_level(level) <= lifetime < level_rules.chi_for_level(level + 1)


def test_daily_resets_at_utc_midnight() -> None:
    now = datetime(2026, 3, 4, 23, 59, 59, tzinfo=UTC)
    assert rules.daily_ready_at(now) == datetime(2026, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (10, 1), (11, 2), (1000, 100)])
def test_page_count(total: int, pages: int) -> None:
    assert rules.page_count(total) == pages
    assert rules.clamp_page(10**6, total) == pages
    assert rules.clamp_page(-3, total) == 1
