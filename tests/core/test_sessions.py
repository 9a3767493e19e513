"""Live state with an expiry (`core/sessions.py`): one live session per kind and key, answered
once, updated by version, ended once when it expires (by the scheduler, or by the next open),
with the owning system told in the same transaction; isolated per server; never exported."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from support.worded import refused

from chibot.app import App
from chibot.core import export
from chibot.core.scheduler import run_due
from chibot.core.sessions import SessionBusy, SessionChanged, SessionEnded, SessionGone

G, H = 7_001, 7_002
A, B = 71, 72
MIN = timedelta(minutes=1)


def scoped(app: App, guild: int, fn):
    return app.db.scoped(guild, fn)


@pytest.fixture
def ended(app: App) -> list[SessionEnded]:
    seen: list[SessionEnded] = []

    async def listener(scope, event: SessionEnded) -> None:
        seen.append(event)
        await scope.counters.bump(event.session.user_id or 0, "ended_sessions")  # writes count

    app.db.events.subscribe(SessionEnded, listener)
    return seen


async def test_open_get_take_once(app: App) -> None:
    s = await scoped(
        app, G, lambda sc: sc.sessions.open("t.invite", "1:71", {"team": 1}, lasts=MIN, user_id=A)
    )
    assert s.version == 1 and s.state == {"team": 1}
    assert (await scoped(app, G, lambda sc: sc.sessions.get("t.invite", "1:71"))) == s
    assert [
        x.key for x in await scoped(app, G, lambda sc: sc.sessions.waiting_on("t.invite", A))
    ] == ["1:71"]
    with refused(SessionBusy, "already waiting"):
        await scoped(app, G, lambda sc: sc.sessions.open("t.invite", "1:71", {}, lasts=MIN))
    taken = await scoped(app, G, lambda sc: sc.sessions.take("t.invite", "1:71"))
    assert taken.state == {"team": 1}
    with refused(SessionGone, "expired or was already answered"):
        await scoped(app, G, lambda sc: sc.sessions.take("t.invite", "1:71"))


async def test_simultaneous_answers_take_it_once(app: App) -> None:
    await scoped(app, G, lambda sc: sc.sessions.open("t.invite", "k", {}, lasts=MIN))
    results = await asyncio.gather(
        *(scoped(app, G, lambda sc: sc.sessions.take("t.invite", "k")) for _ in range(20)),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, SessionGone) for r in results if isinstance(r, BaseException))


async def test_simultaneous_opens_make_one(app: App) -> None:
    results = await asyncio.gather(
        *(
            scoped(app, G, lambda sc, n=n: sc.sessions.open("t.ally", "1:2", {"n": n}, lasts=MIN))
            for n in range(20)
        ),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, SessionBusy) for r in results if isinstance(r, BaseException))


async def test_update_by_version(app: App) -> None:
    s = await scoped(app, G, lambda sc: sc.sessions.open("t.duel", "71", {"hp": 100}, lasts=MIN))
    s2 = await scoped(app, G, lambda sc: sc.sessions.update(s, {"hp": 90}))
    assert s2.version == 2
    with refused(SessionChanged, "changed while you were answering"):
        await scoped(app, G, lambda sc: sc.sessions.update(s, {"hp": 80}))  # a stale read
    await scoped(app, G, lambda sc: sc.sessions.close(s2))
    assert await scoped(app, G, lambda sc: sc.sessions.get("t.duel", "71")) is None


async def test_expiry_ends_once_through_the_scheduler(app: App, ended) -> None:
    await scoped(
        app, G, lambda sc: sc.sessions.open("t.invite", "x", {"a": 1}, lasts=MIN, user_id=A)
    )
    await scoped(
        app, G, lambda sc: sc.sessions.open("t.invite", "y", {}, lasts=MIN * 10, user_id=A)
    )
    assert await run_due(app.db, app) == 0 and ended == []
    app.clock.advance(61)
    assert await scoped(app, G, lambda sc: sc.sessions.get("t.invite", "x")) is None  # gone at once
    assert await run_due(app.db, app) == 1
    assert [(e.guild_id, e.session.key, e.reason) for e in ended] == [(G, "x", "expired")]
    assert await run_due(app.db, app) == 0 and len(ended) == 1  # once
    assert [
        s.key for s in await scoped(app, G, lambda sc: sc.sessions.waiting_on("t.invite", A))
    ] == ["y"]


async def test_an_answered_or_extended_session_is_not_ended_by_its_old_job(app: App, ended) -> None:
    s = await scoped(app, G, lambda sc: sc.sessions.open("t.duel", "a", {}, lasts=MIN))
    await scoped(
        app, G, lambda sc: sc.sessions.update(s, {"turn": 2}, expires_at=app.clock.now() + MIN * 5)
    )
    await scoped(app, G, lambda sc: sc.sessions.open("t.invite", "b", {}, lasts=MIN))
    await scoped(app, G, lambda sc: sc.sessions.take("t.invite", "b"))
    app.clock.advance(61)
    await run_due(app.db, app)
    assert (
        ended == [] and await scoped(app, G, lambda sc: sc.sessions.get("t.duel", "a")) is not None
    )
    app.clock.advance(300)
    await run_due(app.db, app)
    assert [e.session.key for e in ended] == ["a"]


async def test_reopening_an_expired_key_ends_the_old_one_first(app: App, ended) -> None:
    await scoped(app, G, lambda sc: sc.sessions.open("t.invite", "k", {"old": True}, lasts=MIN))
    app.clock.advance(61)
    new = await scoped(
        app, G, lambda sc: sc.sessions.open("t.invite", "k", {"old": False}, lasts=MIN)
    )
    assert new.state == {"old": False} and [e.session.state for e in ended] == [{"old": True}]
    await run_due(app.db, app)
    assert len(ended) == 1  # the old job found the new, live session and left it


async def test_a_failing_settlement_rolls_back_and_is_retried(app: App) -> None:
    calls: list[str] = []

    async def flaky(scope, event: SessionEnded) -> None:
        calls.append(event.session.key)
        if len(calls) == 1:
            raise RuntimeError("settlement failed")

    app.db.events.subscribe(SessionEnded, flaky)
    await scoped(app, G, lambda sc: sc.sessions.open("t.bet", "k", {"escrow": 50}, lasts=MIN))
    app.clock.advance(61)
    assert await run_due(app.db, app) == 0  # failed: the session is still there to settle
    app.clock.advance(6 * 60)  # the lease runs out
    assert await run_due(app.db, app) == 1 and calls == ["k", "k"]


async def test_servers_are_isolated_and_sessions_never_exported(app: App) -> None:
    await scoped(app, G, lambda sc: sc.sessions.open("t.invite", "k", {}, lasts=MIN))
    assert await scoped(app, H, lambda sc: sc.sessions.get("t.invite", "k")) is None
    await scoped(app, H, lambda sc: sc.sessions.open("t.invite", "k", {}, lasts=MIN))  # its own
    assert "sessions" not in export.dumps(await export.export_guild(app.db, G))
