#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "absl/strings/escaping.h"

namespace sportello {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string RandomToken(int bytes) {
  std::vector<unsigned char> buf(static_cast<size_t>(bytes));
  // A token that could be guessed would open a citizen's request: no fallback.
  if (RAND_bytes(buf.data(), bytes) != 1) throw std::runtime_error("no secure random bytes available");
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()), &out);
  return out;
}

}  // namespace sportello
