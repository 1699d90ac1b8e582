// The dispatch service's domain: length counting, variants, approval,
// backoff and outcomes, blackout rules, signatures, sealed credentials.
#include <catch2/catch.hpp>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "common/status.h"
#include "services/dispatch/approval.h"
#include "services/dispatch/blackout.h"
#include "services/dispatch/delivery.h"
#include "services/dispatch/length.h"
#include "services/dispatch/plan.h"
#include "services/dispatch/secrets.h"

using namespace sportello::dispatch;
using sportello::FieldViolations;

namespace {

absl::Time T(int day, int hour = 9) { return absl::FromCivil(absl::CivilSecond(2027, 3, day, hour, 0, 0), absl::UTCTimeZone()); }

Account Acc(Channel c, std::string id = "a1", int max = 0) {
  Account a;
  a.id = std::move(id);
  a.channel = c;
  a.max_characters = max;
  return a;
}

Message Draft() {
  Message m;
  m.id = "m1";
  m.tenant = "c_f027";
  m.title = "Chiusura scuole";
  m.text = "Domani le scuole restano chiuse per allerta meteo.";
  m.link = "https://www.comune.massafra.ta.it/allerta";
  m.account_ids = {"a1"};
  Create(m, Actor{"anna", true, false}, T(1));
  return m;
}

}  // namespace

TEST_CASE("Mastodon counts grapheme clusters and every URL as 23") {
  CHECK(MastodonLength("ciao") == 4);
  CHECK(MastodonLength("perché") == 6);                     // é precomposed
  CHECK(MastodonLength("perche\xcc\x81") == 6);             // e + combining acute: one cluster
  CHECK(MastodonLength("\xf0\x9f\x87\xae\xf0\x9f\x87\xb9") == 1);  // 🇮🇹 is one flag
  CHECK(MastodonLength("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7") == 1);  // ZWJ family
  CHECK(MastodonLength("vedi https://example.org/a/very/long/path/that/goes/on/and/on") == 5 + 23);
  CHECK(MastodonLength("https://a.it e http://b.it") == 23 + 3 + 23);
}

TEST_CASE("Telegram counts the text after HTML entity parsing, in UTF-16 units") {
  CHECK(TelegramLength("<b>Allerta</b> &amp; avviso") == 16);  // "Allerta & avviso"
  CHECK(TelegramLength("a &lt; b") == 5);
  CHECK(TelegramLength("&#127470;") == 2);  // U+1F1EE: a surrogate pair
  CHECK(TelegramLength("  spazi  ") == 5);
  CHECK(TelegramEscape("a<b & c>d") == "a&lt;b &amp; c&gt;d");
  CHECK(TelegramLength(TelegramEscape("x < y & z")) == 9);
}

TEST_CASE("A derived variant fits as is, or is cut at a word with the link and marked") {
  Account masto = Acc(Channel::kMastodon, "m", 60);
  Variant fits = DeriveVariant(masto, "Scuole chiuse.", "https://comune.example/allerta");
  CHECK_FALSE(fits.shortened);
  CHECK(fits.text == "Scuole chiuse.\n\nhttps://comune.example/allerta");
  CHECK(fits.length == 14 + 2 + 23);

  std::string long_text = "Domani le scuole di ogni ordine e grado restano chiuse per allerta meteo arancione";
  Variant cut = DeriveVariant(masto, long_text, "https://comune.example/allerta");
  CHECK(cut.shortened);
  CHECK(cut.length <= 60);
  CHECK(cut.length == MastodonLength(cut.text));
  CHECK(cut.text.find("…\n\nhttps://comune.example/allerta") != std::string::npos);
  // cut at a word: the character before "…" ends a whole word of the text
  std::string before = cut.text.substr(0, cut.text.find("…"));
  CHECK(long_text.rfind(before, 0) == 0);
  CHECK(long_text[before.size()] == ' ');

  Variant tg = DeriveVariant(Acc(Channel::kTelegram), "a < b & c", "");
  CHECK(tg.text == "a &lt; b &amp; c");
  CHECK(tg.length == 9);
  CHECK(tg.limit == 4096);
  CHECK(LimitFor(Acc(Channel::kMastodon)) == 500);
}

TEST_CASE("A hand-written variant over the limit names channel, length and limit") {
  auto over = HandVariant(Acc(Channel::kMastodon, "m", 10), "undici lett", "variants[0].text");
  REQUIRE(over.status().code() == absl::StatusCode::kInvalidArgument);
  auto v = FieldViolations(over.status());
  REQUIRE(v.size() == 1);
  CHECK(v[0].field == "variants[0].text");
  CHECK(v[0].description == "il testo per mastodon è di 11 caratteri, oltre il limite di 10");
  CHECK(HandVariant(Acc(Channel::kMastodon, "m", 10), "", "f").status().code() == absl::StatusCode::kInvalidArgument);
  auto ok = HandVariant(Acc(Channel::kTelegram), "<b>ok</b>", "f");
  REQUIRE(ok.ok());
  CHECK(ok->length == 2);
  CHECK_FALSE(ok->derived);
}

TEST_CASE("Approval: editor drafts, another manager approves, never the author") {
  Message m = Draft();
  Actor anna{"anna", true, false}, bruno{"bruno", false, true}, carla{"carla", false, true};
  CHECK(Approve(m, bruno, 1, T(2)).status().code() == absl::StatusCode::kFailedPrecondition);  // not submitted
  REQUIRE(Submit(m, anna, T(2)).ok());
  CHECK(Submit(m, anna, T(2)).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Approve(m, anna, 1, T(2)).status().code() == absl::StatusCode::kPermissionDenied);  // editor only

  Actor anna_manager{"anna", true, true};
  auto self = Approve(m, anna_manager, 1, T(2));
  REQUIRE(self.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(FieldViolations(self.status())[0].field == "approver");
  CHECK(m.state == MessageState::kSubmitted);

  auto done = Approve(m, bruno, 1, T(3));
  REQUIRE(done.ok());
  CHECK(*done);
  CHECK(m.state == MessageState::kApproved);
  REQUIRE(m.history.size() == 3);
  CHECK(m.history[2].action == "approve");
  CHECK(m.history[2].who == "bruno");
  CHECK(m.history[2].at == T(3));
  CHECK(m.history[2].text == m.text);
  (void)carla;
}

TEST_CASE("A second tier needs two distinct managers") {
  Message m = Draft();
  Actor anna{"anna", true, false}, bruno{"bruno", false, true}, carla{"carla", false, true};
  REQUIRE(Submit(m, anna, T(2)).ok());
  REQUIRE(Approve(m, bruno, 2, T(2)).value() == false);
  CHECK(m.state == MessageState::kSubmitted);
  CHECK(Approve(m, bruno, 2, T(2)).status().code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(Approve(m, carla, 2, T(2)).value() == true);
  CHECK(m.state == MessageState::kApproved);
  CHECK(m.approvals == std::vector<std::string>{"bruno", "carla"});
}

TEST_CASE("An edit sends the message back to draft; after sending it is refused") {
  Message m = Draft();
  Actor anna{"anna", true, false}, bruno{"bruno", false, true};
  REQUIRE(Submit(m, anna, T(2)).ok());
  REQUIRE(Approve(m, bruno, 1, T(2)).ok());
  Edit e;
  e.text = "Testo corretto";
  REQUIRE(ApplyEdit(m, e, anna, T(3)).ok());
  CHECK(m.state == MessageState::kDraft);
  CHECK(m.approvals.empty());
  CHECK(m.history.back().action == "edit");
  CHECK(m.history.back().text == "Testo corretto");

  Edit bad;
  bad.scheduled_at = std::optional<absl::Time>(T(1));
  auto past = ApplyEdit(m, bad, anna, T(3));
  REQUIRE(past.code() == absl::StatusCode::kInvalidArgument);
  CHECK(FieldViolations(past)[0].field == "scheduled_time");
  CHECK(m.text == "Testo corretto");  // nothing changed

  m.sent = true;
  CHECK(ApplyEdit(m, e, anna, T(4)).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Withdraw(m, anna, T(4)).code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Reject returns to draft with a note; withdraw ends it") {
  Message m = Draft();
  Actor anna{"anna", true, false}, bruno{"bruno", false, true};
  REQUIRE(Submit(m, anna, T(2)).ok());
  CHECK(Reject(m, bruno, " ", T(2)).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(Reject(m, bruno, "manca l'orario", T(2)).ok());
  CHECK(m.state == MessageState::kDraft);
  CHECK(m.history.back().note == "manca l'orario");
  REQUIRE(Withdraw(m, anna, T(3)).ok());
  CHECK(m.state == MessageState::kWithdrawn);
  CHECK(Submit(m, anna, T(3)).code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Urgent civil protection: one manager publishes at once with a logged reason") {
  Message m = Draft();
  Actor anna{"anna", true, false}, bruno{"bruno", true, true};
  CHECK(PublishUrgent(m, anna, "allerta rossa in corso", T(2)).code() == absl::StatusCode::kPermissionDenied);
  CHECK(PublishUrgent(m, bruno, "corto", T(2)).code() == absl::StatusCode::kInvalidArgument);
  CHECK(m.state == MessageState::kDraft);
  m.author = "bruno";  // their own message, too
  REQUIRE(PublishUrgent(m, bruno, "allerta rossa della protezione civile", T(2)).ok());
  CHECK(m.state == MessageState::kApproved);
  CHECK(m.urgent);
  CHECK(m.history.back().action == "publish-urgent");
  CHECK(m.history.back().note == "allerta rossa della protezione civile");
}

TEST_CASE("A draft is checked: time in the past, link, accounts, blackout justification") {
  Message m = Draft();
  m.link = "ftp://x";
  m.account_ids.clear();
  m.scheduled_at = T(1, 8);
  m.indispensable = true;
  auto s = CheckDraft(m, T(1, 9));
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolations(s)) fields.push_back(v.field);
  CHECK(fields == std::vector<std::string>{"link", "account_ids", "scheduled_time", "blackout_justification"});
}

TEST_CASE("Backoff doubles up to the cap, with jitter in the upper half") {
  RetryPolicy p;
  p.base = absl::Seconds(10);
  p.cap = absl::Seconds(100);
  CHECK(Backoff(1, p, 0.0) == absl::Seconds(5));
  CHECK(Backoff(1, p, 1.0) == absl::Seconds(10));
  CHECK(Backoff(2, p, 0.0) == absl::Seconds(10));
  CHECK(Backoff(3, p, 0.5) == absl::Seconds(30));
  CHECK(Backoff(10, p, 1.0) == absl::Seconds(100));
  CHECK(Backoff(10, p, 0.0) == absl::Seconds(50));
}

TEST_CASE("Outcomes: sent, 429 honoured, dead letter, uncertain") {
  RetryPolicy p;
  Delivery d;
  d.attempts = 1;
  absl::Time now = T(5);
  auto done = [](int status) { Attempt a; a.http_status = status; return a; };

  CHECK(Decide(d, Channel::kTelegram, done(200), p, now, 0).state == DeliveryState::kSent);
  CHECK(Decide(d, Channel::kEmail, done(250), p, now, 0).state == DeliveryState::kSent);

  Attempt limited = done(429);
  limited.retry_after = absl::Seconds(42);
  Decision wait = Decide(d, Channel::kTelegram, limited, p, now, 0.7);
  CHECK(wait.state == DeliveryState::kPending);
  CHECK(wait.next_attempt_at == now + absl::Seconds(42));

  for (int s : {400, 404, 422}) CHECK(Decide(d, Channel::kMastodon, done(s), p, now, 0).state == DeliveryState::kDead);
  Decision unauthorized = Decide(d, Channel::kMastodon, done(401), p, now, 0);
  CHECK(unauthorized.state == DeliveryState::kDead);
  CHECK(unauthorized.mark_account);
  CHECK(Decide(d, Channel::kWebhook, done(403), p, now, 0).mark_account);

  Decision server = Decide(d, Channel::kWebhook, done(500), p, now, 0);
  CHECK(server.state == DeliveryState::kPending);
  CHECK(server.next_attempt_at == now + Backoff(1, p, 0));
  CHECK(Decide(d, Channel::kEmail, done(451), p, now, 0).state == DeliveryState::kPending);
  CHECK(Decide(d, Channel::kEmail, done(550), p, now, 0).state == DeliveryState::kDead);

  Delivery last = d;
  last.attempts = p.max_attempts;
  CHECK(Decide(last, Channel::kWebhook, done(500), p, now, 0).state == DeliveryState::kDead);

  Attempt unknown;
  unknown.kind = Attempt::Kind::kUnknown;
  CHECK(Decide(d, Channel::kTelegram, unknown, p, now, 0).state == DeliveryState::kUncertain);
  CHECK(Decide(d, Channel::kEmail, unknown, p, now, 0).state == DeliveryState::kUncertain);
  CHECK(Decide(d, Channel::kWebhook, unknown, p, now, 0).state == DeliveryState::kPending);
  Delivery masto = d;
  masto.first_sent_at = now - absl::Minutes(10);
  CHECK(Decide(masto, Channel::kMastodon, unknown, p, now, 0).state == DeliveryState::kPending);
  masto.first_sent_at = now - absl::Minutes(58);  // the key's hour is nearly over
  CHECK(Decide(masto, Channel::kMastodon, unknown, p, now, 0).state == DeliveryState::kUncertain);
  CHECK(AfterInterruptedSend(d, Channel::kTelegram, p, now) == DeliveryState::kUncertain);
  CHECK(AfterInterruptedSend(d, Channel::kWebhook, p, now) == DeliveryState::kPending);

  Attempt refused;
  refused.kind = Attempt::Kind::kNotSent;
  CHECK(Decide(d, Channel::kTelegram, refused, p, now, 0).state == DeliveryState::kPending);
}

TEST_CASE("Blackout: only indispensable, justified, approved messages of covered tenants go out") {
  Blackout b{"b1", "Referendum 2027", T(1), T(20), {"c_f027", "ugravine"}};
  REQUIRE(CheckBlackout(b).ok());
  Message m = Draft();
  m.approvals = {"bruno"};
  CHECK_FALSE(MayGoOut(m, {b}, T(5)));
  CHECK(MayGoOut(m, {b}, T(20)));  // the polls closed
  CHECK(MayGoOut(m, {b}, T(1, 8) - absl::Hours(24)));
  Message other = m;
  other.tenant = "c_e986";
  CHECK(MayGoOut(other, {b}, T(5)));
  m.urgent = true;
  CHECK_FALSE(MayGoOut(m, {b}, T(5)));  // urgent ones too
  m.indispensable = true;
  CHECK_FALSE(MayGoOut(m, {b}, T(5)));  // no justification
  m.blackout_justification = "informazione di servizio indispensabile e impersonale";
  CHECK(MayGoOut(m, {b}, T(5)));
  Blackout bad{"b2", " ", T(5), T(5), {}};
  CHECK(FieldViolations(CheckBlackout(bad)).size() == 3);

  Message held = Draft();
  held.state = MessageState::kHeld;
  held.approvals = {"bruno"};
  ReleaseHeld(held, T(21));
  CHECK(held.state == MessageState::kSubmitted);
  CHECK(held.approvals.empty());
}

TEST_CASE("Webhook signatures follow Standard Webhooks and X-Hub-Signature-256") {
  // The example of the Standard Webhooks specification.
  std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  std::string body = R"({"test": 2432232314})";
  CHECK(StandardWebhookSignature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body) ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // HMAC-SHA256 of the RFC 4231 test case 2.
  CHECK(HubSignature256("Jefe", "what do ya want for nothing?") ==
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("Credentials are sealed with AES-256-GCM and a key id, and keys rotate") {
  std::string k1 = absl::Base64Escape(std::string(32, '\x01'));
  std::string k2 = absl::Base64Escape(std::string(32, '\x02'));
  auto old_ring = Keyring::Parse("k1:" + k1, "k1");
  REQUIRE(old_ring.ok());
  auto sealed = old_ring->Seal("123456:ABC-bot-token");
  REQUIRE(sealed.ok());
  CHECK(sealed->rfind("v1.k1.", 0) == 0);
  CHECK(sealed->find("ABC-bot-token") == std::string::npos);
  CHECK(*old_ring->Open(*sealed) == "123456:ABC-bot-token");
  CHECK(*old_ring->Seal("x") != *old_ring->Seal("x"));  // fresh nonce

  auto ring = Keyring::Parse("k1:" + k1 + ",k2:" + k2, "k2");
  REQUIRE(ring.ok());
  CHECK(*ring->Open(*sealed) == "123456:ABC-bot-token");  // old key still opens
  CHECK(ring->Seal("y")->rfind("v1.k2.", 0) == 0);

  std::string tampered = *sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(ring->Open(tampered).ok());
  std::string other_id = "v1.k2." + sealed->substr(6);  // the key id is authenticated
  CHECK_FALSE(ring->Open(other_id).ok());
  CHECK_FALSE(Keyring::Parse("k1:short", "k1").ok());
  CHECK_FALSE(Keyring::Parse("k1:" + k1, "k9").ok());
}

namespace {

std::vector<std::string> Fields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolations(s)) out.push_back(v.field);
  return out;
}

Campaign GoodCampaign() {
  Campaign c;
  c.name = "Differenziata 2027";
  c.objective = "Portare la differenziata al 75%";
  c.start = absl::CivilDay(2027, 3, 1);
  c.end = absl::CivilDay(2027, 5, 31);
  c.channels = {Channel::kTelegram, Channel::kFeed};
  c.owner_office = "Ambiente";
  return c;
}

}  // namespace

TEST_CASE("Days: only real calendar days in YYYY-MM-DD") {
  CHECK(ParseDay("2027-02-28") == absl::CivilDay(2027, 2, 28));
  CHECK_FALSE(ParseDay("2027-02-30"));
  CHECK_FALSE(ParseDay("2027-2-3"));
  CHECK_FALSE(ParseDay("domani"));
  CHECK(FormatDay(absl::CivilDay(2027, 3, 1)) == "2027-03-01");
}

TEST_CASE("Campaigns: period, channels, objective and owner office checked") {
  CHECK(CheckCampaign(GoodCampaign()).ok());
  Campaign c = GoodCampaign();
  c.end = absl::CivilDay(2027, 2, 1);
  CHECK(Fields(CheckCampaign(c)) == std::vector<std::string>{"campaign.end_date"});
  c = GoodCampaign();
  c.channels = {Channel::kFeed, Channel::kFeed};
  CHECK(Fields(CheckCampaign(c)) == std::vector<std::string>{"campaign.channels[1]"});
  c = GoodCampaign();
  c.channels.clear();
  c.objective = " ";
  c.owner_office = "";
  CHECK(Fields(CheckCampaign(c)) ==
        std::vector<std::string>{"campaign.objective", "campaign.channels", "campaign.owner_office"});
  c = GoodCampaign();
  c.end = absl::CivilDay(2028, 12, 31);
  CHECK(Fields(CheckCampaign(c)) == std::vector<std::string>{"campaign.end_date"});  // longer than a year
}

TEST_CASE("Calendar window and states") {
  absl::Time t = absl::FromUnixSeconds(1800000000);
  CHECK(CheckCalendarWindow(t, t + absl::Hours(24)).ok());
  CHECK(Fields(CheckCalendarWindow(t, t)) == std::vector<std::string>{"to_time"});
  CHECK(Fields(CheckCalendarWindow(t, t + absl::Hours(24 * 401))) == std::vector<std::string>{"to_time"});
  Message m;
  m.state = MessageState::kApproved;
  m.published_at = t + absl::Hours(1);
  CHECK(CalendarState(m, t) == "scheduled");
  CHECK(CalendarState(m, t + absl::Hours(2)) == "published");
  m.state = MessageState::kHeld;
  CHECK(CalendarState(m, t) == "held");
}

TEST_CASE("Drafts from events: a dataset and a closure become drafts, nothing else") {
  absl::Time now = absl::FromUnixSeconds(1800000000);
  IncomingEvent e{"ev-1", "opendata", "dataset.published", "c_f027", "c_f027-reclami", now,
                  {{"dataset_id", "c_f027-reclami"}, {"version", "2"}}};
  auto d = DraftFromEvent(e, {"feed-1"}, "https://sportello.example.it/", now);
  REQUIRE(d);
  CHECK(d->state == MessageState::kDraft);
  CHECK(d->author == "sistema");
  CHECK(d->origin == "opendata:dataset.published:ev-1");
  CHECK(d->title == "Nuovi dati aperti: c_f027-reclami");
  CHECK(d->link == "https://sportello.example.it/api/v1/datasets/c_f027-reclami");
  CHECK(d->text.find("versione 2") != std::string::npos);
  CHECK(d->account_ids == std::vector<std::string>{"feed-1"});
  REQUIRE(d->history.size() == 1);
  CHECK(d->history[0].action == "create");

  IncomingEvent closed{"ev-2", "catalogue", "office.closed", "c_f027", "office-1", now,
                       {{"office_id", "office-1"}, {"office_name", "Ufficio Anagrafe"}, {"date", "2027-03-15"},
                        {"reason", "disinfestazione"}}};
  d = DraftFromEvent(closed, {}, "", now);
  REQUIRE(d);
  CHECK(d->title == "Chiusura straordinaria: Ufficio Anagrafe");
  CHECK(d->text == "Il giorno 15/03/2027 Ufficio Anagrafe resterà chiuso al pubblico (disinfestazione).");
  CHECK(d->link.empty());
  closed.data[2].second = "domani";
  CHECK_FALSE(DraftFromEvent(closed, {}, "", now));  // no day: nothing to announce
  IncomingEvent other{"ev-3", "opendata", "dataset.refreshed", "c_f027", "x", now, {}};
  CHECK_FALSE(DraftFromEvent(other, {}, "", now));
}
