"""The core tables: members and their money, the ledger, cooldowns, settings, audit, blacklist.

Rules of the schema (a test enforces them over every table, core and features alike):
- every per-server table has `guild_id` as the FIRST column of its primary key;
- every foreign key between per-server tables includes `guild_id`;
- `guild_id = 0` is reserved for bot-wide records (the global blacklist, bot settings).

Feature tables are declared in `chibot/features/<system>/store.py` on the same `metadata`.
Money is BIGINT everywhere (the old bot overflowed a 32-bit column).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The "never" of time columns: a cooldown that ran out long ago."""

GLOBAL_GUILD = 0
"""The pseudo-server of bot-wide records."""


def balance(least: int | None = None) -> dict[str, object]:
    """Column `info` of a money column: an import keeps it within the wallet's limits
    (`core/export.py`), and at least `least` when given."""
    return {"balance": True} if least is None else {"balance": True, "min": least}


def at_least(least: int) -> dict[str, object]:
    """Column `info` of a tally, level or counter that the game never lets fall below `least`
    (checked by an import, `core/export.py`)."""
    return {"min": least}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same on SQLite (text) and PostgreSQL."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the injected clock")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite values from text() queries
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


guilds = Table(
    "guilds",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False, server_default=""),
    Column("joined_at", UtcDateTime, nullable=True),
    Column("left_at", UtcDateTime, nullable=True),
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", BigInteger, nullable=True),
)

members = Table(
    "members",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("chi", BigInteger, nullable=False, server_default="0", info=balance()),
    Column("rebirths", BigInteger, nullable=False, server_default="0", info=balance(0)),
    # Lifetime chi earned (never lowered by spending): the level is derived from it.
    Column("lifetime_chi", BigInteger, nullable=False, server_default="0", info=balance(0)),
    # Chat earning state lives on the member row so that an award is ONE conditional UPDATE.
    Column(
        "chat_ready_at",
        UtcDateTime,
        nullable=False,
        default=EPOCH,
        server_default="1970-01-01 00:00:00",
    ),
    Column(
        "chat_window_start",
        UtcDateTime,
        nullable=False,
        default=EPOCH,
        server_default="1970-01-01 00:00:00",
    ),
    Column("chat_window_earned", BigInteger, nullable=False, server_default="0", info=at_least(0)),
    Column("positive_messages", BigInteger, nullable=False, server_default="0", info=at_least(0)),
    Column("negative_messages", BigInteger, nullable=False, server_default="0", info=at_least(0)),
    Column("secret_words", BigInteger, nullable=False, server_default="0", info=at_least(0)),
    Column("title", String(40), nullable=True),  # chosen with the Exclusive Title item
    Column("created_at", UtcDateTime, nullable=False),
    sqlite_with_rowid=False,
)

member_counts = Table(
    "member_counts",
    metadata,
    # How many member rows a server has, kept by database triggers on `members` (insert +1,
    # delete -1, in the same transaction, whatever path writes the rows: migration 0005), so
    # a leaderboard or a profile never counts a large server. Derived data: never exported.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("members", BigInteger, nullable=False, server_default="0"),
)

# The chi board in index order: chi down, ties by user id up (a page is a range scan, a rank
# is two range counts).
Index("ix_members_chi_rank", members.c.guild_id, members.c.chi.desc(), members.c.user_id)
# Not on chi: a chat award then updates one index, not two. The rebirth board breaks ties by
# user id.
Index("ix_members_rebirth_rank", members.c.guild_id, members.c.rebirths.desc(), members.c.user_id)

ledger = Table(
    "ledger",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, nullable=False),
    Column("delta", BigInteger, nullable=False, info=balance()),
    Column("currency", String(16), nullable=False),  # "chi" | "rebirths"
    Column("reason", String(48), nullable=False),
    Column("ref", String(100), nullable=True),  # what caused it: counterpart, message id, item
    Column("balance_after", BigInteger, nullable=False, info=balance()),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_ledger_user", "guild_id", "user_id", "id"),
    sqlite_with_rowid=False,
)

cooldowns = Table(
    "cooldowns",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("action", String(48), primary_key=True),
    Column("ready_at", UtcDateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("actor_id", BigInteger, nullable=False),
    Column("action", String(48), nullable=False),
    Column("target_id", BigInteger, nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("note", Text, nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

error_log = Table(
    "error_log",
    metadata,
    # a bug a member ran into (`log`): operational, not game data, so never exported; kept
    # 7 days and at most 1,000 per server (`core/error_log.py`); guild_id 0 for DMs
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("error_id", String(16), primary_key=True),
    Column("user_id", BigInteger, nullable=False),
    Column("place", String(100), nullable=False),
    Column("kind", String(100), nullable=False),
    Column("detail", String(300), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_error_log_at", "guild_id", "at"),
)

blacklist = Table(
    "blacklist",
    metadata,
    # guild_id = 0: bot-wide (set by owners); otherwise one server's ban list.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("reason", String(200), nullable=True),
    Column("by_id", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)


def _holdings(name: str) -> Table:
    """Items a member holds: the inventory, or the chest (which survives resets)."""
    return Table(
        name,
        metadata,
        Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
        Column("user_id", BigInteger, primary_key=True, autoincrement=False),
        Column("item_id", String(48), primary_key=True),
        Column("qty", BigInteger, nullable=False),
        Column(
            "level", Integer, nullable=False, server_default="0", info=at_least(0)
        ),  # upgrade level (non-stacking)
        CheckConstraint("qty >= 0", name="qty_not_negative"),
    )


inventory = _holdings("inventory")
chest = _holdings("chest")

counters = Table(
    "counters",
    metadata,
    # Per-member tallies and gauges (purchases, dailies, daily streak, permanent HP...): read by
    # `stats`, achievements and milestones. Systems bump them in their own transactions.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(48), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    # Scheduled work per server (purge of a server that removed the bot, timers, spawns...).
    # Claimed with a lease so that one process runs a job even when several are running.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(48), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("due_at", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=True),
    Column("leased_until", UtcDateTime, nullable=True),
    Index("ix_jobs_due", "due_at"),
)

secrets = Table(
    "secrets",
    metadata,
    # Bot-wide secrets made on first use (the key that seals the state of buttons), under
    # server 0 like every bot-wide record. Never part of an export or a backup: a restored bot
    # makes new ones, and old buttons expire.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(48), primary_key=True),
    Column("value", String(128), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    # Live state with an expiry (docs/architecture.md, "Live state"): invites, join requests,
    # alliance proposals, and later duels, bets, trades. One row per live thing, updated with
    # optimistic versioning; `user_id` is the member it waits on (for "my invites"). Ended by
    # the scheduler when it expires. Not server data: never exported.
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(48), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("user_id", BigInteger, nullable=True),
    Column("state", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_sessions_member", "guild_id", "kind", "user_id"),
)
