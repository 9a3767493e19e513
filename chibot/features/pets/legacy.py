"""Pets' part of the legacy import: the member records' `pets`, `active_pet`, `pet_food`,
`food_inventory` and `owned_pets` (legacy-social §3.3, legacy-infra-and-data §1.2).

Decisions (recorded in docs/legacy-import.md and docs/pets.md too):

- **Pets** (`pets`, a list of pet records; JSON text parsed) become this game's pets, one of
  each species per member: a second pet of a species (the old trades allowed it, B-4; its
  lookups only ever saw the first) is reported and skipped, as are entries that are not
  records and unknown species. The **older format** (an `id`, no `type`) is read as the old
  bot did at start-up: `panda`, `tiger` and `dragon` keep their type, anything else is an ox.
- **Their state**: the old bot had no hunger, so a pet starts **full at the import's time**
  (the snapshot's time is the import's; a readable `hunger` of an old record is kept, within
  0..100). Its health is the old health as a share of the old `max_health`, applied to this
  game's max HP (the old bot never lowered health: in practice every pet comes in healthy),
  never below the starving floor. The trained levels (`heal_level`, `health_level`,
  `attack_level`, `special_level`) are kept up to this game's caps (the excess is reported);
  `xp`, `battles_won` and `battles_lost` are kept; the old `level` (always 1) is not read:
  the level here is 1 + the trained levels. The adoption time is `purchased_at` (UTC,
  microseconds kept; unreadable: the import's time, reported).
- **Nicknames** go through `rules.clean_name` (2-24 characters, no mention, markdown or
  link characters); an unusable one (the old bot allowed 30 characters and anything in
  them) is dropped, the pet keeps no nickname, and it is reported.
- **Exactly one active pet** per member with pets: `active_pet` (a species key, or, in the
  older format, a pet's `id`) if it names a pet the member has after the import, else the
  first pet of the file; reported when it names none. A member who already has an active pet
  in this server keeps it. An `active_pet` without any pet is reported and not imported.
- **Foods**: `pet_food` (food key -> count) and `food_inventory` (food name -> count: the
  old food events) go to the inventory as this game's pet-food items, found by id, name or
  shop code. Unknown names are reported: the old pet catalog's Bamboo Snack and Premium
  Bamboo (pet_catalog.json) have no counterpart here; its Dragon Fruit is our Dragon Fruit.
  The quantities are **added** to what the inventory holds (food bought here is the
  member's too), once: see the marker.
- **Idempotency: a marker per member.** When a member's pets or foods are written, the
  counter `legacy_pets_imported` is set to 1 for them. A member with the marker is never
  imported again: a second run of the same files (or of another backup) makes no pet, adds
  no food and changes no active pet, even if the member has since released a pet, eaten
  the food or switched (those are reported: "imported by an earlier run"). A member without
  the marker who already has a pet of a species here (adopted before the import) keeps it;
  the file's pet of that species is reported and not imported.
- **Achievements**: the counters that adopting raises (`pet_kinds_owned`, `dragons_owned`)
  and training raises (`pet_best_level`) are raised, never lowered, to what the member holds
  after the import; the engine unlocks and pays what they reach at its next check, like any
  imported counter.
- **`owned_pets`**, the Tiger the old rift event gave, went to a list no command read (B36):
  no member ever had it as a pet, and the pets here are adopted with chi and food. It is not
  imported (reported as not in this game, with the count).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chibot.core.ids import new_id
from chibot.core.items import Item, ItemRegistry
from chibot.core.tables import counters, inventory
from chibot.features.pets import rules
from chibot.features.pets.content import TRAIN_KINDS, PetsFile, Species
from chibot.features.pets.store import PetStore, pets
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter, LegacyMember, LegacyReport
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_empty,
    parse_time,
    to_count,
    to_int,
)

NAME = "pets"
FIELDS = ("pets", "active_pet", "pet_food", "food_inventory", "owned_pets")
FOOD_FIELDS = ("pet_food", "food_inventory")
MARKER = "legacy_pets_imported"
"""The counter that says a member's pets and foods were imported (value 1)."""
COUNTERS = ("pet_kinds_owned", "dragons_owned", "pet_best_level")
OLD_FORMAT_KEPT = ("panda", "tiger", "dragon")
"""Older-format pets (an `id`, no `type`) whose id keeps its type; anything else is an ox."""
OLD_FORMAT_DEFAULT = "ox"
OLD_CATALOG_FOODS = frozenset({"bamboo snack", "premium bamboo"})
"""The old pet catalog's foods (pet_catalog.json) with no counterpart here."""
INT32_MAX = 2**31 - 1


def _where(part: str) -> str:
    return f"{MEMBER_FILE}: {part}"


# --- reading the records -----------------------------------------------------------------------


@dataclass
class _Pet:
    species: Species
    nickname: str | None
    hunger: int
    hp: int
    levels: rules.Levels
    xp: int
    won: int
    lost: int
    adopted_at: datetime
    old_id: str | None  # the older format's `id`, which an old `active_pet` may name


@dataclass
class _Member:
    user_id: int
    key: str
    pets: list[_Pet] = field(default_factory=list)
    entries: int = 0  # every entry of `pets`, read or not
    active: str | None = None  # `active_pet`, lower case
    foods: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # item -> qty


@dataclass
class _Found:
    members: list[_Member] = field(default_factory=list)
    pets_in_files: int = 0
    pets_not_read: int = 0
    food_in_files: int = 0
    food_not_read: int = 0


class _Reader:
    def __init__(
        self, report: LegacyReport, content: PetsFile, registry: ItemRegistry, now: datetime
    ) -> None:
        self.report = report
        self.content = content
        self.registry = registry
        self.now = now
        self.species = {s.key: s for s in content.species}

    # one value of a record

    def _count(
        self,
        member: LegacyMember,
        obj: dict[str, Any],
        name: str,
        default: int,
        most: int = INT32_MAX,
    ) -> int:
        if obj.get(name) is None:
            return default
        try:
            value = to_count(obj[name])
        except LegacyValueError:
            self.report.issue(
                "skipped",
                _where(f"pets.{name}"),
                f"not a whole number >= 0 (read as {default})",
                key=member.key,
            )
            return default
        return min(value, most)

    def pet(self, member: LegacyMember, entry: Any) -> _Pet | None:
        report = self.report
        if not isinstance(entry, dict):
            report.issue("skipped", _where("pets"), "not a pet record", key=member.key)
            return None
        old_id: str | None = None
        if entry.get("type") is None and entry.get("id") is not None:
            old_id = str(entry["id"]).strip().lower()
            key = old_id if old_id in OLD_FORMAT_KEPT else OLD_FORMAT_DEFAULT
            report.issue(
                "adjusted",
                _where("pets"),
                "older format (an id, no type): panda, tiger and dragon kept their type, "
                "anything else became an ox (as the old bot did)",
                key=f"{member.key} {old_id}",
            )
        else:
            raw = entry.get("type")
            key = raw.strip().lower() if isinstance(raw, str) else ""
        species = self.species.get(key)
        if species is None:
            report.issue(
                "skipped",
                _where("pets.type"),
                "unknown species",
                key=f"{member.key} {entry.get('type', entry.get('id'))!r}",
            )
            return None

        levels: dict[str, int] = {}
        for kind in TRAIN_KINDS:
            value = self._count(member, entry, f"{kind}_level", 0)
            most = self.content.training(kind).max_level
            if value > most:
                report.issue(
                    "adjusted",
                    _where(f"pets.{kind}_level"),
                    f"beyond this game's cap ({most}): capped",
                    key=member.key,
                    units=value - most,
                )
                value = most
            levels[kind] = value
        trained = rules.Levels(**levels)
        top = rules.max_hp(species, trained, self.content.training("health"))

        hunger = rules.FULL
        if entry.get("hunger") is not None:
            try:
                raw_hunger = to_int(entry["hunger"])
            except LegacyValueError:
                report.issue(
                    "skipped", _where("pets.hunger"), "not a whole number (full)", key=member.key
                )
            else:
                hunger = min(rules.FULL, max(0, raw_hunger))
                if hunger != raw_hunger:
                    report.issue(
                        "adjusted", _where("pets.hunger"), "outside 0..100: clamped", key=member.key
                    )

        hp = top
        health = self._count(member, entry, "health", top, 10**9) if "health" in entry else None
        if health is not None:
            old_max = self._count(member, entry, "max_health", 0, 10**9) or species.hp
            share = min(1.0, health / old_max)
            floor = rules.floor_hp(top, self.content.hunger)
            hp = max(floor, min(top, math.floor(top * share)))
            if hp == floor and top * share < floor:
                report.issue(
                    "adjusted",
                    _where("pets.health"),
                    "below the starving floor: raised to it",
                    key=member.key,
                )

        nickname = None
        raw_name = entry.get("nickname")
        if isinstance(raw_name, str) and raw_name.strip():
            try:
                nickname = rules.clean_name(raw_name)
            except rules.NameProblem as problem:
                report.issue(
                    "adjusted",
                    _where("pets.nickname"),
                    f"not usable here ({problem.why}): the pet has no nickname",
                    key=f"{member.key} {raw_name[:40]!r}",
                )
        elif raw_name is not None and not isinstance(raw_name, str):
            report.issue(
                "adjusted",
                _where("pets.nickname"),
                "not text: the pet has no nickname",
                key=member.key,
            )

        adopted = self.now
        try:
            adopted = min(parse_time(entry.get("purchased_at")), self.now)
        except LegacyValueError:
            report.issue(
                "adjusted",
                _where("pets.purchased_at"),
                "no readable adoption time: the import's time",
                key=member.key,
            )

        return _Pet(
            species,
            nickname,
            hunger,
            hp,
            trained,
            self._count(member, entry, "xp", 0, 2**62),
            self._count(member, entry, "battles_won", 0),
            self._count(member, entry, "battles_lost", 0),
            adopted,
            old_id,
        )

    def food(self, name: Any) -> Item | None:
        if not isinstance(name, str) or not name.strip():
            return None
        item = self.registry.find(name)
        if item is None or item.category != "pet_food" or item.effect("pet_food") is None:
            return None
        return item

    def member(self, member: LegacyMember, found: _Found) -> _Member | None:
        report = self.report
        record = member.record
        if not any(f in record for f in FIELDS):
            return None
        got = _Member(member.user_id, member.key)

        entries, how = as_array(record.get("pets"))
        if how == "text":
            report.issue("adjusted", _where("pets"), "stored as JSON text: parsed", key=member.key)
        elif how == "invalid":
            report.issue("skipped", _where("pets"), "not a list of pets", key=member.key)
        seen: set[str] = set()
        for entry in entries:
            got.entries += 1
            pet = self.pet(member, entry)
            if pet is not None and pet.species.key in seen:
                report.issue(
                    "skipped",
                    _where("pets"),
                    "a second pet of the same species: one of each here (the old bot's "
                    "lookups only ever saw the first)",
                    key=f"{member.key} {pet.species.key}",
                )
                pet = None
            if pet is None:
                found.pets_not_read += 1
                continue
            seen.add(pet.species.key)
            got.pets.append(pet)
        found.pets_in_files += got.entries

        active = record.get("active_pet")
        if not is_empty(active):
            got.active = str(active).strip().lower()

        for source in FOOD_FIELDS:
            if source not in record:
                continue
            obj, how = as_object(record[source])
            if how == "text":
                report.issue(
                    "adjusted", _where(source), "stored as JSON text: parsed", key=member.key
                )
            elif how == "invalid":
                report.issue("skipped", _where(source), "not an object of foods", key=member.key)
            for name, raw in obj.items():
                try:
                    qty = to_count(raw)
                except LegacyValueError as e:
                    report.issue(
                        "skipped",
                        _where(source),
                        f"not a quantity ({e})",
                        key=f"{member.key} {name}",
                    )
                    continue
                if not qty:
                    continue
                found.food_in_files += qty
                item = self.food(name)
                if item is None:
                    found.food_not_read += qty
                    old = " ".join(str(name).lower().split()) in OLD_CATALOG_FOODS
                    report.issue(
                        "skipped",
                        _where(source),
                        "a food of the old pet catalog (pet_catalog.json): no counterpart here"
                        if old
                        else "unknown food (not a pet food of this game)",
                        key=name,
                        units=qty,
                    )
                    continue
                got.foods[item.id] += qty

        owned, _ = as_array(record.get("owned_pets"))
        if owned:
            report.issue(
                "not_in_game",
                _where("owned_pets"),
                "the old rift's gift Tiger went to a list no command read (B36): never a pet "
                "the member had; pets here are adopted",
                key=member.key,
                units=len(owned),
            )
        return got


def _read(ctx: LegacyContext, reader: _Reader) -> _Found:
    found = _Found()
    with ctx.step("pets: reading", len(ctx.members)) as advance:
        for n, member in enumerate(ctx.members, 1):
            if n % 5000 == 0:
                advance(5000)
            got = reader.member(member, found)
            if got is not None and (got.entries or got.active or got.foods):
                found.members.append(got)
    return found


# --- the active pet ------------------------------------------------------------------------------


def _active_species(member: _Member, held: set[str]) -> str | None:
    """The species `active_pet` names among `held` (a species key, or an older-format pet's
    id), or None."""
    if member.active is None:
        return None
    if member.active in held:
        return member.active
    for pet in member.pets:
        if pet.old_id is not None and pet.old_id == member.active and pet.species.key in held:
            return pet.species.key
    return None


# --- writing -------------------------------------------------------------------------------------


async def import_pets(ctx: LegacyContext) -> None:
    report = ctx.report
    content = ctx.catalog.file("pets", PetsFile)
    now = ctx.scope.now()
    reader = _Reader(report, content, ctx.catalog.items, now)
    found = _read(ctx, reader)
    users = {m.user_id for m in found.members}

    here: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)  # user -> species -> pet
    for r in await ctx.current(pets, "user_id", "species", "pet_id", "active"):
        if r.user_id in users:
            here[r.user_id][r.species] = (r.pet_id, bool(r.active))
    c = counters.c
    marked = {
        r.user_id
        for r in await ctx.current(counters, "user_id", where=(c.name == MARKER) & (c.value > 0))
    }
    held = {
        (r.user_id, r.item_id): r.qty
        for r in await ctx.current(inventory, "user_id", "item_id", "qty")
        if r.user_id in users
    }

    new_pets: list[dict[str, Any]] = []
    activate: list[tuple[int, int]] = []  # (user, existing pet id)
    claimed: set[tuple[int, str]] = set()  # (user, species) the totals count as imported
    not_imported = found.pets_not_read
    unchanged = 0
    food_rows: list[dict[str, Any]] = []
    food_wanted: dict[tuple[int, str], int] = {}
    food_before: dict[tuple[int, str], int] = {}
    food_short = 0
    markers: list[dict[str, Any]] = []
    for member in found.members:
        mine = here.get(member.user_id, {})
        if member.user_id in marked:
            for pet in member.pets:
                if pet.species.key in mine:
                    unchanged += 1
                    claimed.add((member.user_id, pet.species.key))
                else:
                    not_imported += 1
                    report.issue(
                        "skipped",
                        _where("pets"),
                        "imported by an earlier run and no longer held here (released or "
                        "given away since): not made again",
                        key=f"{member.key} {pet.species.key}",
                    )
            for item_id, qty in member.foods.items():
                key = (member.user_id, item_id)
                food_wanted[key] = qty
                short = qty - min(held.get(key, 0), qty)
                if short:
                    food_short += short
                    report.issue(
                        "skipped",
                        _where("pet_food, food_inventory"),
                        "imported by an earlier run; eaten or sold since: not added again",
                        key=member.key,
                        units=short,
                    )
            continue

        made: list[dict[str, Any]] = []
        for pet in member.pets:
            if pet.species.key in mine:
                not_imported += 1
                report.issue(
                    "skipped",
                    _where("pets"),
                    "the member already has a pet of this species in this server (adopted "
                    "before the import): the file's is not imported",
                    key=f"{member.key} {pet.species.key}",
                )
                continue
            claimed.add((member.user_id, pet.species.key))
            made.append(
                {
                    "user_id": member.user_id,
                    "pet_id": new_id(),
                    "species": pet.species.key,
                    "nickname": pet.nickname,
                    "hunger": pet.hunger,
                    "hp": pet.hp,
                    "fed_at": now,
                    "heal_level": pet.levels.heal,
                    "health_level": pet.levels.health,
                    "attack_level": pet.levels.attack,
                    "special_level": pet.levels.special,
                    "xp": pet.xp,
                    "battles_won": pet.won,
                    "battles_lost": pet.lost,
                    "active": 0,
                    "adopted_at": pet.adopted_at,
                }
            )
        species_after = set(mine) | {row["species"] for row in made}
        if not species_after:
            if member.active is not None:
                report.issue(
                    "skipped",
                    _where("active_pet"),
                    "active_pet without any pet (imported as none)",
                    key=member.key,
                )
        elif made and not any(active for _, active in mine.values()):
            target = _active_species(member, species_after)
            if target is None and member.active is not None:
                report.issue(
                    "adjusted",
                    _where("active_pet"),
                    "names no pet the member has: their first pet is active",
                    key=f"{member.key} {member.active}",
                )
            if target is None or target not in mine:
                chosen = next((r for r in made if r["species"] == target), made[0])
                chosen["active"] = 1
            else:
                activate.append((member.user_id, mine[target][0]))
        new_pets += made

        for item_id, qty in member.foods.items():
            key = (member.user_id, item_id)
            before = held.get(key)
            food_wanted[key] = qty
            food_before[key] = before or 0
            food_rows.append(
                {
                    "user_id": member.user_id,
                    "item_id": item_id,
                    "qty": (before or 0) + qty,
                    "level": 0,
                }
            )
        if made or member.foods:
            markers.append({"user_id": member.user_id, "name": MARKER, "value": 1})

    await ctx.insert(pets, new_pets, description="pets: writing")
    store = ctx.scope.get(PetStore)
    for user_id, pet_id in activate:
        await store.activate(user_id, pet_id)
    food_created = sum(1 for r in food_rows if (r["user_id"], r["item_id"]) not in held)
    await ctx.upsert(inventory, food_rows, update=("qty",), description="pets: foods")
    report.line(NAME, "pets", created=len(new_pets), unchanged=unchanged)
    report.line(
        NAME, "active pets", created=sum(r["active"] for r in new_pets), updated=len(activate)
    )
    report.line(
        NAME,
        "pet food (inventory rows)",
        created=food_created,
        updated=len(food_rows) - food_created,
        unchanged=len(food_wanted) - len(food_rows),
    )
    if new_pets:
        report.note(
            f"pets: {len(new_pets):,} pets made; they start fed at the import's time "
            "(the old bot had no hunger)"
        )

    # The counters adopting and training raise, never lowered; then the markers.
    after: dict[int, list[Any]] = defaultdict(list)
    for r in await ctx.current(
        pets, "user_id", "species", "heal_level", "health_level", "attack_level", "special_level"
    ):
        if r.user_id in users:
            after[r.user_id].append(r)
    existing = {
        (r.user_id, r.name): r.value
        for r in await ctx.current(
            counters, "user_id", "name", "value", where=c.name.in_([*COUNTERS, MARKER])
        )
    }
    wanted: dict[tuple[int, str], int] = {}
    for user_id, rows in after.items():
        wanted[(user_id, "pet_kinds_owned")] = len({r.species for r in rows})
        if any(r.species == "dragon" for r in rows):
            wanted[(user_id, "dragons_owned")] = 1
        best = max(
            rules.level(rules.Levels(r.heal_level, r.health_level, r.attack_level, r.special_level))
            for r in rows
        )
        if best > 1:  # as in the game: training raises it, adopting does not
            wanted[(user_id, "pet_best_level")] = best
    raised = [
        {"user_id": u, "name": n, "value": v}
        for (u, n), v in sorted(wanted.items())
        if v > existing.get((u, n), 0)
    ]
    created = sum(1 for r in raised if (r["user_id"], r["name"]) not in existing)
    await ctx.upsert(counters, raised + markers, update=("value",), description=None)
    report.line(
        NAME,
        "pet counters (achievements)",
        created=created,
        updated=len(raised) - created,
        unchanged=len(wanted) - len(raised),
    )
    report.line(NAME, "members marked as imported (pets)", created=len(markers))

    # Totals: every pet and food of the files is here or listed above.
    present = {(r.user_id, r.species) for rows in after.values() for r in rows}
    report.total(
        "pets",
        in_files=found.pets_in_files,
        not_imported=not_imported,
        in_database=sum(1 for key in claimed if key in present),
    )
    final = {
        (r.user_id, r.item_id): r.qty
        for r in await ctx.current(inventory, "user_id", "item_id", "qty")
        if r.user_id in users
    }
    in_database = 0
    for key, qty in food_wanted.items():
        gained = final.get(key, 0) - food_before[key] if key in food_before else final.get(key, 0)
        in_database += min(max(gained, 0), qty)
    report.total(
        "pet food",
        in_files=found.food_in_files,
        not_imported=found.food_not_read + food_short,
        in_database=in_database,
    )


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter(NAME, import_pets, files=(MEMBER_FILE,), fields=FIELDS, order=60),
)
"""Pets' importer: the pets, the active pet and the pet foods of the member records. It runs
after the economy (the members and the inventory come first)."""
