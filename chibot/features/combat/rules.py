"""Combat's numbers, pure: no database, no Discord; the dice are passed in.

One damage formula serves every mode (docs/combat.md, "The engine"). A hit goes through these
steps in this fixed order, each step rounding down to whole HP:

1. **Roll.** A catalog attack rolls `U[min, max]` of that attack. A bare weapon hit (modes that
   allow weapon-only attacks, such as bosses) rolls `U[floor(0.8 * base), floor(1.2 * base)]`.
2. **Level scaling.** `scaled(roll, L) = floor(roll * (20 + L) / 20)`, where
   `L = min(user level, 20) + item level` (5% per level, integer maths: legacy's float
   truncation, bug B23, cannot come back).
3. **Crit.** With `CRIT_CHANCE` the hit is a critical one: `x CRIT_MULTIPLIER_PCT / 100`.
4. **Attacker modifiers**, in sequence on the running value: the side's team bonus (percent),
   then the attacker's effects that change outgoing damage (strength +, weaken -).
5. **Defender modifiers**, in sequence: a defend stance halves the hit (`DEFEND_PCT`), then
   shield, then resistance (each a percent taken off).
6. **Dodge.** With `DODGE_CHANCE` the hit misses entirely: 0 damage, and the defend stance is
   not used up.
7. **Floor.** A hit that was not dodged deals at least 1.

The dice are always thrown in the same order (roll, crit, dodge), whatever the mode, so one
seed and one list of commands give one fight.

Crit and dodge are this catalog's numbers: legacy had neither (section 1.5 of the legacy
spec); 5% each and a x1.5 crit keep them a spice, not a strategy. Free-text invented attacks
are not part of this game (docs/legacy-import.md): every attack comes with its weapon, so the
legacy `v(name)` variation and its exploit (B22) have no counterpart here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from chibot.core.items import Item
from chibot.core.rng import Rng

__all__ = [
    "BARE_HIGH_PCT",
    "BARE_LOW_PCT",
    "CRIT_CHANCE",
    "CRIT_MULTIPLIER_PCT",
    "DEFEND_PCT",
    "DODGE_CHANCE",
    "MAX_DEFEND_STREAK",
    "USER_LEVEL_CAP",
    "AttackNotFound",
    "AttackRoll",
    "HealKit",
    "Weapon",
    "WeaponAttack",
    "bare_range",
    "land",
    "heal_amount",
    "heal_kit",
    "BASE_HP",
    "pct_change",
    "resolve_attack",
    "scaled",
    "scaling_level",
    "strike",
    "weapon_code",
    "weapon_from_item",
]

BASE_HP = 250
"""A fighter's max HP when the caller gives none; members' max HP is progress's rule (250 +
permanent HP), which the combat service reads through progress's service and passes in (the
engine imports no other system)."""

USER_LEVEL_CAP = 20
"""The user level counts up to 20 (at most +100%); item levels add on top, up to the item's
own `max_level` in the catalog."""

CRIT_CHANCE = 0.05
CRIT_MULTIPLIER_PCT = 150
DODGE_CHANCE = 0.05

DEFEND_PCT = 50
"""A defend stance halves the next hit taken."""
MAX_DEFEND_STREAK = 2
"""Defend at most twice in a row: a third defend is refused, so a fight cannot be stalled."""

BARE_LOW_PCT = 80
BARE_HIGH_PCT = 120


# --- scaling --------------------------------------------------------------------------------


def scaling_level(user_level: int, item_level: int) -> int:
    """`L` of the multiplier: the user level capped at 20, plus the item's level."""
    return min(max(user_level, 0), USER_LEVEL_CAP) + max(item_level, 0)


def scaled(base: int, level: int) -> int:
    """`floor(base * (20 + L) / 20)` in integers: 5% per level, exact (8 at L=4 is 9, 100 at
    L=3 is 115, where legacy's floats said 114)."""
    return base * (20 + level) // 20


def pct_change(value: int, pct: int) -> int:
    """`value` raised (or lowered, `pct` < 0) by `pct` percent, rounded down, never below 0."""
    return max(0, value * (100 + pct) // 100)


def bare_range(base: int) -> tuple[int, int]:
    """A bare weapon hit's roll before scaling: `U[floor(0.8 b), floor(1.2 b)]` (8 -> 6..9)."""
    return base * BARE_LOW_PCT // 100, base * BARE_HIGH_PCT // 100


def heal_amount(heal: int, level: int) -> int:
    """What a healing item restores before the cap at max HP: scaled like damage."""
    return scaled(heal, level)


# --- weapons and their attack codes ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeaponAttack:
    """One named attack of a weapon; `code` is the weapon's code plus its 1-based position."""

    code: str
    name: str
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Weapon:
    """A fighter's weapon, copied from the catalog when the fight starts (a fight never reads
    the catalog again, so a content change cannot shift a running fight)."""

    item: str
    name: str
    code: str
    base: int
    attacks: tuple[WeaponAttack, ...]


@dataclass(frozen=True, slots=True)
class HealKit:
    """A healing item a fighter brought: how much it heals and its charges left this fight
    (healing items are owned for ever, so a fight rations them: bug B6)."""

    item: str
    name: str
    heal: int
    charges: int


def weapon_code(item: Item) -> str:
    """The two-letter code of a weapon, written in the catalog (`items.toml`, the weapon
    effect's `code`: VW, CF, ... as the old bot's ids): explicit and stable, never derived from
    the catalog's order (legacy §1.4)."""
    effect = item.effect("weapon")
    if effect is None or effect.code is None:
        raise ValueError(f"{item.id} is not a weapon with a code")
    return effect.code


def weapon_from_item(item: Item) -> Weapon:
    effect = item.effect("weapon")
    if effect is None or effect.damage is None:
        raise ValueError(f"{item.id} is not a weapon")
    code = weapon_code(item)
    attacks = tuple(
        WeaponAttack(f"{code}{i}", a.name, a.min, a.max) for i, a in enumerate(effect.attacks, 1)
    )
    return Weapon(item.id, item.name, code, effect.damage, attacks)


def heal_kit(item: Item, charges: int) -> HealKit:
    effect = item.effect("healing")
    if effect is None or effect.heal is None:
        raise ValueError(f"{item.id} is not a healing item")
    return HealKit(item.id, item.name, effect.heal, charges)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class AttackNotFound(LookupError):
    """`resolve_attack` found nothing (`options` empty) or several (`options` names them)."""

    def __init__(self, text: str, options: Sequence[str] = ()) -> None:
        super().__init__(text)
        self.text = text
        self.options = tuple(options)


def resolve_attack(weapon: Weapon, text: str, bare_allowed: bool) -> WeaponAttack | None:
    """The attack `text` names for this weapon, or None for a bare weapon hit.

    Accepted, in this order: the attack's code (`VW1`, any case); the weapon's name then the
    attack's name (`Verdant Windblade Gale Force Slash`); the attack's name alone; the start of
    one attack's name when no other attack starts that way (`gale`). The weapon's name alone (or
    nothing) is a bare hit, only where the mode allows it. Raises `AttackNotFound`."""
    raw = " ".join(text.split())
    match = re.fullmatch(rf"{re.escape(weapon.code)}\s*(\d+)", raw.upper())
    if match:
        index = int(match.group(1))
        if 1 <= index <= len(weapon.attacks):
            return weapon.attacks[index - 1]
        raise AttackNotFound(text)
    said = _fold(raw)
    wname = _fold(weapon.name)
    if said in ("", wname):
        if bare_allowed:
            return None
        raise AttackNotFound(text)
    if said.startswith(wname + " "):
        said = said[len(wname) + 1 :]
    exact = [a for a in weapon.attacks if _fold(a.name) == said]
    if exact:
        return exact[0]
    starts = [a for a in weapon.attacks if _fold(a.name).startswith(said)]
    if len(starts) == 1:
        return starts[0]
    raise AttackNotFound(text, [a.name for a in starts])


# --- one hit ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttackRoll:
    """What the dice said for one hit: the final damage and how it came about."""

    damage: int
    roll: int
    crit: bool
    dodged: bool
    defended: bool


def strike(
    low: int,
    high: int,
    level: int | None,
    rng: Rng,
    attacker_pcts: Iterable[int] = (),
    defending: bool = False,
    defender_pcts: Iterable[int] = (),
    crits: bool = True,
) -> AttackRoll:
    """One hit through the whole pipeline (module docstring). `level` None skips scaling
    (hits from hooks, a boss's own attack at level 0 is the same). `attacker_pcts` are the
    outgoing percents in order (team bonus first, then effects); `defender_pcts` the percents
    taken off after the defend stance (shield, then resistance), each as a positive number."""
    roll = rng.randint(low, high)
    crit_die = rng.random()
    dodge_die = rng.random()
    value = roll if level is None else scaled(roll, level)
    crit = crits and crit_die < CRIT_CHANCE
    if crit:
        value = value * CRIT_MULTIPLIER_PCT // 100
    return land(
        value,
        dodge_die,
        crit=crit,
        roll=roll,
        attacker_pcts=tuple(attacker_pcts),
        defending=defending,
        defender_pcts=tuple(defender_pcts),
    )


def land(
    value: int,
    dodge_die: float,
    crit: bool = False,
    roll: int | None = None,
    attacker_pcts: Sequence[int] = (),
    defending: bool = False,
    defender_pcts: Sequence[int] = (),
) -> AttackRoll:
    """Steps 4 to 7 for a value already rolled, scaled and crit-checked; `dodge_die` is
    the dodge die already thrown (in [0, 1))."""
    for pct in attacker_pcts:
        value = pct_change(value, pct)
    if defending:
        value = value * (100 - DEFEND_PCT) // 100
    for pct in defender_pcts:
        value = pct_change(value, -min(max(pct, 0), 100))
    if dodge_die < DODGE_CHANCE:
        return AttackRoll(0, value if roll is None else roll, crit, True, False)
    return AttackRoll(max(1, value), value if roll is None else roll, crit, False, defending)


# --- bets ---------------------------------------------------------------------------------------

HOUSE_CUT_PCT = 5


@dataclass(frozen=True, slots=True)
class Bet:
    user_id: int
    side: str
    amount: int


@dataclass(frozen=True, slots=True)
class BetSplit:
    """What a duel's bets pay: `payouts` (member -> chi back, only those paid), the house's
    cut, and whether the bets were refunded whole (a tie, a cancelled duel, nobody backed the
    winner)."""

    payouts: dict[int, int]
    house: int
    refunded: bool

    @property
    def paid(self) -> int:
        return sum(self.payouts.values())


def split_bets(bets: Sequence[Bet], winner: str | None, cut_pct: int = HOUSE_CUT_PCT) -> BetSplit:
    """A parimutuel pool: the bets on the winner share the whole pool less the house's cut
    (`cut_pct`, rounded down), each in proportion to its bet, rounded down; what rounding
    leaves goes to the house too, so payouts + house = pool, exactly.

    No winner (a tie, a cancelled duel), or nobody backed the winner: every bet comes back
    whole, no cut (a pool nobody can win takes nothing)."""
    pool = sum(b.amount for b in bets)
    backed = [b for b in bets if b.side == winner] if winner is not None else []
    backed_total = sum(b.amount for b in backed)
    if not backed_total:
        payouts: dict[int, int] = {}
        for b in bets:
            payouts[b.user_id] = payouts.get(b.user_id, 0) + b.amount
        return BetSplit(payouts, 0, True)
    net = pool - pool * cut_pct // 100
    payouts = {}
    for b in backed:
        share = b.amount * net // backed_total
        if share:
            payouts[b.user_id] = payouts.get(b.user_id, 0) + share
    return BetSplit(payouts, pool - sum(payouts.values()), False)
