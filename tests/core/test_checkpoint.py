"""SQLite's WAL is folded back off the commands' path: the writer's automatic checkpoint only
triggers as a safety net, and `Database.checkpoint()` (the bot's background loop) folds the
WAL without blocking the writer. A no-op on PostgreSQL."""

from __future__ import annotations

import sqlite3

from sqlalchemy import make_url, text

from chibot.core.db import WAL_SAFETY_PAGES


async def test_checkpoint_folds_the_wal(db) -> None:
    for n in range(50):
        await db.scoped(1, lambda s, n=n: s.wallet.credit(n + 1, 5, reason="test"))
    await db.checkpoint()  # SQLite: the WAL folded; PostgreSQL: nothing to do
    if db.dialect != "sqlite":
        return
    async with db.transaction() as conn:
        assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar() == WAL_SAFETY_PAGES
    path = make_url(db.url).database
    with sqlite3.connect(path) as raw:
        busy, frames, done = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and frames == done  # the WAL is all in the database file
        assert raw.execute("SELECT count(*) FROM members").fetchone()[0] == 50
