"""Resets racing money moves, on SQLite and PostgreSQL (`asyncio.gather`: real concurrency on
PostgreSQL's pool, queued on SQLite's write lock). Whatever interleaving happens, every
member's ledger sums to their balance (0 once their row is gone), and what a reset reports and
audits is exactly what its zeroing ledger rows removed. And two `totalreset`s in the same
second keep two exports, neither overwritten."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import select

from chibot.app import App
from chibot.core.tables import audit, ledger, members

G = 501
ADMIN = 99
USERS = (1001, 1002, 1003)
ROUNDS = 4


async def ledger_rows(app: App) -> list:
    async with app.db.transaction() as conn:
        return list((await conn.execute(select(ledger).where(ledger.c.guild_id == G))).all())


async def balances(app: App) -> dict[int, tuple[int, int]]:
    async with app.db.transaction() as conn:
        rows = await conn.execute(
            select(members.c.user_id, members.c.chi, members.c.rebirths).where(
                members.c.guild_id == G
            )
        )
        return {r.user_id: (r.chi, r.rebirths) for r in rows}


async def audits(app: App, action: str) -> list:
    async with app.db.transaction() as conn:
        rows = await conn.execute(
            select(audit).where((audit.c.guild_id == G) & (audit.c.action == action))
        )
        return list(rows.all())


async def assert_ledger_adds_up(app: App) -> None:
    rows, have = await ledger_rows(app), await balances(app)
    for user in {r.user_id for r in rows} | set(have):
        chi, rebirths = have.get(user, (0, 0))
        mine = [r for r in rows if r.user_id == user]
        assert sum(r.delta for r in mine if r.currency == "chi") == chi, user
        assert sum(r.delta for r in mine if r.currency == "rebirths") == rebirths, user


def removed_by(rows: list, reason: str, ref: str, user: int | None = None) -> tuple[int, int]:
    """(chi, rebirths) taken away by the zeroing rows of one reset."""
    zeroing = [
        r
        for r in rows
        if r.reason == reason and r.ref == ref and (user is None or r.user_id == user)
    ]
    return (
        -sum(r.delta for r in zeroing if r.currency == "chi"),
        -sum(r.delta for r in zeroing if r.currency == "rebirths"),
    )


async def test_chiadds_beside_a_member_reset_keep_the_ledger_whole(app: App) -> None:
    user, left = USERS[0], 0
    for n in range(ROUNDS):
        await app.economy.admin_adjust(G, ADMIN, user, 5)
        await app.economy.admin_adjust(G, ADMIN, user, 2, currency="rebirths")
        by = 7000 + n  # each round's reset is told apart by its actor (the ledger ref)
        adds = [app.economy.admin_adjust(G, ADMIN, user, 1) for _ in range(10)]
        results = await asyncio.gather(
            *adds[:5], app.admin.reset_member(G, user, by=by), *adds[5:], return_exceptions=True
        )
        assert not [r for r in results if isinstance(r, BaseException)]
        before = results[5]
        await assert_ledger_adds_up(app)
        rows = await ledger_rows(app)
        assert removed_by(rows, "admin.reset", str(by)) == (before["chi"], before["rebirths"])
        assert before["rebirths"] == 2
        audited = [a for a in await audits(app, "admin.reset") if a.actor_id == by]
        assert [a.before for a in audited] == [before]
        # what the reset took plus what came after it is all there was
        chi_now = (await balances(app)).get(user, (0, 0))[0]
        assert before["chi"] + chi_now == left + 15
        left = chi_now


async def test_chiadds_beside_a_server_reset_keep_the_ledger_whole(app: App, tmp_path) -> None:
    app.admin.export_dir = tmp_path
    carried = 0
    for n in range(ROUNDS):
        for user in USERS:
            await app.economy.admin_adjust(G, ADMIN, user, 3)
        by = 8000 + n
        adds = [app.economy.admin_adjust(G, ADMIN, u, 1) for _ in range(10) for u in USERS]
        results = await asyncio.gather(
            app.admin.reset_server(G, by=by), *adds, return_exceptions=True
        )
        assert not [r for r in results if isinstance(r, BaseException)]
        done = results[0]
        await assert_ledger_adds_up(app)
        rows = await ledger_rows(app)
        assert removed_by(rows, "admin.totalreset", str(by)) == (done.chi, done.rebirths)
        (audited,) = [a for a in await audits(app, "admin.totalreset") if a.actor_id == by]
        assert audited.before == {"members": done.members, "chi": done.chi, "rebirths": 0}
        left = sum(chi for chi, _ in (await balances(app)).values())
        assert done.chi + left == 3 * len(USERS) + 30 + carried
        for user in USERS:  # what is left per member is what the zeroing rows did not take
            added = sum(
                r.delta
                for r in rows
                if r.user_id == user and r.reason.startswith("admin.add") and r.currency == "chi"
            )
            zeroed = -sum(
                r.delta
                for r in rows
                if r.user_id == user and r.reason in ("admin.totalreset", "admin.reset")
            )
            assert (await balances(app)).get(user, (0, 0))[0] == added - zeroed
        carried = left


async def test_two_totalresets_in_the_same_second_keep_two_exports(app: App, tmp_path) -> None:
    """The clock does not move: both exports get the same time stamp."""
    app.admin.export_dir = tmp_path
    for user in USERS:
        await app.economy.admin_adjust(G, ADMIN, user, 100)
    first = await app.admin.reset_server(G, by=ADMIN)
    second = await app.admin.reset_server(G, by=ADMIN)
    assert first.export_path != second.export_path
    assert sorted(tmp_path.glob("*.json")) == sorted([first.export_path, second.export_path])
    held = json.loads(first.export_path.read_text())["parts"]["core"]["members"]
    assert {r["user_id"] for r in held} == set(USERS)  # the first still holds the members
    assert json.loads(second.export_path.read_text())["parts"]["core"]["members"] == []
    assert (first.members, second.members) == (3, 0)


async def test_two_concurrent_totalresets_keep_two_exports(app: App, tmp_path) -> None:
    app.admin.export_dir = tmp_path
    for user in USERS:
        await app.economy.admin_adjust(G, ADMIN, user, 100)
    a, b = await asyncio.gather(
        app.admin.reset_server(G, by=ADMIN), app.admin.reset_server(G, by=ADMIN + 1)
    )
    assert a.export_path != b.export_path and len(list(tmp_path.glob("*.json"))) == 2
    assert sorted((a.members, b.members)) == [0, 3]
    wiper = a if a.members else b  # the reset that removed the members exported them first
    held = json.loads(wiper.export_path.read_text())["parts"]["core"]["members"]
    assert {r["user_id"] for r in held} == set(USERS)
    await assert_ledger_adds_up(app)


async def test_an_existing_export_is_never_overwritten(app: App, tmp_path) -> None:
    app.admin.export_dir = tmp_path
    stamp = app.clock.now().strftime("%Y%m%dT%H%M%SZ")
    taken = tmp_path / f"{G}-{stamp}-before-reset.json"
    taken.write_text("precious")
    await app.economy.admin_adjust(G, ADMIN, USERS[0], 10)
    done = await app.admin.reset_server(G, by=ADMIN)
    assert taken.read_text() == "precious"
    assert done.export_path != taken and done.export_path.exists()


@pytest.mark.parametrize("rounds", [1])
async def test_a_reset_of_a_member_without_a_record_reports_nothing(app: App, rounds) -> None:
    assert await app.admin.reset_member(G, USERS[1], by=ADMIN) == {
        "chi": 0,
        "rebirths": 0,
        "lifetime_chi": 0,
    }
    assert await ledger_rows(app) == []
