#include "services/dispatch/dispatch_service.h"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/auth/token.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/grpc/status.h"
#include "common/tenancy.h"
#include "services/dispatch/blackout.h"
#include "services/dispatch/length.h"
#include "services/dispatch/plan.h"

namespace sportello::dispatch {
namespace {

using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;
using auth::Role;

google::protobuf::Timestamp Ts(absl::Time t) { return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t)); }
absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

// ---- converters (the one place) ----

v1::MessageChannel ToProto(Channel c) {
  switch (c) {
    case Channel::kTelegram: return v1::MESSAGE_CHANNEL_TELEGRAM;
    case Channel::kMastodon: return v1::MESSAGE_CHANNEL_MASTODON;
    case Channel::kWebhook: return v1::MESSAGE_CHANNEL_WEBHOOK;
    case Channel::kEmail: return v1::MESSAGE_CHANNEL_EMAIL;
    case Channel::kFeed: return v1::MESSAGE_CHANNEL_FEED;
  }
  return v1::MESSAGE_CHANNEL_UNSPECIFIED;
}
std::optional<Channel> FromProto(v1::MessageChannel c) {
  switch (c) {
    case v1::MESSAGE_CHANNEL_TELEGRAM: return Channel::kTelegram;
    case v1::MESSAGE_CHANNEL_MASTODON: return Channel::kMastodon;
    case v1::MESSAGE_CHANNEL_WEBHOOK: return Channel::kWebhook;
    case v1::MESSAGE_CHANNEL_EMAIL: return Channel::kEmail;
    case v1::MESSAGE_CHANNEL_FEED: return Channel::kFeed;
    default: return std::nullopt;
  }
}
v1::AccountStatus ToProto(AccountStatus s) {
  switch (s) {
    case AccountStatus::kActive: return v1::ACCOUNT_STATUS_ACTIVE;
    case AccountStatus::kSuspended: return v1::ACCOUNT_STATUS_SUSPENDED;
    case AccountStatus::kNeedsCredentials: return v1::ACCOUNT_STATUS_NEEDS_CREDENTIALS;
  }
  return v1::ACCOUNT_STATUS_UNSPECIFIED;
}
std::optional<AccountStatus> FromProto(v1::AccountStatus s) {
  switch (s) {
    case v1::ACCOUNT_STATUS_ACTIVE: return AccountStatus::kActive;
    case v1::ACCOUNT_STATUS_SUSPENDED: return AccountStatus::kSuspended;
    case v1::ACCOUNT_STATUS_NEEDS_CREDENTIALS: return AccountStatus::kNeedsCredentials;
    default: return std::nullopt;
  }
}
v1::MessageState ToProto(MessageState s) {
  switch (s) {
    case MessageState::kDraft: return v1::MESSAGE_STATE_DRAFT;
    case MessageState::kSubmitted: return v1::MESSAGE_STATE_SUBMITTED;
    case MessageState::kApproved: return v1::MESSAGE_STATE_APPROVED;
    case MessageState::kHeld: return v1::MESSAGE_STATE_HELD;
    case MessageState::kWithdrawn: return v1::MESSAGE_STATE_WITHDRAWN;
  }
  return v1::MESSAGE_STATE_UNSPECIFIED;
}
std::optional<MessageState> FromProto(v1::MessageState s) {
  switch (s) {
    case v1::MESSAGE_STATE_DRAFT: return MessageState::kDraft;
    case v1::MESSAGE_STATE_SUBMITTED: return MessageState::kSubmitted;
    case v1::MESSAGE_STATE_APPROVED: return MessageState::kApproved;
    case v1::MESSAGE_STATE_HELD: return MessageState::kHeld;
    case v1::MESSAGE_STATE_WITHDRAWN: return MessageState::kWithdrawn;
    default: return std::nullopt;
  }
}
v1::DeliveryState ToProto(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending: return v1::DELIVERY_STATE_PENDING;
    case DeliveryState::kSending: return v1::DELIVERY_STATE_SENDING;
    case DeliveryState::kSent: return v1::DELIVERY_STATE_SENT;
    case DeliveryState::kDead: return v1::DELIVERY_STATE_DEAD;
    case DeliveryState::kUncertain: return v1::DELIVERY_STATE_UNCERTAIN;
    case DeliveryState::kDiscarded: return v1::DELIVERY_STATE_DISCARDED;
    case DeliveryState::kHeld: return v1::DELIVERY_STATE_HELD;
  }
  return v1::DELIVERY_STATE_UNSPECIFIED;
}

// Staff see the endpoint and recipients; nobody sees the credential.
void ToProto(const Account& a, bool staff, v1::Account* out) {
  out->set_id(a.id);
  out->set_tenant(a.tenant);
  out->set_channel(ToProto(a.channel));
  out->set_handle(a.handle);
  out->set_public_url(a.public_url);
  out->set_owner_office(a.owner_office);
  out->set_status(ToProto(a.status));
  out->set_max_characters(a.max_characters);
  out->set_second_tier(a.second_tier);
  if (staff) {
    out->set_endpoint(a.endpoint);
    for (const auto& r : a.recipients) out->add_recipients(r);
    out->set_has_credential(!a.credential.empty());
  }
}

void ToProto(const Message& m, v1::Message* out) {
  out->set_id(m.id);
  out->set_tenant(m.tenant);
  out->set_author(m.author);
  out->set_title(m.title);
  out->set_text(m.text);
  out->set_link(m.link);
  for (const auto& a : m.account_ids) out->add_account_ids(a);
  for (const Variant& v : m.variants) {
    auto* pv = out->add_variants();
    pv->set_account_id(v.account_id);
    pv->set_text(v.text);
    pv->set_derived(v.derived);
    pv->set_shortened(v.shortened);
    pv->set_length(v.length);
    pv->set_limit(v.limit);
  }
  if (m.scheduled_at) *out->mutable_scheduled_time() = Ts(*m.scheduled_at);
  out->set_urgent(m.urgent);
  out->set_indispensable(m.indispensable);
  out->set_blackout_justification(m.blackout_justification);
  out->set_state(ToProto(m.state));
  for (const auto& a : m.approvals) out->add_approvals(a);
  for (const Step& s : m.history) {
    auto* ps = out->add_history();
    ps->set_action(s.action);
    ps->set_who(s.who);
    *ps->mutable_time() = Ts(s.at);
    ps->set_text(s.text);
    ps->set_note(s.note);
  }
  *out->mutable_create_time() = Ts(m.created_at);
  *out->mutable_update_time() = Ts(m.updated_at);
  if (m.published_at) *out->mutable_publish_time() = Ts(*m.published_at);
  out->set_sent(m.sent);
  out->set_campaign_id(m.campaign_id);
  out->set_origin(m.origin);
}

void ToProto(const Campaign& c, v1::Campaign* out) {
  out->set_id(c.id);
  out->set_tenant(c.tenant);
  out->set_name(c.name);
  out->set_objective(c.objective);
  out->set_start_date(FormatDay(c.start));
  out->set_end_date(FormatDay(c.end));
  out->set_audience(c.audience);
  for (Channel ch : c.channels) out->add_channels(ToProto(ch));
  out->set_owner_office(c.owner_office);
  *out->mutable_create_time() = Ts(c.created_at);
  *out->mutable_update_time() = Ts(c.updated_at);
}

void ToProto(const PolicyVersion& p, v1::SocialMediaPolicy* out) {
  out->set_tenant(p.tenant);
  out->set_version(p.version);
  out->set_title(p.title);
  out->set_text(p.text);
  out->set_author(p.author);
  *out->mutable_publish_time() = Ts(p.published_at);
}

// The campaign fields of `in` named in `paths` into `c`; violations for
// dates that are not days and channels that are not known.
absl::Status MergeCampaign(const v1::Campaign& in, const std::vector<std::string>& paths, Campaign& c) {
  std::vector<FieldViolation> v;
  for (const std::string& p : paths) {
    if (p == "name") c.name = in.name();
    else if (p == "objective") c.objective = in.objective();
    else if (p == "audience") c.audience = in.audience();
    else if (p == "owner_office") c.owner_office = in.owner_office();
    else if (p == "start_date" || p == "end_date") {
      const std::string& text = p == "start_date" ? in.start_date() : in.end_date();
      auto day = ParseDay(text);
      if (!day) {
        v.push_back({"campaign." + p, "indicare una data AAAA-MM-GG"});
        continue;
      }
      (p == "start_date" ? c.start : c.end) = *day;
    } else if (p == "channels") {
      c.channels.clear();
      for (int i = 0; i < in.channels_size(); ++i) {
        auto ch = FromProto(in.channels(i));
        if (!ch) {
          v.push_back({absl::StrCat("campaign.channels[", i, "]"), "canale sconosciuto"});
          continue;
        }
        c.channels.push_back(*ch);
      }
    } else {
      v.push_back({"update_mask", "il campo " + p + " non è modificabile"});
    }
  }
  if (!v.empty()) return InvalidArgument(std::move(v));
  return CheckCampaign(c);
}

void ToProto(const DeliveryView& v, v1::Delivery* out) {
  const Delivery& d = v.delivery;
  out->set_id(d.id);
  out->set_tenant(d.tenant);
  out->set_message_id(d.message_id);
  out->set_account_id(d.account_id);
  out->set_channel(ToProto(v.channel));
  out->set_state(ToProto(d.state));
  out->set_attempts(d.attempts);
  if (d.next_attempt_at != absl::InfinitePast()) *out->mutable_next_attempt_time() = Ts(d.next_attempt_at);
  out->set_remote_id(d.remote_id);
  out->set_last_error(d.last_error);
  for (const AttemptLog& a : v.log) {
    auto* pa = out->add_log();
    *pa->mutable_time() = Ts(a.at);
    pa->set_outcome(a.outcome);
    pa->set_status(a.status);
    pa->set_error(a.error);
  }
}

void ToProto(const Blackout& b, v1::Blackout* out) {
  out->set_id(b.id);
  out->set_name(b.name);
  *out->mutable_start_time() = Ts(b.starts_at);
  *out->mutable_end_time() = Ts(b.ends_at);
  for (const auto& t : b.tenants) out->add_tenants(t);
}

Actor ActorOf(const auth::Principal& p) {
  bool manager = p.Has(Role::kCommunicationManager) || p.Has(Role::kAdmin);
  return Actor{p.subject, p.Has(Role::kCommunication) || p.Has(Role::kPartner) || manager, manager};
}

bool ValidEndpoint(Channel c, const std::string& e) {
  if (c == Channel::kFeed) return true;
  if (c == Channel::kEmail) return e.rfind("smtp://", 0) == 0 || e.rfind("smtps://", 0) == 0;
  return e.rfind("https://", 0) == 0 || e.rfind("http://", 0) == 0;
}

absl::Status CheckAccount(const Account& a) {
  std::vector<FieldViolation> v;
  if (a.handle.empty() || a.handle.size() > 200) v.push_back({"account.handle", "indicare il nome dell'account"});
  if (!ValidEndpoint(a.channel, a.endpoint)) {
    v.push_back({"account.endpoint", a.channel == Channel::kEmail ? "indicare un indirizzo smtp:// o smtps://"
                                                                  : "indicare un indirizzo http(s)"});
  }
  if (a.channel == Channel::kEmail && a.recipients.empty()) {
    v.push_back({"account.recipients", "indicare almeno un destinatario"});
  }
  if (a.max_characters < 0) v.push_back({"account.max_characters", "non può essere negativo"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

// Approved: hold it (blackout) or queue a delivery per account that sends
// (the feed shows it from its time on).
void Queue(Message& m, const std::vector<Account>& accounts, const std::vector<Blackout>& blackouts, absl::Time now,
           MessageEffects& fx) {
  absl::Time due = m.scheduled_at && *m.scheduled_at > now ? *m.scheduled_at : now;
  if (!MayGoOut(m, blackouts, due)) {
    m.state = MessageState::kHeld;
    auto b = CoveringBlackout(blackouts, m.tenant, due);
    m.history.push_back(Step{"hold", "sistema", now, m.text, "periodo elettorale: " + (b ? b->name : std::string())});
    return;
  }
  for (const Account& a : accounts) {
    if (a.channel == Channel::kFeed) continue;
    auto v = std::find_if(m.variants.begin(), m.variants.end(), [&](const Variant& x) { return x.account_id == a.id; });
    fx.deliveries.push_back(NewDelivery{a.id, v == m.variants.end() ? m.text : v->text, due});
  }
  fx.publish = true;
  fx.publish_time = due;
  fx.events.push_back(outbox::NewEvent{m.tenant, "message.approved", m.id, "", now});
}

}  // namespace

DispatchService::DispatchService(DispatchStore& store, RpcRunner& rpc, const Clock& clock,
                                 std::optional<Keyring> keyring, absl::TimeZone zone,
                                 outbox::StreamLimits stream_limits)
    : store_(store), rpc_(rpc), clock_(clock), keyring_(std::move(keyring)), zone_(zone),
      streams_(store.pool(), std::string(kSchema), stream_limits) {}

absl::Status DispatchService::CheckCampaignOf(const std::string& tenant, const std::string& id,
                                              const std::string& field) {
  if (id.empty()) return absl::OkStatus();
  auto c = store_.GetCampaign(id);
  if (absl::IsNotFound(c.status()) || (c.ok() && c->tenant != tenant)) {
    return InvalidArgument({{field, "campagna sconosciuta per questo ente"}});
  }
  return c.status();
}

absl::StatusOr<std::string> DispatchService::SealCredential(const std::string& credential) const {
  if (credential.empty() || credential.rfind("env:", 0) == 0) return credential;
  if (!keyring_) {
    return InvalidArgument({{"account.credential",
                             "nessuna chiave di cifratura configurata: indicare la credenziale come env:NOME"}});
  }
  return keyring_->Seal(credential);
}

absl::StatusOr<std::vector<Variant>> DispatchService::Variants(const Message& m, const std::vector<Account>& accounts,
                                                                const std::vector<Variant>& hand) const {
  std::vector<Variant> out;
  for (const Account& a : accounts) {
    auto h = std::find_if(hand.begin(), hand.end(), [&](const Variant& v) { return v.account_id == a.id; });
    if (h != hand.end()) {
      ASSIGN_OR_RETURN(Variant v, HandVariant(a, h->text, absl::StrCat("variants[", h - hand.begin(), "].text")));
      out.push_back(std::move(v));
    } else {
      out.push_back(DeriveVariant(a, m.text, m.link));
    }
  }
  for (size_t i = 0; i < hand.size(); ++i) {
    if (std::none_of(accounts.begin(), accounts.end(), [&](const Account& a) { return a.id == hand[i].account_id; })) {
      return InvalidArgument({{absl::StrCat("variants[", i, "].account_id"), "account non tra quelli del messaggio"}});
    }
  }
  return out;
}

absl::StatusOr<Message> DispatchService::Load(const Caller& caller, const std::string& id) {
  ASSIGN_OR_RETURN(Message m, store_.GetMessage(id));
  if (!caller.principal.IsStaffOf(m.tenant, {Role::kCommunication, Role::kCommunicationManager, Role::kPartner,
                                             Role::kOperator})) {
    return absl::NotFoundError("messaggio non trovato");
  }
  return m;
}

DispatchService::Reactor* DispatchService::ListAccounts(Ctx* ctx, const v1::ListAccountsRequest* req,
                                                        v1::ListAccountsResponse* resp) {
  return rpc_.Run(ctx, "ListAccounts", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListAccounts(tenant, size, req->page_token()));
    bool staff = caller.principal.IsStaffOf(tenant, {Role::kCommunication, Role::kCommunicationManager});
    for (const Account& a : page.items) ToProto(a, staff, resp->add_accounts());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::CreateAccount(Ctx* ctx, const v1::CreateAccountRequest* req,
                                                         v1::Account* resp) {
  return rpc_.Run(ctx, "CreateAccount", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunicationManager}));
    const v1::Account& in = req->account();
    auto channel = FromProto(in.channel());
    if (!channel) return InvalidArgument({{"account.channel", "indicare il canale"}});
    Account a;
    a.tenant = tenant;
    a.channel = *channel;
    a.handle = in.handle();
    a.public_url = in.public_url();
    a.owner_office = in.owner_office();
    a.status = FromProto(in.status()).value_or(AccountStatus::kActive);
    a.endpoint = in.endpoint();
    a.recipients.assign(in.recipients().begin(), in.recipients().end());
    a.max_characters = in.max_characters();
    a.second_tier = in.second_tier();
    RETURN_IF_ERROR(CheckAccount(a));
    ASSIGN_OR_RETURN(a.credential, SealCredential(in.credential()));
    ASSIGN_OR_RETURN(Account saved, store_.CreateAccount(a));
    ToProto(saved, true, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::UpdateAccount(Ctx* ctx, const v1::UpdateAccountRequest* req,
                                                         v1::Account* resp) {
  return rpc_.Run(ctx, "UpdateAccount", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, store_.GetAccount(req->account().id()));
    if (!caller.principal.IsStaffOf(a.tenant, {Role::kCommunicationManager})) {
      return absl::NotFoundError("account non trovato");
    }
    static const std::vector<std::string> kAll = {"handle", "public_url", "owner_office", "status", "endpoint",
                                                  "recipients", "max_characters", "second_tier", "credential"};
    std::vector<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    if (paths.empty()) paths = kAll;
    const v1::Account& in = req->account();
    for (const std::string& p : paths) {
      if (p == "handle") a.handle = in.handle();
      else if (p == "public_url") a.public_url = in.public_url();
      else if (p == "owner_office") a.owner_office = in.owner_office();
      else if (p == "status") {
        auto s = FromProto(in.status());
        if (!s) return InvalidArgument({{"account.status", "stato non valido"}});
        a.status = *s;
      } else if (p == "endpoint") a.endpoint = in.endpoint();
      else if (p == "recipients") a.recipients.assign(in.recipients().begin(), in.recipients().end());
      else if (p == "max_characters") a.max_characters = in.max_characters();
      else if (p == "second_tier") a.second_tier = in.second_tier();
      else if (p == "credential") {
        ASSIGN_OR_RETURN(a.credential, SealCredential(in.credential()));
        if (a.status == AccountStatus::kNeedsCredentials && !a.credential.empty()) a.status = AccountStatus::kActive;
      } else {
        return InvalidArgument({{"update_mask", "il campo " + p + " non è modificabile"}});
      }
    }
    RETURN_IF_ERROR(CheckAccount(a));
    ASSIGN_OR_RETURN(Account saved, store_.SaveAccount(a));
    ToProto(saved, true, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::CreateMessage(Ctx* ctx, const v1::CreateMessageRequest* req,
                                                         v1::Message* resp) {
  return rpc_.Run(ctx, "CreateMessage", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant,
                                       {Role::kCommunication, Role::kCommunicationManager, Role::kPartner}));
    const v1::Message& in = req->message();
    absl::Time now = clock_.Now();
    Message m;
    m.tenant = tenant;
    m.title = in.title();
    m.text = in.text();
    m.link = in.link();
    m.account_ids.assign(in.account_ids().begin(), in.account_ids().end());
    if (in.has_scheduled_time()) m.scheduled_at = FromTs(in.scheduled_time());
    m.indispensable = in.indispensable();
    m.blackout_justification = in.blackout_justification();
    m.campaign_id = in.campaign_id();
    RETURN_IF_ERROR(CheckDraft(m, now));
    RETURN_IF_ERROR(CheckCampaignOf(tenant, m.campaign_id, "message.campaign_id"));
    ASSIGN_OR_RETURN(auto accounts, store_.AccountsOf(tenant, m.account_ids));
    std::vector<Variant> hand;
    for (const auto& v : in.variants()) hand.push_back(Variant{v.account_id(), v.text(), false});
    ASSIGN_OR_RETURN(m.variants, Variants(m, accounts, hand));
    Create(m, ActorOf(caller.principal), now);
    ASSIGN_OR_RETURN(Message saved, store_.CreateMessage(m));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetMessage(Ctx* ctx, const v1::GetMessageRequest* req, v1::Message* resp) {
  return rpc_.Run(ctx, "GetMessage", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Message m, Load(caller, req->id()));
    ToProto(m, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListMessages(Ctx* ctx, const v1::ListMessagesRequest* req,
                                                        v1::ListMessagesResponse* resp) {
  return rpc_.Run(ctx, "ListMessages", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant,
                                       {Role::kCommunication, Role::kCommunicationManager, Role::kPartner}));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListMessages(tenant, FromProto(req->state()), size, req->page_token()));
    for (const Message& m : page.items) ToProto(m, resp->add_messages());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::UpdateMessage(Ctx* ctx, const v1::UpdateMessageRequest* req,
                                                         v1::Message* resp) {
  return rpc_.Run(ctx, "UpdateMessage", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Message current, Load(caller, req->message().id()));
    const v1::Message& in = req->message();
    std::vector<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    if (paths.empty()) paths = {"title", "text", "link", "account_ids", "variants", "scheduled_time",
                                "indispensable", "blackout_justification", "campaign_id"};
    Edit e;
    std::optional<std::vector<Variant>> hand;
    for (const std::string& p : paths) {
      if (p == "title") e.title = in.title();
      else if (p == "text") e.text = in.text();
      else if (p == "link") e.link = in.link();
      else if (p == "account_ids") e.account_ids = std::vector<std::string>(in.account_ids().begin(), in.account_ids().end());
      else if (p == "scheduled_time") {
        e.scheduled_at = in.has_scheduled_time() ? std::optional<absl::Time>(FromTs(in.scheduled_time())) : std::nullopt;
      } else if (p == "indispensable") e.indispensable = in.indispensable();
      else if (p == "blackout_justification") e.blackout_justification = in.blackout_justification();
      else if (p == "campaign_id") e.campaign_id = in.campaign_id();
      else if (p == "variants") {
        hand.emplace();
        for (const auto& v : in.variants()) hand->push_back(Variant{v.account_id(), v.text(), false});
      } else {
        return InvalidArgument({{"update_mask", "il campo " + p + " non è modificabile"}});
      }
    }
    if (e.campaign_id) RETURN_IF_ERROR(CheckCampaignOf(current.tenant, *e.campaign_id, "message.campaign_id"));
    std::vector<std::string> ids = e.account_ids ? *e.account_ids : current.account_ids;
    ASSIGN_OR_RETURN(auto accounts, store_.AccountsOf(current.tenant, ids));
    Actor actor = ActorOf(caller.principal);
    absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(Message m, store_.UpdateMessage(current.id, [&](Message& m, MessageEffects&) -> absl::Status {
      std::vector<Variant> kept;
      if (hand) {
        kept = *hand;
      } else {
        for (const Variant& v : m.variants) if (!v.derived) kept.push_back(v);
      }
      RETURN_IF_ERROR(ApplyEdit(m, e, actor, now));
      ASSIGN_OR_RETURN(m.variants, Variants(m, accounts, kept));
      return absl::OkStatus();
    }));
    ToProto(m, resp);
    return absl::OkStatus();
  });
}

absl::Status DispatchService::Act(const Caller& caller, const v1::MessageActionRequest& req, Action action,
                                  v1::Message* resp) {
  ASSIGN_OR_RETURN(Message current, Load(caller, req.id()));
  ASSIGN_OR_RETURN(auto accounts, store_.AccountsOf(current.tenant, current.account_ids));
  ASSIGN_OR_RETURN(auto blackouts, store_.BlackoutsOf(current.tenant));
  int tiers = std::any_of(accounts.begin(), accounts.end(), [](const Account& a) { return a.second_tier; }) ? 2 : 1;
  Actor actor = ActorOf(caller.principal);
  absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(Message m, store_.UpdateMessage(current.id, [&](Message& m, MessageEffects& fx) -> absl::Status {
    switch (action) {
      case Action::kSubmit: return Submit(m, actor, now);
      case Action::kReject: return Reject(m, actor, req.note(), now);
      case Action::kWithdraw: return Withdraw(m, actor, now);
      case Action::kUrgent:
        RETURN_IF_ERROR(dispatch::PublishUrgent(m, actor, req.note(), now));
        Queue(m, accounts, blackouts, now, fx);
        return absl::OkStatus();
      case Action::kApprove: {
        if (m.state == MessageState::kHeld) {
          // After the blackout a manager decides again on a held message.
          m.state = MessageState::kSubmitted;
          m.approvals.clear();
        }
        ASSIGN_OR_RETURN(bool approved, Approve(m, actor, tiers, now));
        if (approved) Queue(m, accounts, blackouts, now, fx);
        return absl::OkStatus();
      }
    }
    return absl::InternalError("azione sconosciuta");
  }));
  ToProto(m, resp);
  return absl::OkStatus();
}

#define SPORTELLO_ACTION(Name, action)                                                                  \
  DispatchService::Reactor* DispatchService::Name(Ctx* ctx, const v1::MessageActionRequest* req,       \
                                                  v1::Message* resp) {                                  \
    return rpc_.Run(ctx, #Name, [=, this](const Caller& c) { return Act(c, *req, action, resp); });    \
  }
SPORTELLO_ACTION(SubmitMessage, Action::kSubmit)
SPORTELLO_ACTION(ApproveMessage, Action::kApprove)
SPORTELLO_ACTION(RejectMessage, Action::kReject)
SPORTELLO_ACTION(PublishUrgent, Action::kUrgent)
SPORTELLO_ACTION(WithdrawMessage, Action::kWithdraw)
#undef SPORTELLO_ACTION

DispatchService::Reactor* DispatchService::ListMessageDeliveries(Ctx* ctx, const v1::ListMessageDeliveriesRequest* req,
                                                                 v1::ListDeliveriesResponse* resp) {
  return rpc_.Run(ctx, "ListMessageDeliveries", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Message m, Load(caller, req->id()));
    ASSIGN_OR_RETURN(auto views, store_.DeliveriesOf(m.id));
    for (const auto& v : views) ToProto(v, resp->add_deliveries());
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListDeliveries(Ctx* ctx, const v1::ListDeliveriesRequest* req,
                                                          v1::ListDeliveriesResponse* resp) {
  return rpc_.Run(ctx, "ListDeliveries", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant,
                                       {Role::kCommunication, Role::kCommunicationManager, Role::kOperator}));
    auto state = DeliveryStateFromName(req->state().empty() ? "dead" : req->state());
    if (!state) return InvalidArgument({{"state", "stato sconosciuto (pending, sending, sent, dead, uncertain, discarded)"}});
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListDeliveries(tenant, *state, size, req->page_token()));
    for (const auto& v : page.items) ToProto(v, resp->add_deliveries());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

namespace {
absl::Status ResolveDelivery(DispatchStore& store, const Caller& caller, const std::string& id, bool retry,
                             v1::Delivery* resp) {
  ASSIGN_OR_RETURN(DeliveryView v, store.GetDelivery(id));
  if (!caller.principal.IsStaffOf(v.delivery.tenant, {Role::kCommunicationManager, Role::kOperator})) {
    return absl::NotFoundError("consegna non trovata");
  }
  ASSIGN_OR_RETURN(DeliveryView after, store.Resolve(id, retry, caller.principal.subject));
  ToProto(after, resp);
  return absl::OkStatus();
}
}  // namespace

DispatchService::Reactor* DispatchService::RetryDelivery(Ctx* ctx, const v1::DeliveryActionRequest* req,
                                                         v1::Delivery* resp) {
  return rpc_.Run(ctx, "RetryDelivery", [=, this](const Caller& c) {
    return ResolveDelivery(store_, c, req->id(), true, resp);
  });
}

DispatchService::Reactor* DispatchService::DiscardDelivery(Ctx* ctx, const v1::DeliveryActionRequest* req,
                                                           v1::Delivery* resp) {
  return rpc_.Run(ctx, "DiscardDelivery", [=, this](const Caller& c) {
    return ResolveDelivery(store_, c, req->id(), false, resp);
  });
}

DispatchService::Reactor* DispatchService::CreateBlackout(Ctx* ctx, const v1::CreateBlackoutRequest* req,
                                                          v1::Blackout* resp) {
  return rpc_.Run(ctx, "CreateBlackout", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kAdmin}));
    const v1::Blackout& in = req->blackout();
    Blackout b;
    b.name = in.name();
    b.starts_at = FromTs(in.start_time());
    b.ends_at = FromTs(in.end_time());
    b.tenants = {tenant};
    for (int i = 0; i < in.tenants_size(); ++i) {
      ASSIGN_OR_RETURN(std::string t, CanonicalTenant(in.tenants(i), absl::StrCat("blackout.tenants[", i, "]")));
      if (std::find(b.tenants.begin(), b.tenants.end(), t) == b.tenants.end()) b.tenants.push_back(t);
    }
    RETURN_IF_ERROR(CheckBlackout(b));
    ASSIGN_OR_RETURN(Blackout saved, store_.CreateBlackout(b, caller.principal.subject));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListBlackouts(Ctx* ctx, const v1::ListBlackoutsRequest* req,
                                                         v1::ListBlackoutsResponse* resp) {
  return rpc_.Run(ctx, "ListBlackouts", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(auto list, store_.BlackoutsOf(tenant));
    for (const Blackout& b : list) ToProto(b, resp->add_blackouts());
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetBlackoutReport(Ctx* ctx, const v1::GetBlackoutReportRequest* req,
                                                             v1::BlackoutReport* resp) {
  return rpc_.Run(ctx, "GetBlackoutReport", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunicationManager}));
    ASSIGN_OR_RETURN(Blackout b, store_.GetBlackout(req->id()));
    if (std::find(b.tenants.begin(), b.tenants.end(), tenant) == b.tenants.end()) {
      return absl::NotFoundError("periodo non trovato");
    }
    ASSIGN_OR_RETURN(auto report, store_.BlackoutReport(b, tenant));
    ToProto(b, resp->mutable_blackout());
    for (const Message& m : report.first) ToProto(m, resp->add_held());
    for (const Message& m : report.second) ToProto(m, resp->add_published());
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListPublished(Ctx* ctx, const v1::ListPublishedRequest* req,
                                                         v1::ListPublishedResponse* resp) {
  return rpc_.Run(ctx, "ListPublished", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListPublished(tenant, size, req->page_token()));
    for (const Message& m : page.items) {
      auto* p = resp->add_messages();
      p->set_id(m.id);
      p->set_title(m.title);
      p->set_text(m.text);
      p->set_link(m.link);
      *p->mutable_publish_time() = Ts(*m.published_at);
      *p->mutable_update_time() = Ts(m.updated_at);
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

// ---- the annual communication plan, the calendar, the policy ----

DispatchService::Reactor* DispatchService::ListCampaigns(Ctx* ctx, const v1::ListCampaignsRequest* req,
                                                         v1::ListCampaignsResponse* resp) {
  return rpc_.Run(ctx, "ListCampaigns", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    if (req->year() != 0 && (req->year() < 2000 || req->year() > 2100)) {
      return InvalidArgument({{"year", "indicare un anno tra il 2000 e il 2100"}});
    }
    ASSIGN_OR_RETURN(int size, PageSize(req->page_size()));
    ASSIGN_OR_RETURN(auto page, store_.ListCampaigns(tenant, req->year(), size, req->page_token()));
    for (const Campaign& c : page.items) ToProto(c, resp->add_campaigns());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::CreateCampaign(Ctx* ctx, const v1::CreateCampaignRequest* req,
                                                          v1::Campaign* resp) {
  return rpc_.Run(ctx, "CreateCampaign", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunicationManager}));
    Campaign c;
    c.tenant = tenant;
    RETURN_IF_ERROR(MergeCampaign(req->campaign(), {"name", "objective", "audience", "owner_office", "start_date",
                                                    "end_date", "channels"}, c));
    c.created_at = c.updated_at = clock_.Now();
    ASSIGN_OR_RETURN(Campaign saved, store_.CreateCampaign(c));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetCampaign(Ctx* ctx, const v1::GetCampaignRequest* req,
                                                       v1::Campaign* resp) {
  return rpc_.Run(ctx, "GetCampaign", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(Campaign c, store_.GetCampaign(req->id()));
    if (c.tenant != tenant) return absl::NotFoundError("campagna non trovata");
    ToProto(c, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::UpdateCampaign(Ctx* ctx, const v1::UpdateCampaignRequest* req,
                                                          v1::Campaign* resp) {
  return rpc_.Run(ctx, "UpdateCampaign", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunicationManager}));
    ASSIGN_OR_RETURN(Campaign c, store_.GetCampaign(req->campaign().id()));
    if (c.tenant != tenant) return absl::NotFoundError("campagna non trovata");
    std::vector<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    if (paths.empty()) {
      paths = {"name", "objective", "audience", "owner_office", "start_date", "end_date", "channels"};
    }
    RETURN_IF_ERROR(MergeCampaign(req->campaign(), paths, c));
    c.updated_at = clock_.Now();
    ASSIGN_OR_RETURN(Campaign saved, store_.SaveCampaign(c));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetCalendar(Ctx* ctx, const v1::GetCalendarRequest* req,
                                                       v1::Calendar* resp) {
  return rpc_.Run(ctx, "GetCalendar", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunication, Role::kCommunicationManager}));
    std::vector<FieldViolation> v;
    if (!req->has_from_time()) v.push_back({"from_time", "indicare l'inizio dell'intervallo"});
    if (!req->has_to_time()) v.push_back({"to_time", "indicare la fine dell'intervallo"});
    if (!v.empty()) return InvalidArgument(std::move(v));
    absl::Time from = FromTs(req->from_time()), to = FromTs(req->to_time());
    RETURN_IF_ERROR(CheckCalendarWindow(from, to));
    ASSIGN_OR_RETURN(auto rows, store_.Calendar(tenant, from, to, zone_));
    absl::Time now = clock_.Now();
    std::vector<CalendarEntry> entries;
    for (const Message& m : rows.messages) {
      absl::Time at = m.published_at ? *m.published_at : m.scheduled_at.value_or(m.created_at);
      entries.push_back({"message", m.id, m.title, at, std::nullopt, CalendarState(m, now), m.campaign_id});
    }
    for (const Campaign& c : rows.campaigns) {
      entries.push_back({"campaign", c.id, c.name, absl::FromCivil(c.start, zone_),
                         absl::FromCivil(c.end + 1, zone_), "", ""});
    }
    for (const Blackout& b : rows.blackouts) {
      entries.push_back({"blackout", b.id, b.name, b.starts_at, b.ends_at, "", ""});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const CalendarEntry& a, const CalendarEntry& b) { return a.start < b.start; });
    for (const CalendarEntry& e : entries) {
      auto* p = resp->add_entries();
      p->set_kind(e.kind);
      p->set_id(e.id);
      p->set_title(e.title);
      *p->mutable_start_time() = Ts(e.start);
      if (e.end) *p->mutable_end_time() = Ts(*e.end);
      p->set_state(e.state);
      p->set_campaign_id(e.campaign_id);
    }
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::GetSocialMediaPolicy(Ctx* ctx, const v1::GetSocialMediaPolicyRequest* req,
                                                                v1::SocialMediaPolicy* resp) {
  return rpc_.Run(ctx, "GetSocialMediaPolicy", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(auto versions, store_.Policies(tenant, 1));
    if (versions.empty()) return absl::NotFoundError("l'ente non ha ancora pubblicato una social media policy");
    ToProto(versions.front(), resp);
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::ListSocialMediaPolicyVersions(
    Ctx* ctx, const v1::GetSocialMediaPolicyRequest* req, v1::ListSocialMediaPolicyVersionsResponse* resp) {
  return rpc_.Run(ctx, "ListSocialMediaPolicyVersions", [=, this](const Caller&) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    ASSIGN_OR_RETURN(auto versions, store_.Policies(tenant, 1000));
    for (const PolicyVersion& p : versions) ToProto(p, resp->add_versions());
    return absl::OkStatus();
  });
}

DispatchService::Reactor* DispatchService::PublishSocialMediaPolicy(Ctx* ctx,
                                                                    const v1::PublishSocialMediaPolicyRequest* req,
                                                                    v1::SocialMediaPolicy* resp) {
  return rpc_.Run(ctx, "PublishSocialMediaPolicy", [=, this](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::string tenant, CanonicalTenant(req->tenant()));
    RETURN_IF_ERROR(auth::CheckStaffOf(caller.principal, tenant, {Role::kCommunicationManager}));
    PolicyVersion p;
    p.tenant = tenant;
    p.title = req->policy().title();
    p.text = req->policy().text();
    p.author = caller.principal.subject;
    p.published_at = clock_.Now();
    RETURN_IF_ERROR(CheckPolicy(p));
    ASSIGN_OR_RETURN(PolicyVersion saved, store_.PublishPolicy(p));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

// ---- Partners' stream: common's outbox stream, capped per caller.

grpc::ServerWriteReactor<v1::Event>* DispatchService::StreamDispatchEvents(Ctx* ctx,
                                                                           const v1::StreamDispatchEventsRequest* req) {
  return streams_.Serve(rpc_, ctx, "StreamDispatchEvents", req->tenant(), req->after_sequence(),
                        {Role::kPartner, Role::kCommunicationManager});
}

}  // namespace sportello::dispatch
