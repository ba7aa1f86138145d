// Service centers of the network.
//
// Who may call: Create/Deactivate — network administrators. Update — network
// administrators and the center's head. Get/List — anyone: staff and client
// contacts see only their own center, administrators every center.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal; PERMISSION_DENIED for an unknown or inactive actor or a refused
// call (nothing written). Thread-safe.
#ifndef SERVICEDESK_CENTERS_H_
#define SERVICEDESK_CENTERS_H_

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

struct CenterFilter {
  std::string region;  // "" = any
  bool include_inactive = false;
};

class SD_EXPORT Centers {
 public:
  explicit Centers(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Creates a center from code, name, region, time_zone and the optional
  // calendar_id and hotline_calendar_id (other fields are ignored; name and
  // region are stored without surrounding whitespace). Returns
  // the stored record (id, version 1, times set, active). INVALID_ARGUMENT
  // naming the field: code not [A-Z0-9-]{2,16}; empty or over-long
  // name/region; unknown time zone. NOT_FOUND naming the field: calendar_id
  // or hotline_calendar_id names no calendar. ALREADY_EXISTS: the code is
  // taken.
  absl::StatusOr<v1::ServiceCenter> Create(const Actor& actor,
                                           const v1::ServiceCenter& center);

  // NOT_FOUND if no such center.
  absl::StatusOr<v1::ServiceCenter> Get(const Actor& actor,
                                        absl::string_view id);

  // Looks a center up by its code. NOT_FOUND if none.
  absl::StatusOr<v1::ServiceCenter> GetByCode(const Actor& actor,
                                              absl::string_view code);

  // Replaces name, region, time_zone, calendar_id and hotline_calendar_id of
  // center.id() (validated as in Create). Clocks already running keep the
  // calendar they started on. The code cannot change (INVALID_ARGUMENT).
  // center.version() must be the stored version, else ABORTED (stale) and
  // nothing is written. A center sent back unchanged (after trimming) is
  // returned as stored, same version and updated_at, and no "updated" event
  // is written: other holders' copies stay current.
  absl::StatusOr<v1::ServiceCenter> Update(const Actor& actor,
                                           const v1::ServiceCenter& center);

  // Marks the center inactive (records are never deleted: the audit log refers
  // to them). FAILED_PRECONDITION while it has active organizations or staff.
  absl::StatusOr<v1::ServiceCenter> Deactivate(const Actor& actor,
                                               absl::string_view id);

  // Centers visible to the actor in code order.
  absl::StatusOr<Page<v1::ServiceCenter>> List(const Actor& actor,
                                               const CenterFilter& filter = {},
                                               const PageRequest& page = {});

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_CENTERS_H_
