"""Amounts as members type them: `250`, `1,000`, `2k`, `1.5m` (the `Amount` converter)."""

from __future__ import annotations

import pytest

from chibot.discord.converters import parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("250", 250),
        ("1,000", 1000),
        ("2k", 2000),
        ("1.5m", 1_500_000),
        ("1.25K", 1250),
        (" 42 ", 42),
        ("0", 0),
        ("-5", -5),
        ("abc", None),
        ("1.5", None),
        ("1,00", None),
        ("1_000", None),
        ("", None),
        ("12kk", None),
    ],
)
def test_parse_amount(text: str, value: int | None) -> None:
    assert parse_amount(text) == value
