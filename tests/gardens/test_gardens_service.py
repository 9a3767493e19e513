"""Gardens' use cases against a real database (SQLite and PostgreSQL), with a fixed clock:
founding, the garden shop and its tier lock, planting (seeds consumed, terms fixed at
planting, capacity), watering and fertilising (once per plant), harvesting (paid once,
drops), upgrading, bundles, the server boost; refusals write nothing; servers are isolated;
the races of the issue are exact."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.veterans import seat_veterans
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi
from chibot.core.tables import ledger
from chibot.features.gardens import errors
from chibot.features.gardens.store import GardenStore
from chibot.features.shop.errors import InGardenShop

G, H = 9_101, 9_102
A, B = 71, 72


@pytest.fixture(autouse=True)
async def veterans(app: App) -> None:
    await seat_veterans(app, (G, H))


async def fund(app: App, user: int, chi: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, 1, user, chi)


async def chi(app: App, user: int, guild: int = G) -> int:
    return (await app.economy.profile(guild, user)).chi


async def give(app: App, user: int, item: str, qty: int = 1, guild: int = G) -> None:
    unique = not app.catalog.items.get(item).stacks
    await app.db.scoped(guild, lambda s: s.inventory.add(user, item, qty, unique=unique))


async def held(app: App, user: int, item: str, guild: int = G) -> int:
    return await app.db.scoped(guild, lambda s: s.inventory.qty(user, item))


async def plants(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: s.get(GardenStore).plants(user))


async def founded(app: App, user: int = A, guild: int = G, chi: int = 10_000) -> None:
    await fund(app, user, chi, guild)
    await app.gardens.create(guild, user)


# --- founding -------------------------------------------------------------------------------


async def test_founding_costs_the_setting_and_happens_once(app: App) -> None:
    await fund(app, A, 150)
    done = await app.gardens.create(G, A)
    assert (done.cost, done.balance, done.garden.tier.key, done.garden.tier.plots) == (
        100,
        50,
        "rare",
        10,
    )
    with refused(errors.AlreadyHaveGarden, "already have a garden"):
        await app.gardens.create(G, A)
    assert await chi(app, A) == 50


async def test_founding_without_the_chi_writes_nothing(app: App) -> None:
    await fund(app, A, 99)
    with pytest.raises(NotEnoughChi):
        await app.gardens.create(G, A)
    assert await app.gardens.garden(G, A) is None
    assert await chi(app, A) == 99


async def test_everything_needs_a_garden_first(app: App) -> None:
    for call in (
        app.gardens.plant(G, A, "peace lily"),
        app.gardens.harvest(G, A),
        app.gardens.water(G, A),
        app.gardens.buy(G, A, "peace lily"),
    ):
        with refused(errors.NoGarden, "garden create"):
            await call


# --- the garden shop ------------------------------------------------------------------------


async def test_buying_seeds_by_name_or_code(app: App) -> None:
    await founded(app)
    bought = await app.gardens.buy(G, A, "G7", 10)
    assert (bought.item.id, bought.qty, bought.total, bought.held) == ("peace_lily", 10, 30, 10)
    await app.gardens.buy(G, A, "Peace rose", 2)
    assert await held(app, A, "peace_rose") == 2
    assert await chi(app, A) == 10_000 - 100 - 30 - 14


async def test_seeds_above_the_tier_are_refused_in_the_shop(app: App) -> None:
    await founded(app)
    with refused(errors.TierLocked, "Moonshade", "Chi Grove"):
        await app.gardens.buy(G, A, "moonshade")
    assert await held(app, A, "moonshade") == 0


async def test_the_chi_shop_sends_garden_items_to_the_garden_shop(app: App) -> None:
    await founded(app)
    with refused(InGardenShop, "garden buy G7"):
        await app.shop.buy(G, A, "peace lily")


async def test_a_purchase_without_the_chi_writes_nothing(app: App) -> None:
    await founded(app, chi=120)  # 20 left after founding
    with pytest.raises(NotEnoughChi):
        await app.gardens.buy(G, A, "silverdew")
    assert await held(app, A, "silverdew") == 0 and await chi(app, A) == 20


async def test_tools_do_not_stack_and_are_bought_once(app: App) -> None:
    await founded(app)
    await app.gardens.buy(G, A, "watering bucket")
    with refused(errors.AlreadyOwnTool, "Watering Bucket"):
        await app.gardens.buy(G, A, "G1")
    with refused(errors.BadPlantQty, "1"):
        await app.gardens.buy(G, A, "G2", 2)


# --- planting -------------------------------------------------------------------------------


async def test_planting_consumes_seeds_and_fixes_the_terms(app: App) -> None:
    """Legacy C-1: seeds came back on every harvest; here planting consumes them."""
    await founded(app)
    await app.gardens.buy(G, A, "peace lily", 5)
    now = app.clock.now()
    done = await app.gardens.plant(G, A, "PEACE LILY", 3)  # any case
    assert (done.qty, done.chi_each, done.seeds_left, done.free) == (3, 7, 2, 7)
    assert done.ready_at == now + timedelta(minutes=10)
    assert await held(app, A, "peace_lily") == 2
    rows = await plants(app, A)
    assert [(p.seed, p.chi, p.ready_at) for p in rows] == [("peace_lily", 7, done.ready_at)] * 3


async def test_capacity_and_seed_counts_are_checked(app: App) -> None:
    await founded(app)
    await app.gardens.buy(G, A, "peace lily", 12)
    with refused(errors.GardenFull, "10"):
        await app.gardens.plant(G, A, "peace lily", 11)
    await app.gardens.plant(G, A, "peace lily", 8)
    with refused(errors.GardenFull, "2"):
        await app.gardens.plant(G, A, "peace lily", 3)
    with refused(errors.NoSeeds, "Peace Rose"):
        await app.gardens.plant(G, A, "peace rose", 1)
    assert len(await plants(app, A)) == 8 and await held(app, A, "peace_lily") == 4


async def test_the_tier_lock_holds_for_seeds_from_anywhere(app: App) -> None:
    """Legacy: `plant` never checked the tier lock (bundle seeds grew in a Pond Garden)."""
    await founded(app)
    await give(app, A, "heartvine", 3)  # from a bundle, an import, anything
    with refused(errors.TierLocked, "Heartvine", "Hépíng sēnlín"):
        await app.gardens.plant(G, A, "heartvine")
    assert await held(app, A, "heartvine") == 3 and await plants(app, A) == []


async def test_unknown_seeds_and_bad_quantities(app: App) -> None:
    """Legacy A-5: seed names needed their exact case, or crashed."""
    await founded(app)
    with refused(errors.UnknownSeed, "tomato"):
        await app.gardens.plant(G, A, "tomato")
    with refused(errors.UnknownSeed, "watering bucket"):
        await app.gardens.plant(G, A, "watering bucket")
    for qty in (0, -1, 51):
        with refused(errors.BadPlantQty, "50"):
            await app.gardens.plant(G, A, "peace lily", qty)


async def test_tools_bought_later_change_nothing_already_planted(app: App) -> None:
    """Legacy C-3: growth and yield were recomputed from whatever was true at harvest."""
    await founded(app, chi=20_000)
    await app.gardens.buy(G, A, "silverdew", 2)
    first = await app.gardens.plant(G, A, "silverdew")
    assert first.chi_each == 300
    await app.db.scoped(G, lambda s: s.inventory.add(A, "basic_hoe", 1, unique=True))
    second = await app.gardens.plant(G, A, "silverdew")
    assert second.chi_each == 330  # +10%
    assert sorted(p.chi for p in await plants(app, A)) == [300, 330]


async def test_harvest_tools_stack_up_to_the_cap(app: App) -> None:
    """Legacy C-6: tools stacked to +215% on single harvests and nothing on mass ones."""
    await founded(app)
    for tool in ("basic_hoe", "silverdew_scythe", "eternal_sickle", "moonstone_trowel"):
        await app.db.scoped(G, lambda s, t=tool: s.inventory.add(A, t, 1, unique=True))
    await give(app, A, "silverdew", 1)
    done = await app.gardens.plant(G, A, "silverdew")
    assert done.tools.uncapped_pct == 45 and done.tools.pct == 30 and done.tools.per_plant == 1
    assert done.chi_each == 300 * 130 // 100 + 1


# --- tending --------------------------------------------------------------------------------


async def test_watering_cuts_growing_time_once_per_plant(app: App) -> None:
    """Legacy C-5: watering was per plant type; here each plant, once."""
    await founded(app)
    await give(app, A, "silverdew", 2)
    planted = await app.gardens.plant(G, A, "silverdew", 2)
    with refused(errors.NoWateringCan, "G1"):
        await app.gardens.water(G, A)
    await app.gardens.buy(G, A, "watering bucket")
    app.clock.advance(3600)
    done = await app.gardens.water(G, A, "silverdew")
    assert (done.plants, done.pct) == (2, 10.0)
    assert done.soonest == planted.ready_at - timedelta(minutes=72)  # 10% of 12 hours
    with refused(errors.NothingToWater, "already watered"):
        await app.gardens.water(G, A)
    assert {p.watered for p in await plants(app, A)} == {True}


async def test_the_best_can_counts(app: App) -> None:
    await founded(app)
    await give(app, A, "silverdew", 1)
    planted = await app.gardens.plant(G, A, "silverdew")
    await app.gardens.buy(G, A, "watering bucket")
    await app.gardens.buy(G, A, "golden watering can")
    done = await app.gardens.water(G, A)
    assert done.soonest == planted.ready_at - timedelta(minutes=108)  # 15%


async def test_fertilising_uses_one_per_plant_and_adds_a_fifth(app: App) -> None:
    """Legacy C-4: a bag never ran out, then every bag vanished at once."""
    await founded(app)
    await give(app, A, "silverdew", 3)
    await app.gardens.plant(G, A, "silverdew", 3)
    with refused(errors.NoFertilizer, "fertilizer"):
        await app.gardens.fertilize(G, A)
    await app.gardens.buy(G, A, "fertilizer", 2)
    done = await app.gardens.fertilize(G, A)
    assert (done.plants, done.extra_chi, done.fertilizer_left) == (2, 120, 0)
    assert sorted(p.chi for p in await plants(app, A)) == [300, 360, 360]
    await app.gardens.buy(G, A, "fertilizer", 5)
    assert (await app.gardens.fertilize(G, A)).plants == 1
    with refused(errors.NothingToFertilize, "already fertilised"):
        await app.gardens.fertilize(G, A)
    assert await held(app, A, "fertilizer") == 4


async def test_ready_plants_can_no_longer_be_tended(app: App) -> None:
    await founded(app)
    await give(app, A, "peace_lily", 1)
    await app.gardens.plant(G, A, "peace lily")
    await app.gardens.buy(G, A, "watering bucket")
    app.clock.advance(601)
    with refused(errors.NothingPlanted, "Nothing is growing"):
        await app.gardens.water(G, A)


# --- harvesting -----------------------------------------------------------------------------


async def test_harvest_pays_ready_plants_once_and_frees_the_plots(app: App) -> None:
    await founded(app)
    await give(app, A, "peace_lily", 4)
    await give(app, A, "silverdew", 1)
    await app.gardens.plant(G, A, "peace lily", 4)
    await app.gardens.plant(G, A, "silverdew")
    with refused(errors.NothingReady, "next is ready"):
        await app.gardens.harvest(G, A)
    app.clock.advance(600)
    before = await chi(app, A)
    done = await app.gardens.harvest(G, A)
    assert (done.plants, done.chi, done.still_growing) == ({"peace_lily": 4}, 28, 1)
    assert await chi(app, A) == before + 28 == done.balance
    with refused(errors.NothingReady):
        await app.gardens.harvest(G, A)
    assert len(await plants(app, A)) == 1
    garden = await app.gardens.garden(G, A)
    assert (garden.row.plants_harvested, garden.row.chi_harvested, garden.free) == (4, 28, 9)


async def test_harvest_of_one_seed_leaves_the_others(app: App) -> None:
    await founded(app)
    await give(app, A, "peace_lily", 1)
    await give(app, A, "peace_rose", 1)
    await app.gardens.plant(G, A, "peace lily")
    await app.gardens.plant(G, A, "peace rose")
    app.clock.advance(3600)
    done = await app.gardens.harvest(G, A, "peace rose")
    assert done.plants == {"peace_rose": 1} and done.chi == 17
    assert (await app.gardens.harvest(G, A, "all")).plants == {"peace_lily": 1}


async def test_harvest_writes_the_ledger_and_the_counter(app: App) -> None:
    await founded(app)
    await give(app, A, "peace_lily", 2)
    await app.gardens.plant(G, A, "peace lily", 2)
    app.clock.advance(600)
    await app.gardens.harvest(G, A)

    async def tx(scope):
        rows = await scope.conn.execute(
            select(ledger.c.delta).where(
                (ledger.c.user_id == A) & (ledger.c.reason == "garden.harvest")
            )
        )
        return [r.delta for r in rows], await scope.counters.get(A, "plants_harvested")

    assert await app.db.scoped(G, tx) == ([14], 2)


async def test_long_crops_find_ingredients(app: App) -> None:
    await founded(app, chi=200_000)
    found: dict[str, int] = {}
    for _ in range(6):
        await give(app, A, "silverdew", 10)
        await app.gardens.plant(G, A, "silverdew", 10)
        app.clock.advance(12 * 3600)
        for item, qty in (await app.gardens.harvest(G, A)).drops.items():
            found[item] = found.get(item, 0) + qty
    assert found and set(found) <= {"moonpetal", "winterleaf", "sunbloom", "moonflower"}
    for item, qty in found.items():
        assert await held(app, A, item) == qty


# --- upgrading ------------------------------------------------------------------------------


async def test_upgrading_moves_one_tier_for_its_price(app: App) -> None:
    await founded(app, chi=30_000)
    offer = await app.gardens.upgrade_offer(G, A)
    assert (offer.current.key, offer.next.key, offer.next.price) == ("rare", "legendary", 25_000)
    done = await app.gardens.upgrade(G, A, to="legendary")
    assert (done.tier.key, done.balance) == ("legendary", 30_000 - 100 - 25_000)
    garden = await app.gardens.garden(G, A)
    assert (garden.tier.plots, garden.free) == (14, 14)
    await give(app, A, "moonshade", 1)
    planted = await app.gardens.plant(G, A, "moonshade")
    assert planted.ready_at == app.clock.now() + timedelta(minutes=648)  # 10% faster
    with refused(errors.OfferChanged):
        await app.gardens.upgrade(G, A, to="legendary")  # a second press of an old offer


async def test_upgrades_need_the_chi_and_the_rift_a_rebirth(app: App) -> None:
    """Legacy A-12: the rift upgrade crashed; here it is reachable for its price."""
    await founded(app, B, chi=1_000)
    with pytest.raises(NotEnoughChi):
        await app.gardens.upgrade(G, B)
    assert (await app.gardens.garden(G, B)).tier.key == "rare" and await chi(app, B) == 900
    await founded(app, chi=300_000)
    await app.gardens.upgrade(G, A)
    await app.gardens.upgrade(G, A)
    with pytest.raises(NotEnoughChi, match="rebirth"):
        await app.gardens.upgrade(G, A)
    await app.economy.admin_adjust(G, 1, A, 1, currency="rebirths")
    assert (await app.gardens.upgrade(G, A)).tier.key == "rift"
    with refused(errors.TopTier, "Rift Garden"):
        await app.gardens.upgrade_offer(G, A)


# --- bundles --------------------------------------------------------------------------------


async def test_bundles_obey_the_tier_lock_and_give_their_contents(app: App) -> None:
    await founded(app, chi=60_000)
    with refused(errors.TierLocked, "Moonshade"):
        await app.gardens.buy_bundle(G, A, "heroic")
    done = await app.gardens.buy_bundle(G, A, "Scythe Bundle")
    assert done.balance == 60_000 - 100 - 12_000
    assert [await held(app, A, i) for i in ("silverdew_scythe", "silverdew", "fertilizer")] == [
        1,
        20,
        10,
    ]
    with refused(errors.BundleToolOwned, "Silverdew Scythe"):
        await app.gardens.buy_bundle(G, A, "scythe")
    with refused(errors.UnknownBundle, "golden"):
        await app.gardens.buy_bundle(G, A, "golden")


# --- the server's boost ---------------------------------------------------------------------


async def test_a_boost_speeds_what_is_planted_while_it_runs(app: App) -> None:
    await founded(app)
    await give(app, A, "silverdew", 3)
    before = await app.gardens.plant(G, A, "silverdew")
    boost = await app.gardens.start_boost(G, 1, 120)
    assert (boost.growth_pct, boost.yield_pct) == (25, 10)
    during = await app.gardens.plant(G, A, "silverdew")
    assert during.ready_at == app.clock.now() + timedelta(minutes=540)
    assert during.chi_each == 330
    app.clock.advance(2 * 3600)
    after = await app.gardens.plant(G, A, "silverdew")
    assert after.chi_each == 300 and after.boost is None
    rows = {p.chi for p in await plants(app, A)}
    assert before.ready_at in {p.ready_at for p in await plants(app, A)}  # not sped up
    assert rows == {300, 330}


async def test_boosts_run_one_at_a_time_with_a_rest(app: App) -> None:
    await app.gardens.start_boost(G, 1, 60)
    with refused(errors.BoostRunning):
        await app.gardens.start_boost(G, 1, 60)
    app.clock.advance(3600)
    with refused(errors.BoostResting):
        await app.gardens.start_boost(G, 1, 60)
    app.clock.advance(12 * 3600)
    await app.gardens.start_boost(G, 1, 60)
    for minutes in (5, 6 * 60 + 1):
        with refused(errors.BadBoostLength):
            await app.gardens.start_boost(G, 1, minutes)
    assert await app.gardens.boost(H) is None  # the other server has none


# --- isolation and races --------------------------------------------------------------------


async def test_gardens_are_per_server(app: App) -> None:
    await founded(app)
    await give(app, A, "peace_lily", 3)
    await app.gardens.plant(G, A, "peace lily", 3)
    assert await app.gardens.garden(H, A) is None
    with refused(errors.NoGarden):
        await app.gardens.harvest(H, A)
    await founded(app, guild=H)
    assert (await app.gardens.garden(H, A)).plants == []


async def test_a_hundred_harvests_pay_each_plant_once(app: App) -> None:
    """DONE 7: the most double-spendable action, a hundred times at once."""
    await founded(app)
    await give(app, A, "peace_lily", 10)
    await app.gardens.plant(G, A, "peace lily", 10)
    app.clock.advance(600)
    before = await chi(app, A)
    results = await asyncio.gather(
        *(app.gardens.harvest(G, A) for _ in range(100)), return_exceptions=True
    )
    paid = [r for r in results if not isinstance(r, Exception)]
    assert all(isinstance(r, errors.NothingPlanted) for r in results if isinstance(r, Exception))
    assert sum(sum(r.plants.values()) for r in paid) == 10
    assert await chi(app, A) == before + 70


async def test_a_hundred_plantings_with_seeds_for_ten_plant_ten(app: App) -> None:
    await founded(app, chi=30_000)
    await app.gardens.upgrade(G, A)  # 14 plots: the seeds run out first
    await give(app, A, "peace_lily", 10)
    results = await asyncio.gather(
        *(app.gardens.plant(G, A, "peace lily") for _ in range(100)), return_exceptions=True
    )
    planted = [r for r in results if not isinstance(r, Exception)]
    assert len(planted) == 10
    assert {type(r).__name__ for r in results if isinstance(r, Exception)} == {"NoSeeds"}
    assert len(await plants(app, A)) == 10 and await held(app, A, "peace_lily") == 0


# --- achievements ---------------------------------------------------------------------------


async def test_the_garden_achievements_unlock_from_real_actions(app: App) -> None:
    """Master Gardener (tier 3, the eternal garden) and Harvest Master (100 plants), each
    paid once, by the upgrade and the harvest themselves."""
    await founded(app, chi=200_000)
    await app.gardens.upgrade(G, A, to="legendary")
    third = await app.gardens.upgrade(G, A, to="eternal")
    assert [a.id for a in third.unlocked] == ["tier3_garden"]
    harvested = []
    for _ in range(6):  # 18 plots of peace lilies, six times: 108 plants
        await give(app, A, "peace_lily", 18)
        await app.gardens.plant(G, A, "peace lily", 18)
        app.clock.advance(600)
        harvested.append([a.id for a in (await app.gardens.harvest(G, A)).unlocked])
    assert harvested[:5] == [[]] * 5 and harvested[5] == ["garden_harvest_100"]
