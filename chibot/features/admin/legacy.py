"""Administration's part of the legacy import: the blacklist and the server's settings.

Decisions (recorded in docs/legacy-import.md too):
- **Blacklist → this server's list, not the bot-wide one.** The old list was global, but the
  old bot lived in one server and the list was that community's moderation. Writing it to
  guild 0 would ban those users in every server this bot is in, from an import that is meant
  to touch one server only. Owners can make any entry bot-wide with `psy blacklist add`.
  Entries that are not ids, or are below 2^22, are listed and not imported.
- **Settings** (`server_config.json`, the `{guilds: {...}}` shape or the legacy flat one):
  `channels.log_channel_id` -> `log_channel_id`, `channels.updates_channel_id` ->
  `announcement_channel_id`, `roles.admin_role_id` / `positive_role_id` / `negative_role_id`
  -> the same keys, `roles.quest_completer_role_id` -> `quest_role_id`. Set through the
  settings repository (validated, audited), only where the server's value differs. A null
  in the file means "never configured" and leaves the server's value as it is. The garden,
  duel and pet channel lists (never enforced by the old bot) and `features.setup_complete`
  are listed as not imported.
"""

from __future__ import annotations

from typing import Any

from chibot.core.tables import blacklist
from chibot.legacy import IMPORT_ACTOR, LegacyContext, LegacyImporter
from chibot.legacy.normalise import (
    LegacyValueError,
    as_array,
    as_object,
    is_empty,
    is_snowflake,
    to_id,
    units,
)

BLACKLIST_FILE = "blacklisted_users.json"
CONFIG_FILE = "server_config.json"
BLACKLIST_REASON = "legacy blacklist (blacklisted_users.json)"

SETTINGS_MAP = {
    ("channels", "log_channel_id"): "log_channel_id",
    ("channels", "updates_channel_id"): "announcement_channel_id",
    ("roles", "admin_role_id"): "admin_role_id",
    ("roles", "quest_completer_role_id"): "quest_role_id",
    ("roles", "positive_role_id"): "positive_role_id",
    ("roles", "negative_role_id"): "negative_role_id",
}
NOT_IMPORTED = {
    ("channels", "garden_channels"): (
        "not_in_game",
        "garden commands work in every channel here (limit them with Discord's command permissions)",
    ),
    ("channels", "duel_channels"): (
        "not_in_game",
        "fights work in every channel here, as they did (the old bot never enforced the list); "
        "limit them with Discord's command permissions",
    ),
    ("channels", "pet_channels"): (
        "not_in_game",
        "pet commands work in every channel here, as they did (the old bot never enforced the "
        "list); limit them with Discord's command permissions",
    ),
    ("features", "setup_complete"): ("not_in_game", "this game needs no setup step"),
}


async def import_blacklist(ctx: LegacyContext) -> None:
    report = ctx.report
    if not ctx.source.has(BLACKLIST_FILE):
        return
    entries, how = as_array(ctx.file(BLACKLIST_FILE))
    if how == "invalid":
        report.issue("skipped", BLACKLIST_FILE, "not a list of user ids: nothing imported")
    wanted: list[int] = []
    not_imported = 0
    for raw in entries:
        try:
            user_id = to_id(raw)
        except LegacyValueError:
            report.issue("skipped", BLACKLIST_FILE, "not a user id", key=raw)
            not_imported += 1
            continue
        if not is_snowflake(user_id):
            report.issue("skipped", BLACKLIST_FILE, "impossible id below 2^22", key=raw)
            not_imported += 1
        elif user_id in wanted:
            report.issue("adjusted", BLACKLIST_FILE, "listed twice: recorded once", key=raw)
            not_imported += 1
        else:
            if isinstance(raw, str):
                report.issue(
                    "adjusted", BLACKLIST_FILE, "id given as text: read as a number", key=raw
                )
            wanted.append(user_id)
    existing = {r.user_id for r in await ctx.current(blacklist, "user_id")}
    now = ctx.scope.now()
    rows = [
        {"user_id": u, "reason": BLACKLIST_REASON, "by_id": IMPORT_ACTOR, "at": now}
        for u in wanted
        if u not in existing
    ]
    await ctx.upsert(blacklist, rows, update=(), description="blacklist: writing")
    report.line(
        "admin",
        "blacklist entries (this server)",
        created=len(rows),
        unchanged=len(wanted) - len(rows),
    )
    after = {r.user_id for r in await ctx.current(blacklist, "user_id")}
    report.total(
        "blacklist entries",
        in_files=len(entries),
        not_imported=not_imported,
        in_database=sum(1 for u in wanted if u in after),
    )


def config_guild_ids(name: str, data: Any) -> list[tuple[str, Any]]:
    """Where `server_config.json` names a server: the keys of `guilds`, or the flat format's
    `guild_id` (the framework refuses the import if one is not the target)."""
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("guilds"), dict):
        return [(f"{name}: guilds[{key}]", key) for key in data["guilds"]]
    if data.get("guild_id") is not None:  # the legacy flat format
        return [(f"{name}: guild_id", data["guild_id"])]
    return []


def _config_for(data: Any, guild_id: int) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    guilds = data.get("guilds")
    if isinstance(guilds, dict):
        for key, config in guilds.items():
            try:
                if to_id(key) == guild_id and isinstance(config, dict):
                    return config
            except LegacyValueError:
                continue
        return None
    return data  # the legacy flat format {guild_id, channels, roles, features}


async def import_settings(ctx: LegacyContext) -> None:
    report = ctx.report
    if not ctx.source.has(CONFIG_FILE):
        return
    config = _config_for(ctx.file(CONFIG_FILE), ctx.guild_id)
    if config is None:
        report.issue("skipped", CONFIG_FILE, "no configuration for this server in the file")
        return
    stored = await ctx.scope.settings.stored()
    created = updated = unchanged = 0
    in_files = not_imported = 0
    known_sections = {section for section, _ in (*SETTINGS_MAP, *NOT_IMPORTED)}
    for section_name in sorted(set(config) - known_sections - {"guild_id"}):
        report.issue(
            "unknown",
            f"{CONFIG_FILE}: {section_name}",
            "section not described by the reference: not read",
        )
    sections = {name: as_object(config.get(name))[0] for name in known_sections}
    for name, values in sections.items():
        known = {key for sec, key in (*SETTINGS_MAP, *NOT_IMPORTED) if sec == name}
        for key in sorted(set(values) - known):
            report.issue(
                "unknown",
                f"{CONFIG_FILE}: {name}.{key}",
                "setting not described by the reference: not read",
            )
    for (section, key), setting in SETTINGS_MAP.items():
        raw = sections[section].get(key)
        where = f"{CONFIG_FILE}: {section}.{key}"
        if raw is None:
            continue
        in_files += 1
        try:
            value = to_id(raw)
        except LegacyValueError:
            report.issue("skipped", where, "not a channel or role id", key=raw)
            not_imported += 1
            continue
        if stored.get(setting) == value:
            unchanged += 1
        else:
            created += setting not in stored
            updated += setting in stored
            await ctx.scope.settings.set(setting, value, by=IMPORT_ACTOR)
    for (section, key), (category, why) in NOT_IMPORTED.items():
        if key not in sections[section]:
            continue
        value = sections[section][key]
        where = f"{CONFIG_FILE}: {section}.{key}"
        if category == "not_yet":
            report.not_yet(
                where,
                why,
                records=0 if is_empty(value) else 1,
                units=units(value),
                what="channel list (never enforced by the old bot)",
            )
        else:
            report.issue("not_in_game", where, f"{why} (value {value!r})")
    report.line("admin", "settings", created=created, updated=updated, unchanged=unchanged)
    final = await ctx.scope.settings.stored()
    matching = sum(
        1
        for (section, key), setting in SETTINGS_MAP.items()
        if sections[section].get(key) is not None
        and _same(final.get(setting), sections[section].get(key))
    )
    report.total("settings", in_files=in_files, not_imported=not_imported, in_database=matching)


def _same(stored: Any, raw: Any) -> bool:
    try:
        return bool(stored == to_id(raw))
    except LegacyValueError:
        return False


IMPORTERS: tuple[LegacyImporter, ...] = (
    LegacyImporter("blacklist", import_blacklist, files=(BLACKLIST_FILE,), order=40),
    LegacyImporter(
        "settings", import_settings, files=(CONFIG_FILE,), order=41, guild_ids=config_guild_ids
    ),
)
"""Administration's importers: this server's blacklist, then its settings."""
