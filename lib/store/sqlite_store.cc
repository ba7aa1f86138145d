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
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
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
};
constexpr int kSchemaVersion =
    static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

// Connection settings, applied to every connection. synchronous=NORMAL in WAL
// mode: a commit is durable against a crash of the process, but the last
// commits may be lost (never corrupted) on power loss or an OS crash, because
// the WAL is fsynced at checkpoints, not at every commit.
constexpr char kConnectionPragmas[] =
    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

absl::Status FromSqlite(const SQLite::Exception& e, absl::string_view what) {
  const int code = e.getErrorCode();
  const int ext = e.getExtendedErrorCode();
  std::string msg = absl::StrCat("sqlite: ", what, ": ", e.what());
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
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

// Prepared statements of the write connection, reused with reset().
struct Statements {
  explicit Statements(SQLite::Database& db)
      : begin_immediate(db, "BEGIN IMMEDIATE"),
        begin_deferred(db, "BEGIN"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        get(db, "SELECT version, value FROM records WHERE tbl=?1 AND key=?2"),
        insert_record(db,
                      "INSERT INTO records(tbl, key, version, value) "
                      "VALUES(?1, ?2, 1, ?3)"),
        update_record(db,
                      "UPDATE records SET version=?3, value=?4 "
                      "WHERE tbl=?1 AND key=?2 AND version=?5"),
        find_unique(db,
                    "SELECT key FROM index_entries WHERE tbl=?1 AND idx=?2 "
                    "AND ikey=?3 AND uniq"),
        delete_entries(db, "DELETE FROM index_entries WHERE tbl=?1 AND key=?2"),
        insert_entry(db,
                     "INSERT INTO index_entries(tbl, idx, ikey, key, uniq) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)"),
        insert_event(db, "INSERT INTO events(payload) VALUES(?1)"),
        next_sequence(db,
                      "INSERT INTO sequences(name, value) VALUES(?1, 1) "
                      "ON CONFLICT(name) DO UPDATE SET value=value+1 "
                      "RETURNING value"),
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
        scan_keys_ge(db,
                     "SELECT ikey, key FROM index_entries "
                     "WHERE tbl=?1 AND idx=?2 AND (ikey, key)>=(?3, ?4) "
                     "ORDER BY ikey, key"),
        scan_keys_gt(db,
                     "SELECT ikey, key FROM index_entries "
                     "WHERE tbl=?1 AND idx=?2 AND (ikey, key)>(?3, ?4) "
                     "ORDER BY ikey, key") {}

  SQLite::Statement begin_immediate;
  SQLite::Statement begin_deferred;
  SQLite::Statement commit;
  SQLite::Statement rollback;
  SQLite::Statement get;
  SQLite::Statement insert_record;
  SQLite::Statement update_record;
  SQLite::Statement find_unique;
  SQLite::Statement delete_entries;
  SQLite::Statement insert_entry;
  SQLite::Statement insert_event;
  SQLite::Statement next_sequence;
  SQLite::Statement scan_pk_ge;
  SQLite::Statement scan_pk_gt;
  SQLite::Statement scan_idx_ge;
  SQLite::Statement scan_idx_gt;
  SQLite::Statement scan_keys_ge;
  SQLite::Statement scan_keys_gt;
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

class SqliteStore;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteStore* store, TxMode mode,
                    std::unique_lock<std::mutex> lock);
  ~SqliteTransaction() override;

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
  absl::Status CheckOpen() const {
    if (!lock_.owns_lock()) {
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

  SqliteStore* store_;
  Statements& st_;
  TxMode mode_;
  std::unique_lock<std::mutex> lock_;
  absl::Status poison_;
  std::vector<int64_t> event_seqs_;
  std::string tbl_buf_;  // bound TEXT parameters (see BindText)
  std::string idx_buf_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteStoreOptions& options)
      : db_(path,
            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
            options.busy_timeout_ms),
        path_(path),
        busy_timeout_ms_(options.busy_timeout_ms) {}

  // Throws SQLite::Exception on SQLite errors.
  absl::Status Init() {
    {
      SQLite::Statement wal(db_, "PRAGMA journal_mode=WAL");
      std::string mode = wal.executeStep() ? wal.getColumn(0).getString() : "";
      if (mode != "wal") {
        return absl::FailedPreconditionError(
            absl::StrCat("sqlite: cannot enable WAL on ", path_,
                         " (journal_mode is '", mode, "'); need a file"));
      }
    }
    db_.exec(kConnectionPragmas);
    SD_STORE_RETURN_IF_ERROR(Migrate());
    st_ = std::make_unique<Statements>(db_);
    events_db_ = std::make_unique<SQLite::Database>(
        path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, busy_timeout_ms_);
    events_db_->exec(kConnectionPragmas);
    read_events_ = std::make_unique<SQLite::Statement>(
        *events_db_,
        "SELECT seq, payload FROM events WHERE seq>?1 ORDER BY seq LIMIT ?2");
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    std::unique_lock<std::mutex> lock(mu_);
    try {
      ExecOnce(mode == TxMode::kReadWrite ? st_->begin_immediate
                                          : st_->begin_deferred);
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "begin");
    }
    return std::unique_ptr<Transaction>(
        new SqliteTransaction(this, mode, std::move(lock)));
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

 private:
  friend class SqliteTransaction;

  absl::Status Migrate() {
    // Under the write lock, so processes opening a fresh file concurrently
    // migrate it once.
    db_.exec("BEGIN IMMEDIATE");
    try {
      int version = 0;
      {
        SQLite::Statement q(db_, "PRAGMA user_version");
        if (q.executeStep()) version = q.getColumn(0).getInt();
      }
      if (version > kSchemaVersion) {
        db_.exec("ROLLBACK");
        return absl::FailedPreconditionError(
            absl::StrCat("sqlite: ", path_, " has schema version ", version,
                         ", newer than this library's ", kSchemaVersion));
      }
      for (int v = version; v < kSchemaVersion; ++v) db_.exec(kMigrations[v]);
      if (version != kSchemaVersion) {
        db_.exec(absl::StrCat("PRAGMA user_version=", kSchemaVersion));
      }
      db_.exec("COMMIT");
    } catch (...) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    return absl::OkStatus();
  }

  SQLite::Database db_;
  std::string path_;
  int busy_timeout_ms_;
  std::mutex mu_;  // held by the live transaction; guards db_ and st_
  std::unique_ptr<Statements> st_;

  std::mutex events_mu_;  // guards events_db_ and read_events_
  std::unique_ptr<SQLite::Database> events_db_;
  std::unique_ptr<SQLite::Statement> read_events_;
};

SqliteTransaction::SqliteTransaction(SqliteStore* store, TxMode mode,
                                     std::unique_lock<std::mutex> lock)
    : store_(store), st_(*store->st_), mode_(mode), lock_(std::move(lock)) {}

SqliteTransaction::~SqliteTransaction() {
  if (lock_.owns_lock()) Rollback();
}

void SqliteTransaction::Rollback() {
  try {
    ExecOnce(st_.rollback);
  } catch (const SQLite::Exception&) {
    // Nothing to report to: SQLite rolls back itself when it cannot.
  }
  lock_.unlock();
}

absl::StatusOr<StoredRecord> SqliteTransaction::Get(absl::string_view table,
                                                    absl::string_view key) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  try {
    Use q(st_.get);
    BindText(*q, 1, tbl_buf_, table);
    BindBlob(*q, 2, key);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat(table, "/", key, " not found"));
    }
    StoredRecord out;
    out.key.assign(key.data(), key.size());
    out.version = q->getColumn(0).getInt64();
    out.value = ColumnBytes(q->getColumn(1));
    return out;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "get");
  }
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
    {
      Use q(st_.get);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, key);
      if (q->executeStep()) current = q->getColumn(0).getInt64();
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

  // Phase 2: writes. A failure here poisons the transaction.
  const int64_t new_version = expected_version + 1;
  try {
    if (expected_version == 0) {
      Use q(st_.insert_record);
      BindText(*q, 1, tbl_buf_, table);
      BindBlob(*q, 2, key);
      BindBlob(*q, 3, value);
      q->exec();
    } else {
      {
        Use q(st_.update_record);
        BindText(*q, 1, tbl_buf_, table);
        BindBlob(*q, 2, key);
        q->bind(3, new_version);
        BindBlob(*q, 4, value);
        q->bind(5, expected_version);
        if (q->exec() != 1) {
          // Unreachable under BEGIN IMMEDIATE (the version was just read), but
          // it is the guard a multi-writer backend relies on.
          return Poison(store_internal::VersionMismatch(table, key,
                                                        expected_version, -1));
        }
      }
      Use d(st_.delete_entries);
      BindText(*d, 1, tbl_buf_, table);
      BindBlob(*d, 2, key);
      d->exec();
    }
    for (size_t i = 0; i < indexes.size(); ++i) {
      const IndexEntry& e = indexes[i];
      // A record listing the same (index, key) twice stores it once, unique
      // if any of the duplicates is.
      bool duplicate = false;
      bool unique = e.unique;
      for (size_t j = 0; j < indexes.size(); ++j) {
        if (j == i || indexes[j].index != e.index || indexes[j].key != e.key) {
          continue;
        }
        if (j < i) {
          duplicate = true;
          break;
        }
        unique = unique || indexes[j].unique;
      }
      if (duplicate) continue;
      Use q(st_.insert_entry);
      BindText(*q, 1, tbl_buf_, table);
      BindText(*q, 2, idx_buf_, e.index);
      BindBlob(*q, 3, e.key);
      BindBlob(*q, 4, key);
      q->bind(5, unique ? 1 : 0);
      q->exec();
    }
  } catch (const SQLite::Exception& e) {
    return Poison(FromSqlite(e, "put"));
  }
  return new_version;
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

absl::Status SqliteTransaction::ScanKeys(absl::string_view table,
                                         const ScanRange& range,
                                         const KeyVisitor& visit) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  if (range.index.empty())
    return absl::InvalidArgumentError(
        "ScanKeys: range.index must name an index");
  const IndexStart start = IndexStartOf(range);
  const absl::string_view upper = range.upper;
  try {
    Use q(start.strict ? st_.scan_keys_gt : st_.scan_keys_ge);
    BindText(*q, 1, tbl_buf_, table);
    BindText(*q, 2, idx_buf_, range.index);
    BindBlob(*q, 3, start.index_key);
    BindBlob(*q, 4, start.key);
    size_t n = 0;
    while ((range.limit == 0 || n < range.limit) && q->executeStep()) {
      // Views into SQLite's row buffer, valid until the next step.
      // Pointer before size, as sqlite3_column_bytes() requires.
      const SQLite::Column ikey = q->getColumn(0);
      const char* ik_data = static_cast<const char*>(ikey.getBlob());
      absl::string_view ik(ik_data, static_cast<size_t>(ikey.getBytes()));
      if (!upper.empty() && ik >= upper) break;
      const SQLite::Column key = q->getColumn(1);
      const char* k_data = static_cast<const char*>(key.getBlob());
      absl::string_view k(k_data, static_cast<size_t>(key.getBytes()));
      ++n;
      if (!visit(ik, k)) break;
    }
    return absl::OkStatus();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "scan keys");
  }
}

absl::StatusOr<int64_t> SqliteTransaction::NextSequence(
    absl::string_view name) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  if (name.empty()) return absl::InvalidArgumentError("empty sequence name");
  try {
    Use q(st_.next_sequence);
    BindText(*q, 1, tbl_buf_, name);
    if (!q->executeStep()) {
      return Poison(absl::InternalError("sqlite: sequence upsert no row"));
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
    event_seqs_.push_back(sqlite3_last_insert_rowid(store_->db_.getHandle()));
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
  lock_.unlock();
  CommitResult result;
  result.event_seqs = std::move(event_seqs_);
  return result;
}

}  // namespace

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
