"""Combat's tables. Every table is per server (`guild_id` first in every key).

- `combat_loadouts`: the weapon a member chose to fight with (`equip`). A member who never
  chose fights with the strongest weapon they hold, so the row only records a choice.
- `combat_pools`: a duel's escrow: the stake each side put in (`stake`, both sides the same),
  the bets' total, and its status: `open` (bets accepted), `closed` (the first action was
  taken), `settled` (paid or refunded, with the house's cut and what was paid). Every bet and
  the settlement change this one row, conditionally on its status, so on PostgreSQL they are
  serialised by its row lock: a bet that commits before the settlement is in it, a bet after
  it is refused, nothing is in between (`tests/combat/test_combat_bets.py`).
- `combat_bets`: one row per bettor per duel: the side backed and the amount, escrowed
  (debited) when placed; `paid` is what the settlement gave back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, String, Table, bindparam, select, update

from chibot.core.scope import Repo
from chibot.core.tables import UtcDateTime, metadata

combat_loadouts = Table(
    "combat_loadouts",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("weapon", String(48), nullable=False),
    Column("equipped_at", UtcDateTime, nullable=False),
)

combat_pools = Table(
    "combat_pools",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("fight_id", String(24), primary_key=True),
    Column("status", String(8), nullable=False),  # open | closed | settled
    Column("side0", BigInteger, nullable=False),  # the challenger
    Column("side1", BigInteger, nullable=False),
    Column("stake", BigInteger, nullable=False),  # per side
    Column("bets", BigInteger, nullable=False),  # the bets' total
    Column("bettors", Integer, nullable=False),
    Column("winner", BigInteger, nullable=True),  # None: a tie or a cancelled duel
    Column("house", BigInteger, nullable=False),  # the bets' cut kept by the house
    Column("created_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime, nullable=True),
)

combat_bets = Table(
    "combat_bets",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("fight_id", String(24), primary_key=True),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("side", String(8), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("paid", BigInteger, nullable=True),
    Column("placed_at", UtcDateTime, nullable=False),
)

TABLES = (combat_loadouts, combat_pools, combat_bets)


class LoadoutStore(Repo):
    async def weapon(self, user_id: int) -> str | None:
        c = combat_loadouts.c
        row = (
            await self.conn.execute(
                select(c.weapon).where((c.guild_id == self.guild_id) & (c.user_id == user_id))
            )
        ).first()
        return row.weapon if row is not None else None

    async def equip(self, user_id: int, weapon: str, now: datetime) -> None:
        stmt = self.insert(combat_loadouts).values(
            guild_id=self.guild_id, user_id=user_id, weapon=weapon, equipped_at=now
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["guild_id", "user_id"],
                set_={"weapon": weapon, "equipped_at": now},
            )
        )


class PoolStore(Repo):
    """A duel's escrow (`combat_pools`, `combat_bets`)."""

    def _pool(self, fight_id: str) -> Any:
        c = combat_pools.c
        return (c.guild_id == self.guild_id) & (c.fight_id == fight_id)

    async def open(self, fight_id: str, side0: int, side1: int, stake: int, now: datetime) -> None:
        await self.conn.execute(
            combat_pools.insert().values(
                guild_id=self.guild_id, fight_id=fight_id, status="open", side0=side0,
                side1=side1, stake=stake, bets=0, bettors=0, house=0, created_at=now,
            )
        )  # fmt: skip

    async def pool(self, fight_id: str) -> Any:
        return (await self.conn.execute(select(combat_pools).where(self._pool(fight_id)))).first()

    async def add_bet(
        self, fight_id: str, user_id: int, side: str, amount: int, now: datetime
    ) -> bool:
        """The bet's row (False if this member already bet on this duel)."""
        stmt = self.insert(combat_bets).values(
            guild_id=self.guild_id, fight_id=fight_id, user_id=user_id, side=side,
            amount=amount, placed_at=now,
        )  # fmt: skip
        done = await self.conn.execute(stmt.on_conflict_do_nothing())
        return done.rowcount == 1

    async def count_bet(self, fight_id: str, amount: int) -> bool:
        """Add a bet to the pool while it is open (False: closed or settled): the row lock
        that orders bets and the settlement."""
        c = combat_pools.c
        done = await self.conn.execute(
            update(combat_pools)
            .where(self._pool(fight_id) & (c.status == "open"))
            .values(bets=c.bets + amount, bettors=c.bettors + 1)
        )
        return done.rowcount == 1

    async def close(self, fight_id: str) -> None:
        """No more bets (the first action)."""
        c = combat_pools.c
        await self.conn.execute(
            update(combat_pools)
            .where(self._pool(fight_id) & (c.status == "open"))
            .values(status="closed")
        )

    async def settle(self, fight_id: str, now: datetime) -> Any:
        """Mark the pool settled, once: its row as it was, or None if already settled."""
        c = combat_pools.c
        return (
            await self.conn.execute(
                update(combat_pools)
                .where(self._pool(fight_id) & (c.status != "settled"))
                .values(status="settled", settled_at=now)
                .returning(*combat_pools.c)
            )
        ).first()

    async def record(self, fight_id: str, winner: int | None, house: int) -> None:
        await self.conn.execute(
            update(combat_pools).where(self._pool(fight_id)).values(winner=winner, house=house)
        )

    async def bets(self, fight_id: str) -> list[Any]:
        c = combat_bets.c
        return list(
            await self.conn.execute(
                select(combat_bets)
                .where((c.guild_id == self.guild_id) & (c.fight_id == fight_id))
                .order_by(c.user_id)
            )
        )

    async def paid(self, fight_id: str, paid: dict[int, int]) -> None:
        """What each bet got back (0 for the losing ones), in one executemany."""
        c = combat_bets.c
        rows = await self.bets(fight_id)
        if not rows:
            return
        stmt = (
            update(combat_bets)
            .where(
                (c.guild_id == self.guild_id)
                & (c.fight_id == fight_id)
                & (c.user_id == bindparam("u"))
            )
            .values(paid=bindparam("p"))
        )
        await self.conn.execute(stmt, [{"u": r.user_id, "p": paid.get(r.user_id, 0)} for r in rows])
