"""A single-elimination bracket, pure (no database, no clock, no dice): seeding, byes,
advancing winners, the champion and the prize split. `tournaments.py` stores what these
functions compute (docs/combat.md, "Tournaments").

- **Size**: the next power of two of the entrants (2..64 entrants: 2..64 places).
- **Seeds** are the join order (seed 1 joined first): a deterministic rule everyone can read
  off the list, no dice involved.
- **Placement**: the standard bracket order (1 v 8, 4 v 5, 2 v 7, 3 v 6 for eight places), so
  seeds 1 and 2 can only meet in the final. Seeds above the entrants are byes, so the byes go to
  the top seeds (seed 1's opponent is the first to be missing). As the size is the *next* power
  of two, more than half the places are filled and no first-round match is bye against bye.
- **Advancing**: the winner of match `slot` of a round plays in match `slot // 2` of the next
  one, on side `slot % 2`. Byes only happen in round 1.
- **A tie** (equal HP shares at the match limit, or no result): the better seed (the lower
  number) advances.
- **The prize**: fewer than 4 entrants, the winner takes the whole pool; otherwise the runner-up
  gets 30% (rounded down) and the winner the rest, so the payouts sum to the pool exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIN_ENTRANTS = 2
MAX_ENTRANTS = 64
RUNNER_UP_PERCENT = 30
SPLIT_FROM = 4  # entrants from which the runner-up gets a share


def size_for(entrants: int) -> int:
    """The bracket's places: the next power of two (at least 2)."""
    if not MIN_ENTRANTS <= entrants <= MAX_ENTRANTS:
        raise ValueError(f"a bracket has {MIN_ENTRANTS}..{MAX_ENTRANTS} entrants")
    size = 2
    while size < entrants:
        size *= 2
    return size


def rounds_for(entrants: int) -> int:
    return size_for(entrants).bit_length() - 1


def seed_order(size: int) -> list[int]:
    """The seeds in bracket order: consecutive pairs are the first round's matches."""
    order = [1]
    while len(order) < size:
        total = 2 * len(order) + 1
        order = [s for seed in order for s in (seed, total - seed)]
    return order


def first_round(entrants: int) -> list[tuple[int, int | None]]:
    """Round 1 as (seed, seed or None for a bye), by slot. The better seed is side 0."""
    order = seed_order(size_for(entrants))
    matches = []
    for a, b in zip(order[::2], order[1::2], strict=True):
        top, bottom = min(a, b), max(a, b)
        matches.append((top, bottom if bottom <= entrants else None))
    return matches


def feeds(slot: int) -> tuple[int, int]:
    """Where the winner of match `slot` plays next: (slot, side) in the next round."""
    return slot // 2, slot % 2


def pairs(winners: Sequence[int]) -> list[tuple[int, int]]:
    """The next round from this round's winners in slot order."""
    if len(winners) % 2:
        raise ValueError("a round has an even number of winners, except the final")
    return [(winners[i], winners[i + 1]) for i in range(0, len(winners), 2)]


def tie_break(seed0: int, seed1: int) -> int:
    """The seed that advances from a tie: the better (lower) one."""
    return min(seed0, seed1)


def prize_split(pool: int, entrants: int) -> tuple[int, int]:
    """(the champion's prize, the runner-up's): they sum to the pool exactly."""
    if pool < 0:
        raise ValueError("a pool is not negative")
    if entrants < SPLIT_FROM:
        return pool, 0
    runner_up = pool * RUNNER_UP_PERCENT // 100
    return pool - runner_up, runner_up


@dataclass(frozen=True, slots=True)
class Played:
    round: int
    slot: int
    seeds: tuple[int, int | None]
    winner: int
    bye: bool


def play(entrants: int, pick: Callable[[int, int, int], int]) -> tuple[int, list[Played]]:
    """A whole bracket played with `pick(round, seed0, seed1) -> winner seed`: the champion
    and every match in order (byes included). The model the service follows (and the tests
    check): every entrant plays until eliminated, one champion, entrants - 1 real results
    plus the byes."""
    played: list[Played] = []
    current: list[int] = []
    for slot, (top, bottom) in enumerate(first_round(entrants)):
        winner = top if bottom is None else pick(1, top, bottom)
        if winner not in (top, bottom):
            raise ValueError("the winner plays in the match")
        played.append(Played(1, slot, (top, bottom), winner, bottom is None))
        current.append(winner)
    number = 1
    while len(current) > 1:
        number += 1
        following = []
        for slot, (a, b) in enumerate(pairs(current)):
            winner = pick(number, a, b)
            if winner not in (a, b):
                raise ValueError("the winner plays in the match")
            played.append(Played(number, slot, (a, b), winner, False))
            following.append(winner)
        current = following
    return current[0], played
