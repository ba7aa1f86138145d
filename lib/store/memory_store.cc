// In-memory Store backend.
//
// Transactions are serialized by one mutex held from Begin until Commit or
// destruction, so a transaction may write in place: every Put records an undo
// entry, and a rollback replays the undo log in reverse. This keeps the hot
// path (one put + one event per transaction) free of write buffers and of
// read-your-own-writes merging.
//
// Layout per table:
//   records  node_hash_map key -> Record (point lookups; nodes never move, so
//            the undo log may point at keys)
//   order    btree_set of record keys (primary-key scans)
//   indexes  per index name: a btree_set of (index key, record key) and, for
//            unique entries, a hash map index key -> owning record key.
// B-trees rather than red-black trees: a create then costs a few slot moves
// in a cache-resident node instead of a malloc and a pointer chase per level.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "lib/store/store_internal.h"
#include "servicedesk/store.h"

namespace servicedesk {
namespace {

using store_internal::AfterStart;

struct Record {
  int64_t version = 0;
  std::string value;
  std::vector<IndexEntry> indexes;
};

// `key` views the record's key in Table::records (nodes never move); an
// entry is removed before its record is erased.
struct Entry {
  std::string ikey;
  absl::string_view key;
};

struct EntryRef {
  absl::string_view ikey;
  absl::string_view key;
};

// Orders index entries by (index key, record key) as unsigned bytes
// (absl::string_view::compare uses char_traits<char>, which compares as
// unsigned char).
struct EntryLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    int c = absl::string_view(a.ikey).compare(b.ikey);
    if (c != 0) return c < 0;
    return absl::string_view(a.key).compare(b.key) < 0;
  }
};

struct Index {
  absl::btree_set<Entry, EntryLess> entries;
  // ikey -> record key (a view, as in Entry)
  absl::flat_hash_map<std::string, absl::string_view> unique;
};

struct Table {
  absl::node_hash_map<std::string, Record> records;
  absl::btree_set<std::string> order;
  absl::flat_hash_map<std::string, Index> indexes;

  Record* Find(absl::string_view key) {
    auto it = records.find(key);
    return it == records.end() ? nullptr : &it->second;
  }

  // `key` must be the stable key of the record's node.
  void AddEntry(absl::string_view key, const IndexEntry& e) {
    auto it = indexes.find(e.index);
    if (it == indexes.end()) it = indexes.try_emplace(e.index).first;
    Index& idx = it->second;
    idx.entries.insert(Entry{e.key, key});
    if (e.unique) idx.unique.insert_or_assign(e.key, key);
  }
  void AddEntries(absl::string_view key, const std::vector<IndexEntry>& es) {
    for (const IndexEntry& e : es) AddEntry(key, e);
  }

  void RemoveUniqueClaim(absl::string_view key, const IndexEntry& e) {
    auto it = indexes.find(e.index);
    if (it == indexes.end()) return;
    auto uit = it->second.unique.find(e.key);
    if (uit != it->second.unique.end() && uit->second == key)
      it->second.unique.erase(uit);
  }

  void RemoveEntry(absl::string_view key, const IndexEntry& e) {
    auto it = indexes.find(e.index);
    if (it == indexes.end()) return;
    Index& idx = it->second;
    auto eit = idx.entries.find(EntryRef{e.key, key});
    if (eit != idx.entries.end()) idx.entries.erase(eit);
    if (e.unique) {
      auto uit = idx.unique.find(e.key);
      if (uit != idx.unique.end() && uit->second == key) idx.unique.erase(uit);
    }
  }
  void RemoveEntries(absl::string_view key, const std::vector<IndexEntry>& es) {
    for (const IndexEntry& e : es) RemoveEntry(key, e);
  }
};

bool SameIndexes(const std::vector<IndexEntry>& a,
                 absl::Span<const IndexEntry> b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].unique != b[i].unique || a[i].index != b[i].index ||
        a[i].key != b[i].key) {
      return false;
    }
  }
  return true;
}

bool SameKeyIn(absl::Span<const IndexEntry> es, const IndexEntry& e) {
  for (const IndexEntry& x : es)
    if (x.index == e.index && x.key == e.key) return true;
  return false;
}

bool Contains(absl::Span<const IndexEntry> es, const IndexEntry& e) {
  for (const IndexEntry& x : es)
    if (x.unique == e.unique && x.index == e.index && x.key == e.key)
      return true;
  return false;
}

class MemoryStore;

class MemoryTransaction final : public Transaction {
 public:
  MemoryTransaction(MemoryStore* store, TxMode mode,
                    std::unique_lock<std::mutex> lock);
  ~MemoryTransaction() override {
    if (lock_.owns_lock()) Rollback();
  }

  absl::StatusOr<StoredRecord> Get(absl::string_view table,
                                   absl::string_view key) override;
  absl::StatusOr<int64_t> Put(absl::string_view table, absl::string_view key,
                              int64_t expected_version, absl::string_view value,
                              absl::Span<const IndexEntry> indexes) override;
  absl::StatusOr<int64_t> GetVersion(absl::string_view table,
                                     absl::string_view key) override;
  absl::StatusOr<int64_t> PutOwned(absl::string_view table,
                                   absl::string_view key,
                                   int64_t expected_version,
                                   std::string&& value,
                                   std::vector<IndexEntry>&& indexes) override;
  absl::StatusOr<std::vector<StoredRecord>> Scan(
      absl::string_view table, const ScanRange& range) override;
  absl::Status ScanKeys(absl::string_view table, const ScanRange& range,
                        const KeyVisitor& visit) override;
  absl::StatusOr<int64_t> NextSequence(absl::string_view name) override;
  absl::Status AppendEvent(absl::string_view payload) override;
  absl::Status AppendEventOwned(std::string&& payload) override;
  absl::StatusOr<CommitResult> Commit() override;

 private:
  friend class MemoryStore;
  // The state a Put replaced, to restore on rollback.
  struct Undo {
    Table* table;
    absl::string_view key;  // points into the record's map node (stable)
    bool existed;
    bool indexes_unchanged;
    int64_t old_version;
    std::string old_value;
    std::vector<IndexEntry> old_indexes;
  };

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
    return absl::OkStatus();
  }
  void Rollback();
  void Finish();
  // The record `key` of `table`, or NOT_FOUND.
  absl::StatusOr<const Record*> Lookup(absl::string_view table,
                                       absl::string_view key);
  // Put and PutOwned: the take_* arguments, when set, are moved from once
  // every check has passed.
  absl::StatusOr<int64_t> Write(absl::string_view table, absl::string_view key,
                                int64_t expected_version,
                                absl::string_view value,
                                absl::Span<const IndexEntry> indexes,
                                std::string* take_value,
                                std::vector<IndexEntry>* take_indexes);

  MemoryStore* store_;
  TxMode mode_;
  std::unique_lock<std::mutex> lock_;
  std::vector<Undo> undo_;
  std::vector<int64_t*> sequence_undo_;  // counters NextSequence advanced
  std::vector<std::string> events_;
};

class MemoryStore final : public Store {
 public:
  absl::StatusOr<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    std::unique_lock<std::mutex> lock(mu_);
    return std::unique_ptr<Transaction>(
        new MemoryTransaction(this, mode, std::move(lock)));
  }

  absl::StatusOr<std::vector<StoredEvent>> ReadEvents(int64_t after_seq,
                                                      size_t limit) override {
    // Only events_mu_: callable while the caller holds a transaction.
    std::lock_guard<std::mutex> lock(events_mu_);
    std::vector<StoredEvent> out;
    // seq n lives at events_[n - 1].
    size_t begin = after_seq < 0 ? 0 : static_cast<size_t>(after_seq);
    if (begin >= events_.size()) return out;
    size_t end = events_.size();
    if (limit != 0 && end - begin > limit) end = begin + limit;
    out.assign(events_.begin() + begin, events_.begin() + end);
    return out;
  }

  absl::string_view backend_name() const override { return "memory"; }

 private:
  friend class MemoryTransaction;

  // Guarded by mu_ (held by the live transaction).
  Table* FindTable(absl::string_view name) {
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : it->second.get();
  }
  Table* GetOrCreateTable(absl::string_view name) {
    auto it = tables_.find(name);
    if (it == tables_.end()) {
      it = tables_.emplace(std::string(name), std::make_unique<Table>()).first;
    }
    return it->second.get();
  }

  std::mutex mu_;  // held for a transaction's whole lifetime
  // The live transaction's undo log and pending events: kept across
  // transactions so that their capacity is reused (no allocation per
  // transaction once warm).
  std::vector<MemoryTransaction::Undo> undo_scratch_;
  std::vector<int64_t*> sequence_undo_scratch_;
  std::vector<std::string> event_scratch_;
  absl::flat_hash_map<std::string, std::unique_ptr<Table>> tables_;
  // Nodes never move, so a transaction may point at the counters it moved.
  absl::node_hash_map<std::string, int64_t> sequences_;

  std::mutex events_mu_;  // lock order: mu_ before events_mu_
  // A deque: appending never moves the log (no reallocation spikes).
  std::deque<StoredEvent> events_;
};

MemoryTransaction::MemoryTransaction(MemoryStore* store, TxMode mode,
                                     std::unique_lock<std::mutex> lock)
    : store_(store), mode_(mode), lock_(std::move(lock)) {
  undo_.swap(store_->undo_scratch_);
  sequence_undo_.swap(store_->sequence_undo_scratch_);
  events_.swap(store_->event_scratch_);
}

void MemoryTransaction::Finish() {
  undo_.clear();
  sequence_undo_.clear();
  sequence_undo_.swap(store_->sequence_undo_scratch_);
  events_.clear();
  undo_.swap(store_->undo_scratch_);
  events_.swap(store_->event_scratch_);
  lock_.unlock();
}

absl::StatusOr<const Record*> MemoryTransaction::Lookup(absl::string_view table,
                                                        absl::string_view key) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  Table* t = store_->FindTable(table);
  Record* r = t ? t->Find(key) : nullptr;
  if (r == nullptr) {
    return absl::NotFoundError(absl::StrCat(table, "/", key, " not found"));
  }
  return r;
}

absl::StatusOr<StoredRecord> MemoryTransaction::Get(absl::string_view table,
                                                    absl::string_view key) {
  auto found = Lookup(table, key);
  if (!found.ok()) return found.status();
  const Record* r = *found;
  StoredRecord out;
  out.key.assign(key.data(), key.size());
  out.version = r->version;
  out.value = r->value;
  return out;
}

absl::StatusOr<int64_t> MemoryTransaction::GetVersion(absl::string_view table,
                                                      absl::string_view key) {
  auto found = Lookup(table, key);
  if (!found.ok()) return found.status();
  return (*found)->version;
}

absl::StatusOr<int64_t> MemoryTransaction::Put(
    absl::string_view table, absl::string_view key, int64_t expected_version,
    absl::string_view value, absl::Span<const IndexEntry> indexes) {
  return Write(table, key, expected_version, value, indexes, nullptr, nullptr);
}

absl::StatusOr<int64_t> MemoryTransaction::PutOwned(
    absl::string_view table, absl::string_view key, int64_t expected_version,
    std::string&& value, std::vector<IndexEntry>&& indexes) {
  return Write(table, key, expected_version, value, indexes, &value, &indexes);
}

absl::StatusOr<int64_t> MemoryTransaction::Write(
    absl::string_view table, absl::string_view key, int64_t expected_version,
    absl::string_view value, absl::Span<const IndexEntry> indexes,
    std::string* take_value, std::vector<IndexEntry>* take_indexes) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  SD_STORE_RETURN_IF_ERROR(
      store_internal::ValidatePut(table, key, expected_version, indexes));
  Table* t = store_->GetOrCreateTable(table);
  Record* r = t->Find(key);
  int64_t current = r ? r->version : 0;
  if (current != expected_version) {
    return store_internal::VersionMismatch(table, key, expected_version,
                                           current);
  }
  // Check every unique entry before touching anything.
  for (const IndexEntry& e : indexes) {
    if (!e.unique) continue;
    auto it = t->indexes.find(e.index);
    if (it == t->indexes.end()) continue;
    auto uit = it->second.unique.find(e.key);
    if (uit != it->second.unique.end() && uit->second != key) {
      return store_internal::UniqueCollision(table, e.index, key);
    }
  }
  // Nothing fails below: the arguments may be taken.
  auto set_value = [&](std::string& to) {
    if (take_value != nullptr)
      to = std::move(*take_value);
    else
      to.assign(value.data(), value.size());
  };
  auto set_indexes = [&](std::vector<IndexEntry>& to) {
    if (take_indexes != nullptr)
      to = std::move(*take_indexes);
    else
      to.assign(indexes.begin(), indexes.end());
  };

  if (r != nullptr) {
    bool unchanged = SameIndexes(r->indexes, indexes);
    auto node = t->records.find(key);
    absl::string_view stable_key(node->first.data(), node->first.size());
    Undo& u = undo_.emplace_back(Undo{
        t, stable_key, true, unchanged, r->version, std::move(r->value), {}});
    r->version = expected_version + 1;
    set_value(r->value);
    if (!unchanged) {
      // Only the entries that differ leave and enter the B-trees (an update
      // usually changes one or two of a record's entries).
      for (const IndexEntry& e : r->indexes) {
        if (Contains(indexes, e)) continue;
        if (SameKeyIn(indexes, e)) {
          // Still listed, no longer unique: only the unique claim goes.
          if (e.unique) t->RemoveUniqueClaim(stable_key, e);
          continue;
        }
        t->RemoveEntry(stable_key, e);
      }
      u.old_indexes = std::move(r->indexes);
      set_indexes(r->indexes);
      for (const IndexEntry& e : r->indexes)
        if (!Contains(u.old_indexes, e)) t->AddEntry(stable_key, e);
    }
    return r->version;
  }

  auto [it, inserted] = t->records.try_emplace(std::string(key));
  r = &it->second;
  r->version = 1;
  set_value(r->value);
  set_indexes(r->indexes);
  absl::string_view stable_key = it->first;
  t->order.emplace(stable_key);
  t->AddEntries(stable_key, r->indexes);
  undo_.push_back(Undo{t, stable_key, false, false, 0, {}, {}});
  return int64_t{1};
}

absl::StatusOr<std::vector<StoredRecord>> MemoryTransaction::Scan(
    absl::string_view table, const ScanRange& range) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  std::vector<StoredRecord> out;
  Table* t = store_->FindTable(table);
  if (t == nullptr) return out;
  const absl::string_view upper = range.upper;
  auto full = [&] { return range.limit != 0 && out.size() >= range.limit; };

  if (range.index.empty()) {
    auto it = t->order.lower_bound(absl::string_view(range.lower));
    if (range.has_start_after &&
        absl::string_view(range.start_after_index_key) > range.lower) {
      it = t->order.lower_bound(absl::string_view(range.start_after_index_key));
    }
    for (; it != t->order.end() && !full(); ++it) {
      if (!upper.empty() && absl::string_view(*it) >= upper) break;
      if (!AfterStart(range, *it, *it)) continue;
      const Record* r = t->Find(*it);
      StoredRecord& rec = out.emplace_back();
      rec.key = *it;
      rec.version = r->version;
      rec.value = r->value;
      rec.index_key = *it;
    }
    return out;
  }

  auto iit = t->indexes.find(range.index);
  if (iit == t->indexes.end()) return out;
  const auto& entries = iit->second.entries;
  auto it = entries.lower_bound(EntryRef{range.lower, absl::string_view()});
  if (range.has_start_after) {
    EntryRef start{range.start_after_index_key, range.start_after_key};
    if (!EntryLess()(start, EntryRef{range.lower, absl::string_view()})) {
      it = entries.upper_bound(start);
    }
  }
  for (; it != entries.end() && !full(); ++it) {
    if (!upper.empty() && absl::string_view(it->ikey) >= upper) break;
    const Record* r = t->Find(it->key);
    if (r == nullptr) continue;  // cannot happen: entries follow records
    StoredRecord& rec = out.emplace_back();
    rec.key.assign(it->key.data(), it->key.size());
    rec.version = r->version;
    rec.value = r->value;
    rec.index_key = it->ikey;
  }
  return out;
}

absl::Status MemoryTransaction::ScanKeys(absl::string_view table,
                                         const ScanRange& range,
                                         const KeyVisitor& visit) {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  if (range.index.empty())
    return absl::InvalidArgumentError(
        "ScanKeys: range.index must name an index");
  Table* t = store_->FindTable(table);
  if (t == nullptr) return absl::OkStatus();
  auto iit = t->indexes.find(range.index);
  if (iit == t->indexes.end()) return absl::OkStatus();
  const auto& entries = iit->second.entries;
  auto it = entries.lower_bound(EntryRef{range.lower, absl::string_view()});
  if (range.has_start_after) {
    EntryRef start{range.start_after_index_key, range.start_after_key};
    if (!EntryLess()(start, EntryRef{range.lower, absl::string_view()})) {
      it = entries.upper_bound(start);
    }
  }
  const absl::string_view upper = range.upper;
  size_t n = 0;
  for (; it != entries.end() && (range.limit == 0 || n < range.limit);
       ++it, ++n) {
    if (!upper.empty() && absl::string_view(it->ikey) >= upper) break;
    if (!visit(it->ikey, it->key)) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryTransaction::NextSequence(
    absl::string_view name) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  if (name.empty()) return absl::InvalidArgumentError("empty sequence name");
  auto it = store_->sequences_.find(name);
  if (it == store_->sequences_.end()) {
    it = store_->sequences_.emplace(std::string(name), 0).first;
  }
  // Undone on rollback, as on SQLite: the contract allows gaps, but a refused
  // call should not use up an id on one backend and not on the other.
  sequence_undo_.push_back(&it->second);
  return ++it->second;
}

absl::Status MemoryTransaction::AppendEvent(absl::string_view payload) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  events_.emplace_back(payload);
  return absl::OkStatus();
}

absl::Status MemoryTransaction::AppendEventOwned(std::string&& payload) {
  SD_STORE_RETURN_IF_ERROR(CheckWritable());
  events_.push_back(std::move(payload));
  return absl::OkStatus();
}

absl::StatusOr<CommitResult> MemoryTransaction::Commit() {
  SD_STORE_RETURN_IF_ERROR(CheckOpen());
  CommitResult result;
  if (!events_.empty()) {
    result.event_seqs.reserve(events_.size());
    std::lock_guard<std::mutex> lock(store_->events_mu_);
    auto& log = store_->events_;
    for (std::string& payload : events_) {
      int64_t seq = static_cast<int64_t>(log.size()) + 1;
      log.push_back(StoredEvent{seq, std::move(payload)});
      result.event_seqs.push_back(seq);
    }
  }
  Finish();
  return result;
}

void MemoryTransaction::Rollback() {
  for (auto u = undo_.rbegin(); u != undo_.rend(); ++u) {
    Table* t = u->table;
    Record* r = t->Find(u->key);
    if (!u->existed) {
      t->RemoveEntries(u->key, r->indexes);
      t->order.erase(u->key);
      t->records.erase(t->records.find(u->key));
      continue;
    }
    r->version = u->old_version;
    r->value = std::move(u->old_value);
    if (!u->indexes_unchanged) {
      t->RemoveEntries(u->key, r->indexes);
      r->indexes = std::move(u->old_indexes);
      t->AddEntries(u->key, r->indexes);
    }
  }
  for (int64_t* counter : sequence_undo_) --*counter;
  Finish();
}

}  // namespace

std::unique_ptr<Store> NewMemoryStore() {
  return std::make_unique<MemoryStore>();
}

}  // namespace servicedesk
