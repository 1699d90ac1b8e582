// End to end: a citizen's report through its whole life over REST, who may
// see and do what, idempotent submission, personal data never public, the
// retention purge, statistics, the access register, events to subscribers
// and the partners' stream over gRPC. Each test works in sandbox tenants of
// its own (tests/support/sandbox.h), never in the demo's.
#include <grpcpp/grpcpp.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <mutex>
#include <set>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sportello/v1/common.grpc.pb.h"
#include "sportello/v1/complaints.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/poll.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace json = boost::json;
namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

// A unique reporter, so that its data can be searched for in every answer.
struct Citizen {
  std::string name = "Maria " + UniqueName("Rossi");
  std::string email = UniqueName("maria.") + "@example.it";
  std::string fiscal_code = "RSSMRA85T10A562S";

  json::object AsJson() const { return {{"name", name}, {"email", email}, {"fiscal_code", fiscal_code}}; }
};

json::object ReportBy(const Sandbox& box, const Citizen& c, const std::string& description, double lat = 40.5880,
                      double lon = 17.1140) {
  json::object report = box.Report(description, lat, lon);
  report["reporter"] = c.AsJson();
  return report;
}

struct Submitted {
  std::string number, token;
  json::object body;
};

Submitted Submit(const Sandbox& box, const json::object& body, const Headers& headers = {}) {
  json::object o = JsonObject(PostJson(box.Path("/requests"), body, headers));
  return {Str(o.at("request"), "number"), Str(o, "tracking_token"), o};
}

void RequireNoPersonalData(const std::string& body, const Citizen& c) {
  INFO(body);
  CHECK(body.find(c.name) == std::string::npos);
  CHECK(body.find(c.email) == std::string::npos);
  CHECK(body.find(c.fiscal_code) == std::string::npos);
  CHECK(body.find("\"reporter\"") == std::string::npos);
}

// The number's prefix: the IPA code in capitals without its separators.
std::string NumberPrefix(const std::string& tenant) {
  std::string out;
  for (char c : tenant) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out + "-";
}

// The fields named by a problem+json answer's violations.
std::set<std::string> ViolatedFields(const HttpReply& r) {
  json::object problem = JsonObject(r, 400);
  std::set<std::string> fields;
  if (const json::value* errors = problem.if_contains("errors")) {
    for (const auto& e : errors->as_array()) fields.insert(Str(e, "field"));
  }
  return fields;
}

// int64 fields travel as JSON strings (the protobuf JSON mapping).
long long Int64(const json::value& v) {
  return v.is_string() ? std::stoll(std::string(v.as_string())) : v.to_number<long long>();
}

long long CountOf(const json::object& stats, const char* group, const std::string& key) {
  for (const auto& c : stats.at(group).as_array()) {
    if (Str(c, "key") == key) return Int64(c.at("count"));
  }
  return 0;
}

HttpReply Transition(const std::string& number, const std::string& to, const Headers& who,
                     const std::string& token = "") {
  json::object body{{"to", to}, {"note", "nota " + to}, {"public_note", true}};
  if (!token.empty()) body["token"] = token;
  return PostJson("/api/v1/requests/" + number + ":transition", body, who);
}

}  // namespace

TEST_CASE("complaints: one report from submission to closure", "[e2e][complaints]") {
  Sandbox box, other;
  Citizen citizen;
  Submitted s = Submit(box, ReportBy(box, citizen, "Buca profonda davanti al civico 10"));
  std::string path = "/api/v1/requests/" + s.number;
  CHECK(s.number.rfind(NumberPrefix(box.tenant), 0) == 0);
  CHECK(s.token.size() >= 24);
  const json::object& created = s.body.at("request").as_object();
  CHECK(Str(created, "subject") == "Strade e marciapiedi dissestati");  // defaults to the category name
  CHECK(Str(created, "status") == "REQUEST_STATUS_ASSIGNED");           // routed to the category's office
  CHECK(Str(created, "office_id") == box.office_id);
  CHECK_FALSE(Str(created, "due_time").empty());
  RequireNoPersonalData(json::serialize(s.body), citizen);

  // The citizen reads it with the token: the public view.
  HttpReply mine = Get(path + "?token=" + s.token);
  REQUIRE(mine.status == 200);
  CHECK(Str(JsonObject(mine), "number") == s.number);
  RequireNoPersonalData(mine.body, citizen);
  // Without the token, or with another one, nothing is revealed.
  CHECK(Get(path).status == 404);
  Submitted another = Submit(box, box.Report("Altra buca lontana", 40.6, 17.2));
  CHECK(Get(path + "?token=" + another.token).status == 404);
  // Another tenant's operator learns nothing either.
  CHECK(Get(path, Bearer(other.operator_token)).status == 404);
  // The tenant's operator sees the reporter.
  json::object staff = JsonObject(Get(path, Bearer(box.operator_token)));
  CHECK(Str(staff.at("reporter"), "email") == citizen.email);

  // The assigned office's referent works on it and asks the citizen something.
  std::string referent = box.Token({"referent"}, box.office_id, "referente.lavori");
  CHECK(Transition(s.number, "REQUEST_STATUS_IN_PROGRESS", Bearer(referent)).status == 200);
  // A referent of another office may not act.
  std::string stranger = box.Token({"referent"}, box.urp_office_id, "altro");
  CHECK(Transition(s.number, "REQUEST_STATUS_RESOLVED", Bearer(stranger)).status == 404);
  CHECK(Transition(s.number, "REQUEST_STATUS_WAITING_CITIZEN", Bearer(referent)).status == 200);
  CHECK(Str(JsonObject(Get(path + "?token=" + s.token)), "status") == "REQUEST_STATUS_WAITING_CITIZEN");
  // The citizen answers: the clock restarts and the request is back in progress.
  HttpReply answer = PostJson(path + ":message", {{"text", "La buca è larga circa un metro."}, {"token", s.token}});
  json::object message = JsonObject(answer);
  CHECK(Int64(message.at("id")) > 0);
  CHECK(Str(message, "visibility") == "MESSAGE_VISIBILITY_CITIZEN");
  CHECK(Str(JsonObject(Get(path + "?token=" + s.token)), "status") == "REQUEST_STATUS_IN_PROGRESS");
  // An internal note stays internal.
  REQUIRE(PostJson(path + ":message",
                   {{"text", "Preventivo ditta 1200 euro"}, {"visibility", "MESSAGE_VISIBILITY_INTERNAL"}},
                   Bearer(referent))
              .status == 200);
  // A citizen may not resolve; the referent may.
  CHECK(Transition(s.number, "REQUEST_STATUS_RESOLVED", {}, s.token).status == 403);
  CHECK(Transition(s.number, "REQUEST_STATUS_RESOLVED", Bearer(referent)).status == 200);
  CHECK(Transition(s.number, "REQUEST_STATUS_CLOSED", Bearer(referent)).status == 403);  // closing is the URP's
  HttpReply closed = Transition(s.number, "REQUEST_STATUS_CLOSED", Bearer(box.operator_token));
  CHECK(Str(JsonObject(closed), "status") == "REQUEST_STATUS_CLOSED");
  CHECK(Transition(s.number, "REQUEST_STATUS_IN_PROGRESS", Bearer(box.operator_token)).status == 400);  // no such move

  // The history: public for the citizen, everything for staff.
  HttpReply public_history = Get(path + "/history?token=" + s.token);
  REQUIRE(public_history.status == 200);
  CHECK(public_history.body.find("Preventivo ditta") == std::string::npos);
  CHECK(public_history.body.find("referente.lavori") == std::string::npos);  // staff names stay inside
  CHECK(public_history.body.find("un metro") != std::string::npos);
  RequireNoPersonalData(public_history.body, citizen);
  HttpReply staff_history = Get(path + "/history", Bearer(box.operator_token));
  REQUIRE(staff_history.status == 200);
  CHECK(staff_history.body.find("Preventivo ditta") != std::string::npos);
  CHECK(staff_history.body.find("referente.lavori") != std::string::npos);

  // The citizen may reopen within the window.
  HttpReply reopened = Transition(s.number, "REQUEST_STATUS_REOPENED", {}, s.token);
  CHECK(Str(JsonObject(reopened), "status") == "REQUEST_STATUS_REOPENED");
}

TEST_CASE("complaints: bad submissions change nothing", "[e2e][complaints]") {
  Sandbox box;
  std::string path = box.Path("/requests");
  Citizen c;
  json::object no_category = ReportBy(box, c, "Buca senza categoria");
  no_category.erase("category");
  CHECK(ViolatedFields(PostJson(path, no_category)).count("category") == 1);
  json::object bad_attr = ReportBy(box, c, "Buca con un attributo sbagliato");
  bad_attr["attributes"] = json::array{json::object{{"code", "tipo_dissesto"}, {"values", json::array{"voragine"}}}};
  HttpReply r = PostJson(path, bad_attr);
  CHECK(r.status == 400);
  CHECK(r.body.find("attributes") != std::string::npos);
  CHECK(ViolatedFields(PostJson(path, ReportBy(box, c, std::string(4001, 'a')))).count("description") == 1);
  CHECK(ViolatedFields(PostJson(path, ReportBy(box, c, "Buca fuori dal mondo", 95.0))).count("location.latitude") == 1);
  json::object unknown_category = ReportBy(box, c, "Buca di una categoria che non c'è");
  unknown_category["category"] = "draghi";
  CHECK(ViolatedFields(PostJson(path, unknown_category)).count("category") == 1);
  CHECK(PostJson("/api/v1/tenants/" + UniqueName("sb_") + "/requests", ReportBy(box, c, "Buca")).status == 404);

  // None of them was stored: the tenant has no request at all.
  auto listed = [&] {
    return JsonObject(Get(path + "?page_size=200", Bearer(box.operator_token))).at("requests").as_array();
  };
  CHECK(listed().empty());

  // The same list shows a request once one is stored: its emptiness above meant something.
  Submitted good = Submit(box, ReportBy(box, c, "Buca segnalata come si deve"));
  json::array after = listed();
  REQUIRE(after.size() == 1);
  CHECK(Str(after[0], "number") == good.number);
  // With the same operator token, on the same request: the list is the public
  // view, without the reporter; the request itself is the staff view, with it.
  RequireNoPersonalData(json::serialize(after[0]), c);
  json::object staff = JsonObject(Get("/api/v1/requests/" + good.number, Bearer(box.operator_token)));
  REQUIRE(staff.contains("reporter"));
  CHECK(Str(staff.at("reporter"), "email") == c.email);
  CHECK(Str(staff.at("reporter"), "name") == c.name);
}

TEST_CASE("complaints: the same Idempotency-Key twice creates one request", "[e2e][complaints]") {
  Sandbox box;
  Citizen c;
  std::string key = UniqueName("idem-");
  json::object body = ReportBy(box, c, "Tombino rotto " + key);
  Submitted first = Submit(box, body, {{"Idempotency-Key", key}});
  Submitted again = Submit(box, body, {{"Idempotency-Key", key}});
  CHECK(again.number == first.number);
  CHECK(again.token == first.token);
  json::object list = JsonObject(Get(box.Path("/requests"), Bearer(box.operator_token)));
  REQUIRE(list.at("requests").as_array().size() == 1);
  CHECK(Str(list.at("requests").as_array()[0], "number") == first.number);
  // The same key with other content is a conflict, not a silent replay.
  json::object changed = body;
  changed["description"] = "Tutt'altro";
  CHECK(PostJson(box.Path("/requests"), changed, {{"Idempotency-Key", key}}).status == 409);
  CHECK(JsonObject(Get(box.Path("/requests"), Bearer(box.operator_token))).at("requests").as_array().size() == 1);
}

TEST_CASE("complaints: nearby open reports of the same category are possible duplicates", "[e2e][complaints]") {
  Sandbox box;
  Submitted first = Submit(box, box.Report("Buca A", 40.5800, 17.12));
  CHECK(first.body.at("possible_duplicates").as_array().empty());  // the tenant's first report
  Submitted second = Submit(box, box.Report("Buca B, circa 22 metri più a nord", 40.5802, 17.12));
  const json::array& candidates = second.body.at("possible_duplicates").as_array();
  REQUIRE(candidates.size() == 1);
  CHECK(Str(candidates[0], "number") == first.number);
  CHECK(candidates[0].at("distance_m").to_number<double>() == Approx(22.2).margin(1.0));
  // The operator marks it as a duplicate of the first.
  HttpReply dup =
      PostJson("/api/v1/requests/" + second.number + ":transition",
               {{"to", "REQUEST_STATUS_DUPLICATE"}, {"duplicate_of", first.number}}, Bearer(box.operator_token));
  json::object marked = JsonObject(dup);
  CHECK(Str(marked, "duplicate_of") == first.number);
  CHECK(Str(marked, "status") == "REQUEST_STATUS_DUPLICATE");
  // Merged: the original's public history names the duplicate.
  HttpReply history = Get("/api/v1/requests/" + first.number + "/history?token=" + first.token);
  REQUIRE(history.status == 200);
  CHECK(history.body.find("\"merged\"") != std::string::npos);
  CHECK(history.body.find(second.number) != std::string::npos);
}

TEST_CASE("complaints: personal data never in public answers; retention purge keeps figures", "[e2e][complaints]") {
  Sandbox box;
  Citizen c;
  Submitted s = Submit(box, ReportBy(box, c, "Marciapiede dissestato"));
  const std::string jurisdiction = "jurisdiction_id=" + box.tenant;
  for (const std::string& url : std::vector<std::string>{
           box.Path("/public-requests?page_size=200"), box.Path("/public-requests:updates?since=2020-01-01T00:00:00Z"),
           box.Path("/access-register"), "/api/v1/request-tokens/" + s.token,
           "/api/v1/requests/" + s.number + "?token=" + s.token, "/open311/v2/requests.json?" + jurisdiction,
           "/open311/v2/requests.xml?" + jurisdiction}) {
    INFO(url);
    HttpReply r = Get(url);
    CHECK(r.status == 200);
    RequireNoPersonalData(r.body, c);
  }
  // The public list does show the request (the report is public): the check above looked at it.
  CHECK(Get(box.Path("/public-requests?page_size=200")).body.find(s.number) != std::string::npos);
  HttpReply csv = Get(box.Path("/requests:export"), Bearer(box.operator_token));
  REQUIRE(csv.status == 200);
  CHECK(csv.Header("content-type").rfind("text/csv", 0) == 0);
  CHECK(csv.body.rfind("number,kind,category", 0) == 0);
  CHECK(csv.body.find(s.number) != std::string::npos);
  RequireNoPersonalData(csv.body, c);

  Submit(box, {{"kind", "REQUEST_KIND_SUGGESTION"}, {"subject", "Orari"}, {"description", "Aprire il sabato"}});
  json::object before = JsonObject(Get(box.Path("/requests:stats"), Bearer(box.operator_token)));
  CHECK(Int64(before.at("total")) == 2);
  CHECK(CountOf(before, "by_kind", "report") == 1);
  CHECK(CountOf(before, "by_kind", "suggestion") == 1);
  // Requests without a category or an office are counted under a name, not lost.
  CHECK(CountOf(before, "by_category", "(nessuna)") == 1);

  // Close it, then purge: the reporter goes, the request and the figures stay.
  json::object rejected =
      JsonObject(PostJson("/api/v1/requests/" + s.number + ":transition",
                          {{"to", "REQUEST_STATUS_REJECTED"}, {"note", "Area privata"}}, Bearer(box.operator_token)));
  CHECK(Str(rejected, "status") == "REQUEST_STATUS_REJECTED");
  absl::Time closed_time;
  std::string err;
  REQUIRE(absl::ParseTime(absl::RFC3339_full, Str(rejected, "closed_time"), &closed_time, &err));
  HttpReply future =
      PostJson(box.Path("/requests:purge"), {{"closed_before", "2099-01-01T00:00:00Z"}}, Bearer(box.admin_token));
  CHECK(future.status == 400);  // not in the future
  CHECK(PostJson(box.Path("/requests:purge"), json::object{}, Bearer(box.operator_token)).status == 403);
  // "Closed before now" must include it: wait until now is past its closing time.
  REQUIRE(PollUntil([&] { return absl::Now() > closed_time; }, absl::Seconds(5)));
  HttpReply purge =
      PostJson(box.Path("/requests:purge"),
               {{"closed_before", absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())}},
               Bearer(box.admin_token));
  CHECK(Int64(JsonObject(purge).at("purged")) == 1);  // the suggestion is open and had no reporter
  json::object after_purge = JsonObject(Get("/api/v1/requests/" + s.number, Bearer(box.operator_token)));
  RequireNoPersonalData(json::serialize(after_purge), c);
  CHECK(Str(after_purge, "status") == "REQUEST_STATUS_REJECTED");
  CHECK(Str(after_purge, "description") == "Marciapiede dissestato");
  json::object after = JsonObject(Get(box.Path("/requests:stats"), Bearer(box.operator_token)));
  CHECK(Int64(after.at("total")) == 2);
  CHECK(CountOf(after, "by_kind", "report") == 1);
  CHECK(CountOf(after, "by_kind", "suggestion") == 1);
}

TEST_CASE("complaints: civic access register and proactive publication", "[e2e][complaints]") {
  Sandbox box;
  std::string object = "Delibera " + UniqueName("n") + " sull'illuminazione pubblica";
  std::vector<std::string> numbers;
  for (int i = 0; i < 4; ++i) {
    json::object body{{"kind", "REQUEST_KIND_CIVIC_ACCESS"},
                      {"subject", "Accesso civico"},
                      {"description", "Chiedo copia dell'atto"},
                      {"access_object", i % 2 ? "Copia della " + object : object},
                      {"reporter", json::object{{"email", UniqueName("req") + "@example.it"}}}};
    Submitted s = Submit(box, body);
    numbers.push_back(s.number);
    // No category and no routing rule in the sandbox: nobody is assigned yet.
    CHECK(Str(s.body.at("request"), "status") == "REQUEST_STATUS_RECEIVED");
  }
  HttpReply decided = PostJson("/api/v1/requests/" + numbers[0] + ":decide",
                               {{"outcome", "accolto"}, {"decision_date", "2026-11-20"}}, Bearer(box.operator_token));
  REQUIRE(decided.status == 200);
  json::object reg = JsonObject(Get(box.Path("/access-register")));
  bool listed = false;
  for (const auto& e : reg.at("entries").as_array()) {
    if (Str(e, "number") == numbers[0]) {
      listed = true;
      CHECK(Str(e, "outcome") == "accolto");
      CHECK(Str(e, "decision_date") == "2026-11-20");
      CHECK(e.at("publish_proactively").as_bool());  // four different requesters
    }
  }
  CHECK(listed);
  CHECK(PostJson("/api/v1/requests/" + numbers[0] + ":decide",
                 {{"outcome", "accolto"}, {"decision_date", "20/11/2026"}}, Bearer(box.operator_token))
            .status == 400);
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
  Sandbox box, other;
  RecordingSink sink;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(RequireEnv("SPORTELLO_TEST_EVENT_SINK_ADDR"), grpc::InsecureServerCredentials());
  builder.RegisterService(&sink);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server);

  Submitted s = Submit(box, box.Report("Buca per l'evento"));
  REQUIRE(Transition(s.number, "REQUEST_STATUS_IN_PROGRESS", Bearer(box.operator_token)).status == 200);

  // Delivered at least once, in order, within a few of the relay's polls.
  auto ours = [&] {
    std::vector<std::string> types;
    for (const auto& e : sink.Events()) {
      if (e.subject() == s.number) types.push_back(e.type());
    }
    return types;
  };
  REQUIRE(PollUntil([&] { return ours().size() >= 2; }, absl::Seconds(15)));
  std::vector<std::string> types = ours();
  CHECK(types[0] == "request.created");
  CHECK(types[1] == "request.status_changed");
  for (const auto& e : sink.Events()) {
    if (e.subject() != s.number || e.type() != "request.status_changed") continue;
    // Kind, category and channel: a consumer (surveys) needs no call back.
    CHECK(e.data().fields().at("kind").string_value() == "report");
    CHECK(e.data().fields().at("category").string_value() == box.category);
    CHECK(e.data().fields().at("channel").string_value() == "web");
  }
  std::set<std::string> ids;
  long long last_sequence = 0;
  for (const auto& e : sink.Events()) {
    CHECK(e.sequence() > last_sequence);  // in order
    last_sequence = e.sequence();
    ids.insert(e.id());
    CHECK(e.data().fields().count("email") == 0);
  }
  server->Shutdown();

  // A partner follows the tenant's events from a cursor over gRPC: the
  // sandbox's first events are ours.
  auto channel = grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_COMPLAINTS_ADDR"), grpc::InsecureChannelCredentials());
  auto stub = v1::ComplaintsService::NewStub(channel);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + box.Token({"partner"}));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamRequestEventsRequest req;
    req.set_tenant(box.tenant);
    auto reader = stub->StreamRequestEvents(&ctx, req);
    std::vector<v1::Event> got;
    v1::Event e;
    while (got.size() < 2 && reader->Read(&e)) got.push_back(e);
    REQUIRE(got.size() == 2);
    CHECK(got[0].subject() == s.number);
    CHECK(got[0].type() == "request.created");
    CHECK(got[1].subject() == s.number);
    CHECK(got[1].type() == "request.status_changed");
    CHECK(got[0].sequence() < got[1].sequence());
    ctx.TryCancel();
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + other.Token({"partner"}));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamRequestEventsRequest req;
    req.set_tenant(box.tenant);
    auto reader = stub->StreamRequestEvents(&ctx, req);
    v1::Event e;
    CHECK_FALSE(reader->Read(&e));
    CHECK(reader->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_CASE("complaints: routing rules and forwarding within the Unione", "[e2e][complaints]") {
  SandboxUnione unione(2);
  Sandbox& from = unione.members[0];
  Sandbox& to = unione.members[1];
  Sandbox outsider;
  // Complaints go to the URP office by rule (no category, so only the kind matches).
  HttpReply rule =
      PostJson(from.Path("/routing-rules"), {{"kind", "REQUEST_KIND_COMPLAINT"}, {"office_id", from.urp_office_id}},
               Bearer(from.operator_token));
  JsonObject(rule);
  // An office of another tenant is refused.
  CHECK(PostJson(from.Path("/routing-rules"), {{"kind", "REQUEST_KIND_COMPLAINT"}, {"office_id", to.urp_office_id}},
                 Bearer(from.operator_token))
            .status == 400);
  json::object rules = JsonObject(Get(from.Path("/routing-rules"), Bearer(from.operator_token)));
  REQUIRE(rules.at("rules").as_array().size() == 1);
  CHECK(Str(rules.at("rules").as_array()[0], "office_id") == from.urp_office_id);
  CHECK(Str(rules.at("rules").as_array()[0], "kind") == "REQUEST_KIND_COMPLAINT");

  json::object complaint{{"kind", "REQUEST_KIND_COMPLAINT"},
                         {"subject", "Attesa allo sportello anagrafe"},
                         {"description", "Ho atteso due ore per un certificato."},
                         {"reporter", json::object{{"email", UniqueName("attesa") + "@example.it"}}}};
  Submitted s = Submit(from, complaint);
  const json::object& created = s.body.at("request").as_object();
  CHECK(Str(created, "office_id") == from.urp_office_id);
  CHECK(Str(created, "status") == "REQUEST_STATUS_ASSIGNED");

  // The URP forwards it to another member of the same Unione; not outside it.
  std::string forward = "/api/v1/requests/" + s.number + ":forward";
  CHECK(PostJson(forward, {{"to_tenant", UniqueName("sb_")}}, Bearer(from.operator_token)).status == 400);
  CHECK(PostJson(forward, {{"to_tenant", outsider.tenant}}, Bearer(from.operator_token)).status == 400);
  HttpReply forwarded = PostJson(forward, {{"to_tenant", to.tenant}, {"note", "Competenza dell'altro Comune"}},
                                 Bearer(from.operator_token));
  json::object original = JsonObject(forwarded);
  CHECK(Str(original, "status") == "REQUEST_STATUS_FORWARDED");
  std::string copy = Str(original, "forwarded_to");
  REQUIRE(copy.rfind(NumberPrefix(to.tenant), 0) == 0);
  // The citizen's code follows the request; the other member's operator sees it, with its origin.
  json::object at_destination = JsonObject(Get("/api/v1/requests/" + copy + "?token=" + s.token));
  CHECK(Str(at_destination, "forwarded_from") == s.number);
  CHECK(Str(at_destination, "status") == "REQUEST_STATUS_RECEIVED");
  json::object staff = JsonObject(Get("/api/v1/requests/" + copy, Bearer(to.operator_token)));
  CHECK(Str(staff.at("reporter"), "email") == Str(complaint.at("reporter"), "email"));
  // The first member's operator may not act on the copy.
  CHECK(Get("/api/v1/requests/" + copy, Bearer(from.operator_token)).status == 404);
  json::object history = JsonObject(Get("/api/v1/requests/" + s.number + "/history?token=" + s.token));
  bool noted = false;
  for (const auto& h : history.at("entries").as_array()) noted |= Str(h, "action") == "forwarded";
  CHECK(noted);
}
