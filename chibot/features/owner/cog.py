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
from chibot.features.owner.service import OwnerService, What

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

_ID = re.compile(r"^<?@?!?(\d{15,21})>?$")


def _user_id(text: str) -> int:
    match = _ID.match(text.strip())
    if not match:
        raise commands.BadArgument(f"`{text}` is not a user id or mention.")
    return int(match.group(1))


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


PER_PAGE = 10


async def guilds_page(owner: OwnerService, page: int) -> tuple[discord.Embed, ui.View]:
    rows, total = await owner.guilds(page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    if not 1 <= page <= pages:  # past the end (or before the start): show the nearest page
        page = min(max(1, page), pages)
        rows, total = await owner.guilds(page, PER_PAGE)
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


class Owner(commands.Cog):
    """Bot owners: act on any server."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.owner: OwnerService = bot.app.owner

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(GuildsPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(GuildsPageButton)

    def _guild_id(self, text: str) -> int:
        text = text.strip()
        if text.isdigit():
            return int(text)
        matches = [g for g in self.bot.guilds if g.name.lower() == text.lower()]
        if len(matches) != 1:
            raise commands.BadArgument(
                f"No single server is called `{discord.utils.escape_mentions(text)}`; use its id."
            )
        return matches[0].id

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
        before, after = await self.owner.adjust(
            ctx.author.id, guild_id, user_id, what, amount, remove=remove, item=item
        )
        verb = "Removed" if remove else "Gave"
        await ctx.send(
            f"✅ {verb} {amount:,} {item or what} · <@{user_id}> in `{guild_id}`: {before} → {after} (audited)"
        )

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
        before = await self.owner.reset(ctx.author.id, guild_id, user_id)
        await ctx.send(
            f"♻️ Reset <@{user_id}> in `{guild_id}` (had {before['chi']:,} chi, {before['rebirths']:,} rebirths). Audited."
        )

    @psy.group(name="blacklist", invoke_without_command=True)
    @owner_only()
    async def blacklist(self, ctx: ChiContext) -> None:
        """The bot-wide blacklist."""
        users = await self.owner.blacklisted()
        await ctx.send("Bot-wide blacklist: " + (", ".join(f"`{u}`" for u in users) or "empty"))

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
        if user_id in self.bot.owner_id_set():
            raise commands.BadArgument("Owners can't be blacklisted.")
        await self.owner.blacklist(ctx.author.id, user_id, add=True, reason=reason)
        await ctx.send(f"⛔ `{user_id}` is blacklisted everywhere.")

    @blacklist.command(name="remove")
    @owner_only()
    async def blacklist_remove(self, ctx: ChiContext, user: str) -> None:
        """Lift a bot-wide blacklisting."""
        user_id = _user_id(user)
        await self.owner.blacklist(ctx.author.id, user_id, add=False)
        await ctx.send(f"✅ `{user_id}` is no longer blacklisted bot-wide.")

    @psy.command(name="audit")
    @owner_only()
    async def audit(self, ctx: ChiContext, server: str | None = None) -> None:
        """The latest audited actions (of one server, or all)."""
        guild_id = self._guild_id(server) if server else None
        rows = await self.owner.audit(guild_id)
        lines = [
            f"{ts(r.at)} `{r.guild_id}` <@{r.actor_id}> **{r.action}**"
            + (f" → <@{r.target_id}>" if r.target_id else "")
            + (f": {r.before} → {r.after}" if r.before is not None or r.after is not None else "")
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
