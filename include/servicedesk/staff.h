// Center staff: roles and qualifications.
//
// Who may call: Create/Update/Deactivate — network administrators and the head
// of the staff member's center. Get/List — administrators and staff of the
// same center; a client contact may Get its organisation's current personal
// manager only, as a contact card (id, version, center_id, full_name, email,
// phone, active: no roles or qualifications). Client contacts are refused the
// rest. Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal; PERMISSION_DENIED for an unknown or inactive actor or a refused
// call (nothing written). Thread-safe.
#ifndef SERVICEDESK_STAFF_H_
#define SERVICEDESK_STAFF_H_

#include <string>

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

struct StaffFilter {
  std::string center_id;  // "" = every center visible to the actor
  v1::StaffRole role = v1::STAFF_ROLE_UNSPECIFIED;  // unspecified = any
  std::string qualification;  // holds this qualification, unexpired at `at`
  absl::Time at = absl::InfinitePast();  // InfinitePast = now
  bool include_inactive = false;
};

class SD_EXPORT Staff {
 public:
  explicit Staff(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Creates a staff member (center_id, full_name, email, phone, roles,
  // qualifications; text stored without surrounding whitespace).
  // INVALID_ARGUMENT naming the field: empty/over-long name, malformed
  // email/phone, no roles, an unspecified or repeated role, a malformed or
  // repeated qualification code. NOT_FOUND: center. FAILED_PRECONDITION:
  // inactive center. ALREADY_EXISTS: an active staff member with that email
  // exists (letter case ignored, Latin and Russian; internationalized addresses
  // are accepted, as for contacts).
  absl::StatusOr<v1::StaffMember> Create(const Actor& actor,
                                         const v1::StaffMember& member);
  absl::StatusOr<v1::StaffMember> Get(const Actor& actor, absl::string_view id);
  // Replaces full_name, email, phone, roles, qualifications. center_id cannot
  // change. FAILED_PRECONDITION naming "roles" if the personal-manager role is
  // removed while the member is some active organisation's current manager,
  // or the ENGINEER role while the member is the engineer of SCHEDULED visits
  // whose slot has not ended; naming "qualifications" if the member would no
  // longer hold, until such a visit's slot ends, the qualification its
  // request's kind requires (removed, or a valid_until moved before the slot
  // end): the checks TechSupport::ScheduleVisit made when booking keep
  // holding. The first few visits are named; cancel them (or mark done those
  // that have begun) first. ABORTED if stale. A member sent back unchanged
  // (after trimming) is returned as stored, same version and updated_at,
  // with no "updated" event: other holders' copies stay current.
  absl::StatusOr<v1::StaffMember> Update(const Actor& actor,
                                         const v1::StaffMember& member);
  // FAILED_PRECONDITION while the member is an active organisation's manager,
  // while open requests (dialogs' included) are assigned to the member, or
  // while the member is the engineer of SCHEDULED visits whose slot has not
  // ended (under way or ahead), naming the first few requests or visits:
  // reassign the requests, and cancel the visits (or mark done those that
  // have begun) first, so that no client waits for someone who can no longer
  // act. A SCHEDULED visit whose slot is over does not hold the member back.
  absl::StatusOr<v1::StaffMember> Deactivate(const Actor& actor,
                                             absl::string_view id);
  // In name order within each center (as Organizations::List). A filter's
  // center_id that no center
  // has is NOT_FOUND; staff naming another center get PERMISSION_DENIED.
  absl::StatusOr<Page<v1::StaffMember>> List(const Actor& actor,
                                             const StaffFilter& filter = {},
                                             const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

// True if `member` holds qualification `code` valid at `at`.
SD_EXPORT bool HasValidQualification(const v1::StaffMember& member,
                                     absl::string_view code, absl::Time at);

}  // namespace servicedesk

#endif  // SERVICEDESK_STAFF_H_
