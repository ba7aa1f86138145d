#include "servicedesk/events.h"

#include "absl/strings/str_cat.h"
#include "lib/core/desk_context.h"
#include "lib/core/status_macros.h"

namespace servicedesk {
namespace {
bool Visible(const internal::ResolvedActor& a, const v1::Event& e) {
  if (a.IsNetworkWide()) return true;
  if (a.IsStaff())
    return !e.center_id().empty() && e.center_id() == a.center_id;
  return !e.organization_id().empty() &&
         e.organization_id() == a.organization_id;
}
}  // namespace

absl::StatusOr<std::vector<v1::Event>> Events::List(const Actor& actor,
                                                    int64_t after_seq,
                                                    size_t limit) {
  if (after_seq < 0)
    return absl::InvalidArgumentError("after_seq: must not be negative");
  if (limit == 0 || limit > 1000) limit = 1000;
  return ctx_->Read(
      actor,
      [&](internal::TxScope& s) -> absl::StatusOr<std::vector<v1::Event>> {
        std::vector<v1::Event> out;
        int64_t cursor = after_seq;
        // Reads past events the actor may not see, in batches, until the page
        // is full or the log ends.
        while (out.size() < limit) {
          ASSIGN_OR_RETURN(auto batch, ctx_->store->ReadEvents(cursor, 512));
          for (StoredEvent& se : batch) {
            cursor = se.seq;
            v1::Event e;
            if (!e.ParseFromString(se.payload))
              return absl::DataLossError(
                  absl::StrCat("event ", se.seq, ": unreadable"));
            e.set_seq(se.seq);
            if (!Visible(s.actor(), e)) continue;
            out.push_back(std::move(e));
            if (out.size() == limit) break;
          }
          if (batch.size() < 512) break;
        }
        return out;
      });
}

int64_t Events::Subscribe(Callback callback) {
  return ctx_->bus.Subscribe(std::move(callback));
}

void Events::Unsubscribe(int64_t subscription_id) {
  ctx_->bus.Unsubscribe(subscription_id);
}

}  // namespace servicedesk
