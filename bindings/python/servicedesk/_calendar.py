"""servicedesk.BusinessCalendar: business-time arithmetic on its own."""

from __future__ import annotations

import ctypes
import datetime as _dt
import re
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _native
from ._errors import InvalidArgument
from ._time import duration_to_nanos, from_nanos, nanos_to_duration, to_nanos
from .proto import calendar_pb2, common_pb2

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

Intervals = Sequence[Tuple[str, str]]


def _seconds(text: str, what: str) -> int:
    m = _HHMM.match(text) if isinstance(text, str) else None
    if not m:
        raise InvalidArgument(f"{what}: {text!r} is not a local time HH:MM")
    h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if mi > 59 or se > 59 or h > 24 or (h == 24 and (mi or se)):
        raise InvalidArgument(f"{what}: {text!r} is not a local time HH:MM")
    return h * 3600 + mi * 60 + se


def _intervals(items: Intervals, what: str) -> List[common_pb2.TimeInterval]:
    out = []
    for i, pair in enumerate(items):
        try:
            start, end = pair
        except (TypeError, ValueError):
            raise InvalidArgument(
                f"{what}[{i}]: expected a (start, end) pair") from None
        out.append(common_pb2.TimeInterval(
            start_seconds=_seconds(start, f"{what}[{i}].start"),
            end_seconds=_seconds(end, f"{what}[{i}].end")))
    return out


def _date(d: _dt.date, what: str) -> common_pb2.Date:
    if not isinstance(d, _dt.date) or isinstance(d, _dt.datetime):
        raise InvalidArgument(f"{what}: expected a date, got {d!r}")
    return common_pb2.Date(year=d.year, month=d.month, day=d.day)


def _weekly(weekly: Mapping[int, Intervals]) -> List[calendar_pb2.WeekdaySchedule]:
    if not isinstance(weekly, Mapping):
        raise InvalidArgument("weekly: expected a dict {weekday: intervals}")
    for k in weekly:
        if not isinstance(k, int) or not 0 <= k <= 6:
            raise InvalidArgument(
                f"weekly: weekday {k!r} is not 0 (Monday) .. 6 (Sunday)")
    return [calendar_pb2.WeekdaySchedule(
        weekday=k + 1, intervals=_intervals(weekly.get(k, ()), f"weekly[{k}]"))
        for k in range(7)]


class BusinessCalendar:
    """A business calendar: an IANA time zone, weekly open hours, holidays and
    special days. Business time is elapsed real time inside open intervals
    (DESIGN.md, "SLA semantics").

    `weekly` maps a weekday (0 = Monday ... 6 = Sunday) to its local open
    intervals, e.g. {0: [("09:00", "13:00"), ("14:00", "18:00")]}; "24:00" is
    allowed as an end; unlisted weekdays are closed. A special day's list
    replaces the weekly schedule for that date (empty list = closed).
    Invalid input raises InvalidArgument naming the field. Immutable and
    thread-safe.
    """

    __slots__ = ("_handle",)

    def __init__(self, time_zone: str, weekly: Mapping[int, Intervals],
                 holidays: Iterable[_dt.date] = (),
                 special_days: Mapping[_dt.date, Intervals] = {}
                 ) -> None:
        self._handle = None
        _native.s(time_zone, "time_zone")  # a str UTF-8 can carry
        spec = calendar_pb2.BusinessCalendar(time_zone=time_zone)
        spec.weekly.extend(_weekly(weekly))
        for i, d in enumerate(holidays):
            spec.holidays.add(date=_date(d, f"holidays[{i}]"))
        for d, items in (special_days or {}).items():
            spec.special_days.add(
                date=_date(d, "special_days"),
                intervals=_intervals(items, f"special_days[{d}]"),
                kind=calendar_pb2.SPECIAL_DAY_KIND_OTHER)
        data = spec.SerializeToString()
        self._handle = _native.handle_out(
            _native.lib.sd_calendar_create, data, len(data),
            _native.SD_FORMAT_PROTO)

    @classmethod
    def _from_handle(cls, handle: int) -> "BusinessCalendar":
        obj = cls.__new__(cls)
        obj._handle = handle
        return obj

    @classmethod
    def russia(cls, time_zone: str,
               weekly: Optional[Mapping[int, Intervals]] = None
               ) -> "BusinessCalendar":
        """Russia's production calendar (the shipped years: holidays,
        transferred working days, shortened pre-holiday days ending one hour
        earlier) over `weekly` (default Monday-Friday 09:00-18:00)."""
        data = b""
        if weekly is not None:
            spec = calendar_pb2.BusinessCalendar()
            spec.weekly.extend(_weekly(weekly))
            data = spec.SerializeToString()
        zone, zone_len = _native.s(time_zone or "", "time_zone")
        return cls._from_handle(_native.handle_out(
            _native.lib.sd_calendar_create_russia, zone, zone_len, data,
            len(data), _native.SD_FORMAT_PROTO))

    @classmethod
    def from_text(cls, text: str) -> "BusinessCalendar":
        """From the calendar text format (docs/sla.md)."""
        return cls._from_handle(_native.handle_out(
            _native.lib.sd_calendar_create_from_text, *_native.s(text, "text")))

    @staticmethod
    def russia_years() -> List[int]:
        """The years the shipped production calendar covers completely
        (their decree included), ascending. A later year may carry its
        statutory holidays only (docs/sla.md)."""
        n = ctypes.c_size_t()
        _native.check(_native.lib.sd_calendar_russia_years(ctypes.byref(n),
                                                           None, 0))
        arr = (ctypes.c_int32 * n.value)()
        _native.check(_native.lib.sd_calendar_russia_years(ctypes.byref(n),
                                                           arr, n.value))
        return list(arr)

    def add(self, start: _dt.datetime, duration: _dt.timedelta) -> _dt.datetime:
        """The earliest instant t >= start with `duration` of business time in
        [start, t], as an aware UTC datetime."""
        out = ctypes.c_int64()
        _native.check(_native.lib.sd_calendar_add(
            ctypes.byref(out), self._handle, to_nanos(start, "start"),
            duration_to_nanos(duration)))
        return from_nanos(out.value)

    def between(self, a: _dt.datetime, b: _dt.datetime) -> _dt.timedelta:
        """Business time in [a, b]; negative if b < a."""
        out = ctypes.c_int64()
        _native.check(_native.lib.sd_calendar_between(
            ctypes.byref(out), self._handle, to_nanos(a, "a"), to_nanos(b, "b")))
        return nanos_to_duration(out.value)

    def is_open(self, t: _dt.datetime) -> bool:
        """True if `t` (an aware datetime) lies inside an open interval (the
        closing instant excluded)."""
        out = ctypes.c_int()
        _native.check(_native.lib.sd_calendar_is_open(
            ctypes.byref(out), self._handle, to_nanos(t, "t")))
        return bool(out.value)

    def next_opening(self, t: _dt.datetime) -> _dt.datetime:
        """The first open instant at or after `t` (an aware datetime, UTC out);
        the end of the range (2262-04-11) if the calendar never opens again."""
        out = ctypes.c_int64()
        _native.check(_native.lib.sd_calendar_next_opening(
            ctypes.byref(out), self._handle, to_nanos(t, "t")))
        return from_nanos(out.value)

    @property
    def spec(self) -> calendar_pb2.BusinessCalendar:
        """The servicedesk.v1.BusinessCalendar this calendar was built from."""
        data = _native.call_out(_native.lib.sd_calendar_spec, self._handle,
                                _native.SD_FORMAT_PROTO)
        return calendar_pb2.BusinessCalendar.FromString(data)

    def __del__(self) -> None:
        h = getattr(self, "_handle", None)
        if h:
            self._handle = None
            try:
                _native.lib.sd_calendar_destroy(ctypes.byref(ctypes.c_void_p(h)))
            except Exception:  # interpreter shutdown
                pass

    def __repr__(self) -> str:
        return f"<servicedesk.BusinessCalendar {self.spec.time_zone}>"
