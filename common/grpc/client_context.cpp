#include "common/grpc/client_context.h"

#include "common/log.h"

namespace sportello {

std::unique_ptr<grpc::ClientContext> ClientContextFor(const Caller& caller, absl::Duration max) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-request-id", caller.request_id.empty() ? log::NewRequestId() : caller.request_id);
  ctx->AddMetadata("accept-language", caller.language.empty() ? "it" : caller.language);
  absl::Time deadline = std::min(caller.deadline, absl::Now() + max);
  ctx->set_deadline(absl::ToChronoTime(deadline));
  return ctx;
}

}  // namespace sportello
