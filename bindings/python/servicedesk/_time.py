"""datetime/timedelta <-> int64 nanoseconds (the C ABI's time unit)."""

from __future__ import annotations

import datetime as _dt

from ._errors import InvalidArgument

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MICRO = _dt.timedelta(microseconds=1)


def to_nanos(t: _dt.datetime, what: str = "time") -> int:
    if not isinstance(t, _dt.datetime):
        raise InvalidArgument(f"{what}: expected a datetime, got {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise InvalidArgument(f"{what}: naive datetime (give it a tzinfo)")
    return ((t - _EPOCH) // _MICRO) * 1000


def from_nanos(nanos: int) -> _dt.datetime:
    return _EPOCH + _dt.timedelta(microseconds=nanos // 1000)


def duration_to_nanos(d: _dt.timedelta, what: str = "duration") -> int:
    if not isinstance(d, _dt.timedelta):
        raise InvalidArgument(f"{what}: expected a timedelta, got {type(d).__name__}")
    return (d // _MICRO) * 1000


def nanos_to_duration(nanos: int) -> _dt.timedelta:
    # Rounds toward negative infinity to whole microseconds.
    return _dt.timedelta(microseconds=nanos // 1000)
