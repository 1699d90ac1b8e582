#pragma once
// The surveys' background work: free-text answers deleted once older than the
// retention period, on a timer. Time comes from the injected Clock; the
// thread stops (and is joined) when the object is destroyed.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "services/surveys/config.h"
#include "services/surveys/store.h"

namespace sportello::surveys {

class Background {
 public:
  Background(SurveyStore& store, const Clock& clock, PurgeSettings settings);
  ~Background();

  // One purge now; how many texts went. For tests and the timer.
  absl::StatusOr<long long> PurgeOnce();

 private:
  void Loop();

  SurveyStore& store_;
  const Clock& clock_;
  PurgeSettings settings_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sportello::surveys
