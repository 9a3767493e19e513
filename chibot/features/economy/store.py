"""Economy queries: the chat award, leaderboard pages and indexed ranks.

The money columns live on the core `members` table (`chibot.core.tables`); moves that are not
chat go through the core `Wallet`. The chat award is special: it is the hottest write of the
bot, so cooldown, hourly cap, blacklist and balance are one conditional UPDATE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, case, exists, func, or_, select, update

from chibot.core.scope import Repo
from chibot.core.tables import GLOBAL_GUILD, blacklist, members

Board = Literal["chi", "rebirths"]
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    user_id: int
    chi: int
    rebirths: int


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int
    positive_messages: int
    negative_messages: int
    secret_words: int


_COUNTERS = {"secret": "secret_words", "positive": "positive_messages", "negative": "negative_messages"}


class EconomyStore(Repo):
    def _key(self, user_id: int):  # noqa: ANN202
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
    ) -> int | None:
        """Apply one chat award or penalty if the member is off cooldown, under the hourly cap
        (awards only) and not blacklisted; returns the new balance, or None if nothing happened.
        Missing member rows must exist already (see `EconomyService.chat`)."""
        m = members.c
        window_open = m.chat_window_start > now - HOUR
        counter = _COUNTERS[kind]
        values: dict = {
            "chi": m.chi + delta,
            "chat_ready_at": now + cooldown,
            counter: m[counter] + 1,
        }
        conditions = [
            self._key(user_id),
            m.chat_ready_at <= now,
            ~exists().where(
                blacklist.c.guild_id.in_([self.guild_id, GLOBAL_GUILD]),
                blacklist.c.user_id == user_id,
            ),
        ]
        if delta > 0:
            values["lifetime_chi"] = m.lifetime_chi + delta
            values["chat_window_earned"] = case(
                (window_open, m.chat_window_earned + delta), else_=delta
            )
            values["chat_window_start"] = case((window_open, m.chat_window_start), else_=now)
            conditions.append(or_(~window_open, m.chat_window_earned + delta <= hourly_cap))
        stmt = update(members).where(*conditions).values(values).returning(m.chi)
        return (await self.conn.execute(stmt)).scalar_one_or_none()

    async def member(self, user_id: int) -> MemberRow | None:
        m = members.c
        row = (
            await self.conn.execute(
                select(
                    m.user_id, m.chi, m.rebirths, m.lifetime_chi,
                    m.positive_messages, m.negative_messages, m.secret_words,
                ).where(self._key(user_id))
            )
        ).first()
        return MemberRow(*row) if row else None

    def _order(self, board: Board):  # noqa: ANN202
        m = members.c
        if board == "rebirths":
            return (m.rebirths.desc(), m.chi.desc(), m.user_id.asc())
        return (m.chi.desc(), m.user_id.asc())

    async def count(self) -> int:
        return (
            await self.conn.execute(
                select(func.count()).select_from(members).where(members.c.guild_id == self.guild_id)
            )
        ).scalar_one()

    async def page(self, board: Board, page: int, per_page: int) -> list[BoardRow]:
        m = members.c
        rows = await self.conn.execute(
            select(m.user_id, m.chi, m.rebirths)
            .where(m.guild_id == self.guild_id)
            .order_by(*self._order(board))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        start = (page - 1) * per_page
        return [BoardRow(start + i + 1, r.user_id, r.chi, r.rebirths) for i, r in enumerate(rows)]

    async def rank(self, board: Board, user_id: int) -> int | None:
        """1-based rank in this server (ties broken by user id), by an indexed count."""
        mine = await self.member(user_id)
        if mine is None:
            return None
        m = members.c
        if board == "rebirths":
            ahead = or_(
                m.rebirths > mine.rebirths,
                and_(m.rebirths == mine.rebirths, m.chi > mine.chi),
                and_(m.rebirths == mine.rebirths, m.chi == mine.chi, m.user_id < user_id),
            )
        else:
            ahead = or_(m.chi > mine.chi, and_(m.chi == mine.chi, m.user_id < user_id))
        count = (
            await self.conn.execute(
                select(func.count()).select_from(members).where(m.guild_id == self.guild_id, ahead)
            )
        ).scalar_one()
        return count + 1

    async def chat_ready_at(self, user_id: int) -> datetime | None:
        return (
            await self.conn.execute(select(members.c.chat_ready_at).where(self._key(user_id)))
        ).scalar_one_or_none()
