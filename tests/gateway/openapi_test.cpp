// The OpenAPI document generated from the real descriptors.
#include "gateway/openapi.h"

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
  const json::object& tenant = schemas.at("sportello.v1.Tenant").at("properties").as_object();
  CHECK(tenant.at("create_time").at("format") == "date-time");
  CHECK(tenant.at("kind").at("$ref") == "#/components/schemas/sportello.v1.TenantKind");
  CHECK(tenant.at("address").at("$ref") == "#/components/schemas/sportello.v1.Address");
  CHECK(schemas.at("sportello.v1.TenantKind").at("enum").as_array().size() == 4);
  CHECK(schemas.at("sportello.v1.ListTenantsResponse").at("properties").at("tenants").at("type") == "array");
  CHECK(schemas.contains("Problem"));
}

}  // namespace
}  // namespace sportello::gateway
