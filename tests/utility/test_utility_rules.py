"""The wording of `uptime` and `ping`."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.features.utility.rules import latency, span


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 seconds"),
        (-5, "0 seconds"),
        (1, "1 second"),
        (59.9, "59 seconds"),
        (61, "1 minute, 1 second"),
        (3_600, "1 hour"),
        (3_660, "1 hour, 1 minute"),
        (86_400 + 300, "1 day"),  # the minutes say nothing beside a day and no hours
        (2 * 86_400 + 3 * 3_600 + 59, "2 days, 3 hours"),
        (400 * 86_400, "400 days"),
        (1_000 * 86_400, "1,000 days"),
    ],
)
def test_span(seconds: float, text: str) -> None:
    assert span(seconds) == text


@given(st.floats(min_value=0, max_value=10**9, allow_nan=False))
def test_span_is_at_most_two_units(seconds: float) -> None:
    assert 1 <= len(span(seconds).split(", ")) <= 2


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0008, "0.8 ms"),
        (0.042, "42 ms"),
        (1.5, "1,500 ms"),
        (math.inf, "not measured"),
        (math.nan, "not measured"),
        (None, "not measured"),
    ],
)
def test_latency(seconds: float | None, text: str) -> None:
    assert latency(seconds) == text
