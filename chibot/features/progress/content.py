"""Schemas of `content/achievements.toml` and `content/milestones.toml`.

An achievement unlocks when a counter reaches a threshold (`counter`, `at`); counters are
bumped by the systems that own the action (a duel win bumps `duel_wins`), so a later system
hooks its achievements by bumping its counter, with no change here. A few counters are read
from the member row instead (`lifetime_chi`, `secret_words`), and `member_number` is the
member's place among the first to appear in the server (`at_most` instead of `at`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Tier = Literal["common", "rare", "epic", "legendary"]
TIER_ORDER = {"legendary": 0, "epic": 1, "rare": 2, "common": 3}
TIER_EMOJI = {"common": "⚪", "rare": "🔵", "epic": "🟣", "legendary": "🟡"}
TIER_COLOUR = {"common": 0x9B9B9B, "rare": 0x3498DB, "epic": 0x9B59B6, "legendary": 0xF1C40F}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Category(_Strict):
    id: str
    name: str
    emoji: str
    blurb: str


class Achievement(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    name: str
    emoji: str
    category: str
    tier: Tier
    reward: int = Field(ge=0, le=1_000_000)
    hidden: bool = False
    description: str
    counter: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    at: int | None = Field(None, ge=1)
    at_most: int | None = Field(None, ge=1)
    system: str = "economy"  # the system whose action bumps the counter

    @model_validator(mode="after")
    def _threshold(self) -> Achievement:
        if (self.at is None) == (self.at_most is None):
            raise ValueError("give exactly one of `at` and `at_most`")
        return self

    def reached(self, value: int | None) -> bool:
        if value is None:
            return False
        return value >= self.at if self.at is not None else 0 < value <= (self.at_most or 0)


class AchievementsFile(_Strict):
    version: int = Field(ge=1)
    category: tuple[Category, ...]
    achievement: tuple[Achievement, ...]

    @model_validator(mode="after")
    def _refs(self) -> AchievementsFile:
        cats = {c.id for c in self.category}
        ids: set[str] = set()
        for a in self.achievement:
            if a.category not in cats:
                raise ValueError(f"achievement {a.id!r} has an unknown category {a.category!r}")
            if a.id in ids:
                raise ValueError(f"achievement {a.id!r} is listed twice")
            ids.add(a.id)
        return self


class Milestone(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    name: str
    lifetime_chi: int = Field(ge=1)
    reward: int = Field(ge=1)


class MilestonesFile(_Strict):
    version: int = Field(ge=1)
    milestone: tuple[Milestone, ...]

    @model_validator(mode="after")
    def _ordered(self) -> MilestonesFile:
        thresholds = [m.lifetime_chi for m in self.milestone]
        if thresholds != sorted(set(thresholds)):
            raise ValueError("milestones must be listed in increasing lifetime_chi, each once")
        for m in self.milestone:
            if m.reward * 10 > m.lifetime_chi:
                raise ValueError(f"milestone {m.id!r} pays more than a tenth of its threshold")
        return self
