#pragma once
// The DCAT-AP_IT 2.0 catalogue of the open data (AgID's national profile of
// DCAT-AP 2.1.1), for harvesters such as dati.gov.it's:
//   GET /dcat/catalog            every tenant's datasets
//   GET /dcat/{tenant}/catalog   one tenant's
// in Turtle, RDF/XML or JSON-LD (inline @context), chosen by Accept or by a
// .ttl, .rdf, .jsonld suffix for harvesters that cannot set it; 406 when
// Accept names none of them (no Accept, or */*: Turtle). Every node is typed
// with both its DCAT-AP_IT and its DCAT-AP class, so that shapes checking
// sh:class need no ontology. IRIs come from the configured public base URL,
// never from Host. Turtle and RDF/XML are written by raptor2 (escaping, IRI
// checks, prefixes); JSON-LD with Boost.JSON from the same triples.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/transcoder.h"

namespace sportello::v1 {
class Agent;
class Dataset;
}

namespace sportello::gateway::dcat {

struct Options {
  std::chrono::milliseconds upstream_timeout{10000};
  std::string public_base_url = "http://127.0.0.1:8080";
  std::string catalog_publisher;  // IPA code of the Unione; empty: the one of lowest code
};

bool Matches(std::string_view path);

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done);

// ---- Pieces, public for the tests.

enum class Format { kTurtle, kRdfXml, kJsonLd };

// From the path's suffix, else Accept; nullopt: 406.
std::optional<Format> Negotiate(std::string_view path, std::string_view accept);

// One RDF term: an IRI, or a literal with a datatype IRI or a language.
struct Term {
  enum class Kind { kIri, kLiteral } kind = Kind::kIri;
  std::string value;
  std::string datatype;  // literals: an IRI, or empty
  std::string language;  // literals: "it", or empty
  static Term Iri(std::string v) { return {Kind::kIri, std::move(v), "", ""}; }
  static Term Lit(std::string v, std::string lang = "") { return {Kind::kLiteral, std::move(v), "", std::move(lang)}; }
  static Term Typed(std::string v, std::string dt) { return {Kind::kLiteral, std::move(v), std::move(dt), ""}; }
};

struct Triple {
  std::string subject;  // an IRI
  std::string predicate;
  Term object;
};

// The catalogue's triples; `tenant` empty: the catalogue of every tenant,
// published by `publisher` (the Unione that runs the platform) when given.
std::vector<Triple> CatalogTriples(const std::vector<sportello::v1::Dataset>& datasets, const std::string& base,
                                   const std::string& tenant, const sportello::v1::Agent* publisher = nullptr);

absl::StatusOr<std::string> Serialize(const std::vector<Triple>& triples, Format format, const std::string& base);

}  // namespace sportello::gateway::dcat
