"""Teams' part of the legacy import: `teams_data.json` (reference Part 1 §1.3, legacy-social §1).

The old file holds `teams` (legacy id -> record), `user_teams` (user -> legacy team id) and
`pending_invites` (user -> legacy team id). Every `members` list came back empty from the old
database, one-team-per-member is broken, and ids were "count + 1". Decisions (recorded in
docs/legacy-import.md too):

- **Stable key**: `team_legacy_ids` maps (server, legacy id) to the team made of it. A second
  import updates the same teams; a team disbanded here since is reported and NOT recreated.
  New teams get ids from `core.ids.new_id`; the mapping is listed in the report.
- **Membership** is rebuilt from `user_teams` entries, each team's leader (`leader`, else
  `leader_id`) and any non-empty `members`. Ids that are not ids, below 2^22 or the old bot's
  own account are dropped (quarantined, as the framework does for member records). Users
  without a chi record are kept (a real account: the round trip lost records, not people).
  **One team per member**: a user with a `user_teams` entry belongs to that team; otherwise to
  the team they lead with the highest `team_chi` (ties: the lower legacy id); otherwise to the
  first team whose `members` lists them. Every other claim is reported.
- **Leaders**: a team whose leader belongs elsewhere is led by its first remaining member (the
  leader's place in the old order, then `members` in join order, then `user_teams` in file
  order); a team with nobody left cannot exist here (a team needs a leader): it is skipped and
  reported for manual review, with its team chi.
- A user already in another team of this server is left there (reported). Members who joined an
  imported team here are kept. A re-run sets the files' leader again.
- **Values**: the name through `rules.clean_name` (an unusable name becomes "Team <legacy id>",
  a name taken, ignoring case, gets a numbered suffix; both reported); `base_color` (unknown:
  white); `gym_level`, `arena_level` capped at 5; base tier 1 for the old `solo` and `team`
  (they only said "more than one member"), raised to the lowest tier whose cap fits the
  rebuilt membership (never lowered); wins, losses, ties: the larger of the top-level columns
  and `duel_stats`; score `team_score`; **`team_chi` -> lifetime chi** (a never-decreasing
  tally, not money: the bank starts at 0; never lowered below what the server holds);
  trophies 0 (they are earned here; the levels bought with the old wins are kept);
  `created_at` when readable, else the import's time.
- **Base**: `decorations` and `gym_equipment` names -> `team_items` when the item registry
  knows them as a decoration or gym equipment; others reported. `base_modules` and
  `boss_victories` have no counterpart here (reported).
- **Relations**: `allies` -> one row per pair (lower id first), `enemies` -> one-sided rows;
  an alliance ends a rivalry (as here); ids of teams not imported are reported.
- `pending_invites` are reported, not imported: invites here are live sessions that expire.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chibot.core.ids import new_id
from chibot.features.teams import rules
from chibot.features.teams.store import (
    team_items,
    team_legacy_ids,
    team_members,
    team_relations,
    teams,
)
from chibot.legacy import LegacyContext, LegacyImporter, LegacyReport
from chibot.legacy.files import KNOWN_BOT_ACCOUNTS, row_guild_ids
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_snowflake,
    parse_time,
    to_id,
    to_int,
)

FILE = "teams_data.json"
NAME = "teams"
TEAM_COLUMNS = (
    "name", "name_key", "leader_id", "colour", "tier", "gym", "arena", "members",
    "lifetime_chi", "wins", "losses", "ties", "score",
)  # fmt: skip
"""The columns an import sets on a team (bank, trophies, officer limit and the creation time
are set when the team is made and left alone afterwards)."""
MAPPING_SHOWN = 20


def _where(part: str) -> str:
    return f"{FILE}: {part}"


guild_ids = row_guild_ids("teams")
"""The guild ids the team records embed (checked against the target by the framework)."""


# --- reading the file -------------------------------------------------------------------------


@dataclass
class _Team:
    """One legacy team record, read and normalised (nothing written yet)."""

    legacy_id: str
    record: dict[str, Any]
    name: str  # as cleaned, or the fallback (final name decided later)
    name_adjusted: str | None  # why the name could not be used as written
    leader: int | None
    colour: str
    gym: int
    arena: int
    wins: int
    losses: int
    ties: int
    score: int
    team_chi: int
    created_at: datetime | None
    members: list[int] = field(default_factory=list)  # `members` as listed (valid ids)
    linked: list[int] = field(default_factory=list)  # `user_teams` entries pointing here


class _Reader:
    def __init__(self, report: LegacyReport) -> None:
        self.report = report
        self.dropped: set[Any] = set()  # user ids (or raw values) named and dropped
        self.orphans: set[int] = set()  # users whose `user_teams` entry names no team here
        self.records = 0  # team records in the file

    def number(self, team: str, record: dict[str, Any], name: str, *, low: int = 0) -> int:
        raw = record.get(name)
        if raw is None:
            return 0
        try:
            value = to_int(raw)
        except LegacyValueError:
            self.report.issue("skipped", _where(f"teams.{name}"), "not a whole number", key=team)
            return 0
        if value < low:
            self.report.issue(
                "adjusted", _where(f"teams.{name}"), f"below {low}: read as {low}", key=team
            )
            return low
        if isinstance(raw, str):
            self.report.issue("adjusted", _where(f"teams.{name}"), "given as text", key=team)
        return value

    def user(self, raw: Any, where: str) -> int | None:
        """A user id named by the file, or None (reported, and remembered as dropped)."""
        try:
            user_id = to_id(raw)
        except LegacyValueError:
            self.report.issue("skipped", _where(where), "not a user id", key=raw)
            self.dropped.add(("raw", str(raw)))
            return None
        if not is_snowflake(user_id):
            self.report.issue(
                "quarantined", _where(where), "impossible id below 2^22 (a test record)", key=raw
            )
        elif user_id in KNOWN_BOT_ACCOUNTS:
            self.report.issue("quarantined", _where(where), "the old bot's own account", key=raw)
        else:
            return user_id
        self.dropped.add(user_id)
        return None

    def level(self, team: str, record: dict[str, Any], name: str, top: int) -> int:
        value = self.number(team, record, name)
        if value > top:
            self.report.issue(
                "skipped",
                _where(f"teams.{name}"),
                f"above this game's top level {top}: capped",
                key=team,
                units=value - top,
            )
            return top
        return value

    def team(self, legacy_id: str, record: dict[str, Any]) -> _Team:
        report = self.report
        raw_name = record.get("name")
        adjusted: str | None = None
        try:
            name = rules.clean_name(raw_name) if isinstance(raw_name, str) else ""
            if not name:
                raise rules.NameProblem("short")
            if name != raw_name:
                report.issue(
                    "adjusted", _where("teams.name"), "spaces or width normalised", key=legacy_id
                )
        except rules.NameProblem as problem:
            adjusted = problem.problem
            name = f"Team {legacy_id}"
        leader_raw = record.get("leader", record.get("leader_id"))
        if (
            record.get("leader") is not None
            and record.get("leader_id") is not None
            and str(record["leader"]).strip() != str(record["leader_id"]).strip()
        ):
            report.issue(
                "adjusted",
                _where("teams.leader"),
                "leader and leader_id differ: leader (the field the old bot read) kept",
                key=legacy_id,
            )
        leader = None
        if leader_raw is None:
            report.issue("skipped", _where("teams.leader"), "no leader", key=legacy_id)
        else:
            leader = self.user(leader_raw, "teams.leader")
        colour_raw = record.get("base_color")
        colour = rules.parse_colour(colour_raw) if isinstance(colour_raw, str) else None
        if colour is None:
            colour = rules.DEFAULT_COLOUR
            if colour_raw is not None:
                report.issue(
                    "adjusted", _where("teams.base_color"), "unknown colour: white", key=colour_raw
                )
        tier_raw = record.get("base_tier")
        if tier_raw not in (None, "solo", "team"):
            report.issue(
                "adjusted", _where("teams.base_tier"), "unknown base tier: tier 1", key=tier_raw
            )
        stats, how = as_object(record.get("duel_stats"))
        if how == "text":
            report.issue("adjusted", _where("teams.duel_stats"), "stored as JSON text: parsed")
        record_of: dict[str, int] = {}
        for name_ in ("wins", "losses", "ties"):
            top_level = self.number(legacy_id, record, name_)
            inner = self.number(legacy_id, stats, name_)
            if top_level != inner and name_ in record and name_ in stats:
                report.issue(
                    "adjusted",
                    _where(f"teams.{name_}"),
                    "differs from duel_stats: the larger kept (the old bot spent wins)",
                    key=legacy_id,
                )
            record_of[name_] = max(top_level, inner)
        created: datetime | None = None
        if record.get("created_at") is not None:
            try:
                created = parse_time(record["created_at"])
            except LegacyValueError:
                report.issue(
                    "adjusted",
                    _where("teams.created_at"),
                    "not readable: the import's time",
                    key=legacy_id,
                )
        modules, _ = as_object(record.get("base_modules"))
        if any(modules.values()):
            report.issue(
                "not_in_game",
                _where("teams.base_modules"),
                "base modules (training area, armory, garden) have no counterpart here",
                key=legacy_id,
            )
        if record.get("boss_victories"):
            report.issue(
                "not_in_game",
                _where("teams.boss_victories"),
                "per-boss victory counts: not kept here (the score and record are)",
                key=legacy_id,
            )
        return _Team(
            legacy_id=legacy_id,
            record=record,
            name=name,
            name_adjusted=adjusted,
            leader=leader,
            colour=colour,
            gym=self.level(legacy_id, record, "gym_level", rules.GYM_MAX),
            arena=self.level(legacy_id, record, "arena_level", rules.ARENA_MAX),
            wins=record_of["wins"],
            losses=record_of["losses"],
            ties=record_of["ties"],
            score=self.number(legacy_id, record, "team_score"),
            team_chi=self.number(legacy_id, record, "team_chi"),
            created_at=created,
        )


def _legacy_key(raw: Any) -> str | None:
    try:
        return str(to_id(raw))
    except LegacyValueError:
        return None


def _read(report: LegacyReport, data: Any) -> tuple[dict[str, _Team], dict[str, Any], _Reader]:
    """The file's teams (legacy id -> team, in id order), the invites, and the reader (with the
    users it dropped). Links and members lists are attached to their teams."""
    reader = _Reader(report)
    if not isinstance(data, dict):
        if data is not None:
            report.issue("skipped", FILE, "not an object: nothing imported")
        return {}, {}, reader
    parts: dict[str, dict[str, Any]] = {}
    for part in ("teams", "user_teams", "pending_invites"):
        parts[part], how = as_object(data.get(part))
        if how == "text":
            report.issue("adjusted", _where(part), "stored as JSON text: parsed")
        elif how == "invalid":
            report.issue("skipped", _where(part), "not an object: nothing read")
    for extra in sorted(set(data) - set(parts)):
        report.issue("unknown", _where(extra), "part not described by the reference: not read")
    found: dict[str, _Team] = {}
    reader.records = len(parts["teams"])
    for key, record in sorted(parts["teams"].items(), key=lambda kv: _order(kv[0])):
        legacy_id = _legacy_key(key)
        if legacy_id is None:
            report.issue("skipped", _where("teams"), "key is not a team id", key=key)
            continue
        if not isinstance(record, dict):
            report.issue("skipped", _where("teams"), "record is not an object", key=key)
            continue
        if record.get("team_id") is not None and _legacy_key(record["team_id"]) != legacy_id:
            report.issue("skipped", _where("teams"), "team_id differs from the key", key=key)
            continue
        if legacy_id in found:
            report.issue(
                "skipped", _where("teams"), "a second record for the same team id", key=key
            )
            continue
        found[legacy_id] = team = reader.team(legacy_id, record)
        listed, how = as_array(record.get("members"))
        if how == "invalid":
            report.issue("skipped", _where("teams.members"), "not a list", key=key)
        for raw in listed:
            user_id = reader.user(raw, "teams.members")
            if user_id is not None and user_id not in team.members:
                team.members.append(user_id)
    for raw_user, raw_team in parts["user_teams"].items():
        user_id = reader.user(raw_user, "user_teams")
        if user_id is None:
            continue
        target = found.get(_legacy_key(raw_team) or "")
        if target is None:
            report.issue(
                "skipped",
                _where("user_teams"),
                "points to a team not in the file (or not readable): link ignored",
                key=raw_user,
            )
            reader.orphans.add(user_id)  # still named: counted in the totals
            continue
        target.linked.append(user_id)
    return found, parts["pending_invites"], reader


def _order(key: Any) -> tuple[int, str]:
    legacy_id = _legacy_key(key)
    return (int(legacy_id), "") if legacy_id is not None else (2**63, str(key))


# --- membership ---------------------------------------------------------------------------


def _assign(report: LegacyReport, found: dict[str, _Team]) -> dict[int, str]:
    """One team per member (the documented rule): user -> legacy team id."""
    linked: dict[int, str] = {}
    for team in found.values():
        for user_id in team.linked:
            linked.setdefault(user_id, team.legacy_id)
    led: dict[int, list[_Team]] = {}
    listed: dict[int, list[_Team]] = {}
    for team in found.values():
        if team.leader is not None:
            led.setdefault(team.leader, []).append(team)
        for user_id in team.members:
            listed.setdefault(user_id, []).append(team)
    assigned: dict[int, str] = dict(linked)
    for user_id, leads in led.items():
        if user_id in assigned:
            continue
        best = max(leads, key=lambda t: (t.team_chi, -int(t.legacy_id)))
        assigned[user_id] = best.legacy_id
    for user_id, teams_listing in listed.items():
        assigned.setdefault(user_id, teams_listing[0].legacy_id)
    for user_id, leads in led.items():
        for team in leads:
            if assigned[user_id] != team.legacy_id:
                reason = (
                    "leader belongs to the team of their user_teams entry: this team gets "
                    "another leader"
                    if user_id in linked
                    else "leader of several teams: belongs to the one with the most team chi; "
                    "this team gets another leader"
                )
                report.issue("adjusted", _where("teams.leader"), reason, key=user_id)
    for user_id, teams_listing in listed.items():
        for team in teams_listing:
            if assigned[user_id] != team.legacy_id:
                report.issue(
                    "skipped",
                    _where("teams.members"),
                    "listed in another team too: one team per member (user_teams, then "
                    "the team they lead, then the first listing)",
                    key=user_id,
                )
    return assigned


def _ordered(team: _Team) -> list[int]:
    """Who may hold the team, in the old order: the leader, `members` (join order), then the
    `user_teams` entries (file order)."""
    order: list[int] = []
    for user_id in [*([team.leader] if team.leader is not None else []), *team.members]:
        if user_id not in order:
            order.append(user_id)
    for user_id in team.linked:
        if user_id not in order:
            order.append(user_id)
    return order


def _tier_for(members: int, floor: int) -> int:
    for tier in rules.TIERS:
        if tier.level >= floor and tier.member_cap >= members:
            return tier.level
    return rules.MAX_TIER


# --- the import -----------------------------------------------------------------------------


@dataclass
class _Planned:
    team: _Team
    team_id: int
    exists: bool
    members: list[int]  # every member after the import, in order (the leader first)
    leader: int
    name: str = ""


async def import_teams(ctx: LegacyContext) -> None:
    report = ctx.report
    data = ctx.file(FILE)
    found, invites, reader = _read(report, data)
    assigned = _assign(report, found)
    now = ctx.scope.now()
    settings = await ctx.scope.settings.load()

    mapping = {
        r.legacy_id: r.team_id for r in await ctx.current(team_legacy_ids, "legacy_id", "team_id")
    }
    held = {r.team_id: r for r in await ctx.current(teams, "team_id", *TEAM_COLUMNS, "created_at")}
    seated = {
        r.user_id: r
        for r in await ctx.current(team_members, "user_id", "team_id", "role", "joined_at")
    }

    # Which teams can exist, with whom.
    planned: dict[str, _Planned] = {}
    not_placed: set[int] = set()
    chi_skipped = 0
    skipped_teams = 0
    for team in found.values():
        team_id = mapping.get(team.legacy_id)
        wanted = [u for u in _ordered(team) if assigned.get(u) == team.legacy_id]
        if team_id is not None and team_id not in held:
            report.issue(
                "skipped",
                _where("teams"),
                "disbanded in this server since an earlier import: not recreated",
                key=f"{team.legacy_id} {team.name}",
                units=team.team_chi,
            )
            not_placed.update(wanted)
            chi_skipped += team.team_chi
            skipped_teams += 1
            continue
        free: list[int] = []
        for user_id in wanted:
            here = seated.get(user_id)
            if here is not None and here.team_id != team_id:
                report.issue(
                    "skipped",
                    _where("teams: members"),
                    "already in another team of this server: left there",
                    key=user_id,
                )
                not_placed.add(user_id)
            else:
                free.append(user_id)
        kept: list[int] = []
        if team_id is not None:  # members who joined here are kept, longest-standing first
            joined_here = sorted(
                (r for r in seated.values() if r.team_id == team_id and r.user_id not in free),
                key=lambda r: (r.joined_at, r.user_id),
            )
            kept = [r.user_id for r in joined_here]
        top = rules.tier(rules.MAX_TIER).member_cap
        room = max(0, top - len(kept))
        for user_id in free[room:]:
            report.issue(
                "skipped",
                _where("teams: members"),
                f"the team is full at its top tier ({top} members)",
                key=user_id,
            )
            not_placed.add(user_id)
        free = free[:room] + kept
        if not free:
            report.issue(
                "skipped",
                _where("teams"),
                "nobody left to lead it (its members belong to other teams): not imported, "
                "for manual review (units: its team chi)",
                key=f"{team.legacy_id} {team.name}",
                units=team.team_chi,
            )
            chi_skipped += team.team_chi
            skipped_teams += 1
            continue
        leader = free[0]
        if leader != team.leader:
            report.issue(
                "adjusted",
                _where("teams.leader"),
                "led by its first remaining member",
                key=f"{team.legacy_id} {team.name}",
            )
        planned[team.legacy_id] = _Planned(
            team, team_id if team_id is not None else new_id(), team_id is not None, free, leader
        )

    # Names: unique in the server ignoring case (other teams of the server keep theirs).
    ours = {p.team_id for p in planned.values()}
    taken = {r.name_key for r in held.values() if r.team_id not in ours}
    for plan in planned.values():
        team = plan.team
        if team.name_adjusted is not None:
            report.issue(
                "adjusted",
                _where("teams.name"),
                f"name not usable ({team.name_adjusted}): named after its legacy id",
                key=team.legacy_id,
            )
        name, n = team.name, 1
        while rules.name_key(name) in taken:
            n += 1
            suffix = f" {n}"
            name = team.name[: rules.NAME_MAX - len(suffix)].rstrip() + suffix
        if n > 1:
            report.issue(
                "adjusted",
                _where("teams.name"),
                "name taken in this server (ignoring case): numbered",
                key=f"{team.name} -> {name}",
            )
        taken.add(rules.name_key(name))
        plan.name = name

    await _write_teams(ctx, planned, held, settings.team_officer_limit, now)
    await _write_members(ctx, planned, seated, now)
    await _write_items(ctx, found, planned, now)
    await _write_relations(ctx, found, planned, now)
    _invites(report, invites)

    # Totals, read back.
    after_teams = {r.team_id: r for r in await ctx.current(teams, "team_id", "lifetime_chi")}
    after_members = {
        r.user_id: r.team_id for r in await ctx.current(team_members, "user_id", "team_id")
    }
    report.total(
        "teams",
        in_files=reader.records,
        not_imported=skipped_teams + reader.records - len(found),
        in_database=sum(1 for p in planned.values() if p.team_id in after_teams),
    )
    named = set(assigned) | reader.orphans | reader.dropped
    placed = {
        u: planned[t].team_id for u, t in assigned.items() if t in planned and u not in not_placed
    }
    report.total(
        "team members",
        in_files=len(named),
        not_imported=len(reader.dropped) + len(reader.orphans - set(assigned)) + len(not_placed),
        in_database=sum(1 for u, t in placed.items() if after_members.get(u) == t),
    )
    file_chi = sum(t.team_chi for t in found.values())
    report.total(
        "team chi (lifetime)",
        in_files=file_chi,
        not_imported=chi_skipped,
        in_database=sum(
            min(after_teams[p.team_id].lifetime_chi, p.team.team_chi)
            for p in planned.values()
            if p.team_id in after_teams
        ),
    )
    dated = sorted(t.created_at for t in found.values() if t.created_at is not None)
    if found:
        span = f"{dated[0].isoformat()} .. {dated[-1].isoformat()}" if dated else "none"
        report.note(
            f"teams: created_at read as UTC, times {span}; "
            f"{len(found) - len(dated):,} without one are dated at the import."
        )
    if planned:
        report.note(
            f"teams: team_chi (a never-decreasing tally) became lifetime chi, "
            f"{sum(p.team.team_chi for p in planned.values()):,} in all; banks start at 0."
        )


async def _write_teams(
    ctx: LegacyContext,
    planned: dict[str, _Planned],
    held: dict[int, Any],
    officer_limit: int,
    now: datetime,
) -> None:
    rows: list[dict[str, Any]] = []
    created = updated = 0
    for plan in planned.values():
        team = plan.team
        before = held.get(plan.team_id)
        floor = max(1, before.tier if before is not None else 1)
        tier = _tier_for(len(plan.members), floor)
        if tier > floor:
            ctx.report.issue(
                "adjusted",
                _where("teams.base_tier"),
                "tier raised so that its cap fits the rebuilt membership",
                key=team.legacy_id,
            )
        values = {
            "name": plan.name,
            "name_key": rules.name_key(plan.name),
            "leader_id": plan.leader,
            "colour": team.colour,
            "tier": tier,
            "gym": team.gym,
            "arena": team.arena,
            "members": len(plan.members),
            "lifetime_chi": max(team.team_chi, before.lifetime_chi if before is not None else 0),
            "wins": team.wins,
            "losses": team.losses,
            "ties": team.ties,
            "score": team.score,
        }
        if before is not None and all(getattr(before, k) == v for k, v in values.items()):
            continue
        created += before is None
        updated += before is not None
        rows.append(
            {
                "team_id": plan.team_id,
                **values,
                "bank": 0,
                "trophies": 0,
                "officer_limit": officer_limit,
                "created_at": team.created_at or now,
            }
        )
    await ctx.upsert(teams, rows, update=TEAM_COLUMNS, description="teams: writing")
    ctx.report.line(
        NAME, "teams", created=created, updated=updated, unchanged=len(planned) - len(rows)
    )
    mapped = [
        {"legacy_id": p.team.legacy_id, "team_id": p.team_id, "at": now}
        for p in planned.values()
        if not p.exists
    ]
    await ctx.upsert(team_legacy_ids, mapped, update=(), description=None)
    ctx.report.line(
        NAME, "legacy team ids", created=len(mapped), unchanged=len(planned) - len(mapped)
    )
    if planned:
        shown = [
            f"{p.team.legacy_id} -> {p.team_id}" for p in list(planned.values())[:MAPPING_SHOWN]
        ]
        more = len(planned) - len(shown)
        ctx.report.note(
            "teams: legacy team id -> team id: "
            + ", ".join(shown)
            + (f" ... and {more:,} more" if more > 0 else "")
            + " (all in the table team_legacy_ids)."
        )


async def _write_members(
    ctx: LegacyContext, planned: dict[str, _Planned], seated: dict[int, Any], now: datetime
) -> None:
    new: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    unchanged = 0
    for plan in planned.values():
        start = plan.team.created_at or now
        for n, user_id in enumerate(plan.members):
            here = seated.get(user_id)
            role = rules.LEADER if user_id == plan.leader else rules.MEMBER
            if here is None:
                new.append(
                    {
                        "user_id": user_id,
                        "team_id": plan.team_id,
                        "role": role,
                        "joined_at": start + timedelta(microseconds=n),  # keeps the old order
                        "donated": 0,
                        "withdrawn_day": 0,
                        "withdrawn": 0,
                    }
                )
            elif here.role != role and (role == rules.LEADER or here.role == rules.LEADER):
                roles.append(
                    {
                        "user_id": user_id,
                        "team_id": plan.team_id,
                        "role": role,
                        "joined_at": here.joined_at,
                        "donated": 0,
                        "withdrawn_day": 0,
                        "withdrawn": 0,
                    }
                )
            else:
                unchanged += 1
    await ctx.upsert(team_members, new, update=(), description="team members: writing")
    await ctx.upsert(team_members, roles, update=("role",), description=None)
    ctx.report.line(NAME, "team members", created=len(new), updated=len(roles), unchanged=unchanged)


def _names(record: dict[str, Any], part: str, report: LegacyReport, key: str) -> list[Any]:
    values, how = as_array(record.get(part))
    if how == "text":
        report.issue("adjusted", _where(f"teams.{part}"), "stored as JSON text: parsed", key=key)
    elif how == "invalid":
        report.issue("skipped", _where(f"teams.{part}"), "not a list: nothing read", key=key)
    return values


async def _write_items(
    ctx: LegacyContext, found: dict[str, _Team], planned: dict[str, _Planned], now: datetime
) -> None:
    report = ctx.report
    registry = ctx.catalog.items
    wanted: dict[tuple[int, str], int] = {}  # (team, item) -> placed by
    in_files = not_imported = 0
    for team in found.values():
        plan = planned.get(team.legacy_id)
        for part, effect in (("decorations", "decoration"), ("gym_equipment", "gym")):
            where = _where(f"teams.{part}")
            for raw in _names(team.record, part, report, team.legacy_id):
                in_files += 1
                item = registry.find(raw) if isinstance(raw, str) and raw.strip() else None
                reason: tuple[str, str] | None = None
                if plan is None:
                    reason = ("skipped", "its team is not imported")
                elif item is None:
                    reason = ("skipped", "unknown item name (not in this game's item registry)")
                elif item.effect("decoration") is None and item.effect("gym") is None:
                    reason = ("skipped", "not a decoration or gym equipment here")
                elif (plan.team_id, item.id) in wanted:
                    reason = ("adjusted", "listed twice: placed once")
                if reason is not None:
                    report.issue(reason[0], where, reason[1], key=raw, units=1)
                    not_imported += 1
                    continue
                assert item is not None and plan is not None
                if item.effect(effect) is None:
                    report.issue(
                        "adjusted", where, "listed in the other part of the base: placed", key=raw
                    )
                wanted[(plan.team_id, item.id)] = plan.leader
    existing = {(r.team_id, r.item_id) for r in await ctx.current(team_items, "team_id", "item_id")}
    rows = [
        {"team_id": t, "item_id": i, "placed_by": by, "at": now}
        for (t, i), by in wanted.items()
        if (t, i) not in existing
    ]
    await ctx.upsert(team_items, rows, update=(), description=None)
    report.line(NAME, "team items", created=len(rows), unchanged=len(wanted) - len(rows))
    after = {(r.team_id, r.item_id) for r in await ctx.current(team_items, "team_id", "item_id")}
    report.total(
        "team items",
        in_files=in_files,
        not_imported=not_imported,
        in_database=len(set(wanted) & after),
    )


async def _write_relations(
    ctx: LegacyContext, found: dict[str, _Team], planned: dict[str, _Planned], now: datetime
) -> None:
    report = ctx.report
    existing = {
        (r.kind, r.team_a, r.team_b)
        for r in await ctx.current(team_relations, "kind", "team_a", "team_b")
    }
    wanted: set[tuple[str, int, int]] = set()
    in_files = not_imported = 0

    def entries(kind: str) -> Iterable[tuple[str, _Planned | None, Any, _Planned | None]]:
        part = "allies" if kind == "ally" else "enemies"
        for team in found.values():
            for raw in _names(team.record, part, report, team.legacy_id):
                yield part, planned.get(team.legacy_id), raw, planned.get(_legacy_key(raw) or "")

    for kind in ("ally", "enemy"):
        for part, mine, raw, other in entries(kind):
            in_files += 1
            where = _where(f"teams.{part}")
            reason: str | None = None
            if mine is None:
                reason = "its team is not imported"
            elif other is None:
                reason = "names a team not in the file or not imported"
            elif other is mine:
                reason = "names the team itself"
            if mine is None or other is None or reason is not None:
                report.issue("skipped", where, reason or "", key=raw, units=1)
                not_imported += 1
                continue
            a, b = mine.team_id, other.team_id
            if kind == "ally":
                row = ("ally", min(a, b), max(a, b))
                opposite = {("enemy", a, b), ("enemy", b, a)}
            else:
                row = ("enemy", a, b)
                opposite = {("ally", min(a, b), max(a, b))}
            if row in wanted:
                report.issue(
                    "adjusted", where, "listed by both teams or twice: stored once", key=raw,
                    units=1,
                )  # fmt: skip
                not_imported += 1
            elif opposite & wanted:
                report.issue(
                    "skipped", where, "also allied: an alliance ends a rivalry", key=raw, units=1
                )
                not_imported += 1
            elif opposite & existing:
                report.issue(
                    "skipped",
                    where,
                    "this server already holds the opposite relation: left as it is",
                    key=raw,
                    units=1,
                )
                not_imported += 1
            else:
                wanted.add(row)
    rows = [
        {"kind": k, "team_a": a, "team_b": b, "at": now}
        for k, a, b in sorted(wanted)
        if (k, a, b) not in existing
    ]
    await ctx.upsert(team_relations, rows, update=(), description=None)
    report.line(NAME, "team relations", created=len(rows), unchanged=len(wanted) - len(rows))
    after = {
        (r.kind, r.team_a, r.team_b)
        for r in await ctx.current(team_relations, "kind", "team_a", "team_b")
    }
    report.total(
        "team relations",
        in_files=in_files,
        not_imported=not_imported,
        in_database=len(wanted & after),
    )


def _invites(report: LegacyReport, invites: dict[str, Any]) -> None:
    for user, team in invites.items():
        report.issue(
            "not_in_game",
            _where("pending_invites"),
            "expired: invites here are sessions that wait a day; the leader invites again",
            key=f"{user} -> {team}",
        )
    report.total("pending invites", in_files=len(invites), not_imported=len(invites), in_database=0)


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter(NAME, import_teams, files=(FILE,), order=40, guild_ids=guild_ids),
)
"""Teams' importer: teams, their rebuilt membership, base items and relations."""
