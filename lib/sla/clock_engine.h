// The SLA engine inside a transaction: target resolution, clock transitions
// and threshold detection. The public Sla class wraps each in its own
// transaction; other areas (service requests, orders, dialogs) call these
// within theirs, so a request transition and its clock transition commit
// together.
#ifndef SERVICEDESK_LIB_SLA_CLOCK_ENGINE_H_
#define SERVICEDESK_LIB_SLA_CLOCK_ENGINE_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/core/desk_context.h"
#include "servicedesk/sla.h"

namespace servicedesk::internal {

inline constexpr char kPolicyKey[] = "network";

absl::StatusOr<v1::SlaPolicy> LoadPolicy(Transaction& tx);
absl::Status ValidatePolicy(Transaction& tx, const v1::SlaPolicy& policy);
absl::StatusOr<ResolvedTargets> ResolveTargetsTx(Transaction& tx,
                                                 const v1::SlaSubject& subject);

// Clock transitions. Each validates, saves the clocks, and emits one audit
// event per clock changed. The clocks returned live in `s`'s arena (until
// the call ends): public wrappers copy them out.
absl::StatusOr<std::vector<v1::TargetClock*>> StartClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id,
    const v1::SlaSubject& subject, absl::Time start);
absl::StatusOr<std::vector<v1::TargetClock*>> PauseClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at);
absl::StatusOr<std::vector<v1::TargetClock*>> ResumeClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at);
absl::StatusOr<v1::TargetClock*> StopClockTx(DeskContext& ctx, TxScope& s,
                                             absl::string_view subject_id,
                                             v1::ClockKind kind, absl::Time at);
// StopClockTx, but null (nothing changed) when the subject has no clocks or
// no open clock of `kind`.
absl::StatusOr<v1::TargetClock*> StopClockIfOpenTx(DeskContext& ctx, TxScope& s,
                                                   absl::string_view subject_id,
                                                   v1::ClockKind kind,
                                                   absl::Time at);
// StopClockIfOpenTx for each of `kinds` in turn, from one load of the
// subject's clocks (a stopped PERIODIC_UPDATE clock starts the next one).
absl::Status StopClocksIfOpenTx(DeskContext& ctx, TxScope& s,
                                absl::string_view subject_id,
                                std::initializer_list<v1::ClockKind> kinds,
                                absl::Time at);
absl::StatusOr<std::vector<v1::TargetClock*>> RecomputeClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id,
    const v1::SlaSubject& subject);
// Starts one fresh clock of `kind` for a subject that already has clocks but
// no open clock of that kind (e.g. the resolution clock of a reopened
// request), with targets resolved for `subject` now; a RESOLUTION clock
// brings a PERIODIC_UPDATE clock back too when the targets have one and none
// is open. NOT_FOUND if the subject
// has no clocks; FAILED_PRECONDITION if a clock of `kind` is open or the
// targets have none of that kind.
absl::StatusOr<v1::TargetClock*> RestartClockTx(DeskContext& ctx, TxScope& s,
                                                absl::string_view subject_id,
                                                const v1::SlaSubject& subject,
                                                v1::ClockKind kind,
                                                absl::Time start);
// Cancels every clock of the subject (the subject was cancelled): open ones
// stop at `at` unjudged, stopped ones keep what was measured; cancelled
// clocks are neither met nor breached and carry no report facts. Returns the
// clocks cancelled now (possibly none).
absl::StatusOr<std::vector<v1::TargetClock*>> CancelClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at);

// The store index entries of a clock: by subject, by next threshold (Tick),
// and the report facts (lib/core/report_facts.h).
std::vector<IndexEntry> ClockIndexes(const v1::TargetClock& c,
                                     const BusinessCalendar& cal);

// The compiled calendar `calendar_id` ("" = always open), from the desk's
// cache while the stored version is unchanged (NOT_FOUND naming
// "calendar_id" if there is none).
absl::StatusOr<std::shared_ptr<const BusinessCalendar>> CalendarFor(
    DeskContext& ctx, Transaction& tx, absl::string_view calendar_id);

// ClockIndexes with the clock's own calendar, loaded from `tx`.
absl::StatusOr<std::vector<IndexEntry>> ClockIndexesTx(
    DeskContext& ctx, Transaction& tx, const v1::TargetClock& c);

// Every clock of the subject, oldest first, in `s`'s arena (NOT_FOUND if
// none).
absl::StatusOr<std::vector<v1::TargetClock*>> LoadClocksTx(
    TxScope& s, absl::string_view subject_id);

// Raises what is due at `now` for up to `limit` candidate clocks after
// `*cursor` in the threshold index; advances the cursor. Returns the number
// of candidates examined.
absl::StatusOr<size_t> TickBatchTx(DeskContext& ctx, TxScope& s, absl::Time now,
                                   size_t limit, ScanRange* cursor,
                                   TickResult* result);

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_SLA_CLOCK_ENGINE_H_
