// FormatUtc writes what protobuf's JSON form of a Timestamp writes
// (google::protobuf::util::TimeUtil::ToString), so event details and the
// records' Timestamp fields read alike; ManualClock keeps to its range.
#include "lib/core/time_util.h"

#include <cstdint>
#include <random>

#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "servicedesk/clock.h"

namespace servicedesk::internal {
namespace {

std::string Reference(absl::Time t) {
  return google::protobuf::util::TimeUtil::ToString(ToProto(t));
}

absl::Time Utc(int64_t y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         absl::UTCTimeZone());
}

TEST(FormatUtcTest, MatchesProtobufJsonOnEdgesAndRandomInstants) {
  const absl::Time edges[] = {
      absl::UnixEpoch(),
      absl::UnixEpoch() - absl::Nanoseconds(1),  // 23:59:59.999999999
      absl::FromUnixSeconds(1740981600) + absl::Milliseconds(999),
      absl::FromUnixSeconds(1740981600) + absl::Microseconds(490785),
      absl::FromUnixSeconds(1740981600) + absl::Nanoseconds(1),
      absl::FromUnixSeconds(1740981600) + absl::Microseconds(1000),
      Utc(1000, 1, 1, 0, 0, 0),
      Utc(1, 1, 1, 0, 0, 0),
      Utc(999, 12, 31, 23, 59, 59) + absl::Milliseconds(5),
      Utc(9999, 12, 31, 23, 59, 59) + absl::Nanoseconds(999999999),
      Utc(2024, 2, 29, 12, 0, 0),
  };
  for (absl::Time t : edges) EXPECT_EQ(FormatUtc(t), Reference(t));
  EXPECT_EQ(
      FormatUtc(absl::FromUnixSeconds(1740981600) + absl::Microseconds(490785)),
      "2025-03-03T06:00:00.490785Z");
  std::mt19937_64 rng(7);
  // Years 1-9999 (a Timestamp's range), with nanosecond, microsecond,
  // millisecond and whole second instants.
  std::uniform_int_distribution<int64_t> seconds(-62'135'596'800LL,
                                                 253'402'300'799LL);
  std::uniform_int_distribution<int64_t> nanos(0, 999'999'999);
  const int64_t steps[] = {1, 1000, 1000000, 1000000000};
  for (int i = 0; i < 20000; ++i) {
    const int64_t step = steps[i % 4];
    const absl::Time t = absl::FromUnixSeconds(seconds(rng)) +
                         absl::Nanoseconds(nanos(rng) / step * step);
    ASSERT_EQ(FormatUtc(t), Reference(t)) << absl::ToUnixNanos(t);
  }
}

TEST(FormatUtcTest, InstantsOutsideFourDigitYearsStillRead) {
  EXPECT_EQ(FormatUtc(absl::InfiniteFuture()), "infinite-future");
  EXPECT_EQ(FormatUtc(absl::InfinitePast()), "infinite-past");
  EXPECT_EQ(FormatUtc(Utc(10000, 1, 1, 0, 0, 0) + absl::Milliseconds(5)),
            "10000-01-01T00:00:00.005Z");
}

}  // namespace
}  // namespace servicedesk::internal

namespace servicedesk {
namespace {

// A manual clock holds int64 nanoseconds: it stops at the ends rather than
// wrap into another century, and TryAdvance refuses to leave them.
TEST(ManualClockTest, StopsAtTheEndsOfItsRange) {
  const absl::Time max = absl::FromUnixNanos(INT64_MAX);
  ManualClock clock(max - absl::Nanoseconds(5));
  EXPECT_FALSE(clock.TryAdvance(absl::Nanoseconds(6)));
  EXPECT_EQ(clock.Now(), max - absl::Nanoseconds(5));
  EXPECT_TRUE(clock.TryAdvance(absl::Nanoseconds(5)));
  EXPECT_EQ(clock.Now(), max);
  clock.Advance(absl::Hours(1));
  EXPECT_EQ(clock.Now(), max);
  clock.Set(absl::FromUnixNanos(INT64_MIN) + absl::Nanoseconds(1));
  clock.Advance(-absl::Hours(1));
  EXPECT_EQ(clock.Now(), absl::FromUnixNanos(INT64_MIN));
  clock.Set(absl::FromCivil(absl::CivilSecond(2300, 1, 1, 0, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(clock.Now(), max);
}

}  // namespace
}  // namespace servicedesk
