#include "lib/requests/request_core.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/time_util.h"
#include "lib/org/center_staff.h"
#include "lib/requests/request_indexes.h"
#include "lib/sla/clock_engine.h"
#include "servicedesk/sla.h"
#include "servicedesk/staff.h"

namespace servicedesk::internal {

std::string ActorLabel(const ResolvedActor& a) {
  switch (a.kind) {
    case ResolvedActor::Kind::kAdmin:
      return absl::StrCat("admin:", a.id);
    case ResolvedActor::Kind::kSystem:
      return absl::StrCat("system:", a.id);
    case ResolvedActor::Kind::kStaff:
      return absl::StrCat("staff:", a.id);
    case ResolvedActor::Kind::kContact:
      return absl::StrCat("contact:", a.id);
  }
  return a.id;
}

absl::StatusOr<v1::ServiceRequest> LoadRequest(Transaction& tx,
                                               absl::string_view id,
                                               absl::string_view field) {
  return LoadRecord<v1::ServiceRequest>(tx, tables::kRequest, id, field);
}

absl::Status CheckInstallation(Transaction& tx, absl::string_view id,
                               absl::string_view organization_id) {
  auto inst = LoadRecord<v1::Installation>(tx, tables::kInstallation, id,
                                           "installation_id");
  if (!inst.ok() && !absl::IsNotFound(inst.status())) return inst.status();
  if (!inst.ok() || inst->organization_id() != organization_id)
    return absl::NotFoundError(
        absl::StrCat("installation_id: organization '", organization_id,
                     "' has no installation '", id, "'"));
  if (!inst->active())
    return absl::FailedPreconditionError(
        absl::StrCat("installation_id: installation '", id, "' is inactive"));
  return absl::OkStatus();
}

bool IsTechKind(v1::ServiceKind kind) {
  return kind == v1::SERVICE_KIND_TECH_INSTALLATION ||
         kind == v1::SERVICE_KIND_TECH_SETUP ||
         kind == v1::SERVICE_KIND_TECH_RECOVERY ||
         kind == v1::SERVICE_KIND_TECH_EMERGENCY;
}

absl::StatusOr<const v1::ServiceDefinition*> CatalogEntry(
    v1::ServiceKind kind) {
  for (const v1::ServiceDefinition& d : Sla::Catalog())
    if (d.kind() == kind) return &d;
  return absl::InvalidArgumentError(
      absl::StrCat("kind: no catalog entry for ", v1::ServiceKind_Name(kind)));
}

bool IsRequestContact(const ResolvedActor& a, const v1::ServiceRequest& r) {
  if (!a.IsContact() || a.organization_id != r.organization_id()) return false;
  return r.contact_id().empty() || r.contact_id() == a.id;
}

absl::Status RequireReader(const ResolvedActor& a, const v1::ServiceRequest& r,
                           absl::string_view what) {
  return RequireOrganizationReader(a, r.center_id(), r.organization_id(), what);
}

absl::Status RequireWorker(const ResolvedActor& a, const v1::ServiceRequest& r,
                           absl::string_view what) {
  return RequireCenterStaff(a, r.center_id(), what);
}

absl::Status RequireParty(const ResolvedActor& a, const v1::ServiceRequest& r,
                          absl::string_view what) {
  if (IsRequestContact(a, r)) return absl::OkStatus();
  return RequireCenterStaff(a, r.center_id(), what);
}

v1::SlaSubject SubjectOf(const v1::ServiceRequest& r,
                         const v1::Organization& org) {
  v1::SlaSubject subject;
  subject.set_kind(r.kind());
  subject.set_channel(r.channel());
  subject.set_priority(r.priority());
  subject.set_tier(org.tier());
  subject.set_center_id(r.center_id());
  subject.set_organization_id(r.organization_id());
  subject.set_assignee_id(r.assignee_id());
  return subject;
}

absl::StatusOr<v1::SlaSubject> SubjectOf(Transaction& tx,
                                         const v1::ServiceRequest& r) {
  ASSIGN_OR_RETURN(auto org, LoadRecord<v1::Organization>(
                                 tx, tables::kOrganization, r.organization_id(),
                                 "organization_id"));
  return SubjectOf(r, org);
}

namespace {

bool Allowed(v1::RequestState from, v1::RequestState to) {
  using S = v1::RequestState;
  switch (from) {
    case S::REQUEST_STATE_NEW:
      return to == S::REQUEST_STATE_ASSIGNED ||
             to == S::REQUEST_STATE_CANCELLED;
    case S::REQUEST_STATE_ASSIGNED:
      return to == S::REQUEST_STATE_IN_PROGRESS ||
             to == S::REQUEST_STATE_CANCELLED;
    case S::REQUEST_STATE_IN_PROGRESS:
      return to == S::REQUEST_STATE_WAITING_ON_CLIENT ||
             to == S::REQUEST_STATE_RESOLVED ||
             to == S::REQUEST_STATE_CANCELLED;
    case S::REQUEST_STATE_WAITING_ON_CLIENT:
      return to == S::REQUEST_STATE_IN_PROGRESS ||
             to == S::REQUEST_STATE_RESOLVED ||
             to == S::REQUEST_STATE_CANCELLED;
    case S::REQUEST_STATE_RESOLVED:
      return to == S::REQUEST_STATE_CLOSED ||
             to == S::REQUEST_STATE_IN_PROGRESS;
    case S::REQUEST_STATE_CLOSED:
      return to == S::REQUEST_STATE_IN_PROGRESS;
    default:
      return false;
  }
}

}  // namespace

absl::Status RequestChange::MoveTo(
    v1::RequestState to, absl::string_view reason,
    std::initializer_list<v1::RequestState> only_from) {
  const v1::RequestState from = r_.state();
  const bool from_ok =
      only_from.size() == 0 ||
      std::find(only_from.begin(), only_from.end(), from) != only_from.end();
  if (!from_ok || !Allowed(from, to))
    return absl::FailedPreconditionError(absl::StrCat(
        "state: cannot go from ", StateName(from), " to ", StateName(to)));
  v1::StateChange* h = r_.add_history();
  h->set_from(from);
  h->set_to(to);
  *h->mutable_at() = ToProto(s_.now());
  h->set_by(ActorLabel(s_.actor()));
  h->set_reason(std::string(reason));
  r_.set_state(to);
  std::vector<std::pair<std::string, std::string>> details = {
      {"from", std::string(StateName(from))},
      {"to", std::string(StateName(to))}};
  if (!reason.empty()) details.emplace_back("reason", reason);
  Note("state_changed", std::move(details));
  return absl::OkStatus();
}

void RequestChange::SetAssignee(const std::string& staff_id,
                                absl::string_view by,
                                absl::string_view reason) {
  std::string previous = r_.assignee_id();
  r_.set_assignee_id(staff_id);
  v1::StaffAssignment* a = r_.add_assignments();
  a->set_staff_id(staff_id);
  *a->mutable_at() = ToProto(s_.now());
  a->set_by(by.empty() ? ActorLabel(s_.actor()) : std::string(by));
  a->set_reason(std::string(reason));
  Note("assigned", {{"assignee_id", staff_id},
                    {"previous_assignee_id", previous},
                    {"by", a->by()},
                    {"reason", std::string(reason)}});
}

void RequestChange::Note(
    std::string action,
    std::vector<std::pair<std::string, std::string>> details) {
  events_.push_back({std::move(action), std::move(details)});
}

absl::Status RequestChange::Save() {
  RETURN_IF_ERROR(SaveRecord(s_, tables::kRequest, r_, RequestIndexes(r_)));
  for (const PendingEvent& e : events_)
    s_.Emit("request", r_.id(), e.action, r_.version(), r_.center_id(),
            r_.organization_id(), DetailViews(e.details));
  events_.clear();
  return absl::OkStatus();
}

absl::Status MarkResponse(DeskContext& ctx, TxScope& s, const v1::Actor& actor,
                          RequestChange& ch) {
  v1::ServiceRequest& r = ch.request();
  const bool first = !r.has_first_response_at();
  if (first) *r.mutable_first_response_at() = ToProto(s.now());
  return AsEngine(s, actor, [&](TxScope& e) {
    return first
               ? StopClocksIfOpenTx(ctx, e, r.id(),
                                    {v1::CLOCK_KIND_FIRST_RESPONSE,
                                     v1::CLOCK_KIND_PERIODIC_UPDATE},
                                    s.now())
               : StopClocksIfOpenTx(ctx, e, r.id(),
                                    {v1::CLOCK_KIND_PERIODIC_UPDATE}, s.now());
  });
}

absl::Status RefreshClocks(DeskContext& ctx, TxScope& s, const v1::Actor& actor,
                           const v1::ServiceRequest& r) {
  ASSIGN_OR_RETURN(v1::SlaSubject subject, SubjectOf(s.tx(), r));
  return AsEngine(s, actor,
                  [&](TxScope& e) {
                    return RecomputeClocksTx(ctx, e, r.id(), subject);
                  })
      .status();
}

absl::StatusOr<std::optional<std::string>> PickAssignee(
    TxScope& s, const v1::ServiceRequest& r) {
  if (r.kind() == v1::SERVICE_KIND_MANAGER_CONTACT) {
    ASSIGN_OR_RETURN(auto org, LoadRecord<v1::Organization>(
                                   s.tx(), tables::kOrganization,
                                   r.organization_id(), "organization_id"));
    if (org.manager_id().empty()) return std::nullopt;
    auto m = LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                         org.manager_id(), "manager_id");
    if (absl::IsNotFound(m.status())) return std::nullopt;
    if (!m.ok()) return m.status();
    if (!m->active() || m->center_id() != r.center_id()) return std::nullopt;
    return m->id();
  }
  ASSIGN_OR_RETURN(const v1::ServiceDefinition* def, CatalogEntry(r.kind()));
  ASSIGN_OR_RETURN(
      std::vector<std::string> eligible,
      EligibleStaff(s.tx(), r.center_id(),
                    static_cast<v1::StaffRole>(def->required_role()),
                    def->required_qualification(), s.now()));
  std::optional<std::string> best;
  int64_t best_load = 0;
  for (std::string& id : eligible) {
    ASSIGN_OR_RETURN(int64_t load, OpenLoad(s.tx(), id));
    if (!best || load < best_load || (load == best_load && IdLess(id, *best))) {
      best = std::move(id);
      best_load = load;
    }
  }
  return best;
}

absl::Status CheckQualifiedFor(const v1::StaffMember& m, v1::ServiceKind kind,
                               absl::Time at, absl::string_view field) {
  ASSIGN_OR_RETURN(const v1::ServiceDefinition* def, CatalogEntry(kind));
  if (def->required_qualification().empty() ||
      HasValidQualification(m, def->required_qualification(), at))
    return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": staff member '", m.id(), "' has no unexpired qualification '",
      def->required_qualification(), "' that ", v1::ServiceKind_Name(kind),
      " requires (at ", FormatUtc(at), ")"));
}

absl::Status CheckMayTake(const v1::StaffMember& m, v1::ServiceKind kind,
                          absl::Time at, absl::string_view field) {
  if (!m.active())
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": staff member '", m.id(), "' is inactive"));
  ASSIGN_OR_RETURN(const v1::ServiceDefinition* def, CatalogEntry(kind));
  if (std::find(m.roles().begin(), m.roles().end(), def->required_role()) ==
      m.roles().end())
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": staff member '", m.id(), "' lacks the role ",
        v1::StaffRole_Name(static_cast<v1::StaffRole>(def->required_role())),
        " that ", v1::ServiceKind_Name(kind), " requires"));
  return CheckQualifiedFor(m, kind, at, field);
}

absl::StatusOr<bool> AssignAutomatically(TxScope& s, RequestChange& ch) {
  const v1::ServiceRequest& r = ch.request();
  ASSIGN_OR_RETURN(std::optional<std::string> who, PickAssignee(s, r));
  if (!who) return false;
  ch.SetAssignee(*who, "auto",
                 r.kind() == v1::SERVICE_KIND_MANAGER_CONTACT
                     ? "the organization's personal manager"
                     : "least-loaded qualified staff member");
  RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_ASSIGNED, "auto-assigned"));
  return true;
}

absl::Status NoteQueued(TxScope& s, RequestChange& ch, std::string reason) {
  ASSIGN_OR_RETURN(std::string heads,
                   CenterHeads(s.tx(), ch.request().center_id()));
  ch.Note("queued", {{"center_heads", heads.empty() ? "none" : heads},
                     {"reason", std::move(reason)}});
  return absl::OkStatus();
}

absl::Status RegisterRequest(DeskContext& ctx, TxScope& s,
                             const v1::Actor& actor,
                             const v1::Organization& org, v1::ServiceRequest& r,
                             bool auto_assign) {
  if (r.id().empty()) {
    ASSIGN_OR_RETURN(*r.mutable_id(), s.NewId(tables::kRequestIdPrefix));
  }
  r.set_center_id(org.center_id());
  r.set_state(v1::REQUEST_STATE_NEW);
  *r.mutable_registered_at() = ToProto(s.now());
  RequestChange ch(s, r);
  ch.Note("opened", {{"kind", v1::ServiceKind_Name(r.kind())},
                     {"channel", v1::Channel_Name(r.channel())},
                     {"priority", v1::Priority_Name(r.priority())}});
  bool assigned = false;
  if (auto_assign) {
    ASSIGN_OR_RETURN(assigned, AssignAutomatically(s, ch));
  }
  if (auto_assign && !assigned) {
    std::string why = "no eligible staff member";
    if (r.kind() != v1::SERVICE_KIND_MANAGER_CONTACT) {
      ASSIGN_OR_RETURN(const v1::ServiceDefinition* def,
                       CatalogEntry(r.kind()));
      why = absl::StrCat(
          "no active staff member with role ",
          v1::StaffRole_Name(static_cast<v1::StaffRole>(def->required_role())),
          def->required_qualification().empty()
              ? std::string()
              : absl::StrCat(" and qualification '",
                             def->required_qualification(), "'"));
    }
    RETURN_IF_ERROR(NoteQueued(s, ch, why));
  }
  RETURN_IF_ERROR(ch.Save());
  const v1::SlaSubject subject = SubjectOf(r, org);
  return AsEngine(s, actor,
                  [&](TxScope& e) {
                    return StartClocksTx(ctx, e, r.id(), subject, s.now());
                  })
      .status();
}

}  // namespace servicedesk::internal
