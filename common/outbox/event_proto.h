#pragma once
// An outbox event as the wire message sportello.v1.Event.
#include "common/outbox/event.h"
#include "sportello/v1/common.pb.h"

namespace sportello::outbox {

void EventToProto(const Event& event, sportello::v1::Event* out);

}  // namespace sportello::outbox
