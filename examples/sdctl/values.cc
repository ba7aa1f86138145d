#include "sdctl/values.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "sdctl/cli.h"

namespace sdctl {

absl::StatusOr<absl::Time> ParseTime(const std::string& what,
                                     const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return UsageError(absl::StrCat(
        what, ": not an RFC 3339 time (e.g. 2025-03-03T09:00:00+03:00): '",
        text, "'"));
  }
  return t;
}

absl::StatusOr<absl::Time> ParseTimeOrDate(const std::string& what,
                                           const std::string& text,
                                           bool end_of_day) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    return absl::FromCivil(end_of_day ? day + 1 : day, absl::UTCTimeZone());
  }
  absl::StatusOr<absl::Time> t = ParseTime(what, text);
  if (!t.ok()) {
    return UsageError(absl::StrCat(
        what, ": not a date (YYYY-MM-DD) or RFC 3339 time: '", text, "'"));
  }
  return t;
}

absl::StatusOr<absl::Duration> ParseDuration(const std::string& what,
                                             const std::string& text) {
  // Only h/m/s units: business durations are never stated in days, because a
  // "day" of business time is ambiguous (8 hours? 24?).
  auto bad = [&] {
    return UsageError(absl::StrCat(
        what, ": not a duration (e.g. 8h, 90m, 1h30m, 45s): '", text, "'"));
  };
  if (text.empty()) return bad();
  if (text == "0") return absl::ZeroDuration();
  absl::Duration total = absl::ZeroDuration();
  size_t i = 0;
  std::string seen_units;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
    if (i == start || i == text.size()) return bad();
    int64_t n = 0;
    if (!absl::SimpleAtoi(text.substr(start, i - start), &n)) return bad();
    const char unit = text[i++];
    // Units must come in order h, m, s and at most once each.
    if (!seen_units.empty() && std::string("hms").find(unit) <=
                                   std::string("hms").find(seen_units.back())) {
      return bad();
    }
    switch (unit) {
      case 'h':
        total += absl::Hours(n);
        break;
      case 'm':
        total += absl::Minutes(n);
        break;
      case 's':
        total += absl::Seconds(n);
        break;
      default:
        return bad();
    }
    seen_units.push_back(unit);
  }
  return total;
}

absl::StatusOr<int64_t> ParseInt(const std::string& what,
                                 const std::string& text) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v)) {
    return UsageError(absl::StrCat(what, ": not an integer: '", text, "'"));
  }
  return v;
}

absl::StatusOr<servicedesk::Actor> ParseActor(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const std::string name =
      colon == std::string::npos ? "" : text.substr(colon + 1);
  if (colon != std::string::npos && !name.empty()) {
    if (kind == "admin") return servicedesk::AdminActor(name);
    if (kind == "staff") return servicedesk::StaffActor(name);
    if (kind == "contact") return servicedesk::ContactActor(name);
    if (kind == "system") return servicedesk::SystemActor(name);
  }
  return UsageError(absl::StrCat(
      "--as: expected admin:NAME, staff:ID, contact:ID or system:NAME, got '",
      text, "'"));
}

std::string FormatActor(const servicedesk::Actor& actor) {
  switch (actor.principal_case()) {
    case servicedesk::Actor::kAdmin:
      return absl::StrCat("admin:", actor.admin());
    case servicedesk::Actor::kStaffId:
      return absl::StrCat("staff:", actor.staff_id());
    case servicedesk::Actor::kContactId:
      return absl::StrCat("contact:", actor.contact_id());
    case servicedesk::Actor::kSystem:
      return absl::StrCat("system:", actor.system());
    default:
      return "-";
  }
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

bool IsSet(const google::protobuf::Timestamp& ts) {
  return ts.seconds() != 0 || ts.nanos() != 0;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t s = absl::ToUnixSeconds(t);
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
  return ts;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  return IsSet(ts) ? Rfc3339(FromProto(ts)) : "-";
}

std::string ShortDuration(absl::Duration d) {
  if (d == absl::ZeroDuration()) return "0s";
  std::string sign;
  if (d < absl::ZeroDuration()) {
    sign = "-";
    d = -d;
  }
  const int64_t h = absl::IDivDuration(d, absl::Hours(1), &d);
  const int64_t m = absl::IDivDuration(d, absl::Minutes(1), &d);
  const int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  std::string out = sign;
  if (h > 0) absl::StrAppend(&out, h, "h");
  if (m > 0) absl::StrAppend(&out, m, "m");
  if (s > 0) absl::StrAppend(&out, s, "s");
  if (d > absl::ZeroDuration()) {
    absl::StrAppend(&out, absl::ToInt64Milliseconds(d), "ms");
  }
  return out;
}

std::string ShortDuration(const google::protobuf::Duration& d) {
  return ShortDuration(absl::Seconds(d.seconds()) +
                       absl::Nanoseconds(d.nanos()));
}

google::protobuf::Duration ToProto(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(s);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

namespace {

// The common prefix of the enum's value names: "STAFF_ROLE_" for StaffRole,
// taken from its UNSPECIFIED value. Weekday's values have no prefix.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* e) {
  const std::string& first = e->value(0)->name();
  const size_t pos = first.rfind("UNSPECIFIED");
  return pos == std::string::npos ? "" : first.substr(0, pos);
}

}  // namespace

std::string EnumShortName(const google::protobuf::EnumDescriptor* e,
                          int value) {
  const google::protobuf::EnumValueDescriptor* v = e->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  std::string name = v->name();
  const std::string prefix = EnumPrefix(e);
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}});
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* e,
                        std::initializer_list<int> except) {
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) {
    const int n = e->value(i)->number();
    if (n == 0 || std::find(except.begin(), except.end(), n) != except.end())
      continue;
    names.push_back(EnumShortName(e, e->value(i)->number()));
  }
  return absl::StrJoin(names, ", ");
}

absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* e,
                              const std::string& what,
                              const std::string& text) {
  for (int i = 0; i < e->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = e->value(i);
    if (v->number() == 0) continue;
    if (text == EnumShortName(e, v->number()) || text == v->name()) {
      return v->number();
    }
  }
  // Friendlier forms: any case, '_' for '-' ("HOTLINE_QUESTION",
  // "Hotline-Question"), and an unambiguous leading part that ends at a word
  // boundary ("phone" for phone-hotline, "tech" is ambiguous and refused).
  const std::string norm = absl::StrReplaceAll(
      absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(text))),
      {{"_", "-"}});
  int prefix_match = 0;
  std::vector<std::string> prefix_names;
  for (int i = 0; i < e->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = e->value(i);
    if (v->number() == 0) continue;
    const std::string short_name = EnumShortName(e, v->number());
    const std::string full =
        absl::StrReplaceAll(absl::AsciiStrToLower(v->name()), {{"_", "-"}});
    if (!norm.empty() && (norm == short_name || norm == full)) {
      return v->number();
    }
    if (!norm.empty() && absl::StartsWith(short_name, norm + "-")) {
      prefix_match = v->number();
      prefix_names.push_back(short_name);
    }
  }
  if (prefix_names.size() == 1) return prefix_match;
  if (prefix_names.size() > 1)
    return UsageError(absl::StrCat(what, ": '", text, "' is ambiguous (",
                                   absl::StrJoin(prefix_names, ", "), ")"));
  return UsageError(absl::StrCat(what, ": unknown value '", text,
                                 "' (one of: ", EnumChoices(e), ")"));
}

}  // namespace sdctl
