#include "common/grpc/target.h"

#include <arpa/inet.h>

#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace sportello {
namespace {

enum class Family { kIpv4, kIpv6, kName };

bool ValidPort(absl::string_view text) {
  int port = 0;
  return absl::SimpleAtoi(text, &port) && port > 0 && port <= 65535;
}

// "10.0.0.7:50051", "[fd00::7]:50051", "catalogue:50051"; false when the
// port is missing or bad.
bool SplitHostPort(absl::string_view address, absl::string_view* host, Family* family) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || !ValidPort(address.substr(colon + 1))) return false;
  *host = address.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    std::string inner(host->substr(1, host->size() - 2));
    in6_addr v6{};
    *family = Family::kIpv6;
    return inet_pton(AF_INET6, inner.c_str(), &v6) == 1;
  }
  std::string plain(*host);
  in_addr v4{};
  if (inet_pton(AF_INET, plain.c_str(), &v4) == 1) {
    *family = Family::kIpv4;
    return true;
  }
  *family = Family::kName;
  // A host name: letters, digits, dots and hyphens (no scheme, no path).
  if (plain.empty()) return false;
  for (char c : plain) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

absl::Status Bad(absl::string_view value, absl::string_view why) {
  return absl::InvalidArgumentError("\"" + std::string(value) + "\": " + std::string(why));
}

}  // namespace

absl::StatusOr<std::string> ChannelTarget(std::string_view addresses) {
  absl::string_view value = absl::StripAsciiWhitespace(absl::string_view(addresses.data(), addresses.size()));
  if (value.empty()) return Bad(value, "empty address");
  for (const char* scheme : {"ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
    if (absl::StartsWith(value, scheme)) {
      if (value.size() == strlen(scheme)) return Bad(value, "no address after " + std::string(scheme));
      return std::string(value);
    }
  }
  if (absl::StartsWith(value, "dns:")) {
    // dns:///name:port or dns://authority/name:port.
    absl::string_view rest = value.substr(4);
    if (absl::StartsWith(rest, "//")) {
      size_t slash = rest.find('/', 2);
      if (slash == absl::string_view::npos) return Bad(value, "expected dns:///name:port");
      rest = rest.substr(slash + 1);
    }
    absl::string_view host;
    Family family;
    if (rest.find(',') != absl::string_view::npos || !SplitHostPort(rest, &host, &family)) {
      return Bad(value, "expected dns:///name:port (one name, resolving to every replica)");
    }
    return std::string(value);
  }
  if (value.find("://") != absl::string_view::npos) {
    return Bad(value, "unknown scheme (host:port, host:port,host:port, dns:///name:port, ipv4:, ipv6: or unix:)");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(value, ',', absl::SkipWhitespace());
  std::vector<std::string> cleaned;
  Family first = Family::kName;
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view part = absl::StripAsciiWhitespace(parts[i]);
    absl::string_view host;
    Family family;
    if (!SplitHostPort(part, &host, &family)) {
      return Bad(value, "\"" + std::string(part) + "\" is not host:port (port 1..65535)");
    }
    if (i == 0) first = family;
    if (parts.size() > 1 && family == Family::kName) {
      return Bad(value, "several addresses must be IP addresses; for host names give one DNS name that "
                        "resolves to every replica (dns:///name:port)");
    }
    if (family != first) return Bad(value, "IPv4 and IPv6 addresses cannot be mixed in one list");
    cleaned.emplace_back(part);
  }
  if (cleaned.empty()) return Bad(value, "no address");
  if (cleaned.size() == 1) return cleaned[0];  // gRPC's default resolver (DNS for a name)
  return std::string(first == Family::kIpv4 ? "ipv4:" : "ipv6:") + absl::StrJoin(cleaned, ",");
}

}  // namespace sportello
