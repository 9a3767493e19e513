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
from collections import Counter, defaultdict
from typing import Any

from chibot.core.ids import new_id
from chibot.core.items import INSTALLED_SYSTEMS, Item, ItemRegistry
from chibot.core.tables import chest, inventory, ledger, members
from chibot.core.wallet import MAX_AMOUNT
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter, LegacyMember
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
LIMITS = {"chi": MAX_AMOUNT, "rebirths": 10**9, "positive_rebirths": 10**9, "negative_rebirths": 10**9}
"""Values beyond these cannot come from play (chi: the wallet's largest amount, 10^15): the
record is quarantined rather than overflowing 64 bits in the lifetime total."""
ITEM_FIELDS = ("purchased_items", "inventory", "potions", "ingredients", "chest", "item_levels", "rebirth_purchases")


# --- members: chi, rebirths, lifetime ------------------------------------------------------


ARRAY_SOURCES = frozenset({"purchased_items", "potions"})  # the rest are name -> count objects


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
                report.issue("adjusted", f"{MEMBER_FILE}: {name}", "missing: imported as 0", key=member.key)
            continue
        values[name] = to_int(raw)
        if report is not None and (isinstance(raw, bool) or not isinstance(raw, int)):
            report.issue("adjusted", f"{MEMBER_FILE}: {name}", f"given as {type(raw).__name__}: read as a whole number", key=member.key)
    merged = values.get("positive_rebirths", 0) + values.get("negative_rebirths", 0)
    if report is not None and ("positive_rebirths" in values or "negative_rebirths" in values):
        report.issue(
            "adjusted", f"{MEMBER_FILE}: positive_rebirths, negative_rebirths",
            "pre-merge counters added to rebirths (as the old bot did)", key=member.key, units=merged,
        )
    return values.get("chi", 0), values.get("rebirths", 0) + merged


def _readable(record: Any, name: str) -> int:
    try:
        return to_int(record.get(name)) if isinstance(record, dict) and record.get(name) is not None else 0
    except LegacyValueError:
        return 0


def lifetime_for(chi: int, rebirths: int) -> int:
    return max(chi, 0) + LEGACY_REBIRTH_CHI * max(rebirths, 0)


async def import_members(ctx: LegacyContext) -> None:
    report = ctx.report
    now = ctx.scope.now()
    existing = {r.user_id: (r.chi, r.rebirths, r.lifetime_chi) for r in await ctx.current(members, "user_id", "chi", "rebirths", "lifetime_chi")}
    upserts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    created = updated = unchanged = overwritten = 0
    file_chi = file_rebirths = 0
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
            upserts.append({"user_id": member.user_id, "chi": chi, "rebirths": rebirths, "lifetime_chi": lifetime, "created_at": now})
            for currency, value, was in (("chi", chi, was_chi), ("rebirths", rebirths, was_rebirths)):
                if value != was:
                    entries.append({
                        "id": new_id(), "user_id": member.user_id, "delta": value - was, "currency": currency,
                        "reason": REASON, "ref": MEMBER_FILE, "balance_after": value, "at": now,
                    })
            if n % 5000 == 0:
                advance(5000)
    await ctx.upsert(members, upserts, update=("chi", "rebirths", "lifetime_chi"), description="members: writing")
    await ctx.insert(ledger, entries, description="ledger: legacy.import rows")
    report.line("members", "members", created=created, updated=updated, unchanged=unchanged)
    report.line("members", "ledger rows (legacy.import)", created=len(entries))
    if overwritten:
        report.note(
            f"{overwritten:,} members already had a record in this server with other balances: "
            "their chi and rebirths were SET to the files' values (each change has its ledger row)."
        )

    # Totals: read back what the server now holds for the files' members.
    held = {r.user_id: (r.chi, r.rebirths) for r in await ctx.current(members, "user_id", "chi", "rebirths")}
    ids = [m.user_id for m in ctx.members]
    others = len(held) - sum(1 for u in ids if u in held)
    if others:
        report.note(f"{others:,} members of this server are not in the files: left as they are.")
    q_chi = sum(_readable(r, "chi") for _, r in ctx.quarantined)
    q_reb = sum(sum(_readable(r, n) for n in MONEY_FIELDS[1:]) for _, r in ctx.quarantined)
    report.total("members", in_files=len(ctx.members) + len(ctx.quarantined), not_imported=len(ctx.quarantined), in_database=sum(1 for u in ids if u in held))
    report.total("total chi", in_files=file_chi + q_chi, not_imported=q_chi, in_database=sum(held[u][0] for u in ids if u in held))
    report.total("total rebirths", in_files=file_rebirths + q_reb, not_imported=q_reb, in_database=sum(held[u][1] for u in ids if u in held))


# --- items: inventory, chest, levels ------------------------------------------------------


class _Names:
    """Classifies names the item registry does not know."""

    def __init__(self, registry: ItemRegistry, potions_file: Any) -> None:
        self.registry = registry
        self.alchemy: set[str] = set()
        data = potions_file if isinstance(potions_file, dict) else {}
        for potion in as_array(data.get("potions"))[0]:
            if isinstance(potion, dict):
                self.alchemy |= {str(potion.get(k, "")).strip().lower() for k in ("name", "item_id")}
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


class _Tally:
    def __init__(self) -> None:
        self.in_files = 0
        self.not_imported = 0


async def import_items(ctx: LegacyContext) -> None:
    report = ctx.report
    names = _Names(ctx.catalog.items, ctx.file("potions_data.json"))
    inv_tally, chest_tally = _Tally(), _Tally()
    wanted_inv: dict[tuple[int, str], list[int]] = {}  # (user, item) -> [qty, level]
    wanted_chest: dict[tuple[int, str], list[int]] = {}
    not_installed: Counter[str] = Counter()
    bought: Counter[str] = Counter()

    def where(field: str) -> str:
        return f"{MEMBER_FILE}: {field}"

    def unknown(member: LegacyMember, field: str, name: Any, qty: int, tally: _Tally) -> None:
        category, reason = names.unknown(name, field)
        report.issue(category, where(field), reason, key=name if isinstance(name, str) else member.key, units=qty)
        tally.not_imported += qty

    def read_count(member: LegacyMember, field: str, raw: Any) -> int | None:
        if is_owned_marker(raw):
            report.issue("adjusted", where(field), 'legacy "owned" read as 0', key=member.key)
        try:
            qty = to_count(raw)
        except LegacyValueError:
            report.issue("skipped", where(field), "quantity not readable", key=member.key)
            return None
        if qty == 0 and not is_owned_marker(raw):
            report.issue("skipped", where(field), "quantity 0: nothing held", key=member.key)
        return qty

    def structure(member: LegacyMember, field: str, how: str) -> None:
        if how == "text":
            report.issue("adjusted", where(field), "stored as JSON text: parsed", key=member.key)
        elif how == "invalid":
            report.issue("skipped", where(field), "not readable (wrong type or invalid JSON): nothing imported", key=member.key)

    with ctx.step("items: inventory, chest, levels", len(ctx.members)) as advance:
        for n, member in enumerate(ctx.members, 1):
            record = member.record
            if n % 5000 == 0:
                advance(5000)
            if not any(f in record for f in ITEM_FIELDS):
                continue
            sources: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            items: dict[str, Item] = {}

            def take(field: str, name: Any, qty: int, member: LegacyMember = member, sources: Any = sources, items: dict[str, Item] = items) -> None:
                inv_tally.in_files += qty
                item = names.find(name)
                if item is None:
                    unknown(member, field, name, qty, inv_tally)
                    return
                items[item.id] = item
                sources[item.id][field] += qty

            # Arrays list one unit per entry; objects map a name to a count.
            for source in ("purchased_items", "inventory", "potions", "ingredients"):
                if source in ARRAY_SOURCES:
                    listed, how = as_array(record.get(source))
                    counted = [(name, 1) for name in listed]
                else:
                    held, how = as_object(record.get(source))
                    counted = [(name, read_count(member, source, raw)) for name, raw in held.items()]
                structure(member, source, how)
                for name, qty in counted:
                    if qty:
                        take(source, name, qty)

            for item_id, per in sources.items():
                item = items[item_id]
                bought_n, held_n = per.pop("purchased_items", 0), per.pop("inventory", 0)
                qty = max(bought_n, held_n) + sum(per.values())
                if bought_n and held_n:
                    twice = min(bought_n, held_n)
                    report.issue("adjusted", where("purchased_items, inventory"), "listed in both: counted once", key=item.name, units=twice)
                    inv_tally.not_imported += twice
                if not item.stacks and qty > 1:
                    report.issue("skipped", where("inventory"), "non-stacking item held more than once: one kept", key=item.name, units=qty - 1)
                    inv_tally.not_imported += qty - 1
                    qty = 1
                wanted_inv[(member.user_id, item_id)] = [qty, 0]
                if item.requires not in INSTALLED_SYSTEMS:
                    not_installed[item.requires] += 1

            listed, how = as_array(record.get("chest"))
            structure(member, "chest", how)
            in_chest: Counter[str] = Counter()
            for name in listed:
                chest_tally.in_files += 1
                item = names.find(name)
                if item is None:
                    unknown(member, "chest", name, 1, chest_tally)
                    continue
                in_chest[item.id] += 1
                items[item.id] = item
            for item_id, qty in in_chest.items():
                item = items[item_id]
                if not item.stacks and qty > 1:
                    report.issue("skipped", where("chest"), "non-stacking item in the chest more than once: one kept", key=item.name, units=qty - 1)
                    chest_tally.not_imported += qty - 1
                    qty = 1
                wanted_chest[(member.user_id, item_id)] = [qty, 0]

            levels, how = as_object(record.get("item_levels"))
            structure(member, "item_levels", how)
            for name, raw in levels.items():
                item = names.find(name)
                if item is None:
                    report.issue("skipped", where("item_levels"), "level of an unknown item", key=name)
                    continue
                try:
                    level = to_int(raw)
                except LegacyValueError:
                    report.issue("skipped", where("item_levels"), "level not readable", key=member.key)
                    continue
                if level == 0:
                    continue
                key = (member.user_id, item.id)
                if level < 0:
                    report.issue("skipped", where("item_levels"), "negative level", key=member.key)
                elif not item.upgradable:
                    report.issue("skipped", where("item_levels"), "level of an item that cannot be upgraded", key=item.name)
                elif key not in wanted_inv and key not in wanted_chest:
                    report.issue("skipped", where("item_levels"), "level of an item not held", key=item.name)
                else:
                    if level > item.max_level:
                        report.issue("skipped", where("item_levels"), f"level above the item's maximum: capped at {item.max_level}", key=item.name, units=level - item.max_level)
                        level = item.max_level
                    for wanted in (wanted_inv, wanted_chest):
                        if key in wanted:
                            wanted[key][1] = level

            purchases, how = as_array(record.get("rebirth_purchases"))
            structure(member, "rebirth_purchases", how)
            for name in purchases:
                bought[str(name)] += 1
    for name, count in sorted(bought.items()):
        report.issue(
            "not_in_game", where("rebirth_purchases"),
            f"rebirth-shop purchase history '{name}': not imported (HP bought is in permanent_hp; rewards were redeemed by hand)",
            records=count, units=count,
        )
    if not_installed:
        report.note(
            "items held whose system is not installed yet (imported; usable when it lands): "
            + ", ".join(f"{system} {n:,}" for system, n in sorted(not_installed.items()))
        )

    for _, record in ctx.quarantined:
        q_inv, q_chest = quarantined_units(record)
        inv_tally.in_files += q_inv
        inv_tally.not_imported += q_inv
        chest_tally.in_files += q_chest
        chest_tally.not_imported += q_chest
    for table, wanted, tally, label in (
        (inventory, wanted_inv, inv_tally, "inventory"),
        (chest, wanted_chest, chest_tally, "chest"),
    ):
        existing = {(r.user_id, r.item_id): [r.qty, r.level] for r in await ctx.current(table, "user_id", "item_id", "qty", "level")}
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
        report.line("items", f"{label} rows", created=created, updated=updated, unchanged=len(wanted) - len(rows))
        held = {(r.user_id, r.item_id): r.qty for r in await ctx.current(table, "user_id", "item_id", "qty")}
        report.total(
            f"{label} items", in_files=tally.in_files, not_imported=tally.not_imported,
            in_database=sum(held.get(key, 0) for key in wanted),
        )


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
    LegacyImporter("members", import_members, files=(MEMBER_FILE,), fields=MONEY_FIELDS, check=check_member, order=10),
    LegacyImporter("items", import_items, files=(MEMBER_FILE,), fields=ITEM_FIELDS, order=20),
)
"""The economy's importers: the member records' money, then the items they hold."""
