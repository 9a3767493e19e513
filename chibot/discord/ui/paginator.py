"""The one paginator: page buttons that keep working after a restart.

A page button is a `DynamicItem` whose custom id is `<prefix>:<state...>:<page>:<tag>`: the
prefix names the pages, the state is whatever the page source needs (a board, a shop, a
member), the tag tells the buttons of one message apart (`first`, `prev`, `next`...).
A subclass declares them and says how a page is made:

    class BoardPages(PageButton, prefix="lb", state={"board": "chi|rebirths"}):
        @classmethod
        async def render(cls, viewer, board, *, page): ...  # -> (embed, view or None)

State values are strings matching their pattern, or `int` (an id or a number). With
`owner_field`, the member named by that state value is the owner: nobody else may turn the
pages; with `bot_owners_only = True`, only the bot's owners may. `ctx.paginate` sends the first
page of a command through the same `render`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import discord

from chibot.discord.ui.base import DynamicItem, View

INT = r"\d{1,20}"


@dataclass(frozen=True)
class Viewer:
    """Who asks for a page, and where: the same for a command and for a button press."""

    bot: Any
    guild: discord.Guild | None
    user: discord.abc.User

    @property
    def guild_id(self) -> int:
        return self.guild.id if self.guild is not None else 0

    @classmethod
    def of(cls, interaction: discord.Interaction) -> Viewer:
        return cls(interaction.client, interaction.guild, interaction.user)


class PageButton(DynamicItem[discord.ui.Button[Any]]):
    """Base of every page button. Built as `Cls(*state, page, label, tag, disabled=, emoji=)`."""

    prefix: ClassVar[str]
    fields: ClassVar[dict[str, str | type[int]]] = {}
    owner_field: ClassVar[str | None] = None

    def __init_subclass__(
        cls,
        *,
        prefix: str | None = None,
        state: dict[str, str | type[int]] | None = None,
        owner_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        if prefix is None:  # an abstract base
            super().__init_subclass__(**kwargs)
            return
        fields = dict(state or {})
        if owner_field is not None and fields.get(owner_field) is not int:
            raise TypeError(
                f"{cls.__name__}: owner_field {owner_field!r} must be an int state value"
            )
        cls.prefix, cls.fields, cls.owner_field = prefix, fields, owner_field
        parts = [re.escape(prefix)]
        parts += [f"(?P<{name}>{INT if kind is int else kind})" for name, kind in fields.items()]
        parts += [r"(?P<page>\d{1,9})", r"(?P<tag>\w{1,10})"]
        super().__init_subclass__(template=":".join(parts), **kwargs)

    def __init__(self, *args: Any, disabled: bool = False, emoji: str | None = None) -> None:
        *values, page, label, tag = args
        if len(values) != len(self.fields):
            raise TypeError(f"{type(self).__name__} takes {list(self.fields)}, page, label, tag")
        custom_id = ":".join([self.prefix, *(str(v) for v in values), str(page), tag])
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id,
                disabled=disabled,
            )
        )
        for name, value in zip(self.fields, values, strict=True):
            setattr(self, name, value)
        self.page, self.tag = page, tag
        if self.owner_field is not None:
            self.owner_id = getattr(self, self.owner_field)

    @property
    def state(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.fields)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        values = [
            int(match[name]) if kind is int else match[name] for name, kind in cls.fields.items()
        ]
        label = item.label if isinstance(item, discord.ui.Button) else None  # always a Button
        return cls(*values, int(match["page"]), label or "", match["tag"])

    @classmethod
    async def render(
        cls, viewer: Viewer, *state: Any, **page: Any
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        """The page source: one page's embed and its buttons (or none). Called as
        `render(viewer, *state, page=n)`; each subclass declares its own state and `page`."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = await self.render(Viewer.of(interaction), *self.state, page=self.page)
        await interaction.response.edit_message(embed=embed, view=view)

    @classmethod
    def controls(
        cls, *state: Any, page: int, pages: int, ends: bool = False, view: View | None = None
    ) -> View:
        """◀ ▶ (and ⏮ ⏭ with `ends`) for `page` of `pages`, added to `view` (or a new one)."""
        view = view if view is not None else View()
        first, last = page <= 1, page >= pages
        if ends:
            view.add_item(cls(*state, 1, "⏮", "first", disabled=first))
        view.add_item(cls(*state, max(1, page - 1), "◀", "prev", disabled=first))
        view.add_item(cls(*state, min(pages, page + 1), "▶", "next", disabled=last))
        if ends:
            view.add_item(cls(*state, pages, "⏭", "last", disabled=last))
        return view
