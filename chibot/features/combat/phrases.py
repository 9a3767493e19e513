"""How combat's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import typed
from chibot.discord.wording import Phrase


def _in_turns(turns: int) -> str:
    return "on your next turn" if turns <= 1 else f"in {turns:,} of your turns"


PHRASES: dict[str, Phrase] = {
    "combat.not_in_fight": lambda e: "You are not in this fight.",
    "combat.over": lambda e: "This fight is over.",
    "combat.time_up": lambda e: "This fight's time is up: it is being settled.",
    "combat.not_your_turn": lambda e: f"It is **{e.whose}**'s turn, not yours.",
    "combat.you_are_down": lambda e: "You are knocked out: you can't act any more this fight.",
    "combat.no_weapon": lambda e: "You have no weapon in this fight.",
    "combat.unknown_attack": lambda e: (
        f"**{e.weapon}** has no attack called **{typed(e.text)}**: try {e.attacks}."
    ),
    "combat.ambiguous_attack": lambda e: (
        f"**{typed(e.text)}** could be {e.options}: say which (or use its code)."
    ),
    "combat.bad_target": lambda e: (
        f"You can't target **{typed(e.text)}**: pick a fighter of the other side still standing."
    ),
    "combat.unknown_heal": lambda e: (
        f"You didn't bring **{typed(e.text)}** to this fight: you brought {e.kits}."
    ),
    "combat.no_charges": lambda e: f"**{e.item}** has no charges left in this fight.",
    "combat.defend_limit": lambda e: (
        f"You can defend at most **{e.most}** times in a row: attack or heal now."
    ),
    "combat.not_in_mode": lambda e: f"{e.what} can't be used in a **{e.mode}** fight.",
    "combat.no_pet_here": lambda e: (
        "You brought no pet to this fight: the pet that is active when a fight starts joins it."
    ),
    "combat.pet_starving": lambda e: (
        f"**{e.pet}** is starving and won't fight: feed it (`pet feed`) before your next fight."
    ),
    "combat.pet_resting": lambda e: (
        f"**{e.pet}** is catching its breath: it can act again {_in_turns(e.turns)}."
    ),
    "combat.unknown_pet_move": lambda e: (
        f"**{e.pet}** has no attack **{typed(e.text)}**: try {e.moves}."
    ),
    "combat.heal_blocked": lambda e: (
        f"You are constricted and can't heal: it wears off {_in_turns(e.turns)}."
    ),
    "combat.unknown_weapon": lambda e: (
        f"There is no weapon called **{typed(e.text)}**. `weapons` lists them."
    ),
    "combat.not_a_weapon": lambda e: f"**{e.item}** is not a weapon: `weapons` lists them.",
    "combat.weapon_not_held": lambda e: (
        f"You don't have a **{e.item}**: it is sold in the chi shop (`buy {e.code}`)."
    ),
    "combat.weapon_in_chest": lambda e: (
        f"Your **{e.item}** is in your chest: `chest take {e.item}` first."
    ),
    "combat.already_fighting": lambda e: f"**{e.who}** is already in a fight here.",
    "combat.no_fight": lambda e: (
        "You are not in a fight here: `duel @member` or `spar @member` challenges someone, "
        "`train easy` fights an NPC."
    ),
    "combat.self_fight": lambda e: "You can't fight yourself: name another member.",
    "combat.challenge_pending": lambda e: (
        f"You already challenged **{e.who}**: they accept by typing `spar` and your name."
    ),
    "combat.no_challenge": lambda e: (
        "No duel challenge is waiting for you: `duel @member [stake]` challenges someone."
    ),
    "combat.duel_pending": lambda e: (
        f"You already challenged **{e.who}** to a duel: it waits for their answer."
    ),
    "combat.not_a_duel": lambda e: f"**{e.who}** is not in a duel: bets are only on duels.",
    "combat.duelist_bet": lambda e: "You are fighting in this duel: duelists can't bet on it.",
    "combat.bets_closed": lambda e: (
        "Bets on this duel are closed: they close when the first action is taken."
    ),
    "combat.already_bet": lambda e: "You already bet on this duel: one bet per duel.",
    "combat.unknown_boss": lambda e: (
        f"There is no boss called **{typed(e.text)}**: `boss fight {e.keys}` (`boss list`)."
    ),
    "combat.boss_resting": lambda e: (
        f"You beat **{e.boss}** not long ago: you can fight it again <t:{int(e.ready_at.timestamp())}:R>."
    ),
    "combat.boss_needs_key": lambda e: (
        f"**{e.boss}** needs a key to enter: beat the boss before it to win one (`boss list`)."
    ),
    "combat.boss_needs_weapon": lambda e: (
        f"You need a weapon to fight **{e.boss}**: `weapons` lists them (the chi shop sells the "
        "first, `buy C1`)."
    ),
    "combat.unknown_npc": lambda e: (
        f"There is no NPC called **{typed(e.text)}**: `train {e.keys}` (`train` lists them)."
    ),
    "combat.training_needs_weapon": lambda e: (
        f"You need a weapon to train against **{e.npc}**: `weapons` lists them "
        "(the chi shop sells the first, `buy C1`)."
    ),
    "combat.unarmed": lambda e: (
        "You have no weapon: `weapons` lists them (the chi shop sells the first, `buy C1`)."
        if e.you
        else f"**{e.who}** has no weapon yet: they need one to fight (`weapons` lists them)."
    ),
    "combat.off": lambda e: (
        "Fights are turned off in this server (an admin turns them on: "
        "`config set combat_enabled true`)."
    ),
    "combat.stake_too_high": lambda e: f"A duel's stake is at most **{e.most:,}** chi here.",
    "combat.bets_off": lambda e: "Bets on duels are turned off in this server.",
    "combat.no_tournament": lambda e: (
        "There is no tournament here: an admin opens one with "
        "`tournament create <name> [fee] [size]`."
    ),
    "combat.tournament_live": lambda e: (
        f"**{e.name}** is already open or running here: one tournament at a time "
        "(`tournament cancel` ends it)."
    ),
    "combat.tournament_started": lambda e: (
        f"**{e.name}** has started: joining and leaving are only before the start."
    ),
    "combat.tournament_not_running": lambda e: (
        f"**{e.name}** is still open for joining: `tournament start` starts it."
    ),
    "combat.tournament_full": lambda e: f"**{e.name}** is full: **{e.limit}** entrants.",
    "combat.already_entered": lambda e: f"You are already in **{e.name}**.",
    "combat.not_entered": lambda e: f"You are not in **{e.name}**.",
    "combat.too_few_entrants": lambda e: (
        f"**{e.name}** has **{e.count}** entrant{'s' if e.count != 1 else ''}: "
        "it needs at least 2 to start."
    ),
    "combat.bad_tournament": lambda e: f"{e.why}",
    "combat.leader_forfeits": lambda e: (
        "Only your team's leader can forfeit a team fight (your leader may also act for you)."
    ),
    "combat.not_a_leader": lambda e: (
        "That member doesn't lead a team: challenge a team's leader (`team` shows yours)."
        if e.them
        else "You are not in a team in this server: `createteam <name>` founds one, "
        "`jointeam <team>` asks to join one."
        if e.alone
        else "Only a team's leader can do that (`team` shows who leads yours)."
    ),
    "combat.same_team": lambda e: "That is your own team: challenge another team's leader.",
    "combat.team_busy": lambda e: (
        f"**{e.team}** already has a team fight open or under way: one at a time."
    ),
    "combat.no_lobby": lambda e: (
        "Your team has no team duel challenge waiting (`teamduel @leader` opens one)."
        if e.kind == "duel"
        else "Your team has no raid waiting to start (`teamboss <boss>` opens one)."
    ),
    "combat.already_in_lobby": lambda e: "You have already joined.",
    "combat.lobby_full": lambda e: f"Your side is full: at most **{e.most}** fighters.",
    "combat.not_your_lobby": lambda e: "That is for the other leader to do.",
    "combat.teams_are_enemies": lambda e: (
        "Your teams are enemies: an enemy's challenge can't be declined. Fight it out!"
    ),
    "combat.wait_for_consent": lambda e: (
        "The other team's leader must accept first (only enemies' duels start without it)."
    ),
    "combat.too_few_raiders": lambda e: (
        f"A raid needs at least **{e.least}** raiders: **{e.count}** joined so far "
        "(teammates press Join or type `tboss join`)."
    ),
    "combat.unknown_team_boss": lambda e: (
        f"There is no team boss called **{typed(e.text)}**: `teamboss {e.keys}`."
    ),
    "combat.raid_resting": lambda e: (
        f"**{e.who}** beat **{e.boss}** not long ago: they can raid it again "
        f"<t:{int(e.ready_at.timestamp())}:R>."
    ),
}


def _rel(when: object) -> str:
    stamp = getattr(when, "timestamp", None)
    return f"<t:{int(stamp())}:R>" if stamp is not None else "soon"


PHRASES.update(  # the rift (`rift.py`): appended, so other modes' phrases merge apart
    {
        "combat.no_rift": lambda e: (
            "🌀 No rift is open here: an admin opens one with `event rift` (`rift` shows when)."
        ),
        "combat.rift_over": lambda e: (
            f"🌀 This rift is over ({e.status}): nothing more can change it (`rift` shows it)."
        ),
        "combat.rift_closing": lambda e: (
            "⌛ The rift's time is up: the Rifter is escaping, nothing more can change it."
        ),
        "combat.rift_live": lambda e: (
            f"🌀 A rift is already open here: it closes {_rel(e.closes_at)} "
            "(`event end` closes it early, with no prize)."
        ),
        "combat.rift_resting": lambda e: (
            f"🌀 The last rift closed not long ago: the next may open {_rel(e.ready_at)} "
            "(a rift every 4 hours at most)."
        ),
        "combat.already_raiding": lambda e: (
            "You are already in the rift: `rift attack <attack>` (or the card's buttons)."
        ),
        "combat.rift_ran": lambda e: (
            "You ran from this rift: you can't join it again (your share was forfeited)."
        ),
        "combat.not_raiding": lambda e: "You are not in the rift: `rift join` (or **Join**).",
        "combat.raider_downed": lambda e: (
            f"💫 The Rifter knocked you down: you are back at full HP {_rel(e.until)}."
        ),
        "combat.rift_cooldown": lambda e: (
            f"⏳ Catch your breath: you can attack the Rifter again {_rel(e.ready_at)}."
        ),
        "combat.unknown_rift_attack": lambda e: (
            f"There is no legendary attack called **{typed(e.text)}**: {e.attacks}."
        ),
    }
)
