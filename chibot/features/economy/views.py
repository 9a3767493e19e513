"""Embeds and buttons of the economy. Rendering only: numbers come from the service.

The rebirth confirmation (`RebirthConfirm`) is the kit's `ConfirmView`, with a timeout, not a
persistent one: only the member who asked may press it, one press at most, and the service
checks everything again when it is pressed (the button carries only the price it showed).
The leaderboard's page buttons are the kit's restart-proof `PageButton`s.
"""

from __future__ import annotations

from typing import Any

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, announce, awards, plural, safe
from chibot.discord.ui import timestamp as ts
from chibot.features.economy import rules
from chibot.features.economy.service import (
    AdminResult,
    BoardRow,
    DailyResult,
    GiveResult,
    LeaderboardPage,
    Profile,
    RebirthOffer,
    RebirthResult,
)

GREEN, RED, GOLD, BLUE, PURPLE = (
    Palette.GREEN,
    Palette.RED,
    Palette.GOLD,
    Palette.BLUE,
    Palette.PURPLE,
)
MEDALS = {1: "👑", 2: "🥈", 3: "🥉"}


def profile_embed(member: discord.abc.User, p: Profile) -> discord.Embed:
    embed = discord.Embed(title=f"{member.display_name}'s chi", color=GREEN if p.chi >= 0 else RED)
    if p.title:
        embed.description = f"🏷️ *{safe(p.title)}*"
    embed.set_thumbnail(url=member.display_avatar.url)
    embed.add_field(name="Chi", value=f"{p.chi:,}")
    embed.add_field(name="Rebirths", value=f"{p.rebirths:,}")
    rank = f"#{p.rank:,} of {p.members:,}" if p.rank else "unranked"
    embed.add_field(name="Rank", value=rank)
    to_next = max(0, p.next_level_at - p.lifetime_chi)
    level = (
        f"{p.level}"
        if p.level >= p.max_level
        else f"{p.level} ({to_next:,} chi to level {p.level + 1})"
    )
    embed.add_field(name="Level", value=level)
    embed.add_field(name="Lifetime chi earned", value=f"{p.lifetime_chi:,}")
    embed.add_field(name="Max HP", value=f"{p.max_hp:,}")
    embed.add_field(name="Achievements", value=f"{p.achievements}/{p.achievements_total}")
    if p.weapon:
        embed.add_field(name="Weapon", value=p.weapon)
    streak = _days(p.daily_streak)
    if p.daily_streak_best > p.daily_streak:
        streak += f" (best {_days(p.daily_streak_best)})"
    embed.add_field(name="Daily streak", value=streak)
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
        name = ui.member_name(guild, row.user_id)
        value = (
            f"{row.chi:,} chi"
            if page.board == "chi"
            else f"{_rebirths(row.rebirths)} · {row.chi:,} chi"
        )
        if page.board == "chi" and row.rebirths:
            value += f" · {_rebirths(row.rebirths)}"
        me = " ← you" if row.user_id == viewer_id else ""
        lines.append(f"{marker} **{name}**: {value}{me}")
    empty = (
        "Nobody has any chi here yet. Say something nice!"
        if page.board == "chi"
        else "Nobody here holds a rebirth right now."
    )
    embed.description = "\n".join(lines) or empty
    footer = f"Page {page.page}/{page.pages}"
    if page.viewer is not None:
        footer += f" · Your rank: #{page.viewer.rank:,}"
    else:
        footer += " · You are not ranked yet"
    embed.set_footer(text=footer)
    return embed


def _rebirths(n: int) -> str:
    return plural(n, "rebirth")


_SEEKS = {"next": "after", "prev": "before", "last": "last", "me": "mine"}


class LeaderboardButton(
    ui.PageButton,
    prefix="lb",
    state={"board": "chi|rebirths", "key": r"-?\d{1,19}", "uid": int},
):
    """A page of a leaderboard, for whoever presses (with their own rank). ◀ and ▶ carry the
    first and last row they saw (`key`: its chi or rebirths, `uid`), so the next page is a
    keyset seek from there, not an OFFSET; ⏭ reads the board from its end and "My rank"
    seeks from the presser's own row."""

    @classmethod
    async def render(
        cls,
        viewer: ui.Viewer,
        board: str,
        key: str | int = 0,
        uid: int = 0,
        *,
        page: int,
        tag: str = "page",
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        seek = _SEEKS.get(tag, "page")
        cursor = (int(key), int(uid)) if seek in ("after", "before") else None
        result = await viewer.bot.app.economy.leaderboard(
            viewer.guild.id, board, page, viewer.user.id, seek=seek, cursor=cursor
        )
        return leaderboard_embed(result, viewer.guild, viewer.user.id), leaderboard_view(result)

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = await self.render(
            ui.Viewer.of(interaction), *self.state, page=self.page, tag=self.tag
        )
        await interaction.response.edit_message(embed=embed, view=view)


def leaderboard_view(page: LeaderboardPage) -> ui.View:
    view = ui.View()
    board, rows = page.board, page.rows

    def cursor(row: BoardRow | None) -> tuple[int, int]:
        if row is None:
            return 0, 0
        return (row.chi if board == "chi" else row.rebirths), row.user_id

    at_start, at_end = page.page <= 1, page.page >= page.pages
    first, last = cursor(rows[0] if rows else None), cursor(rows[-1] if rows else None)
    view.add_item(LeaderboardButton(board, 0, 0, 1, "⏮", "first", disabled=at_start))
    view.add_item(
        LeaderboardButton(
            board, *first, max(1, page.page - 1), "◀", "prev", disabled=at_start or not rows
        )
    )
    view.add_item(
        LeaderboardButton(
            board, *last, min(page.pages, page.page + 1), "▶", "next", disabled=at_end or not rows
        )
    )
    view.add_item(LeaderboardButton(board, 0, 0, page.pages, "⏭", "last", disabled=at_end))
    if page.viewer is not None:
        mine = min(-(-page.viewer.rank // rules.PAGE_SIZE), page.pages)
        view.add_item(
            LeaderboardButton(board, 0, 0, mine, "My rank", "me", disabled=mine == page.page)
        )
    return view


def _days(n: int) -> str:
    return plural(n, "day")


def _noun(n: int, currency: str) -> str:
    """What follows a bold number: `chi`, `rebirth`, `rebirths`."""
    if currency != "rebirths":
        return "chi"
    return "rebirth" if n == 1 else "rebirths"


def _amount(n: int, currency: str) -> str:
    """`5 chi`, `1 rebirth`, `2 rebirths`."""
    return plural(n, "rebirth") if currency == "rebirths" else f"{n:,} chi"


def daily_embed(result: DailyResult) -> discord.Embed:
    streak = f"🔥 Streak: **{_days(result.streak)}** in a row"
    if result.best_streak > result.streak:
        streak += f" (best {_days(result.best_streak)})"
    return discord.Embed(
        title=f"+{result.amount:,} chi",
        description=f"Your daily reward. Balance: **{result.balance:,}** chi"
        f"{awards(result.achievements)}.\n{streak}.\n"
        f"Next one {ts(result.next_at)}: come back tomorrow (UTC) to keep the streak.",
        color=GREEN,
    )


def give_embed(
    sender: discord.abc.User, receiver: discord.abc.User, result: GiveResult
) -> discord.Embed:
    cur = result.currency
    return discord.Embed(
        title=f"{sender.display_name} gave {_amount(result.amount, result.currency)} to "
        f"{receiver.display_name}",
        description=f"{sender.mention}: **{result.sender_balance:,}** "
        f"{_noun(result.sender_balance, cur)}\n"
        f"{receiver.mention}: **{result.receiver_balance:,}** {_noun(result.receiver_balance, cur)}",
        color=GREEN,
    )


def admin_embed(target: discord.abc.User, result: AdminResult, removed: bool) -> discord.Embed:
    noun = _noun(result.after, result.currency)
    verb = "Removed" if removed else "Added"
    return discord.Embed(
        title=f"{verb} {_amount(abs(result.after - result.before), result.currency)}",
        description=f"{target.mention}: {result.before:,} → **{result.after:,}** {noun}",
        color=RED if removed else GREEN,
    ).set_footer(text="Recorded in the audit log.")


# --- rebirth ---------------------------------------------------------------------------------


def rebirth_offer_embed(member: discord.abc.User, offer: RebirthOffer) -> discord.Embed:
    embed = discord.Embed(
        title="♻️ Rebirth?",
        description=f"Spend **{offer.threshold:,}** chi for **1** rebirth.",
        color=PURPLE,
    )
    embed.add_field(
        name="What a rebirth gives",
        value="1 rebirth: the currency of the rebirth shop (`rshop`), and prestige on the "
        "rebirth leaderboard (`leaderboard rebirths`).",
        inline=False,
    )
    embed.add_field(
        name="What stays",
        value="Everything else: nothing is reset. Your items, item levels, level, lifetime chi "
        "and achievements all stay; only the chi is spent.",
        inline=False,
    )
    embed.add_field(name="Chi", value=f"{offer.chi:,} → **{offer.chi - offer.threshold:,}**")
    embed.add_field(name="Rebirths", value=f"{offer.rebirths:,} → **{offer.rebirths + 1:,}**")
    embed.set_footer(
        text=f"Only {member.display_name} can confirm. The offer expires in 2 minutes."
    )
    return embed


def rebirth_done_embed(member: discord.abc.User, result: RebirthResult) -> discord.Embed:
    return discord.Embed(
        title=f"♻️ {member.display_name} is reborn!",
        description=f"Spent **{result.threshold:,}** chi. Rebirths: **{result.rebirths:,}** · "
        f"chi: **{result.chi:,}**.\nRebirths performed here: {result.rebirths_done:,}. "
        "Spend rebirths in the rebirth shop (`rshop`).",
        color=PURPLE,
    )


class RebirthConfirm(ui.ConfirmView):
    """Confirm / Cancel under a rebirth offer: only the member, one press, re-checked by the
    service (the button carries only the price it showed)."""

    def __init__(
        self, economy: Any, member: discord.abc.User, offer: RebirthOffer, *, timeout: float = 120
    ) -> None:
        closed = "Nothing was spent."
        super().__init__(
            member.id,
            self._rebirth,
            timeout=timeout,
            ack=False,
            emoji="♻️",
            not_owner="Only the member who asked for this rebirth can answer it.",
            answered="This rebirth offer is already answered.",
            cancelled=ui.Closing(
                embed=discord.Embed(title="Rebirth cancelled", description=closed, color=BLUE),
                remove_buttons=True,
            ),
            expired=ui.Closing(
                embed=discord.Embed(title="Rebirth offer expired", description=closed, color=BLUE),
                remove_buttons=True,
            ),
            refused=lambda error: ui.Closing(
                embed=discord.Embed(title="No rebirth", description=ui.word(error), color=RED),
                remove_buttons=True,
            ),
        )
        self.economy, self.member, self.offer = economy, member, offer

    async def _rebirth(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        result = await self.economy.rebirth(
            interaction.guild.id, self.member.id, expected_threshold=self.offer.threshold
        )
        await interaction.response.edit_message(
            embed=rebirth_done_embed(self.member, result), view=None
        )
        await announce(interaction.client, interaction.followup, self.member, result.achievements)
