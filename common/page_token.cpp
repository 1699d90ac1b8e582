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

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token) {
  if (token.empty()) return std::vector<std::string>{};
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw)) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kSeparator);
  if (parts.size() < 2 || parts[0] != kPrefix) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  parts.erase(parts.begin());
  return parts;
}

}  // namespace sportello
