#pragma once
// Where a Sportello component reaches another one: the value of
// SPORTELLO_<NAME>_ADDR (or of a subscriber), turned into a gRPC target that
// ServiceChannel (common/grpc/tls.h) balances over with round_robin.
//
//   "catalogue:50051"                        one name, resolved by DNS (every address it has)
//   "10.0.0.7:50051,10.0.0.8:50051"          several IPv4 replicas -> "ipv4:10.0.0.7:50051,10.0.0.8:50051"
//   "[fd00::7]:50051,[fd00::8]:50051"        several IPv6 replicas -> "ipv6:[fd00::7]:50051,[fd00::8]:50051"
//   "dns:///catalogue-headless:50051"        a headless Kubernetes Service: one address per pod
//   "ipv4:...", "ipv6:...", "unix:..."        gRPC targets, kept as they are
// Several host names in a list are refused (gRPC has no resolver for such a
// list): give one DNS name that resolves to every replica instead.
// No gRPC headers here: config readers use it to refuse a bad value at start-up.
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sportello {

// INVALID_ARGUMENT naming what is wrong; otherwise the gRPC target.
absl::StatusOr<std::string> ChannelTarget(std::string_view addresses);

// The service config of every channel between components: round_robin over
// every address of the target (gRPC's default, pick_first, would send
// everything to one replica).
inline constexpr const char* kRoundRobinServiceConfig = R"({"loadBalancingConfig":[{"round_robin":{}}]})";

}  // namespace sportello
