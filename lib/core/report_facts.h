// The index entries compliance reports aggregate (lib/reports), written by the
// areas that own the records (lib/sla for clocks, lib/requests for requests).
// Reports read only these keys (Transaction::ScanKeys), never record bodies.
//
// A report steps millions of them, so they are binary with fixed offsets:
//
//   [0, 8)   the start of the fact's 10-second span (Unix micros,
//            EncodeOrderedInt64): the bucket of the busy fact indexes (see
//            IndexEntry::bucket)
//   [8, 16)  the fact's instant, EncodeOrderedInt64(Unix micros): scans by
//            period are range scans
//   [16]     service kind    (enum number; 0 if not below 256)
//   [17]     channel         (enum number; 0 if not below 256)
//   [18]     clock kind      (clocks; 0 for request facts)
//   [19]     flag: met (stop), score 1-5 (rating), 0 otherwise
//   [20, 28) EncodeOrderedInt64: business time in micros (stop), the span's
//            start in Unix micros (open span), 0 otherwise
//   [28, ..) center id, '\0', staff id (the assignee; may be empty)
//
//   table sla_clock
//     "rf_stop"   stopped_at       stopped, not cancelled, clocks (bucketed):
//                                  met (flag 1) counts there, and every stop
//                                  is in the percentiles
//     "rf_breach" breach instant   not cancelled clocks that breached or will
//                                  if nothing changes: running, paused after
//                                  breaching, or stopped late (BreachInstant
//                                  in lib/sla/clocks.cc). Breached counts
//                                  there, so a clock stopped late is counted
//                                  in the period it breached in, and a closed
//                                  period's figures do not move when it stops
//   table request
//     "rf_reg"    registered_at    every request (bucketed)
//     "rf_rating" rated_at         rated requests
//     "rf_span"   piece end        one per piece of a stretch a request was
//                                  open (from registration or a reopening to
//                                  its resolution or cancellation), split
//                                  where the assignee changed; InfiniteFuture,
//                                  the largest key, while still open. The
//                                  stretch's start is in [20, 28), the piece's
//                                  start after the staff id (SpanStaff): the
//                                  backlog at T is the pieces with
//                                  piece start <= T < end, a scan from
//                                  Bound(T), aged from the stretch's start
//
// Every instant a report reads is one of these keys: a report over a past
// period reads the same facts whenever it runs, except after a retroactive
// change (a priority or kind change recomputes an open clock's target and so
// moves its breach instant).
//
// Bucketed facts of one 10-second span share one SQLite row, so a report over
// a month reads a few hundred thousand rows instead of millions. The span
// keeps a row within what SQLite stores in its B-tree page (about 1 KB for
// these tables) at a few times a million requests a month; busier networks
// still work, with rows spilling to overflow pages.
#ifndef SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
#define SERVICEDESK_LIB_CORE_REPORT_FACTS_H_

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/store.h"

namespace servicedesk::internal::report_facts {

inline constexpr char kClockStop[] = "rf_stop";
inline constexpr char kClockBreach[] = "rf_breach";
inline constexpr char kRequestRegistered[] = "rf_reg";
inline constexpr char kRequestRating[] = "rf_rating";
inline constexpr char kRequestOpenSpan[] = "rf_span";

struct Fact {
  absl::Time at;
  int kind = 0;
  int channel = 0;
  int clock_kind = 0;
  int flag = 0;        // met (0/1) or rating score
  int64_t micros = 0;  // business time (stop) or a span's start
  absl::string_view center;
  absl::string_view staff;
};

inline constexpr size_t kFixedBytes = 28;
// IndexEntry::bucket of the bucketed fact indexes: the 10-second span.
inline constexpr uint8_t kBucketBytes = 8;

inline int64_t SpanStart(int64_t us) {
  constexpr int64_t kSpan = 10'000'000;
  return us < std::numeric_limits<int64_t>::min() + kSpan
             ? std::numeric_limits<int64_t>::min()
             : us - ((us % kSpan) + kSpan) % kSpan;
}

// The first bytes of every fact key at or after `at` (a scan bound).
inline std::string Bound(absl::Time at) {
  const int64_t us = absl::ToUnixMicros(at);  // saturates at the infinities
  std::string out(16, '\0');
  EncodeOrderedInt64To(SpanStart(us), out.data());
  EncodeOrderedInt64To(us, out.data() + 8);
  return out;
}

inline uint8_t SmallEnum(int v) {
  return v >= 0 && v < 256 ? static_cast<uint8_t>(v) : 0;
}

// Built in place: one allocation per fact key.
inline std::string Encode(const Fact& f) {
  std::string key(kFixedBytes + f.center.size() + 1 + f.staff.size(), '\0');
  char* b = key.data();
  const int64_t us = absl::ToUnixMicros(f.at);
  EncodeOrderedInt64To(SpanStart(us), b);
  EncodeOrderedInt64To(us, b + 8);
  b[16] = static_cast<char>(SmallEnum(f.kind));
  b[17] = static_cast<char>(SmallEnum(f.channel));
  b[18] = static_cast<char>(SmallEnum(f.clock_kind));
  b[19] = static_cast<char>(SmallEnum(f.flag));
  EncodeOrderedInt64To(f.micros, b + 20);
  // b[kFixedBytes + center size] stays '\0': the separator.
  if (!f.center.empty())
    std::memcpy(b + kFixedBytes, f.center.data(), f.center.size());
  if (!f.staff.empty())
    std::memcpy(b + kFixedBytes + f.center.size() + 1, f.staff.data(),
                f.staff.size());
  return key;
}

// IndexEntry::bucket / ScanRange::bucket of a fact index: the busy ones
// (registrations, clock stops) are bucketed by span, the rest are not.
inline uint8_t BucketOf(absl::string_view index) {
  return index == kRequestRegistered || index == kClockStop ? kBucketBytes : 0;
}

// The index entry of fact `f` in `index`.
inline IndexEntry Entry(const char* index, const Fact& f) {
  IndexEntry e{index, Encode(f), false};
  e.bucket = BucketOf(index);
  return e;
}

// Decodes `key` into `out` (views into `key`). False if malformed.
inline bool Decode(absl::string_view key, Fact* out) {
  if (key.size() < kFixedBytes + 1) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(key.data());
  out->at = absl::FromUnixMicros(DecodeOrderedInt64(key.substr(8, 8)));
  out->kind = b[16];
  out->channel = b[17];
  out->clock_kind = b[18];
  out->flag = b[19];
  out->micros = DecodeOrderedInt64(key.substr(20, 8));
  const char* rest = key.data() + kFixedBytes;
  const size_t n = key.size() - kFixedBytes;
  const void* nul = std::memchr(rest, '\0', n);
  if (nul == nullptr) return false;
  const size_t center_len = static_cast<const char*>(nul) - rest;
  out->center = absl::string_view(rest, center_len);
  out->staff = absl::string_view(rest + center_len + 1, n - center_len - 1);
  return true;
}

// rf_span's staff field: the assignee, '\0', then the piece's start
// (EncodeOrderedInt64 of Unix micros). A stretch is split where its assignee
// changed, so the backlog at a past instant names whoever had the request
// then; the stretch's own start (the age's origin) stays in [20, 28).
inline std::string SpanStaff(absl::string_view staff, absl::Time piece_start) {
  std::string out(staff.size() + 1 + 8, '\0');
  if (!staff.empty()) std::memcpy(out.data(), staff.data(), staff.size());
  EncodeOrderedInt64To(absl::ToUnixMicros(piece_start),
                       out.data() + staff.size() + 1);
  return out;
}

// Splits an rf_span staff field. False if malformed.
inline bool SplitSpanStaff(absl::string_view field, absl::string_view* staff,
                           absl::Time* piece_start) {
  const size_t nul = field.find('\0');
  if (nul == absl::string_view::npos || field.size() - nul - 1 != 8)
    return false;
  *staff = field.substr(0, nul);
  *piece_start =
      absl::FromUnixMicros(DecodeOrderedInt64(field.substr(nul + 1)));
  return true;
}

}  // namespace servicedesk::internal::report_facts

#endif  // SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
