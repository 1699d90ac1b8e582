#include "common/outbox/event_proto.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

namespace sportello::outbox {

void EventToProto(const Event& e, sportello::v1::Event* out) {
  out->Clear();
  out->set_id(e.id);
  out->set_sequence(e.sequence);
  out->set_type(e.type);
  out->set_tenant(e.tenant);
  out->set_subject(e.subject);
  *out->mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(e.time));
  // Stored by Append from a JSON object; a bad one leaves data empty.
  (void)google::protobuf::util::JsonStringToMessage(e.data_json, out->mutable_data());
}

}  // namespace sportello::outbox
