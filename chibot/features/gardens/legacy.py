"""Gardens' part of the legacy import: `gardens_data.json` and the garden fields of the member
records (`garden_inventory`, `garden_tools`, `fertilizer_uses`, `harvest_command_count`);
reference: legacy-infra-and-data §1.2 and §1.4, legacy-social §8, legacy-catalogs §6–7.

Decisions (recorded in docs/legacy-import.md and docs/gardens.md too):

- **Gardens**: one per member record of the file whose member is imported (others are
  reported). The tier is kept (`rare`, `legendary`, `eternal`, `rift`; anything else becomes
  `rare`, reported); `level` and `last_watered` have no counterpart (watering is per plant
  here; the old file's watering was always empty: reported if not). `garden_event` is
  transient global state: never migrated.
- **Plants** keep their planting time (UTC, microseconds kept). Their terms are this game's,
  fixed as if planted then: the growing time of the seed at the garden's tier, the yield of
  the seed with the harvest tools the member holds after the import (no boost, not watered, not
  fertilised). Old plants are long ripe, so they can be harvested at once. Older shapes are
  read (`seed` for `name`; `mature_at`, the ripening time, for `planted_at`); bare strings
  were skipped by the old sync too (reported).
- **Capacity**: the old tiers held 200–500 plants; ours hold 10–22 plots. The earliest plants
  fill the plots; every other plant the member paid for comes back as **a seed in the
  inventory**, as do plants the old bot let grow below their tier (it never checked the tier
  lock) and plants whose time cannot be read. Nothing the member bought is lost; nothing is
  paid twice: a seed must still be planted and waited for.
- **A garden that already exists in this server** (founded here, or by an earlier import) is
  not replanted: its plants stay as they are, and the file's plants are reported, not imported
  (not even as seeds): so a second run of the same files changes nothing and cannot pay the
  same plants twice. Its tier is raised to the file's if that is higher, never lowered.
- **Items**: `garden_inventory` (seed and tool names: "Moonshade", "Moonshade Seed", keys such
  as `basic_hoe`; JSON text parsed; the legacy `"owned"` is 1 for a tool, which does not stack,
  and 0 otherwise) and `garden_tools` (tool key -> count; each tool counts once) go to the
  inventory. Each old **Fertilizer Bag** held 10 uses: it becomes 10 Fertilizer (one use each
  here) minus `fertilizer_uses`, the uses already spent from the current bag. Quantities are
  merged with what the inventory already holds by taking the larger, so a re-run never adds
  and never takes away what was earned here. Unknown names are reported.
- `harvest_command_count` fed the old "bonus seeds every third harvest", which this game does
  not have (seeds do not come back): not in game.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chibot.core.ids import new_id
from chibot.core.items import Item, ItemRegistry
from chibot.core.tables import inventory
from chibot.features.gardens import rules
from chibot.features.gardens.content import GardensFile, Seed, Tier
from chibot.features.gardens.store import garden_plants, gardens
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter, LegacyReport
from chibot.legacy.files import row_guild_ids
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_owned_marker,
    parse_time,
    to_count,
    to_id,
)

FILE = "gardens_data.json"
NAME = "gardens"
FIELDS = ("garden_inventory", "garden_tools", "fertilizer_uses", "harvest_command_count")
USES_PER_BAG = 10
"""An old Fertilizer Bag gave 10 uses; a Fertilizer here is one use."""
ALIASES = {
    "fertilizer bag": "fertilizer",
    "fertiliser bag": "fertilizer",
    "watering can": "watering_bucket",
    "rift gardener": "rift_gardeners_glove",
    "rift gardener's glove": "rift_gardeners_glove",
}
"""Old names this game's item registry does not know by itself (keys lower case, spaces)."""


def _where(part: str) -> str:
    return f"{FILE}: {part}"


def _field(name: str) -> str:
    return f"{MEMBER_FILE}: {name}"


def find_item(registry: ItemRegistry, name: Any) -> Item | None:
    """An old garden name -> this game's item: the registry's own lookup (id, name, code),
    then without a trailing "seed", then the aliases."""
    if not isinstance(name, str) or not name.strip():
        return None
    key = " ".join(name.strip().lower().replace("_", " ").split())
    found = registry.find(key)
    if found is None and key.endswith(" seed"):
        found = registry.find(key[: -len(" seed")])
    if found is None and key in ALIASES:
        found = registry.by_id.get(ALIASES[key])
    return found


# --- the member fields -------------------------------------------------------------------------


@dataclass
class _Items:
    """What the member fields ask for: (user, item) -> quantity, with the units tallies."""

    wanted: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    in_files: int = 0
    not_imported: int = 0


def _read_member_items(ctx: LegacyContext, registry: ItemRegistry) -> _Items:
    report = ctx.report
    found = _Items()
    with ctx.step("gardens: seeds and tools", len(ctx.members)) as advance:
        for n, member in enumerate(ctx.members, 1):
            if n % 5000 == 0:
                advance(5000)
            record = member.record
            if not any(f in record for f in FIELDS):
                continue
            held: dict[str, int] = defaultdict(int)
            bags = 0
            for source in ("garden_inventory", "garden_tools"):
                if source not in record:
                    continue
                obj, how = as_object(record[source])
                if how == "text":
                    report.issue(
                        "adjusted", _field(source), "stored as JSON text: parsed", key=member.key
                    )
                elif how == "invalid":
                    report.issue(
                        "adjusted", _field(source), "not a JSON object (read as {})", key=member.key
                    )
                for name, raw in obj.items():
                    item = find_item(registry, name)
                    if is_owned_marker(raw):
                        qty = 1 if item is not None and not item.stacks else 0
                        report.issue(
                            "adjusted",
                            _field(source),
                            'legacy "owned" values read as 1 for a tool, 0 otherwise',
                            key=member.key,
                            units=1,
                        )
                    else:
                        try:
                            qty = to_count(raw)
                        except LegacyValueError as e:
                            report.issue(
                                "skipped", _field(source), f"not a quantity ({e})", key=name
                            )
                            continue
                    if not qty:
                        continue
                    if item is None:
                        found.in_files += qty
                        found.not_imported += qty
                        report.issue(
                            "skipped",
                            _field(source),
                            "unknown item name (not in this game's item registry)",
                            key=name,
                            units=qty,
                        )
                        continue
                    if item.id == "fertilizer" and "bag" in str(name).lower():
                        bags += qty
                        continue
                    if not item.stacks and qty > 1:
                        report.issue(
                            "adjusted",
                            _field(source),
                            "a tool held more than once: one kept (each tool counts once)",
                            key=f"{member.key} {item.name}",
                            units=qty - 1,
                        )
                        found.in_files += qty - 1
                        found.not_imported += qty - 1
                        qty = 1
                    held[item.id] = 1 if not item.stacks else held[item.id] + qty
            used = 0
            if "fertilizer_uses" in record:
                try:
                    used = min(to_count(record["fertilizer_uses"]), USES_PER_BAG)
                except LegacyValueError:
                    report.issue(
                        "skipped",
                        _field("fertilizer_uses"),
                        "not a number (read as 0)",
                        key=member.key,
                    )
            if bags:
                uses = max(0, bags * USES_PER_BAG - used)
                report.issue(
                    "adjusted",
                    _field("garden_inventory"),
                    f"Fertilizer Bags ({USES_PER_BAG} uses each) became one-use Fertilizer, "
                    "less the uses spent (fertilizer_uses)",
                    key=member.key,
                    units=uses,
                )
                if uses:
                    held["fertilizer"] += uses
            for item_id, qty in held.items():
                found.in_files += qty
                found.wanted[(member.user_id, item_id)] += qty
            if record.get("harvest_command_count"):
                report.issue(
                    "not_in_game",
                    _field("harvest_command_count"),
                    "fed the old bonus seeds of every third harvest; seeds do not come back here",
                    key=member.key,
                )
    return found


# --- the gardens file ----------------------------------------------------------------------------


@dataclass
class _Plant:
    seed: Seed
    planted_at: datetime


@dataclass
class _Garden:
    user_id: int
    key: str
    tier: Tier
    plants: list[_Plant] = field(default_factory=list)
    returned: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # seed -> qty
    plants_in_file: int = 0  # every entry of `plants` (bare strings included)
    lost: int = 0  # entries not imported in any form (bare strings, unknown seeds)


class _GardenReader:
    def __init__(self, report: LegacyReport, content: GardensFile, registry: ItemRegistry) -> None:
        self.report = report
        self.content = content
        self.registry = registry
        self.tiers = {t.key: t for t in content.tier}
        self.seeds = {s.item: s for s in content.seed}

    def seed(self, name: Any) -> Seed | None:
        item = find_item(self.registry, name)
        return self.seeds.get(item.id) if item is not None else None

    def garden(self, key: str, user_id: int, record: dict[str, Any]) -> _Garden:
        report = self.report
        tier_key = str(record.get("tier", "")).strip().lower()
        tier = self.tiers.get(tier_key)
        if tier is None:
            report.issue(
                "adjusted", _where("gardens.tier"), "unknown tier: rare", key=f"{key} {tier_key}"
            )
            tier = self.content.tier[0]
        garden = _Garden(user_id, key, tier)
        if as_object(record.get("last_watered"))[0]:
            report.issue(
                "not_in_game",
                _where("gardens.last_watered"),
                "watering by plant name: watering is per plant here",
                key=key,
            )
        entries, how = as_array(record.get("plants"))
        if how == "invalid":
            report.issue("skipped", _where("plants"), "not a list of plants", key=key)
        for entry in entries:
            garden.plants_in_file += 1
            if not isinstance(entry, dict):
                garden.lost += 1
                report.issue(
                    "skipped",
                    _where("plants"),
                    "bare-string plants (the old sync skipped them too)",
                    key=key,
                )
                continue
            name = entry.get("name", entry.get("seed"))
            seed = self.seed(name)
            if seed is None:
                garden.lost += 1
                report.issue("skipped", _where("plants"), "unknown seed", key=name)
                continue
            try:
                if "planted_at" in entry:
                    planted = parse_time(entry["planted_at"])
                else:
                    ripe = parse_time(entry.get("mature_at"))
                    planted = ripe - timedelta(seconds=rules.grow_seconds(seed, tier, None))
            except LegacyValueError:
                garden.returned[seed.item] += 1
                report.issue(
                    "adjusted",
                    _where("plants.planted_at"),
                    "planting time not readable: returned as a seed",
                    key=key,
                )
                continue
            garden.plants.append(_Plant(seed, planted))
        return garden

    def fit(self, garden: _Garden) -> None:
        """Fill the plots with the earliest plants the tier allows; the rest become seeds."""
        kept: list[_Plant] = []
        for plant in sorted(garden.plants, key=lambda p: p.planted_at):
            if not rules.may_plant(self.content, plant.seed, garden.tier.key):
                garden.returned[plant.seed.item] += 1
                self.report.issue(
                    "adjusted",
                    _where("plants"),
                    "below its seed's tier (the old bot never checked): returned as a seed",
                    key=garden.key,
                )
            elif len(kept) >= garden.tier.plots:
                garden.returned[plant.seed.item] += 1
                self.report.issue(
                    "adjusted",
                    _where("plants"),
                    f"beyond the tier's plots ({garden.tier.plots} here, 200-500 in the old "
                    "bot): returned as a seed",
                    key=garden.key,
                )
            else:
                kept.append(plant)
        garden.plants = kept


def _read_gardens(ctx: LegacyContext, reader: _GardenReader) -> tuple[list[_Garden], int, int]:
    """The gardens of imported members; (gardens, records in the file, plants not read)."""
    report = ctx.report
    data = ctx.file(FILE)
    data = data if isinstance(data, dict) else {}
    if "garden_event" in data:
        report.issue(
            "not_in_game", _where("garden_event"), "transient global event state: never migrated"
        )
    records, how = as_object(data.get("gardens"))
    if how == "invalid":
        report.issue("skipped", _where("gardens"), "not an object of gardens")
    members = set(ctx.members.accepted.values())
    found: list[_Garden] = []
    skipped_plants = 0
    for key, record in records.items():
        plants = as_array(record.get("plants"))[0] if isinstance(record, dict) else []
        try:
            user_id = to_id(key)
        except LegacyValueError:
            user_id = None
        if not isinstance(record, dict) or user_id is None:
            report.issue("skipped", _where("gardens"), "not a garden of a user", key=key)
            skipped_plants += len(plants)
            continue
        if user_id not in members:
            report.issue(
                "skipped",
                _where("gardens"),
                "user without an imported chi record",
                key=key,
                units=len(plants),
            )
            skipped_plants += len(plants)
            continue
        found.append(reader.garden(str(key), user_id, record))
    return found, len(records), skipped_plants


# --- writing -------------------------------------------------------------------------------------


async def import_gardens(ctx: LegacyContext) -> None:
    report = ctx.report
    content = ctx.catalog.file("gardens", GardensFile)
    registry = ctx.catalog.items
    reader = _GardenReader(report, content, registry)
    items = _read_member_items(ctx, registry)
    found, records, skipped_plants = _read_gardens(ctx, reader)
    now = ctx.scope.now()

    here = {r.user_id: r.tier for r in await ctx.current(gardens, "user_id", "tier")}
    held = {
        (r.user_id, r.item_id): r.qty
        for r in await ctx.current(inventory, "user_id", "item_id", "qty")
    }
    order = [t.key for t in content.tier]

    new_gardens: list[dict[str, Any]] = []
    raised: list[dict[str, Any]] = []
    plants_in_file = skipped_plants
    not_planted = skipped_plants
    unchanged = 0
    made: list[_Garden] = []
    for garden in found:
        plants_in_file += garden.plants_in_file
        tier_here = here.get(garden.user_id)
        if tier_here is not None:
            not_planted += garden.plants_in_file
            if garden.plants_in_file:
                report.issue(
                    "skipped",
                    _where("plants"),
                    "the garden already exists in this server (founded here or by an earlier "
                    "import): its plants are left as they are, the file's are not imported",
                    key=garden.key,
                    units=garden.plants_in_file,
                )
            if tier_here in order and order.index(garden.tier.key) > order.index(tier_here):
                raised.append({"user_id": garden.user_id, "tier": garden.tier.key})
            else:
                unchanged += 1
            continue
        reader.fit(garden)
        not_planted += garden.plants_in_file - len(garden.plants)
        for seed_id, qty in garden.returned.items():
            items.wanted[(garden.user_id, seed_id)] += qty
            items.in_files += qty
        first = min((p.planted_at for p in garden.plants), default=now)
        new_gardens.append(
            {
                "user_id": garden.user_id,
                "tier": garden.tier.key,
                "created_at": min(first, now),
                "plants_harvested": 0,
                "chi_harvested": 0,
            }
        )
        made.append(garden)

    # The inventory: the larger of what is held here and what the files give.
    rows = []
    created = updated = same = 0
    for (user_id, item_id), qty in items.wanted.items():
        before = held.get((user_id, item_id))
        if before is not None and before >= qty:
            same += 1
            continue
        created += before is None
        updated += before is not None
        rows.append({"user_id": user_id, "item_id": item_id, "qty": qty, "level": 0})
    await ctx.upsert(inventory, rows, update=("qty",), description="gardens: seeds and tools")
    report.line(
        NAME, "garden items (inventory rows)", created=created, updated=updated, unchanged=same
    )
    for row in rows:
        held[(row["user_id"], row["item_id"])] = row["qty"]

    # The plants, with this game's terms, from the tools held after the import.
    tools: dict[int, list[Item]] = defaultdict(list)
    for (user_id, item_id), qty in held.items():
        item = registry.by_id.get(item_id)
        if qty > 0 and item is not None and item.effect("garden_tool") is not None:
            tools[user_id].append(item)
    plant_rows = []
    for garden in made:
        bonus = rules.tool_bonus(tools[garden.user_id], content.tool_cap_pct, content.per_plant_cap)
        for plant in garden.plants:
            terms = rules.plant_terms(plant.seed, garden.tier, bonus, None, plant.planted_at)
            plant_rows.append(
                {
                    "user_id": garden.user_id,
                    "plant_id": new_id(),
                    "seed": plant.seed.item,
                    "planted_at": plant.planted_at,
                    "ready_at": terms.ready_at,
                    "chi": terms.yield_,
                    "watered": 0,
                    "fertilized": 0,
                    "boosted": 0,
                }
            )
    await ctx.insert(gardens, new_gardens, description=None)
    for row in raised:
        await ctx.upsert(
            gardens,
            [{**row, "created_at": now, "plants_harvested": 0, "chi_harvested": 0}],
            update=("tier",),
            description=None,
        )
    await ctx.insert(garden_plants, plant_rows, description="gardens: plants")
    report.line(NAME, "gardens", created=len(new_gardens), updated=len(raised), unchanged=unchanged)
    report.line(NAME, "plants", created=len(plant_rows))
    returned = sum(sum(g.returned.values()) for g in made)
    if returned:
        report.note(f"gardens: {returned:,} old plants came back as seeds (see the adjusted lines)")

    # Totals: every garden and plant of the file is here or listed above.
    now_here = {r.user_id for r in await ctx.current(gardens, "user_id")}
    report.total(
        "gardens",
        in_files=records,
        not_imported=records - len(found),
        in_database=sum(1 for g in found if g.user_id in now_here),
    )
    ours = {g.user_id for g in made}
    planted_here = sum(1 for r in await ctx.current(garden_plants, "user_id") if r.user_id in ours)
    report.total(
        "plants", in_files=plants_in_file, not_imported=not_planted, in_database=planted_here
    )
    final = {
        (r.user_id, r.item_id): r.qty
        for r in await ctx.current(inventory, "user_id", "item_id", "qty")
    }
    report.total(
        "garden items",
        in_files=items.in_files,
        not_imported=items.not_imported,
        in_database=sum(min(final.get(key, 0), qty) for key, qty in items.wanted.items()),
    )


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter(
        NAME,
        import_gardens,
        files=(FILE, MEMBER_FILE),
        fields=FIELDS,
        order=50,
        guild_ids=row_guild_ids("gardens"),
    ),
)
"""Gardens' importer: gardens, their plants, and the seeds and tools members hold. It runs after
the economy (the members and the inventory it imports come first)."""
