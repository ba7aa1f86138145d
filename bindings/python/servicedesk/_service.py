"""desk.requests, desk.dialogs, desk.techsupport and desk.reports: service
requests, online dialogs, technical support and compliance reports, over the
C ABI.

Updates of versioned records (requests, visits) take the record you last read
(its id and version are used) or its id plus `version=`: a stale version
raises servicedesk.Conflict (re-read and retry), a move the lifecycle does not
allow raises servicedesk.FailedPrecondition. Enum arguments (kind, channel,
priority, state) take the servicedesk.v1 value (v1.PRIORITY_URGENT) or its
name, full or short ("PRIORITY_URGENT" or "URGENT").
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, List, Optional, Sequence, Tuple, Union

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from . import _native
from ._desk import _Area, _b, _int32, _msg, _page
from ._errors import InvalidArgument
from ._time import to_nanos
from .proto import c_api_pb2, requests_pb2, sla_pb2

_lib = _native.lib




_enum = _native.enum_value


def _record(value: Message, what: str) -> Message:
    """`value` if it is a record (a message with an id and a version)."""
    fields = value.DESCRIPTOR.fields_by_name
    if "id" not in fields or "version" not in fields:
        raise InvalidArgument(
            f"{what}: expected a record or an id, got a "
            f"{value.DESCRIPTOR.full_name}")
    return value


def _id(value: Any, what: str) -> str:
    """A record (its id is used) or an id."""
    if isinstance(value, Message):
        return _record(value, what).id  # type: ignore[attr-defined]
    if isinstance(value, str):
        return value
    raise InvalidArgument(
        f"{what}: expected a record or an id, got {type(value).__name__}")


def _version(version: Any) -> int:
    return _native.integer(version, "version", 64)


def _id_arg(value: Any, what: str) -> tuple:
    """A record-or-id argument as the C (pointer, length) pair."""
    return _native.s(_id(value, what), what)


def _ref(value: Any, version: Optional[int], what: str) -> Tuple[str, int]:
    """(id, version) from a record (version= overrides its version) or from
    an id with version=."""
    if isinstance(value, Message):
        stored = _record(value, what).version  # type: ignore[attr-defined]
        return (value.id,  # type: ignore[attr-defined]
                stored if version is None else _version(version))
    if isinstance(value, str):
        if version is None:
            raise InvalidArgument(
                f"version: required when the {what} is given by id "
                f"(or pass the {what} record)")
        return (value, _version(version))
    raise InvalidArgument(
        f"{what}: expected a record or an id, got {type(value).__name__}")


def _set_time(ts: Any, t: _dt.datetime, what: str) -> None:
    ts.seconds, ts.nanos = divmod(to_nanos(t, what), 1_000_000_000)


_GROUPS = ("center", "kind", "channel", "staff")


_PERIODS = {"day": requests_pb2.REPORT_PERIOD_DAY,
            "week": requests_pb2.REPORT_PERIOD_WEEK,
            "month": requests_pb2.REPORT_PERIOD_MONTH}


def _query(start: _dt.datetime, end: _dt.datetime, center_id: Optional[str],
           by: Union[str, Iterable[str], None], period: Optional[str] = None,
           time_zone: str = "") -> bytes:
    q = requests_pb2.ComplianceQuery(center_id=center_id or "",
                                     time_zone=time_zone or "")
    if period is not None:
        # As other enum arguments: a name in any case, short or full, or the
        # enum's int; only day, week and month split a report.
        try:
            value = _native.enum_value(period, requests_pb2.ReportPeriod,
                                       "REPORT_PERIOD_", "period")
        except InvalidArgument:
            value = 0
        if value not in _PERIODS.values():
            raise InvalidArgument(
                f"period: unknown period {period!r} (one of day, week, month)")
        q.by_period = value
    _set_time(q.to, end, "end")
    _set_time(getattr(q, "from"), start, "start")
    if by is None:
        by = ()
    elif isinstance(by, str):
        by = (by,)
    for g in by:
        key = g.lower() if isinstance(g, str) else None
        if key not in _GROUPS:
            raise InvalidArgument(
                f"by: unknown grouping {g!r} (one of {', '.join(_GROUPS)})")
        setattr(q, "by_" + key, True)
    return q.SerializeToString()


class Requests(_Area):
    """desk.requests: servicedesk::Requests (service requests on every
    channel). Lists return one page (v1.RequestList; pass its
    next_page_token as page_token for the next)."""

    def _upd(self, fn: Any, actor: Any, request: Any, version: Optional[int],
             *args: Any) -> requests_pb2.ServiceRequest:
        rid, v = _ref(request, version, "request")
        return self._get(requests_pb2.ServiceRequest, fn, actor,
                         *_native.s(rid, "id"), v, *args)

    def open(self, actor: Any, draft: Any = None, *, organization_id: str = "",
             kind: Any = None, channel: Any = None, priority: Any = None,
             subject: str = "", description: str = "", contact_id: str = "",
             installation_id: str = "") -> requests_pb2.ServiceRequest:
        """Registers a request: from `draft` (a v1.ServiceRequest or dict)
        and/or the keywords (which override the draft's fields)."""
        d = requests_pb2.ServiceRequest.FromString(
            _msg(draft, requests_pb2.ServiceRequest, "draft"))
        for field, value in (("organization_id", organization_id),
                             ("subject", subject),
                             ("description", description),
                             ("contact_id", contact_id),
                             ("installation_id", installation_id)):
            if value:
                # Named by its keyword, as positional text arguments are.
                _native.s(value, field)
                setattr(d, field, value)
        if kind is not None:
            d.kind = _enum(kind, sla_pb2.ServiceKind, "SERVICE_KIND_", "kind")
        if channel is not None:
            d.channel = _enum(channel, sla_pb2.Channel, "CHANNEL_", "channel")
        if priority is not None:
            d.priority = _enum(priority, sla_pb2.Priority, "PRIORITY_",
                               "priority")
        return self._get(requests_pb2.ServiceRequest, _lib.sd_request_open,
                         actor, *_b(d.SerializeToString()))

    def get(self, actor: Any, id: str) -> requests_pb2.ServiceRequest:
        """The service request `request` (a record or an id): v1.ServiceRequest
        with its history, messages and outcomes."""
        return self._get(requests_pb2.ServiceRequest, _lib.sd_request_get,
                         actor, *_id_arg(id, "id"))

    def list(self, actor: Any, *, center_id: str = "",
             organization_id: str = "", state: Any = None,
             assignee_id: str = "", kind: Any = None, channel: Any = None,
             page_size: int = 0,
             page_token: str = "") -> c_api_pb2.RequestList:
        """Requests by center, organisation, assignee, state, kind and channel
        (names or numbers; c_api.RequestList: .items, .next_page_token)."""
        req = c_api_pb2.RequestListRequest(
            center_id=center_id, organization_id=organization_id,
            state=_enum(state, requests_pb2.RequestState, "REQUEST_STATE_",
                        "state"),
            assignee_id=assignee_id,
            kind=_enum(kind, sla_pb2.ServiceKind, "SERVICE_KIND_", "kind"),
            channel=_enum(channel, sla_pb2.Channel, "CHANNEL_", "channel"),
            page_size=_int32(page_size, "page_size"), page_token=page_token)
        return self._get(c_api_pb2.RequestList, _lib.sd_request_list, actor,
                         *_b(req.SerializeToString()))

    def queue(self, actor: Any, center_id: str, *, page_size: int = 0,
              page_token: str = "") -> c_api_pb2.RequestList:
        """The center's queue: NEW unassigned requests, oldest first."""
        return self._get(c_api_pb2.RequestList, _lib.sd_request_queue, actor,
                         *_native.s(center_id, "center_id"),
                         *_page(page_size, page_token))

    def assign_queued(self, actor: Any,
                      center_id: str) -> List[requests_pb2.ServiceRequest]:
        """Assigns the center's queued requests; returns those assigned."""
        return list(self._get(c_api_pb2.RequestList,
                              _lib.sd_request_assign_queued, actor,
                              *_native.s(center_id, "center_id")).items)

    def assign(self, actor: Any, request: Any, staff_id: str, reason: str, *,
               version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Assigns the request to a staff member of its center who may take its
        kind, with a reason; returns it (ASSIGNED)."""
        return self._upd(_lib.sd_request_assign, actor, request, version,
                         *_native.s(staff_id, "staff_id"),
                         *_native.s(reason, "reason"))

    def start(self, actor: Any, request: Any, *,
              version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """The assignee starts work: ASSIGNED -> IN_PROGRESS; returns the
        request."""
        return self._upd(_lib.sd_request_start, actor, request, version)

    def wait_on_client(self, actor: Any, request: Any, reason: str, *,
                       version: Optional[int] = None
                       ) -> requests_pb2.ServiceRequest:
        """IN_PROGRESS -> WAITING_ON_CLIENT with a reason; the SLA clocks
        pause. Returns the request."""
        return self._upd(_lib.sd_request_wait_on_client, actor, request,
                         version, *_native.s(reason, "reason"))

    def resume(self, actor: Any, request: Any, text: str = "", *,
               version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """WAITING_ON_CLIENT -> IN_PROGRESS (the client answered, optionally
        with `text`); the clocks resume. Returns the request."""
        return self._upd(_lib.sd_request_resume, actor, request, version,
                         *_native.s(text, "text"))

    def respond(self, actor: Any, request: Any, text: str, *,
                version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Records an answer to the client; the first one stops the
        first-response clock. Returns the request."""
        return self._upd(_lib.sd_request_respond, actor, request, version,
                         *_native.s(text, "text"))

    def record_outcome(self, actor: Any, request: Any, outcome: Any, *,
                       version: Optional[int] = None
                       ) -> requests_pb2.ServiceRequest:
        """outcome: a v1.RequestOutcome or dict (answer, document_selection
        or enrollment)."""
        return self._upd(
            _lib.sd_request_record_outcome, actor, request, version,
            *_b(_msg(outcome, requests_pb2.RequestOutcome, "outcome")))

    def resolve(self, actor: Any, request: Any, resolution: str, *,
                version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Resolves the request with a resolution text; stops its clocks.
        Returns it (RESOLVED). A technical request with scheduled visits
        raises FailedPrecondition naming `visits`: complete or cancel them
        first."""
        return self._upd(_lib.sd_request_resolve, actor, request, version,
                         *_native.s(resolution, "resolution"))

    def close(self, actor: Any, request: Any, *,
              version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Closes a resolved request; returns it (CLOSED)."""
        return self._upd(_lib.sd_request_close, actor, request, version)

    def reopen(self, actor: Any, request: Any, reason: str, *,
               version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Reopens a resolved or closed request within the reopen window, with
        a reason; a fresh resolution clock starts. Returns it."""
        return self._upd(_lib.sd_request_reopen, actor, request, version,
                         *_native.s(reason, "reason"))

    def cancel(self, actor: Any, request: Any, reason: str, *,
               version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """Cancels an open request with a reason; its clocks and scheduled
        visits are cancelled. Returns it."""
        return self._upd(_lib.sd_request_cancel, actor, request, version,
                         *_native.s(reason, "reason"))

    def rate(self, actor: Any, request: Any, score: int, comment: str = "", *,
             version: Optional[int] = None) -> requests_pb2.ServiceRequest:
        """The request's contact rates it 1-5 with a comment, once, after
        resolution; returns the request."""
        return self._upd(_lib.sd_request_rate, actor, request, version,
                         _int32(score, "score"),
                         *_native.s(comment, "comment"))

    def change_priority(self, actor: Any, request: Any, priority: Any, *,
                        version: Optional[int] = None
                        ) -> requests_pb2.ServiceRequest:
        """Changes the priority (name or number); the targets are recomputed
        from the original start. Returns the request."""
        return self._upd(_lib.sd_request_change_priority, actor, request,
                         version,
                         _enum(priority, sla_pb2.Priority, "PRIORITY_",
                               "priority"))

    def change_kind(self, actor: Any, request: Any, kind: Any, *,
                    version: Optional[int] = None
                    ) -> requests_pb2.ServiceRequest:
        """Changes the kind (name or number); targets recomputed, the request
        reassigned if its assignee may not take the new kind. Returns it."""
        return self._upd(_lib.sd_request_change_kind, actor, request, version,
                         _enum(kind, sla_pb2.ServiceKind, "SERVICE_KIND_",
                               "kind"))


class Dialogs(_Area):
    """desk.dialogs: servicedesk::Dialogs (online dialogs). Dialog calls take
    a v1.Dialog or its id and no version."""

    def open(self, actor: Any, topic: str,
             first_message: str) -> requests_pb2.Dialog:
        """A client contact opens a dialog ("Ask a question"): creates its
        ONLINE_DIALOG request and queues it; returns the v1.Dialog."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_open, actor,
                         *_native.s(topic, "topic"),
                         *_native.s(first_message, "first_message"))

    def get(self, actor: Any, dialog: Any) -> requests_pb2.Dialog:
        """The dialog `id` (v1.Dialog, with its transcript)."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_get, actor,
                         *_id_arg(dialog, "dialog"))

    def list(self, actor: Any, *, center_id: str = "",
             organization_id: str = "", state: Any = None, page_size: int = 0,
             page_token: str = "") -> c_api_pb2.DialogList:
        """Dialogs by center, organisation and state (c_api.DialogList: .items,
        .next_page_token)."""
        req = c_api_pb2.DialogListRequest(
            center_id=center_id, organization_id=organization_id,
            state=_enum(state, requests_pb2.DialogState, "DIALOG_STATE_",
                        "state"),
            page_size=_int32(page_size, "page_size"), page_token=page_token)
        return self._get(c_api_pb2.DialogList, _lib.sd_dialog_list, actor,
                         *_b(req.SerializeToString()))

    def take(self, actor: Any, dialog: Any = None) -> requests_pb2.Dialog:
        """The calling specialist takes the oldest waiting dialog of their
        center, or `dialog` when given (out of order)."""
        if dialog is not None:
            return self.take_specific(actor, dialog)
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_take, actor)

    def take_specific(self, actor: Any, dialog: Any) -> requests_pb2.Dialog:
        """A hotline specialist takes the waiting dialog `dialog` (not the
        oldest); returns it, now ACTIVE."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_take_specific,
                         actor, *_id_arg(dialog, "dialog"))

    def post(self, actor: Any, dialog: Any, text: str) -> requests_pb2.Dialog:
        """Posts a message in the dialog (its contact, or its current
        specialist); the first specialist message is the first response.
        Returns the dialog."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_post, actor,
                         *_id_arg(dialog, "dialog"),
                         *_native.s(text, "text"))

    def handover(self, actor: Any, dialog: Any, to_staff_id: str,
                 reason: str) -> requests_pb2.Dialog:
        """Hands an active dialog to another available, qualified hotline
        specialist with a reason; returns the dialog."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_handover, actor,
                         *_id_arg(dialog, "dialog"),
                         *_native.s(to_staff_id, "to_staff_id"),
                         *_native.s(reason, "reason"))

    def close(self, actor: Any, dialog: Any) -> requests_pb2.Dialog:
        """Closes the dialog: an active one resolves its request, a waiting one
        cancels it. Returns the dialog."""
        return self._get(requests_pb2.Dialog, _lib.sd_dialog_close, actor,
                         *_id_arg(dialog, "dialog"))

    def position(self, actor: Any, dialog: Any) -> requests_pb2.QueuePosition:
        """Where a waiting dialog stands: .position (1 = next), .waiting,
        .available_specialists (who could take it now) and .expected_wait (a
        Duration; .expected_wait.ToTimedelta()): ceil(position /
        available_specialists) times the center's recent average wait
        (position times it when nobody is available); .expected_at (a
        Timestamp: when that wait ends on the hotline's hours)."""
        return self._get(requests_pb2.QueuePosition, _lib.sd_dialog_position,
                         actor, *_id_arg(dialog, "dialog"))

    def set_available(self, actor: Any, staff_id: str,
                      available: bool) -> requests_pb2.DialogPresence:
        """Marks a hotline specialist available for dialogs or away (an away
        specialist can neither take dialogs nor be handed one)."""
        if not isinstance(available, bool):
            raise InvalidArgument("available: must be a bool")
        return self._get(requests_pb2.DialogPresence,
                         _lib.sd_dialog_set_available, actor,
                         *_native.s(staff_id, "staff_id"), int(available))

    def presence(self, actor: Any,
                 staff_id: str) -> requests_pb2.DialogPresence:
        """A hotline specialist's availability for dialogs (v1.DialogPresence;
        version 0 = never set, available)."""
        return self._get(requests_pb2.DialogPresence, _lib.sd_dialog_presence,
                         actor, *_native.s(staff_id, "staff_id"))


class TechSupport(_Area):
    """desk.techsupport: servicedesk::TechSupport (installations and on-site
    visits)."""

    def create_installation(self, actor: Any, installation: Any = None, *,
                            organization_id: str = "",
                            product_version: str = "", workstations: int = 0,
                            network: bool = False,
                            installed_sets: Sequence[str] = (),
                            address: str = "") -> requests_pb2.Installation:
        """From `installation` (a v1.Installation or dict) and/or keywords."""
        i = requests_pb2.Installation.FromString(
            _msg(installation, requests_pb2.Installation, "installation"))
        if organization_id:
            i.organization_id = organization_id
        if product_version:
            i.product_version = product_version
        if workstations:
            i.workstations = workstations
        if network:
            i.network = True
        if isinstance(installed_sets, (str, bytes)):
            raise InvalidArgument(
                "installed_sets: expected a list of names, got one string")
        if installed_sets:
            i.installed_sets.extend(installed_sets)
        if address:
            i.address = address
        return self._get(requests_pb2.Installation,
                         _lib.sd_installation_create, actor,
                         *_b(i.SerializeToString()))

    def update_installation(self, actor: Any,
                            installation: Any) -> requests_pb2.Installation:
        """installation.version must be the stored one (else Conflict)."""
        return self._get(
            requests_pb2.Installation, _lib.sd_installation_update, actor,
            *_b(_msg(installation, requests_pb2.Installation, "installation")))

    def get_installation(self, actor: Any,
                         id: str) -> requests_pb2.Installation:
        """The installation `id` (v1.Installation)."""
        return self._get(requests_pb2.Installation, _lib.sd_installation_get,
                         actor, *_id_arg(id, "id"))

    def list_installations(self, actor: Any, organization_id: str, *,
                           page_size: int = 0,
                           page_token: str = "") -> c_api_pb2.InstallationList:
        """An organisation's installations in creation order
        (c_api.InstallationList)."""
        return self._get(c_api_pb2.InstallationList, _lib.sd_installation_list,
                         actor, *_native.s(organization_id, "organization_id"),
                         *_page(page_size, page_token))

    def schedule_visit(self, actor: Any, visit: Any = None, *,
                       request_id: str = "", engineer_id: str = "",
                       start: Optional[_dt.datetime] = None,
                       end: Optional[_dt.datetime] = None,
                       notes: str = "") -> requests_pb2.Visit:
        """Books the engineer for [start, end) (aware datetimes, both
        required: a missing one raises InvalidArgument naming slot_start or
        slot_end): at most 24 hours, starting no earlier than the request's
        registration and at most 730 days from now (else InvalidArgument
        naming slot_end or slot_start). A slot that overlaps another
        scheduled visit raises FailedPrecondition."""
        v = requests_pb2.Visit.FromString(
            _msg(visit, requests_pb2.Visit, "visit"))
        if request_id:
            v.request_id = request_id
        if engineer_id:
            v.engineer_id = engineer_id
        if start is not None:
            _set_time(v.slot_start, start, "start")
        if end is not None:
            _set_time(v.slot_end, end, "end")
        if notes:
            v.notes = notes
        return self._get(requests_pb2.Visit, _lib.sd_visit_schedule, actor,
                         *_b(v.SerializeToString()))

    def complete_visit(self, actor: Any, visit: Any, notes: str = "", *,
                       version: Optional[int] = None) -> requests_pb2.Visit:
        """Marks a scheduled visit done (not before its slot begins); `notes`
        follow the planning notes. Returns the visit."""
        vid, v = _ref(visit, version, "visit")
        return self._get(requests_pb2.Visit, _lib.sd_visit_complete, actor,
                         *_native.s(vid, "id"), v, *_native.s(notes, "notes"))

    def cancel_visit(self, actor: Any, visit: Any, reason: str, *,
                     version: Optional[int] = None) -> requests_pb2.Visit:
        """Cancels a scheduled visit with a reason, freeing the engineer's
        slot; returns it."""
        vid, v = _ref(visit, version, "visit")
        return self._get(requests_pb2.Visit, _lib.sd_visit_cancel, actor,
                         *_native.s(vid, "id"), v,
                         *_native.s(reason, "reason"))

    def get_visit(self, actor: Any, id: str) -> requests_pb2.Visit:
        """The visit `id` (v1.Visit)."""
        return self._get(requests_pb2.Visit, _lib.sd_visit_get, actor,
                         *_id_arg(id, "id"))

    def list_visits(self, actor: Any, request_id: Any, *, page_size: int = 0,
                    page_token: str = "") -> c_api_pb2.VisitList:
        """A request's visits in slot order (c_api.VisitList)."""
        return self._get(c_api_pb2.VisitList, _lib.sd_visit_list, actor,
                         *_id_arg(request_id, "request_id"),
                         *_page(page_size, page_token))


class Reports(_Area):
    """desk.reports: servicedesk::Reports (Quality Standard compliance).
    `start` (inclusive) and `end` (exclusive) are aware datetimes; `by` names
    the groupings: any of "center", "kind", "channel", "staff"."""

    def compliance(self, actor: Any, start: _dt.datetime, end: _dt.datetime,
                   center_id: Optional[str] = None,
                   by: Union[str, Iterable[str], None] = ("center", "kind"),
                   *, period: Optional[str] = None, time_zone: str = ""
                   ) -> List[requests_pb2.ComplianceRow]:
        """The report's rows (sorted by period, then their group fields).
        `period` ("day", "week" or "month") splits [start, end) at the
        midnights of `time_zone` (an IANA name; "" = UTC)."""
        return list(self.compliance_report(actor, start, end, center_id, by,
                                           period=period,
                                           time_zone=time_zone).rows)

    def compliance_report(self, actor: Any, start: _dt.datetime,
                          end: _dt.datetime, center_id: Optional[str] = None,
                          by: Union[str, Iterable[str], None] = ("center",
                                                                 "kind"),
                          *, period: Optional[str] = None, time_zone: str = ""
                          ) -> requests_pb2.ComplianceReport:
        """The whole report: rows and backlog."""
        return self._get(requests_pb2.ComplianceReport,
                         _lib.sd_report_compliance, actor,
                         *_b(_query(start, end, center_id, by, period,
                                    time_zone)))

    def compliance_csv(self, actor: Any, start: _dt.datetime,
                       end: _dt.datetime, center_id: Optional[str] = None,
                       by: Union[str, Iterable[str], None] = ("center", "kind"),
                       *, period: Optional[str] = None, time_zone: str = ""
                       ) -> str:
        """The report's rows as CSV text, one table (header line first)."""
        return self._csv(_lib.sd_report_compliance_csv, actor, start, end,
                         center_id, by, period, time_zone)

    def backlog_csv(self, actor: Any, start: _dt.datetime, end: _dt.datetime,
                    center_id: Optional[str] = None,
                    by: Union[str, Iterable[str], None] = ("center", "kind"),
                    *, period: Optional[str] = None, time_zone: str = ""
                    ) -> str:
        """The report's backlog (open at each period's end, or now, by age)
        as CSV text, one table (header line first)."""
        return self._csv(_lib.sd_report_backlog_csv, actor, start, end,
                         center_id, by, period, time_zone)

    def _csv(self, fn: Any, actor: Any, start: _dt.datetime,
             end: _dt.datetime, center_id: Optional[str],
             by: Union[str, Iterable[str], None], period: Optional[str],
             time_zone: str) -> str:
        return self._call(fn, actor, *_b(_query(
            start, end, center_id, by, period, time_zone))).decode("utf-8")

    # A row's figures that may have no value: unset in the message when there
    # is no sample (no clock stopped, nothing judged, no rating).
    _OPTIONAL = ("compliance_pct", "first_response_p50", "first_response_p90",
                 "resolution_p50", "resolution_p90", "satisfaction_avg")

    @staticmethod
    def figures(row: Union[requests_pb2.ComplianceRow,
                           requests_pb2.BacklogRow]) -> dict:
        """A ComplianceRow or BacklogRow as a dict: every field by name,
        times as aware datetimes, durations as timedelta, and None for a
        figure without a sample (compliance_pct when nothing was met or
        breached, percentiles when no clock stopped, satisfaction_avg
        without ratings) where the message reads 0."""
        if not isinstance(row, (requests_pb2.ComplianceRow,
                                requests_pb2.BacklogRow)):
            raise InvalidArgument(
                "row: expected a ComplianceRow or a BacklogRow, got "
                f"{type(row).__name__}")
        out = {}
        for field in row.DESCRIPTOR.fields:
            name = field.name
            if name in Reports._OPTIONAL and not row.HasField(name):
                out[name] = None
                continue
            value = getattr(row, name)
            if isinstance(value, Timestamp):
                value = (value.ToDatetime(tzinfo=_dt.timezone.utc)
                         if row.HasField(name) else None)
            elif isinstance(value, Message):
                value = value.ToTimedelta()
            out[name] = value
        return out

    @staticmethod
    def to_csv(report: Any) -> str:
        """A v1.ComplianceReport's (or dict's) rows as CSV text."""
        return _report_csv(_lib.sd_report_to_csv, report)

    @staticmethod
    def backlog_to_csv(report: Any) -> str:
        """A v1.ComplianceReport's (or dict's) backlog as CSV text."""
        return _report_csv(_lib.sd_report_backlog_to_csv, report)


def _report_csv(fn: Any, report: Any) -> str:
    data = _msg(report, requests_pb2.ComplianceReport, "report")
    return _native.call_out(fn, data, len(data),
                            _native.SD_FORMAT_PROTO).decode("utf-8")
