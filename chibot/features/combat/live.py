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

Sparring (`MODES["spar"]`) is the first mode: no stakes, no rewards, its own stats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.ids import new_id
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.sessions import SessionBusy, SessionEnded
from chibot.features.combat import engine
from chibot.features.combat.engine import Fight, MatchEnded, Mode
from chibot.features.combat.errors import AlreadyFighting, NoFight

FIGHT = "fight"
FIGHTER = "fighter"
MODES = {
    "spar": Mode("spar", turn_seconds=90, match_seconds=600, heal_charges=2),
}
COUNTERS = {"spar": ("spar_wins", "spar_losses", "spar_ties")}


@dataclass(frozen=True, slots=True)
class Step:
    """What one action did: the fight after it and the engine's events."""

    fight: Fight
    events: tuple[Any, ...]

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

    async def start(
        self, scope: GuildScope, mode_name: str, members: list[tuple[int, str]]
    ) -> Step:
        """A fight between members ((user id, display name), one side each), in the caller's
        transaction."""
        mode = MODES[mode_name]
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
        fighters = [
            await self.fighters(scope, user_id, name, f"side{i}", mode)
            for i, (user_id, name) in enumerate(members)
        ]
        fight, events = engine.new_fight(fight_id, mode, fighters, self.rng, now)
        await scope.sessions.open(
            FIGHT, fight_id, engine.to_dict(fight), lasts=deadline(fight) - now
        )
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
        fight, events = engine.apply(
            engine.from_dict(session.state), command, self.rng, scope.now()
        )
        if fight.status == engine.Status.ENDED:
            await scope.sessions.close(session)  # compare-and-delete: the version check
            await self._settle(scope, fight, events)
        else:
            await scope.sessions.update(session, engine.to_dict(fight), expires_at=deadline(fight))
        return Step(fight, tuple(events))

    async def _settle(self, scope: GuildScope, fight: Fight, events: list[Any]) -> None:
        """Close its fighters' sessions (the fight's own is closed or expired already) and
        count the result: once, as the sessions are gone after this transaction."""
        for fighter in fight.fighters:
            lock = await scope.sessions.get(FIGHTER, fighter.id)
            if lock is not None and lock.state.get("fight") == fight.id:
                await scope.sessions.close(lock)
        names = COUNTERS.get(fight.mode.name)
        ended = next((e for e in events if isinstance(e, MatchEnded)), None)
        if names is None or ended is None:
            return
        for fighter in fight.fighters:
            if ended.winner is None:
                counter = names[2]
            else:
                counter = names[0] if fighter.side == ended.winner else names[1]
            await scope.counters.bump(int(fighter.id), counter, 1)

    async def on_session_ended(self, scope: GuildScope, event: SessionEnded) -> tuple[Any, ...]:
        """A fight whose deadline passed: the engine's Tick at that time settles or moves it."""
        if event.session.kind != FIGHT:
            return ()
        fight = engine.from_dict(event.session.state)
        fight, events = engine.apply(fight, engine.Tick(), self.rng, event.session.expires_at)
        if fight.status == engine.Status.ENDED:
            await self._settle(scope, fight, events)
        else:  # nothing was due after all (a clock edge): keep it live until its next deadline
            now = scope.now()
            await scope.sessions.open(
                FIGHT, fight.id, engine.to_dict(fight), lasts=max(deadline(fight) - now,
                timedelta(seconds=1)),
            )  # fmt: skip
        return ()
