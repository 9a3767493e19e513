"""The engine's scenarios: a duel to a KO, defend, heals, effects, stun, timeouts, forfeit,
refusals that change nothing, the hooks with fakes, and JSON round trips."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace

import pytest
from combat_fixtures import DUEL, at, duel, duelist

from chibot.core.errors import UserError
from chibot.core.rng import Rng
from chibot.features.combat import errors
from chibot.features.combat.effects import Effect
from chibot.features.combat.engine import (
    KO,
    Attack,
    DamageDealt,
    Defend,
    Dodged,
    EffectApplied,
    EffectExpired,
    EffectTicked,
    Fight,
    Fighter,
    FighterPet,
    Forfeit,
    Heal,
    Healed,
    Hit,
    Hooks,
    Inflict,
    MatchEnded,
    Mend,
    Mode,
    Outcome,
    PetAttack,
    PetMove,
    Status,
    Tick,
    TurnPassed,
    TurnSkipped,
    UsePotion,
    apply,
    from_dict,
    new_fight,
    to_dict,
)
from chibot.features.combat.rules import Weapon, WeaponAttack


class Dice:
    """Scripted dice: `randint` answers from `ints` (else the low end); `random` is 0.99 (no
    crit, no dodge) unless `floats` says otherwise."""

    def __init__(self, ints: Sequence[int] = (), floats: Sequence[float] = ()) -> None:
        self.ints = list(ints)
        self.floats = list(floats)

    def randint(self, a: int, b: int) -> int:
        value = self.ints.pop(0) if self.ints else a
        assert a <= value <= b
        return value

    def random(self) -> float:
        return self.floats.pop(0) if self.floats else 0.99


def hp(fight: Fight, fid: str) -> int:
    found = fight.fighter(fid)
    assert found is not None
    return found.hp


def test_a_seeded_duel_ends_in_one_ko() -> None:
    rng = random.Random(42)
    fight = duel(rng)
    everything = []
    for step in range(500):
        if fight.status is Status.ENDED:
            break
        fight, events = apply(fight, Attack(fight.whose_turn, "VW4"), rng, at(step))
        everything += events
    assert fight.status is Status.ENDED and fight.reason == "ko"
    ends = [e for e in everything if isinstance(e, MatchEnded)]
    kos = [e for e in everything if isinstance(e, KO)]
    assert len(ends) == 1 and len(kos) == 1
    loser = fight.fighter(kos[0].fighter)
    assert loser is not None and loser.hp == 0 and loser.down
    assert ends[0].winner == fight.winner != loser.side
    with pytest.raises(errors.FightOver):
        apply(fight, Attack(fight.whose_turn, "VW1"), rng, at(999))


def test_same_seed_same_duel() -> None:
    def play(seed: int) -> tuple[Fight, list[object]]:
        rng = random.Random(seed)
        fight, log = duel(rng), []
        for step in range(40):
            if fight.status is Status.ENDED:
                break
            fight, events = apply(fight, Attack(fight.whose_turn, "VW3"), rng, at(step))
            log += events
        return fight, log

    assert play(5) == play(5)


def test_defend_halves_the_next_hit_and_is_limited() -> None:
    fight = duel(Dice())
    fight, events = apply(fight, Defend("ann"), Dice(), at(1))
    assert any(isinstance(e, TurnPassed) and e.to == "bob" for e in events)
    fight, events = apply(fight, Attack("bob", "VW4"), Dice(ints=[17]), at(2))
    hit = next(e for e in events if isinstance(e, DamageDealt))
    assert (hit.amount, hit.defended) == (8, True) and hp(fight, "ann") == 242
    fight, _ = apply(fight, Defend("ann"), Dice(), at(3))
    fight, _ = apply(fight, Defend("bob"), Dice(), at(4))
    before = fight
    with pytest.raises(errors.DefendLimit):
        apply(fight, Defend("ann"), Dice(), at(5))
    assert fight == before
    # the stance ended when ann's turn began again: bob's next hit is whole
    fight, _ = apply(fight, Attack("ann", "VW1"), Dice(ints=[5]), at(6))
    fight, events = apply(fight, Attack("bob", "VW4"), Dice(ints=[17]), at(7))
    hit = next(e for e in events if isinstance(e, DamageDealt))
    assert (hit.amount, hit.defended) == (17, False)
    # attacking reset the streak: ann may defend again
    fight, events = apply(fight, Defend("ann"), Dice(), at(8))
    assert fight.fighter("ann").defend_streak == 1  # type: ignore[union-attr]


def test_a_dodged_hit_does_nothing() -> None:
    fight = duel(Dice())
    fight, _ = apply(fight, Defend("ann"), Dice(), at(1))
    fight, events = apply(fight, Attack("bob", "VW1"), Dice(floats=[0.5, 0.0]), at(2))
    assert any(isinstance(e, Dodged) for e in events) and hp(fight, "ann") == 250
    assert not any(isinstance(e, DamageDealt) for e in events)


def pass_turn(fight: Fight) -> Attack | Defend:
    """Defend while allowed, else a weak attack: a way to let turns go by."""
    me = fight.fighter(fight.whose_turn)
    assert me is not None
    return Defend(me.id) if me.defend_streak < 2 else Attack(me.id, "VW1")


def test_heal_charges_and_scaling() -> None:
    ann = duelist("ann", "a", level=3, item_levels={"minor_healing_salve": 1})
    fight, _ = new_fight("f", DUEL, [replace(ann, hp=100), duelist("bob", "b")], Dice(), at())
    fight, events = apply(fight, Heal("ann", "minor healing salve"), Dice(), at(1))
    healed = next(e for e in events if isinstance(e, Healed))
    assert (healed.amount, healed.charges_left, hp(fight, "ann")) == (60, 1, 160)  # 50 at L=4
    fight, _ = apply(fight, Defend("bob"), Dice(), at(2))
    fight, events = apply(fight, Heal("ann", "MINOR_HEALING_SALVE"), Dice(), at(3))
    assert hp(fight, "ann") == 220
    fight, _ = apply(fight, Defend("bob"), Dice(), at(4))
    with pytest.raises(errors.NoCharges):
        apply(fight, Heal("ann", "Minor Healing Salve"), Dice(), at(5))
    with pytest.raises(errors.UnknownHeal):
        apply(fight, Heal("ann", "Divine Full Heal"), Dice(), at(5))


def test_heal_is_capped_at_max_hp() -> None:
    fight = duel(Dice())
    fight, events = apply(fight, Heal("ann", "Minor Healing Salve"), Dice(), at(1))
    assert next(e for e in events if isinstance(e, Healed)).amount == 0
    assert hp(fight, "ann") == 250


def potion_hook(
    fight: Fight, actor: Fighter, potion: str, target: Fighter, rng: Rng
) -> list[Outcome]:
    if potion == "burn":
        return [Inflict(target.id, Effect("burn", 3, 25, actor.id))]
    if potion == "stun":
        return [Inflict(target.id, Effect("stun", 1))]
    if potion == "shield":
        return [Inflict(target.id, Effect("shield", 1, 50))]
    if potion == "heal":
        return [Mend(target.id, 100, "Healing Potion")]
    raise errors.NotInThisMode(what=potion, mode=fight.mode.name)


ALCHEMY = Mode("duel", allows=frozenset({"potions"}))
HOOKS = Hooks(potion=potion_hook)


def test_burn_ticks_three_rounds_then_expires() -> None:
    fight = duel(Dice(), ALCHEMY)
    fight, events = apply(fight, UsePotion("ann", "burn", "bob"), Dice(), at(1), HOOKS)
    assert EffectApplied("bob", "burn", 3, 25, "ann") in events
    ticks = [e for e in events if isinstance(e, EffectTicked)]
    for step in range(2, 8):
        fight, events = apply(fight, pass_turn(fight), Dice(), at(step), HOOKS)
        ticks += [e for e in events if isinstance(e, EffectTicked)]
        if any(isinstance(e, EffectExpired) for e in events):
            assert fight.fighter("bob").effects == ()  # type: ignore[union-attr]
    assert [(t.target, t.amount) for t in ticks] == [("bob", 25)] * 3
    assert ticks[0].hp == 225


def test_burn_can_knock_out() -> None:
    bob = replace(duelist("bob", "b", mode=ALCHEMY), hp=20)
    fight, _ = new_fight("f", ALCHEMY, [duelist("ann", "a"), bob], Dice(), at())
    fight, events = apply(fight, UsePotion("ann", "burn", "bob"), Dice(), at(1), HOOKS)
    assert fight.status is Status.ENDED and fight.winner == "a" and hp(fight, "bob") == 0
    assert [type(e) for e in events][-2:] == [KO, MatchEnded]


def test_stun_skips_a_turn() -> None:
    fight = duel(Dice(), ALCHEMY)
    fight, events = apply(fight, UsePotion("ann", "stun", "bob"), Dice(), at(1), HOOKS)
    assert TurnSkipped("bob", "stun") in events and fight.whose_turn == "ann"
    assert fight.round == 2
    fight, events = apply(fight, Defend("ann"), Dice(), at(2), HOOKS)
    assert fight.whose_turn == "bob"  # the stun lasted one turn


def test_shield_and_drinking() -> None:
    fight = duel(Dice(), ALCHEMY)
    fight, _ = apply(fight, UsePotion("ann", "shield"), Dice(), at(1), HOOKS)
    fight, events = apply(fight, Attack("bob", "VW4"), Dice(ints=[18]), at(2), HOOKS)
    assert next(e for e in events if isinstance(e, DamageDealt)).amount == 9
    with pytest.raises(errors.NotInThisMode):
        apply(fight, UsePotion("ann", "nonsense"), Dice(), at(3), HOOKS)


def test_idle_turn_forfeits_on_tick() -> None:
    fight = duel(Dice())
    same, events = apply(fight, Tick(), Dice(), at(59))
    assert same is fight and events == []
    fight, events = apply(fight, Tick(), Dice(), at(60))
    assert (fight.status, fight.reason, fight.winner) == (Status.ENDED, "idle", "b")
    assert events[-1] == MatchEnded("idle", "b")
    again, events = apply(fight, Tick(), Dice(), at(61))
    assert again is fight and events == []


def test_the_match_limit_ends_by_hp_or_tie() -> None:
    for policy, winner in (("hp", "a"), ("tie", None)):
        mode = replace(DUEL, turn_seconds=10_000, on_match_limit=policy)
        fight = duel(Dice(), mode)
        fight, _ = apply(fight, Attack("ann", "VW1"), Dice(ints=[7]), at(30))
        with pytest.raises(errors.TimeUp):
            apply(fight, Defend("bob"), Dice(), at(600))
        fight, events = apply(fight, Tick(), Dice(), at(600))
        assert (fight.reason, fight.winner) == ("match_limit", winner)
        assert events == [MatchEnded("match_limit", winner)]


def test_equal_hp_shares_tie() -> None:
    fight = duel(Dice(), replace(DUEL, turn_seconds=10_000))
    fight, _ = apply(fight, Tick(), Dice(), at(600))
    assert (fight.reason, fight.winner) == ("match_limit", None)


def test_forfeit_any_time() -> None:
    fight = duel(Dice())
    fight, events = apply(fight, Forfeit("bob"), Dice(), at(1))
    assert (fight.status, fight.reason, fight.winner) == (Status.ENDED, "forfeit", "a")
    with pytest.raises(errors.FightOver):
        apply(fight, Forfeit("ann"), Dice(), at(2))


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (Attack("bob", "VW1"), errors.NotYourTurn),
        (Attack("eve", "VW1"), errors.NotInFight),
        (Attack("ann", "fireball"), errors.UnknownAttack),
        (Attack("ann", "Verdant Windblade"), errors.UnknownAttack),
        (Attack("ann", "VW9"), errors.UnknownAttack),
        (Attack("ann", "Stormcaller's Pike Thunder Piercer"), errors.UnknownAttack),
        (Attack("ann", "VW1", target="ann"), errors.BadTarget),
        (PetAttack("ann", "P2"), errors.NotInThisMode),
        (UsePotion("ann", "burn", "bob"), errors.NotInThisMode),
        (Heal("ann", "Divine Full Heal"), errors.UnknownHeal),
    ],
)
def test_refusals_change_nothing(command: object, refusal: type[UserError]) -> None:
    fight = duel(Dice())
    data = to_dict(fight)
    with pytest.raises(refusal) as caught:
        apply(fight, command, Dice(), at(1), HOOKS)  # type: ignore[arg-type]
    assert caught.value.code is not None and caught.value.message
    assert to_dict(fight) == data


def test_ambiguous_attack() -> None:
    pike = duelist("ann", "a", weapon="stormcallers_pike")
    fight, _ = new_fight("f", DUEL, [pike, duelist("bob", "b")], Dice(), at())
    with pytest.raises(errors.AmbiguousAttack):
        apply(fight, Attack("ann", "t"), Dice(), at(1))
    fight, events = apply(fight, Attack("ann", "tempest"), Dice(ints=[30]), at(1))
    assert next(e for e in events if isinstance(e, DamageDealt)).label == "Tempest Thrust"


def test_no_weapon_and_knocked_out_cannot_act() -> None:
    ann = replace(duelist("ann", "a"), weapon=None)
    fight, _ = new_fight("f", DUEL, [ann, duelist("bob", "b")], Dice(), at())
    with pytest.raises(errors.NoWeapon):
        apply(fight, Attack("ann", "VW1"), Dice(), at(1))


# --- hooks with fakes ------------------------------------------------------------------------


def pet_hook(fight: Fight, actor: Fighter, pet: str, target: Fighter, rng: Rng) -> list[Outcome]:
    if pet != "P2":
        raise errors.NotInThisMode(what=f"pet attack {pet}", mode=fight.mode.name)
    return [Hit(target.id, rng.randint(150, 210), "Wing Slash")]


def test_pet_attack_hook() -> None:
    mode = Mode("duel", allows=frozenset({"pets"}))
    fight = duel(Dice(), mode)
    pet = FighterPet("Smaug", (PetMove("P2", "Wing Slash", 150, 210),))
    fighters = tuple(replace(f, pet=pet) if f.id == "ann" else f for f in fight.fighters)
    fight = replace(fight, fighters=fighters)
    hooks = Hooks(pet_attack=pet_hook)
    with pytest.raises(errors.NotInThisMode):
        apply(fight, PetAttack("ann", "P2"), Dice(), at(1))  # allowed, but no pets installed
    with pytest.raises(errors.NotInThisMode):
        apply(fight, PetAttack("ann", "P99"), Dice(), at(1), hooks)
    fight, events = apply(fight, PetAttack("ann", "P2"), Dice(ints=[160]), at(1), hooks)
    assert DamageDealt("ann", "bob", 160, "Wing Slash", 90) in events
    assert fight.whose_turn == "bob"


def test_team_bonus_hook() -> None:
    mode = Mode("team duel", allows=frozenset({"team"}))
    hooks = Hooks(team_bonus=lambda fight, side: 50 if side == "a" else 0)
    fight = duel(Dice(), mode)
    fight, events = apply(fight, Attack("ann", "VW4"), Dice(ints=[18]), at(1), hooks)
    assert next(e for e in events if isinstance(e, DamageDealt)).amount == 27
    # a duel does not allow team bonuses: the same hook adds nothing
    fight = duel(Dice())
    fight, events = apply(fight, Attack("ann", "VW4"), Dice(ints=[18]), at(1), hooks)
    assert next(e for e in events if isinstance(e, DamageDealt)).amount == 18


BOSS = Mode("boss", allows=frozenset({"boss"}), bare_weapon=True, match_seconds=3600)


def boss(fid: str, hp: int, low: int, high: int) -> Fighter:
    weapon = Weapon(fid, fid.title(), "BX", 0, (WeaponAttack("BX1", "Hit", low, high),))
    return Fighter(fid, fid.title(), "boss", hp, hp, weapon=weapon, auto=True)


class Ironhide:
    """Heals 150 at the end of every third round (legacy section 6.4), as a fake behaviour."""

    def round_start(self, fight: Fight, me: Fighter, rng: Rng) -> list[Outcome]:
        return []

    def round_end(self, fight: Fight, me: Fighter, rng: Rng) -> list[Outcome]:
        return [Mend(me.id, 150, "Iron Skin")] if fight.round % 3 == 0 else []


class Emberclaw:
    """Burns every enemy 25 x 3 at the start of round 1, once."""

    def round_start(self, fight: Fight, me: Fighter, rng: Rng) -> list[Outcome]:
        if fight.round != 1:
            return []
        return [
            Inflict(f.id, Effect("burn", 3, 25, me.id)) for f in fight.fighters if f.side != me.side
        ]

    def round_end(self, fight: Fight, me: Fighter, rng: Rng) -> list[Outcome]:
        return []


def test_ironhide_heals_every_third_round() -> None:
    rng = random.Random(3)
    player = duelist("ann", "a", weapon="celestial_warhammer", mode=BOSS, max_hp=3_000)
    fight, _ = new_fight("b", BOSS, [player, boss("iron", 1_500, 30, 120)], rng, at())
    heals = []
    for n in range(1, 8):
        fight, events = apply(
            fight, Attack("ann", "Celestial Warhammer"), rng, at(n), Hooks(boss=Ironhide())
        )
        heals += [(n, e.amount) for e in events if isinstance(e, Healed) and e.target == "iron"]
        assert fight.whose_turn == "ann"
    assert [n for n, _ in heals] == [3, 6]
    assert all(0 < amount <= 150 for _, amount in heals)


def test_boss_behaviour_needs_the_mode() -> None:
    mode = replace(BOSS, allows=frozenset())
    fight, events = new_fight(
        "b",
        mode,
        [duelist("ann", "a"), boss("ember", 2_000, 50, 200)],
        Dice(),
        at(),
        Hooks(boss=Emberclaw()),
    )
    assert not any(isinstance(e, EffectApplied) for e in events)


def test_emberclaw_burn_timeline() -> None:
    player = duelist("ann", "a", mode=BOSS, max_hp=3_000)
    hooks = Hooks(boss=Emberclaw())
    fight, events = new_fight(
        "b", BOSS, [player, boss("ember", 2_000, 50, 200)], Dice(), at(), hooks
    )
    burns = {1: sum(e.amount for e in events if isinstance(e, EffectTicked))}
    applied = sum(isinstance(e, EffectApplied) for e in events)
    for rnd in range(2, 6):
        fight, events = apply(fight, Attack("ann", "VW1"), Dice(), at(rnd), hooks)
        burns[rnd] = sum(e.amount for e in events if isinstance(e, EffectTicked))
        applied += sum(isinstance(e, EffectApplied) for e in events)
        assert fight.round == rnd
    assert burns == {1: 25, 2: 25, 3: 25, 4: 0, 5: 0} and applied == 1


def test_bare_weapon_hit_in_a_boss_fight() -> None:
    player = duelist("ann", "a", mode=BOSS, level=3, item_levels={"verdant_windblade": 1})
    fight, _ = new_fight("b", BOSS, [player, boss("fang", 1_000, 20, 80)], Dice(), at())
    fight, events = apply(fight, Attack("ann", "Verdant Windblade"), Dice(ints=[9]), at(1))
    hit = next(e for e in events if isinstance(e, DamageDealt))
    assert (hit.amount, hit.label) == (10, "Verdant Windblade")  # U[6, 9] -> 9 -> x1.2 -> 10


def test_json_round_trip() -> None:
    fight = duel(Dice(), ALCHEMY)
    fight, _ = apply(fight, UsePotion("ann", "burn", "bob"), Dice(), at(1), HOOKS)
    fight, _ = apply(fight, Defend("bob"), Dice(), at(2), HOOKS)
    data = json.loads(json.dumps(to_dict(fight)))
    assert from_dict(data) == fight


def test_new_fight_checks_its_fighters() -> None:
    with pytest.raises(ValueError):
        new_fight("f", DUEL, [duelist("ann", "a"), duelist("ann", "b")], Dice(), at())
    with pytest.raises(ValueError):
        new_fight("f", DUEL, [duelist("ann", "a"), duelist("bob", "a")], Dice(), at())
    with pytest.raises(ValueError):
        Mode("x", allows=frozenset({"dragons"}))
