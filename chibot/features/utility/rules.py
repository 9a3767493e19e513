"""The utility commands' wording, as pure functions: how long the bot has been up, and how a
measured latency reads."""

from __future__ import annotations

import math

_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))


def span(seconds: float) -> str:
    """`2 days, 3 hours` / `5 minutes, 1 second` / `0 seconds`: the two largest non-zero units
    of a duration (a smaller one says nothing next to days)."""
    left = max(0, int(seconds))
    parts: list[str] = []
    for name, size in _UNITS:
        count, left = divmod(left, size)
        if count and len(parts) < 2:
            parts.append(f"{count:,} {name}{'' if count == 1 else 's'}")
        elif parts:
            break  # `1 day, 0 hours, 5 minutes` would say more than it should
    return ", ".join(parts) or "0 seconds"


def latency(seconds: float | None) -> str:
    """`42 ms`, `0.8 ms` (below 10 ms a decimal matters), or `not measured` (no connection:
    discord.py reports inf or nan before the first heartbeat)."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "not measured"
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:,.0f} ms"
