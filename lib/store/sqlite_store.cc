// SQLite Store backend (SQLiteCpp).
//
// Concurrency model:
//   * One write connection per Store, guarded by a mutex held for a
//     transaction's whole lifetime (Begin .. Commit/destruction). Threads of
//     one process therefore run their transactions one at a time; that is the
//     contract's "backends may serialize transactions".
//   * Read-write transactions start with BEGIN IMMEDIATE: the file's write
//     lock is taken up front, so writers of several processes serialize, a
//     version read inside the transaction cannot go stale before commit, and
//     event seqs (rowids assigned under the lock) increase in commit order.
//     Read-only transactions use a deferred BEGIN (a WAL snapshot).
//   * ReadEvents uses a second, read-only-in-practice connection with its own
//     mutex, so it may be called while the same thread holds a transaction.
//
// Every Put checks the stored version and the unique index entries before it
// writes anything, so a refused Put leaves no trace. The UPDATE still carries
// "WHERE version = ?" so that the statement itself guards against lost
// updates (the way a PostgreSQL backend must do it). A write that fails for an
// unexpected reason (I/O, disk full) poisons the transaction: Commit then
// rolls back and returns that error.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "lib/store/sqlite_wal_vfs.h"
#include "lib/store/store_internal.h"
#include "servicedesk/store.h"
#include "sqlite3.h"

namespace servicedesk {
namespace {

// Schema migrations: kMigrations[i] takes a file from user_version i to i + 1.
// Append only; never edit a released step.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the initial schema.
    R"sql(
CREATE TABLE records(
  tbl TEXT NOT NULL,
  key BLOB NOT NULL,
  version INTEGER NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY(tbl, key)) WITHOUT ROWID;
CREATE TABLE index_entries(
  tbl TEXT NOT NULL,
  idx TEXT NOT NULL,
  ikey BLOB NOT NULL,
  key BLOB NOT NULL,
  uniq INTEGER NOT NULL,
  PRIMARY KEY(tbl, idx, ikey, key),
  FOREIGN KEY(tbl, key) REFERENCES records(tbl, key) ON DELETE CASCADE)
  WITHOUT ROWID;
CREATE UNIQUE INDEX index_entries_unique ON index_entries(tbl, idx, ikey)
  WHERE uniq;
CREATE INDEX index_entries_by_record ON index_entries(tbl, key);
CREATE TABLE events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  payload BLOB NOT NULL);
CREATE TABLE sequences(
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL) WITHOUT ROWID;
)sql",
    // 1 -> 2: events without AUTOINCREMENT, whose sqlite_sequence row was one
    // more page written by every commit. Events are never deleted, so
    // max(seq) + 1 (under the write lock) still never reuses a seq.
    R"sql(
CREATE TABLE events_v2(
  seq INTEGER PRIMARY KEY,
  payload BLOB NOT NULL);
INSERT INTO events_v2(seq, payload) SELECT seq, payload FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
ALTER TABLE records ADD COLUMN entries BLOB NOT NULL DEFAULT x'';
CREATE TABLE index_buckets(
  tbl TEXT NOT NULL,
  idx TEXT NOT NULL,
  bucket BLOB NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY(tbl, idx, bucket)) WITHOUT ROWID;
)sql",
};
// Run after the SQL of step i (if not null), in the same transaction.
void FillRecordEntries(SQLite::Database& db);
using MigrationHook = void (*)(SQLite::Database&);
constexpr MigrationHook kMigrationHooks[] = {nullptr, &FillRecordEntries};
constexpr int kSchemaVersion =
    static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
// PRAGMA application_id of servicedesk files ("SDSK"), set by Migrate. Files
// of releases before it have 0 and only the tables below.
constexpr int kApplicationId = 0x5344534B;
constexpr absl::string_view kOwnTables[] = {"records",   "index_entries",
                                            "events",    "events_v2",
                                            "sequences", "index_buckets"};

// Connection settings, applied to every connection. synchronous=NORMAL in WAL
// mode: a commit is durable against a crash of the process, but the last
// commits may be lost (never corrupted) on power loss or an OS crash, because
// the WAL is fsynced at checkpoints, not at every commit.
constexpr char kConnectionPragmas[] =
    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
// secure_delete (on in Debian's build) would zero every deleted index entry's
// bytes; nothing here needs that, and it only adds writes.
constexpr char kWriterPragmas[] =
    "PRAGMA secure_delete=OFF; PRAGMA foreign_keys=OFF;";

// Checkpoints (copying the WAL into the file, with two fsyncs) run on a
// background thread once the log holds kCheckpointPages; a committing thread
// checkpoints itself only past kBackstopPages (or without the thread). A
// small log keeps page lookups in it cheap.
constexpr int kCheckpointPages = 1000;
constexpr int kBackstopPages = 16000;
// Readers map the file: a report steps millions of index rows, and reading
// pages through the map skips a system call and a copy per page. Only
// readers: the writer grows the file, and a growing file under a map is
// remapped on every commit.
constexpr char kReaderPragmas[] = "PRAGMA mmap_size=17179869184;";

// SQLITE_FULL: the disk has no room left, or the file reached its
// max_page_count. Nothing of the transaction can be written (it is poisoned
// and rolls back), so callers are told that, not just "disk is full".
// Also what a read gets when SQLite's temporary files fill the disk (a
// large sort): then there was nothing to roll back, and the wording holds.
absl::Status DiskFull(absl::string_view what, absl::string_view sqlite_says) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "sqlite: ", what, ": the database or the disk is full (", sqlite_says,
      "); the call was rolled back and nothing of it was written (free disk "
      "space, then retry)"));
}

absl::Status FromSqlite(const SQLite::Exception& e, absl::string_view what) {
  const int code = e.getErrorCode();
  const int ext = e.getExtendedErrorCode();
  std::string msg = absl::StrCat("sqlite: ", what, ": ", e.what());
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
    case SQLITE_FULL:
      return DiskFull(what, e.what());
    case SQLITE_CONSTRAINT:
      if (ext == SQLITE_CONSTRAINT_UNIQUE) return absl::AlreadyExistsError(msg);
      if (ext == SQLITE_CONSTRAINT_PRIMARYKEY) return absl::AbortedError(msg);
      return absl::InternalError(msg);
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

// SQLite binds a null pointer as NULL, never as an empty blob.
const void* BlobPtr(absl::string_view s) {
  static const char kEmpty = 0;
  return s.data() != nullptr ? static_cast<const void*>(s.data()) : &kEmpty;
}

// Binds without copying: the caller's bytes outlive the statement's step.
void BindBlob(SQLite::Statement& st, int i, absl::string_view s) {
  st.bindNoCopy(i, BlobPtr(s), static_cast<int>(s.size()));
}
// Binds TEXT without copying. SQLiteCpp only offers that for a std::string,
// so names go through a reusable buffer (no allocation once warm) that must
// stay untouched until the statement has stepped.
void BindText(SQLite::Statement& st, int i, std::string& buf,
              absl::string_view s) {
  buf.assign(s.data(), s.size());
  st.bindNoCopy(i, buf);
}

std::string ColumnBytes(const SQLite::Column& c) {
  const int n = c.getBytes();
  if (n <= 0) return std::string();
  return std::string(static_cast<const char*>(c.getBlob()),
                     static_cast<size_t>(n));
}

// A record's index entries as stored in records.entries, so that an update
// finds the entries it replaces in the row it rewrites anyway (an index by
// record was one more B-tree page per commit): per entry, the index name and
// the key each as a 4-byte little-endian length and the bytes, then the
// unique flag as one byte.
void AppendSized(std::string* out, absl::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(n >> (8 * i)));
  out->append(s.data(), s.size());
}
bool ReadSized(absl::string_view* in, absl::string_view* out) {
  if (in->size() < 4) return false;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<uint32_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  if (in->size() < n) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}
struct StoredEntry {
  absl::string_view index;
  absl::string_view key;
  bool unique;
  uint8_t bucket;
};
void AppendEntry(std::string* out, absl::string_view index,
                 absl::string_view key, bool unique, uint8_t bucket) {
  AppendSized(out, index);
  AppendSized(out, key);
  out->push_back(unique ? 1 : 0);
  out->push_back(static_cast<char>(bucket));
}
// Views into `blob`; false if it is malformed.
bool DecodeEntries(absl::string_view blob, std::vector<StoredEntry>* out) {
  out->clear();
  while (!blob.empty()) {
    StoredEntry e;
    if (!ReadSized(&blob, &e.index) || !ReadSized(&blob, &e.key) ||
        blob.size() < 2)
      return false;
    e.unique = blob[0] != 0;
    e.bucket = static_cast<uint8_t>(blob[1]);
    blob.remove_prefix(2);
    out->push_back(e);
  }
  return true;
}

// A bucket row (index_buckets.entries) holds the entries of one index whose
// keys share the bucket's bytes: per entry the rest of the index key and the
// record key, each sized as above, sorted by (rest, record key) — which is
// (index key, record key) order, the bucket being common.
struct BucketEntry {
  absl::string_view rest;
  absl::string_view key;
};
bool DecodeBucket(absl::string_view blob, std::vector<BucketEntry>* out) {
  out->clear();
  while (!blob.empty()) {
    BucketEntry e;
    if (!ReadSized(&blob, &e.rest) || !ReadSized(&blob, &e.key)) return false;
    out->push_back(e);
  }
  return true;
}
bool BucketLess(const BucketEntry& a, const BucketEntry& b) {
  return a.rest < b.rest || (a.rest == b.rest && a.key < b.key);
}

// Schema 1 -> 2: copies every record's entries into records.entries, then
// drops the by-record index that held them.
void FillRecordEntries(SQLite::Database& db) {
  SQLite::Statement update(
      db, "UPDATE records SET entries=?3 WHERE tbl=?1 AND key=?2");
  SQLite::Statement q(db,
                      "SELECT tbl, key, idx, ikey, uniq FROM index_entries "
                      "INDEXED BY index_entries_by_record ORDER BY tbl, key");
  std::string tbl, key, blob;
  auto flush = [&] {
    if (tbl.empty() && key.empty()) return;
    update.reset();
    update.bind(1, tbl);
    update.bind(2, key.data(), static_cast<int>(key.size()));
    update.bind(3, blob.data(), static_cast<int>(blob.size()));
    update.exec();
  };
  while (q.executeStep()) {
    std::string t = q.getColumn(0).getString();
    std::string k = ColumnBytes(q.getColumn(1));
    if (t != tbl || k != key) {
      flush();
      tbl = std::move(t);
      key = std::move(k);
      blob.clear();
    }
    AppendEntry(&blob, q.getColumn(2).getString(), ColumnBytes(q.getColumn(3)),
                q.getColumn(4).getInt() != 0, 0);
  }
  flush();
  db.exec("DROP INDEX index_entries_by_record");
}

// A statement on the C API, for the loops that step millions of rows
// (ScanKeys): SQLiteCpp's Column copies a shared_ptr per column read.
class RawStatement {
 public:
  RawStatement(SQLite::Database& db, const char* sql) {
    const int rc = sqlite3_prepare_v3(
        db.getHandle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db.getHandle(), rc);
  }
  ~RawStatement() { sqlite3_finalize(stmt_); }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a RawStatement and its bindings on scope exit, so that it never
// holds a read cursor open.
struct ResetOnExit {
  sqlite3_stmt* q;
  ~ResetOnExit() {
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
  }
};

// The status of the last sqlite3_step on `q` that ended a loop.
absl::Status StepStatus(sqlite3_stmt* q, int rc, absl::string_view what) {
  if (rc == SQLITE_DONE) return absl::OkStatus();
  if ((rc & 0xff) == SQLITE_FULL)
    return DiskFull(what, sqlite3_errmsg(sqlite3_db_handle(q)));
  const std::string msg = absl::StrCat("sqlite: ", what, ": ",
                                       sqlite3_errmsg(sqlite3_db_handle(q)));
  return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? absl::UnavailableError(msg)
                                                  : absl::InternalError(msg);
}

// Prepared statements of a connection, reused with reset().
struct Statements {
  explicit Statements(SQLite::Database& db)
      : begin_immediate(db, "BEGIN IMMEDIATE"),
        begin_deferred(db, "BEGIN"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        get(db, "SELECT version, value FROM records WHERE tbl=?1 AND key=?2"),
        get_version(db, "SELECT version FROM records WHERE tbl=?1 AND key=?2"),
        get_entries(db,
                    "SELECT version, entries FROM records "
                    "WHERE tbl=?1 AND key=?2"),
        insert_record(db,
                      "INSERT INTO records(tbl, key, version, value, entries) "
                      "VALUES(?1, ?2, 1, ?3, ?4)"),
        update_record(db,
                      "UPDATE records SET version=?3, value=?4, entries=?6 "
                      "WHERE tbl=?1 AND key=?2 AND version=?5"),
        find_unique(db,
                    "SELECT key FROM index_entries WHERE tbl=?1 AND idx=?2 "
                    "AND ikey=?3 AND uniq"),
        delete_entry(db,
                     "DELETE FROM index_entries "
                     "WHERE tbl=?1 AND idx=?2 AND ikey=?3 AND key=?4"),
        insert_entry(db,
                     "INSERT INTO index_entries(tbl, idx, ikey, key, uniq) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)"),
        insert_event(db, "INSERT INTO events(payload) VALUES(?1)"),
        get_bucket(db,
                   "SELECT entries FROM index_buckets "
                   "WHERE tbl=?1 AND idx=?2 AND bucket=?3"),
        update_bucket(db,
                      "UPDATE index_buckets SET entries=?4 "
                      "WHERE tbl=?1 AND idx=?2 AND bucket=?3"),
        insert_bucket(db,
                      "INSERT INTO index_buckets(tbl, idx, bucket, entries) "
                      "VALUES(?1, ?2, ?3, ?4)"),
        delete_bucket(db,
                      "DELETE FROM index_buckets "
                      "WHERE tbl=?1 AND idx=?2 AND bucket=?3"),
        // Not one upsert with RETURNING: that opens a statement journal whose
        // release frees (and trims from the heap) a large block per call.
        bump_sequence(db, "UPDATE sequences SET value=value+1 WHERE name=?1"),
        start_sequence(db, "INSERT INTO sequences(name, value) VALUES(?1, 1)"),
        read_sequence(db, "SELECT value FROM sequences WHERE name=?1"),
        // Scans: the start bound in SQL (so the B-tree seeks to it), the upper
        // bound and the limit in C++ while stepping (the cursor is lazy, so
        // stopping early costs nothing). ORDER BY follows the primary keys,
        // so SQLite walks the index instead of sorting.
        scan_pk_ge(db,
                   "SELECT key, version, value FROM records "
                   "WHERE tbl=?1 AND key>=?2 ORDER BY key"),
        scan_pk_gt(db,
                   "SELECT key, version, value FROM records "
                   "WHERE tbl=?1 AND key>?2 ORDER BY key"),
        scan_idx_ge(db,
                    "SELECT e.ikey, e.key, r.version, r.value "
                    "FROM index_entries e JOIN records r "
                    "ON r.tbl=e.tbl AND r.key=e.key "
                    "WHERE e.tbl=?1 AND e.idx=?2 AND (e.ikey, e.key)>=(?3, ?4) "
                    "ORDER BY e.ikey, e.key"),
        scan_idx_gt(db,
                    "SELECT e.ikey, e.key, r.version, r.value "
                    "FROM index_entries e JOIN records r "
                    "ON r.tbl=e.tbl AND r.key=e.key "
                    "WHERE e.tbl=?1 AND e.idx=?2 AND (e.ikey, e.key)>(?3, ?4) "
                    "ORDER BY e.ikey, e.key"),
        // Keys only: answered from index_entries' primary key alone.
        // A scan that is not resuming starts at (lower, ""), i.e. at
        // ikey >= lower: a plain bound, which SQLite checks for free, where
        // the row value is re-evaluated on every row.
        scan_keys_ge(db,
                     "SELECT ikey, key FROM index_entries "
                     "WHERE tbl=?1 AND idx=?2 AND ikey>=?3 "
                     "ORDER BY ikey, key"),
        scan_keys_gt(db,
                     "SELECT ikey, key FROM index_entries "
                     "WHERE tbl=?1 AND idx=?2 AND (ikey, key)>(?3, ?4) "
                     "ORDER BY ikey, key"),
        // With the upper bound in SQL, SQLite ends the range with the one
        // comparison it makes per row anyway.
        scan_keys_ge_below(db,
                           "SELECT ikey, key FROM index_entries "
                           "WHERE tbl=?1 AND idx=?2 AND ikey>=?3 "
                           "AND ikey<?5 ORDER BY ikey, key"),
        scan_keys_gt_below(db,
                           "SELECT ikey, key FROM index_entries "
                           "WHERE tbl=?1 AND idx=?2 AND (ikey, key)>(?3, ?4) "
                           "AND ikey<?5 ORDER BY ikey, key"),
        scan_buckets(db,
                     "SELECT bucket, entries FROM index_buckets "
                     "WHERE tbl=?1 AND idx=?2 AND bucket>=?3 ORDER BY bucket") {
  }

  SQLite::Statement begin_immediate;
  SQLite::Statement begin_deferred;
  SQLite::Statement commit;
  SQLite::Statement rollback;
  SQLite::Statement get;
  SQLite::Statement get_version;
  SQLite::Statement get_entries;
  SQLite::Statement insert_record;
  SQLite::Statement update_record;
  SQLite::Statement find_unique;
  SQLite::Statement delete_entry;
  SQLite::Statement insert_entry;
  SQLite::Statement insert_event;
  SQLite::Statement get_bucket;
  SQLite::Statement update_bucket;
  SQLite::Statement insert_bucket;
  SQLite::Statement delete_bucket;
  SQLite::Statement bump_sequence;
  SQLite::Statement start_sequence;
  SQLite::Statement read_sequence;
  SQLite::Statement scan_pk_ge;
  SQLite::Statement scan_pk_gt;
  SQLite::Statement scan_idx_ge;
  SQLite::Statement scan_idx_gt;
  RawStatement scan_keys_ge;
  RawStatement scan_keys_gt;
  RawStatement scan_keys_ge_below;
  RawStatement scan_keys_gt_below;
  RawStatement scan_buckets;
};

// Resets a cached statement on scope exit, so an exception or an early return
// never leaves it mid-step (holding a read cursor open).
class Use {
 public:
  explicit Use(SQLite::Statement& st) : st_(st) { st_.tryReset(); }
  ~Use() { st_.tryReset(); }
  SQLite::Statement* operator->() { return &st_; }
  SQLite::Statement& operator*() { return st_; }

 private:
  SQLite::Statement& st_;
};

void ExecOnce(SQLite::Statement& st) {
  Use u(st);
  u->exec();
}

// A connection with its prepared statements. The store has one writer and a
// pool of readers.
struct Connection {
  Connection(const std::string& path, int busy_timeout_ms)
      : db(path.c_str(),
           SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
           busy_timeout_ms, store_internal::WalVfsName()) {}
  SQLite::Database db;
  std::unique_ptr<Statements> st;
};

class SqliteStore;

class SqliteTransaction final : public Transaction {
 public:
  // A read-write transaction holds the writer's lock; a read-only one owns a
  // reader connection until it finishes.
  SqliteTransaction(SqliteStore* store, Connection* conn, TxMode mode,
                    std::unique_lock<std::mutex> write_lock);
  ~SqliteTransaction() override;

  absl::StatusOr<int64_t> GetVersion(absl::string_view table,
                                     absl::string_view key) override;
  absl::StatusOr<StoredRecord> Get(absl::string_view table,
                                   absl::string_view key) override;
  absl::StatusOr<int64_t> Put(absl::string_view table, absl::string_view key,
                              int64_t expected_version, absl::string_view value,
                              absl::Span<const IndexEntry> indexes) override;
  absl::StatusOr<std::vector<StoredRecord>> Scan(
      absl::string_view table, const ScanRange& range) override;
  absl::Status ScanKeys(absl::string_view table, const ScanRange& range,
                        const KeyVisitor& visit) override;
  absl::StatusOr<int64_t> NextSequence(absl::string_view name) override;
  absl::Status AppendEvent(absl::string_view payload) override;
  absl::StatusOr<CommitResult> Commit() override;

 private:
  // Runs point query `st` (?1 = table, ?2 = key) and returns read(row), or
  // NOT_FOUND; `what` names the operation in SQLite errors.
  template <typename T, typename Read>
  absl::StatusOr<T> ReadRecord(SQLite::Statement& st, absl::string_view table,
                               absl::string_view key, const char* what,
                               Read read);
  absl::Status CheckOpen() const {
    if (!open_) {
      return absl::FailedPreconditionError("transaction already finished");
    }
    return absl::OkStatus();
  }
  absl::Status CheckWritable() const {
    SD_STORE_RETURN_IF_ERROR(CheckOpen());
    if (mode_ == TxMode::kReadOnly) {
      return absl::FailedPreconditionError("write in a read-only transaction");
    }
    if (!poison_.ok()) return poison_;
    return absl::OkStatus();
  }
  // Records an unexpected failure after writing may have started.
  absl::Status Poison(absl::Status s) {
    if (poison_.ok()) {
      poison_ = absl::Status(
          s.code(), absl::StrCat("transaction failed earlier: ", s.message()));
    }
    return s;
  }
  void Rollback();
  void ChangeBucket(absl::string_view table, absl::string_view index,
                    uint8_t bucket, absl::string_view index_key,
                    absl::string_view key, bool add);
  absl::Status ScanBucketKeys(absl::string_view table, const ScanRange& range,
                              const KeyVisitor& visit);
  // Releases the writer's lock, or returns the reader to the pool (closes it
  // unless `reusable`).
  void Release(bool reusable = true);

  SqliteStore* store_;
  Connection* conn_;
  Statements& st_;
  TxMode mode_;
  std::unique_lock<std::mutex> write_lock_;
  bool open_ = true;
  absl::Status poison_;
  std::vector<int64_t> event_seqs_;
  // Put's scratch: the record's stored and new entries (records.entries).
  std::string old_entries_;
  std::string new_entries_;
  std::string bucket_blob_;  // ChangeBucket's copy of a bucket row
  std::string bucket_key_;   // ScanBucketKeys' current full index key
  std::string tbl_buf_;      // bound TEXT parameters (see BindText)
  std::string idx_buf_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteStoreOptions& options)
      : path_(path),
        busy_timeout_ms_(options.busy_timeout_ms),
        background_checkpoint_(options.background_checkpoint),
        writer_(path, options.busy_timeout_ms) {}

  ~SqliteStore() override {
    if (checkpointer_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(checkpoint_mu_);
        stop_checkpointer_ = true;
      }
      checkpoint_cv_.notify_one();
      checkpointer_.join();
    }
  }

  // Throws SQLite::Exception on SQLite errors.
  absl::Status Init() {
    SQLite::Database& db = writer_.db;
    // Both checked before anything is written, so a refused file is left as
    // it was: no -wal or -shm beside it (a -shm created by another user
    // would lock its owner out), its journal mode and tables unchanged.
    if (sqlite3_db_readonly(db.getHandle(), "main") == 1)
      return absl::FailedPreconditionError(
          absl::StrCat("sqlite: ", path_,
                       " is read-only for this process; servicedesk writes "
                       "to its database (check the file's permissions)"));
    SD_STORE_RETURN_IF_ERROR(CheckFolderWritable());
    SD_STORE_RETURN_IF_ERROR(CheckOwnFile());
    SD_STORE_RETURN_IF_ERROR(EnableWal());
    db.exec(kConnectionPragmas);
    db.exec(kWriterPragmas);
    SD_STORE_RETURN_IF_ERROR(Migrate());
    writer_.st = std::make_unique<Statements>(db);
    // Replaces SQLite's automatic checkpoint (itself a WAL hook).
    sqlite3_wal_hook(db.getHandle(), &SqliteStore::OnWalCommit, this);
    if (background_checkpoint_)
      checkpointer_ = std::thread([this] { RunCheckpointer(); });
    events_db_ = std::make_unique<SQLite::Database>(
        path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, busy_timeout_ms_);
    events_db_->exec(kConnectionPragmas);
    read_events_ = std::make_unique<SQLite::Statement>(
        *events_db_,
        "SELECT seq, payload FROM events WHERE seq>?1 ORDER BY seq LIMIT ?2");
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    if (mode == TxMode::kReadOnly) return BeginRead();
    std::unique_lock<std::mutex> lock(write_mu_);
    try {
      ExecOnce(writer_.st->begin_immediate);
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "begin");
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(
        this, &writer_, TxMode::kReadWrite, std::move(lock)));
  }

  absl::StatusOr<std::vector<StoredEvent>> ReadEvents(int64_t after_seq,
                                                      size_t limit) override {
    std::lock_guard<std::mutex> lock(events_mu_);
    std::vector<StoredEvent> out;
    try {
      Use q(*read_events_);
      q->bind(1, after_seq);
      q->bind(2, limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));
      while (q->executeStep()) {
        StoredEvent& ev = out.emplace_back();
        ev.seq = q->getColumn(0).getInt64();
        ev.payload = ColumnBytes(q->getColumn(1));
      }
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "read events");
    }
    return out;
  }

  absl::string_view backend_name() const override { return "sqlite"; }

  // store_internal::CapSqliteFileForTesting.
  absl::Status CapFile(bool cap) {
    std::lock_guard<std::mutex> lock(write_mu_);
    try {
      SQLite::Database& db = writer_.db;
      if (uncapped_max_pages_ == 0) {
        SQLite::Statement q(db, "PRAGMA max_page_count");
        if (q.executeStep()) uncapped_max_pages_ = q.getColumn(0).getInt64();
      }
      int64_t pages = uncapped_max_pages_;
      if (cap) {
        SQLite::Statement q(db, "PRAGMA page_count");
        if (q.executeStep()) pages = q.getColumn(0).getInt64();
      }
      db.exec(absl::StrCat("PRAGMA max_page_count=", pages));
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "max_page_count");
    }
    return absl::OkStatus();
  }

 private:
  friend class SqliteTransaction;

  // A read-only transaction on an idle reader (opened on first need): reads
  // run beside the writer and each other, on a WAL snapshot.
  absl::StatusOr<std::unique_ptr<Transaction>> BeginRead() {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      if (!idle_readers_.empty()) {
        conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    try {
      if (conn == nullptr) {
        conn = std::make_unique<Connection>(path_, busy_timeout_ms_);
        conn->db.exec(kConnectionPragmas);
        conn->db.exec(kReaderPragmas);
        conn->st = std::make_unique<Statements>(conn->db);
      }
      ExecOnce(conn->st->begin_deferred);
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "begin read");
    }
    return std::unique_ptr<Transaction>(
        new SqliteTransaction(this, conn.release(), TxMode::kReadOnly, {}));
  }

  void ReturnReader(Connection* conn) {
    std::unique_ptr<Connection> owned(conn);
    std::lock_guard<std::mutex> lock(readers_mu_);
    // Readers beyond a few are closed rather than kept: each holds its own
    // page cache and memory map.
    if (idle_readers_.size() < kMaxIdleReaders)
      idle_readers_.push_back(std::move(owned));
  }

  // WAL mode keeps <path>-wal and <path>-shm beside the database (beside
  // the file a symlink names): unless both are there and writable, the
  // folder must let this process create them. Without this check SQLite
  // reports "attempt to write a readonly database" about a writable file.
  absl::Status CheckFolderWritable() const {
    std::string file = path_;
    if (char* real = ::realpath(path_.c_str(), nullptr)) {
      file = real;
      std::free(real);
    }
    auto may = [](const std::string& p, int mode) {
      return ::faccessat(AT_FDCWD, p.c_str(), mode, AT_EACCESS) == 0;
    };
    if (may(file + "-wal", W_OK) && may(file + "-shm", W_OK))
      return absl::OkStatus();
    const std::string::size_type slash = file.rfind('/');
    const std::string folder = slash == std::string::npos ? "."
                               : slash == 0               ? "/"
                                            : file.substr(0, slash);
    if (may(folder, W_OK | X_OK)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "sqlite: ", path_, ": this process may not create files in ", folder,
        ", where SQLite keeps the database's -wal and -shm files (make the "
        "folder writable, or move the database to one that is)"));
  }

  // FAILED_PRECONDITION for a database another application made: one with
  // another application_id, or (without one) tables servicedesk never made.
  absl::Status CheckOwnFile() {
    SQLite::Database& db = writer_.db;
    int app_id = 0;
    {
      SQLite::Statement q(db, "PRAGMA application_id");
      if (q.executeStep()) app_id = q.getColumn(0).getInt();
    }
    if (app_id == kApplicationId) return absl::OkStatus();
    if (app_id != 0)
      return absl::FailedPreconditionError(absl::StrCat(
          "sqlite: ", path_, " is not a servicedesk database (application_id ",
          app_id, "); it was left as it was"));
    // Tables, and the views, triggers and indexes of any table: everything
    // must belong to servicedesk's tables.
    SQLite::Statement q(db,
                        "SELECT type, name, tbl_name FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    while (q.executeStep()) {
      const std::string table = q.getColumn(2).getString();
      if (std::find(std::begin(kOwnTables), std::end(kOwnTables), table) ==
          std::end(kOwnTables))
        return absl::FailedPreconditionError(absl::StrCat(
            "sqlite: ", path_, " is not a servicedesk database (it has ",
            q.getColumn(0).getString(), " '", q.getColumn(1).getString(),
            "'); it was left as it was"));
    }
    return absl::OkStatus();
  }

  // Switching a file to WAL needs its lock without SQLite's busy handler
  // (a fresh file is still in rollback mode), so processes opening a new
  // file at once retry here, within the busy timeout, instead of failing
  // with "database is locked".
  absl::Status EnableWal() {
    SQLite::Database& db = writer_.db;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(busy_timeout_ms_);
    std::string mode;
    for (;;) {
      try {
        SQLite::Statement wal(db, "PRAGMA journal_mode=WAL");
        mode = wal.executeStep() ? wal.getColumn(0).getString() : "";
        break;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_BUSY ||
            std::chrono::steady_clock::now() >= deadline)
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    if (mode != "wal")
      return absl::FailedPreconditionError(
          absl::StrCat("sqlite: cannot enable WAL on ", path_,
                       " (journal_mode is '", mode, "'); need a file"));
    return absl::OkStatus();
  }

  absl::Status Migrate() {
    SQLite::Database& db = writer_.db;
    // Under the write lock, so processes opening a fresh file concurrently
    // migrate it once.
    db.exec("BEGIN IMMEDIATE");
    try {
      int version = 0;
      {
        SQLite::Statement q(db, "PRAGMA user_version");
        if (q.executeStep()) version = q.getColumn(0).getInt();
      }
      if (version > kSchemaVersion) {
        db.exec("ROLLBACK");
        return absl::FailedPreconditionError(
            absl::StrCat("sqlite: ", path_, " has schema version ", version,
                         ", newer than this library's ", kSchemaVersion));
      }
      for (int v = version; v < kSchemaVersion; ++v) {
        db.exec(kMigrations[v]);
        if (kMigrationHooks[v] != nullptr) kMigrationHooks[v](db);
      }
      if (version != kSchemaVersion) {
        db.exec(absl::StrCat("PRAGMA user_version=", kSchemaVersion));
      }
      {
        SQLite::Statement q(db, "PRAGMA application_id");
        if (!q.executeStep() || q.getColumn(0).getInt() != kApplicationId)
          db.exec(absl::StrCat("PRAGMA application_id=", kApplicationId));
      }
      db.exec("COMMIT");
    } catch (...) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    return absl::OkStatus();
  }

  // Called by SQLite after each commit on the writer with the log's size.
  static int OnWalCommit(void* arg, sqlite3* db, const char* name, int pages) {
    auto* self = static_cast<SqliteStore*>(arg);
    if (pages >= kBackstopPages ||
        (!self->background_checkpoint_ && pages >= kCheckpointPages)) {
      sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    } else if (pages >= kCheckpointPages && self->background_checkpoint_) {
      {
        std::lock_guard<std::mutex> lock(self->checkpoint_mu_);
        self->checkpoint_wanted_ = true;
      }
      self->checkpoint_cv_.notify_one();
    }
    return SQLITE_OK;
  }

  // The checkpointer thread: a PASSIVE checkpoint on its own connection each
  // time the writer asks. PASSIVE never blocks the writer or readers; frames
  // still in use are left for the next round. Errors (e.g. the file is busy
  // with another process's checkpoint) are left for the next round too.
  void RunCheckpointer() {
    std::unique_ptr<SQLite::Database> db;
    std::unique_lock<std::mutex> lock(checkpoint_mu_);
    while (true) {
      checkpoint_cv_.wait(
          lock, [this] { return stop_checkpointer_ || checkpoint_wanted_; });
      if (stop_checkpointer_) return;
      checkpoint_wanted_ = false;
      lock.unlock();
      try {
        if (db == nullptr) {
          db = std::make_unique<SQLite::Database>(
              path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
              busy_timeout_ms_);
          db->exec(kConnectionPragmas);
        }
        sqlite3_wal_checkpoint_v2(db->getHandle(), "main",
                                  SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      } catch (const SQLite::Exception&) {
        db.reset();  // reopened next round
      }
      lock.lock();
    }
  }

  static constexpr size_t kMaxIdleReaders = 4;

  std::string path_;
  int busy_timeout_ms_;
  bool background_checkpoint_;
  std::mutex write_mu_;  // held by the live read-write transaction
  Connection writer_;
  int64_t uncapped_max_pages_ = 0;  // CapFile's, once it was called

  std::mutex readers_mu_;  // guards idle_readers_
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  std::mutex events_mu_;  // guards events_db_ and read_events_
  std::unique_ptr<SQLite::Database> events_db_;
  std::unique_ptr<SQLite::Statement> read_events_;

  std::mutex checkpoint_mu_;  // guards the two flags below
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool stop_checkpointer_ = false;
  std::thread checkpointer_;  // last: joined before the members above go
};

SqliteTransaction::SqliteTransaction(SqliteStore* store, Connection* conn,
                                     TxMode mode,
                                     std::unique_lock<std::mutex> write_lock)
    : store_(store),
      conn_(conn),
      st_(*conn->st),
      mode_(mode),
      write_lock_(std::move(write_lock)) {}

SqliteTransaction::~SqliteTransaction() {
  if (open_) Rollback();
}

void SqliteTransaction::Release(bool reusable) {
  open_ = false;
  if (mode_ == TxMode::kReadWrite)
    write_lock_.unlock();
  else if (reusable)
    store_->ReturnReader(conn_);
  else
    delete conn_;  // may still be inside its transaction
}

void SqliteTransaction::Rollback() {
  bool rolled_back = true;
  try {
    ExecOnce(st_.rollback);
  } catch (const SQLite::Exception&) {
    // Nothing to report to: SQLite rolls back itself when it cannot.
    rolled_back = false;
  }
  Release(rolled_back);
}

template <typename T, typename Read>
absl::StatusOr<T> SqliteTransaction::ReadRecord(SQLite::Statement& st,
                                                absl::string_view table,
                                                absl::string_view key,
                                                const char* what, Read read) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  try {
    Use q(st);
    BindText(*q, 1, tbl_buf_, table);
    BindBlob(*q, 2, key);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat(table, "/", key, " not found"));
    }
    return read(*q);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, what);
  }
}

absl::StatusOr<StoredRecord> SqliteTransaction::Get(absl::string_view table,
                                                    absl::string_view key) {
  return ReadRecord<StoredRecord>(st_.get, table, key, "get",
                                  [&](SQLite::Statement& q) {
                                    StoredRecord out;
                                    out.key.assign(key.data(), key.size());
                                    out.version = q.getColumn(0).getInt64();
                                    out.value = ColumnBytes(q.getColumn(1));
                                    return out;
                                  });
}

absl::StatusOr<int64_t> SqliteTransaction::GetVersion(absl::string_view table,
                                                      absl::string_view key) {
  return ReadRecord<int64_t>(
      st_.get_version, table, key, "get version",
      [](SQLite::Statement& q) { return q.getColumn(0).getInt64(); });
}

absl::StatusOr<int64_t> SqliteTransaction::Put(
    absl::string_view table, absl::string_view key, int64_t expected_version,
    absl::string_view value, absl::Span<const IndexEntry> indexes) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  SD_STORE_RETURN_IF_ERROR(
      store_internal::ValidatePut(table, key, expected_version, indexes));
  // Phase 1: checks only; nothing written.
  try {
    int64_t current = 0;
    old_entries_.clear();
    {
      Use q(st_.get_entries);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, key);
      if (q->executeStep()) {
        current = q->getColumn(0).getInt64();
        old_entries_ = ColumnBytes(q->getColumn(1));
      }
    }
    if (current != expected_version) {
      return store_internal::VersionMismatch(table, key, expected_version,
                                             current);
    }
    for (const IndexEntry& e : indexes) {
      if (!e.unique) continue;
      Use q(st_.find_unique);
      BindText(*q, 1, tbl_buf_, table);
      BindText(*q, 2, idx_buf_, e.index);
      BindBlob(*q, 3, e.key);
      if (q->executeStep()) {
        const SQLite::Column owner = q->getColumn(0);
        absl::string_view owner_key(static_cast<const char*>(owner.getBlob()),
                                    static_cast<size_t>(owner.getBytes()));
        if (owner_key != key) {
          return store_internal::UniqueCollision(table, e.index, key);
        }
      }
    }
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "put (checks)");
  }
  std::vector<StoredEntry> old;
  if (!DecodeEntries(old_entries_, &old))
    return absl::DataLossError(absl::StrCat(
        "sqlite: ", table, "/", key, ": stored index entries unreadable"));

  // The new entries, each (index, key) once: unique if any duplicate is.
  std::vector<bool> keep(indexes.size(), true), is_unique(indexes.size());
  for (size_t i = 0; i < indexes.size(); ++i) {
    is_unique[i] = indexes[i].unique;
    for (size_t j = 0; j < i && keep[i]; ++j) {
      if (keep[j] && indexes[j].index == indexes[i].index &&
          indexes[j].key == indexes[i].key) {
        keep[i] = false;
        is_unique[j] = is_unique[j] || indexes[i].unique;
      }
    }
  }
  new_entries_.clear();
  for (size_t i = 0; i < indexes.size(); ++i)
    if (keep[i])
      AppendEntry(&new_entries_, indexes[i].index, indexes[i].key, is_unique[i],
                  indexes[i].bucket);
  // Only the entries that changed are deleted and inserted: an unchanged
  // entry's B-tree page stays clean, and dirty pages are what a WAL commit
  // writes.
  std::vector<bool> stale(old.size(), true);
  for (size_t o = 0; o < old.size(); ++o) {
    for (size_t i = 0; i < indexes.size(); ++i) {
      if (keep[i] && is_unique[i] == old[o].unique &&
          indexes[i].bucket == old[o].bucket &&
          indexes[i].index == old[o].index && indexes[i].key == old[o].key) {
        keep[i] = false;  // already stored as it should be
        stale[o] = false;
        break;
      }
    }
  }

  // Phase 2: writes. A failure here poisons the transaction.
  const int64_t new_version = expected_version + 1;
  try {
    if (expected_version == 0) {
      Use q(st_.insert_record);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, key);
      BindBlob(*q, 3, value);
      BindBlob(*q, 4, new_entries_);
      q->exec();
    } else {
      Use q(st_.update_record);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, key);
      q->bind(3, new_version);
      BindBlob(*q, 4, value);
      q->bind(5, expected_version);
      BindBlob(*q, 6, new_entries_);
      if (q->exec() != 1) {
        // Unreachable under BEGIN IMMEDIATE (the version was just read), but
        // it is the guard a multi-writer backend relies on.
        return Poison(
            store_internal::VersionMismatch(table, key, expected_version, -1));
      }
    }
    for (size_t o = 0; o < old.size(); ++o) {
      if (!stale[o]) continue;
      if (old[o].bucket > 0) {
        ChangeBucket(table, old[o].index, old[o].bucket, old[o].key, key,
                     /*add=*/false);
        continue;
      }
      Use d(st_.delete_entry);
      BindText(*d, 1, tbl_buf_, table);
      BindText(*d, 2, idx_buf_, old[o].index);
      BindBlob(*d, 3, old[o].key);
      BindBlob(*d, 4, key);
      d->exec();
    }
    for (size_t i = 0; i < indexes.size(); ++i) {
      if (!keep[i]) continue;
      const IndexEntry& e = indexes[i];
      if (e.bucket > 0) {
        ChangeBucket(table, e.index, e.bucket, e.key, key, /*add=*/true);
        continue;
      }
      Use q(st_.insert_entry);
      BindText(*q, 1, tbl_buf_, table);
      BindText(*q, 2, idx_buf_, e.index);
      BindBlob(*q, 3, e.key);
      BindBlob(*q, 4, key);
      q->bind(5, is_unique[i] ? 1 : 0);
      q->exec();
    }
  } catch (const SQLite::Exception& e) {
    return Poison(FromSqlite(e, "put"));
  }
  return new_version;
}

// Adds or removes (index key, record key) in its bucket row: read, edit,
// write back (the row goes when its last entry does). Throws SQLite errors.
void SqliteTransaction::ChangeBucket(absl::string_view table,
                                     absl::string_view index, uint8_t bucket,
                                     absl::string_view index_key,
                                     absl::string_view key, bool add) {
  const absl::string_view prefix = index_key.substr(0, bucket);
  const BucketEntry entry{index_key.substr(bucket), key};
  bucket_blob_.clear();
  bool exists = false;
  {
    Use q(st_.get_bucket);
    BindText(*q, 1, tbl_buf_, table);
    BindText(*q, 2, idx_buf_, index);
    BindBlob(*q, 3, prefix);
    if (q->executeStep()) {
      exists = true;
      bucket_blob_ = ColumnBytes(q->getColumn(0));
    }
  }
  std::vector<BucketEntry> entries;
  if (!DecodeBucket(bucket_blob_, &entries))
    throw SQLite::Exception("index bucket unreadable");
  auto pos =
      std::lower_bound(entries.begin(), entries.end(), entry, BucketLess);
  const bool present =
      pos != entries.end() && pos->rest == entry.rest && pos->key == entry.key;
  if (add == present) return;  // already as wanted
  std::string blob;
  blob.reserve(bucket_blob_.size() + entry.rest.size() + key.size() + 8);
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it == pos && add) {
      AppendSized(&blob, entry.rest);
      AppendSized(&blob, entry.key);
    }
    if (it == pos && !add) continue;
    AppendSized(&blob, it->rest);
    AppendSized(&blob, it->key);
  }
  if (add && pos == entries.end()) {
    AppendSized(&blob, entry.rest);
    AppendSized(&blob, entry.key);
  }
  if (blob.empty()) {
    Use d(st_.delete_bucket);
    BindText(*d, 1, tbl_buf_, table);
    BindText(*d, 2, idx_buf_, index);
    BindBlob(*d, 3, prefix);
    d->exec();
    return;
  }
  Use w(exists ? st_.update_bucket : st_.insert_bucket);
  BindText(*w, 1, tbl_buf_, table);
  BindText(*w, 2, idx_buf_, index);
  BindBlob(*w, 3, prefix);
  BindBlob(*w, 4, blob);
  w->exec();
}

namespace {
// Where an index scan starts: at (lower, "") inclusive, or strictly after the
// resume position when that lies at or beyond it.
struct IndexStart {
  absl::string_view index_key;
  absl::string_view key;
  bool strict = false;
};
IndexStart IndexStartOf(const ScanRange& range) {
  IndexStart start{range.lower, absl::string_view(), false};
  if (range.has_start_after) {
    absl::string_view a = range.start_after_index_key;
    absl::string_view b = range.start_after_key;
    if (a > start.index_key || (a == start.index_key && b >= start.key))
      start = IndexStart{a, b, true};
  }
  return start;
}
}  // namespace

absl::StatusOr<std::vector<StoredRecord>> SqliteTransaction::Scan(
    absl::string_view table, const ScanRange& range) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  std::vector<StoredRecord> out;
  if (range.bucket > 0 && !range.index.empty()) {
    // Bucketed entries live in index_buckets: their keys first, then the
    // records.
    std::vector<std::pair<std::string, std::string>> found;
    SD_STORE_RETURN_IF_ERROR(ScanBucketKeys(
        table, range, [&](absl::string_view ik, absl::string_view k) {
          found.emplace_back(std::string(ik), std::string(k));
          return true;
        }));
    for (auto& [ik, k] : found) {
      auto rec = Get(table, k);
      if (!rec.ok()) return rec.status();
      rec->index_key = std::move(ik);
      out.push_back(*std::move(rec));
    }
    return out;
  }
  const absl::string_view upper = range.upper;
  try {
    if (range.index.empty()) {
      // Primary key: the position is (key, key). (key, key) > (a, b) holds
      // for key > a, and for key == a when a > b.
      absl::string_view lo = range.lower;
      bool strict = false;
      if (range.has_start_after) {
        absl::string_view a = range.start_after_index_key;
        bool a_strict = !(a > absl::string_view(range.start_after_key));
        if (a > lo || (a == lo && a_strict)) {
          lo = a;
          strict = a_strict;
        }
      }
      Use q(strict ? st_.scan_pk_gt : st_.scan_pk_ge);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, lo);
      while ((range.limit == 0 || out.size() < range.limit) &&
             q->executeStep()) {
        std::string key = ColumnBytes(q->getColumn(0));
        if (!upper.empty() && absl::string_view(key) >= upper) break;
        StoredRecord& rec = out.emplace_back();
        rec.version = q->getColumn(1).getInt64();
        rec.value = ColumnBytes(q->getColumn(2));
        rec.index_key = key;
        rec.key = std::move(key);
      }
      return out;
    }

    const IndexStart start = IndexStartOf(range);
    Use q(start.strict ? st_.scan_idx_gt : st_.scan_idx_ge);
    BindText(*q, 1, tbl_buf_, table);
    BindText(*q, 2, idx_buf_, range.index);
    BindBlob(*q, 3, start.index_key);
    BindBlob(*q, 4, start.key);
    while ((range.limit == 0 || out.size() < range.limit) && q->executeStep()) {
      std::string ikey = ColumnBytes(q->getColumn(0));
      if (!upper.empty() && absl::string_view(ikey) >= upper) break;
      StoredRecord& rec = out.emplace_back();
      rec.index_key = std::move(ikey);
      rec.key = ColumnBytes(q->getColumn(1));
      rec.version = q->getColumn(2).getInt64();
      rec.value = ColumnBytes(q->getColumn(3));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "scan");
  }
}

absl::Status SqliteTransaction::ScanBucketKeys(absl::string_view table,
                                               const ScanRange& range,
                                               const KeyVisitor& visit) {
  const IndexStart start = IndexStartOf(range);
  const absl::string_view upper = range.upper;
  sqlite3_stmt* q = st_.scan_buckets.get();
  ResetOnExit reset{q};
  // Buckets at or after the start key's own bucket hold every entry at or
  // after the start (truncating keys keeps their order).
  const absl::string_view first = start.index_key.substr(0, range.bucket);
  sqlite3_bind_text(q, 1, table.data(), static_cast<int>(table.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(q, 2, range.index.data(),
                    static_cast<int>(range.index.size()), SQLITE_STATIC);
  sqlite3_bind_blob(q, 3, BlobPtr(first), static_cast<int>(first.size()),
                    SQLITE_STATIC);
  std::vector<BucketEntry> entries;
  size_t n = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char* b_data = static_cast<const char*>(sqlite3_column_blob(q, 0));
    absl::string_view bucket(b_data,
                             static_cast<size_t>(sqlite3_column_bytes(q, 0)));
    // Every key in the bucket is at least the bucket itself.
    if (!upper.empty() && bucket >= upper) return absl::OkStatus();
    const char* e_data = static_cast<const char*>(sqlite3_column_blob(q, 1));
    absl::string_view blob(e_data,
                           static_cast<size_t>(sqlite3_column_bytes(q, 1)));
    if (!DecodeBucket(blob, &entries))
      return absl::DataLossError(absl::StrCat(
          "sqlite: ", table, " index '", range.index, "': bucket unreadable"));
    bucket_key_.assign(bucket.data(), bucket.size());
    for (const BucketEntry& e : entries) {
      bucket_key_.resize(bucket.size());
      bucket_key_.append(e.rest.data(), e.rest.size());
      const absl::string_view ik = bucket_key_;
      if (start.strict ? (ik < start.index_key ||
                          (ik == start.index_key && e.key <= start.key))
                       : ik < start.index_key)
        continue;
      if (!upper.empty() && ik >= upper) return absl::OkStatus();
      if (range.limit != 0 && n >= range.limit) return absl::OkStatus();
      ++n;
      if (!visit(ik, e.key)) return absl::OkStatus();
    }
  }
  return StepStatus(q, rc, "scan buckets");
}

absl::Status SqliteTransaction::ScanKeys(absl::string_view table,
                                         const ScanRange& range,
                                         const KeyVisitor& visit) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  if (range.index.empty())
    return absl::InvalidArgumentError(
        "ScanKeys: range.index must name an index");
  if (range.bucket > 0) return ScanBucketKeys(table, range, visit);
  const IndexStart start = IndexStartOf(range);
  const absl::string_view upper = range.upper;
  const bool bounded = !upper.empty();
  sqlite3_stmt* q =
      (bounded
           ? (start.strict ? st_.scan_keys_gt_below : st_.scan_keys_ge_below)
           : (start.strict ? st_.scan_keys_gt : st_.scan_keys_ge))
          .get();
  ResetOnExit reset{q};
  sqlite3_bind_text(q, 1, table.data(), static_cast<int>(table.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(q, 2, range.index.data(),
                    static_cast<int>(range.index.size()), SQLITE_STATIC);
  sqlite3_bind_blob(q, 3, BlobPtr(start.index_key),
                    static_cast<int>(start.index_key.size()), SQLITE_STATIC);
  // Non-strict starts always have an empty record key (IndexStartOf).
  if (start.strict)
    sqlite3_bind_blob(q, 4, BlobPtr(start.key),
                      static_cast<int>(start.key.size()), SQLITE_STATIC);
  if (bounded)
    sqlite3_bind_blob(q, 5, upper.data(), static_cast<int>(upper.size()),
                      SQLITE_STATIC);
  size_t n = 0;
  int rc = SQLITE_DONE;
  while ((range.limit == 0 || n < range.limit) &&
         (rc = sqlite3_step(q)) == SQLITE_ROW) {
    // Views into SQLite's row buffer, valid until the next step. Pointer
    // before size, as sqlite3_column_bytes() requires.
    const char* ik_data = static_cast<const char*>(sqlite3_column_blob(q, 0));
    absl::string_view ik(ik_data,
                         static_cast<size_t>(sqlite3_column_bytes(q, 0)));
    const char* k_data = static_cast<const char*>(sqlite3_column_blob(q, 1));
    absl::string_view k(k_data,
                        static_cast<size_t>(sqlite3_column_bytes(q, 1)));
    ++n;
    if (!visit(ik, k)) return absl::OkStatus();
  }
  if (range.limit != 0 && n >= range.limit) return absl::OkStatus();
  return StepStatus(q, rc, "scan keys");
}

absl::StatusOr<int64_t> SqliteTransaction::NextSequence(
    absl::string_view name) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  if (name.empty()) return absl::InvalidArgumentError("empty sequence name");
  try {
    {
      Use bump(st_.bump_sequence);
      BindText(*bump, 1, tbl_buf_, name);
      if (bump->exec() == 0) {
        Use start(st_.start_sequence);
        BindText(*start, 1, tbl_buf_, name);
        start->exec();
      }
    }
    Use q(st_.read_sequence);
    BindText(*q, 1, tbl_buf_, name);
    if (!q->executeStep()) {
      return Poison(absl::InternalError("sqlite: sequence row missing"));
    }
    return q->getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    return Poison(FromSqlite(e, "next sequence"));
  }
}

absl::Status SqliteTransaction::AppendEvent(absl::string_view payload) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  try {
    Use q(st_.insert_event);
    BindBlob(*q, 1, payload);
    q->exec();
    // The writer lock is held since BEGIN IMMEDIATE, so rowids handed out now
    // are in commit order across every connection to the file.
    event_seqs_.push_back(sqlite3_last_insert_rowid(conn_->db.getHandle()));
  } catch (const SQLite::Exception& e) {
    return Poison(FromSqlite(e, "append event"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CommitResult> SqliteTransaction::Commit() {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  if (!poison_.ok()) {
    Rollback();
    return poison_;
  }
  try {
    ExecOnce(st_.commit);
  } catch (const SQLite::Exception& e) {
    absl::Status s = FromSqlite(e, "commit");
    Rollback();
    return s;
  }
  Release();
  CommitResult result;
  result.event_seqs = std::move(event_seqs_);
  return result;
}

}  // namespace

namespace store_internal {
absl::Status CapSqliteFileForTesting(Store& store, bool cap) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&store);
  if (sqlite == nullptr)
    return absl::InvalidArgumentError("store: not a SQLite store");
  return sqlite->CapFile(cap);
}
}  // namespace store_internal

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteStoreOptions& options) {
  if (path.empty()) return absl::InvalidArgumentError("empty sqlite path");
  try {
    auto store = std::make_unique<SqliteStore>(path, options);
    SD_STORE_RETURN_IF_ERROR(store->Init());
    return std::unique_ptr<Store>(std::move(store));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, absl::StrCat("open ", path));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("sqlite: open ", path, ": ", e.what()));
  }
}

}  // namespace servicedesk
