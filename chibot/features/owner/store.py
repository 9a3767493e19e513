"""Bot-wide reads for owners (several servers at once) and the per-member reset.

The reads here are the only queries that cross servers; they back the `psy` commands and
nothing else, and they are paginated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chibot.core.tables import audit, guilds, ledger, members

#: One row of the `audit` table (every column, read by attribute: `row.action`, `row.at`...).
AuditRow = Row[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class GuildRow:
    guild_id: int
    name: str
    members: int
    last_activity: datetime | None
    left_at: datetime | None


async def guild_page(
    conn: AsyncConnection, page: int, per_page: int
) -> tuple[list[GuildRow], int, int]:
    """One page of servers, the total, and the page shown: a page past the end (or before the
    start) shows the nearest one, so any page number can be asked for."""
    total = (await conn.execute(select(func.count()).select_from(guilds))).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = (
        await conn.execute(
            select(guilds.c.guild_id, guilds.c.name, guilds.c.left_at)
            .order_by(guilds.c.left_at.is_not(None), guilds.c.guild_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    ).all()
    out = []
    for r in rows:
        count = (
            await conn.execute(
                select(func.count()).select_from(members).where(members.c.guild_id == r.guild_id)
            )
        ).scalar_one()
        last = (
            await conn.execute(select(func.max(ledger.c.at)).where(ledger.c.guild_id == r.guild_id))
        ).scalar_one()
        out.append(GuildRow(r.guild_id, r.name, count, last, r.left_at))
    return out, total, page


async def guild_presence(conn: AsyncConnection, guild_id: int) -> tuple[bool, datetime | None]:
    """(the bot has a record of the server, when it left it or None)."""
    row = (
        await conn.execute(select(guilds.c.left_at).where(guilds.c.guild_id == guild_id))
    ).first()
    return (row is not None, row.left_at if row else None)


async def recent_audit(conn: AsyncConnection, guild_id: int | None, limit: int) -> list[AuditRow]:
    query = select(audit).order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit)
    if guild_id is not None:
        query = query.where(audit.c.guild_id == guild_id)
    return list((await conn.execute(query)).all())
