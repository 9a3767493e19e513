"""Tournaments on Discord: the announcement with its Join button, the bracket embed, the lines
for joins, starts, results and the champion, and posting the fight cards of matches that a
previous match's ending started (`follow_up`)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

import discord

from chibot.core.sessions import MessageNotice
from chibot.discord import ui
from chibot.discord.ui import Palette, safe
from chibot.features.combat import bracket, card
from chibot.features.combat.tournaments import (
    Cancelled,
    Joined,
    Left,
    Match,
    MatchDecided,
    MatchStarted,
    Started,
    Tournament,
    TournamentWon,
    round_name,
)

card.TITLES.setdefault("tournament", "🏆 Tournament")

HELP = (
    "🏆 **Tournaments** · `tournament join` enters the open one (its fee goes into the pool), "
    "`tournament leave` gets the fee back before the start, `tournament bracket` shows it. "
    "Admins: `tournament create <name> [fee] [size]`, `tournament start`, "
    "`tournament cancel` (every fee refunded), `tournament @a @b` (a forced match)."
)
HOW = {
    "ko": "knock-out",
    "forfeit": "forfeit",
    "walkover": "walk-over",
    "time": "on HP at the time limit",
    "tie": "a tie: the better seed goes on",
    "cancelled": "called off",
}


def _prize_rule(t: Tournament | None = None) -> str:
    return (
        f"winner takes all under {bracket.SPLIT_FROM} entrants, else "
        f"{100 - bracket.RUNNER_UP_PERCENT}% / {bracket.RUNNER_UP_PERCENT}% to the final's two"
    )


def created_text(t: Tournament) -> str:
    fee = f"entry fee **{t.fee:,}** chi into the pool" if t.fee else "free entry"
    size = f", up to **{t.size_limit}** entrants" if t.size_limit else ""
    return (
        f"🏆 **{safe(t.name)}** is open: {fee}{size} (prize: {_prize_rule()}). "
        "Press **Join** or type `tournament join`; an admin starts it with `tournament start`."
    )


def joined_text(j: Joined, who: str) -> str:
    paid = f" (paid **{j.fee:,}** chi, {j.balance:,} left)" if j.fee else ""
    size = f"/{j.size_limit}" if j.size_limit else ""
    return (
        f"✅ **{safe(who)}** joined **{safe(j.name)}**{paid}: {j.entrants}{size} entrants, "
        f"pool **{j.pool:,}** chi."
    )


def left_text(left: Left, who: str) -> str:
    back = f": the {left.refund:,} chi fee is back" if left.refund else ""
    return f"👋 **{safe(who)}** left **{safe(left.name)}**{back}."


def started_text(started: Started) -> str:
    t = started.tournament
    byes = sum(1 for m in t.matches if m.how == "bye")
    waiting = sum(1 for m in t.matches if m.status == "pending")
    parts = [
        f"🏆 **{safe(t.name)}** starts: **{len(t.entrants)}** entrants, {t.rounds} round"
        f"{'s' if t.rounds != 1 else ''}, pool **{t.pool:,}** chi."
    ]
    if byes:
        parts.append(f"{byes} top seed{'s' if byes != 1 else ''} go straight to round 2 (byes).")
    if waiting:
        parts.append(
            f"{waiting} match{'es' if waiting != 1 else ''} wait for a fighter busy in another "
            f"fight (they start when free, or lose by walk-over after {t.deadline_minutes} "
            "minutes)."
        )
    parts.append("A fighter who doesn't act on their first turn loses by walk-over.")
    return " ".join(parts)


def cancelled_text(done: Cancelled) -> str:
    back = f" **{done.refunded:,}** chi in fees refunded to {done.entrants} entrants." if (
        done.refunded
    ) else ""  # fmt: skip
    stopped = f" {done.stopped} live match{'es' if done.stopped != 1 else ''} called off." if (
        done.stopped
    ) else ""  # fmt: skip
    return f"🛑 **{safe(done.name)}** is cancelled.{back}{stopped}"


def decided_line(d: MatchDecided) -> str:
    stage = round_name(d.round, d.rounds)
    if d.how == "walkover":
        return (
            f"🚶 **{safe(d.winner)}** goes on by walk-over: {safe(d.loser)} didn't show ({stage})."
        )
    how = HOW.get(d.how, d.how)
    return f"✅ **{safe(d.winner)}** beats {safe(d.loser)} in {stage} ({how})."


def won_line(w: TournamentWon) -> str:
    prize = f": **{w.prize:,}** chi" if w.prize else ""
    second = (
        f" {safe(w.runner_up)} is runner-up ({w.runner_up_prize:,} chi)."
        if w.runner_up_prize
        else f" {safe(w.runner_up)} is runner-up."
    )
    return f"🥇 **{safe(w.champion)}** wins **{safe(w.tournament)}**{prize}!{second}"


def started_lead(m: MatchStarted) -> str:
    return f"🏆 **{safe(m.tournament)}** · {round_name(m.round, m.rounds)}, match {m.slot + 1}"


def _side(t: Tournament, user_id: int | None, winner: int | None = None) -> str:
    if user_id is None:
        return "—"
    name = safe(t.name_of(user_id))
    name = f"**{name}**" if winner is not None and winner == user_id else name
    return f"`#{t.seed_of(user_id)}` {name}"


def match_line(t: Tournament, m: Match) -> str:
    if m.how == "bye":
        return f"➡️ {_side(t, m.side0, m.side0)} · bye"
    a, b = _side(t, m.side0, m.winner), _side(t, m.side1, m.winner)
    if m.status == "pending":
        return f"⏳ {a} vs {b} · waiting"
    if m.status == "live":
        return f"⚔️ {a} vs {b} · **live**"
    if m.how == "cancelled":
        return f"🛑 {a} vs {b} · called off"
    how = "walk-over" if m.how == "walkover" else HOW.get(m.how or "", m.how or "")
    return f"✅ {a} vs {b} · {how}"


def bracket_embed(t: Tournament) -> discord.Embed:
    status = {
        "open": "open for joining",
        "running": f"running · {round_name(t.round, t.rounds)}" if t.rounds else "running",
        "finished": "finished",
        "cancelled": "cancelled",
    }.get(t.status, t.status)
    embed = discord.Embed(
        title=f"🏆 {t.name}"[:256],
        color=Palette.GOLD if t.status == "finished" else Palette.RED,
    )
    size = f"/{t.size_limit}" if t.size_limit else ""
    lines = [
        f"**{status.capitalize()}** · {len(t.entrants)}{size} entrants · fee {t.fee:,} chi · "
        f"pool **{t.pool:,}** chi",
        f"Prize: {_prize_rule()}.",
    ]
    if t.champion is not None:
        lines.append(
            f"🥇 **{safe(t.name_of(t.champion))}** ({t.prize:,} chi) · 🥈 "
            f"{safe(t.name_of(t.runner_up))} ({t.runner_up_prize:,} chi)"
        )
    if t.status == "open":
        names = ", ".join(f"`#{e.seed}` {safe(e.name)}" for e in t.entrants) or "nobody yet"
        lines.append(f"Entrants (by join order, the seeds): {names}")
    embed.description = "\n".join(lines)[:4000]
    for number in range(1, t.rounds + 1 if t.status != "open" else 1):
        matches = [m for m in t.matches if m.round == number]
        if not matches:
            value = "Waiting for the round before."
        else:
            value = "\n".join(match_line(t, m) for m in matches)
        embed.add_field(
            name=round_name(number, t.rounds).capitalize()[:256], value=value[:1024], inline=False
        )
    embed.set_footer(text="tournament join · tournament leave · tournament bracket")
    return embed


class TournamentJoin(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"tourn:join:(?P<t>\d{1,20})",
):
    """Join under a tournament's announcement (restart-proof: the id names the tournament)."""

    def __init__(self, tournament_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Join", emoji="🏆", style=discord.ButtonStyle.success,
                custom_id=f"tourn:join:{tournament_id}",
            )
        )  # fmt: skip
        self.tournament_id = tournament_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TournamentJoin:
        return cls(int(match["t"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        current = await combat.tournament(interaction.guild.id)
        if current.id != self.tournament_id or current.status != "open":
            await ui.say(interaction, f"**{safe(current.name)}** is not open for joining.")
            return
        user = interaction.user
        joined = await combat.tournament_join(interaction.guild.id, user.id, user.display_name)
        await interaction.response.send_message(joined_text(joined, user.display_name))


def join_view(t: Tournament) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(TournamentJoin(t.id))
    return view


def results_text(notices: Sequence[Any]) -> str:
    lines = [decided_line(n) for n in notices if isinstance(n, MatchDecided)]
    lines += [won_line(n) for n in notices if isinstance(n, TournamentWon)]
    return "\n".join(lines)


async def post_match(client: Any, channel: Any, guild_id: int, m: MatchStarted) -> None:
    """Post a started match's fight card in `channel` and attach it to the fight."""
    combat = client.app.combat
    with contextlib.suppress(discord.HTTPException):
        sent = await channel.send(
            started_lead(m), embed=card.fight_embed(m.step), view=card.fight_view(m.step)
        )
        if not m.step.ended:
            await combat.attach_fight(guild_id, m.step.fight.id, sent.channel.id, sent.id)


def says_something(notice: Any) -> bool:
    """Whether `follow_up` has something to post for this notice."""
    return isinstance(notice, MatchStarted) or bool(results_text([notice]))


async def follow_up(client: Any, channel: Any, guild_id: int, notices: Sequence[Any]) -> None:
    """After a step that ended a tournament match: the results, then the cards of the
    matches its ending started, in the same channel."""
    if channel is None:
        return
    text = results_text(notices)
    if text:
        with contextlib.suppress(discord.HTTPException):
            await channel.send(text)
    for n in notices:
        if isinstance(n, MatchStarted):
            await post_match(client, channel, guild_id, n)


async def edit_cards(client: Any, notices: Sequence[MessageNotice]) -> None:
    """The cards of fights a cancel called off: their buttons go, they say so."""
    for notice in notices:
        channel = client.get_channel(notice.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            continue
        partial = getattr(channel, "get_partial_message", None)
        if partial is None:
            continue
        with contextlib.suppress(discord.HTTPException):
            await partial(notice.message_id).edit(content=notice.text, embed=None, view=None)


def split_details(text: str) -> tuple[str, list[str]]:
    """`tournament create` arguments: a name (quoted when it ends in a number), then up to
    two numbers (the fee, the size limit)."""
    text = text.strip()
    if text.startswith('"') and '"' in text[1:]:
        end = text.index('"', 1)
        return text[1:end], text[end + 1 :].split()
    words = text.split()
    numbers: list[str] = []
    while words and len(numbers) < 2 and re.fullmatch(r"\d[\d,_.]*[kKmM]?", words[-1]):
        numbers.insert(0, words.pop())
    return " ".join(words), numbers
