// The C ABI: service requests (servicedesk::Requests).
#include <string>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/requests.h"

using servicedesk::c_api::EmitPage;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::EmitVector;
using servicedesk::c_api::EnumIn;
using servicedesk::c_api::Guard;
using servicedesk::c_api::PageIn;
using servicedesk::c_api::ParseIn;
namespace v1 = servicedesk::v1;

extern "C" {

sd_status sd_request_open(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const void* draft,
                          size_t draft_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ServiceRequest d;
    RETURN_IF_ERROR(ParseIn(draft, draft_len, call.format, "draft", &d));
    return EmitResult(call.desk->requests().Open(call.actor, d), call, out);
  });
}

sd_status sd_request_get(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->requests().Get(call.actor, id_str), call, out);
  });
}

sd_status sd_request_list(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const void* request,
                          size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::RequestListRequest req;
    RETURN_IF_ERROR(
        ParseIn(request, request_len, call.format, "request", &req));
    servicedesk::RequestFilter filter;
    filter.center_id = req.center_id();
    filter.organization_id = req.organization_id();
    filter.state = req.state();
    filter.assignee_id = req.assignee_id();
    filter.kind = req.kind();
    filter.channel = req.channel();
    return EmitPage<v1::RequestList>(
        call.desk->requests().List(call.actor, filter,
                                   PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

sd_status sd_request_queue(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const char* center_id,
                           size_t center_id_len, const void* page,
                           size_t page_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(center, center_id, center_id_len);
    v1::PageRequest req;
    RETURN_IF_ERROR(ParseIn(page, page_len, call.format, "page", &req));
    return EmitPage<v1::RequestList>(
        call.desk->requests().Queue(call.actor, center,
                                    PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

sd_status sd_request_assign_queued(sd_buffer* out, sd_desk* desk,
                                   const void* actor, size_t actor_len,
                                   const char* center_id,
                                   size_t center_id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(center, center_id, center_id_len);
    return EmitVector<v1::RequestList>(
        call.desk->requests().AssignQueued(call.actor, center), call, out);
  });
}

sd_status sd_request_assign(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const char* id, size_t id_len,
                            int64_t version, const char* staff_id,
                            size_t staff_id_len, const char* reason,
                            size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(staff, staff_id, staff_id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->requests().Assign(call.actor, id_str, version, staff, why),
        call, out);
  });
}

sd_status sd_request_start(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const char* id, size_t id_len,
                           int64_t version) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->requests().Start(call.actor, id_str, version),
                      call, out);
  });
}

sd_status sd_request_wait_on_client(sd_buffer* out, sd_desk* desk,
                                    const void* actor, size_t actor_len,
                                    const char* id, size_t id_len,
                                    int64_t version, const char* reason,
                                    size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->requests().WaitOnClient(call.actor, id_str, version, why),
        call, out);
  });
}

sd_status sd_request_resume(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const char* id, size_t id_len,
                            int64_t version, const char* text,
                            size_t text_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(answer, text, text_len);
    return EmitResult(
        call.desk->requests().Resume(call.actor, id_str, version, answer), call,
        out);
  });
}

sd_status sd_request_respond(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* id, size_t id_len,
                             int64_t version, const char* text,
                             size_t text_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(response, text, text_len);
    return EmitResult(
        call.desk->requests().Respond(call.actor, id_str, version, response),
        call, out);
  });
}

sd_status sd_request_record_outcome(sd_buffer* out, sd_desk* desk,
                                    const void* actor, size_t actor_len,
                                    const char* id, size_t id_len,
                                    int64_t version, const void* outcome,
                                    size_t outcome_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    v1::RequestOutcome o;
    RETURN_IF_ERROR(ParseIn(outcome, outcome_len, call.format, "outcome", &o));
    return EmitResult(
        call.desk->requests().RecordOutcome(call.actor, id_str, version, o),
        call, out);
  });
}

sd_status sd_request_resolve(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* id, size_t id_len,
                             int64_t version, const char* resolution,
                             size_t resolution_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(note, resolution, resolution_len);
    return EmitResult(
        call.desk->requests().Resolve(call.actor, id_str, version, note), call,
        out);
  });
}

sd_status sd_request_close(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const char* id, size_t id_len,
                           int64_t version) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->requests().Close(call.actor, id_str, version),
                      call, out);
  });
}

sd_status sd_request_reopen(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const char* id, size_t id_len,
                            int64_t version, const char* reason,
                            size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->requests().Reopen(call.actor, id_str, version, why), call,
        out);
  });
}

sd_status sd_request_cancel(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const char* id, size_t id_len,
                            int64_t version, const char* reason,
                            size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->requests().Cancel(call.actor, id_str, version, why), call,
        out);
  });
}

sd_status sd_request_rate(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const char* id, size_t id_len,
                          int64_t version, int score, const char* comment,
                          size_t comment_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(text, comment, comment_len);
    return EmitResult(
        call.desk->requests().Rate(call.actor, id_str, version, score, text),
        call, out);
  });
}

sd_status sd_request_change_priority(sd_buffer* out, sd_desk* desk,
                                     const void* actor, size_t actor_len,
                                     const char* id, size_t id_len,
                                     int64_t version, int priority) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    ASSIGN_OR_RETURN(v1::Priority p,
                     EnumIn<v1::Priority>(priority, v1::Priority_IsValid,
                                          "priority", "Priority"));
    return EmitResult(
        call.desk->requests().ChangePriority(call.actor, id_str, version, p),
        call, out);
  });
}

sd_status sd_request_change_kind(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const char* id, size_t id_len, int64_t version,
                                 int kind) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    ASSIGN_OR_RETURN(v1::ServiceKind k,
                     EnumIn<v1::ServiceKind>(kind, v1::ServiceKind_IsValid,
                                             "kind", "ServiceKind"));
    return EmitResult(
        call.desk->requests().ChangeKind(call.actor, id_str, version, k), call,
        out);
  });
}

}  // extern "C"
