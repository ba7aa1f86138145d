// The machinery every service method runs on: one store transaction per call,
// the resolved actor, audit events appended in the same transaction, and
// delivery to subscribers after commit.
#ifndef SERVICEDESK_LIB_CORE_DESK_CONTEXT_H_
#define SERVICEDESK_LIB_CORE_DESK_CONTEXT_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/arena.h"
#include "lib/core/status_macros.h"
#include "lib/core/time_util.h"
#include "servicedesk/calendar.h"
#include "servicedesk/clock.h"
#include "servicedesk/desk.h"
#include "servicedesk/proto/audit.pb.h"
#include "servicedesk/proto/org.pb.h"
#include "servicedesk/store.h"

namespace servicedesk::internal {

// An actor as the store knows it: roles, center and organisation come from
// the records, never from the caller.
struct ResolvedActor {
  enum class Kind { kAdmin, kSystem, kStaff, kContact };
  Kind kind = Kind::kAdmin;
  std::string id;
  std::string center_id;        // staff: own center; contact: its org's center
  std::string organization_id;  // contact only
  std::vector<int> roles;       // staff only (v1::StaffRole values)

  bool IsNetworkWide() const {
    return kind == Kind::kAdmin || kind == Kind::kSystem;
  }
  bool IsStaff() const { return kind == Kind::kStaff; }
  bool IsContact() const { return kind == Kind::kContact; }
  bool HasRole(v1::StaffRole role) const;
};

absl::Status PermissionDenied(const ResolvedActor& actor,
                              absl::string_view what);

// One entry of an event's details map.
using EventDetail = std::pair<absl::string_view, absl::string_view>;
using EventDetails = absl::InlinedVector<EventDetail, 8>;

// Views of `m`'s entries (valid while `m` is).
template <typename Map>
EventDetails DetailViews(const Map& m) {
  return EventDetails(m.begin(), m.end());
}

class TxScope {
 public:
  // `actor_proto` (the caller's actor, recorded in events) must outlive the
  // scope. A scope nested in `outer` (same transaction, another actor)
  // shares its arena.
  TxScope(Transaction* tx, ResolvedActor actor, const v1::Actor& actor_proto,
          absl::Time now, TxScope* outer = nullptr);
  ~TxScope();
  TxScope(const TxScope&) = delete;
  TxScope& operator=(const TxScope&) = delete;

  Transaction& tx() { return *tx_; }

  // Where messages that live only during this call are allocated (records
  // loaded to be changed and saved, records read for reference): they are
  // freed all at once when the outermost scope ends (only their string
  // fields run destructors), and the first 64 KiB come from a block the
  // thread reuses. Nothing allocated here may be returned to the caller:
  // copy it out.
  google::protobuf::Arena* arena();
  const ResolvedActor& actor() const { return actor_; }
  absl::Time now() const { return now_; }
  // True when the instants this scope hands the SLA engine are the desk's
  // own now (a request or dialog moving its clocks), not a caller's claim:
  // such a now may fall before a clock's last transition only because two
  // processes' clocks disagree, and the transition is then taken at it.
  bool desk_time() const { return desk_time_; }
  void set_desk_time(bool desk_time) { desk_time_ = desk_time; }

  // Records an audit event (time and actor filled in); appended at commit of
  // this transaction. `details` (key, value) pairs are copied.
  void Emit(absl::string_view entity_type, absl::string_view entity_id,
            absl::string_view action, int64_t entity_version,
            absl::string_view center_id, absl::string_view organization_id,
            absl::Span<const EventDetail> details = {});

  // A fresh id "<prefix>-<n>" from the store sequence named `prefix`.
  absl::StatusOr<std::string> NewId(absl::string_view prefix);

  // The events emitted so far, serialized v1::Event messages (seq unset):
  // events are encoded once, where they are emitted, and parsed again only
  // for subscribers.
  std::vector<std::string>& event_payloads() { return payloads_; }
  // Moves `inner`'s events after this scope's.
  void TakeEvents(TxScope& inner);

  // Called after a successful commit with this scope's events (seq set).
  void OnCommit(std::function<void(const std::vector<v1::Event>&)> fn) {
    on_commit_ = std::move(fn);
  }
  bool HasOnCommit() const { return static_cast<bool>(on_commit_); }
  void RunOnCommit(const std::vector<v1::Event>& events) {
    if (on_commit_) on_commit_(events);
  }

 private:
  std::function<void(const std::vector<v1::Event>&)> on_commit_;
  Transaction* tx_;
  ResolvedActor actor_;
  const v1::Actor* actor_proto_;
  absl::Time now_;
  // Fields 2 (time) and 3 (actor) of every event of this scope, encoded at
  // the first Emit (most read calls emit nothing).
  const std::string& EventHeader();
  std::string header_;
  std::vector<std::string> payloads_;
  bool desk_time_ = false;
  TxScope* outer_;
  struct ScratchArena;
  std::unique_ptr<ScratchArena> arena_;  // created on first use
};

// Subscribers to committed events. Unsubscribe returns once the callback
// runs on no other thread and will not be called again, so that a caller
// may free what the callback uses (the C ABI's payload, a Python thunk).
// Callbacks may subscribe and unsubscribe, themselves included. A commit a
// callback makes on this bus's desk is delivered after the commit being
// delivered, so every subscriber sees one thread's commits in seq order.
class EventBus {
 public:
  int64_t Subscribe(std::function<void(const v1::Event&)> cb);
  void Unsubscribe(int64_t id);
  void Publish(const std::vector<v1::Event>& events);
  bool HasSubscribers();

 private:
  struct Subscription {
    explicit Subscription(std::function<void(const v1::Event&)> f)
        : callback(std::move(f)) {}
    const std::function<void(const v1::Event&)> callback;
    absl::Mutex mu;
    bool active ABSL_GUARDED_BY(mu) = true;
    int running ABSL_GUARDED_BY(mu) = 0;  // calls in progress, all threads
    // Of those, calls inside Unsubscribe of this subscription.
    int unsubscribing_inside ABSL_GUARDED_BY(mu) = 0;
  };
  // Calls `sub` with `e` unless it was unsubscribed.
  static void Deliver(Subscription& sub, const v1::Event& e);
  std::vector<std::shared_ptr<Subscription>> Subscribers();
  struct Publishing;
  static thread_local std::vector<Publishing*> publishing_;

  absl::Mutex mu_;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<int64_t, std::shared_ptr<Subscription>> subs_ ABSL_GUARDED_BY(mu_);
};

template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }

// Compiled business calendars by id, reused while the stored version is the
// same (compiling precomputes years of intervals).
class CalendarCache {
 public:
  // The compiled calendar for `spec` (id + version), compiling on a miss.
  absl::StatusOr<std::shared_ptr<const BusinessCalendar>> Get(
      const v1::BusinessCalendar& spec);
  // The compiled calendar of stored version `version` of calendar `id`, or
  // null: lets callers skip parsing a spec (holiday lists are long) that
  // has not changed.
  std::shared_ptr<const BusinessCalendar> Find(absl::string_view id,
                                               int64_t version);

 private:
  absl::Mutex mu_;
  std::map<std::string,
           std::pair<int64_t, std::shared_ptr<const BusinessCalendar>>,
           std::less<>>
      by_id_ ABSL_GUARDED_BY(mu_);
};

// Staff actors resolved before, by id, reused while the staff record's stored
// version is the same (every call resolves its actor).
class StaffActorCache {
 public:
  bool Find(absl::string_view id, int64_t version, ResolvedActor* out);
  void Put(int64_t version, const ResolvedActor& actor);

 private:
  static constexpr size_t kMaxEntries = 10000;  // then start over
  absl::Mutex mu_;
  std::map<std::string, std::pair<int64_t, ResolvedActor>, std::less<>> by_id_
      ABSL_GUARDED_BY(mu_);
};

struct DeskContext {
  std::unique_ptr<Store> store;
  Clock* clock = nullptr;
  EventBus bus;
  CalendarCache calendars;
  StaffActorCache staff_actors;
  RequestOptions request_options;

  // Resolves `actor` inside `tx` (PERMISSION_DENIED for unknown or inactive
  // principals, INVALID_ARGUMENT for none).
  absl::StatusOr<ResolvedActor> Resolve(Transaction& tx,
                                        const v1::Actor& actor);

  // Runs fn(TxScope&) in one read-write transaction; commits only if fn
  // succeeded, then publishes the events. fn returns Status or StatusOr<T>.
  template <typename Fn>
  auto Write(const v1::Actor& actor, Fn&& fn)
      -> std::invoke_result_t<Fn, TxScope&> {
    return Run(TxMode::kReadWrite, actor, std::forward<Fn>(fn));
  }
  // Same, read-only; fn must not Put or Emit.
  template <typename Fn>
  auto Read(const v1::Actor& actor, Fn&& fn)
      -> std::invoke_result_t<Fn, TxScope&> {
    return Run(TxMode::kReadOnly, actor, std::forward<Fn>(fn));
  }

 private:
  template <typename Fn>
  auto Run(TxMode mode, const v1::Actor& actor, Fn&& fn)
      -> std::invoke_result_t<Fn, TxScope&> {
    auto tx = store->Begin(mode);
    if (!tx.ok()) return tx.status();
    // Read once the store serializes writers (its write lock is held), so
    // that the instants of writes follow their commit order: two chat
    // messages posted at once are stamped in the order they are stored.
    const absl::Time now = clock->Now();
    auto resolved = Resolve(**tx, actor);
    if (!resolved.ok()) return resolved.status();
    TxScope scope(tx->get(), *std::move(resolved), actor, now);
    auto result = fn(scope);
    if (!StatusOf(result).ok()) return result;
    absl::Status committed = Finish(scope, mode);
    if (!committed.ok()) return committed;
    return result;
  }
  // Appends the scope's events, commits, assigns seqs and publishes.
  absl::Status Finish(TxScope& scope, TxMode mode);
};

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_CORE_DESK_CONTEXT_H_
