#include "services/complaints/workflow.h"

#include <catch2/catch.hpp>

#include "services/complaints/deadlines.h"
#include "services/complaints/lifecycle.h"

using namespace sportello::complaints;

namespace {
// A signed-in caller of `tenant` with `roles`.
sportello::auth::Principal Who(std::string tenant, std::vector<std::string> roles, std::string office = "") {
  return {"someone", std::move(tenant), std::move(roles), std::move(office), true};
}
}  // namespace

TEST_CASE("forwarding stays inside one unione", "[workflow]") {
  CHECK(CheckForwardTarget("c_f027", "u_gravine", "c_d171", "u_gravine").ok());  // member to member
  CHECK(CheckForwardTarget("c_f027", "u_gravine", "u_gravine", "").ok());        // member to its unione
  CHECK(CheckForwardTarget("u_gravine", "", "c_m298", "u_gravine").ok());        // unione to member
  CHECK(CheckForwardTarget("c_f027", "u_gravine", "c_a662", "u_altra").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(CheckForwardTarget("c_f027", "", "c_d171", "").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(CheckForwardTarget("c_f027", "u_gravine", "c_f027", "u_gravine").code() == absl::StatusCode::kInvalidArgument);
  CHECK(CheckForwardTarget("c_f027", "u_gravine", "", "").code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("who the caller is for a request", "[workflow]") {
  Request r;
  r.tenant = "c_f027";
  r.office_id = "office-9";
  CHECK(ResolveActor(Who("c_f027", {"operator"}), r, false) == Actor::kOperator);
  CHECK(ResolveActor(Who("c_f027", {"admin"}), r, false) == Actor::kOperator);
  CHECK(ResolveActor(Who("c_f027", {"referent"}, "office-9"), r, false) == Actor::kReferent);
  CHECK_FALSE(ResolveActor(Who("c_f027", {"referent"}, "office-1"), r, false).has_value());
  CHECK_FALSE(ResolveActor(Who("c_d171", {"operator"}), r, false).has_value());  // another tenant
  CHECK(ResolveActor(Who("c_d171", {"operator"}), r, true) == Actor::kCitizen);   // but holding the token
  CHECK(ResolveActor({}, r, true) == Actor::kCitizen);
  CHECK_FALSE(ResolveActor({}, r, false).has_value());
  CHECK_FALSE(ResolveActor(Who("c_f027", {"partner"}), r, false).has_value());
  auto unsigned_operator = Who("c_f027", {"operator"});
  unsigned_operator.authenticated = false;
  CHECK_FALSE(ResolveActor(unsigned_operator, r, false).has_value());
}

TEST_CASE("status changes move the clock and the times", "[workflow]") {
  absl::TimeZone utc = absl::UTCTimeZone();
  absl::Time t0 = absl::FromCivil(absl::CivilSecond(2026, 11, 2, 9, 0, 0), utc);
  Request r;
  r.status = Status::kInProgress;
  r.due_time = t0 + absl::Hours(24 * 30);
  ApplyStatus(r, Status::kWaitingCitizen, t0, utc, 30);
  REQUIRE(r.paused_since.has_value());
  CHECK(r.first_answer_time == t0);  // asking the citizen is the office's first answer
  // Three days waiting: the due time moves three days on.
  ApplyStatus(r, Status::kInProgress, t0 + absl::Hours(72), utc, 30);
  CHECK_FALSE(r.paused_since.has_value());
  CHECK(r.due_time == t0 + absl::Hours(24 * 33));
  ApplyStatus(r, Status::kResolved, t0 + absl::Hours(96), utc, 30);
  CHECK(r.resolved_time == t0 + absl::Hours(96));
  CHECK_FALSE(r.closed_time.has_value());
  ApplyStatus(r, Status::kClosed, t0 + absl::Hours(100), utc, 30);
  CHECK(r.closed_time == t0 + absl::Hours(100));
  // Reopening clears the ends and starts a new deadline.
  ApplyStatus(r, Status::kReopened, t0 + absl::Hours(200), utc, 30);
  CHECK_FALSE(r.closed_time.has_value());
  CHECK_FALSE(r.resolved_time.has_value());
  CHECK(r.due_time > t0 + absl::Hours(200 + 24 * 29));
  CHECK(r.status == Status::kReopened);
}

TEST_CASE("a civic-access decision needs an outcome and a real date", "[workflow]") {
  Request r;
  r.kind = Kind::kCivicAccess;
  CHECK(DecideAccess(r, "  accolto ", "2026-11-20").ok());
  CHECK(r.civic_access.outcome == "accolto");
  CHECK(r.civic_access.decision_date == "2026-11-20");
  CHECK(DecideAccess(r, "", "2026-11-20").code() == absl::StatusCode::kInvalidArgument);
  CHECK(DecideAccess(r, "respinto", "2026-02-30").code() == absl::StatusCode::kInvalidArgument);
  CHECK(DecideAccess(r, "respinto", "20/11/2026").code() == absl::StatusCode::kInvalidArgument);
  CHECK(r.civic_access.outcome == "accolto");  // a refused decision changes nothing
  Request complaint;
  complaint.kind = Kind::kComplaint;
  CHECK(DecideAccess(complaint, "accolto", "2026-11-20").code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("back to work from resolved: no longer resolved nor closed, and overdue when past due", "[workflow]") {
  absl::TimeZone utc = absl::UTCTimeZone();
  absl::Time t0 = absl::FromCivil(absl::CivilSecond(2026, 11, 2, 9, 0, 0), utc);
  Request r;
  r.status = Status::kInProgress;
  r.due_time = t0 + absl::Hours(24 * 30);
  ApplyStatus(r, Status::kResolved, t0, utc, 30);
  REQUIRE(r.resolved_time.has_value());
  ApplyStatus(r, Status::kInProgress, t0 + absl::Hours(24), utc, 30);
  CHECK_FALSE(r.resolved_time.has_value());
  CHECK_FALSE(r.closed_time.has_value());
  CHECK(r.due_time == t0 + absl::Hours(24 * 30));  // the original deadline still runs
  CHECK(IsOverdue(r, t0 + absl::Hours(24 * 31)));
  // Resolved, then closed: both times kept.
  ApplyStatus(r, Status::kResolved, t0 + absl::Hours(48), utc, 30);
  ApplyStatus(r, Status::kClosed, t0 + absl::Hours(72), utc, 30);
  CHECK(r.resolved_time == t0 + absl::Hours(48));
  CHECK(r.closed_time == t0 + absl::Hours(72));
}
