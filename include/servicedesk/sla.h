// The Quality Standard, executable: stored business calendars, the service
// catalog, the SLA policy and the target clocks with their Tick.
//
// Semantics (exact; DESIGN.md "SLA semantics"):
//  * A clock's due time is Add(start, target + paused business time) on its
//    calendar. Met or breached is decided in business time: a clock is met if
//    Between(start, stop) minus paused business time is at most the target.
//  * A warning is raised when the business time run exceeds the warning share
//    of the target, a breach when it exceeds the target; escalation step k when
//    it exceeds escalation_shares[k-1] × target. Because these are business
//    times, nothing is raised while the calendar is closed. Tick raises each
//    exactly once, also across restarts and with several desks on one store.
//  * Changing the subject (priority, kind, ...) recomputes running and paused
//    clocks from their original start, keeping the pause already accrued.
//
// Example:
//   auto& sla = desk->sla();
//   v1::SlaSubject subject;           // kind, channel, priority, tier, center
//   auto clocks = sla.StartClocks(actor, "crm-1042", subject, registered_at);
//   sla.Pause(actor, "crm-1042", t1);    // waiting on the client
//   sla.Resume(actor, "crm-1042", t2);
//   sla.Stop(actor, "crm-1042", v1::CLOCK_KIND_FIRST_RESPONSE, t3);
//   auto fired = sla.Tick(SystemActor("scheduler"), now);
//
// Thread-safety: all classes here are safe for concurrent use.
#ifndef SERVICEDESK_SLA_H_
#define SERVICEDESK_SLA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "servicedesk/calendar.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/calendar.pb.h"
#include "servicedesk/proto/sla.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

// Stored business calendars (referenced by centers and SLA targets).
//
// Who may call: Create/Update — network administrators. Get/List/Load/Add/
// Between — any actor (calendars are not confidential).
class SD_EXPORT Calendars {
 public:
  explicit Calendars(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Validates (BusinessCalendar::Create rules; name 1..200) and stores a
  // calendar. If spec.id() is set it is used as the id ([a-z0-9-]), else one
  // is generated. INVALID_ARGUMENT naming the field; ALREADY_EXISTS for a
  // taken id.
  absl::StatusOr<v1::BusinessCalendar> Create(const Actor& actor,
                                              const v1::BusinessCalendar& spec);
  absl::StatusOr<v1::BusinessCalendar> Get(const Actor& actor,
                                           absl::string_view id);
  // Replaces the calendar; ABORTED if spec.version() is stale. Running clocks
  // keep the due times they had; the next transition recomputes them. A
  // calendar sent back unchanged is returned as stored, same version and
  // updated_at, with no "updated" event.
  absl::StatusOr<v1::BusinessCalendar> Update(const Actor& actor,
                                              const v1::BusinessCalendar& spec);
  absl::StatusOr<Page<v1::BusinessCalendar>> List(const Actor& actor,
                                                  const PageRequest& page = {});
  // The compiled calendar (cached per id and version).
  absl::StatusOr<BusinessCalendar> Load(const Actor& actor,
                                        absl::string_view id);

 private:
  internal::DeskContext* ctx_;
};

// The targets a subject gets: from the first matching policy rule, else from
// the service catalog's defaults.
struct SD_EXPORT ResolvedTargets {
  std::string rule_name;  // "" = catalog default
  v1::SlaTarget first_response;
  v1::SlaTarget resolution;
  bool has_periodic_update = false;
  v1::SlaTarget periodic_update;
};

// What one Tick raised.
struct SD_EXPORT TickResult {
  int warnings = 0;
  int breaches = 0;
  int escalations = 0;
  std::vector<v1::Event> events;  // the events raised, with seq
};

// Who may call:
//   Catalog, GetPolicy, ResolveTargets — any actor.
//   SetPolicy — network administrators.
//   StartClocks/Pause/Resume/Stop/Recompute/Clocks — network administrators
//     and staff of the subject's center (Clocks also the subject's own client
//     contacts).
//   Tick — network administrators and the system actor.
// Errors common to every method: INVALID_ARGUMENT for an actor with no
// principal, and for an instant (start, at, now) that is infinite or beyond
// int64 nanoseconds (1677-09-21 to 2262-04-11), naming it; PERMISSION_DENIED
// for an unknown/inactive actor or a refused call — a client contact calling
// Pause, Resume or Stop is refused before the subject is looked up, and
// Clocks of another organisation's subject is the NOT_FOUND of a subject
// without clocks, so a contact learns nothing of which subjects exist.
class SD_EXPORT Sla {
 public:
  explicit Sla(internal::DeskContext* ctx) : ctx_(ctx) {}

  // The Quality Standard's service catalog with default targets.
  static const std::vector<v1::ServiceDefinition>& Catalog();

  // The network's policy (an empty policy, version 0, until one is set).
  absl::StatusOr<v1::SlaPolicy> GetPolicy(const Actor& actor);

  // Replaces the policy. INVALID_ARGUMENT naming the field
  // ("rules[2].resolution.duration: must be positive", unknown enum values,
  // thresholds outside (0,1), a NAMED calendar that is missing -> NOT_FOUND).
  // ABORTED if policy.version() is not the stored version. The stored policy
  // sent back unchanged is returned as stored, same version and updated_at,
  // with no "updated" event.
  absl::StatusOr<v1::SlaPolicy> SetPolicy(const Actor& actor,
                                          const v1::SlaPolicy& policy);

  // The targets for a subject (no clocks are created). INVALID_ARGUMENT for
  // an unspecified kind.
  absl::StatusOr<ResolvedTargets> ResolveTargets(const Actor& actor,
                                                 const v1::SlaSubject& subject);

  // Starts the first-response and resolution clocks (and the periodic-update
  // clock if the rule has one) of `subject_id` at `start`. The subject's
  // center must exist and, for CENTER and HOTLINE targets, have a calendar
  // (FAILED_PRECONDITION). ALREADY_EXISTS if the subject already has clocks.
  // `subject_id` is one line of at most 256 bytes (INVALID_ARGUMENT); a
  // non-empty subject.organization_id / subject.assignee_id must name an
  // organization / staff member (NOT_FOUND) of the subject's center
  // (FAILED_PRECONDITION); Recompute checks the changed subject the same way.
  absl::StatusOr<std::vector<v1::TargetClock>> StartClocks(
      const Actor& actor, absl::string_view subject_id,
      const v1::SlaSubject& subject, absl::Time start);

  // Pause, Resume and Stop check `at` once, against the subject's own last
  // transition: the earliest last start, pause or resume among the clocks
  // the call moves (INVALID_ARGUMENT if `at` is before it). Each clock then
  // moves at max(at, its own last transition), so a clock the engine started
  // later (the periodic update owed from a Recompute, the next period after
  // an update) never refuses an instant its siblings accept.
  //
  // Pauses every running clock of the subject at `at` (waiting on the client).
  // FAILED_PRECONDITION if none is running; INVALID_ARGUMENT if `at` is before
  // the subject's last start or resume.
  absl::StatusOr<std::vector<v1::TargetClock>> Pause(
      const Actor& actor, absl::string_view subject_id, absl::Time at);
  // Resumes every paused clock, accruing the pause in business time.
  // INVALID_ARGUMENT if `at` is before the subject's pause began (the
  // earliest paused_at of its paused clocks). A clock that started paused
  // after that instant (a periodic update owed from a Recompute while the
  // subject waited) resumes at max(at, its own paused_at).
  absl::StatusOr<std::vector<v1::TargetClock>> Resume(
      const Actor& actor, absl::string_view subject_id, absl::Time at);
  // Stops the subject's open clock of `kind` at `at` and decides met/breached.
  // A periodic-update clock restarts from where it stopped while the
  // resolution clock is open; stopping the resolution clock stops every open
  // clock of the subject. FAILED_PRECONDITION if no such clock is open;
  // INVALID_ARGUMENT if `at` is before the last start, pause or resume of
  // the clock of `kind` (for RESOLUTION: of the subject's open clocks).
  absl::StatusOr<v1::TargetClock> Stop(const Actor& actor,
                                       absl::string_view subject_id,
                                       v1::ClockKind kind, absl::Time at);
  // Re-resolves the targets for the changed subject and recomputes every open
  // clock from its original start, keeping accrued pause. A clock keeps the
  // calendar it started on unless its target's calendar source changes.
  // A subject whose resolution clock is open and whose new rule asks for
  // periodic updates it had no open clock for gets the first period from
  // now (paused if the resolution clock is); an open periodic-update clock
  // whose new rule has none ends the cycle: cancelled (counted nowhere), or
  // stopped as breached if its period was already overdue.
  // Emits sla.recomputed (old_due_at, due_at, rule) only for a clock whose
  // due time, target or rule changed (an identical target under another
  // rule is announced too, for its rule); one that only carries the changed
  // subject (a new assignee) is saved without an event.
  // Returns the recomputed and cancelled clocks, then any clock started.
  absl::StatusOr<std::vector<v1::TargetClock>> Recompute(
      const Actor& actor, absl::string_view subject_id,
      const v1::SlaSubject& subject);
  // Every clock of the subject, oldest first.
  absl::StatusOr<std::vector<v1::TargetClock>> Clocks(
      const Actor& actor, absl::string_view subject_id);

  // Raises every warning, breach and escalation due at `now` (each once).
  // Finds candidates through an index on the next threshold instant, never by
  // scanning open clocks. Processes at most `max_clocks` clocks per call
  // (0 = no limit), in batches of its own transactions.
  absl::StatusOr<TickResult> Tick(const Actor& actor, absl::Time now,
                                  size_t max_clocks = 0);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_SLA_H_
