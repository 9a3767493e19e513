"""How team fights look on Discord: the lobby card (who joined each side, until when) with its
Join / Accept or Start / Decline or Call off buttons, the team bosses' list, and the lines that
say how a team duel or a raid was settled. The fight itself is the ordinary fight card
(`card.py`): the member on turn, or their leader, presses its buttons."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, plural, safe
from chibot.features.combat.team_bosses import MIN_RAIDERS, TeamBoss
from chibot.features.combat.team_fights import (
    MAX_ROSTER,
    Lobby,
    LobbyClosed,
    RaidResult,
    TeamDuelResult,
)


def _when(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:R>"


def lobby_embed(lobby: Lobby) -> discord.Embed:
    """A lobby: each side's roster, what starts it, when it expires."""
    if lobby.kind == "duel":
        a, b = (safe(n) for n in lobby.team_names)
        title = f"🛡️ Team duel · {a} vs {b}"
        how = (
            f"**{a}** and **{b}** are enemies: no consent needed, **{a}**'s leader starts it."
            if lobby.enemies
            else f"The leader of **{b}** accepts or declines (`tduel accept` / `tduel deny`)."
        )
        sides = [(lobby.team_names[0], lobby.rosters[0]), (lobby.team_names[1], lobby.rosters[1])]
    else:
        boss = lobby.boss
        assert boss is not None
        title = f"🐉 Raid · {safe(lobby.team_names[0])} vs {boss.label}"
        how = (
            f"The leader starts it (`tboss start`) with {MIN_RAIDERS} to {MAX_ROSTER} raiders. "
            f"{boss.label}: {boss.hp_for(max(lobby.raiders, 1)):,} HP for "
            f"{plural(max(lobby.raiders, 1), 'raider')} (+{boss.hp_per_raider:,} each), a win shares "
            f"**{boss.pot:,}** chi among the raiders."
        )
        sides = [(lobby.team_names[0], lobby.rosters[0])]
    embed = discord.Embed(title=title[:256], color=Palette.RED)
    embed.description = (
        f"{how}\nTeammates join with the button or `{'tduel' if lobby.kind == 'duel' else 'tboss'}"
        f" join` (a weapon needed, at most {MAX_ROSTER} a side). Expires {_when(lobby.expires_at)}."
    )
    for team, roster in sides:
        names = "\n".join(f"• {safe(n)}" for _, n in roster) or "nobody yet"
        embed.add_field(name=f"{safe(team)} ({len(roster)})"[:256], value=names[:1024])
    return embed


def closed_text(closed: LobbyClosed) -> str:
    what = "team duel" if closed.lobby.kind == "duel" else "raid"
    if closed.why == "declined":
        return f"**{safe(closed.lobby.team_names[1])}** declined the {what}."
    return f"The {what} was called off."


def team_result_line(result: TeamDuelResult | RaidResult) -> str:
    """How a team duel or a raid was settled (below the fight card)."""
    if isinstance(result, TeamDuelResult):
        if result.winner is None:
            return "🤝 A tie: both teams count it in their record."
        winner = safe(result.names[result.winner])
        loser = safe(result.names[1 - result.winner])
        how = " by forfeit" if result.by_forfeit else ""
        return f"🏆 **{winner}** beat **{loser}**{how}: both teams' records and scores count it."
    if result.outcome == "victory":
        shares = ", ".join(f"{safe(n)} +{s:,}" for _, n, s in result.shares)
        again = f" They can raid it again {_when(result.ready_at)}." if result.ready_at else ""
        return f"💰 **{safe(result.team)}** beat {result.boss.label}: {shares} chi.{again}"
    if result.outcome == "defeat":
        return f"💀 {result.boss.label} wiped out **{safe(result.team)}**: no reward."
    return f"🏳️ **{safe(result.team)}** retreated from {result.boss.label}: no reward."


def team_bosses_embed(bosses: tuple[TeamBoss, ...], raiders: int) -> discord.Embed:
    """`teamboss`: the team bosses, their HP for this many raiders, hits, specials, pots."""
    embed = discord.Embed(
        title="🐉 Team bosses",
        description=(
            f"A team's leader opens a raid with `teamboss <boss>`; {MIN_RAIDERS} to "
            f"{MAX_ROSTER} teammates join, then the leader starts it. The boss plays after "
            "every raider; a win shares its pot equally among the raiders, then the boss rests "
            "for each of them."
        ),
        color=Palette.RED,
    )
    for b in bosses:
        embed.add_field(
            name=f"{b.label} · `teamboss {b.key}`"[:256],
            value=(
                f"{b.description}\n❤️ {b.hp_for(raiders):,} HP for {raiders} raiders "
                f"(+{b.hp_per_raider:,} each) · ⚔️ {b.hit.min}–{b.hit.max} · ✨ {b.special.name}"
                f" ({b.special.chance}%)\n💰 {b.pot:,} chi shared · rests {b.cooldown_hours} h"
            )[:1024],
            inline=False,
        )
    return embed


class LobbyButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"tfight:(?P<kind>duel|raid):(?P<key>\d{1,20}(?::\d{1,20})?):(?P<act>join|go|no)",
):
    """Join / Accept or Start / Decline or Call off under a lobby; the service checks who may
    (`go` and `no` are the leaders')."""

    LABELS = {"join": "Join", "go": "Accept / Start", "no": "Decline / Call off"}
    STYLES = {
        "join": discord.ButtonStyle.primary,
        "go": discord.ButtonStyle.success,
        "no": discord.ButtonStyle.secondary,
    }

    def __init__(self, kind: str, key: str, act: str, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or self.LABELS[act], style=self.STYLES[act],
                custom_id=f"tfight:{kind}:{key}:{act}",
            )
        )  # fmt: skip
        self.kind, self.key, self.act = kind, key, act

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LobbyButton:
        return cls(match["kind"], match["key"], match["act"])

    async def callback(self, interaction: discord.Interaction) -> None:
        from chibot.features.combat.card import fight_embed, fight_view

        assert interaction.guild is not None and interaction.message is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        guild, user = interaction.guild.id, interaction.user
        lobby = await combat.team_lobby(guild, user.id)
        if lobby is None or lobby.key != self.key:
            await ui.say(interaction, "This lobby is over, or it is not your team's.")
            return
        if self.act == "join":
            lobby = await combat.team_join(guild, user.id, user.display_name, self.kind)
            await interaction.response.edit_message(embed=lobby_embed(lobby))
            return
        if self.act == "no":
            why = (
                "declined" if lobby.kind == "duel" and user.id == lobby.leaders[1] else "called_off"
            )
            closed = await combat.team_close(guild, user.id, self.kind, why)
            await interaction.response.edit_message(
                content=closed_text(closed), embed=None, view=None
            )
            return
        step = await combat.team_start(guild, user.id, self.kind)
        await interaction.response.edit_message(embed=fight_embed(step), view=fight_view(step))
        await combat.attach_fight(guild, step.fight.id, interaction.message.channel.id,
                                  interaction.message.id)  # fmt: skip


def lobby_view(lobby: Lobby) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(LobbyButton(lobby.kind, lobby.key, "join"))
    if lobby.kind == "duel":
        view.add_item(
            LobbyButton(lobby.kind, lobby.key, "go", "Start" if lobby.enemies else "Accept")
        )
        view.add_item(
            LobbyButton(lobby.kind, lobby.key, "no", "Call off" if lobby.enemies else "Decline")
        )
    else:
        view.add_item(LobbyButton(lobby.kind, lobby.key, "go", "Start"))
        view.add_item(LobbyButton(lobby.kind, lobby.key, "no", "Call off"))
    return view
