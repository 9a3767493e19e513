"""The fight card: one message per live fight, edited as the fight goes, with the buttons of
what the fighter on turn may do (their weapon's attacks, defend, each healing item with
charges left, forfeit, and their pet's moves when it is fed and rested) and, in a duel whose
bets are open, a Bet button for each duelist.

Every button is restart-proof (the kit's sealed `DynamicItem`): its custom id names the fight,
the fight's version when the card was drawn and the action, so a press after a restart still
acts, and a press on an old card (the fight moved on) is told so instead of acting on a turn it
did not see. The engine decides whose turn it is: anyone may press, only the fighter on turn
acts (forfeit: any fighter, any time). Text commands (`attack`, `defend`, `fight heal`,
`forfeit`) post a fresh card, which becomes the one the fight shows; the old card loses its
buttons. When the scheduler ends a fight (an idle turn, the match limit), its card is edited
to say how (`live.on_expired_notices`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from chibot.discord import ui
from chibot.discord.ui import Palette, plural, safe
from chibot.features.combat import engine, live
from chibot.features.combat.boss_fights import boss_results
from chibot.features.combat.duels import BetPlaced, DuelChallenge, DuelResult
from chibot.features.combat.engine import Fight
from chibot.features.combat.live import Step
from chibot.features.combat.team_fights import team_results
from chibot.features.combat.team_views import team_result_line
from chibot.features.combat.training import results
from chibot.features.combat.views import boss_line, effect_name, event_line, training_line

TITLES = {
    "duel": "⚔️ Duel", "spar": "🥋 Sparring", "training": "🎯 Training", "boss": "👹 Boss",
    "team_duel": "🛡️ Team duel", "team_boss": "🐉 Raid",
}  # fmt: skip
BET_AMOUNTS = (50, 100, 500, 1_000)
LOG_LINES = 8


def _bar(hp: int, most: int, width: int = 10) -> str:
    full = round(width * hp / most) if most else 0
    if hp > 0:
        full = max(full, 1)
    return "█" * full + "░" * (width - full)


def _names(fight: Fight) -> dict[str, str]:
    return {f.id: safe(f.name) for f in fight.fighters}


def fight_embed(step: Step, *, log: list[str] | None = None) -> discord.Embed:
    """The card: the latest events, each fighter's HP, whose turn it is and until when, and
    how the fight ended (stakes and bets paid) once it did."""
    fight = step.fight
    names = _names(fight)
    sides: dict[str, list[str]] = {}
    for f in fight.fighters:
        sides.setdefault(f.side, []).append(names[f.id])
    vs = " vs ".join(", ".join(team) for team in sides.values())
    embed = discord.Embed(
        title=f"{TITLES.get(fight.mode.name, '⚔️ Fight')} · {vs}"[:256],
        color=Palette.RED if not step.ended else Palette.GOLD,
    )
    lines = log if log is not None else [
        line for e in step.events if (line := event_line(e, names, fight))
    ]  # fmt: skip
    for fighter in fight.fighters:
        weapon = f" · 🗡️ {fighter.weapon.name}" if fighter.weapon else ""
        state = " · 💀" if fighter.down else (" · 🏳️" if fighter.out else "")
        shield = " · 🛡️" if fighter.defending else ""
        effects = "".join(f" · {effect_name(e.kind)} {e.rounds}" for e in fighter.effects)
        embed.add_field(
            name=f"{names[fighter.id]}{state}"[:256],
            value=f"`{_bar(fighter.hp, fighter.max_hp)}` {fighter.hp}/{fighter.max_hp} HP"
            f"{weapon}{shield}{effects}{_pet(fighter)}"[:1024],
            inline=True,
        )
    body = list(lines[-LOG_LINES:])
    result = next((n for n in step.notices if isinstance(n, DuelResult)), None)
    if result is not None:
        body.extend(result_lines(result, fight))
    body.extend(training_line(r) for r in results(step.notices))
    body.extend(boss_line(r) for r in boss_results(step.notices))
    body.extend(team_result_line(r) for r in team_results(step.notices))
    if not step.ended:
        due = int(live.deadline(fight).timestamp())
        body.append(
            f"\n👉 **{names[fight.whose_turn]}**'s turn · round {fight.round} · "
            f"acts before <t:{due}:R> or forfeits"
        )
        if fight.mode.name == "duel":
            body.append("🎲 Bets are open until the first action." if not step.acted else "")
    embed.description = "\n".join(x for x in body if x)[:4000] or "The fight begins."
    team = fight.mode.name in ("team_duel", "team_boss")
    embed.set_footer(
        text="The member on turn acts, or their team's leader for them · tduel/tboss attack · "
        "defend · heal · forfeit (leaders)"
        if team
        else "attack <code> · pet attack P# · defend · fight heal <item> · forfeit · dueltutorial"
    )
    return embed


def _pet(fighter: engine.Fighter) -> str:
    pet = fighter.pet
    if pet is None:
        return ""
    if not pet.fed:
        return f"\n🐾 {pet.name} (starving: won't fight)"
    return f"\n🐾 {pet.name} ({'ready' if pet.rest == 0 else 'resting'})"


def pet_ready(fight: Fight, fighter: engine.Fighter | None) -> bool:
    """Whether the fighter on turn may send their pet now (the card's pet buttons)."""
    pet = fighter.pet if fighter is not None else None
    return "pets" in fight.mode.allows and pet is not None and pet.fed and pet.rest == 0


async def announce_step(client: Any, where: Any, author: discord.abc.User, step: Step) -> None:
    """Announce what a step unlocked, each for the member it is about (`live.ForMember`)."""
    mine = [n for n in step.notices if not isinstance(n, live.ForMember)]
    theirs: dict[int, list[Any]] = {}
    for n in step.notices:
        if isinstance(n, live.ForMember):
            theirs.setdefault(n.user_id, []).append(n.notice)
    if mine:
        await ui.announce(client, where, author, mine)
    guild = getattr(where, "guild", None)
    for user_id, notices in theirs.items():
        member = guild.get_member(user_id) if guild is not None else None
        if member is None and user_id == author.id:
            member = author
        if member is not None:
            await ui.announce(client, where, member, notices)


def result_lines(result: DuelResult, fight: Fight) -> list[str]:
    names = {f.id: safe(f.name) for f in fight.fighters}
    lines = []
    if result.cancelled:
        lines.append("⌛ Nobody acted: the duel is called off, everything is refunded.")
    elif result.stake:
        if result.winner_id is None:
            lines.append(f"🤝 A tie: both stakes of {result.stake:,} chi are refunded.")
        else:
            lines.append(
                f"💰 **{names.get(str(result.winner_id), 'The winner')}** takes the stakes: "
                f"**{2 * result.stake:,}** chi."
            )
    if result.bettors:
        split = result.bets
        if split.refunded:
            lines.append(f"🎲 {plural(result.bettors, 'bet')} ({result.pool:,} chi) refunded.")
        else:
            lines.append(
                f"🎲 {len(split.payouts):,} of {plural(result.bettors, 'bet')} won: **{split.paid:,}** "
                f"chi paid from a pool of {result.pool:,} (house cut {split.house:,})."
            )
    return lines


def fight_view(step: Step) -> ui.View | None:
    """The buttons of what the fighter on turn may do (None once the fight is over)."""
    fight = step.fight
    if step.ended:
        return None
    view = ui.View(timeout=None)
    current = fight.fighter(fight.whose_turn)
    if current is not None and current.weapon is not None:
        for attack in current.weapon.attacks[:5]:
            view.add_item(FightButton(fight.id, fight.version, attack.code, attack.name))
    view.add_item(FightButton(fight.id, fight.version, "def", "Defend"))
    if current is not None:
        for i, kit in enumerate(current.heals):
            if kit.charges > 0 and i < 3:
                view.add_item(
                    FightButton(fight.id, fight.version, f"h{i}", f"{kit.name} ×{kit.charges}")
                )
    view.add_item(FightButton(fight.id, fight.version, "ff", "Forfeit"))
    if current is not None and current.pet is not None and pet_ready(fight, current):
        for i, move in enumerate(current.pet.moves[:5]):
            view.add_item(
                FightButton(fight.id, fight.version, f"pet{i + 1}", f"{move.code} · {move.name}")
            )
    if fight.mode.name == "duel" and not step.acted:
        for fighter in fight.fighters:
            view.add_item(BetButton(fight.id, int(fighter.id), fighter.name))
    return view


def _command(fight: Fight, user_id: int, action: str) -> Any:
    me = str(user_id)
    if action == "def":
        return engine.Defend(me)
    if action == "ff":
        return engine.Forfeit(me)
    fighter = fight.fighter(me)
    on_turn = fight.fighter(fight.whose_turn)
    if fighter is not None and on_turn is not None and on_turn.side == fighter.side:
        fighter = on_turn  # a team's leader acting for the teammate on turn: their pet, kits
    if action.startswith("pet") and action[3:].isdigit():
        moves = fighter.pet.moves if fighter is not None and fighter.pet is not None else ()
        index = int(action[3:]) - 1
        return engine.PetAttack(me, moves[index].code if 0 <= index < len(moves) else action)
    if action.startswith("h") and action[1:].isdigit():
        kits = fighter.heals if fighter is not None else ()
        index = int(action[1:])
        return engine.Heal(me, kits[index].item if index < len(kits) else action)
    return engine.Attack(me, action)


class FightButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"fight:(?P<fight>\d{1,20}):(?P<v>\d{1,9}):(?P<act>[A-Za-z0-9]{1,8})",
):
    """One action on the fight card; the engine checks it is the presser's to take."""

    STYLES: dict[str, discord.ButtonStyle] = {
        "def": discord.ButtonStyle.secondary,
        "ff": discord.ButtonStyle.danger,
    }

    def __init__(self, fight_id: str, version: int, action: str, label: str = "") -> None:
        style = self.STYLES.get(action, discord.ButtonStyle.success if action.startswith("h")
                                else discord.ButtonStyle.primary)  # fmt: skip
        pet = action.startswith("pet")
        text = {"def": "🛡️ Defend", "ff": "🏳️ Forfeit"}.get(action, label or action)
        if pet:
            text, style = f"🐾 {label or action}", discord.ButtonStyle.secondary
        elif action not in ("def", "ff") and not action.startswith("h"):
            text = f"{action} · {label}" if label else action
        elif action.startswith("h"):
            text = f"💚 {label}"
        row = 3 if pet else 1 if action in ("def", "ff") or action.startswith("h") else 0
        super().__init__(
            discord.ui.Button(
                label=text[:80], style=style, custom_id=f"fight:{fight_id}:{version}:{action}",
                row=row,
            )
        )  # fmt: skip
        self.fight_id, self.version, self.action = fight_id, version, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FightButton:
        return cls(match["fight"], int(match["v"]), match["act"])

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        guild, user = interaction.guild.id, interaction.user.id
        fight = await combat.fight_by_id(guild, self.fight_id)
        if fight is None:
            await ui.say(interaction, "This fight is over.")
            return
        if fight.version != self.version and self.action != "ff":
            await ui.say(interaction, "The fight moved on since this card: use the newest one.")
            return
        step = await combat.act(guild, user, _command(fight, user, self.action))
        await interaction.response.edit_message(embed=fight_embed(step), view=fight_view(step))
        await announce_step(interaction.client, interaction.channel, interaction.user, step)
        if step.ended and step.fight.mode.name == "tournament":  # results, the next matches
            from chibot.features.combat.tournament_views import follow_up

            await follow_up(interaction.client, interaction.channel, guild, step.notices)


class BetButton(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"fight:bet:(?P<fight>\d{1,20}):(?P<on>\d{1,20})",
):
    """🎲 Bet on a duelist: shows the presser a choice of amounts (only they see it)."""

    def __init__(self, fight_id: str, on_id: int, on_name: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=f"🎲 Bet on {on_name}"[:80] if on_name else "🎲 Bet",
                style=discord.ButtonStyle.secondary,
                custom_id=f"fight:bet:{fight_id}:{on_id}", row=2,
            )
        )  # fmt: skip
        self.fight_id, self.on_id = fight_id, on_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BetButton:
        return cls(match["fight"], int(match["on"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        fight = await combat.fight_by_id(interaction.guild.id, self.fight_id)
        backed = fight.fighter(str(self.on_id)) if fight is not None else None
        if backed is None:
            await ui.say(interaction, "This duel is over.")
            return
        view = ui.View(owner_id=interaction.user.id, timeout=None)
        for amount in BET_AMOUNTS:
            view.add_item(BetAmount(self.fight_id, self.on_id, amount))
        await interaction.response.send_message(
            f"🎲 How much on **{safe(backed.name)}**? Bets are escrowed now and close at the "
            f"first action; winners share the pool less a 5% house cut. Any amount: "
            f"`duel bet <amount> @{safe(backed.name)}`.",
            view=view, ephemeral=True,
        )  # fmt: skip


class BetAmount(
    ui.DynamicItem[discord.ui.Button[Any]],
    template=r"fight:stake:(?P<fight>\d{1,20}):(?P<on>\d{1,20}):(?P<amount>\d{1,6})",
):
    """One amount of the bet choice."""

    def __init__(self, fight_id: str, on_id: int, amount: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"{amount:,} chi", style=discord.ButtonStyle.primary,
                custom_id=f"fight:stake:{fight_id}:{on_id}:{amount}",
            )
        )  # fmt: skip
        self.fight_id, self.on_id, self.amount = fight_id, on_id, amount

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BetAmount:
        return cls(match["fight"], int(match["on"]), int(match["amount"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        placed = await combat.bet(
            interaction.guild.id, interaction.user.id, self.amount, self.on_id, "that member"
        )
        await interaction.response.edit_message(content=bet_text(placed), view=None)


def bet_text(placed: BetPlaced) -> str:
    return (
        f"🎲 You bet **{placed.amount:,}** chi on **{safe(placed.on)}** (you have "
        f"{placed.balance:,} left). The pool: {placed.pool:,} chi from "
        f"{placed.bettors:,} bettor{'s' if placed.bettors != 1 else ''}."
    )


def challenge_text(challenge: DuelChallenge) -> str:
    stake = (
        f" for **{challenge.stake:,}** chi each (yours is in escrow; the winner takes "
        f"{2 * challenge.stake:,})"
        if challenge.stake
        else " (no stake)"
    )
    return (
        f"⚔️ **{safe(challenge.challenger)}** challenges **{safe(challenge.target)}** to a "
        f"duel{stake}. {safe(challenge.target)}: accept or decline "
        f"<t:{int(challenge.expires_at.timestamp())}:R> (or `duel accept` / `duel deny`)."
    )


class _ChallengeAnswer(ui.DynamicItem[discord.ui.Button[Any]]):
    """Accept / Decline under a challenge (`PREFIX:ans:<challenger>:<target>:<y|n>`): only
    the challenged member may press. Subclasses give the template and the callback."""

    PREFIX: ClassVar[str] = ""
    not_owner = "This challenge is for someone else."

    def __init__(self, challenger_id: int, target_id: int, accept: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Accept" if accept else "Decline",
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
                custom_id=f"{self.PREFIX}:ans:{challenger_id}:{target_id}:{'y' if accept else 'n'}",
            )
        )
        self.challenger_id, self.owner_id, self.accept = challenger_id, target_id, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> _ChallengeAnswer:
        return cls(int(match["by"]), int(match["to"]), match["yes"] == "y")

    @classmethod
    def answers(cls, challenger_id: int, target_id: int) -> ui.View:
        view = ui.View(timeout=None)
        view.add_item(cls(challenger_id, target_id, True))
        view.add_item(cls(challenger_id, target_id, False))
        return view

    @staticmethod
    async def show_fight(interaction: discord.Interaction, step: Step) -> None:
        """The challenge's message becomes the fight's card."""
        assert interaction.guild is not None and interaction.message is not None
        await interaction.response.edit_message(
            content=None, embed=fight_embed(step), view=fight_view(step)
        )
        await interaction.client.app.combat.attach_fight(  # type: ignore[attr-defined]
            interaction.guild.id, step.fight.id, interaction.message.channel.id,
            interaction.message.id,
        )  # fmt: skip


class DuelAnswer(
    _ChallengeAnswer,
    template=r"duel:ans:(?P<by>\d{1,20}):(?P<to>\d{1,20}):(?P<yes>[yn])",
):
    """Accept / Decline under a duel challenge."""

    PREFIX = "duel"

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        user = interaction.user
        result = await combat.answer_duel(
            interaction.guild.id, user.id, user.display_name, self.challenger_id,
            accept=self.accept,
        )  # fmt: skip
        if not isinstance(result, Step):
            await interaction.response.edit_message(content=declined_text(result), view=None)
            return
        await self.show_fight(interaction, result)


def challenge_view(challenge: DuelChallenge) -> ui.View:
    return DuelAnswer.answers(challenge.challenger_id, challenge.target_id)


def declined_text(declined: Any) -> str:
    back = f" The {declined.stake:,} chi stake went back to them." if declined.stake else ""
    return f"**{safe(declined.target)}** declined **{safe(declined.challenger)}**'s duel.{back}"


class SparAnswer(
    _ChallengeAnswer,
    template=r"spar:ans:(?P<by>\d{1,20}):(?P<to>\d{1,20}):(?P<yes>[yn])",
):
    """Accept / Decline under a sparring challenge."""

    PREFIX = "spar"

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None and interaction.message is not None
        combat = interaction.client.app.combat  # type: ignore[attr-defined]
        guild, user = interaction.guild, interaction.user
        challenger = guild.get_member(self.challenger_id)
        name = challenger.display_name if challenger is not None else "your challenger"
        if not self.accept:
            if not await combat.decline_spar(guild.id, user.id, self.challenger_id):
                await ui.say(interaction, "This challenge has expired or was answered.")
                return
            await interaction.response.edit_message(
                content=f"**{safe(user.display_name)}** declined the sparring match.", view=None
            )
            return
        result = await combat.challenge_spar(
            guild.id, user.id, user.display_name, self.challenger_id, name
        )
        if not isinstance(result, Step):  # it had expired: this press is a new challenge
            await interaction.response.edit_message(
                content=f"That challenge had expired: **{safe(user.display_name)}** challenges "
                f"**{safe(name)}** instead (`spar` and their name to accept).",
                view=None,
            )
            return
        await self.show_fight(interaction, result)


def spar_view(challenger_id: int, target_id: int) -> ui.View:
    return SparAnswer.answers(challenger_id, target_id)


DYNAMIC_ITEMS = (FightButton, BetButton, BetAmount, DuelAnswer, SparAnswer)
