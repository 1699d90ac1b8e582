// sportello-grpc-load: a closed-loop load client for CatalogueService/GetTenant,
// or for a raw unary echo (the limit of any gRPC round trip on this machine).
//
//   sportello-grpc-load --target 127.0.0.1:50051 --ipa c_f027 --connections 32 --seconds 10
//   sportello-grpc-load --serve-echo 127.0.0.1:0      # prints "port=N", serves until killed
//   sportello-grpc-load --target 127.0.0.1:N --method echo --connections 32 --seconds 10
//
// The echo server is a callback generic service that answers each unary call
// with the bytes it got (the serialized GetTenantRequest), with no auth, no
// worker hop, no logging: what is left is gRPC itself.
//
// Keeps --connections calls outstanding at all times (each finished call starts
// the next one, as wrk does with its connections), spread round-robin over
// --channels channels, each with its own TCP connection. Records every call's
// latency and prints one line:
//
//   requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. errors=..
//
// It uses gRPC's callback API: the calls complete on gRPC's own threads, so
// the client needs no threads of its own. With --starter-threads N, each next
// call is started from one of N threads of the client's own instead, as a
// server that is not itself gRPC must (the gateway's io threads): what that
// costs gRPC's client, next to the same load without them.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/absl_mutex.h"
#include "common/worker_pool.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;  // latencies
// gRPC deadlines are system_clock time points.
auto DeadlineIn(int seconds) { return std::chrono::system_clock::now() + std::chrono::seconds(seconds); }

struct Options {
  std::string target = "127.0.0.1:50051";
  std::string ipa = "c_f027";
  std::string token;  // optional bearer token
  int connections = 32;
  int channels = 4;
  double seconds = 10;
  std::string method = "tenant";  // or "echo"
  std::string serve_echo;         // host:port: be the echo server instead
  int starter_threads = 0;        // 0: each call starts the next on gRPC's thread
};

constexpr char kEchoMethod[] = "/sportello.bench.Echo/Echo";

// Reads the one request message and writes it back.
class EchoReactor : public grpc::ServerGenericBidiReactor {
 public:
  EchoReactor() { StartRead(&buffer_); }
  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::OK);
    StartWriteAndFinish(&buffer_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer buffer_;
};

class EchoService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    return new EchoReactor;
  }
};

int ServeEcho(const std::string& address) {
  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&service);
  auto server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "sportello-grpc-load: cannot listen on %s\n", address.c_str());
    return 1;
  }
  std::printf("port=%d\n", port);
  std::fflush(stdout);
  server->Wait();
  return 0;
}

[[noreturn]] void Usage(int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "Usage: sportello-grpc-load [--target HOST:PORT] [--ipa CODE] [--connections N]\n"
               "                           [--seconds S] [--channels C] [--token JWT] [--method tenant|echo]\n"
               "                           [--starter-threads N]\n"
               "       sportello-grpc-load --serve-echo HOST:PORT\n"
               "Calls sportello.v1.CatalogueService/GetTenant with N calls outstanding for S\n"
               "seconds over C channels and prints requests, rps, p50_ms and p99_ms.\n");
  std::exit(code);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") Usage(0);
    if (i + 1 >= argc) Usage(2);
    std::string value = argv[++i];
    if (arg == "--target") o.target = value;
    else if (arg == "--ipa") o.ipa = value;
    else if (arg == "--token") o.token = value;
    else if (arg == "--connections") o.connections = std::atoi(value.c_str());
    else if (arg == "--channels") o.channels = std::atoi(value.c_str());
    else if (arg == "--seconds") o.seconds = std::atof(value.c_str());
    else if (arg == "--method") o.method = value;
    else if (arg == "--serve-echo") o.serve_echo = value;
    else if (arg == "--starter-threads") o.starter_threads = std::atoi(value.c_str());
    else Usage(2);
  }
  if (o.connections < 1 || o.channels < 1 || o.seconds <= 0 || o.starter_threads < 0 ||
      (o.method != "tenant" && o.method != "echo")) {
    Usage(2);
  }
  o.channels = std::min(o.channels, o.connections);
  return o;
}

// One outstanding call at a time, restarted on completion until the end time
// (on `starters` when given). A slot's calls never overlap, so its latencies
// need no lock.
class Slot {
 public:
  Slot(sportello::v1::CatalogueService::Stub* stub, grpc::GenericStub* echo, const Options& opt, Clock::time_point end,
       std::atomic<int>* active, std::mutex* mu, std::condition_variable* done, sportello::WorkerPool* starters)
      : stub_(stub), echo_(echo), opt_(opt), end_(end), active_(active), mu_(mu), done_(done), starters_(starters) {
    request_.set_ipa_code(opt.ipa);
    std::string bytes = request_.SerializeAsString();
    grpc::Slice slice(bytes);
    echo_request_ = grpc::ByteBuffer(&slice, 1);
    latencies_us_.reserve(1 << 16);
  }

  void Start() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(DeadlineIn(5));
    if (!opt_.token.empty()) context_->AddMetadata("authorization", "Bearer " + opt_.token);
    response_.Clear();
    started_ = Clock::now();
    if (echo_ != nullptr) {
      echo_->UnaryCall(context_.get(), kEchoMethod, grpc::StubOptions(), &echo_request_, &echo_response_,
                       [this](grpc::Status status) { OnDone(status); });
      return;
    }
    stub_->async()->GetTenant(context_.get(), &request_, &response_,
                              [this](grpc::Status status) { OnDone(status); });
  }

  const std::vector<uint32_t>& latencies_us() const { return latencies_us_; }
  uint64_t errors() const { return errors_; }
  const std::string& first_error() const { return first_error_; }

 private:
  void OnDone(const grpc::Status& status) {
    auto now = Clock::now();
    if (status.ok()) {
      latencies_us_.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - started_).count()));
    } else {
      if (errors_++ == 0) first_error_ = status.error_message();
    }
    if (now < end_) {
      // At most one task a slot is queued: the pool, sized for all, never refuses.
      if (starters_ != nullptr) return static_cast<void>(starters_->Submit([this] { Start(); }));
      Start();
      return;
    }
    std::lock_guard<std::mutex> lock(*mu_);
    if (--*active_ == 0) done_->notify_all();
  }

  sportello::v1::CatalogueService::Stub* stub_;
  grpc::GenericStub* echo_;  // set: the echo instead of GetTenant
  grpc::ByteBuffer echo_request_, echo_response_;
  const Options& opt_;
  Clock::time_point end_;
  std::atomic<int>* active_;
  std::mutex* mu_;
  std::condition_variable* done_;
  sportello::WorkerPool* starters_;  // null: the next call starts on gRPC's callback thread

  std::unique_ptr<grpc::ClientContext> context_;
  sportello::v1::GetTenantRequest request_;
  sportello::v1::Tenant response_;
  Clock::time_point started_;
  std::vector<uint32_t> latencies_us_;
  uint64_t errors_ = 0;
  std::string first_error_;
};

double PercentileMs(std::vector<uint32_t>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted_us.size() - 1) + 0.5);
  return sorted_us[i] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  sportello::NoMutexDeadlockDetection();
  Options opt = ParseArgs(argc, argv);
  if (!opt.serve_echo.empty()) return ServeEcho(opt.serve_echo);
  const bool echo = opt.method == "echo";

  // Separate channels share one TCP connection unless each has its own
  // subchannel pool.
  std::vector<std::unique_ptr<sportello::v1::CatalogueService::Stub>> stubs;
  std::vector<std::unique_ptr<grpc::GenericStub>> echo_stubs;
  for (int c = 0; c < opt.channels; ++c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel = grpc::CreateCustomChannel(opt.target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(DeadlineIn(10))) {
      std::fprintf(stderr, "sportello-grpc-load: cannot connect to %s\n", opt.target.c_str());
      return 1;
    }
    stubs.push_back(sportello::v1::CatalogueService::NewStub(channel));
    echo_stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }

  // One call first, so that a wrong target or IPA code fails loudly.
  if (!echo) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(5));
    if (!opt.token.empty()) context.AddMetadata("authorization", "Bearer " + opt.token);
    sportello::v1::GetTenantRequest request;
    request.set_ipa_code(opt.ipa);
    sportello::v1::Tenant tenant;
    grpc::Status status = stubs[0]->GetTenant(&context, request, &tenant);
    if (!status.ok()) {
      std::fprintf(stderr, "sportello-grpc-load: GetTenant(%s) failed: %d %s\n", opt.ipa.c_str(),
                   static_cast<int>(status.error_code()), status.error_message().c_str());
      return 1;
    }
  }

  std::mutex mu;
  std::condition_variable done;
  std::atomic<int> active{opt.connections};
  auto start = Clock::now();
  auto end = start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(opt.seconds));
  std::optional<sportello::WorkerPool> starters;
  if (opt.starter_threads > 0) starters.emplace(opt.starter_threads, static_cast<size_t>(opt.connections));
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < opt.connections; ++i) {
    slots.push_back(std::make_unique<Slot>(stubs[i % opt.channels].get(),
                                           echo ? echo_stubs[i % opt.channels].get() : nullptr, opt, end,
                                           &active, &mu, &done, starters ? &*starters : nullptr));
  }
  for (auto& slot : slots) slot->Start();
  {
    std::unique_lock<std::mutex> lock(mu);
    done.wait(lock, [&] { return active.load() == 0; });
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  starters.reset();  // idle by now: every slot has had its last call

  std::vector<uint32_t> all;
  uint64_t errors = 0;
  std::string first_error;
  for (auto& slot : slots) {
    all.insert(all.end(), slot->latencies_us().begin(), slot->latencies_us().end());
    if (slot->errors() > 0 && first_error.empty()) first_error = slot->first_error();
    errors += slot->errors();
  }
  std::sort(all.begin(), all.end());
  std::printf("requests=%zu seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%llu\n",
              all.size(), elapsed, static_cast<double>(all.size()) / elapsed,
              PercentileMs(all, 0.50), PercentileMs(all, 0.99),
              static_cast<unsigned long long>(errors));
  if (errors > 0) std::fprintf(stderr, "sportello-grpc-load: first error: %s\n", first_error.c_str());
  return 0;
}
