// Local status helpers: Debian's Abseil 20220623 has no status_macros.h.
#ifndef SERVICEDESK_LIB_CORE_STATUS_MACROS_H_
#define SERVICEDESK_LIB_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SD_CONCAT_INNER_(a, b) a##b
#define SD_CONCAT_(a, b) SD_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                                                  \
  do {                                                                         \
    if (absl::Status sd_status_ = (expr); !sd_status_.ok()) return sd_status_; \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(SD_CONCAT_(sd_statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)   \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()

#endif  // SERVICEDESK_LIB_CORE_STATUS_MACROS_H_
