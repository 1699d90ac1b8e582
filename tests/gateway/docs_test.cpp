// /docs: the page and the renderer bundle built into the gateway.
#include "gateway/docs.h"

#include <catch2/catch.hpp>

namespace sportello::gateway {
namespace {

TEST_CASE("docs: the page loads Redoc from the gateway itself", "[docs]") {
  CHECK(IsDocsPath("/docs"));
  CHECK(IsDocsPath("/docs/redoc.standalone.js"));
  CHECK_FALSE(IsDocsPath("/docsx"));
  CHECK_FALSE(IsDocsPath("/api/v1/docs"));

  ProblemContext ctx;
  HttpResponse page = DocsResponse({"GET", "/docs", {}, ""}, "/docs", ctx);
  CHECK(page.status == 200);
  CHECK(page.headers.GetOr("content-type") == "text/html; charset=utf-8");
  CHECK(page.body.find(R"(<redoc spec-url="/openapi.json")") != std::string::npos);
  CHECK(page.body.find(R"(<script src="/docs/redoc.standalone.js"></script>)") != std::string::npos);
  // Nothing from elsewhere: no absolute URL in a src or href, and the policy says 'self'.
  CHECK(page.body.find("src=\"http") == std::string::npos);
  CHECK(page.body.find("href=\"http") == std::string::npos);
  CHECK(page.headers.GetOr("content-security-policy").find("script-src 'self';") != std::string::npos);

  HttpResponse bundle = DocsResponse({"GET", "/docs/redoc.standalone.js", {}, ""}, "/docs/redoc.standalone.js", ctx);
  INFO("a gateway built without tools/npm/node_modules has no bundle: run ./sportello build");
  REQUIRE(bundle.status == 200);
  CHECK(bundle.headers.GetOr("content-type") == "application/javascript; charset=utf-8");
  CHECK(bundle.body.size() > 500000);  // Redoc's standalone bundle is about a megabyte
  CHECK(bundle.body.find("Redoc") != std::string::npos);
  std::string etag = bundle.headers.GetOr("etag");
  REQUIRE_FALSE(etag.empty());
  HttpResponse cached = DocsResponse({"GET", "/docs/redoc.standalone.js", {{"If-None-Match", etag}}, ""},
                                     "/docs/redoc.standalone.js", ctx);
  CHECK(cached.status == 304);
  CHECK(cached.body.empty());

  CHECK(DocsResponse({"GET", "/docs/other.js", {}, ""}, "/docs/other.js", ctx).status == 404);
}

}  // namespace
}  // namespace sportello::gateway
