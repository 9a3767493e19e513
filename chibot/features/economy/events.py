"""Facts the economy publishes inside its transactions (see `core/events.py`).

Progress (achievements) hears them through their base, `MemberActed`; later systems (quests,
events) may subscribe to these classes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class ChatAwarded(MemberActed):
    """A message earned (or cost) chi. `changes` names what moved: lifetime chi (before,
    after) on an award, `secret_words` on a secret word; None on the member's first record
    (everything is new, Early Bird included)."""

    delta: int = 0
    kind: str = ""


@dataclass(frozen=True, slots=True)
class DailyClaimed(MemberActed):
    amount: int = 0
    streak: int = 0


@dataclass(frozen=True, slots=True)
class Reborn(MemberActed):
    rebirths_done: int = 0
