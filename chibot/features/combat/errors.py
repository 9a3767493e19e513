"""Combat's refusals: a code and the fields that describe the situation, worded for Discord by
`phrases.py`. The engine raises them before changing anything, so a refused command leaves the
fight exactly as it was (legacy bug B11: no damage before a rejection)."""

from __future__ import annotations

from chibot.core.errors import UserError


class NotInFight(UserError):
    code = "combat.not_in_fight"
    plain = "You are not in this fight."


class FightOver(UserError):
    code = "combat.over"
    plain = "This fight is over."


class TimeUp(UserError):
    code = "combat.time_up"
    plain = "This fight's time is up: it is being settled."


class NotYourTurn(UserError):
    code = "combat.not_your_turn"
    plain = "It is {whose}'s turn, not yours."


class YouAreDown(UserError):
    code = "combat.you_are_down"
    plain = "You are knocked out: you can't act any more in this fight."


class NoWeapon(UserError):
    code = "combat.no_weapon"
    plain = "You have no weapon in this fight."


class UnknownAttack(UserError):
    code = "combat.unknown_attack"
    plain = "{weapon} has no attack called {text}: its attacks are {attacks}."


class AmbiguousAttack(UserError):
    code = "combat.ambiguous_attack"
    plain = "{text} could be {options}: say which."


class BadTarget(UserError):
    code = "combat.bad_target"
    plain = "You can't target {text}: pick a fighter of the other side still standing."


class UnknownHeal(UserError):
    code = "combat.unknown_heal"
    plain = "You didn't bring {text} to this fight: you brought {kits}."


class NoCharges(UserError):
    code = "combat.no_charges"
    plain = "{item} has no charges left in this fight."


class DefendLimit(UserError):
    code = "combat.defend_limit"
    plain = "You can defend at most {most} times in a row: attack or heal."


class NotInThisMode(UserError):
    code = "combat.not_in_mode"
    plain = "{what} can't be used in a {mode} fight."


# --- weapons and loadouts (`weapons`, `equip`) ---------------------------------------------


class UnknownWeapon(UserError):
    code = "combat.unknown_weapon"
    plain = "There is no weapon called {text}. weapons lists them."


class NotAWeapon(UserError):
    code = "combat.not_a_weapon"
    plain = "{item} is not a weapon: weapons lists them."


class WeaponNotHeld(UserError):
    code = "combat.weapon_not_held"
    plain = "You don't have a {item}: buy it in the chi shop (buy {code})."


class WeaponInChest(UserError):
    code = "combat.weapon_in_chest"
    plain = "Your {item} is in your chest: chest take {item} first."


# --- live fights -----------------------------------------------------------------------------


class AlreadyFighting(UserError):
    code = "combat.already_fighting"
    plain = "{who} is already in a fight here."


class NoFight(UserError):
    code = "combat.no_fight"
    plain = "You are not in a fight here."


class SelfFight(UserError):
    code = "combat.self_fight"
    plain = "You can't fight yourself: name another member."


class ChallengePending(UserError):
    code = "combat.challenge_pending"
    plain = "You already challenged {who}: they accept with spar and your name."


# --- duels and bets --------------------------------------------------------------------------


class NoChallenge(UserError):
    code = "combat.no_challenge"
    plain = "No duel challenge is waiting for you."


class DuelPending(UserError):
    code = "combat.duel_pending"
    plain = "You already challenged {who} to a duel: it waits for their answer."


class NotADuel(UserError):
    code = "combat.not_a_duel"
    plain = "{who} is not in a duel: bets are only on duels."


class DuelistBet(UserError):
    code = "combat.duelist_bet"
    plain = "You are fighting in this duel: duelists can't bet on it."


class BetsClosed(UserError):
    code = "combat.bets_closed"
    plain = "Bets on this duel are closed: they close at the first action."


class AlreadyBet(UserError):
    code = "combat.already_bet"
    plain = "You already bet on this duel: one bet per duel."


# --- NPC training (`train dummy|easy|medium|hard`) -------------------------------------------


class UnknownNpc(UserError):
    code = "combat.unknown_npc"
    plain = "There is no NPC called {text}: train {keys}."


class TrainingNeedsWeapon(UserError):
    code = "combat.training_needs_weapon"
    plain = "You need a weapon to train against {npc}: weapons lists them (buy C1 for the first)."


class Unarmed(UserError):
    code = "combat.unarmed"
    plain = "{who} has no weapon: weapons lists them (buy C1 for the first)."


class CombatOff(UserError):
    code = "combat.off"
    plain = "Fights are turned off in this server."


class StakeTooHigh(UserError):
    code = "combat.stake_too_high"
    plain = "A duel's stake is at most {most} chi here."


class BetsOff(UserError):
    code = "combat.bets_off"
    plain = "Bets on duels are turned off in this server."


# --- tournaments -----------------------------------------------------------------------------


class NoTournament(UserError):
    code = "combat.no_tournament"
    plain = "There is no tournament here: an admin opens one with tournament create."


class TournamentLive(UserError):
    code = "combat.tournament_live"
    plain = "{name} is already open or running here: one tournament at a time."


class TournamentStarted(UserError):
    code = "combat.tournament_started"
    plain = "{name} has started: joining and leaving are only before the start."


class TournamentNotRunning(UserError):
    code = "combat.tournament_not_running"
    plain = "{name} is still open for joining: start it first."


class TournamentFull(UserError):
    code = "combat.tournament_full"
    plain = "{name} is full: {limit} entrants."


class AlreadyEntered(UserError):
    code = "combat.already_entered"
    plain = "You are already in {name}."


class NotEntered(UserError):
    code = "combat.not_entered"
    plain = "You are not in {name}."


class TooFewEntrants(UserError):
    code = "combat.too_few_entrants"
    plain = "{name} has {count} entrants: it needs at least 2 to start."


class BadTournament(UserError):
    code = "combat.bad_tournament"
    plain = "{why}"


# --- pets in fights ---------------------------------------------------------------------------


class NoPetHere(UserError):
    code = "combat.no_pet_here"
    plain = "You brought no pet to this fight."


class PetStarving(UserError):
    code = "combat.pet_starving"
    plain = "{pet} is starving and won't fight: feed it after this fight."


class PetResting(UserError):
    code = "combat.pet_resting"
    plain = "{pet} is catching its breath: it can act again in {turns} of your turns."


class UnknownPetMove(UserError):
    code = "combat.unknown_pet_move"
    plain = "{pet} has no attack {text}: try {moves}."


class HealBlocked(UserError):
    code = "combat.heal_blocked"
    plain = "You can't heal right now: you are constricted."


# --- boss fights -------------------------------------------------------------------------------


class UnknownBoss(UserError):
    code = "combat.unknown_boss"
    plain = "There is no boss called {text}: boss fight {keys}."


class BossResting(UserError):
    code = "combat.boss_resting"
    plain = "You beat {boss} recently: you can fight it again later."


class BossNeedsKey(UserError):
    code = "combat.boss_needs_key"
    plain = "{boss} needs a key to enter: {key}."


class BossNeedsWeapon(UserError):
    code = "combat.boss_needs_weapon"
    plain = "You need a weapon to fight {boss}: weapons lists them."


# --- team fights -------------------------------------------------------------------------------


class LeaderForfeits(UserError):
    code = "combat.leader_forfeits"
    plain = "Only your team's leader can forfeit a team fight."


class NotALeader(UserError):
    code = "combat.not_a_leader"
    plain = "Only a team's leader can do that."

    def __init__(self, them: bool = False, alone: bool = False) -> None:
        super().__init__(them=them, alone=alone)


class SameTeam(UserError):
    code = "combat.same_team"
    plain = "That is your own team: challenge another team's leader."


class TeamBusy(UserError):
    code = "combat.team_busy"
    plain = "{team} already has a team fight open or under way."


class NoLobby(UserError):
    code = "combat.no_lobby"
    plain = "Your team has no {kind} waiting to start."


class AlreadyInLobby(UserError):
    code = "combat.already_in_lobby"
    plain = "You have already joined."


class LobbyFull(UserError):
    code = "combat.lobby_full"
    plain = "Your side is full: at most {most} fighters."


class NotYourLobby(UserError):
    code = "combat.not_your_lobby"
    plain = "That is for the other leader to do."


class TeamsAreEnemies(UserError):
    code = "combat.teams_are_enemies"
    plain = "Your teams are enemies: an enemy's challenge can't be declined."


class WaitForConsent(UserError):
    code = "combat.wait_for_consent"
    plain = "The other team's leader must accept first."


class TooFewRaiders(UserError):
    code = "combat.too_few_raiders"
    plain = "A raid needs at least {least} raiders: {count} joined."


class UnknownTeamBoss(UserError):
    code = "combat.unknown_team_boss"
    plain = "There is no team boss called {text}: teamboss {keys}."


class RaidResting(UserError):
    code = "combat.raid_resting"
    plain = "{who} beat {boss} recently and can raid it again later."


# --- the rift (`rift.py`) ----------------------------------------------------------------------


class NoRift(UserError):
    code = "combat.no_rift"
    plain = "No rift is open here: an admin opens one with event rift."


class RiftOver(UserError):
    code = "combat.rift_over"
    plain = "This rift is over ({status}): nothing more can change it."


class RiftClosing(UserError):
    code = "combat.rift_closing"
    plain = "The rift's time is up: the Rifter is escaping."


class RiftLive(UserError):
    code = "combat.rift_live"
    plain = "A rift is already open here, until {closes_at}: event end closes it."


class RiftResting(UserError):
    code = "combat.rift_resting"
    plain = "The last rift closed not long ago: the next may open at {ready_at}."


class AlreadyRaiding(UserError):
    code = "combat.already_raiding"
    plain = "You are already in the rift."


class RanFromRift(UserError):
    code = "combat.rift_ran"
    plain = "You ran from this rift: you can't join it again."


class NotRaiding(UserError):
    code = "combat.not_raiding"
    plain = "You are not in the rift: rift join."


class RaiderDowned(UserError):
    code = "combat.raider_downed"
    plain = "The Rifter knocked you down: you are back at full HP at {until}."


class RiftCooldown(UserError):
    code = "combat.rift_cooldown"
    plain = "Catch your breath: you can attack the Rifter again at {ready_at}."


class UnknownRiftAttack(UserError):
    code = "combat.unknown_rift_attack"
    plain = "There is no legendary attack called {text}: {attacks}."
