"""Solo boss fights (`boss fight <boss>`): a member against a boss of `content/bosses.toml`.

- **Entering** (in one transaction, all or nothing): the boss's cooldown for this member must
  have run out (`boss <key>`, set by a win); the entry is paid: Fang's chi, or the key of the
  boss before, used up from the inventory; then the live fight starts (mode `boss`: the
  member on `side0`, the boss as an `auto` fighter `boss:<key>`, its special as the engine's
  boss behaviour, pets allowed). A member with no weapon is refused before anything is paid.
- **Its ending** (`LiveFights.endings["boss"]`, in the transaction that ends the fight):
  - a **win** pays the boss's `reward`, rolls its drops into the inventory (a weapon is held
    once: a member who has it already finds nothing more, and is told), starts its
    cooldown, and raises `bosses_defeated` (and `rifter_defeated`): Boss Slayer, Boss Hunter
    and Rift Survivor unlock from them; `boss_<key>_wins` and the best time
    `boss_<key>_fastest` (seconds from the start) feed `boss stats` and `boss board`;
  - a **defeat**, a **forfeit** or an **idle** turn costs `PENALTY` chi, never below zero
    (legacy: −100), and the entry is not refunded;
  - a **tie** (the match limit with equal shares) pays and takes nothing.
The result is counted by `live.py` (`boss_wins` / `boss_losses` / `boss_ties`) and returned as
a `BossResult` among the step's notices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chibot.core.errors import NotEnoughChi, OnCooldown
from chibot.core.holdings import NotEnoughItems
from chibot.core.items import ItemRegistry
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.features.combat.bosses import Boss, BossesFile
from chibot.features.combat.engine import Fight, MatchEnded, Mode
from chibot.features.combat.errors import (
    BossNeedsKey,
    BossNeedsWeapon,
    BossResting,
    UnknownBoss,
)
from chibot.features.combat.live import LiveFights, Step, count_result, outcome_of

MODE = "boss"
BOSS_MODE = Mode(
    MODE,
    turn_seconds=90,
    match_seconds=900,
    heal_charges=3,
    allows=frozenset({"pets", "boss", "potions"}),  # potions: when alchemy registers its hook
    bare_weapon=True,
)
REASON = "combat.boss"  # the ledger's reason for entries, rewards and penalties
PENALTY = 100
FLED = frozenset({"forfeit", "idle"})


@dataclass(frozen=True, slots=True)
class BossResult:
    """How a boss fight was settled (a notice of the step that ended it)."""

    boss: Boss
    outcome: str  # win, defeat, fled, tie
    reward: int = 0
    penalty: int = 0
    drops: dict[str, int] = field(default_factory=dict)  # item id -> quantity found
    ready_at: datetime | None = None
    found: tuple[str, ...] = ()  # the drops as said: "2 × Iron Ore"

    @property  # `ui.notices.awards` reads these: "+150 chi from 🐼 Fang of the Bamboo"
    def name(self) -> str:
        return self.boss.name

    @property
    def emoji(self) -> str:
        return self.boss.emoji


@dataclass(frozen=True, slots=True)
class BossLine:
    """A row of `boss list`: the boss, when the member may fight it again (None: now), and
    how many of its entry key they hold."""

    boss: Boss
    ready_at: datetime | None
    keys_held: int


def wins_name(key: str) -> str:
    """The counter of a member's wins over one boss (`boss stats`)."""
    return f"boss_{key}_wins"


def fastest_name(key: str) -> str:
    """The counter of a member's fastest win over one boss, in seconds (a best time)."""
    return f"boss_{key}_fastest"


def seconds_since(start: datetime, now: datetime) -> int:
    return max(1, int((now - start).total_seconds()))


def roll_drops(boss: Boss, rng: Rng) -> dict[str, int]:
    """What a win finds: each drop by its chance, `min`..`max` of it (dice in catalog order:
    the chance die, then the amount when found)."""
    found: dict[str, int] = {}
    for drop in boss.drops:
        if rng.random() * 100 < drop.chance:
            found[drop.item] = found.get(drop.item, 0) + rng.randint(drop.min, drop.max)
    return found


class BossFights:
    """Solo boss fights over `live` (the mode, its hook and its ending are registered here)."""

    def __init__(
        self, content: BossesFile, live: LiveFights, rng: Rng, items: ItemRegistry
    ) -> None:
        self.content = content
        self.items = items
        self.live = live
        self.rng = rng
        live.modes[MODE] = BOSS_MODE
        live.endings[MODE] = self.settle

    @property
    def keys(self) -> str:
        return "|".join(b.key for b in self.content.boss)

    def boss(self, text: str) -> Boss:
        said = " ".join(text.split()).casefold()
        found = next(
            (
                b
                for b in self.content.boss
                if said in (b.key, b.name.casefold())
                or (said and b.name.casefold().startswith(said))
            ),
            None,
        )
        if found is None:
            raise UnknownBoss(text=text, keys=self.keys)
        return found

    @staticmethod
    def action(boss: Boss) -> str:
        return f"boss {boss.key}"

    async def start(self, scope: GuildScope, user_id: int, name: str, boss: Boss) -> Step:
        """Enter and start the fight, in the caller's transaction (a refusal rolls it all back)."""
        waiting = {c.action: c.ready_at for c in await scope.cooldowns.active(user_id)}
        ready_at = waiting.get(self.action(boss))
        if ready_at is not None:
            raise BossResting(boss=boss.name, ready_at=ready_at)
        step = await self.live.start(
            scope, MODE, [(user_id, name)], npcs=(boss.fighter("side1"),), extra={"boss": boss.key}
        )
        me = step.fight.fighter(str(user_id))
        if me is None or me.weapon is None:
            raise BossNeedsWeapon(boss=boss.name)
        if boss.entry_key is not None:
            try:
                await scope.inventory.take(user_id, boss.entry_key, 1)
            except NotEnoughItems:
                raise BossNeedsKey(boss=boss.name, key=boss.entry_key) from None
        elif boss.entry_chi:
            await scope.wallet.debit(user_id, boss.entry_chi, reason=REASON, ref=boss.key)
        return step

    async def lines(self, scope: GuildScope, user_id: int) -> tuple[BossLine, ...]:
        waiting = {c.action: c.ready_at for c in await scope.cooldowns.active(user_id)}
        held = {h.item_id: h.qty for h in await scope.inventory.all(user_id)}
        return tuple(
            BossLine(b, waiting.get(self.action(b)), held.get(b.entry_key or "", 0))
            for b in self.content.boss
        )

    async def settle(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        boss = self.content.get(str(extra.get("boss", "")))
        member = next((f for f in fight.fighters if not f.auto), None)
        if boss is None or member is None:
            return ()
        user_id = int(member.id)
        outcome = outcome_of(member.side, ended)
        if outcome == "tie":
            return (BossResult(boss, "tie"),)
        if outcome != "win":
            how = "fled" if ended.reason in FLED else "defeat"
            return (BossResult(boss, how, penalty=await self._penalty(scope, user_id, boss)),)
        try:
            ready_at = await scope.cooldowns.claim(
                user_id, self.action(boss), timedelta(hours=boss.cooldown_hours)
            )
        except OnCooldown as e:  # cannot happen (entering checked it); pay nothing twice
            return (BossResult(boss, "win", ready_at=e.ready_at),)
        await scope.wallet.credit(user_id, boss.reward, reason=REASON, ref=boss.key)
        drops = roll_drops(boss, self.rng)
        for item_id, qty in sorted(drops.items()):
            if self.items.get(item_id).stacks:
                await scope.inventory.add(user_id, item_id, qty)
            elif not await scope.inventory.add(user_id, item_id, 1, unique=True):
                drops[item_id] = 0  # a weapon they hold already: one of each, nothing more
        names = ["bosses_defeated", wins_name(boss.key)]
        names += ["rifter_defeated"] if boss.key == "rifter" else []
        took = seconds_since(fight.started_at, scope.now())
        unlocked = await count_result(
            scope, user_id, MODE, "win", add=dict.fromkeys(names, 1),
            low={fastest_name(boss.key): took},
        )  # fmt: skip
        found = tuple(
            f"{q:,} × {self.items.get(i).name}" if q else f"{self.items.get(i).name} (you have one)"
            for i, q in sorted(drops.items())
        )
        result = BossResult(boss, "win", boss.reward, drops=drops, ready_at=ready_at, found=found)
        return (result, *unlocked)

    @staticmethod
    async def _penalty(scope: GuildScope, user_id: int, boss: Boss) -> int:
        for _ in range(3):
            have = (await scope.wallet.get(user_id)).chi
            take = min(PENALTY, max(have, 0))
            if take <= 0:
                return 0
            try:
                await scope.wallet.debit(user_id, take, reason=REASON, ref=boss.key)
            except NotEnoughChi:
                continue
            return take
        return 0


def boss_results(notices: Sequence[Any]) -> list[BossResult]:
    return [n for n in notices if isinstance(n, BossResult)]
