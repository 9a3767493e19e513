"""Gardens' tables and queries. Every table is per server (`guild_id` first in every key).

- `gardens`: one row per member who founded a garden: its tier and lifetime tallies. On
  PostgreSQL the row is locked (`lock`) by every use case that counts or changes plants, so a
  member's plantings, waterings and upgrades run one after another (SQLite's transactions
  already do); that is what makes "100 plantings with seeds for 10 plant exactly 10".
- `garden_plants`: one row per plant, with its terms fixed at planting (`ready_at`, `chi`)
  and the two once-per-plant actions (`watered`, `fertilized`). Harvesting deletes the ready
  rows and pays what they return (`DELETE ... RETURNING`): a plant is paid once, however many
  harvests run at the same time.
- `garden_boosts`: the server's garden boosts (a row per boost, kept: the last one's end is
  when the next may start).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, metadata

gardens = Table(
    "gardens",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("tier", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("plants_harvested", BigInteger, nullable=False),
    Column("chi_harvested", BigInteger, nullable=False),
)

garden_plants = Table(
    "garden_plants",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("plant_id", BigInteger, primary_key=True, autoincrement=False),
    Column("seed", String(48), nullable=False),
    Column("planted_at", UtcDateTime, nullable=False),
    Column("ready_at", UtcDateTime, nullable=False),
    Column("chi", Integer, nullable=False),
    Column("watered", Integer, nullable=False),  # 0 / 1
    Column("fertilized", Integer, nullable=False),
    Column("boosted", Integer, nullable=False),
    # the active, fed pet's rare-find bonus fixed at planting (percent added to drop chances)
    Column("rare_pct", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_garden_plants_ready", "guild_id", "user_id", "ready_at"),
)

garden_boosts = Table(
    "garden_boosts",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("boost_id", BigInteger, primary_key=True, autoincrement=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("growth_pct", Integer, nullable=False),
    Column("yield_pct", Integer, nullable=False),
    Column("by_id", BigInteger, nullable=False),
    Index("ix_garden_boosts_end", "guild_id", "ends_at"),
)

TABLES = (gardens, garden_plants, garden_boosts)


@dataclass(frozen=True, slots=True)
class GardenRow:
    user_id: int
    tier: str
    created_at: datetime
    plants_harvested: int
    chi_harvested: int


@dataclass(frozen=True, slots=True)
class PlantRow:
    plant_id: int
    seed: str
    planted_at: datetime
    ready_at: datetime
    chi: int
    watered: bool
    fertilized: bool
    boosted: bool


@dataclass(frozen=True, slots=True)
class BoostRow:
    boost_id: int
    starts_at: datetime
    ends_at: datetime
    growth_pct: int
    yield_pct: int
    by_id: int


_GARDEN_COLUMNS = (
    gardens.c.user_id,
    gardens.c.tier,
    gardens.c.created_at,
    gardens.c.plants_harvested,
    gardens.c.chi_harvested,
)
_PLANT_COLUMNS = tuple(
    garden_plants.c[name]
    for name in (
        "plant_id",
        "seed",
        "planted_at",
        "ready_at",
        "chi",
        "watered",
        "fertilized",
        "boosted",
    )
)


def _garden(row: Any) -> GardenRow:
    return GardenRow(row.user_id, row.tier, row.created_at, row.plants_harvested, row.chi_harvested)


def _plant(row: Any) -> PlantRow:
    return PlantRow(
        row.plant_id,
        row.seed,
        row.planted_at,
        row.ready_at,
        row.chi,
        bool(row.watered),
        bool(row.fertilized),
        bool(row.boosted),
    )


class GardenStore(Repo):
    def _mine(self, user_id: int) -> Any:
        return (gardens.c.guild_id == self.guild_id) & (gardens.c.user_id == user_id)

    def _plants_of(self, user_id: int) -> Any:
        p = garden_plants.c
        return (p.guild_id == self.guild_id) & (p.user_id == user_id)

    # --- gardens ----------------------------------------------------------------------------

    async def garden(self, user_id: int, *, lock: bool = False) -> GardenRow | None:
        """The member's garden; with `lock`, its row is locked until the transaction ends
        (PostgreSQL), which orders the member's garden use cases."""
        stmt = select(*_GARDEN_COLUMNS).where(self._mine(user_id))
        if lock and self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return _garden(row) if row is not None else None

    async def create(self, user_id: int, tier: str, now: datetime) -> bool:
        """Found the member's garden; False if they already have one."""
        stmt = self.insert(gardens).values(
            guild_id=self.guild_id,
            user_id=user_id,
            tier=tier,
            created_at=now,
            plants_harvested=0,
            chi_harvested=0,
        )
        result = await self.conn.execute(stmt.on_conflict_do_nothing())
        return result.rowcount == 1

    async def set_tier(self, user_id: int, expect: str, tier: str) -> bool:
        """Compare-and-set the tier (False: it was not `expect` any more)."""
        result = await self.conn.execute(
            update(gardens)
            .where(self._mine(user_id) & (gardens.c.tier == expect))
            .values(tier=tier)
        )
        return result.rowcount == 1

    async def tally(self, user_id: int, plants: int, chi: int) -> GardenRow:
        g = gardens.c
        row = (
            await self.conn.execute(
                update(gardens)
                .where(self._mine(user_id))
                .values(
                    plants_harvested=g.plants_harvested + plants,
                    chi_harvested=g.chi_harvested + chi,
                )
                .returning(*_GARDEN_COLUMNS)
            )
        ).one()
        return _garden(row)

    async def count(self) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(gardens)
                    .where(gardens.c.guild_id == self.guild_id)
                )
            ).scalar_one()
        )

    # --- plants -----------------------------------------------------------------------------

    async def plants(self, user_id: int) -> list[PlantRow]:
        """Every plant of the member, soonest ready first (then in planting order)."""
        p = garden_plants.c
        rows = await self.conn.execute(
            select(*_PLANT_COLUMNS).where(self._plants_of(user_id)).order_by(p.ready_at, p.plant_id)
        )
        return [_plant(r) for r in rows]

    async def plant_count(self, user_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count()).select_from(garden_plants).where(self._plants_of(user_id))
                )
            ).scalar_one()
        )

    async def add_plants(
        self,
        user_id: int,
        seed: str,
        qty: int,
        *,
        planted_at: datetime,
        ready_at: datetime,
        chi: int,
        boosted: bool,
        rare_pct: int = 0,
    ) -> None:
        rows = [
            {
                "guild_id": self.guild_id,
                "user_id": user_id,
                "plant_id": new_id(),
                "seed": seed,
                "planted_at": planted_at,
                "ready_at": ready_at,
                "chi": chi,
                "watered": 0,
                "fertilized": 0,
                "boosted": int(boosted),
                "rare_pct": rare_pct,
            }
            for _ in range(qty)
        ]
        await self.conn.execute(garden_plants.insert(), rows)

    async def take_ready(
        self, user_id: int, now: datetime, seed: str | None = None
    ) -> list[tuple[str, int, int]]:
        """Delete the member's plants ready by `now` (of `seed`, or all) and return (seed, chi,
        rare_pct) of each: whoever deletes a row is the one who pays it."""
        p = garden_plants.c
        where = self._plants_of(user_id) & (p.ready_at <= now)
        if seed is not None:
            where = where & (p.seed == seed)
        rows = await self.conn.execute(
            garden_plants.delete().where(where).returning(p.seed, p.chi, p.rare_pct)
        )
        return [(r.seed, int(r.chi), int(r.rare_pct)) for r in rows]

    async def growing(
        self, user_id: int, now: datetime, seed: str | None, *, unwatered: bool = False,
        unfertilized: bool = False,
    ) -> list[PlantRow]:  # fmt: skip
        """The member's plants still growing at `now` (of `seed`, or all), soonest first."""
        p = garden_plants.c
        where = self._plants_of(user_id) & (p.ready_at > now)
        if seed is not None:
            where = where & (p.seed == seed)
        if unwatered:
            where = where & (p.watered == 0)
        if unfertilized:
            where = where & (p.fertilized == 0)
        rows = await self.conn.execute(
            select(*_PLANT_COLUMNS).where(where).order_by(p.ready_at, p.plant_id)
        )
        return [_plant(r) for r in rows]

    async def water(self, user_id: int, changes: Sequence[tuple[int, datetime]]) -> None:
        """Mark plants watered with their new ready times (plant id, ready at): one statement."""
        await self._tend(user_id, "watered", "ready_at", changes)

    async def fertilize(self, user_id: int, changes: Sequence[tuple[int, int]]) -> None:
        """Mark plants fertilised with their new yields (plant id, chi): one statement."""
        await self._tend(user_id, "fertilized", "chi", changes)

    async def _tend(
        self, user_id: int, flag: str, column: str, changes: Sequence[tuple[int, Any]]
    ) -> None:
        """Set `column` and the once-per-plant `flag` of each plant (plant id, new value), only
        where the flag is still 0: a plant tended twice at once is changed once."""
        if not changes:
            return
        p = garden_plants.c
        stmt = (
            update(garden_plants)
            .where(
                (p.guild_id == bindparam("g"))
                & (p.user_id == bindparam("u"))
                & (p.plant_id == bindparam("pid"))
                & (p[flag] == 0)
            )
            .values({column: bindparam("value"), flag: 1})
        )
        rows = [{"g": self.guild_id, "u": user_id, "pid": pid, "value": v} for pid, v in changes]
        await self.conn.execute(stmt, rows)

    # --- boosts -----------------------------------------------------------------------------

    async def last_boost(self) -> BoostRow | None:
        b = garden_boosts.c
        row = (
            await self.conn.execute(
                select(b.boost_id, b.starts_at, b.ends_at, b.growth_pct, b.yield_pct, b.by_id)
                .where(b.guild_id == self.guild_id)
                .order_by(b.ends_at.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        return BoostRow(
            row.boost_id, row.starts_at, row.ends_at, row.growth_pct, row.yield_pct, row.by_id
        )

    async def add_boost(
        self, starts_at: datetime, ends_at: datetime, growth_pct: int, yield_pct: int, by_id: int
    ) -> BoostRow:
        row = BoostRow(new_id(), starts_at, ends_at, growth_pct, yield_pct, by_id)
        await self.conn.execute(
            garden_boosts.insert().values(
                guild_id=self.guild_id,
                boost_id=row.boost_id,
                starts_at=starts_at,
                ends_at=ends_at,
                growth_pct=growth_pct,
                yield_pct=yield_pct,
                by_id=by_id,
            )
        )
        return row

    async def end_boost(self, boost_id: int, at: datetime) -> None:
        b = garden_boosts.c
        await self.conn.execute(
            update(garden_boosts)
            .where((b.guild_id == self.guild_id) & (b.boost_id == boost_id))
            .values(ends_at=at)
        )
