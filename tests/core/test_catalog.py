"""Content files: the shipped ones load, and a bad one stops start-up with a precise message.

Proven here:
- the shipped `content/words.toml` loads into clean, disjoint, lower-case word lists;
- each kind of mistake (duplicate word, word on both lists, secret min > max, not TOML,
  missing file, unknown key, ...) raises `ContentError` whose message names
  `content/words.toml`, the entry at fault and the problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chibot.core.catalog import load_catalog
from chibot.core.errors import ContentError

GOOD = """\
version = 1
positive = ["splendid", "radiant"]
negative = ["stupid"]

[[secret]]
word = "cake"
min = 10
max = 15

[[secret]]
word = "pizza"
min = 5
max = 6
"""


@pytest.fixture(autouse=True)
def _other_content(tmp_path: Path) -> None:
    """The other content files, as shipped: these tests vary words.toml only."""
    import shutil

    import chibot.features  # noqa: F401  (registers every content schema)
    from chibot.core.catalog import CONTENT_DIR

    for path in CONTENT_DIR.glob("*.toml"):
        if path.name != "words.toml":
            shutil.copy(path, tmp_path / path.name)


def test_shipped_content_loads() -> None:
    words = load_catalog().words
    assert {"magnificent", "splendid"} <= set(words.positive)
    assert {"stupid", "idiot"} <= set(words.negative)
    assert not set(words.positive) & set(words.negative)
    assert all(w == w.lower() for w in (*words.positive, *words.negative))
    secrets = {s.word: (s.min, s.max) for s in words.secret}
    assert secrets["cake"] == (10, 15)
    assert all(1 <= low <= high for low, high in secrets.values())


def test_a_good_file_loads(tmp_path: Path) -> None:
    (tmp_path / "words.toml").write_text(GOOD)
    words = load_catalog(tmp_path).words
    assert words.positive == ("radiant", "splendid")  # sorted
    assert [s.word for s in words.secret] == ["cake", "pizza"]


@pytest.mark.parametrize(
    ("text", "entry", "problem"),
    [
        (GOOD.replace('"radiant"', '"Splendid"'), "positive", "'Splendid' is listed twice"),
        (
            GOOD.replace('["stupid"]', '["stupid", "radiant"]'),
            "(file)",
            "words on both lists: ['radiant']",
        ),
        (GOOD.replace("max = 6", "max = 4"), "secret[1]", "max must be at least min (5)"),
        (GOOD.replace("min = 10", "min = 0"), "secret[0].min", "greater than or equal to 1"),
        (
            GOOD.replace('word = "pizza"', 'word = "cake"'),
            "(file)",
            "a secret word is listed twice",
        ),
        (GOOD.replace('word = "pizza"', 'word = "pi zza"'), "secret[1].word", "letters only"),
        (GOOD.replace('"stupid"', '"two words"'), "negative", "is not a single word"),
        ("colour = 'blue'\n" + GOOD, "colour", "Extra inputs are not permitted"),
        (GOOD + "weight = 2\n", "secret[1].weight", "Extra inputs are not permitted"),
        (GOOD.replace("version = 1\n", ""), "version", "Field required"),
        (GOOD.replace("version = 1", 'version = "one"'), "version", "valid integer"),
        ("positive = [", "", "not valid TOML"),
    ],
    ids=[
        "duplicate",
        "both-lists",
        "secret-min-above-max",
        "secret-min-zero",
        "secret-twice",
        "secret-not-letters",
        "not-a-word",
        "unknown-key",
        "unknown-secret-key",
        "no-version",
        "version-type",
        "not-toml",
    ],
)
def test_bad_files_name_file_entry_and_problem(
    tmp_path: Path, text: str, entry: str, problem: str
) -> None:
    (tmp_path / "words.toml").write_text(text)
    with pytest.raises(ContentError) as caught:
        load_catalog(tmp_path)
    message = str(caught.value)
    prefix = f"content/words.toml: {entry}: " if entry else "content/words.toml: "
    assert any(line.startswith(prefix) and problem in line for line in message.splitlines()), (
        message
    )


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = GOOD.replace("min = 10", "min = 0").replace('"stupid"', '"two words"')
    (tmp_path / "words.toml").write_text(text)
    with pytest.raises(ContentError) as caught:
        load_catalog(tmp_path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert {line.split(": ")[1] for line in lines} == {"negative", "secret[0].min"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"^content/words\.toml: file is missing$"):
        load_catalog(tmp_path)
