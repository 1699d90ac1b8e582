#include "common/tenancy.h"

#include "common/status.h"

namespace sportello {

absl::StatusOr<std::string> CanonicalTenant(std::string_view raw, std::string_view field) {
  if (raw.empty()) return InvalidArgument({{std::string(field), "il codice IPA dell'ente è obbligatorio"}});
  if (raw.size() > kMaxIpaCodeLength) {
    return InvalidArgument({{std::string(field), "il codice IPA dell'ente è troppo lungo (al massimo 32 caratteri)"}});
  }
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      out.push_back(c);
    } else {
      return InvalidArgument(
          {{std::string(field), "codice IPA dell'ente non valido: sono ammessi solo lettere, cifre e _"}});
    }
  }
  return out;
}

absl::StatusOr<std::string> CanonicalOptionalTenant(std::string_view raw, std::string_view field) {
  if (raw.empty()) return std::string();
  return CanonicalTenant(raw, field);
}

}  // namespace sportello
