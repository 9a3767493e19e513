"""Schema of `content/crafting.toml`: the recipes. Each one turns items (and a chi fee) into
an item, instantly or after a crafting time, with a chance of success; `system` groups the
list ("gardens" for the garden tools; alchemy and the armoury will add theirs). Why the
numbers are what they are: `docs/crafting.md`.

References to items are checked against the item registry when the service is built
(`check_content`), so a typo stops start-up with the file and the recipe named.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chibot.core.errors import ContentError
from chibot.core.items import ItemRegistry


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Input(_Strict):
    item: str
    qty: int = Field(1, ge=1, le=1000)


class Recipe(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")
    name: str | None = Field(None, min_length=1, max_length=60)  # default: the output's name
    output: str
    qty: int = Field(1, ge=1, le=1000)
    inputs: tuple[Input, ...] = Field(min_length=1)
    chi: int = Field(0, ge=0, le=10_000_000)  # the fee, spent at the start
    minutes: int = Field(0, ge=0, le=7 * 24 * 60)  # 0: delivered at once
    chance: float = Field(1.0, gt=0, le=1)  # of success, decided at the start
    system: str = Field("general", pattern=r"^[a-z][a-z0-9_]{1,31}$")  # the list's grouping

    @model_validator(mode="after")
    def _consistent(self) -> Recipe:
        items = [i.item for i in self.inputs]
        if len(set(items)) != len(items):
            raise ValueError(f"recipe {self.id!r} lists an input twice")
        if self.output in items:
            raise ValueError(f"recipe {self.id!r}: its output is among its inputs")
        return self


class CraftingFile(_Strict):
    version: int = Field(ge=1)
    recipe: tuple[Recipe, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> CraftingFile:
        ids = [r.id for r in self.recipe]
        if len(set(ids)) != len(ids):
            raise ValueError("two recipes share an id")
        names = [r.name.lower() for r in self.recipe if r.name]
        if len(set(names)) != len(names):
            raise ValueError("two recipes share a name")
        return self


def recipe_name(recipe: Recipe, items: ItemRegistry) -> str:
    """A recipe's name: its own, or its output's."""
    return recipe.name or items.get(recipe.output).name


def check_content(content: CraftingFile, items: ItemRegistry) -> None:
    """Every item a recipe names exists; a non-stacking output is made one at a time; no two
    recipes end up with the same shown name."""
    problems = []
    for i, recipe in enumerate(content.recipe):
        where = f"recipe[{i}] ({recipe.id})"
        output = items.by_id.get(recipe.output)
        if output is None:
            problems.append(f"{where}: unknown output item {recipe.output!r}")
        elif not output.stacks and recipe.qty != 1:
            problems.append(f"{where}: {recipe.output!r} does not stack: qty must be 1")
        for j, part in enumerate(recipe.inputs):
            if part.item not in items.by_id:
                problems.append(f"{where}.inputs[{j}]: unknown item {part.item!r}")
            elif not items.get(part.item).stacks and part.qty != 1:
                problems.append(f"{where}.inputs[{j}]: {part.item!r} does not stack: qty 1")
    if not problems:
        names = [recipe_name(r, items).lower() for r in content.recipe]
        if len(set(names)) != len(names):
            problems.append("two recipes are shown with the same name")
    if problems:
        raise ContentError("\n".join(f"content/crafting.toml: {p}" for p in problems))
