// Dispatch and events, against the running stack (./sportello test):
// partners follow a tenant's dispatch events over gRPC (message.published,
// delivery.dead); opendata's dataset.published becomes a draft once, even
// when delivered twice, and never goes out; an office's new exceptional
// closure in the catalogue reaches dispatch through the catalogue's outbox
// relay and becomes a draft too.
#include <set>

#include <catch2/catch.hpp>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include "common/grpc/client_context.h"
#include "sportello/v1/common.grpc.pb.h"
#include "sportello/v1/dispatch.grpc.pb.h"
#include "tests/dispatch/fake_platforms.h"
#include "tests/support/http_client.h"
#include "tests/support/poll.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"
#include "tests/support/tokens.h"

namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

std::shared_ptr<grpc::Channel> Dispatch() {
  return grpc::CreateChannel(RequireEnv("SPORTELLO_TEST_DISPATCH_ADDR"), grpc::InsecureChannelCredentials());
}

void Auth(grpc::ClientContext& ctx, const std::string& token) {
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

std::string Tenant() { return UniqueName("e2e_dsp_"); }

v1::Account AddAccount(v1::DispatchService::Stub& stub, const std::string& tenant, const std::string& manager,
                       v1::MessageChannel channel, const std::string& endpoint, const std::string& credential) {
  grpc::ClientContext ctx;
  Auth(ctx, manager);
  v1::CreateAccountRequest req;
  req.set_tenant(tenant);
  req.mutable_account()->set_channel(channel);
  req.mutable_account()->set_handle("@prova");
  req.mutable_account()->set_endpoint(endpoint);
  req.mutable_account()->set_credential(credential);
  v1::Account out;
  grpc::Status s = stub.CreateAccount(&ctx, req, &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return out;
}

std::vector<v1::Message> Messages(v1::DispatchService::Stub& stub, const std::string& tenant,
                                  const std::string& token) {
  grpc::ClientContext ctx;
  Auth(ctx, token);
  v1::ListMessagesRequest req;
  req.set_tenant(tenant);
  v1::ListMessagesResponse resp;
  grpc::Status s = stub.ListMessages(&ctx, req, &resp);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return {resp.messages().begin(), resp.messages().end()};
}

// The tenant's messages once there are at least `count` (the relays deliver
// asynchronously); fails the test after 30 s.
std::vector<v1::Message> DraftsOnceThere(v1::DispatchService::Stub& stub, const std::string& tenant,
                                         const std::string& token, size_t count) {
  std::vector<v1::Message> drafts;
  bool arrived = PollUntil([&] {
    drafts = Messages(stub, tenant, token);
    return drafts.size() >= count;
  }, absl::Seconds(30));
  REQUIRE(arrived);
  return drafts;
}

}  // namespace

TEST_CASE("dispatch: partners stream the tenant's dispatch events", "[e2e][dispatch]") {
  FakePlatforms fakes;
  auto stub = v1::DispatchService::NewStub(Dispatch());
  std::string tenant = Tenant();
  std::string manager = TokenFor(tenant, {"communication_manager"});
  v1::Account hook = AddAccount(*stub, tenant, manager, v1::MESSAGE_CHANNEL_WEBHOOK, fakes.HttpBase() + "/hook",
                                kWebhookSecret);
  v1::Account revoked =
      AddAccount(*stub, tenant, manager, v1::MESSAGE_CHANNEL_TELEGRAM, fakes.HttpBase(), "999:revoked");

  v1::Message created;
  {
    grpc::ClientContext ctx;
    Auth(ctx, TokenFor(tenant, {"communication"}));
    v1::CreateMessageRequest req;
    req.set_tenant(tenant);
    req.mutable_message()->set_title("Raccolta rifiuti");
    req.mutable_message()->set_text("Lunedì la raccolta dell'umido è anticipata alle 6.");
    req.mutable_message()->add_account_ids(hook.id());
    req.mutable_message()->add_account_ids(revoked.id());
    REQUIRE(stub->CreateMessage(&ctx, req, &created).ok());
  }
  {
    grpc::ClientContext ctx;
    Auth(ctx, manager);
    v1::MessageActionRequest req;
    req.set_id(created.id());
    req.set_note("allerta della protezione civile");
    v1::Message out;
    REQUIRE(stub->PublishUrgent(&ctx, req, &out).ok());
  }

  grpc::ClientContext ctx;
  Auth(ctx, TokenFor(tenant, {"partner"}));
  v1::StreamDispatchEventsRequest req;
  req.set_tenant(tenant);
  auto reader = stub->StreamDispatchEvents(&ctx, req);
  std::set<std::string> types;
  long long last = 0;
  v1::Event e;
  while (!(types.count("message.published") && types.count("delivery.dead")) && reader->Read(&e)) {
    CHECK(e.tenant() == tenant);
    CHECK(e.sequence() > last);
    last = e.sequence();
    types.insert(e.type());
    if (e.type() == "message.published") CHECK(e.subject() == created.id());
  }
  CHECK(types.count("message.created") == 1);
  CHECK(types.count("message.published") == 1);
  CHECK(types.count("delivery.sent") == 1);
  CHECK(types.count("delivery.dead") == 1);
  ctx.TryCancel();

  // Another tenant's partner is refused.
  grpc::ClientContext other;
  Auth(other, TokenFor(Tenant(), {"partner"}));
  auto refused = stub->StreamDispatchEvents(&other, req);
  CHECK_FALSE(refused->Read(&e));
  CHECK(refused->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
}

TEST_CASE("dispatch: a published dataset becomes one draft, never sent", "[e2e][dispatch]") {
  std::string tenant = Tenant();
  auto stub = v1::DispatchService::NewStub(Dispatch());
  std::string manager = TokenFor(tenant, {"communication_manager"});
  v1::Account feed = AddAccount(*stub, tenant, manager, v1::MESSAGE_CHANNEL_FEED, "", "");
  auto sink = v1::EventSink::NewStub(Dispatch());
  v1::Event event;
  event.set_id(UniqueName("ev-"));
  event.set_sequence(7);
  event.set_type("dataset.published");
  event.set_tenant(tenant);
  event.set_subject(tenant + "-reclami");
  *event.mutable_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  (*event.mutable_data()->mutable_fields())["dataset_id"].set_string_value(tenant + "-reclami");
  (*event.mutable_data()->mutable_fields())["version"].set_number_value(3);
  for (int i = 0; i < 2; ++i) {  // delivered twice: one draft
    grpc::ClientContext ctx;
    Auth(ctx, TokenFor("c_f027", {"partner"}));
    v1::DeliverResponse resp;
    grpc::Status s = sink->Deliver(&ctx, event, &resp);
    INFO(s.error_message());
    REQUIRE(s.ok());
  }
  {  // an editor's token is not a relay's
    grpc::ClientContext ctx;
    Auth(ctx, TokenFor(tenant, {"communication"}));
    v1::DeliverResponse resp;
    CHECK(sink->Deliver(&ctx, event, &resp).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  std::vector<v1::Message> list = Messages(*stub, tenant, manager);
  REQUIRE(list.size() == 1);
  const v1::Message& draft = list[0];
  CHECK(draft.state() == v1::MESSAGE_STATE_DRAFT);
  CHECK(draft.author() == "sistema");
  CHECK(draft.origin() == "opendata:dataset.published:" + event.id());
  CHECK(draft.title() == "Nuovi dati aperti: " + tenant + "-reclami");
  CHECK(draft.text().find("versione 3") != std::string::npos);
  REQUIRE(draft.account_ids_size() == 1);
  CHECK(draft.account_ids(0) == feed.id());
  CHECK_FALSE(draft.has_publish_time());
  // Nothing is published by itself.
  grpc::ClientContext ctx;
  Auth(ctx, manager);
  v1::ListPublishedRequest req;
  req.set_tenant(tenant);
  v1::ListPublishedResponse published;
  REQUIRE(stub->ListPublished(&ctx, req, &published).ok());
  CHECK(published.messages_size() == 0);
}

TEST_CASE("dispatch: an office's exceptional closure in the catalogue becomes a draft", "[e2e][dispatch]") {
  Sandbox box;
  auto stub = v1::DispatchService::NewStub(Dispatch());
  std::string editor = box.Token({"communication"});
  boost::json::object hours{
      {"exceptions", boost::json::array{boost::json::object{
                         {"date", "2099-03-16"}, {"closed", true}, {"reason", "disinfestazione dei locali"}}}}};
  HttpReply r = PatchJson("/api/v1/offices/" + box.urp_office_id + "?update_mask=hours", {{"hours", hours}},
                          Bearer(box.operator_token));
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::vector<v1::Message> drafts = DraftsOnceThere(*stub, box.tenant, editor, 1);
  REQUIRE(drafts.size() == 1);
  CHECK(drafts[0].state() == v1::MESSAGE_STATE_DRAFT);
  CHECK(drafts[0].origin().rfind("catalogue:office.closed:", 0) == 0);
  CHECK(drafts[0].text().find("16/03/2099") != std::string::npos);
  CHECK(drafts[0].text().find("disinfestazione dei locali") != std::string::npos);
  // Saving the same hours again announces nothing new; a second closed date
  // does (the relay keeps order, so once its draft is here a duplicate of
  // the first would be too).
  REQUIRE(PatchJson("/api/v1/offices/" + box.urp_office_id + "?update_mask=hours", {{"hours", hours}},
                    Bearer(box.operator_token))
              .status == 200);
  hours["exceptions"].as_array().push_back(
      boost::json::object{{"date", "2099-03-17"}, {"closed", true}, {"reason", "disinfestazione dei locali"}});
  REQUIRE(PatchJson("/api/v1/offices/" + box.urp_office_id + "?update_mask=hours", {{"hours", hours}},
                    Bearer(box.operator_token))
              .status == 200);
  drafts = DraftsOnceThere(*stub, box.tenant, editor, 2);
  CHECK(drafts.size() == 2);
  int on_17 = 0;
  for (const auto& m : drafts) on_17 += m.text().find("17/03/2099") != std::string::npos;
  CHECK(on_17 == 1);
}

TEST_CASE("dispatch: a dataset opendata publishes becomes a draft named by the dataset's title", "[e2e][dispatch]") {
  // The real path: a refresh makes an approved version, opendata's outbox
  // relay delivers dataset.published (with the title) to dispatch.
  Sandbox box;
  auto stub = v1::DispatchService::NewStub(Dispatch());
  std::string editor = box.Token({"communication"});
  AddAccount(*stub, box.tenant, box.Token({"communication_manager"}), v1::MESSAGE_CHANNEL_FEED, "", "");
  std::string id = box.tenant + "-servizi";
  HttpReply refreshed = PostJson("/api/v1/datasets/" + id + ":refresh", {}, Bearer(box.operator_token));
  INFO(refreshed.body);
  REQUIRE(refreshed.status == 200);
  std::string title = std::string(JsonObject(Get("/api/v1/datasets/" + id))["title"].as_string());
  REQUIRE(title.find(box.name) != std::string::npos);  // "<kind> - Comune di prova sb_..."
  std::vector<v1::Message> drafts = DraftsOnceThere(*stub, box.tenant, editor, 1);
  REQUIRE(drafts.size() == 1);
  CHECK(drafts[0].origin().rfind("opendata:dataset.published:", 0) == 0);
  CHECK(drafts[0].title() == "Nuovi dati aperti: " + title);
  CHECK(drafts[0].text().find("«" + title + "»") != std::string::npos);
  CHECK(drafts[0].title().find(id) == std::string::npos);  // not the bare id
}

TEST_CASE("dispatch: an office created with a closure already set becomes a draft", "[e2e][dispatch]") {
  Sandbox box;
  auto stub = v1::DispatchService::NewStub(Dispatch());
  std::string editor = box.Token({"communication"});
  boost::json::object hours{
      {"exceptions", boost::json::array{
                         boost::json::object{{"date", "2099-04-20"}, {"closed", true}, {"reason", "inventario"}},
                         boost::json::object{{"date", "2099-04-21"},
                                             {"closed", false},
                                             {"ranges", boost::json::array{boost::json::object{
                                                            {"opens", "08:30"}, {"closes", "11:00"}}}}}}}};
  HttpReply r = PostJson(box.Path("/offices"), {{"name", "Ufficio Tributi"}, {"hours", hours}},
                         Bearer(box.operator_token));
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::vector<v1::Message> drafts = DraftsOnceThere(*stub, box.tenant, editor, 1);
  REQUIRE(drafts.size() == 1);  // the closed date; the shortened day is no closure
  CHECK(drafts[0].origin().rfind("catalogue:office.closed:", 0) == 0);
  CHECK(drafts[0].title() == "Chiusura straordinaria: Ufficio Tributi");
  CHECK(drafts[0].text().find("20/04/2099") != std::string::npos);
  CHECK(drafts[0].text().find("inventario") != std::string::npos);
}
