// Compliance reports through the public API, on every backend: counts,
// compliance, nearest-rank percentiles, satisfaction, backlog, filters,
// grouping, authorization and CSV.
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
  desk_.reset();
  {
    auto store = OpenSqliteStore(path_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    for (const char* table : {"staff", "request", "sla_clock"}) {
      auto rows = (*tx)->Scan(table, ScanRange());
      ASSERT_TRUE(rows.ok()) << rows.status();
      ASSERT_FALSE(rows->empty()) << table;
      for (const StoredRecord& row : *rows)
        ASSERT_TRUE(
            (*tx)->Put(table, row.key, row.version, row.value, {}).ok());
    }
    auto meta = (*tx)->Get("meta", "index_format");
    ASSERT_TRUE(meta.ok()) << meta.status();
    ASSERT_TRUE(
        (*tx)->Put("meta", "index_format", meta->version, "1", {}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  DeskOptions options;
  options.clock = clock_.get();
  auto reopened = Desk::Open(absl::StrCat("sqlite:", path_.string()), options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  desk_ = *std::move(reopened);
  auto after = desk_->reports().Compliance(admin_, Query(center_.id()));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
  EXPECT_EQ(after->rows(0).requests(), 4);
  v1::ServiceRequest fresh = OpenHotline();
  EXPECT_FALSE(fresh.assignee_id().empty());
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
  // Monday: r1 met; r3, still open, breached at 14:00. r2 also breached on
  // Monday but is judged when it stopped (Tuesday), so it counts there.
  EXPECT_EQ(mon->rows(0).met(), 1);
  EXPECT_EQ(mon->rows(0).breached(), 1);
  EXPECT_EQ(mon->rows(0).requests(), 4);
  v1::ComplianceQuery tuesday = Query(center_.id());
  *tuesday.mutable_from() = ToProto(Msk(2025, 3, 4, 0, 0));
  auto tue = desk_->reports().Compliance(admin_, tuesday);
  ASSERT_TRUE(tue.ok());
  ASSERT_EQ(tue->rows_size(), 1);
  EXPECT_EQ(tue->rows(0).requests(), 0);
  EXPECT_EQ(tue->rows(0).breached(), 1);  // r2 stopped breached on Tuesday
  EXPECT_EQ(tue->rows(0).met(), 0);
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
  EXPECT_THAT(csv, StartsWith("center_id,kind,channel,staff_id,requests,met,"
                              "breached,compliance_pct,"));
  EXPECT_THAT(csv, HasSubstr(",SERVICE_KIND_HOTLINE_QUESTION,,,4,1,2,33.33,1,2,"
                             "300,1800,7200,39600,4.00,1\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\ncenter_id,kind,age_bucket,count\r\n,SERVICE_"
                             "KIND_HOTLINE_QUESTION,1-3d,1\r\n"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsTest,
                         ::testing::Values("memory", "sqlite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace servicedesk
