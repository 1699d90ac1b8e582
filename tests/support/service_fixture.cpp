#include "tests/support/service_fixture.h"

#include <catch2/catch.hpp>

#include "tests/support/test_env.h"

namespace sportello::testing {

InProcessService::InProcessService(const std::string& schema, const std::vector<db::Migration>& migrations,
                                   const InProcessOptions& options)
    : clock_(options.clock ? options.clock : &SystemClock::Instance()) {
  ServiceConfig config;
  config.service_name = schema;
  config.pg_url = RequireEnv("SPORTELLO_TEST_PG_URL");
  config.redis_url = options.redis_url.empty() ? RequireEnv("SPORTELLO_TEST_REDIS_URL") : options.redis_url;
  config.jwt_secret = RequireEnv("SPORTELLO_JWT_SECRET");
  config.pg_pool_size = options.pg_pool_size;
  config.workers = options.workers;
  core_ = std::make_unique<ServiceCore>(config);
  absl::Status prepared = core_->Prepare(schema, migrations, "");
  INFO("preparing schema " << schema << ": " << prepared.ToString());
  REQUIRE(prepared.ok());
}

InProcessService::~InProcessService() {
  // Finish the calls in flight (streams are cancelled after a grace period),
  // then drop what the service uses, newest first; the core goes last.
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_.reset();
  channel_.reset();
  while (!owned_.empty()) owned_.pop_back();
  runner_.reset();
}

RpcRunner& InProcessService::Runner(std::string_view full_name) {
  REQUIRE_FALSE(runner_);
  auto runner = RpcRunner::Create(full_name, core_->verifier, core_->workers, core_->metrics, &core_->changes);
  INFO(runner.status().ToString());
  REQUIRE(runner.ok());
  runner_ = *std::move(runner);
  return *runner_;
}

void InProcessService::Serve(std::vector<grpc::Service*> services) {
  REQUIRE_FALSE(server_);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  for (grpc::Service* s : services) builder.RegisterService(s);
  server_ = builder.BuildAndStart();
  REQUIRE(server_);
  REQUIRE(port_ > 0);
}

std::string InProcessService::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::shared_ptr<grpc::Channel> InProcessService::channel() {
  REQUIRE(server_);
  if (!channel_) channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  return channel_;
}

std::string InProcessService::Token(const std::string& tenant, std::vector<std::string> roles,
                                    const std::string& office, const std::string& subject) const {
  auth::Principal p;
  p.subject = subject;
  p.tenant = tenant;
  p.roles = std::move(roles);
  p.office = office;
  return auth::MintToken(core_->config.jwt_secret, p, absl::Minutes(10));
}

void PrepareCall(grpc::ClientContext& ctx, const std::string& token) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
}

}  // namespace sportello::testing
