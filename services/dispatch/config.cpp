#include "services/dispatch/config.h"

#include <cstdlib>

#include "common/config.h"

namespace sportello::dispatch {

Config Config::Read(Settings& s) {
  Config c;
  std::string keys = s.String("SPORTELLO_DISPATCH_CREDENTIAL_KEYS", "",
                              "keys sealing account credentials (AES-256-GCM): id:<base64 of 32 bytes>,... "
                              "(e.g. k1:$(openssl rand -base64 32)); none: credentials only as env:NAME");
  std::string key_id = s.String("SPORTELLO_DISPATCH_CREDENTIAL_KEY_ID", "",
                                "the key id that seals new credentials (default: the last id in sort order)");
  if (!keys.empty()) {
    auto ring = Keyring::Parse(keys, key_id);
    if (ring.ok()) {
      c.keyring = std::move(*ring);
    } else {
      s.Error("SPORTELLO_DISPATCH_CREDENTIAL_KEYS: " + std::string(ring.status().message()));
    }
  }
  c.worker.enabled = s.Bool("SPORTELLO_DISPATCH_WORKER", true, "send due deliveries from this replica");
  c.worker.tick = absl::Seconds(s.Seconds("SPORTELLO_DISPATCH_TICK", 0.5, "seconds between scans for due deliveries"));
  c.worker.retry.base =
      absl::Seconds(s.Seconds("SPORTELLO_DISPATCH_RETRY_BASE", 5, "first retry delay in seconds (doubles each time)"));
  c.worker.retry.cap = absl::Seconds(s.Seconds("SPORTELLO_DISPATCH_RETRY_CAP", 1800, "longest retry delay in seconds"));
  c.worker.retry.max_attempts =
      s.Int("SPORTELLO_DISPATCH_MAX_ATTEMPTS", 8, "attempts before a delivery goes to the dead letter");
  c.worker.lease = absl::Seconds(
      s.Seconds("SPORTELLO_DISPATCH_LEASE", 120, "seconds after which a delivery left sending counts as interrupted"));
  c.curl.timeout = absl::Seconds(s.Seconds("SPORTELLO_DISPATCH_HTTP_TIMEOUT", 20, "seconds for one HTTP or SMTP call"));
  c.curl.mail_domain = s.String("SPORTELLO_DISPATCH_MAIL_DOMAIN", "sportello.invalid", "domain of e-mail Message-IDs");
  c.public_base_url = s.String("SPORTELLO_PUBLIC_BASE_URL", "http://127.0.0.1:8080",
                               "where citizens reach the gateway: links of drafts made from events");
  if (c.worker.retry.max_attempts < 1) s.Error("SPORTELLO_DISPATCH_MAX_ATTEMPTS must be at least 1");
  if (c.worker.lease <= c.curl.timeout) s.Error("SPORTELLO_DISPATCH_LEASE must exceed SPORTELLO_DISPATCH_HTTP_TIMEOUT");
  c.credential_env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return c;
}

}  // namespace sportello::dispatch
