"""Argument types shared by commands, working for prefix and slash alike.

They are `commands.Converter`s: a hybrid command turns them into string options of the slash
command and runs the same conversion, so both forms accept the same text.
"""

from __future__ import annotations

from typing import Any

from discord.ext import commands

from chibot.features.economy.rules import parse_amount


class Amount(commands.Converter[int]):
    """A positive whole number written as `250`, `1,000`, `2k` or `1.5m`."""

    async def convert(self, ctx: commands.Context[Any], argument: str) -> int:
        amount = parse_amount(str(argument))
        if amount is None:
            raise commands.BadArgument(f"`{argument}` is not an amount. Try `250`, `1,000` or `2k`.")
        if amount <= 0:
            raise commands.BadArgument("The amount must be above zero.")
        return amount
