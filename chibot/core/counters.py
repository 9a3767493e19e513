"""Per-member counters: tallies (`bump`) and high-water gauges (`raise_to`).

Systems record what members do (`purchases`, `dailies`, `duel_wins`...) in the same transaction
as the action; `stats`, achievements and milestones read them.

`apply`, on every command's path, builds its statement once per shape (how many counters are
added, which are set and which raised) with bound parameters: see `core/wallet.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.scope import Repo
from chibot.core.tables import counters

_ALL = select(counters.c.name, counters.c.value).where(
    (counters.c.guild_id == bindparam("g")) & (counters.c.user_id == bindparam("u"))
)
_READ = select(counters.c.name, counters.c.value).where(
    (counters.c.guild_id == bindparam("g"))
    & (counters.c.user_id == bindparam("u"))
    & counters.c.name.in_(bindparam("names", expanding=True))
)


@lru_cache(maxsize=512)
def _apply(
    dialect: str, rows: int, put: tuple[str, ...], high: tuple[str, ...], low: tuple[str, ...] = ()
) -> Any:
    """The multi-row upsert of `Counters.apply`: row i is bound as `n{i}` (name) and `v{i}`
    (value); the names in `put` are set, those in `high` raised to, those in `low` lowered to
    (a best time: a missing row takes the value), the others added to."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = dialect_insert(counters).values(
        [
            {
                "guild_id": bindparam("g"),
                "user_id": bindparam("u"),
                "name": bindparam(f"n{i}"),
                "value": bindparam(f"v{i}"),
            }
            for i in range(rows)
        ]
    )
    c, new = counters.c, stmt.excluded
    greatest = func.max if dialect == "sqlite" else func.greatest
    least = func.min if dialect == "sqlite" else func.least
    whens: list[tuple[Any, Any]] = []
    if put:
        whens.append((new.name.in_(list(put)), new.value))
    if high:
        whens.append((new.name.in_(list(high)), greatest(c.value, new.value)))
    if low:
        whens.append((new.name.in_(list(low)), least(c.value, new.value)))
    value = case(*whens, else_=c.value + new.value) if whens else c.value + new.value
    return stmt.on_conflict_do_update(
        index_elements=[c.guild_id, c.user_id, c.name], set_={"value": value}
    ).returning(c.name, c.value)


class Counters(Repo):
    async def bump(self, user_id: int, name: str, by: int = 1) -> int:
        """Add `by` (may be negative for gauges that go down); returns the new value."""
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=by
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name],
            set_={"value": c.value + stmt.excluded.value},
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def set(self, user_id: int, name: str, value: int) -> int:
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=value
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name], set_={"value": stmt.excluded.value}
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def raise_to(self, user_id: int, name: str, value: int) -> int:
        """Keep the highest value seen (a record: longest streak, highest HP)."""
        stmt = self.insert(counters).values(
            guild_id=self.guild_id, user_id=user_id, name=name, value=value
        )
        c = counters.c
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.guild_id, c.user_id, c.name],
            set_={
                "value": func.max(c.value, stmt.excluded.value)
                if self.dialect == "sqlite"
                else func.greatest(c.value, stmt.excluded.value)
            },
        ).returning(c.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def get(self, user_id: int, name: str) -> int:
        c = counters.c
        value = (
            await self.conn.execute(
                select(c.value).where(
                    (c.guild_id == self.guild_id) & (c.user_id == user_id) & (c.name == name)
                )
            )
        ).scalar_one_or_none()
        return value or 0

    async def all(self, user_id: int) -> dict[str, int]:
        rows = await self.conn.execute(_ALL, {"g": self.guild_id, "u": user_id})
        return {r.name: r.value for r in rows}

    async def read(self, user_id: int, names: Iterable[str]) -> dict[str, int]:
        """Several counters in one statement (missing ones are 0)."""
        wanted = list(names)
        rows = await self.conn.execute(_READ, {"g": self.guild_id, "u": user_id, "names": wanted})
        found = dict.fromkeys(wanted, 0)
        found.update({r.name: int(r.value) for r in rows})
        return found

    async def apply(
        self,
        user_id: int,
        *,
        add: Mapping[str, int] | None = None,
        put: Mapping[str, int] | None = None,
        high: Mapping[str, int] | None = None,
        low: Mapping[str, int] | None = None,
    ) -> dict[str, int]:
        """`bump` (`add`), `set` (`put`), `raise_to` (`high`) and lower-to (`low`: best times,
        a counter that starts at the first value) of several counters in ONE statement (a
        multi-row upsert); returns the new values by name."""
        add, put, high = dict(add or {}), dict(put or {}), dict(high or {})
        low = dict(low or {})
        if len(add) + len(put) + len(high) + len(low) != len({*add, *put, *high, *low}):
            raise ValueError("a counter is named twice")
        named = [item for part in (add, put, high, low) for item in part.items()]
        if not named:
            return {}
        params: dict[str, Any] = {"g": self.guild_id, "u": user_id}
        for i, (name, value) in enumerate(named):
            params[f"n{i}"], params[f"v{i}"] = name, value
        stmt = _apply(self.dialect, len(named), tuple(put), tuple(high), tuple(low))
        return {r.name: int(r.value) for r in await self.conn.execute(stmt, params)}
