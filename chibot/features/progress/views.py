"""Embeds and buttons of progress (rendering only: numbers come from the service), and the
announcement of newly unlocked achievements (used by every system's cog).

The milestone Claim button is a kit `DynamicItem` whose state (the member it belongs to) is in
its custom id, so it works after a restart; only that member can press it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, announce, name_of, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.progress import rules
from chibot.features.progress.content import TIER_COLOUR, TIER_EMOJI, Achievement
from chibot.features.progress.service import (
    AchievementBoard,
    ActiveCooldown,
    ClaimResult,
    LevelInfo,
    MilestoneBoard,
    StatsInfo,
    UpgradeResult,
)

GREEN, GOLD, BLUE, PURPLE, GREY = (
    Palette.GREEN,
    Palette.GOLD,
    Palette.BLUE,
    Palette.PURPLE,
    Palette.GREY,
)
FIELD_LIMIT = 1024

# Friendly names of ledger reason groups; anything else is title-cased, so the reasons of later
# systems show up without a change here.
REASON_LABELS = {
    "chat": "Chat",
    "daily": "Daily rewards",
    "achievement": "Achievements",
    "milestone": "Milestones",
    "progress": "Item upgrades",
    "shop": "Shops",
    "rebirth": "Rebirths",
}
# The counters `stats` shows, with their labels (and the noun of their unit, when one reads
# better: "3 days"). Counters are also the systems' internal tallies (`daily_last_day` is a day
# number, `chi_from_sales` is already in "Chi back from items"): only these listed ones are
# player-meaningful, so a later system lists its own here when it adds them.
COUNTER_LABELS = {
    "dailies": "Daily rewards claimed",
    "daily_streak": "Daily streak",
    "daily_streak_best": "Best daily streak",
    "items_bought": "Items bought",
    "items_sold": "Items sold",
    "items_used": "Items used",
    "upgrades": "Item upgrades",
    "permanent_hp": "Permanent HP bonus",
    "rebirths_done": "Rebirths made",
    "legendary_weapons_owned": "Legendary weapons owned",
    "weapon_kinds_owned": "Kinds of weapons owned",
    "duel_wins": "Duels won",
    "bosses_defeated": "Bosses defeated",
    "plants_harvested": "Plants harvested",
    "quests_completed": "Quests completed",
    "potions_brewed": "Potions brewed",
    "trades_completed": "Trades completed",
    "artifacts_collected": "Artifacts collected",
}
COUNTER_UNITS = {"daily_streak": "day", "daily_streak_best": "day"}
DAY_COUNTERS = {"daily_last_day": "Last daily reward"}  # UTC day numbers, shown as dates
COOLDOWN_LABELS = {
    "chat": "💬 Chat chi",
    "daily": "📅 Daily reward",
    "chat_cap": "💬 Hourly chat cap",
}


def _clip(lines: Sequence[str], limit: int = FIELD_LIMIT) -> str:
    """Join lines, dropping the last ones (with a note) if they would not fit in a field."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        more = f"… and {len(lines) - i} more"
        if used + len(line) + 1 + len(more) > limit and i < len(lines) - 1:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)[:limit] or "—"


# --- achievements announcement (used by every system) ---------------------------------------


def unlocked_embed(member: discord.abc.User, achievements: Sequence[Achievement]) -> discord.Embed:
    best = min(achievements, key=lambda a: ("legendary", "epic", "rare", "common").index(a.tier))
    embed = discord.Embed(
        title="🏅 Achievements unlocked!" if len(achievements) > 1 else "🏅 Achievement unlocked!",
        description=f"{member.mention}",
        color=TIER_COLOUR[best.tier],
    )
    for a in achievements:
        reward = f" · **+{a.reward:,}** chi" if a.reward else ""
        embed.add_field(
            name=f"{a.emoji} {a.name} {TIER_EMOJI[a.tier]}",
            value=f"{a.description}{reward}",
            inline=False,
        )
    return embed


def render_notices(member: discord.abc.User, notices: Sequence[Any]) -> discord.Embed | None:
    """The achievements among notices (`discord.ui.announce` asks the progress cog)."""
    achievements = [n for n in notices if isinstance(n, Achievement)]
    return unlocked_embed(member, achievements) if achievements else None


# --- level and upgrades ------------------------------------------------------------------------


def level_embed(member: discord.abc.User, info: LevelInfo) -> discord.Embed:
    card = info.card
    embed = discord.Embed(title=f"{name_of(member)} · level {card.level}", color=BLUE)
    bar = rules.progress_bar(card.fraction)
    if card.next_at is None:
        embed.description = f"{bar}\nMaximum level reached."
    else:
        embed.description = (
            f"{bar}\n{card.lifetime_chi:,} / {card.next_at:,} lifetime chi · "
            f"**{card.to_next:,}** chi to level {card.level + 1}"
        )
    embed.add_field(
        name="In fights",
        value=f"+{card.damage_bonus_pct}% damage and healing "
        f"(each level adds {rules.LEVEL_BONUS_PCT}%)",
        inline=False,
    )
    embed.add_field(
        name="Max HP",
        value=f"{info.max_hp:,} ({rules.BASE_HP:,} base + {min(info.permanent_hp, rules.MAX_PERMANENT_HP):,} permanent)",
    )
    embed.add_field(name="Lifetime chi earned", value=f"{card.lifetime_chi:,}")
    embed.set_footer(
        text="Your level comes from the chi you have earned here: spending never lowers it."
    )
    return embed


def upgrade_embed(member: discord.abc.User, result: UpgradeResult) -> discord.Embed:
    item = result.item
    what = "healing" if item.effect("healing") else "damage"
    embed = discord.Embed(
        title=f"⬆️ {item.emoji} {item.name}: level {result.new_level}/{item.max_level}",
        description=f"{member.mention} paid **{result.cost:,}** chi · balance **{result.balance:,}** chi",
        color=GREEN,
    )
    embed.add_field(name="Bonus", value=f"+{result.bonus_pct}% {what}")
    if result.next_cost is None:
        embed.add_field(name="Next upgrade", value="Fully upgraded")
    else:
        embed.add_field(
            name="Next upgrade", value=f"{result.next_cost:,} chi (level {result.new_level + 1})"
        )
    return embed


# --- milestones ----------------------------------------------------------------------------


def milestones_embed(member: discord.abc.User, board: MilestoneBoard) -> discord.Embed:
    lines = []
    for row in board.rows:
        m = row.milestone
        base = f"**{m.name}** · {m.lifetime_chi:,} lifetime chi · +{m.reward:,} chi"
        if row.state == "claimed":
            lines.append(f"✅ {base} · claimed")
        elif row.state == "claimable":
            lines.append(f"🎁 {base} · **ready to claim**")
        else:
            lines.append(f"🔒 {base} · {row.to_go:,} to go")
    claimable = board.claimable
    embed = discord.Embed(
        title=f"Milestones · {name_of(member)}",
        description="\n".join(lines),
        color=GOLD if claimable else BLUE,
    )
    embed.add_field(name="Lifetime chi earned", value=f"{board.lifetime_chi:,}")
    embed.add_field(name="Claimed", value=f"{board.claimed_count}/{len(board.rows)}")
    if claimable:
        embed.add_field(
            name="Ready", value=f"{len(claimable)} (+{sum(m.reward for m in claimable):,} chi)"
        )
    embed.set_footer(
        text="Milestone rewards don't count as earned chi: they don't raise your level or unlock milestones."
    )
    return embed


def claimed_embed(member: discord.abc.User, result: ClaimResult) -> discord.Embed:
    lines = [f"🎁 **{m.name}** · +{m.reward:,} chi" for m in result.claimed]
    return discord.Embed(
        title=f"+{result.total:,} chi from {plural(len(result.claimed), 'milestone')}",
        description="\n".join(lines) + f"\n\n{member.mention}: **{result.balance:,}** chi",
        color=GREEN,
    )


class ClaimButton(
    ui.DynamicItem[discord.ui.Button[Any]], template=r"milestone:claim:(?P<user>\d+)"
):
    """Claims every ready milestone of the member who listed them (only they may press)."""

    not_owner = "These milestones aren't yours: use `milestone` to see your own."

    def __init__(self, user_id: int, label: str = "Claim") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="🎁",
                style=discord.ButtonStyle.success,
                custom_id=f"milestone:claim:{user_id}",
            )
        )
        self.user_id = self.owner_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ClaimButton:
        label = item.label if isinstance(item, discord.ui.Button) else None  # always a Button
        return cls(int(match["user"]), label or "Claim")

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        progress = interaction.client.app.progress  # type: ignore[attr-defined]
        result = await progress.claim_milestones(interaction.guild.id, interaction.user.id)
        await interaction.response.edit_message(
            embed=milestones_embed(interaction.user, result.board),
            view=milestones_view(result.board),
        )
        await interaction.followup.send(embed=claimed_embed(interaction.user, result))
        await announce(
            interaction.client, interaction.followup, interaction.user, result.achievements
        )


def milestones_view(board: MilestoneBoard) -> ui.View | None:
    """A Claim button when something is ready, else no buttons."""
    ready = board.claimable
    if not ready:
        return None
    view = ui.View()
    total = sum(m.reward for m in ready)
    view.add_item(ClaimButton(board.user_id, f"Claim {len(ready)} (+{total:,} chi)"))
    return view


# --- achievements board ----------------------------------------------------------------------


def _achievement_line(row: rules.AchievementRow, member_number: int | None) -> str:
    a = row.achievement
    tier = TIER_EMOJI[a.tier]
    reward = f" · +{a.reward:,} chi" if a.reward else ""
    if row.state == "unlocked":
        when = f" · {ts(row.unlocked_at, 'd')}" if row.unlocked_at else ""
        return f"✅ {tier} {a.emoji} **{a.name}**: {a.description}{reward}{when}"
    if row.state == "hidden":
        return f"🔒 {tier} ??? (hidden)"
    if row.state == "unavailable":
        return f"🔒 {tier} {a.emoji} {a.name}: {a.description}{reward} · arrives with {a.system}"
    if a.at_most is not None:
        mine = (
            f" (you are #{member_number})"
            if member_number is not None and member_number <= a.at_most
            else ""
        )
        if member_number is not None and member_number > a.at_most:
            mine = f" (you joined after the first {a.at_most:,})"
        progress = f"first {plural(a.at_most, 'member')} only{mine}"
    else:
        value = min(row.value or 0, a.at or 0)
        progress = f"{value:,}/{a.at:,}"
    return f"🔒 {tier} {a.emoji} {a.name}: {a.description}{reward} · {progress}"


def achievements_embed(
    member: discord.abc.User, board: AchievementBoard, prefix: str = "P!"
) -> discord.Embed:
    pct = 100 * board.unlocked_count / board.total if board.total else 0
    title = f"🏅 {name_of(member)}'s achievements"
    if board.category is not None:
        title += f" · {board.category.emoji} {board.category.name}"
    embed = discord.Embed(
        title=title,
        description=f"Unlocked **{board.unlocked_count}/{board.total}** ({pct:.1f}%) · "
        f"**{board.chi_earned:,}** chi earned from achievements",
        color=PURPLE,
    )
    for category in board.categories:
        rows = [r for r in board.rows if r.achievement.category == category.id]
        if not rows:
            continue
        done = sum(1 for r in rows if r.state == "unlocked")
        embed.add_field(
            name=f"{category.emoji} {category.name} ({done}/{len(rows)})",
            value=_clip([_achievement_line(r, board.member_number) for r in rows]),
            inline=False,
        )
    names = ", ".join(c.id for c in board.categories)
    embed.set_footer(text=f"{prefix}achievements <category>: {names}")
    return embed


# --- stats ------------------------------------------------------------------------------------


def _breakdown(by: dict[str, int]) -> str:
    parts = sorted(by.items(), key=lambda kv: (-kv[1], kv[0]))
    return " · ".join(f"{rules.counter_label(k, REASON_LABELS)} {v:,}" for k, v in parts)


def stats_embed(member: discord.abc.User, guild_name: str, info: StatsInfo) -> discord.Embed:
    s = info.summary
    embed = discord.Embed(title=f"📊 {name_of(member)} in {ui.safe(guild_name)}", color=BLUE)
    if info.member is None and not info.counters:
        embed.description = "Nothing yet in this server."
        return embed
    earned = f"**{s.earned:,}**"
    if s.earned_by:
        earned += f"\n{_breakdown(s.earned_by)}"
    embed.add_field(name="Chi earned", value=earned[:FIELD_LIMIT], inline=False)
    spent = f"**{s.spent:,}**"
    if s.spent_by:
        spent += f"\n{_breakdown(s.spent_by)}"
    embed.add_field(name="Chi spent", value=spent[:FIELD_LIMIT], inline=False)
    embed.add_field(name="Lost to chat penalties", value=f"{s.chat_penalties:,}")
    embed.add_field(name="Given", value=f"{s.given:,} chi ({s.gives:,}×)")
    embed.add_field(name="Received", value=f"{s.received:,} chi ({s.receipts:,}×)")
    if s.sold:
        embed.add_field(name="Chi back from items", value=f"{s.sold:,}")
    if s.admin_added or s.admin_removed:
        embed.add_field(
            name="Admin adjustments", value=f"+{s.admin_added:,} / −{s.admin_removed:,}"
        )
    m = info.member
    if m is not None:
        rebirths = f"{m.rebirths:,}"
        if s.rebirths_gained or s.rebirths_spent:
            rebirths += f" · {s.rebirths_gained:,} gained · {s.rebirths_spent:,} spent"
        if s.rebirths_given or s.rebirths_received:
            rebirths += f" · {s.rebirths_given:,} given · {s.rebirths_received:,} received"
        embed.add_field(name="Rebirths", value=rebirths)
        embed.add_field(name="Chi now · lifetime", value=f"{m.chi:,} · {m.lifetime_chi:,}")
        embed.add_field(name="Playing here since", value=ts(m.created_at, "D"))
        embed.add_field(
            name="Chat",
            value=f"{m.positive_messages:,} positive · {m.negative_messages:,} negative · "
            f"{m.secret_words:,} secret words",
            inline=False,
        )
    lines = [
        f"{label}: {_counter_value(name, info.counters[name])}"
        for name, label in COUNTER_LABELS.items()
        if info.counters.get(name)
    ]
    lines += [
        f"{label}: {ts(datetime.fromtimestamp(info.counters[name] * 86400, UTC), 'D')}"
        for name, label in DAY_COUNTERS.items()
        if info.counters.get(name)
    ]
    if lines:
        embed.add_field(name="Activity", value=_clip(lines), inline=False)
    embed.add_field(name="Achievements", value=f"{info.achievements:,}")
    embed.add_field(name="Milestones claimed", value=f"{info.milestones:,}")
    return embed


def _counter_value(name: str, value: int) -> str:
    unit = COUNTER_UNITS.get(name)
    return plural(value, unit) if unit else f"{value:,}"


# --- cooldowns --------------------------------------------------------------------------------


def cooldowns_embed(member: discord.abc.User, found: Sequence[ActiveCooldown]) -> discord.Embed:
    embed = discord.Embed(title=f"⏳ {name_of(member)}'s cooldowns", color=GREY)
    if not found:
        embed.description = "Nothing is cooling down: everything is ready."
        return embed
    lines = [_cooldown_line(c) for c in found]
    embed.description = _clip(lines, 4000)
    return embed


def _cooldown_line(c: ActiveCooldown) -> str:
    label = COOLDOWN_LABELS.get(c.action, f"⏳ `{c.action}`")
    if c.action == "chat_cap" and c.cap is not None:
        return (
            f"{label} reached ({c.earned or 0:,}/{c.cap:,} chi this hour): chat earns nothing "
            f"until it resets {ts(c.ready_at)}"
        )
    return f"{label} · ready {ts(c.ready_at)}"


class UpgradeMenu(ui.View):
    """The buttons of the bare `upgrade`: one per thing that can be upgraded, for the member
    who asked. Each press does what typing its `upgrade …` would (the garden's asks to confirm
    first, as `upgrade garden` does)."""

    MAX_BUTTONS = 10

    def __init__(self, owner_id: int, choices: Sequence[tuple[str, Any]]) -> None:
        super().__init__(owner_id=owner_id, timeout=300)
        for label, action in choices[: self.MAX_BUTTONS]:
            button: discord.ui.Button[UpgradeMenu] = discord.ui.Button(
                label=label[:80], style=discord.ButtonStyle.secondary
            )
            button.callback = action  # type: ignore[method-assign]
            self.add_item(button)
