#include "tests/support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

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
                const std::string& body, const std::map<std::string, std::string>& headers) {
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

}  // namespace sportello::testing
