#include "servicedesk/desk.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/core/desk_context.h"
#include "lib/maintenance/index_format.h"
#include "servicedesk/centers.h"
#include "servicedesk/clients.h"
#include "servicedesk/common.h"
#include "servicedesk/dialogs.h"
#include "servicedesk/events.h"
#include "servicedesk/managers.h"
#include "servicedesk/reports.h"
#include "servicedesk/requests.h"
#include "servicedesk/sla.h"
#include "servicedesk/staff.h"
#include "servicedesk/techsupport.h"

namespace servicedesk {

Actor AdminActor(std::string login) {
  Actor a;
  a.set_admin(std::move(login));
  return a;
}
Actor StaffActor(std::string staff_id) {
  Actor a;
  a.set_staff_id(std::move(staff_id));
  return a;
}
Actor ContactActor(std::string contact_id) {
  Actor a;
  a.set_contact_id(std::move(contact_id));
  return a;
}
Actor SystemActor(std::string component) {
  Actor a;
  a.set_system(std::move(component));
  return a;
}

struct Desk::Areas {
  explicit Areas(internal::DeskContext* c)
      : centers(c),
        organizations(c),
        contacts(c),
        staff(c),
        managers(c),
        events(c),
        calendars(c),
        sla(c),
        requests(c),
        dialogs(c),
        techsupport(c),
        reports(c) {}
  Centers centers;
  Organizations organizations;
  Contacts contacts;
  Staff staff;
  Managers managers;
  Events events;
  Calendars calendars;
  Sla sla;
  Requests requests;
  Dialogs dialogs;
  TechSupport techsupport;
  Reports reports;
};

Desk::Desk(std::unique_ptr<internal::DeskContext> ctx)
    : ctx_(std::move(ctx)), areas_(std::make_unique<Areas>(ctx_.get())) {}
Desk::~Desk() = default;

namespace {

// "sqlite:PATH?name=value&...": the SQLite store's options, so that callers
// who only pass a URI (the C ABI, Python, sdctl) can set them. The values
// override DeskOptions::sqlite.
absl::Status ApplySqliteQuery(absl::string_view query,
                              SqliteStoreOptions& options) {
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    if (pair.empty()) continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    const absl::string_view name = kv.first, value = kv.second;
    if (name == "busy_timeout_ms") {
      int ms = 0;
      if (!absl::SimpleAtoi(value, &ms) || ms < 0)
        return absl::InvalidArgumentError(absl::StrCat(
            "uri: busy_timeout_ms must be a whole number of milliseconds >= 0, "
            "got '",
            value, "'"));
      options.busy_timeout_ms = ms;
    } else if (name == "background_checkpoint") {
      if (value == "1" || value == "true") {
        options.background_checkpoint = true;
      } else if (value == "0" || value == "false") {
        options.background_checkpoint = false;
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "uri: background_checkpoint must be 0, 1, true or false, got '",
            value, "'"));
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("uri: unknown SQLite option '", name,
                       "' (known: busy_timeout_ms, background_checkpoint)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOptions(const DeskOptions& options) {
  if (options.requests.reopen_window < absl::ZeroDuration())
    return absl::InvalidArgumentError(
        absl::StrCat("requests.reopen_window: must not be negative, got ",
                     absl::FormatDuration(options.requests.reopen_window)));
  const int samples = options.requests.dialog_wait_samples;
  if (samples < 1 || samples > kMaxDialogWaitSamples)
    return absl::InvalidArgumentError(
        absl::StrCat("requests.dialog_wait_samples: must be 1..",
                     kMaxDialogWaitSamples, ", got ", samples));
  if (options.sqlite.busy_timeout_ms < 0)
    return absl::InvalidArgumentError(
        absl::StrCat("sqlite.busy_timeout_ms: must not be negative, got ",
                     options.sqlite.busy_timeout_ms));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Desk>> Desk::Open(absl::string_view uri,
                                                 const DeskOptions& options) {
  if (uri.empty()) return absl::InvalidArgumentError("uri: must not be empty");
  // No path or option holds NUL (a path may hold other bytes: Linux file
  // names need not be UTF-8), and the messages below quote the URI.
  if (uri.find('\0') != absl::string_view::npos)
    return absl::InvalidArgumentError("uri: must not contain NUL");
  if (absl::Status valid = CheckOptions(options); !valid.ok()) return valid;
  std::unique_ptr<Store> store;
  if (absl::ConsumePrefix(&uri, "memory://") ||
      absl::ConsumePrefix(&uri, "memory:")) {
    if (!uri.empty())
      return absl::InvalidArgumentError(absl::StrCat(
          "uri: the memory store takes no path or options, got '", uri, "'"));
    store = NewMemoryStore();
  } else {
    absl::string_view path = uri;
    SqliteStoreOptions sqlite = options.sqlite;
    if (absl::ConsumePrefix(&path, "sqlite://") ||
        absl::ConsumePrefix(&path, "sqlite:")) {
      // Options only after an explicit scheme: a bare path is taken as it
      // is, '?' included.
      if (size_t q = path.find('?'); q != absl::string_view::npos) {
        absl::Status applied = ApplySqliteQuery(path.substr(q + 1), sqlite);
        if (!applied.ok()) return applied;
        path = path.substr(0, q);
      }
    } else if (size_t colon = uri.find(':'); colon != absl::string_view::npos &&
                                             colon > 1 &&
                                             uri.find('/') > colon) {
      // "scheme:..." with an unknown scheme (a one-letter prefix could be a
      // Windows drive, so it is treated as a path).
      return absl::InvalidArgumentError(
          absl::StrCat("uri: unknown scheme in '", uri,
                       "' (use memory:, sqlite:PATH or a file path)"));
    }
    if (path.empty())
      return absl::InvalidArgumentError("uri: the SQLite path is empty");
    auto opened = OpenSqliteStore(std::string(path), sqlite);
    if (!opened.ok()) return opened.status();
    store = *std::move(opened);
  }
  std::unique_ptr<Desk> desk = OpenStore(std::move(store), options);
  // Stores written by an older release get this release's indexes.
  absl::Status upgraded = internal::UpgradeIndexes(*desk->ctx_);
  if (!upgraded.ok()) return upgraded;
  return desk;
}

std::unique_ptr<Desk> Desk::OpenStore(std::unique_ptr<Store> store,
                                      const DeskOptions& options) {
  auto ctx = std::make_unique<internal::DeskContext>();
  ctx->store = std::move(store);
  ctx->clock = options.clock != nullptr ? options.clock : SystemClock();
  ctx->request_options = options.requests;
  return std::unique_ptr<Desk>(new Desk(std::move(ctx)));
}

Centers& Desk::centers() { return areas_->centers; }
Organizations& Desk::organizations() { return areas_->organizations; }
Contacts& Desk::contacts() { return areas_->contacts; }
Staff& Desk::staff() { return areas_->staff; }
Managers& Desk::managers() { return areas_->managers; }
Events& Desk::events() { return areas_->events; }
Calendars& Desk::calendars() { return areas_->calendars; }
Sla& Desk::sla() { return areas_->sla; }
Requests& Desk::requests() { return areas_->requests; }
Dialogs& Desk::dialogs() { return areas_->dialogs; }
TechSupport& Desk::techsupport() { return areas_->techsupport; }
Reports& Desk::reports() { return areas_->reports; }
Store& Desk::store() { return *ctx_->store; }
const Clock& Desk::clock() const { return *ctx_->clock; }

}  // namespace servicedesk
