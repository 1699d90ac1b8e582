#pragma once
// The REST <-> gRPC transcoder: an HTTP request in plain structs becomes a
// protobuf request for the RPC that its route names, the RPC's answer becomes
// JSON (protobuf JSON mapping, proto field names, defaults printed), and any
// error becomes application/problem+json (RFC 9457). It never touches a
// socket, so it is tested without one; the server feeds it.
//
//   Transcoder t(routes, upstream, metrics, {.upstream_timeout = 10s});
//   t.Handle({"GET", "/api/v1/tenants/c_f027", headers, ""}, [](HttpResponse r) { ... });
//
// Binding, in the order applied: the body ("*": the whole request message;
// a field name: that field), then path variables, then query parameters,
// which may name any field not bound by the path or the body (dotted paths
// for nested fields, repeated by repetition, enums by name or number,
// Timestamp as RFC 3339). Anything that does not fit is a 400 naming the field.
//
// `done` runs exactly once, on the caller's thread when the request fails
// before the upstream call, otherwise on the thread the Upstream answers on.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/status.h"
#include "gateway/routes.h"

namespace google::protobuf {
class Descriptor;
class Message;
}  // namespace google::protobuf

namespace sportello::gateway {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<std::pair<std::string, std::string>> fields) : fields_(fields) {}

  void Add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every field of that name.
  void Set(const std::string& name, std::string value);
  void Remove(std::string_view name);
  // The first field of that name.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback = "") const;

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // path and query, as sent: "/api/v1/tenants?kind=TENANT_KIND_COMUNE"
  Headers headers;
  std::string body;
  // Set by a compatibility layer that forwards to the annotated route after
  // its own work (datasets' downloads): not settable by clients.
  bool routed_by_compat = false;
};

// A response body produced piece by piece (a server stream of RawBody
// messages): the server asks for one chunk at a time, only once it has
// written the previous one to the socket, so a slow client slows the
// upstream instead of filling the gateway's memory.
class BodyStream {
 public:
  struct Chunk {
    bool end = false;     // no more chunks: `status` says whether all arrived
    absl::Status status;  // on end: OK, or why the answer is cut short
    std::string data;     // otherwise: the bytes, never empty
  };
  virtual ~BodyStream() = default;
  // Delivers the next chunk to `deliver` exactly once, on any thread (it must
  // not block: post onward). One call at a time.
  virtual void Next(std::function<void(Chunk)> deliver) = 0;
  // The answer will not be written (client gone, HEAD): stops the upstream.
  // Idempotent; a pending Next still gets its end chunk.
  virtual void Cancel() = 0;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // Set for a chunked answer: `body` is empty and the chunks come from here.
  std::shared_ptr<BodyStream> stream;
};

// gRPC metadata to forward, lower-case keys.
using Metadata = std::vector<std::pair<std::string, std::string>>;

// One server-streaming call in flight (Upstream::Stream).
class UpstreamStream {
 public:
  virtual ~UpstreamStream() = default;
  // Reads the next message; call it once per on_message, after it.
  virtual void Next() = 0;
  // Stops the call: on_done follows (CANCELLED unless it had ended). Idempotent.
  virtual void Cancel() = 0;
};

struct StreamHandlers {
  // One message. The first is read at once, each next one on Next().
  std::function<void(std::string bytes)> on_message;
  // The end, exactly once and last: OK after the last message, or the error.
  std::function<void(absl::Status)> on_done;
};

// Where RPCs go. Implementations must not block the caller and must call
// `done` exactly once, possibly on another thread.
class Upstream {
 public:
  using Done = std::function<void(absl::Status, std::string response_bytes)>;
  virtual ~Upstream() = default;
  // upstream: "catalogue"; method_path: "/sportello.v1.CatalogueService/GetTenant".
  virtual void Call(const std::string& upstream, const std::string& method_path,
                    std::string request_bytes, Metadata md, std::chrono::milliseconds deadline,
                    Done done) = 0;
  // A server-streaming call; the handlers run on any thread, possibly before
  // this returns. The default answers UNIMPLEMENTED.
  virtual std::shared_ptr<UpstreamStream> Stream(const std::string& upstream, const std::string& method_path,
                                                 std::string request_bytes, Metadata md,
                                                 std::chrono::milliseconds deadline, StreamHandlers handlers);
};

struct ProblemContext;

struct TranscoderOptions {
  // Deadline of every upstream call (SPORTELLO_GATEWAY_UPSTREAM_TIMEOUT).
  std::chrono::milliseconds upstream_timeout{10000};
  // Deadline of a whole streamed answer (SPORTELLO_GATEWAY_STREAM_TIMEOUT):
  // a large export takes longer than one call.
  std::chrono::milliseconds stream_timeout{600000};
  // The public base URL of the gateway (SPORTELLO_PUBLIC_BASE_URL): the
  // CKAN and DCAT layers build IRIs and download URLs from it, never from Host.
  std::string public_base_url = "http://127.0.0.1:8080";
  // IPA code of the Unione that publishes the catalogue of every tenant
  // (SPORTELLO_CATALOG_PUBLISHER); empty: the Unione of lowest code.
  std::string catalog_publisher = "";
  // Hosts the feeds' self links may name (SPORTELLO_GATEWAY_FEED_HOSTS).
  std::vector<std::string> feed_public_hosts = {"127.0.0.1:8080", "localhost:8080"};
};

class Transcoder {
 public:
  Transcoder(const RouteTable& routes, Upstream& upstream, MetricsRegistry& metrics,
             TranscoderOptions options = {});

  // A route of a server-streaming RPC answers with HttpResponse::stream set
  // once its first message (its headers) has arrived: 200 with the first
  // message's content_type and filename, each message's data a chunk. An
  // error before the first message is a problem+json answer; one after it
  // ends the stream with that status (the server cuts the connection).
  void Handle(HttpRequest request, std::function<void(HttpResponse)> done) const;

  const RouteTable& routes() const { return routes_; }

 private:
  void HandleStream(const Route& route, const google::protobuf::Message& message, Metadata md,
                    ProblemContext ctx, std::chrono::steady_clock::time_point start,
                    std::function<void(HttpResponse)> done) const;

  const RouteTable& routes_;
  Upstream& upstream_;
  MetricsRegistry& metrics_;
  TranscoderOptions options_;
};

// Builds the request message of `route` from the path bindings, the raw query
// string (without '?') and the body. INVALID_ARGUMENT with field violations on
// any mismatch; texts in English when `english`, Italian otherwise.
// Limits on what the gateway forwards as gRPC metadata (whose total gRPC caps
// at 8 KB): a longer header is answered 431 before any upstream call.
inline constexpr std::pair<const char*, size_t> kForwardedHeaderLimits[] = {
    {"authorization", 4096}, {"idempotency-key", 200}, {"accept-language", 256}};
// Path variables (identifiers) longer than this are a 400, never forwarded.
inline constexpr size_t kMaxPathValue = 256;
// Client-supplied field names in violations are cut to this many bytes.
inline constexpr size_t kMaxEchoedField = 64;
// The first forwarded header over its limit, as "name (max N)"; nullopt: none.
std::optional<std::string> OversizedForwardedHeader(const Headers& headers);
// gRPC's transport refusal of metadata over its size limit (RESOURCE_EXHAUSTED
// "... metadata size exceeds limit"), which the gateway answers 431, not 429.
bool IsTransportMetadataLimit(const absl::Status& status);

absl::Status BindRequest(const Route& route, const PathBindings& bindings,
                         std::string_view query, std::string_view body,
                         google::protobuf::Message& message, bool english = false);

// AIP-134, as grpc-gateway does: for a PATCH whose body is a message field,
// when the request has a `google.protobuf.FieldMask update_mask` that the
// client left empty, sets it to the fields present in the JSON body.
// BindRequest applies it; public for the tests.
absl::Status ImplicitUpdateMask(const Route& route, std::string_view body,
                                google::protobuf::Message& message);

// The field paths present in a JSON object for message `type`, sorted, with
// proto names: nested objects of plain messages give dotted leaf paths;
// scalars, arrays, maps, well-known types, null and {} are leaves.
//   {"name":"x","address":{"province":"TA"}} -> {"address.province", "name"}
std::vector<std::string> FieldMaskFromBody(const google::protobuf::Descriptor* type,
                                           std::string_view body);

// True for the fields that carry a tenant's IPA code: `tenant`, `ipa_code`,
// `*_tenant` and `*_ipa_code` (parent_ipa_code). Path and query values bound to them go through
// CanonicalTenant first (CanonicalOptionalTenant for the query): a code with
// a control character, a NUL or a character outside [A-Za-z0-9_] is a 400.
bool IsTenantField(std::string_view name);

// Where a problem body comes from: the request's path, its id and language.
struct ProblemContext {
  std::string instance;    // the request path: the client's own, in its answer only
  // What logs name instead: the matched route's template ("GET
  // /api/v1/invitations/{token}"), never the raw path, whose variables may
  // be secrets (an invitation token). "unmatched" before routing.
  std::string route = "unmatched";
  std::string request_id;
  bool english = false;
};

// An application/problem+json response for an HTTP status, with a title in
// the context's language. For 5xx the detail is replaced by a generic text.
HttpResponse Problem(int status, std::string_view detail, const ProblemContext& ctx,
                     const std::vector<FieldViolation>& errors = {});

// The problem for an error status: HTTP status from the code, field
// violations as `errors`, 5xx details logged instead of sent.
HttpResponse ProblemFromStatus(const absl::Status& status, const ProblemContext& ctx);

// The RFC 9457 title of an HTTP status, Italian or English.
std::string ProblemTitle(int status, bool english);

// True when Accept-Language ranks English above Italian (neither named: false).
bool PrefersEnglish(std::string_view accept_language);

using log::NewRequestId;

// For a 200 answer to GET: adds a strong ETag (SHA-256 of the body, 128 bits)
// and turns the response into 304 without a body when If-None-Match matches.
void ApplyConditionalGet(const HttpRequest& request, HttpResponse& response);
// The same with the ETag the response already states (none: nothing to do).
void ApplyIfNoneMatch(const HttpRequest& request, HttpResponse& response);

}  // namespace sportello::gateway
