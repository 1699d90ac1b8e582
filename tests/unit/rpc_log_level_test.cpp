// Which calls write an "rpc" log line at info: the policy that keeps the
// anonymous public reads (the bulk of the traffic) out of the log while every
// read with a token, write, refusal and slow call stays in it.
#include <catch2/catch.hpp>

#include "absl/status/status.h"
#include "common/grpc/rpc.h"

using sportello::RpcLogLevel;
using sportello::log::Level;

TEST_CASE("anonymous public reads that succeed quickly are logged at debug") {
  for (const char* method : {"GetTenant", "ListServices", "SearchServices"}) {
    CHECK(RpcLogLevel(absl::OkStatus(), false, method, 0.001) == Level::kDebug);
  }
}

TEST_CASE("reads with a token, writes, refusals and slow reads stay at info") {
  CHECK(RpcLogLevel(absl::OkStatus(), true, "GetRequest", 0.001) == Level::kInfo);
  CHECK(RpcLogLevel(absl::OkStatus(), false, "SubmitRequest", 0.001) == Level::kInfo);
  CHECK(RpcLogLevel(absl::OkStatus(), false, "UpdateService", 0.001) == Level::kInfo);
  CHECK(RpcLogLevel(absl::NotFoundError("x"), false, "GetTenant", 0.001) == Level::kInfo);
  CHECK(RpcLogLevel(absl::PermissionDeniedError("x"), false, "ListRequests", 0.001) == Level::kInfo);
  CHECK(RpcLogLevel(absl::OkStatus(), false, "GetTenant", 0.3) == Level::kInfo);
}

TEST_CASE("server faults are errors whoever called") {
  CHECK(RpcLogLevel(absl::InternalError("x"), false, "GetTenant", 0.001) == Level::kError);
  CHECK(RpcLogLevel(absl::UnknownError("x"), true, "SubmitRequest", 0.001) == Level::kError);
  CHECK(RpcLogLevel(absl::DataLossError("x"), false, "ListServices", 0.001) == Level::kError);
}

TEST_CASE("SPORTELLO_LOG_LEVEL names the four levels and nothing else") {
  using sportello::log::ParseLevel;
  CHECK(ParseLevel("debug") == Level::kDebug);
  CHECK(ParseLevel("info") == Level::kInfo);
  CHECK(ParseLevel("warn") == Level::kWarn);
  CHECK(ParseLevel("error") == Level::kError);
  CHECK_FALSE(ParseLevel("verbose").has_value());
  CHECK_FALSE(ParseLevel("INFO").has_value());
  CHECK_FALSE(ParseLevel("").has_value());
}
