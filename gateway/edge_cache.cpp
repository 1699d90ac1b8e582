#include "gateway/edge_cache.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "gateway/compat/ckan.h"
#include "gateway/compat/datasets.h"
#include "gateway/compat/dcat.h"
#include "gateway/compat/feeds.h"
#include "gateway/compat/open311.h"

namespace sportello::gateway {
namespace {

// RPCs whose anonymous answer is public, the same for every caller, and free
// of personal data: the only annotated routes the cache may hold. Adding one
// is a decision about personal data and about time: an answer that depends
// on the clock (GetOfficeAvailability without `at`) does not belong here.
constexpr std::array<std::string_view, 16> kCacheableRpcs = {
    "sportello.v1.CatalogueService.GetTenant",
    "sportello.v1.CatalogueService.ListTenants",
    "sportello.v1.CatalogueService.GetOffice",
    "sportello.v1.CatalogueService.ListOffices",
    "sportello.v1.CatalogueService.GetService",
    "sportello.v1.CatalogueService.ListServices",
    "sportello.v1.CatalogueService.GetServiceJsonLd",
    "sportello.v1.CatalogueService.ListCategories",
    "sportello.v1.CatalogueService.GetCategory",
    "sportello.v1.CatalogueService.Search",
    "sportello.v1.OpendataService.ListDatasets",
    "sportello.v1.OpendataService.GetDataset",
    "sportello.v1.OpendataService.ListVersions",
    "sportello.v1.OpendataService.GetVersion",
    "sportello.v1.OpendataService.ListProactivePublications",
    "sportello.v1.DispatchService.ListPublished",  // by publish_time: kClockBoundTtl
};

bool IsCacheableRpc(const Route& route) {
  const std::string& name = route.method->full_name();
  return std::find(kCacheableRpcs.begin(), kCacheableRpcs.end(), name) != kCacheableRpcs.end();
}

// /open311/v2/services.json, /open311/v2/services/<code>.xml: the service lists.
bool IsOpen311ServiceList(std::string_view path) {
  std::string_view rest = path.substr(open311::kBasePath.size());
  return rest.rfind("/services.", 0) == 0 || (rest.rfind("/services/", 0) == 0 &&
                                              rest.find('/', 10) == std::string_view::npos);
}

// A credential anywhere in the query: the answer may be the caller's own.
bool QueryHasCredential(std::string_view query) {
  for (std::string_view name : {"api_key", "token", "access_token", "key"}) {
    size_t at = 0;
    while ((at = query.find(name, at)) != std::string_view::npos) {
      bool starts = at == 0 || query[at - 1] == '&';
      bool ends = at + name.size() == query.size() || query[at + name.size()] == '=' ||
                  query[at + name.size()] == '&';
      if (starts && ends) return true;
      at += name.size();
    }
  }
  return false;
}

size_t SizeOf(const std::string& key, const HttpResponse& r) {
  size_t n = key.size() * 2 + r.body.size() + 128;  // the index holds the key too; list and map overhead
  for (const auto& [name, value] : r.headers.fields()) n += name.size() + value.size() + 32;
  return n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<EdgeScope> EdgeScopeOf(const RouteTable& routes, const HttpRequest& request) {
  const std::string_view target = request.target;
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  const bool get = request.method == "GET";
  if (request.method == "OPTIONS") return std::nullopt;

  EdgeScope scope;
  if (open311::Matches(path) || feeds::Matches(path) || dcat::Matches(path) || ckan::Matches(path) ||
      datasets::IsDownload(request.method, path)) {
    scope.tag = "*";
    scope.cacheable = get && !datasets::IsDownload(request.method, path) &&
                      (!open311::Matches(path) || IsOpen311ServiceList(path));
    if (feeds::Matches(path)) scope.ttl = kClockBoundTtl;
  } else {
    RouteMatch m = routes.Match(request.method, path);
    if (m.route == nullptr) return std::nullopt;
    scope.tag = m.route->upstream;
    scope.cacheable = get && !m.route->server_streaming && IsCacheableRpc(*m.route);
    if (m.route->method->name() == "ListPublished") scope.ttl = kClockBoundTtl;
  }
  if (get && !scope.cacheable) return std::nullopt;  // a read the cache does not hold
  if (scope.cacheable && (request.headers.Get("authorization") || request.headers.Get("cookie") ||
                          QueryHasCredential(query))) {
    return std::nullopt;  // never an answer given to a credential
  }
  return scope;
}

std::string CacheKey(const HttpRequest& request) {
  std::string key = request.target;
  key += '\n';
  key += request.headers.GetOr("accept");
  key += '\n';
  key += Lower(request.headers.GetOr("accept-language"));
  key += '\n';
  key += Lower(request.headers.GetOr("host"));
  return key;
}

EdgeCache::EdgeCache(EdgeCacheOptions options) : options_(options) {}

bool EdgeCache::Storable(const HttpResponse& r) {
  if (r.status != 200 || r.stream || r.headers.Get("set-cookie")) return false;
  std::string cc = Lower(r.headers.GetOr("cache-control"));
  return cc.find("private") == std::string::npos && cc.find("no-store") == std::string::npos;
}

bool WantsRefresh(const HttpRequest& request) {
  return Lower(request.headers.GetOr("cache-control")).find("no-cache") != std::string::npos ||
         Lower(request.headers.GetOr("pragma")).find("no-cache") != std::string::npos;
}

EdgeCache::Found EdgeCache::Find(const std::string& key, bool refresh) {
  Found out;
  if (!refresh && pending_ && pending_()) refresh = true;
  std::lock_guard lock(mu_);
  if (!live_) {
    bypasses_.fetch_add(1, std::memory_order_relaxed);
    return out;
  }
  out.generation = generation_;
  auto it = refresh ? index_.end() : index_.find(key);
  if (it != index_.end() && it->second->expires <= std::chrono::steady_clock::now()) {
    EraseLocked(it->second);
    it = index_.end();
  }
  if (it == index_.end()) {
    out.outcome = Outcome::kMiss;
    misses_.fetch_add(1, std::memory_order_relaxed);
    return out;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  out.outcome = Outcome::kHit;
  out.response = it->second->response;
  hits_.fetch_add(1, std::memory_order_relaxed);
  return out;
}

bool EdgeCache::Store(const std::string& key, const std::string& tag, uint64_t generation,
                      const HttpResponse& response, std::chrono::milliseconds ttl) {
  ttl = ttl.count() > 0 ? std::min(ttl, options_.ttl) : options_.ttl;
  if (!Storable(response)) return false;
  const size_t bytes = SizeOf(key, response);
  if (bytes > options_.max_bytes / 8) return false;  // one answer never crowds out the rest
  auto copy = std::make_shared<HttpResponse>();
  copy->status = response.status;
  copy->body = response.body;
  for (const auto& [name, value] : response.headers.fields()) {
    // Per request: the id is the new request's, CORS and Vary are added by the server.
    if (Lower(name) == "x-request-id") continue;
    copy->headers.Add(name, value);
  }
  if (!copy->headers.Get("etag")) {
    HttpRequest get;
    get.method = "GET";
    ApplyConditionalGet(get, *copy);  // a strong ETag of the body, for 304s from the cache
  }
  std::lock_guard lock(mu_);
  // A drop since the Find: this answer may predate the write. Not stored.
  if (!live_ || generation != generation_) return false;
  if (auto it = index_.find(key); it != index_.end()) EraseLocked(it->second);
  lru_.push_front(Entry{key, tag, std::move(copy), bytes, std::chrono::steady_clock::now() + ttl});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  while (bytes_ > options_.max_bytes && !lru_.empty()) {
    EraseLocked(std::prev(lru_.end()));
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  stored_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void EdgeCache::EraseLocked(List::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

void EdgeCache::Drop(const std::string& tag) {
  std::lock_guard lock(mu_);
  ++generation_;
  drops_.fetch_add(1, std::memory_order_relaxed);
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto next = std::next(it);
    if (tag == "*" || it->tag == tag || it->tag == "*") EraseLocked(it);
    it = next;
  }
}

void EdgeCache::SetLive(bool live) {
  std::lock_guard lock(mu_);
  ++generation_;
  live_ = live;
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

bool EdgeCache::live() const {
  std::lock_guard lock(mu_);
  return live_;
}

EdgeCache::Stats EdgeCache::stats() const {
  Stats s;
  s.hits = hits_.load();
  s.misses = misses_.load();
  s.bypasses = bypasses_.load();
  s.stored = stored_.load();
  s.drops = drops_.load();
  s.evictions = evictions_.load();
  std::lock_guard lock(mu_);
  s.entries = index_.size();
  s.bytes = bytes_;
  s.live = live_;
  return s;
}

std::string EdgeCache::RenderMetrics() const {
  Stats s = stats();
  const uint64_t lookups = s.hits + s.misses + s.bypasses;
  const double ratio = lookups == 0 ? 0 : static_cast<double>(s.hits) / static_cast<double>(lookups);
  std::string out;
  auto counter = [&](const char* name, const char* help, uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(v) + "\n";
  };
  auto gauge = [&](const char* name, const char* help, const std::string& v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + v + "\n";
  };
  counter("sportello_gateway_cache_hits_total", "cacheable GETs answered from the edge cache", s.hits);
  counter("sportello_gateway_cache_misses_total", "cacheable GETs passed to the service, then stored", s.misses);
  counter("sportello_gateway_cache_bypasses_total",
          "cacheable GETs passed on while the cache was not live (no change announcements)", s.bypasses);
  counter("sportello_gateway_cache_drops_total", "drops after a write or a change announcement", s.drops);
  counter("sportello_gateway_cache_evictions_total", "entries evicted for space", s.evictions);
  gauge("sportello_gateway_cache_hit_ratio", "hits over all cacheable GETs since the start", std::to_string(ratio));
  gauge("sportello_gateway_cache_entries", "entries held", std::to_string(s.entries));
  gauge("sportello_gateway_cache_bytes", "bytes held (approximate)", std::to_string(s.bytes));
  gauge("sportello_gateway_cache_live", "1 while subscribed to change announcements", s.live ? "1" : "0");
  return out;
}

}  // namespace sportello::gateway
