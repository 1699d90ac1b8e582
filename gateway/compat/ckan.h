#pragma once
// The CKAN Action API (https://docs.ckan.org/en/2.10/api/) over the open data
// service, read-only, for CKAN clients and harvesters (ckanapi, dati.gov.it):
// /api/3/action/{action} and /api/action/{action}, GET with query parameters
// or POST with a JSON object. Envelope {"help", "success", "result"}; errors
// {"help", "success": false, "error": {"__type", "message", field: [..]}}:
// "Not Found Error" 404, "Validation Error" 409, "Search Query Error" 400,
// "Authorization Error" 403 (every write action); an unknown action is 400.
// Packages carry ckanext-dcatapit's field names (identifier, theme,
// frequency, holder_name, holder_identifier, publisher_name, ...). An
// `Authorization` header (CKAN clients send the bare key) is ignored: these
// actions are public, never a 401.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/transcoder.h"

namespace sportello::v1 {
class Dataset;
}

namespace sportello::gateway::ckan {

struct Options {
  std::chrono::milliseconds upstream_timeout{10000};
  std::string public_base_url = "http://127.0.0.1:8080";  // IRIs and resource URLs
};

bool Matches(std::string_view path);

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done);

// Every dataset of the open data service (`tenant` empty: of every tenant),
// walking its pages; `done` runs once, on any thread.
void FetchDatasets(Upstream& upstream, std::chrono::milliseconds timeout, const std::string& request_id,
                   const std::string& tenant,
                   std::function<void(absl::Status, std::vector<sportello::v1::Dataset>)> done);

// ---- Pieces, public for the tests.

// One clause of fq: field and value, or a range [from TO to] ("*" open).
struct FqClause {
  std::string field;
  std::string value;  // exact value (unquoted)
  bool range = false;
  std::string from, to;
  bool negated = false;
};

// The Solr subset harvesters send: `field:value`, `field:"quoted value"`,
// clauses joined by AND or spaces (a leading + is allowed, - negates),
// `field:[X TO *]`. Anything else (OR, parentheses, a field we do not know)
// is INVALID_ARGUMENT with the reason.
absl::StatusOr<std::vector<FqClause>> ParseFq(std::string_view fq);

// Italian words to search keys: lower case, accents folded, a light stem
// (plural and gender endings): "Segnalazioni" and "segnalazione" meet.
std::vector<std::string> ItalianTerms(std::string_view text);

}  // namespace sportello::gateway::ckan
