// Conversions between absl::Time/Duration and the protobuf well-known types.
#ifndef SERVICEDESK_LIB_CORE_TIME_UTIL_H_
#define SERVICEDESK_LIB_CORE_TIME_UTIL_H_

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace servicedesk::internal {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  int64_t s = absl::ToUnixSeconds(t);
  if (absl::FromUnixSeconds(s) > t) --s;  // floor for negative fractions
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
  return ts;
}
inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}
inline google::protobuf::Duration ToProto(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(s);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}
inline absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

// An instant as protobuf's JSON form of a Timestamp prints it: UTC with "Z",
// and 3, 6 or 9 fractional digits when the second has a fraction, e.g.
// "2025-03-03T06:00:00Z", "2025-03-03T08:52:04.490785Z". Audit event details
// and error messages carry instants as text, and readers match them against
// the records' Timestamp fields; the general formatter also parses its
// format string on every call.
inline std::string FormatUtc(absl::Time t) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast() ||
      c.year() < 0 || c.year() > 9999)
    return absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
  int64_t nanos =
      absl::ToInt64Nanoseconds(t - absl::FromCivil(c, absl::UTCTimeZone()));
  int digits = 9;
  if (nanos == 0) {
    digits = 0;
  } else if (nanos % 1000000 == 0) {
    digits = 3;
    nanos /= 1000000;
  } else if (nanos % 1000 == 0) {
    digits = 6;
    nanos /= 1000;
  }
  std::string out = "0000-00-00T00:00:00";
  out.resize(19 + (digits > 0 ? 1 + digits : 0) + 1, '0');
  auto put = [&](size_t at, int64_t v, int n) {
    for (int i = n - 1; i >= 0; --i, v /= 10) out[at + i] = '0' + v % 10;
  };
  put(0, c.year(), 4);
  put(5, c.month(), 2);
  put(8, c.day(), 2);
  put(11, c.hour(), 2);
  put(14, c.minute(), 2);
  put(17, c.second(), 2);
  if (digits > 0) {
    out[19] = '.';
    put(20, nanos, digits);
  }
  out.back() = 'Z';
  return out;
}

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_CORE_TIME_UTIL_H_
