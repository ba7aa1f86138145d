// Compliance reports through the public API, on every backend: counts,
// compliance, nearest-rank percentiles, satisfaction, backlog, filters,
// grouping, authorization and CSV.
#include <algorithm>
#include <map>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "requests/requests_fixture.h"

namespace servicedesk {
namespace {

using ::servicedesk::internal::FromProto;
using ::servicedesk::internal::ToProto;
using ::servicedesk::testing::Msk;
using ::servicedesk::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using Code = absl::StatusCode;

class ReportsTest : public testing::RequestsTest {
 protected:
  // Monday 2025-03-03, Moscow office hours 09:00-18:00; hotline questions have
  // 15 min to first response and 4 business hours to resolution.
  void SetUp() override {
    RequestsTest::SetUp();
    if (HasFatalFailure()) return;
    At(2025, 3, 3, 10, 0);
    r1_ = OpenHotline();
    r2_ = OpenHotline();
    r3_ = OpenHotline();
    r4_ = OpenHotline();
    v1::ServiceRequest elsewhere = Draft();
    elsewhere.set_organization_id(other_org_.id());
    other_ = OpenAs(ContactActor(other_contact_.id()), elsewhere);
    At(2025, 3, 3, 10, 5);
    r1_ = Do(desk_->requests().Respond(StaffActor(r1_.assignee_id()), r1_.id(),
                                       r1_.version(), "on it"));
    At(2025, 3, 3, 10, 30);
    r2_ = Do(desk_->requests().Respond(StaffActor(r2_.assignee_id()), r2_.id(),
                                       r2_.version(), "late"));
    r4_ = Do(desk_->requests().Cancel(ContactActor(contact_.id()), r4_.id(),
                                      r4_.version(), "solved it myself"));
    At(2025, 3, 3, 12, 0);
    r1_ = Do(desk_->requests().Resolve(StaffActor(r1_.assignee_id()), r1_.id(),
                                       r1_.version(), "answered"));
    At(2025, 3, 3, 12, 30);
    r1_ = Do(desk_->requests().Rate(ContactActor(contact_.id()), r1_.id(),
                                    r1_.version(), 4, "good"));
    At(2025, 3, 4, 12,
       0);  // Tuesday: 8 h on Monday + 3 h today = 11 business hours
    r2_ = Do(desk_->requests().Resolve(StaffActor(r2_.assignee_id()), r2_.id(),
                                       r2_.version(), "done"));
    At(2025, 3, 4, 13, 0);
  }

  void At(int y, int m, int d, int hh, int mm) {
    clock_->Set(Msk(y, m, d, hh, mm));
  }
  v1::ServiceRequest Do(absl::StatusOr<v1::ServiceRequest> r) {
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::ServiceRequest());
  }

  v1::ComplianceQuery Query(std::string center = "") {
    v1::ComplianceQuery q;
    *q.mutable_from() = ToProto(Msk(2025, 3, 3, 0, 0));
    *q.mutable_to() = ToProto(Msk(2025, 3, 5, 0, 0));
    q.set_center_id(center);
    return q;
  }

  v1::ServiceRequest r1_, r2_, r3_, r4_, other_;
};

TEST_P(ReportsTest, CountsComplianceAndPercentilesForACenter) {
  auto report = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  const v1::ComplianceRow& row = report->rows(0);
  EXPECT_EQ(row.requests(), 4);  // the cancelled one was registered too
  // Resolution: r1 met (2 h); r2 breached (11 h); r3 still open, overdue
  // since 14:00 Monday; r4 cancelled, neither.
  EXPECT_EQ(row.met(), 1);
  EXPECT_EQ(row.breached(), 2);
  EXPECT_NEAR(row.compliance_pct(), 100.0 / 3, 1e-9);
  // First response: r1 in 5 min (met), r2 in 30 min (breached), r3 none yet
  // (overdue since 10:15).
  EXPECT_EQ(row.first_response_met(), 1);
  EXPECT_EQ(row.first_response_breached(), 2);
  EXPECT_EQ(FromProto(row.first_response_p50()), absl::Minutes(5));
  EXPECT_EQ(FromProto(row.first_response_p90()), absl::Minutes(30));
  EXPECT_EQ(FromProto(row.resolution_p50()), absl::Hours(2));
  EXPECT_EQ(FromProto(row.resolution_p90()), absl::Hours(11));
  EXPECT_EQ(row.satisfaction_count(), 1);
  EXPECT_DOUBLE_EQ(row.satisfaction_avg(), 4.0);
  // Backlog: r3, 38 hours old at the end of the period.
  ASSERT_EQ(report->backlog_size(), 1);
  EXPECT_EQ(report->backlog(0).age_bucket(), "1-3d");
  EXPECT_EQ(report->backlog(0).count(), 1);
}

// A file written with an older index format (here: no derived index entries
// at all on staff, requests and clocks) is re-indexed when a desk opens it:
// reports, lists and automatic assignment see everything again.
TEST_P(ReportsTest, OlderIndexFormatIsRebuiltOnOpen) {
  if (path_.empty()) GTEST_SKIP() << "needs a store that outlives the desk";
  auto before = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(before.ok()) << before.status();
  // Every record without its index entries, as format 1 never wrote them.
  ReopenAsIndexFormat("1", [](Transaction& tx) {
    for (const char* table : {"staff", "request", "sla_clock"}) {
      auto rows = tx.Scan(table, ScanRange());
      ASSERT_TRUE(rows.ok()) << rows.status();
      ASSERT_FALSE(rows->empty()) << table;
      for (const StoredRecord& row : *rows)
        ASSERT_TRUE(tx.Put(table, row.key, row.version, row.value, {}).ok());
    }
  });
  ASSERT_FALSE(HasFatalFailure());
  auto after = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
  EXPECT_EQ(after->rows(0).requests(), 4);
  v1::ServiceRequest fresh = OpenHotline();
  EXPECT_FALSE(fresh.assignee_id().empty());
}

// A store from before format 4 (cancelling left a stopped first-response
// clock uncancelled, and it counted) is fixed when a desk opens it.
TEST_P(ReportsTest, UpgradeCancelsStoppedClocksOfCancelledRequests) {
  if (path_.empty()) GTEST_SKIP() << "needs a store that outlives the desk";
  v1::ServiceRequest r = OpenHotline();
  At(2025, 3, 4, 13, 5);
  r = Do(desk_->requests().Respond(StaffActor(r.assignee_id()), r.id(),
                                   r.version(), "on it"));
  r = Do(desk_->requests().Cancel(ContactActor(contact_.id()), r.id(),
                                  r.version(), "found it"));
  auto before = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(before.ok()) << before.status();
  ReopenAsIndexFormat("3", [&](Transaction& tx) {
    EXPECT_EQ(RewriteRecords<v1::TargetClock>(
                  tx, "sla_clock",
                  [&](v1::TargetClock& c) {
                    if (c.subject_id() != r.id() ||
                        c.kind() != v1::CLOCK_KIND_FIRST_RESPONSE)
                      return false;
                    c.set_cancelled(false);  // what format 3 left
                    return true;
                  }),
              1);
  });
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_TRUE(Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE).cancelled());
  auto after = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
}

TEST_P(ReportsTest, PeriodOutsideTimestampRangeIsInvalid) {
  v1::ComplianceQuery q = Query();
  q.mutable_from()->set_seconds(-1'000'000'000'000'000);
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("from")));
  q = Query();
  q.mutable_to()->set_nanos(-5);
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("to")));
}

TEST_P(ReportsTest, PeriodsSplitWhatHappenedWhen) {
  v1::ComplianceQuery monday = Query(center_.id());
  *monday.mutable_to() = ToProto(Msk(2025, 3, 4, 0, 0));
  auto mon = desk_->reports().Compliance(admin_, monday);
  ASSERT_TRUE(mon.ok()) << mon.status();
  ASSERT_EQ(mon->rows_size(), 1);
  // Monday: r1 met; r2 and r3 both breached at 14:00. r2 stopped late on
  // Tuesday, but a breach counts where it happened.
  EXPECT_EQ(mon->rows(0).met(), 1);
  EXPECT_EQ(mon->rows(0).breached(), 2);
  EXPECT_EQ(mon->rows(0).requests(), 4);
  v1::ComplianceQuery tuesday = Query(center_.id());
  *tuesday.mutable_from() = ToProto(Msk(2025, 3, 4, 0, 0));
  auto tue = desk_->reports().Compliance(admin_, tuesday);
  ASSERT_TRUE(tue.ok());
  ASSERT_EQ(tue->rows_size(), 1);
  EXPECT_EQ(tue->rows(0).requests(), 0);
  EXPECT_EQ(tue->rows(0).breached(), 0);  // r2 stopped on Tuesday, late
  EXPECT_EQ(tue->rows(0).met(), 0);
  // ... but its business time is in Tuesday's percentiles.
  ASSERT_TRUE(tue->rows(0).has_resolution_p50());
  EXPECT_EQ(FromProto(tue->rows(0).resolution_p50()), absl::Hours(11));
}

TEST_P(ReportsTest, GroupsByCenterKindAndStaff) {
  v1::ComplianceQuery q = Query();
  q.set_by_center(true);
  auto all = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->rows_size(), 2);
  int64_t total = 0;
  for (const auto& row : all->rows()) total += row.requests();
  EXPECT_EQ(total, 5);
  q.set_center_id(center_.id());
  q.set_by_kind(true);
  q.set_by_staff(true);
  auto by_staff = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(by_staff.ok());
  int64_t met = 0;
  for (const auto& row : by_staff->rows()) {
    EXPECT_EQ(row.center_id(), center_.id());
    EXPECT_EQ(row.kind(), v1::SERVICE_KIND_HOTLINE_QUESTION);
    EXPECT_FALSE(row.staff_id().empty());
    met += row.met();
    if (row.staff_id() == r1_.assignee_id()) EXPECT_EQ(row.met(), 1);
  }
  EXPECT_EQ(met, 1);
}

// Grouped by channel, every row counts its own requests and averages its own
// ratings.
TEST_P(ReportsTest, GroupsByChannelWithSatisfactionPerChannel) {
  // Phone: r1 rated 4 (SetUp), r2 rated 1 now; r3 open, r4 cancelled.
  r2_ = Do(desk_->requests().Rate(ContactActor(contact_.id()), r2_.id(),
                                  r2_.version(), 1, "slow"));
  // E-mail: two consultations answered and resolved today, rated 2 and 5.
  for (int score : {2, 5}) {
    v1::ServiceRequest e =
        OpenAs(ContactActor(contact_.id()),
               Draft(v1::SERVICE_KIND_SEARCH_CONSULTATION, v1::CHANNEL_EMAIL));
    ASSERT_FALSE(e.assignee_id().empty());
    e = Do(desk_->requests().Respond(StaffActor(e.assignee_id()), e.id(),
                                     e.version(), "looking"));
    e = Do(desk_->requests().Resolve(StaffActor(e.assignee_id()), e.id(),
                                     e.version(), "sent"));
    e = Do(desk_->requests().Rate(ContactActor(contact_.id()), e.id(),
                                  e.version(), score, ""));
    ASSERT_EQ(e.rating().score(), score);
  }
  v1::ComplianceQuery q = Query(center_.id());
  q.set_by_channel(true);
  auto report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 2);
  std::map<v1::Channel, v1::ComplianceRow> rows;
  for (const v1::ComplianceRow& row : report->rows()) {
    EXPECT_EQ(row.center_id(), "");
    EXPECT_EQ(row.kind(), v1::SERVICE_KIND_UNSPECIFIED);
    EXPECT_EQ(row.staff_id(), "");
    rows[row.channel()] = row;
  }
  ASSERT_EQ(rows.count(v1::CHANNEL_PHONE_HOTLINE), 1u);
  ASSERT_EQ(rows.count(v1::CHANNEL_EMAIL), 1u);
  const v1::ComplianceRow& phone = rows[v1::CHANNEL_PHONE_HOTLINE];
  EXPECT_EQ(phone.requests(), 4);
  EXPECT_EQ(phone.met(), 1);
  EXPECT_EQ(phone.breached(), 2);
  EXPECT_EQ(phone.satisfaction_count(), 2);
  ASSERT_TRUE(phone.has_satisfaction_avg());
  EXPECT_DOUBLE_EQ(phone.satisfaction_avg(), 2.5);  // (4 + 1) / 2
  const v1::ComplianceRow& email = rows[v1::CHANNEL_EMAIL];
  EXPECT_EQ(email.requests(), 2);
  EXPECT_EQ(email.met(), 2);
  EXPECT_EQ(email.breached(), 0);
  EXPECT_EQ(email.satisfaction_count(), 2);
  ASSERT_TRUE(email.has_satisfaction_avg());
  EXPECT_DOUBLE_EQ(email.satisfaction_avg(), 3.5);  // (2 + 5) / 2

  // Over both centers by center and channel: the other center's phone row
  // has its request and no rating.
  q = Query();
  q.set_by_center(true);
  q.set_by_channel(true);
  report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 3);
  for (const v1::ComplianceRow& row : report->rows()) {
    if (row.center_id() == other_center_.id()) {
      EXPECT_EQ(row.channel(), v1::CHANNEL_PHONE_HOTLINE);
      EXPECT_EQ(row.requests(), 1);
      EXPECT_EQ(row.satisfaction_count(), 0);
      EXPECT_FALSE(row.has_satisfaction_avg());
    } else {
      EXPECT_EQ(row.center_id(), center_.id());
      const v1::ComplianceRow& same = rows[row.channel()];
      EXPECT_EQ(row.requests(), same.requests()) << row.channel();
      EXPECT_EQ(row.satisfaction_count(), same.satisfaction_count());
      EXPECT_DOUBLE_EQ(row.satisfaction_avg(), same.satisfaction_avg());
    }
  }
}

TEST_P(ReportsTest, StaffSeeTheirCenterOnlyAndClientsNone) {
  auto own = desk_->reports().Compliance(StaffActor(head_.id()), Query());
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->rows_size(), 1);
  EXPECT_EQ(own->rows(0).requests(), 4);
  EXPECT_THAT(desk_->reports().Compliance(StaffActor(head_.id()),
                                          Query(other_center_.id())),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(desk_->reports().Compliance(ContactActor(contact_.id()), Query()),
              StatusIs(Code::kPermissionDenied));
  v1::ComplianceQuery bad = Query();
  *bad.mutable_to() = bad.from();
  EXPECT_THAT(desk_->reports().Compliance(admin_, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("to")));
  bad.clear_from();
  EXPECT_THAT(desk_->reports().Compliance(admin_, bad),
              StatusIs(Code::kInvalidArgument, HasSubstr("from")));
}

TEST_P(ReportsTest, CsvHasAHeaderAndOneLinePerRow) {
  v1::ComplianceQuery q = Query(center_.id());
  q.set_by_kind(true);
  auto report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok());
  std::string csv = Reports::ToCsv(*report);
  EXPECT_THAT(csv,
              StartsWith("period_start,period_end,center_id,kind,channel,"
                         "staff_id,requests,met,breached,compliance_pct,"));
  // Every line says which stretch of time it counts, in RFC 3339 UTC.
  const std::string period =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", FromProto(q.from()),
                                    absl::UTCTimeZone()),
                   ",",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", FromProto(q.to()),
                                    absl::UTCTimeZone()));
  EXPECT_THAT(csv, HasSubstr("\r\n" + period +
                             ",,SERVICE_KIND_HOTLINE_QUESTION,,,4,1,2,"
                             "33.333333333333336,1,2,300,1800,7200,39600,4,"
                             "1\r\n"));
  // Figures read back as the row's doubles, unrounded.
  EXPECT_EQ(report->rows(0).compliance_pct(), std::stod("33.333333333333336"));
  // One table: a header and a line per row, nothing else.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + report->rows_size());
  EXPECT_THAT(csv, Not(HasSubstr("backlog")));
  // The backlog is a table of its own.
  EXPECT_EQ(Reports::BacklogToCsv(*report),
            "period_start,period_end,backlog_at,center_id,kind,channel,"
            "staff_id,age_bucket,count\r\n" +
                period + "," +
                absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                 FromProto(report->backlog_at()),
                                 absl::UTCTimeZone()) +
                ",,SERVICE_KIND_HOTLINE_QUESTION,,,1-3d,1\r\n");
}

// Business time is measured to the microsecond, and so are the
// percentiles: a first response 0.4 s late is breached and reads 900.4 s,
// not the 900 s target.
TEST_P(ReportsTest, PercentilesKeepFractionsOfASecond) {
  At(2025, 3, 5, 10, 0);  // Wednesday
  v1::ServiceRequest r = OpenHotline();
  clock_->Set(Msk(2025, 3, 5, 10, 15) + absl::Milliseconds(400));
  auto answered = desk_->requests().Respond(StaffActor(r.assignee_id()), r.id(),
                                            r.version(), "here");
  ASSERT_TRUE(answered.ok()) << answered.status();
  v1::ComplianceQuery q = Query(center_.id());
  *q.mutable_from() = ToProto(Msk(2025, 3, 5, 0, 0));
  *q.mutable_to() = ToProto(Msk(2025, 3, 6, 0, 0));
  auto report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  EXPECT_EQ(report->rows(0).first_response_breached(), 1);
  EXPECT_EQ(FromProto(report->rows(0).first_response_p50()),
            absl::Seconds(900) + absl::Milliseconds(400));
  EXPECT_THAT(Reports::ToCsv(*report), HasSubstr(",0,1,900.4,900.4,,,"));
}

// Durations print as seconds with a fraction only when there is one, to
// the microsecond, also for reports not made by the desk.
TEST(ReportsCsv, DurationsAreSecondsWithAFractionWhenNotWhole) {
  v1::ComplianceReport report;
  v1::ComplianceRow* row = report.add_rows();
  *row->mutable_first_response_p50() = ToProto(absl::Milliseconds(-1500));
  *row->mutable_first_response_p90() =
      ToProto(absl::Seconds(5) + absl::Nanoseconds(500));
  *row->mutable_resolution_p50() = ToProto(absl::Microseconds(250));
  *row->mutable_resolution_p90() = ToProto(absl::Seconds(7200));
  EXPECT_THAT(Reports::ToCsv(report), HasSubstr(",-1.5,5,0.00025,7200,"));
}

v1::ComplianceQuery Period(absl::Time from, absl::Time to,
                           const std::string& center) {
  v1::ComplianceQuery q;
  *q.mutable_from() = ToProto(from);
  *q.mutable_to() = ToProto(to);
  q.set_center_id(center);
  return q;
}

// A month-to-date report: a clock due later in the month has not breached
// yet, and the backlog is taken now, not at the end of the month.
TEST_P(ReportsTest, WhatHasNotHappenedYetDoesNotCount) {
  v1::ServiceRequest fresh = OpenHotline();  // Tuesday 13:00, due 17:00
  v1::ComplianceQuery month =
      Period(Msk(2025, 3, 1, 0, 0), Msk(2025, 4, 1, 0, 0), center_.id());
  auto report = desk_->reports().Compliance(admin_, month);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  EXPECT_EQ(report->rows(0).requests(), 5);
  EXPECT_EQ(report->rows(0).breached(), 2);  // r2 and r3, not `fresh`
  EXPECT_EQ(report->rows(0).first_response_breached(), 2);  // nor its 13:15
  EXPECT_EQ(FromProto(report->backlog_at()), Msk(2025, 3, 4, 13, 0));
  int64_t open = 0;
  for (const auto& b : report->backlog()) open += b.count();
  EXPECT_EQ(open, 2);  // r3 and `fresh`
  for (const auto& b : report->backlog())
    if (b.age_bucket() == "<1d") EXPECT_EQ(b.count(), 1);  // `fresh`, 0 h

  At(2025, 3, 4, 17, 1);  // `fresh` is overdue now
  report = desk_->reports().Compliance(admin_, month);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows(0).breached(), 3);
  EXPECT_EQ(report->rows(0).first_response_breached(), 3);
  EXPECT_EQ(FromProto(report->backlog_at()), Msk(2025, 3, 4, 17, 1));

  // Seen from Monday 10:20 (a clock set back, a node lagging), what was
  // recorded later has not happened yet: only the four registrations and
  // r1's first response.
  At(2025, 3, 3, 10, 20);
  report = desk_->reports().Compliance(admin_, month);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  EXPECT_EQ(report->rows(0).requests(), 4);
  EXPECT_EQ(report->rows(0).first_response_met(), 1);
  EXPECT_EQ(report->rows(0).first_response_breached(), 2);  // r2, r3: 10:15
  EXPECT_EQ(report->rows(0).met(), 0);
  EXPECT_FALSE(report->rows(0).has_resolution_p50());
  EXPECT_EQ(report->rows(0).satisfaction_count(), 0);
  // What happens at `now` itself has happened: r1 resolved at 12:00.
  At(2025, 3, 3, 12, 0);
  report = desk_->reports().Compliance(admin_, month);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows(0).met(), 1);
  EXPECT_EQ(report->rows(0).satisfaction_count(), 0);  // rated at 12:30
}

// A closed period's figures do not move when its overdue clocks stop later,
// nor when a clock that breached before pausing resumes after the period.
TEST_P(ReportsTest, AClosedPeriodKeepsItsFigures) {
  // Wednesday: r5 breaches at 14:00, then waits on the client from 15:00
  // until Friday.
  At(2025, 3, 5, 10, 0);
  v1::ServiceRequest r5 = OpenHotline();
  At(2025, 3, 5, 10, 5);
  r5 = Do(desk_->requests().Respond(StaffActor(r5.assignee_id()), r5.id(),
                                    r5.version(), "looking"));
  At(2025, 3, 5, 15, 0);
  r5 = Do(desk_->requests().WaitOnClient(StaffActor(r5.assignee_id()), r5.id(),
                                         r5.version(), "which edition?"));
  At(2025, 3, 6, 9, 0);  // Thursday
  const v1::ComplianceQuery monday =
      Period(Msk(2025, 3, 3, 0, 0), Msk(2025, 3, 4, 0, 0), center_.id());
  const v1::ComplianceQuery wednesday =
      Period(Msk(2025, 3, 5, 0, 0), Msk(2025, 3, 6, 0, 0), center_.id());
  auto mon = desk_->reports().Compliance(admin_, monday);
  auto wed = desk_->reports().Compliance(admin_, wednesday);
  ASSERT_TRUE(mon.ok() && wed.ok());
  EXPECT_EQ(mon->rows(0).met(), 1);
  EXPECT_EQ(mon->rows(0).breached(), 2);  // r2 (stopped late) and r3
  // Wednesday: r5 breached at 14:00 (r3 is still open, but it breached on
  // Monday).
  EXPECT_EQ(wed->rows(0).met(), 0);
  EXPECT_EQ(wed->rows(0).breached(), 1);
  EXPECT_EQ(wed->rows(0).first_response_met(), 1);

  // Now r3 is resolved late on Thursday; r5 resumes and is resolved on
  // Friday (the pause accrued moves its due time, not its breach).
  r3_ = Do(desk_->requests().Respond(StaffActor(r3_.assignee_id()), r3_.id(),
                                     r3_.version(), "sorry"));
  r3_ = Do(desk_->requests().Resolve(StaffActor(r3_.assignee_id()), r3_.id(),
                                     r3_.version(), "late"));
  At(2025, 3, 7, 10, 0);
  // A new assignee refreshes the clocks' subject, not their breach.
  const std::string other =
      r5.assignee_id() == spec1_.id() ? spec2_.id() : spec1_.id();
  r5 = Do(desk_->requests().Assign(admin_, r5.id(), r5.version(), other,
                                   "holiday"));
  r5 = Do(desk_->requests().Resume(ContactActor(contact_.id()), r5.id(),
                                   r5.version(), "the 2025 one"));
  r5 = Do(desk_->requests().Resolve(StaffActor(r5.assignee_id()), r5.id(),
                                    r5.version(), "sent"));
  EXPECT_FALSE(Clock(r5.id(), v1::CLOCK_KIND_RESOLUTION).met());
  EXPECT_EQ(FromProto(Clock(r5.id(), v1::CLOCK_KIND_RESOLUTION).breached_at()),
            Msk(2025, 3, 5, 14, 0));
  auto mon2 = desk_->reports().Compliance(admin_, monday);
  auto wed2 = desk_->reports().Compliance(admin_, wednesday);
  ASSERT_TRUE(mon2.ok() && wed2.ok());
  EXPECT_EQ(mon2->SerializeAsString(), mon->SerializeAsString());
  EXPECT_EQ(wed2->SerializeAsString(), wed->SerializeAsString());
  // Thursday and Friday count the late stops in their percentiles only.
  auto thu_fri = desk_->reports().Compliance(
      admin_,
      Period(Msk(2025, 3, 6, 0, 0), Msk(2025, 3, 8, 0, 0), center_.id()));
  ASSERT_TRUE(thu_fri.ok());
  EXPECT_EQ(thu_fri->rows(0).met(), 0);
  EXPECT_EQ(thu_fri->rows(0).breached(), 0);
  EXPECT_TRUE(thu_fri->rows(0).has_resolution_p50());
  EXPECT_FALSE(thu_fri->rows(0).has_compliance_pct());
}

// Cancelling a request takes every clock of it out of the figures, also a
// first-response clock that had already stopped.
TEST_P(ReportsTest, CancelledRequestsCountNowhere) {
  auto before = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(before.ok());
  v1::ServiceRequest r = OpenHotline();
  At(2025, 3, 4, 13, 5);
  r = Do(desk_->requests().Respond(StaffActor(r.assignee_id()), r.id(),
                                   r.version(), "on it"));
  const v1::TargetClock answered = Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  ASSERT_TRUE(answered.met());
  At(2025, 3, 4, 13, 10);
  r = Do(desk_->requests().Cancel(ContactActor(contact_.id()), r.id(),
                                  r.version(), "found it"));
  const v1::TargetClock cancelled =
      Clock(r.id(), v1::CLOCK_KIND_FIRST_RESPONSE);
  EXPECT_TRUE(cancelled.cancelled());
  // What was measured stays on the clock.
  EXPECT_EQ(FromProto(cancelled.stopped_at()), Msk(2025, 3, 4, 13, 5));
  EXPECT_TRUE(cancelled.met());
  for (const v1::TargetClock& c : Clocks(r.id())) EXPECT_TRUE(c.cancelled());
  auto after = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(after.ok());
  const v1::ComplianceRow &b = before->rows(0), &a = after->rows(0);
  EXPECT_EQ(a.requests(), b.requests() + 1);  // registered, cancelled or not
  EXPECT_EQ(a.first_response_met(), b.first_response_met());
  EXPECT_EQ(a.first_response_breached(), b.first_response_breached());
  EXPECT_EQ(a.first_response_p50().SerializeAsString(),
            b.first_response_p50().SerializeAsString());
  EXPECT_EQ(a.first_response_p90().SerializeAsString(),
            b.first_response_p90().SerializeAsString());
  EXPECT_EQ(a.met(), b.met());
  EXPECT_EQ(a.breached(), b.breached());
}

// The backlog of a past period is what was open at its end, aged then; a
// reopened request is open again from its reopening.
TEST_P(ReportsTest, BacklogIsWhatWasOpenAtTheEnd) {
  const v1::ComplianceQuery monday =
      Period(Msk(2025, 3, 3, 0, 0), Msk(2025, 3, 4, 0, 0), center_.id());
  auto mon = desk_->reports().Compliance(admin_, monday);
  ASSERT_TRUE(mon.ok()) << mon.status();
  EXPECT_EQ(FromProto(mon->backlog_at()), Msk(2025, 3, 4, 0, 0));
  // r2 (resolved Tuesday) and r3 were open at midnight, 14 hours old; r1
  // was resolved and r4 cancelled.
  ASSERT_EQ(mon->backlog_size(), 1);
  EXPECT_EQ(mon->backlog(0).age_bucket(), "<1d");
  EXPECT_EQ(mon->backlog(0).count(), 2);

  r1_ = Do(desk_->requests().Reopen(ContactActor(contact_.id()), r1_.id(),
                                    Get(r1_.id()).version(), "not quite"));
  auto mon2 = desk_->reports().Compliance(admin_, monday);
  ASSERT_TRUE(mon2.ok());
  EXPECT_EQ(mon2->SerializeAsString(), mon->SerializeAsString());
  At(2025, 3, 6, 13, 0);  // Thursday: r3 is 75 h old, r1 reopened 48 h ago
  auto now = desk_->reports().Compliance(
      admin_,
      Period(Msk(2025, 3, 6, 0, 0), Msk(2025, 3, 7, 0, 0), center_.id()));
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(FromProto(now->backlog_at()), Msk(2025, 3, 6, 13, 0));
  ASSERT_EQ(now->backlog_size(), 2);
  EXPECT_EQ(now->backlog(0).age_bucket(), "1-3d");  // r1, since reopening
  EXPECT_EQ(now->backlog(0).count(), 1);
  EXPECT_EQ(now->backlog(1).age_bucket(), "3-7d");  // r3
  EXPECT_EQ(now->backlog(1).count(), 1);
  // A reopened request gets a second resolution clock: Monday's r1 met, and
  // the new clock counts where it stops or breaches.
  std::vector<v1::TargetClock> resolution;
  for (const auto& c : Clocks(r1_.id()))
    if (c.kind() == v1::CLOCK_KIND_RESOLUTION) resolution.push_back(c);
  EXPECT_EQ(resolution.size(), 2u);
}

// Rows per day are the reports of each day on their own.
TEST_P(ReportsTest, DayPeriodsAreTheDaysReportsSideBySide) {
  v1::ComplianceQuery q = Query(center_.id());
  q.set_by_period(v1::REPORT_PERIOD_DAY);
  q.set_time_zone("Europe/Moscow");
  auto days = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_EQ(days->rows_size(), 2);
  const absl::Time midnights[] = {Msk(2025, 3, 3, 0, 0), Msk(2025, 3, 4, 0, 0),
                                  Msk(2025, 3, 5, 0, 0)};
  for (int i = 0; i < 2; ++i) {
    v1::ComplianceRow row = days->rows(i);
    EXPECT_EQ(FromProto(row.period_start()), midnights[i]);
    EXPECT_EQ(FromProto(row.period_end()), midnights[i + 1]);
    auto alone = desk_->reports().Compliance(
        admin_, Period(midnights[i], midnights[i + 1], center_.id()));
    ASSERT_TRUE(alone.ok());
    ASSERT_EQ(alone->rows_size(), 1);
    EXPECT_EQ(row.SerializeAsString(), alone->rows(0).SerializeAsString())
        << "day " << i;
    // So is each day's backlog, taken at its end (or now, for Tuesday).
    std::vector<std::string> mine, theirs;
    for (const v1::BacklogRow& b : days->backlog())
      if (FromProto(b.period_start()) == midnights[i])
        mine.push_back(b.SerializeAsString());
    for (const v1::BacklogRow& b : alone->backlog())
      theirs.push_back(b.SerializeAsString());
    EXPECT_EQ(mine, theirs) << "day " << i;
    EXPECT_FALSE(mine.empty()) << "day " << i;
  }
  // Monday's end: r2 and r3 open, 14 hours old; Tuesday 13:00 (now): r3,
  // 27 hours old.
  ASSERT_EQ(days->backlog_size(), 2);
  EXPECT_EQ(FromProto(days->backlog(0).at()), midnights[1]);
  EXPECT_EQ(days->backlog(0).age_bucket(), "<1d");
  EXPECT_EQ(days->backlog(0).count(), 2);
  EXPECT_EQ(FromProto(days->backlog(1).at()), Msk(2025, 3, 4, 13, 0));
  EXPECT_EQ(days->backlog(1).age_bucket(), "1-3d");
  EXPECT_EQ(days->backlog(1).count(), 1);
  EXPECT_EQ(FromProto(days->backlog_at()), Msk(2025, 3, 4, 13, 0));
  // Days that have not begun have no backlog yet.
  v1::ComplianceQuery week = q;
  *week.mutable_to() = ToProto(Msk(2025, 3, 8, 0, 0));
  auto to_date = desk_->reports().Compliance(admin_, week);
  ASSERT_TRUE(to_date.ok());
  EXPECT_EQ(to_date->backlog_size(), 2);
  for (const v1::BacklogRow& b : to_date->backlog())
    EXPECT_LE(FromProto(b.period_start()), Msk(2025, 3, 4, 0, 0));
  // Neither has the first one when the whole query lies ahead of now, nor
  // one starting exactly now, with periods or without (the query is then
  // one period, not begun either: a backlog at now would predate it).
  for (absl::Time start : {Msk(2025, 3, 5, 0, 0), Msk(2025, 3, 4, 13, 0)}) {
    v1::ComplianceQuery ahead = week;
    *ahead.mutable_from() = ToProto(start);
    auto future = desk_->reports().Compliance(admin_, ahead);
    ASSERT_TRUE(future.ok()) << future.status();
    EXPECT_EQ(future->backlog_size(), 0) << start;
    ahead.clear_by_period();
    auto whole = desk_->reports().Compliance(admin_, ahead);
    ASSERT_TRUE(whole.ok()) << whole.status();
    EXPECT_EQ(whole->backlog_size(), 0) << start;
  }
  // Begun a microsecond before now, it has now's backlog.
  v1::ComplianceQuery begun = week;
  begun.clear_by_period();
  *begun.mutable_from() =
      ToProto(Msk(2025, 3, 4, 13, 0) - absl::Microseconds(1));
  auto now_backlog = desk_->reports().Compliance(admin_, begun);
  ASSERT_TRUE(now_backlog.ok()) << now_backlog.status();
  ASSERT_EQ(now_backlog->backlog_size(), 1);
  EXPECT_EQ(FromProto(now_backlog->backlog(0).at()), Msk(2025, 3, 4, 13, 0));
  EXPECT_EQ(days->rows(0).met(), 1);
  EXPECT_EQ(days->rows(0).breached(), 2);
  EXPECT_EQ(days->rows(1).requests(), 0);
  EXPECT_EQ(FromProto(days->rows(1).resolution_p50()), absl::Hours(11));

  // UTC days start at 03:00 in Moscow; the first period is clipped to from.
  q.set_time_zone("");
  auto utc = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(utc.ok());
  ASSERT_GE(utc->rows_size(), 1);
  EXPECT_EQ(FromProto(utc->rows(0).period_start()), Msk(2025, 3, 3, 3, 0));
  // Monday and Tuesday are in one ISO week and one month: one row each,
  // spanning [from, to). (In UTC from is Sunday 21:00: another week.)
  q.set_time_zone("Europe/Moscow");
  for (auto unit : {v1::REPORT_PERIOD_WEEK, v1::REPORT_PERIOD_MONTH}) {
    q.set_by_period(unit);
    auto one = desk_->reports().Compliance(admin_, q);
    ASSERT_TRUE(one.ok());
    ASSERT_EQ(one->rows_size(), 1);
    EXPECT_EQ(one->rows(0).period_start().seconds(), q.from().seconds());
    EXPECT_EQ(one->rows(0).period_end().seconds(), q.to().seconds());
    EXPECT_EQ(one->rows(0).requests(), 4);
  }
  // Without by_period every row spans the whole query.
  auto whole = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->rows(0).period_start().seconds(), Query().from().seconds());
  EXPECT_EQ(whole->rows(0).period_end().seconds(), Query().to().seconds());
}

TEST_P(ReportsTest, WeeksStartOnMondayAndDaysFollowDaylightSaving) {
  // Sunday 30 March 2025: Berlin springs forward, a 23-hour day.
  clock_->Set(Msk(2025, 3, 30, 14, 0));
  OpenHotline();
  clock_->Set(Msk(2025, 3, 31, 14, 0));  // Monday: a new ISO week
  OpenHotline();
  v1::ComplianceQuery q =
      Period(Msk(2025, 3, 29, 0, 0), Msk(2025, 4, 2, 0, 0), center_.id());
  q.set_time_zone("Europe/Berlin");
  q.set_by_period(v1::REPORT_PERIOD_DAY);
  auto days = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_EQ(days->rows_size(), 2);
  const absl::Time sunday = absl::FromCivil(
      absl::CivilSecond(2025, 3, 29, 23, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FromProto(days->rows(0).period_start()), sunday);
  EXPECT_EQ(FromProto(days->rows(0).period_end()), sunday + absl::Hours(23));
  EXPECT_EQ(days->rows(0).requests(), 1);
  q.set_by_period(v1::REPORT_PERIOD_WEEK);
  auto weeks = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(weeks.ok());
  ASSERT_EQ(weeks->rows_size(), 2);
  EXPECT_EQ(FromProto(weeks->rows(0).period_end()), sunday + absl::Hours(23));
  EXPECT_EQ(FromProto(weeks->rows(1).period_start()), sunday + absl::Hours(23));
  EXPECT_EQ(weeks->rows(1).requests(), 1);
}

TEST_P(ReportsTest, BadPeriodsAreRefused) {
  v1::ComplianceQuery q = Query(center_.id());
  q.set_by_period(v1::REPORT_PERIOD_DAY);
  q.set_time_zone("Mars/Olympus_Mons");
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("time_zone")));
  q.set_by_period(v1::REPORT_PERIOD_UNSPECIFIED);  // a typo is refused anyway
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("time_zone")));
  q.set_time_zone("");
  q.set_by_period(static_cast<v1::ReportPeriod>(9));
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("by_period")));
  q.set_by_period(v1::REPORT_PERIOD_DAY);
  *q.mutable_from() = ToProto(Msk(1990, 1, 1, 0, 0));  // > 10,000 days
  EXPECT_THAT(desk_->reports().Compliance(admin_, q),
              StatusIs(Code::kInvalidArgument, HasSubstr("by_period")));
}

TEST_P(ReportsTest, BacklogGroupsByChannelAndStaff) {
  v1::ComplianceQuery monday =
      Period(Msk(2025, 3, 3, 0, 0), Msk(2025, 3, 4, 0, 0), center_.id());
  monday.set_by_staff(true);
  monday.set_by_channel(true);
  auto mon = desk_->reports().Compliance(admin_, monday);
  ASSERT_TRUE(mon.ok()) << mon.status();
  // r2 and r3 were open at midnight.
  std::map<std::string, int64_t> by_staff;
  for (const v1::BacklogRow& b : mon->backlog()) {
    EXPECT_EQ(b.channel(), v1::CHANNEL_PHONE_HOTLINE);
    by_staff[b.staff_id()] += b.count();
  }
  std::map<std::string, int64_t> expected;
  ++expected[r2_.assignee_id()];
  ++expected[r3_.assignee_id()];
  EXPECT_EQ(by_staff, expected);
  // A later reassignment of r3, still open, leaves Monday's backlog as it
  // was: it names whoever had each request at midnight.
  v1::ServiceRequest r3 = Get(r3_.id());
  const std::string to =
      r3.assignee_id() == spec1_.id() ? spec2_.id() : spec1_.id();
  ASSERT_TRUE(
      desk_->requests()
          .Assign(StaffActor(head_.id()), r3.id(), r3.version(), to, "cover")
          .ok());
  auto now = desk_->reports().Compliance(admin_, [&] {
    v1::ComplianceQuery q = Query(center_.id());
    q.set_by_staff(true);
    return q;
  }());
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->backlog_size(), 1);  // r3 alone, open now
  EXPECT_EQ(now->backlog(0).staff_id(), to);
  // (Request counts and open clocks follow the current assignee: only the
  // backlog is compared.)
  auto again = desk_->reports().Compliance(admin_, monday);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->backlog_size(), mon->backlog_size());
  for (int i = 0; i < mon->backlog_size(); ++i)
    EXPECT_EQ(again->backlog(i).SerializeAsString(),
              mon->backlog(i).SerializeAsString());
  // By day, Monday's end names the old assignee and now the new one.
  v1::ComplianceQuery days = Query(center_.id());
  days.set_by_staff(true);
  days.set_by_period(v1::REPORT_PERIOD_DAY);
  days.set_time_zone("Europe/Moscow");
  auto by_day = desk_->reports().Compliance(admin_, days);
  ASSERT_TRUE(by_day.ok());
  std::map<std::string, int64_t> at_midnight, at_now;
  for (const v1::BacklogRow& b : by_day->backlog())
    (FromProto(b.at()) == Msk(2025, 3, 4, 0, 0) ? at_midnight
                                                : at_now)[b.staff_id()] +=
        b.count();
  EXPECT_EQ(at_midnight, expected);
  EXPECT_EQ(at_now, (std::map<std::string, int64_t>{{to, 1}}));
}

// No sample is no figure: percentiles, compliance and satisfaction are unset
// (empty CSV fields), not zeros.
TEST_P(ReportsTest, EmptyFiguresAreUnset) {
  OpenHotline();  // Tuesday 13:00
  v1::ComplianceQuery q =
      Period(Msk(2025, 3, 4, 12, 30), Msk(2025, 3, 5, 0, 0), center_.id());
  auto report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  const v1::ComplianceRow& row = report->rows(0);
  EXPECT_EQ(row.requests(), 1);
  EXPECT_FALSE(row.has_compliance_pct());
  EXPECT_FALSE(row.has_first_response_p50());
  EXPECT_FALSE(row.has_first_response_p90());
  EXPECT_FALSE(row.has_resolution_p50());
  EXPECT_FALSE(row.has_resolution_p90());
  EXPECT_FALSE(row.has_satisfaction_avg());
  EXPECT_EQ(row.satisfaction_count(), 0);
  EXPECT_THAT(Reports::ToCsv(*report),
              HasSubstr("Z,,,,,1,0,0,,0,0,,,,,,0\r\n"));
  // A real zero stays a zero: a row where everything breached.
  q = Period(Msk(2025, 3, 4, 0, 0), Msk(2025, 3, 5, 0, 0), center_.id());
  At(2025, 3, 4, 17, 30);
  report = desk_->reports().Compliance(admin_, q);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->rows(0).has_compliance_pct());
  EXPECT_EQ(report->rows(0).compliance_pct(), 0.0);
}

TEST_P(ReportsTest, UnknownOrMalformedCenterIsRefused) {
  EXPECT_THAT(desk_->reports().Compliance(admin_, Query("nope")),
              StatusIs(Code::kNotFound, HasSubstr("center_id")));
  EXPECT_THAT(
      desk_->reports().Compliance(StaffActor(head_.id()), Query("nope")),
      StatusIs(Code::kNotFound, HasSubstr("center_id")));
  EXPECT_THAT(desk_->reports().Compliance(
                  admin_, Query(std::string(center_.id()) + '\0' + "x")),
              StatusIs(Code::kInvalidArgument, HasSubstr("center_id")));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsTest,
                         ::testing::Values("memory", "sqlite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace servicedesk
