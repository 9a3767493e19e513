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
    update,
)
from sqlalchemy.sql.dml import ReturningUpdate
from sqlalchemy.sql.elements import UnaryExpression

from chibot.core.members import MemberRow
from chibot.core.scope import Repo
from chibot.core.tables import GLOBAL_GUILD, UtcDateTime, blacklist, ledger, members

Board = Literal["chi", "rebirths"]
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

    def _order(self, board: Board) -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
        m = members.c
        if board == "rebirths":
            return (m.rebirths.desc(), m.user_id.asc())
        return (m.chi.desc(), m.user_id.asc())

    def _on_board(self, board: Board) -> ColumnElement[bool]:
        """Who is listed: everyone with a record on the chi board; on the rebirth board, those
        with at least one rebirth."""
        m = members.c
        listed = m.guild_id == self.guild_id
        return and_(listed, m.rebirths > 0) if board == "rebirths" else listed

    async def count(self, board: Board = "chi") -> int:
        return (
            await self.conn.execute(
                select(func.count()).select_from(members).where(self._on_board(board))
            )
        ).scalar_one()

    async def page(self, board: Board, page: int, per_page: int) -> list[BoardRow]:
        m = members.c
        rows = await self.conn.execute(
            select(m.user_id, m.chi, m.rebirths)
            .where(self._on_board(board))
            .order_by(*self._order(board))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        start = (page - 1) * per_page
        return [BoardRow(start + i + 1, r.user_id, r.chi, r.rebirths) for i, r in enumerate(rows)]

    async def rank(self, board: Board, mine: MemberRow) -> int | None:
        """1-based rank of a member in this server (ties broken by user id), by an indexed
        count; None when they are not on that board."""
        if board == "rebirths" and mine.rebirths <= 0:
            return None
        user_id = mine.user_id
        m = members.c
        if board == "rebirths":
            ahead = or_(
                m.rebirths > mine.rebirths, and_(m.rebirths == mine.rebirths, m.user_id < user_id)
            )
        else:
            ahead = or_(m.chi > mine.chi, and_(m.chi == mine.chi, m.user_id < user_id))
        count = (
            await self.conn.execute(
                select(func.count()).select_from(members).where(self._on_board(board), ahead)
            )
        ).scalar_one()
        return count + 1


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
