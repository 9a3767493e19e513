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
  they are not imported (reported as not in game). `boss_keys` belong to bosses.
"""

from __future__ import annotations

from typing import Any

from chibot.core.tables import counters
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter
from chibot.legacy.normalise import LegacyValueError, as_object, to_int

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


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter("combat", import_combat, files=(MEMBER_FILE,), fields=(FIELD,), order=40),
)
"""Combat's importer: the duel records of the member records."""
