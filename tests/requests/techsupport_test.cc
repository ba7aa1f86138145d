// Technical support through the public API: installations, technical
// requests, the emergency target, engineer visits without double booking —
// on every backend.
#include <cstdint>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "requests/requests_fixture.h"

namespace servicedesk {
namespace {

using ::servicedesk::internal::FromProto;
using ::servicedesk::internal::ToProto;
using ::servicedesk::testing::Msk;
using ::servicedesk::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using Code = absl::StatusCode;

class TechSupportTest : public testing::RequestsTest {
 protected:
  v1::Installation Spec(const std::string& org_id) {
    v1::Installation i;
    i.set_organization_id(org_id);
    i.set_product_version("2025.1");
    i.set_workstations(12);
    i.set_network(true);
    i.add_installed_sets("federal-law");
    i.add_installed_sets("accounting");
    i.set_address("Moscow, Tverskaya 1");
    return i;
  }
  v1::Installation MakeInstallation(const std::string& org_id) {
    auto i = desk_->techsupport().CreateInstallation(admin_, Spec(org_id));
    EXPECT_TRUE(i.ok()) << i.status();
    return i.value_or(v1::Installation());
  }
  v1::ServiceRequest OpenTech(v1::ServiceKind kind,
                              const std::string& installation_id) {
    v1::ServiceRequest d = Draft(kind);
    d.set_installation_id(installation_id);
    return OpenAs(ContactActor(contact_.id()), d);
  }
  v1::Visit Slot(const std::string& request_id, const std::string& engineer,
                 absl::Time start, absl::Time end) {
    v1::Visit v;
    v.set_request_id(request_id);
    v.set_engineer_id(engineer);
    *v.mutable_slot_start() = ToProto(start);
    *v.mutable_slot_end() = ToProto(end);
    return v;
  }
};

// Ids are sequential. A client contact asking for another organisation's
// records gets exactly what it gets for ids that do not exist, on every call
// that takes an id, so it cannot count other clients' requests or dialogs.
TEST_P(TechSupportTest, AContactCannotTellWhichIdsOfOtherOrganizationsExist) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  auto visit = desk_->techsupport().ScheduleVisit(
      StaffActor(head_.id()),
      Slot(r.id(), engineer_.id(), Msk(2025, 3, 4, 10, 0),
           Msk(2025, 3, 4, 12, 0)));
  ASSERT_OK(visit);
  auto dialog = desk_->dialogs().Open(ContactActor(contact_.id()), "VAT", "?");
  ASSERT_OK(dialog);
  // A subject of the embedding application's own, of org_.
  v1::SlaSubject subject;
  subject.set_kind(v1::SERVICE_KIND_HOTLINE_QUESTION);
  subject.set_center_id(head_.center_id());
  subject.set_organization_id(org_.id());
  ASSERT_OK(desk_->sla().StartClocks(admin_, "crm-1", subject, clock_->Now()));
  const Actor outsider = ContactActor(other_contact_.id());
  const size_t events = EventCount();
  // Each call twice: on the record of org_ and on an id nobody has.
  auto same = [](const absl::Status& hidden, const std::string& id,
                 const absl::Status& unknown, const std::string& none) {
    EXPECT_EQ(hidden.code(), absl::StatusCode::kNotFound) << hidden;
    EXPECT_EQ(absl::StrReplaceAll(hidden.message(), {{id, "ID"}}),
              absl::StrReplaceAll(unknown.message(), {{none, "ID"}}));
  };
  auto& rq = desk_->requests();
  auto& ts = desk_->techsupport();
  auto& dl = desk_->dialogs();
  const std::string req_none = "req-999", dlg_none = "dialog-999";
  const std::string inst_none = "inst-999", visit_none = "visit-999";
  const std::string org_none = "org-999";
  const int64_t v = r.version();
  same(rq.Get(outsider, r.id()).status(), r.id(),
       rq.Get(outsider, req_none).status(), req_none);
  same(rq.Cancel(outsider, r.id(), v, "spam").status(), r.id(),
       rq.Cancel(outsider, req_none, v, "spam").status(), req_none);
  same(rq.Rate(outsider, r.id(), v, 1, "").status(), r.id(),
       rq.Rate(outsider, req_none, v, 1, "").status(), req_none);
  // Staff-only calls refuse a contact before looking the id up at all.
  EXPECT_EQ(rq.Respond(outsider, r.id(), v, "x").status(),
            rq.Respond(outsider, req_none, v, "x").status());
  EXPECT_EQ(rq.Assign(outsider, r.id(), v, head_.id(), "x").status(),
            rq.Assign(outsider, req_none, v, head_.id(), "x").status());
  EXPECT_EQ(ts.CancelVisit(outsider, visit->id(), 0, "x").status(),
            ts.CancelVisit(outsider, visit_none, 0, "x").status());
  same(dl.Get(outsider, dialog->id()).status(), dialog->id(),
       dl.Get(outsider, dlg_none).status(), dlg_none);
  same(dl.Position(outsider, dialog->id()).status(), dialog->id(),
       dl.Position(outsider, dlg_none).status(), dlg_none);
  same(dl.Post(outsider, dialog->id(), "hi").status(), dialog->id(),
       dl.Post(outsider, dlg_none, "hi").status(), dlg_none);
  same(dl.Close(outsider, dialog->id()).status(), dialog->id(),
       dl.Close(outsider, dlg_none).status(), dlg_none);
  same(ts.GetInstallation(outsider, inst.id()).status(), inst.id(),
       ts.GetInstallation(outsider, inst_none).status(), inst_none);
  same(ts.GetVisit(outsider, visit->id()).status(), visit->id(),
       ts.GetVisit(outsider, visit_none).status(), visit_none);
  same(ts.ListVisits(outsider, r.id()).status(), r.id(),
       ts.ListVisits(outsider, req_none).status(), req_none);
  same(ts.ListInstallations(outsider, org_.id()).status(), org_.id(),
       ts.ListInstallations(outsider, org_none).status(), org_none);
  same(desk_->sla().Clocks(outsider, r.id()).status(), r.id(),
       desk_->sla().Clocks(outsider, req_none).status(), req_none);
  // The engine's own calls, for subjects of the embedding application.
  const absl::Time now = clock_->Now();
  EXPECT_EQ(desk_->sla().Pause(outsider, "crm-1", now).status(),
            desk_->sla().Pause(outsider, "crm-999", now).status());
  EXPECT_EQ(desk_->sla().Resume(outsider, "crm-1", now).status(),
            desk_->sla().Resume(outsider, "crm-999", now).status());
  EXPECT_EQ(desk_->sla()
                .Stop(outsider, "crm-1", v1::CLOCK_KIND_RESOLUTION, now)
                .status(),
            desk_->sla()
                .Stop(outsider, "crm-999", v1::CLOCK_KIND_RESOLUTION, now)
                .status());
  same(desk_->sla().Clocks(outsider, "crm-1").status(), "crm-1",
       desk_->sla().Clocks(outsider, "crm-999").status(), "crm-999");
  v1::ServiceRequest theirs = Draft();
  v1::ServiceRequest nobodys = Draft();
  nobodys.set_organization_id(org_none);
  same(rq.Open(outsider, theirs).status(), org_.id(),
       rq.Open(outsider, nobodys).status(), org_none);
  same(desk_->organizations().Get(outsider, org_.id()).status(), org_.id(),
       desk_->organizations().Get(outsider, org_none).status(), org_none);
  same(desk_->contacts().Get(outsider, contact_.id()).status(), contact_.id(),
       desk_->contacts().Get(outsider, "contact-999").status(), "contact-999");
  EXPECT_EQ(EventCount(), events);
  // Staff of another center are told that the record is not theirs.
  EXPECT_THAT(rq.Get(StaffActor(other_spec_.id()), r.id()),
              StatusIs(Code::kPermissionDenied));
}

TEST_P(TechSupportTest, InstallationsAreValidatedAndScopedToTheOrganization) {
  Actor eng = StaffActor(engineer_.id());
  size_t before = EventCount();
  v1::Installation bad = Spec(org_.id());
  bad.set_workstations(0);
  EXPECT_THAT(desk_->techsupport().CreateInstallation(eng, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("workstations")));
  bad = Spec(org_.id());
  bad.set_product_version("");
  EXPECT_THAT(desk_->techsupport().CreateInstallation(eng, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("product_version")));
  bad = Spec(org_.id());
  bad.add_installed_sets("accounting");
  EXPECT_THAT(desk_->techsupport().CreateInstallation(eng, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("installed_sets[2]")));
  bad = Spec("org-404");
  EXPECT_THAT(desk_->techsupport().CreateInstallation(eng, bad),
              StatusIs(Code::kNotFound, HasSubstr("organization_id")));
  EXPECT_THAT(desk_->techsupport().CreateInstallation(
                  StaffActor(other_spec_.id()), Spec(org_.id())),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->techsupport().CreateInstallation(
                  ContactActor(contact_.id()), Spec(org_.id())),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);

  auto created = desk_->techsupport().CreateInstallation(eng, Spec(org_.id()));
  ASSERT_OK(created);
  EXPECT_TRUE(created->active());
  EXPECT_EQ(created->center_id(), center_.id());
  EXPECT_EQ(created->workstations(), 12);
  v1::Installation second = MakeInstallation(org_.id());
  MakeInstallation(other_org_.id());

  auto list = desk_->techsupport().ListInstallations(
      ContactActor(contact_.id()), org_.id());
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].id(), created->id());
  EXPECT_EQ(list->items[1].id(), second.id());
  EXPECT_THAT(desk_->techsupport().ListInstallations(
                  ContactActor(other_contact_.id()), org_.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(desk_->techsupport().GetInstallation(StaffActor(other_spec_.id()),
                                                   created->id()),
              StatusIs(Code::kPermissionDenied));

  v1::Installation upd = *created;
  upd.set_workstations(20);
  upd.set_product_version("2025.2");
  auto updated = desk_->techsupport().UpdateInstallation(eng, upd);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->workstations(), 20);
  EXPECT_EQ(updated->version(), created->version() + 1);
  EXPECT_THAT(desk_->techsupport().UpdateInstallation(eng, upd),
              StatusIs(Code::kAborted, HasSubstr("version")));
  // Bad input is named whatever the version.
  upd.set_workstations(-1);
  EXPECT_THAT(desk_->techsupport().UpdateInstallation(eng, upd),
              StatusIs(Code::kInvalidArgument, HasSubstr("workstations")));
  upd = *updated;
  upd.set_organization_id(other_org_.id());
  EXPECT_THAT(desk_->techsupport().UpdateInstallation(eng, upd),
              StatusIs(Code::kInvalidArgument, HasSubstr("organization_id")));
}

TEST_P(TechSupportTest, TechnicalRequestsReferenceAnInstallationOfTheirOrg) {
  v1::Installation mine = MakeInstallation(org_.id());
  v1::Installation theirs = MakeInstallation(other_org_.id());
  v1::ServiceRequest d = Draft(v1::SERVICE_KIND_TECH_SETUP);
  EXPECT_THAT(desk_->requests().Open(ContactActor(contact_.id()), d),
              StatusIs(Code::kInvalidArgument, HasSubstr("installation_id")));
  // Another client's installation is as unknown as one that does not exist.
  d.set_installation_id(theirs.id());
  EXPECT_THAT(desk_->requests().Open(ContactActor(contact_.id()), d),
              StatusIs(Code::kNotFound, HasSubstr("installation_id")));
  d.set_installation_id("inst-404");
  EXPECT_THAT(
      desk_->requests().Open(ContactActor(contact_.id()), d),
      StatusIs(Code::kNotFound, HasSubstr("has no installation 'inst-404'")));
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_SETUP, mine.id());
  EXPECT_EQ(r.installation_id(), mine.id());
  // Engineers with the tech-support qualification get technical requests.
  EXPECT_EQ(r.assignee_id(), engineer_.id());

  v1::Installation off = mine;
  off.set_active(false);
  ASSERT_OK(desk_->techsupport().UpdateInstallation(admin_, off));
  d.set_installation_id(mine.id());
  EXPECT_THAT(
      desk_->requests().Open(ContactActor(contact_.id()), d),
      StatusIs(Code::kFailedPrecondition, HasSubstr("installation_id")));
}

TEST_P(TechSupportTest, EmergencyHasItsOwnTargetAroundTheClock) {
  v1::Installation inst = MakeInstallation(org_.id());
  clock_->Set(Msk(2025, 3, 8, 23, 0));  // Saturday night: the office is closed
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_EMERGENCY, inst.id());
  v1::TargetClock fr = Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  v1::TargetClock res = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(fr.calendar_id(), "");  // 24/7
  EXPECT_EQ(FromProto(fr.due_at()), Msk(2025, 3, 8, 23, 15));
  EXPECT_EQ(FromProto(res.due_at()), Msk(2025, 3, 9, 3, 0));
  // A set-up request opened at the same time waits for Monday's office.
  v1::ServiceRequest setup = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  EXPECT_EQ(
      FromProto(Clock(setup.id(), v1::CLOCK_KIND_FIRST_RESPONSE).due_at()),
      Msk(2025, 3, 10, 10, 0));
}

TEST_P(TechSupportTest, VisitsNeverDoubleBookAnEngineer) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  auto first = ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(2)));
  ASSERT_OK(first);
  EXPECT_EQ(first->state(), v1::VISIT_STATE_SCHEDULED);
  EXPECT_EQ(first->installation_id(), inst.id());
  EXPECT_EQ(first->organization_id(), org_.id());

  v1::ServiceRequest hotline = OpenHotline();
  size_t before = EventCount();
  // Overlaps: inside, around, across the start, across the end.
  for (auto [from, to] : std::vector<std::pair<absl::Duration, absl::Duration>>{
           {absl::Minutes(30), absl::Minutes(60)},
           {absl::Minutes(-30), absl::Hours(3)},
           {absl::Minutes(-30), absl::Minutes(1)},
           {absl::Minutes(119), absl::Hours(4)},
       }) {
    EXPECT_THAT(ts.ScheduleVisit(
                    head, Slot(r.id(), engineer_.id(), t10 + from, t10 + to)),
                StatusIs(Code::kFailedPrecondition, HasSubstr(first->id())))
        << from << " " << to;
  }
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), t10, t10)),
              StatusIs(Code::kInvalidArgument, HasSubstr("slot_end")));
  v1::Visit no_start = Slot(r.id(), engineer_.id(), t10, t10);
  no_start.clear_slot_start();
  EXPECT_THAT(
      ts.ScheduleVisit(head, no_start),
      StatusIs(Code::kInvalidArgument, HasSubstr("slot_start: required")));
  v1::Visit no_end = Slot(r.id(), engineer_.id(), t10, t10);
  no_end.clear_slot_end();
  EXPECT_THAT(
      ts.ScheduleVisit(head, no_end),
      StatusIs(Code::kInvalidArgument, HasSubstr("slot_end: required")));
  // Far outside the Timestamp range: refused before any arithmetic on it.
  v1::Visit ancient = Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(1));
  ancient.mutable_slot_start()->set_seconds(INT64_MIN / 2);
  EXPECT_THAT(ts.ScheduleVisit(head, ancient),
              StatusIs(Code::kInvalidArgument, HasSubstr("slot_start")));
  EXPECT_THAT(ts.ScheduleVisit(
                  head, Slot(r.id(), spec1_.id(), t10, t10 + absl::Hours(1))),
              StatusIs(Code::kFailedPrecondition, HasSubstr("engineer_id")));
  EXPECT_THAT(ts.ScheduleVisit(
                  head, Slot(r.id(), "staff-404", t10, t10 + absl::Hours(1))),
              StatusIs(Code::kNotFound, HasSubstr("engineer_id")));
  EXPECT_THAT(
      ts.ScheduleVisit(StaffActor(other_spec_.id()),
                       Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(1))),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      ts.ScheduleVisit(ContactActor(contact_.id()),
                       Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(1))),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(hotline.id(), engineer_.id(), t10,
                                          t10 + absl::Hours(1))),
              StatusIs(Code::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(EventCount(), before);

  // Back to back is fine on both sides.
  auto after = ts.ScheduleVisit(
      head,
      Slot(r.id(), engineer_.id(), t10 + absl::Hours(2), t10 + absl::Hours(3)));
  ASSERT_OK(after);
  auto before_slot = ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10 - absl::Hours(1), t10));
  ASSERT_OK(before_slot);
  // Another engineer is free at the same time.
  auto other_eng = Qualified(center_.id(), "Engineer Two",
                             {v1::STAFF_ROLE_ENGINEER}, {"tech-support"});
  ASSERT_OK(ts.ScheduleVisit(
      head, Slot(r.id(), other_eng.id(), t10, t10 + absl::Hours(2))));

  // Cancelling frees the slot; completed visits leave the schedule too.
  EXPECT_THAT(ts.CancelVisit(head, first->id(), first->version(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  auto cancelled =
      ts.CancelVisit(head, first->id(), first->version(), "client postponed");
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->state(), v1::VISIT_STATE_CANCELLED);
  EXPECT_THAT(ts.CancelVisit(head, first->id(), cancelled->version(), "again"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));
  // Malformed input is named before the state.
  EXPECT_THAT(ts.CancelVisit(head, first->id(), cancelled->version(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(ts.CompleteVisit(head, first->id(), cancelled->version(),
                               std::string(2001, 'x')),
              StatusIs(Code::kInvalidArgument, HasSubstr("notes")));
  v1::Visit planned = Slot(r.id(), engineer_.id(), t10 + absl::Minutes(30),
                           t10 + absl::Minutes(90));
  planned.set_notes("Bring the install DVD");
  auto again = ts.ScheduleVisit(head, planned);
  ASSERT_OK(again);
  // Not done before it begins: that would free a slot still booked.
  EXPECT_THAT(ts.CompleteVisit(StaffActor(engineer_.id()), again->id(),
                               again->version(), "early"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("slot_start")));
  clock_->Set(t10 + absl::Minutes(30));
  auto done = ts.CompleteVisit(StaffActor(engineer_.id()), again->id(),
                               again->version(), "Reinstalled the client");
  ASSERT_OK(done);
  EXPECT_EQ(done->state(), v1::VISIT_STATE_DONE);
  // The planning notes stay; the engineer's report follows them.
  EXPECT_EQ(done->notes(), "Bring the install DVD\nReinstalled the client");

  auto visits = ts.ListVisits(ContactActor(contact_.id()), r.id());
  ASSERT_OK(visits);
  ASSERT_EQ(visits->items.size(), 5u);
  EXPECT_EQ(visits->items[0].id(), before_slot->id());  // slot order
  EXPECT_THAT(ts.ListVisits(ContactActor(other_contact_.id()), r.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_OK(ts.GetVisit(ContactActor(colleague_.id()), done->id()));
  EXPECT_THAT(ts.GetVisit(StaffActor(other_spec_.id()), done->id()),
              StatusIs(Code::kPermissionDenied));

  // Visits only for open requests.
  auto s =
      desk_->requests().Start(StaffActor(engineer_.id()), r.id(), r.version());
  ASSERT_OK(s);
  ASSERT_OK(desk_->requests().Cancel(StaffActor(engineer_.id()), r.id(),
                                     s->version(), "duplicate"));
  EXPECT_THAT(
      ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), t10 + absl::Hours(5),
                                  t10 + absl::Hours(6))),
      StatusIs(Code::kFailedPrecondition, HasSubstr("request_id")));
}

TEST_P(TechSupportTest, CancellingTheRequestFreesItsEngineersSlots) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  auto booked = ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(2)));
  ASSERT_OK(booked);
  auto done_first = ts.ScheduleVisit(
      head,
      Slot(r.id(), engineer_.id(), t10 - absl::Hours(3), t10 - absl::Hours(2)));
  ASSERT_OK(done_first);
  clock_->Set(t10 - absl::Hours(2));
  ASSERT_OK(ts.CompleteVisit(head, done_first->id(), done_first->version(),
                             "diagnosed"));
  r = Get(r.id());
  ASSERT_OK(desk_->requests().Cancel(ContactActor(contact_.id()), r.id(),
                                     r.version(), "moved offices"));
  auto v = ts.GetVisit(head, booked->id());
  ASSERT_OK(v);
  EXPECT_EQ(v->state(), v1::VISIT_STATE_CANCELLED);
  EXPECT_THAT(v->notes(), HasSubstr("moved offices"));
  // A completed visit stays completed.
  auto kept = ts.GetVisit(head, done_first->id());
  ASSERT_OK(kept);
  EXPECT_EQ(kept->state(), v1::VISIT_STATE_DONE);
  // The slot is free for another request.
  v1::ServiceRequest next = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  EXPECT_OK(ts.ScheduleVisit(
      head, Slot(next.id(), engineer_.id(), t10, t10 + absl::Hours(2))));
}

// A request keeps its engineers booked only while it is a technical one,
// and nobody is sent to, or re-files a request against, an installation
// that is out of service.
TEST_P(TechSupportTest, VisitsNeedATechnicalRequestOnAnActiveInstallation) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  auto booked = ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(2)));
  ASSERT_OK(booked);
  r = Get(r.id());
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().ChangeKind(head, r.id(), r.version(),
                                           v1::SERVICE_KIND_HOTLINE_QUESTION),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr(absl::StrCat("kind: visit '", booked->id(),
                                              "' of request '", r.id(),
                                              "' is still scheduled"))));
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(r.id()).kind(), v1::SERVICE_KIND_TECH_SETUP);
  // Once the visit is cancelled the kind may change.
  ASSERT_OK(ts.CancelVisit(head, booked->id(), booked->version(),
                           "not a technical question"));
  auto hotline = desk_->requests().ChangeKind(
      head, r.id(), r.version(), v1::SERVICE_KIND_HOTLINE_QUESTION);
  ASSERT_OK(hotline);

  // The installation goes out of service.
  v1::ServiceRequest other =
      OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  v1::Installation off = inst;
  off.set_active(false);
  ASSERT_OK(ts.UpdateInstallation(admin_, off));
  before = EventCount();
  EXPECT_THAT(
      ts.ScheduleVisit(
          head, Slot(other.id(), engineer_.id(), t10, t10 + absl::Hours(1))),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr("installation_id"), HasSubstr("inactive"))));
  EXPECT_THAT(
      desk_->requests().ChangeKind(head, hotline->id(), hotline->version(),
                                   v1::SERVICE_KIND_TECH_RECOVERY),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr("installation_id"), HasSubstr("inactive"))));
  EXPECT_EQ(EventCount(), before);
}

// A request's visits list in slot order; visits of one start in the order
// they were booked, also where the ids grow a digit (visit-9, visit-10).
TEST_P(TechSupportTest, VisitsListInSlotThenBookingOrder) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time t10 = Msk(2025, 3, 10, 10, 0);
  std::vector<v1::StaffMember> engineers = {engineer_};
  for (int i = 0; i < 11; ++i)
    engineers.push_back(Qualified(center_.id(), absl::StrCat("Engineer ", i),
                                  {v1::STAFF_ROLE_ENGINEER}, {"tech-support"}));
  std::vector<std::string> booked;
  for (const v1::StaffMember& e : engineers) {
    auto v =
        ts.ScheduleVisit(head, Slot(r.id(), e.id(), t10, t10 + absl::Hours(1)));
    ASSERT_OK(v);
    booked.push_back(v->id());
  }
  auto early = ts.ScheduleVisit(
      head,
      Slot(r.id(), engineer_.id(), t10 - absl::Hours(2), t10 - absl::Hours(1)));
  ASSERT_OK(early);
  booked.insert(booked.begin(), early->id());
  std::vector<std::string> listed;
  PageRequest page;
  page.page_size = 5;
  do {
    auto p = ts.ListVisits(head, r.id(), page);
    ASSERT_OK(p);
    for (const v1::Visit& v : p->items) listed.push_back(v.id());
    page.page_token = p->next_page_token;
  } while (!page.page_token.empty());
  EXPECT_EQ(listed, booked);
}

TEST_P(TechSupportTest, TheEngineerNeedsTheKindsQualificationThroughTheSlot) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  Actor head = StaffActor(head_.id());
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  auto lapsing =
      Qualified(center_.id(), "Lapsing Engineer", {v1::STAFF_ROLE_ENGINEER},
                {"tech-support"}, t10 - absl::Minutes(1));
  auto unqualified =
      MakeStaff(center_.id(), "Trainee", {v1::STAFF_ROLE_ENGINEER});
  size_t before = EventCount();
  for (const v1::StaffMember& m : {lapsing, unqualified})
    EXPECT_THAT(
        desk_->techsupport().ScheduleVisit(
            head, Slot(r.id(), m.id(), t10, t10 + absl::Hours(1))),
        StatusIs(Code::kFailedPrecondition,
                 AllOf(HasSubstr("engineer_id"), HasSubstr("tech-support"))))
        << m.id();
  EXPECT_EQ(EventCount(), before);
  // Before the qualification lapses the same engineer may go, up to the
  // instant it lapses.
  EXPECT_OK(desk_->techsupport().ScheduleVisit(
      head,
      Slot(r.id(), lapsing.id(), t10 - absl::Hours(2), t10 - absl::Hours(1))));
  EXPECT_OK(desk_->techsupport().ScheduleVisit(
      head, Slot(r.id(), lapsing.id(), t10 - absl::Minutes(31),
                 t10 - absl::Minutes(1))));
  // Not for a slot it lapses in the middle of.
  before = EventCount();
  EXPECT_THAT(
      desk_->techsupport().ScheduleVisit(
          head, Slot(r.id(), lapsing.id(), t10 - absl::Minutes(59),
                     t10 + absl::Minutes(30))),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr("engineer_id"), HasSubstr("tech-support"),
                     HasSubstr("slot_end"))));
  EXPECT_EQ(EventCount(), before);
}

// Text fields are stored without surrounding whitespace, so that a set typed
// with a stray space repeats the one without, and a value of spaces alone is
// empty.
TEST_P(TechSupportTest, InstallationTextIsStoredTrimmed) {
  auto& ts = desk_->techsupport();
  v1::Installation spaced = Spec(org_.id());
  spaced.set_product_version("  2025.1 ");
  spaced.set_installed_sets(0, " federal-law");
  spaced.set_installed_sets(1, "accounting\t");
  spaced.set_address("\n Moscow, Tverskaya 1  \n");
  auto created = ts.CreateInstallation(admin_, spaced);
  ASSERT_OK(created);
  EXPECT_EQ(created->product_version(), "2025.1");
  EXPECT_THAT(created->installed_sets(),
              ::testing::ElementsAre("federal-law", "accounting"));
  EXPECT_EQ(created->address(), "Moscow, Tverskaya 1");
  auto read = ts.GetInstallation(admin_, created->id());
  ASSERT_OK(read);
  EXPECT_EQ(read->product_version(), "2025.1");

  size_t before = EventCount();
  v1::Installation bad = Spec(org_.id());
  bad.set_product_version(" \t ");
  EXPECT_THAT(
      ts.CreateInstallation(admin_, bad),
      StatusIs(Code::kInvalidArgument,
               AllOf(HasSubstr("product_version"), HasSubstr("empty"))));
  bad = Spec(org_.id());
  bad.set_installed_sets(1, "   ");
  EXPECT_THAT(
      ts.CreateInstallation(admin_, bad),
      StatusIs(Code::kInvalidArgument,
               AllOf(HasSubstr("installed_sets[1]"), HasSubstr("empty"))));
  bad = Spec(org_.id());
  bad.add_installed_sets(" accounting ");
  EXPECT_THAT(
      ts.CreateInstallation(admin_, bad),
      StatusIs(Code::kInvalidArgument,
               AllOf(HasSubstr("installed_sets[2]"), HasSubstr("repeated"))));
  // The limits count what is stored: 50 characters between spaces fit.
  bad = Spec(org_.id());
  bad.set_product_version(" " + std::string(50, 'v') + " ");
  EXPECT_OK(ts.CreateInstallation(admin_, bad));
  ++before;

  v1::Installation upd = *created;
  upd.set_product_version(" 2025.2\t");
  upd.set_address("  ");
  auto updated = ts.UpdateInstallation(admin_, upd);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->product_version(), "2025.2");
  EXPECT_EQ(updated->address(), "");
  ++before;
  upd = *updated;
  upd.set_product_version("   ");
  EXPECT_THAT(ts.UpdateInstallation(admin_, upd),
              StatusIs(Code::kInvalidArgument, HasSubstr("product_version")));
  EXPECT_EQ(EventCount(), before);
  auto kept = ts.GetInstallation(admin_, created->id());
  ASSERT_OK(kept);
  EXPECT_EQ(kept->product_version(), "2025.2");
}

// A slot is one working day at most, after the request was registered and
// at most 730 days ahead: a slot in year 1 or a year long is a typo.
TEST_P(TechSupportTest, VisitSlotsAreADayAtMostBetweenRegistrationAndHorizon) {
  v1::Installation inst = MakeInstallation(org_.id());
  const absl::Time registered = clock_->Now();
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  ASSERT_EQ(FromProto(r.registered_at()), registered);
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  const absl::Duration horizon = absl::Hours(24 * 730);
  size_t before = EventCount();
  EXPECT_THAT(ts.ScheduleVisit(
                  head, Slot(r.id(), engineer_.id(), t10,
                             t10 + absl::Hours(24) + absl::Microseconds(1))),
              StatusIs(Code::kInvalidArgument,
                       AllOf(HasSubstr("slot_end"), HasSubstr("24 hours"))));
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), t10,
                                          t10 + absl::Hours(24 * 365))),
              StatusIs(Code::kInvalidArgument, HasSubstr("slot_end")));
  // Year 1: a valid Timestamp, long before the request was registered.
  const absl::Time year1 = absl::FromCivil(absl::CivilSecond(1, 1, 1, 10, 0, 0),
                                           absl::UTCTimeZone());
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), year1,
                                          year1 + absl::Hours(1))),
              StatusIs(Code::kInvalidArgument,
                       AllOf(HasSubstr("slot_start"), HasSubstr("registered"),
                             HasSubstr(r.id()))));
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(),
                                          registered - absl::Seconds(1),
                                          registered + absl::Hours(1))),
              StatusIs(Code::kInvalidArgument, HasSubstr("slot_start")));
  const absl::Time far = registered + horizon + absl::Seconds(1);
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), far,
                                          far + absl::Hours(1))),
              StatusIs(Code::kInvalidArgument,
                       AllOf(HasSubstr("slot_start"), HasSubstr("730 days"))));
  const absl::Time y9999 = absl::FromCivil(
      absl::CivilSecond(9999, 12, 31, 10, 0, 0), absl::UTCTimeZone());
  EXPECT_THAT(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), y9999,
                                          y9999 + absl::Hours(1))),
              StatusIs(Code::kInvalidArgument, HasSubstr("slot_start")));
  EXPECT_EQ(EventCount(), before);
  auto none = ts.ListVisits(head, r.id());
  ASSERT_OK(none);
  EXPECT_TRUE(none->items.empty());

  // The limits themselves are fine: from the instant of registration, a
  // whole day, and a slot starting exactly at the horizon.
  EXPECT_OK(ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), registered,
                                        registered + absl::Hours(1))));
  EXPECT_OK(ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(24))));
  EXPECT_OK(
      ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), registered + horizon,
                                  registered + horizon + absl::Hours(8))));
  // The horizon moves with the clock.
  clock_->Set(registered + absl::Hours(24 * 30));
  auto second = Qualified(center_.id(), "Engineer Two",
                          {v1::STAFF_ROLE_ENGINEER}, {"tech-support"});
  EXPECT_OK(ts.ScheduleVisit(
      head, Slot(r.id(), second.id(), far, far + absl::Hours(8))));
}

// An engineer with visits still ahead (or under way) is not deactivated: the
// client would wait for someone nobody can book or mark the visit done for.
TEST_P(TechSupportTest, EngineersWithVisitsAheadAreNotDeactivated) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  ASSERT_EQ(r.assignee_id(), engineer_.id());
  // Not the request's assignee: only the visits hold this one back.
  v1::StaffMember visiting =
      Qualified(center_.id(), "Visiting Engineer", {v1::STAFF_ROLE_ENGINEER},
                {"tech-support"});
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time tue10 = Msk(2025, 3, 4, 10, 0);
  const absl::Time wed10 = Msk(2025, 3, 5, 10, 0);
  auto tue = ts.ScheduleVisit(
      head, Slot(r.id(), visiting.id(), tue10, tue10 + absl::Hours(2)));
  ASSERT_OK(tue);
  auto wed = ts.ScheduleVisit(
      head, Slot(r.id(), visiting.id(), wed10, wed10 + absl::Hours(2)));
  ASSERT_OK(wed);
  auto thu = ts.ScheduleVisit(
      head, Slot(r.id(), visiting.id(), wed10 + absl::Hours(24),
                 wed10 + absl::Hours(26)));
  ASSERT_OK(thu);
  auto fri = ts.ScheduleVisit(
      head, Slot(r.id(), visiting.id(), wed10 + absl::Hours(48),
                 wed10 + absl::Hours(50)));
  ASSERT_OK(fri);
  size_t before = EventCount();
  // The first three are named, in slot order.
  EXPECT_THAT(
      desk_->staff().Deactivate(admin_, visiting.id()),
      StatusIs(
          Code::kFailedPrecondition,
          AllOf(HasSubstr(visiting.id()), HasSubstr("4 scheduled visits"),
                HasSubstr(absl::StrCat("('", tue->id(), "', '", wed->id(),
                                       "', '", thu->id(), "' and 1 more)")))));
  ASSERT_OK(ts.CancelVisit(head, thu->id(), thu->version(), "not needed"));
  ASSERT_OK(ts.CancelVisit(head, fri->id(), fri->version(), "not needed"));
  // Tuesday's visit under way still counts; cancelled ones do not.
  clock_->Set(tue10 + absl::Hours(1));
  EXPECT_THAT(desk_->staff().Deactivate(admin_, visiting.id()),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("2 scheduled visits"),
                             HasSubstr(tue->id()), HasSubstr(wed->id()),
                             ::testing::Not(HasSubstr(thu->id())))));
  auto done = ts.CompleteVisit(StaffActor(visiting.id()), tue->id(),
                               tue->version(), "fixed");
  ASSERT_OK(done);
  before = EventCount();
  EXPECT_THAT(desk_->staff().Deactivate(head, visiting.id()),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("1 scheduled visit that has not ended"),
                             HasSubstr(wed->id()))));
  EXPECT_EQ(EventCount(), before);
  auto still = desk_->staff().Get(admin_, visiting.id());
  ASSERT_OK(still);
  EXPECT_TRUE(still->active());
  // Once Wednesday's slot is over (half-open: at its end), the visit left
  // SCHEDULED holds nobody back.
  clock_->Set(wed10 + absl::Hours(2));
  auto gone = desk_->staff().Deactivate(admin_, visiting.id());
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->active());
}

// An engineer booked for visits that have not ended keeps what they were
// booked on: the ENGINEER role, and the kind's qualification until each slot
// ends. Update refuses the change (naming the field and the visits) as
// Deactivate refuses to take the engineer away.
TEST_P(TechSupportTest, AnUpdateKeepsWhatTheEngineersVisitsNeed) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_RECOVERY, inst.id());
  v1::StaffMember visiting =
      Qualified(center_.id(), "Visiting Engineer",
                {v1::STAFF_ROLE_ENGINEER, v1::STAFF_ROLE_HOTLINE_SPECIALIST},
                {"tech-support", "hotline"});
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  const absl::Time tue10 = Msk(2025, 3, 4, 10, 0);
  const absl::Time tue12 = tue10 + absl::Hours(2);
  auto visit =
      ts.ScheduleVisit(head, Slot(r.id(), visiting.id(), tue10, tue12));
  ASSERT_OK(visit);
  const size_t before = EventCount();
  auto refused = [&](const v1::StaffMember& change, const std::string& field,
                     const std::string& need) {
    EXPECT_THAT(desk_->staff().Update(head, change),
                StatusIs(Code::kFailedPrecondition,
                         AllOf(HasSubstr(absl::StrCat(
                                   field, ": staff member '", visiting.id(),
                                   "' is the engineer of 1 scheduled visit "
                                   "that has not ended ('",
                                   visit->id(), "')")),
                               HasSubstr(need))));
  };

  v1::StaffMember no_role = visiting;
  no_role.clear_roles();
  no_role.add_roles(v1::STAFF_ROLE_HOTLINE_SPECIALIST);
  refused(no_role, "roles", "must stay an ENGINEER");
  v1::StaffMember no_qual = visiting;
  no_qual.mutable_qualifications()->DeleteSubrange(0, 1);  // tech-support
  ASSERT_EQ(no_qual.qualifications(0).code(), "hotline");
  refused(no_qual, "qualifications", "stay qualified through each slot");
  // Ending before the slot does is ending too soon.
  v1::StaffMember lapsing = visiting;
  *lapsing.mutable_qualifications(0)->mutable_valid_until() =
      ToProto(tue12 - absl::Minutes(1));
  refused(lapsing, "qualifications", "stay qualified through each slot");
  EXPECT_EQ(EventCount(), before);
  auto same = desk_->staff().Get(admin_, visiting.id());
  ASSERT_OK(same);
  EXPECT_EQ(same->version(), visiting.version());

  // Held until the slot ends is enough; so is any change that keeps them.
  *lapsing.mutable_qualifications(0)->mutable_valid_until() = ToProto(tue12);
  auto held = desk_->staff().Update(head, lapsing);
  ASSERT_OK(held);
  v1::StaffMember phone = *held;
  phone.set_phone("+7 495 000-00-00");
  auto phoned = desk_->staff().Update(head, phone);
  ASSERT_OK(phoned);

  // Once the slot is over, the visit left SCHEDULED holds nothing back.
  clock_->Set(tue12);
  no_qual.set_version(phoned->version());
  no_qual.clear_roles();
  no_qual.add_roles(v1::STAFF_ROLE_HOTLINE_SPECIALIST);
  auto changed = desk_->staff().Update(head, no_qual);
  ASSERT_OK(changed);
  EXPECT_EQ(changed->roles_size(), 1);
}

// A technical request is resolved only once its visits are settled, so the
// record of what happened on site is never lost; Close follows Resolve.
TEST_P(TechSupportTest, ResolvingWaitsForScheduledVisits) {
  v1::Installation inst = MakeInstallation(org_.id());
  v1::ServiceRequest r = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  Actor eng = StaffActor(engineer_.id());
  Actor head = StaffActor(head_.id());
  auto& ts = desk_->techsupport();
  auto& rq = desk_->requests();
  const absl::Time t10 = Msk(2025, 3, 4, 10, 0);
  auto first = ts.ScheduleVisit(
      head, Slot(r.id(), engineer_.id(), t10, t10 + absl::Hours(2)));
  ASSERT_OK(first);
  auto second =
      ts.ScheduleVisit(head, Slot(r.id(), engineer_.id(), t10 + absl::Hours(24),
                                  t10 + absl::Hours(26)));
  ASSERT_OK(second);
  auto started = rq.Start(eng, r.id(), r.version());
  ASSERT_OK(started);
  size_t before = EventCount();
  EXPECT_THAT(rq.Resolve(eng, r.id(), started->version(), "set up"),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("visits: visits '"), HasSubstr(r.id()),
                             HasSubstr(first->id()), HasSubstr(second->id()),
                             HasSubstr("are still scheduled"))));
  EXPECT_EQ(EventCount(), before);
  ASSERT_OK(
      ts.CancelVisit(head, second->id(), second->version(), "done in one day"));
  before = EventCount();
  EXPECT_THAT(
      rq.Resolve(eng, r.id(), started->version(), "set up"),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr(absl::StrCat("visit '", first->id(), "'")),
                     HasSubstr("is still scheduled; mark it done"),
                     ::testing::Not(HasSubstr(second->id())))));
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(r.id()).state(), v1::REQUEST_STATE_IN_PROGRESS);
  clock_->Set(t10 + absl::Hours(2));
  ASSERT_OK(ts.CompleteVisit(eng, first->id(), first->version(),
                             "14 workstations set up"));
  auto resolved = rq.Resolve(eng, r.id(), started->version(), "set up");
  ASSERT_OK(resolved);
  ASSERT_OK(rq.Close(ContactActor(contact_.id()), r.id(), resolved->version()));
  auto visits = ts.ListVisits(head, r.id());
  ASSERT_OK(visits);
  ASSERT_EQ(visits->items.size(), 2u);
  EXPECT_EQ(visits->items[0].state(), v1::VISIT_STATE_DONE);
  EXPECT_EQ(visits->items[1].state(), v1::VISIT_STATE_CANCELLED);
  // A request whose visits were all cancelled is resolved as any other.
  v1::ServiceRequest other = OpenTech(v1::SERVICE_KIND_TECH_SETUP, inst.id());
  auto booked = ts.ScheduleVisit(
      head, Slot(other.id(), engineer_.id(), t10 + absl::Hours(48),
                 t10 + absl::Hours(50)));
  ASSERT_OK(booked);
  ASSERT_OK(ts.CancelVisit(head, booked->id(), booked->version(), "remote"));
  auto s = rq.Start(eng, other.id(), other.version());
  ASSERT_OK(s);
  EXPECT_OK(rq.Resolve(eng, other.id(), s->version(), "fixed remotely"));
}

INSTANTIATE_TEST_SUITE_P(Backends, TechSupportTest,
                         ::testing::Values("memory", "sqlite"));

}  // namespace
}  // namespace servicedesk
