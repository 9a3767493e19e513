"""Fixtures of the shop tests (helpers: `shop_support.py`)."""

from __future__ import annotations

import pytest
from shop_support import G2, G, add_veterans

from chibot.app import App


@pytest.fixture
async def veterans(app: App) -> None:
    """Ten earlier members in the service tests' servers: nobody the test creates is an Early
    Bird, so balances stay exact."""
    for guild in (G, G2):
        await add_veterans(app, guild)
    app.clock.advance(1)


@pytest.fixture
async def world(sandbox):
    """The sandbox, with ten earlier members in each of its servers."""
    for guild in sandbox.guilds.values():
        await add_veterans(sandbox.app, guild.id)
    sandbox.app.clock.advance(1)
    return sandbox
