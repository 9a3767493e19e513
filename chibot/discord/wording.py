"""The one place errors become sentences: from an error's `code` and fields to what Discord shows.

Errors carry data (`core/errors.py`: a `code`, the amount needed and the balance, the
cooldown's end, the item's name), not Markdown. The phrases add the bold amounts and the
relative timestamps: the core's are below, and each system declares its own in its
`phrases.py` (named by its manifest's `phrases`), which the bot installs at start-up
(`install_phrases`). An error whose code has no phrase keeps its plain sentence. This is
where a translation layer will choose the phrase by language.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import discord

from chibot.core.errors import UserError

Phrase = Callable[[Any], str]


def _code(text: object) -> str:
    """What a member typed, in inline code and cut (`ui.code`): a slash option holds 6,000
    characters, a reply 2,000. (Imported when worded: the kit imports this module.)"""
    from chibot.discord.ui.text import code

    return code(str(text))


PHRASES: dict[str, Phrase] = {
    "not_enough": lambda e: (
        f"You need **{e.needed:,}** {'rebirth' if e.noun == 'rebirths' and e.needed == 1 else e.noun}"
        f" but have **{e.have:,}**."
    ),
    "amount_too_large": lambda e: f"That amount is too large (at most {e.most:,}).",
    "on_cooldown": lambda e: (
        f"`{e.action}` is on cooldown: ready {discord.utils.format_dt(e.ready_at, 'R')}."
    ),
    "not_enough_items": lambda e: (
        f"You don't have any **{e.item}**."
        if e.have == 0
        else f"You have **{e.have:,}** {e.item}, not {e.wanted:,}."
    ),
    "session_busy": lambda e: (
        f"That is already waiting for an answer, until {discord.utils.format_dt(e.expires_at, 'R')}."
    ),
    "session_gone": lambda e: "This has expired or was already answered.",
    "session_changed": lambda e: "This changed while you were answering: look again.",
    "unknown_setting": lambda e: f"There is no setting called {_code(e.key)}.",
    "invalid_setting": lambda e: f"Invalid value for `{e.key}`: {e.problem}",
}


def install(phrases: Mapping[str, Phrase]) -> None:
    """Adds a system's phrases. A code is worded once: the same code from two places is a
    bug in the manifests, refused loudly (re-installing the very same phrase is harmless)."""
    for code, phrase in phrases.items():
        known = PHRASES.get(code)
        if known is not None and known is not phrase:
            raise ValueError(f"the error code {code!r} is worded twice")
        PHRASES[code] = phrase


def install_phrases(modules: Iterable[str]) -> None:
    """Imports each system's phrases module (its manifest's `phrases`) and installs `PHRASES`."""
    for name in modules:
        install(importlib.import_module(name).PHRASES)


def word(error: UserError) -> str:
    """The sentence for a user error, in Discord's Markdown."""
    code = type(error).worded_by_code()
    phrase = PHRASES.get(code) if code else None
    return phrase(error) if phrase is not None else error.message
