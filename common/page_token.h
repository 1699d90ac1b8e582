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
// A list's token, whose key has exactly `parts` values ({} on the first
// page); any other token is InvalidPageToken().
absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token, size_t parts);
// What every list answers to a token it did not make (or whose values it
// cannot read): INVALID_ARGUMENT naming page_token.
absl::Status InvalidPageToken();

// One page of a list and the token of the next ("" on the last page).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

// Stores read one row more than asked to know whether a page follows:
// drops it and sets the token from the sort key of the last row kept.
template <typename T, typename KeyOf>
void TrimPage(Page<T>& page, int page_size, KeyOf key_of) {
  if (static_cast<int>(page.items.size()) <= page_size) return;
  page.items.resize(static_cast<size_t>(page_size));
  page.next_page_token = EncodePageToken(key_of(page.items.back()));
}

}  // namespace sportello
