"""Schema of `content/npcs.toml`: the NPCs of training (`train dummy|easy|medium|hard`).

An NPC fights as an `auto` fighter with a synthetic weapon: one attack, its `hit` range, at
level 0 (no scaling; crits and dodges as for anyone). The dummy has no `hit`: it passes every
turn. A win pays `reward` at most once per `cooldown_minutes` (legacy B7); a defeat, a forfeit
or an idle fight costs `penalty`, never more than the member has. Numbers and decisions:
docs/combat.md, "NPC training".
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chibot.features.combat.engine import Fighter
from chibot.features.combat.rules import Weapon, WeaponAttack

NPC_PREFIX = "npc:"  # an NPC fighter's id: `npc:easy` (never a member id)
NPC_CODE = "NPC"  # its synthetic weapon's code (the attack is `NPC1`)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Hit(_Strict):
    name: str = Field(min_length=1, max_length=40)
    min: int = Field(ge=1, le=10_000)
    max: int = Field(ge=1, le=10_000)

    @model_validator(mode="after")
    def _range(self) -> Hit:
        if self.max < self.min:
            raise ValueError(f"max must be at least min ({self.min})")
        return self


class Npc(_Strict):
    key: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=1, max_length=40)
    emoji: str = Field(min_length=1, max_length=8)
    hp: int = Field(ge=1, le=1_000_000)
    hit: Hit | None = None  # None: never attacks (the dummy)
    reward: int = Field(ge=0, le=1_000_000)
    cooldown_minutes: int = Field(ge=0, le=7 * 24 * 60)
    penalty: int = Field(ge=0, le=1_000_000)
    description: str = Field(min_length=1, max_length=120)

    @model_validator(mode="after")
    def _faucet(self) -> Npc:
        if self.reward > 0 and self.cooldown_minutes <= 0:
            raise ValueError("a reward needs a cooldown (every faucet has a limit)")
        return self

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"

    @property
    def fighter_id(self) -> str:
        return f"{NPC_PREFIX}{self.key}"

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=self.cooldown_minutes)

    @property
    def action(self) -> str:
        """Its reward's cooldown key (`core/cooldowns.py`): `train easy`."""
        return f"train {self.key}"

    def weapon(self) -> Weapon | None:
        if self.hit is None:
            return None
        attack = WeaponAttack(f"{NPC_CODE}1", self.hit.name, self.hit.min, self.hit.max)
        return Weapon(self.fighter_id, self.hit.name, NPC_CODE, self.hit.max, (attack,))

    def fighter(self, side: str) -> Fighter:
        """The NPC as the engine fights it: auto, at full HP, level 0, no healing items."""
        return Fighter(
            self.fighter_id, self.name, side, self.hp, self.hp, 0, self.weapon(), auto=True
        )


class NpcsFile(_Strict):
    npc: tuple[Npc, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> NpcsFile:
        keys = [n.key for n in self.npc]
        names = [n.name.casefold() for n in self.npc]
        for what, values in (("key", keys), ("name", names)):
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"npc {what} used twice: {', '.join(twice)}")
        return self

    def find(self, text: str) -> Npc | None:
        """An NPC by key (`easy`) or name (`peaceful panda`), any case and spacing."""
        said = " ".join(text.split()).casefold()
        return next((n for n in self.npc if said in (n.key, n.name.casefold())), None)
