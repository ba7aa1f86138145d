// Tick with many open clocks of which few are due: the cost must follow the
// due clocks (index on the next threshold instant), not the open ones.
//
// Workload "Tick/<backend>/<open>": <open> open clocks whose thresholds lie in
// the future, plus 1,000 clocks (500 subjects × first response + resolution)
// already past their target. Each iteration arms 1,000 fresh due clocks
// (untimed) and times one Tick that raises their warnings, breaches and
// first escalations.
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "servicedesk/servicedesk.h"

namespace servicedesk {
namespace {

struct World {
  std::unique_ptr<ManualClock> clock;
  std::unique_ptr<Desk> desk;
  std::string center_id;
  int64_t next_subject = 0;
  std::filesystem::path path;
};

absl::Time Start() {
  return absl::FromCivil(absl::CivilSecond(2025, 3, 3, 0, 0, 0),
                         absl::UTCTimeZone());
}

v1::SlaSubject Subject(const std::string& center) {
  v1::SlaSubject s;
  s.set_kind(v1::SERVICE_KIND_HOTLINE_QUESTION);  // catalog: 15 min / 4 h
  s.set_channel(v1::CHANNEL_PHONE_HOTLINE);
  s.set_priority(v1::PRIORITY_NORMAL);
  s.set_center_id(center);
  return s;
}

void StartMany(World& w, int subjects, absl::Time at) {
  Actor admin = AdminActor("bench");
  v1::SlaSubject s = Subject(w.center_id);
  for (int i = 0; i < subjects; ++i) {
    auto r = w.desk->sla().StartClocks(
        admin, absl::StrCat("case-", w.next_subject++), s, at);
    if (!r.ok()) std::abort();
  }
}

World* GetWorld(const std::string& backend, int open) {
  static std::map<std::string, std::unique_ptr<World>> worlds;
  std::string key = absl::StrCat(backend, "/", open);
  auto& w = worlds[key];
  if (w) return w.get();
  w = std::make_unique<World>();
  w->clock = std::make_unique<ManualClock>(Start());
  DeskOptions options;
  options.clock = w->clock.get();
  std::string uri = "memory:";
  if (backend == "sqlite") {
    w->path = std::filesystem::temp_directory_path() /
              absl::StrCat("sd_tick_bench_", open, ".db");
    for (const char* sfx : {"", "-wal", "-shm"})
      std::filesystem::remove(w->path.string() + sfx);
    uri = "sqlite:" + w->path.string();
  }
  w->desk = *Desk::Open(uri, options);
  Actor admin = AdminActor("bench");
  v1::BusinessCalendar cal;
  cal.set_id("always");
  cal.set_name("24/7");
  cal.set_time_zone("UTC");
  cal.set_always_open(true);
  if (!w->desk->calendars().Create(admin, cal).ok()) std::abort();
  v1::ServiceCenter c;
  c.set_code("MSK-01");
  c.set_name("Moscow");
  c.set_region("Moscow");
  c.set_time_zone("Europe/Moscow");
  c.set_calendar_id("always");
  w->center_id = w->desk->centers().Create(admin, c)->id();
  // Open clocks far from their thresholds: started "now" with 15 min / 4 h
  // targets, ticked at now + 1 min.
  StartMany(*w, open / 2, Start() + absl::Hours(100));
  return w.get();
}

void BM_Tick(benchmark::State& state, const std::string& backend) {
  const int open = static_cast<int>(state.range(0));
  World* w = GetWorld(backend, open);
  Actor system = SystemActor("bench");
  absl::Time now = Start() + absl::Hours(100) + absl::Minutes(1);
  int64_t raised = 0;
  for (auto _ : state) {
    state.PauseTiming();
    StartMany(*w, 500, Start());  // 1,000 clocks already past 4 h at `now`
    state.ResumeTiming();
    auto r = w->desk->sla().Tick(system, now);
    if (!r.ok() || r->breaches != 1000) {
      state.SkipWithError("tick did not raise exactly 1,000 breaches");
      break;
    }
    raised += r->breaches;
  }
  state.counters["open_clocks"] = open;
  state.counters["breaches_per_tick"] = benchmark::Counter(
      static_cast<double>(raised) / std::max<int64_t>(1, state.iterations()));
}

BENCHMARK_CAPTURE(BM_Tick, memory, std::string("memory"))
    ->Arg(10'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);
BENCHMARK_CAPTURE(BM_Tick, sqlite, std::string("sqlite"))
    ->Arg(10'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace
}  // namespace servicedesk

BENCHMARK_MAIN();
