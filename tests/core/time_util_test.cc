// FormatUtcSeconds writes what absl::FormatTime(RFC3339_sec, UTC) writes.
#include "lib/core/time_util.h"

#include <random>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace servicedesk::internal {
namespace {

std::string Reference(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

TEST(FormatUtcSecondsTest, MatchesAbslOnEdgesAndRandomInstants) {
  const absl::Time edges[] = {
      absl::UnixEpoch(),
      absl::UnixEpoch() - absl::Nanoseconds(1),  // floors to 23:59:59
      absl::FromUnixSeconds(1740981600) + absl::Milliseconds(999),
      absl::FromCivil(absl::CivilSecond(0, 1, 1, 0, 0, 0), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59),
                      absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(-1, 12, 31, 23, 59, 59),
                      absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0),
                      absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilSecond(2024, 2, 29, 12, 0, 0),
                      absl::UTCTimeZone()),
      absl::InfiniteFuture(),
      absl::InfinitePast(),
  };
  for (absl::Time t : edges) EXPECT_EQ(FormatUtcSeconds(t), Reference(t));
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> micros(-70'000'000'000'000'000,
                                                250'000'000'000'000'000);
  for (int i = 0; i < 20000; ++i) {
    const absl::Time t = absl::FromUnixMicros(micros(rng));
    ASSERT_EQ(FormatUtcSeconds(t), Reference(t)) << absl::ToUnixMicros(t);
  }
}

}  // namespace
}  // namespace servicedesk::internal
