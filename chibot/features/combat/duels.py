"""Duels: a challenge with an optional stake, both stakes in escrow, spectator bets, one
settlement.

- **The challenge** (`duel @member [stake]`) escrows the challenger's stake at once (a ledgered
  debit, `combat.duel_stake`) in a `duel_challenge` session keyed `<target>:<challenger>` that
  lasts two minutes. Declined or expired, the stake comes back (`combat.duel_refund`), once:
  `take` and the scheduler's expiry each delete the session in the statement that answers it.
- **Accepting** escrows the other stake (the same amount: a member without it can't accept, and
  nothing changes), starts the fight (`LiveFights`, mode `duel`) and opens its pool
  (`combat_pools`): the two stakes and the bets.
- **Bets** (`duel bet <amount> @duelist`): spectators only, one per member per duel, escrowed
  when placed (`combat.bet`), accepted only while the pool is `open`, which it stops being at
  the duel's first action (an attack, a defend, a heal: `LiveFights.first_actions`). The bet's
  row and the pool's total are written in the bet's transaction, the pool's row conditionally
  on its status: the settlement changes that row too, so a bet is either in the pool the
  settlement pays or refused, never lost in between.
- **The settlement** (`ending`, the mode's `LiveFights.endings`) runs once, in the transaction
  that ends the fight (the pool goes to `settled` conditionally, so a second run finds nothing):
  * a win (a knockout, a forfeit, the idle side forfeiting after the duel began, the match limit
    by HP share): the winner takes both stakes; the bets on the winner share the whole pool
    less the house's 5% (`rules.split_bets`, a parimutuel pool; rounding goes to the house);
  * a tie (equal HP shares at the match limit) or a duel nobody fought (accepted, then the
    first turn passed without an action: reason `idle` with no action taken): the stakes and
    every bet come back whole; a duel nobody fought counts in nobody's record.
  Winnings and refunds are not *earned* chi (they were members' chi already): they don't raise
  the lifetime total that levels read. The house's cut is kept on the pool's row (`house`):
  the ledger's bet debits equal the payouts plus the recorded cuts, exactly.
- **No reward from nowhere.** A duel pays only what its duelists and bettors put in: two alts
  dueling each other earn nothing but their record (legacy paid 75 chi a win: a faucet without
  a limit, bug B7's PvP twin). First Blood and the other duel achievements are one-time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.errors import InvalidAmount
from chibot.core.scope import GuildScope
from chibot.core.sessions import MessageNotice, SessionBusy, SessionEnded, shown_in
from chibot.features.combat import engine, rules
from chibot.features.combat.engine import Fight, MatchEnded, Mode
from chibot.features.combat.errors import (
    AlreadyBet,
    AlreadyFighting,
    BetsClosed,
    BetsOff,
    CombatOff,
    DuelistBet,
    DuelPending,
    NoChallenge,
    NotADuel,
    SelfFight,
    StakeTooHigh,
    Unarmed,
)
from chibot.features.combat.live import (
    ACTED,
    CANCELLED,
    FIGHT,
    FIGHTER,
    PETS,
    LiveFights,
    Step,
    extra_of,
)
from chibot.features.combat.store import PoolStore

DUEL = Mode("duel", turn_seconds=90, match_seconds=600, heal_charges=2, allows=PETS)
CHALLENGE = "duel_challenge"
CHALLENGE_LASTS = timedelta(minutes=2)
MAX_STAKE = 10**12


@dataclass(frozen=True, slots=True)
class DuelChallenge:
    """A duel challenge sent, its stake escrowed."""

    challenger_id: int
    challenger: str
    target_id: int
    target: str
    stake: int
    expires_at: datetime
    balance: int  # the challenger's chi after the stake went into escrow


@dataclass(frozen=True, slots=True)
class Declined:
    challenger_id: int
    challenger: str
    target: str
    stake: int  # refunded to the challenger


@dataclass(frozen=True, slots=True)
class BetPlaced:
    fight_id: str
    on_id: int
    on: str
    amount: int
    balance: int
    pool: int  # the bets' total so far, this one included
    bettors: int


@dataclass(frozen=True, slots=True)
class DuelResult:
    """How a duel's escrow was settled (a notice in the ending's Step)."""

    fight_id: str
    winner_id: int | None
    stake: int  # per side
    refunded: bool  # stakes and bets came back (a tie, a duel nobody fought)
    cancelled: bool  # nobody fought
    bets: rules.BetSplit
    bettors: int
    pool: int


class Duels:
    """The duel mode over the live fights."""

    def __init__(self, live: LiveFights, teams: Any = None) -> None:
        self.live = live
        self.teams = teams  # the teams service: `record_duel` for each duelist's team
        live.modes[DUEL.name] = DUEL
        live.endings[DUEL.name] = self.ending
        live.first_actions[DUEL.name] = self.first_action

    # --- challenge -------------------------------------------------------------------------

    async def challenge(
        self, scope: GuildScope, user_id: int, name: str, other_id: int, other_name: str,
        stake: int,
    ) -> DuelChallenge:  # fmt: skip
        if other_id == user_id:
            raise SelfFight()
        if stake < 0 or stake > MAX_STAKE:
            raise InvalidAmount("A stake is a positive amount of chi (or none).")
        settings = await scope.settings.load()
        if not settings.combat_enabled:
            raise CombatOff()
        if stake > settings.duel_max_stake:
            raise StakeTooHigh(most=settings.duel_max_stake)
        for who, label in ((user_id, name), (other_id, other_name)):
            if await self.live.fighting(scope, who):
                raise AlreadyFighting(who=label)
        if (await self.live.fighters(scope, user_id, name, "side0", DUEL)).weapon is None:
            raise Unarmed(who=name, you=True)
        balance = (await scope.wallet.get(user_id)).chi
        if stake:
            balance = await scope.wallet.debit(
                user_id, stake, reason="combat.duel_stake", ref=str(other_id)
            )
        state = {"from": user_id, "name": name, "target": other_name, "stake": stake}
        try:
            made = await scope.sessions.open(
                CHALLENGE, f"{other_id}:{user_id}", state, lasts=CHALLENGE_LASTS,
                user_id=other_id,
            )  # fmt: skip
        except SessionBusy:
            raise DuelPending(who=other_name) from None
        return DuelChallenge(user_id, name, other_id, other_name, stake, made.expires_at, balance)

    async def attach(
        self, scope: GuildScope, challenge: DuelChallenge, channel_id: int, message_id: int
    ) -> bool:
        key = f"{challenge.target_id}:{challenge.challenger_id}"
        return await scope.sessions.attach(CHALLENGE, key, channel_id, message_id)

    async def answer(
        self, scope: GuildScope, user_id: int, name: str, challenger_id: int | None,
        *, accept: bool,
    ) -> Step | Declined:  # fmt: skip
        """Accept or decline the challenge from `challenger_id` (the latest one waiting for
        the member when None)."""
        if challenger_id is None:
            waiting = await scope.sessions.waiting_on(CHALLENGE, user_id)
            if not waiting:
                raise NoChallenge()
            key = waiting[-1].key
        else:
            key = f"{user_id}:{challenger_id}"
        try:
            session = await scope.sessions.take(CHALLENGE, key)
        except Exception as error:  # SessionGone: answered, expired or never sent
            raise NoChallenge() from error
        state = session.state
        stake, challenger, challenger_name = int(state["stake"]), int(state["from"]), state["name"]
        if not accept:
            if stake:
                await scope.wallet.credit(
                    challenger, stake, reason="combat.duel_refund", ref=str(user_id),
                    earned=False,
                )  # fmt: skip
            return Declined(challenger, challenger_name, name, stake)
        if stake:
            await scope.wallet.debit(
                user_id, stake, reason="combat.duel_stake", ref=str(challenger)
            )
        step = await self.live.start(
            scope, DUEL.name, [(challenger, challenger_name), (user_id, name)],
            extra={"stake": stake},
        )  # fmt: skip
        await PoolStore(scope).open(step.fight.id, challenger, user_id, stake, scope.now())
        return step

    async def on_challenge_ended(self, scope: GuildScope, event: SessionEnded) -> tuple[Any, ...]:
        """An unanswered challenge: the stake comes back, the message says it expired."""
        state = event.session.state
        stake = int(state.get("stake", 0))
        if stake:
            await scope.wallet.credit(
                int(state["from"]), stake, reason="combat.duel_refund",
                ref=str(event.session.user_id), earned=False,
            )  # fmt: skip
        where = shown_in(event.session)
        if where is None:
            return ()
        back = f" Your {stake:,} chi stake is back, {state['name']}." if stake else ""
        return (
            MessageNotice(
                where[0], where[1],
                f"⌛ {state['target']} didn't answer {state['name']}'s duel challenge in time.{back}",
            ),
        )  # fmt: skip

    # --- bets ------------------------------------------------------------------------------

    async def bet(
        self, scope: GuildScope, user_id: int, amount: int, duelist_id: int, duelist: str
    ) -> BetPlaced:
        """A spectator's bet on a duelist of a live duel, escrowed now."""
        if amount <= 0:
            raise InvalidAmount("A bet is a positive amount of chi.")
        if not (await scope.settings.load()).duel_bets_enabled:
            raise BetsOff()
        lock = await scope.sessions.get(FIGHTER, str(duelist_id))
        session = await scope.sessions.get(FIGHT, str(lock.state["fight"])) if lock else None
        if session is None or session.state.get("mode", {}).get("name") != DUEL.name:
            raise NotADuel(who=duelist)
        fight = engine.from_dict(session.state)
        backed = fight.fighter(str(duelist_id))
        if fight.fighter(str(user_id)) is not None:
            raise DuelistBet()
        if backed is None or extra_of(session.state).get(ACTED):
            raise BetsClosed() if backed is not None else NotADuel(who=duelist)
        pools = PoolStore(scope)
        if not await pools.add_bet(fight.id, user_id, backed.side, amount, scope.now()):
            raise AlreadyBet()
        balance = await scope.wallet.debit(user_id, amount, reason="combat.bet", ref=fight.id)
        if not await pools.count_bet(fight.id, amount):
            raise BetsClosed()  # the first action or the settlement came first: all rolls back
        pool = await pools.pool(fight.id)
        return BetPlaced(fight.id, duelist_id, backed.name, amount, balance, int(pool.bets),
                         int(pool.bettors))  # fmt: skip

    async def first_action(self, scope: GuildScope, fight: Fight) -> None:
        await PoolStore(scope).close(fight.id)

    # --- settlement ------------------------------------------------------------------------

    async def _record_teams(
        self, scope: GuildScope, sides: dict[str, int], winner: int | None
    ) -> None:
        """Each duelist's team gets the duel in its record (win, loss or tie: the teams
        service's `record_duel`, scores as legacy-social 1.4); teammates dueling each other
        move nothing (a team can't beat itself)."""
        if self.teams is None:
            return
        teams = {user: await self.teams.team_of(scope, user) for user in sides.values()}
        ids = {t.team_id for t in teams.values() if t is not None}
        if len(ids) < sum(1 for t in teams.values() if t is not None):
            return  # both in one team
        for user, team in teams.items():
            if team is None:
                continue
            outcome = "tie" if winner is None else ("win" if user == winner else "loss")
            await self.teams.record_duel(scope, team.team_id, outcome)

    async def ending(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        pools = PoolStore(scope)
        pool = await pools.settle(fight.id, scope.now())
        if pool is None:
            return ()
        sides = {"side0": int(pool.side0), "side1": int(pool.side1)}
        cancelled = ended.reason == "idle" and not extra.get(ACTED)
        winner = None if cancelled or ended.winner is None else sides[ended.winner]
        stake = int(pool.stake)
        if stake:
            if winner is None:
                for user_id in sides.values():
                    await scope.wallet.credit(user_id, stake, reason="combat.duel_refund",
                                              ref=fight.id, earned=False)  # fmt: skip
            else:
                await scope.wallet.credit(winner, 2 * stake, reason="combat.duel_win",
                                          ref=fight.id, earned=False)  # fmt: skip
        rows = await pools.bets(fight.id)
        bets = [rules.Bet(int(r.user_id), r.side, int(r.amount)) for r in rows]
        split = rules.split_bets(bets, None if winner is None else ended.winner)
        reason = "combat.bet_refund" if split.refunded else "combat.bet_won"
        for user_id, amount in sorted(split.payouts.items()):
            await scope.wallet.credit(user_id, amount, reason=reason, ref=fight.id, earned=False)
        if rows:
            await pools.paid(fight.id, split.payouts)
        await pools.record(fight.id, winner, split.house)
        if not cancelled:
            await self._record_teams(scope, sides, winner)
        result = DuelResult(fight.id, winner, stake, winner is None, cancelled, split, len(rows),
                            sum(b.amount for b in bets))  # fmt: skip
        return (result, CANCELLED) if cancelled else (result,)
