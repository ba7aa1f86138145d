// Order-preserving encodings for index keys.
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "servicedesk/store.h"

namespace servicedesk {

void EncodeOrderedInt64To(int64_t v, char* out) {
  // Flipping the sign bit maps INT64_MIN..INT64_MAX onto 0..UINT64_MAX
  // monotonically; big-endian then makes memcmp order equal numeric order.
  uint64_t u = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
}

std::string EncodeOrderedInt64(int64_t v) {
  std::string out(8, '\0');
  EncodeOrderedInt64To(v, out.data());
  return out;
}

int64_t DecodeOrderedInt64(absl::string_view bytes) {
  // Reads the first 8 bytes, so a composite key may be decoded by prefix.
  // Missing bytes (a malformed, shorter input) count as zero.
  uint64_t u = 0;
  for (size_t i = 0; i < 8; ++i) {
    u <<= 8;
    if (i < bytes.size()) u |= static_cast<unsigned char>(bytes[i]);
  }
  return static_cast<int64_t>(u ^ (uint64_t{1} << 63));
}

}  // namespace servicedesk
