// TxScope::Emit writes the v1::Event wire format by hand (desk_context.cc).
// These tests hold it to what protobuf itself writes and parses, including
// multi-byte lengths, negative and large versions and empty fields.
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "lib/core/desk_context.h"
#include "lib/core/time_util.h"
#include "servicedesk/proto/audit.pb.h"
#include "servicedesk/store.h"

namespace servicedesk::internal {
namespace {

class EventEncodingTest : public ::testing::Test {
 protected:
  EventEncodingTest() : store_(NewMemoryStore()) {
    tx_ = *store_->Begin(TxMode::kReadWrite);
    // Longer than 127 bytes: its length takes two varint bytes.
    actor_.set_admin(std::string(200, 'a') + " \xD0\x90\xD0\xB4\xD0\xBC");
    resolved_.kind = ResolvedActor::Kind::kAdmin;
    resolved_.id = actor_.admin();
  }

  // The event protobuf writes for the same content.
  v1::Event Expected(absl::string_view type, absl::string_view id,
                     absl::string_view action, int64_t version,
                     absl::string_view center, absl::string_view org) {
    v1::Event e;
    *e.mutable_time() = ToProto(now_);
    *e.mutable_actor() = actor_;
    e.set_entity_type(std::string(type));
    e.set_entity_id(std::string(id));
    e.set_action(std::string(action));
    e.set_entity_version(version);
    e.set_center_id(std::string(center));
    e.set_organization_id(std::string(org));
    return e;
  }

  std::unique_ptr<Store> store_;
  std::unique_ptr<Transaction> tx_;
  v1::Actor actor_;
  ResolvedActor resolved_;
  absl::Time now_ = absl::FromUnixNanos(1'740'000'000'123'456'789);
};

TEST_F(EventEncodingTest, BytesAreWhatProtobufWrites) {
  TxScope s(tx_.get(), resolved_, actor_, now_);
  const std::string long_value(300, 'v');
  s.Emit("request", "req-1", "opened", 3, "ctr-1", "org-1",
         {{"subject", long_value}});
  s.Emit("calendar", "cal-1", "created", 0, "", "");
  s.Emit("sla_clock", "clock-9", "sla.stopped", -5, "ctr-1", "", {});
  s.Emit("request", "req-2", "x", int64_t{1} << 40, "", "org-2",
         {{"empty", ""}});
  ASSERT_EQ(s.event_payloads().size(), 4u);

  v1::Event first = Expected("request", "req-1", "opened", 3, "ctr-1", "org-1");
  (*first.mutable_details())["subject"] = long_value;
  EXPECT_EQ(s.event_payloads()[0], first.SerializeAsString());
  EXPECT_EQ(
      s.event_payloads()[1],
      Expected("calendar", "cal-1", "created", 0, "", "").SerializeAsString());
  EXPECT_EQ(s.event_payloads()[2],
            Expected("sla_clock", "clock-9", "sla.stopped", -5, "ctr-1", "")
                .SerializeAsString());
  v1::Event fourth =
      Expected("request", "req-2", "x", int64_t{1} << 40, "", "org-2");
  (*fourth.mutable_details())["empty"] = "";
  EXPECT_EQ(s.event_payloads()[3], fourth.SerializeAsString());
}

TEST_F(EventEncodingTest, SeveralDetailsParseBackAsTheMap) {
  TxScope s(tx_.get(), resolved_, actor_, now_);
  s.Emit("request", "req-1", "state_changed", 7, "ctr-1", "org-1",
         {{"from", "ASSIGNED"},
          {"to", "IN_PROGRESS"},
          {"reason", std::string(130, 'r')}});
  ASSERT_EQ(s.event_payloads().size(), 1u);
  v1::Event got;
  ASSERT_TRUE(got.ParseFromString(s.event_payloads()[0]));
  v1::Event want =
      Expected("request", "req-1", "state_changed", 7, "ctr-1", "org-1");
  (*want.mutable_details())["from"] = "ASSIGNED";
  (*want.mutable_details())["to"] = "IN_PROGRESS";
  (*want.mutable_details())["reason"] = std::string(130, 'r');
  EXPECT_EQ(got.DebugString(), want.DebugString());
  EXPECT_EQ(got.details().size(), 3);
}

}  // namespace
}  // namespace servicedesk::internal
