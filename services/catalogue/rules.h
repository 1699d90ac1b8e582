#pragma once
// The catalogue's rules for offices and services: normalisation and
// validation of what operators write, the completeness of a service card
// against d.lgs. 33/2013 art. 35, and its schema.org JSON-LD.
// Plain domain code: no gRPC, no SQL.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/catalogue/model.h"

namespace sportello::catalogue {

// Trims text fields, checks every field; INVALID_ARGUMENT lists each
// violation with its path ("office.email", "office.hours.weekly[0].closes").
absl::Status PrepareOffice(Office& office);

// The same for a service ("service.themes[1]", "service.forms[0].url",
// "service.reportable.service_code", ...): controlled lists, URLs, dates,
// interactivity 0..5, and for a reportable service a service_code of
// lower-case letters, digits and dashes, attributes with unique codes and
// values for the list datatypes.
absl::Status PrepareService(Service& service);

struct MissingItem {
  std::string item;   // the field: "required_documents"
  std::string label;  // Italian: "Documenti da presentare"
};

// The art. 35 items the card does not state yet, in the order of the law.
std::vector<MissingItem> MissingArt35Items(const Service& service);

// True when the card was never reviewed or not within `window` before `now`.
bool IsStale(const Service& service, absl::Time now, absl::Duration window);

// schema.org GovernmentService as JSON-LD text: name, description, url,
// provider (GovernmentOrganization of the tenant), audience, serviceType
// (themes), availableChannel (ServiceChannel with serviceUrl and the
// responsible office as serviceLocation with its PostalAddress, telephone,
// email and openingHoursSpecification from the weekly and seasonal hours and
// the exceptions as specialOpeningHoursSpecification, validFrom/validThrough).
std::string ServiceJsonLd(const Service& service, const Tenant& provider, const std::vector<Office>& offices);
// JSON text safe inside an HTML <script> element: <, > and & become \u003c,
// \u003e and \u0026 (the JSON means the same; "</script>" cannot close it).
std::string EscapeForScript(std::string_view json_text);

// Wire spellings of the enums: "counter", "active", "singlevaluelist".
std::string_view ChannelName(Channel c);
std::optional<Channel> ChannelFromName(std::string_view name);
std::string_view StatusName(ServiceStatus s);
std::optional<ServiceStatus> StatusFromName(std::string_view name);
std::string_view AttributeTypeName(AttributeType t);
std::optional<AttributeType> AttributeTypeFromName(std::string_view name);

}  // namespace sportello::catalogue
