#pragma once
// Tenants (enti): the administrations that share Sportello, identified by
// their IPA code. Plain domain rules: no gRPC, no SQL.
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/token.h"

namespace sportello::catalogue {

enum class TenantKind { kUnspecified, kComune, kUnione, kOther };

struct Address {
  std::string street, postal_code, municipality, province;
};

struct Tenant {
  std::string ipa_code;
  std::string name;
  TenantKind kind = TenantKind::kUnspecified;
  std::string parent_ipa_code;  // empty when none
  std::string website;
  std::string pec;
  Address address;
  bool demo = false;
  absl::Time create_time, update_time;
};

struct TenantFilter {
  TenantKind kind = TenantKind::kUnspecified;  // unspecified: any
  std::string parent_ipa_code;                 // empty: any
};

// "comune", "unione", "other": the spelling stored in the database.
std::string_view KindName(TenantKind kind);
std::optional<TenantKind> KindFromName(std::string_view name);

// Normalises a tenant submitted for creation and checks every field;
// INVALID_ARGUMENT lists each violation with its field path ("tenant.pec").
// The IPA codes go through CanonicalTenant (common/tenancy.h): a code with a
// space, a control character or a NUL is refused, never trimmed.
absl::Status PrepareNewTenant(Tenant& tenant);

// A member's parent must be an unione (`parent` is the stored parent, or
// nullopt when the code names none).
absl::Status CheckParent(const Tenant& tenant, const std::optional<Tenant>& parent);

// Who may register a tenant: the admin of its unione when it names one (a
// member cannot join an unione by itself), else an admin of the tenant itself.
// `tenant` has been through PrepareNewTenant.
absl::Status CheckMayCreate(const auth::Principal& caller, const Tenant& tenant);

}  // namespace sportello::catalogue
