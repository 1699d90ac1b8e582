#include "gateway/forwarded.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace sportello::gateway {
namespace {

// The canonical text of an IPv4 or IPv6 address, or "" for anything else
// (ports, brackets and obfuscations such as "0x7f.1" are not addresses here).
std::string CanonicalAddress(std::string_view text) {
  std::string s(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  in_addr v4{};
  in6_addr v6{};
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, out, sizeof out);
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) return inet_ntop(AF_INET6, &v6, out, sizeof out);
  return "";
}

}  // namespace

bool IsTrustedProxy(const std::string& address, const std::vector<std::string>& trusted_proxies) {
  return !address.empty() && std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
}

std::string ForwardedClient(const std::string& peer, std::string_view x_forwarded_for,
                            const std::vector<std::string>& trusted_proxies) {
  if (!IsTrustedProxy(peer, trusted_proxies)) return peer;
  std::vector<absl::string_view> hops =
      absl::StrSplit(absl::string_view(x_forwarded_for.data(), x_forwarded_for.size()), ',');
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    std::string address = CanonicalAddress(std::string_view(it->data(), it->size()));
    if (address.empty()) break;
    client = address;
    if (!IsTrustedProxy(address, trusted_proxies)) break;
  }
  return client;
}

}  // namespace sportello::gateway
