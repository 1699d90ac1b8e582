// Asymmetric bearer tokens: RS256 and ES256 verified against a JWKS file,
// with keys made here with OpenSSL, iss/aud checks, rotation by kid (with a
// rate-limited reload) and the refusals that matter: a key not in the set,
// alg confusion (HS256 signed with the public key), expired, wrong iss/aud.
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <memory>

#include "absl/strings/escaping.h"
#include "common/auth/token.h"
#include "nlohmann/json.hpp"

namespace sportello::auth {
namespace {

using Json = nlohmann::json;
using Key = std::shared_ptr<EVP_PKEY>;

std::string B64(std::string_view bytes) { return absl::WebSafeBase64Escape(absl::string_view(bytes.data(), bytes.size())); }

Key NewRsa() { return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}), EVP_PKEY_free); }
Key NewEc() { return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free); }

std::string Bn(EVP_PKEY* key, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
  std::string out(pad ? pad : BN_num_bytes(bn), '\0');
  if (pad) {
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), pad);
  } else {
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  }
  BN_free(bn);
  return out;
}

Json Jwk(const Key& key, const std::string& kid) {
  if (EVP_PKEY_is_a(key.get(), "RSA")) {
    return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
            {"n", B64(Bn(key.get(), OSSL_PKEY_PARAM_RSA_N))}, {"e", B64(Bn(key.get(), OSSL_PKEY_PARAM_RSA_E))}};
  }
  return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"},
          {"x", B64(Bn(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))}, {"y", B64(Bn(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

std::string Sign(const Key& key, std::string_view data) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 0;
  REQUIRE(EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key.get()) == 1);
  REQUIRE(EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1);
  std::string sig(len, '\0');
  REQUIRE(EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                         reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1);
  sig.resize(len);
  EVP_MD_CTX_free(md);
  if (EVP_PKEY_is_a(key.get(), "EC")) {  // DER -> JWS r||s
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }
  return sig;
}

std::string Hmac(std::string_view secret, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                    reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out, &len));
  return std::string(reinterpret_cast<char*>(out), len);
}

constexpr const char* kIssuer = "https://idp.example.it";
constexpr const char* kAudience = "sportello";

Json Claims(int64_t exp_in = 600) {
  int64_t now = time(nullptr);
  return {{"sub", "RSSMRA80A01H501U"}, {"tenant", "c_f027"}, {"roles", {"operator"}},
          {"iss", kIssuer},            {"aud", {"other", kAudience}}, {"iat", now}, {"exp", now + exp_in}};
}

std::string Token(const Key& key, const std::string& alg, const std::string& kid, const Json& claims) {
  Json header = {{"alg", alg}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = kid;
  std::string data = B64(header.dump()) + "." + B64(claims.dump());
  return data + "." + B64(Sign(key, data));
}

struct JwksFile {
  JwksFile() {
    char tmpl[] = "/tmp/sportello-jwks-test.XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    path = tmpl;
  }
  ~JwksFile() { unlink(path.c_str()); }
  void Write(std::initializer_list<Json> keys) {
    Json doc = {{"keys", Json::array()}};
    for (const auto& k : keys) doc["keys"].push_back(k);
    std::ofstream(path, std::ios::trunc) << doc.dump();
  }
  std::string path;
};

VerifierOptions Options(const std::string& jwks, std::string secret = "") {
  return {.hs256_secret = std::move(secret), .jwks = jwks, .issuer = kIssuer, .audience = kAudience,
          .reload_interval = absl::ZeroDuration()};
}

std::string PublicPem(const Key& key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  return pem;
}

TEST_CASE("RS256 and ES256 tokens verify against the JWKS, claims as with HS256") {
  Key rsa = NewRsa(), ec = NewEc();
  JwksFile jwks;
  jwks.Write({Jwk(rsa, "rsa-1"), Jwk(ec, "ec-1")});
  TokenVerifier verifier(Options(jwks.path));
  for (auto [key, alg, kid] : {std::tuple{rsa, "RS256", "rsa-1"}, std::tuple{ec, "ES256", "ec-1"}}) {
    auto p = verifier.Verify(Token(key, alg, kid, Claims()));
    INFO(alg << ": " << p.status());
    REQUIRE(p.ok());
    CHECK(p->tenant == "c_f027");
    CHECK(p->subject == "RSSMRA80A01H501U");
    CHECK(p->Has(Role::kOperator));
  }
  CHECK(CheckJwks(R"({"keys":[]})").code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("JWKS tokens are refused when anything is wrong") {
  Key rsa = NewRsa(), ec = NewEc(), stranger = NewRsa();
  JwksFile jwks;
  jwks.Write({Jwk(rsa, "rsa-1"), Jwk(ec, "ec-1")});
  TokenVerifier verifier(Options(jwks.path));
  auto refused = [&](const std::string& token) {
    auto p = verifier.Verify(token);
    INFO(p.status());
    return p.status().code() == absl::StatusCode::kUnauthenticated;
  };
  SECTION("signed by a key not in the set, under a known kid and under an unknown one") {
    CHECK(refused(Token(stranger, "RS256", "rsa-1", Claims())));
    CHECK(refused(Token(stranger, "RS256", "rsa-9", Claims())));
    CHECK(refused(Token(stranger, "RS256", "", Claims())));
  }
  SECTION("alg confusion: HS256 with the public key as secret") {
    Json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "rsa-1"}};
    std::string data = B64(header.dump()) + "." + B64(Claims().dump());
    for (const std::string& secret : {PublicPem(rsa), Bn(rsa.get(), OSSL_PKEY_PARAM_RSA_N)}) {
      CHECK(refused(data + "." + B64(Hmac(secret, data))));
    }
    // ... also where HS256 is accepted (development): only its own secret verifies.
    TokenVerifier dev(Options(jwks.path, "dev-secret-dev-secret-dev-secret-0"));
    CHECK(dev.Verify(data + "." + B64(Hmac(PublicPem(rsa), data))).status().code() ==
          absl::StatusCode::kUnauthenticated);
    CHECK(dev.Verify(data + "." + B64(Hmac("dev-secret-dev-secret-dev-secret-0", data))).ok());
  }
  SECTION("the other asymmetric algorithm under a key's kid") {
    CHECK(refused(Token(ec, "RS256", "ec-1", Claims())));  // an ES key used as RS256 is no key
    CHECK(refused(Token(rsa, "ES256", "rsa-1", Claims())));
  }
  SECTION("none, and unknown algorithms") {
    Json header = {{"alg", "none"}};
    CHECK(refused(B64(header.dump()) + "." + B64(Claims().dump()) + "."));
    CHECK(refused(Token(rsa, "RS512", "rsa-1", Claims())));
  }
  SECTION("expired, not yet valid, no expiry") {
    CHECK(refused(Token(ec, "ES256", "ec-1", Claims(-120))));
    Json early = Claims();
    early["nbf"] = time(nullptr) + 3600;
    CHECK(refused(Token(ec, "ES256", "ec-1", early)));
    Json forever = Claims();
    forever.erase("exp");
    CHECK(refused(Token(ec, "ES256", "ec-1", forever)));
  }
  SECTION("wrong issuer or audience, or none") {
    for (const char* field : {"iss", "aud"}) {
      Json wrong = Claims();
      wrong[field] = "https://elsewhere.example";
      CHECK(refused(Token(rsa, "RS256", "rsa-1", wrong)));
      Json missing = Claims();
      missing.erase(field);
      CHECK(refused(Token(rsa, "RS256", "rsa-1", missing)));
    }
    Json single = Claims();
    single["aud"] = kAudience;  // a string is fine too
    CHECK(verifier.Verify(Token(rsa, "RS256", "rsa-1", single)).ok());
  }
  SECTION("a tampered payload") {
    std::string token = Token(rsa, "RS256", "rsa-1", Claims());
    Json other = Claims();
    other["tenant"] = "c_a001";
    size_t first = token.find('.'), second = token.rfind('.');
    CHECK(refused(token.substr(0, first + 1) + B64(other.dump()) + token.substr(second)));
  }
}

TEST_CASE("without a JWKS, or in production with one, HS256 rules as before") {
  Key rsa = NewRsa();
  TokenVerifier hs_only("an-hs256-secret-of-32-characters-at-least");
  CHECK(hs_only.Verify(Token(rsa, "RS256", "k", Claims())).status().code() == absl::StatusCode::kUnauthenticated);
  Principal who{"x", "c_f027", {"operator"}, "", true};
  CHECK(hs_only.Verify(MintToken("an-hs256-secret-of-32-characters-at-least", who, absl::Minutes(1))).ok());
  JwksFile jwks;
  jwks.Write({Jwk(rsa, "k")});
  TokenVerifier production(Options(jwks.path));  // ReadTokenConfig gives no secret there
  CHECK(production.Verify(MintToken("an-hs256-secret-of-32-characters-at-least", who, absl::Minutes(1)))
            .status()
            .code() == absl::StatusCode::kUnauthenticated);
}

TEST_CASE("a new kid reloads the JWKS (rotation), at most once per interval") {
  Key old_key = NewEc(), new_key = NewEc(), third = NewEc();
  JwksFile jwks;
  jwks.Write({Jwk(old_key, "2026-01")});
  SECTION("rotation") {
    TokenVerifier verifier(Options(jwks.path));
    REQUIRE(verifier.Verify(Token(old_key, "ES256", "2026-01", Claims())).ok());
    jwks.Write({Jwk(old_key, "2026-01"), Jwk(new_key, "2026-02")});
    CHECK(verifier.Verify(Token(new_key, "ES256", "2026-02", Claims())).ok());
    jwks.Write({Jwk(new_key, "2026-02")});  // the old key retired
    CHECK(verifier.Verify(Token(third, "ES256", "2026-03", Claims())).status().code() ==
          absl::StatusCode::kUnauthenticated);  // reloads, still unknown
    CHECK(verifier.Verify(Token(old_key, "ES256", "2026-01", Claims())).status().code() ==
          absl::StatusCode::kUnauthenticated);
  }
  SECTION("rate limit: unknown kids do not reload before the interval") {
    VerifierOptions o = Options(jwks.path);
    o.reload_interval = absl::Hours(1);
    TokenVerifier verifier(o);
    REQUIRE(verifier.Verify(Token(old_key, "ES256", "2026-01", Claims())).ok());
    jwks.Write({Jwk(old_key, "2026-01"), Jwk(new_key, "2026-02")});
    CHECK(verifier.Verify(Token(new_key, "ES256", "2026-02", Claims())).status().code() ==
          absl::StatusCode::kUnauthenticated);
  }
  SECTION("an unreadable JWKS refuses tokens") {
    TokenVerifier verifier(Options(jwks.path + ".missing"));
    CHECK(verifier.Verify(Token(old_key, "ES256", "2026-01", Claims())).status().code() ==
          absl::StatusCode::kUnauthenticated);
  }
}

}  // namespace
}  // namespace sportello::auth
