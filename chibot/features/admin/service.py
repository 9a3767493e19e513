"""Administration use cases: settings and the server blacklist, each audited."""

from __future__ import annotations

from chibot.core.db import Database
from chibot.core.errors import UserError
from chibot.core.settings import GuildSettings, SettingsService
from chibot.features.admin import rules


class AdminService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def show(self, guild_id: int) -> tuple[GuildSettings, set[str]]:
        """The settings and the keys this server has set (the rest are defaults)."""

        async def tx(scope):  # noqa: ANN001, ANN202
            return await scope.settings.load(), set(await scope.settings.stored())

        return await self.db.scoped(guild_id, tx)

    async def set(self, guild_id: int, key: str, text: str, *, by: int) -> GuildSettings:
        return await self.settings.set(guild_id, key, rules.parse_value(key, text), by=by)

    async def reset(self, guild_id: int, key: str, *, by: int) -> GuildSettings:
        return await self.settings.reset(guild_id, key, by=by)

    async def edit_words(self, guild_id: int, which: str, word: str, *, add: bool, by: int) -> list[str]:
        key = rules.word_list_key(which)

        async def tx(scope):  # noqa: ANN001, ANN202
            current = list(getattr(await scope.settings.load(), key))
            updated = await scope.settings.set(key, rules.with_word(current, word, add=add), by=by)
            return list(getattr(updated, key))

        result = await self.db.scoped(guild_id, tx)
        self.settings.cache.drop(guild_id)
        return result

    async def blacklist(self, guild_id: int, user_id: int, *, add: bool, by: int, reason: str | None = None) -> None:
        async def tx(scope):  # noqa: ANN001, ANN202
            changed = await (scope.blacklist.add(user_id, by, reason) if add else scope.blacklist.remove(user_id))
            if not changed:
                raise UserError("They are already blacklisted here." if add else "They are not blacklisted here.")
            await scope.audit.write(by, f"blacklist.{'add' if add else 'remove'}", target_id=user_id, note=reason)

        await self.db.scoped(guild_id, tx)

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        """On this server's blacklist or the bot-wide one (guild id 0 for DMs: bot-wide only)."""
        return await self.db.scoped(guild_id, lambda s: s.blacklist.is_blocked(user_id))

    async def blacklisted(self, guild_id: int) -> list[int]:
        return await self.db.scoped(guild_id, lambda s: s.blacklist.list())
