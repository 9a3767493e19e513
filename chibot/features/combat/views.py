"""How combat looks on Discord: the weapon list (every weapon with its attacks, codes and the
damage they do for this member, what they hold and fight with), the fighting card, the
equip line, the duel tutorial, a fight's log, and NPC training (the NPC table, the opening
and the reward or penalty at the end)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, plural
from chibot.features.combat import engine, live, stats
from chibot.features.combat.boss_fights import BossLine, BossResult
from chibot.features.combat.bosses import Boss
from chibot.features.combat.engine import Fight
from chibot.features.combat.live import Step
from chibot.features.combat.npcs import Npc
from chibot.features.combat.service import Arsenal, Challenge, Equipped, WeaponLine, attack_code
from chibot.features.combat.stats import CombatStats, DuelBoard
from chibot.features.combat.training import NpcLine, TrainingResult, results

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
            f"{line.item.label} · level {line.level}/{line.item.max_level} · "
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
    "• **Sparring**: `spar @member` challenges them (they accept with `spar` and "
    "your name).\n"
    "• **Training**: `train easy` (or dummy, medium, hard) fights an NPC that answers each of "
    "your turns; a win pays chi once per cooldown, losing or fleeing costs 50 chi. `train` "
    "lists them.\n"
    "• **Duels**: `duel @member 100` challenges with a stake both sides put in escrow; the "
    "winner takes both. Spectators bet with `duel bet <amount> @duelist` or the card's Bet "
    "buttons until the first action; winners share the pool less a 5% house cut. A tie, or a "
    "duel nobody fought, refunds everything."
)


# --- live fights -------------------------------------------------------------------------------


def _names(fight: Fight) -> dict[str, str]:
    return {f.id: f.name for f in fight.fighters}


EFFECT_NAMES = {"heal_block": "constricted", "weaken": "weakened", "empower": "empowered"}


def effect_name(kind: str) -> str:
    return EFFECT_NAMES.get(kind, kind)


def _effect_line(event: engine.EffectApplied, target: str) -> str:
    turns = plural(event.rounds, "round")
    return {
        "burn": f"🔥 **{target}** burns: {event.amount} a round for {turns}.",
        "poison": f"🧪 **{target}** is poisoned: {event.amount} a round for {turns}.",
        "weaken": f"🥀 **{target}** is weakened: −{event.amount}% damage.",
        "heal_block": f"⛓️ **{target}** is constricted: no healing for now.",
        "fear": f"😱 **{target}** is too scared to act next turn.",
        "stun": f"💫 **{target}** is stunned.",
        "empower": f"⚡ **{target}**'s next weapon hit deals +{event.amount}%.",
    }.get(event.kind, f"✨ **{target}**: {event.kind}.")


def _pet_hit(event: engine.DamageDealt, fight: Fight, names: dict[str, str]) -> str | None:
    """A pet's hit (its label is `<pet>: <move>`), or its recoil on its owner."""
    owner = fight.fighter(event.source) if event.source else None
    if owner is None or owner.pet is None or not event.label.startswith(f"{owner.pet.name}: "):
        return None
    move = event.label[len(owner.pet.name) + 2 :]
    if event.target == owner.id:
        return f"💥 **{names.get(owner.id)}** takes **{event.amount}** back from {move} ({event.hp} HP left)"
    extra = " · defended" if event.defended else ""
    return (
        f"🐾 **{names.get(owner.id)}**'s {owner.pet.name} hits **{names.get(event.target)}** "
        f"with {move} for **{event.amount}**{extra} ({event.hp} HP left)"
    )


def event_line(event: object, names: dict[str, str], fight: Fight) -> str | None:
    """One engine event as a line of the fight's log (None: nothing to show)."""
    name = names.get
    if isinstance(event, engine.DamageDealt) and (pet := _pet_hit(event, fight, names)):
        return pet
    if isinstance(event, engine.EffectApplied):
        return _effect_line(event, name(event.target, event.target))
    if isinstance(event, engine.HealingBlocked):
        return (
            f"⛓️ **{name(event.target, event.target)}** is constricted: {event.label} heals nothing."
        )
    if isinstance(event, engine.Cleansed):
        gone = ", ".join(effect_name(k) for k in event.kinds)
        return f"🍃 **{name(event.target, event.target)}** is cleansed ({gone})."
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
        icon = "🧪" if event.kind == "poison" else "🔥"
        return f"{icon} {event.kind} deals **{event.amount}** to **{name(event.target, event.target)}** ({event.hp} HP)."
    if isinstance(event, engine.TurnSkipped):
        why = "too scared" if event.kind == "fear" else event.kind
        return f"💫 **{name(event.actor, event.actor)}** loses the turn ({why})."
    if isinstance(event, engine.Forfeited):
        side = next((f.name for f in fight.fighters if f.side == event.side), event.side)
        why = "" if event.reason == "forfeit" else f" ({event.reason})"
        return f"🏳️ **{side}** forfeits{why}."
    if isinstance(event, engine.KO):
        return f"💀 **{name(event.fighter, event.fighter)}** is knocked out!"
    if isinstance(event, engine.TurnPassed):
        passer = fight.fighter(event.to)
        if passer is not None and passer.auto and passer.weapon is None and passer.standing:
            return f"🪵 **{passer.name}** just stands there."
        return None
    if isinstance(event, engine.MatchEnded):
        if event.winner is None:
            return "🤝 The fight ends in a tie."
        won = [ui.safe(f.name) for f in fight.fighters if f.side == event.winner]
        if len(won) > 1:  # a team's side
            return f"🏆 **{', '.join(won[:-1])}** and **{won[-1]}** win the fight."
        return f"🏆 **{won[0] if won else event.winner}** wins the fight."
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
    lines.extend(training_line(r) for r in results(step.notices))
    return "\n".join(lines)[:1900]


def challenge_text(challenge: Challenge, challenger: str) -> str:
    return (
        f"⚔️ **{challenger}** challenges **{challenge.name}** to a sparring match (no stakes). "
        f"{challenge.name}: press Accept (or type `spar {challenger}`) "
        f"<t:{int(challenge.expires_at.timestamp())}:R>."
    )


# --- stats and the duel board ------------------------------------------------------------------

MEDALS = {1: "👑", 2: "🥈", 3: "🥉"}


def _record(record: stats.Record) -> str:
    return f"**{record.wins:,}** W · **{record.losses:,}** L · **{record.ties:,}** T"


def _rate(record: stats.Record) -> str:
    rate = record.win_rate
    return "—" if rate is None else f"{rate:.0%}"


def stats_embed(result: CombatStats, owner: str) -> discord.Embed:
    """`fight stats`: a member's record in this server, by mode, and the weapon they use."""
    embed = discord.Embed(title=f"📊 {owner}'s combat stats", color=COLOR)
    weapon = result.weapon.text if result.weapon is not None else "none yet (`weapons`)"
    if not result.fought:
        embed.description = (
            f"**{owner}** hasn't fought here yet. `spar @member` starts a friendly match "
            f"(no stakes); `dueltutorial` tells how fights work.\n🗡️ Weapon: {weapon}"
        )
        return embed
    duel = result.duel
    embed.add_field(
        name="⚔️ Duels",
        value=f"{_record(duel)}\nWin rate {_rate(duel)} · streak **{result.duel_streak}** "
        f"(best **{result.duel_best_streak}**)",
        inline=False,
    )
    embed.add_field(
        name="🤺 Sparring",
        value=f"{_record(result.spar)} · win rate {_rate(result.spar)}",
        inline=False,
    )
    embed.add_field(
        name="🥋 NPC training",
        value=f"{_record(result.training)} · win rate {_rate(result.training)}",
        inline=False,
    )
    embed.add_field(
        name="🏆 Tournaments",
        value=f"**{result.tournament_wins:,}** matches won · "
        f"**{result.tournaments_won:,}** tournaments won",
        inline=False,
    )
    embed.add_field(name="🗡️ Weapon", value=weapon, inline=False)
    embed.set_footer(text="This server only · fight leaderboard ranks the duelists")
    return embed


def duel_board_embed(board: DuelBoard, guild: discord.Guild, viewer_id: int) -> discord.Embed:
    embed = discord.Embed(title=f"⚔️ Duel leaderboard · {ui.safe(guild.name)}", color=Palette.GOLD)
    lines = []
    for row in board.rows:
        marker = MEDALS.get(row.rank, f"`#{row.rank}`")
        name = ui.member_name(guild, row.user_id)
        ties = f" · {row.ties:,} T" if row.ties else ""
        me = " ← you" if row.user_id == viewer_id else ""
        lines.append(f"{marker} **{name}**: {row.wins:,} W · {row.losses:,} L{ties}{me}")
    embed.description = "\n".join(lines) or (
        "Nobody has fought a duel here yet: be the first (`dueltutorial` tells how)."
    )
    footer = f"Page {board.page}/{board.pages}"
    if board.viewer is not None:
        v = board.viewer
        footer += f" · Your rank: #{v.rank:,} ({v.wins:,} W · {v.losses:,} L)"
    else:
        footer += " · You have no duel counted yet"
    embed.set_footer(text=footer)
    return embed


class DuelBoardButton(ui.PageButton, prefix="fight:lb"):
    """A page of the duel board, for whoever presses (with their own rank); "My rank" opens
    the presser's own page."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, *, page: int, tag: str = "page"
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        board = await viewer.bot.app.combat.duel_board(
            viewer.guild.id, viewer.user.id, page, mine=tag == "me"
        )
        return duel_board_embed(board, viewer.guild, viewer.user.id), duel_board_view(board)

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = await self.render(ui.Viewer.of(interaction), page=self.page, tag=self.tag)
        await interaction.response.edit_message(embed=embed, view=view)


def duel_board_view(board: DuelBoard) -> ui.View | None:
    if board.pages <= 1:
        return None
    view = DuelBoardButton.controls(page=board.page, pages=board.pages, ends=True)
    if board.viewer is not None:
        mine = -(-board.viewer.rank // stats.PAGE_SIZE)
        view.add_item(DuelBoardButton(mine, "My rank", "me", disabled=mine == board.page))
    return view


# --- NPC training ------------------------------------------------------------------------------


def _when(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:R>"


def _hit(npc: Npc) -> str:
    return f"{npc.hit.min}–{npc.hit.max}" if npc.hit is not None else "never attacks"


def _cooldown(npc: Npc) -> str:
    minutes = npc.cooldown_minutes
    if minutes <= 0:
        return "no reward"
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def npcs_embed(lines: tuple[NpcLine, ...], owner: str) -> discord.Embed:
    """The NPC table: HP, hit, reward and its cooldown, the penalty, and when each reward is
    ready for this member."""
    embed = discord.Embed(
        title=f"🥋 Training · {owner}",
        description=(
            "`train <npc>` fights one: it answers each of your turns. A win pays its reward at "
            "most once per cooldown; losing, forfeiting or an idle turn costs its penalty "
            "(never more than you have)."
        ),
        color=COLOR,
    )
    for line in lines:
        npc = line.npc
        if npc.reward <= 0:
            ready = "practice only"
        elif line.ready_at is None:
            ready = "✅ reward ready"
        else:
            ready = f"⏳ reward ready {_when(line.ready_at)}"
        stakes = f"+{npc.reward:,} chi every {_cooldown(npc)}" if npc.reward > 0 else "no reward"
        lose = f" · lose −{npc.penalty} chi" if npc.penalty > 0 else " · nothing to lose"
        embed.add_field(
            name=f"{npc.label} · `train {npc.key}`"[:256],
            value=(f"{npc.description}\n❤️ {npc.hp:,} HP · ⚔️ {_hit(npc)}\n{stakes}{lose}\n{ready}")[
                :1024
            ],
            inline=False,
        )
    return embed


def training_opening(npc: Npc, step: Step, member: str) -> str:
    """The first message of a training fight: who, the stakes, then the fight's log."""
    return f"{training_head(npc, member)}\n{step_text(step)}"[:1900]


def training_head(npc: Npc, member: str) -> str:
    """Who trains against whom, and what is at stake (above the fight card)."""
    stakes = f"win: +{npc.reward:,} chi" if npc.reward > 0 else "practice, no reward"
    lose = f", lose or flee: −{npc.penalty} chi" if npc.penalty > 0 else ""
    hits = f"hits {_hit(npc)}" if npc.hit is not None else _hit(npc)
    return (
        f"🥋 **{member}** trains against {npc.emoji} **{npc.name}** "
        f"({npc.hp:,} HP, {hits}; {stakes}{lose})."
    )


def training_line(result: TrainingResult) -> str:
    """The end of a training fight: the reward, the cooldown or the penalty."""
    npc = result.npc
    if result.outcome == "win":
        if result.reward > 0:
            again = f" (next reward {_when(result.ready_at)})" if result.ready_at else ""
            return f"💰 **+{result.reward:,} chi** for beating {npc.label}{again}."
        if result.on_cooldown and result.ready_at is not None:
            return (
                f"⏳ The win counts, but {npc.label}'s reward was won already: it is ready "
                f"again {_when(result.ready_at)}."
            )
        return f"🏅 {npc.label} is beaten: practice only, no reward."
    if result.outcome == "tie":
        return "🤝 A tie: nothing won, nothing lost."
    how = "You fled" if result.outcome == "fled" else f"{npc.label} wins this time"
    if result.penalty > 0:
        return f"💸 {how}: **−{result.penalty:,} chi**."
    if npc.penalty > 0:
        return f"💸 {how}: you had no chi to lose."
    return f"🏳️ {how}: nothing lost."


# --- boss fights ---------------------------------------------------------------------------------


def _entry(boss: Boss, keys_held: int) -> str:
    if boss.entry_key is None:
        return f"enter: {boss.entry_chi:,} chi"
    return f"enter: 1 key ({keys_held:,} held)"


def bosses_embed(lines: tuple[BossLine, ...], owner: str, items: Any) -> discord.Embed:
    """`boss list`: each boss with its HP, hit, special, what entering costs, the reward and
    when this member may fight it again."""
    embed = discord.Embed(
        title=f"👹 Bosses · {owner}",
        description=(
            "`boss fight <boss>` enters (chi for the first, then the key the boss before "
            "dropped). A win pays its reward and drops, then the boss rests for you a while; "
            "a defeat or a flight costs 100 chi (never more than you have)."
        ),
        color=COLOR,
    )
    for line in lines:
        b = line.boss
        ready = "✅ ready" if line.ready_at is None else f"⏳ again {_when(line.ready_at)}"
        key = f" · key: {items.get(b.entry_key).label}" if b.entry_key else ""
        found = ", ".join(items.get(d.item).name for d in b.drops) or "nothing"
        embed.add_field(
            name=f"{b.label} · `boss fight {b.key}`"[:256],
            value=(
                f"{b.description}\n❤️ {b.hp:,} HP · ⚔️ {b.hit.min}–{b.hit.max} · ✨ "
                f"{b.special.name}\n{_entry(b, line.keys_held)}{key} · win: +{b.reward:,} chi, "
                f"{found} · rests {b.cooldown_hours} h\n{ready}"
            )[:1024],
            inline=False,
        )
    return embed


def boss_line(result: BossResult) -> str:
    """The end of a boss fight: the reward and drops, or the penalty."""
    boss = result.boss
    if result.outcome == "win":
        found = ", ".join(result.found)
        again = f" You can fight it again {_when(result.ready_at)}." if result.ready_at else ""
        return (
            f"💰 **+{result.reward:,} chi** for beating {boss.label}"
            f"{': ' + found if found else ''}.{again}"
        )
    if result.outcome == "tie":
        return "🤝 A tie: nothing won, nothing lost (the entry is spent)."
    how = "You fled" if result.outcome == "fled" else f"{boss.label} wins this time"
    if result.penalty > 0:
        return f"💸 {how}: **−{result.penalty:,} chi**."
    return f"💸 {how}: you had no chi to lose."


def boss_head(boss: Boss, member: str) -> str:
    """Who fights which boss, and what is at stake (above the fight card)."""
    return (
        f"👹 **{member}** challenges {boss.emoji} **{boss.name}** ({boss.hp:,} HP, hits "
        f"{boss.hit.min}–{boss.hit.max}, ✨ {boss.special.name}; win: +{boss.reward:,} chi and "
        "its drops, lose or flee: −100 chi)."
    )


# --- boss stats and boards ---------------------------------------------------------------------


def _took(seconds: int) -> str:
    if seconds <= 0:
        return "—"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def boss_stats_embed(result: Any, owner: str) -> discord.Embed:
    """`boss stats`: a member's bosses beaten (each with its best time), raids, team duels and
    the rift, in this server."""
    v = result.values
    embed = discord.Embed(title=f"👹 {owner}'s boss stats", color=COLOR)
    parts = (
        (f"Solo bosses · {v['bosses_defeated']:,} beaten · {v['boss_losses']:,} lost", result.solo),
        (
            f"Raids · {v['team_bosses_defeated']:,} won · {v['team_boss_losses']:,} lost",
            result.team,
        ),
    )
    for title, rows in parts:
        lines = "\n".join(
            f"{label}: **{wins:,}** won · best {_took(best)}" for label, wins, best in rows
        )
        embed.add_field(name=title, value=lines[:1024], inline=False)
    embed.add_field(
        name="🛡️ Team duels",
        value=f"**{v['team_duel_wins']:,}** W · {v['team_duel_losses']:,} L · "
        f"{v['team_duel_ties']:,} T",
        inline=False,
    )
    embed.add_field(
        name="🌀 The rift",
        value=f"**{v['rift_damage']:,}** damage dealt · best rift {v['rift_best_damage']:,} · "
        f"{plural(v['rifts_defeated'], 'rift')} closed",
        inline=False,
    )
    embed.set_footer(text="This server only · boss board [kills|rift|<boss>] ranks the server")
    return embed


def boss_board_embed(
    board: stats.CounterBoard, title: str, guild: discord.Guild, viewer_id: int
) -> discord.Embed:
    timed = board.kind not in ("kills", "rift")
    fmt = _took if timed else (lambda n: f"{n:,}")
    embed = discord.Embed(title=f"{title} · {ui.safe(guild.name)}"[:256], color=Palette.GOLD)
    lines = []
    for row in board.rows:
        marker = MEDALS.get(row.rank, f"`#{row.rank}`")
        me = " ← you" if row.user_id == viewer_id else ""
        lines.append(f"{marker} **{ui.member_name(guild, row.user_id)}**: {fmt(row.value)}{me}")
    embed.description = "\n".join(lines) or "Nobody is on this board yet: be the first."
    footer = f"Page {board.page}/{board.pages}"
    if board.viewer is not None:
        footer += f" · Your rank: #{board.viewer.rank:,} ({fmt(board.viewer.value)})"
    embed.set_footer(text=footer + " · boss board kills|rift|<boss>")
    return embed


class BossBoardButton(ui.PageButton, prefix="boss:lb", state={"kind": r"[a-z]{1,16}"}):
    """A page of a boss board, for whoever presses (with their own rank)."""

    kind: str  # the board (`CombatService.board_kinds`), from the custom id

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, kind: str = "kills", *, page: int, tag: str = "page"
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        combat = viewer.bot.app.combat
        kinds = combat.board_kinds()
        kind = kind if kind in kinds else "kills"
        board = await combat.boss_board(viewer.guild.id, viewer.user.id, kind, page)
        embed = boss_board_embed(board, kinds[kind][0], viewer.guild, viewer.user.id)
        view = None
        if board.pages > 1:
            view = cls.controls(kind, page=board.page, pages=board.pages, ends=True)
        return embed, view

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = await self.render(
            ui.Viewer.of(interaction), self.kind, page=self.page, tag=self.tag
        )
        await interaction.response.edit_message(embed=embed, view=view)
