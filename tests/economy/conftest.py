"""Fixtures of the economy tests.

`veterans`: ten members who played in the test server (`G`, and the sandbox's two servers)
before anyone the test creates, so nobody in the test is an Early Bird (the first ten members
of a server get that achievement, and its 5,000 chi, at their first checked action). Tests
that are about chat, daily or rebirth mechanics use it so that their balances stay exact;
tests about Early Bird itself do not.
"""

from __future__ import annotations

import pytest

from chibot.app import App

G = 701  # the server of the service tests
VETERANS = tuple(range(9_000, 9_010))


async def add_veterans(app: App, guild: int) -> None:
    await app.db.scoped(guild, lambda s: s.wallet.ensure(*VETERANS))


@pytest.fixture
async def veterans(app: App) -> tuple[int, ...]:
    await add_veterans(app, G)
    app.clock.advance(1)  # everyone the test creates comes after them
    return VETERANS


@pytest.fixture
async def late_sandbox(sandbox):
    """The sandbox, with ten veterans in each of its servers."""
    for guild in sandbox.guilds.values():
        await add_veterans(sandbox.app, guild.id)
    sandbox.app.clock.advance(1)
    return sandbox
