// The Quality Standard's service catalog with its default targets. Policy
// rules override these per kind/channel/priority/tier/center.
#include "lib/core/time_util.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/sla.h"

namespace servicedesk {
namespace {

v1::SlaTarget Target(absl::Duration d, v1::CalendarSource source) {
  v1::SlaTarget t;
  *t.mutable_duration() = internal::ToProto(d);
  t.set_calendar_source(source);
  t.set_warning_threshold(0.8);
  return t;
}

v1::ServiceDefinition Def(
    v1::ServiceKind kind, const char* code, const char* title,
    absl::Duration first_response, absl::Duration resolution,
    v1::StaffRole role, const char* qualification,
    v1::CalendarSource source = v1::CALENDAR_SOURCE_CENTER) {
  v1::ServiceDefinition d;
  d.set_kind(kind);
  d.set_code(code);
  d.set_title(title);
  *d.mutable_first_response() = Target(first_response, source);
  *d.mutable_resolution() = Target(resolution, source);
  d.set_required_role(role);
  d.set_required_qualification(qualification);
  return d;
}

}  // namespace

const std::vector<v1::ServiceDefinition>& Sla::Catalog() {
  using absl::Hours;
  using absl::Minutes;
  using absl::Seconds;
  static const auto* catalog = new std::vector<v1::ServiceDefinition>{
      Def(v1::SERVICE_KIND_HOTLINE_QUESTION, "hotline-question",
          "Hotline question", Minutes(15), Hours(4),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "hotline"),
      Def(v1::SERVICE_KIND_SEARCH_CONSULTATION, "search-consultation",
          "Search consultation", Minutes(15), Hours(4),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "hotline"),
      Def(v1::SERVICE_KIND_DOCUMENT_SELECTION, "document-selection",
          "Selection of documents for a question", Minutes(30), Hours(8),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "hotline"),
      Def(v1::SERVICE_KIND_DOCUMENT_ORDER_CURRENT, "document-order-current",
          "Order of a current document", Hours(1), Hours(8),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "documents"),
      Def(v1::SERVICE_KIND_DOCUMENT_ORDER_RARE, "document-order-rare",
          "Order of a rare document", Hours(2), Hours(24),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "documents"),
      Def(v1::SERVICE_KIND_DOCUMENT_ORDER_ARCHIVAL, "document-order-archival",
          "Order of an archival document", Hours(2), Hours(40),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "documents"),
      Def(v1::SERVICE_KIND_TRAINING_REQUEST, "training-request",
          "Training request", Hours(2), Hours(16), v1::STAFF_ROLE_TRAINER,
          "training"),
      Def(v1::SERVICE_KIND_SEMINAR_ENROLLMENT, "seminar-enrollment",
          "Seminar enrollment", Hours(1), Hours(8),
          v1::STAFF_ROLE_HOTLINE_SPECIALIST, "hotline"),
      Def(v1::SERVICE_KIND_TECH_INSTALLATION, "tech-installation",
          "Installation of the system", Hours(2), Hours(24),
          v1::STAFF_ROLE_ENGINEER, "tech-support"),
      Def(v1::SERVICE_KIND_TECH_SETUP, "tech-setup", "Set-up of the system",
          Hours(1), Hours(8), v1::STAFF_ROLE_ENGINEER, "tech-support"),
      Def(v1::SERVICE_KIND_TECH_RECOVERY, "tech-recovery",
          "Recovery after a computer breakdown", Hours(1), Hours(8),
          v1::STAFF_ROLE_ENGINEER, "tech-support"),
      // System down: measured around the clock, not on business hours.
      Def(v1::SERVICE_KIND_TECH_EMERGENCY, "tech-emergency",
          "Technical emergency", Minutes(15), Hours(4), v1::STAFF_ROLE_ENGINEER,
          "tech-support", v1::CALENDAR_SOURCE_ALWAYS_OPEN),
      // On the hotline's own hours: a chat is answered while the hotline
      // works, which may be longer than the office day.
      Def(v1::SERVICE_KIND_ONLINE_DIALOG, "online-dialog", "Online dialog",
          Seconds(60), Minutes(30), v1::STAFF_ROLE_HOTLINE_SPECIALIST,
          "hotline", v1::CALENDAR_SOURCE_HOTLINE),
      Def(v1::SERVICE_KIND_MANAGER_CONTACT, "manager-contact",
          "Contact with the personal manager", Hours(4), Hours(16),
          v1::STAFF_ROLE_PERSONAL_MANAGER, ""),
  };
  return *catalog;
}

}  // namespace servicedesk
