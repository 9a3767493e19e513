"""Teams' pure rules: names, tiers and costs, training caps, the bank's split, succession,
results. Table-driven, with hypothesis where a property says more than examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibot.features.teams import rules


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ab", "short"),
        ("x" * 25, "long"),
        ("two\nlines", "lines"),
        ("zero\u200bwidth", "invisible"),
        ("@everyone", "markup"),
        ("<@123>", "markup"),
        ("**bold**", "markup"),
        ("a|b|c", "markup"),
        ("team.com", "link"),
        ("go to www.team", "link"),
        ("---", "letters"),
    ],
)
def test_bad_names(text: str, problem: str) -> None:
    with pytest.raises(rules.NameProblem) as caught:
        rules.clean_name(text)
    assert caught.value.problem == problem


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("  Dragon   Riders ", "Dragon Riders"),
        ("Ｗｉｄｅ", "Wide"),
        ("Café 9", "Café 9"),
        ("abc", "abc"),
    ],
)
def test_good_names(text: str, name: str) -> None:
    assert rules.clean_name(text) == name


def test_names_are_the_same_team_case_insensitively() -> None:
    assert rules.name_key("Dragon Riders") == rules.name_key("DRAGON riders")
    assert rules.name_key("Straße") == rules.name_key("STRASSE")


@given(st.text(max_size=40))
@settings(max_examples=200)
def test_a_clean_name_can_never_ping_or_format(text: str) -> None:
    try:
        name = rules.clean_name(text)
    except rules.NameProblem:
        return
    assert "@" not in name and "<" not in name and "`" not in name and "*" not in name
    assert 3 <= len(name) <= 24 and "\n" not in name


def test_tiers_raise_the_cap_to_the_old_twenty() -> None:
    assert [t.member_cap for t in rules.TIERS] == [5, 8, 12, 16, 20]
    assert rules.tier(99).member_cap == 20 and rules.tier(0).member_cap == 5
    assert all(
        a.withdraw_cap < b.withdraw_cap for a, b in zip(rules.TIERS, rules.TIERS[1:], strict=False)
    )


@pytest.mark.parametrize(
    ("facility", "level", "cost"),
    [
        ("base", 1, rules.Cost(5_000, 5)),
        ("base", 4, rules.Cost(100_000, 30)),
        ("base", 5, None),
        ("gym", 0, rules.Cost(3_000, 10)),
        ("gym", 4, rules.Cost(15_000, 50)),
        ("gym", 5, None),
        ("arena", 0, rules.Cost(4_000, 15)),
        ("arena", 5, None),
    ],
)
def test_upgrade_costs(facility: str, level: int, cost: rules.Cost | None) -> None:
    assert rules.upgrade_cost(facility, level) == cost


def test_training_is_capped_by_the_gym() -> None:
    assert rules.training_cap_pct(0) == 5.0 and rules.training_cap_pct(5) == 30.0
    pct = 0.0
    for _ in range(100):  # the old bot's bonuses grew forever (bug C-8)
        pct = rules.trained(pct, 2.0, 0)
    assert pct == 5.0
    assert rules.trained(4.5, 1.5, 1) == 6.0


def test_arena_bonus() -> None:
    assert [rules.arena_bonus_pct(n) for n in range(7)] == [0, 2, 4, 6, 8, 10, 10]


@pytest.mark.parametrize(
    ("role", "limit", "tier", "taken", "left"),
    [
        ("leader", 0, 1, 0, None),
        ("member", 10_000, 5, 0, 0),
        ("officer", 10_000, 1, 0, 1_000),  # the tier caps the leader's limit
        ("officer", 500, 3, 200, 300),
        ("officer", 500, 3, 900, 0),
    ],
)
def test_withdraw_allowance(role: str, limit: int, tier: int, taken: int, left: int | None) -> None:
    assert rules.withdraw_allowance(role, limit, tier, taken) == left


@given(
    st.integers(0, 10**12),
    st.dictionaries(st.integers(1, 50), st.integers(0, 10**9), max_size=20),
)
@settings(max_examples=300)
def test_split_is_exact_and_proportional(total: int, weights: dict[int, int]) -> None:
    shares = rules.split(total, weights, fallback=999)
    assert sum(shares.values()) == total
    assert all(v > 0 for v in shares.values())
    given_weight = {u: w for u, w in weights.items() if w > 0}
    if total and not given_weight:
        assert shares == {999: total}
    for u, share in shares.items():
        if given_weight:
            exact = total * given_weight[u] / sum(given_weight.values())
            assert abs(share - exact) < 1 + 1e-9


def test_successor_is_the_longest_standing_officer_then_member() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    people = [
        rules.Standing(1, "leader", t0),
        rules.Standing(2, "member", t0 + timedelta(days=1)),
        rules.Standing(3, "officer", t0 + timedelta(days=5)),
        rules.Standing(4, "officer", t0 + timedelta(days=3)),
    ]
    assert rules.successor(people, 1) == 4
    assert rules.successor([p for p in people if p.role != "officer"], 1) == 2
    assert rules.successor(people[:1], 1) is None


def test_results_and_scores_never_below_zero() -> None:
    assert rules.TEAM_DUEL["win"].score == 100 and rules.TEAM_BOSS["victory"].score == 200
    assert rules.TEAM_DUEL["forfeit"].score == -25
    assert rules.scored(10, -50) == 0 and rules.scored(10, 5) == 15


def test_kicking_goes_down_the_ranks_only() -> None:
    assert rules.may_kick("leader", "officer") and rules.may_kick("officer", "member")
    assert not rules.may_kick("officer", "officer") and not rules.may_kick("member", "member")
    assert not rules.may_kick("officer", "leader")
