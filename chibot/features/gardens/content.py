"""Schema of `content/gardens.toml`: garden tiers, what each seed grows into, harvest drops,
bundles and the server boost. Seeds, tools and drops are items (`content/items.toml`); this
file says what gardens do with them. How the numbers were chosen: `docs/gardens.md`.

References to items are checked against the item registry when the service is built
(`check_content`), so a typo stops start-up with the file and entry named.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Tier(_Strict):
    key: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=1, max_length=40)
    emoji: str = Field(min_length=1, max_length=8)
    plots: int = Field(ge=1, le=100)
    speed_pct: int = Field(ge=0, le=75)  # growing time cut, percent
    price: int = Field(ge=0)  # chi to reach this tier from the one before
    rebirths: int = Field(0, ge=0, le=100)  # and rebirths


class Seed(_Strict):
    item: str
    minutes: int = Field(ge=1, le=7 * 24 * 60)  # base growing time
    yield_: int = Field(alias="yield", ge=1, le=1_000_000)  # base chi per plant
    tier: str  # the least garden tier that may plant it


class Drop(_Strict):
    """Rolled for each harvested plant: `chance` to find `min`..`max` of `item`, in gardens of
    tier `tier` or better."""

    item: str
    chance: float = Field(gt=0, le=1)
    min: int = Field(1, ge=1, le=100)
    max: int = Field(1, ge=1, le=100)
    tier: str

    @model_validator(mode="after")
    def _range(self) -> Drop:
        if self.max < self.min:
            raise ValueError(f"max must be at least min ({self.min})")
        return self


class Part(_Strict):
    item: str
    qty: int = Field(ge=1, le=1000)


class Bundle(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")
    name: str = Field(min_length=1, max_length=40)
    emoji: str = Field(min_length=1, max_length=8)
    price: int = Field(ge=1)
    contents: tuple[Part, ...] = Field(min_length=1)


class Boost(_Strict):
    """The server's garden boost: what is planted while it runs grows `growth_pct` faster
    and yields `yield_pct` more; an admin starts one of `min_minutes`..`max_hours`."""

    growth_pct: int = Field(ge=1, le=75)
    yield_pct: int = Field(ge=0, le=100)
    min_minutes: int = Field(ge=1)
    max_hours: int = Field(ge=1, le=72)
    rest_hours: int = Field(ge=0, le=168)  # after a boost ends, before the next may start


class GardensFile(_Strict):
    version: int = Field(ge=1)
    tool_cap_pct: int = Field(ge=0, le=300)  # harvest tools stack up to this
    per_plant_cap: int = Field(ge=0, le=100)  # and their flat chi per plant up to this
    plant_max: int = Field(ge=1, le=1000)  # seeds planted by one command
    drop_full_minutes: int = Field(ge=1)  # a crop this long rolls its drops at full chance
    tier: tuple[Tier, ...] = Field(min_length=1)
    seed: tuple[Seed, ...] = Field(min_length=1)
    drop: tuple[Drop, ...] = ()
    bundle: tuple[Bundle, ...] = ()
    boost: Boost

    @model_validator(mode="after")
    def _references(self) -> GardensFile:
        keys = [t.key for t in self.tier]
        if len(set(keys)) != len(keys):
            raise ValueError("two tiers share a key")
        if self.tier[0].price or self.tier[0].rebirths:
            raise ValueError("the first tier is where a garden starts: it has no price")
        for what, entries in (("seed", self.seed), ("drop", self.drop)):
            for entry in entries:
                if entry.tier not in keys:
                    raise ValueError(f"{what} {entry.item!r} names an unknown tier {entry.tier!r}")
        seeds = [s.item for s in self.seed]
        if len(set(seeds)) != len(seeds):
            raise ValueError("a seed is listed twice")
        return self


def check_content(content: GardensFile, items: ItemRegistry) -> None:
    """Every item the file names exists, with the category gardens use it as."""
    problems = []

    def need(item_id: str, where: str, categories: tuple[str, ...] | None = None) -> None:
        item = items.by_id.get(item_id)
        if item is None:
            problems.append(f"{where}: unknown item {item_id!r}")
        elif categories and item.category not in categories:
            problems.append(f"{where}: {item_id!r} is a {item.category}, not a {categories[0]}")

    for i, seed in enumerate(content.seed):
        need(seed.item, f"seed[{i}]", ("seed",))
    for i, drop in enumerate(content.drop):
        need(drop.item, f"drop[{i}]")
    for i, bundle in enumerate(content.bundle):
        for j, part in enumerate(bundle.contents):
            need(part.item, f"bundle[{i}].contents[{j}]")
    if problems:
        raise ContentError("\n".join(f"content/gardens.toml: {p}" for p in problems))
