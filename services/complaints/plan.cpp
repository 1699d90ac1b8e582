#include "services/complaints/plan.h"

#include "services/complaints/access.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/workflow.h"

namespace sportello::complaints {

std::string RouteOffice(const std::vector<RoutingRule>& rules, const std::string& category, Kind kind,
                        const std::string& category_office) {
  const RoutingRule* best = nullptr;
  int best_score = -1;
  const std::string kind_name(KindName(kind));
  for (const RoutingRule& rule : rules) {
    if (!rule.category.empty() && rule.category != category) continue;
    if (!rule.kind.empty() && rule.kind != kind_name) continue;
    // A category is more specific than a kind: category+kind 3, category 2, kind 1, neither 0.
    int score = (rule.category.empty() ? 0 : 2) + (rule.kind.empty() ? 0 : 1);
    if (score > best_score) {
      best = &rule;
      best_score = score;
    }
  }
  return best ? best->office_id : category_office;
}

SubmissionPlan PlanSubmission(const Request& request, const SubmissionFacts& facts) {
  SubmissionPlan plan;
  plan.status = request.status;
  plan.office_id = request.office_id;
  plan.due_time = DueTime(facts.now, facts.deadline_days, facts.zone);
  plan.history.push_back({0, facts.now, "cittadino", "submitted", std::nullopt, Status::kReceived,
                          Visibility::kPublic, "Richiesta ricevuta", ""});
  const std::string office = RouteOffice(facts.rules, request.category, request.kind, facts.category_office);
  if (!office.empty() && request.status == Status::kReceived) {
    plan.office_id = office;
    plan.status = Status::kAssigned;
    plan.history.push_back({0, facts.now, "sistema", "assigned", Status::kReceived, Status::kAssigned,
                            Visibility::kPublic, "Assegnata automaticamente all'ufficio competente", office});
  }
  if (CountsForProactivePublication(request.kind)) {
    plan.access_key = NormalizeAccessObject(request.civic_access.object);
    plan.publish_proactively =
        !plan.access_key.empty() && ShouldPublishProactively(facts.other_access_requesters + 1);
  }
  return plan;
}

std::optional<Visibility> MessageVisibility(Actor actor, std::optional<Visibility> requested) {
  if (actor == Actor::kCitizen) return Visibility::kCitizen;
  return requested;
}

Visibility StatusNoteVisibility(Actor actor, bool has_note, bool public_note) {
  if (!has_note) return Visibility::kPublic;
  if (actor == Actor::kCitizen) return Visibility::kCitizen;
  return public_note ? Visibility::kPublic : Visibility::kInternal;
}

MessageEffect ApplyMessage(Request& r, Actor actor, Visibility visibility, absl::Time now, const absl::TimeZone& zone) {
  MessageEffect effect;
  if (actor == Actor::kCitizen && r.status == Status::kWaitingCitizen) {
    effect.resumed_from = r.status;
    ApplyStatus(r, Status::kInProgress, now, zone, 0);
  } else if (IsStaff(actor) && visibility != Visibility::kInternal && !r.first_answer_time) {
    r.first_answer_time = now;
  }
  return effect;
}

Request ForwardedCopy(const Request& original, const std::string& to_tenant) {
  Request copy;
  copy.tenant = to_tenant;
  copy.kind = original.kind;
  copy.subject = original.subject;
  copy.description = original.description;
  copy.location = original.location;
  copy.address = original.address;
  copy.attributes = original.attributes;
  copy.media_urls = original.media_urls;
  copy.channel = original.channel;
  copy.is_public = original.is_public;
  copy.status = Status::kReceived;
  copy.civic_access.object = original.civic_access.object;
  copy.civic_access.interest = original.civic_access.interest;
  copy.reporter = original.reporter;
  copy.forwarded_from = original.number;
  return copy;
}

bool WithinDuplicateRadius(const Location& a, const Location& b) {
  return DistanceMeters(a, b) <= kDuplicateRadiusMeters;
}

}  // namespace sportello::complaints
