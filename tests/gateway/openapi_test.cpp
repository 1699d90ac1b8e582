// The OpenAPI document generated from the real descriptors.
#include "gateway/openapi.h"

#include <set>

#include "gateway/proto_docs.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace sportello::gateway {
namespace {

namespace json = boost::json;

TEST_CASE("OpenAPI document has the annotated paths and schemas", "[openapi]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  json::object doc = json::parse(OpenApiJson(*table)).as_object();
  CHECK(doc.at("openapi") == "3.0.3");
  const json::object& paths = doc.at("paths").as_object();

  const json::object& get = paths.at("/api/v1/tenants/{ipa_code}").as_object().at("get").as_object();
  CHECK(get.at("operationId") == "GetTenant");
  CHECK(get.at("tags").as_array().at(0) == "CatalogueService");
  const json::object& param = get.at("parameters").as_array().at(0).as_object();
  CHECK(param.at("name") == "ipa_code");
  CHECK(param.at("in") == "path");
  CHECK(get.at("responses").as_object().at("200").at("content").at("application/json").at("schema").at("$ref") ==
        "#/components/schemas/sportello.v1.Tenant");
  CHECK(get.at("responses").as_object().contains("default"));
  CHECK(get.at("responses").as_object().contains("404"));

  const json::object& tenants = paths.at("/api/v1/tenants").as_object();
  const json::object& post = tenants.at("post").as_object();
  CHECK(post.at("operationId") == "CreateTenant");
  CHECK(post.at("requestBody").at("content").at("application/json").at("schema").at("$ref") ==
        "#/components/schemas/sportello.v1.Tenant");
  const json::object& list = tenants.at("get").as_object();
  std::vector<std::string> query;
  for (const auto& p : list.at("parameters").as_array()) {
    CHECK(p.at("in") == "query");
    query.emplace_back(p.at("name").as_string());
  }
  CHECK(query == std::vector<std::string>{"page_size", "page_token", "kind", "parent_ipa_code"});

  const json::object& schemas = doc.at("components").at("schemas").as_object();
  CHECK(schemas.at("Problem").at("type") == "object");
  const json::object& tenant = schemas.at("sportello.v1.Tenant").at("properties").as_object();
  CHECK(tenant.at("create_time").at("format") == "date-time");
  CHECK(tenant.at("kind").at("$ref") == "#/components/schemas/sportello.v1.TenantKind");
  CHECK(tenant.at("address").at("$ref") == "#/components/schemas/sportello.v1.Address");
  CHECK(schemas.at("sportello.v1.TenantKind").at("enum").as_array().size() == 4);
  CHECK(schemas.at("sportello.v1.ListTenantsResponse").at("properties").at("tenants").at("type") == "array");
  CHECK(schemas.contains("Problem"));
}

json::object Document(const OpenApiOptions& options) {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  return json::parse(OpenApiJson(*table, options)).as_object();
}

TEST_CASE("OpenAPI: summaries and descriptions come from the proto comments", "[openapi]") {
  const ProtoDocs& docs = ProtoDocs::Embedded();
  REQUIRE(docs.file_count() > 4);  // the embedded descriptor set has our files and their imports
  OpenApiOptions options;
  options.docs = &docs;
  json::object doc = Document(options);
  const json::object& create = doc.at("paths").at("/api/v1/tenants").at("post").as_object();
  CHECK(create.at("summary") == "Registers an administration");
  CHECK(std::string(create.at("description").as_string()).find("Registers an administration. Admin only.") == 0);
  // Field comments (trailing ones too) describe properties and parameters.
  const json::object& address = doc.at("components").at("schemas").at("sportello.v1.Address").as_object();
  CHECK(address.at("description") == "A postal address in Italy.");
  CHECK(address.at("properties").at("postal_code").at("description") == "CAP, five digits");
  CHECK(FirstSentence("Changes the fields named in update_mask (every field when it is\nempty). More.") ==
        "Changes the fields named in update_mask (every field when it is empty)");
  CHECK(FirstSentence("Which items of d.lgs. 33/2013 art. 35 are missing. Operators only.") ==
        "Which items of d.lgs. 33/2013 art. 35 are missing");
  CHECK(FirstSentence("One line\n\nA new paragraph.") == "One line");
  // Without comments every operation still has a summary.
  json::object bare = Document({});
  CHECK(bare.at("paths").at("/api/v1/tenants").at("post").at("summary") == "Create tenant");
}

TEST_CASE("OpenAPI: what Redocly's recommended rules ask for", "[openapi]") {
  OpenApiOptions options;
  options.docs = &ProtoDocs::Embedded();
  options.server_url = "https://urp.example.it";
  json::object doc = Document(options);
  CHECK(doc.at("servers").at(0).at("url") == "https://urp.example.it");
  CHECK(Document({}).at("servers").at(0).at("url") == "/");
  CHECK(doc.at("info").at("license").at("name") == "EUPL-1.2");
  CHECK(doc.at("components").at("securitySchemes").at("bearerAuth").at("scheme") == "bearer");

  const json::object& paths = doc.at("paths").as_object();
  // Templates equal up to their variable names share one path item and one name.
  CHECK_FALSE(paths.contains("/api/v1/offices/{office.id}"));
  CHECK_FALSE(paths.contains("/api/v1/services/{service.id}"));
  const json::object& office = paths.at("/api/v1/offices/{id}").as_object();
  CHECK(office.contains("get"));
  CHECK(office.contains("delete"));
  const json::object& patch = office.at("patch").as_object();
  CHECK(patch.at("operationId") == "UpdateOffice");
  CHECK(patch.at("parameters").at(0).at("name") == "id");
  CHECK(patch.at("parameters").at(0).at("description") == "The request's `office.id`.");

  std::set<std::string> ids;
  int operations = 0;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op_value] : item.as_object()) {
      const json::object& op = op_value.as_object();
      INFO(method << " " << path);
      ++operations;
      CHECK(ids.insert(std::string(op.at("operationId").as_string())).second);  // unique
      CHECK_FALSE(op.at("summary").as_string().empty());
      CHECK(op.at("responses").as_object().contains("400"));  // a 4xx on every operation
      // Every {name} in the path is a path parameter of the operation.
      std::set<std::string> in_path;
      for (const auto& p : op.contains("parameters") ? op.at("parameters").as_array() : json::array{}) {
        if (p.at("in") == "path") in_path.insert(std::string(p.at("name").as_string()));
      }
      std::set<std::string> in_template;
      for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
        in_template.insert(std::string(path.substr(open + 1, path.find('}', open) - open - 1)));
      }
      CHECK(in_path == in_template);
      // Security from the access option: public operations take a token optionally.
      const json::array& security = op.at("security").as_array();
      REQUIRE_FALSE(security.empty());
      CHECK(security.back().as_object().contains("bearerAuth"));
    }
  }
  CHECK(operations > 30);
  const json::array& public_get = paths.at("/api/v1/tenants/{ipa_code}").at("get").at("security").as_array();
  CHECK(public_get.size() == 2);
  CHECK(public_get.at(0).as_object().empty());
  const json::object& create = paths.at("/api/v1/tenants").at("post").as_object();
  CHECK(create.at("security").as_array().size() == 1);
  CHECK(std::string(create.at("description").as_string()).find("roles `admin`.") != std::string::npos);
  const json::object& create_office = paths.at("/api/v1/tenants/{tenant}/offices").at("post").as_object();
  CHECK(std::string(create_office.at("description").as_string()).find("`operator` (`admin` passes every rule)") !=
        std::string::npos);
  CHECK(create.at("responses").as_object().contains("401"));
  CHECK(create.at("responses").as_object().contains("403"));
  // A RawBody answer is its bytes, not JSON.
  const json::object& jsonld = paths.at("/api/v1/services/{id}/jsonld").at("get").at("responses").at("200").as_object();
  CHECK(jsonld.at("content").as_object().begin()->value().at("schema").at("format") == "binary");
}

}  // namespace
}  // namespace sportello::gateway
