#include "lib/core/desk_context.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <exception>

#include "absl/strings/str_cat.h"
#include "lib/core/records.h"
#include "lib/core/tables.h"
#include "lib/core/validate.h"

namespace servicedesk::internal {

bool ResolvedActor::HasRole(v1::StaffRole role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

absl::Status PermissionDenied(const ResolvedActor& actor,
                              absl::string_view what) {
  std::string who;
  switch (actor.kind) {
    case ResolvedActor::Kind::kAdmin:
      who = "administrator";
      break;
    case ResolvedActor::Kind::kSystem:
      who = "system";
      break;
    case ResolvedActor::Kind::kStaff:
      who = "staff member";
      break;
    case ResolvedActor::Kind::kContact:
      who = "client contact";
      break;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("actor: ", who, " '", actor.id, "' may not ", what));
}

namespace {

// The proto wire format, written by hand: a call emits several events, and
// building each as a message, or streaming it through a growing string, cost
// more than the rest of a request's bookkeeping. Each payload is sized first
// and allocated once.
size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writers advance `p` through a buffer sized beforehand.
void PutVarint(char*& p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
}

void PutRaw(char*& p, absl::string_view bytes) {
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  p += bytes.size();
}

uint32_t LengthTag(int field) { return static_cast<uint32_t>(field) << 3 | 2; }

size_t BytesSize(int field, size_t n) {
  return VarintSize(LengthTag(field)) + VarintSize(n) + n;
}

void PutBytes(char*& p, int field, absl::string_view bytes) {
  PutVarint(p, LengthTag(field));
  PutVarint(p, bytes.size());
  PutRaw(p, bytes);
}

// proto3 leaves empty strings out.
size_t StringSize(int field, absl::string_view v) {
  return v.empty() ? 0 : BytesSize(field, v.size());
}
void PutString(char*& p, int field, absl::string_view v) {
  if (!v.empty()) PutBytes(p, field, v);
}

// A map<string, string> entry is a message {1: key, 2: value}, both always
// written.
size_t EntrySize(const EventDetail& d) {
  return BytesSize(1, d.first.size()) + BytesSize(2, d.second.size());
}

}  // namespace

const std::string& TxScope::EventHeader() {
  // A nested scope (the SLA engine run for the request service) records the
  // same caller at the same time: the outer scope's header serves both.
  if (outer_ != nullptr && outer_->actor_proto_ == actor_proto_ &&
      outer_->now_ == now_)
    return outer_->EventHeader();
  if (header_.empty()) {
    using E = v1::Event;
    const std::string time = ToProto(now_).SerializeAsString();
    const std::string actor = actor_proto_->SerializeAsString();
    header_.resize(BytesSize(E::kTimeFieldNumber, time.size()) +
                   BytesSize(E::kActorFieldNumber, actor.size()));
    char* p = header_.data();
    PutBytes(p, E::kTimeFieldNumber, time);
    PutBytes(p, E::kActorFieldNumber, actor);
  }
  return header_;
}

void TxScope::Emit(absl::string_view entity_type, absl::string_view entity_id,
                   absl::string_view action, int64_t entity_version,
                   absl::string_view center_id,
                   absl::string_view organization_id,
                   absl::Span<const EventDetail> details) {
  // The bytes v1::Event::SerializeAsString writes (fields in number order,
  // defaults omitted; map entries in the order given).
  using E = v1::Event;
  const std::string& header = EventHeader();
  const uint32_t version_tag = E::kEntityVersionFieldNumber << 3;
  const uint64_t version = static_cast<uint64_t>(entity_version);
  size_t size = header.size() +
                StringSize(E::kEntityTypeFieldNumber, entity_type) +
                StringSize(E::kEntityIdFieldNumber, entity_id) +
                StringSize(E::kActionFieldNumber, action) +
                StringSize(E::kCenterIdFieldNumber, center_id) +
                StringSize(E::kOrganizationIdFieldNumber, organization_id);
  if (entity_version != 0)
    size += VarintSize(version_tag) + VarintSize(version);
  for (const EventDetail& d : details)
    size += BytesSize(E::kDetailsFieldNumber, EntrySize(d));

  std::string& out = payloads_.emplace_back(size, '\0');
  char* p = out.data();
  PutRaw(p, header);
  PutString(p, E::kEntityTypeFieldNumber, entity_type);
  PutString(p, E::kEntityIdFieldNumber, entity_id);
  PutString(p, E::kActionFieldNumber, action);
  if (entity_version != 0) {
    PutVarint(p, version_tag);
    PutVarint(p, version);
  }
  PutString(p, E::kCenterIdFieldNumber, center_id);
  PutString(p, E::kOrganizationIdFieldNumber, organization_id);
  for (const EventDetail& d : details) {
    PutVarint(p, LengthTag(E::kDetailsFieldNumber));
    PutVarint(p, EntrySize(d));
    PutBytes(p, 1, d.first);
    PutBytes(p, 2, d.second);
  }
}

namespace {

// The block each thread's outermost scope starts its arena in: a call's
// scratch messages fit in it, so an arena costs no malloc. A scope opened
// while another is live on the thread (a subscriber calling the desk)
// allocates its own blocks.
constexpr size_t kScratchBlockSize = 64 * 1024;
struct ScratchBlock {
  std::unique_ptr<char[]> bytes;
  bool busy = false;
};
thread_local ScratchBlock t_scratch;

google::protobuf::ArenaOptions ScratchOptions(bool use_block) {
  google::protobuf::ArenaOptions o;
  // Past the first block (a Tick batch parses up to a thousand clocks),
  // grow in large steps rather than the default 256 B .. 8 KiB.
  o.start_block_size = 16 * 1024;
  o.max_block_size = 256 * 1024;
  if (use_block) {
    if (!t_scratch.bytes) t_scratch.bytes.reset(new char[kScratchBlockSize]);
    o.initial_block = t_scratch.bytes.get();
    o.initial_block_size = kScratchBlockSize;
  }
  return o;
}

// Holds the thread's block while an arena in it lives; declared before the
// arena so that it is released after the arena is gone.
struct BlockLease {
  explicit BlockLease(bool held) : held(held) {
    if (held) t_scratch.busy = true;
  }
  ~BlockLease() {
    if (held) t_scratch.busy = false;
  }
  const bool held;
};

}  // namespace

struct TxScope::ScratchArena {
  explicit ScratchArena(bool use_block)
      : lease(use_block), arena(ScratchOptions(use_block)) {}
  BlockLease lease;
  google::protobuf::Arena arena;
};

TxScope::TxScope(Transaction* tx, ResolvedActor actor,
                 const v1::Actor& actor_proto, absl::Time now, TxScope* outer)
    : tx_(tx),
      actor_(std::move(actor)),
      actor_proto_(&actor_proto),
      now_(now),
      outer_(outer) {}

TxScope::~TxScope() = default;

google::protobuf::Arena* TxScope::arena() {
  if (outer_ != nullptr) return outer_->arena();
  if (!arena_) arena_ = std::make_unique<ScratchArena>(!t_scratch.busy);
  return &arena_->arena;
}

void TxScope::TakeEvents(TxScope& inner) {
  for (std::string& p : inner.payloads_) payloads_.push_back(std::move(p));
  inner.payloads_.clear();
}

absl::StatusOr<std::string> TxScope::NewId(absl::string_view prefix) {
  ASSIGN_OR_RETURN(int64_t n, tx_->NextSequence(prefix));
  return absl::StrCat(prefix, "-", n);
}

absl::StatusOr<std::shared_ptr<const BusinessCalendar>> CalendarCache::Get(
    const v1::BusinessCalendar& spec) {
  if (auto cached = Find(spec.id(), spec.version())) return cached;
  // Compiled outside the lock: a concurrent miss compiles twice, harmlessly.
  ASSIGN_OR_RETURN(BusinessCalendar compiled, BusinessCalendar::Create(spec));
  auto shared = std::make_shared<const BusinessCalendar>(std::move(compiled));
  absl::MutexLock lock(&mu_);
  by_id_[spec.id()] = {spec.version(), shared};
  return shared;
}

std::shared_ptr<const BusinessCalendar> CalendarCache::Find(
    absl::string_view id, int64_t version) {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.first != version) return nullptr;
  return it->second.second;
}

bool StaffActorCache::Find(absl::string_view id, int64_t version,
                           ResolvedActor* out) {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.first != version) return false;
  *out = it->second.second;
  return true;
}

void StaffActorCache::Put(int64_t version, const ResolvedActor& actor) {
  absl::MutexLock lock(&mu_);
  if (by_id_.size() >= kMaxEntries) by_id_.clear();
  by_id_[actor.id] = {version, actor};
}

namespace {
// The subscriptions whose callbacks this thread is inside (nested when a
// callback commits): Unsubscribe from within one must not wait for itself.
thread_local std::vector<const void*> tls_delivering;
}  // namespace

int64_t EventBus::Subscribe(std::function<void(const v1::Event&)> cb) {
  absl::MutexLock lock(&mu_);
  int64_t id = next_id_++;
  subs_[id] = std::make_shared<Subscription>(std::move(cb));
  return id;
}

void EventBus::Unsubscribe(int64_t id) {
  std::shared_ptr<Subscription> sub;
  {
    absl::MutexLock lock(&mu_);
    auto it = subs_.find(id);
    if (it == subs_.end()) return;
    // Left in the map until the wait below is over, so that a second
    // Unsubscribe of the id on another thread waits as well rather than
    // return while a delivery is still running.
    sub = it->second;
  }
  struct Wait {
    Subscription* sub;
    bool inside;  // called from the callback itself
    // From outside, every call has finished. From inside, every call still
    // running is one that is itself unsubscribing from inside (this thread's
    // among them): those end when their callbacks return, and two callbacks
    // that unsubscribe at once on two threads must not wait for each other.
    static bool Done(Wait* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return w->sub->running <= (w->inside ? w->sub->unsubscribing_inside : 0);
    }
  };
  const int own = static_cast<int>(
      std::count(tls_delivering.begin(), tls_delivering.end(), sub.get()));
  Wait wait{sub.get(), own > 0};
  {
    absl::MutexLock lock(&sub->mu);
    sub->active = false;  // no call begins after this
    sub->unsubscribing_inside += own;
    sub->mu.Await(absl::Condition(&Wait::Done, &wait));
    sub->unsubscribing_inside -= own;
  }
  absl::MutexLock lock(&mu_);
  auto it = subs_.find(id);
  if (it != subs_.end() && it->second == sub) subs_.erase(it);
}

bool EventBus::HasSubscribers() {
  absl::MutexLock lock(&mu_);
  return !subs_.empty();
}

void EventBus::Deliver(Subscription& sub, const v1::Event& e) {
  // Pushed before the call is counted: nothing to undo if it throws.
  tls_delivering.push_back(&sub);
  struct Pop {
    ~Pop() { tls_delivering.pop_back(); }
  } pop;
  {
    absl::MutexLock lock(&sub.mu);
    if (!sub.active) return;
    ++sub.running;
  }
  // Ends the call's bookkeeping also when the callback throws.
  struct Done {
    Subscription& sub;
    ~Done() {
      absl::MutexLock lock(&sub.mu);
      --sub.running;
    }
  } done{sub};
  sub.callback(e);
}

// This thread's delivery of a commit on one bus, with the commits its
// callbacks made meanwhile (nested on this thread), to deliver after the
// current one, each to the subscribers there were when it committed.
struct EventBus::Publishing {
  const EventBus* bus;
  std::deque<std::pair<std::vector<v1::Event>,
                       std::vector<std::shared_ptr<Subscription>>>>
      later;
};
thread_local std::vector<EventBus::Publishing*> EventBus::publishing_;

std::vector<std::shared_ptr<EventBus::Subscription>> EventBus::Subscribers() {
  std::vector<std::shared_ptr<Subscription>> subs;
  absl::MutexLock lock(&mu_);
  subs.reserve(subs_.size());
  for (auto& [id, sub] : subs_) subs.push_back(sub);
  return subs;
}

void EventBus::Publish(const std::vector<v1::Event>& events) {
  // A callback that commits on this desk would otherwise hand every
  // subscriber its events before the rest of the commit being delivered
  // (a "responded" mail before the "assigned" one).
  for (Publishing* p : publishing_)
    if (p->bus == this) {
      auto subs = Subscribers();
      if (!subs.empty()) p->later.emplace_back(events, std::move(subs));
      return;
    }
  std::vector<std::shared_ptr<Subscription>> subs = Subscribers();
  if (subs.empty()) return;
  Publishing mine{this, {}};
  publishing_.push_back(&mine);
  struct Pop {
    ~Pop() { publishing_.pop_back(); }
  } pop;
  // A callback that throws costs no other subscriber, nor any queued commit,
  // its delivery: the first exception is rethrown once all are delivered.
  std::exception_ptr thrown;
  auto deliver = [&](const std::vector<v1::Event>& batch,
                     const std::vector<std::shared_ptr<Subscription>>& to) {
    for (const v1::Event& e : batch)
      for (const auto& sub : to) {
        try {
          Deliver(*sub, e);
        } catch (...) {
          if (!thrown) thrown = std::current_exception();
        }
      }
  };
  deliver(events, subs);
  while (!mine.later.empty()) {
    auto [batch, to] = std::move(mine.later.front());
    mine.later.pop_front();
    deliver(batch, to);
  }
  if (thrown) std::rethrow_exception(thrown);
}

absl::StatusOr<ResolvedActor> DeskContext::Resolve(Transaction& tx,
                                                   const v1::Actor& actor) {
  ResolvedActor r;
  switch (actor.principal_case()) {
    case v1::Actor::kAdmin:
      if (actor.admin().empty())
        return absl::InvalidArgumentError("actor: empty administrator login");
      // Actor names go into every audit event, whose strings must be UTF-8.
      RETURN_IF_ERROR(CheckText("actor.admin", actor.admin(), 1, 200));
      r.kind = ResolvedActor::Kind::kAdmin;
      r.id = actor.admin();
      return r;
    case v1::Actor::kSystem:
      if (actor.system().empty())
        return absl::InvalidArgumentError("actor: empty system component name");
      RETURN_IF_ERROR(CheckText("actor.system", actor.system(), 1, 200));
      r.kind = ResolvedActor::Kind::kSystem;
      r.id = actor.system();
      return r;
    case v1::Actor::kStaffId: {
      // Every call resolves its actor: the stored version decides whether
      // the cached resolution still holds, without reading the record.
      auto unknown = [&] {
        return absl::PermissionDeniedError(absl::StrCat(
            "actor: unknown staff member '", actor.staff_id(), "'"));
      };
      RETURN_IF_ERROR(CheckIdInput("actor.staff_id", actor.staff_id()));
      auto version = tx.GetVersion(tables::kStaff, actor.staff_id());
      if (absl::IsNotFound(version.status())) return unknown();
      if (!version.ok()) return version.status();
      if (staff_actors.Find(actor.staff_id(), *version, &r)) return r;
      auto stored = tx.Get(tables::kStaff, actor.staff_id());
      if (absl::IsNotFound(stored.status())) return unknown();
      if (!stored.ok()) return stored.status();
      auto m = ParseStored<v1::StaffMember>(tables::kStaff, *stored);
      if (!m.ok()) return m.status();
      if (!m->active())
        return absl::PermissionDeniedError(absl::StrCat(
            "actor: staff member '", actor.staff_id(), "' is inactive"));
      r.kind = ResolvedActor::Kind::kStaff;
      r.id = m->id();
      r.center_id = m->center_id();
      r.roles.assign(m->roles().begin(), m->roles().end());
      staff_actors.Put(m->version(), r);
      return r;
    }
    case v1::Actor::kContactId: {
      RETURN_IF_ERROR(CheckIdInput("actor.contact_id", actor.contact_id()));
      auto c = LoadRecord<v1::Contact>(tx, tables::kContact, actor.contact_id(),
                                       "actor");
      if (absl::IsNotFound(c.status()))
        return absl::PermissionDeniedError(
            absl::StrCat("actor: unknown contact '", actor.contact_id(), "'"));
      if (!c.ok()) return c.status();
      auto org = LoadRecord<v1::Organization>(tx, tables::kOrganization,
                                              c->organization_id(), "actor");
      if (!org.ok()) return org.status();
      if (!c->active())
        return absl::PermissionDeniedError(absl::StrCat(
            "actor: contact '", actor.contact_id(), "' is inactive"));
      if (!org->active())
        return absl::PermissionDeniedError(absl::StrCat(
            "actor: contact '", actor.contact_id(),
            "' belongs to organization '", org->id(), "', which is inactive"));
      r.kind = ResolvedActor::Kind::kContact;
      r.id = c->id();
      r.organization_id = org->id();
      r.center_id = org->center_id();
      return r;
    }
    case v1::Actor::PRINCIPAL_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("actor: no principal set");
}

absl::Status DeskContext::Finish(TxScope& scope, TxMode mode) {
  std::vector<std::string>& payloads = scope.event_payloads();
  if (mode == TxMode::kReadOnly && !payloads.empty())
    return absl::InternalError("read-only call emitted events");
  // The payloads are handed to the store unless someone is to be told.
  const bool deliver =
      scope.HasOnCommit() || (!payloads.empty() && bus.HasSubscribers());
  for (std::string& p : payloads)
    RETURN_IF_ERROR(deliver ? scope.tx().AppendEvent(p)
                            : scope.tx().AppendEventOwned(std::move(p)));
  ASSIGN_OR_RETURN(CommitResult result, scope.tx().Commit());
  // Committed: nothing below may turn the call into a failure.
  if (!deliver) return absl::OkStatus();
  std::vector<v1::Event> events;
  events.reserve(payloads.size());
  for (size_t i = 0; i < payloads.size(); ++i) {
    v1::Event& e = events.emplace_back();
    // Emitted strings are validated input; an event that still does not
    // parse (not UTF-8) is delivered with what parsed.
    e.ParsePartialFromString(payloads[i]);
    if (i < result.event_seqs.size()) e.set_seq(result.event_seqs[i]);
  }
  scope.RunOnCommit(events);
  bus.Publish(events);
  return absl::OkStatus();
}

}  // namespace servicedesk::internal
