// The edge cache without a network: what it may hold, LRU within its budget,
// drops by service, the generation check against a read racing a write, and
// no serving while not live.
#include <catch2/catch.hpp>

#include "common/cache/changes.h"
#include "gateway/edge_cache.h"

using namespace sportello::gateway;

namespace {

HttpRequest Get(std::string target, Headers headers = {}) {
  HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  r.headers = std::move(headers);
  return r;
}

HttpResponse Ok(std::string body) {
  HttpResponse r;
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

const RouteTable& Routes() {
  static const RouteTable table = *RouteTable::FromGeneratedPool();
  return table;
}

}  // namespace

TEST_CASE("edge cache: only public anonymous GETs on the allow-list are cacheable", "[gateway][cache]") {
  auto card = EdgeScopeOf(Routes(), Get("/api/v1/services/00000000-0000-4000-9000-000000000001"));
  REQUIRE(card);
  CHECK(card->cacheable);
  CHECK(card->tag == "catalogue");
  auto search = EdgeScopeOf(Routes(), Get("/api/v1/search?tenant=c_f027&q=carta"));
  REQUIRE(search);
  CHECK(search->cacheable);
  // A token, a cookie or an api_key: never cached.
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/api/v1/search?q=x", {{"Authorization", "Bearer x"}})));
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/api/v1/search?q=x", {{"Cookie", "s=1"}})));
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/open311/v2/services.json?api_key=k")));
  // Public but personal or per caller: a request, a tracking token, an invitation.
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/api/v1/requests/00000000-0000-4000-9000-000000000001")));
  // Depends on the clock: not on the list.
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/api/v1/offices/x/availability")));
  // Open311: the service lists, not the requests.
  auto services = EdgeScopeOf(Routes(), Get("/open311/v2/services.json?jurisdiction_id=c_f027"));
  REQUIRE(services);
  CHECK(services->cacheable);
  CHECK(services->tag == "*");
  CHECK_FALSE(EdgeScopeOf(Routes(), Get("/open311/v2/requests.json?jurisdiction_id=c_f027")));
  // A write names what it drops.
  HttpRequest patch = Get("/api/v1/offices/abc");
  patch.method = "PATCH";
  auto write = EdgeScopeOf(Routes(), patch);
  REQUIRE(write);
  CHECK_FALSE(write->cacheable);
  CHECK(write->tag == "catalogue");
  HttpRequest post = Get("/open311/v2/requests.json");
  post.method = "POST";
  REQUIRE(EdgeScopeOf(Routes(), post));
  CHECK(EdgeScopeOf(Routes(), post)->tag == "*");
}

TEST_CASE("edge cache: the key follows Accept, Accept-Language and Host", "[gateway][cache]") {
  std::string plain = CacheKey(Get("/dcat/catalog"));
  CHECK(plain != CacheKey(Get("/dcat/catalog", {{"Accept", "text/turtle"}})));
  CHECK(plain != CacheKey(Get("/dcat/catalog", {{"Accept-Language", "en"}})));
  CHECK(plain != CacheKey(Get("/dcat/catalog", {{"Host", "example.it"}})));
  CHECK(plain != CacheKey(Get("/dcat/catalog?x=1")));
  CHECK(plain == CacheKey(Get("/dcat/catalog", {{"X-Request-Id", "abc"}})));
}

TEST_CASE("edge cache: serves nothing until live, and going live drops everything", "[gateway][cache]") {
  EdgeCache cache({});
  CHECK(cache.Find("k").outcome == EdgeCache::Outcome::kBypass);
  CHECK_FALSE(cache.Store("k", "catalogue", 0, Ok("{}")));
  cache.SetLive(true);
  auto miss = cache.Find("k");
  REQUIRE(miss.outcome == EdgeCache::Outcome::kMiss);
  REQUIRE(cache.Store("k", "catalogue", miss.generation, Ok(R"({"a":1})")));
  auto hit = cache.Find("k");
  REQUIRE(hit.outcome == EdgeCache::Outcome::kHit);
  CHECK(hit.response->body == R"({"a":1})");
  CHECK(hit.response->headers.Get("etag"));  // for 304s from the cache
  cache.SetLive(false);
  CHECK(cache.Find("k").outcome == EdgeCache::Outcome::kBypass);
  cache.SetLive(true);
  CHECK(cache.Find("k").outcome == EdgeCache::Outcome::kMiss);
  auto s = cache.stats();
  CHECK(s.hits == 1);
  CHECK(s.bypasses == 2);
  CHECK(cache.RenderMetrics().find("sportello_gateway_cache_hit_ratio") != std::string::npos);
}

TEST_CASE("edge cache: a drop removes its service and the compatibility layers, and stops racing stores",
          "[gateway][cache]") {
  EdgeCache cache({});
  cache.SetLive(true);
  auto put = [&](const std::string& key, const std::string& tag) {
    auto f = cache.Find(key);
    REQUIRE(cache.Store(key, tag, f.generation, Ok(key)));
  };
  put("cat", "catalogue");
  put("data", "opendata");
  put("feed", "*");
  auto racing = cache.Find("late");  // a read begun before the write
  cache.Drop("catalogue");
  CHECK(cache.Find("cat").outcome == EdgeCache::Outcome::kMiss);
  CHECK(cache.Find("feed").outcome == EdgeCache::Outcome::kMiss);
  CHECK(cache.Find("data").outcome == EdgeCache::Outcome::kHit);
  // Its answer may predate the write: not stored.
  CHECK_FALSE(cache.Store("late", "catalogue", racing.generation, Ok("old")));
  CHECK(cache.Find("late").outcome == EdgeCache::Outcome::kMiss);
}

TEST_CASE("edge cache: private, no-store, cookies, errors and streams are never stored", "[gateway][cache]") {
  EdgeCache cache({});
  cache.SetLive(true);
  HttpResponse priv = Ok("x");
  priv.headers.Set("Cache-Control", "private, max-age=60");
  HttpResponse nostore = Ok("x");
  nostore.headers.Set("Cache-Control", "no-store");
  HttpResponse cookie = Ok("x");
  cookie.headers.Set("Set-Cookie", "a=b");
  HttpResponse missing = Ok("x");
  missing.status = 404;
  for (const HttpResponse* r : {&priv, &nostore, &cookie, &missing}) {
    auto f = cache.Find("k");
    CHECK_FALSE(cache.Store("k", "catalogue", f.generation, *r));
  }
  CHECK(cache.stats().entries == 0);
}

TEST_CASE("edge cache: least recently used entries go first beyond the budget", "[gateway][cache]") {
  EdgeCache cache({.max_bytes = 64 << 10});
  cache.SetLive(true);
  const std::string body(4000, 'x');
  for (int i = 0; i < 40; ++i) {
    std::string key = "k" + std::to_string(i);
    auto f = cache.Find(key);
    cache.Store(key, "catalogue", f.generation, Ok(body));
    cache.Find("k0");  // kept warm
  }
  auto s = cache.stats();
  CHECK(s.bytes <= (64u << 10));
  CHECK(s.evictions > 0);
  CHECK(cache.Find("k0").outcome == EdgeCache::Outcome::kHit);
  CHECK(cache.Find("k1").outcome == EdgeCache::Outcome::kMiss);
  // An answer over an eighth of the budget is never stored.
  auto f = cache.Find("big");
  CHECK_FALSE(cache.Store("big", "catalogue", f.generation, Ok(std::string(10 << 10, 'y'))));
}

TEST_CASE("change announcements: encoded and decoded, anything else refused", "[gateway][cache]") {
  using sportello::cache::Change;
  using sportello::cache::DecodeChange;
  using sportello::cache::EncodeChange;
  std::string text = EncodeChange(Change{"catalogue", "c_f027", "UpdateOffice"});
  CHECK(text == "catalogue c_f027 UpdateOffice");
  auto back = DecodeChange(text);
  REQUIRE(back);
  CHECK(back->service == "catalogue");
  CHECK(back->tenant == "c_f027");
  CHECK(back->kind == "UpdateOffice");
  auto anonymous = DecodeChange(EncodeChange(Change{"complaints", "", "SubmitRequest"}));
  REQUIRE(anonymous);
  CHECK(anonymous->tenant.empty());
  for (const char* bad : {"", "catalogue", "a b", "a b c d", "- x y", "a  b"}) {
    INFO(bad);
    CHECK_FALSE(DecodeChange(bad));
  }
}
