"""Buttons and selects answer their failures like commands do.

A failing command gets one short line (a bug gets an id); a failing button would otherwise
leave Discord's bare "This interaction failed". Views get it through `View.on_error` (set for
the process below); `DynamicItem`s (the restart-proof buttons) are not routed through it by
discord.py, so they inherit `AnswersErrors`, which wraps their `callback` once, at class
creation.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import discord

from chibot.discord.errors import explain, report_bug

log = logging.getLogger(__name__)


async def answer_error(interaction: discord.Interaction, error: Exception, where: str) -> None:
    message = explain(error) or report_bug(error, where)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not answer a failed component interaction (%s)", where)


async def _view_on_error(view: discord.ui.View, interaction: discord.Interaction, error: Exception, item: Any) -> None:
    await answer_error(interaction, error, f"component {getattr(item, 'custom_id', type(item).__name__)}")


discord.ui.View.on_error = _view_on_error  # type: ignore[method-assign]


class AnswersErrors:
    """Mixin for `DynamicItem` subclasses: an exception in `callback` gets the one-line answer."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        original = cls.__dict__.get("callback")
        if original is None:
            return

        @functools.wraps(original)
        async def callback(self: Any, interaction: discord.Interaction) -> None:
            try:
                await original(self, interaction)
            except Exception as error:  # noqa: BLE001 - every failure gets its one-line answer
                await answer_error(interaction, error, f"component {type(self).__name__}")

        cls.callback = callback  # type: ignore[attr-defined]
