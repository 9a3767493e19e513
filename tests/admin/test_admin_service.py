"""Administration use cases (SQLite and PostgreSQL): settings typed as text, word lists and the
server blacklist, each audited, each visible at once to the economy (no stale cache).

Proven here:
- `set` parses what the admin typed and stores the validated value; `show` tells set keys
  from defaults; `reset` returns a key to its default;
- word-list edits add and remove one word, refuse duplicates and missing words, and take effect
  on the next chat message;
- blacklist add/remove are audited, refuse a no-op, and block chat earning in that server only.
"""

from __future__ import annotations

import pytest
from support.worded import refused

from chibot.app import App
from chibot.core.errors import UserError
from chibot.features.admin.errors import (
    AlreadyBlacklisted,
    NotBlacklisted,
    UnknownWordList,
    WordAlreadyListed,
    WordNotListed,
)
from chibot.features.admin.service import AdminService

G = 401
ADMIN = 99
U = 42


@pytest.fixture
def admin(app: App) -> AdminService:
    return AdminService(app.db, app.guild_settings)


async def test_set_show_reset(app: App, admin: AdminService) -> None:
    await admin.set(G, "daily_reward", "1,000", by=ADMIN)
    await admin.set(G, "log_channel_id", "<#123456789012345678>", by=ADMIN)
    settings, keys = await admin.show(G)
    assert (settings.daily_reward, settings.log_channel_id) == (1000, 123456789012345678)
    assert keys == {"daily_reward", "log_channel_id"}
    assert (await app.economy.daily(G, U)).amount == 1000  # the economy sees it at once

    await admin.reset(G, "daily_reward", by=ADMIN)
    settings, keys = await admin.show(G)
    assert settings.daily_reward == 250 and keys == {"log_channel_id"}


@pytest.mark.parametrize(
    ("key", "text"), [("daily_reward", "lots"), ("daily_reward", "-5"), ("nope", "1")]
)
async def test_set_refusals_store_nothing(admin: AdminService, key: str, text: str) -> None:
    with pytest.raises(UserError):
        await admin.set(G, key, text, by=ADMIN)
    assert (await admin.show(G))[1] == set()


async def test_word_lists(app: App, admin: AdminService) -> None:
    assert await app.economy.chat(G, U, "totally rad") is None
    assert await admin.edit_words(G, "positive", "Rad", add=True, by=ADMIN) == ["rad"]
    assert await admin.edit_words(G, "positive", "cool", add=True, by=ADMIN) == ["cool", "rad"]
    assert (await app.economy.chat(G, U, "totally rad")).word == "rad"

    with refused(WordAlreadyListed, "`rad` is already on that list."):
        await admin.edit_words(G, "positive", "rad", add=True, by=ADMIN)
    assert await admin.edit_words(G, "positive", "rad", add=False, by=ADMIN) == ["cool"]
    with refused(WordNotListed, "`rad` is not on that list."):
        await admin.edit_words(G, "positive", "rad", add=False, by=ADMIN)
    with refused(UnknownWordList, "Word lists: `positive`, `negative` or `removed`."):
        await admin.edit_words(G, "colours", "red", add=True, by=ADMIN)

    app.clock.advance(31)
    assert await app.economy.chat(G, U, "totally rad") is None
    actions = [e.action for e in await app.db.scoped(G, lambda s: s.audit.recent())]
    assert actions == ["settings.set"] * 3


async def test_blacklist(app: App, admin: AdminService) -> None:
    await admin.blacklist(G, U, add=True, by=ADMIN, reason="spam")
    with refused(AlreadyBlacklisted, "They are already blacklisted here."):
        await admin.blacklist(G, U, add=True, by=ADMIN)
    assert await admin.blacklisted(G) == [U]
    assert await admin.blacklisted(G + 1) == []
    assert await app.economy.chat(G, U, "cake") is None
    assert await app.economy.chat(G + 1, U, "cake") is not None

    await admin.blacklist(G, U, add=False, by=ADMIN)
    with refused(NotBlacklisted, "They are not blacklisted here."):
        await admin.blacklist(G, U, add=False, by=ADMIN)
    assert await app.economy.chat(G, U, "cake") is not None

    entries = list(reversed(await app.db.scoped(G, lambda s: s.audit.recent())))
    assert [(e.actor_id, e.action, e.target_id, e.note) for e in entries] == [
        (ADMIN, "blacklist.add", U, "spam"),
        (ADMIN, "blacklist.remove", U, None),
    ]
