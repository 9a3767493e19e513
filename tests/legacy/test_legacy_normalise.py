"""The pure normalisers of legacy values: ids, numbers, counts, the six timestamp shapes, JSON
stored as text, emptiness. Table-driven, plus a few properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.legacy.normalise import (
    INT64_MAX,
    MIN_SNOWFLAKE,
    LegacyValueError,
    as_array,
    as_object,
    is_empty,
    is_owned_marker,
    is_snowflake,
    parse_time,
    to_count,
    to_id,
    to_int,
    units,
)

SNOW = 1405243158958309417


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (SNOW, SNOW),  # int (stored values)
        (str(SNOW), SNOW),  # str (dict keys, leader, members, invites)
        (f" {SNOW} ", SNOW),  # stray spaces
        ("0" + str(SNOW), SNOW),  # a leading zero is the same id
        (1234567, 1234567),  # parses; is_snowflake rejects it
        (INT64_MAX, INT64_MAX),
    ],
)
def test_to_id_accepts(value, expected) -> None:
    assert to_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -5,
        INT64_MAX + 1,
        str(INT64_MAX + 1),
        1.4052431589583094e18,
        "abc",
        "12a",
        "-12",
        "",
        "1.5",
        [],
        {},
    ],
)
def test_to_id_refuses(value) -> None:
    with pytest.raises(LegacyValueError):
        to_id(value)


def test_snowflake_floor() -> None:
    assert not is_snowflake(1234567)
    assert not is_snowflake(MIN_SNOWFLAKE - 1)
    assert is_snowflake(MIN_SNOWFLAKE)
    assert is_snowflake(SNOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-21, -21),  # negative chi is legitimate
        (102_282_229, 102_282_229),
        (2**31 + 5, 2**31 + 5),  # above a 32-bit column
        (5_000_000_000, 5_000_000_000),
        ("250", 250),
        (" -14 ", -14),
        ("+7", 7),
        (12.0, 12),
        (-(2**63), -(2**63)),
    ],
)
def test_to_int(value, expected) -> None:
    assert to_int(value) == expected


@pytest.mark.parametrize(
    "value", [None, True, 1.5, float("nan"), float("inf"), "lots", "1e3", "", 2**63, [], {}]
)
def test_to_int_refuses(value) -> None:
    with pytest.raises(LegacyValueError):
        to_int(value)


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), (0, 0), ("owned", 0), ("OWNED ", 0), ("4", 4), (2.0, 2)]
)
def test_to_count(value, expected) -> None:
    assert to_count(value) == expected


@pytest.mark.parametrize("value", [-1, "-2", "some", None, True])
def test_to_count_refuses(value) -> None:
    with pytest.raises(LegacyValueError):
        to_count(value)


def test_owned_marker() -> None:
    assert is_owned_marker("owned") and is_owned_marker(" Owned")
    assert not is_owned_marker(0) and not is_owned_marker("own")


T = datetime(2025, 11, 11, 1, 22, 59, 493111, tzinfo=UTC)


@pytest.mark.parametrize(
    ("shape", "value", "expected"),
    [
        ("1 epoch float (planted_at)", 1762824179.493111, T),
        ("1 epoch float as text", "1762824179.493111", T),
        ("2 epoch int expiry (mining_cooldown)", 1762824179, T.replace(microsecond=0)),
        ("2 epoch int as text", "1762824179", T.replace(microsecond=0)),
        ("2 epoch milliseconds", 1762824179493, T.replace(microsecond=493000)),
        ("2 zero: never", 0, datetime(1970, 1, 1, tzinfo=UTC)),
        ("3 naive ISO (utcnow)", "2025-11-11T01:22:59.493111", T),
        ("3 naive ISO without fraction", "2025-11-11T01:22:59", T.replace(microsecond=0)),
        ("4 str(aware datetime)", "2025-11-11 01:22:59.493111+00:00", T),
        ("4 str(aware datetime), other offset", "2025-11-11 03:22:59.493111+02:00", T),
        ("5 str(naive local datetime.now())", "2025-11-11 01:22:59.493111", T),
        ("6 ISO with Z", "2025-11-11T01:22:59.493111Z", T),
        ("6 PostgreSQL timestamptz text", "2025-11-11 01:22:59.493111+00", T),
        ("a datetime object (naive = UTC)", datetime(2025, 11, 11, 1, 22, 59, 493111), T),
        ("a datetime object (aware)", T.astimezone(timezone(timedelta(hours=-5))), T),
    ],
)
def test_parse_time_shapes(shape, value, expected) -> None:
    parsed = parse_time(value)
    assert parsed == expected, shape
    assert parsed.tzinfo is UTC or parsed.utcoffset() == timedelta(0)


def test_parse_time_local_zone_for_naive_local_values() -> None:
    tz = timezone(timedelta(hours=2))
    assert parse_time("2025-11-11 03:22:59.493111", local=tz) == T


@pytest.mark.parametrize(
    "value", [None, True, "yesterday", "2025-13-45", "", [], {}, float("nan"), 1e20]
)
def test_parse_time_refuses(value) -> None:
    with pytest.raises(LegacyValueError):
        parse_time(value)


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2100, 1, 1)))
def test_parse_time_round_trips_every_string_shape(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    for text in (
        moment.isoformat(),
        str(moment),
        str(aware),
        aware.isoformat().replace("+00:00", "Z"),
    ):
        assert parse_time(text) == aware


@given(st.integers(min_value=1, max_value=INT64_MAX))
def test_ids_round_trip_as_text(value: int) -> None:
    assert to_id(str(value)) == to_id(value) == value


@pytest.mark.parametrize(
    ("value", "expected", "how"),
    [
        ({"a": 1}, {"a": 1}, "ok"),
        (None, {}, "missing"),
        (
            '{"Moonshade Seed": 3, "basic_hoe": "owned"}',
            {"Moonshade Seed": 3, "basic_hoe": "owned"},
            "text",
        ),
        ("", {}, "text"),
        ("{not json", {}, "invalid"),
        ("[1, 2]", {}, "invalid"),
        (5, {}, "invalid"),
        ([], {}, "invalid"),
    ],
)
def test_as_object(value, expected, how) -> None:
    assert as_object(value) == (expected, how)


@pytest.mark.parametrize(
    ("value", "expected", "how"),
    [
        ([1, "a"], [1, "a"], "ok"),
        (None, [], "missing"),
        ('["a", "a"]', ["a", "a"], "text"),
        ("[oops", [], "invalid"),
        ({}, [], "invalid"),
    ],
)
def test_as_array(value, expected, how) -> None:
    assert as_array(value) == (expected, how)


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        ("", True),
        (0, True),
        (0.0, True),
        ([], True),
        ({}, True),
        (False, True),
        ({"melee_strength": 0.0, "speed": 0.0, "range_strength": 0.0, "bonus_hp": 0}, True),
        ("{}", True),
        ({"speed": 0.5}, False),
        (["x"], False),
        ("dragon", False),
        (7, False),
        ('{"a": 1}', False),
    ],
)
def test_is_empty(value, empty) -> None:
    assert is_empty(value) is empty


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1, 2, 3], 3),
        ({"a": 2, "b": 3}, 5),
        ({"a": "owned", "b": 1}, 2),
        ('{"a": 4}', 4),
        (None, 0),
        ("dragon", 1),
        (0, 0),
    ],
)
def test_units(value, expected) -> None:
    assert units(value) == expected
