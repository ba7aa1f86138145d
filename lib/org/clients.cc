#include "servicedesk/clients.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/org/assignments.h"

namespace servicedesk {
namespace {
using internal::LoadRecord;
using internal::TxScope;
namespace tables = internal::tables;

constexpr std::initializer_list<v1::StaffRole> kClientWriters = {
    v1::STAFF_ROLE_PERSONAL_MANAGER};
constexpr std::initializer_list<v1::StaffRole> kContactWriters = {
    v1::STAFF_ROLE_PERSONAL_MANAGER, v1::STAFF_ROLE_HOTLINE_SPECIALIST};

// Surrounding spaces are not part of a name, an INN, an address or a phone
// number (they come from pasted text and would sort names apart).
v1::Organization Trimmed(v1::Organization o) {
  absl::StripAsciiWhitespace(o.mutable_name());
  absl::StripAsciiWhitespace(o.mutable_tax_id());
  return o;
}
v1::Contact Trimmed(v1::Contact c) {
  absl::StripAsciiWhitespace(c.mutable_full_name());
  absl::StripAsciiWhitespace(c.mutable_position());
  absl::StripAsciiWhitespace(c.mutable_email());
  absl::StripAsciiWhitespace(c.mutable_phone());
  return c;
}

absl::Status ValidateOrganization(const v1::Organization& o) {
  RETURN_IF_ERROR(internal::CheckText("name", o.name(), 1, 300));
  RETURN_IF_ERROR(internal::CheckTaxId("tax_id", o.tax_id()));
  if (o.tier() == v1::CLIENT_TIER_UNSPECIFIED ||
      !v1::ClientTier_IsValid(o.tier()))
    return absl::InvalidArgumentError("tier: must be STANDARD, PREMIUM or VIP");
  std::set<int> seen;
  for (int i = 0; i < o.topics_size(); ++i) {
    int t = o.topics(i);
    if (t == v1::PROFILE_TOPIC_UNSPECIFIED || !v1::ProfileTopic_IsValid(t))
      return absl::InvalidArgumentError(
          absl::StrCat("topics[", i, "]: unknown topic ", t));
    if (!seen.insert(t).second)
      return absl::InvalidArgumentError(
          absl::StrCat("topics[", i, "]: repeated topic"));
  }
  return absl::OkStatus();
}

absl::Status TaxIdTaken(const absl::Status& s, absl::string_view tax_id) {
  if (absl::IsAlreadyExists(s))
    return absl::AlreadyExistsError(absl::StrCat(
        "tax_id: an active organization with INN ", tax_id, " already exists"));
  return s;
}

absl::Status ValidateContact(const v1::Contact& c) {
  RETURN_IF_ERROR(internal::CheckText("full_name", c.full_name(), 1, 200));
  RETURN_IF_ERROR(internal::CheckText("position", c.position(), 0, 200));
  RETURN_IF_ERROR(internal::CheckEmail("email", c.email()));
  return internal::CheckPhone("phone", c.phone(), /*required=*/false);
}

absl::Status EmailTaken(const absl::Status& s, absl::string_view email) {
  if (absl::IsAlreadyExists(s))
    return absl::AlreadyExistsError(absl::StrCat(
        "email: an active contact with e-mail ", email, " already exists"));
  return s;
}

}  // namespace

// ---- Organizations ---------------------------------------------------------

absl::StatusOr<v1::Organization> Organizations::Create(
    const Actor& actor, const v1::Organization& given,
    absl::string_view manager_id, absl::string_view reason) {
  const v1::Organization in = Trimmed(given);
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::Organization> {
        ASSIGN_OR_RETURN(auto center, LoadRecord<v1::ServiceCenter>(
                                          s.tx(), tables::kCenter,
                                          in.center_id(), "center_id"));
        RETURN_IF_ERROR(
            internal::RequireCenterRole(s.actor(), center.id(), kClientWriters,
                                        "create organizations in this center"));
        if (!center.active())
          return absl::FailedPreconditionError(absl::StrCat(
              "center_id: center '", center.id(), "' is inactive"));
        RETURN_IF_ERROR(ValidateOrganization(in));
        if (manager_id.empty())
          return absl::InvalidArgumentError(
              "manager_id: every organization needs a personal manager");
        RETURN_IF_ERROR(internal::CheckFreeText("reason", reason, 1, 500));
        ASSIGN_OR_RETURN(auto manager, internal::LoadEligibleManager(
                                           s.tx(), center.id(), manager_id));
        v1::Organization o;
        ASSIGN_OR_RETURN(*o.mutable_id(), s.NewId("org"));
        o.set_name(in.name());
        o.set_tax_id(in.tax_id());
        o.set_tier(in.tier());
        o.set_center_id(center.id());
        *o.mutable_topics() = in.topics();
        o.set_active(true);
        RETURN_IF_ERROR(
            internal::OpenAssignment(s, o, manager, reason, s.now()).status());
        RETURN_IF_ERROR(
            TaxIdTaken(internal::SaveRecord(s, tables::kOrganization, o,
                                            internal::OrganizationIndexes(o)),
                       o.tax_id()));
        s.Emit("organization", o.id(), "created", o.version(), o.center_id(),
               o.id());
        return o;
      });
}

absl::StatusOr<v1::Organization> Organizations::Get(const Actor& actor,
                                                    absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::Organization> {
    ASSIGN_OR_RETURN(auto o, internal::LoadVisibleRecord<v1::Organization>(
                                 s, tables::kOrganization, id, "id"));
    RETURN_IF_ERROR(internal::RequireOrganizationReader(
        s.actor(), o.center_id(), o.id(), "read this organization"));
    return o;
  });
}

absl::StatusOr<v1::Organization> Organizations::Update(
    const Actor& actor, const v1::Organization& given) {
  const v1::Organization in = Trimmed(given);
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::Organization> {
        RETURN_IF_ERROR(
            internal::RefuseClients(s.actor(), "update this organization"));
        ASSIGN_OR_RETURN(
            auto o, LoadRecord<v1::Organization>(s.tx(), tables::kOrganization,
                                                 in.id(), "id"));
        RETURN_IF_ERROR(internal::RequireCenterRole(
            s.actor(), o.center_id(), kClientWriters,
            "update this organization"));
        if (!in.center_id().empty() && in.center_id() != o.center_id())
          return absl::InvalidArgumentError(
              "center_id: an organization's center cannot change");
        if (!in.manager_id().empty() && in.manager_id() != o.manager_id())
          return absl::InvalidArgumentError(
              "manager_id: use Managers::Reassign to change the personal "
              "manager");
        RETURN_IF_ERROR(ValidateOrganization(in));
        RETURN_IF_ERROR(internal::CheckFresh("organization", o.id(),
                                             in.version(), o.version()));
        o.set_name(in.name());
        o.set_tax_id(in.tax_id());
        o.set_tier(in.tier());
        *o.mutable_topics() = in.topics();
        absl::StatusOr<bool> changed = internal::SaveIfChanged(
            s, tables::kOrganization, o, internal::OrganizationIndexes(o));
        RETURN_IF_ERROR(TaxIdTaken(changed.status(), o.tax_id()));
        if (*changed)
          s.Emit("organization", o.id(), "updated", o.version(), o.center_id(),
                 o.id());
        return o;
      });
}

absl::StatusOr<v1::Organization> Organizations::Deactivate(
    const Actor& actor, absl::string_view id, absl::string_view reason) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::Organization> {
        RETURN_IF_ERROR(
            internal::RefuseClients(s.actor(), "deactivate this organization"));
        ASSIGN_OR_RETURN(auto o, LoadRecord<v1::Organization>(
                                     s.tx(), tables::kOrganization, id, "id"));
        RETURN_IF_ERROR(internal::RequireCenterRole(
            s.actor(), o.center_id(), kClientWriters,
            "deactivate this organization"));
        if (!o.active())
          return absl::FailedPreconditionError(
              absl::StrCat("id: organization '", id, "' is already inactive"));
        RETURN_IF_ERROR(internal::CheckFreeText("reason", reason, 1, 500));
        RETURN_IF_ERROR(internal::CloseAssignment(s, o, reason).status());
        o.set_active(false);
        RETURN_IF_ERROR(internal::SaveRecord(s, tables::kOrganization, o,
                                             internal::OrganizationIndexes(o)));
        s.Emit("organization", o.id(), "deactivated", o.version(),
               o.center_id(), o.id());
        return o;
      });
}

absl::StatusOr<Page<v1::Organization>> Organizations::List(
    const Actor& actor, const OrganizationFilter& filter,
    const PageRequest& page) {
  RETURN_IF_ERROR(internal::CheckEnumValue("tier", filter.tier));
  RETURN_IF_ERROR(internal::CheckEnumValue("topic", filter.topic));
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Organization>> {
        const internal::ResolvedActor& a = s.actor();
        std::string center = filter.center_id;
        if (a.IsContact()) {
          // A contact is not told which centers exist: another center's
          // (or an unknown) id just matches nothing.
          if (!center.empty() && center != a.center_id)
            return Page<v1::Organization>();
          center = a.center_id;
        } else if (!a.IsNetworkWide()) {
          if (!center.empty() && center != a.center_id)
            return internal::PermissionDenied(
                a, "list organizations of another center");
          center = a.center_id;
        }
        // A typo in a filter is not an empty answer.
        RETURN_IF_ERROR(internal::CheckFilterIds(
            s.tx(), a, {{"center_id", tables::kCenter, filter.center_id}}));
        std::string lower = center.empty() ? "" : internal::KeyJoin({center});
        std::string upper = center.empty() ? "" : internal::PrefixEnd(lower);
        return internal::ScanPage<v1::Organization>(
            s.tx(), tables::kOrganization, "center", lower, upper,
            {a.IsContact() ? a.organization_id : "",
             filter.include_inactive ? "1" : "0", absl::StrCat(filter.tier),
             absl::StrCat(filter.topic)},
            page, [&](const v1::Organization& o) {
              if (a.IsContact() && o.id() != a.organization_id) return false;
              if (!filter.include_inactive && !o.active()) return false;
              if (filter.tier != v1::CLIENT_TIER_UNSPECIFIED &&
                  o.tier() != filter.tier)
                return false;
              return filter.topic == v1::PROFILE_TOPIC_UNSPECIFIED ||
                     std::find(o.topics().begin(), o.topics().end(),
                               filter.topic) != o.topics().end();
            });
      });
}

// ---- Contacts --------------------------------------------------------------

absl::StatusOr<v1::Contact> Contacts::Create(const Actor& actor,
                                             const v1::Contact& given) {
  const v1::Contact in = Trimmed(given);
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Contact> {
    RETURN_IF_ERROR(internal::RefuseClients(
        s.actor(), "add contacts to this organization"));
    ASSIGN_OR_RETURN(auto o, LoadRecord<v1::Organization>(
                                 s.tx(), tables::kOrganization,
                                 in.organization_id(), "organization_id"));
    RETURN_IF_ERROR(
        internal::RequireCenterRole(s.actor(), o.center_id(), kContactWriters,
                                    "add contacts to this organization"));
    if (!o.active())
      return absl::FailedPreconditionError(absl::StrCat(
          "organization_id: organization '", o.id(), "' is inactive"));
    RETURN_IF_ERROR(ValidateContact(in));
    v1::Contact c;
    ASSIGN_OR_RETURN(*c.mutable_id(), s.NewId("contact"));
    c.set_organization_id(o.id());
    c.set_full_name(in.full_name());
    c.set_position(in.position());
    c.set_email(in.email());
    c.set_phone(in.phone());
    c.set_active(true);
    RETURN_IF_ERROR(
        EmailTaken(internal::SaveRecord(s, tables::kContact, c,
                                        internal::ContactIndexes(c)),
                   c.email()));
    s.Emit("contact", c.id(), "created", c.version(), o.center_id(), o.id());
    return c;
  });
}

namespace {
// Loads a contact and its organisation (another organisation's contact is
// NOT_FOUND for a client contact); callers check rights.
absl::StatusOr<std::pair<v1::Contact, v1::Organization>> LoadContact(
    TxScope& s, absl::string_view id) {
  ASSIGN_OR_RETURN(auto c, internal::LoadVisibleRecord<v1::Contact>(
                               s, tables::kContact, id, "id"));
  ASSIGN_OR_RETURN(auto o, LoadRecord<v1::Organization>(
                               s.tx(), tables::kOrganization,
                               c.organization_id(), "organization_id"));
  return std::make_pair(std::move(c), std::move(o));
}
}  // namespace

absl::StatusOr<v1::Contact> Contacts::Get(const Actor& actor,
                                          absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<v1::Contact> {
    ASSIGN_OR_RETURN(auto co, LoadContact(s, id));
    RETURN_IF_ERROR(internal::RequireOrganizationReader(
        s.actor(), co.second.center_id(), co.second.id(), "read this contact"));
    return co.first;
  });
}

absl::StatusOr<v1::Contact> Contacts::Update(const Actor& actor,
                                             const v1::Contact& given) {
  const v1::Contact in = Trimmed(given);
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Contact> {
    RETURN_IF_ERROR(internal::RefuseClients(s.actor(), "update contacts"));
    ASSIGN_OR_RETURN(auto co, LoadContact(s, in.id()));
    auto& [c, o] = co;
    RETURN_IF_ERROR(internal::RequireCenterRole(
        s.actor(), o.center_id(), kContactWriters, "update this contact"));
    if (!in.organization_id().empty() &&
        in.organization_id() != c.organization_id())
      return absl::InvalidArgumentError(
          "organization_id: a contact's organization cannot change");
    RETURN_IF_ERROR(ValidateContact(in));
    RETURN_IF_ERROR(
        internal::CheckFresh("contact", c.id(), in.version(), c.version()));
    c.set_full_name(in.full_name());
    c.set_position(in.position());
    c.set_email(in.email());
    c.set_phone(in.phone());
    absl::StatusOr<bool> changed = internal::SaveIfChanged(
        s, tables::kContact, c, internal::ContactIndexes(c));
    RETURN_IF_ERROR(EmailTaken(changed.status(), c.email()));
    if (*changed)
      s.Emit("contact", c.id(), "updated", c.version(), o.center_id(), o.id());
    return c;
  });
}

absl::StatusOr<v1::Contact> Contacts::Deactivate(const Actor& actor,
                                                 absl::string_view id) {
  return ctx_->Write(actor, [&](TxScope& s) -> absl::StatusOr<v1::Contact> {
    RETURN_IF_ERROR(internal::RefuseClients(s.actor(), "deactivate contacts"));
    ASSIGN_OR_RETURN(auto co, LoadContact(s, id));
    auto& [c, o] = co;
    RETURN_IF_ERROR(internal::RequireCenterRole(
        s.actor(), o.center_id(), kContactWriters, "deactivate this contact"));
    if (!c.active())
      return absl::FailedPreconditionError(
          absl::StrCat("id: contact '", id, "' is already inactive"));
    c.set_active(false);
    RETURN_IF_ERROR(internal::SaveRecord(s, tables::kContact, c,
                                         internal::ContactIndexes(c)));
    s.Emit("contact", c.id(), "deactivated", c.version(), o.center_id(),
           o.id());
    return c;
  });
}

absl::StatusOr<Page<v1::Contact>> Contacts::List(
    const Actor& actor, absl::string_view organization_id,
    bool include_inactive, const PageRequest& page) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::Contact>> {
        ASSIGN_OR_RETURN(auto o, internal::LoadVisibleRecord<v1::Organization>(
                                     s, tables::kOrganization, organization_id,
                                     "organization_id"));
        RETURN_IF_ERROR(internal::RequireOrganizationReader(
            s.actor(), o.center_id(), o.id(),
            "list this organization's contacts"));
        std::string lower = internal::KeyJoin({o.id()});
        return internal::ScanPage<v1::Contact>(
            s.tx(), tables::kContact, "org", lower, internal::PrefixEnd(lower),
            {include_inactive ? "1" : "0"}, page, [&](const v1::Contact& c) {
              return include_inactive || c.active();
            });
      });
}

}  // namespace servicedesk
