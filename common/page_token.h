#pragma once
// Keyset pagination, the same for every list: `page_size` + an opaque
// `page_token` that encodes the sort key of the last row returned. Tokens are
// URL-safe base64; a token that does not decode is INVALID_ARGUMENT.
//
//   ASSIGN_OR_RETURN(int size, PageSize(req.page_size));
//   ASSIGN_OR_RETURN(auto after, DecodePageToken(req.page_token));  // {} on the first page
//   ... WHERE (ipa_code) > ($after[0]) ORDER BY ipa_code LIMIT size + 1 ...
//   next = rows > size ? EncodePageToken({last.ipa_code}) : "";
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sportello {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// 0 means the default; negative is invalid; larger than the maximum is capped.
absl::StatusOr<int> PageSize(int requested);

std::string EncodePageToken(const std::vector<std::string>& key);
absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token);

}  // namespace sportello
