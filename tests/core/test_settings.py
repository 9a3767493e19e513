"""Per-server settings: defaults, validated and audited writes, the cache, and admin parsing.

Proven here (SQLite and PostgreSQL where a database is involved):
- a server that stored nothing gets the defaults; set then reset round-trips through storage;
- invalid values and unknown keys are refused with a `UserError` and write nothing (no row,
  no audit);
- every set/reset writes an audit row with the value before and after;
- `SettingsService` serves from its cache, and its own set/reset drop the server's entry;
- values stored by an older release that no longer validate are ignored on load, and the
  rest of the server's settings are kept;
- `admin.rules.parse_value` turns what an admin types into the setting's value (table).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from chibot.core.db import Database
from chibot.core.errors import InvalidSetting, UnknownSetting, UserError
from chibot.core.registry import default_registry
from chibot.core.settings import SettingsService
from chibot.core.tables import audit, guild_settings
from chibot.discord.wording import word
from chibot.features.admin.rules import parse_value

GuildSettings = default_registry().settings_model  # every installed system's section
DEFAULTS = GuildSettings()

G = 601
ADMIN = 77


async def stored(db: Database, guild_id: int = G) -> dict[str, Any]:
    return await db.scoped(guild_id, lambda s: s.settings.stored())


async def load(db: Database, guild_id: int = G) -> GuildSettings:
    return await db.scoped(guild_id, lambda s: s.settings.load())


async def audit_count(db: Database) -> int:
    async with db.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(audit))).scalar_one()


async def test_defaults_when_nothing_is_stored(db: Database) -> None:
    assert await load(db) == GuildSettings() == DEFAULTS
    assert DEFAULTS.daily_reward == 250 and DEFAULTS.chat_cooldown_seconds == 30
    assert await stored(db) == {}


async def test_set_then_reset_round_trip(db: Database) -> None:
    merged = await db.scoped(G, lambda s: s.settings.set("daily_reward", 100, by=ADMIN))
    assert merged.daily_reward == 100
    await db.scoped(
        G, lambda s: s.settings.set("extra_positive_words", ["Rad", " cool "], by=ADMIN)
    )
    assert await stored(db) == {"daily_reward": 100, "extra_positive_words": ["cool", "rad"]}
    assert (await load(db)).daily_reward == 100
    assert (await load(db, G + 1)).daily_reward == 250  # another server is untouched

    reset = await db.scoped(G, lambda s: s.settings.reset("daily_reward", by=ADMIN))
    assert reset.daily_reward == 250
    assert await stored(db) == {"extra_positive_words": ["cool", "rad"]}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("daily_reward", -1),
        ("daily_reward", "lots"),
        ("chat_positive_min", 9),  # above the default max (8)
        ("chat_negative_max", 4),  # below the default min (5)
        ("chat_cooldown_seconds", 86401),
        ("rebirth_threshold", 999),
        ("prefix", "a b"),
        ("prefix", ""),
        ("prefix", "@here"),
        ("prefix", "123456789"),
        ("extra_positive_words", ["two words"]),
        ("chat_enabled", "maybe"),
        ("language", "x" * 9),
    ],
)
async def test_invalid_values_are_refused_and_nothing_written(
    db: Database, key: str, value: Any
) -> None:
    with pytest.raises(InvalidSetting) as caught:  # data: the key and the problem
        await db.scoped(G, lambda s: s.settings.set(key, value, by=ADMIN))
    assert caught.value.key == key and caught.value.problem
    assert word(caught.value).startswith(f"Invalid value for `{key}`: ")  # worded by Discord
    assert await stored(db) == {}
    assert await audit_count(db) == 0


@pytest.mark.parametrize("op", ["set", "reset"])
async def test_unknown_key_is_refused(db: Database, op: str) -> None:
    async def fn(scope):
        if op == "set":
            return await scope.settings.set("colour", "blue", by=ADMIN)
        return await scope.settings.reset("colour", by=ADMIN)

    with pytest.raises(UnknownSetting) as caught:
        await db.scoped(G, fn)
    assert (
        caught.value.key == "colour"
        and word(caught.value) == "There is no setting called `colour`."
    )
    assert await stored(db) == {}
    assert await audit_count(db) == 0


async def test_set_and_reset_are_audited_with_before_and_after(db: Database) -> None:
    await db.scoped(G, lambda s: s.settings.set("daily_reward", 100, by=ADMIN))
    await db.scoped(G, lambda s: s.settings.set("daily_reward", 200, by=ADMIN + 1))
    await db.scoped(G, lambda s: s.settings.reset("daily_reward", by=ADMIN))
    entries = await db.scoped(G, lambda s: s.audit.recent())
    assert [(e.actor_id, e.action, e.before, e.after) for e in reversed(entries)] == [
        (ADMIN, "settings.set", {"daily_reward": None}, {"daily_reward": 100}),
        (ADMIN + 1, "settings.set", {"daily_reward": 100}, {"daily_reward": 200}),
        (ADMIN, "settings.reset", {"daily_reward": 200}, None),
    ]
    assert await db.scoped(G + 1, lambda s: s.audit.recent()) == []


async def test_service_cache_is_dropped_by_its_own_writes(db: Database) -> None:
    service = SettingsService(db)
    assert (await service.get(G)).daily_reward == 250

    # a write that bypasses the service is not seen while the entry is fresh: the cache is real
    await db.scoped(G, lambda s: s.settings.set("daily_reward", 5, by=ADMIN))
    assert (await service.get(G)).daily_reward == 250

    await service.set(G, "chat_hourly_cap", 40, by=ADMIN)
    fresh = await service.get(G)
    assert (fresh.daily_reward, fresh.chat_hourly_cap) == (5, 40)

    await service.reset(G, "chat_hourly_cap", by=ADMIN)
    assert (await service.get(G)).chat_hourly_cap == 300


async def write_raw(db: Database, values: dict[str, Any], guild_id: int = G) -> None:
    """Rows as an older release may have left them, in this order, with no validation."""
    async with db.transaction() as conn:
        for key, value in values.items():
            await conn.execute(
                guild_settings.insert().values(
                    guild_id=guild_id, key=key, value=value, updated_at=db.clock.now()
                )
            )


async def test_invalid_stored_values_are_ignored_and_the_rest_kept(db: Database) -> None:
    await write_raw(
        db,
        {
            "daily_reward": "lots",
            "chat_hourly_cap": 5,
            "prefix": "with space",
            "language": "fr",  # not a language the bot speaks (yet)
            "react_secret": "🎉",
            "retired_setting": 1,  # a key no longer known
        },
    )
    loaded = await load(db)
    assert (loaded.daily_reward, loaded.chat_hourly_cap, loaded.prefix, loaded.language) == (
        250,
        5,
        None,
        "en",
    )
    assert loaded.react_secret == "🎉"


async def test_an_invalid_value_does_not_break_a_valid_pair(db: Database) -> None:
    await write_raw(db, {"chat_positive_max": 0, "chat_positive_min": 0, "daily_reward": "lots"})
    loaded = await load(db)
    assert (loaded.chat_positive_min, loaded.chat_positive_max, loaded.daily_reward) == (0, 0, 250)


# --- what an admin types --------------------------------------------------------------------

ROLE = 123456789012345678


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("daily_reward", "1,000", 1000),
        ("daily_reward", " 250 ", 250),
        ("chat_hourly_cap", "1_000_000", 1_000_000),
        ("daily_reward", "-5", -5),  # parsed; refused later by validation
        ("chat_enabled", "yes", True),
        ("chat_enabled", "On", True),
        ("chat_enabled", "enabled", True),
        ("chat_enabled", "no", False),
        ("chat_enabled", "OFF", False),  # "off" is a bool here, not "clear"
        ("chat_enabled", "0", False),
        ("log_channel_id", f"<#{ROLE}>", ROLE),
        ("log_channel_id", str(ROLE), ROLE),
        ("admin_role_id", f"<@&{ROLE}>", ROLE),
        ("admin_role_id", "none", None),
        ("event_channel_id", "Unset", None),
        ("prefix", "none", None),
        ("prefix", "!!", "!!"),
        ("language", "fr", "fr"),
        ("extra_positive_words", "rad, cool  neat", ["rad", "cool", "neat"]),
        ("removed_words", "stupid", ["stupid"]),
    ],
)
def test_parse_value(key: str, text: str, value: Any) -> None:
    assert parse_value(GuildSettings, key, text) == value


@pytest.mark.parametrize(
    ("key", "text", "problem"),
    [
        ("chat_enabled", "maybe", "yes or no"),
        ("daily_reward", "lots", "whole number"),
        ("daily_reward", "1.5", "whole number"),
        ("daily_reward", "none", "whole number"),  # not an optional setting: nothing to clear
        ("log_channel_id", "#general", "channel or role"),
        ("log_channel_id", "<#1234>", "channel or role"),  # too short for a snowflake
        ("colour", "blue", "no setting called"),
    ],
)
def test_parse_value_refuses(key: str, text: str, problem: str) -> None:
    with pytest.raises(UserError, match=problem):
        parse_value(GuildSettings, key, text)


async def test_parsed_values_are_accepted_by_the_settings(db: Database) -> None:
    for key, text in [
        ("daily_reward", "1,000"),
        ("log_channel_id", f"<#{ROLE}>"),
        ("chat_enabled", "no"),
    ]:
        await db.scoped(
            G,
            lambda s, k=key, t=text: s.settings.set(k, parse_value(GuildSettings, k, t), by=ADMIN),
        )
    loaded = await load(db)
    assert (loaded.daily_reward, loaded.log_channel_id, loaded.chat_enabled) == (1000, ROLE, False)


def test_a_read_that_began_before_a_change_is_not_cached() -> None:
    """The race behind a flaky reaction test: the chat listener read the settings while
    `config set` wrote them; its old value was cached after the write had dropped the entry."""
    from chibot.core.settings import SettingsCache

    cache = SettingsCache()
    before = cache.generation()  # a read begins
    cache.drop(G)  # a write commits meanwhile
    cache.put(G, "old", read_at=before)
    assert cache.get(G) is None
    cache.put(G, "new", read_at=cache.generation())
    assert cache.get(G) == "new"
