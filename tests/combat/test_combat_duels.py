"""Duels with stakes and spectator bets (`chibot/features/combat/duels.py`), on SQLite and
PostgreSQL: stakes escrowed and refunded once, the winner takes both, bets close at the first
action, the pool pays the winners less the house's 5% and conservation of chi is exact, even
with 100 bets arriving while the duel settles; duels in two servers at once."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi
from chibot.core.scheduler import run_due
from chibot.core.tables import ledger
from chibot.features.combat import engine, errors
from chibot.features.combat.duels import Declined, DuelResult
from chibot.features.combat.store import combat_pools

G, H = 9_401, 9_402
A, B = 41, 42
SPECTATORS = range(1_000, 1_100)


async def fund(app: App, *users: int, chi: int = 1_000, guild: int = G) -> None:
    for user in users:

        async def tx(scope, u=user):
            await scope.wallet.credit(u, chi, reason="test", earned=False)
            await scope.inventory.add(u, "verdant_windblade", 1, unique=True)

        await app.db.scoped(guild, tx)


async def chi(app: App, user: int, guild: int = G) -> int:
    return await app.db.read(guild, lambda s: _chi(s, user))


async def _chi(scope, user: int) -> int:
    return (await scope.wallet.get(user)).chi


async def by_reason(app: App, guild: int = G) -> Counter[str]:
    async def tx(scope):
        rows = await scope.conn.execute(
            select(ledger.c.reason, ledger.c.delta).where(ledger.c.guild_id == guild)
        )
        total: Counter[str] = Counter()
        for r in rows:
            total[r.reason] += r.delta
        return total

    return await app.db.read(guild, tx)


async def houses(app: App, guild: int = G) -> int:
    async def tx(scope):
        rows = await scope.conn.execute(
            select(combat_pools.c.house).where(combat_pools.c.guild_id == guild)
        )
        return sum(r.house for r in rows)

    return await app.db.read(guild, tx)


async def duel_counters(app: App, user: int, guild: int = G) -> dict[str, int]:
    names = ["duel_wins", "duel_losses", "duel_ties", "duel_streak", "duel_best_streak"]
    return await app.db.read(guild, lambda s: s.counters.read(user, names))


async def start_duel(app: App, stake: int = 100, guild: int = G) -> engine.Fight:
    await app.combat.duel(guild, A, "Ann", B, "Bob", stake)
    step = await app.combat.answer_duel(guild, B, "Bob", A, accept=True)
    return step.fight


async def to_the_end(app: App, guild: int = G) -> tuple[engine.Fight, tuple]:
    fight = await app.combat.current(guild, A)
    for _ in range(500):
        actor = int(fight.whose_turn)
        step = await app.combat.act(guild, actor, engine.Attack(str(actor), "VW1"))
        fight = step.fight
        if step.ended:
            return fight, step.notices
    raise AssertionError("the duel did not end")


async def test_a_stake_is_escrowed_and_refunded_once(app: App) -> None:
    await fund(app, A, B)
    sent = await app.combat.duel(G, A, "Ann", B, "Bob", 300)
    assert sent.stake == 300 and sent.balance == 700 and await chi(app, A) == 700
    with refused(errors.DuelPending, "already challenged **Bob**"):
        await app.combat.duel(G, A, "Ann", B, "Bob", 300)
    assert await chi(app, A) == 700  # the refused second challenge took nothing
    declined = await app.combat.answer_duel(G, B, "Bob", A, accept=False)
    assert isinstance(declined, Declined) and declined.stake == 300
    assert await chi(app, A) == 1_000
    with refused(errors.NoChallenge, "No duel challenge is waiting"):
        await app.combat.answer_duel(G, B, "Bob", A, accept=True)
    # expiry: the scheduler refunds it, once
    await app.combat.duel(G, A, "Ann", B, "Bob", 250)
    app.clock.advance(121)
    await run_due(app.db, app)
    await run_due(app.db, app)
    assert await chi(app, A) == 1_000
    reasons = await by_reason(app)
    assert reasons["combat.duel_stake"] == -550 and reasons["combat.duel_refund"] == 550


async def test_accepting_needs_the_stake_and_a_refusal_changes_nothing(app: App) -> None:
    await fund(app, A)
    await fund(app, B, chi=50)
    await app.combat.duel(G, A, "Ann", B, "Bob", 100)
    with refused(NotEnoughChi):
        await app.combat.answer_duel(G, B, "Bob", A, accept=True)
    assert await chi(app, B) == 50 and await app.combat.current(G, B) is None
    # the challenge is still there: it can be declined, and the stake comes back
    await app.combat.answer_duel(G, B, "Bob", None, accept=False)
    assert await chi(app, A) == 1_000


async def test_the_winner_takes_both_stakes_and_the_record(app: App) -> None:
    await fund(app, A, B)
    fight = await start_duel(app, 200)
    assert await chi(app, A) == 800 and await chi(app, B) == 800
    fight, notices = await to_the_end(app)
    result = next(n for n in notices if isinstance(n, DuelResult))
    winner = int(next(f.id for f in fight.fighters if f.side == fight.winner))
    loser = A if winner == B else B
    assert result.winner_id == winner and not result.refunded
    reasons = await by_reason(app)
    assert reasons["combat.duel_stake"] == -400 and reasons["combat.duel_win"] == 400
    assert await chi(app, loser) == 800
    assert "first_duel_win" in {
        getattr(getattr(n, "notice", n), "id", None) for n in notices
    }  # First Blood, once
    won = await duel_counters(app, winner)
    assert won["duel_wins"] == 1 and won["duel_streak"] == 1 and won["duel_best_streak"] == 1
    assert (await duel_counters(app, loser))["duel_losses"] == 1
    # a second duel won by the same member raises the streak
    assert (await app.combat.current(G, A)) is None


async def test_a_duel_nobody_fought_is_called_off_and_refunds_everything(app: App) -> None:
    await fund(app, A, B, 7)
    await start_duel(app, 100)
    await app.combat.bet(G, 7, 50, A, "Ann")
    app.clock.advance(91)  # the first turn passes without an action
    await run_due(app.db, app)
    assert await chi(app, A) == 1_000 and await chi(app, B) == 1_000 and await chi(app, 7) == 1_000
    assert await duel_counters(app, A) == dict.fromkeys(await duel_counters(app, A), 0)
    assert await app.combat.current(G, A) is None


async def test_the_idle_side_forfeits_once_the_duel_began(app: App) -> None:
    await fund(app, A, B)
    fight = await start_duel(app, 100)
    first = int(fight.whose_turn)
    await app.combat.act(G, first, engine.Defend(str(first)))
    app.clock.advance(91)  # the other never answers
    await run_due(app.db, app)
    idle = A if first == B else B
    assert await chi(app, idle) == 900
    assert (await by_reason(app))["combat.duel_win"] == 200
    assert (await duel_counters(app, idle))["duel_losses"] == 1


async def test_bets_pay_the_winners_less_the_house_cut(app: App) -> None:
    await fund(app, A, B, 7, 8, 9)
    await start_duel(app, 0)
    await app.combat.bet(G, 7, 100, A, "Ann")
    await app.combat.bet(G, 8, 300, A, "Ann")
    placed = await app.combat.bet(G, 9, 200, B, "Bob")
    assert placed.pool == 600 and placed.bettors == 3 and placed.balance == 800
    with refused(errors.AlreadyBet, "already bet"):
        await app.combat.bet(G, 9, 10, A, "Ann")
    with refused(errors.DuelistBet, "duelists can't bet"):
        await app.combat.bet(G, A, 10, B, "Bob")
    fight, notices = await to_the_end(app)
    result = next(n for n in notices if isinstance(n, DuelResult))
    assert result.pool == 600 and result.bets.house + result.bets.paid == 600
    if fight.winner == "side0":  # Ann won: 570 shared 1:3
        assert result.bets.payouts == {7: 142, 8: 427} and result.bets.house == 31
        assert await chi(app, 8) == 1_127 and await chi(app, 9) == 800
    else:  # Bob won: his one backer takes the pool less 5%
        assert result.bets.payouts == {9: 570} and result.bets.house == 30
    assert await houses(app) == result.bets.house


async def test_bets_close_at_the_first_action_and_only_duels_take_bets(app: App) -> None:
    await fund(app, A, B, 7)
    fight = await start_duel(app, 0)
    first = int(fight.whose_turn)
    await app.combat.act(G, first, engine.Defend(str(first)))
    with refused(errors.BetsClosed, "closed"):
        await app.combat.bet(G, 7, 10, A, "Ann")
    assert await chi(app, 7) == 1_000
    await app.combat.act(G, A, engine.Forfeit(str(A)))
    with refused(errors.NotADuel, "not in a duel"):
        await app.combat.bet(G, 7, 10, A, "Ann")
    await app.combat.spar(G, A, "Ann", B, "Bob")
    with refused(errors.NotADuel, "not in a duel"):
        await app.combat.bet(G, 7, 10, A, "Ann")


async def test_a_hundred_bets_while_the_duel_settles_conserve_chi(app: App) -> None:
    """100 spectators bet at once while a duelist forfeits: every bet is either in the pool
    the settlement pays or refused whole; stakes + bets = payouts + refunds + house."""
    await fund(app, A, B, *SPECTATORS)
    await start_duel(app, 100)

    async def bet(user: int):
        return await app.combat.bet(G, user, 10 + user % 7, A if user % 2 else B, "x")

    tasks = [bet(u) for u in SPECTATORS]
    tasks.insert(60, app.combat.act(G, B, engine.Forfeit(str(B))))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    unexpected = [
        r for r in results
        if isinstance(r, BaseException) and not isinstance(r, errors.BetsClosed | errors.NotADuel)
    ]  # fmt: skip
    assert not unexpected, unexpected[:3]
    reasons = await by_reason(app)
    staked = -reasons["combat.bet"]
    paid = reasons["combat.bet_won"] + reasons["combat.bet_refund"]
    assert staked == paid + await houses(app)
    assert reasons["combat.duel_stake"] + reasons["combat.duel_win"] == 0
    moved = sum(v for k, v in reasons.items() if k.startswith("combat."))
    assert moved == -await houses(app)  # every chi that went in came out, but the cut
    spectators = sum([await chi(app, u) for u in SPECTATORS])
    assert spectators == 1_000 * len(SPECTATORS) - await houses(app)  # the cut, nothing else
    placed = [r for r in results[:60] + results[61:] if not isinstance(r, BaseException)]
    assert placed and staked == sum(p.amount for p in placed)


async def test_duels_in_two_servers_run_at_once(app: App) -> None:
    await fund(app, A, B)
    await fund(app, A, B, guild=H)
    here = await start_duel(app, 100)
    there = await start_duel(app, 100, guild=H)
    assert here.id != there.id
    await app.combat.act(G, A, engine.Forfeit(str(A)))
    assert (await by_reason(app))["combat.duel_win"] == 200
    assert await chi(app, B, guild=H) == 900 and not (await by_reason(app, H))["combat.duel_win"]
    assert (await app.combat.current(H, A)).status == engine.Status.ACTIVE


async def test_a_duel_feeds_both_teams_records(app: App) -> None:
    await fund(app, A, B, chi=10_000)
    ann = await app.teams.create(G, A, "Cranes")
    bob = await app.teams.create(G, B, "Tigers")
    await start_duel(app, 0)
    await app.combat.act(G, B, engine.Forfeit(str(B)))
    cranes = await app.teams.card(G, A)
    tigers = await app.teams.card(G, B)
    assert (cranes.team.wins, cranes.team.score) == (1, ann.card.team.score + 1)
    assert (tigers.team.losses, tigers.team.score) == (1, bob.card.team.score)


async def test_a_restart_in_the_middle_of_a_duel_resumes_it_with_its_escrow(app: App) -> None:
    await fund(app, A, B, 7)
    fight = await start_duel(app, 100)
    await app.combat.bet(G, 7, 40, A, "Ann")
    fresh = App(app.settings, app.db, app.catalog, app.clock, app.rng)  # a restarted bot
    assert await fresh.combat.current(G, A) == fight
    first = int(fight.whose_turn)
    await fresh.combat.act(G, first, engine.Defend(str(first)))
    await fresh.combat.act(G, B if first == A else A, engine.Forfeit(str(B if first == A else A)))
    reasons = await by_reason(app)
    assert reasons["combat.duel_win"] == 200 and await fresh.combat.current(G, A) is None


async def test_two_duels_in_one_server_run_at_once(app: App) -> None:
    C, D = 43, 44
    await fund(app, A, B, C, D)
    await start_duel(app, 50)
    await app.combat.duel(G, C, "Cat", D, "Dan", 50)
    other = await app.combat.answer_duel(G, D, "Dan", C, accept=True)
    with refused(errors.AlreadyFighting, "already in a fight"):
        await app.combat.duel(G, A, "Ann", C, "Cat", 0)
    await app.combat.act(G, C, engine.Forfeit(str(C)))
    assert (await app.combat.current(G, A)).status == engine.Status.ACTIVE
    assert (
        await app.combat.current(G, D) is None
        and other.fight.id != (await app.combat.current(G, B)).id
    )
