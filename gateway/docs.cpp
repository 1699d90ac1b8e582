#include "gateway/docs.h"

#include <string>

namespace sportello::embedded {
std::string_view RedocStandaloneJs();  // gateway/CMakeLists.txt embeds it
}  // namespace sportello::embedded

namespace sportello::gateway {
namespace {

constexpr std::string_view kBundlePath = "/docs/redoc.standalone.js";

// Redoc renders <redoc spec-url> by itself once its bundle has loaded.
constexpr std::string_view kPage = R"html(<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sportello API</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<noscript>Questa pagina richiede JavaScript. Il contratto in formato OpenAPI è su <a href="/openapi.json">/openapi.json</a>.</noscript>
<redoc spec-url="/openapi.json" expand-responses="200" path-in-middle-panel="true"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
)html";

// Only the gateway's own resources; Redoc injects its styles (styled-
// components) and runs its search index in a blob: worker.
constexpr char kPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

}  // namespace

bool IsDocsPath(std::string_view path) { return path == "/docs" || path.substr(0, 6) == "/docs/"; }

HttpResponse DocsResponse(const HttpRequest& request, std::string_view path, const ProblemContext& ctx) {
  const std::string_view bundle = embedded::RedocStandaloneJs();
  HttpResponse r;
  if (path == "/docs" || path == "/docs/") {
    if (bundle.empty()) {
      return Problem(503, "this gateway was built without the /docs renderer (npm ci in tools/npm, then rebuild)",
                     ctx);
    }
    r.headers.Set("Content-Type", "text/html; charset=utf-8");
    r.headers.Set("Content-Security-Policy", kPolicy);
    r.headers.Set("X-Content-Type-Options", "nosniff");
    r.body = std::string(kPage);
  } else if (path == kBundlePath && !bundle.empty()) {
    r.headers.Set("Content-Type", "application/javascript; charset=utf-8");
    r.headers.Set("X-Content-Type-Options", "nosniff");
    // Revalidated by ETag: a new gateway may carry a new bundle.
    r.headers.Set("Cache-Control", "no-cache");
    r.body = std::string(bundle);
  } else {
    return Problem(404, ctx.english ? "no resource at this address" : "nessuna risorsa a questo indirizzo", ctx);
  }
  ApplyConditionalGet(request, r);
  return r;
}

}  // namespace sportello::gateway
