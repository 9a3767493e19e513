"""The facts gardens publish (for achievements, and later quests): see `core/events.py`."""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class GardenFounded(MemberActed):
    """A member founded their garden (counter `garden_tier` is 1)."""


@dataclass(frozen=True, slots=True)
class PlantsHarvested(MemberActed):
    """A harvest paid `plants` plants for `chi` (counter `plants_harvested` moved)."""

    plants: int = 0
    chi: int = 0


@dataclass(frozen=True, slots=True)
class GardenUpgraded(MemberActed):
    """A garden reached tier `tier` (counter `garden_tier`: its place, 1 for the first)."""

    tier: str = ""
