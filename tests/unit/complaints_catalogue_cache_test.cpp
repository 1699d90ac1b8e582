// The complaints service's cache of the catalogue (catalogue_cache.h), in
// front of a counting stand-in of the catalogue, on a ManualClock: what it
// keeps, what an announcement drops, the short lifetime without the
// channel, and a lookup racing an announcement.
#include "services/complaints/catalogue_cache.h"

#include <catch2/catch.hpp>

#include "common/grpc/rpc.h"

using namespace sportello;
using namespace sportello::complaints;

namespace {

class CountingCatalogue final : public Catalogue {
 public:
  absl::StatusOr<CategoryDefinition> GetCategory(const Caller&, const std::string& tenant,
                                                 const std::string& code) override {
    ++category_calls;
    if (during_fetch) during_fetch();
    if (!failure.ok()) return failure;
    if (code != "buche") return absl::NotFoundError("categoria sconosciuta");
    return CategoryDefinition{code, name, "ufficio-" + tenant, 0, {}};
  }
  absl::StatusOr<TenantInfo> GetTenant(const Caller&, const std::string& code) override {
    ++tenant_calls;
    if (!failure.ok()) return failure;
    return TenantInfo{code, "Comune di prova", ""};
  }
  absl::StatusOr<std::string> OfficeTenant(const Caller&, const std::string&) override {
    ++office_calls;
    return std::string("c_f027");
  }

  int category_calls = 0, tenant_calls = 0, office_calls = 0;
  std::string name = "Buche stradali";
  absl::Status failure;
  std::function<void()> during_fetch;
};

}  // namespace

TEST_CASE("complaints catalogue cache: kept until the catalogue announces a change", "[complaints][unit]") {
  CountingCatalogue upstream;
  ManualClock clock(absl::Now());
  CachedCatalogue cache(upstream, clock, {});
  Caller caller;
  cache.SetLive(true);

  REQUIRE(cache.GetCategory(caller, "c_f027", "buche")->name == "Buche stradali");
  REQUIRE(cache.GetCategory(caller, "c_f027", "buche")->name == "Buche stradali");
  CHECK(upstream.category_calls == 1);
  CHECK(cache.GetTenant(caller, "c_f027")->name == "Comune di prova");
  CHECK(cache.GetTenant(caller, "c_f027").ok());
  CHECK(upstream.tenant_calls == 1);
  // Another tenant's category is another entry.
  CHECK(cache.GetCategory(caller, "c_a662", "buche")->office_id == "ufficio-c_a662");
  CHECK(upstream.category_calls == 2);

  SECTION("another service's announcement changes nothing here") {
    cache.OnChange({"complaints", "c_f027", "SubmitRequest"});
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
  }
  SECTION("the catalogue's announcement drops everything: the next read sees the change") {
    upstream.name = "Buche e avvallamenti";
    cache.OnChange({"catalogue", "c_a662", "UpdateService"});
    CHECK(cache.GetCategory(caller, "c_f027", "buche")->name == "Buche e avvallamenti");
    CHECK(cache.GetTenant(caller, "c_f027").ok());
    CHECK(upstream.category_calls == 3);
    CHECK(upstream.tenant_calls == 2);
  }
  SECTION("even while subscribed an entry lives at most live_ttl") {
    clock.Advance(absl::Seconds(59));
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
    clock.Advance(absl::Seconds(2));
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 3);
  }
  SECTION("an announcement that may be waiting on the wire is not overtaken by a hit") {
    bool pending = true;
    cache.SetPendingCheck([&] { return pending; });
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 3);
    pending = false;
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 3);
  }
  SECTION("subscribing again after a gap drops everything") {
    cache.SetLive(false);
    cache.SetLive(true);
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 3);
  }
}

TEST_CASE("complaints catalogue cache: without the channel entries live fallback_ttl", "[complaints][unit]") {
  CountingCatalogue upstream;
  ManualClock clock(absl::Now());
  CachedCatalogue cache(upstream, clock, {.live_ttl = absl::Seconds(60), .fallback_ttl = absl::Seconds(5)});
  Caller caller;
  CHECK_FALSE(cache.live());  // nothing subscribed it

  CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
  clock.Advance(absl::Seconds(4));
  CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
  CHECK(upstream.category_calls == 1);
  clock.Advance(absl::Seconds(2));
  CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
  CHECK(upstream.category_calls == 2);

  SECTION("losing the channel shortens what was kept while live") {
    cache.SetLive(true);
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());  // fetched again on subscribing
    CHECK(upstream.category_calls == 3);
    clock.Advance(absl::Seconds(10));
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 3);
    cache.SetLive(false);
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 4);
  }
}

TEST_CASE("complaints catalogue cache: what is kept and what is not", "[complaints][unit]") {
  CountingCatalogue upstream;
  ManualClock clock(absl::Now());
  CachedCatalogue cache(upstream, clock, {});
  Caller caller;
  cache.SetLive(true);

  SECTION("an unknown category is an answer too: NOT_FOUND is kept") {
    CHECK(absl::IsNotFound(cache.GetCategory(caller, "c_f027", "draghi").status()));
    CHECK(absl::IsNotFound(cache.GetCategory(caller, "c_f027", "draghi").status()));
    CHECK(upstream.category_calls == 1);
  }
  SECTION("an unreachable catalogue is not an answer: nothing is kept") {
    upstream.failure = absl::UnavailableError("il catalogo non risponde");
    CHECK(absl::IsUnavailable(cache.GetCategory(caller, "c_f027", "buche").status()));
    upstream.failure = absl::OkStatus();
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
  }
  SECTION("a lookup racing an announcement does not keep what it read") {
    upstream.during_fetch = [&] { cache.OnChange({"catalogue", "c_f027", "UpdateService"}); };
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    upstream.during_fetch = nullptr;
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
    CHECK(cache.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
  }
  SECTION("a zero live_ttl keeps nothing; offices are always asked") {
    CachedCatalogue off(upstream, clock, {.live_ttl = absl::ZeroDuration()});
    off.SetLive(true);
    CHECK(off.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(off.GetCategory(caller, "c_f027", "buche").ok());
    CHECK(upstream.category_calls == 2);
    CHECK(cache.OfficeTenant(caller, "x").ok());
    CHECK(cache.OfficeTenant(caller, "x").ok());
    CHECK(upstream.office_calls == 2);
  }
}
