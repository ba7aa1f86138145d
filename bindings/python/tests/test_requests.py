"""desk.requests, desk.dialogs, desk.techsupport and desk.reports, end to end
over the C ABI."""

import datetime as dt
import os
import subprocess
import sys
import types

import pytest

import servicedesk as sd
from servicedesk import v1

UTC = dt.timezone.utc
MSK = dt.timezone(dt.timedelta(hours=3))
ADMIN = sd.admin("root")
MONDAY_1000 = dt.datetime(2025, 3, 3, 10, tzinfo=MSK)


@pytest.fixture
def clock():
    return sd.ManualClock(MONDAY_1000)


@pytest.fixture
def desk(clock):
    with sd.open("memory:", clock=clock) as d:
        yield d


def _staff(desk, center_id, name, roles, quals=()):
    return desk.staff.create(ADMIN, v1.StaffMember(
        center_id=center_id, full_name=name,
        email=name.lower().replace(" ", ".") + "@center.example",
        phone="+7 495 111-22-33", roles=roles,
        qualifications=[v1.Qualification(code=q, title=q) for q in quals]))


@pytest.fixture
def w(desk):
    return _world(desk)


def _world(desk):
    """Two centers on a Mon-Fri 09:00-18:00 calendar; in Moscow a head, a
    qualified hotline specialist and an engineer, a client and its contact;
    in Spb a head, a client and its contact."""
    spec = sd.BusinessCalendar(
        "Europe/Moscow", {d: [("09:00", "18:00")] for d in range(5)}).spec
    spec.id, spec.name = "msk-office", "Moscow office"
    desk.calendars.create(ADMIN, spec)
    center = desk.centers.create(ADMIN, v1.ServiceCenter(
        code="MSK-01", name="Moscow", region="Moscow",
        time_zone="Europe/Moscow", calendar_id="msk-office"))
    other_center = desk.centers.create(ADMIN, v1.ServiceCenter(
        code="SPB-01", name="Spb", region="Spb", time_zone="Europe/Moscow",
        calendar_id="msk-office"))
    head = _staff(desk, center.id, "Anna Head",
                  [v1.STAFF_ROLE_CENTER_HEAD, v1.STAFF_ROLE_PERSONAL_MANAGER])
    spec = _staff(desk, center.id, "Ivan Hotline",
                  [v1.STAFF_ROLE_HOTLINE_SPECIALIST], ["hotline"])
    engineer = _staff(desk, center.id, "Egor Engineer",
                      [v1.STAFF_ROLE_ENGINEER], ["tech-support"])
    other_head = _staff(desk, other_center.id, "Petr Head",
                        [v1.STAFF_ROLE_CENTER_HEAD,
                         v1.STAFF_ROLE_PERSONAL_MANAGER])
    org = desk.organizations.create(ADMIN, v1.Organization(
        name="Horns and Hooves", tax_id="7707083893",
        tier=v1.CLIENT_TIER_PREMIUM, center_id=center.id), head.id)
    other_org = desk.organizations.create(ADMIN, v1.Organization(
        name="Roga Spb", tax_id="7830002293", tier=v1.CLIENT_TIER_STANDARD,
        center_id=other_center.id), other_head.id)
    contact = desk.contacts.create(ADMIN, v1.Contact(
        organization_id=org.id, full_name="Olga Client",
        email="olga@horns.example", phone="+7 999 000-11-22"))
    other_contact = desk.contacts.create(ADMIN, v1.Contact(
        organization_id=other_org.id, full_name="Oleg Other",
        email="oleg@roga.example", phone="+7 999 000-11-33"))
    return types.SimpleNamespace(
        center=center, other_center=other_center, head=head, spec=spec,
        engineer=engineer, other_head=other_head, org=org,
        other_org=other_org, contact=contact, other_contact=other_contact,
        client=sd.contact_actor(contact.id),
        other_client=sd.contact_actor(other_contact.id),
        specialist=sd.staff_actor(spec.id),
        engineer_actor=sd.staff_actor(engineer.id),
        head_actor=sd.staff_actor(head.id),
        other_head_actor=sd.staff_actor(other_head.id))


def _open_hotline(desk, w, **kw):
    return desk.requests.open(
        w.client, organization_id=w.org.id, kind="HOTLINE_QUESTION",
        channel=v1.CHANNEL_PHONE_HOTLINE,
        subject=kw.pop("subject", "How do I find the current Tax Code?"),
        description="The version in force from January.", **kw)


def test_reopen_window_and_other_desk_options(clock, tmp_path):
    with sd.open("memory:", clock=clock,
                 reopen_window=dt.timedelta(hours=1),
                 dialog_wait_samples=5) as desk:
        w = _world(desk)
        req = _open_hotline(desk, w)
        req = desk.requests.respond(w.specialist, req, "Looking.")
        req = desk.requests.resolve(w.specialist, req, "Sent the link.")
        clock.advance(dt.timedelta(hours=2))  # past the one-hour window
        with pytest.raises(sd.FailedPrecondition, match="reopen_window"):
            desk.requests.reopen(w.client, req, "One more question")
    with sd.open("memory:", clock=clock, reopen_window=dt.timedelta(0)) as desk:
        w = _world(desk)
        req = _open_hotline(desk, w)
        req = desk.requests.respond(w.specialist, req, "Looking.")
        req = desk.requests.resolve(w.specialist, req, "Sent the link.")
        with pytest.raises(sd.FailedPrecondition, match="reopen_window"):
            desk.requests.reopen(w.client, req, "Right away")
    for kwargs, field in [
            ({"reopen_window": dt.timedelta(seconds=-1)}, "reopen_window"),
            ({"reopen_window": 3600}, "reopen_window"),
            ({"dialog_wait_samples": 0}, "dialog_wait_samples"),
            ({"dialog_wait_samples": 2**32 + 5}, "dialog_wait_samples"),
            ({"dialog_wait_samples": True}, "dialog_wait_samples"),
            ({"sqlite_busy_timeout_ms": -1}, "busy_timeout_ms"),
            ({"sqlite_background_checkpoint": "no"},
             "sqlite_background_checkpoint")]:
        with pytest.raises(sd.InvalidArgument, match=field):
            sd.open("sqlite:" + str(tmp_path / "never.db"), **kwargs)
    assert not (tmp_path / "never.db").exists()
    with sd.open(str(tmp_path / "d.db"), sqlite_busy_timeout_ms=100,
                 sqlite_background_checkpoint=False) as desk:
        assert len(desk.centers.list(ADMIN).items) == 0


def test_request_lifecycle(desk, clock, w):
    req = _open_hotline(desk, w)
    assert req.state == v1.REQUEST_STATE_ASSIGNED
    assert req.assignee_id == w.spec.id  # the qualified specialist
    assert req.contact_id == w.contact.id and req.center_id == w.center.id
    assert req.registered_at.ToDatetime(tzinfo=UTC) == MONDAY_1000

    clock.advance(dt.timedelta(minutes=5))
    req = desk.requests.respond(w.specialist, req, "Use the systematized code.")
    assert req.state == v1.REQUEST_STATE_IN_PROGRESS
    assert req.first_response_at.ToDatetime(tzinfo=UTC) == \
        MONDAY_1000 + dt.timedelta(minutes=5)
    req = desk.requests.wait_on_client(w.specialist, req, "Which region?")
    assert req.state == v1.REQUEST_STATE_WAITING_ON_CLIENT
    clock.advance(dt.timedelta(hours=1))
    # By id with an explicit version.
    req = desk.requests.resume(w.client, req.id, "Moscow", version=req.version)
    assert req.state == v1.REQUEST_STATE_IN_PROGRESS
    assert [m.text for m in req.messages][-1] == "Moscow"
    req = desk.requests.record_outcome(w.specialist, req, {
        "documentSelection": {"documents": [
            {"documentId": "LAW-117", "title": "Tax Code, part 2"}]}})
    assert req.outcomes[0].document_selection.documents[0].document_id == \
        "LAW-117"
    assert req.outcomes[0].recorded_by == w.spec.id
    req = desk.requests.resolve(w.specialist, req, "Answered by phone")
    assert req.state == v1.REQUEST_STATE_RESOLVED
    # 2**32 + 3 would reach C as 3 if it were not refused first.
    with pytest.raises(sd.InvalidArgument, match="score"):
        desk.requests.rate(w.client, req, 2**32 + 3)
    req = desk.requests.rate(w.client, req, 5, "Quick and clear")
    assert req.rating.score == 5 and req.rating.contact_id == w.contact.id
    with pytest.raises(sd.AlreadyExists):
        desk.requests.rate(w.client, req, 4)
    req = desk.requests.close(w.client, req)
    assert req.state == v1.REQUEST_STATE_CLOSED
    req = desk.requests.reopen(w.client, req, "The link is broken")
    assert req.state == v1.REQUEST_STATE_IN_PROGRESS and req.reopen_count == 1
    req = desk.requests.change_priority(w.specialist, req, "URGENT")
    assert req.priority == v1.PRIORITY_URGENT
    req = desk.requests.change_kind(w.specialist, req,
                                    v1.SERVICE_KIND_SEARCH_CONSULTATION)
    assert req.kind == v1.SERVICE_KIND_SEARCH_CONSULTATION
    req = desk.requests.cancel(w.client, req, "Found it myself")
    assert req.state == v1.REQUEST_STATE_CANCELLED
    assert desk.requests.get(w.client, req.id) == req
    history = [h.to for h in req.history]
    assert history[-1] == v1.REQUEST_STATE_CANCELLED
    actions = [e.action for e in desk.events.list(ADMIN)
               if e.entity_type == "request" and e.entity_id == req.id]
    assert actions[0] == "opened" and "rated" in actions


def test_stale_version_is_conflict(desk, w):
    req = _open_hotline(desk, w)
    fresh = desk.requests.respond(w.specialist, req, "First answer")
    with pytest.raises(sd.Conflict) as e:
        desk.requests.respond(w.specialist, req, "Second answer")  # stale
    assert "version" in e.value.message
    assert desk.requests.get(ADMIN, req.id) == fresh  # nothing written
    with pytest.raises(sd.InvalidArgument):
        desk.requests.start(w.specialist, req.id)  # id without a version


def test_illegal_transition_is_failed_precondition(desk, w):
    req = _open_hotline(desk, w)
    req = desk.requests.respond(w.specialist, req, "Answer")
    req = desk.requests.resolve(w.specialist, req, "Done")
    with pytest.raises(sd.FailedPrecondition) as e:
        desk.requests.wait_on_client(w.specialist, req, "One more thing")
    assert "cannot go from RESOLVED to WAITING_ON_CLIENT" in e.value.message
    with pytest.raises(sd.FailedPrecondition) as e:
        desk.requests.respond(w.specialist, req, "More")
    assert "RESOLVED to IN_PROGRESS" in e.value.message
    with pytest.raises(sd.FailedPrecondition):
        desk.requests.start(w.specialist, req)
    # Malformed input is named whatever the state.
    with pytest.raises(sd.InvalidArgument, match="reason"):
        desk.requests.cancel(w.client, req, "")


def test_a_contact_opens_for_its_own_organization(desk, w):
    req = desk.requests.open(w.client, kind="HOTLINE_QUESTION",
                             channel="PHONE_HOTLINE", subject="Tax Code?")
    assert req.organization_id == w.org.id
    assert req.contact_id == w.contact.id
    with pytest.raises(sd.InvalidArgument, match="organization_id"):
        desk.requests.open(w.specialist, kind="HOTLINE_QUESTION",
                           channel="PHONE_HOTLINE", subject="Tax Code?")


def test_sla_calls_leave_request_clocks_to_the_request(desk, clock, w):
    req = _open_hotline(desk, w)
    with pytest.raises(sd.FailedPrecondition, match="subject_id"):
        desk.sla.pause(ADMIN, req.id, clock.now())
    with pytest.raises(sd.FailedPrecondition, match="subject_id"):
        desk.sla.stop(ADMIN, req.id, v1.CLOCK_KIND_FIRST_RESPONSE,
                      clock.now())
    assert {c.state for c in desk.sla.clocks(ADMIN, req.id)} == \
        {v1.CLOCK_STATE_RUNNING}


def test_contact_of_another_org_is_refused(desk, w):
    req = _open_hotline(desk, w)
    # Another organisation's records read as ids nobody has.
    with pytest.raises(sd.NotFound, match=f"id: request '{req.id}' not found"):
        desk.requests.get(w.other_client, req.id)
    with pytest.raises(sd.PermissionDenied):
        desk.requests.list(w.other_client, organization_id=w.org.id)
    with pytest.raises(sd.NotFound, match="organization_id"):
        _open_hotline(desk, types.SimpleNamespace(
            client=w.other_client, org=w.org))
    with pytest.raises(sd.NotFound):
        desk.requests.cancel(w.other_client, req, "not mine")
    with pytest.raises(sd.PermissionDenied):
        desk.requests.respond(w.client, req, "contacts do not respond")
    assert desk.requests.get(ADMIN, req.id).version == req.version


def test_page_tokens_continue_only_their_own_query(clock, tmp_path):
    path = str(tmp_path / "desk.db")
    with sd.open("sqlite:" + path, clock=clock) as desk:
        w = _world(desk)
        ids = [_open_hotline(desk, w, subject=s).id for s in ("A", "B")]
        page = desk.requests.list(ADMIN, center_id=w.center.id, page_size=1)
        token = page.next_page_token
        assert token
        refused = "page_token: does not belong to this query"
        with pytest.raises(sd.InvalidArgument, match=refused):
            desk.requests.list(ADMIN, organization_id=w.org.id, page_size=1,
                               page_token=token)
        with pytest.raises(sd.InvalidArgument, match=refused):
            desk.staff.list(ADMIN, page_token=token)
    # Another process (as sdctl or a web worker would be) continues the
    # same query with the token.
    script = ("import sys, servicedesk as sd\n"
              "with sd.open('sqlite:' + sys.argv[1]) as d:\n"
              "    r = d.requests.list(sd.admin('root'), center_id=sys.argv[2],"
              " page_size=1, page_token=sys.argv[3])\n"
              "    print(' '.join(x.id for x in r.items))\n")
    out = subprocess.run([sys.executable, "-c", script, path, w.center.id,
                          token], capture_output=True, text=True, check=True)
    assert [page.items[0].id] + out.stdout.split() == ids


def test_lists_queue_and_assignment(desk, w):
    a = _open_hotline(desk, w, subject="First")
    b = _open_hotline(desk, w, subject="Second")
    mine = desk.requests.list(w.client, organization_id=w.org.id)
    assert [r.id for r in mine.items] == [a.id, b.id]
    assert mine.next_page_token == ""
    page = desk.requests.list(ADMIN, center_id=w.center.id, page_size=1)
    assert len(page.items) == 1 and page.next_page_token
    rest = desk.requests.list(ADMIN, center_id=w.center.id, page_size=1,
                              page_token=page.next_page_token)
    assert [r.id for r in list(page.items) + list(rest.items)] == [a.id, b.id]
    assert len(desk.requests.list(ADMIN, state="NEW").items) == 0
    assert len(desk.requests.list(ADMIN, assignee_id=w.spec.id,
                                  kind="HOTLINE_QUESTION").items) == 2
    assert len(desk.requests.queue(ADMIN, w.center.id).items) == 0
    assert desk.requests.assign_queued(ADMIN, w.center.id) == []
    with pytest.raises(sd.FailedPrecondition) as e:
        desk.requests.assign(ADMIN, a, w.engineer.id, "no hotline role")
    assert "staff_id" in e.value.message
    with pytest.raises(sd.InvalidArgument):
        desk.requests.list(ADMIN, state="NO_SUCH_STATE")


def test_dialog(desk, clock, w):
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.open(w.specialist, "Topic", "Hello")
    d = desk.dialogs.open(w.client, "VAT refunds",
                          "Where is the new VAT refund form?")
    assert d.state == v1.DIALOG_STATE_WAITING and d.request_id
    second = desk.dialogs.open(w.client, "Second", "Another question")
    pos = desk.dialogs.position(w.client, d)
    assert (pos.position, pos.waiting) == (1, 2)
    assert desk.dialogs.position(w.client, second.id).position == 2
    assert pos.expected_wait.ToTimedelta() > dt.timedelta(0)
    assert pos.HasField("expected_at")
    assert pos.expected_at.ToDatetime() >= clock.now().replace(tzinfo=None)
    assert pos.available_specialists >= 1
    with pytest.raises(sd.NotFound):
        desk.dialogs.position(w.other_client, d)

    clock.advance(dt.timedelta(seconds=30))
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.take(w.engineer_actor)
    # Away: takes nothing until available again.
    assert desk.dialogs.presence(w.specialist, w.spec.id).available
    away = desk.dialogs.set_available(w.specialist, w.spec.id, False)
    assert not away.available and away.set_by == "staff:" + w.spec.id
    with pytest.raises(sd.FailedPrecondition, match="away"):
        desk.dialogs.take(w.specialist)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.set_available(w.client, w.spec.id, True)
    with pytest.raises(sd.InvalidArgument, match="available"):
        desk.dialogs.set_available(ADMIN, w.spec.id, "yes")
    assert desk.dialogs.set_available(ADMIN, w.spec.id, True).available
    taken = desk.dialogs.take(w.specialist)  # the oldest waiting
    assert taken.id == d.id and taken.state == v1.DIALOG_STATE_ACTIVE
    assert taken.specialist_id == w.spec.id
    assert taken.queue_wait.ToTimedelta() == dt.timedelta(seconds=30)
    assert desk.dialogs.position(w.client, second).position == 1
    with pytest.raises(sd.FailedPrecondition):
        desk.dialogs.position(w.client, d)

    desk.dialogs.post(w.specialist, d, "Hello! See the Forms section.")
    # Handover to another qualified specialist and back.
    with pytest.raises(sd.FailedPrecondition) as e:
        desk.dialogs.handover(w.specialist, d, w.engineer.id, "not hotline")
    assert "to_staff_id" in e.value.message
    maria = _staff(desk, w.center.id, "Maria Hotline",
                   [v1.STAFF_ROLE_HOTLINE_SPECIALIST], ["hotline"])
    moved = desk.dialogs.handover(w.specialist, d, maria.id, "end of shift")
    assert moved.specialist_id == maria.id
    assert moved.handovers[-1].staff_id == maria.id
    assert moved.handovers[-1].reason == "end of shift"
    d = desk.dialogs.handover(sd.staff_actor(maria.id), d, w.spec.id, "back")
    assert d.specialist_id == w.spec.id
    d = desk.dialogs.post(w.client, d.id, "Found it, thanks")
    assert [(m.staff_id, m.contact_id) for m in d.messages][-2:] == \
        [(w.spec.id, ""), ("", w.contact.id)]
    with pytest.raises(sd.NotFound):
        desk.dialogs.post(w.other_client, d, "Hi")
    assert [x.id for x in desk.dialogs.list(
        ADMIN, center_id=w.center.id, state="WAITING").items] == [second.id]
    d = desk.dialogs.close(w.client, d)
    assert d.state == v1.DIALOG_STATE_CLOSED
    with pytest.raises(sd.FailedPrecondition):
        desk.dialogs.close(w.client, d)
    req = desk.requests.get(w.client, d.request_id)
    assert req.state == v1.REQUEST_STATE_RESOLVED
    # The transcript is part of the request.
    assert [(m.text, m.staff_id, m.contact_id, m.at.ToDatetime())
            for m in req.messages] == \
        [(m.text, m.staff_id, m.contact_id, m.at.ToDatetime())
         for m in d.messages]
    assert req.messages[0].text == "Where is the new VAT refund form?"
    # Taking a given dialog out of order, then closing it unanswered.
    taken = desk.dialogs.take(w.specialist, second)
    assert taken.id == second.id
    with pytest.raises(sd.NotFound):
        desk.dialogs.take(w.specialist)  # nobody waits


def test_dialog_expected_wait_is_shared_among_available_specialists(desk,
                                                                    w):
    """Three specialists take the first three dialogs in one round: the third
    expects one first-response target (60 s), not three."""
    for topic in ("First", "Second"):
        desk.dialogs.open(w.client, topic, "A question")
    third = desk.dialogs.open(w.client, "Third", "A question")
    one = desk.dialogs.position(w.client, third)
    assert (one.position, one.available_specialists) == (3, 1)
    assert one.expected_wait.ToTimedelta() == dt.timedelta(seconds=180)
    for name in ("Maria Hotline", "Pavel Hotline"):
        _staff(desk, w.center.id, name, [v1.STAFF_ROLE_HOTLINE_SPECIALIST],
               ["hotline"])
    three = desk.dialogs.position(w.client, third)
    assert three.available_specialists == 3
    assert three.expected_wait.ToTimedelta() == dt.timedelta(seconds=60)
    assert (three.expected_at.ToDatetime() - one.expected_at.ToDatetime()
            == dt.timedelta(seconds=-120))


def test_techsupport(desk, clock, w):
    with pytest.raises(sd.PermissionDenied):
        desk.techsupport.create_installation(
            w.client, organization_id=w.org.id, product_version="2025.1",
            workstations=12)
    inst = desk.techsupport.create_installation(
        ADMIN, organization_id=w.org.id, product_version="2025.1",
        workstations=12, network=True, installed_sets=["federal-law"],
        address="Moscow, Tverskaya 1")
    assert inst.active and inst.center_id == w.center.id
    assert desk.techsupport.get_installation(w.client, inst.id) == inst
    inst.workstations = 14
    updated = desk.techsupport.update_installation(ADMIN, inst)
    assert updated.workstations == 14 and updated.version == inst.version + 1
    with pytest.raises(sd.Conflict):
        desk.techsupport.update_installation(ADMIN, inst)  # stale
    assert [i.id for i in desk.techsupport.list_installations(
        ADMIN, w.org.id).items] == [inst.id]

    req = desk.requests.open(
        w.client, organization_id=w.org.id, kind="TECH_SETUP",
        channel="PHONE_HOTLINE", subject="Set up the new workstations",
        installation_id=inst.id)
    assert req.assignee_id == w.engineer.id
    tue10 = dt.datetime(2025, 3, 4, 10, tzinfo=MSK)
    visit = desk.techsupport.schedule_visit(
        w.engineer_actor, request_id=req.id, engineer_id=w.engineer.id,
        start=tue10, end=tue10 + dt.timedelta(hours=2), notes="Bring a DVD")
    assert visit.state == v1.VISIT_STATE_SCHEDULED
    assert visit.installation_id == inst.id
    assert visit.slot_start.ToDatetime(tzinfo=UTC) == tue10
    with pytest.raises(sd.FailedPrecondition) as e:
        desk.techsupport.schedule_visit(
            ADMIN, request_id=req.id, engineer_id=w.engineer.id,
            start=tue10 + dt.timedelta(hours=1),
            end=tue10 + dt.timedelta(hours=3))
    assert visit.id in e.value.message
    with pytest.raises(sd.InvalidArgument):
        desk.techsupport.schedule_visit(
            ADMIN, request_id=req.id, engineer_id=w.engineer.id,
            start=dt.datetime(2025, 3, 4, 10), end=tue10)  # naive
    later = desk.techsupport.schedule_visit(ADMIN, v1.Visit(
        request_id=req.id, engineer_id=w.engineer.id),
        start=tue10 + dt.timedelta(hours=2),
        end=tue10 + dt.timedelta(hours=3))  # touching is fine
    later = desk.techsupport.cancel_visit(ADMIN, later, "not needed")
    assert later.state == v1.VISIT_STATE_CANCELLED
    with pytest.raises(sd.Conflict):
        desk.techsupport.complete_visit(w.engineer_actor, visit.id,
                                        version=visit.version + 1)
    with pytest.raises(sd.FailedPrecondition, match="slot_start"):
        desk.techsupport.complete_visit(w.engineer_actor, visit, "early")
    clock.set(tue10)
    done = desk.techsupport.complete_visit(w.engineer_actor, visit,
                                           "Set up 14 workstations")
    assert done.state == v1.VISIT_STATE_DONE
    assert desk.techsupport.get_visit(w.client, visit.id) == done
    assert [v.id for v in desk.techsupport.list_visits(ADMIN, req).items] == \
        [visit.id, later.id]


def test_visits_are_settled_before_resolving_or_deactivating(desk, clock, w):
    inst = desk.techsupport.create_installation(
        ADMIN, organization_id=w.org.id, product_version=" 2025.1 ",
        workstations=3, installed_sets=["federal-law  "])
    assert inst.product_version == "2025.1"  # stored trimmed
    assert list(inst.installed_sets) == ["federal-law"]
    with pytest.raises(sd.InvalidArgument, match="product_version: .*empty"):
        desk.techsupport.create_installation(
            ADMIN, organization_id=w.org.id, product_version="   ",
            workstations=3)
    req = desk.requests.open(
        w.client, organization_id=w.org.id, kind="TECH_RECOVERY",
        channel="PHONE_HOTLINE", subject="The server does not start",
        installation_id=inst.id)
    tue10 = dt.datetime(2025, 3, 4, 10, tzinfo=MSK)
    with pytest.raises(sd.InvalidArgument, match="slot_end: .*24 hours"):
        desk.techsupport.schedule_visit(
            ADMIN, request_id=req.id, engineer_id=w.engineer.id,
            start=tue10, end=tue10 + dt.timedelta(days=2))
    with pytest.raises(sd.InvalidArgument, match="slot_start: .*registered"):
        desk.techsupport.schedule_visit(
            ADMIN, request_id=req.id, engineer_id=w.engineer.id,
            start=MONDAY_1000 - dt.timedelta(days=1),
            end=MONDAY_1000 - dt.timedelta(hours=23))
    # Another engineer goes on site; the request stays with w.engineer.
    visiting = _staff(desk, w.center.id, "Vera Visiting",
                      [v1.STAFF_ROLE_ENGINEER], ["tech-support"])
    visit = desk.techsupport.schedule_visit(
        ADMIN, request_id=req.id, engineer_id=visiting.id,
        start=tue10, end=tue10 + dt.timedelta(hours=2))
    req = desk.requests.start(w.engineer_actor, req)
    with pytest.raises(sd.FailedPrecondition, match="visits: ") as e:
        desk.requests.resolve(w.engineer_actor, req, "Restarted")
    assert visit.id in e.value.message
    with pytest.raises(sd.FailedPrecondition,
                       match="1 scheduled visit that has not ended") as e:
        desk.staff.deactivate(ADMIN, visiting.id)
    assert visit.id in e.value.message
    # Nor does the engineer lose what the visit was booked on.
    changed = desk.staff.get(ADMIN, visiting.id)
    del changed.roles[:]
    changed.roles.append(v1.STAFF_ROLE_HOTLINE_SPECIALIST)
    with pytest.raises(sd.FailedPrecondition, match="roles: .*ENGINEER") as e:
        desk.staff.update(ADMIN, changed)
    assert visit.id in e.value.message
    changed = desk.staff.get(ADMIN, visiting.id)
    del changed.qualifications[:]
    with pytest.raises(sd.FailedPrecondition, match="qualifications: ") as e:
        desk.staff.update(ADMIN, changed)
    assert visit.id in e.value.message
    assert desk.staff.get(ADMIN, visiting.id).qualifications[0].code == \
        "tech-support"
    clock.set(tue10)
    desk.techsupport.complete_visit(sd.staff_actor(visiting.id), visit,
                                    "Restarted")
    req = desk.requests.resolve(w.engineer_actor, req, "Restarted")
    assert req.state == v1.REQUEST_STATE_RESOLVED
    assert not desk.staff.deactivate(ADMIN, visiting.id).active


def test_compliance_report(desk, clock, w):
    req = _open_hotline(desk, w)
    req = desk.requests.respond(w.specialist, req, "Answer")
    clock.advance(dt.timedelta(hours=1))
    req = desk.requests.resolve(w.specialist, req, "Done")
    desk.requests.rate(w.client, req, 4)
    clock.advance(dt.timedelta(hours=1))
    _open_hotline(desk, w, subject="Still open")  # Monday 12:00, due 16:00

    # Since 11:30 one request came in and nothing stopped or was rated: the
    # figures without a sample are None, not zeros.
    since = desk.reports.compliance(
        ADMIN, dt.datetime(2025, 3, 3, 11, 30, tzinfo=MSK),
        dt.datetime(2025, 3, 4, tzinfo=MSK), center_id=w.center.id, by=())
    assert len(since) == 1
    figures = sd.Reports.figures(since[0])
    assert figures["requests"] == 1 and figures["met"] == 0
    assert figures["breached"] == 0  # due at 16:00, not yet
    for name in ("compliance_pct", "first_response_p50", "first_response_p90",
                 "resolution_p50", "resolution_p90", "satisfaction_avg"):
        assert figures[name] is None, name
    assert not since[0].HasField("compliance_pct")
    assert figures["satisfaction_count"] == 0

    start = dt.datetime(2025, 3, 1, tzinfo=UTC)
    end = dt.datetime(2025, 3, 10, tzinfo=UTC)
    clock.advance(dt.timedelta(hours=5))  # 17:00: the open one is overdue
    rows = desk.reports.compliance(ADMIN, start, end)
    assert rows and all(isinstance(r, v1.ComplianceRow) for r in rows)
    hotline = [r for r in rows if r.center_id == w.center.id and
               r.kind == v1.SERVICE_KIND_HOTLINE_QUESTION]
    assert len(hotline) == 1
    row = hotline[0]
    # The resolved one met its target; the open one has been overdue since
    # 16:00 (4 business hours), which counts as breached.
    assert row.requests == 2 and row.met == 1 and row.breached == 1
    assert row.compliance_pct == 50.0
    assert row.resolution_p50.ToTimedelta() == dt.timedelta(hours=1)
    assert row.satisfaction_count == 1 and row.satisfaction_avg == 4.0
    figures = sd.Reports.figures(row)
    assert figures["compliance_pct"] == 50.0
    assert figures["resolution_p50"] == dt.timedelta(hours=1)

    by_center = desk.reports.compliance(ADMIN, start, end, by="center")
    assert {r.center_id for r in by_center} >= {w.center.id}
    assert all(r.kind == v1.SERVICE_KIND_UNSPECIFIED for r in by_center)
    only = desk.reports.compliance(sd.staff_actor(w.head.id), start, end,
                                   center_id=w.center.id, by=("kind",))
    assert sum(r.requests for r in only) == 2

    report = desk.reports.compliance_report(ADMIN, start, end)
    assert list(report.rows) == rows
    assert report.to.ToDatetime(tzinfo=UTC) == end
    csv = desk.reports.compliance_csv(ADMIN, start, end)
    header, *lines = csv.splitlines()
    assert "center" in header and len(lines) == len(report.rows)
    assert csv == sd.Reports.to_csv(report)
    # The backlog is a CSV table of its own.
    backlog = desk.reports.backlog_csv(ADMIN, start, end)
    assert backlog == sd.Reports.backlog_to_csv(report)
    assert backlog.splitlines()[0] == ("period_start,period_end,backlog_at,"
                                       "center_id,kind,channel,staff_id,"
                                       "age_bucket,count")
    assert len(backlog.splitlines()) == 1 + len(report.backlog)
    # Backlog rows read as dicts too, times aware, unset ones None.
    assert report.backlog
    for b in report.backlog:
        d = sd.Reports.figures(b)
        assert d["count"] == b.count and d["age_bucket"] == b.age_bucket
        assert d["at"] is None or d["at"].tzinfo is not None
    with pytest.raises(sd.InvalidArgument, match="row"):
        sd.Reports.figures(report)
    # By day: a backlog per begun day (here only Monday's and the open one's
    # days can have one), each line naming its day.
    daily = desk.reports.backlog_csv(ADMIN, start, end, center_id=w.center.id,
                                     by=(), period="day",
                                     time_zone="Europe/Moscow")
    lines = daily.splitlines()[1:]
    assert lines and all(line.split(",")[2] for line in lines)

    with pytest.raises(sd.PermissionDenied):
        desk.reports.compliance(w.client, start, end)
    with pytest.raises(sd.InvalidArgument):
        desk.reports.compliance(ADMIN, end, start)
    with pytest.raises(sd.InvalidArgument):
        desk.reports.compliance(ADMIN, start, end, by=("weekday",))

    # Rows per day in Moscow: the request resolved and the one still open
    # were both registered on Monday 3 March, so one row, that day's.
    days = desk.reports.compliance(ADMIN, start, end, center_id=w.center.id,
                                   by=("kind",), period="day",
                                   time_zone="Europe/Moscow")
    assert len(days) == 1
    day = sd.Reports.figures(days[0])
    assert day["period_start"] == dt.datetime(2025, 3, 3, tzinfo=MSK)
    assert day["period_end"] == dt.datetime(2025, 3, 4, tzinfo=MSK)
    assert day["requests"] == 2 and day["met"] == 1 and day["breached"] == 1
    # A month is clipped to [start, end); the CSV says which stretch a line
    # counts.
    month = desk.reports.compliance_csv(ADMIN, start, end,
                                        center_id=w.center.id, by=(),
                                        period="month")
    first = month.splitlines()[1].split(",")
    assert first[:2] == ["2025-03-01T00:00:00Z", "2025-03-10T00:00:00Z"]
    # Periods and groupings take any case, and the full enum name, as other
    # enum arguments do.
    for spelling in ("MONTH", "Month", "REPORT_PERIOD_MONTH"):
        assert desk.reports.compliance_csv(
            ADMIN, start, end, center_id=w.center.id, by=(),
            period=spelling) == month
    assert desk.reports.compliance(
        ADMIN, start, end, center_id=w.center.id, by=("KIND",), period="DAY",
        time_zone="Europe/Moscow") == days
    with pytest.raises(sd.InvalidArgument, match="period"):
        desk.reports.compliance(ADMIN, start, end, period="fortnight")
    assert desk.reports.compliance_csv(
        ADMIN, start, end, center_id=w.center.id, by=(),
        period=v1.REPORT_PERIOD_MONTH) == month
    for bad in (0, 7, "unspecified"):
        with pytest.raises(sd.InvalidArgument, match="period"):
            desk.reports.compliance(ADMIN, start, end, period=bad)
    with pytest.raises(sd.InvalidArgument, match="by"):
        desk.reports.compliance(ADMIN, start, end, by=("planet",))
    with pytest.raises(sd.InvalidArgument, match="time_zone"):
        desk.reports.compliance(ADMIN, start, end, period="day",
                                time_zone="Mars/Olympus_Mons")
    with pytest.raises(sd.InvalidArgument):
        desk.reports.compliance(ADMIN, dt.datetime(2025, 3, 1), end)


def test_staff_of_another_center_is_refused(desk, w):
    req = _open_hotline(desk, w)
    spb = desk.requests.open(
        w.other_client, organization_id=w.other_org.id,
        kind="HOTLINE_QUESTION", channel=v1.CHANNEL_PHONE_HOTLINE,
        subject="A Spb question")
    d = desk.dialogs.open(w.client, "VAT refunds", "Where is the form?")
    start = dt.datetime(2025, 3, 1, tzinfo=UTC)
    end = dt.datetime(2025, 3, 10, tzinfo=UTC)
    # The Moscow head may make every call below for the Moscow center.
    assert desk.requests.get(w.head_actor, req.id) == req
    assert [r.id for r in desk.requests.queue(w.head_actor,
                                              w.center.id).items] == []
    assert desk.dialogs.get(w.head_actor, d).id == d.id
    assert desk.dialogs.position(w.head_actor, d).position == 1
    assert sum(r.requests for r in desk.reports.compliance(
        w.head_actor, start, end, center_id=w.center.id)) == 2

    spb_head = w.other_head_actor
    with pytest.raises(sd.PermissionDenied):
        desk.requests.get(spb_head, req.id)
    with pytest.raises(sd.PermissionDenied):
        desk.requests.get(spb_head, d.request_id)
    with pytest.raises(sd.PermissionDenied):
        desk.requests.list(spb_head, center_id=w.center.id)
    # Naming a Moscow organisation or staff member finds nothing.
    assert list(desk.requests.list(spb_head,
                                   organization_id=w.org.id).items) == []
    assert list(desk.requests.list(spb_head, assignee_id=w.spec.id).items) \
        == []
    # Unfiltered, the Spb head lists Spb's request only.
    assert [r.id for r in desk.requests.list(spb_head).items] == [spb.id]
    with pytest.raises(sd.PermissionDenied):
        desk.requests.respond(spb_head, req, "Answered from Spb")
    with pytest.raises(sd.PermissionDenied):
        desk.requests.queue(spb_head, w.center.id)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.get(spb_head, d)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.take(spb_head)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.take(spb_head, d)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.take_specific(spb_head, d.id)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.position(spb_head, d)
    with pytest.raises(sd.PermissionDenied):
        desk.dialogs.list(spb_head, center_id=w.center.id)
    assert list(desk.dialogs.list(spb_head).items) == []
    with pytest.raises(sd.PermissionDenied):
        desk.reports.compliance(spb_head, start, end, center_id=w.center.id)
    with pytest.raises(sd.PermissionDenied):
        desk.reports.compliance_csv(spb_head, start, end,
                                    center_id=w.center.id)
    with pytest.raises(sd.PermissionDenied):
        desk.reports.backlog_csv(spb_head, start, end, center_id=w.center.id)
    # Without a center, the report covers Spb only.
    rows = desk.reports.compliance(spb_head, start, end, by="center")
    assert [(r.center_id, r.requests) for r in rows] == \
        [(w.other_center.id, 1)]
    # Nothing was written.
    assert desk.requests.get(ADMIN, req.id) == req
    assert desk.dialogs.get(ADMIN, d).state == v1.DIALOG_STATE_WAITING


def test_emergency_target_is_tighter_than_recovery(desk, w):
    inst = desk.techsupport.create_installation(
        ADMIN, organization_id=w.org.id, product_version="2025.1",
        workstations=3, address="Moscow, Tverskaya 1")

    def clocks(kind):
        req = desk.requests.open(
            w.client, organization_id=w.org.id, kind=kind,
            channel="PHONE_HOTLINE", subject="Help: " + kind,
            installation_id=inst.id)
        assert req.assignee_id == w.engineer.id
        return {c.kind: c for c in desk.sla.clocks(ADMIN, req.id)}

    emergency = clocks("TECH_EMERGENCY")  # both on Monday 10:00 Moscow
    recovery = clocks("TECH_RECOVERY")
    fr, res = v1.CLOCK_KIND_FIRST_RESPONSE, v1.CLOCK_KIND_RESOLUTION

    def target(c):
        return c.target.duration.ToTimedelta()

    def due(c):
        return c.due_at.ToDatetime(tzinfo=UTC)

    assert target(emergency[fr]) == dt.timedelta(minutes=15)
    assert target(recovery[fr]) == dt.timedelta(hours=1)
    assert target(emergency[res]) == dt.timedelta(hours=4)
    assert target(recovery[res]) == dt.timedelta(hours=8)
    assert due(emergency[fr]) == MONDAY_1000 + dt.timedelta(minutes=15)
    assert due(recovery[fr]) == MONDAY_1000 + dt.timedelta(hours=1)
    assert due(emergency[res]) == MONDAY_1000 + dt.timedelta(hours=4)
    assert due(recovery[res]) == MONDAY_1000 + dt.timedelta(hours=8)  # 18:00
    for kind in (fr, res):
        assert target(emergency[kind]) < target(recovery[kind])
        assert due(emergency[kind]) < due(recovery[kind])
    # The emergency runs around the clock; recovery on the center calendar.
    assert emergency[fr].calendar_id == ""
    assert recovery[fr].calendar_id == "msk-office"


def test_queued_event_names_the_center_head(desk, w):
    seq = desk.events.list(ADMIN)[-1].seq
    req = desk.requests.open(
        w.client, organization_id=w.org.id, kind="TRAINING_REQUEST",
        channel="EMAIL", subject="Train our new accountant")
    assert req.state == v1.REQUEST_STATE_NEW and req.assignee_id == ""
    queued = [e for e in desk.events.list(ADMIN, seq)
              if e.action == "queued"]
    assert len(queued) == 1
    assert (queued[0].entity_type, queued[0].entity_id) == ("request", req.id)
    assert queued[0].details["center_heads"] == w.head.id
    assert "STAFF_ROLE_TRAINER" in queued[0].details["reason"]
    assert [r.id for r in desk.requests.queue(ADMIN, w.center.id).items] == \
        [req.id]
    # A Spb request names the Spb head.
    seq = desk.events.list(ADMIN)[-1].seq
    spb = desk.requests.open(
        w.other_client, organization_id=w.other_org.id,
        kind="TRAINING_REQUEST", channel="EMAIL", subject="Train us too")
    queued = [e for e in desk.events.list(ADMIN, seq)
              if e.action == "queued"]
    assert [(e.entity_id, e.details["center_heads"]) for e in queued] == \
        [(spb.id, w.other_head.id)]


def test_compliance_by_channel_with_satisfaction(desk, clock, w):
    def resolved(kind, channel, score=None):
        req = desk.requests.open(
            w.client, organization_id=w.org.id, kind=kind, channel=channel,
            subject=f"{kind} by {channel}")
        req = desk.requests.respond(w.specialist, req, "Looking.")
        clock.advance(dt.timedelta(minutes=10))
        req = desk.requests.resolve(w.specialist, req, "Done")
        if score is not None:
            req = desk.requests.rate(w.client, req, score)
        return req

    # Phone: rated 5 and 2 (average 3.5); e-mail: rated 4, one unrated.
    resolved("HOTLINE_QUESTION", "PHONE_HOTLINE", 5)
    resolved("HOTLINE_QUESTION", "PHONE_HOTLINE", 2)
    resolved("SEARCH_CONSULTATION", "EMAIL", 4)
    resolved("SEARCH_CONSULTATION", "EMAIL")
    start = dt.datetime(2025, 3, 3, tzinfo=MSK)
    end = dt.datetime(2025, 3, 4, tzinfo=MSK)
    rows = desk.reports.compliance(ADMIN, start, end, center_id=w.center.id,
                                   by="channel")
    got = {r.channel: (r.requests, r.met, r.satisfaction_count,
                       r.satisfaction_avg) for r in rows}
    assert got == {v1.CHANNEL_PHONE_HOTLINE: (2, 2, 2, 3.5),
                   v1.CHANNEL_EMAIL: (2, 2, 1, 4.0)}
    assert all(r.kind == v1.SERVICE_KIND_UNSPECIFIED and r.center_id == ""
               for r in rows)
    # With the center too, the same figures per (center, channel).
    rows = desk.reports.compliance(ADMIN, start, end,
                                   by=("center", "channel"))
    got = {(r.center_id, r.channel): (r.requests, r.satisfaction_avg)
           for r in rows}
    assert got == {(w.center.id, v1.CHANNEL_PHONE_HOTLINE): (2, 3.5),
                   (w.center.id, v1.CHANNEL_EMAIL): (2, 4.0)}
    # The CSV has a channel column with one line per channel.
    csv = desk.reports.compliance_csv(ADMIN, start, end,
                                      center_id=w.center.id, by="channel")
    lines = csv.split("\r\n\r\n")[0].splitlines()
    header = lines[0].split(",")
    avg = header.index("satisfaction_avg")
    channel = header.index("channel")
    assert sorted((line.split(",")[channel], line.split(",")[avg])
                  for line in lines[1:]) == \
        [("CHANNEL_EMAIL", "4"), ("CHANNEL_PHONE_HOTLINE", "3.5")]
    # Every figure reads back as the row's float (no rounding in the file).
    for line in lines[1:]:
        cells = dict(zip(header, line.split(",")))
        row = [r for r in rows
               if v1.Channel.Name(r.channel) == cells["channel"]][0]
        assert float(cells["satisfaction_avg"]) == row.satisfaction_avg


def test_bad_input(desk, w):
    with pytest.raises(sd.InvalidArgument):
        desk.requests.open(ADMIN, {"noSuchField": 1})
    with pytest.raises(sd.InvalidArgument):
        desk.requests.open(ADMIN, organization_id=w.org.id, kind="NOPE")
    with pytest.raises(sd.InvalidArgument) as e:
        desk.requests.open(ADMIN, organization_id=w.org.id,
                           kind="ONLINE_DIALOG", channel="ONLINE_DIALOG",
                           subject="Use dialogs")
    assert "kind" in e.value.message or "channel" in e.value.message
    with pytest.raises(sd.NotFound):
        desk.requests.get(ADMIN, "req-404")
    with pytest.raises(sd.NotFound):
        desk.dialogs.get(ADMIN, "dialog-404")
    # Python values C cannot carry are refused naming the argument, as
    # servicedesk.Error, before anything reaches the store: a version that
    # would wrap, a fractional score, a str with a lone surrogate, a page
    # size beyond int32, a filter on an undefined enum number.
    r = desk.requests.open(ADMIN, organization_id=w.org.id,
                           kind="HOTLINE_QUESTION", channel="EMAIL",
                           subject="Where is the form?",
                           description="Line one.\nLine two.")
    assert r.description == "Line one.\nLine two."
    cases = [
        ("version", lambda: desk.requests.start(ADMIN, r.id,
                                                version=2**64 + r.version)),
        ("version", lambda: desk.requests.start(ADMIN, r.id, version=1.0)),
        ("score", lambda: desk.requests.rate(ADMIN, r, 4.5)),
        ("text", lambda: desk.requests.respond(ADMIN, r, "\ud800")),
        ("subject", lambda: desk.requests.open(
            ADMIN, organization_id=w.org.id, kind="HOTLINE_QUESTION",
            channel="EMAIL", subject="x\ud800")),
        ("description", lambda: desk.requests.open(
            ADMIN, organization_id=w.org.id, kind="HOTLINE_QUESTION",
            channel="EMAIL", subject="x", description=5)),
        ("id", lambda: desk.requests.get(ADMIN, "req-\ud800")),
        ("actor.staff_id", lambda: sd.staff_actor("\ud800")),
        ("actor.staff_id", lambda: sd.staff_actor(None)),
        ("actor.admin", lambda: sd.admin(123)),
        # A message that is not a record where a record or an id goes.
        ("id", lambda: desk.requests.get(ADMIN, v1.SlaSubject())),
        ("request", lambda: desk.requests.start(ADMIN, v1.SlaSubject())),
        ("page_size", lambda: desk.requests.list(ADMIN, page_size=2**32 + 3)),
        ("page_size", lambda: desk.requests.queue(ADMIN, w.center.id,
                                                  page_size=2**32)),
        ("state", lambda: desk.requests.list(ADMIN, state=99)),
        ("state", lambda: desk.dialogs.list(ADMIN, center_id=w.center.id,
                                            state=9)),
        ("actor.staff_id", lambda: desk.requests.get(sd.staff_actor(""),
                                                     r.id)),
    ]
    for field, call in cases:
        with pytest.raises(sd.InvalidArgument) as e:
            call()
        assert e.value.message.startswith(field + ":"), (field,
                                                         e.value.message)
    after = desk.requests.get(ADMIN, r.id)
    assert after.version == r.version and after.state == r.state
    desk.close()
    with pytest.raises(sd.FailedPrecondition):
        desk.requests.get(ADMIN, "req-1")


def test_arguments_are_checked_before_they_reach_c(desk, clock, w):
    """Wrong types and values raise servicedesk.InvalidArgument, never a
    ctypes, protobuf or TypeError, and never wrap into another value."""
    # (Static helpers still work through an instance.)
    assert desk.sla.catalog() == sd.Sla.catalog()
    assert desk.reports.to_csv(v1.ComplianceReport()).startswith("period_start")
    # Instants and durations beyond int64 nanoseconds (1677-2262).
    with pytest.raises(sd.InvalidArgument, match="start"):
        sd.ManualClock(dt.datetime(2300, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(sd.InvalidArgument, match="duration"):
        clock.advance(dt.timedelta(days=200_000))
    before = clock.now()
    with pytest.raises(sd.OutOfRange):
        clock.advance(dt.timedelta(days=100_000))  # past 2262
    assert clock.now() == before
    with pytest.raises(sd.InvalidArgument, match="time_zone"):
        sd.BusinessCalendar("Europe/Moscow\udc80", {0: [("09:00", "18:00")]})
    # Enums: names or numbers, checked.
    req = desk.requests.open(w.client, v1.ServiceRequest(
        organization_id=w.org.id, kind=v1.SERVICE_KIND_HOTLINE_QUESTION,
        channel=v1.CHANNEL_PHONE_HOTLINE, subject="Enums"))
    with pytest.raises(sd.InvalidArgument, match="kind"):
        desk.sla.stop(ADMIN, req.id, 1.9, clock.now())
    with pytest.raises(sd.InvalidArgument, match="kind"):
        desk.sla.stop(ADMIN, req.id, 2**32 + 1, clock.now())
    staff = desk.staff.list(ADMIN, role="hotline_specialist").items
    assert staff and all(v1.STAFF_ROLE_HOTLINE_SPECIALIST in s.roles
                         for s in staff)
    with pytest.raises(sd.InvalidArgument, match="role"):
        desk.staff.list(ADMIN, role=2**40)
    with pytest.raises(sd.InvalidArgument, match="tier"):
        desk.organizations.list(ADMIN, tier=1.0)
    # Integers and callables.
    with pytest.raises(sd.InvalidArgument, match="max_clocks"):
        desk.sla.tick(ADMIN, clock.now(), max_clocks=-1)
    with pytest.raises(sd.InvalidArgument, match="max_clocks"):
        desk.sla.tick(ADMIN, clock.now(), max_clocks=1.5)
    with pytest.raises(sd.InvalidArgument, match="subscription"):
        desk.events.unsubscribe("1")
    with pytest.raises(sd.InvalidArgument, match="callback"):
        desk.events.subscribe(5)
    # Strings.
    with pytest.raises(sd.InvalidArgument, match="id"):
        desk.centers.get(ADMIN, 5)
    with pytest.raises(sd.InvalidArgument):
        desk.requests.list(ADMIN, center_id=1)
    with pytest.raises(sd.InvalidArgument):
        desk.requests.open(w.client, organization_id=w.org.id,
                           kind="hotline_question", channel="phone_hotline",
                           subject="lone \udc80")
    with pytest.raises(sd.InvalidArgument, match="installed_sets"):
        desk.techsupport.create_installation(
            ADMIN, organization_id=w.org.id, product_version="2025.1",
            workstations=1, installed_sets="abc")


def test_staff_page_tokens_with_an_instant_hold_in_other_time_zones(
        clock, tmp_path):
    # The token of a staff list at a given instant is continued by a process
    # in another time zone (the instant is part of the query).
    path = str(tmp_path / "desk.db")
    at = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
    with sd.open("sqlite:" + path, clock=clock) as desk:
        w = _world(desk)
        everyone = [m.id for m in desk.staff.list(
            ADMIN, center_id=w.center.id, at=at).items]
        assert len(everyone) >= 2
        page = desk.staff.list(ADMIN, center_id=w.center.id, at=at,
                               page_size=1)
        assert page.next_page_token
    script = ("import sys, datetime as dt, servicedesk as sd\n"
              "at = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)\n"
              "with sd.open('sqlite:' + sys.argv[1]) as d:\n"
              "    r = d.staff.list(sd.admin('root'), center_id=sys.argv[2],"
              " at=at, page_size=1000,"
              " page_token=sys.argv[3])\n"
              "    print(' '.join(x.id for x in r.items))\n")
    for tz in ("Europe/Moscow", "America/New_York"):
        out = subprocess.run(
            [sys.executable, "-c", script, path, w.center.id,
             page.next_page_token], capture_output=True, text=True,
            check=True, env=dict(os.environ, TZ=tz))
        assert [page.items[0].id] + out.stdout.split() == everyone
