// The routing table built from the real compiled descriptors.
#include "gateway/routes.h"

#include <google/protobuf/descriptor.h>

#include <catch2/catch.hpp>

namespace sportello::gateway {
namespace {

TEST_CASE("route table from the generated pool", "[routes]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  // Every service with annotated RPCs is an upstream; EventSink has none.
  CHECK(table->Upstreams() == std::vector<std::string>{"catalogue", "complaints", "dispatch", "opendata", "surveys"});

  RouteMatch get = table->Match("GET", "/api/v1/tenants/c_f027");
  REQUIRE(get.route != nullptr);
  CHECK(get.route->method->full_name() == "sportello.v1.CatalogueService.GetTenant");
  CHECK(get.route->grpc_path == "/sportello.v1.CatalogueService/GetTenant");
  CHECK(get.route->upstream == "catalogue");
  CHECK(get.route->body.empty());
  CHECK(get.bindings == PathBindings{{"ipa_code", "c_f027"}});

  RouteMatch create = table->Match("POST", "/api/v1/tenants");
  REQUIRE(create.route != nullptr);
  CHECK(create.route->method->name() == "CreateTenant");
  CHECK(create.route->body == "tenant");

  RouteMatch list = table->Match("GET", "/api/v1/tenants");
  REQUIRE(list.route != nullptr);
  CHECK(list.route->method->name() == "ListTenants");
  CHECK(list.route->name == "GET /api/v1/tenants");
}

TEST_CASE("wrong method gives the allowed ones, unknown path none", "[routes]") {
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  RouteMatch m = table->Match("DELETE", "/api/v1/tenants");
  CHECK(m.route == nullptr);
  CHECK(m.allowed == std::vector<std::string>{"GET", "POST"});
  RouteMatch none = table->Match("GET", "/api/v1/nothing");
  CHECK(none.route == nullptr);
  CHECK(none.allowed.empty());
}

TEST_CASE("upstream names", "[routes]") {
  CHECK(UpstreamName("CatalogueService") == "catalogue");
  CHECK(UpstreamName("OpenDataService") == "opendata");
  CHECK(UpstreamName("Service") == "service");
}

}  // namespace
}  // namespace sportello::gateway
