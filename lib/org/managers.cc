#include "servicedesk/managers.h"

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/time_util.h"
#include "lib/core/validate.h"
#include "lib/org/assignments.h"

namespace servicedesk {
namespace {
using internal::LoadRecord;
using internal::TxScope;
namespace tables = internal::tables;

absl::StatusOr<v1::Organization> LoadReadable(TxScope& s,
                                              absl::string_view org_id) {
  ASSIGN_OR_RETURN(auto o,
                   internal::LoadVisibleRecord<v1::Organization>(
                       s, tables::kOrganization, org_id, "organization_id"));
  RETURN_IF_ERROR(internal::RequireOrganizationReader(
      s.actor(), o.center_id(), o.id(), "read this organization's managers"));
  return o;
}
}  // namespace

absl::StatusOr<v1::ManagerAssignment> Managers::Reassign(
    const Actor& actor, absl::string_view organization_id,
    absl::string_view manager_id, absl::string_view reason) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ManagerAssignment> {
        RETURN_IF_ERROR(
            internal::RefuseClients(s.actor(), "reassign personal managers"));
        ASSIGN_OR_RETURN(auto o, LoadRecord<v1::Organization>(
                                     s.tx(), tables::kOrganization,
                                     organization_id, "organization_id"));
        RETURN_IF_ERROR(internal::RequireCenterRole(
            s.actor(), o.center_id(), {}, "reassign personal managers"));
        RETURN_IF_ERROR(internal::CheckFreeText("reason", reason, 1, 500));
        if (!o.active())
          return absl::FailedPreconditionError(absl::StrCat(
              "organization_id: organization '", o.id(), "' is inactive"));
        ASSIGN_OR_RETURN(auto manager, internal::LoadEligibleManager(
                                           s.tx(), o.center_id(), manager_id));
        if (o.manager_id() == manager.id())
          return absl::FailedPreconditionError(absl::StrCat(
              "manager_id: '", manager.id(),
              "' already is the personal manager of '", o.id(), "'"));
        ASSIGN_OR_RETURN(absl::Time at,
                         internal::CloseAssignment(s, o, reason));
        ASSIGN_OR_RETURN(auto opened,
                         internal::OpenAssignment(s, o, manager, reason, at));
        RETURN_IF_ERROR(internal::SaveRecord(s, tables::kOrganization, o,
                                             internal::OrganizationIndexes(o)));
        s.Emit("organization", o.id(), "manager_changed", o.version(),
               o.center_id(), o.id(), {{"manager_id", manager.id()}});
        return opened;
      });
}

absl::StatusOr<v1::ManagerAssignment> Managers::Current(
    const Actor& actor, absl::string_view organization_id) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ManagerAssignment> {
        ASSIGN_OR_RETURN(auto o, LoadReadable(s, organization_id));
        ASSIGN_OR_RETURN(auto all, internal::AssignmentsOf(s.tx(), o.id()));
        for (auto& a : all)
          if (!a.has_valid_to()) return a;
        return absl::NotFoundError(
            absl::StrCat("organization_id: organization '", o.id(),
                         "' has no current manager (inactive)"));
      });
}

absl::StatusOr<v1::ManagerAssignment> Managers::At(
    const Actor& actor, absl::string_view organization_id, absl::Time at) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ManagerAssignment> {
        ASSIGN_OR_RETURN(auto o, LoadReadable(s, organization_id));
        ASSIGN_OR_RETURN(auto all, internal::AssignmentsOf(s.tx(), o.id()));
        for (auto& a : all) {
          if (internal::FromProto(a.valid_from()) > at) continue;
          if (a.has_valid_to() && internal::FromProto(a.valid_to()) <= at)
            continue;
          return a;
        }
        return absl::NotFoundError(absl::StrCat("at: organization '", o.id(),
                                                "' had no personal manager at ",
                                                internal::FormatUtc(at)));
      });
}

absl::StatusOr<std::vector<v1::ManagerAssignment>> Managers::History(
    const Actor& actor, absl::string_view organization_id) {
  return ctx_->Read(
      actor,
      [&](TxScope& s) -> absl::StatusOr<std::vector<v1::ManagerAssignment>> {
        ASSIGN_OR_RETURN(auto o, LoadReadable(s, organization_id));
        return internal::AssignmentsOf(s.tx(), o.id());
      });
}

absl::StatusOr<Page<v1::Organization>> Managers::Clients(
    const Actor& actor, absl::string_view manager_id, const PageRequest& page) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Organization>> {
        ASSIGN_OR_RETURN(auto m,
                         LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                     manager_id, "manager_id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), m.center_id(), "list a manager's clients"));
        std::string lower = internal::KeyJoin({m.id()});
        return internal::ScanPage<v1::Organization>(
            s.tx(), tables::kOrganization, "manager", lower,
            internal::PrefixEnd(lower), {}, page, nullptr);
      });
}

}  // namespace servicedesk
