#include "servicedesk/techsupport.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/requests/request_core.h"
#include "lib/requests/request_indexes.h"
#include "lib/techsupport/visits.h"

namespace servicedesk {
namespace {
using internal::FromProto;
using internal::KeyJoin;
using internal::LoadRecord;
using internal::ResolvedActor;
using internal::ToProto;
using internal::TxScope;
namespace tables = internal::tables;

// Visit indexes: the engineer's scheduled visits by slot start, ascending and
// descending (the predecessor of a slot is the first entry of the descending
// one), and all visits of a request in slot order.
constexpr char kEngineerSlot[] = "engineer_slot";
constexpr char kEngineerSlotDesc[] = "engineer_slot_desc";

// An on-site visit is one working day at most; a longer slot is a typo (a
// wrong month or year) that would block the engineer for all of it.
constexpr absl::Duration kMaxVisitLength = absl::Hours(24);
// Nobody books an engineer further ahead than this; a slot years away is a
// typo too.
constexpr absl::Duration kBookingHorizon = absl::Hours(24 * 730);

// Checks an installation's fields and trims the text ones in place: they are
// stored trimmed, so that a set typed " accounting" repeats "accounting".
absl::Status CleanInstallation(v1::Installation& i) {
  RETURN_IF_ERROR(internal::TrimText("product_version",
                                     i.mutable_product_version(), 1, 50));
  if (i.workstations() < 1)
    return absl::InvalidArgumentError(absl::StrCat(
        "workstations: must be at least 1, got ", i.workstations()));
  if (i.installed_sets_size() > 200)
    return absl::InvalidArgumentError(
        "installed_sets: at most 200 document sets");
  std::set<std::string> seen;
  for (int k = 0; k < i.installed_sets_size(); ++k) {
    std::string f = absl::StrCat("installed_sets[", k, "]");
    RETURN_IF_ERROR(internal::TrimText(f, i.mutable_installed_sets(k), 1, 100));
    if (!seen.insert(i.installed_sets(k)).second)
      return absl::InvalidArgumentError(absl::StrCat(f, ": repeated set"));
  }
  return internal::TrimFreeText("address", i.mutable_address(), 0, 500);
}

std::vector<IndexEntry> InstallationIndexes(const v1::Installation& i) {
  return {{"org", KeyJoin({i.organization_id()}) +
                      EncodeOrderedInt64(internal::IdNumber(i.id()))}};
}

int64_t Micros(const google::protobuf::Timestamp& t) {
  return absl::ToUnixMicros(FromProto(t));
}

std::string Rfc(const google::protobuf::Timestamp& t) {
  return internal::FormatUtc(FromProto(t));
}

// The first scheduled visit of the engineer in `index` from `from` on.
absl::StatusOr<std::optional<v1::Visit>> Neighbour(Transaction& tx,
                                                   absl::string_view index,
                                                   absl::string_view engineer,
                                                   const std::string& from) {
  ScanRange range;
  range.index = std::string(index);
  range.lower = from;
  range.upper = internal::PrefixEnd(KeyJoin({engineer}));
  range.limit = 1;
  ASSIGN_OR_RETURN(auto rows, tx.Scan(tables::kVisit, range));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(auto v,
                   internal::ParseStored<v1::Visit>(tables::kVisit, rows[0]));
  return std::optional<v1::Visit>(std::move(v));
}

// FAILED_PRECONDITION naming the engineer's scheduled visit that overlaps
// [start, end). Scheduled visits of one engineer never overlap each other, so
// only the two neighbours of `start` in slot order can overlap the new slot:
// the first visit starting at or after `start` (if it starts before `end`)
// and the last one starting before `start` (if it ends after `start`).
absl::Status CheckNoOverlap(Transaction& tx, absl::string_view engineer,
                            int64_t start, int64_t end) {
  const std::string prefix = KeyJoin({engineer});
  ASSIGN_OR_RETURN(auto next, Neighbour(tx, kEngineerSlot, engineer,
                                        prefix + EncodeOrderedInt64(start)));
  // Descending keys: -start' >= -start + 1 means start' < start.
  ASSIGN_OR_RETURN(auto prev,
                   Neighbour(tx, kEngineerSlotDesc, engineer,
                             prefix + EncodeOrderedInt64(-start + 1)));
  for (const auto& v : {next, prev}) {
    if (!v) continue;
    if (Micros(v->slot_start()) < end && Micros(v->slot_end()) > start)
      return absl::FailedPreconditionError(absl::StrCat(
          "slot_start: engineer '", engineer, "' already has visit '", v->id(),
          "' at [", Rfc(v->slot_start()), ", ", Rfc(v->slot_end()), ")"));
  }
  return absl::OkStatus();
}

// Adds `line` to the visit's notes on a line of its own: the planning notes
// stay when the visit is done or cancelled.
void AppendNote(v1::Visit& v, absl::string_view line) {
  v.set_notes(v.notes().empty() ? std::string(line)
                                : absl::StrCat(v.notes(), "\n", line));
}

// SCHEDULED -> CANCELLED with `reason` appended to the notes.
absl::Status CancelVisitTx(TxScope& s, v1::Visit& v, absl::string_view reason) {
  v.set_state(v1::VISIT_STATE_CANCELLED);
  AppendNote(v, absl::StrCat("cancelled: ", reason));
  RETURN_IF_ERROR(
      internal::SaveRecord(s, tables::kVisit, v, internal::VisitIndexes(v)));
  s.Emit("visit", v.id(), "cancelled", v.version(), v.center_id(),
         v.organization_id(),
         {{"request_id", v.request_id()}, {"reason", std::string(reason)}});
  return absl::OkStatus();
}

absl::StatusOr<v1::Visit> MutateVisit(
    internal::DeskContext* ctx, const Actor& actor, absl::string_view id,
    int64_t version, absl::string_view what, const absl::Status& input,
    const std::function<absl::Status(TxScope&, v1::Visit&)>& body) {
  return ctx->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Visit> {
    RETURN_IF_ERROR(internal::RefuseClients(s.actor(), what));
    ASSIGN_OR_RETURN(auto v,
                     LoadRecord<v1::Visit>(s.tx(), tables::kVisit, id, "id"));
    RETURN_IF_ERROR(
        internal::RequireCenterStaff(s.actor(), v.center_id(), what));
    // Malformed input is reported before any state: as for requests.
    RETURN_IF_ERROR(input);
    RETURN_IF_ERROR(
        internal::CheckFresh(tables::kVisit, v.id(), version, v.version()));
    if (v.state() != v1::VISIT_STATE_SCHEDULED)
      return absl::FailedPreconditionError(
          absl::StrCat("state: visit '", v.id(), "' is ",
                       v1::VisitState_Name(v.state()), ", not scheduled"));
    RETURN_IF_ERROR(body(s, v));
    return v;
  });
}

}  // namespace

absl::StatusOr<v1::Installation> TechSupport::CreateInstallation(
    const Actor& actor, const v1::Installation& in) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::Installation> {
        RETURN_IF_ERROR(internal::RefuseClients(
            s.actor(), "register installations of this organization"));
        ASSIGN_OR_RETURN(
            auto org, LoadRecord<v1::Organization>(
                          s.tx(), tables::kOrganization, in.organization_id(),
                          "organization_id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), org.center_id(),
            "register installations of this organization"));
        if (!org.active())
          return absl::FailedPreconditionError(absl::StrCat(
              "organization_id: organization '", org.id(), "' is inactive"));
        v1::Installation i = in;
        RETURN_IF_ERROR(CleanInstallation(i));
        i.clear_version();
        i.clear_created_at();
        i.clear_updated_at();
        ASSIGN_OR_RETURN(*i.mutable_id(), s.NewId("inst"));
        i.set_center_id(org.center_id());
        i.set_active(true);
        RETURN_IF_ERROR(internal::SaveRecord(s, tables::kInstallation, i,
                                             InstallationIndexes(i)));
        s.Emit("installation", i.id(), "created", i.version(), i.center_id(),
               i.organization_id());
        return i;
      });
}

absl::StatusOr<v1::Installation> TechSupport::UpdateInstallation(
    const Actor& actor, const v1::Installation& in) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::Installation> {
        RETURN_IF_ERROR(
            internal::RefuseClients(s.actor(), "update this installation"));
        ASSIGN_OR_RETURN(
            auto i, LoadRecord<v1::Installation>(s.tx(), tables::kInstallation,
                                                 in.id(), "id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), i.center_id(), "update this installation"));
        if (!in.organization_id().empty() &&
            in.organization_id() != i.organization_id())
          return absl::InvalidArgumentError(
              "organization_id: an installation's organization cannot change");
        v1::Installation clean = in;
        RETURN_IF_ERROR(CleanInstallation(clean));
        RETURN_IF_ERROR(internal::CheckFresh(tables::kInstallation, i.id(),
                                             in.version(), i.version()));
        i.set_product_version(clean.product_version());
        i.set_workstations(clean.workstations());
        i.set_network(clean.network());
        *i.mutable_installed_sets() = clean.installed_sets();
        i.set_address(clean.address());
        i.set_active(clean.active());
        ASSIGN_OR_RETURN(bool changed,
                         internal::SaveIfChanged(s, tables::kInstallation, i,
                                                 InstallationIndexes(i)));
        if (changed)
          s.Emit("installation", i.id(), "updated", i.version(), i.center_id(),
                 i.organization_id());
        return i;
      });
}

absl::StatusOr<v1::Installation> TechSupport::GetInstallation(
    const Actor& actor, absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::Installation> {
    ASSIGN_OR_RETURN(auto i, internal::LoadVisibleRecord<v1::Installation>(
                                 s, tables::kInstallation, id, "id"));
    RETURN_IF_ERROR(internal::RequireOrganizationReader(
        s.actor(), i.center_id(), i.organization_id(),
        "read this installation"));
    return i;
  });
}

absl::StatusOr<Page<v1::Installation>> TechSupport::ListInstallations(
    const Actor& actor, absl::string_view organization_id,
    const PageRequest& page) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Installation>> {
        ASSIGN_OR_RETURN(
            auto org,
            internal::LoadVisibleRecord<v1::Organization>(
                s, tables::kOrganization, organization_id, "organization_id"));
        RETURN_IF_ERROR(internal::RequireOrganizationReader(
            s.actor(), org.center_id(), org.id(),
            "list this organization's installations"));
        std::string lower = KeyJoin({org.id()});
        return internal::ScanPage<v1::Installation>(
            s.tx(), tables::kInstallation, "org", lower,
            internal::PrefixEnd(lower), {}, page, nullptr);
      });
}

absl::StatusOr<v1::Visit> TechSupport::ScheduleVisit(const Actor& actor,
                                                     const v1::Visit& in) {
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Visit> {
    RETURN_IF_ERROR(
        internal::RefuseClients(s.actor(), "schedule visits for this request"));
    ASSIGN_OR_RETURN(
        auto r, internal::LoadRequest(s.tx(), in.request_id(), "request_id"));
    RETURN_IF_ERROR(internal::RequireWorker(
        s.actor(), r, "schedule visits for this request"));
    if (!internal::IsTechKind(r.kind()))
      return absl::InvalidArgumentError(absl::StrCat(
          "request_id: request '", r.id(), "' is of kind ",
          v1::ServiceKind_Name(r.kind()), ", not a technical-support kind"));
    if (!internal::IsOpenState(r.state()))
      return absl::FailedPreconditionError(
          absl::StrCat("request_id: request '", r.id(), "' is ",
                       internal::StateName(r.state())));
    // Nobody is sent to an installation that is out of service.
    RETURN_IF_ERROR(internal::CheckInstallation(s.tx(), r.installation_id(),
                                                r.organization_id()));
    if (!in.has_slot_start())
      return absl::InvalidArgumentError("slot_start: required");
    if (!in.has_slot_end())
      return absl::InvalidArgumentError("slot_end: required");
    RETURN_IF_ERROR(internal::CheckTimestamp("slot_start", in.slot_start()));
    RETURN_IF_ERROR(internal::CheckTimestamp("slot_end", in.slot_end()));
    const int64_t start = Micros(in.slot_start());
    const int64_t end = Micros(in.slot_end());
    if (end <= start)
      return absl::InvalidArgumentError("slot_end: must be after slot_start");
    if (FromProto(in.slot_end()) - FromProto(in.slot_start()) > kMaxVisitLength)
      return absl::InvalidArgumentError(absl::StrCat(
          "slot_end: a visit lasts at most 24 hours (one working day); [",
          Rfc(in.slot_start()), ", ", Rfc(in.slot_end()),
          ") is longer: book one visit per day"));
    // Visits a request was registered to arrange: none before it.
    if (FromProto(in.slot_start()) < FromProto(r.registered_at()))
      return absl::InvalidArgumentError(absl::StrCat(
          "slot_start: ", Rfc(in.slot_start()), " is before request '", r.id(),
          "' was registered (", Rfc(r.registered_at()), ")"));
    if (FromProto(in.slot_start()) > s.now() + kBookingHorizon)
      return absl::InvalidArgumentError(
          absl::StrCat("slot_start: ", Rfc(in.slot_start()),
                       " is more than 730 days (2 years) after now (",
                       internal::FormatUtc(s.now()), ")"));
    RETURN_IF_ERROR(internal::CheckFreeText("notes", in.notes(), 0, 2000));
    ASSIGN_OR_RETURN(
        auto eng, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                              in.engineer_id(), "engineer_id"));
    if (eng.center_id() != r.center_id() || !eng.active() ||
        std::find(eng.roles().begin(), eng.roles().end(),
                  v1::STAFF_ROLE_ENGINEER) == eng.roles().end())
      return absl::FailedPreconditionError(absl::StrCat(
          "engineer_id: '", eng.id(), "' is not an active engineer of center '",
          r.center_id(), "'"));
    // Qualified for the whole visit: a qualification that lapses during the
    // slot would leave the engineer on site unqualified.
    RETURN_IF_ERROR(internal::CheckQualifiedFor(
        eng, r.kind(), FromProto(in.slot_start()), "engineer_id"));
    if (absl::Status through = internal::CheckQualifiedFor(
            eng, r.kind(), FromProto(in.slot_end()) - absl::Microseconds(1),
            "engineer_id");
        !through.ok())
      return absl::FailedPreconditionError(
          absl::StrCat(through.message(), ": it must hold until slot_end ",
                       Rfc(in.slot_end())));
    RETURN_IF_ERROR(CheckNoOverlap(s.tx(), eng.id(), start, end));
    v1::Visit v;
    ASSIGN_OR_RETURN(*v.mutable_id(), s.NewId("visit"));
    v.set_request_id(r.id());
    v.set_installation_id(r.installation_id());
    v.set_engineer_id(eng.id());
    *v.mutable_slot_start() = in.slot_start();
    *v.mutable_slot_end() = in.slot_end();
    v.set_center_id(r.center_id());
    v.set_organization_id(r.organization_id());
    v.set_state(v1::VISIT_STATE_SCHEDULED);
    v.set_notes(in.notes());
    RETURN_IF_ERROR(
        internal::SaveRecord(s, tables::kVisit, v, internal::VisitIndexes(v)));
    s.Emit("visit", v.id(), "scheduled", v.version(), v.center_id(),
           v.organization_id(),
           {{"request_id", r.id()},
            {"engineer_id", eng.id()},
            {"slot_start", Rfc(v.slot_start())},
            {"slot_end", Rfc(v.slot_end())}});
    return v;
  });
}

absl::StatusOr<v1::Visit> TechSupport::CompleteVisit(const Actor& actor,
                                                     absl::string_view id,
                                                     int64_t version,
                                                     absl::string_view notes) {
  return MutateVisit(
      ctx_, actor, id, version, "complete this visit",
      internal::CheckFreeText("notes", notes, 0, 2000),
      [&](TxScope& s, v1::Visit& v) -> absl::Status {
        // Done early, it would free a slot the engineer is
        // still booked for.
        if (s.now() < FromProto(v.slot_start()))
          return absl::FailedPreconditionError(absl::StrCat(
              "slot_start: visit '", v.id(), "' begins at ",
              Rfc(v.slot_start()), "; it cannot be done before it begins"));
        v.set_state(v1::VISIT_STATE_DONE);
        if (!notes.empty()) AppendNote(v, notes);
        RETURN_IF_ERROR(internal::SaveRecord(s, tables::kVisit, v,
                                             internal::VisitIndexes(v)));
        s.Emit("visit", v.id(), "completed", v.version(), v.center_id(),
               v.organization_id(), {{"request_id", v.request_id()}});
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Visit> TechSupport::CancelVisit(const Actor& actor,
                                                   absl::string_view id,
                                                   int64_t version,
                                                   absl::string_view reason) {
  return MutateVisit(ctx_, actor, id, version, "cancel this visit",
                     internal::CheckFreeText("reason", reason, 1, 2000),
                     [&](TxScope& s, v1::Visit& v) -> absl::Status {
                       return CancelVisitTx(s, v, reason);
                     });
}

absl::StatusOr<v1::Visit> TechSupport::GetVisit(const Actor& actor,
                                                absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::Visit> {
    ASSIGN_OR_RETURN(auto v, internal::LoadVisibleRecord<v1::Visit>(
                                 s, tables::kVisit, id, "id"));
    RETURN_IF_ERROR(internal::RequireOrganizationReader(
        s.actor(), v.center_id(), v.organization_id(), "read this visit"));
    return v;
  });
}

absl::StatusOr<Page<v1::Visit>> TechSupport::ListVisits(
    const Actor& actor, absl::string_view request_id, const PageRequest& page) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Visit>> {
    ASSIGN_OR_RETURN(auto r,
                     internal::LoadVisibleRecord<v1::ServiceRequest>(
                         s, tables::kRequest, request_id, "request_id"));
    RETURN_IF_ERROR(
        internal::RequireReader(s.actor(), r, "list this request's visits"));
    std::string lower = KeyJoin({r.id()});
    return internal::ScanPage<v1::Visit>(s.tx(), tables::kVisit, "request",
                                         lower, internal::PrefixEnd(lower), {},
                                         page, nullptr);
  });
}

namespace internal {

std::vector<IndexEntry> VisitIndexes(const v1::Visit& v) {
  std::vector<IndexEntry> idx = {
      // Slot order; visits of one start in creation order (visit-9 before
      // visit-10).
      {"request", KeyJoin({v.request_id()}) +
                      EncodeOrderedInt64(Micros(v.slot_start())) +
                      EncodeOrderedInt64(IdNumber(v.id()))}};
  if (v.state() == v1::VISIT_STATE_SCHEDULED) {
    idx.push_back(
        {kEngineerSlot, KeyJoin({v.engineer_id()}) +
                            EncodeOrderedInt64(Micros(v.slot_start()))});
    idx.push_back(
        {kEngineerSlotDesc, KeyJoin({v.engineer_id()}) +
                                EncodeOrderedInt64(-Micros(v.slot_start()))});
  }
  return idx;
}

absl::StatusOr<std::vector<v1::Visit>> ScheduledVisitsTx(
    TxScope& s, absl::string_view request_id) {
  const std::string lower = KeyJoin({request_id});
  ScanRange range;
  range.index = "request";
  range.lower = lower;
  range.upper = PrefixEnd(lower);
  ASSIGN_OR_RETURN(auto rows, s.tx().Scan(tables::kVisit, range));
  std::vector<v1::Visit> out;
  for (const StoredRecord& row : rows) {
    ASSIGN_OR_RETURN(auto v, ParseStored<v1::Visit>(tables::kVisit, row));
    if (v.state() == v1::VISIT_STATE_SCHEDULED) out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<int64_t> PendingVisits(Transaction& tx,
                                      absl::string_view engineer_id,
                                      absl::Time now,
                                      std::vector<std::string>* first,
                                      size_t keep) {
  const int64_t at = absl::ToUnixMicros(now);
  const std::string prefix = KeyJoin({engineer_id});
  int64_t n = 0;
  auto note = [&](absl::string_view id) {
    if (first != nullptr && first->size() < keep) first->emplace_back(id);
    ++n;
  };
  // Descending keys: -start' >= -at + 1 means start' < at.
  ASSIGN_OR_RETURN(auto under_way,
                   Neighbour(tx, kEngineerSlotDesc, engineer_id,
                             prefix + EncodeOrderedInt64(-at + 1)));
  if (under_way && Micros(under_way->slot_end()) > at) note(under_way->id());
  ScanRange range;
  range.index = kEngineerSlot;
  range.lower = prefix + EncodeOrderedInt64(at);
  range.upper = PrefixEnd(prefix);
  RETURN_IF_ERROR(tx.ScanKeys(tables::kVisit, range,
                              [&](absl::string_view, absl::string_view key) {
                                note(key);
                                return true;
                              }));
  return n;
}

absl::StatusOr<int64_t> UnqualifiedVisits(Transaction& tx,
                                          const v1::StaffMember& m,
                                          absl::Time now,
                                          std::vector<std::string>* first,
                                          size_t keep) {
  std::vector<std::string> pending;
  ASSIGN_OR_RETURN(const int64_t count,
                   PendingVisits(tx, m.id(), now, &pending,
                                 std::numeric_limits<size_t>::max()));
  if (count == 0) return 0;
  int64_t n = 0;
  for (const std::string& id : pending) {
    ASSIGN_OR_RETURN(auto v,
                     LoadRecord<v1::Visit>(tx, tables::kVisit, id, "id"));
    ASSIGN_OR_RETURN(
        auto r, LoadRecord<v1::ServiceRequest>(tx, tables::kRequest,
                                               v.request_id(), "request_id"));
    // A qualification ends at valid_until: held at the slot's last instant,
    // it was held through the slot.
    absl::Status held = CheckQualifiedFor(
        m, r.kind(), FromProto(v.slot_end()) - absl::Microseconds(1),
        "qualifications");
    if (held.ok()) continue;
    if (!absl::IsFailedPrecondition(held)) return held;
    if (first != nullptr && first->size() < keep) first->push_back(id);
    ++n;
  }
  return n;
}

absl::Status CancelScheduledVisitsTx(TxScope& s, absl::string_view request_id,
                                     absl::string_view reason) {
  ASSIGN_OR_RETURN(std::vector<v1::Visit> visits,
                   ScheduledVisitsTx(s, request_id));
  for (v1::Visit& v : visits) RETURN_IF_ERROR(CancelVisitTx(s, v, reason));
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace servicedesk
