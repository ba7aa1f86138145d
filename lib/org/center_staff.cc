#include "lib/org/center_staff.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/time_util.h"

namespace servicedesk::internal {

namespace {

constexpr char kAssignIndex[] = "assign";

std::string RoleNumber(v1::StaffRole role) {
  return absl::StrCat(static_cast<int>(role));
}

}  // namespace

std::vector<IndexEntry> AssignmentIndexes(const v1::StaffMember& m) {
  // Keys: center, role, qualification code ("" for the role alone), then the
  // qualification's expiry.
  std::vector<IndexEntry> idx;
  if (!m.active()) return idx;
  idx.reserve(m.roles_size() * (1 + m.qualifications_size()));
  for (int role : m.roles()) {
    const std::string r = RoleNumber(static_cast<v1::StaffRole>(role));
    AddIndexEntry(idx, kAssignIndex, {m.center_id(), r, ""});
    for (const v1::Qualification& q : m.qualifications()) {
      const absl::Time until = q.has_valid_until() ? FromProto(q.valid_until())
                                                   : absl::InfiniteFuture();
      char expiry[8];
      EncodeOrderedInt64To(absl::ToUnixNanos(until), expiry);
      AddIndexEntry(idx, kAssignIndex, {m.center_id(), r, q.code()},
                    absl::string_view(expiry, 8));
    }
  }
  return idx;
}

absl::StatusOr<std::vector<std::string>> EligibleStaff(
    Transaction& tx, absl::string_view center_id, v1::StaffRole role,
    absl::string_view qualification, absl::Time at) {
  ScanRange range;
  range.index = kAssignIndex;
  range.lower = KeyJoin({center_id, RoleNumber(role), qualification});
  range.upper = PrefixEnd(range.lower);
  if (!qualification.empty()) {
    // Only qualifications valid after `at`: the expiry follows the prefix, in
    // nanoseconds (a Timestamp's precision; int64 covers 1678-2262, and
    // later instants saturate, like "never expires").
    const int64_t at_ns = absl::ToUnixNanos(at);
    range.lower += EncodeOrderedInt64(
        at_ns == std::numeric_limits<int64_t>::max() ? at_ns : at_ns + 1);
  }
  std::vector<std::string> ids;
  RETURN_IF_ERROR(tx.ScanKeys(tables::kStaff, range,
                              [&](absl::string_view, absl::string_view key) {
                                ids.emplace_back(key);
                                return true;
                              }));
  return ids;
}

absl::StatusOr<int64_t> OpenLoad(Transaction& tx, absl::string_view staff_id,
                                 std::vector<std::string>* first, size_t keep) {
  ScanRange range;
  range.index = tables::kRequestAssigneeOpen;
  range.lower = KeyJoin({staff_id});
  range.upper = PrefixEnd(range.lower);
  int64_t n = 0;
  RETURN_IF_ERROR(tx.ScanKeys(tables::kRequest, range,
                              [&](absl::string_view, absl::string_view key) {
                                if (first != nullptr && first->size() < keep)
                                  first->emplace_back(key);
                                ++n;
                                return true;
                              }));
  return n;
}

absl::StatusOr<std::string> CenterHeads(Transaction& tx,
                                        absl::string_view center_id) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   EligibleStaff(tx, center_id, v1::STAFF_ROLE_CENTER_HEAD, "",
                                 absl::InfinitePast()));
  std::sort(
      ids.begin(), ids.end(),
      [](const std::string& a, const std::string& b) { return IdLess(a, b); });
  std::string out;
  for (const std::string& id : ids)
    absl::StrAppend(&out, out.empty() ? "" : ",", id);
  return out;
}

}  // namespace servicedesk::internal
