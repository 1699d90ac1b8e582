#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace sportello {
namespace {
constexpr std::string_view kPrefix = "p1";
constexpr char kSeparator = '\x1f';  // unit separator: never in a key value
}  // namespace

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) return InvalidArgument({{"page_size", "deve essere positivo"}});
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string EncodePageToken(const std::vector<std::string>& key) {
  // No key is the first page, and the first page's token is "" (AIP-158), so
  // that DecodePageToken(EncodePageToken(k)) == k for every k: "p1\x1f" would
  // come back as {""}.
  if (key.empty()) return "";
  std::string raw = std::string(kPrefix) + kSeparator + absl::StrJoin(key, std::string(1, kSeparator));
  return absl::WebSafeBase64Escape(raw);
}

absl::Status InvalidPageToken() { return InvalidArgument({{"page_token", "page_token non valido"}}); }

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token) {
  if (token.empty()) return std::vector<std::string>{};
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw)) return InvalidPageToken();
  std::vector<std::string> parts = absl::StrSplit(raw, kSeparator);
  if (parts.size() < 2 || parts[0] != kPrefix) return InvalidPageToken();
  parts.erase(parts.begin());
  return parts;
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token, size_t parts) {
  ASSIGN_OR_RETURN(std::vector<std::string> key, DecodePageToken(token));
  if (!key.empty() && key.size() != parts) return InvalidPageToken();
  return key;
}

}  // namespace sportello
