#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "servicedesk/calendar.h"

namespace servicedesk {
namespace {

using ::google::protobuf::util::MessageDifferencer;

v1::BusinessCalendar MustParse(const std::string& text) {
  absl::StatusOr<v1::BusinessCalendar> spec = ParseCalendarText(text);
  EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << text;
  return spec.ok() ? *spec : v1::BusinessCalendar();
}

void ExpectParseError(const std::string& text, const std::string& message) {
  absl::StatusOr<v1::BusinessCalendar> spec = ParseCalendarText(text);
  ASSERT_FALSE(spec.ok()) << text;
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(spec.status().message(), message);
}

void ExpectRoundTrip(const v1::BusinessCalendar& spec) {
  const std::string text = FormatCalendarText(spec);
  const v1::BusinessCalendar back = MustParse(text);
  std::string diff;
  MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(spec, back)) << diff << "\ntext:\n" << text;
  EXPECT_EQ(FormatCalendarText(back), text);
}

TEST(CalendarText, ParsesTheDocumentedExample) {
  const v1::BusinessCalendar spec = MustParse(R"(# Moscow service center
zone Europe/Moscow
name Moscow center
mon-fri 09:00-13:00 14:00-18:00   # lunch 13-14
sat 10:00-15:00
sun closed
holiday 2025-01-01 New Year  # decree No. 1335 of 04.10.2024
holiday 2025-01-02
special 2025-11-01 09:00-17:00 transferred Working Saturday # decree
special 2025-03-07 09:00-13:00 14:00-17:00 shortened
special 2025-12-30 closed other Stocktaking
special 2025-06-01 00:00-24:00
)");
  EXPECT_EQ(spec.time_zone(), "Europe/Moscow");
  EXPECT_EQ(spec.name(), "Moscow center");
  ASSERT_EQ(spec.weekly_size(), 7);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(spec.weekly(i).weekday(), i + 1);
    ASSERT_EQ(spec.weekly(i).intervals_size(), 2);
    EXPECT_EQ(spec.weekly(i).intervals(1).start_seconds(), 14 * 3600);
    EXPECT_EQ(spec.weekly(i).intervals(1).end_seconds(), 18 * 3600);
  }
  EXPECT_EQ(spec.weekly(5).weekday(), v1::SATURDAY);
  EXPECT_EQ(spec.weekly(6).weekday(), v1::SUNDAY);
  EXPECT_EQ(spec.weekly(6).intervals_size(), 0);
  ASSERT_EQ(spec.holidays_size(), 2);
  EXPECT_EQ(spec.holidays(0).name(), "New Year");
  EXPECT_EQ(spec.holidays(0).source(), "decree No. 1335 of 04.10.2024");
  EXPECT_EQ(spec.holidays(1).name(), "");
  EXPECT_EQ(spec.holidays(1).date().day(), 2);
  ASSERT_EQ(spec.special_days_size(), 4);
  EXPECT_EQ(spec.special_days(0).kind(),
            v1::SPECIAL_DAY_KIND_TRANSFERRED_WORKING_DAY);
  EXPECT_EQ(spec.special_days(0).name(), "Working Saturday");
  EXPECT_EQ(spec.special_days(0).source(), "decree");
  EXPECT_EQ(spec.special_days(0).intervals(0).end_seconds(), 17 * 3600);
  EXPECT_EQ(spec.special_days(1).kind(), v1::SPECIAL_DAY_KIND_SHORTENED);
  EXPECT_EQ(spec.special_days(1).intervals_size(), 2);
  EXPECT_EQ(spec.special_days(2).kind(), v1::SPECIAL_DAY_KIND_OTHER);
  EXPECT_EQ(spec.special_days(2).intervals_size(), 0);
  EXPECT_EQ(spec.special_days(2).name(), "Stocktaking");
  EXPECT_EQ(spec.special_days(3).kind(), v1::SPECIAL_DAY_KIND_UNSPECIFIED);
  EXPECT_EQ(spec.special_days(3).intervals(0).end_seconds(), 86400);
}

TEST(CalendarText, DayListsAndLongNames) {
  const v1::BusinessCalendar spec =
      MustParse("zone UTC\nMonday,wed-thu 08:00:30-12:00\nSAT closed\n");
  ASSERT_EQ(spec.weekly_size(), 4);
  EXPECT_EQ(spec.weekly(0).weekday(), v1::MONDAY);
  EXPECT_EQ(spec.weekly(1).weekday(), v1::WEDNESDAY);
  EXPECT_EQ(spec.weekly(2).weekday(), v1::THURSDAY);
  EXPECT_EQ(spec.weekly(3).weekday(), v1::SATURDAY);
  EXPECT_EQ(spec.weekly(0).intervals(0).start_seconds(), 8 * 3600 + 30);
}

TEST(CalendarText, ErrorsNameTheLine) {
  ExpectParseError("zone UTC\n\nmon 09:00-8:00\n",
                   "line 3: expected \"closed\" or an interval like "
                   "09:00-13:00, got \"09:00-8:00\"");
  ExpectParseError("zone UTC\nfunday 09:00-18:00\n",
                   "line 2: unknown keyword or day \"funday\" (expected zone, "
                   "name, id, version, created_at, updated_at, always_open, "
                   "holiday, special, or days like mon-fri)");
  ExpectParseError("zone UTC\nmon\n",
                   "line 2: mon: expected \"closed\" or intervals");
  ExpectParseError("zone UTC\nmon 09:00-24:30\n",
                   "line 2: expected \"closed\" or an interval like "
                   "09:00-13:00, got \"09:00-24:30\"");
  ExpectParseError("zone UTC\nholiday 2025-02-29 Leap\n",
                   "line 2: invalid date \"2025-02-29\" (expected YYYY-MM-DD)");
  ExpectParseError("zone UTC\nspecial 2025-02-28 transferred\n",
                   "line 2: special: expected \"closed\" or intervals like "
                   "09:00-17:00");
  ExpectParseError("zone UTC\nzone Europe/Moscow\n",
                   "line 2: \"zone\" given twice (also line 1)");
  ExpectParseError("name \"unterminated\n",
                   "line 1: unterminated quoted string");
  ExpectParseError("version x\n", "line 1: version: expected an integer");
  // Semantic errors point at the line that produced the entry.
  ExpectParseError("zone UTC\nmon-fri 09:00-18:00\n# x\nwed 10:00-11:00\n",
                   "line 4: weekly[5].weekday: WEDNESDAY listed twice (also "
                   "weekly[2])");
  ExpectParseError("zone UTC\nmon 12:00-18:00 09:00-10:00\n",
                   "line 2: weekly[0].intervals[1]: 09:00-10:00 is before "
                   "previous interval 12:00-18:00 (intervals must be sorted)");
  ExpectParseError("zone UTC\ntue 18:00-09:00\n",
                   "line 2: weekly[0].intervals[0]: end 09:00 is before start "
                   "18:00");
  ExpectParseError(
      "zone UTC\nholiday 2025-01-01\n\nspecial 2025-01-01 10:00-11:00\n",
      "line 4: special_days[0].date: 2025-01-01 is also a holiday "
      "(holidays[0])");
  ExpectParseError("name x\nzone Nowhere/City\n",
                   "line 2: time_zone: unknown time zone \"Nowhere/City\"");
  ExpectParseError("name x\nmon 09:00-10:00\n",
                   "time_zone: required unless always_open is set");
}

TEST(CalendarText, RoundTripIsIdentity) {
  v1::BusinessCalendar spec = MustParse(R"(zone America/New_York
mon-fri 09:00-13:00 14:00-18:00
sat 10:00-12:00
holiday 2025-07-04 Independence Day # federal
special 2025-11-28 09:00-12:00 shortened Day after Thanksgiving
)");
  spec.set_id("cal-42 #7");
  spec.set_version(17);
  spec.mutable_created_at()->set_seconds(1700000000);
  spec.mutable_created_at()->set_nanos(123456789);
  spec.mutable_updated_at();  // present but zero
  spec.set_name(" padded \"name\" with # and \\ \n newline ");
  ExpectRoundTrip(spec);

  // Names that look like syntax, sources with odd edges, reordered weekdays
  // that must not be merged into a range, 24:00 and seconds.
  v1::BusinessCalendar odd = MustParse(R"(zone Asia/Kamchatka
fri 00:00-24:00
mon 09:00:15-17:59:59
tue 09:00:15-17:59:59
thu closed
)");
  v1::Holiday* h = odd.add_holidays();
  h->mutable_date()->set_year(2026);
  h->mutable_date()->set_month(1);
  h->mutable_date()->set_day(1);
  h->set_name("\"quoted\" start");
  h->set_source("  spaced source # with hash ");
  v1::SpecialDay* s = odd.add_special_days();
  s->mutable_date()->set_year(2026);
  s->mutable_date()->set_month(1);
  s->mutable_date()->set_day(3);
  s->set_name("shortened by hand");  // starts with a kind keyword
  v1::SpecialDay* s2 = odd.add_special_days();
  *s2->mutable_date() = s->date();
  s2->mutable_date()->set_day(4);
  s2->set_name("10:00-11:00 is not an interval here");
  s2->set_kind(v1::SPECIAL_DAY_KIND_OTHER);
  v1::TimeInterval* iv = s2->add_intervals();
  iv->set_start_seconds(0);
  iv->set_end_seconds(86400);
  v1::SpecialDay* s3 = odd.add_special_days();
  *s3->mutable_date() = s->date();
  s3->mutable_date()->set_day(5);
  s3->set_name("closed for inventory");
  s3->set_source("\"x\"");
  ExpectRoundTrip(odd);

  v1::BusinessCalendar always;
  always.set_always_open(true);
  ExpectRoundTrip(always);
  EXPECT_EQ(FormatCalendarText(always), "always_open\n");
}

TEST(CalendarText, FormatIsReadable) {
  const v1::BusinessCalendar spec = MustParse(R"(zone Europe/Moscow
name Moscow center
mon 09:00-18:00
tue 09:00-18:00
wed 09:00-18:00
thu 09:00-18:00
fri 09:00-16:45
sat closed
sun closed
holiday 2025-01-01 New Year # decree
special 2025-11-01 09:00-17:00 transferred
)");
  EXPECT_EQ(FormatCalendarText(spec), R"(name Moscow center
zone Europe/Moscow
mon-thu 09:00-18:00
fri 09:00-16:45
sat-sun closed
holiday 2025-01-01 New Year # decree
special 2025-11-01 09:00-17:00 transferred
)");
}

}  // namespace
}  // namespace servicedesk
