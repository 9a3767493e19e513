"""`import-legacy` streams the member file (ijson) instead of parsing it whole: the import
result is the same as from the parsed files, on both backends."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rich.console import Console

from chibot import cli
from chibot.core.registry import default_registry
from chibot.legacy import MEMBER_FILE, read_legacy_dir, run_legacy_import, source_from_files
from chibot.legacy.fixtures import generate


def _parsed(directory: Path, streamed):
    files = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")}
    source = source_from_files(files, streamed.directory)
    source.status = dict(streamed.status)  # the same sizes in the files table
    return source


def _text(report) -> str:
    report.elapsed = report.peak_rss_mb = None
    # a new team's id comes from the id generator: it differs from one run to the next
    report.notes = [re.sub(r"-> [0-9]+", "-> (new id)", note) for note in report.notes]
    console = Console(record=True, width=200, force_terminal=False)
    report.render(console)
    return console.export_text()


async def _run(app, source, **kwargs):
    return await run_legacy_import(
        app.db, app.catalog, source, default_registry().legacy_importers, **kwargs
    )


async def test_a_streamed_import_gives_the_same_result_as_the_parsed_files(app, tmp_path) -> None:
    generate(tmp_path / "set", members=300, seed=7)
    streamed = read_legacy_dir(tmp_path / "set")
    assert MEMBER_FILE in streamed.streamed and streamed.get(MEMBER_FILE) is None  # not held
    parsed = _parsed(tmp_path / "set", streamed)
    from_parsed = await _run(app, parsed, dry_run=True)
    from_stream = await _run(app, streamed, dry_run=True)
    assert _text(from_stream) == _text(from_parsed)
    written = await _run(app, streamed)
    assert written.lines == from_parsed.lines and written.totals == from_parsed.totals
    again = await _run(app, _parsed(tmp_path / "set", streamed))
    assert all(not (x.created or x.updated) for x in again.lines)  # nothing differs


async def test_a_key_written_twice_reads_as_json_loads_reads_it(app, tmp_path) -> None:
    folder = tmp_path / "twice"
    folder.mkdir()
    user, other = 1155891403801514105, 1155891403801514999
    guild = 1405243158958309417
    (folder / MEMBER_FILE).write_text(
        "{"
        f'"{user}": {{"user_id": {user}, "guild_id": {guild}, "chi": 5}}, '
        f'"{other}": {{"user_id": {other}, "guild_id": {guild}, "chi": 7}}, '
        f'"{user}": {{"user_id": {user}, "guild_id": {guild}, "chi": 9}}'
        "}",
        encoding="utf-8",
    )
    streamed = read_legacy_dir(folder)
    assert list(streamed.member_items()) == list(
        json.loads((folder / MEMBER_FILE).read_text()).items()
    )
    from_stream = await _run(app, streamed, dry_run=True)
    assert _text(from_stream) == _text(await _run(app, _parsed(folder, streamed), dry_run=True))


def test_a_truncated_member_file_is_unreadable_as_before(tmp_path) -> None:
    generate(tmp_path / "set", members=20, seed=3)
    member_file = tmp_path / "set" / MEMBER_FILE
    member_file.write_bytes(member_file.read_bytes()[:-200])
    source = read_legacy_dir(tmp_path / "set")
    assert source.status[MEMBER_FILE][0].startswith("unreadable")
    assert not source.has(MEMBER_FILE)


def test_bench_legacy_prints_memory_and_time_beside_the_input(
    capsys, monkeypatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["bench", "legacy", "--members", "40"]) == 0
    out = capsys.readouterr().out
    assert "40 members" in out and "input" in out and "peak memory" in out and "time" in out
