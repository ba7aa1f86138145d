// Client organisations and their contacts.
//
// Who may call:
//   Organizations::Create/Update/Deactivate — network administrators; the
//     head and the personal managers of the organisation's center.
//   Contacts::Create/Update/Deactivate — the same, plus hotline specialists of
//     the organisation's center.
//   Get/List — administrators; staff of the organisation's center; a client
//     contact for its own organisation only.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal; PERMISSION_DENIED for an unknown or inactive actor or a refused
// call (nothing written); for a client contact another organisation, or its
// contact, reads as an unknown id (NOT_FOUND), and the calls only staff may
// make refuse a contact before looking anything up. Thread-safe.
#ifndef SERVICEDESK_CLIENTS_H_
#define SERVICEDESK_CLIENTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/org.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

struct OrganizationFilter {
  std::string center_id;  // "" = every center visible to the actor
  v1::ClientTier tier = v1::CLIENT_TIER_UNSPECIFIED;  // unspecified = any
  v1::ProfileTopic topic = v1::PROFILE_TOPIC_UNSPECIFIED;
  bool include_inactive = false;
};

class SD_EXPORT Organizations {
 public:
  explicit Organizations(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Creates an organisation (name, tax_id, tier, center_id, topics; name and
  // tax_id stored without surrounding whitespace) and, in
  // the same transaction, its first personal-manager assignment to
  // `manager_id` with `reason`. INVALID_ARGUMENT naming the field: empty or
  // over-long name; tax_id not a checksum-valid 10- or 12-digit INN;
  // unspecified tier or topic; empty manager_id. NOT_FOUND: center or manager.
  // FAILED_PRECONDITION: the center is inactive, or the manager is inactive,
  // of another center or lacks the personal-manager role. ALREADY_EXISTS: an
  // active organisation with that tax_id exists (an INN is unique among
  // active organisations: a client whose contract ended, deactivated, may
  // sign again as a new organisation; its old record and history stay).
  absl::StatusOr<v1::Organization> Create(
      const Actor& actor, const v1::Organization& org,
      absl::string_view manager_id,
      absl::string_view reason = "initial assignment");

  absl::StatusOr<v1::Organization> Get(const Actor& actor,
                                       absl::string_view id);

  // Replaces name, tax_id, tier and topics. center_id and manager_id cannot
  // change here (INVALID_ARGUMENT; use Managers::Reassign for the manager).
  // ABORTED if org.version() is stale. An organisation sent back unchanged
  // (after trimming) is returned as stored, same version and updated_at,
  // with no "updated" event: other holders' copies stay current.
  absl::StatusOr<v1::Organization> Update(const Actor& actor,
                                          const v1::Organization& org);

  // Marks inactive and closes the current manager assignment with `reason`;
  // its INN is free for a new organisation. There is no reactivation: the
  // `active` field of Update's input is ignored. Its contacts can no longer
  // act (PERMISSION_DENIED saying the organisation is inactive).
  absl::StatusOr<v1::Organization> Deactivate(
      const Actor& actor, absl::string_view id,
      absl::string_view reason = "deactivated");

  // In name order within each center (case-insensitive for Latin and Russian
  // letters, Ё sorting as Е; Latin names first). A filter's center_id that no
  // center has is NOT_FOUND for staff and administrators (a typo is not an
  // empty answer); staff naming another center get PERMISSION_DENIED; for a
  // client contact another center's (or an unknown) id just matches nothing.
  absl::StatusOr<Page<v1::Organization>> List(
      const Actor& actor, const OrganizationFilter& filter = {},
      const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

class SD_EXPORT Contacts {
 public:
  explicit Contacts(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Creates a contact (organization_id, full_name, position, email, phone;
  // text stored without surrounding whitespace).
  // INVALID_ARGUMENT naming the field: empty/over-long full_name, over-long
  // position, malformed email or phone. NOT_FOUND: organisation.
  // FAILED_PRECONDITION: the organisation is inactive. ALREADY_EXISTS: an
  // active contact with that email exists (letter case ignored, Latin and
  // Russian). Internationalized addresses (иван@пример.рф) are accepted.
  absl::StatusOr<v1::Contact> Create(const Actor& actor,
                                     const v1::Contact& contact);
  absl::StatusOr<v1::Contact> Get(const Actor& actor, absl::string_view id);
  // Replaces full_name, position, email, phone; ABORTED if stale. A contact
  // sent back unchanged (after trimming) is returned as stored, same version
  // and updated_at, with no "updated" event.
  absl::StatusOr<v1::Contact> Update(const Actor& actor,
                                     const v1::Contact& contact);
  absl::StatusOr<v1::Contact> Deactivate(const Actor& actor,
                                         absl::string_view id);
  // Contacts of one organisation, in name order (as Organizations::List).
  absl::StatusOr<Page<v1::Contact>> List(const Actor& actor,
                                         absl::string_view organization_id,
                                         bool include_inactive = false,
                                         const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_CLIENTS_H_
