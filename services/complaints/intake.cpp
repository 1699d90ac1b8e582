#include "services/complaints/intake.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/status.h"
#include "common/text_checks.h"
#include "services/complaints/access.h"

namespace sportello::complaints {
namespace {

// Limits not stated by the header, in code points.
constexpr size_t kMaxName = 200;
constexpr size_t kMaxAddress = 200;
constexpr size_t kMaxAccessObject = kMaxDescription;

constexpr double kEarthRadiusMeters = 6371008.8;  // IUGG mean radius

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Decodes one UTF-8 code point at `i`, advancing it; nullopt (and one byte
// skipped) on a malformed, overlong or surrogate sequence.
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  char32_t cp = 0;
  size_t n = DecodeUtf8(s, i, cp);
  if (n == 0) {
    ++i;  // skip the bad byte; the caller reports it
    return std::nullopt;
  }
  i += n;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

enum class TextProblem { kNone, kInvalidUtf8, kControl };

// Plain text: valid UTF-8 without C0/C1 control characters, except newline
// and tab when `multiline`.
TextProblem CheckPlainText(std::string_view s, bool multiline) {
  for (size_t i = 0; i < s.size();) {
    const std::optional<char32_t> cp = NextCodePoint(s, i);
    if (!cp) return TextProblem::kInvalidUtf8;
    if (multiline && (*cp == '\n' || *cp == '\t')) continue;
    if (*cp < 0x20 || (*cp >= 0x7F && *cp <= 0x9F)) return TextProblem::kControl;
  }
  return TextProblem::kNone;
}

// Checks a text field: presence (when `if_missing` is not empty, the
// violation for an empty text), plain text, length.
void CheckText(std::string_view text, std::string_view field, std::string_view what, std::string_view if_missing,
               bool multiline, size_t max, std::vector<FieldViolation>& v) {
  const std::string f(field), w(what);
  if (text.empty()) {
    if (!if_missing.empty()) v.push_back({f, std::string(if_missing)});
    return;
  }
  switch (CheckPlainText(text, multiline)) {
    case TextProblem::kInvalidUtf8: v.push_back({f, w + " contiene caratteri non validi (UTF-8)"}); return;
    case TextProblem::kControl:
      v.push_back({f, w + (multiline ? " deve essere testo semplice: caratteri di controllo non ammessi"
                                     : " deve stare su una riga, senza caratteri di controllo")});
      return;
    case TextProblem::kNone: break;
  }
  if (CodePoints(text) > max) v.push_back({f, w + " non può superare " + std::to_string(max) + " caratteri"});
}

// --- Codice fiscale (DM 23 dicembre 1976) ---

// Value of a character in an odd position (1st, 3rd, ...), digits as A..J.
constexpr std::array<int, 26> kOddValues = {1,  0,  5,  7,  9,  13, 15, 17, 19, 21, 2,  4,  18,
                                            20, 11, 3,  6,  8,  12, 14, 16, 10, 22, 25, 24, 23};
// Letters replacing digits 0..9 in an omocodic code.
constexpr std::string_view kOmocodia = "LMNPQRSTUV";
constexpr std::string_view kMonths = "ABCDEHLMPRST";
// Positions of the 16-character code that hold digits (or omocodia letters).
constexpr std::array<size_t, 7> kDigitPositions = {6, 7, 9, 10, 12, 13, 14};

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The digit at a digit position, decoding omocodia; -1 when neither.
int DigitAt(std::string_view cf, size_t pos) {
  const char c = cf[pos];
  if (IsDigit(c)) return c - '0';
  const size_t k = kOmocodia.find(c);
  return k == std::string_view::npos ? -1 : static_cast<int>(k);
}

char FiscalCodeCheckChar(std::string_view first15) {
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    const char c = first15[i];
    const int index = IsDigit(c) ? c - '0' : c - 'A';
    sum += (i % 2 == 0) ? kOddValues[index] : index;  // i is 0-based: even i is an odd position
  }
  return static_cast<char>('A' + sum % 26);
}

enum class FiscalCodeProblem { kNone, kLength, kFormat, kCheck };

// A 16-character personal code (upper case) or an 11-digit numeric one
// (provisional codes, companies), whose last digit is the partita IVA check.
FiscalCodeProblem CheckFiscalCode(std::string_view cf) {
  if (cf.size() == 11) {
    int sum = 0;
    for (size_t i = 0; i < 11; ++i) {
      if (!IsDigit(cf[i])) return FiscalCodeProblem::kFormat;
      int d = cf[i] - '0';
      if (i % 2 == 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 == 0 ? FiscalCodeProblem::kNone : FiscalCodeProblem::kCheck;
  }
  if (cf.size() != 16) return FiscalCodeProblem::kLength;
  for (size_t i : {0, 1, 2, 3, 4, 5, 8, 11, 15}) {
    if (!IsUpper(cf[i])) return FiscalCodeProblem::kFormat;
  }
  for (size_t i : kDigitPositions) {
    if (DigitAt(cf, i) < 0) return FiscalCodeProblem::kFormat;
  }
  if (kMonths.find(cf[8]) == std::string_view::npos) return FiscalCodeProblem::kFormat;
  const int day = DigitAt(cf, 9) * 10 + DigitAt(cf, 10);  // women: day + 40
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return FiscalCodeProblem::kFormat;
  return FiscalCodeCheckChar(cf) == cf[15] ? FiscalCodeProblem::kNone : FiscalCodeProblem::kCheck;
}

std::string Field(std::string_view base, std::string_view key) {
  return std::string(base) + "[" + std::string(key) + "]";
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Italian accented vowels (lower case) to their base letter; 0 otherwise.
char ItalianBaseLetter(char32_t cp) {
  switch (cp) {
    case U'à': case U'á': return 'a';
    case U'è': case U'é': return 'e';
    case U'ì': case U'í': case U'î': return 'i';
    case U'ò': case U'ó': return 'o';
    case U'ù': case U'ú': return 'u';
    default: return 0;
  }
}

const std::set<std::string_view>& StopWords() {
  static const auto* const kWords = new std::set<std::string_view>{
      "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "di", "a", "da", "in", "con", "su", "per",
      "tra", "fra", "del", "dello", "della", "dei", "degli", "delle", "al", "allo", "alla", "ai", "agli",
      "alle", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella", "nei", "negli",
      "nelle", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "e", "o", "ed", "che", "copia", "copie",
      "documento", "documenti", "relativo", "relativa", "relativi", "relative",
      // Elided forms left by the apostrophe: "dell'atto", "sull'illuminazione".
      "l", "d", "dell", "all", "dall", "nell", "sull"};
  return *kWords;
}

}  // namespace

absl::Status PrepareSubmission(Request& r) {
  Trim(r.subject);
  r.description = absl::StrReplaceAll(r.description, {{"\r\n", "\n"}});  // web forms send CRLF
  Trim(r.description);
  Trim(r.category);
  Trim(r.address);
  Trim(r.civic_access.object);
  Trim(r.civic_access.interest);
  for (std::string& url : r.media_urls) Trim(url);
  if (r.reporter.has_value()) {
    Reporter& p = *r.reporter;
    for (std::string* s : {&p.name, &p.email, &p.phone, &p.fiscal_code}) Trim(*s);
    p.fiscal_code.erase(std::remove(p.fiscal_code.begin(), p.fiscal_code.end(), ' '), p.fiscal_code.end());
    p.fiscal_code = absl::AsciiStrToUpper(p.fiscal_code);
    if (p.empty()) r.reporter.reset();
  }

  std::vector<FieldViolation> v;
  const bool subject_defaults = r.kind == Kind::kReport && !r.category.empty();
  CheckText(r.subject, "subject", "l'oggetto", subject_defaults ? "" : "l'oggetto è obbligatorio", false,
            kMaxSubject, v);
  CheckText(r.description, "description", "la descrizione", "la descrizione è obbligatoria", true,
            kMaxDescription, v);
  if (r.kind == Kind::kReport && r.category.empty()) {
    v.push_back({"category", "la categoria è obbligatoria per le segnalazioni"});
  }
  CheckText(r.address, "address", "l'indirizzo", "", false, kMaxAddress, v);
  if (r.location.has_value()) {
    // Negated comparisons also reject NaN.
    if (!(r.location->latitude >= -90 && r.location->latitude <= 90)) {
      v.push_back({"location.latitude", "la latitudine deve essere compresa tra -90 e 90"});
    }
    if (!(r.location->longitude >= -180 && r.location->longitude <= 180)) {
      v.push_back({"location.longitude", "la longitudine deve essere compresa tra -180 e 180"});
    }
  }
  if (r.category.size() > kMaxCategory) {
    v.push_back({"category", "codice di categoria troppo lungo (al massimo " + std::to_string(kMaxCategory) + ")"});
  }
  if (r.media_urls.size() > kMaxMediaUrls) {
    v.push_back({"media_urls", "al massimo " + std::to_string(kMaxMediaUrls) + " allegati"});
  }
  if (r.attributes.size() > kMaxAttributes) {
    v.push_back({"attributes", "al massimo " + std::to_string(kMaxAttributes) + " attributi"});
  }
  size_t attribute_problems = 0;
  for (const auto& [code, values] : r.attributes) {
    if (attribute_problems >= 3) break;  // enough to say what is wrong
    const size_t before = v.size();
    if (code.size() > kMaxAttributeCode) {
      v.push_back({"attributes", "codice di attributo troppo lungo (al massimo " +
                                     std::to_string(kMaxAttributeCode) + ")"});
    } else if (values.size() > kMaxAttributeValues) {
      v.push_back({Field("attributes", code), "al massimo " + std::to_string(kMaxAttributeValues) + " valori"});
    } else if (std::any_of(values.begin(), values.end(),
                           [](const std::string& x) { return x.size() > kMaxAttributeValue; })) {
      v.push_back({Field("attributes", code),
                   "valore troppo lungo (al massimo " + std::to_string(kMaxAttributeValue) + " caratteri)"});
    }
    attribute_problems += v.size() > before;
  }
  for (size_t i = 0; i < r.media_urls.size() && i < kMaxMediaUrls; ++i) {
    if (r.media_urls[i].size() > kMaxMediaUrl) {
      v.push_back({"media_urls[" + std::to_string(i) + "]",
                   "indirizzo troppo lungo (al massimo " + std::to_string(kMaxMediaUrl) + " caratteri)"});
    } else if (!ValidWebsite(r.media_urls[i])) {
      v.push_back({"media_urls[" + std::to_string(i) + "]", "l'allegato deve essere un indirizzo http o https"});
    }
  }
  if (r.reporter.has_value()) {
    const Reporter& p = *r.reporter;
    CheckText(p.name, "reporter.name", "il nome", "", false, kMaxName, v);
    if (!p.email.empty() && !ValidEmail(p.email)) v.push_back({"reporter.email", "indirizzo email non valido"});
    if (!p.phone.empty() && !ValidPhone(p.phone)) {
      v.push_back({"reporter.phone", "il telefono ha da 6 a 20 cifre e solo spazi, +, -, / o parentesi"});
    }
    if (!p.fiscal_code.empty()) {
      switch (CheckFiscalCode(p.fiscal_code)) {
        case FiscalCodeProblem::kNone: break;
        case FiscalCodeProblem::kLength:
          v.push_back({"reporter.fiscal_code",
                       "il codice fiscale ha 16 caratteri (11 cifre se provvisorio o di un'organizzazione)"});
          break;
        case FiscalCodeProblem::kFormat:
          v.push_back({"reporter.fiscal_code", "il codice fiscale non è nel formato corretto"});
          break;
        case FiscalCodeProblem::kCheck:
          v.push_back({"reporter.fiscal_code", "il codice fiscale non è valido: il carattere di controllo non corrisponde"});
          break;
      }
    }
  }
  if (IsAccessKind(r.kind)) {
    CheckText(r.civic_access.object, "access_object", "l'oggetto della richiesta di accesso",
              "indicare i documenti, i dati o le informazioni richiesti", true, kMaxAccessObject, v);
  }
  if (r.kind == Kind::kDocumentaryAccess) {
    CheckText(r.civic_access.interest, "access_interest", "l'interesse",
              "l'accesso documentale richiede di indicare l'interesse diretto, concreto e attuale "
              "(l. 241/1990 art. 22)",
              true, kMaxAccessObject, v);
  }

  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

absl::Status CheckAttributes(const CategoryDefinition& category,
                             const std::map<std::string, std::vector<std::string>>& answers) {
  using Type = AttributeDefinition::Type;
  std::vector<FieldViolation> v;
  for (const AttributeDefinition& def : category.attributes) {
    const std::string field = Field("attributes", def.code);
    auto it = answers.find(def.code);
    const bool answered =
        it != answers.end() &&
        std::any_of(it->second.begin(), it->second.end(), [](const std::string& s) { return !s.empty(); });
    if (!answered) {
      if (def.required) v.push_back({field, "la risposta è obbligatoria"});
      continue;
    }
    const std::vector<std::string>& values = it->second;
    if (def.type != Type::kMultiValueList && values.size() > 1) {
      v.push_back({field, "è ammessa una sola risposta"});
      continue;
    }
    for (const std::string& value : values) {
      switch (def.type) {
        case Type::kString:
        case Type::kText: break;
        case Type::kNumber: {
          double d;
          if (!absl::SimpleAtod(AbslView(value), &d) || !std::isfinite(d)) {
            v.push_back({field, "\"" + value + "\" non è un numero"});
          }
          break;
        }
        case Type::kDatetime: {
          absl::Time t;
          std::string err;
          if (!absl::ParseTime(absl::RFC3339_full, AbslView(value), &t, &err)) {
            v.push_back({field, "\"" + value + "\" non è una data e ora RFC 3339 (es. 2026-03-20T10:00:00+01:00)"});
          }
          break;
        }
        case Type::kSingleValueList:
        case Type::kMultiValueList:
          if (!Contains(def.allowed_keys, value)) v.push_back({field, "valore non ammesso: \"" + value + "\""});
          break;
      }
    }
  }
  for (const auto& [code, values] : answers) {
    const bool known = std::any_of(category.attributes.begin(), category.attributes.end(),
                                   [&](const AttributeDefinition& d) { return d.code == code; });
    if (!known) v.push_back({Field("attributes", code), "attributo non previsto per la categoria"});
  }
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

std::string NormalizeAccessObject(const std::string& object) {
  // Fold to lower-case words of letters and digits separated by spaces.
  std::string folded;
  folded.reserve(object.size());
  for (size_t i = 0; i < object.size();) {
    const std::optional<char32_t> decoded = NextCodePoint(object, i);
    if (!decoded) {
      folded += ' ';
      continue;
    }
    char32_t cp = *decoded;
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      folded += absl::ascii_isalnum(static_cast<unsigned char>(c)) ? absl::ascii_tolower(static_cast<unsigned char>(c)) : ' ';
      continue;
    }
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 0x20;  // Latin-1 capitals
    if (const char base = ItalianBaseLetter(cp)) {
      folded += base;
    } else if (cp >= 0xDF && cp <= 0x24F && cp != 0xF7) {
      AppendUtf8(cp, folded);  // other Latin letters stay part of the word
    } else {
      folded += ' ';  // typographic quotes, dashes, "°", ...
    }
  }

  std::string out;
  const auto& stop = StopWords();
  size_t start = 0;
  while (start < folded.size()) {
    const size_t end = std::min(folded.find(' ', start), folded.size());
    const std::string_view word(folded.data() + start, end - start);
    if (!word.empty() && !stop.count(word)) {
      if (!out.empty()) out += ' ';
      out += word;
    }
    start = end + 1;
  }
  return out;
}

bool ShouldPublishProactively(int distinct_requesters) { return distinct_requesters > 3; }

std::string NumberPrefix(const std::string& tenant) {
  std::string_view rest = tenant;
  if (rest.size() >= 2 && absl::ascii_isalpha(static_cast<unsigned char>(rest[0])) && rest[1] == '_') {
    rest.remove_prefix(2);
  }
  std::string out;
  for (char c : rest) {
    const char u = absl::ascii_toupper(static_cast<unsigned char>(c));
    if (IsUpper(u) || IsDigit(u)) out += u;
  }
  return out;
}

std::string FormatNumber(const std::string& prefix, int year, long long sequence) {
  return absl::StrFormat("%s-%d-%06d", prefix, year, sequence);
}

double DistanceMeters(const Location& a, const Location& b) {
  constexpr double kRad = std::numbers::pi / 180;
  const double lat1 = a.latitude * kRad, lat2 = b.latitude * kRad;
  const double dlat = lat2 - lat1, dlon = (b.longitude - a.longitude) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace sportello::complaints
