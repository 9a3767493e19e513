"""A Confirm / Cancel prompt that only one member may answer, for destructive actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord


class Confirm(discord.ui.View):
    """Runs `on_confirm(interaction)` when `owner_id` presses Confirm; anyone else is told no.
    The buttons disable themselves after an answer or after `timeout` seconds."""

    def __init__(self, owner_id: int, on_confirm: Callable[[discord.Interaction], Awaitable[None]], *, timeout: float = 60) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.on_confirm = on_confirm

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("This choice isn't yours to make.", ephemeral=True)
            return False
        return True

    def _close(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        self.stop()

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _button: discord.ui.Button[Any]) -> None:
        self._close()
        await interaction.response.edit_message(view=self)
        await self.on_confirm(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _button: discord.ui.Button[Any]) -> None:
        self._close()
        await interaction.response.edit_message(content="Cancelled: nothing changed.", embed=None, view=self)
