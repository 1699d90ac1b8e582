#include "services/dispatch/secrets.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sportello::dispatch {
namespace {

absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Hmac256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

constexpr size_t kNonce = 12;
constexpr size_t kTag = 16;

}  // namespace

std::string Base64(std::string_view bytes) { return absl::Base64Escape(A(bytes)); }

absl::StatusOr<std::string> Unbase64(std::string_view text) {
  std::string out;
  if (!absl::Base64Unescape(A(text), &out)) return absl::InvalidArgumentError("base64 non valido");
  return out;
}

std::string WebhookKey(std::string_view secret) {
  if (secret.starts_with("whsec_")) {
    std::string key;
    if (absl::Base64Unescape(A(secret.substr(6)), &key)) return key;
  }
  return std::string(secret);
}

std::string StandardWebhookSignature(std::string_view secret, std::string_view id, std::string_view timestamp,
                                     std::string_view body) {
  return absl::StrCat("v1,", Base64(Hmac256(WebhookKey(secret), absl::StrCat(A(id), ".", A(timestamp), ".", A(body)))));
}

std::string HubSignature256(std::string_view secret, std::string_view body) {
  return absl::StrCat("sha256=", absl::BytesToHexString(Hmac256(WebhookKey(secret), body)));
}

Keyring::Keyring(std::map<std::string, std::string> keys, std::string current)
    : keys_(std::move(keys)), current_(std::move(current)) {}

absl::StatusOr<Keyring> Keyring::Parse(std::string_view spec, std::string current) {
  std::map<std::string, std::string> keys;
  for (absl::string_view entry : absl::StrSplit(A(spec), ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[0].find('.') != absl::string_view::npos) {
      return absl::InvalidArgumentError("credential keys: expected id:<base64 of 32 bytes>,...");
    }
    std::string key;
    if (!absl::Base64Unescape(parts[1], &key) || key.size() != 32) {
      return absl::InvalidArgumentError(absl::StrCat("credential key ", parts[0], ": not 32 bytes in base64"));
    }
    keys[std::string(parts[0])] = std::move(key);
  }
  if (!keys.empty() && current.empty()) current = keys.rbegin()->first;
  if (!keys.empty() && !keys.count(current)) {
    return absl::InvalidArgumentError(absl::StrCat("credential key id ", current, " is not among the keys"));
  }
  return Keyring(std::move(keys), std::move(current));
}

absl::StatusOr<std::string> Keyring::Seal(std::string_view plaintext) const {
  auto key = keys_.find(current_);
  if (key == keys_.end()) return absl::FailedPreconditionError("nessuna chiave per cifrare le credenziali");
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(nonce, kNonce) != 1) return absl::InternalError("RAND_bytes failed");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  auto* k = reinterpret_cast<const unsigned char*>(key->second.data());
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, k, nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(current_.data()),
                              static_cast<int>(current_.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nonce + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), nonce + kNonce + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, nonce + kNonce + plaintext.size()) == 1;
  if (!ok) return absl::InternalError("AES-256-GCM encryption failed");
  return absl::StrCat("v1.", current_, ".", Base64(out));
}

absl::StatusOr<std::string> Keyring::Open(std::string_view sealed) const {
  std::vector<absl::string_view> parts = absl::StrSplit(A(sealed), absl::MaxSplits('.', 2));
  if (parts.size() != 3 || parts[0] != "v1") return absl::InvalidArgumentError("credenziale cifrata non riconosciuta");
  auto key = keys_.find(std::string(parts[1]));
  if (key == keys_.end()) return absl::FailedPreconditionError(absl::StrCat("chiave ", parts[1], " non disponibile"));
  std::string raw;
  if (!absl::Base64Unescape(parts[2], &raw) || raw.size() < kNonce + kTag) {
    return absl::InvalidArgumentError("credenziale cifrata non valida");
  }
  size_t n = raw.size() - kNonce - kTag;
  std::string out(n, '\0');
  auto* in = reinterpret_cast<unsigned char*>(raw.data());
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key->second.data()), in) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(parts[1].data()),
                              static_cast<int>(parts[1].size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in + kNonce,
                              static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, in + kNonce + n) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
  if (!ok) return absl::PermissionDeniedError("credenziale cifrata alterata o chiave errata");
  return out;
}

}  // namespace sportello::dispatch
