"""Combat's pure rules: the level multiplier (section 13.3's exact column), the bare weapon
range, attack codes and their resolution, and the damage pipeline's order."""

from __future__ import annotations

import random

import pytest
from combat_fixtures import ITEMS

from chibot.features.combat import rules
from chibot.features.combat.rules import (
    AttackNotFound,
    bare_range,
    land,
    resolve_attack,
    scaled,
    scaling_level,
    strike,
    weapon_code,
    weapon_from_item,
)


class Dice:
    """Scripted dice: `randint` answers from `ints` (or the low end), `random` from `floats`."""

    def __init__(self, ints: list[int] | None = None, floats: list[float] | None = None):
        self.ints = list(ints or [])
        self.floats = list(floats or [])

    def randint(self, a: int, b: int) -> int:
        value = self.ints.pop(0) if self.ints else a
        assert a <= value <= b
        return value

    def random(self) -> float:
        return self.floats.pop(0) if self.floats else 0.99


# section 13.3, level multiplier: the "exact" column (legacy's floats said 114, 62, 114)
@pytest.mark.parametrize(
    ("base", "level", "exact"),
    [(8, 4, 9), (65, 20, 130), (250, 40, 750), (100, 3, 115), (45, 8, 63), (50, 26, 115)],
)
def test_level_multiplier_vectors(base: int, level: int, exact: int) -> None:
    assert scaled(base, level) == exact


@pytest.mark.parametrize(
    ("user", "item", "level"), [(0, 0, 0), (3, 1, 4), (20, 0, 20), (55, 3, 23), (-2, 0, 0)]
)
def test_user_level_counts_up_to_20(user: int, item: int, level: int) -> None:
    assert scaling_level(user, item) == level


# section 13.3, solo boss damage bounds before the multiplier
@pytest.mark.parametrize(("base", "low", "high"), [(8, 6, 9), (25, 20, 30), (65, 52, 78)])
def test_bare_weapon_bounds(base: int, low: int, high: int) -> None:
    assert bare_range(base) == (low, high)


def test_free_text_vectors_do_not_apply() -> None:
    """v(name) vectors of section 13.3: free-text attacks are not part of this game, an
    invented name is refused (docs/legacy-import.md)."""
    weapon = weapon_from_item(ITEMS["verdant_windblade"])
    for name in ("slash", "fireball", "a", "Mega Punch", "zz"):
        with pytest.raises(AttackNotFound):
            resolve_attack(weapon, name, bare_allowed=False)


def test_weapon_codes_are_unique_two_letters() -> None:
    weapons = [i for i in ITEMS.values() if i.effect("weapon")]
    codes = [weapon_code(i) for i in weapons]
    assert len(set(codes)) == len(codes) == 10
    assert codes[:3] == ["VW", "CF", "SP"] and "IC" in codes and "SM" in codes  # as legacy


def test_attack_codes_follow_the_catalog() -> None:
    weapon = weapon_from_item(ITEMS["verdant_windblade"])
    assert [a.code for a in weapon.attacks] == ["VW1", "VW2", "VW3", "VW4"]
    assert weapon.attacks[0].name == "Emerald Laceration"
    assert (weapon.attacks[0].low, weapon.attacks[0].high) == (5, 10)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("VW1", "Emerald Laceration"),
        ("vw2", "Gale Force Slash"),
        (" VW 4 ", "Windstorm Strike"),
        ("Verdant Windblade Nature's Fury", "Nature's Fury"),
        ("verdant windblade  gale force slash", "Gale Force Slash"),
        ("emerald laceration", "Emerald Laceration"),
        ("gale", "Gale Force Slash"),
    ],
)
def test_resolve_attack(text: str, name: str) -> None:
    weapon = weapon_from_item(ITEMS["verdant_windblade"])
    found = resolve_attack(weapon, text, bare_allowed=False)
    assert found is not None and found.name == name


def test_resolve_refusals_and_bare_hits() -> None:
    weapon = weapon_from_item(ITEMS["stormcallers_pike"])
    for text in ("SP0", "SP6", "CF1", "Verdant Windblade Gale Force Slash"):
        with pytest.raises(AttackNotFound) as caught:
            resolve_attack(weapon, text, bare_allowed=False)
        assert caught.value.options == ()
    with pytest.raises(AttackNotFound) as caught:
        resolve_attack(weapon, "t", bare_allowed=False)  # Thunder Piercer, Tempest Thrust
    assert caught.value.options == ("Thunder Piercer", "Tempest Thrust")
    with pytest.raises(AttackNotFound):
        resolve_attack(weapon, "Stormcaller's Pike", bare_allowed=False)
    assert resolve_attack(weapon, "Stormcaller's Pike", bare_allowed=True) is None
    assert resolve_attack(weapon, "", bare_allowed=True) is None


def test_pipeline_order() -> None:
    # roll 100, L=3 -> 115; crit x1.5 -> 172; +10% team -> 189; strength +10% -> 207;
    # defend halves -> 103; shield 20% -> 82; resistance 50% -> 41
    result = strike(
        100,
        100,
        3,
        Dice(floats=[0.01, 0.5]),
        attacker_pcts=[10, 10],
        defending=True,
        defender_pcts=[20, 50],
    )
    assert (result.damage, result.crit, result.dodged, result.defended) == (41, True, False, True)


def test_no_crit_and_floor_at_one() -> None:
    result = strike(1, 1, 0, Dice(floats=[0.5, 0.5]), defending=True, defender_pcts=[100])
    assert (result.damage, result.crit) == (1, False)


def test_dodge_deals_nothing() -> None:
    result = strike(50, 50, 0, Dice(floats=[0.01, 0.01]))
    assert result.dodged and result.damage == 0 and not result.defended


def test_crits_can_be_switched_off() -> None:
    assert strike(10, 10, 0, Dice(floats=[0.0, 0.5]), crits=False).damage == 10


def test_land_without_roll() -> None:
    assert land(80, 0.5, defending=True).damage == 40
    assert land(80, 0.0).dodged


def test_the_catalog_numbers() -> None:
    assert (rules.CRIT_CHANCE, rules.CRIT_MULTIPLIER_PCT, rules.DODGE_CHANCE) == (0.05, 150, 0.05)
    assert (rules.DEFEND_PCT, rules.MAX_DEFEND_STREAK) == (50, 2)


def test_a_fighter_without_a_given_max_hp_has_the_base() -> None:
    assert rules.BASE_HP == 250  # members' max HP comes from progress's service


def test_strike_is_reproducible() -> None:
    a = [strike(5, 18, 4, random.Random(7)) for _ in range(3)]
    b = [strike(5, 18, 4, random.Random(7)) for _ in range(3)]
    assert a == b


# --- bets ---------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from chibot.features.combat.rules import Bet, split_bets  # noqa: E402


@pytest.mark.parametrize(
    ("bets", "winner", "payouts", "house", "refunded"),
    [
        ([(1, "a", 100), (2, "a", 300), (3, "b", 200)], "a", {1: 142, 2: 427}, 31, False),
        ([(1, "a", 100), (3, "b", 200)], "b", {3: 285}, 15, False),
        ([(1, "a", 100), (3, "b", 200)], None, {1: 100, 3: 200}, 0, True),  # a tie
        ([(1, "a", 100)], "b", {1: 100}, 0, True),  # nobody backed the winner
        ([(1, "a", 100)], "a", {1: 95}, 5, False),  # alone on the winner: the cut only
        ([], "a", {}, 0, True),
        (
            [(1, "a", 7), (2, "a", 7), (3, "b", 16)],
            "a",
            {1: 14, 2: 14},
            2,
            False,
        ),  # rounding: house
    ],
)
def test_split_bets(bets, winner, payouts, house, refunded) -> None:
    split = split_bets([Bet(*b) for b in bets], winner)
    assert (split.payouts, split.house, split.refunded) == (payouts, house, refunded)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.sampled_from("ab"), st.integers(1, 10**9)),
        max_size=40,
        unique_by=lambda b: b[0],
    ),
    st.sampled_from(["a", "b", None]),
)
def test_a_pool_pays_out_exactly_what_went_in(bets, winner) -> None:
    """Payouts + house = the pool; the house takes at least 5% (rounded down) and at most 5%
    plus one chi per winning bet; a losing bet is paid nothing."""
    split = split_bets([Bet(*b) for b in bets], winner)
    pool = sum(b[2] for b in bets)
    assert split.paid + split.house == pool
    if not split.refunded:
        winners = [b for b in bets if b[1] == winner]
        assert pool * 5 // 100 <= split.house <= pool * 5 // 100 + len(winners)
        assert set(split.payouts) <= {b[0] for b in winners}
    else:
        assert split.house == 0
