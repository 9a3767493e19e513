"""NPC training against a real database (SQLite and PostgreSQL; `features/combat/training.py`):
a win pays the NPC's reward once per cooldown (legacy B7, PvE farming), a defeat, a forfeit or
an idle turn takes the penalty but never below zero, with ledger rows; the dummy never hits;
concurrent wins pay once; the NPC answers each turn by itself; servers are independent."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.scheduler import run_due
from chibot.core.sessions import SessionChanged
from chibot.core.tables import ledger
from chibot.features.combat import engine, errors
from chibot.features.combat.live import Step
from chibot.features.combat.training import REASON, TrainingResult, results

G, H = 9_401, 9_402
A, B = 71, 72
SCEPTER, BLADE = ("infinity_chi_scepter", "IC1"), ("verdant_windblade", "VW1")
COUNTERS = ["training_wins", "training_losses", "training_ties", "training_streak"]


async def arm(app: App, user: int = A, weapon: str = SCEPTER[0], guild: int = G) -> None:
    await app.db.scoped(guild, lambda s: s.inventory.add(user, weapon, 1, unique=True))


async def fund(app: App, amount: int, user: int = A, guild: int = G) -> None:
    await app.db.scoped(guild, lambda s: s.wallet.credit(user, amount, reason="test"))


async def chi(app: App, user: int = A, guild: int = G) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(user))).chi


async def counts(app: App, user: int = A, guild: int = G) -> dict[str, int]:
    return await app.db.scoped(guild, lambda s: s.counters.read(user, COUNTERS))


async def training_ledger(app: App, guild: int = G) -> list[int]:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger.c.delta)
            .where((ledger.c.guild_id == guild) & (ledger.c.reason == REASON))
            .order_by(ledger.c.id)
        )
        return [r.delta for r in rows]


async def fight_out(app: App, code: str, user: int = A, guild: int = G) -> Step:
    """Attack with `code` until the fight ends (the NPC answers each turn by itself)."""
    for _ in range(300):
        step = await app.combat.act(guild, user, engine.Attack(str(user), code))
        if step.ended:
            return step
        assert step.fight.whose_turn == str(user)  # the NPC already played its turn
    raise AssertionError("the training did not end")


def result(step: Step) -> TrainingResult:
    (found,) = results(step.notices)
    return found


async def test_the_member_fights_an_auto_npc(app: App) -> None:
    await arm(app, weapon=BLADE[0])
    step = await app.combat.train_npc(G, A, "Ann", "medium")
    npc = step.fight.fighter("npc:medium")
    assert npc is not None and npc.auto and npc.side == "side1" and npc.hp == 400
    assert npc.name == "Bamboo Warrior" and npc.weapon.attacks[0].low == 1
    assert npc.weapon.attacks[0].high == 30
    assert step.fight.whose_turn == str(A) and step.fight.mode.name == "training"
    after = await app.combat.act(G, A, engine.Attack(str(A), "VW1"))
    hits = [e for e in after.events if isinstance(e, engine.DamageDealt | engine.Dodged)]
    assert [h.source for h in hits] == [str(A), "npc:medium"]  # it answered at once
    assert after.fight.whose_turn == str(A)


async def test_a_win_pays_once_per_cooldown(app: App) -> None:
    """Legacy B7 (PvE farming): the reward is paid at most once per cooldown."""
    await arm(app)
    start = app.clock.now()
    await app.combat.train_npc(G, A, "Ann", "easy")
    first = result(await fight_out(app, SCEPTER[1]))
    assert (first.outcome, first.reward, first.penalty) == ("win", 40, 0)
    assert first.ready_at == start + timedelta(minutes=30)
    assert await chi(app) == 40 and await training_ledger(app) == [40]
    app.clock.advance(60)
    await app.combat.train_npc(G, A, "Ann", "easy")
    second = result(await fight_out(app, SCEPTER[1]))
    assert (second.outcome, second.reward) == ("win", 0) and second.on_cooldown
    assert second.ready_at == first.ready_at
    assert await chi(app) == 40 and await training_ledger(app) == [40]
    got = await counts(app)
    assert got["training_wins"] == 2 and got["training_streak"] == 2
    lines = {line.npc.key: line.ready_at for line in await app.combat.npc_lines(G, A)}
    assert lines == {"dummy": None, "easy": first.ready_at, "medium": None, "hard": None}
    app.clock.set(first.ready_at)
    await app.combat.train_npc(G, A, "Ann", "easy")
    third = result(await fight_out(app, SCEPTER[1]))
    assert third.reward == 40 and await chi(app) == 80
    # each difficulty has its own cooldown
    await app.combat.train_npc(G, A, "Ann", "medium")
    medium = result(await fight_out(app, SCEPTER[1]))
    assert medium.reward == 75 and medium.ready_at == app.clock.now() + timedelta(hours=1)


async def test_a_defeat_takes_the_penalty_but_never_below_zero(app: App) -> None:
    await arm(app, weapon=BLADE[0])
    await fund(app, 20)
    await app.combat.train_npc(G, A, "Ann", "hard")
    end = await fight_out(app, BLADE[1])
    assert end.fight.reason == "ko" and end.fight.winner == "side1"
    got = result(end)
    assert (got.outcome, got.reward, got.penalty) == ("defeat", 0, 20)
    assert await chi(app) == 0 and await training_ledger(app) == [-20]
    assert (await counts(app))["training_losses"] == 1
    # nothing left to take: nothing taken, no ledger row
    await app.combat.train_npc(G, A, "Ann", "hard")
    again = result(await fight_out(app, BLADE[1]))
    assert again.penalty == 0 and await chi(app) == 0 and await training_ledger(app) == [-20]


async def test_fleeing_costs_the_penalty(app: App) -> None:
    await arm(app)
    await fund(app, 120)
    await app.combat.train_npc(G, A, "Ann", "medium")
    step = await app.combat.act(G, A, engine.Forfeit(str(A)))
    got = result(step)
    assert (got.outcome, got.penalty) == ("fled", 50)
    assert await chi(app) == 70 and await training_ledger(app) == [-50]
    assert (await counts(app))["training_losses"] == 1
    assert await app.combat.current(G, A) is None


async def test_an_idle_training_is_a_flee_settled_by_the_scheduler(app: App) -> None:
    await arm(app)
    await fund(app, 100)
    await app.combat.train_npc(G, A, "Ann", "easy")
    app.clock.advance(91)  # past the turn's 90 seconds
    await run_due(app.db, app)
    assert await app.combat.current(G, A) is None
    assert await chi(app) == 50 and await training_ledger(app) == [-50]
    assert (await counts(app))["training_losses"] == 1
    await run_due(app.db, app)  # settled once
    assert await chi(app) == 50 and (await counts(app))["training_losses"] == 1


async def test_the_dummy_never_hits_and_costs_nothing(app: App) -> None:
    await arm(app, weapon=BLADE[0])
    await fund(app, 100)
    step = await app.combat.train_npc(G, A, "Ann", "dummy")
    dummy = step.fight.fighter("npc:dummy")
    assert dummy.hp == 1000 and dummy.weapon is None and dummy.auto
    for _ in range(40):
        step = await app.combat.act(G, A, engine.Attack(str(A), "VW1"))
        assert not any(
            isinstance(e, engine.DamageDealt | engine.Dodged) and e.source == "npc:dummy"
            for e in step.events
        )
        assert step.fight.fighter(str(A)).hp == 250 and step.fight.whose_turn == str(A)
    step = await app.combat.act(G, A, engine.Forfeit(str(A)))
    assert (result(step).outcome, result(step).penalty) == ("fled", 0)
    assert await chi(app) == 100 and await training_ledger(app) == []


async def test_twenty_concurrent_wins_pay_once(app: App) -> None:
    """The reward cooldown's claim is serialised by its row: of twenty settlements of a win
    at once (as a member's racing fights would be), one pays."""
    await arm(app)
    step = await app.combat.train_npc(G, A, "Ann", "easy")
    ended = engine.MatchEnded("ko", "side0")

    async def settle() -> tuple:
        return await app.db.scoped(
            G, lambda s: app.combat.training.settle(s, step.fight, ended, {"npc": "easy"})
        )

    done = await asyncio.gather(*(settle() for _ in range(20)))
    paid = [n.reward for said in done for n in said if n.reward]
    assert paid == [40]
    assert await chi(app) == 40 and await training_ledger(app) == [40]


async def test_twenty_presses_of_the_last_blow_settle_once(app: App) -> None:
    await arm(app)
    await app.combat.train_npc(G, A, "Ann", "easy")
    steps: list[Step] = []
    for _ in range(20):
        pressed = await asyncio.gather(
            *(app.combat.act(G, A, engine.Attack(str(A), "IC1")) for _ in range(20)),
            return_exceptions=True,
        )
        for r in pressed:
            if isinstance(r, BaseException):
                assert isinstance(r, SessionChanged | errors.NoFight | errors.FightOver), r
            else:
                steps.append(r)
        if any(s.ended for s in steps):
            break
    assert sum(s.ended for s in steps) == 1
    assert await chi(app) == 40 and (await counts(app))["training_wins"] == 1


async def test_training_refusals(app: App) -> None:
    with refused(errors.UnknownNpc, "no NPC called **dragon**", "dummy|easy|medium|hard"):
        await app.combat.train_npc(G, A, "Ann", "dragon")
    with refused(errors.TrainingNeedsWeapon, "need a weapon", "Peaceful Panda"):
        await app.combat.train_npc(G, A, "Ann", "easy")
    assert await app.combat.current(G, A) is None  # the refused start left nothing behind
    await arm(app)
    await arm(app, B)
    started = await app.combat.train_npc(G, A, "Ann", "Peaceful Panda")  # by name too
    assert started.fight.fighter("npc:easy") is not None
    with refused(errors.AlreadyFighting, "**Ann** is already in a fight"):
        await app.combat.train_npc(G, A, "Ann", "hard")
    with refused(errors.AlreadyFighting, "**Ann** is already in a fight"):
        await app.combat.spar(G, B, "Bob", A, "Ann")


async def test_training_in_one_server_changes_nothing_in_another(app: App) -> None:
    await arm(app)
    await arm(app, guild=H)
    await fund(app, 100, guild=H)
    await app.combat.train_npc(G, A, "Ann", "easy")
    in_other = await app.combat.train_npc(H, A, "Ann", "easy")  # a fight here, one there
    assert in_other.fight.id != (await app.combat.current(G, A)).id
    won = result(await fight_out(app, SCEPTER[1]))
    assert won.reward == 40 and await chi(app) == 40
    assert await chi(app, guild=H) == 100 and await training_ledger(app, H) == []
    assert (await counts(app, guild=H))["training_wins"] == 0
    assert [line.ready_at for line in await app.combat.npc_lines(H, A)] == [None] * 4
    there = result(await fight_out(app, SCEPTER[1], guild=H))  # its own cooldown: paid
    assert there.reward == 40 and await chi(app, guild=H) == 140
