#include "servicedesk/clock.h"

#include <cstdint>
#include <limits>

#include "absl/time/clock.h"

namespace servicedesk {
namespace {
class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};
}  // namespace

Clock* SystemClock() {
  static RealClock* clock = new RealClock();
  return clock;
}

ManualClock::ManualClock(absl::Time start) : nanos_(absl::ToUnixNanos(start)) {}

absl::Time ManualClock::Now() const {
  return absl::FromUnixNanos(nanos_.load());
}

void ManualClock::Set(absl::Time t) { nanos_.store(absl::ToUnixNanos(t)); }

void ManualClock::Advance(absl::Duration d) {
  // Saturating, as Set is: a plain add would wrap into another century.
  int64_t now = nanos_.load();
  while (!nanos_.compare_exchange_weak(
      now, absl::ToUnixNanos(absl::FromUnixNanos(now) + d))) {
  }
}

bool ManualClock::Holds(absl::Time t) {
  return t >= absl::FromUnixNanos(std::numeric_limits<int64_t>::min()) &&
         t <= absl::FromUnixNanos(std::numeric_limits<int64_t>::max());
}

bool ManualClock::TryAdvance(absl::Duration d) {
  int64_t now = nanos_.load();
  for (;;) {
    const absl::Time to = absl::FromUnixNanos(now) + d;
    if (!Holds(to)) return false;
    if (nanos_.compare_exchange_weak(now, absl::ToUnixNanos(to))) return true;
  }
}

}  // namespace servicedesk
