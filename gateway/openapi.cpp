#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>

#include <boost/json.hpp>
#include <set>

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
namespace json = boost::json;

std::string Ref(const std::string& full_name) { return "#/components/schemas/" + full_name; }

class SchemaBuilder {
 public:
  explicit SchemaBuilder(json::object& schemas) : schemas_(schemas) {}

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
    if (name == "google.protobuf.FieldMask") return {{"type", "string"}};
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
      for (int i = 0; i < d->field_count(); ++i) properties[d->field(i)->name()] = Field(d->field(i));
      schemas_[name] = json::object{{"type", "object"}, {"properties", std::move(properties)}};
    }
    return {{"$ref", Ref(name)}};
  }

 private:
  void AddEnum(const pb::EnumDescriptor* e) {
    if (!done_.insert(e->full_name()).second) return;
    json::array values;
    for (int i = 0; i < e->value_count(); ++i) values.push_back(json::string(e->value(i)->name()));
    schemas_[e->full_name()] = json::object{{"type", "string"}, {"enum", std::move(values)}};
  }

  json::object& schemas_;
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
    out.push_back(json::object{{"name", name}, {"in", "query"}, {"required", false}, {"schema", schemas.Field(f)}});
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
  json::object error{{"type", "object"},
                     {"properties", json::object{{"field", json::object{{"type", "string"}}},
                                                 {"description", json::object{{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties", json::object{{"type", json::object{{"type", "string"}}},
                                      {"title", json::object{{"type", "string"}}},
                                      {"status", json::object{{"type", "integer"}}},
                                      {"detail", json::object{{"type", "string"}}},
                                      {"instance", json::object{{"type", "string"}}},
                                      {"request_id", json::object{{"type", "string"}}},
                                      {"errors", json::object{{"type", "array"}, {"items", error}}}}}};
}

}  // namespace

std::string OpenApiJson(const RouteTable& routes) {
  json::object schemas;
  SchemaBuilder builder(schemas);
  json::object paths;
  json::object problem_response{
      {"description", "Problem (RFC 9457)"},
      {"content", json::object{{"application/problem+json",
                                json::object{{"schema", json::object{{"$ref", Ref("Problem")}}}}}}}};

  for (const Route& route : routes.routes()) {
    const pb::Descriptor* input = route.method->input_type();
    json::object op;
    op["operationId"] = route.method->name();
    op["tags"] = json::array{json::string(route.method->service()->name())};

    json::array parameters;
    std::set<std::string> bound;
    for (const PathVariable& var : route.path.variables()) {
      bound.insert(var.field_path);
      const pb::FieldDescriptor* f = FieldAt(input, var.field_path);
      parameters.push_back(json::object{{"name", var.field_path}, {"in", "path"}, {"required", true},
                                        {"schema", f ? builder.Field(f) : json::object{{"type", "string"}}}});
    }
    if (route.body.empty()) {
      QueryParameters(builder, input, "", bound, 0, parameters);
    } else if (route.body == "*") {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", builder.Message(input)}}}}}};
    } else {
      bound.insert(route.body);
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json",
                                    json::object{{"schema", builder.Field(input->FindFieldByName(route.body))}}}}}};
      QueryParameters(builder, input, "", bound, 0, parameters);
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    op["responses"] = json::object{
        {"200", json::object{{"description", "OK"},
                             {"content", json::object{{"application/json",
                                                       json::object{{"schema", builder.Message(route.method->output_type())}}}}}}},
        {"default", problem_response}};

    std::string method = route.http_method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json::value& item = paths[route.path.OpenApiPath()];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[method] = std::move(op);
  }
  schemas["Problem"] = ProblemSchema();

  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "Sportello API"}, {"version", "v1"}}},
      {"paths", std::move(paths)},
      {"components", json::object{{"schemas", std::move(schemas)}}}};
  return json::serialize(doc);
}

}  // namespace sportello::gateway
