#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "lib/calendar/calendar_internal.h"

namespace servicedesk::calendar_internal {
namespace {

constexpr int kDaySeconds = 86400;

std::string ClockOrRaw(int seconds) {
  if (seconds < 0 || seconds > kDaySeconds) return absl::StrCat(seconds, "s");
  return FormatClock(seconds);
}

// Checks one day's intervals; `path` is e.g. "weekly[1]".
std::optional<std::string> ValidateIntervals(
    const google::protobuf::RepeatedPtrField<v1::TimeInterval>& intervals,
    const std::string& path) {
  for (int k = 0; k < intervals.size(); ++k) {
    const v1::TimeInterval& iv = intervals[k];
    const std::string field = absl::StrCat(path, ".intervals[", k, "]");
    const int s = iv.start_seconds();
    const int e = iv.end_seconds();
    if (s < 0 || s >= kDaySeconds) {
      return absl::StrCat(field, ": start ", ClockOrRaw(s),
                          " is outside 00:00-24:00 (must be before 24:00)");
    }
    if (e < 0 || e > kDaySeconds) {
      return absl::StrCat(field, ": end ", ClockOrRaw(e),
                          " is outside 00:00-24:00");
    }
    if (e < s) {
      return absl::StrCat(field, ": end ", FormatClock(e), " is before start ",
                          FormatClock(s));
    }
    if (e == s) {
      return absl::StrCat(field, ": empty interval ", FormatClock(s), "-",
                          FormatClock(e));
    }
    if (k > 0) {
      const v1::TimeInterval& prev = intervals[k - 1];
      if (s < prev.start_seconds()) {
        return absl::StrCat(field, ": ", FormatClock(s), "-", FormatClock(e),
                            " is before previous interval ",
                            FormatClock(prev.start_seconds()), "-",
                            FormatClock(prev.end_seconds()),
                            " (intervals must be sorted)");
      }
      if (s < prev.end_seconds()) {
        return absl::StrCat(field, ": ", FormatClock(s), "-", FormatClock(e),
                            " overlaps previous interval ",
                            FormatClock(prev.start_seconds()), "-",
                            FormatClock(prev.end_seconds()));
      }
    }
  }
  return std::nullopt;
}

int64_t DateKey(const v1::Date& d) {
  return (int64_t{d.year()} * 100 + d.month()) * 100 + d.day();
}

}  // namespace

std::string FormatClock(int seconds) {
  const int h = seconds / 3600;
  const int m = seconds / 60 % 60;
  const int s = seconds % 60;
  if (s != 0) return absl::StrFormat("%02d:%02d:%02d", h, m, s);
  return absl::StrFormat("%02d:%02d", h, m);
}

std::string FormatDate(const v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

bool IsValidDate(const v1::Date& date) {
  // Four-digit years keep the text format unambiguous.
  if (date.year() < 1 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  if (date.day() < 1 || date.day() > 31) return false;
  const absl::CivilDay d(date.year(), date.month(), date.day());
  // CivilDay normalizes 2025-02-30 to 2025-03-02; a changed month exposes it.
  return d.month() == date.month() && d.day() == date.day();
}

absl::CivilDay ToCivilDay(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

const char* WeekdayShortName(int weekday) {
  static const char* const kNames[] = {"?",   "mon", "tue", "wed",
                                       "thu", "fri", "sat", "sun"};
  return weekday >= 1 && weekday <= 7 ? kNames[weekday] : "?";
}

std::optional<SpecError> ValidateSpec(const v1::BusinessCalendar& spec) {
  auto top = [](std::string msg) {
    return SpecError{Section::kTopLevel, -1, std::move(msg)};
  };
  if (!spec.time_zone().empty()) {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(spec.time_zone(), &tz)) {
      return top(absl::StrCat("time_zone: unknown time zone \"",
                              spec.time_zone(), "\""));
    }
  }
  // A 24/7 calendar ignores everything else (calendar.proto), so nothing
  // else can make it invalid.
  if (spec.always_open()) return std::nullopt;
  if (spec.time_zone().empty()) {
    return top("time_zone: required unless always_open is set");
  }

  int seen_weekday[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
  for (int i = 0; i < spec.weekly_size(); ++i) {
    const v1::WeekdaySchedule& w = spec.weekly(i);
    const std::string path = absl::StrCat("weekly[", i, "]");
    const int wd = w.weekday();
    if (wd == v1::WEEKDAY_UNSPECIFIED) {
      return SpecError{Section::kWeekly, i,
                       absl::StrCat(path, ".weekday: unspecified")};
    }
    if (wd < 1 || wd > 7) {
      return SpecError{Section::kWeekly, i,
                       absl::StrCat(path, ".weekday: invalid value ", wd)};
    }
    if (seen_weekday[wd] >= 0) {
      return SpecError{
          Section::kWeekly, i,
          absl::StrCat(path, ".weekday: ", v1::Weekday_Name(wd),
                       " listed twice (also weekly[", seen_weekday[wd], "])")};
    }
    seen_weekday[wd] = i;
    if (auto err = ValidateIntervals(w.intervals(), path)) {
      return SpecError{Section::kWeekly, i, *std::move(err)};
    }
  }

  absl::flat_hash_map<int64_t, int> holiday_index;
  for (int i = 0; i < spec.holidays_size(); ++i) {
    const v1::Date& d = spec.holidays(i).date();
    const std::string path = absl::StrCat("holidays[", i, "].date");
    if (!IsValidDate(d)) {
      return SpecError{Section::kHoliday, i,
                       absl::StrCat(path, ": invalid date ", d.year(), "-",
                                    d.month(), "-", d.day())};
    }
    auto [it, inserted] = holiday_index.emplace(DateKey(d), i);
    if (!inserted) {
      return SpecError{
          Section::kHoliday, i,
          absl::StrCat(path, ": ", FormatDate(d), " repeated (also holidays[",
                       it->second, "])")};
    }
  }

  absl::flat_hash_map<int64_t, int> special_index;
  for (int i = 0; i < spec.special_days_size(); ++i) {
    const v1::SpecialDay& sd = spec.special_days(i);
    const std::string path = absl::StrCat("special_days[", i, "]");
    const v1::Date& d = sd.date();
    if (!IsValidDate(d)) {
      return SpecError{Section::kSpecialDay, i,
                       absl::StrCat(path, ".date: invalid date ", d.year(), "-",
                                    d.month(), "-", d.day())};
    }
    if (auto it = holiday_index.find(DateKey(d)); it != holiday_index.end()) {
      return SpecError{
          Section::kSpecialDay, i,
          absl::StrCat(path, ".date: ", FormatDate(d),
                       " is also a holiday (holidays[", it->second, "])")};
    }
    auto [it, inserted] = special_index.emplace(DateKey(d), i);
    if (!inserted) {
      return SpecError{
          Section::kSpecialDay, i,
          absl::StrCat(path, ".date: ", FormatDate(d),
                       " repeated (also special_days[", it->second, "])")};
    }
    if (!v1::SpecialDayKind_IsValid(sd.kind())) {
      return SpecError{Section::kSpecialDay, i,
                       absl::StrCat(path, ".kind: invalid value ",
                                    static_cast<int>(sd.kind()))};
    }
    if (auto err = ValidateIntervals(sd.intervals(), path)) {
      return SpecError{Section::kSpecialDay, i, *std::move(err)};
    }
  }
  return std::nullopt;
}

}  // namespace servicedesk::calendar_internal
