"""Shared by the combat engine's tests: the real item catalog, read from content."""

from __future__ import annotations

import tomllib
from pathlib import Path

from chibot.core.items import Item, ItemsFile

ITEMS_TOML = Path(__file__).resolve().parents[2] / "chibot" / "content" / "items.toml"


def load_items() -> dict[str, Item]:
    data = ItemsFile.model_validate(tomllib.loads(ITEMS_TOML.read_text(encoding="utf-8")))
    return {item.id: item for item in data.item}


ITEMS = load_items()
