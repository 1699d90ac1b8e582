// End to end over REST: the three kinds of access in a sandbox tenant. A FOIA
// request with a counter-interested party who objects, from submission to the
// register (JSON and CSV); a documentary access without its interest (400); a
// simple civic access answered with a link, then asked again (409 with the
// link); no personal data of the requester or the party in public answers,
// the register or the CSV. (Terms that need the clock to move, silence as
// refusal and late objections, are tested in process on a ManualClock:
// tests/integration/complaints_access_pgtest.cpp.)
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "tests/support/http_client.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"

namespace json = boost::json;
using namespace sportello::testing;

namespace {

struct People {
  std::string requester = "Giulia " + UniqueName("Verdi");
  std::string email = UniqueName("giulia.") + "@example.it";
  std::string party = "Ditta " + UniqueName("Sud");
  std::string party_pec = UniqueName("ditta") + "@pec.example.it";

  void RequireAbsent(const std::string& body) const {
    INFO(body);
    for (const std::string* p : {&requester, &email, &party, &party_pec}) CHECK(body.find(*p) == std::string::npos);
  }
};

json::object Access(const People& p, const char* kind, const std::string& object) {
  return {{"kind", kind},
          {"subject", "Richiesta di accesso"},
          {"description", "Chiedo l'accesso a quanto indicato."},
          {"access_object", object},
          {"reporter", json::object{{"name", p.requester}, {"email", p.email}}}};
}

std::set<std::string> Fields(const json::object& problem) {
  std::set<std::string> out;
  if (const json::value* errors = problem.if_contains("errors")) {
    for (const auto& e : errors->as_array()) out.insert(Str(e, "field"));
  }
  return out;
}

}  // namespace

TEST_CASE("access over REST: FOIA with a counter-interested party, to the register", "[e2e][access]") {
  Sandbox box;
  People people;
  const Headers op = Bearer(box.operator_token);
  json::object submitted = JsonObject(PostJson(
      box.Path("/requests"), Access(people, "REQUEST_KIND_CIVIC_ACCESS", "Offerte tecniche della gara mensa")));
  const std::string number = Str(submitted.at("request"), "number");
  const std::string token = Str(submitted, "tracking_token");
  people.RequireAbsent(json::serialize(submitted));

  json::object party = JsonObject(PostJson("/api/v1/requests/" + number + ":add-counter-party",
                                           {{"name", people.party},
                                            {"channel", "NOTICE_CHANNEL_PEC"},
                                            {"address", people.party_pec}},
                                           op));
  const std::string party_id = Str(party, "id");
  CHECK(Str(party, "name") == people.party);  // the operator's own answer

  HttpReply public_view = Get("/api/v1/requests/" + number + "?token=" + token);
  json::object seen = JsonObject(public_view);
  CHECK(seen.at("civic_access").as_object().at("suspended").as_bool());
  people.RequireAbsent(public_view.body);

  // Deciding while the party may object: FAILED_PRECONDITION, 400 (google/rpc/code.proto).
  CHECK(PostJson("/api/v1/requests/" + number + ":decide", {{"outcome_code", "ACCESS_OUTCOME_GRANTED"}}, op).status ==
        400);
  json::object objected = JsonObject(PostJson("/api/v1/requests/" + number + ":record-objection",
                                              {{"counter_party_id", party_id}, {"text", "Segreti commerciali"}}, op));
  const json::object& after = objected.at("civic_access").as_object();
  CHECK_FALSE((after.contains("suspended") && after.at("suspended").as_bool()));

  // A FOIA refusal without its exception: 400 naming "exception".
  json::object problem = JsonObject(
      PostJson("/api/v1/requests/" + number + ":decide", {{"outcome_code", "ACCESS_OUTCOME_REFUSED"}}, op), 400);
  CHECK(Fields(problem) == std::set<std::string>{"exception"});
  JsonObject(PostJson("/api/v1/requests/" + number + ":decide",
                      {{"outcome_code", "ACCESS_OUTCOME_PARTIALLY_GRANTED"},
                       {"exception", "ACCESS_EXCEPTION_ECONOMIC_INTERESTS"}},
                      op));
  json::object review = JsonObject(
      PostJson("/api/v1/requests/" + number + ":request-review", {{"token", token}, {"reason", "Riesame"}}));
  CHECK(Str(review, "status") == "REQUEST_STATUS_UNDER_REVIEW");
  json::object reviewed = JsonObject(
      PostJson("/api/v1/requests/" + number + ":decide-review", {{"outcome", "REVIEW_OUTCOME_CONFIRMED"}}, op));
  CHECK(Str(reviewed, "status") == "REQUEST_STATUS_RESOLVED");

  // The register, public: the exception, the review, the objection; no personal data.
  HttpReply reg = Get(box.Path("/access-register?kind=REQUEST_KIND_CIVIC_ACCESS"));
  json::object listed = JsonObject(reg);
  const json::array& entries = listed.at("entries").as_array();
  REQUIRE(entries.size() == 1);
  CHECK(Str(entries[0], "number") == number);
  CHECK(Str(entries[0], "exception") == "ACCESS_EXCEPTION_ECONOMIC_INTERESTS");
  CHECK(Str(entries[0], "review_outcome") == "REVIEW_OUTCOME_CONFIRMED");
  CHECK(entries[0].as_object().at("objected").as_bool());
  people.RequireAbsent(reg.body);

  HttpReply csv = Get(box.Path("/access-register:export"));
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("content-type").find("text/csv") == 0);
  CHECK(csv.body.find(number) != std::string::npos);
  CHECK(csv.body.find("economic_interests") != std::string::npos);
  people.RequireAbsent(csv.body);
}

TEST_CASE("access over REST: bad input stores nothing", "[e2e][access]") {
  Sandbox box;
  People people;
  const Headers op = Bearer(box.operator_token);

  // A documentary access without its interest: 400.
  json::object problem = JsonObject(
      PostJson(box.Path("/requests"), Access(people, "REQUEST_KIND_DOCUMENTARY_ACCESS", "Permesso di costruire 12/2025")),
      400);
  CHECK(Fields(problem) == std::set<std::string>{"access_interest"});

  // A simple civic access answered with a link; asked again: 409 with the link.
  json::object simple = JsonObject(
      PostJson(box.Path("/requests"), Access(people, "REQUEST_KIND_SIMPLE_CIVIC_ACCESS", "Bandi di gara 2025")));
  const std::string number = Str(simple.at("request"), "number");
  const std::string link = "https://comune.example.it/trasparenza/bandi-2025";
  JsonObject(PostJson("/api/v1/requests/" + number + ":decide",
                      {{"outcome_code", "ACCESS_OUTCOME_PUBLISHED"}, {"published_url", link}}, op));
  HttpReply again =
      PostJson(box.Path("/requests"), Access(people, "REQUEST_KIND_SIMPLE_CIVIC_ACCESS", "I bandi di gara 2025"));
  json::object conflict = JsonObject(again, 409);
  CHECK(Str(conflict, "detail").find(link) != std::string::npos);
  CHECK(Fields(conflict) == std::set<std::string>{"access_object"});
  json::object listed = JsonObject(Get(box.Path("/requests?page_size=50"), op));
  CHECK(listed.at("requests").as_array().size() == 1);  // only the first

  json::object reg = JsonObject(Get(box.Path("/access-register?kind=REQUEST_KIND_SIMPLE_CIVIC_ACCESS")));
  REQUIRE(reg.at("entries").as_array().size() == 1);
  CHECK(Str(reg.at("entries").as_array()[0], "outcome_code") == "ACCESS_OUTCOME_PUBLISHED");
  // A bad semester: 400 on "semester".
  CHECK(Fields(JsonObject(Get(box.Path("/access-register?semester=2026-S9")), 400)) ==
        std::set<std::string>{"semester"});
}
