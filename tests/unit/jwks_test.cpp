// Asymmetric bearer tokens: RS256 and ES256 verified against a JWKS file or
// one served over HTTP on loopback, with keys made here with OpenSSL, iss/aud checks, rotation by kid (with a
// rate-limited reload) and the refusals that matter: a key not in the set,
// alg confusion (HS256 signed with the public key), expired, wrong iss/aud.
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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

// A JWKS endpoint on 127.0.0.1 (an identity provider's
// /.well-known/jwks.json): answers every GET with the current document and
// status, one request per connection, and counts the requests.
class JwksServer {
 public:
  JwksServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~JwksServer() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    close(fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/.well-known/jwks.json"; }
  void Publish(std::initializer_list<Json> keys) {
    Json doc = {{"keys", Json::array()}};
    for (const auto& k : keys) doc["keys"].push_back(k);
    std::lock_guard lock(mu_);
    status_ = 200;
    body_ = doc.dump();
  }
  void Fail(int status) {
    std::lock_guard lock(mu_);
    status_ = status;
    body_ = "{}";
  }
  int Requests() const { return requests_; }

 private:
  void Serve() {
    for (;;) {
      int client = accept(fd_, nullptr, nullptr);
      if (client < 0) {
        if (stopping_) return;
        continue;
      }
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
        ssize_t n = read(client, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      std::string answer;
      {
        std::lock_guard lock(mu_);
        answer = "HTTP/1.1 " + std::to_string(status_) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
                 std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
      }
      if (request.rfind("GET /.well-known/jwks.json ", 0) == 0) ++requests_;
      for (size_t sent = 0; sent < answer.size();) {
        ssize_t n = write(client, answer.data() + sent, answer.size() - sent);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  int status_ = 404;
  std::string body_ = "{}";
  std::thread thread_;
};

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

TEST_CASE("a JWKS from an http URL: RS256 tokens, rotation by kid, outages keep the keys", "[jwks][url]") {
  Key first = NewRsa(), second = NewRsa(), stranger = NewRsa();
  JwksServer idp;
  idp.Publish({Jwk(first, "2026-01")});
  TokenVerifier verifier(Options(idp.Url()));

  auto who = verifier.Verify(Token(first, "RS256", "2026-01", Claims()));
  REQUIRE(who.ok());
  CHECK(who->subject == "RSSMRA80A01H501U");
  CHECK(who->tenant == "c_f027");
  CHECK(idp.Requests() == 1);
  CHECK(verifier.Verify(Token(first, "RS256", "2026-01", Claims())).ok());
  CHECK(idp.Requests() == 1);  // a known kid does not fetch again

  // The provider rotates: the new kid is fetched once, then both verify.
  idp.Publish({Jwk(first, "2026-01"), Jwk(second, "2026-02")});
  CHECK(verifier.Verify(Token(second, "RS256", "2026-02", Claims())).ok());
  CHECK(idp.Requests() == 2);
  CHECK(verifier.Verify(Token(first, "RS256", "2026-01", Claims())).ok());
  CHECK(idp.Requests() == 2);

  // A forged token under a known kid is refused without a fetch.
  CHECK(verifier.Verify(Token(stranger, "RS256", "2026-02", Claims())).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(idp.Requests() == 2);

  // The endpoint fails: the keys already loaded still serve, unknown kids are refused.
  idp.Fail(503);
  CHECK(verifier.Verify(Token(stranger, "RS256", "2026-03", Claims())).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(idp.Requests() == 3);
  CHECK(verifier.Verify(Token(second, "RS256", "2026-02", Claims())).ok());

  // The old key retired: once an unknown kid makes it reload, its tokens fail.
  idp.Publish({Jwk(second, "2026-02")});
  CHECK(verifier.Verify(Token(stranger, "RS256", "2026-03", Claims())).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(idp.Requests() == 4);
  CHECK(verifier.Verify(Token(first, "RS256", "2026-01", Claims())).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(verifier.Verify(Token(second, "RS256", "2026-02", Claims())).ok());
}

TEST_CASE("a JWKS URL that answers an error or nothing refuses tokens", "[jwks][url]") {
  Key key = NewRsa();
  std::string url;
  {
    JwksServer idp;
    idp.Fail(404);
    TokenVerifier verifier(Options(idp.Url()));
    CHECK(verifier.Verify(Token(key, "RS256", "k", Claims())).status().code() == absl::StatusCode::kUnauthenticated);
    CHECK(idp.Requests() >= 1);
    url = idp.Url();
  }
  TokenVerifier closed(Options(url));  // nobody listens there any more
  CHECK(closed.Verify(Token(key, "RS256", "k", Claims())).status().code() == absl::StatusCode::kUnauthenticated);
}

// Found by fuzz_jwt: cpp-jwt's base64 decoder indexes a std::array<signed
// char, 256> with a plain char, so a byte >= 0x80 in an HS256 token read
// before the table (UBSan: index out of bounds; with assertions on, an
// abort), and characters it does not know at the end of a part are skipped:
// a correctly signed token with "!" after its payload verified.
TEST_CASE("HS256 tokens with bytes outside base64url are refused before decoding", "[fuzz]") {
  const std::string secret = "dev-secret-dev-secret-dev-secret-0";
  TokenVerifier verifier(secret);
  const std::string header = B64(Json{{"alg", "HS256"}, {"typ", "JWT"}}.dump());
  auto signed_with = [&](const std::string& payload_part) {
    std::string data = header + "." + payload_part;
    return data + "." + B64(Hmac(secret, data));
  };
  const std::string payload = B64(Claims().dump());
  REQUIRE(verifier.Verify(signed_with(payload)).ok());
  const std::vector<std::string> junks = {"!", "*", "=", " ", "\x80", "\xff", "\xc3\xa8", std::string(1, '\0')};
  for (const std::string& junk : junks) {
    INFO(absl::CEscape(junk));
    CHECK(verifier.Verify(signed_with(payload + junk)).status().code() == absl::StatusCode::kUnauthenticated);
    CHECK(verifier.Verify(signed_with(junk + payload)).status().code() == absl::StatusCode::kUnauthenticated);
    CHECK(verifier.Verify(signed_with(payload) + junk).status().code() == absl::StatusCode::kUnauthenticated);
  }
  CHECK(verifier.Verify(signed_with(payload) + ".x").status().code() == absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace sportello::auth
