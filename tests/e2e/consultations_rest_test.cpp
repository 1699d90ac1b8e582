// End to end over the real gateway and binaries: a public consultation from
// opening to published results. Answers through its survey, comments
// moderated (never public before approval, rejected ones keep their reason
// for staff), bad comments refused with nothing stored, anonymous comments
// limited, the early close, results with the approved comments, the
// administration's response attached once. Commenters' names and e-mails
// are sentinels that no public answer may contain. Each test in its own tenant.
#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

// A date `days` from today (UTC), as YYYY-MM-DD: yesterday is surely open in Rome.
std::string Day(int days) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

json::object Create(const std::string& tenant, json::object extra = {}) {
  json::object c{{"title", "Regolamento comunale del verde pubblico"},
                 {"description", "Bozza del nuovo regolamento: alberature, aree gioco, orti urbani."},
                 {"document_url", "https://www.example.it/consultazioni/verde/bozza.pdf"},
                 {"open_date", Day(-1)},
                 {"close_date", Day(20)},
                 {"comments_enabled", true},
                 {"questions", json::array{json::object{{"code", "agree"},
                                                        {"type", "QUESTION_TYPE_SINGLE_CHOICE"},
                                                        {"text", "Sei d'accordo con la bozza?"},
                                                        {"required", true},
                                                        {"options", json::array{json::object{{"code", "yes"}, {"label", "Sì"}},
                                                                                json::object{{"code", "no"}, {"label", "No"}}}}}}}};
  for (auto& kv : extra) c[kv.key()] = kv.value();
  return JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + tenant + "/consultations",
                  json::serialize(json::object{{"consultation", c}}), Bearer(TokenFor(tenant, {"operator"}))));
}

HttpReply Comment(const std::string& id, const json::object& body, const Headers& headers = {}) {
  return Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + "/comments", json::serialize(body), headers);
}

size_t StaffCommentCount(const std::string& id, const std::string& op) {
  json::object all = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments?page_size=200", "", Bearer(op)));
  return all.at("comments").as_array().size();
}

const char kSentinelName[] = "Zebedeo Sentinella Quintiliani";
const char kSentinelEmail[] = "zebedeo.sentinella@example.org";
const char kRejectReason[] = "Motivo-sentinella: contiene dati personali di terzi";
const char kPendingText[] = "Testo-sentinella ancora in attesa di moderazione";

void NothingPersonal(const HttpReply& r) {
  INFO(r.body);
  CHECK(r.body.find(kSentinelName) == std::string::npos);
  CHECK(r.body.find(kSentinelEmail) == std::string::npos);
  CHECK(r.body.find("Zebedeo") == std::string::npos);
  CHECK(r.body.find(kRejectReason) == std::string::npos);
  CHECK(r.body.find(kPendingText) == std::string::npos);
  CHECK(r.body.find("author_") == std::string::npos);
  CHECK(r.body.find("rejection_reason") == std::string::npos);
  CHECK(r.body.find("\"staff\"") == std::string::npos);
}

}  // namespace

TEST_CASE("REST: a consultation from opening to published results", "[e2e][consultations]") {
  std::string tenant = UniqueName("cs_");
  std::string op = TokenFor(tenant, {"operator"});
  json::object created = Create(tenant);
  std::string id(created.at("id").as_string());
  std::string survey(created.at("survey_id").as_string());
  CHECK(created.at("phase").as_string() == "CONSULTATION_PHASE_OPEN");
  CHECK(created.at("close_date").as_string() == Day(20));

  // Public: the consultation, the list, and its survey (but no results yet).
  json::object got = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id));
  CHECK(got.at("questions").as_array().size() == 1);
  json::object list = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + tenant + "/consultations"));
  REQUIRE(list.at("consultations").as_array().size() == 1);
  JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + survey));
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/results"), 400);
  // Its survey is not listed among the satisfaction surveys.
  json::object surveys = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + tenant + "/surveys", "", Bearer(op)));
  CHECK(surveys.at("surveys").as_array().empty());

  // Answers: one anonymous, eleven entered by staff (not limited): 12 > threshold.
  JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/responses",
           R"({"answers":[{"question":"agree","choices":["yes"]}]})"));
  for (int i = 0; i < 11; ++i) {
    std::string choice = i < 7 ? "yes" : "no";
    JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/responses",
             R"({"answers":[{"question":"agree","choices":[")" + choice + R"("]}]})", Bearer(op)));
  }

  // Comments: pending, and the answer echoes no author.
  HttpReply first = Comment(id, {{"text", "Servono più alberi in via Roma e ombra nelle aree gioco."},
                                 {"author_name", kSentinelName},
                                 {"author_email", kSentinelEmail}});
  json::object c1 = JsonObject(first);
  NothingPersonal(first);
  CHECK(c1.at("state").as_string() == "COMMENT_STATE_PENDING");
  json::object c2 = JsonObject(Comment(id, {{"text", "Il vicino Mario R. di via Verdi 3 taglia gli alberi"}}));
  json::object c3 = JsonObject(Comment(id, {{"text", kPendingText}, {"author_email", kSentinelEmail}}));
  std::string id1(c1.at("id").as_string()), id2(c2.at("id").as_string());

  // Bad comments: nothing stored.
  json::object too_long = Problem(Comment(id, {{"text", std::string(2001, 'x')}}), 400);
  CHECK(NamesField(too_long, "text"));
  CHECK(NamesField(Problem(Comment(id, {{"text", "ok"}, {"author_email", "non-una-mail"}}), 400), "author_email"));
  CHECK(StaffCommentCount(id, op) == 3);

  // Never public before approval.
  HttpReply none = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments");
  CHECK(JsonObject(none).at("comments").as_array().empty());
  NothingPersonal(none);

  // Moderation: staff of the tenant only; a rejection needs its reason.
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id1 + ":approve", "{}"), 401);
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id1 + ":approve", "{}",
                Bearer(TokenFor(UniqueName("cs_"), {"operator"}))),
          404);
  json::object approved = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id1 + ":approve", "{}", Bearer(op)));
  CHECK(approved.at("state").as_string() == "COMMENT_STATE_APPROVED");
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id1 + ":approve", "{}", Bearer(op)), 400);
  CHECK(NamesField(Problem(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id2 + ":reject", "{}", Bearer(op)), 400),
                   "reason"));
  json::object rejected = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/comments/" + id2 + ":reject",
                                   json::serialize(json::object{{"reason", kRejectReason}}), Bearer(op)));
  CHECK(rejected.at("state").as_string() == "COMMENT_STATE_REJECTED");
  CHECK(rejected.at("staff").as_object().at("rejection_reason").as_string() == kRejectReason);

  // The public sees the approved one only; staff see all, with reasons and authors.
  HttpReply pub = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments?state=COMMENT_STATE_REJECTED");
  json::object public_comments = JsonObject(pub);
  REQUIRE(public_comments.at("comments").as_array().size() == 1);
  CHECK(public_comments.at("comments").as_array()[0].as_object().at("id").as_string() == id1);
  NothingPersonal(pub);
  HttpReply staff = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments", "", Bearer(op));
  CHECK(staff.body.find(kSentinelName) != std::string::npos);
  CHECK(staff.body.find(kRejectReason) != std::string::npos);
  CHECK(JsonObject(staff).at("comments").as_array().size() == 3);

  // Anonymous comments are limited per client address and consultation.
  int limited = 0;
  for (int i = 0; i < 10 && limited == 0; ++i) {
    HttpReply r = Comment(id, {{"text", "Commento ripetuto " + std::to_string(i)}});
    if (r.status == 429) limited = 1;
    else REQUIRE(r.status == 200);
  }
  CHECK(limited == 1);

  // The response only after closing; closing early.
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + ":respond", R"({"text":"Grazie"})", Bearer(op)), 400);
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + ":close", "{}"), 401);
  json::object closed = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + ":close", "{}", Bearer(op)));
  CHECK(closed.at("phase").as_string() == "CONSULTATION_PHASE_CLOSED");

  // Closed: no comment, no answer, nothing stored.
  size_t before = StaffCommentCount(id, op);
  Problem(Comment(id, {{"text", "Arrivo tardi"}}), 400);
  Problem(Comment(id, {{"text", "Arrivo tardi"}}, Bearer(op)), 400);
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/responses",
                R"({"answers":[{"question":"agree","choices":["yes"]}]})", Bearer(op)),
          400);
  CHECK(StaffCommentCount(id, op) == before);

  // Published: the aggregated answers (not suppressed: 12) and the approved comment.
  HttpReply res = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/results");
  json::object results = JsonObject(res);
  NothingPersonal(res);
  CHECK(results.at("published").as_bool());
  const auto& q = results.at("results").as_object().at("questions").as_array()[0].as_object();
  CHECK_FALSE(q.at("suppressed").as_bool());
  CHECK(q.at("shown").as_string() == "12");  // int64 as a JSON string
  REQUIRE(results.at("comments").as_array().size() == 1);
  CHECK(results.at("comments").as_array()[0].as_object().at("id").as_string() == id1);

  // The administration's response, once.
  json::object responded =
      JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + ":respond",
               R"({"text":"Accolte le proposte sulle alberature.","document_url":"https://www.example.it/delibera-12.pdf"})",
               Bearer(op)));
  CHECK(responded.at("administration_response").as_object().at("text").as_string() ==
        "Accolte le proposte sulle alberature.");
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/consultations/" + id + ":respond", R"({"text":"Di nuovo"})", Bearer(op)), 409);
  HttpReply after = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/results");
  CHECK(JsonObject(after).at("consultation").as_object().contains("administration_response"));
  NothingPersonal(after);
  HttpReply listed = Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + tenant + "/consultations?phase=CONSULTATION_PHASE_CLOSED");
  CHECK(JsonObject(listed).at("consultations").as_array().size() == 1);
  NothingPersonal(listed);
  NothingPersonal(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id));
}

TEST_CASE("REST: a residents' consultation takes comments with an invitation", "[e2e][consultations]") {
  std::string tenant = UniqueName("cs_");
  json::object created = Create(tenant, {{"eligibility", "CONSULTATION_ELIGIBILITY_RESIDENTS"}});
  std::string id(created.at("id").as_string()), survey(created.at("survey_id").as_string());
  CHECK(NamesField(Problem(Comment(id, {{"text", "Senza invito"}}), 400), "token"));
  json::object minted = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/invitations",
                                 R"({"count":1,"valid_days":30})", Bearer(TokenFor(tenant, {"communication"}))));
  std::string token(minted.at("invitations").as_array()[0].as_object().at("token").as_string());
  Problem(Comment(id, {{"text", "Invito falso"}, {"token", token + "x"}}), 404);
  json::object ok = JsonObject(Comment(id, {{"text", "Da residente: bene la bozza"}, {"token", token}}));
  CHECK(ok.at("state").as_string() == "COMMENT_STATE_PENDING");
  // The answer needs the invitation too.
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/responses",
                R"({"answers":[{"question":"agree","choices":["yes"]}]})"),
          400);
  JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey + "/responses",
           R"({"token":")" + token + R"(","answers":[{"question":"agree","choices":["yes"]}]})"));
}

TEST_CASE("REST: bad consultations are problems, nothing created", "[e2e][consultations]") {
  std::string tenant = UniqueName("cs_");
  std::string op = TokenFor(tenant, {"operator"});
  auto post = [&](json::object c, const Headers& h) {
    return Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + tenant + "/consultations",
                 json::serialize(json::object{{"consultation", std::move(c)}}), h);
  };
  json::object bad = Problem(post({{"title", "Piano del traffico"},
                                   {"document_url", "https://www.example.it/pgtu.pdf"},
                                   {"open_date", Day(5)},
                                   {"close_date", Day(1)},
                                   {"comments_enabled", true}},
                                  Bearer(op)),
                             400);
  CHECK(NamesField(bad, "consultation.close_date"));
  json::object past = Problem(post({{"title", "Piano del traffico"},
                                    {"document_url", "not a url"},
                                    {"open_date", Day(-30)},
                                    {"close_date", Day(-10)},
                                    {"comments_enabled", true}},
                                   Bearer(op)),
                              400);
  CHECK(NamesField(past, "consultation.close_date"));
  CHECK(NamesField(past, "consultation.document_url"));
  Problem(post({{"title", "x"}}, {}), 401);
  Problem(post({{"title", "x"}}, Bearer(TokenFor(tenant, {"referent"}))), 403);
  json::object list = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + tenant + "/consultations"));
  CHECK(list.at("consultations").as_array().empty());
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/00000000-0000-4000-a000-00000000dead"), 404);
}

TEST_CASE("REST: the Unione's demo consultation is open, with approved comments only in public", "[e2e][consultations]") {
  json::object list = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/u_gravine/consultations?phase=CONSULTATION_PHASE_OPEN"));
  REQUIRE_FALSE(list.at("consultations").as_array().empty());
  const auto& c = list.at("consultations").as_array()[0].as_object();
  CHECK(c.at("approved_comments").as_string() == "2");
  std::string id(c.at("id").as_string());
  HttpReply comments = Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments");
  CHECK(JsonObject(comments).at("comments").as_array().size() == 2);
  CHECK(comments.body.find("@") == std::string::npos);  // no commenter's e-mail
  std::string staff_token = TokenFor("u_gravine", {"operator"});
  json::object pending = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/consultations/" + id + "/comments?state=COMMENT_STATE_PENDING",
                                  "", Bearer(staff_token)));
  CHECK(pending.at("comments").as_array().size() >= 1);
}
