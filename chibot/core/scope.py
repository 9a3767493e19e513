"""`GuildScope`: the only door to per-server data.

A scope binds an open transaction to one server. Repositories (the query classes of core and of
every feature's `store.py`) are built from a scope and take their `guild_id` from it, so no query
on per-server data can be written without its server: there is no API that accepts a bare user
id. `guild_id = 0` is the bot-wide pseudo-server (global blacklist, owner audit); the wallet
refuses it, so nothing per-player can ever be stored there.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from chibot.core.clock import Clock

if TYPE_CHECKING:
    from chibot.core.audit import AuditLog
    from chibot.core.blacklist import Blacklist
    from chibot.core.cooldowns import Cooldowns
    from chibot.core.counters import Counters
    from chibot.core.db import Database
    from chibot.core.events import Event, Notices
    from chibot.core.holdings import Chest, Inventory
    from chibot.core.members import Members
    from chibot.core.sessions import Sessions
    from chibot.core.settings import SettingsRepo
    from chibot.core.wallet import Wallet

R = TypeVar("R", bound="Repo")


class GuildScope:
    def __init__(
        self, conn: AsyncConnection, guild_id: int, clock: Clock, *, db: Database | None = None
    ) -> None:
        if not isinstance(guild_id, int) or guild_id < 0:
            raise ValueError(f"invalid guild id {guild_id!r}")
        self.conn = conn
        self.guild_id = guild_id
        self.clock = clock
        self.db = db
        self._repos: dict[type, Any] = {}

    async def publish(self, event: Event) -> Notices:
        """Publish a domain event inside this transaction (`core/events.py`); returns what
        the listeners want the member to be told."""
        if self.db is None:
            return ()
        return await self.db.events.publish(self, event)

    def get(self, repo: type[R]) -> R:
        """The scope's instance of a repository class (one per transaction)."""
        found = self._repos.get(repo)
        if found is None:
            found = self._repos[repo] = repo(self)
        return found

    def now(self) -> datetime:
        return self.clock.now()

    # The core repositories, named for readability at the call site.
    @property
    def wallet(self) -> Wallet:
        from chibot.core.wallet import Wallet

        return self.get(Wallet)

    @property
    def cooldowns(self) -> Cooldowns:
        from chibot.core.cooldowns import Cooldowns

        return self.get(Cooldowns)

    @property
    def settings(self) -> SettingsRepo:
        from chibot.core.settings import SettingsRepo

        return self.get(SettingsRepo)

    @property
    def audit(self) -> AuditLog:
        from chibot.core.audit import AuditLog

        return self.get(AuditLog)

    @property
    def members(self) -> Members:
        from chibot.core.members import Members

        return self.get(Members)

    @property
    def inventory(self) -> Inventory:
        from chibot.core.holdings import Inventory

        return self.get(Inventory)

    @property
    def chest(self) -> Chest:
        from chibot.core.holdings import Chest

        return self.get(Chest)

    @property
    def counters(self) -> Counters:
        from chibot.core.counters import Counters

        return self.get(Counters)

    @property
    def sessions(self) -> Sessions:
        from chibot.core.sessions import Sessions

        return self.get(Sessions)

    @property
    def blacklist(self) -> Blacklist:
        from chibot.core.blacklist import Blacklist

        return self.get(Blacklist)


class Repo:
    """Base of every repository: holds the scope's connection and server."""

    def __init__(self, scope: GuildScope) -> None:
        self.scope = scope
        self.conn = scope.conn
        self.guild_id = scope.guild_id

    @property
    def dialect(self) -> str:
        return self.conn.dialect.name

    def insert(self, table: Any) -> Any:
        """A dialect insert that supports `on_conflict_do_update` / `_do_nothing`."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)
