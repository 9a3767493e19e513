"""Progress use cases. `check` is called by other systems inside their own transaction, right
after the action that may have moved a counter, so an achievement unlocks with the real action,
is paid once, and is returned for the cog to announce."""

from __future__ import annotations

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.features.economy.store import EconomyStore
from chibot.features.progress import rules
from chibot.features.progress.content import Achievement, AchievementsFile, MilestonesFile
from chibot.features.progress.store import ProgressStore

# Counters read from the member row rather than the counters table.
MEMBER_FIELDS = ("lifetime_chi", "secret_words")


class ProgressService:
    def __init__(self, db: Database, catalog: Catalog) -> None:
        self.db = db
        self.catalog = catalog

    @property
    def achievements(self) -> AchievementsFile:
        return self.catalog.files["achievements"]  # type: ignore[return-value]

    @property
    def milestones(self) -> MilestonesFile:
        return self.catalog.files["milestones"]  # type: ignore[return-value]

    async def values(self, scope: GuildScope, user_id: int) -> dict[str, int]:
        """Every counter an achievement may read, for one member."""
        values = await scope.counters.all(user_id)
        member = await scope.get(EconomyStore).member(user_id)
        if member is not None:
            values["lifetime_chi"] = member.lifetime_chi
            values["secret_words"] = member.secret_words
        values["max_hp"] = rules.max_hp(values.get("permanent_hp", 0))
        return values

    async def check(self, scope: GuildScope, user_id: int) -> list[Achievement]:
        """Unlock and pay every achievement the member has reached; returns the new ones."""
        store = scope.get(ProgressStore)
        unlocked = await store.unlocked(user_id)
        pending = [a for a in self.achievements.achievement if a.id not in unlocked]
        if not pending:
            return []
        values = await self.values(scope, user_id)
        if any(a.counter == "member_number" for a in pending):
            number = await store.member_number(user_id)
            if number is not None:
                values["member_number"] = number
        new = []
        for achievement in rules.due(pending, unlocked, values):
            if await store.unlock(user_id, achievement.id):
                if achievement.reward:
                    await scope.wallet.credit(
                        user_id, achievement.reward, reason="achievement", ref=achievement.id
                    )
                new.append(achievement)
        return new

    async def check_now(self, guild_id: int, user_id: int) -> list[Achievement]:
        """`check` in a transaction of its own (after the chat path, which is kept lean)."""
        return await self.db.scoped(guild_id, self.check, user_id)
