// Who may do what. Every service method calls one of these before it reads
// or writes anything it returns; each returns PERMISSION_DENIED (naming the
// actor and the action) or OK.
//
// Rules: network administrators (and the library's system actor) — everything;
// a center head — everything in their own center; other staff — read their
// own center, write what their roles allow; client contacts — their own
// organisation only.
#ifndef SERVICEDESK_LIB_AUTH_AUTHZ_H_
#define SERVICEDESK_LIB_AUTH_AUTHZ_H_

#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/core/desk_context.h"

namespace servicedesk::internal {

// Network-wide actors only.
absl::Status RequireNetworkAdmin(const ResolvedActor& a,
                                 absl::string_view what);

// Network-wide actors, or staff of `center_id` holding one of `roles`
// (the center head always qualifies).
absl::Status RequireCenterRole(const ResolvedActor& a,
                               absl::string_view center_id,
                               std::initializer_list<v1::StaffRole> roles,
                               absl::string_view what);

// Network-wide actors, or any staff member or contact of `center_id`.
absl::Status RequireCenterMember(const ResolvedActor& a,
                                 absl::string_view center_id,
                                 absl::string_view what);

// Network-wide actors, any staff of the organisation's center, or a contact
// of that organisation.
absl::Status RequireOrganizationReader(const ResolvedActor& a,
                                       absl::string_view center_id,
                                       absl::string_view organization_id,
                                       absl::string_view what);

// Network-wide actors and staff: a client contact is refused before the
// call loads anything, so a staff-only call tells it nothing of which ids
// exist.
absl::Status RefuseClients(const ResolvedActor& a, absl::string_view what);

// Network-wide actors or any staff of `center_id` (client contacts refused).
absl::Status RequireCenterStaff(const ResolvedActor& a,
                                absl::string_view center_id,
                                absl::string_view what);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_AUTH_AUTHZ_H_
