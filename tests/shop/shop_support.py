"""Helpers of the shop tests: money and items put in place directly, and a snapshot of
everything a shop action may write (to prove that a refusal wrote nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from chibot.app import App
from chibot.core.scope import GuildScope
from chibot.core.tables import ledger, members
from chibot.features.progress.store import achievements

G = 901  # the server of the service tests
G2 = 902  # another server, for isolation
VETERANS = tuple(range(9_000, 9_010))
ALICE, BOB = 11, 12


async def add_veterans(app: App, guild: int) -> None:
    """Ten members who played before anyone the test creates: nobody in a test is an Early
    Bird (whose 5,000 chi would spoil exact balances)."""
    await app.db.scoped(guild, lambda s: s.wallet.ensure(*VETERANS))


async def fund(app: App, guild: int, user: int, chi: int = 0, rebirths: int = 0) -> None:
    """Set a member's chi and rebirths exactly (ledger rows `test`, not earned)."""

    async def tx(scope: GuildScope) -> None:
        await scope.wallet.ensure(user)
        money = await scope.wallet.get(user)
        for currency, want, have in (
            ("chi", chi, money.chi),
            ("rebirths", rebirths, money.rebirths),
        ):
            if want > have:
                await scope.wallet.credit(
                    user, want - have, reason="test", currency=currency, earned=False
                )
            elif want < have:
                await scope.wallet.debit(user, have - want, reason="test", currency=currency)

    await app.db.scoped(guild, tx)


async def put(
    app: App,
    guild: int,
    user: int,
    item_id: str,
    qty: int = 1,
    *,
    level: int = 0,
    chest: bool = False,
) -> None:
    item = app.catalog.items.get(item_id)

    async def tx(scope: GuildScope) -> None:
        await scope.wallet.ensure(user)
        place = scope.chest if chest else scope.inventory
        await place.add(user, item_id, qty, level=level, unique=not item.stacks)

    await app.db.scoped(guild, tx)


@dataclass(frozen=True)
class State:
    chi: int
    rebirths: int
    lifetime: int
    title: str | None
    inventory: tuple
    chest: tuple
    counters: dict[str, int]
    ledger: int
    unlocked: tuple


async def state(app: App, guild: int, user: int) -> State:
    async def tx(scope: GuildScope) -> State:
        row = (
            await scope.conn.execute(
                select(
                    members.c.chi, members.c.rebirths, members.c.lifetime_chi, members.c.title
                ).where((members.c.guild_id == guild) & (members.c.user_id == user))
            )
        ).first()
        rows = (
            await scope.conn.execute(
                select(func.count())
                .select_from(ledger)
                .where((ledger.c.guild_id == guild) & (ledger.c.user_id == user))
            )
        ).scalar_one()
        unlocked = (
            (
                await scope.conn.execute(
                    select(achievements.c.achievement_id)
                    .where((achievements.c.guild_id == guild) & (achievements.c.user_id == user))
                    .order_by(achievements.c.achievement_id)
                )
            )
            .scalars()
            .all()
        )
        return State(
            row.chi if row else 0,
            row.rebirths if row else 0,
            row.lifetime_chi if row else 0,
            row.title if row else None,
            tuple(await scope.inventory.all(user)),
            tuple(await scope.chest.all(user)),
            await scope.counters.all(user),
            rows,
            tuple(unlocked),
        )

    return await app.db.scoped(guild, tx)


async def ledger_rows(app: App, guild: int, user: int) -> list[Any]:
    async with app.db.engine.connect() as conn:
        return list(
            await conn.execute(
                select(ledger)
                .where((ledger.c.guild_id == guild) & (ledger.c.user_id == user))
                .order_by(ledger.c.id)
            )
        )


class FixedRng:
    """A random source that returns the given `randint` results in turn (for loot)."""

    def __init__(self, *values: int) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0)
        assert a <= value <= b, (a, value, b)
        return value

    def random(self) -> float:
        return 0.5
