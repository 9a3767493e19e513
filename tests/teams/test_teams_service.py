"""Teams' use cases against a real database (SQLite and PostgreSQL): founding, invites and
requests (live sessions), leaving and succession, disbanding with the bank shared back, the
bank through the wallet, upgrades with real effects, the base, relations, events, results;
refusals write nothing; servers are isolated; the races of the issue are exact."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi
from chibot.core.scheduler import run_due
from chibot.core.sessions import SessionGone
from chibot.core.tables import ledger
from chibot.features.teams import errors, rules
from chibot.features.teams.service import Joined, Waiting
from chibot.features.teams.store import TeamStore, team_ledger

G, H = 9_001, 9_002
LEAD, B, C, D = 61, 62, 63, 64


async def fund(app: App, user: int, chi: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, 1, user, chi)


async def chi(app: App, user: int, guild: int = G) -> int:
    return (await app.economy.profile(guild, user)).chi


async def team_of(app: App, user: int, guild: int = G):
    card = await app.teams.card(guild, user)
    return card.team if card else None


async def ledger_of(app: App, user: int, reason: str, guild: int = G) -> list[int]:
    async def tx(scope):
        rows = await scope.conn.execute(
            select(ledger.c.delta)
            .where(
                (ledger.c.guild_id == guild)
                & (ledger.c.user_id == user)
                & (ledger.c.reason == reason)
            )
            .order_by(ledger.c.id)
        )
        return [r.delta for r in rows]

    return await app.db.scoped(guild, tx)


async def achievements(app: App, user: int, guild: int = G) -> set[str]:
    board = await app.progress.achievement_board(guild, user)
    return {r.achievement.id for r in board.rows if r.state == "unlocked"}


async def found(app: App, name: str = "Dragons", leader: int = LEAD, guild: int = G):
    await fund(app, leader, 1_000, guild)
    return (await app.teams.create(guild, leader, name)).card.team


async def join(app: App, team_leader: int, user: int, guild: int = G) -> None:
    await app.teams.invite(guild, team_leader, user)
    await app.teams.answer_invite(guild, user, None, accept=True)


async def test_create_costs_chi_and_names_are_unique_per_server(app: App) -> None:
    team = await found(app)
    assert team.name == "Dragons" and team.members == 1 and team.leader_id == LEAD
    assert await ledger_of(app, LEAD, "team.create") == [-1_000]
    assert "team_founder" in await achievements(app, LEAD)  # unlocked from the real action
    await fund(app, B, 5_000)
    with refused(errors.NameTaken, "already a team called **Dragons**"):
        await app.teams.create(G, B, "DRAGONS")
    assert await chi(app, B) == 5_000  # refused: nothing charged
    with refused(errors.AlreadyInTeam, "already in **Dragons**"):
        await app.teams.create(G, LEAD, "Other")
    with refused(NotEnoughChi):
        await app.teams.create(G, C, "Poor")
    with refused(errors.BadTeamName, "mentions"):
        await app.teams.create(G, B, "@everyone")
    other = await found(app, "Dragons", leader=B, guild=H)  # another server: its own names
    assert other.team_id != team.team_id


async def test_invite_accept_decline_and_expiry(app: App) -> None:
    team = await found(app)
    waiting = await app.teams.invite(G, LEAD, B)
    assert isinstance(waiting, Waiting) and waiting.other == B
    with refused(errors.InviteBusy, "already have an invite"):
        await app.teams.invite(G, LEAD, B)
    with refused(errors.NotInTeam, "not in a team"):
        await app.teams.invite(G, B, C)
    joined = await app.teams.answer_invite(G, B, None, accept=True)
    with refused(errors.RoleNeeded, "leader or officers can invite"):
        await app.teams.invite(G, B, C)  # a member, not an officer
    assert isinstance(joined, Joined) and (await team_of(app, B)).team_id == team.team_id
    with refused(errors.NoInvite):
        await app.teams.answer_invite(G, B, None, accept=True)
    await app.teams.invite(G, LEAD, C)
    declined = await app.teams.answer_invite(G, C, None, accept=False)
    assert declined.team_id == team.team_id and await team_of(app, C) is None
    await app.teams.invite(G, LEAD, D)
    app.clock.advance(25 * 3600)  # invites wait 24 hours by default
    with refused(errors.NoInvite):
        await app.teams.answer_invite(G, D, None, accept=True)
    await run_due(app.db, app)
    await app.teams.invite(G, LEAD, D)  # a new invite after the old one ended


async def test_bots_and_self_and_members_of_teams_are_refused(app: App) -> None:
    await found(app)
    with refused(errors.NoBots):
        await app.teams.invite(G, LEAD, B, target_is_bot=True)
    with refused(errors.NotYourself):
        await app.teams.invite(G, LEAD, LEAD)
    await found(app, "Wolves", leader=B)
    with refused(errors.TheyAreInTeam):
        await app.teams.invite(G, LEAD, B)


async def test_join_requests_and_jointeam_accepts_an_invite(app: App) -> None:
    team = await found(app)
    asked = await app.teams.request(G, B, "dragons")
    assert isinstance(asked, Waiting) and asked.kind == "team.request"
    assert [s.key for s in await app.teams.requests(G, LEAD)] == [f"{team.team_id}:{B}"]
    joined = await app.teams.answer_request(G, LEAD, B, accept=True)
    assert isinstance(joined, Joined)
    with refused(SessionGone):
        await app.teams.answer_request(G, LEAD, B, accept=True)
    await app.teams.invite(G, LEAD, C)
    assert isinstance(await app.teams.request(G, C, "Dragons"), Joined)  # the invite, accepted
    with refused(errors.UnknownTeam, "no team called **Nope**"):
        await app.teams.request(G, D, "Nope")


async def test_twenty_simultaneous_joins_to_three_free_places_admit_three(app: App) -> None:
    team = await found(app)
    await join(app, LEAD, B)
    # the Camp takes 5: three places left
    hopefuls = list(range(100, 120))
    for user in hopefuls:
        await app.teams.invite(G, LEAD, user)
    results = await asyncio.gather(
        *(app.teams.answer_invite(G, user, None, accept=True) for user in hopefuls),
        return_exceptions=True,
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Joined": 3, "TeamFull": 17}, kinds
    card = await app.teams.card(G, LEAD)
    assert card.team.members == 5 == len(card.roster)
    assert card.team.team_id == team.team_id


async def test_leader_leaving_hands_over_and_the_last_one_out_disbands(app: App) -> None:
    team = await found(app)
    await join(app, LEAD, B)
    await join(app, LEAD, C)
    await app.teams.set_role(G, LEAD, C, "officer")
    left = await app.teams.leave(G, LEAD)
    assert left.new_leader == C and not left.disbanded  # the officer, though B joined first
    assert (await team_of(app, B)).leader_id == C
    await app.teams.leave(G, B)
    left = await app.teams.leave(G, C)
    assert left.disbanded and await app.teams.card(G, C) is None
    await found(app, "Dragons", leader=D)  # the name is free again; a new id
    assert (await team_of(app, D)).team_id != team.team_id


async def test_kick_promote_demote_transfer(app: App) -> None:
    await found(app)
    for user in (B, C, D):
        await join(app, LEAD, user)
    await app.teams.set_role(G, LEAD, B, "officer")
    await app.teams.set_role(G, LEAD, C, "officer")
    with refused(errors.RoleNeeded, "leader can kick officers"):
        await app.teams.kick(G, B, C)
    await app.teams.set_role(G, LEAD, C, "member")
    await app.teams.kick(G, B, C)  # officers kick members
    assert await team_of(app, C) is None
    with refused(errors.LeaderCantLeave):
        await app.teams.kick(G, B, LEAD)
    with refused(errors.RoleNeeded, "leader"):
        await app.teams.set_role(G, B, D, "officer")
    await app.teams.set_role(G, LEAD, D, "leader")
    card = await app.teams.card(G, D)
    roles = {m.user_id: m.role for m in card.roster}
    assert card.leader == D and roles[D] == "leader" and roles[LEAD] == "officer"


async def test_the_bank_is_zero_sum_through_the_wallet(app: App) -> None:
    team = await found(app)
    await join(app, LEAD, B)
    await fund(app, B, 2_000)
    move = await app.teams.donate(G, B, 1_500)
    assert move.bank == 1_500 and move.balance == 500
    with refused(NotEnoughChi):
        await app.teams.donate(G, B, 501)
    with refused(errors.RoleNeeded, "leader or officers can withdraw"):
        await app.teams.withdraw(G, B, 10)
    before = await chi(app, LEAD)
    out = await app.teams.withdraw(G, LEAD, 1_000)
    assert out.bank == 500 and await chi(app, LEAD) == before + 1_000 == out.balance
    with refused(errors.BankShort, "holds **500** chi"):
        await app.teams.withdraw(G, LEAD, 501)
    team_after, rows, _, _ = await app.teams.bank_log(G, B)
    assert [r.delta for r in rows] == [-1_000, 1_500] and team_after.team_id == team.team_id


async def test_officers_withdraw_within_the_daily_allowance(app: App) -> None:
    await found(app)
    await join(app, LEAD, B)
    await app.teams.set_role(G, LEAD, B, "officer")
    await fund(app, LEAD, 10_000)
    await app.teams.donate(G, LEAD, 10_000)
    await app.teams.set_officer_limit(G, LEAD, 5_000)  # capped at the Camp's 1,000
    await app.teams.withdraw(G, B, 600)
    with refused(errors.AllowanceUsed, "**400** more chi today"):
        await app.teams.withdraw(G, B, 401)
    await app.teams.withdraw(G, B, 400)
    app.clock.advance(24 * 3600)
    await app.teams.withdraw(G, B, 1_000)  # a new day
    assert await chi(app, B) == 2_000


async def test_hundred_simultaneous_donations_and_withdrawals_are_exact(app: App) -> None:
    await found(app)
    members = [B, C, D]
    for user in members:
        await join(app, LEAD, user)
        await fund(app, user, 1_000)
    await fund(app, LEAD, 5_000)
    await app.teams.donate(G, LEAD, 5_000)
    everyone = [LEAD, *members]
    start = sum([await chi(app, u) for u in everyone]) + 5_000
    calls = []
    for n in range(100):
        if n % 2:
            calls.append(app.teams.withdraw(G, LEAD, 37))
        else:
            calls.append(app.teams.donate(G, members[n % 3], 53))
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(not isinstance(r, BaseException) or isinstance(r, NotEnoughChi) for r in results), (
        results
    )
    donated = sum(
        53 for n, r in enumerate(results) if n % 2 == 0 and not isinstance(r, BaseException)
    )
    withdrawn = sum(37 for n, r in enumerate(results) if n % 2 and not isinstance(r, BaseException))
    bank = (await team_of(app, LEAD)).bank
    assert bank == 5_000 + donated - withdrawn
    total_chi = sum([await chi(app, u) for u in everyone])
    assert total_chi + bank == start  # nothing made, nothing lost

    async def sums(scope):
        members_side = (
            await scope.conn.execute(
                select(func.sum(ledger.c.delta)).where(
                    (ledger.c.guild_id == G) & ledger.c.reason.in_(["team.donate", "team.withdraw"])
                )
            )
        ).scalar_one()
        bank_side = (
            await scope.conn.execute(
                select(func.sum(team_ledger.c.delta)).where(team_ledger.c.guild_id == G)
            )
        ).scalar_one()
        return members_side, bank_side

    members_side, bank_side = await app.db.scoped(G, sums)
    assert members_side == -bank_side and bank_side == bank  # both ledgers agree


async def test_disband_shares_the_bank_back_by_donation(app: App) -> None:
    await found(app)
    await join(app, LEAD, B)
    await join(app, LEAD, C)
    await fund(app, B, 3_000)
    await fund(app, C, 1_000)
    await app.teams.donate(G, B, 3_000)
    await app.teams.donate(G, C, 1_000)
    await app.teams.withdraw(G, LEAD, 1_000)  # the leader spent some: 3,000 left
    left = await app.teams.disband(G, LEAD)
    assert left.disbanded and left.refunds == {B: 2_250, C: 750}
    assert await chi(app, B) == 2_250 and await chi(app, C) == 750
    assert await app.teams.card(G, B) is None


async def test_upgrades_cost_bank_and_trophies_and_do_something(app: App) -> None:
    team = await found(app)
    await fund(app, LEAD, 20_000)
    await app.teams.donate(G, LEAD, 20_000)
    with refused(errors.UpgradeShort, "**5** 🏆"):
        await app.teams.upgrade(G, LEAD, "base")

    async def wins(scope, n):
        for _ in range(n):
            await app.teams.record_duel(scope, team.team_id, "win")

    await app.db.scoped(G, wins, 5)
    up = await app.teams.upgrade(G, LEAD, "base")
    after = await team_of(app, LEAD)
    assert up.level == 2 and after.tier == 2 and after.bank == 15_000 and after.trophies == 0
    assert after.wins == 5  # the record is never spent
    assert rules.tier(after.tier).member_cap == 8
    with refused(errors.UnknownFacility):
        await app.teams.upgrade(G, LEAD, "moat")


async def test_the_base_decorate_train_relax(app: App) -> None:
    await found(app)
    await join(app, LEAD, B)
    for item in ("treadmill", "tv"):
        await app.db.scoped(G, lambda s, i=item: s.inventory.add(B, i, 1))
    with refused(errors.NotInBase, "no Treadmill"):
        await app.teams.train(G, B, "Treadmill")
    await app.teams.place(G, B, "Treadmill", "gym")
    await app.teams.place(G, B, "tv", "decoration")
    assert await app.db.scoped(G, lambda s: s.inventory.qty(B, "treadmill")) == 0
    with refused(errors.WrongKind, "isn't gym equipment"):
        await app.teams.place(G, B, "tv", "gym")
    done = await app.teams.train(G, B, "treadmill")
    assert done.pct == 1.5 and done.stat == "speed"
    for _ in range(5):
        app.clock.advance(16 * 60)
        done = await app.teams.train(G, B, "treadmill")
    assert done.pct == 5.0  # capped by the gym (level 0)
    bonuses = await app.db.scoped(G, lambda s: app.teams.combat_bonuses(s, B))
    assert bonuses == {"speed": 5.0}
    relaxed = await app.teams.relax(G, B, "TV")
    assert relaxed.chi == 20
    with pytest.raises(Exception, match="cooldown"):
        await app.teams.relax(G, B, "TV")
    await app.teams.leave(G, B)
    assert await app.db.scoped(G, lambda s: app.teams.combat_bonuses(s, B)) == {}


async def test_alliances_need_both_leaders_and_rivalries_are_one_sided(app: App) -> None:
    await found(app, "Dragons", LEAD)
    await found(app, "Wolves", B)
    proposal = await app.teams.ally(G, LEAD, "Wolves")
    assert isinstance(proposal, Waiting)
    relation = await app.teams.ally(G, B, "Dragons")  # the other leader proposes back: accepted
    assert relation.kind == "ally" and relation.added
    card = await app.teams.card(G, LEAD)
    assert list(card.allies.values()) == ["Wolves"]
    await app.teams.enemy(G, B, "Dragons", add=True)  # ends the alliance
    card = await app.teams.card(G, LEAD)
    assert card.allies == {} and list(card.rivals.values()) == ["Wolves"] and card.enemies == {}
    assert await app.teams.are_enemies(G, card.team.team_id, (await team_of(app, B)).team_id)
    with refused(errors.SameTeam):
        await app.teams.enemy(G, LEAD, "Dragons", add=True)


async def test_two_leaders_accepting_each_other_at_once_make_one_alliance(app: App) -> None:
    await found(app, "Dragons", LEAD)
    await found(app, "Wolves", B)
    results = await asyncio.gather(
        app.teams.ally(G, LEAD, "Wolves"), app.teams.ally(G, B, "Dragons"), return_exceptions=True
    )
    assert not any(isinstance(r, BaseException) for r in results), results
    card = await app.teams.card(G, LEAD)
    if not card.allies:  # both proposed at the same moment: one accepts the other's
        await app.teams.ally(G, LEAD, "Wolves")
        card = await app.teams.card(G, LEAD)
    assert list(card.allies.values()) == ["Wolves"]
    relations = await app.db.scoped(G, lambda s: s.get(TeamStore).relations(card.team.team_id))
    assert [r[0] for r in relations] == ["ally"]


async def test_events_register_and_close_on_their_own(app: App) -> None:
    await found(app)
    with refused(errors.NoOpenEvent):
        await app.teams.register(G, LEAD, None)
    await app.teams.open_event(G, 1, "Spring Cup", hours=2)
    info = await app.teams.register(G, LEAD, "spring cup")
    assert info.entries == ["Dragons"]
    with refused(errors.AlreadyRegistered):
        await app.teams.register(G, LEAD, None)
    app.clock.advance(2 * 3600 + 1)
    await run_due(app.db, app)
    assert await app.teams.events(G) == []


async def test_servers_are_isolated(app: App) -> None:
    await found(app, "Dragons", LEAD, G)
    await fund(app, LEAD, 500, G)
    await app.teams.donate(G, LEAD, 500)
    assert await app.teams.card(H, LEAD) is None
    with refused(errors.UnknownTeam):
        await app.teams.request(H, B, "Dragons")
    assert (await app.teams.board(H, LEAD)).total == 0


async def test_members_who_left_the_server_leave_their_teams(app: App) -> None:
    await found(app)
    await join(app, LEAD, B)
    await join(app, LEAD, C)
    left = await app.teams.reconcile(G, present={B, D})  # the leader and C left while away
    assert {x.user_id for x in left} == {LEAD, C}
    card = await app.teams.card(G, B)
    assert card.leader == B and [m.user_id for m in card.roster] == [B]
    assert await app.teams.member_left_server(G, D) is None  # in no team: nothing to do


async def test_loyal_member_after_thirty_days_in_one_team(app: App) -> None:
    """The Loyal Member achievement (`team_days`) unlocks from real days in the team."""
    await found(app)
    await join(app, LEAD, B)
    app.clock.advance(29 * 86400)
    await app.teams.card(G, B)
    assert "team_loyal" not in await achievements(app, B)
    app.clock.advance(86400)
    await app.teams.card(G, B)
    assert "team_loyal" in await achievements(app, B)
