#include "gateway/server.h"

#include <atomic>

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <sys/socket.h>
#include <sys/uio.h>

#include "common/log.h"
#include "common/request_id.h"
#include "gateway/docs.h"
#include "gateway/forwarded.h"

namespace sportello::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr char kAllowedMethods[] = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr char kAllowedHeaders[] =
    "Authorization, Content-Type, Accept-Language, If-None-Match, X-Request-Id, Idempotency-Key";
constexpr char kExposedHeaders[] = "ETag, X-Request-Id, Location, Allow";
// A client's x-request-id is kept only in a safe token format
// (log::UsableRequestId), since it lands in logs and upstream metadata.
using log::UsableRequestId;

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.headers.Set("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

}  // namespace

struct Server::Impl {
  ServerConfig config;
  const Transcoder& transcoder;
  MetricsRegistry& metrics;
  ReadinessProbe readiness;
  std::string openapi;
  EdgeCache* cache;  // null: no edge cache

  // One io_context a thread, each connection on one of them (taken in turn):
  // a connection's handlers never wake another thread, as they did when
  // every thread ran one shared context (a third of the gateway's time went
  // to switching threads on cached answers).
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::atomic<size_t> next_ioc{0};
  net::io_context& NextContext() { return *iocs[next_ioc.fetch_add(1, std::memory_order_relaxed) % iocs.size()]; }
  // On its own strand, so that Stop() may close it while io threads run.
  tcp::acceptor acceptor;
  std::atomic<int> in_flight{0};  // requests dispatched and not yet answered
  // Bytes of streamed chunks handed to the socket and not yet written, over
  // all connections: back-pressure keeps it at one chunk per answer.
  std::atomic<int64_t> streamed_bytes_pending{0};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  // Admission: open connections in total and per client address.
  std::mutex connections_mu;
  size_t connections = 0;
  std::unordered_map<std::string, size_t> connections_per_client;
  std::atomic<uint64_t> shed{0};
  std::atomic<uint64_t> accept_failures{0};
  net::steady_timer accept_timer{acceptor.get_executor()};

  // Counts a new connection from `client`; false when over a limit.
  bool Admit(const std::string& client) {
    std::lock_guard lock(connections_mu);
    if (connections >= config.max_connections) return false;
    if (IsTrustedProxy(client, config.trusted_proxies)) {
      ++connections;
      return true;
    }
    size_t& mine = connections_per_client[client];
    if (mine >= config.max_connections_per_client) {
      if (mine == 0) connections_per_client.erase(client);
      return false;
    }
    ++mine;
    ++connections;
    return true;
  }
  void Release(const std::string& client) {
    std::lock_guard lock(connections_mu);
    --connections;
    auto it = connections_per_client.find(client);
    if (it != connections_per_client.end() && --it->second == 0) connections_per_client.erase(it);
  }
  std::mutex mu;
  bool stopped = false;

  Impl(ServerConfig c, const Transcoder& t, MetricsRegistry& m, ReadinessProbe r, std::string o, EdgeCache* e)
      : config(std::move(c)),
        transcoder(t),
        metrics(m),
        readiness(std::move(r)),
        openapi(std::move(o)),
        cache(e),
        iocs(MakeContexts(std::max(1, config.threads))),
        acceptor(net::make_strand(*iocs[0])) {
    for (auto& ioc : iocs) keep_running.push_back(net::make_work_guard(*ioc));
  }

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  bool OriginAllowed(std::string_view origin) const {
    return std::any_of(config.cors_origins.begin(), config.cors_origins.end(),
                       [&](const std::string& o) { return o == "*" || o == origin; });
  }

  // Everything that is not a transcoded route; nullopt to pass the request on.
  std::optional<HttpResponse> Builtin(const HttpRequest& req, std::string_view path,
                                      const ProblemContext& ctx) {
    if (path != "/healthz" && path != "/readyz" && path != "/metrics" && path != "/openapi.json" &&
        !IsDocsPath(path)) {
      return std::nullopt;
    }
    if (req.method != "GET") {
      HttpResponse r = Problem(405, "GET", ctx);
      r.headers.Set("Allow", "GET");
      return r;
    }
    if (IsDocsPath(path)) return DocsResponse(req, path, ctx);
    if (path == "/healthz") return Json(200, R"({"status":"ok"})");
    if (path == "/readyz") {
      HealthReport report = readiness ? readiness() : HealthReport{true, {}};
      boost::json::object upstreams;
      for (const auto& [name, state] : report.states) upstreams[name] = state;
      boost::json::object body{{"status", report.ready ? "ready" : "not ready"},
                               {"upstreams", std::move(upstreams)}};
      return Json(report.ready ? 200 : 503, boost::json::serialize(body));
    }
    if (path == "/metrics") {
      HttpResponse r;
      r.headers.Set("Content-Type", "text/plain; version=0.0.4");
      r.headers.Set("Cache-Control", "no-store");
      r.body = metrics.Render();
      if (cache) r.body += cache->RenderMetrics();
      return r;
    }
    HttpResponse r;
    r.headers.Set("Content-Type", "application/json");
    r.body = openapi;
    ApplyConditionalGet(req, r);
    return r;
  }

  // Answers one request through `done`, exactly once, on any thread.
  void Dispatch(HttpRequest req, std::function<void(HttpResponse)> done) {
    in_flight.fetch_add(1);
    done = [this, done = std::move(done)](HttpResponse r) {
      done(std::move(r));
      in_flight.fetch_sub(1);
    };
    // HEAD is GET without the body (RFC 9110 9.3.2): the same answer's headers.
    if (req.method == "HEAD") {
      req.method = "GET";
      done = [done = std::move(done)](HttpResponse r) {
        // A streamed answer has no length to state: the session sends its
        // header only and stops the stream.
        if (!r.stream) r.headers.Set("Content-Length", std::to_string(r.body.size()));
        r.body.clear();
        done(std::move(r));
      };
    }
    auto id = req.headers.Get("x-request-id");
    if (!id || !UsableRequestId(*id)) req.headers.Set("x-request-id", NewRequestId());
    ProblemContext ctx;
    ctx.request_id = req.headers.GetOr("x-request-id");
    ctx.english = PrefersEnglish(req.headers.GetOr("accept-language"));
    std::string path = req.target.substr(0, req.target.find('?'));
    ctx.instance = path;

    std::string origin = req.headers.GetOr("origin");
    const bool cors = !origin.empty() && OriginAllowed(origin);
    // Adds the CORS and request id headers to whatever the answer is.
    // With a list of origins the answer depends on Origin even when refused:
    // shared caches must keep them apart.
    const bool vary = !config.cors_origins.empty() &&
                      !(config.cors_origins.size() == 1 && config.cors_origins[0] == "*");
    auto finish = [cors, vary, origin, request_id = ctx.request_id, done = std::move(done)](HttpResponse r) {
      if (cors) {
        r.headers.Set("Access-Control-Allow-Origin", origin);
        r.headers.Set("Access-Control-Expose-Headers", kExposedHeaders);
      }
      if (vary) r.headers.Add("Vary", "Origin");
      r.headers.Set("x-request-id", request_id);
      done(std::move(r));
    };

    if (req.method == "OPTIONS") {
      if (req.headers.Get("access-control-request-method")) {
        if (!cors) {
          return finish(Problem(403, PrefersEnglish(req.headers.GetOr("accept-language"))
                                         ? "origin not allowed"
                                         : "origine non consentita",
                                ctx));
        }
        HttpResponse r;
        r.status = 204;
        r.headers.Set("Access-Control-Allow-Methods", kAllowedMethods);
        r.headers.Set("Access-Control-Allow-Headers", kAllowedHeaders);
        r.headers.Set("Access-Control-Max-Age", "600");  // seconds browsers may cache this answer
        return finish(std::move(r));
      }
      RouteMatch m = transcoder.routes().Match("OPTIONS", path);
      if (m.allowed.empty()) return finish(Problem(404, "", ctx));
      HttpResponse r;
      r.status = 204;
      std::string allow = "OPTIONS";
      for (const auto& method : m.allowed) allow += ", " + method;
      r.headers.Set("Allow", allow);
      return finish(std::move(r));
    }
    if (auto r = Builtin(req, path, ctx)) return finish(std::move(*r));
    if (cache) {
      if (auto scope = EdgeScopeOf(transcoder.routes(), req)) return Cached(std::move(req), *scope, std::move(finish));
    }
    transcoder.Handle(std::move(req), std::move(finish));
  }

  // Through the edge cache: a GET from it (or into it), a write dropping
  // what it changes before its answer leaves.
  template <class Finish>
  void Cached(HttpRequest req, const EdgeScope& scope, Finish finish) {
    if (!scope.cacheable) {
      return transcoder.Handle(std::move(req), [this, tag = scope.tag, finish = std::move(finish)](HttpResponse r) {
        // A refused write changed nothing; any other answer (even a timeout) may follow a commit.
        if (r.status < 400 || r.status >= 500) cache->Drop(tag);
        finish(std::move(r));
      });
    }
    std::string key = CacheKey(req);
    EdgeCache::Found found = cache->Find(key, WantsRefresh(req));
    if (found.outcome == EdgeCache::Outcome::kHit) {
      HttpResponse r = *found.response;
      r.headers.Set("X-Cache", "HIT");
      ApplyIfNoneMatch(req, r);
      return finish(std::move(r));
    }
    if (found.outcome == EdgeCache::Outcome::kBypass) {
      return transcoder.Handle(std::move(req), [finish = std::move(finish)](HttpResponse r) {
        r.headers.Set("X-Cache", "BYPASS");
        finish(std::move(r));
      });
    }
    // The full answer is stored; the client's If-None-Match applies afterwards.
    HttpRequest conditional;
    conditional.method = "GET";
    if (auto inm = req.headers.Get("if-none-match")) conditional.headers.Add("If-None-Match", std::string(*inm));
    req.headers.Remove("if-none-match");
    transcoder.Handle(std::move(req), [this, key = std::move(key), tag = scope.tag, ttl = scope.ttl,
                                       generation = found.generation,
                                       conditional = std::move(conditional),
                                       finish = std::move(finish)](HttpResponse r) {
      cache->Store(key, tag, generation, r, ttl);
      r.headers.Set("X-Cache", "MISS");
      ApplyIfNoneMatch(conditional, r);
      finish(std::move(r));
    });
  }
};

namespace {

// A connection's socket as a SyncWriteStream that never waits: what the
// kernel's buffer takes now, else would_block. It writes through the
// descriptor, not the asio socket, so that any thread holding the
// connection's lock may use it while an asio read is pending on the
// connection's own thread.
struct NonBlockingSink {
  int fd;
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, beast::error_code& ec) {
    std::array<iovec, 16> iov{};
    std::size_t n = 0;
    for (auto b : beast::buffers_range_ref(buffers)) {
      if (n == iov.size()) break;
      iov[n++] = {const_cast<void*>(b.data()), b.size()};
    }
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = n;
    ssize_t sent;
    do {
      sent = ::sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
      ec = errno == EAGAIN || errno == EWOULDBLOCK ? beast::error_code(net::error::would_block)
                                                   : beast::error_code(errno, boost::system::system_category());
      return 0;
    }
    ec = {};
    return static_cast<std::size_t>(sent);
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    beast::error_code ec;
    std::size_t n = write_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }
};

// One connection. Its handlers run on its io thread under `mu_`; an answer
// that comes on a gRPC thread takes `mu_` there too and, when the connection
// is idle, is written from that thread (StoreAndSendHere): no wake of the io
// thread for the usual answer. So that nothing closes the socket outside
// `mu_`, the session keeps its own deadlines instead of tcp_stream's (whose
// timer closes the socket by itself).
class Session : public std::enable_shared_from_this<Session> {
 public:
  // The server owns the io_context that owns every session's handlers, so a
  // plain reference cannot dangle (and a shared_ptr would form a cycle).
  // `client` was admitted by Server::Impl::Admit; the session releases it.
  Session(tcp::socket&& socket, Server::Impl& server, std::string client)
      : stream_(std::move(socket)),
        context_(static_cast<net::io_context&>(net::query(stream_.get_executor(), net::execution::context))),
        timer_(stream_.get_executor()),
        fd_(stream_.socket().native_handle()),
        server_(server),
        client_(std::move(client)) {}

  void Run() {
    // Dispatched, not posted: on the accepting thread's own context the
    // first read starts at once.
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      std::lock_guard lock(self->mu_);
      self->DoRead();
    });
  }

  ~Session() {
    // Streams never started (queued behind another answer) must end too.
    for (auto& slot : queue_) {
      if (slot.stream) slot.stream->Cancel();
    }
    server_.Release(client_);
  }

 private:
  const ServerConfig& config() const { return server_.config; }

  // A completion handler running `fn` under the connection's lock.
  template <class... Args>
  auto Locked(void (Session::*fn)(Args...)) {
    return [self = shared_from_this(), fn](Args... args) {
      std::lock_guard lock(self->mu_);
      (self.get()->*fn)(args...);
    };
  }

  // Runs `fn(*this)` on the connection's thread, under its lock.
  template <class Fn>
  void PostLocked(Fn fn) {
    net::post(stream_.get_executor(), [self = shared_from_this(), fn = std::move(fn)]() mutable {
      std::lock_guard lock(self->mu_);
      fn(*self);
    });
  }

  // Deadlines of the read and of the write in progress (kNever: none). One
  // timer serves both and is moved only to an earlier time: a later deadline
  // (each request's) is found when it fires, so a request costs no timer call.
  using SteadyClock = std::chrono::steady_clock;
  static constexpr SteadyClock::time_point kNever = SteadyClock::time_point::max();

  void ReadDeadline(std::chrono::milliseconds d) { WakeBy(read_deadline_ = SteadyClock::now() + d); }
  void WriteDeadline(std::chrono::milliseconds d) { WakeBy(write_deadline_ = SteadyClock::now() + d); }

  void WakeBy(SteadyClock::time_point at) {
    if (at >= timer_at_ || fd_ < 0) return;
    timer_at_ = at;
    timer_.expires_at(at);  // a wait already pending ends with operation_aborted
    timer_.async_wait(Locked(&Session::OnTimer));
  }

  void OnTimer(beast::error_code ec) {
    if (ec) return;  // moved to an earlier time, or the connection closed
    timer_at_ = kNever;
    const auto now = SteadyClock::now();
    if (read_deadline_ <= now || write_deadline_ <= now) {
      // Pending reads and writes end with operation_aborted; their handlers
      // see timed_out_ and close without answering further.
      timed_out_ = true;
      return DoClose();
    }
    WakeBy(std::min(read_deadline_, write_deadline_));
  }

  // One answer per request, written in request order.
  struct Slot {
    std::optional<http::response<http::string_body>> response;
    bool close = false;
    std::shared_ptr<BodyStream> stream;  // a chunked answer: its chunks come from here
    bool header_only = false;            // HEAD of a streamed answer: no body, no length
    bool sized = false;                  // a stream with a Content-Length: no chunks
  };

  void DoRead() {
    // Pipelining limit: stop reading while this many answers are pending.
    if (reading_ || closing_ || queue_.size() >= config().pipeline_limit) return;
    reading_ = true;
    parser_.emplace();
    parser_->body_limit(config().body_limit);      // beyond: http::error::body_limit -> 413
    parser_->header_limit(static_cast<std::uint32_t>(config().header_limit));  // beyond: 431
    if (buffer_.size() > 0) return DoReadHeader();
    // Idle: wait for the first byte of the next request.
    ReadDeadline(config().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), Locked(&Session::OnFirstBytes));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
    read_deadline_ = kNever;
    if (ec) return OnReadError(ec);
    buffer_.commit(bytes);
    DoReadHeader();
  }

  void DoReadHeader() {
    // What is buffered first: a header that came whole (nearly every
    // request) is parsed here, where Beast's async_read_header would finish
    // on it through its composed operation and another turn of the io loop.
    // The parser stops after the header (it is not eager). At most
    // pipeline_limit requests deep when they come pipelined.
    if (buffer_.size() > 0) {
      beast::error_code ec;
      buffer_.consume(parser_->put(buffer_.data(), ec));
      if (!ec) return OnHeader(ec, 0);
      if (ec != http::error::need_more) return OnReadError(ec);
    }
    // The whole header must arrive within header_timeout: a slow sender is cut off.
    ReadDeadline(config().header_timeout);
    http::async_read_header(stream_, buffer_, *parser_, Locked(&Session::OnHeader));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    read_deadline_ = kNever;
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return OnRequest();
    // curl and others wait about a second for "100 Continue" before a large
    // body. Sent only when nothing else is being written on the connection.
    const auto expect = parser_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue") && queue_.empty() && !writing_) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      WriteDeadline(config().body_timeout);
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              Locked(&Session::OnContinueSent));
    }
    DoReadBody();
  }

  void OnContinueSent(beast::error_code ec, std::size_t) {
    write_deadline_ = kNever;
    if (ec) return OnReadError(ec);
    DoReadBody();
  }

  void DoReadBody() {
    ReadDeadline(config().body_timeout);
    http::async_read(stream_, buffer_, *parser_, Locked(&Session::OnBody));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    read_deadline_ = kNever;
    if (ec) return OnReadError(ec);
    OnRequest();
  }

  void OnReadError(beast::error_code ec) {
    reading_ = false;
    closing_ = true;
    int status = 0;
    if (ec == http::error::body_limit) {
      status = 413;
    } else if (ec == http::error::header_limit) {
      status = 431;
    } else if (ec.category() == beast::error_code(http::error::end_of_stream).category() && ec != http::error::end_of_stream &&
               ec != http::error::partial_message) {
      status = 400;  // malformed request
    }
    if (status == 0) {
      // Closed by the client, timed out, or cancelled: nothing to answer.
      if (queue_.empty() || timed_out_) return DoClose();
      return;  // the pending answers are written, then the connection closes
    }
    ProblemContext ctx;
    ctx.request_id = NewRequestId();
    ctx.instance = parser_->get().target();
    std::string detail = status == 413 ? "body larger than " + std::to_string(config().body_limit) + " bytes"
                         : status == 431 ? "header larger than " + std::to_string(config().header_limit) + " bytes"
                                         : ec.message();
    queue_.push_back(Slot{});
    queue_.back().close = true;
    Store(next_seq_++, Problem(status, detail, ctx), false, 11);
  }

  void OnRequest() {
    reading_ = false;
    http::request<http::string_body> req = parser_->release();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) request.headers.Add(std::string(field.name_string()), std::string(field.value()));
    // The client for the services' per-client limits: the peer, or the
    // address a trusted proxy in front names; a value sent by the client
    // itself is replaced, never trusted.
    request.headers.Set("x-client-ip", ForwardedClient(client_, request.headers.GetOr("x-forwarded-for"),
                                                       config().trusted_proxies));
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    const bool head = req.method() == http::verb::head;
    if (!keep_alive) closing_ = true;

    const uint64_t seq = next_seq_++;
    queue_.push_back(Slot{});
    queue_.back().close = !keep_alive;
    // The answer may come on a gRPC thread: written from there when it can
    // be, else back onto this connection's thread.
    server_.Dispatch(std::move(request), [self = shared_from_this(), seq, keep_alive, version, head](HttpResponse r) {
      if (!self->OnOwnThread() && self->StoreAndSendHere(seq, r, keep_alive, version, head)) return;
      self->PostLocked([seq, keep_alive, version, head, r = std::move(r)](Session& s) mutable {
        s.Store(seq, std::move(r), keep_alive, version, head);
      });
    });
    DoRead();
  }

  bool OnOwnThread() const { return context_.get_executor().running_in_this_thread(); }

  // On a thread other than the connection's: the answer to `seq`, stored and
  // written from here when it is next in line, nothing is being written,
  // and the lock is free (else the io thread is at work here: false, and it
  // gets the answer as usual). Whatever follows the write (the rest of a
  // large answer, the next answer, a close) goes to the io thread.
  bool StoreAndSendHere(uint64_t seq, HttpResponse& r, bool keep_alive, unsigned version, bool head) {
    std::unique_lock lock(mu_, std::try_to_lock);
    if (!lock.owns_lock() || seq != first_seq_ || writing_ || fd_ < 0 || r.stream) return false;
    Keep(seq, std::move(r), keep_alive, version, head);
    writing_ = true;
    serializer_.emplace(*queue_.front().response);
    beast::error_code ec;
    const bool all = SendNow(ec);
    if (all && !FrontEndsConnection()) {
      serializer_.reset();
      PopFront();
      // The usual case: no other answer waits and the next request is being read.
      if (!queue_.empty() || !reading_) PostLocked([](Session& s) { s.AfterAnswer(); });
      return true;
    }
    PostLocked([all, ec](Session& s) { s.AfterSend(all, ec); });
    return true;
  }

  void Store(uint64_t seq, HttpResponse r, bool keep_alive, unsigned version, bool head = false) {
    Keep(seq, std::move(r), keep_alive, version, head);
    DoWrite();
  }

  // The answer to `seq`, made an HTTP response in its slot.
  void Keep(uint64_t seq, HttpResponse r, bool keep_alive, unsigned version, bool head) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "sportello-gateway");
    for (auto& [name, value] : r.headers.fields()) res.insert(name, value);
    res.body() = std::move(r.body);
    Slot& slot = queue_.at(seq - first_seq_);
    res.keep_alive(keep_alive && !slot.close);
    if (r.stream && head) {
      r.stream->Cancel();
      slot.header_only = true;
    } else if (r.stream && version < 11) {
      // HTTP/1.0 has no chunks: the end of the body is the end of the connection.
      slot.stream = std::move(r.stream);
      slot.close = true;
      res.keep_alive(false);
    } else if (r.stream && res.find(http::field::content_length) != res.end()) {
      // A stream whose length is known ahead (a recorded dataset version):
      // plain bytes after the header, and the connection stays open.
      slot.stream = std::move(r.stream);
      slot.sized = true;
    } else if (r.stream) {
      slot.stream = std::move(r.stream);
      res.chunked(true);
    } else {
      // A HEAD answer states the length of the body it does not carry.
      if (!res.body().empty() || res.find(http::field::content_length) == res.end()) res.prepare_payload();
      // RFC 9110: no Content-Length on 204; on 304 it would describe the cached body.
      if (r.status == 204 || r.status == 304) res.erase(http::field::content_length);
    }
    slot.response = std::move(res);
  }

  void DoWrite() {
    if (writing_ || queue_.empty() || !queue_.front().response) return;
    writing_ = true;
    if (queue_.front().stream || queue_.front().header_only) return DoWriteStreamHeader();
    serializer_.emplace(*queue_.front().response);
    beast::error_code ec;
    const bool all = SendNow(ec);
    AfterSend(all, ec);
  }

  // Writes what the socket takes of the front answer now, without waiting:
  // a small answer nearly always goes whole, with no turn of the io loop.
  // True when it is all out; else `ec` says why (would_block: there is more).
  bool SendNow(beast::error_code& ec) {
    NonBlockingSink sink{fd_};
    while (!serializer_->is_done()) {
      http::write_some(sink, *serializer_, ec);
      if (ec) return false;
    }
    return true;
  }

  // After SendNow, on the io thread: the rest of the answer within body_timeout.
  void AfterSend(bool all, beast::error_code ec) {
    if (all || ec != net::error::would_block) return OnWrite(ec, 0);
    WriteDeadline(config().body_timeout);
    http::async_write(stream_, *serializer_, Locked(&Session::OnWrite));
  }

  // A streamed answer: the header, then one chunk per upstream message, each
  // asked for only once the last is written (so at most one chunk of each
  // answer waits here), then the last chunk. An error after the header cuts
  // the connection without the last chunk: the client sees the answer is
  // incomplete.
  void DoWriteStreamHeader() {
    serializer_.emplace(*queue_.front().response);
    WriteDeadline(config().body_timeout);
    http::async_write_header(stream_, *serializer_, Locked(&Session::OnStreamHeader));
  }

  void OnStreamHeader(beast::error_code ec, std::size_t) {
    write_deadline_ = kNever;
    serializer_.reset();
    if (ec) return AbortStream();
    if (queue_.front().header_only) return FinishFront(queue_.front().close);
    DoPullChunk();
  }

  void DoPullChunk() {
    queue_.front().stream->Next([self = shared_from_this()](BodyStream::Chunk chunk) {
      self->PostLocked([chunk = std::move(chunk)](Session& s) mutable { s.OnChunk(std::move(chunk)); });
    });
  }

  void OnChunk(BodyStream::Chunk chunk) {
    if (!stream_.socket().is_open()) return AbortStream();
    const bool chunked = queue_.front().response->chunked();
    if (chunk.end && !chunk.status.ok()) return AbortStream();  // the transcoder logged why
    if (chunk.end) {
      if (!chunked) return FinishFront(queue_.front().sized ? queue_.front().close : true);  // HTTP/1.0: closing ends the body
      WriteDeadline(config().body_timeout);
      return net::async_write(stream_, http::make_chunk_last(), Locked(&Session::OnLastChunk));
    }
    chunk_ = std::move(chunk.data);
    server_.streamed_bytes_pending.fetch_add(chunk_.size());
    // Each write has its own deadline: a client that stops reading is cut off.
    WriteDeadline(config().body_timeout);
    if (!chunked) return net::async_write(stream_, net::buffer(chunk_), Locked(&Session::OnChunkWritten));
    net::async_write(stream_, http::make_chunk(net::buffer(chunk_)), Locked(&Session::OnChunkWritten));
  }

  void OnChunkWritten(beast::error_code ec, std::size_t) {
    write_deadline_ = kNever;
    server_.streamed_bytes_pending.fetch_sub(chunk_.size());
    chunk_.clear();
    if (ec) return AbortStream();
    DoPullChunk();
  }

  void OnLastChunk(beast::error_code ec, std::size_t) {
    write_deadline_ = kNever;
    if (ec) return AbortStream();
    FinishFront(queue_.front().close);
  }

  void AbortStream() {
    writing_ = false;
    closing_ = true;
    if (!queue_.empty() && queue_.front().stream) queue_.front().stream->Cancel();
    DoClose();
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    write_deadline_ = kNever;
    serializer_.reset();
    if (ec) {
      writing_ = false;
      return DoClose();
    }
    FinishFront(FrontEndsConnection());
  }

  // The front answer is the connection's last (asked for, or HTTP/1.0 without keep-alive).
  bool FrontEndsConnection() const { return queue_.front().close || queue_.front().response->need_eof(); }

  void PopFront() {
    writing_ = false;
    queue_.pop_front();
    ++first_seq_;
  }

  // The front answer is written: the next one, or the end of the connection.
  void FinishFront(bool close) {
    PopFront();
    if (close) {
      closing_ = true;
      return DoClose();
    }
    AfterAnswer();
  }

  // An answer is out: the next one, the next request, or the end.
  void AfterAnswer() {
    DoWrite();
    if (closing_ && queue_.empty() && !reading_) return DoClose();
    DoRead();
  }

  void DoClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    fd_ = -1;  // under mu_: no other thread writes to a descriptor number the kernel may reuse
    timer_.cancel();
  }

  beast::tcp_stream stream_;  // no expiry set: the deadlines are ours
  net::io_context& context_;  // the one whose thread runs this connection's handlers
  net::steady_timer timer_;
  SteadyClock::time_point timer_at_ = kNever;  // when timer_'s pending wait ends
  SteadyClock::time_point read_deadline_ = kNever;
  SteadyClock::time_point write_deadline_ = kNever;
  bool timed_out_ = false;
  std::mutex mu_;     // the connection's state, for the io thread and StoreAndSendHere
  int fd_;            // the socket's descriptor until DoClose; -1 after
  beast::flat_buffer buffer_;
  Server::Impl& server_;
  const std::string client_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response_serializer<http::string_body>> serializer_;  // the front answer's, while written
  std::string chunk_;  // the chunk being written
  std::deque<Slot> queue_;
  uint64_t first_seq_ = 0;  // sequence number of queue_.front()
  uint64_t next_seq_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;  // read no further requests
};

// A connection over the limits: a fixed 503 and the end, with no session
// (and no parsing) at all; the write fits any fresh socket's buffer.
void Shed(tcp::socket socket) {
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nServer: sportello-gateway\r\nRetry-After: 5\r\n"
      "Content-Type: application/problem+json\r\nConnection: close\r\nContent-Length: 100\r\n\r\n"
      R"({"type":"about:blank","title":"Servizio non disponibile","status":503,"detail":"troppe connessioni"})";
  static_assert(kBusy.size() - kBusy.find("\r\n\r\n") - 4 == 100);
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  net::async_write(*s, net::buffer(kBusy.data(), kBusy.size()), [s](beast::error_code, std::size_t) {
    beast::error_code ignored;
    s->shutdown(tcp::socket::shutdown_send, ignored);
    s->close(ignored);
  });
}

void DoAccept(Server::Impl* server) {
  // A connection's handlers need no strand: one thread runs its context.
  server->acceptor.async_accept(server->NextContext(), [server](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !server->acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors (or another transient failure): retrying at once
      // only spins; wait, and let closing connections free some.
      server->accept_failures.fetch_add(1);
      log::Warn("accept failed", {{"error", ec.message()}});
      server->accept_timer.expires_after(server->config.accept_backoff);
      server->accept_timer.async_wait([server](beast::error_code wait_ec) {
        if (!wait_ec) DoAccept(server);
      });
      return;
    }
    beast::error_code peer_ec;
    auto peer = socket.remote_endpoint(peer_ec);
    std::string client = peer_ec ? std::string() : peer.address().to_string();
    if (server->Admit(client)) {
      std::make_shared<Session>(std::move(socket), *server, std::move(client))->Run();
    } else {
      server->shed.fetch_add(1);
      Shed(std::move(socket));
    }
    DoAccept(server);
  });
}

}  // namespace

Server::Server(ServerConfig config, const Transcoder& transcoder, MetricsRegistry& metrics,
               ReadinessProbe readiness, std::string openapi_json, EdgeCache* cache)
    : impl_(std::make_shared<Impl>(std::move(config), transcoder, metrics, std::move(readiness),
                                   std::move(openapi_json), cache)) {}

Server::~Server() { Stop(); }

void Server::Start() {
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->config.address, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + impl_->config.address + "'");
  tcp::endpoint endpoint(address, impl_->config.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl_->config.address + ":" +
                             std::to_string(impl_->config.port) + ": " + ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  DoAccept(impl_.get());
  for (auto& ioc : impl_->iocs) impl_->threads.emplace_back([ioc = ioc.get()] { ioc->run(); });
}

uint16_t Server::port() const { return impl_->port; }

int64_t Server::StreamedBytesPending() const { return impl_->streamed_bytes_pending.load(); }

size_t Server::OpenConnections() const {
  std::lock_guard lock(impl_->connections_mu);
  return impl_->connections;
}

uint64_t Server::ShedConnections() const { return impl_->shed.load(); }
uint64_t Server::AcceptFailures() const { return impl_->accept_failures.load(); }

void Server::WaitForSignal() {
  net::io_context signals_ioc;
  net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_ioc.run();
}

void Server::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  // Drain: accept no more connections, let the requests already dispatched
  // get their answers (up to a grace period), then stop the io threads.
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->accept_timer.cancel();
  });
  auto grace_end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (impl_->in_flight.load() > 0 && std::chrono::steady_clock::now() < grace_end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // The answers just stored are written on the io threads: give them a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (auto& ioc : impl_->iocs) ioc->stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace sportello::gateway
