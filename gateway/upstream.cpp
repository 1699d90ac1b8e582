#include "gateway/upstream.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_callback.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "common/log.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace sportello::gateway {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Counts calls in flight so that shutdown can cancel them and wait.
class InFlight {
 public:
  // False once closed: the call must not start. `cancel` stops the call and
  // owns what it touches: CloseAndWait may run it just after the call has
  // left, when its callback may already have dropped the context.
  bool Enter(grpc::ClientContext* ctx, std::function<void()> cancel) {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    contexts_.emplace(ctx, std::move(cancel));
    return true;
  }
  void Leave(grpc::ClientContext* ctx) {
    std::lock_guard lock(mu_);
    contexts_.erase(ctx);
    if (contexts_.empty()) cv_.notify_all();
  }
  bool Busy(grpc::ClientContext* ctx) {
    std::lock_guard lock(mu_);
    return contexts_.count(ctx) > 0;
  }
  void CloseAndWait() {
    std::vector<std::function<void()>> cancels;
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      for (const auto& [ctx, cancel] : contexts_) cancels.push_back(cancel);
    }
    // Outside the lock: a cancel may finish its call (and Leave) at once.
    for (const auto& cancel : cancels) cancel();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return contexts_.empty(); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<grpc::ClientContext*, std::function<void()>> contexts_;
  bool closed_ = false;
};

// One server-streaming call on the callback API. A hold keeps the call open
// between reads, so that the next message is read only when the consumer
// asks (Next): gRPC's flow control then holds the service back. The reactor
// owns itself (self_) until OnDone.
class StreamReactor final : public grpc::ClientReadReactor<grpc::ByteBuffer>, public UpstreamStream {
 public:
  StreamReactor(StreamHandlers handlers, InFlight& in_flight)
      : handlers_(std::move(handlers)), in_flight_(in_flight) {}

  grpc::ClientContext& context() { return ctx_; }
  grpc::ByteBuffer& request() { return request_; }

  // Starts the call and its first read; false when shutting down.
  bool Start(const std::shared_ptr<StreamReactor>& self, grpc::ChannelInterface* channel,
             const std::string& method_path) {
    if (!in_flight_.Enter(&ctx_, [self] { self->Cancel(); })) return false;
    self_ = self;
    grpc::internal::ClientCallbackReaderFactory<grpc::ByteBuffer>::Create(
        channel, grpc::internal::RpcMethod(method_path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING),
        &ctx_, &request_, this);
    AddHold();
    reading_ = true;
    StartRead(&response_);
    StartCall();
    return true;
  }

  void Next() override {
    {
      std::lock_guard lock(mu_);
      if (reading_ || released_) return;
      reading_ = true;
    }
    // Outside the lock: OnReadDone takes it.
    response_.Clear();
    StartRead(&response_);
  }

  void Cancel() override {
    ctx_.TryCancel();
    // With no read pending nothing else would release the hold, and OnDone
    // would never come.
    bool release = false;
    {
      std::lock_guard lock(mu_);
      if (!reading_ && !released_) release = released_ = true;
    }
    if (release) RemoveHold();
  }

  void OnReadDone(bool ok) override {
    bool release = false;
    std::string bytes;
    {
      std::lock_guard lock(mu_);
      reading_ = false;
      if (!ok && !released_) release = released_ = true;
    }
    if (release) return RemoveHold();  // the stream is over: OnDone brings the status
    if (!ok) return;
    std::vector<grpc::Slice> slices;
    if (response_.Dump(&slices).ok()) {
      for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    try {
      handlers_.on_message(std::move(bytes));
    } catch (const std::exception& e) {
      log::Error("stream message callback threw", {{"error", std::string_view(e.what())}});
      Cancel();
    }
  }

  void OnDone(const grpc::Status& status) override {
    in_flight_.Leave(&ctx_);
    try {
      handlers_.on_done(FromGrpcStatus(status));
    } catch (const std::exception& e) {
      log::Error("stream done callback threw", {{"error", std::string_view(e.what())}});
    }
    handlers_ = {};
    self_.reset();  // may destroy this
  }

 private:
  grpc::ClientContext ctx_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  StreamHandlers handlers_;
  InFlight& in_flight_;
  std::shared_ptr<StreamReactor> self_;
  std::mutex mu_;
  bool reading_ = false;   // a StartRead is outstanding
  bool released_ = false;  // the hold is gone: no more reads
};

std::shared_ptr<grpc::Channel> MakeChannel(const UpstreamTarget& target) {
  // TLS with the gateway's certificate when configured; otherwise plain text
  // (the services sit on loopback or inside the cluster network).
  grpc::ChannelArguments args;
  // CSV exports exceed gRPC's default 4 MiB; a bigger answer is a bug to see, not a 429.
  args.SetMaxReceiveMessageSize(64 << 20);
  return ServiceChannel(target.address, target.tls, args);
}

}  // namespace

struct GrpcUpstream::Impl {
  struct Target {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  struct CallState {
    grpc::ClientContext ctx;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    Upstream::Done done;
  };
  std::map<std::string, Target> targets;  // read-only after construction
  InFlight in_flight;
};

GrpcUpstream::GrpcUpstream(const std::vector<UpstreamTarget>& targets) : impl_(std::make_shared<Impl>()) {
  for (const auto& t : targets) {
    Impl::Target target;
    target.channel = MakeChannel(t);
    target.stub = std::make_unique<grpc::GenericStub>(target.channel);
    impl_->targets.emplace(t.name, std::move(target));
  }
}

GrpcUpstream::~GrpcUpstream() { Shutdown(); }

void GrpcUpstream::Shutdown() { impl_->in_flight.CloseAndWait(); }

void GrpcUpstream::Call(const std::string& upstream, const std::string& method_path,
                        std::string request_bytes, Metadata md, std::chrono::milliseconds deadline,
                        Done done) {
  auto it = impl_->targets.find(upstream);
  if (it == impl_->targets.end()) {
    return done(absl::UnavailableError("no upstream configured for '" + upstream + "'"), "");
  }
  // gRPC aborts the process on a metadata value outside printable ASCII, and
  // these come from client headers: refuse them here instead.
  for (const auto& [key, value] : md) {
    for (unsigned char c : value) {
      if (c < 0x20 || c > 0x7E) {
        return done(InvalidArgument({{key, "caratteri non ammessi nell'intestazione " + key}}), "");
      }
    }
  }
  auto state = std::make_shared<Impl::CallState>();
  state->ctx.set_deadline(std::chrono::system_clock::now() + deadline);
  for (auto& [key, value] : md) state->ctx.AddMetadata(key, value);
  grpc::Slice slice(request_bytes);
  state->request = grpc::ByteBuffer(&slice, 1);
  state->done = std::move(done);
  if (!impl_->in_flight.Enter(&state->ctx, [state] { state->ctx.TryCancel(); })) {
    return state->done(absl::UnavailableError("gateway shutting down"), "");
  }
  // The callback runs on a gRPC thread; the caller posts onward as it needs.
  it->second.stub->UnaryCall(
      &state->ctx, method_path, grpc::StubOptions(), &state->request, &state->response,
      [state, impl = impl_](grpc::Status status) {
        std::string bytes;
        if (status.ok()) {
          std::vector<grpc::Slice> slices;
          if (state->response.Dump(&slices).ok()) {
            for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
          }
        }
        // Leave first: an exception from `done` must not keep the call
        // counted (Shutdown would wait for it forever).
        impl->in_flight.Leave(&state->ctx);
        try {
          state->done(FromGrpcStatus(status), std::move(bytes));
        } catch (const std::exception& e) {
          log::Error("upstream callback threw", {{"error", std::string_view(e.what())}});
        }
      });
}

std::shared_ptr<UpstreamStream> GrpcUpstream::Stream(const std::string& upstream, const std::string& method_path,
                                                     std::string request_bytes, Metadata md,
                                                     std::chrono::milliseconds deadline, StreamHandlers handlers) {
  auto it = impl_->targets.find(upstream);
  if (it == impl_->targets.end()) {
    handlers.on_done(absl::UnavailableError("no upstream configured for '" + upstream + "'"));
    return nullptr;
  }
  for (const auto& [key, value] : md) {
    for (unsigned char c : value) {
      if (c < 0x20 || c > 0x7E) {
        handlers.on_done(InvalidArgument({{key, "caratteri non ammessi nell'intestazione " + key}}));
        return nullptr;
      }
    }
  }
  auto on_done = handlers.on_done;
  auto reactor = std::make_shared<StreamReactor>(std::move(handlers), impl_->in_flight);
  reactor->context().set_deadline(std::chrono::system_clock::now() + deadline);
  for (auto& [key, value] : md) reactor->context().AddMetadata(key, value);
  grpc::Slice slice(request_bytes);
  reactor->request() = grpc::ByteBuffer(&slice, 1);
  if (!reactor->Start(reactor, it->second.channel.get(), method_path)) {
    on_done(absl::UnavailableError("gateway shutting down"));
    return nullptr;
  }
  return reactor;
}

struct HealthWatcher::Impl {
  // Rounds that must fail in a row before a SERVING upstream is reported
  // UNREACHABLE. With several replicas behind one address each round asks
  // one of them (round_robin), so one replica killed or caught mid-restart
  // fails a round now and then: the next round asks another replica.
  static constexpr int kFailuresToUnreachable = 2;

  struct Target {
    std::string name;
    std::unique_ptr<grpc::health::v1::Health::Stub> stub;
    std::string state = "UNKNOWN";
    int failures = 0;  // rounds failed in a row
    // Current check, reused when the previous one has finished.
    std::unique_ptr<grpc::ClientContext> ctx;
    HealthCheckRequest request;
    HealthCheckResponse response;
  };
  std::chrono::milliseconds interval;
  std::chrono::milliseconds timeout;
  std::vector<std::unique_ptr<Target>> targets;
  mutable std::mutex mu;  // guards states, failures and stop
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
  InFlight in_flight;

  void CheckAll() {
    for (auto& target : targets) {
      Target* t = target.get();
      if (t->ctx && in_flight.Busy(t->ctx.get())) continue;  // the last check is still running
      t->ctx = std::make_unique<grpc::ClientContext>();
      t->ctx->set_deadline(std::chrono::system_clock::now() + timeout);
      t->response.Clear();
      grpc::ClientContext* ctx = t->ctx.get();
      // The context lives in its target until the next round or until the
      // watcher is gone, after CloseAndWait: the cancel may point at it.
      if (!in_flight.Enter(ctx, [ctx] { ctx->TryCancel(); })) return;
      t->stub->async()->Check(ctx, &t->request, &t->response, [this, t, ctx](grpc::Status status) {
        {
          std::lock_guard lock(mu);
          if (status.ok()) {
            t->state = HealthCheckResponse::ServingStatus_Name(t->response.status());
            t->failures = 0;
          } else if (++t->failures >= kFailuresToUnreachable || t->state != "SERVING") {
            t->state = "UNREACHABLE (" + std::string(CodeName(static_cast<absl::StatusCode>(status.error_code()))) + ")";
          }
        }
        in_flight.Leave(ctx);
      });
    }
  }

  void Loop() {
    std::unique_lock lock(mu);
    while (!stop) {
      lock.unlock();
      CheckAll();
      lock.lock();
      cv.wait_for(lock, interval, [&] { return stop; });
    }
  }
};

HealthWatcher::HealthWatcher(std::vector<UpstreamTarget> targets, std::chrono::milliseconds interval,
                             std::chrono::milliseconds timeout)
    : impl_(std::make_shared<Impl>()) {
  impl_->interval = interval;
  impl_->timeout = timeout;
  for (const auto& t : targets) {
    auto target = std::make_unique<Impl::Target>();
    target->name = t.name;
    target->stub = grpc::health::v1::Health::NewStub(MakeChannel(t));
    impl_->targets.push_back(std::move(target));
  }
}

HealthWatcher::~HealthWatcher() { Stop(); }

void HealthWatcher::Start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->thread.joinable() || impl_->stop) return;
  impl_->thread = std::thread([impl = impl_.get()] { impl->Loop(); });
}

void HealthWatcher::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->in_flight.CloseAndWait();
}

HealthReport HealthWatcher::Snapshot() const {
  HealthReport report;
  report.ready = true;
  std::lock_guard lock(impl_->mu);
  for (const auto& t : impl_->targets) {
    report.states.emplace_back(t->name, t->state);
    if (t->state != "SERVING") report.ready = false;
  }
  return report;
}

}  // namespace sportello::gateway
