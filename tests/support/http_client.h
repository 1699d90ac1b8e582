#pragma once
// A small blocking HTTP/1.1 client for end-to-end tests against the real
// gateway on loopback. One connection per request unless a Connection is kept.
#include <map>
#include <string>

namespace sportello::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// `base_url` is "http://127.0.0.1:PORT".
HttpReply Fetch(const std::string& base_url, const std::string& method, const std::string& target,
                const std::string& body = "", const std::map<std::string, std::string>& headers = {});

// Sends `raw` bytes as they are and returns whatever the server answers
// until it closes or `timeout_ms` passes (for malformed and oversized requests).
std::string RawExchange(const std::string& base_url, const std::string& raw, int timeout_ms = 5000);

}  // namespace sportello::testing
