"""The pet hook, pure: what a pet's move does in a fight, as the engine's outcomes.

A member's active pet joins their fight as `FighterPet` (its moves with the pet's training and
health already in their numbers: `PetsService.fighting_pet`). `pet attack P#` is the owner's
action for the turn (`engine.PET_COOLDOWN_TURNS` limits how often); this module turns the
move's effect, which the pets content holds as data (`kind`, `chance`, `amount`, `rounds`),
into `Hit`, `Mend`, `Inflict` and `Cleanse`, and the engine applies them with its usual rules:
the target's defend stance, shield and dodge, the KO check, heal blocks.

The effects (docs/pets.md, "In a fight"):

| kind | what it does |
|---|---|
| none | a plain hit |
| burn, poison | the hit, then `amount` damage a round for `rounds` of the target's turns |
| crit | with `chance`%, the hit deals `amount`% more |
| weaken | the hit, then the target deals `amount`% less during its next `rounds` turns |
| never_miss | the hit can't be dodged |
| heal_cleanse | no hit: heals the owner `amount` HP, removes burn, poison and weaken |
| lifesteal | the owner heals `amount`% of the damage the hit dealt |
| recoil | the owner takes `amount`% of the damage the hit dealt |
| empower | the hit, then the owner's next weapon hit deals `amount`% more |
| heal_block | the hit, then the target can't heal during its next `rounds` turns |
| fear, stun | with `chance`%, the target loses its next `rounds` turns |

Effects that ride on the hit (burn, poison, weaken, heal block, fear, stun) take hold only if
it lands. The dice are thrown in one order whatever the move: the damage roll, the effect's
die, then the engine's dodge die; so one seed gives one fight.
"""

from __future__ import annotations

from collections.abc import Sequence

from chibot.core.rng import Rng
from chibot.features.combat import errors
from chibot.features.combat.effects import Effect
from chibot.features.combat.engine import (
    Cleanse,
    Fight,
    Fighter,
    Hit,
    Inflict,
    Mend,
    Outcome,
    PetMove,
)

CLEANSED = ("burn", "poison", "weaken")
RIDES_ON_HIT = frozenset({"burn", "poison", "weaken", "heal_block", "fear", "stun"})
HOLDS = frozenset({"weaken", "heal_block"})  # effects that hold between turn starts


def move_of(pet_moves: Sequence[PetMove], text: str) -> PetMove | None:
    """The move named by its code (`P4`, `p4`), its number (`4`, or `1` for the pet's first
    when no code has that number) or its name, in any case."""
    said = " ".join(text.split()).casefold()
    if said.isdigit() and len(said) <= 3:
        n = int(said)
        by_code = next((m for m in pet_moves if m.code.casefold() == f"p{n}"), None)
        if by_code is not None:
            return by_code
        return pet_moves[n - 1] if 1 <= n <= len(pet_moves) else None
    return next((m for m in pet_moves if said in (m.code.casefold(), m.name.casefold())), None)


def happens(chance: int, die: float) -> bool:
    return chance >= 100 or (chance > 0 and die * 100 < chance)


def lasting(kind: str, rounds: int) -> int:
    """The engine's rounds for an effect the content says lasts `rounds` of its bearer's
    turns: an effect that holds (weaken, heal block) must outlive the turn start it would
    otherwise expire at, a ticking or skipping one is seen at each of those turn starts."""
    rounds = max(rounds, 1)
    return rounds + 1 if kind in HOLDS else rounds


def pet_attack(
    fight: Fight, actor: Fighter, pet: str, target: Fighter, rng: Rng
) -> Sequence[Outcome]:
    """The engine's `PetAttackHook`: the outcomes of the actor's pet's move named `pet` (what
    the member typed: a code, a number or a name)."""
    brought = actor.pet
    assert brought is not None  # the engine checks the pet is there, fed and rested
    move = move_of(brought.moves, pet)
    if move is None:
        moves = ", ".join(f"{m.code} {m.name}" for m in brought.moves)
        raise errors.UnknownPetMove(pet=brought.name, text=pet or "(none)", moves=moves)
    roll = rng.randint(move.low, move.high) if move.high > 0 else 0
    lucky = happens(move.chance, rng.random())
    label = f"{brought.name}: {move.name}"
    kind = move.kind
    if kind == "heal_cleanse":
        return [
            Mend(actor.id, move.amount, label),
            Cleanse(actor.id, CLEANSED, label),
        ]
    amount = roll
    if kind == "crit" and lucky:
        amount = roll * (100 + move.amount) // 100
        label = f"{label} (critical)"
    then: tuple[Effect, ...] = ()
    if kind in RIDES_ON_HIT and lucky:
        then = (Effect(kind, lasting(kind, move.rounds), move.amount, actor.id),)
    out: list[Outcome] = [
        Hit(
            target.id,
            amount,
            label,
            source=actor.id,
            sure=kind == "never_miss",
            drain_pct=move.amount if kind == "lifesteal" else 0,
            recoil_pct=move.amount if kind == "recoil" else 0,
            then=then,
        )
    ]
    if kind == "empower" and lucky:
        # seen at the owner's next turn start (kept), used up by their next weapon hit
        boost = Effect("empower", max(move.rounds, 1) + 1, move.amount, actor.id)
        out.append(Inflict(actor.id, boost))
    return out
