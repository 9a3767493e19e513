"""Notices: what other systems' listeners returned with an action, announced where it happened.

A service's result carries the notices its facts produced (`core/events.py`: an unlocked
achievement, later a quest step) without knowing what they are. The cog that ran the action
calls `announce(bot, target, member, notices)`; every loaded cog that can render notices
(a `render_notices(member, notices) -> embed | None` method: progress renders achievements)
is asked in turn, and what it renders is sent to `target`. So the economy and the shop
announce achievements without importing progress.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import discord


@runtime_checkable
class RendersNotices(Protocol):
    def render_notices(
        self, member: discord.abc.User, notices: Sequence[Any]
    ) -> discord.Embed | None: ...


async def announce(
    client: Any, target: Any, member: discord.abc.User, notices: Sequence[Any]
) -> None:
    """Send each renderer's embed for `notices` to `target` (a Context, channel or webhook)."""
    if not notices:
        return
    cogs = getattr(client, "cogs", {}) or {}
    for cog in cogs.values():
        if not isinstance(cog, RendersNotices):
            continue
        embed = cog.render_notices(member, notices)
        if embed is not None:
            with contextlib.suppress(discord.HTTPException):
                await target.send(embed=embed)


def awards(notices: Sequence[Any], currency: str = "chi") -> str:
    """The chi that notices paid (an achievement's `reward`), for a reply that shows a balance
    including them: ` (including +5,000 chi from 🐦 Early Bird)`, or "" when none paid.
    Announcements come as separate messages; this makes the balance add up where it is shown."""
    paid = [n for n in notices if isinstance(getattr(n, "reward", None), int) and n.reward > 0]
    if not paid:
        return ""
    parts = [f"+{n.reward:,} {currency} from {getattr(n, 'emoji', '🏅')} {n.name}" for n in paid]
    return f" (including {', '.join(parts)})"
