#pragma once
// The gRPC edge of the error vocabulary. Codes are numerically equal; field
// violations travel as google.rpc.BadRequest inside google.rpc.Status in the
// grpc-status-details-bin trailer, which any gRPC client can decode.
#include <grpcpp/support/status.h>

#include "common/status.h"

namespace sportello {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace sportello
