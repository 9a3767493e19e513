"""The one confirmation of the bot.

A prompt with Confirm / Cancel that only the asker may answer, once. When Confirm is pressed
the decision is checked again (`recheck`, then the action itself may refuse): a `UserError`
from either refuses with its one line and changes nothing. After an answer, or when it
expires, its buttons are disabled (or removed, when the closing says so).

Two forms share that flow (`decide`):
- `ConfirmView`: an ordinary view with a timeout, held in memory (sent by `ctx.confirm`);
- `ConfirmItem` / `CancelItem`: restart-proof buttons (`DynamicItem`s) whose state, owner
  included, is in their custom id; their expiry is part of that state, checked by the action.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import discord
from discord.utils import MISSING

from chibot.core.errors import UserError
from chibot.discord.ui.base import DynamicItem, View, say
from chibot.discord.wording import word

log = logging.getLogger(__name__)

Step = Callable[[discord.Interaction], Awaitable[None]]


@dataclass(frozen=True)
class Closing:
    """How a prompt looks once closed: new content or embed (`MISSING`: unchanged; `None`:
    removed), and its buttons disabled or removed."""

    content: str | None = MISSING
    embed: discord.Embed | None = MISSING
    remove_buttons: bool = False

    def edit(self, view: discord.ui.View | None) -> dict[str, Any]:
        out: dict[str, Any] = {"view": None if self.remove_buttons or view is None else view}
        if self.content is not MISSING:
            out["content"] = self.content
        if self.embed is not MISSING:
            out["embed"] = self.embed
        return out


async def decide(
    interaction: discord.Interaction,
    recheck: Step | None,
    action: Step,
    refused: Callable[[discord.Interaction, UserError], Awaitable[None]],
) -> None:
    """Confirm was pressed: check again, then act; a `UserError` of either is a refusal."""
    try:
        if recheck is not None:
            await recheck(interaction)
        await action(interaction)
    except UserError as error:
        await refused(interaction, error)


class ConfirmView(View):
    """Confirm / Cancel for `owner_id` only, one answer, `timeout` seconds.

    - `action(interaction)` runs on Confirm, after `recheck(interaction)`. With `ack=True` the
      prompt is closed first (its buttons disabled) and the action answers with follow-ups,
      so a slow action is fine; with `ack=False` the action answers the press itself (e.g. by
      editing the prompt).
    - `refused(error)` gives the prompt's closing when the decision is refused; by default
      the buttons are disabled and the refusal's line is sent ephemerally.
    - `cancelled` / `expired`: how the prompt closes on Cancel and on expiry.
    """

    def __init__(
        self,
        owner_id: int,
        action: Step,
        *,
        recheck: Step | None = None,
        timeout: float = 60,
        ack: bool = True,
        not_owner: str = "This choice isn't yours to make.",
        answered: str = "This choice is already answered.",
        label: str = "Confirm",
        emoji: str | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.danger,
        cancelled: Closing = Closing(content="Cancelled: nothing changed.", embed=None),
        expired: Closing = Closing(),
        refused: Callable[[UserError], Closing] | None = None,
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=timeout)
        self.action, self.recheck, self.ack = action, recheck, ack
        self.not_owner, self.answered_text = not_owner, answered
        self.cancelled, self.expired, self.refused_closing = cancelled, expired, refused
        self.answered = False
        self.confirm_button.label, self.confirm_button.emoji, self.confirm_button.style = (
            label,
            emoji,
            style,
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not await super().interaction_check(interaction):
            return False
        if self.answered:  # a second press that raced the first
            await say(interaction, self.answered_text)
            return False
        self.answered = True  # no await since the check: one answer at most
        return True

    def close(self) -> None:
        self.disable()
        self.stop()

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm_button(
        self, interaction: discord.Interaction, _: discord.ui.Button[Any]
    ) -> None:
        self.close()
        await decide(interaction, self.recheck, self._act, self._refuse)

    async def _act(self, interaction: discord.Interaction) -> None:
        if self.ack:
            await interaction.response.edit_message(view=self)
        await self.action(interaction)
        if not interaction.response.is_done():
            await interaction.response.edit_message(view=self)

    async def _refuse(self, interaction: discord.Interaction, error: UserError) -> None:
        if interaction.response.is_done():
            await say(interaction, word(error))
            return
        if self.refused_closing is not None:
            await interaction.response.edit_message(**self.refused_closing(error).edit(self))
            return
        await interaction.response.edit_message(view=self)
        await say(interaction, word(error))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel_button(
        self, interaction: discord.Interaction, _: discord.ui.Button[Any]
    ) -> None:
        self.close()
        await interaction.response.edit_message(**self.cancelled.edit(self))

    async def on_timeout(self) -> None:
        if self.message is None or self.answered:
            return
        self.disable()
        try:
            await self.message.edit(**self.expired.edit(self))
        except discord.HTTPException:
            log.debug("could not close the expired prompt %s", self.message.id)


class ConfirmItem(DynamicItem[discord.ui.Button[Any]]):
    """The Confirm of a restart-proof prompt: subclass with a template and `action`.

    Only `owner_id` (from the custom id) may press; `recheck` then `action` run; a `UserError`
    goes to `refused` (by default its line, ephemerally: the prompt stays, so that a second
    press cannot hide the answer of the first)."""

    def __init__(
        self,
        custom_id: str,
        *,
        label: str = "Confirm",
        style: discord.ButtonStyle = discord.ButtonStyle.success,
    ) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))

    async def recheck(self, interaction: discord.Interaction) -> None:
        return None

    async def action(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError

    async def refused(self, interaction: discord.Interaction, error: UserError) -> None:
        await say(interaction, word(error))

    async def callback(self, interaction: discord.Interaction) -> None:
        await decide(interaction, self.recheck, self.action, self.refused)


class CancelItem(DynamicItem[discord.ui.Button[Any]]):
    """The Cancel of a restart-proof prompt: only `owner_id` may press; closes as `closing`."""

    closing: ClassVar[Closing] = Closing(
        content="Cancelled: nothing changed.", embed=None, remove_buttons=True
    )

    def __init__(self, custom_id: str, *, label: str = "Cancel") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id)
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(**self.closing.edit(None))
