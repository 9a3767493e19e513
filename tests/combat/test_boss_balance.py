"""Every boss is beatable with its weapon tier and hard with the tier below (the simulation of
`combat/balance.py` over the real engine and content; bounded: 40 seeded fights a cell).
Legacy's numbers assumed healing items that never ran out (B6): with charges, no member could
beat them. Issue 13."""

from __future__ import annotations

import pytest

from chibot.core.catalog import load_catalog
from chibot.features.combat import balance

CATALOG = load_catalog()
BELOW = dict(zip(balance.WEAPONS[1:], balance.WEAPONS[:-1], strict=True))


@pytest.mark.parametrize(
    ("boss", "raiders"),
    [("fang", 0), ("ironhide", 0), ("emberclaw", 0), ("rifter", 0),
     ("guardian", 3), ("titan", 3), ("dragon", 3)],
)  # fmt: skip
def test_each_boss_falls_to_its_tier_and_resists_the_one_below(boss: str, raiders: int) -> None:
    weapon = balance.TIERS[boss]
    mine = balance.win_rate(CATALOG, boss, weapon, raiders=raiders, seeds=40)
    below = balance.win_rate(CATALOG, boss, BELOW[weapon], raiders=raiders, seeds=40)
    assert 0.35 <= mine <= 0.95, (boss, weapon, mine)
    assert below <= 0.3, (boss, BELOW[weapon], below)


def test_a_simulated_fight_is_reproducible() -> None:
    runs = [balance.fight(CATALOG, "fang", "obsidian_reaver", seed) for seed in range(10)]
    assert runs == [balance.fight(CATALOG, "fang", "obsidian_reaver", seed) for seed in range(10)]
