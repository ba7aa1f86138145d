// The storage extension API: what a backend implements.
//
// Stability: weaker than the domain API (see docs/storage.md). Application code
// normally never touches a Store; it opens a Desk by URI. Backend authors and
// tests use this header.
//
// The contract is a handful of primitives over opaque records, so that every
// domain area (centers, requests, trainings, ...) is "one more table name", not
// a schema change, and so that a backend shared by several application nodes
// (PostgreSQL) can implement it without in-process locks:
//
//   * Tables are named by the domain ("center", "organization", ...). A table
//     holds records: key -> (version, value bytes).
//   * Versioned put: Put(table, key, expected_version, value, index_entries).
//     expected_version 0 means "must not exist"; n means "the stored version
//     must be n". A mismatch returns ABORTED and writes nothing. The new
//     version is expected_version + 1.
//   * Secondary indexes: every Put replaces the record's index entries. An
//     entry is (index name, key bytes, unique). A unique entry that collides
//     with another record's entry returns ALREADY_EXISTS. Indexes are ordered
//     by (index key bytes, record key) — byte order, never insertion or rowid
//     order.
//   * Range scans over an index (or the primary key) in that order, resumable
//     after a given position.
//   * Named sequences for ids (NextSequence): unique across all clients of the
//     store, not necessarily gap-free.
//   * An append-only event log: AppendEvent in a transaction; the store assigns
//     each event a sequence number at commit, increasing in commit order.
//   * Transactions: everything a Transaction does becomes visible atomically at
//     Commit, or not at all. Destroying an uncommitted Transaction rolls back.
//     A transaction that failed any call (other than NOT_FOUND from Get) should
//     be discarded by the caller.
//
// Thread-safety: a Store is safe for concurrent use by multiple threads. A
// Transaction belongs to the thread that began it. A thread must not begin a
// second transaction on the same store while it holds one (backends may
// serialize transactions).
#ifndef SERVICEDESK_STORE_H_
#define SERVICEDESK_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "servicedesk/export.h"

namespace servicedesk {

// One secondary index entry of a record.
struct IndexEntry {
  std::string index;  // index name, unique within the table
  std::string key;    // ordered as bytes; see EncodeOrderedInt64 below
  bool unique = false;
  // A storage hint for indexes that are appended to at a high rate and
  // scanned in long ranges (report facts): when > 0, entries whose keys share
  // their first `bucket` bytes may be stored together (SQLite: one row per
  // bucket instead of one per entry). Results never depend on it. Every entry
  // of an index uses the same value, scans of that index pass it as
  // ScanRange::bucket, and the key must be at least that long. Unique
  // entries cannot be bucketed (INVALID_ARGUMENT).
  uint8_t bucket = 0;
};

// A record as read from the store.
struct StoredRecord {
  std::string key;
  int64_t version = 0;
  std::string value;
  std::string index_key;  // for Scan over a secondary index: the entry's key
};

// A stored event of the append-only log.
struct StoredEvent {
  int64_t seq = 0;
  std::string payload;
};

// A range scan: entries with lower <= index key < upper (empty upper = no
// bound), in (index key, record key) order, at most `limit` (0 = no limit).
// To resume, set start_after_index_key/start_after_key to the last entry seen.
struct ScanRange {
  std::string index;  // "" = the primary key (then index key == record key)
  std::string lower;
  std::string upper;
  bool has_start_after = false;
  std::string start_after_index_key;
  std::string start_after_key;
  size_t limit = 0;
  // The index's IndexEntry::bucket (0 for the primary key and for ordinary
  // indexes).
  uint8_t bucket = 0;
};

enum class TxMode { kReadOnly, kReadWrite };

// Result of a successful commit.
struct CommitResult {
  std::vector<int64_t>
      event_seqs;  // seq of each appended event, in append order
};

class SD_EXPORT Transaction {
 public:
  virtual ~Transaction() = default;

  // The current record, or NOT_FOUND.
  virtual absl::StatusOr<StoredRecord> Get(absl::string_view table,
                                           absl::string_view key) = 0;

  // Creates (expected_version == 0) or replaces (expected_version == current)
  // a record and its index entries. Returns the new version.
  // Errors: ABORTED on a version mismatch (including "exists" on create);
  // ALREADY_EXISTS on a unique index collision (message names the index);
  // FAILED_PRECONDITION in a read-only transaction. Nothing is written on
  // error.
  virtual absl::StatusOr<int64_t> Put(absl::string_view table,
                                      absl::string_view key,
                                      int64_t expected_version,
                                      absl::string_view value,
                                      absl::Span<const IndexEntry> indexes) = 0;

  // Entries of `range` in order (see ScanRange). NOT_FOUND is never returned.
  virtual absl::StatusOr<std::vector<StoredRecord>> Scan(
      absl::string_view table, const ScanRange& range) = 0;

  // Visits the (index key, record key) pairs of `range` in order without
  // reading record values: what aggregations over indexed columns (reports)
  // use. range.limit still applies; `visit` returns false to stop early.
  // INVALID_ARGUMENT if range.index is empty. The default implementation pages
  // through Scan; backends override it to skip the values.
  using KeyVisitor =
      std::function<bool(absl::string_view index_key, absl::string_view key)>;
  virtual absl::Status ScanKeys(absl::string_view table, const ScanRange& range,
                                const KeyVisitor& visit);

  // Next value (1, 2, ...) of a named sequence, increasing within the
  // transaction and above every value of earlier committed transactions.
  // FAILED_PRECONDITION in a read-only transaction. A value handed out in a
  // transaction that rolls back may be skipped (PostgreSQL) or handed out
  // again (memory and SQLite, where the counter is transactional): it was
  // never committed, so committed values stay unique.
  virtual absl::StatusOr<int64_t> NextSequence(absl::string_view name) = 0;

  // Appends an event payload to the log, visible at commit.
  // FAILED_PRECONDITION in a read-only transaction.
  virtual absl::Status AppendEvent(absl::string_view payload) = 0;

  // Makes every change visible atomically. ABORTED if a concurrent writer
  // conflicted (then nothing was written). A transaction is finished after
  // Commit, whatever it returns.
  virtual absl::StatusOr<CommitResult> Commit() = 0;

  // Added after the first release of this interface. The desk calls them, so
  // a backend compiled against an older header must be rebuilt (a C++
  // virtual interface cannot grow compatibly); its source needs no change.

  // Put, handing over the value and the entries: a backend that keeps them
  // in memory takes them instead of copying (the default copies through
  // Put). Same contract and errors as Put; on error `value` and `indexes`
  // are left as they were.
  virtual absl::StatusOr<int64_t> PutOwned(absl::string_view table,
                                           absl::string_view key,
                                           int64_t expected_version,
                                           std::string&& value,
                                           std::vector<IndexEntry>&& indexes);

  // AppendEvent, handing over the payload (see PutOwned); on error `payload`
  // is left as it was.
  virtual absl::Status AppendEventOwned(std::string&& payload);

  // The current record's version, as Get would return it (the transaction
  // sees its own writes), or NOT_FOUND, without reading the value: for
  // callers that keep something derived from a record by version (compiled
  // calendars, resolved actors). The default reads through Get.
  virtual absl::StatusOr<int64_t> GetVersion(absl::string_view table,
                                             absl::string_view key);
};

class SD_EXPORT Store {
 public:
  virtual ~Store() = default;

  // Begins a transaction. UNAVAILABLE if the backend cannot (e.g. busy past
  // its timeout). The returned transaction is owned by the caller.
  virtual absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;

  // Committed events with seq > after_seq, in seq order, at most `limit`
  // (0 = no limit). May be called while the thread holds a transaction.
  virtual absl::StatusOr<std::vector<StoredEvent>> ReadEvents(int64_t after_seq,
                                                              size_t limit) = 0;

  // A short name: "memory", "sqlite", ...
  virtual absl::string_view backend_name() const = 0;
};

// In-memory store: transactions are serialized (one at a time, held for the
// whole transaction). Contents vanish with the object.
SD_EXPORT std::unique_ptr<Store> NewMemoryStore();

struct SqliteStoreOptions {
  // How long a transaction waits for another process's write lock.
  int busy_timeout_ms = 5000;
  // Copy the write-ahead log into the database file on a background thread
  // (one per store, started with it and joined when it is destroyed), so that
  // commits never wait for a checkpoint's copying and fsyncs. When false, or
  // if the log grows past 16,000 pages anyway, the committing thread
  // checkpoints itself.
  bool background_checkpoint = true;
};

// SQLite store on `path` (created if missing): WAL mode, schema migrated by
// PRAGMA user_version (pragmas: docs/storage.md). INVALID_ARGUMENT for an
// empty path; UNAVAILABLE if the file cannot be opened or its write lock is
// held past busy_timeout_ms; FAILED_PRECONDITION if the file's schema is newer
// than this library, the file is another application's or read-only for this
// process, or its folder does not let this process create the -wal and -shm
// files. Back a live file up with SQLite's backup API (docs/storage.md),
// never by copying it.
SD_EXPORT absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteStoreOptions& options = {});

// Order-preserving key encodings for index keys.
// EncodeOrderedInt64: byte order == numeric order (sign bit flipped,
// big-endian).
SD_EXPORT std::string EncodeOrderedInt64(int64_t v);
// The same 8 bytes written to out[0..8), for keys built in place.
SD_EXPORT void EncodeOrderedInt64To(int64_t v, char* out);
SD_EXPORT int64_t DecodeOrderedInt64(absl::string_view bytes);

}  // namespace servicedesk

#endif  // SERVICEDESK_STORE_H_
