// libFuzzer: page tokens come from clients. Decoding never crashes, and what
// decodes re-encodes to a token that decodes to the same key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto key = sportello::DecodePageToken(input);
  if (!key.ok()) return 0;
  auto again = sportello::DecodePageToken(sportello::EncodePageToken(*key));
  if (!again.ok() || *again != *key) std::abort();
  return 0;
}
