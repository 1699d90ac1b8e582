#include "services/surveys/background.h"

#include "common/log.h"

namespace sportello::surveys {

Background::Background(SurveyStore& store, const Clock& clock, PurgeSettings settings)
    : store_(store), clock_(clock), settings_(settings), thread_(settings_.interval, [this] {
        (void)PurgeOnce();
        return false;
      }) {}

absl::StatusOr<long long> Background::PurgeOnce() {
  auto purged = store_.PurgeTexts(clock_.Now() - settings_.text_retention);
  if (purged.ok() && *purged > 0) log::Info("free-text answers purged", {{"count", *purged}});
  if (!purged.ok()) log::Warn("free-text purge failed", {{"error", std::string(purged.status().message())}});
  return purged;
}

}  // namespace sportello::surveys
