"""Bot-wide secrets: made once, the same for every reader (every process of the bot), even
when many ask at the same moment; never part of a server's export."""

from __future__ import annotations

import asyncio

from chibot.core import export
from chibot.core.secrets import secret


async def test_made_once_and_shared(db) -> None:
    keys = await asyncio.gather(*(secret(db) for _ in range(20)))
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    assert await secret(db) == keys[0]
    assert await secret(db, "other") != keys[0]


async def test_never_exported(db) -> None:
    await secret(db)
    document = await export.export_guild(db, 1)
    assert "secrets" not in export.dumps(document)
