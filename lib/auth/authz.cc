#include "lib/auth/authz.h"

namespace servicedesk::internal {

absl::Status RequireNetworkAdmin(const ResolvedActor& a,
                                 absl::string_view what) {
  if (a.IsNetworkWide()) return absl::OkStatus();
  return PermissionDenied(a, what);
}

absl::Status RequireCenterRole(const ResolvedActor& a,
                               absl::string_view center_id,
                               std::initializer_list<v1::StaffRole> roles,
                               absl::string_view what) {
  if (a.IsNetworkWide()) return absl::OkStatus();
  if (a.IsStaff() && a.center_id == center_id) {
    if (a.HasRole(v1::STAFF_ROLE_CENTER_HEAD)) return absl::OkStatus();
    for (v1::StaffRole r : roles)
      if (a.HasRole(r)) return absl::OkStatus();
  }
  return PermissionDenied(a, what);
}

absl::Status RequireCenterMember(const ResolvedActor& a,
                                 absl::string_view center_id,
                                 absl::string_view what) {
  if (a.IsNetworkWide() || a.center_id == center_id) return absl::OkStatus();
  return PermissionDenied(a, what);
}

absl::Status RequireOrganizationReader(const ResolvedActor& a,
                                       absl::string_view center_id,
                                       absl::string_view organization_id,
                                       absl::string_view what) {
  if (a.IsNetworkWide()) return absl::OkStatus();
  if (a.IsStaff() && a.center_id == center_id) return absl::OkStatus();
  if (a.IsContact() && a.organization_id == organization_id)
    return absl::OkStatus();
  return PermissionDenied(a, what);
}

absl::Status RefuseClients(const ResolvedActor& a, absl::string_view what) {
  if (a.IsContact()) return PermissionDenied(a, what);
  return absl::OkStatus();
}

absl::Status RequireCenterStaff(const ResolvedActor& a,
                                absl::string_view center_id,
                                absl::string_view what) {
  if (a.IsNetworkWide() || (a.IsStaff() && a.center_id == center_id))
    return absl::OkStatus();
  return PermissionDenied(a, what);
}

}  // namespace servicedesk::internal
