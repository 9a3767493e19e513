"""Team duels and team boss raids against a real database (SQLite and PostgreSQL;
`combat/team_fights.py`): the lobbies (consent, enemies, joining, one team fight per team),
the leader acting for a teammate, forfeits by leaders only, an idle side forfeiting, the teams'
records, a raid's pot split exactly among its raiders once with their cooldowns, a lobby's
expiry, a restart in the middle, and servers independent. Issue 13."""

from __future__ import annotations

from sqlalchemy import func, select
from support.worded import refused

from chibot.app import App
from chibot.core.scheduler import run_due
from chibot.core.tables import ledger
from chibot.features.combat import engine, errors
from chibot.features.combat.team_fights import REASON, RaidResult, TeamDuelResult, team_results

G, H = 9_481, 9_482
A, B, C, D, E = 91, 92, 93, 94, 95  # A leads the Cranes (C, E), B the Tigers (D)
SCEPTER = "infinity_chi_scepter"


async def setup_teams(app: App, guild: int = G) -> None:
    for user in (A, B, C, D, E):
        await app.db.scoped(guild, lambda s, u=user: s.inventory.add(u, SCEPTER, 1, unique=True))
        await app.db.scoped(guild, lambda s, u=user: s.wallet.credit(u, 100_000, reason="test"))
    await app.teams.create(guild, A, "Cranes")
    await app.teams.create(guild, B, "Tigers")
    for user, team, leader in ((C, "Cranes", A), (E, "Cranes", A), (D, "Tigers", B)):
        await app.teams.request(guild, user, team)
        await app.teams.answer_request(guild, leader, user, accept=True)


async def record(app: App, leader: int, guild: int = G) -> tuple[int, int, int]:
    card = await app.teams.card(guild, leader)
    assert card is not None
    return card.team.wins, card.team.losses, card.team.score


async def paid(app: App, guild: int = G) -> dict[int, int]:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger.c.user_id, func.sum(ledger.c.delta))
            .where((ledger.c.guild_id == guild) & (ledger.c.reason == REASON))
            .group_by(ledger.c.user_id)
        )
        return {r[0]: int(r[1]) for r in rows}


async def test_a_team_duel_needs_consent_and_the_leader_may_act_for_a_teammate(app: App) -> None:
    await setup_teams(app)
    with refused(errors.NotALeader):
        await app.combat.team_duel(G, C, "Cat", B, "Bob")  # C leads nothing
    with refused(errors.NotALeader):
        await app.combat.team_duel(G, A, "Ann", D, "Dan")  # D leads nothing
    lobby = await app.combat.team_duel(G, A, "Ann", B, "Bob")
    assert lobby.rosters == (((A, "Ann"),), ((B, "Bob"),)) and not lobby.enemies
    with refused(errors.TeamBusy):
        await app.combat.team_duel(G, B, "Bob", A, "Ann")  # one team fight per team
    await app.combat.team_join(G, C, "Cat", "duel")
    with refused(errors.AlreadyInLobby):
        await app.combat.team_join(G, C, "Cat", "duel")
    await app.combat.team_join(G, D, "Dan", "duel")
    with refused(errors.WaitForConsent):
        await app.combat.team_start(G, A, "duel")  # not enemies: Bob must accept
    step = await app.combat.team_start(G, B, "duel")
    fight = step.fight
    assert fight.order == (str(A), str(B), str(C), str(D)) and fight.whose_turn == str(A)
    await app.combat.act(G, A, engine.Defend(str(A)))
    await app.combat.act(G, B, engine.Defend(str(B)))
    # Cat's turn: Ann (her leader) acts for her; Dan can't
    with refused(errors.NotYourTurn):
        await app.combat.act(G, D, engine.Defend(str(D)))
    step = await app.combat.act(G, A, engine.Defend(str(A)))
    assert step.fight.whose_turn == str(D)
    assert step.fight.fighter(str(C)).defending  # type: ignore[union-attr]
    with refused(errors.LeaderForfeits):
        await app.combat.act(G, D, engine.Forfeit(str(D)))
    step = await app.combat.act(G, B, engine.Forfeit(str(B)))
    (result,) = team_results(step.notices)
    assert isinstance(result, TeamDuelResult) and result.winner == 0 and result.by_forfeit
    assert (await record(app, A))[:2] == (1, 0) and (await record(app, B))[:2] == (0, 1)
    counters = await app.db.scoped(G, lambda s: s.counters.read(C, ["team_duel_wins"]))
    assert counters["team_duel_wins"] == 1
    await app.combat.team_duel(G, B, "Bob", A, "Ann")  # the teams are free again


async def test_enemies_fight_without_consent_and_cannot_decline(app: App) -> None:
    await setup_teams(app)
    await app.teams.enemy(G, A, "Tigers", add=True)
    lobby = await app.combat.team_duel(G, A, "Ann", B, "Bob")
    assert lobby.enemies
    with refused(errors.TeamsAreEnemies):
        await app.combat.team_close(G, B, "duel", "declined")
    step = await app.combat.team_start(G, A, "duel")  # the challenger starts it
    assert {f.id for f in step.fight.fighters} == {str(A), str(B)}


async def test_a_declined_or_expired_challenge_frees_both_teams(app: App) -> None:
    await setup_teams(app)
    await app.combat.team_duel(G, A, "Ann", B, "Bob")
    closed = await app.combat.team_close(G, B, "duel", "declined")
    assert closed.why == "declined"
    await app.combat.team_duel(G, A, "Ann", B, "Bob")
    app.clock.advance(181)
    await run_due(app.db, app)
    assert await app.combat.team_lobby(G, A) is None
    await app.combat.team_duel(G, B, "Bob", A, "Ann")


async def test_a_side_that_stops_answering_forfeits(app: App) -> None:
    await setup_teams(app)
    await app.combat.team_duel(G, A, "Ann", B, "Bob")
    step = await app.combat.team_start(G, B, "duel")
    await app.combat.act(G, A, engine.Defend(str(A)))
    app.clock.advance(121)  # the Tigers never answer
    await run_due(app.db, app)
    assert await app.combat.current(G, B) is None
    assert (await record(app, A))[0] == 1 and (await record(app, B))[1] == 1
    assert step.fight.mode.name == "team_duel"


async def test_a_raid_won_splits_the_pot_exactly_once_with_cooldowns(app: App) -> None:
    await setup_teams(app)
    with refused(errors.UnknownTeamBoss):
        await app.combat.team_raid(G, A, "Ann", "kraken")
    with refused(errors.NotALeader):
        await app.combat.team_raid(G, C, "Cat", "guardian")
    lobby = await app.combat.team_raid(G, A, "Ann", "guardian")
    assert lobby.boss is not None and lobby.rosters == (((A, "Ann"),),)
    with refused(errors.TooFewRaiders):
        await app.combat.team_start(G, A, "raid")
    with refused(errors.NoLobby):
        await app.combat.team_join(G, D, "Dan", "raid")  # another team's raid
    await app.combat.team_join(G, C, "Cat", "raid")
    await app.combat.team_join(G, E, "Eve", "raid")
    step = await app.combat.team_start(G, A, "raid")
    boss = "tboss:guardian"
    assert step.fight.order == (str(A), boss, str(C), boss, str(E), boss)
    assert step.fight.fighter(boss).max_hp == 580 + 230 * 3  # type: ignore[union-attr]
    for _ in range(200):
        fight = await app.combat.current(G, A)
        if fight is None:
            break
        step = await app.combat.act(G, A, engine.Attack(fight.whose_turn, "IC1"))  # Ann leads
    results = team_results(step.notices)
    assert isinstance(results[0], RaidResult)
    result = results[0]
    if result.outcome != "victory":  # the dice of seed 1234 win it; keep the test honest
        raise AssertionError(f"the raid was lost: {result}")
    assert sorted(s for _, _, s in result.shares) == [666, 667, 667]
    assert sum((await paid(app)).values()) == 2_000  # the pot, once
    assert (await record(app, A))[0] == 1
    with refused(errors.RaidResting):
        await app.combat.team_raid(G, A, "Ann", "guardian")
    await app.combat.team_raid(G, A, "Ann", "titan")  # another boss rests separately


async def test_a_retreat_records_and_pays_nothing(app: App) -> None:
    await setup_teams(app)
    await app.combat.team_raid(G, A, "Ann", "dragon")
    await app.combat.team_join(G, C, "Cat", "raid")
    await app.combat.team_start(G, A, "raid")
    with refused(errors.LeaderForfeits):
        await app.combat.act(G, C, engine.Forfeit(str(C)))
    step = await app.combat.act(G, A, engine.Forfeit(str(A)))
    (result,) = team_results(step.notices)
    assert isinstance(result, RaidResult) and result.outcome == "retreat"
    assert await paid(app) == {} and (await record(app, A))[1] == 1


async def test_a_restart_in_the_middle_of_a_raid_resumes_it(app: App) -> None:
    await setup_teams(app)
    await app.combat.team_raid(G, A, "Ann", "guardian")
    await app.combat.team_join(G, C, "Cat", "raid")
    step = await app.combat.team_start(G, A, "raid")
    fresh = App(app.settings, app.db, app.catalog, app.clock, app.rng)  # a restarted bot
    assert await fresh.combat.current(G, C) == step.fight
    after = await fresh.combat.act(G, A, engine.Defend(str(A)))
    assert after.fight.whose_turn == str(C)
    app.clock.advance(121)
    await run_due(fresh.db, fresh)  # the idle raid retreats on its own
    assert await fresh.combat.current(G, A) is None and (await record(fresh, A))[1] == 1


async def test_team_fights_in_two_servers_are_independent(app: App) -> None:
    await setup_teams(app, G)
    await setup_teams(app, H)
    await app.combat.team_duel(G, A, "Ann", B, "Bob")
    await app.combat.team_start(G, B, "duel")
    assert await app.combat.team_lobby(H, A) is None and await app.combat.current(H, A) is None
    await app.combat.team_raid(H, A, "Ann", "guardian")  # the same team leader, elsewhere
    await app.combat.act(G, A, engine.Forfeit(str(A)))
    assert (await record(app, A, H))[:2] == (0, 0) and (await record(app, B, G))[0] == 1


async def test_simultaneous_challenges_and_joins_keep_one_lobby_and_its_limit(
    app: App, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from chibot.features.combat import team_fights

    await setup_teams(app)
    monkeypatch.setattr(team_fights, "MAX_ROSTER", 2)  # a side of two: one of C and E gets in
    tries = await asyncio.gather(
        *(app.combat.team_duel(G, A, "Ann", B, "Bob") for _ in range(10)),
        *(app.combat.team_duel(G, B, "Bob", A, "Ann") for _ in range(10)),
        return_exceptions=True,
    )
    lobbies = [t for t in tries if not isinstance(t, BaseException)]
    assert len(lobbies) == 1  # one team fight per team, whoever was first
    assert all(isinstance(t, errors.TeamBusy) for t in tries if isinstance(t, BaseException))
    mine = 0 if lobbies[0].leaders[0] == A else 1
    joins = await asyncio.gather(
        *(app.combat.team_join(G, u, f"m{u}", "duel") for u in (C, E, C, E)),
        return_exceptions=True,
    )
    refusals = [j for j in joins if isinstance(j, BaseException)]
    assert all(isinstance(j, errors.LobbyFull | errors.AlreadyInLobby) for j in refusals)
    lobby = await app.combat.team_lobby(G, A)
    assert lobby is not None and len(lobby.rosters[mine]) == 2  # the leader and one
    assert len(joins) - len(refusals) == 1


async def test_an_unarmed_challenged_leader_cannot_start_and_nothing_changes(app: App) -> None:
    await setup_teams(app)
    await app.db.scoped(G, lambda s: s.inventory.take(B, SCEPTER, 1))  # Bob sold his weapon
    await app.combat.team_duel(G, A, "Ann", B, "Bob")
    with refused(errors.Unarmed):
        await app.combat.team_start(G, B, "duel")
    assert await app.combat.team_lobby(G, B) is not None  # the lobby still stands
    assert await app.combat.current(G, A) is None
