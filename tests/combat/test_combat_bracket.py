"""The single-elimination bracket (`chibot/features/combat/bracket.py`): sizes, seeding, byes
to the top seeds, advancing, one champion after entrants - 1 results, the prize split."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibot.features.combat import bracket


@pytest.mark.parametrize(
    ("entrants", "size", "rounds"),
    [(2, 2, 1), (3, 4, 2), (4, 4, 2), (5, 8, 3), (8, 8, 3), (9, 16, 4), (33, 64, 6), (64, 64, 6)],
)
def test_sizes(entrants: int, size: int, rounds: int) -> None:
    assert bracket.size_for(entrants) == size and bracket.rounds_for(entrants) == rounds


@pytest.mark.parametrize("entrants", [0, 1, 65])
def test_out_of_range(entrants: int) -> None:
    with pytest.raises(ValueError):
        bracket.size_for(entrants)


def test_seed_order_keeps_the_top_seeds_apart() -> None:
    assert bracket.seed_order(2) == [1, 2]
    assert bracket.seed_order(4) == [1, 4, 2, 3]
    assert bracket.seed_order(8) == [1, 8, 4, 5, 2, 7, 3, 6]


@pytest.mark.parametrize(
    ("entrants", "first"),
    [
        (2, [(1, 2)]),
        (3, [(1, None), (2, 3)]),
        (5, [(1, None), (4, 5), (2, None), (3, None)]),
        (6, [(1, None), (4, 5), (2, None), (3, 6)]),
        (8, [(1, 8), (4, 5), (2, 7), (3, 6)]),
    ],
)
def test_first_round_byes_go_to_the_top_seeds(entrants: int, first: list) -> None:
    assert bracket.first_round(entrants) == first


@pytest.mark.parametrize(
    ("pool", "entrants", "split"),
    [(0, 2, (0, 0)), (300, 3, (300, 0)), (400, 4, (280, 120)), (1001, 5, (701, 300)),
     (7, 9, (5, 2))],
)  # fmt: skip
def test_prize_split(pool: int, entrants: int, split: tuple[int, int]) -> None:
    assert bracket.prize_split(pool, entrants) == split


def test_ties_go_to_the_better_seed() -> None:
    assert bracket.tie_break(3, 2) == 2 and bracket.tie_break(1, 8) == 1


def test_advancing() -> None:
    assert [bracket.feeds(s) for s in range(4)] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert bracket.pairs([1, 4, 2, 3]) == [(1, 4), (2, 3)]
    with pytest.raises(ValueError):
        bracket.pairs([1, 2, 3])


@settings(deadline=None)
@given(st.integers(2, 64), st.randoms(use_true_random=False))
def test_every_bracket_has_one_champion(entrants: int, dice) -> None:
    champion, played = bracket.play(entrants, lambda r, a, b: dice.choice((a, b)))
    real = [p for p in played if not p.bye]
    assert len(real) == entrants - 1  # each result knocks one entrant out
    byes = [p for p in played if p.bye]
    assert len(byes) == bracket.size_for(entrants) - entrants
    assert all(p.round == 1 and p.seeds[1] is None for p in byes)
    assert {p.seeds[0] for p in byes} == set(range(1, len(byes) + 1))  # the top seeds
    losses = Counter(
        next(s for s in p.seeds if s != p.winner) for p in real
    )  # every entrant but the champion loses exactly once, and then plays no more
    assert set(losses) == set(range(1, entrants + 1)) - {champion}
    assert all(n == 1 for n in losses.values())
    lost_at = {next(s for s in p.seeds if s != p.winner): p.round for p in real}
    for p in played:  # nobody plays after being knocked out
        assert all(s is None or p.round <= lost_at.get(s, 99) for s in p.seeds)
    assert played[-1].winner == champion and played[-1].round == bracket.rounds_for(entrants)
    entered = {s for p in played for s in p.seeds if s is not None}
    assert entered == set(range(1, entrants + 1))


@given(st.integers(2, 64))
def test_the_favourites_meet_in_the_final(entrants: int) -> None:
    champion, played = bracket.play(entrants, lambda r, a, b: min(a, b))
    assert champion == 1 and set(played[-1].seeds) == {1, 2}


@given(st.integers(0, 10**12), st.integers(2, 64))
def test_the_prize_is_the_pool(pool: int, entrants: int) -> None:
    first, second = bracket.prize_split(pool, entrants)
    assert first + second == pool and first >= second >= 0
