#pragma once
// Prometheus metrics: counters and latency histograms keyed by name and
// labels, rendered in the text exposition format 0.0.4. Thread-safe.
//
//   metrics.Increment("sportello_rpc_requests_total", {{"method", "GetTenant"}, {"code", "OK"}});
//   metrics.Observe("sportello_rpc_duration_seconds", {{"method", "GetTenant"}}, 0.0012);
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sportello {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  void Increment(const std::string& name, const Labels& labels, double by = 1);
  void Observe(const std::string& name, const Labels& labels, double seconds);
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<double> counts;  // one per bucket, not cumulative
    double sum = 0;
    double count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, double>> counters_;       // name -> labels -> value
  std::map<std::string, std::map<std::string, Histogram>> histograms_;  // name -> labels -> histogram
};

// Serves GET /metrics from a registry on host:port, on its own thread, with
// plain sockets: services speak gRPC and need no HTTP stack for one page.
class MetricsServer {
 public:
  MetricsServer(const MetricsRegistry& registry, const std::string& addr);
  ~MetricsServer();
  int port() const { return port_; }

 private:
  void Serve();
  const MetricsRegistry& registry_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace sportello
