"""Embeds and buttons of the economy. Rendering only: numbers come from the service."""

from __future__ import annotations

import re
from typing import Any

import discord

from chibot.features.economy import rules
from chibot.features.economy.service import (
    AdminResult,
    DailyResult,
    GiveResult,
    LeaderboardPage,
    Profile,
)

GREEN, RED, GOLD, BLUE, PURPLE = 0x2ECC71, 0xE74C3C, 0xF1C40F, 0x3498DB, 0x9B59B6
MEDALS = {1: "👑", 2: "🥈", 3: "🥉"}


def ts(when: Any, style: str = "R") -> str:
    return f"<t:{int(when.timestamp())}:{style}>"


def profile_embed(member: discord.abc.User, p: Profile) -> discord.Embed:
    embed = discord.Embed(title=f"{member.display_name}'s chi", color=GREEN if p.chi >= 0 else RED)
    embed.set_thumbnail(url=member.display_avatar.url)
    embed.add_field(name="Chi", value=f"{p.chi:,}")
    embed.add_field(name="Rebirths", value=f"{p.rebirths:,}")
    rank = f"#{p.rank:,} of {p.members:,}" if p.rank else "unranked"
    embed.add_field(name="Rank", value=rank)
    to_next = max(0, p.next_level_at - p.lifetime_chi)
    level = f"{p.level}" if p.level >= rules.MAX_LEVEL else f"{p.level} ({to_next:,} chi to level {p.level + 1})"
    embed.add_field(name="Level", value=level)
    embed.add_field(name="Lifetime chi earned", value=f"{p.lifetime_chi:,}")
    embed.add_field(
        name="Chat",
        value=f"{p.positive_messages:,} positive · {p.negative_messages:,} negative · "
        f"{p.secret_words:,} secret words",
        inline=False,
    )
    return embed


def balance_embed(member: discord.abc.User, p: Profile) -> discord.Embed:
    embed = discord.Embed(
        title=f"{member.display_name}: {p.chi:,} chi",
        description=f"Rebirths: **{p.rebirths:,}** · Level **{p.level}** · "
        + (f"Rank **#{p.rank:,}**" if p.rank else "unranked"),
        color=GREEN if p.chi >= 0 else RED,
    )
    return embed


def leaderboard_embed(page: LeaderboardPage, guild: discord.Guild, viewer_id: int) -> discord.Embed:
    title = "Chi leaderboard" if page.board == "chi" else "Rebirth leaderboard"
    embed = discord.Embed(title=f"{title} · {guild.name}", color=GOLD)
    lines = []
    for row in page.rows:
        marker = MEDALS.get(row.rank, f"`#{row.rank}`")
        name = _name(guild, row.user_id)
        value = f"{row.chi:,} chi" if page.board == "chi" else f"{row.rebirths:,} rebirths · {row.chi:,} chi"
        if page.board == "chi" and row.rebirths:
            value += f" · {row.rebirths:,} rebirths"
        me = " ← you" if row.user_id == viewer_id else ""
        lines.append(f"{marker} **{name}**: {value}{me}")
    embed.description = "\n".join(lines) or "Nobody has any chi here yet. Say something nice!"
    footer = f"Page {page.page}/{page.pages}"
    if page.viewer is not None:
        footer += f" · Your rank: #{page.viewer.rank:,}"
    else:
        footer += " · You are not ranked yet"
    embed.set_footer(text=footer)
    return embed


def _name(guild: discord.Guild, user_id: int) -> str:
    member = guild.get_member(user_id)
    name = member.display_name if member else f"Former member {user_id}"
    return discord.utils.escape_markdown(discord.utils.escape_mentions(name))


class LeaderboardButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lb:(?P<board>chi|rebirths):(?P<page>\d+):(?P<tag>\w+)"):
    """A page button whose state lives in its custom id, so it works after a restart."""

    def __init__(self, board: str, page: int, label: str, tag: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"lb:{board}:{page}:{tag}",
                disabled=disabled,
            )
        )
        self.board, self.page = board, page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]) -> LeaderboardButton:
        return cls(match["board"], int(match["page"]), item.label or "", match["tag"])

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        economy = interaction.client.app.economy  # type: ignore[attr-defined]
        page = await economy.leaderboard(interaction.guild.id, self.board, self.page, interaction.user.id)
        await interaction.response.edit_message(
            embed=leaderboard_embed(page, interaction.guild, interaction.user.id),
            view=leaderboard_view(page),
        )


def leaderboard_view(page: LeaderboardPage) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    first, last = page.page <= 1, page.page >= page.pages
    view.add_item(LeaderboardButton(page.board, 1, "⏮", "first", disabled=first))
    view.add_item(LeaderboardButton(page.board, max(1, page.page - 1), "◀", "prev", disabled=first))
    view.add_item(LeaderboardButton(page.board, min(page.pages, page.page + 1), "▶", "next", disabled=last))
    view.add_item(LeaderboardButton(page.board, page.pages, "⏭", "last", disabled=last))
    if page.viewer is not None:
        mine = min(-(-page.viewer.rank // rules.PAGE_SIZE), page.pages)
        view.add_item(LeaderboardButton(page.board, mine, "My rank", "me", disabled=mine == page.page))
    return view


def daily_embed(result: DailyResult) -> discord.Embed:
    return discord.Embed(
        title=f"+{result.amount:,} chi",
        description=f"Your daily reward. Balance: **{result.balance:,}** chi.\n"
        f"Next one {ts(result.next_at)}.",
        color=GREEN,
    )


def give_embed(sender: discord.abc.User, receiver: discord.abc.User, result: GiveResult) -> discord.Embed:
    noun = "rebirths" if result.currency == "rebirths" else "chi"
    return discord.Embed(
        title=f"{sender.display_name} gave {result.amount:,} {noun} to {receiver.display_name}",
        description=f"{sender.mention}: **{result.sender_balance:,}** {noun}\n"
        f"{receiver.mention}: **{result.receiver_balance:,}** {noun}",
        color=GREEN,
    )


def admin_embed(target: discord.abc.User, result: AdminResult, removed: bool) -> discord.Embed:
    noun = "rebirths" if result.currency == "rebirths" else "chi"
    verb = "Removed" if removed else "Added"
    return discord.Embed(
        title=f"{verb} {abs(result.after - result.before):,} {noun}",
        description=f"{target.mention}: {result.before:,} → **{result.after:,}** {noun}",
        color=RED if removed else GREEN,
    ).set_footer(text="Recorded in the audit log.")
