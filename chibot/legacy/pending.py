"""What the old files hold that no system of this release imports, and why.

The framework reports every file and every member-record field that no importer takes, with
counts, instead of dropping it. For the files and fields that an importer of this release
takes, the knowledge lives with that importer (`chibot/features/<system>/legacy.py`: the files
and fields it names, how it reads them). Everything else has no system folder to live in yet,
so it is kept here, in one place:

- `PENDING_FILES`: the files of systems that do not exist yet (quests, player
  shops: "not imported yet (no such system)") and the files that are never imported (catalogs:
  the game's content is versioned with the code; artifact state: transient; error logs and the
  log config: operations, and the log channel is per server here). Each has a describer that
  counts and checks what is there (timestamps parsed, ids normalised, the bot account and
  unknown users found), so the report says exactly what the future importer will find;
- `PENDING_FIELDS`: the member-record fields of systems that do not exist yet (artifacts,
  bosses, quests) and the fields never imported (cooldowns, unused fields,
  `custom_attacks`), likewise.

Decision: an entry here is ignored as soon as an importer names its file or field (the
framework only consults this module for what no importer takes), so a new system adds its
`legacy.py` and its lines leave the "not imported yet" list; deleting the entry then is
tidying, not a requirement. When the system registry gives systems that are not installed a
place of their own, these entries move there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibot.legacy.files import KNOWN_BOT_ACCOUNTS, MEMBER_FILE, GuildIdsFn
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_empty,
    parse_time,
    to_id,
    units,
)
from chibot.legacy.report import LegacyReport


@dataclass(frozen=True)
class DescribeInput:
    """What a describer may look at besides its file."""

    member_ids: frozenset[int]  # the members being imported


Describer = Callable[[LegacyReport, str, Any, DescribeInput], None]
FieldCheck = Callable[[LegacyReport, str, list[tuple[str, dict[str, Any]]]], None]
"""`(report, where, rows)`: extra checks of one pending member field; rows are (key, record)."""


@dataclass(frozen=True)
class PendingFile:
    name: str
    kind: str  # player | catalog | transient | ops
    system: str | None = None  # the future system that will import it ("not yet"); None: never
    describe: Describer | None = None
    guild_ids: GuildIdsFn | None = (
        None  # where the file embeds guild ids (checked by the framework)
    )


@dataclass(frozen=True)
class PendingField:
    name: str
    system: str | None = None  # future system; None: never imported (see reason)
    reason: str = ""
    times: tuple[str, ...] = ()  # keys of the field's objects that hold timestamps
    is_time: bool = False  # the value itself is a timestamp
    check: FieldCheck | None = None  # further checks, reported per record
    reads: tuple[str, ...] = ()  # other fields of the record that `check` reads


# --- files: describers of what no importer of this release takes ---------------------------


def _time_span(report: LegacyReport, where: str, values: Iterable[Any]) -> str:
    """Parse every timestamp; report the unreadable ones; return "first ... last"."""
    first: datetime | None = None
    last: datetime | None = None
    bad = 0
    for value in values:
        try:
            when = parse_time(value)
        except LegacyValueError:
            bad += 1
            report.issue("skipped", where, "timestamp not readable", key=value)
            continue
        first = when if first is None or when < first else first
        last = when if last is None or when > last else last
    if first is None or last is None:
        return "no timestamps" if not bad else f"{bad} unreadable timestamps"
    span = f"times {first.isoformat()} .. {last.isoformat()}"
    return span + (f", {bad} unreadable" if bad else "")


def _users(report: LegacyReport, where: str, raw_ids: Iterable[Any], known: DescribeInput) -> None:
    """Check user ids of a file that is not imported yet: bot accounts and unknown users."""
    for raw in raw_ids:
        try:
            user_id = to_id(raw)
        except LegacyValueError:
            report.issue("quarantined", where, "not a user id", key=raw)
            continue
        if user_id in KNOWN_BOT_ACCOUNTS:
            report.issue(
                "quarantined", where, "the old bot's own account (will be dropped)", key=raw
            )
        elif user_id not in known.member_ids:
            report.issue(
                "skipped", where, "user without an imported chi record (unknown user)", key=raw
            )


def describe_quests(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    progress, _ = as_object(data.get("user_progress"))
    entries = sum(len(v) for v in progress.values() if isinstance(v, list))
    report.not_yet(
        f"{name}: user_progress",
        "quests",
        records=len(progress),
        units=entries,
        what="units = completed quest indexes",
    )
    _users(report, f"{name}: user_progress", progress.keys(), known)
    quests, _ = as_array(data.get("quests"))
    report.issue(
        "not_in_game",
        f"{name}: quests, month",
        "stale quest texts: the quest catalog comes from the new code",
        records=len(quests),
    )


def describe_player_shops(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    shops, _ = as_object(data.get("shops"))
    listings = [
        row
        for shop in shops.values()
        if isinstance(shop, dict)
        for row in as_array(shop.get("listings"))[0]
        if isinstance(row, dict)
    ]
    times = [
        s["created_at"]
        for s in shops.values()
        if isinstance(s, dict) and s.get("created_at") is not None
    ]
    times += [row["listed_at"] for row in listings if row.get("listed_at") is not None]
    span = _time_span(report, f"{name}: created_at/listed_at", times)
    report.not_yet(
        f"{name}: shops",
        "player shops",
        records=len(shops),
        units=len(listings),
        what=f"units = listings (escrowed items), {span}",
    )
    _users(
        report,
        f"{name}: owner_id",
        (s.get("owner_id") for s in shops.values() if isinstance(s, dict)),
        known,
    )
    if data.get("global_sales"):
        report.issue(
            "not_in_game",
            f"{name}: global_sales",
            "a bot-wide tally: not migrated",
            units=units(data.get("global_sales")),
        )


def describe_catalog(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    entries = 0
    if isinstance(data, dict):
        for value in data.values():
            entries += len(value) if isinstance(value, list | dict) else 0
    report.issue(
        "not_in_game",
        name,
        "legacy catalog: the game's content is versioned with the code (content/*.toml)",
        records=entries,
    )


def describe_transient(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    records = 1 if data else 0
    if name == "artifact_state.json" and isinstance(data, dict):
        active = data.get("active_artifact")
        artifact = active if isinstance(active, dict) else {}
        times = [
            v
            for v in (
                data.get("next_spawn_at"),
                data.get("last_spawn_at"),
                artifact.get("spawned_at"),
                artifact.get("expires_at"),
            )
            if v is not None
        ]
        span = _time_span(report, name, times)
        report.issue(
            "not_in_game",
            name,
            f"transient world state ({span}): reset per server, never migrated",
            records=records,
        )
        return
    if name == "error_logs.json" and isinstance(data, dict):
        logs, _ = as_array(data.get("logs"))
        span = _time_span(
            report,
            name,
            (
                row.get("timestamp")
                for row in logs
                if isinstance(row, dict) and row.get("timestamp") is not None
            ),
        )
        report.issue("not_in_game", name, f"ops log ({span}): never migrated", records=len(logs))
        return
    if name == "log_config.json" and isinstance(data, dict):
        channel = data.get("error_channel_id")
        report.issue(
            "not_in_game",
            name,
            f"bot-wide error channel {channel!r}: this game has a per-server log_channel_id instead",
            records=records,
        )
        return
    report.issue("not_in_game", name, "never migrated", records=records)


PENDING_FILES: dict[str, PendingFile] = {
    f.name: f
    for f in (
        PendingFile("quests_data.json", "player", "quests", describe_quests),
        PendingFile("player_shops_data.json", "player", "player shops", describe_player_shops),
        PendingFile("shop_data.json", "catalog", describe=describe_catalog),
        PendingFile("chi_shop_data.json", "catalog", describe=describe_catalog),
        PendingFile("potions_data.json", "catalog", describe=describe_catalog),
        PendingFile("achievements_data.json", "catalog", describe=describe_catalog),
        PendingFile("pet_catalog.json", "catalog", describe=describe_catalog),
        PendingFile("artifact_state.json", "transient", describe=describe_transient),
        PendingFile("error_logs.json", "ops", describe=describe_transient),
        PendingFile("log_config.json", "ops", describe=describe_transient),
    )
}


# --- member-record fields ---------------------------------------------------------------------


PENDING_FIELDS: dict[str, PendingField] = {
    f.name: f
    for f in (
        PendingField("artifacts", "artifacts", times=("claimed_at",)),
        PendingField(
            "training_bonuses",
            None,
            "stored and never read by the old combat; training bonuses here are the team gym's",
        ),
        PendingField("positive_word_count", "quests"),
        PendingField("custom_attacks", None, "every attack comes with its weapon in this game"),
        PendingField(
            "mining_cooldown",
            None,
            "transient cooldown (an absolute expiry): never migrated",
            is_time=True,
        ),
        PendingField("chi_cooldown", None, "transient cooldown: never migrated"),
        PendingField("trade_requests", None, "never used by the old bot"),
        PendingField("mini_quests", None, "legacy mystery-token quests, unused"),
        PendingField("permanent_chest", None, "nothing in the old bot ever wrote it"),
        PendingField("ores", None, "nothing in the old bot ever wrote it"),
        PendingField("boss_battles", None, "written only by P!reset, unused"),
        PendingField("garden_id", None, "written only by P!reset, unused"),
    )
}


class PendingFieldTally:
    """Describes one pending field of the member records while they stream past (`add` per
    record that has the field, then `finish`): it keeps counts and the timestamps it reports
    on; a field's `check` runs on each record as it passes (on the field and the fields the
    check `reads`), so no record is kept."""

    def __init__(self, spec: PendingField, report: LegacyReport) -> None:
        self.spec = spec
        self.report = report
        self.records = 0
        self.filled = 0
        self.units = 0
        self.stamps: list[Any] = []

    def add(self, key: str, record: dict[str, Any]) -> None:
        spec = self.spec
        value = record[spec.name]
        self.records += 1
        if spec.check is not None:  # checked at once: nothing of the record is kept
            slim = {spec.name: value}
            slim.update((name, record[name]) for name in spec.reads if name in record)
            spec.check(self.report, f"{MEMBER_FILE}: {spec.name}", [(key, slim)])
        if is_empty(value):
            return
        self.filled += 1
        self.units += units(value)
        if spec.times:
            self.stamps += [
                obj.get(time_key)
                for obj in (value.values() if isinstance(value, dict) else as_array(value)[0])
                if isinstance(obj, dict)
                for time_key in spec.times
                if obj.get(time_key) is not None
            ]
        if spec.is_time:
            self.stamps.append(value)

    def finish(self, report: LegacyReport) -> None:
        spec = self.spec
        where = f"{MEMBER_FILE}: {spec.name}"
        detail = f"{self.records:,} records have it"
        if spec.times:
            detail += ", " + _time_span(report, f"{where}.{'/'.join(spec.times)}", self.stamps)
        if spec.is_time:
            detail += ", " + _time_span(report, where, self.stamps)
        if spec.system:
            report.not_yet(
                where,
                spec.system,
                records=self.filled,
                units=self.units,
                what=f"non-empty values ({detail})",
            )
        else:
            report.issue(
                "not_in_game",
                where,
                f"{spec.reason} ({detail})",
                records=self.filled,
                units=self.units,
            )


def describe_pending_field(
    report: LegacyReport, spec: PendingField, rows: list[tuple[str, dict[str, Any]]]
) -> None:
    """Report one field of the member records that no importer takes; `rows` are
    (key, record) of every imported member whose record has the field."""
    tally = PendingFieldTally(spec, report)
    for key, record in rows:
        tally.add(key, record)
    tally.finish(report)
