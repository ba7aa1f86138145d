/* servicedesk C ABI.
 *
 * Rules (every function follows them):
 *  1. Opaque handles only: sd_desk, sd_clock, sd_calendar. Each has a
 *     create/open function and a destroy/close function that takes a pointer
 *     to the handle, accepts NULL (and a pointer to NULL), and sets the handle
 *     to NULL. The library keeps a registry of live handles: a destroyed,
 *     never-created or garbage handle gives SD_INVALID_ARGUMENT, never a crash
 *     (the handle is only looked up, not dereferenced, until found live).
 *  2. Strings and buffers go in as pointer + length (no NUL needed). A NULL
 *     pointer with length 0 is the empty string; a NULL pointer with a
 *     non-zero length is SD_INVALID_ARGUMENT. The length must not exceed the
 *     memory the pointer refers to (that cannot be checked).
 *  3. Records cross the boundary as servicedesk.v1 messages (the .proto files
 *     installed under servicedesk/proto/, including c_api.proto for lists and
 *     results): either serialized protobuf bytes (SD_FORMAT_PROTO) or, for C
 *     callers without a protobuf library, the proto3 JSON mapping
 *     (SD_FORMAT_JSON, e.g. {"admin":"root"} for an Actor). A desk chooses the
 *     format at open time for everything it takes and returns; standalone
 *     calendar functions take a format argument. Malformed input is
 *     SD_INVALID_ARGUMENT.
 *  4. Results come back in an sd_buffer the caller declares (zero-initialized,
 *     e.g. `sd_buffer out = {0};`) and the library fills with memory it owns;
 *     release it with sd_buffer_free (also on error paths: it is harmless on
 *     an empty buffer). JSON results are NUL-terminated (the NUL is not
 *     counted in `size`). A buffer passed to a function that fills it must be
 *     empty (freed first), else SD_INVALID_ARGUMENT.
 *  5. Every function returns an sd_status that maps one-to-one to
 *     absl::StatusCode (SD_OK = 0 ... SD_UNAUTHENTICATED = 16). After a
 *     failure, sd_last_error() gives this thread's message for it: never
 *     NULL, owned by the library, valid until the next call on this thread.
 *     It is one line: control characters of values it quotes are escaped
 *     (\0, \n, \r, \t, \xNN, and a backslash as \\), so a NUL or a line
 *     break cannot cut it.
 *     Outputs are written only on SD_OK.
 *  6. Output parameters come first; callbacks take `void *payload` last.
 *  7. Times are int64 nanoseconds since the Unix epoch (UTC); durations are
 *     int64 nanoseconds. Dates and local times inside records follow the
 *     schema (google.protobuf.Timestamp/Duration, servicedesk.v1.Date).
 *     INT64_MAX is the infinite future (a deadline a calendar that never
 *     opens never reaches) and INT64_MIN the infinite past, in arguments as
 *     in results; an instant beyond the range (1677-09-21 to 2262-04-11)
 *     reads as the end it passed. A duration of infinite business time (up
 *     to an infinite instant) is INT64_MAX, or INT64_MIN when negative. The
 *     SLA clock calls (sd_sla_*) refuse an infinite instant: nothing happens
 *     then (SD_INVALID_ARGUMENT naming it).
 *  8. Every call on a desk takes the acting principal as a servicedesk.v1.Actor
 *     message (in the desk's format). Authorization is the C++ layer's: a
 *     refused call is SD_PERMISSION_DENIED and writes nothing.
 *  9. The C ABI is the sd_-prefixed symbols (the library also exports its
 *     C++ API). Versions: SD_VERSION_* at compile time, sd_version*() at run
 *     time.
 * 10. Thread-safety: a desk, clock or calendar may be used from several
 *     threads at once. sd_desk_close may run while other threads are inside
 *     calls on that desk: those calls finish, calls that begin after it are
 *     SD_INVALID_ARGUMENT, and the desk is freed when the last one ends (a
 *     closed handle's address is never reused by a later sd_desk_open).
 *     Those calls may still deliver events: unsubscribe before closing, or
 *     keep subscription payloads until they have returned.
 *     Destroying a clock or calendar must not race with other uses of it.
 *
 * Example (JSON records, error handling shortened):
 *   sd_desk *desk = NULL;
 *   sd_desk_open(&desk, "memory:", 7, NULL, SD_FORMAT_JSON);
 *   const char *admin = "{\"admin\":\"root\"}";
 *   const char *c = "{\"code\":\"MSK-01\",\"name\":\"Moscow\","
 *                   "\"region\":\"Moscow\",\"timeZone\":\"Europe/Moscow\"}";
 *   sd_buffer out = {0};
 *   if (sd_center_create(&out, desk, admin, strlen(admin), c, strlen(c)))
 *     fprintf(stderr, "%s\n", sd_last_error());
 *   else
 *     puts((const char *)out.data);   // the stored ServiceCenter as JSON
 *   sd_buffer_free(&out);
 *   sd_desk_close(&desk);
 * docs/c-api.md has a complete program.
 */
#ifndef SERVICEDESK_C_H_
#define SERVICEDESK_C_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define SD_C_EXPORT
#else
#define SD_C_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ---------------------------------------------------------- */

#define SD_VERSION_MAJOR 0
#define SD_VERSION_MINOR 1
#define SD_VERSION_PATCH 0
#define SD_VERSION_STRING "0.1.0"

/* The library's version as "MAJOR.MINOR.PATCH" (static storage). */
SD_C_EXPORT const char *sd_version(void);
/* The library's version numbers; any pointer may be NULL. */
SD_C_EXPORT void sd_version_numbers(int *major, int *minor, int *patch);

/* ---- status codes and errors -------------------------------------------- */

/* One-to-one with absl::StatusCode. */
typedef enum sd_status {
  SD_OK = 0,
  SD_CANCELLED = 1,
  SD_UNKNOWN = 2,
  SD_INVALID_ARGUMENT = 3,
  SD_DEADLINE_EXCEEDED = 4,
  SD_NOT_FOUND = 5,
  SD_ALREADY_EXISTS = 6,
  SD_PERMISSION_DENIED = 7,
  SD_RESOURCE_EXHAUSTED = 8,
  SD_FAILED_PRECONDITION = 9,
  SD_ABORTED = 10, /* e.g. a stale record version: reload and retry */
  SD_OUT_OF_RANGE = 11,
  SD_UNIMPLEMENTED = 12,
  SD_INTERNAL = 13,
  SD_UNAVAILABLE = 14,
  SD_DATA_LOSS = 15,
  SD_UNAUTHENTICATED = 16
} sd_status;

/* The message of this thread's last failed call ("" if none). Never NULL;
 * owned by the library; valid until the next sd_ call on this thread. */
SD_C_EXPORT const char *sd_last_error(void);
/* "OK", "INVALID_ARGUMENT", ...; "UNKNOWN_STATUS" for other values. Static. */
SD_C_EXPORT const char *sd_status_name(int status);

/* ---- buffers --------------------------------------------------------------
 */

/* Library-owned bytes. Declare zero-initialized; free with sd_buffer_free. */
typedef struct sd_buffer {
  uint8_t *data; /* NULL when empty; JSON results are NUL-terminated */
  size_t size;   /* bytes, not counting the terminating NUL */
} sd_buffer;

/* Releases the bytes and resets the buffer to empty. NULL and empty buffers
 * are accepted. */
SD_C_EXPORT void sd_buffer_free(sd_buffer *buffer);

/* ---- record formats --------------------------------------------------------
 */

typedef enum sd_format {
  SD_FORMAT_PROTO = 0, /* serialized protobuf bytes */
  SD_FORMAT_JSON = 1,  /* proto3 JSON mapping (UTF-8) */
  /* Not formats: they give the enum every int value, negative ones too, so
   * that any other value a caller passes is refused with SD_INVALID_ARGUMENT
   * instead of being undefined behaviour in the library's C++. */
  SD_FORMAT_INT_SIZED_ = 0x7FFFFFFF,
  SD_FORMAT_INT_SIZED_MIN_ = -0x7FFFFFFF - 1
} sd_format;

/* ---- manual clocks ----------------------------------------------------------
 */

/* A clock that moves only when told to, so C and Python callers drive time.
 * Thread-safe. A desk opened with a clock shares it: the clock handle may be
 * destroyed before the desk. */
typedef struct sd_clock sd_clock;

/* Creates a clock reading `start_unix_nanos`. */
SD_C_EXPORT sd_status sd_clock_create(sd_clock **out, int64_t start_unix_nanos);
/* Destroys *clock and sets it to NULL. NULL or *clock == NULL: SD_OK. */
SD_C_EXPORT sd_status sd_clock_destroy(sd_clock **clock);
SD_C_EXPORT sd_status sd_clock_set(sd_clock *clock, int64_t unix_nanos);
/* Moves the clock by `nanos` (may be negative). SD_OUT_OF_RANGE, and the
 * clock stays, if it would leave the range of int64 nanoseconds. */
SD_C_EXPORT sd_status sd_clock_advance(sd_clock *clock, int64_t nanos);
SD_C_EXPORT sd_status sd_clock_now(int64_t *out_unix_nanos, sd_clock *clock);

/* ---- desks ----------------------------------------------------------------
 */

typedef struct sd_desk sd_desk;

/* Opens a desk on the store `uri` names: "memory:" (a fresh in-memory store),
 * "sqlite:/path/file.db" or a bare path (SQLite, created if missing).
 * `clock` NULL = the system clock. `format` applies to every record this desk
 * takes and returns. Errors: SD_INVALID_ARGUMENT (empty URI, unknown scheme,
 * unknown format, bad clock handle); SD_UNAVAILABLE / SD_FAILED_PRECONDITION
 * from the store. Close with sd_desk_close. */
SD_C_EXPORT sd_status sd_desk_open(sd_desk **out, const char *uri,
                                   size_t uri_len, sd_clock *clock,
                                   sd_format format);
/* sd_desk_open with options: a servicedesk.v1.DeskOptions message in
 * `format` (length 0 = all defaults), e.g. in JSON
 * {"reopenWindow":"604800s","dialogWaitSamples":50,"sqliteBusyTimeoutMs":200}.
 * An unset field keeps its default (docs/requests.md, docs/storage.md).
 * Errors: those of sd_desk_open, and SD_INVALID_ARGUMENT naming the field for
 * an unreadable message or an out-of-range value (negative reopen_window or
 * sqlite_busy_timeout_ms, dialog_wait_samples outside 1..1000); nothing is
 * opened or created then. */
SD_C_EXPORT sd_status sd_desk_open_with_options(sd_desk **out, const char *uri,
                                                size_t uri_len, sd_clock *clock,
                                                sd_format format,
                                                const void *options,
                                                size_t options_len);
/* Closes *desk (its subscriptions end) and sets it to NULL. NULL or
 * *desk == NULL: SD_OK. It may run while other threads are inside calls on
 * the desk (rule 10): those finish, and the desk is freed when the last ends;
 * calls made after it are SD_INVALID_ARGUMENT ("desk: not a live desk
 * handle"), also through a copy of the handle. */
SD_C_EXPORT sd_status sd_desk_close(sd_desk **desk);
/* The desk's "now" (its clock). */
SD_C_EXPORT sd_status sd_desk_now(int64_t *out_unix_nanos, sd_desk *desk);
/* The desk's record format. */
SD_C_EXPORT sd_status sd_desk_format(sd_format *out, sd_desk *desk);

/* In every desk function below, `actor`/`actor_len` is a servicedesk.v1.Actor
 * in the desk's format, `out` receives the result record in that format, and
 * the who-may-call rules and error codes are those of the C++ method named
 * (include/servicedesk/<area>.h). Common errors: SD_INVALID_ARGUMENT for a bad
 * handle, NULL output, malformed record bytes, or an actor with no principal;
 * SD_PERMISSION_DENIED for an unknown/inactive actor or a refused call. */

/* ---- centers (servicedesk::Centers) -> v1.ServiceCenter -------------------
 */

SD_C_EXPORT sd_status sd_center_create(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const void *center, size_t center_len);
SD_C_EXPORT sd_status sd_center_get(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *id, size_t id_len);
SD_C_EXPORT sd_status sd_center_get_by_code(sd_buffer *out, sd_desk *desk,
                                            const void *actor, size_t actor_len,
                                            const char *code, size_t code_len);
/* center.version must be the stored version, else SD_ABORTED. */
SD_C_EXPORT sd_status sd_center_update(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const void *center, size_t center_len);
SD_C_EXPORT sd_status sd_center_deactivate(sd_buffer *out, sd_desk *desk,
                                           const void *actor, size_t actor_len,
                                           const char *id, size_t id_len);
/* request: v1.CenterListRequest (may be empty). out: v1.CenterList. */
SD_C_EXPORT sd_status sd_center_list(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const void *request, size_t request_len);

/* ---- organizations (servicedesk::Organizations) -> v1.Organization --------
 */

/* Creates the organisation and its first manager assignment. `reason` empty
 * = "initial assignment". */
SD_C_EXPORT sd_status sd_organization_create(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const void *org, size_t org_len, const char *manager_id,
    size_t manager_id_len, const char *reason, size_t reason_len);
SD_C_EXPORT sd_status sd_organization_get(sd_buffer *out, sd_desk *desk,
                                          const void *actor, size_t actor_len,
                                          const char *id, size_t id_len);
SD_C_EXPORT sd_status sd_organization_update(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len, const void *org,
                                             size_t org_len);
/* `reason` empty = "deactivated". */
SD_C_EXPORT sd_status sd_organization_deactivate(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *id, size_t id_len, const char *reason, size_t reason_len);
/* request: v1.OrganizationListRequest. out: v1.OrganizationList. */
SD_C_EXPORT sd_status sd_organization_list(sd_buffer *out, sd_desk *desk,
                                           const void *actor, size_t actor_len,
                                           const void *request,
                                           size_t request_len);

/* ---- contacts (servicedesk::Contacts) -> v1.Contact ------------------------
 */

SD_C_EXPORT sd_status sd_contact_create(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const void *contact,
                                        size_t contact_len);
SD_C_EXPORT sd_status sd_contact_get(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const char *id, size_t id_len);
SD_C_EXPORT sd_status sd_contact_update(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const void *contact,
                                        size_t contact_len);
SD_C_EXPORT sd_status sd_contact_deactivate(sd_buffer *out, sd_desk *desk,
                                            const void *actor, size_t actor_len,
                                            const char *id, size_t id_len);
/* request: v1.ContactListRequest (organization_id required). out:
 * v1.ContactList. */
SD_C_EXPORT sd_status sd_contact_list(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const void *request, size_t request_len);

/* ---- staff (servicedesk::Staff) -> v1.StaffMember -------------------------
 */

SD_C_EXPORT sd_status sd_staff_create(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const void *member, size_t member_len);
SD_C_EXPORT sd_status sd_staff_get(sd_buffer *out, sd_desk *desk,
                                   const void *actor, size_t actor_len,
                                   const char *id, size_t id_len);
/* SD_FAILED_PRECONDITION naming roles when it drops PERSONAL_MANAGER from a
 * current personal manager or ENGINEER from the engineer of SCHEDULED visits
 * whose slot has not ended, naming qualifications when that engineer would
 * no longer hold a visit's qualification until its slot ends (naming the
 * first few visits). */
SD_C_EXPORT sd_status sd_staff_update(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const void *member, size_t member_len);
/* SD_FAILED_PRECONDITION while the member manages an active organisation,
 * holds open requests, or is the engineer of SCHEDULED visits whose slot has
 * not ended (naming the first few). */
SD_C_EXPORT sd_status sd_staff_deactivate(sd_buffer *out, sd_desk *desk,
                                          const void *actor, size_t actor_len,
                                          const char *id, size_t id_len);
/* request: v1.StaffListRequest. out: v1.StaffList. */
SD_C_EXPORT sd_status sd_staff_list(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const void *request, size_t request_len);

/* ---- personal managers (servicedesk::Managers) -----------------------------
 */

/* out: the new v1.ManagerAssignment. */
SD_C_EXPORT sd_status sd_manager_reassign(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *organization_id, size_t organization_id_len,
    const char *manager_id, size_t manager_id_len, const char *reason,
    size_t reason_len);
/* out: the open v1.ManagerAssignment. */
SD_C_EXPORT sd_status sd_manager_current(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *organization_id,
                                         size_t organization_id_len);
/* out: the v1.ManagerAssignment in force at `at_unix_nanos`; SD_NOT_FOUND if
 * none. */
SD_C_EXPORT sd_status sd_manager_at(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *organization_id,
                                    size_t organization_id_len,
                                    int64_t at_unix_nanos);
/* out: v1.ManagerAssignmentList, oldest first. */
SD_C_EXPORT sd_status sd_manager_history(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *organization_id,
                                         size_t organization_id_len);
/* page: v1.PageRequest (may be empty). out: v1.OrganizationList of the active
 * organisations whose current manager is `manager_id`. */
SD_C_EXPORT sd_status sd_manager_clients(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *manager_id,
                                         size_t manager_id_len,
                                         const void *page, size_t page_len);

/* ---- events (servicedesk::Events) ------------------------------------------
 */

/* out: v1.EventList of the events with seq > after_seq visible to the actor,
 * at most `limit` and never more than 1000 per call (0 = 1000): read on with
 * after_seq = the last seq returned. */
SD_C_EXPORT sd_status sd_event_list(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    int64_t after_seq, size_t limit);

/* Receives one committed v1.Event (in the desk's format). `event` is valid
 * only during the call. Called on the committing thread, after commit; it may
 * call any desk function, sd_event_subscribe/unsubscribe included (a
 * subscription made there gets the events of later commits). Each subscriber
 * sees one thread's commits in seq order: a commit made from a callback is
 * delivered after the rest of the commit being delivered; across threads,
 * sort by seq or poll sd_event_list. */
typedef void (*sd_event_callback)(const void *event, size_t event_len,
                                  void *payload);

/* Registers `callback` for the events of commits made through this desk.
 * `out_subscription` receives the id for sd_event_unsubscribe. */
SD_C_EXPORT sd_status sd_event_subscribe(int64_t *out_subscription,
                                         sd_desk *desk,
                                         sd_event_callback callback,
                                         void *payload);
/* Ends a subscription; unknown ids are ignored. When it returns, the callback
 * runs on no other thread and is never called again, so `payload` may be
 * freed. From inside the callback itself, the callback gets no further event
 * (not even the rest of the commit being delivered), and it waits only for
 * runs of the callback on other threads that are not themselves
 * unsubscribing from inside: a one-shot callback running on two threads at
 * once may unsubscribe on both. A run on another thread must not wait for
 * the thread that unsubscribes. */
SD_C_EXPORT sd_status sd_event_unsubscribe(sd_desk *desk, int64_t subscription);

/* ---- business calendars, standalone ----------------------------------------
 */

/* A compiled business calendar (servicedesk::BusinessCalendar): business-time
 * arithmetic without a desk. Immutable and thread-safe. Semantics: DESIGN.md
 * "SLA semantics" and include/servicedesk/calendar.h. */
typedef struct sd_calendar sd_calendar;

/* From a v1.BusinessCalendar spec. SD_INVALID_ARGUMENT naming the field for an
 * invalid spec (unknown zone, overlapping intervals, ...). */
SD_C_EXPORT sd_status sd_calendar_create(sd_calendar **out, const void *spec,
                                         size_t spec_len, sd_format format);
/* From the calendar text format (docs/sla.md). SD_INVALID_ARGUMENT with the
 * line number on malformed text. */
SD_C_EXPORT sd_status sd_calendar_create_from_text(sd_calendar **out,
                                                   const char *text,
                                                   size_t text_len);
/* Russia's production calendar in `time_zone` over the weekly hours of
 * `weekly`: a v1.BusinessCalendar whose `weekly` field is used (other fields
 * ignored); NULL/0 = Monday-Friday 09:00-18:00. */
SD_C_EXPORT sd_status sd_calendar_create_russia(
    sd_calendar **out, const char *time_zone, size_t time_zone_len,
    const void *weekly, size_t weekly_len, sd_format format);
/* The 24/7 calendar. */
SD_C_EXPORT sd_status sd_calendar_create_always_open(sd_calendar **out);
/* Destroys *calendar and sets it to NULL. NULL or *calendar == NULL: SD_OK. */
SD_C_EXPORT sd_status sd_calendar_destroy(sd_calendar **calendar);

/* The earliest instant t >= start with `duration_nanos` of business time in
 * [start, t]. SD_INVALID_ARGUMENT for a negative duration. */
SD_C_EXPORT sd_status sd_calendar_add(int64_t *out_unix_nanos,
                                      sd_calendar *calendar,
                                      int64_t start_unix_nanos,
                                      int64_t duration_nanos);
/* Business time in [a, b], negative if b < a. */
SD_C_EXPORT sd_status sd_calendar_between(int64_t *out_nanos,
                                          sd_calendar *calendar,
                                          int64_t a_unix_nanos,
                                          int64_t b_unix_nanos);
/* *out = 1 if t is inside an open interval (closing instant excluded). */
SD_C_EXPORT sd_status sd_calendar_is_open(int *out, sd_calendar *calendar,
                                          int64_t t_unix_nanos);
/* The first open instant >= t. */
SD_C_EXPORT sd_status sd_calendar_next_opening(int64_t *out_unix_nanos,
                                               sd_calendar *calendar,
                                               int64_t t_unix_nanos);
/* out: the calendar's v1.BusinessCalendar spec. */
SD_C_EXPORT sd_status sd_calendar_spec(sd_buffer *out, sd_calendar *calendar,
                                       sd_format format);

/* Text format -> v1.BusinessCalendar, and back (out: UTF-8 text). */
SD_C_EXPORT sd_status sd_calendar_text_parse(sd_buffer *out, const char *text,
                                             size_t text_len, sd_format format);
SD_C_EXPORT sd_status sd_calendar_text_format(sd_buffer *out, const void *spec,
                                              size_t spec_len,
                                              sd_format format);
/* out: the v1.BusinessCalendar spec sd_calendar_create_russia compiles. */
SD_C_EXPORT sd_status sd_calendar_russia_spec(
    sd_buffer *out, const char *time_zone, size_t time_zone_len,
    const void *weekly, size_t weekly_len, sd_format format);
/* The years the shipped production calendar covers completely (their decree
 * included; docs/sla.md), ascending: writes at most
 * `capacity` of them to `years` (may be NULL if capacity is 0) and the total
 * count to *out_count. */
SD_C_EXPORT sd_status sd_calendar_russia_years(size_t *out_count,
                                               int32_t *years, size_t capacity);

/* ---- stored calendars (servicedesk::Calendars) -> v1.BusinessCalendar -----
 */

SD_C_EXPORT sd_status sd_stored_calendar_create(sd_buffer *out, sd_desk *desk,
                                                const void *actor,
                                                size_t actor_len,
                                                const void *spec,
                                                size_t spec_len);
SD_C_EXPORT sd_status sd_stored_calendar_get(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len, const char *id,
                                             size_t id_len);
SD_C_EXPORT sd_status sd_stored_calendar_update(sd_buffer *out, sd_desk *desk,
                                                const void *actor,
                                                size_t actor_len,
                                                const void *spec,
                                                size_t spec_len);
/* page: v1.PageRequest (may be empty). out: v1.CalendarList. */
SD_C_EXPORT sd_status sd_stored_calendar_list(sd_buffer *out, sd_desk *desk,
                                              const void *actor,
                                              size_t actor_len,
                                              const void *page,
                                              size_t page_len);
/* The compiled stored calendar, as a standalone handle (destroy it with
 * sd_calendar_destroy; it does not depend on the desk). */
SD_C_EXPORT sd_status sd_stored_calendar_load(sd_calendar **out, sd_desk *desk,
                                              const void *actor,
                                              size_t actor_len, const char *id,
                                              size_t id_len);

/* ---- SLA (servicedesk::Sla) ------------------------------------------------
 */

/* out: v1.ServiceCatalog, the Quality Standard's catalog with defaults. */
SD_C_EXPORT sd_status sd_sla_catalog(sd_buffer *out, sd_format format);
/* out: v1.SlaPolicy (empty, version 0, until one is set). */
SD_C_EXPORT sd_status sd_sla_get_policy(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len);
/* policy: v1.SlaPolicy. SD_ABORTED if its version is stale. */
SD_C_EXPORT sd_status sd_sla_set_policy(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const void *policy, size_t policy_len);
/* subject: v1.SlaSubject. out: v1.ResolvedTargets. */
SD_C_EXPORT sd_status sd_sla_resolve_targets(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len,
                                             const void *subject,
                                             size_t subject_len);
/* Starts the subject's clocks at `start_unix_nanos`. out: v1.ClockList. */
SD_C_EXPORT sd_status sd_sla_start_clocks(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *subject_id, size_t subject_id_len, const void *subject,
    size_t subject_len, int64_t start_unix_nanos);
/* out: v1.ClockList of the paused clocks. */
SD_C_EXPORT sd_status sd_sla_pause(sd_buffer *out, sd_desk *desk,
                                   const void *actor, size_t actor_len,
                                   const char *subject_id,
                                   size_t subject_id_len,
                                   int64_t at_unix_nanos);
/* out: v1.ClockList of the resumed clocks. */
SD_C_EXPORT sd_status sd_sla_resume(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *subject_id,
                                    size_t subject_id_len,
                                    int64_t at_unix_nanos);
/* kind: a v1.ClockKind value. out: the stopped v1.TargetClock. */
SD_C_EXPORT sd_status sd_sla_stop(sd_buffer *out, sd_desk *desk,
                                  const void *actor, size_t actor_len,
                                  const char *subject_id, size_t subject_id_len,
                                  int kind, int64_t at_unix_nanos);
/* subject: the changed v1.SlaSubject. out: v1.ClockList. */
SD_C_EXPORT sd_status sd_sla_recompute(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const char *subject_id,
                                       size_t subject_id_len,
                                       const void *subject, size_t subject_len);
/* out: v1.ClockList, every clock of the subject, oldest first. */
SD_C_EXPORT sd_status sd_sla_clocks(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *subject_id,
                                    size_t subject_id_len);
/* Raises warnings, breaches and escalations due at `now_unix_nanos`, at most
 * `max_clocks` clocks (0 = no limit). out: v1.TickResult. */
SD_C_EXPORT sd_status sd_sla_tick(sd_buffer *out, sd_desk *desk,
                                  const void *actor, size_t actor_len,
                                  int64_t now_unix_nanos, size_t max_clocks);

/* ---- service requests (servicedesk::Requests) -> v1.ServiceRequest ---------
 *
 * The lifecycle and its rules are those of include/servicedesk/requests.h:
 * NEW -> ASSIGNED -> IN_PROGRESS <-> WAITING_ON_CLIENT -> RESOLVED -> CLOSED,
 * reopening within the window, cancelling any open request. Every function
 * that changes a request takes the `version` the caller last read (an int64,
 * the record's `version` field): a stale one is SD_ABORTED naming the stored
 * version (nothing is written: re-read with sd_request_get and retry); a move
 * the lifecycle does not allow is SD_FAILED_PRECONDITION naming "state" (e.g.
 * "state: cannot go from RESOLVED to WAITING_ON_CLIENT"). `out` receives the
 * updated v1.ServiceRequest. Text arguments (reason, text, resolution,
 * comment) are UTF-8 pointer + length; their limits are the C++ method's
 * (INVALID_ARGUMENT naming the argument). Requests of kind ONLINE_DIALOG
 * belong to their dialog: start, wait, resume, respond, resolve, reopen,
 * cancel, assign and change_kind refuse them (SD_FAILED_PRECONDITION naming
 * "dialog_id"); outcome, close, change_priority and rate accept them. Who
 * may call:
 *   get/list - administrators, staff of the request's center, contacts of
 *     the request's organisation (a contact of another organisation gets
 *     the SD_NOT_FOUND an unknown id gets: contacts are not told which ids
 *     exist);
 *   start, wait_on_client, respond, record_outcome, resolve,
 *     change_priority, change_kind - administrators and staff of the center;
 *   assign - administrators, the center head and the current assignee;
 *     queue, assign_queued - administrators and staff of the center;
 *   resume, close, cancel, reopen - as above plus the request's contact;
 *   rate - only the request's contact.
 * Thread-safe; concurrent updates of one request are caught by versions. */

/* Registers a request. draft: a v1.ServiceRequest with organization_id,
 * kind, channel, subject and optionally contact_id, priority, description,
 * installation_id (required for the TECH_* kinds). Starts its SLA clocks and
 * assigns it to the least-loaded qualified staff member of the center (or
 * queues it). Who: administrators, staff of the organisation's center,
 * contacts of the organisation (for themselves). Errors: SD_INVALID_ARGUMENT
 * naming the field (kind/channel ONLINE_DIALOG: use sd_dialog_open);
 * SD_NOT_FOUND; SD_FAILED_PRECONDITION (inactive organisation/contact, center
 * without a business calendar). */
SD_C_EXPORT sd_status sd_request_open(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const void *draft, size_t draft_len);
/* SD_NOT_FOUND for an unknown id. */
SD_C_EXPORT sd_status sd_request_get(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const char *id, size_t id_len);
/* request: v1.RequestListRequest (filters + page; may be empty). out:
 * v1.RequestList, one page (follow next_page_token). Contacts see only their
 * organisation (SD_PERMISSION_DENIED when organization_id names another),
 * staff only their center (SD_PERMISSION_DENIED when center_id names
 * another; another center's organisation simply matches nothing). */
SD_C_EXPORT sd_status sd_request_list(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const void *request, size_t request_len);
/* The center's queue (NEW, unassigned, oldest first). page: v1.PageRequest
 * (may be empty). out: v1.RequestList. */
SD_C_EXPORT sd_status sd_request_queue(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const char *center_id,
                                       size_t center_id_len, const void *page,
                                       size_t page_len);
/* Assigns the center's queued requests to eligible staff (at most 1000 per
 * call). out: v1.RequestList of the requests assigned (no next page). */
SD_C_EXPORT sd_status sd_request_assign_queued(sd_buffer *out, sd_desk *desk,
                                               const void *actor,
                                               size_t actor_len,
                                               const char *center_id,
                                               size_t center_id_len);
/* Manually (re)assigns an open request to `staff_id` with `reason`
 * (1..500). SD_FAILED_PRECONDITION naming "staff_id" for staff of another
 * center, inactive, or without the kind's role or unexpired qualification. */
SD_C_EXPORT sd_status sd_request_assign(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const char *id, size_t id_len,
                                        int64_t version, const char *staff_id,
                                        size_t staff_id_len, const char *reason,
                                        size_t reason_len);
/* ASSIGNED -> IN_PROGRESS. */
SD_C_EXPORT sd_status sd_request_start(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const char *id, size_t id_len,
                                       int64_t version);
/* IN_PROGRESS -> WAITING_ON_CLIENT (pauses the SLA clocks). reason:
 * 1..2000 characters, what the client is asked for. */
SD_C_EXPORT sd_status sd_request_wait_on_client(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *id, size_t id_len, int64_t version, const char *reason,
    size_t reason_len);
/* WAITING_ON_CLIENT -> IN_PROGRESS (resumes the clocks). text: the client's
 * answer, 0..5000 characters (NULL/0 = none). */
SD_C_EXPORT sd_status sd_request_resume(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const char *id, size_t id_len,
                                        int64_t version, const char *text,
                                        size_t text_len);
/* A staff response (1..5000 characters); the first stops FIRST_RESPONSE; an
 * ASSIGNED request moves to IN_PROGRESS. SD_FAILED_PRECONDITION for NEW and
 * finished requests. */
SD_C_EXPORT sd_status sd_request_respond(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *id, size_t id_len,
                                         int64_t version, const char *text,
                                         size_t text_len);
/* A hotline outcome. outcome: v1.RequestOutcome (answer, document_selection
 * or enrollment; recorded_at/recorded_by are filled in). Counts as a
 * response. */
SD_C_EXPORT sd_status sd_request_record_outcome(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *id, size_t id_len, int64_t version, const void *outcome,
    size_t outcome_len);
/* IN_PROGRESS or WAITING_ON_CLIENT -> RESOLVED with a resolution note
 * (1..5000); stops the open clocks. SD_FAILED_PRECONDITION naming "visits"
 * while a technical request has SCHEDULED visits (complete or cancel them
 * first: sd_visit_complete, sd_visit_cancel). */
SD_C_EXPORT sd_status sd_request_resolve(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *id, size_t id_len,
                                         int64_t version,
                                         const char *resolution,
                                         size_t resolution_len);
/* RESOLVED -> CLOSED. */
SD_C_EXPORT sd_status sd_request_close(sd_buffer *out, sd_desk *desk,
                                       const void *actor, size_t actor_len,
                                       const char *id, size_t id_len,
                                       int64_t version);
/* RESOLVED or CLOSED -> IN_PROGRESS within the reopen window (else
 * SD_FAILED_PRECONDITION naming "reopen_window"); reason 1..2000. */
SD_C_EXPORT sd_status sd_request_reopen(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const char *id, size_t id_len,
                                        int64_t version, const char *reason,
                                        size_t reason_len);
/* Any open state -> CANCELLED; reason 1..2000 (required). */
SD_C_EXPORT sd_status sd_request_cancel(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const char *id, size_t id_len,
                                        int64_t version, const char *reason,
                                        size_t reason_len);
/* The contact's satisfaction with a RESOLVED or CLOSED request: score 1..5,
 * comment 0..2000. A second rating is SD_ALREADY_EXISTS. */
SD_C_EXPORT sd_status sd_request_rate(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const char *id, size_t id_len,
                                      int64_t version, int score,
                                      const char *comment, size_t comment_len);
/* priority: a v1.Priority value (SD_INVALID_ARGUMENT for a number the enum
 * does not define). Recomputes the open clocks' targets. */
SD_C_EXPORT sd_status sd_request_change_priority(sd_buffer *out, sd_desk *desk,
                                                 const void *actor,
                                                 size_t actor_len,
                                                 const char *id, size_t id_len,
                                                 int64_t version, int priority);
/* kind: a v1.ServiceKind value (not ONLINE_DIALOG). Recomputes the open
 * clocks' targets. Keeps the assignee while it may take the new kind, else
 * moves the request to the least-loaded eligible staff member (a queued
 * request is assigned once someone is eligible); SD_FAILED_PRECONDITION
 * naming "kind" when nobody at the center may take it. */
SD_C_EXPORT sd_status sd_request_change_kind(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len, const char *id,
                                             size_t id_len, int64_t version,
                                             int kind);

/* ---- online dialogs (servicedesk::Dialogs) -> v1.Dialog --------------------
 *
 * A dialog is the transcript of one ONLINE_DIALOG request (see
 * include/servicedesk/dialogs.h): WAITING in its center's queue -> ACTIVE when
 * a hotline specialist takes it -> CLOSED. Dialog calls take no version
 * (messages and takes are never lost; conflicting commits are retried, then
 * SD_ABORTED). A call on a closed dialog, or a take/position of a dialog
 * that is not waiting, is SD_FAILED_PRECONDITION naming "state". Who:
 *   open - client contacts only (for their own organisation);
 *   get/list/position - administrators, staff of the center, contacts of the
 *     organisation;
 *   take/take_specific - active hotline specialists of the center holding an
 *     unexpired "hotline" qualification (SD_FAILED_PRECONDITION without it);
 *   post - the dialog's contact and its current specialist;
 *   handover - administrators, the center head, the current specialist;
 *   close - the contact, the specialist, the center head, administrators.
 * Thread-safe. */

/* Opens a dialog for the calling contact: topic 1..300 characters, first
 * message 1..5000. Creates its request and queues the dialog. */
SD_C_EXPORT sd_status sd_dialog_open(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const char *topic, size_t topic_len,
                                     const char *first_message,
                                     size_t first_message_len);
SD_C_EXPORT sd_status sd_dialog_get(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *id, size_t id_len);
/* request: v1.DialogListRequest (may be empty). out: v1.DialogList. */
SD_C_EXPORT sd_status sd_dialog_list(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const void *request, size_t request_len);
/* The calling specialist takes the oldest waiting dialog of their center.
 * SD_NOT_FOUND naming "queue" when none waits. */
SD_C_EXPORT sd_status sd_dialog_take(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len);
/* Takes the given waiting dialog (out of order). */
SD_C_EXPORT sd_status sd_dialog_take_specific(sd_buffer *out, sd_desk *desk,
                                              const void *actor,
                                              size_t actor_len, const char *id,
                                              size_t id_len);
/* Appends a message (1..5000 characters) from the actor (the contact, or the
 * specialist while active). */
SD_C_EXPORT sd_status sd_dialog_post(sd_buffer *out, sd_desk *desk,
                                     const void *actor, size_t actor_len,
                                     const char *id, size_t id_len,
                                     const char *text, size_t text_len);
/* Hands an active dialog over to `to_staff_id` (an active hotline specialist
 * of the same center) with `reason` (1..500). */
SD_C_EXPORT sd_status sd_dialog_handover(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *id, size_t id_len,
                                         const char *to_staff_id,
                                         size_t to_staff_id_len,
                                         const char *reason, size_t reason_len);
/* Closes the dialog (resolving its request if it was active, cancelling it
 * if nobody took it). */
SD_C_EXPORT sd_status sd_dialog_close(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const char *id, size_t id_len);
/* out: v1.QueuePosition of a waiting dialog (1 = next) and the expected
 * wait (an estimate). */
SD_C_EXPORT sd_status sd_dialog_position(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *id, size_t id_len);
/* Marks hotline specialist `staff_id` available for online dialogs
 * (available != 0) or away (0). Away specialists cannot take dialogs
 * (SD_FAILED_PRECONDITION naming "actor") nor be handed one (naming
 * "to_staff_id"). Who: the specialist, the center head, administrators.
 * out: v1.DialogPresence. */
SD_C_EXPORT sd_status sd_dialog_set_available(
    sd_buffer *out, sd_desk *desk, const void *actor, size_t actor_len,
    const char *staff_id, size_t staff_id_len, int available);
/* out: v1.DialogPresence of hotline specialist `staff_id` (version 0 and
 * available when never set). Who: administrators and staff of the center. */
SD_C_EXPORT sd_status sd_dialog_presence(sd_buffer *out, sd_desk *desk,
                                         const void *actor, size_t actor_len,
                                         const char *staff_id,
                                         size_t staff_id_len);

/* ---- technical support (servicedesk::TechSupport) ---------------------------
 *
 * Installations of the system (v1.Installation) and on-site visits of
 * engineers (v1.Visit) for TECH_* requests (see
 * include/servicedesk/techsupport.h). Who: create/update installations and
 * schedule/complete/cancel visits - administrators and staff of the center;
 * get/list - administrators, staff of the center, contacts of the
 * organisation.
 * SD_ABORTED when a given version is stale. Thread-safe. */

/* installation: v1.Installation (organization_id, product_version 1..50,
 * workstations >= 1, network, installed_sets, address). Text fields are
 * stored without surrounding whitespace (a value of spaces alone is empty).
 * out: the stored v1.Installation, active. */
SD_C_EXPORT sd_status sd_installation_create(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len,
                                             const void *installation,
                                             size_t installation_len);
/* installation.version must be the stored version (else SD_ABORTED);
 * organization_id cannot change. */
SD_C_EXPORT sd_status sd_installation_update(sd_buffer *out, sd_desk *desk,
                                             const void *actor,
                                             size_t actor_len,
                                             const void *installation,
                                             size_t installation_len);
SD_C_EXPORT sd_status sd_installation_get(sd_buffer *out, sd_desk *desk,
                                          const void *actor, size_t actor_len,
                                          const char *id, size_t id_len);
/* The organisation's installations in creation order. page: v1.PageRequest
 * (may be empty). out: v1.InstallationList. */
SD_C_EXPORT sd_status sd_installation_list(sd_buffer *out, sd_desk *desk,
                                           const void *actor, size_t actor_len,
                                           const char *organization_id,
                                           size_t organization_id_len,
                                           const void *page, size_t page_len);
/* Books an engineer for an open technical request. visit: v1.Visit with
 * request_id, engineer_id, slot_start, slot_end (both required: a missing
 * one is SD_INVALID_ARGUMENT naming it; half-open, end after start, at most
 * 24 hours long, else SD_INVALID_ARGUMENT naming "slot_end"), notes; a
 * slot_start before the request's registration or more than 730 days after
 * now is SD_INVALID_ARGUMENT naming "slot_start".
 * A slot overlapping another SCHEDULED visit of the engineer
 * is SD_FAILED_PRECONDITION naming that visit; an engineer of another center,
 * inactive or without the ENGINEER role is SD_FAILED_PRECONDITION naming
 * "engineer_id". out: the stored v1.Visit (SCHEDULED). */
SD_C_EXPORT sd_status sd_visit_schedule(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const void *visit, size_t visit_len);
/* SCHEDULED -> DONE with notes (0..2000); not before slot_start
 * (SD_FAILED_PRECONDITION naming "slot_start"). */
SD_C_EXPORT sd_status sd_visit_complete(sd_buffer *out, sd_desk *desk,
                                        const void *actor, size_t actor_len,
                                        const char *id, size_t id_len,
                                        int64_t version, const char *notes,
                                        size_t notes_len);
/* SCHEDULED -> CANCELLED with a reason (1..2000); frees the slot. */
SD_C_EXPORT sd_status sd_visit_cancel(sd_buffer *out, sd_desk *desk,
                                      const void *actor, size_t actor_len,
                                      const char *id, size_t id_len,
                                      int64_t version, const char *reason,
                                      size_t reason_len);
SD_C_EXPORT sd_status sd_visit_get(sd_buffer *out, sd_desk *desk,
                                   const void *actor, size_t actor_len,
                                   const char *id, size_t id_len);
/* The visits of a request in slot order. page: v1.PageRequest (may be
 * empty). out: v1.VisitList. */
SD_C_EXPORT sd_status sd_visit_list(sd_buffer *out, sd_desk *desk,
                                    const void *actor, size_t actor_len,
                                    const char *request_id,
                                    size_t request_id_len, const void *page,
                                    size_t page_len);

/* ---- compliance reports (servicedesk::Reports) ------------------------------
 *
 * The Quality Standard audit (include/servicedesk/reports.h;
 * docs/requests.md, "Compliance reports"). query: v1.ComplianceQuery - from
 * (inclusive) and to (exclusive) as Timestamps (in JSON: RFC 3339 strings),
 * center_id ("" = every center the actor sees), the by_center/by_kind/
 * by_channel/by_staff grouping flags and by_period ("REPORT_PERIOD_DAY",
 * "_WEEK", "_MONTH") with time_zone (IANA; "" = UTC). Who: administrators
 * (every center), staff (their own center only); contacts are refused
 * (SD_PERMISSION_DENIED). SD_INVALID_ARGUMENT for from >= to, missing
 * times, a center_id with NUL, an unknown time_zone or by_period, or more
 * than 10,000 periods; SD_NOT_FOUND for a center_id naming no
 * center. Read-only; thread-safe. */

/* out: the v1.ComplianceReport (rows sorted by period, then their group
 * fields, and the
 * backlog taken at backlog_at = min(to, now)). A figure without a sample
 * (compliance_pct, the p50/p90 durations, satisfaction_avg) is absent from
 * the row, not 0: in JSON the key is left out. */
SD_C_EXPORT sd_status sd_report_compliance(sd_buffer *out, sd_desk *desk,
                                           const void *actor, size_t actor_len,
                                           const void *query, size_t query_len);
/* The same report's rows as CSV text: one table (RFC 4180, header line
 * first, each line starting with its period_start,period_end; durations in
 * seconds, with a fraction to the microsecond when not whole; times RFC 3339
 * UTC; an absent figure an empty field). out: UTF-8
 * text (NUL-terminated), whatever the desk's format. The backlog is a table
 * of its own: sd_report_backlog_csv. Who and errors: as
 * sd_report_compliance. */
SD_C_EXPORT sd_status sd_report_compliance_csv(sd_buffer *out, sd_desk *desk,
                                               const void *actor,
                                               size_t actor_len,
                                               const void *query,
                                               size_t query_len);
/* The same report's backlog as CSV text: one table, header
 * period_start,period_end,backlog_at,center_id,kind,channel,staff_id,
 * age_bucket,count (times RFC 3339 UTC). Who and errors: as
 * sd_report_compliance. */
SD_C_EXPORT sd_status sd_report_backlog_csv(sd_buffer *out, sd_desk *desk,
                                            const void *actor, size_t actor_len,
                                            const void *query,
                                            size_t query_len);
/* A v1.ComplianceReport (in `format`) as CSV text, without a desk: its
 * rows (sd_report_to_csv) or its backlog (sd_report_backlog_to_csv, header
 * period_start,period_end,backlog_at,center_id,kind,channel,staff_id,
 * age_bucket,count).
 * SD_INVALID_ARGUMENT naming "report" when it does not parse. Thread-safe. */
SD_C_EXPORT sd_status sd_report_to_csv(sd_buffer *out, const void *report,
                                       size_t report_len, sd_format format);
SD_C_EXPORT sd_status sd_report_backlog_to_csv(sd_buffer *out,
                                               const void *report,
                                               size_t report_len,
                                               sd_format format);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SERVICEDESK_C_H_ */
