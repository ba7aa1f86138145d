// The store indexes of service requests, in one place: every area that saves
// a request (requests, dialogs) uses RequestIndexes; the reports area adds
// its indexes here.
#ifndef SERVICEDESK_LIB_REQUESTS_REQUEST_INDEXES_H_
#define SERVICEDESK_LIB_REQUESTS_REQUEST_INDEXES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/core/tables.h"
#include "servicedesk/proto/requests.pb.h"
#include "servicedesk/store.h"

namespace servicedesk::internal {

// Index names of the "request" table.
//   center        center, registered_at, id number        (List by center)
//   org           organisation, registered_at, id number  (List by org)
//   state         state, registered_at, id number         (List by state)
//   center_state  center, state, registered_at, id number (List by both)
//   assignee      assignee, registered_at, id number      (List by assignee)
//   assignee_open assignee, id number — only while the request is open:
//                 the assignee's load is the number of entries
//   queue         center, registered_at, id number — only while NEW,
//                 unassigned and not a dialog's request: the center's queue
inline constexpr char kByCenter[] = "center";
inline constexpr char kByOrg[] = "org";
inline constexpr char kByState[] = "state";
inline constexpr char kByCenterState[] = "center_state";
inline constexpr char kByAssignee[] = "assignee";
inline constexpr const char* kAssigneeOpen = tables::kRequestAssigneeOpen;
inline constexpr char kQueue[] = "queue";

std::vector<IndexEntry> RequestIndexes(const v1::ServiceRequest& r);

// True for NEW, ASSIGNED, IN_PROGRESS and WAITING_ON_CLIENT.
bool IsOpenState(v1::RequestState s);

// A stretch of time a request was open: [start, end), start its
// registration or reopening, end its resolution or cancellation
// (InfiniteFuture while it is still open).
struct OpenSpan {
  absl::Time start, end;
};

// The request's open stretches, oldest first, from registered_at and the
// state history (the report facts "rf_span", lib/core/report_facts.h).
std::vector<OpenSpan> OpenSpans(const v1::ServiceRequest& r);

// The staff member `r` was assigned to at `t` by its assignment history
// ("" before the first assignment); a view into `r`.
absl::string_view AssigneeAt(const v1::ServiceRequest& r, absl::Time t);

// An enum value's name without its prefix ("UNKNOWN" if nothing is left, as
// for a value the build does not know).
std::string ShortEnumName(std::string name, absl::string_view prefix);

// "RESOLVED" for REQUEST_STATE_RESOLVED (static storage: every save of a
// request indexes it).
absl::string_view StateName(v1::RequestState s);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_REQUESTS_REQUEST_INDEXES_H_
