// Parsing and formatting of the values people type on a command line: times,
// durations, actors and the schema's enums.
//
// Parse errors are usage errors (exit 2) whose message names the flag or
// argument, e.g. "--at: not an RFC 3339 time: 'tomorrow'".
#ifndef SDCTL_VALUES_H_
#define SDCTL_VALUES_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "servicedesk/common.h"

namespace sdctl {

// RFC 3339, e.g. 2007-01-01T22:00:00Z or 2025-03-03T09:00:00+03:00.
absl::StatusOr<absl::Time> ParseTime(const std::string& what,
                                     const std::string& text);
// A time, or a bare date YYYY-MM-DD in UTC: its first instant, or with
// `end_of_day` the first instant of the next day, so that "valid until
// 2026-12-31" includes that day.
absl::StatusOr<absl::Time> ParseTimeOrDate(const std::string& what,
                                           const std::string& text,
                                           bool end_of_day);
// "8h", "90m", "1h30m", "45s", "2h15m30s"; non-negative.
absl::StatusOr<absl::Duration> ParseDuration(const std::string& what,
                                             const std::string& text);
absl::StatusOr<int64_t> ParseInt(const std::string& what,
                                 const std::string& text);

// "admin:NAME", "staff:ID", "contact:ID", "system:NAME".
absl::StatusOr<servicedesk::Actor> ParseActor(const std::string& text);
std::string FormatActor(const servicedesk::Actor& actor);

// RFC 3339 in UTC; "-" for the unset/zero time.
std::string Rfc3339(absl::Time t);
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);
bool IsSet(const google::protobuf::Timestamp& ts);
absl::Time FromProto(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToProto(absl::Time t);
// Compact, the inverse of ParseDuration: "1h30m", "0s", "-2h".
std::string ShortDuration(absl::Duration d);
std::string ShortDuration(const google::protobuf::Duration& d);
google::protobuf::Duration ToProto(absl::Duration d);

// Enums are typed in a short form: the value name without the enum's prefix,
// lower case, '_' as '-' ("personal-manager" for STAFF_ROLE_PERSONAL_MANAGER).
// The full value name is accepted too, in any case and with '_' or '-'
// ("HOTLINE_QUESTION", "hotline_question"), and so is an unambiguous leading
// part ending at a '-' ("phone" for phone-hotline). The UNSPECIFIED value is
// refused.
absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* e,
                              const std::string& what, const std::string& text);
std::string EnumShortName(const google::protobuf::EnumDescriptor* e, int value);
// "personal-manager, hotline-specialist, ..." for help texts, without the
// `except` values (ones a command refuses).
std::string EnumChoices(const google::protobuf::EnumDescriptor* e,
                        std::initializer_list<int> except = {});

template <typename E>
absl::StatusOr<E> ParseEnumT(const google::protobuf::EnumDescriptor* e,
                             const std::string& what, const std::string& text) {
  absl::StatusOr<int> v = ParseEnum(e, what, text);
  if (!v.ok()) return v.status();
  return static_cast<E>(*v);
}

}  // namespace sdctl

#endif  // SDCTL_VALUES_H_
