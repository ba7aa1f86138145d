// The line-based calendar text format (docs/sla.md, "Calendar text format").
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/calendar/calendar_internal.h"
#include "servicedesk/calendar.h"

namespace servicedesk {
namespace {

using calendar_internal::FormatClock;
using calendar_internal::FormatDate;

constexpr absl::string_view kKindWords[] = {"", "transferred", "shortened",
                                            "other"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits a line at its first '#' that starts a word and is not inside a
// quoted string: the data before it, and the text after it (the comment, or
// a holiday's source) when there is one.
void SplitHash(absl::string_view line, absl::string_view* data,
               std::optional<absl::string_view>* after) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '#' && (i == 0 || IsSpace(line[i - 1]))) {
      *data = line.substr(0, i);
      *after = line.substr(i + 1);
      return;
    }
  }
  *data = line;
  *after = std::nullopt;
}

// A free-text value: the whole (trimmed) text, or one double-quoted string
// with C escapes. Empty text is the empty string.
std::optional<std::string> ParseValue(absl::string_view text,
                                      std::string* error) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty() || text.front() != '"') return std::string(text);
  if (text.size() < 2 || text.back() != '"') {
    *error = "unterminated quoted string";
    return std::nullopt;
  }
  std::string out;
  std::string unescape_error;
  if (!absl::CUnescape(text.substr(1, text.size() - 2), &out,
                       &unescape_error)) {
    *error = absl::StrCat("bad escape in quoted string: ", unescape_error);
    return std::nullopt;
  }
  return out;
}

bool StartsLikeKeyword(absl::string_view v) {
  const absl::string_view first = v.substr(0, v.find_first_of(" \t"));
  if (first == "closed") return true;
  for (absl::string_view k : kKindWords) {
    if (!k.empty() && first == k) return true;
  }
  return !first.empty() && absl::ascii_isdigit(first.front());
}

// Quotes a value when reading it back bare would change it.
std::string QuoteIfNeeded(const std::string& v, bool keyword_sensitive) {
  bool quote = v.empty() || IsSpace(v.front()) || IsSpace(v.back()) ||
               v.front() == '"' || v.front() == ' ' || v.back() == ' ' ||
               (keyword_sensitive && StartsLikeKeyword(v));
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f || c == '#' || c == '\\' || c == '"') {
      quote = true;
    }
  }
  if (!quote) return v;
  return absl::StrCat("\"", absl::CEscape(v), "\"");
}

// Source text after '#': may contain '#', so only edges and control
// characters force quoting.
std::string QuoteSourceIfNeeded(const std::string& v) {
  bool quote =
      v.empty() || IsSpace(v.front()) || IsSpace(v.back()) || v.front() == '"';
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) quote = true;
  }
  if (!quote) return v;
  return absl::StrCat("\"", absl::CEscape(v), "\"");
}

std::optional<int> ParseClock(absl::string_view s) {
  // HH:MM or HH:MM:SS; 24:00 is the end of the day.
  const std::vector<absl::string_view> parts = absl::StrSplit(s, ':');
  if (parts.size() != 2 && parts.size() != 3) return std::nullopt;
  int v[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() != 2 || !absl::ascii_isdigit(parts[i][0]) ||
        !absl::ascii_isdigit(parts[i][1])) {
      return std::nullopt;
    }
    v[i] = (parts[i][0] - '0') * 10 + (parts[i][1] - '0');
  }
  if (v[0] > 24 || v[1] > 59 || v[2] > 59) return std::nullopt;
  if (v[0] == 24 && (v[1] != 0 || v[2] != 0)) return std::nullopt;
  return v[0] * 3600 + v[1] * 60 + v[2];
}

bool ParseInterval(absl::string_view tok, v1::TimeInterval* out) {
  const size_t dash = tok.find('-');
  if (dash == absl::string_view::npos) return false;
  auto a = ParseClock(tok.substr(0, dash));
  auto b = ParseClock(tok.substr(dash + 1));
  if (!a || !b) return false;
  out->set_start_seconds(*a);
  out->set_end_seconds(*b);
  return true;
}

bool ParseDate(absl::string_view tok, v1::Date* out) {
  if (tok.size() != 10 || tok[4] != '-' || tok[7] != '-') return false;
  int y, m, d;
  if (!absl::SimpleAtoi(tok.substr(0, 4), &y) ||
      !absl::SimpleAtoi(tok.substr(5, 2), &m) ||
      !absl::SimpleAtoi(tok.substr(8, 2), &d)) {
    return false;
  }
  for (char c : tok) {
    if (c != '-' && !absl::ascii_isdigit(c)) return false;
  }
  out->set_year(y);
  out->set_month(m);
  out->set_day(d);
  return calendar_internal::IsValidDate(*out);
}

int ParseDayName(absl::string_view s) {
  static const char* const kLong[] = {"",          "monday",   "tuesday",
                                      "wednesday", "thursday", "friday",
                                      "saturday",  "sunday"};
  const std::string lower = absl::AsciiStrToLower(s);
  for (int d = 1; d <= 7; ++d) {
    if (lower == calendar_internal::WeekdayShortName(d) || lower == kLong[d]) {
      return d;
    }
  }
  return 0;
}

// "mon-fri", "sat", "mon,wed,fri", "mon-wed,sat".
std::optional<std::vector<int>> ParseDays(absl::string_view tok) {
  std::vector<int> days;
  for (absl::string_view item : absl::StrSplit(tok, ',')) {
    const size_t dash = item.find('-');
    if (dash == absl::string_view::npos) {
      const int d = ParseDayName(item);
      if (d == 0) return std::nullopt;
      days.push_back(d);
      continue;
    }
    const int a = ParseDayName(item.substr(0, dash));
    const int b = ParseDayName(item.substr(dash + 1));
    if (a == 0 || b == 0 || b < a) return std::nullopt;
    for (int d = a; d <= b; ++d) days.push_back(d);
  }
  return days;
}

// Pops the next whitespace-separated token off `rest`.
absl::string_view NextToken(absl::string_view* rest) {
  *rest = absl::StripLeadingAsciiWhitespace(*rest);
  const size_t end = rest->find_first_of(" \t\r");
  absl::string_view tok = rest->substr(0, end);
  rest->remove_prefix(end == absl::string_view::npos ? rest->size() : end);
  return tok;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

bool ParseTimestamp(absl::string_view s, google::protobuf::Timestamp* ts) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return false;
  const int64_t sec = absl::ToUnixSeconds(t);
  ts->set_seconds(sec);
  ts->set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(sec)) /
                                     absl::Nanoseconds(1)));
  return true;
}

std::string IntervalsText(
    const google::protobuf::RepeatedPtrField<v1::TimeInterval>& ivs) {
  if (ivs.empty()) return "closed";
  return absl::StrJoin(ivs, " ",
                       [](std::string* out, const v1::TimeInterval& iv) {
                         absl::StrAppend(out, FormatClock(iv.start_seconds()),
                                         "-", FormatClock(iv.end_seconds()));
                       });
}

bool SameIntervals(const v1::WeekdaySchedule& a, const v1::WeekdaySchedule& b) {
  if (a.intervals_size() != b.intervals_size()) return false;
  for (int i = 0; i < a.intervals_size(); ++i) {
    if (a.intervals(i).start_seconds() != b.intervals(i).start_seconds() ||
        a.intervals(i).end_seconds() != b.intervals(i).end_seconds()) {
      return false;
    }
  }
  return true;
}

std::string DayName(int weekday) {
  if (weekday >= 1 && weekday <= 7) {
    return calendar_internal::WeekdayShortName(weekday);
  }
  return absl::StrCat("weekday", weekday);  // not parseable: invalid anyway
}

}  // namespace

absl::StatusOr<v1::BusinessCalendar> ParseCalendarText(absl::string_view text) {
  v1::BusinessCalendar spec;
  std::vector<int> weekly_line, holiday_line, special_line;
  int zone_line = 0;
  // Header keys seen, to reject a second "zone" line rather than let the
  // last one win silently.
  std::vector<std::pair<std::string, int>> seen;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    auto fail = [line_no](absl::string_view msg) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_no, ": ", msg));
    };
    absl::string_view data;
    std::optional<absl::string_view> after_hash;
    SplitHash(line, &data, &after_hash);
    absl::string_view rest = data;
    const absl::string_view key = NextToken(&rest);
    if (key.empty()) continue;  // blank or comment-only

    auto once = [&](absl::string_view k) -> absl::Status {
      for (const auto& [name, at] : seen) {
        if (name == k) {
          return fail(
              absl::StrCat("\"", k, "\" given twice (also line ", at, ")"));
        }
      }
      seen.emplace_back(std::string(k), line_no);
      return absl::OkStatus();
    };
    std::string err;
    if (key == "zone" || key == "name" || key == "id") {
      if (auto st = once(key); !st.ok()) return st;
      std::optional<std::string> v = ParseValue(rest, &err);
      if (!v) return fail(err);
      if (key == "zone") {
        if (v->empty()) return fail("zone: missing time zone name");
        spec.set_time_zone(*v);
        zone_line = line_no;
      } else if (key == "name") {
        spec.set_name(*v);
      } else {
        spec.set_id(*v);
      }
    } else if (key == "version") {
      if (auto st = once(key); !st.ok()) return st;
      int64_t v;
      const absl::string_view tok = NextToken(&rest);
      if (!absl::SimpleAtoi(tok, &v) || !NextToken(&rest).empty()) {
        return fail("version: expected an integer");
      }
      spec.set_version(v);
    } else if (key == "created_at" || key == "updated_at") {
      if (auto st = once(key); !st.ok()) return st;
      const absl::string_view tok = NextToken(&rest);
      google::protobuf::Timestamp* ts = key == "created_at"
                                            ? spec.mutable_created_at()
                                            : spec.mutable_updated_at();
      if (!ParseTimestamp(tok, ts) || !NextToken(&rest).empty()) {
        return fail(absl::StrCat(key, ": expected an RFC 3339 time, got \"",
                                 tok, "\""));
      }
    } else if (key == "always_open") {
      if (auto st = once(key); !st.ok()) return st;
      if (!NextToken(&rest).empty()) return fail("always_open takes no value");
      spec.set_always_open(true);
    } else if (key == "holiday" || key == "special") {
      const absl::string_view date_tok = NextToken(&rest);
      v1::Date date;
      if (date_tok.empty()) return fail(absl::StrCat(key, ": missing date"));
      if (!ParseDate(date_tok, &date)) {
        return fail(absl::StrCat("invalid date \"", date_tok,
                                 "\" (expected YYYY-MM-DD)"));
      }
      std::optional<std::string> source;
      if (after_hash) {
        source = ParseValue(*after_hash, &err);
        if (!source) return fail(err);
      }
      if (key == "holiday") {
        v1::Holiday* h = spec.add_holidays();
        *h->mutable_date() = date;
        std::optional<std::string> name = ParseValue(rest, &err);
        if (!name) return fail(err);
        h->set_name(*name);
        if (source) h->set_source(*source);
        holiday_line.push_back(line_no);
        continue;
      }
      v1::SpecialDay* sd = spec.add_special_days();
      *sd->mutable_date() = date;
      bool closed = false;
      for (;;) {
        absl::string_view probe = rest;
        const absl::string_view tok = NextToken(&probe);
        v1::TimeInterval iv;
        if (tok == "closed" && !closed && sd->intervals().empty()) {
          closed = true;
        } else if (!closed && ParseInterval(tok, &iv)) {
          *sd->add_intervals() = iv;
        } else {
          break;
        }
        rest = probe;
      }
      if (!closed && sd->intervals().empty()) {
        return fail(
            "special: expected \"closed\" or intervals like 09:00-17:00");
      }
      {
        absl::string_view probe = rest;
        const absl::string_view tok = NextToken(&probe);
        for (int k = 1; k < 4; ++k) {
          if (tok == kKindWords[k]) {
            sd->set_kind(static_cast<v1::SpecialDayKind>(k));
            rest = probe;
            break;
          }
        }
      }
      std::optional<std::string> name = ParseValue(rest, &err);
      if (!name) return fail(err);
      sd->set_name(*name);
      if (source) sd->set_source(*source);
      special_line.push_back(line_no);
    } else {
      std::optional<std::vector<int>> days = ParseDays(key);
      if (!days) {
        return fail(absl::StrCat(
            "unknown keyword or day \"", key,
            "\" (expected zone, name, id, version, created_at, updated_at, "
            "always_open, holiday, special, or days like mon-fri)"));
      }
      v1::WeekdaySchedule proto;
      bool closed = false;
      for (absl::string_view tok = NextToken(&rest); !tok.empty();
           tok = NextToken(&rest)) {
        v1::TimeInterval iv;
        if (tok == "closed" && !closed && proto.intervals().empty()) {
          closed = true;
        } else if (!closed && ParseInterval(tok, &iv)) {
          *proto.add_intervals() = iv;
        } else {
          return fail(absl::StrCat(
              "expected \"closed\" or an interval like 09:00-13:00, got \"",
              tok, "\""));
        }
      }
      if (!closed && proto.intervals().empty()) {
        return fail(absl::StrCat(key, ": expected \"closed\" or intervals"));
      }
      for (int d : *days) {
        proto.set_weekday(static_cast<v1::Weekday>(d));
        *spec.add_weekly() = proto;
        weekly_line.push_back(line_no);
      }
    }
  }
  if (auto e = calendar_internal::ValidateSpec(spec)) {
    using calendar_internal::Section;
    int at = 0;
    switch (e->section) {
      case Section::kWeekly:
        at = weekly_line[e->index];
        break;
      case Section::kHoliday:
        at = holiday_line[e->index];
        break;
      case Section::kSpecialDay:
        at = special_line[e->index];
        break;
      case Section::kTopLevel:
        at = zone_line;
        break;
    }
    if (at == 0) return absl::InvalidArgumentError(e->message);
    return absl::InvalidArgumentError(
        absl::StrCat("line ", at, ": ", e->message));
  }
  return spec;
}

std::string FormatCalendarText(const v1::BusinessCalendar& spec) {
  std::string out;
  if (!spec.id().empty()) {
    absl::StrAppend(&out, "id ", QuoteIfNeeded(spec.id(), false), "\n");
  }
  if (spec.version() != 0)
    absl::StrAppend(&out, "version ", spec.version(), "\n");
  if (spec.has_created_at()) {
    absl::StrAppend(&out, "created_at ", FormatTimestamp(spec.created_at()),
                    "\n");
  }
  if (spec.has_updated_at()) {
    absl::StrAppend(&out, "updated_at ", FormatTimestamp(spec.updated_at()),
                    "\n");
  }
  if (!spec.name().empty()) {
    absl::StrAppend(&out, "name ", QuoteIfNeeded(spec.name(), false), "\n");
  }
  if (!spec.time_zone().empty()) {
    absl::StrAppend(&out, "zone ", QuoteIfNeeded(spec.time_zone(), false),
                    "\n");
  }
  if (spec.always_open()) absl::StrAppend(&out, "always_open\n");

  // Consecutive weekdays with equal hours share a line ("mon-fri"); the
  // parser expands a range in ascending order, so this keeps entry order.
  const auto& weekly = spec.weekly();
  for (int i = 0; i < weekly.size();) {
    int j = i;
    const int first = weekly[i].weekday();
    while (first >= 1 && j + 1 < weekly.size() &&
           weekly[j + 1].weekday() == weekly[j].weekday() + 1 &&
           weekly[j + 1].weekday() <= 7 &&
           SameIntervals(weekly[i], weekly[j + 1])) {
      ++j;
    }
    std::string days = DayName(first);
    if (j > i) absl::StrAppend(&days, "-", DayName(weekly[j].weekday()));
    absl::StrAppend(&out, days, " ", IntervalsText(weekly[i].intervals()),
                    "\n");
    i = j + 1;
  }
  for (const v1::Holiday& h : spec.holidays()) {
    absl::StrAppend(&out, "holiday ", FormatDate(h.date()));
    if (!h.name().empty())
      absl::StrAppend(&out, " ", QuoteIfNeeded(h.name(), false));
    if (!h.source().empty()) {
      absl::StrAppend(&out, " # ", QuoteSourceIfNeeded(h.source()));
    }
    absl::StrAppend(&out, "\n");
  }
  for (const v1::SpecialDay& sd : spec.special_days()) {
    absl::StrAppend(&out, "special ", FormatDate(sd.date()), " ",
                    IntervalsText(sd.intervals()));
    const int kind = sd.kind();
    if (kind >= 1 && kind <= 3) absl::StrAppend(&out, " ", kKindWords[kind]);
    if (!sd.name().empty()) {
      absl::StrAppend(&out, " ", QuoteIfNeeded(sd.name(), true));
    }
    if (!sd.source().empty()) {
      absl::StrAppend(&out, " # ", QuoteSourceIfNeeded(sd.source()));
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace servicedesk
