#include "services/catalogue/tenant.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "common/text_checks.h"

namespace sportello::catalogue {

std::string_view KindName(TenantKind kind) {
  switch (kind) {
    case TenantKind::kComune: return "comune";
    case TenantKind::kUnione: return "unione";
    case TenantKind::kOther: return "other";
    case TenantKind::kUnspecified: return "";
  }
  return "";
}

std::optional<TenantKind> KindFromName(std::string_view name) {
  for (TenantKind k : {TenantKind::kComune, TenantKind::kUnione, TenantKind::kOther}) {
    if (KindName(k) == name) return k;
  }
  return std::nullopt;
}

absl::Status PrepareNewTenant(Tenant& t) {
  std::vector<FieldViolation> v;
  // The codes are canonical or refused as they came: never trimmed.
  auto canonical = [&v](std::string& code, absl::StatusOr<std::string> checked) {
    if (checked.ok()) {
      code = *std::move(checked);
    } else {
      for (FieldViolation& f : FieldViolations(checked.status())) v.push_back(std::move(f));
    }
    return checked.ok();
  };
  bool code_ok = canonical(t.ipa_code, CanonicalTenant(t.ipa_code, "tenant.ipa_code"));
  bool parent_ok = canonical(t.parent_ipa_code, CanonicalOptionalTenant(t.parent_ipa_code, "tenant.parent_ipa_code"));
  for (std::string* s : {&t.name, &t.website, &t.pec, &t.address.street, &t.address.postal_code,
                         &t.address.municipality, &t.address.province}) {
    Trim(*s);
  }
  t.address.province = absl::AsciiStrToUpper(t.address.province);

  if (t.name.empty()) {
    v.push_back({"tenant.name", "il nome è obbligatorio"});
  } else if (CodePoints(t.name) > 200) {
    v.push_back({"tenant.name", "il nome non può superare 200 caratteri"});
  }
  if (t.kind == TenantKind::kUnspecified) {
    v.push_back({"tenant.kind", "il tipo di ente è obbligatorio (TENANT_KIND_COMUNE, TENANT_KIND_UNIONE o TENANT_KIND_OTHER)"});
  }
  if (parent_ok && !t.parent_ipa_code.empty()) {
    if (code_ok && t.parent_ipa_code == t.ipa_code) {
      v.push_back({"tenant.parent_ipa_code", "un ente non può appartenere a se stesso"});
    } else if (t.kind == TenantKind::kUnione) {
      v.push_back({"tenant.parent_ipa_code", "un'unione non può appartenere a un'altra unione"});
    }
  }
  if (!t.website.empty() && !ValidWebsite(t.website)) {
    v.push_back({"tenant.website", "il sito web deve essere un indirizzo http o https"});
  }
  if (!t.pec.empty() && !ValidEmail(t.pec)) {
    v.push_back({"tenant.pec", "indirizzo PEC non valido"});
  }
  if (!t.address.postal_code.empty() && (t.address.postal_code.size() != 5 || !AllDigits(t.address.postal_code))) {
    v.push_back({"tenant.address.postal_code", "il CAP è composto da 5 cifre"});
  }
  if (!t.address.province.empty() &&
      (t.address.province.size() != 2 || !absl::ascii_isalpha(t.address.province[0]) ||
       !absl::ascii_isalpha(t.address.province[1]))) {
    v.push_back({"tenant.address.province", "la provincia è la sigla di 2 lettere"});
  }
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

absl::Status CheckParent(const Tenant& tenant, const std::optional<Tenant>& parent) {
  if (tenant.parent_ipa_code.empty()) return absl::OkStatus();
  if (!parent) {
    return InvalidArgument({{"tenant.parent_ipa_code", "l'unione " + tenant.parent_ipa_code + " non esiste"}});
  }
  if (parent->kind != TenantKind::kUnione) {
    return InvalidArgument({{"tenant.parent_ipa_code", tenant.parent_ipa_code + " non è un'unione di comuni"}});
  }
  return absl::OkStatus();
}

absl::Status CheckMayCreate(const auth::Principal& caller, const Tenant& tenant) {
  // Joining an unione is the unione's decision: its admin registers members.
  const std::string& owner = tenant.parent_ipa_code.empty() ? tenant.ipa_code : tenant.parent_ipa_code;
  if (!owner.empty() && caller.IsStaffOf(owner, {auth::Role::kAdmin})) return absl::OkStatus();
  return absl::PermissionDeniedError("un amministratore può registrare solo il proprio ente o i membri della propria unione");
}

}  // namespace sportello::catalogue
