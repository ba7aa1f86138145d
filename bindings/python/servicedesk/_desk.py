"""servicedesk.open() and the desk's area objects: thin wrappers over the C
ABI that move servicedesk.v1 protobuf messages across it."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional, Type, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message

from . import _native
from ._calendar import BusinessCalendar
from ._errors import Error, InvalidArgument
from ._time import duration_to_nanos, from_nanos, to_nanos
from .proto import (audit_pb2, c_api_pb2, calendar_pb2, common_pb2, org_pb2,
                    sla_pb2)

M = TypeVar("M", bound=Message)
_lib = _native.lib


def _msg(value: Any, cls: Type[M], what: str) -> bytes:
    """A message (or a dict in the proto3 JSON shape) as protobuf bytes."""
    if value is None:
        return b""
    if isinstance(value, cls):
        return value.SerializeToString()
    if isinstance(value, dict):
        try:
            return json_format.ParseDict(value, cls()).SerializeToString()
        except json_format.ParseError as e:
            raise InvalidArgument(f"{what}: {e}") from None
    raise InvalidArgument(
        f"{what}: expected {cls.DESCRIPTOR.full_name} or dict, "
        f"got {type(value).__name__}")


def _actor(actor: Any) -> tuple:
    data = _msg(actor, audit_pb2.Actor, "actor")
    return (data, len(data))


def _argument_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    import functools

    @functools.wraps(fn)
    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError, OverflowError, UnicodeError,
                ctypes.ArgumentError) as e:
            if isinstance(e, Error):
                raise
            raise InvalidArgument(f"{fn.__name__}: {e}") from e
    return checked


def _b(data: bytes) -> tuple:
    return (data, len(data))


def _page(page_size: Any, page_token: str) -> tuple:
    """A common.PageRequest as (pointer, length), page_size checked."""
    return _b(common_pb2.PageRequest(
        page_size=_int32(page_size, "page_size"),
        page_token=page_token).SerializeToString())


class ManualClock:
    """A clock that moves only when told to (servicedesk::ManualClock).
    Pass it to servicedesk.open(uri, clock=...) to drive a desk's time."""

    def __init__(self, start: _dt.datetime) -> None:
        self._handle = None
        self._handle = _native.handle_out(_lib.sd_clock_create,
                                          to_nanos(start, "start"))

    def now(self) -> _dt.datetime:
        """The clock's time, an aware UTC datetime."""
        out = ctypes.c_int64()
        _native.check(_lib.sd_clock_now(ctypes.byref(out), self._handle))
        return from_nanos(out.value)

    def set(self, t: _dt.datetime) -> None:
        """Sets the clock to `t` (an aware datetime within 1677-2262)."""
        _native.check(_lib.sd_clock_set(self._handle, to_nanos(t, "t")))

    def advance(self, d: _dt.timedelta) -> None:
        """Moves the clock by `d` (a timedelta, may be negative); OutOfRange,
        and the clock stays, if that would leave 1677-2262."""
        _native.check(_lib.sd_clock_advance(self._handle, duration_to_nanos(d)))

    def __del__(self) -> None:
        h = getattr(self, "_handle", None)
        if h:
            self._handle = None
            try:
                _lib.sd_clock_destroy(ctypes.byref(ctypes.c_void_p(h)))
            except Exception:
                pass


class _Area:
    """An area of the desk. Its public methods raise servicedesk errors
    only: an argument of a type or value that protobuf or ctypes refuses (a
    str where an int goes, an int where a str goes, text UTF-8 cannot carry)
    is InvalidArgument naming the method, where no check named the argument
    first."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        import inspect
        for name, attr in list(vars(cls).items()):
            if name.startswith("_"):
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                setattr(cls, name, type(attr)(_argument_errors(attr.__func__)))
            elif inspect.isfunction(attr):
                setattr(cls, name, _argument_errors(attr))

    def __init__(self, desk: "Desk") -> None:
        self._desk = desk

    def _call(self, fn: Callable[..., int], actor: Any, *args: Any) -> bytes:
        with self._desk._closing_race():
            return _native.call_out(fn, self._desk._live(), *_actor(actor),
                                    *args)

    def _get(self, cls: Type[M], fn: Callable[..., int], actor: Any,
             *args: Any) -> M:
        return cls.FromString(self._call(fn, actor, *args))


class Centers(_Area):
    """desk.centers: servicedesk::Centers."""

    def create(self, actor: Any, center: Any) -> org_pb2.ServiceCenter:
        """Registers a service center (servicedesk::Centers::Create); returns
        the stored v1.ServiceCenter."""
        return self._get(org_pb2.ServiceCenter, _lib.sd_center_create, actor,
                         *_b(_msg(center, org_pb2.ServiceCenter, "center")))

    def get(self, actor: Any, id: str) -> org_pb2.ServiceCenter:
        """The center `id` (v1.ServiceCenter); NotFound naming id."""
        return self._get(org_pb2.ServiceCenter, _lib.sd_center_get, actor,
                         *_native.s(id, "id"))

    def get_by_code(self, actor: Any, code: str) -> org_pb2.ServiceCenter:
        """The center with `code` (e.g. "MSK-01"); NotFound naming code."""
        return self._get(org_pb2.ServiceCenter, _lib.sd_center_get_by_code,
                         actor, *_native.s(code, "code"))

    def update(self, actor: Any, center: Any) -> org_pb2.ServiceCenter:
        """Replaces a center at its version (Conflict when stale); returns the
        new version."""
        return self._get(org_pb2.ServiceCenter, _lib.sd_center_update, actor,
                         *_b(_msg(center, org_pb2.ServiceCenter, "center")))

    def deactivate(self, actor: Any, id: str) -> org_pb2.ServiceCenter:
        """Marks a center inactive (FailedPrecondition while it has active
        clients); returns it."""
        return self._get(org_pb2.ServiceCenter, _lib.sd_center_deactivate,
                         actor, *_native.s(id, "id"))

    def list(self, actor: Any, *, region: str = "",
             include_inactive: bool = False, page_size: int = 0,
             page_token: str = "") -> c_api_pb2.CenterList:
        """Centers, optionally by region (c_api.CenterList: .items,
        .next_page_token)."""
        req = c_api_pb2.CenterListRequest(
            region=region, include_inactive=include_inactive,
            page_size=_int32(page_size, "page_size"), page_token=page_token)
        return self._get(c_api_pb2.CenterList, _lib.sd_center_list, actor,
                         *_b(req.SerializeToString()))


class Organizations(_Area):
    """desk.organizations: servicedesk::Organizations."""

    def create(self, actor: Any, organization: Any, manager_id: str,
               reason: str = "initial assignment") -> org_pb2.Organization:
        """Registers a client organisation with its personal manager
        (`manager_id`) and a reason; returns the stored v1.Organization."""
        return self._get(
            org_pb2.Organization, _lib.sd_organization_create, actor,
            *_b(_msg(organization, org_pb2.Organization, "organization")),
            *_native.s(manager_id, "manager_id"), *_native.s(reason, "reason"))

    def get(self, actor: Any, id: str) -> org_pb2.Organization:
        """The organisation `id` (v1.Organization); NotFound naming id."""
        return self._get(org_pb2.Organization, _lib.sd_organization_get, actor,
                         *_native.s(id, "id"))

    def update(self, actor: Any, organization: Any) -> org_pb2.Organization:
        """Replaces an organisation at its version (Conflict when stale);
        returns the new version."""
        return self._get(
            org_pb2.Organization, _lib.sd_organization_update, actor,
            *_b(_msg(organization, org_pb2.Organization, "organization")))

    def deactivate(self, actor: Any, id: str,
                   reason: str = "deactivated") -> org_pb2.Organization:
        """Marks an organisation inactive (ends its manager assignment);
        returns it."""
        return self._get(org_pb2.Organization, _lib.sd_organization_deactivate,
                         actor, *_native.s(id, "id"),
                         *_native.s(reason, "reason"))

    def list(self, actor: Any, *, center_id: str = "", tier: int = 0,
             topic: int = 0, include_inactive: bool = False,
             page_size: int = 0,
             page_token: str = "") -> c_api_pb2.OrganizationList:
        """Organisations by center, tier (name or number) and topic
        (c_api.OrganizationList)."""
        req = c_api_pb2.OrganizationListRequest(
            center_id=center_id,
            tier=_native.enum_value(tier, org_pb2.ClientTier, "CLIENT_TIER_",
                                    "tier"),
            topic=_native.enum_value(topic, org_pb2.ProfileTopic,
                                     "PROFILE_TOPIC_", "topic"),
            include_inactive=include_inactive,
            page_size=_int32(page_size, "page_size"),
            page_token=page_token)
        return self._get(c_api_pb2.OrganizationList, _lib.sd_organization_list,
                         actor, *_b(req.SerializeToString()))


class Contacts(_Area):
    """desk.contacts: servicedesk::Contacts."""

    def create(self, actor: Any, contact: Any) -> org_pb2.Contact:
        """Registers a client contact of an organisation; returns the stored
        v1.Contact."""
        return self._get(org_pb2.Contact, _lib.sd_contact_create, actor,
                         *_b(_msg(contact, org_pb2.Contact, "contact")))

    def get(self, actor: Any, id: str) -> org_pb2.Contact:
        """The contact `id` (v1.Contact); NotFound naming id."""
        return self._get(org_pb2.Contact, _lib.sd_contact_get, actor,
                         *_native.s(id, "id"))

    def update(self, actor: Any, contact: Any) -> org_pb2.Contact:
        """Replaces a contact at its version (Conflict when stale); returns the
        new version."""
        return self._get(org_pb2.Contact, _lib.sd_contact_update, actor,
                         *_b(_msg(contact, org_pb2.Contact, "contact")))

    def deactivate(self, actor: Any, id: str) -> org_pb2.Contact:
        """Marks a contact inactive; returns it."""
        return self._get(org_pb2.Contact, _lib.sd_contact_deactivate, actor,
                         *_native.s(id, "id"))

    def list(self, actor: Any, organization_id: str, *,
             include_inactive: bool = False, page_size: int = 0,
             page_token: str = "") -> c_api_pb2.ContactList:
        """An organisation's contacts (c_api.ContactList: .items,
        .next_page_token)."""
        req = c_api_pb2.ContactListRequest(
            organization_id=organization_id, include_inactive=include_inactive,
            page_size=_int32(page_size, "page_size"), page_token=page_token)
        return self._get(c_api_pb2.ContactList, _lib.sd_contact_list, actor,
                         *_b(req.SerializeToString()))


class Staff(_Area):
    """desk.staff: servicedesk::Staff."""

    def create(self, actor: Any, member: Any) -> org_pb2.StaffMember:
        """Registers a staff member of a center with roles and qualifications;
        returns the stored v1.StaffMember."""
        return self._get(org_pb2.StaffMember, _lib.sd_staff_create, actor,
                         *_b(_msg(member, org_pb2.StaffMember, "member")))

    def get(self, actor: Any, id: str) -> org_pb2.StaffMember:
        """The staff member `id` (v1.StaffMember); NotFound naming id."""
        return self._get(org_pb2.StaffMember, _lib.sd_staff_get, actor,
                         *_native.s(id, "id"))

    def update(self, actor: Any, member: Any) -> org_pb2.StaffMember:
        """Replaces a staff member at its version (Conflict when stale);
        returns the new version. FailedPrecondition naming `roles` when it
        drops PERSONAL_MANAGER from a current personal manager or ENGINEER
        from the engineer of scheduled visits that have not ended, and
        naming `qualifications` when the engineer would no longer hold the
        qualification such a visit needs until its slot ends."""
        return self._get(org_pb2.StaffMember, _lib.sd_staff_update, actor,
                         *_b(_msg(member, org_pb2.StaffMember, "member")))

    def deactivate(self, actor: Any, id: str) -> org_pb2.StaffMember:
        """Marks a staff member inactive (FailedPrecondition while a current
        personal manager, holding open requests, or the engineer of
        scheduled visits that have not ended); returns them."""
        return self._get(org_pb2.StaffMember, _lib.sd_staff_deactivate, actor,
                         *_native.s(id, "id"))

    def list(self, actor: Any, *, center_id: str = "", role: int = 0,
             qualification: str = "", at: Optional[_dt.datetime] = None,
             include_inactive: bool = False, page_size: int = 0,
             page_token: str = "") -> c_api_pb2.StaffList:
        """Staff by center, role (name or number) and qualification unexpired
        at `at` (c_api.StaffList)."""
        req = c_api_pb2.StaffListRequest(
            center_id=center_id,
            role=_native.enum_value(role, org_pb2.StaffRole, "STAFF_ROLE_",
                                    "role"),
            qualification=qualification,
            include_inactive=include_inactive,
            page_size=_int32(page_size, "page_size"),
            page_token=page_token)
        if at is not None:
            n = to_nanos(at, "at")
            req.at.seconds, req.at.nanos = divmod(n, 1_000_000_000)
        return self._get(c_api_pb2.StaffList, _lib.sd_staff_list, actor,
                         *_b(req.SerializeToString()))


class Managers(_Area):
    """desk.managers: servicedesk::Managers (personal managers)."""

    def reassign(self, actor: Any, organization_id: str, manager_id: str,
                 reason: str) -> org_pb2.ManagerAssignment:
        """Gives the organisation a new personal manager with a reason (history
        kept); returns the new v1.ManagerAssignment."""
        return self._get(org_pb2.ManagerAssignment, _lib.sd_manager_reassign,
                         actor, *_native.s(organization_id, "organization_id"),
                         *_native.s(manager_id, "manager_id"),
                         *_native.s(reason, "reason"))

    def current(self, actor: Any,
                organization_id: str) -> org_pb2.ManagerAssignment:
        """The organisation's current manager assignment
        (v1.ManagerAssignment)."""
        return self._get(org_pb2.ManagerAssignment, _lib.sd_manager_current,
                         actor, *_native.s(organization_id, "organization_id"))

    def at(self, actor: Any, organization_id: str,
           at: _dt.datetime) -> org_pb2.ManagerAssignment:
        """The manager assignment in force at `at` (an aware datetime)."""
        return self._get(org_pb2.ManagerAssignment, _lib.sd_manager_at, actor,
                         *_native.s(organization_id, "organization_id"),
                         to_nanos(at, "at"))

    def history(self, actor: Any,
                organization_id: str) -> List[org_pb2.ManagerAssignment]:
        """The organisation's manager assignments, oldest first (a list)."""
        return list(self._get(
            c_api_pb2.ManagerAssignmentList, _lib.sd_manager_history, actor,
            *_native.s(organization_id, "organization_id")).items)

    def clients(self, actor: Any, manager_id: str, *, page_size: int = 0,
                page_token: str = "") -> c_api_pb2.OrganizationList:
        """The organisations a manager looks after (c_api.OrganizationList)."""
        return self._get(c_api_pb2.OrganizationList, _lib.sd_manager_clients,
                         actor, *_native.s(manager_id, "manager_id"),
                         *_page(page_size, page_token))


class Events(_Area):
    """desk.events: the audit log and subscriptions."""

    def __init__(self, desk: "Desk") -> None:
        super().__init__(desk)
        self._callbacks: Dict[int, Any] = {}
        self._lock = threading.Lock()

    def list(self, actor: Any, after_seq: int = 0,
             limit: int = 0) -> List[audit_pb2.Event]:
        """Events with seq > after_seq that the actor may see, oldest first, at
        most `limit` (0 = 1,000): a list of v1.Event."""
        return list(self._get(c_api_pb2.EventList, _lib.sd_event_list, actor,
                              _native.integer(after_seq, "after_seq", 64),
                              _native.count(limit, "limit", 32)).items)

    def subscribe(self, callback: Callable[[audit_pb2.Event], None]) -> int:
        """Calls `callback(event)` after each commit made through this desk,
        on the committing thread. Exceptions in the callback are printed and
        swallowed. Returns an id for unsubscribe()."""
        if not callable(callback):
            raise InvalidArgument(
                "callback: expected a callable, got "
                f"{type(callback).__name__}")

        def trampoline(data: int, size: int, _payload: Any) -> None:
            try:
                callback(audit_pb2.Event.FromString(ctypes.string_at(data, size)))
            except Exception:  # never unwind through C
                import traceback
                traceback.print_exc()

        c_callback = _native.EVENT_CALLBACK(trampoline)
        sub = ctypes.c_int64()
        with self._desk._closing_race():
            _native.check(_lib.sd_event_subscribe(
                ctypes.byref(sub), self._desk._live(), c_callback, None))
        with self._lock:
            self._callbacks[sub.value] = c_callback
        return sub.value

    def unsubscribe(self, subscription: int) -> None:
        """Ends a subscription; when it returns the callback runs nowhere else
        and is not called again (unknown ids are ignored)."""
        subscription = _native.integer(subscription, "subscription", 64)
        with self._desk._closing_race():
            _native.check(_lib.sd_event_unsubscribe(self._desk._live(),
                                                    subscription))
        with self._lock:
            self._callbacks.pop(subscription, None)


class Calendars(_Area):
    """desk.calendars: stored business calendars (servicedesk::Calendars)."""

    def create(self, actor: Any, spec: Any) -> calendar_pb2.BusinessCalendar:
        """Stores a business calendar (servicedesk::Calendars::Create); returns
        the stored v1.BusinessCalendar."""
        return self._get(
            calendar_pb2.BusinessCalendar, _lib.sd_stored_calendar_create,
            actor, *_b(_msg(spec, calendar_pb2.BusinessCalendar, "spec")))

    def get(self, actor: Any, id: str) -> calendar_pb2.BusinessCalendar:
        """The stored calendar `id` (v1.BusinessCalendar); NotFound naming id.
        """
        return self._get(calendar_pb2.BusinessCalendar,
                         _lib.sd_stored_calendar_get, actor,
                         *_native.s(id, "id"))

    def update(self, actor: Any, spec: Any) -> calendar_pb2.BusinessCalendar:
        """Replaces a stored calendar at its version (Conflict when stale);
        returns the new version."""
        return self._get(
            calendar_pb2.BusinessCalendar, _lib.sd_stored_calendar_update,
            actor, *_b(_msg(spec, calendar_pb2.BusinessCalendar, "spec")))

    def list(self, actor: Any, *, page_size: int = 0,
             page_token: str = "") -> c_api_pb2.CalendarList:
        """The stored calendars (c_api.CalendarList: .items, .next_page_token).
        """
        return self._get(c_api_pb2.CalendarList, _lib.sd_stored_calendar_list,
                         actor, *_page(page_size, page_token))

    def load(self, actor: Any, id: str) -> BusinessCalendar:
        """The compiled stored calendar, usable on its own."""
        with self._desk._closing_race():
            handle = _native.handle_out(_lib.sd_stored_calendar_load,
                                        self._desk._live(), *_actor(actor),
                                        *_native.s(id, "id"))
        return BusinessCalendar._from_handle(handle)


class Sla(_Area):
    """desk.sla: the SLA policy, target clocks and Tick (servicedesk::Sla)."""

    @staticmethod
    def catalog() -> List[sla_pb2.ServiceDefinition]:
        """The Quality Standard's service catalog with its default targets (a
        list of v1.ServiceDefinition)."""
        data = _native.call_out(_lib.sd_sla_catalog, _native.SD_FORMAT_PROTO)
        return list(c_api_pb2.ServiceCatalog.FromString(data).items)

    def get_policy(self, actor: Any) -> sla_pb2.SlaPolicy:
        """The network's SLA policy (v1.SlaPolicy; version 0 until one is set).
        """
        return self._get(sla_pb2.SlaPolicy, _lib.sd_sla_get_policy, actor)

    def set_policy(self, actor: Any, policy: Any) -> sla_pb2.SlaPolicy:
        """Replaces the SLA policy at its version (administrators); returns the
        stored policy."""
        return self._get(sla_pb2.SlaPolicy, _lib.sd_sla_set_policy, actor,
                         *_b(_msg(policy, sla_pb2.SlaPolicy, "policy")))

    def resolve_targets(self, actor: Any,
                        subject: Any) -> c_api_pb2.ResolvedTargets:
        """The targets the policy gives a subject (c_api.ResolvedTargets); no
        clocks are created."""
        return self._get(c_api_pb2.ResolvedTargets, _lib.sd_sla_resolve_targets,
                         actor, *_b(_msg(subject, sla_pb2.SlaSubject, "subject")))

    def start_clocks(self, actor: Any, subject_id: str, subject: Any,
                     start: _dt.datetime) -> List[sla_pb2.TargetClock]:
        """Starts the clocks of one of the application's own subjects at
        `start`; returns them (a list of v1.TargetClock)."""
        return list(self._get(
            c_api_pb2.ClockList, _lib.sd_sla_start_clocks, actor,
            *_native.s(subject_id, "subject_id"),
            *_b(_msg(subject, sla_pb2.SlaSubject, "subject")),
            to_nanos(start, "start")).items)

    def pause(self, actor: Any, subject_id: str,
              at: _dt.datetime) -> List[sla_pb2.TargetClock]:
        """Pauses the subject's running clocks at `at` (waiting on the client);
        returns them."""
        return list(self._get(c_api_pb2.ClockList, _lib.sd_sla_pause, actor,
                              *_native.s(subject_id, "subject_id"),
                              to_nanos(at, "at")).items)

    def resume(self, actor: Any, subject_id: str,
               at: _dt.datetime) -> List[sla_pb2.TargetClock]:
        """Resumes the subject's paused clocks at `at`; returns them."""
        return list(self._get(c_api_pb2.ClockList, _lib.sd_sla_resume, actor,
                              *_native.s(subject_id, "subject_id"),
                              to_nanos(at, "at")).items)

    def stop(self, actor: Any, subject_id: str, kind: int,
             at: _dt.datetime) -> sla_pb2.TargetClock:
        """Stops the subject's open clock of `kind` (name or number) at `at`
        and decides met or breached; returns it."""
        return self._get(sla_pb2.TargetClock, _lib.sd_sla_stop, actor,
                         *_native.s(subject_id, "subject_id"),
                         _native.enum_value(kind, sla_pb2.ClockKind,
                                            "CLOCK_KIND_", "kind"),
                         to_nanos(at, "at"))

    def recompute(self, actor: Any, subject_id: str,
                  subject: Any) -> List[sla_pb2.TargetClock]:
        """Re-resolves the changed subject's targets and recomputes its open
        clocks from their original start; returns them."""
        return list(self._get(
            c_api_pb2.ClockList, _lib.sd_sla_recompute, actor,
            *_native.s(subject_id, "subject_id"),
            *_b(_msg(subject, sla_pb2.SlaSubject, "subject"))).items)

    def clocks(self, actor: Any, subject_id: str) -> List[sla_pb2.TargetClock]:
        """Every clock of the subject, oldest first (a list of v1.TargetClock).
        """
        return list(self._get(c_api_pb2.ClockList, _lib.sd_sla_clocks, actor,
                              *_native.s(subject_id, "subject_id")).items)

    def tick(self, actor: Any, now: _dt.datetime,
             max_clocks: int = 0) -> c_api_pb2.TickResult:
        """Raises every SLA warning, breach and escalation due at `now`, each
        once (at most max_clocks clocks, 0 = all); returns c_api.TickResult."""
        return self._get(c_api_pb2.TickResult, _lib.sd_sla_tick, actor,
                         to_nanos(now, "now"),
                         _native.count(max_clocks, "max_clocks", 64))


class Desk:
    """An open desk. Use as a context manager (or call close())."""

    def __init__(self, uri: str, clock: Optional[ManualClock] = None, *,
                 reopen_window: Optional[_dt.timedelta] = None,
                 dialog_wait_samples: Optional[int] = None,
                 sqlite_busy_timeout_ms: Optional[int] = None,
                 sqlite_background_checkpoint: Optional[bool] = None) -> None:
        self._handle: Optional[int] = None
        if clock is not None and not isinstance(clock, ManualClock):
            raise InvalidArgument("clock: expected a servicedesk.ManualClock")
        options = _desk_options(reopen_window, dialog_wait_samples,
                                sqlite_busy_timeout_ms,
                                sqlite_background_checkpoint)
        self._clock = clock
        self._handle = _native.handle_out(
            _lib.sd_desk_open_with_options, *_native.s(uri, "uri"),
            clock._handle if clock is not None else None,
            _native.SD_FORMAT_PROTO, *_native.s(options.SerializeToString()))
        self.centers = Centers(self)
        self.organizations = Organizations(self)
        self.contacts = Contacts(self)
        self.staff = Staff(self)
        self.managers = Managers(self)
        self.events = Events(self)
        self.calendars = Calendars(self)
        self.sla = Sla(self)
        from ._service import Dialogs, Reports, Requests, TechSupport
        self.requests = Requests(self)
        self.dialogs = Dialogs(self)
        self.techsupport = TechSupport(self)
        self.reports = Reports(self)

    def _live(self) -> int:
        if self._handle is None:
            from ._errors import FailedPrecondition
            raise FailedPrecondition("desk: closed")
        return self._handle

    @contextlib.contextmanager
    def _closing_race(self) -> Iterator[None]:
        """Every call on the desk runs in this: when close() on another
        thread wins the race into the library, the call raises what any
        later call does, FailedPrecondition("desk: closed"), not the C
        layer's InvalidArgument."""
        try:
            yield
        except InvalidArgument as e:
            if self._handle is None and "not a live desk handle" in str(e):
                from ._errors import FailedPrecondition
                raise FailedPrecondition("desk: closed") from None
            raise

    @property
    def clock(self) -> Optional[ManualClock]:
        return self._clock

    def now(self) -> _dt.datetime:
        """The desk's current time (its ManualClock's, else the system clock),
        an aware UTC datetime."""
        out = ctypes.c_int64()
        with self._closing_race():
            _native.check(_lib.sd_desk_now(ctypes.byref(out), self._live()))
        return from_nanos(out.value)

    def close(self) -> None:
        """Closes the desk (idempotent). Calls already running on other threads
        finish; later calls raise FailedPrecondition."""
        h, self._handle = self._handle, None
        if h:
            _lib.sd_desk_close(ctypes.byref(ctypes.c_void_p(h)))

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def _int32(value: Any, what: str) -> int:
    return _native.integer(value, what, 32)


def _desk_options(reopen_window: Optional[_dt.timedelta],
                  dialog_wait_samples: Optional[int],
                  sqlite_busy_timeout_ms: Optional[int],
                  sqlite_background_checkpoint: Optional[bool]
                  ) -> "c_api_pb2.DeskOptions":
    o = c_api_pb2.DeskOptions()
    if reopen_window is not None:
        o.reopen_window.FromNanoseconds(
            duration_to_nanos(reopen_window, "reopen_window"))
    if dialog_wait_samples is not None:
        o.dialog_wait_samples = _int32(dialog_wait_samples,
                                       "dialog_wait_samples")
    if sqlite_busy_timeout_ms is not None:
        o.sqlite_busy_timeout_ms = _int32(sqlite_busy_timeout_ms,
                                          "sqlite_busy_timeout_ms")
    if sqlite_background_checkpoint is not None:
        if not isinstance(sqlite_background_checkpoint, bool):
            raise InvalidArgument("sqlite_background_checkpoint: expected a "
                                  "bool")
        o.sqlite_background_checkpoint = sqlite_background_checkpoint
    return o


def open(uri: str, clock: Optional[ManualClock] = None, *,  # noqa: A001
         reopen_window: Optional[_dt.timedelta] = None,
         dialog_wait_samples: Optional[int] = None,
         sqlite_busy_timeout_ms: Optional[int] = None,
         sqlite_background_checkpoint: Optional[bool] = None) -> Desk:
    """Opens a desk: "memory:", "sqlite:/path/file.db" or a bare file path.
    SQLite options go in the query: "sqlite:/path/file.db?busy_timeout_ms=200
    &background_checkpoint=0" (docs/storage.md, "Options in the URI"), or in
    the sqlite_* arguments (the URI's query wins).
    `clock` (a ManualClock) drives the desk's time; None = the system clock.
    `reopen_window`: how long after resolution a request may be reopened
    (default 14 days); `dialog_wait_samples`: how many recently taken dialogs
    a queue position's expected wait is estimated from (default 20, 1..1000).
    None keeps the default. Out-of-range values raise InvalidArgument."""
    return Desk(uri, clock, reopen_window=reopen_window,
                dialog_wait_samples=dialog_wait_samples,
                sqlite_busy_timeout_ms=sqlite_busy_timeout_ms,
                sqlite_background_checkpoint=sqlite_background_checkpoint)
