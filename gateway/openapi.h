#pragma once
// The OpenAPI 3.0 document of the REST API, generated from the routing table
// and the message descriptors, lint-clean under Redocly's recommended rules
// (tests/e2e/openapi_lint). Paths use "{name}" for variables and keep custom
// verbs; templates equal up to their variable names ("/offices/{id}" and
// "/offices/{office.id}") share one path item, with the simplest name
// ("id") for every operation. Each operation has a unique operationId (the
// RPC name), tag = service name, summary and description from the proto
// comments (ProtoDocs), security from the (sportello.v1.access) option
// (public RPCs: a token is optional), path and query parameters, the request
// body, the 200 answer and problem+json answers for errors. Schemas follow the
// proto3 JSON mapping with proto field names: 64-bit integers as strings,
// enums as string enums, Timestamp as date-time. A RawBody answer, unary or a
// server stream, is described as its bytes (text/csv, application/ld+json or
// application/octet-stream), not as JSON.
#include <string>

#include "gateway/routes.h"

namespace sportello::gateway {

class ProtoDocs;

struct OpenApiOptions {
  // The `servers` entry: the public base URL (SPORTELLO_GATEWAY_PUBLIC_URL),
  // or "/" for "wherever this document was fetched from".
  std::string server_url = "/";
  // Comments for summaries and descriptions; null: none (names only).
  const ProtoDocs* docs = nullptr;
  std::string license_name = "EUPL-1.2";
  std::string license_url = "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12";
};

// The document serialized as JSON.
std::string OpenApiJson(const RouteTable& routes, const OpenApiOptions& options = {});

}  // namespace sportello::gateway
