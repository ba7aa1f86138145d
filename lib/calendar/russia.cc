// Russia's production calendar, shipped as data in the calendar text format
// (docs/sla.md) so that it is also a worked example of that format.
//
// To add a year: append its holidays and special days below with the decree
// in each entry's source, add any transferred working Saturday to
// kTransfers, list the year in kYears, and add its official norm (working
// days and hours on a 40-hour week) to tests/calendar/russia_test.cc.
//
// A year whose decree is not out yet gets its statutory days (art. 112
// holidays, art. 112 part 2 moves of a weekend holiday other than the January
// ones, art. 95 shortened days) and stays out of kYears until then: those
// days are law whatever the decree adds, so a calendar that crosses
// into the year is right on all of them, and wrong only on the decree's own
// moves.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lib/calendar/calendar_internal.h"
#include "servicedesk/calendar.h"

namespace servicedesk {
namespace calendar_internal {

// The data, for a five-day week with the default hours. Only the dates,
// kinds, names and sources are taken from it: RussiaProductionCalendar
// recomputes every special day's hours from the weekly schedule it is given.
extern const char kRussiaProductionCalendarText[];
const char kRussiaProductionCalendarText[] =
    R"cal(# Russian Federation production calendar, five-day week.
# Non-working holidays: Labour Code of the Russian Federation, art. 112.
# Pre-holiday working days are one hour shorter: Labour Code, art. 95.
# A holiday that falls on a weekend moves to the next working day (art. 112
# part 2) unless the year's government decree moves it elsewhere; the decree
# also moves the January weekend holidays. Moved days off are listed as
# holidays, working Saturdays as "transferred" special days.
# 2027 holds the statutory days only: its decree had not been published when
# this was made.
name Russian Federation production calendar
zone Europe/Moscow
mon-fri 09:00-18:00

# 2024: Government decree No. 1314 of 10.08.2023 "On moving days off in 2024".
holiday 2024-01-01 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-02 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-03 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-04 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-05 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-06 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-07 Christmas # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-01-08 New Year holidays # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-02-22 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-02-23 Defender of the Fatherland Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-03-07 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-03-08 International Women's Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-04-27 09:00-18:00 transferred Working Saturday with the hours of Monday 2024-04-29 # Government decree No. 1314 of 10.08.2023
holiday 2024-04-29 Day off moved from Saturday 2024-04-27 # Government decree No. 1314 of 10.08.2023
holiday 2024-04-30 Day off moved from Saturday 2024-11-02 # Government decree No. 1314 of 10.08.2023
holiday 2024-05-01 Spring and Labour Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-05-08 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-05-09 Victory Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-05-10 Day off moved from Saturday 2024-01-06 # Government decree No. 1314 of 10.08.2023
special 2024-06-11 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2024 calendar: Government decree No. 1314 of 10.08.2023
holiday 2024-06-12 Russia Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-11-02 09:00-17:00 transferred Working Saturday with the hours of Tuesday 2024-04-30, shortened pre-holiday day # Government decree No. 1314 of 10.08.2023; Labour Code art. 95
holiday 2024-11-04 National Unity Day # Labour Code art. 112; 2024 calendar: Government decree No. 1314 of 10.08.2023
special 2024-12-28 09:00-18:00 transferred Working Saturday with the hours of Monday 2024-12-30 # Government decree No. 1314 of 10.08.2023
holiday 2024-12-30 Day off moved from Saturday 2024-12-28 # Government decree No. 1314 of 10.08.2023
holiday 2024-12-31 Day off moved from Sunday 2024-01-07 # Government decree No. 1314 of 10.08.2023

# 2025: Government decree No. 1335 of 04.10.2024 "On moving days off in 2025".
holiday 2025-01-01 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-02 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-03 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-04 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-05 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-06 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-07 Christmas # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-01-08 New Year holidays # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-02-23 Defender of the Fatherland Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
special 2025-03-07 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-03-08 International Women's Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
special 2025-04-30 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-05-01 Spring and Labour Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-05-02 Day off moved from Saturday 2025-01-04 # Government decree No. 1335 of 04.10.2024
holiday 2025-05-08 Day off moved from Sunday 2025-02-23 # Government decree No. 1335 of 04.10.2024
holiday 2025-05-09 Victory Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
special 2025-06-11 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-06-12 Russia Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-06-13 Day off moved from Saturday 2025-03-08 # Government decree No. 1335 of 04.10.2024
special 2025-11-01 09:00-17:00 transferred Working Saturday with the hours of Monday 2025-11-03, shortened pre-holiday day # Government decree No. 1335 of 04.10.2024; Labour Code art. 95
holiday 2025-11-03 Day off moved from Saturday 2025-11-01 # Government decree No. 1335 of 04.10.2024
holiday 2025-11-04 National Unity Day # Labour Code art. 112; 2025 calendar: Government decree No. 1335 of 04.10.2024
holiday 2025-12-31 Day off moved from Sunday 2025-01-05 # Government decree No. 1335 of 04.10.2024

# 2026: Government decree No. 1466 of 24.09.2025 "On moving days off in 2026".
holiday 2026-01-01 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-02 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-03 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-04 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-05 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-06 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-07 Christmas # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-08 New Year holidays # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-01-09 Day off moved from Saturday 2026-01-03 # Government decree No. 1466 of 24.09.2025
holiday 2026-02-23 Defender of the Fatherland Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-03-08 International Women's Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-03-09 Day off moved from Sunday 2026-03-08 # Labour Code art. 112 part 2; 2026 calendar: Government decree No. 1466 of 24.09.2025
special 2026-04-30 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-05-01 Spring and Labour Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
special 2026-05-08 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-05-09 Victory Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-05-11 Day off moved from Saturday 2026-05-09 # Labour Code art. 112 part 2; 2026 calendar: Government decree No. 1466 of 24.09.2025
special 2026-06-11 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-06-12 Russia Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
special 2026-11-03 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-11-04 National Unity Day # Labour Code art. 112; 2026 calendar: Government decree No. 1466 of 24.09.2025
holiday 2026-12-31 Day off moved from Sunday 2026-01-04 # Government decree No. 1466 of 24.09.2025

# 2027: the statutory days only (Labour Code arts. 112 and 95). The year's
# decree, which moves the January holidays that fall on Saturday 2 and
# Sunday 3 January and may move others, had not been published when this
# was made; replace this block with the decree's calendar when it is.
holiday 2027-01-01 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-02 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-03 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-04 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-05 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-06 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-07 Christmas # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-01-08 New Year holidays # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
special 2027-02-22 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2027 statutory days only: the year's government decree had not been published
holiday 2027-02-23 Defender of the Fatherland Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-03-08 International Women's Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
special 2027-04-30 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2027 statutory days only: the year's government decree had not been published
holiday 2027-05-01 Spring and Labour Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-05-03 Day off moved from Saturday 2027-05-01 # Labour Code art. 112 part 2; 2027 statutory days only: the year's government decree had not been published
holiday 2027-05-09 Victory Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-05-10 Day off moved from Sunday 2027-05-09 # Labour Code art. 112 part 2; 2027 statutory days only: the year's government decree had not been published
special 2027-06-11 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2027 statutory days only: the year's government decree had not been published
holiday 2027-06-12 Russia Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
holiday 2027-06-14 Day off moved from Saturday 2027-06-12 # Labour Code art. 112 part 2; 2027 statutory days only: the year's government decree had not been published
special 2027-11-03 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2027 statutory days only: the year's government decree had not been published
holiday 2027-11-04 National Unity Day # Labour Code art. 112; 2027 statutory days only: the year's government decree had not been published
special 2027-12-31 09:00-17:00 shortened Pre-holiday day, one hour shorter # Labour Code art. 95; 2027 statutory days only: the year's government decree had not been published
)cal";

}  // namespace calendar_internal

namespace {

struct Transfer {
  absl::CivilDay working;  // the weekend date that works
  absl::CivilDay takes;    // the weekday whose day off it replaces
  bool shortened;          // also a pre-holiday day
};

// The decrees word each move as "from Saturday X to <weekday> Y": X works
// with Y's hours.
const Transfer kTransfers[] = {
    {absl::CivilDay(2024, 4, 27), absl::CivilDay(2024, 4, 29), false},
    {absl::CivilDay(2024, 11, 2), absl::CivilDay(2024, 4, 30), true},
    {absl::CivilDay(2024, 12, 28), absl::CivilDay(2024, 12, 30), false},
    {absl::CivilDay(2025, 11, 1), absl::CivilDay(2025, 11, 3), true},
};

constexpr int kYears[] = {2024, 2025, 2026};

// Removes the last hour of open time: the pre-holiday day ends an hour early.
void CutLastHour(google::protobuf::RepeatedPtrField<v1::TimeInterval>* ivs) {
  int remaining = 3600;
  while (remaining > 0 && !ivs->empty()) {
    v1::TimeInterval& last = ivs->at(ivs->size() - 1);
    const int len = last.end_seconds() - last.start_seconds();
    if (len > remaining) {
      last.set_end_seconds(last.end_seconds() - remaining);
      remaining = 0;
    } else {
      remaining -= len;
      ivs->RemoveLast();
    }
  }
}

const v1::BusinessCalendar& Data() {
  static const v1::BusinessCalendar* const data = [] {
    auto parsed =
        ParseCalendarText(calendar_internal::kRussiaProductionCalendarText);
    // The shipped text is covered by tests; a failure here is a build defect.
    if (!parsed.ok()) std::abort();
    return new v1::BusinessCalendar(*std::move(parsed));
  }();
  return *data;
}

}  // namespace

absl::StatusOr<v1::BusinessCalendar> RussiaProductionCalendar(
    absl::string_view time_zone, absl::Span<const v1::WeekdaySchedule> weekly) {
  v1::BusinessCalendar spec = Data();
  spec.set_time_zone(std::string(time_zone));
  if (!weekly.empty()) {
    spec.clear_weekly();
    for (const v1::WeekdaySchedule& w : weekly) *spec.add_weekly() = w;
  }
  {
    // Check the caller's zone and hours before deriving anything from them.
    v1::BusinessCalendar check;
    check.set_time_zone(spec.time_zone());
    *check.mutable_weekly() = spec.weekly();
    if (auto err = calendar_internal::ValidateSpec(check)) {
      return absl::InvalidArgumentError(err->message);
    }
  }
  google::protobuf::RepeatedPtrField<v1::TimeInterval> hours[8];
  for (const v1::WeekdaySchedule& w : spec.weekly()) {
    hours[w.weekday()] = w.intervals();
  }
  auto weekday_of = [](absl::CivilDay d) {
    // absl: Monday = 0; ISO: Monday = 1.
    return static_cast<int>(absl::GetWeekday(d)) + 1;
  };
  for (v1::SpecialDay& sd : *spec.mutable_special_days()) {
    const absl::CivilDay day = calendar_internal::ToCivilDay(sd.date());
    absl::CivilDay takes = day;
    bool shortened = sd.kind() == v1::SPECIAL_DAY_KIND_SHORTENED;
    for (const Transfer& t : kTransfers) {
      if (t.working == day) {
        takes = t.takes;
        shortened = t.shortened;
      }
    }
    *sd.mutable_intervals() = hours[weekday_of(takes)];
    if (shortened) CutLastHour(sd.mutable_intervals());
  }
  return spec;
}

std::vector<int> RussiaProductionCalendarYears() {
  return std::vector<int>(std::begin(kYears), std::end(kYears));
}

}  // namespace servicedesk
