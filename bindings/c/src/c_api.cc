// The C ABI: core (versions, errors, buffers, handles, clocks, desks) and the
// organisation areas (centers, organizations, contacts, staff, managers,
// events). Each function is a thin shim over the C++ API.
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bindings/c/src/c_internal.h"
#include "bindings/c/src/c_shim.h"
#if __has_include("google/protobuf/stubs/logging.h")
#include "google/protobuf/stubs/logging.h"  // LogSilencer (protobuf < 22)
#define SD_HAVE_LOG_SILENCER 1
#endif
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "lib/core/time_util.h"
#include "lib/core/validate.h"
#include "servicedesk/centers.h"
#include "servicedesk/clients.h"
#include "servicedesk/events.h"
#include "servicedesk/managers.h"
#include "servicedesk/proto/c_api.pb.h"
#include "servicedesk/staff.h"

namespace servicedesk::c_api {
namespace {

thread_local std::string g_last_error;

struct Registry {
  absl::Mutex mu;
  absl::flat_hash_set<const void*> live[3] ABSL_GUARDED_BY(mu);
  // Closed desk handles, kept (empty, a few dozen bytes each) so that their
  // addresses are never handed out again: a call racing a close must find
  // a dead handle, not a desk opened since at the same address.
  std::vector<std::unique_ptr<sd_desk>> retired ABSL_GUARDED_BY(mu);
};
Registry& TheRegistry() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace

void Register(HandleKind kind, const void* handle) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  r.live[static_cast<int>(kind)].insert(handle);
}
bool Unregister(HandleKind kind, const void* handle) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  return r.live[static_cast<int>(kind)].erase(handle) > 0;
}
bool IsLive(HandleKind kind, const void* handle) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  return r.live[static_cast<int>(kind)].contains(handle);
}

// One line of text, whole: a message quotes values as given, and a NUL in
// one would cut the C string short, a line break split a log line.
std::string OneLine(absl::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    switch (c) {
      case '\0':
        out += "\\0";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";  // so that "\n" in a value stays apart from a break
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          absl::StrAppend(
              &out, "\\x",
              absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out += c;
        }
    }
  }
  return out;
}

sd_status Fail(const absl::Status& status) {
  try {
    g_last_error = OneLine(status.message());
    if (g_last_error.empty()) {
      g_last_error = absl::StatusCodeToString(status.code());
    }
  } catch (...) {
    g_last_error.clear();
  }
  int code = static_cast<int>(status.code());
  if (code < 0 || code > SD_UNAUTHENTICATED) return SD_UNKNOWN;
  return static_cast<sd_status>(code);
}

absl::Status CheckFormat(int format) {
  if (format != SD_FORMAT_PROTO && format != SD_FORMAT_JSON) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown format ", format));
  }
  return absl::OkStatus();
}

// The first string field of `d` in the wire-format `fields` (recursively)
// that is not UTF-8, as an error naming its path; OK if there is none.
absl::Status CheckUtf8Fields(const google::protobuf::Descriptor* d,
                             const google::protobuf::UnknownFieldSet& fields,
                             const std::string& path) {
  using google::protobuf::FieldDescriptor;
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& f = fields.field(i);
    const FieldDescriptor* fd = d->FindFieldByNumber(f.number());
    if (fd == nullptr ||
        f.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED)
      continue;
    const std::string field = absl::StrCat(path, ".", fd->name());
    if (fd->type() == FieldDescriptor::TYPE_STRING) {
      RETURN_IF_ERROR(
          servicedesk::internal::CheckUtf8(field, f.length_delimited()));
    } else if (fd->type() == FieldDescriptor::TYPE_MESSAGE) {
      google::protobuf::UnknownFieldSet sub;
      if (sub.ParseFromString(f.length_delimited()))
        RETURN_IF_ERROR(CheckUtf8Fields(fd->message_type(), sub, field));
    }
  }
  return absl::OkStatus();
}

// The first Timestamp or Duration in `m` (recursively) outside the range
// protobuf defines for them (years 0001 to 9999; ±10,000 years), as an error
// naming its path. Binary input can carry any seconds; stored, such a value
// would make the record unreadable as JSON (sdctl --json, a JSON desk).
absl::Status CheckTimeFields(const google::protobuf::Message& m,
                             const std::string& path) {
  using google::protobuf::Descriptor;
  using google::protobuf::FieldDescriptor;
  const Descriptor* d = m.GetDescriptor();
  const Descriptor::WellKnownType type = d->well_known_type();
  if (type == Descriptor::WELLKNOWNTYPE_TIMESTAMP ||
      type == Descriptor::WELLKNOWNTYPE_DURATION) {
    const google::protobuf::Reflection* r = m.GetReflection();
    const int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
    const int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
    if (type == Descriptor::WELLKNOWNTYPE_TIMESTAMP) {
      google::protobuf::Timestamp t;
      t.set_seconds(seconds);
      t.set_nanos(nanos);
      return servicedesk::internal::CheckTimestamp(path, t);
    }
    google::protobuf::Duration t;
    t.set_seconds(seconds);
    t.set_nanos(nanos);
    return servicedesk::internal::CheckDuration(path, t);
  }
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* fd : fields) {
    if (fd->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string field = absl::StrCat(path, ".", fd->name());
    if (!fd->is_repeated()) {
      RETURN_IF_ERROR(
          CheckTimeFields(m.GetReflection()->GetMessage(m, fd), field));
      continue;
    }
    for (int i = 0; i < m.GetReflection()->FieldSize(m, fd); ++i)
      RETURN_IF_ERROR(
          CheckTimeFields(m.GetReflection()->GetRepeatedMessage(m, fd, i),
                          absl::StrCat(field, "[", i, "]")));
  }
  return absl::OkStatus();
}

absl::Status ParseIn(const void* data, size_t len, sd_format format,
                     const char* what, google::protobuf::Message* msg) {
  if (data == nullptr && len > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": NULL pointer with length ", len));
  }
  if (len > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": length ", len, " is too large"));
  }
  RETURN_IF_ERROR(CheckFormat(format));
  msg->Clear();
  if (len == 0) return absl::OkStatus();
  if (format == SD_FORMAT_PROTO) {
    bool parsed;
    {
#ifdef SD_HAVE_LOG_SILENCER
      // libprotobuf would log a bad string to the host's stderr; the error
      // below names it instead. (The silencer is process-wide while it
      // lives: protobuf logs from other threads during this parse are
      // dropped too.)
      google::protobuf::LogSilencer quiet;
#endif
      parsed = msg->ParseFromArray(data, static_cast<int>(len));
    }
    if (!parsed) {
      google::protobuf::UnknownFieldSet fields;
      if (fields.ParseFromArray(data, static_cast<int>(len)))
        RETURN_IF_ERROR(CheckUtf8Fields(msg->GetDescriptor(), fields, what));
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": malformed protobuf bytes for ",
                       msg->GetDescriptor()->full_name()));
    }
    // JSON parsing refuses these itself.
    return CheckTimeFields(*msg, what);
  }
  google::protobuf::util::JsonParseOptions options;
  std::string json(static_cast<const char*>(data), len);
  RETURN_IF_ERROR(servicedesk::internal::CheckUtf8(what, json));
  auto status = google::protobuf::util::JsonStringToMessage(json, msg, options);
  if (!status.ok()) {
    // The parser's first line says what is wrong; the lines after it echo
    // the input around the error with a caret under it.
    std::string why(status.message());
    why.erase(std::min(why.find('\n'), why.size()));
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": malformed JSON for ",
                     msg->GetDescriptor()->full_name(), ": ", why));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StrIn(const char* data, size_t len,
                                  const char* what) {
  if (data == nullptr && len > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": NULL pointer with length ", len));
  }
  if (len > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": length ", len, " is too large"));
  }
  if (len == 0) return std::string();
  // No text argument holds NUL (ids, codes, URIs, text, JSON), and an error
  // quoting it would end at the NUL for a C reader.
  if (std::memchr(data, '\0', len) != nullptr)
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": must not contain NUL"));
  return std::string(data, len);
}

absl::Status CheckOut(const sd_buffer* out) {
  if (out == nullptr)
    return absl::InvalidArgumentError("out: must not be NULL");
  if (out->data != nullptr || out->size != 0) {
    return absl::InvalidArgumentError(
        "out: the buffer is not empty (free it with sd_buffer_free first, or "
        "zero-initialize it)");
  }
  return absl::OkStatus();
}

absl::Status EmitBytes(absl::string_view bytes, sd_buffer* out) {
  auto* data = static_cast<uint8_t*>(std::malloc(bytes.size() + 1));
  if (data == nullptr) return absl::ResourceExhaustedError("out of memory");
  if (!bytes.empty()) std::memcpy(data, bytes.data(), bytes.size());
  data[bytes.size()] = 0;
  out->data = data;
  out->size = bytes.size();
  return absl::OkStatus();
}

absl::Status Emit(const google::protobuf::Message& msg, sd_format format,
                  sd_buffer* out) {
  std::string bytes;
  if (format == SD_FORMAT_JSON) {
    google::protobuf::util::JsonPrintOptions options;
    auto status =
        google::protobuf::util::MessageToJsonString(msg, &bytes, options);
    if (!status.ok()) {
      return absl::InternalError(absl::StrCat("JSON encoding failed: ",
                                              std::string(status.message())));
    }
  } else if (!msg.SerializeToString(&bytes)) {
    return absl::InternalError("protobuf encoding failed");
  }
  return EmitBytes(bytes, out);
}

absl::StatusOr<DeskRef> DeskIn(sd_desk* desk) {
  if (desk == nullptr)
    return absl::InvalidArgumentError("desk: must not be NULL");
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  if (!r.live[static_cast<int>(HandleKind::kDesk)].contains(desk)) {
    return absl::InvalidArgumentError(
        "desk: not a live desk handle (closed or never opened)");
  }
  ++desk->users;
  return DeskRef(desk);
}

namespace {
// Frees what a closed desk holds (outside the registry's lock: closing a
// store may take a while) and retires its handle.
void Retire(sd_desk* desk) {
  desk->desk.reset();
  desk->clock.reset();
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  r.retired.emplace_back(desk);
}
}  // namespace

DeskRef::~DeskRef() {
  if (desk_ == nullptr) return;
  bool last = false;
  {
    Registry& r = TheRegistry();
    absl::MutexLock lock(&r.mu);
    last = --desk_->users == 0 && desk_->closed;
  }
  if (last) Retire(desk_);
}

bool CloseDesk(sd_desk* desk) {
  bool now = false;
  {
    Registry& r = TheRegistry();
    absl::MutexLock lock(&r.mu);
    if (r.live[static_cast<int>(HandleKind::kDesk)].erase(desk) == 0)
      return false;
    desk->closed = true;
    now = desk->users == 0;
  }
  if (now) Retire(desk);
  return true;
}

absl::StatusOr<sd_calendar*> CalendarIn(sd_calendar* calendar) {
  if (calendar == nullptr) {
    return absl::InvalidArgumentError("calendar: must not be NULL");
  }
  if (!IsLive(HandleKind::kCalendar, calendar)) {
    return absl::InvalidArgumentError(
        "calendar: not a live calendar handle (destroyed or never created)");
  }
  return calendar;
}

static absl::StatusOr<sd_clock*> ClockIn(sd_clock* clock) {
  if (clock == nullptr)
    return absl::InvalidArgumentError("clock: must not be NULL");
  if (!IsLive(HandleKind::kClock, clock)) {
    return absl::InvalidArgumentError(
        "clock: not a live clock handle (destroyed or never created)");
  }
  return clock;
}

absl::StatusOr<Call> BeginCall(sd_desk* desk, const sd_buffer* out,
                               const void* actor, size_t actor_len) {
  auto d = DeskIn(desk);
  if (!d.ok()) return d.status();
  RETURN_IF_ERROR(CheckOut(out));
  Desk* raw = (*d)->desk.get();
  const sd_format format = (*d)->format;
  Call call{std::move(*d), raw, format, Actor()};
  RETURN_IF_ERROR(ParseIn(actor, actor_len, call.format, "actor", &call.actor));
  return call;
}

}  // namespace servicedesk::c_api

using servicedesk::c_api::BeginCall;
using servicedesk::c_api::Call;
using servicedesk::c_api::CheckFormat;
using servicedesk::c_api::CheckOut;
using servicedesk::c_api::CheckPtr;
using servicedesk::c_api::ClockIn;
using servicedesk::c_api::DeskIn;
using servicedesk::c_api::Emit;
using servicedesk::c_api::EmitPage;
using servicedesk::c_api::EmitResult;
using servicedesk::c_api::Guard;
using servicedesk::c_api::HandleKind;
using servicedesk::c_api::PageIn;
using servicedesk::c_api::ParseIn;
using servicedesk::c_api::StrIn;
using servicedesk::c_api::TimeIn;
using servicedesk::c_api::TimeOut;
namespace v1 = servicedesk::v1;

namespace {

template <typename M>
absl::Status MsgIn(const void* data, size_t len, const Call& call,
                   const char* what, M* msg) {
  return ParseIn(data, len, call.format, what, msg);
}

}  // namespace

extern "C" {

// ---- versions, errors, buffers ----------------------------------------------

const char* sd_version(void) { return SD_VERSION_STRING; }

void sd_version_numbers(int* major, int* minor, int* patch) {
  if (major != nullptr) *major = SD_VERSION_MAJOR;
  if (minor != nullptr) *minor = SD_VERSION_MINOR;
  if (patch != nullptr) *patch = SD_VERSION_PATCH;
}

const char* sd_last_error(void) {
  return servicedesk::c_api::g_last_error.c_str();
}

const char* sd_status_name(int status) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (status < 0 || status > SD_UNAUTHENTICATED) return "UNKNOWN_STATUS";
  return kNames[status];
}

void sd_buffer_free(sd_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

// ---- clocks
// ---------------------------------------------------------------------

sd_status sd_clock_create(sd_clock** out, int64_t start_unix_nanos) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    auto* c = new sd_clock();
    c->clock =
        std::make_shared<servicedesk::ManualClock>(TimeIn(start_unix_nanos));
    servicedesk::c_api::Register(HandleKind::kClock, c);
    *out = c;
    return absl::OkStatus();
  });
}

sd_status sd_clock_destroy(sd_clock** clock) {
  return Guard([&]() -> absl::Status {
    if (clock == nullptr || *clock == nullptr) return absl::OkStatus();
    if (!servicedesk::c_api::Unregister(HandleKind::kClock, *clock)) {
      return absl::InvalidArgumentError(
          "clock: not a live clock handle (destroyed or never created)");
    }
    delete *clock;
    *clock = nullptr;
    return absl::OkStatus();
  });
}

sd_status sd_clock_set(sd_clock* clock, int64_t unix_nanos) {
  return Guard([&]() -> absl::Status {
    auto c = ClockIn(clock);
    if (!c.ok()) return c.status();
    (*c)->clock->Set(TimeIn(unix_nanos));
    return absl::OkStatus();
  });
}

sd_status sd_clock_advance(sd_clock* clock, int64_t nanos) {
  return Guard([&]() -> absl::Status {
    auto c = ClockIn(clock);
    if (!c.ok()) return c.status();
    if (!(*c)->clock->TryAdvance(absl::Nanoseconds(nanos)))
      return absl::OutOfRangeError(absl::StrCat(
          "nanos: ", nanos,
          " moves the clock out of int64 nanoseconds since the epoch "
          "(1677-09-21 to 2262-04-11)"));
    return absl::OkStatus();
  });
}

sd_status sd_clock_now(int64_t* out_unix_nanos, sd_clock* clock) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_unix_nanos, "out_unix_nanos"));
    auto c = ClockIn(clock);
    if (!c.ok()) return c.status();
    *out_unix_nanos = TimeOut((*c)->clock->Now());
    return absl::OkStatus();
  });
}

// ---- desks
// ------------------------------------------------------------------------

sd_status sd_desk_open(sd_desk** out, const char* uri, size_t uri_len,
                       sd_clock* clock, sd_format format) {
  return sd_desk_open_with_options(out, uri, uri_len, clock, format, nullptr,
                                   0);
}

namespace {
// Desk::Open names the C++ DeskOptions member it refuses; a C or Python
// caller set the DeskOptions message's field of another name.
absl::Status InOptionsTerms(const absl::Status& status) {
  static constexpr std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"requests.reopen_window:", "reopen_window:"},
      {"requests.dialog_wait_samples:", "dialog_wait_samples:"},
      {"sqlite.busy_timeout_ms:", "sqlite_busy_timeout_ms:"}};
  for (const auto& [cpp, field] : kNames)
    if (absl::StartsWith(status.message(), cpp))
      return absl::Status(
          status.code(),
          absl::StrCat("options.", field, status.message().substr(cpp.size())));
  return status;
}
}  // namespace

sd_status sd_desk_open_with_options(sd_desk** out, const char* uri,
                                    size_t uri_len, sd_clock* clock,
                                    sd_format format, const void* options_in,
                                    size_t options_len) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    RETURN_IF_ERROR(CheckFormat(format));
    SD_SHIM_STR_IN_(uri_str, uri, uri_len);
    servicedesk::v1::DeskOptions wanted;
    RETURN_IF_ERROR(
        ParseIn(options_in, options_len, format, "options", &wanted));
    auto handle = std::make_unique<sd_desk>();
    handle->format = format;
    servicedesk::DeskOptions options;
    if (wanted.has_reopen_window()) {
      options.requests.reopen_window =
          servicedesk::internal::FromProto(wanted.reopen_window());
    }
    if (wanted.has_dialog_wait_samples())
      options.requests.dialog_wait_samples = wanted.dialog_wait_samples();
    if (wanted.has_sqlite_busy_timeout_ms())
      options.sqlite.busy_timeout_ms = wanted.sqlite_busy_timeout_ms();
    if (wanted.has_sqlite_background_checkpoint())
      options.sqlite.background_checkpoint =
          wanted.sqlite_background_checkpoint();
    if (clock != nullptr) {
      auto c = ClockIn(clock);
      if (!c.ok()) return c.status();
      handle->clock = (*c)->clock;
      options.clock = handle->clock.get();
    }
    auto desk = servicedesk::Desk::Open(uri_str, options);
    if (!desk.ok()) return InOptionsTerms(desk.status());
    handle->desk = *std::move(desk);
    sd_desk* raw = handle.release();
    servicedesk::c_api::Register(HandleKind::kDesk, raw);
    *out = raw;
    return absl::OkStatus();
  });
}

sd_status sd_desk_close(sd_desk** desk) {
  return Guard([&]() -> absl::Status {
    if (desk == nullptr || *desk == nullptr) return absl::OkStatus();
    if (!servicedesk::c_api::CloseDesk(*desk)) {
      return absl::InvalidArgumentError(
          "desk: not a live desk handle (closed or never opened)");
    }
    *desk = nullptr;
    return absl::OkStatus();
  });
}

sd_status sd_desk_now(int64_t* out_unix_nanos, sd_desk* desk) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_unix_nanos, "out_unix_nanos"));
    auto d = DeskIn(desk);
    if (!d.ok()) return d.status();
    *out_unix_nanos = TimeOut((*d)->desk->clock().Now());
    return absl::OkStatus();
  });
}

sd_status sd_desk_format(sd_format* out, sd_desk* desk) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out, "out"));
    auto d = DeskIn(desk);
    if (!d.ok()) return d.status();
    *out = (*d)->format;
    return absl::OkStatus();
  });
}

// ---- centers
// --------------------------------------------------------------------

sd_status sd_center_create(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const void* center,
                           size_t center_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ServiceCenter c;
    RETURN_IF_ERROR(MsgIn(center, center_len, call, "center", &c));
    return EmitResult(call.desk->centers().Create(call.actor, c), call, out);
  });
}

sd_status sd_center_get(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->centers().Get(call.actor, id_str), call, out);
  });
}

sd_status sd_center_get_by_code(sd_buffer* out, sd_desk* desk,
                                const void* actor, size_t actor_len,
                                const char* code, size_t code_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(code_str, code, code_len);
    return EmitResult(call.desk->centers().GetByCode(call.actor, code_str),
                      call, out);
  });
}

sd_status sd_center_update(sd_buffer* out, sd_desk* desk, const void* actor,
                           size_t actor_len, const void* center,
                           size_t center_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ServiceCenter c;
    RETURN_IF_ERROR(MsgIn(center, center_len, call, "center", &c));
    return EmitResult(call.desk->centers().Update(call.actor, c), call, out);
  });
}

sd_status sd_center_deactivate(sd_buffer* out, sd_desk* desk, const void* actor,
                               size_t actor_len, const char* id,
                               size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->centers().Deactivate(call.actor, id_str), call,
                      out);
  });
}

sd_status sd_center_list(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const void* request,
                         size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::CenterListRequest req;
    RETURN_IF_ERROR(MsgIn(request, request_len, call, "request", &req));
    servicedesk::CenterFilter filter;
    filter.region = req.region();
    filter.include_inactive = req.include_inactive();
    return EmitPage<v1::CenterList>(
        call.desk->centers().List(call.actor, filter,
                                  PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

// ---- organizations
// ----------------------------------------------------------------

sd_status sd_organization_create(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const void* org, size_t org_len,
                                 const char* manager_id, size_t manager_id_len,
                                 const char* reason, size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Organization o;
    RETURN_IF_ERROR(MsgIn(org, org_len, call, "organization", &o));
    SD_SHIM_STR_IN_(manager, manager_id, manager_id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->organizations().Create(
            call.actor, o, manager, why.empty() ? "initial assignment" : why),
        call, out);
  });
}

sd_status sd_organization_get(sd_buffer* out, sd_desk* desk, const void* actor,
                              size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->organizations().Get(call.actor, id_str), call,
                      out);
  });
}

sd_status sd_organization_update(sd_buffer* out, sd_desk* desk,
                                 const void* actor, size_t actor_len,
                                 const void* org, size_t org_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Organization o;
    RETURN_IF_ERROR(MsgIn(org, org_len, call, "organization", &o));
    return EmitResult(call.desk->organizations().Update(call.actor, o), call,
                      out);
  });
}

sd_status sd_organization_deactivate(sd_buffer* out, sd_desk* desk,
                                     const void* actor, size_t actor_len,
                                     const char* id, size_t id_len,
                                     const char* reason, size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->organizations().Deactivate(
            call.actor, id_str, why.empty() ? "deactivated" : why),
        call, out);
  });
}

sd_status sd_organization_list(sd_buffer* out, sd_desk* desk, const void* actor,
                               size_t actor_len, const void* request,
                               size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::OrganizationListRequest req;
    RETURN_IF_ERROR(MsgIn(request, request_len, call, "request", &req));
    servicedesk::OrganizationFilter filter;
    filter.center_id = req.center_id();
    filter.tier = req.tier();
    filter.topic = req.topic();
    filter.include_inactive = req.include_inactive();
    return EmitPage<v1::OrganizationList>(
        call.desk->organizations().List(
            call.actor, filter, PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

// ---- contacts
// -------------------------------------------------------------------------

sd_status sd_contact_create(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const void* contact,
                            size_t contact_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Contact c;
    RETURN_IF_ERROR(MsgIn(contact, contact_len, call, "contact", &c));
    return EmitResult(call.desk->contacts().Create(call.actor, c), call, out);
  });
}

sd_status sd_contact_get(sd_buffer* out, sd_desk* desk, const void* actor,
                         size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->contacts().Get(call.actor, id_str), call, out);
  });
}

sd_status sd_contact_update(sd_buffer* out, sd_desk* desk, const void* actor,
                            size_t actor_len, const void* contact,
                            size_t contact_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::Contact c;
    RETURN_IF_ERROR(MsgIn(contact, contact_len, call, "contact", &c));
    return EmitResult(call.desk->contacts().Update(call.actor, c), call, out);
  });
}

sd_status sd_contact_deactivate(sd_buffer* out, sd_desk* desk,
                                const void* actor, size_t actor_len,
                                const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->contacts().Deactivate(call.actor, id_str),
                      call, out);
  });
}

sd_status sd_contact_list(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const void* request,
                          size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::ContactListRequest req;
    RETURN_IF_ERROR(MsgIn(request, request_len, call, "request", &req));
    return EmitPage<v1::ContactList>(
        call.desk->contacts().List(call.actor, req.organization_id(),
                                   req.include_inactive(),
                                   PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

// ---- staff
// -------------------------------------------------------------------------------

sd_status sd_staff_create(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const void* member,
                          size_t member_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::StaffMember m;
    RETURN_IF_ERROR(MsgIn(member, member_len, call, "member", &m));
    return EmitResult(call.desk->staff().Create(call.actor, m), call, out);
  });
}

sd_status sd_staff_get(sd_buffer* out, sd_desk* desk, const void* actor,
                       size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->staff().Get(call.actor, id_str), call, out);
  });
}

sd_status sd_staff_update(sd_buffer* out, sd_desk* desk, const void* actor,
                          size_t actor_len, const void* member,
                          size_t member_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::StaffMember m;
    RETURN_IF_ERROR(MsgIn(member, member_len, call, "member", &m));
    return EmitResult(call.desk->staff().Update(call.actor, m), call, out);
  });
}

sd_status sd_staff_deactivate(sd_buffer* out, sd_desk* desk, const void* actor,
                              size_t actor_len, const char* id, size_t id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(id_str, id, id_len);
    return EmitResult(call.desk->staff().Deactivate(call.actor, id_str), call,
                      out);
  });
}

sd_status sd_staff_list(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const void* request,
                        size_t request_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    v1::StaffListRequest req;
    RETURN_IF_ERROR(MsgIn(request, request_len, call, "request", &req));
    servicedesk::StaffFilter filter;
    filter.center_id = req.center_id();
    filter.role = req.role();
    filter.qualification = req.qualification();
    if (req.has_at()) filter.at = servicedesk::internal::FromProto(req.at());
    filter.include_inactive = req.include_inactive();
    return EmitPage<v1::StaffList>(
        call.desk->staff().List(call.actor, filter,
                                PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

// ---- managers
// ----------------------------------------------------------------------------

sd_status sd_manager_reassign(sd_buffer* out, sd_desk* desk, const void* actor,
                              size_t actor_len, const char* organization_id,
                              size_t organization_id_len,
                              const char* manager_id, size_t manager_id_len,
                              const char* reason, size_t reason_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(org, organization_id, organization_id_len);
    SD_SHIM_STR_IN_(manager, manager_id, manager_id_len);
    SD_SHIM_STR_IN_(why, reason, reason_len);
    return EmitResult(
        call.desk->managers().Reassign(call.actor, org, manager, why), call,
        out);
  });
}

sd_status sd_manager_current(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* organization_id,
                             size_t organization_id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(org, organization_id, organization_id_len);
    return EmitResult(call.desk->managers().Current(call.actor, org), call,
                      out);
  });
}

sd_status sd_manager_at(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, const char* organization_id,
                        size_t organization_id_len, int64_t at_unix_nanos) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(org, organization_id, organization_id_len);
    return EmitResult(
        call.desk->managers().At(call.actor, org, TimeIn(at_unix_nanos)), call,
        out);
  });
}

sd_status sd_manager_history(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* organization_id,
                             size_t organization_id_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(org, organization_id, organization_id_len);
    auto history = call.desk->managers().History(call.actor, org);
    if (!history.ok()) return history.status();
    v1::ManagerAssignmentList list;
    for (auto& a : *history) *list.add_items() = std::move(a);
    return Emit(list, call.format, out);
  });
}

sd_status sd_manager_clients(sd_buffer* out, sd_desk* desk, const void* actor,
                             size_t actor_len, const char* manager_id,
                             size_t manager_id_len, const void* page,
                             size_t page_len) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    SD_SHIM_STR_IN_(manager, manager_id, manager_id_len);
    v1::PageRequest req;
    RETURN_IF_ERROR(MsgIn(page, page_len, call, "page", &req));
    return EmitPage<v1::OrganizationList>(
        call.desk->managers().Clients(
            call.actor, manager, PageIn(req.page_size(), req.page_token())),
        call, out);
  });
}

// ---- events
// ---------------------------------------------------------------------------------

sd_status sd_event_list(sd_buffer* out, sd_desk* desk, const void* actor,
                        size_t actor_len, int64_t after_seq, size_t limit) {
  return Guard([&]() -> absl::Status {
    SD_SHIM_BEGIN_CALL_(call);
    auto events = call.desk->events().List(call.actor, after_seq, limit);
    if (!events.ok()) return events.status();
    v1::EventList list;
    for (auto& e : *events) *list.add_items() = std::move(e);
    return Emit(list, call.format, out);
  });
}

sd_status sd_event_subscribe(int64_t* out_subscription, sd_desk* desk,
                             sd_event_callback callback, void* payload) {
  return Guard([&]() -> absl::Status {
    RETURN_IF_ERROR(CheckPtr(out_subscription, "out_subscription"));
    auto d = DeskIn(desk);
    if (!d.ok()) return d.status();
    if (callback == nullptr) {
      return absl::InvalidArgumentError("callback: must not be NULL");
    }
    sd_format format = (*d)->format;
    *out_subscription = (*d)->desk->events().Subscribe(
        [callback, payload, format](const v1::Event& event) {
          std::string bytes;
          if (format == SD_FORMAT_JSON) {
            if (!google::protobuf::util::MessageToJsonString(event, &bytes)
                     .ok()) {
              return;
            }
          } else if (!event.SerializeToString(&bytes)) {
            return;
          }
          callback(bytes.data(), bytes.size(), payload);
        });
    return absl::OkStatus();
  });
}

sd_status sd_event_unsubscribe(sd_desk* desk, int64_t subscription) {
  return Guard([&]() -> absl::Status {
    auto d = DeskIn(desk);
    if (!d.ok()) return d.status();
    (*d)->desk->events().Unsubscribe(subscription);
    return absl::OkStatus();
  });
}

}  // extern "C"
