"""Export, import, backup and restore of server data.

Proven: export -> import -> export gives the same document byte for byte (also under another
server id); importing one server leaves every other server byte-for-byte unchanged; bad
documents are refused whole (nothing written); a backup restores everything.
"""

from __future__ import annotations

import copy
import json

import pytest

from chibot.core import export
from chibot.core.export import ImportRefused
from chibot.features.combat import engine

G1, G2, G3 = 200_000_000_000_000_201, 200_000_000_000_000_202, 200_000_000_000_000_203
A, B, C = 100_000_000_000_000_201, 100_000_000_000_000_202, 100_000_000_000_000_203


async def populate(app, guild_id: int) -> None:
    await app.lifecycle.joined(guild_id, f"Server {guild_id}")
    await app.economy.admin_adjust(guild_id, 1, A, 1000)
    await app.economy.give(guild_id, A, B, 250)
    await app.economy.daily(guild_id, B)
    await app.economy.chat(guild_id, A, "what a magnificent day")
    await app.guild_settings.set(guild_id, "daily_reward", 300, by=1)
    await app.db.scoped(
        guild_id, lambda s: s.inventory.add(A, "verdant_windblade", 1, level=3, unique=True)
    )
    await app.db.scoped(guild_id, lambda s: s.chest.add(B, "minor_healing_salve", 4))
    await app.db.scoped(guild_id, lambda s: s.counters.bump(A, "items_bought", 2))
    await app.admin.blacklist(guild_id, 100_000_000_000_000_299, add=True, by=1)
    # teams: a team with a member, a bank and its log, an item in its base
    await app.economy.admin_adjust(guild_id, 1, B, 3000)
    await app.economy.admin_adjust(guild_id, 1, A, 1000)
    await app.teams.create(guild_id, A, "Dragons")
    await app.teams.create(guild_id, B, "Wolves")
    await app.teams.leave(guild_id, B)
    await app.teams.invite(guild_id, A, B)
    await app.teams.answer_invite(guild_id, B, None, accept=True)
    await app.teams.donate(guild_id, B, 500)
    await app.db.scoped(guild_id, lambda s: s.inventory.add(B, "tv", 1))
    await app.teams.place(guild_id, B, "tv", "decoration")
    # gardens: a garden with plants (one watered and fertilised) and a server boost
    await app.gardens.create(guild_id, A)
    await app.gardens.buy(guild_id, A, "G12", 3)
    await app.gardens.buy(guild_id, A, "watering bucket")
    await app.gardens.buy(guild_id, A, "fertilizer")
    await app.gardens.start_boost(guild_id, 1, 60)
    await app.gardens.plant(guild_id, A, "silverdew", 2)
    await app.gardens.water(guild_id, A)
    await app.gardens.fertilize(guild_id, A)
    # crafting: a craft in progress (its outcome already decided)
    await app.economy.admin_adjust(guild_id, 1, A, 1000)
    for item in ("moonpetal", "winterleaf"):
        await app.db.scoped(guild_id, lambda s, item=item: s.inventory.add(A, item, 8))
    await app.crafting.start(guild_id, A, "steel rake")
    # combat: a chosen weapon, and a duel settled with a stake and a bet (its pool and bet)
    await app.db.scoped(guild_id, lambda s: s.inventory.add(B, "verdant_windblade", 1, unique=True))
    await app.combat.equip(guild_id, A, "verdant windblade")
    await app.combat.duel(guild_id, A, "Ann", B, "Bob", 50)
    await app.combat.answer_duel(guild_id, B, "Bob", A, accept=True)
    await app.economy.admin_adjust(guild_id, 1, C, 500)
    await app.combat.bet(guild_id, C, 100, A, "Ann")
    await app.combat.act(guild_id, B, engine.Forfeit(str(B)))
    # pets: an ox adopted, named, fed and trained, with food left over
    await app.economy.admin_adjust(guild_id, 1, B, 60_000)
    await app.pets.buy_food(guild_id, B, "grass", 12)
    await app.pets.adopt(guild_id, B, "ox")
    await app.pets.rename(guild_id, B, None, "Sir Moo")
    await app.pets.train(guild_id, B, "attack")


async def test_round_trip_is_identical(app) -> None:
    await populate(app, G1)
    first = export.dumps(await export.export_guild(app.db, G1))
    await export.import_guild(app.db, json.loads(first))
    assert export.dumps(await export.export_guild(app.db, G1)) == first
    doc = json.loads(first)
    assert doc["format"] == "chibot.guild" and doc["version"] == 1
    assert {r["user_id"] for r in doc["parts"]["core"]["members"]} == {A, B, C}
    teams_part = doc["parts"]["teams"]
    assert [t["name"] for t in teams_part["teams"]] == ["Dragons"]
    assert len(teams_part["team_members"]) == 2 and teams_part["team_items"][0]["item_id"] == "tv"
    assert sum(r["delta"] for r in teams_part["team_ledger"]) == 500
    gardens_part = doc["parts"]["gardens"]
    assert [g["tier"] for g in gardens_part["gardens"]] == ["rare"]
    plants = gardens_part["garden_plants"]
    assert len(plants) == 2 and {p["watered"] for p in plants} == {1}
    assert len(gardens_part["garden_boosts"]) == 1
    [craft] = doc["parts"]["crafting"]["crafts"]
    assert (craft["user_id"], craft["recipe"], craft["success"]) == (A, "steel_rake", 1)
    combat = doc["parts"]["combat"]
    assert [r["weapon"] for r in combat["combat_loadouts"]] == ["verdant_windblade"]
    [pool] = combat["combat_pools"]
    assert (pool["status"], pool["stake"], pool["winner"], pool["house"]) == ("settled", 50, A, 5)
    assert [(b["user_id"], b["amount"], b["paid"]) for b in combat["combat_bets"]] == [(C, 100, 95)]
    [pet] = doc["parts"]["pets"]["pets"]
    assert (pet["user_id"], pet["species"], pet["nickname"]) == (B, "ox", "Sir Moo")


async def test_import_under_another_id_copies_the_world(app) -> None:
    await populate(app, G1)
    doc = await export.export_guild(app.db, G1)
    await export.import_guild(app.db, doc, G3)
    copied = await export.export_guild(app.db, G3)
    assert copied["parts"] == doc["parts"]
    assert (await app.economy.profile(G3, A)).chi == (await app.economy.profile(G1, A)).chi


async def test_importing_one_server_leaves_the_others_unchanged(app) -> None:
    await populate(app, G1)
    await populate(app, G2)
    before = export.dumps(await export.export_guild(app.db, G2))
    doc = await export.export_guild(app.db, G1)
    doc["parts"]["core"]["members"] = doc["parts"]["core"]["members"][:1]
    await export.import_guild(app.db, doc, G1)
    assert export.dumps(await export.export_guild(app.db, G2)) == before


def _broken(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("version",), 99, "Unknown export version"),
        (("format",), "something", "not a chibot server export"),
        (("parts", "weapons"), {}, "Unknown parts"),
        (("parts", "core", "dragons"), [], "unknown tables"),
        (("parts", "core"), [], "must map table names to rows"),
        (("parts", "core", "members", 0, "chi"), "lots", "whole number"),
        (("parts", "core", "members", 0, "created_at"), "yesterday", "ISO date"),
        (("parts", "core", "members", 0, "extra"), 1, "columns must be exactly"),
        (("parts", "core", "inventory", 0, "item_id"), None, "cannot be empty"),
    ],
)
async def test_invalid_documents_are_refused_whole(app, path, value, problem) -> None:
    await populate(app, G1)
    doc = await export.export_guild(app.db, G1)
    before = export.dumps(doc)
    with pytest.raises(ImportRefused, match=problem):
        await export.import_guild(app.db, _broken(doc, path, value))
    assert export.dumps(await export.export_guild(app.db, G1)) == before


async def test_backup_and_restore_everything(app) -> None:
    await populate(app, G1)
    await populate(app, G2)
    await app.owner.blacklist(1, 100_000_000_000_000_298, add=True)
    saved = await export.backup(app.db)
    text = export.dumps(saved)
    await app.economy.admin_adjust(G1, 1, A, 5)  # changes after the backup
    await app.lifecycle.joined(G3, "Three")
    assert await export.restore(app.db, json.loads(text)) == 2
    assert export.dumps(await export.backup(app.db)) == text
    assert await app.owner.blacklisted() == [100_000_000_000_000_298]


async def test_cli_export_import(app, tmp_path, monkeypatch) -> None:
    from chibot import cli

    await populate(app, G1)
    await app.db.dispose()
    monkeypatch.setenv("DATABASE_URL", app.db.url)
    out = tmp_path / "g1.json"
    assert (
        await cli._transfer(
            cli.Settings(_env_file=None),
            cli.build_parser().parse_args(["export", "--guild", str(G1), "--out", str(out)]),
        )
        == 0
    )
    assert json.loads(out.read_text())["guild_id"] == G1
    args = cli.build_parser().parse_args(["import", str(out), "--guild", str(G3)])
    assert await cli._transfer(cli.Settings(_env_file=None), args) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "chibot.guild", "version": 7}')
    args = cli.build_parser().parse_args(["import", str(bad)])
    assert await cli._transfer(cli.Settings(_env_file=None), args) == 2
