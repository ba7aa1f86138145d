// The Quality Standard audit: compliance reports per center, kind, channel,
// staff member and period.
//
// Definitions (docs/requests.md, "Compliance reports"). A report covers
// [from, to) of absolute instants, as one period or (by_period) split into
// days, ISO weeks or months at the midnights of the query's time zone, the
// first and last clipped to from and to; every fact counts in the period of
// its own instant, so a period's rows equal that period's report on its own.
// It sees what had happened by min(to, now), now being the desk clock's:
//  * requests — service requests registered in [from, to), cancelled ones
//    included;
//  * met — SLA resolution clocks stopped in the period within their target
//    (business time run <= target);
//  * breached — resolution clocks whose breach instant (the instant their
//    business time run first exceeded the target: the due time, or the next
//    opening if that fell while the calendar was closed) lies in
//    [from, min(to, now)): still running, paused after breaching, or stopped
//    late. A clock stopped late counts in the period it breached in, not the
//    one it stopped in, so a period's met/breached figures stay fixed once it
//    has ended — except after a retroactive change (a new priority or kind
//    recomputes an open clock's target and moves its breach instant);
//  * clocks of cancelled requests count nowhere (also a first-response clock
//    that stopped before the cancellation);
//  * first_response_met/breached — likewise for first-response clocks;
//  * compliance_pct = 100 × met / (met + breached), unset when both are 0;
//  * p50/p90 — nearest-rank percentiles of the business time run by the
//    clocks stopped in the period (met or late), unset when none stopped;
//  * satisfaction — ratings given in [from, to); the average is unset when
//    there is none;
//  * a reopened request runs a second resolution clock, so met + breached
//    may exceed the requests;
//  * backlog — requests open (not resolved, closed or cancelled) at the end
//    of each period that has begun, or at backlog_at = min(to, now) if
//    sooner (BacklogRow.at), by wall-clock age then since registration or
//    their last reopening: "<1d" [0, 24h), "1-3d" [24h, 72h), "3-7d"
//    [72h, 168h), ">7d" >= 168h; grouped as the rows are (by staff:
//    whoever had the request at that instant, "" while queued).
// Rows are grouped by the query's by_* flags (a field not grouped on is left
// empty in the row) and carry their period_start/period_end; rows come sorted
// by period, then their group fields. by_staff groups
// request and rating counts by the request's current assignee, clock figures
// by the assignee when the clock stopped (while open: the current one).
//
// Aggregation reads index keys only (Transaction::ScanKeys), never record
// bodies: a report over a million requests stays within a second on SQLite.
//
// Who may call: network administrators (every center); staff of a center
// (their own center only: center_id must be empty or their own). Client
// contacts are refused. Errors: INVALID_ARGUMENT for from >= to, no
// timestamps, a center_id containing NUL, an unknown time_zone or by_period,
// or more than 10,000 periods; NOT_FOUND naming center_id for a
// center that does not exist; PERMISSION_DENIED. Thread-safe.
#ifndef SERVICEDESK_REPORTS_H_
#define SERVICEDESK_REPORTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

class SD_EXPORT Reports {
 public:
  explicit Reports(internal::DeskContext* ctx) : ctx_(ctx) {}

  absl::StatusOr<v1::ComplianceReport> Compliance(
      const Actor& actor, const v1::ComplianceQuery& query);

  // The report's rows as CSV: one table (RFC 4180, CRLF, header line first;
  // durations in seconds (a fraction to the microsecond when not whole), times
  // RFC 3339 UTC; a figure the row leaves unset is an empty field, never 0);
  // each line starts with its period_start,period_end. Thread-safe (no desk
  // involved).
  static std::string ToCsv(const v1::ComplianceReport& report);

  // The report's backlog as CSV, a table of its own in the same form (header
  // period_start,period_end,backlog_at,center_id,kind,channel,staff_id,
  // age_bucket,count; backlog_at is the row's `at`).
  static std::string BacklogToCsv(const v1::ComplianceReport& report);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_REPORTS_H_
