// gMock matchers for absl::Status / absl::StatusOr (Debian's Abseil has none).
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kNotFound,
//   HasSubstr("id"))); ASSERT_OK(status);  ASSERT_OK_AND_ASSIGN(auto v,
//   StatusOrExpr);
#ifndef SERVICEDESK_TESTS_TESTING_STATUS_MATCHERS_H_
#define SERVICEDESK_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace servicedesk::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has status code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(s.message()), result_listener);
}

MATCHER_P(StatusIs, code,
          std::string("has status code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.ok();
}

}  // namespace servicedesk::testing

#define SD_TEST_CONCAT_INNER_(a, b) a##b
#define SD_TEST_CONCAT_(a, b) SD_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::servicedesk::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::servicedesk::testing::IsOk())
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(SD_TEST_CONCAT_(sd_test_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();           \
  lhs = std::move(tmp).value()

#endif  // SERVICEDESK_TESTS_TESTING_STATUS_MATCHERS_H_
