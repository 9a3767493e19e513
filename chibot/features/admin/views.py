"""What admin commands show: the settings (`config`) and the server's blacklist, both paged so
that no reply outgrows Discord's limits however many settings, words or members there are.

- `admin:config:<admin>:<page>:<tag>`: a page of the settings, for the admin who asked;
- `admin:bl:<admin>:<page>:<tag>`: a page of the blacklist, for the admin who asked.
Each page is rendered again from the database when a button is pressed (restart-proof).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from chibot.core.errors import NotAllowed
from chibot.discord import ui
from chibot.discord.checks import NotAdmin, is_admin
from chibot.discord.ui import Palette, plural, safe, timestamp

if TYPE_CHECKING:
    from chibot.core.error_log import Entry as ErrorEntry
    from chibot.core.error_log import Page as ErrorPage

#: A page of `config` holds at most this many characters (an embed's description takes 4,096).
CONFIG_PAGE_CHARS = 3_000
#: A setting's value is shown in at most this many characters (a long word list is cut).
VALUE_CHARS = 300
BLACKLIST_PER_PAGE = 25


def show(value: Any, *, most: int = VALUE_CHARS) -> str:
    """A setting's value as `config` shows it; a long list ends with how many more it holds."""
    if value is None:
        return "—"
    if isinstance(value, list):
        items = [str(v) for v in value]
        text = ", ".join(items)
        if len(text) <= most:
            return text or "—"
        shown: list[str] = []
        for item in items:
            tail = f", … (+{len(items) - len(shown) - 1:,} more)"
            if len(", ".join([*shown, item])) + len(tail) > most:
                break
            shown.append(item)
        return ", ".join([*shown, f"… (+{len(items) - len(shown):,} more)"])
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def by_system(registry: Any) -> list[tuple[str, list[str]]]:
    """Setting keys grouped by the system that declares them, the core's first."""
    groups: dict[str, list[str]] = {}
    for key, owner in registry.settings_owner.items():
        groups.setdefault(owner, []).append(key)
    titles = {s.name: s.summary.split(":")[0] for s in registry.systems}
    return [(titles.get(owner, "Server"), keys) for owner, keys in groups.items()]


def config_pages(sections: list[list[str]], budget: int) -> list[list[str]]:
    """The lines of every system's section packed into pages of at most `budget` characters;
    a system stays on one page when it fits, else it continues on the next."""
    pages: list[list[str]] = [[]]
    for lines in sections:
        size = len("\n".join(lines))
        used = len("\n".join(pages[-1]))
        if pages[-1] and used + 1 + size > budget:
            pages.append([])
        for line in lines:
            if pages[-1] and len("\n".join([*pages[-1], line])) > budget:
                pages.append([])
            pages[-1].append(line)
    return pages


async def _still_admin(viewer: ui.Viewer) -> None:
    if not await is_admin(viewer.bot, viewer.user, viewer.guild):
        raise NotAllowed(str(NotAdmin()))


class ConfigPages(ui.PageButton, prefix="admin:config", state={"admin": int}, owner_field="admin"):
    """A page of this server's settings (★ = set here), for the admin who asked."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, admin: int, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        await _still_admin(viewer)
        bot = viewer.bot
        settings, stored = await bot.app.admin.show(viewer.guild.id)
        sections = [
            [f"**{system}**"]
            + [
                f"{'★ ' if key in stored else ''}`{key}` = {show(getattr(settings, key))}"
                for key in keys
            ]
            for system, keys in by_system(bot.app.registry)
        ]
        pages = config_pages(sections, CONFIG_PAGE_CHARS)
        page = min(max(1, page), len(pages))
        embed = discord.Embed(
            title=f"Settings · {viewer.guild.name}",
            description="\n".join(pages[page - 1]),
            color=Palette.BLUE,
        )
        prefix = await bot.command_prefix_for(viewer.guild.id)
        footer = f"Change: {prefix}config set <key> <value> · {prefix}config reset <key>"
        if len(pages) > 1:
            footer = f"Page {page}/{len(pages)} · {footer}"
        embed.set_footer(text=footer)
        if len(pages) == 1:
            return embed, None
        return embed, cls.controls(admin, page=page, pages=len(pages))


class BlacklistPages(ui.PageButton, prefix="admin:bl", state={"admin": int}, owner_field="admin"):
    """A page of the members barred here, for the admin who asked."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, admin: int, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        await _still_admin(viewer)
        users = await viewer.bot.app.admin.blacklisted(viewer.guild.id)
        pages = max(1, -(-len(users) // BLACKLIST_PER_PAGE))
        page = min(max(1, page), pages)
        shown = users[(page - 1) * BLACKLIST_PER_PAGE : page * BLACKLIST_PER_PAGE]
        embed = discord.Embed(
            title=f"Blacklist ({len(users):,})" if users else "Blacklist",
            description="\n".join(f"<@{u}> · `{u}`" for u in shown) or "Nobody.",
        )
        if pages == 1:
            return embed, None
        embed.set_footer(text=f"Page {page}/{pages}")
        return embed, cls.controls(admin, page=page, pages=pages)


# --- the error log (`log`) ---------------------------------------------------------------


def error_page_embed(page: ErrorPage, prefix: str) -> discord.Embed:
    """One page of this server's error log, newest first: id, when, where, what."""
    embed = discord.Embed(title="Error log · this server, last 7 days", color=Palette.RED)
    if not page.entries:
        embed.description = "No errors here in the last 7 days. 🎉"
        return embed
    lines = [
        f"`{e.error_id}` {timestamp(e.at)} · {safe(e.place[:60])} · "
        f"{safe(e.kind)}: {safe(e.detail[:80]) or '(no message)'}"
        for e in page.entries
    ]
    embed.description = "\n".join(lines)[:4000]
    embed.set_footer(
        text=f"Page {page.page}/{page.pages} · {plural(page.total, 'error')} · "
        f"{prefix}log <page> or {prefix}log <error id>"
    )
    return embed


def error_entry_embed(entry: ErrorEntry) -> discord.Embed:
    """One error in full, as far as it is kept (the traceback is in the host's log)."""
    embed = discord.Embed(title=f"Error {entry.error_id}", color=Palette.RED)
    embed.add_field(name="When", value=timestamp(entry.at, "f"))
    embed.add_field(name="Where", value=safe(entry.place) or "—")
    embed.add_field(name="Member", value=f"<@{entry.user_id}>")
    embed.add_field(
        name=safe(entry.kind)[:256] or "Error", value=safe(entry.detail) or "—", inline=False
    )
    embed.set_footer(text="The full traceback is in the bot's own log, under this id.")
    return embed
