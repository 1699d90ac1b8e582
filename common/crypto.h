#pragma once
// Small cryptographic helpers over OpenSSL: digests for storing secrets as
// hashes, and random tokens for citizens' tracking codes.
#include <string>
#include <string_view>

namespace sportello {

// SHA-256 of `data` as lower-case hex digits: all 64, or the first
// `hex_digits` (an ETag needs no more than 32).
std::string Sha256Hex(std::string_view data, size_t hex_digits = 64);

// SHA-1 of `data` as 40 lower-case hex digits: only where a protocol names
// it (Redis' EVALSHA), never to protect anything.
std::string Sha1Hex(std::string_view data);

// `bytes` random bytes from the system CSPRNG, URL-safe base64 without padding.
std::string RandomToken(int bytes = 24);

// A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", for a
// row whose id must be known before it is inserted.
std::string RandomUuid();

}  // namespace sportello
