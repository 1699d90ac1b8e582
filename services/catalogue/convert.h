#pragma once
// Converters between the catalogue's wire messages and its domain model, in
// one place. Protobuf-aware, but no gRPC: the service layer calls them.
#include "absl/status/statusor.h"
#include "services/catalogue/model.h"
#include "services/catalogue/store.h"
#include "sportello/v1/catalogue.pb.h"

namespace sportello::catalogue {

namespace v1 = ::sportello::v1;

TenantKind KindFromProto(v1::TenantKind k);
Tenant TenantFromProto(const v1::Tenant& p);
void TenantToProto(const Tenant& t, v1::Tenant* p);

// INVALID_ARGUMENT naming the field for clock texts that do not parse.
absl::StatusOr<Office> OfficeFromProto(const v1::Office& p);
void OfficeToProto(const Office& o, v1::Office* p);

absl::StatusOr<Service> ServiceFromProto(const v1::Service& p);
void ServiceToProto(const Service& s, v1::Service* p);

void AvailabilityToProto(const std::string& office_id, absl::Time at, const Availability& a,
                         v1::OfficeAvailability* p);
void CategoryToProto(const Service& s, v1::Category* p);
void ChangeToProto(const ChangeRecord& c, v1::Change* p);

std::optional<Channel> ChannelFromProto(v1::Channel c);
std::optional<ServiceStatus> StatusFromProto(v1::ServiceStatus s);

// A JSON object text into google.protobuf.Struct.
absl::Status JsonToStruct(const std::string& json, google::protobuf::Struct* out);

}  // namespace sportello::catalogue
