#pragma once
// Electoral blackout (law 28/2000 art. 9): inside a period covering a
// tenant, only messages marked indispensable and impersonal, with a written
// justification that a manager approved, go out on that tenant's accounts,
// urgent ones included; everything else is held, listed in the period's
// report, and after the period goes back to a manager, never out by itself.
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

bool Covers(const Blackout& b, const std::string& tenant, absl::Time at);

// The period covering `tenant` at `at`, if any.
std::optional<Blackout> CoveringBlackout(const std::vector<Blackout>& periods, const std::string& tenant,
                                         absl::Time at);

// May an approved message go out now? False: hold it.
bool MayGoOut(const Message& m, const std::vector<Blackout>& periods, absl::Time now);

// INVALID_ARGUMENT with field violations for a bad period.
absl::Status CheckBlackout(const Blackout& b);

}  // namespace sportello::dispatch
