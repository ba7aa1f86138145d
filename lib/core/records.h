// Typed access to stored records. Every record message starts with
// id = 1, version = 2, created_at = 3, updated_at = 4 (see common.proto), so
// one template serves every area.
#ifndef SERVICEDESK_LIB_CORE_RECORDS_H_
#define SERVICEDESK_LIB_CORE_RECORDS_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/core/desk_context.h"
#include "lib/core/status_macros.h"
#include "servicedesk/common.h"
#include "servicedesk/store.h"

namespace servicedesk::v1 {
class Organization;
}  // namespace servicedesk::v1

namespace servicedesk::internal {

// Ids of one sequence in creation order: shorter first, then bytes
// ("staff-9" < "staff-10").
inline bool IdLess(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

// The number after the last '-' of a generated id ("req-12" -> 12; 0 if
// none): index keys that end in it keep ids of one sequence in creation
// order.
int64_t IdNumber(absl::string_view id);

// How many ids a refusal names: enough to find the records that hold the
// call back, few enough to read on one line.
inline constexpr size_t kIdsNamed = 3;

// The first ids of `total` records, as every refusal lists them:
// "'req-1', 'req-2', 'req-3' and 2 more" ("'req-1'" for one). `first` holds
// the first kIdsNamed (or fewer) in the caller's order; the rest are counted.
std::string FirstIds(const std::vector<std::string>& first, int64_t total);

// NOT_FOUND for record `id` of `table`, named by the input `field`.
inline absl::Status RecordNotFound(absl::string_view table,
                                   absl::string_view id,
                                   absl::string_view field) {
  return absl::NotFoundError(
      absl::StrCat(field, ": ", table, " '", id, "' not found"));
}

// Client contacts see their own organisation only and are not told which
// ids of other organisations exist (ids are sequential): for a contact, a
// record of another organisation is the NOT_FOUND an unknown id gets. OK for
// everyone else; their rights are checked by lib/auth.
inline absl::Status HideFromOtherClients(const ResolvedActor& a,
                                         absl::string_view organization_id,
                                         absl::string_view table,
                                         absl::string_view id,
                                         absl::string_view field) {
  if (a.IsContact() && a.organization_id != organization_id)
    return RecordNotFound(table, id, field);
  return absl::OkStatus();
}

// Heap copies of messages that live in a scope's arena, for returning to the
// caller.
template <typename M>
std::vector<M> CopiesOf(const std::vector<M*>& ms) {
  std::vector<M> out;
  out.reserve(ms.size());
  for (const M* m : ms) out.emplace_back(*m);
  return out;
}
template <typename M>
absl::StatusOr<std::vector<M>> CopiesOf(
    const absl::StatusOr<std::vector<M*>>& ms) {
  if (!ms.ok()) return ms.status();
  return CopiesOf(*ms);
}
template <typename M>
absl::StatusOr<M> CopyOf(const absl::StatusOr<M*>& m) {
  if (!m.ok()) return m.status();
  return M(**m);
}

// Parses a stored record into `m` (its version from the store), or
// DATA_LOSS.
template <typename M>
absl::Status ParseInto(absl::string_view table, const StoredRecord& row, M& m) {
  if (!m.ParseFromString(row.value))
    return absl::DataLossError(
        absl::StrCat(table, " '", row.key, "': unreadable record"));
  m.set_version(row.version);
  return absl::OkStatus();
}

// A stored record as M, or DATA_LOSS.
template <typename M>
absl::StatusOr<M> ParseStored(absl::string_view table,
                              const StoredRecord& row) {
  M m;
  RETURN_IF_ERROR(ParseInto(table, row, m));
  return m;
}

// The same, in the scope's arena (lives until the call ends).
template <typename M>
absl::StatusOr<M*> ParseStoredIn(TxScope& s, absl::string_view table,
                                 const StoredRecord& row) {
  M* m = google::protobuf::Arena::CreateMessage<M>(s.arena());
  RETURN_IF_ERROR(ParseInto(table, row, *m));
  return m;
}

// Longer ids are refused as input (generated ids and slugs are far shorter).
inline constexpr size_t kMaxIdBytes = 256;

// INVALID_ARGUMENT naming `field` for an id no record can have: empty,
// longer than kMaxIdBytes, containing NUL or not valid UTF-8.
absl::Status CheckIdInput(absl::string_view field, absl::string_view id);

// A list filter's record ids, checked for staff and administrators: an
// unknown one is NOT_FOUND naming its field, not an empty page that reads
// as "nothing there". Each entry is (field, table, id); empty ids are
// skipped. Client contacts are not told which ids exist.
struct FilterId {
  absl::string_view field, table, id;
};
absl::Status CheckFilterIds(Transaction& tx, const ResolvedActor& actor,
                            std::initializer_list<FilterId> ids);

// The stored row of record `id` of `table`. `field` names the input that
// carried the id, so errors read "organization_id: organization 'org-9' not
// found". INVALID_ARGUMENT naming `field` as CheckIdInput.
absl::StatusOr<StoredRecord> GetRecordRow(Transaction& tx,
                                          absl::string_view table,
                                          absl::string_view id,
                                          absl::string_view field);

// Loads record `id` of `table` (errors as GetRecordRow).
template <typename M>
absl::StatusOr<M> LoadRecord(Transaction& tx, absl::string_view table,
                             absl::string_view id, absl::string_view field) {
  ASSIGN_OR_RETURN(StoredRecord row, GetRecordRow(tx, table, id, field));
  return ParseStored<M>(table, row);
}

// The organisation a record belongs to: its own id for an organisation.
template <typename M>
const std::string& OrganizationOf(const M& m) {
  if constexpr (std::is_same_v<M, v1::Organization>)
    return m.id();
  else
    return m.organization_id();
}

// LoadRecord for the scope's actor: a client contact asking for another
// organisation's record gets the NOT_FOUND an unknown id gets
// (HideFromOtherClients). The loader every call that takes a client
// record's id uses.
template <typename M>
absl::StatusOr<M> LoadVisibleRecord(TxScope& s, absl::string_view table,
                                    absl::string_view id,
                                    absl::string_view field) {
  ASSIGN_OR_RETURN(M m, LoadRecord<M>(s.tx(), table, id, field));
  RETURN_IF_ERROR(
      HideFromOtherClients(s.actor(), OrganizationOf(m), table, id, field));
  return m;
}

// The same, in the scope's arena: for records read for reference or changed
// and saved within the call, never returned.
template <typename M>
absl::StatusOr<M*> LoadRecordIn(TxScope& s, absl::string_view table,
                                absl::string_view id, absl::string_view field) {
  ASSIGN_OR_RETURN(StoredRecord row, GetRecordRow(s.tx(), table, id, field));
  return ParseStoredIn<M>(s, table, row);
}

// Creates (version 0) or updates (version = stored) `m`, stamping times and
// bumping m's version on success. Index entries replace the previous ones.
template <typename M>
absl::Status SaveRecord(TxScope& scope, absl::string_view table, M& m,
                        std::vector<IndexEntry> indexes) {
  // Stamped in place (records carry their history, so a copy is not free)
  // and restored if the store refuses.
  const int64_t expected = m.version();
  const bool had_created = m.has_created_at(), had_updated = m.has_updated_at();
  const auto old_created = m.created_at(), old_updated = m.updated_at();
  if (expected == 0) *m.mutable_created_at() = ToProto(scope.now());
  *m.mutable_updated_at() = ToProto(scope.now());
  m.set_version(expected + 1);
  auto v = scope.tx().PutOwned(table, m.id(), expected, m.SerializeAsString(),
                               std::move(indexes));
  if (!v.ok()) {
    m.set_version(expected);
    if (had_created)
      *m.mutable_created_at() = old_created;
    else
      m.clear_created_at();
    if (had_updated)
      *m.mutable_updated_at() = old_updated;
    else
      m.clear_updated_at();
    return v.status();
  }
  m.set_version(*v);
  return absl::OkStatus();
}

// SaveRecord for an Update call: users send a record back as they read it,
// and one that changes nothing must not read as a change (a new version
// that makes other holders' copies stale, a new updated_at, an "updated"
// event). When `m` is at the stored version and holds what is stored apart
// from its version and times, nothing is written, `m` stays as stored and
// false is returned; otherwise as SaveRecord, and true. Callers emit their
// event only on true. Version checks stay the caller's (CheckFresh first):
// a stale copy never reaches the comparison.
template <typename M>
absl::StatusOr<bool> SaveIfChanged(TxScope& scope, absl::string_view table,
                                   M& m, std::vector<IndexEntry> indexes) {
  if (m.version() != 0) {
    auto row = scope.tx().Get(table, m.id());
    if (!row.ok() && !absl::IsNotFound(row.status())) return row.status();
    if (row.ok() && row->version == m.version()) {
      ASSIGN_OR_RETURN(M stored, ParseStored<M>(table, *row));
      // Compared as stored bytes, with m's stamps on the stored copy (a copy
      // of m is not free, see SaveRecord). Record messages hold no maps, so
      // equal messages serialize alike.
      if (m.has_created_at())
        *stored.mutable_created_at() = m.created_at();
      else
        stored.clear_created_at();
      if (m.has_updated_at())
        *stored.mutable_updated_at() = m.updated_at();
      else
        stored.clear_updated_at();
      if (stored.SerializeAsString() == m.SerializeAsString()) return false;
    }
  }
  RETURN_IF_ERROR(SaveRecord(scope, table, m, std::move(indexes)));
  return true;
}

// Every record of `table` whose `index` key starts with `prefix`, in index
// order.
template <typename M>
absl::StatusOr<std::vector<M>> LoadByPrefix(Transaction& tx,
                                            absl::string_view table,
                                            absl::string_view index,
                                            std::string prefix);

// ABORTED unless the caller's copy is the stored version; INVALID_ARGUMENT
// naming "version" for a negative one.
absl::Status CheckFresh(absl::string_view table, absl::string_view id,
                        int64_t given, int64_t stored);

// The exclusive upper bound of every key starting with `prefix`.
std::string PrefixEnd(absl::string_view prefix);

// Index key parts joined so that byte order sorts by part, then by the next.
std::string KeyJoin(std::initializer_list<absl::string_view> parts);

// A person's or organisation's name as a sort key: Latin and Russian letters
// fold to lower case, and Ё to Е (as Russian dictionaries order them), so
// that byte order is alphabetical within each script, Latin first. Other
// characters stay as they are.
std::string NameKey(absl::string_view name);

// An e-mail address as a unique key: letters in lower case (LowerAddress:
// Latin, Greek and Cyrillic; Ё stays distinct from Е, they are different
// addresses) and the domain in punycode, so that Ivan@Client.ru and
// ivan@client.ru, or Иван@Пример.рф and иван@xn--e1afmkfd.xn--p1ai, are one
// address.
std::string EmailKey(absl::string_view email);

// Appends to `out` an entry of `index` keyed KeyJoin(parts) + suffix, built
// in place (index builders run on every save).
void AddIndexEntry(std::vector<IndexEntry>& out, absl::string_view index,
                   std::initializer_list<absl::string_view> parts,
                   absl::string_view suffix = {});

struct ScanPosition {
  std::string index_key;
  std::string key;
};

// The parts of a List call's query that its keep function applies: the
// effective filter, after the actor's restrictions (a contact's own
// organisation, a staff member's center). Each part is one value; enums and
// flags as their numbers.
using QueryFilter = std::initializer_list<absl::string_view>;

// What a page token is bound to: a 64-bit FNV-1a hash (stable across
// processes and releases, unlike absl::Hash) of the scan's table, index,
// bounds and `filter`, each part length-prefixed.
uint64_t PageQueryHash(absl::string_view table, absl::string_view index,
                       absl::string_view lower, absl::string_view upper,
                       QueryFilter filter);

// An opaque token for resuming after `pos` in the query `query_hash` names.
std::string EncodePageToken(uint64_t query_hash, const ScanPosition& pos);
// Where `token` resumes. INVALID_ARGUMENT naming page_token when it is
// malformed, or was issued for another query (or by a release whose tokens
// were not bound to their query: they are refused the same way).
absl::StatusOr<ScanPosition> DecodePageToken(uint64_t query_hash,
                                             absl::string_view token);
int EffectivePageSize(int requested);

// One page of `table` over `index` in [lower, upper), keeping records for
// which keep(m) is true. `filter` is what keep applies (see QueryFilter):
// the page token binds all of them, so a token is refused by any other query.
template <typename M>
absl::StatusOr<Page<M>> ScanPage(Transaction& tx, absl::string_view table,
                                 absl::string_view index, std::string lower,
                                 std::string upper, QueryFilter filter,
                                 const PageRequest& page,
                                 const std::function<bool(const M&)>& keep) {
  if (page.page_size < 0)
    return absl::InvalidArgumentError("page_size: must not be negative");
  const size_t want = EffectivePageSize(page.page_size);
  const uint64_t query = PageQueryHash(table, index, lower, upper, filter);
  ScanRange range;
  range.index = std::string(index);
  range.lower = std::move(lower);
  range.upper = std::move(upper);
  if (!page.page_token.empty()) {
    ASSIGN_OR_RETURN(ScanPosition pos, DecodePageToken(query, page.page_token));
    range.has_start_after = true;
    range.start_after_index_key = std::move(pos.index_key);
    range.start_after_key = std::move(pos.key);
  }
  range.limit = want + 1;
  Page<M> out;
  ScanPosition last;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<StoredRecord> batch, tx.Scan(table, range));
    for (StoredRecord& r : batch) {
      ASSIGN_OR_RETURN(M m, ParseStored<M>(table, r));
      range.has_start_after = true;
      range.start_after_index_key = r.index_key;
      range.start_after_key = r.key;
      if (keep && !keep(m)) continue;
      if (out.items.size() == want) {
        out.next_page_token = EncodePageToken(query, last);
        return out;
      }
      last = ScanPosition{r.index_key, r.key};
      out.items.push_back(std::move(m));
    }
    if (batch.size() < range.limit) return out;
  }
}

// The rows of `table` whose `index` key starts with `prefix`.
absl::StatusOr<std::vector<StoredRecord>> ScanPrefix(Transaction& tx,
                                                     absl::string_view table,
                                                     absl::string_view index,
                                                     std::string prefix);

template <typename M>
absl::StatusOr<std::vector<M>> LoadByPrefix(Transaction& tx,
                                            absl::string_view table,
                                            absl::string_view index,
                                            std::string prefix) {
  ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                   ScanPrefix(tx, table, index, std::move(prefix)));
  std::vector<M> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    RETURN_IF_ERROR(ParseInto(table, rows[i], out[i]));
  return out;
}

// LoadByPrefix into the scope's arena.
template <typename M>
absl::StatusOr<std::vector<M*>> LoadByPrefixIn(TxScope& s,
                                               absl::string_view table,
                                               absl::string_view index,
                                               std::string prefix) {
  ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                   ScanPrefix(s.tx(), table, index, std::move(prefix)));
  std::vector<M*> out;
  out.reserve(rows.size());
  for (const StoredRecord& row : rows) {
    ASSIGN_OR_RETURN(M * m, ParseStoredIn<M>(s, table, row));
    out.push_back(m);
  }
  return out;
}

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_CORE_RECORDS_H_
