#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "absl/strings/escaping.h"

namespace sportello {

namespace {

// `md` of `data` as lower-case hex, its first `hex_digits` digits at most.
// One context a thread, the algorithm fetched once by the caller: with
// EVP_sha256() OpenSSL 3 looks the algorithm up in its method store at every
// digest, which cost the gateway more than the hashing of an answer's ETag (perf).
std::string HexDigest(const EVP_MD* md, std::string_view data, size_t hex_digits) {
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    throw std::runtime_error("digest not available");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min<size_t>(hex_digits, 2 * length));
  for (unsigned int i = 0; i < length && out.size() < hex_digits; ++i) {
    out += kHex[digest[i] >> 4];
    if (out.size() < hex_digits) out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data, size_t hex_digits) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return HexDigest(sha256, data, hex_digits);
}

std::string Sha1Hex(std::string_view data) {
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return HexDigest(sha1, data, 40);
}

std::string RandomToken(int bytes) {
  std::vector<unsigned char> buf(static_cast<size_t>(bytes));
  // A token that could be guessed would open a citizen's request: no fallback.
  if (RAND_bytes(buf.data(), bytes) != 1) throw std::runtime_error("no secure random bytes available");
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()), &out);
  return out;
}

std::string RandomUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no secure random bytes available");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

}  // namespace sportello
