"""The team bosses, pure: the schema of `content/team_bosses.toml` and their specials as the
engine's boss behaviour (the `boss` hook's `turn`).

A team boss fights as an `auto` fighter, like a solo boss, but it plays after **every**
raider's turn (the turn order of legacy-combat §9.4: each member action is answered by one
boss turn; `team_fights.raid_order`). On each of its turns it rolls its special with the
special's chance; the special then replaces its hit (§9.4 step 2), made fair:

- **entangle** (the Guardian): one standing raider is stunned: their next turn is lost (legacy
  B17: the stun cost nothing, the rejected attack cleared it and the boss did not act).
- **shadow_slash** (the Titan): every standing raider takes `pct`% of a roll of the boss's hit;
  each raider's stance halves it and clears (as a hit always does).
- **dragon_fury** (the Dragon): every standing raider burns, `amount` a turn for `rounds` turns
  (legacy B17: the burn overwrote "defending"; here effects and the stance are separate).

The dice of a boss turn are thrown in one order: the special's die; then, for an entangle, its
target's; for a slash, the roll of the hit. The HP grows with the raiders (`hp_for`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chibot.core.rng import Rng
from chibot.features.combat.bosses import BOSS_CODE
from chibot.features.combat.effects import Effect
from chibot.features.combat.engine import BossBehaviour, Fight, Fighter, Hit, Inflict, Outcome
from chibot.features.combat.npcs import Hit as BossHit
from chibot.features.combat.rules import Weapon, WeaponAttack

TEAM_BOSS_PREFIX = "tboss:"  # a team boss fighter's id: `tboss:guardian`
MIN_RAIDERS = 2
MAX_RAIDERS = 5


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TeamSpecial(_Strict):
    kind: Literal["entangle", "shadow_slash", "dragon_fury"]
    name: str = Field(min_length=1, max_length=40)
    chance: int = Field(ge=0, le=100)
    rounds: int = Field(1, ge=1, le=10)
    pct: int = Field(100, ge=1, le=300)
    amount: int = Field(0, ge=0, le=100_000)


class TeamBoss(_Strict):
    key: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=1, max_length=40)
    emoji: str = Field(min_length=1, max_length=8)
    hp: int = Field(ge=1, le=1_000_000)
    hp_per_raider: int = Field(ge=0, le=1_000_000)
    hit: BossHit
    special: TeamSpecial
    pot: int = Field(ge=0, le=10_000_000)  # shared by the raiders of a win
    cooldown_hours: int = Field(ge=1, le=24 * 7)  # per raider, after a win that paid them
    description: str = Field(min_length=1, max_length=120)

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"

    @property
    def fighter_id(self) -> str:
        return f"{TEAM_BOSS_PREFIX}{self.key}"

    def hp_for(self, raiders: int) -> int:
        """Its HP against this many raiders."""
        return self.hp + self.hp_per_raider * raiders

    def fighter(self, side: str, raiders: int) -> Fighter:
        attack = WeaponAttack(f"{BOSS_CODE}1", self.hit.name, self.hit.min, self.hit.max)
        weapon = Weapon(self.fighter_id, self.hit.name, BOSS_CODE, self.hit.max, (attack,))
        hp = self.hp_for(raiders)
        return Fighter(self.fighter_id, self.name, side, hp, hp, weapon=weapon, auto=True)


class TeamBossesFile(_Strict):
    version: int = Field(ge=1)
    boss: tuple[TeamBoss, ...] = Field(min_length=1)

    def get(self, key: str) -> TeamBoss | None:
        return next((b for b in self.boss if b.key == key), None)


class TeamBehaviours:
    """The `boss` hook for every boss: team bosses' turns here, the rest to `solo` (the solo
    bosses' `bosses.Behaviours`)."""

    def __init__(self, content: TeamBossesFile, solo: BossBehaviour) -> None:
        self.by_id = {b.fighter_id: b for b in content.boss}
        self.solo = solo

    def round_start(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        return [] if boss.id in self.by_id else self.solo.round_start(fight, boss, rng)

    def round_end(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        return [] if boss.id in self.by_id else self.solo.round_end(fight, boss, rng)

    def turn(self, fight: Fight, boss: Fighter, rng: Rng) -> Sequence[Outcome]:
        found = self.by_id.get(boss.id)
        if found is None:
            return self.solo.turn(fight, boss, rng)
        return special_turn(found, fight, boss, rng)


def special_turn(boss: TeamBoss, fight: Fight, me: Fighter, rng: Rng) -> list[Outcome]:
    """The special of one boss turn, or [] for its hit (module docstring: the dice)."""
    special = boss.special
    raiders = [f for f in fight.fighters if f.side != me.side and f.standing]
    if not raiders or rng.random() * 100 >= special.chance:
        return []
    if special.kind == "entangle":
        target = raiders[rng.randint(0, len(raiders) - 1)]
        return [Inflict(target.id, Effect("stun", special.rounds, 0, me.id))]
    if special.kind == "shadow_slash":
        rolled = rng.randint(boss.hit.min, boss.hit.max)
        amount = rolled * special.pct // 100
        return [Hit(f.id, amount, special.name, source=me.id, sure=True) for f in raiders]
    burn = Effect("burn", special.rounds, special.amount, me.id)
    return [Inflict(f.id, burn) for f in raiders]
