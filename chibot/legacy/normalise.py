"""Pure normalisation of the old bot's JSON values (reference Part 1, §1.1 and §1.17).

The old files store the same kind of value in several shapes: ids as strings (dict keys) or
ints (values), six shapes of timestamps, JSON objects that came back from PostgreSQL as JSON
*text*, and the legacy count `"owned"`. Every importer goes through these helpers so that one
rule applies everywhere. They raise `LegacyValueError` (never guess) when a value cannot be
trusted; the caller decides whether that quarantines a record or skips a value, and reports it.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, tzinfo
from typing import Any

INT64_MAX = 2**63 - 1
MIN_SNOWFLAKE = 2**22
"""A Discord id below 2^22 has a zero timestamp: it was never issued (e.g. the test record
1234567)."""

_DIGITS = re.compile(r"^[0-9]+$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_MS_THRESHOLD = 100_000_000_000  # an epoch above this is in milliseconds (year 5138 in seconds)


class LegacyValueError(ValueError):
    """A legacy value that cannot be normalised; the message says what it was."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def to_id(value: Any) -> int:
    """A Discord id given as an int or a string of digits -> int64.

    Floats are refused: a JSON float cannot hold a 64-bit snowflake exactly. Zero, negatives
    and values beyond int64 are refused too."""
    if isinstance(value, bool):
        raise LegacyValueError(f"{_show(value)} is not an id")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    else:
        raise LegacyValueError(f"{_show(value)} is not an id")
    if not 0 < number <= INT64_MAX:
        raise LegacyValueError(f"{_show(value)} is out of the 64-bit id range")
    return number


def is_snowflake(user_id: int) -> bool:
    """False for ids no Discord account can have (below 2^22)."""
    return user_id >= MIN_SNOWFLAKE


def to_int(value: Any) -> int:
    """A whole number given as an int, an integral float or a string of digits -> int64.
    Negative values are kept (negative chi is legitimate)."""
    if isinstance(value, bool):
        raise LegacyValueError(f"{_show(value)} is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise LegacyValueError(f"{_show(value)} is not a whole number")
        number = int(value)
    elif isinstance(value, str) and _INTEGER.match(value.strip()):
        number = int(value.strip())
    else:
        raise LegacyValueError(f"{_show(value)} is not a whole number")
    if not -INT64_MAX - 1 <= number <= INT64_MAX:
        raise LegacyValueError(f"{_show(value)} does not fit in 64 bits")
    return number


def to_count(value: Any) -> int:
    """A quantity: a whole number >= 0. The legacy value `"owned"` means 0 (§1.2, §1.17)."""
    if isinstance(value, str) and value.strip().lower() == "owned":
        return 0
    number = to_int(value)
    if number < 0:
        raise LegacyValueError(f"{_show(value)} is a negative quantity")
    return number


def is_owned_marker(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == "owned"


def parse_time(value: Any, *, local: tzinfo = UTC) -> datetime:
    """Any of the old bot's timestamp shapes -> an aware UTC datetime (microseconds kept):

    1. epoch float with microseconds (garden `planted_at`, `last_watered`, `garden_event`);
    2. epoch int meaning an absolute expiry (`mining_cooldown`), also epoch milliseconds;
    3. naive ISO 8601 (artifacts, teams, error logs): made from `utcnow()`, so UTC;
    4. `str()` of an aware datetime: space separator and `+00:00` (pets, player shops);
    5. `str()` of a naive local `datetime.now()` (shop listings): the old host ran in UTC, so
       UTC unless `local` says otherwise;
    6. ISO 8601 with `Z`, and PostgreSQL's `timestamptz` text (`+00` offsets).

    Numbers given as strings are read as epochs."""
    if isinstance(value, bool):
        raise LegacyValueError(f"{_show(value)} is not a time")
    if isinstance(value, datetime):
        return (
            value.replace(tzinfo=local).astimezone(UTC)
            if value.tzinfo is None
            else value.astimezone(UTC)
        )
    if isinstance(value, int | float):
        return _epoch(float(value) if isinstance(value, float) else value, value)
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return _epoch(number, value)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise LegacyValueError(f"{_show(value)} is not a time") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=local)
        return parsed.astimezone(UTC)
    raise LegacyValueError(f"{_show(value)} is not a time")


def _epoch(number: int | float, original: Any) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise LegacyValueError(f"{_show(original)} is not a time")
    if abs(number) >= _MS_THRESHOLD:
        number = number / 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        raise LegacyValueError(f"{_show(original)} is out of range for a time") from None


def as_object(value: Any) -> tuple[dict[str, Any], str]:
    """A JSON object field that may come back from PostgreSQL as JSON *text* (§1.2, §2.5).

    Returns (the object, how it was read): "ok" (an object), "missing" (null or absent: {}),
    "text" (parsed from JSON text), "invalid" (text that is not a JSON object, or another
    type: {} is used and the caller reports it)."""
    if isinstance(value, dict):
        return value, "ok"
    if value is None:
        return {}, "missing"
    if isinstance(value, str):
        try:
            parsed = json.loads(value) if value.strip() else {}
        except ValueError:
            return {}, "invalid"
        if isinstance(parsed, dict):
            return parsed, "text"
    return {}, "invalid"


def as_array(value: Any) -> tuple[list[Any], str]:
    """Like `as_object`, for JSON arrays."""
    if isinstance(value, list):
        return value, "ok"
    if value is None:
        return [], "missing"
    if isinstance(value, str):
        try:
            parsed = json.loads(value) if value.strip() else []
        except ValueError:
            return [], "invalid"
        if isinstance(parsed, list):
            return parsed, "text"
    return [], "invalid"


def is_empty(value: Any) -> bool:
    """Nothing worth importing: null, "", 0, an empty collection, or a collection of those
    (e.g. `training_bonuses` with every stat at 0)."""
    if not value:  # None, False, 0, 0.0, "", [], {}
        return True
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    if isinstance(value, str):
        obj, how = as_object(value)
        return how == "text" and is_empty(obj)
    return False


def units(value: Any) -> int:
    """How many things a collection holds, for the report: a list's length, the sum of an
    object's counts (non-numeric values count as one), 1 for any other non-empty value."""
    if isinstance(value, str):
        obj, how = as_object(value)
        if how == "text":
            value = obj
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        total = 0
        for v in value.values():
            if isinstance(v, int) and not isinstance(v, bool):
                total += max(v, 0)
            elif not is_empty(v):
                total += 1
        return total
    return 0 if is_empty(value) else 1
