// The C ABI: Quality Standard compliance reports (servicedesk::Reports).
#include <string>

#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#include "lib/core/status_macros.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/reports.h"

using servicedesk::c_api::CheckOut;
using servicedesk::c_api::EmitBytes;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::Guard;
using servicedesk::c_api::ParseIn;
namespace v1 = servicedesk::v1;

namespace {

// A stored report (in `format`) through one of the CSV writers.
sd_status ReportCsv(sd_buffer* out, const void* report, size_t report_len,
                    sd_format format,
                    std::string (*to_csv)(const v1::ComplianceReport&)) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckOut(out));
    v1::ComplianceReport r;
    RETURN_IF_ERROR(ParseIn(report, report_len, format, "report", &r));
    return EmitBytes(to_csv(r), out);
  });
}

// A report run on the desk, through one of the CSV writers.
sd_status DeskReportCsv(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const void* query, size_t query_len,
                        std::string (*to_csv)(const v1::ComplianceReport&)) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ComplianceQuery q;
    RETURN_IF_ERROR(ParseIn(query, query_len, call.format, "query", &q));
    ASSIGN_OR_RETURN(v1::ComplianceReport report,
                     call.desk->reports().Compliance(call.actor, q));
    return EmitBytes(to_csv(report), out);
  });
}

}  // namespace

extern "C" {

sd_status sd_report_compliance(sd_buffer* out, sd_desk* desk, const void* actor,
                               size_t actor_len, const void* query,
                               size_t query_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ComplianceQuery q;
    RETURN_IF_ERROR(ParseIn(query, query_len, call.format, "query", &q));
    return EmitResult(call.desk->reports().Compliance(call.actor, q), call,
                      out);
  });
}

sd_status sd_report_compliance_csv(sd_buffer* out, sd_desk* desk,
                                   const void* actor, size_t actor_len,
                                   const void* query, size_t query_len) {
  return DeskReportCsv(out, desk, actor, actor_len, query, query_len,
                       &servicedesk::Reports::ToCsv);
}

sd_status sd_report_backlog_csv(sd_buffer* out, sd_desk* desk,
                                const void* actor, size_t actor_len,
                                const void* query, size_t query_len) {
  return DeskReportCsv(out, desk, actor, actor_len, query, query_len,
                       &servicedesk::Reports::BacklogToCsv);
}

sd_status sd_report_to_csv(sd_buffer* out, const void* report,
                           size_t report_len, sd_format format) {
  return ReportCsv(out, report, report_len, format,
                   &servicedesk::Reports::ToCsv);
}

sd_status sd_report_backlog_to_csv(sd_buffer* out, const void* report,
                                   size_t report_len, sd_format format) {
  return ReportCsv(out, report, report_len, format,
                   &servicedesk::Reports::BacklogToCsv);
}

}  // extern "C"
