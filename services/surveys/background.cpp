#include "services/surveys/background.h"

#include "common/log.h"

namespace sportello::surveys {

Background::Background(SurveyStore& store, const Clock& clock, PurgeSettings settings)
    : store_(store), clock_(clock), settings_(settings), thread_([this] { Loop(); }) {}

Background::~Background() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

absl::StatusOr<long long> Background::PurgeOnce() {
  auto purged = store_.PurgeTexts(clock_.Now() - settings_.text_retention);
  if (purged.ok() && *purged > 0) log::Info("free-text answers purged", {{"count", *purged}});
  if (!purged.ok()) log::Warn("free-text purge failed", {{"error", std::string(purged.status().message())}});
  return purged;
}

void Background::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, absl::ToChronoMilliseconds(settings_.interval), [this] { return stopping_; })) return;
    }
    (void)PurgeOnce();
  }
}

}  // namespace sportello::surveys
