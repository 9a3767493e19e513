"""Teams: the rules, as pure functions and tables of numbers (docs/teams.md says why).

A team is a server's circle of members: a leader, officers and members (one team per member
per server), a chi bank, a base with a tier, a gym and an arena, decorations and gym
equipment, a score and a record. Everything here is pure: no database, no Discord, the time
passed in. The service (`service.py`) applies these rules in one transaction per command.

What the upgrades do (nothing is cosmetic while described as a bonus):
- **Base tier** (1 Camp … 5 Citadel): the member cap (5, 8, 12, 16, 20: the old bot's 20 at
  the top) and the most an officer may withdraw from the bank per day.
- **Gym level** (0–5): the cap of each training bonus a member can build in the gym
  (5% at level 0 up to 30% at level 5); `team train <equipment>` adds the equipment's bonus
  (Treadmill +1.5% speed, Weight Bench +2% strength, Punching Bag +1% melee), with the old
  bot's cooldowns. Combat reads them through `TeamsService.combat_bonuses`.
- **Arena level** (0–5): +2% damage per level in team duels (combat reads `arena_bonus`).
- **Decorations**: `team relax <place>` at a TV, Couch or Bed pays a small amount of chi on a
  cooldown (a capped faucet); the Pirate Hat is decoration only, and says so.
Upgrades are paid from the bank in chi and in **trophies**: one per duel win (three per team
boss victory). Trophies are spent; the win/loss record never is (the old bot spent its wins,
which rewrote the record).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from chibot.core.names import name_problem

# --- names ----------------------------------------------------------------------------------

NAME_MIN, NAME_MAX = 3, 24
_FORBIDDEN = set("@#<>*_~`|[]()\\/:")
_LINKISH = re.compile(r"(https?|www\.|discord\.gg|\.[a-z]{2,}\b)", re.IGNORECASE)


class NameProblem(ValueError):
    """Why a team name is refused: `problem` is `short`, `long`, `lines`, `invisible`,
    `markup`, `link` or `letters`."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def clean_name(text: str) -> str:
    """A team name as stored and shown, or `NameProblem`: one line, 3–24 characters, with a
    letter or digit, no mention, markdown or link characters (a name is shown in many places
    and must never ping or format)."""
    name, problem = name_problem(
        text, least=NAME_MIN, most=NAME_MAX, forbidden=_FORBIDDEN, linkish=_LINKISH
    )
    if problem is not None:
        raise NameProblem(problem)
    return name


def name_key(name: str) -> str:
    """What makes two names the same team name in a server (case and width folded)."""
    return unicodedata.normalize("NFKC", name).casefold()


# --- colours --------------------------------------------------------------------------------

COLOURS: dict[str, int] = {
    "white": 0xECEFF1,
    "red": 0xE53935,
    "blue": 0x1E88E5,
    "green": 0x43A047,
    "yellow": 0xFDD835,
    "purple": 0x8E24AA,
    "orange": 0xFB8C00,
    "pink": 0xD81B60,
    "black": 0x212121,
}
DEFAULT_COLOUR = "white"


def parse_colour(text: str) -> str | None:
    key = text.strip().lower()
    return key if key in COLOURS else None


# --- roles ----------------------------------------------------------------------------------

LEADER, OFFICER, MEMBER = "leader", "officer", "member"
ROLES = (LEADER, OFFICER, MEMBER)
RANK = {LEADER: 0, OFFICER: 1, MEMBER: 2}


def may_invite(role: str) -> bool:
    return role in (LEADER, OFFICER)


def may_kick(actor: str, target: str) -> bool:
    """Leaders kick anyone but themselves; officers kick members only."""
    return RANK[actor] < RANK[target] and actor in (LEADER, OFFICER)


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    role: str
    joined_at: datetime


def successor(members: Sequence[Standing], leaving: int) -> int | None:
    """Who leads when the leader goes: the longest-standing officer, else the longest-standing
    member; None when nobody is left."""
    others = [m for m in members if m.user_id != leaving]
    if not others:
        return None
    others.sort(key=lambda m: (RANK[m.role] if m.role != LEADER else 0, m.joined_at, m.user_id))
    return others[0].user_id


# --- the base -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    level: int
    name: str
    member_cap: int
    withdraw_cap: int  # the most an officer may take from the bank per day
    chi: int  # what reaching this tier costs from the bank
    trophies: int


TIERS: tuple[Tier, ...] = (
    Tier(1, "Camp", 5, 1_000, 0, 0),
    Tier(2, "Outpost", 8, 5_000, 5_000, 5),
    Tier(3, "Hall", 12, 15_000, 15_000, 10),
    Tier(4, "Fortress", 16, 40_000, 40_000, 20),
    Tier(5, "Citadel", 20, 100_000, 100_000, 30),
)
MAX_TIER = TIERS[-1].level
GYM_MAX = ARENA_MAX = 5


def tier(level: int) -> Tier:
    return TIERS[max(1, min(level, MAX_TIER)) - 1]


@dataclass(frozen=True, slots=True)
class Cost:
    chi: int
    trophies: int


FACILITIES = ("base", "gym", "arena")


def upgrade_cost(facility: str, level: int) -> Cost | None:
    """What raising `facility` from `level` costs, or None at its top level. The base's
    costs are the tier table's; gym and arena follow the old bot's curves in trophies
    (10 × and 15 × the next level) plus chi."""
    if facility == "base":
        return None if level >= MAX_TIER else Cost(TIERS[level].chi, TIERS[level].trophies)
    if facility == "gym":
        return None if level >= GYM_MAX else Cost(3_000 * (level + 1), 10 * (level + 1))
    if facility == "arena":
        return None if level >= ARENA_MAX else Cost(4_000 * (level + 1), 15 * (level + 1))
    raise ValueError(facility)


def training_cap_pct(gym_level: int) -> float:
    """The most any one training bonus can reach with this gym: 5% per level above 0, from 5%."""
    return 5.0 * (max(0, min(gym_level, GYM_MAX)) + 1)


def arena_bonus_pct(arena_level: int) -> float:
    """Extra damage in team duels: +2% per arena level."""
    return 2.0 * max(0, min(arena_level, ARENA_MAX))


TRAINING_MINUTES = {  # equipment spot (the combat stat it trains) -> cooldown: the old bot's
    "melee": 30,
    "speed": 15,
    "strength": 10,
}
STATS = tuple(TRAINING_MINUTES)


def trained(current_pct: float, bonus_pct: float, gym_level: int) -> float:
    """A training bonus after one session: capped by the gym, never past it."""
    return round(min(training_cap_pct(gym_level), current_pct + bonus_pct), 2)


@dataclass(frozen=True, slots=True)
class Perk:
    chi: int
    hours: int


RELAX: dict[str, Perk] = {  # decoration item id -> what relaxing there gives
    "tv": Perk(20, 6),
    "couch": Perk(10, 6),
    "bed": Perk(30, 12),
}


# --- the bank -------------------------------------------------------------------------------


def day_number(when: datetime) -> int:
    """The UTC day, for the officers' daily withdraw allowance."""
    return when.toordinal()


def withdraw_allowance(
    role: str, officer_limit: int, tier_level: int, taken_today: int
) -> int | None:
    """How much more this member may withdraw today: None for the leader (the whole bank);
    officers up to the leader's limit, itself capped by the base tier; members nothing."""
    if role == LEADER:
        return None
    if role != OFFICER:
        return 0
    return max(0, min(officer_limit, tier(tier_level).withdraw_cap) - taken_today)


def split(total: int, weights: Mapping[int, int], fallback: int) -> dict[int, int]:
    """Share `total` among members in proportion to `weights` (what each donated), exactly
    (largest remainders, ties to the lower id); all to `fallback` if nobody has a weight."""
    weights = {u: w for u, w in weights.items() if w > 0}
    if total <= 0:
        return {}
    if not weights:
        return {fallback: total}
    whole = sum(weights.values())
    shares = {u: total * w // whole for u, w in weights.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda u: (-(total * weights[u] % whole), u))
    for u in order[:left]:
        shares[u] += 1
    return {u: s for u, s in shares.items() if s > 0}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """What a fight's result does to a team's record."""

    wins: int = 0
    losses: int = 0
    ties: int = 0
    score: int = 0
    trophies: int = 0


DUEL = {"win": Result(wins=1, score=1, trophies=1), "loss": Result(losses=1), "tie": Result(ties=1)}
TEAM_DUEL = {
    "win": Result(wins=1, score=100, trophies=1),
    "forfeit_win": Result(wins=1, score=50, trophies=1),
    "loss": Result(losses=1),
    "forfeit": Result(losses=1, score=-25),
    "tie": Result(ties=1),
}
TEAM_BOSS = {
    "victory": Result(wins=1, score=200, trophies=3),
    "defeat": Result(losses=1, score=-50),
    "retreat": Result(losses=1, score=-25),
}


def scored(score: int, change: int) -> int:
    """A team's score never goes below zero."""
    return max(0, score + change)
