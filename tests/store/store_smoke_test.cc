#include <memory>

#include "gtest/gtest.h"
#include "servicedesk/store.h"

namespace servicedesk {
namespace {

TEST(MemoryStoreSmoke, PutGetEvent) {
  auto store = NewMemoryStore();
  {
    auto tx = store->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    auto v = (*tx)->Put("t", "k", 0, "v", {IndexEntry{"i", "x", true}});
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(*v, 1);
    ASSERT_TRUE((*tx)->AppendEvent("e").ok());
    auto c = (*tx)->Commit();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->event_seqs.size(), 1u);
  }
  {
    auto tx = store->Begin(TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ((*tx)->Put("t", "k", 0, "v", {}).status().code(),
              absl::StatusCode::kAborted);
    EXPECT_EQ((*tx)
                  ->Put("t", "k2", 0, "v", {IndexEntry{"i", "x", true}})
                  .status()
                  .code(),
              absl::StatusCode::kAlreadyExists);
    ASSERT_TRUE((*tx)->Put("t", "k3", 0, "v", {}).ok());
  }
  auto tx = store->Begin(TxMode::kReadOnly);
  EXPECT_EQ((*tx)->Get("t", "k3").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*tx)->Get("t", "k")->version, 1);
}

}  // namespace
}  // namespace servicedesk
