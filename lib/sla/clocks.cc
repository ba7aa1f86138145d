#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/report_facts.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/org/center_staff.h"
#include "lib/sla/clock_engine.h"

namespace servicedesk {
namespace internal {
namespace {

using CalendarPtr = std::shared_ptr<const BusinessCalendar>;

constexpr double kDefaultWarningShare = 0.8;
constexpr double kDefaultEscalation[] = {1.0, 1.5, 2.0};

// The stored calendar id a target is measured on ("" = always open).
absl::StatusOr<std::string> CalendarIdFor(Transaction& tx,
                                          const v1::SlaTarget& t,
                                          const v1::ServiceCenter& center) {
  switch (t.calendar_source()) {
    case v1::CALENDAR_SOURCE_ALWAYS_OPEN:
      return std::string();
    case v1::CALENDAR_SOURCE_NAMED:
      return t.calendar_id();
    case v1::CALENDAR_SOURCE_HOTLINE:
      if (!center.hotline_calendar_id().empty())
        return center.hotline_calendar_id();
      [[fallthrough]];
    default:
      if (center.calendar_id().empty())
        return absl::FailedPreconditionError(absl::StrCat(
            "center_id: center '", center.id(),
            "' has no business calendar; set one before measuring SLA on it"));
      return center.calendar_id();
  }
}

absl::Duration TargetOf(const v1::TargetClock& c) {
  return FromProto(c.target().duration());
}
absl::Duration PausedOf(const v1::TargetClock& c) {
  return FromProto(c.paused_business());
}
absl::Time StartOf(const v1::TargetClock& c) {
  return FromProto(c.started_at());
}

double WarningShare(const v1::TargetClock& c) {
  double w = c.target().warning_threshold();
  return w > 0 ? w : kDefaultWarningShare;
}

std::vector<double> EscalationShares(const v1::TargetClock& c) {
  if (c.target().escalation_shares().empty())
    return {std::begin(kDefaultEscalation), std::end(kDefaultEscalation)};
  return {c.target().escalation_shares().begin(),
          c.target().escalation_shares().end()};
}

// Business time the clock has run at `t` (pauses excluded).
absl::Duration RunAt(const v1::TargetClock& c, const BusinessCalendar& cal,
                     absl::Time t) {
  absl::Time end =
      c.state() == v1::CLOCK_STATE_PAUSED ? FromProto(c.paused_at()) : t;
  return cal.Between(StartOf(c), end) - PausedOf(c);
}

// The business time of the clock's listed pauses on `cal`.
absl::Duration PausesOn(const v1::TargetClock& c, const BusinessCalendar& cal) {
  absl::Duration d = absl::ZeroDuration();
  for (const v1::ClockPause& p : c.pauses())
    d += cal.Between(FromProto(p.from()), FromProto(p.to()));
  return d;
}

// The instant after which the clock's run (business time outside its
// finished pauses) exceeds `need`, were it running since its last resume: a
// run that reaches `need` exactly as a pause begins exceeds it only after
// the resume.
absl::Time RunExceeds(const v1::TargetClock& c, const BusinessCalendar& cal,
                      absl::Duration need) {
  if (PausesOn(c, cal) != PausedOf(c)) {
    // Pauses the list misses (kept by an older release) or measured on a
    // calendar since edited: the whole accrued pause counts, which is exact
    // unless the clock paused after reaching `need`.
    return cal.Add(StartOf(c), need + PausedOf(c));
  }
  absl::Time from = StartOf(c);
  absl::Duration run = absl::ZeroDuration();
  for (const v1::ClockPause& p : c.pauses()) {
    const absl::Duration stretch = cal.Between(from, FromProto(p.from()));
    if (run + stretch > need) return cal.Add(from, need - run);
    run += stretch;
    from = FromProto(p.to());
  }
  return cal.Add(from, need - run);
}

// The instant after which the run time exceeds share × target: that instant
// itself if the calendar is open there, else the next opening — so nothing is
// raised while the calendar is closed.
absl::Time ExceedInstant(const v1::TargetClock& c, const BusinessCalendar& cal,
                         double share) {
  absl::Time t = RunExceeds(c, cal, TargetOf(c) * share);
  if (t == absl::InfiniteFuture() || cal.IsOpen(t)) return t;
  return cal.NextOpening(t);
}

// Where compliance reports count a clock's breach (InfiniteFuture: nowhere).
// A stop strictly after ExceedInstant(c, cal, 1.0) is judged breached and one
// at or before it met (StopOne: run > target), so this instant and `met`
// agree: a stopped clock has a breach instant exactly when it is not met.
// Pausing and stopping record the instant (RecordBreach) before the pause
// they accrue moves the due time; until then it is derived from the clock.
absl::Time BreachInstant(const v1::TargetClock& c,
                         const BusinessCalendar& cal) {
  if (c.cancelled()) return absl::InfiniteFuture();
  if (c.has_breached_at()) return FromProto(c.breached_at());
  switch (c.state()) {
    case v1::CLOCK_STATE_RUNNING:
      return ExceedInstant(c, cal, 1.0);  // possibly still ahead
    case v1::CLOCK_STATE_PAUSED: {
      // The current pause is not among the finished ones: an instant after
      // it began was not reached.
      const absl::Time t = ExceedInstant(c, cal, 1.0);
      return t < FromProto(c.paused_at()) ? t : absl::InfiniteFuture();
    }
    case v1::CLOCK_STATE_STOPPED:
      // Stopped late by a release that did not record the instant.
      return c.met() ? absl::InfiniteFuture() : ExceedInstant(c, cal, 1.0);
    default:
      return absl::InfiniteFuture();
  }
}

// Records the breach instant of a running clock whose running stretch ends
// at `end` (it pauses or stops), if the run exceeded the target by then.
void RecordBreach(v1::TargetClock& c, const BusinessCalendar& cal,
                  absl::Time end) {
  if (c.has_breached_at() || c.state() != v1::CLOCK_STATE_RUNNING) return;
  const absl::Time t = ExceedInstant(c, cal, 1.0);
  if (t < end) *c.mutable_breached_at() = ToProto(t);
}

void Derive(v1::TargetClock& c, const BusinessCalendar& cal) {
  *c.mutable_due_at() = ToProto(cal.Add(StartOf(c), TargetOf(c) + PausedOf(c)));
  *c.mutable_warn_at() =
      ToProto(cal.Add(StartOf(c), TargetOf(c) * WarningShare(c) + PausedOf(c)));
}

// The thresholds a run has passed: each counts once the run exceeds its
// share of the target (reaching it exactly is not passing it). Tick raises
// what is passed and not yet raised; a recompute lowers what is raised and
// no longer passed, so both read one rule.
struct PassedThresholds {
  bool warning = false;
  bool breach = false;
  int escalations = 0;  // leading (ascending) escalation shares passed
};

PassedThresholds PassedAt(const v1::TargetClock& c, absl::Duration run) {
  const absl::Duration target = TargetOf(c);
  PassedThresholds p;
  p.warning = run > target * WarningShare(c);
  p.breach = run > target;
  for (double share : EscalationShares(c)) {
    if (!(run > target * share)) break;
    ++p.escalations;
  }
  return p;
}

// After a retroactive change: a warning, breach or escalation raised under
// the old target that the run has not passed under the new one at `now` is
// armed again, so that Tick raises it (once) if the run passes it later. One
// the run has passed stays raised; one passed but never raised is left to
// Tick.
void RearmThresholds(v1::TargetClock& c, const BusinessCalendar& cal,
                     absl::Time now) {
  const PassedThresholds p = PassedAt(c, RunAt(c, cal, now));
  if (!p.warning) c.set_warning_raised(false);
  if (!p.breach) c.set_breach_raised(false);
  c.set_escalation_level(std::min(c.escalation_level(), p.escalations));
}

// The earliest pending threshold of an open clock (InfiniteFuture if none).
// A paused clock has one only if its run exceeded it before the pause: a
// client's wait that began just after a breach, before any Tick saw it, does
// not hold the breach back until the resume.
absl::Time NextCheck(const v1::TargetClock& c, const BusinessCalendar& cal) {
  const bool paused = c.state() == v1::CLOCK_STATE_PAUSED;
  if (c.state() != v1::CLOCK_STATE_RUNNING && !paused)
    return absl::InfiniteFuture();
  absl::Time next = absl::InfiniteFuture();
  auto pending = [&](double share) {
    const absl::Time t = ExceedInstant(c, cal, share);
    if (!paused || t < FromProto(c.paused_at())) next = std::min(next, t);
  };
  if (!c.warning_raised()) pending(WarningShare(c));
  if (!c.breach_raised()) pending(1.0);
  std::vector<double> esc = EscalationShares(c);
  if (c.escalation_level() < static_cast<int>(esc.size()))
    pending(esc[c.escalation_level()]);
  return next;
}

}  // namespace

std::vector<IndexEntry> ClockIndexes(const v1::TargetClock& c,
                                     const BusinessCalendar& cal) {
  std::vector<IndexEntry> idx;
  idx.reserve(4);
  // Start, then the id's number: the clocks one call starts come back in
  // creation order (clock-9 before clock-10).
  char order[16];
  EncodeOrderedInt64To(absl::ToUnixMicros(StartOf(c)), order);
  EncodeOrderedInt64To(IdNumber(c.id()), order + 8);
  AddIndexEntry(idx, "subject", {c.subject_id()}, absl::string_view(order, 16));
  absl::Time next = NextCheck(c, cal);
  if (next != absl::InfiniteFuture())
    idx.push_back({"next", EncodeOrderedInt64(absl::ToUnixMicros(next))});
  const v1::SlaSubject& subj = c.subject();
  report_facts::Fact f;
  f.kind = subj.kind();
  f.channel = subj.channel();
  f.clock_kind = c.kind();
  f.center = subj.center_id();
  f.staff = subj.assignee_id();
  if (c.state() == v1::CLOCK_STATE_STOPPED && !c.cancelled()) {
    f.at = FromProto(c.stopped_at());
    f.flag = c.met() ? 1 : 0;
    f.micros = absl::ToInt64Microseconds(FromProto(c.business_elapsed()));
    idx.push_back(report_facts::Entry(report_facts::kClockStop, f));
  }
  // Breached counts where the breach happened, not where the clock stopped:
  // a closed period keeps its figures when an overdue clock stops later.
  f.at = BreachInstant(c, cal);
  if (f.at != absl::InfiniteFuture()) {
    f.flag = 0;
    f.micros = 0;
    idx.push_back(report_facts::Entry(report_facts::kClockBreach, f));
  }
  return idx;
}

namespace {

absl::Status SaveClock(TxScope& s, v1::TargetClock& c,
                       const BusinessCalendar& cal) {
  // A calendar that never opens long enough (none at all, special days long
  // past) puts the due time at infinity, or past what a Timestamp holds:
  // refused before anything is written, not stored unreadable.
  if (!CheckTimestamp("due_at", c.due_at()).ok() ||
      !CheckTimestamp("warn_at", c.warn_at()).ok())
    return absl::FailedPreconditionError(absl::StrCat(
        "calendar_id: the ", v1::ClockKind_Name(c.kind()), " target of '",
        c.subject_id(), "' is never reached on calendar '",
        c.calendar_id().empty() ? "24/7" : c.calendar_id(),
        "' (it does not open for that long before year 9999)"));
  return SaveRecord(s, tables::kSlaClock, c, ClockIndexes(c, cal));
}

void EmitClock(TxScope& s, const v1::TargetClock& c, absl::string_view action,
               absl::Span<const EventDetail> extra = {}) {
  EventDetails details(extra.begin(), extra.end());
  details.emplace_back("subject_id", c.subject_id());
  details.emplace_back("kind", v1::ClockKind_Name(c.kind()));
  s.Emit("sla_clock", c.id(), action, c.version(), c.subject().center_id(),
         c.subject().organization_id(), details);
}

std::string Secs(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Seconds(d));
}

const v1::SlaTarget* TargetFor(const ResolvedTargets& t, v1::ClockKind kind) {
  switch (kind) {
    case v1::CLOCK_KIND_FIRST_RESPONSE:
      return &t.first_response;
    case v1::CLOCK_KIND_RESOLUTION:
      return &t.resolution;
    case v1::CLOCK_KIND_PERIODIC_UPDATE:
      return t.has_periodic_update ? &t.periodic_update : nullptr;
    default:
      return nullptr;
  }
}

bool IsOpenClock(const v1::TargetClock& c) {
  return c.state() == v1::CLOCK_STATE_RUNNING ||
         c.state() == v1::CLOCK_STATE_PAUSED;
}

absl::StatusOr<v1::TargetClock*> NewClock(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id,
    const v1::SlaSubject& subject, const std::string& rule,
    const v1::SlaTarget& target, const v1::ServiceCenter& center,
    v1::ClockKind kind, absl::Time start, bool paused) {
  auto* clock =
      google::protobuf::Arena::CreateMessage<v1::TargetClock>(s.arena());
  v1::TargetClock& c = *clock;
  ASSIGN_OR_RETURN(*c.mutable_id(), s.NewId("clock"));
  c.set_subject_id(std::string(subject_id));
  c.set_kind(kind);
  *c.mutable_subject() = subject;
  c.set_rule_name(rule);
  *c.mutable_target() = target;
  ASSIGN_OR_RETURN(*c.mutable_calendar_id(),
                   CalendarIdFor(s.tx(), target, center));
  ASSIGN_OR_RETURN(CalendarPtr cal, CalendarFor(ctx, s.tx(), c.calendar_id()));
  c.set_state(paused ? v1::CLOCK_STATE_PAUSED : v1::CLOCK_STATE_RUNNING);
  *c.mutable_started_at() = ToProto(start);
  *c.mutable_last_transition_at() = ToProto(start);
  if (paused) *c.mutable_paused_at() = ToProto(start);
  *c.mutable_paused_business() = ToProto(absl::ZeroDuration());
  Derive(c, *cal);
  RETURN_IF_ERROR(SaveClock(s, c, *cal));
  EmitClock(s, c, "sla.started",
            {{"due_at", FormatUtc(FromProto(c.due_at()))}, {"rule", rule}});
  return clock;
}

// Ends a paused clock's pause at `at`: into paused_business and the list of
// pauses, and the due and warning times move by it (also when the clock
// stops or is cancelled while paused: the fields never disagree).
void AccruePause(v1::TargetClock& c, const BusinessCalendar& cal,
                 absl::Time at) {
  const absl::Time from = FromProto(c.paused_at());
  absl::Duration pause = cal.Between(from, at);
  *c.mutable_paused_business() = ToProto(PausedOf(c) + pause);
  if (at > from) {
    v1::ClockPause* p = c.add_pauses();
    *p->mutable_from() = c.paused_at();
    *p->mutable_to() = ToProto(at);
  }
  c.clear_paused_at();
  Derive(c, cal);
}

// Measures the clock's finished pauses on `to` instead of `from`: a
// retroactive change moved it to another calendar, and a night the client
// kept a request waiting is 16 hours on a 24/7 calendar but none on office
// hours. Pauses an older release did not list keep their measure.
void MovePauses(v1::TargetClock& c, const BusinessCalendar& from,
                const BusinessCalendar& to) {
  *c.mutable_paused_business() = ToProto(std::max(
      absl::ZeroDuration(), PausedOf(c) - PausesOn(c, from) + PausesOn(c, to)));
}

absl::Time LastTransition(const v1::TargetClock& c) {
  return c.has_last_transition_at() ? FromProto(c.last_transition_at())
                                    : StartOf(c);
}

// The instant a transition is taken at: a caller's `at` before `since` is
// INVALID_ARGUMENT; the desk's own now (TxScope::desk_time) before it is
// taken as `since`, since only disagreeing clocks of two processes put it
// there, and a message or an answer must not fail for that.
absl::StatusOr<absl::Time> NotBefore(const TxScope& s, absl::Time at,
                                     absl::Time since, absl::string_view what) {
  if (at >= since) return at;
  if (s.desk_time()) return since;
  return absl::InvalidArgumentError(absl::StrCat(
      "at: ", FormatUtc(at), " is before ", what, " (", FormatUtc(since), ")"));
}

// The clock's last start, pause or resume; a pause that an older release
// stored without last_transition_at counts from its paused_at.
absl::Time SinceOf(const v1::TargetClock& c) {
  const absl::Time t = LastTransition(c);
  return c.state() == v1::CLOCK_STATE_PAUSED
             ? std::max(t, FromProto(c.paused_at()))
             : t;
}

// The instant a Pause, Resume or Stop of `moved` (clocks of one subject) is
// taken at: `at` is checked against the subject's own last transition, the
// earliest SinceOf among them, not against each clock's. A clock the engine
// started later (the periodic update owed from a Recompute, the next period
// after an update) would otherwise refuse an instant its siblings accept;
// each clock moves at max(the result, its own SinceOf) instead.
absl::StatusOr<absl::Time> SubjectNotBefore(
    const TxScope& s, absl::Time at, const std::vector<v1::TargetClock*>& moved,
    absl::string_view what) {
  absl::Time since = absl::InfiniteFuture();
  for (const v1::TargetClock* c : moved) since = std::min(since, SinceOf(*c));
  if (since == absl::InfiniteFuture()) return at;
  return NotBefore(s, at, since, what);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const BusinessCalendar>> CalendarFor(
    DeskContext& ctx, Transaction& tx, absl::string_view calendar_id) {
  if (calendar_id.empty()) {
    static const auto* always =
        new CalendarPtr(std::make_shared<const BusinessCalendar>(
            BusinessCalendar::AlwaysOpen()));
    return *always;
  }
  // The version alone decides: a production calendar's holiday lists are
  // read, parsed and compiled only when the stored version is new to the
  // cache.
  auto version = tx.GetVersion(tables::kCalendar, calendar_id);
  if (absl::IsNotFound(version.status()))
    return RecordNotFound(tables::kCalendar, calendar_id, "calendar_id");
  if (!version.ok()) return version.status();
  if (CalendarPtr cached = ctx.calendars.Find(calendar_id, *version))
    return cached;
  ASSIGN_OR_RETURN(
      StoredRecord stored,
      GetRecordRow(tx, tables::kCalendar, calendar_id, "calendar_id"));
  ASSIGN_OR_RETURN(
      auto spec, ParseStored<v1::BusinessCalendar>(tables::kCalendar, stored));
  return ctx.calendars.Get(spec);
}

absl::StatusOr<std::vector<IndexEntry>> ClockIndexesTx(
    DeskContext& ctx, Transaction& tx, const v1::TargetClock& c) {
  ASSIGN_OR_RETURN(CalendarPtr cal, CalendarFor(ctx, tx, c.calendar_id()));
  return ClockIndexes(c, *cal);
}

absl::StatusOr<std::vector<v1::TargetClock*>> LoadClocksTx(
    TxScope& s, absl::string_view subject_id) {
  if (subject_id.empty())
    return absl::InvalidArgumentError("subject_id: required");
  ASSIGN_OR_RETURN(
      auto out, LoadByPrefixIn<v1::TargetClock>(s, tables::kSlaClock, "subject",
                                                KeyJoin({subject_id})));
  if (out.empty())
    return absl::NotFoundError(
        absl::StrCat("subject_id: '", subject_id, "' has no SLA clocks"));
  return out;
}

absl::StatusOr<std::vector<v1::TargetClock*>> StartClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id,
    const v1::SlaSubject& subject, absl::Time start) {
  if (subject_id.empty())
    return absl::InvalidArgumentError("subject_id: required");
  ASSIGN_OR_RETURN(const v1::ServiceCenter* center,
                   LoadRecordIn<v1::ServiceCenter>(
                       s, tables::kCenter, subject.center_id(), "center_id"));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(), center->id(),
                                     "start SLA clocks in this center"));
  if (!v1::Channel_IsValid(subject.channel()) ||
      !v1::Priority_IsValid(subject.priority()) ||
      !v1::ClientTier_IsValid(subject.tier()))
    return absl::InvalidArgumentError(
        "subject: unknown channel, priority or tier value");
  auto existing = LoadClocksTx(s, subject_id);
  if (existing.ok())
    return absl::AlreadyExistsError(
        absl::StrCat("subject_id: '", subject_id, "' already has SLA clocks"));
  if (!absl::IsNotFound(existing.status())) return existing.status();
  ASSIGN_OR_RETURN(ResolvedTargets targets, ResolveTargetsTx(s.tx(), subject));
  std::vector<v1::TargetClock*> out;
  for (v1::ClockKind kind :
       {v1::CLOCK_KIND_FIRST_RESPONSE, v1::CLOCK_KIND_RESOLUTION,
        v1::CLOCK_KIND_PERIODIC_UPDATE}) {
    const v1::SlaTarget* t = TargetFor(targets, kind);
    if (t == nullptr) continue;
    ASSIGN_OR_RETURN(v1::TargetClock * c,
                     NewClock(ctx, s, subject_id, subject, targets.rule_name,
                              *t, *center, kind, start, /*paused=*/false));
    out.push_back(c);
  }
  return out;
}

absl::StatusOr<std::vector<v1::TargetClock*>> PauseClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "pause SLA clocks of this center"));
  std::vector<v1::TargetClock*> running;
  for (v1::TargetClock* c : clocks)
    if (c->state() == v1::CLOCK_STATE_RUNNING) running.push_back(c);
  ASSIGN_OR_RETURN(
      const absl::Time from,
      SubjectNotBefore(s, at, running, "the subject's last start or resume"));
  std::vector<v1::TargetClock*> out;
  for (v1::TargetClock* clock : running) {
    v1::TargetClock& c = *clock;
    const absl::Time t = std::max(from, SinceOf(c));
    ASSIGN_OR_RETURN(CalendarPtr cal,
                     CalendarFor(ctx, s.tx(), c.calendar_id()));
    RecordBreach(c, *cal, t);
    c.set_state(v1::CLOCK_STATE_PAUSED);
    *c.mutable_last_transition_at() = ToProto(t);
    *c.mutable_paused_at() = ToProto(t);
    RETURN_IF_ERROR(SaveClock(s, c, *cal));
    EmitClock(s, c, "sla.paused");
    out.push_back(clock);
  }
  if (out.empty())
    return absl::FailedPreconditionError(absl::StrCat(
        "subject_id: '", subject_id, "' has no running SLA clock"));
  return out;
}

absl::StatusOr<std::vector<v1::TargetClock*>> ResumeClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "resume SLA clocks of this center"));
  // The subject's pause began with its earliest paused clock. A clock born
  // paused later (a periodic update owed from a Recompute or an update sent
  // while the client was awaited) does not move that instant: a resume
  // between the two resumes it at its own start, which it cannot precede.
  std::vector<v1::TargetClock*> paused;
  for (v1::TargetClock* c : clocks)
    if (c->state() == v1::CLOCK_STATE_PAUSED) paused.push_back(c);
  ASSIGN_OR_RETURN(const absl::Time from,
                   SubjectNotBefore(s, at, paused, "the pause began"));
  std::vector<v1::TargetClock*> out;
  for (v1::TargetClock* clock : paused) {
    v1::TargetClock& c = *clock;
    const absl::Time t = std::max(from, SinceOf(c));
    ASSIGN_OR_RETURN(CalendarPtr cal,
                     CalendarFor(ctx, s.tx(), c.calendar_id()));
    AccruePause(c, *cal, t);
    c.set_state(v1::CLOCK_STATE_RUNNING);
    *c.mutable_last_transition_at() = ToProto(t);
    RETURN_IF_ERROR(SaveClock(s, c, *cal));
    EmitClock(s, c, "sla.resumed",
              {{"paused_business_seconds", Secs(PausedOf(c))},
               {"due_at", FormatUtc(FromProto(c.due_at()))}});
    out.push_back(clock);
  }
  if (out.empty())
    return absl::FailedPreconditionError(
        absl::StrCat("subject_id: '", subject_id, "' has no paused SLA clock"));
  return out;
}

namespace {
// Stops one open clock: decides met/breached in business time, raising a
// breach that Tick has not raised yet. `requested` was checked against the
// subject (SubjectNotBefore); a clock started after it stops at its own
// last transition, having run for none of it.
absl::Status StopOne(DeskContext& ctx, TxScope& s, v1::TargetClock& c,
                     absl::Time requested) {
  const absl::Time at = std::max(requested, SinceOf(c));
  ASSIGN_OR_RETURN(CalendarPtr cal, CalendarFor(ctx, s.tx(), c.calendar_id()));
  if (c.state() == v1::CLOCK_STATE_PAUSED) {
    // Not recorded when it paused (an older release): the pause accrued
    // below would move it.
    if (!c.has_breached_at()) {
      const absl::Time t = BreachInstant(c, *cal);
      if (t != absl::InfiniteFuture()) *c.mutable_breached_at() = ToProto(t);
    }
    AccruePause(c, *cal, at);
  } else {
    RecordBreach(c, *cal, at);
  }
  absl::Duration run = cal->Between(StartOf(c), at) - PausedOf(c);
  c.set_state(v1::CLOCK_STATE_STOPPED);
  *c.mutable_stopped_at() = ToProto(at);
  *c.mutable_business_elapsed() = ToProto(run);
  c.set_met(run <= TargetOf(c));
  bool raise_breach = !c.met() && !c.breach_raised();
  if (raise_breach) c.set_breach_raised(true);
  RETURN_IF_ERROR(SaveClock(s, c, *cal));
  if (raise_breach) EmitClock(s, c, "sla.breached", {{"at_stop", "true"}});
  EmitClock(
      s, c, "sla.stopped",
      {{"met", c.met() ? "true" : "false"}, {"business_seconds", Secs(run)}});
  return absl::OkStatus();
}
}  // namespace

namespace {

// Stops the newest open clock of `kind` among the subject's `clocks` (and
// what stopping it implies); null if none is open.
absl::StatusOr<v1::TargetClock*> StopLoaded(
    DeskContext& ctx, TxScope& s, const std::vector<v1::TargetClock*>& clocks,
    absl::string_view subject_id, v1::ClockKind kind, absl::Time at) {
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "stop SLA clocks of this center"));
  auto it = std::find_if(clocks.rbegin(), clocks.rend(),
                         [&](const v1::TargetClock* c) {
                           return c->kind() == kind && IsOpenClock(*c);
                         });
  if (it == clocks.rend()) return nullptr;
  v1::TargetClock* stopped = *it;
  // Resolving answers the client too, and ends the update cycle: every open
  // clock stops with it, checked against the subject's last transition.
  std::vector<v1::TargetClock*> moved = {stopped};
  if (kind == v1::CLOCK_KIND_RESOLUTION)
    for (v1::TargetClock* c : clocks)
      if (c != stopped && IsOpenClock(*c)) moved.push_back(c);
  ASSIGN_OR_RETURN(
      const absl::Time from,
      SubjectNotBefore(s, at, moved,
                       moved.size() == 1
                           ? "the clock's last start, pause or resume"
                           : "the subject's last start, pause or resume"));
  RETURN_IF_ERROR(StopOne(ctx, s, *stopped, from));
  auto resolution =
      std::find_if(clocks.begin(), clocks.end(), [](const v1::TargetClock* c) {
        return c->kind() == v1::CLOCK_KIND_RESOLUTION && IsOpenClock(*c);
      });
  if (kind == v1::CLOCK_KIND_PERIODIC_UPDATE && resolution != clocks.end()) {
    // The next update is due one period after this one.
    ASSIGN_OR_RETURN(
        const v1::ServiceCenter* center,
        LoadRecordIn<v1::ServiceCenter>(
            s, tables::kCenter, stopped->subject().center_id(), "center_id"));
    RETURN_IF_ERROR(NewClock(ctx, s, subject_id, stopped->subject(),
                             stopped->rule_name(), stopped->target(), *center,
                             kind, FromProto(stopped->stopped_at()),
                             (*resolution)->state() == v1::CLOCK_STATE_PAUSED)
                        .status());
  }
  for (size_t i = 1; i < moved.size(); ++i)
    RETURN_IF_ERROR(StopOne(ctx, s, *moved[i], from));
  return stopped;
}

}  // namespace

absl::StatusOr<v1::TargetClock*> StopClockTx(DeskContext& ctx, TxScope& s,
                                             absl::string_view subject_id,
                                             v1::ClockKind kind,
                                             absl::Time at) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  ASSIGN_OR_RETURN(v1::TargetClock * stopped,
                   StopLoaded(ctx, s, clocks, subject_id, kind, at));
  if (stopped == nullptr)
    return absl::FailedPreconditionError(
        absl::StrCat("kind: '", subject_id, "' has no open ",
                     v1::ClockKind_Name(kind), " clock"));
  return stopped;
}

absl::StatusOr<v1::TargetClock*> StopClockIfOpenTx(DeskContext& ctx, TxScope& s,
                                                   absl::string_view subject_id,
                                                   v1::ClockKind kind,
                                                   absl::Time at) {
  auto clocks = LoadClocksTx(s, subject_id);
  if (absl::IsNotFound(clocks.status())) return nullptr;
  if (!clocks.ok()) return clocks.status();
  return StopLoaded(ctx, s, *clocks, subject_id, kind, at);
}

absl::Status StopClocksIfOpenTx(DeskContext& ctx, TxScope& s,
                                absl::string_view subject_id,
                                std::initializer_list<v1::ClockKind> kinds,
                                absl::Time at) {
  auto clocks = LoadClocksTx(s, subject_id);
  if (absl::IsNotFound(clocks.status())) return absl::OkStatus();
  if (!clocks.ok()) return clocks.status();
  for (v1::ClockKind kind : kinds)
    RETURN_IF_ERROR(StopLoaded(ctx, s, *clocks, subject_id, kind, at).status());
  return absl::OkStatus();
}

namespace {

// Marks `c` cancelled: neither met nor breached, out of compliance figures.
// An open clock stops at `at`; one already stopped keeps what was measured.
absl::Status CancelOne(DeskContext& ctx, TxScope& s, v1::TargetClock& c,
                       absl::Time at) {
  ASSIGN_OR_RETURN(CalendarPtr cal, CalendarFor(ctx, s.tx(), c.calendar_id()));
  const bool was_open = IsOpenClock(c);
  if (c.state() == v1::CLOCK_STATE_PAUSED)
    AccruePause(c, *cal, std::max(at, FromProto(c.paused_at())));
  if (was_open) {
    c.set_state(v1::CLOCK_STATE_STOPPED);
    *c.mutable_stopped_at() = ToProto(std::max(at, LastTransition(c)));
  }
  c.set_cancelled(true);
  RETURN_IF_ERROR(SaveClock(s, c, *cal));
  EmitClock(s, c, "sla.cancelled",
            {{"was_stopped", was_open ? "false" : "true"}});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<v1::TargetClock*>> RecomputeClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id,
    const v1::SlaSubject& subject) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "recompute SLA clocks of this center"));
  if (subject.center_id() != clocks[0]->subject().center_id())
    return absl::InvalidArgumentError(
        "center_id: a subject's center cannot change");
  ASSIGN_OR_RETURN(const v1::ServiceCenter* center,
                   LoadRecordIn<v1::ServiceCenter>(
                       s, tables::kCenter, subject.center_id(), "center_id"));
  ASSIGN_OR_RETURN(ResolvedTargets targets, ResolveTargetsTx(s.tx(), subject));
  std::vector<v1::TargetClock*> out;
  for (v1::TargetClock* clock : clocks) {
    v1::TargetClock& c = *clock;
    if (!IsOpenClock(c)) continue;
    const v1::SlaTarget* t = TargetFor(targets, c.kind());
    if (t == nullptr) {
      // The new rule owes the client no periodic updates: the cycle ends.
      // A period already overdue was missed and stays so (stopped,
      // breached); one still running is counted nowhere (cancelled).
      const bool overdue =
          c.breach_raised() || (c.state() == v1::CLOCK_STATE_RUNNING &&
                                FromProto(c.due_at()) < s.now());
      RETURN_IF_ERROR(overdue ? StopOne(ctx, s, c, s.now())
                              : CancelOne(ctx, s, c, s.now()));
      out.push_back(clock);
      continue;
    }
    const std::string old_due = FormatUtc(FromProto(c.due_at()));
    const std::string old_rule = c.rule_name();
    const std::string old_target =
        absl::StrCat(c.calendar_id(), "/", c.target().SerializeAsString());
    // A clock keeps the calendar it started on while its target names the
    // same source: a center that changes its (hotline) calendar later does
    // not move the clocks already running, whose pauses were accrued there.
    const bool same_source =
        c.target().calendar_source() == t->calendar_source() &&
        c.target().calendar_id() == t->calendar_id();
    *c.mutable_subject() = subject;
    c.set_rule_name(targets.rule_name);
    *c.mutable_target() = *t;
    const std::string old_calendar = c.calendar_id();
    if (!same_source) {
      ASSIGN_OR_RETURN(*c.mutable_calendar_id(),
                       CalendarIdFor(s.tx(), *t, *center));
    }
    ASSIGN_OR_RETURN(CalendarPtr cal,
                     CalendarFor(ctx, s.tx(), c.calendar_id()));
    if (c.calendar_id() != old_calendar) {
      // An old calendar that no longer loads keeps the pauses' measure
      // rather than refusing the change.
      auto was = CalendarFor(ctx, s.tx(), old_calendar);
      if (was.ok()) MovePauses(c, **was, *cal);
    }
    // Retroactive: same start, same pauses, new target. A breach instant
    // recorded under another target no longer holds; reports derive it from
    // the run and the pauses under the new one until the clock pauses or
    // stops again. (A new assignee alone keeps it.)
    Derive(c, *cal);
    const bool target_changed =
        old_target !=
        absl::StrCat(c.calendar_id(), "/", c.target().SerializeAsString());
    if (target_changed) c.clear_breached_at();
    RearmThresholds(c, *cal, s.now());
    RETURN_IF_ERROR(SaveClock(s, c, *cal));
    // Saved for the subject it now carries (a take or hand-over changes the
    // assignee reports group by), but announced only when what people are
    // told changed: a subscriber mails "new due time" on this event, and
    // learns the rule (an identical target under another rule) from it.
    const std::string due = FormatUtc(FromProto(c.due_at()));
    if (target_changed || due != old_due || old_rule != targets.rule_name)
      EmitClock(s, c, "sla.recomputed",
                {{"old_due_at", old_due},
                 {"due_at", due},
                 {"rule", targets.rule_name}});
    out.push_back(clock);
  }
  // A subject still being worked (its resolution clock open) whose new rule
  // asks for periodic updates is owed them from the change on: the first
  // period starts now, paused if the subject waits on the client.
  if (const v1::SlaTarget* update =
          TargetFor(targets, v1::CLOCK_KIND_PERIODIC_UPDATE)) {
    const v1::TargetClock* resolution = nullptr;
    bool updating = false;
    for (const v1::TargetClock* c : clocks) {
      if (!IsOpenClock(*c)) continue;
      if (c->kind() == v1::CLOCK_KIND_RESOLUTION) resolution = c;
      if (c->kind() == v1::CLOCK_KIND_PERIODIC_UPDATE) updating = true;
    }
    if (resolution != nullptr && !updating) {
      ASSIGN_OR_RETURN(
          v1::TargetClock * first,
          NewClock(ctx, s, subject_id, subject, targets.rule_name, *update,
                   *center, v1::CLOCK_KIND_PERIODIC_UPDATE, s.now(),
                   resolution->state() == v1::CLOCK_STATE_PAUSED));
      out.push_back(first);
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::TargetClock*>> CancelClocksTx(
    DeskContext& ctx, TxScope& s, absl::string_view subject_id, absl::Time at) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "cancel SLA clocks of this center"));
  std::vector<v1::TargetClock*> out;
  for (v1::TargetClock* clock : clocks) {
    if (clock->cancelled()) continue;
    RETURN_IF_ERROR(CancelOne(ctx, s, *clock, at));
    out.push_back(clock);
  }
  return out;
}

absl::StatusOr<v1::TargetClock*> RestartClockTx(DeskContext& ctx, TxScope& s,
                                                absl::string_view subject_id,
                                                const v1::SlaSubject& subject,
                                                v1::ClockKind kind,
                                                absl::Time start) {
  ASSIGN_OR_RETURN(auto clocks, LoadClocksTx(s, subject_id));
  RETURN_IF_ERROR(RequireCenterStaff(s.actor(),
                                     clocks[0]->subject().center_id(),
                                     "restart SLA clocks of this center"));
  if (subject.center_id() != clocks[0]->subject().center_id())
    return absl::InvalidArgumentError(
        "center_id: a subject's center cannot change");
  for (const v1::TargetClock* c : clocks)
    if (c->kind() == kind && IsOpenClock(*c))
      return absl::FailedPreconditionError(
          absl::StrCat("kind: '", subject_id, "' already has an open ",
                       v1::ClockKind_Name(kind), " clock"));
  ASSIGN_OR_RETURN(const v1::ServiceCenter* center,
                   LoadRecordIn<v1::ServiceCenter>(
                       s, tables::kCenter, subject.center_id(), "center_id"));
  ASSIGN_OR_RETURN(ResolvedTargets targets, ResolveTargetsTx(s.tx(), subject));
  const v1::SlaTarget* t = TargetFor(targets, kind);
  if (t == nullptr)
    return absl::FailedPreconditionError(absl::StrCat(
        "kind: no ", v1::ClockKind_Name(kind), " target for this subject"));
  ASSIGN_OR_RETURN(v1::TargetClock * restarted,
                   NewClock(ctx, s, subject_id, subject, targets.rule_name, *t,
                            *center, kind, start, /*paused=*/false));
  // A reopened request's clients are owed updates again, as before it was
  // resolved (stopping the resolution clock ended the cycle).
  const v1::SlaTarget* update =
      TargetFor(targets, v1::CLOCK_KIND_PERIODIC_UPDATE);
  const bool update_open =
      std::any_of(clocks.begin(), clocks.end(), [](const v1::TargetClock* c) {
        return c->kind() == v1::CLOCK_KIND_PERIODIC_UPDATE && IsOpenClock(*c);
      });
  if (kind == v1::CLOCK_KIND_RESOLUTION && update != nullptr && !update_open)
    RETURN_IF_ERROR(NewClock(ctx, s, subject_id, subject, targets.rule_name,
                             *update, *center, v1::CLOCK_KIND_PERIODIC_UPDATE,
                             start, /*paused=*/false)
                        .status());
  return restarted;
}

absl::StatusOr<size_t> TickBatchTx(DeskContext& ctx, TxScope& s, absl::Time now,
                                   size_t limit, ScanRange* cursor,
                                   TickResult* result) {
  cursor->index = "next";
  cursor->lower.clear();
  cursor->upper = EncodeOrderedInt64(absl::ToUnixMicros(now) + 1);
  cursor->limit = limit;
  ASSIGN_OR_RETURN(auto rows, s.tx().Scan(tables::kSlaClock, *cursor));
  std::map<std::string, std::string> heads;  // center -> its heads, per batch
  for (const StoredRecord& row : rows) {
    cursor->has_start_after = true;
    cursor->start_after_index_key = row.index_key;
    cursor->start_after_key = row.key;
    ASSIGN_OR_RETURN(v1::TargetClock * clock,
                     ParseStoredIn<v1::TargetClock>(s, tables::kSlaClock, row));
    v1::TargetClock& c = *clock;
    if (!IsOpenClock(c)) continue;
    ASSIGN_OR_RETURN(CalendarPtr cal,
                     CalendarFor(ctx, s.tx(), c.calendar_id()));
    // A paused clock's run stands where the pause began.
    absl::Duration run = RunAt(c, *cal, now);
    const PassedThresholds passed = PassedAt(c, run);
    std::vector<std::pair<std::string, std::map<std::string, std::string>>>
        raised;
    if (!c.warning_raised() && passed.warning) {
      c.set_warning_raised(true);
      raised.push_back({"sla.warning", {}});
      ++result->warnings;
    }
    if (!c.breach_raised() && passed.breach) {
      c.set_breach_raised(true);
      raised.push_back({"sla.breached", {}});
      ++result->breaches;
    }
    while (c.escalation_level() < passed.escalations) {
      int level = c.escalation_level() + 1;
      c.set_escalation_level(level);
      std::string to;
      auto center_heads = [&]() -> absl::StatusOr<std::string> {
        const std::string& center = c.subject().center_id();
        if (!heads.count(center)) {
          ASSIGN_OR_RETURN(std::string ids, CenterHeads(s.tx(), center));
          heads[center] = ids.empty() ? "no-center-head" : ids;
        }
        return heads[center];
      };
      std::map<std::string, std::string> extra;
      if (level == 1 && !c.subject().assignee_id().empty()) {
        to = c.subject().assignee_id();
      } else if (level <= 2) {
        // Nobody holds it (a queued request, a dialog nobody took): the
        // first step goes to whoever can hand it out.
        ASSIGN_OR_RETURN(to, center_heads());
        if (level == 1) extra["unassigned"] = "true";
      } else {
        to = "network-administrators";
      }
      static constexpr const char* kStep[] = {"", "assignee", "center_head",
                                              "network"};
      extra["level"] = absl::StrCat(level);
      extra["step"] = kStep[std::min(level, 3)];
      extra["to"] = to;
      raised.push_back({"sla.escalated", std::move(extra)});
      ++result->escalations;
    }
    if (raised.empty()) continue;
    RETURN_IF_ERROR(SaveClock(s, c, *cal));
    for (auto& [action, details] : raised) {
      details["business_seconds"] = Secs(run);
      EmitClock(s, c, action, DetailViews(details));
    }
  }
  return rows.size();
}

}  // namespace internal

// ---- public wrappers: one transaction each ----------------------------------

namespace {

// The clocks of the desk's own records follow those records' lifecycles.
// Checked inside the call's transaction, so an unknown actor is refused
// first.
absl::Status RefuseOwnedSubject(absl::string_view subject_id) {
  for (const char* prefix : internal::tables::kClockOwningIdPrefixes)
    if (absl::StartsWith(subject_id, absl::StrCat(prefix, "-")))
      return absl::FailedPreconditionError(absl::StrCat(
          "subject_id: '", subject_id, "' names a record of the desk ('",
          prefix, "-' ids); its clocks follow that record's lifecycle"));
  return absl::OkStatus();
}

// The embedding application's own subject: its id is one line (it is shown
// and keyed on), and the organization and assignee it names are records of
// the subject's center, since reports group by them and escalations notify
// the assignee. The center is checked first, with the actor's right to it,
// so that a caller of another center learns nothing of its records.
absl::Status CheckOwnSubject(internal::TxScope& s, absl::string_view subject_id,
                             const v1::SlaSubject& subject,
                             absl::string_view action) {
  // An id: at most kMaxIdBytes bytes (what a key column or a C buffer is
  // sized by), and one line of text.
  RETURN_IF_ERROR(internal::CheckIdInput("subject_id", subject_id));
  RETURN_IF_ERROR(
      internal::CheckText("subject_id", subject_id, 1, internal::kMaxIdBytes));
  ASSIGN_OR_RETURN(auto center, internal::LoadRecord<v1::ServiceCenter>(
                                    s.tx(), internal::tables::kCenter,
                                    subject.center_id(), "center_id"));
  RETURN_IF_ERROR(internal::RequireCenterStaff(s.actor(), center.id(), action));
  auto of_center = [&](absl::string_view field, absl::string_view what,
                       absl::string_view id, absl::string_view its_center) {
    if (its_center == center.id()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": ", what, " '", id, "' belongs to center '", its_center,
        "', not the subject's center '", center.id(), "'"));
  };
  if (!subject.organization_id().empty()) {
    ASSIGN_OR_RETURN(auto org,
                     internal::LoadRecord<v1::Organization>(
                         s.tx(), internal::tables::kOrganization,
                         subject.organization_id(), "subject.organization_id"));
    RETURN_IF_ERROR(of_center("subject.organization_id", "organization",
                              org.id(), org.center_id()));
  }
  if (!subject.assignee_id().empty()) {
    ASSIGN_OR_RETURN(
        auto staff, internal::LoadRecord<v1::StaffMember>(
                        s.tx(), internal::tables::kStaff, subject.assignee_id(),
                        "subject.assignee_id"));
    RETURN_IF_ERROR(of_center("subject.assignee_id", "staff member", staff.id(),
                              staff.center_id()));
  }
  return absl::OkStatus();
}

// An instant a clock can store: infinite ones (and ones beyond int64
// nanoseconds) are not when anything happened.
absl::Status CheckInstant(absl::string_view field, absl::Time t) {
  if (ManualClock::Holds(t)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field,
                   ": must be a finite instant between 1677-09-21 and "
                   "2262-04-11"));
}

// StartClocks and Recompute: one transaction that checks the caller's own
// subject (CheckOwnSubject) before `fn` moves its clocks.
template <typename Fn>
absl::StatusOr<std::vector<v1::TargetClock>> WriteOwnSubject(
    internal::DeskContext* ctx, const Actor& actor,
    absl::string_view subject_id, const v1::SlaSubject& subject,
    absl::string_view action, Fn&& fn) {
  return ctx->Write(
      actor,
      [&](internal::TxScope& s)
          -> absl::StatusOr<std::vector<v1::TargetClock>> {
        RETURN_IF_ERROR(RefuseOwnedSubject(subject_id));
        RETURN_IF_ERROR(CheckOwnSubject(s, subject_id, subject, action));
        return internal::CopiesOf(fn(s));
      });
}

}  // namespace

absl::StatusOr<std::vector<v1::TargetClock>> Sla::StartClocks(
    const Actor& actor, absl::string_view subject_id,
    const v1::SlaSubject& subject, absl::Time start) {
  RETURN_IF_ERROR(CheckInstant("start", start));
  return WriteOwnSubject(
      ctx_, actor, subject_id, subject, "start SLA clocks in this center",
      [&](internal::TxScope& s) {
        return internal::StartClocksTx(*ctx_, s, subject_id, subject, start);
      });
}

absl::StatusOr<std::vector<v1::TargetClock>> Sla::Pause(
    const Actor& actor, absl::string_view subject_id, absl::Time at) {
  RETURN_IF_ERROR(CheckInstant("at", at));
  return ctx_->Write(
      actor,
      [&](internal::TxScope& s)
          -> absl::StatusOr<std::vector<v1::TargetClock>> {
        RETURN_IF_ERROR(RefuseOwnedSubject(subject_id));
        // Staff only: a contact learns nothing of which
        // subjects have clocks.
        RETURN_IF_ERROR(internal::RefuseClients(s.actor(), "pause SLA clocks"));
        return internal::CopiesOf(
            internal::PauseClocksTx(*ctx_, s, subject_id, at));
      });
}

absl::StatusOr<std::vector<v1::TargetClock>> Sla::Resume(
    const Actor& actor, absl::string_view subject_id, absl::Time at) {
  RETURN_IF_ERROR(CheckInstant("at", at));
  return ctx_->Write(actor,
                     [&](internal::TxScope& s)
                         -> absl::StatusOr<std::vector<v1::TargetClock>> {
                       RETURN_IF_ERROR(RefuseOwnedSubject(subject_id));
                       // Staff only: a contact learns nothing of which
                       // subjects have clocks.
                       RETURN_IF_ERROR(internal::RefuseClients(
                           s.actor(), "resume SLA clocks"));
                       return internal::CopiesOf(
                           internal::ResumeClocksTx(*ctx_, s, subject_id, at));
                     });
}

absl::StatusOr<v1::TargetClock> Sla::Stop(const Actor& actor,
                                          absl::string_view subject_id,
                                          v1::ClockKind kind, absl::Time at) {
  RETURN_IF_ERROR(CheckInstant("at", at));
  return ctx_->Write(
      actor, [&](internal::TxScope& s) -> absl::StatusOr<v1::TargetClock> {
        // After the actor is resolved: an unknown caller is refused first.
        RETURN_IF_ERROR(RefuseOwnedSubject(subject_id));
        RETURN_IF_ERROR(internal::RefuseClients(s.actor(), "stop SLA clocks"));
        return internal::CopyOf(
            internal::StopClockTx(*ctx_, s, subject_id, kind, at));
      });
}

absl::StatusOr<std::vector<v1::TargetClock>> Sla::Recompute(
    const Actor& actor, absl::string_view subject_id,
    const v1::SlaSubject& subject) {
  return WriteOwnSubject(
      ctx_, actor, subject_id, subject, "recompute SLA clocks in this center",
      [&](internal::TxScope& s) {
        return internal::RecomputeClocksTx(*ctx_, s, subject_id, subject);
      });
}

absl::StatusOr<std::vector<v1::TargetClock>> Sla::Clocks(
    const Actor& actor, absl::string_view subject_id) {
  return ctx_->Read(
      actor,
      [&](internal::TxScope& s)
          -> absl::StatusOr<std::vector<v1::TargetClock>> {
        ASSIGN_OR_RETURN(auto clocks, internal::LoadClocksTx(s, subject_id));
        const v1::SlaSubject& subj = clocks[0]->subject();
        // A contact is told of another organisation's clocks
        // what it is told of a subject without any.
        if (s.actor().IsContact() &&
            s.actor().organization_id != subj.organization_id())
          return absl::NotFoundError(
              absl::StrCat("subject_id: '", subject_id, "' has no SLA clocks"));
        RETURN_IF_ERROR(internal::RequireOrganizationReader(
            s.actor(), subj.center_id(), subj.organization_id(),
            "read these SLA clocks"));
        return internal::CopiesOf(clocks);
      });
}

absl::StatusOr<TickResult> Sla::Tick(const Actor& actor, absl::Time now,
                                     size_t max_clocks) {
  RETURN_IF_ERROR(CheckInstant("now", now));
  constexpr size_t kBatch = 1000;
  TickResult result;
  ScanRange cursor;
  size_t examined = 0;
  while (max_clocks == 0 || examined < max_clocks) {
    size_t limit =
        max_clocks == 0 ? kBatch : std::min(kBatch, max_clocks - examined);
    TickResult batch;
    ScanRange batch_cursor = cursor;
    // Several desks may tick one store: a conflicting commit is retried, and
    // the retry sees the flags the other desk set, so nothing is raised twice.
    absl::StatusOr<size_t> n;
    for (int attempt = 0; attempt < 5; ++attempt) {
      batch = TickResult();
      batch_cursor = cursor;
      n = ctx_->Write(
          actor, [&](internal::TxScope& s) -> absl::StatusOr<size_t> {
            RETURN_IF_ERROR(
                internal::RequireNetworkAdmin(s.actor(), "run the SLA tick"));
            s.OnCommit([&](const std::vector<v1::Event>& events) {
              batch.events = events;
            });
            return internal::TickBatchTx(*ctx_, s, now, limit, &batch_cursor,
                                         &batch);
          });
      if (!absl::IsAborted(n.status())) break;
    }
    if (!n.ok()) return n.status();
    cursor = batch_cursor;
    result.warnings += batch.warnings;
    result.breaches += batch.breaches;
    result.escalations += batch.escalations;
    for (auto& e : batch.events) result.events.push_back(std::move(e));
    examined += *n;
    if (*n < limit) break;
  }
  return result;
}

}  // namespace servicedesk
