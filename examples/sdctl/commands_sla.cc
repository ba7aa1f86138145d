// Business calendars, the SLA policy and clocks, tick and the event log.
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "sdctl/cli.h"
#include "sdctl/org_util.h"
#include "sdctl/output.h"
#include "sdctl/values.h"
#include "servicedesk/calendar.h"
#include "servicedesk/events.h"
#include "servicedesk/sla.h"

namespace sdctl {
namespace v1 = servicedesk::v1;
namespace {

// The contents of FILE, or of standard input for "-".
absl::StatusOr<std::string> ReadInput(const std::string& what,
                                      const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(what, ": cannot read file '", path, "'"));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Prefixes a library error with the file it came from, so that a line number
// in "line 3: ..." can be found.
absl::Status InFile(const std::string& path, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
}

// Russia's production calendar for ZONE over the --week lines (default Mon–Fri
// 09:00–18:00). The weekly hours reuse the calendar text format's day lines
// so that there is one syntax for them.
absl::StatusOr<v1::BusinessCalendar> RussiaCalendar(const std::string& zone,
                                                    const Args& a) {
  std::vector<v1::WeekdaySchedule> weekly;
  std::vector<std::string> week = a.GetAll("week");
  if (!week.empty()) {
    const std::string text =
        absl::StrCat("zone UTC\nname week\n", absl::StrJoin(week, "\n"), "\n");
    absl::StatusOr<v1::BusinessCalendar> parsed =
        servicedesk::ParseCalendarText(text);
    if (!parsed.ok()) return InFile("--week", parsed.status());
    weekly.assign(parsed->weekly().begin(), parsed->weekly().end());
  }
  SDCTL_ASSIGN_OR_RETURN(v1::BusinessCalendar spec,
                         servicedesk::RussiaProductionCalendar(zone, weekly));
  if (spec.name().empty()) {
    spec.set_name(absl::StrCat("Russia production calendar, ", zone));
  }
  return spec;
}

// The calendar a `due`/`between`/`get` works on: a stored calendar id (the
// positional argument), a calendar text file (--file) or Russia's production
// calendar (--russia ZONE).
struct CalendarSource {
  v1::BusinessCalendar spec;
  servicedesk::BusinessCalendar calendar =
      servicedesk::BusinessCalendar::AlwaysOpen();
};

absl::StatusOr<CalendarSource> LoadCalendar(Context& ctx, const Args& a,
                                            const std::string* id) {
  const int sources = (id != nullptr) + a.Has("file") + a.Has("russia");
  if (sources != 1) {
    return UsageError(
        "name exactly one calendar: a stored calendar ID, --file FILE or "
        "--russia ZONE");
  }
  CalendarSource out;
  if (id != nullptr) {
    SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
    SDCTL_ASSIGN_OR_RETURN(out.spec, desk->calendars().Get(ctx.actor, *id));
    SDCTL_ASSIGN_OR_RETURN(out.calendar,
                           desk->calendars().Load(ctx.actor, *id));
    return out;
  }
  if (auto file = a.Get("file")) {
    SDCTL_ASSIGN_OR_RETURN(std::string text, ReadInput("--file", *file));
    absl::StatusOr<v1::BusinessCalendar> spec =
        servicedesk::ParseCalendarText(text);
    if (!spec.ok()) return InFile(*file, spec.status());
    out.spec = *std::move(spec);
  } else {
    SDCTL_ASSIGN_OR_RETURN(out.spec, RussiaCalendar(*a.Get("russia"), a));
  }
  SDCTL_ASSIGN_OR_RETURN(out.calendar,
                         servicedesk::BusinessCalendar::Create(out.spec));
  return out;
}

// Times are printed in UTC, or with --local in the calendar's zone (still
// RFC 3339, so the output parses back to the same instant).
std::string ShowTime(const Args& a, const v1::BusinessCalendar& spec,
                     absl::Time t) {
  absl::TimeZone zone;
  if (a.Has("local") && !spec.time_zone().empty() &&
      absl::LoadTimeZone(spec.time_zone(), &zone)) {
    return absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*S%Ez", t, zone);
  }
  return Rfc3339(t);
}

// ---- calendars

absl::Status CalendarsCreate(Context& ctx, const Args& a) {
  v1::BusinessCalendar spec;
  if (a.positional().empty() == !a.Has("russia")) {
    return UsageError("give either a calendar text FILE or --russia ZONE");
  }
  if (auto zone = a.Get("russia")) {
    SDCTL_ASSIGN_OR_RETURN(spec, RussiaCalendar(*zone, a));
  } else {
    SDCTL_ASSIGN_OR_RETURN(std::string text, ReadInput("FILE", a.pos(0)));
    absl::StatusOr<v1::BusinessCalendar> parsed =
        servicedesk::ParseCalendarText(text);
    if (!parsed.ok()) return InFile(a.pos(0), parsed.status());
    spec = *std::move(parsed);
  }
  if (auto id = a.Get("id")) spec.set_id(*id);
  if (auto name = a.Get("name")) spec.set_name(*name);
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::BusinessCalendar out,
                         desk->calendars().Create(ctx.actor, spec));
  PrintRecord(ctx, out, CalendarRow);
  return absl::OkStatus();
}

absl::Status CalendarsGet(Context& ctx, const Args& a) {
  const std::string* id = a.positional().empty() ? nullptr : &a.pos(0);
  SDCTL_ASSIGN_OR_RETURN(CalendarSource src, LoadCalendar(ctx, a, id));
  if (ctx.json) {
    *ctx.out << ToJson(src.spec) << "\n";
  } else {
    // The text format: what people read, and what `calendars create` takes.
    *ctx.out << servicedesk::FormatCalendarText(src.spec);
  }
  return absl::OkStatus();
}

absl::Status CalendarsList(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::BusinessCalendar> all,
      FetchAll<v1::BusinessCalendar>([&](const servicedesk::PageRequest& p) {
        return desk->calendars().List(ctx.actor, p);
      }));
  PrintList(ctx, all, CalendarRow);
  return absl::OkStatus();
}

absl::Status CalendarsYears(Context& ctx, const Args& a) {
  std::vector<int> years = servicedesk::RussiaProductionCalendarYears();
  if (ctx.json) {
    *ctx.out << "[" << absl::StrJoin(years, ",") << "]\n";
  } else {
    *ctx.out << absl::StrJoin(years, " ") << "\n";
  }
  return absl::OkStatus();
}

absl::Status CalendarsDue(Context& ctx, const Args& a) {
  const size_t n = a.positional().size();
  const std::string* id = n == 3 ? &a.pos(0) : nullptr;
  SDCTL_ASSIGN_OR_RETURN(absl::Time start, ParseTime("START", a.pos(n - 2)));
  SDCTL_ASSIGN_OR_RETURN(absl::Duration d,
                         ParseDuration("DURATION", a.pos(n - 1)));
  SDCTL_ASSIGN_OR_RETURN(CalendarSource src, LoadCalendar(ctx, a, id));
  const absl::Time due = src.calendar.Add(start, d);
  if (ctx.json) {
    *ctx.out << JsonObject({{"start", JsonString(ShowTime(a, src.spec, start))},
                            {"duration", JsonString(absl::StrCat(
                                             absl::ToInt64Seconds(d), "s"))},
                            {"due", JsonString(ShowTime(a, src.spec, due))}})
             << "\n";
  } else {
    *ctx.out << ShowTime(a, src.spec, due) << "\n";
  }
  return absl::OkStatus();
}

absl::Status CalendarsBetween(Context& ctx, const Args& a) {
  const size_t n = a.positional().size();
  const std::string* id = n == 3 ? &a.pos(0) : nullptr;
  SDCTL_ASSIGN_OR_RETURN(absl::Time from, ParseTime("FROM", a.pos(n - 2)));
  SDCTL_ASSIGN_OR_RETURN(absl::Time to, ParseTime("TO", a.pos(n - 1)));
  SDCTL_ASSIGN_OR_RETURN(CalendarSource src, LoadCalendar(ctx, a, id));
  const absl::Duration d = src.calendar.Between(from, to);
  if (ctx.json) {
    // "seconds" as a number spares scripts from parsing the proto3 JSON
    // duration string.
    *ctx.out << JsonObject({{"from", JsonString(Rfc3339(from))},
                            {"to", JsonString(Rfc3339(to))},
                            {"business", JsonString(absl::StrCat(
                                             absl::ToInt64Seconds(d), "s"))},
                            {"seconds", absl::StrCat(absl::ToInt64Seconds(d))}})
             << "\n";
  } else {
    *ctx.out << ShortDuration(d) << "\n";
  }
  return absl::OkStatus();
}

// ---- sla

absl::Status SlaCatalog(Context& ctx, const Args& a) {
  PrintList(ctx, servicedesk::Sla::Catalog(), ServiceRow);
  return absl::OkStatus();
}

void PrintPolicy(Context& ctx, const v1::SlaPolicy& p) {
  if (ctx.json) {
    *ctx.out << ToJson(p) << "\n";
    return;
  }
  PrintCard(*ctx.out, {{"name", p.name().empty() ? "-" : p.name()},
                       {"version", absl::StrCat(p.version())},
                       {"updated", FormatTimestamp(p.updated_at())},
                       {"rules", absl::StrCat(p.rules_size())}});
  if (p.rules_size() > 0) {
    *ctx.out << "\n";
    std::vector<Row> rows;
    for (const v1::SlaRule& r : p.rules()) rows.push_back(RuleRow(r));
    PrintTable(*ctx.out, rows);
  }
}

absl::Status SlaPolicyShow(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::SlaPolicy p, desk->sla().GetPolicy(ctx.actor));
  PrintPolicy(ctx, p);
  return absl::OkStatus();
}

absl::Status SlaPolicySet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string text, ReadInput("FILE", a.pos(0)));
  v1::SlaPolicy p;
  google::protobuf::util::JsonParseOptions options;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, &p, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        a.pos(0), ": not an SLA policy in the proto3 JSON mapping: ",
        std::string(parsed.message())));
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  if (p.version() == 0) {
    // A hand-written file carries no version: replace whatever is stored.
    // A file from `sla policy show --json` does, and then a policy changed
    // by someone else in between is refused (ABORTED), not overwritten.
    SDCTL_ASSIGN_OR_RETURN(v1::SlaPolicy current,
                           desk->sla().GetPolicy(ctx.actor));
    p.set_version(current.version());
  }
  SDCTL_ASSIGN_OR_RETURN(v1::SlaPolicy out,
                         desk->sla().SetPolicy(ctx.actor, p));
  PrintPolicy(ctx, out);
  return absl::OkStatus();
}

// The --kind/--channel/... flags of `sla targets` and `sla clocks start`.
std::vector<FlagSpec> SubjectFlags() {
  return {
      {"kind", "KIND",
       absl::StrCat("service kind (required): ",
                    EnumChoices(v1::ServiceKind_descriptor()))},
      {"channel", "CHANNEL",
       absl::StrCat("channel: ", EnumChoices(v1::Channel_descriptor()))},
      {"priority", "PRIORITY",
       absl::StrCat("priority: ", EnumChoices(v1::Priority_descriptor()))},
      {"tier", "TIER",
       absl::StrCat("client tier: ", EnumChoices(v1::ClientTier_descriptor()))},
      {"center", "CENTER", "the request's center (id or code)"},
      {"org", "ORG", "the client organisation"},
      {"assignee", "STAFF", "the staff member in charge (first escalation)"},
  };
}

absl::StatusOr<v1::SlaSubject> ParseSubject(Context& ctx, const Args& a) {
  v1::SlaSubject s;
  SDCTL_ASSIGN_OR_RETURN(std::string kind, a.Require("kind"));
  SDCTL_ASSIGN_OR_RETURN(
      int k, ParseEnum(v1::ServiceKind_descriptor(), "--kind", kind));
  s.set_kind(static_cast<v1::ServiceKind>(k));
  if (auto v = a.Get("channel")) {
    SDCTL_ASSIGN_OR_RETURN(
        int c, ParseEnum(v1::Channel_descriptor(), "--channel", *v));
    s.set_channel(static_cast<v1::Channel>(c));
  }
  if (auto v = a.Get("priority")) {
    SDCTL_ASSIGN_OR_RETURN(
        int p, ParseEnum(v1::Priority_descriptor(), "--priority", *v));
    s.set_priority(static_cast<v1::Priority>(p));
  }
  if (auto v = a.Get("tier")) {
    SDCTL_ASSIGN_OR_RETURN(
        int t, ParseEnum(v1::ClientTier_descriptor(), "--tier", *v));
    s.set_tier(t);
  }
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(*s.mutable_center_id(), ResolveCenterId(ctx, *v));
  }
  s.set_organization_id(a.GetOr("org", ""));
  s.set_assignee_id(a.GetOr("assignee", ""));
  return s;
}

absl::Status SlaTargets(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::SlaSubject subject, ParseSubject(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(servicedesk::ResolvedTargets t,
                         desk->sla().ResolveTargets(ctx.actor, subject));
  if (ctx.json) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"ruleName", JsonString(t.rule_name)},
        {"firstResponse", ToJson(t.first_response)},
        {"resolution", ToJson(t.resolution)}};
    if (t.has_periodic_update) {
      fields.emplace_back("periodicUpdate", ToJson(t.periodic_update));
    }
    *ctx.out << JsonObject(fields) << "\n";
    return absl::OkStatus();
  }
  PrintCard(*ctx.out,
            {{"rule", t.rule_name.empty() ? "(catalog default)" : t.rule_name},
             {"first_response", FormatTarget(t.first_response)},
             {"resolution", FormatTarget(t.resolution)},
             {"periodic_update",
              t.has_periodic_update ? FormatTarget(t.periodic_update) : "-"}});
  return absl::OkStatus();
}

// --at, else --now, else the system clock.
absl::StatusOr<absl::Time> At(Context& ctx, const Args& a) {
  if (auto v = a.Get("at")) return ParseTime("--at", *v);
  return ctx.Now();
}

absl::Status ClocksStart(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::SlaSubject subject, ParseSubject(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(absl::Time at, At(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::TargetClock> clocks,
      desk->sla().StartClocks(ctx.actor, a.pos(0), subject, at));
  PrintList(ctx, clocks, ClockRow);
  return absl::OkStatus();
}

absl::Status ClocksPause(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(absl::Time at, At(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::TargetClock> clocks,
                         desk->sla().Pause(ctx.actor, a.pos(0), at));
  PrintList(ctx, clocks, ClockRow);
  return absl::OkStatus();
}

absl::Status ClocksResume(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(absl::Time at, At(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::TargetClock> clocks,
                         desk->sla().Resume(ctx.actor, a.pos(0), at));
  PrintList(ctx, clocks, ClockRow);
  return absl::OkStatus();
}

absl::Status ClocksStop(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string kind_text, a.Require("clock"));
  SDCTL_ASSIGN_OR_RETURN(v1::ClockKind kind,
                         ParseEnumT<v1::ClockKind>(v1::ClockKind_descriptor(),
                                                   "--clock", kind_text));
  SDCTL_ASSIGN_OR_RETURN(absl::Time at, At(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::TargetClock clock,
                         desk->sla().Stop(ctx.actor, a.pos(0), kind, at));
  PrintRecord(ctx, clock, ClockRow);
  return absl::OkStatus();
}

absl::Status ClocksRecompute(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::SlaSubject subject, ParseSubject(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::TargetClock> clocks,
                         desk->sla().Recompute(ctx.actor, a.pos(0), subject));
  PrintList(ctx, clocks, ClockRow);
  return absl::OkStatus();
}

absl::Status ClocksList(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::TargetClock> clocks,
                         desk->sla().Clocks(ctx.actor, a.pos(0)));
  PrintList(ctx, clocks, ClockRow);
  return absl::OkStatus();
}

// ---- tick and events

absl::Status Tick(Context& ctx, const Args& a) {
  size_t max_clocks = 0;
  if (auto v = a.Get("max")) {
    SDCTL_ASSIGN_OR_RETURN(int64_t m, ParseInt("--max", *v));
    if (m < 0) return UsageError("--max: must not be negative");
    max_clocks = static_cast<size_t>(m);
  }
  const absl::Time now = ctx.Now();
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(servicedesk::TickResult r,
                         desk->sla().Tick(ctx.actor, now, max_clocks));
  if (ctx.json) {
    *ctx.out << JsonObject({{"now", JsonString(Rfc3339(now))},
                            {"warnings", absl::StrCat(r.warnings)},
                            {"breaches", absl::StrCat(r.breaches)},
                            {"escalations", absl::StrCat(r.escalations)},
                            {"events", JsonArrayOf(r.events)}})
             << "\n";
    return absl::OkStatus();
  }
  auto count = [](int n, const char* one, const char* many) {
    return absl::StrCat(n, " ", n == 1 ? one : many);
  };
  *ctx.out << "tick at " << Rfc3339(now) << ": "
           << count(r.warnings, "warning", "warnings") << ", "
           << count(r.breaches, "breach", "breaches") << ", "
           << count(r.escalations, "escalation", "escalations") << "\n";
  if (!r.events.empty()) {
    std::vector<Row> rows;
    for (const v1::Event& e : r.events) rows.push_back(EventRow(e));
    PrintTable(*ctx.out, rows);
  }
  return absl::OkStatus();
}

absl::Status EventsList(Context& ctx, const Args& a) {
  int64_t after = 0;
  int64_t limit = 0;
  if (auto v = a.Get("after")) {
    SDCTL_ASSIGN_OR_RETURN(after, ParseInt("--after", *v));
    if (after < 0) return UsageError("--after: must not be negative");
  }
  if (auto v = a.Get("limit")) {
    SDCTL_ASSIGN_OR_RETURN(limit, ParseInt("--limit", *v));
    if (limit < 0) return UsageError("--limit: must not be negative");
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  if (!a.Has("follow")) {
    SDCTL_ASSIGN_OR_RETURN(
        std::vector<v1::Event> events,
        desk->events().List(ctx.actor, after, static_cast<size_t>(limit)));
    PrintList(ctx, events, EventRow);
    return absl::OkStatus();
  }
  // --follow: poll, because commits made by other processes (another sdctl,
  // the application) are not delivered to this process's subscribers. One
  // line per event (JSON Lines with --json), flushed so pipes see it at once.
  int64_t printed = 0;
  bool header = false;
  while (limit == 0 || printed < limit) {
    SDCTL_ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                           desk->events().List(ctx.actor, after, 0));
    for (const v1::Event& e : events) {
      if (ctx.json) {
        *ctx.out << ToJson(e) << "\n";
      } else {
        Row row = EventRow(e);
        if (!header) {
          std::vector<std::string> names;
          for (const auto& [k, v] : row) names.push_back(k);
          *ctx.out << absl::StrJoin(names, "\t") << "\n";
          header = true;
        }
        std::vector<std::string> cells;
        for (const auto& [k, v] : row) cells.push_back(TsvCell(v));
        *ctx.out << absl::StrJoin(cells, "\t") << "\n";
      }
      after = e.seq();
      if (limit != 0 && ++printed >= limit) break;
    }
    ctx.out->flush();
    if (limit != 0 && printed >= limit) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterSlaCommands(Registry& r) {
  const std::vector<FlagSpec> source = {
      {"file", "FILE", "a calendar text file ('-' = standard input)"},
      {"russia", "ZONE",
       "Russia's production calendar in this IANA zone (e.g. "
       "Europe/Moscow)"},
      {"week", "LINE",
       "with --russia: weekly hours as a text-format line, e.g. "
       "\"mon-fri 09:00-13:00 14:00-18:00\" (default mon-fri 09:00-18:00)",
       true}};
  auto with = [](std::vector<FlagSpec> flags, std::vector<FlagSpec> more) {
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
  };

  r.DescribeGroup({"calendars"},
                  "Business calendars and business-time arithmetic.");
  r.Add({{"calendars", "create"},
         "[FILE]",
         "Store a calendar from a text-format FILE or Russia's production "
         "calendar.",
         "The text format (docs/sla.md):\n"
         "  zone Europe/Moscow\n"
         "  name Moscow center\n"
         "  mon-fri 09:00-13:00 14:00-18:00\n"
         "  holiday 2025-01-01 New Year  # decree No. 1335\n"
         "  special 2025-03-07 09:00-17:00 shortened\n"
         "Network administrators only.",
         with({{"russia", source[1].value_name, source[1].help}, source[2]},
              {{"id", "ID", "calendar id, [a-z0-9-] (default: generated)"},
               {"name", "NAME", "calendar name (overrides the file's)"}}),
         0,
         1,
         CalendarsCreate});
  r.Add({{"calendars", "get"},
         "[ID]",
         "Print a calendar in the text format (stored ID, --file or "
         "--russia).",
         "",
         source,
         0,
         1,
         CalendarsGet});
  r.Add({{"calendars", "list"},
         "",
         "List the stored calendars.",
         "",
         {},
         0,
         0,
         CalendarsList});
  r.Add({{"calendars", "years"},
         "",
         "The years covered by the shipped Russian production calendar.",
         "",
         {},
         0,
         0,
         CalendarsYears});
  const std::string calendar_note =
      "The calendar is a stored calendar ID, or --file FILE, or --russia "
      "ZONE.\n"
      "Times are RFC 3339 (2007-01-01T22:00:00Z, 2025-03-03T09:00:00+03:00); "
      "durations\nlike 8h, 90m, 1h30m, 45s.";
  r.Add({{"calendars", "due"},
         "[ID] START DURATION",
         "The deadline: START plus DURATION of business time (Add).",
         calendar_note,
         with(source, {{"local", "",
                        "print the time in the calendar's zone, not UTC"}}),
         2,
         3,
         CalendarsDue});
  r.Add({{"calendars", "between"},
         "[ID] FROM TO",
         "Business time between two instants (Between); negative if TO < "
         "FROM.",
         calendar_note,
         source,
         2,
         3,
         CalendarsBetween});

  r.DescribeGroup({"sla"},
                  "The Quality Standard: catalog, policy, targets and clocks.");
  r.Add({{"sla", "catalog"},
         "",
         "The service catalog with its default targets.",
         "",
         {},
         0,
         0,
         SlaCatalog});
  r.DescribeGroup({"sla", "policy"}, "The network's SLA policy.");
  r.Add({{"sla", "policy", "show"},
         "",
         "Show the SLA policy (--json gives a file 'policy set' takes).",
         "",
         {},
         0,
         0,
         SlaPolicyShow});
  r.Add({{"sla", "policy", "set"},
         "FILE",
         "Replace the SLA policy with a JSON file (proto3 JSON mapping of "
         "SlaPolicy).",
         "Example FILE:\n"
         "  {\"name\": \"Standard 2025\", \"rules\": [{\"name\": \"vip "
         "hotline\",\n"
         "    \"kinds\": [\"SERVICE_KIND_HOTLINE_QUESTION\"], \"tiers\": [3],\n"
         "    \"firstResponse\": {\"duration\": \"900s\"},\n"
         "    \"resolution\": {\"duration\": \"14400s\"}}]}\n"
         "If the file has a \"version\", it must be the stored one (else "
         "ABORTED);\nwithout one, the stored policy is replaced. Network "
         "administrators only.",
         {},
         1,
         1,
         SlaPolicySet});
  r.Add({{"sla", "targets"},
         "",
         "The targets a request would get (first matching rule, else the "
         "catalog).",
         "",
         SubjectFlags(),
         0,
         0,
         SlaTargets});
  r.DescribeGroup({"sla", "clocks"}, "SLA target clocks of a subject.");
  const FlagSpec at{"at", "TIME", "when (RFC 3339; default --now or now)"};
  r.Add({{"sla", "clocks", "start"},
         "SUBJECT",
         "Start the target clocks of SUBJECT (a request id of your choice).",
         "",
         with(SubjectFlags(), {at}),
         1,
         1,
         ClocksStart});
  r.Add({{"sla", "clocks", "pause"},
         "SUBJECT",
         "Pause the running clocks (waiting on the client).",
         "",
         {at},
         1,
         1,
         ClocksPause});
  r.Add({{"sla", "clocks", "resume"},
         "SUBJECT",
         "Resume the paused clocks (the client answered).",
         "",
         {at},
         1,
         1,
         ClocksResume});
  r.Add({{"sla", "clocks", "stop"},
         "SUBJECT",
         "Stop one clock and decide met or breached.",
         "",
         {{"clock", "KIND",
           absl::StrCat("which clock: ",
                        EnumChoices(v1::ClockKind_descriptor()))},
          at},
         1,
         1,
         ClocksStop});
  r.Add({{"sla", "clocks", "recompute"},
         "SUBJECT",
         "Re-resolve targets for a changed subject (e.g. new priority).",
         "",
         SubjectFlags(),
         1,
         1,
         ClocksRecompute});
  r.Add({{"sla", "clocks", "list"},
         "SUBJECT",
         "List every clock of SUBJECT, oldest first.",
         "",
         {},
         1,
         1,
         ClocksList});

  r.Add({{"tick"},
         "",
         "Raise every SLA warning, breach and escalation due now (or at "
         "--now).",
         "Run it from cron or a timer; each warning and breach is raised "
         "once,\nso running it often is safe. Administrators and system "
         "actors only.",
         {{"max", "N", "process at most N clocks (0 = all)"}},
         0,
         0,
         Tick});
  r.Add({{"events"},
         "",
         "The audit log: events visible to the actor, in commit order.",
         "With --follow, keeps polling for new events (tab-separated, or one "
         "JSON object\nper line with --json) until interrupted or --limit "
         "events were printed.",
         {{"after", "N", "only events with seq > N"},
          {"limit", "N", "at most N events (default 1000)"},
          {"follow", "", "keep printing new events as they are committed"}},
         0,
         0,
         EventsList});
}

}  // namespace sdctl
