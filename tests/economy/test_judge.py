"""The chat judge (`features/economy/judge.py`): a message is judged as a whole.

Table-driven rules, a property test, and the labelled chat lines (`chibot/content/
chat_lines.toml`, also read by `chibot bench judge`): no neutral line is penalised, no
sarcastic or negative line is rewarded, and the agreement stays above what was measured.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibot.core.catalog import load_catalog
from chibot.features.economy import rules
from chibot.features.economy.judge import ChatJudge, labelled_lines
from chibot.features.economy.rules import Kind
from chibot.features.economy.settings import EconomySettings

WORDS = load_catalog().words
JUDGE = ChatJudge(rules.word_book(WORDS, EconomySettings()))
LINES = list(labelled_lines())

AGREEMENT_AT_LEAST = 0.88
"""Measured 92.4% on 423 lines (docs/economy.md); a little room for VADER-neutral edits."""


def verdict(text: str, judge: ChatJudge = JUDGE) -> tuple[Kind, str] | None:
    found = judge.judge(text)
    return None if found is None else (found.kind, found.word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # finding 12: everyday sentences holding a listed word cost nothing
        ("I mean, that was a good game", None),
        ("I need to take out the trash", None),
        ("my dirty laundry pile", None),
        ("watched a snake documentary", None),
        ("what do you mean?", None),
        ("your dirty socks are on the floor", None),
        ("I'm so lazy today", None),
        ("🐍 look at this snake", None),  # an emoji's name is not a word of the message
        # insults still cost chi
        ("you are stupid", (Kind.NEGATIVE, "stupid")),
        ("you're such a loser", (Kind.NEGATIVE, "loser")),
        ("nice try, loser", (Kind.NEGATIVE, "loser")),
        ("are you stupid or what", (Kind.NEGATIVE, "stupid")),
        ("you dirty rat", (Kind.NEGATIVE, "dirty")),
        ("stop being so lazy", (Kind.NEGATIVE, "lazy")),
        # negation counts
        ("you're not stupid, you're just tired", None),
        ("nobody thinks you're dumb", None),
        ("that was not magnificent", None),
        ("that was not bad at all, actually quite splendid", (Kind.POSITIVE, "splendid")),
        # banter the whole message laughs at is no insult
        ("lol you idiot 😂", None),
        # praise pays; irony and mixed messages do not
        ("that was a magnificent play", (Kind.POSITIVE, "magnificent")),
        ("oh splendid, another meeting", None),
        ("magnificent, I stepped in a puddle", None),
        ("what a fabulous way to lose a match", None),
        # unchanged: secret words alone, the ordinary-word rule, markup
        ("cake", (Kind.SECRET, "cake")),
        ("you are stupid and I love cake", (Kind.SECRET, "cake")),
        ("magnificent", None),
        ("stupid", None),
        ("<@123> stupid", None),
        ("", None),
    ],
)
def test_judge(text: str, expected: tuple[Kind, str] | None) -> None:
    assert verdict(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not bad", None),  # "bad" added as negative: negated, so no insult
        ("you are bad", (Kind.NEGATIVE, "bad")),
        ("not good", None),  # "good" added as positive: negated, so no reward
        ("that was good", (Kind.POSITIVE, "good")),
        ("you're a noob", (Kind.NEGATIVE, "noob")),  # a word VADER does not know
        ("you're not a noob", None),
        ("you are stupid", None),  # removed: counts for nothing
        ("cake", None),
    ],
)
def test_server_lists_stay_authoritative(text: str, expected: tuple[Kind, str] | None) -> None:
    book = rules.word_book(
        WORDS,
        EconomySettings(
            extra_positive_words=["good"],
            extra_negative_words=["bad", "noob"],
            removed_words=["stupid", "cake"],
        ),
    )
    assert verdict(text, ChatJudge(book)) == expected


def test_a_removed_word_is_unknown_to_vader_too() -> None:
    # "pathetic" is listed and in VADER's lexicon: beside it, praise is a mixed message
    assert verdict("that was magnificent work, pathetic") is None
    judge = ChatJudge(rules.word_book(WORDS, EconomySettings(removed_words=["pathetic"])))
    assert verdict("you're so pathetic", judge) is None
    assert verdict("that was magnificent work, pathetic", judge) == (Kind.POSITIVE, "magnificent")


@settings(max_examples=200)
@given(st.text(max_size=120))
def test_judge_never_crashes(text: str) -> None:
    found = JUDGE.judge(text)
    assert found is None or found.word in text.lower().replace("’", "'")


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(["you", "are", "so", "not", "the", "trash", "lol", "idiot", "a", "dumb"]),
        max_size=8,
    )
)
def test_negated_insults_never_cost(words: list[str]) -> None:
    text = "nobody thinks " + " ".join(words)
    found = JUDGE.judge(text)
    assert found is None or found.kind is not Kind.NEGATIVE


# --- the labelled chat lines ---------------------------------------------------------------


def _outcome(text: str) -> str:
    found = JUDGE.judge(text)
    if found is None:
        return "neutral"
    return "negative" if found.kind is Kind.NEGATIVE else "positive"


def test_the_labelled_set_is_large_and_holds_no_secret_word() -> None:
    assert len(LINES) >= 300
    assert {label for _, label in LINES} == {"positive", "neutral", "negative", "sarcastic"}
    secrets = {s.word for s in WORDS.secret}
    assert [t for t, _ in LINES if secrets & set(rules.tokenize(t))] == []


def test_no_neutral_line_is_penalised() -> None:
    penalised = [
        t for t, label in LINES if label in ("neutral", "sarcastic") and _outcome(t) == "negative"
    ]
    assert penalised == []


def test_no_sarcastic_or_negative_line_is_rewarded() -> None:
    rewarded = [
        t for t, label in LINES if label in ("sarcastic", "negative") and _outcome(t) == "positive"
    ]
    assert rewarded == []


def test_agreement_with_the_labels(capsys: pytest.CaptureFixture[str]) -> None:
    agree = sum(_outcome(t) == ("neutral" if label == "sarcastic" else label) for t, label in LINES)
    with capsys.disabled():
        print(f"\nchat judge agreement: {agree}/{len(LINES)} = {agree / len(LINES):.1%}")
    assert agree / len(LINES) >= AGREEMENT_AT_LEAST


def test_the_old_word_only_judge_fails_the_finding() -> None:
    """The baseline the bench prints: one listed word decided (finding 12)."""
    book = rules.word_book(WORDS, EconomySettings())
    assert rules.judge_words("I need to take out the trash", book) == rules.Verdict(
        Kind.NEGATIVE, "trash"
    )
