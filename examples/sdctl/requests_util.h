// Helpers shared by the commands on requests, dialogs, technical support and
// the demo.
#ifndef SDCTL_REQUESTS_UTIL_H_
#define SDCTL_REQUESTS_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "sdctl/cli.h"
#include "servicedesk/proto/requests.pb.h"

namespace sdctl {

// The --version of a command that changes request ID; without --version the
// request's current version, read first (which gives up the stale-version
// protection: a change made in between is not detected).
absl::StatusOr<int64_t> RequestVersion(Context& ctx, const Args& a,
                                       const std::string& id);
// The --version flag's declaration.
FlagSpec VersionFlag();

// The outcome of `requests outcome`: exactly one of --answer,
// --documents "ID:TITLE,ID:TITLE" (with --note) or --enrollment KIND:ID.
absl::StatusOr<servicedesk::v1::RequestOutcome> ParseOutcome(const Args& a);

}  // namespace sdctl

#endif  // SDCTL_REQUESTS_UTIL_H_
