// HealthWatcher against real in-process gRPC servers (port 0) serving
// grpc.health.v1.Health: a service with two replicas behind one address
// stays ready while one replica answers; it turns UNREACHABLE when none does.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "gateway/upstream.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/poll.h"

namespace sportello::gateway {
namespace {

using namespace std::chrono_literals;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One replica: SERVING, or UNAVAILABLE as a replica does whose process is
// going away under a call. Counts the checks it answered.
class Replica final : public grpc::health::v1::Health::Service {
 public:
  explicit Replica(bool serving) : serving_(serving) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
    REQUIRE(server_ != nullptr);
  }
  ~Replica() override { server_->Shutdown(std::chrono::system_clock::now() + 1s); }

  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest*, HealthCheckResponse* out) override {
    checks.fetch_add(1);
    if (!serving_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "replica going away");
    out->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::atomic<int> checks{0};

 private:
  bool serving_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

std::string StateOf(const HealthWatcher& watcher) { return watcher.Snapshot().states.at(0).second; }

bool PollState(const HealthWatcher& watcher, const std::string& prefix) {
  return sportello::testing::PollUntil([&] { return StateOf(watcher).rfind(prefix, 0) == 0; },
                                       absl::Now() + absl::Seconds(5), absl::Milliseconds(5));
}

TEST_CASE("health watcher: one replica failing leaves the service ready", "[health]") {
  Replica good(true), failing(false);
  HealthWatcher watcher({{"catalogue", good.address() + "," + failing.address(), {}}}, 20ms, 500ms);
  watcher.Start();
  REQUIRE(PollState(watcher, "SERVING"));
  // Round robin asks the failing replica every other round: were one failed
  // round enough, about half of these would be 503.
  int ready = 0;
  for (int i = 0; i < 50; ++i) {
    ready += watcher.Snapshot().ready ? 1 : 0;
    std::this_thread::sleep_for(10ms);
  }
  watcher.Stop();
  CHECK(ready == 50);
  CHECK(failing.checks.load() > 5);  // the failing replica was really asked
}

TEST_CASE("health watcher: UNREACHABLE when every replica fails or goes away", "[health]") {
  SECTION("every replica fails") {
    Replica first(false), second(false);
    HealthWatcher watcher({{"catalogue", first.address() + "," + second.address(), {}}}, 20ms, 500ms);
    watcher.Start();
    CHECK(PollState(watcher, "UNREACHABLE (UNAVAILABLE)"));
    CHECK_FALSE(watcher.Snapshot().ready);
  }
  SECTION("the only replica goes away") {
    auto only = std::make_unique<Replica>(true);
    HealthWatcher watcher({{"catalogue", only->address(), {}}}, 20ms, 500ms);
    watcher.Start();
    REQUIRE(PollState(watcher, "SERVING"));
    only.reset();
    CHECK(PollState(watcher, "UNREACHABLE"));
    CHECK_FALSE(watcher.Snapshot().ready);
  }
}

}  // namespace
}  // namespace sportello::gateway
