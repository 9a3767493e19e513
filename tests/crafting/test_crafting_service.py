"""Crafting's use cases against a real database (SQLite and PostgreSQL), with a fixed clock and
seeded dice: the recipe book (have/need, arrives with), starting (inputs and fee spent in one
transaction, with a ledger row; refusals write nothing), slots, non-stacking outputs, instant
recipes, collecting (each craft delivered once; a failure gives back half), the outcome
decided at the start, the races of the issue, and servers kept apart."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select
from support.veterans import seat_veterans
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi
from chibot.core.tables import ledger
from chibot.features.crafting import errors
from chibot.features.crafting.content import Input, Recipe
from chibot.features.crafting.store import CraftStore

G, H = 9_201, 9_202
A, B = 81, 82
RAKE = {"moonpetal": 8, "winterleaf": 8}  # and 1,000 chi, 30 minutes
SCYTHE = {"moonpetal": 12, "winterleaf": 12, "moonflower": 6, "silverdew": 20}  # 4,000, 0.8


@pytest.fixture(autouse=True)
async def veterans(app: App) -> None:
    await seat_veterans(app, (G, H))


async def fund(app: App, user: int, chi: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, 1, user, chi)


async def chi(app: App, user: int = A, guild: int = G) -> int:
    return (await app.economy.profile(guild, user)).chi


async def give(app: App, parts: dict[str, int], user: int = A, guild: int = G) -> None:
    async def tx(scope) -> None:
        for item, qty in parts.items():
            unique = not app.catalog.items.get(item).stacks
            await scope.inventory.add(user, item, qty, unique=unique)

    await app.db.scoped(guild, tx)


async def holdings(app: App, user: int = A, guild: int = G) -> dict[str, int]:
    found = await app.db.scoped(guild, lambda s: s.inventory.all(user))
    return {h.item_id: h.qty for h in found}


async def crafts(app: App, user: int = A, guild: int = G):
    return await app.db.scoped(guild, lambda s: s.get(CraftStore).in_progress(user))


async def fees(app: App, user: int = A, guild: int = G) -> list[int]:
    async def tx(scope):
        rows = await scope.conn.execute(
            select(ledger.c.delta, ledger.c.ref).where(
                (ledger.c.guild_id == guild)
                & (ledger.c.user_id == user)
                & (ledger.c.reason == "craft.fee")
            )
        )
        return [(r.delta, r.ref) for r in rows]

    return await app.db.scoped(guild, tx)


def with_recipe(app: App, recipe: Recipe) -> None:
    """Add a test recipe to the running service (the shipped file stays as it is)."""
    service = app.crafting
    service.content = service.content.model_copy(
        update={"recipe": (*service.content.recipe, recipe)}
    )
    service.recipes_by_id[recipe.id] = recipe
    name = recipe.name or app.catalog.items.get(recipe.output).name
    service.names[recipe.id] = name
    service._aliases[recipe.id] = (name,)


# --- the recipe book ------------------------------------------------------------------------


async def test_the_book_shows_have_and_need_and_what_arrives_later(app: App) -> None:
    await give(app, {"moonpetal": 5})
    book = await app.crafting.recipes(G, A)
    by_id = {entry.recipe.id: entry for entry in book.listings}
    rake = by_id["steel_rake"]
    assert [(n.item, n.have, n.need) for n in rake.needs] == [
        ("moonpetal", 5, 8),
        ("winterleaf", 0, 8),
    ]
    assert rake.offered and not rake.can_craft and rake.name == "Steel Rake"
    glove = by_id["rift_gardeners_glove"]  # its Rift Shard comes from the rift (combat)
    assert glove.arrives_with is None and glove.offered
    assert {entry.recipe.system for entry in book.listings} == {"gardens"}
    assert book.slots == 3 and book.crafts == ()


async def test_an_unknown_or_ambiguous_recipe_is_refused_with_choices(app: App) -> None:
    with refused(errors.UnknownRecipe, "no recipe called **golden spoon**", "`craft`"):
        await app.crafting.start(G, A, "golden spoon")
    with refused(errors.AmbiguousRecipe, "could be", "**Steel Rake**", "**Bamboo Spade**"):
        await app.crafting.start(G, A, "a")


# --- starting and collecting ----------------------------------------------------------------


async def test_a_craft_spends_inputs_and_fee_then_collects_the_tool(app: App) -> None:
    await fund(app, A, 1_500)
    await give(app, {**RAKE, "sunbloom": 3})
    done = await app.crafting.start(G, A, "steel rake")
    assert (done.fee, done.balance, done.delivered) == (1_000, 500, None)
    assert await holdings(app) == {"sunbloom": 3}
    assert await fees(app) == [(-1_000, "steel_rake")]
    [row] = await crafts(app)
    assert row.recipe == "steel_rake" and row.success and row.ready_at == done.ready_at
    with refused(errors.NothingReady, "next is ready <t:"):
        await app.crafting.collect(G, A)
    app.clock.advance(30 * 60)
    got = await app.crafting.collect(G, A)
    assert [(d.recipe.id, d.success, d.made) for d in got.delivered] == [("steel_rake", True, 1)]
    assert await holdings(app) == {"steel_rake": 1, "sunbloom": 3}
    assert (got.still, got.next_at) == (0, None)
    with refused(errors.NothingToCollect, "no craft in progress"):
        await app.crafting.collect(G, A)
    assert await app.db.scoped(G, lambda s: s.counters.get(A, "items_crafted")) == 1


async def test_refusals_write_nothing(app: App) -> None:
    await fund(app, A, 999)
    await give(app, RAKE)
    with pytest.raises(NotEnoughChi):  # a fee short: the items are not taken either
        await app.crafting.start(G, A, "steel_rake")
    assert await holdings(app) == RAKE and await chi(app) == 999 and await crafts(app) == []
    await fund(app, A, 10_000)
    await give(app, {"moonpetal": 4}, user=B)
    with refused(errors.MissingInputs, "Moonpetal **4**/8", "Winterleaf **0**/8"):
        await app.crafting.start(G, B, "steel rake")
    assert await holdings(app, B) == {"moonpetal": 4} and await fees(app, B) == []


async def test_check_refuses_as_start_would_without_writing(app: App) -> None:
    await give(app, RAKE)
    with pytest.raises(NotEnoughChi):
        await app.crafting.check(G, A, "steel rake")
    await fund(app, A, 1_000)
    listing = await app.crafting.check(G, A, "steel rake")
    assert listing.can_craft and listing.confirm  # 1,000 chi: asked first
    assert await holdings(app) == RAKE and await chi(app) == 1_000


async def test_a_recipe_that_arrives_later_is_refused(app: App, monkeypatch) -> None:
    from chibot.core.items import ItemRegistry

    items = app.crafting.items  # a release without combat: the Rift Shard's system
    without = ItemRegistry(items.source, items.installed - {"combat"})
    monkeypatch.setattr(type(app.crafting), "items", property(lambda self: without))
    await fund(app, A, 100_000)
    await give(app, {"moonstone_trowel": 1, "emberroot": 20, "chi_blossom": 20})
    with refused(errors.ArrivesWith, "**Rift Gardener's Glove**", "arrives with combat"):
        await app.crafting.start(G, A, "rift gardener's glove")
    assert await chi(app) == 100_000


async def test_a_tool_is_crafted_once(app: App) -> None:
    await fund(app, A, 10_000)
    await give(app, {"moonpetal": 16, "winterleaf": 16})
    await app.crafting.start(G, A, "steel rake")
    with refused(errors.AlreadyCrafting, "already crafting **Steel Rake**"):
        await app.crafting.start(G, A, "steel rake")
    app.clock.advance(3600)
    await app.crafting.collect(G, A)
    with refused(errors.AlreadyOwn, "already own **Steel Rake**"):
        await app.crafting.start(G, A, "steel rake")
    assert (await holdings(app))["moonpetal"] == 8 and await chi(app) == 9_000


async def test_slots_are_a_setting(app: App) -> None:
    await app.guild_settings.set(G, "craft_slots", 2, by=1)
    await fund(app, A, 10_000)
    await give(
        app,
        {"moonpetal": 8, "winterleaf": 20, "sunbloom": 18, "jasmine": 10,
         "golden_watering_can": 1, "moonflower": 4},
    )  # fmt: skip
    await app.crafting.start(G, A, "steel rake")
    await app.crafting.start(G, A, "bamboo spade")
    with refused(errors.SlotsFull, "**2** crafts in progress", "craft collect"):
        await app.crafting.start(G, A, "chi infused watering can")
    app.clock.advance(30 * 60)  # the rake is ready: collecting frees its slot
    await app.crafting.collect(G, A)
    await app.crafting.start(G, A, "chi infused watering can")
    assert len(await crafts(app)) == 2
    assert (await app.crafting.recipes(H, A)).slots == 3  # the other server's default


async def test_the_outcome_is_decided_at_the_start_and_a_failure_gives_half_back(
    app: App,
) -> None:
    await fund(app, A, 100_000)
    outcomes = []
    for _ in range(12):
        await give(app, SCYTHE)
        await app.crafting.start(G, A, "silverdew scythe")
        [row] = await crafts(app)
        app.clock.advance(4 * 3600)
        got = await app.crafting.collect(G, A)
        [done] = got.delivered
        assert done.success == row.success  # what the row said at the start
        outcomes.append(done.success)
        held = await holdings(app)
        if done.success:
            assert held == {"silverdew_scythe": 1}
            break
        assert held == {"moonpetal": 6, "winterleaf": 6, "moonflower": 3, "silverdew": 10}
        assert done.returned == {"moonpetal": 6, "winterleaf": 6, "moonflower": 3, "silverdew": 10}
        assert done.lost == done.returned
        await app.db.scoped(G, lambda s: _clear(s, A))
    assert outcomes[-1] and len(await fees(app)) == len(outcomes)


async def _clear(scope, user: int) -> None:
    for holding in await scope.inventory.all(user):
        await scope.inventory.take(user, holding.item_id, holding.qty)


async def test_the_dice_decide_failures_at_the_rate_of_the_chance(app: App) -> None:
    with_recipe(
        app,
        Recipe(id="coin_flip", name="Coin Flip Can", output="fertilizer",
               inputs=(Input(item="moonpetal", qty=3),), chance=0.5, minutes=1),
    )  # fmt: skip
    await give(app, {"moonpetal": 3 * 40})
    results = Counter()
    for _ in range(40):
        await app.crafting.start(G, A, "coin flip can")
        app.clock.advance(60)
        [done] = (await app.crafting.collect(G, A)).delivered
        results[done.success] += 1
    assert results[True] + results[False] == 40 and 10 <= results[True] <= 30
    held = await holdings(app)
    assert held.get("fertilizer", 0) == results[True]
    assert held.get("moonpetal", 0) == 2 * results[False]  # 3 spent, 2 back on a failure


async def test_an_instant_recipe_delivers_at_once_without_a_slot(app: App) -> None:
    with_recipe(
        app,
        Recipe(id="quick_mulch", name="Quick Mulch", output="fertilizer", qty=5,
               inputs=(Input(item="winterleaf", qty=2),), chi=10),
    )  # fmt: skip
    await app.guild_settings.set(G, "craft_slots", 1, by=1)
    await fund(app, A, 1_100)
    await give(app, {"winterleaf": 10, "moonpetal": 8})
    await app.crafting.start(G, A, "steel rake")  # the one slot is taken
    done = await app.crafting.start(G, A, "quick mulch")
    assert done.delivered is not None and done.delivered.made == 5
    assert (await holdings(app))["fertilizer"] == 5 and done.balance == 90
    assert len(await crafts(app)) == 1


async def test_a_tool_got_meanwhile_gives_the_inputs_back(app: App) -> None:
    await fund(app, A, 1_000)
    await give(app, RAKE)
    await app.crafting.start(G, A, "steel rake")
    await give(app, {"steel_rake": 1})  # from elsewhere (an admin, a later system)
    app.clock.advance(3600)
    [done] = (await app.crafting.collect(G, A)).delivered
    assert done.duplicate and not done.success and done.returned == RAKE
    assert await holdings(app) == {**RAKE, "steel_rake": 1}


async def test_crafting_can_be_switched_off(app: App) -> None:
    await app.guild_settings.set(G, "crafting_enabled", False, by=1)
    with refused(errors.CraftingOff, "switched off"):
        await app.crafting.recipes(G, A)
    assert (await app.crafting.recipes(H, A)).listings


# --- isolation and races --------------------------------------------------------------------


async def test_a_craft_in_one_server_changes_nothing_in_another(app: App) -> None:
    for guild in (G, H):
        await fund(app, A, 5_000, guild)
        await give(app, RAKE, guild=guild)
    await app.crafting.start(G, A, "steel rake")
    assert await holdings(app, guild=H) == RAKE and await chi(app, guild=H) == 5_000
    assert await crafts(app, guild=H) == [] and await fees(app, guild=H) == []
    with refused(errors.NothingToCollect):
        await app.crafting.collect(H, A)
    app.clock.advance(3600)
    await app.crafting.collect(G, A)
    assert "steel_rake" not in await holdings(app, guild=H)
    assert (await app.crafting.recipes(H, A)).crafts == ()


async def test_fifty_starts_of_what_one_can_pay_for_start_one(app: App) -> None:
    await fund(app, A, 1_500)  # one fee of 1,000
    await give(app, {"moonpetal": 16, "winterleaf": 16})  # items for two
    results = await asyncio.gather(
        *(app.crafting.start(G, A, "steel rake") for _ in range(50)), return_exceptions=True
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds["Started"] == 1, kinds
    assert set(kinds) <= {"Started", "AlreadyCrafting", "NotEnoughChi"}
    assert await chi(app) == 500 and await fees(app) == [(-1_000, "steel_rake")]
    assert await holdings(app) == {"moonpetal": 8, "winterleaf": 8}
    assert len(await crafts(app)) == 1


async def test_fifty_starts_with_items_for_one_start_one(app: App) -> None:
    with_recipe(
        app,
        Recipe(id="stack_mulch", name="Stack Mulch", output="fertilizer",
               inputs=(Input(item="sunbloom", qty=4),), chi=100, minutes=10),
    )  # fmt: skip
    await fund(app, A, 100_000)
    await give(app, {"sunbloom": 7})
    results = await asyncio.gather(
        *(app.crafting.start(G, A, "stack mulch") for _ in range(50)), return_exceptions=True
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Started": 1, "MissingInputs": 49}, kinds
    assert await chi(app) == 99_900 and await holdings(app) == {"sunbloom": 3}
    assert len(await crafts(app)) == 1


async def test_many_starts_never_exceed_the_slots(app: App) -> None:
    with_recipe(
        app,
        Recipe(id="slot_mulch", name="Slot Mulch", output="fertilizer",
               inputs=(Input(item="sunbloom", qty=1),), minutes=10),
    )  # fmt: skip
    await give(app, {"sunbloom": 50})
    results = await asyncio.gather(
        *(app.crafting.start(G, A, "slot mulch") for _ in range(20)), return_exceptions=True
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Started": 3, "SlotsFull": 17}, kinds
    assert (await holdings(app))["sunbloom"] == 47 and len(await crafts(app)) == 3


async def test_a_hundred_collections_deliver_each_craft_once(app: App) -> None:
    await fund(app, A, 1_000)
    await give(app, RAKE)
    await app.crafting.start(G, A, "steel rake")
    app.clock.advance(3600)
    results = await asyncio.gather(
        *(app.crafting.collect(G, A) for _ in range(100)), return_exceptions=True
    )
    delivered = [d for r in results if not isinstance(r, Exception) for d in r.delivered]
    assert len(delivered) == 1
    assert all(isinstance(r, errors.NothingToCollect) for r in results if isinstance(r, Exception))
    assert await holdings(app) == {"steel_rake": 1}
