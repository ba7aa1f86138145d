#include "sdctl/cli.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "sdctl/values.h"

namespace sdctl {
namespace {

constexpr char kUsagePayload[] = "sdctl/usage";

// Flags accepted by every command, before or after the command words.
const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"db", "URI",
       "the desk: a SQLite file path, sqlite:PATH or memory: (default "
       "$SDCTL_DB, else servicedesk.db in the current folder)"},
      {"as", "ACTOR",
       "who makes the call: admin:NAME, staff:ID, contact:ID or system:NAME "
       "(default $SDCTL_AS, else admin:$USER)"},
      {"json", "", "machine output: proto3 JSON (an array for lists)"},
      {"now", "TIME",
       "fix the current time (RFC 3339) for reproducible runs and what-ifs "
       "(default $SDCTL_NOW, else the system clock)"},
      {"reopen-window", "DURATION",
       "how long after resolution a request may be reopened, e.g. 168h "
       "(default $SDCTL_REOPEN_WINDOW, else 336h = 14 days)"},
      {"dialog-wait-samples", "N",
       "how many recently taken dialogs a queue position's expected wait is "
       "estimated from, 1..1000 (default $SDCTL_DIALOG_WAIT_SAMPLES, else "
       "20)"},
      {"help", "", "show help for the command"},
  };
  return *flags;
}

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags,
                         const std::string& name) {
  for (const FlagSpec& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string CommandName(const std::vector<std::string>& path) {
  return absl::StrJoin(path, " ");
}

void PrintFlags(const std::vector<FlagSpec>& flags, std::ostream& out) {
  size_t w = 0;
  std::vector<std::string> heads;
  for (const FlagSpec& f : flags) {
    std::string head = absl::StrCat("--", f.name);
    if (!f.value_name.empty()) absl::StrAppend(&head, " ", f.value_name);
    w = std::max(w, head.size());
    heads.push_back(head);
  }
  for (size_t i = 0; i < flags.size(); ++i) {
    out << "  " << heads[i] << std::string(w - heads[i].size() + 2, ' ')
        << flags[i].help << (flags[i].repeated ? " (repeatable)" : "") << "\n";
  }
}

// One line, always: scripts and people grep stderr, and some messages (a
// JSON parser's caret diagram, a value echoed back) arrive with line breaks.
// Other control characters a refused value brings (ESC starts a terminal
// escape sequence) are shown as \xNN, not sent to the terminal, and a
// backslash as \\.
std::string OneLine(absl::string_view text) {
  std::string message(text);
  absl::StrReplaceAll({{"\r", " "}}, &message);
  std::vector<std::string> parts =
      absl::StrSplit(message, '\n', absl::SkipWhitespace());
  for (std::string& p : parts) absl::StripAsciiWhitespace(&p);
  std::string out;
  for (char c : absl::StrJoin(parts, " ")) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      absl::StrAppend(&out, "\\x", absl::Hex(u, absl::kZeroPad2));
    else if (c == '\\')
      out += "\\\\";  // a "\x1b" typed in a value is not an escaped ESC
    else
      out += c;
  }
  return out;
}

}  // namespace

absl::Status UsageError(std::string message) {
  absl::Status s = absl::InvalidArgumentError(std::move(message));
  s.SetPayload(kUsagePayload, absl::Cord("1"));
  return s;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

std::optional<std::string> Args::Get(const std::string& flag) const {
  auto it = flags_.find(flag);
  if (it == flags_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Args::GetOr(const std::string& flag, std::string fallback) const {
  std::optional<std::string> v = Get(flag);
  return v.has_value() ? *v : fallback;
}

std::vector<std::string> Args::GetAll(const std::string& flag) const {
  auto it = flags_.find(flag);
  return it == flags_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<std::string> Args::Require(const std::string& flag) const {
  std::optional<std::string> v = Get(flag);
  if (!v.has_value())
    return UsageError(absl::StrCat("--", flag, " is required"));
  return *v;
}

absl::StatusOr<servicedesk::Desk*> Context::desk() {
  if (desk_ == nullptr) {
    servicedesk::DeskOptions options;
    options.requests = requests;
    if (fixed_now.has_value()) {
      clock_ = std::make_unique<servicedesk::ManualClock>(*fixed_now);
      options.clock = clock_.get();
    }
    absl::StatusOr<std::unique_ptr<servicedesk::Desk>> d =
        servicedesk::Desk::Open(db_uri, options);
    if (!d.ok()) return d.status();
    desk_ = *std::move(d);
  }
  return desk_.get();
}

absl::Time Context::Now() const {
  return fixed_now.has_value() ? *fixed_now : absl::Now();
}

void Registry::Add(Command command) { commands_.push_back(std::move(command)); }

void Registry::DescribeGroup(std::vector<std::string> path,
                             std::string summary) {
  groups_[std::move(path)] = std::move(summary);
}

void Registry::PrintCommandHelp(const Command& c, std::ostream& out) const {
  out << "Usage: sdctl " << CommandName(c.path);
  if (!c.flags.empty()) out << " [flags]";
  if (!c.synopsis.empty()) out << " " << c.synopsis;
  out << "\n\n" << c.summary << "\n";
  if (!c.description.empty()) out << "\n" << c.description << "\n";
  if (!c.flags.empty()) {
    out << "\nFlags:\n";
    PrintFlags(c.flags, out);
  }
  out << "\nGlobal flags:\n";
  PrintFlags(GlobalFlags(), out);
}

void Registry::PrintHelp(const std::vector<std::string>& prefix,
                         std::ostream& out) const {
  if (prefix.empty()) {
    out << "sdctl — the command-line client of servicedesk, the service "
           "desk of a network\nof regional service centers.\n\n"
           "Usage: sdctl [global flags] COMMAND [flags] [args]\n";
  } else {
    out << "Usage: sdctl " << CommandName(prefix) << " COMMAND [flags]\n";
    auto g = groups_.find(prefix);
    if (g != groups_.end()) out << "\n" << g->second << "\n";
  }
  // Immediate children of `prefix`: commands, or groups shown once.
  std::vector<std::pair<std::string, std::string>> lines;
  std::set<std::string> seen;
  for (const Command& c : commands_) {
    if (c.path.size() <= prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), c.path.begin())) {
      continue;
    }
    const std::string& word = c.path[prefix.size()];
    if (!seen.insert(word).second) continue;
    if (c.path.size() == prefix.size() + 1) {
      std::string head = word;
      if (!c.synopsis.empty()) absl::StrAppend(&head, " ", c.synopsis);
      lines.emplace_back(head, c.summary);
    } else {
      std::vector<std::string> sub = prefix;
      sub.push_back(word);
      auto g = groups_.find(sub);
      lines.emplace_back(absl::StrCat(word, " ..."),
                         g == groups_.end() ? "" : g->second);
    }
  }
  size_t w = 0;
  for (const auto& [head, summary] : lines) w = std::max(w, head.size());
  out << "\nCommands:\n";
  for (const auto& [head, summary] : lines) {
    out << "  " << head << std::string(w - head.size() + 2, ' ') << summary
        << "\n";
  }
  out << "\nGlobal flags:\n";
  PrintFlags(GlobalFlags(), out);
  out << "\nRun 'sdctl " << CommandName(prefix) << (prefix.empty() ? "" : " ")
      << "COMMAND --help' for details.\n";
}

int Registry::Main(const std::vector<std::string>& argv, std::ostream& out,
                   std::ostream& err) {
  Context ctx;
  ctx.out = &out;
  const char* user = std::getenv("USER");
  ctx.actor = servicedesk::AdminActor(
      user != nullptr && *user != '\0' ? user : "sdctl");
  // Environment defaults, so that a session (or a script) can set the desk,
  // the actor and a fixed time once; flags still override them.
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v == nullptr ? "" : v);
  };
  if (!env("SDCTL_DB").empty()) ctx.db_uri = env("SDCTL_DB");
  std::string actor_text = env("SDCTL_AS");
  std::string now_text = env("SDCTL_NOW");
  std::string reopen_window_text = env("SDCTL_REOPEN_WINDOW");
  std::string wait_samples_text = env("SDCTL_DIALOG_WAIT_SAMPLES");
  // Errors name where a value came from: the flag, or the variable.
  std::string now_from = "$SDCTL_NOW";
  std::string reopen_window_from = "$SDCTL_REOPEN_WINDOW";
  std::string wait_samples_from = "$SDCTL_DIALOG_WAIT_SAMPLES";
  bool help = false;

  auto usage = [&](const std::string& message,
                   const std::vector<std::string>& where) {
    err << "sdctl: usage: " << OneLine(message) << " (see 'sdctl "
        << (where.empty() ? "" : CommandName(where) + " ") << "--help')\n";
    return 2;
  };

  // Global flags are accepted anywhere; they are applied after parsing.
  auto take_global = [&](const std::string& name, const std::string& value) {
    if (name == "db") ctx.db_uri = value;
    if (name == "as") actor_text = value;
    if (name == "json") ctx.json = true;
    if (name == "now") {
      now_text = value;
      now_from = "--now";
    }
    if (name == "reopen-window") {
      reopen_window_text = value;
      reopen_window_from = "--reopen-window";
    }
    if (name == "dialog-wait-samples") {
      wait_samples_text = value;
      wait_samples_from = "--dialog-wait-samples";
    }
    if (name == "help") help = true;
  };

  // Splits "--name=value" / "--name value"; returns false on a usage error.
  size_t i = 0;
  auto parse_flag = [&](const std::vector<FlagSpec>& command_flags, Args* args,
                        std::string* error) -> bool {
    std::string tok = argv[i++];
    if (tok == "-h") tok = "--help";
    std::string name = tok.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = FindFlag(GlobalFlags(), name);
    const bool global = spec != nullptr;
    if (spec == nullptr) spec = FindFlag(command_flags, name);
    if (spec == nullptr) {
      *error = absl::StrCat("unknown flag --", name);
      return false;
    }
    if (spec->value_name.empty()) {
      if (value.has_value()) {
        *error = absl::StrCat("--", name, " takes no value");
        return false;
      }
      value = "";
    } else if (!value.has_value()) {
      if (i >= argv.size()) {
        *error =
            absl::StrCat("--", name, " needs a value (", spec->value_name, ")");
        return false;
      }
      value = argv[i++];
    }
    if (global) {
      take_global(name, *value);
    } else {
      if (!spec->repeated && args->Has(name)) {
        *error = absl::StrCat("--", name, " given twice");
        return false;
      }
      args->AddFlag(name, *value);
    }
    return true;
  };
  auto is_flag = [](const std::string& tok) {
    return tok == "-h" || (absl::StartsWith(tok, "--") && tok.size() > 2);
  };

  // 1. The command words, with global flags allowed between them.
  std::vector<std::string> prefix;
  const Command* command = nullptr;
  Args args;
  std::string error;
  auto is_group = [&](const std::vector<std::string>& p) {
    for (const Command& c : commands_) {
      if (c.path.size() > p.size() &&
          std::equal(p.begin(), p.end(), c.path.begin())) {
        return true;
      }
    }
    return false;
  };
  while (i < argv.size() && command == nullptr) {
    const std::string& tok = argv[i];
    if (tok == "help" && prefix.empty()) {  // "sdctl help [COMMAND...]"
      help = true;
      ++i;
      continue;
    }
    if (is_flag(tok)) {
      if (!parse_flag({}, &args, &error)) return usage(error, prefix);
      continue;
    }
    std::vector<std::string> next = prefix;
    next.push_back(tok);
    for (const Command& c : commands_) {
      if (c.path == next) command = &c;
    }
    if (command == nullptr && !is_group(next)) {
      if (help) break;
      return usage(absl::StrCat("unknown command '", CommandName(next), "'"),
                   prefix);
    }
    prefix = std::move(next);
    ++i;
  }
  if (command == nullptr) {
    if (help) {
      PrintHelp(prefix, out);
      return 0;
    }
    PrintHelp(prefix, err);
    return 2;
  }

  // 2. The command's flags and positional arguments.
  bool only_positional = false;
  while (i < argv.size()) {
    const std::string& tok = argv[i];
    if (!only_positional && tok == "--") {
      only_positional = true;
      ++i;
    } else if (!only_positional && is_flag(tok)) {
      if (!parse_flag(command->flags, &args, &error)) {
        return usage(error, command->path);
      }
    } else {
      args.AddPositional(tok);
      ++i;
    }
  }
  if (help) {
    PrintCommandHelp(*command, out);
    return 0;
  }
  const size_t n = args.positional().size();
  if (n < command->min_positional || n > command->max_positional) {
    std::string expected =
        command->synopsis.empty() ? "no arguments" : command->synopsis;
    return usage(
        absl::StrCat("'sdctl ", CommandName(command->path), "' takes ",
                     expected, ", got ", n, " argument", n == 1 ? "" : "s"),
        command->path);
  }
  if (!actor_text.empty()) {
    absl::StatusOr<servicedesk::Actor> a = ParseActor(actor_text);
    if (!a.ok()) return usage(std::string(a.status().message()), {});
    ctx.actor = *a;
  }
  if (!now_text.empty()) {
    absl::StatusOr<absl::Time> t = ParseTime(now_from, now_text);
    if (!t.ok()) return usage(std::string(t.status().message()), {});
    // A desk's clock holds int64 nanoseconds: beyond them a mistyped year
    // would be stamped on records as 1677 or 2262.
    if (!servicedesk::ManualClock::Holds(*t))
      return usage(absl::StrCat(now_from, ": '", now_text,
                                "' is outside 1677-09-21..2262-04-11, the "
                                "range a desk's clock holds"),
                   {});
    ctx.fixed_now = *t;
  }
  if (!reopen_window_text.empty()) {
    absl::StatusOr<absl::Duration> d =
        ParseDuration(reopen_window_from, reopen_window_text);
    if (!d.ok()) return usage(std::string(d.status().message()), {});
    ctx.requests.reopen_window = *d;
  }
  if (!wait_samples_text.empty()) {
    // Checked here too, not only by Desk::Open: its message names the
    // library's field (requests.dialog_wait_samples), not what was typed.
    absl::StatusOr<int64_t> n = ParseInt(wait_samples_from, wait_samples_text);
    if (!n.ok()) return usage(std::string(n.status().message()), {});
    if (*n < 1 || *n > servicedesk::kMaxDialogWaitSamples)
      return usage(
          absl::StrCat(wait_samples_from, ": must be 1..",
                       servicedesk::kMaxDialogWaitSamples, ", got ", *n),
          {});
    ctx.requests.dialog_wait_samples = static_cast<int>(*n);
  }

  absl::Status status = command->run(ctx, args);
  out.flush();
  if (status.ok()) return 0;
  if (IsUsageError(status)) {
    return usage(std::string(status.message()), command->path);
  }
  err << "sdctl: " << absl::StatusCodeToString(status.code()) << ": "
      << OneLine(status.message()) << "\n";
  return 1;
}

}  // namespace sdctl
