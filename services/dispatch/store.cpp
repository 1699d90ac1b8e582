#include "services/dispatch/store.h"

#include <map>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/db/pool.h"
#include "common/db/sql_time.h"
#include "common/outbox/outbox.h"
#include "common/status.h"
#include "services/dispatch/approval.h"
#include "services/dispatch/blackout.h"
#include "services/dispatch/plan.h"

namespace sportello::dispatch {
namespace {

namespace json = boost::json;
using db::Micros, db::MicrosText, db::OptT, db::OptTime, db::T, db::Us;

std::string JsonList(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}
std::vector<std::string> ListJson(const std::string& text) {
  std::vector<std::string> out;
  json::value parsed = json::parse(text);  // kept alive while iterated
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string().c_str());
  return out;
}

std::string VariantsJson(const std::vector<Variant>& vs) {
  json::array a;
  for (const Variant& v : vs) {
    a.push_back(json::object{{"account_id", v.account_id}, {"text", v.text}, {"derived", v.derived},
                             {"shortened", v.shortened}, {"length", v.length}, {"limit", v.limit}});
  }
  return json::serialize(a);
}
std::vector<Variant> JsonVariants(const std::string& text) {
  std::vector<Variant> out;
  json::value parsed = json::parse(text);  // kept alive while iterated
  for (const auto& e : parsed.as_array()) {
    const auto& o = e.as_object();
    out.push_back(Variant{std::string(o.at("account_id").as_string()), std::string(o.at("text").as_string()),
                          o.at("derived").as_bool(), o.at("shortened").as_bool(),
                          static_cast<int>(o.at("length").as_int64()), static_cast<int>(o.at("limit").as_int64())});
  }
  return out;
}

// ---- accounts ----

const std::string kAccountColumns =
    "id::text AS id, tenant, channel, handle, public_url, owner_office, status, endpoint, recipients::text AS "
    "recipients, max_characters, second_tier, credential";

Account AccountFromRow(const pqxx::row& r) {
  Account a;
  a.id = r["id"].as<std::string>();
  a.tenant = r["tenant"].as<std::string>();
  a.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kFeed);
  a.handle = r["handle"].as<std::string>();
  a.public_url = r["public_url"].as<std::string>();
  a.owner_office = r["owner_office"].as<std::string>();
  a.status = AccountStatusFromName(r["status"].as<std::string>()).value_or(AccountStatus::kSuspended);
  a.endpoint = r["endpoint"].as<std::string>();
  a.recipients = ListJson(r["recipients"].as<std::string>());
  a.max_characters = r["max_characters"].as<int>();
  a.second_tier = r["second_tier"].as<bool>();
  a.credential = r["credential"].as<std::string>();
  return a;
}

const db::Statement kInsertAccount{"dispatch.insert_account",
    "INSERT INTO dispatch.accounts (tenant, channel, handle, public_url, owner_office, status, endpoint, recipients, "
    "max_characters, second_tier, credential) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11) "
    "RETURNING " + kAccountColumns};
const db::Statement kUpdateAccount{"dispatch.update_account",
    "UPDATE dispatch.accounts SET handle = $2, public_url = $3, owner_office = $4, status = $5, endpoint = $6, "
    "recipients = $7::jsonb, max_characters = $8, second_tier = $9, credential = $10 WHERE id = $1::uuid "
    "RETURNING " + kAccountColumns};
const db::Statement kSelectAccount{"dispatch.select_account",
    "SELECT " + kAccountColumns + " FROM dispatch.accounts WHERE id = $1::uuid"};
const db::Statement kListAccounts{"dispatch.list_accounts",
    "SELECT " + kAccountColumns + " FROM dispatch.accounts WHERE tenant = $1 AND id > coalesce(nullif($2, '')::uuid, "
    "'00000000-0000-0000-0000-000000000000') ORDER BY id LIMIT $3"};

bool ValidUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// ---- messages ----

const std::string kMessageColumns =
    "id::text AS id, tenant, author, title, text, link, account_ids::text AS account_ids, variants::text AS variants, " +
    Micros("scheduled_time", "scheduled_micros") +
    ", urgent, indispensable, blackout_justification, state, approvals::text AS approvals, sent, " +
    Micros("create_time", "create_micros") + ", " + Micros("update_time", "update_micros") + ", " +
    Micros("publish_time", "publish_micros") + ", coalesce(campaign_id::text, '') AS campaign_id, origin";

const db::Statement kSelectSteps{"dispatch.select_steps",
    "SELECT action, who, (extract(epoch FROM at) * 1000000)::bigint AS micros, text, note "
    "FROM dispatch.message_steps WHERE message_id = $1::uuid ORDER BY id"};

Message MessageFromRow(const pqxx::row& r) {
  Message m;
  m.id = r["id"].as<std::string>();
  m.tenant = r["tenant"].as<std::string>();
  m.author = r["author"].as<std::string>();
  m.title = r["title"].as<std::string>();
  m.text = r["text"].as<std::string>();
  m.link = r["link"].as<std::string>();
  m.account_ids = ListJson(r["account_ids"].as<std::string>());
  m.variants = JsonVariants(r["variants"].as<std::string>());
  m.scheduled_at = OptTime(r["scheduled_micros"]);
  m.urgent = r["urgent"].as<bool>();
  m.indispensable = r["indispensable"].as<bool>();
  m.blackout_justification = r["blackout_justification"].as<std::string>();
  m.state = MessageStateFromName(r["state"].as<std::string>()).value_or(MessageState::kDraft);
  m.approvals = ListJson(r["approvals"].as<std::string>());
  m.sent = r["sent"].as<bool>();
  m.created_at = *OptTime(r["create_micros"]);
  m.updated_at = *OptTime(r["update_micros"]);
  m.published_at = OptTime(r["publish_micros"]);
  m.campaign_id = r["campaign_id"].as<std::string>();
  m.origin = r["origin"].as<std::string>();
  return m;
}

void LoadSteps(pqxx::transaction_base& tx, Message& m) {
  m.history.clear();
  for (const auto& r : db::Exec(tx, kSelectSteps, m.id)) {
    m.history.push_back(Step{r["action"].as<std::string>(), r["who"].as<std::string>(),
                             absl::FromUnixMicros(r["micros"].as<long long>()), r["text"].as<std::string>(),
                             r["note"].as<std::string>()});
  }
}

const db::Statement kInsertMessage{"dispatch.insert_message",
    "INSERT INTO dispatch.messages (tenant, author, title, text, link, account_ids, variants, scheduled_time, urgent, "
    "indispensable, blackout_justification, state, approvals, create_time, update_time, campaign_id, origin) VALUES "
    "($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, " + OptT(8) + ", $9, $10, $11, $12, $13::jsonb, " + T(14) + ", " +
    T(14) + ", nullif($15, '')::uuid, $16) ON CONFLICT (origin) WHERE origin <> '' DO NOTHING RETURNING id::text AS id"};
const db::Statement kUpdateMessage{"dispatch.update_message",
    "UPDATE dispatch.messages SET title = $2, text = $3, link = $4, account_ids = $5::jsonb, variants = $6::jsonb, "
    "scheduled_time = " + OptT(7) + ", urgent = $8, indispensable = $9, blackout_justification = $10, state = $11, "
    "approvals = $12::jsonb, update_time = " + T(13) + ", publish_time = coalesce(publish_time, " + OptT(14) +
    "), campaign_id = nullif($15, '')::uuid, version = version + 1 WHERE id = $1::uuid"};
const db::Statement kInsertStep{"dispatch.insert_step",
    "INSERT INTO dispatch.message_steps (message_id, action, who, at, text, note) VALUES ($1::uuid, $2, $3, " + T(4) +
    ", $5, $6)"};
const db::Statement kSelectMessage{"dispatch.select_message",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE id = $1::uuid"};
const db::Statement kLockMessage{"dispatch.lock_message",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE id = $1::uuid FOR UPDATE"};
const db::Statement kListMessages{"dispatch.list_messages",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE tenant = $1 AND ($2 = '' OR state = $2) AND "
    "($3 = '' OR (create_time, id) < (" + OptT(3) + ", $4::uuid)) ORDER BY create_time DESC, id DESC LIMIT $5"};
const db::Statement kListPublished{"dispatch.list_published",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE tenant = $1 AND publish_time IS NOT NULL AND "
    "publish_time <= " + T(2) + " AND state = 'approved' AND "
    "($3 = '' OR (publish_time, id) < (" + OptT(3) + ", $4::uuid)) ORDER BY publish_time DESC, id DESC LIMIT $5"};
const db::Statement kInsertDelivery{"dispatch.insert_delivery",
    "INSERT INTO dispatch.deliveries (tenant, message_id, account_id, text, state, next_attempt_time, create_time) "
    "VALUES ($1, $2::uuid, $3::uuid, $4, 'pending', " + T(5) + ", " + T(6) + ") ON CONFLICT (message_id, account_id) "
    "DO UPDATE SET state = 'pending', text = excluded.text, next_attempt_time = excluded.next_attempt_time "
    "WHERE dispatch.deliveries.state = 'held'"};

void WriteSteps(pqxx::work& tx, const Message& m, size_t from) {
  for (size_t i = from; i < m.history.size(); ++i) {
    const Step& s = m.history[i];
    db::Exec(tx, kInsertStep, m.id, s.action, s.who, Us(s.at), s.text, s.note);
  }
}

// ---- deliveries ----

const std::string kDeliveryColumns =
    "d.id::text AS id, d.tenant, d.message_id::text AS message_id, d.account_id::text AS account_id, d.state, "
    "d.attempts, " + Micros("d.next_attempt_time", "next_micros") + ", " + Micros("d.first_sent_time", "first_micros") +
    ", d.remote_id, d.last_error";

Delivery DeliveryFromRow(const pqxx::row& r) {
  Delivery d;
  d.id = r["id"].as<std::string>();
  d.tenant = r["tenant"].as<std::string>();
  d.message_id = r["message_id"].as<std::string>();
  d.account_id = r["account_id"].as<std::string>();
  d.state = DeliveryStateFromName(r["state"].as<std::string>()).value_or(DeliveryState::kPending);
  d.attempts = r["attempts"].as<int>();
  d.next_attempt_at = OptTime(r["next_micros"]).value_or(absl::InfinitePast());
  d.first_sent_at = OptTime(r["first_micros"]);
  d.remote_id = r["remote_id"].as<std::string>();
  d.last_error = r["last_error"].as<std::string>();
  return d;
}

const db::Statement kClaimDue{"dispatch.claim_due",
    "WITH due AS (SELECT id FROM dispatch.deliveries WHERE state = 'pending' AND next_attempt_time <= " + T(1) +
    " AND ($3 = '' OR tenant = $3) ORDER BY next_attempt_time LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE dispatch.deliveries d SET state = 'sending', attempts = d.attempts + 1, claimed_time = " + T(1) +
    ", first_sent_time = coalesce(d.first_sent_time, " + T(1) + ") FROM due WHERE d.id = due.id RETURNING " +
    kDeliveryColumns + ", d.text AS variant_text"};
const db::Statement kRenewClaim{"dispatch.renew_claim",
    "UPDATE dispatch.deliveries SET claimed_time = " + T(2) + " WHERE id = $1::uuid AND state = 'sending' "
    "AND claimed_time = " + T(3) + " RETURNING id"};
const db::Statement kMessageHead{"dispatch.message_head",
    "SELECT title, link FROM dispatch.messages WHERE id = $1::uuid"};
const db::Statement kFinish{"dispatch.finish_delivery",
    "UPDATE dispatch.deliveries SET state = $2, next_attempt_time = " + T(3) +
    ", remote_id = CASE WHEN $4 = '' THEN remote_id ELSE $4 END, last_error = $5 "
    "WHERE id = $1::uuid AND state = 'sending'"};
const db::Statement kInsertAttempt{"dispatch.insert_attempt",
    "INSERT INTO dispatch.delivery_attempts (delivery_id, at, outcome, status, error) VALUES ($1::uuid, " + T(2) +
    ", $3, $4, $5)"};
const db::Statement kMarkAccount{"dispatch.mark_account",
    "UPDATE dispatch.accounts SET status = 'needs_credentials' WHERE id = $1::uuid"};
const db::Statement kMarkSent{"dispatch.mark_sent",
    "UPDATE dispatch.messages SET sent = true, publish_time = coalesce(publish_time, " + T(2) +
    ") WHERE id = $1::uuid AND NOT sent RETURNING title, link"};
const db::Statement kInterrupted{"dispatch.interrupted",
    "SELECT " + kDeliveryColumns + ", a.channel FROM dispatch.deliveries d JOIN dispatch.accounts a ON "
    "a.id = d.account_id WHERE d.state = 'sending' AND d.claimed_time < " + T(1) +
    " AND ($2 = '' OR d.tenant = $2) ORDER BY d.claimed_time LIMIT 100 FOR UPDATE OF d SKIP LOCKED"};
const db::Statement kSettleInterrupted{"dispatch.settle_interrupted",
    "UPDATE dispatch.deliveries SET state = $2, next_attempt_time = " + T(3) + ", last_error = $4 WHERE id = $1::uuid"};
const db::Statement kSelectDelivery{"dispatch.select_delivery",
    "SELECT " + kDeliveryColumns + ", a.channel FROM dispatch.deliveries d JOIN dispatch.accounts a ON "
    "a.id = d.account_id WHERE d.id = $1::uuid"};
const db::Statement kLockDelivery{"dispatch.lock_delivery",
    "SELECT " + kDeliveryColumns + " FROM dispatch.deliveries d WHERE d.id = $1::uuid FOR UPDATE"};
const db::Statement kDeliveriesOf{"dispatch.deliveries_of",
    "SELECT " + kDeliveryColumns + ", a.channel FROM dispatch.deliveries d JOIN dispatch.accounts a ON "
    "a.id = d.account_id WHERE d.message_id = $1::uuid ORDER BY d.create_time, d.id"};
const db::Statement kListDeliveries{"dispatch.list_deliveries",
    "SELECT " + kDeliveryColumns + ", a.channel FROM dispatch.deliveries d JOIN dispatch.accounts a ON "
    "a.id = d.account_id WHERE d.tenant = $1 AND d.state = $2 AND d.id > coalesce(nullif($3, '')::uuid, "
    "'00000000-0000-0000-0000-000000000000') ORDER BY d.id LIMIT $4"};
const db::Statement kAttemptsOf{"dispatch.attempts_of",
    "SELECT (extract(epoch FROM at) * 1000000)::bigint AS micros, outcome, status, error "
    "FROM dispatch.delivery_attempts WHERE delivery_id = $1::uuid ORDER BY id"};
const db::Statement kResolve{"dispatch.resolve_delivery",
    "UPDATE dispatch.deliveries SET state = $2, next_attempt_time = " + T(3) + " WHERE id = $1::uuid"};

DeliveryView ViewFromRow(pqxx::transaction_base& tx, const pqxx::row& r) {
  DeliveryView v;
  v.delivery = DeliveryFromRow(r);
  v.channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kFeed);
  for (const auto& a : db::Exec(tx, kAttemptsOf, v.delivery.id)) {
    v.log.push_back(AttemptLog{absl::FromUnixMicros(a["micros"].as<long long>()), a["outcome"].as<std::string>(),
                               a["status"].as<int>(), a["error"].as<std::string>()});
  }
  return v;
}

// ---- blackouts ----

const std::string kBlackoutColumns = "id::text AS id, name, " + Micros("start_time", "start_micros") + ", " +
                                     Micros("end_time", "end_micros") + ", tenants::text AS tenants";
Blackout BlackoutFromRow(const pqxx::row& r) {
  return Blackout{r["id"].as<std::string>(), r["name"].as<std::string>(), *OptTime(r["start_micros"]),
                  *OptTime(r["end_micros"]), ListJson(r["tenants"].as<std::string>())};
}
const db::Statement kInsertBlackout{"dispatch.insert_blackout",
    "INSERT INTO dispatch.blackouts (name, start_time, end_time, tenants, created_by) VALUES ($1, " + T(2) + ", " +
    T(3) + ", $4::jsonb, $5) RETURNING " + kBlackoutColumns};
const db::Statement kBlackoutsOf{"dispatch.blackouts_of",
    "SELECT " + kBlackoutColumns + " FROM dispatch.blackouts WHERE tenants ? $1 ORDER BY start_time DESC, id"};
const db::Statement kSelectBlackout{"dispatch.select_blackout",
    "SELECT " + kBlackoutColumns + " FROM dispatch.blackouts WHERE id = $1::uuid"};
const db::Statement kHeldIn{"dispatch.held_in",
    "SELECT " + kMessageColumns + " FROM dispatch.messages m WHERE tenant = $1 AND EXISTS (SELECT 1 FROM "
    "dispatch.message_steps s WHERE s.message_id = m.id AND s.action = 'hold' AND s.at >= " + T(2) +
    " AND s.at < " + T(3) + ") ORDER BY create_time, id"};
const db::Statement kPublishedIn{"dispatch.published_in",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE tenant = $1 AND publish_time >= " + T(2) +
    " AND publish_time < " + T(3) + " ORDER BY publish_time, id"};
// Held messages whose tenant no period covers now, held before now (a
// clock behind the hold, e.g. another replica's, never releases it early).
const db::Statement kHeldNow{"dispatch.held_now",
    "SELECT " + kMessageColumns + " FROM dispatch.messages m WHERE state = 'held' AND NOT EXISTS (SELECT 1 FROM "
    "dispatch.blackouts b WHERE b.tenants ? m.tenant AND b.start_time <= " + T(1) + " AND b.end_time > " + T(1) +
    ") AND coalesce((SELECT max(s.at) FROM dispatch.message_steps s WHERE s.message_id = m.id AND "
    "s.action = 'hold'), '-infinity') <= " + T(1) + " ORDER BY create_time LIMIT 100 FOR UPDATE SKIP LOCKED"};

const db::Statement kActiveBlackouts{"dispatch.active_blackouts",
    "SELECT " + kBlackoutColumns + " FROM dispatch.blackouts WHERE start_time <= " + T(1) + " AND end_time > " + T(1)};
const db::Statement kDueInBlackout{"dispatch.due_in_blackout",
    "SELECT id::text AS id, message_id::text AS message_id FROM dispatch.deliveries WHERE state = 'pending' AND "
    "next_attempt_time <= " + T(1) + " AND tenant IN (SELECT jsonb_array_elements_text($2::jsonb)) AND "
    "($3 = '' OR tenant = $3) ORDER BY next_attempt_time LIMIT 200 FOR UPDATE SKIP LOCKED"};
const db::Statement kHoldDelivery{"dispatch.hold_delivery",
    "UPDATE dispatch.deliveries SET state = 'held', last_error = $2 WHERE id = $1::uuid AND state = 'pending'"};

// ---- campaigns, policy, calendar ----

const std::string kCampaignColumns =
    "id::text AS id, tenant, name, objective, to_char(start_date, 'YYYY-MM-DD') AS start_date, "
    "to_char(end_date, 'YYYY-MM-DD') AS end_date, audience, channels::text AS channels, owner_office, " +
    Micros("create_time", "create_micros") + ", " + Micros("update_time", "update_micros");
const db::Statement kInsertCampaign{"dispatch.insert_campaign",
    "INSERT INTO dispatch.campaigns (tenant, name, objective, start_date, end_date, audience, channels, owner_office, "
    "create_time, update_time) VALUES ($1, $2, $3, $4::date, $5::date, $6, $7::jsonb, $8, " + T(9) + ", " + T(9) +
    ") RETURNING " + kCampaignColumns};
const db::Statement kUpdateCampaign{"dispatch.update_campaign",
    "UPDATE dispatch.campaigns SET name = $2, objective = $3, start_date = $4::date, end_date = $5::date, "
    "audience = $6, channels = $7::jsonb, owner_office = $8, update_time = " + T(9) + " WHERE id = $1::uuid "
    "RETURNING " + kCampaignColumns};
const db::Statement kSelectCampaign{"dispatch.select_campaign",
    "SELECT " + kCampaignColumns + " FROM dispatch.campaigns WHERE id = $1::uuid"};
const db::Statement kListCampaigns{"dispatch.list_campaigns",
    "SELECT " + kCampaignColumns + " FROM dispatch.campaigns WHERE tenant = $1 AND ($2 = 0 OR "
    "(start_date <= make_date($2, 12, 31) AND end_date >= make_date($2, 1, 1))) AND ($3 = '' OR "
    "(start_date, id) > ($3::date, $4::uuid)) ORDER BY start_date, id LIMIT $5"};
const db::Statement kCampaignsIn{"dispatch.campaigns_in",
    "SELECT " + kCampaignColumns + " FROM dispatch.campaigns WHERE tenant = $1 AND start_date <= $3::date AND "
    "end_date >= $2::date ORDER BY start_date, id LIMIT 1000"};
const db::Statement kMessagesIn{"dispatch.messages_in",
    "SELECT " + kMessageColumns + " FROM dispatch.messages WHERE tenant = $1 AND state <> 'withdrawn' AND "
    "((scheduled_time >= " + T(2) + " AND scheduled_time < " + T(3) + ") OR (publish_time >= " + T(2) +
    " AND publish_time < " + T(3) + ")) ORDER BY coalesce(publish_time, scheduled_time), id LIMIT 1000"};
const db::Statement kLockPolicies{"dispatch.lock_policies",
    "SELECT pg_advisory_xact_lock(hashtext('dispatch.policies:' || $1))"};
const db::Statement kInsertPolicy{"dispatch.insert_policy",
    "INSERT INTO dispatch.policies (tenant, version, title, text, author, publish_time) SELECT $1, "
    "coalesce(max(version), 0) + 1, $2, $3, $4, " + T(5) + " FROM dispatch.policies WHERE tenant = $1 "
    "RETURNING version"};
const db::Statement kPolicies{"dispatch.policies",
    "SELECT tenant, version, title, text, author, " + Micros("publish_time", "publish_micros") +
    " FROM dispatch.policies WHERE tenant = $1 ORDER BY version DESC LIMIT $2"};
const db::Statement kFeedAccounts{"dispatch.feed_accounts",
    "SELECT id::text AS id FROM dispatch.accounts WHERE tenant = $1 AND channel = 'feed' AND status = 'active' "
    "ORDER BY id"};

std::string ChannelsJson(const std::vector<Channel>& cs) {
  json::array a;
  for (Channel c : cs) a.emplace_back(std::string(ChannelName(c)));
  return json::serialize(a);
}

Campaign CampaignFromRow(const pqxx::row& r) {
  Campaign c;
  c.id = r["id"].as<std::string>();
  c.tenant = r["tenant"].as<std::string>();
  c.name = r["name"].as<std::string>();
  c.objective = r["objective"].as<std::string>();
  c.start = ParseDay(r["start_date"].as<std::string>()).value_or(absl::CivilDay());
  c.end = ParseDay(r["end_date"].as<std::string>()).value_or(absl::CivilDay());
  c.audience = r["audience"].as<std::string>();
  for (const auto& name : ListJson(r["channels"].as<std::string>())) {
    if (auto ch = ChannelFromName(name)) c.channels.push_back(*ch);
  }
  c.owner_office = r["owner_office"].as<std::string>();
  c.created_at = *OptTime(r["create_micros"]);
  c.updated_at = *OptTime(r["update_micros"]);
  return c;
}

PolicyVersion PolicyFromRow(const pqxx::row& r) {
  return PolicyVersion{r["tenant"].as<std::string>(), r["version"].as<int>(), r["title"].as<std::string>(),
                       r["text"].as<std::string>(), r["author"].as<std::string>(), *OptTime(r["publish_micros"])};
}

std::string EventData(const Delivery& d) {
  return json::serialize(json::object{{"message_id", d.message_id}, {"account_id", d.account_id}});
}

std::string OutcomeName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kSent: return "sent";
    case DeliveryState::kPending: return "retry";
    case DeliveryState::kDead: return "dead";
    case DeliveryState::kUncertain: return "uncertain";
    default: return std::string(DeliveryStateName(s));
  }
}

}  // namespace

// Due deliveries of tenants inside a blackout now, whose message may not go
// out (approved before the period, or without an approved justification):
// held, with the message, at send time. Listed in the period's report.
void DispatchStore::HoldInBlackout(pqxx::work& tx, absl::Time now, const std::string& tenant) {
  std::vector<Blackout> active;
  std::vector<std::string> covered;
  for (const auto& r : db::Exec(tx, kActiveBlackouts, Us(now))) {
    active.push_back(BlackoutFromRow(r));
    for (const auto& t : active.back().tenants) covered.push_back(t);
  }
  if (active.empty()) return;
  std::map<std::string, std::vector<std::string>> by_message;
  for (const auto& r : db::Exec(tx, kDueInBlackout, Us(now), JsonList(covered), tenant)) {
    by_message[r["message_id"].as<std::string>()].push_back(r["id"].as<std::string>());
  }
  for (const auto& [message_id, deliveries] : by_message) {
    auto rows = db::Exec(tx, kLockMessage, message_id);
    if (rows.empty()) continue;
    Message m = MessageFromRow(rows[0]);
    if (MayGoOut(m, active, now)) continue;
    LoadSteps(tx, m);
    size_t steps = m.history.size();
    auto b = CoveringBlackout(active, m.tenant, now);
    std::string note = "periodo elettorale: " + (b ? b->name : std::string()) + " (trattenuto all'invio)";
    for (const std::string& id : deliveries) {
      db::Exec(tx, kHoldDelivery, id, note);
      db::Exec(tx, kInsertAttempt, id, Us(now), "held", 0, note);
    }
    if (m.state == MessageState::kApproved) {
      m.state = MessageState::kHeld;
      m.approvals.clear();
      m.updated_at = now;
      m.history.push_back(Step{"hold", "sistema", now, m.text, note});
      db::Exec(tx, kUpdateMessage, m.id, m.title, m.text, m.link, JsonList(m.account_ids), VariantsJson(m.variants),
               MicrosText(m.scheduled_at), m.urgent, m.indispensable, m.blackout_justification,
               std::string(MessageStateName(m.state)), JsonList(m.approvals), Us(m.updated_at), std::string(),
               m.campaign_id);
      WriteSteps(tx, m, steps);
      outbox::Append(tx, kSchema, {outbox::NewEvent{m.tenant, "message.held", m.id, "", now}});
    }
  }
}

absl::StatusOr<Account> DispatchStore::CreateAccount(const Account& a) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Account> {
    auto rows = db::Exec(tx, kInsertAccount, a.tenant, std::string(ChannelName(a.channel)), a.handle, a.public_url,
                         a.owner_office, std::string(AccountStatusName(a.status)), a.endpoint, JsonList(a.recipients),
                         a.max_characters, a.second_tier, a.credential);
    return AccountFromRow(rows.at(0));
  });
}

absl::StatusOr<Account> DispatchStore::GetAccount(const std::string& id) {
  if (!ValidUuid(id)) return absl::NotFoundError("account non trovato");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Account> {
    auto rows = db::Exec(tx, kSelectAccount, id);
    if (rows.empty()) return absl::NotFoundError("account non trovato");
    return AccountFromRow(rows[0]);
  });
}

absl::StatusOr<Account> DispatchStore::SaveAccount(const Account& a) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Account> {
    auto rows = db::Exec(tx, kUpdateAccount, a.id, a.handle, a.public_url, a.owner_office,
                         std::string(AccountStatusName(a.status)), a.endpoint, JsonList(a.recipients),
                         a.max_characters, a.second_tier, a.credential);
    if (rows.empty()) return absl::NotFoundError("account non trovato");
    return AccountFromRow(rows[0]);
  });
}

absl::StatusOr<Page<Account>> DispatchStore::ListAccounts(const std::string& tenant, int page_size,
                                                          const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token, 1));
  std::string after_id = after.empty() ? "" : after[0];
  if (!after_id.empty() && !ValidUuid(after_id)) return InvalidPageToken();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Account>> {
    Page<Account> page;
    for (const auto& r : db::Exec(tx, kListAccounts, tenant, after_id, page_size + 1)) {
      page.items.push_back(AccountFromRow(r));
    }
    TrimPage(page, page_size, [](const Account& a) { return std::vector<std::string>{a.id}; });
    return page;
  });
}

absl::StatusOr<std::vector<Account>> DispatchStore::AccountsOf(const std::string& tenant,
                                                              const std::vector<std::string>& ids) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<Account>> {
    std::vector<Account> out;
    for (size_t i = 0; i < ids.size(); ++i) {
      std::string field = absl::StrCat("account_ids[", i, "]");
      if (!ValidUuid(ids[i])) return InvalidArgument({{field, "account ufficiale sconosciuto"}});
      auto rows = db::Exec(tx, kSelectAccount, ids[i]);
      if (rows.empty() || rows[0]["tenant"].as<std::string>() != tenant) {
        return InvalidArgument({{field, "account ufficiale sconosciuto"}});
      }
      out.push_back(AccountFromRow(rows[0]));
    }
    return out;
  });
}

absl::StatusOr<Message> DispatchStore::CreateMessage(const Message& m) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Message> {
    auto rows = db::Exec(tx, kInsertMessage, m.tenant, m.author, m.title, m.text, m.link, JsonList(m.account_ids),
                         VariantsJson(m.variants), MicrosText(m.scheduled_at), m.urgent, m.indispensable,
                         m.blackout_justification, std::string(MessageStateName(m.state)), JsonList(m.approvals),
                         Us(m.created_at), m.campaign_id, m.origin);
    if (rows.empty()) return absl::AlreadyExistsError("bozza già creata da questo evento");
    Message out = m;
    out.id = rows.at(0)["id"].as<std::string>();
    WriteSteps(tx, out, 0);
    outbox::Append(tx, kSchema, {outbox::NewEvent{out.tenant, "message.created", out.id, "", out.created_at}});
    return out;
  });
}

absl::StatusOr<Message> DispatchStore::GetMessage(const std::string& id) {
  if (!ValidUuid(id)) return absl::NotFoundError("messaggio non trovato");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Message> {
    auto rows = db::Exec(tx, kSelectMessage, id);
    if (rows.empty()) return absl::NotFoundError("messaggio non trovato");
    Message m = MessageFromRow(rows[0]);
    LoadSteps(tx, m);
    return m;
  });
}

absl::StatusOr<Page<Message>> DispatchStore::ListMessages(const std::string& tenant, std::optional<MessageState> state,
                                                          int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token, 2));
  if (!after.empty() && !ValidUuid(after[1])) return InvalidPageToken();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Message>> {
    Page<Message> page;
    auto rows = db::Exec(tx, kListMessages, tenant, state ? std::string(MessageStateName(*state)) : "",
                         after.empty() ? "" : after[0], after.empty() ? "00000000-0000-0000-0000-000000000000" : after[1],
                         page_size + 1);
    for (const auto& r : rows) page.items.push_back(MessageFromRow(r));
    TrimPage(page, page_size, [](const Message& m) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(m.created_at)), m.id};
    });
    return page;
  });
}

absl::StatusOr<Page<Message>> DispatchStore::ListPublished(const std::string& tenant, int page_size,
                                                           const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token, 2));
  if (!after.empty() && !ValidUuid(after[1])) return InvalidPageToken();
  absl::Time now = clock_.Now();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Message>> {
    Page<Message> page;
    auto rows = db::Exec(tx, kListPublished, tenant, Us(now), after.empty() ? "" : after[0],
                         after.empty() ? "00000000-0000-0000-0000-000000000000" : after[1], page_size + 1);
    for (const auto& r : rows) page.items.push_back(MessageFromRow(r));
    TrimPage(page, page_size, [](const Message& m) {
      return std::vector<std::string>{std::to_string(absl::ToUnixMicros(*m.published_at)), m.id};
    });
    return page;
  });
}

absl::StatusOr<Message> DispatchStore::UpdateMessage(
    const std::string& id, const std::function<absl::Status(Message&, MessageEffects&)>& change) {
  if (!ValidUuid(id)) return absl::NotFoundError("messaggio non trovato");
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Message> {
    auto rows = db::Exec(tx, kLockMessage, id);
    if (rows.empty()) return absl::NotFoundError("messaggio non trovato");
    Message m = MessageFromRow(rows[0]);
    LoadSteps(tx, m);
    size_t steps = m.history.size();
    MessageEffects effects;
    RETURN_IF_ERROR(change(m, effects));
    std::optional<absl::Time> publish;
    if (effects.publish) publish = effects.publish_time;
    db::Exec(tx, kUpdateMessage, m.id, m.title, m.text, m.link, JsonList(m.account_ids), VariantsJson(m.variants),
             MicrosText(m.scheduled_at), m.urgent, m.indispensable, m.blackout_justification,
             std::string(MessageStateName(m.state)), JsonList(m.approvals), Us(m.updated_at), MicrosText(publish),
             m.campaign_id);
    WriteSteps(tx, m, steps);
    for (const NewDelivery& d : effects.deliveries) {
      db::Exec(tx, kInsertDelivery, m.tenant, m.id, d.account_id, d.text, Us(d.due), Us(m.updated_at));
    }
    if (publish && !m.published_at) m.published_at = publish;
    outbox::Append(tx, kSchema, effects.events);
    return m;
  });
}

absl::StatusOr<std::vector<Claimed>> DispatchStore::ClaimDue(int limit, const std::string& tenant) {
  absl::Time now = clock_.Now();
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<std::vector<Claimed>> {
    HoldInBlackout(tx, now, tenant);
    std::vector<Claimed> out;
    for (const auto& r : db::Exec(tx, kClaimDue, Us(now), limit, tenant)) {
      Claimed c;
      c.delivery = DeliveryFromRow(r);
      c.claimed_at = now;
      c.text = r["variant_text"].as<std::string>();
      auto acc = db::Exec(tx, kSelectAccount, c.delivery.account_id);
      c.account = AccountFromRow(acc.at(0));
      auto head = db::Exec(tx, kMessageHead, c.delivery.message_id);
      c.title = head.at(0)["title"].as<std::string>();
      c.link = head.at(0)["link"].as<std::string>();
      out.push_back(std::move(c));
    }
    return out;
  });
}

absl::Status DispatchStore::Finish(const Delivery& d, const Decision& decision, const AttemptLog& attempt) {
  return pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto r = db::Exec(tx, kFinish, d.id, std::string(DeliveryStateName(decision.state)),
                      Us(decision.state == DeliveryState::kPending ? decision.next_attempt_at : attempt.at),
                      d.remote_id, decision.error);
    if (r.affected_rows() == 0) return absl::AbortedError("la consegna non è più in invio");
    db::Exec(tx, kInsertAttempt, d.id, Us(attempt.at), attempt.outcome, attempt.status, attempt.error);
    if (decision.mark_account) db::Exec(tx, kMarkAccount, d.account_id);
    std::vector<outbox::NewEvent> events;
    if (decision.state == DeliveryState::kSent) {
      auto first = db::Exec(tx, kMarkSent, d.message_id, Us(attempt.at));
      if (!first.empty()) {  // the message's first delivery out: it is published
        events.push_back({d.tenant, "message.published", d.message_id,
                          json::serialize(json::object{{"title", first[0]["title"].as<std::string>()},
                                                       {"link", first[0]["link"].as<std::string>()}}),
                          attempt.at});
      }
      events.push_back({d.tenant, "delivery.sent", d.id, EventData(d), attempt.at});
    } else if (decision.state == DeliveryState::kDead || decision.state == DeliveryState::kUncertain) {
      events.push_back({d.tenant, std::string("delivery.") + std::string(DeliveryStateName(decision.state)), d.id,
                        EventData(d), attempt.at});
    }
    outbox::Append(tx, kSchema, events);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> DispatchStore::Renew(Claimed& c) {
  absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(bool renewed, pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<bool> {
    return !db::Exec(tx, kRenewClaim, c.delivery.id, Us(now), Us(c.claimed_at)).empty();
  }));
  if (renewed) c.claimed_at = now;
  return renewed;
}

absl::StatusOr<int> DispatchStore::RecoverInterrupted(absl::Duration lease, const RetryPolicy& policy,
                                                      const std::string& tenant) {
  absl::Time now = clock_.Now();
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<int> {
    int n = 0;
    for (const auto& r : db::Exec(tx, kInterrupted, Us(now - lease), tenant)) {
      Delivery d = DeliveryFromRow(r);
      Channel channel = ChannelFromName(r["channel"].as<std::string>()).value_or(Channel::kFeed);
      DeliveryState next = AfterInterruptedSend(d, channel, policy, now);
      std::string error = next == DeliveryState::kUncertain ? "invio interrotto: esito sconosciuto, da verificare"
                                                            : "invio interrotto: si ritenta con la stessa chiave";
      db::Exec(tx, kSettleInterrupted, d.id, std::string(DeliveryStateName(next)), Us(now), error);
      db::Exec(tx, kInsertAttempt, d.id, Us(now), OutcomeName(next), 0, error);
      ++n;
    }
    return n;
  });
}

absl::StatusOr<DeliveryView> DispatchStore::GetDelivery(const std::string& id) {
  if (!ValidUuid(id)) return absl::NotFoundError("consegna non trovata");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<DeliveryView> {
    auto rows = db::Exec(tx, kSelectDelivery, id);
    if (rows.empty()) return absl::NotFoundError("consegna non trovata");
    return ViewFromRow(tx, rows[0]);
  });
}

absl::StatusOr<std::vector<DeliveryView>> DispatchStore::DeliveriesOf(const std::string& message_id) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<DeliveryView>> {
    std::vector<DeliveryView> out;
    for (const auto& r : db::Exec(tx, kDeliveriesOf, message_id)) out.push_back(ViewFromRow(tx, r));
    return out;
  });
}

absl::StatusOr<Page<DeliveryView>> DispatchStore::ListDeliveries(const std::string& tenant, DeliveryState state,
                                                                 int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token, 1));
  std::string after_id = after.empty() ? "" : after[0];
  if (!after_id.empty() && !ValidUuid(after_id)) return InvalidPageToken();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<DeliveryView>> {
    Page<DeliveryView> page;
    for (const auto& r : db::Exec(tx, kListDeliveries, tenant, std::string(DeliveryStateName(state)), after_id,
                                  page_size + 1)) {
      page.items.push_back(ViewFromRow(tx, r));
    }
    TrimPage(page, page_size, [](const DeliveryView& v) { return std::vector<std::string>{v.delivery.id}; });
    return page;
  });
}

absl::StatusOr<DeliveryView> DispatchStore::Resolve(const std::string& id, bool retry, const std::string& who) {
  if (!ValidUuid(id)) return absl::NotFoundError("consegna non trovata");
  absl::Time now = clock_.Now();
  RETURN_IF_ERROR(pool_.Write([&](pqxx::work& tx) -> absl::Status {
    auto rows = db::Exec(tx, kLockDelivery, id);
    if (rows.empty()) return absl::NotFoundError("consegna non trovata");
    Delivery d = DeliveryFromRow(rows[0]);
    if (d.state != DeliveryState::kDead && d.state != DeliveryState::kUncertain) {
      return absl::FailedPreconditionError(
          absl::StrCat("si ritenta o si scarta solo una consegna fallita o incerta; è ", std::string(DeliveryStateName(d.state))));
    }
    db::Exec(tx, kResolve, id, retry ? "pending" : "discarded", Us(now));
    db::Exec(tx, kInsertAttempt, id, Us(now), retry ? "operator-retry" : "operator-discard", 0, "da " + who);
    return absl::OkStatus();
  }));
  return GetDelivery(id);
}

absl::StatusOr<Blackout> DispatchStore::CreateBlackout(const Blackout& b, const std::string& who) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Blackout> {
    return BlackoutFromRow(
        db::Exec(tx, kInsertBlackout, b.name, Us(b.starts_at), Us(b.ends_at), JsonList(b.tenants), who).at(0));
  });
}

absl::StatusOr<std::vector<Blackout>> DispatchStore::BlackoutsOf(const std::string& tenant) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<Blackout>> {
    std::vector<Blackout> out;
    for (const auto& r : db::Exec(tx, kBlackoutsOf, tenant)) out.push_back(BlackoutFromRow(r));
    return out;
  });
}

absl::StatusOr<Blackout> DispatchStore::GetBlackout(const std::string& id) {
  if (!ValidUuid(id)) return absl::NotFoundError("periodo non trovato");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Blackout> {
    auto rows = db::Exec(tx, kSelectBlackout, id);
    if (rows.empty()) return absl::NotFoundError("periodo non trovato");
    return BlackoutFromRow(rows[0]);
  });
}

absl::StatusOr<std::pair<std::vector<Message>, std::vector<Message>>> DispatchStore::BlackoutReport(
    const Blackout& b, const std::string& tenant) {
  return pool_.Read([&](pqxx::read_transaction& tx)
                        -> absl::StatusOr<std::pair<std::vector<Message>, std::vector<Message>>> {
    std::pair<std::vector<Message>, std::vector<Message>> out;
    for (const auto& r : db::Exec(tx, kHeldIn, tenant, Us(b.starts_at), Us(b.ends_at))) {
      out.first.push_back(MessageFromRow(r));
    }
    for (const auto& r : db::Exec(tx, kPublishedIn, tenant, Us(b.starts_at), Us(b.ends_at))) {
      out.second.push_back(MessageFromRow(r));
    }
    return out;
  });
}

absl::StatusOr<int> DispatchStore::ReleaseHeld() {
  absl::Time now = clock_.Now();
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<int> {
    int n = 0;
    for (const auto& r : db::Exec(tx, kHeldNow, Us(now))) {
      Message m = MessageFromRow(r);
      size_t steps = 0;
      LoadSteps(tx, m);
      steps = m.history.size();
      dispatch::ReleaseHeld(m, now);
      db::Exec(tx, kUpdateMessage, m.id, m.title, m.text, m.link, JsonList(m.account_ids), VariantsJson(m.variants),
               MicrosText(m.scheduled_at), m.urgent, m.indispensable, m.blackout_justification,
               std::string(MessageStateName(m.state)), JsonList(m.approvals), Us(m.updated_at), std::string(),
               m.campaign_id);
      WriteSteps(tx, m, steps);
      ++n;
    }
    return n;
  });
}

absl::StatusOr<Campaign> DispatchStore::CreateCampaign(const Campaign& c) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Campaign> {
    return CampaignFromRow(db::Exec(tx, kInsertCampaign, c.tenant, c.name, c.objective, FormatDay(c.start),
                                    FormatDay(c.end), c.audience, ChannelsJson(c.channels), c.owner_office,
                                    Us(c.created_at)).at(0));
  });
}

absl::StatusOr<Campaign> DispatchStore::GetCampaign(const std::string& id) {
  if (!ValidUuid(id)) return absl::NotFoundError("campagna non trovata");
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Campaign> {
    auto rows = db::Exec(tx, kSelectCampaign, id);
    if (rows.empty()) return absl::NotFoundError("campagna non trovata");
    return CampaignFromRow(rows[0]);
  });
}

absl::StatusOr<Campaign> DispatchStore::SaveCampaign(const Campaign& c) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<Campaign> {
    auto rows = db::Exec(tx, kUpdateCampaign, c.id, c.name, c.objective, FormatDay(c.start), FormatDay(c.end),
                         c.audience, ChannelsJson(c.channels), c.owner_office, Us(c.updated_at));
    if (rows.empty()) return absl::NotFoundError("campagna non trovata");
    return CampaignFromRow(rows[0]);
  });
}

absl::StatusOr<Page<Campaign>> DispatchStore::ListCampaigns(const std::string& tenant, int year, int page_size,
                                                            const std::string& page_token) {
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token, 2));
  if (!after.empty() && (!ParseDay(after[0]) || !ValidUuid(after[1]))) return InvalidPageToken();
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<Campaign>> {
    Page<Campaign> page;
    for (const auto& r : db::Exec(tx, kListCampaigns, tenant, year, after.empty() ? "" : after[0],
                                  after.empty() ? "00000000-0000-0000-0000-000000000000" : after[1], page_size + 1)) {
      page.items.push_back(CampaignFromRow(r));
    }
    TrimPage(page, page_size, [](const Campaign& c) { return std::vector<std::string>{FormatDay(c.start), c.id}; });
    return page;
  });
}

absl::StatusOr<DispatchStore::CalendarRows> DispatchStore::Calendar(const std::string& tenant, absl::Time from,
                                                                    absl::Time to, absl::TimeZone zone) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<CalendarRows> {
    CalendarRows out;
    for (const auto& r : db::Exec(tx, kMessagesIn, tenant, Us(from), Us(to))) out.messages.push_back(MessageFromRow(r));
    for (const auto& r : db::Exec(tx, kCampaignsIn, tenant, FormatDay(absl::ToCivilDay(from, zone)),
                                  FormatDay(absl::ToCivilDay(to, zone)))) {
      out.campaigns.push_back(CampaignFromRow(r));
    }
    for (const auto& r : db::Exec(tx, kBlackoutsOf, tenant)) {
      Blackout b = BlackoutFromRow(r);
      if (b.starts_at < to && b.ends_at > from) out.blackouts.push_back(std::move(b));
    }
    return out;
  });
}

absl::StatusOr<PolicyVersion> DispatchStore::PublishPolicy(const PolicyVersion& p) {
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<PolicyVersion> {
    db::Exec(tx, kLockPolicies, p.tenant);
    PolicyVersion out = p;
    out.version = db::Exec(tx, kInsertPolicy, p.tenant, p.title, p.text, p.author, Us(p.published_at))
                      .at(0)["version"].as<int>();
    outbox::Append(tx, kSchema, {outbox::NewEvent{p.tenant, "policy.published", std::to_string(out.version), "",
                                                  p.published_at}});
    return out;
  });
}

absl::StatusOr<std::vector<PolicyVersion>> DispatchStore::Policies(const std::string& tenant, int limit) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<PolicyVersion>> {
    std::vector<PolicyVersion> out;
    for (const auto& r : db::Exec(tx, kPolicies, tenant, limit)) out.push_back(PolicyFromRow(r));
    return out;
  });
}

absl::StatusOr<std::vector<std::string>> DispatchStore::FeedAccounts(const std::string& tenant) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const auto& r : db::Exec(tx, kFeedAccounts, tenant)) out.push_back(r["id"].as<std::string>());
    return out;
  });
}

}  // namespace sportello::dispatch
