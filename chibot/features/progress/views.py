"""Embeds of progress, and the announcement of newly unlocked achievements (used by every
system's cog)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import discord

from chibot.features.progress.content import TIER_COLOUR, TIER_EMOJI, Achievement


def unlocked_embed(member: discord.abc.User, achievements: Sequence[Achievement]) -> discord.Embed:
    best = min(achievements, key=lambda a: ("legendary", "epic", "rare", "common").index(a.tier))
    embed = discord.Embed(
        title=f"🏅 Achievement{'s' if len(achievements) > 1 else ''} unlocked!",
        description=f"{member.mention}",
        color=TIER_COLOUR[best.tier],
    )
    for a in achievements:
        reward = f" · **+{a.reward:,}** chi" if a.reward else ""
        embed.add_field(name=f"{a.emoji} {a.name} {TIER_EMOJI[a.tier]}", value=f"{a.description}{reward}", inline=False)
    return embed


async def announce(target: Any, member: discord.abc.User, achievements: Sequence[Achievement]) -> None:
    """Announce unlocks where the action happened (`target`: a Context, channel or Messageable)."""
    if not achievements:
        return
    with contextlib.suppress(discord.HTTPException):
        await target.send(embed=unlocked_embed(member, achievements))
