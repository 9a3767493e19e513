"""A member's own rank in a big server, from a recent snapshot of the board, not by counting.

An exact rank counts the rows ahead of the member: two index range counts, cheap in a small
server but growing with it (at 100,000 members the count alone takes 6-13 ms on PostgreSQL,
six times what it takes at 1,000; `chibot bench leaderboard`). So in a server of at least
`SNAPSHOT_MIN` members, a member's own rank (the profile card, the leaderboard's "you" line)
is found by bisection in a sorted snapshot of the board, O(log n): their balance of now is
placed among everyone else's balances as of the snapshot, which is at most `MAX_AGE` seconds
old. Their own moves show at once (the snapshot's row of theirs is discounted); the moves of
others show when the snapshot is renewed. The board's pages, their rows and page numbers stay
exact (keyset reads of the index). Smaller servers always count.

A snapshot is taken in the background when a rank is asked in a big server and the snapshot is
missing or older than `TTL`: two keyset scans of the server's rows (board order, and user-id
order to find a member's own entry) in batches of `BATCH` rows, yielding between batches so
the event loop is never held for long. Until it lands, ranks are counted. The snapshot holds
four arrays of 64-bit integers: 32 bytes per member (3.2 MB for 100,000), per process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select

from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.tables import members

log = logging.getLogger(__name__)

SNAPSHOT_MIN = 20_000  # servers smaller than this count ranks exactly (it is as fast)
TTL = 30.0  # a snapshot older than this is renewed (in the background) when next used
MAX_AGE = 120.0  # a snapshot older than this is not used at all: ranks are counted
BATCH = 2_000  # rows per read: each batch holds the event loop about 5 ms


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One board of one server, as of `taken`: `order_keys` are the negated board keys in
    board order (ascending, so bisect applies) with `order_users` beside them (ascending within
    a tie); `users` / `user_keys` are the same rows in user-id order."""

    taken: float
    order_keys: array[int]
    order_users: array[int]
    users: array[int]
    user_keys: array[int]

    def __len__(self) -> int:
        return len(self.order_keys)

    def ahead(self, key: int, user_id: int) -> int:
        """How many other members came before (key, user_id) on the board."""
        keys, users = self.order_keys, self.order_users
        low, high = bisect_left(keys, -key), bisect_right(keys, -key)
        place = bisect_left(users, user_id, low, high)
        i = bisect_left(self.users, user_id)
        if i < len(self.users) and self.users[i] == user_id and self.user_keys[i] > key:
            place -= 1  # their own, older row is ahead of where they are now
        return place


def build(rows_in_board_order: list[tuple[int, int]], taken: float) -> Snapshot:
    """A snapshot from (key, user_id) rows already in board order (key desc, user id asc);
    for tests and small boards (the loader fills the arrays batch by batch)."""
    by_user = sorted(rows_in_board_order, key=lambda r: r[1])
    return Snapshot(
        taken,
        array("q", (-k for k, _u in rows_in_board_order)),
        array("q", (u for _k, u in rows_in_board_order)),
        array("q", (u for _k, u in by_user)),
        array("q", (k for k, _u in by_user)),
    )


class RankSnapshots:
    """The snapshots of this process, by (server, board), and the loads under way."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.clock = clock
        self._snapshots: dict[tuple[int, str], Snapshot] = {}
        self._loading: dict[tuple[int, str], asyncio.Task[None]] = {}
        self._sizes: dict[tuple[int, str], int] = {}

    def usable(self, guild_id: int, board: str) -> Snapshot | None:
        """The snapshot to rank with, or None (count instead): only in a server last seen
        (`seen`) with `SNAPSHOT_MIN` members or more, and only while it is under `MAX_AGE`."""
        if self._sizes.get((guild_id, board), 0) < SNAPSHOT_MIN:
            return None
        found = self._snapshots.get((guild_id, board))
        if found is None or self.clock() - found.taken > MAX_AGE:
            return None
        return found

    def seen(self, guild_id: int, board: str, size: int) -> None:
        """A rank was asked on a board of `size` members: remember its size and, if it is big
        and its snapshot missing or older than `TTL`, start taking one."""
        if len(self._sizes) > 100_000:
            self._sizes.clear()
        self._sizes[(guild_id, board)] = size
        if size < SNAPSHOT_MIN:
            self._snapshots.pop((guild_id, board), None)
            return
        key = (guild_id, board)
        found = self._snapshots.get(key)
        if found is not None and self.clock() - found.taken <= TTL or key in self._loading:
            return
        task = asyncio.get_running_loop().create_task(self._load(guild_id, board))
        self._loading[key] = task
        task.add_done_callback(lambda _done: self._loading.pop(key, None))

    def forget(self, guild_id: int) -> None:
        """Drop a server's snapshots (its data was reset or purged)."""
        for board in ("chi", "rebirths"):
            self._snapshots.pop((guild_id, board), None)
            self._sizes.pop((guild_id, board), None)

    async def settle(self) -> None:
        """Wait for the loads under way (tests and the bench)."""
        while self._loading:
            await asyncio.gather(*self._loading.values(), return_exceptions=True)

    async def _load(self, guild_id: int, board: str) -> None:
        try:
            taken = self.clock()
            snapshot = await self._scan(guild_id, board, taken)
            self._snapshots[(guild_id, board)] = snapshot
        except Exception:  # a failed load only means ranks are counted a while longer
            log.exception("rank snapshot of guild %s (%s) failed", guild_id, board)

    async def _scan(self, guild_id: int, board: str, taken: float) -> Snapshot:
        m = members.c
        key = m.rebirths if board == "rebirths" else m.chi
        listed = (
            and_(m.guild_id == guild_id, m.rebirths > 0)
            if board == "rebirths"
            else (m.guild_id == guild_id)
        )
        order_keys, order_users = array("q"), array("q")
        cursor: tuple[int, int] | None = None
        while True:  # board order: (key desc, user id asc), by keyset
            where = listed
            if cursor is not None:
                k, u = cursor
                where = and_(listed, (key < k) | ((key == k) & (m.user_id > u)))
            stmt = select(key, m.user_id).where(where).order_by(key.desc(), m.user_id).limit(BATCH)
            rows = await self.db.read(guild_id, _fetch, stmt)
            for k, u in rows:
                order_keys.append(-k)
                order_users.append(u)
            if len(rows) < BATCH:
                break
            cursor = rows[-1]
            await asyncio.sleep(0)
        users, user_keys = array("q"), array("q")
        after: int | None = None
        while True:  # user-id order (the primary key)
            where = listed if after is None else and_(listed, m.user_id > after)
            stmt = select(m.user_id, key).where(where).order_by(m.user_id).limit(BATCH)
            rows = await self.db.read(guild_id, _fetch, stmt)
            for u, k in rows:
                users.append(u)
                user_keys.append(k)
            if len(rows) < BATCH:
                break
            after = rows[-1][0]
            await asyncio.sleep(0)
        return Snapshot(taken, order_keys, order_users, users, user_keys)


async def _fetch(scope: GuildScope, stmt: Select[Any]) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in await scope.conn.execute(stmt)]
