"""Pets' use cases against a real database (SQLite and PostgreSQL), with a fixed clock:
adopting (chi and food taken, one of each kind), feeding (food used up, hunger over time,
health following it), training (cost, cooldown, cap), switch, rename, release (nothing
back), the hooks for combat, gardens and the market; refusals write nothing; servers are
isolated; 100 feedings at once with food for 10 feed exactly 10."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from support.veterans import seat_veterans
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi, OnCooldown
from chibot.features.gardens.store import garden_plants
from chibot.features.pets import errors
from chibot.features.shop.errors import InPetShop

G, H = 9_201, 9_202
A, B = 81, 82


@pytest.fixture(autouse=True)
async def veterans(app: App) -> None:
    await seat_veterans(app, (G, H))


async def fund(app: App, user: int, chi: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, 1, user, chi)


async def chi(app: App, user: int, guild: int = G) -> int:
    return (await app.economy.profile(guild, user)).chi


async def held(app: App, user: int, item: str, guild: int = G) -> int:
    return await app.db.scoped(guild, lambda s: s.inventory.qty(user, item))


async def active(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: app.pets.active_pet(s, user))


async def bonus(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: app.pets.garden_bonus(s, user, s.now()))


async def adopted_ox(app: App, user: int = A, guild: int = G) -> None:
    await fund(app, user, 43_400 + 500, guild)
    await app.pets.buy_food(guild, user, "grass", 10)
    await app.pets.adopt(guild, user, "ox")


async def test_adopting_takes_the_chi_and_the_food_and_one_of_each_kind(app: App) -> None:
    await fund(app, A, 50_000)
    with refused(errors.NoAdoptionFood, "10 **Grass**"):
        await app.pets.adopt(G, A, "Ox")
    await app.pets.buy_food(G, A, "grass", 10)
    done = await app.pets.adopt(G, A, "Ox")
    assert done.active and done.pet.species.key == "ox" and done.pet.condition.hunger == 100
    assert await chi(app, A) == 50_000 - 500 - 43_400
    assert await held(app, A, "grass") == 0
    await app.pets.buy_food(G, A, "grass", 10)
    with refused(errors.AlreadyOwnSpecies, "already have a **Ox**"):
        await app.pets.adopt(G, A, "ox")
    with pytest.raises(NotEnoughChi):
        await app.pets.adopt(G, A, "dragon")
    with refused(errors.UnknownSpecies, "unicorn"):
        await app.pets.adopt(G, A, "unicorn")
    assert await held(app, A, "grass") == 10  # refusals took nothing


async def test_food_is_sold_by_the_pet_shop_not_the_chi_shop(app: App) -> None:
    await fund(app, A, 1_000)
    with refused(InPetShop, "`pet shop buy F1`"):
        await app.shop.buy(G, A, "F1", 1)
    with refused(errors.UnknownFood, "gravel"):
        await app.pets.buy_food(G, A, "gravel", 1)
    done = await app.pets.buy_food(G, A, "F1", 4)
    assert done.total == 200 and done.held == 4


async def test_hunger_falls_health_follows_and_feeding_restores_it(app: App) -> None:
    await adopted_ox(app)
    app.clock.advance(hours=24)
    pet = await app.pets.info(G, A)
    assert pet.condition.hunger == 50 and pet.fed and pet.condition.hp == 1000
    app.clock.advance(hours=22)  # 10 h starving: -2% an hour
    pet = await app.pets.info(G, A)
    assert not pet.fed and pet.condition.hp == 800
    assert await bonus(app, A) is None
    assert not (await active(app, A)).fed
    app.clock.advance(days=30)
    assert (await app.pets.info(G, A)).condition.hp == 100  # the floor: no pet dies
    with refused(errors.NoFood, "**Fish**"):
        await app.pets.feed(G, A, "fish")
    await fund(app, A, 1_000)
    await app.pets.buy_food(G, A, "raw meat", 1)
    done = await app.pets.feed(G, A, "raw meat")
    assert (done.hunger_before, done.pet.condition.hunger) == (0, 30)
    assert done.pet.condition.hp == 400 and done.pet.fed
    found = await bonus(app, A)
    assert found is not None and found.yield_pct == 3


async def test_a_full_healthy_pet_is_not_fed_the_food_is_kept(app: App) -> None:
    await adopted_ox(app)
    await fund(app, A, 100)
    await app.pets.buy_food(G, A, "grass", 1)
    with refused(errors.NotHungry, "full and healthy"):
        await app.pets.feed(G, A, "grass")
    assert await held(app, A, "grass") == 1


async def test_a_hundred_feedings_at_once_with_food_for_ten_feed_exactly_ten(app: App) -> None:
    await adopted_ox(app)
    app.clock.advance(days=10)  # starving, at the floor: 100 HP, hunger 0
    await fund(app, A, 500)
    await app.pets.buy_food(G, A, "grass", 10)
    results = await asyncio.gather(
        *(app.pets.feed(G, A, "grass") for _ in range(100)), return_exceptions=True
    )
    fed = [r for r in results if not isinstance(r, BaseException)]
    refusals = [r for r in results if isinstance(r, BaseException)]
    assert len(fed) == 10
    # the food runs out, or (once the ten are eaten) the pet is full: nothing else
    assert all(isinstance(r, errors.NoFood | errors.NotHungry) for r in refusals)
    pet = await app.pets.info(G, A)
    assert (pet.condition.hunger, pet.condition.hp) == (100, 1000)
    assert await held(app, A, "grass") == 0


async def test_training_costs_chi_has_a_cooldown_a_cap_and_a_real_effect(app: App) -> None:
    await adopted_ox(app)
    await fund(app, A, 100_000)
    before = await chi(app, A)
    done = await app.pets.train(G, A, "health")
    assert done.cost == 1000 and done.pet.condition.max_hp == 1050
    assert done.pet.condition.hp == 1050 and done.pet.level == 2
    assert await chi(app, A) == before - 1000
    with pytest.raises(OnCooldown):
        await app.pets.train(G, A, "health")
    done = await app.pets.train(G, A, "attack")  # another training has its own cooldown
    assert done.pet.attacks[0].damage_pct == 5 and done.pet.attacks[0].max == 94
    await app.pets.buy_food(G, A, "grass", 5)
    for _ in range(4):
        app.clock.advance(hours=12)
        await app.pets.feed(G, A, "grass")
        await app.pets.train(G, A, "health")
    app.clock.advance(hours=12)
    with refused(errors.TopLevel, "highest level, 5"):
        await app.pets.train(G, A, "health")
    with refused(errors.UnknownTraining, "`heal`"):
        await app.pets.train(G, A, "dance")
    app.clock.advance(days=5)
    with refused(errors.Starving, "too hungry to train"):
        await app.pets.train(G, A, "heal")


async def test_switch_rename_release_and_the_market_transfer(app: App) -> None:
    await adopted_ox(app)
    await fund(app, A, 87_500 + 1_500)
    await app.pets.buy_food(G, A, "mice", 10)
    done = await app.pets.adopt(G, A, "snake")
    assert not done.active
    assert (await app.pets.switch(G, A, "snake")).active
    with refused(errors.BadName, "no @"):
        await app.pets.rename(G, A, "snake", "@everyone")
    named = await app.pets.rename(G, A, "snake", "  Hiss  ")
    assert named.name == "Hiss"
    assert (await app.pets.info(G, A, "hiss")).species.key == "snake"
    with refused(errors.UnknownPet, "dragon"):
        await app.pets.info(G, A, "dragon")
    balance = await chi(app, A)
    gone = await app.pets.release(G, A, "hiss")
    assert gone.now_active is not None and gone.now_active.species.key == "ox"
    assert await chi(app, A) == balance  # nothing back
    # the market's call: B receives the ox (active: B had none); B can't get two oxen
    pet = await active(app, A)
    moved = await app.db.scoped(G, lambda s: app.pets.transfer(s, pet.pet_id, A, B))
    assert moved.active and moved.row.user_id == B
    assert await app.pets.pets(G, A) == []
    await adopted_ox(app, A)
    pet = await active(app, A)
    with pytest.raises(errors.TheyOwnSpecies):
        await app.db.scoped(G, lambda s: app.pets.transfer(s, pet.pet_id, A, B))


async def test_pets_are_per_server(app: App) -> None:
    await adopted_ox(app, A, G)
    assert await app.pets.pets(H, A) == []
    with refused(errors.NoPets, "`pet store`"):
        await app.pets.feed(H, A, "grass")
    await adopted_ox(app, A, H)
    app.clock.advance(hours=40)
    await fund(app, A, 100, H)
    await app.pets.buy_food(H, A, "grass", 1)
    await app.pets.feed(H, A, "grass")
    assert (await app.pets.info(G, A)).condition.hunger == 16
    assert (await app.pets.info(H, A)).condition.hunger == 26


async def test_pets_can_be_switched_off(app: App) -> None:
    await adopted_ox(app)
    await app.guild_settings.set(G, "pets_enabled", False, by=1)
    with refused(errors.PetsOff, "switched off"):
        await app.pets.info(G, A)
    assert await active(app, A) is None


async def test_adopting_a_dragon_unlocks_dragon_tamer(app: App) -> None:
    await fund(app, A, 525_000 + 10_000)
    await app.pets.buy_food(G, A, "dragon fruit", 10)
    done = await app.pets.adopt(G, A, "dragon")
    assert any("first_dragon" in repr(n) or "Dragon Tamer" in repr(n) for n in done.unlocked)
    assert done.balance == 5_000  # the achievement's reward is paid


async def test_the_active_fed_pet_is_fixed_into_what_is_planted(app: App) -> None:
    """Issue 12: the garden bonus comes from the active, fed pet at planting time and is fixed
    into the plant; a starving pet gives none (legacy: the pet active at harvest counted)."""
    await fund(app, A, 100_000)
    await app.gardens.create(G, A)
    await app.gardens.buy(G, A, "G12", 3)
    plain = await app.gardens.plant(G, A, "silverdew", 1)
    assert plain.pet is None
    await app.pets.buy_food(G, A, "grass", 10)
    await app.pets.adopt(G, A, "Ox")
    with_pet = await app.gardens.plant(G, A, "silverdew", 1)
    ox = next(s for s in app.pets.content.species if s.key == "ox").garden
    assert with_pet.pet is not None and with_pet.pet.yield_pct == ox.yield_pct
    if ox.yield_pct:
        assert with_pet.chi_each > plain.chi_each
    assert (with_pet.ready_at - app.clock.now()) < (plain.ready_at - app.clock.now())
    assert with_pet.pet.rare_pct == ox.rare_pct > 0
    app.clock.advance(7 * 24 * 3600)  # a week unfed: starving
    starving = await app.gardens.plant(G, A, "silverdew", 1)
    assert starving.pet is None and starving.chi_each == plain.chi_each

    # the rare-find bonus is fixed into each plant too, read back at harvest
    async def fixed(scope) -> list[int]:
        p = garden_plants.c
        found = await scope.conn.execute(
            select(p.rare_pct).where(p.guild_id == G, p.user_id == A).order_by(p.planted_at)
        )
        return [r.rare_pct for r in found]

    assert sorted(await app.db.scoped(G, fixed)) == [0, 0, ox.rare_pct]  # only the fed pet's


async def test_pet_trainer_unlocks_at_level_ten_and_pet_master_with_all_five(app: App) -> None:
    """The pets' achievements unlock from real actions: Pet Trainer when a pet reaches level
    10 by training (1 + its trained levels), Pet Master when a member owns all five species."""
    await adopted_ox(app)
    await fund(app, A, 2_000_000)
    await app.pets.buy_food(G, A, "hay", 60)
    unlocked: list = []
    for kind in ["health"] * 5 + ["attack"] * 4:
        app.clock.advance(days=1)
        for _ in range(4):  # fed back to full (the food is kept once it is)
            try:
                await app.pets.feed(G, A, "hay")
            except errors.NotHungry:
                break
        done = await app.pets.train(G, A, kind)
        unlocked += [getattr(n, "id", None) for n in done.unlocked]
    assert done.pet.level == 10 and "pet_trainer" in unlocked
    await fund(app, A, 525_000 + 350_000 + 175_000 + 87_500 + 20_000)
    for species, food in (("snake", "mice"), ("tiger", "raw meat"), ("panda", "fish"),
                          ("dragon", "dragon fruit")):  # fmt: skip
        await app.pets.buy_food(G, A, food, 10)
        adopted = await app.pets.adopt(G, A, species)
        unlocked += [getattr(n, "id", None) for n in adopted.unlocked]
    assert "all_pets" in unlocked  # Pet Master
