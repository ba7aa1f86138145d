// The Desk: the facade an application opens to run a service center network.
//
// Example:
//   absl::StatusOr<std::unique_ptr<servicedesk::Desk>> desk =
//       servicedesk::Desk::Open("sqlite:/var/lib/sd/desk.db");
//   if (!desk.ok()) return desk.status();
//   auto admin = servicedesk::AdminActor("root");
//   servicedesk::v1::ServiceCenter c;
//   c.set_code("MSK-01"); c.set_name("Moscow"); c.set_region("Moscow");
//   c.set_time_zone("Europe/Moscow");
//   absl::StatusOr<servicedesk::v1::ServiceCenter> created =
//       (*desk)->centers().Create(admin, c);
//
// Every service method validates its input, checks the actor's permission,
// runs in one store transaction, appends an audit event in that same
// transaction, and returns absl::Status / absl::StatusOr. A refused or invalid
// call writes nothing. Subscribers (events().Subscribe) are called after
// commit.
//
// Thread-safety: a Desk and its area objects are safe for concurrent use from
// any number of threads. Several Desks (in one or several processes) may share
// one SQLite file; conflicting updates are detected by record versions.
#ifndef SERVICEDESK_DESK_H_
#define SERVICEDESK_DESK_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/clock.h"
#include "servicedesk/export.h"
#include "servicedesk/store.h"

namespace servicedesk {

class Centers;
class Organizations;
class Contacts;
class Staff;
class Managers;
class Events;
class Calendars;
class Sla;
class Requests;
class Dialogs;
class TechSupport;
class Reports;

namespace internal {
struct DeskContext;
}

// Options of the service-request area (requests.h, dialogs.h).
struct RequestOptions {
  // A resolved or closed request may be reopened until this long after its
  // resolution, that instant included; zero makes resolutions final.
  absl::Duration reopen_window = absl::Hours(14 * 24);
  // Dialogs::Position estimates the wait from this many most recently taken
  // dialogs of the center: 1..kMaxDialogWaitSamples.
  int dialog_wait_samples = 20;
};

inline constexpr int kMaxDialogWaitSamples = 1000;

struct DeskOptions {
  // Source of "now". Not owned; must outlive the Desk. nullptr = SystemClock().
  Clock* clock = nullptr;
  // Used when the URI selects SQLite.
  SqliteStoreOptions sqlite;
  // Service requests and online dialogs.
  RequestOptions requests;
};

class SD_EXPORT Desk {
 public:
  // Opens a desk on the store the URI names:
  //   "memory:"                 a fresh in-memory store
  //   "sqlite:/path/file.db"    SQLite (created if missing)
  //   "sqlite:/path/file.db?busy_timeout_ms=200&background_checkpoint=0"
  //                             SQLite with options (SqliteStoreOptions
  //                             fields; they override options.sqlite), so
  //                             that URI-only callers (C, Python, sdctl)
  //                             can set them
  //   "/path/file.db", "x.db"   a bare path means SQLite (taken as it is:
  //                             no options, '?' is part of the name)
  // Errors: INVALID_ARGUMENT for an empty URI, an unknown scheme, a memory
  // URI with anything after "memory:", or an unknown option or bad option
  // value (the message names "uri" and the option), or for out-of-range
  // options (a negative requests.reopen_window or sqlite.busy_timeout_ms,
  // requests.dialog_wait_samples outside 1..kMaxDialogWaitSamples; the
  // message names the field); UNAVAILABLE / FAILED_PRECONDITION from the
  // backend. Nothing is created when the URI or the options are refused.
  static absl::StatusOr<std::unique_ptr<Desk>> Open(
      absl::string_view uri, const DeskOptions& options = {});

  // Opens a desk over a store the caller built (custom backends, tests).
  // Unlike Open, it does not re-index a store written by an older release
  // (see docs/requests.md, "How it stays fast"): it is for new stores, or
  // stores this release wrote.
  static std::unique_ptr<Desk> OpenStore(std::unique_ptr<Store> store,
                                         const DeskOptions& options = {});

  ~Desk();
  Desk(const Desk&) = delete;
  Desk& operator=(const Desk&) = delete;

  Centers& centers();
  Organizations& organizations();
  Contacts& contacts();
  Staff& staff();
  Managers& managers();
  Events& events();
  Calendars& calendars();
  Sla& sla();
  Requests& requests();
  Dialogs& dialogs();
  TechSupport& techsupport();
  Reports& reports();

  // The underlying store and clock (owned by the desk / the caller).
  Store& store();
  const Clock& clock() const;

 private:
  explicit Desk(std::unique_ptr<internal::DeskContext> ctx);
  std::unique_ptr<internal::DeskContext> ctx_;
  struct Areas;
  std::unique_ptr<Areas> areas_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_DESK_H_
