#include "tests/support/http_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>
#include <cctype>

#include "tests/support/test_env.h"

namespace sportello::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

std::pair<std::string, std::string> HostPort(const std::string& base_url) {
  auto url = boost::urls::parse_uri(base_url).value();
  return {std::string(url.host()), std::string(url.port())};
}

}  // namespace

HttpReply Fetch(const std::string& base_url, const std::string& method, const std::string& target,
                const std::string& body, const Headers& headers) {
  auto [host, port] = HostPort(base_url);
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  tcp::resolver resolver(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(resolver.resolve(host, port));

  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, host);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  // A HEAD answer states a Content-Length but carries no body (RFC 9110 9.3.2).
  if (method == "HEAD") parser.skip(true);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  HttpReply reply;
  reply.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(field.value());
  }
  reply.body = res.body();
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return reply;
}

std::string RawExchange(const std::string& base_url, const std::string& raw, int timeout_ms) {
  auto [host, port] = HostPort(base_url);
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  tcp::resolver resolver(ioc);
  stream.expires_after(std::chrono::milliseconds(timeout_ms));
  stream.connect(resolver.resolve(host, port));
  beast::error_code ec;
  boost::asio::write(stream.socket(), boost::asio::buffer(raw), ec);
  std::string out;
  char buf[4096];
  while (true) {
    stream.expires_after(std::chrono::milliseconds(timeout_ms));
    size_t n = stream.read_some(boost::asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

std::string GatewayUrl() {
  static const std::string url = RequireEnv("SPORTELLO_TEST_GATEWAY_URL");
  return url;
}

Headers Bearer(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

HttpReply Get(const std::string& target, const Headers& headers) {
  return Fetch(GatewayUrl(), "GET", target, "", headers);
}

HttpReply Delete(const std::string& target, const Headers& headers) {
  return Fetch(GatewayUrl(), "DELETE", target, "", headers);
}

HttpReply PostJson(const std::string& target, const boost::json::object& body, const Headers& headers) {
  return Fetch(GatewayUrl(), "POST", target, boost::json::serialize(body), headers);
}

HttpReply PatchJson(const std::string& target, const boost::json::object& body, const Headers& headers) {
  return Fetch(GatewayUrl(), "PATCH", target, boost::json::serialize(body), headers);
}

namespace {

boost::json::value Parsed(const HttpReply& reply, int status) {
  INFO("HTTP " << reply.status << ", body: " << reply.body);
  REQUIRE(reply.status == status);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(reply.body, ec);
  REQUIRE_FALSE(ec);
  return v;
}

}  // namespace

boost::json::object JsonObject(const HttpReply& reply, int status) {
  boost::json::value v = Parsed(reply, status);
  INFO("body: " << reply.body);
  REQUIRE(v.is_object());
  return std::move(v.as_object());
}

boost::json::array JsonArray(const HttpReply& reply, int status) {
  boost::json::value v = Parsed(reply, status);
  INFO("body: " << reply.body);
  REQUIRE(v.is_array());
  return std::move(v.as_array());
}

boost::json::object Problem(const HttpReply& reply, int status) {
  // RFC 9457, with the HTTP status repeated inside and a title.
  boost::json::object problem = JsonObject(reply, status);
  CHECK(reply.Header("content-type").rfind("application/problem+json", 0) == 0);
  CHECK(problem.contains("status"));
  if (problem.contains("status")) CHECK(problem.at("status").as_int64() == status);
  CHECK(problem.contains("title"));
  return problem;
}

bool NamesField(const boost::json::object& problem, std::string_view field) {
  if (!problem.contains("errors")) return false;
  for (const auto& e : problem.at("errors").as_array()) {
    if (e.as_object().at("field").as_string() == field) return true;
  }
  return false;
}

std::string Str(const boost::json::value& object, std::string_view key) {
  INFO(boost::json::serialize(object) << " is not an object");
  REQUIRE(object.is_object());
  return Str(object.as_object(), key);
}

std::string Str(const boost::json::object& object, std::string_view key) {
  INFO("member \"" << key << "\" of " << boost::json::serialize(object));
  const boost::json::value* member = object.if_contains(key);
  REQUIRE(member != nullptr);
  REQUIRE(member->is_string());
  return std::string(member->as_string());
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace sportello::testing
