"""Combat's legacy import (`chibot/features/combat/legacy.py`) on both backends: `duel_stats`
become the duel counters, JSON text and bad values reported, a second run changes nothing, a
record already higher here is kept, another server untouched."""

from __future__ import annotations

import json

from chibot.core.registry import default_registry
from chibot.legacy import run_legacy_import, source_from_files

G = 1405243158958309417
OTHER = 1405243158958309999
A, B, C = 1300000000000000201, 1300000000000000202, 1300000000000000203
NAMES = ["duel_wins", "duel_losses", "duel_ties"]


def chi_file() -> dict:
    return {
        str(A): {"user_id": A, "chi": 10, "duel_stats": {"wins": 12, "losses": 3}},
        str(B): {"user_id": B, "chi": 10, "duel_stats": json.dumps({"wins": 1, "ties": 2})},
        str(C): {"user_id": C, "chi": 10, "duel_stats": {"wins": "many", "losses": -4, "x": 1}},
    }


async def run(app, guild_id: int = G):
    source = source_from_files({"chi_data.json": chi_file()}, "combat")
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, guild_id=guild_id
    )


async def record(app, user: int, guild: int = G) -> dict[str, int]:
    return await app.db.read(guild, lambda s: s.counters.read(user, NAMES))


async def test_duel_records_become_the_duel_counters(app) -> None:
    report = await run(app)
    assert report.totals_ok, [t for t in report.totals if not t.ok]
    assert await record(app, A) == {"duel_wins": 12, "duel_losses": 3, "duel_ties": 0}
    assert await record(app, B) == {"duel_wins": 1, "duel_losses": 0, "duel_ties": 2}
    assert await record(app, C) == dict.fromkeys(NAMES, 0)
    assert report.find("adjusted", "chi_data.json: duel_stats", "JSON text")
    assert report.find("skipped", "chi_data.json: duel_stats.wins", "not a whole number")
    assert report.find("skipped", "chi_data.json: duel_stats.losses", "negative")
    assert report.find("skipped", "chi_data.json: duel_stats.x", "unknown key")
    assert not report.find("not_yet", "duel_stats")


async def test_a_second_run_changes_nothing_and_a_higher_record_is_kept(app) -> None:
    await run(app)
    await app.db.scoped(G, lambda s: s.counters.set(A, "duel_wins", 40))
    await run(app)
    assert (await record(app, A))["duel_wins"] == 40
    assert (await record(app, B))["duel_ties"] == 2
    assert await record(app, A, OTHER) == dict.fromkeys(NAMES, 0)


# --- boss keys -----------------------------------------------------------------------------------


def keys_file() -> dict:
    return {
        str(A): {"user_id": A, "chi": 1, "boss_keys": ["Bamboo Key", "Titan Key", "Bamboo Key"]},
        str(B): {"user_id": B, "chi": 1, "boss_keys": ["Eternal Key"] * 7 + ["Pirate Map"]},
        str(C): {"user_id": C, "chi": 1, "boss_keys": "not a list"},
    }


async def run_keys(app, guild_id: int = G):
    source = source_from_files({"chi_data.json": keys_file()}, "combat")
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, guild_id=guild_id
    )


async def keys(app, user: int, guild: int = G) -> dict[str, int]:
    return {
        item: await app.db.read(guild, lambda s, i=item: s.inventory.qty(user, i))
        for item in ("bamboo_key", "titan_key", "eternal_key")
    }


async def test_boss_keys_become_the_key_items_capped_and_imported_once(app) -> None:
    report = await run_keys(app)
    assert report.totals_ok, [t for t in report.totals if not t.ok]
    assert await keys(app, A) == {"bamboo_key": 2, "titan_key": 1, "eternal_key": 0}
    assert await keys(app, B) == {"bamboo_key": 0, "titan_key": 0, "eternal_key": 3}
    assert report.find("adjusted", "chi_data.json: boss_keys", "at most 3")
    assert report.find("skipped", "chi_data.json: boss_keys", "unknown key")
    assert report.find("skipped", "chi_data.json: boss_keys", "not a list")
    assert not report.find("not_yet", "boss_keys")
    await app.db.scoped(G, lambda s: s.inventory.take(A, "bamboo_key", 2))  # used here since
    again = await run_keys(app)
    assert again.totals_ok and (await keys(app, A))["bamboo_key"] == 0  # not given twice
    assert again.find("skipped", "chi_data.json: boss_keys", "earlier run")
    assert await keys(app, A, OTHER) == dict.fromkeys(("bamboo_key", "titan_key", "eternal_key"), 0)
