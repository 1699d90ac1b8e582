#include "services/dispatch/connectors.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/dispatch/secrets.h"

namespace sportello::dispatch {
namespace {

namespace json = boost::json;

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

struct Response {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  CURLcode code = CURLE_OK;

  std::string Header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<Response*>(user)->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    static_cast<Response*>(user)->headers.emplace_back(std::move(name), std::move(value));
  }
  return size * n;
}

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t OnRead(char* buffer, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, len);
  u->offset += len;
  return len;
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Easy NewEasy(const CurlSettings& s) {
  static CurlGlobal global;
  Easy e(curl_easy_init(), curl_easy_cleanup);
  curl_easy_setopt(e.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(s.connect_timeout)));
  curl_easy_setopt(e.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(s.timeout)));
  curl_easy_setopt(e.get(), CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e.get(), CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(e.get(), CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps");
  curl_easy_setopt(e.get(), CURLOPT_FOLLOWLOCATION, 0L);
  return e;
}

Response PostJson(const CurlSettings& s, const std::string& url, const std::string& body,
                  const std::vector<std::string>& extra_headers) {
  Response r;
  Easy e = NewEasy(s);
  Headers h(nullptr, curl_slist_free_all);
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");
  for (const auto& x : extra_headers) list = curl_slist_append(list, x.c_str());
  h.reset(list);
  curl_easy_setopt(e.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(e.get(), CURLOPT_HTTPHEADER, h.get());
  curl_easy_setopt(e.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(e.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(e.get(), CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e.get(), CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(e.get(), CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e.get(), CURLOPT_HEADERDATA, &r);
  r.code = curl_easy_perform(e.get());
  curl_easy_getinfo(e.get(), CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

// A failed transfer: before the request left (refused, no such host) it is
// safely not sent; otherwise the platform may have it.
Attempt TransportFailure(CURLcode code) {
  Attempt a;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      a.kind = Attempt::Kind::kNotSent;
      break;
    default:
      a.kind = Attempt::Kind::kUnknown;
  }
  a.error = curl_easy_strerror(code);  // generic text: never a URL
  return a;
}

std::optional<absl::Duration> RetryAfterHeader(const Response& r) {
  int seconds = 0;
  std::string v = r.Header("retry-after");
  if (!v.empty() && absl::SimpleAtoi(v, &seconds) && seconds >= 0) return absl::Seconds(seconds);
  return std::nullopt;
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string ShortBody(const std::string& body) {
  std::string out = body.substr(0, 200);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

}  // namespace

CurlSender::CurlSender(CurlSettings settings, std::function<absl::Time()> now)
    : settings_(std::move(settings)), now_(std::move(now)) {}

Attempt CurlSender::Send(const Outgoing& out) {
  switch (out.account.channel) {
    case Channel::kTelegram: return Telegram(out);
    case Channel::kMastodon: return Mastodon(out);
    case Channel::kWebhook: return Webhook(out);
    case Channel::kEmail: return Email(out);
    case Channel::kFeed: break;
  }
  Attempt a;
  a.http_status = 200;  // a feed has nothing to send: the feed reads published messages
  return a;
}

Attempt CurlSender::Telegram(const Outgoing& out) {
  json::object body{{"chat_id", out.account.handle}, {"text", out.text}, {"parse_mode", "HTML"}};
  Response r = PostJson(settings_, TrimSlash(out.account.endpoint) + "/bot" + out.secret + "/sendMessage",
                        json::serialize(body), {});
  if (r.code != CURLE_OK) return TransportFailure(r.code);
  Attempt a;
  a.http_status = static_cast<int>(r.status);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    if (auto* result = o.if_contains("result"); result && result->is_object()) {
      if (auto* id = result->as_object().if_contains("message_id"); id && id->is_int64()) {
        a.remote_id = std::to_string(id->as_int64());
      }
    }
    if (auto* params = o.if_contains("parameters"); params && params->is_object()) {
      if (auto* ra = params->as_object().if_contains("retry_after"); ra && ra->is_int64()) {
        a.retry_after = absl::Seconds(ra->as_int64());
      }
    }
    if (auto* d = o.if_contains("description"); d && d->is_string() && a.http_status >= 300) {
      a.error = std::string(d->as_string());
    }
  }
  return a;
}

Attempt CurlSender::Mastodon(const Outgoing& out) {
  json::object body{{"status", out.text}, {"visibility", "public"}, {"language", "it"}};
  Response r = PostJson(settings_, TrimSlash(out.account.endpoint) + "/api/v1/statuses", json::serialize(body),
                        {"Authorization: Bearer " + out.secret, "Idempotency-Key: " + out.delivery.id});
  if (r.code != CURLE_OK) return TransportFailure(r.code);
  Attempt a;
  a.http_status = static_cast<int>(r.status);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (!ec && v.is_object()) {
    if (auto* id = v.as_object().if_contains("id"); id && id->is_string()) a.remote_id = std::string(id->as_string());
    if (auto* e = v.as_object().if_contains("error"); e && e->is_string()) a.error = std::string(e->as_string());
  }
  if (a.http_status == 429) {
    absl::Time reset;
    std::string err;
    std::string h = r.Header("x-ratelimit-reset");
    if (!h.empty() && absl::ParseTime(absl::RFC3339_full, h, &reset, &err)) {
      a.retry_after = std::max(absl::ZeroDuration(), reset - now_());
    } else {
      a.retry_after = RetryAfterHeader(r);
    }
  }
  return a;
}

Attempt CurlSender::Webhook(const Outgoing& out) {
  json::object body{{"type", "message.published"}, {"delivery_id", out.delivery.id},
                    {"message_id", out.delivery.message_id}, {"tenant", out.delivery.tenant},
                    {"title", out.title}, {"text", out.text}, {"link", out.link}};
  std::string payload = json::serialize(body);
  std::string timestamp = std::to_string(absl::ToUnixSeconds(now_()));
  std::vector<std::string> headers = {"webhook-id: " + out.delivery.id, "webhook-timestamp: " + timestamp};
  if (!out.secret.empty()) {
    headers.push_back("webhook-signature: " + StandardWebhookSignature(out.secret, out.delivery.id, timestamp, payload));
    headers.push_back("X-Hub-Signature-256: " + HubSignature256(out.secret, payload));
  }
  Response r = PostJson(settings_, out.account.endpoint, payload, headers);
  if (r.code != CURLE_OK) return TransportFailure(r.code);
  Attempt a;
  a.http_status = static_cast<int>(r.status);
  a.retry_after = RetryAfterHeader(r);
  if (a.http_status >= 300) a.error = ShortBody(r.body);
  return a;
}

std::string EncodeHeaderWord(const std::string& text) {
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c >= 0x20 && c < 0x7f;
  if (ascii) return text;
  // Encoded words are at most 75 characters: split on UTF-8 boundaries.
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + absl::Base64Escape(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string EmailMessage(const Outgoing& out, absl::Time now, const std::string& mail_domain) {
  std::string body = out.text;
  // Lines end in CRLF; a lone "." line would end the DATA early (curl escapes it, still be explicit).
  std::string crlf;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) crlf += '\r';
    crlf += body[i];
  }
  std::string subject = out.title.empty() ? "Comunicazione" : out.title;
  return absl::StrCat("From: ", out.account.handle, "\r\n", "To: undisclosed-recipients:;\r\n",
                      "Subject: ", EncodeHeaderWord(subject), "\r\n",
                      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()), "\r\n",
                      "Message-ID: <", out.delivery.id, "@", mail_domain, ">\r\n", "MIME-Version: 1.0\r\n",
                      "Content-Type: text/plain; charset=UTF-8\r\n", "Content-Transfer-Encoding: 8bit\r\n", "\r\n",
                      crlf, "\r\n");
}

Attempt CurlSender::Email(const Outgoing& out) {
  Response r;
  Easy e = NewEasy(settings_);
  Upload upload{EmailMessage(out, now_(), settings_.mail_domain)};
  Headers rcpt(nullptr, curl_slist_free_all);
  curl_slist* list = nullptr;
  for (const auto& to : out.account.recipients) list = curl_slist_append(list, ("<" + to + ">").c_str());
  rcpt.reset(list);
  curl_easy_setopt(e.get(), CURLOPT_URL, out.account.endpoint.c_str());
  std::string from = "<" + out.account.handle + ">";
  curl_easy_setopt(e.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(e.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(e.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(e.get(), CURLOPT_READFUNCTION, OnRead);
  curl_easy_setopt(e.get(), CURLOPT_READDATA, &upload);
  if (out.account.endpoint.rfind("smtp://", 0) == 0 && !out.secret.empty()) {
    curl_easy_setopt(e.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));  // STARTTLS before credentials
  }
  size_t colon = out.secret.find(':');
  std::string user = colon == std::string::npos ? "" : out.secret.substr(0, colon);
  std::string password = colon == std::string::npos ? "" : out.secret.substr(colon + 1);
  if (!user.empty()) {
    curl_easy_setopt(e.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(e.get(), CURLOPT_PASSWORD, password.c_str());
  }
  r.code = curl_easy_perform(e.get());
  curl_easy_getinfo(e.get(), CURLINFO_RESPONSE_CODE, &r.status);
  Attempt a;
  if (r.code == CURLE_OK) {
    a.http_status = r.status > 0 ? static_cast<int>(r.status) : 250;
    return a;
  }
  if (r.status >= 400) {  // the server refused: its reply code decides
    a.http_status = static_cast<int>(r.status);
    a.error = curl_easy_strerror(r.code);
    return a;
  }
  return TransportFailure(r.code);
}

}  // namespace sportello::dispatch
