#pragma once
// The gRPC surface of the open data service: request -> sources/domain/store
// -> response. The only opendata files with generated gRPC service code.
#include <atomic>
#include <memory>

#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "services/opendata/scheduler.h"
#include "services/opendata/sources.h"
#include "services/opendata/store.h"
#include "sportello/v1/opendata.grpc.pb.h"

namespace sportello::opendata {

namespace v1 = ::sportello::v1;

struct OpenDataSettings {
  std::string public_base_url = "http://127.0.0.1:8080";
  int k = 3;
  int months = 12;
  int max_downloads = 8;
  size_t chunk_bytes = 64 * 1024;
};

class OpenDataService final : public v1::OpendataService::CallbackService {
 public:
  OpenDataService(OpenDataStore& store, Sources& sources, RpcRunner& rpc, absl::TimeZone zone, const Clock& clock,
                  OpenDataSettings settings);

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* ListDatasets(Ctx*, const v1::ListDatasetsRequest*, v1::ListDatasetsResponse*) override;
  Reactor* GetDataset(Ctx*, const v1::GetDatasetRequest*, v1::Dataset*) override;
  Reactor* UpdateDataset(Ctx*, const v1::UpdateDatasetRequest*, v1::Dataset*) override;
  Reactor* RefreshDataset(Ctx*, const v1::RefreshDatasetRequest*, v1::RefreshDatasetResponse*) override;
  Reactor* ListVersions(Ctx*, const v1::ListVersionsRequest*, v1::ListVersionsResponse*) override;
  Reactor* GetVersion(Ctx*, const v1::GetVersionRequest*, v1::DatasetVersion*) override;
  grpc::ServerWriteReactor<v1::RawBody>* GetDistribution(Ctx*, const v1::GetDistributionRequest*) override;
  Reactor* ApproveVersion(Ctx*, const v1::ApproveVersionRequest*, v1::DatasetVersion*) override;
  Reactor* ListProactivePublications(Ctx*, const v1::ListProactivePublicationsRequest*,
                                     v1::ListProactivePublicationsResponse*) override;
  Reactor* PublishProactive(Ctx*, const v1::PublishProactiveRequest*, v1::ProactivePublication*) override;

  // Makes the tenant's datasets exist and refreshes one of them; `bearer`
  // is the token sent to complaints for its statistics. Public for the
  // demo loader and tests.
  absl::StatusOr<std::pair<bool, VersionInfo>> Refresh(const Caller& caller, const std::string& bearer,
                                                       const std::string& dataset_id);

  // What the scheduled refresh does (scheduler.h): every tenant of the
  // catalogue, and each dataset refreshed with the service's own credential
  // (ServiceToken, signed with `jwt_secret`).
  ScheduledWork Scheduled(std::string jwt_secret);

 private:
  absl::StatusOr<Table> Build(const Caller& caller, const std::string& bearer, const std::string& tenant,
                              const std::string& slug, std::string* period);
  void ToProto(const DatasetRecord& d, v1::Dataset* out) const;
  void ToProto(const VersionInfo& v, v1::DatasetVersion* out) const;

  OpenDataStore& store_;
  Sources& sources_;
  RpcRunner& rpc_;
  absl::TimeZone zone_;
  const Clock& clock_;
  OpenDataSettings settings_;
  std::shared_ptr<std::atomic<int>> downloads_ = std::make_shared<std::atomic<int>>(0);
};

// "latest" -> 0, a positive number -> itself; INVALID_ARGUMENT otherwise.
absl::StatusOr<int> ParseVersion(std::string_view text);

}  // namespace sportello::opendata
