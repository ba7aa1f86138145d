// Service requests through the public API: registration with SLA clocks,
// assignment, the lifecycle, outcomes, rating, authorization — on every
// backend.
#include <algorithm>

#include "absl/strings/escaping.h"
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
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using Code = absl::StatusCode;

v1::SlaTarget Target(absl::Duration d) {
  v1::SlaTarget t;
  *t.mutable_duration() = ToProto(d);
  t.set_calendar_source(v1::CALENDAR_SOURCE_CENTER);
  return t;
}

class RequestsTest : public testing::RequestsTest {};

TEST_P(RequestsTest, OpenRegistersStartsClocksAndAssignsLeastLoaded) {
  const absl::Time now = clock_->Now();
  int64_t seq = LastSeq();
  v1::ServiceRequest a = OpenHotline();
  EXPECT_EQ(a.state(), v1::REQUEST_STATE_ASSIGNED);
  EXPECT_EQ(FromProto(a.registered_at()), now);
  EXPECT_EQ(a.center_id(), center_.id());
  EXPECT_EQ(a.contact_id(), contact_.id());  // filled in for a contact
  EXPECT_EQ(a.version(), 1);
  // Both specialists have no load: the lower id wins.
  EXPECT_EQ(a.assignee_id(), spec1_.id());
  ASSERT_EQ(a.assignments_size(), 1);
  EXPECT_EQ(a.assignments(0).by(), "auto");
  ASSERT_EQ(a.history_size(), 1);
  EXPECT_EQ(a.history(0).from(), v1::REQUEST_STATE_NEW);
  EXPECT_EQ(a.history(0).to(), v1::REQUEST_STATE_ASSIGNED);
  // Catalog default for a hotline question: 15 min / 4 h of business time.
  v1::TargetClock fr = Clock(a.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(FromProto(fr.started_at()), now);
  EXPECT_EQ(FromProto(fr.due_at()), now + absl::Minutes(15));
  EXPECT_EQ(fr.subject().assignee_id(), spec1_.id());
  EXPECT_EQ(FromProto(Clock(a.id(), v1::CLOCK_KIND_RESOLUTION).due_at()),
            Msk(2025, 3, 3, 14, 0));
  auto events = EventsAfter(seq);
  EXPECT_THAT(RequestActions(events, a.id()),
              ElementsAre("opened", "assigned", "state_changed"));
  // The request's events and the clocks' commit together.
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](auto& e) {
    return e.entity_type() == "sla_clock" && e.action() == "sla.started";
  }));

  v1::ServiceRequest b = OpenHotline();
  EXPECT_EQ(b.assignee_id(), spec2_.id());
  v1::ServiceRequest c = OpenAs(StaffActor(head_.id()), Draft());
  EXPECT_EQ(c.assignee_id(), spec1_.id());  // 1 : 1, ties by id
  EXPECT_EQ(c.contact_id(), "");
  // Resolving one of spec1's requests lowers their load below spec2's.
  auto started = desk_->requests().Respond(StaffActor(spec1_.id()), a.id(),
                                           a.version(), "Looking into it");
  ASSERT_OK(started);
  ASSERT_OK(desk_->requests().Resolve(StaffActor(spec1_.id()), a.id(),
                                      started->version(), "answered"));
  ASSERT_OK(desk_->requests().Respond(StaffActor(spec1_.id()), c.id(),
                                      c.version(), "On it"));
  v1::ServiceRequest d = OpenHotline();
  v1::ServiceRequest e = OpenHotline();
  EXPECT_EQ(d.assignee_id(), spec1_.id());  // 1 open : 1 open, ties by id
  EXPECT_EQ(e.assignee_id(), spec2_.id());
}

// A subscriber may call the desk while a call's events are delivered: the
// nested call runs while the outer call's scratch arena is still alive, so it
// must allocate its own, and both results stay whole.
TEST_P(RequestsTest, ASubscriberCanWorkOnTheRequestItIsToldAbout) {
  std::vector<v1::ServiceRequest> responded;
  std::vector<v1::TargetClock> stopped;
  std::vector<int64_t> seen_by_worker, seen_by_relay;
  int64_t sub = desk_->events().Subscribe([&](const v1::Event& e) {
    seen_by_worker.push_back(e.seq());
    if (e.entity_type() != "request" || e.action() != "opened") return;
    auto r = desk_->requests().Get(StaffActor(spec1_.id()), e.entity_id());
    ASSERT_OK(r);
    auto done = desk_->requests().Respond(StaffActor(r->assignee_id()), r->id(),
                                          r->version(), "Seen it");
    ASSERT_OK(done);
    responded.push_back(*done);
    auto clocks = desk_->sla().Clocks(admin_, r->id());
    ASSERT_OK(clocks);
    for (const v1::TargetClock& c : *clocks)
      if (c.state() == v1::CLOCK_STATE_STOPPED) stopped.push_back(c);
  });
  // A second subscriber (a mail relay, say) is told of the response only
  // after the rest of the opening: the commit a callback makes is delivered
  // once the commit being delivered is, so each subscriber sees this
  // thread's events in seq order.
  int64_t relay = desk_->events().Subscribe(
      [&](const v1::Event& e) { seen_by_relay.push_back(e.seq()); });
  const int64_t first = LastSeq();
  v1::ServiceRequest a = OpenHotline();
  desk_->events().Unsubscribe(sub);
  desk_->events().Unsubscribe(relay);
  std::vector<int64_t> all;
  for (int64_t seq = first + 1; seq <= LastSeq(); ++seq) all.push_back(seq);
  EXPECT_GT(all.size(), 4u);
  EXPECT_EQ(seen_by_worker, all);
  EXPECT_EQ(seen_by_relay, all);
  EXPECT_EQ(a.state(), v1::REQUEST_STATE_ASSIGNED);
  EXPECT_EQ(a.version(), 1);
  ASSERT_EQ(responded.size(), 1u);
  EXPECT_EQ(responded[0].id(), a.id());
  EXPECT_EQ(responded[0].state(), v1::REQUEST_STATE_IN_PROGRESS);
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].kind(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(stopped[0].subject_id(), a.id());
  EXPECT_TRUE(stopped[0].met());
  // The thread's block is free again: the next calls run as usual.
  v1::ServiceRequest b = OpenHotline();
  EXPECT_EQ(b.assignee_id(), spec2_.id());
  auto resolved = desk_->requests().Resolve(StaffActor(spec1_.id()), a.id(),
                                            responded[0].version(), "Answered");
  ASSERT_OK(resolved);
  EXPECT_EQ(Clock(a.id(), v1::CLOCK_KIND_RESOLUTION).state(),
            v1::CLOCK_STATE_STOPPED);
}

TEST_P(RequestsTest, ExpiredQualificationAndInactiveStaffAreNotAssigned) {
  ASSERT_OK(desk_->staff().Deactivate(admin_, spec1_.id()));
  auto expired =
      Qualified(center_.id(), "Expired", {v1::STAFF_ROLE_HOTLINE_SPECIALIST},
                {"hotline"}, clock_->Now() - absl::Hours(1));
  auto valid =
      Qualified(center_.id(), "Valid", {v1::STAFF_ROLE_HOTLINE_SPECIALIST},
                {"hotline"}, clock_->Now() + absl::Hours(24 * 30));
  for (int i = 0; i < 4; ++i) {
    v1::ServiceRequest r = OpenHotline();
    EXPECT_NE(r.assignee_id(), spec1_.id());
    EXPECT_NE(r.assignee_id(), expired.id());
    EXPECT_TRUE(r.assignee_id() == spec2_.id() || r.assignee_id() == valid.id())
        << r.assignee_id();
  }
}

TEST_P(RequestsTest, WithoutQualifiedStaffTheRequestIsQueuedAndTheHeadTold) {
  int64_t seq = LastSeq();
  v1::ServiceRequest first =
      OpenAs(ContactActor(contact_.id()),
             Draft(v1::SERVICE_KIND_TRAINING_REQUEST, v1::CHANNEL_EMAIL));
  clock_->Advance(absl::Minutes(1));
  v1::ServiceRequest second =
      OpenAs(ContactActor(colleague_.id()),
             Draft(v1::SERVICE_KIND_TRAINING_REQUEST, v1::CHANNEL_EMAIL));
  EXPECT_EQ(first.state(), v1::REQUEST_STATE_NEW);
  EXPECT_EQ(first.assignee_id(), "");
  // The center head is notified through a "queued" event naming them.
  auto events = EventsAfter(seq);
  auto queued = std::find_if(events.begin(), events.end(), [&](auto& e) {
    return e.entity_id() == first.id() && e.action() == "queued";
  });
  ASSERT_NE(queued, events.end());
  EXPECT_EQ(queued->details().at("center_heads"), head_.id());
  EXPECT_THAT(queued->details().at("reason"), HasSubstr("STAFF_ROLE_TRAINER"));
  // SLA clocks run while queued.
  EXPECT_EQ(Clocks(first.id()).size(), 2u);

  auto queue = desk_->requests().Queue(StaffActor(spec1_.id()), center_.id());
  ASSERT_OK(queue);
  ASSERT_EQ(queue->items.size(), 2u);
  EXPECT_EQ(queue->items[0].id(), first.id());  // oldest first
  EXPECT_EQ(queue->items[1].id(), second.id());
  EXPECT_THAT(
      desk_->requests().Queue(StaffActor(other_spec_.id()), center_.id()),
      StatusIs(Code::kPermissionDenied));

  // Nobody yet: AssignQueued assigns nothing.
  auto none =
      desk_->requests().AssignQueued(StaffActor(head_.id()), center_.id());
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  // A qualified trainer joins: the queue is picked up, oldest first.
  auto trainer = Qualified(center_.id(), "Trainer", {v1::STAFF_ROLE_TRAINER},
                           {"training"});
  auto assigned =
      desk_->requests().AssignQueued(StaffActor(head_.id()), center_.id());
  ASSERT_OK(assigned);
  ASSERT_EQ(assigned->size(), 2u);
  EXPECT_EQ((*assigned)[0].id(), first.id());
  EXPECT_EQ(Get(first.id()).assignee_id(), trainer.id());
  EXPECT_EQ(Get(first.id()).state(), v1::REQUEST_STATE_ASSIGNED);
  EXPECT_EQ(
      Clock(first.id(), v1::CLOCK_KIND_RESOLUTION).subject().assignee_id(),
      trainer.id());
  queue = desk_->requests().Queue(admin_, center_.id());
  ASSERT_OK(queue);
  EXPECT_TRUE(queue->items.empty());
}

TEST_P(RequestsTest, AHeadAssignsAQueuedRequestByHand) {
  v1::ServiceRequest r =
      OpenAs(ContactActor(contact_.id()),
             Draft(v1::SERVICE_KIND_TRAINING_REQUEST, v1::CHANNEL_EMAIL));
  ASSERT_EQ(r.state(), v1::REQUEST_STATE_NEW);
  EXPECT_THAT(
      desk_->requests().Respond(StaffActor(head_.id()), r.id(), r.version(),
                                "hi"),
      StatusIs(Code::kFailedPrecondition, HasSubstr("assign it first")));
  // Manual assignment needs the kind's qualification, unexpired, too.
  auto untrained =
      MakeStaff(center_.id(), "New Trainer", {v1::STAFF_ROLE_TRAINER});
  auto lapsed =
      Qualified(center_.id(), "Lapsed Trainer", {v1::STAFF_ROLE_TRAINER},
                {"training"}, clock_->Now() - absl::Hours(1));
  size_t before = EventCount();
  for (const auto& m : {untrained, lapsed})
    EXPECT_THAT(desk_->requests().Assign(StaffActor(head_.id()), r.id(),
                                         r.version(), m.id(), "covers it"),
                StatusIs(Code::kFailedPrecondition,
                         AllOf(HasSubstr("staff_id"),
                               HasSubstr("no unexpired qualification "
                                         "'training'"))));
  EXPECT_EQ(EventCount(), before);
  auto trainer = Qualified(center_.id(), "Trainer", {v1::STAFF_ROLE_TRAINER},
                           {"training"}, clock_->Now() + absl::Hours(1));
  auto s = desk_->requests().Assign(StaffActor(head_.id()), r.id(), r.version(),
                                    trainer.id(), "covers it");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_ASSIGNED);
  EXPECT_EQ(s->assignee_id(), trainer.id());
  EXPECT_EQ(s->assignments(0).by(), "staff:" + head_.id());
  auto queue = desk_->requests().Queue(admin_, center_.id());
  ASSERT_OK(queue);
  EXPECT_TRUE(queue->items.empty());
  EXPECT_THAT(
      desk_->requests().Resume(StaffActor(trainer.id()), r.id(), s->version()),
      StatusIs(Code::kFailedPrecondition,
               HasSubstr("cannot go from ASSIGNED to IN_PROGRESS")));
  EXPECT_THAT(desk_->requests().Reopen(StaffActor(trainer.id()), r.id(),
                                       s->version(), "x"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from ASSIGNED to IN_PROGRESS")));
}

TEST_P(RequestsTest, ManagerContactGoesToThePersonalManager) {
  v1::ServiceRequest r = OpenAs(
      ContactActor(contact_.id()),
      Draft(v1::SERVICE_KIND_MANAGER_CONTACT, v1::CHANNEL_PERSONAL_MANAGER));
  EXPECT_EQ(r.assignee_id(), manager_.id());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_ASSIGNED);
}

TEST_P(RequestsTest, ManualAssignmentKeepsHistoryAndChecksTheStaffMember) {
  v1::ServiceRequest r = OpenHotline();
  ASSERT_EQ(r.assignee_id(), spec1_.id());
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().Assign(StaffActor(head_.id()), r.id(),
                                       r.version(), other_spec_.id(), "x"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("staff_id")));
  EXPECT_THAT(desk_->requests().Assign(StaffActor(head_.id()), r.id(),
                                       r.version(), engineer_.id(), "x"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("STAFF_ROLE_HOTLINE_SPECIALIST")));
  EXPECT_THAT(desk_->requests().Assign(StaffActor(head_.id()), r.id(),
                                       r.version(), "staff-999", "x"),
              StatusIs(Code::kNotFound, HasSubstr("staff_id")));
  EXPECT_THAT(desk_->requests().Assign(StaffActor(head_.id()), r.id(),
                                       r.version(), spec2_.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  // Another specialist (not the assignee, not the head) may not reassign.
  EXPECT_THAT(desk_->requests().Assign(StaffActor(spec2_.id()), r.id(),
                                       r.version(), spec2_.id(), "mine"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);

  auto moved = desk_->requests().Assign(StaffActor(spec1_.id()), r.id(),
                                        r.version(), spec2_.id(), "vacation");
  ASSERT_OK(moved);
  EXPECT_EQ(moved->assignee_id(), spec2_.id());
  ASSERT_EQ(moved->assignments_size(), 2);
  EXPECT_EQ(moved->assignments(0).staff_id(), spec1_.id());
  EXPECT_EQ(moved->assignments(1).staff_id(), spec2_.id());
  EXPECT_EQ(moved->assignments(1).by(), "staff:" + spec1_.id());
  EXPECT_EQ(moved->assignments(1).reason(), "vacation");
  EXPECT_EQ(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).subject().assignee_id(),
            spec2_.id());
}

TEST_P(RequestsTest, LifecyclePausesWhileWaitingOnTheClient) {
  v1::ServiceRequest r = OpenHotline();  // Monday 10:00
  Actor me = StaffActor(spec1_.id());
  clock_->Advance(absl::Minutes(5));
  auto s = desk_->requests().Respond(me, r.id(), r.version(), "Hello!");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(FromProto(s->first_response_at()), clock_->Now());
  ASSERT_EQ(s->messages_size(), 1);
  EXPECT_EQ(s->messages(0).staff_id(), spec1_.id());
  v1::TargetClock fr = Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_TRUE(fr.met());

  clock_->Advance(absl::Minutes(55));  // 11:00
  s = desk_->requests().WaitOnClient(me, r.id(), s->version(),
                                     "Which edition do you use?");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_WAITING_ON_CLIENT);
  EXPECT_EQ(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).state(),
            v1::CLOCK_STATE_PAUSED);

  clock_->Advance(absl::Hours(2));  // 13:00: the client answers
  s = desk_->requests().Resume(ContactActor(contact_.id()), r.id(),
                               s->version(), "The professional one");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(s->messages(1).contact_id(), contact_.id());
  v1::TargetClock res = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(res.state(), v1::CLOCK_STATE_RUNNING);
  // Due 14:00 + 2 h of pause.
  EXPECT_EQ(FromProto(res.due_at()), Msk(2025, 3, 3, 16, 0));

  clock_->Advance(absl::Hours(1));
  s = desk_->requests().Resolve(me, r.id(), s->version(), "Sent the link");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_RESOLVED);
  EXPECT_EQ(s->resolution(), "Sent the link");
  res = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(res.state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_TRUE(res.met());
  EXPECT_EQ(FromProto(res.business_elapsed()), absl::Hours(2));

  s = desk_->requests().Close(ContactActor(contact_.id()), r.id(),
                              s->version());
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_CLOSED);
  EXPECT_EQ(FromProto(s->closed_at()), clock_->Now());
  std::vector<v1::RequestState> path;
  for (auto& h : s->history()) path.push_back(h.to());
  EXPECT_THAT(
      path,
      ElementsAre(v1::REQUEST_STATE_ASSIGNED, v1::REQUEST_STATE_IN_PROGRESS,
                  v1::REQUEST_STATE_WAITING_ON_CLIENT,
                  v1::REQUEST_STATE_IN_PROGRESS, v1::REQUEST_STATE_RESOLVED,
                  v1::REQUEST_STATE_CLOSED));
  EXPECT_THAT(RequestActions(EventsAfter(0), r.id()),
              IsSupersetOf({"opened", "assigned", "responded", "state_changed",
                            "resolved", "closed"}));
}

TEST_P(RequestsTest, ForbiddenTransitionsNameBothStates) {
  v1::ServiceRequest r = OpenHotline();
  Actor me = StaffActor(spec1_.id());
  EXPECT_THAT(
      desk_->requests().Resolve(me, r.id(), r.version(), "x"),
      StatusIs(Code::kFailedPrecondition,
               HasSubstr("state: cannot go from ASSIGNED to RESOLVED")));
  auto s = desk_->requests().Start(me, r.id(), r.version());
  ASSERT_OK(s);
  s = desk_->requests().Resolve(me, r.id(), s->version(), "done");
  ASSERT_OK(s);
  size_t before = EventCount();
  EXPECT_THAT(
      desk_->requests().WaitOnClient(me, r.id(), s->version(), "?"),
      StatusIs(
          Code::kFailedPrecondition,
          HasSubstr("state: cannot go from RESOLVED to WAITING_ON_CLIENT")));
  EXPECT_THAT(desk_->requests().Cancel(me, r.id(), s->version(), "why"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from RESOLVED to CANCELLED")));
  EXPECT_THAT(desk_->requests().Start(me, r.id(), s->version()),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from RESOLVED to IN_PROGRESS")));
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(r.id()).version(), s->version());
}

TEST_P(RequestsTest, SecondConcurrentUpdateIsAbortedNamingTheCurrentVersion) {
  v1::ServiceRequest r = OpenHotline();
  const int64_t seen = r.version();
  // Two specialists of the center both act on version `seen`.
  auto first =
      desk_->requests().Respond(StaffActor(spec1_.id()), r.id(), seen, "A");
  ASSERT_OK(first);
  size_t before = EventCount();
  auto second =
      desk_->requests().Respond(StaffActor(spec2_.id()), r.id(), seen, "B");
  EXPECT_THAT(second,
              StatusIs(Code::kAborted, HasSubstr(absl::StrCat(
                                           "at version ", first->version()))));
  EXPECT_EQ(EventCount(), before);
  v1::ServiceRequest now = Get(r.id());
  EXPECT_EQ(now.version(), first->version());
  ASSERT_EQ(now.messages_size(), 1);
  EXPECT_EQ(now.messages(0).text(), "A");
}

TEST_P(RequestsTest, ReopenWithinTheWindowRunsAFreshResolutionClock) {
  Actor me = StaffActor(spec1_.id());
  v1::ServiceRequest r = OpenHotline();
  auto s = desk_->requests().Respond(me, r.id(), r.version(), "Hi");
  ASSERT_OK(s);
  s = desk_->requests().Resolve(me, r.id(), s->version(), "done");
  ASSERT_OK(s);
  s = desk_->requests().Close(me, r.id(), s->version());
  ASSERT_OK(s);
  clock_->Set(Msk(2025, 3, 5, 12, 0));  // Wednesday, 2 days later
  EXPECT_THAT(desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                       s->version(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  // Only the request's contact (not a colleague) may reopen.
  EXPECT_THAT(desk_->requests().Reopen(ContactActor(colleague_.id()), r.id(),
                                       s->version(), "still broken"),
              StatusIs(Code::kPermissionDenied));
  s = desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                               s->version(), "still broken");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(s->reopen_count(), 1);
  EXPECT_FALSE(s->has_resolved_at());
  EXPECT_FALSE(s->has_closed_at());
  std::vector<v1::TargetClock> resolution;
  for (auto& c : Clocks(r.id()))
    if (c.kind() == v1::CLOCK_KIND_RESOLUTION) resolution.push_back(c);
  ASSERT_EQ(resolution.size(), 2u);
  EXPECT_EQ(resolution[0].state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(resolution[1].state(), v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(FromProto(resolution[1].started_at()), clock_->Now());
  EXPECT_EQ(FromProto(resolution[1].due_at()), Msk(2025, 3, 5, 16, 0));

  clock_->Advance(absl::Hours(1));
  s = desk_->requests().Resolve(me, r.id(), s->version(), "fixed for real");
  ASSERT_OK(s);
  v1::TargetClock last = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(last.state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(FromProto(last.business_elapsed()), absl::Hours(1));

  // Past the default 14-day window: refused, nothing written.
  clock_->Advance(absl::Hours(24 * 15));
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                       s->version(), "again"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("reopen_window")));
  EXPECT_EQ(EventCount(), before);
}

TEST_P(RequestsTest, ReopenWindowIsConfigurable) {
  EXPECT_EQ(DeskOptions().requests.reopen_window, absl::Hours(24 * 14));
  // Reopen the desk with a one-day window (SQLite: on the same file; memory:
  // a fresh store, seeded again).
  DeskOptions options;
  options.requests.reopen_window = absl::Hours(24);
  ReopenDesk(options);
  Actor me = StaffActor(spec1_.id());
  v1::ServiceRequest r = ResolvedHotline(me);
  absl::StatusOr<v1::ServiceRequest> s = r;
  clock_->Advance(absl::Hours(23));
  auto reopened = desk_->requests().Reopen(me, r.id(), s->version(), "again");
  ASSERT_OK(reopened);
  s = desk_->requests().Resolve(me, r.id(), reopened->version(), "done");
  ASSERT_OK(s);
  // The window's last instant is inside it.
  clock_->Advance(absl::Hours(24));
  reopened = desk_->requests().Reopen(me, r.id(), s->version(), "again");
  ASSERT_OK(reopened);
  s = desk_->requests().Resolve(me, r.id(), reopened->version(), "done");
  ASSERT_OK(s);
  clock_->Advance(absl::Hours(24) + absl::Seconds(1));
  EXPECT_THAT(desk_->requests().Reopen(me, r.id(), s->version(), "again"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("reopen_window")));
}

TEST_P(RequestsTest, AContactsRequestIsForItsOwnOrganizationByDefault) {
  v1::ServiceRequest d = Draft();
  d.clear_organization_id();
  auto r = desk_->requests().Open(ContactActor(contact_.id()), d);
  ASSERT_OK(r);
  EXPECT_EQ(r->organization_id(), org_.id());
  EXPECT_EQ(r->contact_id(), contact_.id());
  // Staff must say which client it is for.
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().Open(StaffActor(spec1_.id()), d),
              StatusIs(Code::kInvalidArgument, HasSubstr("organization_id")));
  // A negative version is malformed, not a lost race.
  EXPECT_THAT(desk_->requests().Start(StaffActor(spec1_.id()), r->id(), -1),
              StatusIs(Code::kInvalidArgument, HasSubstr("version")));
  EXPECT_EQ(EventCount(), before);
}

TEST_P(RequestsTest, AZeroReopenWindowMakesResolutionsFinal) {
  DeskOptions options;
  options.requests.reopen_window = absl::ZeroDuration();
  ReopenDesk(options);
  Actor me = StaffActor(spec1_.id());
  v1::ServiceRequest r = ResolvedHotline(me);
  // Not even at the instant of the resolution.
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                       r.version(), "not fixed"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("reopen_window")));
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(r.id()).state(), v1::REQUEST_STATE_RESOLVED);
}

TEST_P(RequestsTest, RefusedCallsNameBothStatesAndCheckInputFirst) {
  Actor me = StaffActor(spec1_.id());
  auto& rq = desk_->requests();
  // Nobody of the center is a trainer: the request waits in the queue.
  v1::ServiceRequest queued = OpenAs(ContactActor(contact_.id()),
                                     Draft(v1::SERVICE_KIND_TRAINING_REQUEST));
  ASSERT_EQ(queued.state(), v1::REQUEST_STATE_NEW);
  // Respond implies a move to IN_PROGRESS.
  EXPECT_THAT(rq.Respond(admin_, queued.id(), queued.version(), "hi"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from NEW to IN_PROGRESS")));
  v1::ServiceRequest r = ResolvedHotline(me);
  ASSERT_EQ(r.state(), v1::REQUEST_STATE_RESOLVED);
  const int64_t v = r.version();
  size_t before = EventCount();
  EXPECT_THAT(rq.Respond(me, r.id(), v, "more"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from RESOLVED to IN_PROGRESS")));
  v1::RequestOutcome answer;
  answer.set_answer("42");
  EXPECT_THAT(rq.RecordOutcome(me, r.id(), v, answer),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from RESOLVED to IN_PROGRESS")));
  EXPECT_THAT(rq.Assign(StaffActor(head_.id()), r.id(), v, spec2_.id(), "x"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from RESOLVED to ASSIGNED")));
  // Malformed input is named before the state is looked at.
  EXPECT_THAT(rq.Assign(StaffActor(head_.id()), r.id(), v, spec2_.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(
      rq.WaitOnClient(me, r.id(), v, "need logs"),
      StatusIs(Code::kFailedPrecondition,
               HasSubstr("cannot go from RESOLVED to WAITING_ON_CLIENT")));
  EXPECT_THAT(rq.ChangePriority(me, r.id(), v, v1::PRIORITY_URGENT),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("RESOLVED"), HasSubstr("IN_PROGRESS"))));
  EXPECT_THAT(rq.Rate(ContactActor(contact_.id()), queued.id(),
                      queued.version(), 5, ""),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("state"), HasSubstr("RESOLVED"))));
  // Malformed input is INVALID_ARGUMENT whatever the state.
  EXPECT_THAT(rq.Cancel(me, r.id(), v, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(rq.Reopen(me, r.id(), v, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(rq.WaitOnClient(me, r.id(), v, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(rq.Resolve(me, r.id(), v, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("resolution")));
  // ... and whatever the version: a caller retrying after ABORTED should
  // not learn only then that its input was bad.
  const int64_t stale = v - 1;
  EXPECT_THAT(rq.Respond(me, r.id(), stale, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("text")));
  EXPECT_THAT(rq.Cancel(me, r.id(), stale, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(rq.Resolve(me, r.id(), stale, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("resolution")));
  EXPECT_THAT(rq.ChangePriority(me, r.id(), stale, v1::PRIORITY_UNSPECIFIED),
              StatusIs(Code::kInvalidArgument, HasSubstr("priority")));
  EXPECT_THAT(rq.RecordOutcome(me, r.id(), stale, v1::RequestOutcome()),
              StatusIs(Code::kInvalidArgument, HasSubstr("outcome")));
  EXPECT_THAT(rq.Assign(StaffActor(head_.id()), r.id(), stale, spec2_.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(rq.Assign(StaffActor(head_.id()), r.id(), stale, "", "why"),
              StatusIs(Code::kInvalidArgument, HasSubstr("staff_id")));
  EXPECT_THAT(rq.Rate(ContactActor(contact_.id()), r.id(), stale, 9, ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("score")));
  EXPECT_THAT(rq.Respond(me, r.id(), stale, "fine"),
              StatusIs(Code::kAborted, HasSubstr("version")));
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(r.id()).version(), v);
}

TEST_P(RequestsTest, TheSlaApiLeavesARequestsClocksToItsLifecycle) {
  v1::ServiceRequest r = OpenHotline();
  v1::SlaSubject subject;
  subject.set_kind(v1::SERVICE_KIND_HOTLINE_QUESTION);
  subject.set_channel(v1::CHANNEL_PHONE_HOTLINE);
  subject.set_priority(v1::PRIORITY_NORMAL);
  subject.set_center_id(center_.id());
  subject.set_organization_id(org_.id());
  auto& sla = desk_->sla();
  const absl::Time now = clock_->Now();
  size_t before = EventCount();
  for (const Actor& who : {admin_, StaffActor(head_.id())}) {
    EXPECT_THAT(sla.Pause(who, r.id(), now),
                StatusIs(Code::kFailedPrecondition, HasSubstr("subject_id")));
    EXPECT_THAT(sla.Resume(who, r.id(), now),
                StatusIs(Code::kFailedPrecondition, HasSubstr("subject_id")));
    EXPECT_THAT(sla.Stop(who, r.id(), v1::CLOCK_KIND_FIRST_RESPONSE, now),
                StatusIs(Code::kFailedPrecondition, HasSubstr("subject_id")));
    EXPECT_THAT(sla.Recompute(who, r.id(), subject),
                StatusIs(Code::kFailedPrecondition, HasSubstr("subject_id")));
    // Nor can anyone take the id of a future request.
    EXPECT_THAT(sla.StartClocks(who, "req-99", subject, now),
                StatusIs(Code::kFailedPrecondition, HasSubstr("subject_id")));
  }
  // Unknown actors are refused as such.
  EXPECT_THAT(sla.Pause(StaffActor("staff-404"), r.id(), now),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);
  for (const v1::TargetClock& c : Clocks(r.id()))
    EXPECT_EQ(c.state(), v1::CLOCK_STATE_RUNNING) << c.kind();
  // Reading them is still fine, and other subjects work as before.
  EXPECT_OK(sla.StartClocks(admin_, "case-1", subject, now));
}

TEST_P(RequestsTest, OutOfRangeOptionsAreRefused) {
  const std::string uri =
      GetParam() == "sqlite" ? absl::StrCat("sqlite:", path_.string(), ".other")
                             : std::string("memory:");
  auto refused = [&](auto change, absl::string_view field) {
    DeskOptions options;
    change(options);
    EXPECT_THAT(Desk::Open(uri, options),
                StatusIs(Code::kInvalidArgument, HasSubstr(field)));
  };
  refused([](DeskOptions& o) { o.requests.reopen_window = -absl::Seconds(1); },
          "requests.reopen_window");
  refused([](DeskOptions& o) { o.requests.dialog_wait_samples = 0; },
          "requests.dialog_wait_samples");
  refused(
      [](DeskOptions& o) {
        o.requests.dialog_wait_samples = kMaxDialogWaitSamples + 1;
      },
      "requests.dialog_wait_samples");
  refused([](DeskOptions& o) { o.sqlite.busy_timeout_ms = -5; },
          "sqlite.busy_timeout_ms");
  if (GetParam() == "sqlite")
    EXPECT_FALSE(std::filesystem::exists(path_.string() + ".other"));
  DeskOptions edge;
  edge.requests.reopen_window = absl::ZeroDuration();
  edge.requests.dialog_wait_samples = kMaxDialogWaitSamples;
  EXPECT_OK(Desk::Open("memory:", edge));
}

TEST_P(RequestsTest, CancelNeedsAReasonAndStopsTheClocks) {
  v1::ServiceRequest r = OpenHotline();
  size_t before = EventCount();
  EXPECT_THAT(desk_->requests().Cancel(ContactActor(contact_.id()), r.id(),
                                       r.version(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_THAT(desk_->requests().Cancel(ContactActor(other_contact_.id()),
                                       r.id(), r.version(), "spam"),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_EQ(EventCount(), before);
  auto s = desk_->requests().Cancel(ContactActor(contact_.id()), r.id(),
                                    r.version(), "found it myself");
  ASSERT_OK(s);
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_CANCELLED);
  EXPECT_EQ(s->cancel_reason(), "found it myself");
  for (auto& c : Clocks(r.id()))
    EXPECT_EQ(c.state(), v1::CLOCK_STATE_STOPPED) << c.kind();
  EXPECT_THAT(desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                       s->version(), "oops"),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr("cannot go from CANCELLED to IN_PROGRESS")));
  // A cancelled request no longer counts as load: spec1 gets the next one.
  EXPECT_EQ(OpenHotline().assignee_id(), spec1_.id());
}

TEST_P(RequestsTest, PriorityAndKindChangesRecomputeRetroactively) {
  v1::SlaPolicy policy;
  policy.set_name("Quality Standard 2025");
  auto* urgent = policy.add_rules();
  urgent->set_name("urgent-hotline");
  urgent->add_kinds(v1::SERVICE_KIND_HOTLINE_QUESTION);
  urgent->add_priorities(v1::PRIORITY_URGENT);
  *urgent->mutable_first_response() = Target(absl::Minutes(10));
  *urgent->mutable_resolution() = Target(absl::Hours(2));
  auto* normal = policy.add_rules();
  normal->set_name("hotline");
  normal->add_kinds(v1::SERVICE_KIND_HOTLINE_QUESTION);
  *normal->mutable_first_response() = Target(absl::Hours(1));
  *normal->mutable_resolution() = Target(absl::Hours(8));
  ASSERT_OK(desk_->sla().SetPolicy(admin_, policy));

  v1::ServiceRequest r = OpenHotline();  // Monday 10:00
  EXPECT_EQ(FromProto(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).due_at()),
            Msk(2025, 3, 3, 18, 0));
  clock_->Advance(absl::Minutes(30));
  Actor me = StaffActor(spec1_.id());
  EXPECT_THAT(desk_->requests().ChangePriority(me, r.id(), r.version(),
                                               v1::PRIORITY_UNSPECIFIED),
              StatusIs(Code::kInvalidArgument, HasSubstr("priority")));
  auto s = desk_->requests().ChangePriority(me, r.id(), r.version(),
                                            v1::PRIORITY_URGENT);
  ASSERT_OK(s);
  EXPECT_EQ(s->priority(), v1::PRIORITY_URGENT);
  // From the original start, not from the change.
  v1::TargetClock res = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(FromProto(res.due_at()), Msk(2025, 3, 3, 12, 0));
  EXPECT_EQ(res.rule_name(), "urgent-hotline");

  // Rare orders need the 'documents' qualification nobody has yet.
  EXPECT_THAT(
      desk_->requests().ChangeKind(me, r.id(), s->version(),
                                   v1::SERVICE_KIND_DOCUMENT_ORDER_RARE),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr("kind: staff member '" + spec1_.id()),
                     HasSubstr("'documents'"), HasSubstr("nobody at center"))));
  auto librarian =
      Qualified(center_.id(), "Librarian", {v1::STAFF_ROLE_HOTLINE_SPECIALIST},
                {"hotline", "documents"});
  s = desk_->requests().ChangeKind(me, r.id(), s->version(),
                                   v1::SERVICE_KIND_DOCUMENT_ORDER_RARE);
  ASSERT_OK(s);
  // The request follows the kind to the one who may take it.
  EXPECT_EQ(s->assignee_id(), librarian.id());
  EXPECT_EQ(s->assignments(s->assignments_size() - 1).reason(),
            "kind changed to SERVICE_KIND_DOCUMENT_ORDER_RARE");
  EXPECT_EQ(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).subject().assignee_id(),
            librarian.id());
  // No rule for rare orders: the catalog's 24 business hours from Monday
  // 10:00 (8 h Monday, 9 h Tuesday, 7 h Wednesday) = Wednesday 16:00.
  EXPECT_EQ(FromProto(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).due_at()),
            Msk(2025, 3, 5, 16, 0));
  EXPECT_THAT(desk_->requests().ChangeKind(me, r.id(), s->version(),
                                           v1::SERVICE_KIND_TECH_SETUP),
              StatusIs(Code::kInvalidArgument, HasSubstr("installation_id")));
  EXPECT_THAT(desk_->requests().ChangeKind(me, r.id(), s->version(),
                                           v1::SERVICE_KIND_ONLINE_DIALOG),
              StatusIs(Code::kInvalidArgument, HasSubstr("kind")));
  auto events = EventsAfter(0);
  EXPECT_THAT(RequestActions(events, r.id()),
              IsSupersetOf({"priority_changed", "kind_changed"}));
}

// Every answer to the client is an update: it stops the open periodic-update
// clock, and the next period runs from it. Without an answer the period
// breaches like any target; resolving ends the cycle.
TEST_P(RequestsTest, EachAnswerStopsThePeriodicUpdateClockAndStartsTheNext) {
  v1::SlaPolicy policy;
  policy.set_name("Quality Standard 2025");
  auto* rule = policy.add_rules();
  rule->set_name("updated every 2 h");
  *rule->mutable_first_response() = Target(absl::Minutes(15));
  *rule->mutable_resolution() = Target(absl::Hours(8));
  *rule->mutable_periodic_update() = Target(absl::Hours(2));
  ASSERT_OK(desk_->sla().SetPolicy(admin_, policy));
  const Actor scheduler = SystemActor("scheduler");
  auto periodic = [&](const std::string& id) {
    std::vector<v1::TargetClock> out;
    for (auto& c : Clocks(id))
      if (c.kind() == v1::CLOCK_KIND_PERIODIC_UPDATE) out.push_back(c);
    return out;
  };
  auto breached = [](const TickResult& t) {
    std::vector<std::string> ids;
    for (const v1::Event& e : t.events)
      if (e.action() == "sla.breached") ids.push_back(e.entity_id());
    return ids;
  };

  v1::ServiceRequest r = OpenHotline();  // Monday 10:00
  ASSERT_EQ(periodic(r.id()).size(), 1u);
  Actor me = StaffActor(r.assignee_id());
  clock_->Set(Msk(2025, 3, 3, 10, 5));
  r = *desk_->requests().Respond(me, r.id(), r.version(), "on it");
  auto p = periodic(r.id());
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_TRUE(p[0].met());
  EXPECT_EQ(FromProto(p[1].due_at()), Msk(2025, 3, 3, 12, 5));

  // An outcome (a document selection sent) is an update too.
  clock_->Set(Msk(2025, 3, 3, 11, 30));
  v1::RequestOutcome o;
  o.set_answer("Art. 154 applies.");
  auto with_outcome =
      desk_->requests().RecordOutcome(me, r.id(), r.version(), o);
  ASSERT_OK(with_outcome);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(FromProto(p[2].due_at()), Msk(2025, 3, 3, 13, 30));
  // A second respond, later: the period restarts again.
  clock_->Set(Msk(2025, 3, 3, 13, 0));
  auto again = desk_->requests().Respond(me, r.id(), with_outcome->version(),
                                         "still on it");
  ASSERT_OK(again);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 4u);
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    EXPECT_EQ(p[i].state(), v1::CLOCK_STATE_STOPPED) << i;
    EXPECT_TRUE(p[i].met()) << i;
  }
  auto quiet = desk_->sla().Tick(scheduler, Msk(2025, 3, 3, 14, 30));
  ASSERT_OK(quiet);
  EXPECT_THAT(breached(*quiet), IsEmpty());

  // No word for more than 2 h: the period breaches, once.
  auto late = desk_->sla().Tick(scheduler, Msk(2025, 3, 3, 15, 30));
  ASSERT_OK(late);
  EXPECT_THAT(breached(*late), ElementsAre(p[3].id()));

  clock_->Set(Msk(2025, 3, 3, 16, 0));
  auto resolved =
      desk_->requests().Resolve(me, r.id(), again->version(), "done");
  ASSERT_OK(resolved);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 4u);  // resolving starts no further period
  for (const v1::TargetClock& c : Clocks(r.id()))
    EXPECT_EQ(c.state(), v1::CLOCK_STATE_STOPPED) << c.id();

  // Reopened, the client is owed updates again, from the reopening.
  clock_->Set(Msk(2025, 3, 3, 16, 30));
  auto reopened = desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                           resolved->version(), "not quite");
  ASSERT_OK(reopened);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[4].state(), v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(FromProto(p[4].started_at()), Msk(2025, 3, 3, 16, 30));
  clock_->Set(Msk(2025, 3, 3, 17, 0));
  ASSERT_OK(desk_->requests().Respond(me, r.id(), reopened->version(),
                                      "looking again"));
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 6u);
  EXPECT_TRUE(p[4].met());
}

// A request that moves under a rule with periodic updates (here by a
// priority change) is owed them from the change on; one that leaves such a
// rule is owed them no more.
TEST_P(RequestsTest, APriorityChangeIntoARuleWithUpdatesStartsTheirCycle) {
  v1::SlaPolicy policy;
  policy.set_name("Quality Standard 2025");
  auto* urgent = policy.add_rules();
  urgent->set_name("urgent, updated hourly");
  urgent->add_priorities(v1::PRIORITY_URGENT);
  *urgent->mutable_first_response() = Target(absl::Minutes(10));
  *urgent->mutable_resolution() = Target(absl::Hours(4));
  *urgent->mutable_periodic_update() = Target(absl::Hours(1));
  ASSERT_OK(desk_->sla().SetPolicy(admin_, policy));
  auto periodic = [&](const std::string& id) {
    std::vector<v1::TargetClock> out;
    for (auto& c : Clocks(id))
      if (c.kind() == v1::CLOCK_KIND_PERIODIC_UPDATE) out.push_back(c);
    return out;
  };

  v1::ServiceRequest r = OpenHotline();  // Monday 10:00, normal priority
  EXPECT_THAT(periodic(r.id()), IsEmpty());
  Actor me = StaffActor(r.assignee_id());
  clock_->Set(Msk(2025, 3, 3, 10, 30));
  auto up = desk_->requests().ChangePriority(me, r.id(), r.version(),
                                             v1::PRIORITY_URGENT);
  ASSERT_OK(up);
  auto p = periodic(r.id());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].state(), v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(FromProto(p[0].started_at()), Msk(2025, 3, 3, 10, 30));
  EXPECT_EQ(FromProto(p[0].due_at()), Msk(2025, 3, 3, 11, 30));
  EXPECT_EQ(p[0].rule_name(), "urgent, updated hourly");
  // The answer stops it and starts the next period.
  clock_->Set(Msk(2025, 3, 3, 11, 0));
  auto answered = desk_->requests().Respond(me, r.id(), up->version(), "on it");
  ASSERT_OK(answered);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 2u);
  EXPECT_TRUE(p[0].met());
  EXPECT_EQ(FromProto(p[1].due_at()), Msk(2025, 3, 3, 12, 0));
  // Back to normal: nobody is owed updates any more. The open period ends,
  // cancelled (counted nowhere), and answers start no further one.
  auto down = desk_->requests().ChangePriority(me, r.id(), answered->version(),
                                               v1::PRIORITY_NORMAL);
  ASSERT_OK(down);
  p = periodic(r.id());
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_TRUE(p[1].cancelled());
  clock_->Set(Msk(2025, 3, 3, 11, 20));
  ASSERT_OK(desk_->requests().Respond(me, r.id(), down->version(), "update"));
  EXPECT_EQ(periodic(r.id()).size(), 2u);
  // Clocks come back oldest first, those of one call in creation order,
  // also where the ids grow a digit (clock-9 before clock-10).
  for (int i = 0; i < 6; ++i) {
    v1::ServiceRequest more = OpenHotline();
    std::vector<v1::TargetClock> cs = Clocks(more.id());
    ASSERT_EQ(cs.size(), 2u);
    EXPECT_EQ(cs[0].kind(), v1::CLOCK_KIND_FIRST_RESPONSE) << cs[0].id();
    EXPECT_EQ(cs[1].kind(), v1::CLOCK_KIND_RESOLUTION) << cs[1].id();
  }

  // Waiting on the client, the first period starts paused.
  v1::ServiceRequest w = OpenHotline();
  Actor who = StaffActor(w.assignee_id());
  auto started = desk_->requests().Start(who, w.id(), w.version());
  ASSERT_OK(started);
  auto waiting = desk_->requests().WaitOnClient(who, w.id(), started->version(),
                                                "which edition?");
  ASSERT_OK(waiting);
  auto urgent_w = desk_->requests().ChangePriority(
      who, w.id(), waiting->version(), v1::PRIORITY_URGENT);
  ASSERT_OK(urgent_w);
  p = periodic(w.id());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].state(), v1::CLOCK_STATE_PAUSED);

  // A period already overdue when the rule changes was missed: it stays
  // breached, not cancelled.
  v1::ServiceRequest late = OpenHotline();
  Actor owner = StaffActor(late.assignee_id());
  auto hot = desk_->requests().ChangePriority(owner, late.id(), late.version(),
                                              v1::PRIORITY_URGENT);
  ASSERT_OK(hot);
  clock_->Advance(absl::Minutes(90));
  auto cooled = desk_->requests().ChangePriority(
      owner, late.id(), hot->version(), v1::PRIORITY_NORMAL);
  ASSERT_OK(cooled);
  p = periodic(late.id());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_FALSE(p[0].cancelled());
  EXPECT_FALSE(p[0].met());
}

// A staff member holding open requests is not deactivated: they would wait
// for someone who can no longer act. Reassigned (or done), the member may go.
TEST_P(RequestsTest, StaffWithOpenRequestsAreNotDeactivated) {
  v1::ServiceRequest r = OpenHotline();
  const std::string who = r.assignee_id();
  ASSERT_FALSE(who.empty());
  size_t before = EventCount();
  EXPECT_THAT(desk_->staff().Deactivate(admin_, who),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(who), HasSubstr(r.id()),
                             HasSubstr("1 open request"))));
  EXPECT_EQ(EventCount(), before);
  // Resolved, the request no longer holds the member back; reopened
  // afterwards, it goes to someone who can act.
  Actor me = StaffActor(who);
  auto answered = desk_->requests().Respond(me, r.id(), r.version(), "on it");
  ASSERT_OK(answered);
  auto resolved =
      desk_->requests().Resolve(me, r.id(), answered->version(), "answered");
  ASSERT_OK(resolved);
  EXPECT_OK(desk_->staff().Deactivate(admin_, who).status());
  auto reopened = desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                                           resolved->version(), "not quite");
  ASSERT_OK(reopened);
  EXPECT_NE(reopened->assignee_id(), who);
  EXPECT_FALSE(reopened->assignee_id().empty());
  EXPECT_THAT(reopened->assignments(reopened->assignments_size() - 1).reason(),
              HasSubstr("inactive"));
}

TEST_P(RequestsTest, ABreachLiftedByARecomputeIsRaisedAgainWhenItComes) {
  v1::SlaPolicy policy;
  policy.set_name("Quality Standard 2025");
  auto* urgent = policy.add_rules();
  urgent->set_name("urgent");
  urgent->add_priorities(v1::PRIORITY_URGENT);
  *urgent->mutable_first_response() = Target(absl::Minutes(10));
  *urgent->mutable_resolution() = Target(absl::Hours(2));
  auto* normal = policy.add_rules();
  normal->set_name("normal");
  *normal->mutable_first_response() = Target(absl::Minutes(15));
  *normal->mutable_resolution() = Target(absl::Hours(8));
  ASSERT_OK(desk_->sla().SetPolicy(admin_, policy));
  const Actor scheduler = SystemActor("scheduler");
  auto breaches_of = [](const TickResult& t, const std::string& clock) {
    int n = 0;
    for (const v1::Event& e : t.events)
      if (e.action() == "sla.breached" && e.entity_id() == clock) ++n;
    return n;
  };

  v1::ServiceRequest r = OpenHotline();  // Monday 10:00
  Actor me = StaffActor(r.assignee_id());
  r = *desk_->requests().Respond(me, r.id(), r.version(), "on it");
  auto urgent_now = desk_->requests().ChangePriority(me, r.id(), r.version(),
                                                     v1::PRIORITY_URGENT);
  ASSERT_OK(urgent_now);
  const std::string res = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).id();
  auto first = desk_->sla().Tick(scheduler, Msk(2025, 3, 3, 12, 30));
  ASSERT_OK(first);
  EXPECT_EQ(breaches_of(*first, res), 1);  // 2 h 30 min > 2 h
  EXPECT_TRUE(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).breach_raised());

  // Back to normal: 8 h, due 18:00, so neither the warning nor the breach
  // nor any escalation holds any more.
  clock_->Set(Msk(2025, 3, 3, 12, 40));
  ASSERT_OK(desk_->requests().ChangePriority(me, r.id(), urgent_now->version(),
                                             v1::PRIORITY_NORMAL));
  v1::TargetClock c = Clock(r.id(), v1::CLOCK_KIND_RESOLUTION);
  EXPECT_EQ(FromProto(c.due_at()), Msk(2025, 3, 3, 18, 0));
  EXPECT_FALSE(c.breach_raised());
  EXPECT_FALSE(c.warning_raised());
  EXPECT_EQ(c.escalation_level(), 0);
  auto quiet = desk_->sla().Tick(scheduler, Msk(2025, 3, 3, 17, 0));
  ASSERT_OK(quiet);
  EXPECT_EQ(breaches_of(*quiet, res), 0);
  // Tuesday 10:00: 9 business hours against 8 — the breach that counts is
  // raised, once.
  auto late = desk_->sla().Tick(scheduler, Msk(2025, 3, 4, 10, 0));
  ASSERT_OK(late);
  EXPECT_EQ(breaches_of(*late, res), 1);
  auto again = desk_->sla().Tick(scheduler, Msk(2025, 3, 4, 11, 0));
  ASSERT_OK(again);
  EXPECT_EQ(breaches_of(*again, res), 0);
  EXPECT_TRUE(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).breach_raised());
}

TEST_P(RequestsTest, AKindChangeMovesTheRequestOnlyWhenItMustAndAssignsQueued) {
  // The assignee may take the new kind too: nothing moves.
  v1::ServiceRequest r = OpenHotline();
  Actor me = StaffActor(r.assignee_id());
  auto s = desk_->requests().ChangeKind(me, r.id(), r.version(),
                                        v1::SERVICE_KIND_SEARCH_CONSULTATION);
  ASSERT_OK(s);
  EXPECT_EQ(s->assignee_id(), r.assignee_id());
  EXPECT_EQ(s->assignments_size(), 1);
  // A change that moves the request is a reassignment: not for a colleague.
  const Actor colleague =
      StaffActor(r.assignee_id() == spec1_.id() ? spec2_.id() : spec1_.id());
  EXPECT_THAT(desk_->requests().ChangeKind(colleague, r.id(), s->version(),
                                           v1::SERVICE_KIND_MANAGER_CONTACT),
              StatusIs(Code::kPermissionDenied));
  // To a manager contact: the organisation's personal manager takes it.
  s = desk_->requests().ChangeKind(me, r.id(), s->version(),
                                   v1::SERVICE_KIND_MANAGER_CONTACT);
  ASSERT_OK(s);
  EXPECT_EQ(s->assignee_id(), manager_.id());
  EXPECT_EQ(s->state(), v1::REQUEST_STATE_ASSIGNED);

  // A queued training request becomes a hotline question: assigned now.
  v1::ServiceRequest q =
      OpenAs(ContactActor(contact_.id()),
             Draft(v1::SERVICE_KIND_TRAINING_REQUEST, v1::CHANNEL_EMAIL));
  ASSERT_EQ(q.state(), v1::REQUEST_STATE_NEW);
  auto t =
      desk_->requests().ChangeKind(StaffActor(head_.id()), q.id(), q.version(),
                                   v1::SERVICE_KIND_HOTLINE_QUESTION);
  ASSERT_OK(t);
  EXPECT_EQ(t->state(), v1::REQUEST_STATE_ASSIGNED);
  EXPECT_THAT(t->assignee_id(), AnyOf(spec1_.id(), spec2_.id()));
  auto queue = desk_->requests().Queue(admin_, center_.id());
  ASSERT_OK(queue);
  EXPECT_TRUE(queue->items.empty());
  // A queued request whose new kind nobody may take stays queued.
  v1::ServiceRequest q2 =
      OpenAs(ContactActor(contact_.id()),
             Draft(v1::SERVICE_KIND_TRAINING_REQUEST, v1::CHANNEL_EMAIL));
  auto t2 = desk_->requests().ChangeKind(
      StaffActor(head_.id()), q2.id(), q2.version(),
      v1::SERVICE_KIND_DOCUMENT_ORDER_ARCHIVAL);
  ASSERT_OK(t2);
  EXPECT_EQ(t2->state(), v1::REQUEST_STATE_NEW);
  EXPECT_TRUE(t2->assignee_id().empty());
}

TEST_P(RequestsTest, HotlineOutcomesAreRecordedAndValidated) {
  v1::ServiceRequest r = OpenHotline();
  Actor me = StaffActor(spec1_.id());
  v1::RequestOutcome sel;
  auto* docs = sel.mutable_document_selection();
  docs->set_note("Read in this order");
  for (const char* id : {"LAW-1", "", "LAW-3"}) {
    auto* d = docs->add_documents();
    d->set_document_id(id);
    d->set_title("Tax Code");
  }
  size_t before = EventCount();
  EXPECT_THAT(
      desk_->requests().RecordOutcome(me, r.id(), r.version(), sel),
      StatusIs(
          Code::kInvalidArgument,
          HasSubstr("outcome.document_selection.documents[1].document_id")));
  docs->mutable_documents(1)->set_document_id("LAW-3");
  EXPECT_THAT(
      desk_->requests().RecordOutcome(me, r.id(), r.version(), sel),
      StatusIs(Code::kInvalidArgument,
               HasSubstr("outcome.document_selection.documents[2].document_id: "
                         "'LAW-3' is already listed at documents[1]")));
  v1::RequestOutcome many;
  for (int i = 0; i < 101; ++i)
    many.mutable_document_selection()->add_documents()->set_document_id(
        absl::StrCat("D", i));
  EXPECT_THAT(desk_->requests().RecordOutcome(me, r.id(), r.version(), many),
              StatusIs(Code::kInvalidArgument, HasSubstr("at most 100")));
  v1::RequestOutcome empty_sel;
  empty_sel.mutable_document_selection();
  EXPECT_THAT(
      desk_->requests().RecordOutcome(me, r.id(), r.version(), empty_sel),
      StatusIs(Code::kInvalidArgument,
               HasSubstr("outcome.document_selection.documents")));
  v1::RequestOutcome bad_enroll;
  bad_enroll.mutable_enrollment()->set_kind("course");
  bad_enroll.mutable_enrollment()->set_reference_id("s-1");
  EXPECT_THAT(
      desk_->requests().RecordOutcome(me, r.id(), r.version(), bad_enroll),
      StatusIs(Code::kInvalidArgument, HasSubstr("outcome.enrollment.kind")));
  EXPECT_THAT(desk_->requests().RecordOutcome(me, r.id(), r.version(),
                                              v1::RequestOutcome()),
              StatusIs(Code::kInvalidArgument, HasSubstr("outcome")));
  EXPECT_THAT(desk_->requests().RecordOutcome(ContactActor(contact_.id()),
                                              r.id(), r.version(), many),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);

  docs->mutable_documents(1)->set_document_id("LAW-2");
  clock_->Advance(absl::Minutes(3));
  auto s = desk_->requests().RecordOutcome(me, r.id(), r.version(), sel);
  ASSERT_OK(s);
  // The first outcome is the first response.
  EXPECT_EQ(FromProto(s->first_response_at()), clock_->Now());
  EXPECT_EQ(Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE).state(),
            v1::CLOCK_STATE_STOPPED);
  ASSERT_EQ(s->outcomes_size(), 1);
  EXPECT_EQ(s->outcomes(0).document_selection().documents(2).document_id(),
            "LAW-3");
  EXPECT_EQ(s->outcomes(0).recorded_by(), spec1_.id());

  v1::RequestOutcome answer;
  answer.set_answer("Article 146");
  s = desk_->requests().RecordOutcome(me, r.id(), s->version(), answer);
  ASSERT_OK(s);
  v1::RequestOutcome enroll;
  enroll.mutable_enrollment()->set_kind("seminar");
  enroll.mutable_enrollment()->set_reference_id("seminar-7");
  s = desk_->requests().RecordOutcome(me, r.id(), s->version(), enroll);
  ASSERT_OK(s);
  ASSERT_EQ(s->outcomes_size(), 3);
  EXPECT_EQ(s->outcomes(2).enrollment().reference_id(), "seminar-7");
  EXPECT_EQ(RequestActions(EventsAfter(0), r.id()).back(), "outcome_recorded");
}

TEST_P(RequestsTest, TheClientRatesOnceAfterResolution) {
  Actor me = StaffActor(spec1_.id());
  v1::ServiceRequest r = OpenHotline();
  EXPECT_THAT(desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                     r.version(), 5, "great"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));
  auto s = desk_->requests().Start(me, r.id(), r.version());
  ASSERT_OK(s);
  s = desk_->requests().Resolve(me, r.id(), s->version(), "done");
  ASSERT_OK(s);
  size_t before = EventCount();
  for (int bad : {0, 6, -1})
    EXPECT_THAT(desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                       s->version(), bad, ""),
                StatusIs(Code::kInvalidArgument, HasSubstr("score")));
  EXPECT_THAT(desk_->requests().Rate(me, r.id(), s->version(), 5, ""),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->requests().Rate(ContactActor(colleague_.id()), r.id(),
                                     s->version(), 5, ""),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);
  auto rated = desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                      s->version(), 4, "quick");
  ASSERT_OK(rated);
  EXPECT_EQ(rated->rating().score(), 4);
  EXPECT_EQ(rated->rating().contact_id(), contact_.id());
  EXPECT_EQ(FromProto(rated->rating().rated_at()), clock_->Now());
  EXPECT_THAT(desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                     rated->version(), 5, "again"),
              StatusIs(Code::kAlreadyExists, HasSubstr("rating")));

  // A request registered without a contact: any contact of the org rates.
  v1::ServiceRequest staff_made = OpenAs(StaffActor(head_.id()), Draft());
  s = desk_->requests().Start(me, staff_made.id(), staff_made.version());
  ASSERT_OK(s);
  s = desk_->requests().Resolve(me, staff_made.id(), s->version(), "done");
  ASSERT_OK(s);
  EXPECT_THAT(desk_->requests().Rate(ContactActor(other_contact_.id()),
                                     staff_made.id(), s->version(), 5, ""),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_OK(desk_->requests().Rate(ContactActor(colleague_.id()),
                                   staff_made.id(), s->version(), 5, ""));
}

TEST_P(RequestsTest, IdsThatNoRecordCanHaveAreBadInput) {
  // Neither echoed whole in the message nor cut at the NUL.
  auto huge = desk_->requests().Get(admin_, std::string(1 << 20, 'x'));
  EXPECT_THAT(huge, StatusIs(Code::kInvalidArgument, HasSubstr("id: ")));
  EXPECT_LT(huge.status().message().size(), 200u);
  EXPECT_THAT(
      desk_->requests().Get(admin_, std::string("req-1\0x", 7)),
      StatusIs(Code::kInvalidArgument, HasSubstr("id: must not contain NUL")));
  v1::ServiceRequest d = Draft();
  d.set_organization_id(org_.id() + std::string(1, '\0'));
  EXPECT_THAT(desk_->requests().Open(admin_, d),
              StatusIs(Code::kInvalidArgument, HasSubstr("organization_id")));
  // Bytes that are not text are not echoed either.
  EXPECT_THAT(desk_->requests().Get(admin_, "bad \xff\xfe"),
              StatusIs(Code::kInvalidArgument,
                       AllOf(HasSubstr("id: is not valid UTF-8"),
                             Not(HasSubstr("\xff")))));
  // An actor naming no principal id is bad input, like an empty admin
  // login; a well-formed unknown id is refused.
  v1::Actor nobody;
  nobody.set_staff_id("");
  EXPECT_THAT(desk_->requests().Get(nobody, "req-1"),
              StatusIs(Code::kInvalidArgument, HasSubstr("actor.staff_id")));
  nobody.set_contact_id("");
  EXPECT_THAT(desk_->requests().Get(nobody, "req-1"),
              StatusIs(Code::kInvalidArgument, HasSubstr("actor.contact_id")));
  nobody.set_contact_id("contact-\xc0");
  EXPECT_THAT(desk_->requests().Get(nobody, "req-1"),
              StatusIs(Code::kInvalidArgument, HasSubstr("actor.contact_id")));
  EXPECT_THAT(desk_->requests().Get(StaffActor("staff-404"), "req-1"),
              StatusIs(Code::kPermissionDenied, HasSubstr("staff-404")));
  // A filter on a number no enum defines would silently match nothing.
  RequestFilter f;
  f.state = static_cast<v1::RequestState>(99);
  EXPECT_THAT(desk_->requests().List(admin_, f, {}),
              StatusIs(Code::kInvalidArgument,
                       HasSubstr("state: 99 is not a valid RequestState")));
  f = {};
  f.kind = static_cast<v1::ServiceKind>(999);
  EXPECT_THAT(desk_->requests().List(admin_, f, {}),
              StatusIs(Code::kInvalidArgument, HasSubstr("kind: 999")));
  f = {};
  f.channel = static_cast<v1::Channel>(-1);
  EXPECT_THAT(desk_->requests().List(admin_, f, {}),
              StatusIs(Code::kInvalidArgument, HasSubstr("channel: -1")));
  DialogFilter df;
  df.state = static_cast<v1::DialogState>(9);
  EXPECT_THAT(desk_->dialogs().List(admin_, df, {}),
              StatusIs(Code::kInvalidArgument, HasSubstr("state: 9")));
  // So would an id no record has (a typo), for staff and administrators.
  f = {};
  f.organization_id = "org-404";
  EXPECT_THAT(desk_->requests().List(admin_, f, {}),
              StatusIs(Code::kNotFound, HasSubstr("organization_id")));
  f = {};
  f.assignee_id = "staff-404";
  EXPECT_THAT(desk_->requests().List(StaffActor(head_.id()), f, {}),
              StatusIs(Code::kNotFound, HasSubstr("assignee_id")));
  f = {};
  f.center_id = "center-404";
  EXPECT_THAT(desk_->requests().List(admin_, f, {}),
              StatusIs(Code::kNotFound, HasSubstr("center_id")));
  df = {};
  df.organization_id = "org-404";
  EXPECT_THAT(desk_->dialogs().List(admin_, df, {}),
              StatusIs(Code::kNotFound, HasSubstr("organization_id")));
  // A client contact is not told which staff ids exist: just no requests.
  f = {};
  f.assignee_id = "staff-404";
  auto mine = desk_->requests().List(ContactActor(contact_.id()), f, {});
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->items.empty());
}

TEST_P(RequestsTest, BadDraftsNameTheFieldAndWriteNothing) {
  Actor who = ContactActor(contact_.id());
  size_t before = EventCount();
  auto expect = [&](v1::ServiceRequest d, Code code, const char* field) {
    EXPECT_THAT(desk_->requests().Open(who, d),
                StatusIs(code, HasSubstr(field)))
        << field;
  };
  v1::ServiceRequest d = Draft();
  d.set_subject("");
  expect(d, Code::kInvalidArgument, "subject");
  d = Draft();
  d.set_subject(std::string(301, 'x'));
  expect(d, Code::kInvalidArgument, "subject");
  d = Draft(v1::SERVICE_KIND_UNSPECIFIED);
  expect(d, Code::kInvalidArgument, "kind");
  d = Draft(static_cast<v1::ServiceKind>(99));
  expect(d, Code::kInvalidArgument, "kind");
  d = Draft(v1::SERVICE_KIND_ONLINE_DIALOG);
  expect(d, Code::kInvalidArgument, "kind");
  d = Draft(v1::SERVICE_KIND_HOTLINE_QUESTION, v1::CHANNEL_UNSPECIFIED);
  expect(d, Code::kInvalidArgument, "channel");
  d = Draft(v1::SERVICE_KIND_HOTLINE_QUESTION, v1::CHANNEL_ONLINE_DIALOG);
  expect(d, Code::kInvalidArgument, "channel");
  d = Draft(v1::SERVICE_KIND_TECH_RECOVERY);
  expect(d, Code::kInvalidArgument, "installation_id");
  d = Draft();
  d.set_installation_id("inst-404");
  expect(d, Code::kNotFound, "installation_id");
  d = Draft();
  d.set_organization_id("");
  EXPECT_THAT(desk_->requests().Open(admin_, d),
              StatusIs(Code::kInvalidArgument, HasSubstr("organization_id")));
  d = Draft();
  d.set_organization_id("org-404");
  EXPECT_THAT(desk_->requests().Open(admin_, d),
              StatusIs(Code::kNotFound, HasSubstr("organization_id")));
  d = Draft();
  d.set_contact_id(other_contact_.id());
  EXPECT_THAT(desk_->requests().Open(StaffActor(head_.id()), d),
              StatusIs(Code::kInvalidArgument, HasSubstr("contact_id")));
  d = Draft();
  d.set_description(std::string(20001, 'x'));
  expect(d, Code::kInvalidArgument, "description");
  // A subject is one line; a description may have paragraphs, but no other
  // control characters.
  d = Draft();
  d.set_subject("Tax Code\nplease");
  expect(d, Code::kInvalidArgument, "subject: contains line breaks");
  d = Draft();
  d.set_description("bell\a");
  expect(d, Code::kInvalidArgument, "description: contains control");
  // Beyond ASCII's first 32 too: DEL, the C1 codes (U+009B starts a terminal
  // escape sequence where sdctl prints the card), a tab or a Unicode line
  // separator in one line, a CR without its LF in free text.
  for (const char* subject : {"A\x7F",
                              "A\xC2\x9B"
                              "31mRED",
                              "A\xC2\x85"
                              "B",
                              "Tax\tCode",
                              "A\xE2\x80\xA8"
                              "B",
                              "A\xE2\x80\xA9"
                              "B"}) {
    d = Draft();
    d.set_subject(subject);
    expect(d, Code::kInvalidArgument, "subject: contains line breaks, tabs");
  }
  for (const char* description : {"A\x7F",
                                  "A\xC2\x9B"
                                  "31m",
                                  "one\rtwo"}) {
    d = Draft();
    d.set_description(description);
    expect(d, Code::kInvalidArgument, "description: contains control");
  }
  EXPECT_THAT(desk_->requests().Get(admin_, "req-404"),
              StatusIs(Code::kNotFound, HasSubstr("id")));
  EXPECT_EQ(EventCount(), before);
}

TEST_P(RequestsTest, FreeTextKeepsItsLineBreaks) {
  v1::ServiceRequest d = Draft();
  d.set_description("Line one.\r\nLine two.\n\n\tIndented.");
  v1::ServiceRequest r = OpenAs(ContactActor(contact_.id()), d);
  EXPECT_EQ(r.description(), d.description());
  Actor who = StaffActor(r.assignee_id());
  const std::string answer = "Hello,\nsee art. 154\nof the Tax Code.";
  auto responded = desk_->requests().Respond(who, r.id(), r.version(), answer);
  ASSERT_TRUE(responded.ok()) << responded.status();
  auto resolved = desk_->requests().Resolve(
      who, r.id(), responded->version(), "Answered:\n1. art. 154\n2. art. 155");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  auto rated = desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                      resolved->version(), 5, "Thanks!\nFast.");
  ASSERT_TRUE(rated.ok()) << rated.status();
  EXPECT_EQ(rated->rating().comment(), "Thanks!\nFast.");
  EXPECT_EQ(rated->resolution(), "Answered:\n1. art. 154\n2. art. 155");
}

TEST_P(RequestsTest, ContactsSeeTheirOrganizationAndStaffTheirCenter) {
  v1::ServiceRequest mine = OpenHotline();
  v1::ServiceRequest colleagues =
      OpenAs(ContactActor(colleague_.id()),
             Draft(v1::SERVICE_KIND_SEARCH_CONSULTATION, v1::CHANNEL_EMAIL));
  v1::ServiceRequest other = OpenAs(ContactActor(other_contact_.id()), [&] {
    v1::ServiceRequest d = Draft();
    d.set_organization_id(other_org_.id());
    return d;
  }());
  EXPECT_EQ(other.center_id(), other_center_.id());
  EXPECT_EQ(other.assignee_id(), other_spec_.id());

  size_t before = EventCount();
  // Opening: only for one's own organisation and as oneself.
  EXPECT_THAT(
      desk_->requests().Open(ContactActor(other_contact_.id()), Draft()),
      StatusIs(Code::kNotFound, HasSubstr("not found")));
  v1::ServiceRequest as_colleague = Draft();
  as_colleague.set_contact_id(colleague_.id());
  EXPECT_THAT(desk_->requests().Open(ContactActor(contact_.id()), as_colleague),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->requests().Open(StaffActor(other_spec_.id()), Draft()),
              StatusIs(Code::kPermissionDenied));
  // Working on another center's request.
  EXPECT_THAT(desk_->requests().Respond(StaffActor(other_spec_.id()), mine.id(),
                                        mine.version(), "hi"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->requests().Respond(ContactActor(contact_.id()), mine.id(),
                                        mine.version(), "hi"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->requests().Resolve(ContactActor(contact_.id()), mine.id(),
                                        mine.version(), "done"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      desk_->requests().ChangePriority(ContactActor(contact_.id()), mine.id(),
                                       mine.version(), v1::PRIORITY_URGENT),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      desk_->requests().AssignQueued(ContactActor(contact_.id()), center_.id()),
      StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);

  // Reading.
  EXPECT_OK(desk_->requests().Get(ContactActor(colleague_.id()), mine.id()));
  EXPECT_THAT(
      desk_->requests().Get(ContactActor(other_contact_.id()), mine.id()),
      StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(desk_->requests().Get(StaffActor(other_spec_.id()), mine.id()),
              StatusIs(Code::kPermissionDenied));
  auto list = desk_->requests().List(ContactActor(contact_.id()), {});
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].id(), mine.id());
  EXPECT_EQ(list->items[1].id(), colleagues.id());
  RequestFilter f;
  f.organization_id = other_org_.id();
  EXPECT_THAT(desk_->requests().List(ContactActor(contact_.id()), f),
              StatusIs(Code::kPermissionDenied));
  f = {};
  f.center_id = center_.id();
  EXPECT_THAT(desk_->requests().List(StaffActor(other_spec_.id()), f),
              StatusIs(Code::kPermissionDenied));
  list = desk_->requests().List(StaffActor(other_spec_.id()), {});
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), other.id());
  list = desk_->requests().List(admin_, {});
  ASSERT_OK(list);
  EXPECT_EQ(list->items.size(), 3u);

  // Filters.
  f = {};
  f.assignee_id = spec2_.id();
  list = desk_->requests().List(StaffActor(spec1_.id()), f);
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), colleagues.id());
  f = {};
  f.kind = v1::SERVICE_KIND_SEARCH_CONSULTATION;
  list = desk_->requests().List(admin_, f);
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  f = {};
  f.channel = v1::CHANNEL_EMAIL;
  f.center_id = center_.id();
  list = desk_->requests().List(admin_, f);
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  auto started = desk_->requests().Start(StaffActor(spec1_.id()), mine.id(),
                                         mine.version());
  ASSERT_OK(started);
  f = {};
  f.state = v1::REQUEST_STATE_IN_PROGRESS;
  list = desk_->requests().List(StaffActor(head_.id()), f);
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), mine.id());
  f.center_id = "";
  list = desk_->requests().List(admin_, f);
  ASSERT_OK(list);
  EXPECT_EQ(list->items.size(), 1u);
  // Paging.
  auto page = desk_->requests().List(admin_, {}, PageRequest{2, ""});
  ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 2u);
  ASSERT_FALSE(page->next_page_token.empty());
  auto rest =
      desk_->requests().List(admin_, {}, PageRequest{2, page->next_page_token});
  ASSERT_OK(rest);
  EXPECT_EQ(rest->items.size(), 1u);
}

TEST_P(RequestsTest, PageTokensOnlyContinueTheirOwnQuery) {
  std::vector<std::string> ours;
  for (int i = 0; i < 3; ++i) ours.push_back(OpenHotline().id());
  OpenAs(ContactActor(other_contact_.id()), [&] {
    v1::ServiceRequest d = Draft();
    d.set_organization_id(other_org_.id());
    return d;
  }());
  RequestFilter by_org;
  by_org.organization_id = org_.id();
  auto first = desk_->requests().List(admin_, by_org, PageRequest{2, ""});
  ASSERT_OK(first);
  ASSERT_EQ(first->items.size(), 2u);
  const std::string token = first->next_page_token;
  ASSERT_FALSE(token.empty());

  auto refused =
      StatusIs(Code::kInvalidArgument,
               HasSubstr("page_token: does not belong to this query"));
  // Another organisation: the same index, other bounds.
  RequestFilter other = by_org;
  other.organization_id = other_org_.id();
  EXPECT_THAT(desk_->requests().List(admin_, other, PageRequest{2, token}),
              refused);
  // The same bounds, one more filter (applied while scanning).
  RequestFilter narrower = by_org;
  narrower.kind = v1::SERVICE_KIND_HOTLINE_QUESTION;
  EXPECT_THAT(desk_->requests().List(admin_, narrower, PageRequest{2, token}),
              refused);
  // No filter, and other lists altogether.
  EXPECT_THAT(desk_->requests().List(admin_, {}, PageRequest{2, token}),
              refused);
  EXPECT_THAT(desk_->requests().Queue(admin_, center_.id(), {2, token}),
              refused);
  EXPECT_THAT(desk_->staff().List(admin_, {}, PageRequest{2, token}), refused);
  EXPECT_THAT(desk_->organizations().List(admin_, {}, PageRequest{2, token}),
              refused);
  EXPECT_THAT(desk_->dialogs().List(admin_, {}, PageRequest{2, token}),
              refused);
  // Tokens of earlier releases (the position alone) are refused the same
  // way: they cannot say which query they belong to.
  const std::string old_format = absl::WebSafeBase64Escape(absl::StrCat(
      org_.id().size() + 1, ":", org_.id(), std::string(1, '\0'), ours[1]));
  EXPECT_THAT(
      desk_->requests().List(admin_, by_org, PageRequest{2, old_format}),
      refused);
  EXPECT_THAT(desk_->requests().List(admin_, by_org, PageRequest{2, "x!"}),
              StatusIs(Code::kInvalidArgument, HasSubstr("page_token")));

  // The same query continues, also for another actor whose effective
  // filter is the same (a contact lists its own organisation's requests),
  // and after the desk was reopened (another process would do the same).
  auto rest = desk_->requests().List(ContactActor(contact_.id()), {},
                                     PageRequest{2, token});
  ASSERT_OK(rest);
  std::vector<std::string> seen;
  for (const auto& r : first->items) seen.push_back(r.id());
  for (const auto& r : rest->items) seen.push_back(r.id());
  EXPECT_TRUE(rest->next_page_token.empty());
  EXPECT_THAT(seen, ::testing::UnorderedElementsAreArray(ours));
  if (GetParam() == "sqlite") {
    ReopenDesk({});
    auto again = desk_->requests().List(admin_, by_org, PageRequest{2, token});
    ASSERT_OK(again);
    ASSERT_EQ(again->items.size(), 1u);
    EXPECT_EQ(again->items[0].id(), rest->items[0].id());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RequestsTest,
                         ::testing::Values("memory", "sqlite"));

}  // namespace
}  // namespace servicedesk
