#pragma once
// Who is the client, when the gateway sits behind a TLS-terminating proxy
// (nginx, HAProxy, a Kubernetes ingress): every connection then comes from
// the proxy, and only the X-Forwarded-For header it appends tells citizens
// apart for the services' per-client limits. The header is believed only
// from the proxies the operator lists by exact address; from anyone else it
// is ignored, since a client can write whatever it likes there.
#include <string>
#include <string_view>
#include <vector>

namespace sportello::gateway {

// The client's address: `peer` itself, unless `peer` is one of
// `trusted_proxies` and `x_forwarded_for` names someone. Then the rightmost
// address of the list that is not itself a trusted proxy: the entries to its
// left were written by the client and prove nothing. An entry that is not an
// IP address ends the walk at the last trusted hop (the peer, at worst).
std::string ForwardedClient(const std::string& peer, std::string_view x_forwarded_for,
                            const std::vector<std::string>& trusted_proxies);

// True when `address` is exactly one of `trusted_proxies`.
bool IsTrustedProxy(const std::string& address, const std::vector<std::string>& trusted_proxies);

}  // namespace sportello::gateway
