// GrpcUpstream::Stream against a real in-process gRPC server (port 0) that
// serves sportello.gatewaytest.StreamTestService/Download through the
// generic callback API: messages arrive in order, the next is read only on
// Next() (the server's writes stall meanwhile), Cancel and Shutdown end it.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gateway/upstream.h"
#include "sportello/gatewaytest/stream_test.pb.h"
#include "sportello/v1/common.pb.h"
#include "tests/gateway/fake_upstream.h"
#include "tests/support/poll.h"

namespace sportello::gateway {
namespace {

using namespace std::chrono_literals;

// Writes the Download messages one after the other, each as soon as the
// transport has taken the last: how fast it goes is gRPC flow control's say.
class DownloadReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit DownloadReactor(std::atomic<int>& written) : written_(written) { StartRead(&in_); }

  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (in_.Dump(&slices).ok()) {
      for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    req_.ParseFromString(bytes);
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client gone"));
    written_.fetch_add(1);
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (next_ == req_.chunks()) return Finish(grpc::Status::OK);
    v1::RawBody body;
    if (next_ == 0) body.set_content_type("text/csv");
    body.set_data(testing::FakeUpstream::DownloadChunk(next_, req_.chunk_size()));
    ++next_;
    std::string bytes = body.SerializeAsString();
    grpc::Slice slice(bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    StartWrite(&out_);
  }

  std::atomic<int>& written_;
  grpc::ByteBuffer in_, out_;
  gatewaytest::DownloadRequest req_;
  int next_ = 0;
};

class DownloadService : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    if (ctx->method() != "/sportello.gatewaytest.StreamTestService/Download") {
      return grpc::CallbackGenericService::CreateReactor(ctx);  // UNIMPLEMENTED
    }
    return new DownloadReactor(written);
  }
  std::atomic<int> written{0};  // messages the transport has taken
};

struct GrpcFixture {
  GrpcFixture() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service);
    server = builder.BuildAndStart();
    REQUIRE(server != nullptr);
    upstream = std::make_unique<GrpcUpstream>(std::vector<UpstreamTarget>{{"streamtest", "127.0.0.1:" + std::to_string(port)}});
  }
  ~GrpcFixture() {
    upstream->Shutdown();
    server->Shutdown(std::chrono::system_clock::now() + 2s);
  }

  DownloadService service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<GrpcUpstream> upstream;
};

// What the handlers saw, with a way to wait for it (bounded).
struct Received {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> data;
  std::optional<absl::Status> done;

  StreamHandlers Handlers() {
    return {[this](std::string bytes) {
              v1::RawBody body;
              // No REQUIRE here: Catch is not thread-safe, and this runs on a gRPC thread.
              std::string text = body.ParseFromString(bytes) ? body.data() : "<not a RawBody>";
              std::lock_guard lock(mu);
              data.push_back(std::move(text));
              cv.notify_all();
            },
            [this](absl::Status status) {
              std::lock_guard lock(mu);
              done = std::move(status);
              cv.notify_all();
            }};
  }
  // Waits until `n` messages (or the end) arrived.
  bool WaitFor(size_t n, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return data.size() >= n || done.has_value(); }) && data.size() >= n;
  }
  bool WaitDone(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return done.has_value(); });
  }
};

std::string Request(int chunks, int size) {
  gatewaytest::DownloadRequest req;
  req.set_name("x");
  req.set_chunks(chunks);
  req.set_chunk_size(size);
  return req.SerializeAsString();
}

TEST_CASE("grpc upstream: a server stream is read one message per Next, in order", "[stream][grpc]") {
  GrpcFixture f;
  Received got;
  constexpr int kChunks = 400, kSize = 64 * 1024;  // 25 MiB
  auto call = f.upstream->Stream("streamtest", "/sportello.gatewaytest.StreamTestService/Download",
                                 Request(kChunks, kSize), {{"x-request-id", "rid"}}, 30s, got.Handlers());
  REQUIRE(call != nullptr);
  REQUIRE(got.WaitFor(1));  // the first message is read at once

  // Without Next the server's writes stall once flow control's windows are full.
  const int last = sportello::testing::ValueOnceStill(f.service.written);
  // HTTP/2 windows (grown by gRPC's BDP probing) let some MiB through: 108
  // messages (~7 MiB) measured here, of the 400.
  INFO("messages the server could write while the gateway read one: " << last);
  CHECK(last * kSize < 16 * 1024 * 1024);
  {
    std::lock_guard lock(got.mu);
    CHECK(got.data.size() == 1);
  }

  // Now read on: every message, in order, then OK.
  for (size_t n = 2; n <= kChunks; ++n) {
    call->Next();
    REQUIRE(got.WaitFor(n));
  }
  call->Next();
  REQUIRE(got.WaitDone());
  CHECK(got.done->ok());
  std::lock_guard lock(got.mu);
  REQUIRE(got.data.size() == size_t(kChunks));
  for (int i = 0; i < kChunks; ++i) CHECK(got.data[i] == testing::FakeUpstream::DownloadChunk(i, kSize));
}

TEST_CASE("grpc upstream: Cancel between messages ends the stream; errors come as statuses", "[stream][grpc]") {
  GrpcFixture f;
  {
    Received got;
    auto call = f.upstream->Stream("streamtest", "/sportello.gatewaytest.StreamTestService/Download",
                                   Request(1000, 1024), {}, 30s, got.Handlers());
    REQUIRE(got.WaitFor(1));
    call->Cancel();  // no read pending: the hold must be released here
    REQUIRE(got.WaitDone());
    CHECK(got.done->code() == absl::StatusCode::kCancelled);
  }
  {
    Received got;
    f.upstream->Stream("streamtest", "/sportello.gatewaytest.StreamTestService/Nothing", Request(1, 1), {}, 30s,
                       got.Handlers());
    REQUIRE(got.WaitDone());
    CHECK(got.done->code() == absl::StatusCode::kUnimplemented);
    CHECK(got.data.empty());
  }
  {
    Received got;
    CHECK(f.upstream->Stream("nowhere", "/x/Y", Request(1, 1), {}, 30s, got.Handlers()) == nullptr);
    REQUIRE(got.done.has_value());
    CHECK(got.done->code() == absl::StatusCode::kUnavailable);
  }
}

TEST_CASE("grpc upstream: Shutdown ends a stream left waiting for Next", "[stream][grpc]") {
  GrpcFixture f;
  Received got;
  auto call = f.upstream->Stream("streamtest", "/sportello.gatewaytest.StreamTestService/Download",
                                 Request(1000, 1024), {}, 30s, got.Handlers());
  REQUIRE(got.WaitFor(1));
  f.upstream->Shutdown();  // must not wait forever for a Next that never comes
  REQUIRE(got.WaitDone(1s));
  CHECK(got.done->code() == absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace sportello::gateway
