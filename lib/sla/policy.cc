#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/auth/authz.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"
#include "lib/sla/clock_engine.h"

namespace servicedesk {
namespace internal {
namespace {

constexpr absl::Duration kMaxTarget = absl::Hours(24 * 3650);

absl::Status ValidateTarget(Transaction& tx, const std::string& f,
                            const v1::SlaTarget& t) {
  if (FromProto(t.duration()) <= absl::ZeroDuration())
    return absl::InvalidArgumentError(
        absl::StrCat(f, ".duration: must be positive"));
  // No response standard spans decades; a longer target would put due times
  // beyond what a Timestamp can hold (year 9999).
  if (FromProto(t.duration()) > kMaxTarget)
    return absl::InvalidArgumentError(
        absl::StrCat(f, ".duration: at most 3650 days (about 10 years)"));
  if (!v1::CalendarSource_IsValid(t.calendar_source()))
    return absl::InvalidArgumentError(
        absl::StrCat(f, ".calendar_source: unknown value"));
  if (t.calendar_source() == v1::CALENDAR_SOURCE_NAMED) {
    auto cal = tx.Get(tables::kCalendar, t.calendar_id());
    if (t.calendar_id().empty() || absl::IsNotFound(cal.status()))
      return absl::NotFoundError(absl::StrCat(f, ".calendar_id: calendar '",
                                              t.calendar_id(), "' not found"));
    RETURN_IF_ERROR(cal.status());
  } else if (!t.calendar_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        f, ".calendar_id: only allowed with CALENDAR_SOURCE_NAMED"));
  }
  // Written so that NaN fails too.
  if (!(t.warning_threshold() >= 0 && t.warning_threshold() < 1))
    return absl::InvalidArgumentError(absl::StrCat(
        f, ".warning_threshold: must be in (0, 1), or 0 for the default 0.8"));
  double prev = 0;
  for (int i = 0; i < t.escalation_shares_size(); ++i) {
    if (!(t.escalation_shares(i) > prev) || std::isinf(t.escalation_shares(i)))
      return absl::InvalidArgumentError(absl::StrCat(
          f, ".escalation_shares[", i, "]: must be positive and ascending"));
    prev = t.escalation_shares(i);
  }
  if (t.escalation_shares_size() > 3)
    return absl::InvalidArgumentError(absl::StrCat(
        f, ".escalation_shares: at most 3 steps (assignee, head, network)"));
  return absl::OkStatus();
}

template <typename E, typename Valid>
absl::Status CheckEnums(const std::string& f,
                        const google::protobuf::RepeatedField<E>& v,
                        Valid valid) {
  for (int i = 0; i < v.size(); ++i)
    if (v[i] == 0 || !valid(v[i]))
      return absl::InvalidArgumentError(
          absl::StrCat(f, "[", i, "]: unknown value ", v[i]));
  return absl::OkStatus();
}

template <typename C, typename V>
bool MatchesAny(const C& options, V value) {
  return options.empty() ||
         std::find(options.begin(), options.end(), value) != options.end();
}

}  // namespace

absl::StatusOr<v1::SlaPolicy> LoadPolicy(Transaction& tx) {
  auto p =
      LoadRecord<v1::SlaPolicy>(tx, tables::kSlaPolicy, kPolicyKey, "policy");
  if (absl::IsNotFound(p.status())) {
    v1::SlaPolicy empty;
    empty.set_id(kPolicyKey);
    return empty;
  }
  return p;
}

absl::Status ValidatePolicy(Transaction& tx, const v1::SlaPolicy& policy) {
  RETURN_IF_ERROR(CheckText("name", policy.name(), 0, 200));
  std::set<std::string> names;
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::SlaRule& r = policy.rules(i);
    std::string f = absl::StrCat("rules[", i, "]");
    RETURN_IF_ERROR(CheckText(f + ".name", r.name(), 1, 100));
    if (!names.insert(r.name()).second)
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".name: repeated rule name '", r.name(), "'"));
    RETURN_IF_ERROR(
        CheckEnums(f + ".kinds", r.kinds(), v1::ServiceKind_IsValid));
    RETURN_IF_ERROR(
        CheckEnums(f + ".channels", r.channels(), v1::Channel_IsValid));
    RETURN_IF_ERROR(
        CheckEnums(f + ".priorities", r.priorities(), v1::Priority_IsValid));
    RETURN_IF_ERROR(
        CheckEnums(f + ".tiers", r.tiers(), v1::ClientTier_IsValid));
    for (int k = 0; k < r.center_ids_size(); ++k) {
      auto c = tx.Get(tables::kCenter, r.center_ids(k));
      if (absl::IsNotFound(c.status()))
        return absl::NotFoundError(absl::StrCat(f, ".center_ids[", k,
                                                "]: center '", r.center_ids(k),
                                                "' not found"));
      RETURN_IF_ERROR(c.status());
    }
    if (!r.has_first_response())
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".first_response: required"));
    if (!r.has_resolution())
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".resolution: required"));
    RETURN_IF_ERROR(
        ValidateTarget(tx, f + ".first_response", r.first_response()));
    RETURN_IF_ERROR(ValidateTarget(tx, f + ".resolution", r.resolution()));
    if (r.has_periodic_update())
      RETURN_IF_ERROR(
          ValidateTarget(tx, f + ".periodic_update", r.periodic_update()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ResolvedTargets> ResolveTargetsTx(
    Transaction& tx, const v1::SlaSubject& subject) {
  if (subject.kind() == v1::SERVICE_KIND_UNSPECIFIED ||
      !v1::ServiceKind_IsValid(subject.kind()))
    return absl::InvalidArgumentError("kind: a known service kind is required");
  ASSIGN_OR_RETURN(v1::SlaPolicy policy, LoadPolicy(tx));
  ResolvedTargets out;
  for (const v1::SlaRule& r : policy.rules()) {
    if (!MatchesAny(r.kinds(), subject.kind()) ||
        !MatchesAny(r.channels(), subject.channel()) ||
        !MatchesAny(r.priorities(), subject.priority()) ||
        !MatchesAny(r.tiers(), subject.tier()) ||
        !MatchesAny(r.center_ids(), subject.center_id()))
      continue;
    out.rule_name = r.name();
    out.first_response = r.first_response();
    out.resolution = r.resolution();
    out.has_periodic_update = r.has_periodic_update();
    out.periodic_update = r.periodic_update();
    return out;
  }
  for (const v1::ServiceDefinition& d : Sla::Catalog()) {
    if (d.kind() != subject.kind()) continue;
    out.first_response = d.first_response();
    out.resolution = d.resolution();
    return out;
  }
  return absl::InternalError("service catalog has no entry for this kind");
}

}  // namespace internal

absl::StatusOr<v1::SlaPolicy> Sla::GetPolicy(const Actor& actor) {
  return ctx_->Read(actor, [&](internal::TxScope& s) {
    return internal::LoadPolicy(s.tx());
  });
}

absl::StatusOr<v1::SlaPolicy> Sla::SetPolicy(const Actor& actor,
                                             const v1::SlaPolicy& in) {
  return ctx_->Write(
      actor, [&](internal::TxScope& s) -> absl::StatusOr<v1::SlaPolicy> {
        RETURN_IF_ERROR(
            internal::RequireNetworkAdmin(s.actor(), "change the SLA policy"));
        ASSIGN_OR_RETURN(v1::SlaPolicy current, internal::LoadPolicy(s.tx()));
        RETURN_IF_ERROR(internal::ValidatePolicy(s.tx(), in));
        RETURN_IF_ERROR(internal::CheckFresh("sla_policy", internal::kPolicyKey,
                                             in.version(), current.version()));
        current.set_name(in.name());
        *current.mutable_rules() = in.rules();
        ASSIGN_OR_RETURN(bool changed,
                         internal::SaveIfChanged(
                             s, internal::tables::kSlaPolicy, current, {}));
        if (changed)
          s.Emit("sla_policy", current.id(), "updated", current.version(), "",
                 "", {{"rules", absl::StrCat(current.rules_size())}});
        return current;
      });
}

absl::StatusOr<ResolvedTargets> Sla::ResolveTargets(
    const Actor& actor, const v1::SlaSubject& subject) {
  return ctx_->Read(actor, [&](internal::TxScope& s) {
    return internal::ResolveTargetsTx(s.tx(), subject);
  });
}

}  // namespace servicedesk
