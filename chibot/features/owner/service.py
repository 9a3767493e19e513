"""Owner use cases: every change is audited in the server it touches (actor, action, target,
before and after); bot-wide ones (the global blacklist) under guild 0."""

from __future__ import annotations

from collections.abc import Collection
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
    CannotBlacklistBot,
    CannotBlacklistOwner,
    DoesNotStack,
    NoRecord,
    NotBlacklisted,
    NotInServer,
    ReasonTooLong,
    RemoveTooMuch,
    UnknownItem,
)

What = Literal["chi", "rebirths", "item"]
REASON_MAX = 200  # the blacklist's reason column


@dataclass(frozen=True, slots=True)
class Adjusted:
    """One owner grant or removal: what moved (`what` is chi, rebirths or an item id, `name`
    how to call it) and the member's holding before and after."""

    guild_id: int
    user_id: int
    what: str
    name: str
    amount: int
    before: int
    after: int


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
    recorded: bool  # the member has a row in that server
    left_at: Any = None  # when the bot left that server (its data is kept a while)


class OwnerService:
    def __init__(self, db: Database, catalog: Catalog, admin: AdminService) -> None:
        self.db = db
        self.catalog = catalog
        self.admin = admin

    async def guilds(self, page: int, per_page: int = 10) -> tuple[list[store.GuildRow], int, int]:
        """One page of servers, the total, and the page shown (the nearest one that exists)."""
        async with self.db.transaction() as conn:
            return await store.guild_page(conn, page, per_page)

    @staticmethod
    async def _check_target(scope: GuildScope, user_id: int, *, member_known: bool) -> None:
        """The bot is in the server (a record and no `left_at`), and the user has a record
        there or is a member Discord shows (`member_known`): owners act on real members."""
        if scope.guild_id == GLOBAL_GUILD:
            raise BotWideServer()
        known, left_at = await store.guild_presence(scope.conn, scope.guild_id)
        if not known or left_at is not None:
            raise NotInServer(guild_id=scope.guild_id, left=known)
        if not member_known and await scope.members.row(user_id) is None:
            raise NoRecord(user_id=user_id, guild_id=scope.guild_id)

    async def inspect(self, guild_id: int, user_id: int) -> Inspection:
        if guild_id == GLOBAL_GUILD:
            raise BotWideServer()

        async def tx(scope: GuildScope) -> Inspection:
            known, left_at = await store.guild_presence(scope.conn, guild_id)
            if not known:
                raise NotInServer(guild_id=guild_id, left=False)
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
                member is not None,
                left_at,
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
        member_known: bool = False,
    ) -> Adjusted:
        """Give or remove chi, rebirths or an item in a server the bot is in, to a member
        with a record there (or one Discord shows there: `member_known`)."""
        check_amount(amount)
        if guild_id == GLOBAL_GUILD:
            raise BotWideServer()
        action = f"psy.{'remove' if remove else 'give'}.{what}"

        async def tx(scope: GuildScope) -> Adjusted:
            await self._check_target(scope, user_id, member_known=member_known)
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
                key, name = found.id, found.name
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
                key = name = what
            await scope.audit.write(
                actor_id, action, target_id=user_id, before={key: had}, after={key: has}
            )
            return Adjusted(guild_id, user_id, key, name, amount, had, has)

        return await self.db.scoped(guild_id, tx)

    async def reset(
        self, actor_id: int, guild_id: int, user_id: int, *, member_known: bool = False
    ) -> dict[str, Any]:
        """Wipe one member in one server the bot is in (the chest survives), audited as an
        owner action; refused for a user with no record there (nothing to reset)."""
        if guild_id == GLOBAL_GUILD:
            raise BotWideServer()

        async def check(scope: GuildScope) -> None:
            await self._check_target(scope, user_id, member_known=member_known)

        await self.db.scoped(guild_id, check)
        return await self.admin.reset_member(guild_id, user_id, by=actor_id, action="psy.reset")

    async def blacklist(
        self,
        actor_id: int,
        user_id: int,
        *,
        add: bool,
        reason: str | None = None,
        owners: Collection[int] = (),
        is_bot: bool = False,
    ) -> None:
        """The bot-wide blacklist: never an owner or a bot (`owners` and `is_bot` come from
        Discord); a reason longer than the column holds is refused, not cut."""
        if add:
            if user_id in owners or user_id == actor_id:
                raise CannotBlacklistOwner()
            if is_bot:
                raise CannotBlacklistBot()
            if reason is not None:
                reason = " ".join(reason.split()) or None
            if reason is not None and len(reason) > REASON_MAX:
                raise ReasonTooLong(most=REASON_MAX, length=len(reason))

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
