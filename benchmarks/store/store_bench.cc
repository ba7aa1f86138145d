// Store benchmarks: named workloads per backend, and raw SQLite beside the
// SQLite backend (same schema, pragmas, transaction mode, prepared
// statements, same rows written) so the backend's overhead is a ratio.
//
//   BM_Create/<backend>  one transaction: create a record with 2 index
//                        entries (one unique) + one event, commit
//   BM_Update/<backend>  same, as a versioned update of an existing record
//                        (index entries replaced)
//   BM_Get/<backend>     one read-only transaction per point get
//   BM_Scan/<backend>    one read-only transaction per 100-entry index scan
//   BM_RawSqlite{Create,Update}  the write workloads against the sqlite3 C API
//
// Targets (docs/performance.md, "## Storage"): memory >= 500k versioned puts
// per second with an event; SQLite backend write path >= 50% of raw SQLite.
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "servicedesk/store.h"
#include "sqlite3.h"

namespace servicedesk {
namespace {

constexpr int kUpdateKeys = 10000;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/sd_store_bench_XXXXXX";
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

enum Backend { kMemory, kSqlite };

struct Opened {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<Store> store;
};

Opened Open(Backend b) {
  Opened o;
  if (b == kMemory) {
    o.store = NewMemoryStore();
    return o;
  }
  o.dir = std::make_unique<TempDir>();
  auto s = OpenSqliteStore(o.dir->File("bench.db"));
  if (!s.ok()) {
    fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
    abort();
  }
  o.store = std::move(*s);
  return o;
}

std::string Key(int64_t i) { return absl::StrCat("request-", i); }

const std::string kValue(200, 'v');  // a small protobuf-sized record
const std::string kEvent(60, 'e');

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "benchmark step failed: %s\n", what);
    abort();
  }
}

void BM_Create(benchmark::State& state, Backend backend) {
  Opened o = Open(backend);
  int64_t i = 0;
  std::vector<IndexEntry> idx = {{"status", "open", false},
                                 {"number", "", true}};
  for (auto _ : state) {
    std::string key = Key(i++);
    idx[1].key = key;
    auto tx = o.store->Begin(TxMode::kReadWrite);
    Check(tx.ok(), "begin");
    Check((*tx)->Put("request", key, 0, kValue, idx).ok(), "put");
    Check((*tx)->AppendEvent(kEvent).ok(), "event");
    Check((*tx)->Commit().ok(), "commit");
  }
  state.SetItemsProcessed(state.iterations());
}

void Populate(Store& store, int n) {
  auto tx = store.Begin(TxMode::kReadWrite);
  Check(tx.ok(), "begin");
  for (int i = 0; i < n; ++i) {
    std::string key = Key(i);
    std::vector<IndexEntry> idx = {{"status", i % 2 ? "open" : "closed", false},
                                   {"number", key, true}};
    Check((*tx)->Put("request", key, 0, kValue, idx).ok(), "populate");
  }
  Check((*tx)->Commit().ok(), "commit");
}

void BM_Update(benchmark::State& state, Backend backend) {
  Opened o = Open(backend);
  Populate(*o.store, kUpdateKeys);
  std::vector<int64_t> versions(kUpdateKeys, 1);
  std::vector<IndexEntry> idx = {{"status", "open", false},
                                 {"number", "", true}};
  int64_t i = 0;
  for (auto _ : state) {
    const int k = static_cast<int>(i++ % kUpdateKeys);
    std::string key = Key(k);
    idx[0].key = (i & 1) ? "open" : "waiting";
    idx[1].key = key;
    auto tx = o.store->Begin(TxMode::kReadWrite);
    Check(tx.ok(), "begin");
    auto v = (*tx)->Put("request", key, versions[k], kValue, idx);
    Check(v.ok(), "put");
    versions[k] = *v;
    Check((*tx)->AppendEvent(kEvent).ok(), "event");
    Check((*tx)->Commit().ok(), "commit");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Get(benchmark::State& state, Backend backend) {
  Opened o = Open(backend);
  Populate(*o.store, kUpdateKeys);
  int64_t i = 0;
  for (auto _ : state) {
    std::string key = Key((i++ * 7919) % kUpdateKeys);
    auto tx = o.store->Begin(TxMode::kReadOnly);
    Check(tx.ok(), "begin");
    auto r = (*tx)->Get("request", key);
    Check(r.ok(), "get");
    benchmark::DoNotOptimize(r->value.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Scan(benchmark::State& state, Backend backend) {
  Opened o = Open(backend);
  Populate(*o.store, kUpdateKeys);
  ScanRange range;
  range.index = "status";
  range.lower = "open";
  range.upper = "open\x01";
  range.limit = 100;
  int64_t rows = 0;
  for (auto _ : state) {
    auto tx = o.store->Begin(TxMode::kReadOnly);
    Check(tx.ok(), "begin");
    auto r = (*tx)->Scan("request", range);
    Check(r.ok() && r->size() == 100, "scan");
    rows += static_cast<int64_t>(r->size());
    // Page on, wrapping at the end of the index.
    range.has_start_after = true;
    range.start_after_index_key = r->back().index_key;
    range.start_after_key = r->back().key;
    if (range.start_after_key >= Key(kUpdateKeys - 300)) {
      range.has_start_after = false;
    }
  }
  state.SetItemsProcessed(rows);
}

// ---- raw SQLite: the same schema (created by OpenSqliteStore), pragmas,
// BEGIN IMMEDIATE per transaction, prepared statements, the same rows.

class RawSqlite {
 public:
  explicit RawSqlite(const std::string& path) {
    {
      // Create the schema exactly as the backend does.
      auto s = OpenSqliteStore(path);
      Check(s.ok(), "schema");
    }
    Check(sqlite3_open_v2(path.c_str(), &db_,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          nullptr) == SQLITE_OK,
          "open");
    Exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=OFF; PRAGMA secure_delete=OFF; "
        "PRAGMA busy_timeout=5000;");
    begin_ = Prepare("BEGIN IMMEDIATE");
    commit_ = Prepare("COMMIT");
    insert_record_ = Prepare(
        "INSERT INTO records(tbl, key, version, value) VALUES(?1, ?2, 1, ?3)");
    update_record_ = Prepare(
        "UPDATE records SET version=?3, value=?4 "
        "WHERE tbl=?1 AND key=?2 AND version=?5");
    delete_entry_ = Prepare(
        "DELETE FROM index_entries "
        "WHERE tbl=?1 AND idx=?2 AND ikey=?3 AND key=?4");
    insert_entry_ = Prepare(
        "INSERT INTO index_entries(tbl, idx, ikey, key, uniq) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    insert_event_ = Prepare("INSERT INTO events(payload) VALUES(?1)");
  }
  ~RawSqlite() {
    for (sqlite3_stmt* st : {begin_, commit_, insert_record_, update_record_,
                             delete_entry_, insert_entry_, insert_event_}) {
      sqlite3_finalize(st);
    }
    sqlite3_close(db_);
  }

  void Create(const std::string& key, const std::string& status) {
    Step(begin_);
    Text(insert_record_, 1, "request");
    Blob(insert_record_, 2, key);
    Blob(insert_record_, 3, kValue);
    Step(insert_record_);
    Entries(key, status);
    Blob(insert_event_, 1, kEvent);
    Step(insert_event_);
    Step(commit_);
  }

  // Replaces the record and, when the status changed, its status entry (the
  // least a hand-written program that knows the old status would do).
  void Update(const std::string& key, int64_t expected,
              const std::string& old_status, const std::string& status) {
    Step(begin_);
    Text(update_record_, 1, "request");
    Blob(update_record_, 2, key);
    sqlite3_bind_int64(update_record_, 3, expected + 1);
    Blob(update_record_, 4, kValue);
    sqlite3_bind_int64(update_record_, 5, expected);
    Step(update_record_);
    Check(sqlite3_changes(db_) == 1, "raw update version");
    if (old_status != status) {
      Text(delete_entry_, 1, "request");
      Text(delete_entry_, 2, "status");
      Blob(delete_entry_, 3, old_status);
      Blob(delete_entry_, 4, key);
      Step(delete_entry_);
      StatusEntry(key, status);
    }
    Blob(insert_event_, 1, kEvent);
    Step(insert_event_);
    Step(commit_);
  }

 private:
  void StatusEntry(const std::string& key, const std::string& status) {
    Text(insert_entry_, 1, "request");
    Text(insert_entry_, 2, "status");
    Blob(insert_entry_, 3, status);
    Blob(insert_entry_, 4, key);
    sqlite3_bind_int(insert_entry_, 5, 0);
    Step(insert_entry_);
  }
  void Entries(const std::string& key, const std::string& status) {
    StatusEntry(key, status);
    Text(insert_entry_, 1, "request");
    Text(insert_entry_, 2, "number");
    Blob(insert_entry_, 3, key);
    Blob(insert_entry_, 4, key);
    sqlite3_bind_int(insert_entry_, 5, 1);
    Step(insert_entry_);
  }
  void Exec(const char* sql) {
    Check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK, sql);
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                             nullptr) == SQLITE_OK,
          sql);
    return st;
  }
  static void Text(sqlite3_stmt* st, int i, const char* s) {
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  }
  static void Blob(sqlite3_stmt* st, int i, const std::string& s) {
    sqlite3_bind_blob(st, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_STATIC);
  }
  void Step(sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    Check(rc == SQLITE_DONE, sqlite3_errmsg(db_));
    sqlite3_reset(st);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_;
  sqlite3_stmt* commit_;
  sqlite3_stmt* insert_record_;
  sqlite3_stmt* update_record_;
  sqlite3_stmt* delete_entry_;
  sqlite3_stmt* insert_entry_;
  sqlite3_stmt* insert_event_;
};

void BM_RawSqliteCreate(benchmark::State& state) {
  TempDir dir;
  RawSqlite raw(dir.File("raw.db"));
  int64_t i = 0;
  for (auto _ : state) raw.Create(Key(i++), "open");
  state.SetItemsProcessed(state.iterations());
}

void BM_RawSqliteUpdate(benchmark::State& state) {
  TempDir dir;
  const std::string path = dir.File("raw.db");
  {
    auto s = OpenSqliteStore(path);
    Check(s.ok(), "open");
    Populate(**s, kUpdateKeys);
  }
  RawSqlite raw(path);
  std::vector<int64_t> versions(kUpdateKeys, 1);
  std::vector<std::string> statuses;  // as Populate wrote them
  for (int k = 0; k < kUpdateKeys; ++k)
    statuses.push_back(k % 2 ? "open" : "closed");
  int64_t i = 0;
  for (auto _ : state) {
    const int k = static_cast<int>(i++ % kUpdateKeys);
    const std::string status = (i & 1) ? "open" : "waiting";
    raw.Update(Key(k), versions[k], statuses[k], status);
    statuses[k] = status;
    ++versions[k];
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Create, memory, kMemory);
BENCHMARK_CAPTURE(BM_Update, memory, kMemory);
BENCHMARK_CAPTURE(BM_Get, memory, kMemory);
BENCHMARK_CAPTURE(BM_Scan, memory, kMemory);
BENCHMARK_CAPTURE(BM_Create, sqlite, kSqlite);
BENCHMARK(BM_RawSqliteCreate);
BENCHMARK_CAPTURE(BM_Update, sqlite, kSqlite);
BENCHMARK(BM_RawSqliteUpdate);
BENCHMARK_CAPTURE(BM_Get, sqlite, kSqlite);
BENCHMARK_CAPTURE(BM_Scan, sqlite, kSqlite);

}  // namespace
}  // namespace servicedesk

BENCHMARK_MAIN();
