"""servicedesk: the Python package of the servicedesk library.

A thin layer over the C ABI (libservicedesk.so, through ctypes): records are
the servicedesk.v1 protobuf classes (servicedesk.v1.ServiceCenter, ...),
times are aware datetimes and timedeltas, failures raise servicedesk.Error
subclasses. Every rule (validation, authorization, business-time arithmetic)
is the C++ library's.

Example:
    import datetime as dt
    import servicedesk as sd

    clock = sd.ManualClock(dt.datetime(2025, 3, 3, 6, tzinfo=dt.timezone.utc))
    with sd.open("memory:", clock=clock) as desk:
        center = desk.centers.create(sd.admin("root"), sd.v1.ServiceCenter(
            code="MSK-01", name="Moscow", region="Moscow",
            time_zone="Europe/Moscow"))

Areas: desk.centers, .organizations, .contacts, .staff, .managers, .events,
.calendars, .sla, .requests, .dialogs, .techsupport, .reports.
"""

from __future__ import annotations

from . import v1
from ._calendar import BusinessCalendar
from ._desk import (Calendars, Centers, Contacts, Desk, Events, ManualClock,
                    Managers, Organizations, Sla, Staff, open)
from ._errors import (Aborted, AlreadyExists, Cancelled, Conflict, DataLoss,
                      DeadlineExceeded, Error, FailedPrecondition, Internal,
                      InvalidArgument, NotFound, OutOfRange, PermissionDenied,
                      ResourceExhausted, Unauthenticated, Unavailable,
                      Unimplemented, Unknown)
from ._native import version as _version
from ._service import Dialogs, Reports, Requests, TechSupport

__version__ = _version()


def _actor_with(field: str, value: str) -> v1.Actor:
    if not isinstance(value, str):
        raise InvalidArgument(
            f"actor.{field}: expected a str, got {type(value).__name__}")
    try:
        return v1.Actor(**{field: value})
    except ValueError as e:  # a str UTF-8 cannot carry (lone surrogate)
        raise InvalidArgument(f"actor.{field}: {e}") from None


def admin(login: str) -> v1.Actor:
    """A network administrator, by login name."""
    return _actor_with("admin", login)


def staff_actor(staff_id: str) -> v1.Actor:
    """A center staff member, by staff id."""
    return _actor_with("staff_id", staff_id)


def contact_actor(contact_id: str) -> v1.Actor:
    """A user of a client organisation, by contact id."""
    return _actor_with("contact_id", contact_id)


def system_actor(component: str) -> v1.Actor:
    """The library itself (Tick, simulations), by component name."""
    return _actor_with("system", component)


def version() -> str:
    """The loaded libservicedesk's version, "MAJOR.MINOR.PATCH"."""
    return _version()


# The __future__ import binds a name that is not part of the API.
del annotations

__all__ = [
    "Aborted", "AlreadyExists", "BusinessCalendar", "Calendars", "Cancelled",
    "Centers", "Conflict", "Contacts", "DataLoss", "DeadlineExceeded", "Desk",
    "Error", "Events", "FailedPrecondition", "Internal", "InvalidArgument",
    "Dialogs", "ManualClock", "Managers", "NotFound", "Organizations",
    "OutOfRange", "PermissionDenied", "Reports", "Requests",
    "ResourceExhausted", "Sla", "Staff", "TechSupport", "Unauthenticated",
    "Unavailable", "Unimplemented", "Unknown", "admin", "contact_actor", "open",
    "staff_actor", "system_actor", "v1", "version",
]
