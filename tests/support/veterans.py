"""Ten members who played before anyone in a test, in each server given: so nobody a test
follows is an Early Bird (the achievement of the first ten members), and rewards stay the
test's own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

VETERANS = tuple(range(8_000, 8_010))


async def seat_veterans(app: Any, guild_ids: Iterable[int]) -> None:
    for guild in guild_ids:
        await app.db.scoped(guild, lambda s: s.wallet.ensure(*VETERANS))
    app.clock.advance(1)
