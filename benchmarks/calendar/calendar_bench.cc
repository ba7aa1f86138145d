// Business-calendar arithmetic (lib/calendar). Workloads:
//   Add/moscow_10y          Mon-Fri 09:00-13:00 14:00-18:00, Europe/Moscow,
//                           2020-2029 with Russia's holidays (the shipped
//                           production calendar for 2024-2026, the statutory
//                           holidays for the other years); random starts over
//                           the ten years, random durations 1 min..40 h.
//   Between/moscow_10y      same calendar, random pairs up to 60 days apart.
//   IsOpen, NextOpening     same calendar, random instants.
//   Add/new_york_10y        the same schedule in America/New_York (DST).
//   Add/always_open         the 24/7 identity, for scale.
//   Add/moscow_10y/threads  Add from 2 threads sharing one calendar.
//   ColdBuild/moscow_10y    Create + materializing ten years (first query).
//   RussiaProductionCalendar  deriving the production calendar spec.
#include <random>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "servicedesk/calendar.h"

namespace servicedesk {
namespace {

v1::BusinessCalendar TenYearSpec(const char* zone) {
  v1::WeekdaySchedule day;
  for (auto [a, b] : {std::pair{9, 13}, {14, 18}}) {
    v1::TimeInterval* iv = day.add_intervals();
    iv->set_start_seconds(a * 3600);
    iv->set_end_seconds(b * 3600);
  }
  std::vector<v1::WeekdaySchedule> weekly;
  for (int d = 1; d <= 5; ++d) {
    day.set_weekday(static_cast<v1::Weekday>(d));
    weekly.push_back(day);
  }
  v1::BusinessCalendar spec = *RussiaProductionCalendar(zone, weekly);
  static const int kFixed[][2] = {{1, 1}, {1, 2}, {1, 3},  {1, 4},  {1, 5},
                                  {1, 6}, {1, 7}, {1, 8},  {2, 23}, {3, 8},
                                  {5, 1}, {5, 9}, {6, 12}, {11, 4}};
  for (int y = 2020; y < 2030; ++y) {
    if (y >= 2024 && y <= 2026) continue;
    for (const auto& md : kFixed) {
      v1::Holiday* h = spec.add_holidays();
      h->mutable_date()->set_year(y);
      h->mutable_date()->set_month(md[0]);
      h->mutable_date()->set_day(md[1]);
    }
  }
  return spec;
}

BusinessCalendar Warm(const v1::BusinessCalendar& spec) {
  BusinessCalendar cal = *BusinessCalendar::Create(spec);
  // Materialize 2020-2029 before timing: the first query builds the tables.
  cal.Between(absl::FromCivil(absl::CivilDay(2019, 12, 1), absl::UTCTimeZone()),
              absl::FromCivil(absl::CivilDay(2030, 2, 1), absl::UTCTimeZone()));
  return cal;
}

struct Inputs {
  std::vector<absl::Time> a, b;
  std::vector<absl::Duration> d;
};

const Inputs& RandomInputs() {
  static const Inputs* inputs = [] {
    auto* in = new Inputs;
    std::mt19937_64 rng(42);
    const absl::Time lo =
        absl::FromCivil(absl::CivilDay(2020, 1, 1), absl::UTCTimeZone());
    const int64_t span = 10 * 365 * 86400LL - 90 * 86400LL;
    for (int i = 0; i < 1 << 14; ++i) {
      const absl::Time a =
          lo + absl::Seconds(rng() % span) + absl::Milliseconds(rng() % 1000);
      in->a.push_back(a);
      in->b.push_back(a + absl::Seconds(rng() % (60 * 86400)));
      in->d.push_back(absl::Seconds(60 + rng() % (40 * 3600)));
    }
    return in;
  }();
  return *inputs;
}

const BusinessCalendar& Moscow() {
  static const BusinessCalendar* cal =
      new BusinessCalendar(Warm(TenYearSpec("Europe/Moscow")));
  return *cal;
}

const BusinessCalendar& NewYork() {
  static const BusinessCalendar* cal =
      new BusinessCalendar(Warm(TenYearSpec("America/New_York")));
  return *cal;
}

void AddLoop(benchmark::State& state, const BusinessCalendar& cal) {
  const Inputs& in = RandomInputs();
  const size_t mask = in.a.size() - 1;
  size_t i = state.thread_index() * 997;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Add(in.a[i & mask], in.d[i & mask]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Add_Moscow10y(benchmark::State& state) { AddLoop(state, Moscow()); }
BENCHMARK(BM_Add_Moscow10y)->Name("Add/moscow_10y");
BENCHMARK(BM_Add_Moscow10y)->Name("Add/moscow_10y/threads")->Threads(2);

void BM_Add_NewYork10y(benchmark::State& state) { AddLoop(state, NewYork()); }
BENCHMARK(BM_Add_NewYork10y)->Name("Add/new_york_10y");

void BM_Add_AlwaysOpen(benchmark::State& state) {
  static const BusinessCalendar* cal =
      new BusinessCalendar(BusinessCalendar::AlwaysOpen());
  AddLoop(state, *cal);
}
BENCHMARK(BM_Add_AlwaysOpen)->Name("Add/always_open");

void BM_Between_Moscow10y(benchmark::State& state) {
  const BusinessCalendar& cal = Moscow();
  const Inputs& in = RandomInputs();
  const size_t mask = in.a.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Between(in.a[i & mask], in.b[i & mask]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Between_Moscow10y)->Name("Between/moscow_10y");

void BM_IsOpen_Moscow10y(benchmark::State& state) {
  const BusinessCalendar& cal = Moscow();
  const Inputs& in = RandomInputs();
  const size_t mask = in.a.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.IsOpen(in.a[i & mask]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsOpen_Moscow10y)->Name("IsOpen/moscow_10y");

void BM_NextOpening_Moscow10y(benchmark::State& state) {
  const BusinessCalendar& cal = Moscow();
  const Inputs& in = RandomInputs();
  const size_t mask = in.a.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.NextOpening(in.a[i & mask]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NextOpening_Moscow10y)->Name("NextOpening/moscow_10y");

void BM_ColdBuild_Moscow10y(benchmark::State& state) {
  const v1::BusinessCalendar spec = TenYearSpec("Europe/Moscow");
  for (auto _ : state) {
    BusinessCalendar cal = Warm(spec);
    benchmark::DoNotOptimize(cal);
  }
}
BENCHMARK(BM_ColdBuild_Moscow10y)
    ->Name("ColdBuild/moscow_10y")
    ->Unit(benchmark::kMicrosecond);

void BM_RussiaProductionCalendar(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(RussiaProductionCalendar("Europe/Moscow"));
  }
}
BENCHMARK(BM_RussiaProductionCalendar)
    ->Name("RussiaProductionCalendar")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace servicedesk

BENCHMARK_MAIN();
