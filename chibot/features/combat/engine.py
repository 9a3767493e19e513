"""The combat engine, pure: `apply(fight, command, rng, now) -> (fight, events)`.

No database, no Discord, no clock of its own: the service loads a `Fight` (JSON, `to_dict` /
`from_dict`), applies one command under its session lock, persists the new fight with
compare-and-set on `version`, then renders the events. Every mode (duel, training, boss, team
fights) is a `Mode`: limits, heal charges, and which hooks it allows.

How a command is applied:

1. **Validate everything first.** A refused command raises a `combat.errors` refusal and the
   fight is untouched (legacy B11): fight over, time up, not in this fight, not your turn,
   knocked out, unknown or ambiguous attack, bad target, no charges left, defend limit, a hook
   the mode doesn't allow. Hooks are asked for their outcomes during validation too (they are
   pure and may refuse), so nothing changes before every question has an answer.
2. **Apply.** Every HP change is followed by the KO check (HP is floored at 0, `KO` is emitted
   once); when at most one side still stands the fight goes ACTIVE -> ENDED, exactly once
   (`MatchEnded(reason, winner)`; later HP changes cannot reopen or re-end it).
3. **Pass the turn** (a human's action always uses the turn): to the next standing fighter of
   `order`. Crossing the end of `order` ends the round: the boss behaviours' `round_end`, then
   `round + 1` and their `round_start`. At a fighter's turn start its defend stance ends, its
   effects act and age (`effects.py`): a burn can knock it out, a stun skips the turn. A fighter
   with `auto` (a boss, an NPC) plays its turn at once: one of its weapon's attacks, chosen by
   the dice, at a standing enemy chosen by the dice.

Actions: `Attack` (one formula, `rules.py`), `Defend` (the next hit taken is halved; at most
`MAX_DEFEND_STREAK` in a row; the stance ends at your next turn start), `Heal` (a healing item's
`heal` scaled by your level and the item's, capped at max HP; `mode.heal_charges` charges per
item per fight), `Forfeit` (any time, your whole side), and the hook commands `PetAttack` and
`UsePotion`. `Tick` is the scheduler's check, with `apply`'s `now` as the time: past
`match_seconds` since the start the fight ends by `mode.on_match_limit` ("hp": the side with the
highest share of its max HP wins, equal shares tie; "tie"); otherwise past `turn_seconds` since
the turn began, the idle fighter's side forfeits (reason "idle"). A Tick with nothing due, or on
an ended fight, changes nothing (same fight, same version, no events): the scheduler may fire
late or twice. Any other command past the match limit is refused (`TimeUp`) so the Tick settles.

Hooks (`Hooks`): the later systems plug in here, a mode names which it allows in `allows`:
`pets` (`PetAttack` -> the pets system's outcomes), `potions` (`UsePotion`, drunk or thrown ->
alchemy's outcomes), `team` (a percent added to a side's damage: the teams gym and arena),
`boss` (called for each standing `auto` fighter at each round's start and end, to add a special
hit, a heal or an effect). A hook returns `Outcome`s (`Hit`, `Mend`, `Inflict`) that the engine
applies with the same KO check: a hook never touches HP itself. A hook's `Hit` is the
attacker's number already: the defender's stance, shield, resistance and dodge still apply.

Randomness comes only from the injected `rng`, always in the same order, so one seed and one
list of commands give one fight.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any, Protocol

from chibot.core.items import Item
from chibot.core.rng import Rng
from chibot.features.combat import errors
from chibot.features.combat.effects import (
    DAMAGE_OVER_TIME,
    SKIPS_TURN,
    Effect,
    added,
    heal_blocked,
    incoming_pcts,
    outgoing_pcts,
    without,
)
from chibot.features.combat.rules import (
    BASE_HP,
    MAX_DEFEND_STREAK,
    AttackNotFound,
    HealKit,
    Weapon,
    WeaponAttack,
    bare_range,
    heal_amount,
    heal_kit,
    land,
    resolve_attack,
    scaling_level,
    strike,
    weapon_from_item,
)

HOOK_NAMES = frozenset({"pets", "potions", "team", "boss"})
PET_COOLDOWN_TURNS = 2  # a pet acts at most once in this many of its owner's turns


class Status(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Mode:
    """What a kind of fight allows. `allows` names the hooks (`HOOK_NAMES`); `bare_weapon`
    lets an attack name the weapon alone (a bare hit, bosses); `on_match_limit` is "hp" or
    "tie"."""

    name: str
    turn_seconds: int = 90
    match_seconds: int = 600
    allows: frozenset[str] = frozenset()
    heal_charges: int = 2
    bare_weapon: bool = False
    on_match_limit: str = "hp"
    crits: bool = True

    def __post_init__(self) -> None:
        if not self.allows <= HOOK_NAMES:
            raise ValueError(f"unknown hooks {sorted(self.allows - HOOK_NAMES)}")
        if self.on_match_limit not in ("hp", "tie"):
            raise ValueError("on_match_limit is 'hp' or 'tie'")
        if self.turn_seconds < 1 or self.match_seconds < 1 or self.heal_charges < 0:
            raise ValueError("limits are positive")


@dataclass(frozen=True, slots=True)
class PetMove:
    """One of a pet's attacks as it fights today: its damage range with the pet's training
    and health in it, and its effect as data (`kind`, `chance` percent, `amount`, `rounds`:
    the pets content's words), for the pet hook to turn into outcomes."""

    code: str
    name: str
    low: int
    high: int
    kind: str = "none"
    chance: int = 0
    amount: int = 0
    rounds: int = 0


@dataclass(frozen=True, slots=True)
class FighterPet:
    """The pet a member brought to this fight (their active pet when it began): `fed` is
    False for a starving pet (it will not fight), `rest` the owner's turns before it may act
    again (`PET_COOLDOWN_TURNS` after it acts, one less at each of the owner's turn starts)."""

    name: str
    moves: tuple[PetMove, ...]
    fed: bool = True
    rest: int = 0


@dataclass(frozen=True, slots=True)
class Fighter:
    id: str
    name: str
    side: str
    hp: int
    max_hp: int
    level: int = 0
    weapon: Weapon | None = None
    item_levels: Mapping[str, int] = field(default_factory=dict)
    heals: tuple[HealKit, ...] = ()
    effects: tuple[Effect, ...] = ()
    defending: bool = False
    defend_streak: int = 0
    down: bool = False
    out: bool = False
    auto: bool = False
    pet: FighterPet | None = None

    @property
    def standing(self) -> bool:
        return not self.down and not self.out

    def weapon_level(self) -> int:
        item = self.weapon.item if self.weapon else ""
        return scaling_level(self.level, self.item_levels.get(item, 0))


@dataclass(frozen=True, slots=True)
class Fight:
    id: str
    mode: Mode
    fighters: tuple[Fighter, ...]
    order: tuple[str, ...]
    turn: int
    round: int
    version: int
    started_at: datetime
    turn_started_at: datetime
    status: Status = Status.ACTIVE
    winner: str | None = None
    reason: str | None = None
    # a side's damage bonus in percent (a team's arena), read by the `team` hook
    bonus: Mapping[str, int] = field(default_factory=dict)

    def fighter(self, fighter_id: str) -> Fighter | None:
        return next((f for f in self.fighters if f.id == fighter_id), None)

    @property
    def whose_turn(self) -> str:
        return self.order[self.turn]


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attack:
    actor: str
    attack: str = ""
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Defend:
    actor: str


@dataclass(frozen=True, slots=True)
class Heal:
    actor: str
    item: str


@dataclass(frozen=True, slots=True)
class Forfeit:
    actor: str


@dataclass(frozen=True, slots=True)
class Tick:
    """The scheduler's timeout check; the time is `apply`'s `now`."""


@dataclass(frozen=True, slots=True)
class PetAttack:
    actor: str
    pet: str
    target: str | None = None


@dataclass(frozen=True, slots=True)
class UsePotion:
    """Drunk when `target` is None (or the actor), thrown otherwise."""

    actor: str
    potion: str
    target: str | None = None


Command = Attack | Defend | Heal | Forfeit | Tick | PetAttack | UsePotion


# --- events -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DamageDealt:
    source: str | None
    target: str
    amount: int
    label: str
    hp: int
    crit: bool = False
    defended: bool = False


@dataclass(frozen=True, slots=True)
class Dodged:
    source: str | None
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Healed:
    target: str
    amount: int
    label: str
    hp: int
    charges_left: int | None = None


@dataclass(frozen=True, slots=True)
class HealingBlocked:
    """A heal an outcome would have given `target` was stopped by their heal block."""

    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Cleansed:
    target: str
    kinds: tuple[str, ...]
    label: str


@dataclass(frozen=True, slots=True)
class Defended:
    actor: str
    streak: int


@dataclass(frozen=True, slots=True)
class EffectApplied:
    target: str
    kind: str
    rounds: int
    amount: int
    source: str | None


@dataclass(frozen=True, slots=True)
class EffectTicked:
    target: str
    kind: str
    amount: int
    hp: int


@dataclass(frozen=True, slots=True)
class EffectExpired:
    target: str
    kind: str


@dataclass(frozen=True, slots=True)
class TurnSkipped:
    actor: str
    kind: str


@dataclass(frozen=True, slots=True)
class TurnPassed:
    to: str
    round: int


@dataclass(frozen=True, slots=True)
class Forfeited:
    side: str
    reason: str


@dataclass(frozen=True, slots=True)
class KO:
    fighter: str


@dataclass(frozen=True, slots=True)
class MatchEnded:
    reason: str
    winner: str | None


Event = (
    DamageDealt
    | Dodged
    | Healed
    | HealingBlocked
    | Cleansed
    | Defended
    | EffectApplied
    | EffectTicked
    | EffectExpired
    | TurnSkipped
    | TurnPassed
    | Forfeited
    | KO
    | MatchEnded
)


# --- hooks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """A hook's hit on `target`. `sure` hits are never dodged; `drain_pct` of the damage it
    deals heals its source, `recoil_pct` of it hurts its source; `then` are effects put on the
    target only if the hit lands (a dodged bite poisons no one)."""

    target: str
    amount: int
    label: str
    source: str | None = None
    sure: bool = False
    drain_pct: int = 0
    recoil_pct: int = 0
    then: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True)
class Mend:
    target: str
    amount: int
    label: str


@dataclass(frozen=True, slots=True)
class Inflict:
    target: str
    effect: Effect


@dataclass(frozen=True, slots=True)
class Cleanse:
    """Take the effects of `kinds` off `target` (a healer's cleanse)."""

    target: str
    kinds: tuple[str, ...]
    label: str


Outcome = Hit | Mend | Inflict | Cleanse


class PetAttackHook(Protocol):
    def __call__(
        self, fight: Fight, actor: Fighter, pet: str, target: Fighter, rng: Rng
    ) -> Sequence[Outcome]: ...


class PotionHook(Protocol):
    def __call__(
        self, fight: Fight, actor: Fighter, potion: str, target: Fighter, rng: Rng
    ) -> Sequence[Outcome]: ...


class TeamBonusHook(Protocol):
    def __call__(self, fight: Fight, side: str) -> int: ...


class BossBehaviour(Protocol):
    def round_start(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]: ...

    def round_end(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]: ...

    def turn(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        """The boss's own turn: outcomes that replace its weapon hit (a special rolled with
        its chance), or none for the hit (team bosses, legacy-combat §9.4)."""
        ...


def side_bonus(fight: Fight, side: str) -> int:
    """The `team` hook of fights that carry their sides' bonus (`Fight.bonus`)."""
    return fight.bonus.get(side, 0)


@dataclass(frozen=True)
class Hooks:
    pet_attack: PetAttackHook | None = None
    potion: PotionHook | None = None
    team_bonus: TeamBonusHook | None = None
    boss: BossBehaviour | None = None


NO_HOOKS = Hooks()


# --- building ---------------------------------------------------------------------------------


def make_fighter(
    id: str,
    name: str,
    side: str,
    mode: Mode,
    *,
    max_hp: int = BASE_HP,
    level: int = 0,
    weapon: Item | None = None,
    item_levels: Mapping[str, int] | None = None,
    heal_items: Iterable[Item] = (),
    auto: bool = False,
) -> Fighter:
    """A member ready to fight: `max_hp` as progress's service computes it (250 + permanent
    HP), at full HP, the weapon's attacks and each healing item with the mode's charges."""
    hp = max_hp
    kits = tuple(heal_kit(item, mode.heal_charges) for item in heal_items)
    arm = weapon_from_item(weapon) if weapon is not None else None
    return Fighter(id, name, side, hp, hp, level, arm, dict(item_levels or {}), kits, auto=auto)


def new_fight(
    fight_id: str,
    mode: Mode,
    fighters: Sequence[Fighter],
    rng: Rng,
    now: datetime,
    hooks: Hooks = NO_HOOKS,
    *,
    order: Sequence[str] | None = None,
    bonus: Mapping[str, int] | None = None,
) -> tuple[Fight, list[Event]]:
    """A fight in round 1, turn order as given (`order`: fighter ids, each at least once; an
    `auto` fighter may come back several times in a round: a team boss after each member);
    round 1's boss behaviours run and the first fighter's turn starts (an auto fighter plays
    at once). `bonus`: each side's damage bonus in percent (a team's arena)."""
    ids = [f.id for f in fighters]
    if len(set(ids)) != len(ids) or len({f.side for f in fighters}) < 2:
        raise ValueError("a fight needs distinct fighters on at least two sides")
    if order is not None:
        by_id = {f.id: f for f in fighters}
        repeated = [i for i in set(order) if order.count(i) > 1 and not by_id[i].auto]
        if set(order) != set(ids) or repeated:
            raise ValueError("the order names every fighter, members once")
        ids = list(order)
    if all(f.auto for f in fighters):
        raise ValueError("a fight needs at least one fighter who is not auto")
    if any(not 0 < f.hp <= f.max_hp for f in fighters):
        raise ValueError("fighters start with 0 < hp <= max_hp")
    fight = Fight(
        fight_id, mode, tuple(fighters), tuple(ids), 0, 1, 0, now, now, bonus=dict(bonus or {})
    )
    run = _Run(fight, rng, now, hooks)
    run.round_hooks("round_start")
    if run.active:
        if run.get(ids[0]).standing and run.begin(0):
            pass
        else:
            run.advance()
    return run.fight, run.events


# --- applying ---------------------------------------------------------------------------------


def apply(
    fight: Fight, command: Command, rng: Rng, now: datetime, hooks: Hooks = NO_HOOKS
) -> tuple[Fight, list[Event]]:
    """One command: validated whole, then applied (module docstring). Raises a refusal from
    `combat.errors` and changes nothing when the command can't be done."""
    if isinstance(command, Tick):
        return _tick(fight, rng, now, hooks)
    if fight.status is Status.ENDED:
        raise errors.FightOver()
    if now >= fight.started_at + timedelta(seconds=fight.mode.match_seconds):
        raise errors.TimeUp()
    actor = fight.fighter(command.actor)
    if actor is None:
        raise errors.NotInFight()
    run = _Run(fight, rng, now, hooks)
    if isinstance(command, Forfeit):
        run.forfeit(actor.side, "forfeit")
        return run.done()
    if fight.whose_turn != actor.id:
        whose = fight.fighter(fight.whose_turn)
        raise errors.NotYourTurn(whose=whose.name if whose else fight.whose_turn)
    if not actor.standing:
        raise errors.YouAreDown()
    if isinstance(command, Attack):
        run.attack(actor, command)
    elif isinstance(command, Defend):
        run.defend(actor)
    elif isinstance(command, Heal):
        run.heal(actor, command.item)
    elif isinstance(command, PetAttack):
        run.pet(actor, command)
    else:
        run.potion(actor, command)
    if run.active:
        run.advance()
    return run.done()


def _tick(fight: Fight, rng: Rng, now: datetime, hooks: Hooks) -> tuple[Fight, list[Event]]:
    if fight.status is Status.ENDED:
        return fight, []
    run = _Run(fight, rng, now, hooks)
    if now >= fight.started_at + timedelta(seconds=fight.mode.match_seconds):
        run.match_limit()
    elif now >= fight.turn_started_at + timedelta(seconds=fight.mode.turn_seconds):
        run.forfeit(run.get(fight.whose_turn).side, "idle")
    else:
        return fight, []
    return run.done()


def _enemy(run: _Run, actor: Fighter, target: str | None) -> Fighter:
    enemies = [f for f in run.fight.fighters if f.side != actor.side and f.standing]
    if target is None:
        return enemies[0]
    said = target.casefold()
    found = next((f for f in enemies if f.id == target or f.name.casefold() == said), None)
    if found is None:
        raise errors.BadTarget(text=target)
    return found


class _Run:
    """One application in progress: the working fight and the events so far."""

    def __init__(self, fight: Fight, rng: Rng, now: datetime, hooks: Hooks) -> None:
        self.fight = fight
        self.rng = rng
        self.now = now
        self.hooks = hooks
        self.events: list[Event] = []

    @property
    def active(self) -> bool:
        return self.fight.status is Status.ACTIVE

    def done(self) -> tuple[Fight, list[Event]]:
        return replace(self.fight, version=self.fight.version + 1), self.events

    def get(self, fighter_id: str) -> Fighter:
        found = self.fight.fighter(fighter_id)
        assert found is not None, fighter_id
        return found

    def put(self, fighter: Fighter) -> Fighter:
        fighters = tuple(fighter if f.id == fighter.id else f for f in self.fight.fighters)
        self.fight = replace(self.fight, fighters=fighters)
        return fighter

    # -- HP, KO and the end ----------------------------------------------------------------

    def lose(self, target: Fighter, amount: int) -> Fighter:
        hp = target.hp - amount
        target = self.put(replace(target, hp=max(hp, 0)))
        if hp <= 0 and not target.down:
            target = self.put(replace(target, down=True, effects=(), defending=False))
            self.events.append(KO(target.id))
            self.check_end("ko")
        return target

    def gain(self, target: Fighter, amount: int) -> int:
        if heal_blocked(target.effects) is not None:
            return 0
        got = max(0, min(amount, target.max_hp - target.hp))
        self.put(replace(target, hp=target.hp + got))
        return got

    def sides_standing(self) -> list[str]:
        seen: list[str] = []
        for f in self.fight.fighters:
            if f.standing and f.side not in seen:
                seen.append(f.side)
        return seen

    def check_end(self, reason: str) -> None:
        sides = self.sides_standing()
        if len(sides) <= 1:
            self.end(reason, sides[0] if sides else None)

    def end(self, reason: str, winner: str | None) -> None:
        if not self.active:
            return
        self.fight = replace(self.fight, status=Status.ENDED, winner=winner, reason=reason)
        self.events.append(MatchEnded(reason, winner))

    def forfeit(self, side: str, reason: str) -> None:
        was_turn = self.get(self.fight.whose_turn).side == side
        for f in self.fight.fighters:
            if f.side == side:
                self.put(replace(f, out=True, defending=False))
        self.events.append(Forfeited(side, reason))
        self.check_end(reason)
        if self.active and was_turn:
            self.advance()

    def match_limit(self) -> None:
        if self.fight.mode.on_match_limit == "tie":
            self.end("match_limit", None)
            return
        shares: dict[str, Fraction] = {}
        for side in self.sides_standing():
            team = [f for f in self.fight.fighters if f.side == side and not f.out]
            shares[side] = Fraction(sum(f.hp for f in team), sum(f.max_hp for f in team))
        best = max(shares.values())
        leaders = [s for s, share in shares.items() if share == best]
        self.end("match_limit", leaders[0] if len(leaders) == 1 else None)

    # -- hits ------------------------------------------------------------------------------

    def team_pcts(self, side: str) -> list[int]:
        bonus = self.hooks.team_bonus
        if "team" in self.fight.mode.allows and bonus is not None:
            return [bonus(self.fight, side)]
        return []

    def weapon_hit(self, attacker: Fighter, target: Fighter, move: WeaponAttack | None) -> None:
        assert attacker.weapon is not None
        low, high = (move.low, move.high) if move else bare_range(attacker.weapon.base)
        label = move.name if move else attacker.weapon.name
        result = strike(
            low,
            high,
            attacker.weapon_level(),
            self.rng,
            attacker_pcts=self.team_pcts(attacker.side) + outgoing_pcts(attacker.effects),
            defending=target.defending,
            defender_pcts=incoming_pcts(target.effects),
            crits=self.fight.mode.crits,
        )
        if any(e.kind == "empower" for e in attacker.effects):  # used up by this hit
            self.put(replace(attacker, effects=without(attacker.effects, ("empower",))))
        self.take(attacker.id, target, result.damage, label, result.dodged, result.crit)

    def take(
        self, source: str | None, target: Fighter, amount: int, label: str, dodged: bool, crit: bool
    ) -> int:
        """Deal a hit; returns the HP it took (0 when dodged)."""
        if dodged:
            self.events.append(Dodged(source, target.id, label))
            return 0
        defended = target.defending
        target = self.put(replace(target, defending=False))
        after = max(target.hp - amount, 0)
        self.events.append(DamageDealt(source, target.id, amount, label, after, crit, defended))
        self.lose(target, amount)
        return target.hp - after

    def outcomes(self, source: str | None, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            if not self.active:
                return
            target = self.fight.fighter(outcome.target)
            if target is None or not target.standing:
                continue
            if isinstance(outcome, Hit):
                self.hook_hit(source, target, outcome)
            elif isinstance(outcome, Mend):
                self.mend(target, outcome.amount, outcome.label)
            elif isinstance(outcome, Cleanse):
                gone = tuple(e.kind for e in target.effects if e.kind in outcome.kinds)
                if gone:
                    self.put(replace(target, effects=without(target.effects, gone)))
                    self.events.append(Cleansed(target.id, gone, outcome.label))
            else:
                e = outcome.effect
                self.put(replace(target, effects=added(target.effects, e)))
                self.events.append(EffectApplied(target.id, e.kind, e.rounds, e.amount, e.source))

    def hook_hit(self, source: str | None, target: Fighter, hit: Hit) -> None:
        """A hook's hit: the defender's stance, shield and dodge (unless `sure`), then what
        rides on it: effects on the target, the source's drain and recoil."""
        die = self.rng.random()
        result = land(
            max(hit.amount, 0),
            1.0 if hit.sure else die,
            defending=target.defending,
            defender_pcts=incoming_pcts(target.effects),
        )
        who = hit.source or source
        dealt = self.take(who, target, result.damage, hit.label, result.dodged, False)
        if not dealt:
            return
        after = self.get(target.id)
        if after.standing and self.active:
            for e in hit.then:
                after = self.put(replace(after, effects=added(after.effects, e)))
                self.events.append(EffectApplied(after.id, e.kind, e.rounds, e.amount, e.source))
        owner = self.fight.fighter(who) if who is not None else None
        if owner is None or not owner.standing or not self.active:
            return
        if hit.drain_pct:
            self.mend(owner, dealt * hit.drain_pct // 100, hit.label)
        if hit.recoil_pct and (back := dealt * hit.recoil_pct // 100):
            left = max(owner.hp - back, 0)
            self.events.append(DamageDealt(who, owner.id, back, f"{hit.label} (recoil)", left))
            self.lose(owner, back)

    def mend(self, target: Fighter, amount: int, label: str) -> None:
        """A hook's heal, stopped whole by a heal block."""
        if heal_blocked(target.effects) is not None:
            self.events.append(HealingBlocked(target.id, label))
            return
        got = self.gain(target, amount)
        self.events.append(Healed(target.id, got, label, self.get(target.id).hp))

    # -- turns -----------------------------------------------------------------------------

    def round_hooks(self, which: str) -> None:
        boss = self.hooks.boss
        if boss is None or "boss" not in self.fight.mode.allows:
            return
        for f in self.fight.fighters:
            current = self.get(f.id)
            if not self.active:
                return
            if current.auto and current.standing:
                call = boss.round_start if which == "round_start" else boss.round_end
                self.outcomes(current.id, call(self.fight, current, self.rng))

    def advance(self) -> None:
        """Pass the turn until a human fighter's turn has begun or the fight ends."""
        n = len(self.fight.order)
        for _ in range(10_000):
            if not self.active:
                return
            cur = self.fight.turn
            for step in range(1, n + 1):
                pos = cur + step
                if pos == n:
                    self.round_hooks("round_end")
                    self.fight = replace(self.fight, round=self.fight.round + 1)
                    self.round_hooks("round_start")
                    if not self.active:
                        return
                if self.get(self.fight.order[pos % n]).standing:
                    if self.begin(pos % n):
                        return
                    break
            else:  # pragma: no cover - check_end ends a fight with no one standing
                return
        raise RuntimeError("combat: turns kept passing without a human turn")  # pragma: no cover

    def begin(self, index: int) -> bool:
        """Start the turn of `order[index]`: stance ends, effects act and age. True when a
        human now has the turn (the caller stops), False to pass on."""
        self.fight = replace(self.fight, turn=index, turn_started_at=self.now)
        who = self.get(self.fight.order[index])
        self.events.append(TurnPassed(who.id, self.fight.round))
        pet = who.pet
        if pet is not None and pet.rest > 0:
            pet = replace(pet, rest=pet.rest - 1)
        who = self.put(replace(who, defending=False, pet=pet))
        skip = None
        kept: list[Effect] = []
        for e in who.effects:
            if e.kind in DAMAGE_OVER_TIME:
                after = max(self.get(who.id).hp - e.amount, 0)
                self.events.append(EffectTicked(who.id, e.kind, e.amount, after))
                self.lose(self.get(who.id), e.amount)
                if not self.get(who.id).standing:
                    return not self.active
            elif e.kind in SKIPS_TURN:
                skip = e.kind
            if e.rounds > 1:
                kept.append(replace(e, rounds=e.rounds - 1))
            else:
                self.events.append(EffectExpired(who.id, e.kind))
        who = self.put(replace(self.get(who.id), effects=tuple(kept)))
        if skip is not None:
            self.events.append(TurnSkipped(who.id, skip))
            return False
        if who.auto:
            self.auto_turn(who)
            return False
        return True

    def auto_turn(self, who: Fighter) -> None:
        enemies = [f for f in self.fight.fighters if f.side != who.side and f.standing]
        if who.weapon is None or not enemies:
            return
        boss = self.hooks.boss
        turn = getattr(boss, "turn", None)  # optional: a behaviour may only act at rounds' edges
        if turn is not None and "boss" in self.fight.mode.allows:
            special = turn(self.fight, who, self.rng)
            if special:
                self.outcomes(who.id, special)
                return
        target = enemies[self.rng.randint(0, len(enemies) - 1)]
        attacks = who.weapon.attacks
        move = attacks[self.rng.randint(0, len(attacks) - 1)]
        self.weapon_hit(who, target, move)

    # -- actions ---------------------------------------------------------------------------

    def attack(self, actor: Fighter, command: Attack) -> None:
        if actor.weapon is None:
            raise errors.NoWeapon()
        try:
            move = resolve_attack(actor.weapon, command.attack, self.fight.mode.bare_weapon)
        except AttackNotFound as e:
            if e.options:
                raise errors.AmbiguousAttack(text=e.text, options=", ".join(e.options)) from None
            codes = ", ".join(f"{a.code} {a.name}" for a in actor.weapon.attacks)
            raise errors.UnknownAttack(
                text=e.text, weapon=actor.weapon.name, attacks=codes
            ) from None
        target = _enemy(self, actor, command.target)
        actor = self.put(replace(actor, defend_streak=0))
        self.weapon_hit(actor, target, move)

    def defend(self, actor: Fighter) -> None:
        if actor.defend_streak >= MAX_DEFEND_STREAK:
            raise errors.DefendLimit(most=MAX_DEFEND_STREAK)
        streak = actor.defend_streak + 1
        self.put(replace(actor, defending=True, defend_streak=streak))
        self.events.append(Defended(actor.id, streak))

    def heal(self, actor: Fighter, text: str) -> None:
        said = " ".join(text.split()).casefold()
        kit = next((k for k in actor.heals if said in (k.item.casefold(), k.name.casefold())), None)
        if kit is None:
            brought = ", ".join(k.name for k in actor.heals) or "no healing items"
            raise errors.UnknownHeal(text=text, kits=brought)
        if kit.charges <= 0:
            raise errors.NoCharges(item=kit.name)
        if (block := heal_blocked(actor.effects)) is not None:
            raise errors.HealBlocked(turns=block.rounds)
        level = scaling_level(actor.level, actor.item_levels.get(kit.item, 0))
        used = replace(kit, charges=kit.charges - 1)
        kits = tuple(used if k.item == kit.item else k for k in actor.heals)
        actor = self.put(replace(actor, heals=kits, defend_streak=0))
        got = self.gain(actor, heal_amount(kit.heal, level))
        self.events.append(Healed(actor.id, got, kit.name, self.get(actor.id).hp, used.charges))

    def allowed(self, hook: str, what: str, fn: object) -> None:
        if hook not in self.fight.mode.allows or fn is None:
            raise errors.NotInThisMode(what=what, mode=self.fight.mode.name)

    def pet(self, actor: Fighter, command: PetAttack) -> None:
        """The owner's pet acts instead of them: a fed pet they brought, rested since it last
        acted (`PET_COOLDOWN_TURNS`); the hook says what its move does."""
        self.allowed("pets", "Pet attacks", self.hooks.pet_attack)
        assert self.hooks.pet_attack is not None
        pet = actor.pet
        if pet is None:
            raise errors.NoPetHere()
        if not pet.fed:
            raise errors.PetStarving(pet=pet.name)
        if pet.rest > 0:
            raise errors.PetResting(pet=pet.name, turns=pet.rest)
        target = _enemy(self, actor, command.target)
        planned = self.hooks.pet_attack(self.fight, actor, command.pet, target, self.rng)
        rested = replace(pet, rest=PET_COOLDOWN_TURNS)
        self.put(replace(actor, defend_streak=0, pet=rested))
        self.outcomes(actor.id, planned)

    def potion(self, actor: Fighter, command: UsePotion) -> None:
        self.allowed("potions", "Potions", self.hooks.potion)
        assert self.hooks.potion is not None
        if command.target is None or command.target == actor.id:
            target = actor
        else:
            target = _enemy(self, actor, command.target)
        planned = self.hooks.potion(self.fight, actor, command.potion, target, self.rng)
        self.put(replace(actor, defend_streak=0))
        self.outcomes(actor.id, planned)


# --- JSON ---------------------------------------------------------------------------------------


def to_dict(fight: Fight) -> dict[str, Any]:
    """The fight as JSON-ready data (what the service persists between actions)."""
    data = dataclasses.asdict(fight)
    data["mode"]["allows"] = sorted(fight.mode.allows)
    data["started_at"] = fight.started_at.isoformat()
    data["turn_started_at"] = fight.turn_started_at.isoformat()
    data["status"] = fight.status.value
    data["order"] = list(fight.order)
    for f in data["fighters"]:
        f["item_levels"] = dict(f["item_levels"])
    out: dict[str, Any] = _lists(data)
    return out


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def from_dict(data: Mapping[str, Any]) -> Fight:
    mode = dict(data["mode"])
    mode["allows"] = frozenset(mode["allows"])
    fighters = []
    for f in data["fighters"]:
        w = f["weapon"]
        weapon = None
        if w is not None:
            attacks = tuple(WeaponAttack(**a) for a in w["attacks"])
            weapon = Weapon(w["item"], w["name"], w["code"], w["base"], attacks)
        fields = dict(f)
        pet = f.get("pet")
        if pet is not None:
            moves = tuple(PetMove(**m) for m in pet["moves"])
            pet = FighterPet(pet["name"], moves, pet["fed"], pet["rest"])
        fields.update(
            pet=pet,
            weapon=weapon,
            item_levels=dict(f["item_levels"]),
            heals=tuple(HealKit(**k) for k in f["heals"]),
            effects=tuple(Effect(**e) for e in f["effects"]),
        )
        fighters.append(Fighter(**fields))
    return Fight(
        id=data["id"],
        mode=Mode(**mode),
        fighters=tuple(fighters),
        order=tuple(data["order"]),
        turn=data["turn"],
        round=data["round"],
        version=data["version"],
        started_at=datetime.fromisoformat(data["started_at"]),
        turn_started_at=datetime.fromisoformat(data["turn_started_at"]),
        status=Status(data["status"]),
        winner=data["winner"],
        reason=data["reason"],
        bonus=dict(data.get("bonus") or {}),
    )
