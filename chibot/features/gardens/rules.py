"""Gardens' rules, pure: no database, no Discord; the clock's time and the dice are passed in.

A plant's terms are fixed when it is planted (`plant_terms`): its ready time from the seed's
growing time, the garden tier's speed and a server boost running then; its yield from the
seed's chi, the harvest tools owned then (stacked up to a cap) and the boost. Nothing that
happens later changes them, except the two explicit actions on a growing plant, each once per
plant: watering (`watered`) cuts the growing time by the can's percent, fertilising
(`fertilized`) adds a percent of the seed's chi. Harvesting pays what the plant holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chibot.core.items import Item
from chibot.core.rng import Rng
from chibot.features.gardens.content import Drop, GardensFile, Seed, Tier


@dataclass(frozen=True, slots=True)
class ToolBonus:
    """What the harvest tools a member owns add to a plant: percent of its seed's chi (capped)
    and flat chi per plant (capped); `tools` names them."""

    pct: float = 0.0
    per_plant: int = 0
    tools: tuple[str, ...] = ()
    uncapped_pct: float = 0.0


@dataclass(frozen=True, slots=True)
class BoostTerms:
    growth_pct: int
    yield_pct: int


@dataclass(frozen=True, slots=True)
class PlantTerms:
    ready_at: datetime
    yield_: int
    boosted: bool


def tool_bonus(owned: Iterable[Item], cap_pct: float, per_cap: int) -> ToolBonus:
    """Each distinct harvest tool counts once; all stack up to the caps."""
    pct, flat, names = 0.0, 0, []
    for item in sorted(set(owned), key=lambda i: i.id):
        effect = item.effect("garden_tool")
        if effect is None:
            continue
        pct += effect.bonus_pct or 0.0
        flat += effect.per_plant or 0
        names.append(item.name)
    return ToolBonus(min(pct, cap_pct), min(flat, per_cap), tuple(names), pct)


def watering_pct(owned: Iterable[Item]) -> float:
    """The best watering tool's cut of a growing time (0: the member cannot water)."""
    return max(((e.bonus_pct or 0.0) for i in owned if (e := i.effect("watering"))), default=0.0)


@dataclass(frozen=True, slots=True)
class PetTerms:
    """What the member's active, fed pet adds to a planting (pets' `garden_bonus`): fixed
    into the plant like every other modifier (legacy B: the bonus came from whichever pet was
    active at harvest)."""

    yield_pct: int
    growth_pct: int
    rare_pct: int = 0  # added to the plant's drop chances at harvest (`drop_chance`)


def grow_seconds(
    seed: Seed, tier: Tier, boost: BoostTerms | None, pet: PetTerms | None = None
) -> int:
    minutes = seed.minutes * (100 - tier.speed_pct) / 100
    if boost is not None:
        minutes *= (100 - boost.growth_pct) / 100
    if pet is not None:
        minutes *= (100 - pet.growth_pct) / 100
    return max(1, math.ceil(minutes * 60))


def plant_terms(
    seed: Seed, tier: Tier, tools: ToolBonus, boost: BoostTerms | None, now: datetime,
    pet: PetTerms | None = None,
) -> PlantTerms:  # fmt: skip
    pct = tools.pct + (boost.yield_pct if boost is not None else 0)
    pct += pet.yield_pct if pet is not None else 0
    # rounded to the nearest chi (half up), so a +10% on a 7-chi crop shows as 8, not 7
    chi = math.floor(seed.yield_ * (100 + pct) / 100 + 0.5) + tools.per_plant
    ready = now + timedelta(seconds=grow_seconds(seed, tier, boost, pet))
    return PlantTerms(ready, chi, boost is not None)


def watered(planted_at: datetime, ready_at: datetime, pct: float) -> datetime:
    """The new ready time of a plant watered with a `pct` can: its whole growing time (from
    planting) is cut by `pct`, rounded to the second."""
    cut = (ready_at - planted_at).total_seconds() * pct / 100
    return ready_at - timedelta(seconds=math.floor(cut))


def fertilized(current: int, seed: Seed, pct: float) -> int:
    """A fertilised plant's yield: `pct` of its seed's chi more (at least 1)."""
    return current + max(1, math.floor(seed.yield_ * pct / 100))


def tier_index(content: GardensFile, key: str) -> int:
    for i, tier in enumerate(content.tier):
        if tier.key == key:
            return i
    raise KeyError(key)


def tier_of(content: GardensFile, key: str) -> Tier:
    return content.tier[tier_index(content, key)]


def next_tier(content: GardensFile, key: str) -> Tier | None:
    i = tier_index(content, key) + 1
    return content.tier[i] if i < len(content.tier) else None


def may_plant(content: GardensFile, seed: Seed, tier_key: str) -> bool:
    """The tier lock: a seed grows in gardens of its tier or better."""
    return tier_index(content, seed.tier) <= tier_index(content, tier_key)


def drop_chance(drop: Drop, seed: Seed, full_minutes: int, rare_pct: int = 0) -> float:
    """A drop's chance for one plant of `seed`: full for a crop of `full_minutes` or longer,
    proportionally less for shorter ones (so fast crops are not a drop farm); a pet's
    `rare_pct` fixed into the plant raises it by that percent (multiplied: a find that never
    happens stays so), never above certain."""
    base = drop.chance * min(1.0, seed.minutes / full_minutes)
    return min(1.0, base * (100 + max(rare_pct, 0)) / 100)


def roll_drops(
    content: GardensFile,
    tier_key: str,
    seeds: Sequence[Seed],
    rng: Rng,
    rare_pcts: Sequence[int] = (),
) -> dict[str, int]:
    """What a harvest of these plants (one seed each, with the rare-find percent fixed into
    each: `rare_pcts` in the same order, 0 where missing) finds, by item id."""
    found: dict[str, int] = {}
    level = tier_index(content, tier_key)
    for i, seed in enumerate(seeds):
        rare = rare_pcts[i] if i < len(rare_pcts) else 0
        for drop in content.drop:
            if tier_index(content, drop.tier) > level:
                continue
            if rng.random() < drop_chance(drop, seed, content.drop_full_minutes, rare):
                found[drop.item] = found.get(drop.item, 0) + rng.randint(drop.min, drop.max)
    return found


def profit_per_plot_hour(seed: Seed, price: int, tier: Tier) -> float:
    """The chi a plot earns per hour of growing this seed in this tier, before tools (the
    balance tables of docs/gardens.md)."""
    hours = grow_seconds(seed, tier, None) / 3600
    return (seed.yield_ - price) / hours
