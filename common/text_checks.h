#pragma once
// Small checks on written text shared by the services' rules (catalogue
// tenants, offices and services; complaints). Plausibility only: an address
// that passes may still not exist.
#include <cstddef>
#include <string>
#include <string_view>

namespace sportello {

// The length of the valid UTF-8 sequence at s[i] and its code point in `cp`;
// 0 when invalid (overlong forms, surrogates, beyond U+10FFFF, truncated).
size_t DecodeUtf8(std::string_view s, size_t i, char32_t& cp);

// Valid UTF-8 throughout (the empty string too).
bool ValidUtf8(std::string_view s);

// Code points of valid UTF-8 text: "città" is 5.
size_t CodePoints(std::string_view utf8);

// One '@', a non-empty local part, a domain with a dot and a top-level part of
// at least 2 characters, no spaces or control characters.
bool ValidEmail(std::string_view s);

// An absolute http or https URL with a host.
bool ValidWebsite(std::string_view s);

// A telephone number as people write it: digits, spaces, '+', '-', '/' and
// parentheses, with 6 to 20 digits.
bool ValidPhone(std::string_view s);

// True for the empty string too.
bool AllDigits(std::string_view s);

// One CSV cell that a spreadsheet reads as text, whatever it holds (OWASP's
// CSV injection guidance): a cell starting with = + - @, tab, CR or LF gets
// a leading ' so it is no formula, and every cell holding a separator of any
// locale (',' or ';'), a quote, a tab or a line break is quoted, with inner
// quotes doubled. "Tari; =1+1" stays one cell where Excel splits at ';'.
std::string CsvCell(std::string_view raw);

// Plain text as HTML text: &, < and > as entities ("a<b & c" is
// "a&lt;b &amp; c"), nothing else touched; for text that a reader takes as
// HTML (Telegram's HTML parse mode, an RSS description).
std::string EscapeHtmlText(std::string_view plain);

// A plain decimal number: [-+]digits[.digits][e[-+]digits] (or .digits).
// strtod and absl::SimpleAtod also take "0x1p3", "inf", "nan": not this.
bool DecimalNumber(std::string_view s);

// Removes leading and trailing ASCII whitespace in place.
void Trim(std::string& s);

}  // namespace sportello
