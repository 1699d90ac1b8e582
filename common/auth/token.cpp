#include "common/auth/token.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include <curl/curl.h>
#include <jwt/jwt.hpp>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/log.h"
#include "common/tenancy.h"

namespace sportello::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOperator: return "operator";
    case Role::kReferent: return "referent";
    case Role::kCommunication: return "communication";
    case Role::kAdmin: return "admin";
    case Role::kPartner: return "partner";
    case Role::kCommunicationManager: return "communication_manager";
  }
  return "";
}

bool Principal::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::IsStaffOf(std::string_view of_tenant, std::initializer_list<Role> allowed) const {
  if (!authenticated || tenant.empty() || tenant != of_tenant) return false;
  if (Has(Role::kAdmin)) return true;
  for (Role r : allowed) {
    if (Has(r)) return true;
  }
  return false;
}

absl::Status CheckStaffOf(const Principal& who, std::string_view tenant, std::initializer_list<Role> roles) {
  if (who.IsStaffOf(tenant, roles)) return absl::OkStatus();
  return absl::PermissionDeniedError("operazione riservata al personale dell'ente " + std::string(tenant));
}

namespace {

absl::StatusOr<Principal> PrincipalFromClaims(const nlohmann::json& claims) {
  if (!claims.is_object()) return absl::UnauthenticatedError("invalid token: malformed claims");
  if (!claims.contains("exp")) return absl::UnauthenticatedError("invalid token: no expiry");
  Principal p;
  p.authenticated = true;
  try {
    p.subject = claims.value("sub", "");
    p.tenant = claims.value("tenant", "");
    p.office = claims.value("office", "");
    if (claims.contains("roles")) {
      for (const auto& r : claims.at("roles")) p.roles.push_back(r.get<std::string>());
    }
  } catch (const std::exception&) {
    return absl::UnauthenticatedError("invalid token: malformed claims");
  }
  if (p.subject.empty() || p.tenant.empty()) {
    return absl::UnauthenticatedError("invalid token: sub and tenant are required");
  }
  auto tenant = CanonicalTenant(p.tenant);
  if (!tenant.ok()) return absl::UnauthenticatedError("invalid token: the tenant claim is not an IPA code");
  p.tenant = *std::move(tenant);
  return p;
}

// base64url without padding, as JWS spells it; anything else is refused.
std::optional<std::string> Base64Url(std::string_view in) {
  for (char c : in) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  }
  std::string out;
  if (!absl::WebSafeBase64Unescape(absl::string_view(in.data(), in.size()), &out)) return std::nullopt;
  return out;
}

std::optional<nlohmann::json> JsonPart(std::string_view part) {
  auto bytes = Base64Url(part);
  if (!bytes) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

struct Jwk {
  std::string kid;
  std::string alg;  // "RS256" or "ES256", from kty/crv (and `alg` when the key names one)
  PkeyPtr key;
};

PkeyPtr FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return PkeyPtr(pkey, EVP_PKEY_free);
}

std::optional<Jwk> ParseJwk(const nlohmann::json& k) {
  if (!k.is_object()) return std::nullopt;
  auto str = [&k](const char* name) {
    auto it = k.find(name);
    return it != k.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!str("use").empty() && str("use") != "sig") return std::nullopt;
  Jwk jwk;
  jwk.kid = str("kid");
  std::string kty = str("kty");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return std::nullopt;
  if (kty == "RSA") {
    jwk.alg = "RS256";
    auto n = Base64Url(str("n")), e = Base64Url(str("e"));
    if (n && e && !n->empty() && !e->empty()) {
      BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr);
      BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr);
      if (bn_n && bn_e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
          OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
        jwk.key = FromParams("RSA", bld);
      }
      BN_free(bn_n);
      BN_free(bn_e);
    }
    // Keys under 2048 bits can be factored: refuse them as the providers' guidance does.
    if (jwk.key && EVP_PKEY_get_bits(jwk.key.get()) < 2048) jwk.key.reset();
  } else if (kty == "EC" && str("crv") == "P-256") {
    jwk.alg = "ES256";
    auto x = Base64Url(str("x")), y = Base64Url(str("y"));
    if (x && y && x->size() == 32 && y->size() == 32) {
      std::string point = "\x04" + *x + *y;  // uncompressed point
      static char group[] = "prime256v1";
      if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
          OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1) {
        jwk.key = FromParams("EC", bld);
      }
    }
  }
  OSSL_PARAM_BLD_free(bld);
  if (!jwk.key) return std::nullopt;
  if (!str("alg").empty() && str("alg") != jwk.alg) return std::nullopt;
  return jwk;
}

absl::StatusOr<std::vector<Jwk>> ParseJwks(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return absl::InvalidArgumentError("the JWKS is not a JSON object with a \"keys\" array");
  }
  std::vector<Jwk> keys;
  for (const auto& k : doc["keys"]) {
    if (auto jwk = ParseJwk(k)) keys.push_back(*std::move(jwk));
  }
  if (keys.empty()) return absl::InvalidArgumentError("the JWKS has no RS256 (RSA >= 2048 bits) or ES256 (P-256) key");
  return keys;
}

size_t CollectBody(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * count > (1u << 20)) return 0;  // a JWKS is a few KB: stop at 1 MiB
  body->append(data, size * count);
  return size * count;
}

absl::StatusOr<std::string> FetchJwks(const std::string& source) {
  if (absl::StartsWith(source, "https://") || absl::StartsWith(source, "http://")) {
    CURL* curl = curl_easy_init();
    if (!curl) return absl::UnavailableError("cannot start an HTTP client");
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, source.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return absl::UnavailableError(std::string("JWKS fetch failed: ") + curl_easy_strerror(rc));
    if (status != 200) return absl::UnavailableError("JWKS fetch answered HTTP " + std::to_string(status));
    return body;
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) return absl::UnavailableError("cannot read the JWKS file " + source);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// JWS ES256 signatures are r||s, 32 bytes each; OpenSSL verifies DER.
std::optional<std::string> EcdsaDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(p, 32, nullptr);
  BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool VerifySha256(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

constexpr int64_t kLeewaySeconds = 30;

}  // namespace

struct TokenVerifier::KeySet {
  std::mutex mu;
  std::vector<Jwk> keys;
  bool loaded = false;
  bool loading = false;
  absl::Time last_attempt = absl::InfinitePast();
};

TokenVerifier::TokenVerifier(std::string hs256_secret)
    : TokenVerifier([&] {
        VerifierOptions o;
        o.hs256_secret = std::move(hs256_secret);
        return o;
      }()) {}

TokenVerifier::TokenVerifier(VerifierOptions options)
    : options_(std::move(options)), keys_(std::make_unique<KeySet>()) {}

TokenVerifier::~TokenVerifier() = default;

absl::Status CheckJwks(std::string_view json) { return ParseJwks(json).status(); }

absl::StatusOr<Principal> TokenVerifier::Verify(std::string_view token) const {
  // A JWS in compact form is three base64url parts joined by dots, nothing
  // else. Checked before any decoding: cpp-jwt's base64 decoder indexes its
  // table with a plain (signed) char, so a byte >= 0x80 read before the table
  // (found by fuzz_jwt), and it skips trailing characters it does not know.
  if (std::count(token.begin(), token.end(), '.') != 2 ||
      !std::all_of(token.begin(), token.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      })) {
    return absl::UnauthenticatedError("invalid token: malformed");
  }
  // The header decides the algorithm and the key; read it without trusting it.
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return absl::UnauthenticatedError("invalid token: malformed");
  auto header = JsonPart(token.substr(0, dot));
  if (!header) return absl::UnauthenticatedError("invalid token: malformed");
  auto alg_it = header->find("alg");
  if (alg_it == header->end() || !alg_it->is_string()) return absl::UnauthenticatedError("invalid token: no algorithm");
  std::string alg = alg_it->get<std::string>();
  if (alg == "HS256") {
    if (options_.hs256_secret.empty()) {
      return absl::UnauthenticatedError("invalid token: HS256 tokens are not accepted here");
    }
    return VerifyHs256(token);
  }
  if (alg == "RS256" || alg == "ES256") {
    if (options_.jwks.empty()) return absl::UnauthenticatedError("invalid token: no keys for " + alg);
    auto kid_it = header->find("kid");
    std::string kid = kid_it != header->end() && kid_it->is_string() ? kid_it->get<std::string>() : "";
    return VerifyWithJwks(token, alg, kid);
  }
  return absl::UnauthenticatedError("invalid token: unsupported algorithm");
}

absl::StatusOr<Principal> TokenVerifier::VerifyWithJwks(std::string_view token, const std::string& alg,
                                                        const std::string& kid) const {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) return absl::UnauthenticatedError("invalid token: malformed");
  auto payload = JsonPart(parts[1]);
  auto signature = Base64Url(parts[2]);
  if (!payload || !signature) return absl::UnauthenticatedError("invalid token: malformed");

  // The keys that may have signed it: same kid (when the token names one), same algorithm.
  auto candidates = [&] {
    std::vector<PkeyPtr> out;
    std::lock_guard lock(keys_->mu);
    for (const Jwk& k : keys_->keys) {
      if (k.alg == alg && (kid.empty() || k.kid == kid)) out.push_back(k.key);
    }
    return out;
  };
  auto reload = [&](bool only_first) {
    {
      std::lock_guard lock(keys_->mu);
      if (keys_->loading || (only_first && keys_->loaded)) return;
      if (keys_->loaded && absl::Now() - keys_->last_attempt < options_.reload_interval) return;
      keys_->loading = true;
      keys_->last_attempt = absl::Now();
    }
    // Fetched outside the lock: other calls go on with the keys they have.
    absl::StatusOr<std::vector<Jwk>> keys = absl::UnavailableError("not loaded");
    auto text = FetchJwks(options_.jwks);
    keys = text.ok() ? ParseJwks(*text) : text.status();
    std::lock_guard lock(keys_->mu);
    keys_->loading = false;
    keys_->loaded = true;
    if (keys.ok()) {
      keys_->keys = *std::move(keys);
      log::Info("JWKS loaded", {{"source", options_.jwks}, {"keys", static_cast<long long>(keys_->keys.size())}});
    } else {
      log::Warn("JWKS not loaded", {{"source", options_.jwks}, {"error", keys.status().ToString()}});
    }
  };
  reload(/*only_first=*/true);
  std::vector<PkeyPtr> keys = candidates();
  if (keys.empty()) {
    reload(/*only_first=*/false);  // rotated? at most once per reload_interval
    keys = candidates();
  }
  if (keys.empty()) return absl::UnauthenticatedError("invalid token: unknown signing key");

  std::string signed_part(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  std::string sig = *signature;
  if (alg == "ES256") {
    auto der = EcdsaDer(sig);
    if (!der) return absl::UnauthenticatedError("invalid token: bad signature");
    sig = *std::move(der);
  }
  bool verified = false;
  for (const auto& key : keys) verified = verified || VerifySha256(key.get(), signed_part, sig);
  if (!verified) return absl::UnauthenticatedError("invalid token: bad signature");

  const nlohmann::json& claims = *payload;
  int64_t now = absl::ToUnixSeconds(absl::Now());
  auto number = [&claims](const char* name) -> std::optional<int64_t> {
    auto it = claims.find(name);
    if (it == claims.end() || !it->is_number()) return std::nullopt;
    return it->get<int64_t>();
  };
  auto exp = number("exp");
  if (!exp) return absl::UnauthenticatedError("invalid token: no expiry");
  if (*exp + kLeewaySeconds < now) return absl::UnauthenticatedError("invalid token: expired");
  if (auto nbf = number("nbf"); nbf && *nbf - kLeewaySeconds > now) {
    return absl::UnauthenticatedError("invalid token: not yet valid");
  }
  if (!options_.issuer.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != options_.issuer) {
      return absl::UnauthenticatedError("invalid token: wrong issuer");
    }
  }
  if (!options_.audience.empty()) {
    auto aud = claims.find("aud");
    bool match = false;
    if (aud != claims.end() && aud->is_string()) match = aud->get<std::string>() == options_.audience;
    if (aud != claims.end() && aud->is_array()) {
      for (const auto& a : *aud) match = match || (a.is_string() && a.get<std::string>() == options_.audience);
    }
    if (!match) return absl::UnauthenticatedError("invalid token: wrong audience");
  }
  return PrincipalFromClaims(claims);
}

absl::StatusOr<Principal> TokenVerifier::VerifyHs256(std::string_view token) const {
  using namespace jwt::params;
  std::error_code ec;
  // cpp-jwt throws, despite the error-code overload, on a header or payload
  // that is JSON of the wrong shape ({"alg":1}): any of that is a bad token.
  std::optional<jwt::jwt_object> decoded;
  try {
    decoded.emplace(jwt::decode(jwt::string_view(token.data(), token.size()), algorithms({"HS256"}), ec,
                                secret(options_.hs256_secret), verify(true), leeway(kLeewaySeconds)));
  } catch (const std::exception&) {
    return absl::UnauthenticatedError("invalid token: malformed");
  }
  if (ec) return absl::UnauthenticatedError("invalid token: " + ec.message());
  return PrincipalFromClaims(decoded->payload().create_json_obj());
}

std::string MintToken(std::string_view hs256_secret, const Principal& who, absl::Duration ttl) {
  using namespace jwt::params;
  jwt::jwt_object obj{algorithm("HS256"), secret(std::string(hs256_secret))};
  obj.add_claim("sub", who.subject);
  obj.add_claim("tenant", who.tenant);
  obj.add_claim("roles", who.roles);
  if (!who.office.empty()) obj.add_claim("office", who.office);
  obj.add_claim("iat", std::chrono::system_clock::now());
  obj.add_claim("exp", std::chrono::system_clock::now() + absl::ToChronoSeconds(ttl));
  return obj.signature();
}

}  // namespace sportello::auth
