#pragma once
// Debian's Abseil is built without NDEBUG, so every absl::Mutex (gRPC's as
// well) runs its deadlock detector: on each acquisition it records a stack
// trace and updates a process-wide lock graph under a global lock. Under the
// bench that was about 7% of the complaints and catalogue services' CPU
// (perf: absl::synchronization_internal::GraphCycles). Every binary turns
// it off first thing in main(), before any thread starts; the tests keep it.
#include "absl/synchronization/mutex.h"

namespace sportello {

inline void NoMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace sportello
