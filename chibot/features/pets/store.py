"""Pets' table and queries. Per server (`guild_id` first in every key).

`pets`: one row per pet, at most one of each species per member (unique key), with its state
snapshot (`hunger`, `hp`, `fed_at`: see `rules.py`), its trained levels, its tallies for
combat later (`xp`, `battles_won`, `battles_lost`) and whether it is its owner's active pet
(`active`, 0/1: the service keeps at most one active per member). Every use case that changes a
member's pets locks their rows first (`lock`, PostgreSQL; SQLite's transactions already run
one at a time), so a hundred feedings at once are applied one after another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    update,
)

from chibot.core.ids import new_id
from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, metadata
from chibot.features.pets.rules import Levels, Snapshot

pets = Table(
    "pets",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("pet_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, nullable=False),
    Column("species", String(16), nullable=False),
    Column("nickname", String(32), nullable=True),
    Column("hunger", Integer, nullable=False),
    Column("hp", Integer, nullable=False),
    Column("fed_at", UtcDateTime, nullable=False),
    Column("heal_level", Integer, nullable=False),
    Column("health_level", Integer, nullable=False),
    Column("attack_level", Integer, nullable=False),
    Column("special_level", Integer, nullable=False),
    Column("xp", BigInteger, nullable=False),
    Column("battles_won", Integer, nullable=False),
    Column("battles_lost", Integer, nullable=False),
    Column("active", Integer, nullable=False),
    Column("adopted_at", UtcDateTime, nullable=False),
    UniqueConstraint("guild_id", "user_id", "species", name="uq_pets_member_species"),
)

TABLES = (pets,)


@dataclass(frozen=True, slots=True)
class PetRow:
    pet_id: int
    user_id: int
    species: str
    nickname: str | None
    snapshot: Snapshot
    levels: Levels
    xp: int
    battles_won: int
    battles_lost: int
    active: bool
    adopted_at: datetime


_COLUMNS = tuple(
    pets.c[n]
    for n in (
        "pet_id",
        "user_id",
        "species",
        "nickname",
        "hunger",
        "hp",
        "fed_at",
        "heal_level",
        "health_level",
        "attack_level",
        "special_level",
        "xp",
        "battles_won",
        "battles_lost",
        "active",
        "adopted_at",
    )
)


def _row(r: Any) -> PetRow:
    return PetRow(
        int(r.pet_id),
        int(r.user_id),
        r.species,
        r.nickname,
        Snapshot(int(r.hunger), int(r.hp), r.fed_at),
        Levels(int(r.heal_level), int(r.health_level), int(r.attack_level), int(r.special_level)),
        int(r.xp),
        int(r.battles_won),
        int(r.battles_lost),
        bool(r.active),
        r.adopted_at,
    )


class PetStore(Repo):
    def _of(self, user_id: int) -> Any:
        return (pets.c.guild_id == self.guild_id) & (pets.c.user_id == user_id)

    async def of(self, user_id: int, *, lock: bool = False) -> list[PetRow]:
        """The member's pets in adoption order; with `lock`, their rows are locked until the
        transaction ends (PostgreSQL)."""
        stmt = select(*_COLUMNS).where(self._of(user_id)).order_by(pets.c.adopted_at, pets.c.pet_id)
        if lock and self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        return [_row(r) for r in await self.conn.execute(stmt)]

    async def get(self, pet_id: int) -> PetRow | None:
        row = (
            await self.conn.execute(
                select(*_COLUMNS).where(
                    (pets.c.guild_id == self.guild_id) & (pets.c.pet_id == pet_id)
                )
            )
        ).first()
        return _row(row) if row is not None else None

    async def add(
        self, user_id: int, species: str, hp: int, now: datetime, *, active: bool
    ) -> int | None:
        """Adopt: a new pet, full and healthy; None if the member has one of this species."""
        pet_id = new_id()
        stmt = self.insert(pets).values(
            guild_id=self.guild_id,
            pet_id=pet_id,
            user_id=user_id,
            species=species,
            nickname=None,
            hunger=100,
            hp=hp,
            fed_at=now,
            heal_level=0,
            health_level=0,
            attack_level=0,
            special_level=0,
            xp=0,
            battles_won=0,
            battles_lost=0,
            active=int(active),
            adopted_at=now,
        )
        result = await self.conn.execute(stmt.on_conflict_do_nothing())
        return pet_id if result.rowcount == 1 else None

    def _one(self, user_id: int, pet_id: int) -> Any:
        return self._of(user_id) & (pets.c.pet_id == pet_id)

    async def set_state(self, user_id: int, pet_id: int, snap: Snapshot) -> None:
        await self.conn.execute(
            update(pets)
            .where(self._one(user_id, pet_id))
            .values(hunger=snap.hunger, hp=snap.hp, fed_at=snap.at)
        )

    async def set_level(self, user_id: int, pet_id: int, kind: str, expect: int) -> bool:
        """Compare-and-set one trained level from `expect` to `expect + 1`."""
        column = pets.c[f"{kind}_level"]
        result = await self.conn.execute(
            update(pets)
            .where(self._one(user_id, pet_id) & (column == expect))
            .values({column.name: expect + 1})
        )
        return result.rowcount == 1

    async def rename(self, user_id: int, pet_id: int, nickname: str | None) -> None:
        await self.conn.execute(
            update(pets).where(self._one(user_id, pet_id)).values(nickname=nickname)
        )

    async def activate(self, user_id: int, pet_id: int | None) -> None:
        """Make `pet_id` the member's only active pet (None: none is)."""
        await self.conn.execute(update(pets).where(self._of(user_id)).values(active=0))
        if pet_id is not None:
            await self.conn.execute(update(pets).where(self._one(user_id, pet_id)).values(active=1))

    async def remove(self, user_id: int, pet_id: int) -> bool:
        result = await self.conn.execute(pets.delete().where(self._one(user_id, pet_id)))
        return result.rowcount == 1

    async def move(self, pet_id: int, from_user: int, to_user: int) -> bool:
        """Give a pet to another member (not active there); False if it is not `from_user`'s."""
        result = await self.conn.execute(
            update(pets).where(self._one(from_user, pet_id)).values(user_id=to_user, active=0)
        )
        return result.rowcount == 1

    async def count(self) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count()).select_from(pets).where(pets.c.guild_id == self.guild_id)
                )
            ).scalar_one()
        )
