// End to end over the real gateway and the real binaries: a star rating
// answered anonymously, bad answers as problem+json with the field, one
// answer per invitation (409 the second time), and a closed request's
// survey found and answered with the request's tracking token, checked by
// complaints over gRPC. Each test in its own sandbox tenant.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "sportello/v1/common.grpc.pb.h"
#include "sportello/v1/surveys.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/poll.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

std::string Str(const json::object& o, const char* key) { return std::string(o.at(key).as_string()); }

// The stack's log files (SPORTELLO_TEST_LOG_DIR) that contain `needle`.
std::vector<std::string> GrepLogs(const std::string& needle) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::directory_iterator(RequireEnv("SPORTELLO_TEST_LOG_DIR"))) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(needle) != std::string::npos) hits.push_back(entry.path().string());
  }
  return hits;
}

// A survey of `tenant` from a template, opened.
std::string OpenSurvey(const std::string& tenant, const std::string& templ, const std::string& access = "") {
  auto op = Bearer(TokenFor(tenant, {"operator"}));
  json::object body{{"template", templ}, {"survey", json::object{{"published", true}}}};
  if (!access.empty()) body["survey"].as_object()["access"] = access;
  json::object s = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/tenants/" + tenant + "/surveys", json::serialize(body), op));
  std::string id = Str(s, "id");
  json::object opened = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + ":open", "{}", op));
  CHECK(Str(opened, "status") == "SURVEY_STATUS_OPEN");
  return id;
}

}  // namespace

TEST_CASE("REST: a star rating, and bad answers as problems", "[e2e][surveys]") {
  std::string tenant = UniqueName("sv_");
  std::string id = OpenSurvey(tenant, "SURVEY_TEMPLATE_STARS");
  json::object survey = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + id));
  CHECK(Str(survey.at("questions").as_array()[0].as_object(), "text") ==
        "Quanto è stato facile per te concludere questa procedura?");

  json::object stored = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses",
                                 R"({"answers":[{"question":"rating","value":2},)"
                                 R"({"question":"difficulties","choices":["technical"]}]})"));
  CHECK_FALSE(Str(stored, "response_id").empty());

  json::object hidden = Problem(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses",
                                      R"({"answers":[{"question":"rating","value":5},)"
                                      R"({"question":"difficulties","choices":["technical"]}]})"),
                                400);
  CHECK(NamesField(hidden, "answers[1]"));
  json::object scale = Problem(
      Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses", R"({"answers":[{"question":"rating","value":9}]})"),
      400);
  CHECK(NamesField(scale, "answers[0].value"));
  json::object text = Problem(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses",
                                    R"({"answers":[{"question":"rating","value":4},{"question":"details","text":")" +
                                        std::string(201, 'x') + R"("}]})"),
                              400);
  CHECK(NamesField(text, "answers[1].text"));

  // Results are public once published, and suppressed below 10 responses.
  json::object results = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + id + "/results"));
  CHECK(results.at("indices").as_object().at("suppressed").as_bool());
  json::object indices = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/tenants/" + tenant + "/surveys:indices"));
  CHECK(indices.at("surveys").as_array().size() == 1);
}

TEST_CASE("REST: one answer per invitation, the second is 409", "[e2e][surveys]") {
  std::string tenant = UniqueName("sv_");
  std::string id = OpenSurvey(tenant, "SURVEY_TEMPLATE_NPS", "SURVEY_ACCESS_INVITATION");
  json::object minted = JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/invitations",
                                 R"({"count":2,"valid_days":30})", Bearer(TokenFor(tenant, {"communication"}))));
  REQUIRE(minted.at("invitations").as_array().size() == 2);
  std::string token = Str(minted.at("invitations").as_array()[0].as_object(), "token");
  std::string answer = R"({"token":")" + token + R"(","answers":[{"question":"recommend","value":10}]})";
  JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses", answer));
  Problem(Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + id + "/responses", answer), 409);
  json::object view = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/invitations/" + token));
  CHECK(view.at("answered").as_bool());
  // The token is never echoed by a public answer.
  HttpReply survey = Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + id);
  CHECK(survey.body.find(token) == std::string::npos);
  // Nor does any log of the stack (the gateway logs route templates, not paths).
  CHECK(Fetch(GatewayUrl(), "GET", "/api/v1/invitations/" + token + "x").status >= 400);
  CHECK(GrepLogs(token).empty());
}

TEST_CASE("REST: a closed request's survey, answered once with its tracking token", "[e2e][surveys]") {
  // A report in a sandbox tenant (routed to its office by category), closed
  // through the gateway: complaints' relay delivers request.closed to
  // surveys (its configured subscriber), which invites the request to the
  // post-resolution survey.
  Sandbox box;
  const std::string comment = UniqueName("Grazie a Giovanna dello sportello ");
  json::object submitted =
      JsonObject(Fetch(GatewayUrl(), "POST", box.Path("/requests"), json::serialize(box.Report("Buca davanti alla scuola"))));
  std::string number = Str(submitted.at("request").as_object(), "number");
  std::string tracking = Str(submitted, "tracking_token");
  auto op = Bearer(box.operator_token);
  for (const char* to : {"REQUEST_STATUS_RESOLVED", "REQUEST_STATUS_CLOSED"}) {
    JsonObject(Fetch(GatewayUrl(), "POST", "/api/v1/requests/" + number + ":transition",
             json::serialize(json::object{{"to", to}, {"note", "chiusa"}, {"public_note", true}}), op));
  }

  // Delivered within a few of the relay's polls (every second).
  const std::string path = "/api/v1/request-surveys/" + number + "?token=" + tracking;
  HttpReply found;
  REQUIRE(PollUntil([&] { return (found = Fetch(GatewayUrl(), "GET", path)).status == 200; }, absl::Seconds(30),
                    absl::Milliseconds(200)));
  Problem(Fetch(GatewayUrl(), "GET", "/api/v1/request-surveys/" + number + "?token=sbagliato"), 404);
  json::object view = JsonObject(found);
  CHECK_FALSE(view.at("answered").as_bool());
  CHECK(found.body.find(tracking) == std::string::npos);
  std::string survey_id = Str(view.at("survey").as_object(), "id");
  CHECK(Str(view.at("survey").as_object(), "template") == "SURVEY_TEMPLATE_POST_RESOLUTION");

  std::string answer = R"({"number":")" + number + R"(","tracking_token":")" + tracking +
                       R"(","answers":[{"question":"solved","choices":["partly"]},{"question":"handling","value":3},)"
                       R"({"question":"comment","text":")" + comment + R"("}]})";
  HttpReply first = Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey_id + "/responses", answer);
  JsonObject(first);
  HttpReply second = Fetch(GatewayUrl(), "POST", "/api/v1/surveys/" + survey_id + "/responses", answer);
  Problem(second, 409);
  json::object after = JsonObject(Fetch(GatewayUrl(), "GET", path));
  CHECK(after.at("answered").as_bool());

  // The operators' list shows that a comment was given, never its words.
  HttpReply list = Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + survey_id + "/responses", "", op);
  REQUIRE(list.status == 200);
  CHECK(list.body.find("Giovanna") == std::string::npos);
  CHECK(list.body.find("text_given") != std::string::npos);
  // No public answer carries the comment or the tracking token.
  for (const HttpReply* r : {&found, &first, &second}) {
    CHECK(r->body.find(comment) == std::string::npos);
    CHECK(r->body.find(tracking) == std::string::npos);
  }
  json::object results = JsonObject(Fetch(GatewayUrl(), "GET", "/api/v1/surveys/" + survey_id + "/results", "", op));
  CHECK(json::serialize(results).find("Giovanna") == std::string::npos);

  // survey.answered reaches the tenant's partners without the text.
  auto stub = v1::SurveysService::NewStub(
      grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_SURVEYS_ADDR"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + box.Token({"partner"}));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::StreamSurveyEventsRequest req;
  req.set_tenant(box.tenant);
  auto reader = stub->StreamSurveyEvents(&ctx, req);
  v1::Event e;
  REQUIRE(reader->Read(&e));
  CHECK(e.type() == "survey.answered");
  CHECK(e.subject() == survey_id);
  CHECK(e.data().fields().at("channel").string_value() == "web");
  CHECK(e.data().fields().at("headline").number_value() == 3);
  CHECK(e.DebugString().find("Giovanna") == std::string::npos);
  CHECK(e.DebugString().find(tracking) == std::string::npos);
  ctx.TryCancel();

  // Nor any log of the stack.
  CHECK(GrepLogs(comment).empty());
  CHECK(GrepLogs(tracking).empty());
}

TEST_CASE("REST: Massafra's demo faces by office show the suppression", "[e2e][surveys]") {
  // Read only: 180 answers at the Anagrafe, 40 at the Tributi, 6 at the URP.
  json::object r = JsonObject(Fetch(GatewayUrl(), "GET",
                            "/api/v1/tenants/c_f027/surveys:indices?survey_id=00000000-0000-4000-a000-000000000002"
                            "&grouping=INDEX_GROUPING_OFFICE&from=2000-01-01T00:00:00Z"));
  REQUIRE(r.at("surveys").as_array().size() == 1);
  const json::object& faces = r.at("surveys").as_array()[0].as_object();
  // int64 travels as a JSON string (the protobuf JSON mapping).
  CHECK(faces.at("total").as_object().at("responses").as_string() == "226");
  std::map<std::string, bool> suppressed;
  for (const auto& g : faces.at("groups").as_array()) {
    const auto& o = g.as_object();
    suppressed[Str(o, "key")] = o.contains("suppressed") && o.at("suppressed").as_bool();
  }
  CHECK_FALSE(suppressed.at("00000000-0000-4000-8000-000000000004"));  // Anagrafe
  CHECK(suppressed.at("00000000-0000-4000-8000-000000000003"));        // URP: 6 < 10
  CHECK(suppressed.at("00000000-0000-4000-8000-000000000007"));        // Tributi: the secondary rule
}
