"""The facts combat publishes (for achievements, and later quests): see `core/events.py`."""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class FightSettled(MemberActed):
    """A member's fight ended: `mode` (duel, spar, training...), `outcome` (win, loss, tie,
    cancelled); `changes` names the counters that moved (`duel_wins`...)."""

    mode: str = ""
    outcome: str = ""
