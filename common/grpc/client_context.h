#pragma once
// Service-to-service calls on behalf of a caller: the outgoing context carries
// the caller's x-request-id (so one request is followed through every
// service's log) and accept-language, and the caller's own deadline, capped by
// `max`: work on behalf of a caller that has given up is not done.
//
//   auto ctx = ClientContextFor(caller, absl::Seconds(3));
//   grpc::Status s = stub->GetCategory(ctx.get(), req, &out);
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "common/grpc/rpc.h"

namespace sportello {

// `caller` empty (a background job): a fresh request id, Italian, `max`.
std::unique_ptr<grpc::ClientContext> ClientContextFor(const Caller& caller, absl::Duration max);

}  // namespace sportello
