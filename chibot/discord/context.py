"""The bot's command context: `ctx.app`, `ctx.guild_id`, `ctx.confirm`, `ctx.paginate`.

`ChiBot.get_context` makes every command (prefix or slash) receive one; command callbacks
annotate `ctx: ChiContext`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from chibot.core.errors import UserError
from chibot.discord.ui import ConfirmView, PageButton, Viewer
from chibot.discord.ui.confirm import Step

if TYPE_CHECKING:
    from chibot.app import App
    from chibot.discord.bot import ChiBot  # noqa: F401  (named in the base class below)


class NoLongerAllowed(UserError):
    """A confirmation pressed by someone who may no longer do what it confirms (`reason` is
    the refusal the command itself would give now)."""

    code = "no_longer_allowed"

    def __init__(self, reason: str) -> None:
        super().__init__(reason, reason=reason)


class ChiContext(commands.Context["ChiBot"]):
    @property
    def app(self) -> App:
        return self.bot.app

    @property
    def guild_id(self) -> int:
        """This server's id; 0 in DMs."""
        return self.viewer.guild_id

    @property
    def server(self) -> discord.Guild:
        """This server, for `guild_only` commands; raises `NoPrivateMessage` in DMs (the error
        handler answers "This command only works in a server.")."""
        if self.guild is None:
            raise commands.NoPrivateMessage()
        return self.guild

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.bot, self.guild, self.author)

    async def confirm(
        self,
        content: str | None = None,
        *,
        embed: discord.Embed | None = None,
        action: Step | None = None,
        view: ConfirmView | None = None,
        **options: Any,
    ) -> ConfirmView:
        """Send a confirmation that only the author may answer: `action` runs on Confirm (after
        `recheck=`, see `ConfirmView`), or pass a ready `view`. Returns the view.

        Confirm re-checks, when pressed, everything the command checked when it was typed
        (`still_allowed`): the server, and the command's checks for the member as they are now
        (an admin who lost Manage Server since is refused). The kit's base already refuses
        blacklisted members and anyone but the author."""
        if view is None:
            if action is None:
                raise TypeError("confirm() needs an action or a view")
            view = ConfirmView(self.author.id, action, **options)
        view.recheck = self._still_allowed_then(view.recheck)
        if embed is None:  # `send`'s default: no embed
            view.message = await self.send(content, view=view)
        else:
            view.message = await self.send(content, embed=embed, view=view)
        return view

    def _still_allowed_then(self, recheck: Step | None) -> Step:
        async def both(interaction: discord.Interaction) -> None:
            await self.still_allowed(interaction)
            if recheck is not None:
                await recheck(interaction)

        return both

    async def still_allowed(self, interaction: discord.Interaction) -> None:
        """Raises `NoLongerAllowed` unless the press comes from this command's server and the
        command's checks (its own and its groups') pass for the presser as they are now."""
        if (interaction.guild.id if interaction.guild is not None else 0) != self.guild_id:
            raise NoLongerAllowed("This choice belongs to another server.")
        if self.command is None:
            return
        press = copy.copy(self)
        press.__dict__["author"] = (
            interaction.user
        )  # the member as they are now (roles, permissions)
        press.__dict__["guild"] = interaction.guild
        for command in (*reversed(self.command.parents), self.command):
            for check in command.checks:
                try:
                    allowed = await discord.utils.maybe_coroutine(check, press)
                except commands.CheckFailure as refusal:
                    raise NoLongerAllowed(str(refusal) or "You can no longer do that.") from None
                if not allowed:
                    raise NoLongerAllowed("You can no longer do that.")

    async def paginate(
        self, pages: type[PageButton], *state: Any, page: int = 1
    ) -> discord.Message:
        """Send page `page` of `pages` (a `PageButton` class and its state)."""
        embed, view = await pages.render(self.viewer, *state, page=page)
        if view is None:
            return await self.send(embed=embed)
        return await self.send(embed=embed, view=view)
