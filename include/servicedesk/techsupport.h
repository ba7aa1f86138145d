// Technical support: the client's installations of the system and on-site
// visits of engineers.
//
// Requests of kinds TECH_INSTALLATION, TECH_SETUP, TECH_RECOVERY and
// TECH_EMERGENCY are opened with Requests::Open and must name an active
// installation of the same organisation (installation_id). TECH_EMERGENCY
// (system down) has its own, tighter targets: the catalog gives 15 minutes to
// first response and 4 hours to resolution, around the clock (24/7).
//
// A visit books an engineer (an active staff member with the ENGINEER role in
// the request's center and the catalog's qualification for the request's
// kind, valid through the whole slot: valid_until >= slot_end) for a
// half-open slot [slot_start, slot_end) of at most 24 hours (an on-site visit
// is one working day at most), starting no earlier than the request's
// registration and at most 730 days (2 years) after now. A slot that
// overlaps another SCHEDULED visit of the same engineer is refused; the check
// looks only at the neighbouring visits in an index on (engineer, slot
// start), never at all visits. A technical request is resolved only once its
// visits are done or cancelled (Requests::Resolve), and an engineer with
// visits that have not ended is not deactivated (Staff::Deactivate).
//
// Installation text (product_version, installed_sets, address) is stored
// without surrounding whitespace; a required value of whitespace alone is
// empty.
//
// Example:
//   v1::Installation inst;
//   inst.set_organization_id(org_id);
//   inst.set_product_version("2025.1");
//   inst.set_workstations(12);
//   inst.set_network(true);
//   inst.add_installed_sets("federal-law");
//   inst.set_address("Moscow, Tverskaya 1");
//   auto created = desk->techsupport().CreateInstallation(staff, inst);
//   ... open a TECH_SETUP request with installation_id = created->id() ...
//   v1::Visit v;
//   v.set_request_id(req_id);
//   v.set_engineer_id(engineer_id);
//   *v.mutable_slot_start() = ...; *v.mutable_slot_end() = ...;
//   auto visit = desk->techsupport().ScheduleVisit(staff, v);
//
// Who may call:
//   CreateInstallation/UpdateInstallation — administrators and staff of the
//     organisation's center.
//   GetInstallation/ListInstallations, GetVisit/ListVisits — administrators,
//     staff of the center, contacts of the organisation.
//   ScheduleVisit/CompleteVisit/CancelVisit — administrators and staff of the
//     request's center.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal or a malformed argument (message starts with the field name);
// PERMISSION_DENIED for an unknown/inactive actor or a refused call (nothing
// written); NOT_FOUND for unknown ids — and for a client contact another
// organisation's installation, visit or request reads as unknown (contacts
// are not told which ids exist); ABORTED when a given version is stale.
//
// Events: entity_type "installation" ("created", "updated") and "visit"
// ("scheduled", "completed", "cancelled").
//
// Thread-safety: safe for concurrent use.
#ifndef SERVICEDESK_TECHSUPPORT_H_
#define SERVICEDESK_TECHSUPPORT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/requests.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

class SD_EXPORT TechSupport {
 public:
  explicit TechSupport(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Registers an installation: organization_id, product_version (1..50
  // characters), workstations (>= 1), network, installed_sets (0..200 entries,
  // each 1..100 characters, no repeats), address (0..500). The text fields
  // are trimmed of surrounding whitespace first, and the limits apply to what
  // is stored: a version or set of spaces alone is empty, and " accounting"
  // repeats "accounting". Created active. INVALID_ARGUMENT naming the field
  // ("installed_sets[2]: repeated set"); NOT_FOUND: organization_id;
  // FAILED_PRECONDITION: inactive organisation.
  absl::StatusOr<v1::Installation> CreateInstallation(
      const Actor& actor, const v1::Installation& installation);

  // Replaces product_version, workstations, network, installed_sets, address
  // and active (same rules, trimmed alike). organization_id cannot change
  // (INVALID_ARGUMENT). ABORTED if installation.version() is stale. An
  // installation sent back unchanged (after trimming) is returned as stored,
  // same version and updated_at, with no "updated" event.
  absl::StatusOr<v1::Installation> UpdateInstallation(
      const Actor& actor, const v1::Installation& installation);

  absl::StatusOr<v1::Installation> GetInstallation(const Actor& actor,
                                                   absl::string_view id);

  // The organisation's installations in creation order.
  absl::StatusOr<Page<v1::Installation>> ListInstallations(
      const Actor& actor, absl::string_view organization_id,
      const PageRequest& page = {});

  // Books an on-site visit for an open technical request: request_id,
  // engineer_id, slot_start, slot_end, notes (0..2000). The slot
  // [slot_start, slot_end) ends after it starts and lasts at most 24 hours
  // (an on-site visit is one working day at most: book a longer job as one
  // visit per day); slot_start is no earlier than the request's
  // registered_at and at most 730 days after now (a slot in year 1 or years
  // ahead is a typo, not a booking). The installation, center and
  // organisation come from the request.
  // INVALID_ARGUMENT naming the field (a missing slot_start or slot_end:
  // that field, "slot_start: required" or "slot_end: required"; an empty or
  // over-long slot: "slot_end"; one before registration or beyond the
  // horizon: "slot_start"; a request of a non-technical kind: "request_id");
  // NOT_FOUND: request_id, engineer_id;
  // FAILED_PRECONDITION: the request is not open; its installation is
  // inactive (naming "installation_id"); the engineer is inactive,
  // of another center, not an engineer or without the kind's qualification
  // valid through the slot (naming "engineer_id"); the slot overlaps another
  // scheduled visit of the engineer (naming that visit). Cancelling the
  // request (Requests::Cancel) cancels its scheduled visits; resolving it
  // (Requests::Resolve) is refused while any is still scheduled.
  absl::StatusOr<v1::Visit> ScheduleVisit(const Actor& actor,
                                          const v1::Visit& visit);

  // SCHEDULED -> DONE with notes (0..2000 characters), added on a line of
  // their own after the planning notes, which stay. FAILED_PRECONDITION
  // naming slot_start before the visit begins.
  absl::StatusOr<v1::Visit> CompleteVisit(const Actor& actor,
                                          absl::string_view id, int64_t version,
                                          absl::string_view notes);

  // SCHEDULED -> CANCELLED with a reason (1..2000 characters), added to the
  // notes as "cancelled: <reason>"; frees the engineer's slot.
  absl::StatusOr<v1::Visit> CancelVisit(const Actor& actor,
                                        absl::string_view id, int64_t version,
                                        absl::string_view reason);

  absl::StatusOr<v1::Visit> GetVisit(const Actor& actor, absl::string_view id);

  // The visits of a request, in slot order (visits of one start in booking
  // order).
  absl::StatusOr<Page<v1::Visit>> ListVisits(const Actor& actor,
                                             absl::string_view request_id,
                                             const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_TECHSUPPORT_H_
