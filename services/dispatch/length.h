#pragma once
// How long a text is, as each platform counts it, and the variant of a
// message for one account.
//
//   Telegram: 1-4096 characters of the text after entity parsing (HTML parse
//   mode: tags do not count, &amp; counts as one), in UTF-16 code units as
//   the Bot API counts them.
//   Mastodon: grapheme clusters, every http(s) URL counting as 23, up to the
//   instance's configuration.statuses.max_characters (500 by default).
//
// A derived variant that does not fit is cut at a word, "…" and the canonical
// link appended, and marked `shortened` so the approver sees it: never a
// silent cut.
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

inline constexpr int kTelegramLimit = 4096;
inline constexpr int kMastodonDefaultLimit = 500;
inline constexpr int kMastodonUrlLength = 23;
inline constexpr int kOtherLimit = 20000;  // webhook, e-mail, feed: a sane bound

// Grapheme clusters of UTF-8 `text` (ICU's character break iterator).
int GraphemeCount(std::string_view text);

// The text Telegram keeps from an HTML parse-mode message: tags removed,
// the entities &lt; &gt; &amp; &quot; and numeric ones decoded.
std::string TelegramVisibleText(std::string_view html);
int TelegramLength(std::string_view html);
int MastodonLength(std::string_view text);

// Escapes <, > and & for Telegram's HTML parse mode.
std::string TelegramEscape(std::string_view plain);

// The length of `text` as `channel` counts it, and that channel's limit for
// `account` (Mastodon: the instance's limit when known).
int LengthFor(Channel channel, std::string_view text);
int LimitFor(const Account& account);

// The variant of the canonical text and link for `account`: the text, a
// blank line, the link; Telegram's escaped for HTML mode. When that is over
// the limit the text is cut at a word and "…" added before the link.
Variant DeriveVariant(const Account& account, std::string_view text, std::string_view link);

// A variant written by hand for `account`: its length counted, or
// INVALID_ARGUMENT on `field` naming the channel, the length and the limit
// (empty or over the limit).
absl::StatusOr<Variant> HandVariant(const Account& account, std::string text, const std::string& field);

}  // namespace sportello::dispatch
