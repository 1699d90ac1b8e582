// Streamed answers: a server-streaming RPC of RawBody through the transcoder
// (no socket) and through the real Server on loopback, with the in-process
// FakeUpstream streaming sportello.gatewaytest.StreamTestService/Download.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <google/protobuf/descriptor.h>

#include "gateway/server.h"
#include "tests/gateway/fake_upstream.h"
#include "tests/gateway/raw_client.h"
#include "tests/support/poll.h"

namespace sportello::gateway {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

RouteTable StreamRoutes() {
  auto table = RouteTable::FromPool(*google::protobuf::DescriptorPool::generated_pool(), "sportello.gatewaytest");
  REQUIRE(table.ok());
  REQUIRE(table->routes().size() == 1);
  return *std::move(table);
}

std::string Expected(int chunks, int size) {
  std::string out;
  for (int i = 0; i < chunks; ++i) out += testing::FakeUpstream::DownloadChunk(i, size);
  return out;
}

TEST_CASE("routes: server streams of RawBody are routes, other streams are refused", "[stream]") {
  RouteTable table = StreamRoutes();
  CHECK(table.routes()[0].server_streaming);
  CHECK(table.routes()[0].grpc_path == "/sportello.gatewaytest.StreamTestService/Download");
  auto bad = RouteTable::FromPool(*google::protobuf::DescriptorPool::generated_pool(), "sportello.gatewaytest_bad");
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("must return stream sportello.v1.RawBody") != std::string::npos);
  // The real services' unary routes are not streams.
  auto real = RouteTable::FromGeneratedPool();
  REQUIRE(real.ok());
  CHECK(real->Match("GET", "/api/v1/tenants/c_f027").route->server_streaming == false);
}

TEST_CASE("transcoder: a stream becomes a chunked answer, pulled one message at a time", "[stream]") {
  RouteTable table = StreamRoutes();
  testing::FakeUpstream upstream;
  MetricsRegistry metrics;
  Transcoder transcoder(table, upstream, metrics, {1000ms, 5000ms});

  std::optional<HttpResponse> out;
  transcoder.Handle({"GET", "/test/v1/downloads/elenco?chunks=3&chunk_size=10", {{"X-Request-Id", "rid-s"}}, ""},
                    [&](HttpResponse r) { out = std::move(r); });
  REQUIRE(out.has_value());
  CHECK(upstream.last_deadline == 5000ms);  // the stream's deadline, not one call's
  CHECK(out->status == 200);
  CHECK(out->headers.GetOr("content-type") == "text/csv; charset=utf-8");
  CHECK(out->headers.GetOr("content-disposition") == "attachment; filename=\"elenco.csv\"");
  CHECK(out->headers.GetOr("x-request-id") == "rid-s");
  REQUIRE(out->stream != nullptr);
  CHECK(upstream.produced == 1);  // only the first message so far

  std::string body;
  for (int pulls = 0; pulls < 10; ++pulls) {
    std::optional<BodyStream::Chunk> chunk;
    out->stream->Next([&](BodyStream::Chunk c) { chunk = std::move(c); });
    REQUIRE(chunk.has_value());  // the fake answers inline
    if (chunk->end) {
      CHECK(chunk->status.ok());
      break;
    }
    CHECK_FALSE(chunk->data.empty());
    body += chunk->data;
    CHECK(upstream.produced == pulls + 1);  // the next message is read only when asked for
  }
  CHECK(body == Expected(3, 10));

  // An error before the first message is an ordinary problem answer.
  std::optional<HttpResponse> denied;
  transcoder.Handle({"GET", "/test/v1/downloads/x?chunks=3&fail_after=0&fail_code=7", {}, ""},
                    [&](HttpResponse r) { denied = std::move(r); });
  REQUIRE(denied.has_value());
  CHECK(denied->status == 403);
  CHECK(denied->headers.GetOr("content-type") == "application/problem+json");
  CHECK(denied->stream == nullptr);
  {
    // Refused before Stream returned: nothing keeps the call (nor the
    // transcoder's stream, which its handlers hold) once the answer is out.
    std::lock_guard lock(upstream.mu_);
    CHECK(upstream.last_stream.expired());
  }

  // An error after it ends the stream with that status.
  std::optional<HttpResponse> cut;
  transcoder.Handle({"GET", "/test/v1/downloads/x?chunks=5&chunk_size=4&fail_after=2&fail_code=13", {}, ""},
                    [&](HttpResponse r) { cut = std::move(r); });
  REQUIRE(cut.has_value());
  REQUIRE(cut->stream != nullptr);
  std::vector<BodyStream::Chunk> chunks;
  for (int i = 0; i < 4 && (chunks.empty() || !chunks.back().end); ++i) {
    cut->stream->Next([&](BodyStream::Chunk c) { chunks.push_back(std::move(c)); });
  }
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[2].end);
  CHECK(chunks[2].status.code() == absl::StatusCode::kInternal);
}

using testing::RawClient;

struct StreamFixture {
  StreamFixture() : table(StreamRoutes()), transcoder(table, upstream, metrics) {
    ServerConfig config;
    config.port = 0;
    config.threads = 2;
    config.body_timeout = 5000ms;
    server = std::make_unique<Server>(config, transcoder, metrics, [] { return HealthReport{true, {}}; }, "{}");
    server->Start();
  }
  ~StreamFixture() { server->Stop(); }

  RouteTable table;
  testing::FakeUpstream upstream;
  MetricsRegistry metrics;
  Transcoder transcoder;
  std::unique_ptr<Server> server;
};

std::string Get(const std::string& target, const char* method = "GET") {
  return std::string(method) + " " + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

TEST_CASE("server: a stream of many chunks arrives complete, in order, and the connection stays usable", "[stream][server]") {
  StreamFixture f;
  RawClient c(f.server->port());
  REQUIRE(c.Send(Get("/test/v1/downloads/registro?chunks=500&chunk_size=1000")));
  RawClient::Response r = c.Read();
  CHECK(r.status == 200);
  CHECK(r.headers.GetOr("transfer-encoding") == "chunked");
  CHECK_FALSE(r.headers.Get("content-length").has_value());
  CHECK(r.headers.GetOr("content-type") == "text/csv; charset=utf-8");
  CHECK(r.headers.GetOr("content-disposition") == "attachment; filename=\"registro.csv\"");
  REQUIRE(r.complete);
  CHECK(r.body.size() == 500u * 1000u);
  CHECK(r.body == Expected(500, 1000));
  CHECK(f.upstream.produced == 500);
  // Keep-alive: the next request on the same connection is answered.
  REQUIRE(c.Send(Get("/test/v1/downloads/due?chunks=2&chunk_size=5")));
  RawClient::Response again = c.Read();
  CHECK(again.status == 200);
  CHECK(again.complete);
  CHECK(again.body == Expected(2, 5));
  CHECK(f.server->StreamedBytesPending() == 0);
}

TEST_CASE("server: a slow reader holds the upstream back instead of filling the gateway", "[stream][server]") {
  StreamFixture f;
  constexpr int kChunks = 400, kSize = 64 * 1024;  // 25 MiB in all
  RawClient c(f.server->port(), nullptr, /*receive_buffer=*/16 * 1024);
  REQUIRE(c.Send(Get("/test/v1/downloads/grande?chunks=" + std::to_string(kChunks) + "&chunk_size=" + std::to_string(kSize))));
  // Read nothing: production must stop once the socket buffers are full.
  const int last = sportello::testing::ValueOnceStill(f.upstream.produced);
  INFO("messages produced while the client read nothing: " << last);
  CHECK(last > 0);
  // Kernel buffers take a few MiB at most; the gateway itself holds one chunk.
  CHECK(last < kChunks / 4);
  CHECK(f.server->StreamedBytesPending() <= kSize);
  // Now read it all: complete and in order.
  RawClient::Response r = c.Read(30s);
  REQUIRE(r.complete);
  CHECK(r.body.size() == size_t(kChunks) * kSize);
  CHECK(r.body == Expected(kChunks, kSize));
}

TEST_CASE("server: errors before and after the headers", "[stream][server]") {
  StreamFixture f;
  {
    // Before: problem+json with the mapped status.
    RawClient c(f.server->port());
    REQUIRE(c.Send(Get("/test/v1/downloads/x?chunks=3&fail_after=0&fail_code=5")));
    RawClient::Response r = c.Read();
    CHECK(r.status == 404);
    CHECK(r.headers.GetOr("content-type") == "application/problem+json");
    REQUIRE(r.complete);
    CHECK(json::parse(r.body).at("status") == 404);
  }
  {
    // After: the chunks sent so far, then the connection closes without the last chunk.
    RawClient c(f.server->port());
    REQUIRE(c.Send(Get("/test/v1/downloads/x?chunks=10&chunk_size=100&fail_after=3&fail_code=14")));
    RawClient::Response r = c.Read();
    CHECK(r.status == 200);
    CHECK_FALSE(r.complete);
    CHECK(r.body == Expected(3, 100));
  }
  {
    // No message at all: an empty answer.
    RawClient c(f.server->port());
    REQUIRE(c.Send(Get("/test/v1/downloads/vuoto?chunks=0")));
    RawClient::Response r = c.Read();
    CHECK(r.status == 200);
    CHECK(r.complete);
    CHECK(r.body.empty());
  }
}

TEST_CASE("server: HEAD of a streamed answer sends its header and stops the stream", "[stream][server]") {
  StreamFixture f;
  RawClient c(f.server->port());
  REQUIRE(c.Send(Get("/test/v1/downloads/registro?chunks=100&chunk_size=100", "HEAD")));
  RawClient::Response r = c.ReadHead();
  CHECK(r.status == 200);
  CHECK(r.headers.GetOr("content-type") == "text/csv; charset=utf-8");
  CHECK_FALSE(r.headers.Get("content-length").has_value());
  CHECK(f.upstream.cancelled == 1);
  CHECK(f.upstream.produced == 1);
  // Nothing else came on the connection: the next answer is the next request's.
  REQUIRE(c.Send(Get("/test/v1/downloads/due?chunks=2&chunk_size=5")));
  RawClient::Response next = c.Read();
  CHECK(next.status == 200);
  CHECK(next.body == Expected(2, 5));
}

TEST_CASE("server: a client that goes away mid-stream stops the upstream", "[stream][server]") {
  StreamFixture f;
  {
    RawClient c(f.server->port(), nullptr, 16 * 1024);
    REQUIRE(c.Send(Get("/test/v1/downloads/grande?chunks=1000&chunk_size=65536")));
    c.ReadHead();  // the header has come: the stream runs
  }  // closed
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (f.upstream.cancelled == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(f.upstream.cancelled == 1);
  CHECK(f.upstream.produced < 1000);
}

}  // namespace
}  // namespace sportello::gateway
