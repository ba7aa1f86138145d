// Output for people (aligned tables, "field: value" cards) and for machines
// (the proto3 JSON mapping: one object, or an array for lists).
#ifndef SDCTL_OUTPUT_H_
#define SDCTL_OUTPUT_H_

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "sdctl/cli.h"
#include "servicedesk/proto/audit.pb.h"
#include "servicedesk/proto/calendar.pb.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/proto/requests.pb.h"
#include "servicedesk/proto/sla.pb.h"

namespace sdctl {

// One row as (column, value) pairs; every row of a table has the same columns.
using Row = std::vector<std::pair<std::string, std::string>>;

// Columns padded to their widest cell; the last column is not padded so that
// lines carry no trailing blanks. Prints "(none)" for no rows, so that an
// empty result is visibly a result and not a hang or a crash.
void PrintTable(std::ostream& out, const std::vector<Row>& rows);
// A cell of a tab-separated line: backslash, tab, LF and CR escaped as
// \\ \t \n \r, so each record stays one line and splits on tabs.
std::string TsvCell(const std::string& text);
// A single record as aligned "column: value" lines.
void PrintCard(std::ostream& out, const Row& row);

// proto3 JSON mapping of one message. Fields with default values are
// printed too, so that scripts see `"active": false` rather than a missing key.
std::string ToJson(const google::protobuf::Message& m);
// A JSON string literal.
std::string JsonString(const std::string& s);
// Builds `{"k": v, ...}` from already-encoded JSON values.
std::string JsonObject(
    const std::vector<std::pair<std::string, std::string>>& fields);
std::string JsonArray(const std::vector<std::string>& values);

template <typename M>
std::string JsonArrayOf(const std::vector<M>& items) {
  std::vector<std::string> v;
  v.reserve(items.size());
  for (const M& m : items) v.push_back(ToJson(m));
  return JsonArray(v);
}

// Rows for the record types.
Row CenterRow(const servicedesk::v1::ServiceCenter& c);
Row OrganizationRow(const servicedesk::v1::Organization& o);
Row ContactRow(const servicedesk::v1::Contact& c);
Row StaffRow(const servicedesk::v1::StaffMember& s);
Row AssignmentRow(const servicedesk::v1::ManagerAssignment& a);
Row CalendarRow(const servicedesk::v1::BusinessCalendar& c);
Row ClockRow(const servicedesk::v1::TargetClock& c);
Row EventRow(const servicedesk::v1::Event& e);
Row ServiceRow(const servicedesk::v1::ServiceDefinition& s);
Row RuleRow(const servicedesk::v1::SlaRule& r);
std::string FormatTarget(const servicedesk::v1::SlaTarget& t);
// Service requests: a table row, and the fuller card of `requests get` and
// of every command that changes a request.
Row RequestRow(const servicedesk::v1::ServiceRequest& r);
Row RequestCard(const servicedesk::v1::ServiceRequest& r);
Row DialogRow(const servicedesk::v1::Dialog& d);
Row DialogMessageRow(const servicedesk::v1::DialogMessage& m);
Row InstallationRow(const servicedesk::v1::Installation& i);
Row VisitRow(const servicedesk::v1::Visit& v);
// "answer: ...", "documents: 123 (title), ...", "enrollment: training:S-1".
std::string FormatOutcome(const servicedesk::v1::RequestOutcome& o);

// Prints one record: JSON with --json, else a card.
template <typename M>
void PrintRecord(Context& ctx, const M& m, Row (*row)(const M&)) {
  if (ctx.json) {
    *ctx.out << ToJson(m) << "\n";
  } else {
    PrintCard(*ctx.out, row(m));
  }
}

// Prints a list: a JSON array with --json, else a table.
template <typename M>
void PrintList(Context& ctx, const std::vector<M>& items,
               Row (*row)(const M&)) {
  if (ctx.json) {
    *ctx.out << JsonArrayOf(items) << "\n";
    return;
  }
  std::vector<Row> rows;
  rows.reserve(items.size());
  for (const M& m : items) rows.push_back(row(m));
  PrintTable(*ctx.out, rows);
}

}  // namespace sdctl

#endif  // SDCTL_OUTPUT_H_
