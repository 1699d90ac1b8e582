#pragma once
// What the surveys service asks complaints over gRPC: which request a
// tracking token belongs to. Blocking, with a deadline, from worker threads.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls_config.h"

namespace sportello::surveys {

class ComplaintsClient {
 public:
  explicit ComplaintsClient(const std::string& address, const TlsConfig& tls = {},
                            absl::Duration deadline = absl::Seconds(3));
  ~ComplaintsClient();

  struct Tracked {
    std::string number, tenant;
  };
  // NOT_FOUND for a token of no request; UNAVAILABLE when complaints does not answer.
  absl::StatusOr<Tracked> Resolve(const std::string& tracking_token);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sportello::surveys
