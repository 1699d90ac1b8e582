#pragma once
// The OpenAPI 3.0 document of the REST API, generated from the routing table
// and the message descriptors (no comments: descriptors carry none at run
// time). Paths use "{field}" for variables and keep custom verbs; each
// operation has operationId = RPC name, tag = service name, path and query
// parameters, the request body schema, the 200 schema and problem+json for
// errors. Schemas follow the proto3 JSON mapping with proto field names:
// 64-bit integers as strings, enums as string enums, Timestamp as date-time.
#include <string>

#include "gateway/routes.h"

namespace sportello::gateway {

// The document serialized as JSON.
std::string OpenApiJson(const RouteTable& routes);

}  // namespace sportello::gateway
