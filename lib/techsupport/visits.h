// Visit machinery other areas run inside their own transaction.
#ifndef SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
#define SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lib/core/desk_context.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk::internal {

// A visit's index entries: by request (slot order), and while scheduled by
// engineer (ascending and descending slot start, for the overlap check).
std::vector<IndexEntry> VisitIndexes(const v1::Visit& v);

// The SCHEDULED visits of request `request_id`, in slot order.
absl::StatusOr<std::vector<v1::Visit>> ScheduledVisitsTx(
    TxScope& s, absl::string_view request_id);

// Cancels every SCHEDULED visit of request `request_id` with `reason`, so a
// cancelled request no longer holds its engineers' slots. Emits a "visit
// cancelled" event per visit. Runs in the caller's transaction.
absl::Status CancelScheduledVisitsTx(TxScope& s, absl::string_view request_id,
                                     absl::string_view reason);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
