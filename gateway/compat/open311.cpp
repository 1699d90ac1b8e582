#include "gateway/compat/open311.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "common/text_checks.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/log.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "sportello/v1/catalogue.pb.h"
#include "sportello/v1/complaints.pb.h"

namespace sportello::gateway::open311 {
namespace {

namespace json = boost::json;
namespace pb = google::protobuf;

constexpr char kCatalogue[] = "catalogue";
constexpr char kComplaints[] = "complaints";
constexpr char kChangeset[] = "2026-11-24T00:00:00+01:00";  // date of this mapping's last change
constexpr char kSpecification[] = "http://wiki.open311.org/GeoReport_v2";
// Rows asked of a list RPC per call while walking its pages (the services' maximum).
constexpr int kUpstreamPageSize = 200;
// At most this many service_request_id values in one GET requests.
constexpr size_t kMaxIds = 200;

std::string S(absl::string_view s) { return std::string(s.data(), s.size()); }

// ---- UTF-8

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict percent-decoding; `plus_is_space` for form and query text.
absl::StatusOr<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      int lo = hi >= 0 ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError("malformed percent-encoding near '" +
                                          std::string(s.substr(i, 3)) + "'");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  if (!ValidUtf8(out)) return absl::InvalidArgumentError("text is not valid UTF-8");
  return out;
}

// ---- Output: one tree printed as JSON or XML with the standard's names.

struct Node {
  enum class Kind { kNull, kString, kLiteral, kObject, kArray };
  Kind kind = Kind::kNull;
  std::string text;  // kString: the text; kLiteral: a JSON number or boolean as written
  struct Field;  // a key and its value; std::pair<std::string, Node> needs Node complete (clang)
  std::vector<Field> fields;
  std::vector<Node> items;
  std::string item_name;  // kArray: the XML element of each item

  static Node Null();
  static Node Str(std::string s);
  static Node Int(int64_t v);
  static Node Double(double v);
  static Node Bool(bool v);
  static Node Object();
  static Node Array(std::string item_name);
  Node& Add(std::string key, Node value);
};

struct Node::Field {
  std::string key;
  Node value;
};

Node Node::Null() { return {}; }

Node Node::Str(std::string s) {
  Node n;
  n.kind = Kind::kString;
  n.text = std::move(s);
  return n;
}

Node Node::Int(int64_t v) {
  Node n;
  n.kind = Kind::kLiteral;
  n.text = std::to_string(v);
  return n;
}

Node Node::Double(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
  Node n;
  n.kind = Kind::kLiteral;
  n.text.assign(buf, r.ptr);
  return n;
}

Node Node::Bool(bool v) {
  Node n;
  n.kind = Kind::kLiteral;
  n.text = v ? "true" : "false";
  return n;
}

Node Node::Object() {
  Node n;
  n.kind = Kind::kObject;
  return n;
}

Node Node::Array(std::string item_name) {
  Node n;
  n.kind = Kind::kArray;
  n.item_name = std::move(item_name);
  return n;
}

Node& Node::Add(std::string key, Node value) {
  fields.push_back(Field{std::move(key), std::move(value)});
  return *this;
}

void WriteJson(const Node& n, std::string& out) {
  switch (n.kind) {
    case Node::Kind::kNull: out += "null"; return;
    case Node::Kind::kString: out += json::serialize(json::string_view(n.text)); return;
    case Node::Kind::kLiteral: out += n.text; return;
    case Node::Kind::kObject: {
      out += '{';
      for (size_t i = 0; i < n.fields.size(); ++i) {
        if (i > 0) out += ',';
        out += json::serialize(json::string_view(n.fields[i].key));
        out += ':';
        WriteJson(n.fields[i].value, out);
      }
      out += '}';
      return;
    }
    case Node::Kind::kArray: {
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        WriteJson(n.items[i], out);
      }
      out += ']';
      return;
    }
  }
}

void WriteXml(const std::string& name, const Node& n, std::string& out) {
  out += '<' + name + '>';
  switch (n.kind) {
    case Node::Kind::kNull: break;
    case Node::Kind::kString:
    case Node::Kind::kLiteral: out += XmlEscape(n.text); break;
    case Node::Kind::kObject:
      for (const auto& field : n.fields) WriteXml(field.key, field.value, out);
      break;
    case Node::Kind::kArray:
      for (const auto& item : n.items) WriteXml(n.item_name, item, out);
      break;
  }
  out += "</" + name + '>';
}

// `xml_root` names the XML document element; JSON has no name for the root.
HttpResponse Render(int status, const Node& root, const std::string& xml_root, Format format) {
  HttpResponse r;
  r.status = status;
  if (format == Format::kJson) {
    r.headers.Set("Content-Type", "application/json; charset=utf-8");
    WriteJson(root, r.body);
  } else {
    r.headers.Set("Content-Type", "application/xml; charset=utf-8");
    r.body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    WriteXml(xml_root, root, r.body);
    r.body += '\n';
  }
  return r;
}

// ---- Times

const absl::TimeZone& Rome() {
  static const absl::TimeZone tz = [] {
    absl::TimeZone loaded;
    if (absl::LoadTimeZone("Europe/Rome", &loaded)) return loaded;
    log::Warn("time zone Europe/Rome not found (install tzdata): Open311 times in UTC");
    return absl::UTCTimeZone();
  }();
  return tz;
}

absl::Time FromProto(const pb::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

void ToProto(absl::Time t, pb::Timestamp* ts) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts->set_seconds(seconds);
  ts->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

Node TimeNode(const pb::Timestamp& ts, bool present) {
  return present ? Node::Str(FormatDateTime(FromProto(ts))) : Node::Null();
}

// ---- Statuses and the public view

// `agency`: the assigned office's name, or its id when the name is unknown.
Node RequestNode(const v1::Request& r, const std::string& agency) {
  std::string address = r.address();
  std::string address_id;
  constexpr std::string_view kAddressId = "address_id: ";
  if (address.rfind(kAddressId, 0) == 0) {
    address_id = address.substr(kAddressId.size());
    address.clear();
  }
  const bool located = r.has_location() && (r.location().latitude() != 0 || r.location().longitude() != 0);
  // Public view only: the reporter is never read, even if an upstream sent it.
  Node n = Node::Object();
  n.Add("service_request_id", Node::Str(r.number()))
      .Add("status", Node::Str(std::string(OpenOrClosed(r.status()))))
      .Add("status_notes", Node::Str(r.status_label()))
      .Add("service_name", Node::Str(r.category_name()))
      .Add("service_code", Node::Str(r.category()))
      .Add("description", Node::Str(r.description()))
      .Add("agency_responsible", Node::Str(agency))
      .Add("service_notice", Node::Str(""))
      .Add("requested_datetime", TimeNode(r.create_time(), r.has_create_time()))
      .Add("updated_datetime", TimeNode(r.update_time(), r.has_update_time()))
      .Add("expected_datetime", TimeNode(r.due_time(), r.has_due_time()))
      .Add("address", Node::Str(address))
      .Add("address_id", Node::Str(address_id))
      .Add("zipcode", Node::Str(""))
      .Add("lat", located ? Node::Double(r.location().latitude()) : Node::Null())
      .Add("long", located ? Node::Double(r.location().longitude()) : Node::Null())
      .Add("media_url", Node::Str(r.media_urls().empty() ? "" : r.media_urls(0)));
  return n;
}

std::string_view DatatypeName(v1::AttributeDatatype d) {
  switch (d) {
    case v1::ATTRIBUTE_DATATYPE_NUMBER: return "number";
    case v1::ATTRIBUTE_DATATYPE_DATETIME: return "datetime";
    case v1::ATTRIBUTE_DATATYPE_TEXT: return "text";
    case v1::ATTRIBUTE_DATATYPE_SINGLE_VALUE_LIST: return "singlevaluelist";
    case v1::ATTRIBUTE_DATATYPE_MULTI_VALUE_LIST: return "multivaluelist";
    case v1::ATTRIBUTE_DATATYPE_STRING:
    default: return "string";
  }
}

// ---- Parameters

// The first value of `name`, if any.
std::optional<std::string> Param(const FormFields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Trimmed(const std::optional<std::string>& v) {
  return v ? S(absl::StripAsciiWhitespace(*v)) : std::string();
}

// A positive integer parameter in [1, max], or `fallback` when absent or empty.
absl::StatusOr<int> PositiveParam(const FormFields& fields, std::string_view name, int fallback, int max) {
  std::string v = Trimmed(Param(fields, name));
  if (v.empty()) return fallback;
  int n;
  if (!absl::SimpleAtoi(v, &n) || n < 1 || n > max) {
    return absl::InvalidArgumentError(std::string(name) + " must be an integer from 1 to " + std::to_string(max));
  }
  return n;
}

absl::StatusOr<std::optional<absl::Time>> DateParam(const FormFields& fields, std::string_view name) {
  std::string v = Trimmed(Param(fields, name));
  if (v.empty()) return std::optional<absl::Time>();
  auto t = ParseDateTime(v);
  if (!t.ok()) {
    return absl::InvalidArgumentError(std::string(name) + " '" + v +
                                      "' is not a W3C date-time such as 2026-11-24T21:05:00+01:00");
  }
  return std::optional<absl::Time>(*t);
}

struct JwtClaims {
  std::string tenant;
  std::vector<std::string> roles;
  std::optional<int64_t> exp;
};

// The claims of a JWT, unverified: used only to refuse early what the
// service would refuse anyway; the service verifies the signature.
std::optional<JwtClaims> PeekClaims(std::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(absl::string_view(token.data(), token.size()), '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) return std::nullopt;
  std::string payload;
  if (!absl::WebSafeBase64Unescape(parts[1], &payload)) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  JwtClaims c;
  if (const auto* t = o.if_contains("tenant"); t && t->is_string()) c.tenant = std::string(t->as_string());
  if (const auto* r = o.if_contains("roles"); r && r->is_array()) {
    for (const auto& role : r->as_array()) {
      if (role.is_string()) c.roles.emplace_back(role.as_string());
    }
  }
  if (const auto* e = o.if_contains("exp"); e && e->is_number()) {
    boost::system::error_code exp_ec;  // 1.5 or 1e19 do not fit: no expiry read
    auto exp = e->to_number<int64_t>(exp_ec);
    if (!exp_ec) c.exp = exp;
  }
  return c;
}

// ---- One request in flight

enum class Method { kDiscovery, kServices, kService, kPostRequest, kRequests, kRequest, kToken, kUpdates };

class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(Upstream& upstream, const Options& options, std::function<void(HttpResponse)> done)
      : upstream_(upstream), options_(options), done_(std::move(done)) {}

  void Start(const HttpRequest& request) {
    // One deadline for the whole answer, however many pages it walks.
    deadline_ = std::chrono::steady_clock::now() + options_.upstream_timeout;
    request_id_ = request.headers.GetOr("x-request-id");
    if (request_id_.empty()) request_id_ = NewRequestId();
    is_get_ = request.method == "GET";
    if_none_match_ = request.headers.GetOr("if-none-match");

    auto target = boost::urls::parse_origin_form(request.target);
    if (!target) return Fail(400, "invalid request target");
    std::string path(target->encoded_path().data(), target->encoded_path().size());
    std::string_view rest = std::string_view(path).substr(kBasePath.size());
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);

    // The format suffix of the last segment: "services/strade-buche.xml".
    size_t dot = rest.rfind('.');
    size_t slash = rest.rfind('/');
    std::string_view ext = dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)
                               ? std::string_view()
                               : rest.substr(dot + 1);
    if (ext == "xml") {
      format_ = Format::kXml;
    } else if (ext != "json") {
      return Fail(404, "unknown resource: Open311 paths end in .json or .xml");
    }
    rest = rest.substr(0, dot);
    std::vector<std::string> segments;
    for (absl::string_view seg : absl::StrSplit(absl::string_view(rest.data(), rest.size()), '/')) {
      auto decoded = PercentDecode(std::string_view(seg.data(), seg.size()), false);
      if (!decoded.ok()) return Fail(400, "path: " + S(decoded.status().message()));
      segments.push_back(*std::move(decoded));
    }
    const std::string& method = request.method;
    std::string allow = "GET";
    auto is = [&](std::initializer_list<std::string_view> want) {
      return segments.size() == want.size() && std::equal(want.begin(), want.end(), segments.begin(),
                                                          [](std::string_view w, const std::string& s) {
                                                            return w.empty() ? !s.empty() : w == s;
                                                          });
    };
    // "" stands for a non-empty variable segment.
    if (is({"discovery"})) {
      route_ = Method::kDiscovery;
    } else if (is({"services"})) {
      route_ = Method::kServices;
    } else if (is({"services", ""})) {
      route_ = Method::kService;
      key_ = segments[1];
    } else if (is({"requests"})) {
      route_ = method == "POST" ? Method::kPostRequest : Method::kRequests;
      allow = "GET, POST";
    } else if (is({"requests", ""})) {
      route_ = Method::kRequest;
      key_ = segments[1];
    } else if (is({"tokens", ""})) {
      route_ = Method::kToken;
      key_ = segments[1];
    } else if (is({"servicerequestupdates"})) {
      route_ = Method::kUpdates;
    } else {
      return Fail(404, "unknown resource " + path);
    }
    if (method != "GET" && !(method == "POST" && route_ == Method::kPostRequest)) {
      HttpResponse r = ErrorResponse(405, {"method " + method + " not allowed; allowed: " + allow}, format_);
      r.headers.Set("Allow", allow);
      return Finish(std::move(r));
    }

    // Parameters: the query, then (for POST) the form body, whose values come first.
    std::string query(target->encoded_query().data(), target->encoded_query().size());
    auto from_query = ParseForm(query);
    if (!from_query.ok()) return Fail(400, "query string: " + S(from_query.status().message()));
    if (route_ == Method::kPostRequest) {
      std::string type = absl::AsciiStrToLower(request.headers.GetOr("content-type"));
      type = type.substr(0, type.find(';'));
      type = S(absl::StripAsciiWhitespace(type));
      if (!type.empty() && type != "application/x-www-form-urlencoded") {
        return Fail(400, "the body must be application/x-www-form-urlencoded, not " + type);
      }
      auto from_body = ParseForm(request.body);
      if (!from_body.ok()) return Fail(400, "form body: " + S(from_body.status().message()));
      params_ = *std::move(from_body);
      idempotency_key_ = request.headers.GetOr("idempotency-key");
    }
    params_.insert(params_.end(), from_query->begin(), from_query->end());

    if (route_ == Method::kDiscovery) return Discovery(request);
    ResolveTenant();
  }

 private:
  // ---- Replies

  void Finish(HttpResponse r) {
    if (r.status == 200 && is_get_) {
      HttpRequest conditional;
      conditional.method = "GET";
      if (!if_none_match_.empty()) conditional.headers.Add("If-None-Match", if_none_match_);
      ApplyConditionalGet(conditional, r);
    }
    r.headers.Set("x-request-id", request_id_);
    done_(std::move(r));
  }

  void Fail(int status, std::string description) { Finish(ErrorResponse(status, {std::move(description)}, format_)); }

  void Reply(const Node& root, const std::string& xml_root) { Finish(Render(200, root, xml_root, format_)); }

  // An upstream error: 400 with each field violation, 403, 404, or a generic 5xx.
  void FailStatus(const absl::Status& st, std::string_view what) {
    int http;
    switch (st.code()) {
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kOutOfRange:
        http = 400;
        break;
      case absl::StatusCode::kUnauthenticated:
      case absl::StatusCode::kPermissionDenied:
        http = 403;
        break;
      default:
        http = HttpStatusFromCode(st.code());
    }
    std::vector<std::string> descriptions;
    if (http >= 500) {
      log::Error("open311 upstream error", {{"request_id", request_id_},
                                            {"rpc", what},
                                            {"code", CodeName(st.code())},
                                            {"error", S(st.message())}});
      descriptions.push_back(http == 503   ? "service temporarily unavailable, please retry later"
                             : http == 504 ? "the service did not answer in time"
                                           : "internal error: please report request id " + request_id_);
    } else if (http == 403) {
      descriptions.push_back("invalid api_key: " + S(st.message()));
    } else {
      for (const auto& v : FieldViolations(st)) {
        descriptions.push_back(v.field.empty() ? v.description : v.field + ": " + v.description);
      }
      if (descriptions.empty()) descriptions.push_back(S(st.message()));
    }
    Finish(ErrorResponse(http, descriptions, format_));
  }

  // ---- Upstream calls

  template <typename Response>
  void Rpc(const char* upstream, const std::string& method, const pb::Message& request,
           std::function<void(absl::Status, Response)> then, Metadata extra = {}) {
    Metadata md{{"x-request-id", request_id_}, {"accept-language", "en"}};
    md.insert(md.end(), extra.begin(), extra.end());
    const std::string rpc = std::string(upstream) == kCatalogue ? "/sportello.v1.CatalogueService/" + method
                                                               : "/sportello.v1.ComplaintsService/" + method;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return then(absl::DeadlineExceededError("the answer took longer than the gateway's upstream timeout"),
                  Response{});
    }
    upstream_.Call(upstream, rpc, request.SerializeAsString(), std::move(md), left,
                   [then = std::move(then), method](absl::Status status, std::string bytes) {
                     Response response;
                     if (status.ok() && !response.ParseFromString(bytes)) {
                       status = absl::InternalError(method + " answered bytes that do not parse");
                     }
                     then(std::move(status), std::move(response));
                   });
  }

  // ---- Jurisdiction

  void ResolveTenant() {
    // The tenant's IPA code, read canonically before any call: a control
    // character, a NUL or a space is a 400, never trimmed into a real code.
    auto canonical = CanonicalOptionalTenant(Param(params_, "jurisdiction_id").value_or(""), "jurisdiction_id");
    if (!canonical.ok()) {
      return Fail(400, "jurisdiction_id must be an IPA code: 1 to 32 letters, digits or _ (e.g. c_f027)");
    }
    std::string jurisdiction = *std::move(canonical);
    auto self = shared_from_this();
    if (!jurisdiction.empty()) {
      v1::GetTenantRequest req;
      req.set_ipa_code(jurisdiction);
      return Rpc<v1::Tenant>(kCatalogue, "GetTenant", req, [self, jurisdiction](absl::Status st, v1::Tenant t) {
        if (st.code() == absl::StatusCode::kNotFound || st.code() == absl::StatusCode::kInvalidArgument) {
          return self->Fail(404, "jurisdiction_id '" + jurisdiction + "' not found");
        }
        if (!st.ok()) return self->FailStatus(st, "GetTenant");
        self->tenant_ = std::move(t);
        self->Dispatch();
      });
    }
    // Optional only while a single tenant exists.
    v1::ListTenantsRequest req;
    req.set_page_size(2);
    Rpc<v1::ListTenantsResponse>(kCatalogue, "ListTenants", req,
                                 [self](absl::Status st, v1::ListTenantsResponse list) {
                                   if (!st.ok()) return self->FailStatus(st, "ListTenants");
                                   if (list.tenants_size() != 1 || !list.next_page_token().empty()) {
                                     return self->Fail(400, "jurisdiction_id was not provided: it is required "
                                                            "(the IPA code of the administration, e.g. c_f027)");
                                   }
                                   self->tenant_ = list.tenants(0);
                                   self->Dispatch();
                                 });
  }

  void Dispatch() {
    switch (route_) {
      case Method::kDiscovery: return;  // answered before
      case Method::kServices: return Services();
      case Method::kService: return ServiceDefinition();
      case Method::kPostRequest: return PostRequest();
      case Method::kRequests: return Requests();
      case Method::kRequest: return OneRequest();
      case Method::kToken: return Token();
      case Method::kUpdates: return Updates();
    }
  }

  // ---- Methods

  void Discovery(const HttpRequest& request) {
    std::string host = request.headers.GetOr("host");
    bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
    if (!host_ok) host = "localhost";
    std::string scheme = absl::AsciiStrToLower(request.headers.GetOr("x-forwarded-proto")) == "https" ? "https" : "http";
    Node formats = Node::Array("format");
    formats.items = {Node::Str("application/json"), Node::Str("text/xml")};
    Node endpoint = Node::Object();
    endpoint.Add("specification", Node::Str(kSpecification))
        .Add("url", Node::Str(scheme + "://" + host + std::string(kBasePath)))
        .Add("changeset", Node::Str(kChangeset))
        .Add("type", Node::Str("production"))
        .Add("formats", std::move(formats));
    Node endpoints = Node::Array("endpoint");
    endpoints.items.push_back(std::move(endpoint));
    Node root = Node::Object();
    root.Add("changeset", Node::Str(kChangeset))
        .Add("contact", Node::Str("URP of the Unione dei Comuni Terra delle Gravine; jurisdiction_id is the "
                                  "IPA code of the administration (e.g. c_f027)"))
        .Add("key_service", Node::Str("api_key: a partner credential issued by the URP of the administration"))
        .Add("endpoints", std::move(endpoints));
    Reply(root, "discovery");
  }

  void Services() {
    // Every category, however many pages the catalogue answers in.
    auto walk = std::make_shared<Walk<v1::ListCategoriesRequest, v1::Category>>();
    walk->request.set_tenant(tenant_.ipa_code());
    auto keep = [](v1::ListCategoriesResponse& page, std::vector<v1::Category>& rows) {
      for (auto& c : *page.mutable_categories()) rows.push_back(std::move(c));
    };
    auto self = shared_from_this();
    WalkPages<v1::ListCategoriesResponse>(kCatalogue, "ListCategories", walk, keep, [self, walk] {
      Node services = Node::Array("service");
      for (const auto& c : walk->rows) {
        Node s = Node::Object();
        s.Add("service_code", Node::Str(c.service_code()))
            .Add("service_name", Node::Str(c.name()))
            .Add("description", Node::Str(c.description()))
            .Add("metadata", Node::Bool(c.attributes_size() > 0))
            .Add("type", Node::Str("realtime"))
            .Add("keywords", Node::Str(absl::StrJoin(c.keywords(), ",")))
            .Add("group", Node::Str(c.group()));
        services.items.push_back(std::move(s));
      }
      self->Reply(services, "services");
    });
  }

  void ServiceDefinition() {
    v1::GetCategoryRequest req;
    req.set_tenant(tenant_.ipa_code());
    req.set_service_code(key_);
    auto self = shared_from_this();
    Rpc<v1::Category>(kCatalogue, "GetCategory", req, [self](absl::Status st, v1::Category c) {
      if (st.code() == absl::StatusCode::kNotFound) {
        return self->Fail(404, "service_code '" + self->key_ + "' not found");
      }
      if (!st.ok()) return self->FailStatus(st, "GetCategory");
      std::vector<v1::CategoryAttribute> sorted(c.attributes().begin(), c.attributes().end());
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto& a, const auto& b) { return a.order() < b.order(); });
      Node attributes = Node::Array("attribute");
      for (const auto& a : sorted) {
        Node values = Node::Array("value");
        for (const auto& v : a.values()) {
          Node value = Node::Object();
          value.Add("key", Node::Str(v.key())).Add("name", Node::Str(v.name()));
          values.items.push_back(std::move(value));
        }
        Node attr = Node::Object();
        attr.Add("variable", Node::Bool(true))
            .Add("code", Node::Str(a.code()))
            .Add("datatype", Node::Str(std::string(DatatypeName(a.datatype()))))
            .Add("required", Node::Bool(a.required()))
            .Add("datatype_description", Node::Str(""))
            .Add("order", Node::Int(a.order()))
            .Add("description", Node::Str(a.description()))
            .Add("values", std::move(values));
        attributes.items.push_back(std::move(attr));
      }
      Node root = Node::Object();
      root.Add("service_code", Node::Str(c.service_code())).Add("attributes", std::move(attributes));
      self->Reply(root, "service_definition");
    });
  }

  void PostRequest() {
    const std::string api_key = Trimmed(Param(params_, "api_key"));
    if (api_key.empty()) return Fail(400, "api_key was not provided");
    std::optional<JwtClaims> claims = PeekClaims(api_key);
    if (!claims) return Fail(403, "invalid api_key");
    if (claims->exp && *claims->exp < absl::ToUnixSeconds(options_.now())) return Fail(403, "api_key expired");
    if (std::find(claims->roles.begin(), claims->roles.end(), "partner") == claims->roles.end() &&
        std::find(claims->roles.begin(), claims->roles.end(), "admin") == claims->roles.end()) {
      return Fail(403, "api_key is not a partner credential");
    }
    if (claims->tenant != tenant_.ipa_code() &&
        (tenant_.parent_ipa_code().empty() || claims->tenant != tenant_.parent_ipa_code())) {
      return Fail(403, "api_key was not issued for jurisdiction " + tenant_.ipa_code());
    }

    v1::SubmitRequestRequest req;
    req.set_tenant(tenant_.ipa_code());
    req.set_kind(v1::REQUEST_KIND_REPORT);
    req.set_channel(v1::INTAKE_CHANNEL_PARTNER);
    req.set_public_(true);  // Open311 requests are public by nature
    req.set_idempotency_key(idempotency_key_);
    req.set_category(Trimmed(Param(params_, "service_code")));
    if (req.category().empty()) return Fail(400, "service_code was not provided");

    const std::string lat = Trimmed(Param(params_, "lat"));
    const std::string lon = Trimmed(Param(params_, "long"));
    const std::string address = Trimmed(Param(params_, "address_string"));
    const std::string address_id = Trimmed(Param(params_, "address_id"));
    if (!lat.empty() || !lon.empty()) {
      double la, lo;
      if (lat.empty() || lon.empty()) return Fail(400, "lat and long must be given together");
      if (!DecimalNumber(lat) || !absl::SimpleAtod(lat, &la) || la < -90 || la > 90) {
        return Fail(400, "lat is not a latitude (a decimal number from -90 to 90)");
      }
      if (!DecimalNumber(lon) || !absl::SimpleAtod(lon, &lo) || lo < -180 || lo > 180) {
        return Fail(400, "long is not a longitude (a decimal number from -180 to 180)");
      }
      req.mutable_location()->set_latitude(la);
      req.mutable_location()->set_longitude(lo);
    } else if (address.empty() && address_id.empty()) {
      return Fail(400, "a location is required: lat and long, address_string or address_id");
    }
    req.set_address(!address.empty() ? address : !address_id.empty() ? "address_id: " + address_id : "");
    req.set_description(Param(params_, "description").value_or(""));
    if (std::string media = Trimmed(Param(params_, "media_url")); !media.empty()) req.add_media_urls(media);

    std::string name = Trimmed(Param(params_, "first_name"));
    std::string last = Trimmed(Param(params_, "last_name"));
    if (!last.empty()) name += (name.empty() ? "" : " ") + last;
    v1::Reporter reporter;
    reporter.set_name(name);
    reporter.set_email(Trimmed(Param(params_, "email")));
    reporter.set_phone(Trimmed(Param(params_, "phone")));
    if (reporter.ByteSizeLong() > 0) *req.mutable_reporter() = std::move(reporter);

    // attribute[code]=v and attribute[code][]=v1&attribute[code][]=v2, in order of first appearance.
    std::map<std::string, v1::AttributeAnswer*> answers;
    for (const auto& [key, value] : params_) {
      if (key.rfind("attribute", 0) != 0) continue;
      std::string_view k(key);
      k.remove_prefix(std::string_view("attribute").size());
      size_t close = k.find(']');
      std::string_view code = k.size() > 2 && k.front() == '[' && close != std::string_view::npos
                                  ? k.substr(1, close - 1) : std::string_view();
      std::string_view tail = close == std::string_view::npos ? k : k.substr(close + 1);
      if (code.empty() || code.find('[') != std::string_view::npos || (!tail.empty() && tail != "[]")) {
        return Fail(400, "malformed parameter '" + key.substr(0, 64) + "': expected attribute[code] or attribute[code][]");
      }
      auto [it, inserted] = answers.try_emplace(std::string(code), nullptr);
      if (inserted) {
        it->second = req.add_attributes();
        it->second->set_code(std::string(code));
      }
      it->second->add_values(value);
    }

    Metadata md{{"authorization", "Bearer " + api_key}};
    if (!idempotency_key_.empty()) md.emplace_back("idempotency-key", idempotency_key_);
    auto self = shared_from_this();
    Rpc<v1::SubmitRequestResponse>(
        kComplaints, "SubmitRequest", req,
        [self](absl::Status st, v1::SubmitRequestResponse resp) {
          if (st.code() == absl::StatusCode::kNotFound) {
            return self->Fail(400, "service_code not found: " + S(st.message()));
          }
          if (!st.ok()) return self->FailStatus(st, "SubmitRequest");
          Node request = Node::Object();
          request.Add("service_request_id", Node::Str(resp.request().number()))
              .Add("token", Node::Str(resp.tracking_token()))
              .Add("service_notice", Node::Str(""))
              .Add("account_id", Node::Str(""));
          Node list = Node::Array("request");
          list.items.push_back(std::move(request));
          self->Reply(list, "service_requests");
        },
        std::move(md));
  }

  void Token() {
    v1::ResolveTrackingTokenRequest req;
    req.set_token(key_);
    auto self = shared_from_this();
    Rpc<v1::ResolveTrackingTokenResponse>(
        kComplaints, "ResolveTrackingToken", req, [self](absl::Status st, v1::ResolveTrackingTokenResponse resp) {
          if (st.code() == absl::StatusCode::kNotFound || st.code() == absl::StatusCode::kInvalidArgument ||
              (st.ok() && resp.tenant() != self->tenant_.ipa_code())) {
            return self->Fail(404, "token not found in jurisdiction " + self->tenant_.ipa_code());
          }
          if (!st.ok()) return self->FailStatus(st, "ResolveTrackingToken");
          Node request = Node::Object();
          request.Add("service_request_id", Node::Str(resp.number())).Add("token", Node::Str(self->key_));
          Node list = Node::Array("request");
          list.items.push_back(std::move(request));
          self->Reply(list, "service_requests");
        });
  }

  // ---- Lists walked page by page

  // A list read page by page: the request, re-sent with each next token,
  // and the rows kept so far.
  template <typename Request, typename Row>
  struct Walk {
    Request request;
    std::vector<Row> rows;
    size_t wanted = std::numeric_limits<size_t>::max();  // rows needed to fill the asked page
  };

  // Calls `method` until `wanted` rows or the last page, then `then`; `keep`
  // moves the rows of one answer that the walk wants into walk->rows.
  template <typename Response, typename W, typename Keep>
  void WalkPages(const char* upstream, const char* method, std::shared_ptr<W> walk, Keep keep,
                 std::function<void()> then) {
    walk->request.set_page_size(kUpstreamPageSize);
    auto self = shared_from_this();
    Rpc<Response>(upstream, method, walk->request,
                  [self, upstream, method, walk, keep, then = std::move(then)](absl::Status st, Response page) mutable {
                    if (!st.ok()) return self->FailStatus(st, method);
                    keep(page, walk->rows);
                    if (walk->rows.size() >= walk->wanted || page.next_page_token().empty()) return then();
                    walk->request.set_page_token(page.next_page_token());
                    self->template WalkPages<Response>(upstream, method, walk, std::move(keep), std::move(then));
                  });
  }

  using RequestsWalk = Walk<v1::ListPublicRequestsRequest, v1::Request>;

  void WalkRequests(std::shared_ptr<RequestsWalk> walk, std::function<void()> then) {
    WalkPages<v1::ListPublicRequestsResponse>(
        kComplaints, "ListPublicRequests", walk,
        [](v1::ListPublicRequestsResponse& page, std::vector<v1::Request>& rows) {
          for (auto& r : *page.mutable_requests()) rows.push_back(std::move(r));
        },
        std::move(then));
  }

  absl::Status ReadPaging(int& page, int& page_size) {
    auto p = PositiveParam(params_, "page", 1, kMaxPagedItems);
    if (!p.ok()) return p.status();
    auto size = PositiveParam(params_, "page_size", kMaxPageSize, kMaxPageSize);
    if (!size.ok()) return size.status();
    if (static_cast<int64_t>(*p) * *size > kMaxPagedItems) {
      return absl::InvalidArgumentError("page * page_size may be at most " + std::to_string(kMaxPagedItems) +
                                        ": narrow the dates instead");
    }
    page = *p;
    page_size = *size;
    return absl::OkStatus();
  }

  // Office names for agency_responsible, asked in parallel for the distinct
  // offices of the page; an office that cannot be read keeps its id.
  struct Agencies {
    std::mutex mu;
    std::map<std::string, std::string> names;  // office id -> name
    size_t pending = 0;
  };

  void ReplyRequests(std::vector<v1::Request> rows, size_t skip, size_t count) {
    auto page = std::make_shared<std::vector<v1::Request>>();
    for (size_t i = skip; i < rows.size() && i < skip + count; ++i) page->push_back(std::move(rows[i]));
    auto agencies = std::make_shared<Agencies>();
    for (const auto& r : *page) {
      if (!r.office_id().empty()) agencies->names.emplace(r.office_id(), r.office_id());
    }
    auto self = shared_from_this();
    auto reply = [self, page, agencies] {
      Node list = Node::Array("request");
      for (const auto& r : *page) {
        auto it = agencies->names.find(r.office_id());
        list.items.push_back(RequestNode(r, it == agencies->names.end() ? r.office_id() : it->second));
      }
      self->Reply(list, "service_requests");
    };
    if (agencies->names.empty()) return reply();
    agencies->pending = agencies->names.size();
    std::vector<std::string> ids;
    for (const auto& [id, unused] : agencies->names) ids.push_back(id);
    for (const auto& id : ids) {
      v1::GetOfficeRequest req;
      req.set_id(id);
      Rpc<v1::Office>(kCatalogue, "GetOffice", req, [agencies, reply, id](absl::Status st, v1::Office office) {
        bool last;
        {
          std::lock_guard lock(agencies->mu);
          if (st.ok() && !office.name().empty()) agencies->names[id] = office.name();
          last = --agencies->pending == 0;
        }
        if (last) reply();
      });
    }
  }

  void Requests() {
    auto walk = std::make_shared<RequestsWalk>();
    walk->request.set_tenant(tenant_.ipa_code());
    int page = 1, page_size = kMaxPageSize;
    if (auto st = ReadPaging(page, page_size); !st.ok()) return Fail(400, S(st.message()));

    std::string ids = Trimmed(Param(params_, "service_request_id"));
    if (!ids.empty()) {
      // The standard: a list of ids overrides every other filter.
      for (absl::string_view id : absl::StrSplit(ids, ',', absl::SkipWhitespace())) {
        walk->request.add_numbers(S(absl::StripAsciiWhitespace(id)));
      }
      if (static_cast<size_t>(walk->request.numbers_size()) > kMaxIds) {
        return Fail(400, "at most " + std::to_string(kMaxIds) + " service_request_id values at once");
      }
    } else {
      walk->request.set_category(Trimmed(Param(params_, "service_code")));
      auto start = DateParam(params_, "start_date");
      if (!start.ok()) return Fail(400, S(start.status().message()));
      auto end = DateParam(params_, "end_date");
      if (!end.ok()) return Fail(400, S(end.status().message()));
      auto window = ResolveWindow(*start, *end, options_.now());
      if (!window.ok()) return Fail(400, S(window.status().message()));
      ToProto(window->start, walk->request.mutable_created_after());
      ToProto(window->end, walk->request.mutable_created_before());
      bool open = false, closed = false;
      for (absl::string_view s : absl::StrSplit(Trimmed(Param(params_, "status")), ',', absl::SkipWhitespace())) {
        std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
        if (v == "open") {
          open = true;
        } else if (v == "closed") {
          closed = true;
        } else {
          return Fail(400, "status '" + v + "' is not open or closed");
        }
      }
      walk->request.set_open_only(open && !closed);
      walk->request.set_closed_only(closed && !open);
    }
    const size_t skip = static_cast<size_t>(page - 1) * page_size;
    walk->wanted = skip + page_size;
    auto self = shared_from_this();
    WalkRequests(walk, [self, walk, skip, page_size] { self->ReplyRequests(std::move(walk->rows), skip, page_size); });
  }

  void OneRequest() {
    auto walk = std::make_shared<RequestsWalk>();
    walk->request.set_tenant(tenant_.ipa_code());
    walk->request.add_numbers(key_);
    walk->wanted = 1;
    auto self = shared_from_this();
    WalkRequests(walk, [self, walk] {
      auto it = std::find_if(walk->rows.begin(), walk->rows.end(),
                             [&](const v1::Request& r) { return r.number() == self->key_; });
      if (it == walk->rows.end()) return self->Fail(404, "service_request_id '" + self->key_ + "' not found");
      self->ReplyRequests({*it}, 0, 1);
    });
  }


  void Updates() {
    int page = 1, page_size = kMaxPageSize;
    if (auto st = ReadPaging(page, page_size); !st.ok()) return Fail(400, S(st.message()));
    auto start = DateParam(params_, "start_date");
    if (!start.ok()) return Fail(400, S(start.status().message()));
    auto end = DateParam(params_, "end_date");
    if (!end.ok()) return Fail(400, S(end.status().message()));
    auto window = ResolveWindow(*start, *end, options_.now());
    if (!window.ok()) return Fail(400, S(window.status().message()));
    auto walk = std::make_shared<Walk<v1::ListPublicUpdatesRequest, v1::PublicUpdate>>();
    walk->request.set_tenant(tenant_.ipa_code());
    ToProto(window->start, walk->request.mutable_since());
    const size_t skip = static_cast<size_t>(page - 1) * page_size;
    walk->wanted = skip + page_size;
    auto self = shared_from_this();
    auto keep = [end = window->end](v1::ListPublicUpdatesResponse& page, std::vector<v1::PublicUpdate>& rows) {
      for (auto& u : *page.mutable_updates()) {
        if (FromProto(u.time()) <= end) rows.push_back(std::move(u));
      }
    };
    WalkPages<v1::ListPublicUpdatesResponse>(kComplaints, "ListPublicUpdates", walk, keep, [self, walk, skip, page_size] {
      Node list = Node::Array("request_update");
      for (size_t i = skip; i < walk->rows.size() && i < skip + page_size; ++i) {
        const auto& u = walk->rows[i];
        Node n = Node::Object();
        n.Add("update_id", Node::Str(std::to_string(u.id())))
            .Add("service_request_id", Node::Str(u.number()))
            .Add("status", Node::Str(std::string(OpenOrClosed(u.status()))))
            .Add("status_notes", Node::Str(u.status_label()))
            .Add("updated_datetime", TimeNode(u.time(), u.has_time()))
            .Add("description", Node::Str(u.description()))
            .Add("media_url", Node::Str(""));
        list.items.push_back(std::move(n));
      }
      self->Reply(list, "service_request_updates");
    });
  }

  Upstream& upstream_;
  const Options options_;
  std::function<void(HttpResponse)> done_;
  std::string request_id_;
  std::chrono::steady_clock::time_point deadline_;
  bool is_get_ = false;
  std::string if_none_match_;
  Format format_ = Format::kJson;
  Method route_ = Method::kDiscovery;
  std::string key_;  // the path variable: service_code, service_request_id or token
  FormFields params_;
  std::string idempotency_key_;
  v1::Tenant tenant_;
};

}  // namespace

bool Matches(std::string_view path) {
  return path.substr(0, kBasePath.size()) == kBasePath &&
         (path.size() == kBasePath.size() || path[kBasePath.size()] == '/');
}

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done) {
  std::make_shared<Call>(upstream, options, std::move(done))->Start(request);
}

absl::StatusOr<FormFields> ParseForm(std::string_view text) {
  FormFields out;
  for (absl::string_view pair : absl::StrSplit(absl::string_view(text.data(), text.size()), '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    absl::string_view raw_key = pair.substr(0, eq);
    absl::string_view raw_value = eq == absl::string_view::npos ? absl::string_view() : pair.substr(eq + 1);
    auto key = PercentDecode(std::string_view(raw_key.data(), raw_key.size()), true);
    if (!key.ok()) return key.status();
    auto value = PercentDecode(std::string_view(raw_value.data(), raw_value.size()), true);
    if (!value.ok()) return absl::InvalidArgumentError(*key + ": " + S(value.status().message()));
    if (key->empty()) return absl::InvalidArgumentError("a parameter without a name");
    out.emplace_back(*std::move(key), *std::move(value));
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    size_t n = DecodeUtf8(text, i, cp);
    if (n == 0) {  // not UTF-8: dropped
      ++i;
      continue;
    }
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                         (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
    if (allowed) {
      switch (cp) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out.append(text.substr(i, n));
      }
    }
    i += n;
  }
  return out;
}

std::string_view OpenOrClosed(int request_status) {
  switch (request_status) {
    case v1::REQUEST_STATUS_RESOLVED:
    case v1::REQUEST_STATUS_CLOSED:
    case v1::REQUEST_STATUS_REJECTED:
    case v1::REQUEST_STATUS_DUPLICATE:
    case v1::REQUEST_STATUS_WITHDRAWN:
    case v1::REQUEST_STATUS_FORWARDED:
      return "closed";
    default:
      return "open";
  }
}

absl::StatusOr<absl::Time> ParseDateTime(std::string_view text) {
  std::string s = S(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  // "...T21:05:00 01:00": the '+' of the offset was sent unencoded in a query.
  if (s.size() > 16 && s[s.size() - 6] == ' ' && s[s.size() - 3] == ':') s[s.size() - 6] = '+';
  std::string err;
  absl::Time t;
  for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M%Ez"}) {
    if (absl::ParseTime(format, s, &t, &err)) return t;
  }
  // No offset: local time in Rome.
  for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S", "%Y-%m-%d%ET%H:%M", "%Y-%m-%d"}) {
    if (s.size() >= 10 && absl::ParseTime(format, s, Rome(), &t, &err)) return t;
  }
  return absl::InvalidArgumentError("not a W3C date-time: '" + s + "'");
}

std::string FormatDateTime(absl::Time t) { return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, Rome()); }

absl::StatusOr<Window> ResolveWindow(std::optional<absl::Time> start, std::optional<absl::Time> end,
                                     absl::Time now) {
  if (start && end) {
    if (*end < *start) return absl::InvalidArgumentError("end_date is before start_date");
    if (*end - *start > kMaxWindow) {
      return absl::InvalidArgumentError("start_date and end_date may be at most 90 days apart");
    }
    return Window{*start, *end};
  }
  if (start) return Window{*start, *start + kMaxWindow};
  if (end) return Window{*end - kMaxWindow, *end};
  return Window{now - kMaxWindow, now};
}

HttpResponse ErrorResponse(int status, const std::vector<std::string>& descriptions, Format format) {
  Node errors = Node::Array("error");
  for (const auto& d : descriptions) {
    Node e = Node::Object();
    e.Add("code", Node::Int(status)).Add("description", Node::Str(d));
    errors.items.push_back(std::move(e));
  }
  return Render(status, errors, "errors", format);
}

}  // namespace sportello::gateway::open311
