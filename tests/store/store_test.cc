// Runs the conformance suite against the built-in backends, plus the tests
// that are specific to one backend or to the key encodings.
#include "servicedesk/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "lib/store/sqlite_wal_vfs.h"
#include "lib/store/store_internal.h"
#include "servicedesk/desk.h"
#include "servicedesk/servicedesk.h"
#include "tests/store/store_conformance.h"

namespace servicedesk {
namespace testing_store {

// One line per backend.
INSTANTIATE_TEST_SUITE_P(Memory, StoreConformanceTest,
                         ::testing::Values(StoreBackendFactory{
                             "memory", &MakeMemoryFixture}),
                         BackendName);
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreBackendFactory{
                             "sqlite", &MakeSqliteFixture}),
                         BackendName);

namespace {

TEST(KeyEncodingTest, RoundTripsAndOrders) {
  const std::vector<int64_t> values = {std::numeric_limits<int64_t>::min(),
                                       std::numeric_limits<int64_t>::min() + 1,
                                       -4294967296,
                                       -256,
                                       -1,
                                       0,
                                       1,
                                       255,
                                       256,
                                       4294967296,
                                       std::numeric_limits<int64_t>::max() - 1,
                                       std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string e = EncodeOrderedInt64(values[i]);
    EXPECT_EQ(e.size(), 8u);
    EXPECT_EQ(DecodeOrderedInt64(e), values[i]);
    if (i > 0) {
      EXPECT_LT(EncodeOrderedInt64(values[i - 1]), e) << values[i];
    }
  }
  EXPECT_EQ(EncodeOrderedInt64(0), std::string("\x80\0\0\0\0\0\0\0", 8));
  // Decoding reads the first 8 bytes, so composite keys decode by prefix.
  EXPECT_EQ(DecodeOrderedInt64(EncodeOrderedInt64(-7) + "suffix"), -7);
}

// A temp directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "sd_sqlite_XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The memory backend hands a rolled-back sequence value out again, as SQLite
// does, so a refused call uses up no id on either embedded backend.
TEST(MemoryStoreTest, RolledBackSequenceValuesAreHandedOutAgain) {
  std::unique_ptr<Store> store = NewMemoryStore();
  {
    auto tx = store->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ(*(*tx)->NextSequence("request"), 1);
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto tx = store->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ(*(*tx)->NextSequence("request"), 2);
    EXPECT_EQ(*(*tx)->NextSequence("request"), 3);
    EXPECT_EQ(*(*tx)->NextSequence("dialog"), 1);
  }  // rolled back
  auto tx = store->Begin(TxMode::kReadWrite);
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(*(*tx)->NextSequence("request"), 2);
  EXPECT_EQ(*(*tx)->NextSequence("dialog"), 1);
}

TEST(SqliteStoreTest, RejectsEmptyPath) {
  EXPECT_EQ(OpenSqliteStore("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SqliteStoreTest, UnopenablePathIsUnavailable) {
  TempDir dir;
  auto s = OpenSqliteStore(dir.File("no/such/dir/store.db"));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable) << s.status();
}

TEST(SqliteStoreTest, CreatesWalFileWithSchemaVersion) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    auto s = OpenSqliteStore(path);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ((*s)->backend_name(), "sqlite");
  }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_GE(db.execAndGet("PRAGMA user_version").getInt(), 1);
  EXPECT_TRUE(db.tableExists("records"));
  EXPECT_TRUE(db.tableExists("index_entries"));
  EXPECT_TRUE(db.tableExists("events"));
  EXPECT_TRUE(db.tableExists("sequences"));
}

// A file written by schema version 1 (events with AUTOINCREMENT) keeps its
// events and their seqs, and new events continue after them.
TEST(SqliteStoreTest, MigratesVersionOneEvents) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(R"sql(
CREATE TABLE records(tbl TEXT NOT NULL, key BLOB NOT NULL,
  version INTEGER NOT NULL, value BLOB NOT NULL,
  PRIMARY KEY(tbl, key)) WITHOUT ROWID;
CREATE TABLE index_entries(tbl TEXT NOT NULL, idx TEXT NOT NULL,
  ikey BLOB NOT NULL, key BLOB NOT NULL, uniq INTEGER NOT NULL,
  PRIMARY KEY(tbl, idx, ikey, key),
  FOREIGN KEY(tbl, key) REFERENCES records(tbl, key) ON DELETE CASCADE)
  WITHOUT ROWID;
CREATE UNIQUE INDEX index_entries_unique ON index_entries(tbl, idx, ikey)
  WHERE uniq;
CREATE INDEX index_entries_by_record ON index_entries(tbl, key);
CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT,
  payload BLOB NOT NULL);
CREATE TABLE sequences(name TEXT PRIMARY KEY,
  value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO events(payload) VALUES(x'61'), (x'62');
INSERT INTO records VALUES('t', x'6b', 1, x'7631');
INSERT INTO index_entries VALUES('t', 'i', x'61', x'6b', 0);
INSERT INTO index_entries VALUES('t', 'u', x'75', x'6b', 1);
PRAGMA user_version=1;
)sql");
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status();
  {
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok()) << tx.status();
    ASSERT_TRUE((*tx)->AppendEvent("c").ok());
    auto committed = (*tx)->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status();
    EXPECT_EQ(committed->event_seqs, std::vector<int64_t>{3});
  }
  {
    // The record's version-1 entries are known to the new schema: an update
    // replaces them.
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(
        (*tx)->Put("t", "k", 1, "v2", {{"i", "b"}, {"u", "u", true}}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
    auto read = (*store)->Begin(TxMode::kReadOnly);
    ASSERT_TRUE(read.ok());
    ScanRange range;
    range.index = "i";
    auto rows = (*read)->Scan("t", range);
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].index_key, "b");
    EXPECT_EQ((*rows)[0].value, "v2");
  }
  auto events = (*store)->ReadEvents(0, 0);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].seq, 1);
  EXPECT_EQ((*events)[0].payload, "a");
  EXPECT_EQ((*events)[2].payload, "c");
  store->reset();
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM index_entries WHERE idx='u'")
                .getInt(),
            1);
}

// Read-only transactions run on their own connections: a reader sees the
// last committed state while another thread holds the write transaction.
TEST(SqliteStoreTest, ReadsRunBesideTheWriter) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("r.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  {
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Put("t", "k", 0, "v1", {}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto writer = (*store)->Begin(TxMode::kReadWrite);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Put("t", "k", 1, "v2", {}).ok());
  std::string seen;
  std::thread reader([&] {
    auto tx = (*store)->Begin(TxMode::kReadOnly);
    ASSERT_TRUE(tx.ok()) << tx.status();
    auto got = (*tx)->Get("t", "k");
    ASSERT_TRUE(got.ok()) << got.status();
    seen = got->value;
  });
  reader.join();  // would deadlock if reads waited for the writer
  EXPECT_EQ(seen, "v1");
  ASSERT_TRUE((*writer)->Commit().ok());
  auto tx = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)->Get("t", "k")->value, "v2");
}

// The store writes WAL frames through a buffering VFS (sqlite_wal_vfs.cc).
// A transaction far larger than its buffer, with pages rewritten within the
// transaction, commits whole and is read back by another process's view of
// the file (a plain SQLite connection, default VFS) and after reopening.
TEST(SqliteStoreTest, LargeTransactionsReachTheFileWhole) {
  TempDir dir;
  const std::string path = dir.File("big.db");
  // 3 MB of values, some rewritten, across several index entries each.
  auto value = [](int i, int round) {
    return std::string(2000 + (i * 37) % 3000, static_cast<char>('a' + round));
  };
  constexpr int kRecords = 1000;
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok()) << store.status();
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < kRecords; ++i) {
        const std::string key = "k" + std::to_string(i);
        std::vector<IndexEntry> idx = {
            {"by_len", EncodeOrderedInt64(value(i, round).size()) + key},
            {"by_round", std::string(1, static_cast<char>(round)) + key}};
        ASSERT_TRUE((*tx)->Put("t", key, round, value(i, round), idx).ok());
      }
    }
    ASSERT_TRUE((*tx)->Commit().ok());
    // Another connection to the file, not through the store's VFS.
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM records").getInt(),
              kRecords);
    EXPECT_EQ(raw.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto tx = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  for (int i = 0; i < kRecords; i += 97) {
    auto got = (*tx)->Get("t", "k" + std::to_string(i));
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->value, value(i, 1));
    EXPECT_EQ(got->version, 2);
  }
  ScanRange r;
  r.index = "by_round";
  r.lower = std::string(1, '\1');
  auto rows = (*tx)->Scan("t", r);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), static_cast<size_t>(kRecords));
}

// A committed transaction is in the file when Commit returns: a process that
// dies right after (no destructors, no close) loses nothing, and a rolled-back
// transaction leaves nothing.
TEST(SqliteStoreTest, CommitSurvivesAProcessThatDiesWithoutClosing) {
  TempDir dir;
  const std::string path = dir.File("crash.db");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenSqliteStore(path);
    if (!store.ok()) _exit(2);
    for (int i = 0; i < 50; ++i) {
      auto tx = (*store)->Begin(TxMode::kReadWrite);
      if (!tx.ok() ||
          !(*tx)
               ->Put("t", "k" + std::to_string(i), 0, std::string(3000, 'x'),
                     {{"i", EncodeOrderedInt64(i)}})
               .ok() ||
          !(*tx)->Commit().ok())
        _exit(3);
    }
    auto tx = (*store)->Begin(TxMode::kReadWrite);
    if (!tx.ok() || !(*tx)->Put("t", "never", 0, "x", {}).ok()) _exit(4);
    _exit(0);  // mid-transaction, nothing closed
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto tx = (*store)->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  for (int i = 0; i < 50; ++i)
    EXPECT_TRUE((*tx)->Get("t", "k" + std::to_string(i)).ok()) << i;
  EXPECT_TRUE(absl::IsNotFound((*tx)->Get("t", "never").status()));
}

// Raw SQLite connections for the VFS tests below: `vfs` null = default VFS.
sqlite3* OpenRaw(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  return db;
}
std::string QueryOne(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
    return std::string("error: ") + sqlite3_errmsg(db);
  std::string out;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  else if (rc != SQLITE_DONE)
    out = std::string("error: ") + sqlite3_errmsg(db);
  sqlite3_finalize(st);
  return out;
}
int ExecRaw(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
}
void CopyFileTo(const std::string& from, const std::string& to) {
  std::filesystem::copy_file(from, to,
                             std::filesystem::copy_options::overwrite_existing);
}

// A transaction that spills to the WAL and then changes spilled pages again
// makes SQLite rewrite frame checksums at commit, ending with a header no page
// write follows. The commit must still be in the file when COMMIT returns:
// a crash image taken then recovers it whole.
TEST(SqliteWalVfsTest, CommitWithRewrittenChecksumsSurvivesACrash) {
  TempDir dir;
  const std::string path = dir.File("a.db"), image = dir.File("image.db");
  sqlite3* a = OpenRaw(path, store_internal::WalVfsName());
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(ExecRaw(a,
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    "CREATE TABLE t(x INTEGER PRIMARY KEY, y BLOB);"
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 "
                    "FROM c WHERE i<2000) INSERT INTO t SELECT i*2, "
                    "randomblob(300) FROM c; PRAGMA wal_checkpoint(TRUNCATE);"
                    "UPDATE t SET y=randomblob(300) WHERE x=2000;"
                    "PRAGMA cache_size=10; BEGIN;"
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 "
                    "FROM c WHERE i<2000) INSERT INTO t SELECT i*2+1, "
                    "randomblob(600) FROM c;"
                    "UPDATE t SET y=randomblob(300) WHERE x%97=0; COMMIT;"),
            SQLITE_OK)
      << sqlite3_errmsg(a);
  // The store's checkpointer copies the WAL into the file meanwhile.
  sqlite3* k = OpenRaw(path, nullptr);
  ExecRaw(k, "PRAGMA wal_checkpoint(PASSIVE)");
  CopyFileTo(path, image);
  CopyFileTo(path + "-wal", image + "-wal");
  sqlite3* c = OpenRaw(image, nullptr);
  EXPECT_EQ(QueryOne(c, "SELECT count(*) FROM t"), "4000");
  EXPECT_EQ(QueryOne(c, "PRAGMA integrity_check"), "ok");
  sqlite3_close(c);
  sqlite3_close(k);
  sqlite3_close(a);
}

// Frames a rolled-back transaction spilled must never reach the file after
// the write lock is gone: another writer appends at the same offsets.
TEST(SqliteWalVfsTest, RolledBackFramesNeverOverwriteAnotherWriter) {
  TempDir dir;
  const std::string path = dir.File("b.db");
  sqlite3* a = OpenRaw(path, store_internal::WalVfsName());
  sqlite3* b = OpenRaw(path, nullptr);
  ASSERT_EQ(ExecRaw(a,
                    "PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER "
                    "PRIMARY KEY, y BLOB); PRAGMA wal_checkpoint(TRUNCATE);"
                    "PRAGMA cache_size=10; BEGIN; WITH RECURSIVE c(i) AS "
                    "(SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<100) "
                    "INSERT INTO t SELECT i, randomblob(1000) FROM c; "
                    "ROLLBACK;"),
            SQLITE_OK)
      << sqlite3_errmsg(a);
  ASSERT_EQ(ExecRaw(b,
                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 "
                    "FROM c WHERE i<150) INSERT INTO t SELECT i, "
                    "zeroblob(1000) FROM c;"),
            SQLITE_OK)
      << sqlite3_errmsg(b);
  EXPECT_EQ(QueryOne(a, "SELECT count(*) FROM t"), "150");
  sqlite3* fresh = OpenRaw(path, nullptr);
  EXPECT_EQ(QueryOne(fresh, "SELECT count(*) FROM t"), "150");
  EXPECT_EQ(QueryOne(fresh, "PRAGMA integrity_check"), "ok");
  sqlite3_close(fresh);
  sqlite3_close(b);
  sqlite3_close(a);
}

TEST(SqliteStoreTest, NewerSchemaIsFailedPrecondition) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  ASSERT_TRUE(OpenSqliteStore(path).ok());
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version=999");
  }
  auto s = OpenSqliteStore(path);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
}

TEST(SqliteStoreTest, NotADatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("junk.db");
  {
    FILE* f = fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string junk(4096, 'j');
    fwrite(junk.data(), 1, junk.size(), f);
    fclose(f);
  }
  auto s = OpenSqliteStore(path);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable) << s.status();
}

// One row of a one-column query on `path`, read with plain SQLite.
std::string QueryOne(const std::string& path, const char* sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  return q.executeStep() ? q.getColumn(0).getString() : "";
}

// Another application's database is refused before anything in it changes.
TEST(SqliteStoreTest, AnotherApplicationsDatabaseIsLeftAsItWas) {
  TempDir dir;
  const std::string path = dir.File("crm.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("PRAGMA user_version=1");
  }
  auto s = OpenSqliteStore(path);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
  EXPECT_NE(s.status().message().find("not a servicedesk database"),
            std::string::npos);
  EXPECT_NE(s.status().message().find("customers"), std::string::npos);
  EXPECT_EQ(QueryOne(path, "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(QueryOne(path, "SELECT count(*) FROM sqlite_master"), "1");
  EXPECT_EQ(QueryOne(path, "PRAGMA user_version"), "1");
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));

  // A view (or trigger, or index) of no servicedesk table counts too.
  const std::string views = dir.File("views.db");
  {
    SQLite::Database db(views, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE VIEW report AS SELECT 1 AS one");
  }
  s = OpenSqliteStore(views);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
  EXPECT_NE(s.status().message().find("it has view 'report'"),
            std::string::npos);

  // One that marks itself as another application's, even without tables.
  const std::string other = dir.File("other.db");
  {
    SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id=42");
  }
  s = OpenSqliteStore(other);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
  EXPECT_NE(s.status().message().find("application_id 42"), std::string::npos);

  // A servicedesk file is marked as one.
  const std::string mine = dir.File("desk.db");
  ASSERT_TRUE(OpenSqliteStore(mine).ok());
  EXPECT_EQ(QueryOne(mine, "PRAGMA application_id"),
            std::to_string(0x5344534B));
}

// Processes opening a new file at the same moment all succeed: switching it
// to WAL waits for the others within the busy timeout.
TEST(SqliteStoreTest, ManyProcessesOpenAFreshFileAtOnce) {
  TempDir dir;
  int failed = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string path = dir.File("fresh" + std::to_string(round) + ".db");
    // The children start together when the parent closes the pipe.
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        close(go[1]);
        char c;
        (void)!read(go[0], &c, 1);
        _exit(OpenSqliteStore(path).ok() ? 0 : 1);
      }
      children.push_back(pid);
    }
    close(go[0]);
    close(go[1]);
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    }
  }
  EXPECT_EQ(failed, 0);
}

// Opens `path` in a child process, running as user and group 65534
// (nobody) when this one is root (root may write anywhere). "refused" if
// that open was refused with FAILED_PRECONDITION and a message holding
// every one of `words`, "opened" if it succeeded, else "other".
std::string OpenAsNobody(const std::string& path,
                         std::initializer_list<std::string> words = {}) {
  pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    auto s = OpenSqliteStore(path);
    if (s.ok()) _exit(1);
    if (s.status().code() != absl::StatusCode::kFailedPrecondition) _exit(2);
    for (const std::string& w : words)
      if (s.status().message().find(w) == std::string::npos) _exit(2);
    _exit(0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return "other";
  switch (WEXITSTATUS(status)) {
    case 0:
      return "refused";
    case 1:
      return "opened";
    default:
      return "other";
  }
}

// Read and enter, nobody may create files.
constexpr std::filesystem::perms kNoWrite =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
    std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
    std::filesystem::perms::others_read | std::filesystem::perms::others_exec;

// A file this process may not write is refused at open, before SQLite
// creates a -wal or -shm beside it that its owner could not open again.
TEST(SqliteStoreTest, AReadOnlyFileIsRefusedAtOpenAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("ro.db");
  ASSERT_TRUE(OpenSqliteStore(path).ok());  // created, then closed
  ASSERT_FALSE(std::filesystem::exists(path + "-shm"));
  std::filesystem::permissions(
      std::filesystem::path(path).parent_path(),
      std::filesystem::perms::all);  // others may create files here
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  EXPECT_EQ(OpenAsNobody(path, {"read-only"}), "refused");
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

// A writable file in a folder this process may not create files in: WAL
// mode cannot make its -wal and -shm there. The refusal says so, as
// FAILED_PRECONDITION (a setting to fix, not a moment to wait out).
TEST(SqliteStoreTest, AFolderWithoutRoomForTheWalIsRefusedAtOpen) {
  TempDir dir;
  const std::string folder = dir.File("locked");
  std::filesystem::create_directory(folder);
  const std::string path = folder + "/f.db";
  ASSERT_TRUE(OpenSqliteStore(path).ok());  // created, then closed
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  std::filesystem::permissions(path, std::filesystem::perms::all);
  std::filesystem::permissions(
      dir.File(""), std::filesystem::perms::all);  // reachable for others
  // Through a symlink in a folder nobody may write, to a file in one that
  // anyone may: SQLite keeps -wal and -shm beside the file, so it opens.
  const std::string open_folder = dir.File("open");
  std::filesystem::create_directory(open_folder);
  std::filesystem::permissions(open_folder, std::filesystem::perms::all);
  const std::string target = open_folder + "/g.db";
  ASSERT_TRUE(OpenSqliteStore(target).ok());
  std::filesystem::permissions(target, std::filesystem::perms::all);
  const std::string link = folder + "/link.db";
  std::filesystem::create_symlink(target, link);

  std::filesystem::permissions(folder, kNoWrite);
  EXPECT_EQ(OpenAsNobody(path, {"-wal", folder}), "refused");
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(OpenAsNobody(link), "opened");
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
}

TEST(SqliteStoreTest, BusyWriterIsUnavailableAfterTimeout) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 50;
  auto store = OpenSqliteStore(path, options);
  ASSERT_TRUE(store.ok()) << store.status();
  // Another connection (as another process would) holds the write lock.
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  auto tx = (*store)->Begin(TxMode::kReadWrite);
  EXPECT_EQ(tx.status().code(), absl::StatusCode::kUnavailable) << tx.status();
  // Readers are not blocked by a writer in WAL mode.
  auto ro = (*store)->Begin(TxMode::kReadOnly);
  EXPECT_TRUE(ro.ok()) << ro.status();
  ro->reset();
  other.exec("ROLLBACK");
  auto tx2 = (*store)->Begin(TxMode::kReadWrite);
  EXPECT_TRUE(tx2.ok()) << tx2.status();
}

// A write that finds the database or the disk full is RESOURCE_EXHAUSTED
// and leaves the desk as it was; once there is room, writes work again.
TEST(SqliteStoreTest, AFullDatabaseIsResourceExhaustedAndWritesNothing) {
  TempDir dir;
  const std::string path = dir.File("full.db");
  auto desk = Desk::Open("sqlite:" + path);
  ASSERT_TRUE(desk.ok()) << desk.status();
  const Actor admin = AdminActor("root");
  auto center = [&](int i) {
    v1::ServiceCenter c;
    c.set_code(absl::StrCat("C-", i));
    c.set_name(absl::StrCat("Center ", i, " ", std::string(150, 'x')));
    c.set_region("Region");
    c.set_time_zone("Europe/Moscow");
    return (*desk)->centers().Create(admin, c);
  };
  auto count = [&] {
    CenterFilter every;
    every.include_inactive = true;
    auto all = (*desk)->centers().List(admin, every);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? all->items.size() : 0;
  };
  auto events = [&] {
    auto all = (*desk)->events().List(admin, 0);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? all->size() : 0;
  };
  ASSERT_TRUE(center(0).ok());
  ASSERT_TRUE(
      store_internal::CapSqliteFileForTesting((*desk)->store(), true).ok());
  // Writes fit in the pages the file has until one needs another page.
  absl::Status full;
  int i = 1;
  size_t centers_before = 0, events_before = 0;
  for (; i < 200 && full.ok(); ++i) {
    centers_before = count();
    events_before = events();
    full = center(i).status();
  }
  ASSERT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
  EXPECT_NE(full.message().find("the database or the disk is full"),
            absl::string_view::npos)
      << full;
  EXPECT_NE(full.message().find("rolled back"), absl::string_view::npos)
      << full;
  EXPECT_EQ(count(), centers_before);
  EXPECT_EQ(events(), events_before);
  const std::string refused_code = absl::StrCat("C-", i - 1);
  EXPECT_EQ((*desk)->centers().GetByCode(admin, refused_code).status().code(),
            absl::StatusCode::kNotFound);

  ASSERT_TRUE(
      store_internal::CapSqliteFileForTesting((*desk)->store(), false).ok());
  auto again = center(i - 1);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(count(), centers_before + 1);
  // The memory backend has no file to cap.
  auto memory = Desk::Open("memory:");
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(
      store_internal::CapSqliteFileForTesting((*memory)->store(), true).code(),
      absl::StatusCode::kInvalidArgument);
}

// URI-only callers (C, Python, sdctl) set the SQLite options in the URI.
TEST(DeskUriTest, SqliteOptionsComeFromTheQuery) {
  TempDir dir;
  const std::string path = dir.File("q.db");
  auto desk = Desk::Open("sqlite:" + path +
                         "?busy_timeout_ms=0&background_checkpoint=false");
  ASSERT_TRUE(desk.ok()) << desk.status();
  EXPECT_EQ((*desk)->store().backend_name(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(path));  // the query is not in the name
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  // With the default timeout (5 s) Begin would wait; with 0 it does not.
  const auto start = std::chrono::steady_clock::now();
  auto tx = (*desk)->store().Begin(TxMode::kReadWrite);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(tx.status().code(), absl::StatusCode::kUnavailable) << tx.status();
  EXPECT_LT(waited, std::chrono::milliseconds(2500));
  other.exec("ROLLBACK");
  EXPECT_TRUE((*desk)->store().Begin(TxMode::kReadWrite).ok());
}

TEST(DeskUriTest, BadOptionsAreRefusedBeforeAnythingIsCreated) {
  TempDir dir;
  const std::string path = dir.File("bad.db");
  struct Case {
    std::string query, named;
  };
  for (const Case& c : std::vector<Case>{
           {"?cache=big", "cache"},
           {"?busy_timeout_ms=-1", "busy_timeout_ms"},
           {"?busy_timeout_ms=soon", "busy_timeout_ms"},
           {"?busy_timeout_ms=99999999999", "busy_timeout_ms"},
           {"?background_checkpoint=maybe", "background_checkpoint"},
       }) {
    auto desk = Desk::Open("sqlite:" + path + c.query);
    EXPECT_EQ(desk.status().code(), absl::StatusCode::kInvalidArgument)
        << c.query;
    EXPECT_NE(desk.status().message().find("uri"), absl::string_view::npos)
        << desk.status();
    EXPECT_NE(desk.status().message().find(c.named), absl::string_view::npos)
        << desk.status();
    EXPECT_FALSE(std::filesystem::exists(path)) << c.query;
  }
  for (const char* uri : {"memory:x", "memory:?busy_timeout_ms=1"}) {
    auto desk = Desk::Open(uri);
    EXPECT_EQ(desk.status().code(), absl::StatusCode::kInvalidArgument) << uri;
  }
  EXPECT_TRUE(Desk::Open("memory://").ok());
}

// A bare path is a file name as it is: '?' included, no options.
TEST(DeskUriTest, BarePathKeepsItsQuestionMark) {
  TempDir dir;
  const std::string path = dir.File("odd?name.db");
  auto desk = Desk::Open(path);
  ASSERT_TRUE(desk.ok()) << desk.status();
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace testing_store
}  // namespace servicedesk
