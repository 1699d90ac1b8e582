// The consultations' storage (schema `surveys`): consultations beside their
// surveys, moderated comments, commenters apart. Named SQL beside the
// method that runs it; time always comes from the caller.
#include "absl/strings/numbers.h"
#include "common/db/pool.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/surveys/store.h"
#include "services/surveys/store_internal.h"

namespace sportello::surveys {
namespace {

const std::string kConsultationColumns =
    "c.id::text AS id, c.tenant, c.survey_id::text AS survey_id, c.title, c.description, c.document_url, "
    "to_char(c.open_date, 'YYYY-MM-DD') AS open_date, to_char(c.close_date, 'YYYY-MM-DD') AS close_date, " +
    db::Micros("c.open_time", "open_us") + ", " + db::Micros("c.close_time", "close_us") +
    ", c.eligibility, c.comments_enabled, coalesce(c.response_text, '') AS response_text, c.response_url, " +
    db::Micros("c.response_time", "response_us") + ", " + db::Micros("c.create_time", "create_us") + ", " +
    db::Micros("c.update_time", "update_us") + ", "
    "(SELECT v.questions::text FROM surveys.survey_versions v JOIN surveys.surveys s ON s.id = v.survey_id "
    "  AND s.version = v.version WHERE s.id = c.survey_id) AS questions, "
    "(SELECT count(*) FROM surveys.consultation_comments k WHERE k.consultation_id = c.id "
    "  AND k.state = 'approved') AS approved_comments";

const db::Statement kInsertConsultation{
    "surveys.insert_consultation",
    "INSERT INTO surveys.consultations (tenant, survey_id, title, description, document_url, open_date, close_date, "
    "open_time, close_time, eligibility, comments_enabled, create_time, update_time) "
    "VALUES ($1, $2::uuid, $3, $4, $5, $6::date, $7::date, " + db::T(8) + ", " + db::T(9) + ", $10, $11, " + db::T(12) +
    ", " + db::T(12) + ") RETURNING id::text AS id"};

const db::Statement kSelectConsultation{
    "surveys.select_consultation", "SELECT " + kConsultationColumns + " FROM surveys.consultations c WHERE c.id = $1::uuid"};

const db::Statement kLockConsultation{
    "surveys.lock_consultation",
    "SELECT " + kConsultationColumns + " FROM surveys.consultations c WHERE c.id = $1::uuid FOR UPDATE OF c"};

const db::Statement kShareConsultation{
    "surveys.share_consultation",
    "SELECT " + kConsultationColumns + " FROM surveys.consultations c WHERE c.id = $1::uuid FOR SHARE OF c"};

// Newest first; the phase at $2: scheduled, open, closed or '' for any.
const db::Statement kListConsultations{
    "surveys.list_consultations",
    "SELECT " + kConsultationColumns +
        " FROM surveys.consultations c WHERE c.tenant = $1"
        "   AND ($3 = '' OR ($3 = 'scheduled' AND " + db::T(2) + " < c.open_time)"
        "        OR ($3 = 'open' AND " + db::T(2) + " >= c.open_time AND " + db::T(2) + " < c.close_time)"
        "        OR ($3 = 'closed' AND " + db::T(2) + " >= c.close_time))"
        "   AND ($4 = '' OR (c.create_time, c.id) < (" + db::T(5) + ", nullif($4, '')::uuid))"
        " ORDER BY c.create_time DESC, c.id DESC LIMIT $6"};

const db::Statement kUpdateConsultation{
    "surveys.update_consultation",
    "UPDATE surveys.consultations SET close_time = " + db::T(2) +
    ", response_text = nullif($3, ''), response_url = $4, "
    "response_time = CASE WHEN $5::bigint < 0 THEN NULL ELSE " + db::T(5) + " END, update_time = " + db::T(6) +
    " WHERE id = $1::uuid"};

const db::Statement kUpdateSurveyWindow{
    "surveys.update_survey_window",
    "UPDATE surveys.surveys SET close_time = " + db::T(2) + ", update_time = " + db::T(3) + " WHERE id = $1::uuid"};

const std::string kCommentColumns =
    "k.id::text AS id, k.consultation_id::text AS consultation_id, k.tenant, k.text, k.state, k.rejection_reason, "
    "k.invited, " + db::Micros("k.create_time", "create_us") + ", " + db::Micros("k.moderate_time", "moderate_us");

const db::Statement kInsertComment{
    "surveys.insert_comment",
    "INSERT INTO surveys.consultation_comments (tenant, consultation_id, text, invited, create_time) "
    "VALUES ($1, $2::uuid, $3, $4, " + db::T(5) + ") RETURNING id::text AS id"};

const db::Statement kInsertAuthor{
    "surveys.insert_comment_author",
    "INSERT INTO surveys.comment_authors (comment_id, name, email, create_time) VALUES ($1::uuid, $2, $3, " + db::T(4) +
        ")"};

const db::Statement kSelectComment{
    "surveys.select_comment", "SELECT " + kCommentColumns + " FROM surveys.consultation_comments k WHERE k.id = $1::uuid"};

const db::Statement kLockComment{
    "surveys.lock_comment",
    "SELECT " + kCommentColumns + " FROM surveys.consultation_comments k WHERE k.id = $1::uuid FOR UPDATE"};

const db::Statement kModerateComment{
    "surveys.moderate_comment",
    "UPDATE surveys.consultation_comments SET state = $2, rejection_reason = $3, moderate_time = " + db::T(4) +
    ", moderator = $5 WHERE id = $1::uuid"};

// Oldest first; keyset on (create_time, id); authors only when $6.
const db::Statement kListComments{
    "surveys.list_comments",
    "SELECT " + kCommentColumns +
        ", CASE WHEN $6 THEN coalesce(a.name, '') ELSE '' END AS author_name,"
        "  CASE WHEN $6 THEN coalesce(a.email, '') ELSE '' END AS author_email"
        " FROM surveys.consultation_comments k LEFT JOIN surveys.comment_authors a ON a.comment_id = k.id"
        " WHERE k.consultation_id = $1::uuid AND ($2 = '' OR k.state = $2)"
        "   AND ($3 = '' OR (k.create_time, k.id) > (" + db::T(4) + ", nullif($3, '')::uuid))"
        " ORDER BY k.create_time, k.id LIMIT $5"};

absl::Status ConsultationNotFound(const std::string& id) {
  return absl::NotFoundError("consultazione " + id + " non trovata");
}
absl::Status CommentNotFound(const std::string& id) { return absl::NotFoundError("commento " + id + " non trovato"); }

absl::CivilDay DayOf(const std::string& text) {
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);
  return day;
}

Consultation ConsultationFromRow(const pqxx::row& r) {
  Consultation c;
  c.id = r["id"].as<std::string>();
  c.tenant = r["tenant"].as<std::string>();
  c.survey_id = r["survey_id"].as<std::string>();
  c.title = r["title"].as<std::string>();
  c.description = r["description"].as<std::string>();
  c.document_url = r["document_url"].as<std::string>();
  c.window.open_day = DayOf(r["open_date"].as<std::string>());
  c.window.close_day = DayOf(r["close_date"].as<std::string>());
  c.window.open_time = absl::FromUnixMicros(r["open_us"].as<long long>());
  c.window.close_time = absl::FromUnixMicros(r["close_us"].as<long long>());
  c.eligibility = EligibilityFromName(r["eligibility"].as<std::string>()).value_or(Eligibility::kAnyone);
  c.comments_enabled = r["comments_enabled"].as<bool>();
  c.questions = QuestionsFromJson(r["questions"].is_null() ? "[]" : r["questions"].as<std::string>())
                    .value_or(std::vector<Question>{});
  c.approved_comments = r["approved_comments"].as<long long>();
  c.response_text = r["response_text"].as<std::string>();
  c.response_url = r["response_url"].as<std::string>();
  c.respond_time = db::OptTime(r["response_us"]);
  c.create_time = absl::FromUnixMicros(r["create_us"].as<long long>());
  c.update_time = absl::FromUnixMicros(r["update_us"].as<long long>());
  return c;
}

Comment CommentFromRow(const pqxx::row& r, bool with_authors) {
  Comment c;
  c.id = r["id"].as<std::string>();
  c.consultation_id = r["consultation_id"].as<std::string>();
  c.tenant = r["tenant"].as<std::string>();
  c.text = r["text"].as<std::string>();
  c.state = CommentStateFromName(r["state"].as<std::string>()).value_or(CommentState::kPending);
  c.rejection_reason = r["rejection_reason"].as<std::string>();
  c.invited = r["invited"].as<bool>();
  c.create_time = absl::FromUnixMicros(r["create_us"].as<long long>());
  c.moderate_time = db::OptTime(r["moderate_us"]);
  if (with_authors) {
    c.author_name = r["author_name"].as<std::string>();
    c.author_email = r["author_email"].as<std::string>();
  }
  return c;
}

// A keyset token of (micros, uuid); empty for the first page.
absl::StatusOr<std::pair<long long, std::string>> Keyset(const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  if (after.empty()) return std::pair<long long, std::string>{0, ""};
  long long micros = 0;
  if (!LooksLikeUuid(after[1]) || !absl::SimpleAtoi(after[0], &micros)) return InvalidPageToken();
  return std::pair<long long, std::string>{micros, after[1]};
}

}  // namespace

absl::StatusOr<Consultation> SurveyStore::CreateConsultation(const Consultation& c, const Survey& survey,
                                                             absl::Time now) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Consultation> {
    ASSIGN_OR_RETURN(Survey s, InsertSurvey(tx, survey, now));
    auto rows = db::Exec(tx, kInsertConsultation, c.tenant, s.id, c.title, c.description, c.document_url,
                         absl::FormatCivilTime(c.window.open_day), absl::FormatCivilTime(c.window.close_day),
                         Micros(c.window.open_time), Micros(c.window.close_time),
                         std::string(EligibilityName(c.eligibility)), c.comments_enabled, Micros(now));
    std::string id = rows.at(0)["id"].as<std::string>();
    return ConsultationFromRow(db::Exec(tx, kSelectConsultation, id).at(0));
  });
}

absl::StatusOr<Consultation> SurveyStore::GetConsultation(const std::string& id) {
  if (!LooksLikeUuid(id)) return ConsultationNotFound(id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Consultation> {
    auto rows = db::Exec(tx, kSelectConsultation, id);
    if (rows.empty()) return ConsultationNotFound(id);
    return ConsultationFromRow(rows[0]);
  });
}

absl::StatusOr<Page<Consultation>> SurveyStore::ListConsultations(const ConsultationFilter& f, int page_size,
                                                                  const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, Keyset(page_token));
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Consultation>> {
    Page<Consultation> page;
    std::string phase = f.phase ? std::string(PhaseName(*f.phase)) : "";
    for (const auto& row :
         db::Exec(tx, kListConsultations, f.tenant, Micros(f.now), phase, after.second, after.first, page_size + 1)) {
      page.items.push_back(ConsultationFromRow(row));
    }
    TrimPage(page, page_size, [](const Consultation& c) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(c.create_time)), c.id};
    });
    return page;
  });
}

absl::StatusOr<Consultation> SurveyStore::UpdateConsultation(const std::string& id, absl::Time now,
                                                             const std::function<absl::Status(Consultation&)>& change) {
  if (!LooksLikeUuid(id)) return ConsultationNotFound(id);
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Consultation> {
    auto rows = db::Exec(tx, kLockConsultation, id);
    if (rows.empty()) return ConsultationNotFound(id);
    Consultation current = ConsultationFromRow(rows[0]);
    Consultation c = current;
    RETURN_IF_ERROR(change(c));
    db::Exec(tx, kUpdateConsultation, id, Micros(c.window.close_time), c.response_text, c.response_url,
             c.respond_time ? Micros(*c.respond_time) : -1LL, Micros(now));
    if (c.window.close_time != current.window.close_time) {
      db::Exec(tx, kUpdateSurveyWindow, c.survey_id, Micros(c.window.close_time), Micros(now));
    }
    return ConsultationFromRow(db::Exec(tx, kSelectConsultation, id).at(0));
  });
}

absl::StatusOr<Comment> SurveyStore::InsertComment(const Comment& comment, absl::Time now,
                                                   const std::function<absl::Status(const Consultation&)>& check) {
  if (!LooksLikeUuid(comment.consultation_id)) return ConsultationNotFound(comment.consultation_id);
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Comment> {
    auto rows = db::Exec(tx, kShareConsultation, comment.consultation_id);
    if (rows.empty()) return ConsultationNotFound(comment.consultation_id);
    Consultation c = ConsultationFromRow(rows[0]);
    RETURN_IF_ERROR(check(c));
    auto inserted = db::Exec(tx, kInsertComment, c.tenant, c.id, comment.text, comment.invited, Micros(now));
    std::string id = inserted.at(0)["id"].as<std::string>();
    if (!comment.author_name.empty() || !comment.author_email.empty()) {
      db::Exec(tx, kInsertAuthor, id, comment.author_name, comment.author_email, Micros(now));
    }
    return CommentFromRow(db::Exec(tx, kSelectComment, id).at(0), false);
  });
}

absl::StatusOr<Comment> SurveyStore::GetComment(const std::string& id) {
  if (!LooksLikeUuid(id)) return CommentNotFound(id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Comment> {
    auto rows = db::Exec(tx, kSelectComment, id);
    if (rows.empty()) return CommentNotFound(id);
    return CommentFromRow(rows[0], false);
  });
}

absl::StatusOr<Comment> SurveyStore::ModerateComment(const std::string& id, absl::Time now,
                                                     const std::string& moderator,
                                                     const std::function<absl::Status(Comment&)>& change) {
  if (!LooksLikeUuid(id)) return CommentNotFound(id);
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Comment> {
    auto rows = db::Exec(tx, kLockComment, id);
    if (rows.empty()) return CommentNotFound(id);
    Comment c = CommentFromRow(rows[0], false);
    RETURN_IF_ERROR(change(c));
    db::Exec(tx, kModerateComment, id, std::string(CommentStateName(c.state)), c.rejection_reason, Micros(now),
             moderator);
    return CommentFromRow(db::Exec(tx, kSelectComment, id).at(0), false);
  });
}

absl::StatusOr<Page<Comment>> SurveyStore::ListComments(const CommentFilter& f, int page_size,
                                                        const std::string& page_token) {
  if (!LooksLikeUuid(f.consultation_id)) return ConsultationNotFound(f.consultation_id);
  ASSIGN_OR_RETURN(auto after, Keyset(page_token));
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Comment>> {
    Page<Comment> page;
    std::string state = f.state ? std::string(CommentStateName(*f.state)) : "";
    for (const auto& row : db::Exec(tx, kListComments, f.consultation_id, state, after.second, after.first,
                                    page_size + 1, f.with_authors)) {
      page.items.push_back(CommentFromRow(row, true));
    }
    TrimPage(page, page_size, [](const Comment& c) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(c.create_time)), c.id};
    });
    return page;
  });
}

}  // namespace sportello::surveys
