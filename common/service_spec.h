#pragma once
// What the service skeleton needs to know of a service besides its code: its
// name (as in services/services.txt), its proto service and its embedded
// schema and demo data. sportello_add_service generates each service's
// Spec() in "services/<name>/service_spec.h"; RunService (common/grpc/
// service_main.h) takes it.
#include <string>
#include <string_view>
#include <vector>

#include "common/db/migrations.h"

namespace sportello {

struct ServiceSpec {
  std::string name;           // "complaints"
  std::string proto_service;  // "sportello.v1.ComplaintsService": its access rules; start-up fails if unknown
  const std::vector<db::Migration>& migrations;
  std::string_view demo_sql;
  // The service writes events to its outbox (common/outbox): RunService
  // creates <name>.outbox and runs the relay to SPORTELLO_<NAME>_SUBSCRIBERS.
  bool emits_events = false;
};

}  // namespace sportello
