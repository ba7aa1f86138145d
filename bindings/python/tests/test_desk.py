"""servicedesk.open() and the desk areas, end to end over the C ABI."""

import datetime as dt
import gc

import pytest

import servicedesk as sd
from servicedesk import v1

UTC = dt.timezone.utc
MSK = dt.timezone(dt.timedelta(hours=3))
ADMIN = sd.admin("root")
MONDAY_0900 = dt.datetime(2025, 3, 3, 9, tzinfo=MSK)


@pytest.fixture
def clock():
    return sd.ManualClock(MONDAY_0900)


@pytest.fixture
def desk(clock):
    with sd.open("memory:", clock=clock) as d:
        yield d


@pytest.fixture
def world(desk):
    """A center, a head (also personal manager), an organisation, a contact."""
    center = desk.centers.create(ADMIN, v1.ServiceCenter(
        code="MSK-01", name="Moscow", region="Moscow", time_zone="Europe/Moscow"))
    head = desk.staff.create(ADMIN, v1.StaffMember(
        center_id=center.id, full_name="Anna Head", email="anna@example.com",
        phone="+7 495 111-22-33",
        roles=[v1.STAFF_ROLE_CENTER_HEAD, v1.STAFF_ROLE_PERSONAL_MANAGER]))
    org = desk.organizations.create(ADMIN, v1.Organization(
        name="Horns and Hooves", tax_id="7707083893",
        tier=v1.CLIENT_TIER_PREMIUM, center_id=center.id,
        topics=[v1.PROFILE_TOPIC_ACCOUNTING]), head.id)
    contact = desk.contacts.create(ADMIN, {
        "organizationId": org.id, "fullName": "Olga Client",
        "email": "olga@horns.example", "phone": "+7 999 000-11-22"})
    return center, head, org, contact


def test_open_context_manager_and_clock(clock):
    with sd.open("memory:", clock=clock) as desk:
        assert desk.now() == MONDAY_0900
        clock.advance(dt.timedelta(minutes=5))
        assert desk.now() == MONDAY_0900 + dt.timedelta(minutes=5)
    with pytest.raises(sd.FailedPrecondition):
        desk.now()
    with pytest.raises(sd.InvalidArgument) as e:
        sd.open("nosuch://x")
    assert "uri" in str(e.value)


def test_sqlite_file_persists(tmp_path):
    path = str(tmp_path / "desk.db")
    with sd.open("sqlite:" + path) as desk:
        desk.centers.create(ADMIN, v1.ServiceCenter(
            code="SPB-01", name="Spb", region="Spb", time_zone="Europe/Moscow"))
    with sd.open(path) as desk:
        assert desk.centers.get_by_code(ADMIN, "SPB-01").name == "Spb"


def test_sqlite_options_in_the_uri(tmp_path):
    path = str(tmp_path / "desk.db")
    uri = "sqlite:" + path + "?busy_timeout_ms=100&background_checkpoint=0"
    with sd.open(uri) as desk:
        desk.centers.create(ADMIN, v1.ServiceCenter(
            code="SPB-01", name="Spb", region="Spb", time_zone="Europe/Moscow"))
    with sd.open(path) as desk:
        assert desk.centers.get_by_code(ADMIN, "SPB-01").name == "Spb"
    with pytest.raises(sd.InvalidArgument) as e:
        sd.open("sqlite:" + path + "?busy_timeout_ms=soon")
    assert "busy_timeout_ms" in str(e.value)


def test_records_round_trip(desk, world):
    center, head, org, contact = world
    assert center.version == 1 and center.active
    assert desk.centers.get(ADMIN, center.id) == center
    assert [c.code for c in desk.centers.list(ADMIN).items] == ["MSK-01"]
    assert desk.organizations.get(ADMIN, org.id).manager_id == head.id
    assert [c.id for c in desk.contacts.list(ADMIN, org.id).items] == [contact.id]
    staff = desk.staff.list(ADMIN, center_id=center.id,
                            role=v1.STAFF_ROLE_CENTER_HEAD)
    assert [s.id for s in staff.items] == [head.id]
    assert center.created_at.ToDatetime(tzinfo=UTC) == MONDAY_0900


def test_refused_call_writes_nothing(desk, world):
    center, head, org, contact = world
    before = desk.events.list(ADMIN)
    with pytest.raises(sd.PermissionDenied):
        desk.centers.create(sd.contact_actor(contact.id), v1.ServiceCenter(
            code="SPB-01", name="Spb", region="Spb", time_zone="Europe/Moscow"))
    with pytest.raises(sd.NotFound):
        desk.centers.get_by_code(ADMIN, "SPB-01")
    assert desk.events.list(ADMIN) == before
    # A contact sees its own organisation, and of the staff only its personal
    # manager's contact card.
    me = sd.contact_actor(contact.id)
    assert desk.organizations.get(me, org.id).id == org.id
    assert org.manager_id == head.id
    card = desk.staff.get(me, head.id)
    assert card.full_name == head.full_name and not card.roles
    with pytest.raises(sd.PermissionDenied):
        desk.staff.list(me)
    with pytest.raises(sd.PermissionDenied):
        desk.staff.get(me, "staff-999")


def test_invalid_input_names_the_field(desk, world):
    center, head, org, contact = world
    before = desk.events.list(ADMIN)
    with pytest.raises(sd.InvalidArgument) as e:
        desk.contacts.create(ADMIN, v1.Contact(
            organization_id=org.id, full_name="Bad Mail", email="not-an-email"))
    assert "email" in e.value.message
    assert e.value.code == 3 and e.value.code_name == "INVALID_ARGUMENT"
    assert len(desk.contacts.list(ADMIN, org.id).items) == 1
    assert desk.events.list(ADMIN) == before
    with pytest.raises(sd.InvalidArgument):
        desk.centers.create(ADMIN, {"noSuchField": 1})
    with pytest.raises(sd.InvalidArgument):
        desk.centers.create(ADMIN, "not a record")
    # Binary records can carry times protobuf's JSON cannot: refused, naming
    # the field, or the stored record could not be read back as JSON.
    member = v1.StaffMember(center_id=center.id, full_name="Far Future",
                            email="far@center.example.ru",
                            roles=[v1.STAFF_ROLE_HOTLINE_SPECIALIST])
    member.qualifications.add(code="hotline").valid_until.seconds = \
        253402300800  # 10000-01-01
    with pytest.raises(sd.InvalidArgument,
                       match=r"qualifications\[0\]\.valid_until: not a "
                             r"Timestamp"):
        desk.staff.create(ADMIN, member)
    policy = desk.sla.get_policy(ADMIN)
    rule = policy.rules.add(name="long", kinds=[v1.SERVICE_KIND_TRAINING_REQUEST])
    rule.first_response.duration.seconds = 600
    rule.resolution.duration.seconds = 315576000001  # over 10,000 years
    with pytest.raises(sd.InvalidArgument,
                       match=r"rules\[0\]\.resolution\.duration: not a "
                             r"Duration"):
        desk.sla.set_policy(ADMIN, policy)
    assert desk.events.list(ADMIN) == before


def test_stale_version_is_conflict(desk, world):
    center = world[0]
    renamed = v1.ServiceCenter()
    renamed.CopyFrom(center)
    renamed.name = "Moscow center"
    updated = desk.centers.update(ADMIN, renamed)
    assert updated.version == 2
    with pytest.raises(sd.Conflict):
        desk.centers.update(ADMIN, renamed)  # still version 1
    assert issubclass(sd.Conflict, sd.Error)


def test_update_that_changes_nothing_writes_nothing(desk, world):
    center, head, org, contact = world
    before = desk.events.list(ADMIN)
    same = desk.organizations.update(ADMIN, org)
    assert same.version == org.version
    assert same.updated_at == org.updated_at
    assert desk.contacts.update(ADMIN, contact).version == contact.version
    assert desk.events.list(ADMIN) == before
    renamed = v1.Organization()
    renamed.CopyFrom(org)
    renamed.name = org.name + " (renamed)"
    assert desk.organizations.update(ADMIN, renamed).version == org.version + 1
    assert len(desk.events.list(ADMIN)) == len(before) + 1


def test_already_exists_and_failed_precondition(desk, world):
    center, head, org, contact = world
    with pytest.raises(sd.AlreadyExists):
        desk.centers.create(ADMIN, v1.ServiceCenter(
            code="MSK-01", name="Dup", region="Moscow", time_zone="Europe/Moscow"))
    with pytest.raises(sd.FailedPrecondition):
        desk.staff.deactivate(ADMIN, head.id)  # the current manager


def test_managers_history(desk, clock, world):
    center, head, org, contact = world
    boris = desk.staff.create(ADMIN, v1.StaffMember(
        center_id=center.id, full_name="Boris Manager", email="boris@example.com",
        phone="+7 495 111-22-44", roles=[v1.STAFF_ROLE_PERSONAL_MANAGER]))
    clock.advance(dt.timedelta(days=1))
    a = desk.managers.reassign(ADMIN, org.id, boris.id, "vacation")
    assert a.manager_id == boris.id
    assert desk.managers.current(sd.contact_actor(contact.id), org.id).manager_id == boris.id
    assert desk.managers.at(ADMIN, org.id, MONDAY_0900 + dt.timedelta(hours=1)).manager_id == head.id
    assert [h.manager_id for h in desk.managers.history(ADMIN, org.id)] == [head.id, boris.id]
    assert [o.id for o in desk.managers.clients(ADMIN, boris.id).items] == [org.id]
    with pytest.raises(sd.InvalidArgument):
        desk.managers.at(ADMIN, org.id, dt.datetime(2025, 3, 3))  # naive


def test_events_subscription(desk):
    seen = []
    sub = desk.events.subscribe(seen.append)
    c = desk.centers.create(ADMIN, v1.ServiceCenter(
        code="EKB-01", name="Ekb", region="Sverdlovsk", time_zone="Asia/Yekaterinburg"))
    assert [(e.entity_type, e.entity_id, e.action) for e in seen] == \
        [("center", c.id, "created")]
    desk.events.unsubscribe(sub)
    desk.centers.deactivate(ADMIN, c.id)
    assert len(seen) == 1
    log = desk.events.list(ADMIN)
    assert [e.action for e in log] == ["created", "deactivated"]
    assert desk.events.list(ADMIN, after_seq=log[0].seq) == log[1:]


def test_a_callback_may_unsubscribe_itself_mid_commit(desk, clock, world):
    center, head, org, contact = world
    boris = desk.staff.create(ADMIN, v1.StaffMember(
        center_id=center.id, full_name="Boris Manager", email="boris@example.com",
        phone="+7 495 111-22-44", roles=[v1.STAFF_ROLE_PERSONAL_MANAGER]))
    before = desk.events.list(ADMIN)[-1].seq
    seen, subs = [], []

    def once(event):
        seen.append(event.seq)
        desk.events.unsubscribe(subs[0])
        gc.collect()  # the C thunk is gone: nothing may call it again

    subs.append(desk.events.subscribe(once))
    desk.managers.reassign(ADMIN, org.id, boris.id, "vacation")
    committed = [e.seq for e in desk.events.list(ADMIN, after_seq=before)]
    assert len(committed) > 1  # one commit, several events
    assert seen == committed[:1]


def test_stored_calendars_and_sla(desk, clock, world):
    center, head, org, contact = world
    spec = sd.BusinessCalendar(
        "Europe/Moscow", {d: [("09:00", "18:00")] for d in range(5)}).spec
    spec.id, spec.name = "msk-5x8", "Moscow 5x8"
    stored = desk.calendars.create(ADMIN, spec)
    assert stored.version == 1
    assert [c.id for c in desk.calendars.list(ADMIN).items] == ["msk-5x8"]
    assert desk.calendars.get(ADMIN, "msk-5x8").name == "Moscow 5x8"
    with pytest.raises(sd.PermissionDenied):
        desk.calendars.create(sd.contact_actor(contact.id), spec)
    stored.name = "Moscow five-by-eight"
    assert desk.calendars.update(ADMIN, stored).version == 2
    loaded = desk.calendars.load(ADMIN, "msk-5x8")
    assert loaded.add(dt.datetime(2025, 3, 3, 17, tzinfo=MSK), dt.timedelta(hours=2)) == \
        dt.datetime(2025, 3, 4, 10, tzinfo=MSK)

    c = desk.centers.get(ADMIN, center.id)
    c.calendar_id = "msk-5x8"
    desk.centers.update(ADMIN, c)
    # The hotline may keep its own hours; online dialogs are measured there.
    c = desk.centers.get(ADMIN, center.id)
    c.hotline_calendar_id = "no-such-calendar"
    with pytest.raises(sd.NotFound, match="hotline_calendar_id"):
        desk.centers.update(ADMIN, c)
    c.hotline_calendar_id = "msk-5x8"
    assert desk.centers.update(ADMIN, c).hotline_calendar_id == "msk-5x8"
    dialog = next(d for d in sd.Sla.catalog()
                  if d.kind == v1.SERVICE_KIND_ONLINE_DIALOG)
    assert dialog.first_response.calendar_source == v1.CALENDAR_SOURCE_HOTLINE

    assert any(d.kind == v1.SERVICE_KIND_HOTLINE_QUESTION for d in sd.Sla.catalog())
    assert desk.sla.get_policy(ADMIN).version == 0
    bad = v1.SlaPolicy(name="p", rules=[v1.SlaRule(
        name="urgent", priorities=[v1.PRIORITY_URGENT],
        first_response=v1.SlaTarget(duration={"seconds": -60}),
        resolution=v1.SlaTarget(duration={"seconds": 3600}))])
    with pytest.raises(sd.InvalidArgument) as e:
        desk.sla.set_policy(ADMIN, bad)
    assert "rules[0]" in e.value.message
    assert desk.sla.get_policy(ADMIN).version == 0
    good = v1.SlaPolicy(name="p", rules=[v1.SlaRule(
        name="urgent", priorities=[v1.PRIORITY_URGENT],
        first_response=v1.SlaTarget(duration={"seconds": 600}),
        resolution=v1.SlaTarget(duration={"seconds": 7200}))])
    with pytest.raises(sd.PermissionDenied):
        desk.sla.set_policy(sd.staff_actor(head.id), good)
    assert desk.sla.set_policy(ADMIN, good).version == 1

    subject = v1.SlaSubject(kind=v1.SERVICE_KIND_HOTLINE_QUESTION,
                            channel=v1.CHANNEL_PHONE_HOTLINE,
                            priority=v1.PRIORITY_URGENT, tier=v1.CLIENT_TIER_PREMIUM,
                            center_id=center.id, organization_id=org.id)
    assert desk.sla.resolve_targets(ADMIN, subject).rule_name == "urgent"
    # Registered Monday 17:00: resolution (2h) due Tuesday 10:00.
    clocks = desk.sla.start_clocks(sd.staff_actor(head.id), "case-1", subject,
                                   dt.datetime(2025, 3, 3, 17, tzinfo=MSK))
    resolution = [c for c in clocks if c.kind == v1.CLOCK_KIND_RESOLUTION][0]
    assert resolution.due_at.ToDatetime(tzinfo=UTC) == dt.datetime(2025, 3, 4, 10, tzinfo=MSK)
    paused = desk.sla.pause(ADMIN, "case-1", dt.datetime(2025, 3, 3, 17, 5, tzinfo=MSK))
    assert all(c.state == v1.CLOCK_STATE_PAUSED for c in paused)
    desk.sla.resume(ADMIN, "case-1", dt.datetime(2025, 3, 4, 9, 0, tzinfo=MSK))
    stopped = desk.sla.stop(ADMIN, "case-1", v1.CLOCK_KIND_FIRST_RESPONSE,
                            dt.datetime(2025, 3, 4, 9, 2, tzinfo=MSK))
    assert stopped.met  # 5 + 2 business minutes of 10
    assert stopped.business_elapsed.ToTimedelta() == dt.timedelta(minutes=7)
    # Nothing breaches overnight; the resolution clock breaches by Tuesday noon.
    with pytest.raises(sd.PermissionDenied):
        desk.sla.tick(sd.contact_actor(contact.id), dt.datetime(2025, 3, 4, 12, tzinfo=MSK))
    fired = desk.sla.tick(sd.system_actor("scheduler"), dt.datetime(2025, 3, 4, 12, tzinfo=MSK))
    assert fired.breaches == 1
    again = desk.sla.tick(sd.system_actor("scheduler"), dt.datetime(2025, 3, 4, 12, tzinfo=MSK))
    assert again.breaches == 0
    normal = v1.SlaSubject()
    normal.CopyFrom(subject)
    normal.priority = v1.PRIORITY_NORMAL
    desk.sla.recompute(ADMIN, "case-1", normal)
    assert {c.subject_id for c in desk.sla.clocks(ADMIN, "case-1")} == {"case-1"}
    with pytest.raises(sd.AlreadyExists):
        desk.sla.start_clocks(ADMIN, "case-1", subject, MONDAY_0900)


def test_actor_helpers():
    assert sd.admin("root").admin == "root"
    assert sd.staff_actor("staff-1").staff_id == "staff-1"
    assert sd.contact_actor("contact-1").contact_id == "contact-1"
    assert sd.system_actor("tick").system == "tick"
    assert sd.version() == sd.__version__


def test_close_while_other_threads_are_inside_calls():
    # The desk is freed when the last call in progress ends, not under it.
    import threading
    import time
    for _ in range(20):
        desk = sd.open("memory:")
        desk.centers.create(ADMIN, v1.ServiceCenter(
            code="MSK-01", name="M", region="M", time_zone="Europe/Moscow"))
        errors = []

        def report():
            desk.reports.compliance(
                ADMIN, dt.datetime(2020, 1, 1, tzinfo=UTC),
                dt.datetime(2025, 1, 1, tzinfo=UTC), period="day")

        def subscription():
            desk.events.unsubscribe(desk.events.subscribe(lambda e: None))

        # Calls through areas and the few that are made on the desk itself.
        calls = [report, desk.now, subscription]

        def work(call):
            try:
                while True:
                    call()
            except sd.Error as e:
                errors.append(e)

        threads = [threading.Thread(target=work, args=(c,)) for c in calls]
        for t in threads:
            t.start()
        time.sleep(0.005)
        desk.close()
        for t in threads:
            t.join()
        assert len(errors) == len(calls)
        assert all(isinstance(e, sd.FailedPrecondition) for e in errors), \
            errors


def test_cyrillic_email_addresses_round_trip_and_stay_unique(desk, world):
    center, head, org, contact = world
    made = desk.contacts.create(ADMIN, v1.Contact(
        organization_id=org.id, full_name="Иван Клиентов",
        email="Иван@Пример.рф"))
    assert desk.contacts.get(ADMIN, made.id).email == "Иван@Пример.рф"
    with pytest.raises(sd.AlreadyExists, match="email"):
        desk.contacts.create(ADMIN, v1.Contact(
            organization_id=org.id, full_name="Иван Второй",
            email="иван@пример.РФ"))
