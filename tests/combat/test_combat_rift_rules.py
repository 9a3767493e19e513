"""The rift's pure rules (`chibot/features/combat/rift_rules.py`): the HP scaling and the prize,
the nine legendary attacks by code and name, the counter-attack that downs a raider and the
lazy return to full HP, and the prize split (largest remainder: the payouts add up to the prize
exactly), with scripted dice, a fixed seed and hypothesis. Issue 13; legacy B4 (one attack
earned the whole prize) and B28 (a cosmetic counter-attack)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.features.combat import rift_rules as rules

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Dice:
    """Scripted dice: `randint` returns the next value (checked to be within the range)."""

    def __init__(self, *values: int) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0)
        assert a <= value <= b, (a, value, b)
        return value


@pytest.mark.parametrize(
    ("raiders", "hp"),
    [(0, 2_500), (1, 2_500), (3, 2_500), (4, 3_000), (5, 3_500), (10, 6_000), (25, 13_500),
     (27, 14_500), (28, 15_000), (29, 15_000), (500, 15_000)],
)  # fmt: skip
def test_the_rifter_grows_with_its_raiders_up_to_a_cap(raiders: int, hp: int) -> None:
    assert rules.max_hp(raiders) == hp
    assert rules.prize(hp) == hp * 3 // 5


def test_the_prize_is_a_fixed_pot_never_unlimited() -> None:
    assert rules.prize(rules.max_hp(1)) == 1_500
    assert rules.prize(rules.max_hp(10**6)) == 9_000


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_more_raiders_never_lower_the_hp_and_the_cap_holds(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert rules.BASE_HP <= rules.max_hp(low) <= rules.max_hp(high) <= rules.MAX_HP
    assert rules.prize(rules.max_hp(high)) <= 9_000


@pytest.mark.parametrize(
    ("text", "code"),
    [("L1", "L1"), ("l9", "L9"), ("heaven's smite", "L1"), ("HEAVENS SMITE", "L1"),
     ("Divine Judgment", "L2"), ("celestial fury", "L3"), ("dragon's wrath", "L4"),
     ("flame strike", "L5"), ("Dragon Claw", "L6"), ("reaper's harvest", "L7"),
     ("soul drain", "L8"), ("shadow   strike", "L9")],
)  # fmt: skip
def test_the_nine_legendary_attacks_by_code_or_name(text: str, code: str) -> None:
    found = rules.find_attack(text)
    assert found is not None and found.code == code


def test_the_attacks_are_the_legacy_nine() -> None:
    ranges = {a.name: (a.min, a.max) for a in rules.ATTACKS}
    assert len(rules.ATTACKS) == 9 and ranges["Celestial Fury"] == (60, 300)
    assert ranges["Dragon Claw"] == (110, 240) and ranges["Soul Drain"] == (85, 190)
    for text in ("", "L0", "L10", "frobnicate", "Emerald Laceration"):
        assert rules.find_attack(text) is None


def test_damage_and_the_counter_roll_the_dice() -> None:
    fury = rules.find_attack("L3")
    assert fury is not None
    assert rules.roll(fury, Dice(60)) == 60 and rules.roll(fury, Dice(300)) == 300
    assert rules.counter(Dice(20)) == 20 and rules.counter(Dice(250)) == 250
    assert rules.random_attack(Dice(4)).code == "L5"


def test_a_fixed_seed_always_rolls_the_same() -> None:
    def rolls(seed: int) -> list[tuple[str, int, int]]:
        rng = random.Random(seed)
        out = []
        for _ in range(5):
            attack = rules.random_attack(rng)
            out.append((attack.code, rules.roll(attack, rng), rules.counter(rng)))
        return out

    assert rolls(7) == rolls(7)
    for code, damage, hit in rolls(7):
        attack = rules.find_attack(code)
        assert attack is not None and attack.min <= damage <= attack.max and 20 <= hit <= 250


def test_the_counter_attack_is_real_and_downs_a_raider_for_a_minute() -> None:
    """B28: the Rifter's answer takes the raider's HP; at 0 they are down for 60 s, then back
    at full HP (read lazily, no job)."""
    hit = rules.take_counter(250, 200, T0)
    assert (hit.hp, hit.downed_until) == (50, None)
    down = rules.take_counter(50, 120, T0)
    assert (down.hp, down.downed_until) == (0, T0 + timedelta(seconds=60))
    assert rules.raider_now(0, 250, down.downed_until, T0 + timedelta(seconds=59)).down(
        T0 + timedelta(seconds=59)
    )
    back = rules.raider_now(0, 250, down.downed_until, T0 + timedelta(seconds=60))
    assert (back.hp, back.downed_until) == (250, None)
    assert rules.raider_now(80, 250, None, T0) == rules.RaiderState(80, None)


def test_the_cooldown_is_fifteen_seconds() -> None:
    assert rules.ready_at(None) is None
    assert rules.ready_at(T0) == T0 + timedelta(seconds=15)


def test_the_split_with_scripted_dice() -> None:
    """Three raiders' damage from scripted dice (L3, 60-300), the prize of a small rift: the
    largest remainders take the leftover chi, ties to more damage, then the lower id."""
    fury = rules.find_attack("L3")
    assert fury is not None
    dice = Dice(90, 100, 100, 60, 150, 60)
    damages = {1: 0, 2: 0, 3: 0}
    for user in (1, 2, 3, 1, 2, 3):
        damages[user] += rules.roll(fury, dice)
    assert damages == {1: 150, 2: 250, 3: 160}  # 560 in all
    shares = rules.split_prize(1_500, damages)
    # exact: 401.79, 669.64, 428.57: 401 + 669 + 428 = 1,498, the two largest remainders +1
    assert shares == {1: 402, 2: 670, 3: 428} and sum(shares.values()) == 1_500


def test_the_split_breaks_equal_remainders_by_damage_then_id() -> None:
    assert rules.split_prize(10, {5: 1, 4: 1, 3: 1}) == {3: 4, 4: 3, 5: 3}
    assert rules.split_prize(1, {9: 2, 8: 1, 7: 1}) == {9: 1, 8: 0, 7: 0}
    assert rules.split_prize(0, {1: 5}) == {1: 0}
    assert rules.split_prize(100, {}) == {}
    assert rules.split_prize(3, {1: 0, 2: 0}) == {1: 2, 2: 1}  # nobody hit: equal shares


def test_the_split_with_a_fixed_seed() -> None:
    rng = random.Random(2026)
    damages = {
        u: sum(rules.roll(rules.random_attack(rng), rng) for _ in range(3)) for u in range(20)
    }
    shares = rules.split_prize(9_000, damages)
    assert sum(shares.values()) == 9_000
    assert shares == rules.split_prize(9_000, dict(reversed(list(damages.items()))))  # no order


@given(
    st.integers(0, 10**7),
    st.dictionaries(st.integers(1, 10**18), st.integers(0, 10**6), min_size=1, max_size=60),
)
def test_the_split_adds_up_to_the_prize_and_follows_the_damage(
    prize: int, damages: dict[int, int]
) -> None:
    shares = rules.split_prize(prize, damages)
    assert set(shares) == set(damages)
    assert sum(shares.values()) == prize
    assert all(v >= 0 for v in shares.values())
    for a in damages:
        for b in damages:
            if damages[a] > damages[b]:
                assert shares[a] >= shares[b]
    total = sum(damages.values())
    if total:
        for user, share in shares.items():  # within one chi of the exact proportion
            assert abs(share * total - prize * damages[user]) < total


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_the_bar_has_twenty_blocks(hp: int, most: int) -> None:
    bar = rules.hp_bar(hp, most)
    assert len(bar) == 20 and bar.count("█") == min(hp, most) * 20 // most


@pytest.mark.parametrize(
    ("damages", "winners"),
    [
        ({1: 500, 2: 900, 3: 100, 4: 700}, [2, 4, 1]),
        ({5: 300, 2: 300, 9: 300, 1: 300}, [1, 2, 5]),  # ties: the lower user id
        ({1: 10}, [1]),
        ({1: 0, 2: 40}, [2]),  # no damage, no shard
        ({}, []),
    ],
)
def test_the_top_three_find_a_rift_shard(damages: dict[int, int], winners: list[int]) -> None:
    assert rules.shard_winners(damages) == winners
