"""Shared by the combat engine's tests: the real item catalog, read from content."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chibot.core.items import Item, ItemsFile
from chibot.features.combat.engine import Fight, Fighter, Mode, make_fighter, new_fight

ITEMS_TOML = Path(__file__).resolve().parents[2] / "chibot" / "content" / "items.toml"


def load_items() -> dict[str, Item]:
    data = ItemsFile.model_validate(tomllib.loads(ITEMS_TOML.read_text(encoding="utf-8")))
    return {item.id: item for item in data.item}


ITEMS = load_items()


def at(seconds: int = 0) -> datetime:
    return T0 + timedelta(seconds=seconds)


T0 = datetime(2025, 1, 1, tzinfo=UTC)
DUEL = Mode("duel", turn_seconds=60, match_seconds=600, heal_charges=2)


def duelist(fid: str, side: str, weapon: str = "verdant_windblade", **kw: Any) -> Fighter:
    heals = [ITEMS[i] for i in kw.pop("heals", ["minor_healing_salve"])]
    mode = kw.pop("mode", DUEL)
    return make_fighter(fid, fid.title(), side, mode, weapon=ITEMS[weapon], heal_items=heals, **kw)


def duel(rng: Any, mode: Mode = DUEL, **kw: Any) -> Fight:
    fight, _ = new_fight(
        "f1",
        mode,
        [duelist("ann", "a", mode=mode), duelist("bob", "b", mode=mode)],
        rng,
        at(),
        **kw,
    )
    return fight
