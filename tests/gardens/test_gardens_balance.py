"""The garden's balance targets, checked by simulating members over 30 game days with the real
rules and content (`chibot/features/gardens/balance.py`; GAME.md "Balance targets"; the
figures are in docs/gardens.md: `python -m chibot.features.gardens.balance` prints them).

- tended twice a day from 1,000 chi, a garden reaches the legendary tier in the second week
  and the eternal tier in the third;
- over 30 days it earns well (it is worth tending) but its net gain stays below half the
  rebirth threshold: the garden alone never carries a member to a rebirth within a month
  (no single activity gives more than half of an engaged member's income);
- visiting every hour earns little more than twice a day (no reward for grinding); once a day
  still earns about half;
- (legacy C-2, a boost making every crop instant, is guarded by
  tests/content/test_gardens_content.py: crops wait even at the best tier with the boost).
"""

from __future__ import annotations

import pytest

from chibot.features.economy.settings import EconomySettings
from chibot.features.gardens.balance import PLANS, simulate

THRESHOLD = EconomySettings.model_fields["rebirth_threshold"].default
TWICE = simulate(visits=PLANS["twice a day (08:00, 20:00)"])


def test_twice_a_day_climbs_the_tiers_in_weeks() -> None:
    assert 7 <= TWICE.upgrades["legendary"] <= 10
    assert 14 <= TWICE.upgrades["eternal"] <= 20
    assert "rift" not in TWICE.upgrades  # it needs a rebirth


def test_a_month_of_gardening_pays_but_never_a_rebirth() -> None:
    assert TWICE.profit >= 250_000  # worth tending
    assert TWICE.net < THRESHOLD // 2
    assert all(day.balance >= 0 for day in TWICE.days)


def test_the_first_week_pays_back_the_garden() -> None:
    assert TWICE.days[6].balance > TWICE.start


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grinding_earns_little_more_than_tending(seed: int) -> None:
    hourly = simulate(visits=PLANS["every hour, 08:00 to 23:00"], seed=seed)
    once = simulate(visits=PLANS["once a day (20:00)"], seed=seed)
    assert hourly.profit <= TWICE.profit * 1.1
    assert once.profit >= TWICE.profit * 0.2
