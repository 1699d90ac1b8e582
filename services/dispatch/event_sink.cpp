#include "services/dispatch/event_sink.h"

#include <google/protobuf/util/time_util.h>

#include "common/log.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "services/dispatch/length.h"
#include "services/dispatch/plan.h"

namespace sportello::dispatch {
namespace {

// The producer of an event type: each type has one.
std::string SourceOf(std::string_view type) {
  if (type.rfind("dataset.", 0) == 0) return "opendata";
  if (type.rfind("office.", 0) == 0) return "catalogue";
  return "";
}

IncomingEvent Flatten(const ::sportello::v1::Event& e) {
  IncomingEvent out;
  out.id = e.id();
  out.type = e.type();
  out.source = SourceOf(e.type());
  out.tenant = e.tenant();
  out.subject = e.subject();
  out.time = absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(e.time()));
  for (const auto& [key, value] : e.data().fields()) {
    if (value.has_string_value()) {
      out.data.emplace_back(key, value.string_value());
    } else if (value.has_number_value()) {
      out.data.emplace_back(key, std::to_string(static_cast<long long>(value.number_value())));
    }
  }
  return out;
}

}  // namespace

EventSinkService::EventSinkService(DispatchStore& store, std::unique_ptr<RpcRunner> rpc, const Clock& clock,
                                   std::string public_base_url)
    : store_(store), rpc_(std::move(rpc)), clock_(clock), public_base_url_(std::move(public_base_url)) {}

grpc::ServerUnaryReactor* EventSinkService::Deliver(grpc::CallbackServerContext* ctx,
                                                    const ::sportello::v1::Event* event,
                                                    ::sportello::v1::DeliverResponse*) {
  return rpc_->Run(ctx, "Deliver", [=, this](const Caller&) -> absl::Status {
    IncomingEvent e = Flatten(*event);
    if (e.source.empty()) return absl::OkStatus();  // nothing that becomes a message
    if (e.id.empty()) return InvalidArgument({{"id", "l'evento non ha un identificativo"}});
    ASSIGN_OR_RETURN(e.tenant, CanonicalTenant(e.tenant));
    ASSIGN_OR_RETURN(auto feed_ids, store_.FeedAccounts(e.tenant));
    std::optional<Message> draft = DraftFromEvent(e, feed_ids, public_base_url_, clock_.Now());
    if (!draft) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto accounts, store_.AccountsOf(e.tenant, feed_ids));
    for (const Account& a : accounts) draft->variants.push_back(DeriveVariant(a, draft->text, draft->link));
    auto saved = store_.CreateMessage(*draft);
    if (absl::IsAlreadyExists(saved.status())) {
      log::Info("dispatch: event already drafted", {{"event", e.id}, {"type", e.type}});
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(saved.status());
    log::Info("dispatch: draft from event", {{"event", e.id}, {"type", e.type}, {"message", saved->id}});
    return absl::OkStatus();
  });
}

}  // namespace sportello::dispatch
