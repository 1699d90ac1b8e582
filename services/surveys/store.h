#pragma once
// The surveys' storage in PostgreSQL (schema `surveys`): surveys and their
// versioned questions, invitations (token hashes only), responses and
// answers, free text apart, and the ids of consumed events. The only surveys
// file with SQL; time always comes from the caller (who reads the Clock).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/group_commit.h"
#include "common/page_token.h"
#include "services/surveys/consultations.h"
#include "services/surveys/model.h"

namespace sportello::db {
class Pool;
}

namespace sportello::surveys {

struct SurveyFilter {
  std::string tenant;
  std::optional<SurveyStatus> status;
  std::string service_id, office_id;
  bool visible_only = false;    // open or published: what the public lists
  bool published_only = false;  // results public: what public indices cover
};

// A response ready to store. When `invitation_token_hash` or
// `request_number` is set, the response uses that invitation: unknown ->
// NOT_FOUND, expired at `now` -> FAILED_PRECONDITION, already answered ->
// ALREADY_EXISTS (a unique constraint decides between concurrent ones).
struct NewResponse {
  std::string survey_id, tenant;
  int version = 1;  // the version the answers were checked against
  Channel channel = Channel::kUnspecified;
  std::string service_id, office_id;
  std::optional<int> headline;
  std::vector<Answer> answers;  // checked; text answers with their text
  std::string invitation_token_hash;
  std::string request_number;
  std::string partner_submission_id;
  absl::Time now;
};

// What a stored text answer reads as: that one was given, never its words.
inline constexpr char kTextGiven[] = "\x01";

struct StoredResponse {
  std::string id;
  int version = 1;
  absl::Time time;
  Channel channel = Channel::kUnspecified;
  bool invited = false;
  std::vector<Answer> answers;  // text answers read as kTextGiven
};

struct Invitation {
  std::string id, survey_id, tenant;
  std::string request_number;
  std::string service_id, office_id;  // what its answer counts under
  Channel channel = Channel::kUnspecified;
  absl::Time expire_time;
  bool answered = false;
};

struct NewInvitations {
  std::string survey_id, tenant;
  std::vector<std::string> token_hashes;
  Channel channel = Channel::kUnspecified;
  std::string service_id, office_id;
  absl::Time now, expire_time;
};

// What a `request.closed` event asks for: an invitation to the tenant's
// post-resolution survey (created when the tenant has none).
struct ClosedRequest {
  std::string event_id, tenant, type, request_number;
  std::string service_id, office_id;
  Channel channel = Channel::kUnspecified;
  absl::Time now, expire_time;
};

enum class EventOutcome { kInvited, kAlreadyProcessed, kRequestHasOne };

struct IndexFacts {
  std::vector<ResponseFacts> responses;
  std::vector<InvitationFacts> invitations;
};

struct FactsFilter {
  std::string service_id, office_id;
  Channel channel = Channel::kUnspecified;
  absl::Time from, to;
};

struct ConsultationFilter {
  std::string tenant;
  std::optional<Phase> phase;  // at `now`
  absl::Time now;
};

struct CommentFilter {
  std::string consultation_id;
  std::optional<CommentState> state;
  bool with_authors = false;  // staff: names and e-mails
};

class SurveyStore {
 public:
  // `metrics`, when given, counts the answers' shared transactions.
  explicit SurveyStore(db::Pool& pool, MetricsRegistry* metrics = nullptr)
      : pool_(pool),
        answers_("surveys.answer", kAnswersTogether, kAnswerBatches,
                 [this](std::vector<AnswerJob*>& batch) { AnswerTogether(batch); }, metrics) {}

  // The pool, for common's outbox readers (partners' stream).
  db::Pool& pool() { return pool_; }

  // Inserts the survey and its first version; the id, version and times are set.
  absl::StatusOr<Survey> Create(const Survey& survey, absl::Time now);
  // With the current version's questions; NOT_FOUND when unknown.
  absl::StatusOr<Survey> Get(const std::string& id);
  // With the questions of `version`.
  absl::StatusOr<Survey> GetVersion(const std::string& id, int version);
  absl::StatusOr<Page<Survey>> List(const SurveyFilter& filter, int page_size, const std::string& page_token);

  // Changes a survey under its row lock: `change` sees the current survey
  // and whether its current version has responses, and edits it. A changed
  // version number stores new questions; otherwise they are replaced in place.
  absl::StatusOr<Survey> Update(const std::string& id, absl::Time now,
                                const std::function<absl::Status(Survey&, bool has_responses)>& change);

  // Stores a response and its answers; the response id. FAILED_PRECONDITION
  // when the survey is no longer open, ABORTED when its questions changed
  // since the answers were checked, ALREADY_EXISTS for a partner submission
  // id seen before.
  // Checks the survey takes the answer (open, in its window, still at
  // n.version) under a lock on its row, and the invitation if any.
  absl::StatusOr<std::string> InsertResponse(const NewResponse& response);
  // The response id stored under a partner submission id, if any.
  absl::StatusOr<std::optional<std::string>> FindPartnerSubmission(const std::string& survey_id,
                                                                   const std::string& submission_id);

  absl::StatusOr<Page<StoredResponse>> ListResponses(const std::string& survey_id, int page_size,
                                                     const std::string& page_token);
  // Every response of one version, oldest first, at most `limit`.
  absl::StatusOr<std::vector<StoredResponse>> ResponsesOfVersion(const std::string& survey_id, int version,
                                                                 int limit);

  absl::Status MintInvitations(const NewInvitations& invitations);
  absl::StatusOr<Invitation> InvitationByToken(const std::string& token_hash);
  absl::StatusOr<Invitation> InvitationByRequest(const std::string& tenant, const std::string& number);

  // Idempotent by event id and by request number, in one transaction. The
  // tenant's open post-resolution survey gets the invitation; without one,
  // `fallback` is created first.
  absl::StatusOr<EventOutcome> InviteClosedRequest(const ClosedRequest& request, const Survey& fallback);

  // Facts for the indices of one survey, responses within [from, to).
  absl::StatusOr<IndexFacts> Facts(const std::string& survey_id, const FactsFilter& filter);

  // Deletes free-text answers and commenters' names and e-mails written
  // before `before`; how many rows.
  absl::StatusOr<long long> PurgeTexts(absl::Time before);

  // ---- Consultations (consultation_store.cpp)

  // Inserts the consultation and its survey (`survey`: open, with the
  // consultation's window) in one transaction.
  absl::StatusOr<Consultation> CreateConsultation(const Consultation& c, const Survey& survey, absl::Time now);
  // With its survey's current questions; NOT_FOUND when unknown.
  absl::StatusOr<Consultation> GetConsultation(const std::string& id);
  absl::StatusOr<Page<Consultation>> ListConsultations(const ConsultationFilter& filter, int page_size,
                                                       const std::string& page_token);
  // Under the consultation's row lock: `change` may move close_time
  // earlier (the survey's window follows) or attach the response.
  absl::StatusOr<Consultation> UpdateConsultation(const std::string& id, absl::Time now,
                                                  const std::function<absl::Status(Consultation&)>& change);

  // Stores a comment (and its author apart, when given) after `check`
  // passes on the consultation under a share lock: a comment cannot slip in
  // while the consultation closes.
  absl::StatusOr<Comment> InsertComment(const Comment& comment, absl::Time now,
                                        const std::function<absl::Status(const Consultation&)>& check);
  // Moderates under the comment's row lock; `change` edits state and reason.
  absl::StatusOr<Comment> ModerateComment(const std::string& id, absl::Time now, const std::string& moderator,
                                          const std::function<absl::Status(Comment&)>& change);
  absl::StatusOr<Comment> GetComment(const std::string& id);
  // Oldest first; keyset on (create_time, id).
  absl::StatusOr<Page<Comment>> ListComments(const CommentFilter& filter, int page_size,
                                             const std::string& page_token);

 private:
  absl::StatusOr<std::string> InsertOpenResponse(const NewResponse& response);
  absl::StatusOr<std::string> InsertInvitedResponse(const NewResponse& response);

  // An answer of InsertOpenResponse, run with others (AnswerTogether).
  struct AnswerJob {
    const NewResponse* response;
    absl::StatusOr<std::string> result = absl::UnknownError("not run");
  };
  void AnswerTogether(std::vector<AnswerJob*>& batch);
  // As complaints' submissions (services/complaints/store.h).
  static constexpr size_t kAnswersTogether = 32;
  static constexpr int kAnswerBatches = 2;

  db::Pool& pool_;
  GroupCommit<AnswerJob> answers_;
};

// Questions as JSON (the survey_versions document); exposed for tests.
std::string QuestionsToJson(const std::vector<Question>& questions);
absl::StatusOr<std::vector<Question>> QuestionsFromJson(const std::string& json);

}  // namespace sportello::surveys
