"""How combat looks on Discord: the weapon list (every weapon with its attacks, codes and the
damage they do for this member, what they hold and fight with), the fighting card, the
equip line and the duel tutorial."""

from __future__ import annotations

import discord

from chibot.discord.ui import Palette
from chibot.features.combat import engine, live
from chibot.features.combat.engine import Fight
from chibot.features.combat.live import Step
from chibot.features.combat.service import Arsenal, Challenge, Equipped, WeaponLine, attack_code

COLOR = Palette.RED


def _status(line: WeaponLine) -> str:
    if line.equipped:
        return "⚔️ fighting with it"
    if line.held is not None:
        return "✅ yours"
    if line.in_chest:
        return "📦 in your chest"
    return f"`buy {line.item.buy.code}`" if line.item.buy else "not sold"


def weapons_embed(arsenal: Arsenal, owner: str) -> discord.Embed:
    embed = discord.Embed(
        title=f"🗡️ Weapons · {owner}",
        description=(
            "Attack with a code (`attack VW1`) or the weapon and attack names. Damage shown is "
            f"yours: +5% per level, counting your level (up to 20, now "
            f"**{arsenal.fighter_level}**) and the weapon's upgrades."
        ),
        color=COLOR,
    )
    for line in arsenal.lines:
        effect = line.effect
        attacks = []
        for i, attack in enumerate(effect.attacks):
            low, high = arsenal.damage(line, attack)
            attacks.append(f"`{attack_code(effect, i)}` {attack.name} · {low}–{high}")
        level = f" · level {line.level}/{line.item.max_level}" if line.held is not None else ""
        price = f" · {line.item.buy.price:,} chi" if line.item.buy else ""
        embed.add_field(
            name=f"{line.item.emoji} {line.item.name} ({effect.code}){price}"[:256],
            value=(f"{_status(line)}{level}\n" + "\n".join(attacks))[:1024],
            inline=True,
        )
    embed.set_footer(text="equip <weapon> chooses the one you fight with · upgrade <weapon>")
    return embed


def card_embed(arsenal: Arsenal, owner: str) -> discord.Embed:
    embed = discord.Embed(title=f"⚔️ {owner}, ready to fight", color=COLOR)
    line = arsenal.equipped
    lines = [f"❤️ Max HP **{arsenal.max_hp:,}** · level **{arsenal.level}**"]
    if line is None:
        lines.append("🗡️ No weapon yet: the chi shop sells them (`weapons` lists them).")
    else:
        effect = line.effect
        lines.append(
            f"🗡️ {line.item.label} · level {line.level}/{line.item.max_level} · "
            f"+{5 * arsenal.levels(line)}% damage"
        )
        for i, attack in enumerate(effect.attacks):
            low, high = arsenal.damage(line, attack)
            lines.append(f"`{attack_code(effect, i)}` {attack.name} · {low}–{high}")
    lines.append("`weapons` · `equip <weapon>` · `spar @member` · `dueltutorial`")
    embed.description = "\n".join(lines)
    return embed


def equipped_text(done: Equipped) -> str:
    was = f" (instead of {done.before.name})" if done.before and done.before != done.item else ""
    return f"⚔️ You now fight with {done.item.label}, level {done.level}{was}."


TUTORIAL = (
    "⚔️ **How fights work**\n"
    "• **Your weapon**: `weapons` lists every weapon with its attacks and codes; you fight "
    "with the one you `equip`, or else your strongest. Buy them in `cshop`, raise them with "
    "`upgrade <weapon>`.\n"
    "• **Damage**: an attack rolls its range, +5% per level (your level up to 20, plus the "
    "weapon's upgrades); a hit may be critical or dodged.\n"
    "• **Your HP**: 250, plus the permanent HP of the rebirth shop.\n"
    "• **On your turn**: attack (`attack VW1`), `defend` (the next hit you take is halved, "
    "twice in a row at most), heal with a healing item you own (a few charges per fight), or "
    "forfeit. Turns and fights have time limits: an idle fighter loses.\n"
    "• **Sparring** works now: `spar @member` challenges them (they accept with `spar` and "
    "your name). Duels with stakes and training against NPCs arrive next."
)


# --- live fights -------------------------------------------------------------------------------


def _names(fight: Fight) -> dict[str, str]:
    return {f.id: f.name for f in fight.fighters}


def event_line(event: object, names: dict[str, str], fight: Fight) -> str | None:
    """One engine event as a line of the fight's log (None: nothing to show)."""
    name = names.get
    if isinstance(event, engine.DamageDealt):
        extra = (" · critical!" if event.crit else "") + (" · defended" if event.defended else "")
        who = f"**{name(event.source, event.source)}**" if event.source else event.label
        return (
            f"⚔️ {who} hits **{name(event.target, event.target)}** with {event.label} for "
            f"**{event.amount}**{extra} ({event.hp} HP left)"
        )
    if isinstance(event, engine.Dodged):
        return f"💨 **{name(event.target, event.target)}** dodges {event.label}."
    if isinstance(event, engine.Healed):
        return f"💚 **{name(event.target, event.target)}** heals **{event.amount}** with {event.label} ({event.hp} HP)."
    if isinstance(event, engine.Defended):
        return f"🛡️ **{name(event.actor, event.actor)}** defends: the next hit is halved."
    if isinstance(event, engine.EffectTicked):
        return f"🔥 {event.kind} deals **{event.amount}** to **{name(event.target, event.target)}** ({event.hp} HP)."
    if isinstance(event, engine.TurnSkipped):
        return f"💫 **{name(event.actor, event.actor)}** loses the turn ({event.kind})."
    if isinstance(event, engine.Forfeited):
        side = next((f.name for f in fight.fighters if f.side == event.side), event.side)
        why = "" if event.reason == "forfeit" else f" ({event.reason})"
        return f"🏳️ **{side}** forfeits{why}."
    if isinstance(event, engine.KO):
        return f"💀 **{name(event.fighter, event.fighter)}** is knocked out!"
    if isinstance(event, engine.MatchEnded):
        if event.winner is None:
            return "🤝 The fight ends in a tie."
        winner = next((f.name for f in fight.fighters if f.side == event.winner), event.winner)
        return f"🏆 **{winner}** wins the fight."
    return None


def step_text(step: Step) -> str:
    fight = step.fight
    names = _names(fight)
    lines = [line for e in step.events if (line := event_line(e, names, fight))]
    if not step.ended:
        hp = " · ".join(f"{f.name} {f.hp}/{f.max_hp} HP" for f in fight.fighters)
        deadline = live.deadline(fight)
        lines.append(
            f"{hp}\nYour turn, **{names[fight.whose_turn]}**: `attack <code>`, `defend`, "
            f"`heal <item>` or `forfeit` (before <t:{int(deadline.timestamp())}:R>)."
        )
    return "\n".join(lines)[:1900]


def challenge_text(challenge: Challenge, challenger: str) -> str:
    return (
        f"⚔️ **{challenger}** challenges **{challenge.name}** to a sparring match (no stakes). "
        f"{challenge.name}: type `spar {challenger}` to accept, "
        f"<t:{int(challenge.expires_at.timestamp())}:R>."
    )
