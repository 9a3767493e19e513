"""Export and import of one server's world as a versioned JSON document.

The document has one part per system that declares tables in its manifest (`System.tables`),
named after the system, plus the core's part; the parts come from the registry
(`Registry.export_parts`), so later systems extend the document without touching this
module. Every function takes the parts to use (default: the installed systems'). The document:

    {"format": "chibot.guild", "version": 1, "guild_id": 123,
     "parts": {"core": {"members": [{...row without guild_id...}, ...], ...}, "progress": {...}}}

Rows are sorted by primary key and datetimes are ISO 8601 UTC, so export -> import -> export
gives the same document, byte for byte. Import validates the whole document first (format,
version, parts, tables, columns, types), then replaces that server's rows in ONE transaction,
optionally under another server id; other servers are never touched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from chibot.core.db import Database
from chibot.core.errors import UserError
from chibot.core.tables import (
    GLOBAL_GUILD,
    UtcDateTime,
    audit,
    blacklist,
    chest,
    cooldowns,
    counters,
    guild_settings,
    guilds,
    inventory,
    jobs,
    ledger,
    members,
)

FORMAT = "chibot.guild"
VERSION = 1


class ImportRefused(UserError):
    """A document that cannot be imported, refused whole before anything is written. Its
    message is the plain sentence the command line prints; `problem` names the situation
    (`not_empty`, `not_a_date`, `not_iso_date`, `not_a_number`, `not_a_bool`, `not_text`,
    `too_long`, `unsupported_column`, `wrong_format`, `wrong_version`, `no_parts`,
    `unknown_parts`, `not_a_map`, `unknown_tables`, `rows_not_a_list`, `wrong_columns`,
    `no_target`, `no_server_list`, `bad_global`), with the fields that describe it (`table`,
    `column`, `value`...). Nothing here is Markdown: no Discord phrase is needed."""

    code = "import_refused"
    problem: str


class BotWideExport(UserError):
    """Server 0 holds the bot-wide records: it is exported with every server by a backup."""

    code = "bot_wide_export"
    plain = "Server 0 holds bot-wide records; use chibot backup."


Parts = Mapping[str, tuple[Table, ...]]

CORE_TABLES: tuple[Table, ...] = (
    guilds,
    guild_settings,
    members,
    ledger,
    cooldowns,
    audit,
    blacklist,
    inventory,
    chest,
    counters,
    jobs,
)
"""The core's part of the document, parents before children."""


def _parts(parts: Parts | None) -> Parts:
    if parts is None:
        from chibot.core.registry import default_registry

        return default_registry().export_parts
    return parts


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _refused(
    table: Table, name: str, value: Any, problem: str, says: str, **more: Any
) -> ImportRefused:
    """A column value that cannot be imported: `<table>.<column>` and what is wrong."""
    return ImportRefused(
        f"{table.name}.{name}{says}",
        problem=problem,
        table=table.name,
        column=name,
        value=value,
        **more,
    )


def _decode(table: Table, name: str, value: Any) -> Any:
    column = table.c[name]
    kind = column.type
    if value is None:
        if not column.nullable:
            raise _refused(table, name, value, "not_empty", " cannot be empty")
        return None
    if isinstance(kind, UtcDateTime):
        if not isinstance(value, str):
            raise _refused(table, name, value, "not_a_date", f": expected a date, got {value!r}")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _refused(
                table, name, value, "not_iso_date", f": {value!r} is not an ISO date"
            ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(kind, BigInteger | Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _refused(
                table, name, value, "not_a_number", f": expected a whole number, got {value!r}"
            )
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise _refused(
                table, name, value, "not_a_bool", f": expected true or false, got {value!r}"
            )
        return value
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise _refused(table, name, value, "not_text", f": expected text, got {value!r}")
        if kind.length is not None and len(value) > kind.length:
            raise _refused(
                table,
                name,
                value,
                "too_long",
                f": longer than {kind.length} characters",
                most=kind.length,
            )
        return value
    if isinstance(kind, JSON):
        return value
    raise _refused(table, name, value, "unsupported_column", ": unsupported column type")


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.c if c.name != "guild_id"]


async def export_guild(db: Database, guild_id: int, parts: Parts | None = None) -> dict[str, Any]:
    if guild_id == GLOBAL_GUILD:
        raise BotWideExport()
    known = _parts(parts)
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    async with db.transaction() as conn:
        for part in sorted(known):
            tables = {}
            for table in known[part]:
                order = list(table.primary_key.columns)
                rows = await conn.execute(
                    select(table).where(table.c.guild_id == guild_id).order_by(*order)
                )
                tables[table.name] = _encoded_rows(rows)
            out[part] = tables
    return {"format": FORMAT, "version": VERSION, "guild_id": guild_id, "parts": out}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _check_header(document: Any, fmt: str, what: str) -> None:
    if not isinstance(document, dict) or document.get("format") != fmt:
        raise ImportRefused(f"This is not a chibot {what}.", problem="wrong_format", what=what)
    if document.get("version") != VERSION:
        version = document.get("version")
        raise ImportRefused(
            f"Unknown {what.split()[-1]} version {version!r} (this bot reads {VERSION}).",
            problem="wrong_version",
            what=what,
            version=version,
            reads=VERSION,
        )


def _encoded_rows(result: Any) -> list[dict[str, Any]]:
    """Rows of a query as JSON-ready dicts, without their guild_id (the document carries it)."""
    return [{k: _encode(v) for k, v in row._mapping.items() if k != "guild_id"} for row in result]


def validate(
    document: Any, parts: Parts | None = None
) -> dict[str, list[tuple[Table, list[dict[str, Any]]]]]:
    """Check a whole document before anything is written; returns decoded rows per part."""
    installed = _parts(parts)
    _check_header(document, FORMAT, "server export")
    given = document.get("parts")
    if not isinstance(given, dict):
        raise ImportRefused("The export has no parts.", problem="no_parts")
    unknown = set(given) - set(installed)
    if unknown:
        raise ImportRefused(
            f"Unknown parts {sorted(unknown)}: exported by a newer bot?",
            problem="unknown_parts",
            parts=sorted(unknown),
        )
    decoded: dict[str, list[tuple[Table, list[dict[str, Any]]]]] = {}
    for part, tables in given.items():
        known = {t.name: t for t in installed[part]}
        if not isinstance(tables, dict):
            raise ImportRefused(
                f"Part {part!r} must map table names to rows.", problem="not_a_map", part=part
            )
        if set(tables) - set(known):
            extra = sorted(set(tables) - set(known))
            raise ImportRefused(
                f"Part {part!r} has unknown tables {extra}.",
                problem="unknown_tables",
                part=part,
                tables=extra,
            )
        decoded[part] = []
        for name, rows in tables.items():
            table = known[name]
            columns = set(_columns(table))
            if not isinstance(rows, list):
                raise ImportRefused(
                    f"{name}: rows must be a list", problem="rows_not_a_list", table=name
                )
            out = []
            for i, row in enumerate(rows):
                if not isinstance(row, dict) or set(row) != columns:
                    raise ImportRefused(
                        f"{name}[{i}]: columns must be exactly {sorted(columns)}",
                        problem="wrong_columns",
                        table=name,
                        row=i,
                        columns=sorted(columns),
                    )
                out.append({k: _decode(table, k, v) for k, v in row.items()})
            decoded[part].append((table, out))
    return decoded


async def _replace(
    conn: Any,
    decoded: dict[str, list[tuple[Table, list[dict[str, Any]]]]],
    target: int,
    parts: Parts,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    all_tables = [t for tables in parts.values() for t in tables]
    for table in reversed(all_tables):
        await conn.execute(delete(table).where(table.c.guild_id == target))
    for part in decoded.values():
        for table, rows in part:
            if rows:
                await conn.execute(insert(table), [{"guild_id": target, **row} for row in rows])
            counts[table.name] = len(rows)
    return counts


def _target(document: dict[str, Any], guild_id: int | None) -> int:
    target = guild_id if guild_id is not None else document.get("guild_id")
    if not isinstance(target, int) or isinstance(target, bool) or target <= 0:
        raise ImportRefused("Import into which server? Give --guild.", problem="no_target")
    return target


async def import_guild(
    db: Database, document: Any, guild_id: int | None = None, parts: Parts | None = None
) -> dict[str, int]:
    """Replace one server's rows with the document's, in one transaction; returns row counts."""
    installed = _parts(parts)
    decoded = validate(document, installed)
    target = _target(document, guild_id)
    async with db.transaction() as conn:
        return await _replace(conn, decoded, target, installed)


# --- whole-bot backups ---------------------------------------------------------------------

BACKUP_FORMAT = "chibot.backup"
GLOBAL_TABLES = (blacklist, audit)  # the bot-wide records kept under guild 0


async def backup(db: Database, parts: Parts | None = None) -> dict[str, Any]:
    """Every server's document plus the bot-wide records."""
    installed = _parts(parts)
    ids: set[int] = set()
    async with db.transaction() as conn:
        for tables in installed.values():
            for table in tables:
                ids |= {r[0] for r in await conn.execute(select(table.c.guild_id).distinct())}
        global_rows = {}
        for table in GLOBAL_TABLES:
            rows = await conn.execute(
                select(table)
                .where(table.c.guild_id == GLOBAL_GUILD)
                .order_by(*table.primary_key.columns)
            )
            global_rows[table.name] = _encoded_rows(rows)
    ids.discard(GLOBAL_GUILD)
    documents = [await export_guild(db, g, installed) for g in sorted(ids)]
    return {"format": BACKUP_FORMAT, "version": VERSION, "guilds": documents, "global": global_rows}


async def restore(db: Database, document: Any, parts: Parts | None = None) -> int:
    """Replace EVERYTHING with a backup, in one transaction; returns the number of servers."""
    installed = _parts(parts)
    _check_header(document, BACKUP_FORMAT, "backup")
    guild_docs = document.get("guilds")
    if not isinstance(guild_docs, list):
        raise ImportRefused("The backup has no server list.", problem="no_server_list")
    decoded = [(validate(d, installed), _target(d, None)) for d in guild_docs]
    global_rows = document.get("global") or {}
    known = {t.name: t for t in GLOBAL_TABLES}
    if not isinstance(global_rows, dict) or set(global_rows) - set(known):
        raise ImportRefused(
            "The backup's bot-wide records are not understood.", problem="bad_global"
        )
    global_decoded: list[tuple[Table, list[dict[str, Any]]]] = [
        (known[name], [{k: _decode(known[name], k, v) for k, v in row.items()} for row in rows])
        for name, rows in global_rows.items()
    ]
    async with db.transaction() as conn:
        for tables in installed.values():
            for table in reversed(tables):
                await conn.execute(delete(table))
        for rows, target in decoded:
            await _replace(conn, rows, target, installed)
        for table, global_table_rows in global_decoded:
            if global_table_rows:
                await conn.execute(
                    insert(table), [{"guild_id": GLOBAL_GUILD, **row} for row in global_table_rows]
                )
    return len(decoded)
