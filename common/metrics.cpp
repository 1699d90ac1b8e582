#include "common/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "common/log.h"

namespace sportello {
namespace {

constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                            0.05,   0.1,   0.25,   0.5,   1,     5};

std::string LabelText(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ",";
    std::string escaped;
    for (char c : v) {
      if (c == '\\' || c == '"') escaped += '\\';
      if (c == '\n') {
        escaped += "\\n";
        continue;
      }
      escaped += c;
    }
    out += k + "=\"" + escaped + "\"";
  }
  return out;
}

// Shortest text that reads back as the same double: "0.0005", not "0.00050000000000000001".
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string WithLabel(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return "{" + labels + "," + extra + "}";
}

}  // namespace

void MetricsRegistry::Increment(const std::string& name, const Labels& labels, double by) {
  std::string key = LabelText(labels);
  std::lock_guard lock(mu_);
  counters_[name][key] += by;
}

void MetricsRegistry::Observe(const std::string& name, const Labels& labels, double seconds) {
  std::string key = LabelText(labels);
  std::lock_guard lock(mu_);
  Histogram& h = histograms_[name][key];
  if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      h.counts[i] += 1;
      break;
    }
  }
  h.sum += seconds;
  h.count += 1;
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, series] : counters_) {
    out += "# TYPE " + name + " counter\n";
    for (const auto& [labels, value] : series) {
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + Number(value) + "\n";
    }
  }
  for (const auto& [name, series] : histograms_) {
    out += "# TYPE " + name + " histogram\n";
    for (const auto& [labels, h] : series) {
      double cumulative = 0;
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        out += name + "_bucket" + WithLabel(labels, "le=\"" + Number(kBuckets[i]) + "\"") + " " +
               Number(cumulative) + "\n";
      }
      out += name + "_bucket" + WithLabel(labels, "le=\"+Inf\"") + " " + Number(h.count) + "\n";
      std::string l = labels.empty() ? "" : "{" + labels + "}";
      out += name + "_sum" + l + " " + Number(h.sum) + "\n";
      out += name + "_count" + l + " " + Number(h.count) + "\n";
    }
  }
  return out;
}

MetricsServer::MetricsServer(const MetricsRegistry& registry, const std::string& addr)
    : registry_(registry) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("metrics address needs host:port: " + addr);
  std::string host = addr.substr(0, colon);
  int port = std::stoi(addr.substr(colon + 1));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &sa.sin_addr) != 1) {
    throw std::runtime_error("metrics address must be an IPv4 host:port: " + addr);
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd_, 16) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot listen for metrics on " + addr);
  }
  socklen_t len = sizeof sa;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
  port_ = ntohs(sa.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

MetricsServer::~MetricsServer() {
  ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
  ::close(fd_);
  if (thread_.joinable()) thread_.join();
}

void MetricsServer::Serve() {
  while (true) {
    int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) return;
    // One short request per connection; a slow client cannot hold us long.
    timeval tv{2, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // a reader that stalls cannot hold shutdown
    char buf[2048];
    ssize_t n = ::recv(client, buf, sizeof buf, 0);
    std::string request(buf, n > 0 ? static_cast<size_t>(n) : 0);
    std::string body, status = "200 OK", type = "text/plain; version=0.0.4";
    if (request.rfind("GET /metrics", 0) == 0) {
      body = registry_.Render();
    } else {
      status = "404 Not Found";
      body = "not found\n";
      type = "text/plain";
    }
    std::string response = "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                            "\r\nContent-Length: " + std::to_string(body.size()) +
                            "\r\nConnection: close\r\n\r\n" + body;
    ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
    ::close(client);
  }
}

}  // namespace sportello
