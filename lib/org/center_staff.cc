#include "lib/org/center_staff.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"

namespace servicedesk::internal {

bool IdLess(const std::string& a, const std::string& b) {
  return std::make_tuple(a.size(), a) < std::make_tuple(b.size(), b);
}

absl::StatusOr<std::vector<v1::StaffMember>> CenterStaff(
    Transaction& tx, absl::string_view center_id) {
  return LoadByPrefix<v1::StaffMember>(tx, tables::kStaff, "center",
                                       KeyJoin({center_id}));
}

absl::StatusOr<std::string> CenterHeads(Transaction& tx,
                                        absl::string_view center_id) {
  ASSIGN_OR_RETURN(auto staff, CenterStaff(tx, center_id));
  std::vector<std::string> ids;
  for (const v1::StaffMember& m : staff)
    if (m.active() && std::find(m.roles().begin(), m.roles().end(),
                                v1::STAFF_ROLE_CENTER_HEAD) != m.roles().end())
      ids.push_back(m.id());
  std::sort(ids.begin(), ids.end(), IdLess);
  std::string out;
  for (const std::string& id : ids)
    absl::StrAppend(&out, out.empty() ? "" : ",", id);
  return out;
}

}  // namespace servicedesk::internal
