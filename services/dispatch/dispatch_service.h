#pragma once
// The gRPC surface of the dispatch service: request -> domain/store ->
// response. The only dispatch file with generated gRPC service code.
#include <optional>

#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "common/outbox/event_stream.h"
#include "services/dispatch/approval.h"
#include "services/dispatch/secrets.h"
#include "services/dispatch/store.h"
#include "sportello/v1/dispatch.grpc.pb.h"

namespace sportello::dispatch {

namespace v1 = ::sportello::v1;

class DispatchService final : public v1::DispatchService::CallbackService {
 public:
  // `keyring` seals credentials given in clear (none: only env:NAME accepted).
  // `zone`: the administrations' legal time (campaign days in the calendar).
  DispatchService(DispatchStore& store, RpcRunner& rpc, const Clock& clock, std::optional<Keyring> keyring,
                  absl::TimeZone zone, outbox::StreamLimits stream_limits = {});

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* ListAccounts(Ctx*, const v1::ListAccountsRequest*, v1::ListAccountsResponse*) override;
  Reactor* CreateAccount(Ctx*, const v1::CreateAccountRequest*, v1::Account*) override;
  Reactor* UpdateAccount(Ctx*, const v1::UpdateAccountRequest*, v1::Account*) override;
  Reactor* CreateMessage(Ctx*, const v1::CreateMessageRequest*, v1::Message*) override;
  Reactor* GetMessage(Ctx*, const v1::GetMessageRequest*, v1::Message*) override;
  Reactor* ListMessages(Ctx*, const v1::ListMessagesRequest*, v1::ListMessagesResponse*) override;
  Reactor* UpdateMessage(Ctx*, const v1::UpdateMessageRequest*, v1::Message*) override;
  Reactor* SubmitMessage(Ctx*, const v1::MessageActionRequest*, v1::Message*) override;
  Reactor* ApproveMessage(Ctx*, const v1::MessageActionRequest*, v1::Message*) override;
  Reactor* RejectMessage(Ctx*, const v1::MessageActionRequest*, v1::Message*) override;
  Reactor* PublishUrgent(Ctx*, const v1::MessageActionRequest*, v1::Message*) override;
  Reactor* WithdrawMessage(Ctx*, const v1::MessageActionRequest*, v1::Message*) override;
  Reactor* ListMessageDeliveries(Ctx*, const v1::ListMessageDeliveriesRequest*, v1::ListDeliveriesResponse*) override;
  Reactor* ListDeliveries(Ctx*, const v1::ListDeliveriesRequest*, v1::ListDeliveriesResponse*) override;
  Reactor* RetryDelivery(Ctx*, const v1::DeliveryActionRequest*, v1::Delivery*) override;
  Reactor* DiscardDelivery(Ctx*, const v1::DeliveryActionRequest*, v1::Delivery*) override;
  Reactor* CreateBlackout(Ctx*, const v1::CreateBlackoutRequest*, v1::Blackout*) override;
  Reactor* ListBlackouts(Ctx*, const v1::ListBlackoutsRequest*, v1::ListBlackoutsResponse*) override;
  Reactor* GetBlackoutReport(Ctx*, const v1::GetBlackoutReportRequest*, v1::BlackoutReport*) override;
  Reactor* ListPublished(Ctx*, const v1::ListPublishedRequest*, v1::ListPublishedResponse*) override;
  Reactor* ListCampaigns(Ctx*, const v1::ListCampaignsRequest*, v1::ListCampaignsResponse*) override;
  Reactor* CreateCampaign(Ctx*, const v1::CreateCampaignRequest*, v1::Campaign*) override;
  Reactor* GetCampaign(Ctx*, const v1::GetCampaignRequest*, v1::Campaign*) override;
  Reactor* UpdateCampaign(Ctx*, const v1::UpdateCampaignRequest*, v1::Campaign*) override;
  Reactor* GetCalendar(Ctx*, const v1::GetCalendarRequest*, v1::Calendar*) override;
  Reactor* GetSocialMediaPolicy(Ctx*, const v1::GetSocialMediaPolicyRequest*, v1::SocialMediaPolicy*) override;
  Reactor* ListSocialMediaPolicyVersions(Ctx*, const v1::GetSocialMediaPolicyRequest*,
                                         v1::ListSocialMediaPolicyVersionsResponse*) override;
  Reactor* PublishSocialMediaPolicy(Ctx*, const v1::PublishSocialMediaPolicyRequest*, v1::SocialMediaPolicy*) override;
  grpc::ServerWriteReactor<v1::Event>* StreamDispatchEvents(Ctx*, const v1::StreamDispatchEventsRequest*) override;

 private:
  enum class Action { kSubmit, kApprove, kReject, kUrgent, kWithdraw };
  absl::Status Act(const Caller& caller, const v1::MessageActionRequest& req, Action action, v1::Message* resp);
  // The message, when the caller is staff of its tenant (else NOT_FOUND).
  absl::StatusOr<Message> Load(const Caller& caller, const std::string& id);
  absl::StatusOr<std::string> SealCredential(const std::string& credential) const;
  // The campaign `id` of `tenant` ("" passes): INVALID_ARGUMENT at `field` otherwise.
  absl::Status CheckCampaignOf(const std::string& tenant, const std::string& id, const std::string& field);
  absl::StatusOr<std::vector<Variant>> Variants(const Message& m, const std::vector<Account>& accounts,
                                                const std::vector<Variant>& hand) const;

  DispatchStore& store_;
  RpcRunner& rpc_;
  const Clock& clock_;
  std::optional<Keyring> keyring_;
  absl::TimeZone zone_;
  outbox::EventStreams streams_;
};

}  // namespace sportello::dispatch
