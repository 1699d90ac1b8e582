#include "gateway/compat/ckan.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gateway/compat/open311.h"
#include "sportello/v1/opendata.pb.h"

namespace sportello::gateway::ckan {

namespace json = boost::json;
namespace v1 = ::sportello::v1;

namespace {

constexpr std::string_view kApi3 = "/api/3/action/";
constexpr std::string_view kApi = "/api/action/";
constexpr int kMaxRows = 1000;

const std::set<std::string, std::less<>> kReadActions = {
    "package_list", "package_show", "package_search", "organization_list", "organization_show",
    "group_list",   "tag_list",     "resource_show",  "status_show"};

std::string_view ActionOf(std::string_view path) {
  if (path.substr(0, kApi3.size()) == kApi3) return path.substr(kApi3.size());
  return path.substr(kApi.size());
}

// ---- Answers

HttpResponse Envelope(int status, const std::string& help, json::object body) {
  body["help"] = help;
  HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json;charset=utf-8");
  r.body = json::serialize(body);
  return r;
}

HttpResponse Ok(const std::string& help, json::value result) {
  json::object o;
  o["success"] = true;
  o["result"] = std::move(result);
  return Envelope(200, help, std::move(o));
}

HttpResponse Error(int status, const std::string& help, std::string_view type, std::string_view message,
                   json::object fields = {}) {
  json::object err = std::move(fields);
  err["__type"] = type;
  err["message"] = message;
  json::object o;
  o["success"] = false;
  o["error"] = std::move(err);
  return Envelope(status, help, std::move(o));
}

HttpResponse Validation(const std::string& help, const std::string& field, const std::string& message) {
  json::object fields;
  fields[field] = json::array{json::value(message)};
  return Error(409, help, "Validation Error", message, std::move(fields));
}

std::string Iso(const google::protobuf::Timestamp& t) {
  // CKAN's own format: naive ISO 8601 in UTC with microseconds.
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

std::string Day(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

// ---- Parameters: the query string and a JSON body, merged (body wins).

using Params = std::map<std::string, json::value, std::less<>>;

absl::StatusOr<Params> ReadParams(const HttpRequest& request) {
  Params p;
  std::string_view target = request.target;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    auto fields = open311::ParseForm(target.substr(q + 1));
    if (!fields.ok()) return fields.status();
    for (auto& [k, v] : *fields) p[k] = json::value(v);
  }
  std::string_view body = request.body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  if (!body.empty()) {
    if (body.front() == '{') {
      boost::system::error_code ec;
      json::value v = json::parse(body, ec);
      if (ec || !v.is_object()) return absl::InvalidArgumentError("corpo JSON non valido");
      for (auto& [k, val] : v.as_object()) p[std::string(k)] = val;
    } else {
      auto fields = open311::ParseForm(body);
      if (!fields.ok()) return fields.status();
      for (auto& [k, v] : *fields) p[k] = json::value(v);
    }
  }
  return p;
}

std::optional<std::string> Text(const Params& p, std::string_view name) {
  auto it = p.find(name);
  if (it == p.end() || it->second.is_null()) return std::nullopt;
  if (it->second.is_string()) return std::string(it->second.as_string());
  if (it->second.is_int64()) return std::to_string(it->second.as_int64());
  if (it->second.is_bool()) return it->second.as_bool() ? "true" : "false";
  return json::serialize(it->second);
}

// An integer parameter; nullopt when absent; error text when not a natural number.
absl::StatusOr<std::optional<int64_t>> Natural(const Params& p, std::string_view name) {
  auto it = p.find(name);
  if (it == p.end() || it->second.is_null()) return std::optional<int64_t>();
  int64_t v = 0;
  if (it->second.is_int64()) {
    v = it->second.as_int64();
  } else if (it->second.is_uint64()) {
    v = static_cast<int64_t>(it->second.as_uint64());
  } else if (!it->second.is_string() || !absl::SimpleAtoi(std::string(it->second.as_string()), &v)) {
    return absl::InvalidArgumentError("Invalid integer");
  }
  if (v < 0) return absl::InvalidArgumentError("Must be a natural number");
  return std::optional<int64_t>(v);
}

bool Flag(const Params& p, std::string_view name) {
  auto t = Text(p, name);
  if (!t) return false;
  std::string s = absl::AsciiStrToLower(*t);
  return s == "true" || s == "1" || s == "yes" || s == "on";
}

// ---- Packages

struct Package {
  v1::Dataset d;
  json::object dict;
  std::vector<std::string> terms;  // for q
};

json::object Organization(const v1::Dataset& d, const std::string& base) {
  json::object o;
  o["id"] = d.tenant();
  o["name"] = d.tenant();
  o["title"] = d.publisher().name();
  o["display_name"] = d.publisher().name();
  o["description"] = "";
  o["type"] = "organization";
  o["is_organization"] = true;
  o["state"] = "active";
  o["approval_status"] = "approved";
  o["image_url"] = "";
  o["created"] = Iso(d.issued());
  o["identifier"] = d.tenant();  // ckanext-dcatapit: the IPA code
  o["site_url"] = base;
  return o;
}

json::object Resource(const v1::Dataset& d, const v1::Distribution& dist, const std::string& base) {
  json::object r;
  r["id"] = absl::StrCat(d.id(), "-", dist.format());
  r["package_id"] = d.id();
  r["name"] = absl::StrCat(d.title(), " (", absl::AsciiStrToUpper(dist.format()), ")");
  r["description"] = absl::StrCat("Versione ", d.latest().number(), ".");
  r["format"] = absl::AsciiStrToUpper(dist.format());
  r["mimetype"] = dist.media_type();
  // The stable URL of the latest version; the versioned one is in `version_url`.
  r["url"] = absl::StrCat(base, "/api/v1/datasets/", d.id(), "/versions/latest/", dist.format());
  r["version_url"] = base + dist.download_path();
  r["size"] = dist.byte_size();
  r["hash"] = "sha256:" + dist.sha256();
  r["created"] = Iso(d.latest().create_time());
  r["last_modified"] = Iso(d.latest().create_time());
  r["state"] = "active";
  r["url_type"] = nullptr;
  r["license_type"] = d.license();
  r["distribution_format"] = absl::AsciiStrToUpper(dist.format());
  return r;
}

Package MakePackage(const v1::Dataset& d, const std::string& base) {
  Package p;
  p.d = d;
  json::object o;
  o["id"] = d.id();
  o["name"] = d.id();
  o["title"] = d.title();
  o["notes"] = d.description();
  o["type"] = "dataset";
  o["state"] = "active";
  o["private"] = false;
  o["isopen"] = true;
  o["license_id"] = "CC-BY-4.0";
  o["license_title"] = "Creative Commons Attribution 4.0";
  o["license_url"] = d.license();
  o["metadata_created"] = Iso(d.issued());
  o["metadata_modified"] = Iso(d.modified());
  o["owner_org"] = d.tenant();
  o["organization"] = Organization(d, base);
  o["maintainer"] = d.contact_point().name();
  o["maintainer_email"] = d.contact_point().email();
  o["author"] = d.publisher().name();
  o["author_email"] = nullptr;
  o["url"] = absl::StrCat(base, "/api/v1/datasets/", d.id());
  o["version"] = d.has_latest() ? std::to_string(d.latest().number()) : "";
  // ckanext-dcatapit
  o["identifier"] = d.identifier();
  o["theme"] = json::serialize(json::array{json::object{{"theme", d.theme()}, {"subthemes", json::array{}}}});
  o["frequency"] = d.frequency();
  o["modified"] = Day(d.modified());
  o["issued"] = Day(d.issued());
  o["publisher_name"] = d.publisher().name();
  o["publisher_identifier"] = d.publisher().identifier();
  o["holder_name"] = d.rights_holder().name();
  o["holder_identifier"] = d.rights_holder().identifier();
  o["language"] = "{ITA}";
  json::array tags;
  for (const auto& k : d.keywords()) {
    tags.push_back(json::object{{"name", k}, {"display_name", k}, {"state", "active"}, {"vocabulary_id", nullptr}});
  }
  o["num_tags"] = tags.size();
  o["tags"] = std::move(tags);
  std::string group = absl::AsciiStrToLower(d.theme());
  o["groups"] = json::array{json::object{{"name", group}, {"title", d.theme()}, {"display_name", d.theme()}}};
  json::array resources;
  if (d.has_latest()) {
    for (const auto& dist : d.latest().distributions()) resources.push_back(Resource(d, dist, base));
  }
  o["num_resources"] = resources.size();
  o["resources"] = std::move(resources);
  o["extras"] = json::array{};
  p.dict = std::move(o);
  std::string all = absl::StrCat(d.title(), " ", d.description());
  for (const auto& k : d.keywords()) absl::StrAppend(&all, " ", k);
  p.terms = ItalianTerms(all);
  std::sort(p.terms.begin(), p.terms.end());
  return p;
}

// The values of a package for an fq field.
std::vector<std::string> FieldValues(const Package& p, std::string_view field) {
  const v1::Dataset& d = p.d;
  if (field == "organization" || field == "owner_org") return {d.tenant()};
  if (field == "name" || field == "id") return {d.id()};
  if (field == "identifier") return {d.identifier()};
  if (field == "tags") return {d.keywords().begin(), d.keywords().end()};
  if (field == "groups") return {absl::AsciiStrToLower(d.theme())};
  if (field == "theme") return {d.theme()};
  if (field == "frequency") return {d.frequency()};
  if (field == "holder_identifier" || field == "publisher_identifier") return {d.tenant()};
  if (field == "license_id") return {"CC-BY-4.0"};
  if (field == "res_format") {
    std::vector<std::string> out;
    for (const auto& x : d.latest().distributions()) out.push_back(absl::AsciiStrToUpper(x.format()));
    return out;
  }
  if (field == "metadata_modified") return {Iso(d.modified())};
  if (field == "dataset_type" || field == "type") return {"dataset"};
  return {};
}

bool Accepts(const Package& p, const FqClause& c) {
  bool hit = false;
  for (const auto& v : FieldValues(p, c.field)) {
    if (c.range) {
      // ISO texts compare in time order; "*" is open. Solr dates end in Z.
      std::string from = c.from, to = c.to;
      if (!from.empty() && from.back() == 'Z') from.pop_back();
      if (!to.empty() && to.back() == 'Z') to.pop_back();
      hit = hit || ((from == "*" || v >= from) && (to == "*" || v <= to));
    } else {
      hit = hit || v == c.value;
    }
  }
  return c.negated ? !hit : hit;
}

// ---- Fetching every dataset (a few per tenant) from the open data service.

struct Fetch : std::enable_shared_from_this<Fetch> {
  Upstream* upstream;
  std::chrono::milliseconds timeout;
  std::string request_id;
  std::string tenant;
  std::vector<v1::Dataset> datasets;
  std::function<void(absl::Status, std::vector<v1::Dataset>)> done;

  void Page(std::string token) {
    v1::ListDatasetsRequest req;
    req.set_tenant(tenant);
    req.set_page_size(200);
    req.set_page_token(token);
    Metadata md{{"x-request-id", request_id}};
    auto self = shared_from_this();
    upstream->Call("opendata", "/sportello.v1.OpendataService/ListDatasets", req.SerializeAsString(), md, timeout,
                   [self](absl::Status status, std::string bytes) {
                     v1::ListDatasetsResponse resp;
                     if (status.ok() && !resp.ParseFromString(bytes)) status = absl::InternalError("bad answer");
                     if (!status.ok()) return self->done(status, {});
                     for (auto& d : *resp.mutable_datasets()) self->datasets.push_back(std::move(d));
                     if (resp.next_page_token().empty()) return self->done(absl::OkStatus(), std::move(self->datasets));
                     self->Page(resp.next_page_token());
                   });
  }
};

// ---- Actions over the packages.

using Result = std::function<void(HttpResponse)>;

HttpResponse PackageSearch(const std::vector<Package>& all, const Params& p, const std::string& help) {
  std::vector<FqClause> clauses;
  if (auto fq = Text(p, "fq"); fq && !fq->empty()) {
    auto parsed = ParseFq(*fq);
    if (!parsed.ok()) return Error(400, help, "Search Query Error", absl::StrCat("Search error: ", parsed.status().message()));
    clauses = *std::move(parsed);
  }
  auto rows = Natural(p, "rows");
  if (!rows.ok()) return Validation(help, "rows", std::string(rows.status().message()));
  auto start = Natural(p, "start");
  if (!start.ok()) return Validation(help, "start", std::string(start.status().message()));
  const int64_t n_rows = std::min<int64_t>(rows->value_or(10), kMaxRows);
  const int64_t n_start = start->value_or(0);
  std::vector<std::string> q_terms;
  if (auto q = Text(p, "q"); q && *q != "*:*" && !q->empty()) {
    // A fielded q ("name:x") is fq's syntax.
    if (q->find(':') != std::string::npos) {
      auto parsed = ParseFq(*q);
      if (!parsed.ok()) return Error(400, help, "Search Query Error", absl::StrCat("Search error: ", parsed.status().message()));
      for (auto& c : *parsed) clauses.push_back(std::move(c));
    } else {
      q_terms = ItalianTerms(*q);
    }
  }
  std::vector<const Package*> hits;
  for (const auto& pkg : all) {
    bool ok = std::all_of(clauses.begin(), clauses.end(), [&](const FqClause& c) { return Accepts(pkg, c); });
    for (const auto& t : q_terms) ok = ok && std::binary_search(pkg.terms.begin(), pkg.terms.end(), t);
    if (ok) hits.push_back(&pkg);
  }
  std::string sort = Text(p, "sort").value_or("score desc, metadata_modified desc");
  {
    std::vector<std::string> keys = absl::StrSplit(sort, ',', absl::SkipWhitespace());
    std::vector<std::pair<std::string, bool>> order;
    for (auto& k : keys) {
      std::vector<std::string> parts = absl::StrSplit(k, ' ', absl::SkipWhitespace());
      if (parts.empty() || parts.size() > 2 || (parts.size() == 2 && parts[1] != "asc" && parts[1] != "desc")) {
        return Error(400, help, "Search Query Error", "Search error: invalid sort: " + sort);
      }
      static const std::set<std::string> kSortable = {"score", "metadata_modified", "metadata_created", "name",
                                                      "title_string", "title"};
      if (!kSortable.count(parts[0])) return Error(400, help, "Search Query Error", "Search error: cannot sort by " + parts[0]);
      order.emplace_back(parts[0], parts.size() == 1 || parts[1] == "asc");
    }
    std::stable_sort(hits.begin(), hits.end(), [&](const Package* a, const Package* b) {
      for (const auto& [field, asc] : order) {
        std::string x, y;
        if (field == "metadata_modified") x = Iso(a->d.modified()), y = Iso(b->d.modified());
        else if (field == "metadata_created") x = Iso(a->d.issued()), y = Iso(b->d.issued());
        else if (field == "name") x = a->d.id(), y = b->d.id();
        else if (field == "title_string" || field == "title") x = a->d.title(), y = b->d.title();
        else continue;  // score: equal for an unranked filter
        if (x != y) return asc ? x < y : x > y;
      }
      return a->d.id() < b->d.id();
    });
  }
  json::object result;
  result["count"] = hits.size();
  result["sort"] = sort;
  json::array results;
  for (int64_t i = n_start; i < static_cast<int64_t>(hits.size()) && i < n_start + n_rows; ++i) {
    results.push_back(hits[static_cast<size_t>(i)]->dict);
  }
  result["results"] = std::move(results);
  // Facets: facet.field is a JSON list of field names.
  json::object facets, search_facets;
  if (auto ff = Text(p, "facet.field")) {
    boost::system::error_code ec;
    json::value names = json::parse(*ff, ec);
    if (ec || !names.is_array()) return Validation(help, "facet.field", "facet.field must be a JSON list");
    for (const auto& n : names.as_array()) {
      if (!n.is_string()) continue;
      std::string field(n.as_string());
      std::map<std::string, int64_t> counts;
      for (const Package* h : hits) {
        for (const auto& v : FieldValues(*h, field)) ++counts[v];
      }
      json::object f;
      json::array items;
      for (const auto& [v, c] : counts) {
        f[v] = c;
        items.push_back(json::object{{"name", v}, {"display_name", v}, {"count", c}});
      }
      facets[field] = std::move(f);
      search_facets[field] = json::object{{"title", field}, {"items", std::move(items)}};
    }
  }
  result["facets"] = std::move(facets);
  result["search_facets"] = std::move(search_facets);
  return Ok(help, std::move(result));
}

void Answer(std::string_view action, const Params& p, const std::vector<v1::Dataset>& datasets,
            const Options& options, const std::string& help, const Result& done) {
  const std::string& base = options.public_base_url;
  std::vector<Package> all;
  all.reserve(datasets.size());
  for (const auto& d : datasets) all.push_back(MakePackage(d, base));
  std::sort(all.begin(), all.end(), [](const Package& a, const Package& b) { return a.d.id() < b.d.id(); });

  if (action == "package_list") {
    auto limit = Natural(p, "limit");
    if (!limit.ok()) return done(Validation(help, "limit", std::string(limit.status().message())));
    auto offset = Natural(p, "offset");
    if (!offset.ok()) return done(Validation(help, "offset", std::string(offset.status().message())));
    json::array names;
    int64_t from = offset->value_or(0), n = limit->value_or(static_cast<int64_t>(all.size()));
    for (int64_t i = from; i < static_cast<int64_t>(all.size()) && i < from + n; ++i) names.push_back(json::value(all[i].d.id()));
    return done(Ok(help, std::move(names)));
  }
  if (action == "package_search") return done(PackageSearch(all, p, help));
  if (action == "package_show") {
    auto id = Text(p, "id");
    if (!id) id = Text(p, "name");
    if (!id || id->empty()) return done(Validation(help, "id", "Missing value"));
    for (const auto& pkg : all) {
      if (pkg.d.id() == *id || pkg.d.identifier() == *id) return done(Ok(help, pkg.dict));
    }
    return done(Error(404, help, "Not Found Error", "Not found"));
  }
  if (action == "resource_show") {
    auto id = Text(p, "id");
    if (!id || id->empty()) return done(Validation(help, "id", "Missing value"));
    for (const auto& pkg : all) {
      for (const auto& r : pkg.dict.at("resources").as_array()) {
        if (r.as_object().at("id").as_string() == *id) return done(Ok(help, r));
      }
    }
    return done(Error(404, help, "Not Found Error", "Not found: Resource was not found."));
  }
  if (action == "organization_list") {
    const bool all_fields = Flag(p, "all_fields");
    std::map<std::string, std::pair<json::object, int64_t>> orgs;
    for (const auto& pkg : all) {
      auto& o = orgs[pkg.d.tenant()];
      if (o.first.empty()) o.first = Organization(pkg.d, base);
      ++o.second;
    }
    json::array out;
    for (auto& [name, o] : orgs) {
      if (all_fields) {
        o.first["package_count"] = o.second;
        out.push_back(o.first);
      } else {
        out.push_back(json::value(name));
      }
    }
    return done(Ok(help, std::move(out)));
  }
  if (action == "organization_show") {
    auto id = Text(p, "id");
    if (!id || id->empty()) return done(Validation(help, "id", "Missing value"));
    json::object org;
    json::array packages;
    for (const auto& pkg : all) {
      if (pkg.d.tenant() != *id) continue;
      if (org.empty()) org = Organization(pkg.d, base);
      packages.push_back(pkg.dict);
    }
    if (org.empty()) return done(Error(404, help, "Not Found Error", "Not found: Organization was not found."));
    org["package_count"] = packages.size();
    if (Flag(p, "include_datasets")) org["packages"] = std::move(packages);
    return done(Ok(help, std::move(org)));
  }
  if (action == "group_list") {
    std::map<std::string, int64_t> themes;
    for (const auto& pkg : all) ++themes[pkg.d.theme()];
    const bool all_fields = Flag(p, "all_fields");
    json::array out;
    for (const auto& [theme, n] : themes) {
      std::string name = absl::AsciiStrToLower(theme);
      if (all_fields) {
        out.push_back(json::object{{"name", name}, {"title", theme}, {"display_name", theme}, {"package_count", n},
                                   {"type", "group"}, {"is_organization", false},
                                   {"uri", "http://publications.europa.eu/resource/authority/data-theme/" + theme}});
      } else {
        out.push_back(json::value(name));
      }
    }
    return done(Ok(help, std::move(out)));
  }
  if (action == "tag_list") {
    std::set<std::string> tags;
    auto q = Text(p, "query");
    for (const auto& pkg : all) {
      for (const auto& k : pkg.d.keywords()) {
        if (!q || absl::AsciiStrToLower(k).find(absl::AsciiStrToLower(*q)) != std::string::npos) tags.insert(k);
      }
    }
    json::array out;
    for (const auto& t : tags) out.push_back(json::value(t));
    return done(Ok(help, std::move(out)));
  }
  done(Error(400, help, "Bad request", "Action name not known: " + std::string(action)));
}

}  // namespace

bool Matches(std::string_view path) {
  return path.substr(0, kApi3.size()) == kApi3 || path.substr(0, kApi.size()) == kApi;
}

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done) {
  std::string_view target = request.target;
  std::string path(target.substr(0, target.find('?')));
  const std::string action(ActionOf(path));
  const std::string help = absl::StrCat(options.public_base_url, "/api/3/action/help_show?name=", action);
  if (request.method != "GET" && request.method != "POST") {
    HttpResponse r = Error(405, help, "Bad request", "Method not allowed: GET or POST");
    r.headers.Set("Allow", "GET, POST");
    return done(std::move(r));
  }
  if (action.empty() || action.find('/') != std::string::npos) {
    return done(Error(400, help, "Bad request", "Bad request - Action name not known: " + action));
  }
  if (!kReadActions.count(action)) {
    // Writes exist in CKAN but not here: this catalogue is fed by the services.
    static const std::vector<std::string_view> kWriteSuffixes = {"_create", "_update", "_patch", "_delete", "_purge"};
    for (auto suffix : kWriteSuffixes) {
      if (action.size() > suffix.size() && action.substr(action.size() - suffix.size()) == suffix) {
        return done(Error(403, help, "Authorization Error", "Access denied: this catalogue is read-only"));
      }
    }
    return done(Error(400, help, "Bad request", "Bad request - Action name not known: " + action));
  }
  auto params = ReadParams(request);
  if (!params.ok()) return done(Error(400, help, "Bad request", std::string(params.status().message())));
  if (action == "status_show") {
    json::object s{{"site_title", "Sportello - dati aperti"},
                   {"site_url", options.public_base_url},
                   {"site_description", "Dati aperti degli URP (DCAT-AP_IT)"},
                   {"ckan_version", "2.10.4"},
                   {"error_emails_to", nullptr},
                   {"locale_default", "it"},
                   {"extensions", json::array{"dcat", "dcatapit_pkg", "dcatapit_org"}}};
    return done(Ok(help, std::move(s)));
  }
  FetchDatasets(upstream, options.upstream_timeout, request.headers.GetOr("x-request-id"), "",
                [action, p = *std::move(params), options, help, done = std::move(done)](
                    absl::Status status, std::vector<v1::Dataset> datasets) {
                  if (!status.ok()) {
                    HttpResponse r = Error(503, help, "Internal Error", "Il servizio dei dati aperti non risponde");
                    r.headers.Set("Retry-After", "5");
                    return done(std::move(r));
                  }
                  Answer(action, p, datasets, options, help, done);
                });
}

void FetchDatasets(Upstream& upstream, std::chrono::milliseconds timeout, const std::string& request_id,
                   const std::string& tenant, std::function<void(absl::Status, std::vector<v1::Dataset>)> done) {
  auto fetch = std::make_shared<Fetch>();
  fetch->upstream = &upstream;
  fetch->timeout = timeout;
  fetch->request_id = request_id;
  fetch->tenant = tenant;
  fetch->done = std::move(done);
  fetch->Page("");
}

// ---- fq

absl::StatusOr<std::vector<FqClause>> ParseFq(std::string_view fq) {
  static const std::set<std::string, std::less<>> kFields = {
      "organization", "owner_org", "name",        "id",       "identifier",        "tags",
      "groups",       "theme",     "frequency",   "res_format", "holder_identifier", "publisher_identifier",
      "license_id",   "metadata_modified", "dataset_type", "type"};
  std::vector<FqClause> out;
  size_t i = 0;
  auto skip = [&] {
    while (i < fq.size() && std::isspace(static_cast<unsigned char>(fq[i]))) ++i;
  };
  while (true) {
    skip();
    if (i >= fq.size()) break;
    if (fq.substr(i, 4) == "AND " || fq.substr(i, 4) == "AND\t") {
      i += 3;
      continue;
    }
    if (fq.substr(i, 3) == "OR " || fq[i] == '(' || fq[i] == ')') {
      return absl::InvalidArgumentError("only AND of field:value clauses is supported in fq");
    }
    FqClause c;
    if (fq[i] == '+') ++i;
    else if (fq[i] == '-') c.negated = true, ++i;
    size_t colon = fq.find(':', i);
    if (colon == std::string_view::npos) return absl::InvalidArgumentError(absl::StrCat("expected field:value at ", i));
    c.field = std::string(fq.substr(i, colon - i));
    if (!kFields.count(c.field)) return absl::InvalidArgumentError("unknown field in fq: " + c.field);
    i = colon + 1;
    if (i >= fq.size()) return absl::InvalidArgumentError("missing value for " + c.field);
    if (fq[i] == '"') {
      size_t end = fq.find('"', i + 1);
      if (end == std::string_view::npos) return absl::InvalidArgumentError("unterminated quote in fq");
      c.value = std::string(fq.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (fq[i] == '[') {
      size_t end = fq.find(']', i);
      if (end == std::string_view::npos) return absl::InvalidArgumentError("unterminated range in fq");
      std::vector<std::string> parts = absl::StrSplit(std::string(fq.substr(i + 1, end - i - 1)), ' ', absl::SkipWhitespace());
      if (parts.size() != 3 || parts[1] != "TO") return absl::InvalidArgumentError("range must be [X TO Y]");
      c.range = true;
      c.from = parts[0];
      c.to = parts[2];
      i = end + 1;
    } else {
      size_t end = i;
      while (end < fq.size() && !std::isspace(static_cast<unsigned char>(fq[end]))) ++end;
      c.value = std::string(fq.substr(i, end - i));
      if (c.value.find_first_of("()[]{}\"") != std::string::npos) {
        return absl::InvalidArgumentError("unsupported syntax in fq value: " + c.value);
      }
      i = end;
    }
    out.push_back(std::move(c));
  }
  return out;
}

// ---- Italian terms

std::vector<std::string> ItalianTerms(std::string_view text) {
  // Fold the accented letters of Italian (UTF-8, two bytes each).
  std::string folded;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char n = static_cast<unsigned char>(text[++i]);
      char base = '?';
      if ((n >= 0xA0 && n <= 0xA5) || (n >= 0x80 && n <= 0x85)) base = 'a';
      else if ((n >= 0xA8 && n <= 0xAB) || (n >= 0x88 && n <= 0x8B)) base = 'e';
      else if ((n >= 0xAC && n <= 0xAF) || (n >= 0x8C && n <= 0x8F)) base = 'i';
      else if ((n >= 0xB2 && n <= 0xB6) || (n >= 0x92 && n <= 0x96)) base = 'o';
      else if ((n >= 0xB9 && n <= 0xBC) || (n >= 0x99 && n <= 0x9C)) base = 'u';
      folded += base;
      continue;
    }
    folded += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : ' ';
  }
  static const std::set<std::string> kStop = {"il", "lo", "la", "i", "gli", "le", "un", "una", "di", "a", "da",
                                              "in", "con", "su", "per", "tra", "fra", "e", "o", "del", "della",
                                              "dei", "delle", "degli", "al", "alla", "ai", "alle", "nel", "nella"};
  // Longest first: derivational, then plural and gender endings.
  static const std::vector<std::string> kSuffixes = {"azioni", "azione", "amente", "mente", "ità", "ita",
                                                     "ioni",   "ione",   "io",     "ia",    "ie",  "ii",
                                                     "i",      "e",      "a",      "o"};
  std::vector<std::string> out;
  for (absl::string_view w : absl::StrSplit(folded, ' ', absl::SkipWhitespace())) {
    std::string word(w);
    if (kStop.count(word)) continue;
    for (const auto& s : kSuffixes) {
      if (word.size() > s.size() + 2 && word.compare(word.size() - s.size(), s.size(), s) == 0) {
        word.resize(word.size() - s.size());
        break;
      }
    }
    out.push_back(word);
  }
  return out;
}

}  // namespace sportello::gateway::ckan
