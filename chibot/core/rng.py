"""The random source, injected everywhere so that tests and simulations are reproducible."""

from __future__ import annotations

import random
from typing import Protocol


class Rng(Protocol):
    def randint(self, a: int, b: int) -> int: ...

    def random(self) -> float: ...


def make_rng(seed: int | None = None) -> random.Random:
    """A `random.Random` (it satisfies `Rng`); seeded in tests, from the OS otherwise."""
    return random.Random(seed)
