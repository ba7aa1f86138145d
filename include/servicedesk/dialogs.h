// Online dialogs: the chat a client opens from inside the product
// ("Ask a question") and a hotline specialist answers in real time.
//
// A dialog is the transcript of one service request of kind and channel
// ONLINE_DIALOG (dialog.request_id / request.dialog_id); every message is
// also appended to that request's `messages`, so the request carries the
// whole transcript. Open registers that
// request and starts its SLA clocks (catalog default: first response 60 s on
// the center's hotline calendar, its business calendar when it has none,
// unless a policy rule says otherwise); the dialog
// waits in its center's queue in arrival order until a specialist takes it.
//
//   WAITING ──Take/TakeSpecific──► ACTIVE ──Close──► CLOSED
//      └──────────────── Close ──────────────────────┘
//
// The request follows: Take moves it NEW -> ASSIGNED -> IN_PROGRESS with the
// specialist as assignee; the specialist's first Post is its first response
// (stops FIRST_RESPONSE); Handover reassigns it; Close of an ACTIVE dialog
// resolves it, Close of a WAITING dialog (nobody took it) cancels it.
//
// Expected wait (Position): rounds × the average queue wait of the center's
// last RequestOptions::dialog_wait_samples taken dialogs (each measured in
// business time on its first-response clock's calendar, from opened_at to
// taken_at); with no history yet, rounds × this dialog's first-response
// target. rounds = ceil(position / available_specialists), where
// available_specialists is how many of the center's hotline specialists
// could take the dialog now (active, with the unexpired qualification Take
// requires, not away): three of them take the first three dialogs in one
// round. With none available, rounds = position (as for one specialist).
// It is an estimate for the client, not a promise. expected_at is when that
// much business time from now ends on the same calendar.
//
// Example:
//   auto d = desk->dialogs().Open(ContactActor(contact_id), "VAT refunds",
//                                 "Where is the new VAT refund form?");
//   auto where = desk->dialogs().Position(ContactActor(contact_id), d->id());
//   auto taken = desk->dialogs().Take(StaffActor(specialist_id));
//   desk->dialogs().Post(StaffActor(specialist_id), taken->id(), "Hello! ...");
//   desk->dialogs().Close(ContactActor(contact_id), taken->id());
//
// Who may call:
//   Open — client contacts (for their own organisation).
//   Get/Position — administrators, staff of the dialog's center, contacts of
//     the dialog's organisation. List — the same, limited to what they see.
//   Take/TakeSpecific — active hotline specialists of the dialog's center.
//   Post — the dialog's contact and its current specialist.
//   Handover — administrators, the center head and the current specialist.
//   SetAvailable — administrators, the center head and the specialist
//     themself. Presence — administrators and staff of the center.
//   Close — the dialog's contact, its current specialist, the center head and
//     administrators.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal or a malformed argument (message starts with the field name);
// PERMISSION_DENIED for an unknown/inactive actor or a refused call (nothing
// written); NOT_FOUND for an unknown dialog ("id: dialog 'dialog-9' not
// found"), and for a client contact another organisation's dialog reads as
// unknown (contacts are not told which ids exist). Dialog calls take no
// version: a message or a take is never lost to a concurrent one (conflicting
// commits are retried internally up to 5 times, then ABORTED).
//
// Events: entity_type "dialog", actions "opened", "taken", "message_posted",
// "handed_over", "closed"; the request's own events ("opened", "assigned",
// "state_changed", "responded", "resolved", "cancelled") and the SLA
// engine's, in the same transaction.
//
// Thread-safety: safe for concurrent use.
#ifndef SERVICEDESK_DIALOGS_H_
#define SERVICEDESK_DIALOGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

// Filters for Dialogs::List; empty / UNSPECIFIED match anything.
struct DialogFilter {
  std::string center_id;
  std::string organization_id;
  v1::DialogState state = v1::DIALOG_STATE_UNSPECIFIED;
};

class SD_EXPORT Dialogs {
 public:
  explicit Dialogs(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Opens a dialog for the calling contact: topic (1..300 characters) and the
  // first message (1..5000). Creates its ONLINE_DIALOG request (subject =
  // topic, description = first message), starts the clocks and queues the
  // dialog. PERMISSION_DENIED for anyone but a contact. FAILED_PRECONDITION:
  // the center has no business calendar, or the calendar a target runs on
  // (the hotline's) never reaches its due time (naming calendar_id; e.g. a
  // stored calendar left with no open hours). Nothing is written then.
  absl::StatusOr<v1::Dialog> Open(const Actor& actor, absl::string_view topic,
                                  absl::string_view first_message);

  absl::StatusOr<v1::Dialog> Get(const Actor& actor, absl::string_view id);

  // Dialogs in opening order (per center, or per organisation when
  // organization_id is set). Contacts see only their organisation, staff only
  // their center (PERMISSION_DENIED when the filter names another). A
  // center_id or organization_id no record has is NOT_FOUND naming it (for
  // staff and administrators).
  absl::StatusOr<Page<v1::Dialog>> List(const Actor& actor,
                                        const DialogFilter& filter,
                                        const PageRequest& page = {});

  // The calling specialist takes the oldest waiting dialog of their center.
  // PERMISSION_DENIED unless the actor is an active hotline specialist;
  // FAILED_PRECONDITION naming "actor" if the specialist lacks an unexpired
  // qualification the catalog requires for ONLINE_DIALOG ("hotline") or is
  // away (SetAvailable); NOT_FOUND naming
  // "queue" when no dialog is waiting.
  absl::StatusOr<v1::Dialog> Take(const Actor& actor);

  // Takes a given waiting dialog (out of order). FAILED_PRECONDITION naming
  // "state" if it is not waiting.
  absl::StatusOr<v1::Dialog> TakeSpecific(const Actor& actor,
                                          absl::string_view id);

  // Appends a message (1..5000 characters) with the desk clock's time. The
  // contact may write while the dialog waits or is active; the specialist
  // while active. The specialist's first message stops the request's
  // FIRST_RESPONSE clock. FAILED_PRECONDITION naming "state" on a closed
  // dialog.
  absl::StatusOr<v1::Dialog> Post(const Actor& actor, absl::string_view id,
                                  absl::string_view text);

  // Hands an active dialog over to `to_staff_id`, an active hotline
  // specialist of the same center with the unexpired qualification Take
  // requires (FAILED_PRECONDITION naming "to_staff_id" otherwise, NOT_FOUND
  // if unknown); recorded in handovers and in the
  // request's assignments with `reason` (1..500 characters).
  absl::StatusOr<v1::Dialog> Handover(const Actor& actor, absl::string_view id,
                                      absl::string_view to_staff_id,
                                      absl::string_view reason);

  // Marks hotline specialist `staff_id` available for online dialogs or away
  // (`available` false): an away specialist's Take/TakeSpecific is
  // FAILED_PRECONDITION naming "actor", and dialogs cannot be handed over to
  // them (naming "to_staff_id"); dialogs they already hold stay theirs.
  // Specialists are available until they first step away. Who: the
  // specialist themself, the center head, administrators. NOT_FOUND naming
  // "staff_id"; FAILED_PRECONDITION naming "staff_id" for someone who is not
  // an active hotline specialist. Setting the current value again changes
  // nothing and returns the record. Emits dialog_presence/available|away.
  absl::StatusOr<v1::DialogPresence> SetAvailable(const Actor& actor,
                                                  absl::string_view staff_id,
                                                  bool available);

  // The presence of hotline specialist `staff_id` (version 0 and available
  // when never set). Who: administrators and staff of their center.
  // NOT_FOUND naming "staff_id"; FAILED_PRECONDITION naming "staff_id" for
  // someone who is not an active hotline specialist (as SetAvailable).
  absl::StatusOr<v1::DialogPresence> Presence(const Actor& actor,
                                              absl::string_view staff_id);

  // Closes the dialog (resolving its request when it was active, cancelling
  // it when nobody had taken it). FAILED_PRECONDITION naming "state" if
  // already closed.
  absl::StatusOr<v1::Dialog> Close(const Actor& actor, absl::string_view id);

  // Where a waiting dialog stands in its center's queue and the expected
  // wait (see the header comment). FAILED_PRECONDITION naming "state" if the
  // dialog is not waiting.
  absl::StatusOr<v1::QueuePosition> Position(const Actor& actor,
                                             absl::string_view id);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_DIALOGS_H_
