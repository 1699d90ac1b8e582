#pragma once
// The gRPC surface of the complaints service: request -> domain/store ->
// response. The only complaints file with generated gRPC service code.
#include <atomic>
#include <memory>

#include "common/cache/rate_limit.h"
#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "common/outbox/event_stream.h"
#include "services/complaints/catalogue_client.h"
#include "services/complaints/store.h"
#include "sportello/v1/complaints.grpc.pb.h"

namespace sportello::complaints {

namespace v1 = ::sportello::v1;

struct ComplaintsSettings {
  absl::Duration retention = absl::Hours(24 * 365);       // personal data kept after closure
  absl::Duration citizen_reopen_window = absl::Hours(24 * 30);
  int max_streams = 16;                                   // concurrent partner streams
  int max_streams_per_caller = 2;                         // of them, per token (tenant and subject)
  double submissions_per_minute = 20;                     // per client address and tenant, without a token
  // The gateways' addresses, exactly ("10.42.0.5", "::1"): only their
  // x-client-ip is believed. None by default: every peer is the client.
  std::vector<std::string> trusted_proxies;
  int submission_burst = 10;
  absl::Duration stream_poll = absl::Milliseconds(500);
  int max_exports = 4;                                    // CSV exports streaming at once
  int export_batch = 500;                                 // rows read (and sent) per chunk
};

class ComplaintsService final : public v1::ComplaintsService::CallbackService {
 public:
  ComplaintsService(RequestStore& store, Catalogue& catalogue, RpcRunner& rpc, cache::RedisCache& redis,
                    absl::TimeZone zone, const Clock& clock, ComplaintsSettings settings);

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* SubmitRequest(Ctx*, const v1::SubmitRequestRequest*, v1::SubmitRequestResponse*) override;
  Reactor* GetRequest(Ctx*, const v1::GetRequestRequest*, v1::Request*) override;
  Reactor* ListRequests(Ctx*, const v1::ListRequestsRequest*, v1::ListRequestsResponse*) override;
  Reactor* TransitionRequest(Ctx*, const v1::TransitionRequestRequest*, v1::Request*) override;
  Reactor* AssignRequest(Ctx*, const v1::AssignRequestRequest*, v1::Request*) override;
  Reactor* ForwardRequest(Ctx*, const v1::ForwardRequestRequest*, v1::Request*) override;
  Reactor* AddMessage(Ctx*, const v1::AddMessageRequest*, v1::HistoryEntry*) override;
  Reactor* ListHistory(Ctx*, const v1::ListHistoryRequest*, v1::ListHistoryResponse*) override;
  Reactor* DecideAccess(Ctx*, const v1::DecideAccessRequest*, v1::Request*) override;
  Reactor* ListAccessRegister(Ctx*, const v1::ListAccessRegisterRequest*, v1::ListAccessRegisterResponse*) override;
  Reactor* GetStats(Ctx*, const v1::GetStatsRequest*, v1::RequestStats*) override;
  grpc::ServerWriteReactor<v1::RawBody>* ExportRequests(Ctx*, const v1::ListRequestsRequest*) override;
  Reactor* SetRoutingRule(Ctx*, const v1::RoutingRule*, v1::RoutingRule*) override;
  Reactor* ListRoutingRules(Ctx*, const v1::ListRoutingRulesRequest*, v1::ListRoutingRulesResponse*) override;
  Reactor* PurgePersonalData(Ctx*, const v1::PurgePersonalDataRequest*, v1::PurgePersonalDataResponse*) override;
  Reactor* ResolveTrackingToken(Ctx*, const v1::ResolveTrackingTokenRequest*,
                                v1::ResolveTrackingTokenResponse*) override;
  Reactor* ListPublicRequests(Ctx*, const v1::ListPublicRequestsRequest*, v1::ListPublicRequestsResponse*) override;
  Reactor* ListPublicUpdates(Ctx*, const v1::ListPublicUpdatesRequest*, v1::ListPublicUpdatesResponse*) override;
  grpc::ServerWriteReactor<v1::Event>* StreamRequestEvents(Ctx*, const v1::StreamRequestEventsRequest*) override;
  Reactor* AddCounterParty(Ctx*, const v1::AddCounterPartyRequest*, v1::CounterParty*) override;
  Reactor* RecordObjection(Ctx*, const v1::RecordObjectionRequest*, v1::Request*) override;
  Reactor* RequestReview(Ctx*, const v1::RequestReviewRequest*, v1::Request*) override;
  Reactor* DecideReview(Ctx*, const v1::DecideReviewRequest*, v1::Request*) override;
  grpc::ServerWriteReactor<v1::RawBody>* ExportAccessRegister(Ctx*, const v1::ListAccessRegisterRequest*) override;

 private:
  // Loads a request and decides who the caller is for it; NOT_FOUND when the
  // caller is neither staff of its tenant nor holds its token.
  absl::StatusOr<std::pair<Request, Actor>> Authorize(const Caller& caller, const std::string& number,
                                                      const std::string& token, bool with_reporter);
  // The register's filters; INVALID_ARGUMENT with field violations.
  absl::StatusOr<AccessFilter> RegisterFilter(const v1::ListAccessRegisterRequest& req) const;
  // A status change through the lifecycle rules, with history and event.
  absl::StatusOr<Request> Move(const std::string& number, const Caller& caller, bool token_ok, Status to,
                               const std::string& note, bool public_note, const std::string& duplicate_of);

  RequestStore& store_;
  Catalogue& catalogue_;  // CachedCatalogue in the binary (catalogue_cache.h)
  cache::RateLimiter submissions_;
  RpcRunner& rpc_;
  absl::TimeZone zone_;
  const Clock& clock_;  // every decision's "now": deadlines, reopen window, retention
  ComplaintsSettings settings_;
  outbox::EventStreams streams_;
  std::shared_ptr<std::atomic<int>> exports_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace sportello::complaints
