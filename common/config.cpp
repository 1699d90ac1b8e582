#include "common/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/grpc/target.h"

namespace sportello {

Settings::Settings(std::string program, int argc, char** argv) : program_(std::move(program)) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
    } else {
      unknown_args_.push_back(arg);
    }
  }
}

void Settings::Declare(const std::string& name, const std::string& fallback, const std::string& help) {
  entries_.push_back({name, fallback, help});
}

std::string Settings::String(const std::string& name, const std::string& fallback, const std::string& help) {
  Declare(name, fallback, help);
  const char* v = std::getenv(name.c_str());
  return v ? std::string(v) : fallback;
}

int Settings::Int(const std::string& name, int fallback, const std::string& help) {
  std::string raw = String(name, std::to_string(fallback), help);
  int value = 0;
  if (!absl::SimpleAtoi(raw, &value)) {
    errors_.push_back(name + " must be an integer, got \"" + raw + "\"");
    return fallback;
  }
  return value;
}

bool Settings::Bool(const std::string& name, bool fallback, const std::string& help) {
  std::string raw = absl::AsciiStrToLower(String(name, fallback ? "true" : "false", help));
  if (raw == "1" || raw == "true" || raw == "yes" || raw == "on") return true;
  if (raw == "0" || raw == "false" || raw == "no" || raw == "off" || raw.empty()) return false;
  errors_.push_back(name + " must be true or false, got \"" + raw + "\"");
  return fallback;
}

double Settings::Seconds(const std::string& name, double fallback, const std::string& help) {
  std::string raw = String(name, std::to_string(fallback), help);
  double value = 0;
  if (!absl::SimpleAtod(raw, &value) || value < 0) {
    errors_.push_back(name + " must be a number of seconds, got \"" + raw + "\"");
    return fallback;
  }
  return value;
}

void Settings::Done() {
  if (help_) {
    std::cout << "Usage: " << program_ << " [--help]\n\nConfigured by environment variables:\n";
    for (const auto& e : entries_) {
      std::cout << "  " << e.name << "\n      " << e.help << " (default: \""
                << e.fallback << "\")\n";
    }
    std::exit(0);
  }
  for (const auto& a : unknown_args_) errors_.push_back("unknown argument " + a);
  if (!errors_.empty()) {
    for (const auto& e : errors_) std::cerr << program_ << ": " << e << "\n";
    std::exit(2);
  }
}

std::string ReadJwtSecret(Settings& s, bool* development, bool jwks_configured) {
  std::string env = s.String("SPORTELLO_ENV", "production",
                             "\"development\" on a developer's machine (accepts the development JWT secret)");
  std::string secret = s.String("SPORTELLO_JWT_SECRET", "",
                                "HS256 secret verifying bearer tokens; at least 32 characters, e.g. openssl rand -hex 32");
  bool dev = env == "development";
  if (env != "development" && env != "production") s.Error("SPORTELLO_ENV must be development or production");
  if (secret.empty() && dev) secret = kDevelopmentJwtSecret;
  if (jwks_configured && !dev) {
    // An identity provider signs the tokens: a shared secret would be a second way in.
    secret.clear();
  } else if (secret.empty()) {
    s.Error("SPORTELLO_JWT_SECRET is not set: create one with `openssl rand -hex 32` "
            "(or set SPORTELLO_ENV=development on a developer's machine)");
  } else if (secret == kDevelopmentJwtSecret && !dev) {
    s.Error("SPORTELLO_JWT_SECRET is the public development secret: anyone could mint tokens. "
            "Set a secret of your own (openssl rand -hex 32), or SPORTELLO_ENV=development on a developer's machine");
  } else if (!dev && secret.size() < 32) {
    s.Error("SPORTELLO_JWT_SECRET is shorter than 32 characters: use `openssl rand -hex 32`");
  }
  if (development) *development = dev;
  return secret;
}

TokenConfig ReadTokenConfig(Settings& s, bool* development) {
  TokenConfig t;
  t.jwks = s.String("SPORTELLO_JWKS", "",
                    "JWKS (file path or http(s) URL) whose RS256/ES256 keys verify bearer tokens; with it, "
                    "HS256 tokens are accepted only when SPORTELLO_ENV=development");
  t.issuer = s.String("SPORTELLO_JWT_ISSUER", "", "the iss that JWKS-verified tokens must carry (unchecked when empty)");
  t.audience = s.String("SPORTELLO_JWT_AUDIENCE", "",
                        "the aud that JWKS-verified tokens must carry (unchecked when empty)");
  if (!t.jwks.empty() && t.issuer.empty()) {
    s.Error("SPORTELLO_JWKS needs SPORTELLO_JWT_ISSUER: tokens of any other issuer using the same keys "
            "must not be accepted");
  }
  t.hs256_secret = ReadJwtSecret(s, development, !t.jwks.empty());
  return t;
}

namespace {
std::string ReadPem(Settings& s, const std::string& variable, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().find("-----BEGIN") == std::string::npos) {
    s.Error(variable + ": cannot read a PEM file at \"" + path + "\"");
    return {};
  }
  return text.str();
}
}  // namespace

TlsConfig ReadTlsConfig(Settings& s) {
  TlsConfig t;
  t.cert_file = s.String("SPORTELLO_TLS_CERT", "",
                         "PEM certificate of this process; with it gRPC is TLS only (./sportello certs makes one)");
  std::string key = s.String("SPORTELLO_TLS_KEY", "", "PEM private key of SPORTELLO_TLS_CERT");
  std::string ca = s.String("SPORTELLO_TLS_CA", "", "PEM CA certificate(s) that peers' certificates must be signed by");
  std::string client = s.String("SPORTELLO_TLS_CLIENT_CERT", "optional",
                                "optional: clients may present a certificate (checked against their token's "
                                "tenant); require: every client must (mutual TLS only)");
  if (client != "optional" && client != "require") s.Error("SPORTELLO_TLS_CLIENT_CERT must be optional or require");
  t.require_client_cert = client == "require";
  if (t.cert_file.empty() && key.empty() && ca.empty()) return t;
  if (t.cert_file.empty() || key.empty() || ca.empty()) {
    s.Error("SPORTELLO_TLS_CERT, SPORTELLO_TLS_KEY and SPORTELLO_TLS_CA go together: set all three or none");
    return t;
  }
  t.cert_pem = ReadPem(s, "SPORTELLO_TLS_CERT", t.cert_file);
  t.key_pem = ReadPem(s, "SPORTELLO_TLS_KEY", key);
  t.ca_pem = ReadPem(s, "SPORTELLO_TLS_CA", ca);
  return t;
}

std::string ReadServiceAddress(Settings& s, const std::string& variable, const std::string& fallback,
                               const std::string& help) {
  std::string value = s.String(variable, fallback,
                               help + " (host:port; replicas: host:port,host:port or dns:///name:port)");
  if (auto target = ChannelTarget(value); !target.ok()) s.Error(variable + ": " + std::string(target.status().message()));
  return value;
}

ServiceConfig ReadServiceConfig(Settings& s, const std::string& service_name) {
  int default_port = 0;
  for (const auto& ep : ServiceEndpoints()) {
    if (ep.name == service_name) default_port = ep.default_port;
  }
  if (default_port == 0) s.Error(service_name + " is not in services/services.txt");
  ServiceConfig c;
  c.service_name = service_name;
  std::string upper = absl::AsciiStrToUpper(service_name);
  c.grpc_addr = s.String("SPORTELLO_" + upper + "_ADDR", "127.0.0.1:" + std::to_string(default_port),
                         "gRPC listen address of the " + service_name + " service (this replica's host:port)");
  if (c.grpc_addr.find(',') != std::string::npos || c.grpc_addr.find(':') == std::string::npos ||
      c.grpc_addr.find("://") != std::string::npos) {
    s.Error("SPORTELLO_" + upper + "_ADDR is where this " + service_name + " listens: one host:port, not \"" +
            c.grpc_addr + "\" (the other components are given every replica's address)");
  }
  const std::string level = s.String("SPORTELLO_LOG_LEVEL", "info",
                                     "debug, info, warn or error; debug also logs each anonymous public read");
  if (auto parsed = log::ParseLevel(level)) {
    c.log_level = *parsed;
  } else {
    s.Error("SPORTELLO_LOG_LEVEL must be debug, info, warn or error, not \"" + level + "\"");
  }
  c.metrics_addr = s.String("SPORTELLO_" + upper + "_METRICS_ADDR",
                            "127.0.0.1:" + std::to_string(default_port + 1000),
                            "address of the Prometheus /metrics endpoint; empty disables it");
  c.pg_url = s.String("SPORTELLO_PG_URL", "postgresql://sportello@127.0.0.1:55432/sportello",
                      "PostgreSQL connection URL");
  c.pg_pool_size = s.Int("SPORTELLO_PG_POOL_SIZE", 8, "PostgreSQL connections per process");
  // Four a connection: a worker may wait for a connection, or in line for a
  // group commit (common/group_commit.h), and those in line must outnumber
  // the connections for their jobs to share transactions.
  c.workers = s.Int("SPORTELLO_WORKERS", 4 * c.pg_pool_size, "worker threads running database calls");
  c.worker_queue = s.Int("SPORTELLO_WORKER_QUEUE", 1024,
                         "calls that may wait for a worker before RESOURCE_EXHAUSTED");
  c.redis_url = s.String("SPORTELLO_REDIS_URL", "redis://127.0.0.1:56379/0",
                         "Redis URL for cache and limits; empty disables the cache");
  c.redis_timeout_s = s.Seconds("SPORTELLO_REDIS_TIMEOUT", 0.2,
                                "Redis connect and command timeout in seconds");
  TokenConfig tokens = ReadTokenConfig(s, &c.development);
  c.jwt_secret = tokens.hs256_secret;
  c.jwks = tokens.jwks;
  c.jwt_issuer = tokens.issuer;
  c.jwt_audience = tokens.audience;
  c.tls = ReadTlsConfig(s);
  c.demo_data = s.Bool("SPORTELLO_DEMO_DATA", false, "load the demo data at start-up");
  if (c.pg_pool_size < 1) c.pg_pool_size = 1;
  if (c.workers < 1) c.workers = 1;
  return c;
}

}  // namespace sportello
