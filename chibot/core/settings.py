"""Per-server settings: a typed model with defaults, stored one row per key that was set.

Unset means default: a server that never touched `daily_reward` follows the default even if the
default changes in a later release. `SettingsRepo.set` validates a single key through the model
before writing it, and audits the change. `SettingsCache` keeps recently read settings in
process memory for the hot paths (the prefix of every message, the chat-chi path); it is an
optimisation only: entries expire after a minute and a write in this process drops the server's
entry at once, so another process sees a change within a minute.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import delete, select

from chibot.core.db import Database
from chibot.core.errors import UserError
from chibot.core.scope import Repo
from chibot.core.tables import guild_settings

log = logging.getLogger(__name__)


def _words(values: list[str]) -> list[str]:
    cleaned = sorted({v.strip().lower() for v in values if v.strip()})
    for word in cleaned:
        if not word.replace("-", "").replace("'", "").isalnum() or len(word) > 40:
            raise ValueError(f"{word!r} is not a single word")
    return cleaned


class GuildSettings(BaseModel):
    """Everything a server can configure. Field descriptions are shown by `config`."""

    model_config = ConfigDict(frozen=True, extra="ignore", validate_default=True)

    prefix: str | None = Field(None, description="Command prefix (unset: the bot's default).")
    chat_enabled: bool = Field(True, description="Chat earns chi in this server.")
    chat_positive_min: int = Field(1, ge=0, le=1000, description="Least chi for a positive message.")
    chat_positive_max: int = Field(8, ge=0, le=1000, description="Most chi for a positive message.")
    chat_negative_min: int = Field(5, ge=0, le=1000, description="Least chi lost for a negative one.")
    chat_negative_max: int = Field(15, ge=0, le=1000, description="Most chi lost for a negative one.")
    chat_cooldown_seconds: int = Field(30, ge=0, le=86400, description="Seconds between chat awards.")
    chat_hourly_cap: int = Field(300, ge=0, le=1_000_000, description="Most chat chi per hour.")
    extra_positive_words: list[str] = Field(default_factory=list, description="Added positive words.")
    extra_negative_words: list[str] = Field(default_factory=list, description="Added negative words.")
    removed_words: list[str] = Field(default_factory=list, description="Words that count for nothing.")
    daily_reward: int = Field(250, ge=0, le=1_000_000, description="Chi paid by `daily`.")
    rebirth_threshold: int = Field(500_000, ge=1000, le=10**12, description="Chi per rebirth.")
    shop_price_multiplier: int = Field(
        100, ge=10, le=1000, description="Chi-shop prices (and sell-backs) in percent of the base."
    )
    react_positive: str = Field("😇", max_length=64, description="Reaction to a positive message.")
    react_negative: str = Field("😈", max_length=64, description="Reaction to a negative message.")
    react_secret: str = Field("🎁", max_length=64, description="Reaction to a secret word.")
    log_channel_id: int | None = Field(None, description="Channel for the bot's log.")
    event_channel_id: int | None = Field(None, description="Channel for events.")
    announcement_channel_id: int | None = Field(None, description="Channel for announcements.")
    admin_role_id: int | None = Field(None, description="Role whose members are bot admins here.")
    positive_role_id: int | None = Field(None, description="Role for the top positive member.")
    negative_role_id: int | None = Field(None, description="Role for members in negative chi.")
    quest_role_id: int | None = Field(None, description="Role for quest completers.")
    language: str = Field("en", max_length=8, description="Language of the bot's replies.")

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value or len(value) > 8 or any(c.isspace() for c in value) or "@" in value:
            raise ValueError("a prefix is 1 to 8 characters, without spaces or @")
        return value

    @field_validator("extra_positive_words", "extra_negative_words", "removed_words")
    @classmethod
    def _word_list(cls, value: list[str]) -> list[str]:
        return _words(value)

    @model_validator(mode="after")
    def _ranges(self) -> GuildSettings:
        if self.chat_positive_min > self.chat_positive_max:
            raise ValueError("chat_positive_min is above chat_positive_max")
        if self.chat_negative_min > self.chat_negative_max:
            raise ValueError("chat_negative_min is above chat_negative_max")
        return self


DEFAULTS = GuildSettings()
KEYS = tuple(GuildSettings.model_fields)


class SettingsRepo(Repo):
    async def stored(self) -> dict[str, Any]:
        rows = await self.conn.execute(
            select(guild_settings.c.key, guild_settings.c.value).where(
                guild_settings.c.guild_id == self.guild_id
            )
        )
        return {r.key: r.value for r in rows}

    async def load(self) -> GuildSettings:
        stored = await self.stored()
        try:
            return GuildSettings.model_validate(stored)
        except (ValidationError, ValueError):
            return _salvage(self.guild_id, stored)

    async def set(self, key: str, value: Any, *, by: int) -> GuildSettings:
        if key not in KEYS:
            raise UserError(f"There is no setting called `{key}`.")
        stored = await self.stored()
        try:
            merged = GuildSettings.model_validate({**stored, key: value})
        except (ValidationError, ValueError) as error:
            raise UserError(f"Invalid value for `{key}`: {_first_problem(error)}") from None
        new_value = merged.model_dump(mode="json")[key]
        now = self.scope.now()
        stmt = self.insert(guild_settings).values(
            guild_id=self.guild_id, key=key, value=new_value, updated_at=now, updated_by=by
        )
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[guild_settings.c.guild_id, guild_settings.c.key],
                set_={"value": stmt.excluded.value, "updated_at": now, "updated_by": by},
            )
        )
        await self.scope.audit.write(
            by, "settings.set", before={key: stored.get(key)}, after={key: new_value}
        )
        return merged

    async def reset(self, key: str, *, by: int) -> GuildSettings:
        if key not in KEYS:
            raise UserError(f"There is no setting called `{key}`.")
        before = (await self.stored()).get(key)
        await self.conn.execute(
            delete(guild_settings).where(
                (guild_settings.c.guild_id == self.guild_id) & (guild_settings.c.key == key)
            )
        )
        await self.scope.audit.write(by, "settings.reset", before={key: before}, after=None)
        return await self.load()


def _salvage(guild_id: int, stored: dict[str, Any]) -> GuildSettings:
    """Settings from stored values of which some no longer validate (an older release wrote
    them): drop the values that are invalid on their own, then, while the whole still fails
    (a broken pair such as min > max), drop the pair. Valid pairs survive."""
    good = {}
    for key, value in stored.items():
        try:
            GuildSettings.model_validate({key: value})
        except ValidationError as error:
            if any(e["loc"] and e["loc"][0] == key for e in error.errors()):
                log.warning("guild %s: ignoring invalid setting %s=%r", guild_id, key, value)
                continue
        good[key] = value
    while True:
        try:
            return GuildSettings.model_validate(good)
        except ValidationError as error:
            text = " ".join(str(e["msg"]) for e in error.errors())
            culprits = {k for k in good if k in text} or set(good)
            for key in culprits:
                log.warning("guild %s: ignoring setting %s=%r", guild_id, key, good.pop(key))


def _first_problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        problem = error.errors()[0]
        return str(problem.get("msg", "invalid")).removeprefix("Value error, ")
    return str(error)


class SettingsCache:
    """Recently read `GuildSettings` per server, for hot paths (see the module docstring)."""

    def __init__(self, ttl_seconds: float = 60.0) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[int, tuple[float, GuildSettings]] = {}

    def get(self, guild_id: int) -> GuildSettings | None:
        entry = self._entries.get(guild_id)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, guild_id: int, settings: GuildSettings) -> None:
        if len(self._entries) > 50_000:
            self._entries.clear()
        self._entries[guild_id] = (time.monotonic() + self.ttl, settings)

    def drop(self, guild_id: int) -> None:
        self._entries.pop(guild_id, None)


class SettingsService:
    """Reads (cached) and writes (validated, audited, one transaction) of server settings."""

    def __init__(self, db: Database, cache: SettingsCache | None = None) -> None:
        self.db = db
        self.cache = cache or SettingsCache()

    async def get(self, guild_id: int) -> GuildSettings:
        found = self.cache.get(guild_id)
        if found is None:
            found = await self.db.scoped(guild_id, lambda s: s.settings.load())
            self.cache.put(guild_id, found)
        return found

    async def set(self, guild_id: int, key: str, value: Any, *, by: int) -> GuildSettings:
        result = await self.db.scoped(guild_id, lambda s: s.settings.set(key, value, by=by))
        self.cache.drop(guild_id)
        return result

    async def reset(self, guild_id: int, key: str, *, by: int) -> GuildSettings:
        result = await self.db.scoped(guild_id, lambda s: s.settings.reset(key, by=by))
        self.cache.drop(guild_id)
        return result
