// Conversions between absl::Time/Duration and the protobuf well-known types.
#ifndef SERVICEDESK_LIB_CORE_TIME_UTIL_H_
#define SERVICEDESK_LIB_CORE_TIME_UTIL_H_

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

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_CORE_TIME_UTIL_H_
