"""Economy queries: the chat award, leaderboard pages and indexed ranks.

The money columns live on the core `members` table (`chibot.core.tables`); moves that are not
chat go through the core `Wallet`. The chat award is special: it is the hottest write of the
bot, so cooldown, hourly cap, blacklist and balance are one conditional UPDATE.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.sql.dml import ReturningUpdate

from chibot.core.members import COLUMNS as MEMBER_COLUMNS
from chibot.core.members import MemberRow
from chibot.core.scope import Repo
from chibot.core.tables import (
    GLOBAL_GUILD,
    UtcDateTime,
    blacklist,
    ledger,
    member_counts,
    members,
)

Board = Literal["chi", "rebirths"]
Cursor = tuple[int, int]
"""A row's place on a board: (its chi or rebirths, its user id)."""
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    user_id: int
    chi: int
    rebirths: int


@dataclass(frozen=True, slots=True)
class Awarded:
    """What a chat award left on the member row."""

    chi: int
    lifetime_chi: int


_COUNTERS = {
    "secret": "secret_words",
    "positive": "positive_messages",
    "negative": "negative_messages",
}


class ChatAwardArgs(TypedDict):
    """The keyword arguments of `EconomyStore.award_chat` after the member, delta and kind."""

    now: datetime
    cooldown: timedelta
    hourly_cap: int
    ledger_id: int
    ref: str | None


class EconomyStore(Repo):
    def _key(self, user_id: int) -> ColumnElement[bool]:
        return and_(members.c.guild_id == self.guild_id, members.c.user_id == user_id)

    async def award_chat(
        self,
        user_id: int,
        delta: int,
        kind: str,
        *,
        now: datetime,
        cooldown: timedelta,
        hourly_cap: int,
        ledger_id: int,
        ref: str | None,
    ) -> Awarded | None:
        """Apply one chat award or penalty, with its ledger row, if the member is off cooldown,
        under the hourly cap (awards only) and not blacklisted; returns the new balance and
        lifetime total, or None if nothing happened. The member row must exist (see
        `EconomyService.chat`).

        The statements are built once (bound parameters), and on PostgreSQL the UPDATE and the
        ledger INSERT are one statement (a data-modifying CTE): this is the hottest write. Both
        paths return `lifetime_chi` with `chi` (RETURNING), so the service can tell whether an
        award crossed a lifetime-chi achievement without another query."""
        params = {
            "g": self.guild_id,
            "u": user_id,
            "delta": delta,
            "now": now,
            "ready": now + cooldown,
            "cutoff": now - HOUR,
            "cap": hourly_cap,
            "lid": ledger_id,
            "reason": f"chat.{kind}",
            "ref": ref,
        }
        update_stmt, combined = _award_statements(kind, delta > 0)
        if self.dialect == "postgresql":
            row = (await self.conn.execute(combined, params)).first()
            return Awarded(row[0], row[1]) if row is not None else None
        row = (await self.conn.execute(update_stmt, params)).first()
        if row is None:
            return None
        await self.conn.execute(_LEDGER_INSERT, {**params, "balance": row[0]})
        return Awarded(row[0], row[1])

    async def exists(self, user_id: int) -> bool:
        """Whether the member has a record here (a primary-key lookup)."""
        found = await self.conn.execute(select(literal(1)).where(self._key(user_id)))
        return found.first() is not None

    # --- boards ----------------------------------------------------------------------------
    # Both boards are read in index order (`ix_members_chi_rank` and `ix_members_rebirth_rank`
    # are (guild_id, key DESC, user_id)): a page is one range scan, a rank is two range counts
    # (`key > x`, then `key = x AND user_id < u`), never an OR that no index can serve, and
    # the server's size comes from `member_counts`, not from counting its rows.

    def _key_column(self, board: Board) -> Any:
        return members.c.rebirths if board == "rebirths" else members.c.chi

    def _on_board(self, board: Board, table: Any = members) -> ColumnElement[bool]:
        """Who is listed: everyone with a record on the chi board; on the rebirth board, those
        with at least one rebirth."""
        listed = table.c.guild_id == self.guild_id
        return and_(listed, table.c.rebirths > 0) if board == "rebirths" else listed

    async def count(self, board: Board = "chi") -> int:
        if board == "chi":
            return await self.scope.members.count()
        return (
            await self.conn.execute(
                select(func.count()).select_from(members).where(self._on_board(board))
            )
        ).scalar_one()

    def _ahead(self, board: Board, key: Any, user_id: Any) -> ColumnElement[int]:
        """How many rows of the board come before (key, user_id): two index range counts."""
        t = members.alias("ahead")
        column = t.c.rebirths if board == "rebirths" else t.c.chi
        higher = select(func.count()).select_from(t).where(self._on_board(board, t), column > key)
        tied = (
            select(func.count())
            .select_from(t)
            .where(self._on_board(board, t), column == key, t.c.user_id < user_id)
        )
        return higher.scalar_subquery() + tied.scalar_subquery()

    async def rank_of(self, board: Board, cursor: Cursor) -> int:
        """1-based place the row (key, user_id) has (or would have) on the board."""
        found = (await self.conn.execute(select(self._ahead(board, *cursor)))).scalar_one()
        return int(found) + 1

    async def page(self, board: Board, page: int, per_page: int) -> list[BoardRow]:
        """Page `page` by position (a page typed as a number): the OFFSET walks the index
        only (key and user id), and only the page's rows are then read."""
        m = members.c
        key = self._key_column(board)
        start = (page - 1) * per_page
        chosen = (
            select(m.user_id)
            .where(self._on_board(board))
            .order_by(key.desc(), m.user_id.asc())
            .limit(per_page)
            .offset(start)
            .subquery("chosen")
        )
        rows = await self.conn.execute(
            select(m.user_id, m.chi, m.rebirths)
            .join_from(members, chosen, m.user_id == chosen.c.user_id)
            .where(m.guild_id == self.guild_id)
            .order_by(key.desc(), m.user_id.asc())
        )
        return [BoardRow(start + i + 1, r.user_id, r.chi, r.rebirths) for i, r in enumerate(rows)]

    async def seek(
        self,
        board: Board,
        cursor: Cursor | None,
        per_page: int,
        *,
        before: bool = False,
        inclusive: bool = False,
    ) -> list[tuple[int, int, int]]:
        """Up to `per_page` rows (user_id, chi, rebirths) in board order right after the row
        `cursor` = (key, user_id) (with `before`: right before it; with `inclusive`: from
        it); without a cursor, the end of the board (the last rows). Keyset pagination: two
        index ranges (ties of the cursor's key, then the keys beyond), no OFFSET."""
        m = members.c
        key = self._key_column(board)
        columns = (m.user_id, m.chi, m.rebirths)
        down = (key.asc(), m.user_id.desc()) if before else (key.desc(), m.user_id.asc())
        if cursor is None:
            rows = list(
                await self.conn.execute(
                    select(*columns)
                    .where(self._on_board(board))
                    .order_by(key.asc(), m.user_id.desc())
                    .limit(per_page)
                )
            )
            return [(r.user_id, r.chi, r.rebirths) for r in reversed(rows)]
        value, user_id = cursor
        if before:
            tie = m.user_id <= user_id if inclusive else m.user_id < user_id
            beyond = key > value
        else:
            tie = m.user_id >= user_id if inclusive else m.user_id > user_id
            beyond = key < value
        ties = (
            select(*columns)
            .where(self._on_board(board), key == value, tie)
            .order_by(*down)
            .limit(per_page)
            .subquery("ties")
        )
        rest = (
            select(*columns)
            .where(self._on_board(board), beyond)
            .order_by(*down)
            .limit(per_page)
            .subquery("rest")
        )
        both = union_all(select(ties), select(rest)).subquery("both")
        ordered = (
            (both.c.rebirths.asc(), both.c.user_id.desc())
            if before and board == "rebirths"
            else (both.c.chi.asc(), both.c.user_id.desc())
            if before
            else (both.c.rebirths.desc(), both.c.user_id.asc())
            if board == "rebirths"
            else (both.c.chi.desc(), both.c.user_id.asc())
        )
        rows = list(await self.conn.execute(select(both).order_by(*ordered).limit(per_page)))
        found = [(r.user_id, r.chi, r.rebirths) for r in rows]
        return found[::-1] if before else found

    async def viewer(self, board: Board, user_id: int, *, counted: bool = True) -> BoardRow | None:
        """The member's own row with their rank (one statement), None when not on the board.
        Not `counted`, the rank is left 0 (the caller ranks from a snapshot: `ranks.py`)."""
        m = members.c
        key = self._key_column(board)
        ahead = self._ahead(board, key, m.user_id) if counted else literal(-1)
        row = (
            await self.conn.execute(
                select(m.chi, m.rebirths, ahead).where(self._on_board(board), m.user_id == user_id)
            )
        ).first()
        return BoardRow(int(row[2]) + 1, user_id, row.chi, row.rebirths) if row else None

    async def card(
        self, user_id: int, *, counted: bool = True
    ) -> tuple[MemberRow, int, int] | None:
        """The member's row, their chi rank and the server's member count, in one statement
        (the profile card, prebuilt: `_card_statement`); None without a record. Not
        `counted`, the rank is left 0."""
        params = {"g": self.guild_id, "u": user_id}
        row = (await self.conn.execute(_card_statement(counted), params)).first()
        if row is None:
            return None
        *fields, ahead, count = row
        return MemberRow(*fields), int(ahead) + 1, int(count or 0)

    async def rank(self, board: Board, mine: MemberRow) -> int | None:
        """1-based rank of a member in this server (ties broken by user id), by indexed
        counts; None when they are not on that board."""
        if board == "rebirths" and mine.rebirths <= 0:
            return None
        key = mine.rebirths if board == "rebirths" else mine.chi
        return await self.rank_of(board, (key, mine.user_id))


# --- the profile card's statement, built once (the profile is on every member's path) -----


@functools.cache
def _card_statement(counted: bool) -> Select[Any]:
    """`EconomyStore.card`'s one statement with the server (`g`) and member (`u`) bound: the
    member's row, the number of rows ahead on the chi board (two index range counts) and the
    server's member count. Built once: constructing it per call cost about as much as a
    statement's round trip (`chibot bench commands`)."""
    m = members.c
    g, u = bindparam("g", type_=BigInteger), bindparam("u", type_=BigInteger)
    if counted:
        t = members.alias("ahead")
        higher = select(func.count()).select_from(t).where(t.c.guild_id == g, t.c.chi > m.chi)
        tied = (
            select(func.count())
            .select_from(t)
            .where(t.c.guild_id == g, t.c.chi == m.chi, t.c.user_id < m.user_id)
        )
        ahead: Any = higher.scalar_subquery() + tied.scalar_subquery()
    else:
        ahead = literal(-1)
    total = select(member_counts.c.members).where(member_counts.c.guild_id == g)
    return select(*MEMBER_COLUMNS, ahead, total.scalar_subquery()).where(
        m.guild_id == g, m.user_id == u
    )


# --- prebuilt chat statements ------------------------------------------------------------

_LEDGER_COLUMNS = [
    "guild_id",
    "id",
    "user_id",
    "delta",
    "currency",
    "reason",
    "ref",
    "balance_after",
    "at",
]
_LEDGER_INSERT = ledger.insert().values(
    guild_id=bindparam("g"),
    id=bindparam("lid"),
    user_id=bindparam("u"),
    delta=bindparam("delta"),
    currency="chi",
    reason=bindparam("reason"),
    ref=bindparam("ref"),
    balance_after=bindparam("balance"),
    at=bindparam("now"),
)


@functools.cache
def _award_statements(
    kind: str, is_award: bool
) -> tuple[ReturningUpdate[Any, Any], Select[Any, Any]]:
    """(UPDATE ... RETURNING chi, lifetime_chi; the same UPDATE + ledger INSERT as one
    statement: `WITH changed AS (UPDATE ... RETURNING chi, lifetime_chi), logged AS (INSERT
    INTO ledger SELECT ... FROM changed) SELECT chi, lifetime_chi FROM changed`). PostgreSQL
    runs a data-modifying WITH clause to completion whether or not the main query reads it."""
    m = members.c
    now = bindparam("now", type_=UtcDateTime)
    cutoff = bindparam("cutoff", type_=UtcDateTime)
    delta = bindparam("delta", type_=BigInteger)
    window_open = m.chat_window_start > cutoff
    counter = _COUNTERS[kind]
    values: dict[str, Any] = {
        "chi": m.chi + delta,
        "chat_ready_at": bindparam("ready", type_=UtcDateTime),
        counter: m[counter] + 1,
    }
    conditions = [
        m.guild_id == bindparam("g"),
        m.user_id == bindparam("u"),
        m.chat_ready_at <= now,
        ~exists().where(
            blacklist.c.guild_id.in_([bindparam("g"), GLOBAL_GUILD]),
            blacklist.c.user_id == bindparam("u"),
        ),
    ]
    if is_award:
        values["lifetime_chi"] = m.lifetime_chi + delta
        values["chat_window_earned"] = case(
            (window_open, m.chat_window_earned + delta), else_=delta
        )
        values["chat_window_start"] = case((window_open, m.chat_window_start), else_=now)
        cap = bindparam("cap", type_=BigInteger)
        conditions.append(
            or_(
                and_(~window_open, delta <= cap),  # a new hour: the award alone must fit
                and_(window_open, m.chat_window_earned + delta <= cap),
            )
        )
    update_stmt = update(members).where(*conditions).values(values).returning(m.chi, m.lifetime_chi)
    changed = update_stmt.cte("changed")
    row = select(
        bindparam("g", type_=BigInteger),
        bindparam("lid", type_=BigInteger),
        bindparam("u", type_=BigInteger),
        delta,
        literal("chi"),
        bindparam("reason", type_=String),
        bindparam("ref", type_=String),
        changed.c.chi,
        now,
    ).select_from(changed)
    logged = insert(ledger).from_select(_LEDGER_COLUMNS, row).cte("logged")
    combined = select(changed.c.chi, changed.c.lifetime_chi).add_cte(logged)
    return update_stmt, combined
