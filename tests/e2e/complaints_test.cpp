// End to end: a citizen's report through its whole life over REST, who may
// see and do what, idempotent submission, personal data never public, the
// retention purge, statistics, the access register, events to subscribers
// and the partners' stream over gRPC.
#include <grpcpp/grpcpp.h>

#include <boost/json.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "sportello/v1/common.grpc.pb.h"
#include "sportello/v1/complaints.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

constexpr const char* kTenant = "c_f027";  // Massafra, with the demo categories
constexpr const char* kRoadsOffice = "00000000-0000-4000-8000-000000000009";  // Lavori Pubblici

std::string Gateway() { return RequireEnv("SPORTELLO_TEST_GATEWAY_URL"); }
std::map<std::string, std::string> Auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
std::string Operator() { return TokenFor(kTenant, {"operator"}); }

json::object Json(const HttpReply& r) {
  INFO("status " << r.status << " body: " << r.body);
  REQUIRE(r.status == 200);  // an error's problem+json is an object too
  auto v = json::parse(r.body);
  REQUIRE(v.is_object());
  return v.as_object();
}
std::string Str(const json::object& o, const char* key) { return std::string(o.at(key).as_string()); }

// A unique reporter, so that its data can be searched for in every answer.
struct Citizen {
  std::string name = "Maria " + UniqueName("Rossi");
  std::string email = UniqueName("maria.") + "@example.it";
  std::string fiscal_code = "RSSMRA85T10A562S";
};

json::object Report(const Citizen& c, double lat, double lon, const std::string& description) {
  return {{"kind", "REQUEST_KIND_REPORT"},
          {"category", "strade-buche"},
          {"description", description},
          {"location", json::object{{"latitude", lat}, {"longitude", lon}}},
          {"address", "Via Vittorio Veneto 10, Massafra"},
          {"attributes", json::array{json::object{{"code", "tipo_dissesto"}, {"values", json::array{"buca"}}},
                                     json::object{{"code", "pericolo"}, {"values", json::array{"si"}}}}},
          {"public", true},
          {"reporter", json::object{{"name", c.name}, {"email", c.email}, {"fiscal_code", c.fiscal_code}}}};
}

struct Submitted {
  std::string number, token;
  json::object body;
};

Submitted Submit(const json::object& body, std::map<std::string, std::string> headers = {}) {
  HttpReply r = Fetch(Gateway(), "POST", std::string("/api/v1/tenants/") + kTenant + "/requests",
                      json::serialize(body), headers);
  INFO(r.body);
  REQUIRE(r.status == 200);
  json::object o = Json(r);
  return {Str(o.at("request").as_object(), "number"), Str(o, "tracking_token"), o};
}

void RequireNoPersonalData(const std::string& body, const Citizen& c) {
  INFO(body);
  CHECK(body.find(c.name) == std::string::npos);
  CHECK(body.find(c.email) == std::string::npos);
  CHECK(body.find(c.fiscal_code) == std::string::npos);
  CHECK(body.find("\"reporter\"") == std::string::npos);
}

HttpReply Post(const std::string& path, const json::object& body, const std::map<std::string, std::string>& h = {}) {
  return Fetch(Gateway(), "POST", path, json::serialize(body), h);
}

}  // namespace

TEST_CASE("complaints: one report from submission to closure", "[e2e][complaints]") {
  Citizen citizen;
  Submitted s = Submit(Report(citizen, 40.58801, 17.11402, "Buca profonda davanti al civico 10"));
  std::string path = "/api/v1/requests/" + s.number;
  CHECK(s.number.rfind("F027-", 0) == 0);
  CHECK(s.token.size() >= 24);
  json::object& created = s.body.at("request").as_object();
  CHECK_FALSE(Str(created, "subject").empty());  // defaults to the category name
  CHECK(Str(created, "status") == "REQUEST_STATUS_ASSIGNED");  // routed to the category's office
  CHECK(Str(created, "office_id") == kRoadsOffice);
  CHECK_FALSE(Str(created, "due_time").empty());
  RequireNoPersonalData(json::serialize(s.body), citizen);

  // The citizen reads it with the token: the public view.
  HttpReply mine = Fetch(Gateway(), "GET", path + "?token=" + s.token);
  REQUIRE(mine.status == 200);
  RequireNoPersonalData(mine.body, citizen);
  // Without the token, or with another one, nothing is revealed.
  CHECK(Fetch(Gateway(), "GET", path).status == 404);
  Submitted other = Submit(Report(Citizen{}, 40.6, 17.2, "Altra buca lontana"));
  CHECK(Fetch(Gateway(), "GET", path + "?token=" + other.token).status == 404);
  // Another tenant's operator learns nothing either.
  CHECK(Fetch(Gateway(), "GET", path, "", Auth(TokenFor("c_d171", {"operator"}))).status == 404);
  // The tenant's operator sees the reporter.
  json::object staff = Json(Fetch(Gateway(), "GET", path, "", Auth(Operator())));
  CHECK(Str(staff.at("reporter").as_object(), "email") == citizen.email);

  // The assigned office's referent works on it and asks the citizen something.
  std::string referent = TokenFor(kTenant, {"referent"});
  {
    sportello::auth::Principal p{"referente.lavori", kTenant, {"referent"}, kRoadsOffice, true};
    referent = sportello::auth::MintToken(RequireEnv("SPORTELLO_JWT_SECRET"), p, absl::Minutes(10));
  }
  auto move = [&](const std::string& to, const std::map<std::string, std::string>& who, const std::string& token = "") {
    json::object body{{"to", to}, {"note", "nota " + to}, {"public_note", true}};
    if (!token.empty()) body["token"] = token;
    return Post(path + ":transition", body, who);
  };
  CHECK(move("REQUEST_STATUS_IN_PROGRESS", Auth(referent)).status == 200);
  // A referent of another office may not act.
  {
    sportello::auth::Principal p{"altro", kTenant, {"referent"}, "00000000-0000-4000-8000-000000000011", true};
    std::string stranger = sportello::auth::MintToken(RequireEnv("SPORTELLO_JWT_SECRET"), p, absl::Minutes(10));
    CHECK(move("REQUEST_STATUS_RESOLVED", Auth(stranger)).status == 404);
  }
  CHECK(move("REQUEST_STATUS_WAITING_CITIZEN", Auth(referent)).status == 200);
  json::object waiting = Json(Fetch(Gateway(), "GET", path + "?token=" + s.token));
  CHECK(Str(waiting, "status") == "REQUEST_STATUS_WAITING_CITIZEN");
  // The citizen answers: the clock restarts and the request is back in progress.
  HttpReply answer = Post(path + ":message", {{"text", "La buca è larga circa un metro."}, {"token", s.token}});
  REQUIRE(answer.status == 200);
  CHECK(Str(Json(answer), "id") != "0");
  CHECK(Str(Json(answer), "visibility") == "MESSAGE_VISIBILITY_CITIZEN");
  CHECK(Str(Json(Fetch(Gateway(), "GET", path + "?token=" + s.token)), "status") == "REQUEST_STATUS_IN_PROGRESS");
  // An internal note stays internal.
  REQUIRE(Post(path + ":message", {{"text", "Preventivo ditta 1200 euro"}, {"visibility", "MESSAGE_VISIBILITY_INTERNAL"}},
               Auth(referent)).status == 200);
  // A citizen may not resolve; the referent may.
  CHECK(move("REQUEST_STATUS_RESOLVED", {}, s.token).status == 403);
  CHECK(move("REQUEST_STATUS_RESOLVED", Auth(referent)).status == 200);
  CHECK(move("REQUEST_STATUS_CLOSED", Auth(referent)).status == 403);  // closing is the URP's
  HttpReply closed = move("REQUEST_STATUS_CLOSED", Auth(Operator()));
  REQUIRE(closed.status == 200);
  CHECK(Str(Json(closed), "status") == "REQUEST_STATUS_CLOSED");
  CHECK(move("REQUEST_STATUS_IN_PROGRESS", Auth(Operator())).status == 400);  // no such move from closed

  // The history: public for the citizen, everything for staff.
  HttpReply public_history = Fetch(Gateway(), "GET", path + "/history?token=" + s.token);
  REQUIRE(public_history.status == 200);
  CHECK(public_history.body.find("Preventivo ditta") == std::string::npos);
  CHECK(public_history.body.find("referente.lavori") == std::string::npos);  // staff names stay inside
  CHECK(public_history.body.find("un metro") != std::string::npos);
  RequireNoPersonalData(public_history.body, citizen);
  HttpReply staff_history = Fetch(Gateway(), "GET", path + "/history", "", Auth(Operator()));
  CHECK(staff_history.body.find("Preventivo ditta") != std::string::npos);

  // The citizen may reopen within the window.
  CHECK(move("REQUEST_STATUS_REOPENED", {}, s.token).status == 200);
}

TEST_CASE("complaints: bad submissions change nothing", "[e2e][complaints]") {
  std::string path = std::string("/api/v1/tenants/") + kTenant + "/requests";
  Citizen c;
  json::object no_category = Report(c, 40.588, 17.114, "x");
  no_category.erase("category");
  CHECK(Post(path, no_category).status == 400);
  json::object bad_attr = Report(c, 40.588, 17.114, "Buca");
  bad_attr["attributes"] = json::array{json::object{{"code", "tipo_dissesto"}, {"values", json::array{"voragine"}}}};
  HttpReply r = Post(path, bad_attr);
  CHECK(r.status == 400);
  CHECK(r.body.find("attributes") != std::string::npos);
  json::object long_text = Report(c, 40.588, 17.114, std::string(4001, 'a'));
  CHECK(Post(path, long_text).status == 400);
  json::object bad_place = Report(c, 95.0, 17.114, "Buca");
  CHECK(Post(path, bad_place).status == 400);
  json::object unknown_category = Report(c, 40.588, 17.114, "Buca");
  unknown_category["category"] = "draghi";
  CHECK(Post(path, unknown_category).status == 400);
  CHECK(Post("/api/v1/tenants/c_nonesiste/requests", Report(c, 40.588, 17.114, "Buca")).status == 404);
  // None of them was stored: the operator's list has no request by this reporter.
  json::object list = Json(Fetch(Gateway(), "GET", path + "?q=Buca&page_size=200", "", Auth(Operator())));
  for (const auto& req : list.at("requests").as_array()) CHECK(json::serialize(req).find(c.email) == std::string::npos);
}

TEST_CASE("complaints: the same Idempotency-Key twice creates one request", "[e2e][complaints]") {
  Citizen c;
  std::string key = UniqueName("idem-");
  json::object body = Report(c, 40.5871, 17.1101, "Tombino rotto " + key);
  Submitted first = Submit(body, {{"Idempotency-Key", key}});
  Submitted again = Submit(body, {{"Idempotency-Key", key}});
  CHECK(again.number == first.number);
  CHECK(again.token == first.token);
  json::object list = Json(Fetch(Gateway(), "GET", std::string("/api/v1/tenants/") + kTenant + "/requests?q=" + key,
                                 "", Auth(Operator())));
  CHECK(list.at("requests").as_array().size() == 1);
  // The same key with other content is a conflict, not a silent replay.
  json::object changed = body;
  changed["description"] = "Tutt'altro";
  CHECK(Post(std::string("/api/v1/tenants/") + kTenant + "/requests", changed, {{"Idempotency-Key", key}}).status ==
        409);
}

TEST_CASE("complaints: nearby open reports of the same category are possible duplicates", "[e2e][complaints]") {
  double lat = 40.57 + (std::rand() % 1000) / 100000.0;
  Submitted first = Submit(Report(Citizen{}, lat, 17.12, "Buca A"));
  Submitted second = Submit(Report(Citizen{}, lat + 0.0002, 17.12, "Buca B, circa 22 metri più a nord"));
  bool found = false;
  for (const auto& d : second.body.at("possible_duplicates").as_array()) {
    if (Str(d.as_object(), "number") == first.number) {
      found = true;
      CHECK(d.as_object().at("distance_m").as_double() < 50);
    }
  }
  CHECK(found);
  // The operator marks it as a duplicate of the first.
  HttpReply dup = Post("/api/v1/requests/" + second.number + ":transition",
                       {{"to", "REQUEST_STATUS_DUPLICATE"}, {"duplicate_of", first.number}}, Auth(Operator()));
  REQUIRE(dup.status == 200);
  CHECK(Str(Json(dup), "duplicate_of") == first.number);
  // Merged: the original's public history names the duplicate.
  HttpReply history = Fetch(Gateway(), "GET", "/api/v1/requests/" + first.number + "/history?token=" + first.token);
  REQUIRE(history.status == 200);
  CHECK(history.body.find("\"merged\"") != std::string::npos);
  CHECK(history.body.find(second.number) != std::string::npos);
}

TEST_CASE("complaints: personal data never in public answers; retention purge keeps figures", "[e2e][complaints]") {
  Citizen c;
  Submitted s = Submit(Report(c, 40.5899, 17.1155, "Marciapiede dissestato"));
  std::string base = std::string("/api/v1/tenants/") + kTenant;
  for (const std::string& url : std::vector<std::string>{base + "/public-requests?page_size=200", base + "/public-requests:updates?since=2020-01-01T00:00:00Z",
        base + "/access-register", "/api/v1/request-tokens/" + s.token, "/api/v1/requests/" + s.number + "?token=" + s.token,
        "/open311/v2/requests.json?jurisdiction_id=c_f027", "/open311/v2/requests.xml?jurisdiction_id=c_f027"}) {
    HttpReply r = Fetch(Gateway(), "GET", url);
    INFO(url);
    CHECK(r.status == 200);
    RequireNoPersonalData(r.body, c);
  }
  HttpReply csv = Fetch(Gateway(), "GET", base + "/requests:export", "", Auth(Operator()));
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("content-type").rfind("text/csv", 0) == 0);
  CHECK(csv.body.rfind("number,kind,category", 0) == 0);
  CHECK(csv.body.find(s.number) != std::string::npos);
  RequireNoPersonalData(csv.body, c);

  Submit({{"kind", "REQUEST_KIND_SUGGESTION"}, {"subject", "Orari"}, {"description", "Aprire il sabato"}});
  HttpReply stats_before = Fetch(Gateway(), "GET", base + "/requests:stats", "", Auth(Operator()));
  REQUIRE(stats_before.status == 200);
  json::object before = Json(stats_before);
  // Requests without a category or an office are counted under a name, not lost.
  bool uncategorised = false;
  for (const auto& c : before.at("by_category").as_array()) uncategorised |= Str(c.as_object(), "key") == "(nessuna)";
  CHECK(uncategorised);
  // Close it, then purge: the reporter goes, the request and the figures stay.
  REQUIRE(Post("/api/v1/requests/" + s.number + ":transition", {{"to", "REQUEST_STATUS_REJECTED"}, {"note", "Area privata"}},
               Auth(Operator())).status == 200);
  HttpReply future = Post(base + "/requests:purge", {{"closed_before", "2099-01-01T00:00:00Z"}},
                          Auth(TokenFor(kTenant, {"admin"})));
  CHECK(future.status == 400);  // not in the future
  HttpReply not_admin = Post(base + "/requests:purge", json::object{}, Auth(Operator()));
  CHECK(not_admin.status == 403);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  HttpReply purge = Post(base + "/requests:purge", {{"closed_before", absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())}},
                         Auth(TokenFor(kTenant, {"admin"})));
  REQUIRE(purge.status == 200);
  CHECK(std::stoll(std::string(Json(purge).at("purged").as_string())) >= 1);
  json::object after_purge = Json(Fetch(Gateway(), "GET", "/api/v1/requests/" + s.number, "", Auth(Operator())));
  RequireNoPersonalData(json::serialize(after_purge), c);
  CHECK(Str(after_purge, "status") == "REQUEST_STATUS_REJECTED");
  HttpReply stats_after = Fetch(Gateway(), "GET", base + "/requests:stats", "", Auth(Operator()));
  REQUIRE(stats_after.status == 200);
  json::object after = Json(stats_after);
  CHECK(std::stoll(std::string(after.at("total").as_string())) >= std::stoll(std::string(before.at("total").as_string())));
  CHECK_FALSE(after.at("by_kind").as_array().empty());
}

TEST_CASE("complaints: civic access register and proactive publication", "[e2e][complaints]") {
  std::string object = "Delibera " + UniqueName("n") + " sull'illuminazione pubblica";
  std::string first_number;
  for (int i = 0; i < 4; ++i) {
    json::object body{{"kind", "REQUEST_KIND_CIVIC_ACCESS"},
                      {"subject", "Accesso civico"},
                      {"description", "Chiedo copia dell'atto"},
                      {"access_object", i % 2 ? "Copia della " + object : object},
                      {"reporter", json::object{{"email", UniqueName("req") + "@example.it"}}}};
    Submitted s = Submit(body);
    if (i == 0) first_number = s.number;
    CHECK(Str(s.body.at("request").as_object(), "status") != "");
  }
  HttpReply decided = Post("/api/v1/requests/" + first_number + ":decide",
                           {{"outcome", "accolto"}, {"decision_date", "2026-11-20"}}, Auth(Operator()));
  REQUIRE(decided.status == 200);
  json::object reg = Json(Fetch(Gateway(), "GET", std::string("/api/v1/tenants/") + kTenant + "/access-register"));
  bool listed = false;
  for (const auto& e : reg.at("entries").as_array()) {
    if (Str(e.as_object(), "number") == first_number) {
      listed = true;
      CHECK(Str(e.as_object(), "outcome") == "accolto");
      CHECK(Str(e.as_object(), "decision_date") == "2026-11-20");
      CHECK(e.as_object().at("publish_proactively").as_bool());  // four different requesters
    }
  }
  CHECK(listed);
  CHECK(Post("/api/v1/requests/" + first_number + ":decide", {{"outcome", "accolto"}, {"decision_date", "20/11/2026"}},
             Auth(Operator())).status == 400);
}

namespace {

// A subscriber as the configuration names it: records what it is given.
class RecordingSink final : public v1::EventSink::Service {
 public:
  grpc::Status Deliver(grpc::ServerContext*, const v1::Event* event, v1::DeliverResponse*) override {
    std::lock_guard lock(mu_);
    events_.push_back(*event);
    return grpc::Status::OK;
  }
  std::vector<v1::Event> Events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::Event> events_;
};

}  // namespace

TEST_CASE("complaints: events reach the subscriber and the partners' stream", "[e2e][complaints][grpc]") {
  RecordingSink sink;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(RequireEnv("SPORTELLO_TEST_EVENT_SINK_ADDR"), grpc::InsecureServerCredentials());
  builder.RegisterService(&sink);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server);

  Submitted s = Submit(Report(Citizen{}, 40.5861, 17.1171, "Lampione? No: buca per l'evento"));
  REQUIRE(Post("/api/v1/requests/" + s.number + ":transition", {{"to", "REQUEST_STATUS_IN_PROGRESS"}},
               Auth(Operator())).status == 200);

  // Delivered at least once, in order, within a few seconds of the relay's polls.
  std::vector<std::string> types;
  for (int i = 0; i < 100 && types.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    types.clear();
    for (const auto& e : sink.Events()) {
      if (e.subject() == s.number) types.push_back(e.type());
    }
  }
  REQUIRE(types.size() >= 2);
  CHECK(types[0] == "request.created");
  CHECK(types[1] == "request.status_changed");
  std::set<std::string> ids;
  long long last_sequence = 0;
  for (const auto& e : sink.Events()) {
    CHECK(e.sequence() > last_sequence);  // in order
    last_sequence = e.sequence();
    ids.insert(e.id());
    CHECK(e.data().fields().count("email") == 0);
  }
  server->Shutdown();

  // A partner follows the tenant's events from a cursor over gRPC.
  auto channel = grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_COMPLAINTS_ADDR"), grpc::InsecureChannelCredentials());
  auto stub = v1::ComplaintsService::NewStub(channel);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + TokenFor(kTenant, {"partner"}));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamRequestEventsRequest req;
    req.set_tenant(kTenant);
    auto reader = stub->StreamRequestEvents(&ctx, req);
    v1::Event e;
    bool saw_ours = false;
    while (!saw_ours && reader->Read(&e)) saw_ours = e.subject() == s.number && e.type() == "request.created";
    CHECK(saw_ours);
    ctx.TryCancel();
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + TokenFor("c_d171", {"partner"}));
    v1::StreamRequestEventsRequest req;
    req.set_tenant(kTenant);
    auto reader = stub->StreamRequestEvents(&ctx, req);
    v1::Event e;
    CHECK_FALSE(reader->Read(&e));
    CHECK(reader->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_CASE("complaints: routing rules and forwarding within the Unione", "[e2e][complaints]") {
  std::string base = std::string("/api/v1/tenants/") + kTenant;
  // Complaints go to the URP office by rule (no category, so only the kind matches).
  constexpr const char* kUrp = "00000000-0000-4000-8000-000000000003";
  HttpReply rule = Post(base + "/routing-rules", {{"kind", "REQUEST_KIND_COMPLAINT"}, {"office_id", kUrp}},
                        Auth(Operator()));
  INFO(rule.body);
  REQUIRE(rule.status == 200);
  CHECK(Post(base + "/routing-rules", {{"kind", "REQUEST_KIND_COMPLAINT"}, {"office_id", "00000000-0000-4000-8000-0000000000ff"}},
             Auth(Operator())).status == 400);
  json::object rules = Json(Fetch(Gateway(), "GET", base + "/routing-rules", "", Auth(Operator())));
  CHECK_FALSE(rules.at("rules").as_array().empty());

  json::object complaint{{"kind", "REQUEST_KIND_COMPLAINT"},
                         {"subject", "Attesa allo sportello anagrafe"},
                         {"description", "Ho atteso due ore per un certificato."},
                         {"reporter", json::object{{"email", UniqueName("attesa") + "@example.it"}}}};
  Submitted s = Submit(complaint);
  json::object& created = s.body.at("request").as_object();
  CHECK(Str(created, "office_id") == kUrp);
  CHECK(Str(created, "status") == "REQUEST_STATUS_ASSIGNED");

  // The URP forwards it to Crispiano, a member of the same Unione; not outside it.
  CHECK(Post("/api/v1/requests/" + s.number + ":forward", {{"to_tenant", "c_nonesiste"}}, Auth(Operator())).status == 400);
  HttpReply forwarded = Post("/api/v1/requests/" + s.number + ":forward",
                             {{"to_tenant", "c_d171"}, {"note", "Competenza del Comune di Crispiano"}}, Auth(Operator()));
  INFO(forwarded.body);
  REQUIRE(forwarded.status == 200);
  json::object original = Json(forwarded);
  CHECK(Str(original, "status") == "REQUEST_STATUS_FORWARDED");
  std::string copy = Str(original, "forwarded_to");
  REQUIRE(copy.rfind("D171-", 0) == 0);
  // The citizen's code follows the request to Crispiano; Crispiano's operator sees it, with its origin.
  json::object at_crispiano = Json(Fetch(Gateway(), "GET", "/api/v1/requests/" + copy + "?token=" + s.token));
  CHECK(Str(at_crispiano, "forwarded_from") == s.number);
  json::object staff = Json(Fetch(Gateway(), "GET", "/api/v1/requests/" + copy, "", Auth(TokenFor("c_d171", {"operator"}))));
  CHECK(staff.contains("reporter"));
  // Massafra's operator may not act on Crispiano's copy.
  CHECK(Fetch(Gateway(), "GET", "/api/v1/requests/" + copy, "", Auth(Operator())).status == 404);
  json::object history = Json(Fetch(Gateway(), "GET", "/api/v1/requests/" + s.number + "/history?token=" + s.token));
  bool noted = false;
  for (const auto& h : history.at("entries").as_array()) noted |= Str(h.as_object(), "action") == "forwarded";
  CHECK(noted);
}
