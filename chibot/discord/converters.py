"""Argument types shared by commands, working for prefix and slash alike.

They are `commands.Converter`s: a hybrid command turns them into string options of the slash
command and runs the same conversion, so both forms accept the same text.
"""

from __future__ import annotations

import re
from typing import Any

from discord.ext import commands

_AMOUNT = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([km]?)\s*$", re.IGNORECASE)


def parse_amount(text: str) -> int | None:
    """Parse "250", "1,000", "2k", "1.5m" into a whole number; None if it is not one.
    Zero and negative numbers parse (the caller refuses them with a clear message)."""
    text = text.strip()
    negative = text.startswith("-")
    match = _AMOUNT.match(text.lstrip("-"))
    if not match:
        return None
    whole, fraction, suffix = match.groups()
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[suffix.lower()]
    value = int(whole.replace(",", "")) * scale
    if fraction:
        if not suffix:
            return None
        value += int(fraction) * scale // 10 ** len(fraction)
    return -value if negative else value


class Amount(commands.Converter[int]):
    """A positive whole number written as `250`, `1,000`, `2k` or `1.5m`."""

    async def convert(self, ctx: commands.Context[Any], argument: str) -> int:
        amount = parse_amount(str(argument))
        if amount is None:
            raise commands.BadArgument(
                f"`{argument}` is not an amount. Try `250`, `1,000` or `2k`."
            )
        if amount <= 0:
            raise commands.BadArgument("The amount must be above zero.")
        return amount
