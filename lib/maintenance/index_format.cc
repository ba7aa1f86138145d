#include "lib/maintenance/index_format.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/org/assignments.h"
#include "lib/org/center_staff.h"
#include "lib/requests/request_indexes.h"
#include "lib/sla/clock_engine.h"
#include "lib/techsupport/visits.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/proto/requests.pb.h"
#include "servicedesk/proto/sla.pb.h"

namespace servicedesk::internal {
namespace {

constexpr char kMetaTable[] = "meta";
constexpr char kFormatKey[] = "index_format";
constexpr size_t kBatch = 500;

// The stored format and version of the meta record (0, 0 if none).
absl::Status ReadFormat(Transaction& tx, int* format, int64_t* version) {
  *format = 0;
  *version = 0;
  auto stored = tx.Get(kMetaTable, kFormatKey);
  if (absl::IsNotFound(stored.status())) return absl::OkStatus();
  if (!stored.ok()) return stored.status();
  if (!absl::SimpleAtoi(stored->value, format))
    return absl::DataLossError("meta/index_format: unreadable");
  *version = stored->version;
  return absl::OkStatus();
}

// The index entries of `row`; may also rewrite row->value (a fix that a
// format change implies for stored records).
using Reindex = std::function<absl::StatusOr<std::vector<IndexEntry>>(
    Transaction&, StoredRecord*)>;

template <typename M>
Reindex With(std::vector<IndexEntry> (*indexes)(const M&)) {
  return
      [indexes](Transaction&,
                StoredRecord* row) -> absl::StatusOr<std::vector<IndexEntry>> {
        ASSIGN_OR_RETURN(M m, ParseStored<M>("", *row));
        return indexes(m);
      };
}

// Re-puts every record of `table` with the entries `reindex` computes.
absl::Status ReindexTable(Store& store, const char* table,
                          const Reindex& reindex) {
  ScanRange range;  // the primary key, in batches
  range.limit = kBatch;
  while (true) {
    ASSIGN_OR_RETURN(auto tx, store.Begin(TxMode::kReadWrite));
    ASSIGN_OR_RETURN(std::vector<StoredRecord> rows, tx->Scan(table, range));
    for (StoredRecord& row : rows) {
      ASSIGN_OR_RETURN(std::vector<IndexEntry> idx, reindex(*tx, &row));
      RETURN_IF_ERROR(
          tx->Put(table, row.key, row.version, row.value, idx).status());
    }
    RETURN_IF_ERROR(tx->Commit().status());
    if (rows.size() < kBatch) return absl::OkStatus();
    range.has_start_after = true;
    range.start_after_index_key = rows.back().key;
    range.start_after_key = rows.back().key;
  }
}

}  // namespace

absl::Status UpgradeIndexes(DeskContext& ctx) {
  Store& store = *ctx.store;
  int format = 0;
  int64_t version = 0;
  {
    ASSIGN_OR_RETURN(auto tx, store.Begin(TxMode::kReadOnly));
    RETURN_IF_ERROR(ReadFormat(*tx, &format, &version));
  }
  if (format == kIndexFormat) return absl::OkStatus();
  if (format > kIndexFormat)
    return absl::FailedPreconditionError(
        absl::StrCat("store: index format ", format,
                     " is newer than this library's ", kIndexFormat));
  RETURN_IF_ERROR(ReindexTable(store, tables::kStaff, With(&StaffIndexes)));
  RETURN_IF_ERROR(
      ReindexTable(store, tables::kOrganization, With(&OrganizationIndexes)));
  RETURN_IF_ERROR(ReindexTable(store, tables::kContact, With(&ContactIndexes)));
  RETURN_IF_ERROR(ReindexTable(store, tables::kRequest, With(&RequestIndexes)));
  RETURN_IF_ERROR(ReindexTable(store, tables::kVisit, With(&VisitIndexes)));
  RETURN_IF_ERROR(ReindexTable(
      store, tables::kSlaClock,
      [&](Transaction& tx,
          StoredRecord* row) -> absl::StatusOr<std::vector<IndexEntry>> {
        ASSIGN_OR_RETURN(auto c, ParseStored<v1::TargetClock>("", *row));
        // Before format 4 cancelling a request cancelled only its open
        // clocks: a first-response clock stopped before the cancellation
        // still counted in compliance reports. Cancel it as CancelClocksTx
        // now does (keeping what was measured).
        if (!c.cancelled()) {
          auto subject = tx.Get(tables::kRequest, c.subject_id());
          if (subject.ok()) {
            ASSIGN_OR_RETURN(auto r, ParseStored<v1::ServiceRequest>(
                                         tables::kRequest, *subject));
            if (r.state() == v1::REQUEST_STATE_CANCELLED) {
              c.set_cancelled(true);
              row->value = c.SerializeAsString();
            }
          } else if (!absl::IsNotFound(subject.status())) {
            return subject.status();  // not a request's clock if NOT_FOUND
          }
        }
        return ClockIndexesTx(ctx, tx, c);
      }));
  ASSIGN_OR_RETURN(auto tx, store.Begin(TxMode::kReadWrite));
  // Re-read: another desk on the same file may have upgraded meanwhile.
  RETURN_IF_ERROR(ReadFormat(*tx, &format, &version));
  if (format == kIndexFormat) return absl::OkStatus();
  RETURN_IF_ERROR(
      tx->Put(kMetaTable, kFormatKey, version, absl::StrCat(kIndexFormat), {})
          .status());
  return tx->Commit().status();
}

}  // namespace servicedesk::internal
