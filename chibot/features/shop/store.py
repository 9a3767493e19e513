"""Shop queries. Items themselves live in the core `inventory` and `chest` tables (moved by
`chibot.core.holdings`); money in the core `members` table (moved by `chibot.core.wallet`).
This module holds the queries the shop needs beyond those: the member-row lock that orders
every shop transaction of a member, the snapshot a transaction starts from (balances,
holdings, weapons held: one statement), and the member's title.

The lock and the snapshot are built once per shape (dialect, items, weapon lists) with the
member bound as `g` / `u`: see `core/wallet.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, func, select, union

from chibot.core.scope import Repo
from chibot.core.tables import chest, inventory, members


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a shop transaction needs to know first, read (and on PostgreSQL locked) at once:
    the member's balances, how many of the items in question they hold in the inventory and
    in the chest, and (when asked) the distinct weapons and legendary weapons they hold."""

    chi: int
    rebirths: int
    inventory: dict[str, int]
    chest: dict[str, int]
    weapons: int = 0
    legendary: int = 0


_MEMBER = (members.c.guild_id == bindparam("g")) & (members.c.user_id == bindparam("u"))
_LOCK = select(members.c.user_id).where(_MEMBER).with_for_update()


def _held(table: Table, item_id: str) -> ColumnElement[int]:
    t = table.c
    return func.coalesce(
        select(t.qty)
        .where(
            (t.guild_id == bindparam("g")) & (t.user_id == bindparam("u")) & (t.item_id == item_id)
        )
        .scalar_subquery(),
        0,
    )


@lru_cache(maxsize=1024)
def _snapshot(
    items: tuple[str, ...], weapons: tuple[str, ...] | None, legendary: tuple[str, ...]
) -> Any:
    """SELECT chi, rebirths, (inventory, chest) of each item[, distinct weapons held, of them
    legendary] for the member `g` / `u`, as one row."""
    m = members.c
    columns: list[ColumnElement[int]] = [
        func.coalesce(select(m.chi).where(_MEMBER).scalar_subquery(), 0),
        func.coalesce(select(m.rebirths).where(_MEMBER).scalar_subquery(), 0),
    ]
    for item_id in items:
        columns += [_held(inventory, item_id), _held(chest, item_id)]
    if weapons is not None:
        held = union(
            *(
                select(t.c.item_id).where(
                    (t.c.guild_id == bindparam("g"))
                    & (t.c.user_id == bindparam("u"))
                    & (t.c.qty > 0)
                    & t.c.item_id.in_(list(weapons))
                )
                for t in (inventory, chest)
            )
        ).subquery("held")
        columns += [
            select(func.count()).select_from(held).scalar_subquery(),
            select(func.count())
            .select_from(held)
            .where(held.c.item_id.in_(list(legendary)))
            .scalar_subquery(),
        ]
    return select(*columns)


class ShopStore(Repo):
    def _key(self, user_id: int) -> ColumnElement[bool]:
        return (members.c.guild_id == self.guild_id) & (members.c.user_id == user_id)

    async def lock_member(self, user_id: int) -> None:
        """Take the member's row lock first (PostgreSQL), so that a member's shop transactions
        run one after another: two of them can neither interleave their checks nor deadlock
        (every one takes the member row before any item row). SQLite needs nothing: its
        transactions start with `BEGIN IMMEDIATE` and run one at a time."""
        if self.dialect == "postgresql":
            await self.conn.execute(_LOCK, {"g": self.guild_id, "u": user_id})

    async def snapshot(
        self,
        user_id: int,
        items: Sequence[str],
        *,
        weapons: Sequence[str] | None = None,
        legendary: Sequence[str] = (),
    ) -> Snapshot:
        """The member's balances and holdings of `items` (and, given the weapon ids, the
        weapons they hold) in ONE statement, after the member's row lock (`lock_member`, a
        statement of its own on PostgreSQL). A member without a record reads as zeros."""
        # The lock is its own statement: READ COMMITTED gives each statement the snapshot of
        # its start, so only a statement sent after the lock was granted sees what the
        # previous holder of the lock committed.
        await self.lock_member(user_id)
        stmt = _snapshot(
            tuple(items), None if weapons is None else tuple(weapons), tuple(legendary)
        )
        row = (await self.conn.execute(stmt, {"g": self.guild_id, "u": user_id})).one()
        values = [int(v or 0) for v in row]
        inv = {item_id: values[2 + 2 * i] for i, item_id in enumerate(items)}
        box = {item_id: values[3 + 2 * i] for i, item_id in enumerate(items)}
        kinds, legend = (values[-2], values[-1]) if weapons is not None else (0, 0)
        return Snapshot(values[0], values[1], inv, box, kinds, legend)

    async def set_title(self, user_id: int, title: str | None) -> None:
        """Set (or clear) the member's title in this server, creating their row if needed."""
        stmt = self.insert(members).values(
            guild_id=self.guild_id, user_id=user_id, created_at=self.scope.now(), title=title
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[members.c.guild_id, members.c.user_id],
                set_={"title": stmt.excluded.title},
            )
        )

    async def title(self, user_id: int) -> str | None:
        return (
            await self.conn.execute(select(members.c.title).where(self._key(user_id)))
        ).scalar_one_or_none()
