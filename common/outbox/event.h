#pragma once
// The events of the outbox (outbox.h), as services build them and as the
// relay and the partners' stream read them. No database or gRPC types here.
#include <string>

#include "absl/time/time.h"

namespace sportello::outbox {

// An event to append: public data only (never personal data).
struct NewEvent {
  std::string tenant;     // IPA code
  std::string type;       // "request.created"
  std::string subject;    // what it is about: "F027-2026-000123"
  std::string data_json;  // a JSON object; "" means {}
  absl::Time time;        // when it happened (the service's Clock)
};

// An event as stored: the id (UUID) is the consumers' de-duplication key.
struct Event {
  long long sequence = 0;
  std::string id;
  std::string tenant, type, subject, data_json;
  absl::Time time;
};

}  // namespace sportello::outbox
