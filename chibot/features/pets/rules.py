"""Pets' rules, pure: no database, no Discord; the clock's time is passed in (`now`).

A pet's state is a snapshot taken at its last feeding (or training, or adoption): hunger
(0..100) and health then, and the time. From it:

- **Hunger** falls linearly from the snapshot: a full belly (100) is empty after the species'
  `hours_full` hours.
- **Fed** means hunger at least `fed_at_least`; below that the pet is *starving*: it cannot
  fight, cannot train and gives no garden bonus. Nothing worse: a pet never dies or runs away.
- **Health follows hunger**: while starving, a pet loses `health_loss_pct` of its max HP an
  hour, down to `health_floor_pct` of its max (never below).
- **Feeding** restores the food's hunger points (capped at 100) and its HP (capped at the max;
  heal training adds a percent).
- **Training** raises one of four levels, each capped, each with a real effect on the numbers
  combat will read: heal (food and healing attacks heal more), health (max HP), attack (damage),
  special (the chance of an attack's effect). The pet's level is 1 + its trained levels.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from chibot.core.names import name_problem
from chibot.features.pets.content import (
    TRAIN_KINDS,
    AttackEffect,
    GardenBonus,
    Hunger,
    PetAttack,
    Species,
    Training,
)

FULL = 100
NAME_MIN, NAME_MAX = 2, 24
_FORBIDDEN = set("@#<>*_~`|[]()\\:")
_LINKISH = re.compile(r"(https?|discord\.gg|www\.)", re.IGNORECASE)


class NameProblem(ValueError):
    """Why a nickname is refused: `lines`, `short`, `long`, `invisible`, `markup`, `link`,
    `letters`."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True, slots=True)
class Levels:
    heal: int = 0
    health: int = 0
    attack: int = 0
    special: int = 0

    def of(self, kind: str) -> int:
        return int(getattr(self, kind))

    def raised(self, kind: str) -> Levels:
        values: dict[str, int] = {k: self.of(k) for k in TRAIN_KINDS}
        values[kind] += 1
        return Levels(**values)

    @property
    def total(self) -> int:
        return sum(self.of(k) for k in TRAIN_KINDS)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A pet's hunger and health at `at` (its last feeding, training or adoption)."""

    hunger: int
    hp: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Condition:
    hunger: int
    hp: int
    max_hp: int
    fed: bool
    starving_since: datetime | None  # when it fell below the fed line, if it has
    hungry_at: datetime  # when it is (or was) no longer fed


def pct_of(value: int, pct: float) -> int:
    return math.floor(value * pct / 100)


def level(levels: Levels) -> int:
    return 1 + levels.total


def max_hp(species: Species, levels: Levels, health: Training) -> int:
    return species.hp + pct_of(species.hp, health.per_level_pct * levels.health)


def hunger_at(snap: Snapshot, species: Species, now: datetime) -> int:
    """Hunger now: the snapshot's, less what the hours since took (rounded down to whole points, at least 0)."""
    elapsed = max(0.0, (now - snap.at).total_seconds())
    lost = elapsed * FULL / (species.hours_full * 3600)
    return max(0, math.floor(snap.hunger - lost + 1e-9))


def hungry_at(snap: Snapshot, species: Species, rules: Hunger) -> datetime:
    """When hunger falls below the fed line (the snapshot's time if it already was)."""
    above = snap.hunger - rules.fed_at_least
    if above < 0:
        return snap.at
    return snap.at + timedelta(seconds=above * species.hours_full * 3600 / FULL)


def health_at(snap: Snapshot, top: int, species: Species, rules: Hunger, now: datetime) -> int:
    """Health now: the snapshot's, less `health_loss_pct` of `top` an hour spent starving since
    (not below the floor; a snapshot already below the floor stays where it is)."""
    since = hungry_at(snap, species, rules)
    if now <= since or rules.health_loss_pct == 0:
        return min(top, snap.hp)
    starving = (now - since).total_seconds()
    lost = math.floor(top * rules.health_loss_pct / 100 * starving / 3600)
    floor = floor_hp(top, rules)
    return min(top, max(min(snap.hp, floor), snap.hp - lost))


def floor_hp(top: int, rules: Hunger) -> int:
    return max(1, math.ceil(top * rules.health_floor_pct / 100))


def condition(
    snap: Snapshot, species: Species, top: int, rules: Hunger, now: datetime
) -> Condition:
    hunger = hunger_at(snap, species, now)
    since = hungry_at(snap, species, rules)
    fed = hunger >= rules.fed_at_least
    return Condition(
        hunger,
        health_at(snap, top, species, rules, now),
        top,
        fed,
        None if fed else since,
        since,
    )


def feed(
    now_hunger: int, now_hp: int, top: int, food_hunger: int, food_heal: int, heal_pct: int
) -> tuple[int, int]:
    """(hunger, hp) after one food: capped at 100 and at the max HP; heal training's percent
    adds to the food's HP."""
    hunger = min(FULL, now_hunger + food_hunger)
    hp = min(top, now_hp + food_heal + pct_of(food_heal, heal_pct))
    return hunger, hp


def train_cost(training: Training, current: int) -> int:
    """Chi to go from level `current` to the next: the price times the new level."""
    return training.price * (current + 1)


def may_train(training: Training, current: int) -> bool:
    return current < training.max_level


def damage_pct(levels: Levels, attack: Training) -> int:
    """Percent added to the pet's attack damage by attack training."""
    return attack.per_level_pct * levels.attack


def heal_pct(levels: Levels, heal: Training) -> int:
    """Percent added to what food and the pet's healing attacks restore."""
    return heal.per_level_pct * levels.heal


def effect_chance(effect: AttackEffect, levels: Levels, special: Training) -> int:
    """An attack effect's chance with special training: a sure effect stays sure, an effect
    that never happens (chance 0) stays so; otherwise `per_level_pct` points a level, to 100."""
    if effect.chance in (0, 100):
        return effect.chance
    return min(100, effect.chance + special.per_level_pct * levels.special)


FIGHT_FLOOR_PCT = 50  # a wounded pet hits with its health share, never below half


def fight_pct(cond: Condition) -> int:
    """How hard the pet hits today, in percent: its health share (a pet fed back from
    starving has some way to go), never below `FIGHT_FLOOR_PCT`."""
    share = cond.hp * 100 // cond.max_hp if cond.max_hp else 0
    return max(FIGHT_FLOOR_PCT, min(100, share))


@dataclass(frozen=True, slots=True)
class FightMove:
    """One attack as a fight uses it (plain data, combat's `PetMove` fields): damage with
    attack training and health in it, the effect's chance with special training, a healing
    effect's amount with heal training."""

    code: str
    name: str
    low: int
    high: int
    kind: str
    chance: int
    amount: int
    rounds: int


HEALING_EFFECTS = frozenset({"heal_cleanse", "lifesteal"})


def fight_move(
    attack: PetAttack, levels: Levels, cond: Condition, trainings: dict[str, Training]
) -> FightMove:
    pct = (100 + damage_pct(levels, trainings["attack"])) * fight_pct(cond) // 100
    effect = attack.effect
    amount = effect.amount
    if effect.kind in HEALING_EFFECTS:
        amount = pct_of(amount, 100 + heal_pct(levels, trainings["heal"]))
    return FightMove(
        attack.code,
        attack.name,
        pct_of(attack.min, pct),
        pct_of(attack.max, pct),
        effect.kind,
        effect_chance(effect, levels, trainings["special"]),
        amount,
        effect.rounds,
    )


def garden_bonus(species: Species, fed: bool) -> GardenBonus | None:
    """The bonus the active pet gives what is planted now: none while it starves."""
    return species.garden if fed else None


def clean_name(text: str) -> str:
    """A nickname as stored and shown, or `NameProblem`: one line, 2–24 characters, with a
    letter or digit, no mention, markdown or link characters (it must never ping or format)."""
    name, problem = name_problem(
        text, least=NAME_MIN, most=NAME_MAX, forbidden=_FORBIDDEN, linkish=_LINKISH
    )
    if problem is not None:
        raise NameProblem(problem)
    return name
