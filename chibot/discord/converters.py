"""Argument types shared by commands, working for prefix and slash alike.

They are `commands.Converter`s: a hybrid command turns them into string options of the slash
command and runs the same conversion, so both forms accept the same text.

`Amount` is the one converter for every number a member types: amounts of chi or rebirths,
quantities of items and page numbers all accept `250`, `1,000`, `2k` and `1.5m`. Its refusals
are `BadInput`s (`discord/errors.py`): our own sentence, naming the argument (the error handler adds the usage).
"""

from __future__ import annotations

import re
from typing import Any

from discord.ext import commands

from chibot.discord.errors import BadInput
from chibot.discord.ui.text import code

_AMOUNT = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([km]?)\s*$", re.IGNORECASE)

MAX_DIGITS = 30
"""A number written with more digits than this is read as 10**30: larger than anything the game
accepts (so it is refused as too large), and Python's `int()` never sees 4,300 digits."""
TOO_LARGE: int = 10**30  # 10**MAX_DIGITS
BIGGEST = 2**63 - 1  # what the database can hold; anything above is refused by the converter


def parse_amount(text: str) -> int | None:
    """Parse "250", "1,000", "2k", "1.5m" into a whole number; None if it is not one.
    Zero and negative numbers parse (the caller refuses them with a clear message); more than
    `MAX_DIGITS` digits parse as `TOO_LARGE`."""
    text = text.strip()
    negative = text.startswith("-")
    match = _AMOUNT.match(text.lstrip("-"))
    if not match:
        return None
    whole, fraction, suffix = match.groups()
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[suffix.lower()]
    digits = whole.replace(",", "").lstrip("0") or "0"
    if fraction and not suffix:
        return None
    if len(digits) > MAX_DIGITS:
        return -TOO_LARGE if negative else TOO_LARGE
    value = int(digits) * scale
    if fraction:
        fraction = fraction[:MAX_DIGITS]
        value += int(fraction) * scale // 10 ** len(fraction)
    return -value if negative else value


def argument_name(ctx: commands.Context[Any] | None, default: str = "amount") -> str:
    """The name of the argument being converted (`qty`, `page`, `amount`)."""
    param = getattr(ctx, "current_parameter", None) if ctx is not None else None
    return param.displayed_name or param.name if param is not None else default


class Amount(commands.Converter[int]):
    """A positive whole number written as `250`, `1,000`, `2k` or `1.5m`: an amount of chi or
    rebirths, a quantity, a page."""

    async def convert(self, ctx: commands.Context[Any], argument: str) -> int:
        name = argument_name(ctx)
        amount = parse_amount(str(argument))
        if amount is None:
            raise BadInput(
                f"{code(str(argument))} isn't a number for `{name}`: try `3`, `1,000` or `2k`."
            )
        if amount <= 0:
            raise BadInput(f"`{name}` must be above zero.")
        if amount > BIGGEST:
            raise BadInput(f"That `{name}` is far too large.")
        return amount
