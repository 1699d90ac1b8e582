#pragma once
// The REST routing table, built once at start-up from the google.api.http
// annotations of every service in package sportello.v1 found in a descriptor
// pool (normally the generated pool): adding an endpoint means annotating an
// RPC, never writing a handler. additional_bindings become routes of their own.
//
//   auto table = RouteTable::FromGeneratedPool();
//   RouteMatch m = table->Match("GET", "/api/v1/tenants/c_f027");
//   // m.route->method->full_name() == "sportello.v1.CatalogueService.GetTenant",
//   // m.bindings == {{"ipa_code", "c_f027"}}
//
// Among matching templates the most specific wins (custom verb, then literal
// over "*" over "**" from the left). When the path matches some route but
// none for the method, `allowed` lists the methods for a 405 with Allow.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"

namespace google::protobuf {
class DescriptorPool;
class Message;
class MethodDescriptor;
}  // namespace google::protobuf

namespace sportello::gateway {

struct Route {
  std::string http_method;  // "GET", "POST", "PUT", "PATCH", "DELETE" (or a custom kind)
  PathTemplate path;
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string body;         // "" (no body), "*" (the whole request) or a field name
  std::string upstream;     // "catalogue" for sportello.v1.CatalogueService
  std::string grpc_path;    // "/sportello.v1.CatalogueService/GetTenant"
  // A server-streaming RPC of sportello.v1.RawBody: sent as a chunked answer.
  bool server_streaming = false;
  // The compiled request and answer messages, looked up once here rather
  // than on every request.
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  bool raw_answer = false;  // answers sportello.v1.RawBody: its bytes, not JSON
  std::string name;         // "GET /api/v1/tenants/{ipa_code}": the metrics label
};

struct RouteMatch {
  const Route* route = nullptr;   // null when nothing matched
  PathBindings bindings;
  std::vector<std::string> allowed;  // path matched, method did not: the methods that would
};

class RouteTable {
 public:
  // Every annotated RPC of every service in `package`. Only the generated
  // pool can list its files (through the database behind it), so any other
  // pool yields an empty table. Fails on a malformed
  // template, a body field that does not exist, a path variable that
  // names no field, a message with no compiled class, or a streaming RPC
  // other than a server stream of sportello.v1.RawBody (the only kind
  // HTTP/1.1 answers carry: chunks).
  static absl::StatusOr<RouteTable> FromPool(const google::protobuf::DescriptorPool& pool,
                                             const std::string& package = "sportello.v1");
  static absl::StatusOr<RouteTable> FromGeneratedPool();

  // `path` is the raw path of the target, without the query.
  RouteMatch Match(std::string_view http_method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

  // The distinct upstream names, sorted.
  std::vector<std::string> Upstreams() const;

 private:
  // Indexes routes_ by the number of path segments a route can match, so
  // that a request tries only the few routes of its own length.
  void IndexBySegments();

  std::vector<Route> routes_;
  std::vector<std::vector<size_t>> by_segments_;  // [n]: routes matching n segments, in table order
  std::vector<size_t> open_ended_;                // routes ending in "**", in table order
};

// "CatalogueService" -> "catalogue".
std::string UpstreamName(std::string_view service_name);

}  // namespace sportello::gateway
