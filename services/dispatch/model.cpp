#include "services/dispatch/model.h"

#include <array>
#include <utility>

namespace sportello::dispatch {
namespace {

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
  for (const auto& [e, n] : names) {
    if (n == name) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view ToName(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [v, n] : names) {
    if (v == e) return n;
  }
  return "unknown";
}

constexpr std::array<std::pair<Channel, std::string_view>, 5> kChannels = {{
    {Channel::kTelegram, "telegram"},
    {Channel::kMastodon, "mastodon"},
    {Channel::kWebhook, "webhook"},
    {Channel::kEmail, "email"},
    {Channel::kFeed, "feed"},
}};
constexpr std::array<std::pair<AccountStatus, std::string_view>, 3> kAccountStatuses = {{
    {AccountStatus::kActive, "active"},
    {AccountStatus::kSuspended, "suspended"},
    {AccountStatus::kNeedsCredentials, "needs_credentials"},
}};
constexpr std::array<std::pair<MessageState, std::string_view>, 5> kMessageStates = {{
    {MessageState::kDraft, "draft"},
    {MessageState::kSubmitted, "submitted"},
    {MessageState::kApproved, "approved"},
    {MessageState::kHeld, "held"},
    {MessageState::kWithdrawn, "withdrawn"},
}};
constexpr std::array<std::pair<DeliveryState, std::string_view>, 7> kDeliveryStates = {{
    {DeliveryState::kPending, "pending"},
    {DeliveryState::kSending, "sending"},
    {DeliveryState::kSent, "sent"},
    {DeliveryState::kDead, "dead"},
    {DeliveryState::kUncertain, "uncertain"},
    {DeliveryState::kDiscarded, "discarded"},
    {DeliveryState::kHeld, "held"},
}};

}  // namespace

std::string_view ChannelName(Channel c) { return ToName(kChannels, c); }
std::optional<Channel> ChannelFromName(std::string_view n) { return FromName(kChannels, n); }
std::string_view AccountStatusName(AccountStatus s) { return ToName(kAccountStatuses, s); }
std::optional<AccountStatus> AccountStatusFromName(std::string_view n) { return FromName(kAccountStatuses, n); }
std::string_view MessageStateName(MessageState s) { return ToName(kMessageStates, s); }
std::optional<MessageState> MessageStateFromName(std::string_view n) { return FromName(kMessageStates, n); }
std::string_view DeliveryStateName(DeliveryState s) { return ToName(kDeliveryStates, s); }
std::optional<DeliveryState> DeliveryStateFromName(std::string_view n) { return FromName(kDeliveryStates, n); }

}  // namespace sportello::dispatch
