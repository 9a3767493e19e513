"""Crafting's use cases: one transaction each (`Database.scoped`), on one server's data.

- **The recipe book** (`recipes`): every recipe with what the member holds of each input, and
  whether it is offered or arrives with a system not installed yet.
- **Starting** a craft (`start`) spends the inputs (conditional takes: never more than held)
  and the fee (a conditional debit with its ledger row, `craft.fee`) in ONE transaction, and
  rolls the outcome then, with the service's dice, into the craft's row. A recipe of 0 minutes
  is delivered in that same transaction. A member has at most `craft_slots` timed crafts in
  progress; a non-stacking output (a tool) is refused to a member who owns it or is already
  crafting it.
- **Collecting** (`collect`) delivers every finished craft once: the output on a success,
  the returned half of the inputs on a failure (`rules.failure_returns`).

Every refusal is an `errors.py` class; raising it rolls the transaction back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.events import Notices
from chibot.core.holdings import NotEnoughItems
from chibot.core.items import Item, ItemRegistry
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.crafting import rules
from chibot.features.crafting.content import CraftingFile, Recipe, check_content, recipe_name
from chibot.features.crafting.errors import (
    AlreadyCrafting,
    AlreadyOwn,
    AmbiguousRecipe,
    ArrivesWith,
    CraftingOff,
    MissingInputs,
    NothingReady,
    NothingToCollect,
    SlotsFull,
    UnknownRecipe,
)
from chibot.features.crafting.events import CraftsCollected
from chibot.features.crafting.store import CraftRow, CraftStore

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    """One recipe as a member sees it: its inputs against their holdings, whether it is
    offered (`arrives_with` None) and whether they already own (or are crafting) its tool."""

    recipe: Recipe
    name: str
    output: Item
    needs: tuple[rules.Need, ...]
    arrives_with: str | None
    owned: bool = False
    crafting: bool = False

    @property
    def offered(self) -> bool:
        return self.arrives_with is None

    @property
    def missing(self) -> tuple[rules.Need, ...]:
        return tuple(n for n in self.needs if n.short)

    @property
    def can_craft(self) -> bool:
        return self.offered and not self.missing and not self.owned and not self.crafting

    @property
    def confirm(self) -> bool:
        """Asked first: it costs 1,000 chi or more, or it may fail."""
        return self.recipe.chi >= CONFIRM_AT or self.recipe.chance < 1


@dataclass(frozen=True, slots=True)
class InProgress:
    row: CraftRow
    recipe: Recipe
    name: str

    def ready(self, now: datetime) -> bool:
        return self.row.ready_at <= now


@dataclass(frozen=True, slots=True)
class Book:
    """The recipe book of a member: listings, their crafts in progress, slots, balance."""

    listings: tuple[Listing, ...]
    crafts: tuple[InProgress, ...]
    slots: int
    balance: int
    now: datetime


@dataclass(frozen=True, slots=True)
class Delivered:
    """A finished craft as delivered: on a success `made` of the output; otherwise what came
    back (`returned`) and what was lost (`lost`, the fee apart). `duplicate`: the member came
    by the (non-stacking) output meanwhile, so the inputs came back instead."""

    recipe: Recipe
    name: str
    success: bool
    made: int
    returned: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Started:
    recipe: Recipe
    name: str
    fee: int
    balance: int
    ready_at: datetime
    delivered: Delivered | None  # an instant recipe: delivered at once
    unlocked: Notices = ()


@dataclass(frozen=True, slots=True)
class Collected:
    delivered: tuple[Delivered, ...]
    still: int  # crafts still in progress
    next_at: datetime | None
    unlocked: Notices = ()


CONFIRM_AT = 1_000  # chi: a fee this big (or a chance below 1) asks first
AMBIGUOUS_SHOWN = 5


class CraftingService:
    def __init__(self, db: Database, catalog: Catalog, settings: SettingsService, rng: Rng) -> None:
        self.db = db
        self.catalog = catalog
        self.settings = settings
        self.rng = rng
        self.content: CraftingFile = catalog.file("crafting", CraftingFile)
        check_content(self.content, catalog.items)
        self.recipes_by_id: dict[str, Recipe] = {r.id: r for r in self.content.recipe}
        self.names: dict[str, str] = {r.id: recipe_name(r, self.items) for r in self.content.recipe}
        self._aliases = {
            r.id: (self.names[r.id], self.items.get(r.output).name) for r in self.content.recipe
        }

    @property
    def items(self) -> ItemRegistry:
        return self.catalog.items

    @staticmethod
    def store(scope: GuildScope) -> CraftStore:
        return scope.get(CraftStore)

    async def _on(self, scope: GuildScope) -> Any:
        settings = await scope.settings.load()
        if not settings.crafting_enabled:
            raise CraftingOff()
        return settings

    # --- finding a recipe -------------------------------------------------------------------

    def recipe_of(self, text: str) -> Recipe:
        """A recipe by id, name or its output's name in any case, or by a part of one that
        fits only one recipe; several: "did you mean"."""
        found = rules.find(self.content.recipe, text, self._aliases)
        if len(found) == 1:
            return found[0]
        if found:
            names = tuple(self.names[r.id] for r in found[:AMBIGUOUS_SHOWN])
            raise AmbiguousRecipe(text=text.strip()[:40], choices=names)
        raise UnknownRecipe(text=text.strip()[:40])

    def search(self, text: str) -> list[str]:
        """Recipe names for autocomplete (offered ones and the ones that arrive later)."""
        found = (
            rules.find(self.content.recipe, text, self._aliases)
            if text.strip()
            else list(self.content.recipe)
        )
        return [self.names[r.id] for r in found][:25]

    def in_order(self) -> list[Recipe]:
        """Recipes grouped by system (in order of first appearance), file order within."""
        systems = list(dict.fromkeys(r.system for r in self.content.recipe))
        return sorted(self.content.recipe, key=lambda r: systems.index(r.system))

    # --- reading ----------------------------------------------------------------------------

    def _listing(self, recipe: Recipe, held: dict[str, int], progress: list[CraftRow]) -> Listing:
        output = self.items.get(recipe.output)
        crafting = not output.stacks and any(
            self.recipes_by_id[r.recipe].output == output.id
            for r in progress
            if r.recipe in self.recipes_by_id
        )
        return Listing(
            recipe,
            self.names[recipe.id],
            output,
            rules.needs(recipe, held),
            rules.arrives_with(recipe, self.items),
            owned=not output.stacks and held.get(output.id, 0) > 0,
            crafting=crafting,
        )

    async def _state(
        self, scope: GuildScope, user_id: int
    ) -> tuple[dict[str, int], list[CraftRow]]:
        held = {h.item_id: h.qty for h in await scope.inventory.all(user_id)}
        return held, await self.store(scope).in_progress(user_id)

    def _progress(self, rows: list[CraftRow]) -> tuple[InProgress, ...]:
        return tuple(
            InProgress(r, self.recipes_by_id[r.recipe], self.names[r.recipe])
            for r in rows
            if r.recipe in self.recipes_by_id
        )

    async def recipes(self, guild_id: int, user_id: int) -> Book:
        """Every recipe for this member (read only), with their crafts in progress."""

        async def tx(scope: GuildScope) -> Book:
            settings = await self._on(scope)
            held, progress = await self._state(scope, user_id)
            listings = tuple(self._listing(r, held, progress) for r in self.in_order())
            balance = (await scope.wallet.get(user_id)).chi
            return Book(
                listings, self._progress(progress), settings.craft_slots, balance, scope.now()
            )

        return await self.db.read(guild_id, tx)

    async def info(self, guild_id: int, user_id: int, text: str) -> Listing:
        recipe = self.recipe_of(text)

        async def tx(scope: GuildScope) -> Listing:
            await self._on(scope)
            held, progress = await self._state(scope, user_id)
            return self._listing(recipe, held, progress)

        return await self.db.read(guild_id, tx)

    async def crafts(self, guild_id: int, user_id: int) -> tuple[InProgress, ...]:
        async def tx(scope: GuildScope) -> tuple[InProgress, ...]:
            await self._on(scope)
            return self._progress(await self.store(scope).in_progress(user_id))

        return await self.db.read(guild_id, tx)

    # --- starting ---------------------------------------------------------------------------

    def _refuse(
        self, listing: Listing, progress: list[CraftRow], slots: int, balance: int | None
    ) -> None:
        """The refusals of a start, in the order a member fixes them."""
        recipe = listing.recipe
        if listing.arrives_with is not None:
            raise ArrivesWith(recipe=listing.name, system=listing.arrives_with)
        if listing.owned:
            raise AlreadyOwn(item=listing.output.name)
        if listing.crafting:
            raise AlreadyCrafting(item=listing.output.name)
        if recipe.minutes and len(progress) >= slots:
            raise SlotsFull(slots=slots)
        if listing.missing:
            raise MissingInputs(
                listing.name,
                tuple((self.items.get(n.item).name, n.have, n.need) for n in listing.missing),
            )
        if balance is not None and balance < recipe.chi:
            raise NotEnoughChi(recipe.chi, balance)

    async def check(self, guild_id: int, user_id: int, text: str) -> Listing:
        """What `start` would refuse now, without writing (the cog asks before confirming)."""
        recipe = self.recipe_of(text)

        async def tx(scope: GuildScope) -> Listing:
            settings = await self._on(scope)
            held, progress = await self._state(scope, user_id)
            listing = self._listing(recipe, held, progress)
            balance = (await scope.wallet.get(user_id)).chi
            self._refuse(listing, progress, settings.craft_slots, balance)
            return listing

        return await self.db.read(guild_id, tx)

    async def start(self, guild_id: int, user_id: int, text: str) -> Started:
        """Start one craft: inputs and fee spent, outcome rolled, in one transaction."""
        recipe = self.recipe_of(text)
        name = self.names[recipe.id]

        async def tx(scope: GuildScope) -> Started:
            settings = await self._on(scope)
            store = self.store(scope)
            await scope.wallet.ensure(user_id)
            await store.lock_member(user_id)  # the member's crafts, one after another
            held, progress = await self._state(scope, user_id)
            listing = self._listing(recipe, held, progress)
            self._refuse(listing, progress, settings.craft_slots, None)
            for part in recipe.inputs:
                try:
                    await scope.inventory.take_counted(
                        user_id, part.item, part.qty, held=held.get(part.item, 0)
                    )
                except NotEnoughItems as short:  # a race the lock did not order (SQLite: none)
                    item = self.items.get(part.item)
                    raise MissingInputs(name, ((item.name, short.have, part.qty),)) from None
            if recipe.chi:
                balance = await scope.wallet.debit(
                    user_id, recipe.chi, reason="craft.fee", ref=recipe.id
                )
            else:
                balance = (await scope.wallet.get(user_id)).chi
            success = rules.roll(recipe.chance, self.rng)
            now = scope.now()
            ready = rules.ready_at(now, recipe)
            if recipe.minutes:
                await store.add(
                    user_id, recipe.id, now=now, ready_at=ready, success=success, qty=recipe.qty
                )
                return Started(recipe, name, recipe.chi, balance, ready, None)
            delivered = await self._deliver(scope, user_id, recipe, success, recipe.qty)
            unlocked = await self._tally(scope, user_id, (delivered,))
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            return Started(recipe, name, recipe.chi, balance, ready, delivered, unlocked)

        return await self.db.scoped(guild_id, tx)

    # --- collecting -------------------------------------------------------------------------

    async def _give(self, scope: GuildScope, user_id: int, parts: dict[str, int]) -> dict[str, int]:
        """Put `parts` into the inventory; returns what went in (a non-stacking item already
        held cannot be held twice: it is not in the answer, so the caller shows it lost)."""
        given = {}
        for item_id, qty in sorted(parts.items()):
            if qty <= 0:
                continue
            item = self.items.get(item_id)
            if item.stacks:
                await scope.inventory.add(user_id, item_id, qty)
                given[item_id] = qty
            elif await scope.inventory.add(user_id, item_id, 1, unique=True):
                given[item_id] = 1
        return given

    async def _deliver(
        self, scope: GuildScope, user_id: int, recipe: Recipe, success: bool, qty: int
    ) -> Delivered:
        name = self.names[recipe.id]
        output = self.items.get(recipe.output)
        whole = {i.item: i.qty for i in recipe.inputs}
        if success:
            if output.stacks:
                await scope.inventory.add(user_id, output.id, qty)
                return Delivered(recipe, name, True, qty)
            if await scope.inventory.add(user_id, output.id, 1, unique=True):
                return Delivered(recipe, name, True, 1)
            back = await self._give(scope, user_id, whole)  # they got one meanwhile
            lost = {k: v - back.get(k, 0) for k, v in whole.items() if v - back.get(k, 0)}
            return Delivered(recipe, name, False, 0, back, lost, duplicate=True)
        back = await self._give(scope, user_id, rules.failure_returns(recipe))
        lost = {k: v - back.get(k, 0) for k, v in whole.items() if v - back.get(k, 0)}
        return Delivered(recipe, name, False, 0, back, lost)

    async def _tally(
        self, scope: GuildScope, user_id: int, delivered: tuple[Delivered, ...]
    ) -> Notices:
        made = sum(1 for d in delivered if d.success)
        failed = len(delivered) - made
        if not made:
            return tuple(await scope.publish(CraftsCollected(user_id, {}, 0, failed)))
        before = await scope.counters.read(user_id, ["items_crafted"])
        after = await scope.counters.apply(user_id, add={"items_crafted": made})
        changes = {"items_crafted": (before["items_crafted"], after["items_crafted"])}
        return tuple(await scope.publish(CraftsCollected(user_id, changes, made, failed)))

    async def collect(self, guild_id: int, user_id: int) -> Collected:
        """Deliver every finished craft of the member, each once."""

        async def tx(scope: GuildScope) -> Collected:
            await self._on(scope)
            store = self.store(scope)
            now = scope.now()
            rows = await store.take_ready(user_id, now, tuple(self.recipes_by_id))
            if not rows:
                progress = await store.in_progress(user_id)
                if not progress:
                    raise NothingToCollect()
                raise NothingReady(next_at=progress[0].ready_at)
            delivered = tuple(
                [
                    await self._deliver(
                        scope, user_id, self.recipes_by_id[r.recipe], r.success, r.qty
                    )
                    for r in rows
                ]
            )
            unlocked = await self._tally(scope, user_id, delivered)
            left = await store.in_progress(user_id)
            return Collected(delivered, len(left), left[0].ready_at if left else None, unlocked)

        return await self.db.scoped(guild_id, tx)
