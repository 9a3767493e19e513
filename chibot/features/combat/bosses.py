"""The solo bosses, pure: the schema of `content/bosses.toml` and the bosses' specials as the
engine's boss behaviours (`engine.BossBehaviour`, the `boss` hook).

A boss fights as an `auto` fighter (like the training NPCs, `npcs.py`): its own attack each
turn, chosen and aimed by the dice, at level 0. Its special is data (`Special.kind`) that
`Behaviours` turns into outcomes at the start or the end of each round (legacy-combat §6.4,
each made real and fair):

- **crushing_blow** (Fang): with `chance`% at each round's end, an extra blow of `amount` at a
  standing enemy that can't be dodged (the legacy text said "ignores defence"; there was no
  defence, and the blow only replaced the roll by the maximum: here it is a blow of its own).
- **iron_wall** (Ironhide): every `every` rounds, at the round's end, it heals `amount`% of its
  max HP (legacy: 150 on rounds 3, 6, 9…).
- **infernal_roar** (Emberclaw, the Rifter): at the start of round 1 every enemy burns,
  `amount` a round for `rounds` (legacy: 25 × 3, applied once; 15 here, docs/bosses.md).

The dice of a round's end are thrown in one order: the special's die, then its target's. The
entry, the cooldown and the drops are the boss fight service's (`boss_fights.py`); the
numbers, and why they are not the old ones, are docs/bosses.md's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry
from chibot.core.rng import Rng
from chibot.features.combat.effects import Effect
from chibot.features.combat.engine import Fight, Fighter, Hit, Inflict, Mend, Outcome
from chibot.features.combat.npcs import Hit as BossHit
from chibot.features.combat.rules import Weapon, WeaponAttack

BOSS_PREFIX = "boss:"  # a boss fighter's id: `boss:fang` (never a member id)
BOSS_CODE = "BOSS"  # its synthetic weapon's code (the attack is `BOSS1`)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Special(_Strict):
    kind: Literal["crushing_blow", "iron_wall", "infernal_roar"]
    name: str = Field(min_length=1, max_length=40)
    chance: int = Field(100, ge=0, le=100)
    amount: int = Field(ge=1, le=100_000)
    every: int = Field(1, ge=1, le=20)
    rounds: int = Field(1, ge=1, le=10)


class Drop(_Strict):
    item: str
    chance: int = Field(ge=1, le=100)  # percent
    min: int = Field(1, ge=1, le=100)
    max: int = Field(1, ge=1, le=100)

    @model_validator(mode="after")
    def _range(self) -> Drop:
        if self.max < self.min:
            raise ValueError(f"{self.item}: max must be at least min ({self.min})")
        return self


class Boss(_Strict):
    key: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=1, max_length=40)
    emoji: str = Field(min_length=1, max_length=8)
    hp: int = Field(ge=1, le=1_000_000)
    hit: BossHit
    special: Special
    entry_chi: int = Field(0, ge=0, le=1_000_000)  # what entering costs, or
    entry_key: str | None = None  # the key (an item id) it takes, used up
    reward: int = Field(ge=0, le=1_000_000)
    cooldown_hours: int = Field(ge=1, le=24 * 7)  # after a win, before the next one pays
    description: str = Field(min_length=1, max_length=120)
    drops: tuple[Drop, ...] = ()

    @model_validator(mode="after")
    def _entry(self) -> Boss:
        if (self.entry_chi > 0) == (self.entry_key is not None):
            raise ValueError(f"{self.key}: an entry is either chi or a key, not both or none")
        return self

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"

    @property
    def fighter_id(self) -> str:
        return f"{BOSS_PREFIX}{self.key}"

    def fighter(self, side: str) -> Fighter:
        attack = WeaponAttack(f"{BOSS_CODE}1", self.hit.name, self.hit.min, self.hit.max)
        weapon = Weapon(self.fighter_id, self.hit.name, BOSS_CODE, self.hit.max, (attack,))
        return Fighter(self.fighter_id, self.name, side, self.hp, self.hp, weapon=weapon, auto=True)


class BossesFile(_Strict):
    version: int = Field(ge=1)
    boss: tuple[Boss, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> BossesFile:
        keys = [b.key for b in self.boss]
        if len(set(keys)) != len(keys):
            raise ValueError("two bosses share a key")
        return self

    def get(self, key: str) -> Boss | None:
        return next((b for b in self.boss if b.key == key), None)


def check_content(content: BossesFile, items: ItemRegistry) -> None:
    """Every key and drop is an item of the registry."""
    problems = []
    for b in content.boss:
        named = [d.item for d in b.drops] + ([b.entry_key] if b.entry_key else [])
        problems += [f"boss {b.key!r}: unknown item {i!r}" for i in named if i not in items.by_id]
    if problems:
        raise ContentError("\n".join(f"content/bosses.toml: {p}" for p in problems))


class Behaviours:
    """The `boss` hook of a boss fight: each boss fighter's special, from the content."""

    def __init__(self, content: BossesFile) -> None:
        self.by_id = {b.fighter_id: b.special for b in content.boss}

    def _special(self, boss: Fighter) -> Special | None:
        return self.by_id.get(boss.id)

    def round_start(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        special = self._special(boss)
        if special is None or special.kind != "infernal_roar" or fight.round != 1:
            return []
        burn = Effect("burn", special.rounds, special.amount, boss.id)
        return [Inflict(f.id, burn) for f in _enemies(fight, boss)]

    def round_end(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        special = self._special(boss)
        if special is None:
            return []
        if special.kind == "iron_wall":
            if fight.round % special.every:
                return []
            return [Mend(boss.id, boss.max_hp * special.amount // 100, special.name)]
        if special.kind == "crushing_blow":
            die = rng.random()
            enemies = _enemies(fight, boss)
            if not enemies or die * 100 >= special.chance:
                return []
            target = enemies[rng.randint(0, len(enemies) - 1)]
            return [Hit(target.id, special.amount, special.name, source=boss.id, sure=True)]
        return []

    def turn(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        return []  # a solo boss always plays its hit (its special is at the round's edges)


def _enemies(fight: Fight, boss: Fighter) -> list[Fighter]:
    return [f for f in fight.fighters if f.side != boss.side and f.standing]
