#include "common/grpc/rpc.h"

#include <random>

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "google/api/annotations.pb.h"
#include "common/grpc/status.h"
#include "common/grpc/tls.h"
#include "common/log.h"
#include "common/request_id.h"

namespace sportello {
namespace {

std::string Metadata(const grpc::CallbackServerContext* ctx, std::string_view key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return std::string(it->second.data(), it->second.size());
}

std::string Language(const std::string& accept_language) {
  // The first listed language wins; Italian unless English is preferred.
  std::string first = absl::AsciiStrToLower(accept_language.substr(0, accept_language.find_first_of(",;")));
  return absl::StartsWith(absl::StripAsciiWhitespace(first), "en") ? "en" : "it";
}

}  // namespace

absl::StatusOr<std::unique_ptr<RpcRunner>> RpcRunner::Create(std::string_view service_name,
                                                             const auth::TokenVerifier& verifier,
                                                             WorkerPool& workers, MetricsRegistry& metrics,
                                                             cache::ChangeAnnouncer* changes) {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(std::string(service_name));
  if (!service) return absl::NotFoundError("unknown service " + std::string(service_name));
  auto policy = auth::AccessPolicy::ForService(service);
  if (!policy.ok()) return policy.status();
  std::set<std::string, std::less<>> writes;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* m = service->method(i);
    const bool read = m->options().HasExtension(google::api::http) &&
                      m->options().GetExtension(google::api::http).pattern_case() == google::api::HttpRule::kGet;
    if (!read) writes.insert(m->name());
  }
  return std::unique_ptr<RpcRunner>(new RpcRunner(service->full_name(), *std::move(policy), verifier, workers,
                                                  metrics, changes, std::move(writes)));
}

RpcRunner::RpcRunner(std::string service, auth::AccessPolicy policy, const auth::TokenVerifier& verifier,
                     WorkerPool& workers, MetricsRegistry& metrics, cache::ChangeAnnouncer* changes,
                     std::set<std::string, std::less<>> writes)
    : service_(std::move(service)), policy_(std::move(policy)), verifier_(verifier), workers_(workers),
      metrics_(metrics), changes_(changes), writes_(std::move(writes)) {}

absl::StatusOr<Caller> RpcRunner::Authorize(grpc::CallbackServerContext* ctx, std::string_view method) const {
  Caller caller;
  caller.request_id = Metadata(ctx, "x-request-id");
  if (!log::UsableRequestId(caller.request_id)) caller.request_id = log::NewRequestId();
  caller.language = Language(Metadata(ctx, "accept-language"));
  if (ctx->deadline() != std::chrono::system_clock::time_point::max()) caller.deadline = absl::FromChrono(ctx->deadline());
  auto principal = policy_.Authorize(method, Metadata(ctx, "authorization"), verifier_);
  if (!principal.ok()) return principal.status();
  // A partner's certificate names its administration: the token must be of the same.
  if (absl::Status s = CheckPeerMatchesToken(PeerIdentityOf(*ctx), *principal); !s.ok()) return s;
  caller.principal = *std::move(principal);
  return caller;
}

grpc::ServerUnaryReactor* RpcRunner::Run(grpc::CallbackServerContext* ctx, std::string_view method_name,
                                         std::function<absl::Status(const Caller&)> work) {
  return Run(ctx, method_name, nullptr, std::move(work));
}

grpc::ServerUnaryReactor* RpcRunner::Run(
    grpc::CallbackServerContext* ctx, std::string_view method_name,
    const std::function<std::optional<absl::Status>(const Caller&)>& from_memory,
    std::function<absl::Status(const Caller&)> work) {
  absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  std::string method(method_name);
  auto caller = Authorize(ctx, method);
  if (!caller.ok()) {
    Finish(reactor, method, Caller{}, caller.status(), start);
    return reactor;
  }
  if (from_memory) {
    if (std::optional<absl::Status> answered = from_memory(*caller)) {
      Finish(reactor, method, *caller, *answered, start);
      return reactor;
    }
  }
  bool queued = workers_.Submit([this, reactor, method, caller = *caller, work = std::move(work), start] {
    absl::Status status;
    try {
      status = work(caller);
    } catch (const std::exception& e) {
      // A bug, not a condition to recover from: answer INTERNAL and log it.
      log::Error("unhandled exception", {{"method", method}, {"error", std::string_view(e.what())}});
      status = absl::InternalError("internal error");
    }
    Finish(reactor, method, caller, status, start);
  });
  if (!queued) Finish(reactor, method, *caller, absl::ResourceExhaustedError("server busy, retry later"), start);
  return reactor;
}

log::Level RpcLogLevel(const absl::Status& status, bool authenticated, std::string_view method, double seconds) {
  constexpr double kSlowCall = 0.25;  // seconds: a read slower than this is logged anyway
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss: return log::Level::kError;
    case absl::StatusCode::kOk: break;
    default: return log::Level::kInfo;
  }
  const auto starts = [&](std::string_view prefix) { return method.substr(0, prefix.size()) == prefix; };
  const bool read = starts("Get") || starts("List") || starts("Search");  // AIP's standard reads and search
  return read && !authenticated && seconds < kSlowCall ? log::Level::kDebug : log::Level::kInfo;
}

void RpcRunner::Finish(grpc::ServerUnaryReactor* reactor, const std::string& method, const Caller& caller,
                       const absl::Status& status, absl::Time start) {
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::string code(CodeName(status.code()));
  metrics_.Increment("sportello_rpc_requests_total", {{"service", service_}, {"method", method}, {"code", code}});
  metrics_.Observe("sportello_rpc_duration_seconds", {{"service", service_}, {"method", method}}, seconds);
  const log::Level level = RpcLogLevel(status, caller.principal.authenticated, method, seconds);
  log::Write(level, "rpc",
             {{"method", method}, {"code", code}, {"ms", seconds * 1000}, {"request_id", caller.request_id},
              {"sub", caller.principal.subject}, {"error", std::string(status.message())}});
  // Announced before the caller hears OK: its next read misses every gateway's cache.
  if (changes_ != nullptr && status.ok() && writes_.count(method) > 0) {
    changes_->Announce(caller.principal.tenant, method);
  }
  reactor->Finish(ToGrpcStatus(status));
}

}  // namespace sportello
