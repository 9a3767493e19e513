"""The rift on Discord: its card (the HP bar of 20 blocks, the raiders, the top 5 by damage,
the time left, the prize) with its buttons (Join, Status and the nine legendary attacks), and
the lines for joins, hits, runs, the kill and its payouts, the escape and an admin's end.

The buttons are restart-proof (the kit's sealed `DynamicItem`, bound to the server like every
combat button): the custom id names the rift and the action, and a press calls the same
service as the command, which checks everything again (the rift is live, the presser is in
it, the cooldown, a downed raider)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, plural, safe
from chibot.features.combat import rift_rules as rules
from chibot.features.combat.live import ForMember
from chibot.features.combat.rift import (
    TOP,
    Rift,
    RiftEnded,
    RiftHit,
    RiftJoined,
    RiftNone,
    RiftRan,
    RiftSettled,
)

TITLE = "🌀 The Rift · the Rifter"
PAID_LINES = 10
HELP = (
    "🌀 **The rift** · `rift join` (or `enter`) joins the live rift, `rift attack <attack>` "
    "strikes with one of the nine legendary attacks (`L1`..`L9` or a name; bare: one at "
    "random), `rift run` leaves it (your share is forfeited), `rift` shows it. Admins: "
    "`event rift` opens one, `event end` closes it early with no prize."
)
STATUS = {
    "defeated": "💥 The Rifter was defeated",
    "escaped": "🌀 The Rifter escaped: time was up",
    "ended": "🛑 An admin closed the rift",
}


def _t(when: datetime, style: str = "R") -> str:
    return f"<t:{int(when.timestamp())}:{style}>"


def attacks_line() -> str:
    return " · ".join(f"`{a.code}` {a.name} {a.min}–{a.max}" for a in rules.ATTACKS)


def card_embed(rift: Rift, now: datetime | None = None) -> discord.Embed:
    """The rift's card: live, or as it ended."""
    embed = discord.Embed(title=TITLE, color=Palette.PURPLE if rift.open else Palette.GOLD)
    bar = rules.hp_bar(rift.hp, rift.max_hp)
    lines = [f"`{bar}` **{rift.hp:,}** / {rift.max_hp:,} HP"]
    lines.append(
        f"⚔️ {plural(rift.inside, 'raider')} in the rift ({rift.raiders:,} joined) · 💰 prize "
        f"**{rift.prize:,}** chi, split by damage among raiders with "
        f"{rules.MIN_ATTACKS}+ attacks"
    )
    if rift.open:
        if now is not None and now >= rift.closes_at:
            lines.append("⌛ Its time is up: the Rifter is escaping.")
        else:
            lines.append(f"⏳ The Rifter escapes {_t(rift.closes_at)} unless it falls first.")
    else:
        when = f" {_t(rift.ended_at)}" if rift.ended_at is not None else ""
        lines.append(f"{STATUS.get(rift.status, rift.status)}{when}.")
        if rift.status != "defeated":
            lines.append("Nothing was paid.")
        if rift.next_at is not None:
            lines.append(f"The next rift may open {_t(rift.next_at)} (`event rift`, admins).")
    embed.description = "\n".join(lines)[:4000]
    if rift.top:
        top = "\n".join(
            f"`{i + 1}.` **{safe(r.name)}** · {r.damage:,} damage · "
            f"{plural(r.attacks, 'attack')}" + (f" · **{r.paid:,}** chi" if r.paid else "")
            for i, r in enumerate(rift.top[:TOP])
        )
        embed.add_field(name=f"Top {min(len(rift.top), TOP)} by damage", value=top[:1024])
    if rift.open:
        embed.add_field(name="Legendary attacks", value=attacks_line()[:1024], inline=False)
    embed.set_footer(text="rift join · rift attack <L1-L9> · rift run · rift")
    return embed


def none_text(found: RiftNone, now: datetime | None = None) -> str:
    if found.last is None:
        return (
            "🌀 No rift has opened here yet: an admin opens one with `event rift` (30 minutes "
            "to defeat the Rifter; the prize is split by damage)."
        )
    last = found.last
    ended = f" {_t(last.ended_at)}" if last.ended_at is not None else ""
    how = {"defeated": "was defeated", "escaped": "escaped", "ended": "was closed by an admin"}
    ready = found.ready_at
    when = (
        f"an admin may open the next {_t(ready)} (`event rift`)"
        if ready is not None and (now is None or now < ready)
        else "an admin may open the next now (`event rift`)"
    )
    return (
        f"🌀 No rift is open. The last Rifter {how.get(last.status, last.status)}{ended}; {when}."
    )


def opened_text(rift: Rift) -> str:
    return (
        f"🌀 **A rift tears open!** The Rifter has **{rift.max_hp:,}** HP and grows as raiders "
        f"join; it escapes {_t(rift.closes_at)}. Press **Join** (or `rift join`), then strike "
        f"with the legendary attacks. The prize, **{rift.prize:,}** chi now, is split by "
        f"damage among the raiders with {rules.MIN_ATTACKS}+ attacks when it falls."
    )


def joined_text(j: RiftJoined) -> str:
    grew = (
        f" The Rifter grows: **+{j.hp_added:,}** HP (prize **{j.rift.prize:,}** chi)."
        if j.hp_added
        else ""
    )
    return (
        f"⚔️ **{safe(j.name)}** joins the rift ({j.my_hp:,} HP): "
        f"{plural(j.rift.inside, 'raider')} now.{grew}"
    )


def hit_text(h: RiftHit) -> str:
    lines = [
        f"💥 **{safe(h.name)}** strikes with **{h.attack.name}** (`{h.attack.code}`) for "
        f"**{h.damage:,}**: the Rifter has {h.rift.hp:,} / {h.rift.max_hp:,} HP."
    ]
    if h.settled is None:
        if h.downed_until is not None:
            lines.append(
                f"🌀 The Rifter hits back for **{h.counter:,}**: you are down, back at full HP "
                f"{_t(h.downed_until)}."
            )
        else:
            lines.append(
                f"🌀 The Rifter hits back for **{h.counter:,}**: {h.my_hp:,} / {h.my_max_hp:,} HP "
                f"left. Your damage: {h.my_damage:,} in {plural(h.my_attacks, 'attack')}; next "
                f"attack {_t(h.ready_at)}."
            )
    return "\n".join(lines)


def settled_text(s: RiftSettled) -> str:
    lines = [f"🏆 **{safe(s.killer)}** strikes the final blow: **THE RIFTER IS DEFEATED!**"]
    paid = [p for p in s.payouts if p.amount > 0]
    if not paid:
        lines.append(
            f"Nobody made {rules.MIN_ATTACKS}+ attacks and stayed: the prize of {s.prize:,} chi "
            "is not paid."
        )
    else:
        lines.append(
            f"💰 The prize of **{s.prize:,}** chi goes to {plural(len(paid), 'raider')} by damage:"
        )
        ranked = sorted(paid, key=lambda p: (-p.amount, -p.damage, p.user_id))
        for p in ranked[:PAID_LINES]:
            shard = " · 🌀 a Rift Shard" if p.shard else ""
            lines.append(
                f"• **{safe(p.name)}** · {p.damage:,} damage · **+{p.amount:,}** chi{shard}"
            )
        if len(ranked) > PAID_LINES:
            lines.append(f"…and {len(ranked) - PAID_LINES:,} more.")
    if s.unpaid:
        lines.append(
            f"{plural(s.unpaid, 'raider')} with fewer than {rules.MIN_ATTACKS} attacks "
            "got no share."
        )
    return "\n".join(lines)[:2000]


def ran_text(r: RiftRan) -> str:
    return (
        f"🏃 **{safe(r.name)}** runs from the rift ({r.damage:,} damage dealt): their share is "
        "forfeited and they can't join this rift again."
    )


def ended_text(e: RiftEnded) -> str:
    if e.status == "escaped":
        head = "🌀 **The Rifter escaped**: its time was up. Nothing is paid."
    else:
        head = "🛑 **The rift is closed** by an admin: no prize, nothing is paid."
    return f"{head} The next rift may open {_t(e.ready_at)}."


def ended_embed(e: RiftEnded) -> discord.Embed:
    embed = discord.Embed(title=TITLE, color=Palette.GREY)
    embed.description = (
        f"`{rules.hp_bar(e.hp, e.max_hp)}` **{e.hp:,}** / {e.max_hp:,} HP\n{ended_text(e)}"
    )
    return embed


class RiftButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rift:(?P<r>\d{1,20}):(?P<act>join|status|L[1-9])",
):
    """Join, Status, or one of the nine attacks under a rift's card."""

    def __init__(self, rift_id: int, action: str) -> None:
        attack = rules.find_attack(action) if action.startswith("L") else None
        if attack is not None:
            label, style = f"{attack.code} · {attack.name}", discord.ButtonStyle.danger
            row = 1 if int(attack.code[1:]) <= 5 else 2
        elif action == "join":
            label, style, row = "⚔️ Join", discord.ButtonStyle.success, 0
        else:
            label, style, row = "📜 Status", discord.ButtonStyle.secondary, 0
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=style, custom_id=f"rift:{rift_id}:{action}", row=row
            )
        )
        self.rift_id, self.action = rift_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RiftButton:
        return cls(int(match["r"]), match["act"])

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        client = interaction.client
        combat = client.app.combat  # type: ignore[attr-defined]
        guild, user = interaction.guild.id, interaction.user
        current = await combat.rift(guild)
        if not isinstance(current, Rift) or current.id != self.rift_id:
            await ui.say(interaction, "🌀 This rift is over: `rift` shows what is live.")
            return
        now = client.app.clock.now()  # type: ignore[attr-defined]
        if self.action == "status":
            await interaction.response.send_message(embed=card_embed(current, now), ephemeral=True)
            return
        if self.action == "join":
            joined = await combat.rift_join(guild, user.id, user.display_name)
            await interaction.response.edit_message(
                embed=card_embed(joined.rift, now), view=rift_view(joined.rift)
            )
            await interaction.followup.send(joined_text(joined))
            return
        hit = await combat.rift_attack(guild, user.id, self.action)
        await interaction.response.edit_message(
            embed=card_embed(hit.rift, now), view=rift_view(hit.rift)
        )
        if hit.settled is None:
            await interaction.followup.send(hit_text(hit), ephemeral=True)
            return
        await interaction.followup.send(hit_text(hit))
        await interaction.followup.send(settled_text(hit.settled))
        await announce_unlocked(client, interaction.channel, interaction.guild, hit.unlocked)


def rift_view(rift: Rift) -> ui.View | None:
    """The card's buttons (None once the rift is over)."""
    if not rift.open:
        return None
    view = ui.View(timeout=None)
    view.add_item(RiftButton(rift.id, "join"))
    view.add_item(RiftButton(rift.id, "status"))
    for attack in rules.ATTACKS:
        view.add_item(RiftButton(rift.id, attack.code))
    return view


async def announce_unlocked(
    client: Any, where: Any, guild: Any, unlocked: Sequence[ForMember]
) -> None:
    """Announce what the kill unlocked, each for the member it is about."""
    theirs: dict[int, list[Any]] = {}
    for n in unlocked:
        theirs.setdefault(n.user_id, []).append(n.notice)
    for user_id, notices in theirs.items():
        member = guild.get_member(user_id) if guild is not None else None
        if member is not None and where is not None:
            await ui.announce(client, where, member, notices)


async def edit_card(
    client: Any, channel_id: int | None, message_id: int | None, embed: discord.Embed
) -> bool:
    """The rift's card becomes `embed`, its buttons gone (a message that is gone: skipped)."""
    if channel_id is None or message_id is None:
        return False
    channel = client.get_channel(channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return False
    partial = getattr(channel, "get_partial_message", None)
    if partial is None:
        return False
    with contextlib.suppress(discord.HTTPException):
        await partial(message_id).edit(embed=embed, view=None)
        return True
    return False
