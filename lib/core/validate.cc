#include "lib/core/validate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"

namespace servicedesk::internal {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// Calls `visit(code point)` for each code point of `s`; false on malformed
// UTF-8 (overlongs and surrogates are not accepted either, since they cannot
// be stored as proto3 strings) or when `visit` returns false.
template <typename Visit>
bool ForEachCodePoint(absl::string_view s, Visit visit) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t len = c < 0x80         ? 1
                 : (c >> 5) == 6  ? 2
                 : (c >> 4) == 14 ? 3
                 : (c >> 3) == 30 ? 4
                                  : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : (c & (0x7F >> len));
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (!visit(cp, i)) return false;
    i += len;
  }
  return true;
}

// Counts code points; -1 on malformed UTF-8.
int64_t Utf8Length(absl::string_view s) {
  int64_t n = 0;
  if (!ForEachCodePoint(s, [&](uint32_t, size_t) { return ++n, true; }))
    return -1;
  return n;
}

}  // namespace

absl::Status CheckUtf8(absl::string_view field, absl::string_view value) {
  if (Utf8Length(value) < 0) return Invalid(field, "is not valid UTF-8");
  return absl::OkStatus();
}

namespace {

// C0 and C1 control codes and DEL: they move terminals' cursors or start
// escape sequences when staff print the record (sdctl), and no text a person
// writes holds them.
bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

absl::Status CheckTextLines(absl::string_view field, absl::string_view value,
                            size_t min_chars, size_t max_chars,
                            bool multiline) {
  int64_t n = Utf8Length(value);
  if (n < 0) return Invalid(field, "is not valid UTF-8");
  if (min_chars > 0 && absl::StripAsciiWhitespace(value).empty())
    return Invalid(field, "must not be empty");
  if (static_cast<size_t>(n) < min_chars)
    return Invalid(
        field, absl::StrCat("must have at least ", min_chars, " characters"));
  if (static_cast<size_t>(n) > max_chars)
    return Invalid(field, absl::StrCat("must have at most ", max_chars,
                                       " characters (got ", n, ")"));
  // Free text keeps LF, CR LF and tabs; a one-line field no line break of
  // any kind (the Unicode line and paragraph separators included) or tab.
  const bool ok = ForEachCodePoint(value, [&](uint32_t cp, size_t at) {
    if (multiline) {
      if (cp == '\n' || cp == '\t') return true;
      if (cp == '\r') return at + 1 < value.size() && value[at + 1] == '\n';
      return !IsControl(cp);
    }
    return !IsControl(cp) && cp != 0x2028 && cp != 0x2029;
  });
  if (!ok)
    return Invalid(field, multiline ? "contains control characters (only line "
                                      "breaks, LF or CR LF, and tabs are kept)"
                                    : "contains line breaks, tabs or control "
                                      "characters (one line expected)");
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t min_chars, size_t max_chars) {
  return CheckTextLines(field, value, min_chars, max_chars, false);
}

absl::Status CheckFreeText(absl::string_view field, absl::string_view value,
                           size_t min_chars, size_t max_chars) {
  return CheckTextLines(field, value, min_chars, max_chars, true);
}

absl::Status TrimText(absl::string_view field, std::string* value,
                      size_t min_chars, size_t max_chars) {
  absl::StripAsciiWhitespace(value);
  return CheckText(field, *value, min_chars, max_chars);
}

absl::Status TrimFreeText(absl::string_view field, std::string* value,
                          size_t min_chars, size_t max_chars) {
  absl::StripAsciiWhitespace(value);
  return CheckFreeText(field, *value, min_chars, max_chars);
}

namespace {

// A non-ASCII code point an internationalized address may carry (RFC 6531
// local parts, IDNA domain labels written in their own script, such as
// пример.рф): a letter of the scripts the network's clients write in —
// Latin with diacritics, Greek, Cyrillic, Hebrew, Arabic, kana, CJK ideographs
// and Hangul syllables, all precomposed. Spaces, separators, invisible format
// characters and combining marks are not letters: they would let two
// addresses that look the same be two different ones.
bool IsAddressLetter(uint32_t cp) {
  struct Range {
    uint32_t from, to;
  };
  // Letters only: no symbols (҂), stretching marks (Arabic tatweel),
  // look-alikes of Latin letters or strokes (long s, İ, palochka, the
  // click letters), digraphs or compatibility forms.
  static constexpr Range kLetters[] = {
      {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x012F},  // Latin-1,
      {0x0131, 0x0148}, {0x014A, 0x017E},                    // Extended-A
      {0x0386, 0x0386}, {0x0388, 0x038A}, {0x038C, 0x038C},  // Greek
      {0x038E, 0x03A1}, {0x03A3, 0x03CE},                    //
      {0x0400, 0x0481}, {0x048A, 0x04BF}, {0x04C1, 0x04CE},  // Cyrillic
      {0x04D0, 0x052F},                                      //
      {0x05D0, 0x05EA},                                      // Hebrew
      {0x0620, 0x063F}, {0x0641, 0x064A}, {0x0660, 0x0669},  // Arabic
      {0x0671, 0x06D3},                                      //
      {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x30FC, 0x30FC},  // kana
      {0x4E00, 0x9FFF},                                      // CJK
      {0xAC00, 0xD7A3},                                      // Hangul
  };
  for (const Range& r : kLetters)
    if (cp >= r.from && cp <= r.to) return true;
  return false;
}

// The lower case of an ASCII character or of a letter IsAddressLetter
// accepts (itself when it has none).
uint32_t LowerAddressLetter(uint32_t cp) {
  auto in = [cp](uint32_t from, uint32_t to) { return cp >= from && cp <= to; };
  const bool even = cp % 2 == 0;
  if (in('A', 'Z') || (in(0xC0, 0xDE) && cp != 0xD7)) return cp + 0x20;
  // Latin Extended-A and Cyrillic beyond the Russian alphabet: capital and
  // small letters alternate, the capital first (odd-first in two runs).
  if ((even && (in(0x100, 0x12F) || in(0x132, 0x137) || in(0x14A, 0x177) ||
                in(0x460, 0x481) || in(0x48A, 0x4BF) || in(0x4D0, 0x52F))) ||
      (!even && (in(0x139, 0x148) || in(0x179, 0x17E) || in(0x4C1, 0x4CE))))
    return cp + 1;
  if (cp == 0x178) return 0xFF;  // Ÿ
  // Greek: the accented capitals, then the plain ones.
  if (cp == 0x386) return 0x3AC;
  if (in(0x388, 0x38A)) return cp + 0x25;
  if (cp == 0x38C) return 0x3CC;
  if (in(0x38E, 0x38F)) return cp + 0x3F;
  if (in(0x391, 0x3A1) || in(0x3A3, 0x3AB)) return cp + 0x20;
  if (in(0x400, 0x40F)) return cp + 0x50;  // Ѐ..Џ, Ё among them
  if (in(0x410, 0x42F)) return cp + 0x20;  // А..Я
  return cp;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// RFC 3492 Punycode of one label's code points (without the "xn--" prefix);
// false if the label is too long to encode.
bool Punycode(const std::vector<uint32_t>& in, std::string* out) {
  constexpr uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  auto adapt = [](uint32_t delta, uint32_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  auto digit = [](uint32_t d) {
    return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
  };
  uint32_t basic = 0;
  for (uint32_t cp : in) {
    if (cp >= 0x80) continue;
    out->push_back(static_cast<char>(cp));
    ++basic;
  }
  if (basic > 0) out->push_back('-');
  uint32_t n = 0x80, delta = 0, bias = 72, handled = basic;
  while (handled < in.size()) {
    uint32_t m = UINT32_MAX;
    for (uint32_t cp : in)
      if (cp >= n && cp < m) m = cp;
    if (m - n > (UINT32_MAX - delta) / (handled + 1)) return false;
    delta += (m - n) * (handled + 1);
    n = m;
    for (uint32_t cp : in) {
      if (cp < n && ++delta == 0) return false;
      if (cp != n) continue;
      uint32_t q = delta;
      for (uint32_t k = kBase;; k += kBase) {
        const uint32_t t =
            k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
        if (q < t) break;
        out->push_back(digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out->push_back(digit(q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return true;
}

}  // namespace

std::string LowerAddress(absl::string_view address) {
  std::string out;
  out.reserve(address.size());
  if (!ForEachCodePoint(address, [&](uint32_t cp, size_t) {
        AppendUtf8(LowerAddressLetter(cp), &out);
        return true;
      }))
    return std::string(address);
  return out;
}

std::optional<std::string> LabelToAscii(absl::string_view label) {
  std::vector<uint32_t> cps;
  bool ascii = true;
  if (!ForEachCodePoint(label, [&](uint32_t cp, size_t) {
        cps.push_back(cp);
        ascii = ascii && cp < 0x80;
        return true;
      }))
    return std::nullopt;
  if (ascii) return std::string(label);
  std::string out = "xn--";
  if (!Punycode(cps, &out)) return std::nullopt;
  return out;
}

absl::Status CheckEmail(absl::string_view field, absl::string_view value) {
  if (value.empty()) return Invalid(field, "must not be empty");
  if (value.size() > 254) return Invalid(field, "is longer than 254 bytes");
  const absl::Status malformed =
      Invalid(field, absl::StrCat("'", value, "' is not an e-mail address"));
  if (Utf8Length(value) < 0) return malformed;
  size_t at = value.find('@');
  if (at == absl::string_view::npos || at == 0 || value.rfind('@') != at)
    return malformed;
  absl::string_view local = value.substr(0, at), domain = value.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, ".."))
    return malformed;
  if (!ForEachCodePoint(local, [](uint32_t cp, size_t) {
        return cp < 0x80
                   ? absl::ascii_isalnum(static_cast<char>(cp)) ||
                         absl::string_view("._%+-'").find(
                             static_cast<char>(cp)) != absl::string_view::npos
                   : IsAddressLetter(cp);
      }))
    return malformed;
  // Domain: dot-separated labels of letters, digits and inner hyphens, at
  // least two of them, the last (the top-level domain) two characters or
  // longer ("ru", "рф").
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2 || Utf8Length(labels.back()) < 2) return malformed;
  size_t ascii_domain = 0;  // DNS allows 253 bytes in all
  for (absl::string_view label : labels) {
    // The 63-byte limit is on the label as DNS carries it (punycode).
    const auto ascii = LabelToAscii(LowerAddress(label));
    if (!ascii || ascii->size() > 63) return malformed;
    ascii_domain += ascii->size() + 1;
    if (label.empty() || label.front() == '-' || label.back() == '-')
      return malformed;
    if (!ForEachCodePoint(label, [](uint32_t cp, size_t) {
          return cp < 0x80
                     ? absl::ascii_isalnum(static_cast<char>(cp)) || cp == '-'
                     : IsAddressLetter(cp);
        }))
      return malformed;
  }
  if (ascii_domain - 1 > 253) return malformed;
  return absl::OkStatus();
}

absl::Status CheckPhone(absl::string_view field, absl::string_view value,
                        bool required) {
  if (value.empty())
    return required ? Invalid(field, "must not be empty") : absl::OkStatus();
  int digits = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (absl::ascii_isdigit(c)) {
      ++digits;
    } else if (c == '+' && i == 0) {
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return Invalid(field,
                     absl::StrCat("'", value, "' is not a phone number"));
    }
  }
  if (value[0] != '+' || digits < 7 || digits > 15)
    return Invalid(field, absl::StrCat("'", value,
                                       "' is not an international phone number "
                                       "(+ and 7..15 digits)"));
  return absl::OkStatus();
}

absl::Status CheckTaxId(absl::string_view field, absl::string_view value) {
  if (value.size() != 10 && value.size() != 12)
    return Invalid(field, absl::StrCat("INN must have 10 or 12 digits, got '",
                                       value, "'"));
  int d[12];
  for (size_t i = 0; i < value.size(); ++i) {
    if (!absl::ascii_isdigit(value[i]))
      return Invalid(
          field, absl::StrCat("INN must be digits only, got '", value, "'"));
    d[i] = value[i] - '0';
  }
  auto check = [&](const int* w, int n) {
    int s = 0;
    for (int i = 0; i < n; ++i) s += w[i] * d[i];
    return s % 11 % 10;
  };
  static constexpr int w10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  static constexpr int w11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
  static constexpr int w12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
  bool ok = value.size() == 10
                ? check(w10, 9) == d[9]
                : check(w11, 10) == d[10] && check(w12, 11) == d[11];
  if (!ok)
    return Invalid(field,
                   absl::StrCat("INN '", value, "' has a wrong checksum"));
  return absl::OkStatus();
}

absl::Status CheckTimeZone(absl::string_view field, absl::string_view value) {
  absl::TimeZone tz;
  if (value.empty() || !absl::LoadTimeZone(std::string(value), &tz))
    return Invalid(field, absl::StrCat("unknown time zone '", value, "'"));
  return absl::OkStatus();
}

absl::Status CheckCenterCode(absl::string_view field, absl::string_view value) {
  bool ok = value.size() >= 2 && value.size() <= 16;
  for (char c : value)
    ok = ok && (absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '-');
  if (!ok)
    return Invalid(field,
                   absl::StrCat("'", value,
                                "' must be 2..16 characters of A-Z, 0-9, '-'"));
  return absl::OkStatus();
}

absl::Status CheckSlug(absl::string_view field, absl::string_view value) {
  bool ok = !value.empty() && value.size() <= 64;
  for (char c : value)
    ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-');
  if (!ok)
    return Invalid(field,
                   absl::StrCat("'", value,
                                "' must be 1..64 characters of a-z, 0-9, '-'"));
  return absl::OkStatus();
}

absl::Status CheckTimestamp(absl::string_view field,
                            const google::protobuf::Timestamp& t) {
  using google::protobuf::util::TimeUtil;
  if (t.seconds() < TimeUtil::kTimestampMinSeconds ||
      t.seconds() > TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999'999'999)
    return Invalid(field,
                   "not a Timestamp (years 0001 to 9999, nanos 0..999999999)");
  return absl::OkStatus();
}

absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d) {
  using google::protobuf::util::TimeUtil;
  if (d.seconds() < TimeUtil::kDurationMinSeconds ||
      d.seconds() > TimeUtil::kDurationMaxSeconds || d.nanos() < -999'999'999 ||
      d.nanos() > 999'999'999 || (d.seconds() > 0 && d.nanos() < 0) ||
      (d.seconds() < 0 && d.nanos() > 0))
    return Invalid(field,
                   "not a Duration (at most 10,000 years; nanos of the "
                   "seconds' sign)");
  return absl::OkStatus();
}

}  // namespace servicedesk::internal
