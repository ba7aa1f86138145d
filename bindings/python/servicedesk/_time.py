"""datetime/timedelta <-> int64 nanoseconds (the C ABI's time unit)."""

from __future__ import annotations

import datetime as _dt

from ._errors import InvalidArgument

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MICRO = _dt.timedelta(microseconds=1)
# The C ABI's int64 nanoseconds: 1677-09-21T00:12:43.145225Z to
# 2262-04-11T23:47:16.854775Z. Beyond them ctypes would wrap the value
# into another century without a word.
_MIN_NANOS, _MAX_NANOS = -2**63, 2**63 - 1


def _in_range(nanos: int, what: str, shown: object) -> int:
    if not _MIN_NANOS <= nanos <= _MAX_NANOS:
        raise InvalidArgument(
            f"{what}: {shown} is outside what the library carries "
            f"(int64 nanoseconds: 1677-09-21 to 2262-04-11 as instants, "
            f"about 292 years as durations)")
    return nanos


def to_nanos(t: _dt.datetime, what: str = "time") -> int:
    if not isinstance(t, _dt.datetime):
        raise InvalidArgument(f"{what}: expected a datetime, got {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise InvalidArgument(f"{what}: naive datetime (give it a tzinfo)")
    return _in_range(((t - _EPOCH) // _MICRO) * 1000, what, t.isoformat())


def from_nanos(nanos: int) -> _dt.datetime:
    return _EPOCH + _dt.timedelta(microseconds=nanos // 1000)


def duration_to_nanos(d: _dt.timedelta, what: str = "duration") -> int:
    if not isinstance(d, _dt.timedelta):
        raise InvalidArgument(f"{what}: expected a timedelta, got {type(d).__name__}")
    return _in_range((d // _MICRO) * 1000, what, d)


def nanos_to_duration(nanos: int) -> _dt.timedelta:
    # Rounds toward negative infinity to whole microseconds.
    return _dt.timedelta(microseconds=nanos // 1000)
