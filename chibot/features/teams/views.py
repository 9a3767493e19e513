"""How teams look on Discord: the team card, the boards, the bank, the base, and the buttons.

Invites, join requests and alliance proposals are answered with restart-proof buttons (the
kit's `DynamicItem`: their state, the team and the member, is sealed in the custom id); the
service decides (`take` answers a session once, so two presses can't both join). Team names
are safe by construction (`rules.clean_name` refuses mentions and markdown); member names go
through the kit's `member_name`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, member_name, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.teams import rules
from chibot.features.teams.service import (
    BankMove,
    Card,
    Joined,
    Left,
    Placed,
    Relation,
    Relaxed,
    TeamPage,
    TeamRow,
    Trained,
    Upgraded,
    Waiting,
)

ROLE_ICON = {"leader": "👑", "officer": "⭐", "member": "•"}


def _record(team: TeamRow) -> str:
    return f"{team.wins:,}W / {team.losses:,}L / {team.ties:,}T"


def card_embed(card: Card, guild: discord.Guild) -> discord.Embed:
    team, tier = card.team, card.tier
    embed = discord.Embed(
        title=f"🛡️ {team.name}", color=rules.COLOURS.get(team.colour, Palette.BLUE)
    )
    embed.description = (
        f"Leader: {member_name(guild, team.leader_id)}\n"
        f"Members: **{team.members}/{tier.member_cap}** · Rank **#{card.rank}** · Score **{team.score:,}**\n"
        f"Record: {_record(team)} · 🏆 {team.trophies:,} trophies to spend"
    )
    embed.add_field(
        name="Bank",
        value=f"**{team.bank:,}** chi\nLifetime: {team.lifetime_chi:,} chi",
        inline=True,
    )
    embed.add_field(
        name="Base",
        value=f"{tier.name} (tier {tier.level}) · Gym {team.gym} · Arena {team.arena}",
        inline=True,
    )
    if card.allies or card.enemies or card.rivals:
        lines = []
        if card.allies:
            lines.append("🤝 Allies: " + ", ".join(sorted(card.allies.values())))
        if card.enemies:
            lines.append("⚔️ Rivals: " + ", ".join(sorted(card.enemies.values())))
        if card.rivals:
            lines.append("🎯 Named rival by: " + ", ".join(sorted(card.rivals.values())))
        embed.add_field(name="Relations", value="\n".join(lines)[:1024], inline=False)
    embed.set_footer(
        text=f"Founded {team.created_at:%Y-%m-%d} · team members · team base · team bank"
    )
    return embed


def no_team_embed(prefix: str, invites: list[tuple[Any, TeamRow]], cost: int) -> discord.Embed:
    embed = discord.Embed(title="You are not in a team yet", color=Palette.BLUE)
    price = f" for {cost:,} chi" if cost else ", free"
    lines = [
        f"Found one{price}: `{prefix}team create <name>` (or `{prefix}createteam`).",
        f"Join one: `{prefix}jointeam <team>` asks its leader; `{prefix}team list` shows them.",
    ]
    if invites:
        lines.append("")
        lines.append("**Invites waiting for you:**")
        lines += [f"• **{team.name}** (expires {ts(s.expires_at)})" for s, team in invites[:10]]
    embed.description = "\n".join(lines)
    return embed


def members_embed(card: Card, guild: discord.Guild) -> discord.Embed:
    embed = discord.Embed(title=f"Members of {card.team.name}", color=Palette.BLUE)
    lines = [
        f"{ROLE_ICON.get(m.role, '•')} {member_name(guild, m.user_id)} · {m.role} · joined {ts(m.joined_at)}"
        for m in card.roster
    ]
    embed.description = "\n".join(lines)[:4000] or "Nobody."
    embed.set_footer(text=f"{card.team.members}/{card.tier.member_cap} members")
    return embed


BOARD_TITLES = {"score": "by score", "bank": "by bank", "members": "by members"}


class TeamBoardButton(ui.PageButton, prefix="team:lb", state={"board": "score|bank|members"}):
    """A page of this server's team board, for whoever presses."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, board: str, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        result = await viewer.bot.app.teams.board(viewer.guild.id, viewer.user.id, board, page)
        return board_embed(result, viewer.guild), board_view(result)


def board_embed(page: TeamPage, guild: discord.Guild) -> discord.Embed:
    embed = discord.Embed(
        title=f"Teams of {ui.safe(guild.name)} · {BOARD_TITLES[page.board]}", color=Palette.GOLD
    )
    if not page.rows:
        embed.description = "No teams here yet: `team create <name>` founds the first."
        return embed
    start = (page.page - 1) * 10
    lines = []
    for n, team in enumerate(page.rows, start + 1):
        value = {
            "score": plural(team.score, "point"),
            "bank": f"{team.bank:,} chi",
            "members": plural(team.members, "member"),
        }[page.board]
        mine = " ← yours" if page.mine and page.mine.team_id == team.team_id else ""
        mine += (
            " ⚔️ rival"
            if team.team_id in page.rivals
            else " 🤝 ally"
            if team.team_id in page.allies
            else ""
        )
        lines.append(f"**#{n}** {team.name} · {value} · {_record(team)}{mine}")
    embed.description = "\n".join(lines)
    rank = f" · Your team: #{page.my_rank}" if page.my_rank else ""
    embed.set_footer(text=f"Page {page.page}/{page.pages} · {plural(page.total, 'team')}{rank}")
    return embed


def board_view(page: TeamPage) -> ui.View | None:
    if page.pages <= 1:
        return None
    return TeamBoardButton.controls(page.board, page=page.page, pages=page.pages, ends=True)


# --- invites, requests, proposals ----------------------------------------------------------


def _answer(state: str, accept: bool, yes: str = "Accept") -> discord.ui.Button[Any]:
    """The Accept or Decline button of an answer: its custom id is `<state>:y` or `:n`."""
    return discord.ui.Button(
        label=yes if accept else "Decline",
        style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
        custom_id=f"{state}:{'y' if accept else 'n'}",
    )


class InviteAnswer(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"team:inv:(?P<team>\d{1,20}):(?P<user>\d{1,20}):(?P<yes>[yn])",
):
    """Accept / Decline under an invite: only the invited member may press."""

    not_owner = "This invite is for someone else."

    def __init__(self, team_id: int, user_id: int, accept: bool) -> None:
        super().__init__(_answer(f"team:inv:{team_id}:{user_id}", accept))
        self.team_id, self.owner_id, self.accept = team_id, user_id, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> InviteAnswer:
        return cls(int(match["team"]), int(match["user"]), match["yes"] == "y")

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        result = await interaction.client.app.teams.answer_invite(  # type: ignore[attr-defined]
            interaction.guild.id, interaction.user.id, self.team_id, accept=self.accept
        )
        text = (
            joined_text(result, interaction.guild)
            if isinstance(result, Joined)
            else f"You declined the invite to **{result.name}**."
        )
        await interaction.response.edit_message(content=text, embed=None, view=None)


class RequestAnswer(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"team:req:(?P<team>\d{1,20}):(?P<user>\d{1,20}):(?P<yes>[yn])",
):
    """Accept / Decline under a join request: the team's leader or officers decide (the
    service checks the role of whoever presses)."""

    def __init__(self, team_id: int, user_id: int, accept: bool) -> None:
        super().__init__(_answer(f"team:req:{team_id}:{user_id}", accept))
        self.team_id, self.user_id, self.accept = team_id, user_id, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RequestAnswer:
        return cls(int(match["team"]), int(match["user"]), match["yes"] == "y")

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        result = await interaction.client.app.teams.answer_request(  # type: ignore[attr-defined]
            interaction.guild.id, interaction.user.id, self.user_id, accept=self.accept
        )
        who = member_name(interaction.guild, self.user_id)
        text = (
            joined_text(result, interaction.guild)
            if isinstance(result, Joined)
            else f"{who}'s request to join **{result.name}** was declined."
        )
        await interaction.response.edit_message(content=text, embed=None, view=None)


class AllyAnswer(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"team:ally:(?P<team>\d{1,20}):(?P<yes>[yn])",
):
    """Accept / Decline under an alliance proposal from team `team`: the other team's
    leader decides (checked by the service)."""

    def __init__(self, from_team: int, accept: bool) -> None:
        super().__init__(_answer(f"team:ally:{from_team}", accept, "Accept alliance"))
        self.from_team, self.accept = from_team, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AllyAnswer:
        return cls(int(match["team"]), match["yes"] == "y")

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        result = await interaction.client.app.teams.answer_ally(  # type: ignore[attr-defined]
            interaction.guild.id, interaction.user.id, self.from_team, accept=self.accept
        )
        if isinstance(result, Relation):
            text = f"🤝 **{result.team.name}** and **{result.other.name}** are now allies."
        else:
            text = f"The alliance proposed by **{result.name}** was declined."
        await interaction.response.edit_message(content=text, embed=None, view=None)


class CardButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"team:card:(?P<what>members|base|bank):(?P<user>\d{1,20})",
):
    """The team card's next steps: members, base, bank, shown to whoever pressed (only
    privately: a member's own team)."""

    LABELS: ClassVar[dict[str, str]] = {
        "members": "👥 Members",
        "base": "🏰 Base",
        "bank": "🏦 Bank",
    }

    def __init__(self, what: str, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[what],
                style=discord.ButtonStyle.secondary,
                custom_id=f"team:card:{what}:{user_id}",
            )
        )
        self.what, self.owner_id = what, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CardButton:
        return cls(match["what"], int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        teams = interaction.client.app.teams  # type: ignore[attr-defined]
        guild, user = interaction.guild, interaction.user.id
        if self.what == "bank":
            team, rows, at, pages = await teams.bank_log(guild.id, user, 1)
            embed = bank_embed(team, rows, at, pages, guild)
        else:
            card = await teams.card(guild.id, user)
            if card is None:
                await interaction.response.send_message(
                    "You are not in a team any more.", ephemeral=True
                )
                return
            embed = (
                members_embed(card, guild)
                if self.what == "members"
                else base_embed(card, teams.items.by_id)
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)


def card_view(user_id: int) -> ui.View:
    view = ui.View()
    for what in ("members", "base", "bank"):
        view.add_item(CardButton(what, user_id))
    return view


DYNAMIC_ITEMS = (TeamBoardButton, InviteAnswer, RequestAnswer, AllyAnswer, CardButton)


def answer_view(item: Any, *state: Any) -> ui.View:
    """Accept and Decline buttons of `item` (an answer button class) for `state`."""
    view = ui.View()
    view.add_item(item(*state, True))
    view.add_item(item(*state, False))
    return view


def waiting_text(waiting: Waiting, guild: discord.Guild) -> str:
    until = ts(waiting.expires_at)
    if waiting.kind == "team.invite":
        return (
            f"📨 {member_name(guild, waiting.other)}, you are invited to join **{waiting.team.name}**. "
            f"Accept or decline below (or `team accept` / `team deny`). It expires {until}."
        )
    if waiting.kind == "team.request":
        return (
            f"🙋 {member_name(guild, waiting.other)} asks to join **{waiting.team.name}**. "
            f"Its leader or an officer can accept below (or `team accept @member`). It expires {until}."
        )
    return (
        f"🤝 **{waiting.team.name}** proposes an alliance. The other team's leader can accept "
        f"below (or with `team ally {waiting.team.name}`). It expires {until}."
    )


def joined_text(joined: Joined, guild: discord.Guild) -> str:
    return f"🎉 {member_name(guild, joined.user_id)} joined **{joined.team.name}**."


def left_text(left: Left, guild: discord.Guild, verb: str = "left") -> str:
    who = member_name(guild, left.user_id)
    if left.disbanded:
        text = f"💥 **{left.team.name}** was disbanded."
        if left.refunds:
            parts = ", ".join(
                f"{member_name(guild, u)} {v:,}" for u, v in sorted(left.refunds.items())
            )
            text += f" Its bank went back to the members by donation: {parts} chi."
        return text
    text = f"{who} {verb} **{left.team.name}**."
    if left.new_leader is not None:
        text += f" {member_name(guild, left.new_leader)} leads it now."
    return text


def bank_text(move: BankMove) -> str:
    if move.amount > 0:
        return f"🏦 Donated **{move.amount:,}** chi to **{move.team.name}**. Bank: **{move.bank:,}** chi · you: {move.balance:,} chi."
    return f"🏦 Withdrew **{-move.amount:,}** chi from **{move.team.name}**. Bank: **{move.bank:,}** chi · you: {move.balance:,} chi."


def bank_embed(
    team: TeamRow, rows: list[Any], page: int, pages: int, guild: discord.Guild
) -> discord.Embed:
    tier = rules.tier(team.tier)
    embed = discord.Embed(title=f"🏦 Bank of {team.name}", color=Palette.GOLD)
    lines = [
        f"Balance: **{team.bank:,}** chi · lifetime {team.lifetime_chi:,} chi",
        f"Officers may withdraw {min(team.officer_limit, tier.withdraw_cap):,} chi a day "
        f"(the leader's limit {team.officer_limit:,}, at most {tier.withdraw_cap:,} at this tier).",
        "",
    ]
    for r in rows:
        who = member_name(guild, r.user_id) if r.user_id else "the team"
        sign = "+" if r.delta > 0 else "−"
        lines.append(
            f"{ts(r.at)} {sign}{abs(r.delta):,} · {r.reason.removeprefix('team.')} · {who}"
        )
    if not rows:
        lines.append("No moves yet: `team donate <amount>`.")
    embed.description = "\n".join(lines)[:4000]
    embed.set_footer(text=f"Page {page}/{pages}")
    return embed


def base_embed(card: Card, items: dict[str, Any]) -> discord.Embed:
    team, tier = card.team, card.tier
    embed = discord.Embed(
        title=f"🏰 Base of {team.name}", color=rules.COLOURS.get(team.colour, Palette.BLUE)
    )
    nxt = rules.upgrade_cost("base", team.tier)
    gym_next = rules.upgrade_cost("gym", team.gym)
    arena_next = rules.upgrade_cost("arena", team.arena)

    def cost(c: rules.Cost | None) -> str:
        return "top level" if c is None else f"next: {c.chi:,} chi + {c.trophies} 🏆"

    embed.description = (
        f"**{tier.name}** (tier {tier.level}/{rules.MAX_TIER}): {tier.member_cap} members, officers withdraw "
        f"up to {tier.withdraw_cap:,} chi a day · {cost(nxt)}\n"
        f"**Gym** level {team.gym}/{rules.GYM_MAX}: training bonuses up to {rules.training_cap_pct(team.gym):g}% · {cost(gym_next)}\n"
        f"**Arena** level {team.arena}/{rules.ARENA_MAX}: +{rules.arena_bonus_pct(team.arena):g}% damage in team duels · {cost(arena_next)}\n"
        f"Colour: {team.colour} · 🏆 {team.trophies:,} trophies"
    )
    deco = [items[i] for i in card.items if i in items and items[i].effect("decoration")]
    gym = [items[i] for i in card.items if i in items and items[i].effect("gym")]
    embed.add_field(
        name="Decorations",
        value="\n".join(
            f"{i.emoji} {i.name}"
            + (
                f" · relax: +{rules.RELAX[i.id].chi} chi every {rules.RELAX[i.id].hours} h"
                if i.id in rules.RELAX
                else " · decoration only"
            )
            for i in deco
        )[:1024]
        or "None yet (`team decorate <item>`).",
        inline=False,
    )
    embed.add_field(
        name="Gym equipment",
        value="\n".join(
            f"{i.emoji} {i.name} · trains {i.effect('gym').spot} +{i.effect('gym').bonus_pct:g}%"
            for i in gym
        )[:1024]
        or "None yet (`team gym <item>`).",
        inline=False,
    )
    return embed


def upgraded_text(up: Upgraded) -> str:
    what = {
        "base": f"the base to **{rules.tier(up.level).name}**",
        "gym": f"the gym to level **{up.level}**",
        "arena": f"the arena to level **{up.level}**",
    }[up.facility]
    return f"🔨 **{up.team.name}** upgraded {what} for {up.cost.chi:,} chi and {up.cost.trophies} 🏆. Bank: {up.team.bank:,} chi."


def placed_text(placed: Placed) -> str:
    return f"{placed.item.emoji} **{placed.item.name}** now stands in the base of **{placed.team.name}**."


def trained_text(done: Trained) -> str:
    return (
        f"💪 You trained on the **{done.item.name}**: {done.stat} bonus **{done.pct:g}%** "
        f"(the gym allows {done.cap:g}%). Again {ts(done.ready_at)}."
    )


def relaxed_text(done: Relaxed) -> str:
    return f"😌 You relaxed at the **{done.item.name}**: +**{done.chi}** chi (balance {done.balance:,}). Again {ts(done.ready_at)}."


def relation_text(relation: Relation) -> str:
    if relation.kind == "ally":
        if relation.added:
            return f"🤝 **{relation.team.name}** and **{relation.other.name}** are now allies."
        return f"The alliance of **{relation.team.name}** and **{relation.other.name}** has ended."
    if relation.added:
        return f"⚔️ **{relation.team.name}** named **{relation.other.name}** a rival."
    return f"**{relation.team.name}** no longer names **{relation.other.name}** a rival."
