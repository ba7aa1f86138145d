// Personal managers: every active client organisation has exactly one current
// manager, a personal manager of its own center. Reassignment closes the old
// assignment and opens the new one; the history answers "who was the manager
// on date D".
//
// Who may call: Reassign — network administrators and the head of the
// organisation's center. Reads — administrators, staff of the organisation's
// center, and the organisation's own contacts.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal; PERMISSION_DENIED for an unknown or inactive actor or a refused
// call (nothing written); for a client contact another organisation reads as
// an unknown id (NOT_FOUND). Thread-safe.
#ifndef SERVICEDESK_MANAGERS_H_
#define SERVICEDESK_MANAGERS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/org.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

class SD_EXPORT Managers {
 public:
  explicit Managers(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Makes `manager_id` the organisation's manager from now on (from the old
  // assignment's start, where it also ends, if this node's clock is behind
  // it: the history stays in order).
  // INVALID_ARGUMENT: empty reason (field "reason"). NOT_FOUND: organisation or
  // manager. FAILED_PRECONDITION: inactive organisation; the manager is
  // inactive, of another center, lacks the personal-manager role, or already is
  // the current manager. Returns the new assignment.
  absl::StatusOr<v1::ManagerAssignment> Reassign(
      const Actor& actor, absl::string_view organization_id,
      absl::string_view manager_id, absl::string_view reason);

  // The open assignment. NOT_FOUND for an inactive organisation.
  absl::StatusOr<v1::ManagerAssignment> Current(
      const Actor& actor, absl::string_view organization_id);

  // The assignment in force at `at` (valid_from <= at < valid_to). NOT_FOUND
  // if the organisation had no manager then.
  absl::StatusOr<v1::ManagerAssignment> At(const Actor& actor,
                                           absl::string_view organization_id,
                                           absl::Time at);

  // Every assignment of the organisation, oldest first.
  absl::StatusOr<std::vector<v1::ManagerAssignment>> History(
      const Actor& actor, absl::string_view organization_id);

  // Active organisations whose current manager is `manager_id`.
  absl::StatusOr<Page<v1::Organization>> Clients(const Actor& actor,
                                                 absl::string_view manager_id,
                                                 const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_MANAGERS_H_
