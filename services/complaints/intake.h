#pragma once
// What a submission must satisfy, checked before anything is stored. Pure
// domain code.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/complaints/model.h"

namespace sportello::complaints {

inline constexpr size_t kMaxDescription = 4000;  // characters (code points)
inline constexpr size_t kMaxSubject = 200;
// Bounds on what a submission may carry besides its texts (issue 12): each
// value ends up in the database, the answer and gRPC metadata of errors.
inline constexpr size_t kMaxCategory = 100;          // bytes of a category code
inline constexpr size_t kMaxMediaUrls = 10;
inline constexpr size_t kMaxMediaUrl = 2048;         // bytes
inline constexpr size_t kMaxAttributes = 30;         // attribute codes
inline constexpr size_t kMaxAttributeCode = 100;     // bytes
inline constexpr size_t kMaxAttributeValues = 20;    // values of one attribute
inline constexpr size_t kMaxAttributeValue = 500;    // bytes of one value

// Trims and checks a new request; INVALID_ARGUMENT lists each violation by
// field ("description", "location.latitude", "reporter.email",
// "reporter.fiscal_code", "media_urls[1]", "access_object"). Rules: subject
// required for every kind but reports with a category (then it defaults to
// the category name, filled in by the caller); description required, plain
// text of at most 4000 characters; a category required for reports;
// latitude/longitude in range; media URLs http(s); reporter e-mail, phone
// and Italian fiscal code (16 characters, checksum) well formed when given;
// civic access needs access_object.
absl::Status PrepareSubmission(Request& request);

// Checks the answers against the category's attributes: required ones
// present, numbers numeric, datetimes RFC 3339, list values among the
// allowed keys, one value unless multi-value, no unknown codes. Violations
// under "attributes[<code>]".
absl::Status CheckAttributes(const CategoryDefinition& category,
                             const std::map<std::string, std::vector<std::string>>& answers);

// The object of a civic-access request reduced to compare requests asking
// for the same thing: lower case, accents removed, punctuation and repeated
// spaces folded, Italian stop words dropped.
std::string NormalizeAccessObject(const std::string& object);

// Seed 003 point 8.2: published proactively when asked more than three times
// in a year by different requesters (`distinct_requesters` counts this one).
bool ShouldPublishProactively(int distinct_requesters);

// "c_f027" -> "F027"; "u_gravine" -> "GRAVINE": the prefix of request numbers.
std::string NumberPrefix(const std::string& tenant);
// ("F027", 2026, 123) -> "F027-2026-000123".
std::string FormatNumber(const std::string& prefix, int year, long long sequence);

// Great-circle distance in metres (for possible duplicates within 50 m).
double DistanceMeters(const Location& a, const Location& b);

}  // namespace sportello::complaints
