// Service requests at scale.
//
// "Lifecycle/<backend>": the full path of one request — Open (registration,
// SLA clocks, automatic assignment to the least-loaded qualified specialist),
// Respond (first response), Resolve — each step its own transaction, through
// the public API. Reported as lifecycles per second.
//
// "ComplianceReport/sqlite/1000000": one compliance report (grouped by center
// and kind) over a period holding 1,000,000 requests with their first-response
// and resolution clocks. The store is filled once (cached on disk between
// runs) with records and index entries built by the same functions the
// services use (RequestIndexes, ClockIndexes).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/time_util.h"
#include "lib/maintenance/index_format.h"
#include "lib/requests/request_indexes.h"
#include "lib/sla/clock_engine.h"
#include "servicedesk/servicedesk.h"

namespace servicedesk {
namespace {

using internal::ToProto;

absl::Time Monday() {
  return absl::FromCivil(absl::CivilSecond(2025, 3, 3, 6, 0, 0),
                         absl::UTCTimeZone());
}

struct Network {
  std::unique_ptr<ManualClock> clock;
  std::unique_ptr<Desk> desk;
  std::string org_id;
  std::vector<std::string> specialists;
};

// One center on a 24/7 calendar with `n` qualified hotline specialists and a
// client organisation.
Network MakeNetwork(const std::string& uri, int n) {
  Network w;
  w.clock = std::make_unique<ManualClock>(Monday());
  DeskOptions options;
  options.clock = w.clock.get();
  w.desk = *Desk::Open(uri, options);
  Actor admin = AdminActor("bench");
  v1::BusinessCalendar cal;
  cal.set_id("always");
  cal.set_name("24/7");
  cal.set_time_zone("UTC");
  cal.set_always_open(true);
  (void)w.desk->calendars().Create(admin, cal);
  v1::ServiceCenter c;
  c.set_code("MSK-01");
  c.set_name("Moscow");
  c.set_region("Moscow");
  c.set_time_zone("Europe/Moscow");
  c.set_calendar_id("always");
  std::string center = w.desk->centers().Create(admin, c)->id();
  for (int i = 0; i < n; ++i) {
    v1::StaffMember m;
    m.set_center_id(center);
    m.set_full_name(absl::StrCat("Specialist ", i));
    m.set_email(absl::StrCat("s", i, "@center.example.ru"));
    m.add_roles(v1::STAFF_ROLE_HOTLINE_SPECIALIST);
    m.add_roles(v1::STAFF_ROLE_PERSONAL_MANAGER);
    m.add_qualifications()->set_code("hotline");
    w.specialists.push_back(w.desk->staff().Create(admin, m)->id());
  }
  v1::Organization o;
  o.set_name("Client");
  o.set_tax_id("7707083893");
  o.set_tier(v1::CLIENT_TIER_STANDARD);
  o.set_center_id(center);
  w.org_id = w.desk->organizations().Create(admin, o, w.specialists[0])->id();
  return w;
}

void BM_Lifecycle(benchmark::State& state, const std::string& backend) {
  std::filesystem::path path;
  std::string uri = "memory:";
  if (backend == "sqlite") {
    path = std::filesystem::temp_directory_path() / "sd_lifecycle_bench.db";
    for (const char* sfx : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + sfx);
    uri = "sqlite:" + path.string();
  }
  Network w = MakeNetwork(uri, 10);
  Actor admin = AdminActor("bench");
  v1::ServiceRequest draft;
  draft.set_organization_id(w.org_id);
  draft.set_kind(v1::SERVICE_KIND_HOTLINE_QUESTION);
  draft.set_channel(v1::CHANNEL_PHONE_HOTLINE);
  draft.set_priority(v1::PRIORITY_NORMAL);
  draft.set_subject("Where is the current Tax Code?");
  for (auto _ : state) {
    auto opened = w.desk->requests().Open(admin, draft);
    if (!opened.ok()) {
      state.SkipWithError(std::string(opened.status().message()).c_str());
      break;
    }
    w.clock->Advance(absl::Seconds(30));
    Actor who = StaffActor(opened->assignee_id());
    auto responded = w.desk->requests().Respond(who, opened->id(),
                                                opened->version(), "On it");
    auto resolved = responded.ok() ? w.desk->requests().Resolve(
                                         who, responded->id(),
                                         responded->version(), "Answered")
                                   : responded;
    if (!resolved.ok()) {
      state.SkipWithError(std::string(resolved.status().message()).c_str());
      break;
    }
  }
  state.counters["lifecycles_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  w.desk.reset();
  if (!path.empty())
    for (const char* sfx : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + sfx);
}
// 100,000 lifecycles by default; SD_LIFECYCLES overrides (quick runs).
int Lifecycles() {
  const char* env = std::getenv("SD_LIFECYCLES");
  return env != nullptr ? std::max(1, std::atoi(env)) : 100'000;
}
// Wall-clock rates: the targets are lifecycles per second, and on SQLite a
// commit's system calls and the background checkpointer's work are part of
// what a caller waits for.
BENCHMARK_CAPTURE(BM_Lifecycle, memory, std::string("memory"))
    ->Iterations(Lifecycles())
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Lifecycle, sqlite, std::string("sqlite"))
    ->Iterations(Lifecycles())
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Fills `store` with `n` resolved-or-open requests and their clocks, spread
// over 30 days, 4 centers, 6 kinds, 3 channels, 40 specialists.
void Fill(Store& store, int n) {
  std::mt19937_64 rng(42);
  const auto cal = BusinessCalendar::AlwaysOpen();
  const v1::ServiceKind kinds[] = {v1::SERVICE_KIND_HOTLINE_QUESTION,
                                   v1::SERVICE_KIND_SEARCH_CONSULTATION,
                                   v1::SERVICE_KIND_DOCUMENT_SELECTION,
                                   v1::SERVICE_KIND_DOCUMENT_ORDER_CURRENT,
                                   v1::SERVICE_KIND_TECH_SETUP,
                                   v1::SERVICE_KIND_MANAGER_CONTACT};
  const v1::Channel channels[] = {v1::CHANNEL_PHONE_HOTLINE, v1::CHANNEL_EMAIL,
                                  v1::CHANNEL_ONLINE_SELF_SERVICE};
  constexpr int kBatch = 50'000;
  for (int base = 0; base < n; base += kBatch) {
    auto tx = *store.Begin(TxMode::kReadWrite);
    for (int i = base; i < std::min(n, base + kBatch); ++i) {
      v1::ServiceRequest r;
      r.set_id(absl::StrCat("req-", i + 1));
      r.set_center_id(absl::StrCat("center-", rng() % 4 + 1));
      r.set_organization_id(absl::StrCat("org-", rng() % 5000 + 1));
      r.set_kind(kinds[rng() % 6]);
      r.set_channel(channels[rng() % 3]);
      r.set_assignee_id(absl::StrCat("staff-", rng() % 40 + 1));
      absl::Time reg =
          Monday() + absl::Seconds(static_cast<int64_t>(rng() % (30 * 86400)));
      *r.mutable_registered_at() = ToProto(reg);
      const bool open = rng() % 10 == 0;
      r.set_state(open ? v1::REQUEST_STATE_IN_PROGRESS
                       : v1::REQUEST_STATE_RESOLVED);
      // The end of its open stretch (the backlog's fact, rf_span).
      if (!open) *r.mutable_resolved_at() = ToProto(reg + absl::Hours(4));
      if (!open && rng() % 3 == 0) {
        r.mutable_rating()->set_score(static_cast<int>(rng() % 5 + 1));
        *r.mutable_rating()->mutable_rated_at() = ToProto(reg + absl::Hours(5));
      }
      (void)tx->Put(internal::tables::kRequest, r.id(), 0,
                    r.SerializeAsString(), internal::RequestIndexes(r));
      for (v1::ClockKind kind :
           {v1::CLOCK_KIND_FIRST_RESPONSE, v1::CLOCK_KIND_RESOLUTION}) {
        v1::TargetClock c;
        c.set_id(absl::StrCat("clock-", r.id(), "-", kind));
        c.set_subject_id(r.id());
        c.set_kind(kind);
        c.mutable_subject()->set_kind(r.kind());
        c.mutable_subject()->set_channel(r.channel());
        c.mutable_subject()->set_center_id(r.center_id());
        c.mutable_subject()->set_assignee_id(r.assignee_id());
        const absl::Duration target = kind == v1::CLOCK_KIND_FIRST_RESPONSE
                                          ? absl::Minutes(15)
                                          : absl::Hours(4);
        *c.mutable_target()->mutable_duration() = ToProto(target);
        *c.mutable_started_at() = ToProto(reg);
        const bool stopped = !open || kind == v1::CLOCK_KIND_FIRST_RESPONSE;
        if (stopped) {
          absl::Duration run = absl::Seconds(static_cast<int64_t>(
              rng() % (absl::ToInt64Seconds(target) * 5 / 4)));
          c.set_state(v1::CLOCK_STATE_STOPPED);
          *c.mutable_stopped_at() = ToProto(reg + run);
          *c.mutable_business_elapsed() = ToProto(run);
          c.set_met(run <= target);
        } else {
          c.set_state(v1::CLOCK_STATE_RUNNING);
        }
        (void)tx->Put(internal::tables::kSlaClock, c.id(), 0,
                      c.SerializeAsString(), internal::ClockIndexes(c, cal));
      }
    }
    if (!tx->Commit().ok()) std::abort();
  }
}

void BM_ComplianceReport(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto path = std::filesystem::temp_directory_path() /
              absl::StrCat("sd_report_bench_", n, ".db");
  // A file filled by a release with another index format is refilled, not
  // upgraded on open (that would time the re-index).
  const std::string marker =
      absl::StrCat(path.string(), ".complete-format", internal::kIndexFormat);
  if (!std::filesystem::exists(marker)) {
    for (const char* sfx : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + sfx);
    auto store = *OpenSqliteStore(path.string());
    Fill(*store, n);
    {
      // Written in this release's index format: no re-index on open.
      auto tx = *store->Begin(TxMode::kReadWrite);
      (void)tx->Put("meta", "index_format", 0,
                    absl::StrCat(internal::kIndexFormat), {});
      if (!tx->Commit().ok()) std::abort();
    }
    std::ofstream(marker) << n;
  }
  auto desk = *Desk::Open("sqlite:" + path.string());
  v1::ComplianceQuery q;
  *q.mutable_from() = ToProto(Monday());
  *q.mutable_to() = ToProto(Monday() + absl::Hours(24 * 31));
  q.set_by_center(true);
  q.set_by_kind(true);
  int64_t requests = 0;
  for (auto _ : state) {
    auto report = desk->reports().Compliance(AdminActor("bench"), q);
    if (!report.ok()) {
      state.SkipWithError(std::string(report.status().message()).c_str());
      break;
    }
    requests = 0;
    for (const auto& row : report->rows()) requests += row.requests();
  }
  state.counters["requests_in_report"] = static_cast<double>(requests);
}
BENCHMARK(BM_ComplianceReport)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace servicedesk

BENCHMARK_MAIN();
