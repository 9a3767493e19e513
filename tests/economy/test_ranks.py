"""Own ranks in big servers from a snapshot of the board (`features/economy/ranks.py`).

- pure: `Snapshot.ahead` agrees with counting the others ahead, whatever the board and
  however the member moved since the snapshot (a property);
- service: below `SNAPSHOT_MIN` ranks are counted; above it, the first rank is counted and
  starts a load; then the profile and the leaderboard's viewer rank from the snapshot: the
  member's own move shows at once, another's when the snapshot is renewed (after `TTL`); a
  snapshot past `MAX_AGE` is not used; the rebirth board has its own.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibot.app import App
from chibot.features.economy import ranks
from chibot.features.economy.ranks import build

G = 702


def exact_ahead(board: dict[int, int], key: int, user: int) -> int:
    """Others before (key, user) in board order (key desc, user id asc)."""
    return sum(1 for u, k in board.items() if u != user and (k > key or (k == key and u < user)))


def in_board_order(board: dict[int, int]) -> list[tuple[int, int]]:
    return sorted(((k, u) for u, k in board.items()), key=lambda r: (-r[0], r[1]))


@pytest.mark.parametrize(
    ("key", "user", "ahead"),
    [
        (101, 9, 0),  # above everyone
        (100, 9, 1),  # tied with 1 at the top, after them by id
        (50, 5, 2),  # a newcomer tied with 2, after them by id
        (50, 1, 0),  # 1 fell to 50, tied with 2 and before them by id: nobody ahead
        (50, 3, 2),  # 3 rose to 50, tied, after 2
        (-5, 9, 4),  # below everyone
        (10, 4, 3),  # 4 stays where they were
        (60, 4, 1),  # 4 rose above 2: their own old row is not counted
        (0, 1, 3),  # 1 fell from the top: not ahead of themselves
    ],
)
def test_ahead_table(key: int, user: int, ahead: int) -> None:
    board = {1: 100, 2: 50, 3: 20, 4: 10}
    assert build(in_board_order(board), 0.0).ahead(key, user) == ahead


@settings(max_examples=150, deadline=None)
@given(
    board=st.dictionaries(st.integers(1, 40), st.integers(-3, 6), max_size=30),
    user=st.integers(1, 45),
    key=st.integers(-4, 7),
)
def test_ahead_counts_the_others(board: dict[int, int], user: int, key: int) -> None:
    snapshot = build(in_board_order(board), 0.0)
    assert snapshot.ahead(key, user) == exact_ahead(board, key, user)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def small_big_server(app: App, monkeypatch) -> Clock:
    """A server of 8 counts as big; the snapshots' clock is ours."""
    monkeypatch.setattr(ranks, "SNAPSHOT_MIN", 8)
    clock = Clock()
    app.economy.ranks.clock = clock
    return clock


async def fill(app: App, balances: dict[int, int]) -> None:
    async def tx(scope):
        for user, chi in balances.items():
            await scope.wallet.ensure(user)
            if chi:
                await scope.wallet.credit(user, chi, reason="t")

    await app.db.scoped(G, tx)


async def give(app: App, user: int, chi: int) -> None:
    await app.db.scoped(G, lambda s: s.wallet.credit(user, chi, reason="t"))


async def test_small_servers_count(app: App) -> None:
    await fill(app, {u: 10 * u for u in range(1, 9)})
    assert (await app.economy.profile(G, 1)).rank == 8
    await app.economy.ranks.settle()
    assert app.economy.ranks.usable(G, "chi") is None  # 8 < SNAPSHOT_MIN: never a snapshot
    await give(app, 2, 1_000)
    assert (await app.economy.profile(G, 2)).rank == 1


async def test_big_servers_rank_from_a_snapshot(app: App, small_big_server: Clock) -> None:
    await fill(app, {u: 10 * u for u in range(1, 9)})  # 8 is first, 1 last
    assert (await app.economy.profile(G, 1)).rank == 8  # counted; a load starts
    await app.economy.ranks.settle()
    assert len(app.economy.ranks.usable(G, "chi")) == 8

    await give(app, 1, 75)  # 1 now has 85: first, at once (their own move)
    assert (await app.economy.profile(G, 1)).rank == 1
    page = await app.economy.leaderboard(G, "chi", 1, 1)
    assert page.viewer.rank == 1
    assert [r.user_id for r in page.rows][:2] == [1, 8]  # the rows themselves are exact

    await give(app, 2, 1_000)  # another's move: not seen until the snapshot is renewed
    assert (await app.economy.profile(G, 1)).rank == 1
    small_big_server.now += ranks.TTL + 1
    assert (await app.economy.profile(G, 1)).rank == 1  # still the old one; a renewal starts
    await app.economy.ranks.settle()
    assert (await app.economy.profile(G, 1)).rank == 2


async def test_an_old_snapshot_is_not_used(app: App, small_big_server: Clock) -> None:
    await fill(app, {u: 10 * u for u in range(1, 9)})
    await app.economy.profile(G, 1)
    await app.economy.ranks.settle()
    await give(app, 2, 1_000)
    small_big_server.now += ranks.MAX_AGE + 1
    assert (await app.economy.profile(G, 1)).rank == 8  # counted: 2 is ahead now


async def test_the_rebirth_board_has_its_own(app: App, small_big_server: Clock) -> None:
    async def tx(scope):
        for user in range(1, 10):
            await scope.wallet.ensure(user)
            await scope.wallet.credit(user, user, reason="t", currency="rebirths")

    await app.db.scoped(G, tx)
    first = await app.economy.leaderboard(G, "rebirths", 1, 1)
    assert first.viewer.rank == 9
    await app.economy.ranks.settle()
    assert app.economy.ranks.usable(G, "rebirths") is not None
    await app.db.scoped(G, lambda s: s.wallet.credit(1, 20, reason="t", currency="rebirths"))
    assert (await app.economy.leaderboard(G, "rebirths", 1, 1)).viewer.rank == 1


async def test_a_big_scan_is_read_in_batches(app: App, small_big_server, monkeypatch) -> None:
    monkeypatch.setattr(ranks, "BATCH", 3)
    balances = {u: (u % 4) * 5 for u in range(1, 21)}  # ties, read across batch edges
    await fill(app, balances)
    await app.economy.profile(G, 1)
    await app.economy.ranks.settle()
    snapshot = app.economy.ranks.usable(G, "chi")
    assert len(snapshot) == 20
    for user, chi in balances.items():
        assert snapshot.ahead(chi, user) == exact_ahead(balances, chi, user)
