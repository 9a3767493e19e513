"""The rift's rules, pure (no database, no Discord; the clock and the dice are passed in):
the Rifter's HP as raiders join, the prize, the nine legendary attacks, the counter-attack,
the cooldown and the downed time, and how the prize is split (docs/bosses.md, "The rift").

The numbers are the rift's rules rather than content: they are what the docs promise and the
tests pin (the legacy rift's 2,500 HP, its 20-250 counter-attack and its nine attacks,
legacy-combat §7 and Appendix A.6), so they live beside the functions that use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

BASE_HP = 2_500  # for up to FREE_RAIDERS raiders
FREE_RAIDERS = 3
HP_PER_RAIDER = 500  # each raider beyond the third
MAX_HP = 15_000
PRIZE_SHARE = (3, 5)  # the prize is 3/5 of the max HP: 1,500 for a small rift, at most 9,000
LIFETIME = timedelta(minutes=30)  # from opening; then the Rifter escapes
REST = timedelta(hours=4)  # after a rift closed (any way), before an admin may open the next
COOLDOWN = timedelta(seconds=15)  # between two attacks of a raider
DOWNED = timedelta(seconds=60)  # a raider at 0 HP can't attack for this long
COUNTER = (20, 250)  # the Rifter's counter-attack on the attacker, U[min, max]
MIN_ATTACKS = 2  # a contributor (paid a share) made at least this many attacks
SHARD = "rift_shard"  # the item the top contributors find (crafting: the Rift Gardener's Glove)
SHARD_WINNERS = 3  # the contributors who dealt the most damage each find one


def shard_winners(damages: dict[int, int]) -> list[int]:
    """Who finds a Rift Shard: the `SHARD_WINNERS` contributors with the most damage (ties:
    the lower user id), never anyone who dealt none. Legacy gave one to every attacker, a
    shard being worth about a rebirth (B4: one attack each from alts)."""
    ranked = sorted((u for u, d in damages.items() if d > 0), key=lambda u: (-damages[u], u))
    return ranked[:SHARD_WINNERS]


BAR_BLOCKS = 20


class Dice(Protocol):
    def randint(self, a: int, b: int) -> int: ...


@dataclass(frozen=True, slots=True)
class Attack:
    """One of the nine legendary attacks: any raider may use any of them."""

    code: str  # L1..L9
    name: str
    weapon: str
    min: int
    max: int


ATTACKS: tuple[Attack, ...] = tuple(
    Attack(f"L{i + 1}", name, weapon, low, high)
    for i, (weapon, name, low, high) in enumerate(
        (
            ("Celestial Warhammer", "Heaven's Smite", 80, 200),
            ("Celestial Warhammer", "Divine Judgment", 100, 250),
            ("Celestial Warhammer", "Celestial Fury", 60, 300),
            ("Dragon Blade", "Dragon's Wrath", 90, 220),
            ("Dragon Blade", "Flame Strike", 70, 180),
            ("Dragon Blade", "Dragon Claw", 110, 240),
            ("Death Scythe", "Reaper's Harvest", 100, 230),
            ("Death Scythe", "Soul Drain", 85, 190),
            ("Death Scythe", "Shadow Strike", 95, 210),
        )
    )
)


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def find_attack(text: str) -> Attack | None:
    """An attack by its code (`L3`, any case) or its name (any case, punctuation and spaces
    ignored: `heavens smite`); None when nothing fits."""
    said = _key(text)
    if not said:
        return None
    return next((a for a in ATTACKS if said in (_key(a.code), _key(a.name))), None)


def random_attack(dice: Dice) -> Attack:
    """A bare `rift attack`: one of the nine, from the dice."""
    return ATTACKS[dice.randint(0, len(ATTACKS) - 1)]


def max_hp(raiders: int) -> int:
    """The Rifter's max HP with `raiders` raiders joined: 2,500 up to three, +500 for each
    one beyond, at most 15,000."""
    extra = max(raiders - FREE_RAIDERS, 0)
    return min(BASE_HP + HP_PER_RAIDER * extra, MAX_HP)


def prize(max_hp_: int) -> int:
    """The fixed pot for a rift of that max HP (3/5 of it, rounded down)."""
    num, den = PRIZE_SHARE
    return max_hp_ * num // den


def roll(attack: Attack, dice: Dice) -> int:
    """An attack's damage, U[min, max]."""
    return dice.randint(attack.min, attack.max)


def counter(dice: Dice) -> int:
    """The Rifter's counter-attack on the raider who hit it."""
    return dice.randint(*COUNTER)


@dataclass(frozen=True, slots=True)
class RaiderState:
    """A raider's HP now (lazily back at full once their downed time has passed)."""

    hp: int
    downed_until: datetime | None  # set while they are down

    def down(self, now: datetime) -> bool:
        return self.downed_until is not None and now < self.downed_until


def raider_now(hp: int, full: int, downed_until: datetime | None, now: datetime) -> RaiderState:
    """A raider's state at `now`: down until `downed_until`, then back at `full` HP."""
    if downed_until is not None and now < downed_until:
        return RaiderState(0, downed_until)
    if hp <= 0 or downed_until is not None:
        return RaiderState(full, None)
    return RaiderState(hp, None)


def take_counter(hp: int, hit: int, now: datetime) -> RaiderState:
    """The raider's state after the counter-attack: at 0 HP they are down for `DOWNED`."""
    left = max(hp - hit, 0)
    return RaiderState(left, now + DOWNED if left == 0 else None)


def ready_at(last_attack_at: datetime | None) -> datetime | None:
    """When a raider may attack again (None: never attacked)."""
    return last_attack_at + COOLDOWN if last_attack_at is not None else None


def split_prize(prize_: int, damages: Mapping[int, int]) -> dict[int, int]:
    """The prize split among contributors in proportion to their damage, rounded by largest
    remainder (ties in remainders: more damage first, then the lower user id), so the payouts
    add up to the prize exactly. Nobody to pay: {}. All damage 0: equal shares."""
    if not damages or prize_ <= 0:
        return {user: 0 for user in damages}
    weights = {u: max(d, 0) for u, d in damages.items()}
    if sum(weights.values()) == 0:
        weights = dict.fromkeys(weights, 1)
    total = sum(weights.values())
    shares = {u: prize_ * w // total for u, w in weights.items()}
    left = prize_ - sum(shares.values())
    order = sorted(weights, key=lambda u: (-(prize_ * weights[u] % total), -weights[u], u))
    for user in order[:left]:
        shares[user] += 1
    return shares


def hp_bar(hp: int, most: int, blocks: int = BAR_BLOCKS) -> str:
    """The legacy bar: floor(hp / max × 20) filled blocks, the rest empty."""
    full = min(max(hp, 0), most) * blocks // most if most > 0 else 0
    return "█" * full + "░" * (blocks - full)
