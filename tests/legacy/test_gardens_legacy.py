"""The gardens' legacy import (`chibot/features/gardens/legacy.py`) on both backends: gardens and
their plants with this game's terms, the old shapes (`seed`/`mature_at`, bare strings), the
capacity and the tier lock (what does not fit comes back as seeds), seeds and tools from
`garden_inventory` / `garden_tools`, Fertilizer Bags into one-use Fertilizer, totals, a second
run, a garden that already exists here, members without a record, isolation, and a generated
data set."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from chibot.core.registry import default_registry
from chibot.core.tables import inventory
from chibot.features.gardens.store import garden_plants, gardens
from chibot.legacy import fixtures as legacy_fixtures
from chibot.legacy import read_legacy_dir, run_legacy_import, source_from_files

G = 1405243158958309417
OTHER = 1405243158958309999
A = 1300000000000000101  # an eternal garden, full of Moonshade, with tools
B = 1300000000000000102  # a rare garden with a Heartvine (tier lock) and odd shapes
C = 1300000000000000103  # only seeds, no garden
NOBODY = 1300000000000000199  # a garden without a chi record
T0 = 1762824179.493111  # 2025-11-11T01:22:59.493111Z
PLANTED = datetime.fromtimestamp(T0, UTC)


def plants(name: str, n: int, start: float = T0) -> list[dict]:
    return [{"name": name, "planted_at": start + i * 0.000003} for i in range(n)]


def gardens_file() -> dict:
    return {
        "gardens": {
            str(A): {
                "user_id": A,
                "tier": "eternal",
                "level": 1,
                "guild_id": G,
                "last_watered": {},
                "plants": plants("Moonshade", 25),  # 18 plots at eternal: 7 come back
            },
            str(B): {
                "user_id": B,
                "tier": "rare",
                "level": 1,
                "guild_id": G,
                "last_watered": {"Lavender": T0},
                "plants": [
                    {"name": "Lavender", "planted_at": T0 + 60},
                    {"seed": "Peace Lily", "mature_at": T0 + 600},  # the older shape
                    {"name": "Heartvine", "planted_at": T0},  # eternal seed in a rare garden
                    {"name": "Silverdew", "planted_at": "when the moon was full"},
                    {"name": "Dragonfruit", "planted_at": T0},  # no such seed
                    "Moonshade",  # a bare string
                ],
            },
            str(NOBODY): {
                "user_id": NOBODY,
                "tier": "rare",
                "guild_id": G,
                "plants": plants("Lavender", 2),
            },
        },
        "garden_event": {"active": False, "end_time": None},
    }


def chi_file() -> dict:
    return {
        str(A): {
            "user_id": A,
            "chi": 1_000,
            "garden_inventory": {"Moonshade Seed": 4, "Fertilizer Bag": 2, "Watering Bucket": 1},
            "fertilizer_uses": 3,
            "garden_tools": {"basic_hoe": 2, "moonstone_trowel": 1},
            "harvest_command_count": 7,
        },
        str(B): {
            "user_id": B,
            "chi": 50,
            "garden_inventory": json.dumps({"Peace Rose": 5, "Golden Watering Can": "owned"}),
            "fertilizer_uses": 0,
        },
        str(C): {"user_id": C, "chi": 5, "garden_inventory": {"Lavender": 2, "Old Boot": 1}},
    }


def files(garden_data: dict | None = None, chi_data: dict | None = None) -> dict:
    return {
        "chi_data.json": chi_data or chi_file(),
        "gardens_data.json": garden_data or gardens_file(),
    }


async def run(app, guild_id: int = G, **kwargs):
    source = source_from_files(files(**kwargs), "gardens")
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, guild_id=guild_id
    )


async def rows(app, table, guild_id=G):
    async with app.db.transaction() as conn:
        return list(await conn.execute(select(table).where(table.c.guild_id == guild_id)))


async def held(app, guild_id=G) -> dict[tuple[int, str], int]:
    return {(r.user_id, r.item_id): r.qty for r in await rows(app, inventory, guild_id)}


async def test_gardens_and_plants_with_this_games_terms(app) -> None:
    report = await run(app)
    assert report.totals_ok, [t for t in report.totals if not t.ok]
    tiers = {r.user_id: r.tier for r in await rows(app, gardens)}
    assert tiers == {A: "eternal", B: "rare"}  # NOBODY has no chi record
    grown = sorted(await rows(app, garden_plants), key=lambda r: (r.user_id, r.planted_at))
    a_plants = [p for p in grown if p.user_id == A]
    assert len(a_plants) == 18 and {p.seed for p in a_plants} == {"moonshade"}  # eternal plots
    first = a_plants[0]
    assert first.planted_at == PLANTED  # microseconds kept
    # Moonshade: 720 minutes, 20% faster at eternal; yield 440 +10% (hoe) +15% and +1 (trowel)
    assert first.ready_at == PLANTED + timedelta(minutes=720 * 0.8)
    assert first.chi == int(440 * 1.25) + 1
    assert not (first.watered or first.fertilized or first.boosted)
    b_plants = [(p.seed, p.planted_at) for p in grown if p.user_id == B]
    lily_ripe = datetime.fromtimestamp(T0 + 600, UTC)
    assert b_plants == [
        ("peace_lily", lily_ripe - timedelta(minutes=10)),  # `mature_at`: ripe then
        ("lavender", datetime.fromtimestamp(T0 + 60, UTC)),
    ]
    assert report.get_total("plants").in_files == 25 + 6 + 2


async def test_seeds_and_tools_come_to_the_inventory(app) -> None:
    report = await run(app)
    items = await held(app)
    assert items[(A, "moonshade")] == 4 + 7  # the file's seeds and the plants beyond 18 plots
    assert items[(A, "fertilizer")] == 2 * 10 - 3  # two bags of ten uses, three spent
    assert items[(A, "watering_bucket")] == 1
    assert items[(A, "basic_hoe")] == 1 and items[(A, "moonstone_trowel")] == 1  # once each
    assert items[(B, "peace_rose")] == 5
    assert items[(B, "golden_watering_can")] == 1  # "owned": a tool
    assert items[(B, "heartvine")] == 1  # grown below its tier: back as a seed
    assert items[(B, "silverdew")] == 1  # its planting time could not be read
    assert items[(C, "lavender")] == 2
    assert (C, "old_boot") not in items
    assert report.find("skipped", "chi_data.json: garden_inventory", "unknown item name")
    assert report.find("adjusted", "chi_data.json: garden_inventory", "JSON text")
    assert report.find("adjusted", "chi_data.json: garden_tools", "held more than once")
    assert report.find("not_in_game", "chi_data.json: harvest_command_count")
    assert report.find("skipped", "gardens_data.json: plants", "bare-string")
    assert report.find("skipped", "gardens_data.json: plants", "unknown seed")
    assert report.find("not_in_game", "gardens_data.json: gardens.last_watered")
    assert report.find("not_in_game", "gardens_data.json: garden_event")
    assert report.find("skipped", "gardens_data.json: gardens", "without an imported chi record")
    assert not report.find("not_yet", "gardens")


async def test_imported_plants_can_be_harvested_once(app) -> None:
    await run(app)
    harvest = await app.gardens.harvest(G, A)
    assert sum(harvest.plants.values()) == 18 and harvest.chi == 18 * (int(440 * 1.25) + 1)
    assert (await app.economy.profile(G, A)).chi == harvest.balance >= 1_000 + harvest.chi
    again = await run(app)  # the garden exists now: the file's plants are not planted again
    assert again.totals_ok
    assert [p for p in await rows(app, garden_plants) if p.user_id == A] == []


async def test_a_second_run_changes_nothing(app) -> None:
    await run(app)
    before = (await rows(app, gardens), await rows(app, garden_plants), await held(app))
    second = await run(app)
    assert second.totals_ok
    assert (await rows(app, gardens), await rows(app, garden_plants), await held(app)) == before
    assert second.get_line("gardens", "gardens").created == 0
    assert second.get_line("gardens", "plants").created == 0
    line = second.get_line("gardens", "garden items (inventory rows)")
    assert line.created == line.updated == 0


async def test_a_garden_founded_here_keeps_its_plants_and_tier_only_rises(app) -> None:
    for user in (A, B):  # both founded a garden here before the import
        await app.economy.admin_adjust(G, 1, user, 100)
        await app.gardens.create(G, user)
    report = await run(app)
    assert report.totals_ok
    tiers = {r.user_id: r.tier for r in await rows(app, gardens)}
    assert tiers == {A: "eternal", B: "rare"}  # A's tier rose to the file's
    assert await rows(app, garden_plants) == []  # nothing planted into existing gardens
    assert report.find("skipped", "gardens_data.json: plants", "already exists")
    items = await held(app)
    assert items[(A, "moonshade")] == 4  # and nothing came back as seeds


async def test_another_server_is_untouched(app) -> None:
    await run(app)
    assert await rows(app, gardens, OTHER) == []
    assert await rows(app, garden_plants, OTHER) == []
    assert await held(app, OTHER) == {}


async def test_a_generated_set_imports_balanced_and_idempotent(app, tmp_path: Path) -> None:
    legacy_fixtures.generate(tmp_path, members=600, seed=5)
    source = read_legacy_dir(tmp_path)
    importers = default_registry().legacy_importers
    first = await run_legacy_import(app.db, app.catalog, source, importers, guild_id=G)
    assert first.totals_ok, [t for t in first.totals if not t.ok]
    assert first.get_total("gardens").in_database > 0
    assert first.get_total("plants").in_database > 0
    second = await run_legacy_import(app.db, app.catalog, source, importers, guild_id=G)
    assert second.totals_ok
    assert second.get_line("gardens", "plants").created == 0
    assert second.get_line("gardens", "garden items (inventory rows)").updated == 0
