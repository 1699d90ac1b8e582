// The real Server over loopback sockets (port 0) with an in-process Upstream:
// limits, timeouts, keep-alive, CORS, ETags and the built-in endpoints.
#include "gateway/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "gateway/forwarded.h"
#include "tests/gateway/fake_upstream.h"
#include "tests/gateway/raw_client.h"
#include "tests/support/poll.h"

namespace sportello::gateway {
namespace {

using namespace std::chrono_literals;

using Client = testing::RawClient;
using Reply = testing::RawClient::Response;

std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

struct Fixture {
  // watch_health false: no gRPC health checks run behind the test's back.
  explicit Fixture(const std::function<void(ServerConfig&)>& adjust = {}, bool watch_health = true)
      : table(*RouteTable::FromGeneratedPool()),
        transcoder(table, upstream, metrics),
        // Nothing listens on port 1: the upstream stays unreachable.
        health({{"catalogue", "127.0.0.1:1"}}, 100ms, 100ms) {
    ServerConfig config;
    config.port = 0;
    config.threads = 2;
    config.body_limit = 1024;
    config.header_limit = 2048;
    config.header_timeout = 400ms;
    config.body_timeout = 1000ms;
    config.cors_origins = {"https://comune.example"};
    if (adjust) adjust(config);
    server = std::make_unique<Server>(config, transcoder, metrics, [this] { return health.Snapshot(); },
                                      R"({"openapi":"3.0.3"})");
    server->Start();
    if (watch_health) health.Start();
  }
  ~Fixture() {
    server->Stop();
    health.Stop();
  }

  RouteTable table;
  testing::FakeUpstream upstream;
  MetricsRegistry metrics;
  Transcoder transcoder;
  HealthWatcher health;
  std::unique_ptr<Server> server;
};

TEST_CASE("server: healthz, a transcoded GET and a request id", "[server]") {
  Fixture f;
  REQUIRE(f.server->port() != 0);
  Client c(f.server->port());
  c.Send(Get("/healthz"));
  Reply health = c.Read();
  CHECK(health.status == 200);
  CHECK(health.headers.GetOr("x-request-id").size() == 32);

  c.Send(Get("/api/v1/tenants/c_f027", "X-Request-Id: abc-123\r\n"));
  Reply r = c.Read();
  CHECK(r.status == 200);
  CHECK(r.headers.GetOr("content-type") == "application/json");
  CHECK(r.headers.GetOr("x-request-id") == "abc-123");
  CHECK(boost::json::parse(r.body).at("name") == "Comune di Massafra");
}

TEST_CASE("server: keep-alive serves two requests on one connection", "[server]") {
  Fixture f;
  Client c(f.server->port());
  c.Send(Get("/api/v1/tenants/a"));
  Reply first = c.Read();
  c.Send(Get("/api/v1/tenants/b"));
  Reply second = c.Read();
  CHECK(first.status == 200);
  CHECK(second.status == 200);
  CHECK(boost::json::parse(second.body).at("ipa_code") == "b");
  // Pipelined: both requests at once, answers in order.
  c.Send(Get("/api/v1/tenants/x") + Get("/healthz"));
  Reply p1 = c.Read();
  Reply p2 = c.Read();
  CHECK(boost::json::parse(p1.body).at("ipa_code") == "x");
  CHECK(p2.body == R"({"status":"ok"})");
  CHECK(f.upstream.calls == 3);
}

TEST_CASE("server: a header in pieces, and a body in its header's packet, are read whole", "[server]") {
  Fixture f;
  Client c(f.server->port());
  // The first bytes hold half a header: the rest is read before parsing on.
  c.Send("GET /api/v1/tenants/a HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(50ms);
  c.Send("st: t\r\n\r\n");
  Reply first = c.Read();
  CHECK(first.status == 200);
  CHECK(boost::json::parse(first.body).at("ipa_code") == "a");
  // Header and body in one write: the body is taken from what was buffered.
  std::string body = R"({"ipa_code":"c_x","name":"X","kind":"TENANT_KIND_OTHER"})";
  c.Send("POST /api/v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body + Get("/api/v1/tenants/b"));
  Reply created = c.Read();
  Reply second = c.Read();
  CHECK(created.status == 200);
  CHECK(boost::json::parse(created.body).at("ipa_code") == "c_x");
  CHECK(boost::json::parse(second.body).at("ipa_code") == "b");
  CHECK(f.upstream.calls == 3);
}

TEST_CASE("server: 413 for an oversized body, then close", "[server]") {
  Fixture f;
  Client c(f.server->port());
  std::string body(4096, 'x');
  c.Send("POST /api/v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  Reply r = c.Read();
  CHECK(r.status == 413);
  CHECK(r.headers.GetOr("content-type") == "application/problem+json");
  CHECK(c.ClosedWithin(1000ms));
  CHECK(f.upstream.calls == 0);
}

TEST_CASE("server: Expect 100-continue is answered before the body", "[server]") {
  Fixture f;
  Client c(f.server->port());
  std::string body = R"({"ipa_code":"c_x","name":"X","kind":"TENANT_KIND_OTHER"})";
  c.Send("POST /api/v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  // Well before the client's own ~1 s patience runs out.
  Reply interim = c.Read(500ms);
  CHECK(interim.status == 100);
  CHECK(f.upstream.calls == 0);
  c.Send(body);
  Reply r = c.Read();
  CHECK(r.status == 200);
  CHECK(f.upstream.calls == 1);
}

TEST_CASE("server: stopping lets a request in flight get its answer", "[server]") {
  Fixture f;
  f.upstream.delay_ms = 300;
  Client c(f.server->port());
  c.Send(Get("/api/v1/tenants/c_f027"));
  // Stop only once the request is dispatched and waiting for the upstream.
  REQUIRE(sportello::testing::PollUntil([&] { return f.upstream.calls.load() == 1; }, absl::Seconds(5)));
  std::thread stopper([&] { f.server->Stop(); });
  Reply r = c.Read(2000ms);
  stopper.join();
  CHECK(r.status == 200);
  CHECK(r.body.find("Comune di Massafra") != std::string::npos);
  // And the server accepts no new connection once stopped.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(f.server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0);
  ::close(fd);
}

TEST_CASE("server: 431 for a huge header", "[server]") {
  Fixture f;
  Client c(f.server->port());
  c.Send(Get("/healthz", "X-Big: " + std::string(8192, 'a') + "\r\n"));
  Reply r = c.Read();
  CHECK(r.status == 431);
  CHECK(r.headers.GetOr("content-type") == "application/problem+json");
}

TEST_CASE("server: a slow header is cut off by the header timeout", "[server]") {
  Fixture f;
  Client c(f.server->port());
  auto start = std::chrono::steady_clock::now();
  c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n");  // half a header, never finished
  CHECK(c.ClosedWithin(2000ms));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed >= 300ms);   // not before the 400 ms header timeout...
  CHECK(elapsed < 1500ms);   // ...but soon after it
}

TEST_CASE("server: a keep-alive connection left idle is closed after the idle timeout", "[server]") {
  Fixture f([](ServerConfig& c) { c.idle_timeout = 400ms; });
  Client idle(f.server->port());
  idle.Send(Get("/healthz"));
  CHECK(idle.Read().status == 200);
  auto start = std::chrono::steady_clock::now();
  CHECK(idle.ClosedWithin(3000ms));
  CHECK(std::chrono::steady_clock::now() - start >= 300ms);  // not before the 400 ms idle timeout
}

TEST_CASE("server: a body that stops coming is cut off by the body timeout", "[server]") {
  Fixture f;  // body_timeout 1000 ms
  Client c(f.server->port());
  auto start = std::chrono::steady_clock::now();
  c.Send("POST /api/v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ipa");
  CHECK(c.ClosedWithin(3000ms));
  CHECK(std::chrono::steady_clock::now() - start >= 900ms);
  CHECK(f.upstream.calls == 0);
}

// Answers that come on another thread (as gRPC's do) are written from that
// thread when the connection is free, else by the connection's own thread.
TEST_CASE("server: pipelined requests are answered in order when their answers come on other threads", "[server]") {
  Fixture f;
  f.upstream.delay_ms = 200;
  Client c(f.server->port());
  // The tenant's answer comes late from another thread; /healthz's at once,
  // on the connection's thread: it waits for the one before it.
  REQUIRE(c.Send(Get("/api/v1/tenants/c_f027") + Get("/healthz") + Get("/api/v1/tenants/c_a662")));
  Reply first = c.Read();
  Reply second = c.Read();
  Reply third = c.Read();
  CHECK(first.status == 200);
  CHECK(first.body.find("\"ipa_code\":\"c_f027\"") != std::string::npos);
  CHECK(second.status == 200);
  CHECK(second.body == R"({"status":"ok"})");
  CHECK(third.status == 200);
  CHECK(third.body.find("\"ipa_code\":\"c_a662\"") != std::string::npos);
  // And the connection goes on.
  REQUIRE(c.Send(Get("/api/v1/tenants/c_f027")));
  CHECK(c.Read().status == 200);
}

TEST_CASE("server: a large answer from another thread is written whole to a slow reader", "[server]") {
  Fixture f;
  f.upstream.delay_ms = 50;
  f.upstream.tenant_name_size = 8 << 20;  // more than the socket buffers hold
  Client c(f.server->port(), nullptr, /*receive_buffer=*/16 * 1024);
  REQUIRE(c.Send(Get("/api/v1/tenants/c_f027")));
  // Read only once the answer has come and filled the buffers (the rest
  // waits for the socket), well within the 1 s body timeout.
  std::this_thread::sleep_for(300ms);
  Reply r = c.Read();
  CHECK(r.status == 200);
  REQUIRE(r.complete);
  CHECK(r.body.size() > (8u << 20));
  REQUIRE(c.Send(Get("/healthz")));
  CHECK(c.Read().status == 200);
}

TEST_CASE("server: a client that stops reading an answer is cut off by the body timeout", "[server]") {
  Fixture f;  // body_timeout 1000 ms
  f.upstream.delay_ms = 50;
  f.upstream.tenant_name_size = 8 << 20;
  Client c(f.server->port(), nullptr, /*receive_buffer=*/16 * 1024);
  REQUIRE(c.Send(Get("/api/v1/tenants/c_f027")));
  std::this_thread::sleep_for(2500ms);  // reads nothing past the body timeout
  Reply r = c.Read(2000ms);
  CHECK(r.status == 200);       // the part written before the cut...
  CHECK_FALSE(r.complete);      // ...and no more
}

TEST_CASE("server: CORS preflight for allowed and refused origins", "[server]") {
  Fixture f;
  Client c(f.server->port());
  const std::string preflight = "OPTIONS /api/v1/tenants HTTP/1.1\r\nHost: t\r\nAccess-Control-Request-Method: POST\r\n";
  c.Send(preflight + "Origin: https://comune.example\r\n\r\n");
  Reply ok = c.Read();
  CHECK(ok.status == 204);
  CHECK(ok.headers.GetOr("access-control-allow-origin") == "https://comune.example");
  CHECK(ok.headers.GetOr("access-control-allow-methods").find("POST") != std::string::npos);
  c.Send(preflight + "Origin: https://evil.example\r\n\r\n");
  Reply refused = c.Read();
  CHECK(refused.status == 403);
  CHECK_FALSE(refused.headers.Get("access-control-allow-origin").has_value());
  // A simple request from an allowed origin carries the CORS headers too.
  c.Send(Get("/api/v1/tenants/c_f027", "Origin: https://comune.example\r\n"));
  Reply simple = c.Read();
  CHECK(simple.headers.GetOr("access-control-allow-origin") == "https://comune.example");
  CHECK(simple.headers.GetOr("access-control-expose-headers").find("ETag") != std::string::npos);
}

TEST_CASE("server: ETag then 304", "[server]") {
  Fixture f;
  Client c(f.server->port());
  c.Send(Get("/api/v1/tenants/c_f027"));
  Reply first = c.Read();
  std::string etag = first.headers.GetOr("etag");
  REQUIRE_FALSE(etag.empty());
  c.Send(Get("/api/v1/tenants/c_f027", "If-None-Match: " + etag + "\r\n"));
  Reply second = c.Read();
  CHECK(second.status == 304);
  CHECK(second.body.empty());
  CHECK(second.headers.GetOr("etag") == etag);
}

TEST_CASE("server: readyz is 503 while an upstream is unreachable; metrics and openapi", "[server]") {
  Fixture f;
  Client c(f.server->port());
  Reply ready;
  // Until the first health rounds have found the upstream unreachable.
  sportello::testing::PollUntil(
      [&] {
        c.Send(Get("/readyz"));
        ready = c.Read();
        return ready.body.find("UNREACHABLE") != std::string::npos;
      },
      absl::Seconds(5));
  CHECK(ready.status == 503);
  auto body = boost::json::parse(ready.body);
  CHECK(std::string(body.at("upstreams").at("catalogue").as_string()).find("UNREACHABLE") == 0);

  c.Send(Get("/api/v1/tenants/c_f027"));
  c.Read();
  c.Send(Get("/metrics"));
  Reply metrics = c.Read();
  CHECK(metrics.status == 200);
  CHECK(metrics.headers.GetOr("content-type") == "text/plain; version=0.0.4");
  CHECK(metrics.body.find("sportello_gateway_requests_total") != std::string::npos);

  c.Send(Get("/openapi.json"));
  Reply openapi = c.Read();
  CHECK(openapi.status == 200);
  CHECK(openapi.body == R"({"openapi":"3.0.3"})");
}

}  // namespace
}  // namespace sportello::gateway

namespace sportello::gateway {
namespace {

TEST_CASE("server: connections over the per-client and total caps get a 503 and are closed", "[server][limits]") {
  Fixture f([](ServerConfig& c) {
    c.max_connections = 5;
    c.max_connections_per_client = 3;
  });
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<Client>(f.server->port(), "127.0.0.1"));
  REQUIRE(sportello::testing::PollUntil([&] { return f.server->OpenConnections() == 3; }, absl::Seconds(5)));
  Client fourth(f.server->port(), "127.0.0.1");
  Reply shed = fourth.Read();
  CHECK(shed.status == 503);
  CHECK(shed.headers.GetOr("retry-after") == "5");
  CHECK(fourth.ClosedWithin(2000ms));
  CHECK(f.server->ShedConnections() == 1);
  // Another client is still served while the first is at its cap.
  Client other(f.server->port(), "127.0.0.2");
  other.Send(Get("/healthz"));
  CHECK(other.Read().status == 200);
  // The total cap: 3 + 2 open, the sixth is shed whoever it is.
  Client second_other(f.server->port(), "127.0.0.2");
  REQUIRE(sportello::testing::PollUntil([&] { return f.server->OpenConnections() == 5; }, absl::Seconds(5)));
  Client third(f.server->port(), "127.0.0.3");
  CHECK(third.Read().status == 503);
  // Closing frees the slot.
  idle.clear();
  REQUIRE(sportello::testing::PollUntil([&] { return f.server->OpenConnections() == 2; }, absl::Seconds(5)));
  Client again(f.server->port(), "127.0.0.1");
  again.Send(Get("/healthz"));
  CHECK(again.Read().status == 200);
}

// [fd-limit] runs in a process of its own (tests/gateway/CMakeLists.txt): the
// lowered limit would also starve the threads gRPC keeps from other tests.
TEST_CASE("server: out of file descriptors, accept backs off instead of spinning", "[.][server][limits][fd-limit]") {
  // Without health checks: a gRPC callback that runs while descriptors are
  // short trips UBSan's vptr check, whose runtime needs a descriptor (a false
  // "invalid vptr" in grpcpp/support/client_callback.h).
  Fixture f([](ServerConfig& c) { c.accept_backoff = 200ms; }, /*watch_health=*/false);
  // Client sockets made first; then the process may open only a few more,
  // so the server's accepts soon fail with EMFILE.
  std::vector<int> fds;
  for (int i = 0; i < 8; ++i) fds.push_back(::socket(AF_INET, SOCK_STREAM, 0));
  int open_now = 0;
  for (int fd = 0; fd < 65536; ++fd) open_now += ::fcntl(fd, F_GETFD) != -1;
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(open_now + 3);
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(f.server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int fd : fds) ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  // Counting failed accepts over a window: with a 200 ms pause, a handful;
  // retrying at once, as before the fix, makes thousands.
  const bool failing = sportello::testing::PollUntil([&] { return f.server->AcceptFailures() >= 1; },
                                                     absl::Now() + absl::Seconds(10));
  const uint64_t first = f.server->AcceptFailures();
  std::this_thread::sleep_for(1000ms);  // a window to count in, not a wait for an event
  const uint64_t failures = f.server->AcceptFailures() - first;
  // Descriptors back before asserting: the sanitizers' runtime needs one to
  // check an object's type (UBSan's vptr check), and reports a false
  // "invalid vptr" on Catch's expression without it.
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
  REQUIRE(failing);
  CHECK(failures <= 10);
  for (int fd : fds) ::close(fd);
  // Descriptors back: the server accepts again.
  Client c(f.server->port());
  c.Send(Get("/healthz"));
  CHECK(c.Read().status == 200);
}

}  // namespace
}  // namespace sportello::gateway

namespace sportello::gateway {
namespace {

TEST_CASE("server: x-request-id is kept only in a safe token format", "[server][limits]") {
  Fixture f;
  Client c(f.server->port());
  for (const std::string& odd : std::vector<std::string>{"<img src=x onerror=alert(1)>", "a b", "id\"quoted", "x;y", std::string(129, 'a')}) {
    INFO(odd);
    c.Send(Get("/healthz", "X-Request-Id: " + odd + "\r\n"));
    Reply r = c.Read();
    CHECK(r.status == 200);
    CHECK(r.headers.GetOr("x-request-id") != odd);
    CHECK(r.headers.GetOr("x-request-id").size() == 32);
  }
  c.Send(Get("/healthz", "X-Request-Id: portale.comune-1:abc_2\r\n"));
  CHECK(c.Read().headers.GetOr("x-request-id") == "portale.comune-1:abc_2");
}

}  // namespace
}  // namespace sportello::gateway

namespace sportello::gateway {
namespace {

std::string ForwardedIp(const testing::FakeUpstream& upstream) {
  for (const auto& [name, value] : upstream.last_metadata) {
    if (name == "x-client-ip") return value;
  }
  return "";
}

TEST_CASE("forwarded: X-Forwarded-For is believed from trusted proxies only, right to left", "[server][limits]") {
  const std::vector<std::string> proxies = {"10.0.0.2", "10.0.0.3"};
  CHECK(ForwardedClient("10.0.0.2", "198.51.100.7", proxies) == "198.51.100.7");
  // What the client wrote itself is on the left: the proxy's entry wins.
  CHECK(ForwardedClient("10.0.0.2", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7");
  // Two proxies in a row: the first untrusted hop from the right.
  CHECK(ForwardedClient("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3", proxies) == "198.51.100.7");
  CHECK(ForwardedClient("10.0.0.2", " 2001:DB8::1 ", proxies) == "2001:db8::1");
  // Not from a trusted proxy: the header is the client's invention.
  CHECK(ForwardedClient("203.0.113.9", "198.51.100.7", proxies) == "203.0.113.9");
  // Garbage stops the walk at the last trusted hop; no header: the peer.
  CHECK(ForwardedClient("10.0.0.2", "0x7f.1", proxies) == "10.0.0.2");
  CHECK(ForwardedClient("10.0.0.2", "198.51.100.7, unknown", proxies) == "10.0.0.2");
  CHECK(ForwardedClient("10.0.0.2", "", proxies) == "10.0.0.2");
  CHECK(ForwardedClient("10.0.0.2", "198.51.100.7", {}) == "10.0.0.2");
}

TEST_CASE("server: behind a trusted proxy the client comes from X-Forwarded-For, and the proxy has no per-client cap",
          "[server][limits]") {
  Fixture f([](ServerConfig& c) {
    c.trusted_proxies = {"127.0.0.5"};
    c.max_connections_per_client = 2;
  });
  Client proxy(f.server->port(), "127.0.0.5");
  proxy.Send(Get("/api/v1/tenants/c_f027", "X-Forwarded-For: 198.51.100.7\r\n"));
  REQUIRE(proxy.Read().status == 200);
  CHECK(ForwardedIp(f.upstream) == "198.51.100.7");

  // Anyone else's X-Forwarded-For is ignored: the peer is the client.
  Client direct(f.server->port(), "127.0.0.6");
  direct.Send(Get("/api/v1/tenants/c_f027", "X-Forwarded-For: 198.51.100.7\r\nX-Client-Ip: 198.51.100.8\r\n"));
  REQUIRE(direct.Read().status == 200);
  CHECK(ForwardedIp(f.upstream) == "127.0.0.6");

  // The proxy carries many citizens: more connections than one client may open.
  std::vector<std::unique_ptr<Client>> through_proxy;
  for (int i = 0; i < 4; ++i) through_proxy.push_back(std::make_unique<Client>(f.server->port(), "127.0.0.5"));
  for (auto& c : through_proxy) {
    c->Send(Get("/healthz"));
    CHECK(c->Read().status == 200);
  }
}

}  // namespace
}  // namespace sportello::gateway
