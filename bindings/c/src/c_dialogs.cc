// The C ABI: online dialogs (servicedesk::Dialogs).
#include <string>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/dialogs.h"
#include "servicedesk/proto/c_api.pb.h"

using servicedesk::c_api::EmitPage;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::Guard;
using servicedesk::c_api::PageIn;
using servicedesk::c_api::ParseIn;
namespace v1 = servicedesk::v1;

extern "C" {

sd_status sd_dialog_open(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const char* topic, size_t topic_len,
                         const char* first_message, size_t first_message_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(topic_str, topic, topic_len);
    SD_SHIM_STR_IN_(message, first_message, first_message_len);
    return EmitResult(call.desk->dialogs().Open(call.actor, topic_str, message),
                      call, out);
  });
}

sd_status sd_dialog_get(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->dialogs().Get(call.actor, id_str), call, out);
  });
}

sd_status sd_dialog_list(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const void* request,
                         size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::DialogListRequest req;
    RETURN_IF_ERROR(
        ParseIn(request, request_len, call.format, "request", &req));
    servicedesk::DialogFilter filter;
    filter.center_id = req.center_id();
    filter.organization_id = req.organization_id();
    filter.state = req.state();
    return EmitPage<v1::DialogList>(
        call.desk->dialogs().List(call.actor, filter,
                                  PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

sd_status sd_dialog_take(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    return EmitResult(call.desk->dialogs().Take(call.actor), call, out);
  });
}

sd_status sd_dialog_take_specific(sd_buffer* out, sd_desk* desk,
                                  const void* actor, size_t actor_len,
                                  const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->dialogs().TakeSpecific(call.actor, id_str),
                      call, out);
  });
}

sd_status sd_dialog_post(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const char* id, size_t id_len,
                         const char* text, size_t text_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(message, text, text_len);
    return EmitResult(call.desk->dialogs().Post(call.actor, id_str, message),
                      call, out);
  });
}

sd_status sd_dialog_handover(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* id, size_t id_len,
                             const char* to_staff_id, size_t to_staff_id_len,
                             const char* reason, size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(to_staff, to_staff_id, to_staff_id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->dialogs().Handover(call.actor, id_str, to_staff, why), call,
        out);
  });
}

sd_status sd_dialog_close(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->dialogs().Close(call.actor, id_str), call,
                      out);
  });
}

sd_status sd_dialog_set_available(sd_buffer* out, sd_desk* desk,
                                  const void* actor, size_t actor_len,
                                  const char* staff_id, size_t staff_id_len,
                                  int available) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(staff, staff_id, staff_id_len);
    return EmitResult(
        call.desk->dialogs().SetAvailable(call.actor, staff, available != 0),
        call, out);
  });
}

sd_status sd_dialog_presence(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* staff_id,
                             size_t staff_id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(staff, staff_id, staff_id_len);
    return EmitResult(call.desk->dialogs().Presence(call.actor, staff), call,
                      out);
  });
}

sd_status sd_dialog_position(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->dialogs().Position(call.actor, id_str), call,
                      out);
  });
}

}  // extern "C"
