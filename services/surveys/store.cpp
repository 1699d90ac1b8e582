#include "services/surveys/store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "common/status.h"
#include "services/surveys/rules.h"
#include "services/surveys/store_internal.h"

namespace sportello::surveys {
namespace json = boost::json;
namespace {

const std::string kSurveyColumns =
    "s.id::text AS id, s.tenant, s.title, s.description, s.template, s.status, s.service_id, s.office_id, "
    "s.channel, s.access, s.published, v.version, v.questions::text AS questions, v.headline, " +
    db::Micros("s.create_time", "create_us") + ", " + db::Micros("s.update_time", "update_us") + ", " +
    db::Micros("s.open_time", "open_us") + ", " + db::Micros("s.close_time", "close_us");

const db::Statement kInsertSurvey{
    "surveys.insert_survey",
    "INSERT INTO surveys.surveys (tenant, title, description, template, status, service_id, office_id, channel, "
    "access, published, version, create_time, update_time, open_time, close_time) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, " + db::T(11) + ", " + db::T(11) + ", "
    "CASE WHEN $12::bigint < 0 THEN NULL ELSE " + db::T(12) + " END, "
    "CASE WHEN $13::bigint < 0 THEN NULL ELSE " + db::T(13) + " END) "
    "RETURNING id::text AS id"};

const db::Statement kInsertVersion{
    "surveys.insert_version",
    "INSERT INTO surveys.survey_versions (survey_id, version, questions, headline, create_time) "
    "VALUES ($1::uuid, $2, $3::jsonb, $4, " + db::T(5) + ")"};

const db::Statement kSelectSurvey{
    "surveys.select_survey",
    "SELECT " + kSurveyColumns +
        " FROM surveys.surveys s JOIN surveys.survey_versions v ON v.survey_id = s.id AND v.version = s.version"
        " WHERE s.id = $1::uuid"};

const db::Statement kSelectSurveyVersion{
    "surveys.select_survey_version",
    "SELECT " + kSurveyColumns +
        " FROM surveys.surveys s JOIN surveys.survey_versions v ON v.survey_id = s.id AND v.version = $2"
        " WHERE s.id = $1::uuid"};

const db::Statement kLockSurvey{
    "surveys.lock_survey",
    "SELECT " + kSurveyColumns +
        " FROM surveys.surveys s JOIN surveys.survey_versions v ON v.survey_id = s.id AND v.version = s.version"
        " WHERE s.id = $1::uuid FOR UPDATE OF s"};

// Newest first; keyset on (create_time, id); empty filters match every row.
const db::Statement kListSurveys{
    "surveys.list_surveys",
    "SELECT " + kSurveyColumns +
        " FROM surveys.surveys s JOIN surveys.survey_versions v ON v.survey_id = s.id AND v.version = s.version"
        " WHERE s.tenant = $1 AND ($2 = '' OR s.status = $2) AND ($3 = '' OR s.service_id = $3)"
        "   AND ($4 = '' OR s.office_id = $4) AND (NOT $5 OR s.status = 'open' OR s.published)"
        "   AND ($6 = '' OR (s.create_time, s.id) < (" + db::T(7) + ", nullif($6, '')::uuid))"
        "   AND (NOT $9 OR s.published)"
        // A consultation's survey is listed as the consultation.
        "   AND NOT EXISTS (SELECT 1 FROM surveys.consultations c WHERE c.survey_id = s.id)"
        " ORDER BY s.create_time DESC, s.id DESC LIMIT $8"};

const db::Statement kHasResponses{
    "surveys.has_responses",
    "SELECT EXISTS (SELECT 1 FROM surveys.responses WHERE survey_id = $1::uuid AND version = $2) AS has"};

const db::Statement kUpdateSurvey{
    "surveys.update_survey",
    "UPDATE surveys.surveys SET title = $2, description = $3, status = $4, service_id = $5, office_id = $6, "
    "channel = $7, access = $8, published = $9, version = $10, update_time = " + db::T(11) + " WHERE id = $1::uuid"};

const db::Statement kReplaceVersion{
    "surveys.replace_version",
    "UPDATE surveys.survey_versions SET questions = $3::jsonb, headline = $4 WHERE survey_id = $1::uuid AND version = $2"};

const db::Statement kLockForAnswer{
    "surveys.lock_for_answer",
    "SELECT status, version, " + db::Micros("open_time", "open_us") + ", " + db::Micros("close_time", "close_us") +
    " FROM surveys.surveys WHERE id = $1::uuid FOR SHARE"};

const std::string kInvitationColumns =
    "i.id::text AS id, i.survey_id::text AS survey_id, i.tenant, coalesce(i.request_number, '') AS request_number, "
    "i.service_id, i.office_id, i.channel, " + db::Micros("i.expire_time", "expire_us") +
    ", EXISTS (SELECT 1 FROM surveys.responses r WHERE r.invitation_id = i.id) AS answered";

const db::Statement kInvitationByHash{"surveys.invitation_by_hash", "SELECT " + kInvitationColumns +
                                                                        " FROM surveys.invitations i"
                                                                        " WHERE i.token_hash = $1"};

const db::Statement kInvitationByRequest{"surveys.invitation_by_request",
                                         "SELECT " + kInvitationColumns +
                                             " FROM surveys.invitations i"
                                             " WHERE i.tenant = $1 AND i.request_number = $2"};

const db::Statement kInsertResponse{
    "surveys.insert_response",
    "INSERT INTO surveys.responses (tenant, survey_id, version, invitation_id, partner_submission_id, channel, "
    "service_id, office_id, headline, create_time) VALUES ($1, $2::uuid, $3, nullif($4, '')::uuid, nullif($5, ''), "
    "$6, $7, $8, nullif($9, '')::int, " + db::T(10) + ") RETURNING id::text AS id"};

// Answers arrive as one JSON array (AnswersToJson): [{"q": code, "c":
// [choices], "v": value, "t": text}], each element `a` read into the
// columns of surveys.answers and surveys.answer_texts by these.
const std::string kInsertAnswersInto =
    "INSERT INTO surveys.answers (response_id, question, choices, value, has_text) ";
const std::string kAnswerColumns =
    "a->>'q', ARRAY(SELECT jsonb_array_elements_text(coalesce(a->'c', '[]'::jsonb))), (a->>'v')::int, a ? 't'";
const std::string kInsertTextsInto = "INSERT INTO surveys.answer_texts (response_id, question, text, create_time) ";

const db::Statement kInsertAnswers{
    "surveys.insert_answers",
    kInsertAnswersInto + "SELECT $1::uuid, " + kAnswerColumns + " FROM jsonb_array_elements($2::jsonb) a"};

const db::Statement kInsertTexts{
    "surveys.insert_texts",
    kInsertTextsInto + "SELECT $1::uuid, a->>'q', a->>'t', " + db::T(3) +
        " FROM jsonb_array_elements($2::jsonb) a WHERE a ? 't'"};

// An answer that needs no invitation, without its event: the survey locked
// against a close or a new version (FOR SHARE, as kLockForAnswer), the
// response ($11, its id) and its answers ($10, the JSON of kInsertAnswers)
// inserted only while the survey takes them (the condition of
// CheckTakesAnswer). Its event is appended after it, in the same
// transaction, if the response is there (SurveyStore::AnswerTogether).
const db::Statement kInsertOpenResponse{
    "surveys.insert_open_response",
    "WITH survey AS ("
    " SELECT status, version, open_time, close_time FROM surveys.surveys WHERE id = $2::uuid FOR SHARE),"
    " resp AS ("
    " INSERT INTO surveys.responses (id, tenant, survey_id, version, partner_submission_id, channel, service_id,"
    " office_id, headline, create_time)"
    " SELECT $11::uuid, $1, $2::uuid, $3, nullif($4, ''), $5, $6, $7, nullif($8, '')::int, " + db::T(9) +
        " FROM survey s"
    " WHERE s.status = 'open' AND s.version = $3 AND (s.open_time IS NULL OR " + db::T(9) + " >= s.open_time)"
    " AND (s.close_time IS NULL OR " + db::T(9) + " < s.close_time)"
    " RETURNING id, create_time),"
    " answers AS (" + kInsertAnswersInto + "SELECT resp.id, " + kAnswerColumns +
        " FROM resp, jsonb_array_elements($10::jsonb) a RETURNING 1)"
    " " + kInsertTextsInto + "SELECT resp.id, a->>'q', a->>'t', resp.create_time"
    " FROM resp, jsonb_array_elements($10::jsonb) a WHERE a ? 't'"};

const db::Statement kFindPartnerSubmission{
    "surveys.find_partner_submission",
    "SELECT id::text AS id FROM surveys.responses WHERE survey_id = $1::uuid AND partner_submission_id = $2"};

const std::string kResponseColumns =
    "r.id::text AS id, r.version, " + db::Micros("r.create_time", "create_us") + ", r.channel, "
    "r.invitation_id IS NOT NULL AS invited, "
    "(SELECT coalesce(jsonb_agg(jsonb_build_object('q', a.question, 'c', to_jsonb(a.choices), 'v', a.value, "
    "'t', a.has_text)), '[]'::jsonb) FROM surveys.answers a WHERE a.response_id = r.id)::text AS answers";

const db::Statement kListResponses{
    "surveys.list_responses",
    "SELECT " + kResponseColumns +
        " FROM surveys.responses r WHERE r.survey_id = $1::uuid"
        "   AND ($2 = '' OR (r.create_time, r.id) < (" + db::T(3) + ", nullif($2, '')::uuid))"
        " ORDER BY r.create_time DESC, r.id DESC LIMIT $4"};

const db::Statement kResponsesOfVersion{"surveys.responses_of_version",
                                        "SELECT " + kResponseColumns +
                                            " FROM surveys.responses r WHERE r.survey_id = $1::uuid AND r.version = $2"
                                            " ORDER BY r.create_time, r.id LIMIT $3"};

const db::Statement kInsertInvitations{
    "surveys.insert_invitations",
    "INSERT INTO surveys.invitations (tenant, survey_id, token_hash, service_id, office_id, channel, create_time, "
    "expire_time) SELECT $1, $2::uuid, h, $4, $5, $6, " + db::T(7) + ", " + db::T(8) +
        " FROM jsonb_array_elements_text($3::jsonb) h"};

const db::Statement kMarkEvent{
    "surveys.mark_event",
    "INSERT INTO surveys.processed_events (event_id, tenant, type, processed_time) VALUES ($1, $2, $3, " + db::T(4) +
        ") "
    "ON CONFLICT DO NOTHING RETURNING event_id"};

const db::Statement kFindPostResolution{
    "surveys.find_post_resolution",
    "SELECT id::text AS id, version FROM surveys.surveys "
    "WHERE tenant = $1 AND template = 'post_resolution' AND status <> 'closed'"};

const db::Statement kInsertRequestInvitation{
    "surveys.insert_request_invitation",
    "INSERT INTO surveys.invitations (tenant, survey_id, request_number, service_id, office_id, channel, "
    "create_time, expire_time) VALUES ($1, $2::uuid, $3, $4, $5, $6, " + db::T(7) + ", " + db::T(8) + ") "
    "ON CONFLICT DO NOTHING RETURNING id::text AS id"};

const db::Statement kResponseFacts{
    "surveys.response_facts",
    "SELECT " + db::Micros("create_time", "create_us") +
        ", service_id, office_id, channel, coalesce(headline::text, '') AS headline, "
    "invitation_id IS NOT NULL AS invited FROM surveys.responses WHERE survey_id = $1::uuid "
    "AND create_time >= " + db::T(2) + " AND create_time < " + db::T(3) + " AND ($4 = '' OR service_id = $4) "
    "AND ($5 = '' OR office_id = $5) AND ($6 = '' OR channel = $6)"};

const db::Statement kInvitationFacts{
    "surveys.invitation_facts",
    "SELECT " + db::Micros("i.create_time", "create_us") + ", i.service_id, i.office_id, i.channel, "
    "EXISTS (SELECT 1 FROM surveys.responses r WHERE r.invitation_id = i.id) AS answered "
    "FROM surveys.invitations i WHERE i.survey_id = $1::uuid "
    "AND i.create_time >= " + db::T(2) + " AND i.create_time < " + db::T(3) + " AND ($4 = '' OR i.service_id = $4) "
    "AND ($5 = '' OR i.office_id = $5) AND ($6 = '' OR i.channel = $6)"};

const db::Statement kPurgeTexts{"surveys.purge_texts",
                                "DELETE FROM surveys.answer_texts WHERE create_time < " + db::T(1)};
// Commenters' names and e-mails go with the free texts; the comments stay.
const db::Statement kPurgeAuthors{"surveys.purge_comment_authors",
                                  "DELETE FROM surveys.comment_authors WHERE create_time < " + db::T(1)};

absl::Status SurveyNotFound(const std::string& id) { return absl::NotFoundError("questionario " + id + " non trovato"); }

std::string Str(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

int Int(const json::object& o, const char* key, int fallback = 0) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_int64() ? static_cast<int>(it->value().as_int64()) : fallback;
}

std::optional<QuestionType> TypeFromName(std::string_view n) {
  for (QuestionType t : {QuestionType::kSingleChoice, QuestionType::kMultipleChoice, QuestionType::kScale,
                         QuestionType::kText}) {
    if (TypeName(t) == n) return t;
  }
  return std::nullopt;
}

std::string_view OpName(ConditionOp op) {
  switch (op) {
    case ConditionOp::kIn: return "in";
    case ConditionOp::kNotIn: return "not_in";
    case ConditionOp::kBelow: return "below";
    case ConditionOp::kAtLeast: return "at_least";
  }
  return "in";
}

std::optional<ConditionOp> OpFromName(std::string_view n) {
  for (ConditionOp op : {ConditionOp::kIn, ConditionOp::kNotIn, ConditionOp::kBelow, ConditionOp::kAtLeast}) {
    if (OpName(op) == n) return op;
  }
  return std::nullopt;
}

Survey SurveyFromRow(const pqxx::row& r) {
  Survey s;
  s.id = r["id"].as<std::string>();
  s.tenant = r["tenant"].as<std::string>();
  s.title = r["title"].as<std::string>();
  s.description = r["description"].as<std::string>();
  s.template_kind = TemplateFromName(r["template"].as<std::string>()).value_or(Template::kNone);
  s.status = StatusFromName(r["status"].as<std::string>()).value_or(SurveyStatus::kDraft);
  s.service_id = r["service_id"].as<std::string>();
  s.office_id = r["office_id"].as<std::string>();
  s.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kUnspecified);
  s.access = r["access"].as<std::string>() == "invitation" ? Access::kInvitation : Access::kAnonymous;
  s.published = r["published"].as<bool>();
  s.version = r["version"].as<int>();
  s.questions = QuestionsFromJson(r["questions"].as<std::string>()).value_or(std::vector<Question>{});
  s.headline = r["headline"].as<std::string>();
  s.create_time = absl::FromUnixMicros(r["create_us"].as<long long>());
  s.update_time = absl::FromUnixMicros(r["update_us"].as<long long>());
  s.open_time = db::OptTime(r["open_us"]);
  s.close_time = db::OptTime(r["close_us"]);
  return s;
}

std::vector<Answer> AnswersFromJson(const std::string& text) {
  std::vector<Answer> out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    Answer a;
    a.question = Str(o, "q");
    if (auto it = o.find("c"); it != o.end() && it->value().is_array()) {
      for (const auto& c : it->value().as_array()) {
        if (c.is_string()) a.choices.emplace_back(c.as_string());
      }
    }
    if (auto it = o.find("v"); it != o.end() && it->value().is_int64()) a.value = static_cast<int>(it->value().as_int64());
    // Only whether a text was given: its words stay in answer_texts.
    if (auto it = o.find("t"); it != o.end() && it->value().is_bool() && it->value().as_bool()) a.text = kTextGiven;
    out.push_back(std::move(a));
  }
  return out;
}

StoredResponse ResponseFromRow(const pqxx::row& r) {
  StoredResponse s;
  s.id = r["id"].as<std::string>();
  s.version = r["version"].as<int>();
  s.time = absl::FromUnixMicros(r["create_us"].as<long long>());
  s.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kUnspecified);
  s.invited = r["invited"].as<bool>();
  s.answers = AnswersFromJson(r["answers"].as<std::string>());
  return s;
}

Invitation InvitationFromRow(const pqxx::row& r) {
  Invitation i;
  i.id = r["id"].as<std::string>();
  i.survey_id = r["survey_id"].as<std::string>();
  i.tenant = r["tenant"].as<std::string>();
  i.request_number = r["request_number"].as<std::string>();
  i.service_id = r["service_id"].as<std::string>();
  i.office_id = r["office_id"].as<std::string>();
  i.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kUnspecified);
  i.expire_time = absl::FromUnixMicros(r["expire_us"].as<long long>());
  i.answered = r["answered"].as<bool>();
  return i;
}

std::string AnswersToJson(const std::vector<Answer>& answers) {
  json::array out;
  for (const auto& a : answers) {
    json::object o;
    o["q"] = a.question;
    json::array c;
    for (const auto& x : a.choices) c.emplace_back(json::string(x));
    o["c"] = std::move(c);
    if (a.value) o["v"] = *a.value;
    if (!a.text.empty()) o["t"] = a.text;
    out.emplace_back(std::move(o));
  }
  return json::serialize(out);
}

}  // namespace

// Open-ended periods (absl::InfinitePast/Future) become the epoch and the year 3000.
long long Micros(absl::Time t) {
  constexpr long long kYear3000 = 32503680000LL * 1000000LL;
  return std::clamp<long long>(absl::ToUnixMicros(t), 0, kYear3000);
}

bool LooksLikeUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<Survey> InsertSurvey(pqxx::work& tx, const Survey& s, absl::Time now) {
  auto rows = db::Exec(tx, kInsertSurvey, s.tenant, s.title, s.description, std::string(TemplateName(s.template_kind)),
                       std::string(StatusName(s.status)), s.service_id, s.office_id,
                       std::string(ChannelName(s.channel)), std::string(AccessName(s.access)), s.published, Micros(now),
                       s.open_time ? Micros(*s.open_time) : -1LL, s.close_time ? Micros(*s.close_time) : -1LL);
  std::string id = rows.at(0)["id"].as<std::string>();
  db::Exec(tx, kInsertVersion, id, 1, QuestionsToJson(s.questions), s.headline, Micros(now));
  auto created = db::Exec(tx, kSelectSurvey, id);
  return SurveyFromRow(created.at(0));
}

std::string QuestionsToJson(const std::vector<Question>& questions) {
  json::array out;
  for (const auto& q : questions) {
    json::object o;
    o["code"] = q.code;
    o["type"] = std::string(TypeName(q.type));
    o["text"] = q.text;
    o["required"] = q.required;
    if (!q.options.empty()) {
      json::array opts;
      for (const auto& op : q.options) opts.emplace_back(json::object{{"code", op.code}, {"label", op.label}});
      o["options"] = std::move(opts);
    }
    if (q.type == QuestionType::kScale) {
      o["min"] = q.scale_min;
      o["max"] = q.scale_max;
      json::array labels;
      for (const auto& l : q.labels) labels.emplace_back(json::string(l));
      o["labels"] = std::move(labels);
    }
    if (q.max_length) o["max_length"] = q.max_length;
    if (q.condition) {
      json::array codes;
      for (const auto& c : q.condition->codes) codes.emplace_back(json::string(c));
      o["condition"] = json::object{{"question", q.condition->question},
                                    {"op", std::string(OpName(q.condition->op))},
                                    {"codes", std::move(codes)},
                                    {"value", q.condition->value}};
    }
    out.emplace_back(std::move(o));
  }
  return json::serialize(out);
}

absl::StatusOr<std::vector<Question>> QuestionsFromJson(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return absl::InternalError("domande memorizzate illeggibili");
  std::vector<Question> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) return absl::InternalError("domande memorizzate illeggibili");
    const auto& o = item.as_object();
    Question q;
    q.code = Str(o, "code");
    auto type = TypeFromName(Str(o, "type"));
    if (!type) return absl::InternalError("tipo di domanda memorizzato sconosciuto");
    q.type = *type;
    q.text = Str(o, "text");
    if (auto it = o.find("required"); it != o.end() && it->value().is_bool()) q.required = it->value().as_bool();
    if (auto it = o.find("options"); it != o.end() && it->value().is_array()) {
      for (const auto& op : it->value().as_array()) {
        if (op.is_object()) q.options.push_back({Str(op.as_object(), "code"), Str(op.as_object(), "label")});
      }
    }
    q.scale_min = Int(o, "min", 1);
    q.scale_max = Int(o, "max", 5);
    if (auto it = o.find("labels"); it != o.end() && it->value().is_array()) {
      for (const auto& l : it->value().as_array()) q.labels.emplace_back(l.is_string() ? l.as_string().c_str() : "");
    }
    q.max_length = Int(o, "max_length", 0);
    if (auto it = o.find("condition"); it != o.end() && it->value().is_object()) {
      const auto& c = it->value().as_object();
      Condition cond;
      cond.question = Str(c, "question");
      cond.op = OpFromName(Str(c, "op")).value_or(ConditionOp::kIn);
      if (auto cs = c.find("codes"); cs != c.end() && cs->value().is_array()) {
        for (const auto& x : cs->value().as_array()) {
          if (x.is_string()) cond.codes.emplace_back(x.as_string());
        }
      }
      cond.value = Int(c, "value", 0);
      q.condition = std::move(cond);
    }
    out.push_back(std::move(q));
  }
  return out;
}

absl::StatusOr<Survey> SurveyStore::Create(const Survey& s, absl::Time now) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Survey> { return InsertSurvey(tx, s, now); });
}

absl::StatusOr<Survey> SurveyStore::Get(const std::string& id) {
  if (!LooksLikeUuid(id)) return SurveyNotFound(id);
  // One statement: no transaction around it (every answer reads its survey).
  return pool_.ReadAutocommit([&](pqxx::nontransaction& tx) -> absl::StatusOr<Survey> {
    auto rows = db::Exec(tx, kSelectSurvey, id);
    if (rows.empty()) return SurveyNotFound(id);
    return SurveyFromRow(rows[0]);
  });
}

absl::StatusOr<Survey> SurveyStore::GetVersion(const std::string& id, int version) {
  if (!LooksLikeUuid(id)) return SurveyNotFound(id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Survey> {
    auto rows = db::Exec(tx, kSelectSurveyVersion, id, version);
    if (rows.empty()) return absl::NotFoundError("versione " + std::to_string(version) + " non trovata");
    return SurveyFromRow(rows[0]);
  });
}

absl::StatusOr<Page<Survey>> SurveyStore::List(const SurveyFilter& f, int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  std::string after_id;
  long long after_micros = 0;
  if (!after.empty()) {
    if (!LooksLikeUuid(after[1]) || !absl::SimpleAtoi(after[0], &after_micros)) return InvalidPageToken();
    after_id = after[1];
  }
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Survey>> {
    Page<Survey> page;
    std::string status = f.status ? std::string(StatusName(*f.status)) : "";
    for (const auto& row : db::Exec(tx, kListSurveys, f.tenant, status, f.service_id, f.office_id, f.visible_only,
                                    after_id, after_micros, page_size + 1, f.published_only)) {
      page.items.push_back(SurveyFromRow(row));
    }
    TrimPage(page, page_size, [](const Survey& s) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(s.create_time)), s.id};
    });
    return page;
  });
}

absl::StatusOr<Survey> SurveyStore::Update(const std::string& id, absl::Time now,
                                           const std::function<absl::Status(Survey&, bool)>& change) {
  if (!LooksLikeUuid(id)) return SurveyNotFound(id);
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Survey> {
    auto rows = db::Exec(tx, kLockSurvey, id);
    if (rows.empty()) return SurveyNotFound(id);
    Survey current = SurveyFromRow(rows[0]);
    bool has_responses = db::Exec(tx, kHasResponses, id, current.version).at(0)["has"].as<bool>();
    Survey s = current;
    RETURN_IF_ERROR(change(s, has_responses));
    if (s.version != current.version) {
      db::Exec(tx, kInsertVersion, id, s.version, QuestionsToJson(s.questions), s.headline, Micros(now));
    } else if (s.questions != current.questions || s.headline != current.headline) {
      db::Exec(tx, kReplaceVersion, id, s.version, QuestionsToJson(s.questions), s.headline);
    }
    db::Exec(tx, kUpdateSurvey, id, s.title, s.description, std::string(StatusName(s.status)), s.service_id,
             s.office_id, std::string(ChannelName(s.channel)), std::string(AccessName(s.access)), s.published,
             s.version, Micros(now));
    return SurveyFromRow(db::Exec(tx, kSelectSurvey, id).at(0));
  });
}

namespace {

// survey.answered: what counts the response (survey, service, office,
// channel, headline score), never an answer's text or an invitation token.
outbox::NewEvent AnsweredEvent(const NewResponse& n) {
  json::object data{{"survey_id", n.survey_id},
                    {"service_id", n.service_id},
                    {"office_id", n.office_id},
                    {"channel", ChannelName(n.channel)}};
  if (n.headline) {
    data["headline"] = *n.headline;
  } else {
    data["headline"] = nullptr;
  }
  return {n.tenant, "survey.answered", n.survey_id, json::serialize(data), n.now};
}

// Why `survey` (a row with kLockForAnswer's columns) takes no answer checked
// against version n.version at n.now; OK when it takes it.
absl::Status CheckTakesAnswer(const pqxx::row& survey, const NewResponse& n) {
  if (survey["status"].as<std::string>() != "open") return absl::FailedPreconditionError("il questionario è chiuso");
  Survey window;
  window.open_time = db::OptTime(survey["open_us"]);
  window.close_time = db::OptTime(survey["close_us"]);
  RETURN_IF_ERROR(CheckAnswerWindow(window, n.now));
  if (survey["version"].as<int>() != n.version) {
    return absl::AbortedError("le domande del questionario sono cambiate: ricaricare e riprovare");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SurveyStore::InsertResponse(const NewResponse& n) {
  if (!LooksLikeUuid(n.survey_id)) return SurveyNotFound(n.survey_id);
  bool invited = !n.invitation_token_hash.empty() || !n.request_number.empty();
  absl::StatusOr<std::string> result = invited ? InsertInvitedResponse(n) : InsertOpenResponse(n);
  if (absl::IsAlreadyExists(result.status())) {
    return absl::AlreadyExistsError(invited ? "questo invito ha già una risposta"
                                            : "risposta già ricevuta con questo identificativo");
  }
  return result;
}

absl::StatusOr<std::string> SurveyStore::InsertOpenResponse(const NewResponse& n) {
  AnswerJob job{&n};
  answers_.Run(job);
  return std::move(job.result);
}

// Which answers of a batch went in ($1, in the batch's order, n from 1) and,
// for the others, the state of their survey ($2): after the commit, so that
// it reads what the batch did. Prepared, because planning it cost more than
// running it; the arrays behind subqueries, so that the planner cannot see
// their length and keeps one generic plan (db::TextArray).
const db::Statement kAnswersReadBack{"surveys.answers_read_back",
    "SELECT j.n, r.id::text AS id, s.id IS NOT NULL AS found, s.status, s.version, " +
        db::Micros("s.open_time", "open_us") + ", " + db::Micros("s.close_time", "close_us") +
        " FROM unnest((SELECT $1::uuid[]), (SELECT $2::uuid[])) WITH ORDINALITY AS j(id, survey, n)"
        " LEFT JOIN surveys.responses r ON r.id = j.id"
        " LEFT JOIN surveys.surveys s ON s.id = j.survey"};

// The common case (a star rating, an open questionnaire), with the answers
// sent meanwhile (common/group_commit.h): one string of statements, so one
// round trip and one implicit transaction for all of them, then the pool's
// flush once. Each response is inserted only while its survey takes it; the
// events of those inserted go last, in one statement (the outbox's
// commit-order lock is held from there to the commit); the last statement
// says which were, and for the others the survey's state. A statement that
// fails rolls all of them back: each is then tried alone, so one bad answer
// never fails another. Once they are committed, nothing is tried again.
void SurveyStore::AnswerTogether(std::vector<AnswerJob*>& batch) {
  bool committed = false;
  absl::Status status = pool_.Autocommit([&](pqxx::nontransaction& tx) -> absl::Status {
    std::string statements;
    std::vector<std::string> ids, surveys;
    std::vector<outbox::NewEvent> events;
    std::vector<std::string> only_if;
    for (size_t i = 0; i < batch.size(); ++i) {
      const NewResponse& n = *batch[i]->response;
      const std::string id = RandomUuid();
      const std::string headline = n.headline ? std::to_string(*n.headline) : "";
      statements += db::ExecuteSql(tx, kInsertOpenResponse, n.tenant, n.survey_id, n.version,
                                   n.partner_submission_id, std::string(ChannelName(n.channel)), n.service_id,
                                   n.office_id, headline, Micros(n.now), AnswersToJson(n.answers), id);
      statements += ";\n";
      events.push_back(AnsweredEvent(n));
      only_if.push_back("EXISTS (SELECT 1 FROM surveys.responses r WHERE r.id = " + tx.quote(id) + "::uuid)");
      ids.push_back(id);
      surveys.push_back(n.survey_id);
    }
    statements += outbox::AppendSql(tx, "surveys", events, only_if);
    statements += ";\n" + db::ExecuteSql(tx, kAnswersReadBack, db::TextArray(ids), db::TextArray(surveys));
    pqxx::result rows = db::ExecCommitting(tx, statements);
    committed = true;
    for (const auto& row : rows) {
      AnswerJob* job = batch.at(row["n"].as<size_t>() - 1);
      if (!row["id"].is_null()) {
        job->result = row["id"].as<std::string>();
      } else if (!row["found"].as<bool>()) {
        job->result = SurveyNotFound(job->response->survey_id);
      } else {
        absl::Status refused = CheckTakesAnswer(row, *job->response);
        // The statement's own check refused what this one accepts: only a
        // clock at a window's edge between the two could; a retry settles it.
        job->result = refused.ok() ? absl::AbortedError("il questionario è cambiato durante l'invio: riprovare")
                                   : refused;
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    SettleFailedBatch(batch, status, committed, [this](std::vector<AnswerJob*>& alone) { AnswerTogether(alone); });
  }
}

absl::StatusOr<std::string> SurveyStore::InsertInvitedResponse(const NewResponse& n) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<std::string> {
    // The survey may not close or change its questions meanwhile.
    auto lock = db::Exec(tx, kLockForAnswer, n.survey_id);
    if (lock.empty()) return SurveyNotFound(n.survey_id);
    RETURN_IF_ERROR(CheckTakesAnswer(lock[0], n));
    auto rows = n.request_number.empty() ? db::Exec(tx, kInvitationByHash, n.invitation_token_hash)
                                         : db::Exec(tx, kInvitationByRequest, n.tenant, n.request_number);
    if (rows.empty()) return absl::NotFoundError("invito non valido");
    Invitation inv = InvitationFromRow(rows[0]);
    if (inv.survey_id != n.survey_id) return absl::NotFoundError("invito non valido per questo questionario");
    if (inv.expire_time <= n.now) return absl::FailedPreconditionError("l'invito è scaduto");
    if (inv.answered) return absl::AlreadyExistsError("questo invito ha già una risposta");
    std::string headline = n.headline ? std::to_string(*n.headline) : "";
    // Of two concurrent answers to one invitation, the unique invitation_id lets one in.
    auto inserted = db::Exec(tx, kInsertResponse, n.tenant, n.survey_id, n.version, inv.id, n.partner_submission_id,
                             std::string(ChannelName(n.channel)), n.service_id, n.office_id, headline, Micros(n.now));
    std::string id = inserted.at(0)["id"].as<std::string>();
    std::string answers = AnswersToJson(n.answers);
    db::Exec(tx, kInsertAnswers, id, answers);
    db::Exec(tx, kInsertTexts, id, answers, Micros(n.now));
    // Last in the transaction: Append holds the commit-order lock until commit.
    outbox::Append(tx, "surveys", {AnsweredEvent(n)});
    return id;
  });
}

absl::StatusOr<std::optional<std::string>> SurveyStore::FindPartnerSubmission(const std::string& survey_id,
                                                                              const std::string& submission_id) {
  if (!LooksLikeUuid(survey_id)) return SurveyNotFound(survey_id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::optional<std::string>> {
    auto rows = db::Exec(tx, kFindPartnerSubmission, survey_id, submission_id);
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0]["id"].as<std::string>());
  });
}

absl::StatusOr<Page<StoredResponse>> SurveyStore::ListResponses(const std::string& survey_id, int page_size,
                                                                const std::string& page_token) {
  if (!LooksLikeUuid(survey_id)) return SurveyNotFound(survey_id);
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  long long after_micros = 0;
  std::string after_id;
  if (!after.empty()) {
    if (!LooksLikeUuid(after[1]) || !absl::SimpleAtoi(after[0], &after_micros)) {
      return InvalidPageToken();
    }
    after_id = after[1];
  }
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<StoredResponse>> {
    Page<StoredResponse> page;
    for (const auto& row : db::Exec(tx, kListResponses, survey_id, after_id, after_micros, page_size + 1)) {
      page.items.push_back(ResponseFromRow(row));
    }
    TrimPage(page, page_size, [](const StoredResponse& r) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(r.time)), r.id};
    });
    return page;
  });
}

absl::StatusOr<std::vector<StoredResponse>> SurveyStore::ResponsesOfVersion(const std::string& survey_id, int version,
                                                                            int limit) {
  if (!LooksLikeUuid(survey_id)) return SurveyNotFound(survey_id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<StoredResponse>> {
    std::vector<StoredResponse> out;
    for (const auto& row : db::Exec(tx, kResponsesOfVersion, survey_id, version, limit)) {
      out.push_back(ResponseFromRow(row));
    }
    return out;
  });
}

absl::Status SurveyStore::MintInvitations(const NewInvitations& n) {
  json::array hashes;
  for (const auto& h : n.token_hashes) hashes.emplace_back(json::string(h));
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    db::Exec(tx, kInsertInvitations, n.tenant, n.survey_id, json::serialize(hashes), n.service_id, n.office_id,
             std::string(ChannelName(n.channel)), Micros(n.now), Micros(n.expire_time));
    return absl::OkStatus();
  });
}

absl::StatusOr<Invitation> SurveyStore::InvitationByToken(const std::string& token_hash) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Invitation> {
    auto rows = db::Exec(tx, kInvitationByHash, token_hash);
    if (rows.empty()) return absl::NotFoundError("invito non valido");
    return InvitationFromRow(rows[0]);
  });
}

absl::StatusOr<Invitation> SurveyStore::InvitationByRequest(const std::string& tenant, const std::string& number) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Invitation> {
    auto rows = db::Exec(tx, kInvitationByRequest, tenant, number);
    if (rows.empty()) return absl::NotFoundError("nessun questionario per la richiesta " + number);
    return InvitationFromRow(rows[0]);
  });
}

absl::StatusOr<EventOutcome> SurveyStore::InviteClosedRequest(const ClosedRequest& c, const Survey& fallback) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<EventOutcome> {
    if (db::Exec(tx, kMarkEvent, c.event_id, c.tenant, c.type, Micros(c.now)).empty()) {
      return EventOutcome::kAlreadyProcessed;
    }
    auto found = db::Exec(tx, kFindPostResolution, c.tenant);
    std::string survey_id;
    if (!found.empty()) {
      survey_id = found[0]["id"].as<std::string>();
    } else {
      // The first closed request of a tenant without one: its survey starts
      // open. A concurrent creator makes this insert fail the unique index,
      // and the event is delivered again and finds that one.
      ASSIGN_OR_RETURN(Survey created, InsertSurvey(tx, fallback, c.now));
      survey_id = created.id;
    }
    auto inserted = db::Exec(tx, kInsertRequestInvitation, c.tenant, survey_id, c.request_number, c.service_id,
                             c.office_id, std::string(ChannelName(c.channel)), Micros(c.now), Micros(c.expire_time));
    return inserted.empty() ? EventOutcome::kRequestHasOne : EventOutcome::kInvited;
  });
}

absl::StatusOr<IndexFacts> SurveyStore::Facts(const std::string& survey_id, const FactsFilter& f) {
  if (!LooksLikeUuid(survey_id)) return SurveyNotFound(survey_id);
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<IndexFacts> {
    IndexFacts out;
    std::string channel(ChannelName(f.channel));
    for (const auto& r : db::Exec(tx, kResponseFacts, survey_id, Micros(f.from), Micros(f.to), f.service_id,
                                  f.office_id, channel)) {
      ResponseFacts x;
      x.time = absl::FromUnixMicros(r["create_us"].as<long long>());
      x.service_id = r["service_id"].as<std::string>();
      x.office_id = r["office_id"].as<std::string>();
      x.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kUnspecified);
      int v = 0;
      if (absl::SimpleAtoi(r["headline"].as<std::string>(), &v)) x.headline = v;
      x.invited = r["invited"].as<bool>();
      out.responses.push_back(std::move(x));
    }
    for (const auto& r : db::Exec(tx, kInvitationFacts, survey_id, Micros(f.from), Micros(f.to), f.service_id,
                                  f.office_id, channel)) {
      InvitationFacts x;
      x.time = absl::FromUnixMicros(r["create_us"].as<long long>());
      x.service_id = r["service_id"].as<std::string>();
      x.office_id = r["office_id"].as<std::string>();
      x.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kUnspecified);
      x.answered = r["answered"].as<bool>();
      out.invitations.push_back(std::move(x));
    }
    return out;
  });
}

absl::StatusOr<long long> SurveyStore::PurgeTexts(absl::Time before) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<long long> {
    return static_cast<long long>(db::Exec(tx, kPurgeTexts, Micros(before)).affected_rows() +
                                  db::Exec(tx, kPurgeAuthors, Micros(before)).affected_rows());
  });
}

}  // namespace sportello::surveys
