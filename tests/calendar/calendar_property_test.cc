// Property test: the engine against a slow reference written here from the
// definitions alone (DESIGN.md, "SLA semantics"), over thousands of random
// calendars and instants, with boundary instants deliberately included.
//
// The reference shares no code with lib/calendar: it reads the spec proto
// directly, finds each local boundary instant by walking the zone's offset
// segments (absolute -> civil only), and answers Add/Between by walking the
// list of open intervals.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "servicedesk/calendar.h"

namespace servicedesk {
namespace {

struct Interval {
  absl::Time start;
  absl::Time end;
};

// The instant of `tr`, the first transition after `t`: its "from" civil time
// read with the offset in force before it.
absl::Time TransitionInstant(const absl::TimeZone& tz, absl::Time t,
                             const absl::TimeZone::CivilTransition& tr) {
  return absl::FromCivil(tr.from, absl::UTCTimeZone()) -
         absl::Seconds(tz.At(t).offset);
}

// The first instant at which the wall clock in `tz` reads `c` or later.
// Between transitions the local time advances with real time, so within each
// segment [p, q) the answer is p (already past c) or p + (c - local(p)).
absl::Time FirstAtOrAfter(const absl::TimeZone& tz, absl::CivilSecond c) {
  const absl::Time guess = absl::FromCivil(c, absl::UTCTimeZone());
  const absl::Time from = guess - absl::Hours(30);
  const absl::Time to = guess + absl::Hours(30);
  std::vector<absl::Time> cuts = {from};
  absl::TimeZone::CivilTransition tr;
  absl::Time t = from;
  while (tz.NextTransition(t, &tr)) {
    const absl::Time inst = TransitionInstant(tz, t, tr);
    if (inst <= t) {
      ADD_FAILURE() << "transition not after " << t;
      break;
    }
    if (inst > to) break;
    cuts.push_back(inst);
    t = inst;
  }
  cuts.push_back(to);
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const absl::Time p = cuts[i];
    const absl::Time q = cuts[i + 1];
    const absl::CivilSecond lp = absl::ToCivilSecond(p, tz);
    if (lp >= c) return p;
    const absl::Time cand = p + absl::Seconds(c - lp);
    if (cand < q) return cand;
  }
  ADD_FAILURE() << "no instant for " << c;
  return to;
}

class Reference {
 public:
  Reference(const v1::BusinessCalendar& spec, absl::CivilDay first,
            absl::CivilDay last)
      : spec_(spec) {
    EXPECT_TRUE(absl::LoadTimeZone(spec.time_zone(), &tz_));
    for (absl::CivilDay d = first; d <= last; ++d) {
      for (const v1::TimeInterval& iv : DayIntervals(d)) {
        const absl::Time a =
            FirstAtOrAfter(tz_, absl::CivilSecond(d) + iv.start_seconds());
        const absl::Time b =
            FirstAtOrAfter(tz_, absl::CivilSecond(d) + iv.end_seconds());
        if (b > a) open_.push_back({a, b});
      }
    }
    lo_ = absl::FromCivil(first, tz_) + absl::Hours(30);
    hi_ = absl::FromCivil(last, tz_) - absl::Hours(30);
  }

  const std::vector<Interval>& open() const { return open_; }
  // Instants for which the reference is complete.
  absl::Time lo() const { return lo_; }
  absl::Time hi() const { return hi_; }

  absl::Duration Between(absl::Time a, absl::Time b) const {
    if (b < a) return -Between(b, a);
    absl::Duration sum;
    for (const Interval& iv : open_) {
      const absl::Time s = std::max(a, iv.start);
      const absl::Time e = std::min(b, iv.end);
      if (e > s) sum += e - s;
    }
    return sum;
  }

  bool IsOpen(absl::Time t) const {
    for (const Interval& iv : open_) {
      if (iv.start <= t && t < iv.end) return true;
    }
    return false;
  }

  // nullopt when the answer lies beyond the reference's days.
  std::optional<absl::Time> Add(absl::Time s, absl::Duration d) const {
    if (d >= absl::ZeroDuration()) {
      absl::Duration left = d;
      for (const Interval& iv : open_) {
        if (iv.end <= s) continue;
        const absl::Time from = std::max(s, iv.start);
        if (left == absl::ZeroDuration()) return from;
        if (left <= iv.end - from) return from + left;
        left -= iv.end - from;
      }
      return std::nullopt;
    }
    absl::Duration left = -d;
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      if (it->start >= s) continue;
      const absl::Time to = std::min(s, it->end);
      if (left <= to - it->start) return to - left;
      left -= to - it->start;
    }
    return std::nullopt;
  }

 private:
  std::vector<v1::TimeInterval> DayIntervals(absl::CivilDay d) const {
    for (const v1::Holiday& h : spec_.holidays()) {
      if (h.date().year() == d.year() && h.date().month() == d.month() &&
          h.date().day() == d.day()) {
        return {};
      }
    }
    for (const v1::SpecialDay& s : spec_.special_days()) {
      if (s.date().year() == d.year() && s.date().month() == d.month() &&
          s.date().day() == d.day()) {
        return {s.intervals().begin(), s.intervals().end()};
      }
    }
    int iso = 0;
    switch (absl::GetWeekday(d)) {
      case absl::Weekday::monday:
        iso = 1;
        break;
      case absl::Weekday::tuesday:
        iso = 2;
        break;
      case absl::Weekday::wednesday:
        iso = 3;
        break;
      case absl::Weekday::thursday:
        iso = 4;
        break;
      case absl::Weekday::friday:
        iso = 5;
        break;
      case absl::Weekday::saturday:
        iso = 6;
        break;
      case absl::Weekday::sunday:
        iso = 7;
        break;
    }
    for (const v1::WeekdaySchedule& w : spec_.weekly()) {
      if (w.weekday() == iso)
        return {w.intervals().begin(), w.intervals().end()};
    }
    return {};
  }

  v1::BusinessCalendar spec_;
  absl::TimeZone tz_;
  std::vector<Interval> open_;
  absl::Time lo_, hi_;
};

const char* const kZones[] = {"Europe/Moscow",
                              "Europe/Berlin",
                              "America/New_York",
                              "Asia/Vladivostok",
                              "Asia/Kamchatka",
                              "Europe/Kaliningrad",
                              "UTC"};

// Boundaries a human would pick, plus the ones that hit DST switches.
int RandomBoundary(std::mt19937_64& rng) {
  static const int kNice[] = {0,         3600,      2 * 3600,  2 * 3600 + 1800,
                              3 * 3600,  8 * 3600,  9 * 3600,  13 * 3600,
                              14 * 3600, 18 * 3600, 23 * 3600, 86400};
  switch (rng() % 3) {
    case 0:
      return kNice[rng() % (sizeof(kNice) / sizeof(kNice[0]))];
    case 1:
      return static_cast<int>(rng() % 97) * 900;  // quarter hours incl. 24:00
    default:
      return static_cast<int>(rng() % 86401);
  }
}

google::protobuf::RepeatedPtrField<v1::TimeInterval> RandomDay(
    std::mt19937_64& rng) {
  google::protobuf::RepeatedPtrField<v1::TimeInterval> out;
  const int n = static_cast<int>(rng() % 4);  // 0..3 intervals
  std::set<int> points;
  while (static_cast<int>(points.size()) < 2 * n) {
    points.insert(RandomBoundary(rng));
  }
  std::vector<int> p(points.begin(), points.end());
  for (int i = 0; i + 1 < static_cast<int>(p.size()); i += 2) {
    v1::TimeInterval* iv = out.Add();
    iv->set_start_seconds(p[i]);
    iv->set_end_seconds(p[i + 1]);
  }
  return out;
}

v1::Date ToDate(absl::CivilDay d) {
  v1::Date out;
  out.set_year(static_cast<int>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

v1::BusinessCalendar RandomSpec(std::mt19937_64& rng, absl::CivilDay first,
                                int days) {
  v1::BusinessCalendar spec;
  spec.set_time_zone(kZones[rng() % (sizeof(kZones) / sizeof(kZones[0]))]);
  const bool sparse = rng() % 8 == 0;
  for (int wd = 1; wd <= 7; ++wd) {
    if (rng() % 4 == 0) continue;  // not listed: closed
    v1::WeekdaySchedule* w = spec.add_weekly();
    w->set_weekday(static_cast<v1::Weekday>(wd));
    if (sparse && wd != 3) continue;  // listed but closed
    *w->mutable_intervals() = RandomDay(rng);
  }
  std::set<int> used;
  const int holidays = static_cast<int>(rng() % 12);
  for (int i = 0; i < holidays; ++i) {
    const int off = static_cast<int>(rng() % days);
    if (!used.insert(off).second) continue;
    *spec.add_holidays()->mutable_date() = ToDate(first + off);
  }
  const int specials = static_cast<int>(rng() % 12);
  for (int i = 0; i < specials; ++i) {
    const int off = static_cast<int>(rng() % days);
    if (!used.insert(off).second) continue;
    v1::SpecialDay* s = spec.add_special_days();
    *s->mutable_date() = ToDate(first + off);
    *s->mutable_intervals() = RandomDay(rng);
    s->set_kind(static_cast<v1::SpecialDayKind>(rng() % 4));
  }
  return spec;
}

TEST(CalendarProperty, FirstAtOrAfterMatchesItsDefinition) {
  // Check the reference's own conversion against a second-by-second scan
  // around every DST switch of a few zones.
  for (const char* zone :
       {"Europe/Berlin", "America/New_York", "Europe/Moscow"}) {
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(zone, &tz));
    absl::TimeZone::CivilTransition tr;
    absl::Time t = absl::FromCivil(absl::CivilDay(2010, 1, 1), tz);
    for (int k = 0; k < 6 && tz.NextTransition(t, &tr); ++k) {
      const absl::Time around = TransitionInstant(tz, t, tr);
      for (int probe = -2; probe <= 2; ++probe) {
        const absl::CivilSecond c = std::min(tr.from, tr.to) + probe * 1800 + 7;
        absl::Time expect = around - absl::Hours(4);
        while (absl::ToCivilSecond(expect, tz) < c) expect += absl::Seconds(1);
        EXPECT_EQ(FirstAtOrAfter(tz, c), expect) << zone << " " << c;
      }
      t = around;
    }
  }
}

TEST(CalendarProperty, EngineMatchesReference) {
  std::mt19937_64 rng(20250924);
  // SD_CALENDAR_PROPERTY_CALENDARS overrides the count for longer soaks.
  const char* env = std::getenv("SD_CALENDAR_PROPERTY_CALENDARS");
  const int kCalendars = env != nullptr ? std::atoi(env) : 1500;
  constexpr int kQueries = 24;
  int checked_adds = 0;
  for (int c = 0; c < kCalendars; ++c) {
    // A window of ~5 months in 2005..2030: spans DST switches and, for the
    // Russian zones, the 2010/2011/2014 offset changes.
    const absl::CivilDay first(2005 + static_cast<int>(rng() % 26),
                               1 + static_cast<int>(rng() % 12), 1);
    const int days = 150;
    const v1::BusinessCalendar spec = RandomSpec(rng, first, days);
    absl::StatusOr<BusinessCalendar> cal = BusinessCalendar::Create(spec);
    ASSERT_TRUE(cal.ok()) << cal.status();
    const Reference ref(spec, first - 2, first + days + 120);
    SCOPED_TRACE(absl::StrCat("calendar ", c, " zone ", spec.time_zone(),
                              " from ", absl::FormatCivilTime(first)));
    const absl::Time win_lo = ref.lo();
    const absl::Time win_hi =
        absl::FromCivil(first + days, absl::UTCTimeZone());

    // Candidate instants: random, interval edges and their neighbours, zone
    // transitions.
    std::vector<absl::Time> picks;
    const int64_t span = absl::ToInt64Seconds(win_hi - win_lo);
    for (int i = 0; i < kQueries; ++i) {
      absl::Time t = win_lo + absl::Seconds(static_cast<int64_t>(rng() % span));
      if (rng() % 4 == 0) t += absl::Milliseconds(rng() % 1000);
      picks.push_back(t);
    }
    const auto& open = ref.open();
    for (int i = 0; i < kQueries && !open.empty(); ++i) {
      const Interval& iv = open[rng() % open.size()];
      if (iv.start < win_lo || iv.end > win_hi) continue;
      const absl::Time edge = rng() % 2 ? iv.start : iv.end;
      static const int64_t kNudgeMs[] = {0, 0, 0, -1000, 1000, -500, 1};
      picks.push_back(edge + absl::Milliseconds(kNudgeMs[rng() % 7]));
    }
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(spec.time_zone(), &tz));
    absl::TimeZone::CivilTransition tr;
    absl::Time t = win_lo;
    while (tz.NextTransition(t, &tr)) {
      const absl::Time inst = TransitionInstant(tz, t, tr);
      ASSERT_GT(inst, t);
      t = inst;
      if (t >= win_hi) break;
      picks.push_back(t);
      picks.push_back(t - absl::Seconds(1));
    }

    for (const absl::Time s : picks) {
      ASSERT_EQ(cal->IsOpen(s), ref.IsOpen(s)) << s;
      const std::optional<absl::Time> next = ref.Add(s, absl::ZeroDuration());
      if (next) ASSERT_EQ(cal->NextOpening(s), *next) << s;

      // Durations: random, and exactly to a later closing (must stay there).
      std::vector<absl::Duration> ds = {
          absl::Seconds(static_cast<int64_t>(rng() % (3 * 86400))),
          absl::Seconds(1), absl::Minutes(static_cast<int64_t>(rng() % 600)),
          -absl::Seconds(static_cast<int64_t>(rng() % (2 * 86400))),
          absl::Milliseconds(static_cast<int64_t>(rng() % 100000))};
      for (const Interval& iv : open) {
        if (iv.end > s && rng() % 3 == 0) {
          ds.push_back(ref.Between(s, iv.end));
          break;
        }
      }
      for (const absl::Duration d : ds) {
        const std::optional<absl::Time> want = ref.Add(s, d);
        const absl::Time got = cal->Add(s, d);
        if (!want) {
          // Beyond the reference's days: the engine must go past them too.
          if (d >= absl::ZeroDuration()) {
            ASSERT_GT(got,
                      open.empty() ? s : open.back().end - absl::Seconds(1))
                << s << " + " << d;
          }
          continue;
        }
        ASSERT_EQ(got, *want) << s << " + " << d;
        ++checked_adds;
        if (d > absl::ZeroDuration()) {
          ASSERT_EQ(cal->Between(s, got), d) << s << " .. " << got;
        }
      }
      const absl::Time other = picks[rng() % picks.size()];
      ASSERT_EQ(cal->Between(s, other), ref.Between(s, other))
          << s << " .. " << other;
    }
  }
  EXPECT_GT(checked_adds, kCalendars * kQueries * 3);
}

}  // namespace
}  // namespace servicedesk
