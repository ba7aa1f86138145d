// The C ABI: technical support (servicedesk::TechSupport): installations and
// on-site visits.
#include <string>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/techsupport.h"

using servicedesk::c_api::EmitPage;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::Guard;
using servicedesk::c_api::PageIn;
using servicedesk::c_api::ParseIn;
namespace v1 = servicedesk::v1;

extern "C" {

sd_status sd_installation_create(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const void* installation,
                                 size_t installation_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Installation i;
    RETURN_IF_ERROR(ParseIn(installation, installation_len, call.format,
                            "installation", &i));
    return EmitResult(
        call.desk->techsupport().CreateInstallation(call.actor, i), call, out);
  });
}

sd_status sd_installation_update(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const void* installation,
                                 size_t installation_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Installation i;
    RETURN_IF_ERROR(ParseIn(installation, installation_len, call.format,
                            "installation", &i));
    return EmitResult(
        call.desk->techsupport().UpdateInstallation(call.actor, i), call, out);
  });
}

sd_status sd_installation_get(sd_buffer* out, sd_desk* desk, const void* actor,
                              size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(
        call.desk->techsupport().GetInstallation(call.actor, id_str), call,
        out);
  });
}

sd_status sd_installation_list(sd_buffer* out, sd_desk* desk, const void* actor,
                               size_t actor_len, const char* organization_id,
                               size_t organization_id_len, const void* page,
                               size_t page_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(org, organization_id, organization_id_len);
    v1::PageRequest req;
    RETURN_IF_ERROR(ParseIn(page, page_len, call.format, "page", &req));
    return EmitPage<v1::InstallationList>(
        call.desk->techsupport().ListInstallations(
            call.actor, org, PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

sd_status sd_visit_schedule(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const void* visit,
                            size_t visit_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Visit v;
    RETURN_IF_ERROR(ParseIn(visit, visit_len, call.format, "visit", &v));
    return EmitResult(call.desk->techsupport().ScheduleVisit(call.actor, v),
                      call, out);
  });
}

sd_status sd_visit_complete(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const char* id, size_t id_len,
                            int64_t version, const char* notes,
                            size_t notes_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(text, notes, notes_len);
    return EmitResult(call.desk->techsupport().CompleteVisit(call.actor, id_str,
                                                             version, text),
                      call, out);
  });
}

sd_status sd_visit_cancel(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const char* id, size_t id_len,
                          int64_t version, const char* reason,
                          size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->techsupport().CancelVisit(call.actor, id_str, version, why),
        call, out);
  });
}

sd_status sd_visit_get(sd_buffer* out, sd_desk* desk, const void* actor,
                       size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->techsupport().GetVisit(call.actor, id_str),
                      call, out);
  });
}

sd_status sd_visit_list(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* request_id,
                        size_t request_id_len, const void* page,
                        size_t page_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(req_id, request_id, request_id_len);
    v1::PageRequest req;
    RETURN_IF_ERROR(ParseIn(page, page_len, call.format, "page", &req));
    return EmitPage<v1::VisitList>(
        call.desk->techsupport().ListVisits(
            call.actor, req_id, PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

}  // extern "C"
