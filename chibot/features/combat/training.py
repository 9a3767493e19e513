"""NPC training (`train dummy|easy|medium|hard`): a member against an NPC of `content/npcs.toml`.

- **The fight** is a live fight of mode `training` (`live.MODES`): the member on `side0`, the
  NPC on `side1` as an `auto` fighter (`npc:easy`: never a member id) that answers each turn at
  once with its one attack (the dummy passes). The NPC's key is kept beside the fight
  (`extra={"npc": key}`) for the ending. One live fight per member per server, idle turns and
  the match limit: as every live fight (`live.py`). A member with no weapon is refused before
  anything starts (they could only lose the penalty).
- **Its ending** (`LiveFights.endings["training"]`, in the transaction that ends the fight):
  - a **win** pays the NPC's `reward` only if its reward cooldown (`train <key>`, per member
    and per server, `core/cooldowns.py`) can be claimed: otherwise the win still counts, pays
    nothing, and says when the reward is ready again (legacy B7: no more farming);
  - a **defeat** (knocked out, or behind when the match ran out), a **forfeit** or an **idle**
    turn (the member stopped acting: a flee) takes the NPC's `penalty`, at most what the member
    has (chi never goes below zero here), with its ledger row;
  - a **tie** (equal HP shares at the match limit) pays and takes nothing.
  The result is counted by `live.py` (`training_wins` / `training_losses` / `training_ties`,
  with the win streak) and returned as a `TrainingResult` among the step's notices, for the
  cog to say "+40 chi" or "reward ready <t:…:R>".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibot.core.errors import NotEnoughChi, OnCooldown
from chibot.core.scope import GuildScope
from chibot.features.combat.engine import Fight, MatchEnded
from chibot.features.combat.errors import TrainingNeedsWeapon, UnknownNpc
from chibot.features.combat.live import LiveFights, Step, outcome_of
from chibot.features.combat.npcs import Npc, NpcsFile

MODE = "training"
REASON = "combat.training"  # the ledger's reason for rewards and penalties
FLED = frozenset({"forfeit", "idle"})  # engine reasons that count as fleeing


@dataclass(frozen=True, slots=True)
class TrainingResult:
    """How a training fight was settled (a notice of the step that ended it). `outcome`: win,
    defeat, fled or tie; `reward` the chi paid, `penalty` the chi taken; `ready_at` when the
    NPC's reward can be won again (set after a win that started or met the cooldown)."""

    npc: Npc
    outcome: str
    reward: int = 0
    penalty: int = 0
    ready_at: datetime | None = None

    # `discord.ui.notices.awards` reads any notice with a positive `reward` as chi paid "from
    # <emoji> <name>": these make that line true ("+40 chi from 🐼 Peaceful Panda").
    @property
    def name(self) -> str:
        return self.npc.name

    @property
    def emoji(self) -> str:
        return self.npc.emoji

    @property
    def on_cooldown(self) -> bool:
        """A win whose reward was already won within the cooldown."""
        return self.outcome == "win" and self.reward == 0 and self.npc.reward > 0


@dataclass(frozen=True, slots=True)
class NpcLine:
    """A row of the NPC table: the NPC and when the member may win its reward again (None:
    now)."""

    npc: Npc
    ready_at: datetime | None


class Training:
    """NPC training over `live` (its mode's ending is registered here)."""

    def __init__(self, npcs: NpcsFile, live: LiveFights) -> None:
        self.npcs = npcs
        self.live = live
        live.endings[MODE] = self.settle

    @property
    def keys(self) -> str:
        return "|".join(n.key for n in self.npcs.npc)

    def npc(self, text: str) -> Npc:
        found = self.npcs.find(text)
        if found is None:
            raise UnknownNpc(text=text, keys=self.keys)
        return found

    async def start(self, scope: GuildScope, user_id: int, name: str, npc: Npc) -> Step:
        """The member against the NPC, in the caller's transaction (a refusal rolls it all
        back)."""
        step = await self.live.start(
            scope, MODE, [(user_id, name)], npcs=(npc.fighter("side1"),), extra={"npc": npc.key}
        )
        me = step.fight.fighter(str(user_id))
        if me is None or me.weapon is None:
            raise TrainingNeedsWeapon(npc=npc.name)
        return step

    async def lines(self, scope: GuildScope, user_id: int) -> tuple[NpcLine, ...]:
        """Every NPC with when its reward is ready again for the member (one read)."""
        waiting = {c.action: c.ready_at for c in await scope.cooldowns.active(user_id)}
        return tuple(NpcLine(n, waiting.get(n.action)) for n in self.npcs.npc)

    async def settle(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        """The mode's ending (module docstring)."""
        npc = self.npcs.find(str(extra.get("npc", "")))
        member = next((f for f in fight.fighters if not f.auto), None)
        if npc is None or member is None:  # an NPC removed from content since: count only
            return ()
        user_id = int(member.id)
        outcome = outcome_of(member.side, ended)
        if outcome == "win":
            return (await self._reward(scope, user_id, npc),)
        if outcome == "tie":
            return (TrainingResult(npc, "tie"),)
        how = "fled" if ended.reason in FLED else "defeat"
        return (TrainingResult(npc, how, penalty=await self._penalty(scope, user_id, npc)),)

    @staticmethod
    async def _reward(scope: GuildScope, user_id: int, npc: Npc) -> TrainingResult:
        if npc.reward <= 0:
            return TrainingResult(npc, "win")
        try:
            ready_at = await scope.cooldowns.claim(user_id, npc.action, npc.cooldown)
        except OnCooldown as e:  # the claim changed nothing: the win counts, unpaid
            return TrainingResult(npc, "win", ready_at=e.ready_at)
        await scope.wallet.credit(user_id, npc.reward, reason=REASON, ref=npc.key)
        return TrainingResult(npc, "win", reward=npc.reward, ready_at=ready_at)

    @staticmethod
    async def _penalty(scope: GuildScope, user_id: int, npc: Npc) -> int:
        """Take the penalty, at most the balance (never below zero); a balance that moved in
        between (a purchase committed at the same instant) is read again."""
        for _ in range(3):
            have = (await scope.wallet.get(user_id)).chi
            take = min(npc.penalty, max(have, 0))
            if take <= 0:
                return 0
            try:
                await scope.wallet.debit(user_id, take, reason=REASON, ref=npc.key)
            except NotEnoughChi:
                continue
            return take
        return 0


def results(notices: Sequence[Any]) -> list[TrainingResult]:
    """The training results among a step's notices."""
    return [n for n in notices if isinstance(n, TrainingResult)]
