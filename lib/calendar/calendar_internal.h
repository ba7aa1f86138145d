// Internals shared by the calendar engine, the text format and the shipped
// production calendar. Not part of the API.
#ifndef SERVICEDESK_LIB_CALENDAR_CALENDAR_INTERNAL_H_
#define SERVICEDESK_LIB_CALENDAR_CALENDAR_INTERNAL_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "servicedesk/proto/calendar.pb.h"

namespace servicedesk::calendar_internal {

// Which repeated entry of the spec an error belongs to, so that the text
// parser can report the line that produced it.
enum class Section { kTopLevel, kWeekly, kHoliday, kSpecialDay };

struct SpecError {
  Section section = Section::kTopLevel;
  int index = -1;       // index into the repeated field, -1 for top level
  std::string message;  // full message, starting with the field path
};

// Everything BusinessCalendar::Create checks. nullopt when valid.
std::optional<SpecError> ValidateSpec(const v1::BusinessCalendar& spec);

// "09:00", "09:00:30", "24:00". Seconds are shown only when non-zero.
std::string FormatClock(int seconds_after_midnight);
// "2025-01-01" (4-digit year, zero padded).
std::string FormatDate(const v1::Date& date);
bool IsValidDate(const v1::Date& date);
absl::CivilDay ToCivilDay(const v1::Date& date);
const char* WeekdayShortName(int weekday);  // 1..7 -> "mon".."sun"

}  // namespace servicedesk::calendar_internal

#endif  // SERVICEDESK_LIB_CALENDAR_CALENDAR_INTERNAL_H_
