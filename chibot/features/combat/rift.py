"""The rift: a server-wide raid on the Rifter (docs/bosses.md, "The rift"; the numbers and the
split are `rift_rules.py`). Issue 13; legacy-combat §7, bugs B4 and B28.

- **Opening** (`event rift`, admins, audited): refused while a rift is live here (the unique
  (`guild_id`, `live`) index refuses a second one, even opened at the same instant), within
  `REST` of the last rift closing, or when fights are turned off. The rift lives `LIFETIME`;
  the scheduler's `combat.rift_close` job (keyed by the rift id) fires at its end.
- **Joining** raises the Rifter's max HP and HP by the same amount (`rift_rules.max_hp`) and
  its prize with it; nothing is given for joining (legacy B4 farmed entry items). A raider
  fights with their own max HP (progress's, as in every fight).
- **An attack** (one of the nine legendary attacks, U[min, max]) takes the rift's row first,
  `UPDATE … SET hp = max(hp − d, 0) WHERE status = 'open' AND hp > 0 AND closes_at > now`:
  concurrent attacks queue on it, and the one that brings the HP to 0 settles the rift in its
  own transaction (status `defeated`, the prize paid exactly once); an attack after it finds
  no row to change and is told the rift is over. The Rifter hits back (legacy B28: a real
  hit): a raider at 0 HP is down for `DOWNED`, then back at full HP (computed lazily when they
  next act, no job). A raider waits `COOLDOWN` between attacks.
- **The settlement** pays the prize among the contributors (raiders still in with at least
  `MIN_ATTACKS` attacks), in proportion to their damage (`split_prize`), as ledgered credits
  (`combat.rift`, ref the rift id); each raises `rifts_defeated` and `rifter_defeated` (the
  Rift Survivor achievement reads one counter: the solo Rifter's) and publishes
  `FightSettled(…, "rift", "win")`. Every attack adds to `rift_damage` and raises
  `rift_best_damage` (the most damage in one rift).
- **Running** (`rift run`) leaves for good: no share, no rejoining.
- **The end**: the job at `closes_at` lets the Rifter escape (nothing paid); `event end`
  (admins, audited) closes it early with no prize. Either way the card is told (a
  `RiftEnded` notice: the job's goes through the app's outbox).
- A rift is not a fight: it takes no one-fight-per-member lock (a raider may duel meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibot.core.ids import new_id
from chibot.core.rng import Rng
from chibot.core.scheduler import Jobs
from chibot.core.scope import GuildScope
from chibot.features.combat import rift_rules as rules
from chibot.features.combat.errors import (
    AlreadyRaiding,
    CombatOff,
    NoRift,
    NotRaiding,
    RaiderDowned,
    RanFromRift,
    RiftClosing,
    RiftCooldown,
    RiftLive,
    RiftOver,
    RiftResting,
    UnknownRiftAttack,
)
from chibot.features.combat.live import ForMember, LiveFights, count_result
from chibot.features.combat.store import RiftStore

MODE = "rift"
REASON = "combat.rift"  # the ledger's reason of the prize's credits
CLOSE_JOB = "combat.rift_close"
TOP = 5
SETTLE_COUNTERS = ("rifts_defeated", "rifter_defeated")


@dataclass(frozen=True, slots=True)
class RaiderLine:
    user_id: int
    name: str
    damage: int
    attacks: int
    paid: int | None


@dataclass(frozen=True, slots=True)
class Rift:
    """A rift as its card shows it."""

    id: int
    status: str  # open | defeated | escaped | ended
    hp: int
    max_hp: int
    prize: int
    raiders: int  # joined so far
    inside: int  # still in (not run)
    opened_at: datetime
    closes_at: datetime
    ended_at: datetime | None
    channel_id: int | None
    message_id: int | None
    top: tuple[RaiderLine, ...]

    @property
    def open(self) -> bool:
        return self.status == "open"

    @property
    def next_at(self) -> datetime | None:
        """When an admin may open the next rift (None: while this one is live)."""
        return self.ended_at + rules.REST if self.ended_at is not None else None


@dataclass(frozen=True, slots=True)
class RiftNone:
    """No live rift here: when the last one ended (None: never), when the next may open."""

    last: Rift | None
    ready_at: datetime | None


@dataclass(frozen=True, slots=True)
class Payout:
    user_id: int
    name: str
    damage: int
    attacks: int
    amount: int
    shard: bool = False  # found a Rift Shard (the top contributors)


@dataclass(frozen=True, slots=True)
class RiftSettled:
    """The Rifter fell: who struck last, the prize and every contributor's share."""

    rift_id: int
    killer: str
    prize: int
    payouts: tuple[Payout, ...]
    unpaid: int  # raiders still in with fewer than MIN_ATTACKS attacks


@dataclass(frozen=True, slots=True)
class RiftJoined:
    name: str
    rift: Rift
    hp_added: int
    my_hp: int


@dataclass(frozen=True, slots=True)
class RiftHit:
    """An attack: the blow, the Rifter's answer, and the rift after it (settled when it
    fell)."""

    name: str
    attack: rules.Attack
    damage: int
    counter: int  # 0 when the blow killed the Rifter
    my_hp: int
    my_max_hp: int
    downed_until: datetime | None
    my_damage: int
    my_attacks: int
    ready_at: datetime
    rift: Rift
    settled: RiftSettled | None = None
    unlocked: tuple[ForMember, ...] = ()


@dataclass(frozen=True, slots=True)
class RiftRan:
    name: str
    damage: int
    rift: Rift


@dataclass(frozen=True, slots=True)
class RiftEnded:
    """A rift that closed without a kill (`escaped` at its time, `ended` by an admin): what
    its card should say. The scheduler's go through the app's outbox (the rift cog)."""

    rift_id: int
    status: str
    max_hp: int
    hp: int
    prize: int
    channel_id: int | None
    message_id: int | None
    ready_at: datetime


def _line(r: Any) -> RaiderLine:
    return RaiderLine(int(r.user_id), r.name, int(r.damage), int(r.attacks), r.paid)


def attack_named(text: str, rng: Rng) -> rules.Attack:
    """The attack a raider names (a code `L1`..`L9` or a name, any case); bare: one of the
    nine at random."""
    if not text.strip():
        return rules.random_attack(rng)
    found = rules.find_attack(text)
    if found is None:
        listed = ", ".join(f"`{a.code}` {a.name}" for a in rules.ATTACKS)
        raise UnknownRiftAttack(text=text, attacks=listed)
    return found


class Rifts:
    """The rift mode, in its tables (`combat_rifts`, `combat_rift_raiders`)."""

    def __init__(self, live: LiveFights, progress: Any) -> None:
        self.live = live
        self.rng: Rng | None = None  # set: these dice (tests); else the fights' dice
        self.progress = progress  # the max HP of a raider (progress's `level_in`)

    @property
    def dice(self) -> Rng:
        return self.rng if self.rng is not None else self.live.rng

    # --- reading ----------------------------------------------------------------------------

    async def view(self, scope: GuildScope, row: Any) -> Rift:
        inside, top = await RiftStore(scope).top(int(row.id), TOP)
        return Rift(
            int(row.id), row.status, int(row.hp), int(row.max_hp), int(row.prize),
            int(row.raiders), inside, row.opened_at, row.closes_at, row.ended_at,
            row.channel_id, row.message_id, tuple(_line(r) for r in top),
        )  # fmt: skip

    async def status(self, scope: GuildScope) -> Rift | RiftNone:
        row = await RiftStore(scope).latest()
        if row is None:
            return RiftNone(None, None)
        rift = await self.view(scope, row)
        if rift.open:
            return rift
        return RiftNone(rift, rift.next_at)

    async def _open_row(self, scope: GuildScope) -> Any:
        row = await RiftStore(scope).live()
        if row is None:
            raise NoRift()
        return row

    @staticmethod
    def _over(row: Any) -> RiftOver:
        return RiftOver(status=row.status if row is not None else "closed")

    # --- opening and ending ---------------------------------------------------------------

    async def open(self, scope: GuildScope, user_id: int, channel_id: int | None = None) -> Rift:
        if not (await scope.settings.load()).combat_enabled:
            raise CombatOff()
        store = RiftStore(scope)
        last = await store.latest()
        now = scope.now()
        if last is not None and last.status == "open":
            raise RiftLive(closes_at=last.closes_at)
        if last is not None and last.ended_at is not None and now < last.ended_at + rules.REST:
            raise RiftResting(ready_at=last.ended_at + rules.REST)
        rift_id = new_id()
        hp = rules.max_hp(0)
        closes_at = now + rules.LIFETIME
        made = await store.create(
            {
                "id": rift_id, "status": "open", "hp": hp, "max_hp": hp,
                "prize": rules.prize(hp), "raiders": 0, "last_hit": 0, "opened_by": user_id,
                "opened_at": now, "closes_at": closes_at, "channel_id": channel_id,
            }
        )  # fmt: skip
        if not made:
            live = await store.live()
            raise RiftLive(closes_at=live.closes_at if live is not None else closes_at)
        await scope.get(Jobs).schedule(CLOSE_JOB, closes_at, key=str(rift_id))
        await scope.audit.write(
            user_id, "combat.rift_open", note=str(rift_id),
            after={"hp": hp, "prize": rules.prize(hp), "closes_at": closes_at.isoformat()},
        )  # fmt: skip
        row = await store.get(rift_id)
        return await self.view(scope, row)

    async def _close(self, scope: GuildScope, rift_id: int, status: str) -> RiftEnded | None:
        """Close the rift without a kill: `escaped` when its time was up (it ended then),
        `ended` by an admin (now)."""
        at = None if status == "escaped" else scope.now()
        row = await RiftStore(scope).close(rift_id, status, at)
        if row is None:
            return None
        return RiftEnded(
            int(row.id), status, int(row.max_hp), int(row.hp), int(row.prize), row.channel_id,
            row.message_id, row.ended_at + rules.REST,
        )  # fmt: skip

    async def end(self, scope: GuildScope, user_id: int) -> RiftEnded:
        """`event end` (admins): close the live rift early, nothing paid."""
        row = await self._open_row(scope)
        ended = await self._close(scope, int(row.id), "ended")
        if ended is None:
            raise self._over(await RiftStore(scope).get(int(row.id)))
        await scope.get(Jobs).cancel(CLOSE_JOB, str(row.id))
        await scope.audit.write(
            user_id, "combat.rift_end", note=str(row.id),
            before={"hp": ended.hp, "max_hp": ended.max_hp, "raiders": int(row.raiders)},
            after={"paid": 0},
        )  # fmt: skip
        return ended

    async def expire(self, scope: GuildScope) -> RiftEnded | None:
        """A live rift past its time whose job has not run (late, or lost: a server imported
        under another id carries no jobs) escaped when its time was up: close it so."""
        row = await RiftStore(scope).live()
        if row is None or scope.now() < row.closes_at:
            return None
        await scope.get(Jobs).cancel(CLOSE_JOB, str(row.id))
        return await self._close(scope, int(row.id), "escaped")

    async def on_close(self, scope: GuildScope, rift_id: int) -> RiftEnded | None:
        """The job at the rift's end: the Rifter still stands, so it escapes; nothing paid."""
        return await self._close(scope, rift_id, "escaped")

    async def attach(
        self, scope: GuildScope, rift_id: int, channel_id: int, message_id: int
    ) -> bool:
        """Remember the rift's card (where its end is told)."""
        row = await RiftStore(scope).change(rift_id, channel_id=channel_id, message_id=message_id)
        return row is not None

    # --- raiding --------------------------------------------------------------------------------

    async def join(self, scope: GuildScope, user_id: int, name: str) -> RiftJoined:
        store = RiftStore(scope)
        row = await self._open_row(scope)
        rift_id = int(row.id)
        mine = await store.raider(rift_id, user_id)
        if mine is not None:
            raise RanFromRift() if mine.left else AlreadyRaiding()
        if scope.now() >= row.closes_at:
            raise RiftClosing()
        locked = await store.count_raider(rift_id, scope.now())
        if locked is None:
            raise self._over(await store.get(rift_id))
        before = int(locked.max_hp)
        after = max(rules.max_hp(int(locked.raiders)), before)
        added = after - before
        if added:
            locked = await store.grow(rift_id, after, rules.prize(after), added)
        info = await self.progress.level_in(scope, user_id)
        full = int(info.max_hp)
        made = await store.add_raider(
            rift_id,
            {
                "user_id": user_id, "name": name[:100], "damage": 0, "attacks": 0, "hp": full,
                "max_hp": full, "downed_until": None, "last_attack_at": None,
                "joined_at": scope.now(), "left": False, "paid": None,
            },
        )  # fmt: skip
        if not made:
            raise AlreadyRaiding()  # a second join at the same instant: all of it rolls back
        return RiftJoined(name, await self.view(scope, locked), added, full)

    async def attack(self, scope: GuildScope, user_id: int, attack: rules.Attack) -> RiftHit:
        store = RiftStore(scope)
        row = await self._open_row(scope)
        rift_id = int(row.id)
        now = scope.now()
        me = await store.raider(rift_id, user_id)
        if me is None:
            raise NotRaiding()
        if me.left:
            raise RanFromRift()
        if now >= row.closes_at:
            raise RiftClosing()
        state = rules.raider_now(int(me.hp), int(me.max_hp), me.downed_until, now)
        if state.down(now):
            raise RaiderDowned(until=state.downed_until)
        ready = rules.ready_at(me.last_attack_at)
        if ready is not None and now < ready:
            raise RiftCooldown(ready_at=ready)
        damage = rules.roll(attack, self.dice)
        hit = await store.hit(rift_id, damage, now)
        if hit is None:
            now_row = await store.get(rift_id)
            if now_row is not None and now_row.status == "open":
                raise RiftClosing()
            raise self._over(now_row)
        dealt = int(hit.last_hit)
        killed = int(hit.hp) == 0
        answer = 0 if killed else rules.counter(self.dice)
        after = rules.take_counter(state.hp, answer, now)
        mine = await store.record_attack(
            rift_id, user_id, int(me.attacks), dealt, after.hp, after.downed_until, now
        )
        if mine is None:  # another attack of theirs went first: this one changes nothing
            raise RiftCooldown(ready_at=now + rules.COOLDOWN)
        await scope.counters.apply(
            user_id, add={"rift_damage": dealt}, high={"rift_best_damage": int(mine.damage)}
        )
        settled: RiftSettled | None = None
        unlocked: tuple[ForMember, ...] = ()
        if killed:
            settled, unlocked = await self._settle(scope, hit, mine.name)
            hit = await store.get(rift_id)
        return RiftHit(
            mine.name, attack, dealt, answer, after.hp, int(mine.max_hp), after.downed_until,
            int(mine.damage), int(mine.attacks), now + rules.COOLDOWN,
            await self.view(scope, hit), settled, unlocked,
        )  # fmt: skip

    async def _settle(
        self, scope: GuildScope, row: Any, killer: str
    ) -> tuple[RiftSettled, tuple[ForMember, ...]]:
        """The Rifter fell (in the killing attack's transaction, the rift's row held): it is
        defeated, the prize is split and paid, once."""
        store = RiftStore(scope)
        rift_id = int(row.id)
        await store.defeat(rift_id, scope.now())
        await scope.get(Jobs).cancel(CLOSE_JOB, str(rift_id))
        raiders = await store.raiders(rift_id)
        contributors = [r for r in raiders if not r.left and int(r.attacks) >= rules.MIN_ATTACKS]
        prize = int(row.prize)
        damages = {int(r.user_id): int(r.damage) for r in contributors}
        shares = rules.split_prize(prize, damages)
        await store.paid(rift_id, shares)
        shards = set(rules.shard_winners(damages))
        for user in sorted(shards):
            await scope.inventory.add(user, rules.SHARD, 1)
        unlocked: list[ForMember] = []
        for r in sorted(contributors, key=lambda x: int(x.user_id)):  # credits in id order
            user = int(r.user_id)
            if shares.get(user, 0) > 0:
                await scope.wallet.credit(user, shares[user], reason=REASON, ref=str(rift_id))
            unlocked += await count_result(
                scope, user, MODE, "win", add=dict.fromkeys(SETTLE_COUNTERS, 1)
            )
        payouts = tuple(
            Payout(
                int(r.user_id),
                r.name,
                int(r.damage),
                int(r.attacks),
                shares[int(r.user_id)],
                int(r.user_id) in shards,
            )  # fmt: skip
            for r in contributors
        )
        unpaid = sum(1 for r in raiders if not r.left and int(r.attacks) < rules.MIN_ATTACKS)
        return RiftSettled(rift_id, killer, prize, payouts, unpaid), tuple(unlocked)

    async def run(self, scope: GuildScope, user_id: int) -> RiftRan:
        store = RiftStore(scope)
        row = await self._open_row(scope)
        rift_id = int(row.id)
        me = await store.raider(rift_id, user_id)
        if me is None:
            raise NotRaiding()
        if me.left:
            raise RanFromRift()
        locked = await store.lock(rift_id)
        if locked is None:
            raise self._over(await store.get(rift_id))
        gone = await store.leave(rift_id, user_id)
        if gone is None:
            raise RanFromRift()
        return RiftRan(gone.name, int(gone.damage), await self.view(scope, locked))
