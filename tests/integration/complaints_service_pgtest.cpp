// The complaints service in process, over real gRPC, on the real PostgreSQL
// and Redis, with a real catalogue service beside it (also in process) and a
// ManualClock: calls to the catalogue carry the caller's x-request-id and
// deadline, the citizen's reopen window follows the clock, and the CSV export
// streams every row.
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <mutex>
#include <set>

#include <catch2/catch.hpp>

#include "common/auth/token.h"
#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "common/grpc/service_core.h"
#include "common/outbox/outbox.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/opening_hours.h"
#include "services/catalogue/service_spec.h"
#include "services/complaints/catalogue_client.h"
#include "services/complaints/complaints_service.h"
#include "services/complaints/service_spec.h"
#include "tests/support/test_env.h"

using namespace sportello;
using sportello::testing::RequireEnv;
using sportello::testing::UniqueName;

namespace {

constexpr absl::Duration kDay = absl::Hours(24);

// What reached the catalogue: per call, the method, its x-request-id and the
// deadline the server saw. Observed on the wire by a server interceptor; the
// catalogue behind it is the real one.
struct Seen {
  std::string method, request_id;
  std::chrono::system_clock::time_point deadline;
};

class Recorder {
 public:
  void Add(Seen s) {
    std::lock_guard lock(mu_);
    calls_.push_back(std::move(s));
  }
  std::vector<Seen> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::vector<Seen> calls_;
};

class RecordingInterceptor final : public grpc::experimental::Interceptor {
 public:
  RecordingInterceptor(grpc::experimental::ServerRpcInfo* info, Recorder& recorder) : info_(info), recorder_(recorder) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Seen seen{info_->method(), "", info_->server_context()->deadline()};
      for (const auto& [key, value] : *methods->GetRecvInitialMetadata()) {
        if (key == "x-request-id") seen.request_id = std::string(value.data(), value.size());
      }
      recorder_.Add(std::move(seen));
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  Recorder& recorder_;
};

class RecordingFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RecordingFactory(Recorder& recorder) : recorder_(recorder) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new RecordingInterceptor(info, recorder_);
  }

 private:
  Recorder& recorder_;
};

std::unique_ptr<grpc::Server> Serve(grpc::Service* service, int* port, Recorder* recorder = nullptr) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  if (recorder) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<RecordingFactory>(*recorder));
    builder.experimental().SetInterceptorCreators(std::move(factories));
  }
  return builder.BuildAndStart();
}

}  // namespace

TEST_CASE("complaints service: request id and deadline reach the catalogue; the reopen window follows the clock",
          "[complaints][service]") {
  ServiceConfig config;
  config.pg_url = RequireEnv("SPORTELLO_TEST_PG_URL");
  config.redis_url = RequireEnv("SPORTELLO_TEST_REDIS_URL");
  config.jwt_secret = "complaints-service-test";
  config.pg_pool_size = 4;
  config.workers = 4;
  ServiceCore core(config);
  REQUIRE(core.Prepare("complaints", complaints::Migrations(), "").ok());
  REQUIRE(outbox::ApplyMigrations(core.pool, "complaints").ok());
  REQUIRE(db::ApplyMigrations(core.pool, "catalogue", catalogue::Migrations()).ok());
  auto zone = catalogue::RomeTimeZone();
  REQUIRE(zone.ok());

  // The real catalogue, in process, watched on the wire.
  auto catalogue_rpc =
      RpcRunner::Create(v1::CatalogueService::service_full_name(), core.verifier, core.workers, core.metrics);
  REQUIRE(catalogue_rpc.ok());
  catalogue::CatalogueStores catalogue_stores(core.pool);
  catalogue::CatalogueService catalogue_service(catalogue_stores, core.cache, **catalogue_rpc, *zone);
  Recorder recorder;
  int catalogue_port = 0;
  auto catalogue_server = Serve(&catalogue_service, &catalogue_port, &recorder);
  REQUIRE(catalogue_server);

  // The complaints service, on a ManualClock.
  ManualClock clock(absl::Now());
  auto rpc = RpcRunner::Create(v1::ComplaintsService::service_full_name(), core.verifier, core.workers, core.metrics);
  REQUIRE(rpc.ok());
  complaints::RequestStore store(core.pool, *zone, clock);
  complaints::CatalogueClient catalogue_client("127.0.0.1:" + std::to_string(catalogue_port), TlsConfig{}, absl::Seconds(3));
  complaints::ComplaintsSettings settings;
  settings.citizen_reopen_window = 30 * kDay;
  settings.export_batch = 50;
  settings.max_streams_per_caller = 1;
  settings.stream_poll = absl::Milliseconds(50);
  complaints::ComplaintsService service(store, catalogue_client, **rpc, core.cache, *zone, clock, settings);
  int port = 0;
  auto server = Serve(&service, &port);
  REQUIRE(server);
  auto stub = v1::ComplaintsService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  // A sandbox tenant in the catalogue; its suggestions go to an office by rule.
  const std::string tenant = UniqueName("c_");
  auto bearer = [&](std::vector<std::string> roles) {
    return "Bearer " + auth::MintToken(config.jwt_secret, {"test", tenant, std::move(roles), "", true}, absl::Hours(1));
  };
  {
    auto catalogue_stub = v1::CatalogueService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(catalogue_port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer({"admin"}));
    v1::CreateTenantRequest req;
    req.mutable_tenant()->set_ipa_code(tenant);
    req.mutable_tenant()->set_name("Comune di prova");
    req.mutable_tenant()->set_kind(v1::TENANT_KIND_OTHER);
    v1::Tenant out;
    grpc::Status s = catalogue_stub->CreateTenant(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
  }
  REQUIRE(store.SetRoutingRule({tenant, "", "suggestion", "ufficio-prova"}).ok());

  auto submit = [&](const std::string& request_id, absl::Duration deadline) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-request-id", request_id);
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    v1::SubmitRequestRequest req;
    req.set_tenant(tenant);
    req.set_kind(v1::REQUEST_KIND_SUGGESTION);
    req.set_subject("Panchine");
    req.set_description("Più panchine nel parco.");
    v1::SubmitRequestResponse out;
    grpc::Status s = stub->SubmitRequest(&ctx, req, &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
    return out;
  };
  auto move = [&](const std::string& number, v1::RequestStatus to, const std::string& token, const std::string& auth) {
    grpc::ClientContext ctx;
    if (!auth.empty()) ctx.AddMetadata("authorization", auth);
    v1::TransitionRequestRequest req;
    req.set_number(number);
    req.set_to(to);
    req.set_token(token);
    v1::Request out;
    return stub->TransitionRequest(&ctx, req, &out);
  };

  SECTION("the catalogue call carries the caller's request id and ends by the caller's deadline") {
    const std::string request_id = UniqueName("req-");
    auto sent_at = std::chrono::system_clock::now();
    submit(request_id, absl::Seconds(2));  // shorter than the client's own 3 s
    std::vector<Seen> mine;
    for (const Seen& s : recorder.Calls()) {
      if (s.request_id == request_id) mine.push_back(s);
    }
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].method == "/sportello.v1.CatalogueService/GetTenant");
    // The caller's 2 s, not the client's 3 s (a little slack for the clocks' reading).
    CHECK(mine[0].deadline <= sent_at + std::chrono::milliseconds(2200));
  }

  SECTION("the citizen may reopen a closed request within the window, by the service's clock") {
    const std::string op = bearer({"operator"});
    auto within = submit(UniqueName("req-"), absl::Seconds(10));
    auto late = submit(UniqueName("req-"), absl::Seconds(10));
    for (const auto* s : {&within, &late}) {
      REQUIRE(s->request().status() == v1::REQUEST_STATUS_ASSIGNED);
      REQUIRE(move(s->request().number(), v1::REQUEST_STATUS_RESOLVED, "", op).ok());
      REQUIRE(move(s->request().number(), v1::REQUEST_STATUS_CLOSED, "", op).ok());
    }
    clock.Advance(29 * kDay);
    grpc::Status reopened = move(within.request().number(), v1::REQUEST_STATUS_REOPENED, within.tracking_token(), "");
    INFO(reopened.error_message());
    CHECK(reopened.ok());
    clock.Advance(2 * kDay);  // 31 days after closure
    grpc::Status refused = move(late.request().number(), v1::REQUEST_STATUS_REOPENED, late.tracking_token(), "");
    CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(refused.error_message().find("30 giorni") != std::string::npos);
  }

  SECTION("partners follow the tenant's events from a cursor, one stream at a time per caller") {
    auto created = submit(UniqueName("req-"), absl::Seconds(10));
    const std::string partner = bearer({"partner"});
    grpc::ClientContext first_ctx;
    first_ctx.AddMetadata("authorization", partner);
    v1::StreamRequestEventsRequest req;
    req.set_tenant(tenant);
    auto first = stub->StreamRequestEvents(&first_ctx, req);
    v1::Event event;
    REQUIRE(first->Read(&event));  // the stream is open and delivering
    CHECK(event.tenant() == tenant);
    CHECK(event.type() == "request.created");
    CHECK(event.subject() == created.request().number());
    // A second stream with the same credentials is refused while the first is open.
    {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", partner);
      auto second = stub->StreamRequestEvents(&ctx, req);
      CHECK_FALSE(second->Read(&event));
      CHECK(second->Finish().error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
    }
    // From a cursor: only what follows it.
    long long cursor = event.sequence();
    first_ctx.TryCancel();
    (void)first->Finish();
    auto later = submit(UniqueName("req-"), absl::Seconds(10));
    bool resumed = false;
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!resumed && absl::Now() < deadline) {  // the slot frees once the first stream is done
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", partner);
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      req.set_after_sequence(cursor);
      auto again = stub->StreamRequestEvents(&ctx, req);
      if (again->Read(&event)) {
        resumed = true;
        CHECK(event.sequence() > cursor);
        CHECK(event.subject() == later.request().number());
        ctx.TryCancel();
      }
      (void)again->Finish();
    }
    CHECK(resumed);
  }

  SECTION("idempotency keys belong to their caller; control characters in a key are refused") {
    auto submit_as = [&](const std::string& auth, const std::string& key, v1::SubmitRequestResponse* out) {
      grpc::ClientContext ctx;
      if (!auth.empty()) ctx.AddMetadata("authorization", auth);
      v1::SubmitRequestRequest req;
      req.set_tenant(tenant);
      req.set_kind(v1::REQUEST_KIND_SUGGESTION);
      req.set_subject("Fontanella");
      req.set_description("Una fontanella in piazza.");
      req.set_idempotency_key(key);
      return stub->SubmitRequest(&ctx, req, out);
    };
    const std::string key = UniqueName("chiave-");
    v1::SubmitRequestResponse first, replay, anonymous;
    REQUIRE(submit_as(bearer({"operator"}), key, &first).ok());
    REQUIRE(submit_as(bearer({"operator"}), key, &replay).ok());
    CHECK(replay.tracking_token() == first.tracking_token());  // the same caller: a replay
    REQUIRE(submit_as("", key, &anonymous).ok());
    CHECK(anonymous.tracking_token() != first.tracking_token());  // another caller: never their answer
    CHECK(anonymous.request().number() != first.request().number());
    v1::SubmitRequestResponse refused;
    CHECK(submit_as("", std::string("k\0ey", 4), &refused).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }

  SECTION("x-client-ip is believed from no unconfigured peer; other tenants' tokens are limited too") {
    auto submit_from = [&](const std::string& auth, const std::string& client_ip) {
      grpc::ClientContext ctx;
      if (!auth.empty()) ctx.AddMetadata("authorization", auth);
      ctx.AddMetadata("x-client-ip", client_ip);
      v1::SubmitRequestRequest req;
      req.set_tenant(tenant);
      req.set_kind(v1::REQUEST_KIND_SUGGESTION);
      req.set_subject("Panchine");
      req.set_description("Più panchine nel parco.");
      v1::SubmitRequestResponse out;
      return stub->SubmitRequest(&ctx, req, &out).error_code();
    };
    // Every "address" below comes from this one loopback peer: one bucket.
    int limited = 0;
    for (int i = 0; i < settings.submission_burst + 2; ++i) {
      limited += submit_from("", "203.0.113." + std::to_string(i)) == grpc::StatusCode::RESOURCE_EXHAUSTED;
    }
    CHECK(limited >= 1);
    const std::string other_tenant =
        "Bearer " + auth::MintToken(config.jwt_secret, {"x", "c_altro", {"operator"}, "", true}, absl::Hours(1));
    CHECK(submit_from(other_tenant, "198.51.100.1") == grpc::StatusCode::RESOURCE_EXHAUSTED);
    CHECK(submit_from(bearer({"operator"}), "198.51.100.1") == grpc::StatusCode::OK);  // the tenant's own staff
  }

  SECTION("the CSV export streams every row, in chunks, with the formula guard") {
    constexpr int kRows = 123;  // more than two batches of 50
    std::set<std::string> numbers;
    for (int i = 0; i < kRows; ++i) {
      complaints::NewRequest n;
      n.request.tenant = tenant;
      n.request.kind = complaints::Kind::kSuggestion;
      n.request.subject = i == 0 ? "=HYPERLINK(\"http://x\")" : "Richiesta " + std::to_string(i);
      n.request.description = "Testo";
      n.token_hash = UniqueName("hash");
      auto s = store.Submit(n, [](const complaints::Request&) { return std::string(); });
      REQUIRE(s.ok());
      numbers.insert(s->request.number);
    }
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer({"operator"}));
    v1::ListRequestsRequest req;
    req.set_tenant(tenant);
    auto reader = stub->ExportRequests(&ctx, req);
    v1::RawBody chunk;
    std::vector<v1::RawBody> chunks;
    while (reader->Read(&chunk)) chunks.push_back(chunk);
    grpc::Status status = reader->Finish();
    INFO(status.error_message());
    REQUIRE(status.ok());
    REQUIRE(chunks.size() >= 3);
    CHECK(chunks[0].content_type().rfind("text/csv", 0) == 0);
    CHECK(chunks[0].filename() == "richieste-" + tenant + ".csv");
    for (size_t i = 1; i < chunks.size(); ++i) CHECK(chunks[i].content_type().empty());
    std::string csv;
    for (const auto& c : chunks) csv += c.data();
    CHECK(csv.rfind("number,kind,category,status", 0) == 0);
    size_t lines = 0;
    for (size_t pos = 0; (pos = csv.find("\r\n", pos)) != std::string::npos; pos += 2) ++lines;
    CHECK(lines == kRows + 1);  // the header and every row, none twice
    for (const auto& number : numbers) CHECK(csv.find(number + ",") != std::string::npos);
    // A formula is never a formula in the sheet: quoted (it has quotes) and prefixed.
    CHECK(csv.find(",\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
    CHECK(csv.find(",=") == std::string::npos);
    // Operators of another tenant get nothing.
    grpc::ClientContext other;
    other.AddMetadata("authorization",
                      "Bearer " + auth::MintToken(config.jwt_secret, {"x", "c_altro", {"operator"}, "", true}, absl::Hours(1)));
    auto refused = stub->ExportRequests(&other, req);
    CHECK_FALSE(refused->Read(&chunk));
    CHECK(refused->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }

  server->Shutdown();
  catalogue_server->Shutdown();
}
