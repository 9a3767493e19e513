"""The item registry: every item of the game, defined once in `content/items.toml`.

An item has a stable id (snake_case, never reused), a name, an emoji, a category, where it is
sold and for what, what it sells back for, whether it stacks, how far it can be upgraded, and
its effects. Items are found by id, by name in any case, or by shop code (`C1`, `R12`).

`requires` names the game system that gives an item its use. Shops list only items whose
system is installed (the registry's `installed`: every system's name and what its manifest
`makes_usable`), so the bot never sells something that does nothing yet: garden tools appear
with gardens, team decorations with teams. Fights read weapon and
healing effects; weapons can already be bought, inspected and upgraded.

Loot tables (`[[loot]]`) say what a key or box gives when used: weighted entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal[
    "weapon",
    "healing",
    "decoration",
    "gym",
    "tool",
    "seed",
    "pet_food",
    "potion",
    "ingredient",
    "ore",
    "artifact",
    "key",
    "reward",
    "hp_upgrade",
    "title",
]
CATEGORY_NAMES: dict[str, str] = {
    "weapon": "Weapons",
    "healing": "Healing",
    "decoration": "Decorations",
    "gym": "Gym",
    "tool": "Tools",
    "seed": "Seeds",
    "pet_food": "Pet food",
    "potion": "Potions",
    "ingredient": "Ingredients",
    "ore": "Ores",
    "artifact": "Artifacts",
    "key": "Keys & boxes",
    "reward": "Rewards",
    "hp_upgrade": "HP upgrades",
    "title": "Titles",
}
EffectKind = Literal[
    "weapon",
    "healing",
    "permanent_hp",
    "title",
    "loot",
    "decoration",
    "gym",
    "garden_tool",
    "watering",
    "fertilizer",
    "pet_food",
]
_ID = re.compile(r"^[a-z][a-z0-9_]{1,47}$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Attack(_Strict):
    name: str = Field(min_length=1, max_length=60)
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _range(self) -> Attack:
        if self.max < self.min:
            raise ValueError(f"max must be at least min ({self.min})")
        return self


class Effect(_Strict):
    """What an item does. Which fields a kind needs is checked below."""

    kind: EffectKind
    damage: int | None = Field(None, ge=1)  # weapon: base damage
    attacks: tuple[Attack, ...] = ()  # weapon: named attacks
    code: str | None = Field(None, pattern=r"^[A-Z]{2}$")  # weapon: attack codes are code + n
    heal: int | None = Field(None, ge=1)  # healing: HP restored (one use)
    hp: int | None = Field(None, ge=1)  # permanent_hp: max HP added
    loot: str | None = None  # loot: table id
    spot: str | None = None  # decoration / gym: where it goes in a team base
    bonus_pct: float | None = None  # gym / garden_tool / watering / fertilizer: in percent
    per_plant: int | None = Field(None, ge=1, le=100)  # garden_tool: flat chi per plant
    hunger: int | None = Field(None, ge=1, le=100)  # pet_food: hunger points restored (of 100)

    @model_validator(mode="after")
    def _fields(self) -> Effect:
        need = {
            "weapon": ("damage", "code"),
            "healing": ("heal",),
            "permanent_hp": ("hp",),
            "loot": ("loot",),
            "decoration": ("spot",),
            "gym": ("spot", "bonus_pct"),
            "garden_tool": ("bonus_pct",),
            "watering": ("bonus_pct",),
            "fertilizer": ("bonus_pct",),
            "pet_food": ("hunger", "heal"),
        }.get(self.kind, ())
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} effect needs {', '.join(missing)}")
        if self.kind == "weapon" and not self.attacks:
            raise ValueError("a weapon effect needs at least one attack")
        return self


class Buy(_Strict):
    """Where an item is sold: the chi shop (`C` codes), the rebirth shop (`R`, priced in
    rebirths), the garden shop (`G`, in chi, to garden owners: `features/gardens`) or the
    pet-food shop (`F`, in chi: `features/pets`)."""

    shop: Literal["chi", "rebirth", "garden", "pet"]
    price: int = Field(ge=1)
    code: str = Field(pattern=r"^[CRGF][0-9]{1,3}$")

    @model_validator(mode="after")
    def _code_matches_shop(self) -> Buy:
        if self.code[0] != {"chi": "C", "rebirth": "R", "garden": "G", "pet": "F"}[self.shop]:
            raise ValueError(f"a {self.shop}-shop code starts with its shop's letter")
        return self


class Item(_Strict):
    id: str
    name: str = Field(min_length=1, max_length=60)
    emoji: str = Field(min_length=1, max_length=16)
    category: Category
    description: str = Field(min_length=1, max_length=300)
    stacks: bool = True
    max_level: int = Field(0, ge=0, le=50)  # 0: cannot be upgraded
    sell: int = Field(0, ge=0)  # chi paid back per unit; 0: cannot be sold
    requires: str = "economy"
    buy: Buy | None = None
    effects: tuple[Effect, ...] = ()

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("an id is snake_case: lower-case letters, digits and _")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.max_level and self.stacks:
            raise ValueError("an upgradable item cannot stack (each copy would need its level)")
        if self.buy and self.sell:
            cheapest = self.buy.price if self.buy.shop in ("chi", "garden", "pet") else None
            if cheapest is not None and self.sell * 2 > cheapest:
                raise ValueError(
                    f"sell ({self.sell}) must be at most half the buy price ({cheapest})"
                )
        if self.buy and self.buy.shop == "rebirth" and self.sell:
            raise ValueError("rebirth-shop items cannot be sold for chi")
        return self

    @property
    def upgradable(self) -> bool:
        return self.max_level > 0

    def effect(self, kind: str) -> Effect | None:
        return next((e for e in self.effects if e.kind == kind), None)

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"


class LootEntry(_Strict):
    item: str
    qty: int = Field(1, ge=1, le=1000)
    weight: int = Field(ge=1)


class LootTable(_Strict):
    id: str
    entries: tuple[LootEntry, ...] = Field(min_length=1)


class ItemsFile(_Strict):
    version: int = Field(ge=1)
    item: tuple[Item, ...]
    loot: tuple[LootTable, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> ItemsFile:
        ids: set[str] = set()
        names: set[str] = set()
        codes: set[str] = set()
        for item in self.item:
            for seen, key, what in ((ids, item.id, "id"), (names, item.name.lower(), "name")):
                if key in seen:
                    raise ValueError(f"two items share the {what} {key!r}")
                seen.add(key)
            if item.buy:
                if item.buy.code in codes:
                    raise ValueError(f"two items share the shop code {item.buy.code}")
                codes.add(item.buy.code)
        tables = {t.id for t in self.loot}
        for table in self.loot:
            for entry in table.entries:
                if entry.item not in ids:
                    raise ValueError(
                        f"loot table {table.id!r} names an unknown item {entry.item!r}"
                    )
        for item in self.item:
            for effect in item.effects:
                if effect.kind == "loot" and effect.loot not in tables:
                    raise ValueError(
                        f"item {item.id!r} opens an unknown loot table {effect.loot!r}"
                    )
        return self


def _code_number(item: Item) -> tuple[str, int]:
    assert item.buy is not None
    return item.buy.code[0], int(item.buy.code[1:])


@dataclass(frozen=True)
class ItemRegistry:
    """Lookups over the validated items file."""

    source: ItemsFile
    installed: frozenset[str] = frozenset({"economy"})
    """Systems of this release: an item whose `requires` is not among them is not sold."""
    by_id: dict[str, Item] = field(init=False)
    _by_key: dict[str, Item] = field(init=False)
    loot: dict[str, LootTable] = field(init=False)

    def __post_init__(self) -> None:
        by_id = {i.id: i for i in self.source.item}
        keys: dict[str, Item] = {}
        for item in self.source.item:
            keys[item.id] = item
            keys[item.name.lower()] = item
            if item.buy:
                keys[item.buy.code.lower()] = item
        object.__setattr__(self, "by_id", by_id)
        object.__setattr__(self, "_by_key", keys)
        object.__setattr__(self, "loot", {t.id: t for t in self.source.loot})

    def __iter__(self) -> Iterator[Item]:
        return iter(self.source.item)

    def usable(self, item: Item) -> bool:
        """Its system is installed (it does something in this release)."""
        return item.requires in self.installed

    def available(self, item: Item) -> bool:
        """Sold in this release: it has a price and its system is installed."""
        return item.buy is not None and self.usable(item)

    def get(self, item_id: str) -> Item:
        return self.by_id[item_id]

    def find(self, text: str) -> Item | None:
        """By id, name (any case, spaces or underscores) or shop code."""
        key = " ".join(text.strip().lower().split())
        return (
            self._by_key.get(key)
            or self._by_key.get(key.replace(" ", "_"))
            or self._by_key.get(key.replace("_", " "))
        )

    def search(self, text: str, items: Iterable[Item] | None = None, limit: int = 25) -> list[Item]:
        """For autocomplete: names starting with the text first, then names containing it."""
        text = text.strip().lower()
        pool = list(items if items is not None else self.source.item)
        starts = [
            i
            for i in pool
            if i.name.lower().startswith(text) or (i.buy and i.buy.code.lower() == text)
        ]
        contains = [i for i in pool if text in i.name.lower() and i not in starts]
        return (starts + contains)[:limit]

    def shop(self, shop: str) -> list[Item]:
        """Items a shop sells in this release, in code order (C1, C2, ...)."""
        sold = [i for i in self.source.item if i.buy and i.buy.shop == shop and self.available(i)]
        return sorted(sold, key=_code_number)
