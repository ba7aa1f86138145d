#include "servicedesk/calendar.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace servicedesk {
namespace {

using ::testing::HasSubstr;

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

absl::Time Local(const std::string& zone, int y, int mo, int d, int h, int mi,
                 int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), Zone(zone));
}

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

BusinessCalendar FromText(const std::string& text) {
  absl::StatusOr<v1::BusinessCalendar> spec = ParseCalendarText(text);
  EXPECT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<BusinessCalendar> cal = BusinessCalendar::Create(*spec);
  EXPECT_TRUE(cal.ok()) << cal.status();
  return *std::move(cal);
}

BusinessCalendar NineToSix(const std::string& zone) {
  return FromText("zone " + zone + "\nmon-fri 09:00-18:00\n");
}

// --- The public helpdesk cases -------------------------------------------

TEST(CalendarKnownCases, BerlinSplitDayFiveHours) {
  const BusinessCalendar cal =
      FromText("zone Europe/Berlin\nmon-fri 08:00-13:00 14:00-18:00\n");
  EXPECT_EQ(
      cal.Add(Local("Europe/Berlin", 2016, 2, 1, 12, 25, 30), absl::Hours(5)),
      Local("Europe/Berlin", 2016, 2, 2, 8, 25, 30));
}

TEST(CalendarKnownCases, MoscowTwoBusinessHoursOvernight) {
  // 22:00Z is 01:00 MSK (UTC+3 in 2007); 09:00 MSK = 06:00Z, plus 2 h.
  EXPECT_EQ(NineToSix("Europe/Moscow")
                .Add(Utc(2007, 1, 1, 22, 0), absl::Minutes(120)),
            Utc(2007, 1, 2, 8, 0));
}

TEST(CalendarKnownCases, NewYorkTwoBusinessHoursOvernight) {
  // 22:00Z is 17:00 EST: one hour today, one from 09:00 EST (14:00Z).
  EXPECT_EQ(NineToSix("America/New_York")
                .Add(Utc(2007, 1, 1, 22, 0), absl::Minutes(120)),
            Utc(2007, 1, 2, 15, 0));
}

// --- Add at the edges ------------------------------------------------------

class NineToSixMoscow : public ::testing::Test {
 protected:
  static absl::Time M(int d, int h, int mi = 0, int s = 0) {
    return Local("Europe/Moscow", 2025, 6, d, h, mi, s);  // 2025-06-02 Mon
  }
  const BusinessCalendar cal_ = NineToSix("Europe/Moscow");
};

TEST_F(NineToSixMoscow, DeadlineAtClosingStaysAtClosing) {
  EXPECT_EQ(cal_.Add(M(2, 17), absl::Hours(1)), M(2, 18));
  EXPECT_EQ(cal_.Add(M(2, 9), absl::Hours(9)), M(2, 18));
  // Friday's closing, not Monday's opening.
  EXPECT_EQ(cal_.Add(M(6, 10), absl::Hours(8)), M(6, 18));
}

TEST_F(NineToSixMoscow, ZeroDuration) {
  EXPECT_EQ(cal_.Add(M(2, 18), absl::ZeroDuration()), M(3, 9));  // closing
  EXPECT_EQ(cal_.Add(M(2, 12, 34, 56), absl::ZeroDuration()),
            M(2, 12, 34, 56));                                   // inside
  EXPECT_EQ(cal_.Add(M(2, 9), absl::ZeroDuration()), M(2, 9));   // opening
  EXPECT_EQ(cal_.Add(M(2, 3), absl::ZeroDuration()), M(2, 9));   // night
  EXPECT_EQ(cal_.Add(M(6, 18), absl::ZeroDuration()), M(9, 9));  // weekend
  EXPECT_EQ(cal_.NextOpening(M(7, 12)), M(9, 9));
}

TEST_F(NineToSixMoscow, OneSecondPastOpeningAndBeforeClosing) {
  EXPECT_EQ(cal_.Add(M(2, 17, 59, 59), absl::Seconds(1)), M(2, 18));
  EXPECT_EQ(cal_.Add(M(2, 17, 59, 59), absl::Seconds(2)), M(3, 9, 0, 1));
  EXPECT_EQ(cal_.Add(M(2, 8, 59, 59), absl::Seconds(1)), M(2, 9, 0, 1));
}

TEST_F(NineToSixMoscow, SpansWeekend) {
  EXPECT_EQ(cal_.Add(M(6, 17), absl::Hours(2)), M(9, 10));
  EXPECT_EQ(cal_.Between(M(6, 17), M(9, 10)), absl::Hours(2));
  EXPECT_EQ(cal_.Add(M(2, 9), absl::Hours(45)), M(6, 18));  // a whole week
  EXPECT_EQ(cal_.Add(M(2, 9), absl::Hours(45) + absl::Seconds(1)),
            M(9, 9, 0, 1));
}

TEST_F(NineToSixMoscow, BetweenIsSignedAndIgnoresClosedTime) {
  EXPECT_EQ(cal_.Between(M(2, 8), M(2, 20)), absl::Hours(9));
  EXPECT_EQ(cal_.Between(M(2, 20), M(2, 8)), -absl::Hours(9));
  EXPECT_EQ(cal_.Between(M(2, 18), M(3, 9)), absl::ZeroDuration());
  EXPECT_EQ(cal_.Between(M(2, 12), M(2, 12)), absl::ZeroDuration());
  // Met, not breached: due 18:00 Monday, answered 08:45 Tuesday.
  EXPECT_EQ(cal_.Between(M(2, 9), M(3, 8, 45)), absl::Hours(9));
}

TEST_F(NineToSixMoscow, IsOpenIncludesOpeningExcludesClosing) {
  EXPECT_TRUE(cal_.IsOpen(M(2, 9)));
  EXPECT_TRUE(cal_.IsOpen(M(2, 17, 59, 59)));
  EXPECT_FALSE(cal_.IsOpen(M(2, 18)));
  EXPECT_FALSE(cal_.IsOpen(M(2, 8, 59, 59)));
  EXPECT_FALSE(cal_.IsOpen(M(7, 12)));  // Saturday
}

TEST_F(NineToSixMoscow, SubSecondInstants) {
  const absl::Duration half = absl::Milliseconds(500);
  EXPECT_EQ(cal_.Add(M(2, 17, 59, 59) + half, absl::Seconds(1)),
            M(3, 9) + half);
  EXPECT_EQ(cal_.Add(M(2, 17, 59, 59) + half, half), M(2, 18));
  EXPECT_EQ(cal_.Between(M(2, 8, 59, 59) + half, M(2, 9) + half), half);
  EXPECT_TRUE(cal_.IsOpen(M(2, 17, 59, 59) + half));
  EXPECT_FALSE(cal_.IsOpen(M(2, 8, 59, 59) + half));
  EXPECT_EQ(cal_.NextOpening(M(2, 8, 59, 59) + half), M(2, 9));
  EXPECT_EQ(cal_.Add(M(2, 9), absl::Nanoseconds(1)),
            M(2, 9) + absl::Nanoseconds(1));
}

TEST_F(NineToSixMoscow, NegativeDurationGoesBackwards) {
  EXPECT_EQ(cal_.Add(M(3, 10), -absl::Hours(2)), M(2, 17));
  // Landing on an opening stays there (mirror of "closing stays closing").
  EXPECT_EQ(cal_.Add(M(3, 10), -absl::Hours(1)), M(3, 9));
  EXPECT_EQ(cal_.Add(M(9, 9), -absl::Seconds(1)), M(6, 17, 59, 59));
  EXPECT_EQ(cal_.Add(M(3, 3), -absl::Hours(9)), M(2, 9));
}

// --- Holidays and special days ----------------------------------------------

TEST(CalendarOverrides, HolidayAndSpecialDays) {
  const BusinessCalendar cal = FromText(R"(zone Europe/Moscow
mon-fri 09:00-18:00
holiday 2025-11-03 Day off moved from Saturday 2025-11-01
holiday 2025-11-04 National Unity Day
special 2025-11-01 09:00-17:00 transferred Working Saturday, shortened
special 2025-10-31 10:00-12:00 other Short Friday
)");
  auto m = [](int mo, int d, int h) {
    return Local("Europe/Moscow", 2025, mo, d, h, 0);
  };
  // Friday 10-31 is 10:00-12:00 only.
  EXPECT_EQ(cal.Add(m(10, 31, 9), absl::Hours(1)), m(10, 31, 11));
  EXPECT_EQ(cal.Add(m(10, 31, 11), absl::Hours(1)), m(10, 31, 12));
  EXPECT_FALSE(cal.IsOpen(m(10, 31, 9)));
  // Saturday works 09:00-17:00; then Sunday, Monday, Tuesday are closed.
  EXPECT_EQ(cal.Add(m(10, 31, 12), absl::Hours(8)), m(11, 1, 17));
  EXPECT_EQ(cal.Add(m(10, 31, 12), absl::Hours(9)), m(11, 5, 10));
  EXPECT_EQ(cal.Between(m(10, 30, 0), m(11, 6, 0)), absl::Hours(9 + 2 + 8 + 9));
  EXPECT_FALSE(cal.IsOpen(m(11, 3, 10)));
  EXPECT_EQ(cal.NextOpening(m(11, 1, 17)), m(11, 5, 9));
}

TEST(CalendarOverrides, ClosedSpecialDayAndWeekendOnlyHours) {
  const BusinessCalendar cal = FromText(R"(zone UTC
sat-sun 00:00-24:00
special 2025-06-07 closed other Inventory
)");
  // Saturday 2025-06-07 closed, Sunday open around the clock.
  EXPECT_EQ(cal.NextOpening(Utc(2025, 6, 2, 0, 0)), Utc(2025, 6, 8, 0, 0));
  EXPECT_EQ(cal.Add(Utc(2025, 6, 8, 0, 0), absl::Hours(24)),
            Utc(2025, 6, 9, 0, 0));  // Sunday's 24:00 is its closing
  EXPECT_EQ(cal.Add(Utc(2025, 6, 8, 0, 0), absl::Hours(25)),
            Utc(2025, 6, 14, 1, 0));
  // 24:00 Sunday touches 00:00 Saturday a week later only via the week.
  EXPECT_EQ(cal.Between(Utc(2025, 6, 14, 0, 0), Utc(2025, 6, 16, 0, 0)),
            absl::Hours(48));
}

TEST(CalendarOverrides, MidnightSpanningHoursAreContinuous) {
  const BusinessCalendar cal = FromText(R"(zone Asia/Vladivostok
mon 22:00-24:00
tue 00:00-02:00
)");
  auto v = [](int d, int h) {
    return Local("Asia/Vladivostok", 2025, 6, d, h, 0);
  };
  EXPECT_EQ(cal.Add(v(2, 23), absl::Hours(2)), v(3, 1));
  EXPECT_TRUE(cal.IsOpen(v(3, 0)));
  EXPECT_EQ(cal.NextOpening(v(3, 0)), v(3, 0));
  EXPECT_EQ(cal.Add(v(2, 22), absl::Hours(4)), v(3, 2));
  EXPECT_EQ(cal.Add(v(2, 22), absl::Hours(4) + absl::Seconds(1)),
            v(9, 22) + absl::Seconds(1));
}

// --- Time zones and DST -----------------------------------------------------

TEST(CalendarDst, AroundTheClockDaysHaveRealLength) {
  const BusinessCalendar cal =
      FromText("zone Europe/Berlin\nmon-sun 00:00-24:00\n");
  auto b = [](int mo, int d) {
    return Local("Europe/Berlin", 2016, mo, d, 0, 0);
  };
  EXPECT_EQ(cal.Between(b(3, 27), b(3, 28)), absl::Hours(23));
  EXPECT_EQ(cal.Between(b(10, 30), b(10, 31)), absl::Hours(25));
  EXPECT_EQ(cal.Add(b(3, 27), absl::Hours(23)), b(3, 28));
}

TEST(CalendarDst, IntervalInsideSpringGapIsEmpty) {
  // Berlin 2016-03-27: 02:00 CET jumps to 03:00 CEST (01:00Z).
  const BusinessCalendar cal = FromText(R"(zone Europe/Berlin
sun 02:00-02:59 10:00-11:00
)");
  const absl::Time ten = Local("Europe/Berlin", 2016, 3, 27, 10, 0);
  EXPECT_EQ(cal.NextOpening(Utc(2016, 3, 26, 23, 0)), ten);
  EXPECT_EQ(cal.Between(Utc(2016, 3, 26, 0, 0), Utc(2016, 3, 28, 0, 0)),
            absl::Hours(1));
  // A week earlier the 02:00-02:59 interval exists.
  EXPECT_EQ(cal.Between(Utc(2016, 3, 19, 0, 0), Utc(2016, 3, 21, 0, 0)),
            absl::Hours(1) + absl::Minutes(59));
}

TEST(CalendarDst, BoundaryInsideGapOpensAtTransition) {
  const BusinessCalendar cal = FromText(R"(zone Europe/Berlin
sun 02:30-04:00
)");
  // 02:30 does not exist: open from the transition (03:00 CEST = 01:00Z)
  // to 04:00 CEST (02:00Z).
  EXPECT_EQ(cal.NextOpening(Utc(2016, 3, 26, 12, 0)), Utc(2016, 3, 27, 1, 0));
  EXPECT_EQ(cal.Add(Utc(2016, 3, 26, 12, 0), absl::Hours(1)),
            Utc(2016, 3, 27, 2, 0));
  EXPECT_FALSE(cal.IsOpen(Utc(2016, 3, 27, 2, 0)));
}

TEST(CalendarDst, RepeatedHourUsesFirstOccurrence) {
  // Berlin 2016-10-30: 03:00 CEST falls back to 02:00 CET at 01:00Z.
  const BusinessCalendar cal = FromText(R"(zone Europe/Berlin
sun 02:00-02:30 05:00-06:00
)");
  EXPECT_EQ(cal.NextOpening(Utc(2016, 10, 29, 12, 0)), Utc(2016, 10, 30, 0, 0));
  EXPECT_EQ(cal.Add(Utc(2016, 10, 29, 12, 0), absl::Minutes(30)),
            Utc(2016, 10, 30, 0, 30));
  EXPECT_FALSE(cal.IsOpen(Utc(2016, 10, 30, 1, 10)));  // 02:10 CET, 2nd pass
  EXPECT_EQ(cal.Between(Utc(2016, 10, 29, 0, 0), Utc(2016, 10, 31, 0, 0)),
            absl::Minutes(90));
}

TEST(CalendarDst, NewYorkBusinessHoursAcrossSpringForward) {
  const BusinessCalendar cal = NineToSix("America/New_York");
  // Friday 2016-03-11 17:00 EST (22:00Z) + 2 h -> Monday 10:00 EDT (14:00Z).
  EXPECT_EQ(cal.Add(Utc(2016, 3, 11, 22, 0), absl::Hours(2)),
            Utc(2016, 3, 14, 14, 0));
  EXPECT_EQ(cal.Between(Utc(2016, 3, 11, 22, 0), Utc(2016, 3, 14, 14, 0)),
            absl::Hours(2));
}

TEST(CalendarZones, RussiaAcrossOffsetChanges) {
  // Moscow: UTC+3 in winter 2007, UTC+4 from 2011-03-27 to 2014-10-26, +3
  // after. 09:00 local in each era.
  const BusinessCalendar cal = NineToSix("Europe/Moscow");
  EXPECT_EQ(cal.NextOpening(Utc(2012, 1, 10, 0, 0)), Utc(2012, 1, 10, 5, 0));
  EXPECT_EQ(cal.NextOpening(Utc(2015, 1, 13, 0, 0)), Utc(2015, 1, 13, 6, 0));
  // Sunday 2014-10-26 the clocks went back; Monday opens at 06:00Z.
  EXPECT_EQ(cal.Add(Utc(2014, 10, 24, 13, 0), absl::Hours(2)),
            Utc(2014, 10, 27, 7, 0));
  const BusinessCalendar kam = NineToSix("Asia/Kamchatka");  // UTC+12
  // Sunday 12:00Z is Monday 00:00 there; it opens at 09:00 (21:00Z Sunday).
  EXPECT_EQ(kam.NextOpening(Utc(2025, 6, 1, 12, 0)), Utc(2025, 6, 1, 21, 0));
  const BusinessCalendar kal = NineToSix("Europe/Kaliningrad");  // UTC+2
  EXPECT_EQ(kal.Add(Utc(2025, 6, 2, 7, 0), absl::Hours(9)),
            Utc(2025, 6, 2, 16, 0));
  for (const char* zone :
       {"Europe/Kaliningrad", "Europe/Moscow",    "Europe/Samara",
        "Asia/Yekaterinburg", "Asia/Omsk",        "Asia/Krasnoyarsk",
        "Asia/Irkutsk",       "Asia/Yakutsk",     "Asia/Vladivostok",
        "Asia/Magadan",       "Asia/Kamchatka",   "Asia/Srednekolymsk",
        "Asia/Anadyr",        "Europe/Volgograd", "Asia/Novosibirsk",
        "Asia/Chita",         "Asia/Sakhalin",    "Europe/Astrakhan",
        "Europe/Saratov",     "Europe/Ulyanovsk", "Europe/Kirov",
        "Asia/Barnaul",       "Asia/Tomsk",       "Asia/Novokuznetsk",
        "Asia/Khandyga",      "Asia/Ust-Nera"}) {
    SCOPED_TRACE(zone);
    const BusinessCalendar c = NineToSix(zone);
    const absl::Time mon = Local(zone, 2025, 6, 2, 9, 0);
    EXPECT_EQ(c.Add(Local(zone, 2025, 5, 30, 17, 0), absl::Hours(1)),
              Local(zone, 2025, 5, 30, 18, 0));
    EXPECT_EQ(c.Add(Local(zone, 2025, 5, 30, 17, 0), absl::Hours(2)),
              mon + absl::Hours(1));
  }
}

// --- Degenerate calendars ---------------------------------------------------

TEST(CalendarDegenerate, AlwaysOpenIsIdentity) {
  for (const BusinessCalendar& cal :
       {BusinessCalendar::AlwaysOpen(),
        FromText("always_open\nzone Europe/Moscow\nmon 09:00-10:00\n")}) {
    const absl::Time s = Utc(2025, 3, 30, 1, 30) + absl::Milliseconds(250);
    EXPECT_EQ(cal.Add(s, absl::Hours(100)), s + absl::Hours(100));
    EXPECT_EQ(cal.Add(s, -absl::Hours(3)), s - absl::Hours(3));
    EXPECT_EQ(cal.Add(s, absl::ZeroDuration()), s);
    EXPECT_EQ(cal.Between(s, s + absl::Minutes(7)), absl::Minutes(7));
    EXPECT_EQ(cal.Between(s + absl::Minutes(7), s), -absl::Minutes(7));
    EXPECT_TRUE(cal.IsOpen(s));
    EXPECT_EQ(cal.NextOpening(s), s);
  }
  EXPECT_TRUE(BusinessCalendar::AlwaysOpen().spec().always_open());
}

TEST(CalendarDegenerate, NeverOpen) {
  const BusinessCalendar cal =
      FromText("zone Europe/Moscow\nmon-sun closed\nholiday 2025-01-01\n");
  const absl::Time s = Utc(2025, 3, 3, 10, 0);
  EXPECT_EQ(cal.Add(s, absl::Hours(1)), absl::InfiniteFuture());
  EXPECT_EQ(cal.Add(s, absl::ZeroDuration()), absl::InfiniteFuture());
  EXPECT_EQ(cal.Add(s, -absl::Hours(1)), absl::InfinitePast());
  EXPECT_EQ(cal.Between(s, s + absl::Hours(1000)), absl::ZeroDuration());
  EXPECT_FALSE(cal.IsOpen(s));
}

TEST(CalendarDegenerate, OnlySpecialDaysOpen) {
  const BusinessCalendar cal = FromText(R"(zone UTC
special 2025-03-03 10:00-12:00 other Open day
special 2025-03-05 10:00-11:00 other Open day
)");
  EXPECT_EQ(cal.Add(Utc(2000, 1, 1, 0, 0), absl::Hours(2)),
            Utc(2025, 3, 3, 12, 0));
  EXPECT_EQ(cal.Add(Utc(2000, 1, 1, 0, 0), absl::Hours(3)),
            Utc(2025, 3, 5, 11, 0));
  EXPECT_EQ(cal.Add(Utc(2000, 1, 1, 0, 0), absl::Hours(3) + absl::Seconds(1)),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.NextOpening(Utc(2025, 3, 5, 11, 0)), absl::InfiniteFuture());
  EXPECT_EQ(cal.Add(Utc(2030, 1, 1, 0, 0), -absl::Hours(3)),
            Utc(2025, 3, 3, 10, 0));
  EXPECT_EQ(cal.Add(Utc(2030, 1, 1, 0, 0), -absl::Hours(4)),
            absl::InfinitePast());
  EXPECT_EQ(cal.Between(absl::InfinitePast(), absl::InfiniteFuture()),
            absl::Hours(3));
}

TEST(CalendarDegenerate, InfiniteInputs) {
  const BusinessCalendar cal = NineToSix("Europe/Moscow");
  EXPECT_EQ(cal.Add(absl::InfiniteFuture(), absl::Hours(1)),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.Add(absl::InfinitePast(), absl::Hours(1)),
            absl::InfinitePast());
  EXPECT_EQ(cal.Add(Utc(2025, 1, 1, 0, 0), absl::InfiniteDuration()),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.Between(Utc(2025, 1, 1, 0, 0), absl::InfiniteFuture()),
            absl::InfiniteDuration());
  EXPECT_EQ(cal.Between(absl::InfiniteFuture(), Utc(2025, 1, 1, 0, 0)),
            -absl::InfiniteDuration());
  EXPECT_FALSE(cal.IsOpen(absl::InfiniteFuture()));
}

// --- Horizon ----------------------------------------------------------------

TEST(CalendarHorizon, ExtendsBothWaysWithSameAnswers) {
  const BusinessCalendar cal = NineToSix("America/New_York");
  const BusinessCalendar fresh = NineToSix("America/New_York");
  const absl::Time a = Utc(2025, 6, 2, 15, 0);  // 11:00 EDT, open
  const absl::Duration week = cal.Between(a, a + absl::Hours(24 * 7));
  EXPECT_EQ(week, absl::Hours(45));
  // Far from the first query in both directions.
  const absl::Time future = Utc(2310, 3, 1, 12, 0);  // a Friday
  const absl::Time past = Utc(1850, 3, 1, 12, 0);
  EXPECT_EQ(cal.Between(future, future + absl::Hours(24 * 7)), absl::Hours(45));
  EXPECT_EQ(cal.Between(past, past + absl::Hours(24 * 7)), absl::Hours(45));
  // The first answer is unchanged after the extensions.
  EXPECT_EQ(cal.Between(a, a + absl::Hours(24 * 7)), week);
  EXPECT_EQ(cal.Add(a, absl::Hours(100)), fresh.Add(a, absl::Hours(100)));
  // A very long duration walks the horizon forward: ~200 years of hours.
  const absl::Duration lots = absl::Hours(45 * 52 * 200);
  const absl::Time far = cal.Add(a, lots);
  EXPECT_GT(far, Utc(2220, 1, 1, 0, 0));
  EXPECT_LT(far, Utc(2230, 1, 1, 0, 0));
  EXPECT_EQ(cal.Between(a, far), lots);
  EXPECT_EQ(fresh.Add(far, -lots), a);
}

TEST(CalendarHorizon, OutsideSupportedRangeIsClosed) {
  const BusinessCalendar cal = NineToSix("UTC");
  EXPECT_EQ(cal.Add(Utc(2799, 6, 1, 0, 0), absl::Hours(24 * 365)),
            absl::InfiniteFuture());
  EXPECT_LT(cal.Add(Utc(2799, 6, 1, 0, 0), absl::Hours(24 * 5)),
            Utc(2800, 1, 1, 0, 0));
  EXPECT_FALSE(cal.IsOpen(Utc(3000, 6, 2, 10, 0)));
  EXPECT_EQ(cal.NextOpening(Utc(1700, 1, 1, 0, 0)), Utc(1800, 1, 1, 9, 0));
}

TEST(CalendarHorizon, ConcurrentReadersDuringExtension) {
  const BusinessCalendar cal = NineToSix("Europe/Berlin");
  const BusinessCalendar ref = NineToSix("Europe/Berlin");
  std::vector<absl::Time> starts;
  for (int i = 0; i < 64; ++i) {
    starts.push_back(
        Utc(1900 + i * 13 % 400, 1 + i % 12, 1 + i % 28, i % 24, 0));
  }
  std::vector<absl::Time> expected;
  for (absl::Time s : starts) expected.push_back(ref.Add(s, absl::Hours(50)));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < starts.size(); ++i) {
          const size_t k = (i * 7 + t * 13) % starts.size();
          if (cal.Add(starts[k], absl::Hours(50)) != expected[k]) ++mismatches;
          if (cal.Between(starts[k], expected[k]) != absl::Hours(50)) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(CalendarHorizon, CopiesShareTables) {
  const BusinessCalendar a = NineToSix("Europe/Moscow");
  const BusinessCalendar b = a;  // NOLINT: the copy is the point
  EXPECT_EQ(&a.spec(), &b.spec());
  EXPECT_EQ(b.Add(Utc(2025, 6, 2, 5, 0), absl::Hours(1)),
            Utc(2025, 6, 2, 7, 0));
}

// --- Validation -------------------------------------------------------------

absl::Status CreateStatus(const v1::BusinessCalendar& spec) {
  return BusinessCalendar::Create(spec).status();
}

v1::BusinessCalendar ValidSpec() {
  v1::BusinessCalendar spec;
  spec.set_time_zone("Europe/Moscow");
  for (int d = 1; d <= 5; ++d) {
    v1::WeekdaySchedule* w = spec.add_weekly();
    w->set_weekday(static_cast<v1::Weekday>(d));
    v1::TimeInterval* iv = w->add_intervals();
    iv->set_start_seconds(9 * 3600);
    iv->set_end_seconds(18 * 3600);
  }
  return spec;
}

void ExpectInvalid(const v1::BusinessCalendar& spec, const std::string& msg) {
  const absl::Status st = CreateStatus(spec);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_EQ(st.message(), msg);
}

TEST(CalendarValidation, AcceptsValid) {
  EXPECT_TRUE(CreateStatus(ValidSpec()).ok());
}

TEST(CalendarValidation, TimeZone) {
  v1::BusinessCalendar spec = ValidSpec();
  spec.set_time_zone("Mars/Olympus_Mons");
  ExpectInvalid(spec, "time_zone: unknown time zone \"Mars/Olympus_Mons\"");
  spec.set_time_zone("");
  ExpectInvalid(spec, "time_zone: required unless always_open is set");
  spec.set_always_open(true);
  EXPECT_TRUE(CreateStatus(spec).ok());
}

TEST(CalendarValidation, Intervals) {
  v1::BusinessCalendar spec = ValidSpec();
  spec.mutable_weekly(1)->mutable_intervals(0)->set_end_seconds(8 * 3600);
  ExpectInvalid(spec,
                "weekly[1].intervals[0]: end 08:00 is before start 09:00");
  spec = ValidSpec();
  spec.mutable_weekly(2)->mutable_intervals(0)->set_end_seconds(9 * 3600);
  ExpectInvalid(spec, "weekly[2].intervals[0]: empty interval 09:00-09:00");
  spec = ValidSpec();
  spec.mutable_weekly(0)->mutable_intervals(0)->set_end_seconds(86401);
  ExpectInvalid(spec,
                "weekly[0].intervals[0]: end 86401s is outside 00:00-24:00");
  spec = ValidSpec();
  spec.mutable_weekly(0)->mutable_intervals(0)->set_start_seconds(-60);
  ExpectInvalid(spec,
                "weekly[0].intervals[0]: start -60s is outside 00:00-24:00 "
                "(must be before 24:00)");
  spec = ValidSpec();
  v1::TimeInterval* second = spec.mutable_weekly(2)->add_intervals();
  second->set_start_seconds(17 * 3600);
  second->set_end_seconds(19 * 3600);
  ExpectInvalid(spec,
                "weekly[2].intervals[1]: 17:00-19:00 overlaps previous "
                "interval 09:00-18:00");
  second->set_start_seconds(7 * 3600);
  second->set_end_seconds(8 * 3600);
  ExpectInvalid(spec,
                "weekly[2].intervals[1]: 07:00-08:00 is before previous "
                "interval 09:00-18:00 (intervals must be sorted)");
  second->set_start_seconds(18 * 3600);  // touching is fine
  second->set_end_seconds(86400);
  EXPECT_TRUE(CreateStatus(spec).ok());
}

TEST(CalendarValidation, Weekdays) {
  v1::BusinessCalendar spec = ValidSpec();
  spec.mutable_weekly(3)->set_weekday(v1::WEEKDAY_UNSPECIFIED);
  ExpectInvalid(spec, "weekly[3].weekday: unspecified");
  spec = ValidSpec();
  spec.mutable_weekly(4)->set_weekday(v1::MONDAY);
  ExpectInvalid(spec,
                "weekly[4].weekday: MONDAY listed twice (also weekly[0])");
  spec = ValidSpec();
  spec.mutable_weekly(4)->set_weekday(static_cast<v1::Weekday>(9));
  ExpectInvalid(spec, "weekly[4].weekday: invalid value 9");
}

TEST(CalendarValidation, Dates) {
  v1::BusinessCalendar spec = ValidSpec();
  auto add_holiday = [&](int y, int m, int d) {
    v1::Holiday* h = spec.add_holidays();
    h->mutable_date()->set_year(y);
    h->mutable_date()->set_month(m);
    h->mutable_date()->set_day(d);
  };
  auto add_special = [&](int y, int m, int d) {
    v1::SpecialDay* s = spec.add_special_days();
    s->mutable_date()->set_year(y);
    s->mutable_date()->set_month(m);
    s->mutable_date()->set_day(d);
    return s;
  };
  add_holiday(2025, 1, 1);
  add_holiday(2025, 2, 30);
  ExpectInvalid(spec, "holidays[1].date: invalid date 2025-2-30");
  spec.mutable_holidays(1)->mutable_date()->set_day(28);
  add_holiday(2025, 1, 1);
  ExpectInvalid(spec,
                "holidays[2].date: 2025-01-01 repeated (also holidays[0])");
  spec.mutable_holidays()->RemoveLast();
  add_special(2025, 13, 1);
  ExpectInvalid(spec, "special_days[0].date: invalid date 2025-13-1");
  spec.mutable_special_days(0)->mutable_date()->set_month(1);
  ExpectInvalid(spec,
                "special_days[0].date: 2025-01-01 is also a holiday "
                "(holidays[0])");
  spec.mutable_special_days(0)->mutable_date()->set_day(2);
  EXPECT_TRUE(CreateStatus(spec).ok());
  add_special(2025, 1, 2);
  ExpectInvalid(spec,
                "special_days[1].date: 2025-01-02 repeated (also "
                "special_days[0])");
  spec.mutable_special_days(1)->mutable_date()->set_day(3);
  v1::TimeInterval* iv = spec.mutable_special_days(1)->add_intervals();
  iv->set_start_seconds(10 * 3600);
  iv->set_end_seconds(9 * 3600);
  ExpectInvalid(spec,
                "special_days[1].intervals[0]: end 09:00 is before start "
                "10:00");
  iv->set_end_seconds(11 * 3600);
  spec.mutable_special_days(1)->set_kind(static_cast<v1::SpecialDayKind>(7));
  ExpectInvalid(spec, "special_days[1].kind: invalid value 7");
  spec.mutable_special_days(1)->set_kind(v1::SPECIAL_DAY_KIND_SHORTENED);
  EXPECT_TRUE(CreateStatus(spec).ok());
  add_holiday(0, 1, 1);
  ExpectInvalid(spec, "holidays[2].date: invalid date 0-1-1");
}

}  // namespace
}  // namespace servicedesk
