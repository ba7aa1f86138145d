// The index entries compliance reports aggregate (lib/reports), written by the
// areas that own the records (lib/sla for clocks, lib/requests for requests).
// Reports read only these keys (Transaction::ScanKeys), never record bodies.
//
// A report steps millions of them, so they are binary with fixed offsets:
//
//   [0, 8)   the fact's instant, EncodeOrderedInt64(Unix micros): scans by
//            period are range scans
//   [8]      service kind    (enum number; 0 if not below 256)
//   [9]      channel         (enum number; 0 if not below 256)
//   [10]     clock kind      (clocks; 0 for request facts)
//   [11]     flag: met (stop), score 1-5 (rating), 0 otherwise
//   [12, 20) business seconds (stop), EncodeOrderedInt64; 0 otherwise
//   [20, ..) center id, '\0', staff id (the assignee; may be empty)
//
//   table sla_clock
//     "rf_stop"   stopped_at       stopped, not cancelled, clocks
//     "rf_breach" breach instant   open clocks that have breached, or will at
//                                  that instant if nothing changes
//   table request
//     "rf_reg"    registered_at    every request
//     "rf_rating" rated_at         rated requests
//     "rf_open"   registered_at    open requests (the backlog)
#ifndef SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
#define SERVICEDESK_LIB_CORE_REPORT_FACTS_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/store.h"

namespace servicedesk::internal::report_facts {

inline constexpr char kClockStop[] = "rf_stop";
inline constexpr char kClockBreach[] = "rf_breach";
inline constexpr char kRequestRegistered[] = "rf_reg";
inline constexpr char kRequestRating[] = "rf_rating";
inline constexpr char kRequestOpen[] = "rf_open";

struct Fact {
  absl::Time at;
  int kind = 0;
  int channel = 0;
  int clock_kind = 0;
  int flag = 0;  // met (0/1) or rating score
  int64_t seconds = 0;
  absl::string_view center;
  absl::string_view staff;
};

inline constexpr size_t kFixedBytes = 20;

inline uint8_t SmallEnum(int v) {
  return v >= 0 && v < 256 ? static_cast<uint8_t>(v) : 0;
}

inline std::string Encode(const Fact& f) {
  std::string key = EncodeOrderedInt64(absl::ToUnixMicros(f.at));
  key.reserve(kFixedBytes + f.center.size() + 1 + f.staff.size());
  key.push_back(static_cast<char>(SmallEnum(f.kind)));
  key.push_back(static_cast<char>(SmallEnum(f.channel)));
  key.push_back(static_cast<char>(SmallEnum(f.clock_kind)));
  key.push_back(static_cast<char>(SmallEnum(f.flag)));
  key += EncodeOrderedInt64(f.seconds);
  key.append(f.center.data(), f.center.size());
  key.push_back('\0');
  key.append(f.staff.data(), f.staff.size());
  return key;
}

// Decodes `key` into `out` (views into `key`). False if malformed.
inline bool Decode(absl::string_view key, Fact* out) {
  if (key.size() < kFixedBytes + 1) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(key.data());
  out->at = absl::FromUnixMicros(DecodeOrderedInt64(key.substr(0, 8)));
  out->kind = b[8];
  out->channel = b[9];
  out->clock_kind = b[10];
  out->flag = b[11];
  out->seconds = DecodeOrderedInt64(key.substr(12, 8));
  const char* rest = key.data() + kFixedBytes;
  const size_t n = key.size() - kFixedBytes;
  const void* nul = std::memchr(rest, '\0', n);
  if (nul == nullptr) return false;
  const size_t center_len = static_cast<const char*>(nul) - rest;
  out->center = absl::string_view(rest, center_len);
  out->staff = absl::string_view(rest + center_len + 1, n - center_len - 1);
  return true;
}

}  // namespace servicedesk::internal::report_facts

#endif  // SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
