#include "lib/core/records.h"

#include <algorithm>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/core/validate.h"

namespace servicedesk::internal {

absl::Status CheckFresh(absl::string_view table, absl::string_view id,
                        int64_t given, int64_t stored) {
  if (given == stored) return absl::OkStatus();
  if (given < 0)
    return absl::InvalidArgumentError(
        absl::StrCat("version: must not be negative, got ", given));
  return absl::AbortedError(absl::StrCat(
      "version: ", table, " '", id, "' is at version ", stored,
      ", the update was based on version ", given, "; re-read and retry"));
}

absl::Status CheckIdInput(absl::string_view field, absl::string_view id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  // No record has such an id (ids are short slugs); refusing it also keeps
  // an error message from echoing megabytes, being cut at the NUL or
  // carrying bytes that are not text.
  if (id.size() > kMaxIdBytes)
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", id.size(), " bytes; an id has at most ", kMaxIdBytes));
  if (id.find('\0') != absl::string_view::npos)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not contain NUL"));
  return CheckUtf8(field, id);
}

absl::Status CheckFilterIds(Transaction& tx, const ResolvedActor& actor,
                            std::initializer_list<FilterId> ids) {
  if (actor.IsContact()) return absl::OkStatus();
  for (const FilterId& f : ids) {
    if (f.id.empty()) continue;
    RETURN_IF_ERROR(CheckIdInput(f.field, f.id));
    auto version = tx.GetVersion(f.table, f.id);
    if (absl::IsNotFound(version.status()))
      return RecordNotFound(f.table, f.id, f.field);
    if (!version.ok()) return version.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredRecord> GetRecordRow(Transaction& tx,
                                          absl::string_view table,
                                          absl::string_view id,
                                          absl::string_view field) {
  RETURN_IF_ERROR(CheckIdInput(field, id));
  auto stored = tx.Get(table, id);
  if (absl::IsNotFound(stored.status()))
    return RecordNotFound(table, id, field);
  return stored;
}

absl::StatusOr<std::vector<StoredRecord>> ScanPrefix(Transaction& tx,
                                                     absl::string_view table,
                                                     absl::string_view index,
                                                     std::string prefix) {
  ScanRange range;
  range.index = std::string(index);
  range.upper = PrefixEnd(prefix);
  range.lower = std::move(prefix);
  return tx.Scan(table, range);
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char c = end.back();
    if (c != 0xFF) {
      end.back() = static_cast<char>(c + 1);
      return end;
    }
    end.pop_back();
  }
  return end;  // "" = unbounded
}

namespace {
void AppendKeyJoin(std::string& out,
                   std::initializer_list<absl::string_view> parts,
                   absl::string_view suffix) {
  size_t n = out.size() + suffix.size();
  for (absl::string_view p : parts) n += p.size() + 1;
  out.reserve(n);
  for (absl::string_view p : parts) {
    out.append(p.data(), p.size());
    out.push_back('\0');
  }
  out.append(suffix.data(), suffix.size());
}
}  // namespace

std::string FirstIds(const std::vector<std::string>& first, int64_t total) {
  const size_t named = std::min(first.size(), kIdsNamed);
  std::string out;
  for (size_t i = 0; i < named; ++i)
    absl::StrAppend(&out, i == 0 ? "" : ", ", "'", first[i], "'");
  if (total > static_cast<int64_t>(named))
    absl::StrAppend(&out, " and ", total - static_cast<int64_t>(named),
                    " more");
  return out;
}

int64_t IdNumber(absl::string_view id) {
  size_t dash = id.rfind('-');
  int64_t n = 0;
  if (dash == absl::string_view::npos ||
      !absl::SimpleAtoi(id.substr(dash + 1), &n))
    return 0;
  return n;
}

std::string NameKey(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const auto next =
        i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xD0 && next >= 0x90 && next <= 0x9F) {  // А..П
      out += '\xD0';
      out += static_cast<char>(next + 0x20);  // а..п
      ++i;
    } else if (c == 0xD0 && next >= 0xA0 && next <= 0xAF) {  // Р..Я
      out += '\xD1';
      out += static_cast<char>(next - 0x20);  // р..я
      ++i;
    } else if ((c == 0xD0 && next == 0x81) || (c == 0xD1 && next == 0x91)) {
      out += "\xD0\xB5";  // Ё, ё -> е
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string EmailKey(absl::string_view email) {
  // A domain in its own script and in punycode is one domain: the key keeps
  // the punycode form.
  std::string folded = LowerAddress(email);
  const size_t at = folded.rfind('@');
  if (at == std::string::npos) return folded;
  std::string key = folded.substr(0, at + 1);
  bool first = true;
  for (absl::string_view label :
       absl::StrSplit(absl::string_view(folded).substr(at + 1), '.')) {
    if (!first) key += '.';
    first = false;
    const std::optional<std::string> ascii = LabelToAscii(label);
    absl::StrAppend(&key, ascii ? *ascii : label);
  }
  return key;
}

std::string KeyJoin(std::initializer_list<absl::string_view> parts) {
  std::string out;
  AppendKeyJoin(out, parts, {});
  return out;
}

void AddIndexEntry(std::vector<IndexEntry>& out, absl::string_view index,
                   std::initializer_list<absl::string_view> parts,
                   absl::string_view suffix) {
  IndexEntry& e = out.emplace_back();
  e.index.assign(index.data(), index.size());
  AppendKeyJoin(e.key, parts, suffix);
}

uint64_t PageQueryHash(absl::string_view table, absl::string_view index,
                       absl::string_view lower, absl::string_view upper,
                       QueryFilter filter) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a, 64-bit
  auto add = [&h](absl::string_view part) {
    // The length first, so that ("ab", "c") and ("a", "bc") differ.
    const uint64_t n = part.size();
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<unsigned char>(n >> (8 * i));
      h *= 1099511628211ull;
    }
    for (char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  };
  add(table);
  add(index);
  add(lower);
  add(upper);
  for (absl::string_view part : filter) add(part);
  return h;
}

namespace {

// A token is web-safe base64 of kTokenTag, the query hash (8 bytes, big
// endian), then the position: the index key's length in decimal, ':', the
// index key and the record key. Tokens of earlier releases were the position
// alone, which starts with a digit, never with the tag.
constexpr absl::string_view kTokenTag = "v2";
constexpr size_t kHashBytes = 8;

// The position part of a token, or nullopt.
std::optional<ScanPosition> ParsePosition(absl::string_view raw) {
  size_t colon = raw.find(':');
  if (colon == absl::string_view::npos || colon == 0 || colon > 6)
    return std::nullopt;
  size_t n = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (raw[i] < '0' || raw[i] > '9') return std::nullopt;
    n = n * 10 + (raw[i] - '0');
  }
  if (colon + 1 + n > raw.size()) return std::nullopt;
  return ScanPosition{std::string(raw.substr(colon + 1, n)),
                      std::string(raw.substr(colon + 1 + n))};
}

}  // namespace

std::string EncodePageToken(uint64_t query_hash, const ScanPosition& pos) {
  std::string raw(kTokenTag);
  for (int i = static_cast<int>(kHashBytes) - 1; i >= 0; --i)
    raw.push_back(static_cast<char>(query_hash >> (8 * i)));
  absl::StrAppend(&raw, pos.index_key.size(), ":", pos.index_key, pos.key);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<ScanPosition> DecodePageToken(uint64_t query_hash,
                                             absl::string_view token) {
  std::string raw;
  const auto malformed = [] {
    return absl::InvalidArgumentError("page_token: malformed");
  };
  // A token of another List call, or of the same call with other filters,
  // would resume at a position of another result set: pages silently wrong.
  const auto foreign = [] {
    return absl::InvalidArgumentError(
        "page_token: does not belong to this query (a token only continues "
        "the List call, with the same filters, that returned it); list again "
        "without a page_token");
  };
  if (!absl::WebSafeBase64Unescape(token, &raw)) return malformed();
  absl::string_view rest = raw;
  if (!absl::ConsumePrefix(&rest, kTokenTag)) {
    // An earlier release's token carries no query to check it against.
    return ParsePosition(rest).has_value() ? foreign() : malformed();
  }
  if (rest.size() < kHashBytes) return malformed();
  uint64_t h = 0;
  for (size_t i = 0; i < kHashBytes; ++i)
    h = (h << 8) | static_cast<unsigned char>(rest[i]);
  rest.remove_prefix(kHashBytes);
  std::optional<ScanPosition> pos = ParsePosition(rest);
  if (!pos.has_value()) return malformed();
  if (h != query_hash) return foreign();
  return *std::move(pos);
}

int EffectivePageSize(int requested) {
  if (requested <= 0) return 100;
  return requested > 1000 ? 1000 : requested;
}

}  // namespace servicedesk::internal
