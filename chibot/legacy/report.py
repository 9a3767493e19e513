"""The report of a legacy import: what was read, written, adjusted, skipped and left out.

Nothing found in the old files is dropped without a line here. Lines are grouped by category:

- `quarantined`: whole records not imported because they cannot be trusted (the test record
  1234567, ids below 2^22, the bot's own account, a key that differs from its `user_id`...);
- `skipped`: values inside imported records that were not imported (unknown item names,
  unknown achievement ids, HP above the cap, levels of items not held...);
- `adjusted`: values normalised on the way in (numbers given as text, JSON stored as text,
  `"owned"`, missing fields taken as 0, merged pre-merge rebirth counters...);
- `not_yet`: data of a game system that does not exist yet ("not imported yet (no such
  system)"); the system's importer will take it when it lands;
- `not_in_game`: data that exists in the files but not in this game, or is never migrated
  (catalogs, transient state, ops logs, unused fields);
- `unknown`: files or fields the reference does not describe.

The report ends with totals (members, chi, rebirths, items...) in the files and in the
database, which prove that every unit was either imported or listed above.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

CATEGORIES: dict[str, str] = {
    "quarantined": "Quarantined records (not imported: cannot be trusted)",
    "skipped": "Skipped values (inside imported records)",
    "adjusted": "Adjusted on the way in (normalised, reported)",
    "not_yet": "Not imported yet (no such system)",
    "not_in_game": "Not in this game, or never migrated",
    "unknown": "Unknown to the reference (not read)",
    "abort": "Import refused",
}
MAX_EXAMPLES = 5


@dataclass
class Issue:
    category: str
    where: str  # file, or "file: field"
    reason: str
    records: int = 0  # how many records (or entries) are concerned
    units: int = 0  # how many things (items, chi...) they hold; 0 when it does not apply
    examples: list[str] = field(default_factory=list)


@dataclass
class Line:
    """What an importer wrote: rows created, updated and already equal to the file."""

    importer: str
    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Total:
    what: str
    in_files: int
    not_imported: int
    in_database: int

    @property
    def expected(self) -> int:
        return self.in_files - self.not_imported

    @property
    def ok(self) -> bool:
        return self.expected == self.in_database


@dataclass
class FileStatus:
    name: str
    status: str  # "read", "absent", "unreadable: ...", "not a legacy file"
    handled_by: str  # the importer(s), or the report category
    records: int = 0
    size: int = 0


@dataclass
class LegacyReport:
    source: str
    guild_id: int | None = None
    dry_run: bool = False
    files: dict[str, FileStatus] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    issues: dict[tuple[str, str, str], Issue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    elapsed: float | None = None
    peak_rss_mb: float | None = None

    # --- recording ---------------------------------------------------------------------------

    def issue(
        self,
        category: str,
        where: str,
        reason: str,
        *,
        key: Any = None,
        records: int = 1,
        units: int = 0,
    ) -> Issue:
        if category not in CATEGORIES:
            raise ValueError(f"unknown report category {category!r}")
        entry = self.issues.get((category, where, reason))
        if entry is None:
            entry = self.issues[(category, where, reason)] = Issue(category, where, reason)
        entry.records += records
        entry.units += units
        if key is not None and len(entry.examples) < MAX_EXAMPLES:
            shown = str(key)
            if shown not in entry.examples:
                entry.examples.append(shown)
        return entry

    def not_yet(
        self, where: str, system: str, *, records: int, units: int = 0, what: str = ""
    ) -> Issue:
        reason = f"not imported yet (no such system: {system})" + (f": {what}" if what else "")
        return self.issue("not_yet", where, reason, records=records, units=units)

    def line(
        self, importer: str, what: str, *, created: int = 0, updated: int = 0, unchanged: int = 0
    ) -> Line:
        entry = Line(importer, what, created, updated, unchanged)
        self.lines.append(entry)
        return entry

    def total(self, what: str, *, in_files: int, not_imported: int, in_database: int) -> Total:
        entry = Total(what, in_files, not_imported, in_database)
        self.totals.append(entry)
        return entry

    def note(self, text: str) -> None:
        self.notes.append(text)

    def copy(self) -> LegacyReport:
        return copy.deepcopy(self)

    # --- reading (tests, the CLI) ------------------------------------------------------------

    @property
    def changes(self) -> int:
        return sum(line.created + line.updated for line in self.lines)

    @property
    def totals_ok(self) -> bool:
        return all(t.ok for t in self.totals)

    def find(
        self, category: str | None = None, where: str | None = None, reason: str | None = None
    ) -> list[Issue]:
        """Issues whose category equals and whose `where` / `reason` contain the given text."""
        return [
            i
            for i in self.issues.values()
            if (category is None or i.category == category)
            and (where is None or where in i.where)
            and (reason is None or reason in i.reason)
        ]

    def get_total(self, what: str) -> Total:
        return next(t for t in self.totals if t.what == what)

    def get_line(self, importer: str, what: str) -> Line:
        return next(x for x in self.lines if x.importer == importer and x.what == what)

    def count(self, category: str) -> int:
        return sum(i.records for i in self.issues.values() if i.category == category)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "guild_id": self.guild_id,
            "dry_run": self.dry_run,
            "files": [vars(f) for f in self.files.values()],
            "written": [vars(x) for x in self.lines],
            "issues": [vars(i) for i in self.issues.values()],
            "notes": list(self.notes),
            "totals": [{**vars(t), "expected": t.expected, "ok": t.ok} for t in self.totals],
            "elapsed": self.elapsed,
            "peak_rss_mb": self.peak_rss_mb,
        }

    # --- rendering ---------------------------------------------------------------------------

    def render(self, console: Console) -> None:
        title = "Legacy import" + (" (DRY RUN: nothing was written)" if self.dry_run else "")
        target = f"server {self.guild_id}" if self.guild_id is not None else "no server"
        console.rule(f"[bold]{title}[/] from {self.source} into {target}")
        if self.files:
            table = Table(title="Files", title_justify="left", expand=False)
            for column in ("file", "status", "records", "bytes", "handled by"):
                table.add_column(
                    column, justify="right" if column in ("records", "bytes") else "left"
                )
            for f in sorted(self.files.values(), key=lambda f: f.name):
                table.add_row(f.name, f.status, f"{f.records:,}", f"{f.size:,}", f.handled_by)
            console.print(table)
        if self.lines:
            table = Table(
                title="Written" if not self.dry_run else "Would write", title_justify="left"
            )
            for column in ("importer", "rows", "created", "updated", "unchanged"):
                table.add_column(
                    column, justify="left" if column in ("importer", "rows") else "right"
                )
            for x in self.lines:
                table.add_row(
                    x.importer, x.what, f"{x.created:,}", f"{x.updated:,}", f"{x.unchanged:,}"
                )
            console.print(table)
        for category, heading in CATEGORIES.items():
            issues = [i for i in self.issues.values() if i.category == category]
            if not issues:
                continue
            table = Table(title=heading, title_justify="left")
            for column in ("where", "what / why", "records", "units", "examples"):
                table.add_column(
                    column,
                    justify="right" if column in ("records", "units") else "left",
                    overflow="fold",
                )
            for i in sorted(issues, key=lambda i: (i.where, i.reason)):
                table.add_row(
                    i.where,
                    i.reason,
                    f"{i.records:,}",
                    f"{i.units:,}" if i.units else "",
                    ", ".join(i.examples),
                )
            console.print(table)
        for text in self.notes:
            console.print(f"[dim]note:[/] {text}")
        if self.totals:
            table = Table(title="Totals: nothing lost", title_justify="left")
            for column in (
                "",
                "in the files",
                "not imported (listed above)",
                "expected",
                "in the database",
                "ok",
            ):
                table.add_column(column, justify="left" if column in ("",) else "right")
            for t in self.totals:
                table.add_row(
                    t.what,
                    f"{t.in_files:,}",
                    f"{t.not_imported:,}",
                    f"{t.expected:,}",
                    f"{t.in_database:,}",
                    "[green]yes[/]" if t.ok else "[red]NO[/]",
                )
            console.print(table)
        summary = (
            f"quarantined records: {self.count('quarantined'):,}, skipped values: {self.count('skipped'):,}, "
            f"not imported yet: {len(self.find('not_yet')):,} kinds, not in this game: {len(self.find('not_in_game')):,} kinds, "
            f"rows {'that would change' if self.dry_run else 'changed'}: {self.changes:,}"
        )
        console.print(summary)
        if self.elapsed is not None:
            memory = (
                f", peak memory {self.peak_rss_mb:,.0f} MB (max RSS)"
                if self.peak_rss_mb is not None
                else ""
            )
            console.print(f"elapsed {self.elapsed:,.2f} s{memory}")


class LegacyProgress:
    """Progress of the import: a no-op here; `RichLegacyProgress` draws bars on stderr."""

    def start(self, description: str, total: int | None) -> Any:
        return None

    def advance(self, task: Any, amount: int = 1) -> None:
        pass

    def finish(self, task: Any) -> None:
        pass

    def __enter__(self) -> LegacyProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class RichLegacyProgress(LegacyProgress):
    """A rich progress bar per file / record batch, on the given (stderr) console."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._done: dict[TaskID, int] = {}
        self._total: dict[TaskID, int | None] = {}

    def start(self, description: str, total: int | None) -> TaskID:
        task = self._progress.add_task(description, total=total)
        self._done[task], self._total[task] = 0, total
        return task

    def advance(self, task: TaskID, amount: int = 1) -> None:
        self._done[task] = self._done.get(task, 0) + amount
        self._progress.advance(task, amount)

    def finish(self, task: TaskID) -> None:
        done = self._total.get(task) or max(self._done.get(task, 0), 1)
        self._progress.update(task, total=done, completed=done)

    def __enter__(self) -> RichLegacyProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()
