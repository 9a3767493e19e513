"""Every pet attack in the engine, with scripted dice: the fifteen moves of the pets content
(`chibot/content/pets.toml`) as the pets service hands them to a fight, each effect done, the
cooldown, a starving pet, a pet nobody brought, and a whole seeded duel of two pets.

The dice of a pet move, in order: the damage roll (`randint`), the effect's die, the dodge die
(`random`); `Dice` answers 0.99 (no effect by chance, no dodge) unless told otherwise."""

from __future__ import annotations

import json
import random
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from combat_fixtures import DUEL, at, duelist
from test_combat_engine import Dice

from chibot.features.combat import errors
from chibot.features.combat.effects import Effect
from chibot.features.combat.engine import (
    Attack,
    Cleansed,
    DamageDealt,
    Defend,
    Dodged,
    EffectApplied,
    EffectTicked,
    Fight,
    Fighter,
    FighterPet,
    Heal,
    Healed,
    HealingBlocked,
    MatchEnded,
    Mode,
    PetAttack,
    PetMove,
    Status,
    TurnSkipped,
    apply,
    from_dict,
    new_fight,
    to_dict,
)
from chibot.features.combat.live import HOOKS, PETS
from chibot.features.pets import rules as pet_rules
from chibot.features.pets.content import PetsFile

PETS_TOML = Path(__file__).resolve().parents[2] / "chibot" / "content" / "pets.toml"
CONTENT = PetsFile.model_validate(tomllib.loads(PETS_TOML.read_text(encoding="utf-8")))
TRAININGS = {t.kind: t for t in CONTENT.train}
MODE = Mode("duel", turn_seconds=60, match_seconds=6000, heal_charges=2, allows=PETS)


def pet_of(
    key: str, levels: pet_rules.Levels = pet_rules.Levels(), share: int = 100, fed: bool = True
) -> FighterPet:
    """The pet as `PetsService.fighting_pet` hands it over: moves with training and health."""
    species = next(s for s in CONTENT.species if s.key == key)
    top = pet_rules.max_hp(species, levels, TRAININGS["health"])
    cond = pet_rules.Condition(80, top * share // 100, top, fed, None, at())
    moves = tuple(
        PetMove(**vars_of(pet_rules.fight_move(a, levels, cond, TRAININGS)))
        for a in species.attacks
    )
    return FighterPet(f"{species.emoji} {species.name}", moves, fed)


def vars_of(move: pet_rules.FightMove) -> dict[str, object]:
    return {f: getattr(move, f) for f in move.__slots__}  # type: ignore[attr-defined]


def fighter(fid: str, side: str, pet: FighterPet | None, hp: int = 1000) -> Fighter:
    return replace(duelist(fid, side, mode=MODE, max_hp=hp), pet=pet)


def fight_of(ann_pet: str | None = "dragon", bob_pet: str | None = None, **kw: object) -> Fight:
    ann = fighter("ann", "a", pet_of(ann_pet) if ann_pet else None)
    bob = fighter("bob", "b", pet_of(bob_pet) if bob_pet else None)
    fight, _ = new_fight("f1", MODE, [ann, bob], Dice(), at())
    return fight


def who(fight: Fight, fid: str) -> Fighter:
    found = fight.fighter(fid)
    assert found is not None
    return found


def hits(events: list[object]) -> list[DamageDealt]:
    return [e for e in events if isinstance(e, DamageDealt)]


def pet_turn(fight: Fight, code: str, *, ints: tuple[int, ...] = (), floats=()) -> tuple:  # type: ignore[no-untyped-def]
    return apply(fight, PetAttack("ann", code), Dice(ints=ints, floats=floats), at(1), HOOKS)


# --- the pets service's numbers --------------------------------------------------------------


def test_moves_carry_training_and_health() -> None:
    plain = pet_of("dragon").moves[0]
    assert (plain.code, plain.low, plain.high, plain.kind, plain.amount) == (
        "P1",
        140,
        180,
        "burn",
        20,
    )
    trained = pet_of("dragon", pet_rules.Levels(attack=4)).moves[0]
    assert (trained.low, trained.high) == (168, 216)  # +20%
    wounded = pet_of("dragon", share=70).moves[0]
    assert (wounded.low, wounded.high) == (98, 126)  # hits with its health share
    starved = pet_of("dragon", share=10).moves[0]
    assert (starved.low, starved.high) == (70, 90)  # never below half
    special = pet_of("ox", pet_rules.Levels(special=5)).moves[1]
    assert special.chance == 45  # 30% + 5 x 3 points
    healer = pet_of("panda", pet_rules.Levels(heal=5)).moves[1]
    assert healer.amount == 300  # 200 HP + 50%


# --- each of the fifteen --------------------------------------------------------------------


def test_p1_dragon_fire_breath_burns_three_rounds() -> None:
    fight, events = pet_turn(fight_of(), "P1", ints=(150,))
    assert hits(events)[0] == DamageDealt("ann", "bob", 150, "🐉 Dragon: Dragon Fire Breath", 850)
    assert EffectApplied("bob", "burn", 3, 20, "ann") in events
    ticks = [e for e in events if isinstance(e, EffectTicked)]
    assert ticks == [EffectTicked("bob", "burn", 20, 830)]  # at bob's turn start


def test_p2_wing_slash_crits_on_its_chance() -> None:
    _, events = pet_turn(fight_of(), "P2", ints=(200,), floats=(0.24,))
    assert hits(events)[0].amount == 400 and "(critical)" in hits(events)[0].label
    _, events = pet_turn(fight_of(), "P2", ints=(200,), floats=(0.25,))
    assert hits(events)[0].amount == 200


def test_p3_dragons_roar_weakens_for_three_of_the_targets_turns() -> None:
    fight, events = pet_turn(fight_of(), "P3", ints=(120,))
    assert EffectApplied("bob", "weaken", 4, 40, "ann") in events
    dealt = []
    for step in range(2, 10, 2):
        fight, events = apply(fight, Attack("bob", "VW1"), Dice(ints=[10]), at(step), HOOKS)
        dealt.append(hits(events)[0].amount)
        fight, _ = apply(fight, Attack("ann", "VW1"), Dice(), at(step + 1), HOOKS)
    assert dealt == [6, 6, 6, 10]  # 10 less 40% while it holds, then whole


def test_p4_bamboo_strike_never_misses() -> None:
    _, events = pet_turn(fight_of("panda"), "P4", ints=(130,), floats=(0.99, 0.0))
    assert hits(events)[0].amount == 130 and not any(isinstance(e, Dodged) for e in events)
    _, events = pet_turn(fight_of("dragon"), "P1", ints=(150,), floats=(0.99, 0.0))
    assert any(isinstance(e, Dodged) for e in events)  # another move can be dodged
    assert not any(isinstance(e, EffectApplied) for e in events)  # and its burn needs a hit


def test_p5_zen_healing_heals_and_cleanses_its_owner() -> None:
    fight = fight_of("panda")
    sore = replace(
        who(fight, "ann"),
        hp=500,
        effects=(Effect("burn", 2, 20), Effect("weaken", 2, 40), Effect("strength", 2, 10)),
    )
    fight = replace(fight, fighters=(sore, who(fight, "bob")))
    fight, events = pet_turn(fight, "P5")
    assert Healed("ann", 200, "🐼 Panda: Zen Healing", 700) in events
    assert Cleansed("ann", ("burn", "weaken"), "🐼 Panda: Zen Healing") in events
    assert [e.kind for e in who(fight, "ann").effects] == ["strength"]
    assert not hits(events)  # it hits no one


@pytest.mark.parametrize(
    ("species", "code", "roll", "healed"), [("panda", "P6", 100, 30), ("tiger", "P7", 120, 24)]
)
def test_p6_p7_lifesteal_heals_a_share_of_the_damage_dealt(
    species: str, code: str, roll: int, healed: int
) -> None:
    fight = fight_of(species)
    fight = replace(fight, fighters=(replace(who(fight, "ann"), hp=500), who(fight, "bob")))
    fight, events = pet_turn(fight, code, ints=(roll,))
    assert hits(events)[0].amount == roll
    assert next(e for e in events if isinstance(e, Healed)).amount == healed
    assert who(fight, "ann").hp == 500 + healed


def test_lifesteal_counts_what_the_hit_really_dealt() -> None:
    fight = fight_of("panda")
    fight, _ = apply(fight, Defend("ann"), Dice(), at(1), HOOKS)
    fight, _ = apply(fight, Defend("bob"), Dice(), at(2), HOOKS)
    fight = replace(fight, fighters=(replace(who(fight, "ann"), hp=500), who(fight, "bob")))
    fight, events = apply(fight, PetAttack("ann", "P6"), Dice(ints=[100]), at(3), HOOKS)
    assert hits(events)[0].amount == 50 and hits(events)[0].defended
    assert next(e for e in events if isinstance(e, Healed)).amount == 15  # 30% of 50


def test_p8_lightning_pounce_recoils_on_its_owner() -> None:
    fight, events = pet_turn(fight_of("tiger"), "P8", ints=(150,))
    assert [(h.target, h.amount) for h in hits(events)] == [("bob", 150), ("ann", 45)]
    assert who(fight, "ann").hp == 955


def test_p9_thunderous_roar_empowers_the_next_weapon_hit_once() -> None:
    fight, events = pet_turn(fight_of("tiger"), "P9", ints=(80,))
    assert EffectApplied("ann", "empower", 2, 50, "ann") in events
    fight, _ = apply(fight, Defend("bob"), Dice(), at(2), HOOKS)
    assert [e.kind for e in who(fight, "ann").effects] == ["empower"]  # kept to her turn
    fight, events = apply(fight, Attack("ann", "VW1"), Dice(ints=[10]), at(3), HOOKS)
    assert hits(events)[0].amount == 7  # 10 +50% = 15, halved by bob's stance: 7
    assert who(fight, "ann").effects == ()  # used up
    fight, _ = apply(fight, Attack("bob", "VW1"), Dice(ints=[5]), at(4), HOOKS)
    fight, events = apply(fight, Attack("ann", "VW1"), Dice(ints=[10]), at(5), HOOKS)
    assert hits(events)[0].amount == 10


def test_p10_venomous_bite_poisons_three_rounds() -> None:
    fight, events = pet_turn(fight_of("snake"), "P10", ints=(90,))
    assert EffectApplied("bob", "poison", 3, 15, "ann") in events
    ticks = [e for e in events if isinstance(e, EffectTicked)]
    for step in range(2, 9):
        fight, events = apply(
            fight,
            Defend(fight.whose_turn) if step % 3 else Attack(fight.whose_turn, "VW1"),
            Dice(),
            at(step),
            HOOKS,
        )
        ticks += [e for e in events if isinstance(e, EffectTicked)]
    assert [(t.target, t.amount) for t in ticks] == [("bob", 15)] * 3


def test_p11_constrict_blocks_healing() -> None:
    fight = fight_of("snake", "panda")
    fight = replace(fight, fighters=(who(fight, "ann"), replace(who(fight, "bob"), hp=400)))
    fight, events = pet_turn(fight, "P11", ints=(70,))
    assert EffectApplied("bob", "heal_block", 3, 0, "ann") in events
    with pytest.raises(errors.HealBlocked):
        apply(fight, Heal("bob", "minor_healing_salve"), Dice(), at(2), HOOKS)
    fight, events = apply(fight, PetAttack("bob", "P5"), Dice(), at(2), HOOKS)
    assert HealingBlocked("bob", "🐼 Panda: Zen Healing") in events
    assert who(fight, "bob").hp == 330
    fight, _ = apply(fight, Defend("ann"), Dice(), at(3), HOOKS)
    with pytest.raises(errors.HealBlocked):  # still, its second turn
        apply(fight, Heal("bob", "minor_healing_salve"), Dice(), at(4), HOOKS)
    fight, _ = apply(fight, Defend("bob"), Dice(), at(4), HOOKS)
    fight, _ = apply(fight, Defend("ann"), Dice(), at(5), HOOKS)
    fight, events = apply(fight, Heal("bob", "minor_healing_salve"), Dice(), at(6), HOOKS)
    assert any(isinstance(e, Healed) and e.amount > 0 for e in events)  # worn off


@pytest.mark.parametrize(
    ("species", "code", "kind", "chance"),
    [("snake", "P12", "fear", 0.40), ("ox", "P14", "stun", 0.30)],
)
def test_p12_p14_fear_and_stun_take_the_targets_next_turn_on_their_chance(
    species: str, code: str, kind: str, chance: float
) -> None:
    fight, events = pet_turn(fight_of(species), code, floats=(chance - 0.01,))
    assert TurnSkipped("bob", kind) in events and fight.whose_turn == "ann"
    fight, events = pet_turn(fight_of(species), code, floats=(chance,))
    assert not any(isinstance(e, TurnSkipped) for e in events) and fight.whose_turn == "bob"


def test_p13_headbutt_is_a_plain_hit() -> None:
    fight, events = pet_turn(fight_of("ox"), "P13", ints=(80,), floats=(0.0,))
    assert [(h.target, h.amount) for h in hits(events)] == [("bob", 80)]
    assert not any(isinstance(e, EffectApplied) for e in events)


def test_p15_earth_stomp_weakens_two_turns() -> None:
    _, events = pet_turn(fight_of("ox"), "P15", ints=(60,))
    assert EffectApplied("bob", "weaken", 3, 20, "ann") in events


# --- the rules around them -----------------------------------------------------------------


def test_a_pet_rests_a_turn_after_it_acts() -> None:
    fight, _ = pet_turn(fight_of(), "P1")
    fight, _ = apply(fight, Defend("bob"), Dice(), at(2), HOOKS)
    with pytest.raises(errors.PetResting) as refused:
        apply(fight, PetAttack("ann", "P2"), Dice(), at(3), HOOKS)
    assert refused.value.fields["turns"] == 1
    fight, _ = apply(fight, Attack("ann", "VW1"), Dice(), at(3), HOOKS)
    fight, _ = apply(fight, Defend("bob"), Dice(), at(4), HOOKS)
    fight, events = apply(fight, PetAttack("ann", "2"), Dice(ints=[160]), at(5), HOOKS)
    assert hits(events)[0].label.endswith("Wing Slash")


def test_refusals_a_starving_pet_no_pet_a_wrong_move_a_mode_without_pets() -> None:
    ann = fighter("ann", "a", pet_of("dragon", fed=False))
    fight, _ = new_fight("f", MODE, [ann, fighter("bob", "b", None)], Dice(), at())
    with pytest.raises(errors.PetStarving):
        apply(fight, PetAttack("ann", "P1"), Dice(), at(1), HOOKS)
    fight = fight_of(None)
    with pytest.raises(errors.NoPetHere):
        apply(fight, PetAttack("ann", "P1"), Dice(), at(1), HOOKS)
    fight = fight_of("dragon")
    with pytest.raises(errors.UnknownPetMove) as refused:
        apply(fight, PetAttack("ann", "P7"), Dice(), at(1), HOOKS)
    assert "P1 Dragon Fire Breath" in str(refused.value)
    plain = replace(fight, mode=DUEL)
    with pytest.raises(errors.NotInThisMode):
        apply(plain, PetAttack("ann", "P1"), Dice(), at(1), HOOKS)


def test_moves_by_code_number_or_name() -> None:
    moves = pet_of("panda").moves
    from chibot.features.combat.pet_moves import move_of

    assert [move_of(moves, t).code for t in ("P5", "p5", "5", "2", "zen healing")] == [  # type: ignore[union-attr]
        "P5",
        "P5",
        "P5",
        "P5",
        "P5",
    ]
    assert move_of(moves, "P1") is None and move_of(moves, "9") is None


def test_a_seeded_duel_of_two_pets_is_repeatable_and_ends() -> None:
    def play(seed: int) -> tuple[Fight, list[object]]:
        rng = random.Random(seed)
        ann = fighter("ann", "a", pet_of("dragon"), hp=600)
        bob = fighter("bob", "b", pet_of("snake"), hp=600)
        fight, log = new_fight("f", MODE, [ann, bob], rng, at(), HOOKS)
        for step in range(1, 200):
            if fight.status is Status.ENDED:
                break
            me = who(fight, fight.whose_turn)
            assert me.pet is not None
            command = (
                PetAttack(me.id, me.pet.moves[step % 3].code)
                if me.pet.rest == 0
                else Attack(me.id, "VW4")
            )
            fight, events = apply(fight, command, rng, at(step), HOOKS)
            log += events
        return fight, log

    fight, log = play(11)
    assert play(11) == (fight, log)
    assert fight.status is Status.ENDED and fight.reason == "ko"
    assert sum(isinstance(e, MatchEnded) for e in log) == 1
    sources = {h.label.split(":")[0] for h in hits(log) if ":" in h.label}
    assert {"🐉 Dragon", "🐍 Snake"} <= sources  # both pets acted


def test_a_fight_with_pets_round_trips_through_json() -> None:
    fight, _ = pet_turn(fight_of("tiger", "snake"), "P9")
    data = json.loads(json.dumps(to_dict(fight)))
    assert from_dict(data) == fight
    assert who(from_dict(data), "ann").pet.rest == 2  # type: ignore[union-attr]
