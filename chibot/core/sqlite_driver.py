"""`sqlite+chibot`: SQLAlchemy's aiosqlite dialect with one thread hop per statement.

aiosqlite runs each SQLite connection on a thread of its own and hands it work one call at a
time; SQLAlchemy's adapter makes four such calls for every statement (open a cursor, execute,
fetch the rows, close the cursor), and each is a round trip between the event loop and that
thread: a queue put, a wake-up of the thread, a `call_soon_threadsafe` and a wake-up of the
loop. A command of six statements made some 25 of them, and on a busy two-core machine each
hop is where the operating system can make the loop wait: they were most of a command's
time on SQLite and nearly all of its slowest 1 % (`chibot bench commands`).

This dialect keeps everything of `sqlite+aiosqlite` (the same aiosqlite connection, thread,
pool, isolation handling, errors and disconnect detection) and changes only the cursor: its
`execute` sends ONE function to the connection's thread that opens a sqlite3 cursor, executes,
fetches every row, reads `description`, `rowcount` and `lastrowid`, and closes it. A buffered
cursor is what the adapter gave anyway (it fetched all rows before returning); server-side
cursors (`stream_results`) and `executemany` keep aiosqlite's own path.

It relies on one private call of aiosqlite, `Connection._execute(fn)` (run `fn` on the
connection's thread and await its result), which is also how SQLAlchemy's own adapter sets the
isolation level; aiosqlite is pinned, and `tests/core/test_sqlite_driver.py` checks the cursor
against the stock dialect, so an upgrade that changes it fails there first.

`Database` (core/db.py) swaps a `sqlite+aiosqlite` URL's driver for this one; the dialect's
name stays "sqlite", so nothing else can tell the difference.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT

DRIVER = "chibot"
"""The URL's driver name: `sqlite+chibot:///path.db`."""


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any
) -> tuple[Any, list[Any] | None, int, int | None]:
    """On the connection's thread: the whole statement, cursor opened and closed."""
    cursor = connection.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose `execute` is one call on the connection's thread."""

    __slots__ = ("_description", "_rowcount", "_lastrowid", "_arraysize")

    # there is no aiosqlite cursor to soft-close: its rows are already here
    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: Any) -> None:
        # not the parent's: it would open an aiosqlite cursor (a thread hop) right away
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self._arraysize = 1  # sqlite3's default: what `fetchmany()` with no size returns

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            description, rows, rowcount, lastrowid = await connection._execute(
                _run, connection._conn, operation, parameters
            )
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        self._rows = collections.deque(rows or ())
        return self

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            rowcount = await connection._execute(
                _run_many, connection._conn, operation, seq_of_parameters
            )
        self._description, self._rowcount, self._lastrowid = None, rowcount, None
        self._rows = collections.deque()
        return self

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        return None

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


def _run_many(connection: sqlite3.Connection, operation: str, seq_of_parameters: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, seq_of_parameters)
        return cursor.rowcount
    finally:
        cursor.close()


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        # the stock connect (its creator hook, daemon thread), re-wrapped with our cursor
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection)


class SQLiteDialect_chibot(SQLiteDialect_aiosqlite):  # noqa: N801 (SQLAlchemy's naming)
    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneHopDBAPI:
        return OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


dialect = SQLiteDialect_chibot

registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_chibot")
