#include "services/complaints/store.h"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/complaints/deadlines.h"
#include "services/complaints/intake.h"
#include "services/complaints/lifecycle.h"
#include "services/complaints/plan.h"

namespace sportello::complaints {
namespace {

namespace json = boost::json;

std::string Micros(const std::string& column) {
  return "coalesce((extract(epoch FROM " + column + ") * 1000000)::bigint, -1)";
}

const std::string kColumns =
    "r.id::text, r.number, r.tenant, r.kind, r.category, r.category_name, r.subject, r.description, "
    "coalesce(r.latitude::text, ''), coalesce(r.longitude::text, ''), r.address, r.attributes::text, "
    "r.media_urls::text, r.channel, r.is_public, r.status, r.office_id, " +
    Micros("r.create_time") + ", " + Micros("r.update_time") + ", " + Micros("r.due_time") + ", " +
    Micros("r.paused_since") + ", " + Micros("r.first_answer_time") + ", " + Micros("r.resolved_time") + ", " +
    Micros("r.closed_time") +
    ", r.duplicate_of, r.forwarded_to, r.forwarded_from, r.access_object, r.access_outcome, "
    "coalesce(to_char(r.access_decision, 'YYYY-MM-DD'), ''), r.access_proactive";

std::optional<absl::Time> OptTime(const pqxx::field& f) {
  long long v = f.as<long long>();
  if (v < 0) return std::nullopt;
  return absl::FromUnixMicros(v);
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
  q.id = r[0].as<std::string>();
  q.number = r[1].as<std::string>();
  q.tenant = r[2].as<std::string>();
  q.kind = KindFromName(r[3].as<std::string>()).value_or(Kind::kReport);
  q.category = r[4].as<std::string>();
  q.category_name = r[5].as<std::string>();
  q.subject = r[6].as<std::string>();
  q.description = r[7].as<std::string>();
  std::string lat = r[8].as<std::string>(), lon = r[9].as<std::string>();
  if (!lat.empty() && !lon.empty()) q.location = Location{std::stod(lat), std::stod(lon)};
  q.address = r[10].as<std::string>();
  json::error_code ec;
  json::value attrs = json::parse(r[11].as<std::string>(), ec);
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
  json::value media = json::parse(r[12].as<std::string>(), ec);
  if (!ec && media.is_array()) {
    for (const auto& v : media.as_array()) {
      if (v.is_string()) q.media_urls.emplace_back(v.as_string());
    }
  }
  q.channel = ChannelFromName(r[13].as<std::string>()).value_or(Channel::kWeb);
  q.is_public = r[14].as<bool>();
  q.status = StatusFromName(r[15].as<std::string>()).value_or(Status::kReceived);
  q.office_id = r[16].as<std::string>();
  q.create_time = absl::FromUnixMicros(r[17].as<long long>());
  q.update_time = absl::FromUnixMicros(r[18].as<long long>());
  q.due_time = absl::FromUnixMicros(r[19].as<long long>());
  q.paused_since = OptTime(r[20]);
  q.first_answer_time = OptTime(r[21]);
  q.resolved_time = OptTime(r[22]);
  q.closed_time = OptTime(r[23]);
  q.duplicate_of = r[24].as<std::string>();
  q.forwarded_to = r[25].as<std::string>();
  q.forwarded_from = r[26].as<std::string>();
  q.civic_access = {r[27].as<std::string>(), r[28].as<std::string>(), r[29].as<std::string>(), r[30].as<bool>()};
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

std::string MicrosText(const std::optional<absl::Time>& t) {
  return t ? std::to_string(absl::ToUnixMicros(*t)) : "";
}

// "" -> NULL, else a timestamptz from micro-seconds (exactly: to_timestamp
// of a double may round the last micro-second).
constexpr const char* kTimeParam = "('epoch'::timestamptz + nullif($%d, '')::bigint * interval '1 microsecond')";
std::string TimeParam(int n) { return absl::StrFormat(kTimeParam, n); }

// The statuses in which a request counts as answered (CountsAsAnswered), as a
// text[] parameter: the SQL's "open" and "overdue" are the domain's.
std::string AnsweredStatusArray() {
  std::string out = "{";
  for (Status s : AnsweredStatuses()) out += (out.size() > 1 ? "," : "") + std::string(StatusName(s));
  return out + "}";
}

// Overdue as IsOverdue says (deadlines.h), with the time in $%1$d and the
// answered statuses in $%2$d.
constexpr const char* kOverdueClause =
    "(r.due_time < ('epoch'::timestamptz + $%1$d::bigint * interval '1 microsecond') AND r.paused_since IS NULL "
    "AND NOT (r.status = ANY($%2$d::text[])))";
std::string OverdueClause(int now_param, int answered_param) {
  return absl::StrFormat(kOverdueClause, now_param, answered_param);
}

long long InsertHistory(pqxx::work& tx, const std::string& request_id, const HistoryRecord& h) {
  return tx
      .exec_params(
          "INSERT INTO complaints.history (request_id, actor, action, from_status, to_status, visibility, text, "
          "office_id, at) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, " + TimeParam(9) + ") RETURNING id",
          request_id, h.actor, h.action, StatusText(h.from_status), StatusText(h.to_status),
          VisibilityName(h.visibility), h.text, h.office_id, MicrosText(h.time))
      .at(0)
      .at(0)
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

outbox::NewEvent CreatedEvent(const Request& q) {
  json::object data{{"number", q.number}, {"kind", KindName(q.kind)}, {"category", q.category},
                    {"status", StatusName(q.status)}, {"office_id", q.office_id}};
  return {q.tenant, "request.created", q.number, json::serialize(data), q.create_time};
}

// Stores the mutable fields of a request.
void SaveRequest(pqxx::work& tx, const Request& q, absl::Time now) {
  // A new due time (a pause, a reopening) may become overdue again: escalate it again then.
  tx.exec_params("UPDATE complaints.requests SET overdue_notified = overdue_notified AND due_time = " +
                     TimeParam(4) + ", status = $2, office_id = $3, due_time = " + TimeParam(4) +
                     ", paused_since = " + TimeParam(5) + ", first_answer_time = " + TimeParam(6) +
                     ", resolved_time = " + TimeParam(7) + ", closed_time = " + TimeParam(8) +
                     ", duplicate_of = $9, forwarded_to = $10, access_outcome = $11, "
                     "access_decision = nullif($12, '')::date, update_time = " + TimeParam(13) + " WHERE id = $1::uuid",
                 q.id, std::string(StatusName(q.status)), q.office_id, MicrosText(q.due_time),
                 MicrosText(q.paused_since), MicrosText(q.first_answer_time), MicrosText(q.resolved_time),
                 MicrosText(q.closed_time), q.duplicate_of, q.forwarded_to, q.civic_access.outcome,
                 q.civic_access.decision_date, MicrosText(now));
}

Request LockRequest(pqxx::work& tx, const std::string& number, bool* found) {
  auto rows = tx.exec_params("SELECT " + kColumns + " FROM complaints.requests r WHERE r.number = $1 FOR UPDATE",
                             number);
  *found = !rows.empty();
  return rows.empty() ? Request{} : FromRow(rows[0]);
}

// The tenant's routing rules (a handful): the domain picks one (RouteOffice).
std::vector<RoutingRule> TenantRules(pqxx::transaction_base& tx, const std::string& tenant) {
  std::vector<RoutingRule> out;
  for (const auto& r : tx.exec_params("SELECT tenant, category, kind, office_id FROM complaints.routing_rules "
                                      "WHERE tenant = $1 ORDER BY category, kind",
                                      tenant)) {
    out.push_back({r["tenant"].as<std::string>(), r["category"].as<std::string>(), r["kind"].as<std::string>(),
                   r["office_id"].as<std::string>()});
  }
  return out;
}

// Inserts a new request with its reporter and history, under a provisional
// number: AssignNumber gives the real one at the end of the transaction, so
// that the per-tenant counter row stays locked only for the last statements
// and submissions to one administration do not queue behind each other.
Request InsertRequest(pqxx::work& tx, const NewRequest& n, const absl::TimeZone& zone, absl::Time now) {
  Request q = n.request;
  q.number = "provisional-" + n.token_hash.substr(0, 16) + "-" + std::to_string(absl::ToUnixNanos(now));
  // Read what the decision needs, let the domain decide (PlanSubmission), write the plan.
  SubmissionFacts facts{now, zone, n.deadline_days, TenantRules(tx, q.tenant), n.routed_office_id, 0};
  const std::string access_key = q.kind == Kind::kCivicAccess ? NormalizeAccessObject(q.civic_access.object) : "";
  if (!access_key.empty()) {
    // Two requesters of one object at once must both be counted.
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", q.tenant + "\x1f" + access_key);
    facts.other_access_requesters = tx.exec_params(
                             "SELECT count(DISTINCT coalesce(nullif(requester_key, ''), id::text)) AS n FROM "
                             "complaints.requests WHERE tenant = $1 AND kind = 'civic_access' AND access_key = $2 "
                             "AND create_time > " + TimeParam(4) + " - interval '1 year' AND requester_key IS DISTINCT FROM "
                             "nullif($3, '')",
                             q.tenant, access_key, n.requester_key, MicrosText(now))
                           .at(0)["n"]
                           .as<int>();
  }
  const SubmissionPlan plan = PlanSubmission(q, facts);
  q.status = plan.status;
  q.office_id = plan.office_id;
  q.due_time = plan.due_time;
  q.civic_access.publish_proactively = plan.publish_proactively;
  if (plan.publish_proactively) {
    tx.exec_params(
        "UPDATE complaints.requests SET access_proactive = true WHERE tenant = $1 AND kind = 'civic_access' "
        "AND access_key = $2 AND create_time > " + TimeParam(3) + " - interval '1 year'",
        q.tenant, plan.access_key, MicrosText(now));
  }
  auto row = tx.exec_params(
                   "INSERT INTO complaints.requests (tenant, number, kind, category, category_name, subject, "
                   "description, latitude, longitude, address, attributes, media_urls, channel, is_public, status, "
                   "office_id, token_hash, due_time, access_object, access_key, access_proactive, requester_key, "
                   "forwarded_from, create_time, update_time) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, '')::float8, nullif($9, '')::float8, $10, "
                   "$11::jsonb, $12::jsonb, $13, $14, $15, $16, $17, " +
                       TimeParam(18) + ", $19, $20, $21, $22, $23, " + TimeParam(24) + ", " + TimeParam(24) +
                       ") RETURNING id::text",
                   q.tenant, q.number, std::string(KindName(q.kind)), q.category, q.category_name, q.subject,
                   q.description, q.location ? std::to_string(q.location->latitude) : "",
                   q.location ? std::to_string(q.location->longitude) : "", q.address, JsonAttributes(q.attributes),
                   JsonStrings(q.media_urls), std::string(ChannelName(q.channel)), q.is_public,
                   std::string(StatusName(q.status)), q.office_id, n.token_hash, MicrosText(q.due_time),
                   q.civic_access.object, plan.access_key, plan.publish_proactively, n.requester_key, q.forwarded_from,
                   MicrosText(now))
                 .at(0);
  q.id = row[0].as<std::string>();
  if (q.reporter && !q.reporter->empty()) {
    tx.exec_params(
        "INSERT INTO complaints.reporters (request_id, name, email, phone, fiscal_code) "
        "VALUES ($1::uuid, $2, $3, $4, $5)",
        q.id, q.reporter->name, q.reporter->email, q.reporter->phone, q.reporter->fiscal_code);
  }
  for (const HistoryRecord& h : plan.history) InsertHistory(tx, q.id, h);
  return q;
}

// Gives the request its number ("F027-2026-000123") from the tenant's yearly
// counter and re-reads it. The counter row stays locked until commit: keep
// what follows short.
Request AssignNumber(pqxx::work& tx, Request q, const absl::TimeZone& zone, absl::Time now) {
  int year = static_cast<int>(absl::ToCivilYear(now, zone).year());
  long long seq = tx.exec_params(
                        "INSERT INTO complaints.counters (tenant, year, last) VALUES ($1, $2, 1) "
                        "ON CONFLICT (tenant, year) DO UPDATE SET last = counters.last + 1 RETURNING last",
                        q.tenant, year)
                      .at(0)
                      .at(0)
                      .as<long long>();
  q.number = FormatNumber(NumberPrefix(q.tenant), year, seq);
  tx.exec_params("UPDATE complaints.requests SET number = $2 WHERE id = $1::uuid", q.id, q.number);
  // Re-read so that times are the database's.
  return FromRow(tx.exec_params("SELECT " + kColumns + " FROM complaints.requests r WHERE r.id = $1::uuid", q.id)
                     .at(0));
}

constexpr const char* kNearbyOpen = R"SQL(
SELECT %s
FROM complaints.requests r
WHERE r.tenant = $1 AND r.category = $2 AND r.id <> $5::uuid AND r.is_public
  AND r.create_time > ('epoch'::timestamptz + $6::bigint * interval '1 microsecond') - interval '30 days'
  AND NOT (r.status = ANY($7::text[]))
  AND r.latitude BETWEEN $3 - 0.0005 AND $3 + 0.0005
  AND r.longitude BETWEEN $4 - 0.0007 AND $4 + 0.0007
ORDER BY r.create_time DESC LIMIT 100
)SQL";

std::vector<std::pair<Request, double>> NearbyOpen(pqxx::work& tx, const Request& q, absl::Time now) {
  std::vector<std::pair<Request, double>> out;
  if (!q.location || q.category.empty()) return out;
  auto rows = tx.exec_params(absl::StrFormat(kNearbyOpen, kColumns), q.tenant, q.category, q.location->latitude,
                             q.location->longitude, q.id,
                             static_cast<long long>(absl::ToUnixMicros(now)), AnsweredStatusArray());
  // The box above is a pre-filter (about 55 m around at these latitudes); the
  // radius is the domain's.
  for (const auto& r : rows) {
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

template <typename T>
absl::StatusOr<std::vector<T>> ReadRows(db::Pool& pool, const std::function<std::vector<T>(pqxx::read_transaction&)>& fn) {
  std::vector<T> out;
  absl::Status s = pool.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    out = fn(tx);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

// Keyset pages ordered by (create_time DESC, id): the token holds both.
struct Keyset {
  std::string micros = "";  // "" on the first page
  std::string id = "";
};

absl::StatusOr<Keyset> DecodeKeyset(const std::string& token) {
  ASSIGN_OR_RETURN(std::vector<std::string> parts, DecodePageToken(token));
  if (parts.empty()) return Keyset{};
  long long micros;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros)) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  return Keyset{parts[0], parts[1]};
}

std::vector<std::string> RequestKey(const Request& r) {
  return {std::to_string(absl::ToUnixMicros(r.create_time)), r.id};
}

const char* kKeysetClause =
    " AND ($%d = '' OR (r.create_time, r.id) < (to_timestamp($%d::bigint / 1000000.0), nullif($%d, '')::uuid))"
    " ORDER BY r.create_time DESC, r.id DESC LIMIT $%d";

std::vector<std::pair<std::string, long long>> Counts(pqxx::read_transaction& tx, const std::string& expr,
                                                      const std::string& tenant, const std::string& from,
                                                      const std::string& to) {
  std::vector<std::pair<std::string, long long>> out;
  auto rows = tx.exec_params("SELECT " + expr + " AS k, count(*) FROM complaints.requests r WHERE r.tenant = $1 "
                             "AND r.create_time >= " + TimeParam(2) + " AND r.create_time < " + TimeParam(3) +
                             " GROUP BY k ORDER BY k",
                             tenant, from, to);
  for (const auto& r : rows) out.emplace_back(r[0].as<std::string>(), r[1].as<long long>());
  return out;
}

}  // namespace

absl::StatusOr<Submitted> RequestStore::Submit(const NewRequest& n,
                                               const std::function<std::string(const Request&)>& response_of) {
  Submitted out;
  absl::Status status = pool_.Run([&](pqxx::connection& c) -> absl::Status {
    out = Submitted{};
    const absl::Time now = clock_.Now();
    pqxx::work tx(c);
    if (!n.idempotency_key.empty()) {
      // Serialises retries of one key; the row lookup then finds the first answer.
      tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", n.request.tenant + "\x1f" + n.idempotency_key);
      auto seen = tx.exec_params(
          "SELECT fingerprint, response FROM complaints.idempotency WHERE tenant = $1 AND key = $2",
          n.request.tenant, n.idempotency_key);
      if (!seen.empty()) {
        if (seen[0][0].as<std::string>() != n.fingerprint) {
          return absl::AlreadyExistsError("Idempotency-Key già usata per una richiesta diversa");
        }
        pqxx::binarystring bytes(seen[0][1]);
        out.replay = bytes.str();
        return absl::OkStatus();
      }
    }
    Request inserted = InsertRequest(tx, n, zone_, now);
    out.possible_duplicates = NearbyOpen(tx, inserted, now);
    out.request = AssignNumber(tx, std::move(inserted), zone_, now);
    if (!n.idempotency_key.empty()) {
      std::string response = response_of(out.request);
      tx.exec_params("INSERT INTO complaints.idempotency (tenant, key, fingerprint, response, create_time) "
                     "VALUES ($1, $2, $3, $4, " + TimeParam(5) + ")",
                     n.request.tenant, n.idempotency_key, n.fingerprint, pqxx::binarystring(response), MicrosText(now));
    }
    InsertEvents(tx, {CreatedEvent(out.request)});
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Request> RequestStore::Get(const std::string& number, bool with_reporter) {
  std::optional<Request> found;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    found.reset();
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params("SELECT " + kColumns + " FROM complaints.requests r WHERE r.number = $1", number);
    if (rows.empty()) return absl::OkStatus();
    found = FromRow(rows[0]);
    if (with_reporter) {
      auto rep = tx.exec_params(
          "SELECT name, email, phone, fiscal_code FROM complaints.reporters WHERE request_id = $1::uuid", found->id);
      if (!rep.empty()) {
        found->reporter = Reporter{rep[0][0].as<std::string>(), rep[0][1].as<std::string>(),
                                   rep[0][2].as<std::string>(), rep[0][3].as<std::string>()};
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("richiesta " + number + " non trovata");
  return *std::move(found);
}

absl::StatusOr<Request> RequestStore::GetByTokenHash(const std::string& token_hash) {
  ASSIGN_OR_RETURN(std::vector<Request> rows, ReadRows<Request>(pool_, [&](pqxx::read_transaction& tx) {
                     std::vector<Request> out;
                     for (const auto& r : tx.exec_params(
                              "SELECT " + kColumns + " FROM complaints.requests r WHERE r.token_hash = $1 "
                              "ORDER BY (r.status = 'forwarded'), r.create_time DESC LIMIT 1",
                              token_hash)) {
                       out.push_back(FromRow(r));
                     }
                     return out;
                   }));
  if (rows.empty()) return absl::NotFoundError("codice di verifica sconosciuto");
  return rows[0];
}

absl::StatusOr<bool> RequestStore::TokenMatches(const std::string& number, const std::string& token_hash) {
  ASSIGN_OR_RETURN(std::vector<bool> rows, ReadRows<bool>(pool_, [&](pqxx::read_transaction& tx) {
                     std::vector<bool> out;
                     for (const auto& r : tx.exec_params(
                              "SELECT token_hash = $2 FROM complaints.requests WHERE number = $1", number,
                              token_hash)) {
                       out.push_back(r[0].as<bool>());
                     }
                     return out;
                   }));
  return !rows.empty() && rows[0];
}

absl::StatusOr<Request> RequestStore::Update(const std::string& number,
                                             const std::function<absl::Status(Request&, Mutation&)>& mutate,
                                             std::vector<HistoryRecord>* written) {
  Request result;
  absl::Status status = pool_.Run([&](pqxx::connection& c) -> absl::Status {
    pqxx::work tx(c);
    bool found = false;
    Request q = LockRequest(tx, number, &found);
    if (!found) return absl::NotFoundError("richiesta " + number + " non trovata");
    Mutation m;
    RETURN_IF_ERROR(mutate(q, m));
    SaveRequest(tx, q, clock_.Now());
    WriteHistory(tx, q, m);
    if (written) *written = m.history;
    result = FromRow(tx.exec_params("SELECT " + kColumns + " FROM complaints.requests r WHERE r.id = $1::uuid", q.id)
                         .at(0));
    InsertEvents(tx, m.events);
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Request> RequestStore::Forward(
    const std::string& number, const NewRequest& copy,
    const std::function<absl::Status(Request&, const Request&, Mutation&)>& mutate) {
  Request result;
  absl::Status status = pool_.Run([&](pqxx::connection& c) -> absl::Status {
    pqxx::work tx(c);
    bool found = false;
    Request original = LockRequest(tx, number, &found);
    if (!found) return absl::NotFoundError("richiesta " + number + " non trovata");
    NewRequest n = copy;
    n.request.forwarded_from = original.number;
    n.token_hash = tx.exec_params("SELECT token_hash FROM complaints.requests WHERE id = $1::uuid", original.id)
                       .at(0)
                       .at(0)
                       .as<std::string>();
    const absl::Time now = clock_.Now();
    Request inserted = InsertRequest(tx, n, zone_, now);
    // The personal data travel with the request: the citizen asked the Unione.
    tx.exec_params(
        "INSERT INTO complaints.reporters (request_id, name, email, phone, fiscal_code) "
        "SELECT $2::uuid, name, email, phone, fiscal_code FROM complaints.reporters WHERE request_id = $1::uuid "
        "ON CONFLICT DO NOTHING",
        original.id, inserted.id);
    Request created = AssignNumber(tx, std::move(inserted), zone_, now);
    Mutation m;
    RETURN_IF_ERROR(mutate(original, created, m));
    SaveRequest(tx, original, now);
    WriteHistory(tx, original, m);
    result = FromRow(
        tx.exec_params("SELECT " + kColumns + " FROM complaints.requests r WHERE r.id = $1::uuid", original.id).at(0));
    // Both tenants' events under one lock: the order holds across the outbox.
    std::vector<outbox::NewEvent> events = {CreatedEvent(created)};
    events.insert(events.end(), m.events.begin(), m.events.end());
    InsertEvents(tx, events);
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Page<Request>> RequestStore::List(const RequestFilter& f, int page_size, const std::string& token) {
  ASSIGN_OR_RETURN(Keyset after, DecodeKeyset(token));
  Page<Request> page;
  std::string sql = "SELECT " + kColumns +
                    " FROM complaints.requests r WHERE r.tenant = $1"
                    " AND ($2 = '' OR r.kind = $2) AND ($3 = '' OR r.category = $3)"
                    " AND ($4 = '' OR r.office_id = $4) AND ($5 = '' OR r.status = $5)"
                    " AND ($6 = '' OR r.channel = $6)"
                    " AND (NOT $7 OR " + OverdueClause(14, 15) + ")"
                    " AND ($8 = '' OR r.create_time >= " + TimeParam(8) + ")"
                    " AND ($9 = '' OR r.create_time < " + TimeParam(9) + ")"
                    " AND ($10 = '' OR r.subject ILIKE '%' || $10 || '%' OR r.description ILIKE '%' || $10 || '%')" +
                    absl::StrFormat(kKeysetClause, 11, 11, 12, 13);
  ASSIGN_OR_RETURN(page.items, ReadRows<Request>(pool_, [&](pqxx::read_transaction& tx) {
                     std::vector<Request> out;
                     for (const auto& r : tx.exec_params(
                              sql, f.tenant, std::string(f.kind ? KindName(*f.kind) : ""), f.category, f.office_id,
                              std::string(f.status ? StatusName(*f.status) : ""),
                              std::string(f.channel ? ChannelName(*f.channel) : ""), f.overdue_only,
                              MicrosText(f.created_after), MicrosText(f.created_before), f.text, after.micros,
                              after.id, page_size + 1, static_cast<long long>(absl::ToUnixMicros(clock_.Now())),
                              AnsweredStatusArray())) {
                       out.push_back(FromRow(r));
                     }
                     return out;
                   }));
  TrimPage(page, page_size, RequestKey);
  return page;
}

absl::StatusOr<Page<Request>> RequestStore::ListPublic(const PublicFilter& f, int page_size,
                                                       const std::string& token) {
  ASSIGN_OR_RETURN(Keyset after, DecodeKeyset(token));
  std::string numbers = "{";
  for (const auto& n : f.numbers) {
    bool safe = !n.empty();
    for (char ch : n) safe = safe && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-');
    if (safe) numbers += (numbers.size() > 1 ? "," : "") + n;
  }
  numbers += "}";
  std::string sql = "SELECT " + kColumns +
                    " FROM complaints.requests r WHERE r.tenant = $1 AND r.is_public"
                    " AND (cardinality($2::text[]) = 0 OR r.number = ANY($2::text[]))"
                    " AND ($3 = '' OR r.category = $3)"
                    " AND ($4 = '' OR r.create_time >= " + TimeParam(4) + ")"
                    " AND ($5 = '' OR r.create_time < " + TimeParam(5) + ")"
                    " AND (NOT $6 OR r.status IN ('received','acknowledged','assigned','in_progress',"
                    "'waiting_citizen','reopened'))"
                    " AND (NOT $7 OR r.status NOT IN ('received','acknowledged','assigned','in_progress',"
                    "'waiting_citizen','reopened'))" +
                    absl::StrFormat(kKeysetClause, 8, 8, 9, 10);
  if (!f.numbers.empty() && numbers == "{}") return Page<Request>{};
  Page<Request> page;
  ASSIGN_OR_RETURN(page.items, ReadRows<Request>(pool_, [&](pqxx::read_transaction& tx) {
                     std::vector<Request> out;
                     for (const auto& r :
                          tx.exec_params(sql, f.tenant, numbers, f.category, MicrosText(f.created_after),
                                         MicrosText(f.created_before), f.open_only, f.closed_only, after.micros,
                                         after.id, page_size + 1)) {
                       out.push_back(FromRow(r));
                     }
                     return out;
                   }));
  TrimPage(page, page_size, RequestKey);
  return page;
}

absl::StatusOr<Page<PublicUpdate>> RequestStore::ListPublicUpdates(const std::string& tenant, absl::Time since,
                                                                   int page_size, const std::string& token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(token));
  long long after_id = 0;
  if (!after.empty() && (after.size() != 1 || !absl::SimpleAtoi(after[0], &after_id))) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  Page<PublicUpdate> page;
  ASSIGN_OR_RETURN(page.items, ReadRows<PublicUpdate>(pool_, [&](pqxx::read_transaction& tx) {
                     std::vector<PublicUpdate> out;
                     for (const auto& r : tx.exec_params(
                              "SELECT h.id, r.number, h.to_status, CASE WHEN h.visibility = 'public' THEN h.text "
                              "ELSE '' END, (extract(epoch FROM h.at) * 1000000)::bigint "
                              "FROM complaints.history h JOIN complaints.requests r ON r.id = h.request_id "
                              "WHERE r.tenant = $1 AND r.is_public AND h.to_status <> '' AND h.at >= " +
                                  TimeParam(2) + " AND h.id > $3 ORDER BY h.id LIMIT $4",
                              tenant, MicrosText(since), after_id, page_size + 1)) {
                       out.push_back({r[0].as<long long>(), r[1].as<std::string>(),
                                      StatusFromName(r[2].as<std::string>()).value_or(Status::kReceived),
                                      r[3].as<std::string>(), absl::FromUnixMicros(r[4].as<long long>())});
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
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  long long after_id = 0;
  if (!after.empty() && (after.size() != 1 || !absl::SimpleAtoi(after[0], &after_id))) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
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

// By request date; the page key is (create_time, number).
const db::Statement kSelectAccessRegister{"complaints.select_access_register", R"SQL(
SELECT number, access_object AS object,
       to_char(create_time AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD') AS request_date,
       access_outcome AS outcome, coalesce(to_char(access_decision, 'YYYY-MM-DD'), '') AS decision_date,
       access_proactive AS proactive, (extract(epoch FROM create_time) * 1000000)::bigint AS micros
FROM complaints.requests
WHERE tenant = $1 AND kind = 'civic_access'
  AND (create_time AT TIME ZONE 'Europe/Rome')::date BETWEEN $2::date AND $3::date
  AND ($4::bigint < 0 OR (create_time, number) > ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5))
ORDER BY create_time, number LIMIT $6::integer
)SQL"};

absl::StatusOr<Page<AccessEntry>> RequestStore::AccessRegister(const std::string& tenant, const std::string& from_date,
                                                               const std::string& to_date, int page_size,
                                                               const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  long long after_micros = -1;
  std::string after_number;
  if (!after.empty()) {
    if (after.size() != 2 || !absl::SimpleAtoi(after[0], &after_micros)) {
      return InvalidArgument({{"page_token", "page_token non valido"}});
    }
    after_number = after[1];
  }
  ASSIGN_OR_RETURN(Page<AccessEntry> page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<AccessEntry>> {
    Page<AccessEntry> out;
    for (const auto& r : db::Exec(tx, kSelectAccessRegister, tenant, from_date, to_date, after_micros, after_number,
                                  page_size + 1)) {
      out.items.push_back({r["number"].as<std::string>(), r["object"].as<std::string>(),
                           r["request_date"].as<std::string>(), r["outcome"].as<std::string>(),
                           r["decision_date"].as<std::string>(), r["proactive"].as<bool>(),
                           absl::FromUnixMicros(r["micros"].as<long long>())});
    }
    return out;
  }));
  TrimPage(page, page_size, [](const AccessEntry& e) {
    return std::vector<std::string>{std::to_string(absl::ToUnixMicros(e.create_time)), e.number};
  });
  return page;
}

absl::StatusOr<Stats> RequestStore::GetStats(const std::string& tenant, absl::Time from, absl::Time to) {
  Stats s;
  std::string f = MicrosText(from), t = MicrosText(to);
  const absl::Time now = clock_.Now();
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    s = Stats{};
    pqxx::read_transaction tx(c);
    s.by_kind = Counts(tx, "r.kind", tenant, f, t);
    s.by_category = Counts(tx, "coalesce(nullif(r.category, ''), '(nessuna)')", tenant, f, t);
    s.by_office = Counts(tx, "coalesce(nullif(r.office_id, ''), '(nessuno)')", tenant, f, t);
    s.by_channel = Counts(tx, "r.channel", tenant, f, t);
    s.by_status = Counts(tx, "r.status", tenant, f, t);
    s.by_month = Counts(tx, "to_char(r.create_time AT TIME ZONE 'Europe/Rome', 'YYYY-MM')", tenant, f, t);
    auto row = tx.exec_params(
                     "SELECT count(*), "
                     "coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answer_time - "
                     "create_time)) / 3600, 0), "
                     "coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_time - "
                     "create_time)) / 3600, 0), "
                     "coalesce(avg(CASE WHEN resolved_time IS NULL THEN NULL WHEN resolved_time <= due_time THEN 1.0 "
                     "ELSE 0.0 END), 0) "
                     "FROM complaints.requests r WHERE r.tenant = $1 AND r.create_time >= " +
                         TimeParam(2) + " AND r.create_time < " + TimeParam(3),
                     tenant, f, t)
                   .at(0);
    s.total = row[0].as<long long>();
    s.median_hours_first_answer = row[1].as<double>();
    s.median_hours_resolution = row[2].as<double>();
    s.resolved_within_deadline = row[3].as<double>();
    s.overdue_now = tx.exec_params(
                          "SELECT count(*) FROM complaints.requests r WHERE r.tenant = $1 AND " + OverdueClause(2, 3),
                          tenant, static_cast<long long>(absl::ToUnixMicros(now)), AnsweredStatusArray())
                        .at(0)
                        .at(0)
                        .as<long long>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return s;
}

absl::Status RequestStore::SetRoutingRule(const RoutingRule& rule) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO complaints.routing_rules (tenant, category, kind, office_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (tenant, category, kind) DO UPDATE SET office_id = excluded.office_id",
        rule.tenant, rule.category, rule.kind, rule.office_id);
    tx.commit();
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
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  if (!after.empty() && after.size() != 2) return InvalidArgument({{"page_token", "page_token non valido"}});
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

absl::StatusOr<long long> RequestStore::PurgePersonalData(const std::string& tenant, absl::Time closed_before) {
  long long purged = 0;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    purged = tx.exec_params(
                   "DELETE FROM complaints.reporters p USING complaints.requests r WHERE p.request_id = r.id "
                   "AND ($1 = '' OR r.tenant = $1) AND r.status = ANY($3::text[]) "
                   "AND coalesce(r.closed_time, r.resolved_time) < " + TimeParam(2),
                   tenant, MicrosText(closed_before), AnsweredStatusArray())
                 .affected_rows();
    // The requester key identifies a person across requests: it goes too.
    tx.exec_params("UPDATE complaints.requests SET requester_key = '' WHERE ($1 = '' OR tenant = $1) "
                   "AND status = ANY($3::text[]) AND coalesce(closed_time, resolved_time) < " +
                       TimeParam(2) + " AND requester_key <> ''",
                   tenant, MicrosText(closed_before), AnsweredStatusArray());
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return purged;
}

absl::StatusOr<long long> RequestStore::ForgetIdempotencyKeys(absl::Time before) {
  long long forgotten = 0;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    forgotten = tx.exec_params("DELETE FROM complaints.idempotency WHERE create_time < " + TimeParam(1),
                               MicrosText(before))
                    .affected_rows();
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return forgotten;
}

absl::StatusOr<int> RequestStore::EscalateOverdue(absl::Time now, int limit, const std::string& tenant) {
  int count = 0;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(
        "UPDATE complaints.requests SET overdue_notified = true WHERE id IN ("
        "  SELECT id FROM complaints.requests r WHERE NOT overdue_notified AND ($4 = '' OR r.tenant = $4) AND " +
            OverdueClause(1, 3) +
            "  ORDER BY due_time LIMIT $2 FOR UPDATE SKIP LOCKED) "
            "RETURNING id::text, tenant, number, office_id, status",
        static_cast<long long>(absl::ToUnixMicros(now)), limit, AnsweredStatusArray(), tenant);
    std::vector<outbox::NewEvent> events;
    for (const auto& r : rows) {
      std::string id = r[0].as<std::string>(), tenant = r[1].as<std::string>(), number = r[2].as<std::string>();
      InsertHistory(tx, id, {0, now, "sistema", "escalated", std::nullopt, std::nullopt, Visibility::kInternal,
                             "Termine scaduto: segnalata al responsabile", r[3].as<std::string>()});
      json::object data{{"number", number}, {"office_id", r[3].as<std::string>()}, {"status", r[4].as<std::string>()}};
      events.push_back({tenant, "request.overdue", number, json::serialize(data), now});
      ++count;
    }
    InsertEvents(tx, events);
    tx.commit();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

}  // namespace sportello::complaints
