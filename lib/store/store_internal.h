// Helpers shared by the store backends (not part of the public API).
#ifndef SERVICEDESK_LIB_STORE_STORE_INTERNAL_H_
#define SERVICEDESK_LIB_STORE_STORE_INTERNAL_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "servicedesk/store.h"

// Local macros: lib/core has its own; these are prefixed so both can coexist.
#define SD_STORE_CONCAT_INNER_(a, b) a##b
#define SD_STORE_CONCAT_(a, b) SD_STORE_CONCAT_INNER_(a, b)

#define SD_STORE_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::absl::Status sd_store_status_ = (expr);            \
    if (!sd_store_status_.ok()) return sd_store_status_; \
  } while (0)

#define SD_STORE_ASSIGN_OR_RETURN(lhs, expr)                                \
  SD_STORE_ASSIGN_OR_RETURN_IMPL_(SD_STORE_CONCAT_(sd_store_or_, __LINE__), \
                                  lhs, expr)
#define SD_STORE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = std::move(tmp).value()

namespace servicedesk {
namespace store_internal {

// Argument checks every backend applies identically, so that the conformance
// suite sees the same errors everywhere.
inline absl::Status ValidatePut(absl::string_view table, absl::string_view key,
                                int64_t expected_version,
                                absl::Span<const IndexEntry> indexes) {
  if (table.empty()) return absl::InvalidArgumentError("empty table name");
  if (key.empty()) return absl::InvalidArgumentError("empty record key");
  if (expected_version < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("negative expected_version ", expected_version));
  }
  for (const IndexEntry& e : indexes) {
    if (e.index.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("empty index name in entry for ", table, "/", key));
    }
    if (e.bucket > 0 && e.unique) {
      return absl::InvalidArgumentError(absl::StrCat(
          "index '", e.index, "': a unique entry cannot be bucketed"));
    }
    if (e.key.size() < e.bucket) {
      return absl::InvalidArgumentError(
          absl::StrCat("index '", e.index, "': key shorter than its bucket (",
                       static_cast<int>(e.bucket), " bytes)"));
    }
  }
  return absl::OkStatus();
}

inline absl::Status VersionMismatch(absl::string_view table,
                                    absl::string_view key, int64_t expected,
                                    int64_t actual) {
  if (expected == 0) {
    return absl::AbortedError(absl::StrCat(
        table, "/", key, " already exists (version ", actual, ")"));
  }
  if (actual == 0) {
    return absl::AbortedError(absl::StrCat(
        table, "/", key, " does not exist (expected version ", expected, ")"));
  }
  return absl::AbortedError(absl::StrCat("stale version for ", table, "/", key,
                                         ": expected ", expected, ", stored ",
                                         actual));
}

inline absl::Status UniqueCollision(absl::string_view table,
                                    absl::string_view index,
                                    absl::string_view key) {
  return absl::AlreadyExistsError(
      absl::StrCat("unique index ", table, ".", index,
                   " already has this key (record ", key, ")"));
}

// True if (ikey, key) lies strictly after the resume position of `range`.
inline bool AfterStart(const ScanRange& range, absl::string_view ikey,
                       absl::string_view key) {
  if (!range.has_start_after) return true;
  int c = ikey.compare(range.start_after_index_key);
  if (c != 0) return c > 0;
  return key.compare(range.start_after_key) > 0;
}

// Tests only: caps a SQLite store's file at its current size (PRAGMA
// max_page_count on the store's writer connection, the one its writes use),
// so that a write needing a new page fails as on a full disk; cap = false
// lifts the cap. INVALID_ARGUMENT for another backend.
absl::Status CapSqliteFileForTesting(Store& store, bool cap);

}  // namespace store_internal
}  // namespace servicedesk

#endif  // SERVICEDESK_LIB_STORE_STORE_INTERNAL_H_
