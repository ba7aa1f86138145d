// Online dialogs through the public API: the queue in arrival order, taking,
// messages, first response in seconds, hand-over, closing, queue position and
// expected wait, authorization — on every backend.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "requests/requests_fixture.h"

namespace servicedesk {
namespace {

using ::servicedesk::internal::FromProto;
using ::servicedesk::internal::ToProto;
using ::servicedesk::testing::MoscowOfficeHours;
using ::servicedesk::testing::Msk;
using ::servicedesk::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using Code = absl::StatusCode;

class DialogsTest : public testing::RequestsTest {
 protected:
  v1::Dialog OpenDialog(const v1::Contact& c, const std::string& topic) {
    auto d = desk_->dialogs().Open(ContactActor(c.id()), topic,
                                   "Hello, a question about " + topic);
    EXPECT_TRUE(d.ok()) << d.status();
    return d.value_or(v1::Dialog());
  }
  v1::QueuePosition Where(const v1::Contact& c, const std::string& id) {
    auto p = desk_->dialogs().Position(ContactActor(c.id()), id);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.value_or(v1::QueuePosition());
  }
};

TEST_P(DialogsTest, OpenCreatesTheRequestAndQueuesInArrivalOrder) {
  v1::Dialog a = OpenDialog(contact_, "VAT");
  EXPECT_EQ(a.state(), v1::DIALOG_STATE_WAITING);
  EXPECT_EQ(a.center_id(), center_.id());
  ASSERT_EQ(a.messages_size(), 1);
  EXPECT_EQ(a.messages(0).contact_id(), contact_.id());
  EXPECT_EQ(FromProto(a.messages(0).at()), clock_->Now());
  v1::ServiceRequest r = Get(a.request_id());
  EXPECT_EQ(r.kind(), v1::SERVICE_KIND_ONLINE_DIALOG);
  EXPECT_EQ(r.channel(), v1::CHANNEL_ONLINE_DIALOG);
  EXPECT_EQ(r.dialog_id(), a.id());
  EXPECT_EQ(r.subject(), "VAT");
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_NEW);
  EXPECT_EQ(r.assignee_id(), "");
  // First response in seconds: 60 s on the center's calendar.
  v1::TargetClock fr = Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(FromProto(fr.due_at()), clock_->Now() + absl::Seconds(60));
  // A dialog's request is not in the request queue.
  auto queue = desk_->requests().Queue(admin_, center_.id());
  ASSERT_OK(queue);
  EXPECT_TRUE(queue->items.empty());
  // Its outcome waits for a specialist to take the dialog, and the error
  // says so (Assign is refused for a dialog's request).
  v1::RequestOutcome o;
  o.set_answer("Art. 154");
  EXPECT_THAT(
      desk_->requests().RecordOutcome(admin_, r.id(), r.version(), o),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("NEW"), HasSubstr("takes dialog '" + a.id()))));

  // Same instant: arrival order still holds.
  v1::Dialog b = OpenDialog(colleague_, "HR");
  clock_->Advance(absl::Seconds(5));
  v1::Dialog c = OpenDialog(contact_, "Taxes");
  EXPECT_EQ(Where(contact_, a.id()).position(), 1);
  EXPECT_EQ(Where(colleague_, b.id()).position(), 2);
  v1::QueuePosition pc = Where(contact_, c.id());
  EXPECT_EQ(pc.position(), 3);
  EXPECT_EQ(pc.waiting(), 3);
  // Who could take it now: the two qualified specialists, until one steps
  // away.
  EXPECT_EQ(pc.available_specialists(), 2);
  // No history yet: ceil(3 / 2) = 2 rounds of the first-response target.
  EXPECT_EQ(FromProto(pc.expected_wait()), absl::Seconds(120));
  EXPECT_EQ(FromProto(pc.expected_at()), clock_->Now() + absl::Seconds(120));
  ASSERT_OK(desk_->dialogs().SetAvailable(StaffActor(spec1_.id()), spec1_.id(),
                                          false));
  pc = Where(contact_, c.id());
  EXPECT_EQ(pc.available_specialists(), 1);
  EXPECT_EQ(FromProto(pc.expected_wait()), absl::Seconds(180));
  ASSERT_OK(desk_->dialogs().SetAvailable(StaffActor(spec1_.id()), spec1_.id(),
                                          true));

  clock_->Advance(absl::Seconds(40));
  auto taken = desk_->dialogs().Take(StaffActor(spec2_.id()));
  ASSERT_OK(taken);
  EXPECT_EQ(taken->id(), a.id());
  EXPECT_EQ(taken->state(), v1::DIALOG_STATE_ACTIVE);
  EXPECT_EQ(taken->specialist_id(), spec2_.id());
  EXPECT_EQ(FromProto(taken->queue_wait()), absl::Seconds(45));
  r = Get(a.request_id());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(r.assignee_id(), spec2_.id());
  // The queue moves up; the estimate now uses the observed wait: 45 s a
  // round, and the two specialists take both waiting dialogs in one.
  EXPECT_EQ(Where(colleague_, b.id()).position(), 1);
  pc = Where(contact_, c.id());
  EXPECT_EQ(pc.position(), 2);
  EXPECT_EQ(pc.waiting(), 2);
  EXPECT_EQ(FromProto(pc.expected_wait()), absl::Seconds(45));
  EXPECT_THAT(desk_->dialogs().Position(ContactActor(contact_.id()), a.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));

  auto next = desk_->dialogs().Take(StaffActor(spec1_.id()));
  ASSERT_OK(next);
  EXPECT_EQ(next->id(), b.id());
  auto specific = desk_->dialogs().TakeSpecific(StaffActor(head_.id()), c.id());
  EXPECT_THAT(specific, StatusIs(Code::kPermissionDenied));  // not hotline
  auto last = desk_->dialogs().TakeSpecific(StaffActor(spec1_.id()), c.id());
  ASSERT_OK(last);
  EXPECT_THAT(desk_->dialogs().Take(StaffActor(spec1_.id())),
              StatusIs(Code::kNotFound, HasSubstr("queue")));
  EXPECT_THAT(desk_->dialogs().TakeSpecific(StaffActor(spec2_.id()), c.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));
}

// k available specialists take the queue k dialogs at a time: the third
// dialog waits three rounds with one of them and one round with three.
TEST_P(DialogsTest, TheExpectedWaitIsSharedAmongTheAvailableSpecialists) {
  v1::Dialog a = OpenDialog(contact_, "VAT");
  OpenDialog(colleague_, "HR");
  v1::Dialog c = OpenDialog(contact_, "Taxes");
  auto away = [&](const v1::StaffMember& m, bool is_away) {
    ASSERT_OK(desk_->dialogs().SetAvailable(admin_, m.id(), !is_away));
  };
  away(spec2_, true);
  v1::QueuePosition one = Where(contact_, c.id());
  EXPECT_EQ(one.position(), 3);
  EXPECT_EQ(one.available_specialists(), 1);
  EXPECT_EQ(FromProto(one.expected_wait()), absl::Seconds(180));
  EXPECT_EQ(FromProto(one.expected_at()), clock_->Now() + absl::Seconds(180));

  v1::StaffMember spec3 =
      Qualified(center_.id(), "Specialist Three",
                {v1::STAFF_ROLE_HOTLINE_SPECIALIST}, {"hotline"});
  away(spec2_, false);
  v1::QueuePosition three = Where(contact_, c.id());
  EXPECT_EQ(three.available_specialists(), 3);
  EXPECT_EQ(FromProto(three.expected_wait()), absl::Seconds(60));
  EXPECT_EQ(FromProto(three.expected_at()), clock_->Now() + absl::Seconds(60));
  EXPECT_EQ(FromProto(Where(contact_, a.id()).expected_wait()),
            absl::Seconds(60));

  // Only those who may take it count: an active hotline specialist whose
  // qualification is not for dialogs does not.
  Qualified(center_.id(), "Documents Only", {v1::STAFF_ROLE_HOTLINE_SPECIALIST},
            {"documents"});
  EXPECT_EQ(Where(contact_, c.id()).available_specialists(), 3);

  // With nobody available, as for one specialist.
  away(spec1_, true);
  away(spec2_, true);
  away(spec3, true);
  v1::QueuePosition none = Where(contact_, c.id());
  EXPECT_EQ(none.available_specialists(), 0);
  EXPECT_EQ(FromProto(none.expected_wait()), absl::Seconds(180));
}

// Taking and handing over change who holds the request, not its targets:
// the clocks carry the new assignee, and no sla.recomputed announces a due
// time that did not move.
TEST_P(DialogsTest, TakeAndHandoverWithAnUnchangedDueEmitNoRecompute) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  const std::string request_id = d.request_id();
  const v1::TargetClock before =
      Clock(request_id, v1::CLOCK_KIND_FIRST_RESPONSE);
  auto recomputed = [&] {
    auto events = desk_->events().List(admin_, 0, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    int n = 0;
    for (const v1::Event& e : events.value_or(std::vector<v1::Event>()))
      if (e.action() == "sla.recomputed") ++n;
    return n;
  };
  clock_->Advance(absl::Seconds(20));
  ASSERT_OK(desk_->dialogs().Take(StaffActor(spec1_.id())));
  EXPECT_EQ(recomputed(), 0);
  v1::TargetClock fr = Clock(request_id, v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(FromProto(fr.due_at()), FromProto(before.due_at()));
  EXPECT_EQ(fr.subject().assignee_id(), spec1_.id());
  ASSERT_OK(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                      spec2_.id(), "end of shift"));
  EXPECT_EQ(recomputed(), 0);
  EXPECT_EQ(
      Clock(request_id, v1::CLOCK_KIND_RESOLUTION).subject().assignee_id(),
      spec2_.id());
}

TEST_P(DialogsTest, TheSpecialistsFirstMessageIsTheFirstResponse) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  // The client may add to the question while waiting.
  ASSERT_OK(desk_->dialogs().Post(ContactActor(contact_.id()), d.id(),
                                  "It is urgent"));
  EXPECT_THAT(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "Hi"),
              StatusIs(Code::kPermissionDenied));  // not taken yet
  clock_->Advance(absl::Seconds(20));
  ASSERT_OK(desk_->dialogs().Take(StaffActor(spec1_.id())));
  // Another specialist of the center does not write in someone's dialog.
  EXPECT_THAT(desk_->dialogs().Post(StaffActor(spec2_.id()), d.id(), "Hi"),
              StatusIs(Code::kPermissionDenied));
  clock_->Advance(absl::Seconds(15));
  auto posted =
      desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "Good morning!");
  ASSERT_OK(posted);
  ASSERT_EQ(posted->messages_size(), 3);
  EXPECT_EQ(posted->messages(2).staff_id(), spec1_.id());
  EXPECT_EQ(FromProto(posted->messages(2).at()), clock_->Now());
  v1::ServiceRequest r = Get(d.request_id());
  EXPECT_EQ(FromProto(r.first_response_at()), clock_->Now());
  v1::TargetClock fr = Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_TRUE(fr.met());  // 35 s <= 60 s
  EXPECT_EQ(FromProto(fr.business_elapsed()), absl::Seconds(35));
  // Later messages keep the first response; every message, both ways, is
  // also the request's transcript.
  clock_->Advance(absl::Seconds(30));
  ASSERT_OK(desk_->dialogs().Post(ContactActor(contact_.id()), d.id(),
                                  "Thanks, and where is the form?"));
  // A chat message may run over several lines.
  auto last = desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(),
                                    "Here:\n1. Forms\n2. VAT declaration");
  ASSERT_OK(last);
  EXPECT_EQ(last->messages(last->messages_size() - 1).text(),
            "Here:\n1. Forms\n2. VAT declaration");
  v1::ServiceRequest after = Get(d.request_id());
  EXPECT_EQ(FromProto(after.first_response_at()),
            FromProto(r.first_response_at()));
  ASSERT_EQ(after.messages_size(), last->messages_size());
  ASSERT_GE(after.messages_size(), 3);
  for (int i = 0; i < after.messages_size(); ++i) {
    EXPECT_EQ(after.messages(i).text(), last->messages(i).text()) << i;
    EXPECT_EQ(FromProto(after.messages(i).at()),
              FromProto(last->messages(i).at()))
        << i;
    EXPECT_EQ(after.messages(i).contact_id(), last->messages(i).contact_id());
    EXPECT_EQ(after.messages(i).staff_id(), last->messages(i).staff_id());
  }
  EXPECT_EQ(after.messages(0).contact_id(), contact_.id());
  EXPECT_EQ(after.messages(after.messages_size() - 1).staff_id(), spec1_.id());
  EXPECT_THAT(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("text")));
}

// A specialist's every message is an update to the client; the client's are
// not.
TEST_P(DialogsTest, EachSpecialistMessageRestartsThePeriodicUpdateClock) {
  auto policy = desk_->sla().GetPolicy(admin_);
  ASSERT_OK(policy);
  v1::SlaRule* rule = policy->add_rules();
  rule->set_name("dialogs, updated every 5 min");
  rule->add_kinds(v1::SERVICE_KIND_ONLINE_DIALOG);
  for (const v1::ServiceDefinition& def : Sla::Catalog())
    if (def.kind() == v1::SERVICE_KIND_ONLINE_DIALOG) {
      *rule->mutable_first_response() = def.first_response();
      *rule->mutable_resolution() = def.resolution();
      *rule->mutable_periodic_update() = def.first_response();
    }
  *rule->mutable_periodic_update()->mutable_duration() =
      ToProto(absl::Minutes(5));
  ASSERT_OK(desk_->sla().SetPolicy(admin_, *policy));
  auto periodic = [&](const std::string& id) {
    std::vector<v1::TargetClock> out;
    for (auto& c : Clocks(id))
      if (c.kind() == v1::CLOCK_KIND_PERIODIC_UPDATE) out.push_back(c);
    return out;
  };
  v1::Dialog d = OpenDialog(contact_, "VAT");
  ASSERT_EQ(periodic(d.request_id()).size(), 1u);
  ASSERT_OK(desk_->dialogs().Take(StaffActor(spec1_.id())));
  clock_->Advance(absl::Seconds(30));
  ASSERT_OK(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "Hello"));
  ASSERT_EQ(periodic(d.request_id()).size(), 2u);
  clock_->Advance(absl::Minutes(2));
  ASSERT_OK(desk_->dialogs().Post(ContactActor(contact_.id()), d.id(), "Hi"));
  ASSERT_EQ(periodic(d.request_id()).size(), 2u);
  clock_->Advance(absl::Minutes(2));
  ASSERT_OK(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "Here"));
  auto p = periodic(d.request_id());
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(p[1].met());
  EXPECT_EQ(FromProto(p[1].stopped_at()), clock_->Now());
  EXPECT_EQ(p[2].state(), v1::CLOCK_STATE_RUNNING);
  EXPECT_EQ(FromProto(p[2].started_at()), clock_->Now());
}

// Two processes whose clocks disagree: the specialist's desk stamps its take
// and answer before the client's desk stamped the opening. Nothing fails on
// it, no wait is negative, and the clock stops where it started.
TEST_P(DialogsTest, ASpecialistWhoseClockLagsTakesAndAnswers) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  const absl::Time opened = clock_->Now();
  clock_->Advance(absl::Seconds(-60));
  auto taken = desk_->dialogs().Take(StaffActor(spec1_.id()));
  ASSERT_OK(taken);
  EXPECT_EQ(FromProto(taken->queue_wait()), absl::ZeroDuration());
  clock_->Advance(absl::Seconds(5));
  ASSERT_OK(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "Hello!"));
  v1::TargetClock fr = Clock(d.request_id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.state(), v1::CLOCK_STATE_STOPPED);
  EXPECT_EQ(FromProto(fr.stopped_at()), opened);
  EXPECT_EQ(FromProto(fr.business_elapsed()), absl::ZeroDuration());
  EXPECT_TRUE(fr.met());
  // The next client is not promised a negative wait.
  v1::Dialog next = OpenDialog(contact_, "Forms");
  EXPECT_GE(FromProto(Where(contact_, next.id()).expected_wait()),
            absl::ZeroDuration());
  // (A caller's own instant before a clock's transition is still refused:
  // SlaTest.PauseAccruesBusinessTimeAndMovesTheDueTime.)
}

// A dialog nobody takes breaches its minute: the first escalation step,
// which names the assignee when there is one, goes to the center head.
TEST_P(DialogsTest, AnUntakenDialogsFirstEscalationGoesToTheHead) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  const int64_t after = LastSeq();
  clock_->Advance(absl::Seconds(61));
  ASSERT_OK(desk_->sla().Tick(SystemActor("scheduler"), clock_->Now()));
  std::vector<v1::Event> step1;
  for (const v1::Event& e : EventsAfter(after))
    if (e.action() == "sla.escalated" && e.details().at("level") == "1")
      step1.push_back(e);
  ASSERT_EQ(step1.size(), 1u);
  EXPECT_EQ(step1[0].details().at("to"), head_.id());
  EXPECT_EQ(step1[0].details().at("unassigned"), "true");
  EXPECT_EQ(step1[0].details().at("step"), "assignee");
}

// The hotline works 08:00-20:00 while the office closes at 18:00: a chat at
// 19:00 is due a minute later, not the next morning.
TEST_P(DialogsTest, TheFirstResponseRunsOnTheHotlinesOwnHours) {
  clock_->Set(Msk(2025, 3, 3, 19, 0));
  v1::Dialog office = OpenDialog(contact_, "after office hours");
  v1::TargetClock fr =
      Clock(office.request_id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.calendar_id(), "msk-office");
  EXPECT_EQ(FromProto(fr.due_at()), Msk(2025, 3, 4, 9, 1));
  // A wait of a minute in business time: the client is told when that is.
  v1::QueuePosition at_night = Where(contact_, office.id());
  EXPECT_EQ(FromProto(at_night.expected_wait()), absl::Seconds(60));
  EXPECT_EQ(FromProto(at_night.expected_at()), Msk(2025, 3, 4, 9, 1));

  v1::BusinessCalendar hotline = MoscowOfficeHours();
  hotline.set_id("msk-hotline");
  hotline.set_name("Moscow hotline");
  for (auto& w : *hotline.mutable_weekly()) {
    w.mutable_intervals(0)->set_start_seconds(8 * 3600);
    w.mutable_intervals(0)->set_end_seconds(20 * 3600);
  }
  ASSERT_OK(desk_->calendars().Create(admin_, hotline));
  v1::ServiceCenter c = *desk_->centers().Get(admin_, center_.id());
  v1::ServiceCenter bad = c;
  bad.set_hotline_calendar_id("no-such-calendar");
  EXPECT_THAT(desk_->centers().Update(admin_, bad),
              StatusIs(Code::kNotFound, HasSubstr("hotline_calendar_id")));
  c.set_hotline_calendar_id("msk-hotline");
  auto updated = desk_->centers().Update(admin_, c);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->hotline_calendar_id(), "msk-hotline");

  v1::Dialog evening = OpenDialog(colleague_, "in the evening");
  fr = Clock(evening.request_id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.calendar_id(), "msk-hotline");
  EXPECT_EQ(FromProto(fr.due_at()), Msk(2025, 3, 3, 19, 1));
  // The dialog that was waiting keeps the calendar its clocks started on
  // when it is taken (taking recomputes them for the new assignee).
  ASSERT_OK(
      desk_->dialogs().TakeSpecific(StaffActor(spec1_.id()), office.id()));
  fr = Clock(office.request_id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_EQ(fr.calendar_id(), "msk-office");
  EXPECT_EQ(FromProto(fr.due_at()), Msk(2025, 3, 4, 9, 1));
  // Other requests stay on the office's hours.
  v1::ServiceRequest phone = OpenHotline();
  EXPECT_EQ(Clock(phone.id(), v1::CLOCK_KIND_FIRST_RESPONSE).calendar_id(),
            "msk-office");
}

TEST_P(DialogsTest, HandOverAndCloseResolveTheRequest) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  ASSERT_OK(desk_->dialogs().Take(StaffActor(spec1_.id())));
  size_t before = EventCount();
  EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                        engineer_.id(), "expert"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("to_staff_id")));
  EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                        other_spec_.id(), "expert"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("to_staff_id")));
  EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                        "staff-404", "expert"),
              StatusIs(Code::kNotFound, HasSubstr("to_staff_id")));
  EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec2_.id()), d.id(),
                                        spec2_.id(), "mine"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                        spec2_.id(), ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("reason")));
  EXPECT_EQ(EventCount(), before);

  auto h = desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                     spec2_.id(), "VAT expert");
  ASSERT_OK(h);
  EXPECT_EQ(h->specialist_id(), spec2_.id());
  ASSERT_EQ(h->handovers_size(), 2);
  EXPECT_EQ(h->handovers(0).staff_id(), spec1_.id());
  EXPECT_EQ(h->handovers(1).staff_id(), spec2_.id());
  EXPECT_EQ(h->handovers(1).reason(), "VAT expert");
  v1::ServiceRequest r = Get(d.request_id());
  EXPECT_EQ(r.assignee_id(), spec2_.id());
  ASSERT_EQ(r.assignments_size(), 2);
  // The former specialist no longer writes in it.
  EXPECT_THAT(desk_->dialogs().Post(StaffActor(spec1_.id()), d.id(), "hi"),
              StatusIs(Code::kPermissionDenied));
  ASSERT_OK(desk_->dialogs().Post(StaffActor(spec2_.id()), d.id(), "Hello"));

  // The Requests API leaves a dialog's lifecycle to Dialogs.
  r = Get(d.request_id());
  EXPECT_THAT(desk_->requests().Resolve(StaffActor(spec2_.id()), r.id(),
                                        r.version(), "done"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("dialog_id")));

  clock_->Advance(absl::Minutes(5));
  auto closed = desk_->dialogs().Close(ContactActor(contact_.id()), d.id());
  ASSERT_OK(closed);
  EXPECT_EQ(closed->state(), v1::DIALOG_STATE_CLOSED);
  EXPECT_EQ(FromProto(closed->closed_at()), clock_->Now());
  r = Get(d.request_id());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_RESOLVED);
  EXPECT_EQ(FromProto(r.resolved_at()), clock_->Now());
  EXPECT_EQ(Clock(r.id(), v1::CLOCK_KIND_RESOLUTION).state(),
            v1::CLOCK_STATE_STOPPED);
  EXPECT_THAT(desk_->dialogs().Close(StaffActor(spec2_.id()), d.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));
  EXPECT_THAT(desk_->dialogs().Post(ContactActor(contact_.id()), d.id(), "?"),
              StatusIs(Code::kFailedPrecondition, HasSubstr("state")));
  // The client rates the dialog's request like any other, and closes it;
  // a closed dialog is not reopened (the client opens a new one).
  auto rated = desk_->requests().Rate(ContactActor(contact_.id()), r.id(),
                                      r.version(), 5, "fast");
  ASSERT_OK(rated);
  auto done = desk_->requests().Close(ContactActor(contact_.id()), r.id(),
                                      rated->version());
  ASSERT_OK(done);
  EXPECT_THAT(
      desk_->requests().Reopen(ContactActor(contact_.id()), r.id(),
                               done->version(), "one more thing"),
      StatusIs(Code::kFailedPrecondition,
               AllOf(HasSubstr("dialog_id"), HasSubstr("opens a new one"))));

  // Closing a dialog nobody took cancels its request.
  v1::Dialog w = OpenDialog(colleague_, "HR");
  auto gone = desk_->dialogs().Close(ContactActor(colleague_.id()), w.id());
  ASSERT_OK(gone);
  r = Get(w.request_id());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_CANCELLED);
  EXPECT_THAT(r.cancel_reason(), HasSubstr("before a specialist took it"));
}

TEST_P(DialogsTest, OnlyTheOrganizationAndTheCenterSeeADialog) {
  v1::Dialog d = OpenDialog(contact_, "VAT");
  v1::Dialog other = OpenDialog(other_contact_, "Other");
  size_t before = EventCount();
  EXPECT_THAT(desk_->dialogs().Open(admin_, "VAT", "?"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Open(StaffActor(spec1_.id()), "VAT", "?"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Open(ContactActor(contact_.id()), "", "?"),
              StatusIs(Code::kInvalidArgument, HasSubstr("topic")));
  EXPECT_THAT(desk_->dialogs().Open(ContactActor(contact_.id()), "VAT", ""),
              StatusIs(Code::kInvalidArgument, HasSubstr("first_message")));
  EXPECT_THAT(
      desk_->dialogs().Post(ContactActor(other_contact_.id()), d.id(), "hi"),
      StatusIs(Code::kNotFound, HasSubstr("not found")));
  // A colleague of the same organisation reads but does not write.
  EXPECT_OK(desk_->dialogs().Get(ContactActor(colleague_.id()), d.id()));
  EXPECT_THAT(
      desk_->dialogs().Post(ContactActor(colleague_.id()), d.id(), "hi"),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Close(ContactActor(colleague_.id()), d.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Take(StaffActor(engineer_.id())),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      desk_->dialogs().TakeSpecific(StaffActor(other_spec_.id()), d.id()),
      StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(EventCount(), before);

  EXPECT_THAT(desk_->dialogs().Get(ContactActor(other_contact_.id()), d.id()),
              StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(
      desk_->dialogs().Position(ContactActor(other_contact_.id()), d.id()),
      StatusIs(Code::kNotFound, HasSubstr("not found")));
  EXPECT_THAT(desk_->dialogs().Get(StaffActor(other_spec_.id()), d.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->dialogs().Get(admin_, "dialog-404"),
              StatusIs(Code::kNotFound, HasSubstr("id")));
  // Another center's specialist takes from their own queue only.
  auto theirs = desk_->dialogs().Take(StaffActor(other_spec_.id()));
  ASSERT_OK(theirs);
  EXPECT_EQ(theirs->id(), other.id());
  EXPECT_EQ(Where(contact_, d.id()).position(), 1);

  auto list = desk_->dialogs().List(ContactActor(contact_.id()), {});
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), d.id());
  DialogFilter f;
  f.center_id = center_.id();
  EXPECT_THAT(desk_->dialogs().List(StaffActor(other_spec_.id()), f),
              StatusIs(Code::kPermissionDenied));
  f = {};
  f.state = v1::DIALOG_STATE_ACTIVE;
  list = desk_->dialogs().List(admin_, f);
  ASSERT_OK(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id(), other.id());
}

TEST_P(DialogsTest, TakingNeedsAnUnexpiredHotlineQualification) {
  auto unqualified = MakeStaff(center_.id(), "New Specialist",
                               {v1::STAFF_ROLE_HOTLINE_SPECIALIST});
  auto expired = Qualified(center_.id(), "Lapsed Specialist",
                           {v1::STAFF_ROLE_HOTLINE_SPECIALIST}, {"hotline"},
                           clock_->Now() - absl::Hours(1));
  v1::Dialog d = OpenDialog(contact_, "VAT");
  size_t before = EventCount();
  EXPECT_THAT(desk_->dialogs().Take(StaffActor(unqualified.id())),
              StatusIs(Code::kFailedPrecondition, HasSubstr("hotline")));
  EXPECT_THAT(desk_->dialogs().Take(StaffActor(expired.id())),
              StatusIs(Code::kFailedPrecondition, HasSubstr("hotline")));
  EXPECT_EQ(EventCount(), before);
  // A dialog cannot be handed over to them either.
  ASSERT_OK(desk_->dialogs().Take(StaffActor(spec1_.id())));
  before = EventCount();
  for (const v1::StaffMember& m : {unqualified, expired})
    EXPECT_THAT(desk_->dialogs().Handover(StaffActor(spec1_.id()), d.id(),
                                          m.id(), "expert"),
                StatusIs(Code::kFailedPrecondition,
                         AllOf(HasSubstr("to_staff_id"), HasSubstr("hotline"))))
        << m.id();
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(Get(d.request_id()).assignee_id(), spec1_.id());
}

TEST_P(DialogsTest, AwaySpecialistsNeitherTakeNorReceiveDialogs) {
  auto& dl = desk_->dialogs();
  Actor me = StaffActor(spec1_.id());
  auto initial = dl.Presence(me, spec1_.id());
  ASSERT_OK(initial);
  EXPECT_TRUE(initial->available());
  EXPECT_EQ(initial->version(), 0);

  // Who may set it: the specialist, the head, administrators.
  size_t before = EventCount();
  EXPECT_THAT(dl.SetAvailable(StaffActor(spec2_.id()), spec1_.id(), false),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(dl.SetAvailable(StaffActor(other_head_.id()), spec1_.id(), false),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(dl.SetAvailable(ContactActor(contact_.id()), spec1_.id(), false),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(dl.Presence(ContactActor(contact_.id()), spec1_.id()),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(dl.SetAvailable(admin_, "staff-404", false),
              StatusIs(Code::kNotFound, HasSubstr("staff_id")));
  EXPECT_THAT(dl.SetAvailable(admin_, engineer_.id(), false),
              StatusIs(Code::kFailedPrecondition, HasSubstr("staff_id")));
  EXPECT_THAT(dl.Presence(admin_, engineer_.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("staff_id")));
  EXPECT_EQ(EventCount(), before);

  v1::Dialog d = OpenDialog(contact_, "VAT");
  before = EventCount();
  auto away = dl.SetAvailable(me, spec1_.id(), false);
  ASSERT_OK(away);
  EXPECT_FALSE(away->available());
  EXPECT_EQ(away->version(), 1);
  EXPECT_EQ(FromProto(away->since()), clock_->Now());
  EXPECT_EQ(away->set_by(), "staff:" + spec1_.id());
  EXPECT_EQ(EventCount(), before + 1);
  // Again: nothing changes, nothing is written.
  auto same = dl.SetAvailable(me, spec1_.id(), false);
  ASSERT_OK(same);
  EXPECT_EQ(same->version(), 1);
  EXPECT_EQ(EventCount(), before + 1);

  EXPECT_THAT(dl.Take(me),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("actor"), HasSubstr("away"))));
  EXPECT_THAT(dl.TakeSpecific(me, d.id()),
              StatusIs(Code::kFailedPrecondition, HasSubstr("away")));
  // spec2 takes it, but cannot hand it to the away specialist.
  ASSERT_OK(dl.Take(StaffActor(spec2_.id())));
  EXPECT_THAT(dl.Handover(StaffActor(spec2_.id()), d.id(), spec1_.id(), "x"),
              StatusIs(Code::kFailedPrecondition,
                       AllOf(HasSubstr("to_staff_id"), HasSubstr("away"))));
  // The head brings them back.
  auto back = dl.SetAvailable(StaffActor(head_.id()), spec1_.id(), true);
  ASSERT_OK(back);
  EXPECT_TRUE(back->available());
  EXPECT_EQ(back->set_by(), "staff:" + head_.id());
  ASSERT_OK(dl.Handover(StaffActor(spec2_.id()), d.id(), spec1_.id(), "x"));
  auto read = dl.Presence(StaffActor(spec2_.id()), spec1_.id());
  ASSERT_OK(read);
  EXPECT_TRUE(read->available());
  EXPECT_EQ(read->version(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, DialogsTest,
                         ::testing::Values("memory", "sqlite"));

}  // namespace
}  // namespace servicedesk
