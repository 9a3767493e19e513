"""Pure rules of progress: which achievements are due, which milestones are claimable, what
an item upgrade costs, a member's maximum HP, the level card, the achievement board and the
`stats` summary. No Discord, no database: plain data in, plain data out.

Decisions recorded here:
- **Level** is the economy's (`level_for(lifetime chi)`, capped at `MAX_LEVEL`); each level adds
  `LEVEL_BONUS_PCT` (5%) to damage and healing in fights, like each item upgrade level does
  for that item (the legacy formula: base x (1 + 0.05 x (member level + item level))).
- **Upgrade price** grows linearly with the level (a quarter of the item's price per level
  reached) and stops at the item's `max_level`; the price is the chi-shop base price scaled by
  the server's `shop_price_multiplier` (percent), rounded up like the shop's own price.
- **Stats** classify ledger rows by reason: positive chi is *earned* unless it was received
  from a member (`give`), added by an admin (`admin.*`) or paid back for an item (a reason
  ending in `sell`, `sale` or `refund`); negative chi is a *chat penalty* (`chat.*`), *given*
  (`give`), *removed by an admin* (`admin.*`) or else *spent*. Unknown reasons are grouped by
  their first dot-separated word, so later systems appear without a change here. "Earned"
  in `stats` is income from play, milestone rewards included; it can differ from lifetime
  chi (the level), which milestone rewards do not raise.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chibot.features.progress.content import TIER_ORDER, Achievement, Category, Milestone

# --- levels -------------------------------------------------------------------------------

LEVEL_STEP = 500
MAX_LEVEL = 100


def chi_for_level(level: int) -> int:
    """Lifetime chi needed to reach `level`: 500, 1,500, 3,000, ... (500 x the level's
    triangular number), so each level asks for 500 more than the one before."""
    return LEVEL_STEP * level * (level + 1) // 2


def level_for(lifetime_chi: int) -> int:
    """The level of a member from the chi they have ever earned (spending never lowers it)."""
    if lifetime_chi < LEVEL_STEP:
        return 0
    level = int((math.isqrt(8 * (lifetime_chi // LEVEL_STEP) + 1) - 1) // 2)
    while chi_for_level(level + 1) <= lifetime_chi:
        level += 1
    while chi_for_level(level) > lifetime_chi:
        level -= 1
    return min(level, MAX_LEVEL)


BASE_HP = 250
MAX_PERMANENT_HP = 2_750  # 250 + 2,750 = 3,000: "Unbreakable" is reachable, and no further
LEVEL_BONUS_PCT = 5
ITEM_BONUS_PCT = 5


def due(
    achievements: Iterable[Achievement], unlocked: Iterable[str], values: Mapping[str, int]
) -> list[Achievement]:
    """Achievements reached by `values` (counter -> value) and not unlocked yet."""
    have = set(unlocked)
    return [a for a in achievements if a.id not in have and a.reached(values.get(a.counter))]


def claimable(
    milestones: Iterable[Milestone], claimed: Iterable[str], lifetime_chi: int
) -> list[Milestone]:
    done = set(claimed)
    return [m for m in milestones if m.id not in done and lifetime_chi >= m.lifetime_chi]


def max_hp(permanent_hp: int) -> int:
    return BASE_HP + min(max(permanent_hp, 0), MAX_PERMANENT_HP)


def upgrade_cost(price: int, level: int) -> int:
    """Chi to raise an item from `level` to `level + 1`: a quarter of its price per level
    reached, so level 1 costs 25% of the price and level 10 costs 250%."""
    return max(1, price * (level + 1) // 4)


def damage_bonus_pct(level: int) -> int:
    """Each upgrade level adds 5% to a weapon's damage (and a healing item's healing)."""
    return ITEM_BONUS_PCT * level


def scaled_price(base_price: int, multiplier_pct: int) -> int:
    """A chi-shop price in one server: the base price times `shop_price_multiplier` / 100,
    rounded up (as the shop rounds the price it shows), at least 1 chi."""
    return max(1, -(-base_price * multiplier_pct // 100))


def next_upgrade_cost(price: int, level: int, max_level: int) -> int | None:
    """What the next upgrade would cost, or None when the item is fully upgraded."""
    return None if level >= max_level else upgrade_cost(price, level)


# --- the level card -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelCard:
    level: int
    lifetime_chi: int
    floor: int  # lifetime chi at which this level was reached
    next_at: int | None  # lifetime chi for the next level; None at the maximum level
    damage_bonus_pct: int  # +% damage and healing in fights, from the level

    @property
    def to_next(self) -> int:
        return 0 if self.next_at is None else max(0, self.next_at - self.lifetime_chi)

    @property
    def fraction(self) -> float:
        """How far through the current level (0..1); 1 at the maximum level."""
        if self.next_at is None:
            return 1.0
        span = self.next_at - self.floor
        return min(1.0, max(0.0, (self.lifetime_chi - self.floor) / span)) if span > 0 else 0.0


def level_card(lifetime_chi: int) -> LevelCard:
    level = level_for(max(0, lifetime_chi))
    next_at = None if level >= MAX_LEVEL else chi_for_level(level + 1)
    return LevelCard(level, lifetime_chi, chi_for_level(level), next_at, LEVEL_BONUS_PCT * level)


def progress_bar(fraction: float, width: int = 12) -> str:
    filled = round(min(1.0, max(0.0, fraction)) * width)
    return "▰" * filled + "▱" * (width - filled)


# --- milestones ---------------------------------------------------------------------------

MilestoneState = Literal["claimed", "claimable", "locked"]


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    milestone: Milestone
    state: MilestoneState
    to_go: int  # lifetime chi still to earn (0 unless locked)


def milestone_rows(
    milestones: Iterable[Milestone], claimed: Collection[str], lifetime_chi: int
) -> list[MilestoneRow]:
    rows = []
    for m in milestones:
        if m.id in claimed:
            rows.append(MilestoneRow(m, "claimed", 0))
        elif lifetime_chi >= m.lifetime_chi:
            rows.append(MilestoneRow(m, "claimable", 0))
        else:
            rows.append(MilestoneRow(m, "locked", m.lifetime_chi - lifetime_chi))
    return rows


# --- achievements -------------------------------------------------------------------------

AchievementState = Literal["unlocked", "locked", "hidden", "unavailable"]


@dataclass(frozen=True, slots=True)
class AchievementRow:
    achievement: Achievement
    state: AchievementState
    unlocked_at: datetime | None = None
    value: int | None = None  # the counter's value now (None: never recorded)


def find_category(categories: Iterable[Category], text: str) -> Category | None:
    """A category by id or name, in any case (`combat`, `Combat`)."""
    key = text.strip().lower()
    return next((c for c in categories if key in (c.id, c.name.lower())), None)


def achievement_rows(
    achievements: Iterable[Achievement],
    categories: Iterable[Category],
    unlocked: Mapping[str, datetime],
    values: Mapping[str, int],
    installed: Collection[str],
    category: str | None = None,
) -> list[AchievementRow]:
    """The board: by category (file order), then legendary -> epic -> rare -> common (file
    order within a tier). Unlocked ones carry their date; locked ones of a system that is not
    installed are `unavailable`; hidden locked ones are `hidden` (no name, no progress)."""
    order = {c.id: i for i, c in enumerate(categories)}
    chosen = [
        (i, a) for i, a in enumerate(achievements) if category is None or a.category == category
    ]
    chosen.sort(key=lambda p: (order.get(p[1].category, len(order)), TIER_ORDER[p[1].tier], p[0]))
    rows = []
    for _, a in chosen:
        if a.id in unlocked:
            rows.append(AchievementRow(a, "unlocked", unlocked_at=unlocked[a.id]))
        elif a.system not in installed:
            rows.append(AchievementRow(a, "unavailable"))
        elif a.hidden:
            rows.append(AchievementRow(a, "hidden"))
        else:
            rows.append(AchievementRow(a, "locked", value=values.get(a.counter)))
    return rows


# --- stats --------------------------------------------------------------------------------

NOT_EARNED_ENDINGS = ("sell", "sale", "refund")


@dataclass(frozen=True, slots=True)
class LedgerTotal:
    """One aggregate of a member's ledger: all rows of one currency, reason and sign."""

    currency: str
    reason: str
    sign: int  # +1 or -1
    total: int  # the sum of the deltas (negative when sign is -1)
    count: int


def reason_group(reason: str) -> str:
    """What a ledger reason is grouped under: its first dot-separated word
    (`chat.positive` -> `chat`, `progress.upgrade` -> `progress`, `shop.buy` -> `shop`)."""
    return reason.split(".", 1)[0]


@dataclass
class StatsSummary:
    earned: int = 0
    earned_by: dict[str, int] = field(default_factory=dict)  # group -> chi
    chat_penalties: int = 0
    spent: int = 0
    spent_by: dict[str, int] = field(default_factory=dict)
    given: int = 0
    gives: int = 0  # how many times
    received: int = 0
    receipts: int = 0
    sold: int = 0  # chi paid back for items
    admin_added: int = 0
    admin_removed: int = 0
    rebirths_gained: int = 0
    rebirths_spent: int = 0
    rebirths_given: int = 0
    rebirths_received: int = 0


def summarize(totals: Iterable[LedgerTotal]) -> StatsSummary:
    """Classify a member's ledger aggregates (see the module docstring). Amounts are positive."""
    s = StatsSummary()
    for t in totals:
        amount = abs(t.total)
        group = reason_group(t.reason)
        is_give = t.reason == "give"
        is_admin = t.reason.startswith("admin.")
        if t.currency != "chi":
            if is_give:
                if t.sign > 0:
                    s.rebirths_received += amount
                else:
                    s.rebirths_given += amount
            elif not is_admin:
                if t.sign > 0:
                    s.rebirths_gained += amount
                else:
                    s.rebirths_spent += amount
            continue
        if t.sign > 0:
            if is_give:
                s.received += amount
                s.receipts += t.count
            elif is_admin:
                s.admin_added += amount
            elif t.reason.rsplit(".", 1)[-1] in NOT_EARNED_ENDINGS:
                s.sold += amount
            else:
                s.earned += amount
                s.earned_by[group] = s.earned_by.get(group, 0) + amount
        else:
            if group == "chat":
                s.chat_penalties += amount
            elif is_give:
                s.given += amount
                s.gives += t.count
            elif is_admin:
                s.admin_removed += amount
            else:
                s.spent += amount
                s.spent_by[group] = s.spent_by.get(group, 0) + amount
    return s


def counter_label(name: str, labels: Mapping[str, str]) -> str:
    """A friendly name for a counter: the known label, else the name title-cased
    (`plants_harvested` -> `Plants Harvested`), so later systems show up on their own."""
    return labels.get(name) or name.replace("_", " ").strip().title()


def clean_query(text: str, limit: int = 40) -> str:
    """A user's search text, safe to quote back in a reply (no backticks, no newlines)."""
    text = " ".join(text.replace("`", "'").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def crossed(before: int, after: int, thresholds: Sequence[int]) -> bool:
    """True if going from `before` to `after` reached one of the sorted `thresholds`
    (before < t <= after). Lets a fact skip the achievement check when no threshold
    of a counter it moved was reached (the chat path)."""
    i = bisect_right(thresholds, before)
    return i < len(thresholds) and thresholds[i] <= after
