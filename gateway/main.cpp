// sportello-gateway: REST/JSON in front of the gRPC services. Reads its
// configuration, builds the routing table from the compiled descriptors and
// serves until SIGINT or SIGTERM.
#include <chrono>
#include <iostream>
#include <optional>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/absl_mutex.h"
#include "common/cache/changes.h"
#include "common/config.h"
#include "common/grpc/client_address.h"
#include "common/log.h"
#include "gateway/edge_cache.h"
#include "gateway/openapi.h"
#include "gateway/proto_docs.h"
#include "gateway/server.h"
#include "gateway/upstream.h"

namespace gw = sportello::gateway;
using std::chrono::milliseconds;

int main(int argc, char** argv) {
  sportello::NoMutexDeadlockDetection();
  sportello::Settings s("sportello-gateway", argc, argv);
  gw::ServerConfig cfg;
  std::string addr = s.String("SPORTELLO_GATEWAY_ADDR", "127.0.0.1:8080", "HTTP listen address host:port");
  cfg.threads = s.Int("SPORTELLO_GATEWAY_THREADS", 2, "io threads");
  cfg.body_limit = s.Int("SPORTELLO_GATEWAY_BODY_LIMIT", 1 << 20, "request body limit in bytes (413 beyond)");
  cfg.header_limit = s.Int("SPORTELLO_GATEWAY_HEADER_LIMIT", 16 << 10, "request header limit in bytes (431 beyond)");
  cfg.max_connections = s.Int("SPORTELLO_GATEWAY_MAX_CONNECTIONS", 4096,
                              "open connections in total (503 beyond); keep under the descriptor limit");
  cfg.max_connections_per_client = s.Int("SPORTELLO_GATEWAY_MAX_CONNECTIONS_PER_CLIENT", 256,
                                         "open connections per client address (503 beyond)");
  auto ms = [](double seconds) { return milliseconds(static_cast<long long>(seconds * 1000)); };
  cfg.header_timeout = ms(s.Seconds("SPORTELLO_GATEWAY_HEADER_TIMEOUT", 10, "seconds to receive a request header"));
  cfg.body_timeout = ms(s.Seconds("SPORTELLO_GATEWAY_BODY_TIMEOUT", 30, "seconds to receive a request body"));
  gw::TranscoderOptions topts;
  topts.upstream_timeout = ms(s.Seconds("SPORTELLO_GATEWAY_UPSTREAM_TIMEOUT", 10, "deadline of upstream gRPC calls"));
  topts.feed_public_hosts = absl::StrSplit(
      s.String("SPORTELLO_GATEWAY_FEED_HOSTS", "127.0.0.1:8080,localhost:8080",
               "hosts (host:port, or https://host) the feeds' self links may name; the first is the default"),
      ',', absl::SkipWhitespace());
  topts.stream_timeout = ms(s.Seconds("SPORTELLO_GATEWAY_STREAM_TIMEOUT", 600,
                                      "deadline of a whole streamed answer (CSV exports)"));
  topts.public_base_url = s.String("SPORTELLO_PUBLIC_BASE_URL", "http://127.0.0.1:8080",
                                   "public base URL of the site: stable IRIs and download URLs of the open data");
  topts.catalog_publisher = s.String("SPORTELLO_CATALOG_PUBLISHER", "",
                                     "IPA code of the Unione publishing the catalogue of every tenant (/dcat/catalog); "
                                     "empty: the Unione of lowest IPA code");
  while (!topts.public_base_url.empty() && topts.public_base_url.back() == '/') topts.public_base_url.pop_back();
  cfg.idle_timeout = std::max(milliseconds(60000), topts.upstream_timeout + milliseconds(5000));
  cfg.trusted_proxies = sportello::ReadTrustedGateways(
      s, "SPORTELLO_GATEWAY_TRUSTED_PROXIES",
      "exact IP addresses of the TLS-terminating proxies in front, whose X-Forwarded-For names the client; "
      "none by default");
  for (auto o : absl::StrSplit(s.String("SPORTELLO_CORS_ORIGINS", "", "comma-separated allowed origins, or *"),
                               ',', absl::SkipWhitespace())) {
    cfg.cors_origins.emplace_back(o);
  }
  const int cache_mib = s.Int("SPORTELLO_GATEWAY_CACHE_MIB", 64,
                              "edge cache of public anonymous GETs, in MiB (0: off; needs SPORTELLO_REDIS_URL)");
  gw::EdgeCacheOptions cache_options;
  cache_options.max_bytes = static_cast<size_t>(std::max(0, cache_mib)) << 20;
  cache_options.ttl = ms(s.Seconds("SPORTELLO_GATEWAY_CACHE_TTL", 60,
                                   "seconds an edge cache entry lives at most (bounds a lost change announcement)"));
  const std::string redis_url = s.String("SPORTELLO_REDIS_URL", "redis://127.0.0.1:56379/0",
                                         "Redis whose change announcements keep the edge cache fresh (empty: no cache)");
  gw::OpenApiOptions api;
  api.server_url = s.String("SPORTELLO_GATEWAY_PUBLIC_URL", "/",
                            "public base URL of the API, for the OpenAPI servers entry (\"/\": where it was fetched)");
  api.docs = &gw::ProtoDocs::Embedded();
  // The routing table first: it names the upstreams whose addresses we need.
  auto routes = gw::RouteTable::FromGeneratedPool();
  std::vector<gw::UpstreamTarget> targets;
  sportello::TlsConfig tls = sportello::ReadTlsConfig(s);
  for (const auto& ep : sportello::ServiceEndpoints()) {
    if (!routes.ok() || !absl::c_linear_search(routes->Upstreams(), ep.name)) continue;
    std::string upper(ep.name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    targets.push_back({ep.name,
                       sportello::ReadServiceAddress(s, "SPORTELLO_" + upper + "_ADDR",
                                                     "127.0.0.1:" + std::to_string(ep.default_port),
                                                     ep.name + " gRPC address, balanced with round_robin"),
                       tls});
  }
  s.Done();
  sportello::log::Init("gateway");

  size_t colon = addr.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(addr.substr(colon + 1), &port) || port < 0 || port > 65535) {
    sportello::log::Error("SPORTELLO_GATEWAY_ADDR must be host:port", {{"value", addr}});
    return 2;
  }
  cfg.address = addr.substr(0, colon);
  cfg.port = static_cast<uint16_t>(port);
  if (!routes.ok()) {
    sportello::log::Error("bad google.api.http annotation", {{"error", std::string(routes.status().message())}});
    return 1;
  }
  sportello::MetricsRegistry metrics;
  gw::GrpcUpstream upstream(targets);
  gw::HealthWatcher health(targets);
  gw::Transcoder transcoder(*routes, upstream, metrics, topts);
  // The edge cache serves only while subscribed to the services' change announcements.
  std::optional<gw::EdgeCache> cache;
  if (cache_mib > 0 && !redis_url.empty()) cache.emplace(cache_options);
  sportello::cache::ChangeSubscriber changes(
      {.url = cache ? redis_url : std::string()},
      {.on_change = [&](const sportello::cache::Change& c) { cache->Drop(c.service); },
       .on_up = [&] { cache->SetLive(true); },
       .on_down = [&] { cache->SetLive(false); }});
  if (cache) cache->SetPendingCheck([&changes] { return changes.Pending(); });
  gw::Server server(cfg, transcoder, metrics, [&] { return health.Snapshot(); }, gw::OpenApiJson(*routes, api),
                    cache ? &*cache : nullptr);
  try {
    server.Start();
  } catch (const std::exception& e) {
    sportello::log::Error("cannot start", {{"error", std::string(e.what())}});
    return 1;
  }
  health.Start();
  changes.Start();
  sportello::log::Info("listening", {{"addr", cfg.address + ":" + std::to_string(server.port())},
                                     {"routes", static_cast<long long>(routes->routes().size())},
                                     {"upstream_tls", tls.enabled()}});
  server.WaitForSignal();
  sportello::log::Info("stopping");
  server.Stop();  // no more io; then the gRPC side, whose callbacks post into the server
  changes.Stop();
  upstream.Shutdown();
  health.Stop();
  return 0;
}
