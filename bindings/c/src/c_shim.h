// Shorthands shared by the shims of the request areas (requests, dialogs,
// technical support, reports): the common start of a desk call, string
// arguments, pages and enum arguments.
#ifndef SERVICEDESK_BINDINGS_C_SRC_C_SHIM_H_
#define SERVICEDESK_BINDINGS_C_SRC_C_SHIM_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings/c/src/c_internal.h"
#include "servicedesk/common.h"

// In a function with parameters (sd_buffer* out, sd_desk* desk, const void*
// actor, size_t actor_len, ...): checks them and declares `Call& call`.
#define SD_SHIM_BEGIN_CALL_(call)                                   \
  auto call##_or =                                                  \
      ::servicedesk::c_api::BeginCall(desk, out, actor, actor_len); \
  if (!call##_or.ok()) return call##_or.status();                   \
  ::servicedesk::c_api::Call& call = *call##_or

// Declares `const std::string& var` from pointer + length; errors name the
// C parameter (`ptr`), as the public header does.
#define SD_SHIM_STR_IN_(var, ptr, len)                         \
  auto var##_or = ::servicedesk::c_api::StrIn(ptr, len, #ptr); \
  if (!var##_or.ok()) return var##_or.status();                \
  const std::string& var = *var##_or

namespace servicedesk::c_api {

inline PageRequest PageIn(int32_t size, const std::string& token) {
  PageRequest p;
  p.page_size = size;
  p.page_token = token;
  return p;
}

// A Page<T> as a list message L {repeated T items; string next_page_token;}.
template <typename L, typename T>
absl::Status EmitPage(const absl::StatusOr<Page<T>>& page, const Call& call,
                      sd_buffer* out) {
  if (!page.ok()) return page.status();
  L list;
  for (const auto& item : page->items) *list.add_items() = item;
  list.set_next_page_token(page->next_page_token);
  return Emit(list, call.format, out);
}

// A vector<T> as a list message L (no next page).
template <typename L, typename T>
absl::Status EmitVector(const absl::StatusOr<std::vector<T>>& items,
                        const Call& call, sd_buffer* out) {
  if (!items.ok()) return items.status();
  L list;
  for (const auto& item : *items) *list.add_items() = item;
  return Emit(list, call.format, out);
}

// An int naming a value of a protobuf enum E: INVALID_ARGUMENT naming `what`
// for a number the enum does not define (UNSPECIFIED is passed on for the
// C++ layer to judge).
template <typename E>
absl::StatusOr<E> EnumIn(int value, bool (*is_valid)(int), const char* what,
                         const char* type) {
  if (!is_valid(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", value, " is not a valid ", type));
  }
  return static_cast<E>(value);
}

}  // namespace servicedesk::c_api

#endif  // SERVICEDESK_BINDINGS_C_SRC_C_SHIM_H_
