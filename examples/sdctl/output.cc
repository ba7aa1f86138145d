#include "sdctl/output.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "sdctl/values.h"

namespace sdctl {
namespace v1 = servicedesk::v1;

namespace {

// Display width in code points: names are often Cyrillic, and padding by
// bytes would misalign every column after them.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }
std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// A table cell on one line: ids and names may hold line breaks or tabs
// (subjects of the embedding application's own clocks), which would split
// a row and misalign the columns.
std::string TableCell(const std::string& text) {
  std::string s = text;
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

// A detail value as logfmt writes it: bare when it is one word, else as a
// JSON string literal, so `k=v k=v` splits back.
std::string DetailValue(const std::string& v) {
  const bool bare =
      !v.empty() && std::none_of(v.begin(), v.end(), [](unsigned char c) {
        return c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f;
      });
  return bare ? v : JsonString(v);
}

template <typename E>
std::string Enums(const google::protobuf::EnumDescriptor* d,
                  const google::protobuf::RepeatedField<E>& values) {
  std::vector<std::string> names;
  for (int v : values) names.push_back(EnumShortName(d, v));
  return names.empty() ? "-" : absl::StrJoin(names, ",");
}

std::string Date(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string Clock(int seconds) {
  return absl::StrFormat("%02d:%02d", seconds / 3600, seconds % 3600 / 60);
}

// An expiry at midnight UTC is what `--qual code:DATE` stores for "valid
// through DATE"; show it as that date rather than the next day's midnight.
std::string ValidUntil(const google::protobuf::Timestamp& ts) {
  const absl::Time t = FromProto(ts);
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  if (c == absl::CivilSecond(absl::CivilDay(c))) {
    return absl::StrCat("through ",
                        absl::FormatCivilTime(absl::CivilDay(c) - 1));
  }
  return absl::StrCat("until ", Rfc3339(t));
}

}  // namespace

void PrintTable(std::ostream& out, const std::vector<Row>& rows) {
  if (rows.empty()) {
    out << "(none)\n";
    return;
  }
  const Row& first = rows.front();
  std::vector<size_t> width(first.size());
  for (size_t i = 0; i < first.size(); ++i) width[i] = Width(first[i].first);
  for (const Row& r : rows) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], Width(TableCell(r[i].second)));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i];
      if (i + 1 < cells.size()) {
        s.append(width[i] - Width(cells[i]) + 2, ' ');
      }
    }
    out << s << "\n";
  };
  std::vector<std::string> header;
  for (const auto& [name, value] : first) {
    header.push_back(absl::AsciiStrToUpper(name));
  }
  line(header);
  for (const Row& r : rows) {
    std::vector<std::string> cells;
    for (const auto& [name, value] : r) cells.push_back(TableCell(value));
    line(cells);
  }
}

void PrintCard(std::ostream& out, const Row& row) {
  size_t w = 0;
  for (const auto& [name, value] : row) w = std::max(w, Width(name));
  for (const auto& [name, value] : row) {
    out << name << ":" << std::string(w - Width(name) + 1, ' ')
        << TableCell(value) << "\n";
  }
}

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  // Serializing a valid in-memory message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string JsonObject(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : fields) {
    parts.push_back(absl::StrCat(JsonString(k), ":", v));
  }
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string JsonArray(const std::vector<std::string>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ","), "]");
}

Row CenterRow(const v1::ServiceCenter& c) {
  return {{"id", c.id()},
          {"code", c.code()},
          {"name", c.name()},
          {"region", c.region()},
          {"time_zone", c.time_zone()},
          {"calendar", OrDash(c.calendar_id())},
          {"hotline_calendar", OrDash(c.hotline_calendar_id())},
          {"active", YesNo(c.active())}};
}

Row OrganizationRow(const v1::Organization& o) {
  return {{"id", o.id()},
          {"name", o.name()},
          {"inn", o.tax_id()},
          {"tier", EnumShortName(v1::ClientTier_descriptor(), o.tier())},
          {"center", o.center_id()},
          {"manager", OrDash(o.manager_id())},
          {"topics", Enums(v1::ProfileTopic_descriptor(), o.topics())},
          {"active", YesNo(o.active())}};
}

Row ContactRow(const v1::Contact& c) {
  return {{"id", c.id()},
          {"organization", c.organization_id()},
          {"name", c.full_name()},
          {"position", OrDash(c.position())},
          {"email", OrDash(c.email())},
          {"phone", OrDash(c.phone())},
          {"active", YesNo(c.active())}};
}

Row StaffRow(const v1::StaffMember& s) {
  std::vector<std::string> quals;
  for (const v1::Qualification& q : s.qualifications()) {
    quals.push_back(
        q.has_valid_until()
            ? absl::StrCat(q.code(), " (", ValidUntil(q.valid_until()), ")")
            : q.code());
  }
  return {{"id", s.id()},
          {"center", s.center_id()},
          {"name", s.full_name()},
          {"roles", Enums(v1::StaffRole_descriptor(), s.roles())},
          {"qualifications", quals.empty() ? "-" : absl::StrJoin(quals, ", ")},
          {"email", OrDash(s.email())},
          {"active", YesNo(s.active())}};
}

Row AssignmentRow(const v1::ManagerAssignment& a) {
  return {{"id", a.id()},
          {"organization", a.organization_id()},
          {"manager", a.manager_id()},
          {"from", FormatTimestamp(a.valid_from())},
          {"to", FormatTimestamp(a.valid_to())},
          {"reason", OrDash(a.reason())},
          {"end_reason", OrDash(a.end_reason())}};
}

Row CalendarRow(const v1::BusinessCalendar& c) {
  // Consecutive weekdays with the same hours share one entry ("mon-fri
  // 09:00-18:00"), as in the text format.
  std::vector<std::string> week;
  std::string prev_hours;
  int first_day = 0;
  int last_day = 0;
  auto day = [](int d) {
    return EnumShortName(v1::Weekday_descriptor(), d).substr(0, 3);
  };
  auto flush = [&] {
    if (prev_hours.empty()) return;
    week.push_back(absl::StrCat(
        day(first_day), first_day == last_day ? "" : "-" + day(last_day), " ",
        prev_hours));
  };
  for (const v1::WeekdaySchedule& d : c.weekly()) {
    std::vector<std::string> iv;
    for (const v1::TimeInterval& i : d.intervals()) {
      iv.push_back(
          absl::StrCat(Clock(i.start_seconds()), "-", Clock(i.end_seconds())));
    }
    const std::string hours = absl::StrJoin(iv, " ");
    if (!hours.empty() && hours == prev_hours && d.weekday() == last_day + 1) {
      last_day = d.weekday();
      continue;
    }
    flush();
    prev_hours = hours;
    first_day = last_day = d.weekday();
  }
  flush();
  std::string first_last = "-";
  if (c.holidays_size() > 0) {
    first_last = absl::StrCat(Date(c.holidays(0).date()), "..",
                              Date(c.holidays(c.holidays_size() - 1).date()));
  }
  return {{"id", c.id()},
          {"name", c.name()},
          {"time_zone", c.time_zone()},
          {"weekly", c.always_open() ? "24/7"
                     : week.empty()  ? "-"
                                     : absl::StrJoin(week, "; ")},
          {"holidays", absl::StrCat(c.holidays_size())},
          {"special_days", absl::StrCat(c.special_days_size())},
          {"holiday_range", first_last}};
}

std::string FormatTarget(const v1::SlaTarget& t) {
  if (!t.has_duration()) return "-";
  std::string s = ShortDuration(t.duration());
  switch (t.calendar_source()) {
    case v1::CALENDAR_SOURCE_ALWAYS_OPEN:
      absl::StrAppend(&s, " 24/7");
      break;
    case v1::CALENDAR_SOURCE_NAMED:
      absl::StrAppend(&s, " on ", t.calendar_id());
      break;
    case v1::CALENDAR_SOURCE_HOTLINE:
      absl::StrAppend(&s, " hotline");
      break;
    default:
      absl::StrAppend(&s, " business");
  }
  return s;
}

Row ClockRow(const v1::TargetClock& c) {
  std::string outcome = "-";
  if (c.cancelled()) {
    outcome = "cancelled";
  } else if (c.state() == v1::CLOCK_STATE_STOPPED) {
    outcome = c.met() ? "met" : "breached";
  } else if (c.breach_raised()) {
    outcome = "overdue";
  } else if (c.warning_raised()) {
    outcome = "warned";
  }
  return {
      {"id", c.id()},
      {"subject", c.subject_id()},
      {"kind", EnumShortName(v1::ClockKind_descriptor(), c.kind())},
      {"state", EnumShortName(v1::ClockState_descriptor(), c.state())},
      {"target", FormatTarget(c.target())},
      {"started", FormatTimestamp(c.started_at())},
      {"due", FormatTimestamp(c.due_at())},
      {"stopped", FormatTimestamp(c.stopped_at())},
      {"elapsed",
       c.has_business_elapsed() ? ShortDuration(c.business_elapsed()) : "-"},
      {"outcome", outcome},
      {"rule", OrDash(c.rule_name())}};
}

std::string TsvCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Row EventRow(const v1::Event& e) {
  std::vector<std::string> details;
  // The details map is unordered; sort so output is stable across runs.
  for (const auto& [k, v] : e.details())
    details.push_back(k + "=" + DetailValue(v));
  std::sort(details.begin(), details.end());
  return {{"seq", absl::StrCat(e.seq())},
          {"time", FormatTimestamp(e.time())},
          {"actor", FormatActor(e.actor())},
          {"action", e.action()},
          {"entity", absl::StrCat(e.entity_type(), " ", e.entity_id())},
          {"center", OrDash(e.center_id())},
          {"details", details.empty() ? "-" : absl::StrJoin(details, " ")}};
}

Row ServiceRow(const v1::ServiceDefinition& s) {
  return {{"kind", EnumShortName(v1::ServiceKind_descriptor(), s.kind())},
          {"title", s.title()},
          {"first_response", FormatTarget(s.first_response())},
          {"resolution", FormatTarget(s.resolution())},
          {"qualification", OrDash(s.required_qualification())},
          {"role",
           s.required_role() == 0
               ? "-"
               : EnumShortName(v1::StaffRole_descriptor(), s.required_role())}};
}

Row RuleRow(const v1::SlaRule& r) {
  std::vector<std::string> tiers;
  for (int t : r.tiers()) {
    tiers.push_back(EnumShortName(v1::ClientTier_descriptor(), t));
  }
  return {{"name", r.name()},
          {"kinds", Enums(v1::ServiceKind_descriptor(), r.kinds())},
          {"channels", Enums(v1::Channel_descriptor(), r.channels())},
          {"priorities", Enums(v1::Priority_descriptor(), r.priorities())},
          {"tiers", tiers.empty() ? "-" : absl::StrJoin(tiers, ",")},
          {"centers",
           r.center_ids().empty() ? "-" : absl::StrJoin(r.center_ids(), ",")},
          {"first_response", FormatTarget(r.first_response())},
          {"resolution", FormatTarget(r.resolution())},
          {"update", FormatTarget(r.periodic_update())}};
}

namespace {

// Free text in a table cell: one line, and not wider than `max` code points.
std::string Clip(const std::string& text, size_t max) {
  const std::string s = TableCell(text);
  if (Width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max - 1) {
      break;
    }
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string RequestState(v1::RequestState s) {
  return EnumShortName(v1::RequestState_descriptor(), s);
}

}  // namespace

std::string FormatOutcome(const v1::RequestOutcome& o) {
  switch (o.outcome_case()) {
    case v1::RequestOutcome::kAnswer:
      return absl::StrCat("answer: ", Clip(o.answer(), 60));
    case v1::RequestOutcome::kDocumentSelection: {
      std::vector<std::string> docs;
      for (const v1::DocumentReference& d :
           o.document_selection().documents()) {
        docs.push_back(d.title().empty() ? d.document_id()
                                         : absl::StrCat(d.document_id(), " (",
                                                        d.title(), ")"));
      }
      std::string s = absl::StrCat("documents: ", absl::StrJoin(docs, ", "));
      if (!o.document_selection().note().empty()) {
        absl::StrAppend(&s, "; ", Clip(o.document_selection().note(), 40));
      }
      return s;
    }
    case v1::RequestOutcome::kEnrollment:
      return absl::StrCat("enrollment: ", o.enrollment().kind(), ":",
                          o.enrollment().reference_id());
    default:
      return "-";
  }
}

Row RequestRow(const v1::ServiceRequest& r) {
  return {{"id", r.id()},
          {"state", RequestState(r.state())},
          {"kind", EnumShortName(v1::ServiceKind_descriptor(), r.kind())},
          {"channel", EnumShortName(v1::Channel_descriptor(), r.channel())},
          {"priority", EnumShortName(v1::Priority_descriptor(), r.priority())},
          {"organization", r.organization_id()},
          {"assignee", OrDash(r.assignee_id())},
          {"registered", FormatTimestamp(r.registered_at())},
          {"rating",
           r.rating().score() > 0 ? absl::StrCat(r.rating().score()) : "-"},
          {"subject", Clip(r.subject(), 50)}};
}

Row RequestCard(const v1::ServiceRequest& r) {
  std::vector<std::string> outcomes;
  for (const v1::RequestOutcome& o : r.outcomes()) {
    outcomes.push_back(FormatOutcome(o));
  }
  std::string rating = "-";
  if (r.has_rating() && r.rating().score() > 0) {
    rating = absl::StrCat(r.rating().score(), "/5");
    if (!r.rating().comment().empty()) {
      absl::StrAppend(&rating, " \"", Clip(r.rating().comment(), 60), "\"");
    }
  }
  Row row = {
      {"id", r.id()},
      {"version", absl::StrCat(r.version())},
      {"state", RequestState(r.state())},
      {"kind", EnumShortName(v1::ServiceKind_descriptor(), r.kind())},
      {"channel", EnumShortName(v1::Channel_descriptor(), r.channel())},
      {"priority", EnumShortName(v1::Priority_descriptor(), r.priority())},
      {"organization", r.organization_id()},
      {"contact", OrDash(r.contact_id())},
      {"center", r.center_id()},
      {"assignee", r.assignee_id().empty() ? "- (queued)" : r.assignee_id()},
      {"subject", r.subject()},
      {"description", OrDash(Clip(r.description(), 200))},
      {"registered", FormatTimestamp(r.registered_at())},
      {"first_response", FormatTimestamp(r.first_response_at())},
      {"resolved", FormatTimestamp(r.resolved_at())},
      {"closed", FormatTimestamp(r.closed_at())},
      {"resolution", OrDash(Clip(r.resolution(), 80))},
      {"outcomes", outcomes.empty() ? "-" : absl::StrJoin(outcomes, " | ")},
      {"rating", rating},
      {"messages", absl::StrCat(r.messages_size())}};
  if (!r.installation_id().empty()) {
    row.push_back({"installation", r.installation_id()});
  }
  if (!r.dialog_id().empty()) row.push_back({"dialog", r.dialog_id()});
  // What the request waits on is the reason of the move into waiting; staff
  // reading the card need it without asking for the whole history.
  if (r.state() == v1::REQUEST_STATE_WAITING_ON_CLIENT &&
      r.history_size() > 0 &&
      r.history(r.history_size() - 1).to() ==
          v1::REQUEST_STATE_WAITING_ON_CLIENT) {
    row.push_back({"waiting_for",
                   OrDash(Clip(r.history(r.history_size() - 1).reason(), 80))});
  }
  if (!r.cancel_reason().empty()) {
    row.push_back({"cancel_reason", Clip(r.cancel_reason(), 80)});
  }
  if (r.reopen_count() > 0) {
    row.push_back({"reopened", absl::StrCat(r.reopen_count(), "x, last ",
                                            FormatTimestamp(r.reopened_at()))});
  }
  return row;
}

Row DialogRow(const v1::Dialog& d) {
  return {{"id", d.id()},
          {"state", EnumShortName(v1::DialogState_descriptor(), d.state())},
          {"organization", d.organization_id()},
          {"contact", d.contact_id()},
          {"request", d.request_id()},
          {"specialist", OrDash(d.specialist_id())},
          {"opened", FormatTimestamp(d.opened_at())},
          {"taken", FormatTimestamp(d.taken_at())},
          {"wait", d.has_queue_wait() ? ShortDuration(d.queue_wait()) : "-"},
          {"messages", absl::StrCat(d.messages_size())},
          {"topic", Clip(d.topic(), 50)}};
}

Row DialogMessageRow(const v1::DialogMessage& m) {
  return {
      {"at", FormatTimestamp(m.at())},
      {"from", m.staff_id().empty() ? absl::StrCat("contact:", m.contact_id())
                                    : absl::StrCat("staff:", m.staff_id())},
      {"text", Clip(m.text(), 100)}};
}

Row InstallationRow(const v1::Installation& i) {
  return {{"id", i.id()},
          {"version", absl::StrCat(i.version())},
          {"organization", i.organization_id()},
          {"center", i.center_id()},
          {"product_version", i.product_version()},
          {"workstations", absl::StrCat(i.workstations())},
          {"network", YesNo(i.network())},
          {"sets", i.installed_sets().empty()
                       ? "-"
                       : absl::StrJoin(i.installed_sets(), ",")},
          {"address", OrDash(i.address())},
          {"active", YesNo(i.active())}};
}

Row VisitRow(const v1::Visit& v) {
  return {{"id", v.id()},
          {"version", absl::StrCat(v.version())},
          {"state", EnumShortName(v1::VisitState_descriptor(), v.state())},
          {"request", v.request_id()},
          {"installation", OrDash(v.installation_id())},
          {"engineer", v.engineer_id()},
          {"from", FormatTimestamp(v.slot_start())},
          {"to", FormatTimestamp(v.slot_end())},
          {"notes", OrDash(Clip(v.notes(), 60))}};
}

}  // namespace sdctl
