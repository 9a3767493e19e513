"""Schema of `content/pets.toml`: the five species (HP, price, adoption food, how fast they
get hungry, garden bonus, three attacks each with their effect as data), the hunger rules and
the four trainings. Foods are items (`content/items.toml`, category `pet_food`); references to
them are checked against the item registry when the service is built (`check_content`).
How the numbers were chosen: `docs/pets.md`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry

EffectKind = Literal[
    "none",
    "burn",
    "crit",
    "weaken",
    "never_miss",
    "heal_cleanse",
    "lifesteal",
    "recoil",
    "empower",
    "poison",
    "heal_block",
    "fear",
    "stun",
]
TrainKind = Literal["heal", "health", "attack", "special"]
TRAIN_KINDS: tuple[TrainKind, ...] = ("heal", "health", "attack", "special")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AttackEffect(_Strict):
    """What an attack does besides its damage, for the combat engine to apply: `chance`
    percent to happen; `amount` is per kind (damage a round for burn and poison, percent for
    weaken, lifesteal, recoil, empower and crit's extra damage, HP for heal_cleanse);
    `rounds` how long it lasts (0: at once)."""

    kind: EffectKind
    chance: int = Field(ge=0, le=100)
    amount: int = Field(ge=0, le=1000)
    rounds: int = Field(ge=0, le=10)


class PetAttack(_Strict):
    code: str = Field(pattern=r"^P[0-9]{1,2}$")
    name: str = Field(min_length=1, max_length=40)
    min: int = Field(ge=0, le=10_000)
    max: int = Field(ge=0, le=10_000)
    effect: AttackEffect
    text: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _range(self) -> PetAttack:
        if self.max < self.min:
            raise ValueError(f"{self.code}: max must be at least min ({self.min})")
        return self


class GardenBonus(_Strict):
    yield_pct: int = Field(ge=0, le=100)
    growth_pct: int = Field(ge=0, le=50)
    rare_pct: int = Field(ge=0, le=100)


class Species(_Strict):
    key: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=1, max_length=24)
    emoji: str = Field(min_length=1, max_length=8)
    tier: int = Field(ge=1, le=10)  # 1 is the best
    hp: int = Field(ge=1, le=100_000)
    price: int = Field(ge=1)
    food: str  # the adoption food (an item id)
    food_qty: int = Field(ge=0, le=1000)
    hours_full: int = Field(ge=1, le=24 * 14)  # from hunger 100 to 0
    description: str = Field(min_length=1, max_length=200)
    garden: GardenBonus
    attacks: tuple[PetAttack, PetAttack, PetAttack]

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"


class Hunger(_Strict):
    fed_at_least: int = Field(ge=1, le=100)
    health_loss_pct: int = Field(ge=0, le=100)
    health_floor_pct: int = Field(ge=1, le=100)


class Training(_Strict):
    kind: TrainKind
    name: str = Field(min_length=1, max_length=24)
    max_level: int = Field(ge=1, le=50)
    price: int = Field(ge=1)  # chi for level 1; level n costs n times this
    cooldown_hours: int = Field(ge=0, le=24 * 7)
    per_level_pct: int = Field(ge=1, le=100)


class PetsFile(_Strict):
    version: int = Field(ge=1)
    hunger: Hunger
    train: tuple[Training, ...]
    species: tuple[Species, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> PetsFile:
        keys = [s.key for s in self.species]
        if len(set(keys)) != len(keys):
            raise ValueError("two species share a key")
        codes = [a.code for s in self.species for a in s.attacks]
        if len(set(codes)) != len(codes):
            raise ValueError("two attacks share a code")
        kinds = [t.kind for t in self.train]
        if sorted(kinds) != sorted(TRAIN_KINDS):
            raise ValueError(f"train lists each of {', '.join(TRAIN_KINDS)} once")
        return self

    def training(self, kind: str) -> Training:
        return next(t for t in self.train if t.kind == kind)


def check_content(content: PetsFile, items: ItemRegistry) -> None:
    """Every adoption food is a pet food of the item registry."""
    problems = []
    for s in content.species:
        item = items.by_id.get(s.food)
        if item is None:
            problems.append(f"species {s.key!r}: unknown food {s.food!r}")
        elif item.category != "pet_food" or item.effect("pet_food") is None:
            problems.append(f"species {s.key!r}: {s.food!r} is not a pet food")
    if problems:
        raise ContentError("\n".join(f"content/pets.toml: {p}" for p in problems))
