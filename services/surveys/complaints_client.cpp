#include "services/surveys/complaints_client.h"

#include <grpcpp/grpcpp.h>

#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "sportello/v1/complaints.grpc.pb.h"

namespace sportello::surveys {
namespace v1 = ::sportello::v1;

struct ComplaintsClient::Impl {
  std::unique_ptr<v1::ComplaintsService::Stub> stub;
  absl::Duration deadline;
};

ComplaintsClient::ComplaintsClient(const std::string& address, const TlsConfig& tls, absl::Duration deadline)
    : impl_(std::make_unique<Impl>()) {
  impl_->stub = v1::ComplaintsService::NewStub(ServiceChannel(address, tls));
  impl_->deadline = deadline;
}

ComplaintsClient::~ComplaintsClient() = default;

absl::StatusOr<ComplaintsClient::Tracked> ComplaintsClient::Resolve(const std::string& tracking_token) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + impl_->deadline));
  v1::ResolveTrackingTokenRequest req;
  req.set_token(tracking_token);
  v1::ResolveTrackingTokenResponse out;
  grpc::Status s = impl_->stub->ResolveTrackingToken(&ctx, req, &out);
  if (!s.ok()) {
    absl::Status status = FromGrpcStatus(s);
    // Complaints being unreachable must not look like "no such request".
    if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return absl::NotFoundError("richiesta non trovata");
    return absl::UnavailableError("il servizio delle richieste non risponde");
  }
  return Tracked{out.number(), out.tenant()};
}

}  // namespace sportello::surveys
