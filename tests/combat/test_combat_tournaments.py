"""Tournaments (`chibot/features/combat/tournaments.py`) on SQLite and PostgreSQL: create,
join, leave, start; fees conserved (every fee paid is a prize or a refund, exactly); a
5-entrant bracket played to the end with byes; a no-show's walk-over; a busy entrant's
walk-over at the round's deadline; cancelling; one tournament per server at a time, two
servers apart; 20 members joining a tournament of 8 at once."""

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
from chibot.features.combat.store import combat_entrants, combat_matches
from chibot.features.combat.tournaments import Joined, MatchDecided, TournamentWon

G, H = 9_501, 9_502
ADMIN = 7
PLAYERS = [51, 52, 53, 54, 55]
NAMES = {u: f"P{u}" for u in range(1, 2_000)}


async def fund(app: App, *users: int, chi: int = 1_000, guild: int = G) -> None:
    for user in users:

        async def tx(scope, u=user):
            await scope.wallet.credit(u, chi, reason="test", earned=False)
            await scope.inventory.add(u, "verdant_windblade", 1, unique=True)

        await app.db.scoped(guild, tx)


async def chi(app: App, user: int, guild: int = G) -> int:
    async def tx(scope):
        return (await scope.wallet.get(user)).chi

    return await app.db.read(guild, tx)


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


async def counters(app: App, user: int, guild: int = G) -> dict[str, int]:
    names = ["tournament_wins", "tournament_losses", "tournament_ties", "tournaments_won"]
    return await app.db.read(guild, lambda s: s.counters.read(user, names))


async def join(app: App, *users: int, guild: int = G) -> None:
    for user in users:
        await app.combat.tournament_join(guild, user, NAMES[user])


async def play_out(app: App, user: int, guild: int = G) -> tuple:
    """Attack in `user`'s fight until it ends; the ending's notices."""
    fight = await app.combat.current(guild, user)
    for _ in range(500):
        actor = int(fight.whose_turn)
        step = await app.combat.act(guild, actor, engine.Attack(str(actor), "VW1"))
        fight = step.fight
        if step.ended:
            return step.notices
    raise AssertionError("the fight did not end")


async def play_tournament(app: App, guild: int = G) -> list:
    notices: list = []
    for _ in range(100):
        t = await app.combat.tournament(guild)
        if t.status != "running":
            return notices
        live = [m for m in t.matches if m.status == "live"]
        assert live, f"a running tournament has a live match: {t.matches}"
        notices.extend(await play_out(app, live[0].side0, guild))
    raise AssertionError("the tournament did not end")


async def test_create_join_leave_and_start(app: App) -> None:
    await fund(app, *PLAYERS)
    await fund(app, 60, chi=50)
    made = await app.combat.tournament_create(G, ADMIN, "  Spring   Cup ", 100, 4)
    assert made.name == "Spring Cup" and made.status == "open" and made.fee == 100
    with refused(errors.TournamentLive, "**Spring Cup** is already open"):
        await app.combat.tournament_create(G, ADMIN, "Other", 0)
    with refused(errors.BadTournament, "2 to 64 entrants"):
        await app.combat.tournament_create(H, ADMIN, "Huge", 0, 100)
    joined = await app.combat.tournament_join(G, 51, "Ann")
    assert isinstance(joined, Joined) and joined.balance == 900 and joined.pool == 100
    with refused(errors.AlreadyEntered, "already in **Spring Cup**"):
        await app.combat.tournament_join(G, 51, "Ann")
    with refused(NotEnoughChi):
        await app.combat.tournament_join(G, 60, "Poor")
    with refused(errors.TooFewEntrants, "it needs at least 2"):
        await app.combat.tournament_start(G, ADMIN)
    assert (await app.combat.tournament(G)).status == "open"  # the refused start changed nothing
    left = await app.combat.tournament_leave(G, 51)
    assert left.refund == 100 and await chi(app, 51) == 1_000
    with refused(errors.NotEntered, "not in **Spring Cup**"):
        await app.combat.tournament_leave(G, 51)
    await join(app, 51, 52, 53, 54)
    with refused(errors.TournamentFull, "full: **4** entrants"):
        await app.combat.tournament_join(G, 55, "Eve")
    started = await app.combat.tournament_start(G, ADMIN)
    assert len(started.matches) == 2 and started.tournament.status == "running"
    assert [e.seed for e in started.tournament.entrants] == [1, 2, 3, 4]
    first = started.matches[0].step.fight
    assert {f.id for f in first.fighters} == {"51", "54"}  # seed 1 v seed 4
    with refused(errors.TournamentStarted, "has started"):
        await app.combat.tournament_join(G, 55, "Eve")
    with refused(errors.TournamentStarted, "has started"):
        await app.combat.tournament_leave(G, 52)
    with refused(errors.TournamentStarted, "has started"):
        await app.combat.tournament_start(G, ADMIN)
    reasons = await by_reason(app)
    assert reasons["combat.tournament_fee"] == -500 and reasons["combat.tournament_refund"] == 100


async def test_five_entrants_played_to_the_end_with_byes(app: App) -> None:
    await fund(app, *PLAYERS)
    await app.combat.tournament_create(G, ADMIN, "Five", 100)
    await join(app, *PLAYERS)
    started = await app.combat.tournament_start(G, ADMIN)
    t = started.tournament
    byes = [m for m in t.matches if m.how == "bye"]
    assert [(m.slot, m.side0) for m in byes] == [(0, 51), (2, 52), (3, 53)]  # the top seeds
    assert len(started.matches) == 1  # seed 4 v seed 5
    notices = await play_tournament(app)
    t = await app.combat.tournament(G)
    assert t.status == "finished" and t.champion is not None
    assert len([m for m in t.matches if m.how != "bye"]) == 4  # entrants - 1 results
    assert [len([m for m in t.matches if m.round == r]) for r in (1, 2, 3)] == [4, 2, 1]
    won = next(n for n in notices if isinstance(n, TournamentWon))
    assert (won.prize, won.runner_up_prize) == (350, 150)
    assert won.champion_id == t.champion and won.runner_up_id == t.runner_up
    reasons = await by_reason(app)
    assert reasons["combat.tournament_fee"] == -500 and reasons["combat.tournament_prize"] == 500
    assert await chi(app, t.champion) == 900 + 350
    assert (await counters(app, t.champion))["tournaments_won"] == 1
    wins = [(await counters(app, u))["tournament_wins"] for u in PLAYERS]
    losses = [(await counters(app, u))["tournament_losses"] for u in PLAYERS]
    assert sum(wins) == 4 and sum(losses) == 4
    assert sum(isinstance(n, MatchDecided) for n in notices) == 4
    assert [await app.combat.current(G, u) for u in PLAYERS] == [None] * 5
    # the next one may be created now
    await app.combat.tournament_create(G, ADMIN, "Next", 0)


async def test_a_no_show_loses_by_walkover(app: App) -> None:
    await fund(app, 51, 52)
    await app.combat.tournament_create(G, ADMIN, "Duo", 200)
    await join(app, 51, 52)
    started = await app.combat.tournament_start(G, ADMIN)
    idle = int(started.matches[0].step.fight.whose_turn)
    other = 52 if idle == 51 else 51
    app.clock.advance(91)  # the first turn passes without an action
    await run_due(app.db, app)
    t = await app.combat.tournament(G)
    assert t.status == "finished" and t.champion == other
    assert t.matches[0].how == "walkover"
    assert await chi(app, other) == 1_200 and await chi(app, idle) == 800  # winner takes all
    assert (await counters(app, other))["tournaments_won"] == 1


async def test_a_busy_entrant_loses_by_walkover_at_the_deadline(app: App) -> None:
    await fund(app, 51, 52, 53)
    await app.combat.spar(G, 52, "P52", 53, "P53")  # 52 is fighting elsewhere
    await app.combat.tournament_create(G, ADMIN, "Busy", 0, deadline_minutes=5)
    await join(app, 51, 52)
    started = await app.combat.tournament_start(G, ADMIN)
    assert started.matches == () and started.tournament.matches[0].status == "pending"
    for _ in range(5):  # the spar goes on past the round's deadline
        app.clock.advance(60)
        fight = await app.combat.current(G, 52)
        actor = int(fight.whose_turn)
        await app.combat.act(G, actor, engine.Attack(str(actor), "VW1"))
    await run_due(app.db, app)
    assert await app.combat.current(G, 52) is not None  # still sparring at the deadline
    t = await app.combat.tournament(G)
    assert t.status == "finished" and t.champion == 51 and t.matches[0].how == "walkover"
    assert (await counters(app, 51))["tournaments_won"] == 1


async def test_a_waiting_match_starts_when_its_entrant_is_free(app: App) -> None:
    await fund(app, 51, 52, 53)
    await app.combat.spar(G, 52, "P52", 53, "P53")
    await app.combat.tournament_create(G, ADMIN, "Later", 0, deadline_minutes=5)
    await join(app, 51, 52)
    await app.combat.tournament_start(G, ADMIN)
    app.clock.advance(300)  # the spar ended by its idle turn long before the deadline
    await run_due(app.db, app)
    t = await app.combat.tournament(G)
    assert t.status == "running" and t.matches[0].status == "live"
    assert (await app.combat.current(G, 52)).mode.name == "tournament"


async def test_cancel_refunds_every_fee_and_stops_the_fights(app: App) -> None:
    await fund(app, 51, 52, 53)
    await app.combat.tournament_create(G, ADMIN, "Doomed", 150)
    await join(app, 51, 52, 53)
    await app.combat.tournament_start(G, ADMIN)
    assert await app.combat.current(G, 52) is not None  # seed 2 v seed 3 is live
    done = await app.combat.tournament_cancel(G, ADMIN)
    assert done.refunded == 450 and done.entrants == 3 and done.stopped == 1
    assert [await chi(app, u) for u in (51, 52, 53)] == [1_000] * 3
    assert await app.combat.current(G, 52) is None and await app.combat.current(G, 53) is None
    reasons = await by_reason(app)
    assert reasons["combat.tournament_fee"] == -450 and reasons["combat.tournament_refund"] == 450
    assert (await counters(app, 52)) == dict.fromkeys(await counters(app, 52), 0)
    assert (await app.combat.tournament(G)).status == "cancelled"
    with refused(errors.NoTournament):
        await app.combat.tournament_cancel(G, ADMIN)
    app.clock.advance(3_600)
    await run_due(app.db, app)  # the round's deadline finds a cancelled tournament
    assert (await app.combat.tournament(G)).status == "cancelled"
    await app.combat.tournament_create(G, ADMIN, "Again", 0)


async def test_one_tournament_per_server_and_servers_apart(app: App) -> None:
    await fund(app, 51, 52)
    await fund(app, 51, 52, guild=H)
    await app.combat.tournament_create(G, ADMIN, "Grove Cup", 10)
    await app.combat.tournament_create(H, ADMIN, "Pond Cup", 20)
    await join(app, 51, 52)
    await app.combat.tournament_join(H, 51, "P51")
    assert await chi(app, 51) == 990 and await chi(app, 51, H) == 980
    g, h = await app.combat.tournament(G), await app.combat.tournament(H)
    assert (g.name, len(g.entrants), g.pool) == ("Grove Cup", 2, 20)
    assert (h.name, len(h.entrants), h.pool) == ("Pond Cup", 1, 20)
    with refused(errors.TooFewEntrants):
        await app.combat.tournament_start(H, ADMIN)
    await app.combat.tournament_start(G, ADMIN)
    assert await app.combat.current(H, 51) is None
    await app.combat.tournament_cancel(H, ADMIN)
    assert (await app.combat.tournament(G)).status == "running"
    with refused(errors.NoTournament):
        await app.combat.tournament(9_999)


async def test_twenty_join_a_tournament_of_eight_at_once(app: App) -> None:
    users = list(range(1_100, 1_120))
    await fund(app, *users)
    await app.combat.tournament_create(G, ADMIN, "Rush", 25, 8)
    results = await asyncio.gather(
        *(app.combat.tournament_join(G, u, NAMES[u]) for u in users), return_exceptions=True
    )
    joined = [r for r in results if isinstance(r, Joined)]
    refusals = [r for r in results if not isinstance(r, Joined)]
    assert len(joined) == 8
    assert all(isinstance(r, errors.TournamentFull) for r in refusals), refusals
    assert sorted(j.entrants for j in joined) == list(range(1, 9))

    async def rows(scope):
        return list(
            await scope.conn.execute(
                select(combat_entrants.c.user_id).where(combat_entrants.c.guild_id == G)
            )
        )

    inside = {r.user_id for r in await app.db.read(G, rows)}
    assert len(inside) == 8
    for u in users:
        assert await chi(app, u) == (975 if u in inside else 1_000)
    assert (await by_reason(app))["combat.tournament_fee"] == -200
    t = await app.combat.tournament(G)
    assert t.pool == 200 and len(t.entrants) == 8


async def test_the_admin_shortcut_is_a_forced_match_in_the_tournament_counters(app: App) -> None:
    await fund(app, 51, 52)
    step = await app.combat.tournament_force(G, 51, "Ann", 52, "Bob")
    assert step.fight.mode.name == "tournament"
    with refused(errors.AlreadyFighting):
        await app.combat.tournament_force(G, 51, "Ann", 53, "Cy")
    await play_out(app, 51)
    total = [await counters(app, u) for u in (51, 52)]
    assert sum(c["tournament_wins"] for c in total) == 1
    assert sum(c["tournaments_won"] for c in total) == 0

    async def matches(scope):
        return list(await scope.conn.execute(select(combat_matches)))

    assert await app.db.read(G, matches) == []
