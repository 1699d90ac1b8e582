#pragma once
// Configuration from SPORTELLO_* environment variables. A binary declares each
// variable once, with a default and a help line, while reading it:
//
//   sportello::Settings s("sportello-catalogue", argc, argv);
//   cfg.listen = s.String("SPORTELLO_GRPC_ADDR", "127.0.0.1:50051", "gRPC listen address");
//   s.Done();  // --help prints every declared variable and exits; bad values exit 2
//
// Only main() reads the environment; everything else receives plain structs.
#include <string>
#include <vector>

#include "common/log.h"
#include "common/tls_config.h"

namespace sportello {

// The services this tree builds and their default gRPC ports on one machine,
// generated from services/services.txt; each one's Prometheus endpoint
// listens on port + 1000. The gateway finds a service's address in
// SPORTELLO_<NAME>_ADDR, the same variable the service listens on.
struct ServiceEndpoint {
  std::string name;  // "catalogue"; the proto service is sportello.v1.CatalogueService
  int default_port;
};
const std::vector<ServiceEndpoint>& ServiceEndpoints();

class Settings {
 public:
  Settings(std::string program, int argc, char** argv);

  std::string String(const std::string& name, const std::string& fallback, const std::string& help);
  int Int(const std::string& name, int fallback, const std::string& help);
  bool Bool(const std::string& name, bool fallback, const std::string& help);
  double Seconds(const std::string& name, double fallback, const std::string& help);

  // Reports a value that cannot be used; Done() then exits with every error.
  void Error(std::string message) { errors_.push_back(std::move(message)); }

  // Call after every declaration: handles --help and reports invalid values.
  void Done();

 private:
  struct Entry {
    std::string name, fallback, help;
  };
  void Declare(const std::string& name, const std::string& fallback, const std::string& help);

  std::string program_;
  bool help_ = false;
  std::vector<std::string> unknown_args_;
  std::vector<Entry> entries_;
  std::vector<std::string> errors_;
};


// Reads SPORTELLO_TLS_CERT, SPORTELLO_TLS_KEY, SPORTELLO_TLS_CA (all three or
// none) and SPORTELLO_TLS_CLIENT_CERT (optional | require); unreadable files
// are start-up errors.
TlsConfig ReadTlsConfig(Settings& s);

// How bearer tokens are verified (common/auth/token.h): HS256 with a shared
// secret (development, or production without an identity provider), and
// RS256/ES256 against the keys of a JWKS file or https URL, with iss and aud.
struct TokenConfig {
  std::string hs256_secret;  // empty: HS256 tokens are refused
  std::string jwks;          // path or http(s) URL; empty: no asymmetric tokens
  std::string issuer;        // required `iss` of JWKS tokens when set
  std::string audience;      // required in `aud` of JWKS tokens when set
};

// What every gRPC service reads: where to listen, its database, cache and
// token settings. Declared in one place so every service has the same knobs.
struct ServiceConfig {
  std::string service_name;  // "catalogue"
  std::string grpc_addr;
  std::string metrics_addr;  // host:port of the Prometheus endpoint; empty disables it
  std::string pg_url;
  int pg_pool_size = 8;
  int workers = 8;           // worker threads running store calls
  int worker_queue = 1024;   // waiting calls beyond which RESOURCE_EXHAUSTED
  std::string redis_url;
  double redis_timeout_s = 0.2;
  std::string jwt_secret;   // HS256; empty with a JWKS outside development
  std::string jwks, jwt_issuer, jwt_audience;
  TlsConfig tls;
  bool development = false;  // SPORTELLO_ENV=development: the only place the dev secret is accepted
  bool demo_data = false;
  // SPORTELLO_LOG_LEVEL: "debug" adds the anonymous public reads' "rpc" lines.
  log::Level log_level = log::Level::kInfo;
};

// The HS256 secret of local runs. A binary refuses to start with it (or with
// none) unless SPORTELLO_ENV=development, as ./sportello run and test set.
inline constexpr const char* kDevelopmentJwtSecret = "sportello-dev-secret-change-me";

// Reads SPORTELLO_ENV and SPORTELLO_JWT_SECRET with that rule (errors go to
// `s`); the gateway and every service use it. With SPORTELLO_JWKS set
// (ReadTokenConfig) outside development, HS256 is refused: the secret is not
// required and, when given, not used.
std::string ReadJwtSecret(Settings& s, bool* development = nullptr, bool jwks_configured = false);

// SPORTELLO_JWKS, SPORTELLO_JWT_ISSUER, SPORTELLO_JWT_AUDIENCE and the HS256
// rule above.
TokenConfig ReadTokenConfig(Settings& s, bool* development = nullptr);

// Reads `variable`, where another component is: one host:port, several
// (replicas, comma separated IP addresses) or dns:///name:port, as
// ChannelTarget (common/grpc/target.h) reads them; anything else is a
// start-up error naming the variable. Returns the value as given
// (ServiceChannel turns it into the target).
std::string ReadServiceAddress(Settings& s, const std::string& variable, const std::string& fallback,
                               const std::string& help);

// The service's default port comes from ServiceEndpoints(). Its own
// SPORTELLO_<NAME>_ADDR is where it listens: one host:port (each replica
// has its own); a list there is a start-up error.
ServiceConfig ReadServiceConfig(Settings& s, const std::string& service_name);

}  // namespace sportello
