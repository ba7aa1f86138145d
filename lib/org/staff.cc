#include "servicedesk/staff.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/org/assignments.h"
#include "lib/org/center_staff.h"
#include "lib/techsupport/visits.h"

namespace servicedesk {
namespace internal {

std::vector<IndexEntry> StaffIndexes(const v1::StaffMember& m) {
  std::vector<IndexEntry> idx = {
      {"center", KeyJoin({m.center_id(), NameKey(m.full_name())})}};
  if (m.active()) idx.push_back({"email", internal::EmailKey(m.email()), true});
  for (IndexEntry& e : AssignmentIndexes(m)) idx.push_back(std::move(e));
  return idx;
}

}  // namespace internal

namespace {
using internal::LoadRecord;
using internal::TxScope;
namespace tables = internal::tables;

// Surrounding spaces are not part of a name, an address or a phone number.
v1::StaffMember Trimmed(v1::StaffMember m) {
  absl::StripAsciiWhitespace(m.mutable_full_name());
  absl::StripAsciiWhitespace(m.mutable_email());
  absl::StripAsciiWhitespace(m.mutable_phone());
  for (v1::Qualification& q : *m.mutable_qualifications())
    absl::StripAsciiWhitespace(q.mutable_title());
  return m;
}

absl::Status ValidateStaff(const v1::StaffMember& m) {
  RETURN_IF_ERROR(internal::CheckText("full_name", m.full_name(), 1, 200));
  RETURN_IF_ERROR(internal::CheckEmail("email", m.email()));
  RETURN_IF_ERROR(internal::CheckPhone("phone", m.phone(), /*required=*/false));
  if (m.roles().empty())
    return absl::InvalidArgumentError("roles: at least one role is required");
  std::set<int> roles;
  for (int i = 0; i < m.roles_size(); ++i) {
    int r = m.roles(i);
    if (r == v1::STAFF_ROLE_UNSPECIFIED || !v1::StaffRole_IsValid(r))
      return absl::InvalidArgumentError(
          absl::StrCat("roles[", i, "]: unknown role ", r));
    if (!roles.insert(r).second)
      return absl::InvalidArgumentError(
          absl::StrCat("roles[", i, "]: repeated role"));
  }
  std::set<std::string> codes;
  for (int i = 0; i < m.qualifications_size(); ++i) {
    const v1::Qualification& q = m.qualifications(i);
    std::string f = absl::StrCat("qualifications[", i, "]");
    RETURN_IF_ERROR(internal::CheckSlug(absl::StrCat(f, ".code"), q.code()));
    RETURN_IF_ERROR(
        internal::CheckText(absl::StrCat(f, ".title"), q.title(), 0, 200));
    if (q.has_valid_until())
      RETURN_IF_ERROR(internal::CheckTimestamp(absl::StrCat(f, ".valid_until"),
                                               q.valid_until()));
    if (!codes.insert(q.code()).second)
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".code: repeated qualification"));
  }
  return absl::OkStatus();
}

absl::Status EmailTaken(const absl::Status& s, absl::string_view email) {
  if (absl::IsAlreadyExists(s))
    return absl::AlreadyExistsError(
        absl::StrCat("email: an active staff member with e-mail ", email,
                     " already exists"));
  return s;
}

bool HasRole(const v1::StaffMember& m, v1::StaffRole r) {
  return std::find(m.roles().begin(), m.roles().end(), r) != m.roles().end();
}

absl::Status RefuseWhileManaging(Transaction& tx, const v1::StaffMember& m,
                                 absl::string_view what) {
  ASSIGN_OR_RETURN(int64_t n, internal::CountManagedClients(tx, m.id()));
  if (n == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      what, ": staff member '", m.id(), "' is the personal manager of ", n,
      " active organization(s); reassign them first"));
}

// Open requests assigned to an inactive member would wait for someone who
// can no longer act, their clocks running and nobody told.
absl::Status RefuseWhileAssigned(Transaction& tx, const v1::StaffMember& m) {
  std::vector<std::string> open;
  ASSIGN_OR_RETURN(const int64_t count,
                   internal::OpenLoad(tx, m.id(), &open, internal::kIdsNamed));
  if (count == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "id: staff member '", m.id(), "' still has ", count, " open request",
      count == 1 ? "" : "s", " (", internal::FirstIds(open, count),
      "); reassign them first (Requests::Assign; a dialog by its handover)"));
}

// A client waits on site for the engineer of a visit ahead: one who can no
// longer mark it done (inactive), or who no longer qualifies for the work,
// leaves the client waiting. `count` visits whose slot has not ended, the
// first of them `first`, hold the change to `field` back; `need` says what
// they need of the engineer ("" when they need the member at all), in words
// that fit one visit and several.
absl::Status BookedRefusal(const v1::StaffMember& m, absl::string_view field,
                           int64_t count, const std::vector<std::string>& first,
                           absl::string_view need) {
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": staff member '", m.id(), "' is the engineer of ", count,
      " scheduled visit", count == 1 ? "" : "s", " that ha",
      count == 1 ? "s" : "ve", " not ended (", internal::FirstIds(first, count),
      ")", need, "; cancel ", count == 1 ? "it" : "them",
      " (TechSupport::CancelVisit) or, once begun, mark ",
      count == 1 ? "it" : "them", " done (CompleteVisit) first"));
}

// Deactivating the member, or dropping its ENGINEER role (`field` "roles"),
// while it is booked for visits that have not ended.
absl::Status RefuseWhileBooked(Transaction& tx, const v1::StaffMember& m,
                               absl::Time now, absl::string_view field,
                               absl::string_view need) {
  std::vector<std::string> visits;
  ASSIGN_OR_RETURN(
      const int64_t count,
      internal::PendingVisits(tx, m.id(), now, &visits, internal::kIdsNamed));
  if (count == 0) return absl::OkStatus();
  return BookedRefusal(m, field, count, visits, need);
}

// `after` (the member as an Update would leave it) must still qualify for
// every visit it is booked for that has not ended, as ScheduleVisit checked
// when it was booked: a qualification removed, or one whose valid_until now
// falls before a slot ends, is refused naming "qualifications".
absl::Status RefuseUnqualifiedVisits(Transaction& tx,
                                     const v1::StaffMember& after,
                                     absl::Time now) {
  std::vector<std::string> visits;
  ASSIGN_OR_RETURN(const int64_t count,
                   internal::UnqualifiedVisits(tx, after, now, &visits,
                                               internal::kIdsNamed));
  if (count == 0) return absl::OkStatus();
  return BookedRefusal(
      after, "qualifications", count, visits,
      ", for which it would not stay qualified through each slot");
}

bool SameQualifications(const v1::StaffMember& a, const v1::StaffMember& b) {
  if (a.qualifications_size() != b.qualifications_size()) return false;
  for (int i = 0; i < a.qualifications_size(); ++i)
    if (a.qualifications(i).SerializeAsString() !=
        b.qualifications(i).SerializeAsString())
      return false;
  return true;
}

}  // namespace

bool HasValidQualification(const v1::StaffMember& member,
                           absl::string_view code, absl::Time at) {
  for (const v1::Qualification& q : member.qualifications()) {
    if (q.code() != code) continue;
    if (!q.has_valid_until() || internal::FromProto(q.valid_until()) > at)
      return true;
  }
  return false;
}

absl::StatusOr<v1::StaffMember> Staff::Create(const Actor& actor,
                                              const v1::StaffMember& given) {
  const v1::StaffMember in = Trimmed(given);
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::StaffMember> {
    ASSIGN_OR_RETURN(auto center,
                     LoadRecord<v1::ServiceCenter>(
                         s.tx(), tables::kCenter, in.center_id(), "center_id"));
    RETURN_IF_ERROR(internal::RequireCenterRole(s.actor(), center.id(), {},
                                                "hire staff in this center"));
    if (!center.active())
      return absl::FailedPreconditionError(
          absl::StrCat("center_id: center '", center.id(), "' is inactive"));
    RETURN_IF_ERROR(ValidateStaff(in));
    v1::StaffMember m;
    ASSIGN_OR_RETURN(*m.mutable_id(), s.NewId("staff"));
    m.set_center_id(center.id());
    m.set_full_name(in.full_name());
    m.set_email(in.email());
    m.set_phone(in.phone());
    *m.mutable_roles() = in.roles();
    *m.mutable_qualifications() = in.qualifications();
    m.set_active(true);
    RETURN_IF_ERROR(EmailTaken(
        internal::SaveRecord(s, tables::kStaff, m, internal::StaffIndexes(m)),
        m.email()));
    s.Emit("staff", m.id(), "created", m.version(), m.center_id(), "");
    return m;
  });
}

absl::StatusOr<v1::StaffMember> Staff::Get(const Actor& actor,
                                           absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::StaffMember> {
    if (s.actor().IsContact()) {
      // A client knows its personal manager by name and how to reach them:
      // the contact card, nothing of roles or qualifications.
      ASSIGN_OR_RETURN(auto org, LoadRecord<v1::Organization>(
                                     s.tx(), tables::kOrganization,
                                     s.actor().organization_id, "actor"));
      if (org.manager_id().empty() || org.manager_id() != id)
        return internal::PermissionDenied(
            s.actor(), "read staff records other than its personal manager's");
      ASSIGN_OR_RETURN(auto m, LoadRecord<v1::StaffMember>(
                                   s.tx(), tables::kStaff, id, "id"));
      v1::StaffMember card;
      card.set_id(m.id());
      card.set_version(m.version());
      card.set_center_id(m.center_id());
      card.set_full_name(m.full_name());
      card.set_email(m.email());
      card.set_phone(m.phone());
      card.set_active(m.active());
      return card;
    }
    ASSIGN_OR_RETURN(
        auto m, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff, id, "id"));
    RETURN_IF_ERROR(internal::RequireCenterStaff(s.actor(), m.center_id(),
                                                 "read staff records"));
    return m;
  });
}

absl::StatusOr<v1::StaffMember> Staff::Update(const Actor& actor,
                                              const v1::StaffMember& given) {
  const v1::StaffMember in = Trimmed(given);
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::StaffMember> {
    ASSIGN_OR_RETURN(auto m, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff,
                                                         in.id(), "id"));
    RETURN_IF_ERROR(internal::RequireCenterRole(s.actor(), m.center_id(), {},
                                                "update staff of this center"));
    if (!in.center_id().empty() && in.center_id() != m.center_id())
      return absl::InvalidArgumentError(
          "center_id: a staff member's center cannot change");
    RETURN_IF_ERROR(ValidateStaff(in));
    RETURN_IF_ERROR(
        internal::CheckFresh("staff", m.id(), in.version(), m.version()));
    if (HasRole(m, v1::STAFF_ROLE_PERSONAL_MANAGER) &&
        !HasRole(in, v1::STAFF_ROLE_PERSONAL_MANAGER))
      RETURN_IF_ERROR(RefuseWhileManaging(s.tx(), m, "roles"));
    // Visits already booked were checked against the member as it was
    // (TechSupport::ScheduleVisit): it stays fit for them.
    const bool engineer = HasRole(m, v1::STAFF_ROLE_ENGINEER);
    if (engineer && !HasRole(in, v1::STAFF_ROLE_ENGINEER))
      RETURN_IF_ERROR(RefuseWhileBooked(
          s.tx(), m, s.now(), "roles", ", for which it must stay an ENGINEER"));
    const bool requalified = !SameQualifications(m, in);
    m.set_full_name(in.full_name());
    m.set_email(in.email());
    m.set_phone(in.phone());
    *m.mutable_roles() = in.roles();
    *m.mutable_qualifications() = in.qualifications();
    if (engineer && requalified)
      RETURN_IF_ERROR(RefuseUnqualifiedVisits(s.tx(), m, s.now()));
    absl::StatusOr<bool> changed = internal::SaveIfChanged(
        s, tables::kStaff, m, internal::StaffIndexes(m));
    RETURN_IF_ERROR(EmailTaken(changed.status(), m.email()));
    if (*changed)
      s.Emit("staff", m.id(), "updated", m.version(), m.center_id(), "");
    return m;
  });
}

absl::StatusOr<v1::StaffMember> Staff::Deactivate(const Actor& actor,
                                                  absl::string_view id) {
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::StaffMember> {
    ASSIGN_OR_RETURN(
        auto m, LoadRecord<v1::StaffMember>(s.tx(), tables::kStaff, id, "id"));
    RETURN_IF_ERROR(internal::RequireCenterRole(
        s.actor(), m.center_id(), {}, "deactivate staff of this center"));
    if (!m.active())
      return absl::FailedPreconditionError(
          absl::StrCat("id: staff member '", id, "' is already inactive"));
    RETURN_IF_ERROR(RefuseWhileManaging(s.tx(), m, "id"));
    RETURN_IF_ERROR(RefuseWhileAssigned(s.tx(), m));
    RETURN_IF_ERROR(RefuseWhileBooked(s.tx(), m, s.now(), "id", ""));
    m.set_active(false);
    RETURN_IF_ERROR(
        internal::SaveRecord(s, tables::kStaff, m, internal::StaffIndexes(m)));
    s.Emit("staff", m.id(), "deactivated", m.version(), m.center_id(), "");
    return m;
  });
}

absl::StatusOr<Page<v1::StaffMember>> Staff::List(const Actor& actor,
                                                  const StaffFilter& filter,
                                                  const PageRequest& page) {
  RETURN_IF_ERROR(internal::CheckEnumValue("role", filter.role));
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::StaffMember>> {
        const internal::ResolvedActor& a = s.actor();
        std::string center = filter.center_id;
        if (!a.IsNetworkWide()) {
          if (!a.IsStaff()) return internal::PermissionDenied(a, "list staff");
          if (!center.empty() && center != a.center_id)
            return internal::PermissionDenied(a,
                                              "list staff of another center");
          center = a.center_id;
        }
        // A typo in a filter is not an empty answer.
        RETURN_IF_ERROR(internal::CheckFilterIds(
            s.tx(), a, {{"center_id", tables::kCenter, filter.center_id}}));
        absl::Time at = filter.at == absl::InfinitePast() ? s.now() : filter.at;
        std::string lower = center.empty() ? "" : internal::KeyJoin({center});
        std::string upper = center.empty() ? "" : internal::PrefixEnd(lower);
        return internal::ScanPage<v1::StaffMember>(
            s.tx(), tables::kStaff, "center", lower, upper,
            // The `at` asked for: "now" (the default) is each page's own.
            // In nanoseconds, not local time: the next page may be asked for
            // by a process in another time zone.
            {filter.include_inactive ? "1" : "0", absl::StrCat(filter.role),
             filter.qualification, absl::StrCat(absl::ToUnixNanos(filter.at))},
            page, [&](const v1::StaffMember& m) {
              if (!filter.include_inactive && !m.active()) return false;
              if (filter.role != v1::STAFF_ROLE_UNSPECIFIED &&
                  !HasRole(m, filter.role))
                return false;
              return filter.qualification.empty() ||
                     HasValidQualification(m, filter.qualification, at);
            });
      });
}

}  // namespace servicedesk
