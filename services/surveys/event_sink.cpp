#include "services/surveys/event_sink.h"

#include "common/log.h"
#include "common/status.h"
#include "common/tenancy.h"
#include "services/surveys/templates.h"

namespace sportello::surveys {
namespace {

std::string Field(const ::sportello::v1::Event& e, const std::string& key) {
  auto it = e.data().fields().find(key);
  if (it == e.data().fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

}  // namespace

Channel ChannelFromIntake(std::string_view intake) {
  if (intake == "web") return Channel::kWeb;
  if (intake == "app") return Channel::kApp;
  if (intake == "counter") return Channel::kCounter;
  if (intake == "phone") return Channel::kPhone;
  if (intake == "email") return Channel::kEmailLink;
  return Channel::kUnspecified;
}

EventSinkService::EventSinkService(SurveyStore& store, CatalogueClient& catalogue, std::unique_ptr<RpcRunner> rpc,
                                   const Clock& clock, SurveysSettings settings)
    : store_(store),
      catalogue_(catalogue),
      rpc_owned_(std::move(rpc)),
      rpc_(*rpc_owned_),
      clock_(clock),
      settings_(std::move(settings)) {}

grpc::ServerUnaryReactor* EventSinkService::Deliver(grpc::CallbackServerContext* ctx,
                                                    const ::sportello::v1::Event* event,
                                                    ::sportello::v1::DeliverResponse*) {
  return rpc_.Run(ctx, "Deliver", [=, this](const Caller&) -> absl::Status {
    if (event->type() != "request.closed") return absl::OkStatus();  // nothing else concerns surveys
    std::string kind = Field(*event, "kind");
    // Complaints and reports are surveyed; events without a kind come from
    // a complaints service that does not send it yet, and are taken.
    if (!kind.empty() && kind != "complaint" && kind != "report") return absl::OkStatus();
    if (event->id().empty()) return InvalidArgument({{"id", "l'evento non ha un identificativo"}});
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(event->tenant()));
    std::string number = Field(*event, "number");
    if (number.empty()) number = event->subject();
    if (number.empty()) return InvalidArgument({{"subject", "l'evento non indica la richiesta"}});

    absl::Time now = clock_.Now();
    ClosedRequest c;
    c.event_id = event->id();
    c.tenant = tenant;
    c.type = event->type();
    c.request_number = number;
    // The category's catalogue service, if it has one. The catalogue not
    // answering fails the delivery: complaints delivers it again later.
    if (std::string category = Field(*event, "category"); !category.empty()) {
      auto service = catalogue_.CategoryService(tenant, category);
      if (!service.ok() && !absl::IsNotFound(service.status())) return service.status();
      if (service.ok()) c.service_id = *service;
    }
    c.office_id = Field(*event, "office_id");
    c.channel = ChannelFromIntake(Field(*event, "channel"));
    c.now = now;
    c.expire_time = now + settings_.invitation_validity;
    Survey fallback = FromTemplate(Template::kPostResolution);
    fallback.tenant = tenant;
    fallback.access = Access::kInvitation;
    fallback.status = SurveyStatus::kOpen;
    ASSIGN_OR_RETURN(EventOutcome outcome, store_.InviteClosedRequest(c, fallback));
    std::string_view what = outcome == EventOutcome::kInvited            ? "invited"
                            : outcome == EventOutcome::kAlreadyProcessed ? "already processed"
                                                                         : "request has one";
    log::Info("request.closed consumed", {{"event", event->id()}, {"outcome", what}});
    return absl::OkStatus();
  });
}

}  // namespace sportello::surveys
