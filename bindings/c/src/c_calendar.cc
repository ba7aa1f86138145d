// The C ABI: standalone business calendars and stored calendars.
#include <string>
#include <vector>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/calendar.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/sla.h"

using servicedesk::c_api::BeginCall;
using servicedesk::c_api::CalendarIn;
using servicedesk::c_api::Call;
using servicedesk::c_api::CheckFormat;
using servicedesk::c_api::CheckOut;
using servicedesk::c_api::CheckPtr;
using servicedesk::c_api::Emit;
using servicedesk::c_api::EmitBytes;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::Guard;
using servicedesk::c_api::HandleKind;
using servicedesk::c_api::ParseIn;
using servicedesk::c_api::StrIn;
using servicedesk::c_api::TimeIn;
using servicedesk::c_api::TimeOut;
namespace v1 = servicedesk::v1;

namespace {

absl::Status NewCalendar(absl::StatusOr<servicedesk::BusinessCalendar> cal,
                         sd_calendar** out) {
  if (!cal.ok()) return cal.status();
  auto* handle = new sd_calendar(*std::move(cal));
  servicedesk::c_api::Register(HandleKind::kCalendar, handle);
  *out = handle;
  return absl::OkStatus();
}

absl::StatusOr<v1::BusinessCalendar> RussiaSpec(const char* time_zone,
                                                size_t time_zone_len,
                                                const void* weekly,
                                                size_t weekly_len,
                                                sd_format format) {
  auto zone = StrIn(time_zone, time_zone_len, "time_zone");
  if (!zone.ok()) return zone.status();
  v1::BusinessCalendar hours;
  RETURN_IF_ERROR(ParseIn(weekly, weekly_len, format, "weekly", &hours));
  std::vector<v1::WeekdaySchedule> days(hours.weekly().begin(),
                                        hours.weekly().end());
  return servicedesk::RussiaProductionCalendar(*zone, days);
}

}  // namespace

extern "C" {

sd_status sd_calendar_create(sd_calendar** out, const void* spec,
                             size_t spec_len, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    v1::BusinessCalendar s;
    RETURN_IF_ERROR(ParseIn(spec, spec_len, format, "spec", &s));
    return NewCalendar(servicedesk::BusinessCalendar::Create(s), out);
  });
}

sd_status sd_calendar_create_from_text(sd_calendar** out, const char* text,
                                       size_t text_len) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    auto t = StrIn(text, text_len, "text");
    if (!t.ok()) return t.status();
    auto spec = servicedesk::ParseCalendarText(*t);
    if (!spec.ok()) return spec.status();
    return NewCalendar(servicedesk::BusinessCalendar::Create(*spec), out);
  });
}

sd_status sd_calendar_create_russia(sd_calendar** out, const char* time_zone,
                                    size_t time_zone_len, const void* weekly,
                                    size_t weekly_len, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    auto spec =
        RussiaSpec(time_zone, time_zone_len, weekly, weekly_len, format);
    if (!spec.ok()) return spec.status();
    return NewCalendar(servicedesk::BusinessCalendar::Create(*spec), out);
  });
}

sd_status sd_calendar_create_always_open(sd_calendar** out) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    return NewCalendar(servicedesk::BusinessCalendar::AlwaysOpen(), out);
  });
}

sd_status sd_calendar_destroy(sd_calendar** calendar) {
  return Guard([&]() -> absl::Status {
    if (calendar == nullptr || *calendar == nullptr) return absl::OkStatus();
    if (!servicedesk::c_api::Unregister(HandleKind::kCalendar, *calendar)) {
      return absl::InvalidArgumentError(
          "calendar: not a live calendar handle (destroyed or never created)");
    }
    delete *calendar;
    *calendar = nullptr;
    return absl::OkStatus();
  });
}

sd_status sd_calendar_add(int64_t* out_unix_nanos, sd_calendar* calendar,
                          int64_t start_unix_nanos, int64_t duration_nanos) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_unix_nanos, "out_unix_nanos"));
    ASSIGN_OR_RETURN(sd_calendar * cal, CalendarIn(calendar));
    if (duration_nanos < 0) {
      return absl::InvalidArgumentError("duration: must not be negative");
    }
    *out_unix_nanos = TimeOut(cal->cal.Add(TimeIn(start_unix_nanos),
                                           absl::Nanoseconds(duration_nanos)));
    return absl::OkStatus();
  });
}

sd_status sd_calendar_between(int64_t* out_nanos, sd_calendar* calendar,
                              int64_t a_unix_nanos, int64_t b_unix_nanos) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_nanos, "out_nanos"));
    ASSIGN_OR_RETURN(sd_calendar * cal, CalendarIn(calendar));
    *out_nanos = absl::ToInt64Nanoseconds(
        cal->cal.Between(TimeIn(a_unix_nanos), TimeIn(b_unix_nanos)));
    return absl::OkStatus();
  });
}

sd_status sd_calendar_is_open(int* out, sd_calendar* calendar,
                              int64_t t_unix_nanos) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    ASSIGN_OR_RETURN(sd_calendar * cal, CalendarIn(calendar));
    *out = cal->cal.IsOpen(TimeIn(t_unix_nanos)) ? 1 : 0;
    return absl::OkStatus();
  });
}

sd_status sd_calendar_next_opening(int64_t* out_unix_nanos,
                                   sd_calendar* calendar,
                                   int64_t t_unix_nanos) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_unix_nanos, "out_unix_nanos"));
    ASSIGN_OR_RETURN(sd_calendar * cal, CalendarIn(calendar));
    *out_unix_nanos = TimeOut(cal->cal.NextOpening(TimeIn(t_unix_nanos)));
    return absl::OkStatus();
  });
}

sd_status sd_calendar_spec(sd_buffer* out, sd_calendar* calendar,
                           sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    RETURN_IF_ERROR(CheckFormat(format));
    ASSIGN_OR_RETURN(sd_calendar * cal, CalendarIn(calendar));
    return Emit(cal->cal.spec(), format, out);
  });
}

sd_status sd_calendar_text_parse(sd_buffer* out, const char* text,
                                 size_t text_len, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    RETURN_IF_ERROR(CheckFormat(format));
    ASSIGN_OR_RETURN(std::string t, StrIn(text, text_len, "text"));
    ASSIGN_OR_RETURN(v1::BusinessCalendar spec,
                     servicedesk::ParseCalendarText(t));
    return Emit(spec, format, out);
  });
}

sd_status sd_calendar_text_format(sd_buffer* out, const void* spec,
                                  size_t spec_len, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    v1::BusinessCalendar s;
    RETURN_IF_ERROR(ParseIn(spec, spec_len, format, "spec", &s));
    return EmitBytes(servicedesk::FormatCalendarText(s), out);
  });
}

sd_status sd_calendar_russia_spec(sd_buffer* out, const char* time_zone,
                                  size_t time_zone_len, const void* weekly,
                                  size_t weekly_len, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    ASSIGN_OR_RETURN(
        v1::BusinessCalendar spec,
        RussiaSpec(time_zone, time_zone_len, weekly, weekly_len, format));
    return Emit(spec, format, out);
  });
}

sd_status sd_calendar_russia_years(size_t* out_count, int32_t* years,
                                   size_t capacity) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_count, "out_count"));
    if (years == nullptr && capacity > 0) {
      return absl::InvalidArgumentError(
          "years: NULL pointer with a non-zero capacity");
    }
    std::vector<int> all = servicedesk::RussiaProductionCalendarYears();
    for (size_t i = 0; i < all.size() && i < capacity; ++i) years[i] = all[i];
    *out_count = all.size();
    return absl::OkStatus();
  });
}

// ---- stored calendars
// ----------------------------------------------------------

sd_status sd_stored_calendar_create(sd_buffer* out, sd_desk* desk,
                                    const void* actor, size_t actor_len,
                                    const void* spec, size_t spec_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::BusinessCalendar s;
    RETURN_IF_ERROR(ParseIn(spec, spec_len, call.format, "spec", &s));
    return EmitResult(call.desk->calendars().Create(call.actor, s), call, out);
  });
}

sd_status sd_stored_calendar_get(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id_str, StrIn(id, id_len, "id"));
    return EmitResult(call.desk->calendars().Get(call.actor, id_str), call,
                      out);
  });
}

sd_status sd_stored_calendar_update(sd_buffer* out, sd_desk* desk,
                                    const void* actor, size_t actor_len,
                                    const void* spec, size_t spec_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::BusinessCalendar s;
    RETURN_IF_ERROR(ParseIn(spec, spec_len, call.format, "spec", &s));
    return EmitResult(call.desk->calendars().Update(call.actor, s), call, out);
  });
}

sd_status sd_stored_calendar_list(sd_buffer* out, sd_desk* desk,
                                  const void* actor, size_t actor_len,
                                  const void* page, size_t page_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::PageRequest req;
    RETURN_IF_ERROR(ParseIn(page, page_len, call.format, "page", &req));
    servicedesk::PageRequest p;
    p.page_size = req.page_size();
    p.page_token = req.page_token();
    ASSIGN_OR_RETURN(auto result, call.desk->calendars().List(call.actor, p));
    v1::CalendarList list;
    for (auto& c : result.items) *list.add_items() = std::move(c);
    list.set_next_page_token(result.next_page_token);
    return Emit(list, call.format, out);
  });
}

sd_status sd_stored_calendar_load(sd_calendar** out, sd_desk* desk,
                                  const void* actor, size_t actor_len,
                                  const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    ASSIGN_OR_RETURN(auto d, servicedesk::c_api::DeskIn(desk));
    servicedesk::Actor a;
    RETURN_IF_ERROR(ParseIn(actor, actor_len, d->format, "actor", &a));
    ASSIGN_OR_RETURN(std::string id_str, StrIn(id, id_len, "id"));
    return NewCalendar(d->desk->calendars().Load(a, id_str), out);
  });
}

}  // extern "C"
