"""Pure rules added for rebirth, daily streaks and the chat's achievement hook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.features.economy import rules
from chibot.features.progress import rules as level_rules  # levels and thresholds live in progress


@pytest.mark.parametrize(
    ("when", "day"),
    [
        (datetime(1970, 1, 1, tzinfo=UTC), 0),
        (datetime(1970, 1, 2, 0, 0, tzinfo=UTC), 1),
        (datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC), 20513),
        (datetime(2026, 3, 2, 0, 30, tzinfo=UTC) + timedelta(hours=0), 20514),
    ],
)
def test_utc_day(when: datetime, day: int) -> None:
    assert rules.utc_day(when) == day


def test_utc_day_uses_utc_not_local_time() -> None:
    from zoneinfo import ZoneInfo

    late_in_tokyo = datetime(
        2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )  # 23:00 UTC on the 1st
    assert rules.utc_day(late_in_tokyo) == rules.utc_day(datetime(2026, 3, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("last", "streak", "today", "expected"),
    [
        (None, 0, 100, 1),  # first claim
        (99, 4, 100, 5),  # yesterday: one more
        (98, 4, 100, 1),  # a day missed
        (50, 40, 100, 1),
        (100, 4, 100, 4),  # same day (cannot happen through `daily`): unchanged
        (101, 4, 100, 1),  # the clock went back
        (99, 0, 100, 1),  # a stored streak of 0 is no streak
    ],
)
def test_next_streak(last: int | None, streak: int, today: int, expected: int) -> None:
    assert rules.next_streak(last, streak, today) == expected


@pytest.mark.parametrize(
    ("last", "streak", "today", "expected"),
    [
        (None, 0, 100, 0),
        (100, 3, 100, 3),  # claimed today
        (99, 3, 100, 3),  # claimed yesterday: still alive until tonight
        (98, 3, 100, 0),  # broken
        (101, 3, 100, 0),
    ],
)
def test_current_streak(last: int | None, streak: int, today: int, expected: int) -> None:
    assert rules.current_streak(last, streak, today) == expected


@given(st.lists(st.integers(0, 3), min_size=1, max_size=60))
def test_streak_equals_the_run_of_consecutive_days(gaps: list[int]) -> None:
    """Claims separated by `gap` days (0 is skipped: one claim a day at most): the streak is
    the number of claims since the last gap of more than one day."""
    day, last, streak, run = 1000, None, 0, 0
    for gap in gaps:
        if gap == 0:
            continue
        day += gap
        streak = rules.next_streak(last, streak, day)
        run = run + 1 if gap == 1 and last is not None else 1
        last = day
        assert streak == run


@pytest.mark.parametrize(
    ("chi", "threshold", "missing"),
    [
        (0, 500_000, 500_000),
        (499_999, 500_000, 1),
        (500_000, 500_000, 0),
        (900_000, 500_000, 0),
        (-1, 500_000, 500_001),
        (-500_000, 500_000, 1_000_000),
    ],
)
def test_rebirth_shortfall(chi: int, threshold: int, missing: int) -> None:
    assert rules.rebirth_shortfall(chi, threshold) == missing


@pytest.mark.parametrize(
    ("before", "after", "crossed"),
    [
        (999_992, 1_000_000, True),  # reaching the threshold exactly
        (999_999, 1_000_007, True),
        (1_000_000, 1_000_008, False),  # already past it
        (0, 8, False),
        (999_000, 999_999, False),
        (2_000_000, 5_000_000, True),  # a later threshold
        (0, 10_000_000, True),
    ],
)
def test_crossed(before: int, after: int, crossed: bool) -> None:
    assert level_rules.crossed(before, after, (1_000_000, 5_000_000)) is crossed


def test_crossed_without_thresholds() -> None:
    assert level_rules.crossed(0, 10**12, ()) is False
