#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "servicedesk/sla.h"

namespace servicedesk {
namespace {
using internal::LoadRecord;
using internal::TxScope;
namespace tables = internal::tables;

absl::Status ValidateSpec(const v1::BusinessCalendar& spec) {
  RETURN_IF_ERROR(internal::CheckText("name", spec.name(), 1, 200));
  return BusinessCalendar::Create(spec).status();
}

v1::BusinessCalendar CopySpec(const v1::BusinessCalendar& in,
                              v1::BusinessCalendar base) {
  base.set_name(in.name());
  base.set_time_zone(in.time_zone());
  base.set_always_open(in.always_open());
  *base.mutable_weekly() = in.weekly();
  *base.mutable_holidays() = in.holidays();
  *base.mutable_special_days() = in.special_days();
  return base;
}

}  // namespace

absl::StatusOr<v1::BusinessCalendar> Calendars::Create(
    const Actor& actor, const v1::BusinessCalendar& in) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::BusinessCalendar> {
        RETURN_IF_ERROR(
            internal::RequireNetworkAdmin(s.actor(), "create calendars"));
        RETURN_IF_ERROR(ValidateSpec(in));
        v1::BusinessCalendar c;
        if (in.id().empty()) {
          ASSIGN_OR_RETURN(*c.mutable_id(), s.NewId("calendar"));
        } else {
          RETURN_IF_ERROR(internal::CheckSlug("id", in.id()));
          c.set_id(in.id());
        }
        c = CopySpec(in, std::move(c));
        absl::Status saved = internal::SaveRecord(s, tables::kCalendar, c, {});
        if (absl::IsAborted(saved))
          return absl::AlreadyExistsError(
              absl::StrCat("id: calendar '", c.id(), "' already exists"));
        RETURN_IF_ERROR(saved);
        s.Emit("calendar", c.id(), "created", c.version(), "", "");
        return c;
      });
}

absl::StatusOr<v1::BusinessCalendar> Calendars::Get(const Actor& actor,
                                                    absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) {
    return LoadRecord<v1::BusinessCalendar>(s.tx(), tables::kCalendar, id,
                                            "id");
  });
}

absl::StatusOr<v1::BusinessCalendar> Calendars::Update(
    const Actor& actor, const v1::BusinessCalendar& in) {
  return ctx_->Write(
      actor, [&](TxScope& s) -> absl::StatusOr<v1::BusinessCalendar> {
        RETURN_IF_ERROR(
            internal::RequireNetworkAdmin(s.actor(), "update calendars"));
        ASSIGN_OR_RETURN(auto c, LoadRecord<v1::BusinessCalendar>(
                                     s.tx(), tables::kCalendar, in.id(), "id"));
        RETURN_IF_ERROR(ValidateSpec(in));
        RETURN_IF_ERROR(internal::CheckFresh("calendar", c.id(), in.version(),
                                             c.version()));
        c = CopySpec(in, std::move(c));
        ASSIGN_OR_RETURN(bool changed,
                         internal::SaveIfChanged(s, tables::kCalendar, c, {}));
        if (changed) s.Emit("calendar", c.id(), "updated", c.version(), "", "");
        return c;
      });
}

absl::StatusOr<Page<v1::BusinessCalendar>> Calendars::List(
    const Actor& actor, const PageRequest& page) {
  return ctx_->Read(actor, [&](TxScope& s) {
    return internal::ScanPage<v1::BusinessCalendar>(
        s.tx(), tables::kCalendar, "", "", "", {}, page, nullptr);
  });
}

absl::StatusOr<BusinessCalendar> Calendars::Load(const Actor& actor,
                                                 absl::string_view id) {
  return ctx_->Read(actor, [&](TxScope& s) -> absl::StatusOr<BusinessCalendar> {
    ASSIGN_OR_RETURN(auto spec, LoadRecord<v1::BusinessCalendar>(
                                    s.tx(), tables::kCalendar, id, "id"));
    ASSIGN_OR_RETURN(auto compiled, ctx_->calendars.Get(spec));
    return *compiled;
  });
}

}  // namespace servicedesk
