"""`chibot bench judge`: how well chat chi judges messages, beside the old word-only judge.

Reads the labelled chat lines (`chibot/content/chat_lines.toml` by default, `--lines PATH`
for another file of the same shape), judges each with the shipped word lists and default
settings, and prints per class precision and recall and the overall agreement for the judge
(`features/economy/judge.py`, VADER reading the lists) and for the old judge
(`rules.judge_words`, one listed word decides). "sarcastic" lines count as neutral. Then the
time per message: the labelled lines (most reach VADER) and a no-listed-word line (the fast
path). A prediction is what the judge does: reward = positive, penalty = negative, nothing =
neutral (a secret word would be a reward; the labelled lines hold none).

Run by hand; the figures go in docs/economy.md. Tests bound the agreement, never the time.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from chibot.core.catalog import load_catalog
from chibot.features.economy import rules
from chibot.features.economy.judge import LABELLED_LINES, ChatJudge, labelled_lines
from chibot.features.economy.settings import EconomySettings

CLASSES = ("positive", "neutral", "negative")
console = Console(width=140)

Judge = Callable[[str], rules.Verdict | None]


def predicted(verdict: rules.Verdict | None) -> str:
    """What the judge does with a message, as a label."""
    if verdict is None:
        return "neutral"
    return "negative" if verdict.kind is rules.Kind.NEGATIVE else "positive"


def expected(label: str) -> str:
    return "neutral" if label == "sarcastic" else label


class Scores:
    """Agreement of one judge with the labelled lines."""

    def __init__(self, judge: Judge, lines: list[tuple[str, str]]) -> None:
        self.pairs = [(expected(label), predicted(judge(text)), label) for text, label in lines]
        self.total = len(self.pairs)
        self.agreement = sum(want == got for want, got, _ in self.pairs) / max(1, self.total)
        self.neutral_penalised = sum(w == "neutral" and g == "negative" for w, g, _ in self.pairs)
        self.sarcasm_rewarded = sum(
            lb == "sarcastic" and g == "positive" for _, g, lb in self.pairs
        )

    def precision(self, label: str) -> float:
        said = [want for want, got, _ in self.pairs if got == label]
        return sum(w == label for w in said) / len(said) if said else float("nan")

    def recall(self, label: str) -> float:
        meant = [got for want, got, _ in self.pairs if want == label]
        return sum(g == label for g in meant) / len(meant) if meant else float("nan")


def judges() -> tuple[ChatJudge, Judge]:
    """The judge and the old word-only judge, on the shipped lists and default settings."""
    book = rules.word_book(load_catalog().words, EconomySettings())
    return ChatJudge(book), lambda text: rules.judge_words(text, book)


def _per_message(judge: Judge, texts: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            judge(text)
    return (time.perf_counter() - start) / (rounds * len(texts))


def bench_judge_main(args: argparse.Namespace) -> int:
    path = Path(args.lines) if args.lines else LABELLED_LINES
    lines = list(labelled_lines(path))
    new, old = judges()
    scores = {"VADER + lists": Scores(new.judge, lines), "word only (old)": Scores(old, lines)}
    counts = Counter(expected(label) for _, label in lines)
    console.print(
        f"[bold]judge bench[/]: {len(lines)} labelled lines from {path} "
        f"({', '.join(f'{counts[c]} {c}' for c in CLASSES)})"
    )
    table = Table(title="agreement with the labels")
    table.add_column("judge")
    for c in CLASSES:
        table.add_column(f"{c} P", justify="right")
        table.add_column(f"{c} R", justify="right")
    for column in ("overall", "neutral penalised", "sarcasm rewarded"):
        table.add_column(column, justify="right")
    for name, s in scores.items():
        cells = [f"{f(c):.0%}" for c in CLASSES for f in (s.precision, s.recall)]
        table.add_row(
            name, *cells, f"{s.agreement:.1%}", str(s.neutral_penalised), str(s.sarcasm_rewarded)
        )
    console.print(table)
    texts = [text for text, _ in lines]
    plain = ["hello there, see you tomorrow", "ok sounds good", "the bus is late again"]
    timing = Table(title="time per message (µs)")
    for column in ("judge", "labelled lines", "no listed word (fast path)"):
        timing.add_column(column, justify="right")
    for name, judge in (("VADER + lists", new.judge), ("word only (old)", old)):
        timing.add_row(
            name,
            f"{_per_message(judge, texts, args.rounds) * 1e6:.1f}",
            f"{_per_message(judge, plain, args.rounds * 20) * 1e6:.1f}",
        )
    console.print(timing)
    if args.show_misses:
        for text, label in lines:
            got = predicted(new.judge(text))
            if got != expected(label):
                console.print(f"  {label:>9} -> {got:<8} {text}", markup=False)
    return 0
