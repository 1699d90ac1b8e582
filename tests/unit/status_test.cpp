#include "common/grpc/status.h"

#include <catch2/catch.hpp>

#include "common/status.h"

using sportello::FieldViolation;

TEST_CASE("every gRPC code maps to the HTTP status of google/rpc/code.proto", "[status]") {
  struct Case {
    absl::StatusCode code;
    int http;
  };
  const Case cases[] = {
      {absl::StatusCode::kOk, 200},
      {absl::StatusCode::kCancelled, 499},
      {absl::StatusCode::kUnknown, 500},
      {absl::StatusCode::kInvalidArgument, 400},
      {absl::StatusCode::kDeadlineExceeded, 504},
      {absl::StatusCode::kNotFound, 404},
      {absl::StatusCode::kAlreadyExists, 409},
      {absl::StatusCode::kPermissionDenied, 403},
      {absl::StatusCode::kResourceExhausted, 429},
      {absl::StatusCode::kFailedPrecondition, 400},
      {absl::StatusCode::kAborted, 409},
      {absl::StatusCode::kOutOfRange, 400},
      {absl::StatusCode::kUnimplemented, 501},
      {absl::StatusCode::kInternal, 500},
      {absl::StatusCode::kUnavailable, 503},
      {absl::StatusCode::kDataLoss, 500},
      {absl::StatusCode::kUnauthenticated, 401},
  };
  for (const auto& c : cases) {
    INFO(sportello::CodeName(c.code));
    CHECK(sportello::HttpStatusFromCode(c.code) == c.http);
  }
}

TEST_CASE("absl and gRPC statuses convert both ways for every code", "[status]") {
  for (int code = 1; code <= 16; ++code) {
    absl::Status original(static_cast<absl::StatusCode>(code), "messaggio");
    grpc::Status wire = sportello::ToGrpcStatus(original);
    CHECK(static_cast<int>(wire.error_code()) == code);
    CHECK(wire.error_message() == "messaggio");
    absl::Status back = sportello::FromGrpcStatus(wire);
    CHECK(back.code() == original.code());
    CHECK(back.message() == "messaggio");
  }
  CHECK(sportello::ToGrpcStatus(absl::OkStatus()).ok());
  CHECK(sportello::FromGrpcStatus(grpc::Status::OK).ok());
}

TEST_CASE("field violations survive the trip through google.rpc.BadRequest", "[status]") {
  std::vector<FieldViolation> violations = {{"tenant.name", "il nome è obbligatorio"},
                                            {"tenant.pec", "indirizzo\tPEC\nnon valido"}};
  absl::Status status = sportello::InvalidArgument(violations);
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()).find("tenant.name") != std::string::npos);

  grpc::Status wire = sportello::ToGrpcStatus(status);
  CHECK_FALSE(wire.error_details().empty());
  auto decoded = sportello::FieldViolations(sportello::FromGrpcStatus(wire));
  REQUIRE(decoded.size() == 2);
  CHECK(decoded[0] == violations[0]);
  CHECK(decoded[1].field == "tenant.pec");
  CHECK(decoded[1].description == "indirizzo PEC non valido");  // tabs and newlines folded
}

TEST_CASE("a status without violations has none", "[status]") {
  CHECK(sportello::FieldViolations(absl::NotFoundError("x")).empty());
  CHECK(sportello::ToGrpcStatus(absl::NotFoundError("x")).error_details().empty());
}

TEST_CASE("a status on the wire stays under gRPC's 8 KB metadata limit whatever went into it", "[status]") {
  const std::string huge(20000, 'x');
  std::vector<FieldViolation> violations;
  for (int i = 0; i < 100; ++i) violations.push_back({huge, "categoria " + huge + " sconosciuta"});
  grpc::Status wire = sportello::ToGrpcStatus(sportello::InvalidArgument(violations));
  CHECK(wire.error_message().size() <= 520);
  // The details travel base64-encoded (grpc-status-details-bin): 4/3 of their size.
  CHECK(wire.error_message().size() + wire.error_details().size() * 4 / 3 < 5000);
  CHECK(sportello::FieldViolations(sportello::FromGrpcStatus(wire)).size() == 8);
  // A cut never splits a UTF-8 character.
  grpc::Status accented = sportello::ToGrpcStatus(absl::NotFoundError(std::string(511, 'a') + "è" + huge));
  CHECK(accented.error_message() == std::string(511, 'a') + "...");
}
