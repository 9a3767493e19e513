"""Owner use cases: every change is audited in the server it touches (actor, action, target,
before and after); bot-wide ones (the global blacklist) under guild 0."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.tables import GLOBAL_GUILD
from chibot.core.wallet import check_amount
from chibot.features.admin.service import AdminService
from chibot.features.owner import store
from chibot.features.owner.errors import (
    AlreadyBlacklisted,
    BotWideServer,
    DoesNotStack,
    NotBlacklisted,
    RemoveTooMuch,
    UnknownItem,
)

What = Literal["chi", "rebirths", "item"]


@dataclass(frozen=True, slots=True)
class Inspection:
    guild_id: int
    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int
    title: str | None
    inventory: list[tuple[str, int, int]]
    chest: list[tuple[str, int, int]]
    counters: dict[str, int]
    cooldowns: list[tuple[str, Any]]
    blocked: bool


class OwnerService:
    def __init__(self, db: Database, catalog: Catalog, admin: AdminService) -> None:
        self.db = db
        self.catalog = catalog
        self.admin = admin

    async def guilds(self, page: int, per_page: int = 10) -> tuple[list[store.GuildRow], int]:
        async with self.db.transaction() as conn:
            return await store.guild_page(conn, max(1, page), per_page)

    async def inspect(self, guild_id: int, user_id: int) -> Inspection:
        async def tx(scope: GuildScope) -> Inspection:
            member = await scope.members.row(user_id)
            money = await scope.wallet.get(user_id)
            inv = [(h.item_id, h.qty, h.level) for h in await scope.inventory.all(user_id)]
            chest = [(h.item_id, h.qty, h.level) for h in await scope.chest.all(user_id)]
            cds = [(c.action, c.ready_at) for c in await scope.cooldowns.active(user_id)]
            title = member.title if member else None
            return Inspection(
                guild_id,
                user_id,
                money.chi,
                money.rebirths,
                money.lifetime_chi,
                title,
                inv,
                chest,
                await scope.counters.all(user_id),
                cds,
                await scope.blacklist.is_blocked(user_id),
            )

        return await self.db.scoped(guild_id, tx)

    async def adjust(
        self,
        actor_id: int,
        guild_id: int,
        user_id: int,
        what: What,
        amount: int,
        *,
        remove: bool,
        item: str | None = None,
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Give or remove chi, rebirths or an item in any server; returns (before, after)."""
        check_amount(amount)
        if guild_id == GLOBAL_GUILD:
            raise BotWideServer()
        action = f"psy.{'remove' if remove else 'give'}.{what}"

        async def tx(scope: GuildScope) -> tuple[dict[str, int], dict[str, int]]:
            if what == "item":
                found = self.catalog.items.find(item or "")
                if found is None:
                    raise UnknownItem(text=item)
                had = await scope.inventory.qty(user_id, found.id)
                if remove:
                    await scope.inventory.take(user_id, found.id, amount, name=found.name)
                elif not found.stacks:
                    if amount != 1 or had:
                        raise DoesNotStack(item=found.name)
                    await scope.inventory.add(user_id, found.id, 1, unique=True)
                else:
                    await scope.inventory.add(user_id, found.id, amount)
                has = await scope.inventory.qty(user_id, found.id)
                before, after = {found.id: had}, {found.id: has}
            else:
                had = getattr(await scope.wallet.get(user_id), what)
                if remove:
                    if had < amount:
                        raise RemoveTooMuch(have=had, what=what)
                    has = await scope.wallet.debit(
                        user_id, amount, reason=action, ref=str(actor_id), currency=what
                    )
                else:
                    has = await scope.wallet.credit(
                        user_id,
                        amount,
                        reason=action,
                        ref=str(actor_id),
                        currency=what,
                        earned=False,
                    )
                before, after = {what: had}, {what: has}
            await scope.audit.write(actor_id, action, target_id=user_id, before=before, after=after)
            return before, after

        return await self.db.scoped(guild_id, tx)

    async def reset(self, actor_id: int, guild_id: int, user_id: int) -> dict[str, Any]:
        """Wipe one member in one server (the chest survives), audited as an owner action."""
        if guild_id == GLOBAL_GUILD:
            raise BotWideServer()
        return await self.admin.reset_member(guild_id, user_id, by=actor_id, action="psy.reset")

    async def blacklist(
        self, actor_id: int, user_id: int, *, add: bool, reason: str | None = None
    ) -> None:
        async def tx(scope: GuildScope) -> None:
            changed = await (
                scope.blacklist.add(user_id, actor_id, reason)
                if add
                else scope.blacklist.remove(user_id)
            )
            if not changed:
                raise AlreadyBlacklisted() if add else NotBlacklisted()
            await scope.audit.write(
                actor_id,
                f"psy.blacklist.{'add' if add else 'remove'}",
                target_id=user_id,
                note=reason,
            )

        await self.db.scoped(GLOBAL_GUILD, tx)

    async def blacklisted(self) -> list[int]:
        return await self.db.scoped(GLOBAL_GUILD, lambda s: s.blacklist.list())

    async def audit(self, guild_id: int | None, limit: int = 15) -> list[store.AuditRow]:
        async with self.db.transaction() as conn:
            return await store.recent_audit(conn, guild_id, limit)
