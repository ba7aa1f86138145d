// Compares our business-calendar engine with the npm package
// dayjs-business-time on one seeded workload, and checks that both give the
// same answers.
//
// Workload: 100,000 cases of (start, business minutes, end) on a Monday-Friday
// 09:00-18:00 calendar in Europe/Moscow with 15 random weekday holidays a
// year over 2024-2026. Starts and ends are whole minutes (the package counts
// whole minutes); a quarter of the starts sit exactly on an opening or
// closing instant, and a share of the durations end exactly at a closing.
// For each case: due = Add(start, minutes) vs addBusinessMinutes, and
// Between(start, end) in minutes vs businessMinutesDiff.
//
// Usage: calendar_peer_bench [--cases=N] [--seed=S]
// Needs node and scripts/peers-setup.sh. Exit status 1 on any disagreement.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "servicedesk/calendar.h"

namespace {

struct Case {
  int64_t start_ms;
  int64_t minutes;
  int64_t end_ms;
};

// Reads the numbers of the JSON array `"key":[...]` in `json`.
std::vector<double> JsonArray(const std::string& json, const std::string& key) {
  std::vector<double> out;
  const size_t at = json.find("\"" + key + "\":[");
  if (at == std::string::npos) return out;
  const char* p = json.c_str() + at + key.size() + 4;
  while (*p != ']' && *p != '\0') {
    char* end;
    out.push_back(std::strtod(p, &end));
    p = end;
    if (*p == ',') ++p;
  }
  return out;
}

double JsonNumber(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  int cases_n = 100000;
  uint64_t seed = 20240101;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--cases=", 0) == 0) cases_n = std::atoi(arg.c_str() + 8);
    if (arg.rfind("--seed=", 0) == 0)
      seed = std::strtoull(arg.c_str() + 7, nullptr, 10);
  }
  const std::string peers = SD_PEERS_DIR;
  if (!std::filesystem::exists(peers + "/node_modules/dayjs-business-time")) {
    std::fprintf(stderr,
                 "dayjs-business-time is not installed: run "
                 "scripts/peers-setup.sh\n");
    return 2;
  }

  absl::TimeZone msk;
  absl::LoadTimeZone("Europe/Moscow", &msk);
  std::mt19937_64 rng(seed);

  // Calendar: 15 distinct random weekdays a year are holidays.
  std::string text = "zone Europe/Moscow\nmon-fri 09:00-18:00\n";
  std::vector<std::string> holidays;
  for (int y = 2024; y <= 2026; ++y) {
    std::set<absl::CivilDay> picked;
    while (picked.size() < 15) {
      const absl::CivilDay d = absl::CivilDay(y, 1, 1) + rng() % 365;
      if (d.year() != y || absl::GetWeekday(d) == absl::Weekday::saturday ||
          absl::GetWeekday(d) == absl::Weekday::sunday) {
        continue;
      }
      picked.insert(d);
    }
    for (absl::CivilDay d : picked) {
      holidays.push_back(absl::FormatCivilTime(d));
      absl::StrAppend(&text, "holiday ", holidays.back(), "\n");
    }
  }
  auto spec = servicedesk::ParseCalendarText(text);
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", std::string(spec.status().message()).c_str());
    return 2;
  }
  const servicedesk::BusinessCalendar cal =
      *servicedesk::BusinessCalendar::Create(*spec);

  // Cases.
  const absl::Time lo = absl::FromCivil(absl::CivilDay(2024, 1, 1), msk);
  const int64_t span_min =
      (absl::FromCivil(absl::CivilDay(2026, 12, 1), msk) - lo) /
      absl::Minutes(1);
  std::vector<Case> cases;
  cases.reserve(cases_n);
  for (int i = 0; i < cases_n; ++i) {
    absl::Time start = lo + absl::Minutes(rng() % span_min);
    if (i % 4 == 0) {  // exactly at an opening or a closing
      const absl::CivilDay d = absl::ToCivilDay(start, msk);
      start = absl::FromCivil(
          absl::CivilSecond(d) + (rng() % 2 ? 9 : 18) * 3600, msk);
    }
    int64_t minutes = 1 + static_cast<int64_t>(rng() % (5 * 540));
    if (i % 8 == 1) minutes = 540 * (1 + rng() % 3);  // whole days
    if (i % 8 == 3) {
      // Lands exactly on the next closing after start.
      const absl::Time open = cal.NextOpening(start);
      const absl::CivilDay d = absl::ToCivilDay(open, msk);
      const absl::Time close =
          absl::FromCivil(absl::CivilSecond(d) + 18 * 3600, msk);
      minutes =
          std::max<int64_t>(1, cal.Between(start, close) / absl::Minutes(1));
    }
    const int64_t delta =
        static_cast<int64_t>(rng() % (60 * 24 * 60)) - 20 * 24 * 60;
    const absl::Time end = start + absl::Minutes(delta);
    cases.push_back(
        {absl::ToUnixMillis(start), minutes, absl::ToUnixMillis(end)});
  }

  // Ours, timed over several passes.
  std::vector<int64_t> due(cases.size()), count(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    due[i] = absl::ToUnixMillis(cal.Add(absl::FromUnixMillis(cases[i].start_ms),
                                        absl::Minutes(cases[i].minutes)));
    count[i] = cal.Between(absl::FromUnixMillis(cases[i].start_ms),
                           absl::FromUnixMillis(cases[i].end_ms)) /
               absl::Minutes(1);
  }
  constexpr int kPasses = 20;
  int64_t sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int p = 0; p < kPasses; ++p) {
    for (const Case& c : cases) {
      sink += absl::ToUnixMillis(
          cal.Add(absl::FromUnixMillis(c.start_ms), absl::Minutes(c.minutes)));
    }
  }
  const double our_add_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count() /
      kPasses;
  t0 = std::chrono::steady_clock::now();
  for (int p = 0; p < kPasses; ++p) {
    for (const Case& c : cases) {
      sink += cal.Between(absl::FromUnixMillis(c.start_ms),
                          absl::FromUnixMillis(c.end_ms)) /
              absl::Minutes(1);
    }
  }
  const double our_diff_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count() /
      kPasses;

  // The workload file for node.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "sd_calendar_peer";
  std::filesystem::create_directories(dir);
  const std::string workload = (dir / "workload.json").string();
  const std::string result = (dir / "dayjs_result.json").string();
  {
    std::ofstream out(workload);
    out << "{\"open\":\"09:00:00\",\"close\":\"18:00:00\",\"holidays\":[";
    for (size_t i = 0; i < holidays.size(); ++i) {
      out << (i ? "," : "") << "\"" << holidays[i] << "\"";
    }
    out << "],\"cases\":[";
    for (size_t i = 0; i < cases.size(); ++i) {
      out << (i ? "," : "") << "[" << cases[i].start_ms << ","
          << cases[i].minutes << "," << cases[i].end_ms << "]";
    }
    out << "]}\n";
  }
  const std::string cmd =
      absl::StrCat("TZ=Europe/Moscow node '", SD_DAYJS_SCRIPT, "' '", peers,
                   "/node_modules' '", workload, "' '", result, "'");
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "node failed: %s\n", cmd.c_str());
    return 2;
  }
  std::ifstream in(result);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string json = buf.str();
  const std::vector<double> their_due = JsonArray(json, "due_ms");
  const std::vector<double> their_count = JsonArray(json, "minutes");
  const double their_add_s = JsonNumber(json, "add_seconds");
  const double their_diff_s = JsonNumber(json, "diff_seconds");
  if (their_due.size() != cases.size() || their_count.size() != cases.size()) {
    std::fprintf(stderr, "bad result file %s\n", result.c_str());
    return 2;
  }

  int bad_due = 0, bad_count = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    if (static_cast<int64_t>(their_due[i]) != due[i]) {
      if (++bad_due <= 5) {
        std::printf(
            "due mismatch: start %s + %lld min: ours %s, dayjs %s\n",
            absl::FormatTime(absl::FromUnixMillis(c.start_ms), msk).c_str(),
            static_cast<long long>(c.minutes),
            absl::FormatTime(absl::FromUnixMillis(due[i]), msk).c_str(),
            absl::FormatTime(
                absl::FromUnixMillis(static_cast<int64_t>(their_due[i])), msk)
                .c_str());
      }
    }
    if (static_cast<int64_t>(their_count[i]) != count[i]) {
      if (++bad_count <= 5) {
        std::printf(
            "count mismatch: %s .. %s: ours %lld, dayjs %lld\n",
            absl::FormatTime(absl::FromUnixMillis(c.start_ms), msk).c_str(),
            absl::FormatTime(absl::FromUnixMillis(c.end_ms), msk).c_str(),
            static_cast<long long>(count[i]),
            static_cast<long long>(their_count[i]));
      }
    }
  }

  const double n = static_cast<double>(cases.size());
  std::printf(
      "workload: %zu cases, seed %llu, Mon-Fri 09:00-18:00 Europe/Moscow, "
      "%zu holidays 2024-2026 (checksum %lld)\n",
      cases.size(), static_cast<unsigned long long>(seed), holidays.size(),
      static_cast<long long>(sink % 1000));
  std::printf("%-28s %14s %14s\n", "", "Add/addBusi..", "Between/diff");
  std::printf("%-28s %11.0f/s %11.0f/s\n", "servicedesk", n / our_add_s,
              n / our_diff_s);
  std::printf("%-28s %11.0f/s %11.0f/s\n", "dayjs-business-time 1.0.4",
              n / their_add_s, n / their_diff_s);
  std::printf("%-28s %12.0fx %12.0fx\n", "ratio (servicedesk/dayjs)",
              their_add_s / our_add_s, their_diff_s / our_diff_s);
  std::printf("agreement: due %zu/%zu, business minutes %zu/%zu\n",
              cases.size() - bad_due, cases.size(), cases.size() - bad_count,
              cases.size());
  return bad_due == 0 && bad_count == 0 ? 0 : 1;
}
