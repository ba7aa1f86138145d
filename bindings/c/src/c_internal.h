// Internals of the C ABI shim: handle registry, status mapping, record
// (de)serialization in the desk's format, and the exception guard.
#ifndef SERVICEDESK_BINDINGS_C_SRC_C_INTERNAL_H_
#define SERVICEDESK_BINDINGS_C_SRC_C_INTERNAL_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "lib/core/status_macros.h"
#include "servicedesk/c.h"
#include "servicedesk/calendar.h"
#include "servicedesk/clock.h"
#include "servicedesk/common.h"
#include "servicedesk/desk.h"

struct sd_clock {
  std::shared_ptr<servicedesk::ManualClock> clock;
};

struct sd_desk {
  // Declared before `desk` so that it outlives it.
  std::shared_ptr<servicedesk::ManualClock> clock;
  std::unique_ptr<servicedesk::Desk> desk;
  sd_format format = SD_FORMAT_PROTO;
  // Guarded by the handle registry's lock: calls in progress (DeskRef), and
  // whether sd_desk_close has run. The last of the two frees the desk, so a
  // close racing a call on another thread never pulls the desk from under it.
  int users = 0;
  bool closed = false;
};

struct sd_calendar {
  explicit sd_calendar(servicedesk::BusinessCalendar c) : cal(std::move(c)) {}
  servicedesk::BusinessCalendar cal;
};

namespace servicedesk::c_api {

enum class HandleKind { kDesk, kClock, kCalendar };

// The registry of live handles: lookups compare addresses only, so a stale or
// garbage handle is reported, never dereferenced.
void Register(HandleKind kind, const void* handle);
// True if `handle` was registered (and is now removed).
bool Unregister(HandleKind kind, const void* handle);
bool IsLive(HandleKind kind, const void* handle);

// Records the status as this thread's last error and returns its code.
sd_status Fail(const absl::Status& status);

// Runs fn() -> absl::Status, mapping exceptions to statuses.
template <typename Fn>
sd_status Guard(Fn&& fn) {
  try {
    absl::Status s = fn();
    if (s.ok()) return SD_OK;
    return Fail(s);
  } catch (const std::bad_alloc&) {
    return Fail(absl::ResourceExhaustedError("out of memory"));
  } catch (const std::exception& e) {
    return Fail(absl::InternalError(e.what()));
  } catch (...) {
    return Fail(absl::InternalError("unknown exception"));
  }
}

absl::Status CheckFormat(int format);

// Parses a message from pointer + length in `format`. Length 0 = the empty
// message. `what` names the argument in errors.
absl::Status ParseIn(const void* data, size_t len, sd_format format,
                     const char* what, google::protobuf::Message* msg);

// Copies pointer + length into a string.
absl::StatusOr<std::string> StrIn(const char* data, size_t len,
                                  const char* what);

// Checks that `out` is non-NULL and empty.
absl::Status CheckOut(const sd_buffer* out);
template <typename T>
absl::Status CheckPtr(const T* p, const char* what) {
  if (p == nullptr) {
    return absl::InvalidArgumentError(std::string(what) + ": must not be NULL");
  }
  return absl::OkStatus();
}

// Serializes `msg` in `format` into `out` (which CheckOut accepted).
absl::Status Emit(const google::protobuf::Message& msg, sd_format format,
                  sd_buffer* out);
// Copies raw bytes into `out` (NUL-terminated).
absl::Status EmitBytes(absl::string_view bytes, sd_buffer* out);

// A live desk in use by one call; the desk is not freed before it ends.
class DeskRef {
 public:
  explicit DeskRef(sd_desk* desk) : desk_(desk) {}
  DeskRef(DeskRef&& other) noexcept : desk_(other.desk_) {
    other.desk_ = nullptr;
  }
  DeskRef& operator=(DeskRef&&) = delete;
  DeskRef(const DeskRef&) = delete;
  ~DeskRef();
  sd_desk* operator->() const { return desk_; }

 private:
  sd_desk* desk_;
};

// Looks up a live desk and holds it for the call.
absl::StatusOr<DeskRef> DeskIn(sd_desk* desk);
// sd_desk_close: the handle is dead at once; the desk is freed now, or when
// the last call in progress on it ends. False if `desk` was not live.
bool CloseDesk(sd_desk* desk);
absl::StatusOr<sd_calendar*> CalendarIn(sd_calendar* calendar);

// A desk call's common inputs: the live desk, a checked output buffer and the
// parsed actor.
struct Call {
  DeskRef handle;
  Desk* desk;
  sd_format format;
  Actor actor;
};
absl::StatusOr<Call> BeginCall(sd_desk* desk, const sd_buffer* out,
                               const void* actor, size_t actor_len);

// Emits the value of a StatusOr<message>, or returns its error.
template <typename T>
absl::Status EmitResult(const absl::StatusOr<T>& result, const Call& call,
                        sd_buffer* out) {
  if (!result.ok()) return result.status();
  return Emit(*result, call.format, out);
}

// INT64_MAX and INT64_MIN are the infinite future and past (c.h, rule 7),
// the values TimeOut gives them, so an infinite result can go back in.
inline absl::Time TimeIn(int64_t unix_nanos) {
  if (unix_nanos == std::numeric_limits<int64_t>::max())
    return absl::InfiniteFuture();
  if (unix_nanos == std::numeric_limits<int64_t>::min())
    return absl::InfinitePast();
  return absl::FromUnixNanos(unix_nanos);
}
// Instants beyond int64 nanoseconds (years 1677-2262) saturate, as the
// infinite ones do, instead of wrapping to the other end of the range.
inline int64_t TimeOut(absl::Time t) {
  if (t >= absl::FromUnixNanos(std::numeric_limits<int64_t>::max()))
    return std::numeric_limits<int64_t>::max();
  if (t <= absl::FromUnixNanos(std::numeric_limits<int64_t>::min()))
    return std::numeric_limits<int64_t>::min();
  return absl::ToUnixNanos(t);
}

}  // namespace servicedesk::c_api

#endif  // SERVICEDESK_BINDINGS_C_SRC_C_INTERNAL_H_
