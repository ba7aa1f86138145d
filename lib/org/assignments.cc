#include "lib/org/assignments.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"

namespace servicedesk::internal {
namespace {

std::vector<IndexEntry> AssignmentIndexes(const v1::ManagerAssignment& a) {
  return {{"org", KeyJoin({a.organization_id()}) +
                      EncodeOrderedInt64(
                          absl::ToUnixMicros(FromProto(a.valid_from())))}};
}

}  // namespace

std::vector<IndexEntry> OrganizationIndexes(const v1::Organization& o) {
  std::vector<IndexEntry> idx = {
      {"center", KeyJoin({o.center_id(), NameKey(o.name())})}};
  // Unique among active organisations: a client whose contract ended may
  // sign again, as a new organisation with the same INN.
  if (o.active()) idx.push_back({"tax_id", o.tax_id(), /*unique=*/true});
  if (o.active() && !o.manager_id().empty())
    idx.push_back({"manager", KeyJoin({o.manager_id(), NameKey(o.name())})});
  return idx;
}

std::vector<IndexEntry> ContactIndexes(const v1::Contact& c) {
  std::vector<IndexEntry> idx = {
      {"org", KeyJoin({c.organization_id(), NameKey(c.full_name())})}};
  if (c.active()) idx.push_back({"email", internal::EmailKey(c.email()), true});
  return idx;
}

absl::StatusOr<v1::StaffMember> LoadEligibleManager(
    Transaction& tx, absl::string_view center_id,
    absl::string_view manager_id) {
  ASSIGN_OR_RETURN(auto m, LoadRecord<v1::StaffMember>(
                               tx, tables::kStaff, manager_id, "manager_id"));
  if (!m.active())
    return absl::FailedPreconditionError(absl::StrCat(
        "manager_id: staff member '", manager_id, "' is inactive"));
  if (m.center_id() != center_id)
    return absl::FailedPreconditionError(absl::StrCat(
        "manager_id: staff member '", manager_id, "' belongs to center '",
        m.center_id(), "', not the organization's center '", center_id, "'"));
  if (std::find(m.roles().begin(), m.roles().end(),
                v1::STAFF_ROLE_PERSONAL_MANAGER) == m.roles().end())
    return absl::FailedPreconditionError(
        absl::StrCat("manager_id: staff member '", manager_id,
                     "' lacks the personal-manager role"));
  return m;
}

absl::StatusOr<v1::ManagerAssignment> OpenAssignment(
    TxScope& s, v1::Organization& org, const v1::StaffMember& manager,
    absl::string_view reason, absl::Time from) {
  v1::ManagerAssignment a;
  ASSIGN_OR_RETURN(*a.mutable_id(), s.NewId("assignment"));
  a.set_organization_id(org.id());
  a.set_manager_id(manager.id());
  *a.mutable_valid_from() = ToProto(from);
  a.set_reason(std::string(reason));
  RETURN_IF_ERROR(
      SaveRecord(s, tables::kManagerAssignment, a, AssignmentIndexes(a)));
  org.set_manager_id(manager.id());
  s.Emit("manager_assignment", a.id(), "opened", a.version(), org.center_id(),
         org.id(),
         {{"manager_id", manager.id()}, {"reason", std::string(reason)}});
  return a;
}

absl::StatusOr<absl::Time> CloseAssignment(TxScope& s, v1::Organization& org,
                                           absl::string_view reason) {
  ASSIGN_OR_RETURN(auto all, AssignmentsOf(s.tx(), org.id()));
  absl::Time end = s.now();
  for (v1::ManagerAssignment& a : all) {
    if (a.has_valid_to()) continue;
    // A node whose clock lags the one that opened it ends it no earlier
    // than it began (an empty stretch then): the history stays in order.
    end = std::max(end, FromProto(a.valid_from()));
    *a.mutable_valid_to() = ToProto(end);
    a.set_end_reason(std::string(reason));
    RETURN_IF_ERROR(
        SaveRecord(s, tables::kManagerAssignment, a, AssignmentIndexes(a)));
    s.Emit("manager_assignment", a.id(), "closed", a.version(), org.center_id(),
           org.id(),
           {{"manager_id", a.manager_id()}, {"reason", std::string(reason)}});
  }
  org.clear_manager_id();
  return end;
}

absl::StatusOr<std::vector<v1::ManagerAssignment>> AssignmentsOf(
    Transaction& tx, absl::string_view organization_id) {
  return LoadByPrefix<v1::ManagerAssignment>(tx, tables::kManagerAssignment,
                                             "org", KeyJoin({organization_id}));
}

absl::StatusOr<int64_t> CountManagedClients(Transaction& tx,
                                            absl::string_view manager_id) {
  ScanRange r;
  r.index = "manager";
  r.lower = KeyJoin({manager_id});
  r.upper = PrefixEnd(r.lower);
  ASSIGN_OR_RETURN(auto rows, tx.Scan(tables::kOrganization, r));
  return static_cast<int64_t>(rows.size());
}

}  // namespace servicedesk::internal
