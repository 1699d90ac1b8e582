// The connectors against loopback servers speaking the platforms' protocols
// (fake_platforms.py): what each platform receives, and what its answers
// (200, 401, 429 with its wait, 503 with Retry-After, a late answer, a
// refused connection) become.
#include "services/dispatch/connectors.h"

#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "services/dispatch/delivery.h"
#include "tests/dispatch/fake_platforms.h"

using namespace sportello::dispatch;
using sportello::testing::FakePlatforms;

namespace {

Outgoing Out(Channel channel, const std::string& endpoint, const std::string& secret, const std::string& text) {
  Outgoing o;
  o.delivery.id = "0b7c6f6e-1d7a-4a51-9a39-5c1e2f0d9a01";
  o.delivery.tenant = "c_f027";
  o.delivery.message_id = "5f1d0c9a-7d1e-4b1a-8c2b-0e9f8a7b6c5d";
  o.account.channel = channel;
  o.account.endpoint = endpoint;
  o.account.handle = channel == Channel::kEmail ? "urp@comune.example.it" : "@comune_test";
  o.secret = secret;
  o.text = text;
  o.title = "Allerta meteo: scuole chiuse";
  o.link = "https://comune.example.it/allerta";
  return o;
}

CurlSender NewSender(absl::Duration timeout = absl::Seconds(5)) {
  CurlSettings s;
  s.timeout = timeout;
  s.mail_domain = "test.sportello.invalid";
  return CurlSender(s, [] { return absl::Now(); });
}

Delivery OneAttempt() {
  Delivery d;
  d.attempts = 1;
  return d;
}

}  // namespace

TEST_CASE("Telegram: sendMessage in HTML mode; a wrong token is 401; 429 carries retry_after") {
  FakePlatforms fakes;
  CurlSender sender = NewSender();
  Outgoing ok = Out(Channel::kTelegram, fakes.HttpBase(), sportello::testing::kTelegramToken, "Scuole &amp; asili chiusi");
  Attempt a = sender.Send(ok);
  CHECK(a.kind == Attempt::Kind::kDone);
  CHECK(a.http_status == 200);
  CHECK_FALSE(a.remote_id.empty());
  auto log = fakes.Log().at("telegram").as_array();
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("parse_mode").as_string() == "HTML");
  CHECK(log[0].at("chat_id").as_string() == "@comune_test");
  CHECK(log[0].at("text").as_string() == "Scuole &amp; asili chiusi");

  Attempt bad = sender.Send(Out(Channel::kTelegram, fakes.HttpBase(), "999:wrong", "x"));
  CHECK(bad.http_status == 401);
  CHECK(bad.error == "Unauthorized");
  CHECK(bad.error.find("999:wrong") == std::string::npos);

  fakes.Script("/bot", {429});
  Attempt limited = sender.Send(ok);
  CHECK(limited.http_status == 429);
  REQUIRE(limited.retry_after.has_value());
  CHECK(*limited.retry_after == absl::Seconds(7));
  CHECK(fakes.Count("telegram") == 1);  // the 401 and the 429 delivered nothing
}

TEST_CASE("Mastodon: the Idempotency-Key makes a resend return the same status; 429 waits for the reset") {
  FakePlatforms fakes;
  CurlSender sender = NewSender();
  Outgoing o = Out(Channel::kMastodon, fakes.HttpBase(), sportello::testing::kMastodonToken, "Scuole chiuse domani");
  Attempt first = sender.Send(o);
  Attempt again = sender.Send(o);
  CHECK(first.http_status == 200);
  CHECK(again.http_status == 200);
  CHECK_FALSE(first.remote_id.empty());
  CHECK(first.remote_id == again.remote_id);
  auto log = fakes.Log().at("mastodon").as_array();
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("key").as_string() == o.delivery.id);

  fakes.Script("/api/v1/statuses", {429});
  Outgoing other = o;
  other.delivery.id = "0b7c6f6e-1d7a-4a51-9a39-5c1e2f0d9a02";
  Attempt limited = sender.Send(other);
  CHECK(limited.http_status == 429);
  REQUIRE(limited.retry_after.has_value());
  CHECK(*limited.retry_after > absl::Seconds(5));
  CHECK(*limited.retry_after <= absl::Seconds(10));
  CHECK(sender.Send(Out(Channel::kMastodon, fakes.HttpBase(), "wrong", "x")).http_status == 401);
}

TEST_CASE("Webhook: the receiver verifies both signatures; 503 carries Retry-After") {
  FakePlatforms fakes;
  CurlSender sender = NewSender();
  Outgoing o = Out(Channel::kWebhook, fakes.HttpBase() + "/hook", sportello::testing::kWebhookSecret, "Testo");
  Attempt a = sender.Send(o);
  CHECK(a.http_status == 200);
  auto log = fakes.Log().at("webhook").as_array();
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("id").as_string() == o.delivery.id);
  CHECK(log[0].at("body").at("title").as_string() == o.title);

  Outgoing wrong = o;
  wrong.secret = "whsec_" + std::string("b3RoZXItc2VjcmV0");
  CHECK(sender.Send(wrong).http_status == 401);  // the receiver refused the signature

  fakes.Script("/hook", {503});
  Attempt busy = sender.Send(o);
  CHECK(busy.http_status == 503);
  REQUIRE(busy.retry_after.has_value());
  CHECK(*busy.retry_after == absl::Seconds(4));
  CHECK(Decide(OneAttempt(), Channel::kWebhook, busy, RetryPolicy{}, absl::UnixEpoch(), 0.5)
            .next_attempt_at == absl::UnixEpoch() + absl::Seconds(4));
}

TEST_CASE("E-mail: SMTP to a real server, recipients only in the envelope, encoded subject, Message-ID") {
  FakePlatforms fakes;
  CurlSender sender = NewSender();
  Outgoing o = Out(Channel::kEmail, fakes.SmtpUrl(), "", "Gentili cittadini,\nle scuole resteranno chiuse.");
  o.account.recipients = {"lista-a@example.org", "lista-b@example.org"};
  o.title = "Allerta: città chiusa";
  Attempt a = sender.Send(o);
  CHECK(a.kind == Attempt::Kind::kDone);
  CHECK(a.http_status == 250);
  auto mail = fakes.Log().at("mail").as_array();
  REQUIRE(mail.size() == 1);
  std::vector<std::string> rcpt;
  for (const auto& r : mail[0].at("rcpt").as_array()) rcpt.emplace_back(r.as_string().c_str());
  CHECK(rcpt == std::vector<std::string>{"lista-a@example.org", "lista-b@example.org"});
  std::string data(mail[0].at("data").as_string().c_str());
  CHECK(data.find("lista-a@example.org") == std::string::npos);  // Bcc: never in a header
  CHECK(data.find("To: undisclosed-recipients:;") != std::string::npos);
  CHECK(data.find("Subject: =?UTF-8?B?") != std::string::npos);
  CHECK(data.find("Message-ID: <" + o.delivery.id + "@test.sportello.invalid>") != std::string::npos);
  CHECK(data.find("le scuole resteranno chiuse.") != std::string::npos);
}

TEST_CASE("Transport: a refused connection is not sent; a late answer is unknown") {
  CurlSender sender = NewSender(absl::Seconds(1));
  Attempt refused = sender.Send(Out(Channel::kWebhook, "http://127.0.0.1:1/hook", "", "x"));
  CHECK(refused.kind == Attempt::Kind::kNotSent);
  CHECK(refused.error.find("127.0.0.1") == std::string::npos);  // curl's generic text, no address

  FakePlatforms slow("--slow-telegram 3");
  Attempt late = sender.Send(Out(Channel::kTelegram, slow.HttpBase(), sportello::testing::kTelegramToken, "x"));
  CHECK(late.kind == Attempt::Kind::kUnknown);
  CHECK(slow.Count("telegram") == 1);  // Telegram has it: the outcome is uncertain, not "not sent"
  CHECK(Decide(OneAttempt(), Channel::kTelegram, late, RetryPolicy{}, absl::UnixEpoch(), 0).state ==
        DeliveryState::kUncertain);
}
