"""Items a member holds: the inventory and the chest, with the same conditional moves.

`take` never takes more than there is (`... WHERE qty >= :n`), so simultaneous sales or uses
cannot sell or use what is not owned. Rows that reach zero are deleted. Non-stacking items
(weapons) have a quantity of 0 or 1 and carry their upgrade level with them, into the chest
and back.

The statements of the hot paths (`add`, `take`, `take_counted`) are built once per table and
dialect with bound parameters (`g` server, `u` member, `i` item): see `core/wallet.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.errors import UserError
from chibot.core.scope import GuildScope, Repo
from chibot.core.tables import GLOBAL_GUILD, chest, inventory


def _row(table: Table) -> ColumnElement[bool]:
    t = table.c
    return (
        (t.guild_id == bindparam("g"))
        & (t.user_id == bindparam("u"))
        & (t.item_id == bindparam("i"))
    )


@cache
def _add(dialect: str, table: Table, unique: bool) -> Any:
    """INSERT the holding (`qty`, `level`); on conflict add to it (or, `unique`, do nothing);
    RETURNING the quantity held."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    t = table.c
    stmt = dialect_insert(table).values(
        guild_id=bindparam("g"),
        user_id=bindparam("u"),
        item_id=bindparam("i"),
        qty=bindparam("qty"),
        level=bindparam("level"),
    )
    if unique:
        return stmt.on_conflict_do_nothing().returning(t.qty)
    return stmt.on_conflict_do_update(
        index_elements=[t.guild_id, t.user_id, t.item_id],
        set_={"qty": t.qty + stmt.excluded.qty},
    ).returning(t.qty)


@cache
def _take(table: Table) -> Any:
    """UPDATE qty = qty - :qty where at least :qty is held, RETURNING what is left and the level."""
    t = table.c
    return (
        update(table)
        .where(_row(table) & (t.qty >= bindparam("qty")))
        .values(qty=t.qty - bindparam("qty"))
        .returning(t.qty, t.level)
    )


@cache
def _take_all(table: Table) -> Any:
    """DELETE the holding if exactly :qty is held, RETURNING its level."""
    return (
        delete(table)
        .where(_row(table) & (table.c.qty == bindparam("qty")))
        .returning(table.c.level)
    )


class NotEnoughItems(UserError):
    code = "not_enough_items"
    item: str
    wanted: int
    have: int

    def __init__(self, name: str, wanted: int, have: int) -> None:
        message = (
            f"You don't have any {name}."
            if have == 0
            else f"You have {have:,} {name}, not {wanted:,}."
        )
        super().__init__(message, item=name, wanted=wanted, have=have)
        self.item, self.wanted, self.have = name, wanted, have


@dataclass(frozen=True, slots=True)
class Holding:
    item_id: str
    qty: int
    level: int


class Holdings(Repo):
    table: Table

    def __init__(self, scope: GuildScope) -> None:
        super().__init__(scope)
        if self.guild_id == GLOBAL_GUILD:
            raise ValueError("no items in the bot-wide scope (guild_id 0)")

    def _params(self, user_id: int, item_id: str, **more: Any) -> dict[str, Any]:
        return {"g": self.guild_id, "u": user_id, "i": item_id, **more}

    def _key(self, user_id: int, item_id: str) -> ColumnElement[bool]:
        t = self.table.c
        return (t.guild_id == self.guild_id) & (t.user_id == user_id) & (t.item_id == item_id)

    async def get(self, user_id: int, item_id: str) -> Holding | None:
        row = (
            await self.conn.execute(
                select(self.table.c.qty, self.table.c.level).where(self._key(user_id, item_id))
            )
        ).first()
        return Holding(item_id, row.qty, row.level) if row else None

    async def qty(self, user_id: int, item_id: str) -> int:
        found = await self.get(user_id, item_id)
        return found.qty if found else 0

    async def all(self, user_id: int) -> list[Holding]:
        t = self.table.c
        rows = await self.conn.execute(
            select(t.item_id, t.qty, t.level)
            .where((t.guild_id == self.guild_id) & (t.user_id == user_id) & (t.qty > 0))
            .order_by(t.item_id)
        )
        return [Holding(r.item_id, r.qty, r.level) for r in rows]

    async def add(
        self, user_id: int, item_id: str, qty: int = 1, *, level: int = 0, unique: bool = False
    ) -> int:
        """Add `qty`; returns the new quantity. `unique` items (non-stacking) can be held once:
        adding one that is already held returns 0 and changes nothing."""
        if qty <= 0:
            raise ValueError("qty must be positive")
        stmt = _add(self.dialect, self.table, unique)
        params = self._params(user_id, item_id, qty=qty, level=level)
        result = await self.conn.execute(stmt, params)
        if unique:
            return result.scalar_one_or_none() or 0
        return int(result.scalar_one())

    async def take(
        self, user_id: int, item_id: str, qty: int = 1, *, name: str | None = None
    ) -> Holding:
        """Remove `qty` or raise `NotEnoughItems`; returns what was taken (with its level)."""
        if qty <= 0:
            raise ValueError("qty must be positive")
        t = self.table.c
        row = (
            await self.conn.execute(_take(self.table), self._params(user_id, item_id, qty=qty))
        ).first()
        if row is None:
            raise NotEnoughItems(name or item_id, qty, await self.qty(user_id, item_id))
        if row.qty == 0:
            await self.conn.execute(
                delete(self.table).where(self._key(user_id, item_id) & (t.qty == 0))
            )
        return Holding(item_id, qty, row.level)

    async def take_counted(
        self, user_id: int, item_id: str, qty: int, *, held: int, name: str | None = None
    ) -> tuple[Holding, int]:
        """`take`, returning what is left too, in one statement when `held` (what the caller
        read in this transaction) is right: all of it is one conditional DELETE, part of it
        one conditional UPDATE. A wrong `held` costs a statement, never correctness."""
        if qty <= 0:
            raise ValueError("qty must be positive")
        t = self.table.c
        if held == qty:
            gone = (
                await self.conn.execute(
                    _take_all(self.table), self._params(user_id, item_id, qty=qty)
                )
            ).first()
            if gone is not None:
                return Holding(item_id, qty, gone.level), 0
        row = (
            await self.conn.execute(_take(self.table), self._params(user_id, item_id, qty=qty))
        ).first()
        if row is None:
            raise NotEnoughItems(name or item_id, qty, await self.qty(user_id, item_id))
        if row.qty == 0:
            await self.conn.execute(
                delete(self.table).where(self._key(user_id, item_id) & (t.qty == 0))
            )
        return Holding(item_id, qty, row.level), int(row.qty)

    async def set_level(self, user_id: int, item_id: str, *, expect: int, level: int) -> bool:
        """Compare-and-set the upgrade level; False if it was not `expect` (a concurrent upgrade)."""
        t = self.table.c
        result = await self.conn.execute(
            update(self.table)
            .where(self._key(user_id, item_id) & (t.level == expect) & (t.qty > 0))
            .values(level=level)
        )
        return result.rowcount == 1


class Inventory(Holdings):
    table = inventory


class Chest(Holdings):
    table = chest
