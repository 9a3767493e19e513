"""Unique 64-bit ids for append-only rows (ledger, audit), made in the process.

Why not an autoincrement: per-server tables have `guild_id` first in a composite primary key,
and SQLite only autoincrements a lone INTEGER PRIMARY KEY. Snowflake-like ids (milliseconds,
random node bits, a counter) are unique across processes, roughly time-ordered, and identical
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import secrets
import threading
import time

_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
_node = secrets.randbits(10)
_lock = threading.Lock()
_last = [0, 0]  # last millisecond, sequence within it


def new_id() -> int:
    with _lock:
        ms = int(time.time() * 1000) - _EPOCH_MS
        if ms <= _last[0]:
            ms = _last[0]
            _last[1] += 1
            if _last[1] >= 4096:  # sequence exhausted: borrow the next millisecond
                ms += 1
                _last[1] = 0
        else:
            _last[1] = 0
        _last[0] = ms
        return (ms << 22) | (_node << 12) | _last[1]
