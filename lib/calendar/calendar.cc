// The business-calendar engine.
//
// Open intervals are materialized as absolute Unix seconds for a range of
// local civil days (a "snapshot") together with a prefix sum of open seconds,
// so Add, Between, IsOpen and NextOpening are binary searches. A snapshot is
// immutable; when a query falls outside it, a larger one is built under a
// mutex and published through an atomic pointer. Old snapshots stay alive
// until the calendar dies: readers never take a lock or touch a reference
// count, and because each extension at least doubles the span, the retained
// snapshots add up to less than twice the newest one.
#include "servicedesk/calendar.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lib/calendar/calendar_internal.h"

namespace servicedesk {
namespace {

using DayIntervals = std::vector<std::pair<int, int>>;  // local seconds

// The engine only materializes local days in [kFirstDay, kLastDay); outside
// them every calendar is closed. A millennium is far beyond any SLA and keeps
// the worst-case table (every day open) at a few megabytes.
const absl::CivilDay kFirstDay(1800, 1, 1);
const absl::CivilDay kLastDay(2800, 1, 1);
const absl::CivilDay kEpochDay(1970, 1, 1);

// Initial span around the first query, then at least doubling.
constexpr int64_t kInitialDaysBefore = 400;
constexpr int64_t kInitialDaysAfter = 2200;
constexpr int64_t kMinGrowDays = 4 * 366;
constexpr absl::Duration kMaxOpenTime = absl::Hours(24 * 366 * 1001);

// A local wall-clock boundary becomes the first instant at which the wall
// clock reads that time or later: the instant itself when unique, the first
// occurrence when repeated (fall back), the transition when skipped (spring
// forward). This mapping is monotone, so converted intervals stay sorted and
// never invert; one lying wholly inside a gap becomes empty.
int64_t ToAbsolute(const absl::TimeZone& tz, absl::CivilSecond c) {
  const absl::TimeZone::TimeInfo ci = tz.At(c);
  const absl::Time t =
      ci.kind == absl::TimeZone::TimeInfo::SKIPPED ? ci.trans : ci.pre;
  return absl::ToUnixSeconds(t);
}

// The index of the first element greater than x in sorted v[0, n), or n.
// Branch-free: the probes of a random query are unpredictable, and a
// mispredicted branch per step costs more than the whole search otherwise.
inline size_t UpperBound(const int64_t* v, size_t n, int64_t x) {
  if (n == 0) return 0;
  const int64_t* base = v;
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half] <= x ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - v) + (*base <= x ? 1 : 0);
}

struct Snapshot {
  int64_t day_lo = 0;  // local days [day_lo, day_hi), as days since 1970-01-01
  int64_t day_hi = 0;
  int64_t abs_lo = 0;  // start of day_lo and of day_hi, Unix seconds
  int64_t abs_hi = 0;
  bool closed_before = false;   // nothing is open before abs_lo
  bool closed_after = false;    // nothing is open at or after abs_hi
  std::vector<int64_t> starts;  // sorted, disjoint, non-empty, non-adjacent
  std::vector<int64_t> ends;
  std::vector<int64_t> cum;  // cum[i] = open seconds before interval i; n+1

  size_t size() const { return starts.size(); }
  int64_t total() const { return cum.back(); }
  bool Covers(int64_t sec) const {
    return (sec >= abs_lo || closed_before) && (sec < abs_hi || closed_after);
  }
  // Index of the first interval whose end is after t (t = sec + fraction).
  size_t FirstEndingAfter(int64_t sec) const {
    return UpperBound(ends.data(), ends.size(), sec);
  }
  // Open time in [abs_lo, t].
  absl::Duration OpenBefore(int64_t sec, absl::Duration frac) const {
    const size_t i = FirstEndingAfter(sec);
    if (i == size()) return absl::Seconds(total());
    if (sec < starts[i]) return absl::Seconds(cum[i]);
    return absl::Seconds(cum[i] + (sec - starts[i])) + frac;
  }
};

// Splits t into whole Unix seconds (floor) and the sub-second rest.
inline void Split(absl::Time t, int64_t* sec, absl::Duration* frac) {
  *sec = absl::ToUnixSeconds(t);
  *frac = t - absl::FromUnixSeconds(*sec);
}

// Floor of d in seconds, and the rest in [0, 1s).
inline void SplitDuration(absl::Duration d, int64_t* sec,
                          absl::Duration* frac) {
  *sec = absl::ToInt64Seconds(d);  // truncates toward zero
  *frac = d - absl::Seconds(*sec);
  if (*frac < absl::ZeroDuration()) {
    --*sec;
    *frac += absl::Seconds(1);
  }
}

}  // namespace

struct BusinessCalendar::Impl {
  v1::BusinessCalendar spec;
  bool always_open = false;
  bool never_open = false;
  bool weekly_open = false;  // some weekday has open hours
  absl::TimeZone zone;
  std::array<DayIntervals, 8> weekly;                    // by ISO weekday, 1..7
  absl::flat_hash_map<int64_t, DayIntervals> overrides;  // holidays, specials
  int64_t bound_lo = 0;  // days that may be open: [bound_lo, bound_hi)
  int64_t bound_hi = 0;

  mutable std::atomic<const Snapshot*> current{nullptr};
  mutable absl::Mutex mu;
  mutable std::vector<std::unique_ptr<const Snapshot>> owned
      ABSL_GUARDED_BY(mu);

  int64_t LocalDay(int64_t sec) const {
    return absl::ToCivilDay(absl::FromUnixSeconds(sec), zone) - kEpochDay;
  }

  std::unique_ptr<Snapshot> Build(int64_t lo, int64_t hi) const {
    auto s = std::make_unique<Snapshot>();
    s->day_lo = lo;
    s->day_hi = hi;
    s->abs_lo = ToAbsolute(zone, absl::CivilSecond(kEpochDay + lo));
    s->abs_hi = ToAbsolute(zone, absl::CivilSecond(kEpochDay + hi));
    s->closed_before = lo <= bound_lo;
    s->closed_after = hi >= bound_hi;
    s->cum.push_back(0);
    for (int64_t day = std::max(lo, bound_lo); day < std::min(hi, bound_hi);
         ++day) {
      const absl::CivilDay cd = kEpochDay + day;
      const DayIntervals* ivs;
      if (auto it = overrides.find(day); it != overrides.end()) {
        ivs = &it->second;
      } else {
        ivs = &weekly[static_cast<int>(absl::GetWeekday(cd)) + 1];
      }
      const absl::CivilSecond midnight(cd);
      for (const auto& [ls, le] : *ivs) {
        const int64_t a = ToAbsolute(zone, midnight + ls);
        const int64_t b = ToAbsolute(zone, midnight + le);
        if (b <= a) continue;
        if (!s->ends.empty() && a <= s->ends.back()) {
          // Touching intervals (24:00 then 00:00) are one stretch of time.
          s->cum.back() += b - s->ends.back();
          s->ends.back() = b;
          continue;
        }
        s->starts.push_back(a);
        s->ends.push_back(b);
        s->cum.push_back(s->cum.back() + (b - a));
      }
    }
    return s;
  }

  const Snapshot* Publish(std::unique_ptr<Snapshot> s) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    const Snapshot* raw = s.get();
    owned.push_back(std::move(s));
    current.store(raw, std::memory_order_release);
    return raw;
  }

  // A snapshot covering the instants lo_sec..hi_sec (inclusive).
  const Snapshot* Cover(int64_t lo_sec, int64_t hi_sec) const {
    const Snapshot* s = current.load(std::memory_order_acquire);
    if (s != nullptr && s->Covers(lo_sec) && s->Covers(hi_sec)) return s;
    return CoverSlow(lo_sec, hi_sec);
  }

  const Snapshot* CoverSlow(int64_t lo_sec, int64_t hi_sec) const {
    absl::MutexLock lock(&mu);
    const Snapshot* s = current.load(std::memory_order_acquire);
    if (s != nullptr && s->Covers(lo_sec) && s->Covers(hi_sec)) return s;
    // Day margins absorb any UTC offset; clamping keeps far-away instants
    // (the calendar is closed there) from materializing anything.
    const int64_t need_lo =
        std::clamp(LocalDay(lo_sec) - 1, bound_lo, bound_hi);
    const int64_t need_hi =
        std::clamp(LocalDay(hi_sec) + 2, bound_lo, bound_hi);
    int64_t lo, hi;
    if (s == nullptr) {
      lo = need_lo - kInitialDaysBefore;
      hi = need_hi + kInitialDaysAfter;
    } else {
      const int64_t grow = std::max(kMinGrowDays, s->day_hi - s->day_lo);
      lo = s->day_lo;
      hi = s->day_hi;
      if (!s->Covers(lo_sec) || !s->Covers(hi_sec)) {
        if (need_lo < lo) lo = std::min(need_lo, lo - grow);
        if (need_hi > hi) hi = std::max(need_hi, hi + grow);
      }
    }
    lo = std::clamp(lo, bound_lo, bound_hi);
    hi = std::clamp(hi, lo, bound_hi);
    return Publish(Build(lo, hi));
  }

  // A snapshot reaching further in one direction than `s`. Snapshots only
  // ever grow, so the current one contains `s`; it is the answer when another
  // thread already grew it the same way.
  const Snapshot* Grow(const Snapshot* s, bool forward) const {
    absl::MutexLock lock(&mu);
    const Snapshot* cur = current.load(std::memory_order_acquire);
    if (forward ? (cur->day_hi > s->day_hi || cur->closed_after)
                : (cur->day_lo < s->day_lo || cur->closed_before)) {
      return cur;
    }
    const int64_t grow = std::max(kMinGrowDays, cur->day_hi - cur->day_lo);
    const int64_t lo =
        forward ? cur->day_lo : std::max(bound_lo, cur->day_lo - grow);
    const int64_t hi =
        forward ? std::min(bound_hi, cur->day_hi + grow) : cur->day_hi;
    return Publish(Build(lo, hi));
  }
};

namespace {

BusinessCalendar::Impl* NewImpl(const v1::BusinessCalendar& spec) {
  auto* impl = new BusinessCalendar::Impl;
  impl->spec = spec;
  impl->always_open = spec.always_open();
  return impl;
}

}  // namespace

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(
    const v1::BusinessCalendar& spec) {
  if (auto err = calendar_internal::ValidateSpec(spec)) {
    return absl::InvalidArgumentError(err->message);
  }
  std::shared_ptr<Impl> impl(NewImpl(spec));
  if (impl->always_open) return BusinessCalendar(std::move(impl));
  absl::LoadTimeZone(spec.time_zone(), &impl->zone);

  bool weekly_open = false;
  for (const v1::WeekdaySchedule& w : spec.weekly()) {
    DayIntervals& day = impl->weekly[w.weekday()];
    for (const v1::TimeInterval& iv : w.intervals()) {
      day.emplace_back(iv.start_seconds(), iv.end_seconds());
    }
    weekly_open = weekly_open || !day.empty();
  }
  int64_t special_lo = std::numeric_limits<int64_t>::max();
  int64_t special_hi = std::numeric_limits<int64_t>::min();
  for (const v1::Holiday& h : spec.holidays()) {
    impl->overrides[calendar_internal::ToCivilDay(h.date()) - kEpochDay];
  }
  for (const v1::SpecialDay& sd : spec.special_days()) {
    const int64_t day = calendar_internal::ToCivilDay(sd.date()) - kEpochDay;
    DayIntervals& ivs = impl->overrides[day];
    for (const v1::TimeInterval& iv : sd.intervals()) {
      ivs.emplace_back(iv.start_seconds(), iv.end_seconds());
    }
    if (!ivs.empty()) {
      special_lo = std::min(special_lo, day);
      special_hi = std::max(special_hi, day + 1);
    }
  }
  impl->bound_lo = kFirstDay - kEpochDay;
  impl->bound_hi = kLastDay - kEpochDay;
  if (!weekly_open) {
    // Only special days open: the open time is finite, and bounding the
    // horizon by it lets Add report "never" without scanning a millennium.
    impl->bound_lo = std::max(impl->bound_lo, special_lo);
    impl->bound_hi = std::min(impl->bound_hi, special_hi);
  }
  impl->weekly_open = weekly_open;
  impl->never_open = impl->bound_lo >= impl->bound_hi;
  return BusinessCalendar(std::move(impl));
}

BusinessCalendar BusinessCalendar::AlwaysOpen() {
  v1::BusinessCalendar spec;
  spec.set_always_open(true);
  return BusinessCalendar(std::shared_ptr<const Impl>(NewImpl(spec)));
}

BusinessCalendar::BusinessCalendar(std::shared_ptr<const Impl> impl)
    : impl_(std::move(impl)) {}

const v1::BusinessCalendar& BusinessCalendar::spec() const {
  return impl_->spec;
}

absl::Time BusinessCalendar::Add(absl::Time start, absl::Duration d) const {
  const Impl& im = *impl_;
  if (im.always_open) return start + d;
  if (start == absl::InfiniteFuture() || start == absl::InfinitePast()) {
    return start;
  }
  const bool forward = d >= absl::ZeroDuration();
  if (im.never_open) {
    return forward ? absl::InfiniteFuture() : absl::InfinitePast();
  }
  // More open time than the materialized millennium can hold; also keeps the
  // target arithmetic below clear of Duration saturation.
  if (d > kMaxOpenTime) return absl::InfiniteFuture();
  if (d < -kMaxOpenTime) return absl::InfinitePast();

  int64_t sec;
  absl::Duration frac;
  Split(start, &sec, &frac);
  const Snapshot* s = im.Cover(sec, sec);
  for (;;) {
    const size_t n = s->size();
    if (d == absl::ZeroDuration()) {  // NextOpening
      const size_t i = s->FirstEndingAfter(sec);
      if (i < n) {
        return sec >= s->starts[i] ? start
                                   : absl::FromUnixSeconds(s->starts[i]);
      }
    } else {
      const absl::Duration target = s->OpenBefore(sec, frac) + d;
      int64_t tsec;
      absl::Duration tfrac;
      SplitDuration(target, &tsec, &tfrac);
      if (forward) {
        // The first interval whose cumulative end reaches the target; a
        // target equal to it lands on the closing instant.
        const int64_t need = tsec + (tfrac > absl::ZeroDuration() ? 1 : 0);
        if (need <= s->total()) {
          const size_t j = UpperBound(s->cum.data() + 1, n, need - 1);
          return absl::FromUnixSeconds(s->starts[j]) +
                 (target - absl::Seconds(s->cum[j]));
        }
      } else if (tsec >= 0) {
        // Backwards: the latest instant with that much open time after it,
        // so a result on an opening instant stays there.
        const size_t k = UpperBound(s->cum.data() + 1, n, tsec);
        return absl::FromUnixSeconds(s->starts[k]) +
               (target - absl::Seconds(s->cum[k]));
      }
    }
    // Not within this snapshot (d == 0 searches forward too).
    if (forward ? s->closed_after : s->closed_before) {
      return forward ? absl::InfiniteFuture() : absl::InfinitePast();
    }
    s = im.Grow(s, forward);
  }
}

absl::Time BusinessCalendar::NextOpening(absl::Time t) const {
  return Add(t, absl::ZeroDuration());
}

absl::Duration BusinessCalendar::Between(absl::Time a, absl::Time b) const {
  const Impl& im = *impl_;
  if (im.always_open) return b - a;
  if (a == b || im.never_open) return absl::ZeroDuration();
  if (b < a) return -Between(b, a);
  const bool infinite =
      a == absl::InfinitePast() || b == absl::InfiniteFuture();
  if (infinite && im.weekly_open) {
    // A weekly schedule repeats forever in concept; say so rather than sum a
    // millennium of it.
    return absl::InfiniteDuration();
  }
  int64_t sa, sb;
  absl::Duration fa, fb;
  Split(a, &sa, &fa);
  Split(b, &sb, &fb);
  const Snapshot* s = im.Cover(sa, sb);
  return s->OpenBefore(sb, fb) - s->OpenBefore(sa, fa);
}

bool BusinessCalendar::IsOpen(absl::Time t) const {
  const Impl& im = *impl_;
  if (im.always_open) return true;
  if (im.never_open || t == absl::InfiniteFuture() ||
      t == absl::InfinitePast()) {
    return false;
  }
  int64_t sec;
  absl::Duration frac;
  Split(t, &sec, &frac);
  const Snapshot* s = im.Cover(sec, sec);
  const size_t i = s->FirstEndingAfter(sec);
  return i < s->size() && sec >= s->starts[i];
}

}  // namespace servicedesk
