"""`psy`: the bot owners' command group, prefix only and hidden.

Prefix only, on purpose: a slash command is visible to everyone who can see the bot, and
Discord cannot hide one from all but a few users across servers. Non-owners are told the
group is for the bot's owners (every owner check raises `NotOwner`).

Servers are given by id (or by name, for servers the bot is in); members by id or mention,
because the member may belong to another server than the one where the owner types.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

import discord
from discord.ext import commands

from chibot.discord import ui
from chibot.discord.checks import owner_only
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount
from chibot.discord.tree import group
from chibot.discord.ui import Palette
from chibot.discord.ui import timestamp as ts
from chibot.features.owner.errors import NoServerCalled, NotAServerId, NotAUserId
from chibot.features.owner.service import Adjusted, OwnerService, What

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

MAX_ID = 2**63 - 1  # a Discord id, and the largest the database's BIGINT holds
_USER = re.compile(r"<@!?([0-9]{1,20})>|([0-9]{1,20})", re.ASCII)
_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)


def _user_id(text: str) -> int:
    match = _USER.fullmatch(text.strip())
    value = int(match.group(1) or match.group(2)) if match else 0
    if not 0 < value <= MAX_ID:
        raise NotAUserId(text=text)
    return value


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value) or "—"
    return ui.typed(str(value), 60)


def _change(before: Any, after: Any) -> str:
    """An audited change as words: `chi 0 → 1,500`, `prefix — → ?`, `chi 300 → wiped`."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return f"{_fmt(before)} → {_fmt(after)}"
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    parts = []
    for key in dict.fromkeys([*old, *new]):
        was = _fmt(old.get(key)) if key in old else "—"
        now = _fmt(new.get(key)) if after is not None else "wiped"
        parts.append(f"{str(key).replace('_', ' ')} {was} → {now}")
    return ", ".join(parts)


def _adjusted(a: Adjusted, *, remove: bool) -> str:
    """`Gave 1,500 chi to @Dave in server 1: they had 0 and now have 1,500 chi.`"""
    verb = f"Removed {a.amount:,} {a.name} from" if remove else f"Gave {a.amount:,} {a.name} to"
    return (
        f"✅ {verb} <@{a.user_id}> in server `{a.guild_id}`: they had {a.before:,} and now "
        f"have {a.after:,} {a.name}. Audited."
    )


PER_PAGE = 10


async def guilds_page(owner: OwnerService, page: int) -> tuple[discord.Embed, ui.View]:
    rows, total, page = await owner.guilds(page, PER_PAGE)  # past the end: the last page
    pages = max(1, -(-total // PER_PAGE))
    embed = discord.Embed(title=f"Servers ({total:,}) · page {page}/{pages}", color=Palette.PURPLE)
    lines = []
    for r in rows:
        last = ts(r.last_activity) if r.last_activity else "never"
        state = f" · left {ts(r.left_at)}" if r.left_at else ""
        lines.append(
            f"`{r.guild_id}` **{ui.safe(r.name)}** · {r.members:,} members · active {last}{state}"
        )
    embed.description = "\n".join(lines) or "No servers."
    return embed, GuildsPageButton.controls(page=page, pages=pages)


class GuildsPageButton(ui.PageButton, prefix="psy:guilds"):
    """A page button of `psy guilds`; only bot owners may press it."""

    bot_owners_only = True

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        return await guilds_page(viewer.bot.app.owner, page)


BLACKLIST_PER_PAGE = 25


class BlacklistPageButton(ui.PageButton, prefix="psy:bl"):
    """A page of the bot-wide blacklist; only bot owners may press it."""

    bot_owners_only = True

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        users = await viewer.bot.app.owner.blacklisted()
        pages = max(1, -(-len(users) // BLACKLIST_PER_PAGE))
        page = min(max(1, page), pages)
        shown = users[(page - 1) * BLACKLIST_PER_PAGE : page * BLACKLIST_PER_PAGE]
        embed = discord.Embed(
            title=f"Bot-wide blacklist ({len(users):,})",
            description="\n".join(f"`{u}` · <@{u}>" for u in shown) or "Empty.",
            color=Palette.PURPLE,
        )
        if pages == 1:
            return embed, None
        embed.set_footer(text=f"Page {page}/{pages}")
        return embed, cls.controls(page=page, pages=pages)


class Owner(commands.Cog):
    """Bot owners: act on any server."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.owner: OwnerService = bot.app.owner

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(GuildsPageButton, BlacklistPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(GuildsPageButton, BlacklistPageButton)

    def _guild_id(self, text: str) -> int:
        """A server id (0 names the bot-wide records, which the services refuse), or the
        name of exactly one server the bot is in."""
        text = text.strip()
        if _DIGITS.fullmatch(text) and int(text) <= MAX_ID:
            return int(text)
        if not text or text.isdigit() or text.isdecimal() or text.lstrip("+-").isdigit():
            raise NotAServerId(text=text)  # digits, but not an id: 2^63, ², --5, 20 digits
        matches = [g for g in self.bot.guilds if g.name.lower() == text.lower()]
        if len(matches) != 1:
            raise NoServerCalled(text=text)
        return matches[0].id

    def _member_known(self, guild_id: int, user_id: int) -> bool:
        """Discord shows the user as a member of that server (in the bot's cache)."""
        guild = self.bot.get_guild(guild_id)
        return guild is not None and guild.get_member(user_id) is not None

    @group(name="psy", hidden=True, invoke_without_command=True)
    @owner_only()
    async def psy(self, ctx: ChiContext) -> None:
        """Bot owners: guilds, inspect, give, remove, reset, blacklist, audit."""
        await ctx.send(
            "`psy guilds [page]` · `psy inspect <server> <member>` · "
            "`psy give|remove <server> <member> <chi|rebirths|item> <amount> [item]` · "
            "`psy reset <server> <member>` · `psy blacklist add|remove|list [user] [reason]` · `psy audit [server]`"
        )

    @psy.command(name="guilds")
    @owner_only()
    async def guilds(self, ctx: ChiContext, page: int = 1) -> None:
        """Servers with member counts and last activity, ten a page."""
        await ctx.paginate(GuildsPageButton, page=page)

    @psy.command(name="inspect")
    @owner_only()
    async def inspect(self, ctx: ChiContext, server: str, member: str) -> None:
        """Everything of one member in one server."""
        guild_id, user_id = self._guild_id(server), _user_id(member)
        i = await self.owner.inspect(guild_id, user_id)
        embed = discord.Embed(title=f"{user_id} in {guild_id}", color=Palette.PURPLE)
        notes = []
        if not i.recorded:
            notes.append(f"`{user_id}` has no record in this server.")
        if i.left_at is not None:
            notes.append(f"I left this server {ts(i.left_at)}; its data is kept for a while.")
        if notes:
            embed.description = "\n".join(notes)
        embed.add_field(name="Chi", value=f"{i.chi:,}")
        embed.add_field(name="Rebirths", value=f"{i.rebirths:,}")
        embed.add_field(name="Lifetime chi", value=f"{i.lifetime_chi:,}")
        embed.add_field(name="Title", value=_fmt(i.title))
        embed.add_field(name="Blacklisted", value="yes" if i.blocked else "no")
        embed.add_field(
            name="Inventory",
            value=", ".join(f"{n} x{q}" + (f" +{lv}" if lv else "") for n, q, lv in i.inventory)[
                :1024
            ]
            or "—",
            inline=False,
        )
        embed.add_field(
            name="Chest",
            value=", ".join(f"{n} x{q}" for n, q, _ in i.chest)[:1024] or "—",
            inline=False,
        )
        embed.add_field(
            name="Counters",
            value=", ".join(f"{k}={v:,}" for k, v in sorted(i.counters.items()))[:1024] or "—",
            inline=False,
        )
        embed.add_field(
            name="Cooldowns",
            value=", ".join(f"{a} {ts(t)}" for a, t in i.cooldowns)[:1024] or "—",
            inline=False,
        )
        await ctx.send(embed=embed)

    async def _adjust(
        self,
        ctx: ChiContext,
        remove: bool,
        server: str,
        member: str,
        what: What,
        amount: int,
        item: str | None,
    ) -> None:
        guild_id, user_id = self._guild_id(server), _user_id(member)
        done = await self.owner.adjust(
            ctx.author.id,
            guild_id,
            user_id,
            what,
            amount,
            remove=remove,
            item=item,
            member_known=self._member_known(guild_id, user_id),
        )
        await ctx.send(_adjusted(done, remove=remove))

    @psy.command(name="give")
    @owner_only()
    async def give(
        self,
        ctx: ChiContext,
        server: str,
        member: str,
        what: Literal["chi", "rebirths", "item"],
        amount: Annotated[int, Amount],
        *,
        item: str | None = None,
    ) -> None:
        """Give chi, rebirths or an item to a member of any server."""
        await self._adjust(ctx, False, server, member, what, amount, item)

    @psy.command(name="remove")
    @owner_only()
    async def remove(
        self,
        ctx: ChiContext,
        server: str,
        member: str,
        what: Literal["chi", "rebirths", "item"],
        amount: Annotated[int, Amount],
        *,
        item: str | None = None,
    ) -> None:
        """Remove chi, rebirths or an item from a member of any server."""
        await self._adjust(ctx, True, server, member, what, amount, item)

    @psy.command(name="reset")
    @owner_only()
    async def reset(self, ctx: ChiContext, server: str, member: str) -> None:
        """Reset one member in one server (their chest is kept)."""
        guild_id, user_id = self._guild_id(server), _user_id(member)
        before = await self.owner.reset(
            ctx.author.id, guild_id, user_id, member_known=self._member_known(guild_id, user_id)
        )
        await ctx.send(
            f"♻️ Reset <@{user_id}> in server `{guild_id}`: they had {before['chi']:,} chi and "
            f"{before['rebirths']:,} rebirths, and now start afresh (their chest is kept). Audited."
        )

    @psy.group(name="blacklist", invoke_without_command=True)
    @owner_only()
    async def blacklist(self, ctx: ChiContext) -> None:
        """The bot-wide blacklist."""
        await ctx.paginate(BlacklistPageButton)

    @blacklist.command(name="list")
    @owner_only()
    async def blacklist_list(self, ctx: ChiContext) -> None:
        """The bot-wide blacklist."""
        await self.blacklist(ctx)

    @blacklist.command(name="add")
    @owner_only()
    async def blacklist_add(self, ctx: ChiContext, user: str, *, reason: str | None = None) -> None:
        """Bar a user from every command and every earning, in every server."""
        user_id = _user_id(user)
        known = self.bot.get_user(user_id)
        is_bot = (known is not None and known.bot) or (
            self.bot.user is not None and user_id == self.bot.user.id
        )
        await self.owner.blacklist(
            ctx.author.id,
            user_id,
            add=True,
            reason=reason,
            owners=self.bot.owner_id_set(),
            is_bot=is_bot,
        )
        await ctx.send(f"⛔ `{user_id}` is blacklisted everywhere.")

    @blacklist.command(name="remove")
    @owner_only()
    async def blacklist_remove(self, ctx: ChiContext, user: str) -> None:
        """Lift a bot-wide blacklisting."""
        user_id = _user_id(user)
        await self.owner.blacklist(ctx.author.id, user_id, add=False)
        await ctx.send(f"✅ `{user_id}` is no longer blacklisted bot-wide.")

    @psy.command(name="log")
    @owner_only()
    async def error_log(self, ctx: ChiContext, server: str | None = None, page: int = 1) -> None:
        """The bugs members ran into (of one server, or all), newest first."""
        guild_id = self._guild_id(server) if server and server != "all" else None
        found = await self.bot.app.error_log.page(guild_id, page)
        lines = [
            f"{ts(e.at)} `{e.guild_id}` `{e.error_id}` {ui.typed(e.place, 60)} · "
            f"{ui.typed(e.kind, 40)}: {ui.typed(e.detail, 80)}"
            for e in found.entries
        ]
        embed = discord.Embed(
            title="Error log" + (f" · {guild_id}" if guild_id else " · all servers"),
            color=Palette.PURPLE,
        )
        embed.description = "\n".join(lines)[:4000] or "No errors in the last 7 days."
        embed.set_footer(text=f"Page {found.page}/{found.pages} · {found.total:,} in all")
        await ctx.send(embed=embed)

    @psy.command(name="audit")
    @owner_only()
    async def audit(self, ctx: ChiContext, server: str | None = None) -> None:
        """The latest audited actions (of one server, or all)."""
        guild_id = self._guild_id(server) if server else None
        rows = await self.owner.audit(guild_id)
        lines = [
            f"{ts(r.at)} `{r.guild_id}` <@{r.actor_id}> **{r.action}**"
            + (f" → <@{r.target_id}>" if r.target_id else "")
            + (
                f": {_change(r.before, r.after)}"
                if r.before is not None or r.after is not None
                else ""
            )
            + (f" ({ui.typed(r.note, 80)})" if r.note else "")
            for r in rows
        ]
        embed = discord.Embed(
            title="Audit" + (f" · {guild_id}" if guild_id else " · all servers"),
            color=Palette.PURPLE,
        )
        embed.description = "\n".join(lines)[:4000] or "Nothing audited yet."
        await ctx.send(embed=embed)


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Owner(bot))
