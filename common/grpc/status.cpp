#include "common/grpc/status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sportello {

namespace {

// The status travels in gRPC trailers, which the peer refuses beyond 8 KB
// (RESOURCE_EXHAUSTED at the caller): every part is bounded, whatever input
// went into it. Cut on a UTF-8 boundary.
std::string Bounded(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// Worst case: the message twice (grpc-message, and inside the details, which
// travel base64-encoded: 4/3) and 8 violations, about 4.5 KB in all.
constexpr size_t kMaxMessage = 512;
constexpr size_t kMaxField = 100;
constexpr size_t kMaxDescription = 200;
constexpr size_t kMaxViolations = 8;

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message = Bounded(std::string_view(status.message().data(), status.message().size()), kMaxMessage);
  auto violations = FieldViolations(status);
  if (violations.empty()) return grpc::Status(code, message);

  google::rpc::BadRequest bad_request;
  for (const auto& v : violations) {
    if (bad_request.field_violations_size() == static_cast<int>(kMaxViolations)) break;
    auto* fv = bad_request.add_field_violations();
    fv->set_field(Bounded(v.field, kMaxField));
    fv->set_description(Bounded(v.description, kMaxDescription));
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    std::vector<FieldViolation> violations;
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      for (const auto& fv : bad_request.field_violations()) {
        violations.push_back({fv.field(), fv.description()});
      }
    }
    AttachFieldViolations(out, violations);
  }
  return out;
}

}  // namespace sportello
