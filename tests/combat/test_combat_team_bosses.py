"""The team bosses of `content/team_bosses.toml` in the engine: the raid's turn order (the boss
after every raider, legacy §9.4), each special (Root Entangle, Shadow Slash, Dragon's Fury)
with scripted dice and with a fixed seed, the HP scaling, the arena bonus as the `team` hook,
and the pure rules of team fights (the pot's split, the duel's order). Issue 13."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from combat_fixtures import at, duelist
from hypothesis import given, settings
from hypothesis import strategies as st
from test_combat_engine import Dice

from chibot.features.combat.bosses import Behaviours, BossesFile
from chibot.features.combat.engine import (
    Attack,
    DamageDealt,
    EffectApplied,
    EffectTicked,
    Hooks,
    Mode,
    TurnSkipped,
    apply,
    new_fight,
    side_bonus,
)
from chibot.features.combat.team_bosses import TeamBehaviours, TeamBossesFile, special_turn
from chibot.features.combat.team_fights import duel_order, raid_order, split_pot

ROOT = Path(__file__).resolve().parents[2] / "chibot" / "content"
TEAM = TeamBossesFile.model_validate(tomllib.loads((ROOT / "team_bosses.toml").read_text()))
SOLO = BossesFile.model_validate(tomllib.loads((ROOT / "bosses.toml").read_text()))
RAID = Mode("team_boss", allows=frozenset({"boss", "team"}), bare_weapon=True, match_seconds=9000)
HOOKS = Hooks(boss=TeamBehaviours(TEAM, Behaviours(SOLO)), team_bonus=side_bonus)


def raid(key: str, rng: object, *, raiders: int = 2, bonus: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    boss = TEAM.get(key)
    assert boss is not None
    members = [
        duelist(n, "side0", weapon="celestial_warhammer", mode=RAID, max_hp=5_000)
        for n in ("ann", "bob", "cat")[:raiders]
    ]
    npc = boss.fighter("side1", raiders)
    order = raid_order([m.id for m in members], npc.id)
    return new_fight("r", RAID, [*members, npc], rng, at(), HOOKS, order=order, bonus=bonus)  # type: ignore[arg-type]


def test_the_content_three_bosses_scaled_by_raiders() -> None:
    assert [b.key for b in TEAM.boss] == ["guardian", "titan", "dragon"]
    guardian = TEAM.get("guardian")
    assert guardian is not None
    assert (guardian.hp_for(2), guardian.hp_for(5)) == (580 + 2 * 230, 580 + 5 * 230)
    assert [b.special.kind for b in TEAM.boss] == ["entangle", "shadow_slash", "dragon_fury"]
    assert all(b.pot > 0 and b.cooldown_hours >= 24 for b in TEAM.boss)


def test_the_boss_plays_after_every_raider() -> None:
    fight, _ = raid("guardian", Dice())
    assert fight.order == ("ann", "tboss:guardian", "bob", "tboss:guardian")
    fight, events = apply(
        fight, Attack("ann", "CW1"), Dice(floats=[0.99, 0.99, 0.99]), at(1), HOOKS
    )
    hits = [e for e in events if isinstance(e, DamageDealt)]
    assert [h.source for h in hits] == ["ann", "tboss:guardian"]  # the boss answered at once
    assert fight.whose_turn == "bob"


def test_root_entangle_stuns_one_raider_who_loses_a_turn() -> None:
    fight, _ = raid("guardian", Dice())
    # ann attacks; the boss's special die 0.05 < 15%: the entangle, on raider 1 (bob)
    dice = Dice(ints=[60, 1], floats=[0.99, 0.99, 0.05])
    fight, events = apply(fight, Attack("ann", "CW1"), dice, at(1), HOOKS)
    stunned = [e for e in events if isinstance(e, EffectApplied)]
    assert [(e.target, e.kind) for e in stunned] == [("bob", "stun")]
    assert any(isinstance(e, TurnSkipped) and e.actor == "bob" for e in events)
    assert fight.whose_turn == "ann"  # bob's turn was lost, the boss played again, then ann


def test_shadow_slash_hits_every_raider_at_sixty_percent() -> None:
    boss = TEAM.get("titan")
    assert boss is not None
    fight, _ = raid("titan", Dice())
    outs = special_turn(boss, fight, fight.fighter("tboss:titan"), Dice(ints=[50], floats=[0.1]))  # type: ignore[arg-type]
    assert [(o.target, o.amount) for o in outs] == [("ann", 30), ("bob", 30)]  # type: ignore[union-attr]
    assert special_turn(boss, fight, fight.fighter("tboss:titan"), Dice(floats=[0.2])) == []  # type: ignore[arg-type]


def test_dragons_fury_burns_every_raider_for_three_turns() -> None:
    fight, _ = raid("dragon", Dice())
    dice = Dice(floats=[0.99, 0.99, 0.1])  # ann's hit, then the fury (0.1 < 25%)
    fight, events = apply(fight, Attack("ann", "CW1"), dice, at(1), HOOKS)
    burns = [e for e in events if isinstance(e, EffectApplied) and e.kind == "burn"]
    assert sorted(e.target for e in burns) == ["ann", "bob"] and burns[0].amount == 25
    ticks = [e for e in events if isinstance(e, EffectTicked)]
    assert [(t.target, t.amount) for t in ticks] == [("bob", 25)]  # bob's turn began: a tick


def test_a_seeded_raid_is_reproducible_and_ends() -> None:
    def play(seed: int) -> list[object]:
        rng = random.Random(seed)
        fight, log = raid("titan", rng)
        for i in range(400):
            if fight.status.value == "ended":
                break
            fight, events = apply(fight, Attack(fight.whose_turn, "CW1"), rng, at(i + 1), HOOKS)
            log += events
        assert fight.status.value == "ended"
        return log

    assert play(7) == play(7)


def test_the_arena_bonus_adds_to_a_sides_damage() -> None:
    plain, _ = raid("guardian", Dice())
    boosted, _ = raid("guardian", Dice(), bonus={"side0": 50})
    dice = [0.99, 0.99, 0.99]
    _, a = apply(plain, Attack("ann", "CW1"), Dice(ints=[60], floats=dice), at(1), HOOKS)
    _, b = apply(boosted, Attack("ann", "CW1"), Dice(ints=[60], floats=dice), at(1), HOOKS)
    first = [e.amount for e in a if isinstance(e, DamageDealt)][0]
    more = [e.amount for e in b if isinstance(e, DamageDealt)][0]
    assert more == first * 3 // 2


def test_an_order_must_name_members_once() -> None:
    a = duelist("ann", "a")
    b = duelist("bob", "b")
    with pytest.raises(ValueError):
        new_fight("x", Mode("m"), [a, b], Dice(), at(), order=["ann", "bob", "ann"])
    with pytest.raises(ValueError):
        new_fight("x", Mode("m"), [a, b], Dice(), at(), order=["ann"])


@pytest.mark.parametrize(
    ("sides", "order"),
    [
        ([["a1"], ["b1"]], ["a1", "b1"]),
        ([["a1", "a2", "a3"], ["b1"]], ["a1", "b1", "a2", "a3"]),
        ([["a1"], ["b1", "b2"]], ["a1", "b1", "b2"]),
    ],
)
def test_a_team_duel_alternates_sides(sides: list[list[str]], order: list[str]) -> None:
    assert duel_order(sides) == order


@pytest.mark.parametrize(
    ("pot", "payees", "shares"),
    [(2000, 2, [1000, 1000]), (2000, 3, [667, 667, 666]), (7000, 5, [1400] * 5), (5, 0, [])],
)
def test_the_pot_is_split_equally(pot: int, payees: int, shares: list[int]) -> None:
    assert split_pot(pot, payees) == shares


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 50))
def test_the_split_always_sums_to_the_pot(pot: int, payees: int) -> None:
    shares = split_pot(pot, payees)
    assert sum(shares) == pot and len(shares) == payees
    assert max(shares) - min(shares) <= 1 and shares == sorted(shares, reverse=True)
