#pragma once
// The gateway's HTTP/1.1 server (Boost.Beast, modelled on Beast's
// example/advanced/server): a listener and one session per connection, each
// on one io thread's own io_context (so its handlers run one at a time
// without a strand), keep-alive and pipelining with ordered answers. Serves
// /healthz, /readyz, /metrics, /openapi.json and CORS preflights itself and
// hands every other request to the Transcoder, whose answer is posted back
// onto the session's io_context. Beast appears in server.cpp only. An answer
// with a BodyStream (a server stream of RawBody) goes out chunked, one chunk per
// message, the next asked for only when the last is written; HEAD gets its
// header alone.
//
//   Server server(config, transcoder, metrics, [&] { return health.Snapshot(); }, openapi);
//   server.Start();          // binds; config.port 0 picks a free port: server.port()
//   server.WaitForSignal();  // SIGINT or SIGTERM
//   server.Stop();           // then shut the upstream down, then destroy
//
// Limits apply per connection, each where it is set in server.cpp: a request
// body over body_limit is answered 413 and the connection closed, a header
// over header_limit 431; the header must arrive within header_timeout of its
// first byte and the body within body_timeout, or the connection is cut.
// What of an answer the socket does not take at once (each chunk, for a
// streamed one) must be written within body_timeout, and an upstream silent
// for longer between two chunks cuts the answer too.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "gateway/edge_cache.h"
#include "gateway/transcoder.h"
#include "gateway/upstream.h"

namespace sportello::gateway {

struct ServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;                 // 0: any free port, see Server::port()
  int threads = 2;                      // io threads, each with its io_context
  size_t body_limit = 1 << 20;          // bytes; beyond: 413
  size_t header_limit = 16 << 10;       // bytes of start line and header; beyond: 431
  std::chrono::milliseconds header_timeout{10000};  // first byte to end of header
  std::chrono::milliseconds body_timeout{30000};    // end of header to end of body; also each write
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive wait for the next request;
                                                    // keep it above the upstream timeout
  size_t pipeline_limit = 8;            // requests queued per connection before reading pauses
  // Open connections, in total and per client address: a connection beyond
  // either is answered 503 and closed at once (the newest is shed), so idle
  // sockets from one host can neither exhaust file descriptors nor crowd out
  // others. Keep max_connections well under the process's descriptor limit.
  size_t max_connections = 4096;
  size_t max_connections_per_client = 256;
  // After accept fails (e.g. EMFILE), the wait before accepting again.
  std::chrono::milliseconds accept_backoff{100};
  std::vector<std::string> cors_origins;  // exact origins, or "*"; empty: no CORS
  // Exact addresses of the TLS-terminating proxies in front: their
  // X-Forwarded-For names the client (see forwarded.h), and they are exempt
  // from the per-client connection cap, since all citizens come through them.
  std::vector<std::string> trusted_proxies;
};

// The current upstream health, for /readyz.
using ReadinessProbe = std::function<HealthReport()>;

class Server {
 public:
  // With `cache`, public anonymous GETs are answered from it (edge_cache.h)
  // and writes through this server drop what they change; it must outlive
  // the server.
  Server(ServerConfig config, const Transcoder& transcoder, MetricsRegistry& metrics,
         ReadinessProbe readiness, std::string openapi_json, EdgeCache* cache = nullptr);
  ~Server();

  // Binds, listens and starts the io threads; throws std::runtime_error when
  // the address cannot be bound.
  void Start();
  uint16_t port() const;
  // Bytes of streamed chunks being written now, over all connections: at
  // most one chunk per streamed answer (back-pressure), for tests and metrics.
  int64_t StreamedBytesPending() const;
  // Connections open now, and those refused with a 503 since the start.
  size_t OpenConnections() const;
  uint64_t ShedConnections() const;
  // Accepts that failed (out of descriptors), each followed by accept_backoff.
  uint64_t AcceptFailures() const;
  // Blocks the calling thread until SIGINT or SIGTERM.
  void WaitForSignal();
  // Stops accepting, drops connections and joins the io threads. Idempotent.
  void Stop();

  struct Impl;  // defined in server.cpp, shared with its sessions

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace sportello::gateway
