// A desk on each backend, a manual clock, and a small seeded network, shared
// by the domain tests. Parameterized by backend URI kind ("memory", "sqlite").
#ifndef SERVICEDESK_TESTS_TESTING_DESK_FIXTURE_H_
#define SERVICEDESK_TESTS_TESTING_DESK_FIXTURE_H_

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "servicedesk/servicedesk.h"
#include "testing/status_matchers.h"

namespace servicedesk::testing {

// Checksum-valid INNs (10-digit legal entities).
inline constexpr const char* kInns[] = {
    "7707083893", "7736207543", "7702070139", "7728168971", "5408131552"};

// "msk-office": Mon–Fri 09:00–18:00 in Europe/Moscow, no holidays.
inline v1::BusinessCalendar MoscowOfficeHours() {
  v1::BusinessCalendar cal;
  cal.set_id("msk-office");
  cal.set_name("Moscow office hours");
  cal.set_time_zone("Europe/Moscow");
  for (int d = v1::MONDAY; d <= v1::FRIDAY; ++d) {
    auto* w = cal.add_weekly();
    w->set_weekday(static_cast<v1::Weekday>(d));
    auto* i = w->add_intervals();
    i->set_start_seconds(9 * 3600);
    i->set_end_seconds(18 * 3600);
  }
  return cal;
}

class DeskTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    clock_ = std::make_unique<ManualClock>(absl::FromCivil(
        absl::CivilSecond(2025, 3, 3, 7, 0, 0), absl::UTCTimeZone()));
    DeskOptions options;
    options.clock = clock_.get();
    if (GetParam() == "sqlite") {
      path_ = std::filesystem::temp_directory_path() /
              absl::StrCat("sd_desk_test_", ::getpid(), "_", counter_++, ".db");
      std::filesystem::remove(path_);
      auto d = Desk::Open(absl::StrCat("sqlite:", path_.string()), options);
      ASSERT_TRUE(d.ok()) << d.status();
      desk_ = *std::move(d);
    } else {
      auto d = Desk::Open("memory:", options);
      ASSERT_TRUE(d.ok()) << d.status();
      desk_ = *std::move(d);
    }
  }
  void TearDown() override {
    desk_.reset();
    if (!path_.empty()) {
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path_.string() + suffix);
    }
  }

  v1::ServiceCenter MakeCenter(const std::string& code,
                               const std::string& zone = "Europe/Moscow") {
    v1::ServiceCenter c;
    c.set_code(code);
    c.set_name(absl::StrCat("Center ", code));
    c.set_region("Region " + code);
    c.set_time_zone(zone);
    auto r = desk_->centers().Create(admin_, c);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::ServiceCenter());
  }

  v1::StaffMember MakeStaff(const std::string& center_id,
                            const std::string& name,
                            std::initializer_list<v1::StaffRole> roles) {
    v1::StaffMember m;
    m.set_center_id(center_id);
    m.set_full_name(name);
    m.set_email(absl::StrCat("staff", ++staff_counter_, "@center.example.ru"));
    for (auto r : roles) m.add_roles(r);
    auto r = desk_->staff().Create(admin_, m);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::StaffMember());
  }

  v1::Organization MakeOrg(const std::string& center_id,
                           const std::string& manager_id,
                           const std::string& name, int inn_index) {
    v1::Organization o;
    o.set_name(name);
    o.set_tax_id(kInns[inn_index]);
    o.set_tier(v1::CLIENT_TIER_STANDARD);
    o.set_center_id(center_id);
    o.add_topics(v1::PROFILE_TOPIC_ACCOUNTING);
    auto r = desk_->organizations().Create(admin_, o, manager_id);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::Organization());
  }

  v1::Contact MakeContact(const std::string& org_id, const std::string& name) {
    v1::Contact c;
    c.set_organization_id(org_id);
    c.set_full_name(name);
    c.set_email(absl::StrCat("user", ++contact_counter_, "@client.example.ru"));
    c.set_phone("+7 (495) 123-45-67");
    auto r = desk_->contacts().Create(admin_, c);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(v1::Contact());
  }

  // Count of events in the log (as the administrator sees them).
  size_t EventCount() {
    auto e = desk_->events().List(admin_, 0, 1000);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? e->size() : 0;
  }

  // Closes the SQLite desk, lets `edit` change its file the way an older
  // release left it, records index format `format`, and reopens the desk
  // (which re-indexes what an older format needs). Records `edit` rewrites
  // through RewriteRecords lose their index entries until then.
  void ReopenAsIndexFormat(const std::string& format,
                           const std::function<void(Transaction&)>& edit) {
    ASSERT_FALSE(path_.empty()) << "needs a store that outlives the desk";
    desk_.reset();
    {
      auto store = OpenSqliteStore(path_.string());
      ASSERT_TRUE(store.ok()) << store.status();
      auto tx = (*store)->Begin(TxMode::kReadWrite);
      ASSERT_TRUE(tx.ok()) << tx.status();
      edit(**tx);
      if (::testing::Test::HasFatalFailure()) return;
      auto meta = (*tx)->Get("meta", "index_format");
      ASSERT_TRUE(meta.ok()) << meta.status();
      ASSERT_TRUE(
          (*tx)->Put("meta", "index_format", meta->version, format, {}).ok());
      ASSERT_TRUE((*tx)->Commit().ok());
    }
    DeskOptions options;
    options.clock = clock_.get();
    auto reopened =
        Desk::Open(absl::StrCat("sqlite:", path_.string()), options);
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    desk_ = *std::move(reopened);
  }

  // Rewrites, without index entries, every record of `table` that `change`
  // changes (returns true for); returns how many it rewrote.
  template <typename M>
  static int RewriteRecords(Transaction& tx, const std::string& table,
                            const std::function<bool(M&)>& change) {
    auto rows = tx.Scan(table, ScanRange());
    EXPECT_TRUE(rows.ok()) << rows.status();
    int rewritten = 0;
    for (const StoredRecord& row : rows.value_or(std::vector<StoredRecord>())) {
      M m;
      EXPECT_TRUE(m.ParseFromString(row.value)) << table << "/" << row.key;
      if (!change(m)) continue;
      EXPECT_TRUE(
          tx.Put(table, row.key, row.version, m.SerializeAsString(), {}).ok());
      ++rewritten;
    }
    return rewritten;
  }

  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<Desk> desk_;
  Actor admin_ = AdminActor("root");
  std::filesystem::path path_;
  int staff_counter_ = 0;
  int contact_counter_ = 0;
  static inline int counter_ = 0;
};

}  // namespace servicedesk::testing

#endif  // SERVICEDESK_TESTS_TESTING_DESK_FIXTURE_H_
