#pragma once
// /docs: the API reference for people, rendered in the browser by Redoc
// (npm `redoc`, its standalone bundle) from /openapi.json. The bundle is built
// into the gateway (gateway/CMakeLists.txt), so the page refers only to the
// gateway's own URLs and loads nothing from elsewhere; its
// Content-Security-Policy says so to the browser too.
//
//   GET /docs                          the HTML page
//   GET /docs/redoc.standalone.js      the renderer (cacheable, ETag)
//
// Plain function over HttpRequest/HttpResponse, no socket.
#include <optional>
#include <string_view>

#include "gateway/transcoder.h"

namespace sportello::gateway {

// True for the paths this serves ("/docs", "/docs/", "/docs/...").
bool IsDocsPath(std::string_view path);

// The answer for a GET of a docs path: 200 with the page or the bundle, 304
// on a matching If-None-Match, 404 for another file under /docs/, 503 when
// this build has no bundle (tools/npm was not installed when it was built).
HttpResponse DocsResponse(const HttpRequest& request, std::string_view path, const ProblemContext& ctx);

}  // namespace sportello::gateway
