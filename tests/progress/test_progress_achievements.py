"""The achievement engine against a real database (SQLite and PostgreSQL).

Proven here:
- every achievement of the economy system is reachable through its counter or member field
  (set directly, then `check`), is paid exactly once (a second check pays nothing; 20
  simultaneous `check_now` calls pay once) and writes one `achievement` ledger row;
- early bird: the first 10 members of a server qualify, the 11th does not;
- `check` runs inside the caller's transaction: if the caller's action is refused afterwards,
  the unlock and its reward roll back with it;
- achievements are per server: unlocking in one server changes nothing in the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select, update

from chibot.app import App
from chibot.core.errors import UserError
from chibot.core.scope import GuildScope
from chibot.core.tables import ledger, members

G1, G2 = 901, 902
USER = 5_000
FILLERS = range(100, 110)  # ten members who came first: USER is the 11th (no early bird)


async def set_member(scope: GuildScope, user_id: int, **values: int) -> None:
    await scope.wallet.ensure(user_id)
    await scope.conn.execute(
        update(members)
        .where((members.c.guild_id == scope.guild_id) & (members.c.user_id == user_id))
        .values(**values)
    )


def counter(name: str, value: int) -> Callable[[GuildScope, int], Awaitable[None]]:
    async def apply(scope: GuildScope, user_id: int) -> None:
        await scope.wallet.ensure(user_id)
        await scope.counters.set(user_id, name, value)

    return apply


def member_field(**values: int) -> Callable[[GuildScope, int], Awaitable[None]]:
    async def apply(scope: GuildScope, user_id: int) -> None:
        await set_member(scope, user_id, **values)

    return apply


# How each achievement of the economy system is reached (the real actions bump these).
REACH = {
    "first_rebirth": counter("rebirths_done", 1),
    "rebirth_master": counter("rebirths_done", 10),
    "millionaire": member_field(lifetime_chi=1_000_000),
    "legendary_weapon": counter("legendary_weapons_owned", 1),
    "arsenal_complete": counter("weapon_kinds_owned", 10),
    "secret_explorer": member_field(secret_words=1),
    "daily_devotee": counter("daily_streak_best", 30),
    "hp_maxed": counter("permanent_hp", 2_750),
    "early_bird": None,  # tested below: membership order
}
# Reaching one of these also reaches the ones below it.
ALSO = {"rebirth_master": {"first_rebirth"}}


def catalog(app: App):
    return {a.id: a for a in app.progress.achievements.achievement}


async def add_fillers(app: App, guild: int) -> None:
    for user in FILLERS:
        await app.db.scoped(guild, lambda s, u=user: s.wallet.ensure(u))
        app.clock.advance(1)


async def achievement_rows(app: App, guild: int, user: int) -> list:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger.c.ref, ledger.c.delta)
            .where(
                (ledger.c.guild_id == guild)
                & (ledger.c.user_id == user)
                & (ledger.c.reason == "achievement")
            )
            .order_by(ledger.c.ref)
        )
        return list(rows)


async def chi(app: App, guild: int, user: int) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(user))).chi


def test_every_economy_achievement_has_a_path() -> None:
    from chibot.core.catalog import load_catalog

    economy = {
        a.id for a in load_catalog().files["achievements"].achievement if a.system == "economy"
    }
    assert economy == set(REACH)


@pytest.mark.parametrize("achievement_id", [k for k, v in REACH.items() if v is not None])
async def test_economy_achievement_unlocks_and_pays_once(app: App, achievement_id: str) -> None:
    await add_fillers(app, G1)
    expected = {achievement_id} | ALSO.get(achievement_id, set())
    everything = catalog(app)

    async def reach_and_check(scope: GuildScope) -> list:
        await REACH[achievement_id](scope, USER)
        return await app.progress.check(scope, USER)

    new = await app.db.scoped(G1, reach_and_check)
    assert {a.id for a in new} == expected
    assert await app.progress.check_now(G1, USER) == []  # once
    unlocked = await app.db.scoped(G1, lambda s: app.progress.unlocked(s, USER))
    assert set(unlocked) == expected
    rows = await achievement_rows(app, G1, USER)
    assert sorted((r.ref, r.delta) for r in rows) == sorted(
        (i, everything[i].reward) for i in expected
    )
    assert await chi(app, G1, USER) == sum(everything[i].reward for i in expected)


async def test_nothing_due_pays_nothing_and_creates_no_record(app: App) -> None:
    assert await app.progress.check_now(G1, USER) == []
    async with app.db.engine.connect() as conn:
        assert (await conn.execute(select(members).where(members.c.guild_id == G1))).first() is None


async def test_twenty_simultaneous_checks_pay_once(app: App) -> None:
    await add_fillers(app, G1)
    await app.db.scoped(G1, lambda s: set_member(s, USER, lifetime_chi=1_000_000))
    results = await asyncio.gather(*(app.progress.check_now(G1, USER) for _ in range(20)))
    assert sorted(len(r) for r in results) == [0] * 19 + [1]
    assert [a.id for r in results for a in r] == ["millionaire"]
    assert [(r.ref, r.delta) for r in await achievement_rows(app, G1, USER)] == [
        ("millionaire", 5000)
    ]
    assert await chi(app, G1, USER) == 5000


async def test_early_bird_first_ten_members_only(app: App) -> None:
    users = list(range(200, 211))
    for user in users:
        await app.db.scoped(G1, lambda s, u=user: s.wallet.ensure(u))
        app.clock.advance(1)
    unlocked = {}
    for user in reversed(users):  # the order of checking does not matter, the order of arrival does
        unlocked[user] = [a.id for a in await app.progress.check_now(G1, user)]
    assert all(unlocked[u] == ["early_bird"] for u in users[:10])
    assert unlocked[users[10]] == []
    assert await chi(app, G1, users[0]) == 5000 and await chi(app, G1, users[10]) == 0


async def test_early_bird_ties_are_broken_by_user_id(app: App) -> None:
    await app.db.scoped(G1, lambda s: s.wallet.ensure(*range(300, 312)))  # same instant
    got = {u: [a.id for a in await app.progress.check_now(G1, u)] for u in range(300, 312)}
    assert [u for u, ids in got.items() if ids == ["early_bird"]] == list(range(300, 310))


async def test_check_rolls_back_with_the_callers_action(app: App) -> None:
    await add_fillers(app, G1)

    async def action_then_refused(scope: GuildScope) -> None:
        await scope.counters.set(USER, "rebirths_done", 1)
        assert [a.id for a in await app.progress.check(scope, USER)] == ["first_rebirth"]
        raise UserError("refused after all")

    with pytest.raises(UserError):
        await app.db.scoped(G1, action_then_refused)
    assert await achievement_rows(app, G1, USER) == []
    assert await chi(app, G1, USER) == 0
    board = await app.progress.achievement_board(G1, USER)
    assert board.unlocked_count == 0


async def test_achievements_are_per_server(app: App) -> None:
    await add_fillers(app, G1)
    await add_fillers(app, G2)
    await app.db.scoped(G1, lambda s: counter("rebirths_done", 1)(s, USER))
    assert [a.id for a in await app.progress.check_now(G1, USER)] == ["first_rebirth"]
    assert await app.progress.check_now(G2, USER) == []
    assert await chi(app, G2, USER) == 0
    assert (await app.progress.achievement_board(G2, USER)).unlocked_count == 0
    # reaching it in the other server pays there too, once
    await app.db.scoped(G2, lambda s: counter("rebirths_done", 1)(s, USER))
    assert [a.id for a in await app.progress.check_now(G2, USER)] == ["first_rebirth"]
    assert await chi(app, G1, USER) == await chi(app, G2, USER) == 1500


async def test_achievement_reward_counts_as_earned(app: App) -> None:
    await add_fillers(app, G1)
    await app.db.scoped(G1, lambda s: counter("rebirths_done", 1)(s, USER))
    await app.progress.check_now(G1, USER)
    money = await app.db.scoped(G1, lambda s: s.wallet.get(USER))
    assert money.lifetime_chi == 1500


async def test_values_include_member_fields_and_max_hp(app: App) -> None:
    async def setup(scope: GuildScope) -> dict:
        await set_member(scope, USER, lifetime_chi=77, secret_words=2)
        await scope.counters.set(USER, "permanent_hp", 100)
        return await app.progress.values(scope, USER)

    values = await app.db.scoped(G1, setup)
    assert values == {"lifetime_chi": 77, "secret_words": 2, "permanent_hp": 100, "max_hp": 350}
