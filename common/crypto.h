#pragma once
// Small cryptographic helpers over OpenSSL: digests for storing secrets as
// hashes, and random tokens for citizens' tracking codes.
#include <string>
#include <string_view>

namespace sportello {

// SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// `bytes` random bytes from the system CSPRNG, URL-safe base64 without padding.
std::string RandomToken(int bytes = 24);

}  // namespace sportello
