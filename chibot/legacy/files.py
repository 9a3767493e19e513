"""The old bot's files as the framework knows them: their names, and the few facts about the
member file that the framework checks itself (reference Part 1, §1.2 and §1.17).

This is the *format* of the source, not game knowledge: which files the old bot wrote (so that
they are read, and anything else in the directory is reported as not a file of the old bot),
which of them holds the member records, and the old bot's own account (never a member). What
each file *means* belongs to the importer that takes it (`chibot/features/<system>/legacy.py`)
or, while no system of this release takes it, to `chibot.legacy.pending`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

MEMBER_FILE = "chi_data.json"
"""The member records: user id -> record. The framework validates its keys and `user_id` and
`guild_id` fields; importers take the other fields they name."""

LEGACY_FILES: tuple[str, ...] = (
    MEMBER_FILE,
    "teams_data.json",
    "gardens_data.json",
    "quests_data.json",
    "player_shops_data.json",
    "server_config.json",
    "blacklisted_users.json",
    "shop_data.json",
    "chi_shop_data.json",
    "potions_data.json",
    "achievements_data.json",
    "pet_catalog.json",
    "artifact_state.json",
    "error_logs.json",
    "log_config.json",
)
"""Every file of the old bot, in the order the report lists them."""

FRAMEWORK_FIELDS = frozenset({"user_id", "guild_id"})
"""Fields of a member record checked by the framework itself (key = user_id, guild_id = target)."""

KNOWN_BOT_ACCOUNTS = frozenset({1426070822682103859})
"""The old bot's own application id (§1.2): it appears in `user_teams`. Never a member."""

GuildIdsFn = Callable[[str, Any], Iterable[tuple[str, Any]]]
"""`(file name, parsed file) -> (where, raw guild id)` for every guild id a file embeds: the
framework refuses the import when one differs from the target (§1.17.1)."""


def row_guild_ids(part: str) -> GuildIdsFn:
    """The guild ids of the rows of `data[part]` (an object of objects with a `guild_id`), for
    an importer's `guild_ids` (the framework refuses ids of another server)."""

    def find(name: str, data: Any) -> list[tuple[str, Any]]:
        rows = data.get(part) if isinstance(data, dict) else None
        if isinstance(rows, str):  # JSON text, as the old database sometimes returned it
            try:
                rows = json.loads(rows)
            except ValueError:
                return []
        if not isinstance(rows, dict):
            return []
        return [
            (f"{name}: {part}[{key}].guild_id", row["guild_id"])
            for key, row in rows.items()
            if isinstance(row, dict) and row.get("guild_id") is not None
        ]

    return find
