#pragma once
// The gRPC surface of the surveys service: request -> domain/store ->
// response. With event_sink.h, the only surveys files with generated gRPC
// service code.
#include "common/cache/rate_limit.h"
#include "common/cache/redis.h"
#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "common/outbox/event_stream.h"
#include "services/surveys/catalogue_client.h"
#include "services/surveys/complaints_client.h"
#include "services/surveys/config.h"
#include "services/surveys/store.h"
#include "sportello/v1/surveys.grpc.pb.h"

namespace sportello::surveys {

namespace v1 = ::sportello::v1;

// Staff of `tenant` who read everything (operators, referents, communication).
bool IsStaff(const Caller& c, const std::string& tenant);
// PERMISSION_DENIED unless an operator or communication member of `tenant`.
absl::Status CheckWriter(const Caller& c, const std::string& tenant);

class SurveysService final : public v1::SurveysService::CallbackService {
 public:
  SurveysService(SurveyStore& store, CatalogueClient& catalogue, ComplaintsClient& complaints, RpcRunner& rpc,
                 cache::RedisCache& redis, const Clock& clock, absl::TimeZone zone, SurveysSettings settings);

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* CreateSurvey(Ctx*, const v1::CreateSurveyRequest*, v1::Survey*) override;
  Reactor* ListSurveys(Ctx*, const v1::ListSurveysRequest*, v1::ListSurveysResponse*) override;
  Reactor* GetSurvey(Ctx*, const v1::GetSurveyRequest*, v1::Survey*) override;
  Reactor* UpdateSurvey(Ctx*, const v1::UpdateSurveyRequest*, v1::Survey*) override;
  Reactor* OpenSurvey(Ctx*, const v1::OpenSurveyRequest*, v1::Survey*) override;
  Reactor* CloseSurvey(Ctx*, const v1::CloseSurveyRequest*, v1::Survey*) override;
  Reactor* SubmitResponse(Ctx*, const v1::SubmitResponseRequest*, v1::SubmitResponseResponse*) override;
  Reactor* ListResponses(Ctx*, const v1::ListResponsesRequest*, v1::ListResponsesResponse*) override;
  Reactor* ExportResponses(Ctx*, const v1::ExportResponsesRequest*, v1::RawBody*) override;
  Reactor* MintInvitations(Ctx*, const v1::MintInvitationsRequest*, v1::MintInvitationsResponse*) override;
  Reactor* GetInvitation(Ctx*, const v1::GetInvitationRequest*, v1::InvitationView*) override;
  Reactor* GetRequestSurvey(Ctx*, const v1::GetRequestSurveyRequest*, v1::InvitationView*) override;
  Reactor* GetSurveyResults(Ctx*, const v1::GetSurveyResultsRequest*, v1::SurveyResults*) override;
  Reactor* GetIndices(Ctx*, const v1::GetIndicesRequest*, v1::GetIndicesResponse*) override;
  Reactor* SubmitResponseBatch(Ctx*, const v1::SubmitResponseBatchRequest*,
                               v1::SubmitResponseBatchResponse*) override;
  grpc::ServerWriteReactor<v1::Event>* StreamSurveyEvents(Ctx*, const v1::StreamSurveyEventsRequest*) override;

  // Public consultations (consultations_service.cpp).
  Reactor* CreateConsultation(Ctx*, const v1::CreateConsultationRequest*, v1::Consultation*) override;
  Reactor* ListConsultations(Ctx*, const v1::ListConsultationsRequest*, v1::ListConsultationsResponse*) override;
  Reactor* GetConsultation(Ctx*, const v1::GetConsultationRequest*, v1::Consultation*) override;
  Reactor* CloseConsultation(Ctx*, const v1::CloseConsultationRequest*, v1::Consultation*) override;
  Reactor* SubmitComment(Ctx*, const v1::SubmitCommentRequest*, v1::ConsultationComment*) override;
  Reactor* ListComments(Ctx*, const v1::ListCommentsRequest*, v1::ListCommentsResponse*) override;
  Reactor* ApproveComment(Ctx*, const v1::ApproveCommentRequest*, v1::ConsultationComment*) override;
  Reactor* RejectComment(Ctx*, const v1::RejectCommentRequest*, v1::ConsultationComment*) override;
  Reactor* GetConsultationResults(Ctx*, const v1::GetConsultationResultsRequest*, v1::ConsultationResults*) override;
  Reactor* RespondConsultation(Ctx*, const v1::RespondConsultationRequest*, v1::Consultation*) override;

 private:
  // A survey the caller may change: NOT_FOUND / PERMISSION_DENIED otherwise.
  absl::StatusOr<Survey> StaffSurvey(const Caller& caller, const std::string& id);
  // A survey the caller may see: open or published for everyone, any for its staff.
  absl::StatusOr<Survey> VisibleSurvey(const Caller& caller, const std::string& id);
  // The service and office a survey names belong to its tenant (asked of the catalogue).
  absl::Status CheckCatalogue(const std::string& tenant, const std::string& service_id, const std::string& office_id);
  absl::StatusOr<Survey> Move(const Caller& caller, const std::string& id, SurveyStatus to);
  // Checks and stores one response; the id and whether it was a duplicate.
  struct Stored {
    std::string response_id;
    bool duplicate = false;
  };
  absl::StatusOr<Stored> Answer(const Caller& caller, const v1::SubmitResponseRequest& req,
                                const std::string& client_ip);
  enum class ClaimState { kOurs, kStored, kNoRedis };
  absl::StatusOr<ClaimState> Claim(const std::string& claim);
  absl::StatusOr<IndexTable> IndicesOf(const Survey& s, const FactsFilter& filter, Grouping grouping);
  // Per-question results and the total of one version of a survey,
  // suppressed below the tenant's threshold: surveys' and consultations' results.
  absl::Status Results(const Survey& current, int version, v1::SurveyResults* out);
  // A consultation the caller may change: NOT_FOUND / PERMISSION_DENIED otherwise.
  absl::StatusOr<Consultation> StaffConsultation(const Caller& caller, const std::string& id);
  absl::StatusOr<Comment> Moderate(const Caller& caller, const std::string& id, CommentState to,
                                   const std::string& reason);

  SurveyStore& store_;
  CatalogueClient& catalogue_;
  ComplaintsClient& complaints_;
  RpcRunner& rpc_;
  cache::RedisCache& redis_;
  cache::RateLimiter answers_;
  cache::RateLimiter comments_;  // anonymous comments, per client address (or invitation) and consultation
  const Clock& clock_;
  absl::TimeZone zone_;
  SurveysSettings settings_;
  outbox::EventStreams streams_;  // partners' survey.answered streams
};

}  // namespace sportello::surveys
