"""The generator of old-format data sets (the 100,000-member measurement uses it; here at a
small size): deterministic, every anomaly of the reference present, and importable on both
backends with balanced totals and an idempotent second run."""

from __future__ import annotations

import json
from pathlib import Path

from chibot.core.registry import default_registry
from chibot.legacy import fixtures as legacy_fixtures
from chibot.legacy import read_legacy_dir, run_legacy_import
from chibot.legacy.normalise import parse_time

MEMBERS = 2000


def load(directory: Path, name: str):
    return json.loads((directory / name).read_text(encoding="utf-8"))


def test_deterministic_and_complete(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    counts = legacy_fixtures.generate(one, members=MEMBERS, seed=7)
    legacy_fixtures.generate(two, members=MEMBERS, seed=7)
    assert counts["chi_data.json"] == MEMBERS + 6
    names = sorted(p.name for p in one.glob("*.json"))
    assert names == sorted(p.name for p in two.glob("*.json")) and len(names) == 15
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_every_anomaly_is_there(tmp_path: Path) -> None:
    legacy_fixtures.generate(tmp_path, members=MEMBERS, seed=7)
    chi = load(tmp_path, "chi_data.json")
    records = [r for r in chi.values() if isinstance(r, dict)]
    assert "1234567" in chi  # the test record
    assert any(r is None for r in chi.values())  # not an object
    assert "not-a-user" in chi
    assert any(k.startswith("0") for k in chi)  # the same id twice
    assert any(isinstance(r.get("user_id"), str) for r in records)  # string ids
    assert any(isinstance(r.get("user_id"), int) for r in records)  # integer ids
    assert any(isinstance(r.get("chi"), int) and r["chi"] < 0 for r in records)  # negative chi
    assert any(isinstance(r.get("chi"), int) and r["chi"] > 2**31 for r in records)  # above 2^31
    assert any(isinstance(r.get("chi"), str) for r in records)  # a number as text
    assert any(
        "user_id" not in r and "guild_id" not in r and "chi" in r for r in records
    )  # missing DB columns
    assert any("chi" not in r for r in records)  # missing chi
    assert any(isinstance(r.get("garden_inventory"), str) for r in records)  # JSON as text
    assert any("owned" in json.dumps(r.get("garden_inventory")) for r in records)
    assert any(
        r.get("active_pet") and not r.get("pets") for r in records
    )  # active_pet without pets
    chests = [r["chest"] for r in records if r.get("chest")]
    assert chests and all(len(c) > len(set(c)) for c in chests)  # duplicates in chest arrays
    assert any("positive_rebirths" in r for r in records)
    teams = load(tmp_path, "teams_data.json")
    assert str(legacy_fixtures.BOT_ACCOUNT) in teams["user_teams"]  # the bot account
    # The six timestamp shapes, each parseable.
    gardens = load(tmp_path, "gardens_data.json")
    plants = [p for g in gardens["gardens"].values() for p in g["plants"] if isinstance(p, dict)]
    shapes = {
        "epoch float": next(p["planted_at"] for p in plants if "planted_at" in p),
        "epoch int": next(r["mining_cooldown"] for r in records if r.get("mining_cooldown")),
        "naive ISO": next(iter(teams["teams"].values()))["created_at"],
        "str(aware)": next(r["pets"][0]["purchased_at"] for r in records if r.get("pets")),
        "str(naive local)": next(
            row["listed_at"]
            for s in load(tmp_path, "player_shops_data.json")["shops"].values()
            for row in s["listings"]
        ),
        "ISO with Z": next(
            a["claimed_at"]
            for r in records
            for a in r.get("artifacts", [])
            if a["claimed_at"].endswith("Z")
        ),
        "timestamptz text": load(tmp_path, "artifact_state.json")["active_artifact"]["expires_at"],
    }
    assert isinstance(shapes["epoch float"], float) and isinstance(shapes["epoch int"], int)
    assert " " in shapes["str(aware)"] and shapes["str(aware)"].endswith("+00:00")
    assert " " in shapes["str(naive local)"] and "+" not in shapes["str(naive local)"]
    assert shapes["timestamptz text"].endswith("+00")
    for value in shapes.values():
        assert parse_time(value).year == 2025


def test_the_module_runs_without_the_cli(tmp_path: Path, capsys) -> None:
    assert legacy_fixtures.main([str(tmp_path / "out"), "--members", "50", "--seed", "3"]) == 0
    assert "56 member records" in capsys.readouterr().out


async def test_a_generated_set_imports_on_both_backends(app, tmp_path: Path) -> None:
    legacy_fixtures.generate(tmp_path, members=MEMBERS, seed=7)
    source = read_legacy_dir(tmp_path)
    importers = default_registry().legacy_importers
    report = await run_legacy_import(app.db, app.catalog, source, importers)
    assert report.totals_ok
    assert report.get_total("members").in_database == MEMBERS
    assert report.get_total("members").not_imported == 6  # the six planted bad records
    for reason in (
        "below 2^22",
        "user_id differs",
        "not an object",
        "key is not a user id",
        "chi is not a whole number",
        "same user id",
    ):
        assert report.find("quarantined", "chi_data.json", reason), reason
    assert report.find("quarantined", "teams_data.json: user_teams", "bot's own account")
    assert report.find("skipped", "active_pet", "without any pet")
    assert report.find("adjusted", "garden_inventory", "JSON text")
    assert not report.find("skipped", reason="timestamp not readable")
    again = await run_legacy_import(app.db, app.catalog, source, importers)
    assert again.changes == 0 and again.totals_ok
