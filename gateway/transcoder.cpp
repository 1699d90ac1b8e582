#include "gateway/transcoder.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <cctype>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/tenancy.h"
#include "common/text_checks.h"
#include "gateway/answer_json.h"
#include "gateway/compat/ckan.h"
#include "gateway/compat/datasets.h"
#include "gateway/compat/dcat.h"
#include "gateway/compat/feeds.h"
#include "gateway/compat/open311.h"

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const char* Text(bool english, const char* it, const char* en) { return english ? en : it; }

std::string ProtoMessage(const pb::util::Status& st) {
  return std::string(st.message().data(), st.message().size());
}

// The field of `type` named by a proto name or its JSON (lowerCamel) name.
const pb::FieldDescriptor* FindField(const pb::Descriptor* type, const std::string& name) {
  if (const auto* f = type->FindFieldByName(name)) return f;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) return type->field(i);
  }
  return nullptr;
}

// A dotted field path spelled with proto names, whatever mix of proto and
// JSON names it was written in; unknown segments are kept as written.
std::string CanonicalPath(const pb::Descriptor* type, const std::string& path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string segment = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const pb::FieldDescriptor* f = type ? FindField(type, segment) : nullptr;
    out += (out.empty() ? "" : ".") + (f ? f->name() : segment);
    type = f && f->message_type() ? f->message_type() : nullptr;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

class Binder {
 public:
  Binder(pb::Message& root, bool english) : root_(root), english_(english) {}

  void Violation(std::string field, std::string description) {
    // A field name may come from the client (a query key): never echoed at length.
    if (field.size() > kMaxEchoedField) field = field.substr(0, kMaxEchoedField) + "...";
    violations_.push_back({std::move(field), std::move(description)});
  }

  // Sets (or, for repeated fields, appends) the field at `path` from text.
  // A value from the path must be present; one from the query may be empty.
  void Bind(const std::string& path, const std::string& value, bool from_path = false) {
    from_path_ = from_path;
    pb::Message* owner = &root_;
    size_t start = 0;
    while (true) {
      size_t dot = path.find('.', start);
      std::string name = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      const pb::FieldDescriptor* field = FindField(owner->GetDescriptor(), name);
      if (field == nullptr) {
        return Violation(path, Text(english_, "campo sconosciuto", "unknown field"));
      }
      if (dot == std::string::npos) return SetLeaf(path, *owner, field, value);
      if (field->is_repeated() || field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        return Violation(path, Text(english_, "percorso di campo non valido", "invalid field path"));
      }
      owner = owner->GetReflection()->MutableMessage(owner, field);
      start = dot + 1;
    }
  }

  absl::Status Result() const {
    if (violations_.empty()) return absl::OkStatus();
    return InvalidArgument(violations_);
  }

 private:
  void SetLeaf(const std::string& path, pb::Message& owner, const pb::FieldDescriptor* field,
               const std::string& value) {
    const pb::Reflection* r = owner.GetReflection();
    const bool rep = field->is_repeated();
    if (field->is_map()) {
      return Violation(path, Text(english_, "un campo mappa non si imposta dall'URL",
                                  "a map field cannot be set from the URL"));
    }
    auto bad = [&](const char* it, const char* en) { Violation(path, Text(english_, it, en)); };
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("intero a 32 bit non valido", "invalid 32-bit integer");
        return rep ? r->AddInt32(&owner, field, v) : r->SetInt32(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("intero a 64 bit non valido", "invalid 64-bit integer");
        return rep ? r->AddInt64(&owner, field, v) : r->SetInt64(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("intero senza segno non valido", "invalid unsigned integer");
        return rep ? r->AddUInt32(&owner, field, v) : r->SetUInt32(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v;
        if (!absl::SimpleAtoi(value, &v)) return bad("intero senza segno non valido", "invalid unsigned integer");
        return rep ? r->AddUInt64(&owner, field, v) : r->SetUInt64(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
        double v;
        if (!DecimalNumber(value) || !absl::SimpleAtod(value, &v)) return bad("numero non valido", "invalid number");
        return rep ? r->AddDouble(&owner, field, v) : r->SetDouble(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_FLOAT: {
        float v;
        if (!DecimalNumber(value) || !absl::SimpleAtof(value, &v)) return bad("numero non valido", "invalid number");
        return rep ? r->AddFloat(&owner, field, v) : r->SetFloat(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if (value == "true" || value == "1") {
          v = true;
        } else if (value == "false" || value == "0") {
          v = false;
        } else {
          return bad("atteso true o false", "expected true or false");
        }
        return rep ? r->AddBool(&owner, field, v) : r->SetBool(&owner, field, v);
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const pb::EnumValueDescriptor* ev = field->enum_type()->FindValueByName(value);
        int number;
        if (ev == nullptr && absl::SimpleAtoi(value, &number)) {
          ev = field->enum_type()->FindValueByNumber(number);
        }
        if (ev == nullptr) return bad("valore non previsto", "unexpected value");
        return rep ? r->AddEnum(&owner, field, ev) : r->SetEnum(&owner, field, ev);
      }
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        std::string v = value;
        if (field->type() == pb::FieldDescriptor::TYPE_BYTES &&
            !absl::WebSafeBase64Unescape(value, &v) && !absl::Base64Unescape(value, &v)) {
          return bad("base64 non valido", "invalid base64");
        }
        // A proto string must be UTF-8, or the service cannot parse the request.
        if (field->type() == pb::FieldDescriptor::TYPE_STRING && !ValidUtf8(v)) {
          return bad("testo non valido (UTF-8)", "invalid text (UTF-8)");
        }
        // A tenant from the URL is read once, canonically, before it reaches
        // any key or the upstream: "c_f027%0A" is a 400, never "c_f027".
        if (field->type() == pb::FieldDescriptor::TYPE_STRING && IsTenantField(field->name())) {
          auto canonical = from_path_ ? CanonicalTenant(v, path) : CanonicalOptionalTenant(v, path);
          if (!canonical.ok()) {
            auto why = FieldViolations(canonical.status());
            return Violation(path, why.empty() ? std::string(canonical.status().message()) : why[0].description);
          }
          v = *std::move(canonical);
        }
        // The path names the resource: a body saying otherwise is refused,
        // never silently overwritten.
        if (from_path_ && !rep) {
          std::string existing = r->GetString(owner, field);
          if (IsTenantField(field->name())) existing = absl::AsciiStrToLower(existing);
          if (!existing.empty() && existing != v) {
            return bad("il valore nel corpo non coincide con quello nell'indirizzo",
                       "the value in the body differs from the one in the URL");
          }
        }
        return rep ? r->AddString(&owner, field, std::move(v)) : r->SetString(&owner, field, std::move(v));
      }
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        return SetWellKnown(path, owner, field, value);
    }
  }

  // Timestamp, Duration, FieldMask and the wrappers have a JSON string or
  // number form; other messages cannot come from one URL value.
  void SetWellKnown(const std::string& path, pb::Message& owner, const pb::FieldDescriptor* field,
                    const std::string& value) {
    const std::string& type = field->message_type()->full_name();
    const pb::Reflection* r = owner.GetReflection();
    pb::Message* target = field->is_repeated() ? r->AddMessage(&owner, field)
                                               : r->MutableMessage(&owner, field);
    if (type == "google.protobuf.Timestamp" || type == "google.protobuf.Duration" ||
        type == "google.protobuf.FieldMask") {
      auto st = pb::util::JsonStringToMessage(json::serialize(json::string(value)), target);
      if (!st.ok()) {
        Violation(path, Text(english_, type == "google.protobuf.Timestamp"
                                           ? "data e ora RFC 3339 non valide"
                                           : "valore non valido",
                             type == "google.protobuf.Timestamp" ? "invalid RFC 3339 timestamp"
                                                                 : "invalid value"));
      }
      return;
    }
    const pb::FieldDescriptor* inner = target->GetDescriptor()->FindFieldByName("value");
    if (type.rfind("google.protobuf.", 0) == 0 && type.size() > 5 &&
        type.compare(type.size() - 5, 5, "Value") == 0 && inner != nullptr && !inner->is_repeated()) {
      return SetLeaf(path, *target, inner, value);
    }
    Violation(path, Text(english_, "un messaggio non si imposta dall'URL",
                         "a message field cannot be set from the URL"));
  }

  pb::Message& root_;
  bool english_;
  bool from_path_ = false;
  std::vector<FieldViolation> violations_;
};

// `path` names `bound` or lies inside or around it: "a" vs "a.b".
bool Overlaps(const std::string& path, const std::string& bound) {
  auto prefix = [](const std::string& a, const std::string& b) {
    return a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '.';
  };
  return path == bound || prefix(path, bound) || prefix(bound, path);
}

// Walks JSON text with Boost.JSON's SAX parser and notes whether an object
// names a key twice (protobuf's parser silently keeps the last one).
struct DuplicateKeys {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec_t = boost::system::error_code;
  using sv = json::string_view;
  std::vector<std::set<std::string>> objects;
  std::string key;
  bool found = false;

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    objects.pop_back();
    return true;
  }
  bool on_string_part(sv, std::size_t, ec_t&) { return true; }
  bool on_string(sv, std::size_t, ec_t&) { return true; }
  bool on_key_part(sv part, std::size_t, ec_t&) {
    key.append(part.data(), part.size());
    return true;
  }
  bool on_key(sv part, std::size_t, ec_t&) {
    key.append(part.data(), part.size());
    found = found || !objects.back().insert(std::move(key)).second;
    key.clear();
    return !found;  // stop at the first one
  }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec_t&) { return true; }
  bool on_double(double, sv, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

bool HasDuplicateKeys(std::string_view text) {
  json::parse_options options;
  options.max_depth = 100;  // protobuf's own recursion limit
  json::basic_parser<DuplicateKeys> parser(options);
  boost::system::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return parser.handler().found;
}

absl::Status BindBody(const Route& route, std::string_view body, pb::Message& message, bool english) {
  if (route.body.empty()) return absl::OkStatus();
  std::string_view trimmed = Trim(body);
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.remove_suffix(1);
  if (trimmed.empty()) return absl::OkStatus();
  pb::util::JsonParseOptions options;  // unknown fields are errors
  auto invalid = [&](const std::string& why) {
    return absl::InvalidArgumentError(std::string(Text(english, "corpo JSON non valido: ",
                                                       "invalid JSON body: ")) + why);
  };
  // {"tenant":"c_a","tenant":"c_b"}: which one counts depends on the reader.
  if (HasDuplicateKeys(body)) return invalid(Text(english, "chiave duplicata", "duplicate key"));
  if (route.body == "*") {
    auto st = pb::util::JsonStringToMessage(pb::StringPiece(body.data(), body.size()), &message, options);
    return st.ok() ? absl::OkStatus() : invalid(ProtoMessage(st));
  }
  const pb::FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(route.body);
  if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
    pb::Message* target = message.GetReflection()->MutableMessage(&message, field);
    auto st = pb::util::JsonStringToMessage(pb::StringPiece(body.data(), body.size()), target, options);
    return st.ok() ? absl::OkStatus() : invalid(ProtoMessage(st));
  }
  // A scalar or repeated body: check that it is one JSON value before
  // wrapping it, so a body cannot smuggle in other fields.
  boost::system::error_code ec;
  json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec) return invalid(ec.message());
  std::unique_ptr<pb::Message> scratch(message.New());
  std::string wrapped = "{" + json::serialize(json::string(field->name())) + ":" + std::string(body) + "}";
  auto st = pb::util::JsonStringToMessage(wrapped, scratch.get(), options);
  if (!st.ok()) return invalid(ProtoMessage(st));
  message.MergeFrom(*scratch);
  return absl::OkStatus();
}

// Strong ETag of a body: 128 bits of its SHA-256, quoted.
std::string ETagOf(std::string_view body) { return "\"" + Sha256Hex(body, 32) + "\""; }

// If-None-Match uses the weak comparison (RFC 9110 13.1.2).
bool IfNoneMatchHits(std::string_view header, const std::string& etag) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    std::string_view item = Trim(header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item == "*") return true;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

// Header values from a service: only printable ASCII, never a quote or a
// line break that would end the header early.
std::string HeaderSafe(std::string v) {
  std::erase_if(v, [](unsigned char c) { return c < 0x20 || c > 0x7E || c == '"' || c == '\\'; });
  return v;
}

// The headers of a RawBody answer: its content type and attachment name.
void SetRawHeaders(const pb::Message& raw, HttpResponse& response) {
  const auto* d = raw.GetDescriptor();
  const auto* r = raw.GetReflection();
  std::string type = HeaderSafe(r->GetString(raw, d->FindFieldByName("content_type")));
  response.headers.Set("Content-Type", type.empty() ? "application/octet-stream" : type);
  std::string filename = HeaderSafe(r->GetString(raw, d->FindFieldByName("filename")));
  if (!filename.empty()) {
    response.headers.Set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  }
}

std::string RawData(const pb::Message& raw) {
  return raw.GetReflection()->GetString(raw, raw.GetDescriptor()->FindFieldByName("data"));
}

// A server stream of RawBody as a BodyStream: the first message gives the
// answer's headers (and its first chunk); each later one is read from the
// upstream only when the server asks for the next chunk, so at most one
// message per answer waits in the gateway.
class RawBodyStream final : public BodyStream, public std::enable_shared_from_this<RawBodyStream> {
 public:
  using Start = std::function<void(HttpResponse)>;
  RawBodyStream(const pb::Message& prototype, ProblemContext ctx, Start start)
      : prototype_(prototype), ctx_(std::move(ctx)), start_(std::move(start)) {}

  StreamHandlers Handlers() {
    auto self = shared_from_this();
    return {[self](std::string bytes) { self->OnMessage(std::move(bytes)); },
            [self](absl::Status status) { self->OnDone(std::move(status)); }};
  }

  // The upstream call, once Upstream::Stream has returned it.
  void SetCall(std::shared_ptr<UpstreamStream> call) {
    std::unique_lock lock(mu_);
    // Over already (on_done ran before Stream returned: a refusal before the
    // first message): keeping the call would close a cycle through its
    // handlers, which hold this, that nothing breaks any more.
    if (done_) return;
    call_ = std::move(call);
    const bool cancel = cancel_wanted_, next = next_wanted_;
    cancel_wanted_ = next_wanted_ = false;
    auto c = call_;
    lock.unlock();
    if (cancel) {
      c->Cancel();
    } else if (next) {
      c->Next();
    }
  }

  void Next(std::function<void(Chunk)> deliver) override {
    std::unique_lock lock(mu_);
    if (ready_) {
      Chunk chunk{false, absl::OkStatus(), std::move(*ready_)};
      ready_.reset();
      lock.unlock();
      return deliver(std::move(chunk));
    }
    if (ended_) {
      lock.unlock();
      return deliver(Chunk{true, end_status_, ""});
    }
    pending_ = std::move(deliver);
    RequestNextLocked(lock);
  }

  void Cancel() override {
    std::unique_lock lock(mu_);
    cancelled_ = true;
    if (!call_) {
      cancel_wanted_ = true;
      return;
    }
    auto c = call_;
    lock.unlock();
    c->Cancel();
  }

 private:
  // Asks the upstream for one more message; releases the lock.
  void RequestNextLocked(std::unique_lock<std::mutex>& lock) {
    if (!call_) {
      next_wanted_ = true;
      return;
    }
    auto c = call_;
    lock.unlock();
    c->Next();
  }

  void OnMessage(std::string bytes) {
    std::unique_ptr<pb::Message> raw(prototype_.New());
    if (!raw->ParseFromString(bytes)) {
      std::unique_lock lock(mu_);
      failure_ = absl::InternalError("upstream stream sent bytes that do not parse as sportello.v1.RawBody");
      auto c = call_;
      if (!c) cancel_wanted_ = true;
      lock.unlock();
      if (c) c->Cancel();
      return;
    }
    std::string data = RawData(*raw);
    std::unique_lock lock(mu_);
    if (!started_) {
      // The first message: the answer's headers go out now.
      started_ = true;
      HttpResponse response;
      response.status = 200;
      SetRawHeaders(*raw, response);
      response.headers.Set("x-request-id", ctx_.request_id);
      response.stream = shared_from_this();
      if (!data.empty()) ready_ = std::move(data);
      Start start = std::move(start_);
      lock.unlock();
      return start(std::move(response));
    }
    if (data.empty()) {
      // An empty chunk would end a chunked answer: skip it.
      if (pending_) RequestNextLocked(lock);
      return;
    }
    if (!pending_) {
      ready_ = std::move(data);  // read without a request: keep it for the next one
      return;
    }
    auto deliver = std::move(pending_);
    pending_ = nullptr;
    lock.unlock();
    deliver(Chunk{false, absl::OkStatus(), std::move(data)});
  }

  void OnDone(absl::Status status) {
    std::unique_lock lock(mu_);
    if (!failure_.ok()) status = failure_;
    done_ = true;
    call_.reset();  // the call is over: drop it, and the cycle through its handlers
    if (!started_) {
      // Nothing sent yet: an empty answer, or a problem with the mapped status.
      started_ = true;
      Start start = std::move(start_);
      lock.unlock();
      HttpResponse response;
      if (status.ok()) {
        response.status = 200;
        response.headers.Set("Content-Type", "application/octet-stream");
        response.headers.Set("x-request-id", ctx_.request_id);
      } else {
        response = ProblemFromStatus(status, ctx_);
      }
      return start(std::move(response));
    }
    if (!status.ok() && !cancelled_) {
      log::Error("stream cut after its headers", {{"request_id", ctx_.request_id},
                                                   {"route", ctx_.route},
                                                   {"code", CodeName(status.code())},
                                                   {"error", std::string(status.message())}});
    }
    ended_ = true;
    end_status_ = status;
    if (!pending_ || ready_) return;
    auto deliver = std::move(pending_);
    pending_ = nullptr;
    lock.unlock();
    deliver(Chunk{true, std::move(status), ""});
  }

  const pb::Message& prototype_;
  const ProblemContext ctx_;
  std::mutex mu_;
  Start start_;
  std::shared_ptr<UpstreamStream> call_;
  bool done_ = false;  // on_done has run: no call to keep
  bool cancel_wanted_ = false, next_wanted_ = false;
  bool started_ = false;
  bool cancelled_ = false;  // by the server (client gone, HEAD): not an error to log
  std::optional<std::string> ready_;
  std::function<void(Chunk)> pending_;
  bool ended_ = false;
  absl::Status end_status_;
  absl::Status failure_;
};

// The generated pool's types for BinaryToJsonString, built once: what
// MessageToJsonString does per call, after serializing the message again.
// Only for the answers WriteAnswerJson leaves to it.
pb::util::TypeResolver& GeneratedTypeResolver() {
  static pb::util::TypeResolver* resolver =
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", pb::DescriptorPool::generated_pool());
  return *resolver;
}

void RecordMetrics(MetricsRegistry& metrics, const std::string& route, int status, Clock::time_point start) {
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  metrics.Increment("sportello_gateway_requests_total", {{"route", route}, {"status", std::to_string(status)}});
  metrics.Observe("sportello_gateway_request_duration_seconds", {{"route", route}}, seconds);
}

}  // namespace

bool IsTenantField(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  return name == "tenant" || name == "ipa_code" || ends_with("_tenant") || ends_with("_ipa_code");
}

void Headers::Set(const std::string& name, std::string value) {
  Remove(name);
  Add(name, std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return IEquals(f.first, name); });
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (IEquals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string Headers::GetOr(std::string_view name, std::string_view fallback) const {
  return std::string(Get(name).value_or(fallback));
}

absl::Status BindRequest(const Route& route, const PathBindings& bindings, std::string_view query,
                         std::string_view body, pb::Message& message, bool english) {
  RETURN_IF_ERROR(BindBody(route, body, message, english));
  Binder binder(message, english);
  for (const auto& [path, value] : bindings) {
    // Identifiers travel on in upstream metadata and messages: bounded here.
    if (value.size() > kMaxPathValue) {
      binder.Violation(path, Text(english, "identificativo troppo lungo (al massimo 256 caratteri)",
                                  "identifier too long (at most 256 characters)"));
      continue;
    }
    binder.Bind(path, value, /*from_path=*/true);
  }
  if (!query.empty()) {
    // Boost.URL 1.81's parse_query measures its input again with strlen
    // (boostorg/url#757): given a view into a longer buffer it reads past the
    // end and binds what follows. It gets a NUL-terminated copy; a query that
    // parses holds no NUL, so strlen stops exactly at its end.
    const std::string terminated(query);
    auto params = boost::urls::parse_query(boost::urls::string_view(terminated.data(), terminated.size()));
    if (!params) {
      binder.Violation("", Text(english, "query string non valida", "invalid query string"));
      return binder.Result();
    }
    boost::urls::encoding_opts plus_is_space(true);
    for (auto param : *params) {
      std::string key = param.key.decode(plus_is_space);
      std::string value = param.value.decode(plus_is_space);
      if (key.empty()) continue;
      // Compared by proto names: "ipaCode" must not slip past a bound "ipa_code".
      std::string canonical = CanonicalPath(message.GetDescriptor(), key);
      bool taken = route.body == "*" || (!route.body.empty() && Overlaps(canonical, route.body));
      for (const auto& var : route.path.variables()) taken = taken || Overlaps(canonical, var.field_path);
      if (taken) {
        binder.Violation(key, Text(english, "parametro di query non ammesso qui",
                                   "query parameter not allowed here"));
        continue;
      }
      binder.Bind(key, value);
    }
  }
  RETURN_IF_ERROR(binder.Result());
  return ImplicitUpdateMask(route, body, message);
}

absl::Status ImplicitUpdateMask(const Route& route, std::string_view body, pb::Message& message) {
  if (route.http_method != "PATCH" || route.body.empty() || route.body == "*") return absl::OkStatus();
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::FieldDescriptor* mask = type->FindFieldByName("update_mask");
  const pb::FieldDescriptor* target = type->FindFieldByName(route.body);
  if (mask == nullptr || mask->is_repeated() || mask->message_type() == nullptr ||
      mask->message_type()->full_name() != "google.protobuf.FieldMask" || target == nullptr ||
      target->is_repeated() || target->message_type() == nullptr) {
    return absl::OkStatus();
  }
  const pb::Reflection* r = message.GetReflection();
  pb::Message* field_mask = r->MutableMessage(&message, mask);
  const pb::FieldDescriptor* paths = field_mask->GetDescriptor()->FindFieldByName("paths");
  // Set by the client (?update_mask=a,b): theirs to decide.
  if (field_mask->GetReflection()->FieldSize(*field_mask, paths) > 0) return absl::OkStatus();
  std::string_view trimmed = Trim(body);
  if (trimmed.empty()) return absl::OkStatus();
  for (std::string& p : FieldMaskFromBody(target->message_type(), trimmed)) {
    field_mask->GetReflection()->AddString(field_mask, paths, std::move(p));
  }
  return absl::OkStatus();
}

std::vector<std::string> FieldMaskFromBody(const pb::Descriptor* type, std::string_view body) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(body.data(), body.size()), ec);
  std::vector<std::string> out;
  if (ec || !root.is_object()) return out;
  // Breadth-first like grpc-gateway's FieldMaskFromRequestBody: an object for
  // a plain message descends; anything else (a scalar, an array, a map, a
  // well-known type, null, an empty object) ends the path.
  struct Item {
    const json::object* node;
    const pb::Descriptor* type;
    std::string path;
  };
  std::deque<Item> queue{{&root.as_object(), type, ""}};
  while (!queue.empty()) {
    Item item = queue.front();
    queue.pop_front();
    for (const auto& [key, value] : *item.node) {
      const pb::FieldDescriptor* f = FindField(item.type, std::string(key));
      if (f == nullptr) continue;  // the body parser has refused it already
      std::string path = item.path.empty() ? f->name() : item.path + "." + f->name();
      const pb::Descriptor* sub = f->message_type();
      const bool descend = sub != nullptr && !f->is_repeated() && !f->is_map() &&
                           sub->full_name().rfind("google.protobuf.", 0) != 0 && value.is_object() &&
                           !value.as_object().empty();
      if (descend) {
        queue.push_back({&value.as_object(), sub, std::move(path)});
      } else {
        out.push_back(std::move(path));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Transcoder::Transcoder(const RouteTable& routes, Upstream& upstream, MetricsRegistry& metrics,
                       TranscoderOptions options)
    : routes_(routes), upstream_(upstream), metrics_(metrics), options_(options) {}

void Transcoder::Handle(HttpRequest request, std::function<void(HttpResponse)> done) const {
  const Clock::time_point start = Clock::now();
  ProblemContext ctx;
  ctx.request_id = request.headers.GetOr("x-request-id");
  if (ctx.request_id.empty()) ctx.request_id = NewRequestId();
  ctx.english = PrefersEnglish(request.headers.GetOr("accept-language"));

  // Answers early failures, before any upstream call.
  auto fail = [&](HttpResponse response, const std::string& route_name) {
    response.headers.Set("x-request-id", ctx.request_id);
    RecordMetrics(metrics_, route_name, response.status, start);
    done(std::move(response));
  };

  auto target = boost::urls::parse_origin_form(request.target);
  if (!target) {
    ctx.instance = request.target;
    return fail(Problem(400, Text(ctx.english, "destinazione della richiesta non valida",
                                  "invalid request target"), ctx), "unmatched");
  }
  std::string path(target->encoded_path().data(), target->encoded_path().size());
  std::string query(target->encoded_query().data(), target->encoded_query().size());
  ctx.instance = path;

  // Open311 GeoReport v2: a compatibility layer with its own mapping, not annotations.
  if (open311::Matches(path)) {
    if (auto too_long = OversizedForwardedHeader(request.headers)) {
      return fail(Problem(431, std::string(Text(ctx.english, "intestazione troppo lunga: ", "header too long: ")) +
                                   *too_long, ctx), "open311");
    }
    request.headers.Set("x-request-id", ctx.request_id);
    open311::Options options;
    options.upstream_timeout = options_.upstream_timeout;
    return open311::Handle(request, upstream_, options,
                           [this, start, done = std::move(done)](HttpResponse response) {
                             RecordMetrics(metrics_, "open311", response.status, start);
                             done(std::move(response));
                           });
  }

  if (auto too_long = OversizedForwardedHeader(request.headers)) {
    return fail(Problem(431, std::string(Text(ctx.english, "intestazione troppo lunga: ", "header too long: ")) +
                                 *too_long, ctx), "unmatched");
  }

  // The CKAN Action API over the open data service.
  if (ckan::Matches(path)) {
    request.headers.Set("x-request-id", ctx.request_id);
    ckan::Options options;
    options.upstream_timeout = options_.upstream_timeout;
    options.public_base_url = options_.public_base_url;
    return ckan::Handle(request, upstream_, options,
                        [this, start, done = std::move(done)](HttpResponse response) {
                          RecordMetrics(metrics_, "ckan", response.status, start);
                          done(std::move(response));
                        });
  }

  // The DCAT-AP_IT catalogue, in three serialisations.
  if (dcat::Matches(path)) {
    dcat::Options options;
    options.upstream_timeout = options_.upstream_timeout;
    options.public_base_url = options_.public_base_url;
    options.catalog_publisher = options_.catalog_publisher;
    return dcat::Handle(request, upstream_, options,
                        [this, start, request_id = ctx.request_id, done = std::move(done)](HttpResponse response) {
                          response.headers.Set("x-request-id", request_id);
                          RecordMetrics(metrics_, "dcat", response.status, start);
                          done(std::move(response));
                        });
  }

  // Distribution downloads: length and ETag from the recorded version first.
  if (!request.routed_by_compat && datasets::IsDownload(request.method, path)) {
    request.headers.Set("x-request-id", ctx.request_id);
    return datasets::HandleDownload(
        std::move(request), path, upstream_, options_.upstream_timeout,
        [this](HttpRequest r, std::function<void(HttpResponse)> d) {
          r.routed_by_compat = true;
          Handle(std::move(r), std::move(d));
        },
        std::move(done));
  }

  // Atom and RSS feeds of published messages (the dispatch service).
  if (feeds::Matches(path)) {
    request.headers.Set("x-request-id", ctx.request_id);
    feeds::Options options;
    options.upstream_timeout = options_.upstream_timeout;
    options.public_hosts = options_.feed_public_hosts;
    return feeds::Handle(request, upstream_, options,
                         [this, start, done = std::move(done)](HttpResponse response) {
                           RecordMetrics(metrics_, "feeds", response.status, start);
                           done(std::move(response));
                         });
  }

  RouteMatch match = routes_.Match(request.method, path);
  if (match.route == nullptr) {
    if (match.allowed.empty()) {
      return fail(Problem(404, Text(ctx.english, "nessuna risorsa a questo indirizzo",
                                    "no resource at this address"), ctx), "unmatched");
    }
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse response = Problem(405, std::string(Text(ctx.english, "metodi ammessi: ",
                                                          "allowed methods: ")) + allow, ctx);
    response.headers.Set("Allow", allow);
    return fail(std::move(response), "unmatched");
  }
  const Route& route = *match.route;
  const std::string& route_name = route.name;
  ctx.route = route_name;

  std::unique_ptr<pb::Message> message(route.request_prototype->New());
  if (auto st = BindRequest(route, match.bindings, query, request.body, *message, ctx.english); !st.ok()) {
    return fail(ProblemFromStatus(st, ctx), route_name);
  }

  Metadata md;
  md.emplace_back("x-request-id", ctx.request_id);
  for (const char* name : {"authorization", "accept-language", "idempotency-key", "x-client-ip"}) {
    if (auto v = request.headers.Get(name)) md.emplace_back(name, std::string(*v));
  }
  if (route.server_streaming) {
    return HandleStream(route, *message, std::move(md), std::move(ctx), start, std::move(done));
  }
  const bool is_get = request.method == "GET";
  std::string if_none_match = request.headers.GetOr("if-none-match");

  upstream_.Call(
      route.upstream, route.grpc_path, message->SerializeAsString(), std::move(md),
      options_.upstream_timeout,
      [this, &route, ctx, start, is_get, if_none_match = std::move(if_none_match),
       done = std::move(done)](absl::Status status, std::string bytes) {
        const pb::Message* out_proto = route.response_prototype;
        HttpResponse response;
        // A RawBody answer (CSV exports, feeds) is sent as it is, not as JSON.
        const bool raw = status.ok() && route.raw_answer;
        if (raw) {
          std::unique_ptr<pb::Message> reply(out_proto->New());
          if (!reply->ParseFromString(bytes)) {
            status = absl::InternalError("upstream answered bytes that do not parse as sportello.v1.RawBody");
          } else {
            response.status = 200;
            response.body = RawData(*reply);
            SetRawHeaders(*reply, response);
          }
        } else if (status.ok()) {
          // One parse and a walk by reflection (answer_json.h); what it
          // leaves (Any, bytes that do not parse, times out of range) goes
          // through BinaryToJsonString, which prints it or fails it.
          if (!WriteAnswerJson(*out_proto, bytes, response.body)) {
            pb::util::JsonPrintOptions options;
            options.preserve_proto_field_names = true;
            options.always_print_primitive_fields = true;
            auto st = pb::util::BinaryToJsonString(&GeneratedTypeResolver(),
                                                   "type.googleapis.com/" + out_proto->GetDescriptor()->full_name(),
                                                   bytes, &response.body, options);
            if (!st.ok()) status = absl::InternalError("JSON printing failed: " + ProtoMessage(st));
          }
        }
        if (status.ok() && !raw) {
          response.status = 200;
          response.headers.Set("Content-Type", "application/json");
          if (is_get) {
            HttpRequest conditional;
            conditional.method = "GET";
            if (!if_none_match.empty()) conditional.headers.Add("If-None-Match", if_none_match);
            ApplyConditionalGet(conditional, response);
          }
        } else if (!status.ok()) {
          response = ProblemFromStatus(status, ctx);
        }
        response.headers.Set("x-request-id", ctx.request_id);
        RecordMetrics(metrics_, route.name, response.status, start);
        done(std::move(response));
      });
}

void Transcoder::HandleStream(const Route& route, const pb::Message& message, Metadata md,
                              ProblemContext ctx, Clock::time_point start,
                              std::function<void(HttpResponse)> done) const {
  // Metrics count the answer when its headers go: its status is known then.
  auto stream = std::make_shared<RawBodyStream>(
      *route.response_prototype, ctx, [this, &route, start, done = std::move(done)](HttpResponse response) {
        RecordMetrics(metrics_, route.name, response.status, start);
        done(std::move(response));
      });
  auto call = upstream_.Stream(route.upstream, route.grpc_path, message.SerializeAsString(), std::move(md),
                               options_.stream_timeout, stream->Handlers());
  if (call) stream->SetCall(std::move(call));
}

std::shared_ptr<UpstreamStream> Upstream::Stream(const std::string& upstream, const std::string& method_path,
                                                 std::string, Metadata, std::chrono::milliseconds,
                                                 StreamHandlers handlers) {
  handlers.on_done(absl::UnimplementedError("no streams to " + upstream + method_path));
  return nullptr;
}

std::string ProblemTitle(int status, bool english) {
  switch (status) {
    case 400: return Text(english, "Richiesta non valida", "Bad Request");
    case 401: return Text(english, "Autenticazione richiesta", "Unauthorized");
    case 403: return Text(english, "Accesso negato", "Forbidden");
    case 404: return Text(english, "Risorsa non trovata", "Not Found");
    case 405: return Text(english, "Metodo non consentito", "Method Not Allowed");
    case 408: return Text(english, "Tempo di richiesta scaduto", "Request Timeout");
    case 409: return Text(english, "Conflitto", "Conflict");
    case 412: return Text(english, "Precondizione non soddisfatta", "Precondition Failed");
    case 413: return Text(english, "Richiesta troppo grande", "Content Too Large");
    case 415: return Text(english, "Tipo di contenuto non supportato", "Unsupported Media Type");
    case 429: return Text(english, "Troppe richieste", "Too Many Requests");
    case 431: return Text(english, "Intestazioni troppo grandi", "Request Header Fields Too Large");
    case 499: return Text(english, "Richiesta annullata", "Client Closed Request");
    case 500: return Text(english, "Errore interno", "Internal Server Error");
    case 501: return Text(english, "Non implementato", "Not Implemented");
    case 503: return Text(english, "Servizio non disponibile", "Service Unavailable");
    case 504: return Text(english, "Tempo di attesa scaduto", "Gateway Timeout");
    default: return status >= 500 ? Text(english, "Errore del server", "Server Error")
                                  : Text(english, "Errore nella richiesta", "Client Error");
  }
}

HttpResponse Problem(int status, std::string_view detail, const ProblemContext& ctx,
                     const std::vector<FieldViolation>& errors) {
  std::string shown(detail);
  if (status >= 500) {
    // The real cause is in the log under the request id, never in the body.
    shown = status == 503   ? Text(ctx.english, "Servizio temporaneamente non disponibile, riprovare più tardi.",
                                   "Service temporarily unavailable, please retry later.")
            : status == 504 ? Text(ctx.english, "Il servizio non ha risposto in tempo.",
                                   "The service did not answer in time.")
                            : Text(ctx.english, "Errore interno: comunicare l'identificativo della richiesta.",
                                   "Internal error: please report the request id.");
  }
  json::object body;
  body["type"] = "about:blank";
  body["title"] = ProblemTitle(status, ctx.english);
  body["status"] = status;
  body["detail"] = shown;
  // The path as sent: bounded, it may be any length the header limit allows.
  body["instance"] = ctx.instance.size() > 512 ? ctx.instance.substr(0, 512) + "..." : ctx.instance;
  body["request_id"] = ctx.request_id;
  json::array list;
  for (const auto& v : errors) list.push_back(json::object{{"field", v.field}, {"description", v.description}});
  body["errors"] = std::move(list);

  HttpResponse response;
  response.status = status;
  response.headers.Set("Content-Type", "application/problem+json");
  if (!ctx.request_id.empty()) response.headers.Set("x-request-id", ctx.request_id);
  response.body = json::serialize(body);
  return response;
}

std::optional<std::string> OversizedForwardedHeader(const Headers& headers) {
  for (const auto& [name, limit] : kForwardedHeaderLimits) {
    if (auto v = headers.Get(name); v && v->size() > limit) {
      return std::string(name) + " (max " + std::to_string(limit) + ")";
    }
  }
  return std::nullopt;
}

bool IsTransportMetadataLimit(const absl::Status& status) {
  return status.code() == absl::StatusCode::kResourceExhausted &&
         absl::StrContains(status.message(), "metadata size exceeds limit");
}

HttpResponse ProblemFromStatus(const absl::Status& status, const ProblemContext& ctx) {
  if (IsTransportMetadataLimit(status)) {
    // gRPC's own 8 KB metadata limit, hit by what the request carried: the
    // request is too large, not the caller over a quota (429).
    log::Warn("upstream metadata over the limit", {{"request_id", ctx.request_id}, {"path", ctx.instance},
                                                   {"error", std::string(status.message())}});
    return Problem(431, Text(ctx.english, "richiesta con intestazioni o identificativi troppo lunghi",
                             "request headers or identifiers too long"), ctx);
  }
  int http = HttpStatusFromCode(status.code());
  std::string message(status.message());
  if (http >= 500) {
    log::Error("upstream error", {{"request_id", ctx.request_id},
                                  {"route", ctx.route},
                                  {"code", CodeName(status.code())},
                                  {"status", static_cast<long long>(http)},
                                  {"error", message}});
  }
  HttpResponse response =
      Problem(http, message, ctx, http >= 500 ? std::vector<FieldViolation>{} : FieldViolations(status));
  // When to try again (RFC 9110 10.2.3): limits refill within a minute; an
  // unavailable upstream is usually back in seconds.
  if (http == 429) response.headers.Set("Retry-After", "60");
  if (http == 503) response.headers.Set("Retry-After", "5");
  return response;
}

bool PrefersEnglish(std::string_view accept_language) {
  double en = 0, it = 0;
  int en_pos = -1, it_pos = -1, pos = 0;
  size_t start = 0;
  while (start <= accept_language.size()) {
    size_t comma = accept_language.find(',', start);
    std::string_view item = accept_language.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    size_t semi = item.find(';');
    std::string tag = Lower(Trim(item.substr(0, semi)));
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.substr(0, 2) == "q=" && !absl::SimpleAtod(std::string(param.substr(2)), &q)) q = 0;
    }
    std::string primary = tag.substr(0, tag.find('-'));
    if (primary == "en" && q > en) en = q, en_pos = pos;
    if (primary == "it" && q > it) it = q, it_pos = pos;
    ++pos;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (en <= 0) return false;
  return en > it || (en == it && en_pos < it_pos);
}

void ApplyConditionalGet(const HttpRequest& request, HttpResponse& response) {
  if (request.method != "GET" || response.status != 200) return;
  response.headers.Set("ETag", ETagOf(response.body));
  ApplyIfNoneMatch(request, response);
}

void ApplyIfNoneMatch(const HttpRequest& request, HttpResponse& response) {
  if (request.method != "GET" || response.status != 200) return;
  auto stated = response.headers.Get("etag");
  if (!stated) return;
  std::string etag(*stated);
  if (etag.rfind("W/", 0) == 0) etag.erase(0, 2);
  auto if_none_match = request.headers.Get("if-none-match");
  if (if_none_match && IfNoneMatchHits(*if_none_match, etag)) {
    response.status = 304;
    response.body.clear();
    response.headers.Remove("Content-Type");
  }
}

}  // namespace sportello::gateway
