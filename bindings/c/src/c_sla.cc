// The C ABI: the service catalog, the SLA policy, target clocks and Tick.
#include <string>
#include <vector>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/sla.h"

using servicedesk::c_api::BeginCall;
using servicedesk::c_api::Call;
using servicedesk::c_api::CheckFormat;
using servicedesk::c_api::CheckOut;
using servicedesk::c_api::Emit;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::EmitVector;
using servicedesk::c_api::Guard;
using servicedesk::c_api::ParseIn;
using servicedesk::c_api::StrIn;
using servicedesk::c_api::TimeIn;
namespace v1 = servicedesk::v1;

extern "C" {

sd_status sd_sla_catalog(sd_buffer* out, sd_format format) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    RETURN_IF_ERROR(CheckFormat(format));
    v1::ServiceCatalog catalog;
    for (const auto& d : servicedesk::Sla::Catalog()) *catalog.add_items() = d;
    return Emit(catalog, format, out);
  });
}

sd_status sd_sla_get_policy(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    return EmitResult(call.desk->sla().GetPolicy(call.actor), call, out);
  });
}

sd_status sd_sla_set_policy(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const void* policy,
                            size_t policy_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::SlaPolicy p;
    RETURN_IF_ERROR(ParseIn(policy, policy_len, call.format, "policy", &p));
    return EmitResult(call.desk->sla().SetPolicy(call.actor, p), call, out);
  });
}

sd_status sd_sla_resolve_targets(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const void* subject, size_t subject_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::SlaSubject s;
    RETURN_IF_ERROR(ParseIn(subject, subject_len, call.format, "subject", &s));
    ASSIGN_OR_RETURN(servicedesk::ResolvedTargets t,
                     call.desk->sla().ResolveTargets(call.actor, s));
    v1::ResolvedTargets msg;
    msg.set_rule_name(t.rule_name);
    *msg.mutable_first_response() = t.first_response;
    *msg.mutable_resolution() = t.resolution;
    if (t.has_periodic_update) {
      *msg.mutable_periodic_update() = t.periodic_update;
    }
    return Emit(msg, call.format, out);
  });
}

sd_status sd_sla_start_clocks(sd_buffer* out, sd_desk* desk, const void* actor,
                              size_t actor_len, const char* subject_id,
                              size_t subject_id_len, const void* subject,
                              size_t subject_len, int64_t start_unix_nanos) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    v1::SlaSubject s;
    RETURN_IF_ERROR(ParseIn(subject, subject_len, call.format, "subject", &s));
    return EmitVector<v1::ClockList>(
        call.desk->sla().StartClocks(call.actor, id, s,
                                     TimeIn(start_unix_nanos)),
        call, out);
  });
}

sd_status sd_sla_pause(sd_buffer* out, sd_desk* desk, const void* actor,
                       size_t actor_len, const char* subject_id,
                       size_t subject_id_len, int64_t at_unix_nanos) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    return EmitVector<v1::ClockList>(
        call.desk->sla().Pause(call.actor, id, TimeIn(at_unix_nanos)), call,
        out);
  });
}

sd_status sd_sla_resume(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* subject_id,
                        size_t subject_id_len, int64_t at_unix_nanos) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    return EmitVector<v1::ClockList>(
        call.desk->sla().Resume(call.actor, id, TimeIn(at_unix_nanos)), call,
        out);
  });
}

sd_status sd_sla_stop(sd_buffer* out, sd_desk* desk, const void* actor,
                      size_t actor_len, const char* subject_id,
                      size_t subject_id_len, int kind, int64_t at_unix_nanos) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    if (!v1::ClockKind_IsValid(kind) || kind == v1::CLOCK_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError("kind: not a valid ClockKind");
    }
    return EmitResult(
        call.desk->sla().Stop(call.actor, id, static_cast<v1::ClockKind>(kind),
                              TimeIn(at_unix_nanos)),
        call, out);
  });
}

sd_status sd_sla_recompute(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const char* subject_id,
                           size_t subject_id_len, const void* subject,
                           size_t subject_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    v1::SlaSubject s;
    RETURN_IF_ERROR(ParseIn(subject, subject_len, call.format, "subject", &s));
    return EmitVector<v1::ClockList>(
        call.desk->sla().Recompute(call.actor, id, s), call, out);
  });
}

sd_status sd_sla_clocks(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* subject_id,
                        size_t subject_id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(std::string id,
                     StrIn(subject_id, subject_id_len, "subject_id"));
    return EmitVector<v1::ClockList>(call.desk->sla().Clocks(call.actor, id),
                                     call, out);
  });
}

sd_status sd_sla_tick(sd_buffer* out, sd_desk* desk, const void* actor,
                      size_t actor_len, int64_t now_unix_nanos,
                      size_t max_clocks) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    ASSIGN_OR_RETURN(
        servicedesk::TickResult r,
        call.desk->sla().Tick(call.actor, TimeIn(now_unix_nanos), max_clocks));
    v1::TickResult msg;
    msg.set_warnings(r.warnings);
    msg.set_breaches(r.breaches);
    msg.set_escalations(r.escalations);
    for (auto& e : r.events) *msg.add_events() = std::move(e);
    return Emit(msg, call.format, out);
  });
}

}  // extern "C"
