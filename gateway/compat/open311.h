#pragma once
// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the
// catalogue and complaints services: a hand-written mapping, since the
// standard's names, form bodies and XML do not follow from the annotations.
// Plain functions over the gateway's HttpRequest/HttpResponse; every service
// call goes through the Upstream, so it is tested with an in-process one.
//
// Under /open311/v2, each with a .json or .xml suffix choosing the format:
//   GET  discovery                      GET  services
//   GET  services/{service_code}        POST requests (form-urlencoded, api_key)
//   GET  requests                       GET  requests/{service_request_id}
//   GET  tokens/{token}                 GET  servicerequestupdates (extension)
// jurisdiction_id is the tenant's IPA code: required when more than one
// tenant exists (400 when missing), 404 when unknown. Errors have the
// standard's shape, [{"code":400,"description":"..."}] or
// <errors><error><code>..</code><description>..</description></error></errors>,
// with texts in English as Open311 clients expect. Times are RFC 3339 with
// the Europe/Rome offset. No personal data is ever output.
//
//   open311::Handle(request, upstream, {.upstream_timeout = 10s}, [](HttpResponse r) { ... });
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/transcoder.h"

namespace sportello::gateway::open311 {

inline constexpr std::string_view kBasePath = "/open311/v2";
// Longest span between start_date and end_date, and the default look-back.
inline constexpr absl::Duration kMaxWindow = absl::Hours(24 * 90);
// Default and largest page_size: the standard's 1000 most recent requests.
inline constexpr int kMaxPageSize = 1000;
// page * page_size beyond this is refused: each page is walked from the first.
inline constexpr int kMaxPagedItems = 10000;

struct Options {
  std::chrono::milliseconds upstream_timeout{10000};
  // The current time; tests pin it.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// True for a path (without query) under kBasePath.
bool Matches(std::string_view path);

// Answers one Open311 request through `done`, exactly once, on the caller's
// thread or on the thread the Upstream answers on.
void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done);

// ---- Pieces, public for the tests.

enum class Format { kJson, kXml };

// Name/value pairs of an application/x-www-form-urlencoded text (also a query
// string), in order: '+' is a space, %XX a byte; a bad escape or a result
// that is not UTF-8 is INVALID_ARGUMENT.
using FormFields = std::vector<std::pair<std::string, std::string>>;
absl::StatusOr<FormFields> ParseForm(std::string_view text);

// Text for XML 1.0 content or attribute values: & < > " ' escaped, characters
// XML 1.0 forbids (controls other than tab, CR and LF, U+FFFE, U+FFFF) and
// invalid UTF-8 removed.
std::string XmlEscape(std::string_view text);

// "open" or "closed" for a sportello.v1.RequestStatus value: closed once the
// request is resolved, closed, rejected, duplicate, withdrawn or forwarded.
std::string_view OpenOrClosed(int request_status);

// A W3C / RFC 3339 date-time ("2026-11-24T21:05:00+01:00", "...Z", fractions
// allowed, minutes-only times) or a date ("2026-11-24": midnight in Rome).
// A space in place of the offset's '+' (an unencoded '+' in a query) is
// accepted.
absl::StatusOr<absl::Time> ParseDateTime(std::string_view text);
// RFC 3339 with the Europe/Rome offset: "2026-11-24T22:05:00+01:00".
std::string FormatDateTime(absl::Time t);

// The search window from optional start and end: neither gives the last
// kMaxWindow up to `now`; one gives kMaxWindow from (or up to) it; both must
// be ordered and at most kMaxWindow apart (INVALID_ARGUMENT otherwise).
struct Window {
  absl::Time start;
  absl::Time end;
};
absl::StatusOr<Window> ResolveWindow(std::optional<absl::Time> start, std::optional<absl::Time> end,
                                     absl::Time now);

// An Open311 error body (one error per description) in the given format.
HttpResponse ErrorResponse(int status, const std::vector<std::string>& descriptions, Format format);

}  // namespace sportello::gateway::open311
