// The small command framework of sdctl: a tree of subcommands, each declaring
// its positional arguments and flags, so that parsing, `--help` and usage
// errors are generated from one declaration instead of being hand-written per
// command.
//
// Exit status convention (docs/cli.md): 0 success, 1 the library refused or
// failed the call, 2 usage error (unknown command or flag, missing argument,
// a value sdctl itself cannot parse).
#ifndef SDCTL_CLI_H_
#define SDCTL_CLI_H_

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "servicedesk/clock.h"
#include "servicedesk/common.h"
#include "servicedesk/desk.h"

namespace sdctl {

// A usage error: reported as "sdctl: usage: <message>" with exit status 2.
// It is an INVALID_ARGUMENT status carrying a payload, so that command code
// returns it like any other error.
absl::Status UsageError(std::string message);
bool IsUsageError(const absl::Status& status);

struct FlagSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // "" = a boolean flag taking no value
  std::string help;
  bool repeated = false;  // may be given several times
};

// Parsed arguments of one command invocation.
class Args {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  const std::string& pos(size_t i) const { return positional_.at(i); }
  bool Has(const std::string& flag) const { return flags_.count(flag) > 0; }
  // The last value of the flag, or nullopt.
  std::optional<std::string> Get(const std::string& flag) const;
  std::string GetOr(const std::string& flag, std::string fallback) const;
  // Every value of a repeated flag, in order.
  std::vector<std::string> GetAll(const std::string& flag) const;
  // The value of a flag that must be present (usage error otherwise).
  absl::StatusOr<std::string> Require(const std::string& flag) const;

  void AddPositional(std::string v) { positional_.push_back(std::move(v)); }
  void AddFlag(const std::string& name, std::string value) {
    flags_[name].push_back(std::move(value));
  }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> flags_;
};

// What every command runs with: the global options and a lazily opened desk
// (commands such as `calendars due --russia` never touch a store, so they must
// not create servicedesk.db as a side effect).
class Context {
 public:
  std::string db_uri = "servicedesk.db";
  servicedesk::Actor actor;
  bool json = false;
  std::optional<absl::Time> fixed_now;   // --now
  servicedesk::RequestOptions requests;  // --reopen-window, ...
  std::ostream* out = nullptr;

  absl::StatusOr<servicedesk::Desk*> desk();
  // --now if given, else the system clock.
  absl::Time Now() const;

 private:
  std::unique_ptr<servicedesk::ManualClock> clock_;
  std::unique_ptr<servicedesk::Desk> desk_;
};

// Reads the record a command is about to change (for its version, or for
// the fields a read-modify-write keeps). If the actor may not read it, the
// command goes on with an empty record holding only `id` (version 0), so
// that the refusal is the library's own, as from C and Python: a staff-only
// call refuses a contact with PERMISSION_DENIED before it looks the id up,
// where the read would have said NOT_FOUND. Should the change get past
// authorization after all (the record appeared in between), the empty
// fields fail validation (INVALID_ARGUMENT) or version 0 makes it ABORTED:
// nothing is written either way.
template <typename M, typename Read>
absl::StatusOr<M> ReadForChange(const std::string& id, Read read) {
  absl::StatusOr<M> r = read();
  if (r.ok() ||
      !(absl::IsNotFound(r.status()) || absl::IsPermissionDenied(r.status())))
    return r;
  M empty;
  empty.set_id(id);
  return empty;
}

using Handler = std::function<absl::Status(Context&, const Args&)>;

struct Command {
  std::vector<std::string> path;  // e.g. {"sla", "clocks", "start"}
  std::string synopsis;           // positional part, e.g. "SUBJECT"
  std::string summary;            // one line for listings
  std::string description;        // more detail for --help ("" = none)
  std::vector<FlagSpec> flags;
  size_t min_positional = 0;
  size_t max_positional = 0;
  Handler run;
};

// All commands; areas register theirs at start-up from main().
class Registry {
 public:
  void Add(Command command);
  // One-line descriptions of the command groups for the top-level help.
  void DescribeGroup(std::vector<std::string> path, std::string summary);
  // Parses argv (without argv[0]), runs the command and returns the exit
  // status, having printed results to `out` and errors to `err`.
  int Main(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err);

 private:
  void PrintHelp(const std::vector<std::string>& prefix,
                 std::ostream& out) const;
  void PrintCommandHelp(const Command& c, std::ostream& out) const;
  std::vector<Command> commands_;
  std::map<std::vector<std::string>, std::string> groups_;
};

// Every item of a paged List call: `fetch(PageRequest)` returns
// StatusOr<Page<T>>. Tables and JSON arrays show whole results, so sdctl
// follows next_page_token itself.
template <typename T, typename F>
absl::StatusOr<std::vector<T>> FetchAll(F fetch) {
  std::vector<T> all;
  servicedesk::PageRequest page;
  page.page_size = 1000;
  while (true) {
    absl::StatusOr<servicedesk::Page<T>> p = fetch(page);
    if (!p.ok()) return p.status();
    for (T& item : p->items) all.push_back(std::move(item));
    if (p->next_page_token.empty()) return all;
    page.page_token = p->next_page_token;
  }
}

#define SDCTL_CONCAT_INNER_(a, b) a##b
#define SDCTL_CONCAT_(a, b) SDCTL_CONCAT_INNER_(a, b)
#define SDCTL_ASSIGN_OR_RETURN(lhs, expr) \
  SDCTL_ASSIGN_OR_RETURN_IMPL_(SDCTL_CONCAT_(sdctl_or_, __LINE__), lhs, expr)
#define SDCTL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)
#define SDCTL_RETURN_IF_ERROR(expr)                \
  do {                                             \
    absl::Status sdctl_status_ = (expr);           \
    if (!sdctl_status_.ok()) return sdctl_status_; \
  } while (0)

// Registration functions, one per area (commands_*.cc).
void RegisterOrgCommands(Registry& r);
void RegisterSlaCommands(Registry& r);
void RegisterRequestCommands(Registry& r);
void RegisterServiceCommands(Registry& r);  // dialogs, tech, report
void RegisterDemoCommand(Registry& r);

}  // namespace sdctl

#endif  // SDCTL_CLI_H_
