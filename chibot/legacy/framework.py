"""Migration of the old single-server bot's JSON files into one server: the framework.

`chibot import-legacy DIR --guild ID [--dry-run]` reads the old files (reference Part 1) and
imports them into ONE server, in ONE transaction, all or nothing. Each game system contributes
its importers as values, a module-level constant of its `chibot/features/<system>/legacy.py`:

    IMPORTERS: tuple[LegacyImporter, ...] = (
        LegacyImporter("members", import_members, files=(MEMBER_FILE,),
                       fields=("chi", "rebirths"), check=check_member, order=10),
    )

and whoever runs the import passes the importers to run to `run_legacy_import` (the CLI takes
them from `chibot.legacy.installed`). This module imports no game system and keeps no registry.

- `files` are the legacy files an importer reads, `fields` the fields of a `chi_data.json`
  record it takes; whatever no importer takes is described by `chibot.legacy.pending` and listed
  in the report as "not imported yet (no such system)" or "not in this game", with counts. A
  later system (gardens, pets...) adds its importer and its part disappears from those
  lists: nothing here changes.
- `check(record)` may quarantine a whole member record (e.g. chi that is not a number) before
  anything is written: every importer then sees the same members.
- `guild_ids(name, data)` says where the files it takes embed a guild id (checked below).
- `fn(ctx)` runs inside the transaction with a `LegacyContext`: the `GuildScope` of the target
  server, the catalog, the parsed files, the validated members, the report, bulk helpers
  (`ctx.upsert`, `ctx.insert`, `ctx.current`) that always write under the target guild, and
  progress bars. Importers record what they wrote (`report.line`), everything they did not
  import (`report.issue`), and totals (`report.total`: in the files, not imported, in the
  database) that must balance, or the transaction is rolled back.

What the framework itself enforces, before anything is written (reference §1.17):
- the target server: `--guild`, or by default the single guild id found in the data; any
  embedded `guild_id` (member records, and wherever an importer or a pending file says its file
  holds one: teams, gardens, server_config) that differs aborts the import with a report;
  guild 0 (bot-wide) is refused;
- member ids: the dict key is the canonical id (string or int -> int64); it must equal an inner
  `user_id`; ids below 2^22 (the test record 1234567), the old bot's own account, duplicates
  and non-objects are quarantined and listed.

Idempotency is each importer's duty and the rule is the same everywhere: read what the server
holds, write only rows that differ from the file (set values, never add), so a second run of
the same files writes nothing. `--dry-run` runs the very same code and rolls it back.
"""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]
from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.errors import UserError
from chibot.core.scope import GuildScope
from chibot.core.tables import GLOBAL_GUILD
from chibot.legacy.files import (
    FRAMEWORK_FIELDS,
    KNOWN_BOT_ACCOUNTS,
    LEGACY_FILES,
    MEMBER_FILE,
    GuildIdsFn,
)
from chibot.legacy.normalise import LegacyValueError, is_snowflake, to_id, units
from chibot.legacy.pending import (
    PENDING_FIELDS,
    PENDING_FILES,
    DescribeInput,
    PendingFieldTally,
)
from chibot.legacy.report import FileStatus, LegacyProgress, LegacyReport

IMPORT_ACTOR = 0
"""The actor of the audit rows the import writes (no member did it)."""
BATCH = 5000


class LegacyImportError(UserError):
    """The import cannot run; `report` says why (printed by the CLI). Nothing was written.
    The message is the plain sentence the command line prints; `problem` names the situation,
    with the fields that describe it."""

    code = "legacy_refused"
    problem: str

    def __init__(self, message: str, report: LegacyReport | None = None, **fields: object) -> None:
        super().__init__(message, **fields)
        self.report = report


class LegacyAborted(LegacyImportError):
    """Refused before anything was written; `problem` is one of `not_a_directory`, `no_files`
    (with `directory`), `unreadable_guild_id`, `no_guild`, `several_guilds` (with `guilds`),
    `bot_wide_guild`, `foreign_guild` (with `foreign` and `target`), `unreadable_file`,
    `members_not_an_object`."""

    code = "legacy_aborted"


class LegacyTotalsMismatch(LegacyImportError):
    """The totals did not balance (`wrong`: the totals that did not): rolled back."""

    code = "legacy_totals_mismatch"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of parsed JSON containers are alive:
    they hold no cycles, and each full collection would walk all of them again (it halves the
    time of a 100,000-member import). The previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@asynccontextmanager
async def _paused_gc_async() -> AsyncIterator[None]:
    with paused_gc():
        yield


# --- the files ---------------------------------------------------------------------------


@dataclass
class LegacySource:
    """The old bot's files. `data` holds every file that was parsed whole; the member file read
    from a directory is STREAMED instead (`streamed`: its path), never held in memory: every
    pass over the members (`member_items`) reads it again, one record at a time, so the memory
    an import needs does not grow with the size of that file."""

    directory: str
    data: dict[str, Any] = field(default_factory=dict)
    status: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (status, bytes)
    extra: list[str] = field(default_factory=list)  # other *.json files found in the directory
    streamed: dict[str, Path] = field(default_factory=dict)  # name -> file read record by record
    counts: dict[str, int] = field(default_factory=dict)  # entries of each streamed file
    repeated: dict[str, Any] = field(default_factory=dict)  # member keys written twice: last value

    def get(self, name: str) -> Any:
        return self.data.get(name)

    def has(self, name: str) -> bool:
        return name in self.data or name in self.streamed

    def members_are_an_object(self) -> bool:
        return MEMBER_FILE in self.streamed or isinstance(self.data.get(MEMBER_FILE), dict)

    def member_count(self) -> int:
        if MEMBER_FILE in self.streamed:
            return self.counts[MEMBER_FILE]
        chi = self.data.get(MEMBER_FILE)
        return len(chi) if isinstance(chi, dict) else 0

    def member_items(self) -> Iterator[tuple[str, Any]]:
        """(key, record) of the member file, in file order, as `json.loads` would give them
        (a key written twice keeps its first place and its last value)."""
        path = self.streamed.get(MEMBER_FILE)
        if path is None:
            chi = self.data.get(MEMBER_FILE)
            if isinstance(chi, dict):
                yield from chi.items()
            return
        done: set[str] = set()
        with path.open("rb") as file:
            for key, record in ijson.kvitems(file, "", use_float=True):
                if key in self.repeated:
                    if key in done:
                        continue
                    done.add(key)
                    record = self.repeated[key]
                yield key, record


def read_legacy_dir(directory: str | Path, progress: LegacyProgress | None = None) -> LegacySource:
    """Read every known file of DIR (synchronously: call it before the event loop work)."""
    with paused_gc():
        return _read_legacy_dir(directory, progress)


def _read_legacy_dir(directory: str | Path, progress: LegacyProgress | None) -> LegacySource:
    path = Path(directory)
    if not path.is_dir():
        raise LegacyAborted(
            f"{directory} is not a directory", problem="not_a_directory", directory=str(directory)
        )
    progress = progress or LegacyProgress()
    source = LegacySource(str(directory))
    present = [name for name in LEGACY_FILES if (path / name).is_file()]
    task = progress.start("reading the legacy files", len(present))
    for name in LEGACY_FILES:
        file = path / name
        if not file.is_file():
            source.status[name] = ("absent", 0)
            continue
        size = file.stat().st_size
        if name == MEMBER_FILE and _starts_an_object(file):
            try:
                _scan_members(file, source)
                source.status[name] = ("read", size)
            except (OSError, UnicodeDecodeError, ValueError, ijson.JSONError) as error:
                source.streamed.pop(name, None)
                source.status[name] = (f"unreadable: {str(error)[:80]}", size)
            progress.advance(task)
            continue
        try:
            text = file.read_text(encoding="utf-8")
            source.data[name] = json.loads(text) if text.strip() else None
            del text
            source.status[name] = ("read", size)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            source.status[name] = (f"unreadable: {str(error)[:80]}", size)
        progress.advance(task)
    progress.finish(task)
    source.extra = sorted(p.name for p in path.glob("*.json") if p.name not in LEGACY_FILES)
    if not present:
        raise LegacyAborted(
            f"No file of the old bot in {directory} (expected {MEMBER_FILE} and others).",
            problem="no_files",
            directory=str(directory),
        )
    return source


def _starts_an_object(file: Path) -> bool:
    """Whether the file's first non-blank character opens a JSON object (then it is streamed;
    anything else is parsed whole, and refused or reported as before)."""
    with file.open("rb") as handle:
        while chunk := handle.read(4096):
            text = chunk.lstrip()
            if text:
                return text[:1] == b"{"
    return False


def _scan_members(file: Path, source: LegacySource) -> None:
    """One streaming pass over the member file: proves it is whole JSON, counts the records
    and remembers the keys written twice (their last value wins, as with `json.loads`)."""
    seen: set[str] = set()
    repeated: dict[str, Any] = {}
    count = 0
    with file.open("rb") as handle:
        for key, record in ijson.kvitems(handle, "", use_float=True):
            if key in seen:
                repeated[key] = record
            else:
                seen.add(key)
                count += 1
    del seen
    source.streamed[MEMBER_FILE] = file
    source.counts[MEMBER_FILE] = count
    source.repeated = repeated


def source_from_files(files: dict[str, Any], directory: str = "(in memory)") -> LegacySource:
    """A source built from already parsed files (tests, the generator)."""
    source = LegacySource(directory)
    for name in LEGACY_FILES:
        if name in files:
            source.data[name] = files[name]
            source.status[name] = ("read", len(json.dumps(files[name])))
        else:
            source.status[name] = ("absent", 0)
    source.extra = sorted(n for n in files if n not in LEGACY_FILES)
    return source


# --- the importers ---------------------------------------------------------------------------


ImporterFn = Callable[["LegacyContext"], Awaitable[None]]
CheckFn = Callable[[dict[str, Any]], str | None]


@dataclass(frozen=True)
class LegacyImporter:
    """One importer of a game system: a value its `legacy.py` lists in `IMPORTERS`.

    - `name`: shown in the report (files table, lines), unique in a run;
    - `fn(ctx)`: the import itself, inside the transaction;
    - `files`: the legacy files it reads (it takes them: their pending descriptions are no
      longer used, including where they embed guild ids: see `guild_ids`);
    - `fields`: the fields of the `chi_data.json` records it takes (needs that file in `files`);
    - `check(record) -> reason | None`: may quarantine a member record before any write;
    - `order`: lower runs first (the members come first);
    - `guild_ids(name, data)`: the (where, raw guild id) its files embed, if any.
    """

    name: str
    fn: ImporterFn
    files: tuple[str, ...]
    fields: tuple[str, ...] = ()
    check: CheckFn | None = None
    order: int = 100
    guild_ids: GuildIdsFn | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", tuple(self.files))
        object.__setattr__(self, "fields", tuple(self.fields))
        unknown = [f for f in self.files if f not in LEGACY_FILES]
        if unknown:
            raise ValueError(f"{self.name}: unknown legacy files {unknown}")
        if self.fields and MEMBER_FILE not in self.files:
            raise ValueError(f"{self.name}: fields of {MEMBER_FILE} need that file in `files`")


def running_order(importers: Iterable[LegacyImporter]) -> list[LegacyImporter]:
    """The importers sorted by (order, name); two importers with the same name are refused."""
    ordered = sorted(importers, key=lambda i: (i.order, i.name))
    names = [i.name for i in ordered]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"legacy importers given twice: {', '.join(twice)}")
    return ordered


# --- the context importers run in ----------------------------------------------------------


@dataclass(slots=True)
class LegacyMember:
    key: str  # the dict key in chi_data.json, as written
    user_id: int
    record: dict[str, Any]


class LegacyMembers:
    """The member records that passed the checks, in file order: iterating reads them again
    from the source (a streamed file is parsed once more, one record at a time), so importers
    may loop over them as often as they need without the records being held. `len()` is known."""

    def __init__(self, source: LegacySource, accepted: dict[str, int]) -> None:
        self.source = source
        self.accepted = accepted  # key as written -> user id

    def __len__(self) -> int:
        return len(self.accepted)

    def __bool__(self) -> bool:
        return bool(self.accepted)

    def __iter__(self) -> Iterator[LegacyMember]:
        accepted = self.accepted
        for key, record in self.source.member_items():
            user_id = accepted.get(key)
            if user_id is not None:
                yield LegacyMember(key, user_id, record)


@dataclass
class LegacyContext:
    scope: GuildScope
    catalog: Catalog
    source: LegacySource
    members: LegacyMembers
    quarantined: list[tuple[str, Any]]  # (key, raw record) of the members not imported
    report: LegacyReport
    progress: LegacyProgress
    batch_size: int = BATCH

    @property
    def guild_id(self) -> int:
        return self.scope.guild_id

    @property
    def conn(self) -> Any:
        return self.scope.conn

    def file(self, name: str) -> Any:
        return self.source.get(name)

    @contextmanager
    def step(self, description: str, total: int | None) -> Iterator[Callable[[int], None]]:
        """A progress bar for one step: yields `advance(n)`."""
        task = self.progress.start(description, total)
        try:

            def advance(n: int = 1) -> None:
                self.progress.advance(task, n)

            yield advance
        finally:
            self.progress.finish(task)

    def _insert(self, table: Table) -> Any:
        return (
            postgresql.insert(table)
            if self.conn.dialect.name == "postgresql"
            else sqlite.insert(table)
        )

    def _rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            if row.setdefault("guild_id", self.guild_id) != self.guild_id:
                raise ValueError("a legacy importer tried to write outside its server")
        return rows

    async def upsert(
        self,
        table: Table,
        rows: list[dict[str, Any]],
        *,
        update: Sequence[str],
        description: str | None,
    ) -> int:
        """Insert rows, or set `update` columns where the primary key exists; in batches
        (executemany), always under the target guild. Returns the number of rows sent.
        `description` None: no progress bar (an importer writing batch by batch has its own)."""
        if not rows:
            return 0
        ins = self._insert(table)
        keys = [c for c in table.primary_key.columns]
        stmt = (
            ins.on_conflict_do_update(
                index_elements=keys, set_={c: ins.excluded[c] for c in update}
            )
            if update
            else ins.on_conflict_do_nothing(index_elements=keys)
        )
        return await self._batched(stmt, rows, description)

    async def _batched(self, stmt: Any, rows: list[dict[str, Any]], description: str | None) -> int:
        """Execute `stmt` over `rows` in batches, advancing the progress bar."""
        if description is None:
            for start in range(0, len(rows), self.batch_size):
                await self.conn.execute(stmt, self._rows(rows[start : start + self.batch_size]))
            return len(rows)
        with self.step(description, len(rows)) as advance:
            for start in range(0, len(rows), self.batch_size):
                batch = self._rows(rows[start : start + self.batch_size])
                await self.conn.execute(stmt, batch)
                advance(len(batch))
        return len(rows)

    async def insert(
        self, table: Table, rows: list[dict[str, Any]], *, description: str | None
    ) -> int:
        """Plain batched inserts (append-only rows such as the ledger)."""
        if not rows:
            return 0
        return await self._batched(table.insert(), rows, description)

    async def current(self, table: Table, *columns: str, where: Any = None) -> list[Any]:
        """Every row of `table` in the target server (the selected columns)."""
        stmt = select(*(table.c[c] for c in columns)).where(table.c.guild_id == self.guild_id)
        if where is not None:
            stmt = stmt.where(where)
        return list(await self.conn.execute(stmt))


# --- planning: everything decided before the transaction ----------------------------------


@dataclass
class LegacyPlan:
    guild_id: int
    report: LegacyReport
    members: LegacyMembers
    quarantined: list[tuple[str, Any]]
    importers: list[LegacyImporter]


def _embedded_guild_ids(
    source: LegacySource, importers: list[LegacyImporter]
) -> list[tuple[str, Any]]:
    """(where, raw guild id) of every guild id the files carry (§1.1.4, §1.17.1): the member
    records' own, then, file by file, where the importers that take the file (or, when none
    does, its pending description) say it holds one."""
    found: list[tuple[str, Any]] = []
    for key, record in source.member_items():
        if isinstance(record, dict) and record.get("guild_id") is not None:
            found.append((f"{MEMBER_FILE}[{key}].guild_id", record["guild_id"]))
    for name in LEGACY_FILES:
        if name in source.streamed:
            continue
        data = source.get(name)
        if data is None:
            continue
        takers = [i for i in importers if name in i.files]
        pending = PENDING_FILES.get(name)
        finders = (
            [i.guild_ids for i in takers] if takers else [pending.guild_ids if pending else None]
        )
        for find in dict.fromkeys(f for f in finders if f is not None):
            found += find(name, data)
    return found


def _resolve_guild(
    source: LegacySource,
    guild_id: int | None,
    importers: list[LegacyImporter],
    report: LegacyReport,
) -> int:
    found: dict[int, list[str]] = {}
    for where, raw in _embedded_guild_ids(source, importers):
        try:
            found.setdefault(to_id(raw), []).append(where)
        except LegacyValueError:
            report.issue("abort", where.split("[")[0], "guild id not readable", key=where)
    if report.find("abort"):
        raise LegacyAborted(
            "A guild id in the files cannot be read.", report, problem="unreadable_guild_id"
        )
    if guild_id is None:
        if not found:
            report.issue("abort", "(all files)", "no guild id in the data: give --guild")
            raise LegacyAborted(
                "The files name no server: give --guild ID.", report, problem="no_guild"
            )
        if len(found) > 1:
            for gid, places in found.items():
                report.issue(
                    "abort", "(all files)", f"guild id {gid}", records=len(places), key=places[0]
                )
            raise LegacyAborted(
                "The files name several servers: give --guild ID.",
                report,
                problem="several_guilds",
                guilds=sorted(found),
            )
        guild_id = next(iter(found))
    if not isinstance(guild_id, int) or guild_id <= GLOBAL_GUILD:
        report.issue("abort", "--guild", "guild 0 is the bot-wide pseudo-server", key=guild_id)
        raise LegacyAborted(
            "Import into which server? Guild 0 holds bot-wide records only.",
            report,
            problem="bot_wide_guild",
        )
    foreign = {g: w for g, w in found.items() if g != guild_id}
    for gid, places in foreign.items():
        for place in places:
            report.issue(
                "abort",
                place.split("[")[0],
                f"embedded guild_id {gid} is not the target {guild_id}",
                key=place,
            )
    if foreign:
        raise LegacyAborted(
            f"The files belong to another server ({', '.join(map(str, foreign))}), "
            f"not {guild_id}: nothing was written.",
            report,
            problem="foreign_guild",
            foreign=sorted(foreign),
            target=guild_id,
        )
    return guild_id


def plan_import(
    source: LegacySource,
    guild_id: int | None,
    importers: Iterable[LegacyImporter],
    *,
    dry_run: bool = False,
    progress: LegacyProgress | None = None,
) -> LegacyPlan:
    """Check the files and the target and sort the member records, before any write.
    Raises `LegacyAborted` (with its report) when the import must not run."""
    importers = running_order(importers)
    progress = progress or LegacyProgress()
    report = LegacyReport(source.directory, dry_run=dry_run)
    claimed_files: dict[str, list[str]] = {}
    for importer in importers:
        for name in importer.files:
            claimed_files.setdefault(name, []).append(importer.name)
    for name in LEGACY_FILES:
        status, size = source.status.get(name, ("absent", 0))
        pending = PENDING_FILES.get(name)
        if name in claimed_files:
            handled = ", ".join(claimed_files[name])
        elif pending is not None and pending.system:
            handled = f"not yet ({pending.system})"
        else:
            handled = "not in this game"
        data = source.get(name)
        count = (
            source.counts[name]
            if name in source.streamed
            else len(data)
            if isinstance(data, dict | list)
            else (1 if data else 0)
        )
        report.files[name] = FileStatus(name, status, handled, count, size)
        if status.startswith("unreadable"):
            if name in claimed_files:
                report.issue("abort", name, status)
            else:
                report.issue("skipped", name, f"{status}: could not be checked")
    for name in source.extra:
        report.issue("unknown", name, "not a file of the old bot: not read")
    if report.find("abort"):
        raise LegacyAborted(
            "A file to import cannot be read (truncated or not JSON).",
            report,
            problem="unreadable_file",
        )
    if source.get(MEMBER_FILE) is not None and not source.members_are_an_object():
        report.issue("abort", MEMBER_FILE, "not an object of user records")
        raise LegacyAborted(
            f"{MEMBER_FILE} is not an object of user records.",
            report,
            problem="members_not_an_object",
        )
    target = _resolve_guild(source, guild_id, importers, report)
    report.guild_id = target

    accepted: dict[str, int] = {}
    present: set[str] = set()  # the fields of the accepted records
    quarantined: list[tuple[str, Any]] = []
    seen: set[int] = set()
    checks = [(i.name, i.check) for i in importers if i.check is not None]
    task = progress.start(f"checking {MEMBER_FILE} records", source.member_count())

    def quarantine(key: str, record: Any, reason: str) -> None:
        quarantined.append((key, record))
        report.issue("quarantined", MEMBER_FILE, reason, key=key)

    for n, (key, record) in enumerate(source.member_items(), 1):
        if n % BATCH == 0:
            progress.advance(task, BATCH)
        try:
            user_id = to_id(key)
        except LegacyValueError:
            quarantine(key, record, "key is not a user id")
            continue
        if not isinstance(record, dict):
            quarantine(key, record, "record is not an object")
            continue
        if not is_snowflake(user_id):
            quarantine(key, record, "impossible id below 2^22 (a test record)")
            continue
        if user_id in KNOWN_BOT_ACCOUNTS:
            quarantine(key, record, "the old bot's own account")
            continue
        inner = record.get("user_id")
        if inner is not None:
            try:
                inner_id = to_id(inner)
            except LegacyValueError:
                quarantine(key, record, "user_id is not an id")
                continue
            if inner_id != user_id:
                quarantine(key, record, "user_id differs from the record's key")
                continue
            if isinstance(inner, str):
                report.issue(
                    "adjusted",
                    f"{MEMBER_FILE}: user_id",
                    "id given as text: read as a number",
                    key=key,
                )
        if user_id in seen:
            quarantine(key, record, "a second record for the same user id")
            continue
        reason = next((r for _, check in checks if (r := check(record))), None)
        if reason:
            quarantine(key, record, reason)
            continue
        seen.add(user_id)
        accepted[key] = user_id
        present.update(record)
    progress.finish(task)

    members = LegacyMembers(source, accepted)
    _describe_unclaimed(source, report, importers, members, present)
    return LegacyPlan(target, report, members, quarantined, importers)


def _describe_unclaimed(
    source: LegacySource,
    report: LegacyReport,
    importers: list[LegacyImporter],
    members: LegacyMembers,
    present: set[str],
) -> None:
    """List, with counts, every file and member field that no importer takes (from
    `chibot.legacy.pending`; a field nobody describes is reported as unknown)."""
    claimed_files = {name for i in importers for name in i.files}
    claimed_fields = {name for i in importers for name in i.fields} | FRAMEWORK_FIELDS
    known = DescribeInput(frozenset(members.accepted.values()))
    for name in LEGACY_FILES:
        pending = PENDING_FILES.get(name)
        if (
            name in claimed_files
            or not source.has(name)
            or pending is None
            or pending.describe is None
        ):
            continue
        pending.describe(report, name, source.get(name), known)
    unclaimed = sorted(present - claimed_fields)
    if not unclaimed:
        return
    # One pass over the records for every field no importer takes: each describer keeps
    # tallies (and the few values its checks need), never the records.
    describers = {
        name: PendingFieldTally(PENDING_FIELDS[name], report) if name in PENDING_FIELDS else None
        for name in unclaimed
    }
    unknown = {name: [0, 0] for name, d in describers.items() if d is None}  # records, units
    for member in members:
        record = member.record
        for name, describer in describers.items():
            if name not in record:
                continue
            if describer is not None:
                describer.add(member.key, record)
            else:
                unknown[name][0] += 1
                unknown[name][1] += units(record[name])
    for name, describer in describers.items():
        if describer is not None:
            describer.finish(report)
        else:
            report.issue(
                "unknown",
                f"{MEMBER_FILE}: {name}",
                "field not described by the reference: not read",
                records=unknown[name][0],
                units=unknown[name][1],
            )


# --- running ---------------------------------------------------------------------------------


class _RollBack(Exception):
    def __init__(self, report: LegacyReport) -> None:
        super().__init__("dry run")
        self.report = report


async def run_legacy_import(
    db: Database,
    catalog: Catalog,
    source: LegacySource,
    importers: Iterable[LegacyImporter],
    *,
    guild_id: int | None = None,
    dry_run: bool = False,
    progress: LegacyProgress | None = None,
) -> LegacyReport:
    """Run `importers` (in their `order`) over the files, into one server, in ONE transaction
    (rolled back for a dry run), and return the report. Raises `LegacyAborted` /
    `LegacyTotalsMismatch` (nothing written)."""
    importers = running_order(importers)
    progress = progress or LegacyProgress()
    async with _paused_gc_async():
        return await _import(db, catalog, source, guild_id, dry_run, progress, importers)


async def _import(
    db: Database,
    catalog: Catalog,
    source: LegacySource,
    guild_id: int | None,
    dry_run: bool,
    progress: LegacyProgress,
    importers: list[LegacyImporter],
) -> LegacyReport:
    plan = plan_import(source, guild_id, importers, dry_run=dry_run, progress=progress)

    async def tx(scope: GuildScope) -> LegacyReport:
        report = plan.report.copy()
        ctx = LegacyContext(
            scope, catalog, source, plan.members, plan.quarantined, report, progress
        )
        for importer in plan.importers:
            await importer.fn(ctx)
        wrong = [t.what for t in report.totals if not t.ok]
        if wrong:
            raise LegacyTotalsMismatch(
                f"The totals do not balance ({', '.join(wrong)}): rolled back.",
                report,
                problem="totals_mismatch",
                wrong=wrong,
            )
        if report.changes:
            await scope.audit.write(
                IMPORT_ACTOR,
                "legacy.import",
                after={
                    f"{x.importer}: {x.what}": {"created": x.created, "updated": x.updated}
                    for x in report.lines
                    if x.created or x.updated
                },
                note=f"legacy import from {source.directory}",
            )
        if dry_run:
            raise _RollBack(report)
        return report

    try:
        return await db.scoped(plan.guild_id, tx)
    except _RollBack as rolled_back:
        return rolled_back.report
