"""Bot-wide secrets, kept in the database and made on first use.

The key that seals the state carried in buttons' custom ids (`chibot/discord/ui/seal.py`) is
one: every process of the bot reads the same key, so a button made by one is accepted by the
others and after a restart. The value is random (`secrets.token_bytes`), made once: two
processes racing to make it both insert with `ON CONFLICT DO NOTHING` and read the winner.
"""

from __future__ import annotations

import base64
import secrets as random_secrets

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.db import Database
from chibot.core.tables import GLOBAL_GUILD, secrets

BUTTON_KEY = "button_key"


async def secret(db: Database, name: str = BUTTON_KEY, *, size: int = 32) -> bytes:
    """The secret called `name`, made on first use."""
    which = (secrets.c.guild_id == GLOBAL_GUILD) & (secrets.c.name == name)
    async with db.transaction() as conn:
        found = (await conn.execute(select(secrets.c.value).where(which))).scalar()
        if found is None:
            made = base64.urlsafe_b64encode(random_secrets.token_bytes(size)).decode()
            dialect = postgresql if db.dialect == "postgresql" else sqlite
            row = {"guild_id": GLOBAL_GUILD, "name": name, "value": made}
            await conn.execute(dialect.insert(secrets).values(**row).on_conflict_do_nothing())
            found = (await conn.execute(select(secrets.c.value).where(which))).scalar_one()
    return base64.urlsafe_b64decode(found)
