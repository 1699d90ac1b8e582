// Where one component reaches another (common/grpc/target.h): one address,
// several replicas' IP addresses, dns:///name:port; bad values refused with
// a message. Then, on loopback, a channel to two replicas balances its calls
// over both with round_robin, and keeps answering when one replica stops:
// two in-process EventSink servers reached the way the outbox relay reaches
// a subscriber (GrpcSink, ServiceChannel).
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "common/config.h"
#include "common/grpc/target.h"
#include "common/outbox/relay.h"
#include "sportello/v1/common.grpc.pb.h"

namespace sportello {
namespace {

TEST_CASE("ChannelTarget reads one address, several replicas, or a dns:/// name", "[grpc][target]") {
  using Case = std::pair<std::string, std::string>;
  for (const auto& [in, out] : std::vector<Case>{
           {"127.0.0.1:50051", "127.0.0.1:50051"},
           {" catalogue:50051 ", "catalogue:50051"},
           {"10.0.0.7:50051,10.0.0.8:50051", "ipv4:10.0.0.7:50051,10.0.0.8:50051"},
           {"10.0.0.7:50051, 10.0.0.8:50151", "ipv4:10.0.0.7:50051,10.0.0.8:50151"},
           {"[fd00::7]:50051,[fd00::8]:50051", "ipv6:[fd00::7]:50051,[fd00::8]:50051"},
           {"dns:///catalogue-headless.sportello.svc:50051", "dns:///catalogue-headless.sportello.svc:50051"},
           {"ipv4:10.0.0.7:50051,10.0.0.8:50051", "ipv4:10.0.0.7:50051,10.0.0.8:50051"},
       }) {
    INFO(in);
    auto target = ChannelTarget(in);
    REQUIRE(target.ok());
    CHECK(*target == out);
  }
  for (const std::string bad : {"", "catalogue", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999",
                                "catalogue-0:50051,catalogue-1:50051", "10.0.0.7:50051,[fd00::8]:50051",
                                "dns:///a:1,b:1", "dns:///catalogue", "http://catalogue:50051", "10.0.0.7:50051,x"}) {
    INFO(bad);
    auto target = ChannelTarget(bad);
    REQUIRE_FALSE(target.ok());
    CHECK(target.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_FALSE(target.status().message().empty());
  }
}

TEST_CASE("a subscriber lists its replicas; bad addresses are refused at start-up", "[grpc][target]") {
  auto parsed = outbox::ParseSubscribers("surveys=127.0.0.1:50053,127.0.0.1:50153, audit=dns:///audit:7001");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].address == "127.0.0.1:50053,127.0.0.1:50153");
  CHECK((*parsed)[1].name == "audit");
  auto bad = outbox::ParseSubscribers("surveys=a:1,b:1");
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("surveys=a:1,b:1") != std::string::npos);
  CHECK_FALSE(outbox::ParseSubscribers("127.0.0.1:1,surveys=127.0.0.1:2").ok());
}

// An EventSink that counts what it receives.
class CountingSink final : public v1::EventSink::CallbackService {
 public:
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* ctx, const v1::Event*,
                                    v1::DeliverResponse*) override {
    ++count;
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<int> count{0};
};

struct Replica {
  Replica() {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&sink);
    server = b.BuildAndStart();
  }
  CountingSink sink;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

TEST_CASE("a channel to two replicas uses both, and goes on with one", "[grpc][target]") {
  Replica a, b;
  REQUIRE(a.server);
  REQUIRE(b.server);
  auto sink = outbox::GrpcSink("127.0.0.1:" + std::to_string(a.port) + ",127.0.0.1:" + std::to_string(b.port), "");
  outbox::Event e;
  e.id = "e";
  for (int i = 0; i < 40; ++i) REQUIRE(sink->Deliver(e, absl::Seconds(5)).ok());
  CHECK(a.sink.count + b.sink.count == 40);
  // round_robin: both replicas get calls (pick_first would send all 40 to one).
  CHECK(a.sink.count >= 10);
  CHECK(b.sink.count >= 10);

  a.server->Shutdown();
  a.server->Wait();
  const int before = b.sink.count;
  int ok = 0;
  for (int i = 0; i < 20; ++i) ok += sink->Deliver(e, absl::Seconds(5)).ok() ? 1 : 0;
  // A call may have been on its way to the stopped replica; the rest go to the other.
  CHECK(ok >= 19);
  CHECK(b.sink.count - before == ok);
}

}  // namespace
}  // namespace sportello
