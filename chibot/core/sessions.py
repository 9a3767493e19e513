"""Live state with an expiry: one row per live thing in `sessions`.

Invites, join requests and alliance proposals are the first users; duels, bets, trades and
event registrations will be the next. A session is (server, `kind`, `key`) with a JSON
`state`, a `version` for optimistic updates, the member it waits on (`user_id`, so "my
invites" is one indexed query) and an `expires_at`.

The guarantees, on SQLite and PostgreSQL alike:
- **One live session per (kind, key)**: `open` inserts with `ON CONFLICT DO NOTHING`, so of
  two simultaneous opens one wins and the other is refused (`SessionBusy`). The key is how a
  system says "one per player per mode" (`duel:<member>`) or "one per pair" (`<team>:<member>`).
- **Answered once**: `take` deletes the live row and returns it in one statement
  (`DELETE ... RETURNING`): of two members pressing Accept at once, one gets the session, the
  other `SessionGone`. `update` compares and sets the version (`SessionChanged` for the loser).
- **Ended once, by the scheduler**: `open` schedules a `session.expire` job at the expiry
  (`core/scheduler.py`, run by the process that owns the server's shard; `update` moves it,
  `take`/`close` cancel it). When it runs, the row is deleted if it has expired and
  `SessionEnded(reason="expired")` is published in the same transaction, so the system that
  owns the kind settles it there (refunds an escrow, frees a lock) and may return notices:
  a `MessageNotice` asks the bot to edit the message that showed the session (its buttons
  removed, "This invite has expired"), once the ending has committed. A system remembers that
  message with `attach` after sending it. An expired row that is still there when someone opens the same key is
  ended the same way first. A restart loses nothing: the rows and jobs are in the database,
  and the buttons that act on a session carry its kind and key (sealed, `discord/ui/seal.py`).
- Sessions are live state, not server data: never exported or imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, select, update

from chibot.core.errors import UserError
from chibot.core.events import Event
from chibot.core.scheduler import Job, Jobs
from chibot.core.scope import Repo
from chibot.core.tables import sessions

if TYPE_CHECKING:
    from chibot.core.scope import GuildScope

EXPIRE_JOB = "session.expire"
KEY_MAX = 100


@dataclass(frozen=True, slots=True)
class Session:
    kind: str
    key: str
    user_id: int | None
    state: dict[str, Any]
    version: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SessionEnded(Event):
    """A session ended without being answered (`reason`: "expired"). The system owning
    `session.kind` settles it in this transaction."""

    guild_id: int
    session: Session
    reason: str


@dataclass(frozen=True, slots=True)
class MessageNotice:
    """Edit a message the bot sent: its text becomes `text`, its buttons go."""

    channel_id: int
    message_id: int
    text: str


MESSAGE = "_message"  # where a session's state keeps the message that shows it


def shown_in(session: Session) -> tuple[int, int] | None:
    """The (channel, message) that shows the session, if one was attached."""
    ref = session.state.get(MESSAGE)
    return (int(ref[0]), int(ref[1])) if isinstance(ref, list) and len(ref) == 2 else None


class SessionBusy(UserError):
    code = "session_busy"
    plain = "That is already waiting for an answer."

    def __init__(self, kind: str, key: str, expires_at: datetime) -> None:
        super().__init__(kind=kind, key=key, expires_at=expires_at)
        self.kind, self.key, self.expires_at = kind, key, expires_at


class SessionGone(UserError):
    code = "session_gone"
    plain = "This has expired or was already answered."


class SessionChanged(SessionGone):
    code = "session_changed"
    plain = "This changed while you were answering: look again."


def _row(r: Any) -> Session:
    return Session(r.kind, r.key, r.user_id, dict(r.state), r.version, r.created_at, r.expires_at)


class Sessions(Repo):
    def _where(self, kind: str, key: str) -> Any:
        c = sessions.c
        return and_(c.guild_id == self.guild_id, c.kind == kind, c.key == key)

    async def open(
        self,
        kind: str,
        key: str,
        state: dict[str, Any],
        *,
        lasts: timedelta,
        user_id: int | None = None,
    ) -> Session:
        """A new live session, or `SessionBusy` if one with this kind and key is live."""
        if len(kind) + 1 + len(key) > KEY_MAX:
            raise ValueError(f"session kind and key too long: {kind}:{key}")
        now = self.scope.now()
        await self._end_expired(kind, key, now)
        expires = now + lasts
        stmt = self.insert(sessions).values(
            guild_id=self.guild_id,
            kind=kind,
            key=key,
            user_id=user_id,
            state=state,
            version=1,
            created_at=now,
            expires_at=expires,
        )
        made = await self.conn.execute(stmt.on_conflict_do_nothing().returning(sessions.c.version))
        if made.first() is None:
            live = await self.get(kind, key)
            raise SessionBusy(kind, key, live.expires_at if live else expires)
        await self.scope.get(Jobs).schedule(EXPIRE_JOB, expires, key=f"{kind}:{key}")
        return Session(kind, key, user_id, state, 1, now, expires)

    async def get(self, kind: str, key: str) -> Session | None:
        """The live session, or None (an expired one is as good as gone)."""
        row = (await self.conn.execute(select(sessions).where(self._where(kind, key)))).first()
        if row is None or row.expires_at <= self.scope.now():
            return None
        return _row(row)

    async def waiting_on(self, kind: str, user_id: int) -> list[Session]:
        """The live sessions of `kind` waiting on a member, oldest first."""
        c = sessions.c
        rows = await self.conn.execute(
            select(sessions)
            .where(
                (c.guild_id == self.guild_id)
                & (c.kind == kind)
                & (c.user_id == user_id)
                & (c.expires_at > self.scope.now())
            )
            .order_by(c.created_at, c.key)
        )
        return [_row(r) for r in rows]

    async def of_kind(self, kind: str, *, key_prefix: str = "") -> list[Session]:
        """The live sessions of `kind` (whose key starts with `key_prefix`), oldest first."""
        c = sessions.c
        query = select(sessions).where(
            (c.guild_id == self.guild_id) & (c.kind == kind) & (c.expires_at > self.scope.now())
        )
        if key_prefix:
            query = query.where(c.key.startswith(key_prefix, autoescape=True))
        return [_row(r) for r in await self.conn.execute(query.order_by(c.created_at, c.key))]

    async def update(
        self, session: Session, state: dict[str, Any], *, expires_at: datetime | None = None
    ) -> Session:
        """Replace the state if nobody changed it since `session` was read (`SessionChanged`)."""
        c = sessions.c
        expires = expires_at or session.expires_at
        done = await self.conn.execute(
            update(sessions)
            .where(
                self._where(session.kind, session.key)
                & (c.version == session.version)
                & (c.expires_at > self.scope.now())
            )
            .values(state=state, version=session.version + 1, expires_at=expires)
        )
        if done.rowcount != 1:
            raise SessionChanged()
        if expires != session.expires_at:
            await self.scope.get(Jobs).schedule(
                EXPIRE_JOB, expires, key=f"{session.kind}:{session.key}"
            )
        return Session(
            session.kind, session.key, session.user_id, state, session.version + 1,
            session.created_at, expires,
        )  # fmt: skip

    async def attach(self, kind: str, key: str, channel_id: int, message_id: int) -> bool:
        """Remember the message that shows a live session (to edit it when it ends)."""
        session = await self.get(kind, key)
        if session is None:
            return False
        try:
            await self.update(session, {**session.state, MESSAGE: [channel_id, message_id]})
        except SessionChanged:
            return False
        return True

    async def take(self, kind: str, key: str) -> Session:
        """End a live session by answering it, exactly once (`SessionGone` for the others)."""
        row = (
            await self.conn.execute(
                delete(sessions)
                .where(self._where(kind, key) & (sessions.c.expires_at > self.scope.now()))
                .returning(*sessions.c)
            )
        ).first()
        if row is None:
            raise SessionGone()
        await self.scope.get(Jobs).cancel(EXPIRE_JOB, f"{kind}:{key}")
        return _row(row)

    async def close(self, session: Session) -> None:
        """End `session` as read (`SessionChanged` if it changed or ended meanwhile)."""
        done = await self.conn.execute(
            delete(sessions).where(
                self._where(session.kind, session.key) & (sessions.c.version == session.version)
            )
        )
        if done.rowcount != 1:
            raise SessionChanged()
        await self.scope.get(Jobs).cancel(EXPIRE_JOB, f"{session.kind}:{session.key}")

    async def _end_expired(self, kind: str, key: str, now: datetime) -> tuple[Any, ...] | None:
        row = (
            await self.conn.execute(
                delete(sessions)
                .where(self._where(kind, key) & (sessions.c.expires_at <= now))
                .returning(*sessions.c)
            )
        ).first()
        if row is None:
            return None
        return await self.scope.publish(SessionEnded(self.guild_id, _row(row), "expired"))


async def expire_job(app: Any, job: Job) -> None:
    """The scheduler's handler for `session.expire`: end the session if it has expired (it
    may have been answered, or extended, since the job was set)."""
    kind, _, key = job.key.partition(":")

    async def tx(scope: GuildScope) -> tuple[Any, ...] | None:
        return await scope.get(Sessions)._end_expired(kind, key, scope.now())

    notices = await app.db.scoped(job.guild_id, tx)
    outbox = getattr(app, "outbox", None)
    if notices and outbox is not None:  # said only once the ending has committed
        outbox.extend(notices)


CORE_JOBS = {EXPIRE_JOB: expire_job}
