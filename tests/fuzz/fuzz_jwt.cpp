// libFuzzer: bearer tokens (header, claims, signature) as every service
// reads them. Nothing but a token signed with the secret may verify.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/auth/token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sportello::auth::TokenVerifier verifier("fuzz-secret-not-for-use");
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto who = verifier.Verify(input);
  if (who.ok() && !who->authenticated && !input.empty()) std::abort();
  return 0;
}
