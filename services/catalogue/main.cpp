// sportello-catalogue: the information catalogue service.
#include "common/grpc/rpc.h"
#include "common/grpc/server.h"
#include "common/grpc/service_core.h"
#include "common/log.h"
#include "services/catalogue/catalogue_service.h"

namespace sportello::catalogue {
const std::vector<db::Migration>& Migrations();
}
namespace sportello::embedded {
std::string_view catalogue_demo();
}

int main(int argc, char** argv) {
  using namespace sportello;
  BlockTerminationSignals();
  Settings settings("sportello-catalogue", argc, argv);
  ServiceConfig config = ReadServiceConfig(settings, "catalogue", 50051);
  settings.Done();
  log::Init("catalogue");

  ServiceCore core(config);
  auto fail = [](const absl::Status& s) {
    log::Error("cannot start", {{"error", s.ToString()}});
    return 1;
  };
  if (auto s = core.Prepare("catalogue", catalogue::Migrations(), embedded::catalogue_demo()); !s.ok()) {
    return fail(s);
  }
  auto rpc = RpcRunner::Create(v1::CatalogueService::service_full_name(), core.verifier, core.workers, core.metrics);
  if (!rpc.ok()) return fail(rpc.status());
  auto zone = catalogue::RomeTimeZone();
  if (!zone.ok()) return fail(zone.status());
  catalogue::CatalogueStores stores(core.pool);
  catalogue::CatalogueService service(stores, core.cache, **rpc, *zone);
  if (auto s = ServeUntilSignal(config, {&service}, core.metrics); !s.ok()) return fail(s);
  return 0;
}
