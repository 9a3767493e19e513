"""The economy's part of the legacy import: members' chi and rebirths, and the items they hold.

Decisions (recorded in docs/legacy-import.md too):
- **chi and rebirths are SET to the files' values**, never added: the import is an upsert keyed
  by (guild, user). Negative chi is kept (it is legitimate), values above 2^31 are fine (BIGINT).
- **Ledger**: each change of a balance gets ONE ledger row (`legacy.import`, delta = file value
  minus what the server held, so a new member gets one row per non-zero currency). A second run
  of the same files finds nothing different and writes no row at all.
- **Lifetime chi** (the level): the old bot kept none. We take `max(chi, 0) + 500,000 x
  rebirths`: in this game a rebirth spends 500,000 earned chi and keeps the lifetime total, so
  this is what the same history would show here (a lower bound). Lifetime never goes down:
  an existing member keeps the higher of the two.
- **Pre-merge rebirth counters** (`positive_rebirths`, `negative_rebirths`) are added to
  `rebirths`, as the old bot did at start-up.
- **Items** are imported when the item registry knows the name (any case, shop code or id):
  `purchased_items` (one-time chi-shop buys), `inventory`, `potions`, `ingredients` go to the
  inventory; `chest` (names, duplicates = quantity) to the chest. An item listed both in
  `purchased_items` and in `inventory` is counted once (the larger of the two). A non-stacking
  item is held once; its `item_levels` entry becomes its level (capped at the item's maximum).
  Unknown names are listed; potion and ingredient names of the old alchemy (potions_data.json,
  `I1`..`I8`) are listed as "not imported yet (alchemy)".
- `rebirth_purchases` is history (the HP bought is in `permanent_hp`, the rest was redeemed by
  hand): listed per name, not imported.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Table

from chibot.core.ids import new_id
from chibot.core.items import Item, ItemRegistry
from chibot.core.tables import chest, inventory, ledger, members
from chibot.core.wallet import MAX_AMOUNT
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter, LegacyMember, LegacyReport
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_owned_marker,
    to_count,
    to_int,
)

LEGACY_REBIRTH_CHI = 500_000
"""Chi per rebirth in the old bot (and this game's default threshold)."""
REASON = "legacy.import"
MONEY_FIELDS = ("chi", "rebirths", "positive_rebirths", "negative_rebirths")
LIMITS = {
    "chi": MAX_AMOUNT,
    "rebirths": 10**9,
    "positive_rebirths": 10**9,
    "negative_rebirths": 10**9,
}
"""Values beyond these cannot come from play (chi: the wallet's largest amount, 10^15): the
record is quarantined rather than overflowing 64 bits in the lifetime total."""
ITEM_FIELDS = (
    "purchased_items",
    "inventory",
    "potions",
    "ingredients",
    "chest",
    "item_levels",
    "rebirth_purchases",
)


# --- members: chi, rebirths, lifetime ------------------------------------------------------


def check_member(record: dict[str, Any]) -> str | None:
    """Quarantine a record whose money cannot be read (nothing of it is imported)."""
    total_rebirths = 0
    for name in MONEY_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        try:
            number = to_int(value)
        except LegacyValueError:
            return f"{name} is not a whole number"
        if abs(number) > LIMITS[name]:
            return f"{name} beyond this game's limits ({number:,})"
        if name != "chi":
            total_rebirths += number
    if total_rebirths < 0:
        return "negative rebirths"
    return None


def money(member: LegacyMember, ctx: LegacyContext | None = None) -> tuple[int, int]:
    """(chi, rebirths) of a checked record; adjustments are reported when `ctx` is given."""
    record = member.record
    report = ctx.report if ctx is not None else None
    values: dict[str, int] = {}
    for name in MONEY_FIELDS:
        raw = record.get(name)
        if raw is None:
            if report is not None and name in ("chi", "rebirths"):
                report.issue(
                    "adjusted", f"{MEMBER_FILE}: {name}", "missing: imported as 0", key=member.key
                )
            continue
        values[name] = to_int(raw)
        if report is not None and (isinstance(raw, bool) or not isinstance(raw, int)):
            report.issue(
                "adjusted",
                f"{MEMBER_FILE}: {name}",
                f"given as {type(raw).__name__}: read as a whole number",
                key=member.key,
            )
    merged = values.get("positive_rebirths", 0) + values.get("negative_rebirths", 0)
    if report is not None and ("positive_rebirths" in values or "negative_rebirths" in values):
        report.issue(
            "adjusted",
            f"{MEMBER_FILE}: positive_rebirths, negative_rebirths",
            "pre-merge counters added to rebirths (as the old bot did)",
            key=member.key,
            units=merged,
        )
    return values.get("chi", 0), values.get("rebirths", 0) + merged


def _readable(record: Any, name: str) -> int:
    try:
        return (
            to_int(record.get(name))
            if isinstance(record, dict) and record.get(name) is not None
            else 0
        )
    except LegacyValueError:
        return 0


def lifetime_for(chi: int, rebirths: int) -> int:
    return max(chi, 0) + LEGACY_REBIRTH_CHI * max(rebirths, 0)


async def import_members(ctx: LegacyContext) -> None:
    report = ctx.report
    now = ctx.scope.now()
    existing = {
        r.user_id: (r.chi, r.rebirths, r.lifetime_chi)
        for r in await ctx.current(members, "user_id", "chi", "rebirths", "lifetime_chi")
    }
    upserts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    created = updated = unchanged = overwritten = 0
    file_chi = file_rebirths = 0
    written = 0

    async def flush() -> None:
        """Write the rows gathered so far (batch by batch: the rows are never all held)."""
        nonlocal written
        await ctx.upsert(
            members, upserts, update=("chi", "rebirths", "lifetime_chi"), description=None
        )
        await ctx.insert(ledger, entries, description=None)
        written += len(entries)
        upserts.clear()
        entries.clear()

    with ctx.step("members: chi, rebirths, lifetime", len(ctx.members)) as advance:
        for n, member in enumerate(ctx.members, 1):
            chi, rebirths = money(member, ctx)
            file_chi += chi
            file_rebirths += rebirths
            lifetime = lifetime_for(chi, rebirths)
            before = existing.get(member.user_id)
            if before is None:
                created += 1
                was_chi = was_rebirths = 0
            else:
                was_chi, was_rebirths, was_lifetime = before
                lifetime = max(lifetime, was_lifetime)
                if before == (chi, rebirths, lifetime):
                    unchanged += 1
                    continue
                updated += 1
                if (was_chi, was_rebirths) != (chi, rebirths):
                    overwritten += 1
            upserts.append(
                {
                    "user_id": member.user_id,
                    "chi": chi,
                    "rebirths": rebirths,
                    "lifetime_chi": lifetime,
                    "created_at": now,
                }
            )
            for currency, value, was in (
                ("chi", chi, was_chi),
                ("rebirths", rebirths, was_rebirths),
            ):
                if value != was:
                    entries.append(
                        {
                            "id": new_id(),
                            "user_id": member.user_id,
                            "delta": value - was,
                            "currency": currency,
                            "reason": REASON,
                            "ref": MEMBER_FILE,
                            "balance_after": value,
                            "at": now,
                        }
                    )
            if len(upserts) >= ctx.batch_size:
                await flush()
            if n % 5000 == 0:
                advance(5000)
        await flush()
    report.line("members", "members", created=created, updated=updated, unchanged=unchanged)
    report.line("members", "ledger rows (legacy.import)", created=written)
    if overwritten:
        report.note(
            f"{overwritten:,} members already had a record in this server with other balances: "
            "their chi and rebirths were SET to the files' values (each change has its ledger row)."
        )

    # Totals: read back what the server now holds for the files' members.
    held = {
        r.user_id: (r.chi, r.rebirths)
        for r in await ctx.current(members, "user_id", "chi", "rebirths")
    }
    ids = list(ctx.members.accepted.values())
    others = len(held) - sum(1 for u in ids if u in held)
    if others:
        report.note(f"{others:,} members of this server are not in the files: left as they are.")
    q_chi = sum(_readable(r, "chi") for _, r in ctx.quarantined)
    q_reb = sum(sum(_readable(r, n) for n in MONEY_FIELDS[1:]) for _, r in ctx.quarantined)
    report.total(
        "members",
        in_files=len(ctx.members) + len(ctx.quarantined),
        not_imported=len(ctx.quarantined),
        in_database=sum(1 for u in ids if u in held),
    )
    report.total(
        "total chi",
        in_files=file_chi + q_chi,
        not_imported=q_chi,
        in_database=sum(held[u][0] for u in ids if u in held),
    )
    report.total(
        "total rebirths",
        in_files=file_rebirths + q_reb,
        not_imported=q_reb,
        in_database=sum(held[u][1] for u in ids if u in held),
    )


# --- items: inventory, chest, levels ------------------------------------------------------


class _Names:
    """Classifies names the item registry does not know."""

    def __init__(self, registry: ItemRegistry, potions_file: Any) -> None:
        self.registry = registry
        self.alchemy: set[str] = set()
        data = potions_file if isinstance(potions_file, dict) else {}
        for potion in as_array(data.get("potions"))[0]:
            if isinstance(potion, dict):
                self.alchemy |= {
                    str(potion.get(k, "")).strip().lower() for k in ("name", "item_id")
                }
        for key, ingredient in as_object(data.get("ingredients"))[0].items():
            self.alchemy.add(str(key).strip().lower())
            if isinstance(ingredient, dict):
                self.alchemy.add(str(ingredient.get("name", "")).strip().lower())
        self.alchemy.discard("")

    def find(self, name: Any) -> Item | None:
        return self.registry.find(name) if isinstance(name, str) and name.strip() else None

    def unknown(self, name: Any, field: str) -> tuple[str, str]:
        """(category, reason) for a name that is not an item of this game."""
        text = str(name).strip().lower() if isinstance(name, str) else ""
        is_ingredient = len(text) > 1 and text[0] == "i" and text[1:].isdigit()
        if field in ("potions", "ingredients") or text in self.alchemy or is_ingredient:
            return "not_yet", "not imported yet (no such system: alchemy): potion or ingredient"
        if not isinstance(name, str):
            return "skipped", "not an item name"
        return "skipped", "unknown item name (not in this game's item registry)"


INVENTORY_SOURCES = ("purchased_items", "inventory", "potions", "ingredients")
"""The member fields that go to the inventory, in the order they are read."""
ARRAY_SOURCES = frozenset({"purchased_items", "potions"})  # the rest are name -> count objects


def _where(field: str) -> str:
    return f"{MEMBER_FILE}: {field}"


class _Tally:
    """One side of a total: units listed in the files, and how many of them are not imported."""

    def __init__(self) -> None:
        self.in_files = 0
        self.not_imported = 0


@dataclasses.dataclass
class _WantedItems:
    """What the files ask the server to hold, collected from every member record."""

    inventory: dict[tuple[int, str], list[int]] = dataclasses.field(
        default_factory=dict
    )  # (user, item) -> [qty, level]
    chest: dict[tuple[int, str], list[int]] = dataclasses.field(default_factory=dict)
    inventory_tally: _Tally = dataclasses.field(default_factory=_Tally)
    chest_tally: _Tally = dataclasses.field(default_factory=_Tally)
    not_installed: Counter[str] = dataclasses.field(
        default_factory=Counter
    )  # system -> inventory rows held
    rebirth_purchases: Counter[str] = dataclasses.field(
        default_factory=Counter
    )  # name -> times bought


class _ItemFields:
    """Reads the item fields of member records into `_WantedItems`, reporting every value that
    is not taken as it is (unknown names, unreadable quantities, copies, levels...)."""

    def __init__(self, report: LegacyReport, names: _Names) -> None:
        self.report = report
        self.names = names
        self.wanted = _WantedItems()

    def read(self, member: LegacyMember) -> None:
        self.read_inventory(member)
        self.read_chest(member)
        self.read_levels(member)
        self.read_rebirth_purchases(member)

    # --- shared checks --------------------------------------------------------------------

    def structure(self, member: LegacyMember, field: str, how: str) -> None:
        """Report a field stored as JSON text (parsed) or not readable at all (nothing taken)."""
        if how == "text":
            self.report.issue(
                "adjusted", _where(field), "stored as JSON text: parsed", key=member.key
            )
        elif how == "invalid":
            self.report.issue(
                "skipped",
                _where(field),
                "not readable (wrong type or invalid JSON): nothing imported",
                key=member.key,
            )

    def count(self, member: LegacyMember, field: str, raw: Any) -> int | None:
        """The quantity of a name -> count entry (`"owned"` is 0); None when unreadable."""
        if is_owned_marker(raw):
            self.report.issue("adjusted", _where(field), 'legacy "owned" read as 0', key=member.key)
        try:
            qty = to_count(raw)
        except LegacyValueError:
            self.report.issue("skipped", _where(field), "quantity not readable", key=member.key)
            return None
        if qty == 0 and not is_owned_marker(raw):
            self.report.issue("skipped", _where(field), "quantity 0: nothing held", key=member.key)
        return qty

    def unknown(self, member: LegacyMember, field: str, name: Any, qty: int, tally: _Tally) -> None:
        """A name that is not an item of this game: listed, and not imported."""
        category, reason = self.names.unknown(name, field)
        self.report.issue(
            category,
            _where(field),
            reason,
            key=name if isinstance(name, str) else member.key,
            units=qty,
        )
        tally.not_imported += qty

    def one_if_not_stacking(
        self, item: Item, qty: int, field: str, reason: str, tally: _Tally
    ) -> int:
        """A non-stacking item is held once: the extra copies are listed."""
        if item.stacks or qty <= 1:
            return qty
        self.report.issue("skipped", _where(field), reason, key=item.name, units=qty - 1)
        tally.not_imported += qty - 1
        return 1

    # --- the fields -----------------------------------------------------------------------

    def read_inventory(self, member: LegacyMember) -> None:
        """`purchased_items`, `inventory`, `potions`, `ingredients` -> one inventory row per
        known item; an item both bought and held counts once (the larger of the two)."""
        tally = self.wanted.inventory_tally
        for item, per_source in self._inventory_sources(member).values():
            bought, held = per_source.pop("purchased_items", 0), per_source.pop("inventory", 0)
            qty = max(bought, held) + sum(per_source.values())
            if bought and held:
                twice = min(bought, held)
                self.report.issue(
                    "adjusted",
                    _where("purchased_items, inventory"),
                    "listed in both: counted once",
                    key=item.name,
                    units=twice,
                )
                tally.not_imported += twice
            qty = self.one_if_not_stacking(
                item, qty, "inventory", "non-stacking item held more than once: one kept", tally
            )
            self.wanted.inventory[(member.user_id, item.id)] = [qty, 0]
            if not self.names.registry.usable(item):
                self.wanted.not_installed[item.requires] += 1

    def _inventory_sources(self, member: LegacyMember) -> dict[str, tuple[Item, dict[str, int]]]:
        """item id -> (item, quantity per source field) of the known items; arrays list one
        unit per entry, objects map a name to a count."""
        tally = self.wanted.inventory_tally
        found: dict[str, tuple[Item, dict[str, int]]] = {}
        for source in INVENTORY_SOURCES:
            counted: list[tuple[str, int | None]]
            if source in ARRAY_SOURCES:
                listed, how = as_array(member.record.get(source))
                counted = [(name, 1) for name in listed]
            else:
                held, how = as_object(member.record.get(source))
                counted = [(name, self.count(member, source, raw)) for name, raw in held.items()]
            self.structure(member, source, how)
            for name, qty in counted:
                if not qty:
                    continue
                tally.in_files += qty
                item = self.names.find(name)
                if item is None:
                    self.unknown(member, source, name, qty, tally)
                    continue
                per_source = found.setdefault(item.id, (item, defaultdict(int)))[1]
                per_source[source] += qty
        return found

    def read_chest(self, member: LegacyMember) -> None:
        """`chest`: an array of names, duplicates = quantity -> one chest row per known item."""
        tally = self.wanted.chest_tally
        listed, how = as_array(member.record.get("chest"))
        self.structure(member, "chest", how)
        in_chest: dict[str, tuple[Item, int]] = {}
        for name in listed:
            tally.in_files += 1
            item = self.names.find(name)
            if item is None:
                self.unknown(member, "chest", name, 1, tally)
                continue
            in_chest[item.id] = (item, in_chest.get(item.id, (item, 0))[1] + 1)
        for item, qty in in_chest.values():
            qty = self.one_if_not_stacking(
                item, qty, "chest", "non-stacking item in the chest more than once: one kept", tally
            )
            self.wanted.chest[(member.user_id, item.id)] = [qty, 0]

    def read_levels(self, member: LegacyMember) -> None:
        """`item_levels` -> the level of the inventory and chest rows of that item (read after
        both), capped at the item's maximum; levels that cannot apply are listed."""
        levels, how = as_object(member.record.get("item_levels"))
        self.structure(member, "item_levels", how)
        for name, raw in levels.items():
            found = self._level(member, name, raw)
            if found is None:
                continue
            key, level = found
            for wanted in (self.wanted.inventory, self.wanted.chest):
                if key in wanted:
                    wanted[key][1] = level

    def _level(
        self, member: LegacyMember, name: Any, raw: Any
    ) -> tuple[tuple[int, str], int] | None:
        """((user, item), level) for one `item_levels` entry, or None (reported) when it
        does not apply; a level of 0 is nothing to import."""
        where = _where("item_levels")
        item = self.names.find(name)
        if item is None:
            self.report.issue("skipped", where, "level of an unknown item", key=name)
            return None
        try:
            level = to_int(raw)
        except LegacyValueError:
            self.report.issue("skipped", where, "level not readable", key=member.key)
            return None
        if level == 0:
            return None
        key = (member.user_id, item.id)
        if level < 0:
            self.report.issue("skipped", where, "negative level", key=member.key)
        elif not item.upgradable:
            self.report.issue(
                "skipped", where, "level of an item that cannot be upgraded", key=item.name
            )
        elif key not in self.wanted.inventory and key not in self.wanted.chest:
            self.report.issue("skipped", where, "level of an item not held", key=item.name)
        elif level > item.max_level:
            self.report.issue(
                "skipped",
                where,
                f"level above the item's maximum: capped at {item.max_level}",
                key=item.name,
                units=level - item.max_level,
            )
            return key, item.max_level
        else:
            return key, level
        return None

    def read_rebirth_purchases(self, member: LegacyMember) -> None:
        """`rebirth_purchases` is history: counted per name, listed after all members."""
        purchases, how = as_array(member.record.get("rebirth_purchases"))
        self.structure(member, "rebirth_purchases", how)
        for name in purchases:
            self.wanted.rebirth_purchases[str(name)] += 1


def collect_wanted_items(ctx: LegacyContext) -> _WantedItems:
    """Read the item fields of every member record: the inventory and chest rows the files
    ask for, the tallies of the totals, and what is listed instead of imported."""
    fields = _ItemFields(ctx.report, _Names(ctx.catalog.items, ctx.file("potions_data.json")))
    with ctx.step("items: inventory, chest, levels", len(ctx.members)) as advance:
        for n, member in enumerate(ctx.members, 1):
            if n % 5000 == 0:
                advance(5000)
            if any(f in member.record for f in ITEM_FIELDS):
                fields.read(member)
    return fields.wanted


def report_history_and_not_installed(report: LegacyReport, wanted: _WantedItems) -> None:
    """List the rebirth-shop purchase history per name, and note the items imported for a
    system that is not installed yet."""
    for name, count in sorted(wanted.rebirth_purchases.items()):
        report.issue(
            "not_in_game",
            _where("rebirth_purchases"),
            f"rebirth-shop purchase history '{name}': not imported (HP bought is in permanent_hp; rewards were redeemed by hand)",
            records=count,
            units=count,
        )
    if wanted.not_installed:
        report.note(
            "items held whose system is not installed yet (imported; usable when it lands): "
            + ", ".join(f"{system} {n:,}" for system, n in sorted(wanted.not_installed.items()))
        )


def count_quarantined_items(quarantined: list[tuple[str, Any]], wanted: _WantedItems) -> None:
    """The items of quarantined records are in the files and not imported (for the totals)."""
    for _, record in quarantined:
        q_inv, q_chest = quarantined_units(record)
        wanted.inventory_tally.in_files += q_inv
        wanted.inventory_tally.not_imported += q_inv
        wanted.chest_tally.in_files += q_chest
        wanted.chest_tally.not_imported += q_chest


async def write_item_rows(
    ctx: LegacyContext,
    table: Table,
    label: str,
    wanted: dict[tuple[int, str], list[int]],
    tally: _Tally,
) -> None:
    """Reconcile one table with the wanted rows: write only the rows whose (qty, level)
    differ from the server's, report created / updated / unchanged, and total the units the
    server now holds for those rows against the files."""
    existing = {
        (r.user_id, r.item_id): [r.qty, r.level]
        for r in await ctx.current(table, "user_id", "item_id", "qty", "level")
    }
    rows = []
    created = updated = 0
    for (user_id, item_id), (qty, level) in wanted.items():
        before = existing.get((user_id, item_id))
        if before == [qty, level]:
            continue
        created += before is None
        updated += before is not None
        rows.append({"user_id": user_id, "item_id": item_id, "qty": qty, "level": level})
    await ctx.upsert(table, rows, update=("qty", "level"), description=f"{label}: writing")
    ctx.report.line(
        "items",
        f"{label} rows",
        created=created,
        updated=updated,
        unchanged=len(wanted) - len(rows),
    )
    held = {
        (r.user_id, r.item_id): r.qty for r in await ctx.current(table, "user_id", "item_id", "qty")
    }
    ctx.report.total(
        f"{label} items",
        in_files=tally.in_files,
        not_imported=tally.not_imported,
        in_database=sum(held.get(key, 0) for key in wanted),
    )


async def import_items(ctx: LegacyContext) -> None:
    """Inventory, chest and item levels: collect what the files ask for, list what is not
    imported, then write the differences table by table and check the totals."""
    wanted = collect_wanted_items(ctx)
    report_history_and_not_installed(ctx.report, wanted)
    count_quarantined_items(ctx.quarantined, wanted)
    await write_item_rows(ctx, inventory, "inventory", wanted.inventory, wanted.inventory_tally)
    await write_item_rows(ctx, chest, "chest", wanted.chest, wanted.chest_tally)


def quarantined_units(record: Any) -> tuple[int, int]:
    """(inventory units, chest units) a quarantined record lists, for the totals."""
    if not isinstance(record, dict):
        return 0, 0
    inv = len(as_array(record.get("purchased_items"))[0]) + len(as_array(record.get("potions"))[0])
    for field in ("inventory", "ingredients"):
        for raw in as_object(record.get(field))[0].values():
            with contextlib.suppress(LegacyValueError):
                inv += to_count(raw)
    return inv, len(as_array(record.get("chest"))[0])


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter(
        "members",
        import_members,
        files=(MEMBER_FILE,),
        fields=MONEY_FIELDS,
        check=check_member,
        order=10,
    ),
    LegacyImporter("items", import_items, files=(MEMBER_FILE,), fields=ITEM_FIELDS, order=20),
)
"""The economy's importers: the member records' money, then the items they hold."""
