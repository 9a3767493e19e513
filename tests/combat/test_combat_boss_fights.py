"""Solo boss fights against a real database (SQLite and PostgreSQL; `combat/boss_fights.py`):
the entry (Fang's chi, then the key chain, used up), a win paying its reward and drops once and
starting the boss's cooldown, a flight costing 100 chi but never below zero, the boss answering
each turn with its special, and servers independent. Issue 13."""

from __future__ import annotations

from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.tables import ledger
from chibot.features.combat import engine, errors
from chibot.features.combat.boss_fights import REASON, BossResult, boss_results
from chibot.features.combat.engine import MatchEnded

G, H = 9_451, 9_452
A = 81
SCEPTER = "infinity_chi_scepter"


async def arm(app: App, guild: int = G) -> None:
    await app.db.scoped(guild, lambda s: s.inventory.add(A, SCEPTER, 1, unique=True))


async def fund(app: App, amount: int, guild: int = G) -> None:
    await app.db.scoped(guild, lambda s: s.wallet.credit(A, amount, reason="test"))


async def chi(app: App, guild: int = G) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(A))).chi


async def held(app: App, item: str, guild: int = G) -> int:
    return await app.db.scoped(guild, lambda s: s.inventory.qty(A, item))


async def boss_ledger(app: App, guild: int = G) -> list[int]:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger.c.delta)
            .where((ledger.c.guild_id == guild) & (ledger.c.reason == REASON))
            .order_by(ledger.c.id)
        )
        return [r.delta for r in rows]


async def win(app: App, key: str, guild: int = G) -> BossResult:
    """The fight's ending for a win (the engine's KO, settled as the live fight would)."""
    fight = await app.combat.current(guild, A)
    assert fight is not None

    async def tx(scope):  # type: ignore[no-untyped-def]
        return await app.combat.boss_fights.settle(
            scope, fight, MatchEnded("ko", "side0"), {"boss": key}
        )

    result, *unlocked = await app.db.scoped(guild, tx)
    assert key != "fang" or "boss_slayer" in [getattr(n.notice, "id", None) for n in unlocked]
    await app.combat.act(guild, A, engine.Forfeit(str(A)))  # close the live fight
    return result


async def test_entry_the_key_chain_a_win_and_the_cooldown(app: App) -> None:
    await arm(app)
    await fund(app, 200)
    with refused(errors.BossNeedsKey):
        await app.combat.fight_boss(G, A, "Ann", "ironhide")
    step = await app.combat.fight_boss(G, A, "Ann", "fang")
    assert await chi(app) == 100  # 100 to enter
    assert step.fight.fighter("boss:fang") is not None and step.fight.whose_turn == str(A)
    result = await win(app, "fang")
    assert result.outcome == "win" and result.reward == 150 and result.drops["bamboo_key"] == 1
    assert await held(app, "bamboo_key") == 1 and await held(app, "bamboo_essence") >= 1
    assert await boss_ledger(app) == [-100, 150, -100]  # entry, reward, the flight closing it
    with refused(errors.BossResting):
        await app.combat.fight_boss(G, A, "Ann", "fang")
    await app.combat.fight_boss(G, A, "Ann", "ironhide")  # the key opens the next boss
    assert await held(app, "bamboo_key") == 0
    counts = await app.db.scoped(G, lambda s: s.counters.read(A, ["bosses_defeated"]))
    assert counts["bosses_defeated"] == 1


async def test_a_flight_costs_100_never_below_zero_and_servers_are_apart(app: App) -> None:
    await arm(app)
    await fund(app, 150)  # 100 to enter, 50 left for a 100 penalty
    await app.combat.fight_boss(G, A, "Ann", "fang")
    step = await app.combat.act(G, A, engine.Forfeit(str(A)))
    [result] = boss_results(step.notices)
    assert (result.outcome, result.penalty) == ("fled", 50) and await chi(app) == 0
    with refused(errors.BossNeedsWeapon):
        await app.combat.fight_boss(H, A, "Ann", "fang")
    with refused(errors.UnknownBoss):
        await app.combat.fight_boss(G, A, "Ann", "nobody")


async def test_the_boss_answers_each_turn(app: App) -> None:
    await arm(app)
    await fund(app, 500)
    await app.combat.fight_boss(G, A, "Ann", "fang")
    step = await app.combat.act(G, A, engine.Attack(str(A), "IC1"))
    hits = [e for e in step.events if isinstance(e, engine.DamageDealt | engine.Dodged)]
    assert {getattr(e, "source", None) for e in hits} >= {str(A), "boss:fang"}
    assert step.fight.whose_turn == str(A)


async def test_twenty_entries_at_once_pay_one_entry_for_one_fight(app: App) -> None:
    """One live fight per member: of simultaneous `boss fight fang`, one enters and pays, the
    others are refused whole (legacy B5's double victory had the same root)."""
    import asyncio

    await arm(app)
    await fund(app, 5_000)
    tries = await asyncio.gather(
        *(app.combat.fight_boss(G, A, "Ann", "fang") for _ in range(20)), return_exceptions=True
    )
    started = [t for t in tries if not isinstance(t, BaseException)]
    assert len(started) == 1
    assert all(isinstance(t, errors.AlreadyFighting) for t in tries if isinstance(t, BaseException))
    assert await chi(app) == 4_900 and await boss_ledger(app) == [-100]


async def test_a_weapon_drop_is_held_once(app: App, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from chibot.features.combat import boss_fights

    monkeypatch.setattr(
        boss_fights, "roll_drops", lambda boss, rng: {"celestial_warhammer": 1, "titan_core": 2}
    )
    await arm(app)
    await fund(app, 300)
    await app.combat.fight_boss(G, A, "Ann", "fang")
    first = await win(app, "fang")
    assert await held(app, "celestial_warhammer") == 1 and await held(app, "titan_core") == 2
    assert first.found == ("1 × Celestial Warhammer", "2 × Titan Core")
    app.clock.advance(4 * 3600 + 1)
    await app.combat.fight_boss(G, A, "Ann", "fang")
    fight = await app.combat.current(G, A)

    async def settle(scope):  # type: ignore[no-untyped-def]
        return await app.combat.boss_fights.settle(
            scope, fight, MatchEnded("ko", "side0"), {"boss": "fang"}
        )

    again, *_ = await app.db.scoped(G, settle)
    assert await held(app, "celestial_warhammer") == 1 and await held(app, "titan_core") == 4
    assert again.found == ("Celestial Warhammer (you have one)", "2 × Titan Core")
