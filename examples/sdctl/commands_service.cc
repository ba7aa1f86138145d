// Online dialogs, technical support (installations and visits) and the
// Quality Standard compliance report.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "sdctl/cli.h"
#include "sdctl/org_util.h"
#include "sdctl/output.h"
#include "sdctl/requests_util.h"
#include "sdctl/values.h"
#include "servicedesk/dialogs.h"
#include "servicedesk/reports.h"
#include "servicedesk/techsupport.h"

namespace sdctl {
namespace v1 = servicedesk::v1;
namespace {

// ---- dialogs

void PrintDialog(Context& ctx, const v1::Dialog& d) {
  if (ctx.json) {
    *ctx.out << ToJson(d) << "\n";
    return;
  }
  Row card = DialogRow(d);
  card.push_back({"center", d.center_id()});
  card.push_back({"closed", FormatTimestamp(d.closed_at())});
  PrintCard(*ctx.out, card);
  if (d.messages_size() > 0) {
    *ctx.out << "\n";
    std::vector<Row> rows;
    for (const v1::DialogMessage& m : d.messages()) {
      rows.push_back(DialogMessageRow(m));
    }
    PrintTable(*ctx.out, rows);
  }
}

absl::Status DialogsOpen(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string topic, a.Require("topic"));
  SDCTL_ASSIGN_OR_RETURN(std::string message, a.Require("message"));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Dialog d,
                         desk->dialogs().Open(ctx.actor, topic, message));
  PrintDialog(ctx, d);
  return absl::OkStatus();
}

absl::Status DialogsGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Dialog d,
                         desk->dialogs().Get(ctx.actor, a.pos(0)));
  PrintDialog(ctx, d);
  return absl::OkStatus();
}

absl::Status DialogsList(Context& ctx, const Args& a) {
  servicedesk::DialogFilter f;
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(f.center_id, ResolveCenterId(ctx, *v));
  }
  f.organization_id = a.GetOr("org", "");
  if (auto v = a.Get("state")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.state, ParseEnumT<v1::DialogState>(v1::DialogState_descriptor(),
                                             "--state", *v));
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Dialog> all,
      FetchAll<v1::Dialog>([&](const servicedesk::PageRequest& p) {
        return desk->dialogs().List(ctx.actor, f, p);
      }));
  PrintList(ctx, all, DialogRow);
  return absl::OkStatus();
}

absl::Status DialogsTake(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  absl::StatusOr<v1::Dialog> d =
      a.positional().empty()
          ? desk->dialogs().Take(ctx.actor)
          : desk->dialogs().TakeSpecific(ctx.actor, a.pos(0));
  if (!d.ok()) return d.status();
  PrintDialog(ctx, *d);
  return absl::OkStatus();
}

absl::Status DialogsPost(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string text, a.Require("text"));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Dialog d,
                         desk->dialogs().Post(ctx.actor, a.pos(0), text));
  PrintDialog(ctx, d);
  return absl::OkStatus();
}

absl::Status DialogsHandover(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string to, a.Require("to"));
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Dialog d, desk->dialogs().Handover(ctx.actor, a.pos(0), to, reason));
  PrintDialog(ctx, d);
  return absl::OkStatus();
}

absl::Status DialogsClose(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Dialog d,
                         desk->dialogs().Close(ctx.actor, a.pos(0)));
  PrintDialog(ctx, d);
  return absl::OkStatus();
}

void PrintPresence(Context& ctx, const v1::DialogPresence& p) {
  if (ctx.json) {
    *ctx.out << ToJson(p) << "\n";
    return;
  }
  PrintCard(*ctx.out,
            {{"staff", p.id()},
             {"available", p.available() ? "yes" : "no (away)"},
             {"since", p.has_since() ? FormatTimestamp(p.since()) : "-"},
             {"set_by", p.set_by().empty() ? "-" : p.set_by()}});
}

// STAFF, or the --as staff member when omitted.
absl::StatusOr<std::string> PresenceStaff(const Context& ctx, const Args& a) {
  if (!a.positional().empty()) return a.pos(0);
  if (ctx.actor.has_staff_id()) return ctx.actor.staff_id();
  return UsageError(
      "STAFF: name the specialist, or act as one with --as staff:ID");
}

absl::Status SetPresence(Context& ctx, const Args& a, bool available) {
  SDCTL_ASSIGN_OR_RETURN(std::string staff, PresenceStaff(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::DialogPresence p,
      desk->dialogs().SetAvailable(ctx.actor, staff, available));
  PrintPresence(ctx, p);
  return absl::OkStatus();
}

absl::Status DialogsAvailable(Context& ctx, const Args& a) {
  return SetPresence(ctx, a, true);
}

absl::Status DialogsAway(Context& ctx, const Args& a) {
  return SetPresence(ctx, a, false);
}

absl::Status DialogsPresence(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string staff, PresenceStaff(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::DialogPresence p,
                         desk->dialogs().Presence(ctx.actor, staff));
  PrintPresence(ctx, p);
  return absl::OkStatus();
}

absl::Status DialogsPosition(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::QueuePosition p,
                         desk->dialogs().Position(ctx.actor, a.pos(0)));
  if (ctx.json) {
    *ctx.out << ToJson(p) << "\n";
    return absl::OkStatus();
  }
  PrintCard(*ctx.out,
            {{"position", absl::StrCat(p.position())},
             {"waiting", absl::StrCat(p.waiting())},
             {"expected_wait",
              p.has_expected_wait() ? ShortDuration(p.expected_wait()) : "-"},
             {"expected_at",
              p.has_expected_at() ? FormatTimestamp(p.expected_at()) : "-"},
             {"available", absl::StrCat(p.available_specialists())}});
  return absl::OkStatus();
}

// ---- technical support

absl::StatusOr<bool> ParseBool(const std::string& what,
                               const std::string& text) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t == "yes" || t == "true" || t == "on" || t == "1") return true;
  if (t == "no" || t == "false" || t == "off" || t == "0") return false;
  return UsageError(
      absl::StrCat(what, ": expected yes or no, got '", text, "'"));
}

absl::StatusOr<int32_t> ParseWorkstations(const std::string& text) {
  SDCTL_ASSIGN_OR_RETURN(int64_t n, ParseInt("--workstations", text));
  if (n < 0 || n > 1000000) {
    return UsageError(absl::StrCat("--workstations: out of range: ", n));
  }
  return static_cast<int32_t>(n);
}

absl::Status InstallationsCreate(Context& ctx, const Args& a) {
  v1::Installation i;
  SDCTL_ASSIGN_OR_RETURN(*i.mutable_organization_id(), a.Require("org"));
  SDCTL_ASSIGN_OR_RETURN(*i.mutable_product_version(),
                         a.Require("product-version"));
  SDCTL_ASSIGN_OR_RETURN(std::string ws, a.Require("workstations"));
  SDCTL_ASSIGN_OR_RETURN(int32_t n, ParseWorkstations(ws));
  i.set_workstations(n);
  i.set_network(a.Has("network"));
  for (const std::string& s : a.GetAll("set")) i.add_installed_sets(s);
  i.set_address(a.GetOr("address", ""));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Installation out,
                         desk->techsupport().CreateInstallation(ctx.actor, i));
  PrintRecord(ctx, out, InstallationRow);
  return absl::OkStatus();
}

absl::Status InstallationsUpdate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Installation i, ReadForChange<v1::Installation>(a.pos(0), [&] {
        return desk->techsupport().GetInstallation(ctx.actor, a.pos(0));
      }));
  if (auto v = a.Get("version")) {
    SDCTL_ASSIGN_OR_RETURN(int64_t n, ParseInt("--version", *v));
    i.set_version(n);
  }
  if (auto v = a.Get("product-version")) i.set_product_version(*v);
  if (auto v = a.Get("workstations")) {
    SDCTL_ASSIGN_OR_RETURN(int32_t n, ParseWorkstations(*v));
    i.set_workstations(n);
  }
  if (auto v = a.Get("network")) {
    SDCTL_ASSIGN_OR_RETURN(bool b, ParseBool("--network", *v));
    i.set_network(b);
  }
  if (a.Has("set") && a.Has("no-sets"))
    return UsageError("--set and --no-sets are exclusive");
  if (a.Has("set") || a.Has("no-sets")) {
    i.clear_installed_sets();
    for (const std::string& s : a.GetAll("set")) i.add_installed_sets(s);
  }
  if (auto v = a.Get("address")) i.set_address(*v);
  if (auto v = a.Get("active")) {
    SDCTL_ASSIGN_OR_RETURN(bool b, ParseBool("--active", *v));
    i.set_active(b);
  }
  SDCTL_ASSIGN_OR_RETURN(v1::Installation out,
                         desk->techsupport().UpdateInstallation(ctx.actor, i));
  PrintRecord(ctx, out, InstallationRow);
  return absl::OkStatus();
}

absl::Status InstallationsGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Installation i,
      desk->techsupport().GetInstallation(ctx.actor, a.pos(0)));
  PrintRecord(ctx, i, InstallationRow);
  return absl::OkStatus();
}

absl::Status InstallationsList(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Installation> all,
      FetchAll<v1::Installation>([&](const servicedesk::PageRequest& p) {
        return desk->techsupport().ListInstallations(ctx.actor, a.pos(0), p);
      }));
  // As every list: inactive records only with --all.
  if (!a.Has("all"))
    all.erase(
        std::remove_if(all.begin(), all.end(),
                       [](const v1::Installation& i) { return !i.active(); }),
        all.end());
  PrintList(ctx, all, InstallationRow);
  return absl::OkStatus();
}

absl::Status VisitsSchedule(Context& ctx, const Args& a) {
  v1::Visit v;
  SDCTL_ASSIGN_OR_RETURN(*v.mutable_request_id(), a.Require("request"));
  SDCTL_ASSIGN_OR_RETURN(*v.mutable_engineer_id(), a.Require("engineer"));
  SDCTL_ASSIGN_OR_RETURN(std::string from, a.Require("from"));
  SDCTL_ASSIGN_OR_RETURN(std::string to, a.Require("to"));
  SDCTL_ASSIGN_OR_RETURN(absl::Time start, ParseTime("--from", from));
  SDCTL_ASSIGN_OR_RETURN(absl::Time end, ParseTime("--to", to));
  *v.mutable_slot_start() = ToProto(start);
  *v.mutable_slot_end() = ToProto(end);
  v.set_notes(a.GetOr("notes", ""));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Visit out,
                         desk->techsupport().ScheduleVisit(ctx.actor, v));
  PrintRecord(ctx, out, VisitRow);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> VisitVersion(Context& ctx, const Args& a) {
  if (auto v = a.Get("version")) return ParseInt("--version", *v);
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Visit v, ReadForChange<v1::Visit>(a.pos(0), [&] {
                           return desk->techsupport().GetVisit(ctx.actor,
                                                               a.pos(0));
                         }));
  return v.version();
}

absl::Status VisitsComplete(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(int64_t version, VisitVersion(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Visit out, desk->techsupport().CompleteVisit(
                         ctx.actor, a.pos(0), version, a.GetOr("notes", "")));
  PrintRecord(ctx, out, VisitRow);
  return absl::OkStatus();
}

absl::Status VisitsCancel(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  SDCTL_ASSIGN_OR_RETURN(int64_t version, VisitVersion(ctx, a));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      v1::Visit out,
      desk->techsupport().CancelVisit(ctx.actor, a.pos(0), version, reason));
  PrintRecord(ctx, out, VisitRow);
  return absl::OkStatus();
}

absl::Status VisitsGet(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::Visit v,
                         desk->techsupport().GetVisit(ctx.actor, a.pos(0)));
  PrintRecord(ctx, v, VisitRow);
  return absl::OkStatus();
}

absl::Status VisitsList(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::Visit> all,
      FetchAll<v1::Visit>([&](const servicedesk::PageRequest& p) {
        return desk->techsupport().ListVisits(ctx.actor, a.pos(0), p);
      }));
  PrintList(ctx, all, VisitRow);
  return absl::OkStatus();
}

// ---- report

std::string Pct(double v) { return absl::StrFormat("%.1f%%", v); }

std::string Dur(const v1::ComplianceRow& r,
                const google::protobuf::Duration& (v1::ComplianceRow::*get)()
                    const,
                bool (v1::ComplianceRow::*has)() const) {
  return (r.*has)() ? ShortDuration((r.*get)()) : "-";
}

absl::Status Report(Context& ctx, const Args& a) {
  v1::ComplianceQuery q;
  SDCTL_ASSIGN_OR_RETURN(std::string from_text, a.Require("from"));
  SDCTL_ASSIGN_OR_RETURN(std::string to_text, a.Require("to"));
  SDCTL_ASSIGN_OR_RETURN(absl::Time from,
                         ParseTimeOrDate("--from", from_text, false));
  SDCTL_ASSIGN_OR_RETURN(absl::Time to,
                         ParseTimeOrDate("--to", to_text, false));
  *q.mutable_from() = ToProto(from);
  *q.mutable_to() = ToProto(to);
  for (const std::string& by : a.GetAll("by")) {
    for (absl::string_view part :
         absl::StrSplit(by, ',', absl::SkipWhitespace())) {
      const std::string p = absl::AsciiStrToLower(std::string(part));
      if (p == "center") {
        q.set_by_center(true);
      } else if (p == "kind") {
        q.set_by_kind(true);
      } else if (p == "channel") {
        q.set_by_channel(true);
      } else if (p == "staff") {
        q.set_by_staff(true);
      } else {
        return UsageError(absl::StrCat(
            "--by: unknown group '", p,
            "' (a comma-separated list of: center, kind, channel, staff)"));
      }
    }
  }
  absl::TimeZone zone = absl::UTCTimeZone();
  if (auto v = a.Get("period")) {
    const std::string p = absl::AsciiStrToLower(*v);
    if (p == "day") {
      q.set_by_period(v1::REPORT_PERIOD_DAY);
    } else if (p == "week") {
      q.set_by_period(v1::REPORT_PERIOD_WEEK);
    } else if (p == "month") {
      q.set_by_period(v1::REPORT_PERIOD_MONTH);
    } else {
      return UsageError(absl::StrCat("--period: unknown period '", *v,
                                     "' (one of: day, week, month)"));
    }
  }
  if (auto v = a.Get("time-zone")) {
    if (!q.by_period()) return UsageError("--time-zone needs --period");
    q.set_time_zone(*v);
    (void)absl::LoadTimeZone(*v, &zone);  // the library names a bad zone
  }
  if (a.Has("csv") + a.Has("backlog-csv") + ctx.json > 1) {
    return UsageError("--csv, --backlog-csv and --json are exclusive");
  }
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(*q.mutable_center_id(), ResolveCenterId(ctx, *v));
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ComplianceReport report,
                         desk->reports().Compliance(ctx.actor, q));
  if (ctx.json) {
    *ctx.out << ToJson(report) << "\n";
    return absl::OkStatus();
  }
  if (a.Has("csv")) {
    *ctx.out << servicedesk::Reports::ToCsv(report);
    return absl::OkStatus();
  }
  if (a.Has("backlog-csv")) {
    *ctx.out << servicedesk::Reports::BacklogToCsv(report);
    return absl::OkStatus();
  }
  std::ostream& out = *ctx.out;
  out << "Compliance " << FormatTimestamp(report.from()) << " .. "
      << FormatTimestamp(report.to()) << "\n";
  // The period's first day in the query's zone (the first period may start
  // at FROM, mid-day).
  auto period_label = [&](const google::protobuf::Timestamp& start) {
    return absl::FormatTime(
        q.by_period() == v1::REPORT_PERIOD_MONTH ? "%E4Y-%m" : "%E4Y-%m-%d",
        FromProto(start), zone);
  };
  // The grouping columns the query asked for (a ComplianceRow or BacklogRow).
  auto add_groups = [&](const auto& r, Row& row) {
    if (q.by_center()) row.push_back({"center", r.center_id()});
    if (q.by_kind()) {
      row.push_back(
          {"kind", EnumShortName(v1::ServiceKind_descriptor(), r.kind())});
    }
    if (q.by_channel()) {
      row.push_back(
          {"channel", EnumShortName(v1::Channel_descriptor(), r.channel())});
    }
    if (q.by_staff()) {
      row.push_back({"staff", r.staff_id().empty() ? "-" : r.staff_id()});
    }
  };
  std::vector<Row> rows;
  for (const v1::ComplianceRow& r : report.rows()) {
    Row row;
    if (q.by_period())
      row.push_back({"period", period_label(r.period_start())});
    add_groups(r, row);
    using R = v1::ComplianceRow;
    row.insert(
        row.end(),
        {{"requests", absl::StrCat(r.requests())},
         {"met", absl::StrCat(r.met())},
         {"breached", absl::StrCat(r.breached())},
         {"compliance", r.has_compliance_pct() ? Pct(r.compliance_pct()) : "-"},
         {"fr_met", absl::StrCat(r.first_response_met())},
         {"fr_breached", absl::StrCat(r.first_response_breached())},
         {"fr_p50", Dur(r, &R::first_response_p50, &R::has_first_response_p50)},
         {"fr_p90", Dur(r, &R::first_response_p90, &R::has_first_response_p90)},
         {"res_p50", Dur(r, &R::resolution_p50, &R::has_resolution_p50)},
         {"res_p90", Dur(r, &R::resolution_p90, &R::has_resolution_p90)},
         {"satisfaction",
          r.has_satisfaction_avg()
              ? absl::StrFormat("%.2f (%d)", r.satisfaction_avg(),
                                r.satisfaction_count())
              : "-"}});
    rows.push_back(std::move(row));
  }
  PrintTable(out, rows);
  // min(to, now): what was open then, not at the end of a period still
  // running.
  if (q.by_period()) {
    out << "\nBacklog at each period's end (at "
        << FormatTimestamp(report.backlog_at()) << " for one still running)\n";
  } else {
    out << "\nBacklog at " << FormatTimestamp(report.backlog_at()) << "\n";
  }
  rows.clear();
  for (const v1::BacklogRow& b : report.backlog()) {
    Row row;
    if (q.by_period()) {
      row.push_back({"period", period_label(b.period_start())});
      row.push_back({"at", FormatTimestamp(b.at())});
    }
    add_groups(b, row);  // the rows' columns: the two tables read alike
    row.push_back({"age", b.age_bucket()});
    row.push_back({"count", absl::StrCat(b.count())});
    rows.push_back(std::move(row));
  }
  PrintTable(out, rows);
  return absl::OkStatus();
}

}  // namespace

void RegisterServiceCommands(Registry& r) {
  r.DescribeGroup({"dialogs"},
                  "Online dialogs: the in-product chat with the hotline.");
  r.Add({{"dialogs", "open"},
         "",
         "Open a dialog as a client contact (--as contact:ID); it waits in "
         "the center's queue.",
         "Creates the dialog's service request (kind and channel "
         "online-dialog) and starts\nits SLA clocks.",
         {{"topic", "TEXT", "the topic, 1..300 characters (required)"},
          {"message", "TEXT", "the first message (required)"}},
         0,
         0,
         DialogsOpen});
  r.Add({{"dialogs", "get"},
         "ID",
         "Show a dialog with its messages.",
         "",
         {},
         1,
         1,
         DialogsGet});
  r.Add({{"dialogs", "list"},
         "",
         "List dialogs in opening order.",
         "",
         {{"center", "CENTER", "only this center (id or code)"},
          {"org", "ORG", "only this organisation"},
          {"state", "STATE",
           absl::StrCat("only this state: ",
                        EnumChoices(v1::DialogState_descriptor()))}},
         0,
         0,
         DialogsList});
  r.Add({{"dialogs", "take"},
         "[ID]",
         "A hotline specialist (--as staff:ID) takes the oldest waiting "
         "dialog, or dialog ID.",
         "NOT_FOUND naming \"queue\" when no dialog is waiting.",
         {},
         0,
         1,
         DialogsTake});
  r.Add({{"dialogs", "post"},
         "ID",
         "Post a message (the dialog's contact, or its specialist).",
         "",
         {{"text", "TEXT", "the message (required)"}},
         1,
         1,
         DialogsPost});
  r.Add({{"dialogs", "handover"},
         "ID",
         "Hand an active dialog over to another hotline specialist.",
         "",
         {{"to", "STAFF", "the specialist (required)"},
          {"reason", "TEXT", "why (required)"}},
         1,
         1,
         DialogsHandover});
  r.Add({{"dialogs", "close"},
         "ID",
         "Close a dialog (its request is resolved, or cancelled if nobody "
         "took it).",
         "",
         {},
         1,
         1,
         DialogsClose});
  r.Add({{"dialogs", "position"},
         "ID",
         "Where a waiting dialog stands in the queue and the expected wait.",
         "",
         {},
         1,
         1,
         DialogsPosition});
  const std::string presence_help =
      "STAFF defaults to the --as staff member. An away specialist can "
      "neither take dialogs\nnor be handed one; the dialogs they hold stay "
      "theirs. Who: the specialist,\nthe center head, administrators.";
  r.Add({{"dialogs", "available"},
         "[STAFF]",
         "Mark a hotline specialist available for online dialogs.",
         presence_help,
         {},
         0,
         1,
         DialogsAvailable});
  r.Add({{"dialogs", "away"},
         "[STAFF]",
         "Mark a hotline specialist away: they take no dialogs until "
         "available again.",
         presence_help,
         {},
         0,
         1,
         DialogsAway});
  r.Add({{"dialogs", "presence"},
         "[STAFF]",
         "Whether a hotline specialist is available for online dialogs.",
         "",
         {},
         0,
         1,
         DialogsPresence});

  r.DescribeGroup({"tech"},
                  "Technical support: installations and engineers' visits.");
  r.DescribeGroup({"tech", "installations"},
                  "The clients' installations of the system.");
  const std::vector<FlagSpec> installation_flags = {
      {"product-version", "V", "the installed version, e.g. 2025.1"},
      {"workstations", "N", "number of workstations (>= 1)"},
      {"address", "TEXT", "where it is installed"},
  };
  std::vector<FlagSpec> create_flags = {
      {"org", "ORG", "the client organisation (required)"}};
  for (FlagSpec f : installation_flags) {
    if (f.name != "address") f.help += " (required)";
    create_flags.push_back(f);
  }
  create_flags.push_back({"network", "", "a network installation"});
  create_flags.push_back({"set", "NAME", "an installed document set", true});
  r.Add({{"tech", "installations", "create"},
         "",
         "Register an installation (--product-version and --workstations "
         "required).",
         "",
         create_flags,
         0,
         0,
         InstallationsCreate});
  std::vector<FlagSpec> update_flags = installation_flags;
  update_flags.push_back({"network", "yes|no", "a network installation"});
  update_flags.push_back(
      {"set", "NAME", "an installed document set (replaces the list)", true});
  update_flags.push_back({"no-sets", "", "clear the installed sets"});
  update_flags.push_back({"active", "yes|no", "whether it is in use"});
  update_flags.push_back(VersionFlag());
  r.Add({{"tech", "installations", "update"},
         "ID",
         "Change an installation's fields.",
         "",
         update_flags,
         1,
         1,
         InstallationsUpdate});
  r.Add({{"tech", "installations", "get"},
         "ID",
         "Show an installation.",
         "",
         {},
         1,
         1,
         InstallationsGet});
  r.Add({{"tech", "installations", "list"},
         "ORG",
         "The organisation's installations (active ones unless --all).",
         "",
         {{"all", "", "include inactive installations"}},
         1,
         1,
         InstallationsList});
  r.DescribeGroup({"tech", "visits"},
                  "On-site visits of engineers for technical requests.");
  r.Add(
      {{"tech", "visits", "schedule"},
       "",
       "Book an engineer for a slot [FROM, TO) of at most 24 hours, after the "
       "request's registration and within 730 days; refused if it overlaps "
       "another visit.",
       "",
       {{"request", "ID", "the open technical request (required)"},
        {"engineer", "STAFF", "an engineer of the request's center (required)"},
        {"from", "TIME", "slot start, RFC 3339 (required)"},
        {"to", "TIME", "slot end, RFC 3339 (required)"},
        {"notes", "TEXT", "notes for the engineer"}},
       0,
       0,
       VisitsSchedule});
  r.Add({{"tech", "visits", "complete"},
         "ID",
         "Mark a scheduled visit done.",
         "",
         {{"notes", "TEXT", "what was done"}, VersionFlag()},
         1,
         1,
         VisitsComplete});
  r.Add({{"tech", "visits", "cancel"},
         "ID",
         "Cancel a scheduled visit; frees the engineer's slot.",
         "",
         {{"reason", "TEXT", "why (required)"}, VersionFlag()},
         1,
         1,
         VisitsCancel});
  r.Add({{"tech", "visits", "get"},
         "ID",
         "Show a visit.",
         "",
         {},
         1,
         1,
         VisitsGet});
  r.Add({{"tech", "visits", "list"},
         "REQUEST",
         "The visits of a request, in slot order.",
         "",
         {},
         1,
         1,
         VisitsList});

  r.Add({{"report"},
         "",
         "The Quality Standard compliance report for a period [FROM, TO).",
         "requests: registered in the period; met: resolution clocks stopped "
         "in the period\nwithin their target; breached: resolution clocks "
         "whose breach instant is in the\nperiod and not after now, counted "
         "there whenever they stop; compliance =\nmet / (met + breached); "
         "fr_*: the same for first response; p50/p90: business\ntime of the "
         "clocks stopped in the period; satisfaction: ratings given in the\n"
         "period (average and count); the backlog: requests open at min(TO, "
         "now) (with\n--period: at each begun period's end), by age.\n--period "
         "splits the rows by day, week (ISO, from "
         "Monday) or month at the\nmidnights of --time-zone (default UTC). A "
         "bare date is 00:00 UTC. Output: an\naligned table, --csv (the rows; "
         "RFC 4180, durations in seconds, times RFC 3339\nUTC), --backlog-csv "
         "(the backlog, the same way) or --json (the ComplianceReport\nin the "
         "proto3 JSON mapping). Administrators, and staff for their own "
         "center.",
         {{"from", "TIME", "start of the period, inclusive (required)"},
          {"to", "TIME", "end of the period, exclusive (required)"},
          {"center", "CENTER", "only this center (id or code)"},
          {"by", "GROUPS",
           "group rows by center,kind,channel,staff (comma-separated)", true},
          {"period", "UNIT", "rows per day, week or month"},
          {"time-zone", "ZONE",
           "the IANA zone of the periods' midnights (with --period)"},
          {"csv", "", "print the rows as CSV"},
          {"backlog-csv", "", "print the backlog as CSV"}},
         0,
         0,
         Report});
}

}  // namespace sdctl
