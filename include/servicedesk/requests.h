// Service requests on every channel: registration with SLA clocks,
// assignment to qualified staff, the lifecycle, hotline outcomes and the
// client's satisfaction rating.
//
// Lifecycle (RequestState; any other move is FAILED_PRECONDITION
// "state: cannot go from RESOLVED to WAITING_ON_CLIENT"):
//
//   NEW ──Assign──► ASSIGNED ──Start/Respond──► IN_PROGRESS
//   IN_PROGRESS ──WaitOnClient──► WAITING_ON_CLIENT ──Resume──► IN_PROGRESS
//   IN_PROGRESS, WAITING_ON_CLIENT ──Resolve──► RESOLVED ──Close──► CLOSED
//   RESOLVED, CLOSED ──Reopen──► IN_PROGRESS
//       (within RequestOptions::reopen_window of the resolution)
//   NEW, ASSIGNED, IN_PROGRESS, WAITING_ON_CLIENT ──Cancel(reason)──►
//       CANCELLED
//   Respond and RecordOutcome on a WAITING_ON_CLIENT request leave it
//   waiting (the answer is recorded; the client still owes a reply).
//
// SLA: Open starts the request's clocks (subject id = request id) in the same
// transaction; WaitOnClient pauses them and Resume resumes them; the first
// Respond or RecordOutcome stops FIRST_RESPONSE; Resolve stops RESOLUTION
// (and every other open clock); Cancel cancels every clock of the request,
// stopped ones included; Reopen starts
// a fresh RESOLUTION clock from the reopen instant; ChangePriority and
// ChangeKind recompute the open clocks' targets from their original start.
//
// Assignment (at Open, AssignQueued): the least-loaded active staff member of
// the request's center who has the catalog's required role and an unexpired
// required qualification for the kind; load = open requests currently
// assigned; ties go to the lower staff id (ids compare by length, then bytes,
// so "staff-9" precedes "staff-10"). MANAGER_CONTACT requests go to the
// organisation's personal manager. With nobody eligible the request stays
// NEW, unassigned, in the center's queue, and a "queued" event names the
// center head(s) in details["center_heads"].
//
// Example:
//   v1::ServiceRequest draft;
//   draft.set_organization_id(org_id);
//   draft.set_kind(v1::SERVICE_KIND_HOTLINE_QUESTION);
//   draft.set_channel(v1::CHANNEL_PHONE_HOTLINE);
//   draft.set_subject("How do I find the current Tax Code?");
//   auto req = desk->requests().Open(ContactActor(contact_id), draft);
//   auto me = StaffActor(req->assignee_id());
//   req = desk->requests().Respond(me, req->id(), req->version(), "Use ...");
//   req = desk->requests().Resolve(me, req->id(), req->version(), "answered");
//   desk->requests().Rate(ContactActor(contact_id), req->id(), req->version(),
//                         5, "thanks");
//
// Who may call (beyond the per-method notes):
//   Get/List — network administrators; staff of the request's center; client
//     contacts of the request's organisation.
//   Work on a request (Start, WaitOnClient, Respond, RecordOutcome, Resolve,
//     ChangePriority, ChangeKind) — administrators and staff of the request's
//     center.
//   Assign — administrators, the center head and the current assignee (who
//     hands the request over). AssignQueued/Queue — administrators and staff of
//     the center.
//   Resume, Close, Cancel, Reopen — as "work", plus the request's contact (any
//     contact of the organisation when the request has none).
//   Rate — only the request's contact (any contact of the organisation when
//     the request has none).
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal or a malformed argument (the message starts with the field name);
// PERMISSION_DENIED for an unknown/inactive actor or a refused call; NOT_FOUND
// for an unknown request id ("id: request 'req-9' not found"), also given to
// a client contact for another organisation's request (contacts are not told
// which ids exist); ABORTED when
// `version` is not the stored version (the message names the current version;
// nothing is written: re-read with Get and retry). A refused or failed call
// writes nothing. Requests of kind ONLINE_DIALOG belong to their dialog:
// Start, WaitOnClient, Resume, Respond, Resolve, Reopen, Cancel, Assign and
// ChangeKind refuse them (FAILED_PRECONDITION naming "dialog_id"; use
// Dialogs); RecordOutcome, Close, ChangePriority and Rate accept them.
//
// Every mutation appends events (entity_type "request"; actions "opened",
// "assigned", "queued", "state_changed", "responded", "outcome_recorded",
// "resolved", "closed", "reopened", "cancelled", "rated", "priority_changed",
// "kind_changed") and the SLA engine's "sla_clock" events in the same
// transaction.
//
// Thread-safety: safe for concurrent use; conflicting updates of one request
// are detected by versions (ABORTED), never lost.
#ifndef SERVICEDESK_REQUESTS_H_
#define SERVICEDESK_REQUESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

// Filters for Requests::List. Empty / UNSPECIFIED fields match anything.
struct RequestFilter {
  std::string center_id;
  std::string organization_id;
  v1::RequestState state = v1::REQUEST_STATE_UNSPECIFIED;
  std::string assignee_id;
  v1::ServiceKind kind = v1::SERVICE_KIND_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
};

class SD_EXPORT Requests {
 public:
  explicit Requests(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Registers a request from `draft`: organization_id (required of staff and
  // administrators; a contact actor's own organisation when empty), contact_id
  // (optional; a contact actor may only name itself and is filled in when
  // empty), kind, channel, priority (UNSPECIFIED = NORMAL), subject
  // (1..300 characters), description (0..20000), installation_id (required
  // for TECH_INSTALLATION/SETUP/RECOVERY/EMERGENCY; must be an active
  // installation of the same organisation). registered_at = the desk clock's
  // now. Starts the SLA clocks and assigns the request (see the header
  // comment) in the same transaction.
  // Who: administrators, staff of the organisation's center, contacts of the
  // organisation (for it only, with themselves as contact).
  // INVALID_ARGUMENT naming the field: unknown/unspecified kind or channel,
  // kind or channel ONLINE_DIALOG (use Dialogs::Open), bad subject or
  // description, missing installation_id, a contact of another
  // organisation (named by staff or an administrator).
  // PERMISSION_DENIED: a contact actor naming another contact.
  // NOT_FOUND: organization_id, contact_id, installation_id unknown — and
  // an installation of another organisation, or (for a contact actor)
  // another organisation, reads as unknown: the message is the same.
  // FAILED_PRECONDITION: inactive organisation, contact or installation;
  // the center has no business calendar.
  absl::StatusOr<v1::ServiceRequest> Open(const Actor& actor,
                                          const v1::ServiceRequest& draft);

  absl::StatusOr<v1::ServiceRequest> Get(const Actor& actor,
                                         absl::string_view id);

  // Requests matching `filter`, oldest registration first within the index
  // used (assignee, organisation, center+state, state or center). A client
  // contact sees only its organisation (PERMISSION_DENIED for another
  // organisation_id); staff only their center (PERMISSION_DENIED for another
  // center_id; an organisation_id of another center matches nothing).
  // INVALID_ARGUMENT: negative page_size, a page_token malformed or of
  // another query (see PageRequest), an enum
  // number no value has. NOT_FOUND naming the field: a center_id,
  // organization_id or assignee_id no record has (for staff and
  // administrators; a contact's filter just matches nothing).
  absl::StatusOr<Page<v1::ServiceRequest>> List(const Actor& actor,
                                                const RequestFilter& filter,
                                                const PageRequest& page = {});

  // The center's queue: NEW requests without an assignee, oldest first.
  // NOT_FOUND: center.
  absl::StatusOr<Page<v1::ServiceRequest>> Queue(const Actor& actor,
                                                 absl::string_view center_id,
                                                 const PageRequest& page = {});

  // Assigns the center's queued requests, oldest first, to eligible staff
  // (same rule as at Open); those still without anyone eligible stay queued.
  // Processes at most 1000 requests per call. Returns the requests assigned.
  absl::StatusOr<std::vector<v1::ServiceRequest>> AssignQueued(
      const Actor& actor, absl::string_view center_id);

  // Manually (re)assigns an open request to `staff_id`, who must be an active
  // member of the request's center holding the kind's required role and, when
  // the kind needs one, its qualification unexpired now (else
  // FAILED_PRECONDITION naming "staff_id"; NOT_FOUND if unknown). The
  // assignment history keeps every move with `reason` (1..500 characters). A
  // NEW request becomes ASSIGNED; other states are kept. FAILED_PRECONDITION:
  // the request is resolved, closed or cancelled, or already assigned to
  // `staff_id`.
  absl::StatusOr<v1::ServiceRequest> Assign(const Actor& actor,
                                            absl::string_view id,
                                            int64_t version,
                                            absl::string_view staff_id,
                                            absl::string_view reason);

  // ASSIGNED -> IN_PROGRESS.
  absl::StatusOr<v1::ServiceRequest> Start(const Actor& actor,
                                           absl::string_view id,
                                           int64_t version);

  // IN_PROGRESS -> WAITING_ON_CLIENT; pauses the SLA clocks. `reason`
  // (1..2000 characters) is what the client is asked for.
  absl::StatusOr<v1::ServiceRequest> WaitOnClient(const Actor& actor,
                                                  absl::string_view id,
                                                  int64_t version,
                                                  absl::string_view reason);

  // WAITING_ON_CLIENT -> IN_PROGRESS; resumes the SLA clocks. `text`
  // (0..5000 characters) is the client's answer, kept in messages when set.
  absl::StatusOr<v1::ServiceRequest> Resume(const Actor& actor,
                                            absl::string_view id,
                                            int64_t version,
                                            absl::string_view text = "");

  // A staff response (text 1..5000 characters), kept in messages. The first
  // one sets first_response_at and stops the FIRST_RESPONSE clock. An
  // ASSIGNED request moves to IN_PROGRESS. Who: staff of the center and
  // administrators. FAILED_PRECONDITION: NEW (assign it first), resolved,
  // closed or cancelled requests.
  absl::StatusOr<v1::ServiceRequest> Respond(const Actor& actor,
                                             absl::string_view id,
                                             int64_t version,
                                             absl::string_view text);

  // Records a hotline outcome: an answer (1..20000 characters), a document
  // selection (1..100 documents in order, each with a distinct document_id
  // of 1..64 characters; title 0..500; notes 0..2000) or an enrollment (kind
  // "training" or "seminar", reference_id 1..64). recorded_at/recorded_by are
  // filled in. Counts as the first response like Respond; same states.
  absl::StatusOr<v1::ServiceRequest> RecordOutcome(
      const Actor& actor, absl::string_view id, int64_t version,
      const v1::RequestOutcome& outcome);

  // IN_PROGRESS or WAITING_ON_CLIENT -> RESOLVED with a resolution note
  // (1..5000 characters); stops the RESOLUTION clock (and every other open
  // clock). FAILED_PRECONDITION naming "visits" (and the first few of them)
  // while a technical request has SCHEDULED visits: mark each done
  // (TechSupport::CompleteVisit) or cancel it first, so that the record of
  // what happened on site is never left open.
  absl::StatusOr<v1::ServiceRequest> Resolve(const Actor& actor,
                                             absl::string_view id,
                                             int64_t version,
                                             absl::string_view resolution);

  // RESOLVED -> CLOSED.
  absl::StatusOr<v1::ServiceRequest> Close(const Actor& actor,
                                           absl::string_view id,
                                           int64_t version);

  // RESOLVED or CLOSED -> IN_PROGRESS while the desk clock is within
  // RequestOptions::reopen_window of resolved_at, its last instant included
  // (else FAILED_PRECONDITION naming "reopen_window"; always so when the
  // window is zero). `reason` 1..2000 characters. Starts a fresh
  // RESOLUTION clock from now; increments reopen_count; clears resolved_at
  // and closed_at.
  absl::StatusOr<v1::ServiceRequest> Reopen(const Actor& actor,
                                            absl::string_view id,
                                            int64_t version,
                                            absl::string_view reason);

  // Any open state -> CANCELLED; `reason` (1..2000 characters) is required.
  // Cancels the request's SLA clocks (it is neither met nor breached) and,
  // for a technical request, its scheduled visits (the engineers' slots are
  // free again; a "visit cancelled" event each).
  absl::StatusOr<v1::ServiceRequest> Cancel(const Actor& actor,
                                            absl::string_view id,
                                            int64_t version,
                                            absl::string_view reason);

  // The client's satisfaction with a RESOLVED or CLOSED request: score 1..5
  // (else INVALID_ARGUMENT naming "score"), comment 0..2000 characters.
  // Once per request: a second rating is ALREADY_EXISTS naming "rating".
  // FAILED_PRECONDITION naming "state" before resolution.
  absl::StatusOr<v1::ServiceRequest> Rate(const Actor& actor,
                                          absl::string_view id, int64_t version,
                                          int score,
                                          absl::string_view comment = "");

  // Changes the priority of an open request (not UNSPECIFIED) and recomputes
  // its open SLA clocks from their original start. FAILED_PRECONDITION: the
  // request is not open, or already has that priority.
  absl::StatusOr<v1::ServiceRequest> ChangePriority(const Actor& actor,
                                                    absl::string_view id,
                                                    int64_t version,
                                                    v1::Priority priority);

  // Changes the kind of an open request and recomputes its open SLA clocks.
  // The assignee is kept while it may take the new kind (role, unexpired
  // qualification; for MANAGER_CONTACT, while it is the organisation's
  // personal manager, if it has an active one); otherwise the request moves, as
  // at Open, to the least-loaded eligible staff member (a MANAGER_CONTACT
  // request to the organisation's personal manager), with a history entry "kind
  // changed to
  // ...". A queued NEW request is assigned when someone is now eligible.
  // Moving an assigned request takes what Assign takes: an administrator,
  // the center head or the assignee (else PERMISSION_DENIED).
  // FAILED_PRECONDITION naming "kind" when nobody at the center may take the
  // new kind and the assignee may not either. A technical kind
  // needs the request to reference an installation (INVALID_ARGUMENT naming
  // "installation_id") that is active (FAILED_PRECONDITION naming
  // "installation_id"); a technical request with scheduled visits may not
  // become non-technical (FAILED_PRECONDITION naming "kind" and the visit);
  // ONLINE_DIALOG is refused (INVALID_ARGUMENT "kind").
  absl::StatusOr<v1::ServiceRequest> ChangeKind(const Actor& actor,
                                                absl::string_view id,
                                                int64_t version,
                                                v1::ServiceKind kind);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_REQUESTS_H_
