"""Tournaments: a single-elimination bracket of live fights, an entry fee into a pool, a prize
for the final's two (docs/combat.md, "Tournaments"; the bracket's rules are `bracket.py`).

- **One at a time**: a server has at most one tournament open (for joining) or running; the
  unique (`guild_id`, `live`) index refuses a second one, even created at the same instant.
- **Joining** (`tournament join`) pays the entry fee into the pool (a ledgered debit,
  `combat.tournament_fee`), while the tournament is open and not full. The join moves the
  tournament's row first, conditionally (`status = open` and fewer entrants than the limit),
  so of 20 members joining a tournament of 8 at once exactly 8 are in, each charged once; a
  member without the fee, or in already, changes nothing. **Leaving** before the start
  refunds the fee (`combat.tournament_refund`).
- **The start** (admins; at least 2 entrants): seeds are the join order, round 1 is built
  (`bracket.first_round`: byes to the top seeds) and each of its matches starts as a live fight
  in the `tournament` mode, whose results count in `tournament_wins` / `_losses` / `_ties`.
- **A match ends** (its fight's ending, in the transaction that ends the fight): the winner
  advances; a no-show (the first turn passes with no action) is the engine's idle rule (the
  idle side forfeits): a walk-over. A tie goes to the better seed. When every match of the
  round is decided, the next round is built and started; the final's winner is the champion:
  the pool is paid (`bracket.prize_split`, ledgered credits `combat.tournament_prize`, not
  earned chi) and `tournaments_won` goes up.
- **A busy entrant** (in another live fight when their match should start): the match waits
  (`pending`). It is tried again whenever a match of the tournament ends and at the round's
  deadline (a scheduler job, `deadline_minutes` after the round began): then whoever is still
  busy loses by walk-over (both busy: the better seed advances).
- **Cancelling** (admins) refunds every fee paid and ends the live tournament fights without
  results (their sessions are closed: nothing is counted, their cards say so).
- **The admin shortcut** `tournament @a @b` is the legacy tournament: a forced match in the
  `tournament` mode, no bracket, no stakes, counted in the tournament counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chibot.core.errors import InvalidAmount
from chibot.core.ids import new_id
from chibot.core.scheduler import Jobs
from chibot.core.scope import GuildScope
from chibot.core.sessions import MessageNotice, shown_in
from chibot.features.combat import bracket, engine
from chibot.features.combat.engine import Fight, MatchEnded, Mode
from chibot.features.combat.errors import (
    AlreadyEntered,
    BadTournament,
    NotEntered,
    NoTournament,
    SelfFight,
    TooFewEntrants,
    TournamentFull,
    TournamentLive,
    TournamentStarted,
)
from chibot.features.combat.live import COUNTERS, FIGHT, FIGHTER, PETS, LiveFights, Step
from chibot.features.combat.store import TournamentStore, combat_tournaments

TOURNAMENT = Mode("tournament", turn_seconds=90, match_seconds=600, heal_charges=2, allows=PETS)
COUNTERS.setdefault("tournament", ("tournament_wins", "tournament_losses", "tournament_ties"))
DEADLINE_JOB = "combat.tournament_round"
DEADLINE_MINUTES = 15  # a round's matches must have started by then (the match lasts 10)
MAX_FEE = 10**9
NAME_MAX = 64
HOW = {"idle": "walkover", "match_limit": "time"}


@dataclass(frozen=True, slots=True)
class Entrant:
    user_id: int
    name: str
    seed: int
    out: bool


@dataclass(frozen=True, slots=True)
class Match:
    round: int
    slot: int
    side0: int | None
    side1: int | None
    winner: int | None
    status: str  # pending | live | done
    how: str | None  # ko, forfeit, walkover, time, tie, bye, cancelled
    fight_id: str | None


@dataclass(frozen=True, slots=True)
class Tournament:
    """A tournament as the bracket shows it."""

    id: int
    name: str
    status: str
    fee: int
    pool: int
    size_limit: int | None
    round: int
    deadline_minutes: int
    champion: int | None
    runner_up: int | None
    prize: int
    runner_up_prize: int
    entrants: tuple[Entrant, ...]
    matches: tuple[Match, ...]

    @property
    def rounds(self) -> int:
        n = len(self.entrants)
        return bracket.rounds_for(n) if n >= bracket.MIN_ENTRANTS else 0

    def name_of(self, user_id: int | None) -> str:
        if user_id is None:
            return "—"
        return next((e.name for e in self.entrants if e.user_id == user_id), str(user_id))

    def seed_of(self, user_id: int | None) -> int:
        return next((e.seed for e in self.entrants if e.user_id == user_id), 0)


@dataclass(frozen=True, slots=True)
class Joined:
    name: str
    tournament_id: int
    fee: int
    balance: int | None  # after the fee (None: no fee)
    entrants: int
    size_limit: int | None
    pool: int


@dataclass(frozen=True, slots=True)
class Left:
    name: str
    refund: int


@dataclass(frozen=True, slots=True)
class MatchStarted:
    """A tournament match that started as a live fight (its card is to be posted)."""

    tournament: str
    round: int
    rounds: int
    slot: int
    step: Step


@dataclass(frozen=True, slots=True)
class MatchDecided:
    tournament: str
    round: int
    rounds: int
    winner: str
    loser: str
    how: str


@dataclass(frozen=True, slots=True)
class TournamentWon:
    tournament: str
    champion_id: int
    champion: str
    prize: int
    runner_up_id: int
    runner_up: str
    runner_up_prize: int


@dataclass(frozen=True, slots=True)
class Started:
    tournament: Tournament
    matches: tuple[MatchStarted, ...]  # round 1's fights that started
    notices: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Cancelled:
    name: str
    refunded: int
    entrants: int
    stopped: int  # live fights ended without a result
    notices: tuple[MessageNotice, ...]


def round_name(number: int, rounds: int) -> str:
    left = rounds - number
    if left == 0:
        return "the final"
    if left == 1:
        return "the semi-finals"
    if left == 2:
        return "the quarter-finals"
    return f"round {number}"


class Tournaments:
    """The tournament mode over the live fights, and the bracket in its tables."""

    def __init__(self, live: LiveFights) -> None:
        self.live = live
        live.modes[TOURNAMENT.name] = TOURNAMENT
        live.endings[TOURNAMENT.name] = self.ending

    # --- reading --------------------------------------------------------------------------

    async def view(self, scope: GuildScope, tournament_id: int | None = None) -> Tournament:
        store = TournamentStore(scope)
        row = await (store.get(tournament_id) if tournament_id is not None else store.latest())
        if row is None:
            raise NoTournament()
        entrants = tuple(
            Entrant(int(e.user_id), e.name, int(e.seed), bool(e.out))
            for e in await store.entrants(row.id)
        )
        matches = tuple(
            Match(
                int(m.round), int(m.slot), m.side0, m.side1, m.winner, m.status, m.how, m.fight_id
            )  # fmt: skip
            for m in await store.matches(row.id)
        )
        return Tournament(
            int(row.id), row.name, row.status, int(row.entry_fee), int(row.pool), row.size_limit,
            int(row.round), int(row.deadline_minutes), row.champion, row.runner_up,
            int(row.prize), int(row.runner_up_prize), entrants, matches,
        )  # fmt: skip

    async def _live(self, scope: GuildScope) -> Any:
        row = await TournamentStore(scope).live()
        if row is None:
            raise NoTournament()
        return row

    # --- before the start -----------------------------------------------------------------

    async def create(
        self, scope: GuildScope, user_id: int, name: str, fee: int = 0,
        size_limit: int | None = None, *, deadline_minutes: int = DEADLINE_MINUTES,
        channel_id: int | None = None,
    ) -> Tournament:  # fmt: skip
        clean = " ".join(name.split())
        if not clean or len(clean) > NAME_MAX:
            raise BadTournament(why=f"A tournament's name is 1 to {NAME_MAX} characters.")
        if fee < 0 or fee > MAX_FEE:
            raise InvalidAmount("An entry fee is a positive amount of chi (or none).")
        if (
            size_limit is not None
            and not bracket.MIN_ENTRANTS <= size_limit <= bracket.MAX_ENTRANTS
        ):
            raise BadTournament(
                why=f"A tournament takes {bracket.MIN_ENTRANTS} to {bracket.MAX_ENTRANTS} entrants."
            )
        if deadline_minutes < 1:
            raise BadTournament(why="A match deadline is at least a minute.")
        store = TournamentStore(scope)
        tournament_id = new_id()
        made = await store.create(
            {
                "id": tournament_id, "name": clean, "status": "open", "entry_fee": fee,
                "pool": 0, "size_limit": size_limit, "entrants": 0, "joins": 0,
                "created_by": user_id, "round": 0, "deadline_minutes": deadline_minutes,
                "channel_id": channel_id, "created_at": scope.now(), "prize": 0,
                "runner_up_prize": 0,
            }
        )  # fmt: skip
        if not made:
            live = await store.live()
            raise TournamentLive(name=live.name if live is not None else "A tournament")
        await scope.audit.write(
            user_id, "combat.tournament_create", note=f"{tournament_id} {clean}",
            after={"fee": fee, "size_limit": size_limit},
        )  # fmt: skip
        return await self.view(scope, tournament_id)

    async def join(self, scope: GuildScope, user_id: int, name: str) -> Joined:
        store = TournamentStore(scope)
        t = await self._live(scope)
        if t.status != "open":
            raise TournamentStarted(name=t.name)
        if await store.entrant(t.id, user_id) is not None:
            raise AlreadyEntered(name=t.name)
        c = combat_tournaments.c
        cap = bracket.MAX_ENTRANTS
        row = await store.change(
            t.id,
            where=(c.status == "open")
            & (c.entrants < cap)
            & (c.size_limit.is_(None) | (c.entrants < c.size_limit)),
            entrants=c.entrants + 1, joins=c.joins + 1, pool=c.pool + c.entry_fee,
        )  # fmt: skip
        if row is None:  # full, or started meanwhile
            now = await store.get(t.id)
            if now is None or now.status != "open":
                raise TournamentStarted(name=t.name)
            raise TournamentFull(name=t.name, limit=now.size_limit or cap)
        fee = int(row.entry_fee)
        if not await store.add_entrant(t.id, user_id, name, int(row.joins), fee, scope.now()):
            raise AlreadyEntered(name=t.name)  # a second join at the same time: all rolls back
        balance = None
        if fee:
            balance = await scope.wallet.debit(
                user_id, fee, reason="combat.tournament_fee", ref=str(t.id)
            )
        return Joined(row.name, int(t.id), fee, balance, int(row.entrants), row.size_limit,
                      int(row.pool))  # fmt: skip

    async def leave(self, scope: GuildScope, user_id: int) -> Left:
        store = TournamentStore(scope)
        t = await self._live(scope)
        c = combat_tournaments.c
        row = await store.change(t.id, where=c.status == "open", entrants=c.entrants - 1)
        if row is None:
            raise TournamentStarted(name=t.name)
        gone = await store.remove_entrant(t.id, user_id)
        if gone is None:
            raise NotEntered(name=t.name)  # rolls the count back
        fee = int(gone.fee)
        if fee:
            await store.change(t.id, pool=c.pool - fee)
            await scope.wallet.credit(
                user_id, fee, reason="combat.tournament_refund", ref=str(t.id), earned=False
            )
        return Left(t.name, fee)

    # --- the start, the rounds ------------------------------------------------------------

    async def start(self, scope: GuildScope, user_id: int) -> Started:
        store = TournamentStore(scope)
        t = await self._live(scope)
        c = combat_tournaments.c
        now = scope.now()
        row = await store.change(
            t.id, where=c.status == "open", status="running", round=1, started_at=now
        )
        if row is None:
            raise TournamentStarted(name=t.name)
        entrants = await store.entrants(t.id)  # by join order
        if len(entrants) < bracket.MIN_ENTRANTS:
            raise TooFewEntrants(name=t.name, count=len(entrants))
        seeds = {int(e.user_id): i + 1 for i, e in enumerate(entrants)}
        await store.reseed(t.id, seeds)
        by_seed = {s: u for u, s in seeds.items()}
        deadline = now + timedelta(minutes=int(row.deadline_minutes))
        rows: list[dict[str, Any]] = []
        for slot, (top, bottom) in enumerate(bracket.first_round(len(entrants))):
            if bottom is None:
                rows.append({"round": 1, "slot": slot, "side0": by_seed[top], "side1": None,
                             "winner": by_seed[top], "status": "done", "how": "bye"})  # fmt: skip
            else:
                rows.append({"round": 1, "slot": slot, "side0": by_seed[top],
                             "side1": by_seed[bottom], "status": "pending",
                             "deadline": deadline})  # fmt: skip
        await store.add_matches(t.id, rows)
        await scope.get(Jobs).schedule(DEADLINE_JOB, deadline, key=f"{t.id}:1")
        await scope.audit.write(
            user_id, "combat.tournament_start", note=f"{t.id} {t.name}",
            after={"entrants": len(entrants), "pool": int(row.pool)},
        )  # fmt: skip
        notices = await self._launch(scope, row, 1)
        started = tuple(n for n in notices if isinstance(n, MatchStarted))
        others = tuple(n for n in notices if not isinstance(n, MatchStarted))
        return Started(await self.view(scope, t.id), started, others)

    async def _names(self, scope: GuildScope, tournament_id: int) -> dict[int, str]:
        return {
            int(e.user_id): e.name for e in await TournamentStore(scope).entrants(tournament_id)
        }

    async def _launch(self, scope: GuildScope, t: Any, round_: int) -> list[Any]:
        """Start the round's pending matches whose two sides are free (a member in another
        live fight makes their match wait)."""
        store = TournamentStore(scope)
        names = await self._names(scope, t.id)
        rounds = bracket.rounds_for(len(names))
        started: list[Any] = []
        for m in await store.matches(t.id, round_):
            if m.status != "pending" or m.side0 is None or m.side1 is None:
                continue
            a, b = int(m.side0), int(m.side1)
            if await self.live.fighting(scope, a) or await self.live.fighting(scope, b):
                continue
            step = await self.live.start(
                scope, TOURNAMENT.name, [(a, names[a]), (b, names[b])],
                extra={"tournament": int(t.id), "round": round_, "slot": int(m.slot)},
            )  # fmt: skip
            await store.set_match(t.id, round_, m.slot, only_if="pending", status="live",
                                  fight_id=step.fight.id)  # fmt: skip
            started.append(MatchStarted(t.name, round_, rounds, int(m.slot), step))
        return started

    async def _decide(
        self, scope: GuildScope, t: Any, m: Any, winner: int, how: str, only_if: str
    ) -> MatchDecided | None:
        store = TournamentStore(scope)
        if not await store.set_match(t.id, m.round, m.slot, only_if=only_if, status="done",
                                     winner=winner, how=how[:12]):  # fmt: skip
            return None
        loser = int(m.side1) if int(m.side0) == winner else int(m.side0)
        await store.knock_out(t.id, loser)
        names = await self._names(scope, t.id)
        return MatchDecided(t.name, int(m.round), bracket.rounds_for(len(names)), names[winner],
                            names[loser], how)  # fmt: skip

    async def _advance(self, scope: GuildScope, t: Any) -> list[Any]:
        """After a match was decided: start what can start; a complete round builds the next
        one (or crowns the champion)."""
        store = TournamentStore(scope)
        round_ = int(t.round)
        matches = await store.matches(t.id, round_)
        if any(m.status != "done" for m in matches):
            return await self._launch(scope, t, round_)
        if len(matches) == 1:
            return await self._finish(scope, t, matches[0])
        following = round_ + 1
        deadline = scope.now() + timedelta(minutes=int(t.deadline_minutes))
        rows = [
            {
                "round": following,
                "slot": i,
                "side0": a,
                "side1": b,
                "status": "pending",
                "deadline": deadline,
            }  # fmt: skip
            for i, (a, b) in enumerate(bracket.pairs([int(m.winner) for m in matches]))
        ]
        await store.add_matches(t.id, rows)
        row = await store.change(t.id, round=following)
        await scope.get(Jobs).schedule(DEADLINE_JOB, deadline, key=f"{t.id}:{following}")
        return await self._launch(scope, row, following)

    async def _finish(self, scope: GuildScope, t: Any, final: Any) -> list[Any]:
        store = TournamentStore(scope)
        champion = int(final.winner)
        runner_up = int(final.side1) if int(final.side0) == champion else int(final.side0)
        names = await self._names(scope, t.id)
        pool = int(t.pool)
        prize, second = bracket.prize_split(pool, len(names))
        for user, amount in ((champion, prize), (runner_up, second)):
            if amount:
                await scope.wallet.credit(user, amount, reason="combat.tournament_prize",
                                          ref=str(t.id), earned=False)  # fmt: skip
        await store.change(
            t.id, status="finished", live=None, finished_at=scope.now(), champion=champion,
            runner_up=runner_up, prize=prize, runner_up_prize=second,
        )  # fmt: skip
        await scope.counters.apply(champion, add={"tournaments_won": 1})
        return [TournamentWon(t.name, champion, names[champion], prize, runner_up,
                              names[runner_up], second)]  # fmt: skip

    async def ending(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        """A tournament fight ended: record the match, move the bracket on."""
        tournament_id = extra.get("tournament")
        if tournament_id is None:
            return ()  # the admin shortcut: counted, nothing more
        store = TournamentStore(scope)
        c = combat_tournaments.c
        t = await store.change(int(tournament_id), where=c.status == "running", round=c.round)
        if t is None:
            return ()  # cancelled meanwhile
        m = await store.match(t.id, int(extra["round"]), int(extra["slot"]))
        if m is None or m.status != "live" or m.fight_id != fight.id:
            return ()
        sides = {"side0": int(m.side0), "side1": int(m.side1)}
        if ended.winner in sides:
            winner, how = sides[ended.winner], HOW.get(ended.reason, ended.reason)
        else:  # a tie: the better seed advances
            seeds = {int(e.user_id): int(e.seed) for e in await store.entrants(t.id)}
            better = bracket.tie_break(seeds[sides["side0"]], seeds[sides["side1"]])
            winner, how = next(u for u, s in seeds.items() if s == better), "tie"
        notices: list[Any] = []
        decided = await self._decide(scope, t, m, winner, how, "live")
        if decided is None:
            return ()
        notices.append(decided)
        notices.extend(await self._advance(scope, t))
        return tuple(notices)

    async def on_deadline(self, scope: GuildScope, tournament_id: int, round_: int) -> list[Any]:
        """A round's deadline: matches still waiting start if they can; otherwise whoever is
        busy in another fight loses by walk-over (both busy: the better seed advances)."""
        store = TournamentStore(scope)
        c = combat_tournaments.c
        t = await store.change(
            tournament_id, where=(c.status == "running") & (c.round == round_), round=c.round
        )
        if t is None:
            return []
        notices = await self._launch(scope, t, round_)
        seeds = {int(e.user_id): int(e.seed) for e in await store.entrants(t.id)}
        decided_any = False
        for m in await store.matches(t.id, round_):
            if m.status != "pending":
                continue
            a, b = int(m.side0), int(m.side1)
            busy_a, busy_b = await self.live.fighting(scope, a), await self.live.fighting(scope, b)
            if busy_a != busy_b:
                winner = b if busy_a else a
            else:
                winner = a if bracket.tie_break(seeds[a], seeds[b]) == seeds[a] else b
            decided = await self._decide(scope, t, m, winner, "walkover", "pending")
            if decided is not None:
                notices.append(decided)
                decided_any = True
        if decided_any:
            notices.extend(await self._advance(scope, t))
        return notices

    # --- the end ---------------------------------------------------------------------------

    async def cancel(self, scope: GuildScope, user_id: int) -> Cancelled:
        store = TournamentStore(scope)
        t = await self._live(scope)
        c = combat_tournaments.c
        row = await store.change(
            t.id, where=c.live.is_(True), status="cancelled", live=None,
            finished_at=scope.now(),
        )  # fmt: skip
        if row is None:
            raise NoTournament()
        entrants = await store.entrants(t.id)
        refunded = 0
        for e in entrants:
            if int(e.fee):
                await scope.wallet.credit(int(e.user_id), int(e.fee),
                                          reason="combat.tournament_refund", ref=str(t.id),
                                          earned=False)  # fmt: skip
                refunded += int(e.fee)
        notices: list[MessageNotice] = []
        stopped = 0
        for m in await store.matches(t.id):
            if m.status == "done":
                continue
            if m.status == "live" and m.fight_id is not None:
                stopped += await self._stop(scope, m.fight_id, t.name, notices)
            await store.set_match(t.id, m.round, m.slot, status="done", how="cancelled")
        await store.change(t.id, pool=0)
        await scope.get(Jobs).cancel(DEADLINE_JOB, f"{t.id}:{t.round}")
        await scope.audit.write(
            user_id, "combat.tournament_cancel", note=f"{t.id} {t.name}",
            after={"refunded": refunded, "entrants": len(entrants)},
        )  # fmt: skip
        return Cancelled(t.name, refunded, len(entrants), stopped, tuple(notices))

    async def _stop(
        self, scope: GuildScope, fight_id: str, name: str, notices: list[MessageNotice]
    ) -> int:
        """End a live fight without a result: its session and its fighters' locks go."""
        session = await scope.sessions.get(FIGHT, fight_id)
        if session is None:
            return 0
        await scope.sessions.close(session)
        for fighter in engine.from_dict(session.state).fighters:
            fid = fighter.id
            lock = await scope.sessions.get(FIGHTER, fid)
            if lock is not None and lock.state.get("fight") == fight_id:
                await scope.sessions.close(lock)
        where = shown_in(session)
        if where is not None:
            notices.append(MessageNotice(where[0], where[1],
                                         f"🛑 **{name}** was cancelled: this match is called off, "
                                         "no result is counted."))  # fmt: skip
        return 1

    # --- the legacy shortcut ---------------------------------------------------------------

    async def force(self, scope: GuildScope, a: int, a_name: str, b: int, b_name: str) -> Step:
        """`tournament @a @b` (admins): a forced match, no bracket, no stakes."""
        if a == b:
            raise SelfFight()
        return await self.live.start(
            scope, TOURNAMENT.name, [(a, a_name), (b, b_name)], extra={"forced": True}
        )
