"""Export and import of one server's world as a versioned JSON document.

The document has one part per system that declares tables in its manifest (`System.tables`),
named after the system, plus the core's part; the parts come from the registry
(`Registry.export_parts`), so later systems extend the document without touching this
module. Every function takes the parts to use (default: the installed systems'). The document:

    {"format": "chibot.guild", "version": 1, "guild_id": 123,
     "parts": {"core": {"members": [{...row without guild_id...}, ...], ...}, "progress": {...}}}

Rows are sorted by primary key and datetimes are ISO 8601 UTC, so export -> import -> export
gives the same document, byte for byte.

**Import validates every row before anything is written** and refuses the whole document with
`ImportRefused` (naming the table, the row number and the column) rather than letting the
database fail half-way. The checks are derived from the tables' SQLAlchemy metadata, never
from a list of columns here: the columns present (exactly the table's, `guild_id` aside), the
types (whole numbers, dates, text, booleans, JSON), the range of the column type (BIGINT
-2^63..2^63-1, INTEGER -2^31..2^31-1), nullability, text lengths (and text the databases can
store: no NUL, valid UTF-8), simple `CHECK (column >= n)` constraints, the game's bounds that
the schema declares in `Column.info` (`core/tables.py`: `at_least(n)` for tallies, levels and
counts that never fall below n; `balance()` for money, kept within `MAX_BALANCE`), duplicate
primary keys, and that a row names no other server. The import then replaces that server's
rows in ONE transaction, optionally under another server id; other servers are never touched.

**Lifecycle state is not server data.** Whether the bot is in a server (`guilds`: joined,
left) and its scheduled work (`jobs`: the 30-day purge of a server that removed the bot) belong
to the bot, not to the world a server's members built. They are never in a server export and
an import never writes them: importing the export of a server the bot left into a live server
must not mark the live one as gone, nor schedule its purge. A document of an older bot that
still holds `guilds` or `jobs` in its core part is imported without them, and the result says
so (`ImportResult.notes`).

**A whole-bot backup does carry the lifecycle state**, in its own bot-wide section
(`"lifecycle": {"guilds": [...], "jobs": [...]}`, rows with their `guild_id`): a restored bot
must know which servers it left and when their data is due to be purged, and keep the work it
had scheduled. `restore` replaces that state with the backup's (from the per-server documents
of an older backup that carried it there).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Integer,
    SmallInteger,
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
from chibot.core.wallet import MAX_AMOUNT

FORMAT = "chibot.guild"
VERSION = 1

MAX_BALANCE = 1000 * MAX_AMOUNT
"""The largest balance (chi, rebirths, lifetime chi, ledger amounts) an import accepts, either
sign: the wallet moves at most `MAX_AMOUNT` (10^15) at a time, so 10^18 cannot come from play,
and it leaves room below 2^63 for thousands of the largest credits before a BIGINT overflows."""

BIGINT = (-(2**63), 2**63 - 1)
INTEGER = (-(2**31), 2**31 - 1)
SMALLINT = (-(2**15), 2**15 - 1)
MAX_JSON_DEPTH = 64


class ImportRefused(UserError):
    """A document that cannot be imported, refused whole before anything is written. Its
    message is the plain sentence the command line prints (`<table>, row <n>, column <c>: ...`
    for a row); `problem` names the situation (`not_empty`, `not_a_date`, `not_iso_date`,
    `date_out_of_range`, `not_a_number`, `out_of_range`, `not_a_bool`, `not_text`, `too_long`,
    `bad_text`, `bad_json`, `unsupported_column`, `wrong_format`, `wrong_version`, `no_parts`,
    `unknown_parts`, `not_a_map`, `unknown_tables`, `rows_not_a_list`, `not_a_row`,
    `missing_columns`, `unknown_columns`, `wrong_columns`, `foreign_row`, `duplicate_key`,
    `no_target`, `no_server_list`, `bad_global`, `bad_lifecycle`), with the fields that describe
    it (`table`, `row` (1-based), `column`, `value`, `least`, `most`...). Nothing here is
    Markdown: no Discord phrase is needed."""

    code = "import_refused"
    problem: str


class BotWideExport(UserError):
    """Server 0 holds the bot-wide records: it is exported with every server by a backup."""

    code = "bot_wide_export"
    plain = "Server 0 holds bot-wide records; use chibot backup."


@dataclass(slots=True)
class ImportResult:
    """What an import wrote: rows per table, and notes (tables of an older document that were
    deliberately left out)."""

    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


Parts = Mapping[str, tuple[Table, ...]]

CORE_TABLES: tuple[Table, ...] = (
    guild_settings,
    members,
    ledger,
    cooldowns,
    audit,
    blacklist,
    inventory,
    chest,
    counters,
)
"""The core's part of the document, parents before children. Never `guilds` or `jobs`."""

LIFECYCLE_TABLES: tuple[Table, ...] = (guilds, jobs)
"""The bot's own state about servers: in a whole-bot backup only, never in a server export."""

NOT_SERVER_DATA = frozenset(t.name for t in LIFECYCLE_TABLES)
"""Tables an older export carried in its core part: ignored by an import (with a note)."""


def _parts(parts: Parts | None) -> Parts:
    if parts is None:
        from chibot.core.registry import default_registry

        return default_registry().export_parts
    return parts


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


# --- what a column accepts, derived from the table's metadata -----------------------------

_CHECK = re.compile(r"^\s*\(?\s*(\w+)\s*(>=|>|<=|<)\s*(-?\d+)\s*\)?\s*$")


def _type_range(column: Column[Any]) -> tuple[int, int]:
    kind = column.type
    if isinstance(kind, BigInteger):
        return BIGINT
    if isinstance(kind, SmallInteger):
        return SMALLINT
    return INTEGER


def _check_bounds(table: Table, name: str) -> Iterable[tuple[str, int]]:
    """(operator, number) of the table's simple CHECK constraints on one column."""
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            found = _CHECK.match(str(constraint.sqltext))
            if found and found.group(1) == name:
                yield found.group(2), int(found.group(3))


_BOUNDS: dict[tuple[str, str], tuple[int, int]] = {}


def bounds(table: Table, name: str) -> tuple[int, int]:
    """The whole numbers a column accepts: its type's range, narrowed by its CHECK
    constraints and by the game's bounds declared in `Column.info` (`min`, `max`, `balance`)."""
    key = (table.name, name)
    if key in _BOUNDS:
        return _BOUNDS[key]
    column = table.c[name]
    least, most = _type_range(column)
    info = column.info
    if info.get("balance"):
        least, most = max(least, -MAX_BALANCE), min(most, MAX_BALANCE)
    if isinstance(info.get("min"), int):
        least = max(least, info["min"])
    if isinstance(info.get("max"), int):
        most = min(most, info["max"])
    for op, number in _check_bounds(table, name):
        if op == ">=":
            least = max(least, number)
        elif op == ">":
            least = max(least, number + 1)
        elif op == "<=":
            most = min(most, number)
        else:
            most = min(most, number - 1)
    _BOUNDS[key] = (least, most)
    return least, most


class _Where:
    """Where a value sits in the document: `<table>, row <n>, column <c>` (row 1-based)."""

    def __init__(self, table: Table, row: int | None) -> None:
        self.table, self.row = table, row

    def refused(
        self, name: str | None, value: Any, problem: str, says: str, **more: Any
    ) -> ImportRefused:
        place = self.table.name
        fields: dict[str, Any] = {"table": self.table.name}
        if self.row is not None:
            place += f", row {self.row}"
            fields["row"] = self.row
        if name is not None:
            place += f", column {name}"
            fields["column"] = name
            fields["value"] = value
        return ImportRefused(f"{place}: {says}", problem=problem, **fields, **more)


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "holds a NUL character, which the databases cannot store"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def _json_problem(value: Any, depth: int = 0) -> str | None:
    """Why a JSON value cannot be stored as it was read, or None."""
    if depth > MAX_JSON_DEPTH:
        return f"nested deeper than {MAX_JSON_DEPTH} levels"
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):  # SQLite's JSON keeps 64-bit integers only (others as floats)
        return None if -(2**63) <= value < 2**63 else "holds a number beyond 64 bits"
    if isinstance(value, float):
        return None if math.isfinite(value) else "holds a number that is not finite"
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, list):
        return next((p for v in value if (p := _json_problem(v, depth + 1))), None)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = (
                _text_problem(key) if isinstance(key, str) else "has a key that is not text"
            ) or _json_problem(item, depth + 1)
            if problem:
                return problem
        return None
    return f"holds a {type(value).__name__}, which is not JSON"


def _decode(where: _Where, table: Table, name: str, value: Any) -> Any:
    column = table.c[name]
    kind = column.type
    if value is None:
        if not column.nullable:
            raise where.refused(name, value, "not_empty", "cannot be empty")
        return None
    if isinstance(kind, UtcDateTime):
        if not isinstance(value, str):
            raise where.refused(name, value, "not_a_date", f"expected a date, got {value!r}")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise where.refused(
                name, value, "not_iso_date", f"{value!r} is not an ISO date"
            ) from None
        try:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        except (OverflowError, ValueError):
            raise where.refused(
                name, value, "date_out_of_range", f"{value!r} is outside the years 1 to 9999"
            ) from None
    if isinstance(kind, Integer):  # BigInteger and SmallInteger too
        if not isinstance(value, int) or isinstance(value, bool):
            raise where.refused(
                name, value, "not_a_number", f"expected a whole number, got {value!r}"
            )
        least, most = bounds(table, name)
        if not least <= value <= most:
            raise where.refused(
                name,
                value,
                "out_of_range",
                f"{value:,} is outside {least:,} to {most:,}",
                least=least,
                most=most,
            )
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise where.refused(name, value, "not_a_bool", f"expected true or false, got {value!r}")
        return value
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise where.refused(name, value, "not_text", f"expected text, got {value!r}")
        if kind.length is not None and len(value) > kind.length:
            raise where.refused(
                name,
                value,
                "too_long",
                f"longer than {kind.length} characters",
                most=kind.length,
            )
        problem = _text_problem(value)
        if problem:
            raise where.refused(name, value, "bad_text", f"the text {problem}")
        return value
    if isinstance(kind, JSON):
        problem = _json_problem(value)
        if problem:
            raise where.refused(name, value, "bad_json", f"the value {problem}")
        return value
    raise where.refused(name, value, "unsupported_column", "unsupported column type")


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.c if c.name != "guild_id"]


def decode_rows(
    table: Table, rows: Any, guild_id: int | None, *, with_guild: bool = False
) -> list[dict[str, Any]]:
    """Every row of one table checked and decoded, or `ImportRefused` for the first bad one.
    Rows carry no `guild_id` (the document says whose they are); one that does must name
    `guild_id` (when given). With `with_guild`, each row carries its own, required."""
    if not isinstance(rows, list):
        raise ImportRefused(
            f"{table.name}: rows must be a list", problem="rows_not_a_list", table=table.name
        )
    columns = [c.name for c in table.c] if with_guild else _columns(table)
    key = [c.name for c in table.primary_key.columns if with_guild or c.name != "guild_id"]
    seen: set[tuple[Any, ...]] = set()
    out = []
    for number, row in enumerate(rows, 1):
        where = _Where(table, number)
        if not isinstance(row, dict):
            raise where.refused(None, row, "not_a_row", "a row must be an object of columns")
        if not with_guild and "guild_id" in row:
            row = dict(row)
            owner = row.pop("guild_id")
            if owner != guild_id or isinstance(owner, bool):
                raise where.refused(
                    "guild_id",
                    owner,
                    "foreign_row",
                    f"the row belongs to server {owner!r}, not {guild_id}",
                )
        missing = [c for c in columns if c not in row]
        if missing:
            raise where.refused(
                missing[0],
                None,
                "missing_columns",
                f"missing (columns must be exactly {sorted(columns)})",
                missing=missing,
            )
        unknown = sorted(str(c) for c in row if c not in columns)
        if unknown:
            raise where.refused(
                unknown[0],
                row[unknown[0]],
                "unknown_columns",
                f"not a column of {table.name} (columns must be exactly {sorted(columns)})",
                unknown=unknown,
            )
        decoded = {c: _decode(where, table, c, row[c]) for c in columns}
        if with_guild and decoded["guild_id"] < 0:
            raise where.refused("guild_id", decoded["guild_id"], "out_of_range", "not a server id")
        primary = tuple(decoded[c] for c in key)
        if primary in seen:
            raise where.refused(
                key[-1] if key else None,
                decoded.get(key[-1]) if key else None,
                "duplicate_key",
                f"a second row with the key {', '.join(f'{c}={decoded[c]!r}' for c in key)}",
                key={c: _encode(decoded[c]) for c in key},
            )
        seen.add(primary)
        out.append(decoded)
    return out


async def export_guild(db: Database, guild_id: int, parts: Parts | None = None) -> dict[str, Any]:
    if guild_id == GLOBAL_GUILD:
        raise BotWideExport()
    known = _parts(parts)
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    async with db.transaction() as conn:
        for part in sorted(known):
            tables = {}
            for table in known[part]:
                if table.name in NOT_SERVER_DATA:  # never, whatever the parts say
                    continue
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


def _encoded_rows(result: Any, *, keep_guild: bool = False) -> list[dict[str, Any]]:
    """Rows of a query as JSON-ready dicts, without their guild_id (the document carries it)."""
    return [
        {k: _encode(v) for k, v in row._mapping.items() if keep_guild or k != "guild_id"}
        for row in result
    ]


Decoded = dict[str, list[tuple[Table, list[dict[str, Any]]]]]


@dataclass(slots=True)
class _Checked:
    decoded: Decoded
    notes: list[str]
    lifecycle: dict[str, list[dict[str, Any]]]  # rows of an older document's guilds / jobs


def _document_guild(document: dict[str, Any]) -> int | None:
    given = document.get("guild_id")
    return given if isinstance(given, int) and not isinstance(given, bool) else None


def _check(document: Any, installed: Parts) -> _Checked:
    _check_header(document, FORMAT, "server export")
    given = document.get("parts")
    if not isinstance(given, dict):
        raise ImportRefused("The export has no parts.", problem="no_parts")
    unknown = set(given) - set(installed)
    if unknown:
        raise ImportRefused(
            f"Unknown parts {sorted(map(str, unknown))}: exported by a newer bot?",
            problem="unknown_parts",
            parts=sorted(map(str, unknown)),
        )
    owner = _document_guild(document)
    decoded: Decoded = {}
    notes: list[str] = []
    lifecycle: dict[str, list[dict[str, Any]]] = {}
    for part, tables in given.items():
        known = {t.name: t for t in installed[part] if t.name not in NOT_SERVER_DATA}
        if not isinstance(tables, dict):
            raise ImportRefused(
                f"Part {part!r} must map table names to rows.", problem="not_a_map", part=part
            )
        old = {n for n in tables if part == "core" and n in NOT_SERVER_DATA}
        extra = sorted(set(tables) - set(known) - old)
        if extra:
            raise ImportRefused(
                f"Part {part!r} has unknown tables {extra}.",
                problem="unknown_tables",
                part=part,
                tables=extra,
            )
        for table in LIFECYCLE_TABLES:
            if table.name in old:
                lifecycle[table.name] = [
                    {"guild_id": owner, **row}
                    for row in decode_rows(table, tables[table.name], owner)
                ]
                notes.append(
                    f"{table.name}: {len(tables[table.name]):,} rows of an older export "
                    "ignored (the bot's own state about servers, never imported)"
                )
        decoded[part] = [
            (known[name], decode_rows(known[name], tables[name], owner))
            for name in tables
            if name in known
        ]
    return _Checked(decoded, notes, lifecycle)


def validate(document: Any, parts: Parts | None = None) -> Decoded:
    """Check a whole document before anything is written; returns decoded rows per part."""
    return _check(document, _parts(parts)).decoded


async def _replace(conn: Any, decoded: Decoded, target: int, parts: Parts) -> dict[str, int]:
    counts: dict[str, int] = {}
    all_tables = [t for tables in parts.values() for t in tables if t.name not in NOT_SERVER_DATA]
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
    if (
        not isinstance(target, int)
        or isinstance(target, bool)
        or not GLOBAL_GUILD < target <= BIGINT[1]
    ):
        raise ImportRefused("Import into which server? Give --guild.", problem="no_target")
    return target


async def import_guild(
    db: Database, document: Any, guild_id: int | None = None, parts: Parts | None = None
) -> ImportResult:
    """Replace one server's rows with the document's, in one transaction. Never touches the
    server's lifecycle state (`guilds`, `jobs`). Returns the rows written per table."""
    installed = _parts(parts)
    checked = _check(document, installed)
    target = _target(document, guild_id)
    async with db.transaction() as conn:
        counts = await _replace(conn, checked.decoded, target, installed)
    return ImportResult(counts, checked.notes)


# --- whole-bot backups ---------------------------------------------------------------------

BACKUP_FORMAT = "chibot.backup"
GLOBAL_TABLES = (blacklist, audit)  # the bot-wide records kept under guild 0


async def backup(db: Database, parts: Parts | None = None) -> dict[str, Any]:
    """Every server's document, the bot-wide records and the lifecycle state."""
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
        lifecycle = {}
        for table in LIFECYCLE_TABLES:
            rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
            lifecycle[table.name] = _encoded_rows(rows, keep_guild=True)
    ids.discard(GLOBAL_GUILD)
    documents = [await export_guild(db, g, installed) for g in sorted(ids)]
    return {
        "format": BACKUP_FORMAT,
        "version": VERSION,
        "guilds": documents,
        "global": global_rows,
        "lifecycle": lifecycle,
    }


def _sections(given: Any, tables: tuple[Table, ...], problem: str, what: str) -> dict[str, Any]:
    known = {t.name for t in tables}
    if given is None:
        return {}
    if not isinstance(given, dict) or set(given) - known:
        raise ImportRefused(f"The backup's {what} are not understood.", problem=problem)
    return given


async def restore(db: Database, document: Any, parts: Parts | None = None) -> int:
    """Replace EVERYTHING with a backup, in one transaction; returns the number of servers."""
    installed = _parts(parts)
    _check_header(document, BACKUP_FORMAT, "backup")
    guild_docs = document.get("guilds")
    if not isinstance(guild_docs, list):
        raise ImportRefused("The backup has no server list.", problem="no_server_list")
    checked = [(_check(d, installed), _target(d, None)) for d in guild_docs]
    targets = [target for _, target in checked]
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise ImportRefused(
            f"The backup holds server {twice[0]} twice.", problem="duplicate_key", guild=twice[0]
        )
    global_rows = _sections(
        document.get("global") or {}, GLOBAL_TABLES, "bad_global", "bot-wide records"
    )
    by_name = {t.name: t for t in GLOBAL_TABLES}
    global_decoded = [
        (by_name[name], decode_rows(by_name[name], rows, GLOBAL_GUILD))
        for name, rows in global_rows.items()
    ]
    state = _sections(document.get("lifecycle"), LIFECYCLE_TABLES, "bad_lifecycle", "server states")
    lifecycle: list[tuple[Table, list[dict[str, Any]]]] = []
    for table in LIFECYCLE_TABLES:
        if "lifecycle" in document:
            rows = decode_rows(table, state.get(table.name, []), None, with_guild=True)
        else:  # an older backup: each server's document carried its own state
            rows = [r for c, _ in checked for r in c.lifecycle.get(table.name, [])]
        lifecycle.append((table, rows))
    async with db.transaction() as conn:
        for tables in installed.values():
            for table in reversed(tables):
                await conn.execute(delete(table))
        for table in LIFECYCLE_TABLES:
            await conn.execute(delete(table))
        for table, rows in lifecycle:
            if rows:
                await conn.execute(insert(table), rows)
        for one, target in checked:
            await _replace(conn, one.decoded, target, installed)
        for table, global_table_rows in global_decoded:
            if global_table_rows:
                await conn.execute(
                    insert(table), [{"guild_id": GLOBAL_GUILD, **row} for row in global_table_rows]
                )
    return len(checked)
