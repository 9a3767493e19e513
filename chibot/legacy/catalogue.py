"""What the old bot's files hold, and what happens to each part that no importer takes.

The reference (Part 1 and its appendix) lists every file and every field of a member record.
An importer registered by a game system takes the files and fields it names; everything else
is described here, so that the report can list it with counts instead of dropping it:

- `LEGACY_FILES`: every known file, with the game system that will import it one day (teams,
  gardens, quests, player shops) or the reason it is never imported (catalogs are the game's
  own versioned content; artifact state and error logs are transient; the log config is a
  bot-wide setting that this game keeps per server);
- `MEMBER_FIELDS`: every known field of a `chi_data.json` record that no importer of this
  release takes, likewise;
- describers for the files of systems that do not exist yet: they count what is there and
  check it (timestamps are parsed, ids normalised, the bot account and unknown users found),
  so that the report says exactly what the future importer will find.

When a later system registers an importer for a file or a field, its entry here is simply
no longer used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_empty,
    is_owned_marker,
    parse_time,
    to_id,
    units,
)
from chibot.legacy.report import LegacyReport

MEMBER_FILE = "chi_data.json"
KNOWN_BOT_ACCOUNTS = frozenset({1426070822682103859})
"""The old bot's own application id (§1.2): it appears in `user_teams`. Never a member."""
PSY_ID = 1382187068373074001
"""The old owner's *user* id, which the legacy SQL also used by mistake as a guild id."""


@dataclass(frozen=True)
class DescribeInput:
    """What a describer may look at besides its file."""

    member_ids: frozenset[int]  # the members being imported


Describer = Callable[[LegacyReport, str, Any, DescribeInput], None]


@dataclass(frozen=True)
class LegacyFile:
    name: str
    kind: str  # player | settings | moderation | catalog | transient | ops
    system: str | None = None  # the future system that will import it ("not yet")
    reason: str = ""  # why it is never imported (when system is None)
    describe: Describer | None = None


@dataclass(frozen=True)
class MemberField:
    name: str
    system: str | None = None  # future system; None: never imported (see reason)
    reason: str = ""
    times: tuple[str, ...] = ()  # keys of the field's objects that hold timestamps
    is_time: bool = False  # the value itself is a timestamp


# --- describers of the files of systems that do not exist yet -------------------------------


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
            report.issue("quarantined", where, "the old bot's own account (will be dropped)", key=raw)
        elif user_id not in known.member_ids:
            report.issue("skipped", where, "user without an imported chi record (unknown user)", key=raw)


def describe_teams(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    teams, _ = as_object(data.get("teams"))
    links, _ = as_object(data.get("user_teams"))
    invites, _ = as_object(data.get("pending_invites"))
    span = _time_span(report, f"{name}: teams.created_at", (t["created_at"] for t in teams.values() if isinstance(t, dict) and t.get("created_at") is not None))
    team_chi = sum(t.get("team_chi", 0) for t in teams.values() if isinstance(t, dict) and isinstance(t.get("team_chi"), int))
    report.not_yet(f"{name}: teams", "teams", records=len(teams), units=team_chi, what=f"units = team_chi (a lifetime tally), {span}")
    report.not_yet(f"{name}: user_teams", "teams", records=len(links), what="user -> team links")
    report.not_yet(f"{name}: pending_invites", "teams", records=len(invites), what="invites (would expire)")
    _users(report, f"{name}: user_teams", links.keys(), known)
    leaders: Counter[Any] = Counter()
    for team in teams.values():
        if isinstance(team, dict):
            leader = team.get("leader_id", team.get("leader"))
            try:
                leaders[to_id(leader)] += 1
            except LegacyValueError:
                report.issue("skipped", f"{name}: teams.leader_id", "team without a readable leader", key=team.get("team_id"))
    several = [str(u) for u, n in leaders.items() if n > 1]
    if several:
        report.issue("skipped", f"{name}: teams", "leaders of several teams (need the documented rule)", records=len(several), key=", ".join(several[:3]))


def describe_gardens(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    gardens, _ = as_object(data.get("gardens"))
    plants = []
    bare = 0
    for garden in gardens.values():
        if not isinstance(garden, dict):
            continue
        rows, _ = as_array(garden.get("plants"))
        for plant in rows:
            if isinstance(plant, dict):
                plants.append(plant)
            else:
                bare += 1
    times = (p.get("planted_at", p.get("mature_at")) for p in plants if p.get("planted_at", p.get("mature_at")) is not None)
    span = _time_span(report, f"{name}: plants.planted_at", times)
    report.not_yet(f"{name}: gardens", "gardens", records=len(gardens), units=len(plants), what=f"units = plants, {span}")
    if bare:
        report.issue("skipped", f"{name}: plants", "bare-string plants (the old sync skipped them too)", records=bare)
    _users(report, f"{name}: gardens", gardens.keys(), known)
    if "garden_event" in data:
        report.issue("not_in_game", f"{name}: garden_event", "transient global event state: never migrated")


def describe_quests(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    progress, _ = as_object(data.get("user_progress"))
    entries = sum(len(v) for v in progress.values() if isinstance(v, list))
    report.not_yet(f"{name}: user_progress", "quests", records=len(progress), units=entries, what="units = completed quest indexes")
    _users(report, f"{name}: user_progress", progress.keys(), known)
    quests, _ = as_array(data.get("quests"))
    report.issue("not_in_game", f"{name}: quests, month", "stale quest texts: the quest catalog comes from the new code", records=len(quests))


def describe_player_shops(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    data = data if isinstance(data, dict) else {}
    shops, _ = as_object(data.get("shops"))
    listings = [row for shop in shops.values() if isinstance(shop, dict) for row in as_array(shop.get("listings"))[0] if isinstance(row, dict)]
    times = [s["created_at"] for s in shops.values() if isinstance(s, dict) and s.get("created_at") is not None]
    times += [row["listed_at"] for row in listings if row.get("listed_at") is not None]
    span = _time_span(report, f"{name}: created_at/listed_at", times)
    report.not_yet(f"{name}: shops", "player shops", records=len(shops), units=len(listings), what=f"units = listings (escrowed items), {span}")
    _users(report, f"{name}: owner_id", (s.get("owner_id") for s in shops.values() if isinstance(s, dict)), known)
    if data.get("global_sales"):
        report.issue("not_in_game", f"{name}: global_sales", "a bot-wide tally: not migrated", units=units(data.get("global_sales")))


def describe_catalog(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    entries = 0
    if isinstance(data, dict):
        for value in data.values():
            entries += len(value) if isinstance(value, list | dict) else 0
    report.issue(
        "not_in_game", name,
        "legacy catalog: the game's content is versioned with the code (content/*.toml)",
        records=entries,
    )


def describe_transient(report: LegacyReport, name: str, data: Any, known: DescribeInput) -> None:
    records = 1 if data else 0
    if name == "artifact_state.json" and isinstance(data, dict):
        artifact = data.get("active_artifact") if isinstance(data.get("active_artifact"), dict) else {}
        times = [v for v in (data.get("next_spawn_at"), data.get("last_spawn_at"), artifact.get("spawned_at"), artifact.get("expires_at")) if v is not None]
        span = _time_span(report, name, times)
        report.issue("not_in_game", name, f"transient world state ({span}): reset per server, never migrated", records=records)
        return
    if name == "error_logs.json" and isinstance(data, dict):
        logs, _ = as_array(data.get("logs"))
        span = _time_span(report, name, (row.get("timestamp") for row in logs if isinstance(row, dict) and row.get("timestamp") is not None))
        report.issue("not_in_game", name, f"ops log ({span}): never migrated", records=len(logs))
        return
    if name == "log_config.json" and isinstance(data, dict):
        channel = data.get("error_channel_id")
        report.issue(
            "not_in_game", name,
            f"bot-wide error channel {channel!r}: this game has a per-server log_channel_id instead",
            records=records,
        )
        return
    report.issue("not_in_game", name, "never migrated", records=records)


LEGACY_FILES: dict[str, LegacyFile] = {
    f.name: f
    for f in (
        LegacyFile(MEMBER_FILE, "player"),
        LegacyFile("teams_data.json", "player", system="teams", describe=describe_teams),
        LegacyFile("gardens_data.json", "player", system="gardens", describe=describe_gardens),
        LegacyFile("quests_data.json", "player", system="quests", describe=describe_quests),
        LegacyFile("player_shops_data.json", "player", system="player shops", describe=describe_player_shops),
        LegacyFile("server_config.json", "settings"),
        LegacyFile("blacklisted_users.json", "moderation"),
        LegacyFile("shop_data.json", "catalog", describe=describe_catalog),
        LegacyFile("chi_shop_data.json", "catalog", describe=describe_catalog),
        LegacyFile("potions_data.json", "catalog", describe=describe_catalog),
        LegacyFile("achievements_data.json", "catalog", describe=describe_catalog),
        LegacyFile("pet_catalog.json", "catalog", describe=describe_catalog),
        LegacyFile("artifact_state.json", "transient", describe=describe_transient),
        LegacyFile("error_logs.json", "ops", describe=describe_transient),
        LegacyFile("log_config.json", "ops", describe=describe_transient),
    )
}


MEMBER_FIELDS: dict[str, MemberField] = {
    f.name: f
    for f in (
        MemberField("active_pet", "pets"),
        MemberField("pets", "pets", times=("purchased_at",)),
        MemberField("owned_pets", "pets"),
        MemberField("pet_food", "pets"),
        MemberField("food_inventory", "pets"),
        MemberField("artifacts", "artifacts", times=("claimed_at",)),
        MemberField("garden_inventory", "gardens"),
        MemberField("garden_tools", "gardens"),
        MemberField("fertilizer_uses", "gardens"),
        MemberField("harvest_command_count", "gardens"),
        MemberField("training_bonuses", "combat"),
        MemberField("boss_keys", "combat"),
        MemberField("duel_stats", "combat"),
        MemberField("positive_word_count", "quests"),
        MemberField("custom_attacks", None, "every attack comes with its weapon in this game"),
        MemberField("mining_cooldown", None, "transient cooldown (an absolute expiry): never migrated", is_time=True),
        MemberField("chi_cooldown", None, "transient cooldown: never migrated"),
        MemberField("trade_requests", None, "never used by the old bot"),
        MemberField("mini_quests", None, "legacy mystery-token quests, unused"),
        MemberField("permanent_chest", None, "nothing in the old bot ever wrote it"),
        MemberField("ores", None, "nothing in the old bot ever wrote it"),
        MemberField("boss_battles", None, "written only by P!reset, unused"),
        MemberField("garden_id", None, "written only by P!reset, unused"),
    )
}
FRAMEWORK_FIELDS = frozenset({"user_id", "guild_id"})
"""Checked by the framework itself (key = user_id, guild_id = target)."""


def describe_member_field(report: LegacyReport, spec: MemberField, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """Report one field of the member records that no importer takes; `rows` are
    (key, record) of every imported member whose record has the field."""
    where = f"{MEMBER_FILE}: {spec.name}"
    filled = [(k, r[spec.name]) for k, r in rows if not is_empty(r[spec.name])]
    total_units = sum(units(v) for _, v in filled)
    detail = f"{len(rows):,} records have it"
    if spec.times:
        stamps = [
            obj.get(key)
            for _, v in filled
            for obj in (v.values() if isinstance(v, dict) else as_array(v)[0])
            if isinstance(obj, dict)
            for key in spec.times
            if obj.get(key) is not None
        ]
        detail += ", " + _time_span(report, f"{where}.{'/'.join(spec.times)}", stamps)
    if spec.is_time:
        detail += ", " + _time_span(report, where, (v for _, v in filled))
    if spec.system:
        report.not_yet(where, spec.system, records=len(filled), units=total_units, what=f"non-empty values ({detail})")
    else:
        report.issue("not_in_game", where, f"{spec.reason} ({detail})", records=len(filled), units=total_units)
    if spec.name == "garden_inventory":
        for key, record in rows:
            obj, how = as_object(record[spec.name])
            if how == "text":
                report.issue("adjusted", where, "stored as JSON text: parsed", key=key)
            elif how == "invalid":
                report.issue("adjusted", where, "not a JSON object (read as {})", key=key)
            owned = sum(1 for v in obj.values() if is_owned_marker(v))
            if owned:
                report.issue("adjusted", where, 'legacy "owned" values read as 0', key=key, units=owned)
    if spec.name == "active_pet":
        for key, record in rows:
            if not is_empty(record[spec.name]) and not as_array(record.get("pets"))[0]:
                report.issue("skipped", where, "active_pet without any pet (would be imported as null)", key=key)
