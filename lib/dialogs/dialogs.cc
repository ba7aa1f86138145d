#include "servicedesk/dialogs.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/org/center_staff.h"
#include "lib/requests/request_core.h"
#include "lib/requests/request_indexes.h"
#include "lib/sla/clock_engine.h"

namespace servicedesk {
namespace {
using internal::FromProto;
using internal::KeyJoin;
using internal::LoadRecord;
using internal::RequestChange;
using internal::ResolvedActor;
using internal::ToProto;
using internal::TxScope;
namespace tables = internal::tables;

constexpr char kWaiting[] = "waiting";
constexpr char kTaken[] = "taken";
constexpr int kAttempts = 5;

std::string ArrivalKey(const v1::Dialog& d) {
  return EncodeOrderedInt64(absl::ToUnixMicros(FromProto(d.opened_at()))) +
         EncodeOrderedInt64(internal::IdNumber(d.id()));
}

std::vector<IndexEntry> DialogIndexes(const v1::Dialog& d) {
  std::vector<IndexEntry> idx = {
      {"center", KeyJoin({d.center_id()}) + ArrivalKey(d)},
      {"org", KeyJoin({d.organization_id()}) + ArrivalKey(d)},
  };
  if (d.state() == v1::DIALOG_STATE_WAITING)
    idx.push_back({kWaiting, KeyJoin({d.center_id()}) + ArrivalKey(d)});
  if (d.has_taken_at())
    // Newest first: the estimate reads the most recent takes.
    idx.push_back(
        {kTaken,
         KeyJoin({d.center_id()}) +
             EncodeOrderedInt64(-absl::ToUnixMicros(FromProto(d.taken_at()))) +
             EncodeOrderedInt64(-internal::IdNumber(d.id()))});
  return idx;
}

// Dialog `id`; another organisation's is NOT_FOUND for a client contact, as
// an unknown one.
absl::StatusOr<v1::Dialog> LoadDialog(TxScope& s, absl::string_view id) {
  return internal::LoadVisibleRecord<v1::Dialog>(s, tables::kDialog, id, "id");
}

absl::Status SaveDialog(TxScope& s, v1::Dialog& d, absl::string_view action,
                        std::map<std::string, std::string> details = {}) {
  RETURN_IF_ERROR(
      internal::SaveRecord(s, tables::kDialog, d, DialogIndexes(d)));
  details["request_id"] = d.request_id();
  s.Emit("dialog", d.id(), action, d.version(), d.center_id(),
         d.organization_id(), internal::DetailViews(details));
  return absl::OkStatus();
}

std::string StateName(v1::DialogState s) {
  return internal::ShortEnumName(v1::DialogState_Name(s), "DIALOG_STATE_");
}

absl::Status NotInState(const v1::Dialog& d, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("state: cannot ", what, " dialog '", d.id(), "': it is ",
                   StateName(d.state())));
}

// Retries a call whose transaction lost a race (ABORTED): dialog calls take
// no version, so a concurrent message or take is re-read and re-applied.
template <typename Fn>
auto Retrying(Fn fn) -> decltype(fn()) {
  for (int attempt = 1;; ++attempt) {
    auto result = fn();
    if (!absl::IsAborted(internal::StatusOf(result)) || attempt == kAttempts)
      return result;
  }
}

// Business time between a and b on the calendar of the request's
// first-response clock (24/7 when it has none).
absl::StatusOr<absl::Duration> BusinessWait(internal::DeskContext& ctx,
                                            TxScope& s,
                                            absl::string_view request_id,
                                            absl::Time a, absl::Time b) {
  // Before the opening only when two processes' clocks disagree: no wait,
  // rather than a negative one that would lower every expected wait.
  if (b <= a) return absl::ZeroDuration();
  ASSIGN_OR_RETURN(auto clocks, internal::LoadClocksTx(s, request_id));
  std::string calendar_id;
  for (const v1::TargetClock* c : clocks)
    if (c->kind() == v1::CLOCK_KIND_FIRST_RESPONSE) {
      calendar_id = c->calendar_id();
      break;
    }
  if (calendar_id.empty()) return b - a;
  ASSIGN_OR_RETURN(auto cal, internal::CalendarFor(ctx, s.tx(), calendar_id));
  return cal->Between(a, b);
}

// The specialist's presence; never set means available.
absl::StatusOr<v1::DialogPresence> PresenceOf(Transaction& tx,
                                              absl::string_view staff_id,
                                              absl::string_view center_id) {
  auto p = LoadRecord<v1::DialogPresence>(tx, tables::kDialogPresence, staff_id,
                                          "staff_id");
  if (!absl::IsNotFound(p.status())) return p;
  v1::DialogPresence fresh;
  fresh.set_id(std::string(staff_id));
  fresh.set_center_id(std::string(center_id));
  fresh.set_available(true);
  return fresh;
}

// The center's hotline specialists who may take a dialog now: active,
// qualified and not away.
absl::StatusOr<int> AvailableSpecialists(Transaction& tx,
                                         absl::string_view center_id,
                                         absl::Time now) {
  ASSIGN_OR_RETURN(const v1::ServiceDefinition* def,
                   internal::CatalogEntry(v1::SERVICE_KIND_ONLINE_DIALOG));
  ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      internal::EligibleStaff(tx, center_id, v1::STAFF_ROLE_HOTLINE_SPECIALIST,
                              def->required_qualification(), now));
  int available = 0;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(v1::DialogPresence p, PresenceOf(tx, id, center_id));
    if (p.available()) ++available;
  }
  return available;
}

// FAILED_PRECONDITION naming `field` if `m` is away.
absl::Status CheckAvailable(Transaction& tx, const v1::StaffMember& m,
                            absl::string_view field) {
  ASSIGN_OR_RETURN(v1::DialogPresence p, PresenceOf(tx, m.id(), m.center_id()));
  if (p.available()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": staff member '", m.id(),
                   "' is away (not available for online dialogs since ",
                   internal::FormatUtc(FromProto(p.since())), ")"));
}

// An active hotline specialist of the center: the only staff whose
// availability for dialogs means something.
absl::Status CheckHotlineSpecialist(const v1::StaffMember& m,
                                    absl::string_view center_id,
                                    absl::string_view field) {
  if (m.center_id() == center_id && m.active() &&
      std::find(m.roles().begin(), m.roles().end(),
                v1::STAFF_ROLE_HOTLINE_SPECIALIST) != m.roles().end())
    return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": '", m.id(), "' is not an active hotline specialist of center '",
      center_id, "'"));
}

// The calling specialist, who must be an active hotline specialist with the
// qualification the catalog requires for ONLINE_DIALOG, and available.
absl::StatusOr<v1::StaffMember> LoadSpecialist(TxScope& s) {
  const ResolvedActor& a = s.actor();
  if (!a.IsStaff() || !a.HasRole(v1::STAFF_ROLE_HOTLINE_SPECIALIST))
    return internal::PermissionDenied(
        a, "take online dialogs (hotline specialists only)");
  ASSIGN_OR_RETURN(auto m, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                       a.id, "actor"));
  RETURN_IF_ERROR(internal::CheckQualifiedFor(m, v1::SERVICE_KIND_ONLINE_DIALOG,
                                              s.now(), "actor"));
  RETURN_IF_ERROR(CheckAvailable(s.tx(), m, "actor"));
  return m;
}

// WAITING -> ACTIVE with `m` as the specialist; the request follows.
absl::StatusOr<v1::Dialog> TakeTx(internal::DeskContext& ctx, TxScope& s,
                                  const Actor& actor, v1::Dialog d,
                                  const v1::StaffMember& m) {
  if (d.state() != v1::DIALOG_STATE_WAITING) return NotInState(d, "take");
  ASSIGN_OR_RETURN(auto r,
                   internal::LoadRequest(s.tx(), d.request_id(), "request_id"));
  ASSIGN_OR_RETURN(
      absl::Duration wait,
      BusinessWait(ctx, s, r.id(), FromProto(d.opened_at()), s.now()));
  d.set_state(v1::DIALOG_STATE_ACTIVE);
  d.set_specialist_id(m.id());
  *d.mutable_taken_at() = ToProto(s.now());
  *d.mutable_queue_wait() = ToProto(wait);
  v1::StaffAssignment* h = d.add_handovers();
  h->set_staff_id(m.id());
  *h->mutable_at() = ToProto(s.now());
  h->set_by(internal::ActorLabel(s.actor()));
  h->set_reason("taken from the queue");
  RequestChange ch(s, r);
  ch.SetAssignee(m.id(), "", "took the online dialog");
  RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_ASSIGNED, "dialog taken"));
  RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_IN_PROGRESS, "dialog taken"));
  RETURN_IF_ERROR(internal::RefreshClocks(ctx, s, actor, r));
  RETURN_IF_ERROR(ch.Save());
  RETURN_IF_ERROR(SaveDialog(
      s, d, "taken",
      {{"specialist_id", m.id()},
       {"queue_wait_seconds", absl::StrCat(absl::ToInt64Seconds(wait))}}));
  return d;
}

bool IsDialogContact(const ResolvedActor& a, const v1::Dialog& d) {
  return a.IsContact() && a.id == d.contact_id();
}
bool IsDialogSpecialist(const ResolvedActor& a, const v1::Dialog& d) {
  return a.IsStaff() && !d.specialist_id().empty() && a.id == d.specialist_id();
}

}  // namespace

absl::StatusOr<v1::Dialog> Dialogs::Open(const Actor& actor,
                                         absl::string_view topic,
                                         absl::string_view first_message) {
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
    const ResolvedActor& a = s.actor();
    if (!a.IsContact())
      return internal::PermissionDenied(
          a, "open online dialogs (client contacts only)");
    RETURN_IF_ERROR(internal::CheckText("topic", topic, 1, 300));
    RETURN_IF_ERROR(
        internal::CheckFreeText("first_message", first_message, 1, 5000));
    ASSIGN_OR_RETURN(auto org, LoadRecord<v1::Organization>(
                                   s.tx(), tables::kOrganization,
                                   a.organization_id, "organization_id"));
    v1::Dialog d;
    ASSIGN_OR_RETURN(*d.mutable_id(), s.NewId("dialog"));
    v1::ServiceRequest r;
    r.set_organization_id(org.id());
    r.set_contact_id(a.id);
    r.set_kind(v1::SERVICE_KIND_ONLINE_DIALOG);
    r.set_channel(v1::CHANNEL_ONLINE_DIALOG);
    r.set_priority(v1::PRIORITY_NORMAL);
    r.set_subject(std::string(topic));
    r.set_description(std::string(first_message));
    r.set_dialog_id(d.id());
    v1::DialogMessage* m = d.add_messages();
    *m->mutable_at() = ToProto(s.now());
    m->set_contact_id(a.id);
    m->set_text(std::string(first_message));
    *r.add_messages() = *m;
    RETURN_IF_ERROR(internal::RegisterRequest(*ctx_, s, actor, org, r,
                                              /*auto_assign=*/false));
    d.set_organization_id(org.id());
    d.set_contact_id(a.id);
    d.set_center_id(org.center_id());
    d.set_request_id(r.id());
    d.set_state(v1::DIALOG_STATE_WAITING);
    d.set_topic(std::string(topic));
    *d.mutable_opened_at() = ToProto(s.now());
    RETURN_IF_ERROR(SaveDialog(s, d, "opened", {{"topic", d.topic()}}));
    return d;
  });
}

absl::StatusOr<v1::Dialog> Dialogs::Get(const Actor& actor,
                                        absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
    ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
    RETURN_IF_ERROR(internal::RequireOrganizationReader(
        s.actor(), d.center_id(), d.organization_id(), "read this dialog"));
    return d;
  });
}

absl::StatusOr<Page<v1::Dialog>> Dialogs::List(const Actor& actor,
                                               const DialogFilter& filter,
                                               const PageRequest& page) {
  RETURN_IF_ERROR(internal::CheckEnumValue("state", filter.state));
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Dialog>> {
    const ResolvedActor& a = s.actor();
    DialogFilter f = filter;
    if (a.IsContact()) {
      if (!f.organization_id.empty() && f.organization_id != a.organization_id)
        return internal::PermissionDenied(
            a, "list dialogs of another organization");
      f.organization_id = a.organization_id;
    } else if (a.IsStaff()) {
      if (!f.center_id.empty() && f.center_id != a.center_id)
        return internal::PermissionDenied(a, "list dialogs of another center");
      f.center_id = a.center_id;
    }
    RETURN_IF_ERROR(internal::CheckFilterIds(
        s.tx(), a,
        {{"center_id", tables::kCenter, filter.center_id},
         {"organization_id", tables::kOrganization, f.organization_id}}));
    std::string index = "center";
    std::string lower;
    if (!f.organization_id.empty()) {
      index = "org";
      lower = KeyJoin({f.organization_id});
    } else if (!f.center_id.empty()) {
      lower = KeyJoin({f.center_id});
    }
    std::string upper = lower.empty() ? "" : internal::PrefixEnd(lower);
    return internal::ScanPage<v1::Dialog>(
        s.tx(), tables::kDialog, index, lower, upper,
        {f.center_id, f.organization_id, absl::StrCat(f.state)}, page,
        [&](const v1::Dialog& d) {
          if (!f.center_id.empty() && d.center_id() != f.center_id)
            return false;
          if (!f.organization_id.empty() &&
              d.organization_id() != f.organization_id)
            return false;
          return f.state == v1::DIALOG_STATE_UNSPECIFIED ||
                 d.state() == f.state;
        });
  });
}

absl::StatusOr<v1::Dialog> Dialogs::Take(const Actor& actor) {
  return Retrying([&] {
    return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
      ASSIGN_OR_RETURN(v1::StaffMember m, LoadSpecialist(s));
      ScanRange range;
      range.index = kWaiting;
      range.lower = KeyJoin({m.center_id()});
      range.upper = internal::PrefixEnd(range.lower);
      range.limit = 1;
      ASSIGN_OR_RETURN(auto rows, s.tx().Scan(tables::kDialog, range));
      if (rows.empty())
        return absl::NotFoundError(absl::StrCat(
            "queue: no dialog is waiting in center '", m.center_id(), "'"));
      ASSIGN_OR_RETURN(
          auto d, internal::ParseStored<v1::Dialog>(tables::kDialog, rows[0]));
      return TakeTx(*ctx_, s, actor, std::move(d), m);
    });
  });
}

absl::StatusOr<v1::Dialog> Dialogs::TakeSpecific(const Actor& actor,
                                                 absl::string_view id) {
  return Retrying([&] {
    return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
      ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
      if (s.actor().center_id != d.center_id() || !s.actor().IsStaff())
        return internal::PermissionDenied(s.actor(), "take this dialog");
      ASSIGN_OR_RETURN(v1::StaffMember m, LoadSpecialist(s));
      return TakeTx(*ctx_, s, actor, std::move(d), m);
    });
  });
}

absl::StatusOr<v1::Dialog> Dialogs::Post(const Actor& actor,
                                         absl::string_view id,
                                         absl::string_view text) {
  return Retrying([&] {
    return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
      ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
      const ResolvedActor& a = s.actor();
      const bool contact = IsDialogContact(a, d);
      if (!contact && !IsDialogSpecialist(a, d))
        return internal::PermissionDenied(a, "write in this dialog");
      if (d.state() == v1::DIALOG_STATE_CLOSED ||
          (!contact && d.state() != v1::DIALOG_STATE_ACTIVE))
        return NotInState(d, "write in");
      RETURN_IF_ERROR(internal::CheckFreeText("text", text, 1, 5000));
      v1::DialogMessage* m = d.add_messages();
      *m->mutable_at() = ToProto(s.now());
      if (contact)
        m->set_contact_id(a.id);
      else
        m->set_staff_id(a.id);
      m->set_text(std::string(text));
      // The transcript is part of the request: readers of the request (and
      // the request's history) see every message the dialog has.
      ASSIGN_OR_RETURN(
          auto r, internal::LoadRequest(s.tx(), d.request_id(), "request_id"));
      *r.add_messages() = *m;
      RequestChange ch(s, r);
      if (!contact) {
        const bool first = !r.has_first_response_at();
        RETURN_IF_ERROR(internal::MarkResponse(*ctx_, s, actor, ch));
        if (first)
          ch.Note("responded", {{"first", "true"}, {"dialog_id", d.id()}});
      }
      RETURN_IF_ERROR(ch.Save());
      RETURN_IF_ERROR(SaveDialog(s, d, "message_posted",
                                 {{"from", contact ? "contact" : "staff"}}));
      return d;
    });
  });
}

absl::StatusOr<v1::Dialog> Dialogs::Handover(const Actor& actor,
                                             absl::string_view id,
                                             absl::string_view to_staff_id,
                                             absl::string_view reason) {
  return Retrying([&] {
    return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
      ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
      if (!IsDialogSpecialist(s.actor(), d))
        RETURN_IF_ERROR(internal::RequireCenterRole(
            s.actor(), d.center_id(), {}, "hand this dialog over"));
      if (d.state() != v1::DIALOG_STATE_ACTIVE)
        return NotInState(d, "hand over");
      RETURN_IF_ERROR(internal::CheckFreeText("reason", reason, 1, 500));
      ASSIGN_OR_RETURN(auto to,
                       LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                   to_staff_id, "to_staff_id"));
      RETURN_IF_ERROR(CheckHotlineSpecialist(to, d.center_id(), "to_staff_id"));
      if (to.id() == d.specialist_id())
        return absl::FailedPreconditionError(absl::StrCat(
            "to_staff_id: '", to.id(), "' already has this dialog"));
      RETURN_IF_ERROR(internal::CheckQualifiedFor(
          to, v1::SERVICE_KIND_ONLINE_DIALOG, s.now(), "to_staff_id"));
      RETURN_IF_ERROR(CheckAvailable(s.tx(), to, "to_staff_id"));
      std::string from = d.specialist_id();
      d.set_specialist_id(to.id());
      v1::StaffAssignment* h = d.add_handovers();
      h->set_staff_id(to.id());
      *h->mutable_at() = ToProto(s.now());
      h->set_by(internal::ActorLabel(s.actor()));
      h->set_reason(std::string(reason));
      ASSIGN_OR_RETURN(
          auto r, internal::LoadRequest(s.tx(), d.request_id(), "request_id"));
      RequestChange ch(s, r);
      ch.SetAssignee(to.id(), "", reason);
      RETURN_IF_ERROR(internal::RefreshClocks(*ctx_, s, actor, r));
      RETURN_IF_ERROR(ch.Save());
      RETURN_IF_ERROR(SaveDialog(
          s, d, "handed_over",
          {{"from", from}, {"to", to.id()}, {"reason", std::string(reason)}}));
      return d;
    });
  });
}

absl::StatusOr<v1::Dialog> Dialogs::Close(const Actor& actor,
                                          absl::string_view id) {
  return Retrying([&] {
    return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Dialog> {
      ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
      const ResolvedActor& a = s.actor();
      if (!IsDialogContact(a, d) && !IsDialogSpecialist(a, d))
        RETURN_IF_ERROR(internal::RequireCenterRole(a, d.center_id(), {},
                                                    "close this dialog"));
      if (d.state() == v1::DIALOG_STATE_CLOSED) return NotInState(d, "close");
      ASSIGN_OR_RETURN(
          auto r, internal::LoadRequest(s.tx(), d.request_id(), "request_id"));
      RequestChange ch(s, r);
      const std::string by = internal::ActorLabel(a);
      if (d.state() == v1::DIALOG_STATE_WAITING) {
        std::string why = "the dialog was closed before a specialist took it";
        RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_CANCELLED, why));
        r.set_cancel_reason(why);
        ch.Note("cancelled", {{"reason", why}});
      } else {
        RETURN_IF_ERROR(ch.MoveTo(v1::REQUEST_STATE_RESOLVED, "dialog closed"));
        r.set_resolution(absl::StrCat("online dialog closed by ", by));
        *r.mutable_resolved_at() = ToProto(s.now());
        if (!r.has_first_response_at())
          *r.mutable_first_response_at() = ToProto(s.now());
        ch.Note("resolved", {{"dialog_id", d.id()}});
      }
      if (r.state() == v1::REQUEST_STATE_CANCELLED) {
        RETURN_IF_ERROR(internal::AsEngine(s, actor, [&](TxScope& e) {
                          return internal::CancelClocksTx(*ctx_, e, r.id(),
                                                          s.now());
                        }).status());
      } else {
        RETURN_IF_ERROR(internal::AsEngine(s, actor, [&](TxScope& e) {
                          return internal::StopClockIfOpenTx(
                              *ctx_, e, r.id(), v1::CLOCK_KIND_RESOLUTION,
                              s.now());
                        }).status());
      }
      RETURN_IF_ERROR(ch.Save());
      d.set_state(v1::DIALOG_STATE_CLOSED);
      *d.mutable_closed_at() = ToProto(s.now());
      RETURN_IF_ERROR(SaveDialog(s, d, "closed", {{"by", by}}));
      return d;
    });
  });
}

absl::StatusOr<v1::DialogPresence> Dialogs::SetAvailable(
    const Actor& actor, absl::string_view staff_id, bool available) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::DialogPresence> {
        ASSIGN_OR_RETURN(auto m,
                         LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                     staff_id, "staff_id"));
        const ResolvedActor& a = s.actor();
        if (!(a.IsStaff() && a.id == m.id()))
          RETURN_IF_ERROR(internal::RequireCenterRole(
              a, m.center_id(), {}, "set this specialist's availability"));
        RETURN_IF_ERROR(CheckHotlineSpecialist(m, m.center_id(), "staff_id"));
        ASSIGN_OR_RETURN(v1::DialogPresence p,
                         PresenceOf(s.tx(), m.id(), m.center_id()));
        if (p.available() == available) return p;  // nothing to change
        p.set_available(available);
        p.set_center_id(m.center_id());
        *p.mutable_since() = ToProto(s.now());
        p.set_set_by(internal::ActorLabel(a));
        RETURN_IF_ERROR(
            internal::SaveRecord(s, tables::kDialogPresence, p, {}));
        s.Emit("dialog_presence", p.id(), available ? "available" : "away",
               p.version(), p.center_id(), "", {{"set_by", p.set_by()}});
        return p;
      });
}

absl::StatusOr<v1::DialogPresence> Dialogs::Presence(
    const Actor& actor, absl::string_view staff_id) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::DialogPresence> {
        ASSIGN_OR_RETURN(auto m,
                         LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                     staff_id, "staff_id"));
        RETURN_IF_ERROR(internal::RequireCenterStaff(
            s.actor(), m.center_id(), "read this specialist's availability"));
        // As SetAvailable: "available" would be a claim about someone who
        // never takes dialogs.
        RETURN_IF_ERROR(CheckHotlineSpecialist(m, m.center_id(), "staff_id"));
        return PresenceOf(s.tx(), m.id(), m.center_id());
      });
}

absl::StatusOr<v1::QueuePosition> Dialogs::Position(const Actor& actor,
                                                    absl::string_view id) {
  const int samples = std::max(1, ctx_->request_options.dialog_wait_samples);
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::QueuePosition> {
        ASSIGN_OR_RETURN(auto d, LoadDialog(s, id));
        RETURN_IF_ERROR(internal::RequireOrganizationReader(
            s.actor(), d.center_id(), d.organization_id(),
            "see this dialog's place in the queue"));
        if (d.state() != v1::DIALOG_STATE_WAITING)
          return absl::FailedPreconditionError(absl::StrCat(
              "state: dialog '", d.id(), "' is ", StateName(d.state()),
              ", not WAITING: it has no place in the queue"));
        const std::string mine = KeyJoin({d.center_id()}) + ArrivalKey(d);
        ScanRange range;
        range.index = kWaiting;
        range.lower = KeyJoin({d.center_id()});
        range.upper = internal::PrefixEnd(range.lower);
        // Keys only: the arrival key includes the id, so it orders alone.
        int ahead = 0, waiting = 0;
        RETURN_IF_ERROR(
            s.tx().ScanKeys(tables::kDialog, range,
                            [&](absl::string_view ik, absl::string_view) {
                              ++waiting;
                              if (ik < mine) ++ahead;
                              return true;
                            }));
        // The average queue wait of the center's most recent takes.
        ScanRange taken;
        taken.index = kTaken;
        taken.lower = KeyJoin({d.center_id()});
        taken.upper = internal::PrefixEnd(taken.lower);
        taken.limit = samples;
        ASSIGN_OR_RETURN(auto recent, s.tx().Scan(tables::kDialog, taken));
        absl::Duration average;
        ASSIGN_OR_RETURN(auto clocks,
                         internal::LoadClocksTx(s, d.request_id()));
        const v1::TargetClock* first_response = nullptr;
        for (const v1::TargetClock* c : clocks)
          if (c->kind() == v1::CLOCK_KIND_FIRST_RESPONSE) first_response = c;
        if (!recent.empty()) {
          absl::Duration total;
          for (const StoredRecord& row : recent) {
            ASSIGN_OR_RETURN(auto t, internal::ParseStored<v1::Dialog>(
                                         tables::kDialog, row));
            total += FromProto(t.queue_wait());
          }
          average = total / static_cast<int64_t>(recent.size());
        } else if (first_response != nullptr) {
          average = FromProto(first_response->target().duration());
        }
        ASSIGN_OR_RETURN(int available,
                         AvailableSpecialists(s.tx(), d.center_id(), s.now()));
        v1::QueuePosition out;
        out.set_position(ahead + 1);
        out.set_waiting(waiting);
        out.set_available_specialists(available);
        // k specialists take the queue k dialogs at a time: position p waits
        // ceil(p / k) rounds. With nobody available the queue still moves
        // when someone comes back, so it reads as for one specialist rather
        // than as no wait or an endless one.
        const int per_round = std::max(1, available);
        const absl::Duration wait = average * ((ahead + per_round) / per_round);
        *out.mutable_expected_wait() = ToProto(wait);
        ASSIGN_OR_RETURN(
            auto cal, internal::CalendarFor(
                          *ctx_, s.tx(),
                          first_response ? first_response->calendar_id() : ""));
        // Unset for a calendar that never opens again.
        if (const absl::Time at = cal->Add(s.now(), wait);
            at != absl::InfiniteFuture())
          *out.mutable_expected_at() = ToProto(at);
        return out;
      });
}

}  // namespace servicedesk
