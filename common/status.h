#pragma once
// One error vocabulary for every layer below the gRPC edge: absl::Status,
// whose codes equal gRPC's. Invalid input carries field violations, which the
// gRPC edge turns into google.rpc.BadRequest and the gateway into the
// `errors` member of a problem+json body.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sportello {

struct FieldViolation {
  std::string field;        // proto field path, e.g. "tenant.ipa_code"
  std::string description;  // human-facing, Italian by default

  bool operator==(const FieldViolation&) const = default;
};

// INVALID_ARGUMENT carrying the violations; its message lists them.
absl::Status InvalidArgument(std::vector<FieldViolation> violations);

// The violations attached by InvalidArgument (empty for other statuses).
std::vector<FieldViolation> FieldViolations(const absl::Status& status);

// Attaches violations to any status (used when decoding a gRPC status).
void AttachFieldViolations(absl::Status& status, const std::vector<FieldViolation>& violations);

// The HTTP status an error code maps to (google/rpc/code.proto).
int HttpStatusFromCode(absl::StatusCode code);

// Canonical name of a code, "NOT_FOUND"; used in logs and metrics labels.
std::string_view CodeName(absl::StatusCode code);

}  // namespace sportello

// Debian's Abseil predates these; defined once here.
#define SPORTELLO_CONCAT_INNER_(a, b) a##b
#define SPORTELLO_CONCAT_(a, b) SPORTELLO_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    if (::absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(SPORTELLO_CONCAT_(_status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()
