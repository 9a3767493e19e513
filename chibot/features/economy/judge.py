"""Chat chi judges a message as a whole: the server's word lists, read in context by VADER.

VADER (`vaderSentiment`, a lexicon and rules made for short social text: negation, boosters,
"but", capitals, emoji) scores every word of the message in its context and the message as a
whole (`compound`, -1 .. +1). The server's word lists say which words can move chi; VADER
says whether the message around them is really praise or an insult. The rule, in order:

1. **Secret words** pay on their own, whatever the message says (unchanged).
2. **Fast path**: a message holding no listed word (positive, negative or secret) earns
   nothing and VADER never runs; neither does a message with no ordinary word ("another
   ordinary word" rule, unchanged: "magnificent" alone earns nothing).
3. **Penalty**: a listed negative word that still reads negative in context (not negated:
   "you're not stupid" is no insult) and is **aimed at a person**, in a message whose
   compound is at most `PENALTY_AT_MOST`. Aimed means, within its clause (clauses end at
   . , ! ? ; : and before "but"; an emoji is a clause of its own):
   - a person, optionally a copula, then modifiers, then the word: "you idiot", "you're so
     dumb", "he is such a jerk", "u r dumb", "you dirty rat", "stop being so lazy";
   - or a copula, then the person, then the word: "are you stupid", "is he dumb";
   - or a clause made only of modifiers, interjections and listed words: "what a loser",
     "nice try, loser", "absolute moron";
   and the word is not followed in its clause by a noun it describes ("your dirty socks", "ur
   dirty laundry"), nor used as a verb (a word VADER does not know, after a bare "you" in a
   question or before an object: "what do you mean", "you mean the blue one").
   A person is "you" (you, u, ya, y'all, you're, ur...) or "he" / "she". So "I need to take
   out the trash", "my dirty laundry pile", "watched a snake documentary", "I mean, that
   was a good game" cost nothing: the words are there, no one is called them.
4. **Reward**: a listed positive word that still reads positive in context ("that was not
   magnificent" earns nothing), in a message whose compound is at least `REWARD_AT_LEAST`,
   with no insult aimed at anyone, no word reading negative anywhere (praise beside a
   misfortune, "what a fabulous way to lose a match", is irony at least as often as not),
   and no ironic exclamation (the praise alone in a short clause, then "again", "another"
   or "more": "oh splendid, another meeting").

Why a listed word is still needed for a penalty (and not VADER's negativity alone): most
strongly negative chat is about things (grief, bad weather, a crashed game, "I hate
Mondays"), and each server decides what an insult is (`P!config words add negative ...`).
Why a listed word is still needed for a reward: the game pays for its vocabulary (the default
list is fancy words), and a reward for every friendly line would multiply the faucet.

The server's lists stay authoritative: a listed word VADER does not know (or knows with the
other sign) gets `LISTED_VALENCE` with the list's sign, so negation and boosters apply to it
too; a removed word is unknown to VADER for that server as well (it moves nothing). The
measured agreement with the labelled lines (`chibot/content/chat_lines.toml`) is printed by
`chibot bench judge` and bounded below by `tests/economy/test_judge.py`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]  # ships no types
    BOOSTER_DICT,
    NEGATE,
    SentimentIntensityAnalyzer,
    SentiText,
)

from chibot.features.economy.rules import Kind, Verdict, WordBook, tokenize, without_markup

PENALTY_AT_MOST = -0.05
"""A penalty needs the whole message at least this negative (VADER's own cut-off)."""
REWARD_AT_LEAST = 0.05
"""A reward needs the whole message at least this positive (VADER's own cut-off)."""
LISTED_VALENCE = 2.0
"""The valence of a listed word VADER does not know (VADER's words run from -4 to +4)."""

LABELLED_LINES = Path(__file__).resolve().parents[2] / "content" / "chat_lines.toml"
"""The labelled chat lines the tests and `chibot bench judge` measure the judge with."""

_PERSONS = frozenset({"you", "u", "ya", "ye", "yall", "y'all", "thou", "he", "she"})
_PERSONS_BEING = frozenset(
    {"you're", "youre", "ur", "u're", "ure", "he's", "hes", "she's", "shes", "yer"}
)
_COPULAS = frozenset(
    {"are", "r", "is", "was", "were", "be", "am", "being", "look", "looks", "sound", "sounds"}
    | {"seem", "seems", "act", "acting"}
)
_IMPERATIVES = frozenset({"stop", "quit", "imagine"})  # "stop being so lazy"
_MODIFIERS = frozenset(
    {"a", "an", "the", "so", "such", "total", "absolute", "complete", "utter", "real", "just"}
    | {"big", "biggest", "little", "most", "all", "guys", "kinda", "sorta", "literally"}
    | {"actually", "honestly", "also", "always", "still", "what", "how", "nice", "try"}
    | {w.lower() for w in BOOSTER_DICT if " " not in w}
)
_INTERJECTIONS = frozenset(
    {"lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "xd", "bro", "dude", "man", "omg"}
    | {"smh", "ffs", "ok", "tbh", "fr", "ngl", "lul", "kek", "ugh", "oh", "wow", "hey"}
)
_FUNCTION = frozenset(
    {"as", "at", "and", "or", "to", "for", "in", "on", "of", "with", "about", "af", "too"}
    | {"today", "tonight", "now", "rn", "again", "sometimes", "here", "there", "it", "that"}
    | {"this", "you", "he", "she", "me", "everyone", "i", "why", "though", "tho", "it's"}
    | {"lately", "ever", "anyway", "then", "when", "if", "because", "cause", "cuz"}
)
_IRONY = frozenset({"again", "another", "more"})
_NEGATIONS = frozenset({w.lower() for w in NEGATE} | {"nobody", "noone", "no", "not"})
_CLAUSE_END = frozenset(".,!?;:")
_PUNCT = string.punctuation


class _Lexicon(dict[str, float]):
    """VADER's lexicon seen through a server's lists: `overrides` first, `hidden` removed."""

    __slots__ = ("base", "hidden")

    def __init__(self, base: dict[str, float], overrides: dict[str, float], hidden: frozenset[str]):
        super().__init__(overrides)
        self.base, self.hidden = base, hidden

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        return key not in self.hidden and key in self.base

    def __getitem__(self, key: str) -> float:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in self.hidden:
            raise KeyError(key)
        return self.base[key]


@lru_cache(maxsize=1)
def _vader() -> Any:
    """VADER's analyser, built once (it reads its two lexicon files from the package)."""
    return SentimentIntensityAnalyzer()


@dataclass(frozen=True, slots=True)
class Reading:
    """VADER's reading of a message: its words (lower case), each word's valence in context,
    the clause of each word, the message's compound score."""

    words: list[str]
    valences: list[float]
    clauses: list[int]
    ends_question: list[bool]
    from_emoji: list[bool]
    compound: float

    def clause_of(self, i: int) -> list[int]:
        """The indices of the words in word i's clause."""
        clause = self.clauses[i]
        return [j for j, c in enumerate(self.clauses) if c == clause]


class _Analyser(SentimentIntensityAnalyzer):  # type: ignore[misc]  # untyped base
    """VADER with a server's lexicon, returning per-word valences as well as the compound."""

    def __init__(self, lexicon: _Lexicon) -> None:  # no super().__init__: no file reading
        self.lexicon = lexicon
        self.emojis = _vader().emojis

    def read(self, text: str) -> Reading:
        converted, from_emoji = self._without_emoji(text)
        sentitext = SentiText(converted)
        words: list[str] = sentitext.words_and_emoticons
        sentiments: list[float] = []
        for i, item in enumerate(words):
            low = item.lower()
            if low in BOOSTER_DICT or (
                low == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
            ):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        compound = float(self.score_valence(sentiments, converted)["compound"])
        clauses, questions, emoji = _clauses(converted, from_emoji, len(words))
        return Reading(
            [w.lower().strip(_PUNCT) for w in words],
            [float(s) for s in sentiments],
            clauses,
            questions,
            emoji,
            compound,
        )

    def _without_emoji(self, text: str) -> tuple[str, str]:
        """VADER's emoji step (each emoji becomes its description), and a mask of the same
        length marking the characters that came from an emoji ("E")."""
        out: list[str] = []
        mask: list[str] = []
        prev_space = True
        for char in text:
            description = self.emojis.get(char)
            if description is not None:
                if not prev_space:
                    out.append(" ")
                    mask.append(" ")
                out.append(description)
                mask.append("E" * len(description))
                prev_space = False
            else:
                out.append(char)
                mask.append(" " if char.isspace() else "T")
                prev_space = char == " "
        joined, marks = "".join(out), "".join(mask)
        lead = len(joined) - len(joined.lstrip())
        stripped = joined.strip()
        return stripped, marks[lead : lead + len(stripped)]


def _clauses(text: str, mask: str, count: int) -> tuple[list[int], list[bool], list[bool]]:
    """The clause number of each whitespace word (VADER's words), whether its clause ends
    with a question mark, whether it comes from an emoji (a clause of its own)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if len(spans) != count:  # unusual whitespace: treat the message as one clause
        return [0] * count, [text.rstrip().endswith("?")] * count, [False] * count
    clauses: list[int] = []
    emojis: list[bool] = []
    clause, previous_emoji = 0, False
    ends: dict[int, str] = {}
    for start, end in spans:
        token = text[start:end].lower()
        emoji = "E" in mask[start:end]
        if clauses and clauses[-1] == clause and (emoji != previous_emoji or token == "but"):
            clause += 1
        clauses.append(clause)
        emojis.append(emoji)
        previous_emoji = emoji
        tail = token[len(token.rstrip(_PUNCT)) :]
        ends[clause] = tail
        if any(c in _CLAUSE_END for c in tail) and token.strip(_PUNCT):
            clause += 1
    return clauses, ["?" in ends.get(c, "") for c in clauses], emojis


class ChatJudge:
    """A server's judge: its word book and VADER read through it. Build one per word book."""

    def __init__(self, book: WordBook) -> None:
        self.book = book
        base: dict[str, float] = _vader().lexicon
        overrides: dict[str, float] = {}
        for word in book.positive:
            if base.get(word, 0.0) <= 0:
                overrides[word] = LISTED_VALENCE
        for word in book.negative:
            if base.get(word, 0.0) >= 0:
                overrides[word] = -LISTED_VALENCE
        self._known = frozenset(w for w in book.negative if base.get(w, 0.0) < 0)
        self._analyser = _Analyser(_Lexicon(base, overrides, book.ignored))
        self.listed = book.positive | book.negative | frozenset(book.secret)
        self.vader_runs = 0  # messages VADER read (the fast path test counts them)

    def judge(self, text: str) -> Verdict | None:
        """What a message is worth, before dice and cooldowns (the module docstring)."""
        tokens = tokenize(text)
        book = self.book
        for token in tokens:
            if token in book.secret:
                return Verdict(Kind.SECRET, token)
        listed = self.listed
        if not any(t in listed for t in tokens):
            return None  # the fast path: no listed word, VADER never runs
        if all(book.is_listed(t) for t in tokens):
            return None  # no ordinary word
        self.vader_runs += 1
        reading = self._analyser.read(without_markup(text).replace("’", "'"))
        insults = [i for i in range(len(reading.words)) if self._insult(reading, i)]
        if insults:
            if reading.compound <= PENALTY_AT_MOST:
                return Verdict(Kind.NEGATIVE, reading.words[insults[0]])
            return None
        if reading.compound < REWARD_AT_LEAST or min(reading.valences, default=0.0) < 0:
            return None
        for i, word in enumerate(reading.words):
            if reading.from_emoji[i] or word not in book.positive or reading.valences[i] <= 0:
                continue
            if not _ironic(reading, i):
                return Verdict(Kind.POSITIVE, word)
        return None

    def _insult(self, reading: Reading, i: int) -> bool:
        """Whether word i is a listed negative word aimed at a person (the module docstring)."""
        words, negative = reading.words, self.book.negative
        if words[i] not in negative or reading.valences[i] >= 0 or reading.from_emoji[i]:
            return False
        members = reading.clause_of(i)
        before = [j for j in members if j < i]
        after = [words[j] for j in members if j > i]
        if any(words[j] in _NEGATIONS for j in before):
            return False  # "nobody thinks you're dumb" (VADER looks only three words back)
        if after and not any(after[0] in s for s in (negative, _FUNCTION, _INTERJECTIONS)):
            return False  # describes the noun after it: "your dirty socks"

        def modifier(j: int) -> bool:  # "a", "so", "total", a listed or a negative word
            return words[j] in _MODIFIERS or words[j] in negative or reading.valences[j] < 0

        k = len(before) - 1
        while k >= 0 and modifier(before[k]):
            k -= 1
        if k < 0:  # nothing but modifiers before it: "what a loser", "nice try, loser"
            return all(w in _MODIFIERS or w in _INTERJECTIONS or w in negative for w in after)
        head = words[before[k]]
        if head in _PERSONS_BEING:
            return True
        if head in _PERSONS:
            if k == len(before) - 1 and words[i] not in self._known:  # "you mean": a verb?
                opens = all(words[j] in _INTERJECTIONS for j in before[:k])  # "oh you rat"
                followed = bool(after) and after[0] not in _INTERJECTIONS  # "you mean it"
                if not opens or followed or reading.ends_question[i]:
                    return False
            return True
        if head in _COPULAS and k > 0:
            previous = words[before[k - 1]]
            return previous in _PERSONS or previous in _IMPERATIVES  # "u r dumb", "stop being"
        return False


def _ironic(reading: Reading, i: int) -> bool:
    """Praise exclaimed alone in a short clause ("oh splendid", "how delightful"), then a
    report with no praise in it, or with "again", "another" or "more": irony."""
    clause = reading.clauses[i]
    later = [j for j, c in enumerate(reading.clauses) if c > clause]
    if reading.clauses.count(clause) > 3 or not later:
        return False
    warm = any(reading.valences[j] > 0 for j in later)
    return not warm or any(reading.words[j] in _IRONY for j in later)


def labelled_lines(path: Path = LABELLED_LINES) -> Iterator[tuple[str, str]]:
    """(text, label) of the labelled chat lines; "sarcastic" lines are labelled neutral by
    meaning but keep their own label so that tests can check none is rewarded."""
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for label in ("positive", "neutral", "negative", "sarcastic"):
        for text in data.get(label, ()):
            yield text, label
