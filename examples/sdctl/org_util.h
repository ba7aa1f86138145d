// Helpers shared by the commands that refer to centers and staff.
#ifndef SDCTL_ORG_UTIL_H_
#define SDCTL_ORG_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "sdctl/cli.h"
#include "servicedesk/proto/org.pb.h"

namespace sdctl {

// A center argument: an id ("center-1") is returned as is; a code ("MSK-01")
// is looked up.
absl::StatusOr<std::string> ResolveCenterId(Context& ctx,
                                            const std::string& text);

// "code" or "code:VALID-UNTIL" (a date, valid through that day in UTC, or an
// RFC 3339 time). The code itself is validated by the library.
absl::StatusOr<servicedesk::v1::Qualification> ParseQualification(
    const std::string& text);

}  // namespace sdctl

#endif  // SDCTL_ORG_UTIL_H_
