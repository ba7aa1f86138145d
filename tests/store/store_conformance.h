// The Store conformance suite: one parameterized gtest run unchanged against
// every backend (see docs/storage.md, "Adding a backend").
//
// A backend joins the suite with one line in a test source linked with
// store_conformance.cc:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Postgres, StoreConformanceTest,
//       testing::Values(StoreBackendFactory{"postgres", &MakePgFixture}),
//       BackendName);
//
// where MakePgFixture returns a StoreFixture giving each test fresh, empty
// storage.
#ifndef SERVICEDESK_TESTS_STORE_STORE_CONFORMANCE_H_
#define SERVICEDESK_TESTS_STORE_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "servicedesk/store.h"

namespace servicedesk {
namespace testing_store {

// Storage for one test.
class StoreFixture {
 public:
  virtual ~StoreFixture() = default;
  // Opens a Store on this fixture's storage; the first call sees it empty.
  // Later calls open further Store objects on the same data when
  // SharesData() (a file, a server), independent stores otherwise.
  virtual absl::StatusOr<std::unique_ptr<Store>> Open() = 0;
  // True if two Open() results see each other's commits (and data survives
  // closing every Store): enables the reopen and multi-store cases.
  virtual bool SharesData() const = 0;
};

struct StoreBackendFactory {
  std::string name;  // test name suffix: [A-Za-z0-9_]
  std::function<std::unique_ptr<StoreFixture>()> make;
};

// Fixtures for the built-in backends.
std::unique_ptr<StoreFixture> MakeMemoryFixture();
std::unique_ptr<StoreFixture> MakeSqliteFixture();  // a temp file per test

class StoreConformanceTest
    : public ::testing::TestWithParam<StoreBackendFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<StoreFixture> fixture_;
  std::unique_ptr<Store> store_;
};

void PrintTo(const StoreBackendFactory& f, std::ostream* os);

std::string BackendName(
    const ::testing::TestParamInfo<StoreBackendFactory>& info);

}  // namespace testing_store
}  // namespace servicedesk

#endif  // SERVICEDESK_TESTS_STORE_STORE_CONFORMANCE_H_
