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

namespace sportello {

// The five services and their default gRPC ports on one machine; each one's
// Prometheus endpoint listens on port + 1000. The gateway finds a service's
// address in SPORTELLO_<NAME>_ADDR, the same variable the service listens on.
struct ServiceEndpoint {
  const char* name;  // "catalogue"; the proto service is sportello.v1.CatalogueService
  int default_port;
};
inline constexpr ServiceEndpoint kServiceEndpoints[] = {
    {"catalogue", 50051}, {"complaints", 50052}, {"surveys", 50053},
    {"opendata", 50054},  {"dispatch", 50055},
};

class Settings {
 public:
  Settings(std::string program, int argc, char** argv);

  std::string String(const std::string& name, const std::string& fallback, const std::string& help);
  int Int(const std::string& name, int fallback, const std::string& help);
  bool Bool(const std::string& name, bool fallback, const std::string& help);
  double Seconds(const std::string& name, double fallback, const std::string& help);

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
  std::string jwt_secret;
  bool demo_data = false;
};

ServiceConfig ReadServiceConfig(Settings& s, const std::string& service_name, int default_port);

}  // namespace sportello
