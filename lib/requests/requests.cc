#include "servicedesk/requests.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/requests/request_core.h"
#include "lib/requests/request_indexes.h"
#include "lib/sla/clock_engine.h"
#include "lib/techsupport/visits.h"
#include "servicedesk/staff.h"

namespace servicedesk {
namespace {
using internal::LoadRecord;
using internal::RequestChange;
using internal::ResolvedActor;
using internal::TxScope;
namespace tables = internal::tables;

constexpr size_t kMaxDocuments = 100;
constexpr size_t kAssignQueuedBatch = 1000;

absl::Status ValidatePriority(v1::Priority priority) {
  if (priority == v1::PRIORITY_UNSPECIFIED || !v1::Priority_IsValid(priority))
    return absl::InvalidArgumentError("priority: a known priority is required");
  return absl::OkStatus();
}

absl::Status ValidateKind(v1::ServiceKind kind) {
  if (kind == v1::SERVICE_KIND_UNSPECIFIED || !v1::ServiceKind_IsValid(kind))
    return absl::InvalidArgumentError("kind: a known service kind is required");
  if (kind == v1::SERVICE_KIND_ONLINE_DIALOG)
    return absl::InvalidArgumentError(
        "kind: ONLINE_DIALOG requests are opened with Dialogs::Open");
  return absl::OkStatus();
}

// `organization_id` is checked by Open: a contact may leave it empty.
absl::Status ValidateDraft(const v1::ServiceRequest& d) {
  RETURN_IF_ERROR(ValidateKind(d.kind()));
  if (d.channel() == v1::CHANNEL_UNSPECIFIED ||
      !v1::Channel_IsValid(d.channel()))
    return absl::InvalidArgumentError("channel: a known channel is required");
  if (d.channel() == v1::CHANNEL_ONLINE_DIALOG)
    return absl::InvalidArgumentError(
        "channel: online dialogs are opened with Dialogs::Open");
  if (!v1::Priority_IsValid(d.priority()))
    return absl::InvalidArgumentError("priority: unknown priority");
  RETURN_IF_ERROR(internal::CheckText("subject", d.subject(), 1, 300));
  RETURN_IF_ERROR(
      internal::CheckFreeText("description", d.description(), 0, 20000));
  if (internal::IsTechKind(d.kind()) && d.installation_id().empty())
    return absl::InvalidArgumentError(
        absl::StrCat("installation_id: required for ",
                     v1::ServiceKind_Name(d.kind()), " requests"));
  return absl::OkStatus();
}

absl::Status RefuseDialog(const v1::ServiceRequest& r) {
  if (r.dialog_id().empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("dialog_id: request '", r.id(), "' is the transcript of ",
                   "dialog '", r.dialog_id(),
                   "' and moves with it (Dialogs); a closed dialog is not "
                   "reopened: the client opens a new one"));
}

// Calls that need an open request. Those that move it (`to` given) name both
// states as MoveTo does; the others name the state and the open ones.
absl::Status RequireOpen(const v1::ServiceRequest& r, absl::string_view what,
                         v1::RequestState to = v1::REQUEST_STATE_UNSPECIFIED) {
  if (internal::IsOpenState(r.state())) return absl::OkStatus();
  if (to != v1::REQUEST_STATE_UNSPECIFIED)
    return absl::FailedPreconditionError(
        absl::StrCat("state: cannot go from ", internal::StateName(r.state()),
                     " to ", internal::StateName(to), " (", what, " a ",
                     internal::StateName(r.state()), " request)"));
  return absl::FailedPreconditionError(absl::StrCat(
      "state: cannot ", what, " a ", internal::StateName(r.state()),
      " request; only NEW, ASSIGNED, IN_PROGRESS and WAITING_ON_CLIENT ",
      "requests can change"));
}

// A technical request's visits are settled before it is resolved (a visit
// left SCHEDULED on a resolved request would never say whether the engineer
// went) and before it stops being a technical request (it would keep its
// engineers booked): FAILED_PRECONDITION naming `field` and the first
// visits while any is SCHEDULED. `before` ends the advice ("the request is
// resolved"). Only technical requests have visits: ChangeKind keeps it so.
absl::Status RequireNoScheduledVisits(TxScope& s, const v1::ServiceRequest& r,
                                      absl::string_view field,
                                      absl::string_view before) {
  if (!internal::IsTechKind(r.kind())) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<v1::Visit> visits,
                   internal::ScheduledVisitsTx(s, r.id()));
  if (visits.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  for (size_t i = 0; i < visits.size() && i < internal::kIdsNamed; ++i)
    ids.push_back(visits[i].id());
  const bool one = visits.size() == 1;
  const char* them = one ? "it" : "them";
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": visit", one ? " " : "s ",
      internal::FirstIds(ids, static_cast<int64_t>(visits.size())),
      " of request '", r.id(), one ? "' is" : "' are",
      " still scheduled; mark ", them, " done (CompleteVisit) or cancel ", them,
      " (CancelVisit) before ", before));
}

enum class Access { kWorker, kParty };

using Body = std::function<absl::Status(TxScope&, RequestChange&)>;

// Load -> authorize -> `input` (the call's own validation of its
// arguments) -> version check -> body -> save, in one transaction.
absl::StatusOr<v1::ServiceRequest> Mutate(
    internal::DeskContext* ctx, const Actor& actor, absl::string_view id,
    int64_t version, Access access, bool allow_dialog, absl::string_view what,
    const absl::Status& input, const Body& body) {
  return ctx->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceRequest> {
        if (access == Access::kWorker)
          RETURN_IF_ERROR(internal::RefuseClients(s.actor(), what));
        ASSIGN_OR_RETURN(auto r,
                         internal::LoadVisibleRecord<v1::ServiceRequest>(
                             s, tables::kRequest, id, "id"));
        RETURN_IF_ERROR(access == Access::kWorker
                            ? internal::RequireWorker(s.actor(), r, what)
                            : internal::RequireParty(s.actor(), r, what));
        // Malformed input is reported before the version and the state.
        RETURN_IF_ERROR(input);
        RETURN_IF_ERROR(internal::CheckFresh(tables::kRequest, r.id(), version,
                                             r.version()));
        if (!allow_dialog) RETURN_IF_ERROR(RefuseDialog(r));
        RequestChange ch(s, r);
        RETURN_IF_ERROR(body(s, ch));
        RETURN_IF_ERROR(ch.Save());
        return r;
      });
}

void AddMessage(TxScope& s, v1::ServiceRequest& r, absl::string_view text) {
  v1::DialogMessage* m = r.add_messages();
  *m->mutable_at() = internal::ToProto(s.now());
  if (s.actor().IsContact())
    m->set_contact_id(s.actor().id);
  else
    m->set_staff_id(s.actor().IsStaff() ? s.actor().id
                                        : internal::ActorLabel(s.actor()));
  m->set_text(std::string(text));
}

absl::Status ValidateOutcome(const v1::RequestOutcome& o) {
  switch (o.outcome_case()) {
    case v1::RequestOutcome::kAnswer:
      return internal::CheckFreeText("outcome.answer", o.answer(), 1, 20000);
    case v1::RequestOutcome::kDocumentSelection: {
      const v1::DocumentSelection& sel = o.document_selection();
      if (sel.documents().empty())
        return absl::InvalidArgumentError(
            "outcome.document_selection.documents: at least one document is "
            "required");
      if (static_cast<size_t>(sel.documents_size()) > kMaxDocuments)
        return absl::InvalidArgumentError(absl::StrCat(
            "outcome.document_selection.documents: at most ", kMaxDocuments,
            " documents, got ", sel.documents_size()));
      for (int i = 0; i < sel.documents_size(); ++i) {
        const v1::DocumentReference& d = sel.documents(i);
        std::string f =
            absl::StrCat("outcome.document_selection.documents[", i, "]");
        RETURN_IF_ERROR(internal::CheckText(absl::StrCat(f, ".document_id"),
                                            d.document_id(), 1, 64));
        RETURN_IF_ERROR(
            internal::CheckText(absl::StrCat(f, ".title"), d.title(), 0, 500));
        RETURN_IF_ERROR(internal::CheckFreeText(absl::StrCat(f, ".note"),
                                                d.note(), 0, 2000));
        // An ordered list of distinct documents: a repeat is a slip that
        // would show the client one document twice.
        for (int j = 0; j < i; ++j)
          if (sel.documents(j).document_id() == d.document_id())
            return absl::InvalidArgumentError(
                absl::StrCat(f, ".document_id: '", d.document_id(),
                             "' is already listed at documents[", j, "]"));
      }
      return internal::CheckFreeText("outcome.document_selection.note",
                                     sel.note(), 0, 2000);
    }
    case v1::RequestOutcome::kEnrollment: {
      const v1::EnrollmentReference& e = o.enrollment();
      if (e.kind() != "training" && e.kind() != "seminar")
        return absl::InvalidArgumentError(
            "outcome.enrollment.kind: must be \"training\" or \"seminar\"");
      RETURN_IF_ERROR(internal::CheckText("outcome.enrollment.reference_id",
                                          e.reference_id(), 1, 64));
      return internal::CheckFreeText("outcome.enrollment.note", e.note(), 0,
                                     2000);
    }
    case v1::RequestOutcome::OUTCOME_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "outcome: one of answer, document_selection or enrollment is required");
}

// Respond and RecordOutcome: an ASSIGNED request moves to IN_PROGRESS, its
// history saying `reason`; `what` words the errors.
absl::Status PrepareResponse(RequestChange& ch, absl::string_view what,
                             absl::string_view reason) {
  v1::ServiceRequest& r = ch.request();
  if (r.state() == v1::REQUEST_STATE_NEW)
    return absl::FailedPreconditionError(absl::StrCat(
        "state: cannot go from NEW to IN_PROGRESS (", what, " a NEW request); ",
        r.dialog_id().empty()
            ? "assign it first"
            : absl::StrCat("a specialist takes dialog '", r.dialog_id(),
                           "' first (Dialogs::Take)")));
  RETURN_IF_ERROR(RequireOpen(r, what, v1::REQUEST_STATE_IN_PROGRESS));
  if (r.state() == v1::REQUEST_STATE_ASSIGNED)
    RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_IN_PROGRESS, reason));
  return absl::OkStatus();
}

// Assigns `r` to the eligible staff member PickAssignee chooses, if any.
// A request reopened after its assignee was deactivated goes to whoever the
// assignment rule picks now; with nobody eligible it keeps the old assignee
// and the center heads are told (a "queued" note), as for a new request.
absl::Status ReplaceInactiveAssignee(TxScope& s, RequestChange& ch) {
  v1::ServiceRequest& r = ch.request();
  if (r.assignee_id().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto m,
                   LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                               r.assignee_id(), "assignee_id"));
  if (m.active()) return absl::OkStatus();
  const std::string why =
      absl::StrCat("reopened: staff member '", m.id(), "' is inactive");
  ASSIGN_OR_RETURN(std::optional<std::string> who,
                   internal::PickAssignee(s, r));
  if (who) {
    ch.SetAssignee(*who, "auto", why);
    return absl::OkStatus();
  }
  return internal::NoteQueued(
      s, ch, absl::StrCat(why, " and nobody eligible may take it"));
}

absl::StatusOr<bool> AutoAssign(internal::DeskContext& ctx, TxScope& s,
                                const Actor& actor, RequestChange& ch) {
  ASSIGN_OR_RETURN(bool assigned, internal::AssignAutomatically(s, ch));
  if (!assigned) return false;
  RETURN_IF_ERROR(internal::RefreshClocks(ctx, s, actor, ch.request()));
  return true;
}

// Who may move a request to another staff member: administrators, the
// center head and the current assignee (who hands it over).
absl::Status RequireMayReassign(const ResolvedActor& a,
                                const v1::ServiceRequest& r,
                                absl::string_view what) {
  if (a.IsStaff() && a.id == r.assignee_id() && a.center_id == r.center_id())
    return absl::OkStatus();
  return internal::RequireCenterRole(a, r.center_id(), {}, what);
}

// After a kind change the request must still be with someone who may take
// that kind: the assignee stays when it may (CheckMayTake); otherwise, and
// for MANAGER_CONTACT whenever the organisation has a personal manager,
// PickAssignee's choice takes over. A queued (NEW) request is assigned when
// someone is now eligible and stays queued otherwise. FAILED_PRECONDITION
// naming "kind" when an assigned request would be left with nobody eligible.
absl::Status FitAssigneeToKind(TxScope& s, RequestChange& ch) {
  v1::ServiceRequest& r = ch.request();
  absl::Status current = absl::OkStatus();
  if (!r.assignee_id().empty()) {
    ASSIGN_OR_RETURN(
        auto m, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                            r.assignee_id(), "assignee_id"));
    current = internal::CheckMayTake(m, r.kind(), s.now(), "kind");
    if (current.ok() && r.kind() != v1::SERVICE_KIND_MANAGER_CONTACT)
      return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> who,
                   internal::PickAssignee(s, r));
  if (who && *who == r.assignee_id()) return absl::OkStatus();
  if (!who) {
    if (current.ok()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        current.message(), ", and nobody at center '", r.center_id(), "' may",
        r.kind() == v1::SERVICE_KIND_MANAGER_CONTACT
            ? " take it as the organization's personal manager (assign "
              "another manager first)"
            : " take it (qualify a staff member first)"));
  }
  // Moving an assigned request is Assign's decision.
  if (!r.assignee_id().empty())
    RETURN_IF_ERROR(RequireMayReassign(
        s.actor(), r,
        "change this request's kind: it would move to another staff member"));
  const std::string reason =
      absl::StrCat("kind changed to ", v1::ServiceKind_Name(r.kind()));
  ch.SetAssignee(*who, "auto", reason);
  if (r.state() == v1::REQUEST_STATE_NEW)
    RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_ASSIGNED, reason));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ServiceRequest> Requests::Open(
    const Actor& actor, const v1::ServiceRequest& draft) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceRequest> {
        RETURN_IF_ERROR(ValidateDraft(draft));
        const ResolvedActor& a = s.actor();
        // A contact opens requests for its own organisation.
        const std::string& org_id =
            draft.organization_id().empty() && a.IsContact()
                ? a.organization_id
                : draft.organization_id();
        ASSIGN_OR_RETURN(
            const v1::Organization* loaded,
            internal::LoadRecordIn<v1::Organization>(
                s, tables::kOrganization, org_id, "organization_id"));
        const v1::Organization& org = *loaded;
        RETURN_IF_ERROR(internal::HideFromOtherClients(
            a, org.id(), tables::kOrganization, org_id, "organization_id"));
        RETURN_IF_ERROR(internal::RequireOrganizationReader(
            a, org.center_id(), org.id(),
            "open requests for this organization"));
        std::string contact_id = draft.contact_id();
        if (a.IsContact()) {
          if (!contact_id.empty() && contact_id != a.id)
            return internal::PermissionDenied(
                a, "open requests on behalf of another contact");
          contact_id = a.id;
        }
        if (!org.active())
          return absl::FailedPreconditionError(absl::StrCat(
              "organization_id: organization '", org.id(), "' is inactive"));
        if (!contact_id.empty()) {
          ASSIGN_OR_RETURN(auto c,
                           LoadRecord<v1::Contact>(s.tx(), tables::kContact,
                                                   contact_id, "contact_id"));
          if (c.organization_id() != org.id())
            return absl::InvalidArgumentError(
                absl::StrCat("contact_id: contact '", c.id(),
                             "' is not of organization '", org.id(), "'"));
          if (!c.active())
            return absl::FailedPreconditionError(
                absl::StrCat("contact_id: contact '", c.id(), "' is inactive"));
        }
        if (!draft.installation_id().empty())
          RETURN_IF_ERROR(internal::CheckInstallation(
              s.tx(), draft.installation_id(), org.id()));
        v1::ServiceRequest r;
        r.set_organization_id(org.id());
        r.set_contact_id(contact_id);
        r.set_kind(draft.kind());
        r.set_channel(draft.channel());
        r.set_priority(draft.priority() == v1::PRIORITY_UNSPECIFIED
                           ? v1::PRIORITY_NORMAL
                           : draft.priority());
        r.set_subject(draft.subject());
        r.set_description(draft.description());
        r.set_installation_id(draft.installation_id());
        RETURN_IF_ERROR(internal::RegisterRequest(*ctx_, s, actor, org, r,
                                                  /*auto_assign=*/true));
        return r;
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Get(const Actor& actor,
                                                 absl::string_view id) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceRequest> {
        ASSIGN_OR_RETURN(auto r,
                         internal::LoadVisibleRecord<v1::ServiceRequest>(
                             s, tables::kRequest, id, "id"));
        RETURN_IF_ERROR(
            internal::RequireReader(s.actor(), r, "read this request"));
        return r;
      });
}

absl::StatusOr<Page<v1::ServiceRequest>> Requests::List(
    const Actor& actor, const RequestFilter& filter, const PageRequest& page) {
  // An undefined number would match nothing: a slip, not an empty answer.
  RETURN_IF_ERROR(internal::CheckEnumValue("state", filter.state));
  RETURN_IF_ERROR(internal::CheckEnumValue("kind", filter.kind));
  RETURN_IF_ERROR(internal::CheckEnumValue("channel", filter.channel));
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::ServiceRequest>> {
        const ResolvedActor& a = s.actor();
        RequestFilter f = filter;
        if (a.IsContact()) {
          if (!f.organization_id.empty() &&
              f.organization_id != a.organization_id)
            return internal::PermissionDenied(
                a, "list requests of another organization");
          f.organization_id = a.organization_id;
        } else if (a.IsStaff()) {
          if (!f.center_id.empty() && f.center_id != a.center_id)
            return internal::PermissionDenied(
                a, "list requests of another center");
          f.center_id = a.center_id;
        }
        RETURN_IF_ERROR(internal::CheckFilterIds(
            s.tx(), a,
            {{"center_id", tables::kCenter, filter.center_id},
             {"organization_id", tables::kOrganization, f.organization_id},
             {"assignee_id", tables::kStaff, f.assignee_id}}));
        std::string index;
        std::string lower;
        if (!f.assignee_id.empty()) {
          index = internal::kByAssignee;
          lower = internal::KeyJoin({f.assignee_id});
        } else if (!f.organization_id.empty()) {
          index = internal::kByOrg;
          lower = internal::KeyJoin({f.organization_id});
        } else if (!f.center_id.empty() &&
                   f.state != v1::REQUEST_STATE_UNSPECIFIED) {
          index = internal::kByCenterState;
          lower =
              internal::KeyJoin({f.center_id, internal::StateName(f.state)});
        } else if (f.state != v1::REQUEST_STATE_UNSPECIFIED) {
          index = internal::kByState;
          lower = internal::KeyJoin({internal::StateName(f.state)});
        } else {
          index = internal::kByCenter;
          lower = f.center_id.empty() ? "" : internal::KeyJoin({f.center_id});
        }
        std::string upper = lower.empty() ? "" : internal::PrefixEnd(lower);
        return internal::ScanPage<v1::ServiceRequest>(
            s.tx(), tables::kRequest, index, lower, upper,
            {f.center_id, f.organization_id, absl::StrCat(f.state),
             f.assignee_id, absl::StrCat(f.kind), absl::StrCat(f.channel)},
            page, [&](const v1::ServiceRequest& r) {
              if (!f.center_id.empty() && r.center_id() != f.center_id)
                return false;
              if (!f.organization_id.empty() &&
                  r.organization_id() != f.organization_id)
                return false;
              if (f.state != v1::REQUEST_STATE_UNSPECIFIED &&
                  r.state() != f.state)
                return false;
              if (!f.assignee_id.empty() && r.assignee_id() != f.assignee_id)
                return false;
              if (f.kind != v1::SERVICE_KIND_UNSPECIFIED && r.kind() != f.kind)
                return false;
              return f.channel == v1::CHANNEL_UNSPECIFIED ||
                     r.channel() == f.channel;
            });
      });
}

absl::StatusOr<Page<v1::ServiceRequest>> Requests::Queue(
    const Actor& actor, absl::string_view center_id, const PageRequest& page) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::ServiceRequest>> {
        ASSIGN_OR_RETURN(auto center,
                         LoadRecord<v1::ServiceCenter>(s.tx(), tables::kCenter,
                                                       center_id, "center_id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), center.id(), "read this center's queue"));
        std::string lower = internal::KeyJoin({center.id()});
        return internal::ScanPage<v1::ServiceRequest>(
            s.tx(), tables::kRequest, internal::kQueue, lower,
            internal::PrefixEnd(lower), {}, page, nullptr);
      });
}

absl::StatusOr<std::vector<v1::ServiceRequest>> Requests::AssignQueued(
    const Actor& actor, absl::string_view center_id) {
  return ctx_->Write(
      actor,
      [&](TxScope& s) -> absl::StatusOr<std::vector<v1::ServiceRequest>> {
        ASSIGN_OR_RETURN(auto center,
                         LoadRecord<v1::ServiceCenter>(s.tx(), tables::kCenter,
                                                       center_id, "center_id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), center.id(), "assign this center's queue"));
        ScanRange range;
        range.index = internal::kQueue;
        range.lower = internal::KeyJoin({center.id()});
        range.upper = internal::PrefixEnd(range.lower);
        range.limit = kAssignQueuedBatch;
        ASSIGN_OR_RETURN(auto rows, s.tx().Scan(tables::kRequest, range));
        std::vector<v1::ServiceRequest> assigned;
        for (const StoredRecord& row : rows) {
          ASSIGN_OR_RETURN(auto r, internal::ParseStored<v1::ServiceRequest>(
                                       tables::kRequest, row));
          RequestChange ch(s, r);
          ASSIGN_OR_RETURN(bool done, AutoAssign(*ctx_, s, actor, ch));
          if (!done) continue;
          RETURN_IF_ERROR(ch.Save());
          assigned.push_back(std::move(r));
        }
        return assigned;
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Assign(const Actor& actor,
                                                    absl::string_view id,
                                                    int64_t version,
                                                    absl::string_view staff_id,
                                                    absl::string_view reason) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceRequest> {
        RETURN_IF_ERROR(
            internal::RefuseClients(s.actor(), "assign this request"));
        ASSIGN_OR_RETURN(auto r, internal::LoadRequest(s.tx(), id, "id"));
        RETURN_IF_ERROR(
            RequireMayReassign(s.actor(), r, "assign this request"));
        RETURN_IF_ERROR(internal::CheckIdInput("staff_id", staff_id));
        RETURN_IF_ERROR(internal::CheckFreeText("reason", reason, 1, 500));
        RETURN_IF_ERROR(internal::CheckFresh(tables::kRequest, r.id(), version,
                                             r.version()));
        RETURN_IF_ERROR(RefuseDialog(r));
        RETURN_IF_ERROR(RequireOpen(r, "assign", v1::REQUEST_STATE_ASSIGNED));
        ASSIGN_OR_RETURN(auto m,
                         LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                     staff_id, "staff_id"));
        if (m.center_id() != r.center_id())
          return absl::FailedPreconditionError(
              absl::StrCat("staff_id: staff member '", m.id(),
                           "' is not of center '", r.center_id(), "'"));
        RETURN_IF_ERROR(
            internal::CheckMayTake(m, r.kind(), s.now(), "staff_id"));
        if (m.id() == r.assignee_id())
          return absl::FailedPreconditionError(absl::StrCat(
              "staff_id: the request is already assigned to '", m.id(), "'"));
        RequestChange ch(s, r);
        ch.SetAssignee(m.id(), "", reason);
        if (r.state() == v1::REQUEST_STATE_NEW)
          RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_ASSIGNED, reason));
        RETURN_IF_ERROR(internal::RefreshClocks(*ctx_, s, actor, r));
        RETURN_IF_ERROR(ch.Save());
        return r;
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Start(const Actor& actor,
                                                   absl::string_view id,
                                                   int64_t version) {
  return Mutate(ctx_, actor, id, version, Access::kWorker, false,
                "work on this request", absl::OkStatus(),
                [&](TxScope&, RequestChange& ch) {
                  return ch.MoveTo(v1::REQUEST_STATE_IN_PROGRESS, "",
                                   {v1::REQUEST_STATE_ASSIGNED});
                });
}

absl::StatusOr<v1::ServiceRequest> Requests::WaitOnClient(
    const Actor& actor, absl::string_view id, int64_t version,
    absl::string_view reason) {
  return Mutate(
      ctx_, actor, id, version, Access::kWorker, false, "work on this request",
      internal::CheckFreeText("reason", reason, 1, 2000),
      [&](TxScope& s, RequestChange& ch) -> absl::Status {
        RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_WAITING_ON_CLIENT, reason));
        const std::string& rid = ch.request().id();
        return internal::AsEngine(s, actor,
                                  [&](TxScope& e) {
                                    return internal::PauseClocksTx(
                                        *ctx_, e, rid, s.now());
                                  })
            .status();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Resume(const Actor& actor,
                                                    absl::string_view id,
                                                    int64_t version,
                                                    absl::string_view text) {
  return Mutate(ctx_, actor, id, version, Access::kParty, false,
                "resume this request",
                internal::CheckFreeText("text", text, 0, 5000),
                [&](TxScope& s, RequestChange& ch) -> absl::Status {
                  RETURN_IF_ERROR(ch.MoveTo(
                      v1::REQUEST_STATE_IN_PROGRESS,
                      s.actor().IsContact() ? "client replied" : "resumed",
                      {v1::REQUEST_STATE_WAITING_ON_CLIENT}));
                  if (!text.empty()) AddMessage(s, ch.request(), text);
                  const std::string& rid = ch.request().id();
                  return internal::AsEngine(s, actor,
                                            [&](TxScope& e) {
                                              return internal::ResumeClocksTx(
                                                  *ctx_, e, rid, s.now());
                                            })
                      .status();
                });
}

absl::StatusOr<v1::ServiceRequest> Requests::Respond(const Actor& actor,
                                                     absl::string_view id,
                                                     int64_t version,
                                                     absl::string_view text) {
  return Mutate(
      ctx_, actor, id, version, Access::kWorker, false,
      "respond to this request", internal::CheckFreeText("text", text, 1, 5000),
      [&](TxScope& s, RequestChange& ch) -> absl::Status {
        RETURN_IF_ERROR(PrepareResponse(ch, "respond to", "responded"));
        const bool first = !ch.request().has_first_response_at();
        AddMessage(s, ch.request(), text);
        RETURN_IF_ERROR(internal::MarkResponse(*ctx_, s, actor, ch));
        ch.Note("responded", {{"first", first ? "true" : "false"}});
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::RecordOutcome(
    const Actor& actor, absl::string_view id, int64_t version,
    const v1::RequestOutcome& outcome) {
  return Mutate(ctx_, actor, id, version, Access::kWorker, true,
                "record outcomes of this request", ValidateOutcome(outcome),
                [&](TxScope& s, RequestChange& ch) -> absl::Status {
                  RETURN_IF_ERROR(PrepareResponse(ch, "record an outcome of",
                                                  "outcome recorded"));
                  v1::RequestOutcome* o = ch.request().add_outcomes();
                  *o = outcome;
                  *o->mutable_recorded_at() = internal::ToProto(s.now());
                  o->set_recorded_by(s.actor().IsStaff()
                                         ? s.actor().id
                                         : internal::ActorLabel(s.actor()));
                  RETURN_IF_ERROR(internal::MarkResponse(*ctx_, s, actor, ch));
                  std::string type = outcome.has_answer() ? "answer"
                                     : outcome.has_document_selection()
                                         ? "document_selection"
                                         : "enrollment";
                  ch.Note("outcome_recorded", {{"outcome", type}});
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::ServiceRequest> Requests::Resolve(
    const Actor& actor, absl::string_view id, int64_t version,
    absl::string_view resolution) {
  return Mutate(ctx_, actor, id, version, Access::kWorker, false,
                "resolve this request",
                internal::CheckFreeText("resolution", resolution, 1, 5000),
                [&](TxScope& s, RequestChange& ch) -> absl::Status {
                  RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_RESOLVED, ""));
                  v1::ServiceRequest& r = ch.request();
                  RETURN_IF_ERROR(RequireNoScheduledVisits(
                      s, r, "visits", "the request is resolved"));
                  r.set_resolution(std::string(resolution));
                  *r.mutable_resolved_at() = internal::ToProto(s.now());
                  if (!r.has_first_response_at())
                    *r.mutable_first_response_at() = internal::ToProto(s.now());
                  RETURN_IF_ERROR(internal::AsEngine(s, actor, [&](TxScope& e) {
                                    return internal::StopClockTx(
                                        *ctx_, e, r.id(),
                                        v1::CLOCK_KIND_RESOLUTION, s.now());
                                  }).status());
                  ch.Note("resolved");
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::ServiceRequest> Requests::Close(const Actor& actor,
                                                   absl::string_view id,
                                                   int64_t version) {
  return Mutate(
      ctx_, actor, id, version, Access::kParty, true, "close this request",
      absl::OkStatus(), [&](TxScope& s, RequestChange& ch) -> absl::Status {
        RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_CLOSED, ""));
        *ch.request().mutable_closed_at() = internal::ToProto(s.now());
        ch.Note("closed");
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Reopen(const Actor& actor,
                                                    absl::string_view id,
                                                    int64_t version,
                                                    absl::string_view reason) {
  const absl::Duration window = ctx_->request_options.reopen_window;
  return Mutate(
      ctx_, actor, id, version, Access::kParty, false, "reopen this request",
      internal::CheckFreeText("reason", reason, 1, 2000),
      [&](TxScope& s, RequestChange& ch) -> absl::Status {
        v1::ServiceRequest& r = ch.request();
        RETURN_IF_ERROR(
            ch.MoveTo(v1::REQUEST_STATE_IN_PROGRESS, reason,
                      {v1::REQUEST_STATE_RESOLVED, v1::REQUEST_STATE_CLOSED}));
        // The window includes its last instant; a zero window means
        // resolutions are final.
        if (window <= absl::ZeroDuration())
          return absl::FailedPreconditionError(absl::StrCat(
              "reopen_window: request '", r.id(),
              "' cannot be reopened: the desk's reopen window is 0"));
        absl::Time until = internal::FromProto(r.resolved_at()) + window;
        if (s.now() > until)
          return absl::FailedPreconditionError(absl::StrCat(
              "reopen_window: request '", r.id(), "' could be reopened until ",
              internal::FormatUtc(until), " (", absl::FormatDuration(window),
              " after its resolution)"));
        r.set_reopen_count(r.reopen_count() + 1);
        *r.mutable_reopened_at() = internal::ToProto(s.now());
        r.clear_resolved_at();
        r.clear_closed_at();
        RETURN_IF_ERROR(ReplaceInactiveAssignee(s, ch));
        ASSIGN_OR_RETURN(v1::SlaSubject subject,
                         internal::SubjectOf(s.tx(), r));
        RETURN_IF_ERROR(internal::AsEngine(s, actor, [&](TxScope& e) {
                          return internal::RestartClockTx(
                              *ctx_, e, r.id(), subject,
                              v1::CLOCK_KIND_RESOLUTION, s.now());
                        }).status());
        ch.Note("reopened", {{"reason", std::string(reason)},
                             {"reopen_count", absl::StrCat(r.reopen_count())}});
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Cancel(const Actor& actor,
                                                    absl::string_view id,
                                                    int64_t version,
                                                    absl::string_view reason) {
  return Mutate(
      ctx_, actor, id, version, Access::kParty, false, "cancel this request",
      internal::CheckFreeText("reason", reason, 1, 2000),
      [&](TxScope& s, RequestChange& ch) -> absl::Status {
        RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_CANCELLED, reason));
        v1::ServiceRequest& r = ch.request();
        r.set_cancel_reason(std::string(reason));
        // A cancelled request is neither met nor breached: all its clocks,
        // stopped ones too, are cancelled and stay out of compliance figures.
        RETURN_IF_ERROR(internal::AsEngine(s, actor, [&](TxScope& e) {
                          return internal::CancelClocksTx(*ctx_, e, r.id(),
                                                          s.now());
                        }).status());
        // Its engineers' booked slots are free again.
        RETURN_IF_ERROR(internal::CancelScheduledVisitsTx(
            s, r.id(), absl::StrCat("request cancelled: ", reason)));
        ch.Note("cancelled", {{"reason", std::string(reason)}});
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::Rate(const Actor& actor,
                                                  absl::string_view id,
                                                  int64_t version, int score,
                                                  absl::string_view comment) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceRequest> {
        ASSIGN_OR_RETURN(auto r,
                         internal::LoadVisibleRecord<v1::ServiceRequest>(
                             s, tables::kRequest, id, "id"));
        if (!internal::IsRequestContact(s.actor(), r))
          return internal::PermissionDenied(s.actor(), "rate this request");
        if (score < 1 || score > 5)
          return absl::InvalidArgumentError(
              absl::StrCat("score: must be 1..5, got ", score));
        RETURN_IF_ERROR(internal::CheckFreeText("comment", comment, 0, 2000));
        RETURN_IF_ERROR(internal::CheckFresh(tables::kRequest, r.id(), version,
                                             r.version()));
        if (r.state() != v1::REQUEST_STATE_RESOLVED &&
            r.state() != v1::REQUEST_STATE_CLOSED)
          return absl::FailedPreconditionError(
              absl::StrCat("state: cannot rate a request in state ",
                           internal::StateName(r.state()),
                           "; only RESOLVED and CLOSED requests can be rated"));
        if (r.has_rating())
          return absl::AlreadyExistsError(
              absl::StrCat("rating: request '", r.id(), "' was already rated ",
                           r.rating().score(), " by contact '",
                           r.rating().contact_id(), "'"));
        v1::Rating* rating = r.mutable_rating();
        rating->set_score(score);
        rating->set_comment(std::string(comment));
        *rating->mutable_rated_at() = internal::ToProto(s.now());
        rating->set_contact_id(s.actor().id);
        RequestChange ch(s, r);
        ch.Note("rated", {{"score", absl::StrCat(score)}});
        RETURN_IF_ERROR(ch.Save());
        return r;
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::ChangePriority(
    const Actor& actor, absl::string_view id, int64_t version,
    v1::Priority priority) {
  return Mutate(
      ctx_, actor, id, version, Access::kWorker, true,
      "change this request's priority", ValidatePriority(priority),
      [&](TxScope& s, RequestChange& ch) -> absl::Status {
        v1::ServiceRequest& r = ch.request();
        RETURN_IF_ERROR(RequireOpen(r, "change the priority of"));
        if (r.priority() == priority)
          return absl::FailedPreconditionError(
              absl::StrCat("priority: the request already has priority ",
                           v1::Priority_Name(priority)));
        std::string from = v1::Priority_Name(r.priority());
        r.set_priority(priority);
        RETURN_IF_ERROR(internal::RefreshClocks(*ctx_, s, actor, r));
        ch.Note("priority_changed",
                {{"from", from}, {"to", v1::Priority_Name(priority)}});
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ServiceRequest> Requests::ChangeKind(const Actor& actor,
                                                        absl::string_view id,
                                                        int64_t version,
                                                        v1::ServiceKind kind) {
  return Mutate(ctx_, actor, id, version, Access::kWorker, false,
                "change this request's kind", ValidateKind(kind),
                [&](TxScope& s, RequestChange& ch) -> absl::Status {
                  v1::ServiceRequest& r = ch.request();
                  RETURN_IF_ERROR(RequireOpen(r, "change the kind of"));
                  if (r.kind() == kind)
                    return absl::FailedPreconditionError(
                        absl::StrCat("kind: the request already is of kind ",
                                     v1::ServiceKind_Name(kind)));
                  if (internal::IsTechKind(kind)) {
                    if (r.installation_id().empty())
                      return absl::InvalidArgumentError(absl::StrCat(
                          "installation_id: a ", v1::ServiceKind_Name(kind),
                          " request needs an installation; open a new "
                          "request"));
                    RETURN_IF_ERROR(internal::CheckInstallation(
                        s.tx(), r.installation_id(), r.organization_id()));
                  } else {
                    RETURN_IF_ERROR(RequireNoScheduledVisits(
                        s, r, "kind",
                        "the request stops being a technical-support request"));
                  }
                  std::string from = v1::ServiceKind_Name(r.kind());
                  r.set_kind(kind);
                  RETURN_IF_ERROR(FitAssigneeToKind(s, ch));
                  RETURN_IF_ERROR(internal::RefreshClocks(*ctx_, s, actor, r));
                  ch.Note("kind_changed",
                          {{"from", from}, {"to", v1::ServiceKind_Name(kind)}});
                  return absl::OkStatus();
                });
}

}  // namespace servicedesk
