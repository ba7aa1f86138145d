// Injected time. Every service reads "now" from a Clock so that tests and
// simulations control time exactly.
//
// Example:
//   servicedesk::ManualClock clock(absl::FromCivil(
//       absl::CivilSecond(2025, 3, 3, 9, 0, 0), absl::UTCTimeZone()));
//   options.clock = &clock;          // the desk reads time from `clock`
//   clock.Advance(absl::Hours(1));
#ifndef SERVICEDESK_CLOCK_H_
#define SERVICEDESK_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"
#include "servicedesk/export.h"

namespace servicedesk {

// The source of the current time. Implementations must be thread-safe.
class SD_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The system's real-time clock. Thread-safe. Get one with SystemClock().
SD_EXPORT Clock* SystemClock();

// A clock that moves only when told to. Thread-safe (atomic). It holds int64
// nanoseconds since the Unix epoch: the constructor, Set and Advance stop at
// the ends of that range (1677-09-21 and 2262-04-11) rather than wrap.
class SD_EXPORT ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start);
  absl::Time Now() const override;
  void Set(absl::Time t);
  void Advance(absl::Duration d);
  // Advance, unless it would leave that range: then false, and the clock
  // stays where it was (decided atomically with the move).
  bool TryAdvance(absl::Duration d);
  // Whether `t` lies in that range (what a caller may set without it
  // stopping at an end).
  static bool Holds(absl::Time t);

 private:
  std::atomic<int64_t> nanos_;  // since the Unix epoch
};

}  // namespace servicedesk

#endif  // SERVICEDESK_CLOCK_H_
