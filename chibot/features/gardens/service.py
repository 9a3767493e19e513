"""Gardens' use cases: one transaction each (`Database.scoped`), on one server's data.

- **Founding** costs chi (a server setting) through the wallet.
- **The garden shop** sells seeds and garden tools (items with a `G` code) to garden owners,
  in chi, through the wallet and holdings; seeds above the garden's tier are refused, and so
  are bundles holding them. A purchase's terms are re-checked when confirmed (`max_total`).
- **Planting** consumes the seeds (a conditional take: never more than held) and fixes each
  plant's ready time and yield (`rules.plant_terms`) under the garden's row lock, which also
  makes the capacity check exact under concurrency.
- **Watering and fertilising** change growing plants explicitly, once per plant each.
- **Harvesting** deletes the ready plants and pays what they held, in one transaction; drops
  are rolled per plant. A plant is paid once, whatever runs at the same time.
- **Upgrading** moves the garden up one tier for its price (compare-and-set on the tier).
- **The boost** is per server: what is planted while it runs grows faster and yields more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.currency import REBIRTHS
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.events import Notices
from chibot.core.holdings import NotEnoughItems
from chibot.core.items import Item, ItemRegistry
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.gardens import rules
from chibot.features.gardens.content import Bundle, GardensFile, Seed, Tier, check_content
from chibot.features.gardens.errors import (
    AlreadyHaveGarden,
    AlreadyOwnTool,
    BadBoostLength,
    BadPlantQty,
    BoostResting,
    BoostRunning,
    BundleToolOwned,
    GardenFull,
    GardensOff,
    NoFertilizer,
    NoGarden,
    NoSeeds,
    NotAGardenItem,
    NothingPlanted,
    NothingReady,
    NothingToFertilize,
    NothingToWater,
    NoWateringCan,
    OfferChanged,
    TheyHaveNoGarden,
    TierLocked,
    TopTier,
    UnknownBundle,
    UnknownSeed,
)
from chibot.features.gardens.events import GardenFounded, GardenUpgraded, PlantsHarvested
from chibot.features.gardens.store import BoostRow, GardenRow, GardenStore, PlantRow

MAX_BUY = 100  # of one item per garden-shop purchase


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Boost:
    growth_pct: int
    yield_pct: int
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Garden:
    """A member's garden as shown: its row, tier, plants (soonest first), what is ready."""

    row: GardenRow
    tier: Tier
    plants: list[PlantRow]
    now: datetime
    boost: Boost | None
    tools: rules.ToolBonus
    watering_pct: float
    fertilizer: int
    seeds: dict[str, int]  # seed item id -> held

    @property
    def ready(self) -> list[PlantRow]:
        return [p for p in self.plants if p.ready_at <= self.now]

    @property
    def growing(self) -> list[PlantRow]:
        return [p for p in self.plants if p.ready_at > self.now]

    @property
    def free(self) -> int:
        return max(0, self.tier.plots - len(self.plants))


@dataclass(frozen=True, slots=True)
class Founded:
    garden: Garden
    cost: int
    balance: int
    unlocked: Notices


@dataclass(frozen=True, slots=True)
class Bought:
    item: Item
    qty: int
    total: int
    balance: int
    held: int


@dataclass(frozen=True, slots=True)
class BundleBought:
    bundle: Bundle
    balance: int


@dataclass(frozen=True, slots=True)
class Planted:
    seed: Seed
    item: Item
    qty: int
    ready_at: datetime
    chi_each: int
    seeds_left: int
    free: int
    tools: rules.ToolBonus
    boost: Boost | None
    tier: Tier
    pet: rules.PetTerms | None = None  # the active pet's bonus in these plants' terms


@dataclass(frozen=True, slots=True)
class Watered:
    plants: int
    pct: float
    saved: timedelta  # in all
    soonest: datetime


@dataclass(frozen=True, slots=True)
class Fertilized:
    plants: int
    extra_chi: int  # in all
    fertilizer_left: int


@dataclass(frozen=True, slots=True)
class Harvest:
    plants: dict[str, int]  # seed item id -> how many
    chi: int
    drops: dict[str, int]
    balance: int
    still_growing: int
    next_ready: datetime | None
    unlocked: Notices


@dataclass(frozen=True, slots=True)
class Upgrade:
    current: Tier
    next: Tier


@dataclass(frozen=True, slots=True)
class Upgraded:
    tier: Tier
    before: Tier
    balance: int
    unlocked: Notices


@dataclass(frozen=True, slots=True)
class About:
    row: GardenRow
    tier: Tier
    plants: int
    ready: int


class GardensService:
    def __init__(
        self, db: Database, catalog: Catalog, settings: SettingsService, rng: Rng,
        pets: Any = None,
    ) -> None:  # fmt: skip
        self.db = db
        self.pets = pets  # the pets service: the active pet's bonus, fixed at planting
        self.catalog = catalog
        self.settings = settings
        self.rng = rng
        self.content: GardensFile = catalog.file("gardens", GardensFile)
        check_content(self.content, catalog.items)
        self.seeds: dict[str, Seed] = {s.item: s for s in self.content.seed}

    @property
    def items(self) -> ItemRegistry:
        return self.catalog.items

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def store(scope: GuildScope) -> GardenStore:
        return scope.get(GardenStore)

    async def _on(self, scope: GuildScope) -> Any:
        settings = await scope.settings.load()
        if not settings.gardens_enabled:
            raise GardensOff()
        return settings

    async def _garden(self, scope: GuildScope, user_id: int, *, lock: bool = False) -> GardenRow:
        settings = await self._on(scope)
        row = await self.store(scope).garden(user_id, lock=lock)
        if row is None:
            raise NoGarden(cost=settings.garden_create_cost)
        return row

    def tier(self, key: str) -> Tier:
        return rules.tier_of(self.content, key)

    def seed_of(self, text: str) -> tuple[Seed, Item]:
        """A seed by id, name in any case, G code, or a part of its name that names only one
        (`lily`, `rose`)."""
        item = self.items.find(text)
        if item is None and text.strip():
            pool = [self.items.get(s) for s in self.seeds]
            found = self.items.search(text, pool)
            item = found[0] if len(found) == 1 else None
        if item is None or item.id not in self.seeds:
            raise UnknownSeed(text=text.strip()[:40])
        return self.seeds[item.id], item

    def shop_items(self) -> list[Item]:
        """What the garden shop sells, in code order (tools, then seeds)."""
        return self.items.shop("garden")

    def find_shop_item(self, text: str) -> Item:
        item = self.items.find(text)
        if item is None or item.buy is None or item.buy.shop != "garden":
            raise NotAGardenItem(text=text.strip()[:40])
        return item

    def bundle_of(self, text: str) -> Bundle:
        key = " ".join(text.strip().lower().replace("_", " ").split())
        for bundle in self.content.bundle:
            names = {bundle.id.replace("_", " "), bundle.name.lower()}
            if key in names or key + " bundle" in names:
                return bundle
        raise UnknownBundle(text=text.strip()[:40])

    def locked_for(self, item: Item, tier_key: str) -> Tier | None:
        """The tier a seed needs, if the garden's tier is below it."""
        seed = self.seeds.get(item.id)
        if seed is None or rules.may_plant(self.content, seed, tier_key):
            return None
        return self.tier(seed.tier)

    async def _owned(self, scope: GuildScope, user_id: int) -> list[Item]:
        """The garden tools (harvest tools, watering cans) the member holds."""
        return self._tools_in(await scope.inventory.all(user_id))

    def _tools_in(self, held: list[Any]) -> list[Item]:
        found = []
        for holding in held:
            item = self.items.by_id.get(holding.item_id)
            if item is not None and holding.qty > 0 and item.category == "tool":
                found.append(item)
        return found

    async def _boost(self, scope: GuildScope) -> Boost | None:
        row = await self.store(scope).last_boost()
        if row is None or not (row.starts_at <= scope.now() < row.ends_at):
            return None
        return Boost(row.growth_pct, row.yield_pct, row.ends_at)

    def _bonus(self, owned: list[Item]) -> rules.ToolBonus:
        return rules.tool_bonus(owned, self.content.tool_cap_pct, self.content.per_plant_cap)

    # --- reading ----------------------------------------------------------------------------

    async def garden(self, guild_id: int, user_id: int) -> Garden | None:
        """The member's garden, or None (read only)."""

        async def tx(scope: GuildScope) -> Garden | None:
            await self._on(scope)
            row = await self.store(scope).garden(user_id)
            if row is None:
                return None
            return await self._view(scope, row)

        return await self.db.read(guild_id, tx)

    async def _view(self, scope: GuildScope, row: GardenRow) -> Garden:
        holdings = await scope.inventory.all(row.user_id)  # one read for tools and seeds
        owned = self._tools_in(holdings)
        held = {h.item_id: h.qty for h in holdings}
        return Garden(
            row,
            self.tier(row.tier),
            await self.store(scope).plants(row.user_id),
            scope.now(),
            await self._boost(scope),
            self._bonus(owned),
            rules.watering_pct(owned),
            held.get("fertilizer", 0),
            {s: held[s] for s in self.seeds if held.get(s)},
        )

    async def about(self, guild_id: int, user_id: int) -> About:
        async def tx(scope: GuildScope) -> About:
            await self._on(scope)
            row = await self.store(scope).garden(user_id)
            if row is None:
                raise TheyHaveNoGarden()
            plants = await self.store(scope).plants(user_id)
            ready = sum(1 for p in plants if p.ready_at <= scope.now())
            return About(row, self.tier(row.tier), len(plants), ready)

        return await self.db.read(guild_id, tx)

    async def boost(self, guild_id: int) -> Boost | None:
        return await self.db.read(guild_id, self._boost)

    async def create_cost(self, guild_id: int) -> int:
        return int((await self.settings.get(guild_id)).garden_create_cost)

    # --- founding ---------------------------------------------------------------------------

    async def create(self, guild_id: int, user_id: int) -> Founded:
        async def tx(scope: GuildScope) -> Founded:
            settings = await self._on(scope)
            store = self.store(scope)
            if await store.garden(user_id) is not None:
                raise AlreadyHaveGarden()
            cost = settings.garden_create_cost
            if cost:
                balance = await scope.wallet.debit(user_id, cost, reason="garden.create")
            else:
                await scope.wallet.ensure(user_id)
                balance = (await scope.wallet.get(user_id)).chi
            first = self.content.tier[0]
            if not await store.create(user_id, first.key, scope.now()):
                raise AlreadyHaveGarden()
            after = await scope.counters.apply(user_id, high={"garden_tier": 1})
            unlocked = await scope.publish(
                GardenFounded(user_id, {"garden_tier": (0, after["garden_tier"])})
            )
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            await scope.audit.write(user_id, "garden.create", note=f"{cost} chi")
            row = await store.garden(user_id)
            assert row is not None
            return Founded(await self._view(scope, row), cost, balance, tuple(unlocked))

        return await self.db.scoped(guild_id, tx)

    # --- the garden shop --------------------------------------------------------------------

    def check_buy(self, text: str, qty: int) -> Item:
        item = self.find_shop_item(text)
        if not self.items.available(item):
            raise NotAGardenItem(text=item.name)
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_BUY:
            raise BadPlantQty(most=MAX_BUY)
        if not item.stacks and qty != 1:
            raise BadPlantQty(most=1)
        return item

    async def buy(
        self, guild_id: int, user_id: int, text: str, qty: int = 1, *, max_total: int | None = None
    ) -> Bought:
        """Buy `qty` of a garden-shop item. `max_total`: the total the member was shown (a
        confirmed purchase is refused if the price went up since)."""
        item = self.check_buy(text, qty)
        assert item.buy is not None
        total = item.buy.price * qty

        async def tx(scope: GuildScope) -> Bought:
            garden = await self._garden(scope, user_id)
            locked = self.locked_for(item, garden.tier)
            if locked is not None:
                raise TierLocked(
                    item=item.name, tier=locked.name, yours=self.tier(garden.tier).name
                )
            if max_total is not None and total > max_total:
                raise OfferChanged()  # the catalog changed under the offer
            if not item.stacks and await scope.inventory.qty(user_id, item.id):
                raise AlreadyOwnTool(item=item.name)
            balance = await scope.wallet.debit(user_id, total, reason="garden.buy", ref=item.id)
            held = await scope.inventory.add(user_id, item.id, qty, unique=not item.stacks)
            return Bought(item, qty, total, balance, held)

        return await self.db.scoped(guild_id, tx)

    async def buy_bundle(self, guild_id: int, user_id: int, text: str) -> BundleBought:
        bundle = self.bundle_of(text)

        async def tx(scope: GuildScope) -> BundleBought:
            garden = await self._garden(scope, user_id)
            for part in bundle.contents:
                item = self.items.get(part.item)
                locked = self.locked_for(item, garden.tier)
                if locked is not None:  # bundles obey the tier lock like the shop
                    raise TierLocked(
                        item=item.name, tier=locked.name, yours=self.tier(garden.tier).name
                    )
                if not item.stacks and await scope.inventory.qty(user_id, item.id):
                    raise BundleToolOwned(tool=item.name, bundle=bundle.name)
            balance = await scope.wallet.debit(
                user_id, bundle.price, reason="garden.bundle", ref=bundle.id
            )
            for part in bundle.contents:
                item = self.items.get(part.item)
                await scope.inventory.add(user_id, item.id, part.qty, unique=not item.stacks)
            return BundleBought(bundle, balance)

        return await self.db.scoped(guild_id, tx)

    # --- planting ---------------------------------------------------------------------------

    async def plant(self, guild_id: int, user_id: int, text: str, qty: int = 1) -> Planted:
        seed, item = self.seed_of(text)
        most = self.content.plant_max
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= most:
            raise BadPlantQty(most=most)

        async def tx(scope: GuildScope) -> Planted:
            row = await self._garden(scope, user_id, lock=True)
            tier = self.tier(row.tier)
            if not rules.may_plant(self.content, seed, row.tier):
                needed = self.tier(seed.tier)
                raise TierLocked(item=item.name, tier=needed.name, yours=tier.name)
            store = self.store(scope)
            used = await store.plant_count(user_id)
            if used + qty > tier.plots:
                raise GardenFull(free=max(0, tier.plots - used), plots=tier.plots)
            try:
                _taken, left = await scope.inventory.take_counted(
                    user_id, item.id, qty, held=qty, name=item.name
                )
            except NotEnoughItems as short:
                raise NoSeeds(have=short.have, seed=item.name, wanted=qty) from None
            boost = await self._boost(scope)
            terms_boost = rules.BoostTerms(boost.growth_pct, boost.yield_pct) if boost else None
            bonus = self._bonus(await self._owned(scope, user_id))
            now = scope.now()
            pet = await self._pet(scope, user_id, now)
            terms = rules.plant_terms(seed, tier, bonus, terms_boost, now, pet)
            await store.add_plants(
                user_id,
                seed.item,
                qty,
                planted_at=now,
                ready_at=terms.ready_at,
                chi=terms.yield_,
                boosted=terms.boosted,
                rare_pct=pet.rare_pct if pet is not None else 0,
            )
            return Planted(
                seed,
                item,
                qty,
                terms.ready_at,
                terms.yield_,
                left,
                tier.plots - used - qty,
                bonus,
                boost,
                tier,
                pet,
            )

        return await self.db.scoped(guild_id, tx)

    async def _pet(self, scope: GuildScope, user_id: int, now: datetime) -> rules.PetTerms | None:
        """The active, fed pet's yield, growth and rare-find bonus (None without one, or
        starving)."""
        if self.pets is None:
            return None
        found = await self.pets.garden_bonus(scope, user_id, now)
        if found is None or not (found.yield_pct or found.growth_pct or found.rare_pct):
            return None
        return rules.PetTerms(found.yield_pct, found.growth_pct, found.rare_pct)

    # --- tending ----------------------------------------------------------------------------

    def _which(self, text: str | None) -> tuple[str | None, str]:
        """A seed filter from `[seed|all]`: (seed item id or None, " of <name>" or "")."""
        if text is None or text.strip().lower() in ("", "all"):
            return None, ""
        seed, item = self.seed_of(text)
        return seed.item, f" of {item.name}"

    async def water(self, guild_id: int, user_id: int, which: str | None = None) -> Watered:
        seed_id, of = self._which(which)

        async def tx(scope: GuildScope) -> Watered:
            await self._garden(scope, user_id, lock=True)
            pct = rules.watering_pct(await self._owned(scope, user_id))
            if pct <= 0:
                raise NoWateringCan()
            store = self.store(scope)
            now = scope.now()
            plants = await store.growing(user_id, now, seed_id, unwatered=True)
            if not plants:
                if not await store.growing(user_id, now, seed_id):
                    raise NothingPlanted(of=of)
                raise NothingToWater(of=of)
            changes = [(p.plant_id, rules.watered(p.planted_at, p.ready_at, pct)) for p in plants]
            await store.water(user_id, changes)
            saved = sum(
                ((p.ready_at - new) for p, (_pid, new) in zip(plants, changes, strict=True)),
                timedelta(),
            )
            return Watered(len(plants), pct, saved, min(new for _pid, new in changes))

        return await self.db.scoped(guild_id, tx)

    async def fertilize(self, guild_id: int, user_id: int, which: str | None = None) -> Fertilized:
        seed_id, of = self._which(which)
        fertilizer = self.items.get("fertilizer")
        effect = fertilizer.effect("fertilizer")
        pct = effect.bonus_pct if effect and effect.bonus_pct else 0.0

        async def tx(scope: GuildScope) -> Fertilized:
            await self._garden(scope, user_id, lock=True)
            held = await scope.inventory.qty(user_id, fertilizer.id)
            if held <= 0:
                raise NoFertilizer()
            store = self.store(scope)
            now = scope.now()
            plants = await store.growing(user_id, now, seed_id, unfertilized=True)
            if not plants:
                if not await store.growing(user_id, now, seed_id):
                    raise NothingPlanted(of=of)
                raise NothingToFertilize(of=of)
            plants = plants[:held]  # one use per plant, soonest ready first
            changes = [
                (p.plant_id, rules.fertilized(p.chi, self.seeds[p.seed], pct)) for p in plants
            ]
            _taken, left = await scope.inventory.take_counted(
                user_id, fertilizer.id, len(plants), held=held, name=fertilizer.name
            )
            await store.fertilize(user_id, changes)
            extra = sum(new - p.chi for p, (_pid, new) in zip(plants, changes, strict=True))
            return Fertilized(len(plants), extra, left)

        return await self.db.scoped(guild_id, tx)

    # --- harvesting -------------------------------------------------------------------------

    async def harvest(self, guild_id: int, user_id: int, which: str | None = None) -> Harvest:
        seed_id, of = self._which(which)

        async def tx(scope: GuildScope) -> Harvest:
            row = await self._garden(scope, user_id)
            store = self.store(scope)
            now = scope.now()
            taken = await store.take_ready(user_id, now, seed_id)
            if not taken:
                growing = await store.growing(user_id, now, seed_id)
                if not growing:
                    raise NothingPlanted(of=of)
                raise NothingReady(of=of, next_at=growing[0].ready_at)
            chi = sum(c for _s, c, _r in taken)
            counts = Counter(s for s, _c, _r in taken)
            balance = await scope.wallet.credit(user_id, chi, reason="garden.harvest")
            known = [(self.seeds[s], r) for s, _c, r in taken if s in self.seeds]
            drops = rules.roll_drops(
                self.content, row.tier, [s for s, _r in known], self.rng, [r for _s, r in known]
            )
            for item_id, qty in sorted(drops.items()):
                await scope.inventory.add(user_id, item_id, qty)
            await store.tally(user_id, len(taken), chi)
            before = await scope.counters.read(user_id, ["plants_harvested"])
            after = await scope.counters.apply(user_id, add={"plants_harvested": len(taken)})
            changes = {
                "plants_harvested": (before["plants_harvested"], after["plants_harvested"]),
                "lifetime_chi": None,
            }
            unlocked = await scope.publish(PlantsHarvested(user_id, changes, len(taken), chi))
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            growing = await store.growing(user_id, now, None)
            return Harvest(
                dict(counts),
                chi,
                drops,
                balance,
                len(growing),
                growing[0].ready_at if growing else None,
                tuple(unlocked),
            )

        return await self.db.scoped(guild_id, tx)

    # --- upgrading --------------------------------------------------------------------------

    async def upgrade_offer(self, guild_id: int, user_id: int) -> Upgrade:
        async def tx(scope: GuildScope) -> Upgrade:
            row = await self._garden(scope, user_id)
            current = self.tier(row.tier)
            following = rules.next_tier(self.content, row.tier)
            if following is None:
                raise TopTier(tier=current.name)
            return Upgrade(current, following)

        return await self.db.read(guild_id, tx)

    async def upgrade(self, guild_id: int, user_id: int, *, to: str | None = None) -> Upgraded:
        """Move the garden up one tier (`to`: the tier the member was offered; refused if the
        garden moved since)."""

        async def tx(scope: GuildScope) -> Upgraded:
            row = await self._garden(scope, user_id, lock=True)
            current = self.tier(row.tier)
            following = rules.next_tier(self.content, row.tier)
            if following is None:
                raise TopTier(tier=current.name)
            if to is not None and following.key != to:
                raise OfferChanged()
            wallet = scope.wallet
            money = await wallet.get(user_id)
            if money.chi < following.price:
                raise NotEnoughChi(following.price, money.chi)
            if money.rebirths < following.rebirths:
                raise NotEnoughChi(following.rebirths, money.rebirths, REBIRTHS)
            balance = money.chi
            if following.price:
                balance = await wallet.debit(
                    user_id, following.price, reason="garden.upgrade", ref=following.key
                )
            if following.rebirths:
                await wallet.debit(
                    user_id,
                    following.rebirths,
                    reason="garden.upgrade",
                    ref=following.key,
                    currency=REBIRTHS,
                )
            if not await self.store(scope).set_tier(user_id, row.tier, following.key):
                raise TopTier(tier=current.name)
            place = rules.tier_index(self.content, following.key) + 1
            before = await scope.counters.read(user_id, ["garden_tier"])
            await scope.counters.apply(user_id, high={"garden_tier": place})
            unlocked = await scope.publish(
                GardenUpgraded(
                    user_id, {"garden_tier": (before["garden_tier"], place)}, following.key
                )
            )
            if unlocked:
                balance = (await wallet.get(user_id)).chi
            await scope.audit.write(
                user_id, "garden.upgrade", before=current.key, after=following.key
            )
            return Upgraded(following, current, balance, tuple(unlocked))

        return await self.db.scoped(guild_id, tx)

    # --- the server's boost -----------------------------------------------------------------

    async def start_boost(self, guild_id: int, by_id: int, minutes: int) -> Boost:
        """Start the server's garden boost for `minutes` (admins, and the events system).
        One at a time, and not again until `rest_hours` after the last one ended."""
        spec = self.content.boost
        if not spec.min_minutes <= minutes <= spec.max_hours * 60:
            raise BadBoostLength(least=spec.min_minutes, most=spec.max_hours)

        async def tx(scope: GuildScope) -> Boost:
            await self._on(scope)
            store = self.store(scope)
            now = scope.now()
            last: BoostRow | None = await store.last_boost()
            if last is not None and last.starts_at <= now < last.ends_at:
                raise BoostRunning(until=last.ends_at)
            if last is not None and now < last.ends_at + timedelta(hours=spec.rest_hours):
                raise BoostResting(ready=last.ends_at + timedelta(hours=spec.rest_hours))
            ends = now + timedelta(minutes=minutes)
            await store.add_boost(now, ends, spec.growth_pct, spec.yield_pct, by_id)
            await scope.audit.write(by_id, "garden.boost", note=f"{minutes} min")
            return Boost(spec.growth_pct, spec.yield_pct, ends)

        return await self.db.scoped(guild_id, tx)
