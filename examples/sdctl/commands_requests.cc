// Service requests: registration, the lifecycle, outcomes, ratings and the
// center queues.
//
// Every command that changes a request takes --version N, the version the
// caller last saw: if the request changed since, the library refuses the call
// (ABORTED) and nothing is written. Without --version, sdctl reads the
// current version first and uses it — convenient at a prompt, but it gives up
// that protection (a change made in between is not detected).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "sdctl/cli.h"
#include "sdctl/org_util.h"
#include "sdctl/output.h"
#include "sdctl/requests_util.h"
#include "sdctl/values.h"
#include "servicedesk/requests.h"

namespace sdctl {
namespace v1 = servicedesk::v1;

absl::StatusOr<int64_t> RequestVersion(Context& ctx, const Args& a,
                                       const std::string& id) {
  if (auto v = a.Get("version")) {
    SDCTL_ASSIGN_OR_RETURN(int64_t n, ParseInt("--version", *v));
    if (n < 1) return UsageError("--version: must be at least 1");
    return n;
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceRequest r,
                         ReadForChange<v1::ServiceRequest>(id, [&] {
                           return desk->requests().Get(ctx.actor, id);
                         }));
  return r.version();
}

FlagSpec VersionFlag() {
  return {"version", "N",
          "the version you last saw (ABORTED if the record changed since); "
          "default: read the current one first, without that protection"};
}

namespace {

using servicedesk::Requests;

void PrintRequest(Context& ctx, const v1::ServiceRequest& r) {
  PrintRecord(ctx, r, RequestCard);
}

// A command that changes one request: resolves the version, runs `call` and
// prints the result.
template <typename F>
absl::Status Mutate(Context& ctx, const Args& a, F call) {
  const std::string& id = a.pos(0);
  SDCTL_ASSIGN_OR_RETURN(int64_t version, RequestVersion(ctx, a, id));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceRequest r,
                         call(desk->requests(), id, version));
  PrintRequest(ctx, r);
  return absl::OkStatus();
}

absl::Status Open(Context& ctx, const Args& a) {
  v1::ServiceRequest draft;
  // A contact's organisation is theirs; anyone else names one.
  if (!a.Has("org") && !ctx.actor.has_contact_id())
    return UsageError("--org is required (unless --as is a client contact)");
  draft.set_organization_id(a.GetOr("org", ""));
  draft.set_contact_id(a.GetOr("contact", ""));
  SDCTL_ASSIGN_OR_RETURN(std::string kind, a.Require("kind"));
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceKind k,
                         ParseEnumT<v1::ServiceKind>(
                             v1::ServiceKind_descriptor(), "--kind", kind));
  draft.set_kind(k);
  SDCTL_ASSIGN_OR_RETURN(std::string channel, a.Require("channel"));
  SDCTL_ASSIGN_OR_RETURN(
      v1::Channel c,
      ParseEnumT<v1::Channel>(v1::Channel_descriptor(), "--channel", channel));
  draft.set_channel(c);
  if (auto v = a.Get("priority")) {
    SDCTL_ASSIGN_OR_RETURN(
        v1::Priority p,
        ParseEnumT<v1::Priority>(v1::Priority_descriptor(), "--priority", *v));
    draft.set_priority(p);
  }
  SDCTL_ASSIGN_OR_RETURN(*draft.mutable_subject(), a.Require("subject"));
  draft.set_description(a.GetOr("description", ""));
  draft.set_installation_id(a.GetOr("installation", ""));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceRequest r,
                         desk->requests().Open(ctx.actor, draft));
  PrintRequest(ctx, r);
  return absl::OkStatus();
}

absl::Status Get(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceRequest r,
                         desk->requests().Get(ctx.actor, a.pos(0)));
  if (ctx.json) {
    *ctx.out << ToJson(r) << "\n";
    return absl::OkStatus();
  }
  PrintCard(*ctx.out, RequestCard(r));
  if (a.Has("history")) {
    *ctx.out << "\nHistory\n";
    std::vector<Row> rows;
    for (const v1::StateChange& h : r.history()) {
      rows.push_back(
          {{"at", FormatTimestamp(h.at())},
           {"from", EnumShortName(v1::RequestState_descriptor(), h.from())},
           {"to", EnumShortName(v1::RequestState_descriptor(), h.to())},
           {"by", h.by().empty() ? "-" : h.by()},
           {"reason", h.reason().empty() ? "-" : h.reason()}});
    }
    PrintTable(*ctx.out, rows);
    *ctx.out << "\nAssignments\n";
    rows.clear();
    for (const v1::StaffAssignment& s : r.assignments()) {
      rows.push_back(
          {{"at", FormatTimestamp(s.at())},
           {"staff", s.staff_id().empty() ? "(queue)" : s.staff_id()},
           {"by", s.by().empty() ? "-" : s.by()},
           {"reason", s.reason().empty() ? "-" : s.reason()}});
    }
    PrintTable(*ctx.out, rows);
    *ctx.out << "\nMessages\n";
    rows.clear();
    for (const v1::DialogMessage& m : r.messages()) {
      rows.push_back(DialogMessageRow(m));
    }
    PrintTable(*ctx.out, rows);
  }
  return absl::OkStatus();
}

absl::Status List(Context& ctx, const Args& a) {
  servicedesk::RequestFilter f;
  if (auto v = a.Get("center")) {
    SDCTL_ASSIGN_OR_RETURN(f.center_id, ResolveCenterId(ctx, *v));
  }
  f.organization_id = a.GetOr("org", "");
  f.assignee_id = a.GetOr("assignee", "");
  if (auto v = a.Get("state")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.state, ParseEnumT<v1::RequestState>(v1::RequestState_descriptor(),
                                              "--state", *v));
  }
  if (auto v = a.Get("kind")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.kind, ParseEnumT<v1::ServiceKind>(v1::ServiceKind_descriptor(),
                                            "--kind", *v));
  }
  if (auto v = a.Get("channel")) {
    SDCTL_ASSIGN_OR_RETURN(
        f.channel,
        ParseEnumT<v1::Channel>(v1::Channel_descriptor(), "--channel", *v));
  }
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::ServiceRequest> all,
      FetchAll<v1::ServiceRequest>([&](const servicedesk::PageRequest& p) {
        return desk->requests().List(ctx.actor, f, p);
      }));
  PrintList(ctx, all, RequestRow);
  return absl::OkStatus();
}

absl::Status Assign(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string to, a.Require("to"));
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Assign(ctx.actor, id, v, to, reason);
  });
}

absl::Status Start(Context& ctx, const Args& a) {
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Start(ctx.actor, id, v);
  });
}

absl::Status Respond(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string text, a.Require("text"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Respond(ctx.actor, id, v, text);
  });
}

absl::Status Wait(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.WaitOnClient(ctx.actor, id, v, reason);
  });
}

absl::Status Resume(Context& ctx, const Args& a) {
  const std::string text = a.GetOr("text", "");
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Resume(ctx.actor, id, v, text);
  });
}

absl::Status Outcome(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::RequestOutcome outcome, ParseOutcome(a));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.RecordOutcome(ctx.actor, id, v, outcome);
  });
}

absl::Status Resolve(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string note, a.Require("resolution"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Resolve(ctx.actor, id, v, note);
  });
}

absl::Status Close(Context& ctx, const Args& a) {
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Close(ctx.actor, id, v);
  });
}

absl::Status Reopen(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Reopen(ctx.actor, id, v, reason);
  });
}

absl::Status Cancel(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string reason, a.Require("reason"));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Cancel(ctx.actor, id, v, reason);
  });
}

absl::Status Rate(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string score_text, a.Require("score"));
  SDCTL_ASSIGN_OR_RETURN(int64_t score, ParseInt("--score", score_text));
  // The library checks 1-5; only keep a huge value from wrapping into range.
  if (score < INT32_MIN || score > INT32_MAX) score = 0;
  const std::string comment = a.GetOr("comment", "");
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.Rate(ctx.actor, id, v, static_cast<int>(score), comment);
  });
}

absl::Status Priority(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::Priority p,
                         ParseEnumT<v1::Priority>(v1::Priority_descriptor(),
                                                  "PRIORITY", a.pos(1)));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.ChangePriority(ctx.actor, id, v, p);
  });
}

absl::Status Kind(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(v1::ServiceKind k,
                         ParseEnumT<v1::ServiceKind>(
                             v1::ServiceKind_descriptor(), "KIND", a.pos(1)));
  return Mutate(ctx, a, [&](Requests& r, const std::string& id, int64_t v) {
    return r.ChangeKind(ctx.actor, id, v, k);
  });
}

absl::Status Queue(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string center, ResolveCenterId(ctx, a.pos(0)));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(
      std::vector<v1::ServiceRequest> all,
      FetchAll<v1::ServiceRequest>([&](const servicedesk::PageRequest& p) {
        return desk->requests().Queue(ctx.actor, center, p);
      }));
  PrintList(ctx, all, RequestRow);
  return absl::OkStatus();
}

absl::Status AssignQueued(Context& ctx, const Args& a) {
  SDCTL_ASSIGN_OR_RETURN(std::string center, ResolveCenterId(ctx, a.pos(0)));
  SDCTL_ASSIGN_OR_RETURN(servicedesk::Desk * desk, ctx.desk());
  SDCTL_ASSIGN_OR_RETURN(std::vector<v1::ServiceRequest> assigned,
                         desk->requests().AssignQueued(ctx.actor, center));
  PrintList(ctx, assigned, RequestRow);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::RequestOutcome> ParseOutcome(const Args& a) {
  const int given = a.Has("answer") + a.Has("documents") + a.Has("selection") +
                    a.Has("enrollment");
  if (given != 1) {
    return UsageError(
        "give exactly one of --answer TEXT, --documents \"ID:TITLE,...\", "
        "--selection JSON or --enrollment training|seminar:ID");
  }
  v1::RequestOutcome o;
  const std::string note = a.GetOr("note", "");
  if (auto v = a.Get("answer")) {
    if (a.Has("note"))
      return UsageError("--note goes with --documents or --enrollment");
    o.set_answer(*v);
  } else if (auto v = a.Get("documents")) {
    v1::DocumentSelection* s = o.mutable_document_selection();
    for (absl::string_view part :
         absl::StrSplit(*v, ',', absl::SkipWhitespace())) {
      const std::string item(part);
      const size_t colon = item.find(':');
      if (colon == std::string::npos)
        return UsageError(absl::StrCat(
            "--documents: '", item,
            "' is not ID:TITLE (titles with commas or colons: --selection)"));
      v1::DocumentReference* d = s->add_documents();
      d->set_document_id(item.substr(0, colon));
      d->set_title(item.substr(colon + 1));
    }
    s->set_note(note);
  } else if (auto v = a.Get("selection")) {
    // Titles and notes with commas or colons, a note per document.
    v1::DocumentSelection* s = o.mutable_document_selection();
    auto parsed = google::protobuf::util::JsonStringToMessage(*v, s);
    if (!parsed.ok()) {
      // The first line: protobuf points at the column on the next ones.
      const std::string message(parsed.message());
      return UsageError(absl::StrCat(
          "--selection: not a v1.DocumentSelection in the proto3 JSON "
          "mapping: ",
          message.substr(0, message.find('\n'))));
    }
    if (a.Has("note")) s->set_note(note);
  } else {
    const std::string e = *a.Get("enrollment");
    const size_t colon = e.find(':');
    if (colon == std::string::npos) {
      return UsageError(absl::StrCat(
          "--enrollment: expected training:ID or seminar:ID, got '", e, "'"));
    }
    o.mutable_enrollment()->set_kind(e.substr(0, colon));
    o.mutable_enrollment()->set_reference_id(e.substr(colon + 1));
    o.mutable_enrollment()->set_note(note);
  }
  return o;
}

void RegisterRequestCommands(Registry& r) {
  const FlagSpec version = VersionFlag();
  r.DescribeGroup({"requests"},
                  "Service requests: registration, lifecycle, outcomes, "
                  "ratings and queues.");
  const std::string lifecycle =
      "Lifecycle: new -> assigned -> in-progress <-> waiting-on-client -> "
      "resolved -> closed;\nresolved/closed -> in-progress by reopening "
      "(within the reopen window); any open\nstate -> cancelled. Any other "
      "move is FAILED_PRECONDITION naming both states.\n"
      "--version N is the version you last saw: if the request changed "
      "since, the call is\nrefused with ABORTED and nothing is written. "
      "Without --version sdctl reads the\ncurrent version first, which gives "
      "up that protection.";
  r.Add({{"requests", "open"},
         "",
         "Register a request; starts its SLA clocks and assigns it (or "
         "queues it).",
         "Assignment: the least-loaded active staff member of the center with "
         "the catalog's\nrole and an unexpired qualification for the kind "
         "(see 'sdctl sla catalog');\nmanager-contact goes to the personal "
         "manager. With nobody eligible the request\nstays new in the "
         "center's queue. Online dialogs are opened with 'dialogs open'.",
         {{"org", "ORG",
           "the client organisation (required unless --as is a contact: "
           "theirs)"},
          {"contact", "CONTACT", "who asked (a contact of the organisation)"},
          {"kind", "KIND",
           absl::StrCat("service kind (required): ",
                        EnumChoices(v1::ServiceKind_descriptor(),
                                    {v1::SERVICE_KIND_ONLINE_DIALOG}))},
          {"channel", "CHANNEL",
           absl::StrCat("channel (required): ",
                        EnumChoices(v1::Channel_descriptor(),
                                    {v1::CHANNEL_ONLINE_DIALOG}))},
          {"priority", "PRIORITY",
           absl::StrCat("priority (default normal): ",
                        EnumChoices(v1::Priority_descriptor()))},
          {"subject", "TEXT", "the question, 1..300 characters (required)"},
          {"description", "TEXT", "details, up to 20000 characters"},
          {"installation", "ID",
           "the installation concerned (required for tech-* kinds)"}},
         0,
         0,
         Open});
  r.Add({{"requests", "get"},
         "ID",
         "Show a request.",
         "",
         {{"history", "",
           "also list its state changes, assignments and messages"}},
         1,
         1,
         Get});
  r.Add({{"requests", "list"},
         "",
         "List requests, oldest registration first.",
         "",
         {{"center", "CENTER", "only this center (id or code)"},
          {"org", "ORG", "only this organisation"},
          {"state", "STATE",
           absl::StrCat("only this state: ",
                        EnumChoices(v1::RequestState_descriptor()))},
          {"assignee", "STAFF", "only requests assigned to this staff member"},
          {"kind", "KIND", "only this service kind"},
          {"channel", "CHANNEL", "only this channel"}},
         0,
         0,
         List});
  r.Add({{"requests", "assign"},
         "ID",
         "Assign (or hand over) a request to a staff member.",
         lifecycle,
         {{"to", "STAFF", "the staff member (required)"},
          {"reason", "TEXT", "why (required)"},
          version},
         1,
         1,
         Assign});
  r.Add({{"requests", "start"},
         "ID",
         "Start work on a request: assigned -> in-progress.",
         lifecycle,
         {version},
         1,
         1,
         Start});
  r.Add({{"requests", "respond"},
         "ID",
         "A staff response; the first one stops the first-response clock.",
         lifecycle,
         {{"text", "TEXT", "the response (required)"}, version},
         1,
         1,
         Respond});
  r.Add(
      {{"requests", "wait"},
       "ID",
       "Ask the client: in-progress -> waiting-on-client; pauses the SLA "
       "clocks.",
       lifecycle,
       {{"reason", "TEXT", "what the client is asked for (required)"}, version},
       1,
       1,
       Wait});
  r.Add({{"requests", "resume"},
         "ID",
         "The client answered: waiting-on-client -> in-progress; resumes the "
         "clocks.",
         lifecycle,
         {{"text", "TEXT", "the client's answer (kept with the request)"},
          version},
         1,
         1,
         Resume});
  r.Add(
      {{"requests", "outcome"},
       "ID",
       "Record a hotline outcome: an answer, a document selection or an "
       "enrollment.",
       "Exactly one of:\n"
       "  --answer TEXT\n"
       "  --documents \"ID:TITLE,ID:TITLE\" [--note TEXT]\n"
       "  --selection '{\"documents\":[{\"documentId\":\"ID\",\"title\":\"T\","
       "\"note\":\"N\"}],\"note\":\"N\"}'\n"
       "  --enrollment training:ID|seminar:ID [--note TEXT]\n"
       "Counts as the first response.",
       {{"answer", "TEXT", "the answer"},
        {"documents", "LIST",
         "documents as ID:TITLE pairs separated by commas"},
        {"selection", "JSON",
         "a document selection (v1.DocumentSelection as JSON): titles and "
         "notes per document"},
        {"enrollment", "KIND:ID", "training:SESSION or seminar:SEMINAR"},
        {"note", "TEXT", "a note to the documents or the enrollment"},
        version},
       1,
       1,
       Outcome});
  r.Add({{"requests", "resolve"},
         "ID",
         "Resolve a request in progress or waiting on the client; stops the "
         "resolution clock (a technical request's scheduled visits must be "
         "done or cancelled first).",
         lifecycle,
         {{"resolution", "TEXT", "the resolution note (required)"}, version},
         1,
         1,
         Resolve});
  r.Add({{"requests", "close"},
         "ID",
         "Close a resolved request.",
         lifecycle,
         {version},
         1,
         1,
         Close});
  r.Add({{"requests", "reopen"},
         "ID",
         "Reopen a resolved or closed request (within the reopen window).",
         lifecycle,
         {{"reason", "TEXT", "why (required)"}, version},
         1,
         1,
         Reopen});
  r.Add({{"requests", "cancel"},
         "ID",
         "Cancel an open request; stops its SLA clocks.",
         lifecycle,
         {{"reason", "TEXT", "why (required)"}, version},
         1,
         1,
         Cancel});
  r.Add({{"requests", "rate"},
         "ID",
         "The client's satisfaction (1..5) with a resolved or closed "
         "request, once.",
         "Only the request's contact may rate (--as contact:ID).",
         {{"score", "N", "1..5 (required)"},
          {"comment", "TEXT", "a comment"},
          version},
         1,
         1,
         Rate});
  r.Add({{"requests", "priority"},
         "ID PRIORITY",
         "Change the priority; the open SLA clocks are recomputed.",
         absl::StrCat("PRIORITY: ", EnumChoices(v1::Priority_descriptor())),
         {version},
         2,
         2,
         Priority});
  r.Add({{"requests", "kind"},
         "ID KIND",
         "Change the service kind; the open SLA clocks are recomputed.",
         absl::StrCat("KIND: ", EnumChoices(v1::ServiceKind_descriptor())),
         {version},
         2,
         2,
         Kind});
  r.Add({{"requests", "queue"},
         "CENTER",
         "The center's queue: new requests nobody could be assigned, oldest "
         "first.",
         "",
         {},
         1,
         1,
         Queue});
  r.Add({{"requests", "assign-queued"},
         "CENTER",
         "Assign the center's queued requests to staff now eligible; prints "
         "those assigned.",
         "",
         {},
         1,
         1,
         AssignQueued});
}

}  // namespace sdctl
