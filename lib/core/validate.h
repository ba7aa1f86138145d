// Input validation shared by every area. Each check returns INVALID_ARGUMENT
// with a message that starts with the field name.
#ifndef SERVICEDESK_LIB_CORE_VALIDATE_H_
#define SERVICEDESK_LIB_CORE_VALIDATE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/timestamp.pb.h"

namespace servicedesk::internal {

// One line of text (names, subjects, titles): length in Unicode code
// points; INVALID_ARGUMENT for malformed UTF-8, a blank value when
// min_chars > 0, or a control character other than tab.
absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t min_chars, size_t max_chars);
// The same for free text people write in paragraphs (descriptions, answers,
// messages, reasons, notes, comments, addresses): line breaks (LF, CR) are
// allowed too.
absl::Status CheckFreeText(absl::string_view field, absl::string_view value,
                           size_t min_chars, size_t max_chars);
// CheckText / CheckFreeText on `*value` with its surrounding ASCII
// whitespace (spaces, tabs, line breaks) removed first: what a record stores,
// so that " 2025.1 " and "2025.1" are one value and a value of spaces alone
// is empty (refused when min_chars > 0). `*value` is left trimmed.
absl::Status TrimText(absl::string_view field, std::string* value,
                      size_t min_chars, size_t max_chars);
absl::Status TrimFreeText(absl::string_view field, std::string* value,
                          size_t min_chars, size_t max_chars);
// Valid UTF-8 only (any length, control characters allowed): for whole
// documents such as JSON text.
absl::Status CheckUtf8(absl::string_view field, absl::string_view value);
// An e-mail address, internationalized ones included (RFC 6531 local parts,
// domains in their own script such as пример.рф, or in punycode): at most
// 254 bytes, one '@', a local part of at most 64 bytes, a domain of two or
// more labels.
absl::Status CheckEmail(absl::string_view field, absl::string_view value);
// `address` with ASCII letters and the letters CheckEmail accepts in lower
// case (Latin with diacritics, Greek, Cyrillic; Ё to ё); other characters as
// they are. Malformed UTF-8 comes back unchanged.
std::string LowerAddress(absl::string_view address);
// A domain label as DNS carries it: itself if ASCII, else "xn--" and its
// RFC 3492 Punycode ("рф" -> "xn--p1ai"); nullopt for malformed UTF-8. No
// case mapping: callers fold case first.
std::optional<std::string> LabelToAscii(absl::string_view label);
// "" is allowed when `required` is false.
absl::Status CheckPhone(absl::string_view field, absl::string_view value,
                        bool required);
// Russian INN: 10 digits (legal entity) or 12 (individual), checksum-valid.
absl::Status CheckTaxId(absl::string_view field, absl::string_view value);
absl::Status CheckTimeZone(absl::string_view field, absl::string_view value);
// [A-Z0-9-], 2..16 characters.
absl::Status CheckCenterCode(absl::string_view field, absl::string_view value);
// [a-z0-9-], 1..64 characters.
absl::Status CheckSlug(absl::string_view field, absl::string_view value);
// A google.protobuf.Timestamp within its documented range
// (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, nanos in
// [0, 1e9)): outside it, instants saturate or overflow in key encodings, and
// protobuf's JSON cannot print them.
absl::Status CheckTimestamp(absl::string_view field,
                            const google::protobuf::Timestamp& t);
// A google.protobuf.Duration within its documented range (±10,000 years,
// nanos of the seconds' sign), for the same reasons.
absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d);

// INVALID_ARGUMENT naming `field` for a number the enum does not define
// ("state: 99 is not a valid RequestState"); the UNSPECIFIED zero passes.
template <typename E>
absl::Status CheckEnumValue(absl::string_view field, E value) {
  const google::protobuf::EnumDescriptor* d =
      google::protobuf::GetEnumDescriptor<E>();
  if (d->FindValueByNumber(static_cast<int>(value)) != nullptr)
    return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", static_cast<int>(value), " is not a valid ", d->name()));
}

}  // namespace servicedesk::internal

#endif  // SERVICEDESK_LIB_CORE_VALIDATE_H_
