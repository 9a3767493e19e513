"""Pure rules of progress: which achievements are due, which milestones are claimable, what
an item upgrade costs, a member's maximum HP."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chibot.features.progress.content import Achievement, Milestone

BASE_HP = 250
MAX_PERMANENT_HP = 2_750  # 250 + 2,750 = 3,000: "Unbreakable" is reachable, and no further


def due(achievements: Iterable[Achievement], unlocked: Iterable[str], values: Mapping[str, int]) -> list[Achievement]:
    """Achievements reached by `values` (counter -> value) and not unlocked yet."""
    have = set(unlocked)
    return [a for a in achievements if a.id not in have and a.reached(values.get(a.counter))]


def claimable(milestones: Iterable[Milestone], claimed: Iterable[str], lifetime_chi: int) -> list[Milestone]:
    done = set(claimed)
    return [m for m in milestones if m.id not in done and lifetime_chi >= m.lifetime_chi]


def max_hp(permanent_hp: int) -> int:
    return BASE_HP + min(permanent_hp, MAX_PERMANENT_HP)


def upgrade_cost(price: int, level: int) -> int:
    """Chi to raise an item from `level` to `level + 1`: a quarter of its price per level
    reached, so level 1 costs 25% of the price and level 10 costs 250%."""
    return max(1, price * (level + 1) // 4)


def damage_bonus_pct(level: int) -> int:
    """Each upgrade level adds 5% to a weapon's damage (and a healing item's healing)."""
    return 5 * level
