"""Administration use cases: settings and the server blacklist, each audited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chibot.core import export
from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.admin import rules
from chibot.features.admin.errors import AlreadyBlacklisted, NotBlacklisted
from chibot.features.admin.store import Wipe


@dataclass(frozen=True, slots=True)
class ServerReset:
    members: int
    chi: int
    rebirths: int
    export_path: Path


class AdminService:
    def __init__(
        self,
        db: Database,
        settings: SettingsService,
        export_dir: Path | str = "data/exports",
        *,
        export_parts: export.Parts | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.export_dir = Path(export_dir)
        self.export_parts = export_parts  # None: the parts of the installed systems

    async def reset_member(
        self, guild_id: int, user_id: int, *, by: int, action: str = "admin.reset"
    ) -> dict[str, int]:
        """Wipe one member in this server (the chest survives); audited with what they had."""

        async def tx(scope: GuildScope) -> dict[str, int]:
            money = await scope.wallet.get(user_id)
            before = {
                "chi": money.chi,
                "rebirths": money.rebirths,
                "lifetime_chi": money.lifetime_chi,
            }
            await scope.get(Wipe).member(user_id, reason=action, ref=str(by))
            await scope.audit.write(by, action, target_id=user_id, before=before, after=None)
            return before

        return await self.db.scoped(guild_id, tx)

    async def reset_server(self, guild_id: int, *, by: int) -> ServerReset:
        """Wipe every member of this server, after an automatic export (its path is returned,
        so the admin is told where it is). Chests, settings and history are kept."""
        document = await export.export_guild(self.db, guild_id, self.export_parts)
        stamp = self.db.clock.now().strftime("%Y%m%dT%H%M%SZ")
        path = self.export_dir / f"{guild_id}-{stamp}-before-reset.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(export.dumps(document), encoding="utf-8")

        async def tx(scope: GuildScope) -> ServerReset:
            count, chi, rebirths = await scope.get(Wipe).server(
                reason="admin.totalreset", ref=str(by)
            )
            await scope.audit.write(
                by,
                "admin.totalreset",
                before={"members": count, "chi": chi, "rebirths": rebirths},
                after=None,
                note=str(path),
            )
            return ServerReset(count, chi, rebirths, path)

        return await self.db.scoped(guild_id, tx)

    async def show(self, guild_id: int) -> tuple[Any, set[str]]:
        """The settings and the keys this server has set (the rest are defaults)."""

        async def tx(scope: GuildScope) -> tuple[Any, set[str]]:
            return await scope.settings.load(), set(await scope.settings.stored())

        return await self.db.scoped(guild_id, tx)

    async def set(self, guild_id: int, key: str, text: str, *, by: int) -> Any:
        return await self.settings.set(
            guild_id, key, rules.parse_value(self.settings.model, key, text), by=by
        )

    async def reset(self, guild_id: int, key: str, *, by: int) -> Any:
        return await self.settings.reset(guild_id, key, by=by)

    async def edit_words(
        self, guild_id: int, which: str, word: str, *, add: bool, by: int
    ) -> list[str]:
        key = rules.word_list_key(which)

        async def tx(scope: GuildScope) -> list[str]:
            current = list(getattr(await scope.settings.load(), key))
            updated = await scope.settings.set(key, rules.with_word(current, word, add=add), by=by)
            return list(getattr(updated, key))

        result = await self.db.scoped(guild_id, tx)
        self.settings.cache.drop(guild_id)
        return result

    async def blacklist(
        self, guild_id: int, user_id: int, *, add: bool, by: int, reason: str | None = None
    ) -> None:
        async def tx(scope: GuildScope) -> None:
            changed = await (
                scope.blacklist.add(user_id, by, reason) if add else scope.blacklist.remove(user_id)
            )
            if not changed:
                raise AlreadyBlacklisted() if add else NotBlacklisted()
            await scope.audit.write(
                by, f"blacklist.{'add' if add else 'remove'}", target_id=user_id, note=reason
            )

        await self.db.scoped(guild_id, tx)

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        """On this server's blacklist or the bot-wide one (guild id 0 for DMs: bot-wide only)."""
        return await self.db.scoped(guild_id, lambda s: s.blacklist.is_blocked(user_id))

    async def blacklisted(self, guild_id: int) -> list[int]:
        return await self.db.scoped(guild_id, lambda s: s.blacklist.list())
