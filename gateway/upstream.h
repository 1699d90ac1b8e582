#pragma once
// The gateway's side of gRPC, behind plain interfaces so that no gRPC header
// reaches the rest of the gateway:
// - GrpcUpstream: the real Upstream, one channel per service, generic callback
//   calls on serialized bytes (never blocking the caller; `done` runs on a
//   gRPC thread), status decoded with sportello::FromGrpcStatus so that field
//   violations reach the problem body.
// - HealthWatcher: polls grpc.health.v1.Health/Check on every upstream each
//   interval with a short deadline and keeps the latest answer for /readyz;
//   a SERVING upstream turns UNREACHABLE after two failed rounds in a row, so
//   that one replica of several going away does not flip /readyz.
//
// Shut both down (or destroy them) only after the HTTP server has stopped:
// shutdown cancels in-flight calls and waits for their callbacks.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/tls_config.h"
#include "gateway/transcoder.h"

namespace sportello::gateway {

struct UpstreamTarget {
  std::string name;     // "catalogue"
  std::string address;  // "127.0.0.1:50051"
  TlsConfig tls = {};   // SPORTELLO_TLS_*: TLS with the gateway's certificate; plaintext when not enabled
};

class GrpcUpstream final : public Upstream {
 public:
  explicit GrpcUpstream(const std::vector<UpstreamTarget>& targets);
  ~GrpcUpstream() override;

  void Call(const std::string& upstream, const std::string& method_path,
            std::string request_bytes, Metadata md, std::chrono::milliseconds deadline,
            Done done) override;
  // A server stream through the callback API's ClientReadReactor: each
  // message is read only after Next(), so gRPC flow control holds the
  // service back while the HTTP client reads slowly.
  std::shared_ptr<UpstreamStream> Stream(const std::string& upstream, const std::string& method_path,
                                         std::string request_bytes, Metadata md,
                                         std::chrono::milliseconds deadline, StreamHandlers handlers) override;

  // Cancels in-flight calls and waits for their callbacks; later calls fail
  // with UNAVAILABLE. Idempotent.
  void Shutdown();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The latest health of each upstream: "SERVING", "NOT_SERVING", "UNKNOWN"
// (no answer yet) or "UNREACHABLE" (the check failed, with the gRPC code).
struct HealthReport {
  bool ready = false;  // every upstream SERVING (true with no upstreams)
  std::vector<std::pair<std::string, std::string>> states;  // name -> state, in target order
};

class HealthWatcher {
 public:
  // Checks every `interval`, each with deadline `timeout` (keep it below the
  // interval so that checks never pile up).
  explicit HealthWatcher(std::vector<UpstreamTarget> targets,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(1000),
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(500));
  ~HealthWatcher();

  void Start();
  void Stop();  // idempotent
  HealthReport Snapshot() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sportello::gateway
