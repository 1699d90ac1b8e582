#pragma once
// The surveys' background work: free-text answers deleted once older than the
// retention period, on a timer. Time comes from the injected Clock; the
// thread stops (and is joined) when the object is destroyed.
#include "common/clock.h"
#include "common/periodic.h"
#include "services/surveys/config.h"
#include "services/surveys/store.h"

namespace sportello::surveys {

class Background {
 public:
  Background(SurveyStore& store, const Clock& clock, PurgeSettings settings);

  // One purge now; how many texts went. For tests and the timer.
  absl::StatusOr<long long> PurgeOnce();

 private:
  SurveyStore& store_;
  const Clock& clock_;
  PurgeSettings settings_;
  Periodic thread_;  // last: stops and joins before the members it reads go
};

}  // namespace sportello::surveys
