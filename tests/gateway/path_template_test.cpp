// Parsing and matching of google.api.http path templates, table-driven.
#include "gateway/path_template.h"

#include <catch2/catch.hpp>

namespace sportello::gateway {
namespace {

TEST_CASE("path templates parse or are rejected", "[path_template]") {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"/api/v1/tenants", true},
      {"/api/v1/tenants/{ipa_code}", true},
      {"/v1/{name=shelves/*/books/*}", true},
      {"/v1/{name=files/**}", true},
      {"/v1/tenants/{id}:publish", true},
      {"/v1/*/x", true},
      {"api/v1", false},                 // no leading slash
      {"/v1/{name", false},              // unterminated
      {"/v1/{1bad}", false},             // bad field path
      {"/v1/**/x", false},               // ** not last
      {"/v1/{a}/{a}", false},            // bound twice
      {"/v1/{a={b}}", false},            // nested variable
      {"/v1//x", false},                 // empty segment
      {"/v1/x:", false},                 // empty verb
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::string error;
    auto t = PathTemplate::Parse(c.text, &error);
    CHECK(t.has_value() == c.ok);
    if (!c.ok) CHECK_FALSE(error.empty());
  }
}

TEST_CASE("path templates match paths and bind variables", "[path_template]") {
  struct Case {
    const char* tmpl;
    const char* path;
    bool match;
    PathBindings bindings;
  };
  const Case cases[] = {
      {"/api/v1/tenants", "/api/v1/tenants", true, {}},
      {"/api/v1/tenants", "/api/v1/tenants/", false, {}},
      {"/api/v1/tenants", "/api/v1/tenant", false, {}},
      {"/api/v1/tenants/{ipa_code}", "/api/v1/tenants/c_f027", true, {{"ipa_code", "c_f027"}}},
      {"/api/v1/tenants/{ipa_code}", "/api/v1/tenants/", false, {}},
      {"/api/v1/tenants/{ipa_code}", "/api/v1/tenants/a/b", false, {}},
      // Single-segment variables are fully percent-decoded, %2F included.
      {"/api/v1/tenants/{ipa_code}", "/api/v1/tenants/a%20b%2Fc", true, {{"ipa_code", "a b/c"}}},
      {"/api/v1/tenants/{ipa_code}", "/api/v1/tenants/bad%zz", false, {}},
      {"/v1/{tenant.ipa_code}/x", "/v1/c_a/x", true, {{"tenant.ipa_code", "c_a"}}},
      {"/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/books/b2", true, {{"name", "shelves/s1/books/b2"}}},
      {"/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/books", false, {}},
      // ** keeps slashes and leaves %2F encoded.
      {"/v1/{name=files/**}", "/v1/files/a/b%2Fc/d", true, {{"name", "files/a/b%2Fc/d"}}},
      {"/v1/{name=files/**}", "/v1/files", true, {{"name", "files"}}},
      {"/v1/**", "/v1/a/b/c", true, {}},
      {"/v1/tenants/{id}:publish", "/v1/tenants/t1:publish", true, {{"id", "t1"}}},
      {"/v1/tenants/{id}:publish", "/v1/tenants/t1:unpublish", false, {}},
      {"/v1/tenants/{id}:publish", "/v1/tenants/t1", false, {}},
      {"/v1/*/x", "/v1/anything/x", true, {}},
      {"/v1/*/x", "/v1//x", false, {}},
      {"/v1/caf%C3%A8", "/v1/caf%c3%a8", true, {}},
  };
  for (const auto& c : cases) {
    INFO(c.tmpl << " vs " << c.path);
    auto t = PathTemplate::Parse(c.tmpl);
    REQUIRE(t);
    auto m = t->Match(c.path);
    REQUIRE(m.has_value() == c.match);
    if (m) CHECK(*m == c.bindings);
  }
}

TEST_CASE("OpenAPI form and specificity", "[path_template]") {
  CHECK(PathTemplate::Parse("/v1/{name=shelves/*}/books/{id}:read")->OpenApiPath() ==
        "/v1/{name}/books/{id}:read");
  auto literal = *PathTemplate::Parse("/v1/tenants/special");
  auto variable = *PathTemplate::Parse("/v1/tenants/{id}");
  auto rest = *PathTemplate::Parse("/v1/{path=**}");
  auto verb = *PathTemplate::Parse("/v1/tenants/{id}:publish");
  CHECK(literal.CompareSpecificity(variable) < 0);
  CHECK(variable.CompareSpecificity(literal) > 0);
  CHECK(variable.CompareSpecificity(rest) < 0);
  CHECK(verb.CompareSpecificity(variable) < 0);
  CHECK(variable.CompareSpecificity(variable) == 0);
}

TEST_CASE("percent decoding", "[path_template]") {
  CHECK(PercentDecode("a%2Fb") == "a/b");
  CHECK(PercentDecode("a%2fb", true) == "a%2fb");
  CHECK(PercentDecode("%41%42") == "AB");
  CHECK_FALSE(PercentDecode("%4").has_value());
  CHECK_FALSE(PercentDecode("%g0").has_value());
}

}  // namespace
}  // namespace sportello::gateway
