#include "common/text_checks.h"

#include <boost/url/parse.hpp>

#include "absl/strings/ascii.h"

namespace sportello {

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

bool ValidEmail(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = s.substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (char c : s) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) return false;
  }
  return true;
}

bool ValidWebsite(std::string_view s) {
  auto url = boost::urls::parse_absolute_uri(s);
  if (!url) return false;
  std::string scheme = absl::AsciiStrToLower(std::string(url->scheme()));
  return (scheme == "http" || scheme == "https") && !url->host().empty();
}

bool ValidPhone(std::string_view s) {
  constexpr int kMinDigits = 6, kMaxDigits = 20;
  int digits = 0;
  for (char c : s) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '/' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= kMinDigits && digits <= kMaxDigits;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

void Trim(std::string& s) { s = std::string(absl::StripAsciiWhitespace(s)); }

}  // namespace sportello
