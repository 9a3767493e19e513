"""The one place errors become sentences: from an error's `code` and fields to what Discord shows.

The core's errors carry data (`core/errors.py`: the amount needed and the balance, the
cooldown's end, the setting), not Markdown; the phrases here add the bold amounts and the
relative timestamps. An error whose class declares no code (the systems' errors, for now)
keeps its own sentence. This is where a translation layer will choose the phrase by language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from chibot.core.errors import UserError

Phrase = Callable[[Any], str]

PHRASES: dict[str, Phrase] = {
    "not_enough": lambda e: f"You need **{e.needed:,}** {e.noun} but have **{e.have:,}**.",
    "amount_too_large": lambda e: f"That amount is too large (at most {e.most:,}).",
    "on_cooldown": lambda e: f"`{e.action}` is on cooldown: ready {discord.utils.format_dt(e.ready_at, 'R')}.",
    "unknown_setting": lambda e: f"There is no setting called `{e.key}`.",
    "invalid_setting": lambda e: f"Invalid value for `{e.key}`: {e.problem}",
}


def word(error: UserError) -> str:
    """The sentence for a user error, in Discord's Markdown."""
    code = type(error).worded_by_code()
    phrase = PHRASES.get(code) if code else None
    return phrase(error) if phrase is not None else error.message
