// The audit log and event subscriptions.
//
// Every mutation appends an Event in the same transaction. List() reads them
// back in commit order; Subscribe() registers a callback invoked after each
// commit, on the committing thread, with the events of that commit — so an
// embedding application can send mail or push messages.
//
// Who may call List: administrators see every event; staff see events of their
// own center; client contacts see events concerning their own organisation.
// Thread-safe. Callbacks may call any desk method (the transaction is already
// committed), Subscribe and Unsubscribe included. Order: each subscriber sees
// the commits made on one thread in seq order. A desk call a callback makes
// commits and returns at once, but its events are delivered — to the
// subscribers there were when it committed — after the rest of the commit
// being delivered; commits on other threads are delivered by those threads,
// so across threads a subscriber may see a higher seq first (sort by seq, or
// read List, which is in commit order). A callback that throws costs no other
// subscriber its events; the desk call that committed rethrows the first
// exception once every event is delivered.
#ifndef SERVICEDESK_EVENTS_H_
#define SERVICEDESK_EVENTS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "servicedesk/common.h"
#include "servicedesk/export.h"
#include "servicedesk/proto/audit.pb.h"

namespace servicedesk {
namespace internal {
struct DeskContext;
}

class SD_EXPORT Events {
 public:
  explicit Events(internal::DeskContext* ctx) : ctx_(ctx) {}

  // Events with seq > after_seq visible to the actor, in seq order, at most
  // `limit` and never more than 1000 per call (0 = 1000): read on with
  // after_seq = the last seq returned. INVALID_ARGUMENT: negative after_seq.
  absl::StatusOr<std::vector<v1::Event>> List(const Actor& actor,
                                              int64_t after_seq,
                                              size_t limit = 0);

  using Callback = std::function<void(const v1::Event&)>;
  // Returns a subscription id for Unsubscribe. Events of commits made by this
  // Desk object are delivered (other processes' commits: poll List), from
  // the calls that start committing after Subscribe returns; a call already
  // committing on another thread may finish without telling the new
  // subscriber (List has its events).
  // A subscription made inside a callback gets the events of later commits
  // (not those of a commit that callback made before subscribing).
  int64_t Subscribe(Callback callback);
  // When Unsubscribe returns, the callback runs on no other thread and is
  // not called again, so what it uses may be freed. Called from inside the
  // callback itself, the callback gets no further event, not even the rest
  // of the commit being delivered, and Unsubscribe waits only for runs of
  // the callback on other threads that are not themselves unsubscribing
  // from inside (so a one-shot callback running on two threads at once may
  // unsubscribe on both); such a run must not wait for the thread calling
  // Unsubscribe. An unknown id is ignored.
  void Unsubscribe(int64_t subscription_id);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_EVENTS_H_
