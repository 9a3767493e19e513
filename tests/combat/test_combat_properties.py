"""Properties of the engine, with hypothesis: HP stays within [0, max] after every command,
a fight ends within its match limit when time passes and the scheduler ticks, one seed and one
list of commands give one fight, and every fight survives a JSON round trip."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from combat_fixtures import ITEMS, T0, duelist
from hypothesis import given, settings
from hypothesis import strategies as st

from chibot.core.errors import UserError
from chibot.core.rng import Rng
from chibot.features.combat.effects import KINDS, Effect
from chibot.features.combat.engine import (
    Attack,
    Command,
    Defend,
    Event,
    Fight,
    Fighter,
    Forfeit,
    Heal,
    Hooks,
    Inflict,
    Mode,
    Outcome,
    PetAttack,
    Status,
    Tick,
    UsePotion,
    apply,
    from_dict,
    new_fight,
    to_dict,
)

MODE = Mode(
    "sandbox",
    turn_seconds=60,
    match_seconds=900,
    allows=frozenset({"potions", "pets", "team"}),
    heal_charges=3,
)
KIND_LIST = sorted(KINDS)


def potion(fight: Fight, actor: Fighter, name: str, target: Fighter, rng: Rng) -> list[Outcome]:
    kind = KIND_LIST[int(name) % len(KIND_LIST)]
    return [Inflict(target.id, Effect(kind, 1 + int(name) % 3, 10 + int(name) % 40, actor.id))]


def pet(fight: Fight, actor: Fighter, name: str, target: Fighter, rng: Rng) -> list[Outcome]:
    from chibot.features.combat.engine import Hit, Mend

    return [Hit(target.id, rng.randint(0, 300), "Claw"), Mend(actor.id, 40, "Zen")]


HOOKS = Hooks(potion=potion, pet_attack=pet, team_bonus=lambda fight, side: 10)
WEAPONS = [i.id for i in ITEMS.values() if i.effect("weapon")]

# (action, argument, seconds it takes)
steps = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 20), st.integers(1, 90)), max_size=60)


def start(seed: int, weapons: tuple[int, int], perm: tuple[int, int]) -> tuple[Fight, Rng]:
    rng = random.Random(seed)
    heals = ["minor_healing_salve", "greater_healing_orb"]
    fighters = [
        duelist(
            fid,
            side,
            weapon=WEAPONS[w % len(WEAPONS)],
            mode=MODE,
            heals=heals,
            max_hp=250 + p,
            level=w,
        )
        for fid, side, w, p in (
            ("ann", "a", weapons[0], perm[0]),
            ("bob", "b", weapons[1], perm[1]),
        )
    ]
    fight, _ = new_fight("p", MODE, fighters, rng, T0)
    return fight, rng


def command(fight: Fight, action: int, arg: int) -> Command:
    me = fight.whose_turn
    other = "bob" if me == "ann" else "ann"
    if arg == 20:  # now and then someone acts out of turn
        me, other = other, me
    weapon = fight.fighter(me).weapon  # type: ignore[union-attr]
    code = weapon.code if weapon else "XX"
    return [
        Attack(me, f"{code}{1 + arg % 6}"),
        Attack(me, f"{code}{1 + arg % 4}", target=other),
        Defend(me),
        Heal(me, ["Minor Healing Salve", "greater_healing_orb", "nothing"][arg % 3]),
        UsePotion(me, str(arg), other if arg % 2 else None),
        PetAttack(me, "P1"),
        Forfeit(me) if arg == 7 else Defend(me),
        Tick(),
    ][action]


def check_hp(fight: Fight) -> None:
    for f in fight.fighters:
        assert 0 <= f.hp <= f.max_hp
        assert f.down == (f.hp == 0)


def play(
    seed: int, weapons: tuple[int, int], perm: tuple[int, int], plan: list[tuple[int, int, int]]
) -> tuple[Fight, list[Event], list[Fight]]:
    fight, rng = start(seed, weapons, perm)
    now = T0
    log: list[Event] = []
    seen = [fight]
    for action, arg, took in plan:
        now += timedelta(seconds=took)
        fight, events = apply(fight, Tick(), rng, now, HOOKS)
        log += events
        if fight.status is Status.ENDED:
            break
        before = to_dict(fight)
        try:
            fight, events = apply(fight, command(fight, action, arg), rng, now, HOOKS)
        except UserError:
            assert to_dict(fight) == before
            continue
        log += events
        check_hp(fight)
        seen.append(fight)
    return fight, log, seen


fights = st.tuples(
    st.integers(0, 2**32),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.integers(0, 2_750), st.integers(0, 2_750)),
    steps,
)


@settings(max_examples=100, deadline=None)
@given(fights)
def test_hp_stays_within_bounds(case: tuple) -> None:  # type: ignore[type-arg]
    fight, log, seen = play(*case)
    for f in seen:
        check_hp(f)
    assert sum(e.__class__.__name__ == "MatchEnded" for e in log) <= 1
    assert (fight.status is Status.ENDED) == any(e.__class__.__name__ == "MatchEnded" for e in log)


@settings(max_examples=100, deadline=None)
@given(fights)
def test_a_fight_ends_within_its_match_limit(case: tuple) -> None:  # type: ignore[type-arg]
    seed, weapons, perm, plan = case
    # every action takes time; keep going until the match limit has surely passed
    long_plan = plan + [(2, 0, 30)] * (MODE.match_seconds // 30 + 1)
    fight, log, _ = play(seed, weapons, perm, long_plan)
    assert fight.status is Status.ENDED
    assert fight.reason in {"ko", "forfeit", "idle", "match_limit"}


@settings(max_examples=100, deadline=None)
@given(fights)
def test_same_seed_and_commands_same_fight(case: tuple) -> None:  # type: ignore[type-arg]
    assert play(*case)[:2] == play(*case)[:2]


@settings(max_examples=60, deadline=None)
@given(fights)
def test_every_fight_survives_json(case: tuple) -> None:  # type: ignore[type-arg]
    _, _, seen = play(*case)
    for f in seen:
        assert from_dict(json.loads(json.dumps(to_dict(f)))) == f
