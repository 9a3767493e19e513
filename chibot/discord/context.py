"""The bot's command context: `ctx.app`, `ctx.guild_id`, `ctx.confirm`, `ctx.paginate`.

`ChiBot.get_context` makes every command (prefix or slash) receive one; command callbacks
annotate `ctx: ChiContext`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from chibot.discord.ui import ConfirmView, PageButton, Viewer
from chibot.discord.ui.confirm import Step

if TYPE_CHECKING:
    from chibot.app import App
    from chibot.discord.bot import ChiBot  # noqa: F401  (named in the base class below)


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
        `recheck=`, see `ConfirmView`), or pass a ready `view`. Returns the view."""
        if view is None:
            if action is None:
                raise TypeError("confirm() needs an action or a view")
            view = ConfirmView(self.author.id, action, **options)
        if embed is None:  # `send`'s default: no embed
            view.message = await self.send(content, view=view)
        else:
            view.message = await self.send(content, embed=embed, view=view)
        return view

    async def paginate(
        self, pages: type[PageButton], *state: Any, page: int = 1
    ) -> discord.Message:
        """Send page `page` of `pages` (a `PageButton` class and its state)."""
        embed, view = await pages.render(self.viewer, *state, page=page)
        if view is None:
            return await self.send(embed=embed)
        return await self.send(embed=embed, view=view)
