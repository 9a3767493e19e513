"""Game content: `chibot/content/*.toml`, validated at start-up into immutable objects.

Each content file has a schema registered in `CONTENT_FILES` (file stem -> pydantic model);
later features register theirs the same way. A file that does not validate stops start-up with
a `ContentError` naming the file, the entry and the problem, e.g.
`content/words.toml: secret[2]: max must be at least min (10)`.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry, ItemsFile

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SecretWord(_Strict):
    word: str = Field(min_length=1, max_length=40)
    min: int = Field(ge=1, le=10_000)
    max: int = Field(ge=1, le=10_000)

    @field_validator("word")
    @classmethod
    def _lower(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("a secret word is letters only")
        return value.lower()

    @model_validator(mode="after")
    def _range(self) -> SecretWord:
        if self.max < self.min:
            raise ValueError(f"max must be at least min ({self.min})")
        return self


class WordsFile(_Strict):
    version: int = Field(ge=1)
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    secret: tuple[SecretWord, ...] = ()

    @field_validator("positive", "negative")
    @classmethod
    def _clean(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for word in values:
            low = word.strip().lower()
            if not low or not low.replace("-", "").replace("'", "").isalnum():
                raise ValueError(f"{word!r} is not a single word")
            if low in seen:
                raise ValueError(f"{word!r} is listed twice")
            seen.add(low)
        return tuple(sorted(seen))

    @model_validator(mode="after")
    def _disjoint(self) -> WordsFile:
        both = set(self.positive) & set(self.negative)
        if both:
            raise ValueError(f"words on both lists: {sorted(both)}")
        secrets = [s.word for s in self.secret]
        if len(secrets) != len(set(secrets)):
            raise ValueError("a secret word is listed twice")
        return self


CONTENT_FILES: dict[str, type[BaseModel]] = {"words": WordsFile, "items": ItemsFile}


def register_content(stem: str, schema: type[BaseModel]) -> None:
    """Called by a feature at import time: `content/<stem>.toml` is loaded with `schema`."""
    CONTENT_FILES[stem] = schema


@dataclass
class Catalog:
    """All validated content, by file stem."""

    files: Mapping[str, BaseModel]

    @property
    def words(self) -> WordsFile:
        return self.files["words"]  # type: ignore[return-value]

    @functools.cached_property
    def items(self) -> ItemRegistry:
        return ItemRegistry(self.files["items"])  # type: ignore[arg-type]


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def load_file(path: Path, schema: type[BaseModel]) -> BaseModel:
    name = f"content/{path.name}"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{name}: file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{name}: not valid TOML: {error}") from None
    try:
        return schema.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"{name}: {_where(e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in error.errors()
        ]
        raise ContentError("\n".join(problems)) from None


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and validate every registered content file; raises `ContentError` on the first bad one."""
    directory = directory or CONTENT_DIR
    files = {stem: load_file(directory / f"{stem}.toml", schema) for stem, schema in CONTENT_FILES.items()}
    return Catalog(files)
