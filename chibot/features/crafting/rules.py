"""Crafting's rules, pure: no database, no Discord; the dice and the clock's time are passed in.

- **Offered or not** (`arrives_with`): a recipe is offered when every item it names (its
  output and each input) has its system installed (`ItemRegistry.usable`); otherwise it is
  listed as arriving with the first missing system, so the bot never asks for an item nobody
  can get yet.
- **What is missing** (`shortfall`): each input with what the member holds against what the
  recipe needs.
- **The outcome** (`roll`) is decided when the craft starts, with the service's dice, and
  stored with it: waiting, or collecting twice, cannot re-roll it.
- **A failure** (`failure_returns`) loses the fee and half of each input, rounded down; the
  rest comes back at collection. A single tool used as an input (a tier-up) always comes
  back (half of 1 rounded down is 0), so a failed tier-up costs materials, never the tool.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from chibot.core.items import ItemRegistry
from chibot.core.rng import Rng
from chibot.features.crafting.content import Recipe


@dataclass(frozen=True, slots=True)
class Need:
    """One input of a recipe: what it needs, what the member holds."""

    item: str
    need: int
    have: int

    @property
    def short(self) -> int:
        return max(0, self.need - self.have)


def items_named(recipe: Recipe) -> tuple[str, ...]:
    """The output first, then the inputs in the recipe's order."""
    return (recipe.output, *(i.item for i in recipe.inputs))


def arrives_with(recipe: Recipe, items: ItemRegistry) -> str | None:
    """The system a recipe waits for (the first, in the recipe's order, of the items' systems
    that is not installed), or None when it is offered."""
    for item_id in items_named(recipe):
        item = items.get(item_id)
        if not items.usable(item):
            return item.requires
    return None


def needs(recipe: Recipe, held: Mapping[str, int]) -> tuple[Need, ...]:
    return tuple(Need(i.item, i.qty, held.get(i.item, 0)) for i in recipe.inputs)


def shortfall(recipe: Recipe, held: Mapping[str, int]) -> tuple[Need, ...]:
    """The inputs the member lacks (empty: they hold enough of everything)."""
    return tuple(n for n in needs(recipe, held) if n.short)


def roll(chance: float, rng: Rng) -> bool:
    """Success with probability `chance` (1.0 always succeeds, whatever the dice)."""
    return chance >= 1 or rng.random() < chance


def ready_at(now: datetime, recipe: Recipe) -> datetime:
    return now + timedelta(minutes=recipe.minutes)


def failure_returns(recipe: Recipe) -> dict[str, int]:
    """What a failed craft gives back: each input minus half of it, rounded down."""
    return {i.item: i.qty - i.qty // 2 for i in recipe.inputs}


def failure_losses(recipe: Recipe) -> dict[str, int]:
    """What a failed craft loses of its inputs (the fee is lost too)."""
    return {i.item: i.qty // 2 for i in recipe.inputs if i.qty // 2}


def find(recipes: Iterable[Recipe], text: str, names: Mapping[str, Iterable[str]]) -> list[Recipe]:
    """Recipes answering to `text`: by id or one of its names (any case, spaces or
    underscores, apostrophes optional) exactly, else those of which it is a part. `names`
    maps recipe id -> the names it answers to (its shown name, its output's)."""

    def norm(value: str) -> str:
        return " ".join(value.lower().replace("_", " ").replace("'", "").split())

    key = norm(text)
    if not key:
        return []
    pool = [(r, {norm(r.id), *(norm(n) for n in names.get(r.id, ()))}) for r in recipes]
    exact = [r for r, words in pool if key in words]
    if exact:
        return exact
    parts = key.split()
    return [r for r, words in pool if any(all(p in w for p in parts) for w in words)]


def sell_value_in(recipe: Recipe, items: ItemRegistry) -> int:
    """What a recipe's inputs would sell back for, plus the fee: the least a craft costs."""
    return sum(items.get(i.item).sell * i.qty for i in recipe.inputs) + recipe.chi
