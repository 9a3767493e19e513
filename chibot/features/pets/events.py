"""The facts pets publish (for achievements, and later quests): see `core/events.py`."""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class PetAdopted(MemberActed):
    """A member adopted a `species` (counters `pet_kinds_owned`, `dragons_owned` moved)."""

    species: str = ""


@dataclass(frozen=True, slots=True)
class PetTrained(MemberActed):
    """A pet was trained to `level` (counter `pet_best_level` moved)."""

    species: str = ""
    level: int = 0
