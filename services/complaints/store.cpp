#include "services/complaints/store.h"

#include <algorithm>
#include <map>
#include <type_traits>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/db/pool.h"
#include "common/db/sql_time.h"
#include "common/outbox/outbox.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/complaints/access.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/plan.h"

// The store idiom (common/db/pool.h): every SQL text is a named db::Statement
// beside the code that runs it, prepared once per connection; Pool::Read and
// Pool::Write lend the transaction (Write commits only on OK); columns are
// read by name. Times are parameters from the injected Clock, in
// micro-seconds since the epoch (common/db/sql_time.h), never the database's now().

namespace sportello::complaints {
namespace {

namespace json = boost::json;
using db::Micros, db::MicrosText, db::OptT, db::OptTime, db::T, db::Us;

// The columns of a request, by name (FromRow).
const std::string kColumns =
    "r.id::text AS id, r.number, r.tenant, r.kind, r.category, r.category_name, r.subject, r.description, "
    "coalesce(r.latitude::text, '') AS latitude, coalesce(r.longitude::text, '') AS longitude, r.address, "
    "r.attributes::text AS attributes, r.media_urls::text AS media_urls, r.channel, r.is_public, r.status, "
    "r.office_id, " +
    Micros("r.create_time", "create_micros") + ", " + Micros("r.update_time", "update_micros") + ", " +
    Micros("r.due_time", "due_micros") + ", " + Micros("r.paused_since", "paused_micros") + ", " +
    Micros("r.first_answer_time", "first_answer_micros") + ", " + Micros("r.resolved_time", "resolved_micros") +
    ", " + Micros("r.closed_time", "closed_micros") +
    ", r.duplicate_of, r.forwarded_to, r.forwarded_from, r.access_object, r.access_outcome, "
    "coalesce(to_char(r.access_decision, 'YYYY-MM-DD'), '') AS access_decision, r.access_proactive, "
    "r.access_interest, r.access_outcome_code, r.access_exception, r.access_published_url, r.review_outcome, "
    "coalesce(to_char(r.review_decision, 'YYYY-MM-DD'), '') AS review_decision, " +
    Micros("r.suspended_until", "suspended_micros");

// The statuses in which a request counts as answered (CountsAsAnswered), as a
// text[] parameter: the SQL's "open" and "overdue" are the domain's.
std::string AnsweredStatusArray() {
  std::vector<std::string> names;
  for (Status s : AnsweredStatuses()) names.emplace_back(StatusName(s));
  return db::TextArray(names);
}

// Overdue as IsOverdue says (deadlines.h): the time in $now, the answered
// statuses in $answered. A counter-party suspension whose window passed
// counts as ended (the due time moved on by it) even if no one has touched
// the request since: such a request is escalated and listed as overdue too.
std::string Overdue(int now, int answered) {
  return "(NOT (r.status = ANY($" + std::to_string(answered) + "::text[])) AND CASE"
         " WHEN r.paused_since IS NULL THEN r.due_time < " + T(now) +
         " WHEN r.suspended_until IS NOT NULL AND r.suspended_until <= " + T(now) +
         " THEN r.due_time + greatest(r.suspended_until - r.paused_since, interval '0') < " + T(now) +
         " ELSE false END)";
}

std::string JsonAttributes(const std::map<std::string, std::vector<std::string>>& attrs) {
  json::object o;
  for (const auto& [code, values] : attrs) {
    json::array a;
    for (const auto& v : values) a.emplace_back(json::string(v));
    o[code] = std::move(a);
  }
  return json::serialize(o);
}

std::string JsonStrings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(json::string(s));
  return json::serialize(a);
}

Request FromRow(const pqxx::row& r) {
  Request q;
  q.id = r["id"].as<std::string>();
  q.number = r["number"].as<std::string>();
  q.tenant = r["tenant"].as<std::string>();
  q.kind = KindFromName(r["kind"].as<std::string>()).value_or(Kind::kReport);
  q.category = r["category"].as<std::string>();
  q.category_name = r["category_name"].as<std::string>();
  q.subject = r["subject"].as<std::string>();
  q.description = r["description"].as<std::string>();
  std::string lat = r["latitude"].as<std::string>(), lon = r["longitude"].as<std::string>();
  if (!lat.empty() && !lon.empty()) q.location = Location{std::stod(lat), std::stod(lon)};
  q.address = r["address"].as<std::string>();
  json::error_code ec;
  json::value attrs = json::parse(r["attributes"].as<std::string>(), ec);
  if (!ec && attrs.is_object()) {
    for (const auto& [code, values] : attrs.as_object()) {
      auto& out = q.attributes[std::string(code)];
      if (values.is_array()) {
        for (const auto& v : values.as_array()) {
          if (v.is_string()) out.emplace_back(v.as_string());
        }
      }
    }
  }
  json::value media = json::parse(r["media_urls"].as<std::string>(), ec);
  if (!ec && media.is_array()) {
    for (const auto& v : media.as_array()) {
      if (v.is_string()) q.media_urls.emplace_back(v.as_string());
    }
  }
  q.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kWeb);
  q.is_public = r["is_public"].as<bool>();
  q.status = StatusFromName(r["status"].as<std::string>()).value_or(Status::kReceived);
  q.office_id = r["office_id"].as<std::string>();
  q.create_time = absl::FromUnixMicros(r["create_micros"].as<long long>());
  q.update_time = absl::FromUnixMicros(r["update_micros"].as<long long>());
  q.due_time = absl::FromUnixMicros(r["due_micros"].as<long long>());
  q.paused_since = OptTime(r["paused_micros"]);
  q.first_answer_time = OptTime(r["first_answer_micros"]);
  q.resolved_time = OptTime(r["resolved_micros"]);
  q.closed_time = OptTime(r["closed_micros"]);
  q.duplicate_of = r["duplicate_of"].as<std::string>();
  q.forwarded_to = r["forwarded_to"].as<std::string>();
  q.forwarded_from = r["forwarded_from"].as<std::string>();
  CivicAccess& a = q.civic_access;
  a.object = r["access_object"].as<std::string>();
  a.outcome = r["access_outcome"].as<std::string>();
  a.decision_date = r["access_decision"].as<std::string>();
  a.publish_proactively = r["access_proactive"].as<bool>();
  a.interest = r["access_interest"].as<std::string>();
  a.outcome_code = AccessOutcomeFromName(r["access_outcome_code"].as<std::string>()).value_or(AccessOutcome::kNone);
  a.exception = AccessExceptionFromName(r["access_exception"].as<std::string>()).value_or(AccessException::kNone);
  a.published_url = r["access_published_url"].as<std::string>();
  a.review_outcome = ReviewOutcomeFromName(r["review_outcome"].as<std::string>()).value_or(ReviewOutcome::kNone);
  a.review_decision_date = r["review_decision"].as<std::string>();
  a.suspended_until = OptTime(r["suspended_micros"]);
  return q;
}

std::string VisibilityName(Visibility v) {
  switch (v) {
    case Visibility::kPublic: return "public";
    case Visibility::kInternal: return "internal";
    case Visibility::kCitizen: return "citizen";
  }
  return "public";
}

Visibility VisibilityFromName(const std::string& s) {
  if (s == "internal") return Visibility::kInternal;
  if (s == "citizen") return Visibility::kCitizen;
  return Visibility::kPublic;
}

std::string StatusText(const std::optional<Status>& s) { return s ? std::string(StatusName(*s)) : ""; }

// ---- Writing a request

const db::Statement kInsertHistory{"complaints.insert_history",
    "INSERT INTO complaints.history (request_id, actor, action, from_status, to_status, visibility, text, "
    "office_id, at) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, " + T(9) + ") RETURNING id"};

long long InsertHistory(pqxx::work& tx, const std::string& request_id, const HistoryRecord& h) {
  return db::Exec(tx, kInsertHistory, request_id, h.actor, h.action, StatusText(h.from_status),
                  StatusText(h.to_status), VisibilityName(h.visibility), h.text, h.office_id, Us(h.time))
      .at(0)["id"]
      .as<long long>();
}

// Events go last in each transaction: outbox::Append takes the lock that
// makes sequence order commit order, held until commit.
void InsertEvents(pqxx::work& tx, const std::vector<outbox::NewEvent>& events) {
  outbox::Append(tx, kSchema, events);
}

void WriteHistory(pqxx::work& tx, const Request& q, Mutation& m) {
  for (auto& h : m.history) h.id = InsertHistory(tx, q.id, h);
}

std::string CreatedEventData(const Request& q);

outbox::NewEvent CreatedEvent(const Request& q) {
  return {q.tenant, "request.created", q.number, CreatedEventData(q), q.create_time};
}

// A new due time (a pause, a reopening) may become overdue again: escalate it again then.
const db::Statement kUpdateRequest{"complaints.update_request",
    "UPDATE complaints.requests SET overdue_notified = overdue_notified AND due_time = " + OptT(4) +
    ", status = $2, office_id = $3, due_time = " + OptT(4) + ", paused_since = " + OptT(5) +
    ", first_answer_time = " + OptT(6) + ", resolved_time = " + OptT(7) + ", closed_time = " + OptT(8) +
    ", duplicate_of = $9, forwarded_to = $10, access_outcome = $11, access_decision = nullif($12, '')::date, "
    "update_time = " + T(13) + ", access_outcome_code = $14, access_exception = $15, access_published_url = $16, "
    "review_outcome = $17, review_decision = nullif($18, '')::date, suspended_until = " + OptT(19) +
    " WHERE id = $1::uuid"};

void SaveRequest(pqxx::work& tx, const Request& q, absl::Time now) {
  db::Exec(tx, kUpdateRequest, q.id, std::string(StatusName(q.status)), q.office_id, MicrosText(q.due_time),
           MicrosText(q.paused_since), MicrosText(q.first_answer_time), MicrosText(q.resolved_time),
           MicrosText(q.closed_time), q.duplicate_of, q.forwarded_to, q.civic_access.outcome,
           q.civic_access.decision_date, Us(now), std::string(AccessOutcomeName(q.civic_access.outcome_code)),
           std::string(AccessExceptionName(q.civic_access.exception)), q.civic_access.published_url,
           std::string(ReviewOutcomeName(q.civic_access.review_outcome)), q.civic_access.review_decision_date,
           MicrosText(q.civic_access.suspended_until));
}

// ---- Counter-interested parties: personal data, read with the request.

const db::Statement kSelectParties{"complaints.select_counter_parties",
    "SELECT id, name, channel, address, " + Micros("notify_time", "notify_micros") + ", " +
    Micros("objection_due", "due_micros") + ", " + Micros("objection_time", "objection_micros") +
    ", objection FROM complaints.counter_parties WHERE request_id = $1::uuid ORDER BY id"};
const db::Statement kInsertParty{"complaints.insert_counter_party",
    "INSERT INTO complaints.counter_parties (request_id, name, channel, address, notify_time, objection_due) "
    "VALUES ($1::uuid, $2, $3, $4, " + T(5) + ", " + T(6) + ") RETURNING id"};
const db::Statement kUpdateParty{"complaints.update_counter_party",
    "UPDATE complaints.counter_parties SET objection_time = " + OptT(3) + ", objection = $4 "
    "WHERE id = $2::bigint AND request_id = $1::uuid"};

void LoadParties(pqxx::transaction_base& tx, Request& q) {
  q.civic_access.counter_parties.clear();
  if (!IsAccessKind(q.kind)) return;
  for (const auto& r : db::Exec(tx, kSelectParties, q.id)) {
    CounterParty p;
    p.id = r["id"].as<long long>();
    p.name = r["name"].as<std::string>();
    p.channel = NoticeChannelFromName(r["channel"].as<std::string>()).value_or(NoticeChannel::kPec);
    p.address = r["address"].as<std::string>();
    p.notify_time = absl::FromUnixMicros(r["notify_micros"].as<long long>());
    p.objection_due = absl::FromUnixMicros(r["due_micros"].as<long long>());
    p.objection_time = OptTime(r["objection_micros"]);
    p.objection = r["objection"].as<std::string>();
    q.civic_access.counter_parties.push_back(std::move(p));
  }
}

// New parties (id 0) are inserted and get their ids; the others keep their objection.
void SaveParties(pqxx::work& tx, Request& q) {
  for (CounterParty& p : q.civic_access.counter_parties) {
    if (p.id == 0) {
      p.id = db::Exec(tx, kInsertParty, q.id, p.name, std::string(NoticeChannelName(p.channel)), p.address,
                      Us(p.notify_time), Us(p.objection_due))
                 .at(0)["id"]
                 .as<long long>();
    } else {
      db::Exec(tx, kUpdateParty, q.id, p.id, MicrosText(p.objection_time), p.objection);
    }
  }
}

const db::Statement kLockRequest{"complaints.lock_request",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.number = $1 FOR UPDATE"};
const db::Statement kSelectRequestById{"complaints.select_request_by_id",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.id = $1::uuid"};
const db::Statement kSelectRequest{"complaints.select_request",
    "SELECT " + kColumns + ", r.token_hash FROM complaints.requests r WHERE r.number = $1"};

std::optional<Request> LockRequest(pqxx::work& tx, const std::string& number) {
  auto rows = db::Exec(tx, kLockRequest, number);
  if (rows.empty()) return std::nullopt;
  Request q = FromRow(rows[0]);
  LoadParties(tx, q);
  return q;
}

Request Reread(pqxx::work& tx, const std::string& id) {
  Request q = FromRow(db::Exec(tx, kSelectRequestById, id).at(0));
  LoadParties(tx, q);
  return q;
}

// The tenant's routing rules (a handful): the domain picks one (RouteOffice).
const db::Statement kTenantRules{"complaints.tenant_rules",
    "SELECT tenant, category, kind, office_id FROM complaints.routing_rules WHERE tenant = $1 ORDER BY category, kind"};

// Rules from rows of kTenantRules or kDrawNumber (whose rows carry a null
// category when the tenant has none).
std::vector<RoutingRule> RulesOf(const pqxx::result& rows) {
  std::vector<RoutingRule> out;
  for (const auto& r : rows) {
    if (r["category"].is_null()) continue;
    out.push_back({r["tenant"].as<std::string>(), r["category"].as<std::string>(), r["kind"].as<std::string>(),
                   r["office_id"].as<std::string>()});
  }
  return out;
}

std::vector<RoutingRule> TenantRules(pqxx::transaction_base& tx, const std::string& tenant) {
  return RulesOf(db::Exec(tx, kTenantRules, tenant));
}

const db::Statement kLockKey{"complaints.lock_key", "SELECT pg_advisory_xact_lock(hashtext($1))"};
const db::Statement kCountAccessRequesters{"complaints.count_access_requesters",
    "SELECT count(DISTINCT coalesce(nullif(requester_key, ''), id::text)) AS n FROM complaints.requests "
    "WHERE tenant = $1 AND kind IN ('civic_access', 'simple_civic_access') AND access_key = $2 AND create_time > " + T(4) +
    " - interval '1 year' AND requester_key IS DISTINCT FROM nullif($3, '')"};
const db::Statement kMarkProactive{"complaints.mark_proactive",
    "UPDATE complaints.requests SET access_proactive = true WHERE tenant = $1 "
    "AND kind IN ('civic_access', 'simple_civic_access') "
    "AND access_key = $2 AND create_time > " + T(3) + " - interval '1 year'"};

// The normalised object of a civic access that counts towards proactive
// publication; "" for every other request.
std::string AccessKeyOf(const Request& q) {
  return CountsForProactivePublication(q.kind) ? NormalizeAccessObject(q.civic_access.object) : "";
}

// Given the tenant's routing rules, reads what else the decision needs and
// lets the domain decide (PlanSubmission). With an access key the object
// stays locked until commit, so that two requesters of it at once are both
// counted: only inside a transaction.
SubmissionPlan PlanNew(pqxx::transaction_base& tx, const NewRequest& n, std::vector<RoutingRule> rules,
                       const std::string& access_key, const absl::TimeZone& zone, absl::Time now) {
  SubmissionFacts facts{now, zone, n.deadline_days, std::move(rules), n.routed_office_id, 0};
  if (!access_key.empty()) {
    db::Exec(tx, kLockKey, n.request.tenant + "\x1f" + access_key);
    facts.other_access_requesters =
        db::Exec(tx, kCountAccessRequesters, n.request.tenant, access_key, n.requester_key, Us(now))
            .at(0)["n"]
            .as<int>();
  }
  return PlanSubmission(n.request, facts);
}

// The data of "request.created".
std::string CreatedEventData(const Request& q) {
  json::object data{{"number", q.number}, {"kind", KindName(q.kind)}, {"category", q.category},
                    {"status", StatusName(q.status)}, {"office_id", q.office_id}};
  return json::serialize(data);
}

std::string HistoryJson(const std::vector<HistoryRecord>& history) {
  json::array a;
  for (const HistoryRecord& h : history) {
    a.emplace_back(json::object{{"actor", h.actor}, {"action", h.action}, {"from_status", StatusText(h.from_status)},
                                {"to_status", StatusText(h.to_status)}, {"visibility", VisibilityName(h.visibility)},
                                {"text", h.text}, {"office_id", h.office_id}, {"micros", Us(h.time)}});
  }
  return json::serialize(a);
}

// The next $3 numbers of the tenant's yearly counter, drawn by a statement that
// commits on its own without waiting for the disk (synchronous_commit off:
// the pool's default, set here too so that the statement does not rely on
// it): the counter row is locked for this statement alone, not
// through the request's commit, so a tenant's submissions do not queue on
// it. Safe: the submission is answered only after the pool has flushed the
// WAL past the request's commit, hence past this one (db/pool.h,
// "Durability"), so the number of a durable request is never drawn again
// after a crash; a number whose request then fails is skipped.
//
// The same round trip reads the tenant's routing rules (kTenantRules' columns,
// one row each; one row of nulls when there are none), which the plan needs
// before the insert: one round trip fewer for every submission.
const db::Statement kDrawNumber{"complaints.draw_number",
    "WITH drawn AS ("
    " INSERT INTO complaints.counters (tenant, year, last)"
    " SELECT $1, $2::integer, $3::integer FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"
    " ON CONFLICT (tenant, year) DO UPDATE SET last = counters.last + excluded.last RETURNING last)"
    " SELECT drawn.last, r.tenant, r.category, r.kind, r.office_id FROM drawn LEFT JOIN complaints.routing_rules r"
    " ON r.tenant = $1 ORDER BY r.category, r.kind"};

int YearOf(absl::Time now, const absl::TimeZone& zone) { return static_cast<int>(absl::ToCivilYear(now, zone).year()); }

struct Drawn {
  long long last = 0;  // the numbers drawn are the `count` up to this one
  std::vector<RoutingRule> rules;
};

Drawn DrawNumbers(pqxx::nontransaction& tx, const std::string& tenant, int year, int count) {
  pqxx::result rows = db::ExecCommitting(tx, kDrawNumber, tenant, year, count);
  return {rows.at(0)["last"].as<long long>(), RulesOf(rows)};
}

// The request numbered `last` (SQL of a bigint) as FormatNumber writes it
// ("F027-2026-000123": six digits at least), its reporter ($27) and its
// history ($32, a JSON array), as CTEs; `from` is where `last` comes from.
std::string InsertRequestCtes(const std::string& last, const std::string& from, const std::string& returning) {
  return " req AS ("
         " INSERT INTO complaints.requests (tenant, number, kind, category, category_name, subject, description,"
         " latitude, longitude, address, attributes, media_urls, channel, is_public, status, office_id, token_hash,"
         " due_time, access_object, access_key, access_proactive, requester_key, forwarded_from, create_time,"
         " update_time, access_interest)"
         " SELECT $1, $3 || '-' || $2::integer::text || '-' ||"
         " CASE WHEN " + last + " < 1000000 THEN lpad(" + last + "::text, 6, '0') ELSE " + last + "::text END,"
         " $4, $5, $6, $7, $8, nullif($9, '')::float8, nullif($10, '')::float8, $11, $12::jsonb, $13::jsonb, $14,"
         " $15::boolean, $16, $17, $18, " + T(19) + ", $20, $21, $22::boolean, $23, $24, " + T(25) + ", " + T(25) +
         ", $26" + from + " RETURNING " + returning + "),"
         " reporter AS ("
         " INSERT INTO complaints.reporters (request_id, name, email, phone, fiscal_code)"
         " SELECT id, $28, $29, $30, $31 FROM req WHERE $27::boolean RETURNING request_id),"
         " hist AS ("
         " INSERT INTO complaints.history (request_id, actor, action, from_status, to_status, visibility, text,"
         " office_id, at)"
         " SELECT req.id, h.actor, h.action, h.from_status, h.to_status, h.visibility, h.text, h.office_id,"
         " 'epoch'::timestamptz + h.micros * interval '1 microsecond'"
         " FROM req, ROWS FROM (jsonb_to_recordset($32::jsonb) AS (actor text, action text, from_status text,"
         " to_status text, visibility text, text text, office_id text, micros bigint)) WITH ORDINALITY"
         " AS h(actor, action, from_status, to_status, visibility, text, office_id, micros, n) ORDER BY h.n"
         " RETURNING request_id)";
}

// A new request whole, in one statement, numbered from the tenant's yearly
// counter, whose row then stays locked until commit, and read back. Its event
// is the caller's, appended last.
const db::Statement kInsertNumbered{"complaints.insert_numbered",
    "WITH counter AS ("
    " INSERT INTO complaints.counters (tenant, year, last) VALUES ($1, $2::integer, 1)"
    " ON CONFLICT (tenant, year) DO UPDATE SET last = counters.last + 1 RETURNING last)," +
    InsertRequestCtes("c.last", " FROM counter c", "*") + " SELECT " + kColumns + " FROM req r"};

// The same with its number drawn already ($33, by kDrawNumber), for a batch
// (SubmitTogether), which reads its rows back once: no counter and no columns
// to set up in each of its statements.
const db::Statement kInsertDrawn{"complaints.insert_drawn",
    "WITH" + InsertRequestCtes("$33::bigint", "", "id") + " SELECT 1"};

// `n`'s request as `plan` says, not yet numbered.
Request Planned(const NewRequest& n, const SubmissionPlan& plan) {
  Request q = n.request;
  q.status = plan.status;
  q.office_id = plan.office_id;
  q.due_time = plan.due_time;
  q.civic_access.publish_proactively = plan.publish_proactively;
  return q;
}

// Calls `f` with kInsertNumbered's arguments ($1 to $32, those kInsertDrawn
// shares) for `q` (Planned) in the counter of `year`.
template <typename F>
auto WithInsertArguments(const NewRequest& n, const Request& q, const SubmissionPlan& plan, int year,
                         absl::Time now, F&& f) {
  const bool with_reporter = q.reporter && !q.reporter->empty();
  const Reporter who = with_reporter ? *q.reporter : Reporter{};
  return f(q.tenant, year, NumberPrefix(q.tenant), std::string(KindName(q.kind)), q.category, q.category_name,
           q.subject, q.description, q.location ? std::to_string(q.location->latitude) : "",
           q.location ? std::to_string(q.location->longitude) : "", q.address, JsonAttributes(q.attributes),
           JsonStrings(q.media_urls), std::string(ChannelName(q.channel)), q.is_public,
           std::string(StatusName(q.status)), q.office_id, n.token_hash, Us(q.due_time), q.civic_access.object,
           plan.access_key, plan.publish_proactively, n.requester_key, q.forwarded_from, Us(now),
           q.civic_access.interest, with_reporter, who.name, who.email, who.phone, who.fiscal_code,
           HistoryJson(plan.history));
}

// Runs kInsertNumbered for `n` as `plan` says, drawing its number from the
// counter of `year` (whose row stays locked until commit).
Request InsertNumbered(pqxx::work& tx, const NewRequest& n, const SubmissionPlan& plan, int year, absl::Time now) {
  const Request q = Planned(n, plan);
  pqxx::result rows = WithInsertArguments(n, q, plan, year, now, [&](const auto&... args) {
    return db::Exec(tx, kInsertNumbered, args...);
  });
  Request created = FromRow(rows.at(0));
  created.reporter = q.reporter;
  return created;
}

// In a transaction: plans, marks the object's earlier requests for proactive
// publication when the plan says so, and inserts the request numbered,
// without its event (the caller appends events last).
Request InsertNew(pqxx::work& tx, const NewRequest& n, const absl::TimeZone& zone, absl::Time now) {
  const SubmissionPlan plan =
      PlanNew(tx, n, TenantRules(tx, n.request.tenant), AccessKeyOf(n.request), zone, now);
  if (plan.publish_proactively) db::Exec(tx, kMarkProactive, n.request.tenant, plan.access_key, Us(now));
  return InsertNumbered(tx, n, plan, YearOf(now, zone), now);
}

// Open public requests of the category in a box of about 55 m around the
// point: a pre-filter; the radius is the domain's (WithinDuplicateRadius).
const db::Statement kNearbyOpen{"complaints.nearby_open",
    "SELECT " + kColumns + " FROM complaints.requests r "
    "WHERE r.tenant = $1 AND r.category = $2 AND r.is_public "
    "AND r.create_time > " + T(5) + " - interval '30 days' AND NOT (r.status = ANY($6::text[])) "
    "AND r.latitude BETWEEN $3::float8 - 0.0005 AND $3::float8 + 0.0005 "
    "AND r.longitude BETWEEN $4::float8 - 0.0007 AND $4::float8 + 0.0007 "
    "ORDER BY r.create_time DESC LIMIT 100"};

// Read before the new request is inserted: it is not among them.
std::vector<std::pair<Request, double>> NearbyOpen(pqxx::transaction_base& tx, const Request& q, absl::Time now) {
  std::vector<std::pair<Request, double>> out;
  if (!q.location || q.category.empty()) return out;
  for (const auto& r : db::Exec(tx, kNearbyOpen, q.tenant, q.category, q.location->latitude, q.location->longitude,
                                Us(now), AnsweredStatusArray())) {
    Request other = FromRow(r);
    if (other.location && WithinDuplicateRadius(*q.location, *other.location)) {
      double distance = DistanceMeters(*q.location, *other.location);
      out.emplace_back(std::move(other), distance);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (out.size() > 10) out.resize(10);
  return out;
}

// Keyset pages ordered by (create_time DESC, id): the token holds both.
struct Keyset {
  std::string micros = "";  // "" on the first page
  std::string id = "";
};

absl::StatusOr<Keyset> DecodeKeyset(const std::string& token) {
  ASSIGN_OR_RETURN(std::vector<std::string> parts, DecodePageToken(token, 2));
  if (parts.empty()) return Keyset{};
  long long micros;
  if (!absl::SimpleAtoi(parts[0], &micros)) return InvalidPageToken();
  return Keyset{parts[0], parts[1]};
}

std::vector<std::string> RequestKey(const Request& r) {
  return {std::to_string(absl::ToUnixMicros(r.create_time)), r.id};
}

// After the key in $a (micros, "" on the first page) and $b (id); the page size in $c.
std::string KeysetClause(int a, int b, int c) {
  return absl::StrFormat(
      " AND ($%d = '' OR (r.create_time, r.id) < (%s, nullif($%d, '')::uuid))"
      " ORDER BY r.create_time DESC, r.id DESC LIMIT $%d::integer",
      a, OptT(a), b, c);
}

}  // namespace

// ---- Submitting, reading, changing

const db::Statement kSelectIdempotency{"complaints.select_idempotency",
    "SELECT fingerprint, response FROM complaints.idempotency WHERE tenant = $1 AND key = $2"};
const db::Statement kInsertIdempotency{"complaints.insert_idempotency",
    "INSERT INTO complaints.idempotency (tenant, key, fingerprint, response, create_time) "
    "VALUES ($1, $2, $3, $4, " + T(5) + ")"};

absl::StatusOr<Submitted> RequestStore::Submit(const NewRequest& n,
                                               const std::function<std::string(const Request&)>& response_of) {
  const absl::Time now = clock_.Now();
  if (n.idempotency_key.empty() && AccessKeyOf(n.request).empty()) {
    // The common case: with the submissions made meanwhile (SubmitTogether).
    SubmitJob job{&n};
    submissions_.Run(job);
    return std::move(job.result);
  }
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Submitted> {
    Submitted out;
    if (!n.idempotency_key.empty()) {
      // Serialises retries of one key; the row lookup then finds the first answer.
      db::Exec(tx, kLockKey, n.request.tenant + "\x1f" + n.idempotency_key);
      auto seen = db::Exec(tx, kSelectIdempotency, n.request.tenant, n.idempotency_key);
      if (!seen.empty()) {
        if (seen[0]["fingerprint"].as<std::string>() != n.fingerprint) {
          return absl::AlreadyExistsError("Idempotency-Key già usata per una richiesta diversa");
        }
        out.replay = pqxx::binarystring(seen[0]["response"]).str();
        return out;
      }
    }
    out.possible_duplicates = NearbyOpen(tx, n.request, now);
    out.request = InsertNew(tx, n, zone_, now);
    if (!n.idempotency_key.empty()) {
      db::Exec(tx, kInsertIdempotency, n.request.tenant, n.idempotency_key, n.fingerprint,
               pqxx::binarystring(response_of(out.request)), Us(now));
    }
    InsertEvents(tx, {CreatedEvent(out.request)});
    return out;
  });
}

// The rows of a batch, read back once it has committed. Prepared, because
// planning these columns cost more than reading them; the array behind a
// subquery, so that the planner cannot see its length and keeps one generic
// plan (db::TextArray).
const db::Statement kSelectNumbers{"complaints.select_numbers",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.number = ANY(CAST((SELECT $1::text[]) AS text[]))"};

// Submissions that need no lock of their own (no idempotency key, no access
// object), several at a time in three round trips: their numbers drawn (one
// statement a tenant, committed at once, see kDrawNumber), then all of their
// rows and, last, their events in one implicit transaction (one string of
// statements), then the pool's flush. A statement that fails rolls all of
// them back; each is then tried alone, so one bad submission never fails
// another. Once they are committed, nothing is tried again.
void RequestStore::SubmitTogether(std::vector<SubmitJob*>& batch) {
  const absl::Time now = clock_.Now();
  const int year = YearOf(now, zone_);
  bool committed = false;
  absl::Status status = pool_.Autocommit([&](pqxx::nontransaction& tx) -> absl::Status {
    std::map<std::string, std::vector<SubmitJob*>> by_tenant;  // each tenant's numbers in the jobs' order
    for (SubmitJob* job : batch) by_tenant[job->request->request.tenant].push_back(job);
    std::string statements;
    std::vector<std::string> numbers;
    std::vector<outbox::NewEvent> events;
    std::map<std::string, SubmitJob*> by_number;
    for (auto& [tenant, jobs] : by_tenant) {
      const Drawn drawn = DrawNumbers(tx, tenant, year, static_cast<int>(jobs.size()));
      long long number = drawn.last - static_cast<long long>(jobs.size());
      for (SubmitJob* job : jobs) {
        const NewRequest& n = *job->request;
        const SubmissionPlan plan = PlanNew(tx, n, drawn.rules, "", zone_, now);
        job->possible_duplicates = NearbyOpen(tx, n.request, now);
        Request q = Planned(n, plan);
        q.number = FormatNumber(NumberPrefix(tenant), year, ++number);
        q.create_time = now;
        statements += WithInsertArguments(n, q, plan, year, now, [&](const auto&... args) {
          return db::ExecuteSql(tx, kInsertDrawn, args..., number);
        });
        statements += ";\n";
        events.push_back(CreatedEvent(q));
        numbers.push_back(q.number);
        by_number[q.number] = job;
      }
    }
    statements += outbox::AppendSql(tx, kSchema, events);
    statements += ";\n" + db::ExecuteSql(tx, kSelectNumbers, db::TextArray(numbers));
    pqxx::result rows = db::ExecCommitting(tx, statements);
    committed = true;
    for (const auto& row : rows) {
      Request created = FromRow(row);
      auto job = by_number.find(created.number);
      if (job == by_number.end()) continue;
      created.reporter = job->second->request->request.reporter;
      job->second->result = Submitted{std::move(created), std::nullopt, std::move(job->second->possible_duplicates)};
      by_number.erase(job);
    }
    if (!by_number.empty()) return absl::InternalError("richieste salvate ma non rilette");
    return absl::OkStatus();
  });
  if (!status.ok()) {
    SettleFailedBatch(batch, status, committed, [this](std::vector<SubmitJob*>& alone) { SubmitTogether(alone); });
  }
}

const db::Statement kSelectReporter{"complaints.select_reporter",
    "SELECT name, email, phone, fiscal_code FROM complaints.reporters WHERE request_id = $1::uuid"};

absl::StatusOr<Request> RequestStore::Get(const std::string& number, bool with_reporter) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Request> {
    auto rows = db::Exec(tx, kSelectRequest, number);
    if (rows.empty()) return absl::NotFoundError("richiesta " + number + " non trovata");
    Request found = FromRow(rows[0]);
    LoadParties(tx, found);
    if (with_reporter) {
      auto rep = db::Exec(tx, kSelectReporter, found.id);
      if (!rep.empty()) {
        found.reporter = Reporter{rep[0]["name"].as<std::string>(), rep[0]["email"].as<std::string>(),
                                  rep[0]["phone"].as<std::string>(), rep[0]["fiscal_code"].as<std::string>()};
      }
    }
    return found;
  });
}

// A forwarded copy shares the token: the live request wins.
const db::Statement kSelectByTokenHash{"complaints.select_by_token_hash",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.token_hash = $1 "
    "ORDER BY (r.status = 'forwarded'), r.create_time DESC LIMIT 1"};

absl::StatusOr<Request> RequestStore::GetByTokenHash(const std::string& token_hash) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Request> {
    auto rows = db::Exec(tx, kSelectByTokenHash, token_hash);
    if (rows.empty()) return absl::NotFoundError("codice di verifica sconosciuto");
    return FromRow(rows[0]);
  });
}

absl::StatusOr<bool> RequestStore::TokenMatches(const std::string& number, const std::string& token_hash) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<bool> {
    auto rows = db::Exec(tx, kSelectRequest, number);
    return !rows.empty() && rows[0]["token_hash"].as<std::string>() == token_hash;
  });
}

absl::StatusOr<Request> RequestStore::Update(const std::string& number,
                                             const std::function<absl::Status(Request&, Mutation&)>& mutate,
                                             std::vector<HistoryRecord>* written) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Request> {
    std::optional<Request> q = LockRequest(tx, number);
    if (!q) return absl::NotFoundError("richiesta " + number + " non trovata");
    Mutation m;
    // A counter-party suspension that ended meanwhile is settled first (access.h).
    SettleSuspension(*q, clock_.Now());
    RETURN_IF_ERROR(mutate(*q, m));
    SaveRequest(tx, *q, clock_.Now());
    SaveParties(tx, *q);
    WriteHistory(tx, *q, m);
    if (written) *written = m.history;
    Request result = Reread(tx, q->id);
    InsertEvents(tx, m.events);
    return result;
  });
}

const db::Statement kSelectTokenHash{"complaints.select_token_hash",
    "SELECT token_hash FROM complaints.requests WHERE id = $1::uuid"};
const db::Statement kCopyReporter{"complaints.copy_reporter",
    "INSERT INTO complaints.reporters (request_id, name, email, phone, fiscal_code) "
    "SELECT $2::uuid, name, email, phone, fiscal_code FROM complaints.reporters WHERE request_id = $1::uuid "
    "ON CONFLICT DO NOTHING"};

absl::StatusOr<Request> RequestStore::Forward(
    const std::string& number, const NewRequest& copy,
    const std::function<absl::Status(Request&, const Request&, Mutation&)>& mutate) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Request> {
    std::optional<Request> original = LockRequest(tx, number);
    if (!original) return absl::NotFoundError("richiesta " + number + " non trovata");
    NewRequest n = copy;
    n.request.forwarded_from = original->number;
    n.token_hash = db::Exec(tx, kSelectTokenHash, original->id).at(0)["token_hash"].as<std::string>();
    const absl::Time now = clock_.Now();
    Request created = InsertNew(tx, n, zone_, now);
    // The personal data travel with the request: the citizen asked the Unione.
    db::Exec(tx, kCopyReporter, original->id, created.id);
    Mutation m;
    RETURN_IF_ERROR(mutate(*original, created, m));
    SaveRequest(tx, *original, now);
    WriteHistory(tx, *original, m);
    Request result = Reread(tx, original->id);
    // Both tenants' events under one lock: the order holds across the outbox.
    std::vector<outbox::NewEvent> events = {CreatedEvent(created)};
    events.insert(events.end(), m.events.begin(), m.events.end());
    InsertEvents(tx, events);
    return result;
  });
}

// ---- Lists

const db::Statement kListRequests{"complaints.list_requests",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.tenant = $1"
    " AND ($2 = '' OR r.kind = $2) AND ($3 = '' OR r.category = $3)"
    " AND ($4 = '' OR r.office_id = $4) AND ($5 = '' OR r.status = $5)"
    " AND ($6 = '' OR r.channel = $6)"
    " AND (NOT $7::boolean OR " + Overdue(14, 15) + ")"
    " AND ($8 = '' OR r.create_time >= " + OptT(8) + ")"
    " AND ($9 = '' OR r.create_time < " + OptT(9) + ")"
    " AND ($10 = '' OR r.subject ILIKE '%' || $10 || '%' OR r.description ILIKE '%' || $10 || '%')" +
    KeysetClause(11, 12, 13)};

// The staff's search text as an ILIKE pattern that matches it literally:
// '%' and '_' are characters to find, not wildcards ('\' is ILIKE's escape).
static std::string LiteralLikePattern(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

absl::StatusOr<Page<Request>> RequestStore::List(const RequestFilter& f, int page_size, const std::string& token) {
  ASSIGN_OR_RETURN(Keyset after, DecodeKeyset(token));
  ASSIGN_OR_RETURN(Page<Request> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Request>> {
    Page<Request> out;
    for (const auto& r : db::Exec(tx, kListRequests, f.tenant, std::string(f.kind ? KindName(*f.kind) : ""),
                                  f.category, f.office_id, std::string(f.status ? StatusName(*f.status) : ""),
                                  std::string(f.channel ? ChannelName(*f.channel) : ""), f.overdue_only,
                                  MicrosText(f.created_after), MicrosText(f.created_before), LiteralLikePattern(f.text), after.micros,
                                  after.id, page_size + 1, Us(clock_.Now()), AnsweredStatusArray())) {
      out.items.push_back(FromRow(r));
    }
    return out;
  }));
  TrimPage(page, page_size, RequestKey);
  return page;
}

// Open and closed as the domain says: answered statuses in $11.
const db::Statement kListPublic{"complaints.list_public",
    "SELECT " + kColumns + " FROM complaints.requests r WHERE r.tenant = $1 AND r.is_public"
    " AND (cardinality($2::text[]) = 0 OR r.number = ANY($2::text[]))"
    " AND ($3 = '' OR r.category = $3)"
    " AND ($4 = '' OR r.create_time >= " + OptT(4) + ")"
    " AND ($5 = '' OR r.create_time < " + OptT(5) + ")"
    " AND (NOT $6::boolean OR NOT (r.status = ANY($11::text[])))"
    " AND (NOT $7::boolean OR r.status = ANY($11::text[]))" +
    KeysetClause(8, 9, 10)};

absl::StatusOr<Page<Request>> RequestStore::ListPublic(const PublicFilter& f, int page_size,
                                                       const std::string& token) {
  ASSIGN_OR_RETURN(Keyset after, DecodeKeyset(token));
  const std::string numbers = db::TextArray(f.numbers);
  ASSIGN_OR_RETURN(Page<Request> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Request>> {
    Page<Request> out;
    for (const auto& r : db::Exec(tx, kListPublic, f.tenant, numbers, f.category, MicrosText(f.created_after),
                                  MicrosText(f.created_before), f.open_only, f.closed_only, after.micros, after.id,
                                  page_size + 1, AnsweredStatusArray())) {
      out.items.push_back(FromRow(r));
    }
    return out;
  }));
  TrimPage(page, page_size, RequestKey);
  return page;
}

const db::Statement kListPublicUpdates{"complaints.list_public_updates",
    "SELECT h.id, r.number, h.to_status, CASE WHEN h.visibility = 'public' THEN h.text ELSE '' END AS note, "
    "(extract(epoch FROM h.at) * 1000000)::bigint AS micros "
    "FROM complaints.history h JOIN complaints.requests r ON r.id = h.request_id "
    "WHERE r.tenant = $1 AND r.is_public AND h.to_status <> '' AND h.at >= " + T(2) +
    " AND h.id > $3::bigint ORDER BY h.id LIMIT $4::integer"};

absl::StatusOr<Page<PublicUpdate>> RequestStore::ListPublicUpdates(const std::string& tenant, absl::Time since,
                                                                   int page_size, const std::string& token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(token, 1));
  long long after_id = 0;
  if (!after.empty() && !absl::SimpleAtoi(after[0], &after_id)) return InvalidPageToken();
  ASSIGN_OR_RETURN(Page<PublicUpdate> page,
                   pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<PublicUpdate>> {
                     Page<PublicUpdate> out;
                     for (const auto& r : db::Exec(tx, kListPublicUpdates, tenant, Us(since), after_id, page_size + 1)) {
                       out.items.push_back({r["id"].as<long long>(), r["number"].as<std::string>(),
                                            StatusFromName(r["to_status"].as<std::string>()).value_or(Status::kReceived),
                                            r["note"].as<std::string>(),
                                            absl::FromUnixMicros(r["micros"].as<long long>())});
                     }
                     return out;
                   }));
  TrimPage(page, page_size, [](const PublicUpdate& u) { return std::vector<std::string>{std::to_string(u.id)}; });
  return page;
}

// Oldest first; the page key is the entry's id.
const db::Statement kSelectHistory{"complaints.select_history", R"SQL(
SELECT h.id, (extract(epoch FROM h.at) * 1000000)::bigint AS micros, h.actor, h.action, h.from_status,
       h.to_status, h.visibility, h.text, h.office_id
FROM complaints.history h JOIN complaints.requests r ON r.id = h.request_id
WHERE r.number = $1 AND ($2::boolean OR h.visibility <> 'internal') AND h.id > $3::bigint
ORDER BY h.id LIMIT $4::integer
)SQL"};

absl::StatusOr<Page<HistoryRecord>> RequestStore::History(const std::string& number, bool include_internal,
                                                          int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 1));
  long long after_id = 0;
  if (!after.empty() && !absl::SimpleAtoi(after[0], &after_id)) return InvalidPageToken();
  ASSIGN_OR_RETURN(Page<HistoryRecord> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<HistoryRecord>> {
    Page<HistoryRecord> out;
    for (const auto& r : db::Exec(tx, kSelectHistory, number, include_internal, after_id, page_size + 1)) {
      HistoryRecord h;
      h.id = r["id"].as<long long>();
      h.time = absl::FromUnixMicros(r["micros"].as<long long>());
      // Staff names stay inside: the public sees the office, not the person (HistoryToProto).
      h.actor = r["actor"].as<std::string>();
      h.action = r["action"].as<std::string>();
      h.from_status = StatusFromName(r["from_status"].as<std::string>());
      h.to_status = StatusFromName(r["to_status"].as<std::string>());
      h.visibility = VisibilityFromName(r["visibility"].as<std::string>());
      h.text = r["text"].as<std::string>();
      h.office_id = r["office_id"].as<std::string>();
      out.items.push_back(std::move(h));
    }
    return out;
  }));
  TrimPage(page, page_size, [](const HistoryRecord& h) { return std::vector<std::string>{std::to_string(h.id)}; });
  return page;
}

// The register: every access request by request date; the page key is
// (create_time, number). The outcome filter is EffectiveOutcome (access.h) in
// SQL: the decided outcome, else a documentary access past its due time (the
// counter-party suspension counted when it ended) is a refusal by silence.
// The reporter's and the parties' names come along only to scrub the object.
const std::string kEffectiveOutcome =
    "CASE WHEN r.access_outcome_code <> '' THEN r.access_outcome_code "
    "WHEN r.kind = 'documentary_access' AND r.access_outcome = '' "
    "AND r.status NOT IN ('withdrawn', 'forwarded', 'duplicate', 'rejected') AND CASE "
    "WHEN r.suspended_until IS NOT NULL AND r.suspended_until <= " + T(9) +
    " THEN r.due_time + (r.suspended_until - r.paused_since) < " + T(9) +
    " WHEN r.paused_since IS NULL THEN r.due_time < " + T(9) + " ELSE false END "
    "THEN 'silent_refusal' ELSE '' END";

const db::Statement kSelectAccessRegister{"complaints.select_access_register",
    "SELECT " + kColumns + ", to_char(r.create_time AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD') AS request_date, "
    "coalesce(p.name, '') AS reporter_name, "
    "(SELECT coalesce(string_agg(c.name, E'\\x1f'), '') FROM complaints.counter_parties c "
    " WHERE c.request_id = r.id) AS party_names, "
    "(SELECT count(*) FROM complaints.counter_parties c WHERE c.request_id = r.id) AS parties, "
    "EXISTS (SELECT 1 FROM complaints.counter_parties c WHERE c.request_id = r.id "
    " AND c.objection_time IS NOT NULL) AS objected "
    "FROM complaints.requests r LEFT JOIN complaints.reporters p ON p.request_id = r.id "
    "WHERE r.tenant = $1 AND r.kind IN ('civic_access', 'documentary_access', 'simple_civic_access') "
    "AND ($7 = '' OR r.kind = $7) "
    "AND (r.create_time AT TIME ZONE 'Europe/Rome')::date BETWEEN $2::date AND $3::date "
    "AND ($8 = '' OR (" + kEffectiveOutcome + ") = $8) "
    "AND ($4::bigint < 0 OR (r.create_time, r.number) > ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5)) "
    "ORDER BY r.create_time, r.number LIMIT $6::integer"};

absl::StatusOr<Page<AccessEntry>> RequestStore::AccessRegister(const AccessFilter& f, int page_size,
                                                               const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  long long after_micros = -1;
  std::string after_number;
  if (!after.empty()) {
    if (!absl::SimpleAtoi(after[0], &after_micros)) return InvalidPageToken();
    after_number = after[1];
  }
  const std::string kind = f.kind ? std::string(KindName(*f.kind)) : "";
  const std::string outcome = f.outcome ? std::string(AccessOutcomeName(*f.outcome)) : "";
  ASSIGN_OR_RETURN(Page<AccessEntry> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<AccessEntry>> {
    Page<AccessEntry> out;
    for (const auto& r : db::Exec(tx, kSelectAccessRegister, f.tenant, f.from_date, f.to_date, after_micros,
                                  after_number, page_size + 1, kind, outcome, Us(clock_.Now()))) {
      AccessEntry e;
      e.request = FromRow(r);
      e.request_date = r["request_date"].as<std::string>();
      e.names = absl::StrSplit(r["party_names"].as<std::string>(), '\x1f', absl::SkipEmpty());
      if (std::string name = r["reporter_name"].as<std::string>(); !name.empty()) e.names.push_back(name);
      e.counter_parties = r["parties"].as<int>();
      e.objected = r["objected"].as<bool>();
      out.items.push_back(std::move(e));
    }
    return out;
  }));
  TrimPage(page, page_size, [](const AccessEntry& e) {
    return std::vector<std::string>{std::to_string(absl::ToUnixMicros(e.request.create_time)), e.request.number};
  });
  return page;
}

// A simple civic access of the same object published already, with its link.
const db::Statement kSelectPublished{"complaints.select_published",
    "SELECT r.access_published_url AS url FROM complaints.requests r WHERE r.tenant = $1 "
    "AND r.kind IN ('civic_access', 'simple_civic_access') AND r.access_key = $2 "
    "AND r.access_outcome_code = 'published' AND r.access_published_url <> '' "
    "ORDER BY r.access_decision DESC NULLS LAST, r.create_time DESC LIMIT 1"};

absl::StatusOr<std::optional<std::string>> RequestStore::PublishedLink(const std::string& tenant,
                                                                       const std::string& object) {
  const std::string key = NormalizeAccessObject(object);
  if (key.empty()) return std::optional<std::string>();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::optional<std::string>> {
    auto rows = db::Exec(tx, kSelectPublished, tenant, key);
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0]["url"].as<std::string>());
  });
}

// ---- Figures

std::string CountsSql(const std::string& expr) {
  return "SELECT " + expr + " AS k, count(*) AS n FROM complaints.requests r WHERE r.tenant = $1 "
         "AND r.create_time >= " + T(2) + " AND r.create_time < " + T(3) + " GROUP BY k ORDER BY k";
}
const db::Statement kCountByKind{"complaints.count_by_kind", CountsSql("r.kind")};
const db::Statement kCountByCategory{"complaints.count_by_category",
                                     CountsSql("coalesce(nullif(r.category, ''), '(nessuna)')")};
const db::Statement kCountByOffice{"complaints.count_by_office",
                                   CountsSql("coalesce(nullif(r.office_id, ''), '(nessuno)')")};
const db::Statement kCountByChannel{"complaints.count_by_channel", CountsSql("r.channel")};
const db::Statement kCountByStatus{"complaints.count_by_status", CountsSql("r.status")};
const db::Statement kCountByMonth{"complaints.count_by_month",
                                  CountsSql("to_char(r.create_time AT TIME ZONE 'Europe/Rome', 'YYYY-MM')")};
const db::Statement kStatsSummary{"complaints.stats_summary",
    "SELECT count(*) AS total, "
    "coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answer_time - create_time)) "
    "/ 3600, 0) AS first_answer_hours, "
    "coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_time - create_time)) "
    "/ 3600, 0) AS resolution_hours, "
    "coalesce(avg(CASE WHEN resolved_time IS NULL THEN NULL WHEN resolved_time <= due_time THEN 1.0 ELSE 0.0 END), "
    "0) AS within_deadline "
    "FROM complaints.requests r WHERE r.tenant = $1 AND r.create_time >= " + T(2) + " AND r.create_time < " + T(3)};
const db::Statement kCountOverdue{"complaints.count_overdue",
    "SELECT count(*) AS n FROM complaints.requests r WHERE r.tenant = $1 AND " + Overdue(2, 3)};

absl::StatusOr<Stats> RequestStore::GetStats(const std::string& tenant, absl::Time from, absl::Time to) {
  const absl::Time now = clock_.Now();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Stats> {
    Stats s;
    auto counts = [&](const db::Statement& statement) {
      std::vector<std::pair<std::string, long long>> out;
      for (const auto& r : db::Exec(tx, statement, tenant, Us(from), Us(to))) {
        out.emplace_back(r["k"].as<std::string>(), r["n"].as<long long>());
      }
      return out;
    };
    s.by_kind = counts(kCountByKind);
    s.by_category = counts(kCountByCategory);
    s.by_office = counts(kCountByOffice);
    s.by_channel = counts(kCountByChannel);
    s.by_status = counts(kCountByStatus);
    s.by_month = counts(kCountByMonth);
    auto row = db::Exec(tx, kStatsSummary, tenant, Us(from), Us(to)).at(0);
    s.total = row["total"].as<long long>();
    s.median_hours_first_answer = row["first_answer_hours"].as<double>();
    s.median_hours_resolution = row["resolution_hours"].as<double>();
    s.resolved_within_deadline = row["within_deadline"].as<double>();
    s.overdue_now = db::Exec(tx, kCountOverdue, tenant, Us(now), AnsweredStatusArray()).at(0)["n"].as<long long>();
    return s;
  });
}

// ---- Routing rules

const db::Statement kUpsertRoutingRule{"complaints.upsert_routing_rule",
    "INSERT INTO complaints.routing_rules (tenant, category, kind, office_id) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (tenant, category, kind) DO UPDATE SET office_id = excluded.office_id"};

absl::Status RequestStore::SetRoutingRule(const RoutingRule& rule) {
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    db::Exec(tx, kUpsertRoutingRule, rule.tenant, rule.category, rule.kind, rule.office_id);
    return absl::OkStatus();
  });
}

// By category, then kind; the page key is both.
const db::Statement kSelectRoutingRules{"complaints.select_routing_rules", R"SQL(
SELECT tenant, category, kind, office_id FROM complaints.routing_rules
WHERE tenant = $1 AND (NOT $2::boolean OR (category, kind) > ($3, $4))
ORDER BY category, kind LIMIT $5::integer
)SQL"};

absl::StatusOr<Page<RoutingRule>> RequestStore::ListRoutingRules(const std::string& tenant, int page_size,
                                                                 const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 2));
  const bool paged = !after.empty();
  const std::string after_category = paged ? after[0] : "", after_kind = paged ? after[1] : "";
  ASSIGN_OR_RETURN(Page<RoutingRule> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<RoutingRule>> {
    Page<RoutingRule> out;
    for (const auto& r : db::Exec(tx, kSelectRoutingRules, tenant, paged, after_category, after_kind, page_size + 1)) {
      out.items.push_back({r["tenant"].as<std::string>(), r["category"].as<std::string>(),
                           r["kind"].as<std::string>(), r["office_id"].as<std::string>()});
    }
    return out;
  }));
  TrimPage(page, page_size, [](const RoutingRule& r) { return std::vector<std::string>{r.category, r.kind}; });
  return page;
}

// ---- Background work

// Only answered requests (the domain's statuses) closed or resolved before $2.
const db::Statement kPurgeReporters{"complaints.purge_reporters",
    "DELETE FROM complaints.reporters p USING complaints.requests r WHERE p.request_id = r.id "
    "AND ($1 = '' OR r.tenant = $1) AND r.status = ANY($3::text[]) "
    "AND coalesce(r.closed_time, r.resolved_time) < " + T(2)};
// The requester key identifies a person across requests: it goes too.
const db::Statement kPurgeRequesterKeys{"complaints.purge_requester_keys",
    "UPDATE complaints.requests SET requester_key = '' WHERE ($1 = '' OR tenant = $1) "
    "AND status = ANY($3::text[]) AND coalesce(closed_time, resolved_time) < " + T(2) + " AND requester_key <> ''"};

// Counter-interested parties' data go with the reporter's.
const db::Statement kPurgeParties{"complaints.purge_counter_parties",
    "UPDATE complaints.counter_parties c SET name = '', address = '', objection = '' FROM complaints.requests r "
    "WHERE c.request_id = r.id AND ($1 = '' OR r.tenant = $1) AND r.status = ANY($3::text[]) "
    "AND coalesce(r.closed_time, r.resolved_time) < " + T(2) + " AND (c.name <> '' OR c.address <> '')"};

absl::StatusOr<long long> RequestStore::PurgePersonalData(const std::string& tenant, absl::Time closed_before) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<long long> {
    long long purged =
        db::Exec(tx, kPurgeReporters, tenant, Us(closed_before), AnsweredStatusArray()).affected_rows();
    db::Exec(tx, kPurgeParties, tenant, Us(closed_before), AnsweredStatusArray());
    db::Exec(tx, kPurgeRequesterKeys, tenant, Us(closed_before), AnsweredStatusArray());
    return purged;
  });
}

const db::Statement kForgetIdempotency{"complaints.forget_idempotency",
    "DELETE FROM complaints.idempotency WHERE ($1 = '' OR tenant = $1) AND create_time < " + T(2)};

absl::StatusOr<long long> RequestStore::ForgetIdempotencyKeys(const std::string& tenant, absl::Time before) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<long long> {
    return static_cast<long long>(db::Exec(tx, kForgetIdempotency, tenant, Us(before)).affected_rows());
  });
}

const db::Statement kEscalate{"complaints.escalate",
    "UPDATE complaints.requests SET overdue_notified = true WHERE id IN ("
    "  SELECT id FROM complaints.requests r WHERE NOT overdue_notified AND ($4 = '' OR r.tenant = $4) AND " +
    Overdue(1, 3) + " ORDER BY due_time LIMIT $2::integer FOR UPDATE SKIP LOCKED) "
    "RETURNING id::text AS id, tenant, number, office_id, status"};

absl::StatusOr<int> RequestStore::EscalateOverdue(absl::Time now, int limit, const std::string& tenant) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<int> {
    std::vector<outbox::NewEvent> events;
    for (const auto& r : db::Exec(tx, kEscalate, Us(now), limit, AnsweredStatusArray(), tenant)) {
      const std::string office = r["office_id"].as<std::string>(), number = r["number"].as<std::string>();
      InsertHistory(tx, r["id"].as<std::string>(),
                    {0, now, "sistema", "escalated", std::nullopt, std::nullopt, Visibility::kInternal,
                     "Termine scaduto: segnalata al responsabile", office});
      json::object data{{"number", number}, {"office_id", office}, {"status", r["status"].as<std::string>()}};
      events.push_back({r["tenant"].as<std::string>(), "request.overdue", number, json::serialize(data), now});
    }
    InsertEvents(tx, events);
    return static_cast<int>(events.size());
  });
}

}  // namespace sportello::complaints
