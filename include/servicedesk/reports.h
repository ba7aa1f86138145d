// The Quality Standard audit: compliance reports per center, kind, channel,
// staff member and period.
//
// Definitions (docs/requests.md, "Compliance reports"):
//  * requests — service requests registered in [from, to);
//  * met / breached — SLA resolution clocks stopped in [from, to), met or
//    breached in business time, plus clocks still open at `to` whose breach
//    instant lies in [from, to) (counted breached); cancelled requests are
//    left out; first_response_met/breached likewise for first-response clocks;
//  * compliance_pct = 100 × met / (met + breached);
//  * p50/p90 — nearest-rank percentiles of the business time run by the
//    clocks stopped in the period;
//  * satisfaction — ratings given in [from, to);
//  * backlog — requests open now, registered before `to`, by age at `to`.
// Rows are grouped by the query's by_* flags (a field not grouped on is left
// empty in the row); rows come sorted by their group fields.
//
// Aggregation reads index keys only (Transaction::ScanKeys), never record
// bodies: a report over a million requests stays within a second on SQLite.
//
// Who may call: network administrators (every center); staff of a center
// (their own center only: center_id must be empty or their own). Client
// contacts are refused. Errors: INVALID_ARGUMENT for from >= to or no
// timestamps; PERMISSION_DENIED. Thread-safe.
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

  // The report's rows as CSV (RFC 4180, header line first; durations in
  // seconds, times RFC 3339 UTC). The backlog follows after an empty line with
  // its own header.
  static std::string ToCsv(const v1::ComplianceReport& report);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_REPORTS_H_
