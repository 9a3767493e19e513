"""`import-legacy` on both backends, over the hand-written fixtures in fixtures/basic/ (every
anomaly of the reference, Part 1): what lands where, what the report lists, the totals,
idempotency, dry runs, refusals, isolation from other servers, and the importers as values."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chibot.core import export
from chibot.core.registry import default_registry
from chibot.core.tables import (
    GLOBAL_GUILD,
    audit,
    blacklist,
    chest,
    counters,
    inventory,
    ledger,
    members,
)
from chibot.features.pets.store import pets
from chibot.features.progress.store import achievements, milestones
from chibot.legacy import (
    LEGACY_FILES,
    LegacyAborted,
    LegacyImporter,
    LegacyTotalsMismatch,
    read_legacy_dir,
    run_legacy_import,
    source_from_files,
)
from chibot.legacy import framework as legacy_framework
from chibot.legacy.pending import PENDING_FIELDS, PENDING_FILES

FIXTURES = Path(__file__).parent / "fixtures" / "basic"
G = 1405243158958309417  # the guild id embedded in the fixtures
OTHER = 200_000_000_000_000_777
A = 1155891403801514105  # the full record with every optional field
B = 1420636781254283326  # missing the DB columns
NEG, BIG, NO_PET, TEXT_GI, BAD_GI, MISMATCH, NO_CHI, MERGED, NULL, RICH, BAD_CHI = (
    1300000000000000003,
    1300000000000000004,
    1300000000000000005,
    1300000000000000006,
    1300000000000000007,
    1300000000000000008,
    1300000000000000009,
    1300000000000000010,
    1300000000000000011,
    1300000000000000012,
    1300000000000000013,
)
IMPORTED = {A, B, NEG, BIG, NO_PET, TEXT_GI, BAD_GI, NO_CHI, MERGED, RICH}


def fixture_files() -> dict:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in FIXTURES.glob("*.json")}


@pytest.fixture(scope="module")
def importers():
    return default_registry().legacy_importers


async def run(app, files=None, importers=None, **kwargs):
    source = source_from_files(files if files is not None else fixture_files(), "fixtures/basic")
    return await run_legacy_import(
        app.db, app.catalog, source, importers or default_registry().legacy_importers, **kwargs
    )


async def rows(app, table, guild_id=G, *columns):
    async with app.db.transaction() as conn:
        cols = [table.c[c] for c in columns] if columns else [table]
        return list(await conn.execute(select(*cols).where(table.c.guild_id == guild_id)))


async def count(app, table, guild_id=None) -> int:
    async with app.db.transaction() as conn:
        stmt = select(func.count()).select_from(table)
        if guild_id is not None:
            stmt = stmt.where(table.c.guild_id == guild_id)
        return (await conn.execute(stmt)).scalar_one()


async def dump(app, guild_id: int) -> str:
    return export.dumps(await export.export_guild(app.db, guild_id))


# --- the result --------------------------------------------------------------------------


async def test_balances_levels_and_ledger(app) -> None:
    report = await run(app)
    assert report.guild_id == G  # found in the data: no --guild needed
    money = {r.user_id: (r.chi, r.rebirths, r.lifetime_chi) for r in await rows(app, members)}
    assert set(money) == IMPORTED
    assert money[A] == (102_282_229, 4, 102_282_229 + 4 * 500_000)
    assert money[B] == (441, 0, 441)
    assert money[NEG] == (-21, 0, 0)  # negative chi kept; lifetime never negative
    assert money[BIG] == (5_000_000_000, 0, 5_000_000_000)  # above 2^31
    assert money[NO_CHI] == (0, 0, 0)  # missing fields
    assert money[MERGED] == (250, 2, 250 + 2 * 500_000)  # chi as text; pre-merge counters added
    entries = await rows(app, ledger)
    assert all(e.reason == "legacy.import" and e.ref == "chi_data.json" for e in entries)
    by = {(e.user_id, e.currency): (e.delta, e.balance_after) for e in entries}
    assert len(by) == len(entries)  # ONE row per member per currency
    assert by[(A, "chi")] == (102_282_229, 102_282_229) and by[(A, "rebirths")] == (4, 4)
    assert by[(NEG, "chi")] == (-21, -21)
    assert (NO_CHI, "chi") not in by  # nothing to record for a zero balance
    assert sum(d for (_, c), (d, _) in by.items() if c == "chi") == sum(
        m[0] for m in money.values()
    )
    profile = await app.economy.profile(G, A)
    assert profile.chi == 102_282_229 and profile.level == 100  # a sensible level
    assert (await app.economy.profile(G, B)).level == 0


async def test_items_chest_levels_and_hp(app) -> None:
    await run(app)
    inv = {(r.user_id, r.item_id): (r.qty, r.level) for r in await rows(app, inventory)}
    assert inv == {
        (A, "verdant_windblade"): (1, 10),  # bought and held: once; level 12 capped at 10
        (A, "minor_healing_salve"): (4, 0),  # max(bought 1, held 3) + 1 from `potions`
        (A, "pirate_hat"): (1, 0),  # a teams decoration: kept for when teams land
        # gardens: A's Moonshade grew in a rare garden (the old bot never checked the tier
        # lock): it comes back as a seed; `garden_inventory` JSON text with "owned" markers
        (A, "moonshade"): (1, 0),
        (TEXT_GI, "moonshade"): (3, 0),
        (TEXT_GI, "basic_hoe"): (1, 0),  # "owned": a tool, held once
    }
    box = {(r.user_id, r.item_id): (r.qty, r.level) for r in await rows(app, chest)}
    assert box == {
        (A, "crimson_fang_dagger"): (1, 0),
        (A, "minor_healing_salve"): (3, 0),
    }  # duplicates = quantity
    hp = {(r.user_id, r.name): r.value for r in await rows(app, counters)}
    assert hp == {
        (A, "permanent_hp"): 2750,  # 3,000 capped at MAX_PERMANENT_HP
        (RICH, "pet_kinds_owned"): 1,  # the pets' importer: the panda (achievements)
        (RICH, "legacy_pets_imported"): 1,  # and its marker (a re-run imports nothing twice)
    }


async def test_achievements_without_a_second_reward(app) -> None:
    await run(app)
    unlocked = {(r.user_id, r.achievement_id) for r in await rows(app, achievements)}
    assert unlocked == {(A, "first_duel_win"), (A, "millionaire")}
    claimed = {(r.user_id, r.milestone_id) for r in await rows(app, milestones)}
    assert claimed == {(A, "lifetime_1000"), (A, "lifetime_5000")}  # by id, and by threshold (5000)
    assert {e.reason for e in await rows(app, ledger)} == {"legacy.import"}  # no reward was paid
    # The engine, looking now, does not pay them again (A's lifetime chi would reach millionaire).
    new = {a.id for a in await app.progress.check_now(G, A)}
    assert not new & {"first_duel_win", "millionaire"}
    paid_refs = {e.ref for e in await rows(app, ledger) if e.reason == "achievement"}
    assert not paid_refs & {"first_duel_win", "millionaire"}


async def test_settings_and_blacklist(app) -> None:
    await run(app)
    settings = await app.guild_settings.get(G)
    assert settings.log_channel_id == 1405243159000000001
    assert (
        settings.announcement_channel_id == 1405243159000000003
    )  # updates_channel_id, given as text
    assert settings.admin_role_id == 1405243159000000010
    assert settings.quest_role_id == 1405243159000000011
    assert settings.positive_role_id is None  # null in the file: left unset
    assert settings.negative_role_id == 1405243159000000013
    assert await app.admin.blacklisted(G) == [1300000000000000020, 1300000000000000021]
    assert await count(app, blacklist, GLOBAL_GUILD) == 0  # per server, never bot-wide
    assert await app.admin.is_blocked(G, 1300000000000000020)
    assert not await app.admin.is_blocked(OTHER, 1300000000000000020)


async def test_pets_from_the_fixtures(app) -> None:
    await run(app)
    found = {r.user_id: r for r in await rows(app, pets)}
    assert set(found) == {RICH}  # NO_PET's active_pet names no pet: nothing made
    panda = found[RICH]
    assert (panda.species, panda.active, panda.nickname) == ("panda", 1, None)
    assert (panda.hunger, panda.hp) == (100, 4000)  # old health 1500 of 1500: full here
    assert panda.adopted_at == datetime(2025, 11, 11, 4, 0, 0, 123456, tzinfo=UTC)
    assert panda.fed_at == app.clock.now()  # fed at the import's time


# --- the report ----------------------------------------------------------------------------

EXPECTED_ISSUES = [
    # (category, where contains, reason contains, example)
    ("quarantined", "chi_data.json", "below 2^22", "1234567"),
    ("quarantined", "chi_data.json", "user_id differs", str(MISMATCH)),
    ("quarantined", "chi_data.json", "not an object", str(NULL)),
    ("quarantined", "chi_data.json", "key is not a user id", "abc"),
    ("quarantined", "chi_data.json", "chi is not a whole number", str(BAD_CHI)),
    ("quarantined", "teams_data.json: user_teams", "bot's own account", "1426070822682103859"),
    ("skipped", "chi_data.json: active_pet", "active_pet without any pet", str(NO_PET)),
    ("skipped", "chi_data.json: pet_food", "old pet catalog", "Bamboo Snack"),
    ("skipped", "chi_data.json: inventory", "unknown item name", "Dragon Scale"),
    ("skipped", "chi_data.json: chest", "unknown item name", "Old Boot"),
    ("skipped", "chi_data.json: chest", "non-stacking", "Crimson Fang Dagger"),
    ("skipped", "chi_data.json: item_levels", "capped at 10", "Verdant Windblade"),
    ("skipped", "chi_data.json: item_levels", "not held", "Obsidian Reaver"),
    ("skipped", "chi_data.json: item_levels", "cannot be upgraded", "Minor Healing Salve"),
    ("skipped", "chi_data.json: item_levels", "unknown item", "Moon Sword"),
    ("skipped", "chi_data.json: permanent_hp", "cap of 2,750", str(A)),
    ("skipped", "chi_data.json: achievements", "unknown achievement", "not_a_real_one"),
    ("skipped", "chi_data.json: milestones_claimed", "not a milestone", "nitro_boost_1"),
    ("skipped", "blacklisted_users.json", "below 2^22", "1234"),
    ("skipped", "blacklisted_users.json", "not a user id", "not-an-id"),
    ("skipped", "quests_data.json: user_progress", "unknown user", "1382187068373074001"),
    ("skipped", "teams_data.json: teams", "nobody left to lead it", "3 DEAD END"),
    ("adjusted", "teams_data.json: teams.leader", "user_teams entry", str(A)),
    ("skipped", "gardens_data.json: plants", "bare-string", None),
    ("adjusted", "chi_data.json: garden_inventory", "JSON text", str(TEXT_GI)),
    ("adjusted", "chi_data.json: garden_inventory", "not a JSON object", str(BAD_GI)),
    ("adjusted", "chi_data.json: garden_inventory", '"owned"', str(TEXT_GI)),
    ("adjusted", "chi_data.json: ingredients", '"owned"', str(A)),
    ("adjusted", "chi_data.json: user_id", "as text", str(BIG)),
    ("adjusted", "chi_data.json: chi", "missing", str(NO_CHI)),
    ("adjusted", "chi_data.json: chi", "given as str", str(MERGED)),
    ("adjusted", "chi_data.json: positive_rebirths", "pre-merge", str(MERGED)),
    ("adjusted", "purchased_items, inventory", "counted once", "Verdant Windblade"),
    ("adjusted", "chi_data.json: achievements", "listed twice", str(A)),
    ("adjusted", "blacklisted_users.json", "listed twice", "1300000000000000020"),
    ("not_in_game", "teams_data.json: pending_invites", "expired", "1300000000000000003 -> 2"),
    ("not_yet", "quests_data.json: user_progress", "quests", None),
    ("not_yet", "player_shops_data.json: shops", "player shops", None),
    ("not_yet", "chi_data.json: artifacts", "artifacts", None),
    ("not_in_game", "chi_data.json: training_bonuses", "team gym", None),
    ("not_yet", "chi_data.json: inventory", "alchemy", "I3"),
    ("not_yet", "chi_data.json: inventory", "alchemy", "Fire Potion"),
    ("not_yet", "chi_data.json: potions", "alchemy", "Fire Potion"),
    ("not_yet", "chi_data.json: ingredients", "alchemy", "I1"),
    ("not_in_game", "server_config.json: channels.garden_channels", "every channel", None),
    ("adjusted", "gardens_data.json: plants", "below its seed's tier", str(A)),
    ("not_in_game", "server_config.json: channels.duel_channels", "every channel", None),
    ("not_in_game", "server_config.json: channels.pet_channels", "every channel", None),
    ("not_in_game", "shop_data.json", "catalog", None),
    ("not_in_game", "chi_shop_data.json", "catalog", None),
    ("not_in_game", "potions_data.json", "catalog", None),
    ("not_in_game", "achievements_data.json", "catalog", None),
    ("not_in_game", "pet_catalog.json", "catalog", None),
    ("not_in_game", "artifact_state.json", "transient", None),
    ("not_in_game", "error_logs.json", "ops log", None),
    ("not_in_game", "log_config.json", "error channel", None),
    ("not_in_game", "gardens_data.json: garden_event", "transient", None),
    ("not_in_game", "quests_data.json: quests", "stale", None),
    ("not_in_game", "chi_data.json: mining_cooldown", "transient", None),
    ("not_in_game", "chi_data.json: mini_quests", "unused", None),
    ("not_in_game", "chi_data.json: trade_requests", "never used", None),
    ("not_in_game", "chi_data.json: custom_attacks", "weapon", None),
    ("not_in_game", "chi_data.json: rebirth_purchases", "Custom Role", None),
    ("not_in_game", "chi_data.json: rebirth_purchases", "+100 Permanent HP", None),
    ("not_in_game", "server_config.json: features.setup_complete", "setup", None),
    ("unknown", "chi_data.json: mystery_field", "not described", None),
    ("unknown", "extra_notes.json", "not a file of the old bot", None),
]


async def test_the_report_lists_everything_not_imported(app) -> None:
    report = await run(app)
    missing = []
    for category, where, reason, example in EXPECTED_ISSUES:
        found = report.find(category, where, reason)
        if not found or (example is not None and not any(example in i.examples for i in found)):
            missing.append((category, where, reason, example))
    assert not missing, missing
    # The six timestamp shapes were read (spans in the report, nothing unreadable).
    assert not report.find("skipped", reason="timestamp not readable")
    text = json.dumps(report.to_dict())
    # (the gardens' epoch floats: tests/legacy/test_gardens_legacy.py; the pets' str(aware)
    # purchased_at: their adoption time, test_pets_from_the_fixtures)
    for stamp in (
        "2025-11-12T10:11:12.131415+00:00",
        "2025-11-12T01:02:03+00:00",
        "2025-11-10T12:00:00+00:00",
    ):
        assert stamp in text
    assert report.find("not_in_game", "mining_cooldown")[0].records == 1  # the one epoch-int expiry
    assert not report.find("not_yet", "teams_data.json")  # the teams system takes it
    assert (
        report.find("skipped", reason="nobody left to lead it")[0].units == 1000
    )  # team 3's team_chi


async def test_totals_prove_nothing_was_lost(app) -> None:
    report = await run(app)
    assert report.totals_ok
    t = {x.what: (x.in_files, x.not_imported, x.in_database) for x in report.totals}
    assert t["members"] == (15, 5, 10)
    imported_chi = 102_282_229 + 441 - 21 + 5_000_000_000 + 120 + 50 + 60 + 0 + 250 + 1000
    assert t["total chi"] == (imported_chi + 75, 75, imported_chi)  # 70 + 5 in quarantined records
    assert t["total rebirths"] == (6, 0, 6)
    assert t["inventory items"] == (16, 10, 6)
    assert t["chest items"] == (6, 2, 4)
    assert t["achievements"] == (4, 2, 2)
    assert t["milestones claimed"] == (3, 1, 2)
    assert t["permanent HP"] == (3000, 250, 2750)
    assert t["blacklist entries"] == (5, 3, 2)
    assert t["settings"] == (5, 0, 5)
    assert t["teams"] == (3, 1, 2)
    assert t["team chi (lifetime)"] == (150 + 237_742_417 + 1000, 1000, 150 + 237_742_417)
    assert t["team members"] == (4, 1, 3)  # A, PSY, 999 and the bot account (dropped)
    assert t["pending invites"] == (1, 1, 0)
    assert t["pets"] == (1, 0, 1)
    assert t["pet food"] == (2, 2, 0)  # the old catalog's Bamboo Snack has no counterpart


# --- idempotency, dry run, refusals ---------------------------------------------------------


async def test_a_second_run_changes_nothing(app) -> None:
    first = await run(app)
    assert first.changes > 0
    before = await dump(app, G)
    entries, audits = await count(app, ledger), await count(app, audit)
    second = await run(app)
    assert second.changes == 0
    assert all(x.created == 0 and x.updated == 0 for x in second.lines)
    assert await count(app, ledger) == entries and await count(app, audit) == audits
    assert await dump(app, G) == before  # byte for byte
    assert second.totals_ok


async def test_a_rerun_sets_values_and_records_the_difference(app) -> None:
    await run(app)
    await app.economy.admin_adjust(G, 1, A, 1000)  # the server lived on after the import
    await app.db.scoped(G, lambda s: s.inventory.add(A, "minor_healing_salve", 5))
    report = await run(app)
    assert (await app.economy.profile(G, A)).chi == 102_282_229  # SET to the file, not added
    assert report.get_line("members", "members").updated == 1
    delta = [
        e
        for e in await rows(app, ledger)
        if e.user_id == A and e.reason == "legacy.import" and e.currency == "chi"
    ]
    assert sorted(e.delta for e in delta) == [-1000, 102_282_229]
    assert {(r.item_id, r.qty) for r in await rows(app, inventory)} >= {("minor_healing_salve", 4)}
    assert any("SET to the files' values" in n for n in report.notes)


async def test_an_existing_member_keeps_the_higher_lifetime(app) -> None:
    await app.economy.admin_adjust(G, 1, B, 50)
    async with app.db.transaction() as conn:
        await conn.execute(
            members.update().where(members.c.user_id == B).values(lifetime_chi=9_999)
        )
    await run(app)
    chi, rebirths, lifetime = next(
        (r.chi, r.rebirths, r.lifetime_chi) for r in await rows(app, members) if r.user_id == B
    )
    assert (chi, rebirths, lifetime) == (441, 0, 9_999)


async def test_dry_run_writes_nothing(app) -> None:
    empty = await dump(app, G)
    report = await run(app, dry_run=True)
    assert report.dry_run and report.totals_ok
    assert report.get_line("members", "members").created == 10  # what it would do
    assert await dump(app, G) == empty
    for table in (members, ledger, audit, inventory, chest, counters, blacklist, achievements):
        assert await count(app, table) == 0


@pytest.mark.parametrize(
    "change",
    ["member guild_id", "team guild_id", "garden guild_id", "server_config key"],
)
async def test_an_embedded_foreign_guild_aborts_with_nothing_written(app, change) -> None:
    files = fixture_files()
    foreign = 999_999_999_999_999_999
    if change == "member guild_id":
        files["chi_data.json"][str(NEG)]["guild_id"] = foreign
    elif change == "team guild_id":
        files["teams_data.json"]["teams"]["2"]["guild_id"] = str(foreign)
    elif change == "garden guild_id":
        files["gardens_data.json"]["gardens"][str(A)]["guild_id"] = foreign
    else:
        files["server_config.json"]["guilds"][str(foreign)] = {}
    with pytest.raises(LegacyAborted) as refused:
        await run(app, files, guild_id=G)
    assert refused.value.report.find("abort", reason=f"embedded guild_id {foreign}")
    with pytest.raises(LegacyAborted):
        await run(app, files)  # no default: the data names two servers
    for table in (members, ledger, audit, inventory, blacklist):
        assert await count(app, table) == 0


async def test_an_unreadable_guild_id_aborts(app) -> None:
    files = fixture_files()
    files["chi_data.json"][str(B)]["guild_id"] = "the main one"
    with pytest.raises(LegacyAborted) as refused:
        await run(app, files, guild_id=G)
    assert refused.value.report.find("abort", "chi_data.json", "guild id not readable")
    assert await count(app, members) == 0


async def test_a_target_other_than_the_data_aborts(app) -> None:
    with pytest.raises(LegacyAborted) as refused:
        await run(app, guild_id=OTHER)
    report = refused.value.report
    assert report.find("abort", "chi_data.json", f"embedded guild_id {G} is not the target {OTHER}")
    assert await count(app, members) == 0


async def test_guild_zero_and_no_guild_are_refused(app) -> None:
    with pytest.raises(LegacyAborted):
        await run(app, guild_id=0)
    files = {"chi_data.json": {str(A): {"chi": 5}}}  # no guild anywhere
    with pytest.raises(LegacyAborted) as refused:
        await run(app, files)
    assert refused.value.report.find("abort", reason="give --guild")
    report = await run(app, files, guild_id=OTHER)  # explicit target: fine
    assert report.guild_id == OTHER and (await app.economy.profile(OTHER, A)).chi == 5


async def test_an_unreadable_file_aborts(app, tmp_path) -> None:
    for p in FIXTURES.glob("*.json"):
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "chi_data.json").read_text(encoding="utf-8")
    (tmp_path / "chi_data.json").write_text(
        text[: len(text) // 2], encoding="utf-8"
    )  # truncated by a crash
    source = read_legacy_dir(tmp_path)
    with pytest.raises(LegacyAborted) as refused:
        await run_legacy_import(app.db, app.catalog, source, default_registry().legacy_importers)
    assert refused.value.report.find("abort", "chi_data.json", "unreadable")
    assert await count(app, members) == 0
    (tmp_path / "chi_data.json").write_text(text, encoding="utf-8")
    (tmp_path / "pet_catalog.json").write_text(
        "{broken", encoding="utf-8"
    )  # a file we do not import
    report = await run_legacy_import(
        app.db, app.catalog, read_legacy_dir(tmp_path), default_registry().legacy_importers
    )
    assert report.find("skipped", "pet_catalog.json", "could not be checked")
    assert report.totals_ok


async def test_values_beyond_the_game_limits_are_quarantined(app) -> None:
    files = fixture_files()
    files["chi_data.json"][str(B)]["chi"] = 2**62  # would overflow the lifetime total
    files["chi_data.json"][str(NEG)]["rebirths"] = -3
    report = await run(app, files)
    assert report.find("quarantined", "chi_data.json", "chi beyond this game's limits")[
        0
    ].examples == [str(B)]
    assert report.find("quarantined", "chi_data.json", "negative rebirths")[0].examples == [
        str(NEG)
    ]
    assert report.totals_ok and report.get_total("members").in_database == 8


async def test_reading_a_directory_without_legacy_files_is_refused(tmp_path) -> None:
    with pytest.raises(LegacyAborted):
        read_legacy_dir(tmp_path)
    with pytest.raises(LegacyAborted):
        read_legacy_dir(tmp_path / "missing")


# --- isolation ----------------------------------------------------------------------------


async def test_other_servers_are_untouched(app) -> None:
    await app.lifecycle.joined(OTHER, "Other server")
    await app.economy.admin_adjust(OTHER, 1, A, 777)
    await app.db.scoped(
        OTHER, lambda s: s.inventory.add(A, "verdant_windblade", 1, level=2, unique=True)
    )
    await app.guild_settings.set(OTHER, "log_channel_id", 42, by=1)
    await app.admin.blacklist(OTHER, 1300000000000000099, add=True, by=1)
    async with app.db.transaction() as conn:
        await conn.execute(
            blacklist.insert().values(
                guild_id=GLOBAL_GUILD, user_id=1300000000000000098, by_id=1, at=app.clock.now()
            )
        )
    before = await dump(app, OTHER)
    global_before = await rows(app, blacklist, GLOBAL_GUILD)
    await run(app)
    await run(app)
    assert await dump(app, OTHER) == before
    assert await rows(app, blacklist, GLOBAL_GUILD) == global_before
    assert (await app.economy.profile(OTHER, A)).chi == 777


# --- the importers (values passed to run_legacy_import) -------------------------------------


async def test_a_new_system_takes_its_part_and_leaves_the_not_yet_list(app, importers) -> None:
    seen = {}

    async def import_quests(ctx) -> None:
        data = ctx.file("quests_data.json")
        seen["quests"] = len(data["user_progress"])
        ctx.report.line("quests", "progress", created=seen["quests"])

    extra = LegacyImporter("quests-test", import_quests, files=["quests_data.json"], order=50)
    report = await run(app, importers=[*importers, extra])
    assert seen["quests"] > 0
    assert not report.find("not_yet", "quests_data.json")
    assert report.files["quests_data.json"].handled_by == "quests-test"
    assert report.find("not_yet", "player_shops_data.json")  # the others are still listed
    assert report.files["teams_data.json"].handled_by == "teams"  # a system of this release


async def test_a_registered_field_is_no_longer_listed(app, importers) -> None:
    async def import_artifacts(ctx) -> None:
        held = sum(1 for m in ctx.members if m.record.get("artifacts"))
        ctx.report.line("artifacts", "artifacts", created=held)

    extra = LegacyImporter(
        "artifacts-test", import_artifacts, files=["chi_data.json"], fields=["artifacts"]
    )
    report = await run(app, importers=[*importers, extra])
    assert not report.find(where="chi_data.json: artifacts")
    assert report.find("not_yet", "chi_data.json: potions")  # the others are still listed
    assert report.get_line("artifacts", "artifacts").created == 1


async def test_a_check_quarantines_before_anything_is_written(app, importers) -> None:
    extra = LegacyImporter(
        "picky-test",
        _noop,
        files=["chi_data.json"],
        check=lambda r: "too rich" if isinstance(r.get("chi"), int) and r["chi"] > 10**9 else None,
    )
    report = await run(app, importers=[*importers, extra])
    assert report.find("quarantined", "chi_data.json", "too rich")[0].examples == [str(BIG)]
    assert BIG not in {r.user_id for r in await rows(app, members)}
    assert report.totals_ok


async def test_unbalanced_totals_roll_everything_back(app, importers) -> None:
    async def liar(ctx) -> None:
        ctx.report.total("things", in_files=3, not_imported=0, in_database=2)

    extra = LegacyImporter("liar-test", liar, files=["chi_data.json"], order=99)
    with pytest.raises(LegacyTotalsMismatch):
        await run(app, importers=[*importers, extra])
    for table in (members, ledger, audit, inventory, achievements, blacklist):
        assert await count(app, table) == 0


def test_registering_unknown_files_or_fields_is_refused() -> None:
    with pytest.raises(ValueError):
        LegacyImporter("x", _noop, files=["nope.json"])
    with pytest.raises(ValueError):
        LegacyImporter("x", _noop, files=["teams_data.json"], fields=["chi"])


def test_every_system_module_registers_in_order(importers) -> None:
    names = [i.name for i in legacy_framework.running_order(importers)]
    assert names[:2] == ["members", "items"] and {"progress", "blacklist", "settings"} <= set(names)


def test_importers_are_run_in_their_order_and_names_are_unique(importers) -> None:
    late = LegacyImporter("aaa-late", _noop, files=["chi_data.json"], order=1000)
    ordered = legacy_framework.running_order([late, *reversed(importers)])
    assert [i.name for i in ordered][:2] == ["members", "items"] and ordered[-1] is late
    with pytest.raises(ValueError):
        legacy_framework.running_order(
            [*importers, LegacyImporter("members", _noop, files=["chi_data.json"])]
        )


def test_pending_knowledge_is_about_files_and_fields_no_importer_takes(importers) -> None:
    taken_files = {name for i in importers for name in i.files}
    taken_fields = {name for i in importers for name in i.fields}
    assert set(PENDING_FILES) <= set(LEGACY_FILES)
    assert not set(PENDING_FILES) & taken_files
    assert not set(PENDING_FIELDS) & taken_fields


def test_the_framework_imports_no_game_system() -> None:
    import ast
    import inspect

    from chibot import legacy

    for module in (
        legacy,
        legacy_framework,
        *(
            __import__(f"chibot.legacy.{m}", fromlist=["x"])
            for m in ("files", "normalise", "pending", "report", "fixtures")
        ),
    ):
        tree = ast.parse(inspect.getsource(module))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("chibot.features")], module.__name__


async def _noop(ctx) -> None:
    return None
