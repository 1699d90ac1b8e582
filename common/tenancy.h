#pragma once
// The one reading of a tenant (ente) identifier: its IPA code. Every service
// and the gateway pass what a client sent through CanonicalTenant before the
// value touches storage, counters, rate-limit or idempotency keys, so that no
// variant of a code (a trailing newline, a NUL, a space) can name a phantom
// tenant or share a real tenant's keys.
//
// An IPA code is 1 to 32 ASCII letters, digits and underscores ("c_f027",
// "ucdgr"); it is compared in lower case. Anything else is INVALID_ARGUMENT
// with a field violation on `field`: never trimmed or cut into something else.
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sportello {

inline constexpr size_t kMaxIpaCodeLength = 32;

absl::StatusOr<std::string> CanonicalTenant(std::string_view raw, std::string_view field = "tenant");

// The same for optional fields (filters): empty stays empty.
absl::StatusOr<std::string> CanonicalOptionalTenant(std::string_view raw, std::string_view field);

}  // namespace sportello
