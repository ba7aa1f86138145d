// Business calendars: business-time arithmetic for SLA deadlines.
//
// Semantics (DESIGN.md, "SLA semantics"): business time is elapsed real time
// inside open intervals; intervals are local civil times of the calendar's IANA
// zone converted to absolute instants.
//   Add(start, d): the earliest t >= start with business time in [start, t] ==
//   d.
//     Add(start, 0) is start if start is inside an open interval (the closing
//     instant excluded), else the next opening. A deadline that lands exactly
//     on a closing instant is that closing instant.
//   Between(a, b): business time in [a, b]; negative if b < a.
//   An always-open (24/7) calendar is the identity: Add(s, d) = s + d.
//   Add(start, d < 0) goes backwards: the latest t <= start with business
//     time in [t, start] == -d (a result on an opening instant stays there).
//   No open time left in that direction: Add returns absl::InfiniteFuture()
//     (absl::InfinitePast() going backwards).
//   A local boundary becomes the first instant at which the wall clock reads
//     that time or later (DST gap: the transition; overlap: first pass).
//   Local dates before 1800 or from 2800 on are treated as closed.
// Details and worked examples: docs/sla.md, "Business calendars".
//
// Example:
//   servicedesk::v1::BusinessCalendar spec;
//   ... or: auto spec = servicedesk::ParseCalendarText(text);
//   absl::StatusOr<servicedesk::BusinessCalendar> cal =
//       servicedesk::BusinessCalendar::Create(spec);
//   absl::Time due = cal->Add(registered, absl::Hours(8));
//
// Performance: open intervals are precomputed as absolute instants with a
// prefix sum of open seconds over a horizon that is extended on demand; Add
// and Between are binary searches.
//
// Thread-safety: a BusinessCalendar is safe for concurrent use by any number of
// threads (horizon extension is internally synchronized). Copies share the
// precomputed tables.
#ifndef SERVICEDESK_CALENDAR_H_
#define SERVICEDESK_CALENDAR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/calendar.pb.h"

namespace servicedesk {

class SD_EXPORT BusinessCalendar {
 public:
  // Validates `spec` and builds a calendar. INVALID_ARGUMENT naming the field
  // (e.g. "weekly[2].intervals[1]: overlaps previous interval") for: unknown
  // time zone; intervals inverted, empty, overlapping or outside 00:00–24:00;
  // an invalid date; a date that is both a holiday and a special day, or
  // repeated; a weekday listed twice or unspecified.
  static absl::StatusOr<BusinessCalendar> Create(
      const v1::BusinessCalendar& spec);

  // The 24/7 calendar.
  static BusinessCalendar AlwaysOpen();

  absl::Time Add(absl::Time start, absl::Duration d) const;
  absl::Duration Between(absl::Time a, absl::Time b) const;
  // True if t is inside an open interval (opening included, closing excluded).
  bool IsOpen(absl::Time t) const;
  // The first instant >= t that is open (t itself if open). Equals Add(t, 0).
  absl::Time NextOpening(absl::Time t) const;

  const v1::BusinessCalendar& spec() const;

  // Implementation detail (lib/calendar); not part of the API.
  struct Impl;

 private:
  explicit BusinessCalendar(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// The documented text format (docs/sla.md), e.g.
//   zone Europe/Moscow
//   name Moscow center
//   mon-fri 09:00-13:00 14:00-18:00
//   holiday 2025-01-01 New Year  # source: decree No. 1335
//   special 2025-11-01 09:00-17:00 transferred | shortened  ...
// INVALID_ARGUMENT with the line number on malformed input.
SD_EXPORT absl::StatusOr<v1::BusinessCalendar> ParseCalendarText(
    absl::string_view text);
SD_EXPORT std::string FormatCalendarText(const v1::BusinessCalendar& spec);

// Russia's production calendar (shipped data, years listed by
// RussiaProductionCalendarYears) over the given weekly hours (default
// Monday–Friday 09:00–18:00): holidays, transferred working days (with the
// hours of the weekday whose schedule they take, i.e. a normal working day)
// and shortened pre-holiday days (ending one hour earlier). Each entry names
// its decree in `source`. A year after the last listed one whose decree is
// not yet out carries its statutory days only (Labour Code arts. 112 and 95;
// see docs/sla.md). INVALID_ARGUMENT for an unknown zone.
SD_EXPORT absl::StatusOr<v1::BusinessCalendar> RussiaProductionCalendar(
    absl::string_view time_zone,
    absl::Span<const v1::WeekdaySchedule> weekly = {});

// The years the shipped production calendar covers completely (their
// decree included), ascending.
SD_EXPORT std::vector<int> RussiaProductionCalendarYears();

}  // namespace servicedesk

#endif  // SERVICEDESK_CALENDAR_H_
