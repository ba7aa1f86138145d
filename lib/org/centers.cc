#include "servicedesk/centers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"

namespace servicedesk {
namespace {
using internal::LoadRecord;
using internal::TxScope;
namespace tables = internal::tables;

std::vector<IndexEntry> CenterIndexes(const v1::ServiceCenter& c) {
  return {{"code", c.code(), /*unique=*/true}};
}

// Surrounding spaces are not part of a name or a region.
v1::ServiceCenter Trimmed(v1::ServiceCenter c) {
  absl::StripAsciiWhitespace(c.mutable_name());
  absl::StripAsciiWhitespace(c.mutable_region());
  return c;
}

absl::Status ValidateCenter(TxScope& s, const v1::ServiceCenter& c) {
  RETURN_IF_ERROR(internal::CheckCenterCode("code", c.code()));
  RETURN_IF_ERROR(internal::CheckText("name", c.name(), 1, 200));
  RETURN_IF_ERROR(internal::CheckText("region", c.region(), 1, 200));
  RETURN_IF_ERROR(internal::CheckTimeZone("time_zone", c.time_zone()));
  for (const auto& [field, id] :
       {std::pair<const char*, const std::string&>{"calendar_id",
                                                   c.calendar_id()},
        {"hotline_calendar_id", c.hotline_calendar_id()}}) {
    if (id.empty()) continue;
    auto cal = s.tx().Get(tables::kCalendar, id);
    if (absl::IsNotFound(cal.status()))
      return absl::NotFoundError(
          absl::StrCat(field, ": calendar '", id, "' not found"));
    RETURN_IF_ERROR(cal.status());
  }
  return absl::OkStatus();
}

absl::Status CodeTaken(const absl::Status& s, absl::string_view code) {
  if (absl::IsAlreadyExists(s))
    return absl::AlreadyExistsError(
        absl::StrCat("code: a center with code '", code, "' already exists"));
  return s;
}

// True if any active record of `table` has index `index` under prefix `key`.
absl::StatusOr<bool> AnyActive(Transaction& tx, const char* table,
                               absl::string_view key,
                               bool (*active)(absl::string_view)) {
  ScanRange r;
  r.index = "center";
  r.lower = internal::KeyJoin({key});
  r.upper = internal::PrefixEnd(r.lower);
  while (true) {
    r.limit = 256;
    ASSIGN_OR_RETURN(std::vector<StoredRecord> batch, tx.Scan(table, r));
    for (const StoredRecord& rec : batch) {
      if (active(rec.value)) return true;
      r.has_start_after = true;
      r.start_after_index_key = rec.index_key;
      r.start_after_key = rec.key;
    }
    if (batch.size() < r.limit) return false;
  }
}

}  // namespace

absl::StatusOr<v1::ServiceCenter> Centers::Create(
    const Actor& actor, const v1::ServiceCenter& given) {
  const v1::ServiceCenter in = Trimmed(given);
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceCenter> {
        RETURN_IF_ERROR(
            internal::RequireNetworkAdmin(s.actor(), "create centers"));
        RETURN_IF_ERROR(ValidateCenter(s, in));
        v1::ServiceCenter c;
        ASSIGN_OR_RETURN(*c.mutable_id(), s.NewId("center"));
        c.set_code(in.code());
        c.set_name(in.name());
        c.set_region(in.region());
        c.set_time_zone(in.time_zone());
        c.set_calendar_id(in.calendar_id());
        c.set_hotline_calendar_id(in.hotline_calendar_id());
        c.set_active(true);
        RETURN_IF_ERROR(CodeTaken(
            internal::SaveRecord(s, tables::kCenter, c, CenterIndexes(c)),
            c.code()));
        s.Emit("center", c.id(), "created", c.version(), c.id(), "",
               {{"code", c.code()}});
        return c;
      });
}

absl::StatusOr<v1::ServiceCenter> Centers::Get(const Actor& actor,
                                               absl::string_view id) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceCenter> {
        ASSIGN_OR_RETURN(auto c, LoadRecord<v1::ServiceCenter>(
                                     s.tx(), tables::kCenter, id, "id"));
        RETURN_IF_ERROR(internal::RequireCenterMember(s.actor(), c.id(),
                                                      "read this center"));
        return c;
      });
}

absl::StatusOr<v1::ServiceCenter> Centers::GetByCode(const Actor& actor,
                                                     absl::string_view code) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceCenter> {
        RETURN_IF_ERROR(internal::CheckIdInput("code", code));
        ScanRange r;
        r.index = "code";
        r.lower = std::string(code);
        r.upper = r.lower + '\0';
        r.limit = 1;
        ASSIGN_OR_RETURN(auto found, s.tx().Scan(tables::kCenter, r));
        if (found.empty())
          return absl::NotFoundError(
              absl::StrCat("code: no center with code '", code, "'"));
        ASSIGN_OR_RETURN(auto c,
                         LoadRecord<v1::ServiceCenter>(s.tx(), tables::kCenter,
                                                       found[0].key, "code"));
        RETURN_IF_ERROR(internal::RequireCenterMember(s.actor(), c.id(),
                                                      "read this center"));
        return c;
      });
}

absl::StatusOr<v1::ServiceCenter> Centers::Update(
    const Actor& actor, const v1::ServiceCenter& given) {
  const v1::ServiceCenter in = Trimmed(given);
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceCenter> {
        ASSIGN_OR_RETURN(auto c, LoadRecord<v1::ServiceCenter>(
                                     s.tx(), tables::kCenter, in.id(), "id"));
        RETURN_IF_ERROR(internal::RequireCenterRole(s.actor(), c.id(), {},
                                                    "update this center"));
        if (in.code() != c.code())
          return absl::InvalidArgumentError(
              "code: a center's code cannot change");
        RETURN_IF_ERROR(ValidateCenter(s, in));
        RETURN_IF_ERROR(
            internal::CheckFresh("center", c.id(), in.version(), c.version()));
        c.set_name(in.name());
        c.set_region(in.region());
        c.set_time_zone(in.time_zone());
        c.set_calendar_id(in.calendar_id());
        c.set_hotline_calendar_id(in.hotline_calendar_id());
        ASSIGN_OR_RETURN(
            bool changed,
            internal::SaveIfChanged(s, tables::kCenter, c, CenterIndexes(c)));
        if (changed)
          s.Emit("center", c.id(), "updated", c.version(), c.id(), "");
        return c;
      });
}

absl::StatusOr<v1::ServiceCenter> Centers::Deactivate(const Actor& actor,
                                                      absl::string_view id) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::ServiceCenter> {
        RETURN_IF_ERROR(
            internal::RequireNetworkAdmin(s.actor(), "deactivate centers"));
        ASSIGN_OR_RETURN(auto c, LoadRecord<v1::ServiceCenter>(
                                     s.tx(), tables::kCenter, id, "id"));
        if (!c.active())
          return absl::FailedPreconditionError(
              absl::StrCat("id: center '", id, "' is already inactive"));
        ASSIGN_OR_RETURN(bool orgs,
                         AnyActive(s.tx(), tables::kOrganization, c.id(),
                                   [](absl::string_view v) {
                                     v1::Organization o;
                                     return o.ParseFromArray(
                                                v.data(),
                                                static_cast<int>(v.size())) &&
                                            o.active();
                                   }));
        ASSIGN_OR_RETURN(
            bool staff,
            AnyActive(s.tx(), tables::kStaff, c.id(), [](absl::string_view v) {
              v1::StaffMember m;
              return m.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
                     m.active();
            }));
        if (orgs || staff)
          return absl::FailedPreconditionError(
              absl::StrCat("id: center '", id, "' still has active ",
                           orgs ? "organizations" : "staff"));
        c.set_active(false);
        RETURN_IF_ERROR(
            internal::SaveRecord(s, tables::kCenter, c, CenterIndexes(c)));
        s.Emit("center", c.id(), "deactivated", c.version(), c.id(), "");
        return c;
      });
}

absl::StatusOr<Page<v1::ServiceCenter>> Centers::List(
    const Actor& actor, const CenterFilter& filter, const PageRequest& page) {
  return ctx_->Read(
      actor, [&](TxScope& s) -> absl::StatusOr<Page<v1::ServiceCenter>> {
        const internal::ResolvedActor& a = s.actor();
        return internal::ScanPage<v1::ServiceCenter>(
            s.tx(), tables::kCenter, "code", "", "",
            {a.IsNetworkWide() ? "" : a.center_id,
             filter.include_inactive ? "1" : "0", filter.region},
            page, [&](const v1::ServiceCenter& c) {
              if (!a.IsNetworkWide() && c.id() != a.center_id) return false;
              if (!filter.include_inactive && !c.active()) return false;
              return filter.region.empty() || c.region() == filter.region;
            });
      });
}

}  // namespace servicedesk
