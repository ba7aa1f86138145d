// Default implementations of optional Transaction primitives.
#include "servicedesk/store.h"

namespace servicedesk {

absl::StatusOr<int64_t> Transaction::PutOwned(
    absl::string_view table, absl::string_view key, int64_t expected_version,
    std::string&& value, std::vector<IndexEntry>&& indexes) {
  return Put(table, key, expected_version, value, indexes);
}

absl::Status Transaction::AppendEventOwned(std::string&& payload) {
  return AppendEvent(payload);
}

absl::StatusOr<int64_t> Transaction::GetVersion(absl::string_view table,
                                                absl::string_view key) {
  auto r = Get(table, key);
  if (!r.ok()) return r.status();
  return r->version;
}

absl::Status Transaction::ScanKeys(absl::string_view table,
                                   const ScanRange& range,
                                   const KeyVisitor& visit) {
  if (range.index.empty())
    return absl::InvalidArgumentError(
        "ScanKeys: range.index must name an index");
  constexpr size_t kPage = 1024;
  ScanRange page = range;
  size_t seen = 0;
  while (true) {
    page.limit = range.limit == 0 ? kPage : std::min(kPage, range.limit - seen);
    auto rows = Scan(table, page);
    if (!rows.ok()) return rows.status();
    for (const StoredRecord& r : *rows) {
      if (!visit(r.index_key, r.key)) return absl::OkStatus();
    }
    seen += rows->size();
    if (rows->size() < page.limit || (range.limit != 0 && seen >= range.limit))
      return absl::OkStatus();
    page.has_start_after = true;
    page.start_after_index_key = rows->back().index_key;
    page.start_after_key = rows->back().key;
  }
}

}  // namespace servicedesk
