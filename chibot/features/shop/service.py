"""Shop and item use cases. Each public method is ONE transaction (`Database.scoped`) and returns
a plain result for the cog to render; a refusal is a `UserError` raised before anything is
written or inside the transaction (which then rolls back whole).

Decisions:
- **Prices are read inside the transaction** (`scope.settings.load()`), not from the settings
  cache: a change of `shop_price_multiplier` applies to the very next purchase in every
  process, and no stale cached price can let a member buy cheaper.
- **Lock order.** Every writing transaction first locks the member's row (`ShopStore.
  lock_member`, PostgreSQL), then touches inventory, chest, counters. A member's shop actions
  therefore run one after another: a non-stacking item cannot be bought twice by simultaneous
  buys, a box cannot be opened twice, the HP cap cannot be passed, and two of them never
  deadlock. The conditional statements of the wallet and holdings (`chi >= cost`,
  `qty >= n`) guarantee the same again on their own.
- **Confirmations are single-use.** A purchase that needs a confirmation returns a `Quote`
  (nothing written). The Confirm button carries the quote's total, its expiry and how many of
  the item the member held (`held`): `buy(..., confirmed=True)` refuses if the offer expired,
  if the price went up, or if the member's quantity changed since (a second click of the same
  button finds one more and is refused). No extra table is needed.
- **Selling is not earning** (`earned=False`): it never raises the level. Loot paid out as
  chi (a duplicate weapon) is not earning either.
- **Weapons held** (inventory or chest) are counted after every change that can alter them
  (buy, sell, loot) into the gauges `weapon_kinds_owned` and `legendary_weapons_owned`, then
  the shop publishes the fact (`events.py`: `ItemBought`, `ItemSold`, `ItemUsed`); progress
  unlocks what is due in the same transaction, and the result carries the unlocks (opaque
  notices) for the cog to announce.
- **HP and item levels** are progress's rules (the permanent HP cap, max HP, the damage bonus
  of a level), read through its service: the shop `needs` progress in its manifest.
- **Counters written**: `items_bought`, `chi_spent_shop`, `rebirths_spent_shop`,
  `items_sold`, `chi_from_sales`, `items_used`, `permanent_hp`, and the two weapon gauges.
- **The loot roll is drawn before the transaction**, so a retried transaction (a transient
  conflict) opens the same box to the same result.
- Healing items and weapons are refused by `use` (they work in fights); decorations, gym
  items and garden tools do their work in systems that are not installed yet (and are not
  sold before then).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.currency import CHI, REBIRTHS, Currency
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.holdings import Holding, Holdings, NotEnoughItems
from chibot.core.items import Item, ItemRegistry
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.progress.service import ProgressService
from chibot.features.shop import rules
from chibot.features.shop.errors import (
    AlreadyOwned,
    CannotSell,
    CannotUse,
    HpCapReached,
    NotInChest,
    NotInInventory,
    OfferChanged,
    OfferExpired,
    PriceWentUp,
    UnknownShop,
)
from chibot.features.shop.events import ItemBought, ItemSold, ItemUsed
from chibot.features.shop.rules import Price
from chibot.features.shop.store import ShopStore, Snapshot

_USED = {"items_used": 1}


def _values(gauges: dict[str, tuple[int, int]]) -> dict[str, int]:
    return {name: after for name, (_before, after) in gauges.items()}


def _moved(
    after: dict[str, int], bumps: dict[str, int], gauges: dict[str, tuple[int, int]]
) -> dict[str, tuple[int, int] | None] | None:
    """What a shop fact says moved (`MemberActed.changes`): each bumped counter (before,
    after) and the weapon gauges; None (check everything, Early Bird included) on the
    member's first action of the kind (the first counter was only just made)."""
    first, by = next(iter(bumps.items()))
    if after[first] == by:
        return None
    changes: dict[str, tuple[int, int] | None] = {
        name: (after[name] - step, after[name]) for name, step in bumps.items()
    }
    changes.update(gauges)
    return changes


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShopEntry:
    item: Item
    price: Price
    owned: int  # inventory + chest
    affordable: bool


@dataclass(frozen=True, slots=True)
class ShopPage:
    shop: str
    page: int
    pages: int
    entries: list[ShopEntry]
    balance: int  # in the shop's currency
    currency: Currency
    multiplier: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A purchase waiting for its confirmation: nothing has been written."""

    item: Item
    qty: int
    unit: Price
    total: Price
    balance: int
    held: int  # how many the member held when quoted (the offer's version)
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Purchase:
    item: Item
    qty: int
    total: Price
    balance: int  # after the purchase and any achievement reward, in the shop's currency
    chi: int
    held: int  # now in the inventory
    unlocked: list[Any] = field(default_factory=list)  # notices (achievements) to announce


@dataclass(frozen=True, slots=True)
class Sale:
    item: Item
    qty: int
    unit: int
    total: int
    balance: int
    remaining: int
    unlocked: list[Any] = field(default_factory=list)  # notices (achievements) to announce


@dataclass(frozen=True, slots=True)
class HeldItem:
    item: Item
    qty: int
    level: int


@dataclass(frozen=True, slots=True)
class HoldingsView:
    user_id: int
    where: str  # "inventory" | "chest"
    category: str | None
    entries: list[HeldItem]
    other: int  # units held in the other place (chest when viewing the inventory, and back)
    chi: int
    rebirths: int


@dataclass(frozen=True, slots=True)
class LootLine:
    item: Item
    qty: int
    chance: float


@dataclass(frozen=True, slots=True)
class ItemInfo:
    item: Item
    unit: Price | None  # None: not sold (or not yet)
    sell: int  # per unit in this server; 0: can't be sold
    inventory: Holding | None
    chest: Holding | None
    loot: list[LootLine]
    bonus_pct: int  # from the caller's upgrade level of this item
    permanent_hp: int
    multiplier: int
    max_hp: int = 0  # the caller's, from progress's rules
    max_permanent_hp: int = 0  # the cap of permanent HP


@dataclass(frozen=True, slots=True)
class HpUse:
    item: Item
    hp: int
    permanent_hp: int
    max_hp: int
    remaining: int
    unlocked: list[Any] = field(default_factory=list)  # notices (achievements) to announce
    max_permanent_hp: int = 0


@dataclass(frozen=True, slots=True)
class TitleUse:
    item: Item
    title: str
    remaining: int
    unlocked: list[Any] = field(default_factory=list)  # notices (achievements) to announce


@dataclass(frozen=True, slots=True)
class LootUse:
    item: Item  # the box
    got: Item
    qty: int
    duplicate: bool  # a non-stacking item already held: paid out at its sell value instead
    paid: int  # chi paid instead of a duplicate
    balance: int
    remaining: int  # boxes left
    unlocked: list[Any] = field(default_factory=list)  # notices (achievements) to announce


UseResult = HpUse | TitleUse | LootUse


@dataclass(frozen=True, slots=True)
class ChestMove:
    item: Item
    qty: int
    level: int
    into_chest: bool
    inventory: int  # now in the inventory
    chest: int  # now in the chest


class ShopService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        rng: Rng,
        settings: SettingsService,
        progress: ProgressService,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.rng = rng
        self.settings = (
            settings  # cached reads: display-only (autocomplete); prices read in-transaction
        )
        self.progress = progress

    # --- lookups (no database) ------------------------------------------------------------

    @property
    def items(self) -> ItemRegistry:
        return self.catalog.items

    def find(self, text: str) -> Item:
        return rules.find_item(self.items, text)

    def shop_items(self, shop: str) -> list[Item]:
        if shop not in rules.SHOPS:
            raise UnknownShop()
        return self.items.shop(shop)

    def search(self, text: str, *, sold_only: bool = False, limit: int = 25) -> list[Item]:
        """Autocomplete: items whose name starts with (then contains) the text, or a code."""
        pool = [i for i in self.items if self.items.available(i)] if sold_only else None
        return self.items.search(text, pool, limit=limit)

    async def suggest_buy(self, guild_id: int, text: str) -> list[tuple[Item, Price]]:
        """Autocomplete of `buy`: items on sale, with their price here (from the settings
        cache: display only, `buy` reads the price again in its transaction)."""
        multiplier = (await self.settings.get(guild_id)).shop_price_multiplier if guild_id else 100
        return [(i, rules.unit_price(i, multiplier)) for i in self.search(text, sold_only=True)]

    async def suggest_held(
        self, guild_id: int, user_id: int, text: str, where: str = "inventory"
    ) -> list[Item]:
        """Autocomplete of `sell`, `use`, `chest store/take`: what the member has there."""
        return self.items.search(text, await self.held_items(guild_id, user_id, where))

    # --- shops ----------------------------------------------------------------------------

    async def page(self, guild_id: int, user_id: int, shop: str, page: int = 1) -> ShopPage:
        items = self.shop_items(shop)
        current = rules.clamp_page(page, len(items), rules.SHOP_PAGE_SIZE)
        start = (current - 1) * rules.SHOP_PAGE_SIZE
        on_page = items[start : start + rules.SHOP_PAGE_SIZE]
        currency = REBIRTHS if shop == "rebirth" else CHI

        async def tx(scope: GuildScope) -> ShopPage:
            multiplier = (await scope.settings.load()).shop_price_multiplier
            money = await scope.wallet.get(user_id)
            balance = money.rebirths if currency == REBIRTHS else money.chi
            owned = await self._owned(scope, user_id)
            entries = []
            for item in on_page:
                price = rules.unit_price(item, multiplier)
                entries.append(
                    ShopEntry(item, price, owned.get(item.id, 0), balance >= price.amount)
                )
            pages = rules.page_count(len(items), rules.SHOP_PAGE_SIZE)
            return ShopPage(shop, current, pages, entries, balance, currency, multiplier)

        return await self.db.read(guild_id, tx)

    async def buy(
        self,
        guild_id: int,
        user_id: int,
        text: str,
        qty: int = 1,
        *,
        confirmed: bool = False,
        max_total: int | None = None,
        expect_held: int | None = None,
        expires_at: datetime | None = None,
    ) -> Purchase | Quote:
        """Buy `qty` of an item. Without `confirmed`, a purchase that needs a confirmation
        returns a `Quote` and writes nothing; with it, the quote's terms are re-checked."""
        item = self.find(text)
        rules.check_buyable(item, self.items)
        rules.check_qty(qty, item)
        if confirmed and expires_at is not None and self.db.clock.now() > expires_at:
            raise OfferExpired()
        return await self.db.scoped(
            guild_id, self._buy_tx, user_id, item, qty, confirmed, max_total, expect_held
        )

    async def _buy_tx(
        self,
        scope: GuildScope,
        user_id: int,
        item: Item,
        qty: int,
        confirmed: bool,
        max_total: int | None,
        expect_held: int | None,
    ) -> Purchase | Quote:
        multiplier = (await scope.settings.load()).shop_price_multiplier
        unit = rules.unit_price(item, multiplier)
        total = rules.total_price(item, qty, multiplier)
        weapon = item.category == "weapon"
        snap = await self._snapshot(scope, user_id, [item.id], weapons=weapon)
        held, in_chest = snap.inventory[item.id], snap.chest[item.id]
        if not item.stacks and (held or in_chest):
            raise AlreadyOwned(item, "" if held else "chest")
        if expect_held is not None and held != expect_held:
            raise OfferChanged()
        if max_total is not None and total.amount > max_total:
            raise PriceWentUp(total=str(total))
        if not confirmed and rules.needs_confirmation(total):
            have = snap.rebirths if total.currency == REBIRTHS else snap.chi
            if have < total.amount:
                raise NotEnoughChi(total.amount, have, total.currency)
            expires = scope.now() + timedelta(seconds=rules.CONFIRM_SECONDS)
            return Quote(item, qty, unit, total, have, held, expires)
        balance = await scope.wallet.debit(
            user_id, total.amount, reason="shop.buy", ref=item.id, currency=total.currency
        )
        now_held = await scope.inventory.add(user_id, item.id, qty, unique=not item.stacks)
        if now_held == 0:  # unreachable after the lock and the check above; never sell twice
            raise AlreadyOwned(item)
        spent = "rebirths_spent_shop" if total.currency == REBIRTHS else "chi_spent_shop"
        gauges = self._gauges(snap, item, +1, first=not (held or in_chest)) if weapon else {}
        after = await scope.counters.apply(
            user_id, add={"items_bought": qty, spent: total.amount}, put=_values(gauges)
        )
        changes = _moved(after, {"items_bought": qty, spent: total.amount}, gauges)
        fact = ItemBought(user_id, changes, item_id=item.id, qty=qty)
        unlocked = list(await scope.publish(fact))
        chi = balance if total.currency == CHI else snap.chi
        if unlocked:  # a reward may have been paid
            money = await scope.wallet.get(user_id)
            balance = money.rebirths if total.currency == REBIRTHS else money.chi
            chi = money.chi
        return Purchase(item, qty, total, balance, chi, now_held, unlocked)

    async def sell(self, guild_id: int, user_id: int, text: str, qty: int = 1) -> Sale:
        item = self.find(text)
        if item.sell <= 0:
            raise CannotSell(item)
        rules.check_qty(qty, item)

        async def tx(scope: GuildScope) -> Sale:
            multiplier = (await scope.settings.load()).shop_price_multiplier
            unit = rules.sell_value(item, multiplier)
            if unit <= 0:
                raise CannotSell(item, here=True)
            weapon = item.category == "weapon"
            snap = await self._snapshot(scope, user_id, [item.id], weapons=weapon)
            _, remaining = await self._take(scope, user_id, item, qty, snap)
            total = unit * qty
            balance = await scope.wallet.credit(
                user_id, total, reason="shop.sell", ref=item.id, earned=False
            )
            gone = weapon and remaining == 0 and snap.chest[item.id] == 0
            gauges = self._gauges(snap, item, -1, first=gone) if weapon else {}
            bumps = {"items_sold": qty, "chi_from_sales": total}
            after = await scope.counters.apply(user_id, add=bumps, put=_values(gauges))
            changes = _moved(after, bumps, gauges)
            fact = ItemSold(user_id, changes, item_id=item.id, qty=qty)
            unlocked = list(await scope.publish(fact))
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            return Sale(item, qty, unit, total, balance, remaining, unlocked)

        return await self.db.scoped(guild_id, tx)

    # --- holdings -------------------------------------------------------------------------

    async def holdings(
        self, guild_id: int, user_id: int, *, where: str = "inventory", category: str | None = None
    ) -> HoldingsView:
        """A member's inventory or chest, sorted by category and shop order (read-only)."""
        if where not in ("inventory", "chest"):
            raise ValueError(where)
        key = rules.parse_category(category) if category else None

        async def tx(scope: GuildScope) -> HoldingsView:
            here, there = (
                (scope.inventory, scope.chest)
                if where == "inventory"
                else (scope.chest, scope.inventory)
            )
            rows = await here.all(user_id)
            other = sum(h.qty for h in await there.all(user_id))
            money = await scope.wallet.get(user_id)
            entries = []
            for row in rows:
                item = self.items.by_id.get(row.item_id)
                if item is None or (key is not None and item.category != key):
                    continue  # ids are never removed from the catalog; skip rather than fail
                entries.append(HeldItem(item, row.qty, row.level))
            entries.sort(key=lambda e: rules.item_sort_key(e.item))
            return HoldingsView(user_id, where, key, entries, other, money.chi, money.rebirths)

        return await self.db.read(guild_id, tx)

    async def held_items(self, guild_id: int, user_id: int, where: str = "inventory") -> list[Item]:
        """Autocomplete of `sell`, `use`, `chest store/take`: what the member has there."""
        view = await self.holdings(guild_id, user_id, where=where)
        return [e.item for e in view.entries]

    async def chest_move(
        self, guild_id: int, user_id: int, text: str, qty: int = 1, *, into_chest: bool
    ) -> ChestMove:
        """Move items between the inventory and the chest, keeping their upgrade level. The
        chest holds any item."""
        item = self.find(text)
        rules.check_qty(qty, item)

        async def tx(scope: GuildScope) -> ChestMove:
            await scope.get(ShopStore).lock_member(user_id)
            dest: Holdings
            if into_chest:
                taken, _ = await self._take(scope, user_id, item, qty)
                dest = scope.chest
            else:
                try:
                    taken = await scope.chest.take(user_id, item.id, qty, name=item.name)
                except NotEnoughItems as error:
                    raise NotInChest(item, qty, error.have) from None
                dest = scope.inventory
            added = await dest.add(user_id, item.id, qty, level=taken.level, unique=not item.stacks)
            if added == 0:  # a non-stacking item held in both places: cannot happen, never merge
                raise AlreadyOwned(item, "chest" if into_chest else "inventory")
            inv = await scope.inventory.qty(user_id, item.id)
            chest = await scope.chest.qty(user_id, item.id)
            return ChestMove(item, qty, taken.level, into_chest, inv, chest)

        return await self.db.scoped(guild_id, tx)

    # --- items ----------------------------------------------------------------------------

    async def item_info(self, guild_id: int, user_id: int, text: str) -> ItemInfo:
        item = self.find(text)

        async def tx(scope: GuildScope) -> ItemInfo:
            multiplier = (await scope.settings.load()).shop_price_multiplier
            inv = await scope.inventory.get(user_id, item.id)
            chest = await scope.chest.get(user_id, item.id)
            level = max(inv.level if inv else 0, chest.level if chest else 0)
            permanent_hp = await scope.counters.get(user_id, "permanent_hp")
            unit = rules.unit_price(item, multiplier) if self.items.available(item) else None
            return ItemInfo(
                item,
                unit,
                rules.sell_value(item, multiplier),
                inv,
                chest,
                self._loot_lines(item),
                self.progress.damage_bonus_pct(level),
                permanent_hp,
                multiplier,
                self.progress.max_hp(permanent_hp),
                self.progress.max_permanent_hp,
            )

        return await self.db.read(guild_id, tx)

    def _loot_lines(self, item: Item) -> list[LootLine]:
        effect = item.effect("loot")
        if effect is None or effect.loot is None:
            return []
        table = self.items.loot[effect.loot]
        return [LootLine(self.items.get(e.item), e.qty, p) for e, p in rules.loot_odds(table)]

    async def use(
        self, guild_id: int, user_id: int, text: str, arg: str | None = None
    ) -> UseResult:
        """Use one item outside fights: permanent HP, a title, a box."""
        item = self.find(text)
        if item.effect("permanent_hp"):
            return await self.db.scoped(guild_id, self._use_hp, user_id, item)
        if item.effect("title"):
            title = rules.clean_title(arg)
            return await self.db.scoped(guild_id, self._use_title, user_id, item, title)
        effect = item.effect("loot")
        if effect is not None and effect.loot is not None:
            entry = rules.roll_loot(self.items.loot[effect.loot], self.rng)
            return await self.db.scoped(
                guild_id, self._use_loot, user_id, item, entry.item, entry.qty
            )
        if item.effect("weapon") or item.effect("healing"):
            raise CannotUse(item, "fights")
        if item.effects and self.items.usable(item):
            raise CannotUse(item, "elsewhere")  # its system uses it with its own commands
        if item.effects:
            raise CannotUse(item, "not_here")
        raise CannotUse(item, "no_use")

    async def _use_hp(self, scope: GuildScope, user_id: int, item: Item) -> HpUse:
        effect = item.effect("permanent_hp")
        assert effect is not None and effect.hp is not None
        snap = await self._snapshot(scope, user_id, [item.id])
        _, remaining = await self._take(scope, user_id, item, 1, snap)
        bumps = {"items_used": 1, "permanent_hp": effect.hp}
        after = await scope.counters.apply(user_id, add=bumps)
        total = after["permanent_hp"]
        if total > self.progress.max_permanent_hp:  # refused: the whole transaction rolls back
            before = total - effect.hp
            raise HpCapReached(total=total, cap=self.progress.max_permanent_hp, have=before)
        changes = _moved(after, bumps, {})
        if changes is not None:
            hp = self.progress.max_hp
            changes["max_hp"] = (hp(total - effect.hp), hp(total))
        unlocked = list(await scope.publish(ItemUsed(user_id, changes, item_id=item.id)))
        return HpUse(
            item,
            effect.hp,
            total,
            self.progress.max_hp(total),
            remaining,
            unlocked,
            self.progress.max_permanent_hp,
        )

    async def _use_title(self, scope: GuildScope, user_id: int, item: Item, title: str) -> TitleUse:
        snap = await self._snapshot(scope, user_id, [item.id])
        _, remaining = await self._take(scope, user_id, item, 1, snap)
        await scope.get(ShopStore).set_title(user_id, title)
        changes = _moved(await scope.counters.apply(user_id, add=_USED), _USED, {})
        unlocked = list(await scope.publish(ItemUsed(user_id, changes, item_id=item.id)))
        return TitleUse(item, title, remaining, unlocked)

    async def _use_loot(
        self, scope: GuildScope, user_id: int, box: Item, got_id: str, qty: int
    ) -> LootUse:
        got = self.items.get(got_id)
        weapon = got.category == "weapon" and not got.stacks
        snap = await self._snapshot(scope, user_id, [box.id, got.id], weapons=weapon)
        _, remaining = await self._take(scope, user_id, box, 1, snap)
        if got.id == box.id:
            snap.inventory[got.id] = remaining
        paid, duplicate = 0, False
        balance = snap.chi
        gauges: dict[str, tuple[int, int]] = {}
        if got.stacks:
            await scope.inventory.add(user_id, got.id, qty)
        elif snap.inventory[got.id] or snap.chest[got.id]:
            duplicate = True
            multiplier = (await scope.settings.load()).shop_price_multiplier
            paid = rules.sell_value(got, multiplier) * qty
            if paid > 0:
                balance = await scope.wallet.credit(
                    user_id, paid, reason="shop.loot", ref=got.id, earned=False
                )
        else:
            await scope.inventory.add(user_id, got.id, 1, unique=True)
            if weapon:
                gauges = self._gauges(snap, got, +1, first=True)
        after = await scope.counters.apply(user_id, add=_USED, put=_values(gauges))
        changes = _moved(after, _USED, gauges)
        unlocked = list(await scope.publish(ItemUsed(user_id, changes, item_id=box.id)))
        if unlocked:
            balance = (await scope.wallet.get(user_id)).chi
        return LootUse(box, got, qty, duplicate, paid, balance, remaining, unlocked)

    # --- helpers --------------------------------------------------------------------------

    async def _take(
        self,
        scope: GuildScope,
        user_id: int,
        item: Item,
        qty: int,
        snap: Snapshot | None = None,
    ) -> tuple[Holding, int]:
        """Take from the inventory; if it isn't there but is in the chest, say so. Returns
        what was taken and what is left (one statement, given the transaction's snapshot)."""
        held = snap.inventory.get(item.id, -1) if snap is not None else -1
        try:
            return await scope.inventory.take_counted(
                user_id, item.id, qty, held=held, name=item.name
            )
        except NotEnoughItems as error:
            if error.have == 0:
                if snap is not None and item.id in snap.chest:
                    in_chest = snap.chest[item.id]
                else:
                    in_chest = await scope.chest.qty(user_id, item.id)
                if in_chest:
                    raise NotInInventory(item=item.name, in_chest=in_chest) from None
            raise

    @functools.cached_property
    def _weapon_ids(self) -> tuple[list[str], list[str]]:
        """(every weapon's id, the legendary ones'), for the snapshot's weapon counts."""
        weapons = [i for i in self.items if i.category == "weapon"]
        return [i.id for i in weapons], [i.id for i in weapons if rules.is_legendary_weapon(i)]

    async def _snapshot(
        self, scope: GuildScope, user_id: int, items: list[str], *, weapons: bool = False
    ) -> Snapshot:
        store = scope.get(ShopStore)
        if not weapons:
            return await store.snapshot(user_id, items)
        every, legendary = self._weapon_ids
        return await store.snapshot(user_id, items, weapons=every, legendary=legendary)

    @staticmethod
    def _gauges(
        snap: Snapshot, item: Item, step: int, *, first: bool
    ) -> dict[str, tuple[int, int]]:
        """The weapon gauges (before, after) once `item` (a weapon) was added (`step` +1) or
        taken (-1); `first`: it was the member's first (or last) one of its kind."""
        moved = step if first else 0
        legendary = moved if rules.is_legendary_weapon(item) else 0
        return {
            "weapon_kinds_owned": (snap.weapons, snap.weapons + moved),
            "legendary_weapons_owned": (snap.legendary, snap.legendary + legendary),
        }

    async def _owned(self, scope: GuildScope, user_id: int) -> dict[str, int]:
        owned: dict[str, int] = {}
        for holding in [*await scope.inventory.all(user_id), *await scope.chest.all(user_id)]:
            owned[holding.item_id] = owned.get(holding.item_id, 0) + holding.qty
        return owned
