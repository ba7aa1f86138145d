// Keeps derived index entries in step with the library: when a release
// changes how an area indexes its records (new indexes, a new report fact
// encoding), stores written by an older release are re-indexed once, when a
// desk opens them.
#ifndef SERVICEDESK_LIB_MAINTENANCE_INDEX_FORMAT_H_
#define SERVICEDESK_LIB_MAINTENANCE_INDEX_FORMAT_H_

#include "absl/status/status.h"
#include "lib/core/desk_context.h"

namespace servicedesk::internal {

// The index format this library writes. 2: binary report facts (rf_*) and
// the staff "assign" index. 3: facts keyed by 10-second span first, rf_reg
// and rf_stop bucketed by span. 4: rf_breach for every breached clock (also
// stopped late) at its breach instant, no facts for any clock of a cancelled
// request, rf_span (open stretches) instead of rf_open. 5: rf_span carries
// the channel and the stretch's assignee. 6: rf_span split where the
// assignee changed, each piece with its start (report_facts::SpanStaff).
// 7: rf_stop carries the business time in microseconds, not whole seconds.
// 8: name order folds Russian letters' case and Ё (NameKey); an INN is
// unique among active organisations only; a request's visits, and a
// subject's clocks, of one start in creation order.
inline constexpr int kIndexFormat = 8;

// If the store's recorded index format (record "index_format" of table
// "meta") is older than kIndexFormat, rewrites the index entries of every
// staff member, organisation, contact, service request, visit and SLA clock
// (values unchanged, versions
// bumped by one) in transactions of a few hundred records, then records the
// format. Clocks of cancelled requests that were stopped before the
// cancellation are marked cancelled on the way (what cancelling does since
// format 4). A store already at kIndexFormat costs one read.
// FAILED_PRECONDITION if the store was written by a newer library.
absl::Status UpgradeIndexes(DeskContext& ctx);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_MAINTENANCE_INDEX_FORMAT_H_
