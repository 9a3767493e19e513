"""Game content: `chibot/content/*.toml`, validated at start-up into immutable objects.

Which files exist and the schema of each come from the registry (`Registry.content_files`):
the core's items file, and every file a system declares in its manifest (`System.content`).
A file that does not validate stops start-up with a `ContentError` naming the file, the entry
and the problem, e.g. `content/words.toml: secret[2]: max must be at least min (10)`.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry, ItemsFile

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


M = TypeVar("M", bound=BaseModel)


@dataclass
class Catalog:
    """All validated content, by file stem. `installed` names the systems of this release
    (what an item's `requires` may name for the item to be sold)."""

    files: Mapping[str, BaseModel]
    installed: frozenset[str] = frozenset()

    def file(self, stem: str, schema: type[M]) -> M:
        """One content file, typed: `catalog.file("words", WordsFile)`."""
        found = self.files[stem]
        if not isinstance(found, schema):
            raise TypeError(
                f"content/{stem}.toml is a {type(found).__name__}, not a {schema.__name__}"
            )
        return found

    def __getattr__(self, stem: str) -> Any:
        """`catalog.words` reads like `catalog.files["words"]` (for tests and the REPL)."""
        files = self.__dict__.get("files") or {}
        if stem in files:
            return files[stem]
        raise AttributeError(stem)

    @functools.cached_property
    def items(self) -> ItemRegistry:
        return ItemRegistry(self.file("items", ItemsFile), self.installed)


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


def load_catalog(directory: Path | None = None, registry: Any = None) -> Catalog:
    """Load and validate every content file the registry names (default: the installed
    systems'); raises `ContentError` on the first bad one."""
    if registry is None:
        from chibot.core.registry import default_registry

        registry = default_registry()
    directory = directory or CONTENT_DIR
    files = {
        stem: load_file(directory / f"{stem}.toml", schema)
        for stem, schema in registry.content_files.items()
    }
    return Catalog(files, registry.installed)
