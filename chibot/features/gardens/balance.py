"""A member's garden over game days, simulated with the real rules and content (GAME.md: the
balance targets "are checked by a simulation of players over 30 game days, not by feel").

Pure: no database, no Discord. The simulated member visits at fixed hours (twice a day by
default), and on each visit harvests what is ready, moves the garden up a tier when the chi
allows it (keeping a day of seeds in reserve), buys the harvest tools of the garden shop's
bundles and the chi shop's hoe once the top affordable tier is reached, then fills every plot
with the best seed the tier allows (the most chi per plant once the seed is paid: the 12-hour
crops) and fertilises each plant when the fertiliser pays for itself. Drops are counted, not
sold (they sell for nothing; they feed crafting).

`python -m chibot.features.gardens.balance` prints the table that docs/gardens.md quotes;
`tests/gardens/test_gardens_balance.py` checks the targets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from chibot.core.catalog import Catalog, load_catalog
from chibot.core.items import Item
from chibot.features.gardens import rules
from chibot.features.gardens.content import GardensFile, Seed, Tier

START = datetime(2026, 1, 1, tzinfo=UTC)
TOOL_ORDER = ("basic_hoe", "silverdew_scythe", "heroic_hoe", "eternal_sickle")
"""Tools a member can buy (the hoe in the chi shop, the others in bundles), in the order a
careful member buys them."""


@dataclass
class Day:
    day: int
    tier: str
    harvested: int  # chi paid by harvests that day
    spent: int  # chi spent that day (seeds, fertiliser, upgrades, tools)
    invested: int  # of which upgrades and tools
    balance: int

    @property
    def profit(self) -> int:
        """What the day's crops earned: harvests less seeds and fertiliser."""
        return self.harvested - (self.spent - self.invested)


@dataclass
class Run:
    days: list[Day] = field(default_factory=list)
    drops: dict[str, int] = field(default_factory=dict)
    upgrades: dict[str, int] = field(default_factory=dict)  # tier -> day reached

    @property
    def harvested(self) -> int:
        return sum(d.harvested for d in self.days)

    @property
    def profit(self) -> int:
        return sum(d.profit for d in self.days)

    @property
    def net(self) -> int:
        return self.days[-1].balance - self.start if self.days else 0

    start: int = 0


@dataclass
class _Plant:
    seed: Seed
    ready_at: datetime
    chi: int


def _next_visit(when: datetime, visits: tuple[int, ...]) -> datetime:
    """The first visit at or after `when`."""
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(3):
        for hour in visits:
            visit = day + timedelta(days=offset, hours=hour)
            if visit >= when:
                return visit
    raise ValueError("no visit in three days")


def _best_seed(
    content: GardensFile, catalog: Catalog, tier: Tier, now: datetime, visits: tuple[int, ...]
) -> Seed:
    """The seed that earns most chi per hour of its plot, counting from now to the visit that
    harvests it (a member replants only when they come back)."""
    items = catalog.items

    def rate(seed: Seed) -> float:
        price = items.get(seed.item).buy.price  # type: ignore[union-attr]
        ripe = now + timedelta(seconds=rules.grow_seconds(seed, tier, None))
        hours = (_next_visit(ripe, visits) - now).total_seconds() / 3600
        return (seed.yield_ - price) / hours

    allowed = [s for s in content.seed if rules.may_plant(content, s, tier.key)]
    return max(allowed, key=rate)


def simulate(
    days: int = 30,
    *,
    visits: tuple[int, ...] = (8, 20),
    start_chi: int = 1_000,
    buy_tools: bool = True,
    catalog: Catalog | None = None,
    seed: int = 1,
) -> Run:
    catalog = catalog or load_catalog()
    content = catalog.file("gardens", GardensFile)
    items = catalog.items
    rng = random.Random(seed)
    fertilizer = items.get("fertilizer")
    fert_pct = fertilizer.effect("fertilizer").bonus_pct or 0.0  # type: ignore[union-attr]
    fert_price = fertilizer.buy.price  # type: ignore[union-attr]
    tool_price = {"basic_hoe": items.get("basic_hoe").buy.price}  # type: ignore[union-attr]
    for bundle in content.bundle:
        for entry in bundle.contents:
            if items.get(entry.item).effect("garden_tool") is not None:
                tool_price[entry.item] = bundle.price

    chi = start_chi - content_create_cost()
    run = Run(start=start_chi)
    tier = content.tier[0]
    run.upgrades[tier.key] = 0
    owned: list[Item] = []
    plants: list[_Plant] = []
    for day in range(days):
        harvested = spent = invested = 0
        for hour in visits:
            now = START + timedelta(days=day, hours=hour)
            ready = [p for p in plants if p.ready_at <= now]
            plants = [p for p in plants if p.ready_at > now]
            pay = sum(p.chi for p in ready)
            chi += pay
            harvested += pay
            for item_id, qty in rules.roll_drops(
                content, tier.key, [p.seed for p in ready], rng
            ).items():
                run.drops[item_id] = run.drops.get(item_id, 0) + qty
            best = _best_seed(content, catalog, tier, now, visits)
            reserve = 2 * tier.plots * (items.get(best.item).buy.price + fert_price)  # type: ignore[union-attr]
            following = rules.next_tier(content, tier.key)
            if (
                following is not None
                and following.rebirths == 0
                and chi >= following.price + reserve
            ):
                chi -= following.price
                spent += following.price
                invested += following.price
                tier = following
                run.upgrades[tier.key] = day + 1
            elif buy_tools and (following is None or following.rebirths > 0):
                for tool in TOOL_ORDER:
                    if tool in {i.id for i in owned} or chi < tool_price[tool] + reserve:
                        continue
                    chi -= tool_price[tool]
                    spent += tool_price[tool]
                    invested += tool_price[tool]
                    owned.append(items.get(tool))  # (a bundle's seeds are not counted)
            best = _best_seed(content, catalog, tier, now, visits)
            price = items.get(best.item).buy.price  # type: ignore[union-attr]
            bonus = rules.tool_bonus(owned, content.tool_cap_pct, content.per_plant_cap)
            gain = max(1, int(best.yield_ * fert_pct / 100))
            each = price + (fert_price if gain > fert_price else 0)
            free = tier.plots - len(plants)
            n = min(free, max(0, chi // each))
            for _ in range(n):
                terms = rules.plant_terms(best, tier, bonus, None, now)
                value = terms.yield_ + (gain if gain > fert_price else 0)
                plants.append(_Plant(best, terms.ready_at, value))
            chi -= n * each
            spent += n * each
        run.days.append(Day(day + 1, tier.key, harvested, spent, invested, chi))
    return run


def content_create_cost() -> int:
    """The default cost of founding a garden (settings: `garden_create_cost`)."""
    from chibot.features.gardens.settings import GardenSettings

    return int(GardenSettings.model_fields["garden_create_cost"].default)


PLANS = {
    "once a day (20:00)": (20,),
    "twice a day (08:00, 20:00)": (8, 20),
    "every hour, 08:00 to 23:00": tuple(range(8, 24)),
}


def main() -> None:  # pragma: no cover - a report for docs/gardens.md
    for label, visits in PLANS.items():
        run = simulate(visits=visits)
        print(f"{label}: 30 days from 1,000 chi")
        for d in run.days:
            if d.day in (1, 7, 14, 21, 30):
                print(
                    f"  day {d.day:>2}  {d.tier:<9}  crops earned {d.profit:>6,}  "
                    f"upgrades and tools {d.invested:>6,}  balance {d.balance:>8,}"
                )
        print(f"  tiers reached (day): {run.upgrades}")
        print(f"  crops earned in all {run.profit:,}; balance gained {run.net:,}")
        print(f"  drops: {dict(sorted(run.drops.items()))}")


if __name__ == "__main__":  # pragma: no cover
    main()
