#pragma once
// The connectors: one HTTP or SMTP call per delivery attempt, through
// libcurl with TLS verified, turned into an Attempt (delivery.h).
//   Telegram  POST <endpoint>/bot<token>/sendMessage {chat_id, text, parse_mode: HTML}
//   Mastodon  POST <endpoint>/api/v1/statuses, Idempotency-Key: <delivery id>
//   Webhook   POST <endpoint>, Standard Webhooks headers and X-Hub-Signature-256
//   E-mail    SMTP to <endpoint> (smtp:// or smtps://), recipients in Bcc only
// Nothing here logs: a URL may hold a credential (Telegram's token is in its
// path), and errors are curl's generic texts, never a URL.
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "services/dispatch/delivery.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

struct Outgoing {
  Delivery delivery;
  Account account;
  std::string secret;  // opened credential; empty when none
  std::string text;    // the account's variant
  std::string title;
  std::string link;
};

class Sender {
 public:
  virtual ~Sender() = default;
  virtual Attempt Send(const Outgoing& out) = 0;
};

struct CurlSettings {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration timeout = absl::Seconds(20);
  std::string mail_domain = "sportello.invalid";  // right side of Message-ID
};

class CurlSender final : public Sender {
 public:
  CurlSender(CurlSettings settings, std::function<absl::Time()> now);
  Attempt Send(const Outgoing& out) override;

 private:
  Attempt Telegram(const Outgoing& out);
  Attempt Mastodon(const Outgoing& out);
  Attempt Webhook(const Outgoing& out);
  Attempt Email(const Outgoing& out);

  CurlSettings settings_;
  std::function<absl::Time()> now_;
};

// The RFC 5322 message of an e-mail delivery: UTF-8, RFC 2047 subject,
// Message-ID from the delivery id, no recipient in any header (Bcc).
std::string EmailMessage(const Outgoing& out, absl::Time now, const std::string& mail_domain);

// RFC 2047 "B" encoding of a UTF-8 header value (as is when plain ASCII).
std::string EncodeHeaderWord(const std::string& text);

}  // namespace sportello::dispatch
