// TLS and mutual TLS of Sportello's gRPC (common/grpc/tls.h) against a real
// in-process server on loopback, with the certificates tools/certs.sh makes
// (the same script as ./sportello certs): the server runs the services'
// own authorization (RpcRunner::Authorize, with the token check against the
// client certificate's tenant) and ClientAddress, and answers with what they
// decided. Plaintext and missing certificates are refused where required.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/auth/token.h"
#include "common/grpc/client_address.h"
#include "common/grpc/rpc.h"
#include "common/grpc/tls.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello {
namespace {

using namespace std::chrono_literals;
constexpr const char* kSecret = "tls-test-secret-0123456789abcdef0123";

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The certificates of tools/certs.sh, made once for every test and removed at exit.
struct TempCerts {
  TempCerts() {
    char tmpl[] = "/tmp/sportello-tls-test.XXXXXX";
    dir = mkdtemp(tmpl);
    std::string cmd = std::string("bash ") + SPORTELLO_SOURCE_DIR + "/tools/certs.sh " + dir + " c_f027 c_a001 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("certs.sh failed");
  }
  ~TempCerts() { std::system(("rm -rf " + dir).c_str()); }
  std::string dir;
};

const std::string& CertDir() {
  static const TempCerts certs;
  return certs.dir;
}

TlsConfig Identity(const std::string& name) {
  TlsConfig t;
  t.cert_file = CertDir() + "/" + name + ".pem";
  t.cert_pem = Slurp(t.cert_file);
  t.key_pem = Slurp(CertDir() + "/" + name + ".key");
  t.ca_pem = Slurp(CertDir() + "/ca.pem");
  return t;
}

// Answers /sportello.v1.CatalogueService/GetTenant with a Tenant whose
// ipa_code is the caller's token tenant and name the client address, or
// with the status Authorize returned.
class Reactor : public grpc::ServerGenericBidiReactor {
 public:
  Reactor(grpc::GenericCallbackServerContext* ctx, const RpcRunner& rpc) : ctx_(ctx), rpc_(rpc) { StartRead(&in_); }
  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
    auto caller = rpc_.Authorize(ctx_, "GetTenant");
    if (!caller.ok()) {
      return Finish(grpc::Status(static_cast<grpc::StatusCode>(caller.status().code()),
                                 std::string(caller.status().message())));
    }
    v1::Tenant t;
    t.set_ipa_code(caller->principal.tenant);
    t.set_name(ClientAddress(ctx_, {"127.0.0.1"}));
    std::string bytes = t.SerializeAsString();
    grpc::Slice slice(bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&out_, {}, grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  grpc::GenericCallbackServerContext* ctx_;
  const RpcRunner& rpc_;
  grpc::ByteBuffer in_, out_;
};

class Service : public grpc::CallbackGenericService {
 public:
  explicit Service(const RpcRunner& rpc) : rpc_(rpc) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(ctx, rpc_);
  }

 private:
  const RpcRunner& rpc_;
};

struct Server {
  explicit Server(TlsConfig tls)
      : verifier(kSecret), workers(1, 10),
        rpc(*RpcRunner::Create("sportello.v1.CatalogueService", verifier, workers, metrics)), service(*rpc) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", ServerCredentialsFor(tls), &port);
    builder.RegisterCallbackGenericService(&service);
    server = builder.BuildAndStart();
    REQUIRE(server != nullptr);
  }
  ~Server() { server->Shutdown(std::chrono::system_clock::now() + 2s); }

  // GetTenant as `client` (plaintext when not enabled) with a token of `tenant` (none when empty).
  grpc::Status Call(const TlsConfig& client, const std::string& tenant, v1::Tenant* out,
                    const std::string& x_client_ip = "") {
    auto stub = v1::CatalogueService::NewStub(ServiceChannel("127.0.0.1:" + std::to_string(port), client));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    if (!tenant.empty()) {
      auth::Principal p{"partner-system", tenant, {"partner"}, "", true};
      ctx.AddMetadata("authorization", "Bearer " + auth::MintToken(kSecret, p, absl::Minutes(5)));
    }
    if (!x_client_ip.empty()) ctx.AddMetadata("x-client-ip", x_client_ip);
    v1::GetTenantRequest req;
    req.set_ipa_code("c_f027");
    return stub->GetTenant(&ctx, req, out);
  }

  auth::TokenVerifier verifier;
  MetricsRegistry metrics;
  WorkerPool workers;
  std::unique_ptr<RpcRunner> rpc;
  Service service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

TlsConfig ServerTls(bool require) {
  TlsConfig t = Identity("catalogue");
  t.require_client_cert = require;
  return t;
}

std::shared_ptr<grpc::Channel> TlsWithoutCertificate(int port) {
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = Slurp(CertDir() + "/ca.pem");
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::SslCredentials(o));
}

grpc::Status CallWithoutCertificate(int port, v1::Tenant* out) {
  auto stub = v1::CatalogueService::NewStub(TlsWithoutCertificate(port));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  v1::GetTenantRequest req;
  return stub->GetTenant(&ctx, req, out);
}

TEST_CASE("a partner's certificate must name its token's tenant") {
  Server server(ServerTls(false));
  v1::Tenant out;
  SECTION("same tenant: served") {
    grpc::Status s = server.Call(Identity("partner-c_f027"), "c_f027", &out);
    INFO(s.error_message());
    REQUIRE(s.ok());
    CHECK(out.ipa_code() == "c_f027");
  }
  SECTION("a token of another tenant over the certificate: PERMISSION_DENIED") {
    grpc::Status s = server.Call(Identity("partner-c_a001"), "c_f027", &out);
    CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(s.error_message().find("c_a001") != std::string::npos);
  }
  SECTION("a certificate without a token: the public call is served") {
    grpc::Status s = server.Call(Identity("partner-c_a001"), "", &out);
    REQUIRE(s.ok());
    CHECK(out.ipa_code().empty());
  }
  SECTION("the gateway and the services carry tokens of any tenant") {
    REQUIRE(server.Call(Identity("gateway"), "c_a001", &out).ok());
    CHECK(out.ipa_code() == "c_a001");
    REQUIRE(server.Call(Identity("complaints"), "c_f027", &out).ok());
    CHECK(out.ipa_code() == "c_f027");
  }
  SECTION("TLS without a client certificate is served when certificates are optional") {
    grpc::Status s = CallWithoutCertificate(server.port, &out);
    INFO(s.error_message());
    CHECK(s.ok());
  }
  SECTION("plaintext is refused") {
    grpc::Status s = server.Call(TlsConfig{}, "c_f027", &out);
    CHECK(s.error_code() == grpc::StatusCode::UNAVAILABLE);
  }
}

TEST_CASE("mutual TLS required: no certificate, no call") {
  Server server(ServerTls(true));
  v1::Tenant out;
  CHECK(CallWithoutCertificate(server.port, &out).error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(server.Call(TlsConfig{}, "c_f027", &out).error_code() == grpc::StatusCode::UNAVAILABLE);
  grpc::Status s = server.Call(Identity("partner-c_f027"), "c_f027", &out);
  INFO(s.error_message());
  CHECK(s.ok());
}

TEST_CASE("a certificate from another CA is refused") {
  Server server(ServerTls(true));
  // A second CA and a partner certificate of its own, for the right tenant.
  char tmpl[] = "/tmp/sportello-tls-other.XXXXXX";
  std::string other = mkdtemp(tmpl);
  REQUIRE(std::system((std::string("bash ") + SPORTELLO_SOURCE_DIR + "/tools/certs.sh " + other +
                       " c_f027 2>/dev/null").c_str()) == 0);
  TlsConfig forged;
  forged.cert_pem = Slurp(other + "/partner-c_f027.pem");
  forged.key_pem = Slurp(other + "/partner-c_f027.key");
  forged.ca_pem = Slurp(CertDir() + "/ca.pem");  // it trusts the real server
  v1::Tenant out;
  CHECK(server.Call(forged, "c_f027", &out).error_code() == grpc::StatusCode::UNAVAILABLE);
  std::system(("rm -rf " + other).c_str());
}

TEST_CASE("over TLS, x-client-ip is believed from the gateway's identity only") {
  Server server(ServerTls(false));
  v1::Tenant out;
  REQUIRE(server.Call(Identity("gateway"), "", &out, "203.0.113.9").ok());
  CHECK(out.name() == "203.0.113.9");
  // From 127.0.0.1 (a trusted address on plaintext) but a partner's or a service's certificate:
  REQUIRE(server.Call(Identity("partner-c_f027"), "", &out, "203.0.113.9").ok());
  CHECK(out.name().rfind("ipv4:127.0.0.1:", 0) == 0);
  REQUIRE(server.Call(Identity("complaints"), "", &out, "203.0.113.9").ok());
  CHECK(out.name().rfind("ipv4:127.0.0.1:", 0) == 0);
  REQUIRE(CallWithoutCertificate(server.port, &out).ok());
}

TEST_CASE("on plaintext the address rule still applies") {
  Server server(TlsConfig{});
  v1::Tenant out;
  REQUIRE(server.Call(TlsConfig{}, "", &out, "203.0.113.9").ok());
  CHECK(out.name() == "203.0.113.9");  // 127.0.0.1 is the configured gateway address here
}

TEST_CASE("peer identities are read from sportello:// URIs only") {
  CHECK(ParsePeerUri("sportello://gateway").kind == PeerIdentity::Kind::kGateway);
  CHECK(ParsePeerUri("sportello://gateway/x").kind == PeerIdentity::Kind::kNone);
  CHECK(ParsePeerUri("sportello://tenant/C_F027").name == "c_f027");
  CHECK(ParsePeerUri("sportello://tenant/").kind == PeerIdentity::Kind::kNone);
  CHECK(ParsePeerUri("https://gateway").kind == PeerIdentity::Kind::kNone);
  CHECK(ParsePeerUri("sportello://service/complaints").name == "complaints");
}

}  // namespace
}  // namespace sportello
