# Short helpers so every test and benchmark target is one call.
#
#   sd_cc_test(NAME foo_test SRCS foo_test.cc [DEPS extra...])
#   sd_cc_benchmark(NAME foo_bench SRCS foo_bench.cc [DEPS extra...])
#
# Tests link servicedesk_testing: the same objects as the shared library, as a static
# archive, so tests may also exercise internal (hidden) symbols.
function(sd_cc_test)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE servicedesk_testing GTest::gmock GTest::gtest_main ${T_DEPS})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
  # One label "cpp-<area>" (gtest_discover_tests would split a list): ctest
  # matches labels as regular expressions, so both -L cpp and -L calendar work.
  string(REGEX REPLACE "_test$" "" _area ${T_NAME})
  if(T_LABELS)
    list(GET T_LABELS 0 _area)
  endif()
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "cpp-${_area}")
endfunction()

function(sd_cc_benchmark)
  cmake_parse_arguments(B "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${B_NAME} ${B_SRCS})
  target_link_libraries(${B_NAME} PRIVATE servicedesk_testing benchmark::benchmark ${B_DEPS})
  target_include_directories(${B_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
endfunction()
