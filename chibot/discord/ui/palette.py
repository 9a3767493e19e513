"""The embed colours of the bot, in one place."""

from __future__ import annotations


class Palette:
    """Embed colours (ints, as `discord.Embed(color=...)` takes them)."""

    GREEN = 0x2ECC71  # gains, success
    RED = 0xE74C3C  # losses, removals, refusals
    GOLD = 0xF1C40F  # shops, boards, rewards
    BLUE = 0x3498DB  # information, cancellations
    PURPLE = 0x9B59B6  # rebirths, achievements, owners
    GREY = 0x95A5A6  # closed and expired prompts, cooldowns
