// Visit machinery other areas run inside their own transaction.
#ifndef SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
#define SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/core/desk_context.h"

namespace servicedesk::internal {

// Cancels every SCHEDULED visit of request `request_id` with `reason`, so a
// cancelled request no longer holds its engineers' slots. Emits a "visit
// cancelled" event per visit. Runs in the caller's transaction.
absl::Status CancelScheduledVisitsTx(TxScope& s, absl::string_view request_id,
                                     absl::string_view reason);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_TECHSUPPORT_VISITS_H_
