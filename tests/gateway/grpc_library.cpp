// Keeps gRPC initialised for the whole test binary. Its test cases create and
// destroy servers, channels and GrpcUpstreams one after the other; each time
// the last gRPC object goes, gRPC 1.51 shuts its library down on a thread of
// its own, which races the next test's start-up (seen as an abort,
// "ref_counted.h:183 assertion failed: prior > 0", once in 15 full runs).
// A binary like the gateway holds its channels for its whole life and never
// cycles; this makes the tests do the same.
#include <grpc/grpc.h>

namespace {

struct GrpcLibrary {
  GrpcLibrary() { grpc_init(); }
};
const GrpcLibrary kKeepInitialised;

}  // namespace
