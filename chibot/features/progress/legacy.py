"""Progress's part of the legacy import: unlocked achievements, claimed milestones, permanent HP.

Decisions (recorded in docs/legacy-import.md too):
- **Achievements**: the legacy ids are this game's ids (content/achievements.toml). Each one
  in a member's `achievements` array is recorded as unlocked (at the time of the import), and
  NO reward is paid: the old bot already paid it. Unknown ids are listed. Achievements the
  member reaches only now (e.g. `millionaire` from the imported lifetime chi) are unlocked,
  and paid, by the game's own engine the next time it checks.
- **Milestones**: `milestones_claimed` (always empty in the dump: the old Nitro milestone list)
  is matched to this game's milestones by id, or by threshold when an entry is a number;
  anything else is listed. Milestones are not marked claimed for imported lifetime chi: the old
  bot never paid them, so members may claim them here.
- **Permanent HP**: `permanent_hp` becomes the counter `permanent_hp`, capped at
  `MAX_PERMANENT_HP` (this game's limit); the excess is listed.
"""

from __future__ import annotations

from typing import Any

from chibot.core.tables import counters
from chibot.features.progress.rules import MAX_PERMANENT_HP
from chibot.features.progress.store import achievements, milestones
from chibot.legacy import MEMBER_FILE, LegacyContext, LegacyImporter
from chibot.legacy.normalise import LegacyValueError, as_array, to_int

HP_COUNTER = "permanent_hp"


def _where(field: str) -> str:
    return f"{MEMBER_FILE}: {field}"


async def _unlocks(
    ctx: LegacyContext,
    *,
    field: str,
    table: Any,
    id_column: str,
    time_column: str,
    resolve: Any,
    unknown_reason: str,
    label: str,
) -> None:
    """Import one "set of ids per member" field (achievements, milestones) idempotently."""
    report = ctx.report
    wanted: set[tuple[int, str]] = set()
    in_files = not_imported = 0
    for member in ctx.members:
        if field not in member.record:
            continue
        values, how = as_array(member.record.get(field))
        if how == "text":
            report.issue("adjusted", _where(field), "stored as JSON text: parsed", key=member.key)
        elif how == "invalid":
            report.issue(
                "skipped",
                _where(field),
                "not readable (not a list): nothing imported",
                key=member.key,
            )
        for raw in values:
            in_files += 1
            found = resolve(raw)
            if found is None:
                report.issue(
                    "skipped",
                    _where(field),
                    unknown_reason,
                    key=raw if isinstance(raw, str | int) else member.key,
                    units=1,
                )
                not_imported += 1
            elif (member.user_id, found) in wanted:
                report.issue(
                    "adjusted",
                    _where(field),
                    "listed twice: recorded once",
                    key=member.key,
                    units=1,
                )
                not_imported += 1
            else:
                wanted.add((member.user_id, found))
    existing = {(r.user_id, r[1]) for r in await ctx.current(table, "user_id", id_column)}
    now = ctx.scope.now()
    rows = [{"user_id": u, id_column: i, time_column: now} for u, i in sorted(wanted - existing)]
    await ctx.upsert(table, rows, update=(), description=f"{label}: writing")
    report.line("progress", label, created=len(rows), unchanged=len(wanted) - len(rows))
    after = {(r.user_id, r[1]) for r in await ctx.current(table, "user_id", id_column)}
    report.total(
        label, in_files=in_files, not_imported=not_imported, in_database=len(wanted & after)
    )


async def import_progress(ctx: LegacyContext) -> None:
    files = ctx.catalog.files
    achievement_ids = {a.id for a in files["achievements"].achievement}  # type: ignore[attr-defined]
    milestone_list = files["milestones"].milestone  # type: ignore[attr-defined]
    milestone_ids = {m.id for m in milestone_list}
    by_threshold = {m.lifetime_chi: m.id for m in milestone_list}

    def achievement(raw: Any) -> str | None:
        if isinstance(raw, str) and raw.strip().lower() in achievement_ids:
            return raw.strip().lower()
        return None

    def milestone(raw: Any) -> str | None:
        if isinstance(raw, str) and raw.strip().lower() in milestone_ids:
            return raw.strip().lower()
        try:
            return by_threshold.get(to_int(raw))
        except LegacyValueError:
            return None

    await _unlocks(
        ctx,
        field="achievements",
        table=achievements,
        id_column="achievement_id",
        time_column="unlocked_at",
        resolve=achievement,
        unknown_reason="unknown achievement id",
        label="achievements",
    )
    if ctx.report.get_total("achievements").in_files:
        ctx.report.note(
            "achievements from the files were recorded as unlocked WITHOUT paying their reward again."
        )
    await _unlocks(
        ctx,
        field="milestones_claimed",
        table=milestones,
        id_column="milestone_id",
        time_column="claimed_at",
        resolve=milestone,
        unknown_reason="not a milestone of this game (the old Nitro milestone list)",
        label="milestones claimed",
    )
    await _permanent_hp(ctx)


async def _permanent_hp(ctx: LegacyContext) -> None:
    report = ctx.report
    wanted: dict[int, int] = {}
    in_files = not_imported = 0
    for member in ctx.members:
        raw = member.record.get(HP_COUNTER)
        if raw is None:
            continue
        try:
            hp = to_int(raw)
        except LegacyValueError:
            report.issue("skipped", _where(HP_COUNTER), "not a whole number", key=member.key)
            continue
        in_files += hp
        if hp < 0:
            report.issue(
                "skipped", _where(HP_COUNTER), "negative: not imported", key=member.key, units=hp
            )
            not_imported += hp
            continue
        if hp > MAX_PERMANENT_HP:
            report.issue(
                "skipped",
                _where(HP_COUNTER),
                f"above this game's cap of {MAX_PERMANENT_HP:,}: the excess is not imported",
                key=member.key,
                units=hp - MAX_PERMANENT_HP,
            )
            not_imported += hp - MAX_PERMANENT_HP
            hp = MAX_PERMANENT_HP
        wanted[member.user_id] = hp
    c = counters.c
    existing = {
        r.user_id: r.value
        for r in await ctx.current(counters, "user_id", "value", where=c.name == HP_COUNTER)
    }
    rows = [
        {"user_id": u, "name": HP_COUNTER, "value": v}
        for u, v in wanted.items()
        if existing.get(u) != v and (v or u in existing)
    ]
    created = sum(1 for r in rows if r["user_id"] not in existing)
    await ctx.upsert(counters, rows, update=("value",), description="permanent HP: writing")
    report.line(
        "progress",
        "permanent_hp counters",
        created=created,
        updated=len(rows) - created,
        unchanged=len(wanted) - len(rows),
    )
    after = {
        r.user_id: r.value
        for r in await ctx.current(counters, "user_id", "value", where=c.name == HP_COUNTER)
    }
    report.total(
        "permanent HP",
        in_files=in_files,
        not_imported=not_imported,
        in_database=sum(after.get(u, 0) for u in wanted),
    )


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter(
        "progress",
        import_progress,
        files=(MEMBER_FILE,),
        fields=("achievements", "milestones_claimed", HP_COUNTER),
        order=30,
    ),
)
"""Progress's importer: achievements, milestones claimed and permanent HP of the member records."""
