#pragma once
// A small blocking HTTP/1.1 client for end-to-end tests against the real
// gateway on loopback (one connection per request), and JSON helpers on top:
//
//   HttpReply r = PostJson("/api/v1/tenants/" + box.tenant + "/offices", {{"name", "URP"}},
//                          Bearer(box.operator_token));
//   boost::json::object office = JsonObject(r);        // fails the test unless 200 and an object
//   std::string id = Str(office, "id");
#include <boost/json.hpp>
#include <map>
#include <string>
#include <string_view>

namespace sportello::testing {

using Headers = std::map<std::string, std::string>;

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
                const std::string& body = "", const Headers& headers = {});

// Sends `raw` bytes as they are and returns whatever the server answers
// until it closes or `timeout_ms` passes (for malformed and oversized requests).
std::string RawExchange(const std::string& base_url, const std::string& raw, int timeout_ms = 5000);

// ---- JSON over HTTP, against the gateway that ./sportello test started
// (SPORTELLO_TEST_GATEWAY_URL; the test fails when it is not set).

std::string GatewayUrl();

// {"Authorization": "Bearer <token>"}, or no header for an empty token.
Headers Bearer(const std::string& token);

HttpReply Get(const std::string& target, const Headers& headers = {});
HttpReply Delete(const std::string& target, const Headers& headers = {});
HttpReply PostJson(const std::string& target, const boost::json::object& body, const Headers& headers = {});
HttpReply PatchJson(const std::string& target, const boost::json::object& body, const Headers& headers = {});

// The reply's body as a JSON object, after requiring `status` (the body is
// in the failure message). Error answers (problem+json) are objects too.
boost::json::object JsonObject(const HttpReply& reply, int status = 200);
boost::json::array JsonArray(const HttpReply& reply, int status = 200);
// A problem+json answer with `status` (the content type is checked too).
boost::json::object Problem(const HttpReply& reply, int status);
// Whether a problem's `errors` name `field`.
bool NamesField(const boost::json::object& problem, std::string_view field);

// A string member; fails the test when it is missing or not a string.
std::string Str(const boost::json::object& object, std::string_view key);
std::string Str(const boost::json::value& object, std::string_view key);

// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
std::string UrlEncode(std::string_view s);

}  // namespace sportello::testing
