// A seeded network for the requests, dialogs and tech-support tests: the
// Moscow center on a Mon-Fri 09:00-18:00 calendar with a head, two qualified
// hotline specialists, a trainer-less staff, a personal manager and an
// engineer; a client organisation with two contacts; a second center with
// its own head, specialist, client and contact. The clock starts Monday
// 2025-03-03 10:00 Moscow time.
#ifndef SERVICEDESK_TESTS_REQUESTS_REQUESTS_FIXTURE_H_
#define SERVICEDESK_TESTS_REQUESTS_REQUESTS_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/core/time_util.h"
#include "testing/desk_fixture.h"

namespace servicedesk::testing {

inline absl::TimeZone Moscow() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Moscow", &tz));
  return tz;
}
inline absl::Time Msk(int y, int m, int d, int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), Moscow());
}

class RequestsTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    Seed();
  }

  // Seeds desk_ with the network described above.
  void Seed() {
    v1::BusinessCalendar cal = MoscowOfficeHours();
    ASSERT_OK(desk_->calendars().Create(admin_, cal));
    center_ = WithCalendar(MakeCenter("MSK-01"));
    other_center_ = WithCalendar(MakeCenter("SPB-01", "Europe/Moscow"));

    head_ = MakeStaff(center_.id(), "Head", {v1::STAFF_ROLE_CENTER_HEAD});
    spec1_ = Qualified(center_.id(), "Specialist One",
                       {v1::STAFF_ROLE_HOTLINE_SPECIALIST}, {"hotline"});
    spec2_ = Qualified(center_.id(), "Specialist Two",
                       {v1::STAFF_ROLE_HOTLINE_SPECIALIST}, {"hotline"});
    manager_ =
        MakeStaff(center_.id(), "Manager", {v1::STAFF_ROLE_PERSONAL_MANAGER});
    engineer_ = Qualified(center_.id(), "Engineer", {v1::STAFF_ROLE_ENGINEER},
                          {"tech-support"});
    org_ = MakeOrg(center_.id(), manager_.id(), "Client", 0);
    contact_ = MakeContact(org_.id(), "User");
    colleague_ = MakeContact(org_.id(), "Colleague");

    other_head_ = MakeStaff(other_center_.id(), "Other Head",
                            {v1::STAFF_ROLE_CENTER_HEAD});
    other_spec_ = Qualified(other_center_.id(), "Other Specialist",
                            {v1::STAFF_ROLE_HOTLINE_SPECIALIST}, {"hotline"});
    other_manager_ = MakeStaff(other_center_.id(), "Other Manager",
                               {v1::STAFF_ROLE_PERSONAL_MANAGER});
    other_org_ = MakeOrg(other_center_.id(), other_manager_.id(), "Other", 1);
    other_contact_ = MakeContact(other_org_.id(), "Other User");
  }

  v1::ServiceCenter WithCalendar(v1::ServiceCenter c) {
    c.set_calendar_id("msk-office");
    auto updated = desk_->centers().Update(admin_, c);
    EXPECT_TRUE(updated.ok()) << updated.status();
    return updated.value_or(c);
  }

  // A staff member holding `quals` (valid until `until`; InfiniteFuture =
  // no expiry).
  v1::StaffMember Qualified(const std::string& center_id,
                            const std::string& name,
                            std::initializer_list<v1::StaffRole> roles,
                            std::vector<std::string> quals,
                            absl::Time until = absl::InfiniteFuture()) {
    v1::StaffMember m;
    m.set_center_id(center_id);
    m.set_full_name(name);
    m.set_email(absl::StrCat("q", ++staff_counter_, "@center.example.ru"));
    for (auto r : roles) m.add_roles(r);
    for (const std::string& q : quals) {
      auto* qq = m.add_qualifications();
      qq->set_code(q);
      qq->set_title(q);
      if (until != absl::InfiniteFuture())
        *qq->mutable_valid_until() = internal::ToProto(until);
    }
    auto r = desk_->staff().Create(admin_, m);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::StaffMember());
  }

  v1::ServiceRequest Draft(
      v1::ServiceKind kind = v1::SERVICE_KIND_HOTLINE_QUESTION,
      v1::Channel channel = v1::CHANNEL_PHONE_HOTLINE) {
    v1::ServiceRequest d;
    d.set_organization_id(org_.id());
    d.set_kind(kind);
    d.set_channel(channel);
    d.set_priority(v1::PRIORITY_NORMAL);
    d.set_subject("How do I find the current Tax Code?");
    d.set_description("We need the version in force from January.");
    return d;
  }

  // Replaces desk_ by one opened with `options` and this test's clock: on
  // the same file (SQLite) or on a fresh store, seeded again (memory).
  void ReopenDesk(DeskOptions options) {
    options.clock = clock_.get();
    desk_.reset();
    const bool sqlite = GetParam() == "sqlite";
    auto d = Desk::Open(
        sqlite ? absl::StrCat("sqlite:", path_.string()) : "memory:", options);
    ASSERT_TRUE(d.ok()) << d.status();
    desk_ = *std::move(d);
    if (!sqlite) Seed();
  }

  v1::ServiceRequest OpenAs(const Actor& who, const v1::ServiceRequest& d) {
    auto r = desk_->requests().Open(who, d);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::ServiceRequest());
  }
  v1::ServiceRequest OpenHotline() {
    return OpenAs(ContactActor(contact_.id()), Draft());
  }

  // A hotline question `who` started and resolved.
  v1::ServiceRequest ResolvedHotline(const Actor& who) {
    v1::ServiceRequest r = OpenHotline();
    auto s = desk_->requests().Start(who, r.id(), r.version());
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) return r;
    s = desk_->requests().Resolve(who, r.id(), s->version(), "done");
    EXPECT_TRUE(s.ok()) << s.status();
    return s.value_or(r);
  }

  v1::ServiceRequest Get(const std::string& id) {
    auto r = desk_->requests().Get(admin_, id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::ServiceRequest());
  }

  std::vector<v1::TargetClock> Clocks(const std::string& subject) {
    auto c = desk_->sla().Clocks(admin_, subject);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.value_or(std::vector<v1::TargetClock>());
  }
  // The newest clock of `kind`.
  v1::TargetClock Clock(const std::string& subject, v1::ClockKind kind) {
    v1::TargetClock out;
    bool found = false;
    for (auto& c : Clocks(subject))
      if (c.kind() == kind) {
        out = c;
        found = true;
      }
    EXPECT_TRUE(found) << "no clock of kind " << kind;
    return out;
  }

  // Events after `after_seq` (admin view).
  std::vector<v1::Event> EventsAfter(int64_t after_seq) {
    auto e = desk_->events().List(admin_, after_seq, 1000);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.value_or(std::vector<v1::Event>());
  }
  int64_t LastSeq() {
    auto e = EventsAfter(0);
    return e.empty() ? 0 : e.back().seq();
  }
  std::vector<std::string> RequestActions(const std::vector<v1::Event>& ev,
                                          const std::string& id) {
    std::vector<std::string> out;
    for (auto& e : ev)
      if (e.entity_type() == "request" && e.entity_id() == id)
        out.push_back(e.action());
    return out;
  }

  v1::ServiceCenter center_, other_center_;
  v1::StaffMember head_, spec1_, spec2_, manager_, engineer_;
  v1::StaffMember other_head_, other_spec_, other_manager_;
  v1::Organization org_, other_org_;
  v1::Contact contact_, colleague_, other_contact_;
};

}  // namespace servicedesk::testing

#endif  // SERVICEDESK_TESTS_REQUESTS_REQUESTS_FIXTURE_H_
