// The Store conformance suite (see store_conformance.h). Every case here must
// hold for every backend: nothing may depend on one backend's behaviour.
#include "tests/store/store_conformance.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "servicedesk/store.h"

namespace servicedesk {
namespace testing_store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

#define SD_CONCAT_INNER_(a, b) a##b
#define SD_CONCAT_(a, b) SD_CONCAT_INNER_(a, b)
#define ASSERT_OK(expr)                         \
  do {                                          \
    const absl::Status sd_st_ = StatusOf(expr); \
    ASSERT_TRUE(sd_st_.ok()) << sd_st_;         \
  } while (0)
#define EXPECT_OK(expr)                         \
  do {                                          \
    const absl::Status sd_st_ = StatusOf(expr); \
    EXPECT_TRUE(sd_st_.ok()) << sd_st_;         \
  } while (0)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(SD_CONCAT_(sd_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();           \
  lhs = std::move(tmp).value()
#define EXPECT_CODE(expr, code_) \
  EXPECT_EQ(StatusOf(expr).code(), absl::StatusCode::code_) << StatusOf(expr)

// ---- fixtures of the built-in backends

class MemoryFixture : public StoreFixture {
 public:
  absl::StatusOr<std::unique_ptr<Store>> Open() override {
    return NewMemoryStore();
  }
  bool SharesData() const override { return false; }
};

class SqliteFixture : public StoreFixture {
 public:
  SqliteFixture() {
    std::string tmpl = ::testing::TempDir() + "sd_store_XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) dir_ = tmpl;
  }
  ~SqliteFixture() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  absl::StatusOr<std::unique_ptr<Store>> Open() override {
    if (dir_.empty()) return absl::InternalError("mkdtemp failed");
    return OpenSqliteStore(dir_ + "/store.db");
  }
  bool SharesData() const override { return true; }

 private:
  std::string dir_;
};

// ---- helpers

std::vector<std::string> Keys(const std::vector<StoredRecord>& rs) {
  std::vector<std::string> out;
  for (const StoredRecord& r : rs) out.push_back(r.key);
  return out;
}
std::vector<std::string> IndexKeys(const std::vector<StoredRecord>& rs) {
  std::vector<std::string> out;
  for (const StoredRecord& r : rs) out.push_back(r.index_key);
  return out;
}

ScanRange Index(std::string index) {
  ScanRange r;
  r.index = std::move(index);
  return r;
}

// Commits one Put in its own transaction.
absl::StatusOr<int64_t> PutOne(Store& store, absl::string_view table,
                               absl::string_view key, int64_t expected,
                               absl::string_view value,
                               std::vector<IndexEntry> indexes = {}) {
  auto tx = store.Begin(TxMode::kReadWrite);
  if (!tx.ok()) return tx.status();
  auto v = (*tx)->Put(table, key, expected, value, indexes);
  if (!v.ok()) return v.status();
  auto c = (*tx)->Commit();
  if (!c.ok()) return c.status();
  return v;
}

absl::StatusOr<StoredRecord> GetOne(Store& store, absl::string_view table,
                                    absl::string_view key) {
  auto tx = store.Begin(TxMode::kReadOnly);
  if (!tx.ok()) return tx.status();
  return (*tx)->Get(table, key);
}

absl::StatusOr<std::vector<StoredRecord>> ScanOne(Store& store,
                                                  absl::string_view table,
                                                  const ScanRange& range) {
  auto tx = store.Begin(TxMode::kReadOnly);
  if (!tx.ok()) return tx.status();
  return (*tx)->Scan(table, range);
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

}  // namespace

void StoreConformanceTest::SetUp() {
  fixture_ = GetParam().make();
  auto s = fixture_->Open();
  ASSERT_TRUE(s.ok()) << s.status();
  store_ = std::move(*s);
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  fixture_.reset();
}

void PrintTo(const StoreBackendFactory& f, std::ostream* os) { *os << f.name; }

std::string BackendName(
    const ::testing::TestParamInfo<StoreBackendFactory>& info) {
  return info.param.name;
}

std::unique_ptr<StoreFixture> MakeMemoryFixture() {
  return std::make_unique<MemoryFixture>();
}
std::unique_ptr<StoreFixture> MakeSqliteFixture() {
  return std::make_unique<SqliteFixture>();
}

namespace {

// ---- records and versions

TEST_P(StoreConformanceTest, PutThenGet) {
  ASSERT_OK_AND_ASSIGN(int64_t v1, PutOne(*store_, "t", "k", 0, "one"));
  EXPECT_EQ(v1, 1);
  ASSERT_OK_AND_ASSIGN(int64_t v2, PutOne(*store_, "t", "k", 1, "two"));
  EXPECT_EQ(v2, 2);
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.value, "two");
}

TEST_P(StoreConformanceTest, ValuesAreBytes) {
  const std::string value = Bytes({0, 1, 0xff, 0, 'x'});
  const std::string key = Bytes({'k', 0, 0xff});
  ASSERT_OK(PutOne(*store_, "t", key, 0, value));
  ASSERT_OK(PutOne(*store_, "t", "empty", 0, ""));
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", key));
  EXPECT_EQ(r.value, value);
  EXPECT_EQ(r.key, key);
  ASSERT_OK_AND_ASSIGN(StoredRecord e, GetOne(*store_, "t", "empty"));
  EXPECT_EQ(e.value, "");
  // A key that is a prefix of another is a different record.
  EXPECT_CODE(GetOne(*store_, "t", "k"), kNotFound);
}

TEST_P(StoreConformanceTest, GetMissingIsNotFound) {
  EXPECT_CODE(GetOne(*store_, "t", "nope"), kNotFound);
  EXPECT_CODE(GetOne(*store_, "no_such_table", "nope"), kNotFound);
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "v"));
  // Tables are separate key spaces.
  EXPECT_CODE(GetOne(*store_, "other", "k"), kNotFound);
}

TEST_P(StoreConformanceTest, InvalidArguments) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  EXPECT_CODE(tx->Put("", "k", 0, "v", {}), kInvalidArgument);
  EXPECT_CODE(tx->Put("t", "", 0, "v", {}), kInvalidArgument);
  EXPECT_CODE(tx->Put("t", "k", -1, "v", {}), kInvalidArgument);
  std::vector<IndexEntry> bad = {{"", "x", false}};
  EXPECT_CODE(tx->Put("t", "k", 0, "v", bad), kInvalidArgument);
}

TEST_P(StoreConformanceTest, StaleVersionIsAbortedAndWritesNothing) {
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "one", {{"by_name", "a", false}}));
  ASSERT_OK(PutOne(*store_, "t", "k", 1, "two", {{"by_name", "b", false}}));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    EXPECT_CODE(tx->Put("t", "k", 1, "stale", {{"by_name", "c", false}}),
                kAborted);
    EXPECT_CODE(tx->Put("t", "k", 3, "future", {}), kAborted);
  }
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.value, "two");
  ASSERT_OK_AND_ASSIGN(auto entries, ScanOne(*store_, "t", Index("by_name")));
  EXPECT_THAT(IndexKeys(entries), ElementsAre("b"));
}

TEST_P(StoreConformanceTest, CreateOnExistingIsAborted) {
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "one"));
  EXPECT_CODE(PutOne(*store_, "t", "k", 0, "again"), kAborted);
  // Updating a record that does not exist is a mismatch too.
  EXPECT_CODE(PutOne(*store_, "t", "missing", 1, "x"), kAborted);
  EXPECT_CODE(GetOne(*store_, "t", "missing"), kNotFound);
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.value, "one");
  EXPECT_EQ(r.version, 1);
}

// ---- secondary indexes

TEST_P(StoreConformanceTest, UniqueCollisionIsAlreadyExistsAndWritesNothing) {
  ASSERT_OK(PutOne(*store_, "user", "u1", 0, "alice",
                   {{"email", "a@x", true}, {"city", "paris", false}}));
  auto s = PutOne(*store_, "user", "u2", 0, "mallory",
                  {{"city", "rome", false}, {"email", "a@x", true}});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kAlreadyExists) << s.status();
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("email"));
  EXPECT_CODE(GetOne(*store_, "user", "u2"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto cities, ScanOne(*store_, "user", Index("city")));
  EXPECT_THAT(IndexKeys(cities), ElementsAre("paris"));

  // The same collision on an update leaves the old record intact.
  ASSERT_OK(PutOne(*store_, "user", "u2", 0, "bob", {{"email", "b@x", true}}));
  EXPECT_CODE(
      PutOne(*store_, "user", "u2", 1, "bob2", {{"email", "a@x", true}}),
      kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(StoredRecord bob, GetOne(*store_, "user", "u2"));
  EXPECT_EQ(bob.version, 1);
  EXPECT_EQ(bob.value, "bob");
  ASSERT_OK_AND_ASSIGN(auto emails, ScanOne(*store_, "user", Index("email")));
  EXPECT_THAT(Keys(emails), ElementsAre("u1", "u2"));
  EXPECT_THAT(IndexKeys(emails), ElementsAre("a@x", "b@x"));
}

TEST_P(StoreConformanceTest, RecordKeepsItsOwnUniqueKeyAcrossUpdates) {
  ASSERT_OK(PutOne(*store_, "user", "u1", 0, "v1", {{"email", "a@x", true}}));
  ASSERT_OK(PutOne(*store_, "user", "u1", 1, "v2", {{"email", "a@x", true}}));
  ASSERT_OK(PutOne(*store_, "user", "u1", 2, "v3", {{"email", "b@x", true}}));
  // The released key is free for another record.
  ASSERT_OK(PutOne(*store_, "user", "u2", 0, "w", {{"email", "a@x", true}}));
  ASSERT_OK_AND_ASSIGN(auto emails, ScanOne(*store_, "user", Index("email")));
  EXPECT_THAT(Keys(emails), ElementsAre("u2", "u1"));
}

// An update that keeps an entry but drops its unique flag keeps the entry
// listed and releases the claim; unchanged entries survive updates that
// change their neighbours.
TEST_P(StoreConformanceTest, UpdatesKeepUnchangedEntriesAndUniqueClaimsFollow) {
  ASSERT_OK(PutOne(*store_, "user", "u1", 0, "v1",
                   {{"email", "a@x", true}, {"city", "paris", false}}));
  EXPECT_CODE(PutOne(*store_, "user", "u2", 0, "w", {{"email", "a@x", true}}),
              kAlreadyExists);
  ASSERT_OK(PutOne(*store_, "user", "u1", 1, "v2",
                   {{"email", "a@x", false},
                    {"city", "paris", false},
                    {"city", "rome", false}}));
  ASSERT_OK(PutOne(*store_, "user", "u2", 0, "w", {{"email", "a@x", true}}));
  ASSERT_OK_AND_ASSIGN(auto emails, ScanOne(*store_, "user", Index("email")));
  EXPECT_THAT(Keys(emails), ElementsAre("u1", "u2"));
  ASSERT_OK_AND_ASSIGN(auto cities, ScanOne(*store_, "user", Index("city")));
  EXPECT_THAT(IndexKeys(cities), ElementsAre("paris", "rome"));
  ASSERT_OK(PutOne(*store_, "user", "u1", 2, "v3", {{"city", "rome", false}}));
  ASSERT_OK_AND_ASSIGN(cities, ScanOne(*store_, "user", Index("city")));
  EXPECT_THAT(IndexKeys(cities), ElementsAre("rome"));
  ASSERT_OK_AND_ASSIGN(emails, ScanOne(*store_, "user", Index("email")));
  EXPECT_THAT(Keys(emails), ElementsAre("u2"));
}

TEST_P(StoreConformanceTest, UniquenessIsPerTableAndIndex) {
  ASSERT_OK(PutOne(*store_, "a", "k1", 0, "", {{"code", "x", true}}));
  ASSERT_OK(PutOne(*store_, "b", "k1", 0, "", {{"code", "x", true}}));
  ASSERT_OK(PutOne(*store_, "a", "k2", 0, "", {{"other", "x", true}}));
  // Non-unique entries may share a key freely.
  ASSERT_OK(PutOne(*store_, "a", "k3", 0, "", {{"tag", "x", false}}));
  ASSERT_OK(PutOne(*store_, "a", "k4", 0, "", {{"tag", "x", false}}));
  ASSERT_OK_AND_ASSIGN(auto tags, ScanOne(*store_, "a", Index("tag")));
  EXPECT_THAT(Keys(tags), ElementsAre("k3", "k4"));
}

TEST_P(StoreConformanceTest, IndexEntriesAreReplacedOnUpdate) {
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "v",
                   {{"status", "open", false}, {"owner", "ann", false}}));
  ASSERT_OK(PutOne(*store_, "t", "k", 1, "v",
                   {{"status", "closed", false}, {"prio", "p1", false}}));
  ASSERT_OK_AND_ASSIGN(auto status, ScanOne(*store_, "t", Index("status")));
  EXPECT_THAT(IndexKeys(status), ElementsAre("closed"));
  EXPECT_EQ(status[0].version, 2);
  ASSERT_OK_AND_ASSIGN(auto owner, ScanOne(*store_, "t", Index("owner")));
  EXPECT_TRUE(owner.empty());
  ASSERT_OK_AND_ASSIGN(auto prio, ScanOne(*store_, "t", Index("prio")));
  EXPECT_THAT(Keys(prio), ElementsAre("k"));
  // An update with no entries removes them all.
  ASSERT_OK(PutOne(*store_, "t", "k", 2, "v"));
  ASSERT_OK_AND_ASSIGN(auto none, ScanOne(*store_, "t", Index("status")));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreConformanceTest, ScanReturnsRecordsWithEntries) {
  ASSERT_OK(PutOne(*store_, "t", "k1", 0, "value1", {{"i", "b", false}}));
  ASSERT_OK(PutOne(*store_, "t", "k2", 0, "value2", {{"i", "a", false}}));
  ASSERT_OK(PutOne(*store_, "t", "k2", 1, "value2b", {{"i", "a", false}}));
  ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", Index("i")));
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].key, "k2");
  EXPECT_EQ(rs[0].index_key, "a");
  EXPECT_EQ(rs[0].version, 2);
  EXPECT_EQ(rs[0].value, "value2b");
  EXPECT_EQ(rs[1].key, "k1");
  EXPECT_EQ(rs[1].value, "value1");
  // A record may have several entries in one index.
  ASSERT_OK(PutOne(*store_, "t", "k3", 0, "v3",
                   {{"i", "c", false}, {"i", "0", false}}));
  ASSERT_OK_AND_ASSIGN(auto all, ScanOne(*store_, "t", Index("i")));
  EXPECT_THAT(Keys(all), ElementsAre("k3", "k2", "k1", "k3"));
  // Scans never see other tables or indexes.
  ASSERT_OK(PutOne(*store_, "u", "k9", 0, "", {{"i", "a", false}}));
  ASSERT_OK_AND_ASSIGN(auto again, ScanOne(*store_, "t", Index("i")));
  EXPECT_EQ(again.size(), 4u);
  ASSERT_OK_AND_ASSIGN(auto missing, ScanOne(*store_, "t", Index("nope")));
  EXPECT_TRUE(missing.empty());
  ASSERT_OK_AND_ASSIGN(auto no_table, ScanOne(*store_, "zz", Index("i")));
  EXPECT_TRUE(no_table.empty());
}

// ---- scan order, bounds, limits, resume

TEST_P(StoreConformanceTest, ScanIsInByteOrder) {
  // Index keys that sort differently as signed chars, as text with NULs, or
  // in insertion order.
  std::vector<std::string> ikeys = {
      Bytes({0xff}),
      Bytes({0x00}),
      Bytes({0x00, 0x00}),
      Bytes({0x7f}),
      Bytes({0x80}),
      Bytes({'a', 0x00, 'b'}),
      Bytes({'a'}),
      Bytes({'a', 0xff}),
      Bytes({0xff, 0x00}),
      EncodeOrderedInt64(-5),
      EncodeOrderedInt64(3),
      EncodeOrderedInt64(std::numeric_limits<int64_t>::min()),
      EncodeOrderedInt64(std::numeric_limits<int64_t>::max()),
      EncodeOrderedInt64(0),
      EncodeOrderedInt64(-1)};
  for (size_t i = 0; i < ikeys.size(); ++i) {
    ASSERT_OK(PutOne(*store_, "t", absl::StrCat("r", i), 0, "",
                     {{"i", ikeys[i], false}}));
  }
  std::vector<std::string> sorted = ikeys;
  std::sort(sorted.begin(), sorted.end());  // std::string: unsigned bytes
  ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", Index("i")));
  EXPECT_EQ(IndexKeys(rs), sorted);

  // Record keys break ties in byte order too.
  std::vector<std::string> rkeys = {Bytes({0xff}), Bytes({0x01}),
                                    Bytes({0x01, 0x00}), Bytes({0x80}),
                                    Bytes({'z'})};
  for (const std::string& k : rkeys) {
    ASSERT_OK(PutOne(*store_, "ties", k, 0, "", {{"same", "x", false}}));
  }
  std::vector<std::string> rsorted = rkeys;
  std::sort(rsorted.begin(), rsorted.end());
  ASSERT_OK_AND_ASSIGN(auto ties, ScanOne(*store_, "ties", Index("same")));
  EXPECT_EQ(Keys(ties), rsorted);
  ASSERT_OK_AND_ASSIGN(auto pk, ScanOne(*store_, "ties", Index("")));
  EXPECT_EQ(Keys(pk), rsorted);
  EXPECT_EQ(IndexKeys(pk), rsorted);
}

TEST_P(StoreConformanceTest, ScanOrderedIntsNumerically) {
  std::vector<int64_t> nums = {7, -3, 0, 1000000, -1000000, 42, -1, 1};
  for (int64_t n : nums) {
    ASSERT_OK(PutOne(*store_, "t", absl::StrCat("n", n), 0, "",
                     {{"num", EncodeOrderedInt64(n), false}}));
  }
  ScanRange r = Index("num");
  r.lower = EncodeOrderedInt64(-3);
  r.upper = EncodeOrderedInt64(42);
  ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", r));
  std::vector<int64_t> got;
  for (const auto& rec : rs) got.push_back(DecodeOrderedInt64(rec.index_key));
  EXPECT_THAT(got, ElementsAre(-3, -1, 0, 1, 7));
}

TEST_P(StoreConformanceTest, ScanBoundsAndLimit) {
  for (char c = 'a'; c <= 'f'; ++c) {
    ASSERT_OK(PutOne(*store_, "t", std::string(1, c), 0, "",
                     {{"i", std::string(1, c), false}}));
  }
  ScanRange r = Index("i");
  r.lower = "b";
  r.upper = "e";
  ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", r));
  EXPECT_THAT(IndexKeys(rs), ElementsAre("b", "c", "d"));  // upper excluded
  r.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto limited, ScanOne(*store_, "t", r));
  EXPECT_THAT(IndexKeys(limited), ElementsAre("b", "c"));
  r = Index("i");
  r.lower = "bb";  // between keys
  r.upper = "";    // unbounded
  ASSERT_OK_AND_ASSIGN(auto open, ScanOne(*store_, "t", r));
  EXPECT_THAT(IndexKeys(open), ElementsAre("c", "d", "e", "f"));
  r.lower = "z";
  ASSERT_OK_AND_ASSIGN(auto empty, ScanOne(*store_, "t", r));
  EXPECT_TRUE(empty.empty());
  // A prefix scan: [prefix, prefix + 0xff...) is expressed by the caller as
  // [prefix, next prefix).
  r = Index("");
  r.lower = "c";
  r.upper = "d";
  ASSERT_OK_AND_ASSIGN(auto pk, ScanOne(*store_, "t", r));
  EXPECT_THAT(Keys(pk), ElementsAre("c"));
}

TEST_P(StoreConformanceTest, ScanResumesAfterPosition) {
  // Many records share an index key, so a page can end inside a run.
  for (int i = 0; i < 25; ++i) {
    std::string ikey = i % 3 == 0 ? "x" : (i % 3 == 1 ? "y" : Bytes({0x00}));
    ASSERT_OK(PutOne(*store_, "t", absl::StrCat("k", 100 + i), 0, "",
                     {{"i", ikey, false}}));
  }
  for (const std::string index : {"i", ""}) {
    ScanRange full = Index(index);
    ASSERT_OK_AND_ASSIGN(auto all, ScanOne(*store_, "t", full));
    ASSERT_EQ(all.size(), 25u);
    for (size_t page : {1, 2, 4, 7, 25, 30}) {
      std::vector<StoredRecord> paged;
      ScanRange r = Index(index);
      r.limit = page;
      for (int guard = 0; guard < 100; ++guard) {
        ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", r));
        if (rs.empty()) break;
        r.has_start_after = true;
        r.start_after_index_key = rs.back().index_key;
        r.start_after_key = rs.back().key;
        for (auto& rec : rs) paged.push_back(std::move(rec));
      }
      EXPECT_EQ(Keys(paged), Keys(all))
          << "index '" << index << "' page " << page;
      EXPECT_EQ(IndexKeys(paged), IndexKeys(all));
    }
  }
  // A resume position before `lower` does not widen the range, one after it
  // narrows it.
  ScanRange r = Index("i");
  r.lower = "y";
  r.has_start_after = true;
  r.start_after_index_key = "x";
  r.start_after_key = "k999";
  ASSERT_OK_AND_ASSIGN(auto ys, ScanOne(*store_, "t", r));
  EXPECT_EQ(ys.size(), 8u);
  r.start_after_index_key = "y";
  r.start_after_key = "k110";
  ASSERT_OK_AND_ASSIGN(auto later, ScanOne(*store_, "t", r));
  ASSERT_FALSE(later.empty());
  EXPECT_EQ(later.front().key, "k113");
}

// ScanKeys visits exactly the (index key, key) pairs Scan returns, honouring
// bounds, resume positions, limits and an early stop.
TEST_P(StoreConformanceTest, ScanKeysMatchesScan) {
  for (int i = 0; i < 40; ++i) {
    std::string ikey = EncodeOrderedInt64(i % 7 - 3) + Bytes({0x00, 0xFF});
    ASSERT_OK(PutOne(*store_, "t", absl::StrCat("k", i), 0, "value",
                     {{"i", ikey, false}}));
  }
  auto keys_of =
      [&](const ScanRange& r) -> absl::StatusOr<std::vector<std::string>> {
    auto tx = store_->Begin(TxMode::kReadOnly);
    if (!tx.ok()) return tx.status();
    std::vector<std::string> out;
    absl::Status st =
        (*tx)->ScanKeys("t", r, [&](absl::string_view ik, absl::string_view k) {
          out.push_back(absl::StrCat(absl::CEscape(ik), "|", k));
          return true;
        });
    if (!st.ok()) return st;
    return out;
  };
  auto pairs_of = [](const std::vector<StoredRecord>& rs) {
    std::vector<std::string> out;
    for (auto& r : rs)
      out.push_back(absl::StrCat(absl::CEscape(r.index_key), "|", r.key));
    return out;
  };
  std::vector<ScanRange> ranges;
  ranges.push_back(Index("i"));
  ScanRange bounded = Index("i");
  bounded.lower = EncodeOrderedInt64(-1);
  bounded.upper = EncodeOrderedInt64(2);
  ranges.push_back(bounded);
  ScanRange limited = bounded;
  limited.limit = 5;
  ranges.push_back(limited);
  ScanRange resumed = Index("i");
  resumed.has_start_after = true;
  resumed.start_after_index_key = EncodeOrderedInt64(0) + Bytes({0x00, 0xFF});
  resumed.start_after_key = "k24";
  ranges.push_back(resumed);
  for (const ScanRange& r : ranges) {
    ASSERT_OK_AND_ASSIGN(auto rs, ScanOne(*store_, "t", r));
    ASSERT_OK_AND_ASSIGN(auto ks, keys_of(r));
    EXPECT_EQ(ks, pairs_of(rs));
    EXPECT_FALSE(ks.empty());
  }
  // Early stop after three visits.
  auto tx = store_->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  int visits = 0;
  ASSERT_OK((*tx)->ScanKeys(
      "t", Index("i"),
      [&](absl::string_view, absl::string_view) { return ++visits < 3; }));
  EXPECT_EQ(visits, 3);
  EXPECT_FALSE(
      (*tx)
          ->ScanKeys("t", Index(""),
                     [](absl::string_view, absl::string_view) { return true; })
          .ok());
}

// A bucketed index (IndexEntry::bucket) answers every scan exactly as an
// ordinary index holding the same entries, through creates, moves between
// buckets, removals that empty a bucket, and resumes inside a bucket.
TEST_P(StoreConformanceTest, BucketedIndexScansLikeAnOrdinaryOne) {
  auto entries_for = [](int i, int round) {
    // Bucket = the first 8 bytes; several records share each bucket and some
    // share whole index keys.
    std::string ikey = EncodeOrderedInt64((i * (round + 1)) % 5 - 2) +
                       Bytes({static_cast<unsigned char>(i % 3), 0xFF});
    std::vector<IndexEntry> idx = {{"plain", ikey, false}};
    IndexEntry b{"bucketed", ikey, false};
    b.bucket = 8;
    idx.push_back(b);
    return idx;
  };
  for (int i = 0; i < 30; ++i)
    ASSERT_OK(
        PutOne(*store_, "t", absl::StrCat("k", i), 0, "v", entries_for(i, 0)));
  auto same_results = [&](const std::string& when) {
    std::vector<ScanRange> ranges;
    ScanRange all;
    ranges.push_back(all);
    ScanRange bounded;
    bounded.lower = EncodeOrderedInt64(-1) + Bytes({0x01});
    bounded.upper = EncodeOrderedInt64(1) + Bytes({0x01});
    ranges.push_back(bounded);
    ScanRange to_bucket = bounded;
    to_bucket.upper = EncodeOrderedInt64(1);
    ranges.push_back(to_bucket);
    ScanRange limited = bounded;
    limited.limit = 4;
    ranges.push_back(limited);
    ScanRange resumed;
    resumed.has_start_after = true;
    resumed.start_after_index_key = EncodeOrderedInt64(0) + Bytes({0x01, 0xFF});
    resumed.start_after_key = "k16";
    ranges.push_back(resumed);
    for (ScanRange r : ranges) {
      ScanRange plain = r, bucketed = r;
      plain.index = "plain";
      bucketed.index = "bucketed";
      bucketed.bucket = 8;
      ASSERT_OK_AND_ASSIGN(auto want, ScanOne(*store_, "t", plain));
      ASSERT_OK_AND_ASSIGN(auto got, ScanOne(*store_, "t", bucketed));
      EXPECT_EQ(Keys(got), Keys(want)) << when;
      EXPECT_EQ(IndexKeys(got), IndexKeys(want)) << when;
      std::vector<std::string> visited;
      auto tx = store_->Begin(TxMode::kReadOnly);
      ASSERT_TRUE(tx.ok());
      ASSERT_OK((*tx)->ScanKeys("t", bucketed,
                                [&](absl::string_view, absl::string_view k) {
                                  visited.emplace_back(k);
                                  return true;
                                }));
      EXPECT_EQ(visited, Keys(want)) << when;
    }
  };
  same_results("after creates");
  for (int i = 0; i < 30; i += 2)
    ASSERT_OK(
        PutOne(*store_, "t", absl::StrCat("k", i), 1, "v2", entries_for(i, 1)));
  for (int i = 1; i < 30; i += 4)  // odd: not moved above
    ASSERT_OK(PutOne(*store_, "t", absl::StrCat("k", i), 1, "v2", {}));
  same_results("after moves and removals");

  IndexEntry unique_bucketed{"u", "12345678", true};
  unique_bucketed.bucket = 8;
  EXPECT_CODE(PutOne(*store_, "t", "bad", 0, "v", {unique_bucketed}),
              kInvalidArgument);
  IndexEntry too_short{"s", "1234", false};
  too_short.bucket = 8;
  EXPECT_CODE(PutOne(*store_, "t", "bad", 0, "v", {too_short}),
              kInvalidArgument);
}

TEST_P(StoreConformanceTest, PrimaryKeyScan) {
  for (const char* k : {"b", "a", "d", "c"}) {
    ASSERT_OK(PutOne(*store_, "t", k, 0, absl::StrCat("v", k)));
  }
  ASSERT_OK(PutOne(*store_, "other", "a0", 0, ""));
  ASSERT_OK_AND_ASSIGN(auto all, ScanOne(*store_, "t", Index("")));
  EXPECT_THAT(Keys(all), ElementsAre("a", "b", "c", "d"));
  EXPECT_EQ(all[1].value, "vb");
  EXPECT_EQ(all[1].version, 1);
  EXPECT_EQ(all[1].index_key, "b");
  ScanRange r = Index("");
  r.lower = "b";
  r.upper = "d";
  ASSERT_OK_AND_ASSIGN(auto mid, ScanOne(*store_, "t", r));
  EXPECT_THAT(Keys(mid), ElementsAre("b", "c"));
  r = Index("");
  r.has_start_after = true;
  r.start_after_index_key = "b";
  r.start_after_key = "b";
  r.limit = 1;
  ASSERT_OK_AND_ASSIGN(auto after, ScanOne(*store_, "t", r));
  EXPECT_THAT(Keys(after), ElementsAre("c"));
}

// ---- transactions

TEST_P(StoreConformanceTest, TransactionSeesItsOwnWrites) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->Put("t", "k", 0, "v1", {{"i", "a", false}}));
  ASSERT_OK_AND_ASSIGN(StoredRecord r, tx->Get("t", "k"));
  EXPECT_EQ(r.value, "v1");
  ASSERT_OK(tx->Put("t", "k", 1, "v2", {{"i", "b", false}}));
  ASSERT_OK_AND_ASSIGN(auto rs, tx->Scan("t", Index("i")));
  EXPECT_THAT(IndexKeys(rs), ElementsAre("b"));
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(StoredRecord after, GetOne(*store_, "t", "k"));
  EXPECT_EQ(after.version, 2);
}

TEST_P(StoreConformanceTest, AbandonedTransactionLeavesNothing) {
  ASSERT_OK(PutOne(*store_, "t", "old", 0, "v1", {{"i", "a", true}}));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    ASSERT_OK(tx->Put("t", "new", 0, "n", {{"i", "n", true}}));
    ASSERT_OK(tx->Put("t", "old", 1, "v2", {{"i", "b", true}}));
    ASSERT_OK(tx->Put("t", "old", 2, "v3", {{"j", "c", false}}));
    ASSERT_OK(tx->AppendEvent("lost"));
    // Destroyed without Commit.
  }
  {
    // A transaction abandoned after a failed call.
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    ASSERT_OK(tx->Put("t", "new2", 0, "n", {{"i", "m", true}}));
    ASSERT_OK(tx->AppendEvent("lost too"));
    EXPECT_CODE(tx->Put("t", "new3", 0, "n", {{"i", "a", true}}),
                kAlreadyExists);
  }
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  EXPECT_CODE(tx->Get("t", "new"), kNotFound);
  EXPECT_CODE(tx->Get("t", "new2"), kNotFound);
  ASSERT_OK_AND_ASSIGN(StoredRecord old, tx->Get("t", "old"));
  EXPECT_EQ(old.version, 1);
  EXPECT_EQ(old.value, "v1");
  ASSERT_OK_AND_ASSIGN(auto i, tx->Scan("t", Index("i")));
  EXPECT_THAT(IndexKeys(i), ElementsAre("a"));
  ASSERT_OK_AND_ASSIGN(auto j, tx->Scan("t", Index("j")));
  EXPECT_TRUE(j.empty());
  ASSERT_OK_AND_ASSIGN(auto pk, tx->Scan("t", Index("")));
  EXPECT_THAT(Keys(pk), ElementsAre("old"));
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  EXPECT_TRUE(events.empty());
  // The keys the abandoned transactions used are free.
  ASSERT_OK(PutOne(*store_, "t", "new", 0, "n", {{"i", "n", true}}));
  ASSERT_OK(PutOne(*store_, "t", "x", 0, "x", {{"i", "b", true}}));
}

TEST_P(StoreConformanceTest, FinishedTransactionRefusesCalls) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->Put("t", "k", 0, "v", {}));
  ASSERT_OK(tx->Commit());
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
  EXPECT_CODE(tx->Get("t", "k"), kFailedPrecondition);
  EXPECT_CODE(tx->Put("t", "k2", 0, "v", {}), kFailedPrecondition);
  tx.reset();
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.version, 1);
}

TEST_P(StoreConformanceTest, ReadOnlyTransactionRefusesWrites) {
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "v"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  EXPECT_CODE(tx->Put("t", "k2", 0, "v", {}), kFailedPrecondition);
  EXPECT_CODE(tx->Put("t", "k", 1, "v", {}), kFailedPrecondition);
  EXPECT_CODE(tx->AppendEvent("e"), kFailedPrecondition);
  EXPECT_CODE(tx->NextSequence("s"), kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(StoredRecord r, tx->Get("t", "k"));
  EXPECT_EQ(r.version, 1);
  ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
  EXPECT_TRUE(c.event_seqs.empty());
  EXPECT_CODE(GetOne(*store_, "t", "k2"), kNotFound);
}

// ---- events

TEST_P(StoreConformanceTest, EventsInCommitOrderWithSeqs) {
  std::vector<int64_t> seqs;
  std::vector<std::string> payloads;
  for (int t = 0; t < 5; ++t) {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    std::vector<std::string> mine;
    for (int e = 0; e <= t % 3; ++e) {
      mine.push_back(absl::StrCat("tx", t, "-ev", e, Bytes({0, 0xff})));
      ASSERT_OK(tx->AppendEvent(mine.back()));
    }
    if (t == 2) continue;  // abandoned: its events never appear
    ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
    ASSERT_EQ(c.event_seqs.size(), mine.size());
    for (size_t i = 0; i < mine.size(); ++i) {
      seqs.push_back(c.event_seqs[i]);
      payloads.push_back(mine[i]);
    }
  }
  // A commit without events reports none.
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->Put("t", "k", 0, "", {}));
  ASSERT_OK_AND_ASSIGN(CommitResult none, tx->Commit());
  EXPECT_TRUE(none.event_seqs.empty());

  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_LT(seqs[i - 1], seqs[i]);
  EXPECT_GT(seqs.front(), 0);
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  ASSERT_EQ(events.size(), seqs.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, seqs[i]);
    EXPECT_EQ(events[i].payload, payloads[i]);
  }
}

TEST_P(StoreConformanceTest, OwnedPutsAndEventsActLikeCopies) {
  // Created and updated with handed-over arguments: read back as written.
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  std::string value = "first";
  std::vector<IndexEntry> entries = {{"email", "a@x", true},
                                     {"city", "paris", false}};
  ASSERT_OK_AND_ASSIGN(
      int64_t v,
      tx->PutOwned("user", "u1", 0, std::move(value), std::move(entries)));
  EXPECT_EQ(v, 1);
  std::string event = absl::StrCat("created", Bytes({0, 0xff}));
  ASSERT_OK(tx->AppendEventOwned(std::string(event)));
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(
      v, tx->PutOwned("user", "u1", 1, "second",
                      {{"email", "a@x", true}, {"city", "rome", false}}));
  EXPECT_EQ(v, 2);
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(StoredRecord got, GetOne(*store_, "user", "u1"));
  EXPECT_EQ(got.value, "second");
  EXPECT_EQ(got.version, 2);
  ASSERT_OK_AND_ASSIGN(auto cities, ScanOne(*store_, "user", Index("city")));
  EXPECT_THAT(IndexKeys(cities), ElementsAre("rome"));
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, event);

  // Refused: a stale version, a unique collision, a read-only transaction.
  // The arguments are left as they were and nothing is written.
  auto expect_kept = [](const std::string& val,
                        const std::vector<IndexEntry>& es) {
    EXPECT_EQ(val, "third");
    ASSERT_EQ(es.size(), 1u);
    EXPECT_EQ(es[0].index, "email");
    EXPECT_EQ(es[0].key, "b@x");
  };
  ASSERT_OK(
      PutOne(*store_, "user", "u2", 0, "other", {{"email", "b@x", true}}));
  for (int attempt = 0; attempt < 3; ++attempt) {
    ASSERT_OK_AND_ASSIGN(tx, store_->Begin(attempt == 2 ? TxMode::kReadOnly
                                                        : TxMode::kReadWrite));
    std::string val = "third";
    std::vector<IndexEntry> es = {{"email", "b@x", true}};
    const int64_t expected = attempt == 0 ? 1 : 2;  // stale, then current
    auto refused =
        tx->PutOwned("user", "u1", expected, std::move(val), std::move(es));
    const absl::StatusCode want[] = {absl::StatusCode::kAborted,
                                     absl::StatusCode::kAlreadyExists,
                                     absl::StatusCode::kFailedPrecondition};
    EXPECT_EQ(refused.status().code(), want[attempt]) << refused.status();
    expect_kept(val, es);
    std::string payload = "kept";
    EXPECT_EQ(tx->AppendEventOwned(std::move(payload)).ok(), attempt != 2);
    if (attempt == 2) EXPECT_EQ(payload, "kept");
    tx.reset();  // abandoned: rolls back
  }
  ASSERT_OK_AND_ASSIGN(got, GetOne(*store_, "user", "u1"));
  EXPECT_EQ(got.value, "second");
  EXPECT_EQ(got.version, 2);
}

TEST_P(StoreConformanceTest, GetVersionFollowsGet) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  EXPECT_CODE(tx->GetVersion("t", "k"), kNotFound);
  tx.reset();
  ASSERT_OK(PutOne(*store_, "t", "k", 0, std::string(5000, 'x')));
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(TxMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(int64_t v, tx->GetVersion("t", "k"));
  EXPECT_EQ(v, 1);
  EXPECT_CODE(tx->GetVersion("t", "other"), kNotFound);
  EXPECT_CODE(tx->GetVersion("other", "k"), kNotFound);
  tx.reset();
  // Own writes are seen; a rolled-back write leaves the committed version.
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->Put("t", "k", 1, "y", {}));
  ASSERT_OK(tx->Put("t", "new", 0, "z", {}));
  ASSERT_OK_AND_ASSIGN(v, tx->GetVersion("t", "k"));
  EXPECT_EQ(v, 2);
  ASSERT_OK_AND_ASSIGN(v, tx->GetVersion("t", "new"));
  EXPECT_EQ(v, 1);
  tx.reset();
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(TxMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(v, tx->GetVersion("t", "k"));
  EXPECT_EQ(v, 1);
  EXPECT_CODE(tx->GetVersion("t", "new"), kNotFound);
  ASSERT_OK_AND_ASSIGN(StoredRecord got, tx->Get("t", "k"));
  EXPECT_EQ(got.version, v);
  ASSERT_OK(tx->Commit());
  EXPECT_CODE(tx->GetVersion("t", "k"), kFailedPrecondition);
}

TEST_P(StoreConformanceTest, ReadEventsPaging) {
  std::vector<int64_t> seqs;
  for (int i = 0; i < 10; ++i) {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    ASSERT_OK(tx->AppendEvent(absl::StrCat("e", i)));
    ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
    seqs.push_back(c.event_seqs.at(0));
  }
  std::vector<std::string> got;
  int64_t after = 0;
  for (int guard = 0; guard < 20; ++guard) {
    ASSERT_OK_AND_ASSIGN(auto page, store_->ReadEvents(after, 3));
    ASSERT_LE(page.size(), 3u);
    if (page.empty()) break;
    for (const auto& e : page) got.push_back(e.payload);
    after = page.back().seq;
  }
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i], absl::StrCat("e", i));
  ASSERT_OK_AND_ASSIGN(auto tail, store_->ReadEvents(seqs[7], 0));
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].seq, seqs[8]);
  ASSERT_OK_AND_ASSIGN(auto none, store_->ReadEvents(seqs.back(), 10));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(auto from_start, store_->ReadEvents(-5, 1));
  ASSERT_EQ(from_start.size(), 1u);
  EXPECT_EQ(from_start[0].seq, seqs[0]);
}

TEST_P(StoreConformanceTest, ReadEventsWhileHoldingATransaction) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->AppendEvent("pending"));
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  EXPECT_TRUE(events.empty());  // not committed yet
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(auto after, store_->ReadEvents(0, 0));
  EXPECT_EQ(after.size(), 1u);
}

// ---- sequences

TEST_P(StoreConformanceTest, NextSequenceIncreases) {
  // Values increase within a transaction and across committed ones. A value
  // handed out in a transaction that rolled back may be skipped or handed out
  // again (the contract allows either), so only committed values count.
  int64_t last_committed = 0;
  for (int t = 0; t < 4; ++t) {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    int64_t last = last_committed;
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK_AND_ASSIGN(int64_t v, tx->NextSequence("request"));
      EXPECT_GT(v, last);
      last = v;
    }
    if (t != 1) {  // t == 1 rolls back
      ASSERT_OK(tx->Commit());
      last_committed = last;
    }
  }
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(int64_t other, tx->NextSequence("center"));
  EXPECT_EQ(other, 1);  // sequences are independent and start at 1
  ASSERT_OK_AND_ASSIGN(int64_t next, tx->NextSequence("request"));
  EXPECT_GT(next, 0);
  ASSERT_OK(tx->Commit());
}

// ---- threads

// Threads increment one counter with read-modify-write transactions, thread t
// on stores[t % size], retrying on ABORTED (stale version) and UNAVAILABLE
// (busy). Returns the first unexpected error.
absl::Status RunIncrements(const std::vector<Store*>& stores, int threads,
                           int increments) {
  std::vector<std::thread> workers;
  std::vector<absl::Status> errors(threads);
  auto retryable = [](const absl::Status& s) {
    return s.code() == absl::StatusCode::kAborted ||
           s.code() == absl::StatusCode::kUnavailable;
  };
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Store& store = *stores[t % stores.size()];
      for (int i = 0; i < increments; ++i) {
        absl::Status last;
        int attempt = 0;
        for (; attempt < 1000; ++attempt) {
          auto tx = store.Begin(TxMode::kReadWrite);
          if (!tx.ok()) {
            last = tx.status();
            if (retryable(last)) continue;
            break;
          }
          auto r = (*tx)->Get("c", "counter");
          if (!r.ok()) {
            last = r.status();
            break;
          }
          const int n = std::stoi(r->value);
          auto v =
              (*tx)->Put("c", "counter", r->version, std::to_string(n + 1), {});
          last = v.status();
          if (last.ok()) last = (*tx)->AppendEvent("inc");
          if (last.ok()) last = (*tx)->Commit().status();
          if (last.ok() || !retryable(last)) break;
        }
        if (!last.ok()) {
          errors[t] = absl::Status(
              last.code(),
              absl::StrCat("after ", attempt, " attempts: ", last.message()));
          return;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const auto& e : errors) {
    if (!e.ok()) return e;
  }
  return absl::OkStatus();
}

TEST_P(StoreConformanceTest, ConcurrentIncrementsWithRetries) {
  ASSERT_OK(PutOne(*store_, "c", "counter", 0, "0"));
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  ASSERT_OK(RunIncrements({store_.get()}, kThreads, kIncrements));
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "c", "counter"));
  EXPECT_EQ(r.value, std::to_string(kThreads * kIncrements));
  EXPECT_EQ(r.version, 1 + kThreads * kIncrements);
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  EXPECT_EQ(events.size(), static_cast<size_t>(kThreads * kIncrements));
}

// ---- shared storage: reopen, several Store objects (file or server backends)

TEST_P(StoreConformanceTest, ReopenKeepsEverything) {
  if (!fixture_->SharesData()) GTEST_SKIP() << "backend has no shared data";
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "v", {{"u", "x", true}}));
  ASSERT_OK(PutOne(*store_, "t", "k", 1, "v2", {{"u", "x", true}}));
  int64_t seq = 0;
  int64_t first_event = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    ASSERT_OK_AND_ASSIGN(seq, tx->NextSequence("s"));
    ASSERT_OK(tx->AppendEvent("e1"));
    ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
    first_event = c.event_seqs.at(0);
  }
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, fixture_->Open());
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.value, "v2");
  EXPECT_CODE(PutOne(*store_, "t", "k2", 0, "", {{"u", "x", true}}),
              kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, "e1");
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(int64_t seq2, tx->NextSequence("s"));
  EXPECT_GT(seq2, seq);
  ASSERT_OK(tx->AppendEvent("e2"));
  ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
  EXPECT_GT(c.event_seqs.at(0), first_event);
}

TEST_P(StoreConformanceTest, TwoStoresOnSameData) {
  if (!fixture_->SharesData()) GTEST_SKIP() << "backend has no shared data";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> other, fixture_->Open());
  ASSERT_OK(PutOne(*store_, "t", "k", 0, "from a", {{"u", "x", true}}));
  ASSERT_OK_AND_ASSIGN(StoredRecord seen, GetOne(*other, "t", "k"));
  EXPECT_EQ(seen.value, "from a");
  ASSERT_OK(PutOne(*other, "t", "k", 1, "from b", {{"u", "x", true}}));
  // `store_` last saw version 1: its update is stale.
  EXPECT_CODE(PutOne(*store_, "t", "k", 1, "lost update"), kAborted);
  EXPECT_CODE(PutOne(*store_, "t", "k2", 0, "", {{"u", "x", true}}),
              kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*store_, "t", "k"));
  EXPECT_EQ(r.value, "from b");
  EXPECT_EQ(r.version, 2);
  // Sequences and events are shared and ordered across both.
  std::vector<int64_t> ids;
  std::vector<int64_t> seqs;
  for (int i = 0; i < 6; ++i) {
    Store& s = i % 2 == 0 ? *store_ : *other;
    ASSERT_OK_AND_ASSIGN(auto tx, s.Begin(TxMode::kReadWrite));
    ASSERT_OK_AND_ASSIGN(int64_t id, tx->NextSequence("ids"));
    ids.push_back(id);
    ASSERT_OK(tx->AppendEvent(absl::StrCat("e", i)));
    ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
    seqs.push_back(c.event_seqs.at(0));
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_GT(ids[i], ids[i - 1]);
    EXPECT_GT(seqs[i], seqs[i - 1]);
  }
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  ASSERT_EQ(events.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(events[i].payload, absl::StrCat("e", i));
    EXPECT_EQ(events[i].seq, seqs[i]);
  }
}

TEST_P(StoreConformanceTest, ConcurrentIncrementsAcrossStores) {
  if (!fixture_->SharesData()) GTEST_SKIP() << "backend has no shared data";
  // Two Store objects on one database stand for two processes or nodes: the
  // version check, not an in-process lock, keeps increments from being lost.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> other, fixture_->Open());
  ASSERT_OK(PutOne(*store_, "c", "counter", 0, "0"));
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  ASSERT_OK(RunIncrements({store_.get(), other.get()}, kThreads, kIncrements));
  ASSERT_OK_AND_ASSIGN(StoredRecord r, GetOne(*other, "c", "counter"));
  EXPECT_EQ(r.value, std::to_string(kThreads * kIncrements));
  EXPECT_EQ(r.version, 1 + kThreads * kIncrements);
  ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
  ASSERT_EQ(events.size(), static_cast<size_t>(kThreads * kIncrements));
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LT(events[i - 1].seq, events[i].seq);
  }
}

// ---- randomized comparison against a model

// The model: the contract written as the simplest possible code.
struct ModelRecord {
  int64_t version = 0;
  std::string value;
  std::vector<IndexEntry> indexes;
};
struct ModelState {
  std::map<std::string, ModelRecord> records;  // one table
  int64_t sequence = 0;
};

struct ModelEntry {
  std::string ikey;
  std::string key;
  bool operator<(const ModelEntry& o) const {
    return std::tie(ikey, key) < std::tie(o.ikey, o.key);
  }
};

absl::StatusCode ModelPut(ModelState& m, const std::string& key,
                          int64_t expected, const std::string& value,
                          const std::vector<IndexEntry>& indexes) {
  auto it = m.records.find(key);
  int64_t current = it == m.records.end() ? 0 : it->second.version;
  if (current != expected) return absl::StatusCode::kAborted;
  for (const IndexEntry& e : indexes) {
    if (!e.unique) continue;
    for (const auto& [k, r] : m.records) {
      if (k == key) continue;
      for (const IndexEntry& o : r.indexes) {
        if (o.unique && o.index == e.index && o.key == e.key) {
          return absl::StatusCode::kAlreadyExists;
        }
      }
    }
  }
  ModelRecord& r = m.records[key];
  r.version = expected + 1;
  r.value = value;
  r.indexes = indexes;
  return absl::StatusCode::kOk;
}

std::vector<StoredRecord> ModelScan(const ModelState& m,
                                    const ScanRange& range) {
  std::vector<ModelEntry> entries;
  for (const auto& [k, r] : m.records) {
    if (range.index.empty()) {
      entries.push_back({k, k});
      continue;
    }
    for (const IndexEntry& e : r.indexes) {
      if (e.index == range.index) entries.push_back({e.key, k});
    }
  }
  std::sort(entries.begin(), entries.end());
  std::vector<StoredRecord> out;
  for (const ModelEntry& e : entries) {
    if (e.ikey < range.lower) continue;
    if (!range.upper.empty() && e.ikey >= range.upper) continue;
    if (range.has_start_after &&
        !(std::tie(range.start_after_index_key, range.start_after_key) <
          std::tie(e.ikey, e.key))) {
      continue;
    }
    if (range.limit != 0 && out.size() >= range.limit) break;
    const ModelRecord& r = m.records.at(e.key);
    out.push_back(StoredRecord{e.key, r.version, r.value, e.ikey});
  }
  return out;
}

std::string Describe(const std::vector<StoredRecord>& rs) {
  std::string out;
  for (const StoredRecord& r : rs) {
    absl::StrAppend(&out, "(", absl::CEscape(r.index_key), ",",
                    absl::CEscape(r.key), ",v", r.version, ",",
                    absl::CEscape(r.value), ") ");
  }
  return out;
}

TEST_P(StoreConformanceTest, RandomizedAgainstModel) {
  std::mt19937 rng(20240611);
  auto pick = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  // Small pools so that collisions, ties and byte-order edge cases are common.
  const std::vector<std::string> keys = {"a",
                                         "b",
                                         "ab",
                                         Bytes({0}),
                                         Bytes({0, 0}),
                                         Bytes({0xff}),
                                         Bytes({0x80, 1}),
                                         "k1",
                                         "k2",
                                         "k10",
                                         "z",
                                         Bytes({'a', 0})};
  const std::vector<std::string> ikeys = {"",
                                          "x",
                                          "y",
                                          Bytes({0}),
                                          Bytes({0xff}),
                                          Bytes({0xff, 0xff}),
                                          EncodeOrderedInt64(-2),
                                          EncodeOrderedInt64(0),
                                          EncodeOrderedInt64(9),
                                          "xy"};
  const std::vector<std::string> bounds = {"",
                                           "a",
                                           "k",
                                           "x",
                                           "y",
                                           Bytes({0}),
                                           Bytes({0x7f}),
                                           Bytes({0xff}),
                                           EncodeOrderedInt64(-1),
                                           EncodeOrderedInt64(5)};
  const std::vector<std::string> index_names = {"", "by_val", "uniq"};

  ModelState committed;
  std::vector<std::string> committed_events;
  int ops = 0;
  int value_counter = 0;
  for (int round = 0; round < 1500 && !HasFatalFailure(); ++round) {
    const bool read_only = pick(10) == 0;
    ASSERT_OK_AND_ASSIGN(
        auto tx,
        store_->Begin(read_only ? TxMode::kReadOnly : TxMode::kReadWrite));
    ModelState pending = committed;
    std::vector<std::string> pending_events;
    bool failed = false;
    const int n_ops = 1 + pick(4);
    for (int i = 0; i < n_ops && !failed; ++i, ++ops) {
      SCOPED_TRACE(absl::StrCat("round ", round, " op ", i));
      const int op = pick(10);
      if (op < 4) {  // put
        const std::string& key = keys[pick(keys.size())];
        auto it = pending.records.find(key);
        int64_t current = it == pending.records.end() ? 0 : it->second.version;
        int64_t expected = current;
        if (pick(4) == 0)
          expected = std::max<int64_t>(0, current + pick(3) - 1);
        std::string value = absl::StrCat("v", value_counter++);
        std::vector<IndexEntry> indexes;
        if (pick(3) != 0) {
          indexes.push_back({"by_val", ikeys[pick(ikeys.size())], false});
        }
        if (pick(2) == 0) {
          indexes.push_back({"uniq", ikeys[pick(ikeys.size())], true});
        }
        // Half the writes hand their arguments over; a refused one must
        // leave them as they were.
        const bool owned = pick(2) == 0;
        std::string owned_value = value;
        std::vector<IndexEntry> owned_indexes = indexes;
        auto got =
            owned ? tx->PutOwned("t", key, expected, std::move(owned_value),
                                 std::move(owned_indexes))
                  : tx->Put("t", key, expected, value, indexes);
        if (owned && !got.ok()) {
          EXPECT_EQ(owned_value, value);
          ASSERT_EQ(owned_indexes.size(), indexes.size());
          for (size_t i = 0; i < indexes.size(); ++i)
            EXPECT_EQ(owned_indexes[i].key, indexes[i].key);
        }
        absl::StatusCode want =
            read_only ? absl::StatusCode::kFailedPrecondition
                      : ModelPut(pending, key, expected, value, indexes);
        ASSERT_EQ(got.status().code(), want) << got.status();
        if (got.ok()) {
          EXPECT_EQ(*got, expected + 1);
        } else {
          failed = true;  // the contract: discard a failed transaction
        }
      } else if (op < 6) {  // get
        const std::string& key = keys[pick(keys.size())];
        auto got = tx->Get("t", key);
        auto it = pending.records.find(key);
        if (it == pending.records.end()) {
          EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
        } else {
          ASSERT_OK(got);
          EXPECT_EQ(got->version, it->second.version);
          EXPECT_EQ(got->value, it->second.value);
        }
      } else if (op < 8) {  // scan
        ScanRange r;
        r.index = index_names[pick(index_names.size())];
        r.lower = bounds[pick(bounds.size())];
        r.upper = pick(3) == 0 ? "" : bounds[pick(bounds.size())];
        r.limit = pick(2) == 0 ? 0 : 1 + pick(4);
        if (pick(3) == 0) {
          r.has_start_after = true;
          r.start_after_index_key = pick(2) == 0 ? ikeys[pick(ikeys.size())]
                                                 : keys[pick(keys.size())];
          r.start_after_key = keys[pick(keys.size())];
          if (r.index.empty() && pick(2) == 0) {
            r.start_after_key = r.start_after_index_key;
          }
        }
        ASSERT_OK_AND_ASSIGN(auto got, tx->Scan("t", r));
        auto want = ModelScan(pending, r);
        EXPECT_EQ(Describe(got), Describe(want))
            << "index '" << r.index << "' lower '" << absl::CEscape(r.lower)
            << "' upper '" << absl::CEscape(r.upper) << "' limit " << r.limit;
      } else if (op < 9) {  // event
        std::string payload = absl::StrCat("ev", ops, Bytes({0}));
        absl::Status s = tx->AppendEvent(payload);
        if (read_only) {
          EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
          failed = true;
        } else {
          ASSERT_OK(s);
          pending_events.push_back(payload);
        }
      } else {  // sequence
        auto got = tx->NextSequence("seq");
        if (read_only) {
          EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
          failed = true;
        } else {
          ASSERT_OK(got);
          EXPECT_GT(*got, pending.sequence);
          pending.sequence = *got;
        }
      }
    }
    if (failed || pick(5) == 0) {
      tx.reset();  // roll back
    } else {
      ASSERT_OK_AND_ASSIGN(CommitResult c, tx->Commit());
      ASSERT_EQ(c.event_seqs.size(), pending_events.size());
      committed = std::move(pending);
      for (auto& e : pending_events) committed_events.push_back(std::move(e));
    }
    // After every transaction the whole store matches the model.
    ASSERT_OK_AND_ASSIGN(auto check, store_->Begin(TxMode::kReadOnly));
    for (const std::string& index : index_names) {
      ScanRange all;
      all.index = index;
      ASSERT_OK_AND_ASSIGN(auto got, check->Scan("t", all));
      EXPECT_EQ(Describe(got), Describe(ModelScan(committed, all)))
          << "after round " << round << ", index '" << index << "'";
    }
    check.reset();
    ASSERT_OK_AND_ASSIGN(auto events, store_->ReadEvents(0, 0));
    ASSERT_EQ(events.size(), committed_events.size()) << "round " << round;
    for (size_t i = 0; i < events.size(); ++i) {
      ASSERT_EQ(events[i].payload, committed_events[i]);
      if (i > 0) ASSERT_LT(events[i - 1].seq, events[i].seq);
    }
  }
  EXPECT_GT(ops, 3000);
}

}  // namespace
}  // namespace testing_store
}  // namespace servicedesk
