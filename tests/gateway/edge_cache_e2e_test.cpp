// The edge cache end to end, correctness first:
// - through the gateway that ./sportello test started (subscribed to the
//   test Redis): a write through the gateway and a partner's write straight
//   over gRPC are both visible on the very next read; /metrics counts;
// - through a gateway built here over the stack's catalogue, subscribed to a
//   Redis of the test's own that the test stops and starts again: while the
//   channel is lost the gateway bypasses the cache, and once resubscribed it
//   has dropped everything, so a write made meanwhile (whose announcement
//   nobody heard) is visible at once; with a Redis that never answers, it
//   never serves from the cache.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "common/cache/changes.h"
#include "gateway/edge_cache.h"
#include "gateway/server.h"
#include "gateway/upstream.h"
#include "sportello/v1/catalogue.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/processes.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace v1 = sportello::v1;
namespace gw = sportello::gateway;
using namespace sportello::testing;

namespace {

json::object Json(const HttpReply& r, int expect = 200) {
  INFO("status " << r.status << " body: " << r.body);
  REQUIRE(r.status == expect);
  auto v = json::parse(r.body);
  REQUIRE(v.is_object());
  return v.as_object();
}

// A tenant of the test's own with one office; returns the office's path.
struct OfficeFixture {
  std::string tenant = UniqueName("t_");
  std::string operator_token;
  std::string office_id;
  std::string path;

  OfficeFixture() {
    Json(Fetch(GatewayUrl(), "POST", "/api/v1/tenants",
               json::serialize(json::object{{"ipa_code", tenant}, {"name", "Ente della cache"}, {"kind", "TENANT_KIND_OTHER"}}),
               Bearer(TokenFor(tenant, {"admin"}))));
    operator_token = TokenFor(tenant, {"operator"});
    json::object office = Json(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + tenant + "/offices",
                                     R"({"name":"Ufficio Tributi"})", Bearer(operator_token)));
    office_id = std::string(office.at("id").as_string());
    path = "/api/v1/offices/" + office_id;
  }

  // UpdateOffice straight to the catalogue, as a partner system would.
  void RenameOverGrpc(const std::string& name) const {
    auto stub = v1::CatalogueService::NewStub(
        grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_CATALOGUE_ADDR"), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ctx.AddMetadata("authorization", "Bearer " + operator_token);
    v1::UpdateOfficeRequest req;
    req.mutable_office()->set_id(office_id);
    req.mutable_office()->set_name(name);
    req.mutable_update_mask()->add_paths("name");
    v1::Office out;
    grpc::Status s = stub->UpdateOffice(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
    REQUIRE(out.name() == name);
  }
};

std::string NameOf(const HttpReply& r) { return std::string(Json(r).at("name").as_string()); }

// The gateway's parts, wired as main.cpp wires them, over the stack's
// catalogue, subscribed to `redis_url`.
struct LocalGateway {
  explicit LocalGateway(const std::string& redis_url)
      : routes(*gw::RouteTable::FromGeneratedPool()),
        targets{{"catalogue", RequireEnv("SPORTELLO_TEST_CATALOGUE_ADDR")}},
        upstream(targets),
        transcoder(routes, upstream, metrics, {}),
        cache(gw::EdgeCacheOptions{}),
        changes({.url = redis_url, .timeout = absl::Milliseconds(300), .ping_interval = absl::Milliseconds(200),
                 .retry = absl::Milliseconds(100)},
                {.on_change = [this](const sportello::cache::Change& c) { cache.Drop(c.service); },
                 .on_up = [this] { cache.SetLive(true); },
                 .on_down = [this] { cache.SetLive(false); }}),
        server(Config(), transcoder, metrics, nullptr, "{}", &cache) {
    cache.SetPendingCheck([this] { return changes.Pending(); });
    server.Start();
    changes.Start();
  }
  ~LocalGateway() {
    server.Stop();
    changes.Stop();
    upstream.Shutdown();
  }
  static gw::ServerConfig Config() {
    gw::ServerConfig c;
    c.port = 0;
    return c;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
  HttpReply Get(const std::string& path) const { return Fetch(url(), "GET", path); }

  gw::RouteTable routes;
  std::vector<gw::UpstreamTarget> targets;
  sportello::MetricsRegistry metrics;
  gw::GrpcUpstream upstream;
  gw::Transcoder transcoder;
  gw::EdgeCache cache;
  sportello::cache::ChangeSubscriber changes;
  gw::Server server;
};

// GETs `path` until the gateway serves it from its cache (it subscribes
// asynchronously at start-up); true once it does.
bool ServedFromCache(const std::string& base, const std::string& path) {
  return PollUntil([&] { return Fetch(base, "GET", path).Header("x-cache") == "HIT"; },
                   absl::Now() + absl::Seconds(10));
}

}  // namespace

TEST_CASE("edge cache: a write through the gateway is visible on the very next read", "[e2e][gateway][cache]") {
  OfficeFixture f;
  // Polled: another test's write to the shared stack may drop it in between.
  HttpReply hit;
  REQUIRE(PollUntil([&] { return (hit = Get(f.path)).Header("x-cache") == "HIT"; }, absl::Now() + absl::Seconds(10)));
  CHECK(NameOf(hit) == "Ufficio Tributi");
  // ETag and 304 from the cache.
  REQUIRE_FALSE(hit.Header("etag").empty());
  HttpReply not_modified = Get(f.path, {{"If-None-Match", hit.Header("etag")}});
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());

  Json(PatchJson(f.path, {{"name", "Ufficio Tributi e Tasse"}}, Bearer(f.operator_token)));
  HttpReply next = Get(f.path);
  CHECK(NameOf(next) == "Ufficio Tributi e Tasse");
  CHECK(next.Header("x-cache") == "MISS");
  // The list of the tenant's offices too: a new office shows at once.
  std::string list = "/api/v1/tenants/" + f.tenant + "/offices";
  REQUIRE(ServedFromCache(GatewayUrl(), list));
  Json(PostJson(list, {{"name", "Ufficio Anagrafe"}}, Bearer(f.operator_token)));
  CHECK(Get(list).body.find("Ufficio Anagrafe") != std::string::npos);
  // An answer to a token is never the cache's.
  HttpReply with_token = Get(f.path, Bearer(f.operator_token));
  CHECK(with_token.status == 200);
  CHECK(with_token.Header("x-cache").empty());
}

TEST_CASE("edge cache: a partner's write straight over gRPC is visible on the very next read",
          "[e2e][gateway][cache]") {
  OfficeFixture f;
  REQUIRE(ServedFromCache(GatewayUrl(), f.path));
  f.RenameOverGrpc("Ufficio Tributi (partner)");
  // No wait: the catalogue announced the change before it answered.
  HttpReply next = Get(f.path);
  CHECK(NameOf(next) == "Ufficio Tributi (partner)");
  CHECK(next.Header("x-cache") == "MISS");
  // Cached again; polled, since another test's write to the shared stack may
  // drop it in between.
  CHECK(ServedFromCache(GatewayUrl(), f.path));
}

TEST_CASE("edge cache: /metrics shows hits, misses and the hit ratio", "[e2e][gateway][cache]") {
  OfficeFixture f;
  REQUIRE(ServedFromCache(GatewayUrl(), f.path));
  std::string metrics = Get("/metrics").body;
  for (const char* name : {"sportello_gateway_cache_hits_total ", "sportello_gateway_cache_misses_total ",
                           "sportello_gateway_cache_hit_ratio ", "sportello_gateway_cache_live 1"}) {
    INFO(name);
    CHECK(metrics.find(name) != std::string::npos);
  }
  CHECK(metrics.find("sportello_gateway_cache_hits_total 0\n") == std::string::npos);
}

TEST_CASE("edge cache: losing the announcement channel bypasses the cache; resubscribing drops everything",
          "[e2e][gateway][cache]") {
  OfficeFixture f;
  RedisProcess redis;
  redis.Start();
  LocalGateway gateway(redis.url());
  REQUIRE(ServedFromCache(gateway.url(), f.path));
  CHECK(NameOf(gateway.Get(f.path)) == "Ufficio Tributi");

  redis.Stop();
  // Within the subscriber's ping timeout the channel is known lost.
  REQUIRE(PollUntil([&] { return gateway.Get(f.path).Header("x-cache") == "BYPASS"; },
                    absl::Now() + absl::Seconds(10)));
  CHECK_FALSE(gateway.cache.live());
  // A write whose announcement this gateway cannot hear: read through, fresh.
  f.RenameOverGrpc("Ufficio Tributi (durante il guasto)");
  HttpReply during = gateway.Get(f.path);
  CHECK(during.Header("x-cache") == "BYPASS");
  CHECK(NameOf(during) == "Ufficio Tributi (durante il guasto)");
  CHECK(gateway.cache.RenderMetrics().find("sportello_gateway_cache_live 0") != std::string::npos);

  redis.Start();
  REQUIRE(PollUntil([&] { return gateway.cache.live(); }, absl::Now() + absl::Seconds(10)));
  HttpReply after = gateway.Get(f.path);
  CHECK(after.Header("x-cache") == "MISS");  // everything was dropped on resubscribing
  CHECK(NameOf(after) == "Ufficio Tributi (durante il guasto)");
}

TEST_CASE("edge cache: with a Redis that never answers the gateway never serves from the cache",
          "[e2e][gateway][cache]") {
  OfficeFixture f;
  LocalGateway gateway("redis://127.0.0.1:1/0");
  for (int i = 0; i < 3; ++i) {
    HttpReply r = gateway.Get(f.path);
    CHECK(r.Header("x-cache") == "BYPASS");
    CHECK(NameOf(r) == "Ufficio Tributi");
  }
  CHECK(gateway.cache.stats().hits == 0);
}
