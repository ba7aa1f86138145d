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
// committed), Subscribe and Unsubscribe included.
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
  // `limit` (0 = 1000). INVALID_ARGUMENT: negative after_seq.
  absl::StatusOr<std::vector<v1::Event>> List(const Actor& actor,
                                              int64_t after_seq,
                                              size_t limit = 0);

  using Callback = std::function<void(const v1::Event&)>;
  // Returns a subscription id for Unsubscribe. Events of commits made by this
  // Desk object are delivered (other processes' commits: poll List), from
  // the calls that start committing after Subscribe returns; a call already
  // committing on another thread may finish without telling the new
  // subscriber (List has its events).
  // A subscription made inside a callback gets the events of later commits.
  int64_t Subscribe(Callback callback);
  // When Unsubscribe returns, the callback runs on no other thread and is
  // not called again, so what it uses may be freed. Called from inside the
  // callback itself, it returns at once and the callback gets no further
  // event, not even the rest of the commit being delivered. (It waits for
  // callbacks running on other threads: one of those must not wait for the
  // thread calling Unsubscribe.) An unknown id is ignored.
  void Unsubscribe(int64_t subscription_id);

 private:
  internal::DeskContext* ctx_;
};

}  // namespace servicedesk

#endif  // SERVICEDESK_EVENTS_H_
