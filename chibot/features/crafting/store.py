"""Crafting's table and queries. Per server (`guild_id` first in every key).

- `crafts`: one row per craft in progress, with everything decided at the start: the recipe,
  when it is ready, how many it makes, and whether it succeeds (rolled with the service's
  dice when it started, so that waiting or collecting twice cannot change it). Collecting
  deletes the finished rows and delivers what they return (`DELETE ... RETURNING`): a craft is
  delivered once, however many collections run at the same time.

A member's crafting transactions take the member's row lock first (PostgreSQL, `lock_member`),
so two simultaneous starts cannot both see a free slot; SQLite's transactions already run one
at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, bindparam, select

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, members, metadata

crafts = Table(
    "crafts",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("craft_id", BigInteger, primary_key=True, autoincrement=False),
    Column("recipe", String(48), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ready_at", UtcDateTime, nullable=False),
    Column("success", Integer, nullable=False),  # 0 / 1, rolled at the start
    Column("qty", Integer, nullable=False),  # of the output, on success
    Index("ix_crafts_ready", "guild_id", "user_id", "ready_at"),
)

TABLES = (crafts,)

_MEMBER = (members.c.guild_id == bindparam("g")) & (members.c.user_id == bindparam("u"))
_LOCK = select(members.c.user_id).where(_MEMBER).with_for_update()


@dataclass(frozen=True, slots=True)
class CraftRow:
    craft_id: int
    recipe: str
    started_at: datetime
    ready_at: datetime
    success: bool
    qty: int


_COLUMNS = tuple(
    crafts.c[name] for name in ("craft_id", "recipe", "started_at", "ready_at", "success", "qty")
)


def _row(row: Any) -> CraftRow:
    return CraftRow(
        row.craft_id, row.recipe, row.started_at, row.ready_at, bool(row.success), row.qty
    )


class CraftStore(Repo):
    def _mine(self, user_id: int) -> Any:
        return (crafts.c.guild_id == self.guild_id) & (crafts.c.user_id == user_id)

    async def lock_member(self, user_id: int) -> None:
        """The member's row lock (PostgreSQL; the row must exist: `wallet.ensure` first), so
        that a member's crafting transactions run one after another."""
        if self.dialect == "postgresql":
            await self.conn.execute(_LOCK, {"g": self.guild_id, "u": user_id})

    async def in_progress(self, user_id: int) -> list[CraftRow]:
        """The member's crafts, soonest ready first (then in starting order)."""
        c = crafts.c
        rows = await self.conn.execute(
            select(*_COLUMNS).where(self._mine(user_id)).order_by(c.ready_at, c.craft_id)
        )
        return [_row(r) for r in rows]

    async def add(
        self, user_id: int, recipe: str, *, now: datetime, ready_at: datetime, success: bool,
        qty: int,
    ) -> CraftRow:  # fmt: skip
        row = CraftRow(new_id(), recipe, now, ready_at, success, qty)
        await self.conn.execute(
            crafts.insert().values(
                guild_id=self.guild_id,
                user_id=user_id,
                craft_id=row.craft_id,
                recipe=recipe,
                started_at=now,
                ready_at=ready_at,
                success=int(success),
                qty=qty,
            )
        )
        return row

    async def take_ready(
        self, user_id: int, now: datetime, recipes: tuple[str, ...]
    ) -> list[CraftRow]:
        """Delete the member's crafts of `recipes` finished by `now` and return them: whoever
        deletes a row is the one who delivers it. (A row of a recipe no longer in the content
        stays, untouched, rather than being delivered as nothing.)"""
        c = crafts.c
        where = self._mine(user_id) & (c.ready_at <= now) & c.recipe.in_(recipes)
        rows = await self.conn.execute(crafts.delete().where(where).returning(*_COLUMNS))
        return sorted((_row(r) for r in rows), key=lambda r: (r.ready_at, r.craft_id))
