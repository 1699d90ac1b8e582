#include "gateway/compat/dcat.h"

#include <raptor2.h>

#include <boost/json.hpp>
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gateway/compat/ckan.h"
#include "sportello/v1/catalogue.pb.h"
#include "sportello/v1/opendata.pb.h"

namespace sportello::gateway::dcat {

namespace json = boost::json;
namespace v1 = ::sportello::v1;

namespace {

struct Prefix {
  const char* name;
  const char* iri;
};
constexpr Prefix kPrefixes[] = {
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"dct", "http://purl.org/dc/terms/"},
    {"dcatapit", "http://dati.gov.it/onto/dcatapit#"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"vcard", "http://www.w3.org/2006/vcard/ns#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"spdx", "http://spdx.org/rdf/terms#"},
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"adms", "http://www.w3.org/ns/adms#"},
};

std::string P(std::string_view prefix, std::string_view local) {
  for (const auto& p : kPrefixes) {
    if (prefix == p.name) return std::string(p.iri) + std::string(local);
  }
  return std::string(local);
}

const std::string kType = P("rdf", "type");
constexpr const char* kThemes = "http://publications.europa.eu/resource/authority/data-theme/";
constexpr const char* kFrequencies = "http://publications.europa.eu/resource/authority/frequency/";
constexpr const char* kFileTypes = "http://publications.europa.eu/resource/authority/file-type/";
constexpr const char* kItalian = "http://publications.europa.eu/resource/authority/language/ITA";

std::string ThemeLabel(const std::string& code) {
  static const std::map<std::string, std::string> kLabels = {
      {"GOVE", "Governo e settore pubblico"}, {"SOCI", "Popolazione e società"},
      {"REGI", "Regioni e città"},            {"TRAN", "Trasporti"},
      {"ENVI", "Ambiente"},                   {"ECON", "Economia e finanze"}};
  auto it = kLabels.find(code);
  return it == kLabels.end() ? code : it->second;
}

std::string Date(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

struct Graph {
  std::vector<Triple> triples;
  std::set<std::string> typed;  // subjects already described once
  void Add(const std::string& s, const std::string& p, Term o) { triples.push_back({s, p, std::move(o)}); }
  void Types(const std::string& s, std::initializer_list<std::string> types) {
    for (const auto& t : types) Add(s, kType, Term::Iri(t));
  }
  bool First(const std::string& s) { return typed.insert(s).second; }
};

std::string Agent(Graph& g, const std::string& base, const v1::Agent& a) {
  std::string iri = absl::StrCat(base, "/dcat/agents/", a.identifier());
  if (g.First(iri)) {
    g.Types(iri, {P("foaf", "Agent"), P("dcatapit", "Agent")});
    g.Add(iri, P("foaf", "name"), Term::Lit(a.name().empty() ? a.identifier() : a.name(), "it"));
    g.Add(iri, P("dct", "identifier"), Term::Lit(a.identifier()));
  }
  return iri;
}

}  // namespace

std::vector<Triple> CatalogTriples(const std::vector<v1::Dataset>& datasets, const std::string& base,
                                   const std::string& tenant, const v1::Agent* catalog_publisher) {
  Graph g;
  const std::string catalog = tenant.empty() ? base + "/dcat/catalog" : absl::StrCat(base, "/dcat/", tenant, "/catalog");
  g.Types(catalog, {P("dcat", "Catalog"), P("dcatapit", "Catalog")});
  g.Add(catalog, P("dct", "title"),
        Term::Lit(tenant.empty() ? (catalog_publisher ? "Catalogo dei dati aperti degli URP - " + catalog_publisher->name()
                                                      : std::string("Catalogo dei dati aperti degli URP"))
                                 : "Catalogo dei dati aperti dell'URP - " +
                                       (datasets.empty() ? tenant : datasets[0].publisher().name()),
                  "it"));
  g.Add(catalog, P("dct", "description"),
        Term::Lit("Dati aperti degli Uffici per le Relazioni con il Pubblico: servizi, uffici, richieste, "
                  "registro degli accessi, indici di soddisfazione. Licenza CC BY 4.0.",
                  "it"));
  g.Add(catalog, P("foaf", "homepage"), Term::Iri(base + "/"));
  g.Add(catalog, P("dct", "language"), Term::Iri(kItalian));
  g.Add(catalog, P("dcat", "themeTaxonomy"),
        Term::Iri("http://publications.europa.eu/resource/authority/data-theme"));
  g.Types("http://publications.europa.eu/resource/authority/data-theme", {P("skos", "ConceptScheme")});
  g.Add("http://publications.europa.eu/resource/authority/data-theme", P("dct", "title"),
        Term::Lit("Data Theme Vocabulary", "en"));
  g.Types(kItalian, {P("dct", "LinguisticSystem")});
  // The publisher: the tenant; for the whole platform, the Unione that runs
  // it, else (no Unione registered) the first tenant in code order.
  std::string latest = "1970-01-01";
  v1::Agent publisher;
  publisher.set_identifier(tenant.empty() ? "sportello" : tenant);
  publisher.set_name("Sportello");
  if (!datasets.empty()) publisher = datasets[0].publisher();
  if (tenant.empty() && catalog_publisher != nullptr) publisher = *catalog_publisher;
  g.Add(catalog, P("dct", "publisher"), Term::Iri(Agent(g, base, publisher)));

  const std::string licence = "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40";
  for (const auto& d : datasets) {
    const std::string ds = absl::StrCat(base, "/dcat/datasets/", d.id());
    g.Add(catalog, P("dcat", "dataset"), Term::Iri(ds));
    g.Types(ds, {P("dcat", "Dataset"), P("dcatapit", "Dataset")});
    g.Add(ds, P("dct", "identifier"), Term::Lit(d.identifier()));
    g.Add(ds, P("dct", "title"), Term::Lit(d.title(), "it"));
    g.Add(ds, P("dct", "description"), Term::Lit(d.description().empty() ? d.title() : d.description(), "it"));
    for (const auto& k : d.keywords()) g.Add(ds, P("dcat", "keyword"), Term::Lit(k, "it"));
    const std::string theme = kThemes + d.theme();
    g.Add(ds, P("dcat", "theme"), Term::Iri(theme));
    if (g.First(theme)) {
      g.Types(theme, {P("skos", "Concept")});
      g.Add(theme, P("skos", "prefLabel"), Term::Lit(ThemeLabel(d.theme()), "it"));
      g.Add(theme, P("skos", "inScheme"), Term::Iri("http://publications.europa.eu/resource/authority/data-theme"));
    }
    const std::string freq = kFrequencies + d.frequency();
    g.Add(ds, P("dct", "accrualPeriodicity"), Term::Iri(freq));
    if (g.First(freq)) g.Types(freq, {P("dct", "Frequency")});
    const std::string modified = Date(d.modified());
    latest = std::max(latest, modified);
    g.Add(ds, P("dct", "modified"), Term::Typed(modified, P("xsd", "date")));
    g.Add(ds, P("dct", "issued"), Term::Typed(Date(d.issued()), P("xsd", "date")));
    g.Add(ds, P("dct", "language"), Term::Iri(kItalian));
    g.Add(ds, P("dct", "publisher"), Term::Iri(Agent(g, base, d.publisher())));
    g.Add(ds, P("dct", "rightsHolder"), Term::Iri(Agent(g, base, d.rights_holder())));
    const std::string contact = ds + "/contatto";
    g.Add(ds, P("dcat", "contactPoint"), Term::Iri(contact));
    g.Types(contact, {P("vcard", "Kind"), P("vcard", "Organization"), P("dcatapit", "Organization")});
    g.Add(contact, P("vcard", "fn"),
          Term::Lit(d.contact_point().name().empty() ? "URP" : d.contact_point().name()));
    if (!d.contact_point().email().empty()) {
      g.Add(contact, P("vcard", "hasEmail"), Term::Iri("mailto:" + d.contact_point().email()));
    }
    if (d.has_latest()) {
      g.Add(ds, P("owl", "versionInfo"), Term::Lit(std::to_string(d.latest().number())));
      for (const auto& dist : d.latest().distributions()) {
        const std::string di = absl::StrCat(ds, "/distribuzioni/", dist.format());
        const std::string upper = absl::AsciiStrToUpper(dist.format());
        g.Add(ds, P("dcat", "distribution"), Term::Iri(di));
        g.Types(di, {P("dcat", "Distribution"), P("dcatapit", "Distribution")});
        g.Add(di, P("dct", "title"), Term::Lit(absl::StrCat(d.title(), " (", upper, ")"), "it"));
        const std::string url = absl::StrCat(base, "/api/v1/datasets/", d.id(), "/versions/latest/", dist.format());
        g.Add(di, P("dcat", "accessURL"), Term::Iri(url));
        g.Add(di, P("dcat", "downloadURL"), Term::Iri(url));
        const std::string ft = kFileTypes + upper;
        g.Add(di, P("dct", "format"), Term::Iri(ft));
        if (g.First(ft)) g.Types(ft, {P("dct", "MediaTypeOrExtent")});
        g.Add(di, P("dcat", "mediaType"),
              Term::Iri("http://www.iana.org/assignments/media-types/" + dist.media_type()));
        g.Add(di, P("dct", "license"), Term::Iri(licence));
        // "N.0": raptor's Turtle writer prints a decimal literal bare, and a bare
        // "N" would read back as xsd:integer.
        g.Add(di, P("dcat", "byteSize"), Term::Typed(std::to_string(dist.byte_size()) + ".0", P("xsd", "decimal")));
        g.Add(di, P("dct", "modified"), Term::Typed(modified, P("xsd", "date")));
        const std::string checksum = di + "/checksum";
        g.Add(di, P("spdx", "checksum"), Term::Iri(checksum));
        g.Types(checksum, {P("spdx", "Checksum")});
        g.Add(checksum, P("spdx", "algorithm"), Term::Iri(P("spdx", "checksumAlgorithm_sha256")));
        g.Add(checksum, P("spdx", "checksumValue"), Term::Typed(dist.sha256(), P("xsd", "hexBinary")));
      }
    }
  }
  g.Types(licence, {P("dct", "LicenseDocument"), P("dcatapit", "LicenseDocument")});
  g.Add(licence, P("foaf", "name"), Term::Lit("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)", "it"));
  g.Add(licence, P("dct", "type"), Term::Iri("http://purl.org/adms/licencetype/Attribution"));
  g.Add(catalog, P("dct", "modified"), Term::Typed(latest, P("xsd", "date")));
  return std::move(g.triples);
}

namespace {

absl::StatusOr<std::string> WithRaptor(const std::vector<Triple>& triples, const char* syntax, const std::string& base) {
  using World = std::unique_ptr<raptor_world, decltype(&raptor_free_world)>;
  World world(raptor_new_world(), &raptor_free_world);
  if (!world || raptor_world_open(world.get()) != 0) return absl::InternalError("raptor: no world");
  std::unique_ptr<raptor_serializer, decltype(&raptor_free_serializer)> ser(
      raptor_new_serializer(world.get(), syntax), &raptor_free_serializer);
  if (!ser) return absl::InternalError(absl::StrCat("raptor: no serializer ", syntax));
  for (const auto& p : kPrefixes) {
    raptor_uri* ns = raptor_new_uri(world.get(), reinterpret_cast<const unsigned char*>(p.iri));
    raptor_serializer_set_namespace(ser.get(), ns, reinterpret_cast<const unsigned char*>(p.name));
    raptor_free_uri(ns);
  }
  void* out = nullptr;
  size_t length = 0;
  // No base URI: every IRI is written absolute, stable whatever the request.
  if (raptor_serializer_start_to_string(ser.get(), nullptr, &out, &length) != 0) {
    return absl::InternalError("raptor: cannot start");
  }
  auto iri = [&](const std::string& v) {
    return raptor_new_term_from_uri_string(world.get(), reinterpret_cast<const unsigned char*>(v.c_str()));
  };
  bool failed = false;
  for (const auto& t : triples) {
    raptor_term* s = iri(t.subject);
    raptor_term* p = iri(t.predicate);
    raptor_term* o = nullptr;
    if (t.object.kind == Term::Kind::kIri) {
      o = iri(t.object.value);
    } else {
      raptor_uri* dt = t.object.datatype.empty()
                           ? nullptr
                           : raptor_new_uri(world.get(), reinterpret_cast<const unsigned char*>(t.object.datatype.c_str()));
      o = raptor_new_term_from_literal(world.get(), reinterpret_cast<const unsigned char*>(t.object.value.c_str()), dt,
                                       t.object.language.empty()
                                           ? nullptr
                                           : reinterpret_cast<const unsigned char*>(t.object.language.c_str()));
      if (dt) raptor_free_uri(dt);
    }
    if (!s || !p || !o) {
      failed = true;
      if (s) raptor_free_term(s);
      if (p) raptor_free_term(p);
      if (o) raptor_free_term(o);
      continue;
    }
    raptor_statement* st = raptor_new_statement_from_nodes(world.get(), s, p, o, nullptr);
    if (raptor_serializer_serialize_statement(ser.get(), st) != 0) failed = true;
    raptor_free_statement(st);
  }
  raptor_serializer_serialize_end(ser.get());
  ser.reset();  // the string is complete once the serializer is freed
  std::string result = out ? std::string(static_cast<const char*>(out), length) : "";
  if (out) raptor_free_memory(out);
  if (failed) return absl::InternalError("raptor: a triple was refused");
  return result;
}

std::string Compact(const std::string& iri) {
  for (const auto& p : kPrefixes) {
    std::string_view ns = p.iri;
    if (iri.size() > ns.size() && iri.compare(0, ns.size(), ns) == 0) {
      std::string local = iri.substr(ns.size());
      if (local.find_first_of("/#?:") == std::string::npos) return absl::StrCat(p.name, ":", local);
    }
  }
  return iri;
}

std::string JsonLd(const std::vector<Triple>& triples) {
  json::object context;
  for (const auto& p : kPrefixes) context[p.name] = p.iri;
  std::vector<std::string> order;
  std::map<std::string, json::object> nodes;
  for (const auto& t : triples) {
    auto [it, fresh] = nodes.try_emplace(t.subject);
    if (fresh) {
      order.push_back(t.subject);
      it->second["@id"] = t.subject;
    }
    json::object& node = it->second;
    if (t.predicate == kType) {
      if (!node.contains("@type")) node["@type"] = json::array{};
      node["@type"].as_array().push_back(json::value(Compact(t.object.value)));
      continue;
    }
    json::object value;
    if (t.object.kind == Term::Kind::kIri) {
      value["@id"] = t.object.value;
    } else {
      value["@value"] = t.object.value;
      if (!t.object.language.empty()) value["@language"] = t.object.language;
      if (!t.object.datatype.empty()) value["@type"] = Compact(t.object.datatype);
    }
    std::string key = Compact(t.predicate);
    if (!node.contains(key)) node[key] = json::array{};
    node[key].as_array().push_back(std::move(value));
  }
  json::array graph;
  for (const auto& s : order) graph.push_back(std::move(nodes[s]));
  return json::serialize(json::object{{"@context", std::move(context)}, {"@graph", std::move(graph)}});
}

}  // namespace

absl::StatusOr<std::string> Serialize(const std::vector<Triple>& triples, Format format, const std::string& base) {
  switch (format) {
    case Format::kTurtle: return WithRaptor(triples, "turtle", base);
    case Format::kRdfXml: return WithRaptor(triples, "rdfxml", base);
    case Format::kJsonLd: return JsonLd(triples);
  }
  return absl::InternalError("unknown format");
}

std::optional<Format> Negotiate(std::string_view path, std::string_view accept) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.substr(path.size() - s.size()) == s; };
  if (ends(".ttl")) return Format::kTurtle;
  if (ends(".rdf")) return Format::kRdfXml;
  if (ends(".jsonld")) return Format::kJsonLd;
  if (accept.empty()) return Format::kTurtle;
  // The highest q among ours; ties: the order listed.
  std::optional<Format> best;
  double best_q = 0;
  for (absl::string_view item : absl::StrSplit(std::string(accept), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      auto param = absl::StripAsciiWhitespace(parts[i]);
      if (param.substr(0, 2) == "q=") q = std::atof(std::string(param.substr(2)).c_str());
    }
    std::optional<Format> f;
    if (type == "text/turtle" || type == "application/x-turtle") f = Format::kTurtle;
    else if (type == "application/rdf+xml") f = Format::kRdfXml;
    else if (type == "application/ld+json") f = Format::kJsonLd;
    else if (type == "*/*" || type == "text/*") f = Format::kTurtle;
    if (f && q > best_q) best = f, best_q = q;
  }
  return best;
}

bool Matches(std::string_view path) { return path.substr(0, 6) == "/dcat/"; }

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done) {
  std::string_view target = request.target;
  std::string path(target.substr(0, target.find('?')));
  auto text = [](int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.Set("Content-Type", "text/plain; charset=utf-8");
    r.body = std::move(body);
    return r;
  };
  if (request.method != "GET") {
    HttpResponse r = text(405, "Metodo non consentito: GET\n");
    r.headers.Set("Allow", "GET, HEAD");
    return done(std::move(r));
  }
  // /dcat/catalog[.ext] or /dcat/{tenant}/catalog[.ext]
  std::string rest = path.substr(6);
  std::string stem = rest.substr(0, rest.find('.'));
  std::string tenant;
  if (stem != "catalog") {
    std::vector<std::string> parts = absl::StrSplit(stem, '/');
    if (parts.size() != 2 || parts[1] != "catalog" || parts[0].empty() || parts[0].size() > 32 ||
        !std::all_of(parts[0].begin(), parts[0].end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return done(text(404, "Nessun catalogo a questo indirizzo\n"));
    }
    tenant = parts[0];
  }
  if (auto dot = rest.find('.'); dot != std::string::npos) {
    std::string ext = rest.substr(dot);
    if (ext != ".ttl" && ext != ".rdf" && ext != ".jsonld") return done(text(404, "Formato sconosciuto\n"));
  }
  auto format = Negotiate(path, request.headers.GetOr("accept"));
  if (!format) {
    return done(text(406, "Formati disponibili: text/turtle, application/rdf+xml, application/ld+json\n"));
  }
  HttpRequest conditional;
  conditional.method = "GET";
  if (auto inm = request.headers.Get("if-none-match")) conditional.headers.Add("If-None-Match", std::string(*inm));
  auto answer = [format = *format, tenant, base = options.public_base_url, text, conditional,
                 done = std::move(done)](absl::Status status, std::vector<v1::Dataset> datasets,
                                         std::optional<v1::Agent> unione) {
    if (!status.ok()) {
      HttpResponse r = text(503, "Il servizio dei dati aperti non risponde\n");
      r.headers.Set("Retry-After", "5");
      return done(std::move(r));
    }
    if (!tenant.empty() && datasets.empty()) return done(text(404, "Ente senza dati aperti: " + tenant + "\n"));
    auto body = Serialize(CatalogTriples(datasets, base, tenant, unione ? &*unione : nullptr), format, base);
    if (!body.ok()) return done(text(500, "Errore interno\n"));
    HttpResponse r;
    r.status = 200;
    r.headers.Set("Content-Type", format == Format::kTurtle   ? "text/turtle; charset=utf-8"
                                  : format == Format::kRdfXml ? "application/rdf+xml; charset=utf-8"
                                                              : "application/ld+json");
    r.headers.Set("Vary", "Accept");
    r.headers.Set("Cache-Control", "public, max-age=300");
    r.body = *std::move(body);
    // The ETag is the body's hash: each serialisation has its own.
    ApplyConditionalGet(conditional, r);
    done(std::move(r));
  };
  const std::string request_id = request.headers.GetOr("x-request-id");
  if (!tenant.empty()) {
    return ckan::FetchDatasets(upstream, options.upstream_timeout, request_id, tenant,
                               [answer = std::move(answer)](absl::Status s, std::vector<v1::Dataset> d) mutable {
                                 answer(std::move(s), std::move(d), std::nullopt);
                               });
  }
  // Every tenant's catalogue: first its publisher, the Unione (the
  // configured one, else the one of lowest code), named as the catalogue
  // service names it.
  Metadata md{{"x-request-id", request_id}};
  Upstream* up = &upstream;
  const auto timeout = options.upstream_timeout;
  std::string method, bytes;
  if (!options.catalog_publisher.empty()) {
    v1::GetTenantRequest req;
    req.set_ipa_code(options.catalog_publisher);
    method = "/sportello.v1.CatalogueService/GetTenant";
    bytes = req.SerializeAsString();
  } else {
    v1::ListTenantsRequest req;
    req.set_kind(v1::TENANT_KIND_UNIONE);
    req.set_page_size(200);
    method = "/sportello.v1.CatalogueService/ListTenants";
    bytes = req.SerializeAsString();
  }
  const bool configured = !options.catalog_publisher.empty();
  upstream.Call(
      "catalogue", method, std::move(bytes), md, timeout,
      [up, timeout, request_id, configured, answer = std::move(answer)](absl::Status status,
                                                                       std::string bytes) mutable {
        std::optional<v1::Agent> unione;
        auto take = [&](const v1::Tenant& t) {
          if (!unione || t.ipa_code() < unione->identifier()) {
            unione.emplace();
            unione->set_identifier(t.ipa_code());
            unione->set_name(t.name());
          }
        };
        if (configured) {
          v1::Tenant t;
          if (status.ok() && !t.ParseFromString(bytes)) status = absl::InternalError("bad answer");
          // A configured code the catalogue does not know: the fallback publisher.
          if (absl::IsNotFound(status)) status = absl::OkStatus();
          else if (status.ok()) take(t);
        } else {
          v1::ListTenantsResponse resp;
          if (status.ok() && !resp.ParseFromString(bytes)) status = absl::InternalError("bad answer");
          if (status.ok()) {
            for (const auto& t : resp.tenants()) take(t);
          }
        }
        if (!status.ok()) return answer(status, {}, std::nullopt);
        ckan::FetchDatasets(*up, timeout, request_id, "",
                            [unione, answer = std::move(answer)](absl::Status s, std::vector<v1::Dataset> d) mutable {
                              answer(std::move(s), std::move(d), unione);
                            });
      });
}

}  // namespace sportello::gateway::dcat
