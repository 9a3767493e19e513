"""`core/error_log.py`: a server's bugs, kept 7 days and at most CAP, never another server's."""

from __future__ import annotations

import pytest

from chibot.app import App
from chibot.core import error_log as module

G1, G2 = 501, 502


async def test_record_page_and_find_stay_in_their_server(app: App) -> None:
    log = app.error_log
    for i in range(12):
        await log.record(G1, 7, f"id{i:02d}", "command daily", RuntimeError(f"boom {i}\nsecond"))
        app.clock.advance(1)
    await log.record(G2, 8, "other", "button shop", KeyError("x"))
    first = await log.page(G1, 1)
    assert (first.total, first.pages, len(first.entries)) == (12, 2, 10)
    assert first.entries[0].error_id == "id11" and first.entries[0].detail == "boom 11"
    assert first.entries[0].kind == "RuntimeError" and first.entries[0].place == "command daily"
    last = await log.page(G1, 99)  # clamped
    assert last.page == 2 and [e.error_id for e in last.entries] == ["id01", "id00"]
    assert await log.find(G1, "other") is None  # another server's id
    found = await log.find(G2, " OTHER ")
    assert found is not None and found.user_id == 8
    assert (await log.page(503, 1)).total == 0


async def test_old_entries_and_those_past_the_cap_are_dropped(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "CAP", 5)
    log = app.error_log
    await log.record(G1, 1, "ancient", "command x", ValueError("old"))
    app.clock.advance(days=8)
    for i in range(7):
        await log.record(G1, 1, f"n{i}", "command x", ValueError(str(i)))
        app.clock.advance(1)
    page = await log.page(G1, 1)
    assert [e.error_id for e in page.entries] == ["n6", "n5", "n4", "n3", "n2"]
    assert await log.find(G1, "ancient") is None


async def test_a_failing_write_never_raises(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(app.db, "scoped", broken)
    await app.error_log.record(G1, 1, "lost", "command x", ValueError("v"))  # no exception


async def test_long_texts_are_cut_to_the_columns(app: App) -> None:
    await app.error_log.record(G1, 1, "long", "p" * 500, ValueError("d" * 5_000))
    entry = await app.error_log.find(G1, "long")
    assert entry is not None and len(entry.place) == 100 and len(entry.detail) == 300
