"""Per-server settings: a typed model with defaults, stored one row per key that was set.

The model is composed, not written here: the core declares its section (`CoreSettings`:
prefix, language, channels, roles) and every system declares its own in its manifest
(`System.settings`, e.g. the economy's chat amounts, the shop's price multiplier); the
registry composes them into one flat model (`compose_settings`), so keys stay flat and
`config` can list them by system. A service reads the section it declared.

Unset means default: a server that never touched `daily_reward` follows the default even if the
default changes in a later release. `SettingsRepo.set` validates a single key through the model
before writing it, and audits the change. `SettingsCache` keeps recently read settings in
process memory for the hot paths (the prefix of every message, the chat-chi path); it is an
optimisation only: entries expire after a minute and a write in this process drops the server's
entry at once, so another process sees a change within a minute.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Annotated, Any

import emoji
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from sqlalchemy import bindparam, delete, select

from chibot.core.db import Database
from chibot.core.errors import InvalidSetting, UnknownSetting
from chibot.core.scope import Repo
from chibot.core.tables import guild_settings

log = logging.getLogger(__name__)


#: The languages the bot's replies can be in (code -> name). English only until the phrases
#: are translated (`chibot/discord/wording.py`): a code joins here with its translation.
LANGUAGES: dict[str, str] = {"en": "English"}

_CUSTOM_EMOJI = re.compile(r"<a?:[A-Za-z0-9_]{2,32}:[0-9]{15,20}>", re.ASCII)


def single_emoji(value: str) -> str:
    """One emoji: a Unicode emoji (skin tones, flags and joined families count as one) or a
    server's custom emoji as Discord writes it, `<:name:id>` (`<a:name:id>` when animated)."""
    value = value.strip()
    if _CUSTOM_EMOJI.fullmatch(value) or emoji.is_emoji(value):
        return value
    raise ValueError("it takes one emoji, such as 😇 or a custom emoji of this server")


#: A setting holding one emoji (a reaction): see `single_emoji`.
Emoji = Annotated[str, AfterValidator(single_emoji)]


class SettingsSection(BaseModel):
    """Base of every settings section: frozen, defaults validated, unknown keys ignored (a key
    of a system that is not installed, or was removed, is kept in the database untouched)."""

    model_config = ConfigDict(frozen=True, extra="ignore", validate_default=True)


class CoreSettings(SettingsSection):
    """The core's section: what every server has whatever systems are installed."""

    prefix: str | None = Field(None, description="Command prefix (unset: the bot's default).")
    language: str = Field(
        "en",
        description="Language of the bot's replies: " + ", ".join(LANGUAGES) + " (English) so far.",
    )
    admin_role_id: int | None = Field(None, description="Role whose members are bot admins here.")
    log_channel_id: int | None = Field(None, description="Channel for the bot's log.")
    event_channel_id: int | None = Field(None, description="Channel for events.")
    announcement_channel_id: int | None = Field(None, description="Channel for announcements.")
    positive_role_id: int | None = Field(None, description="Role for the top positive member.")
    negative_role_id: int | None = Field(None, description="Role for members in negative chi.")
    quest_role_id: int | None = Field(None, description="Role for quest completers.")

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value or len(value) > 8 or any(c.isspace() for c in value) or "@" in value:
            raise ValueError("a prefix is 1 to 8 characters, without spaces or @")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in LANGUAGES:
            known = ", ".join(f"{c} ({name})" for c, name in LANGUAGES.items())
            raise ValueError(f"the bot speaks {known} only so far")
        return code


def compose_settings(sections: list[tuple[str, type[BaseModel]]]) -> type[BaseModel]:
    """The per-server settings model: one flat model inheriting the core's section and every
    system's (the way Red's `Config.register_guild` merges what each cog registers), so keys
    stay flat (`config set daily_reward 500`) and each section's validators run. A key
    declared by two sections is an error."""
    owners: dict[str, str] = dict.fromkeys(CoreSettings.model_fields, "core")
    for name, section in sections:
        if not issubclass(section, SettingsSection):
            raise TypeError(f"{name}: a settings section derives from SettingsSection")
        for key in section.model_fields:
            if key in owners:
                raise ValueError(f"setting {key!r} is declared by {owners[key]} and {name}")
            owners[key] = name
    bases: tuple[type[BaseModel], ...] = (CoreSettings, *(section for _name, section in sections))
    doc = "Every setting of a server (the core's section and every installed system's)."
    model: type[BaseModel] = type("GuildSettings", bases, {"__module__": __name__, "__doc__": doc})
    return model


_STORED = select(guild_settings.c.key, guild_settings.c.value).where(
    guild_settings.c.guild_id == bindparam("g")
)


class SettingsRepo(Repo):
    @property
    def model(self) -> type[BaseModel]:
        db = self.scope.db
        if db is None:
            from chibot.core.registry import default_registry

            return default_registry().settings_model
        return db.settings_model

    async def stored(self) -> dict[str, Any]:
        rows = await self.conn.execute(_STORED, {"g": self.guild_id})
        return {r.key: r.value for r in rows}

    async def load(self) -> Any:
        """This server's settings: an instance of the composed model (every section's type)."""
        stored = await self.stored()
        try:
            return self.model.model_validate(stored)
        except (ValidationError, ValueError):
            return _salvage(self.model, self.guild_id, stored)

    async def set(self, key: str, value: Any, *, by: int) -> Any:
        if key not in self.model.model_fields:
            raise UnknownSetting(key)
        stored = await self.stored()
        try:
            merged = self.model.model_validate({**stored, key: value})
        except (ValidationError, ValueError) as error:
            raise InvalidSetting(key, _first_problem(error)) from None
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

    async def reset(self, key: str, *, by: int) -> Any:
        if key not in self.model.model_fields:
            raise UnknownSetting(key)
        before = (await self.stored()).get(key)
        await self.conn.execute(
            delete(guild_settings).where(
                (guild_settings.c.guild_id == self.guild_id) & (guild_settings.c.key == key)
            )
        )
        await self.scope.audit.write(by, "settings.reset", before={key: before}, after=None)
        return await self.load()


def _salvage(model: type[BaseModel], guild_id: int, stored: dict[str, Any]) -> Any:
    """Settings from stored values of which some no longer validate (an older release wrote
    them): drop the values that are invalid on their own, then, while the whole still fails
    (a broken pair such as min > max), drop the pair. Valid pairs survive."""
    good = {}
    for key, value in stored.items():
        try:
            model.model_validate({key: value})
        except ValidationError as error:
            if any(e["loc"] and e["loc"][0] == key for e in error.errors()):
                log.warning("guild %s: ignoring invalid setting %s=%r", guild_id, key, value)
                continue
        good[key] = value
    while True:
        try:
            return model.model_validate(good)
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
    """Recently read settings per server, for hot paths (see the module docstring)."""

    def __init__(self, ttl_seconds: float = 60.0) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[int, tuple[float, Any]] = {}
        self._drops = 0  # how many drops so far: a read that saw a drop happen must not cache

    def get(self, guild_id: int) -> Any:
        entry = self._entries.get(guild_id)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def generation(self) -> int:
        return self._drops

    def put(self, guild_id: int, settings: Any, *, read_at: int | None = None) -> None:
        """Cache what was read; skipped when a write dropped entries while it was being read
        (`read_at` is the `generation()` before the read), so a read that began before a
        change can never put the old value back after it."""
        if read_at is not None and read_at != self._drops:
            return
        if len(self._entries) > 50_000:
            self._entries.clear()
        self._entries[guild_id] = (time.monotonic() + self.ttl, settings)

    def drop(self, guild_id: int) -> None:
        self._drops += 1
        self._entries.pop(guild_id, None)


class SettingsService:
    """Reads (cached) and writes (validated, audited, one transaction) of server settings.
    `get` returns the composed model: a service types it as its own section
    (`settings: EconomySettings = await guild_settings.get(g)`), which it is."""

    def __init__(self, db: Database, cache: SettingsCache | None = None) -> None:
        self.db = db
        self.cache = cache or SettingsCache()

    @property
    def model(self) -> type[BaseModel]:
        return self.db.settings_model

    async def get(self, guild_id: int) -> Any:
        found = self.cache.get(guild_id)
        if found is None:
            before = self.cache.generation()
            found = await self.db.scoped(guild_id, lambda s: s.settings.load())
            self.cache.put(guild_id, found, read_at=before)
        return found

    async def set(self, guild_id: int, key: str, value: Any, *, by: int) -> Any:
        result = await self.db.scoped(guild_id, lambda s: s.settings.set(key, value, by=by))
        self.cache.drop(guild_id)
        return result

    async def reset(self, guild_id: int, key: str, *, by: int) -> Any:
        result = await self.db.scoped(guild_id, lambda s: s.settings.reset(key, by=by))
        self.cache.drop(guild_id)
        return result
