#include "lib/requests/request_indexes.h"

#include <algorithm>
#include <array>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "lib/core/records.h"
#include "lib/core/report_facts.h"
#include "lib/core/time_util.h"

namespace servicedesk::internal {

bool IsOpenState(v1::RequestState s) {
  return s == v1::REQUEST_STATE_NEW || s == v1::REQUEST_STATE_ASSIGNED ||
         s == v1::REQUEST_STATE_IN_PROGRESS ||
         s == v1::REQUEST_STATE_WAITING_ON_CLIENT;
}

std::string ShortEnumName(std::string name, absl::string_view prefix) {
  if (absl::StartsWith(name, prefix)) name.erase(0, prefix.size());
  return name.empty() ? "UNKNOWN" : name;
}

absl::string_view StateName(v1::RequestState s) {
  static const auto* names = [] {
    auto* out = new std::array<std::string, v1::RequestState_ARRAYSIZE>;
    for (int i = 0; i < v1::RequestState_ARRAYSIZE; ++i)
      (*out)[i] =
          ShortEnumName(v1::RequestState_Name(static_cast<v1::RequestState>(i)),
                        "REQUEST_STATE_");
    return out;
  }();
  if (s < 0 || s >= v1::RequestState_ARRAYSIZE) return "UNKNOWN";
  return (*names)[s];
}

absl::string_view AssigneeAt(const v1::ServiceRequest& r, absl::Time t) {
  absl::string_view who;
  for (const v1::StaffAssignment& a : r.assignments()) {
    if (FromProto(a.at()) > t) break;
    who = a.staff_id();
  }
  return who;
}

std::vector<OpenSpan> OpenSpans(const v1::ServiceRequest& r) {
  // Registration opens the first stretch (it writes no history entry); every
  // state change from an open to a closed state (resolved, cancelled) ends
  // one, every change back (a reopening) starts the next.
  std::vector<OpenSpan> out;
  bool open = true;
  absl::Time start = FromProto(r.registered_at());
  for (const v1::StateChange& h : r.history()) {
    const bool to_open = IsOpenState(h.to());
    if (open && !to_open) out.push_back({start, FromProto(h.at())});
    if (!open && to_open) start = FromProto(h.at());
    open = to_open;
  }
  if (open && !IsOpenState(r.state())) {
    // A record whose history misses the last change (written outside the
    // state machine): it ended when it was last resolved, closed or changed.
    absl::Time end = FromProto(r.updated_at());
    if (r.has_closed_at()) end = FromProto(r.closed_at());
    if (r.has_resolved_at()) end = FromProto(r.resolved_at());
    out.push_back({start, std::max(start, end)});
  } else if (open) {
    out.push_back({start, absl::InfiniteFuture()});
  }
  return out;
}

std::vector<IndexEntry> RequestIndexes(const v1::ServiceRequest& r) {
  // registered_at then the id's sequence number: arrival order, also for
  // requests registered in the same microsecond.
  char when[16];
  EncodeOrderedInt64To(absl::ToUnixMicros(FromProto(r.registered_at())), when);
  EncodeOrderedInt64To(IdNumber(r.id()), when + 8);
  const absl::string_view at(when, 16), seq(when + 8, 8);
  const absl::string_view state = StateName(r.state());
  std::vector<IndexEntry> idx;
  idx.reserve(10);
  AddIndexEntry(idx, kByCenter, {r.center_id()}, at);
  AddIndexEntry(idx, kByOrg, {r.organization_id()}, at);
  AddIndexEntry(idx, kByState, {state}, at);
  AddIndexEntry(idx, kByCenterState, {r.center_id(), state}, at);
  const bool open = IsOpenState(r.state());
  if (!r.assignee_id().empty()) {
    AddIndexEntry(idx, kByAssignee, {r.assignee_id()}, at);
    if (open) AddIndexEntry(idx, kAssigneeOpen, {r.assignee_id()}, seq);
  }
  if (r.state() == v1::REQUEST_STATE_NEW && r.assignee_id().empty() &&
      r.dialog_id().empty())
    AddIndexEntry(idx, kQueue, {r.center_id()}, at);
  // Facts for compliance reports (lib/core/report_facts.h).
  report_facts::Fact f;
  f.at = FromProto(r.registered_at());
  f.kind = r.kind();
  f.channel = r.channel();
  f.center = r.center_id();
  f.staff = r.assignee_id();
  idx.push_back(report_facts::Entry(report_facts::kRequestRegistered, f));
  // The backlog: one fact per piece of each stretch the request was open,
  // split where the assignee changed and keyed by the piece's end, so that
  // the backlog at any past instant, by staff too, stays what it was.
  report_facts::Fact span = f;
  for (const OpenSpan& o : OpenSpans(r)) {
    span.micros = absl::ToUnixMicros(o.start);
    absl::Time piece = o.start;
    absl::string_view who = AssigneeAt(r, o.start);
    auto add = [&](absl::Time end) {
      const std::string staff = report_facts::SpanStaff(who, piece);
      span.staff = staff;
      span.at = end;
      idx.push_back(report_facts::Entry(report_facts::kRequestOpenSpan, span));
      piece = end;
    };
    for (const v1::StaffAssignment& a : r.assignments()) {
      const absl::Time t = FromProto(a.at());
      if (t <= o.start) continue;
      if (t >= o.end) break;
      if (t > piece) add(t);
      who = a.staff_id();
    }
    if (o.end == absl::InfiniteFuture()) who = r.assignee_id();
    add(o.end);
  }
  if (r.has_rating() && r.rating().score() > 0) {
    f.at = FromProto(r.rating().rated_at());
    f.flag = r.rating().score();
    idx.push_back(report_facts::Entry(report_facts::kRequestRating, f));
  }
  return idx;
}

}  // namespace servicedesk::internal
