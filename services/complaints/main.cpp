// sportello-complaints: citizens' requests, complaints and reports.
#include "absl/strings/str_split.h"
#include "common/grpc/rpc.h"
#include "common/grpc/server.h"
#include "common/grpc/service_core.h"
#include "common/log.h"
#include "common/outbox/outbox.h"
#include "common/outbox/relay.h"
#include "services/complaints/background.h"
#include "services/complaints/complaints_service.h"
#include "services/complaints/deadlines.h"

namespace sportello::complaints {
const std::vector<db::Migration>& Migrations();
}
namespace sportello::embedded {
std::string_view complaints_demo();
}

int main(int argc, char** argv) {
  using namespace sportello;
  BlockTerminationSignals();
  Settings settings("sportello-complaints", argc, argv);
  ServiceConfig config = ReadServiceConfig(settings, "complaints", 50052);
  std::string catalogue = settings.String("SPORTELLO_CATALOGUE_ADDR", "127.0.0.1:50051",
                                          "gRPC address of the catalogue (categories, tenants, offices)");
  complaints::ComplaintsSettings service_settings;
  complaints::BackgroundSettings background;
  int retention_days = settings.Int("SPORTELLO_COMPLAINTS_RETENTION_DAYS", 365,
                                    "days after closure before the reporter's personal data are purged");
  int reopen_days = settings.Int("SPORTELLO_COMPLAINTS_REOPEN_DAYS", 30,
                                 "days after closure in which the citizen may reopen a request");
  std::string subscribers = settings.String(
      "SPORTELLO_COMPLAINTS_SUBSCRIBERS", "",
      "event subscribers, name=host:port of a sportello.v1.EventSink, comma separated");
  std::string subscriber_token = settings.String("SPORTELLO_COMPLAINTS_SUBSCRIBER_TOKEN", "",
                                                "bearer token presented to the subscribers");
  service_settings.submissions_per_minute =
      settings.Int("SPORTELLO_COMPLAINTS_SUBMIT_PER_MINUTE", 20,
                   "anonymous submissions allowed per minute per client address and tenant");
  service_settings.submission_burst = settings.Int("SPORTELLO_COMPLAINTS_SUBMIT_BURST", 10,
                                                   "anonymous submissions allowed at once before the per-minute rate");
  std::string proxies = settings.String(
      "SPORTELLO_COMPLAINTS_TRUSTED_PROXIES", "ipv4:127.0.0.1:,ipv6:[::1]:",
      "gRPC peers (prefixes, comma separated) whose x-client-ip header is believed: the gateways");
  service_settings.trusted_proxies = absl::StrSplit(proxies, ',', absl::SkipWhitespace());
  background.escalation_interval = absl::Seconds(settings.Seconds(
      "SPORTELLO_COMPLAINTS_ESCALATION_INTERVAL", 30, "seconds between scans for overdue requests"));
  settings.Done();
  log::Init("complaints");

  auto fail = [](const absl::Status& s) {
    log::Error("cannot start", {{"error", s.ToString()}});
    return 1;
  };
  auto parsed_subscribers = outbox::ParseSubscribers(subscribers);
  if (!parsed_subscribers.ok()) return fail(parsed_subscribers.status());
  service_settings.retention = background.retention = absl::Hours(24) * retention_days;
  service_settings.citizen_reopen_window = absl::Hours(24) * reopen_days;

  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Rome", &zone)) {
    return fail(absl::FailedPreconditionError("time zone Europe/Rome not found: install tzdata"));
  }
  ServiceCore core(config);
  if (auto s = core.Prepare("complaints", complaints::Migrations(), embedded::complaints_demo()); !s.ok()) {
    return fail(s);
  }
  if (auto s = outbox::ApplyMigrations(core.pool, "complaints"); !s.ok()) return fail(s);
  auto rpc = RpcRunner::Create(v1::ComplaintsService::service_full_name(), core.verifier, core.workers, core.metrics);
  if (!rpc.ok()) return fail(rpc.status());
  const Clock& clock = SystemClock::Instance();
  complaints::RequestStore store(core.pool, zone, clock);
  complaints::CatalogueClient catalogue_client(catalogue);
  complaints::ComplaintsService service(store, catalogue_client, **rpc, core.cache, zone, clock, service_settings);
  complaints::Background jobs(store, clock, background);
  outbox::RelaySettings relay_settings;
  relay_settings.schema = std::string(complaints::kSchema);
  relay_settings.subscribers = *std::move(parsed_subscribers);
  relay_settings.bearer_token = subscriber_token;
  outbox::Relay relay(core.pool, clock, relay_settings);
  relay.Start();
  if (auto s = ServeUntilSignal(config, {&service}, core.metrics); !s.ok()) return fail(s);
  return 0;
}
