#include "services/dispatch/store.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/db/pool.h"
#include "common/outbox/outbox.h"
#include "common/status.h"
#include "services/dispatch/approval.h"
#include "services/dispatch/blackout.h"

namespace sportello::dispatch {
namespace {

namespace json = boost::json;

std::string T(int n) { return absl::StrFormat("('epoch'::timestamptz + $%d::bigint * interval '1 microsecond')", n); }
std::string OptT(int n) {
  return absl::StrFormat("('epoch'::timestamptz + nullif($%d, '')::bigint * interval '1 microsecond')", n);
}
std::string Micros(const std::string& column, const std::string& alias) {
  return "coalesce((extract(epoch FROM " + column + ") * 1000000)::bigint, -1) AS " + alias;
}
long long Us(absl::Time t) { return static_cast<long long>(absl::ToUnixMicros(t)); }
std::string MicrosText(const std::optional<absl::Time>& t) { return t ? std::to_string(absl::ToUnixMicros(*t)) : ""; }
std::optional<absl::Time> OptTime(const pqxx::field& f) {
  long long v = f.as<long long>();
  if (v < 0) return std::nullopt;
  return absl::FromUnixMicros(v);
}

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
    Micros("publish_time", "publish_micros");

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
    "indispensable, blackout_justification, state, approvals, create_time, update_time) VALUES ($1, $2, $3, $4, $5, "
    "$6::jsonb, $7::jsonb, " + OptT(8) + ", $9, $10, $11, $12, $13::jsonb, " + T(14) + ", " + T(14) +
    ") RETURNING id::text AS id"};
const db::Statement kUpdateMessage{"dispatch.update_message",
    "UPDATE dispatch.messages SET title = $2, text = $3, link = $4, account_ids = $5::jsonb, variants = $6::jsonb, "
    "scheduled_time = " + OptT(7) + ", urgent = $8, indispensable = $9, blackout_justification = $10, state = $11, "
    "approvals = $12::jsonb, update_time = " + T(13) + ", publish_time = coalesce(publish_time, " + OptT(14) +
    "), version = version + 1 WHERE id = $1::uuid"};
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
    "DO NOTHING"};

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
    ") WHERE id = $1::uuid"};
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
const db::Statement kHeldNow{"dispatch.held_now",
    "SELECT " + kMessageColumns + " FROM dispatch.messages m WHERE state = 'held' AND NOT EXISTS (SELECT 1 FROM "
    "dispatch.blackouts b WHERE b.tenants ? m.tenant AND b.start_time <= " + T(1) + " AND b.end_time > " + T(1) +
    ") ORDER BY create_time LIMIT 100 FOR UPDATE SKIP LOCKED"};

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
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token));
  std::string after_id = after.empty() ? "" : after[0];
  if (!after_id.empty() && !ValidUuid(after_id)) return InvalidArgument({{"page_token", "token di pagina non valido"}});
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
                         Us(m.created_at));
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
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token));
  if (!after.empty() && (after.size() != 2 || !ValidUuid(after[1]))) {
    return InvalidArgument({{"page_token", "token di pagina non valido"}});
  }
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
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token));
  if (!after.empty() && (after.size() != 2 || !ValidUuid(after[1]))) {
    return InvalidArgument({{"page_token", "token di pagina non valido"}});
  }
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
             std::string(MessageStateName(m.state)), JsonList(m.approvals), Us(m.updated_at), MicrosText(publish));
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
    std::vector<Claimed> out;
    for (const auto& r : db::Exec(tx, kClaimDue, Us(now), limit, tenant)) {
      Claimed c;
      c.delivery = DeliveryFromRow(r);
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
      db::Exec(tx, kMarkSent, d.message_id, Us(attempt.at));
      events.push_back({d.tenant, "delivery.sent", d.id, EventData(d), attempt.at});
    } else if (decision.state == DeliveryState::kDead || decision.state == DeliveryState::kUncertain) {
      events.push_back({d.tenant, std::string("delivery.") + std::string(DeliveryStateName(decision.state)), d.id,
                        EventData(d), attempt.at});
    }
    outbox::Append(tx, kSchema, events);
    return absl::OkStatus();
  });
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
  ASSIGN_OR_RETURN(auto after, DecodePageToken(page_token));
  std::string after_id = after.empty() ? "" : after[0];
  if (!after_id.empty() && !ValidUuid(after_id)) return InvalidArgument({{"page_token", "token di pagina non valido"}});
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
               std::string(MessageStateName(m.state)), JsonList(m.approvals), Us(m.updated_at), std::string());
      WriteSteps(tx, m, steps);
      ++n;
    }
    return n;
  });
}

}  // namespace sportello::dispatch
