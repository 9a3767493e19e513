"""Live fights over the sessions table (`chibot/features/combat/live.py`), sparring first, on
SQLite and PostgreSQL: one live fight per member per server, an action applied once when two
arrive together, a fight resumed from the database, an idle fight settled by the scheduler,
results counted once, servers independent."""

from __future__ import annotations

import asyncio

from support.worded import refused

from chibot.app import App
from chibot.core.scheduler import run_due
from chibot.core.sessions import SessionChanged
from chibot.features.combat import engine, errors

G, H = 9_301, 9_302
A, B, C = 91, 92, 93


async def arm(app: App, *users: int, guild: int = G) -> None:
    for user in users:
        await app.db.scoped(
            guild, lambda s, u=user: s.inventory.add(u, "verdant_windblade", 1, unique=True)
        )


async def counters(app: App, user: int, guild: int = G) -> dict[str, int]:
    async def tx(scope):
        return await scope.counters.read(user, ["spar_wins", "spar_losses", "spar_ties"])

    return await app.db.scoped(guild, tx)


async def fight_to_the_end(app: App) -> engine.Fight:
    fight = await app.combat.current(G, A)
    for _ in range(500):
        actor = int(fight.whose_turn)
        step = await app.combat.act(G, actor, engine.Attack(str(actor), "VW1"))
        fight = step.fight
        if step.ended:
            return fight
    raise AssertionError("the fight did not end")


async def test_one_live_fight_per_member_per_server(app: App) -> None:
    await arm(app, A, B, C)
    started = await app.combat.spar(G, A, "Ann", B, "Bob")
    assert started.fight.status == engine.Status.ACTIVE
    assert {f.id for f in started.fight.fighters} == {str(A), str(B)}
    with refused(errors.AlreadyFighting, "**Bob** is already in a fight"):
        await app.combat.spar(G, C, "Cat", B, "Bob")
    with refused(errors.SelfFight, "can't fight yourself"):
        await app.combat.spar(G, C, "Cat", C, "Cat")
    assert await app.combat.current(G, C) is None  # the refused start left nothing behind
    await arm(app, A, B, guild=H)
    other = await app.combat.spar(H, A, "Ann", B, "Bob")  # another server: free
    assert other.fight.id != started.fight.id


async def test_a_spar_to_the_end_is_counted_once(app: App) -> None:
    await arm(app, A, B)
    await app.combat.spar(G, A, "Ann", B, "Bob")
    fight = await fight_to_the_end(app)
    winner = next(f for f in fight.fighters if f.side == fight.winner)
    loser = next(f for f in fight.fighters if f.side != fight.winner)
    assert (await counters(app, int(winner.id)))["spar_wins"] == 1
    assert (await counters(app, int(loser.id)))["spar_losses"] == 1
    assert await app.combat.current(G, A) is None and await app.combat.current(G, B) is None
    with refused(errors.NoFight, "not in a fight"):
        await app.combat.act(G, A, engine.Defend(str(A)))
    again = await app.combat.spar(G, A, "Ann", B, "Bob")  # free to fight again
    assert again.fight.status == engine.Status.ACTIVE


async def test_two_presses_of_one_turn_act_once(app: App) -> None:
    await arm(app, A, B)
    started = await app.combat.spar(G, A, "Ann", B, "Bob")
    actor = int(started.fight.whose_turn)
    results = await asyncio.gather(
        *(app.combat.act(G, actor, engine.Attack(str(actor), "VW1")) for _ in range(5)),
        return_exceptions=True,
    )
    done = [r for r in results if not isinstance(r, BaseException)]
    refusals = [r for r in results if isinstance(r, BaseException)]
    assert len(done) == 1
    assert all(isinstance(r, SessionChanged | errors.NotYourTurn) for r in refusals), refusals
    now = await app.combat.current(G, A)
    assert now.whose_turn != str(actor) and now.version == done[0].fight.version


async def test_a_fight_is_resumed_from_the_database(app: App) -> None:
    await arm(app, A, B)
    await app.combat.spar(G, A, "Ann", B, "Bob")
    before = await app.combat.current(G, A)
    fresh = App(app.settings, app.db, app.catalog, app.clock, app.rng)  # a restarted bot
    assert await fresh.combat.current(G, B) == before
    actor = int(before.whose_turn)
    step = await fresh.combat.act(G, actor, engine.Defend(str(actor)))
    assert step.fight.version == before.version + 1


async def test_an_idle_fight_settles_by_itself(app: App) -> None:
    await arm(app, A, B)
    started = await app.combat.spar(G, A, "Ann", B, "Bob")
    idle = int(started.fight.whose_turn)
    app.clock.advance(91)  # past the turn's 90 seconds
    await run_due(app.db, app)
    assert await app.combat.current(G, A) is None and await app.combat.current(G, B) is None
    other = A if idle == B else B
    assert (await counters(app, idle))["spar_losses"] == 1
    assert (await counters(app, other))["spar_wins"] == 1
    await run_due(app.db, app)  # nothing left to settle: counted once
    assert (await counters(app, other))["spar_wins"] == 1
