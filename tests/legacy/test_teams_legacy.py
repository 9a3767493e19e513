"""The teams' legacy import (`chibot/features/teams/legacy.py`) on both backends: the shipped
anomalies of `teams_data.json` (empty `members` lists, two users leading two teams each, the
bot account in `user_teams`, a leader with a pending invite), names, colours, levels, tiers
raised to fit, team chi as lifetime chi, base items, relations, the legacy-id map, totals,
idempotency, a team disbanded here, members already in a team here, and a generated data set."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from chibot.core import export
from chibot.core.registry import default_registry
from chibot.features.teams.store import (
    team_items,
    team_legacy_ids,
    team_members,
    team_relations,
    teams,
)
from chibot.legacy import fixtures as legacy_fixtures
from chibot.legacy import read_legacy_dir, run_legacy_import, source_from_files

G = 1405243158958309417
BOT = 1426070822682103859
PSY = 1382187068373074001
X = 1379186141991014512  # leads teams 6 and 10
Y = 1415694055609729178  # leads teams 9 and 11
INVITED_LEADER = 1092416861305577556  # leads team 2, invited to team 11
M9 = 1300000000000000901  # listed in team 9's `members`
L3, L4, L5, L7, L8 = (1300000000000000003 + i for i in range(5))
ELEVEN = [1300000000000001100 + i for i in range(7)]  # user_teams -> "11"
BASIC = Path(__file__).parent / "fixtures" / "basic"


def team(n: int, name: str, leader: int, chi: int, **extra) -> dict:
    return {
        "team_id": n,
        "name": name,
        "leader_id": leader,
        "leader": str(leader),
        "base_tier": "team",
        "base_color": "white",
        "gym_level": 0,
        "arena_level": 0,
        "team_chi": chi,
        "team_score": 0,
        "wins": 0,
        "losses": 0,
        "ties": 0,
        "duel_stats": {"wins": 0, "losses": 0, "ties": 0},
        "guild_id": G,
        "members": [],
        "base_modules": {},
        "decorations": [],
        "gym_equipment": [],
        "allies": [],
        "enemies": [],
        **extra,
    }


def teams_file() -> dict:
    return {
        "teams": {
            "1": team(1, "The squad", PSY, 150, created_at="2025-11-10T12:00:00"),
            "2": team(2, "It's Us", INVITED_LEADER, 5_000, base_color="orange"),
            "3": team(3, "DEAD END", L3, 1_000, base_color="blue", team_score=12),
            "4": team(4, "Dead End", L4, 10),
            "5": team(5, "@everyone", L5, 20),
            "6": team(6, "Sixes", X, 100),
            "7": team(
                7,
                "Sevens",
                L7,
                70,
                base_tier="solo",
                base_color="chartreuse",
                gym_level=9,
                arena_level=2,
                wins=3,
                losses=1,
                duel_stats={"wins": 5, "losses": 1, "ties": 2},
                decorations=["TV", "Couch", "TV", "Old Boot"],
                gym_equipment=["Treadmill", "Mystery Box"],
                allies=["8", "99"],
                enemies=["8", "2"],
            ),
            "8": team(8, "Eights", L8, 80, allies=["7"], enemies=["3"]),
            "9": team(9, "Nines", Y, 2_000, members=[str(M9)]),
            "10": team(10, "Tens", X, 900),
            "11": team(11, "Elevens", Y, 237_742_417, base_color="purple"),
        },
        "user_teams": {
            **{str(u): "11" for u in ELEVEN},
            str(BOT): "11",
            "1234567": "11",
            "1300000000000000999": "42",  # a team that is not in the file
        },
        "pending_invites": {
            str(INVITED_LEADER): "11",
            "1300000000000001200": "11",
        },
    }


def files(data: dict | None = None) -> dict:
    return {"chi_data.json": {}, "teams_data.json": data or teams_file()}


async def run(app, data=None, **kwargs):
    source = source_from_files(files(data), "teams")
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, guild_id=G, **kwargs
    )


async def rows(app, table, guild_id=G):
    async with app.db.transaction() as conn:
        return list(await conn.execute(select(table).where(table.c.guild_id == guild_id)))


async def by_legacy(app) -> dict[str, object]:
    ids = {r.legacy_id: r.team_id for r in await rows(app, team_legacy_ids)}
    found = {r.team_id: r for r in await rows(app, teams)}
    return {legacy: found[team_id] for legacy, team_id in ids.items() if team_id in found}


async def roster(app) -> dict[int, tuple[int, str]]:
    return {r.user_id: (r.team_id, r.role) for r in await rows(app, team_members)}


# --- the shipped anomalies ----------------------------------------------------------------


async def test_membership_is_rebuilt_one_team_per_member(app) -> None:
    report = await run(app)
    made = await by_legacy(app)
    assert set(made) == {"1", "2", "3", "4", "5", "7", "8", "9", "10", "11"}  # 6: nobody left
    members = await roster(app)
    # every `members` list was empty: the leaders and the user_teams entries make the teams
    assert members[PSY] == (made["1"].team_id, "leader")  # a leader without a chi record
    assert members[INVITED_LEADER] == (made["2"].team_id, "leader")  # the invite is not taken
    # Y leads 9 and 11: belongs to 11 (more team chi); 9 passes to its listed member
    assert members[Y] == (made["11"].team_id, "leader")
    assert members[M9] == (made["9"].team_id, "leader") and made["9"].leader_id == M9
    # X leads 6 and 10: belongs to 10 (more team chi); 6 has nobody left: skipped, reported
    assert members[X] == (made["10"].team_id, "leader")
    skipped = report.find("skipped", "teams_data.json: teams", "nobody left to lead it")
    assert skipped and skipped[0].units == 100 and "6 Sixes" in skipped[0].examples
    # the bot account and an impossible id are dropped; a link to no team is reported
    assert BOT not in members and 1234567 not in members
    assert report.find("quarantined", "user_teams", "bot's own account")[0].examples == [str(BOT)]
    assert report.find("quarantined", "user_teams", "below 2^22")
    assert report.find("skipped", "user_teams", "not in the file")[0].examples == [
        "1300000000000000999"
    ]
    assert report.find("adjusted", "teams.leader", "several teams")
    # the member count is the membership rows
    counted: dict[int, int] = {}
    for team_id, _ in members.values():
        counted[team_id] = counted.get(team_id, 0) + 1
    assert {t.team_id: t.members for t in made.values()} == counted
    assert sum(1 for _, role in members.values() if role == "leader") == len(made)
    # Elevens: 7 members + its leader = 8 > Camp's 5: raised to Outpost (cap 8)
    assert made["11"].members == 8 and made["11"].tier == 2
    assert report.find("adjusted", "base_tier", "raised")
    # invites are reported, not imported
    invites = report.find("not_in_game", "pending_invites", "expired")
    assert invites and invites[0].records == 2


async def test_values_names_and_lifetime_chi(app) -> None:
    report = await run(app)
    made = await by_legacy(app)
    assert made["3"].name == "DEAD END" and made["4"].name == "Dead End 2"  # case-insensitive
    assert made["5"].name == "Team 5"  # "@everyone" is not a usable name
    assert report.find("adjusted", "teams.name", "numbered")
    assert report.find("adjusted", "teams.name", "not usable (markup)")[0].examples == ["5"]
    seven = made["7"]
    assert seven.colour == "white" and made["2"].colour == "orange"  # unknown colour: white
    assert (seven.gym, seven.arena, seven.tier) == (5, 2, 1)  # gym 9 capped; solo -> tier 1
    assert (seven.wins, seven.losses, seven.ties) == (5, 1, 2)  # the larger of the two copies
    assert made["3"].score == 12
    eleven = made["11"]
    assert (eleven.lifetime_chi, eleven.bank, eleven.trophies) == (237_742_417, 0, 0)
    assert made["1"].created_at.isoformat() == "2025-11-10T12:00:00+00:00"
    # new ids, never the legacy ones, and the map is in the report
    assert all(t.team_id > 10**6 for t in made.values())
    assert any("legacy team id -> team id" in n for n in report.notes)


async def test_items_and_relations(app) -> None:
    report = await run(app)
    made = await by_legacy(app)
    placed = {(r.team_id, r.item_id) for r in await rows(app, team_items)}
    seven = made["7"].team_id
    assert placed == {(seven, "tv"), (seven, "couch"), (seven, "treadmill")}
    assert report.find("skipped", "teams.decorations", "unknown item")[0].examples == ["Old Boot"]
    assert report.find("skipped", "teams.gym_equipment", "not a decoration")
    assert report.find("adjusted", "teams.decorations", "listed twice")
    relations = {(r.kind, r.team_a, r.team_b) for r in await rows(app, team_relations)}
    a, b = sorted((seven, made["8"].team_id))
    assert relations == {
        ("ally", a, b),  # listed by both: stored once, lower id first
        ("enemy", seven, made["2"].team_id),  # one-sided
        ("enemy", made["8"].team_id, made["3"].team_id),
    }
    assert report.find("skipped", "teams.allies", "not in the file")[0].examples == ["99"]
    assert report.find("skipped", "teams.enemies", "also allied")


async def test_totals_balance(app) -> None:
    report = await run(app)
    assert report.totals_ok
    t = {x.what: (x.in_files, x.not_imported, x.in_database) for x in report.totals}
    assert t["teams"] == (11, 1, 10)
    chi = 150 + 5_000 + 1_000 + 10 + 20 + 100 + 70 + 80 + 2_000 + 900 + 237_742_417
    assert t["team chi (lifetime)"] == (chi, 100, chi - 100)
    # named: 10 leaders (X and Y twice) + M9 + 7 + bot + 1234567 + the dangling link
    assert t["team members"] == (20, 3, 17)
    assert t["team items"] == (6, 3, 3)
    assert t["team relations"] == (6, 3, 3)
    assert t["pending invites"] == (2, 2, 0)
    assert report.files["teams_data.json"].handled_by.startswith("teams")
    assert not report.find("not_yet", "teams_data.json")


# --- idempotency and a server that lived on ---------------------------------------------------


async def test_a_second_run_changes_nothing(app) -> None:
    first = await run(app)
    assert first.get_line("teams", "teams").created == 10
    before = export.dumps(await export.export_guild(app.db, G))
    second = await run(app)
    assert export.dumps(await export.export_guild(app.db, G)) == before
    for what in ("teams", "team members", "legacy team ids", "team items", "team relations"):
        line = second.get_line("teams", what)
        assert line.created == line.updated == 0, what
    assert second.totals_ok


async def test_dry_run_writes_nothing(app) -> None:
    report = await run(app, dry_run=True)
    assert report.get_line("teams", "teams").created == 10
    assert await rows(app, teams) == [] and await rows(app, team_legacy_ids) == []


async def test_a_team_disbanded_here_is_not_recreated(app) -> None:
    await run(app)
    made = await by_legacy(app)
    await app.teams.disband(G, L7)
    report = await run(app)
    assert "7" not in await by_legacy(app)
    assert report.find("skipped", "teams_data.json: teams", "disbanded in this server")
    assert report.totals_ok
    assert made["7"].team_id not in {t.team_id for t in await rows(app, teams)}


async def test_members_already_in_a_team_here_stay_and_joiners_are_kept(app) -> None:
    await app.economy.admin_adjust(G, 1, ELEVEN[0], 5_000)
    await app.teams.create(G, ELEVEN[0], "Elevens")  # the name and a member taken here
    report = await run(app)
    made = await by_legacy(app)
    members = await roster(app)
    here = next(t for t in await rows(app, teams) if t.name == "Elevens")
    assert members[ELEVEN[0]] == (here.team_id, "leader")
    assert made["11"].name == "Elevens 2" and made["11"].members == 7
    assert report.find("skipped", "teams: members", "already in another team")
    assert report.totals_ok
    # a member who joins an imported team here is kept by a re-run
    newcomer = 1300000000000009999
    await app.db.scoped(G, lambda s: _seat(s, newcomer, made["2"].team_id))
    again = await run(app)
    assert (await roster(app))[newcomer][0] == made["2"].team_id
    assert (await by_legacy(app))["2"].members == 2
    assert again.totals_ok


async def _seat(scope, user_id: int, team_id: int) -> None:
    from chibot.features.teams.store import TeamStore

    assert await scope.get(TeamStore).admit(team_id, user_id, 5)


# --- the shipped fixture and a generated set -------------------------------------------------


async def test_the_basic_fixture(app) -> None:
    source = read_legacy_dir(BASIC)
    report = await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers
    )
    assert report.totals_ok
    made = await by_legacy(app)
    assert set(made) == {"1", "2"}  # A leads 2 and 3, and is linked to 2: 3 has nobody left
    members = await roster(app)
    a = 1155891403801514105
    assert members[a] == (made["2"].team_id, "leader")
    assert members[1300000000000000999] == (made["2"].team_id, "member")
    assert BOT not in members
    assert made["2"].lifetime_chi == 237_742_417 and made["2"].members == 2


async def test_a_generated_set_imports_balanced_and_idempotent(app, tmp_path: Path) -> None:
    legacy_fixtures.generate(tmp_path, members=600, seed=3)
    source = read_legacy_dir(tmp_path)
    importers = default_registry().legacy_importers
    first = await run_legacy_import(app.db, app.catalog, source, importers, guild_id=G)
    assert first.totals_ok
    data = json.loads((tmp_path / "teams_data.json").read_text(encoding="utf-8"))
    made = await by_legacy(app)
    total = first.get_total("teams")
    assert total.in_files == len(data["teams"]) and len(made) == total.in_database
    members = await roster(app)
    assert BOT not in members
    for legacy, row in made.items():
        assert row.members == sum(1 for t, _ in members.values() if t == row.team_id), legacy
    second = await run_legacy_import(app.db, app.catalog, source, importers, guild_id=G)
    assert second.get_line("teams", "teams").created == 0
    assert second.get_line("teams", "teams").updated == 0
    assert second.get_line("teams", "team members").created == 0


@pytest.mark.parametrize("broken", ["not an object", "bad records"])
async def test_broken_parts_are_reported_not_fatal(app, broken) -> None:
    data = copy.deepcopy(teams_file())
    if broken == "not an object":
        data["teams"]["12"] = "a team?"
    else:
        data["teams"]["13"] = team(14, "Mismatch", L3, 5)
        data["user_teams"]["not-an-id"] = "1"
    report = await run(app, data)
    assert report.totals_ok
    assert report.find("skipped", "teams_data.json")
