"""Pets' legacy import (`chibot/features/pets/legacy.py`) on both backends: pets with their
state, levels and nicknames, the older record format, one of each species, the active pet,
foods into the inventory (unknown ones reported), `owned_pets` reported, totals, a second run
and a run after play that change nothing, a pet adopted here before the import, and another
server untouched."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from support.veterans import seat_veterans

from chibot.app import App
from chibot.core import export
from chibot.core.registry import default_registry
from chibot.core.tables import counters
from chibot.features.pets.store import pets
from chibot.legacy import run_legacy_import, source_from_files

G = 1405243158958309417
OTHER = 1405243158958309999
A = 1300000000000000301  # a dragon and a tiger, foods, the tiger active
B = 1300000000000000302  # the older format (an id, no type)
C = 1300000000000000303  # two oxen, a bad nickname, active_pet naming a pet not had
D = 1300000000000000304  # no pets: active_pet, unknown foods, the rift's owned_pets
E = 1300000000000000305  # nothing readable: an unknown species, a non-record, JSON text
BOUGHT = "2025-11-11 04:00:00.123456+00:00"
ADOPTED = datetime(2025, 11, 11, 4, 0, 0, 123456, tzinfo=UTC)


def chi_file() -> dict:
    return {
        str(A): {
            "user_id": A,
            "chi": 10,
            "active_pet": "tiger",
            "pets": [
                {
                    "type": "dragon",
                    "name": "Dragon",
                    "emoji": "🐉",
                    "nickname": "  Sparky  ",
                    "health": 2500,
                    "max_health": 5000,
                    "level": 1,
                    "xp": 40,
                    "battles_won": 3,
                    "battles_lost": 1,
                    "purchased_at": BOUGHT,
                    "heal_level": 7,  # no cap in the old bot: 5 here
                    "attack_level": 4,
                    "health_level": 1,
                },
                {
                    "type": "tiger",
                    "name": "Tiger",
                    "emoji": "🐯",
                    "nickname": None,
                    "health": 3000,
                    "max_health": 3000,
                    "purchased_at": "2025-11-12T01:02:03Z",
                },
            ],
            "pet_food": {"grass": 5, "dragon_fruit": 2},
            "food_inventory": {"Dragon Fruit": 1, "Bamboo Snack": 3},
        },
        str(B): {
            "user_id": B,
            "chi": 10,
            "active_pet": "baby_panda",
            "pets": [
                {"id": "baby_panda", "name": "Baby Panda", "health": 500, "hunger": 40},
                {"id": "dragon", "name": "Dragon", "purchased_at": BOUGHT},
            ],
        },
        str(C): {
            "user_id": C,
            "chi": 10,
            "active_pet": "dragon",
            "pets": [
                {"type": "ox", "nickname": "@everyone", "purchased_at": BOUGHT},
                {"type": "ox", "nickname": "Second Ox", "purchased_at": BOUGHT},
                {"type": "snake", "nickname": "x" * 30, "purchased_at": "whenever"},
            ],
            "pet_food": json.dumps({"mice": 4}),
        },
        str(D): {
            "user_id": D,
            "chi": 10,
            "active_pet": "dragon",
            "pets": [],
            "pet_food": {"caviar": 4, "hay": "many"},
            "owned_pets": [{"id": 1, "pet_type": "Tiger", "health": 3000, "attack": 100}],
        },
        str(E): {
            "user_id": E,
            "chi": 10,
            "pets": json.dumps([{"type": "unicorn"}, "ox"]),
        },
    }


async def run(app: App, files: dict | None = None, guild_id: int = G):
    source = source_from_files({"chi_data.json": files or chi_file()}, "pets")
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, guild_id=guild_id
    )


async def pets_of(app: App, user: int, guild: int = G) -> dict[str, object]:
    async with app.db.transaction() as conn:
        found = await conn.execute(
            select(pets).where((pets.c.guild_id == guild) & (pets.c.user_id == user))
        )
        return {r.species: r for r in found}


async def held(app: App, user: int, item: str, guild: int = G) -> int:
    return await app.db.scoped(guild, lambda s: s.inventory.qty(user, item))


async def counter(app: App, user: int, name: str, guild: int = G) -> int:
    async with app.db.transaction() as conn:
        value = (
            await conn.execute(
                select(counters.c.value).where(
                    (counters.c.guild_id == guild)
                    & (counters.c.user_id == user)
                    & (counters.c.name == name)
                )
            )
        ).scalar()
        return int(value or 0)


async def dump(app: App, guild: int) -> str:
    return export.dumps(await export.export_guild(app.db, guild))


async def test_two_pets_and_their_foods(app: App) -> None:
    await seat_veterans(app, (G,))
    await app.db.scoped(G, lambda s: s.inventory.add(A, "grass", 10))  # bought here before
    report = await run(app)
    assert report.totals_ok, [t for t in report.totals if not t.ok]
    found = await pets_of(app, A)
    assert set(found) == {"dragon", "tiger"}
    dragon, tiger = found["dragon"], found["tiger"]
    assert (tiger.active, dragon.active) == (1, 0)  # active_pet: the tiger
    assert dragon.nickname == "Sparky" and tiger.nickname is None
    levels = (dragon.heal_level, dragon.health_level, dragon.attack_level, dragon.special_level)
    assert levels == (5, 1, 4, 0)
    assert report.find("adjusted", "chi_data.json: pets.heal_level", "cap (5)")[0].units == 2
    # half its old health, of this game's max (5,000 + 5% for one health level)
    assert (dragon.hunger, dragon.hp) == (100, 2625)
    assert (tiger.hunger, tiger.hp) == (100, 3000)
    assert (dragon.xp, dragon.battles_won, dragon.battles_lost) == (40, 3, 1)
    assert dragon.adopted_at == ADOPTED  # microseconds kept
    assert tiger.adopted_at == datetime(2025, 11, 12, 1, 2, 3, tzinfo=UTC)
    assert dragon.fed_at == app.clock.now()  # the old bot had no hunger: full now
    # foods: added to what was bought here; food_inventory's Dragon Fruit is ours
    assert await held(app, A, "grass") == 15
    assert await held(app, A, "dragon_fruit") == 3
    old_food = report.find("skipped", "chi_data.json: food_inventory", "old pet catalog")
    assert old_food[0].units == 3 and "Bamboo Snack" in old_food[0].examples
    # the counters adopting and training raise (the achievements' engine reads them)
    assert await counter(app, A, "pet_kinds_owned") == 2
    assert await counter(app, A, "dragons_owned") == 1
    assert await counter(app, A, "pet_best_level") == 11  # 1 + 5 + 1 + 4
    # the service reads them like any pet
    views = await app.pets.pets(G, A)
    assert [v.species.key for v in views] == ["dragon", "tiger"]  # in adoption order
    assert next(v for v in views if v.active).species.key == "tiger"
    assert all(v.fed for v in views)
    assert report.get_line("pets", "pets").created == 6  # A 2, B 2, C 2
    totals = {t.what: (t.in_files, t.not_imported, t.in_database) for t in report.totals}
    assert totals["pets"] == (2 + 2 + 3 + 0 + 2, 1 + 2, 6)
    assert totals["pet food"] == (5 + 2 + 1 + 3 + 4 + 4, 3 + 4, 5 + 2 + 1 + 4)


async def test_the_older_format(app: App) -> None:
    report = await run(app)
    found = await pets_of(app, B)
    assert set(found) == {"ox", "dragon"}  # baby_panda is no panda: an ox, as the old bot did
    ox = found["ox"]
    assert ox.active == 1  # active_pet named the old id: that pet
    assert ox.hunger == 40  # an old record's hunger is kept
    assert ox.hp == 500  # 500 of the species' 1,000 (no max_health in the record)
    assert found["dragon"].adopted_at == ADOPTED
    older = report.find("adjusted", "chi_data.json: pets", "older format")
    assert older and older[0].records == 2


async def test_one_of_each_species_nicknames_and_the_active_pet(app: App) -> None:
    report = await run(app)
    found = await pets_of(app, C)
    assert set(found) == {"ox", "snake"}
    assert found["ox"].nickname is None  # "@everyone" is refused: no nickname (not the second's)
    assert found["snake"].nickname is None  # 30 characters: too long here
    assert found["snake"].adopted_at == app.clock.now()  # unreadable time: the import's
    twice = report.find("skipped", "chi_data.json: pets", "second pet of the same species")
    assert twice and f"{C} ox" in twice[0].examples
    bad = report.find("adjusted", "chi_data.json: pets.nickname", "not usable here")
    assert {i.reason for i in bad} >= {
        "not usable here (markup): the pet has no nickname",
        "not usable here (long): the pet has no nickname",
    }
    # active_pet "dragon": C has none; the first pet is active, exactly one
    assert [s for s, r in found.items() if r.active] == ["ox"]
    assert report.find("adjusted", "chi_data.json: active_pet", "names no pet")
    assert await held(app, C, "mice") == 4  # pet_food stored as JSON text
    assert report.find("adjusted", "chi_data.json: pet_food", "JSON text")


async def test_unknown_foods_species_and_what_is_not_in_game(app: App) -> None:
    report = await run(app)
    assert await pets_of(app, D) == {} and await pets_of(app, E) == {}
    assert report.find("skipped", "chi_data.json: active_pet", "active_pet without any pet")
    unknown = report.find("skipped", "chi_data.json: pet_food", "unknown food")
    assert unknown[0].units == 4 and "caviar" in unknown[0].examples
    assert report.find("skipped", "chi_data.json: pet_food", "not a quantity")
    assert await held(app, D, "caviar") == 0 and await held(app, D, "hay") == 0
    rift = report.find("not_in_game", "chi_data.json: owned_pets", "B36")
    assert rift and rift[0].units == 1
    assert report.find("skipped", "chi_data.json: pets.type", "unknown species")
    assert report.find("skipped", "chi_data.json: pets", "not a pet record")
    assert report.find("adjusted", "chi_data.json: pets", "JSON text")
    assert not report.find("not_yet", "pet")  # no pet field is left for later
    assert await counter(app, D, "legacy_pets_imported") == 0  # nothing written for D


async def test_a_second_run_changes_nothing(app: App) -> None:
    first = await run(app)
    before = await dump(app, G)
    second = await run(app)
    assert second.changes == 0 and second.totals_ok
    assert all(x.created == 0 and x.updated == 0 for x in second.lines)
    assert await dump(app, G) == before  # byte for byte
    assert second.get_line("pets", "pets").unchanged == first.get_line("pets", "pets").created


async def test_a_run_after_play_makes_no_pet_and_adds_no_food_again(app: App) -> None:
    await seat_veterans(app, (G,))
    await run(app)
    await app.pets.release(G, A, "tiger")  # the active one: the dragon follows
    await app.db.scoped(G, lambda s: s.inventory.take(A, "dragon_fruit", 3))
    await app.pets.switch(G, B, "dragon")
    again = await run(app)
    assert again.changes == 0 and again.totals_ok
    assert set(await pets_of(app, A)) == {"dragon"}  # not made again
    assert await held(app, A, "dragon_fruit") == 0  # not added again
    assert (await pets_of(app, B))["dragon"].active == 1  # the switch is kept
    assert again.find("skipped", "chi_data.json: pets", "imported by an earlier run")
    eaten = again.find("skipped", "chi_data.json: pet_food", "eaten or sold since")
    assert eaten[0].units == 3


async def test_a_pet_adopted_here_before_the_import_is_kept(app: App) -> None:
    await seat_veterans(app, (G,))
    await app.economy.admin_adjust(G, 1, A, 175_000 + 2_500)
    await app.pets.buy_food(G, A, "raw meat", 10)
    await app.pets.adopt(G, A, "tiger")
    here = (await pets_of(app, A))["tiger"]
    report = await run(app)
    found = await pets_of(app, A)
    assert set(found) == {"dragon", "tiger"}
    assert found["tiger"].pet_id == here.pet_id and found["tiger"].active == 1  # theirs stays
    assert found["dragon"].active == 0
    assert report.find("skipped", "chi_data.json: pets", "adopted before the import")
    assert report.totals_ok


async def test_another_server_is_untouched(app: App) -> None:
    await seat_veterans(app, (OTHER,))
    await app.economy.admin_adjust(OTHER, 1, A, 43_400 + 500)
    await app.pets.buy_food(OTHER, A, "grass", 10)
    await app.pets.adopt(OTHER, A, "ox")
    before = await dump(app, OTHER)
    await run(app)
    await run(app)
    assert await dump(app, OTHER) == before
    assert set(await pets_of(app, A, OTHER)) == {"ox"}
    # the same files imported there: that server's own import (its markers are its own)
    report = await run(app, guild_id=OTHER)
    assert report.totals_ok
    assert set(await pets_of(app, A, OTHER)) == {"ox", "dragon", "tiger"}
    assert (await pets_of(app, A, OTHER))["ox"].active == 1  # its active pet is kept
    assert await held(app, A, "grass", OTHER) == 5  # the 10 bought went to adopting
