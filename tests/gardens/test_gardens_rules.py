"""The gardens' pure rules that the service tests do not pin down by number: a pet's rare-find
bonus, fixed into a plant at planting, raising its drop chances at harvest (issue 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chibot.features.gardens import rules
from chibot.features.gardens.content import Drop, GardensFile

TOML = Path(__file__).resolve().parents[2] / "chibot" / "content" / "gardens.toml"
CONTENT = GardensFile.model_validate(tomllib.loads(TOML.read_text(encoding="utf-8")))


# --- a pet's rare-find bonus (issue 12) ----------------------------------------------------------


class _Dice:
    def __init__(self, floats: list[float]) -> None:
        self.floats = floats

    def random(self) -> float:
        return self.floats.pop(0)

    def randint(self, a: int, b: int) -> int:
        return a


@pytest.mark.parametrize(
    ("base", "rare_pct", "chance"),
    [(0.12, 0, 0.12), (0.12, 30, 0.156), (0.12, 5, 0.126), (0.9, 30, 1.0)],
)
def test_a_pets_rare_pct_raises_a_drop_chance_by_that_percent(base, rare_pct, chance) -> None:
    drop = Drop(item="moonpetal", chance=base, min=1, max=2, tier="rare")
    seed = next(s for s in CONTENT.seed if s.minutes >= CONTENT.drop_full_minutes)
    assert rules.drop_chance(drop, seed, CONTENT.drop_full_minutes, rare_pct) == pytest.approx(
        chance
    )


def test_the_rare_pct_fixed_into_a_plant_is_what_its_harvest_rolls_with() -> None:
    seed = next(s for s in CONTENT.seed if s.minutes >= CONTENT.drop_full_minutes)
    drops = [
        d
        for d in CONTENT.drop
        if rules.tier_index(CONTENT, d.tier) <= rules.tier_index(CONTENT, seed.tier)
    ]
    first = drops[0]
    die = first.chance * 1.1  # above the plain chance, under the chance with +30%
    others = [0.99] * (len(drops) - 1)
    plain = rules.roll_drops(CONTENT, seed.tier, [seed], _Dice([die, *others]))
    boosted = rules.roll_drops(CONTENT, seed.tier, [seed], _Dice([die, *others]), [30])
    assert first.item not in plain and boosted.get(first.item) == first.min
