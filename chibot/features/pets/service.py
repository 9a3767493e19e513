"""Pets' use cases: one transaction each (`Database.scoped`), on one server's data.

- **Adopting** costs the species' chi and its adoption food (both taken in the transaction);
  one pet of each species per member; the first pet becomes the active one.
- **The pet-food shop** sells the foods (items with an `F` code) in chi, through the wallet and
  holdings. A purchase's terms are re-checked when confirmed (`max_total`).
- **Feeding** consumes one food (a conditional take: never more than held) and restores hunger
  and health (`rules.feed`) under the member's pet-row lock: a hundred feedings at once with
  food for ten feed exactly ten.
- **Training** costs chi and starts a cooldown (`pet train:<kind>:<pet>`), raises one capped
  level (compare-and-set); a starving pet cannot train.
- **Switch, rename, release**: release gives nothing back (decision: docs/pets.md).
- **For other systems** (no command here): `active_pet` (combat's pet hook), `garden_bonus`
  (gardens at planting time), `transfer` (the market), each inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.events import Notices
from chibot.core.holdings import NotEnoughItems
from chibot.core.items import Item, ItemRegistry
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.pets import rules
from chibot.features.pets.content import (
    TRAIN_KINDS,
    AttackEffect,
    GardenBonus,
    PetAttack,
    PetsFile,
    Species,
    Training,
    check_content,
)
from chibot.features.pets.errors import (
    AlreadyOwnSpecies,
    BadName,
    BadQty,
    NoAdoptionFood,
    NoFood,
    NoPets,
    NotHungry,
    OfferChanged,
    PetsOff,
    Starving,
    TheyOwnSpecies,
    TopLevel,
    UnknownFood,
    UnknownPet,
    UnknownSpecies,
    UnknownTraining,
)
from chibot.features.pets.events import PetAdopted, PetTrained
from chibot.features.pets.store import PetRow, PetStore

MAX_BUY = 1000  # of one food per purchase


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttackView:
    """One of the pet's attacks as combat will use it: its content, the damage percent added
    by attack training and the effect's chance with special training."""

    attack: PetAttack
    damage_pct: int
    chance: int

    @property
    def code(self) -> str:
        return self.attack.code

    @property
    def effect(self) -> AttackEffect:
        return self.attack.effect

    @property
    def min(self) -> int:
        return rules.pct_of(self.attack.min, 100 + self.damage_pct)

    @property
    def max(self) -> int:
        return rules.pct_of(self.attack.max, 100 + self.damage_pct)


@dataclass(frozen=True, slots=True)
class PetView:
    """A pet as shown and as other systems read it, at `now`."""

    row: PetRow
    species: Species
    condition: rules.Condition
    level: int
    heal_pct: int
    attacks: tuple[AttackView, ...]
    now: datetime

    @property
    def pet_id(self) -> int:
        return self.row.pet_id

    @property
    def name(self) -> str:
        return self.row.nickname or self.species.name

    @property
    def label(self) -> str:
        return f"{self.species.emoji} {self.name}"

    @property
    def levels(self) -> rules.Levels:
        return self.row.levels

    @property
    def fed(self) -> bool:
        return self.condition.fed

    @property
    def active(self) -> bool:
        return self.row.active


@dataclass(frozen=True, slots=True)
class FightingPet:
    """What combat needs of the pet a member brings to a fight (`fighting_pet`)."""

    name: str
    moves: tuple[rules.FightMove, ...]
    fed: bool


@dataclass(frozen=True, slots=True)
class Adopted:
    pet: PetView
    price: int
    food: Item
    balance: int
    active: bool
    unlocked: Notices


@dataclass(frozen=True, slots=True)
class FoodBought:
    item: Item
    qty: int
    total: int
    balance: int
    held: int


@dataclass(frozen=True, slots=True)
class Fed:
    pet: PetView
    food: Item
    hunger_before: int
    hp_before: int
    left: int


@dataclass(frozen=True, slots=True)
class Trained:
    pet: PetView
    training: Training
    level: int
    cost: int
    balance: int
    ready_at: datetime
    unlocked: Notices


@dataclass(frozen=True, slots=True)
class TrainOffer:
    pet: PetView
    training: Training
    current: int
    cost: int


@dataclass(frozen=True, slots=True)
class Released:
    pet: PetView
    now_active: PetView | None


class PetsService:
    def __init__(self, db: Database, catalog: Catalog, settings: SettingsService) -> None:
        self.db = db
        self.catalog = catalog
        self.settings = settings
        self.content: PetsFile = catalog.file("pets", PetsFile)
        check_content(self.content, catalog.items)
        self.species: dict[str, Species] = {s.key: s for s in self.content.species}
        self.attacks: dict[str, tuple[Species, PetAttack]] = {
            a.code: (s, a) for s in self.content.species for a in s.attacks
        }

    @property
    def items(self) -> ItemRegistry:
        return self.catalog.items

    @staticmethod
    def store(scope: GuildScope) -> PetStore:
        return scope.get(PetStore)

    async def _on(self, scope: GuildScope) -> Any:
        settings = await scope.settings.load()
        if not settings.pets_enabled:
            raise PetsOff()
        return settings

    # --- lookups ----------------------------------------------------------------------------

    def species_of(self, text: str) -> Species:
        key = " ".join(text.strip().lower().split())
        for s in self.content.species:
            if key in (s.key, s.name.lower(), s.emoji, f"{s.emoji} {s.name.lower()}"):
                return s
        raise UnknownSpecies(text=text.strip()[:40])

    def foods(self) -> list[Item]:
        """What the pet-food shop sells, in code order."""
        return self.items.shop("pet")

    def food_of(self, text: str) -> Item:
        item = self.items.find(text)
        if item is None and text.strip():
            found = self.items.search(text, self.foods())
            item = found[0] if len(found) == 1 else None
        if item is None or item.category != "pet_food" or item.effect("pet_food") is None:
            raise UnknownFood(text=text.strip()[:40])
        return item

    def training_of(self, text: str) -> Training:
        key = text.strip().lower()
        if key not in TRAIN_KINDS:
            raise UnknownTraining()
        return self.content.training(key)

    def view(self, row: PetRow, now: datetime) -> PetView:
        species = self.species[row.species]
        levels = row.levels
        top = rules.max_hp(species, levels, self.content.training("health"))
        cond = rules.condition(row.snapshot, species, top, self.content.hunger, now)
        dmg = rules.damage_pct(levels, self.content.training("attack"))
        special = self.content.training("special")
        attacks = tuple(
            AttackView(a, dmg, rules.effect_chance(a.effect, levels, special))
            for a in species.attacks
        )
        return PetView(
            row,
            species,
            cond,
            rules.level(levels),
            rules.heal_pct(levels, self.content.training("heal")),
            attacks,
            now,
        )

    @staticmethod
    def _pick(rows: list[PetRow], which: str | None, species: dict[str, Species]) -> PetRow:
        """The member's pet named `which` (nickname, species name or key, any case), or the
        active one; `NoPets` / `UnknownPet`."""
        if not rows:
            raise NoPets()
        if which is None or not which.strip():
            active = next((r for r in rows if r.active), None)
            return active or rows[0]
        key = " ".join(which.strip().casefold().split())
        for r in rows:
            if r.nickname and r.nickname.casefold() == key:
                return r
        for r in rows:
            s = species[r.species]
            if key in (s.key, s.name.casefold(), s.emoji):
                return r
        raise UnknownPet(text=which.strip()[:40])

    # --- reading ----------------------------------------------------------------------------

    async def pets(self, guild_id: int, user_id: int) -> list[PetView]:
        async def tx(scope: GuildScope) -> list[PetView]:
            await self._on(scope)
            now = scope.now()
            return [self.view(r, now) for r in await self.store(scope).of(user_id)]

        return await self.db.read(guild_id, tx)

    async def info(self, guild_id: int, user_id: int, which: str | None = None) -> PetView:
        async def tx(scope: GuildScope) -> PetView:
            await self._on(scope)
            rows = await self.store(scope).of(user_id)
            return self.view(self._pick(rows, which, self.species), scope.now())

        return await self.db.read(guild_id, tx)

    async def food_held(self, guild_id: int, user_id: int) -> dict[str, int]:
        async def tx(scope: GuildScope) -> dict[str, int]:
            held = {h.item_id: h.qty for h in await scope.inventory.all(user_id)}
            return {f.id: held[f.id] for f in self.foods() if held.get(f.id)}

        return await self.db.read(guild_id, tx)

    # --- adopting ---------------------------------------------------------------------------

    async def adopt(
        self, guild_id: int, user_id: int, text: str, *, max_price: int | None = None
    ) -> Adopted:
        species = self.species_of(text)
        food = self.items.get(species.food)

        async def tx(scope: GuildScope) -> Adopted:
            await self._on(scope)
            store = self.store(scope)
            rows = await store.of(user_id, lock=True)
            if any(r.species == species.key for r in rows):
                raise AlreadyOwnSpecies(species=species.name)
            if max_price is not None and species.price > max_price:
                raise OfferChanged()
            money = await scope.wallet.get(user_id)
            if money.chi < species.price:
                raise NotEnoughChi(species.price, money.chi)
            if species.food_qty:
                try:
                    await scope.inventory.take(user_id, food.id, species.food_qty, name=food.name)
                except NotEnoughItems as short:
                    raise NoAdoptionFood(
                        species=species.name,
                        need=species.food_qty,
                        food=food.name,
                        have=short.have,
                        short=species.food_qty - short.have,
                    ) from None
            balance = await scope.wallet.debit(
                user_id, species.price, reason="pets.adopt", ref=species.key
            )
            now = scope.now()
            active = not any(r.active for r in rows)
            pet_id = await store.add(user_id, species.key, species.hp, now, active=active)
            if pet_id is None:
                raise AlreadyOwnSpecies(species=species.name)
            kinds = len({r.species for r in rows} | {species.key})
            unlocked = await self._counted(scope, user_id, kinds, species.key)
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            await scope.audit.write(user_id, "pets.adopt", note=f"{species.key} {species.price}")
            row = await store.get(pet_id)
            assert row is not None
            return Adopted(self.view(row, now), species.price, food, balance, active, unlocked)

        return await self.db.scoped(guild_id, tx)

    async def _counted(self, scope: GuildScope, user_id: int, kinds: int, species: str) -> Notices:
        names = ["pet_kinds_owned", "dragons_owned"]
        before = await scope.counters.read(user_id, names)
        high = {"pet_kinds_owned": kinds}
        if species == "dragon":
            high["dragons_owned"] = 1
        after = await scope.counters.apply(user_id, high=high)
        changes = {n: (before[n], after[n]) for n in after}
        return tuple(await scope.publish(PetAdopted(user_id, changes, species)))

    # --- the pet-food shop ------------------------------------------------------------------

    def check_buy(self, text: str, qty: int) -> Item:
        item = self.food_of(text)
        if item.buy is None or item.buy.shop != "pet" or not self.items.available(item):
            raise UnknownFood(text=item.name)
        if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_BUY:
            raise BadQty(most=MAX_BUY)
        return item

    async def buy_food(
        self, guild_id: int, user_id: int, text: str, qty: int = 1, *, max_total: int | None = None
    ) -> FoodBought:
        item = self.check_buy(text, qty)
        assert item.buy is not None
        total = item.buy.price * qty

        async def tx(scope: GuildScope) -> FoodBought:
            await self._on(scope)
            if max_total is not None and total > max_total:
                raise OfferChanged()
            balance = await scope.wallet.debit(user_id, total, reason="pets.food", ref=item.id)
            held = await scope.inventory.add(user_id, item.id, qty)
            return FoodBought(item, qty, total, balance, held)

        return await self.db.scoped(guild_id, tx)

    # --- feeding ----------------------------------------------------------------------------

    async def feed(self, guild_id: int, user_id: int, food: str, which: str | None = None) -> Fed:
        item = self.food_of(food)
        effect = item.effect("pet_food")
        assert effect is not None and effect.hunger is not None and effect.heal is not None

        async def tx(scope: GuildScope) -> Fed:
            await self._on(scope)
            store = self.store(scope)
            rows = await store.of(user_id, lock=True)
            row = self._pick(rows, which, self.species)
            now = scope.now()
            pet = self.view(row, now)
            cond = pet.condition
            if cond.hunger >= rules.FULL and cond.hp >= cond.max_hp:
                raise NotHungry(pet=pet.name)
            held = await scope.inventory.qty(user_id, item.id)
            try:
                _taken, left = await scope.inventory.take_counted(
                    user_id, item.id, 1, held=held, name=item.name
                )
            except NotEnoughItems:
                raise NoFood(food=item.name) from None
            hunger, hp = rules.feed(
                cond.hunger, cond.hp, cond.max_hp, effect.hunger or 0, effect.heal or 0,
                pet.heal_pct,
            )  # fmt: skip
            await store.set_state(user_id, row.pet_id, rules.Snapshot(hunger, hp, now))
            after = await store.get(row.pet_id)
            assert after is not None
            return Fed(self.view(after, now), item, cond.hunger, cond.hp, left)

        return await self.db.scoped(guild_id, tx)

    # --- training ---------------------------------------------------------------------------

    async def train_offer(
        self, guild_id: int, user_id: int, kind: str, which: str | None = None
    ) -> TrainOffer:
        training = self.training_of(kind)

        async def tx(scope: GuildScope) -> TrainOffer:
            await self._on(scope)
            row = self._pick(await self.store(scope).of(user_id), which, self.species)
            pet = self.view(row, scope.now())
            current = row.levels.of(training.kind)
            if not rules.may_train(training, current):
                raise TopLevel(pet=pet.name, training=training.name, most=training.max_level)
            return TrainOffer(pet, training, current, rules.train_cost(training, current))

        return await self.db.read(guild_id, tx)

    async def train(
        self,
        guild_id: int,
        user_id: int,
        kind: str,
        which: str | None = None,
        *,
        max_cost: int | None = None,
    ) -> Trained:
        training = self.training_of(kind)

        async def tx(scope: GuildScope) -> Trained:
            await self._on(scope)
            store = self.store(scope)
            row = self._pick(await store.of(user_id, lock=True), which, self.species)
            now = scope.now()
            pet = self.view(row, now)
            current = row.levels.of(training.kind)
            if not rules.may_train(training, current):
                raise TopLevel(pet=pet.name, training=training.name, most=training.max_level)
            if not pet.fed:
                raise Starving(pet=pet.name, what="train")
            cost = rules.train_cost(training, current)
            if max_cost is not None and cost > max_cost:
                raise OfferChanged()
            ready = await scope.cooldowns.claim(
                user_id,
                f"pet train:{training.kind}:{row.pet_id}",
                timedelta(hours=training.cooldown_hours),
            )
            balance = await scope.wallet.debit(
                user_id, cost, reason="pets.train", ref=f"{row.species}:{training.kind}"
            )
            if not await store.set_level(user_id, row.pet_id, training.kind, current):
                raise OfferChanged()
            # the snapshot moves to now, so a raised max HP does not rewrite the past
            cond = pet.condition
            top = rules.max_hp(pet.species, row.levels.raised(training.kind), self._health)
            hp = cond.hp + (top - cond.max_hp) if training.kind == "health" else cond.hp
            await store.set_state(user_id, row.pet_id, rules.Snapshot(cond.hunger, hp, now))
            after = await store.get(row.pet_id)
            assert after is not None
            view = self.view(after, now)
            before = await scope.counters.read(user_id, ["pet_best_level"])
            counted = await scope.counters.apply(user_id, high={"pet_best_level": view.level})
            unlocked = tuple(
                await scope.publish(
                    PetTrained(
                        user_id,
                        {"pet_best_level": (before["pet_best_level"], counted["pet_best_level"])},
                        row.species,
                        view.level,
                    )
                )
            )
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            return Trained(view, training, current + 1, cost, balance, ready, unlocked)

        return await self.db.scoped(guild_id, tx)

    @property
    def _health(self) -> Training:
        return self.content.training("health")

    # --- switch, rename, release --------------------------------------------------------------

    async def switch(self, guild_id: int, user_id: int, which: str) -> PetView:
        async def tx(scope: GuildScope) -> PetView:
            await self._on(scope)
            store = self.store(scope)
            row = self._pick(await store.of(user_id, lock=True), which, self.species)
            await store.activate(user_id, row.pet_id)
            after = await store.get(row.pet_id)
            assert after is not None
            return self.view(after, scope.now())

        return await self.db.scoped(guild_id, tx)

    async def rename(self, guild_id: int, user_id: int, which: str | None, name: str) -> PetView:
        try:
            nickname = rules.clean_name(name)
        except rules.NameProblem as problem:
            raise BadName(why=problem.why) from None

        async def tx(scope: GuildScope) -> PetView:
            await self._on(scope)
            store = self.store(scope)
            row = self._pick(await store.of(user_id, lock=True), which, self.species)
            await store.rename(user_id, row.pet_id, nickname)
            after = await store.get(row.pet_id)
            assert after is not None
            return self.view(after, scope.now())

        return await self.db.scoped(guild_id, tx)

    async def release(
        self, guild_id: int, user_id: int, which: str | None = None, *, pet_id: int | None = None
    ) -> Released:
        """Let a pet go (nothing is refunded). `pet_id`: the pet the member confirmed."""

        async def tx(scope: GuildScope) -> Released:
            await self._on(scope)
            store = self.store(scope)
            rows = await store.of(user_id, lock=True)
            row = self._pick(rows, which, self.species)
            if pet_id is not None and row.pet_id != pet_id:
                raise OfferChanged()
            now = scope.now()
            await store.remove(user_id, row.pet_id)
            following = None
            if row.active:
                rest = [r for r in rows if r.pet_id != row.pet_id]
                if rest:
                    await store.activate(user_id, rest[0].pet_id)
                    got = await store.get(rest[0].pet_id)
                    following = self.view(got, now) if got else None
            await scope.audit.write(user_id, "pets.release", note=row.species)
            return Released(self.view(row, now), following)

        return await self.db.scoped(guild_id, tx)

    # --- for other systems (inside their transactions) --------------------------------------

    async def active_pet(self, scope: GuildScope, user_id: int) -> PetView | None:
        """The member's active pet now (for combat's pet hook: species, attacks with their
        effects and trained numbers, `fed`); None without one, or when pets are off."""
        settings = await scope.settings.load()
        if not settings.pets_enabled:
            return None
        rows = await self.store(scope).of(user_id)
        row = next((r for r in rows if r.active), None)
        return self.view(row, scope.now()) if row is not None else None

    async def fighting_pet(self, scope: GuildScope, user_id: int) -> FightingPet | None:
        """The pet a member brings to a fight starting now (combat's `FighterPet`, as plain
        data): their active pet, its moves with its training and health in the numbers, and
        whether it is fed (a starving pet comes along but refuses to fight). None without
        one, or when pets are off."""
        pet = await self.active_pet(scope, user_id)
        if pet is None:
            return None
        trainings: dict[str, Training] = {t.kind: t for t in self.content.train}
        moves = tuple(
            rules.fight_move(a, pet.levels, pet.condition, trainings) for a in pet.species.attacks
        )
        return FightingPet(pet.label, moves, pet.fed)

    async def garden_bonus(
        self, scope: GuildScope, user_id: int, now: datetime
    ) -> GardenBonus | None:
        """What the active pet adds to a planting at `now` (gardens fix it into the plant):
        None without an active pet, or when it is starving."""
        settings = await scope.settings.load()
        if not settings.pets_enabled:
            return None
        rows = await self.store(scope).of(user_id)
        row = next((r for r in rows if r.active), None)
        if row is None:
            return None
        pet = self.view(row, now)
        return rules.garden_bonus(pet.species, pet.fed)

    async def transfer(
        self, scope: GuildScope, pet_id: int, from_user: int, to_user: int
    ) -> PetView:
        """Give a pet to another member of the server (the market, later): refused if the
        receiver has one of its species (fixes legacy B-4); it arrives inactive, or active
        if the receiver had none; the giver's next pet becomes active if it was theirs."""
        store = self.store(scope)
        mine = await store.of(from_user, lock=True)
        theirs = await store.of(to_user, lock=True)
        row = next((r for r in mine if r.pet_id == pet_id), None)
        if row is None:
            raise UnknownPet(text=str(pet_id))
        if any(r.species == row.species for r in theirs):
            raise TheyOwnSpecies(species=self.species[row.species].name)
        if not await store.move(pet_id, from_user, to_user):
            raise UnknownPet(text=str(pet_id))
        if row.active:
            rest = [r for r in mine if r.pet_id != pet_id]
            await store.activate(from_user, rest[0].pet_id if rest else None)
        if not any(r.active for r in theirs):
            await store.activate(to_user, pet_id)
        after = await store.get(pet_id)
        assert after is not None
        return self.view(after, scope.now())
