"""Cooldowns: stored in the database, charged only when the action's transaction commits.

Proven here (SQLite and PostgreSQL):
- a second claim before the cooldown runs out raises `OnCooldown` carrying the real ready time;
- once the clock passes the ready time the action can be claimed again (exactly at it, too);
- a claim in a transaction that then raises a `UserError` is rolled back: no cooldown charged;
- `active()` lists only the cooldowns that have not run out, soonest first;
- cooldowns are per member, per action and per server.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from chibot.core.clock import ManualClock
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi, OnCooldown, UserError

G, OTHER_G = 501, 502
A, B = 11, 22
HOUR = timedelta(hours=1)


async def claim(db: Database, user: int, action: str = "work", until=HOUR, guild: int = G):
    return await db.scoped(guild, lambda s: s.cooldowns.claim(user, action, until))


async def test_second_claim_is_refused_with_the_ready_time(
    db: Database, clock: ManualClock
) -> None:
    ready = await claim(db, A)
    assert ready == clock.now() + HOUR
    clock.advance(minutes=59)
    with pytest.raises(OnCooldown) as caught:
        await claim(db, A)
    assert caught.value.ready_at == ready
    assert caught.value.action == "work"
    # the error carries data; the Discord layer words it, with a relative timestamp
    from chibot.discord.wording import word

    assert "<t:" not in str(caught.value)
    assert f"<t:{int(ready.timestamp())}:R>" in word(caught.value)


async def test_claim_until_a_fixed_time(db: Database, clock: ManualClock) -> None:
    at = clock.now() + timedelta(minutes=5)
    assert await claim(db, A, until=at) == at
    assert await db.scoped(G, lambda s: s.cooldowns.ready_at(A, "work")) == at


async def test_claim_again_once_the_clock_passes(db: Database, clock: ManualClock) -> None:
    first = await claim(db, A)
    clock.set(first)  # exactly at the ready time counts as ready
    second = await claim(db, A)
    assert second == first + HOUR
    clock.advance(seconds=1)
    with pytest.raises(OnCooldown):
        await claim(db, A)


@pytest.mark.parametrize("error", [UserError("nope"), NotEnoughChi(10, 3)])
async def test_a_refused_action_charges_no_cooldown(db: Database, error: UserError) -> None:
    async def action(scope):
        await scope.cooldowns.claim(A, "work", HOUR)
        raise error

    with pytest.raises(type(error)):
        await db.scoped(G, action)
    assert await db.scoped(G, lambda s: s.cooldowns.ready_at(A, "work")) is None
    await claim(db, A)  # still free


async def test_active_lists_only_unexpired_soonest_first(db: Database, clock: ManualClock) -> None:
    await claim(db, A, "short", timedelta(minutes=1))
    await claim(db, A, "long", timedelta(hours=2))
    await claim(db, A, "mid", timedelta(minutes=30))
    await claim(db, B, "other", HOUR)

    active = await db.scoped(G, lambda s: s.cooldowns.active(A))
    assert [c.action for c in active] == ["short", "mid", "long"]
    assert active[0].ready_at == clock.now() + timedelta(minutes=1)

    clock.advance(minutes=1)  # "short" is ready now: not active
    assert [c.action for c in await db.scoped(G, lambda s: s.cooldowns.active(A))] == [
        "mid",
        "long",
    ]
    clock.advance(hours=3)
    assert await db.scoped(G, lambda s: s.cooldowns.active(A)) == []


async def test_cooldowns_are_per_member_action_and_server(db: Database) -> None:
    await claim(db, A, "work")
    await claim(db, B, "work")  # another member
    await claim(db, A, "pet feed")  # another action
    await claim(db, A, "work", guild=OTHER_G)  # another server
    with pytest.raises(OnCooldown):
        await claim(db, A, "work")
    with pytest.raises(OnCooldown):
        await claim(db, A, "work", guild=OTHER_G)
    assert len(await db.scoped(OTHER_G, lambda s: s.cooldowns.active(A))) == 1
    assert await db.scoped(OTHER_G, lambda s: s.cooldowns.active(B)) == []
