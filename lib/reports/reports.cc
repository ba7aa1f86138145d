// Compliance reports: aggregates the report facts (lib/core/report_facts.h)
// by scanning index keys only. The definitions are in servicedesk/reports.h.
#include "servicedesk/reports.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <system_error>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/report_facts.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "servicedesk/proto/sla.pb.h"

namespace servicedesk {
namespace {

namespace facts = internal::report_facts;
using internal::FromProto;
using internal::ToProto;

using facts::Fact;

struct Acc {
  int64_t requests = 0, met = 0, breached = 0, fr_met = 0, fr_breached = 0;
  std::vector<int64_t> fr_micros, res_micros;
  int64_t rating_sum = 0, rating_count = 0;
};

// Nearest-rank percentile: the smallest value with at least p of the sample at
// or below it. `v` is not empty.
int64_t Percentile(std::vector<int64_t>& v, double p) {
  size_t rank =
      static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  rank = std::max<size_t>(rank, 1) - 1;
  std::nth_element(v.begin(), v.begin() + rank, v.end());
  return v[rank];
}

constexpr const char* kBuckets[] = {"<1d", "1-3d", "3-7d", ">7d"};
constexpr int kBucketCount = 4;

int AgeBucket(absl::Duration age) {
  if (age < absl::Hours(24)) return 0;
  if (age < absl::Hours(72)) return 1;
  if (age < absl::Hours(168)) return 2;
  return 3;
}

// The instant civil time `c` begins in `tz`: where a DST jump skips it, the
// jump; where it repeats, its first occurrence.
absl::Time StartOf(absl::CivilSecond c, const absl::TimeZone& tz) {
  const absl::TimeZone::TimeInfo ti = tz.At(c);
  return ti.kind == absl::TimeZone::TimeInfo::SKIPPED ? ti.trans : ti.pre;
}

constexpr size_t kMaxPeriods = 10'000;

// The query's periods: [from, to) split at the midnights that start a day,
// an ISO week or a month in the query's zone.
class Periods {
 public:
  static absl::StatusOr<Periods> Make(const v1::ComplianceQuery& q,
                                      absl::Time from, absl::Time to) {
    Periods p;
    p.bounds_.push_back(from);
    // A mistyped zone is refused even where it is not used yet.
    absl::TimeZone tz = absl::UTCTimeZone();
    if (!q.time_zone().empty() && !absl::LoadTimeZone(q.time_zone(), &tz))
      return absl::InvalidArgumentError(
          absl::StrCat("time_zone: unknown time zone '", q.time_zone(), "'"));
    if (q.by_period() != v1::REPORT_PERIOD_UNSPECIFIED) {
      // The first day of the period holding `from`, then period by period.
      absl::CivilDay first = absl::ToCivilDay(from, tz);
      if (q.by_period() == v1::REPORT_PERIOD_WEEK)
        first -= static_cast<int>(absl::GetWeekday(first));  // Monday = 0
      if (q.by_period() == v1::REPORT_PERIOD_MONTH)
        first = absl::CivilDay(absl::CivilMonth(first));
      auto after = [&](absl::CivilDay d) {
        switch (q.by_period()) {
          case v1::REPORT_PERIOD_DAY:
            return d + 1;
          case v1::REPORT_PERIOD_WEEK:
            return d + 7;
          default:
            return absl::CivilDay(absl::CivilMonth(d) + 1);
        }
      };
      for (absl::CivilDay d = after(first);; d = after(d)) {
        const absl::Time t = StartOf(d, tz);
        if (t >= to) break;
        if (p.bounds_.size() >= kMaxPeriods)
          return absl::InvalidArgumentError(
              "by_period: [from, to) holds more than 10,000 periods");
        // A day a zone skipped entirely starts where the next one does.
        if (t > p.bounds_.back()) p.bounds_.push_back(t);
      }
    }
    p.bounds_.push_back(to);
    return p;
  }

  // The period holding `t` (from <= t < to). Facts come in time order, so
  // the last answer is checked first.
  int Index(absl::Time t) {
    if (bounds_.size() == 2) return 0;
    if (t < bounds_[last_] || t >= bounds_[last_ + 1]) {
      const auto it = std::upper_bound(bounds_.begin(), bounds_.end(), t);
      const int i = static_cast<int>(it - bounds_.begin()) - 1;
      last_ = std::clamp(i, 0, static_cast<int>(bounds_.size()) - 2);
    }
    return last_;
  }
  int size() const { return static_cast<int>(bounds_.size()) - 1; }
  absl::Time Start(int i) const { return bounds_[i]; }
  absl::Time End(int i) const { return bounds_[i + 1]; }

 private:
  std::vector<absl::Time> bounds_;  // from, the period starts, to
  int last_ = 0;
};

// Accumulates facts per group. A report visits millions of facts, so a
// group is two integers: center and staff ids are interned on first sight
// and packed with kind and channel (see Pack), next to the period's index.
class Aggregator {
 public:
  // Packed group; period index * kBucketCount + age bucket.
  using Key = std::pair<uint64_t, int>;

  Aggregator(const v1::ComplianceQuery& q, std::string center, Periods periods)
      : periods(std::move(periods)),
        rows(this->periods.size()),
        q_(q),
        center_(std::move(center)) {
    Intern("");  // id 0: the field is not grouped by
  }

  // The accumulator of a fact's group, or nullptr if the center filter
  // excludes it.
  Acc* Group(const Fact& f) {
    if (!center_.empty() && f.center != center_) return nullptr;
    return &rows[periods.Index(f.at)][Packed(f)];
  }

  // Counts an open piece [piece, f.at) of a stretch opened at `start` in the
  // backlog at each instant of `at` (ascending; at[i] is period i's) it
  // holds, by group and age then.
  void AddToBacklog(const Fact& f, absl::Time start, absl::Time piece,
                    const std::vector<absl::Time>& at) {
    if (!center_.empty() && f.center != center_) return;
    auto it = std::lower_bound(at.begin(), at.end(), piece);
    if (it == at.end() || *it >= f.at) return;
    const uint64_t packed = Packed(f);
    for (; it != at.end() && *it < f.at; ++it) {
      const int period = static_cast<int>(it - at.begin());
      ++backlog[Key{packed, period * kBucketCount + AgeBucket(*it - start)}];
    }
  }

  // Center, staff, kind and channel of a packed group.
  struct Fields {
    const std::string* center;
    const std::string* staff;
    int kind, channel;
  };
  Fields Unpack(uint64_t key) const {
    return Fields{&names_[key >> 40], &names_[(key >> 16) & 0xFFFFFF],
                  static_cast<int>((key >> 8) & 0xFF),
                  static_cast<int>(key & 0xFF)};
  }

  Periods periods;
  // Per period (a map each: the per-fact lookup hashes one integer).
  std::vector<absl::flat_hash_map<uint64_t, Acc>> rows;
  absl::flat_hash_map<Key, int64_t> backlog;

  // True once more names were seen than Pack can tell apart.
  bool overflowed() const { return overflowed_; }

 private:
  uint64_t Packed(const Fact& f) {
    return Pack(q_.by_center() ? Intern(f.center) : 0,
                q_.by_staff() ? Intern(f.staff) : 0, q_.by_kind() ? f.kind : 0,
                q_.by_channel() ? f.channel : 0);
  }

  // 24 bits each for center and staff (ids interned per report), 8 each for
  // kind and channel (report_facts stores them as one byte).
  static uint64_t Pack(uint32_t center, uint32_t staff, int kind, int channel) {
    return (uint64_t{center} << 40) | (uint64_t{staff} << 16) |
           (static_cast<uint64_t>(kind & 0xFF) << 8) |
           static_cast<uint64_t>(channel & 0xFF);
  }

  uint32_t Intern(absl::string_view name) {
    // A network has a handful of centers: comparing beats hashing.
    if (names_.size() <= 8) {
      for (size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<uint32_t>(i);
    }
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    if (names_.size() >= kMaxNames) {
      overflowed_ = true;
      return 0;
    }
    names_.emplace_back(name);
    const auto id = static_cast<uint32_t>(names_.size() - 1);
    ids_.emplace(names_.back(), id);
    return id;
  }

  static constexpr size_t kMaxNames = size_t{1} << 24;
  const v1::ComplianceQuery& q_;
  std::string center_;
  bool overflowed_ = false;
  std::deque<std::string> names_;  // stable: ids_ views them
  absl::flat_hash_map<absl::string_view, uint32_t> ids_;
};

// The facts of `index` in [from, to) (to = InfiniteFuture: everything from
// `from` on, the open spans' largest key included).
ScanRange Period(const char* index, absl::Time from, absl::Time to) {
  ScanRange r;
  r.index = index;
  r.lower = facts::Bound(from);
  if (to != absl::InfiniteFuture()) r.upper = facts::Bound(to);
  r.bucket = facts::BucketOf(index);
  return r;
}

// Sets a row's percentile pair from `micros`, or leaves both unset if no clock
// stopped: an empty sample is no figure, not a zero.
void SetPercentiles(std::vector<int64_t>& micros,
                    google::protobuf::Duration* (v1::ComplianceRow::*p50)(),
                    google::protobuf::Duration* (v1::ComplianceRow::*p90)(),
                    v1::ComplianceRow* row) {
  if (micros.empty()) return;
  *(row->*p50)() = ToProto(absl::Microseconds(Percentile(micros, 0.5)));
  *(row->*p90)() = ToProto(absl::Microseconds(Percentile(micros, 0.9)));
}

// An absent figure is an empty CSV field. Seconds, with the fraction (to
// the microsecond, truncated) only when there is one.
std::string CsvSeconds(bool has, const google::protobuf::Duration& d) {
  if (!has) return "";
  const int64_t us = absl::ToInt64Microseconds(FromProto(d));
  const uint64_t abs_us =
      us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  std::string out = absl::StrCat(us < 0 ? "-" : "", abs_us / 1'000'000);
  if (const uint64_t frac = abs_us % 1'000'000; frac != 0) {
    std::string digits = absl::StrFormat("%06d", frac);
    digits.erase(digits.find_last_not_of('0') + 1);
    absl::StrAppend(&out, ".", digits);
  }
  return out;
}
std::string CsvTime(bool has, const google::protobuf::Timestamp& t) {
  return has ? internal::FormatUtc(FromProto(t)) : "";
}
// The shortest text that reads back as the same double: the CSV says what
// the row says (a reader's rounding is the reader's choice).
std::string CsvNumber(bool has, double v) {
  if (!has) return "";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : absl::StrCat(v);
}

std::string CsvField(absl::string_view s) {
  if (s.find_first_of(",\"\r\n") == absl::string_view::npos)
    return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string KindName(int kind) {
  return kind == 0 ? "" : v1::ServiceKind_Name(kind);
}
std::string ChannelName(int ch) { return ch == 0 ? "" : v1::Channel_Name(ch); }

}  // namespace

absl::StatusOr<v1::ComplianceReport> Reports::Compliance(
    const Actor& actor, const v1::ComplianceQuery& q) {
  if (!q.has_from() || !q.has_to())
    return absl::InvalidArgumentError("from: both from and to are required");
  RETURN_IF_ERROR(internal::CheckTimestamp("from", q.from()));
  RETURN_IF_ERROR(internal::CheckTimestamp("to", q.to()));
  const absl::Time from = FromProto(q.from()), to = FromProto(q.to());
  if (from >= to) return absl::InvalidArgumentError("to: must be after from");
  if (!v1::ReportPeriod_IsValid(q.by_period()))
    return absl::InvalidArgumentError(
        absl::StrCat("by_period: unknown period ", q.by_period()));
  ASSIGN_OR_RETURN(Periods periods, Periods::Make(q, from, to));
  // Fact keys end the center id with a NUL: such an id matches nothing.
  if (q.center_id().find('\0') != std::string::npos)
    return absl::InvalidArgumentError("center_id: must not contain NUL");
  return ctx_->Read(
      actor, [&](internal::TxScope& s) -> absl::StatusOr<v1::ComplianceReport> {
        const internal::ResolvedActor& a = s.actor();
        std::string center = q.center_id();
        if (!a.IsNetworkWide() && !a.IsStaff())
          return internal::PermissionDenied(a, "read compliance reports");
        Transaction& tx = s.tx();
        if (!center.empty()) {
          // A mistyped id would otherwise give an empty report.
          auto exists = tx.GetVersion(internal::tables::kCenter, center);
          if (absl::IsNotFound(exists.status()))
            return internal::RecordNotFound(internal::tables::kCenter, center,
                                            "center_id");
          if (!exists.ok()) return exists.status();
        }
        if (!a.IsNetworkWide()) {
          if (!center.empty() && center != a.center_id)
            return internal::PermissionDenied(
                a, "read another center's compliance report");
          center = a.center_id;
        }
        // Nothing after `now` counts: a breach instant after it is only a
        // forecast (the clock may still stop in time), and a registration,
        // stop or rating dated after it (a clock set back, a node whose
        // clock lags, a stop recorded ahead) has not happened yet. Those
        // happen at an instant, so one at `now` itself counts; a breach is
        // the run exceeding its target after its instant, so it needs a
        // later `now`. A period that has ended reads the same facts on
        // every run.
        const absl::Time seen = std::min(to, s.now());
        const absl::Time happened =
            std::min(to, s.now() + absl::Microseconds(1));
        Aggregator agg(q, center, std::move(periods));
        Fact f;
        absl::Status bad = absl::OkStatus();
        // Visits the facts of `index` in [lower, upper) with `add`.
        auto scan = [&](absl::string_view table, const char* index,
                        absl::Time lower, absl::Time upper,
                        auto&& add) -> absl::Status {
          if (lower >= upper) return absl::OkStatus();
          ScanRange range = Period(index, lower, upper);
          RETURN_IF_ERROR(tx.ScanKeys(
              table, range, [&](absl::string_view ik, absl::string_view) {
                if (!facts::Decode(ik, &f)) {
                  bad = absl::DataLossError(absl::StrCat(
                      "report fact in index '", index, "' is malformed"));
                  return false;
                }
                add();
                return true;
              }));
          return bad;
        };
        RETURN_IF_ERROR(scan(internal::tables::kRequest,
                             facts::kRequestRegistered, from, happened, [&] {
                               if (Acc* acc = agg.Group(f)) ++acc->requests;
                             }));
        // Met where the clock stopped; every stop is in the percentiles.
        RETURN_IF_ERROR(scan(internal::tables::kSlaClock, facts::kClockStop,
                             from, happened, [&] {
                               Acc* acc = agg.Group(f);
                               if (acc == nullptr) return;
                               const bool met = f.flag != 0;
                               if (f.clock_kind == v1::CLOCK_KIND_RESOLUTION) {
                                 if (met) ++acc->met;
                                 acc->res_micros.push_back(f.micros);
                               } else if (f.clock_kind ==
                                          v1::CLOCK_KIND_FIRST_RESPONSE) {
                                 if (met) ++acc->fr_met;
                                 acc->fr_micros.push_back(f.micros);
                               }
                             }));
        // Breached where the breach happened, stopped or not.
        RETURN_IF_ERROR(scan(
            internal::tables::kSlaClock, facts::kClockBreach, from, seen, [&] {
              Acc* acc = agg.Group(f);
              if (acc == nullptr) return;
              if (f.clock_kind == v1::CLOCK_KIND_RESOLUTION) ++acc->breached;
              if (f.clock_kind == v1::CLOCK_KIND_FIRST_RESPONSE)
                ++acc->fr_breached;
            }));
        RETURN_IF_ERROR(scan(internal::tables::kRequest, facts::kRequestRating,
                             from, happened, [&] {
                               if (Acc* acc = agg.Group(f)) {
                                 acc->rating_sum += f.flag;
                                 ++acc->rating_count;
                               }
                             }));
        // The backlog at each begun period's end, or at `seen` if sooner:
        // open spans with start <= T < end, aged at T. Spans that ended
        // before the first T sort before the scan. Without periods the
        // query is one period: a backlog at `seen` once it has begun.
        std::vector<absl::Time> backlog_at;
        for (int i = 0; i < agg.periods.size(); ++i) {
          if (agg.periods.Start(i) >= seen) break;
          backlog_at.push_back(std::min(agg.periods.End(i), seen));
        }
        if (!backlog_at.empty())
          RETURN_IF_ERROR(
              scan(internal::tables::kRequest, facts::kRequestOpenSpan,
                   backlog_at.front(), absl::InfiniteFuture(), [&] {
                     absl::Time piece;
                     if (!facts::SplitSpanStaff(f.staff, &f.staff, &piece)) {
                       bad = absl::DataLossError(
                           "report fact in index 'rf_span' is malformed");
                       return;
                     }
                     agg.AddToBacklog(f, absl::FromUnixMicros(f.micros), piece,
                                      backlog_at);
                   }));

        if (agg.overflowed())
          return absl::ResourceExhaustedError(
              "report: more than 16,777,216 distinct centers and staff ids");
        v1::ComplianceReport report;
        *report.mutable_from() = q.from();
        *report.mutable_to() = q.to();
        *report.mutable_backlog_at() = ToProto(seen);
        // Rows in period then group order (center, kind, channel, staff).
        struct Sorted {
          int period;
          const std::string *center, *staff;
          int kind, channel;
          Acc* acc;
          auto Order() const {
            return std::tie(period, *center, kind, channel, *staff);
          }
        };
        std::vector<Sorted> sorted;
        for (int period = 0; period < agg.periods.size(); ++period) {
          for (auto& [key, acc] : agg.rows[period]) {
            const Aggregator::Fields g = agg.Unpack(key);
            sorted.push_back(
                Sorted{period, g.center, g.staff, g.kind, g.channel, &acc});
          }
        }
        std::sort(sorted.begin(), sorted.end(),
                  [](const Sorted& a, const Sorted& b) {
                    return a.Order() < b.Order();
                  });
        for (Sorted& group : sorted) {
          Acc& acc = *group.acc;
          v1::ComplianceRow* row = report.add_rows();
          row->set_center_id(*group.center);
          row->set_kind(static_cast<v1::ServiceKind>(group.kind));
          row->set_channel(static_cast<v1::Channel>(group.channel));
          row->set_staff_id(*group.staff);
          *row->mutable_period_start() =
              ToProto(agg.periods.Start(group.period));
          *row->mutable_period_end() = ToProto(agg.periods.End(group.period));
          row->set_requests(acc.requests);
          row->set_met(acc.met);
          row->set_breached(acc.breached);
          const int64_t judged = acc.met + acc.breached;
          if (judged > 0)
            row->set_compliance_pct(100.0 * static_cast<double>(acc.met) /
                                    static_cast<double>(judged));
          row->set_first_response_met(acc.fr_met);
          row->set_first_response_breached(acc.fr_breached);
          using R = v1::ComplianceRow;
          SetPercentiles(acc.fr_micros, &R::mutable_first_response_p50,
                         &R::mutable_first_response_p90, row);
          SetPercentiles(acc.res_micros, &R::mutable_resolution_p50,
                         &R::mutable_resolution_p90, row);
          row->set_satisfaction_count(acc.rating_count);
          if (acc.rating_count > 0)
            row->set_satisfaction_avg(static_cast<double>(acc.rating_sum) /
                                      static_cast<double>(acc.rating_count));
        }
        // Backlog rows in period, group, then age order.
        struct Open {
          int period;
          Aggregator::Fields g;
          int bucket;
          int64_t count;
          auto Order() const {
            return std::tie(period, *g.center, g.kind, g.channel, *g.staff,
                            bucket);
          }
        };
        std::vector<Open> open;
        open.reserve(agg.backlog.size());
        for (const auto& [key, count] : agg.backlog)
          open.push_back(Open{key.second / kBucketCount, agg.Unpack(key.first),
                              key.second % kBucketCount, count});
        std::sort(open.begin(), open.end(), [](const Open& a, const Open& b) {
          return a.Order() < b.Order();
        });
        for (const Open& o : open) {
          v1::BacklogRow* row = report.add_backlog();
          row->set_center_id(*o.g.center);
          row->set_kind(static_cast<v1::ServiceKind>(o.g.kind));
          row->set_channel(static_cast<v1::Channel>(o.g.channel));
          row->set_staff_id(*o.g.staff);
          row->set_age_bucket(kBuckets[o.bucket]);
          row->set_count(o.count);
          *row->mutable_at() = ToProto(backlog_at[o.period]);
          *row->mutable_period_start() = ToProto(agg.periods.Start(o.period));
          *row->mutable_period_end() = ToProto(agg.periods.End(o.period));
        }
        return report;
      });
}

std::string Reports::ToCsv(const v1::ComplianceReport& report) {
  std::string out =
      "period_start,period_end,center_id,kind,channel,staff_id,requests,met,"
      "breached,compliance_pct,first_response_met,first_response_breached,"
      "first_response_p50_s,first_response_p90_s,resolution_p50_s,"
      "resolution_p90_s,satisfaction_avg,satisfaction_count\r\n";
  for (const v1::ComplianceRow& r : report.rows()) {
    absl::StrAppend(
        &out, CsvTime(r.has_period_start(), r.period_start()), ",",
        CsvTime(r.has_period_end(), r.period_end()), ",",
        CsvField(r.center_id()), ",", KindName(r.kind()), ",",
        ChannelName(r.channel()), ",", CsvField(r.staff_id()), ",",
        r.requests(), ",", r.met(), ",", r.breached(), ",",
        CsvNumber(r.has_compliance_pct(), r.compliance_pct()), ",",
        r.first_response_met(), ",", r.first_response_breached(), ",",
        CsvSeconds(r.has_first_response_p50(), r.first_response_p50()), ",",
        CsvSeconds(r.has_first_response_p90(), r.first_response_p90()), ",",
        CsvSeconds(r.has_resolution_p50(), r.resolution_p50()), ",",
        CsvSeconds(r.has_resolution_p90(), r.resolution_p90()), ",",
        CsvNumber(r.has_satisfaction_avg(), r.satisfaction_avg()), ",",
        r.satisfaction_count(), "\r\n");
  }
  return out;
}

std::string Reports::BacklogToCsv(const v1::ComplianceReport& report) {
  std::string out =
      "period_start,period_end,backlog_at,center_id,kind,channel,staff_id,"
      "age_bucket,count\r\n";
  for (const v1::BacklogRow& b : report.backlog()) {
    // Rows built before backlogs had periods: the report's instant.
    const google::protobuf::Timestamp& at =
        b.has_at() ? b.at() : report.backlog_at();
    absl::StrAppend(&out, CsvTime(b.has_period_start(), b.period_start()), ",",
                    CsvTime(b.has_period_end(), b.period_end()), ",",
                    CsvTime(b.has_at() || report.has_backlog_at(), at), ",",
                    CsvField(b.center_id()), ",", KindName(b.kind()), ",",
                    ChannelName(b.channel()), ",", CsvField(b.staff_id()), ",",
                    CsvField(b.age_bucket()), ",", b.count(), "\r\n");
  }
  return out;
}

}  // namespace servicedesk
