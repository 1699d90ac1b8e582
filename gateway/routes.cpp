#include "gateway/routes.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;

// Resolves a dotted field path against a message type; false when any part
// is missing or a non-final part is not a singular message.
bool FieldPathExists(const pb::Descriptor* type, const std::string& path) {
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string name = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const pb::FieldDescriptor* field = type->FindFieldByName(name);
    if (field == nullptr) return false;
    if (dot == std::string::npos) return true;
    if (field->is_repeated() || field->message_type() == nullptr) return false;
    type = field->message_type();
    start = dot + 1;
  }
}

absl::Status AddRule(const pb::MethodDescriptor* method, const google::api::HttpRule& rule,
                     std::vector<Route>& out) {
  Route route;
  std::string pattern;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet: route.http_method = "GET"; pattern = rule.get(); break;
    case google::api::HttpRule::kPut: route.http_method = "PUT"; pattern = rule.put(); break;
    case google::api::HttpRule::kPost: route.http_method = "POST"; pattern = rule.post(); break;
    case google::api::HttpRule::kDelete: route.http_method = "DELETE"; pattern = rule.delete_(); break;
    case google::api::HttpRule::kPatch: route.http_method = "PATCH"; pattern = rule.patch(); break;
    case google::api::HttpRule::kCustom:
      route.http_method = rule.custom().kind();
      pattern = rule.custom().path();
      break;
    case google::api::HttpRule::PATTERN_NOT_SET:
      return absl::InvalidArgumentError(method->full_name() + ": google.api.http without a pattern");
  }
  std::string error;
  auto path = PathTemplate::Parse(pattern, &error);
  if (!path) {
    return absl::InvalidArgumentError(method->full_name() + ": template '" + pattern + "': " + error);
  }
  for (const PathVariable& var : path->variables()) {
    if (!FieldPathExists(method->input_type(), var.field_path)) {
      return absl::InvalidArgumentError(method->full_name() + ": path variable '" +
                                        var.field_path + "' names no field");
    }
  }
  if (!rule.body().empty() && rule.body() != "*" &&
      method->input_type()->FindFieldByName(rule.body()) == nullptr) {
    return absl::InvalidArgumentError(method->full_name() + ": body field '" + rule.body() +
                                      "' does not exist");
  }
  if (method->client_streaming()) {
    return absl::InvalidArgumentError(method->full_name() +
                                      ": a client-streaming RPC cannot have a google.api.http rule");
  }
  if (method->server_streaming() && method->output_type()->full_name() != "sportello.v1.RawBody") {
    return absl::InvalidArgumentError(method->full_name() +
                                      ": a server-streaming RPC with a google.api.http rule must "
                                      "return stream sportello.v1.RawBody");
  }
  route.server_streaming = method->server_streaming();
  route.request_prototype = pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  route.response_prototype = pb::MessageFactory::generated_factory()->GetPrototype(method->output_type());
  if (route.request_prototype == nullptr || route.response_prototype == nullptr) {
    return absl::InvalidArgumentError(method->full_name() + ": no compiled message for its request or answer");
  }
  route.raw_answer = method->output_type()->full_name() == "sportello.v1.RawBody";
  route.name = route.http_method + " " + path->text();
  route.path = std::move(*path);
  route.method = method;
  route.body = rule.body();
  route.upstream = UpstreamName(method->service()->name());
  route.grpc_path = "/" + method->service()->full_name() + "/" + method->name();
  out.push_back(std::move(route));
  return absl::OkStatus();
}

}  // namespace

std::string UpstreamName(std::string_view service_name) {
  constexpr std::string_view kSuffix = "Service";
  if (service_name.size() > kSuffix.size() &&
      service_name.substr(service_name.size() - kSuffix.size()) == kSuffix) {
    service_name.remove_suffix(kSuffix.size());
  }
  std::string out(service_name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

absl::StatusOr<RouteTable> RouteTable::FromPool(const pb::DescriptorPool& pool,
                                                const std::string& package) {
  // The generated pool loads files lazily, so list them from the database
  // behind it; any other pool is asked for the files it already holds.
  std::vector<std::string> files;
  if (&pool == pb::DescriptorPool::generated_pool()) {
    pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  }
  RouteTable table;
  std::set<const pb::ServiceDescriptor*> seen;
  for (const std::string& name : files) {
    const pb::FileDescriptor* file = pool.FindFileByName(name);
    if (file == nullptr || file->package() != package) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor* service = file->service(s);
      if (!seen.insert(service).second) continue;
      for (int m = 0; m < service->method_count(); ++m) {
        const pb::MethodDescriptor* method = service->method(m);
        if (!method->options().HasExtension(google::api::http)) continue;
        const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
        if (auto st = AddRule(method, rule, table.routes_); !st.ok()) return st;
        for (const auto& extra : rule.additional_bindings()) {
          if (auto st = AddRule(method, extra, table.routes_); !st.ok()) return st;
        }
      }
    }
  }
  table.IndexBySegments();
  return table;
}

void RouteTable::IndexBySegments() {
  size_t longest = 0;
  for (const Route& r : routes_) longest = std::max(longest, r.path.segments().size());
  by_segments_.assign(longest + 1, {});
  open_ended_.clear();
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& segments = routes_[i].path.segments();
    if (!segments.empty() && segments.back().kind == PathSegment::Kind::kDouble) {
      open_ended_.push_back(i);
      for (size_t n = segments.size() - 1; n <= longest; ++n) by_segments_[n].push_back(i);
    } else {
      by_segments_[segments.size()].push_back(i);
    }
  }
}

absl::StatusOr<RouteTable> RouteTable::FromGeneratedPool() {
  return FromPool(*pb::DescriptorPool::generated_pool());
}

RouteMatch RouteTable::Match(std::string_view http_method, std::string_view path) const {
  RouteMatch best;
  std::set<std::string> allowed;
  const std::vector<std::string_view> parts = SplitPathSegments(path);
  const std::vector<size_t>& candidates = parts.size() < by_segments_.size() ? by_segments_[parts.size()] : open_ended_;
  for (size_t i : candidates) {
    const Route& route = routes_[i];
    auto bindings = route.path.MatchSegments(parts);
    if (!bindings) continue;
    if (route.http_method != http_method) {
      allowed.insert(route.http_method);
      continue;
    }
    if (best.route == nullptr || route.path.CompareSpecificity(best.route->path) < 0) {
      best.route = &route;
      best.bindings = std::move(*bindings);
    }
  }
  if (best.route == nullptr) best.allowed.assign(allowed.begin(), allowed.end());
  return best;
}

std::vector<std::string> RouteTable::Upstreams() const {
  std::set<std::string> names;
  for (const Route& r : routes_) names.insert(r.upstream);
  return {names.begin(), names.end()};
}

}  // namespace sportello::gateway
