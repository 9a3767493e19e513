"""Combat's weapons and loadouts against a real database (SQLite and PostgreSQL): every weapon
listed with its code and scaled attacks (the §13.3 multiplier vectors are
in test_combat_rules.py), the strongest held weapon used until one is
equipped, equipping refusals, levels scaling the damage, servers isolated."""

from __future__ import annotations

from support.worded import refused

from chibot.app import App
from chibot.features.combat import errors
from chibot.features.combat.service import attack_code

G, H = 9_201, 9_202
A = 81


async def put(app: App, item: str, *, level: int = 0, guild: int = G, chest: bool = False) -> None:
    async def tx(scope):
        target = scope.chest if chest else scope.inventory
        await target.add(A, item, 1, level=level, unique=True)

    await app.db.scoped(guild, tx)


async def test_every_weapon_is_listed_with_codes(app: App) -> None:
    arsenal = await app.combat.arsenal(G, A)
    assert len(arsenal.lines) == 10 and arsenal.equipped is None
    codes = [line.effect.code for line in arsenal.lines]
    assert codes[:3] == ["VW", "CF", "SP"] and len(set(codes)) == 10
    first = arsenal.lines[0]
    assert attack_code(first.effect, 0) == "VW1" and first.effect.attacks[0].name == (
        "Emerald Laceration"
    )
    assert arsenal.max_hp == 250 and arsenal.fighter_level == 0


async def test_the_strongest_weapon_until_one_is_equipped(app: App) -> None:
    await put(app, "verdant_windblade")
    await put(app, "stormcallers_pike", level=2)
    arsenal = await app.combat.arsenal(G, A)
    assert arsenal.equipped.item.id == "stormcallers_pike"
    # item levels scale the attack ranges: Thunder Piercer 20-35 at +10%
    assert arsenal.damage(arsenal.equipped, arsenal.equipped.effect.attacks[0]) == (22, 38)
    done = await app.combat.equip(G, A, "verdant")
    assert done.item.id == "verdant_windblade" and done.before.id == "stormcallers_pike"
    assert (await app.combat.arsenal(G, A)).equipped.item.id == "verdant_windblade"
    # a weapon that leaves the inventory stops being the one equipped
    await app.db.scoped(G, lambda s: s.inventory.take(A, "verdant_windblade", 1))
    assert (await app.combat.arsenal(G, A)).equipped.item.id == "stormcallers_pike"


async def test_equip_refusals(app: App) -> None:
    await put(app, "obsidian_reaver", chest=True)
    with refused(errors.UnknownWeapon, "no weapon called **frobnicator**"):
        await app.combat.equip(G, A, "frobnicator")
    with refused(errors.NotAWeapon, "**Minor Healing Salve** is not a weapon"):
        await app.combat.equip(G, A, "minor healing salve")
    with refused(errors.WeaponNotHeld, "`buy C1`"):
        await app.combat.equip(G, A, "VW")
    with refused(errors.WeaponInChest, "`chest take Obsidian Reaver`"):
        await app.combat.equip(G, A, "obsidian reaver")
    assert (await app.combat.arsenal(G, A)).equipped is None


async def test_loadouts_are_per_server(app: App) -> None:
    for guild in (G, H):
        await put(app, "verdant_windblade", guild=guild)
        await put(app, "crimson_fang_dagger", guild=guild)
    await app.combat.equip(G, A, "verdant windblade")
    assert (await app.combat.arsenal(G, A)).equipped.item.id == "verdant_windblade"
    assert (await app.combat.arsenal(H, A)).equipped.item.id == "crimson_fang_dagger"
