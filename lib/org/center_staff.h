// Queries over a center's staff shared by the areas that route work to
// people (request assignment, SLA escalation).
#ifndef SERVICEDESK_LIB_ORG_CENTER_STAFF_H_
#define SERVICEDESK_LIB_ORG_CENTER_STAFF_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/store.h"

namespace servicedesk::internal {

// Ids of the center's active heads in id order, comma-separated ("" if none),
// from the "assign" index.
absl::StatusOr<std::string> CenterHeads(Transaction& tx,
                                        absl::string_view center_id);

// Number of open requests assigned to `staff_id` (the requests' index
// tables::kRequestAssigneeOpen): the member's load. The first `keep` of
// their ids go to `first` when given.
absl::StatusOr<int64_t> OpenLoad(Transaction& tx, absl::string_view staff_id,
                                 std::vector<std::string>* first = nullptr,
                                 size_t keep = 0);

// Every index entry of a staff member record (by center and name, unique
// e-mail while active, and AssignmentIndexes).
std::vector<IndexEntry> StaffIndexes(const v1::StaffMember& m);

// The staff "assign" index entries of `m` (none while inactive): one per
// role, and one per (role, qualification) keyed with the qualification's
// expiry, so that routing finds who may take a kind of work without reading
// staff records. StaffIndexes adds them to every saved staff member.
std::vector<IndexEntry> AssignmentIndexes(const v1::StaffMember& m);

// Ids of the center's active staff holding `role` and, unless
// `qualification` is empty, that qualification unexpired at `at`; from the
// "assign" index alone, in index order.
absl::StatusOr<std::vector<std::string>> EligibleStaff(
    Transaction& tx, absl::string_view center_id, v1::StaffRole role,
    absl::string_view qualification, absl::Time at);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_ORG_CENTER_STAFF_H_
