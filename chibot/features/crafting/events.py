"""The facts crafting publishes (for achievements, and later quests): see `core/events.py`."""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class CraftsCollected(MemberActed):
    """A member collected finished crafts: `made` succeeded, `failed` did not (counter
    `items_crafted` moved by `made`)."""

    made: int = 0
    failed: int = 0
