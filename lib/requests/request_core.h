// Service-request machinery shared by Requests, Dialogs and TechSupport:
// loading and saving requests, the state machine, assignment, and the SLA
// engine run on the request service's behalf — all inside the caller's
// transaction.
#ifndef SERVICEDESK_LIB_REQUESTS_REQUEST_CORE_H_
#define SERVICEDESK_LIB_REQUESTS_REQUEST_CORE_H_

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/core/desk_context.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/proto/requests.pb.h"
#include "servicedesk/proto/sla.pb.h"

namespace servicedesk::internal {

// "admin:root", "staff:staff-3", "contact:contact-1", "system:tick".
std::string ActorLabel(const ResolvedActor& a);

absl::StatusOr<v1::ServiceRequest> LoadRequest(Transaction& tx,
                                               absl::string_view id,
                                               absl::string_view field);

// True for the four technical-support kinds.
bool IsTechKind(v1::ServiceKind kind);

// Checks the installation a technical request refers to: NOT_FOUND naming
// installation_id for an unknown one or another organisation's (a client
// contact learns nothing of other clients' installations), and
// FAILED_PRECONDITION for an inactive one.
absl::Status CheckInstallation(Transaction& tx, absl::string_view id,
                               absl::string_view organization_id);

// The catalog entry of `kind` (INVALID_ARGUMENT naming "kind" if none); it
// lives as long as the process (Sla::Catalog).
absl::StatusOr<const v1::ServiceDefinition*> CatalogEntry(v1::ServiceKind kind);

// Authorization on a loaded request.
//   reader: administrators, staff of its center, contacts of its org.
//   worker: administrators and staff of its center.
//   party:  a worker, or the request's contact (any contact of the
//           organisation when the request has none).
absl::Status RequireReader(const ResolvedActor& a, const v1::ServiceRequest& r,
                           absl::string_view what);
absl::Status RequireWorker(const ResolvedActor& a, const v1::ServiceRequest& r,
                           absl::string_view what);
absl::Status RequireParty(const ResolvedActor& a, const v1::ServiceRequest& r,
                          absl::string_view what);
// True if `a` is the request's contact (or, for a request without one, a
// contact of its organisation).
bool IsRequestContact(const ResolvedActor& a, const v1::ServiceRequest& r);

// Runs an SLA engine function (lib/sla/clock_engine.h) inside `s`'s
// transaction on behalf of the request service, which has already
// authorized the caller: the engine sees a system actor, the audit events
// keep the caller (`actor`). Events are appended to `s`.
template <typename Fn>
auto AsEngine(TxScope& s, const v1::Actor& actor, Fn&& fn)
    -> std::invoke_result_t<Fn, TxScope&> {
  ResolvedActor engine;
  engine.kind = ResolvedActor::Kind::kSystem;
  engine.id = "requests";
  TxScope inner(&s.tx(), std::move(engine), actor, s.now(), &s);
  inner.set_desk_time(true);
  auto result = fn(inner);
  s.TakeEvents(inner);
  return result;
}

// The SLA subject of a request of `org`.
v1::SlaSubject SubjectOf(const v1::ServiceRequest& r,
                         const v1::Organization& org);
// The same, loading the organisation (for its tier).
absl::StatusOr<v1::SlaSubject> SubjectOf(Transaction& tx,
                                         const v1::ServiceRequest& r);

// Pending changes to one request: state moves and events are collected and
// written by Save() (record first, then the events with its new version).
class RequestChange {
 public:
  RequestChange(TxScope& s, v1::ServiceRequest& r) : s_(s), r_(r) {}

  v1::ServiceRequest& request() { return r_; }

  // Moves to `to` if the lifecycle allows it and, when `from` is not empty,
  // the current state is one of `from` (FAILED_PRECONDITION
  // "state: cannot go from X to Y" otherwise); records history and a
  // "state_changed" event. `from` tells apart the ways into IN_PROGRESS:
  // Start (ASSIGNED), Resume (WAITING_ON_CLIENT), Reopen (RESOLVED, CLOSED).
  absl::Status MoveTo(v1::RequestState to, absl::string_view reason,
                      std::initializer_list<v1::RequestState> from = {});

  // Sets the assignee and records the assignment (by = `by`, or the actor's
  // label when empty) and an "assigned" event. Does not touch the clocks.
  void SetAssignee(const std::string& staff_id, absl::string_view by,
                   absl::string_view reason);

  // Queues event `action` with `details`, emitted by Save.
  void Note(std::string action,
            std::vector<std::pair<std::string, std::string>> details = {});

  // Saves the request with RequestIndexes and emits the collected events.
  absl::Status Save();

 private:
  TxScope& s_;
  v1::ServiceRequest& r_;
  struct PendingEvent {
    std::string action;
    std::vector<std::pair<std::string, std::string>> details;
  };
  std::vector<PendingEvent> events_;
};

// Records that the client was answered at now (a message or an outcome):
// the first answer sets first_response_at and stops the FIRST_RESPONSE
// clock; every answer is an update, so it stops an open PERIODIC_UPDATE
// clock, and the engine starts the next period from now.
absl::Status MarkResponse(DeskContext& ctx, TxScope& s, const v1::Actor& actor,
                          RequestChange& ch);

// Notes a "queued" event on `ch`: nobody eligible took the request, so the
// center heads (details["center_heads"], "none" if the center has none) are
// told why.
absl::Status NoteQueued(TxScope& s, RequestChange& ch, std::string reason);

// Refreshes the SLA subject (assignee, priority, kind) of the open clocks.
absl::Status RefreshClocks(DeskContext& ctx, TxScope& s, const v1::Actor& actor,
                           const v1::ServiceRequest& r);

// The staff member who should get `r` now: for MANAGER_CONTACT the
// organisation's active personal manager; otherwise the least-loaded active
// staff member of r.center_id() with the catalog's required role and an
// unexpired required qualification (ties: lower id). Returns the staff id;
// nullopt if nobody.
absl::StatusOr<std::optional<std::string>> PickAssignee(
    TxScope& s, const v1::ServiceRequest& r);

// OK if `m` holds the qualification the catalog requires for `kind` (if
// any), unexpired at `at`. Otherwise FAILED_PRECONDITION naming `field`.
// The one qualification rule for assignment, dialogs and visits.
absl::Status CheckQualifiedFor(const v1::StaffMember& m, v1::ServiceKind kind,
                               absl::Time at, absl::string_view field);

// OK if `m` may be given a request of `kind` at `at`: active, holding the
// catalog's required role and, when the kind needs one, its qualification
// unexpired at `at`. Otherwise FAILED_PRECONDITION naming `field` and the
// missing role or qualification.
absl::Status CheckMayTake(const v1::StaffMember& m, v1::ServiceKind kind,
                          absl::Time at, absl::string_view field);

// Assigns the request in `ch` to PickAssignee's choice (history entry, event,
// state ASSIGNED). False, with nothing changed, if nobody is eligible.
absl::StatusOr<bool> AssignAutomatically(TxScope& s, RequestChange& ch);

// Registers a new request: `r` carries organization_id, contact_id, kind,
// channel, priority, subject, description, installation_id, dialog_id (all
// validated by the caller). Fills id (if empty), center, state NEW,
// registered_at; picks the assignee (unless `auto_assign` is false), starts
// the SLA clocks, saves and emits "opened" and "assigned" or "queued".
absl::Status RegisterRequest(DeskContext& ctx, TxScope& s,
                             const v1::Actor& actor,
                             const v1::Organization& org, v1::ServiceRequest& r,
                             bool auto_assign);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_REQUESTS_REQUEST_CORE_H_
