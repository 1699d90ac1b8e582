#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "gateway/proto_docs.h"
#include "sportello/v1/access.pb.h"

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
namespace json = boost::json;

constexpr char kBearer[] = "bearerAuth";

std::string Ref(const std::string& full_name) { return "#/components/schemas/" + full_name; }
std::string ResponseRef(const std::string& name) { return "#/components/responses/" + name; }

// A schema with a description: beside a $ref (which OpenAPI 3.0 allows no
// siblings) it goes through allOf.
json::object Described(json::object schema, const std::string& description) {
  if (description.empty()) return schema;
  if (schema.contains("$ref")) {
    return {{"allOf", json::array{std::move(schema)}}, {"description", description}};
  }
  schema["description"] = description;
  return schema;
}

// A plain-text comment as CommonMark: angle brackets escaped, so that a
// comment naming a <script> tag stays text in the rendered docs.
std::string Markdown(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class SchemaBuilder {
 public:
  SchemaBuilder(json::object& schemas, const ProtoDocs* docs) : schemas_(schemas), docs_(docs) {}

  std::string Doc(const pb::FieldDescriptor* f) const { return docs_ ? Markdown(docs_->Of(f)) : ""; }

  // The schema of one value of the field (ignoring repetition).
  json::object Scalar(const pb::FieldDescriptor* f) {
    switch (f->type()) {
      case pb::FieldDescriptor::TYPE_INT32:
      case pb::FieldDescriptor::TYPE_SINT32:
      case pb::FieldDescriptor::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case pb::FieldDescriptor::TYPE_UINT32:
      case pb::FieldDescriptor::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case pb::FieldDescriptor::TYPE_INT64:
      case pb::FieldDescriptor::TYPE_SINT64:
      case pb::FieldDescriptor::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case pb::FieldDescriptor::TYPE_UINT64:
      case pb::FieldDescriptor::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case pb::FieldDescriptor::TYPE_DOUBLE: return {{"type", "number"}, {"format", "double"}};
      case pb::FieldDescriptor::TYPE_FLOAT: return {{"type", "number"}, {"format", "float"}};
      case pb::FieldDescriptor::TYPE_BOOL: return {{"type", "boolean"}};
      case pb::FieldDescriptor::TYPE_STRING: return {{"type", "string"}};
      case pb::FieldDescriptor::TYPE_BYTES: return {{"type", "string"}, {"format", "byte"}};
      case pb::FieldDescriptor::TYPE_ENUM:
        AddEnum(f->enum_type());
        return {{"$ref", Ref(f->enum_type()->full_name())}};
      case pb::FieldDescriptor::TYPE_MESSAGE:
      case pb::FieldDescriptor::TYPE_GROUP:
        return Message(f->message_type());
    }
    return {};
  }

  json::object Field(const pb::FieldDescriptor* f) {
    if (f->is_map()) {
      return {{"type", "object"}, {"additionalProperties", Scalar(f->message_type()->map_value())}};
    }
    if (f->is_repeated()) return {{"type", "array"}, {"items", Scalar(f)}};
    return Scalar(f);
  }

  // A $ref to the message's schema, or an inline schema for well-known types.
  json::object Message(const pb::Descriptor* d) {
    const std::string& name = d->full_name();
    if (name == "google.protobuf.Timestamp") return {{"type", "string"}, {"format", "date-time"}};
    if (name == "google.protobuf.Duration") return {{"type", "string"}, {"example", "1.5s"}};
    if (name == "google.protobuf.FieldMask") {
      return {{"type", "string"}, {"description", "comma-separated field paths"}};
    }
    if (name == "google.protobuf.Struct" || name == "google.protobuf.Any") return {{"type", "object"}};
    if (name == "google.protobuf.Value") return {};
    if (name == "google.protobuf.Empty") return {{"type", "object"}};
    if (name.rfind("google.protobuf.", 0) == 0 && name.size() > 5 &&
        name.compare(name.size() - 5, 5, "Value") == 0 && d->FindFieldByName("value") != nullptr) {
      json::object s = Scalar(d->FindFieldByName("value"));
      s["nullable"] = true;
      return s;
    }
    if (done_.insert(name).second) {
      json::object properties;
      for (int i = 0; i < d->field_count(); ++i) {
        properties[d->field(i)->name()] = Described(Field(d->field(i)), Doc(d->field(i)));
      }
      json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
      if (std::string doc = docs_ ? Markdown(docs_->Of(d)) : ""; !doc.empty()) schema["description"] = doc;
      schemas_[name] = std::move(schema);
    }
    return {{"$ref", Ref(name)}};
  }

 private:
  void AddEnum(const pb::EnumDescriptor* e) {
    if (!done_.insert(e->full_name()).second) return;
    json::array values;
    std::string description = docs_ ? Markdown(docs_->Of(e)) : "";
    std::string listed;
    for (int i = 0; i < e->value_count(); ++i) {
      values.push_back(json::string(e->value(i)->name()));
      if (std::string doc = docs_ ? Markdown(docs_->Of(e->value(i))) : ""; !doc.empty()) {
        listed += "- `" + e->value(i)->name() + "`: " + doc + "\n";
      }
    }
    if (!listed.empty()) description += (description.empty() ? "" : "\n\n") + listed;
    json::object schema{{"type", "string"}, {"enum", std::move(values)}};
    if (!description.empty()) schema["description"] = description;
    schemas_[e->full_name()] = std::move(schema);
  }

  json::object& schemas_;
  const ProtoDocs* docs_;
  std::set<std::string> done_;
};

// Query parameters: every leaf field not bound by the path, nested messages
// as dotted names; `depth` bounds recursive message types.
void QueryParameters(SchemaBuilder& schemas, const pb::Descriptor* d, const std::string& prefix,
                     const std::set<std::string>& bound, int depth, json::array& out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    std::string name = prefix + f->name();
    if (bound.count(name) || f->is_map()) continue;
    bool plain_message = f->message_type() != nullptr &&
                         f->message_type()->full_name().rfind("google.protobuf.", 0) != 0;
    if (plain_message) {
      if (!f->is_repeated() && depth < 3) {
        QueryParameters(schemas, f->message_type(), name + ".", bound, depth + 1, out);
      }
      continue;
    }
    json::object p{{"name", name}, {"in", "query"}, {"required", false}, {"schema", schemas.Field(f)}};
    if (std::string doc = schemas.Doc(f); !doc.empty()) p["description"] = doc;
    if (f->is_repeated()) p["explode"] = true;
    out.push_back(std::move(p));
  }
}

const pb::FieldDescriptor* FieldAt(const pb::Descriptor* d, const std::string& path) {
  const pb::FieldDescriptor* f = nullptr;
  size_t start = 0;
  while (d != nullptr) {
    size_t dot = path.find('.', start);
    f = d->FindFieldByName(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (f == nullptr || dot == std::string::npos) return f;
    d = f->message_type();
    start = dot + 1;
  }
  return nullptr;
}

json::object ProblemSchema() {
  auto str = [](const char* description) {
    return json::object{{"type", "string"}, {"description", description}};
  };
  json::object error{{"type", "object"},
                     {"description", "One invalid field."},
                     {"properties", json::object{{"field", str("The field path, e.g. `tenant.pec`.")},
                                                 {"description", str("What is wrong with it.")}}}};
  return {{"type", "object"},
          {"description", "An error (RFC 9457 problem details). Texts in Italian, or English by Accept-Language."},
          {"properties",
           json::object{{"type", str("Always `about:blank`.")},
                        {"title", str("The HTTP status in words.")},
                        {"status", json::object{{"type", "integer"}, {"description", "The HTTP status."}}},
                        {"detail", str("What went wrong.")},
                        {"instance", str("The request path.")},
                        {"request_id", str("The request id (also in the x-request-id header).")},
                        {"errors", json::object{{"type", "array"}, {"items", error},
                                                {"description", "The invalid fields, for a 400."}}}}}};
}

json::object ProblemResponse(const char* description) {
  return {{"description", description},
          {"content", json::object{{"application/problem+json",
                                    json::object{{"schema", json::object{{"$ref", Ref("Problem")}}}}}}}};
}

// "GetServiceJsonLd" -> "Get service json ld": a summary when the RPC has no comment.
std::string Humanize(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) {
      out.push_back(' ');
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    out.push_back(c);
  }
  return out;
}

// The roles of an RPC's access rule, lower-case; {"public"} for ROLE_PUBLIC.
std::vector<std::string> Roles(const pb::MethodDescriptor* method) {
  std::vector<std::string> roles;
  if (!method->options().HasExtension(v1::access)) return roles;
  for (int role : method->options().GetExtension(v1::access).allow()) {
    std::string name = v1::Role_Name(static_cast<v1::Role>(role));
    if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    roles.push_back(std::move(name));
  }
  return roles;
}

// The media type of a RawBody answer, from the RPC's name: the service
// decides the real one per answer.
std::string RawMediaType(const std::string& rpc) {
  if (rpc.find("JsonLd") != std::string::npos) return "application/ld+json";
  if (rpc.find("Export") != std::string::npos || rpc.find("Csv") != std::string::npos) return "text/csv";
  return "application/octet-stream";
}

// "/a/{x}/b/{y.z}:v" -> "/a/{}/b/{}:v": equal keys mean the same OpenAPI path.
std::string ShapeOf(const std::string& openapi_path) {
  std::string out;
  bool inside = false;
  for (char c : openapi_path) {
    if (c == '{') {
      inside = true;
      out += "{}";
    } else if (c == '}') {
      inside = false;
    } else if (!inside) {
      out.push_back(c);
    }
  }
  return out;
}

// The path with the i-th variable named names[i].
std::string Renamed(const PathTemplate& path, const std::vector<std::string>& names) {
  std::string text = path.OpenApiPath();
  size_t pos = 0;
  for (size_t i = 0; i < path.variables().size(); ++i) {
    const std::string from = "{" + path.variables()[i].field_path + "}";
    size_t at = text.find(from, pos);
    if (at == std::string::npos) break;
    const std::string to = "{" + names[i] + "}";
    text.replace(at, from.size(), to);
    pos = at + to.size();
  }
  return text;
}

}  // namespace

std::string OpenApiJson(const RouteTable& routes, const OpenApiOptions& options) {
  const ProtoDocs* docs = options.docs;
  json::object schemas;
  SchemaBuilder builder(schemas, docs);

  // Path items: routes whose templates differ only in variable names share
  // one, and each variable position takes the simplest name among them
  // (fewest dots, then shortest): {id} over {office.id}.
  std::map<std::string, std::vector<const Route*>> by_shape;
  for (const Route& route : routes.routes()) by_shape[ShapeOf(route.path.OpenApiPath())].push_back(&route);
  std::map<const Route*, std::vector<std::string>> names;
  for (const auto& [shape, group] : by_shape) {
    const size_t n = group.front()->path.variables().size();
    std::vector<std::string> chosen(n);
    for (size_t i = 0; i < n; ++i) {
      for (const Route* r : group) {
        const std::string& candidate = r->path.variables()[i].field_path;
        auto rank = [](const std::string& s) {
          return std::make_tuple(std::count(s.begin(), s.end(), '.'), s.size(), s);
        };
        if (chosen[i].empty() || rank(candidate) < rank(chosen[i])) chosen[i] = candidate;
      }
    }
    for (const Route* r : group) names[r] = chosen;
  }

  json::object paths;
  std::set<std::string> operation_ids;
  std::map<std::string, const pb::ServiceDescriptor*> services;
  for (const Route& route : routes.routes()) {
    const pb::MethodDescriptor* rpc = route.method;
    const pb::Descriptor* input = rpc->input_type();
    services.emplace(rpc->service()->name(), rpc->service());
    json::object op;

    // operationId: the RPC name; an additional binding of the same RPC (or
    // a same-named RPC of another service) gets a suffix.
    std::string id = rpc->name();
    if (operation_ids.count(id)) id = rpc->service()->name() + "_" + rpc->name();
    for (int n = 2; operation_ids.count(id); ++n) id = rpc->name() + std::to_string(n);
    operation_ids.insert(id);
    op["operationId"] = id;
    op["tags"] = json::array{json::string(rpc->service()->name())};

    const std::string comment = docs ? docs->Of(rpc) : "";
    std::string summary = FirstSentence(comment);
    op["summary"] = summary.empty() ? Humanize(rpc->name()) : summary;

    // Security from the access rule: public RPCs take a token optionally.
    std::vector<std::string> roles = Roles(rpc);
    const bool is_public = std::find(roles.begin(), roles.end(), "public") != roles.end();
    std::string access;
    if (is_public) {
      access = "Access: public, no token needed (a staff token may show more).";
    } else {
      std::string list;
      for (const auto& r : roles) list += (list.empty() ? "" : ", ") + ("`" + r + "`");
      const bool admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
      access = "Access: a bearer token with one of the roles " + (list.empty() ? std::string("(none)") : list) +
               (admin ? "." : " (`admin` passes every rule).");
    }
    op["description"] = comment.empty() ? access : Markdown(comment) + "\n\n" + access;
    json::array security;
    if (is_public) security.push_back(json::object{});
    security.push_back(json::object{{kBearer, json::array{}}});
    op["security"] = std::move(security);

    json::array parameters;
    std::set<std::string> bound;
    const std::vector<std::string>& var_names = names[&route];
    for (size_t i = 0; i < route.path.variables().size(); ++i) {
      const PathVariable& var = route.path.variables()[i];
      bound.insert(var.field_path);
      const pb::FieldDescriptor* f = FieldAt(input, var.field_path);
      // A renamed variable says which field it fills; its own comment may
      // speak of the resource ("output only"), not of the URL.
      std::string doc = var_names[i] != var.field_path ? "The request's `" + var.field_path + "`."
                        : f                            ? builder.Doc(f)
                                                       : "";
      json::object p{{"name", var_names[i]}, {"in", "path"}, {"required", true},
                     {"schema", f ? builder.Field(f) : json::object{{"type", "string"}}}};
      if (!doc.empty()) p["description"] = doc;
      parameters.push_back(std::move(p));
    }
    if (route.body.empty()) {
      QueryParameters(builder, input, "", bound, 0, parameters);
    } else if (route.body == "*") {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", builder.Message(input)}}}}}};
    } else {
      bound.insert(route.body);
      const pb::FieldDescriptor* body = input->FindFieldByName(route.body);
      json::object request_body{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", builder.Field(body)}}}}}};
      if (route.http_method == "PATCH" && input->FindFieldByName("update_mask") != nullptr) {
        request_body["description"] =
            "The fields to change. Without `update_mask` the fields present in this body are changed (AIP-134).";
      }
      op["requestBody"] = std::move(request_body);
      QueryParameters(builder, input, "", bound, 0, parameters);
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);

    // 200: JSON of the answer, or the bytes of a RawBody (chunked when streamed).
    const pb::Descriptor* output = rpc->output_type();
    json::object ok;
    if (output->full_name() == "sportello.v1.RawBody") {
      ok["description"] = route.server_streaming
                              ? "The content, sent in chunks (Transfer-Encoding: chunked) as it is produced."
                              : "The content.";
      ok["content"] = json::object{{RawMediaType(rpc->name()),
                                    json::object{{"schema", json::object{{"type", "string"}, {"format", "binary"}}}}}};
    } else {
      // Not the well-known types' own comments ("A generic empty message...").
      std::string doc = docs && output->full_name().rfind("google.", 0) != 0 ? FirstSentence(docs->Of(output)) : "";
      ok["description"] = doc.empty() ? "OK" : doc;
      ok["content"] = json::object{{"application/json", json::object{{"schema", builder.Message(output)}}}};
    }
    json::object responses{{"200", std::move(ok)}, {"400", json::object{{"$ref", ResponseRef("BadRequest")}}}};
    if (!is_public) {
      responses["401"] = json::object{{"$ref", ResponseRef("Unauthorized")}};
      responses["403"] = json::object{{"$ref", ResponseRef("Forbidden")}};
    }
    if (!route.path.variables().empty()) responses["404"] = json::object{{"$ref", ResponseRef("NotFound")}};
    responses["default"] = json::object{{"$ref", ResponseRef("Error")}};
    op["responses"] = std::move(responses);

    std::string method = route.http_method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json::value& item = paths[Renamed(route.path, var_names)];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[method] = std::move(op);
  }
  schemas["Problem"] = ProblemSchema();

  json::array tags;
  for (const auto& [name, service] : services) {
    std::string doc = docs ? Markdown(docs->Of(service)) : "";
    tags.push_back(json::object{{"name", name}, {"description", doc.empty() ? Humanize(name) : doc}});
  }

  json::object components{
      {"securitySchemes",
       json::object{{kBearer, json::object{{"type", "http"},
                                           {"scheme", "bearer"},
                                           {"bearerFormat", "JWT"},
                                           {"description", "A JWT with the claims sub, tenant (IPA code), "
                                                           "roles, optional office, and exp."}}}}},
      {"responses",
       json::object{{"BadRequest", ProblemResponse("Invalid request: `errors` names each invalid field.")},
                    {"Unauthorized", ProblemResponse("Missing, expired or invalid bearer token.")},
                    {"Forbidden", ProblemResponse("The token's tenant or roles do not allow this.")},
                    {"NotFound", ProblemResponse("No such resource.")},
                    {"Error", ProblemResponse("Any other error (409, 412, 429, 503, 504, ...).")}}},
      {"schemas", std::move(schemas)}};

  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "Sportello API"},
                            {"version", "v1"},
                            {"description",
                             "REST API of Sportello, the public-relations office (URP) platform of Italian "
                             "municipalities: the catalogue of administrations, offices and services, and "
                             "citizens' requests (reports, complaints, suggestions, civic access). Generated "
                             "from the gRPC services' descriptors. Errors are RFC 9457 problem details."},
                            {"license", json::object{{"name", options.license_name}, {"url", options.license_url}}}}},
      {"servers", json::array{json::object{{"url", options.server_url.empty() ? "/" : options.server_url},
                                           {"description", "This gateway"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components", std::move(components)}};
  return json::serialize(doc);
}

}  // namespace sportello::gateway
