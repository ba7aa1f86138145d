// Store table names, one per record type. A new area adds its names here.
#ifndef SERVICEDESK_LIB_CORE_TABLES_H_
#define SERVICEDESK_LIB_CORE_TABLES_H_

namespace servicedesk::internal::tables {

inline constexpr char kCenter[] = "center";
inline constexpr char kOrganization[] = "organization";
inline constexpr char kContact[] = "contact";
inline constexpr char kStaff[] = "staff";
inline constexpr char kManagerAssignment[] = "manager_assignment";
inline constexpr char kCalendar[] = "calendar";
inline constexpr char kSlaPolicy[] = "sla_policy";
inline constexpr char kSlaClock[] = "sla_clock";
inline constexpr char kRequest[] = "request";
inline constexpr char kDialog[] = "dialog";
inline constexpr char kDialogPresence[] = "dialog_presence";
inline constexpr char kInstallation[] = "installation";
inline constexpr char kVisit[] = "visit";

// Index names one area reads of another's records. request: the open
// requests of each assignee (a staff member's load; Staff::Deactivate
// refuses while there are any).
inline constexpr char kRequestAssigneeOpen[] = "assignee_open";

// Id prefixes ("<prefix>-<n>") of records whose SLA clocks the desk runs
// itself, with the record's id as the clocks' subject id. The public Sla
// calls that change clocks refuse these subjects, so a request and its
// clocks never disagree and no one can take a future request's id.
inline constexpr char kRequestIdPrefix[] = "req";
inline constexpr const char* kClockOwningIdPrefixes[] = {kRequestIdPrefix};

}  // namespace servicedesk::internal::tables

#endif  // SERVICEDESK_LIB_CORE_TABLES_H_
