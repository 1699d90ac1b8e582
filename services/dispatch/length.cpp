#include "services/dispatch/length.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/text_checks.h"

namespace sportello::dispatch {
namespace {

// Appends the UTF-8 encoding of code point `cp`.
void AppendUtf8(std::string& out, uint32_t cp) {
  icu::UnicodeString u(static_cast<UChar32>(cp));
  u.toUTF8String(out);
}

// Mastodon's idea of a URL, near enough: http:// or https:// up to a space.
bool UrlAt(std::string_view text, size_t i) {
  std::string_view rest = text.substr(i);
  return rest.starts_with("http://") || rest.starts_with("https://");
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return TrimRight(s);
}

}  // namespace

int GraphemeCount(std::string_view text) {
  if (text.empty()) return 0;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) return u.countChar32();
  it->setText(u);
  int count = 0;
  for (int32_t p = it->next(); p != icu::BreakIterator::DONE; p = it->next()) ++count;
  return count;
}

std::string TelegramVisibleText(std::string_view html) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    if (c == '&') {
      size_t end = html.find(';', i);
      if (end != std::string_view::npos && end - i <= 10) {
        std::string_view name = html.substr(i + 1, end - i - 1);
        uint32_t cp = 0;
        if (name == "lt") cp = '<';
        else if (name == "gt") cp = '>';
        else if (name == "amp") cp = '&';
        else if (name == "quot") cp = '"';
        else if (name.size() > 1 && name[0] == '#') {
          bool hex = name[1] == 'x' || name[1] == 'X';
          std::string digits(name.substr(hex ? 2 : 1));
          char* stop = nullptr;
          unsigned long v = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
          if (!digits.empty() && stop && *stop == '\0' && v > 0 && v <= 0x10FFFF) cp = static_cast<uint32_t>(v);
        }
        if (cp != 0) {
          AppendUtf8(out, cp);
          i = end + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

int TelegramLength(std::string_view html) {
  std::string visible = TelegramVisibleText(html);
  // The Bot API counts UTF-16 code units; Telegram also trims the text.
  std::string_view trimmed = Trim(visible);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(trimmed.data(), static_cast<int32_t>(trimmed.size())));
  return u.length();
}

int MastodonLength(std::string_view text) {
  int count = 0;
  size_t plain_start = 0;
  for (size_t i = 0; i < text.size();) {
    if ((i == 0 || IsSpace(text[i - 1])) && UrlAt(text, i)) {
      count += GraphemeCount(text.substr(plain_start, i - plain_start));
      size_t end = i;
      while (end < text.size() && !IsSpace(text[end])) ++end;
      count += kMastodonUrlLength;
      i = plain_start = end;
      continue;
    }
    ++i;
  }
  return count + GraphemeCount(text.substr(plain_start));
}

std::string TelegramEscape(std::string_view plain) { return EscapeHtmlText(plain); }

int LengthFor(Channel channel, std::string_view text) {
  switch (channel) {
    case Channel::kTelegram: return TelegramLength(text);
    case Channel::kMastodon: return MastodonLength(text);
    case Channel::kWebhook:
    case Channel::kEmail:
    case Channel::kFeed: return GraphemeCount(text);
  }
  return GraphemeCount(text);
}

int LimitFor(const Account& account) {
  switch (account.channel) {
    case Channel::kTelegram: return kTelegramLimit;
    case Channel::kMastodon: return account.max_characters > 0 ? account.max_characters : kMastodonDefaultLimit;
    case Channel::kWebhook:
    case Channel::kEmail:
    case Channel::kFeed: return kOtherLimit;
  }
  return kOtherLimit;
}

namespace {

// `text` for the channel: escaped for Telegram.
std::string ForChannel(Channel channel, std::string_view plain) {
  return channel == Channel::kTelegram ? TelegramEscape(plain) : std::string(plain);
}

std::string Compose(Channel channel, std::string_view text, std::string_view link) {
  std::string out = ForChannel(channel, text);
  if (!link.empty()) out += "\n\n";
  out += ForChannel(channel, link);
  return out;
}

}  // namespace

Variant DeriveVariant(const Account& account, std::string_view text, std::string_view link) {
  Variant v;
  v.account_id = account.id;
  v.limit = LimitFor(account);
  v.text = Compose(account.channel, text, link);
  v.length = LengthFor(account.channel, v.text);
  if (v.length <= v.limit) return v;
  // Cut at the last word boundary that fits with "…" and the link; the words
  // are tried from the longest prefix down, so the result is the longest fit.
  std::string_view body = TrimRight(text);
  size_t cut = body.size();
  while (true) {
    size_t space = body.find_last_of(" \n\t", cut == 0 ? 0 : cut - 1);
    if (space == std::string_view::npos || space == 0) {
      cut = 0;
    } else {
      cut = space;
    }
    std::string prefix(TrimRight(body.substr(0, cut)));
    std::string candidate = Compose(account.channel, prefix.empty() ? "…" : prefix + "…", link);
    int length = LengthFor(account.channel, candidate);
    if (length <= v.limit || cut == 0) {
      v.text = std::move(candidate);
      v.length = length;
      v.shortened = true;
      return v;
    }
  }
}

absl::StatusOr<Variant> HandVariant(const Account& account, std::string text, const std::string& field) {
  Variant v;
  v.account_id = account.id;
  v.derived = false;
  v.limit = LimitFor(account);
  v.length = LengthFor(account.channel, text);
  v.text = std::move(text);
  if (v.length == 0) {
    return InvalidArgument({{field, absl::StrFormat("il testo per %s è vuoto", std::string(ChannelName(account.channel)))}});
  }
  if (v.length > v.limit) {
    return InvalidArgument({{field, absl::StrFormat("il testo per %s è di %d caratteri, oltre il limite di %d",
                                                    std::string(ChannelName(account.channel)), v.length, v.limit)}});
  }
  return v;
}

}  // namespace sportello::dispatch
