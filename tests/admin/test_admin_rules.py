"""Admin rules (pure): what an admin types becomes a setting's value (quotes, whole numbers,
ids), the extra chat words stay off the other lists, and who may be blacklisted. Tables of
cases, and hypothesis over bounded examples; the one-emoji check of reaction settings too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.worded import refused

from chibot.core.registry import default_registry
from chibot.core.settings import LANGUAGES, single_emoji
from chibot.features.admin import rules
from chibot.features.admin.errors import (
    CannotBlacklistBot,
    CannotBlacklistOwner,
    CannotBlacklistSelf,
    NotChannelOrRole,
    NotWholeNumber,
    ReasonTooLong,
    WordOnOtherList,
)

MODEL = default_registry().settings_model


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ('"?"', "?"),
        ("'?'", "?"),
        ("“?”", "?"),
        ("‘?’", "?"),
        ("„?“", "?"),
        ("«?»", "?"),
        ('  "c!"  ', "c!"),
        ('""', ""),
        ('" "', " "),
        ('"?', '"?'),  # unmatched: kept
        ("'?\"", "'?\""),
        ('""?""', '"?"'),  # one pair only
        ("?", "?"),
        ('"', '"'),
    ],
)
def test_unquote(typed: str, value: str) -> None:
    assert rules.unquote(typed) == value


@given(st.text(st.characters(blacklist_characters="\"'“”‘’„«»"), max_size=20))
@settings(max_examples=200)
def test_unquote_takes_one_pair_of_quotes_and_nothing_else(text: str) -> None:
    assert rules.unquote(f'"{text}"') == text  # the blanks inside the quotes are the value's
    assert rules.unquote(f"“{text}”") == text
    assert rules.unquote(text) == text.strip()


@pytest.mark.parametrize(
    ("typed", "value"),
    [("500", 500), ("1,000", 1000), ('"750"', 750), ("+5", 5), ("0", 0), ("-5", -5)],
)
def test_whole_numbers(typed: str, value: int) -> None:
    assert rules.parse_value(MODEL, "daily_reward", typed) == value


@pytest.mark.parametrize(
    "typed", ["²", "--5", "-", "5-", "٣", "1.5", "2k", "lots", "", "1" * 31, "9" * 5000, "+-5"]
)
def test_not_whole_numbers(typed: str) -> None:
    with refused(NotWholeNumber, "`daily_reward` is a whole number."):
        rules.parse_value(MODEL, "daily_reward", typed)


@given(st.text(max_size=12))
@settings(max_examples=300)
def test_a_whole_number_setting_never_fails_otherwise(text: str) -> None:
    """Whatever is typed, the answer is a number or the one refusal (never a ValueError)."""
    try:
        value = rules.parse_value(MODEL, "daily_reward", text)
    except NotWholeNumber:
        return
    assert isinstance(value, int)


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("<#123456789012345678>", True),
        ("123456789012345678", True),
        ("<@&123456789012345678>", True),
        (str(2**63 - 1), True),
        (str(2**63), False),  # past BIGINT
        ("1" * 21, False),
        ("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", False),  # not ASCII digits
        ("none", None),
    ],
)
def test_channel_and_role_ids(typed: str, ok: bool | None) -> None:
    if ok is None:
        assert rules.parse_value(MODEL, "log_channel_id", typed) is None
    elif ok:
        assert rules.parse_value(MODEL, "log_channel_id", typed) == int(typed.strip("<#@&>"))
    else:
        with pytest.raises(NotChannelOrRole):
            rules.parse_value(MODEL, "log_channel_id", typed)


LISTS = rules.WordLists(
    builtin_positive=frozenset({"splendid"}),
    builtin_negative=frozenset({"stupid"}),
    secret=frozenset({"bamboo"}),
    extra_positive=frozenset({"rad"}),
    extra_negative=frozenset({"meh"}),
)


@pytest.mark.parametrize(
    ("key", "word", "other", "builtin"),
    [
        ("extra_negative_words", "bamboo", "secret", True),
        ("extra_positive_words", "bamboo", "secret", True),
        ("extra_negative_words", "Bamboo", "secret", True),
        ("extra_positive_words", "stupid", "negative", True),
        ("extra_negative_words", "splendid", "positive", True),
        ("extra_positive_words", "meh", "negative", False),
        ("extra_negative_words", "rad", "positive", False),
        ("extra_negative_words", "grim", None, None),
        ("extra_positive_words", "cool", None, None),
        ("removed_words", "bamboo", None, None),  # any word may count for nothing
        ("removed_words", "stupid", None, None),
    ],
)
def test_extra_words_stay_off_the_other_lists(key, word, other, builtin) -> None:
    if other is None:
        rules.check_word_fits(key, word, LISTS)
        return
    with refused(WordOnOtherList, f"is a {other} word") as caught:
        rules.check_word_fits(key, word, LISTS)
    assert caught.value.builtin is builtin


@pytest.mark.parametrize(
    ("user", "owners", "is_bot", "error"),
    [
        (1, (), False, CannotBlacklistSelf),  # the admin is user 1
        (2, (2,), False, CannotBlacklistOwner),
        (3, (), True, CannotBlacklistBot),
        (4, (2,), False, None),
    ],
)
def test_who_may_be_blacklisted(user, owners, is_bot, error) -> None:
    if error is None:
        rules.check_blacklist_target(user, by=1, owners=owners, is_bot=is_bot)
    else:
        with pytest.raises(error):
            rules.check_blacklist_target(user, by=1, owners=owners, is_bot=is_bot)


@given(st.text(max_size=400))
@settings(max_examples=200)
def test_a_stored_reason_fits_its_column_or_is_refused(text: str) -> None:
    try:
        reason = rules.blacklist_reason(text)
    except ReasonTooLong as error:
        assert error.length > rules.REASON_MAX
        return
    assert reason is None or 0 < len(reason) <= rules.REASON_MAX


def test_a_long_reason_is_refused_with_its_length() -> None:
    with refused(ReasonTooLong, "at most 200 characters (this one has 201)"):
        rules.blacklist_reason("x" * 201)
    assert rules.blacklist_reason("  spam\n bot ") == "spam bot"
    assert rules.blacklist_reason("   ") is None


@pytest.mark.parametrize(
    "ok",
    [
        "😇",
        "👍🏽",
        "👨‍👩‍👧",
        "🇫🇷",
        "1️⃣",
        "❤️",
        "<:chi:123456789012345678>",
        "<a:spin:123456789012345678>",
    ],
)
def test_one_emoji(ok: str) -> None:
    assert single_emoji(f" {ok} ") == ok


@pytest.mark.parametrize(
    "bad",
    ["", "hello", "😇😇", "😇 ok", "a", "─", "<:x:1>", "<:chi:123456789012345678> 😇", ":smile:"],
)
def test_not_one_emoji(bad: str) -> None:
    with pytest.raises(ValueError):
        single_emoji(bad)


@given(st.text(max_size=6))
@settings(max_examples=300)
def test_an_accepted_reaction_is_one_emoji(text: str) -> None:
    try:
        value = single_emoji(text)
    except ValueError:
        return
    assert value and not any(c.isspace() for c in value) and not value.isalnum()


def test_languages_are_a_known_set() -> None:
    assert "en" in LANGUAGES
    assert MODEL.model_validate({"language": "EN"}).language == "en"
    with pytest.raises(ValueError):
        MODEL.model_validate({"language": "xx"})
