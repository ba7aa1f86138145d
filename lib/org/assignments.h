// Personal-manager assignment rules shared by Organizations (first
// assignment, closing on deactivation), Staff (role/activity checks) and
// Managers (reassignment).
#ifndef SERVICEDESK_LIB_ORG_ASSIGNMENTS_H_
#define SERVICEDESK_LIB_ORG_ASSIGNMENTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lib/core/desk_context.h"
#include "servicedesk/proto/org.pb.h"

namespace servicedesk::internal {

// The index entries of client records (organisations and their contacts).
std::vector<IndexEntry> OrganizationIndexes(const v1::Organization& o);
std::vector<IndexEntry> ContactIndexes(const v1::Contact& c);

// Loads `manager_id` and checks it may manage clients of `center_id`.
absl::StatusOr<v1::StaffMember> LoadEligibleManager(
    Transaction& tx, absl::string_view center_id, absl::string_view manager_id);

// Opens an assignment of `org` to `manager` from `from`; sets
// org.manager_id (the caller saves org). Emits "manager_assignment opened".
absl::StatusOr<v1::ManagerAssignment> OpenAssignment(
    TxScope& s, v1::Organization& org, const v1::StaffMember& manager,
    absl::string_view reason, absl::Time from);

// Closes the organisation's open assignment with `reason` at now, or at its
// start if this node's clock is behind it; returns that instant (now if
// none was open), where a following assignment starts. Clears
// org.manager_id (the caller saves org).
absl::StatusOr<absl::Time> CloseAssignment(TxScope& s, v1::Organization& org,
                                           absl::string_view reason);

// Every assignment of an organisation, oldest first.
absl::StatusOr<std::vector<v1::ManagerAssignment>> AssignmentsOf(
    Transaction& tx, absl::string_view organization_id);

// Number of active organisations whose current manager is `manager_id`.
absl::StatusOr<int64_t> CountManagedClients(Transaction& tx,
                                            absl::string_view manager_id);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_ORG_ASSIGNMENTS_H_
