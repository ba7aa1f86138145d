// Visit machinery other areas run inside their own transaction.
#ifndef SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
#define SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/core/desk_context.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk::internal {

// A visit's index entries: by request (slot order), and while scheduled by
// engineer (ascending and descending slot start, for the overlap check).
std::vector<IndexEntry> VisitIndexes(const v1::Visit& v);

// The SCHEDULED visits of request `request_id`, in slot order.
absl::StatusOr<std::vector<v1::Visit>> ScheduledVisitsTx(
    TxScope& s, absl::string_view request_id);

// Number of SCHEDULED visits of engineer `engineer_id` whose slot has not
// ended at `now` (under way or ahead), from the engineer's slot indexes: the
// visits starting at or after `now`, and the one before it if still under
// way (an engineer's scheduled visits never overlap, so no earlier one can
// be). The first `keep` of their ids, in slot order, go to `first` when
// given.
absl::StatusOr<int64_t> PendingVisits(Transaction& tx,
                                      absl::string_view engineer_id,
                                      absl::Time now,
                                      std::vector<std::string>* first = nullptr,
                                      size_t keep = 0);

// Of the visits PendingVisits counts, those that engineer `m`, as a change
// would leave it, no longer qualifies for: it would not hold the
// qualification their request's kind requires until the slot ends, as
// TechSupport::ScheduleVisit demands. Counted and listed as PendingVisits.
absl::StatusOr<int64_t> UnqualifiedVisits(
    Transaction& tx, const v1::StaffMember& m, absl::Time now,
    std::vector<std::string>* first = nullptr, size_t keep = 0);

// Cancels every SCHEDULED visit of request `request_id` with `reason`, so a
// cancelled request no longer holds its engineers' slots. Emits a "visit
// cancelled" event per visit. Runs in the caller's transaction.
absl::Status CancelScheduledVisitsTx(TxScope& s, absl::string_view request_id,
                                     absl::string_view reason);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
