"""Live fights: the engine's fights kept in the database between actions (`core/sessions.py`).

- **One live fight per member per server**: starting a fight opens a `fighter` session keyed
  by each member (`ON CONFLICT DO NOTHING`: of two fights opened at once for the same member,
  one wins) together with the `fight` session that holds the fight as JSON, in one
  transaction: a member already fighting makes the whole start roll back.
- **Acted once**: an action reads the fight session, applies the command with the engine and
  writes it back with compare-and-set on the session's version, so of two presses of the same
  turn one acts and the other is told the fight moved on (`SessionChanged`).
- **Ends on its own**: the fight session expires at the current turn's deadline (or the
  match's end, whichever is first); the scheduler's expiry publishes `SessionEnded`, and
  `on_session_ended` applies the engine's `Tick` at that time: the idle side forfeits, or the
  match limit ends it. A restart loses nothing: the rows and the expiry jobs are in the
  database.
- **Settled once**: when the engine reports `MatchEnded`, the fight and both fighters'
  sessions are closed in the same transaction, and the result is counted (`spar_wins`,
  `spar_losses`, `spar_ties` for sparring). Modes with stakes add their settlement here.

Sparring (`MODES["spar"]`) is the first mode: no stakes, no rewards, its own stats. NPC
training (`MODES["training"]`, `training.py`) pays or takes chi in its ending.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.ids import new_id
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.sessions import (
    MESSAGE,
    MessageNotice,
    Session,
    SessionBusy,
    SessionEnded,
    shown_in,
)
from chibot.features.combat import engine, pet_moves
from chibot.features.combat.engine import Fight, Fighter, MatchEnded, Mode
from chibot.features.combat.errors import (
    AlreadyFighting,
    CombatOff,
    LeaderForfeits,
    NoFight,
    Unarmed,
)
from chibot.features.combat.events import FightSettled

FIGHT = "fight"
FIGHTER = "fighter"
PETS = frozenset({"pets"})  # the modes' hooks: members' pets fight beside them
MODES = {
    "spar": Mode("spar", turn_seconds=90, match_seconds=600, heal_charges=2, allows=PETS),
    "training": Mode("training", turn_seconds=90, match_seconds=600, heal_charges=2, allows=PETS),
}
HOOKS = engine.Hooks(pet_attack=pet_moves.pet_attack)
COUNTERS = {
    "spar": ("spar_wins", "spar_losses", "spar_ties"),
    "duel": ("duel_wins", "duel_losses", "duel_ties"),
    "training": ("training_wins", "training_losses", "training_ties"),
    "boss": ("boss_wins", "boss_losses", "boss_ties"),
    "team_duel": ("team_duel_wins", "team_duel_losses", "team_duel_ties"),
    "team_boss": ("team_boss_wins", "team_boss_losses", "team_boss_ties"),
}
CANCELLED = object()  # an ending's answer for "nothing is counted" (a duel nobody fought)


@dataclass(frozen=True, slots=True)
class ForMember:
    """A notice about one fighter (an achievement they unlocked by this result): announced
    for them, not for whoever made the last move."""

    user_id: int
    notice: Any


@dataclass(frozen=True, slots=True)
class InChannel:
    """A notice of a fight the scheduler ended, to be said in the channel of its card (a
    tournament's next match, its results): delivered by the combat cog (`deliver_notice`)."""

    channel_id: int
    notice: Any


async def count_result(
    scope: GuildScope, user_id: int, mode: str, outcome: str, *, add: dict[str, int],
    put: dict[str, int] | None = None, high: dict[str, int] | None = None,
    low: dict[str, int] | None = None, before: dict[str, int] | None = None,
) -> list[ForMember]:  # fmt: skip
    """A settled result in the member's counters (one upsert: `Counters.apply`), published as
    `FightSettled` with the changes of the added, set and raised counters (best times, `low`,
    are not achievements' business), so that what it unlocks is announced for that member.
    `before`: those counters' values, when the caller read them already."""
    names = [*add, *(put or {}), *(high or {})]
    if before is None:
        before = await scope.counters.read(user_id, names)
    after = await scope.counters.apply(user_id, add=add, put=put, high=high, low=low)
    changes = {n: (before[n], after[n]) for n in names}
    unlocked = await scope.publish(FightSettled(user_id, changes, mode, outcome))
    return [ForMember(user_id, notice) for notice in unlocked]


def outcome_of(side: str, ended: MatchEnded) -> str:
    if ended.winner is None:
        return "tie"
    return "win" if side == ended.winner else "loss"


Ending = Callable[[GuildScope, Fight, MatchEnded, dict[str, Any]], Awaitable[tuple[Any, ...]]]
"""A mode's settlement (`LiveFights.endings`): pays or refunds what the mode holds in escrow,
counts what the mode counts, in the transaction that ends the fight; returns notices."""


@dataclass(frozen=True, slots=True)
class Step:
    """What one action did: the fight after it and the engine's events."""

    fight: Fight
    events: tuple[Any, ...]
    notices: tuple[Any, ...] = ()  # achievements unlocked, messages to edit
    card: tuple[int, int] | None = None  # the (channel, message) showing the fight
    acted: bool = False  # a fighter has acted (a duel's bets are closed)

    @property
    def ended(self) -> bool:
        return self.fight.status == engine.Status.ENDED


def deadline(fight: Fight) -> datetime:
    """When the fight next needs the scheduler: the turn's or the match's end."""
    turn = fight.turn_started_at + timedelta(seconds=fight.mode.turn_seconds)
    match = fight.started_at + timedelta(seconds=fight.mode.match_seconds)
    return min(turn, match)


class LiveFights:
    """Fights over the sessions table. `fighters` builds the engine's fighters for members
    (the combat service: weapon, level, max HP, healing items)."""

    def __init__(self, rng: Rng, fighters: Any) -> None:
        self.rng = rng
        self.fighters = fighters
        self.modes: dict[str, Mode] = dict(MODES)
        # modes whose members must hold a weapon (a fight of two unarmed members could only
        # end at the match limit); NPC training checks its own, tournaments at joining
        self.armed: set[str] = {"spar", "duel"}
        self.endings: dict[str, Ending] = {}  # mode name -> its settlement (duels, training)
        self.hooks = HOOKS  # the engine's hooks for every mode (boss fights add theirs)
        # mode name -> what its first action does (a duel's bets close)
        self.first_actions: dict[str, Callable[[GuildScope, Fight], Awaitable[None]]] = {}

    async def start(
        self,
        scope: GuildScope,
        mode_name: str,
        members: list[tuple[int, str]],
        *,
        npcs: tuple[Fighter, ...] = (),
        extra: dict[str, Any] | None = None,
        sides: Sequence[str] | None = None,
        order: Sequence[str] | None = None,
        bonus: Mapping[str, int] | None = None,
    ) -> Step:
        """A fight between members ((user id, display name), one side each unless `sides`
        gives each member's side) and `npcs` (auto fighters with their own sides and ids that
        are not member ids), in the caller's transaction. `order` is the engine's turn order
        (fighter ids), `bonus` each side's damage bonus (team fights). `extra` is kept beside
        the fight in its session (a mode's own facts: the stake, the NPC's difficulty, the
        teams' leaders), read back by the mode's ending as `extra_of`."""
        mode = self.modes[mode_name]
        if not (await scope.settings.load()).combat_enabled:
            raise CombatOff()
        now = scope.now()
        fight_id = str(new_id())
        lock_for = timedelta(seconds=mode.match_seconds + mode.turn_seconds + 60)
        for user_id, name in members:
            try:
                await scope.sessions.open(
                    FIGHTER, str(user_id), {"fight": fight_id}, lasts=lock_for, user_id=user_id
                )
            except SessionBusy:
                raise AlreadyFighting(who=name) from None
        sides = list(sides) if sides is not None else [f"side{i}" for i in range(len(members))]
        fighters = [
            await self.fighters(scope, user_id, name, side, mode)
            for (user_id, name), side in zip(members, sides, strict=True)
        ]
        if mode.name in self.armed:
            for (user_id, name), fighter in zip(members, fighters, strict=True):
                if fighter.weapon is None:
                    raise Unarmed(who=name, you=user_id == members[-1][0])
        fight, events = engine.new_fight(
            fight_id, mode, [*fighters, *npcs], self.rng, now, self.hooks, order=order,
            bonus=bonus,
        )  # fmt: skip
        state = {**engine.to_dict(fight), EXTRA: dict(extra or {})}
        await scope.sessions.open(FIGHT, fight_id, state, lasts=deadline(fight) - now)
        if fight.status == engine.Status.ENDED:  # an NPC's first blow may end it (never today)
            await scope.sessions.close(await scope.sessions.get(FIGHT, fight_id))  # type: ignore[arg-type]
            return Step(fight, tuple(events), await self._settle(scope, fight, list(events), state))
        return Step(fight, tuple(events))

    async def fighting(self, scope: GuildScope, user_id: int) -> bool:
        """Whether the member is in a live fight here (their `fighter` session)."""
        return await scope.sessions.get(FIGHTER, str(user_id)) is not None

    async def current(self, scope: GuildScope, user_id: int) -> Fight | None:
        lock = await scope.sessions.get(FIGHTER, str(user_id))
        if lock is None:
            return None
        found = await scope.sessions.get(FIGHT, str(lock.state["fight"]))
        return engine.from_dict(found.state) if found is not None else None

    async def act(self, scope: GuildScope, user_id: int, command: Any) -> Step:
        """Apply the member's command to their fight (validated whole by the engine)."""
        lock = await scope.sessions.get(FIGHTER, str(user_id))
        if lock is None:
            raise NoFight()
        session = await scope.sessions.get(FIGHT, str(lock.state["fight"]))
        if session is None:
            raise NoFight()
        extra = extra_of(session.state)
        command = for_the_side(engine.from_dict(session.state), extra, command)
        fight, events = engine.apply(
            engine.from_dict(session.state), command, self.rng, scope.now(), self.hooks
        )
        if not extra.get(ACTED) and isinstance(command, ACTIONS):
            extra[ACTED] = True  # someone fought: an idle ending is a forfeit, not a no-show
            first = self.first_actions.get(fight.mode.name)
            if first is not None:
                await first(scope, fight)
        session_state = {**session.state, EXTRA: extra}
        if fight.status == engine.Status.ENDED:
            await scope.sessions.close(session)  # compare-and-delete: the version check
            notices = await self._settle(scope, fight, events, session_state)
        else:
            state = _state(fight, session)
            state[EXTRA] = extra
            await scope.sessions.update(session, state, expires_at=deadline(fight))
            notices = ()
        return Step(fight, tuple(events), notices, shown_in(session), bool(extra.get(ACTED)))

    async def _settle(
        self, scope: GuildScope, fight: Fight, events: list[Any], state: dict[str, Any]
    ) -> tuple[Any, ...]:
        """Close its fighters' sessions (the fight's own is closed or expired already), count
        the result and run the mode's settlement: once, as the sessions are gone after this
        transaction. Returns the notices (achievements unlocked, messages to edit)."""
        for fighter in fight.fighters:
            lock = await scope.sessions.get(FIGHTER, fighter.id)
            if lock is not None and lock.state.get("fight") == fight.id:
                await scope.sessions.close(lock)
        ended = next((e for e in events if isinstance(e, MatchEnded)), None)
        if ended is None:
            return ()
        notices: list[Any] = []
        ending = self.endings.get(fight.mode.name)
        cancelled = False
        if ending is not None:
            said = await ending(scope, fight, ended, extra_of(state))
            cancelled = any(n is CANCELLED for n in said)
            notices.extend(n for n in said if n is not CANCELLED)
        names = COUNTERS.get(fight.mode.name)
        if names is not None and not cancelled:
            for fighter in fight.fighters:
                if not fighter.auto:
                    notices.extend(await self._count(scope, fight, fighter, ended, names))
        return tuple(notices)

    async def _count(
        self, scope: GuildScope, fight: Fight, fighter: Any, ended: MatchEnded,
        names: tuple[str, str, str],
    ) -> list[Any]:  # fmt: skip
        """A member's result in their mode's counters: wins / losses / ties, the current win
        streak (`<mode>_streak`, back to 0 on anything but a win) and the best one."""
        user_id = int(fighter.id)
        outcome = outcome_of(fighter.side, ended)
        mode = fight.mode.name
        streak, best = f"{mode}_streak", f"{mode}_best_streak"
        counter = names[("win", "loss", "tie").index(outcome)]
        before = await scope.counters.read(user_id, [counter, streak, best])
        run = before[streak] + 1 if outcome == "win" else 0
        return await count_result(
            scope, user_id, mode, outcome, add={counter: 1}, put={streak: run},
            high={best: run}, before=before,
        )  # fmt: skip

    async def on_session_ended(self, scope: GuildScope, event: SessionEnded) -> tuple[Any, ...]:
        """A fight whose deadline passed: the engine's Tick at that time settles or moves it."""
        if event.session.kind != FIGHT:
            return ()
        fight = engine.from_dict(event.session.state)
        fight, events = engine.apply(
            fight, engine.Tick(), self.rng, event.session.expires_at, self.hooks
        )
        if fight.status == engine.Status.ENDED:
            notices = await self._settle(scope, fight, events, event.session.state)
            where = shown_in(event.session)
            if where is not None:  # what the ending has to say goes where the card was
                notices = tuple(
                    n if isinstance(n, MessageNotice | ForMember) else InChannel(where[0], n)
                    for n in notices
                )
            return notices + tuple(self.on_expired_notices(event.session, fight, events))
        else:  # nothing was due after all (a clock edge): keep it live until its next deadline
            now = scope.now()
            await scope.sessions.open(
                FIGHT, fight.id, _state(fight, event.session), lasts=max(deadline(fight) - now,
                timedelta(seconds=1)),
            )  # fmt: skip
        return ()

    def on_expired_notices(
        self, session: Session, fight: Fight, events: list[Any]
    ) -> list[MessageNotice]:
        """The fight card of a fight the scheduler ended: its buttons go, it says how."""
        where = shown_in(session)
        ended = next((e for e in events if isinstance(e, MatchEnded)), None)
        if where is None or ended is None:
            return []
        return [MessageNotice(where[0], where[1], ended_text(fight, ended))]

    async def attach(
        self, scope: GuildScope, fight_id: str, channel_id: int, message_id: int
    ) -> bool:
        """Remember the message that shows the fight (its card), to edit it at the end."""
        return await scope.sessions.attach(FIGHT, fight_id, channel_id, message_id)


LEADERS = "leaders"  # in EXTRA: side -> the user id of the member who leads it (team fights)


def for_the_side(fight: Fight, extra: dict[str, Any], command: Any) -> Any:
    """Team fights (their EXTRA names each side's `LEADERS`): a side's leader may act for the
    teammate whose turn it is (the command becomes the teammate's), and only a leader forfeits
    for the side. Other fights: the command as given."""
    leaders = extra.get(LEADERS)
    if not leaders:
        return command
    actor = fight.fighter(command.actor)
    if actor is None:
        return command
    leads = str(leaders.get(actor.side)) == actor.id
    if isinstance(command, engine.Forfeit):
        if not leads:
            raise LeaderForfeits()
        return command
    whose = fight.fighter(fight.whose_turn)
    if leads and whose is not None and whose.id != actor.id and whose.side == actor.side:
        return dataclasses.replace(command, actor=whose.id)
    return command


EXTRA = "_extra"  # a mode's own facts, kept beside the fight in its session
ACTED = "acted"  # in EXTRA: a fighter has acted (attacked, defended, healed...)
ACTIONS = (engine.Attack, engine.Defend, engine.Heal, engine.PetAttack, engine.UsePotion)


def _state(fight: Fight, session: Session) -> dict[str, Any]:
    """The fight's JSON, keeping the message the session was attached to and the mode's
    facts."""
    state = engine.to_dict(fight)
    for kept in (MESSAGE, EXTRA):
        if kept in session.state:
            state[kept] = session.state[kept]
    return state


def extra_of(state: dict[str, Any]) -> dict[str, Any]:
    return dict(state.get(EXTRA) or {})


def ended_text(fight: Fight, ended: MatchEnded) -> str:
    """How a fight ended, in one plain line (names are shown as written, without mentions:
    the bot sends no pings)."""
    names = {f.side: f.name for f in fight.fighters}
    if ended.winner is None:
        how = "it's a tie" if ended.reason != "cancelled" else "it's called off"
    else:
        how = f"**{names.get(ended.winner, ended.winner)}** wins"
    why = {
        "idle": "⌛ Time's up for the turn",
        "match_limit": "⌛ The match ran out of time",
        "forfeit": "🏳️ A forfeit",
        "ko": "💥 A knockout",
    }.get(ended.reason, "The fight is over")
    return f"{why}: {how}."
