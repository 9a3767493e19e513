"""Items a member holds: the inventory and the chest, with the same conditional moves.

`take` never takes more than there is (`... WHERE qty >= :n`), so simultaneous sales or uses
cannot sell or use what is not owned. Rows that reach zero are deleted. Non-stacking items
(weapons) have a quantity of 0 or 1 and carry their upgrade level with them, into the chest
and back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, delete, select, update

from chibot.core.errors import UserError
from chibot.core.scope import GuildScope, Repo
from chibot.core.tables import GLOBAL_GUILD, chest, inventory


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
        stmt = self.insert(self.table).values(
            guild_id=self.guild_id, user_id=user_id, item_id=item_id, qty=qty, level=level
        )
        t = self.table.c
        if unique:
            result = await self.conn.execute(stmt.on_conflict_do_nothing().returning(t.qty))
            return result.scalar_one_or_none() or 0
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.guild_id, t.user_id, t.item_id],
            set_={"qty": t.qty + stmt.excluded.qty},
        ).returning(t.qty)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def take(
        self, user_id: int, item_id: str, qty: int = 1, *, name: str | None = None
    ) -> Holding:
        """Remove `qty` or raise `NotEnoughItems`; returns what was taken (with its level)."""
        if qty <= 0:
            raise ValueError("qty must be positive")
        t = self.table.c
        row = (
            await self.conn.execute(
                update(self.table)
                .where(self._key(user_id, item_id) & (t.qty >= qty))
                .values(qty=t.qty - qty)
                .returning(t.qty, t.level)
            )
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
                    delete(self.table)
                    .where(self._key(user_id, item_id) & (t.qty == qty))
                    .returning(t.level)
                )
            ).first()
            if gone is not None:
                return Holding(item_id, qty, gone.level), 0
        row = (
            await self.conn.execute(
                update(self.table)
                .where(self._key(user_id, item_id) & (t.qty >= qty))
                .values(qty=t.qty - qty)
                .returning(t.qty, t.level)
            )
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
