// The index entries compliance reports aggregate (lib/reports), written by the
// areas that own the records (lib/sla for clocks, lib/requests for requests).
// Reports read only these keys (Transaction::ScanKeys), never record bodies.
//
// Every key is EncodeOrderedInt64(<instant in Unix micros>) followed by
// KeyJoin of the fields listed, in this order:
//
//   table sla_clock
//     "report_stop"   stopped_at   center, kind, channel, staff, clock kind,
//                                   met ("1"/"0"), business seconds
//                     (stopped, not cancelled, clocks)
//     "report_breach" breach instant   center, kind, channel, staff, clock kind
//                     (open clocks that have breached or will breach at that
//                     instant if nothing changes)
//   table request
//     "report_reg"    registered_at  center, kind, channel, staff
//     "report_rating" rated_at       center, kind, channel, staff, score
//     "report_open"   registered_at  center, kind   (open requests only)
// kind, channel and clock kind are decimal enum numbers; staff is the assignee.
#ifndef SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
#define SERVICEDESK_LIB_CORE_REPORT_FACTS_H_

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/core/records.h"

namespace servicedesk::internal::report_facts {

inline constexpr char kClockStop[] = "report_stop";
inline constexpr char kClockBreach[] = "report_breach";
inline constexpr char kRequestRegistered[] = "report_reg";
inline constexpr char kRequestRating[] = "report_rating";
inline constexpr char kRequestOpen[] = "report_open";

inline std::string Key(absl::Time at,
                       std::initializer_list<absl::string_view> fields) {
  return EncodeOrderedInt64(absl::ToUnixMicros(at)) + KeyJoin(fields);
}

}  // namespace servicedesk::internal::report_facts

#endif  // SERVICEDESK_LIB_CORE_REPORT_FACTS_H_
