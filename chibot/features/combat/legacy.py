"""Combat's part of the legacy import: the member records' `duel_stats` (legacy-infra-and-data
§1.2: `{wins, losses}`, or `{wins, losses, ties}`).

Decisions (recorded in docs/legacy-import.md and docs/combat.md too):

- **Duel records** become the counters `duel_wins`, `duel_losses` and `duel_ties`, the ones
  this game's duels count (`fight stats`, the duel board, First Blood and the other duel
  achievements). A counter already higher here (duels fought since) is kept: an import never
  lowers a record and a second run changes nothing. Achievements the imported wins reach are
  unlocked, and paid, by the game's engine the next time it checks, like every imported
  counter (the old bot paid First Blood itself only for weapon knockouts, bug list §11).
  Win streaks were never recorded: they start at 0.
- A value that is not a whole number, or negative, is reported and skipped; unknown keys in the
  object are reported.
- `training_bonuses` (melee, speed, range, bonus HP) were stored and never read by the old
  combat (legacy-combat §1.10): this game's training bonuses are the team gym's, per team, so
  they are not imported (reported as not in game).
- **Boss keys** (`boss_keys`, a list of key names: "Bamboo Key", "Titan Key", "Eternal Key",
  duplicates accumulating) become the key items that open the next boss here (`bamboo_key`,
  `titan_key`, `eternal_key`), found by name or id. The old keys had no use, and the old
  bosses paid them again and again (bugs B1, B5: a victory that re-ran): at most
  `MAX_KEYS` of each are imported, the rest reported. Unknown names are reported. The keys
  are **added** to the inventory once per member: the counter `legacy_boss_keys_imported` is
  the marker, and a member who has it is never given keys again by a later run.
"""

from __future__ import annotations

from typing import Any

from chibot.core.tables import counters, inventory
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter
from chibot.legacy.normalise import LegacyValueError, as_array, as_object, to_int

FIELD = "duel_stats"
COUNTERS = {"wins": "duel_wins", "losses": "duel_losses", "ties": "duel_ties"}


def _where(part: str) -> str:
    return f"{MEMBER_FILE}: {part}"


async def import_combat(ctx: LegacyContext) -> None:
    report = ctx.report
    wanted: dict[tuple[int, str], int] = {}
    in_files = not_imported = 0
    for member in ctx.members:
        if FIELD not in member.record or member.record[FIELD] in (None, "", {}):
            continue
        stats, how = as_object(member.record[FIELD])
        if how == "text":
            report.issue("adjusted", _where(FIELD), "stored as JSON text: parsed", key=member.key)
        elif how == "invalid":
            report.issue("skipped", _where(FIELD), "not readable (not an object)", key=member.key)
            continue
        for key, raw in stats.items():
            name = COUNTERS.get(str(key).strip().lower())
            if name is None:
                report.issue("skipped", _where(f"{FIELD}.{key}"), "unknown key", key=member.key)
                continue
            try:
                value = to_int(raw)
            except LegacyValueError:
                report.issue("skipped", _where(f"{FIELD}.{key}"), "not a whole number",
                             key=member.key)  # fmt: skip
                continue
            in_files += max(value, 0)
            if value < 0:
                report.issue("skipped", _where(f"{FIELD}.{key}"), "negative: not imported",
                             key=member.key, units=value)  # fmt: skip
                continue
            if value:
                wanted[(member.user_id, name)] = value
    c = counters.c
    existing: dict[tuple[int, str], Any] = {
        (r.user_id, r.name): r.value
        for r in await ctx.current(
            counters, "user_id", "name", "value", where=c.name.in_(list(COUNTERS.values()))
        )
    }
    rows = [
        {"user_id": u, "name": n, "value": v}
        for (u, n), v in sorted(wanted.items())
        if v > existing.get((u, n), 0)
    ]
    created = sum(1 for r in rows if (r["user_id"], r["name"]) not in existing)
    await ctx.upsert(counters, rows, update=("value",), description="duel records: writing")
    report.line(
        "combat", "duel record counters", created=created, updated=len(rows) - created,
        unchanged=len(wanted) - len(rows),
    )  # fmt: skip
    after = {
        (r.user_id, r.name): r.value
        for r in await ctx.current(
            counters, "user_id", "name", "value", where=c.name.in_(list(COUNTERS.values()))
        )
    }
    kept = sum(min(after.get(k, 0), v) for k, v in wanted.items())
    report.total("duel records", in_files=in_files, not_imported=not_imported,
                 in_database=kept)  # fmt: skip


KEYS_FIELD = "boss_keys"
KEY_ITEMS = ("bamboo_key", "titan_key", "eternal_key")
MAX_KEYS = 3  # of each key, per member
KEYS_MARKER = "legacy_boss_keys_imported"


async def import_boss_keys(ctx: LegacyContext) -> None:
    report = ctx.report
    items = ctx.catalog.items
    c = counters.c
    marked = {
        r.user_id
        for r in await ctx.current(
            counters, "user_id", where=(c.name == KEYS_MARKER) & (c.value > 0)
        )
    }
    held = {
        (r.user_id, r.item_id): int(r.qty)
        for r in await ctx.current(
            inventory, "user_id", "item_id", "qty", where=inventory.c.item_id.in_(KEY_ITEMS)
        )
    }
    rows: list[dict[str, Any]] = []
    markers: list[dict[str, Any]] = []
    in_files = imported = capped = 0
    for member in ctx.members:
        raw = member.record.get(KEYS_FIELD)
        if raw in (None, "", []):
            continue
        keys, how = as_array(raw)
        if how == "invalid":
            report.issue("skipped", _where(KEYS_FIELD), "not readable (not a list)", key=member.key)
            continue
        wanted: dict[str, int] = {}
        for name in keys:
            in_files += 1
            item = items.find(str(name)) if isinstance(name, str | int) else None
            if item is None or item.id not in KEY_ITEMS:
                report.issue("skipped", _where(KEYS_FIELD), f"unknown key {str(name)[:40]!r}",
                             key=member.key)  # fmt: skip
                continue
            wanted[item.id] = wanted.get(item.id, 0) + 1
        if not wanted:
            continue
        if member.user_id in marked:
            report.issue("skipped", _where(KEYS_FIELD), "imported by an earlier run",
                         key=member.key, units=sum(wanted.values()))  # fmt: skip
            continue
        for item_id, count in sorted(wanted.items()):
            take = min(count, MAX_KEYS)
            if count > take:
                capped += count - take
                report.issue("adjusted", _where(KEYS_FIELD),
                             f"{count} {item_id}: {take} imported (at most {MAX_KEYS})",
                             key=member.key, units=count - take)  # fmt: skip
            imported += take
            before = held.get((member.user_id, item_id), 0)
            rows.append({"user_id": member.user_id, "item_id": item_id, "qty": before + take,
                         "level": 0})  # fmt: skip
        markers.append({"user_id": member.user_id, "name": KEYS_MARKER, "value": 1})
    await ctx.upsert(inventory, rows, update=("qty",), description="boss keys: writing")
    await ctx.upsert(counters, markers, update=("value",), description=None)
    report.line("combat", "boss keys (inventory rows)", created=len(rows))
    report.total("boss keys", in_files=in_files, not_imported=in_files - imported,
                 in_database=imported)  # fmt: skip


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter("combat", import_combat, files=(MEMBER_FILE,), fields=(FIELD,), order=40),
    LegacyImporter(
        "combat.boss_keys", import_boss_keys, files=(MEMBER_FILE,), fields=(KEYS_FIELD,), order=41
    ),
)
"""Combat's importers: the duel records and the boss keys of the member records."""
