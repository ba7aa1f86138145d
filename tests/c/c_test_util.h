/* Checks and JSON helpers shared by the C ABI tests (C11). */
#ifndef SERVICEDESK_TESTS_C_C_TEST_UTIL_H_
#define SERVICEDESK_TESTS_C_C_TEST_UTIL_H_

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servicedesk/c.h"

static int g_failures = 0;

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, \
              __LINE__, #cond, sd_last_error());                              \
      ++g_failures;                                                           \
    }                                                                         \
  } while (0)

#define CHECK_STATUS(expr, expected)                                           \
  do {                                                                         \
    sd_status got_ = (expr);                                                   \
    if (got_ != (expected)) {                                                  \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__,   \
              __LINE__, #expr, sd_status_name(got_), sd_status_name(expected), \
              sd_last_error());                                                \
      ++g_failures;                                                            \
    }                                                                          \
  } while (0)

/* A C string as pointer + length. */
#define S(str) (str), strlen(str)

static const int64_t kSec = 1000000000LL;

/* Copies the string value of "key" from a JSON object (first occurrence). */
static inline int json_str(const sd_buffer *buf, const char *key, char *out,
                           size_t cap) {
  char pattern[64];
  const char *p;
  size_t n = 0;
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  out[0] = '\0';
  if (buf->data == NULL) return 0;
  p = strstr((const char *)buf->data, pattern);
  if (p == NULL) return 0;
  p += strlen(pattern);
  while (p[n] != '"' && p[n] != '\0' && n + 1 < cap) {
    out[n] = p[n];
    ++n;
  }
  out[n] = '\0';
  return 1;
}

/* Counts occurrences of `needle` in the buffer. */
static inline int count(const sd_buffer *buf, const char *needle) {
  int n = 0;
  const char *p = (const char *)buf->data;
  if (p == NULL) return 0;
  while ((p = strstr(p, needle)) != NULL) {
    ++n;
    p += strlen(needle);
  }
  return n;
}

#endif /* SERVICEDESK_TESTS_C_C_TEST_UTIL_H_ */
